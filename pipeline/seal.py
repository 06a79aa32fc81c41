"""Proof that this machine wrote a cache or build-state file.

Everything in a checkout can come from a pull request, `.foundry-cache/` and a
committed `build/` included. Caches and build state therefore carry an HMAC made
with a per-user secret key that lives OUTSIDE any work tree:

    $XDG_CACHE_HOME/hero-foundry/key   (or ~/.cache/hero-foundry/key), 32 random bytes, mode 0600

A value whose MAC does not verify is ignored, exactly as if the cache were empty (it
is rebuilt), so a crafted `parsed.sqlite` row, a crafted `state.json` or a crafted
input-hash memo is never used. The MAC covers the purpose (which file, which table)
and the bytes, not the project's path, so a copied project keeps its caches.

When no usable key exists (no writable home, a key file that is a link or readable
by others, or a key inside the project being built or tracked by a repository whose
work tree holds it: seal._usable_at), a random key for this
process is used instead: caches then only help within one run, and nothing from
disk is trusted.

CI runners are fresh machines, each with a key of its own, so a cache restored from
another runner (or a shard made on one) would never verify. `FOUNDRY_SEAL_KEY`, when
set, is the key instead of the file: 64 or more hex digits (32+ random bytes), given
to every job of a workflow from one repository secret (docs/ci.md). A value that is
set but too short or not hex is refused by the CLI (exit 2) and never used as a
key: a weak shared key would let anyone who guesses it forge a cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

KEY_BYTES = 32
KEY_ENV = "FOUNDRY_SEAL_KEY"
_MAGIC = b"hf-seal1 "
_ephemeral = secrets.token_bytes(KEY_BYTES)
_keys: dict[str, bytes | str] = {}   # path → its key, or why it cannot be used


def key_path() -> Path:
    """Where the key lives: the XDG cache folder, which no checkout contains. Raises
    RuntimeError (no usable key: key() makes one for the process) when the home folder
    is missing (never made here) or a relative path (HOME=.): a relative one names the
    current folder, a checkout, where a pull request's committed
    `.cache/hero-foundry/key` was the key of `foundry diff`'s builds of its revisions,
    and each run wrote a key file into the checkout."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "hero-foundry" / "key"
    try:
        home = Path.home()
    except RuntimeError:
        # HOME unset and the user not in the password database (a container run as
        # `--user 1001`): Python's own "Could not determine home directory." read
        # oddly inside HF0745's sentence
        raise RuntimeError("no home folder is known") from None
    if not home.is_absolute():
        raise RuntimeError("the home folder is a relative path")
    # A home folder that is not there is none (HOME=/nonexistent, the system users'
    # convention: Debian's `nobody`, many CI containers' service users): made as the
    # key's parent, a build run as root there created /nonexistent/.cache/….
    if not home.is_dir():
        raise RuntimeError("the home folder does not exist")
    return home / ".cache" / "hero-foundry" / "key"


def key(project_root: Path | str | None = None) -> bytes:
    """This user's secret key (created on first use), or a per-process one when the
    key file cannot be used safely — or would sit inside `project_root`, where a pull
    request could write it."""
    return _chosen(project_root)[0]


def unkept(project_root: Path | str | None = None) -> str | None:
    """Why key(project_root) is this process's own, so that no cache or build state
    outlives the run (every build renders everything again), in words to finish
    "…because": None when the key lasts (FOUNDRY_SEAL_KEY, or a usable key file)."""
    return _chosen(project_root)[1]


def _chosen(project_root: Path | str | None) -> tuple[bytes, str | None]:
    shared = _env_key()
    if shared is not None:
        return shared, None
    try:
        path = key_path()
    except RuntimeError as none:   # no home folder, or a relative one
        # a relative XDG_CACHE_HOME is ignored (the XDG spec; it would name the checkout)
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        home = f"HOME={os.environ['HOME']!r}" if "HOME" in os.environ else "HOME is not set"
        return _ephemeral, (f"{none} ({home}) and XDG_CACHE_HOME is "
                            + (f"a relative path ({xdg!r}), which is not used" if xdg else "not set"))
    if project_root is not None and not _usable_at(os.path.realpath(path), os.path.realpath(project_root)):
        return _ephemeral, (f"the key file {path} would lie inside the project, or in a repository that tracks it, "
                            "where a pull request could write it")
    cached = _keys.get(str(path))
    if cached is None:
        cached = _keys[str(path)] = _load_or_create(path)
    if isinstance(cached, str):
        return _ephemeral, cached
    return cached, None


def _usable_at(real_key: str, real_root: str) -> bool:
    """Whether the key file at `real_key` may be this machine's key for the project at
    `real_root`: not inside the project, and, in every git work tree holding it (around
    the project or around the key: a superproject, a submodule, an old-style submodule
    with its own `.git` folder, a `.cache` made a submodule), not a file that repository
    tracks — which a checkout, so a pull request, wrote. A key in a work tree that git
    cannot answer for (no git, a `.git` that is none) is not used. So a project with no
    repository of its own under a home folder that is a dotfiles repository keeps its
    key (it lies in that work tree, untracked), and a committed
    `.cache/hero-foundry/key` (`XDG_CACHE_HOME` in the checkout, as CI caches want it,
    the checkout made under umask 077) is never this machine's key."""
    if _within(real_key, real_root):
        return False
    found = _answered.get((real_key, real_root))
    if found is None:
        holders = [c for c in {*_checkouts(real_root), *_checkouts(os.path.dirname(real_key))} if _within(real_key, c)]
        found = _answered[real_key, real_root] = all(_untracked(c, real_key) for c in holders)
    return found


_answered: dict[tuple[str, str], bool] = {}


def _within(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _checkouts(folder: str) -> list[str]:
    """Every folder at or above `folder` that holds a `.git` (file or folder): the work
    trees it lies in, nested ones and all those around them (the search went on past
    none: an old-style submodule's `.git` folder stopped it, and the superproject's
    committed key was used)."""
    out = []
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            out.append(folder)
        above = os.path.dirname(folder)
        if above == folder:
            return out
        folder = above


def _untracked(checkout: str, real_key: str) -> bool:
    """Whether git says the repository of the work tree `checkout` tracks no file at
    `real_key` (its submodules' files included); False when git cannot say."""
    import subprocess   # here: most builds never ask
    from .git_process import GitRepo, _git_dir, run_on
    git_dir = _git_dir(Path(checkout, ".git"))
    if git_dir is None:
        return False
    rel = os.path.relpath(real_key, checkout)
    try:
        done = run_on(GitRepo(git_dir, Path(checkout)), Path(checkout), "ls-files", "-z", "--recurse-submodules",
                      "--", f":(literal){rel}")
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and not done.stdout


def env_key_problem() -> str | None:
    """Why FOUNDRY_SEAL_KEY cannot be used (None when it is unset, empty or good):
    for the CLI to refuse the run before anything is read or written."""
    value = os.environ.get(KEY_ENV, "").strip()
    if not value:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return f"{KEY_ENV} must be hex digits (make one with `python3 -c 'import secrets; print(secrets.token_hex(32))'`)"
    if len(raw) < KEY_BYTES:
        return f"{KEY_ENV} has {len(raw)} bytes; a shared key needs at least {KEY_BYTES} (64 hex digits)"
    return None


def _env_key() -> bytes | None:
    """The shared key from FOUNDRY_SEAL_KEY, or None (unset, empty — as an Actions
    secret that is not set reads — or unusable: env_key_problem says why). Hashed
    with a label, so the secret itself never becomes a MAC key elsewhere too."""
    value = os.environ.get(KEY_ENV, "").strip()
    if not value or env_key_problem() is not None:
        return None
    return hashlib.sha256(b"hero-foundry seal key\0" + bytes.fromhex(value)).digest()


def _load_or_create(path: Path) -> bytes | str:
    """The key at `path`, made when missing; else why it cannot be used (words for
    unkept)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            # Written to a fresh temporary name first would need a rename; O_EXCL is
            # enough: a reader that races the write sees a short key and uses its own.
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(KEY_BYTES))
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as stream:
            st = os.fstat(stream.fileno())
            data = stream.read(KEY_BYTES + 1)
    except OSError as failed:
        if os.path.islink(path):
            return f"the key file {path} is a symbolic link"
        return f"the key file {path} cannot be made or read ({failed.strerror or failed})"
    if not stat.S_ISREG(st.st_mode):
        return f"the key file {path} is not a regular file"
    if st.st_mode & 0o077:
        return f"the key file {path} may be read by others (mode {stat.S_IMODE(st.st_mode):o}; its owner only: 600)"
    if st.st_uid != os.getuid():
        return f"the key file {path} belongs to another user"
    if len(data) != KEY_BYTES:
        return f"the key file {path} does not hold {KEY_BYTES} bytes"
    return data


def mac(secret: bytes, purpose: str, data: bytes) -> str:
    """HMAC-SHA256 (hex) of `data` for one purpose ("state", "cache:parsed:<key>"…);
    `secret` is key(root)."""
    return hmac.digest(secret, purpose.encode() + b"\0" + data, hashlib.sha256).hex()


def verify(secret: bytes, purpose: str, data: bytes, tag: object) -> bool:
    return isinstance(tag, str) and hmac.compare_digest(mac(secret, purpose, data), tag)


class Verifier:
    """`verify` (calling it) and `mac` (its `mac`) for many values under one key: the
    key's HMAC state made once and copied for each value, and the purpose and the
    bytes fed to it as they are (not joined into a copy first). The same MACs as
    `mac`. At 10,000 heroes a list's worker verifies 23,000-60,000 stored rows after
    one edit (engine/memo.py): ~1.9 µs each by `verify`, ~1.2 this way; a clean build
    seals ~110,000 list rows (load/cache.py `_sealed`): ~2.5 µs each by `mac`, ~1.8."""

    __slots__ = ("_keyed",)

    def __init__(self, secret: bytes):
        self._keyed = hmac.new(secret, digestmod=hashlib.sha256)

    def __call__(self, purpose: str, data: bytes, tag: object) -> bool:
        if not isinstance(tag, str):
            return False
        return hmac.compare_digest(self.mac(purpose, data), tag)

    def mac(self, purpose: str, data: bytes) -> str:
        """`mac(secret, purpose, data)`."""
        h = self._keyed.copy()
        h.update(purpose.encode() + b"\0")
        h.update(data)
        return h.hexdigest()


def seal(secret: bytes, purpose: str, data: bytes) -> bytes:
    """`data` with its MAC in front: one line `hf-seal1 <mac>`, then the bytes."""
    return _MAGIC + mac(secret, purpose, data).encode() + b"\n" + data


def unseal(secret: bytes, purpose: str, blob: bytes) -> bytes | None:
    """The bytes `seal` wrapped, or None when the MAC is missing or wrong."""
    if not blob.startswith(_MAGIC):
        return None
    head, sep, data = blob.partition(b"\n")
    if not sep:
        return None
    tag = head[len(_MAGIC):].decode("ascii", "replace")
    return data if verify(secret, purpose, data, tag) else None
