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

from ..diagnostics import Diagnostics
from ..engine.builder import check
from ..l10n.tag import tag_entry
from .project_write import write_file


def tag_if_required(root: Path, path: Path) -> int:
    """Tag `path` (a file under `root` this verb just wrote) when the project requires
    line ids; the number of ids added (0 when not required or none were missing).
    Raises what project_write.write_file raises (Unwritable: a link put in its place)."""
    world = check(root, Diagnostics())
    if world is None or not world.project.config.l10n.require_line_ids:
        return 0
    rel = path.relative_to(root).as_posix()
    entry = next((e for e in world.entries() if e.path == rel), None)
    tagged = tag_entry(entry) if entry is not None else None
    if tagged is None or not tagged.added:
        return 0
    write_file(root, rel, tagged.text.encode("utf-8"), replace=True)
    return tagged.added
