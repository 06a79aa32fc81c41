"""`foundry l10n tag`: write a line-id marker after every prose paragraph that has none.

Careful text edits, not a re-serialisation: only the paragraph's last line changes
(` ^l-3f2a` appended), so comments, quoting and layout stay exactly as written
(a YAML round-trip through ruamel.yaml would still re-flow some block scalars).
YAML prose is tagged when it is a block scalar (`background: |`); other styles
keep positional ids and are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lines import block_paragraphs
from ..load.markers import MARKER, as_marker, near_marker, new_marker, paragraph_marker


@dataclass(frozen=True)
class Tagged:
    path: str
    text: str            # the new file text
    added: int
    skipped: tuple[str, ...]   # fields that could not be tagged (not block scalars)


def tag_entry(entry: Any) -> Tagged | None:
    """The entity's file with a marker on every untagged paragraph; None if none was missing."""
    source = entry.doc.source
    lines = source.text.split("\n")
    taken = {m.group(1) for m in MARKER.finditer(source.text)}
    targets, skipped = [], []
    if entry.kind == "story":
        for scene in entry.model.scenes.values():
            targets += [(p.span.line, p.last_line) for p in scene.paragraphs]
    for name in ("background",):
        value = getattr(entry.model, name, "")
        if isinstance(value, str) and value.strip():
            blocks = block_paragraphs(entry.doc, name)
            if blocks is None:
                skipped.append(f"{entry.path}: {name}")
            else:
                targets += blocks
    added = 0
    for first, number in sorted(set(targets)):
        text = lines[number - 1]
        if paragraph_marker(lambda n: lines[n - 1], first, number) is not None:
            continue   # at its last line, or on a line above it (a sentence added under it)
        stripped = text.rstrip()
        # the last line's, else a line's above it (a sentence written under it)
        at, near = next(((n, found) for n in range(number, (first or number) - 1, -1)
                         if (found := near_marker(lines[n - 1].rstrip())) is not None), (number, None))
        meant = as_marker(near[1]) if near is not None else None
        if near is not None and (meant is not None or near[1].lower().startswith(("l-", "l_"))):
            # a marker typed by hand in other letters (` ^L-81C4`, ` ^intro`, ` ^l-zz`):
            # written as the marker it spells, in its place (a new one when it spells
            # none); a second marker after it left it shown as typed in every output. A
            # word it cannot be read as (` ^ok`) may be the writer's text: kept.
            own = lines[at - 1]
            kept = own.rstrip()[:near[0] - 1].rstrip()
            if meant is not None and meant not in taken:
                taken.add(meant)
                lines[at - 1] = f"{kept} ^{meant}" + ("\r" if own.endswith("\r") else "")
                added += 1
                continue
            lines[at - 1] = kept + ("\r" if own.endswith("\r") else "")
            stripped = lines[number - 1].rstrip()
        marker = new_marker(entry.path + "\0" + stripped, taken)
        lines[number - 1] = f"{stripped} ^{marker}" + ("\r" if text.endswith("\r") else "")
        added += 1
    if not added and not skipped:
        return None
    return Tagged(entry.path, "\n".join(lines), added, tuple(skipped))
