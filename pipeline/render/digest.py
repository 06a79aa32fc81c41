"""The freshness rule of every artifact (write/state.py) and fragment
(render/fragments.py): one hash over the current content hashes of what it read.
A module of its own so that a no-op build can check freshness without importing
the World."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def digest(keys: tuple[str, ...], hashes: Mapping[str, str]) -> str:
    """One hash over the current content hashes of `keys` (sorted): "-" for a key the
    World no longer knows, so a removed input counts as a change. The freshness rule
    of every artifact (write/state.py) and fragment (render/fragments.py)."""
    h = hashlib.sha256()
    for key in keys:
        h.update(f"{key}\0{hashes.get(key, '-')}\n".encode())
    return h.hexdigest()


# Backdating's keys (render/fragments.py FragmentMemo `backdate`): here, beside the rule
# they serve, for the state's writer and the builder without the fragments' imports.
MADE = "made:"


def token_key(exporter: str, short: str) -> str:
    """The input key of fragment `short` (its key without exporter and recipe) of
    `exporter`, as a fragment made from it records it (FragmentMemo `backdate`)."""
    return f"{MADE}{exporter}|{short}"


def owner_of(short: str) -> str | None:
    """The entity a list row `<name>:<kind>:<id>` is of (`<kind>:<id>`), or None: a key
    in a language (`de/…`) or of another shape."""
    name, _, owner = short.partition(":")
    return owner if owner and name and "/" not in name and ":" in owner else None


def token(data: bytes, reads: tuple[str, ...], owner: str) -> str:
    """A made key's hash: of the fragment's bytes and of its reads other than its
    owner (those are the reader's own reads too: a change of one of them makes the
    reader stale by itself; a row that reads other keys than before is another row)."""
    h = hashlib.sha256(data)
    h.update(b"\0" + "\n".join(read for read in reads if read != owner).encode())
    return h.hexdigest()


def split_token(key: str) -> tuple[str, str] | None:
    """(exporter, short key) of a made key, or None for any other key."""
    if not key.startswith(MADE):
        return None
    exporter, _, short = key[len(MADE):].partition("|")
    return (exporter, short) if short else None
