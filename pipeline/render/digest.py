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
