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

import difflib
import os
import unicodedata
from pathlib import Path

from ..confine import boundary
from ..diagnostics import EACH_SAID, Diagnostics, clip, did_you_mean, suggestion, the_rest
from ..l10n.tags import LANGUAGE_FOLDERS, two_languages
from ..load.files import KIND_DIRS


# Names compared in all when looking for a near name, a full comparison counted as 10
# (~1 s at worst): 10,000 rules each naming a file gone from a folder of 3,000 heroes
# (no name near any) compared 30 million, 77 s.
# Past it a rule is not judged: HF0904 is a warning about a slip, never worth a minute.
NEAR_COMPARISONS = 300_000


class Listing:
    """The names in each folder of one project, read once each (a foundry.toml may hold
    thousands of rules under one folder)."""

    def __init__(self, root: Path):
        self.root = root
        self.fence = boundary(root)
        self._names: dict[str, frozenset[str] | None] = {}
        self._folded: dict[str, tuple[str, ...]] = {}
        self._composed: dict[str, frozenset[str]] = {}
        self._near: dict[tuple[str, str], bool] = {}
        self.budget = NEAR_COMPARISONS

    def has(self, rel: str, name: str) -> bool:
        """Whether the folder `rel` holds `name`, however its accents are composed: macOS
        writes `é` as `e` + U+0301 on disk where foundry.toml has one `é`, and git
        (core.precomposeunicode) commits the one `é` the rule names."""
        names = self.names(rel) or frozenset()
        if name in names:
            return True
        if rel not in self._composed:
            self._composed[rel] = frozenset(unicodedata.normalize("NFC", n) for n in names)
        return unicodedata.normalize("NFC", name) in self._composed[rel]

    def near_names(self, rel: str) -> list[str]:
        """The names in `rel` a slip may have meant: not `.git`, which no rule owns
        (`.github/`, a rule for the CODEOWNERS `foundry codeowners` is yet to write,
        is no slip for '.git/')."""
        return sorted(n for n in self.names(rel) or () if n != ".git")

    def has_near(self, rel: str, name: str) -> bool:
        """Whether did_you_mean(name, the names in `rel`) finds one, deciding it at the
        first name near enough: each rule's slip is decided so, and only those said get
        their best name (did_you_mean over the whole folder), or 10,000 rules under a
        folder of 3,000 heroes ran did_you_mean 10,000 times (~60 ms each). Past
        NEAR_COMPARISONS names compared in all, a name is not judged (False)."""
        key = (rel, name)
        if key not in self._near:
            if rel not in self._folded:
                self._folded[rel] = tuple(sorted({n.casefold() for n in self.near_names(rel)}))
            folded = name.casefold()
            matcher = difflib.SequenceMatcher()
            matcher.set_seq2(folded)
            near = False
            for other in self._folded[rel]:   # as difflib.get_close_matches, cutoff 0.6
                self.budget -= 1
                if self.budget < 0:
                    break
                if other == folded:
                    near = True   # the same name in another case: a sure slip
                    break
                matcher.set_seq1(other)
                if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                    continue
                self.budget -= 10   # the full comparison: ~10 times the quick ones
                if matcher.ratio() >= 0.6 and not self.two_languages(rel, name, other):
                    near = True
                    break
            self._near[key] = near
        return self._near[key]

    @staticmethod
    def two_languages(rel: str, name: str, other: str) -> bool:
        """Whether `name` and `other`, in the folder `rel`, are two languages' folders
        (`translations/pt-PT/` owned before it is made, beside `pt-BR/`): no slip."""
        return rel in LANGUAGE_FOLDERS and two_languages(name, other)

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


def entity_missing(listing: Listing, kind: str, eid: str) -> bool:
    """Whether an entity rule names no file of its kind (False when the file is there,
    or its folder is one reached through a link out, said by the load)."""
    folder, suffix = KIND_DIRS[kind]
    names = listing.names(f"content/{folder}")
    if names is None:
        return not listing.fence.lexists(listing.root / "content" / folder)
    return eid + suffix not in names


def entity_slip(listing: Listing, kind: str, eid: str) -> str:
    """The hint for an entity rule entity_missing says names no file."""
    folder, suffix = KIND_DIRS[kind]
    names = listing.names(f"content/{folder}")
    if names is None:
        return f"There is no content/{folder}/ folder yet: add the {kind} first, or remove the rule."
    ids = [n[: -len(suffix)] for n in names if n.endswith(suffix) and len(n) > len(suffix)]
    return suggestion(eid, ids, f"Name a {kind} by its file name in content/{folder}/ without {suffix}, "
                                "or remove the rule.")


def path_slip_at(listing: Listing, pattern: str) -> int | None:
    """The index of `pattern`'s first misspelt name, when one of its names (before any
    `*` or `?`) is not in its folder and a name near it is; else None."""
    parts = pattern.split("/")
    for at, name in enumerate(parts):
        if not name or "*" in name or "?" in name:
            return None
        folder = "/".join(parts[:at])
        names = listing.names(folder)
        if names is None:
            return None
        if listing.has(folder, name):
            continue
        return at if listing.has_near(folder, name) else None
    return None


def path_slip(listing: Listing, pattern: str, at: int) -> str:
    """`pattern` with its name at `at` (path_slip_at's) put right."""
    parts = pattern.split("/")
    folder = "/".join(parts[:at])
    near = did_you_mean(parts[at], [n for n in listing.near_names(folder)
                                    if not listing.two_languages(folder, parts[at], n)])
    return "/".join([*parts[:at], near or parts[at], *parts[at + 1:]])


def check_rule_matches(root: Path, rules, place, diags: Diagnostics) -> None:
    """HF0904 at each rule of `rules` ((key as written, pattern), in foundry.toml's
    order) that names nothing the project has, at its key (`place(key)`); the first
    EACH_SAID said each, the rest in one line."""
    listing = Listing(root)
    said, rest = 0, None
    for key, pattern in rules:
        kind, _, eid = key.partition(":")
        entity = pattern == _entity_pattern(kind, eid)
        if pattern.startswith("**/") and "/" not in key:
            # a name with no folder, matched at any depth (governance._pattern): judged at
            # the project's top, where `foundry.tml` meant the project's foundry.toml
            pattern = pattern[3:]
        slip = None if entity else path_slip_at(listing, pattern)
        if not (entity_missing(listing, kind, eid) if entity else slip is not None):
            continue
        said += 1
        if said > EACH_SAID:   # counted, not hinted: a hint's near name is a search of its folder
            rest = rest or key
            continue
        if entity:
            folder, suffix = KIND_DIRS[kind]
            diags.add("HF0904", f"[owners] '{clip(key, 40)}' names no {kind}: there is no "
                                f"content/{folder}/{clip(eid, 40)}{suffix}", place(key),
                      hint=entity_slip(listing, kind, eid))
        else:
            fixed = path_slip(listing, pattern, slip)
            diags.add("HF0904", f"[owners] '{clip(key, 40)}' matches no file: there is no "
                                f"'{clip(_missing_part(pattern, slip), 60)}' in the project", place(key),
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


def _missing_part(pattern: str, at: int) -> str:
    """The pattern up to and with its name at `at`, the one not there (`contnet/`)."""
    parts = pattern.split("/")
    return "/".join(parts[: at + 1]) + ("/" if at + 1 < len(parts) else "")
