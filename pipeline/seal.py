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
by others, or a key folder inside the project being built or inside the work tree of
the repository holding it, a submodule's being the checkout it lies in), a random key for this
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
import re
import secrets
import stat
from pathlib import Path

KEY_BYTES = 32
KEY_ENV = "FOUNDRY_SEAL_KEY"
_MAGIC = b"hf-seal1 "
_ephemeral = secrets.token_bytes(KEY_BYTES)
_keys: dict[str, bytes] = {}


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
    home = Path.home()
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
    shared = _env_key()
    if shared is not None:
        return shared
    try:
        path = key_path()
    except RuntimeError:   # no home folder, or a relative one
        return _ephemeral
    if project_root is not None:
        # inside the project, or inside the work tree of the repository holding it (a
        # project in a subfolder, `--project world`, with XDG_CACHE_HOME in the checkout
        # as CI caches want it): a committed key there, checked out 0600 under umask 077,
        # was this machine's key, and a committed cache sealed with it was trusted
        real_key = os.path.realpath(path)
        if any(real_key.startswith(folder.rstrip(os.sep) + os.sep) for folder in _holders(project_root)):
            return _ephemeral
    cached = _keys.get(str(path))
    if cached is None:
        cached = _keys[str(path)] = _load_or_create(path) or _ephemeral
    return cached


def _holders(project_root: Path | str) -> list[str]:
    """The project's real folder and, when one of its folders (itself or one above)
    holds a `.git`, that folder: the work tree a checkout writes; for a submodule's,
    the work tree of the repository it is checked out in (`_superproject`)."""
    real = os.path.realpath(project_root)
    checkout = _checkout_around(real)
    return [real, _superproject(checkout) or checkout] if checkout is not None else [real]


def _checkout_around(folder: str) -> str | None:
    """The nearest folder at or above `folder` that holds a `.git` (file or folder), or
    None when none does up to the root."""
    while not os.path.lexists(os.path.join(folder, ".git")):
        above = os.path.dirname(folder)
        if above == folder:
            return None
        folder = above
    return folder


def _superproject(folder: str) -> str | None:
    """The outermost work tree a submodule checked out at `folder` lies in, or None
    when `folder` is no submodule's. A submodule's `.git` is a file naming its
    repository inside the superproject's (`gitdir: ../.git/modules/sub`): the project
    in one (`--project sub/world`, or a pull request making `world` a submodule) has the
    superproject's checkout around it, where a committed key was used. A worktree's
    `.git` names `.git/worktrees/…` and a repository of one's own is a folder: each is
    its own work tree (a home folder that is a dotfiles repository keeps its key)."""
    dot = os.path.join(folder, ".git")
    if os.path.islink(dot) or not os.path.isfile(dot):
        return None
    try:
        with open(dot, encoding="utf-8", errors="replace") as file:
            text = file.read(4096)
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    gitdir = os.path.realpath(os.path.join(folder, text[len("gitdir:"):].strip()))
    if not _SUBMODULE_GITDIR.search(gitdir.replace(os.sep, "/")):
        return None
    # the checkout it lies in is the nearest folder above with a `.git` (its repository
    # is not where that checkout is when the superproject is a worktree: a submodule of
    # `git worktree add ../wt1` names `main/.git/worktrees/wt1/modules/…`, and was taken
    # for its own work tree); a submodule's submodule lies in the outermost
    above = _checkout_around(os.path.dirname(folder))
    return None if above is None else _superproject(above) or above


# A submodule's repository: in its superproject's `.git/modules/`, or in the worktree's
# own `.git/worktrees/<name>/modules/` when the superproject is a linked worktree
_SUBMODULE_GITDIR = re.compile(r"/\.git/(?:worktrees/[^/]+/)?modules/")


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


def _load_or_create(path: Path) -> bytes | None:
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
        if (not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or st.st_uid != os.getuid()
                or len(data) != KEY_BYTES):
            return None
        return data
    except OSError:
        return None


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
