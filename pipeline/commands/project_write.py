"""Every file a command writes into the project (or its repository) goes through here.

The verbs that write — `init`, `new hero|story`, `import`, `l10n tag|extract`,
`schemas`, `codeowners` — follow one rule, so that nothing a user made is lost:

- nothing is written **through** a symbolic link: every folder on the way from the
  root (the folder the user chose, trusted as given) must be a real folder, not a
  link (even one inside the project: the file would land somewhere the writer does not
  look) and not a file, FIFO or device;
- nothing is written **over** a symbolic link, a FIFO, a socket, a device or a folder
  (writing to a FIFO waits forever; replacing a link turns the user's link into a
  file): HF0125 is how the loader names such files, and these words are its words;
- a regular file is replaced only when the verb's job is to update it
  (`replace=True`: a translation file `l10n extract` merged, a file `l10n tag` adds
  ids to, a generated schema or CODEOWNERS), never otherwise (`new`, `import`,
  `init` create only: `FileExistsError` is the answer even when the file appears
  between the look and the write);
- a write is atomic: a temporary file in the same folder, then a rename (a new file
  is linked into place, which fails if one appeared meanwhile), keeping an existing
  file's permissions;
- a replaced file keeps its form (`in_form_of`): its UTF-8 byte order mark (Windows
  Notepad, Excel's "CSV UTF-8"), and, for bytes a serialiser made (`serialised`), the
  line ends it mostly uses (CR LF from a Windows editor or Poedit on Windows) and a
  missing last line break: only what the verb changed shows in `git diff`;
- a file is replaced only while it holds the bytes the verb read it as (`read`, their
  SHA-256): one a translator or writer saved since is left as they saved it
  (`Changed`, HF0167), never overwritten with what the verb made of the older bytes.

A refusal is `Unwritable` with a message naming the path relative to the root,
nothing outside it; the verbs report it as HF0165 at that path.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path, PurePosixPath

from ..confine import boundary
from ..diagnostics import Diagnostics, Span


class Unwritable(Exception):
    """A write refused by the rule above. `path` (relative to the root, POSIX) is where."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path, self.message = path, message

    def report(self, diags: Diagnostics) -> None:
        diags.add("HF0165", self.message, Span(self.path))


class Changed(Unwritable):
    """The file changed on disk after the verb read it (an editor saved it meanwhile):
    not written, so that the newer words are not lost (HF0167)."""

    def report(self, diags: Diagnostics) -> None:
        diags.add("HF0167", self.message, Span(self.path))


UTF8_MARK = b"\xef\xbb\xbf"


def in_form_of(old: bytes, new: bytes, serialised: bool) -> bytes:
    """`new`, the bytes that replace the file holding `old`, in that file's form: with
    its UTF-8 byte order mark when it had one (the readers drop it, and the file written
    back without it changed its first line, one nobody asked to change). `serialised`:
    `new` came from a serialiser (PO, XLIFF, CSV), whose line ends and last line break
    are its own, not the file's: they become the line ends `old` mostly uses (CR LF or
    LF; a Windows translator's whole file showed as changed) and, when `old` ended
    without a line break, so does `new`. Text edited in place (`l10n tag` keeps each
    line's own ends) is not `serialised`."""
    body = new[len(UTF8_MARK):] if new.startswith(UTF8_MARK) else new
    if serialised and b"\n" in old:
        crlf = old.count(b"\r\n")
        body = body.replace(b"\r\n", b"\n")
        if crlf > old.count(b"\n") - crlf:
            body = body.replace(b"\n", b"\r\n")
        if not old.endswith(b"\n"):
            body = body.removesuffix(b"\r\n") if body.endswith(b"\r\n") else body.removesuffix(b"\n")
    return (UTF8_MARK if old.startswith(UTF8_MARK) else b"") + body


class Refusals:
    """The refusals of one run of a verb, said once per path that refused them: a link
    on the way (`translations/de -> /elsewhere`, a linked `themes/`) refuses every file
    under it, and each saying the same is one slip told as many errors (l10n extract said
    it once per translation file). The first refusal at a path is said, with how many
    other files it kept from being written."""

    def __init__(self) -> None:
        self._by_path: dict[str, list[Unwritable]] = {}

    def add(self, err: Unwritable) -> None:
        """Note `err`, to be said by `report`."""
        self._by_path.setdefault(err.path, []).append(err)

    def __bool__(self) -> bool:
        return bool(self._by_path)

    def report(self, diags: Diagnostics) -> None:
        """HF0165 in `diags`, once for each path that refused a write."""
        for errors in self._by_path.values():
            first = errors[0]
            if len(errors) > 1:
                first = type(first)(first.path, f"{first.message} (nor {len(errors) - 1} other file"
                                               f"{'s' * (len(errors) != 2)} under it)")
            first.report(diags)


def _what(mode: int) -> str:
    return ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode)
            else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a file" if stat.S_ISREG(mode) else "not a regular file")


def _parts(rel: str) -> list[str]:
    parts = [p for p in PurePosixPath(rel).parts if p not in ("", ".")]
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise Unwritable(rel, f"{rel} is not a path inside the project; nothing written")
    return parts


def writable(root: Path, rel: str, replace: bool, limit: int | None = None) -> bytes | None:
    """Whether `rel` (under `root`) may be written by the rule above, without writing
    anything: raises Unwritable, else returns the file's current bytes (None when it
    is not there yet), only the first `limit` of them when it holds more. Nothing
    outside the project is looked at: each step is lstat'ed and the walk stops at the
    first link."""
    parts = _parts(rel)
    current = os.fspath(root)
    for n, part in enumerate(parts):
        current = os.path.join(current, part)
        shown = "/".join(parts[:n + 1])
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return None   # this and everything below it is made by the write
        last = n == len(parts) - 1
        if stat.S_ISLNK(mode):
            # said as the loader says it (HF0120) when it leads out; where to is never said
            out = " that leads outside the project" if boundary(root).resolve(current) is None else ""
            raise Unwritable(shown, f"{shown} is a symbolic link{out}: foundry writes nothing "
                             f"{'over' if last else 'through'} one{'' if last else f', so {rel} is not written'}")
        if not last and not stat.S_ISDIR(mode):
            raise Unwritable(shown, f"{shown} is {_what(mode)}, not a folder: {rel} is not written")
        if last and not stat.S_ISREG(mode):
            raise Unwritable(shown, f"{shown} is {_what(mode)}, not a file: foundry does not write over it")
    if not replace:
        raise FileExistsError(errno.EEXIST, "exists", rel)
    fd = os.open(os.path.join(root, *parts), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):   # swapped since the lstat
            raise Unwritable(rel, f"{rel} is not a regular file: foundry does not write over it")
        with os.fdopen(os.dup(fd), "rb") as stream:
            return stream.read() if limit is None or found.st_size <= limit else stream.read(limit)
    finally:
        os.close(fd)


def write_file(root: Path, rel: str, data: bytes, replace: bool = False, *, read: str | None = None,
               serialised: bool = False) -> bool:
    """Write `data` to `rel` under `root` by the rule above. A file replaced gets `data`
    in its form (`in_form_of`, `serialised` said there); `read`: the SHA-256 (hex) of
    the bytes the verb read the file as, which it must still hold (else `Changed`).
    False when the file already holds exactly what would be written (nothing written).
    Raises Unwritable (Changed among them), FileExistsError (`replace` false and the
    file is there) or OSError (a full disk …)."""
    # what is replaced is read for its form (a byte-order mark, its line ends) and to tell
    # whether it holds `data` already: its head tells both of a file far larger than
    # `data` (a pull request's 1.5 GB file in an editor schema's place was read whole by
    # `foundry schemas`, MemoryError). Whole when the verb read it (`read`: its hash) and
    # for a serialiser's bytes (`in_form_of` keeps the old file's missing last line break).
    whole = read is not None or serialised
    current = writable(root, rel, replace, None if whole else max(2 * len(data), 1 << 20))
    if current is not None:
        if read is not None and hashlib.sha256(current).hexdigest() != read:
            raise Changed(rel, f"{rel} changed on disk while foundry ran (saved by an editor?): "
                               "not written, so nothing saved there is lost")
        data = in_form_of(current, data, serialised)
    if current == data:
        return False
    try:
        _write(root, rel, data, current)
    except (FileExistsError, IsADirectoryError, NotADirectoryError):
        raise
    except OSError as exc:
        # a read-only or full disk, a folder not ours to write in: said at the file asked
        # for (`cannot use …/content/heroes/k2.yaml: Read-only file system`), not at the
        # temporary file beside it, whose name the writer has never seen, nor without a
        # name (a write past a full disk or a file-size limit names no file: foundry
        # took that for its own bug, an "internal error")
        target = os.path.join(root, *_parts(rel))
        if exc.filename is not None and os.fspath(exc.filename) == target:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), target) from None
    return True


def _write(root: Path, rel: str, data: bytes, current: bytes | None) -> None:
    """write_file's write, once `writable` has judged `rel` (holding `current`)."""
    parts = _parts(rel)
    folder = os.fspath(root)
    for n, part in enumerate(parts[:-1]):
        folder = os.path.join(folder, part)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        mode = os.lstat(folder).st_mode   # made by us, or there before: a real folder either way
        if not stat.S_ISDIR(mode):
            shown = "/".join(parts[:n + 1])
            raise Unwritable(shown, f"{shown} is {_what(mode)}, not a folder: {rel} is not written")
    target = os.path.join(folder, parts[-1])
    tmp = os.path.join(folder, f".{parts[-1]}.foundry-{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if current is None:
            try:
                os.link(tmp, target, follow_symlinks=False)   # fails if anything appeared there meanwhile
            except FileExistsError:
                raise FileExistsError(errno.EEXIST, "exists", rel) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                _create(target, data, rel)   # a file system without hard links: O_EXCL instead
        else:
            mode = os.lstat(target).st_mode
            if not stat.S_ISREG(mode):   # swapped since the look: the rule again
                raise Unwritable(rel, f"{rel} is {_what(mode)}, not a file: foundry does not write over it")
            os.chmod(tmp, stat.S_IMODE(mode))
            os.replace(tmp, target)   # replaces the name: never writes through whatever is there
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _create(target: str, data: bytes, rel: str) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "exists", rel) from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def remove_file(root: Path, rel: str, expected: bytes) -> bool:
    """Remove `rel` under `root` (a translation file `l10n extract` moved into another)
    by the rule above — never through a link, never a link, FIFO or folder in its
    place — and only while it holds `expected`, the bytes the verb read: a file changed
    since is left as it is (False). Raises Unwritable or OSError."""
    if writable(root, rel, replace=True) != expected:
        return False
    os.unlink(os.path.join(root, *_parts(rel)))
    return True
