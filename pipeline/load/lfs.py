"""Git LFS without running git-lfs.

A file Git LFS keeps is committed as a pointer (a few lines naming the sha256 and the
size of its bytes); `git lfs` swaps the bytes in at checkout (a smudge filter) and the
pointer back at `git add` (a clean filter). foundry runs no filter (git_process.py), so
a revision it read held the pointers: `build --ref v1` refused every portrait as "not
an image", and `foundry diff v1` of a clean checkout said the portrait was uncommitted,
the asset removed and the image added. Here the bytes come from where git-lfs keeps
them (`.git/lfs/objects/`), read only when their sha256 and size are the pointer's, and
the working file is known by the pointer git-lfs would make of it.
Spec: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md"""

from __future__ import annotations

import hashlib
import os
import re
import stat as stat_module
from pathlib import Path

# A pointer is under 1024 bytes (the spec), its version line first, keys sorted.
MAX_POINTER = 1024
_VERSION = b"version https://git-lfs.github.com/spec/v1\n"
_POINTER = re.compile(rb"version https://git-lfs\.github\.com/spec/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*?"
                      rb"oid sha256:([0-9a-f]{64})\n(?:[a-z0-9.-]+ [^\n]*\n)*?size (0|[1-9][0-9]{0,17})\n"
                      rb"(?:[a-z0-9.-]+ [^\n]*\n)*")


# What brings the files a pointer names into the checkout (said wherever one is read as content).
LFS_HINT = ("Run `git lfs pull` (git-lfs installed; in GitHub Actions, actions/checkout with `lfs: true`); "
            "for another revision, `git lfs fetch origin REVISION` brings its files.")


def pointer(data: bytes) -> tuple[str, int] | None:
    """The (sha256, size) a Git LFS pointer names, or None when `data` is not one."""
    if len(data) >= MAX_POINTER or not data.startswith(_VERSION):
        return None
    found = _POINTER.fullmatch(data)
    return (found.group(1).decode("ascii"), int(found.group(2))) if found else None


def pointer_text(sha256: str, size: int) -> bytes:
    """The pointer git-lfs's clean filter writes for bytes of this sha256 and size."""
    return b"%soid sha256:%s\nsize %d\n" % (_VERSION, sha256.encode("ascii"), size)


def uses_lfs(common: Path) -> bool:
    """Whether git-lfs has kept files for this repository (its store in the git folder,
    `common`, is there): only then is a working file worth hashing as LFS would."""
    return os.path.isdir(common / "lfs" / "objects")


def stored(common: Path, sha256: str, size: int, limit: int) -> bytes | None:
    """The bytes git-lfs keeps for a pointer, when its store holds them as a regular file
    of that size (at most `limit`) whose sha256 is the pointer's; else None (not fetched:
    `git lfs fetch` brings them)."""
    path = common / "lfs" / "objects" / sha256[:2] / sha256[2:4] / sha256
    if size > limit:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode) or st.st_size != size:
            return None
        chunks, left = [], size + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == size and hashlib.sha256(data).hexdigest() == sha256 else None
