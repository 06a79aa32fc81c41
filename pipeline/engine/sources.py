"""One hash over every file a build reads, so a build with nothing changed can stop
before loading anything (parsing and resolving 10,000 files costs seconds).

Each file's content hash decides, never its mtime. Reading and hashing 11,500 files
still costs 0.65 s, so the hashes are remembered per file beside the file's stat
(mtime, ctime, size, inode), as git's index does: a file whose stat is unchanged is not read
again; a checkout that only resets mtimes costs one re-hash, not a rebuild."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..load.root import PROJECT_INPUTS
from ..toolid import SHIPPED_THEME, tool_id
from ..confine import Boundary, boundary
from ..load.hash_memo import HashMemo
from ..git.versions import content_version

WATCHED = PROJECT_INPUTS
MEMO = "file-hashes.json"   # the inputs' hashes by stat (load/hash_memo.py)


def _files(fence: Boundary) -> tuple[list[tuple[str, str | None]], list[str]]:
    """((path, real path or None), …) of the files among the watched inputs, and the
    links that lead outside, by their paths under the root, sorted; only the
    confinement rule decides what is looked at (pipeline/confine.py): a link out is
    listed, never followed, stat'ed or hashed."""
    found, refused = [], []
    for name in WATCHED:
        path = os.path.join(fence.root, name)
        if not os.path.lexists(path):
            continue
        real = fence.resolve(path)
        if real is None:
            refused.append(path)
        elif fence.is_file(path):
            found.append((path, str(real)))
        else:
            files, outside = fence.walk(path)
            found += files
            refused += outside
    return sorted(found), sorted(refused)


def files_under(folder: Path) -> list[Path]:
    """Regular files below `folder` (a trusted folder, such as the shipped theme),
    hidden ones left out, under the confinement of that folder."""
    return boundary(folder).files(folder)[0]


def source_fingerprint(root: Path, settings: str, parts: dict[str, bytes] | None = None,
                       known: dict[str, str] | None = None, linked: set[str] | None = None) -> str:
    """Changes when any input file, the git revision, foundry's version or code, the default
    theme or the build's settings (outputs, release…) change. A link that leads
    outside counts by its path alone (so adding one is a change the build then reports).
    `parts`, when given, receives what was hashed per file, in order (`project:<path>`,
    `shipped:<path>`, `outside:<path>`), for `fingerprint_of` (engine/resident.py).
    `known`, when given, is filled with each project file's sha256 by its path under
    the root (POSIX): the build loads the World with them (load/documents.py read_source).
    `linked`, when given, receives the real path under the root of each project file
    also reached through a link (`content/heroes/alias.yaml -> first-hero.yaml`): an
    edit of it changes what another path reads (engine/resident.py `_trust`)."""
    memo = HashMemo(root, MEMO)
    h = hashlib.sha256(_header(root, settings))
    project = boundary(root)
    files, refused = _files(project)
    shipped = boundary(SHIPPED_THEME)   # the theme foundry ships: an input of the pages drawn with it
    for label, fence, paths in (("project", project, files), ("shipped", shipped, sorted(shipped.walk(SHIPPED_THEME)[0]))):
        for path, real in paths:
            if real is None:
                continue
            # remembered by the path under its root, never the absolute path: a project
            # moved or restored into another folder (a CI cache) keeps its memo
            digest = memo.sha256(real, label + ":" + _relative(real, fence.real))
            if digest is not None:
                rel = _relative(path, fence.root)
                part = os.fsencode(rel) + b"\0" + digest.encode()
                h.update(part)
                if parts is not None:
                    parts[f"{label}:{rel}"] = part
                if known is not None and fence is project:
                    known[rel] = digest
                if linked is not None and fence is project and _relative(real, fence.real) != rel:
                    linked.add(_relative(real, fence.real))
    for path in refused:
        h.update(_name(path, project.root) + b"\0outside")
        if parts is not None:
            parts[f"outside:{_relative(path, project.root)}"] = _name(path, project.root) + b"\0outside"
    memo.save()
    return h.hexdigest()


def _header(root: Path, settings: str) -> bytes:
    return f"{tool_id()}\0{settings}\0{content_version(root)}\0".encode()


def fingerprint_of(root: Path, settings: str, parts: dict[str, bytes]) -> str:
    """`source_fingerprint` from the per-file `parts` it handed out, some since replaced
    by their files' new hashes (`file_part`): for a caller that knows which files
    changed (the file watcher of `foundry serve`) and that none was added or removed."""
    h = hashlib.sha256(_header(root, settings))
    for part in parts.values():
        h.update(part)
    return h.hexdigest()


def file_part(rel: str, data: bytes) -> bytes:
    """The part `source_fingerprint` hashes for the project file at `rel` holding `data`."""
    return os.fsencode(rel) + b"\0" + hashlib.sha256(data).hexdigest().encode()


def _relative(path: str, root: str) -> str:
    """`_name` as a str (os.fsdecode of it), by slicing in the common case: 11,000
    calls in a no-op build."""
    if os.sep == "/" and path.startswith(root) and path[len(root):len(root) + 1] == "/" and "/." not in path:
        return path[len(root) + 1:]
    return os.fsdecode(_name(path, root))


def _name(path: str, root: str) -> bytes:
    """The path's bytes under root, as the filesystem has them: a file name that is
    not UTF-8 (a pull request can commit one) is hashed, not an internal error."""
    text, base = os.fspath(path), os.fspath(root)
    if os.sep == "/" and text.startswith(base + "/") and "/." not in text:   # the common case, without pathlib
        return os.fsencode(text[len(base) + 1:])
    return os.fsencode(Path(os.path.relpath(path, root)).as_posix())
