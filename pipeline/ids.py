"""Ids and names as foundry spells them: the patterns an id and a name must match, the
names Windows keeps for devices, the name of the page listing a kind's entities
(`LIST_PAGE`), the expression language's own words, and the one
speller every hint that suggests an id or a name uses (`spell_id`, `spell_name`).

Apart from pipeline/fields.py (the content models' field types) because these need no
pydantic: a no-op build and a comment edit cut off before the load (engine/cutoff.py)
read ids without validating anything, and importing pydantic cost them ~60 ms and
11 MiB (docs/performance.md, the twenty-sixth session).
"""

from __future__ import annotations

import re


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Spaces a writer's editor types that YAML, Markdown's syntax and the expression language
# do not read as a space (a regular expression's character class, without brackets): a
# no-break space (macOS's Option+Space, a word processor's after a colon or before `{`),
# the typographic spaces, an input method's ideographic space. One set, so a slip is
# named the same in a YAML key, a choice's syntax and a condition.
ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# The one length every id has at most: a file's (hero, story…), a scene's, a choice's,
# a skill's; what import cuts to and every suggested id fits.
MAX_ID_LENGTH = 64
_SLUG_ID = re.compile(SLUG_PATTERN)


def id_words(rule_id: str) -> str:
    """What every output calls a thing known by its id alone — a rule with no `name:`
    (an attribute, derived stat, skill, relationship kind), an item, a tag: the id's
    words, its first letter capitalised (`quick_wit` → 'Quick wit', `deep-tracking` →
    'Deep tracking', docs/rules.md). One spelling: the site said 'Quick wit', the JSON
    'Quick_Wit' (and a hero's skill 'Deep Tracking' beside the rule book's
    'deep-tracking'), a printed sheet 'Quick_wit', `foundry hero` 'quick_wit'."""
    text = rule_id.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def is_id(text: str) -> bool:
    """Whether `text` is an id: a slug (SLUG_PATTERN) of at most MAX_ID_LENGTH characters."""
    return len(text) <= MAX_ID_LENGTH and _SLUG_ID.match(text) is not None


def too_long(text: str) -> str:
    """What a check says of an id over MAX_ID_LENGTH (after its kind and the id)."""
    return f"is {len(text)} characters long, over the {MAX_ID_LENGTH} an id may have"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                                  *(f"lpt{i}" for i in range(10))})
"""Slugs Windows keeps for devices whatever follows the dot (`con.yaml`, `con.html`): git
for Windows refuses to check such a file out and no page of that name can be saved
there, so an id cannot be one (HF0161, `foundry new`)."""

LIST_PAGE = "index"
"""The name of the page that lists a kind's entities, in the folder of their pages
(site/heroes/index.html: exporters/html/urls.py `index_page`). An entity of a kind the
site gives pages to cannot have it as its id: check finds that from the plans (HF0720,
engine/outputs.py), and every hint naming an id for such a file steers clear of it
(load/places.py `taken_ids`), or the writer who followed one was refused again."""


ANY_ID = "*"
"""The id of a `kind:id` key in World.broken (the entity files that exist but did not
load) standing for a kind's whole folder refused unread, a link out of the project
(`content/characters -> /elsewhere`, HF0120 at the link: load/files.py `discover`):
any id of that kind may be in it. No file can have it (it is no slug)."""


def unread(broken: frozenset[str] | set[str], kinds: tuple[str, ...], eid: str) -> bool:
    """Whether an entity of one of `kinds` with the id `eid` may exist without having
    loaded: its file did not load, or its kind's folder was refused unread (ANY_ID). A
    reference to it is then not said "unknown" too: the file's, or the folder link's,
    own error says why it is missing (said at every line naming one of the folder's
    ids, that folder linked out was one HF0120 and an "unknown hero" for each mention)."""
    return any(f"{kind}:{eid}" in broken or f"{kind}:{ANY_ID}" in broken for kind in kinds)


def spell_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """`text` (a key written wrong: `Gold Coins`, `Größe`) as a name the expression
    language can use, for a hint to name: lowercase ASCII, underscores between words,
    starting with a letter, at most 64 characters; never one of its own words (`Set` →
    `set_`, as HF0204 says of `set:`) nor one of `taken` (the other names beside it:
    `Coins` beside `coins` → `coins_2`). "" when `text` spells none."""
    spelled = in_ascii(text)
    name = _slug(spelled, "_").lstrip("0123456789_")[:64].rstrip("_") if spelled is not None else ""
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
    return _numbered(taken, used, limit, 2)[0]


def _numbered(taken: str, used: set[str] | frozenset[str], limit: int, n: int) -> tuple[str, int]:
    """free_slug from the number `n` on: the id and the number it has."""
    while True:
        stem = taken[:limit - len(f"-{n}")]
        stem = stem.rsplit("-", 1)[0] if len(stem) < len(taken) and "-" in stem else stem
        if f"{stem}-{n}" not in used:
            return f"{stem}-{n}", n
        n += 1


class FreeSlugs:
    """free_slug asked again and again of one growing set (each id it gives is added to
    `used`): a stem resumes at the number after the one it last gave, every number
    before that being taken already. Asked afresh from 2 each time, 20,000 choices to one
    scene (a 100 KB Twee file, or its story file at `foundry check`) were 200 million
    tries: minutes. `used` is the caller's set, kept up to date."""

    def __init__(self, used: set[str], limit: int = 64) -> None:
        self.used = used
        self.limit = limit
        self._next: dict[str, int] = {}

    def take(self, taken: str) -> str:
        """The next free `taken-N`, now in `used`."""
        slug, n = _numbered(taken, self.used, self.limit, self._next.get(taken, 2))
        self._next[taken] = n + 1
        self.used.add(slug)
        return slug


# Scripts whose letters text-unidecode (python-slugify's transliteration) spells as a
# reader of the language would. Any other's it guesses: Han read as Mandarin in a
# Japanese title (`日本の旅` → `ri-ben-nolu`, which import once named a scene), Arabic
# without its vowels (`مرحبا` → `mrhb`): a hint then names its kind's fallback instead of
# an id the writer never meant.
_SPELLED_SCRIPTS = ("LATIN ", "GREEK ", "CYRILLIC ", "ARMENIAN ", "GEORGIAN ")


def in_ascii(value: str) -> str | None:
    """`value`'s letters as an id may spell them (`Kéa` → `Kea`, `Straße` → `Strasse`,
    `Иван` → `Ivan`: text-unidecode, python-slugify's own), or None when one is of a
    script whose reading would be a guess (`北斗`, `مرحبا`; `_SPELLED_SCRIPTS`)."""
    import unicodedata
    value = unicodedata.normalize("NFKC", value)   # full-width `Ｋéa`, ligatures, superscripts: their letters
    if value.isascii():
        return value
    # a digit of any script is its number (`١٢٣` → `123`), never a guess
    if any(ch.isalnum() and not ch.isascii() and not ch.isdecimal()
           and not unicodedata.name(ch, "").startswith(_SPELLED_SCRIPTS) for ch in value):
        return None
    from text_unidecode import unidecode   # ~40 ms of import: only for a name that needs it
    return unidecode(value)


def _slug(spelled: str, separator: str, limit: int = 0) -> str:
    """`spelled` (ASCII, `in_ascii`'s) as python-slugify makes a slug of it: lowercase,
    `separator` between words, apostrophes and entities read, at most `limit` characters
    (0: no limit), cut after a whole word where one fits (a heading's suggested id read
    `the-long-road-through-the-marsh-where-th`; python-slugify's own word boundary
    drops a first word too long for the limit, keeping later ones) and never ending in
    the separator."""
    from slugify import slugify
    whole = slugify(spelled, separator=separator)
    if not limit or len(whole) <= limit:
        return whole
    head = whole[:limit]
    if whole[limit] != separator and separator in head.strip(separator):
        head = head.rsplit(separator, 1)[0]   # the cut fell inside a word: before it
    return head.strip(separator)


def spelled_slug(text: str, limit: int = 64) -> str:
    """`text` as a slug (`spell_id`'s spelling), before any numbering past a taken or
    reserved id; "" when it spells none."""
    spelled = in_ascii(text)
    return _slug(spelled, "-", limit) if spelled is not None else ""


def reserved(slug: str) -> str:
    """Why no entity may have the id `slug` whatever the project holds ("" when
    nothing forbids it), as a hint suggesting another says it: `foundry new hero
    Index` was told "`index` is taken"."""
    if slug in WINDOWS_DEVICE_NAMES:
        return f"`{slug}` is a device name on Windows (HF0161)"
    if slug == LIST_PAGE:
        return f"`{slug}` is kept for the list page foundry makes itself (HF0720)"
    return ""


def spell_id(text: str, taken: set[str] | frozenset[str] = frozenset(), limit: int = 64,
             fallback: str = "") -> str:
    """The one speller of every id a hint or `foundry new` suggests: `text` (a name, a
    title, an id written wrong) as a slug a writer can copy and have accepted.
    Lowercase ASCII (`Kéa` → `kea`, `Straße` → `strasse`), hyphens between words, at
    most `limit` characters and never ending in a hyphen (where a cut fell), never a
    Windows device name (`CON` → `con-1`, `con-2` past it: HF0161), never one of `taken` (the ids of
    its kind already there, and those suggested before it: `road` → `road-2`).
    `fallback` (a slug) when `text` spells none (`北斗`, `---`); "" when that is ""."""
    slug = spelled_slug(text, limit) or fallback
    if not slug:
        return ""
    if slug in WINDOWS_DEVICE_NAMES:   # numbered from 1 (`con-1`, then `con-2`: it said `con-1-2`)
        return _numbered(slug, {*taken, *WINDOWS_DEVICE_NAMES}, limit, 1)[0]
    return free_slug(slug, {*taken, *WINDOWS_DEVICE_NAMES}, limit) if slug in taken else slug


"""An entity, scene, skill or item id: lowercase ASCII words joined by hyphens."""

EXPRESSION_WORDS = frozenset({"and", "or", "not", "true", "false", "set", "unset", "give", "take"})
"""The expression language's own words (expr/tokens.py `KEYWORDS`): no name can be one,
as `not >= 2` would read the word, not the name."""

NOT_A_WORD = "is a word of the expression language (" + ", ".join(sorted(EXPRESSION_WORDS)) + ")"
