"""Ids and names as foundry spells them: the patterns an id and a name must match, the
names Windows keeps for devices, the expression language's own words, and the one
speller every hint that suggests an id or a name uses (`spell_id`, `spell_name`).

Apart from pipeline/fields.py (the content models' field types) because these need no
pydantic: a no-op build and a comment edit cut off before the load (engine/cutoff.py)
read ids without validating anything, and importing pydantic cost them ~60 ms and
11 MiB (docs/performance.md, the twenty-sixth session).
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                                  *(f"lpt{i}" for i in range(10))})
"""Slugs Windows keeps for devices whatever follows the dot (`con.yaml`, `con.html`): git
for Windows refuses to check such a file out and no page of that name can be saved
there, so an id cannot be one (HF0161, `foundry new`)."""

def spell_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """`text` (a key written wrong: `Gold Coins`, `Größe`) as a name the expression
    language can use, for a hint to name: lowercase ASCII, underscores between words,
    starting with a letter, at most 64 characters; never one of its own words (`Set` →
    `set_`, as HF0204 says of `set:`) nor one of `taken` (the other names beside it:
    `Coins` beside `coins` → `coins_2`). "" when `text` spells none."""
    spelled = in_ascii(text)
    name = re.sub(r"[^a-z0-9]+", "_", spelled.lower()).strip("_").lstrip("0123456789_")[:64].rstrip("_") \
        if spelled is not None else ""
    if not name:
        return ""
    stem, n = name, 2
    if name in EXPRESSION_WORDS:
        name += "_"
    while name in taken or name in EXPRESSION_WORDS:
        name = f"{stem[:64 - len(f'_{n}')]}_{n}"
        n += 1
    return name


def free_slug(taken: str, used: set[str] | frozenset[str], limit: int = 64) -> str:
    """An id a hint can suggest for the second user of the slug `taken`: `taken-2`
    (or -3, …) that nothing in `used` has, at most `limit` characters (the slug cut at a
    hyphen to fit), so the suggestion is never refused again."""
    n = 2
    while True:
        stem = taken[:limit - len(f"-{n}")]
        stem = stem.rsplit("-", 1)[0] if len(stem) < len(taken) and "-" in stem else stem
        if f"{stem}-{n}" not in used:
            return f"{stem}-{n}"
        n += 1


# Latin letters NFKD leaves whole (no accent to take off): the ASCII an id spells each with.
_SPELLED = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
                          "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ł": "l", "Ł": "l",
                          "ı": "i", "ŋ": "n", "Ŋ": "n", "ħ": "h", "Ħ": "h"})


def in_ascii(value: str) -> str | None:
    """`value`'s letters as an id may spell them (`Kéa` → `Kea`, `Straße` → `Strasse`), or
    None when one has no such spelling (`北斗`): an id made of the rest ('Ærø' → 'r') is
    not the one meant."""
    import unicodedata
    text = "".join(ch for ch in unicodedata.normalize("NFKD", value.translate(_SPELLED))
                   if not unicodedata.combining(ch))
    return None if any(not ch.isascii() and ch.isalnum() for ch in text) else text


def spell_id(text: str, taken: set[str] | frozenset[str] = frozenset(), limit: int = 64,
             fallback: str = "") -> str:
    """The one speller of every id a hint or `foundry new` suggests: `text` (a name, a
    title, an id written wrong) as a slug a writer can copy and have accepted.
    Lowercase ASCII (`Kéa` → `kea`, `Straße` → `strasse`), hyphens between words, at
    most `limit` characters and never ending in a hyphen (where a cut fell), never a
    Windows device name (`CON` → `con-1`: HF0161), never one of `taken` (the ids of
    its kind already there, and those suggested before it: `road` → `road-2`).
    `fallback` (a slug) when `text` spells none (`北斗`, `---`); "" when that is ""."""
    spelled = in_ascii(text)
    slug = re.sub(r"[^a-z0-9]+", "-", spelled.lower()).strip("-")[:limit].rstrip("-") if spelled is not None else ""
    slug = slug or fallback
    if not slug:
        return ""
    if slug in WINDOWS_DEVICE_NAMES:
        slug = f"{slug}-1"
    return free_slug(slug, {*taken, *WINDOWS_DEVICE_NAMES}, limit) if slug in taken else slug


"""An entity, scene, skill or item id: lowercase ASCII words joined by hyphens."""

EXPRESSION_WORDS = frozenset({"and", "or", "not", "true", "false", "set", "unset", "give", "take"})
"""The expression language's own words (expr/tokens.py `KEYWORDS`): no name can be one,
as `not >= 2` would read the word, not the name."""

NOT_A_WORD = "is a word of the expression language (" + ", ".join(sorted(EXPRESSION_WORDS)) + ")"
