"""Merge conflicts git left in a file: `<<<<<<< HEAD`, `=======`, `>>>>>>> branch`.

A merge, rebase, cherry-pick or `stash pop` that both sides changed near the same
lines writes both versions into the file between these markers, and the writer is
to choose. Left in, a YAML file failed at its first marker as "line 4 has no `:`
after its key" (a hint that sends nobody to the conflict), foundry.toml as a TOML
syntax error, and a story's prose published both sides with the markers as text
(the `=======` line even made the line above it a heading): `check` said nothing.

One rule for every text file foundry reads as the project's (content, rules,
translations, foundry.toml): a block of the three markers, in order, each at the
start of its line as git writes them (seven characters, git's marker size, or the length a
`.gitattributes` `conflict-marker-size` sets), is
HF0185 at its first line, and the file is not read further — what it says is not
yet decided. A lone `=======` (a Markdown heading's underline) or `<<<<<<<` is
text, as git itself would not have written it alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostics, Span, clip

# git writes "<<<<<<< label", "||||||| label" (diff3/zdiff3 style), "=======",
# ">>>>>>> label"; the label may be missing (`git merge-file` with no names). Seven
# characters each, or as many as `.gitattributes` says (`conflict-marker-size=10`, set
# by projects whose files hold `=======` lines of their own: a Markdown heading's
# underline): all four of one block the same length.
_MARKER = re.compile(r"(<{7,}|\|{7,}|>{7,})(?:[ \t](.*))?\r?$|(={7,})\r?$")


@dataclass(frozen=True)
class Conflict:
    line: int       # 1-based, the `<<<<<<<` line
    end: int        # the `>>>>>>>` line
    ours: str       # the labels git wrote ("" when none)
    theirs: str
    size: int = 7   # the markers' length (`conflict-marker-size`)


def conflicts(text: str) -> list[Conflict]:
    """Every complete conflict block in `text`, in order (a `<<<<<<<` line, then a
    `=======` line, then a `>>>>>>>` line, all three of one length, seven or more; a
    diff3 `|||||||` base section between the first two is part of the block, and so
    are markers of another length inside it: a criss-cross merge's base holds its own
    conflicts, with longer markers)."""
    found: list[Conflict] = []
    if "<<<<<<<" not in text:   # every file is read through here: most hold no marker at all
        return found
    start = ours = None
    size, split = 0, False
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line[0] not in "<|=>":
            continue
        marker = _MARKER.match(line)
        if marker is None:
            continue
        run = marker.group(1) or marker.group(3)
        if start is not None and len(run) != size:
            continue   # a marker of another length inside this block: its text
        kind, label = run[0], (marker.group(2) or "").strip()
        if kind == "<":
            start, ours, size, split = number, label, len(run), False
        elif start is None or kind == "|":
            continue
        elif kind == "=":
            split = True
        elif split:   # ">"
            found.append(Conflict(start, number, ours, label, size))
            start, split = None, False
    return found


def report_conflicts(rel: str, text: str, diags: Diagnostics) -> bool:
    """HF0185 at each conflict block git left in `rel`; True when there was one (the
    caller then reads nothing of the file: neither side is what the writer chose)."""
    found = conflicts(text)
    for block in found:
        ours = f" {clip(block.ours, 40)}" if block.ours else ""
        theirs = f" {clip(block.theirs, 40)}" if block.theirs else ""
        diags.add("HF0185", f"unresolved merge conflict (lines {block.line}–{block.end}): git left both sides here, "
                  f"between `{'<' * block.size}{ours}`, `{'=' * block.size}` and `{'>' * block.size}{theirs}`",
                  Span(rel, block.line, 1),
                  hint="Keep the lines you want from either side (or join them), delete the marker lines, "
                       "save, then `git add` the file. `git checkout --ours` or `--theirs` with its path takes "
                       "one side whole; `git merge --abort` (or `rebase --abort`) undoes the whole merge."
                       + (_AS_TEXT if rel.endswith(".md") else ""))
    return bool(found)


# A story may show a conflict on purpose (a hacker's screen, a guide to git): deleting
# the markers, as the hint above says, deleted the example. Markdown shows a marker
# line the same with a backslash before it, and a fenced block the same indented by a
# space (CommonMark takes the fence's indentation off each of its lines); git writes
# neither, so neither is a conflict.
_AS_TEXT = (" If the markers are meant as text (a story showing a conflict), start each marker line with a "
            "backslash (`\\<<<<<<<`, `\\=======`, `\\>>>>>>>`), or, in a code block, indent the block, its "
            "fences too, by one space: the page shows them the same.")
