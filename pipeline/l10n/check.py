"""`foundry check` for translations: per language, what is missing, stale, broken.

Severity follows what a reader would get: a missing or stale line still shows
something (the base language, or a translation of an older text), so it is a
warning; broken markup or an empty choice would show a broken page, so it is an error.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import Any

from ..diagnostics import EACH_SAID, Diagnostics, Span, clip, near_budget, nearest
from ..ids import MAX_ID_LENGTH, WINDOWS_DEVICE_NAMES
from ..load.hygiene import check_translation
from ..load.markers import MARKER, inner_marker
from ..load.markdown import markdown, may_nest_deep, without_large_tables, may_run_out, report_look_ahead, report_too_deep
from ..load.project import CONFIG_NAME, _toml_key_span, _toml_value_span, toml_item_span
from ..load.titles import block_marker, links_in_words, may_hold_links, placed, report_raw_prose, report_tags, report_translated_blocks, report_translated_empty_links, shown_as_typed, may_be_shown_as_typed
from .lines import Line
from .extract import moved_translations
from .markup import added_blocks, broken_markup, changed_placeholders, own_definitions, visible_text
from .pseudo import PSEUDO_LOCALES, is_pseudo
from .tags import MAX_LANGUAGES, english_name, language_key, listed_languages, not_a_language, preferred_tag
from ..load.language_names import tag_for_name
from .state import MISSING, STALE, Localization, load_localization, over_budget, translation_budget
from .translations import find_catalog_file, link_out_on_way, refused_places

TAG = re.compile(r"^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*$")
SHOWN = 3
# Characters a language tag may have: it names folders and files (translations/<tag>/,
# site/<tag>/, api/v1/strings/<tag>.json), and BCP 47 sets no bound (private-use
# subtags run on). A 275-character tag checked clean, then stopped the build with
# "File name too long" (HF0714, at build/, with a hint about disk space). The bound is
# an id's (ids.MAX_ID_LENGTH): such paths then stay within a file name's 255 bytes and
# Windows' 260-character paths as a content file's do.
MAX_TAG_LENGTH = MAX_ID_LENGTH
# Line kinds shown as names (headings, titles, links): load/hygiene.py's NAME_KEYS
NAME_KINDS = frozenset({"name", "title", "role", "scene-title", "label"})


# What a name's, title's or choice's translation must start with to open a block of its
# own on its first line: a heading's `#`, a quote's `>` (as a source title's, `block_marker`:
# `> 9000` is "more than"), a fence's ``` or ~~~ (the rest are HF1108's or text)

# the parts of a line's markup (markup.py `signature`) that style its words: one its
# source changed is the staleness of a translation made before, not a break
_STYLING = ("emphasis", "strong emphasis", "strikethrough", "code `")

def _opens_block(target: str) -> bool:
    first = target.lstrip(" \t")[:1]
    return first in ("`", "~") or (first in ("#", ">") and block_marker(target) is not None)


def _called(line: Line) -> str:
    """What a translator's diagnostic calls a line shown as its words (inline Markdown):
    a relationship's note is no name or title (HF1108 said "the name or title
    'hero.aria.relationship.tomas.mentor.note'", and a link in it "A title is never a
    link"), as the source's diagnostics call it (load/titles.py `_FIELD_OF`)."""
    return {"choice": "choice", "note": "relationship's note"}.get(line.kind, "name or title")


def valid_language(tag: str) -> bool:
    """Well-formed BCP 47 (hyphens, not `de_DE`) and valid in the IANA registry — or
    in its newer entries CLDR (Babel) has: langcodes' copy of the registry is of
    2021-08-06, so Toki Pona (`tok`, registered 2022), Interslavic (`isv`) and the
    other languages ISO 639-3 added since were "not a BCP 47 language tag" (HF1103, an
    error) though CLDR names them; such a language with subtags the copy knows is valid."""
    import langcodes   # its tables take ~0.2 s to load: only for a project with [l10n] languages
    if not TAG.match(tag):
        return False
    if not _extlang_registered(tag):
        return False
    if is_pseudo(tag) or langcodes.tag_is_valid(tag):
        return True
    primary, _, rest = tag.partition("-")
    return _cldr_language(primary) and langcodes.tag_is_valid("und" + (f"-{rest}" if rest else ""))


def _unsortable(tag: str) -> str | None:
    """collation.py's `unsortable`, imported only for a tag with a -u- extension (ICU's
    import is for the outputs that sort)."""
    from .collation import unsortable
    return unsortable(tag)


def _extlang_registered(tag: str) -> bool:
    """Whether a tag's extended language subtag (three letters after a two- or
    three-letter language: `zh-yue`, `sgn-ase`) is one the IANA registry holds for
    that language; True for a tag without one. langcodes checks every other subtag
    but not this one, so `sr-lat` (a script misspelt: `sr-Latn`), `de-xyz` and
    `tok-tok` were valid, published as `lang="sr-lat"` on every page, a tag no
    browser or screen reader reads as Serbian. A grandfathered tag (`zh-min-nan`,
    `art-lojban`) is a whole tag of the registry, not an extlang."""
    parts = tag.lower().split("-")
    if len(parts) < 2 or not 2 <= len(parts[0]) <= 3 or not (len(parts[1]) == 3 and parts[1].isalpha()):
        return True
    extlangs, whole = _registry_extlangs()
    return tag.lower() in whole or parts[1] in extlangs.get(parts[0], ())


def _registry_extlangs() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """({language: its extlang subtags}, the registry's whole tags lowercased), from
    langcodes' copy of the IANA registry (read only when a tag has an extlang)."""
    return _registry()[:2]


# a deprecated variant's comment naming the whole tag to write instead (`arevmda`:
# "Preferred tag is hyw"): the registry gives such variants no Preferred-Value
_PREFERRED_TAG = re.compile(r"Preferred tag is ([A-Za-z0-9-]+)")


@functools.cache
def _registry() -> tuple[dict[str, frozenset[str]], frozenset[str], dict[tuple[str, str], str], dict[str, str],
                         dict[tuple[str, str], tuple[str, str]]]:
    """langcodes' copy of the IANA registry, read once (~75 ms), as
    (`_registry_extlangs`'s two tables, {(type, lower-case subtag or whole tag): its
    Preferred-Value} for the entries the registry marks deprecated, {language subtag:
    its first Description}, for the languages of one language, not a collection;
    {(type, lower-case subtag or whole tag): (its first Description, its Comments or
    "")} for the deprecated entries with no Preferred-Value: `zh-min` "see cdo, cpx…",
    region `SU`, variant `arevmda` "Preferred tag is hyw")."""
    from langcodes.registry_parser import parse_registry
    extlangs: dict[str, set[str]] = {}
    whole: set[str] = set()
    preferred: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    retired: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in parse_registry():
        if entry.get("Type") == "language" and entry.get("Scope") not in ("collection", "special") \
                and ".." not in entry["Subtag"]:
            names[entry["Subtag"].lower()] = entry["Description"][0]
        if entry.get("Type") == "extlang":
            for prefix in entry.get("Prefix", []):
                extlangs.setdefault(prefix.lower(), set()).add(entry["Subtag"].lower())
        elif "Tag" in entry:
            whole.add(entry["Tag"].lower())
        if "Deprecated" in entry and "Preferred-Value" in entry:
            name = entry.get("Tag") or entry.get("Subtag")
            kind = "tag" if "Tag" in entry else entry.get("Type", "")
            preferred[(kind, name.lower())] = entry["Preferred-Value"]
        elif "Deprecated" in entry:
            name = entry.get("Tag") or entry.get("Subtag")
            kind = "tag" if "Tag" in entry else entry.get("Type", "")
            comments = entry.get("Comments") or ""
            retired[(kind, name.lower())] = (entry["Description"][0],
                                             " ".join(comments) if isinstance(comments, list) else comments)
    return {k: frozenset(v) for k, v in extlangs.items()}, frozenset(whole), preferred, names, retired


def registry_name(tag: str) -> str | None:
    """The IANA registry's name for `tag`'s language ("Klingon" for `tlh`, "Sindarin"
    for `sjn`): for a language CLDR has no data for, which Babel cannot name; None for
    a private-use one (`qaa`…`qtz`, `x-…`) or one the registry does not hold."""
    return _registry()[3].get(tag.split("-", 1)[0].lower())


def deprecated_tag(tag: str) -> str | None:
    """The tag BCP 47 writes for `tag` when the IANA registry marks it, or a subtag of
    it, deprecated with a Preferred-Value (RFC 5646 4.5: `iw` → `he`, `in-ID` → `id-ID`,
    `i-klingon` → `tlh`, `zh-yue` → `yue`, `zh-yue-HK` → `yue-HK`, `de-DD` → `de-DE`); None for a tag none of
    whose parts is. Not CLDR's aliases (`tl` → `fil`, `sh` → `sr-Latn`): the registry
    keeps those tags as they are. `tag` is a valid one (`valid_language`)."""
    import langcodes
    parts = tag.split("-")
    try:
        # nothing to rewrite (the registry is read only for a tag that has, or has a
        # variant: langcodes keeps `hy-arevela` and `ja-Latn-hepburn-heploc` as typed)
        if langcodes.standardize_tag(tag).lower() == tag.lower() and not any(_variant(p) for p in parts[1:]):
            return None
    except ValueError:
        return None
    preferred, retired = _registry()[2], _registry()[4]
    # the registry's deprecated whole tag the tag begins with: `zh-yue` in `zh-yue-HK`,
    # `zh-cmn-Hant` in `zh-cmn-Hant-TW` (a redundant tag takes a region after it, as any
    # tag does: they went unsaid where `zh-yue` alone was HF1155)
    start, out = 1, [preferred.get(("language", parts[0].lower()), parts[0])]
    for n in range(len(parts), 1, -1):
        whole = preferred.get(("tag", "-".join(parts[:n]).lower()))
        if whole is not None:
            start, out = n, [whole]
            break
    for at in range(start, len(parts)):
        part = parts[at]
        if len(part) == 1:   # a singleton: what follows is no subtag the registry deprecates
            out.append("-".join(parts[at:]))
            break
        kind = _subtag_kind(part)
        whole_tag = _PREFERRED_TAG.search(retired.get((kind, part.lower()), ("", ""))[1]) if kind == "variant" else None
        if whole_tag is not None:
            # `hy-arevmda` → `hyw`: the variant's language is the tag's (its script
            # and region stay: `hy-Armn-arevmda` → `hyw-Armn`)
            out[0] = whole_tag.group(1)
            continue
        out.append(preferred.get((kind, part.lower()), part))
    written = "-".join(out)
    return written if written != tag else None


def _variant(part: str) -> bool:
    """Whether a subtag after the language is a variant (RFC 5646 2.2.5: 5–8
    characters, or 4 beginning with a digit)."""
    return 5 <= len(part) <= 8 or (len(part) == 4 and part[0].isdigit())


def _subtag_kind(part: str) -> str:
    """The registry's Type of a subtag after the language: script, region or variant."""
    return "script" if len(part) == 4 and part.isalpha() else \
        "region" if len(part) == 2 or (len(part) == 3 and part.isdigit()) else "variant"


def retired_tag(tag: str) -> tuple[str, str, str] | None:
    """(the part, its registry name, the registry's comment or "") of a valid `tag`
    the IANA registry deprecates without a Preferred-Value, so that no one tag can be
    named for it (`zh-min`: "see cdo, cpx, czo, mnp, nan"; `cel-gaulish`; `ru-SU`: the
    Soviet Union; a retired language subtag); None for a tag none of whose parts is,
    or one `deprecated_tag` rewrites. The registry is read only for a tag langcodes
    would rewrite (it maps `ru-SU` to `ru-RU`, `zh-min` to `nan-x-zh-min`), one with a
    variant, or a language CLDR does not know."""
    import langcodes
    parts = tag.split("-")
    try:
        if langcodes.standardize_tag(tag).lower() == tag.lower() and not any(_variant(p) for p in parts[1:]) \
                and _cldr_language(parts[0]):
            return None
    except ValueError:
        return None
    retired = _registry()[4]
    for n in range(len(parts), 1, -1):
        found = retired.get(("tag", "-".join(parts[:n]).lower()))
        if found is not None:
            return "-".join(parts[:n]), *found
    if parts[0].lower() == "i" or parts[0].lower() == "x":
        return None
    found = retired.get(("language", parts[0].lower()))
    if found is not None:
        return parts[0], *found
    for part in parts[1:]:
        if len(part) == 1:
            break
        found = retired.get((_subtag_kind(part), part.lower()))
        if found is not None:
            return part, *found
    return None


def _cldr_language(language: str) -> bool:
    """Whether CLDR, through Babel, has likely subtags for this language subtag."""
    from babel.core import get_global
    return language.lower() in get_global("likely_subtags")


def translatable_language(tag: str) -> bool:
    """A language outputs are made in: valid, and one a text is translated into (not
    `und`, nor `deu` for `de`: HF1103, l10n/tags.py `not_a_language`)."""
    return valid_language(tag) and (is_pseudo(tag) or not_a_language(tag) is None)


def check_localization(world: Any, diags: Diagnostics) -> Localization | None:
    """Everything about translations at once; None when the project has no [l10n]
    languages (nothing to check, and nothing for the exporters to do)."""
    settings = world.project.config.l10n
    toml = world.project.root / CONFIG_NAME
    if not settings.languages and not settings.require_line_ids:
        _check_inert(settings, [], world.project.config.project.language, [], toml, diags)
        return None
    listed = listed_languages(settings)
    at = _language_spans(toml, listed)
    _check_inert(settings, listed, world.project.config.project.language, at, toml, diags)
    base = world.project.config.project.language
    if listed and not valid_language(base):
        # `language = "sr-lat"` or "zzq" (well-formed, so HF0205 let it by) went out as
        # `lang="sr-lat"` on every page, and HF1140 asked for a theme catalog named for it
        named = tag_for_name(base)
        diags.add("HF1103", f"the project's language '{clip(base, 30)}' is not a BCP 47 language tag",
                  _toml_value_span(toml, ("project", "language")),
                  hint=f"Write \"{named[0]}\" for {named[1]}: a language is named by its tag, not its name." if named else
                  "Write the language the content is written in as BCP 47 does: \"en\", \"pt-BR\", "
                       "\"sr-Latn\" (a script in four letters, a region in two letters or three digits).")
    elif listed and (slip := not_a_language(base, base=True)) is not None:
        # `language = "eng"` (well-formed, so HF0205 let it by) went out as `lang="eng"`
        # on every page of every language, and as each alternate's `x-default`
        diags.add("HF1103", f"the project's language '{clip(base, 30)}' {slip[0]}",
                  _toml_value_span(toml, ("project", "language")), hint=slip[1])
    if len(settings.languages) > MAX_LANGUAGES:
        first_out = settings.languages[MAX_LANGUAGES]
        diags.add("HF1149", f"{len(settings.languages)} languages listed: foundry builds at most {MAX_LANGUAGES}",
                  toml_item_span(toml, ("l10n", "languages"), first_out, listed.count(first_out)),
                  hint=f"List at most {MAX_LANGUAGES} languages (from this one on, the list is too long): every "
                       "output is made once per language and every page links to every language, so 150 made "
                       "a 13-page world into 218 MB.")
    for n, tag in enumerate(listed):
        if TAG.match(tag) and not _extlang_registered(tag):
            primary, second = tag.split("-")[:2]
            diags.add("HF1103", f"'{clip(tag, 30)}' is not a BCP 47 language tag: '{second}' after "
                      f"'{primary}' is no extended language subtag the IANA registry holds", at[n],
                      hint="Write a script in four letters, a region in two letters or three digits "
                           "(\"sr-Latn\", \"de-AT\", \"es-419\"): a three-letter subtag after the language "
                           "is read as an extended language subtag, and few are registered (\"zh-yue\").")
        elif not valid_language(tag):
            named = tag_for_name(tag)
            diags.add("HF1103", f"'{clip(tag, 30)}' is not a BCP 47 language tag", at[n],
                      # the project's own language named: written as its tag it would be HF1150
                      hint=(f"Remove it: {named[1]} is the project's language ([project] language), which the "
                            "languages listed are translated from."
                            if language_key(named[0]) == language_key(base) else
                            f"Write \"{named[0]}\" for {named[1]}: a language is listed by its tag, not its name.")
                      if named else "Use tags such as \"de\", \"pt-BR\", \"zh-Hant\" (hyphens, not underscores); "
                           "\"en-XA\" is the built-in pseudo-locale.")
        elif not is_pseudo(tag) and (slip := not_a_language(tag)) is not None:
            diags.add("HF1103", f"'{clip(tag, 30)}' {slip[0]}", at[n], hint=slip[1])
        elif len(tag) > MAX_TAG_LENGTH:
            diags.add("HF1152", f"the language '{clip(tag, 30)}' is {len(tag)} characters long, over the "
                      f"{MAX_TAG_LENGTH} a tag naming folders may have (translations/<tag>/, site/<tag>/)", at[n],
                      hint="Drop the private-use (`-x-…`) or extension subtags the outputs do not need: folders "
                           "and files are named by the whole tag, and a file system holds names of 255 bytes.")
        elif "-u-" in tag.lower() and (refused_keys := _unsortable(tag)) is not None:
            kept = clip(tag.replace(refused_keys, "", 1), 30)
            diags.add("HF1158", f"'{clip(tag, 30)}' asks for a collation ICU does not make ({clip(refused_keys, 30)}): "
                      f"its pages' lists are sorted as '{kept}' sorts them", at[n],
                      hint=f"Write '{kept}' (and rename its folders under translations/ and content/audio/ to "
                           f"{kept}/), or a -u- keyword ICU reads: `-u-co-phonebk` (a collation), `-u-kn-true` "
                           "(numbers by value), `-u-ks-level2` (a strength).")
        elif tag.lower() in WINDOWS_DEVICE_NAMES:   # 'con' is Cofán, 'aux' Aurá, 'nul' Nusa Laut
            diags.add("HF0161", f"the language '{clip(tag, 30)}' names folders Windows keeps for a device "
                      f"(translations/{clip(tag, 30)}/, site/{clip(tag, 30)}/): a teammate there cannot check them out",
                      at[n],
                      hint=f"Add the region: the folders are named by the whole tag, and '{clip(tag, 30)}-CO' "
                           "(for example) is a name Windows allows.")
    refused = _check_spelled_once(world.project.config.project.language, listed, at, diags)
    _check_deprecated(base, listed, at, refused, toml, diags)
    _check_localized_outputs(settings.outputs, world.project.config.build.outputs, toml, diags)
    l10n = load_localization(world, diags)
    # translation files (or folders) linked out of the project: HF0120 at the link is the one
    # slip, their lines not "not translated" too (`foundry l10n status` says "not read")
    links_out = list(refused_places(diags))
    by_source: dict[str, list[Line]] = {}
    for line in l10n.lines:
        by_source.setdefault(line.source, []).append(line)
    definitions = _story_definitions(world)
    for language in l10n.languages:
        if (is_pseudo(language) or language == l10n.base or language in refused or not translatable_language(language)
                or len(language) > MAX_TAG_LENGTH):
            continue   # a spelling HF0751 refuses is that one slip, not also its lines untranslated
        resolved = {r.line.id: r for r in l10n.resolve(language)}
        untranslated: dict[str, int] = {}
        for source, lines in by_source.items():
            with near_budget():   # each gone entry's near id (_gone_hint), within the file's budget
                missing = _check_file(l10n, language, source, lines, resolved, diags, links_out, definitions)
            if missing:
                untranslated[source] = missing
        if untranslated:
            where = at[listed.index(language)] if language in listed \
                else _toml_key_span(toml, ("l10n", "languages"))
            _report_untranslated(language, untranslated, len(l10n.lines), where, diags)
    return l10n


def _check_deprecated(base: str, listed: list[str], at: list[Span], refused: set[str], toml: Path,
                      diags: Diagnostics) -> None:
    """HF1155 (a warning) for a language, or the project's, written with a tag the IANA
    registry deprecates (`iw`, `in`, `ji`, `mo`, `i-klingon`, `zh-yue`, a region such as
    `BU`): BCP 47 writes such a tag as its Preferred-Value (RFC 5646 4.5), and it was
    published as typed on every page and book (`lang="iw"`), the switcher naming it with
    a country ("עברית (ישראל)", Babel's alias for `iw` is `he_IL`). Not for a spelling
    HF0751 refuses (`iw` beside `he`: that one slip), nor for a tag that is no language
    (HF1103)."""
    places = [(base, _toml_value_span(toml, ("project", "language")), True)] if valid_language(base) else []
    places += [(tag, at[n], False) for n, tag in enumerate(listed)
               if tag not in refused and translatable_language(tag) and not is_pseudo(tag)]
    for tag, where, own in places:
        written = deprecated_tag(tag)
        if written is None:
            _check_retired(tag, where, own, diags)
            continue
        folders = "content/audio/" if own else "translations/ and content/audio/"
        diags.add("HF1155", f"{'the project' + chr(39) + 's language ' if own else ''}'{clip(tag, 30)}' is a "
                  f"deprecated tag: the IANA registry, and BCP 47 with it, writes it '{written}'"
                  f"{_named(written)}", where,
                  hint=f"Write '{written}' (and rename its folders under {folders} from {clip(tag, 30)}/ to "
                       f"{written}/): pages, books and string tables say the language by this tag, and "
                       f"browsers, screen readers and engines look up '{written}'.")


def _check_retired(tag: str, where: Span, own: bool, diags: Diagnostics) -> None:
    """HF1155 for a tag the registry deprecates and names no one successor for
    (`zh-min`, `ru-SU`): it was published as typed, the registry's note unsaid."""
    retired = retired_tag(tag)
    if retired is None:
        return
    part, name, comment = retired
    folders = "content/audio/" if own else "translations/ and content/audio/"
    note = f" (the registry says: {clip(comment, 80)})" if comment else ""
    what = f"'{clip(tag, 30)}' is a deprecated tag" if part == tag else \
        f"'{clip(tag, 30)}' has '{clip(part, 30)}', which is deprecated"
    if part != tag and _subtag_kind(part) == "region":
        kept = "-".join(p for p in tag.split("-") if p != part)
        write = f"Write '{clip(kept, 30)}', or it with the region of today the text is written for{note}"
    else:
        write = f"Write the tag of the language the text is written in{note}"
    diags.add("HF1155", f"{'the project' + chr(39) + 's language ' if own else ''}{what}: the IANA registry, and "
              f"BCP 47 with it, retired it ({clip(name, 60)}) and names no one tag to write instead", where,
              hint=f"{write} (and rename its folders under {folders} from {clip(tag, 30)}/ to it): browsers, "
                   "screen readers and engines do not know a retired tag.")


def _named(tag: str) -> str:
    """ " (Hebrew)": the language's English name, or "" when CLDR has none (`tlh`)."""
    name = english_name(tag)
    return f" ({name})" if name else ""


def _check_localized_outputs(localized: list[str] | None, built: list[str], toml: Path, diags: Diagnostics) -> None:
    """HF1122 for an output `[l10n] outputs` names that `[build] outputs` does not make:
    it is made in no language, so the translations meant for it are published nowhere
    while the build looks clean."""
    for name in localized or ():
        if name not in built:
            diags.add("HF1122", f"'{name}' is to be made in every language, but [build] outputs does not make it",
                      _toml_key_span(toml, ("l10n", "outputs")),
                      hint=f"Add \"{name}\" to [build] outputs, or remove it from [l10n] outputs.")


def _report_untranslated(language: str, untranslated: dict[str, int], total: int, where: Span,
                         diags: Diagnostics) -> None:
    """HF1105 once per language, at the language in foundry.toml: one warning per file
    and language buried the sample's check under 39 of them. The files are named (the
    first few), and `foundry l10n status` lists every file with its counts."""
    files = sorted(untranslated, key=lambda source: (-untranslated[source], source))
    names = ", ".join(files[:SHOWN]) + (", …" if len(files) > SHOWN else "")
    count = sum(untranslated.values())
    diags.add("HF1105", f"{language}: {count} of {total} lines not translated, in {len(files)} "
              f"file{'s' if len(files) != 1 else ''} ({names})", where,
              hint=f"`foundry l10n status --language {language}` lists every file with what is missing; "
                   "`foundry l10n extract` adds the missing lines to the translation files.")


def _language_spans(toml: Path, languages: list[str]) -> list[Span]:
    """Where each of `[l10n] languages` is written, in order: the same tag listed twice
    is placed at its second listing the second time."""
    seen: dict[str, int] = {}
    spans = []
    for tag in languages:
        spans.append(toml_item_span(toml, ("l10n", "languages"), tag, seen.get(tag, 0)))
        seen[tag] = seen.get(tag, 0) + 1
    return spans


# [l10n] settings that act on the languages translated into: with none listed each is
# accepted and does nothing (require_line_ids acts alone: HF1101).
_PER_LANGUAGE_SETTINGS = ("format", "release_requires_complete", "build_pseudo", "outputs")


def _check_inert(settings: Any, listed: list[str], base: str, at: list[Span], toml: Path,
                 diags: Diagnostics) -> None:
    """HF1150 (a warning) for what [l10n] accepts and then does nothing with: the
    project's own language listed as a language to translate into (`languages =
    ["en"]` in an English project made no translation, no folder, no word: the writer
    expected one), and a setting for translations when no language is translated into."""
    others = [tag for tag in listed if tag.lower() != base.lower()]
    for n, tag in enumerate(listed):
        if tag == base:   # in other letters it is HF0751, an error
            alone = "" if others else ", and no other language is listed: nothing is translated"
            diags.add("HF1150", f"'{clip(tag, 30)}' is the project's language ([project] language): it is "
                      f"translated from, never into{alone}", at[n],
                      hint=f"Remove '{clip(tag, 30)}' from [l10n] languages" + (
                          ": the languages beside it are translated from it." if others else
                          " and list the languages to translate into (`languages = [\"de\"]`); to write the "
                          "project in another language, set [project] language instead."))
    if others:
        return
    for key in _PER_LANGUAGE_SETTINGS:
        if key in settings.model_fields_set:
            diags.add("HF1150", f"[l10n] {key} is set, but no language is translated into: it does nothing",
                      _toml_key_span(toml, ("l10n", key)),
                      hint="List the languages to translate into in [l10n] languages (`languages = [\"de\"]`), "
                           f"or remove {key}.")


def _shown_as_blocks(line: Line) -> bool:
    """Whether a translation of `line` is rendered as Markdown blocks of its own: a
    summary, and a paragraph of a YAML prose field (the field is its paragraphs'
    translations joined, resolve/localized.py `_prose`). A story's paragraph is shown
    inline, in its source's block."""
    return line.kind == "summary" or (line.kind == "paragraph" and not line.id.startswith("story."))


def _check_spelled_once(base: str, languages: list[str], at: list[Span], diags: Diagnostics) -> set[str]:
    """HF0751 for a language listed twice, or in other letters or under another tag than
    the project's language, a pseudo-locale or an earlier entry (one key: tags.py
    `language_key`): BCP 47 tags ignore case, and the registry names some languages by
    two tags (`iw` is `he`), but each spelling would get folders of its own (site/DE/
    beside site/de/, one folder on macOS and Windows; site/iw/ beside site/he/) and a
    translation of its own. Returns the spellings refused (outputs are made for the first)."""
    known = {language_key(base): (base, "the project's language"),
             **{language_key(p): (p, "the pseudo-locale") for p in PSEUDO_LOCALES}}
    refused: set[str] = set()
    for n, tag in enumerate(languages):
        if valid_language(tag) and not translatable_language(tag):
            continue   # `deu` after `de`: HF1103 says it, the one slip
        key = language_key(tag)   # one key, the one output_languages makes each language's outputs by
        first = known.get(key)
        if first is None:
            known[key] = (tag, "listed before")
            continue
        spelled, what = first
        if spelled == tag and what == "the project's language":
            continue   # the base language listed again, as written: harmless, and how it is documented
        if spelled == tag and what == "the pseudo-locale":
            known[key] = (tag, "listed before")   # its first listing
            continue
        said, why, once = f"is '{spelled}' ({what}) in other letters", "Language tags ignore case", spelled
        if spelled == tag:
            said = "is listed twice"
        elif spelled.lower() != tag.lower():   # `iw` beside `he`: one language's other tag, spelled as preferred
            said, once = f"is '{spelled}' ({what}) under another tag", preferred_tag(tag)
            why = f"BCP 47 reads '{clip(tag, 30)}' and '{spelled}' as one language"
        diags.add("HF0751", f"language '{clip(tag, 30)}' {said}", at[n],
                  hint=f"{why}: list each language once, spelled '{once}'.")
        if spelled != tag:
            refused.add(tag)
    return refused


def _story_definitions(world: Any) -> Callable[[str], Mapping | None]:
    """source path → the link definitions of the story written there (markdown-it's
    `env["references"]`), which a translated scene heading is read with as its source
    is (resolve/localized.py: `[Laterne][w]` shows as its words); each story's body
    parsed once, and only when asked."""
    by_path = {entry.path: entry for entry in world.stories.values()}
    memo: dict[str, Mapping | None] = {}

    def of(source: str) -> Mapping | None:
        if source not in memo:
            entry, env = by_path.get(source), {}
            body = entry.doc.body if entry is not None and entry.doc is not None else ""
            if "]:" in body:
                markdown().parse(without_large_tables(body, entry.path, entry.doc.body_line, Diagnostics()), env)
            memo[source] = env.get("references") or None
        return memo[source]
    return of


def _field_definitions(lines: list[Line], line: Line) -> Mapping | None:
    """The link definitions of the YAML prose field `line` is a paragraph of (its
    sibling lines, `hero.aria.background.*`: a definition is a paragraph of its own)."""
    prefix = line.id.rsplit(".", 1)[0] + "."
    text = "\n\n".join(other.text for other in lines if other.id.startswith(prefix) and "]:" in other.text)
    env: dict = {}
    if text:
        markdown().parse(text, env)
    return env.get("references") or None


def _check_file(l10n: Localization, language: str, source: str, lines: list[Line], resolved: dict,
                diags: Diagnostics, links_out: tuple[str, ...] | list[str] = (),
                definitions: Callable[[str], Mapping | None] = lambda source: None) -> int:
    """Problems of one translation file; returns how many of its lines are not
    translated (a file whose translation does not parse counts none: HF1104 says why;
    nor one reached through a link out of the project, `links_out`: HF0120 there).
    `definitions`: a story's link definitions by its path (`_story_definitions`)."""
    catalog = l10n.catalog(language, source)
    known = {line.id for line in lines}
    # a translation too long to be one (HF1145) is not used, but it is there: that one finding
    missing = [line for line in lines if resolved[line.id].status == MISSING and not over_budget(resolved[line.id])]
    if catalog is None and (find_catalog_file(Path(l10n.root), language, source)
                            or link_out_on_way(links_out, language, source)):
        missing = []   # its translation file does not parse (HF1104) or is linked out (HF0120): not "untranslated"
    if catalog is None:
        return len(missing)
    seen: dict[str, int] = {}
    moved: dict[int, str] | None = None
    untranslated: dict[str, Line] | None = None
    ordered = sorted(known)   # for the near ids of gone entries, sorted once, not for each of them
    in_use = {e.id for e in catalog.entries if not e.obsolete and e.target.strip()}
    entered = {}   # line id → the line of its first live entry: an id a gone entry's hint cannot name
    for entry in catalog.entries:
        if not entry.obsolete:
            entered.setdefault(entry.id, entry.id_at)
    told: dict[str, int] = {}   # line id a gone entry's hint named → that entry's line
    shown: dict = {}   # entry id → the other line showing it (`_shown_at`), made once when asked
    for entry in catalog.entries:
        at = Span(catalog.path, entry.line or 1, 1)
        if entry.obsolete:
            if entry.id in known and entry.id not in in_use and entry.target.strip():
                # a tool (or a note beginning with the mark) made it obsolete while its
                # line exists: unused, silently, until `extract` brought it back
                in_use.add(entry.id)
                diags.add("HF1147", f"{language}: the translation of '{clip(entry.id, 60)}' is marked obsolete, "
                          "so it is not used, though its line exists", entry.translation_span(catalog.path))
            continue
        # entries with no id at all (xliff2po's, po2csv's: translate-toolkit's XLIFF 1.1 carries no msgctxt)
        # are no two alike: each is told HF1109 below, where five such entries were one HF1109 and four
        # HF1102 errors, the check failed and `extract` refused the file its hint sent the writer to
        if entry.id and entry.id in seen:
            diags.add("HF1102", f"line id '{clip(entry.id, 60)}' is also translated at line {seen[entry.id]}",
                      entry.id_span(catalog.path),
                      hint="Keep one of the two entries.")
            continue
        seen[entry.id] = entry.id_at
        if entry.id not in known and entry.id and entry.target.strip() and (goes := _shown_at(entry, resolved, lines, shown)):
            # the last of untagged paragraphs numbered anew after one was deleted: its
            # number is gone, its translation shown on the paragraph that has its words
            _renumbered(diags, language, entry, goes, catalog.path)
            continue
        if entry.id not in known:
            if entry.target.strip() and not entry.id:
                # e.g. an entry pasted from another catalog: nothing says which line it is
                diags.add("HF1109", f"{language}: translation of '{clip(entry.source, 60)}' has no line id, so no "
                          "line can use it", at, hint="Give it the id of the line it translates (PO msgctxt, "
                          "XLIFF unit id, CSV id column); `foundry l10n extract` carries it to the line with its words, "
                          "marked fuzzy to confirm, or else keeps it, marked obsolete.")
            elif entry.target.strip():
                if moved is None:   # what `extract` would do with the file's gone entries, once
                    by_id = {e.id: e for e in catalog.entries}
                    moved = {id(e): line_id for line_id, e in moved_translations(lines, by_id).items()}
                if untranslated is None:   # lines of any file with no translation, by their words: once
                    untranslated = {}
                    for r in resolved.values():
                        if r.status == MISSING:
                            untranslated.setdefault(r.line.text, r.line)
                goes_to, there = moved.get(id(entry)), ""
                if goes_to is None and (line := untranslated.get(entry.source)) is not None and line.source != source:
                    # a paragraph moved to another file, marker and all: `extract` carries it there
                    goes_to, there = line.id, line.source
                owner = resolved.get(entry.id)
                what = (f"a line of {clip(owner.line.source, 80)}, not of {clip(source, 80)}" if owner is not None
                        else "a line that no longer exists")   # an entry put in another file's catalog
                diags.add("HF1109", f"{language}: translation of '{clip(entry.id, 60)}', {what}",
                          entry.id_span(catalog.path), hint=_gone_hint(entry, goes_to, ordered, entered, told, there))
            continue
        r = resolved[entry.id]
        if not entry.target.strip():
            continue
        if (r.status == MISSING and r.entry is None) or (r.entry is not None and r.entry.id != entry.id):
            # an untagged paragraph numbered anew (one inserted before it, deleted, or
            # two swapped): the translation is of another paragraph's words, shown there
            # (state.py `_shifted`), or of words deleted, shown nowhere — not checked
            # against this number's words (a deleted link was an HF1107 error)
            if goes := _shown_at(entry, resolved, lines, shown):
                _renumbered(diags, language, entry, goes, catalog.path)
            else:
                diags.add("HF1106", f"{language}: translation of '{clip(entry.id, 60)}' translates words no longer "
                          f"in {clip(source, 80)} ('{clip(entry.source, 60)}'): it is shown nowhere",
                          entry.translation_span(catalog.path),
                          hint="Run `foundry l10n extract`: it keeps this translation, marked obsolete, and moves "
                               "each paragraph's translation to its new number (marked fuzzy to confirm).")
            continue
        # a problem in the translated text is shown where the translation is, not at
        # the translator's comment that opens the entry
        in_target = entry.translation_span(catalog.path)
        # a translation is published as the source is: the same characters refused (a bidi
        # override in a translated name was published as written; review attack6)
        is_name = r.line.kind in NAME_KINDS
        check_translation(entry.target, is_name, in_target, f"{language} {entry.id}", diags,
                          block=not is_name and not r.line.inline)
        if len(entry.target) > (budget := translation_budget(r.line.text)):
            # budgets before work: a paragraph translated as a 30,000-row table (440 KB)
            # was parsed as Markdown nine times over (~20 CPU-s) before HF1107 said it
            # adds a table; it is this one finding now, its text parsed nowhere (state.py)
            diags.add("HF1145", f"{language}: translation of '{clip(entry.id, 60)}' is {len(entry.target):,} "
                      f"characters long, more than a translation of its {len(r.line.text):,} characters can be "
                      f"(at most {budget:,})", in_target,
                      hint="Translate the line as one line of the same kind; a text of its own belongs in the "
                           "source, where it gets a line id and a translation of its own.")
            continue
        # the source is held to the layout's limit (HF0204) and the translator is told it
        # in the entry's comment; a longer translation was published in every output. A
        # source longer than the limit (a scene's heading has none of its own) allows as much.
        limit = max(r.line.max_length or 0, len(r.line.text))
        if r.line.max_length and len(entry.target) > limit:
            diags.add("HF1145", f"{language}: translation of '{clip(entry.id, 60)}' is {len(entry.target)} "
                      f"characters long; the line allows at most {limit}", in_target,
                      hint=f"Shorten it to at most {limit} characters, the limit its comment gives.")
        if r.line.markup and _past_markdown_limits(entry, r.line, in_target, diags):
            continue   # what broken_markup would find is what the parse skipped: this one finding
        # a story's paragraph is shown with the story's link definitions
        story_paragraph = r.line.kind == "paragraph" and r.line.source.endswith(".md")
        shown_with = None
        if r.line.kind == "paragraph" and "[" in entry.target + r.line.text:
            # a background's paragraph is shown with its field's definitions (a paragraph of
            # their own: resolve/localized.py prose_in_base), as a story's with the story's
            shown_with = definitions(r.line.source) if story_paragraph else _field_definitions(lines, r.line)
        if r.line.markup:
            broken = broken_markup(r.line.text, entry.target, shown_with)
            if broken and r.status == STALE:
                # the source's styling changed under a translation that kept its own
                # source's (`*The end.*` made `**The end.**`): that is the staleness
                # HF1106 says, a warning, not the translator's error — a writer's edit
                # failed every build until each language was updated. Styling lost
                # against the text the translation was made from (its entry's source, or
                # once `extract` brought the new one in, the previous one kept beside it:
                # PO `#| msgid`, XLIFF's note) still is, as is what the output depends on
                # (a link's target, an image, a placeholder).
                made_from = entry.source if entry.source != r.line.text else entry.previous
                own = set(broken_markup(made_from, entry.target, shown_with)) if made_from.strip() else set()
                broken = [p for p in broken if p in own or not p.startswith(_STYLING)]
        else:
            # a name, title or choice: its translation may style its words, but keeps its
            # source's `{…}` and adds none: each is a placeholder for the engine to fill
            # (markup.py), braces or not in its source
            broken = changed_placeholders(r.line.text, entry.target) \
                if "{" in entry.target or "{" in r.line.text else []
        if r.line.inline or r.line.kind in NAME_KINDS or r.line.kind == "choice":
            # shown as its words, as the source is: a tag shows as typed (HF0536), a link
            # is dropped (HF0123); said of the translation as of the source (an objective's
            # and a rule's description too: inline Markdown, read like a title). Braces
            # HF1107 says were added are that one slip, not an HF0537 too.
            added = [p[len("placeholder '"):-len("' added")] for p in broken
                     if p.startswith("placeholder '") and p.endswith("' added")]
            report_tags(entry.target, in_target, diags, entry.target_written,
                        where=f"a translated {_called(r.line)}",
                        said=added, as_prose=r.line.kind == "choice", markers=False,   # HF1107 says them
                        references=definitions(r.line.source) if r.line.kind == "scene-title" and "[" in entry.target
                        else None)
            if r.line.kind == "choice" and may_hold_links(entry.target):
                # its words are read as prose reads a choice's (load/markdown.py
                # choice_forms): a link prose makes none of (`[hier](htps://x)`,
                # `[da](a b)`) is shown as typed, said at its address as in the story's
                # choice (HF0124), not "dropped" (HF0123), nor not at all
                for found in links_in_words(entry.target)[:EACH_SAID]:   # (one line: said at most so often)
                    report_raw_prose(found, in_target, diags, entry.target_written)
        elif may_be_shown_as_typed(entry.target) \
                and (found := shown_as_typed(entry.target)) is not None and shown_as_typed(r.line.text) is None:
            # prose shows a tag, a comment, a refused link or a footnote as typed: said of
            # a translation that adds one as of the source (HF0124 there)
            report_raw_prose(found, in_target, diags, entry.target_written)
        if not (r.line.inline or r.line.kind in NAME_KINDS or r.line.kind == "choice"):
            # a link with no words, said of the source (HF0175), is said of a translation adding one
            report_translated_empty_links(entry.target, r.line.text, in_target, entry.target_written, diags)
        if r.line.markup and (r.line.kind == "summary" or (r.line.kind == "paragraph" and not r.line.source.endswith(".md"))):
            # shown as a block of Markdown (a story's paragraph is shown inside its source's block)
            report_translated_blocks(entry.target, r.line.text, in_target, entry.target_written, diags)
        if r.status == STALE:
            changed = entry.source != r.line.text
            why = "its source text changed" if changed else "marked fuzzy"
            # the file still holds the old source: a translation updated and unmarked by
            # hand stays stale until `extract` writes the new one in (it was the hint's
            # missing first step: a writer who followed it kept the warning)
            hint = ("Run `foundry l10n extract` to bring the new source text into this entry (marked fuzzy, the "
                    "old source kept beside it for comparison), then update the translation and clear its fuzzy "
                    "mark." if changed else "Update the translation, then clear its fuzzy mark.")
            # at the translation to update (PO: its msgstr), not at the translator's comment
            # that opens the entry: a code frame of `#. Paragraph 1 of scene …` showed
            # neither the line id nor the words to update
            diags.add("HF1106", f"{language}: translation of '{clip(entry.id, 60)}' is stale ({why})", in_target,
                      hint=hint)
        for problem in broken:
            # an added placeholder at its brace; what was lost is nowhere in the translation
            added = problem.startswith("placeholder '") and problem.endswith("' added")
            diags.add("HF1107", f"{language}: translation of '{clip(entry.id, 60)}': {problem}",
                      placed(in_target, entry.target_written, problem[len("placeholder '"):-len("' added")])
                      if added else in_target,
                      # a name, title or choice is held to its placeholders only: not "keep every emphasis"
                      hint=None if r.line.markup else "Keep each `{…}` of the source as written and add none: an "
                      "engine fills them. The words, and their emphasis, are the translation's.")
        if "\n" in entry.target.strip() or (_opens_block(entry.target) and (
                r.line.inline or r.line.kind in NAME_KINDS or r.line.kind == "choice")):
            # shown inline in the source's block: its markers would show as typed (a choice
            # with no words, `** **`, is HF1108 below: one finding, not two). A name's,
            # title's or choice's on its first line too (one line of inline Markdown): a
            # scene heading translated `## Spuren im Schlamm` was published with its `##`
            # in every output, check clean
            added = added_blocks(r.line.text, entry.target) if visible_text(entry.target) else []
            if added:
                diags.add("HF1107", f"{language}: translation of '{clip(entry.id, 60)}' adds "
                          f"{', '.join(added[:-1]) + ' and ' if len(added) > 1 else ''}{added[-1]}, which would be shown as typed", in_target,
                          hint="Translate one block as one block: no blank line, and no `#`, `>` or ``` "
                               "starting a line (write `\\#` if the text starts with one).")
        at_end = MARKER.search(entry.target) if "^l-" in entry.target else None
        # a marker is taken off the source as it is read; a translation is not a source
        # file, so one copied in with the paragraph's words (from the .md file a
        # translator works beside) was published as typed, in the string tables too;
        # inside a line too (two paragraphs' words copied, or a sentence added after it),
        # but not in a code span, text meant as typed in the source too (`inner_marker`)
        copied = at_end.group(1) if at_end else (inner_marker(entry.target) or (0, ""))[1]
        if copied:
            diags.add("HF1107", f"{language}: translation of '{clip(entry.id, 60)}' holds the line marker "
                      f"'^{copied}', which would be shown as typed", placed(in_target, entry.target_written,
                                                                             f"^{copied}"),
                      hint="Delete it: a translation file names its line by the entry's id (PO msgctxt, XLIFF "
                           "unit id, CSV id), and only the source file carries markers.")
        if story_paragraph and (labels := own_definitions(entry.target)):
            # shown inline with the story's definitions only: `[m]: https://…` a translation
            # adds was published as typed, its `[die Karte][m]` too, check clean
            diags.add("HF1107", f"{language}: translation of '{clip(entry.id, 60)}' adds a link definition "
                      f"('[{labels[0]}]: …'), which would be shown as typed with the link naming it", in_target,
                      hint="Write the link inline, `[die Karte](https://…)`, or use a definition the story "
                           "already has, by its label.")
        if (r.line.kind == "choice" or r.line.inline) and not visible_text(entry.target):
            # a name, title or heading too: one that shows no words (`![](x.png)`: an
            # image in a title is dropped) was published as the characters typed, the
            # raw markup as the German hero's name (HF0173 and HF0538 in the source)
            diags.add("HF1108", f"{language}: the {_called(r.line)} '{clip(entry.id, 60)}' translates to no visible text", in_target)
    return len(missing)



def _past_markdown_limits(entry: Any, line: Line, at: Span, diags: Diagnostics) -> bool:
    """HF0169 / HF0171 at the line of the translation (`at`: where its text starts) from
    which markdown-it read nothing: brackets nested past its look-ahead budget, or
    (prose a page renders as blocks: a background, a summary) quotes and lists nested
    past 100 levels (review32b found the summary's case too). The source is checked when the World loads; the localized parse of
    a translation threw its findings away, so a German background written `> > > …`
    110 deep was published as nothing, and `check` and `build` were clean. A story's
    paragraph is read as inline Markdown (its `>` shows as typed): only brackets count
    there. True if said."""
    text = entry.target
    blocks = _shown_as_blocks(line)
    if not (may_run_out(text) or (blocks and may_nest_deep(text))):
        return False
    env: dict = {}
    markdown().parse(text, env)
    # the translation's lines as the file holds them (PO: its msgstr's quoted lines),
    # where the line named is looked for; else a line of the text is a line of the file
    written = entry.target_written.split("\n") if entry.target_written else []
    line_of = (lambda n: written[n - at.line] if 0 <= n - at.line < len(written) else None) if written else None
    said = report_look_ahead(text, at, diags, env, line_of=line_of)
    return (blocks and report_too_deep(text, at, diags, env, line_of=line_of)) or said


def _shown_at(entry: Any, resolved: Mapping[str, Any], lines: list[Line], shown: dict | None = None) -> str:
    """The line id of another of the file's `lines` showing `entry` — a translation of
    this language's own (not one fallen back to) carried with its words to an untagged
    paragraph's new number (state.py `_shifted`) — or "". `shown`: a dict kept for one
    file's entries, filled on the first ask with every entry id → the first such line:
    looked up line by line for each entry, 6,000 gone entries of a story of 6,000
    paragraphs were 36 million looks of every check."""
    if shown is None:
        shown = {}
    if not shown:
        shown[None] = ""   # (filled: asked again, not walked again)
        for line in lines:
            o = resolved[line.id]
            if o.entry is not None and not o.via and line.id != o.entry.id:
                shown.setdefault(o.entry.id, line.id)
    return shown.get(entry.id, "")


def _renumbered(diags: Diagnostics, language: str, entry: Any, goes: str, path: str) -> None:
    """HF1106 at a translation shown on the paragraph that has its words now (`goes`)."""
    diags.add("HF1106", f"{language}: translation of '{clip(entry.id, 60)}' translates the words of "
              f"'{clip(goes, 60)}' now (the paragraphs were numbered anew): it is shown there, stale",
              entry.translation_span(path),
              hint="Run `foundry l10n extract` to move it to that paragraph (marked fuzzy to confirm); "
                   "`foundry l10n tag` gives paragraphs ids that stay when one is put before them.")


def _gone_hint(entry: Any, moved_to: str | None, known: list[str], entered: dict[str, int],
               told: dict[str, int], there: str = "") -> str:
    """What to do with a translation whose line id is gone: `extract` moves it to the
    line of the same words when there is one (a scene renamed, a choice led elsewhere,
    an id mistyped in the file); a near id is likely a typo; otherwise `extract` keeps
    it, obsolete. A near id is told as the one to write only when no entry of the file
    has it (`entered`: id → line) and no gone entry before was told it or is moved there
    (`told`, which this adds to): two entries mistyped alike were both told one id, and
    an id the file already translates was told, so correcting as told was HF1102, the id
    twice. `there`: the file of `moved_to` when it is another file's line (a paragraph
    moved, marker and all, to another story)."""
    if moved_to is not None and there:
        # (another file's line: no id of this file is told it)
        return (f"The line '{clip(moved_to, 60)}' of {clip(there, 80)} has these words and no translation: "
                "`foundry l10n extract` copies this translation there, marked fuzzy to confirm, and keeps it "
                "here, obsolete.")
    if moved_to is not None:
        told.setdefault(moved_to, entry.id_at)
        return (f"The line '{clip(moved_to, 60)}' has these words and no translation: `foundry l10n extract` "
                "moves this translation there, marked fuzzy to confirm.")
    found = nearest(entry.id, known, cutoff=0.85)   # `known`: the file's line ids, sorted
    if found is None:
        return "Run `foundry l10n extract`: it keeps the translation, marked obsolete."
    other = entered.get(found) or told.get(found)
    told.setdefault(found, entry.id_at)
    if other is None:
        return f"Did you mean '{clip(found, 60)}'? Correct the line id (PO msgctxt, XLIFF unit id, CSV id)."
    if found in entered:
        return (f"Did you mean '{clip(found, 60)}'? It has an entry at line {other} already: a line id is "
                "translated once, so put this translation there and remove this entry.")
    return (f"Did you mean '{clip(found, 60)}'? The entry at line {other} is told that id too: a line id is "
            "translated once, so correct only one of the two.")
