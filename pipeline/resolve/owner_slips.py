"""HF0904: an [owners] rule in foundry.toml that names nothing the project has.

`"hero:frist-hero" = ["writers"]` or `"contnet/quests/" = ["design"]` was taken
without a word: `foundry codeowners` wrote a CODEOWNERS line for a file that does not
exist, and the files the writer meant stayed unowned (or owned by the wrong team).

What is said, and why not more:
- An entity rule (`hero:aria`) names one file, `content/heroes/aria.yaml`: when there
  is none, the rule is a slip (an entity to come is written when it comes), said with
  the id meant.
- A folder or path rule may name a folder that is empty on purpose, or one to come
  (git keeps no empty folder): it is said only when one of its names is not there and
  a name near it is (`contnet/` beside `content/`), so the slip is sure and the hint
  gives the pattern meant. A glob's names (`*`, `?`) and what follows them are not
  judged.

Only the folders on a rule's way are listed (never the whole project), each once, by
the project's Boundary: a link out is left to the load, which says it (HF0120).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..confine import boundary
from ..diagnostics import EACH_SAID, Diagnostics, clip, did_you_mean, suggestion, the_rest
from ..load.files import KIND_DIRS


class Listing:
    """The names in each folder of one project, read once each (a foundry.toml may hold
    thousands of rules under one folder)."""

    def __init__(self, root: Path):
        self.root = root
        self.fence = boundary(root)
        self._names: dict[str, frozenset[str] | None] = {}

    def names(self, rel: str) -> frozenset[str] | None:
        """The names in the project folder `rel` ("" for the project's own), None when
        it is no folder, or one reached through a link out of the project."""
        if rel not in self._names:
            real = self.fence.resolve(self.root / rel) if rel else self.fence.resolve(self.root)
            try:
                with os.scandir(real) as entries:   # type: ignore[arg-type]
                    found: frozenset[str] | None = frozenset(e.name for e in entries)
            except (OSError, TypeError):   # TypeError: resolve said None (a link out)
                found = None
            self._names[rel] = found
        return self._names[rel]


def entity_slip(listing: Listing, kind: str, eid: str) -> str | None:
    """The hint for an entity rule naming no file of its kind (None when the file is
    there, or its folder cannot be listed: a link out, said by the load)."""
    folder, suffix = KIND_DIRS[kind]
    names = listing.names(f"content/{folder}")
    if names is None:
        return None if listing.fence.lexists(listing.root / "content" / folder) else \
            f"There is no content/{folder}/ folder yet: add the {kind} first, or remove the rule."
    if eid + suffix in names:
        return None
    ids = [n[: -len(suffix)] for n in names if n.endswith(suffix) and len(n) > len(suffix)]
    return suggestion(eid, ids, f"Name a {kind} by its file name in content/{folder}/ without {suffix}, "
                                "or remove the rule.")


def path_slip(listing: Listing, pattern: str) -> str | None:
    """`pattern` with its first misspelt name put right, when one of its names (before
    any `*` or `?`) is not in its folder and a name near it is; else None."""
    parts = pattern.split("/")
    for at, name in enumerate(parts):
        if not name or "*" in name or "?" in name:
            return None
        names = listing.names("/".join(parts[:at]))
        if names is None:
            return None
        if name in names:
            continue
        near = did_you_mean(name, names)
        return "/".join([*parts[:at], near, *parts[at + 1:]]) if near else None
    return None


def check_rule_matches(root: Path, rules, place, diags: Diagnostics) -> None:
    """HF0904 at each rule of `rules` ((key as written, pattern), in foundry.toml's
    order) that names nothing the project has, at its key (`place(key)`); the first
    EACH_SAID said each, the rest in one line."""
    listing = Listing(root)
    said, rest = 0, None
    for key, pattern in rules:
        kind, _, eid = key.partition(":")
        entity = pattern == _entity_pattern(kind, eid)
        hint = entity_slip(listing, kind, eid) if entity else None
        fixed = None if entity else path_slip(listing, pattern)
        if hint is None and fixed is None:
            continue
        said += 1
        if said > EACH_SAID:
            rest = rest or key
            continue
        if entity:
            folder, suffix = KIND_DIRS[kind]
            diags.add("HF0904", f"[owners] '{clip(key, 40)}' names no {kind}: there is no "
                                f"content/{folder}/{clip(eid, 40)}{suffix}", place(key), hint=hint)
        else:
            diags.add("HF0904", f"[owners] '{clip(key, 40)}' matches no file: there is no "
                                f"'{clip(_missing_part(listing, pattern), 60)}' in the project", place(key),
                      hint=f"Did you mean '{clip(fixed, 60)}'? Patterns are relative to the project folder "
                           "and letter case counts, as on GitHub.")
    if rest is not None:
        diags.add("HF0904", f"[owners] {the_rest(said, 'table')}", place(rest),
                  hint="Correct or remove the rules that name nothing the project has.")


def _entity_pattern(kind: str, eid: str) -> str | None:
    if kind not in KIND_DIRS or not eid:
        return None
    folder, suffix = KIND_DIRS[kind]
    return f"content/{folder}/{eid}{suffix}"


def _missing_part(listing: Listing, pattern: str) -> str:
    """The pattern up to and with its first name that is not there (`contnet/`)."""
    parts = pattern.split("/")
    for at, name in enumerate(parts):
        names = listing.names("/".join(parts[:at]))
        if names is None or name not in names:
            return "/".join(parts[: at + 1]) + ("/" if at + 1 < len(parts) else "")
    return pattern
