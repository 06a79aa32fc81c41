"""Files editors write beside the one being saved: never content.

Vim's `4913` probe, `.swp`/`.swo` swap files and `file~` backups, Emacs' `.#file` lock
(a link to nowhere) and `#file#` autosave, JetBrains' `___jb_tmp___`, LibreOffice's
`.~lock.file#`, Kate's `.kate-swp`, GNOME's `.goutputstream-*`, Chrome's `.crswap`,
macOS's `.DS_Store`. Content discovery skips them (an Emacs lock `.#aria.yaml` ends in
`.yaml`, and was read as a hero with a bad id while its buffer had unsaved changes),
and `foundry serve` neither rebuilds nor logs for them.
"""

from __future__ import annotations

import re
from pathlib import PurePath

_EDITOR_TEMP = re.compile(r"^(?:4913|\.DS_Store|\.#.*|#.*#|\.~lock\..*#|\.goutputstream-.*)$"
                          r"|(?:~|\.sw[a-z]|\.swpx|\.tmp|\.kate-swp|\.crswap|___jb_(?:tmp|old)___|\.bak|\.orig)$")


def is_editor_temp(path: str | PurePath) -> bool:
    """True for a file an editor writes while saving, judged by its name alone."""
    # a bare name is its own name: no PurePath for each of 10,000 files (load/files.py)
    name = path if isinstance(path, str) and "/" not in path and path not in (".", "..") else PurePath(path).name
    return bool(_EDITOR_TEMP.search(name))
