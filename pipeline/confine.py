"""The one confinement rule for every file a build reads.

A pull request writes every file in a project, symlinks included, so a link such as
`content/heroes/leak.yaml -> /etc/passwd` must not be read, published or echoed in
a log. The rule, for content, rules, foundry.toml, themes, assets, the no-op
fingerprint, `--ref` trees and the code frames of the report alike:

    a file is read only when its real path (every symlink on the way resolved)
    lies inside the project's real root, and not in a `.git` folder there (git's
    files are no content, and its config holds CI's credentials); a symlink that
    stays inside is fine. Foundry's own outputs and state (`build/`, its caches and
    working folders: OWN_FOLDERS) are read only by a path that starts there: a link
    or a `..` from anywhere else into them is refused as leading outside (what an
    earlier build wrote is no input: a clean build would not have it, and a release
    build would publish a draft build's files through it). A theme's files (a path
    that starts in `themes/`) are published or drawn as they are, so a theme may not
    reach the project's sources (SOURCES: content/, translations/, schemas/,
    foundry.toml) or its root through a link: `static/proj -> ../../..` published every
    story's raw text, drafts included, even from `build --release`. And a path that
    starts in an input (INPUTS), or names no hidden place itself and is not foundry's
    own (`_judged`: a file the user names, `foundry import ink imports/cave.ink`), never
    reaches a hidden file or folder outside the inputs and foundry's own folders
    (`_hidden_elsewhere`: `.env`, `.npmrc`, `.ssh/`):
    what a checkout keeps there is not the project's, often an uncommitted secret; nor
    the root itself (`content/heroes/all -> ../..` listed every file of the checkout).

`Boundary.resolve` finds that real path itself, one component at a time with
`lstat`/`readlink`, and gives up the moment the walk would leave the root: nothing
outside the project is ever stat'ed, opened or hashed (`os.path.realpath` would
`lstat` the outside target to resolve it). `Boundary.read` then opens the resolved
path with O_NOFOLLOW and O_NONBLOCK and reads it only when it is a regular file,
so a link swapped in after the check, a FIFO or a device is refused too. It opens the
file in its folder as a descriptor (`openat`), the folder opened once from the root
one component at a time with O_NOFOLLOW: a folder on the way swapped for a link
after it was resolved (a checkout while a build runs) is refused, or, once its
descriptor is held, still the folder that was resolved, never the link's target.

Shipped themes are read through a Boundary rooted at the installed package's theme
folder: the same rule with another root.

A refused file is reported at the link (its project-relative path) with HF0120; the
message says where the link is, never what the target holds.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import time
import unicodedata
from pathlib import Path

from .diagnostics import Diagnostics, Span

# Links followed in one path before it counts as a loop (Linux's MAXSYMLINKS).
MAX_HOPS = 40
# Folder descriptors the Boundaries of one process keep open together (a project reads
# from a few dozen folders; past this, a folder is opened for each read and closed after
# it). Fewer under a low open-file limit (`_kept_budget`): macOS's default is 256.
MAX_FOLDER_FDS = 256
_kept = 0   # folder descriptors held by every Boundary of this process (a forked worker inherits them)


def _kept_budget() -> int:
    """How many folder descriptors may be held: MAX_FOLDER_FDS, or a quarter of this
    process's open-file limit when that is less. Each Boundary held up to 256 before,
    and several are open in one build (the project, the shipped theme, each shard of a
    merge): a project reading from a few hundred folders failed under a limit of 256
    with "Too many open files" at whatever was opened next."""
    try:
        import resource
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):   # Windows: no such limit on descriptors held
        return MAX_FOLDER_FDS
    if soft == resource.RLIM_INFINITY or soft < 0:
        return MAX_FOLDER_FDS
    return min(MAX_FOLDER_FDS, soft // 4)
# Foundry's own folders at the project root (write/staging.py, load/cache_folder.py,
# engine/shards.py make them; `foundry init`'s .gitignore lists them): build/, which a
# build replaces, the folders it is staged and kept in, and the caches.
OWN_FOLDERS = ("build", "build-shards", ".foundry-cache", ".foundry-builds", ".foundry-old")
OWN_PREFIXES = (".foundry-staging", ".foundry-link-")
# The project's sources at its root (load/root.py's PROJECT_INPUTS but themes/): what a
# build publishes only as the World decides (a draft story left out of a release, the
# translations of released text, the rules as the rules pages show them, the pictures
# an entity shows: content/assets/ too). A theme's files are copied or drawn as they are,
# so one reached through a link into these is refused (`Boundary._themed_source`).
SOURCES = ("foundry.toml", "content", "schemas", "translations")
THEMES = "themes"
# The project's inputs (load/root.py PROJECT_INPUTS): a path the build gives that starts
# in one of them (or names no hidden place and is not foundry's own: `_judged`) may not
# lead, through a link or `..`, to a hidden file or folder elsewhere in the project
# (`Boundary._hidden_elsewhere`).
INPUTS = (*SOURCES, THEMES)
# Where a package manager keeps the packages' files below node_modules/ (pnpm's `.pnpm/`,
# bun's `.bun/`, deno's `.deno/`, vlt's `.vlt/`, and `.store/`: Yarn's pnpm linker and
# npm's `install-strategy=linked`): hidden by name, but no one's secret, and where
# `node_modules/htmx.org` really is, a link into it. A theme's
# `static/htmx.js -> ../../../node_modules/htmx.org/dist/htmx.min.js`, installed by pnpm
# (or by Yarn with `nodeLinker: pnpm`), was refused as a link to a hidden folder
# (`_hidden_elsewhere`) and failed the build.
_MODULES = f"{os.sep}node_modules{os.sep}"


def _judged(top: str, parts: list[str]) -> bool:
    """Whether a path given as `parts` (below the root; `top`, its first, as `fold` gives
    it) may not lead to a hidden file or folder elsewhere, or to the root
    (`Boundary._hidden_elsewhere`): one that starts in an input (INPUTS), or one that
    names no hidden place itself and is not foundry's own. A file the user names in the
    project is read by the same rule as the inputs: `foundry import ink
    imports/cave.ink`, a pull request's link to `../.env`, wrote the checkout's secret
    into content/stories/cave.md, which the next build publishes. A path that names a
    hidden folder is read as named (`.github/CODEOWNERS`, a site's
    `assets/.well-known/security.txt` that `foundry serve` serves, a shard's files),
    hidden as `hidden` says (`ENV~1`, a name in a folder `git~2/`, is one on NTFS)."""
    if top in INPUTS:
        return True
    return bool(top) and not hidden(top) and not own_folder(top) and \
        not any(hidden(part) and part != ".." for part in parts)
_PACKAGE_STORES = tuple(f"{_MODULES}{name}{os.sep}" for name in (".pnpm", ".bun", ".deno", ".vlt", ".store"))


# What a disk of macOS or Windows takes for `.git` (git's own `is_hfs_dotgit` and
# `is_ntfs_dotgit`, which it checks before it writes a path): any letter case; on HFS+
# with code points it ignores in names anywhere in it (`.g\u200cit`); on NTFS with
# trailing dots and spaces (`.git.`, `.git `), an alternate stream (`.git::$INDEX_ALLOCATION`)
# or its 8.3 short name (`GIT~1`), which takes the same trailing dots, spaces and streams
# (`GIT~1.`); and a backslash ends the name, as Windows reads it (`.git\config` is
# `.git/config`). A link `content/x.yaml -> ../.g\u200cit/config` is a link into
# `.git/config` on such a disk: judged by `.git` alone it was read as content (and
# through `../GIT~1./config` still, while the short name was taken only bare).
_HFS_IGNORED = dict.fromkeys([*range(0x200C, 0x2010), *range(0x202A, 0x202F), *range(0x206A, 0x2070), 0xFEFF])
_DOT_GIT = re.compile(r"(?:\.git|git~1)[ .]*(?:[:\\].*)?", re.DOTALL)


# A link's target as Windows reads it, which is how it is followed on every system (one
# commit gets one answer everywhere, as `.git\config` is `.git/config` to dot_git): a
# backslash is a separator there, a drive letter (`C:\…`, `C:x`) starts a path
# elsewhere on the machine, and a `..` takes back the name written before it whatever that
# name is (Windows drops it from the text; a linked folder's `..` is not where the link led).
# Read as a file name, `content/stories/x.md -> ..\..\..\outside\x.md` named nothing on
# Linux (HF0164, skipped: check said the project was fine) and a story outside the project
# on Windows, which git for Windows checks out as a link; `x.md -> deep/../../../../x.md`,
# `deep` a link to a folder four down, stayed inside here and left the project there.
_DRIVE = re.compile(r"[A-Za-z]:")


def windows_reading(target: str) -> str | None:
    """A link's `target` with each backslash read as the separator, or None when Windows
    reads it as a path on a drive (`C:\\Users\\…`, `c:x`). The walk then follows it by its
    text too when the two readings may part, and refuses it unless both lead to the same
    file inside the root (`Boundary._walk`)."""
    if _DRIVE.match(target):
        return None
    return target.replace("\\", "/") if "\\" in target else target


def _by_text(parts: list[str] | None) -> list[str] | None:
    """`parts` (a path below a root, as names) with each `..` taking back the name before
    it, as Windows reads a link's target (windows_reading); None when a `..` would climb
    above the root (or `parts` is None: a target elsewhere)."""
    if parts is None:
        return None
    named: list[str] = []
    for part in parts:
        if part == "..":
            if not named:
                return None
            named.pop()
        elif part not in ("", "."):
            named.append(part)
    return named


def turns_back(parts: list[str]) -> bool:
    """Whether a path (as names: a link's target, or a reference as written, split at
    `/`) holds a `..` after a name: where it leads then depends on whether that name is a
    link (on disk the `..` climbs from where the link led; Windows, and the words, take
    the name back), which the words alone do not say."""
    named = False
    for part in parts:
        if part == "..":
            if named:
                return True
        elif part not in ("", "."):
            named = True
    return False


# The names in other letters one walk reads on through (Boundary._refused_in_other_letters)
# before it refuses the path: a project has one now and then (`Shared/` named `shared/`).
MAX_OTHER_LETTERS = 64


def fold(name: str) -> str:
    """`name` as a disk of macOS compares it: in any letter case, and without the code
    points HFS+ ignores in names (`_HFS_IGNORED`). What the rule compares with its own
    names (foundry's folders, the project's sources, `themes`): a theme's link into
    `con\u200ctent/` reads content/ there, drafts and all."""
    return name.translate(_HFS_IGNORED).casefold()


def as_found(name: str) -> str:
    """`name` as a disk of macOS or Windows finds it: `fold`, and an accent composed or
    not (`e\u0301` is `é`): two names with one such form are one name there."""
    folded = fold(name)
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


def own_folder(name: str) -> bool:
    """Whether `name`, a name at the project root, is one of foundry's own folders
    (OWN_FOLDERS, OWN_PREFIXES), compared as macOS and Windows compare names (`fold`)."""
    folded = fold(name)
    return folded in OWN_FOLDERS or folded.startswith(OWN_PREFIXES)


def dot_git(name: str) -> bool:
    """Whether `name`, one path component, names a `.git` on some disk (`_DOT_GIT`)."""
    first = name[:1]
    if first != "." and first not in "gG" and first < "\u200c":   # most names: one comparison
        return False
    return _DOT_GIT.fullmatch(fold(name)) is not None


# An NTFS 8.3 short name (`ENV~1`, `NPMRC~1`, `SSH~1.`): the name Windows gives a file
# whose own is no 8.3 name, every hidden one's included (`.env` is `ENV~1` too), so it
# may be a hidden file's, as `GIT~1` is `.git`'s (`_DOT_GIT`).
_SHORT_NAME = re.compile(r"[^.~]{1,7}~[0-9]{1,6}(?:\.[^.~]{0,3})?[ .]*(?:[:\\].*)?", re.DOTALL)


def hidden(name: str) -> bool:
    """Whether `name`, one path component, is a hidden file's or folder's on some disk:
    it starts with a dot as a disk of macOS reads it, without the code points HFS+
    ignores in names (`\u200c.env` is `.env` there), or it is an NTFS short name
    (`ENV~1` is `.env`'s: `_SHORT_NAME`). One commit gets one answer everywhere, as
    `fold` and `dot_git` give for foundry's own names and `.git`."""
    if not name.isascii():
        name = name.translate(_HFS_IGNORED)
    return name[:1] == "." or ("~" in name and _SHORT_NAME.fullmatch(name) is not None)


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
# a file `replace` writes at its temporary name: made new (O_EXCL), never a file or link there
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC


class Refused(OSError):
    """A file that may not be read. `kind`: "outside" (it leads outside the boundary),
    "special" (not a regular file: a FIFO, a device, a folder) or "size" (over the
    limit). `reason` is safe to print: it names nothing of the target."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind, self.reason = kind, reason


def _from_cwd(path: Path | str) -> str:
    """`path` made absolute through the current folder, as written (`..` left for the
    walk to judge, not folded as abspath folds it). The current folder is asked only
    for a relative path: `foundry serve` whose project folder (its current folder) was
    deleted under it had every absolute path it resolved fail in os.getcwd(), and its
    file watcher died with a traceback."""
    path = os.fspath(path)
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), path)


class Boundary:
    """One folder nothing may be read from outside of. Directory resolutions are
    remembered, so resolving 10,000 files in a few folders costs one lstat each."""

    def __init__(self, root: Path | str):
        self.root = os.path.abspath(root)
        self.real = os.path.realpath(self.root)   # the root itself is trusted: the user chose it
        # the root as callers spelled it, where that is neither `root` nor `real`
        # (`boundary` adds them; longest first): `../shards/1-of-3` is folded to
        # /ci/shards/1-of-3, and a read of `../shards/1-of-3/shard.json` (made absolute
        # with its `..` left for the walk) started at none of them, so `foundry build
        # --merge ../shards/*` said every shard "leads outside the project"
        self.spellings: list[str] = []
        self._dirs: dict[str, str | None] = {}
        self._fds: dict[str, int] = {}   # a resolved folder's descriptor, by its real path (`_folder_fd`)
        # each folder's names as macOS finds them (`as_found`): `_refused_in_other_letters`
        # lists a folder once, not once a missing file (10,000 heroes each missing a translation file)
        self._folded: dict[str, dict[str, list[str]]] = {}

    def close(self) -> None:
        """Close the folder descriptors `read` kept (forget() does, for the shared ones)."""
        global _kept
        fds, self._fds = self._fds, {}
        _kept -= len(fds)
        for fd in fds.values():
            try:
                os.close(fd)
            except OSError:
                pass

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:   # at interpreter exit the os module may be gone: the OS closes them
            pass

    def inside(self, real: str) -> bool:
        """Whether a real (resolved) path is the root or below it."""
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)

    def entered(self, path: Path | str) -> str | None:
        """Where `path` (absolute, or relative to the current folder) enters the root, as
        a path below `root` holding the rest as written, or None when it never does.
        Followed as the OS follows it up to there (`..` as it reads it, the links outside
        the root, which are the user's own), one component at a time, and not a step
        into the root: from there on the path is the project's, read by this rule
        (`read`) whatever its links lead to. A path naming the project through a link of
        the user's (`~/work -> /data/work`, the project at /data/work/proj) enters it as
        surely as one naming it by its real path: judged by its name alone, a pull
        request's `imports/cave.ink -> ~/.aws/credentials` was read through that link
        as the user's own file. None for a path elsewhere (`~/Downloads/cave.html`), or
        whose links out loop or cannot be read (the OS then refuses it itself)."""
        todo = list(reversed(_from_cwd(path).split(os.sep)))
        current, hops, entered = os.sep, 0, False
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if self.inside(current):   # the project's: a link in it followed only inside it
                entered = True
                if part == ".." and current == self.real:
                    current = os.path.dirname(current)
                    continue
                step = self._walk(current, [part])
                if step is None or (part != ".." and step != os.path.join(current, part)):
                    # leads out (or into .git, or round), or is a link inside: from here on the
                    # path is judged as written (`read`), its first name known. Followed here,
                    # `imports/cave.ink -> ../.env` was read as `.env`, a path the user named.
                    return os.path.join(self.root + current[len(self.real):], part, *reversed(todo))
                current = step
                continue
            if part == "..":
                current = os.path.dirname(current)
                continue
            candidate = os.path.join(current, part)
            try:
                if not stat.S_ISLNK(os.lstat(candidate).st_mode):
                    current = candidate
                    continue
                target = os.readlink(candidate)
            except OSError:
                return None   # nothing there (the OS says so when it is opened), or unreadable
            hops += 1
            if hops > MAX_HOPS:
                return None
            if os.path.isabs(target):
                current = os.sep
            todo.extend(reversed(target.split(os.sep)))
        if not self.inside(current):
            return None
        return self.root + current[len(self.real):] if entered or current != self.real else self.root

    def resolve(self, path: Path | str) -> Path | None:
        """The real path of `path` (absolute, or relative to the current folder, as
        the OS reads it) when it stays inside the root, else None. A missing file
        resolves to where it would be."""
        real = self._resolved(path)
        return Path(real) if real is not None else None

    def _resolved(self, path: Path | str) -> str | None:
        """`resolve` as text (a Path per file was most of the cost of reading 10,000)."""
        found = self._in_folder(path)
        if found is None:
            return None
        start, name, top, judged = found
        real = self._walk(start, [name])
        if real is not None and self._in_own(real) and not self._in_own(start) \
                and not (start == self.real and own_folder(name)):
            return None   # a link into foundry's own folders from a file outside them
        if real is not None and top == THEMES and self._in_source(real):
            return None   # a theme's file that is the project's sources (or its root)
        if real is not None and ((top in INPUTS and real == self.real) or (judged and self._hidden_elsewhere(real))):
            return None   # an input that is a hidden file outside the inputs (`.env`), or the root
        return real

    def _in_folder(self, path: Path | str) -> tuple[str, str, str, bool] | None:
        """(the real path of `path`'s folder, its last component, its first component
        as `fold` compares it: "themes" for a theme's path, whether the path may not
        lead to a hidden place elsewhere: `_judged`), the folder resolved once per run;
        None when the folder leads outside (or into `.git`, or into foundry's own
        folders from elsewhere: `_in_own`, or from a theme into the project's sources:
        `_in_source`, or from an input to a hidden folder elsewhere:
        `_hidden_elsewhere`)."""
        full = _from_cwd(path)   # join, not abspath: `..` is the walk's to judge
        parts = self._relative_parts(full)
        if parts is None:
            return None
        *folder, name = parts or [""]
        top = fold(parts[0]) if parts else ""
        key = os.sep.join(folder)
        if key not in self._dirs:
            start = self._walk(self.real, folder)
            if start is not None and folder and not own_folder(folder[0]) and self._in_own(start):
                start = None   # reached through a link or `..` from outside them
            if start is not None and folder and top == THEMES and self._in_source(start):
                start = None   # a theme's folder that is the project's root or in its sources
            # (a folder on the way that is the root is fine: `portrait: ../../aria.png`, a
            # picture at the project's top, names one file; an input that IS the root is
            # refused at the end, `_resolved`, and the walk lists nothing through it)
            if start is not None and folder and _judged(top, folder) and self._hidden_elsewhere(start):
                start = None   # an input's folder that is a hidden one outside the inputs
            self._dirs[key] = start
        start = self._dirs[key]
        if start is None:
            return None
        return start, name, top, top in INPUTS or (not hidden(name) and _judged(top, folder))

    def read(self, path: Path | str, limit: int | None = None, kept=None) -> bytes:
        """The bytes of a regular file inside the root. Raises Refused (outside, not a
        regular file, over `limit` bytes: `.reason` says which) or OSError. `kept`: as
        `read_resolved` says."""
        if "\0" in os.fspath(path):
            # no file is so named, as `_walk` judges it: os.open raised ValueError, and a
            # theme's `{% extends "base.html\x00" %}` stopped the build as an internal error
            raise FileNotFoundError(errno.ENOENT, "no file's name holds a NUL", os.fspath(path))
        found = self._in_folder(path)
        if found is not None:
            folder, name, _, _ = found
            fd = self._fds.get(folder)
            # Most reads: a plain name in a folder read from before. Its open with
            # O_NOFOLLOW is the check `_walk`'s lstat made (it fails on a link, and only
            # a link could lead elsewhere): one syscall instead of two, 10,500 lstats a
            # cold check at 10,000 heroes. A link, a missing file, or a name `_walk`
            # judges itself (`..`, `.git`) takes the walk, as every read did before; so
            # does a hidden name, which `_resolved` judges (`_hidden_elsewhere`): by this
            # path a theme's `{% include "ops/.env" %}` (`templates/ops -> ../../../ops`,
            # its README.md included first) published the checkout's secret in the site.
            if fd is not None and not hidden(name) and name not in ("", ".", "..") and not dot_git(name):
                real = folder.rstrip(os.sep) + os.sep + name
                try:
                    return read_resolved(real, limit, dir_fd=fd, kept=kept)
                except OSError as exc:
                    if type(exc) is Refused or exc.errno not in (errno.ELOOP, errno.ENOENT):
                        raise
        real = self._resolved(path)
        if real is None:
            raise Refused("outside", "it leads outside the project")
        folder, _, name = real.rpartition(os.sep)
        fd = self._fds.get(folder)
        if fd is not None:   # most reads: a folder read from before
            return read_resolved(real, limit, dir_fd=fd, kept=kept)
        if not name or not self.inside(folder or os.sep):
            return read_resolved(real, limit, kept=kept)   # the root itself (a file given as the root)
        fd = self._folder_fd(folder or os.sep)
        try:
            return read_resolved(real, limit, dir_fd=fd, kept=kept)
        finally:
            if folder not in self._fds:
                os.close(fd)

    def replace(self, path: Path | str, data: bytes) -> None:
        """Write `data` as the file at `path` (one of foundry's own: a cache, a memo)
        atomically, in its folder's descriptor: a new file made there (O_EXCL,
        O_NOFOLLOW), renamed over the name in the same folder, so a link at the name is
        replaced, never written through. The folder is the one `read` would use: one on
        the way that leads outside (or was swapped for a link since it was looked at)
        is refused (Refused "outside"), and nothing is written anywhere. Raises Refused
        or OSError."""
        folder = self._resolved(os.path.dirname(_from_cwd(path)))
        name = os.path.basename(os.fspath(path))
        if folder is None or not name or not self.inside(folder):
            raise Refused("outside", "it leads outside the project")
        fd = self._folder_fd(folder)
        tmp = f".{name}.{os.getpid()}.tmp"
        try:
            out = new_file(tmp, fd)
            try:
                with os.fdopen(out, "wb") as stream:
                    stream.write(data)
                os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
            except BaseException:
                try:
                    os.unlink(tmp, dir_fd=fd)
                except OSError:
                    pass
                raise
        finally:
            if self._fds.get(folder) != fd:
                os.close(fd)

    def held(self, folder: Path | str) -> tuple[str, int | None]:
        """A name for `folder` (inside the root) that the OS resolves through a
        descriptor of it, opened as `read` opens folders (no link on the way followed),
        never through its path: `/proc/self/fd/N` and N, a descriptor of the caller's
        own (it closes it when done with the name). For a library that takes only a
        path (SQLite, which makes its journal beside the file by name too): a folder
        swapped for a link out after it was looked at stays the one opened. Where the
        system has no such names, the folder's real path and None. Raises Refused."""
        real = self._resolved(_from_cwd(folder))
        if real is None or not self.inside(real):
            raise Refused("outside", "it leads outside the project")
        fd = self._folder_fd(real)
        own = os.dup(fd) if self._fds.get(real) == fd else fd
        name = f"/proc/self/fd/{own}"
        try:
            if os.path.samestat(os.stat(name), os.fstat(own)):
                return name, own
        except OSError:
            pass
        os.close(own)
        return real, None

    def _folder_fd(self, folder: str) -> int:
        """A descriptor of `folder` (a real path inside the root, as `_resolved` gave it),
        opened from the root one component at a time, none followed if it is a link
        now: what was resolved as a folder and has since become a link is refused, not
        followed. Kept (within `_kept_budget`) until `close`: once held it stays that
        folder whatever is put at its path."""
        fd = self._fds.get(folder)
        if fd is not None:
            return fd
        fd = os.open(self.real, _DIRECTORY)
        try:
            for part in folder[len(self.real):].split(os.sep):
                if part:
                    inner = os.open(part, _DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                    os.close(fd)
                    fd = inner
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise Refused("outside", "it leads outside the project") from None
            raise
        global _kept
        if _kept < _kept_budget():
            self._fds[folder] = fd
            _kept += 1
        return fd

    def entry(self, path: Path | str) -> str | None:
        """Where the entry `path` names lies: its folder's real path (links on the way
        followed inside only) joined with its last name, which is not followed, so an
        lstat of it sees a link as a link; None when its folder leads outside. What to
        lstat instead of `path` itself, whose folders the OS would follow out."""
        found = self._in_folder(path)
        if found is None:
            return None
        start, name = found[0], found[1]
        return self._resolved(path) if name in ("", ".", "..") else os.path.join(start, name)

    def lexists(self, path: Path | str) -> bool:
        """Whether something is at `path`, looked for without leaving the root: a link
        (on the way or at the end) that leads outside counts as there (to be refused)."""
        real = self.resolve(path)
        return real is None or os.path.lexists(real)

    def is_file(self, path: Path | str) -> bool:
        """Whether `path` is a regular file inside the root (links followed inside only)."""
        real = self.resolve(path)
        try:
            return real is not None and stat.S_ISREG(os.lstat(real).st_mode)
        except (OSError, ValueError):   # ValueError: a NUL in the name, no such file (as os.path.isfile says)
            return False

    def is_dir(self, path: Path | str) -> bool:
        """Whether `path` is a folder inside the root (links followed inside only)."""
        real = self.resolve(path)
        try:
            return real is not None and stat.S_ISDIR(os.lstat(real).st_mode)
        except (OSError, ValueError):   # ValueError: a NUL in the name, no such file (as os.path.isdir says)
            return False

    def files(self, folder: Path | str, hidden: bool = False) -> tuple[list[Path], list[Path]]:
        """(regular files, refused links) below `folder`, by their paths under the
        root as given (not resolved), sorted. Files whose name starts with a dot are
        left out unless `hidden` (hidden folders are still searched, as os.walk
        does). Links are followed only when they stay inside; a folder reached
        through a link is listed once."""
        found, refused = self.walk(folder, hidden)
        return sorted(Path(shown) for shown, _ in found), sorted(Path(p) for p in refused)

    def walk(self, folder: Path | str, hidden: bool = False, special: list[str] | None = None,
             folders: list[str] | None = None) -> tuple[list[tuple[str, str | None]], list[str]]:
        """`files`, unsorted, as strings, each file with its real path: ((path as
        given, real path), …) and the refused links. The real path is what `resolve`
        would answer (None for a file in a `.git` folder), found on the way instead of
        resolved again file by file: for 10,000 files that was most of a no-op build.
        FIFOs, sockets and devices (or links to them), and links to nothing, are never
        listed as files; with `special`, their paths are appended to it
        (hygiene.check_file_names names them: HF0125, HF0164). With `folders`, the path
        (as given) of each folder listed is appended to it, `folder` first: what
        `foundry serve` watches (serve/server.py `watched_paths`)."""
        found: list[tuple[str, str | None]] = []
        refused: list[str] = []
        start = self.resolve(folder)
        if start is None:   # a link on the way leads out: refused without a look beyond it
            refused.append(os.fspath(folder))
            return found, refused
        seen: set[str] = set()
        # (path as given, real path, whether it lies in a `.git` folder or None: not known
        # yet). A folder's subfolder is in one if the folder is or its own name is a
        # `.git`: asked of the whole path twice at each level, a folder nested 1,200 deep
        # cost 1.4 million `dot_git`s a walk, and a build walks it a dozen times.
        todo: list[tuple[str, str, bool | None]] = [(os.fspath(folder), str(start), None)]
        inside = self.real.rstrip(os.sep) + os.sep
        # A folder reached from where the walk began that `resolve` would refuse by the
        # path it is listed under is not walked: foundry's own folders from a path outside
        # them, and a `.git` folder from a path outside one. A theme's
        # `static -> ../..` (inside the project) reached build/, .foundry-builds/ and .git/
        # through it, listed their files as the theme's, and the render that read one
        # (refused: `read` judges the path given) stopped with an internal error.
        parts = self._relative_parts(_from_cwd(folder))
        from_own = bool(parts) and own_folder(parts[0])
        from_git = self._in_git(str(start))
        from_theme = bool(parts) and fold(parts[0]) == THEMES
        from_input = bool(parts) and fold(parts[0]) in INPUTS   # a walk of foundry's own or a site: as named
        while todo:
            shown, real, in_git = todo.pop()
            if in_git is None:
                in_git = self._in_git(real)
            if real in seen or (not from_own and self._in_own(real)) or (not from_git and in_git) \
                    or (from_theme and self._in_source(real)) or (from_input and (real == self.real or self._hidden_elsewhere(real))):
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(real), key=lambda e: e.name)
            except OSError:
                continue
            if folders is not None:
                folders.append(shown)
            below = real == self.real or real.startswith(inside)   # cut where _in_git cuts it: a child adds one part
            prefix = shown if shown.endswith(os.sep) else shown + os.sep   # os.path.join, 11,000 times cheaper
            for entry in entries:
                path = prefix + entry.name
                if entry.is_symlink():
                    target = self.resolve(path)
                    if target is None:
                        if hidden or not entry.name.startswith("."):   # a hidden file is never read anyway
                            refused.append(path)
                        continue
                    try:
                        mode = os.lstat(target).st_mode
                    except OSError:
                        # a dangling link: nothing to read, but named with `special` (so
                        # one appearing is no no-op build; hygiene.py warns: HF0164)
                        if special is not None and not in_git and (hidden or not entry.name.startswith(".")):
                            special.append(path)   # not a hidden one: Emacs' lock `.#aria.yaml` is such a link
                        continue
                    if stat.S_ISDIR(mode):
                        todo.append((path, str(target), None))
                    elif stat.S_ISREG(mode):
                        if hidden or not entry.name.startswith("."):
                            found.append((path, str(target)))
                    elif special is not None:
                        special.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    todo.append((path, entry.path, (in_git or dot_git(entry.name)) if below else None))
                elif entry.is_file(follow_symlinks=False):
                    if hidden or not entry.name.startswith("."):
                        found.append((path, None if in_git else entry.path))
                elif special is not None and not in_git:
                    special.append(path)
        return found, refused

    def _relative_parts(self, full: str) -> list[str] | None:
        """`full` (lexically absolute) as components below the root, or None when it
        does not start at the root (as given or as resolved)."""
        for base in (*self.spellings, self.root, self.real) if self.spellings else (self.root, self.real):
            if full == base:
                return []
            prefix = base.rstrip(os.sep) + os.sep
            if full.startswith(prefix):
                return [p for p in full[len(prefix):].split(os.sep) if p not in ("", ".")]
        return None

    def why(self, path: Path | str) -> str:
        """Why `path`, which `resolve` refuses, is refused: "loop" (a link leading back
        to itself, or more than MAX_HOPS links on the way), "git" (into a `.git`),
        "own" (into foundry's own folders from elsewhere: `_in_own`), "source" (from a
        theme into the project's sources or root: `_in_source`), "root" (from another
        input to the project's root), "hidden" (from an input into a hidden file or
        folder elsewhere: `_hidden_elsewhere`) or "outside".
        Walked as `resolve` walks: nothing outside the root is looked at."""
        parts = self._relative_parts(_from_cwd(path))
        if parts is None:
            return "outside"
        why: list[str] = []
        real = self._walk(self.real, parts, why)
        if real is None:
            return why[-1] if why else "outside"
        if self._in_own(real) and not own_folder(parts[0]):
            return "own"
        if fold(parts[0]) == THEMES and self._in_source(real):
            return "source"
        if fold(parts[0]) in INPUTS and real == self.real:
            return "root"
        return "hidden" if _judged(fold(parts[0]), parts) and self._hidden_elsewhere(real) else "outside"

    def _walk(self, current: str, parts: list[str], why: list[str] | None = None,
              budget: list[int] | None = None) -> str | None:
        """Resolve `parts` one at a time from `current` (a real path inside the root).
        Each step is checked before it is looked at: a `..` above the root or a link to
        a place outside ends the walk, so nothing outside is ever touched. `why`, when
        given, is told why a None was returned (`Boundary.why`).
        A link's target is followed as this system follows it and, when a `..` in it
        comes after a name (the one case where they differ), by its text as Windows
        follows it (windows_reading): the path resolves only when both lead to the same
        file inside. Checked by its text alone and followed on disk,
        `chain.md -> deep/../../../shared/next.md` (`deep` a linked folder) read
        lib/shared/next.md here and, on Windows, shared/next.md, another link, to a file
        outside, never looked at; an absolute target was not checked by its text at all.
        Followed by its text alone, `x/x/../../../secret` (`x -> .`) left the root here."""
        turns: list[bool] = []
        real = self._follow(current, parts, why, turns, [MAX_OTHER_LETTERS] if budget is None else budget)
        if real is None or not turns or self._follow(current, parts, None, None) == real:
            return real
        return None   # another file (or outside) as Windows reads it

    def _follow(self, current: str, parts: list[str], why: list[str] | None, turns: list[bool] | None,
                budget: list[int] | None = None) -> str | None:
        """`_walk`'s one reading: each link followed on disk when `turns` is given (told,
        by an item appended, of a target whose `..` comes after a name), else by its text
        (`_by_text`). `budget`: the names in other letters the walk may still read on
        through (`_refused_in_other_letters`), one count for the whole walk."""
        todo = list(reversed(parts))
        hops = 0
        # The real folder that lacks the next name, once one is missing: below it nothing
        # is there, so no link either, and the rest is lexical. A `..` back up to it is
        # back among what is there, looked at again: `typo/../assets/out/x.png` was taken
        # as lexical to the end, `out -> /elsewhere` never seen, and a caller stat'ed,
        # listed (a near-name hint printed a name from the folder outside) and hashed
        # what lay beyond it.
        gone: str | None = None
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if part == "..":
                if current == self.real:
                    return None
                current = os.path.dirname(current)
                if current == gone:
                    gone = None
                continue
            candidate = os.path.join(current, part)
            if gone is not None:
                current = candidate
                continue
            try:
                st = os.lstat(candidate)
            except (OSError, ValueError):   # ValueError: a NUL in the name (a portrait "p\0.png"), no such file
                if budget is not None and self._refused_in_other_letters(current, part, todo, why, budget):
                    return None
                gone = current
                current = candidate
                continue
            if not stat.S_ISLNK(st.st_mode):
                current = candidate
                continue
            hops += 1
            if hops > MAX_HOPS:
                if why is not None:
                    why.append("loop")
                return None
            try:
                target = windows_reading(os.readlink(candidate))
            except OSError:
                return None
            if target is None:
                return None   # a drive's path: out as Windows reads it (windows_reading)
            if os.path.isabs(target):
                rest = self._relative_parts(target)
                if rest is None:
                    return None
                written, here = rest, []
            else:
                written, here = target.split("/"), [p for p in current[len(self.real):].split(os.sep) if p]
            if turns is not None:   # on disk: each `..` from the folder a name led to
                if turns_back(written):
                    turns.append(True)
                if os.path.isabs(target):
                    current = self.real
                todo.extend(reversed(written))
                continue
            named = _by_text(here + written)
            if named is None:
                return None
            keep = 0   # the folders `current` and the target share are real already: not walked again
            while keep < min(len(here), len(named)) and here[keep] == named[keep]:
                keep += 1
            current = os.path.join(self.real, *named[:keep])
            todo.extend(reversed(named[keep:]))
        if why is not None and self.inside(current) and self._in_git(current):
            why.append("git")
        return current if self.inside(current) and not self._in_git(current) else None

    def _refused_in_other_letters(self, folder: str, part: str, todo: list[str], why: list[str] | None,
                                  budget: list[int]) -> bool:
        """Whether the name `part`, missing from `folder` (a real folder inside the root),
        is there in other letters (`as_found`: as macOS and Windows find it) and the path read
        on through that name (the rest, `todo`, reversed) is refused: a link out, into .git,
        round in a loop. `x.yaml -> ../shared/out/x.yaml` beside `shared/Out -> /elsewhere`
        named nothing here (HF0164, a warning: skipped) and a file outside the project on
        a writer's Mac (HF0120 there, an error): one commit, one answer. A name there in
        other letters that leads to a file inside is left to this system's reading. Each
        such name read on through spends one of `budget` (the walk's): past it, a path
        with that many is refused (names in other letters at every step of a deep path,
        each read on through, were work exponential in its depth)."""
        listed = self._folded.get(folder)
        if listed is None:
            listed = self._folded[folder] = {}
            try:
                for name in os.listdir(folder) if os.path.isdir(folder) else ():
                    listed.setdefault(as_found(name), []).append(name)
            except (OSError, ValueError):
                pass
        for name in listed.get(as_found(part), ()):
            if name == part:
                continue
            if budget[0] <= 0:
                return True
            budget[0] -= 1
            said: list[str] = []
            if self._walk(folder, [name, *reversed(todo)], said, budget) is None:
                if why is not None:
                    why.extend(said)
                return True
        return False

    def _in_own(self, real: str) -> bool:
        """Whether a real path inside the root is one of foundry's own folders at the
        root (own_folder) or lies in one. Such a path is read only when the path given
        starts there (the build state, the caches); reached from elsewhere (a theme's
        `static/x.css -> ../../../build/site/assets/site.css`, a `portrait:
        ../../build/site/media/…`), what is read is an earlier build's output: a clean
        build lacks it, a release build publishes a draft build's files through it."""
        first = real[len(self.real):].lstrip(os.sep).split(os.sep, 1)[0]
        return bool(first) and own_folder(first)

    def _in_source(self, real: str) -> bool:
        """Whether a real path inside the root is the root itself or lies in one of the
        project's sources (SOURCES), compared as `own_folder` compares (`fold`). Read
        from a theme's path (`themes/…`) it is refused: a theme's static files are copied
        into the site as they are and its templates drawn as they are, so a theme's
        `static/proj -> ../../..` or `static/tales -> ../../../content/stories`
        published every story's Markdown, drafts included and from `build --release`
        too, and `templates/x.html -> ../../../translations/de/…` drew a translation's
        file into every page. The root counts: everything is below it."""
        if real == self.real:
            return True
        first = real[len(self.real):].lstrip(os.sep).split(os.sep, 1)[0]
        return fold(first) in SOURCES

    def _hidden_elsewhere(self, real: str) -> bool:
        """Whether a real path inside the root is a hidden file or folder (a name that
        starts with a dot) or lies in one, outside the project's inputs (INPUTS) and
        foundry's own folders. An input reached there is refused: the build never reads
        such a file by its own path, and it is where a checkout keeps what is not the
        project's, uncommitted: a maintainer's or a CI step's `.env`, `.npmrc`, `.netrc`,
        `.aws/`, `.ssh/`. A pull request's `themes/default/static/env.txt -> ../../../.env`
        published that file in the site, and `content/heroes/x.yaml -> ../../.env` printed
        its lines in the build's log (a code frame). Hidden names inside the inputs
        (`content/.drafts/`) are the project's, read as they are; so is a package
        manager's store below node_modules/ (_PACKAGE_STORES). A name is hidden as macOS
        and Windows read it (`hidden`): through `../../\u200c.env` a link read `.env` on
        HFS+, through `../../ENV~1` on NTFS."""
        path = real[len(self.real):]
        if not path.isascii():   # `\u200c.env` is `.env` on a disk of macOS (HFS+: `_HFS_IGNORED`)
            path = path.translate(_HFS_IGNORED)
        first, _, below = path.lstrip(os.sep).partition(os.sep)
        if not first or first in INPUTS:   # most paths: one look, no split of the rest
            return False
        if first[:1] != "." and below[:1] != "." and os.sep + "." not in below and "~" not in path:
            return False   # nothing hidden on the way
        if fold(first) in INPUTS or own_folder(first):
            return False
        rest = os.sep + first + os.sep + below + os.sep
        for store in _PACKAGE_STORES:
            rest = rest.replace(store, _MODULES)
        return any(hidden(part) for part in rest.split(os.sep))

    def _in_git(self, real: str) -> bool:
        """Whether a real path inside the root lies in a `.git` folder (or is a `.git`
        file). Git's own files are never content, and its config is where CI keeps
        the checkout's credentials (actions/checkout writes the token there): a link
        into it would publish them or print them in a code frame, so it counts as
        leading outside. Compared as macOS and Windows compare names (`dot_git`): a
        `.GIT` or `.g\u200cit` there is the `.git` folder."""
        rest = real[len(self.real):].split(os.sep)
        return any(dot_git(part) for part in rest)


_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC


def new_file(name: str, dir_fd: int) -> int:
    """A descriptor of a file made new (O_EXCL, O_NOFOLLOW) at `name` in the folder
    `dir_fd`, for writing: a temporary name one of foundry's writes renames over its
    file (`Boundary.replace`, write/in_place.py). Whatever is at that name already — left
    by a write cut short under this pid (a container's process has the same pid every
    run), or committed there — is removed and never written into: opened to truncate,
    it was written through when it was another name of a file elsewhere (a hard link),
    waited on forever when a FIFO, and, refused, stopped every later write of its file.
    Raises OSError (a folder at the name: IsADirectoryError from the unlink)."""
    try:
        return os.open(name, _NEW_FILE, 0o644, dir_fd=dir_fd)
    except FileExistsError:
        os.unlink(name, dir_fd=dir_fd)
        return os.open(name, _NEW_FILE, 0o644, dir_fd=dir_fd)


def read_resolved(real: Path | str, limit: int | None = None, dir_fd: int | None = None, kept=None) -> bytes:
    """The bytes of a path a Boundary already resolved (no symlink left in it):
    opened with O_NOFOLLOW and O_NONBLOCK, read only when it is a regular file of at
    most `limit` bytes. With `dir_fd` (the descriptor of `real`'s folder) the file is
    opened by its name in that folder. `kept` (load/hash_memo.py KeptBytes): the bytes
    this process read before from the very file opened, unchanged since by its fstat,
    answer without reading it again; bytes read are offered to it. Raises Refused or
    OSError."""
    at = time.time() if kept is not None else 0.0   # before the fstat: what `kept` may keep
    if dir_fd is None:
        fd = os.open(real, _READ)
    else:
        # os.open tells audit hooks only the name it opens in a folder: they are told
        # the whole path first, as an open of it would (tests/speed/test_recorded_reads.py
        # watches every file a render opens this way)
        sys.audit("open", os.fspath(real), None, _READ)
        fd = os.open(os.path.basename(real), _READ, dir_fd=dir_fd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("special", "it is not a regular file")
        if limit is not None and st.st_size > limit:
            raise Refused("size", f"{st.st_size:,} bytes is over the {limit:,}-byte limit")
        if kept is not None:
            found = kept.get(st)
            if found is not None:
                return found
        # read from the descriptor itself to the end (at most limit + 1 bytes: a file
        # grown since its fstat shows as over): a buffered file object over a dup of it
        # cost more than the read itself for a file of a few KB, 10,000 times a check
        cap = None if limit is None else limit + 1
        parts, size = [], 0
        while cap is None or size < cap:
            ask = max(st.st_size + 1 - size, 1 << 16)
            chunk = os.read(fd, ask if cap is None else min(ask, cap - size))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if kept is not None:
            kept.put(st, data, at)
        return data
    finally:
        os.close(fd)


def read_confined(real: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a path a Boundary of this run resolved (a portrait's, a voice clip's,
    read again when its output is rendered), through that Boundary's folder
    descriptors (Boundary.read): a folder on its way swapped for a link since it was
    resolved is refused, never followed. A path no Boundary of this run holds is read
    as read_resolved reads it. Raises Refused or OSError."""
    text = os.fspath(real)
    for fence in _boundaries.values():
        if fence.inside(text):
            return fence.read(text, limit)
    return read_resolved(text, limit)


def refuse(root: Path | str, path: Path | str, diags: Diagnostics) -> None:
    """HF0120 at a link that leads outside the project, by the link's own
    project-relative path: the message names nothing of where it leads or what is there.
    `path` is what a reader was refused; the link is the first step on its way that
    leads out (`schemas -> /elsewhere` for schemas/skills.yaml), so a linked folder is
    one error at the folder, not one per file a reader looked for under it, each
    calling a plain file name a link."""
    base = os.path.abspath(root)
    rel = Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    rel = link_out(base, rel)
    why = boundary(base).why(os.path.join(base, rel)) if ".." not in rel.split("/") else "outside"
    if why == "loop":
        # `a.yaml -> a.yaml`, `a -> b -> a`: it leads nowhere, not out (the writer was told
        # it led outside the project and looked there)
        diags.add("HF0120", f"{rel} is a symbolic link that leads round in a loop: it is not read", Span(rel),
                  hint=f"It leads back to itself (or through more than {MAX_HOPS} links) and names no file: "
                       "replace it with the file itself.")
    elif why == "own":
        # inside the project, but what a build wrote (the writer was told 'outside the
        # project' of a folder they could see in it: on macOS and Windows `Build/` is `build/`)
        diags.add("HF0120", f"{rel} is a symbolic link into foundry's own folders (build/, .foundry-cache/, …): "
                            "it is not read", Span(rel),
                  hint="Those folders hold what a build wrote, never content, in any letter case (on macOS and "
                       "Windows `Build/` is `build/`): link to the file it was made from, or copy it in.")
    elif why == "source":
        # inside the project, but what the World publishes only as it decides (a draft
        # story, a translation): a theme's files are published or drawn as they are
        diags.add("HF0120", f"{rel} is a symbolic link from the theme into the project's sources "
                            "(content/, translations/, schemas/, foundry.toml, or the project's root): it is not read",
                  Span(rel),
                  hint="A theme's files are published as they are, so through this link every story's text (drafts "
                       "too, even in a release build) would be: copy the picture or font the theme needs into the "
                       "theme's own folder, or link to a file in another theme.")
    elif why == "root":
        # the whole checkout as one of the inputs: every file beside the project listed as
        # content, the names of what is not the project's (an uncommitted key's) in the log
        diags.add("HF0120", f"{rel} is a symbolic link to the project's root folder: it is not read", Span(rel),
                  hint="Through it every file of the checkout would be read as this folder's, the project's own "
                       "and what lies beside it: link to the folder or file meant, inside the project's inputs.")
    elif why == "hidden":
        # inside the project, but none of its inputs: where a checkout keeps what is no
        # one's to publish (the writer was told 'outside the project' of a file beside it)
        diags.add("HF0120", f"{rel} is a symbolic link to a hidden file or folder outside the project's inputs "
                            "(content/, schemas/, translations/, themes/, foundry.toml): it is not read", Span(rel),
                  hint="Hidden files beside the project (`.env`, `.npmrc`, `.ssh/`) hold what is not the project's, "
                       "often secrets a checkout keeps uncommitted, and the build never reads them: copy what the "
                       "project needs into content/ or the theme's own folder.")
    elif why == "git":
        diags.add("HF0120", f"{rel} is a symbolic link into .git: it is not read", Span(rel),
                  hint="Git's own files are never content (CI keeps the checkout's credentials there): replace the "
                       "link with the file itself.")
    else:
        diags.add("HF0120", f"{rel} is a symbolic link that leads outside the project: it is not read", Span(rel))


def link_out(base: str, rel: str) -> str:
    """The first of `rel`'s leading paths (`a`, `a/b`, … `rel`) that is a symbolic
    link leading outside `base`, else `rel` itself. Each step is lstat'ed inside the
    project only: the walk stops at the first link out."""
    parts = rel.split("/")
    if ".." in parts:
        return rel
    fence = boundary(base)
    for end in range(1, len(parts)):
        step = "/".join(parts[:end])
        full = os.path.join(base, step)
        if os.path.islink(full) and fence.resolve(full) is None:
            return step
    return rel


_boundaries: dict[str, Boundary] = {}
_absolute: dict[str, Boundary] = {}   # by an absolute root as given: no abspath per file read


def boundary(root: Path | str) -> Boundary:
    """The Boundary of a project root, shared by every reader of one run (so each
    folder is resolved once). `forget()` starts afresh: links may change between runs."""
    found = _absolute.get(root) if type(root) is str else None
    if found is not None:
        return found
    spelled = _from_cwd(root).rstrip(os.sep) or os.sep
    key = os.path.abspath(root)
    if ".." in spelled.split(os.sep):
        # The root is the folder the OS names, as every check of the path judged it
        # (`Boundary.entered`, click's exists): abspath folds `..` by text, so
        # `build-shards/link/../2-of-3` (`link -> sub/deep`) was read as
        # build-shards/2-of-3, a pull request's link out, and what lay outside merged.
        named = os.path.realpath(spelled)
        if named != os.path.realpath(key):
            key = named
    found = _boundaries.get(key)
    if found is None:
        found = _boundaries[key] = Boundary(key)
    if spelled not in (found.root, found.real) and spelled not in found.spellings:
        found.spellings = sorted((*found.spellings, spelled), key=len, reverse=True)
    if type(root) is str and os.path.isabs(root):   # the same folder whatever the current one
        _absolute[root] = found
    return found


def open_roots() -> list[str]:
    """The real roots of the Boundaries of this run (the projects read: programs.py runs
    no program in them)."""
    return [fence.real for fence in _boundaries.values()]


def forget() -> None:
    """Drop remembered resolutions and the folders held open (at the start of each
    build or check)."""
    for fence in _boundaries.values():
        fence.close()
    _boundaries.clear()
    _absolute.clear()


def real_folder(top: Path, folder: str, known: dict[str, bool]) -> bool:
    """Whether `folder` (POSIX, relative to `top`; "" for `top`) is reached from `top`
    through real folders only, no link on the way. `known`: the folders already found
    to be or not (one lstat each, over many calls). Goes up to the nearest known folder,
    then down, in a loop: not by recursion, which a path a thousand folders deep (a pull
    request's file; a theme's static/d/d/.../x.css copied into build/) took past
    Python's limit, and `foundry diff`, `history` and the build were an internal error."""
    above = []
    while folder and folder not in known:
        above.append(folder)
        folder = folder.rpartition("/")[0]
    found = known.get(folder, True)
    for folder in reversed(above):
        if found:
            try:
                found = stat.S_ISDIR(os.lstat(os.path.join(top, folder)).st_mode)
            except OSError:
                found = False
        known[folder] = found
    return found


def make_folders(folder: str | os.PathLike) -> None:
    """`os.makedirs(folder, exist_ok=True)`, one level at a time: the missing folders
    found going up, then made top first. Python 3.11's makedirs (and
    Path.mkdir(parents=True)) calls itself once a level, and an output or a revision's
    file nested some thousand deep (a theme's static/d/d/…/x.css, which a pull request
    can commit) stopped the build with RecursionError. A file in the way raises
    FileExistsError, as makedirs does."""
    folder = os.fspath(folder)
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        up = os.path.dirname(folder)
        if up == folder:
            break
        folder = up
    for folder in reversed(missing):
        try:
            os.mkdir(folder)
        except FileExistsError:
            if not os.path.isdir(folder):   # made meanwhile by another writer: as makedirs, fine
                raise


def remove_tree(path: Path) -> None:
    """Delete a file, link or folder tree without following links out of it (a
    staging folder, write/staging.py; a shard's, engine/shards.py; a revision's copy,
    git/versions.py). Here, in the lowest layer, for those stages alike. One folder at a time,
    not shutil.rmtree: Python 3.11's calls itself once per level (holding a descriptor
    each), and a tree nested some thousand deep where foundry removes one
    (`.foundry-builds/spare`, `.foundry-staging-*`: a pull request can commit one)
    stopped the build with RecursionError. A link is removed, never followed."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            return
    except FileNotFoundError:
        return
    todo, folders = [os.fspath(path)], []
    while todo:
        folder = todo.pop()
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):   # swapped for a link meanwhile
                os.unlink(folder)
                continue
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    else:
                        os.unlink(entry.path)   # a file, a link (never followed), a FIFO
        except FileNotFoundError:
            continue
        folders.append(folder)
    for folder in reversed(folders):   # every folder after those inside it
        try:
            os.rmdir(folder)
        except FileNotFoundError:
            pass
