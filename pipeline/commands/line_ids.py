"""Line ids on the paragraphs of a file a verb has just written (`foundry new`,
`foundry import`), when the project requires them.

With `[l10n] require_line_ids = true` an untagged paragraph is an error (HF1101), so a
file written without its line ids would not pass `foundry check` as written. The
project is read again, the new file in it, and the file's paragraphs are tagged as
`foundry l10n tag` tags them (pipeline/l10n/tag.py: only each paragraph's last line
changes).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..engine.builder import check
from ..l10n.tag import tag_entry
from .project_write import write_file

if TYPE_CHECKING:
    from ..resolve.world import World


def tag_if_required(root: Path, path: Path, checked: tuple[World | None] | None = None) -> int:
    """Tag `path` (a file under `root` this verb just wrote) when the project requires
    line ids; the number of ids added (0 when not required or none were missing).
    `checked`: `(world,)` when the caller has just checked the project as it is
    (scaffold.output_clash), which is then not checked again; else it is checked here.
    Raises what project_write.write_file raises (Unwritable: a link put in its place)."""
    world = check(root, Diagnostics()) if checked is None else checked[0]
    if world is None or not world.project.config.l10n.require_line_ids:
        return 0
    rel = path.relative_to(root).as_posix()
    entry = next((e for e in world.entries() if e.path == rel), None)
    tagged = tag_entry(entry) if entry is not None else None
    if tagged is None or not tagged.added:
        return 0
    write_file(root, rel, tagged.text.encode("utf-8"), replace=True, read=entry.doc.source.sha256)
    return tagged.added
