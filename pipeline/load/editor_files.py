"""Files editors write beside the one being saved: never content.

Vim's `4913` probe, `.swp`/`.swo` swap files and `file~` backups, Emacs' `.#file` lock
(a link to nowhere) and `#file#` autosave, JetBrains' `___jb_tmp___`, LibreOffice's
`.~lock.file#`, Kate's `.kate-swp`, GNOME's `.goutputstream-*`, Chrome's `.crswap`,
macOS's `.DS_Store` and `._aria.yaml` (AppleDouble: what a Mac writes beside a file on
a USB stick, a network share or in a zip), Windows' `Thumbs.db` and `desktop.ini`, KDE's
`.directory`. Content discovery skips them (an Emacs lock `.#aria.yaml` ends in `.yaml`,
and was read as a hero with a bad id while its buffer had unsaved changes; `._aria.yaml`
was told to be renamed `aria-2.yaml`, a second hero), and `foundry serve` neither
rebuilds nor logs for them.

A copy a file manager or a sync tool names (`aria (conflicted copy).yaml`, `aria -
Copy.yaml`, `aria copy 2.yaml`, `aria (1).yaml`, `aria.sync-conflict-….yaml`) is read,
but its name, no id, is told as a copy (`copy_of`).
"""

from __future__ import annotations

import re
from pathlib import PurePath

_EDITOR_TEMP = re.compile(r"^(?:4913|\.DS_Store|\._.+|Thumbs\.db|ehthumbs\.db|[Dd]esktop\.ini|\.directory|Icon\r"
                          r"|\.#.*|#.*#|\.~lock\..*#|\.goutputstream-.*)$"
                          r"|(?:~|\.sw[a-z]|\.swpx|\.tmp|\.kate-swp|\.crswap|___jb_(?:tmp|old)___|\.bak|\.orig)$")


def is_editor_temp(path: str | PurePath) -> bool:
    """True for a file an editor writes while saving, judged by its name alone."""
    # a bare name is its own name: no PurePath for each of 10,000 files (load/files.py)
    name = path if isinstance(path, str) and "/" not in path and path not in (".", "..") else PurePath(path).name
    return bool(_EDITOR_TEMP.search(name))


# A copy's name as the tool that made it writes it, the original's name first: Dropbox's
# and Nextcloud's `x (conflicted copy 2024-05-01)`, `x (Kes's conflicted copy …)`,
# Syncthing's `x.sync-conflict-20240501-120000-ABCDEFG`, Windows Explorer's `x - Copy`,
# `x - Copy (2)`, macOS Finder's `x copy`, `x copy 2`, GNOME Files' `x (copy)`, `x (another
# copy)`, `x (3rd copy)`, and a download's or a sync's `x (1)`.
_COPY = re.compile(r"^(?P<of>.+?)(?: \((?:[^()]*'s )?conflicted copy[^()]*\)|\.sync-conflict-\d{8}-\d{6}(?:-\w+)?"
                   r"| - Copy(?: \(\d+\))?| copy(?: \d+)?| \((?:copy|another copy|\d+(?:st|nd|rd|th) copy)\)"
                   r"| ?\(\d+\))$", re.IGNORECASE)


def copy_of(stem: str) -> str | None:
    """The name of the file `stem` (a file's name without its suffix) is a copy of, as
    a file manager or sync tool names a copy (`aria (conflicted copy)` → `aria`), else
    None."""
    m = _COPY.match(stem)
    return m.group("of") if m else None
