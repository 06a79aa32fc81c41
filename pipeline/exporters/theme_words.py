"""The theme's own words — "Search", "Contents", "Turn to", the 404 page — in the
language of the page or book: gettext catalogs shipped with the theme, read by
Babel, used by templates through Jinja's i18n extension (`{{ _("Search") }}`,
`{% trans %}…{% endtrans %}`).

    themes/<theme>/locale/<language>/LC_MESSAGES/messages.po    the project's theme
    <default theme>/locale/<language>/LC_MESSAGES/messages.po   shipped: de, ar

A project's theme may ship its own catalogs: its messages win over the default
theme's, message by message. Catalogs are read under the theme's confinement (the
project's for its own theme, the package's for ours), by Babel's PO reader, and
turned into `babel.support.Translations` — the standard gettext object; fuzzy
entries are left out, as msgfmt leaves them out.

Which words a language gets: English (`en`, `en-GB`…) is the source itself, so an
English page is byte for byte what it was before catalogs existed; the pseudo-locale
`en-XA` is computed from the English words by the content's pseudo function; a
language with a catalog gets its words (`de-AT` falls back to `de`); any other
language gets English, and `check` says so once per language (HF1140).

The words are handed to a render as the `theme_words` variable; the gettext
callables installed in the environment read it from the render's context (they are
`pass_context`), so one compiled template serves every language.

The default theme's catalogs are made with Babel's own tools (docs/localization.md):

    pybabel extract -F themes/default/babel.cfg -o themes/default/locale/messages.pot \\
        themes/default pipeline/exporters
    pybabel update -i themes/default/locale/messages.pot -d themes/default/locale
"""

from __future__ import annotations

import gettext
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Mapping

from jinja2 import pass_context
from jinja2.utils import missing
from markupsafe import Markup, escape

from ..confine import Boundary, Refused
from ..diagnostics import Diagnostics, Span, clip
from ..load.encoding import report_not_text
from ..load.hash_memo import KEPT
from ..load.hygiene import well_named
from ..l10n.pseudo import is_pseudo, pseudo_words
from ..toolid import SHIPPED_THEME
from .sandbox import constant_word, context_call

LOCALE = "locale"
DOMAIN = "messages"
CONTEXT_KEY = "theme_words"
MAX_CATALOG = 4 * 1024 * 1024   # bytes: a theme's catalog is a few hundred short messages


def N_(message: str) -> str:
    """Marks a word for Babel's extractor (its default keywords include `N_`) where
    it is defined; it is translated where it is shown."""
    return message


def is_english(language: str) -> bool:
    """The theme's source words are English: an English page needs no catalog."""
    return language.split("-")[0].lower() == "en" and not is_pseudo(language)


class _Pseudo(gettext.NullTranslations):
    """The pseudo-locale of the theme's English words. `%(name)s` placeholders are
    kept: they are wrapped in `{…}`, which the pseudo function keeps byte for byte."""

    _PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

    def _pseudo(self, message: str) -> str:
        shielded = self._PLACEHOLDER.sub(lambda m: "{" + m.group(0) + "}", message)
        return re.sub(r"\{(%\(\w+\)[sd])\}", r"\1", pseudo_words(shielded))

    def gettext(self, message: str) -> str:
        return self._pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._pseudo(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self._pseudo(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._pseudo(singular if n == 1 else plural)


def words_key(language: str) -> str:
    """`theme:words:<language>`: the input key of the theme's words in one language."""
    return f"theme:words:{language}"


class Words:
    """The theme's words in one language, as a template sees them (`theme_words`):
    `language`, `identity` (True when every word is the English source) and lookups.
    The gettext object is kept private: the sandbox refuses `_` attributes, so a
    template cannot reach it (`install()` would write `_` into Python's builtins)."""

    __slots__ = ("language", "identity", "_translations", "_said", "_marked", "_own")

    # Messages remembered per language: a theme's own are a few hundred; a template
    # translating content (`_(status.label)`) or a loop of made-up words adds more,
    # so past this the memo starts again rather than grow without end.
    LIMIT = 4096

    def __init__(self, language: str, translations: Any, identity: bool = True, own: frozenset = frozenset()):
        self.language, self.identity, self._translations = language, identity, translations
        self._own = own   # the messages the project's own theme's catalogs give (`has_plural`)
        # gettext(message) and that as Markup, by message: a page asks for ~40 words
        # (a hero page: "Skills", "Level" …), the same ones on every page, and each
        # lookup went through the catalog (and for the pseudo-locale, a regex and the
        # pseudo function). Pure: the translations object is fixed once made, and a
        # catalog edit makes new ThemeWords (so new Words) in the next plan.
        self._said: dict[str, str] = {}
        self._marked: dict[str, Markup] = {}

    @property
    def input_key(self) -> str:
        """The build's input key of these words (render/tracking.py): a render that
        writes them records it, so editing the language's catalog makes it again."""
        return words_key(self.language)

    def gettext(self, message: str) -> str:
        if type(message) is not str:   # a template may pass anything: an unhashable value is not remembered
            return self._translations.gettext(message)
        found = self._said.get(message)
        if found is None:
            if len(self._said) >= self.LIMIT:
                self._said.clear()
            found = self._said[message] = self._translations.gettext(message)
        return found

    def marked(self, message: str) -> Markup:
        """`as_html(message, self.gettext(message))`: what an autoescaping template's
        `_()` is given, remembered like gettext."""
        if type(message) is not str:
            return as_html(message, self.gettext(message))
        found = self._marked.get(message)
        if found is None:
            if len(self._marked) >= self.LIMIT:
                self._marked.clear()
            found = self._marked[message] = as_html(message, self.gettext(message))
        return found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._translations.npgettext(context, singular, plural, n)

    def has_plural(self, context: str, singular: str, *older: str) -> bool:
        """Whether the words translate the plural message `singular` in `context` (the
        pseudo-locale says every message): a template gives a script a message's forms
        only then, so a project catalog made before the message existed keeps the
        script's older words (search.html's `one`/`other`) instead of English forms.
        Not when the project's own theme translates one of the `older` messages the
        plural one replaces and not it: a German project's "{count} Funde zu …" gave
        way to the shipped catalog's plural "{count} Treffer für …" without a word."""
        if self.identity:
            return False
        catalog = getattr(self._translations, "_catalog", None)
        key = (f"{context}\x04{singular}", 0)
        if catalog is not None and key not in catalog:
            return False
        return key in self._own or not any(message in self._own for message in older)

    @property
    def plural_counts(self) -> tuple[tuple[str, int], ...]:
        """((CLDR plural category, the first whole count 0..1000 in it), …) of the
        language, in the order of those counts: English (("other", 0), ("one", 1)),
        Arabic six. A template says a counted phrase once per category (`ngettext` with
        that count) for a page's script to pick by `Intl.PluralRules` (search.js: "2
        نتائج" was the Arabic plural where the dual is "نتيجتان", and a Russian "5
        результата", by English's `n == 1`)."""
        return _plural_counts(self.language)


ENGLISH = Words("en", gettext.NullTranslations(), True)


@lru_cache(maxsize=None)
def _plural_counts(language: str) -> tuple[tuple[str, int], ...]:
    """Words.plural_counts for a language tag (English's for one Babel does not know:
    the pseudo-locale's counts are English's, as the browser's Intl reads `en-XA`)."""
    from babel import Locale, UnknownLocaleError
    try:
        rule = Locale.parse(language, sep="-").plural_form
    except (ValueError, TypeError, UnknownLocaleError):
        rule = Locale.parse("en").plural_form
    first: dict[str, int] = {}
    for n in range(PLURAL_TRIED + 1):
        first.setdefault(rule(n), n)
    return tuple(sorted(first.items(), key=lambda item: item[1]))


# A message written as HTML: a tag (`<i>if</i>`, `<a href=…>`) or a character reference.
_HTML_MESSAGE = re.compile(r"<[A-Za-z/!]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def as_html(message: Any, translation: str) -> Markup:
    """`translation` (of `message`) as the HTML a template writes: a message written as
    HTML (a `{% trans %}` paragraph with `<i>if</i>`) is translated as HTML; any other
    is a word, text in every language, whatever its translator typed (`&amp;`, `<b>`, a
    `"`), as Python's own uses of the words (the navigation, the search index, the
    story map) write it. As HTML, the same translation was a bold word in a page's
    breadcrumb and `<b>` in its navigation, and a quote ended an `aria-label`."""
    messages = message if isinstance(message, tuple) else (message,)
    if translation in messages or any(isinstance(m, str) and _HTML_MESSAGE.search(m) for m in messages):
        # (an untranslated word is the theme's own template text, written as before:
        # English pages stay byte for byte what they were)
        return Markup(translation)
    return WordText(escape(translation))


class WordText(Markup):
    """A theme word that is text (`as_html`), escaped for HTML; `tojson` writes its text."""
    __slots__ = ()


def folder_language(name: str) -> str:
    """The language a catalog folder or a tag names, spelt as Babel spells a locale:
    `pt-BR`, `pt_br` and `PT_BR` are all `pt_BR`, `zh-hant-tw` is `zh_Hant_TW`. Language
    tags are case-insensitive and gettext writes `_` for BCP 47's `-`, so a writer's
    folder in any of these spellings is the language's (`pt_br` was never read: the
    pages showed English, HF1140 saying the theme had no words)."""
    parts = re.split(r"[-_]", name)
    return "_".join([parts[0].lower(), *(p.title() if len(p) == 4 and p.isalpha() else
                                        p.upper() if len(p) == 2 or (len(p) == 3 and p.isdigit()) else p.lower()
                                        for p in parts[1:])])


@dataclass(frozen=True)
class ThemeWords:
    """Every catalog of a theme, by the language its folder spells (`de`, `pt_BR`, in
    Babel's spelling: `folder_language`), as Babel Translations; `sources` are the
    catalog files read, for diagnostics; `digest` covers their bytes (a catalog edit
    re-renders what it words)."""

    catalogs: Mapping[str, Any] = field(default_factory=dict, compare=False)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    digests: Mapping[str, str] = field(default_factory=dict)
    # the messages the project's own theme's catalogs give, by language (their words are
    # said at their lines there: books/theme.py own_theme_texts)
    own: Mapping[str, frozenset] = field(default_factory=dict, compare=False)
    # each language's Words, made once: their memo of looked-up words then serves
    # every page in that language (a page asked for a new Words, and an empty memo)
    _languages: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    # each language's catalog (`catalog_for`), found once: every page asks for its digest
    _names: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def catalog_for(self, language: str) -> str | None:
        """The catalog that serves `language` (its key in `catalogs`): the tag's own
        (a folder `pt-BR`, `pt_BR` or `pt_br`, or the registry's other tag for it, `iw`
        for `he`: l10n/tags.py `language_key`, as HF0751 tells languages apart), else its
        primary language's (`pt`); None when there is none."""
        if language not in self._names:
            self._names[language] = self._catalog_for(language)
        return self._names[language]

    def _catalog_for(self, language: str) -> str | None:
        wanted = (language, language.split("-")[0])
        if "-" in language and not is_pseudo(language):
            from ..l10n.scripts import same_script   # `zh`'s words are Simplified: none for `zh-Hant`
            wanted = wanted if same_script(language, wanted[1]) else wanted[:1]
        for name in map(folder_language, wanted):
            if name in self.catalogs:
                return name
        if not self.catalogs or is_english(language) or is_pseudo(language):
            return None   # English pages use no catalog: a project without languages loads no langcodes
        # a catalog in locale/iw/ (as Java tools named Hebrew) for `he`: read as no
        # catalog, the pages showed English and HF1140 told to add one beside it
        from ..l10n.tags import language_key   # langcodes: only for a language listed, on a miss
        keys = {name: language_key(name.replace("_", "-")) for name in sorted(self.catalogs)}
        for key in map(language_key, wanted):
            found = next((name for name, its in keys.items() if its == key), None)
            if found is not None:
                return found
        # the lines' fallback (tags.fallbacks): `zh-TW` takes `zh_Hant`'s words, `zh-Hant-HK` too
        from ..l10n.tags import fallbacks
        tags = {name.replace("_", "-"): name for name in sorted(self.catalogs)}
        chain = fallbacks(language, tags)
        return tags[chain[0]] if chain else None

    def has_words(self, language: str) -> bool:
        return is_english(language) or is_pseudo(language) or self.catalog_for(language) is not None

    def for_language(self, language: str) -> Words:
        found = self._languages.get(language)
        if found is None:
            found = self._languages[language] = self._words(language)
        return found

    def _words(self, language: str) -> Words:
        if is_english(language):
            return Words(language, gettext.NullTranslations(), True)
        if is_pseudo(language):
            return Words(language, _Pseudo(), False)
        name = self.catalog_for(language)
        if name is None:
            return Words(language, gettext.NullTranslations(), True)
        return Words(language, self.catalogs[name], False, self.own.get(name, frozenset()))

    def shipped_translations(self, language: str) -> tuple[str, ...]:
        """Every word the shipped theme's catalog serving `language` gives that the
        project's own catalogs do not replace (each plural form), in the catalog's
        order; () for a language shown in English. What a book in `language` may print
        of the theme's words that is no file of the project's ("Contents", a heading,
        the quotation marks): HF0741 at the language's tag when no font has a
        character of them (pdf/theme_language.py)."""
        name = self.catalog_for(language)
        if name is None:
            return ()
        # gettext keeps a compiled catalog's translations here (msgid, or (msgid, n) for a
        # plural form, "" for the header): Babel's Translations.merge updates it too
        found = getattr(self.catalogs[name], "_catalog", {})
        own = self.own.get(name, frozenset())
        return tuple(dict.fromkeys(text for key, text in found.items()
                                   if key != "" and key not in own and isinstance(text, str) and text))

    def digest(self, language: str) -> str:
        """What a page in `language` depends on among the catalogs (input key
        `theme:words:<language>`)."""
        name = self.catalog_for(language)
        return self.digests.get(name, "") if name else ("pseudo" if is_pseudo(language) else "")


class _Catalogs(Mapping):
    """language → its Translations (ThemeWords.catalogs), each made the first time a
    language is asked for: the default theme's catalog compiled then (`_translations`,
    ~12 CPU-ms each cold), the project theme's merged over it (its messages win). Which
    languages there are is known without compiling (`catalog_for` asks only that)."""

    def __init__(self, layers: dict[str, list[Any]]):
        self._layers = layers   # language → its catalogs, the default theme's first: made, or what makes one
        self._made: dict[str, Any] = {}

    def __getitem__(self, language: str) -> Any:
        found = self._made.get(language)
        if found is None:
            layers = self._layers[language]   # KeyError: no catalog of that language
            for layer in layers:
                made = layer() if isinstance(layer, partial) else layer
                if made is not None:
                    found = made if found is None else _merged(found, made)   # the project's messages win
            self._made[language] = found = found if found is not None else gettext.NullTranslations()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    def __contains__(self, language: object) -> bool:
        return language in self._layers


# A catalog compiled (parsed with Babel, written as .mo) by its locale and bytes: the
# site's plan and both print themes load the same catalogs, and `foundry serve` plans
# again on every save (~0.5 CPU-s a save). Only catalogs that parsed are kept.
_COMPILED: dict[tuple[str | None, str], bytes] = {}


def load_theme_words(folders: list[tuple[Path, Boundary, str]], diags: Diagnostics) -> ThemeWords:
    """The catalogs under `locale/` of each theme folder, given as (folder, its
    boundary, how diagnostics name it), the default theme's first so that the
    project's messages win. A catalog that does not parse is HF1141 at its line and
    is left out (its pages show English there)."""
    layers: dict[str, list[Any]] = {}   # language → its catalogs, the default theme's first (made or to make)
    sources: dict[str, list[str]] = {}
    hashes: dict[str, Any] = {}
    spelt: dict[tuple[str, str], str] = {}   # (theme, language) → the catalog read for it
    own: dict[str, set] = {}   # language → the messages the project's theme's catalogs give
    for folder, fence, label in folders:
        base = folder / LOCALE
        found, _ = fence.files(base)
        for path in sorted(well_named(found, base)):
            parts = path.relative_to(base).parts
            if len(parts) != 3 or parts[1:] != ("LC_MESSAGES", f"{DOMAIN}.po"):
                continue
            language = folder_language(parts[0])
            shown = f"{label}/{LOCALE}/{'/'.join(parts)}"
            if (label, language) in spelt:   # `pt-BR/` and `pt_BR/` in one theme: the first is read
                diags.add("HF1110", f"the theme's catalog {shown} is a second one for '{language}', beside "
                          f"{spelt[label, language]}: that one is read, this one is not", Span(shown),
                          hint="Keep one folder a language in the theme's locale/: move this catalog's messages "
                               f"into {spelt[label, language]} and remove {label}/{LOCALE}/{parts[0]}/.")
                continue
            spelt[label, language] = shown
            try:
                data = fence.read(path, MAX_CATALOG, kept=KEPT)   # kept by its stat: read by every plan
            except OSError as exc:
                # a link out is the theme loader's HF0120; a catalog that is too large or not
                # a file (a FIFO) would otherwise leave the pages in English without a word
                if isinstance(exc, Refused) and exc.kind != "outside":
                    diags.add("HF0116", f"the theme's catalog {shown} is not read: {exc.reason}",
                              Span(shown), hint="A catalog is a PO file of the theme's messages, well under "
                                                f"{MAX_CATALOG // (1024 * 1024)} MiB.")
                continue
            if folder == SHIPPED_THEME:
                # the shipped theme's, which parse without a word (tests/l10n/test_theme_words.py):
                # compiled when a page or book in its language first asks (`_Catalogs`), so
                # an English check parses none (Babel read the German and Arabic ones, ~25 CPU-ms cold)
                layers.setdefault(language, []).append(partial(_translations, data, language, shown, Diagnostics()))
            else:
                translations = _translations(data, language, shown, diags)
                if translations is None:
                    continue
                layers.setdefault(language, []).append(translations)
            sources.setdefault(language, []).append(shown)
            hashes.setdefault(language, hashlib.sha256()).update(data)
            if label.startswith("themes/"):   # the project's own theme (as own_theme_texts tells it)
                own.setdefault(language, set()).update(getattr(translations, "_catalog", {}))
    return ThemeWords(_Catalogs(layers), {k: tuple(v) for k, v in sources.items()},
                      {k: h.hexdigest() for k, h in hashes.items()}, {k: frozenset(v) for k, v in own.items()})


def _translations(data: bytes, language: str, shown: str, diags: Diagnostics) -> Any:
    """One catalog's bytes (`shown`: how diagnostics name it) as Babel Translations,
    compiled once a process by its locale and bytes (_COMPILED, _READY); None, with
    HF1141 at its line, when it does not parse, and HF1153 at each word typed as markup."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    if b"<<<<<<<" in data:
        # a merge left both sides in it: HF0185 at each conflict, as every text file the
        # build reads (load/conflicts.py), not "Unknown or misformatted keyword" at `=======`
        from ..load.conflicts import report_conflicts
        if report_conflicts(shown, data.decode("utf-8", "replace"), diags):
            return None
    try:
        locale = _babel_locale(language)
        key = (locale, KEPT.sha256(data))
        twice = _plural_forms_twice(data)
        if twice is not None:
            # GNU gettext's runtime reads the first, Babel and Python's gettext the last:
            # what a page shows depended on which tool read the catalog
            usual = _usual_line(language, locale)[0]
            diags.add("HF1141", f"the theme's catalog does not parse: its header gives Plural-Forms twice, "
                      f"differently (lines {twice[0]} and {twice[1]}): gettext reads the first, Babel the last",
                      Span(shown, twice[1], 1),
                      hint=f"Keep one Plural-Forms line (line {twice[0]} or {twice[1]}) and delete the other"
                           + (f"; gettext's usual line for the language is `{usual}`." if usual else "."))
            return None
        plurals = _PLURALS.search(data)
        if plurals is not None and not 1 <= int(plurals.group(1)) <= MAX_PLURALS:
            # Babel pads every plural message to nplurals forms: 100,000,000 ran for ever
            diags.add("HF1141", f"the theme's catalog does not parse: nplurals={clip(plurals.group(1), 20)} "
                      f"(languages have 1 to {MAX_PLURALS} plural forms)",
                      Span(shown, _line_of(data, plurals.group(0)), 1),
                      hint="Copy the Plural-Forms line for your language from the GNU gettext manual "
                           "(\"Plural forms\"), or let a PO editor (Poedit, Lokalize) write it.")
            return None
        from ..l10n.formats import foreign_charset   # imported when a theme has catalogs
        foreign = foreign_charset(data)
        if foreign is not None:
            diags.add("HF1141", f"the theme's catalog does not parse: its header names the charset "
                      f"'{clip(foreign[0], 40)}', which is no encoding a PO file may be in",
                      Span(shown, foreign[1], 1),
                      hint="Save it as UTF-8 and write `charset=UTF-8` in its Content-Type line "
                           "(GNU gettext's portable charsets, such as ISO-8859-1, are read too).")
            return None
        if key not in _COMPILED:
            catalog = read_po(io.BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)
            for found, hint in ((_bad_placeholder(catalog), "A translation uses the placeholders of its message "
                                 "as they are, `%(name)s`, and no others (`msgfmt -c` checks them too)."),
                                (_missing_forms(catalog), "Write every `msgstr[n]` its Plural-Forms counts (a PO "
                                 "editor lists them by the numbers each one is for), or leave them all empty.")):
                if found is not None:   # never kept: reported on every load
                    diags.add("HF1141", f"the theme's catalog does not parse: {found[1]}", Span(shown, found[0], 1),
                              hint=hint)
                    return None
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            if len(_COMPILED) >= 64:
                _COMPILED.clear()
                _SLIPS.clear()
                _READY.clear()
            _COMPILED[key] = compiled.getvalue()
            _SLIPS[key] = tuple(("HF1153", line, what) for line, what in _markup_slips(catalog)) \
                + _placeholder_slips(catalog)
        for code, line, what in _SLIPS.get(key, ()):
            diags.add(code, what, Span(shown, line, 1))
        if key not in _READY:   # read-only once made: a merge copies (`_merged`)
            try:
                translations = Translations(io.BytesIO(_COMPILED[key]), domain=DOMAIN)
            except ValueError as err:
                # gettext compiles the formula here (c2py): `plural=x`, `n>1 ? 1 : 0 : 2`, one
                # of over 1000 characters is said at its line, with the usual line, as one
                # that fails for a count, not as the whole file's
                _READY[key] = (None, (0, f"is no formula gettext reads ({clip(str(err), 80)})"), None)
            else:
                # the compiled header's: Babel writes its own for the locale where the catalog has none
                header = _PLURALS.search(translations.info().get("plural-forms", "").encode())
                failing = _plural_fails(translations, locale, int(header.group(1)) if header else None) \
                    or _formula_missing(data, translations)
                _READY[key] = (translations, failing,
                               None if failing else _too_few_forms(translations, language, locale))
        translations, failing, few = _READY[key]
        if failing is not None:
            line = _usual_line(language, locale)[0]
            diags.add("HF1141", f"the theme's catalog does not parse: its Plural-Forms {failing[1]}",
                      Span(shown, _line_of(data, b"Plural-Forms"), 1),
                      hint=f"Write `{line}` in its header (gettext's usual line for the language)." if line else
                           "Copy the Plural-Forms line for your language from the GNU gettext manual "
                           "(\"Plural forms\"), or let a PO editor (Poedit, Lokalize) write it.")
            return None
        if few is not None:
            diags.add("HF1156", few[0], Span(shown, _line_of(data, b"Plural-Forms"), 1), hint=few[1])
        _check_declared(data, language, shown, diags)
    except PoFileError as err:
        line = (getattr(err, "lineno", -1) or 0) + 1   # Babel counts lines from 0
        what = str(err).rsplit(" on ", 1)[0]           # "… on 4": the line is in the span
        diags.add("HF1141", f"the theme's catalog does not parse: {clip(what, 120)}",
                  Span(shown, line, 1),
                  hint="Open the catalog in a PO editor (Poedit, Lokalize) or run `msgfmt -c` on it.")
        return None
    except UnicodeDecodeError as err:
        if _utf8(data):   # not in the charset its header declares
            diags.add("HF1141", f"the theme's catalog does not parse: {clip(str(err), 120)}", Span(shown),
                      hint="Save it in the charset its Content-Type line names, or as UTF-8 with "
                           "`charset=UTF-8` there.")
        else:   # saved as UTF-16 or Latin-1: where, and what the bytes are (load/encoding.py)
            report_not_text(shown, data, diags, "HF1141")
        return None
    except (ValueError, TypeError, LookupError) as err:
        diags.add("HF1141", f"the theme's catalog does not parse: {clip(str(err), 120)}", Span(shown),
                  hint="Open the catalog in a PO editor (Poedit, Lokalize) or run `msgfmt -c` on it.")
        return None
    return translations


# Each compiled catalog made a Translations (its plural formula tried: `_plural_fails`,
# and the verdict), by the same key as _COMPILED: the plans of one check load the shipped
# theme's catalogs three times (the site's, the PDF's, the EPUB's), `foundry serve` on
# every save, ~0.5 ms each made. Shared by every ThemeWords made of those bytes, so
# never changed once made: a project's catalog is merged into a copy (`_merged`).
_READY: dict[tuple[str | None, str], tuple[Any, tuple[int, str] | None, tuple[str, str] | None]] = {}


def _merged(base: Any, own: Any) -> Any:
    """A new Translations: `base`'s messages with `own`'s merged over them (Babel's
    Translations.merge, on a copy: `base` may be one of _READY's). Merged alone, `own`'s
    plural forms were read by `base`'s formula: a project's Arabic catalog whose forms
    are in another order than the shipped one's (one, two, few… where gettext's usual
    line starts at zero) showed its "many" form for five. Where the two formulas give
    some count 0..1000 different forms, each of `own`'s plural messages keeps its own
    (_Layered)."""
    import copy
    merged = copy.copy(base)
    merged._catalog = dict(base._catalog)
    merged.files = list(getattr(base, "files", []))
    merged._domains = dict(getattr(base, "_domains", {}))
    merged.merge(own)
    formulas = dict(getattr(base, "formulas", {}))
    plural = getattr(own, "plural", None)
    if plural is not None and not _same_forms(plural, base.plural):
        for key in own._catalog:
            if isinstance(key, tuple):
                formulas[key[0]] = plural
    else:
        for key in own._catalog:
            if isinstance(key, tuple):
                formulas.pop(key[0], None)
    if formulas:
        merged.__class__ = _layered(type(base))
        merged.formulas = formulas
    return merged


def _same_forms(one: Callable[[int], int], other: Callable[[int], int]) -> bool:
    """Whether two catalogs' plural formulas give every count 0..1000 the same form (the
    counts HF1156 judges a formula by)."""
    try:
        return all(one(n) == other(n) for n in range(1001))
    except Exception:   # a formula failing for a count is HF1141 where it is read
        return False


@lru_cache(maxsize=None)
def _layered(kind: type) -> type:
    """`kind` (Babel's Translations) reading a plural message by the formula of the
    catalog it came from (`formulas`: message id, with its context, → that catalog's
    `plural`), the others by the merged catalog's own."""
    if hasattr(kind, "formulas"):   # a third layer over a merge that was one already
        return kind

    class _Layered(kind):
        formulas: dict = {}

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            found = self._by_own(singular, n)
            return found if found is not None else super().ngettext(singular, plural, n)

        def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
            found = self._by_own(self.CONTEXT_ENCODING % (context, singular), n)
            return found if found is not None else super().npgettext(context, singular, plural, n)

        def _by_own(self, key: str, n: int) -> str | None:
            formula = self.formulas.get(key)
            return self._catalog.get((key, formula(n))) if formula is not None else None

    return _Layered


# What each compiled catalog's translations typed as markup (`_markup_slips`) or left
# out of their placeholders (`_placeholder_slips`), as (code, line, words), by the same
# key as _COMPILED: said on every load, a kept catalog's too.
_SLIPS: dict[tuple[str | None, str], tuple[tuple[str, int, str], ...]] = {}
# A `{name}` placeholder of a message flagged python-brace-format (the search page's
# `{count}`, `{query}`, which its script fills in)
_BRACE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _placeholder_slips(catalog: Any) -> tuple[tuple[str, int, str], ...]:
    """(HF1157, line, words) for each translation that leaves out a placeholder of its
    message — `%(name)s`, or `{name}` in a python-brace-format message — or, in such a
    message, writes a `{name}` it does not have: "Mehr" for "More about %(name)s" showed
    the hero page's aside without the hero's name, "{count} Treffer für {qurey}" the
    search status without the query and `{qurey}` as typed; `msgfmt -c` refuses both.
    A plural message's form is held to its message's placeholders (a Russian "сцен" for
    "%(count)s scenes" showed five scenes as "сцен") but for one its formula gives
    fewer than five counts, which may say "eine Szene" without the number (`msgfmt -c`'s
    rule, `_rare_forms`). A fuzzy or untranslated message is not held to it (not used). Extra `%`
    placeholders are HF1141 (`_bad_placeholder`)."""
    slips = []
    rare = None   # the forms the catalog's formula gives few counts (`_rare_forms`)
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if len(ids) > 1 and not any(strings):
            continue
        if len(ids) > 1 and rare is None:
            rare = _rare_forms(catalog)
        named = dict.fromkeys(m.group(1) for text in ids for m in _CONVERSION.finditer(text) if m.group(1))
        braced = dict.fromkeys(name for text in ids for name in _BRACE.findall(text)) \
            if "python-brace-format" in message.flags else {}
        for index, text in enumerate(strings):
            line = (message.lineno or 0) + (len(ids) + index if len(ids) > 1 else 1)
            if len(ids) > 1 and not text:
                continue   # an empty form: HF1141 (`_missing_forms`)
            said = f"msgstr[{index}] of '{clip(ids[0], 40)}'" if len(ids) > 1 else \
                f"the translation of '{clip(ids[0], 40)}'"
            wanted = [] if len(ids) > 1 and index in (rare or ()) else \
                [f"%({name})s" for name in named if f"%({name})" not in text] \
                + [f"{{{name}}}" for name in braced if f"{{{name}}}" not in text]
            if wanted:
                slips.append(("HF1157", line, f"{said} leaves out {', '.join(wanted)}: "
                              "the page shows it without that value"))
            if "python-brace-format" in message.flags:
                for typed in dict.fromkeys(_BRACE.findall(text)):
                    if typed not in braced:
                        slips.append(("HF1157", line, f"'{{{clip(typed, 28)}}}' in {said} is no "
                                      "placeholder of its message: the page shows it as typed"))
    return tuple(slips)


def _rare_forms(catalog: Any) -> frozenset[int]:
    """The plural forms the catalog's formula gives fewer than five counts of
    0..PLURAL_TRIED (English's form 0, for 1; French's, for 0 and 1; Arabic's zero and
    dual), whose translation may leave out the number, as GNU msgfmt -c allows (its
    check_plural_eval); none when gettext cannot read the formula (HF1141)."""
    try:
        plural = gettext.c2py(catalog.plural_expr)
        counts: dict[int, int] = {}
        for n in range(PLURAL_TRIED + 1):
            form = plural(n)
            counts[form] = counts.get(form, 0) + 1
    except (ValueError, ArithmeticError, TypeError, RecursionError):
        return frozenset()
    return frozenset(form for form, many in counts.items() if many < 5)


_TYPED_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def _markup_slips(catalog: Any) -> tuple[tuple[int, str], ...]:
    """(line, words) of HF1153 for each translation holding a tag or an entity whose
    message is a word (`as_html`): it is shown as typed, `<b>` and `&amp;` alike."""
    slips = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        if any(_HTML_MESSAGE.search(text) for text in ids):
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        found = next((m.group(0) for text in strings for m in _TYPED_MARKUP.finditer(text or "")), None)
        if found is not None:
            slips.append(((message.lineno or 0) + len(ids),
                          f"'{clip(found, 40)}' in the translation of '{clip(ids[0], 40)}' is shown as typed: "
                          "the message is a word, not HTML"))
    return tuple(slips)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# `nplurals=N` in a catalog's header: Arabic has the most plural forms, six.
_PLURALS = re.compile(rb"nplurals\s*=\s*(\d+)")
MAX_PLURALS = 6
# How many numbers a catalog's plural formula is tried on before it is used: the counts
# a page shows (endings, paths, people) start small; a formula that fails later still
# cannot stop a build (`_guarded`).
PLURAL_TRIED = 1000


def _plural_fails(translations: Any, locale: str | None = None, count: int | None = None) -> tuple[int, str] | None:
    """(n, what the formula does wrong, as words after "its Plural-Forms") for the
    first n in 0..PLURAL_TRIED the catalog's plural formula (its Plural-Forms header,
    compiled by gettext) fails on, e.g. `plural=n/(n-n)`, or gives a form outside 0 to
    `count` - 1 (its `nplurals`: the translation of that form does not exist, and the
    count was shown in English; `msgfmt -c` refuses it too); None when it works for all
    of them, and the formula is then guarded for larger n and, for `locale` (Babel's
    name, as `_babel_locale` gives it), told the form of a count that is no whole number
    (`_fraction_forms`)."""
    plural = getattr(translations, "plural", None)
    if plural is None:
        return None
    for n in range(PLURAL_TRIED + 1):
        try:
            form = plural(n)
        except (ArithmeticError, ValueError, TypeError, RecursionError) as err:
            return n, f"fails for n = {n} ({clip(str(err) or type(err).__name__, 60)})"
        if count is not None and not 0 <= form < count:
            return n, (f"gives n = {n} the form {form}, and its nplurals={count} counts the forms 0 to "
                       f"{count - 1}: a count of {n} would be shown in English")
    translations.plural = _guarded(plural, _fraction_forms(locale, plural))
    return None


# The value of a catalog's Plural-Forms header, its PO strings joined (a PO editor may
# wrap it: `"Plural-Forms: nplurals=2; "` then `"plural=(n > 1);\n"`)
_PLURAL_HEADER = re.compile(rb'Plural-Forms:((?:[^"\\\n]|\\.|"\s*\n\s*")*)')
_FORMULA = re.compile(rb"\bplural\s*=")


def _formula_missing(data: bytes, translations: Any) -> tuple[int, str] | None:
    """(0, what) when the catalog's Plural-Forms header names no `plural=` formula and it
    translates a plural message, else None: Babel then used English's `(n != 1)`, so a
    French catalog's "0 scènes" was said for none, without a word (`msgfmt -c` refuses
    it: "header entry lacks a plural=EXPRESSION attribute")."""
    found = _PLURAL_HEADER.search(data)
    if found is None or _FORMULA.search(found.group(1)):
        return None
    if not any(isinstance(key, tuple) for key in getattr(translations, "_catalog", {})):
        return None
    return 0, "names no `plural=` formula, so English's (n != 1) chose the forms"


def _too_few_forms(translations: Any, language: str, locale: str | None) -> tuple[str, str] | None:
    """(message, hint) of HF1156 when the catalog's plural formula gives fewer forms
    to the counts 0..PLURAL_TRIED than its language tells apart (a Russian catalog
    with `nplurals=1; plural=0;`: "5 сцена", one form for every count), else None.
    What a language tells apart is the fewer of two conventions, so that a catalog
    written to either is quiet: CLDR's (Babel's plural rules, whole counts: French
    `one`, `other`, its `many` is for millions) and gettext's (translate-toolkit's
    table, as msginit writes headers: Welsh and Hebrew two forms, which CLDR splits
    further). A language neither knows is not judged. The message names two counts
    the catalog gives one form and the language does not; the hint gives gettext's
    line (CLDR's, as Babel writes it, where translate-toolkit lacks the language)."""
    plural = getattr(translations, "plural", None)
    if plural is None:
        return None
    given = len({plural(n) for n in range(PLURAL_TRIED + 1)})
    cldr = _cldr_rule(locale)
    if cldr is not None and given >= _forms(cldr):   # the usual case: translate-toolkit's table is not read
        return None
    usual = _gettext_rule(language, locale)
    rules = [rule for rule in (cldr, usual and usual[0]) if rule is not None]
    if not rules:
        return None
    rule = min(rules, key=_forms)
    if given >= _forms(rule):
        return None
    first: dict[Any, int] = {}
    pair = None
    for n in range(PLURAL_TRIED + 1):   # two counts of one form here, two forms in the language
        form = plural(n)
        if form in first and rule(first[form]) != rule(n):
            pair = (first[form], n)
            break
        first.setdefault(form, n)
    line, count = _usual_line(language, locale, usual)
    told = f": {pair[0]} and {pair[1]} are said in one form" if pair else ""
    return (f"the catalog's Plural-Forms gives the counts {given} form{'s' if given != 1 else ''}, where "
            f"'{clip(language, 30)}' tells {_forms(rule)} apart{told}",
            f"Write `{line}` in the catalog's header (gettext's usual line for the language) and translate "
            f"each plural message in its {count} forms, msgstr[0] to msgstr[{count - 1}].")


def _usual_line(language: str, locale: str | None, usual: tuple[Any, int, str] | None = None) -> tuple[str, int]:
    """(the header line `"Plural-Forms: nplurals=…; plural=…;\\n"` of gettext's usual
    formula for the language — translate-toolkit's, else Babel's (CLDR's) —, its
    nplurals); ("", 0) when neither knows the language."""
    usual = usual or _gettext_rule(language, locale)
    if usual is not None:
        count, formula = usual[1], usual[2]
    elif locale is not None:
        from babel.messages.plurals import get_plural
        found = get_plural(locale)
        count, formula = found.num_plurals, found.plural_expr
    else:
        return "", 0
    return f'"Plural-Forms: nplurals={count}; plural={formula};\\n"', count


def _forms(rule: Any) -> int:
    """How many forms (or CLDR categories) `rule` gives the counts 0..PLURAL_TRIED."""
    return len({rule(n) for n in range(PLURAL_TRIED + 1)})


def _cldr_rule(locale: str | None) -> Any:
    """CLDR's plural rule for `locale` (Babel's name: a count to its category), or None
    when Babel does not know it."""
    if locale is None:
        return None
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(locale).plural_form
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def _gettext_rule(language: str, locale: str | None) -> tuple[Any, int, str] | None:
    """(the formula compiled, nplurals, the formula) of gettext's usual Plural-Forms for
    the language (translate-toolkit's table, by the locale `pt_BR`, then its language
    `pt`), or None when the table does not have it."""
    from translate.lang.data import languages
    names = [locale or language.replace("-", "_")]
    names.append(names[0].split("_", 1)[0])
    for name in names:
        found = languages.get(name)
        if found is not None:
            return gettext.c2py(found[2]), found[1], found[2]
    return None


def _guarded(plural, fraction=None):
    """The plural formula, and `fraction`'s form for a count that is no whole number
    (1.5) where it gives one. A count written as a number in text (`"3"`, read from
    data) takes that number's form; a count the formula cannot take (infinity, NaN,
    None, a count past PLURAL_TRIED it fails on) takes the form the formula gives a
    large round count, the many: English's rule (form 1 but for 1) was the dual in
    Slovene, Irish or Welsh ("3 uri", two hours). The formula works on 0..PLURAL_TRIED
    (`_plural_fails` tried it)."""
    many = plural(PLURAL_TRIED)

    def choose(n: Any) -> int:
        if isinstance(n, str):
            n = _count_in(n)
        if not isinstance(n, (int, float)) or isinstance(n, float) and not math.isfinite(n):
            return many
        if fraction is not None and isinstance(n, float) and not n.is_integer():
            form = fraction(n)
            if form is not None:
                return form
        try:
            return plural(n)
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            return many
    return choose


def _count_in(text: str) -> int | float | None:
    """The number a count written as text says (`"3"`, `" 2 "`, `"1.5"`), else None
    (also for one of over 40 characters: a count of many, not worth converting)."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text) if len(text) <= 40 else None
        except ValueError:
            continue
    return None


def _fraction_forms(locale: str | None, plural: Any):
    """For a count with a fraction, the catalog's form by CLDR's plural rules, or None:
    gettext's formulas are written for whole numbers (Python passes a float through
    them, deprecated, and will refuse it), and French is "1,5 heure" (CLDR: `one` is
    i = 0,1) where `plural=(n > 1)` gave "heures". Which form stands for which of
    CLDR's categories is read from the catalog's own formula (`plural`, tried on 0..
    PLURAL_TRIED): a category whose whole counts all take one form takes it (Latvian's
    gettext forms are one, other, zero — not CLDR's order, zero, one, other — so 1.5,
    `other`, said the zero form). A category no whole count has, or whose counts take
    two forms (Russian's `other`, fractions only), is None, and the formula decides as
    before; so is a count CLDR's rules cannot weigh (infinity: Babel's OverflowError
    stopped a German page whose English one was made)."""
    if locale is None:
        return None
    from babel import Locale, UnknownLocaleError
    try:
        rule = Locale.parse(locale).plural_form
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    forms: dict[str, set[int]] = {}
    for n in range(PLURAL_TRIED + 1):
        forms.setdefault(rule(n), set()).add(plural(n))
    mapping = {category: next(iter(found)) for category, found in forms.items() if len(found) == 1}

    def form(n: float) -> int | None:
        if not math.isfinite(n):
            return None
        return mapping.get(rule(n))
    return form


def _check_declared(data: bytes, language: str, shown: str, diags: Diagnostics) -> None:
    """HF1146 at a catalog's `Language:` header naming another language than its folder
    (l10n/tags.py `other_language`, as for translation files): a French catalog copied
    into `locale/de/` to start from, or `pybabel init -l fr` run into the German folder,
    put French words on every German page without a word."""
    from ..l10n.formats import declared_languages
    from ..l10n.tags import as_tag, other_language
    for found in declared_languages(data.decode("utf-8", "replace"), "po"):
        if found.which == "target" and other_language(found.tag, language):
            root = shown.rsplit("/locale/", 1)[0]
            diags.add("HF1146", f"the catalog says it is in '{clip(found.tag, 30)}' ({found.where}), but it is in the "
                      f"folder of '{clip(language, 30)}': its words are shown on the '{clip(language, 30)}' pages",
                      Span(shown, found.line, found.column),
                      hint=f"Move it to {root}/locale/{folder_language(as_tag(found.tag))}/LC_MESSAGES/ if it is in "
                           f"that language, or correct its Language: to '{language}' if only the header is wrong.")


_HEADER_FIELD = re.compile(rb'^\s*"([A-Za-z-]+):', re.M)


def _plural_forms_twice(data: bytes) -> tuple[int, int] | None:
    """(the first's line, the second's) when a catalog's header gives two Plural-Forms
    fields that say different things (spaces aside), else None. The header is the
    first entry's msgstr: the lines before the first `msgid` after it; a field's value
    goes on over the quoted lines that follow it up to its `\\n`."""
    lines = data.split(b"\n")
    seen: list[tuple[int, bytes]] = []
    started = False
    at = 0
    while at < len(lines):
        line = lines[at].strip()
        if line.startswith(b"msgid"):
            if started:
                break
            started = True
        field = _HEADER_FIELD.match(lines[at])
        if field is not None and field.group(1).lower() == b"plural-forms":
            value, first = b"", at
            while at < len(lines) and lines[at].strip().startswith(b'"'):
                part = lines[at].strip()[1:-1]
                value += part
                at += 1
                if part.endswith(b"\\n") or at >= len(lines) or _HEADER_FIELD.match(lines[at]):
                    break
            seen.append((first + 1, b"".join(value.split()).removesuffix(b"\\n")))
            continue
        at += 1
    for line, value in seen[1:]:
        if value != seen[0][1]:
            return seen[0][0], line
    return None


def _line_of(data: bytes, needle: bytes) -> int:
    """The 1-based line of the first `needle` in `data`, else 1."""
    at = data.find(needle)
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 1


# A `%` conversion as Python's `%` operator reads one (mapping key, flags, width,
# precision, conversion); a lone `%` at the end matches with an empty conversion.
_CONVERSION = re.compile(r"%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d*)(?:\.(\*|\d*))?([a-zA-Z%]?)")


def _bad_placeholder(catalog: Any) -> tuple[int, str] | None:
    """(line, what) of the first translation whose `%` placeholders are not its
    message's own `%(name)s`, else None. A catalog is a theme's, so a pull request's:
    `%(level)999999999s` made every page format a gigabyte (the build died of it), and
    a name the message does not have failed each page at the template, not the catalog."""
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        names = {m.group(1) for text in ids for m in _CONVERSION.finditer(text) if m.group(1)}
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for text in strings:
            for m in _CONVERSION.finditer(text or ""):
                key, flags, width, precision, kind = m.groups()
                if kind == "%" and key is None and not (flags or width or precision):
                    continue   # a percent sign
                if key is None or key not in names or flags or width or precision is not None or kind not in "sd":
                    line = (message.lineno or 0) + len(ids)
                    return line, f"'{clip(m.group(0), 30)}' in the translation of '{clip(ids[0], 40)}' is not one " \
                                  f"of its placeholders ({', '.join(f'%({n})s' for n in sorted(names)) or 'none'})"
    return None


def _missing_forms(catalog: Any) -> tuple[int, str] | None:
    """(line, what) of the first plural message translated in some of its forms and not
    in others — fewer `msgstr[n]` than the header's `nplurals` (Polish has three: a
    catalog giving two), or one left empty —, else None. A count of a missing form was
    shown in English on a Polish page (`5 endings` beside `2 zakończenia`) without a
    word; `msgfmt -c` refuses such a file."""
    for message in catalog:
        if not isinstance(message.id, (list, tuple)) or not isinstance(message.string, (list, tuple)) \
                or message.fuzzy:   # (a fuzzy message is not used at all: English for every count)
            continue
        forms = list(message.string)
        if any(forms) and not all(forms):
            given = sum(1 for form in forms if form)
            return (message.lineno or 0), f"'{clip(message.id[0], 40)}' is translated in {given} of the " \
                f"language's {len(forms)} plural forms (msgstr[{forms.index('')}] is missing or empty): a count " \
                "of that form would be shown in English"
    return None


def _babel_locale(folder: str) -> str | None:
    """Babel's locale for a catalog folder (`pt_BR`), or None when Babel does not
    know it (the catalog's own Plural-Forms header then decides plurals)."""
    from babel import Locale, UnknownLocaleError
    try:
        Locale.parse(folder.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return folder.replace("-", "_")


def report_missing_words(words: ThemeWords, languages: tuple[str, ...], span: Span, diags: Diagnostics,
                         theme: str = "default") -> None:
    """HF1140 once per language whose pages would show the theme's English words; the
    hint names the project's own theme folder (`theme`, foundry.toml's), not a placeholder,
    and the template to copy where this foundry has it (inside the installed package for
    a wheel: there is no repository on a user's machine to look in)."""
    # a catalog there that was refused (HF1141 at it): "Add …messages.po" named the file
    # the writer had, whose slip HF1141 says
    refused = {folder_language(PurePosixPath(d.span.path).parent.parent.name): d.span.path
               for d in diags.items if d.code == "HF1141" and d.span.path.endswith("/LC_MESSAGES/messages.po")}
    for language in languages:
        if not words.has_words(language):
            there = next((refused[name] for name in map(folder_language, (language, language.split("-")[0]))
                          if name in refused), None)
            hint = (f"Add themes/{clip(theme, 60)}/locale/{language.replace('-', '_')}/LC_MESSAGES/"
                    f"messages.po to the project: copy {SHIPPED_THEME / 'locale' / 'messages.pot'} "
                    "(the default theme's words, as this foundry installed them) and "
                    "translate it (docs/localization.md, \"The theme's own words\").") if there is None else (
                    f"Correct {there}: it does not parse (HF1141 at it), and none of its words is used until it does.")
            diags.add("HF1140", f"the theme has no words for '{clip(language, 30)}': its pages and books show "
                      "the theme's navigation, buttons and headings in English", span, hint=hint)


# --- Jinja ---------------------------------------------------------------------------------

def _words(context: Any) -> Words:
    found = context.get(CONTEXT_KEY)
    return found if isinstance(found, Words) else ENGLISH


@pass_context
def _gettext(context: Any, message: str) -> str:
    return _words(context).gettext(message)


@pass_context
def _ngettext(context: Any, singular: str, plural: str, n: int) -> str:
    return _words(context).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Any, ctx: str, message: str) -> str:
    return _words(context).pgettext(ctx, message)


@pass_context
def _npgettext(context: Any, ctx: str, singular: str, plural: str, n: int) -> str:
    return _words(context).npgettext(ctx, singular, plural, n)


# jinja2.ext's newstyle ngettext, pgettext and npgettext, each giving its word as
# `as_html` says (as `_()` does) where Jinja's made every translation Markup.
@context_call
@pass_context
def _newstyle_ngettext(context: Any, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    found = _words(context).ngettext(singular, plural, num)
    return (as_html((singular, plural), found) if context.eval_ctx.autoescape else found) % isolated(
        _words(context).language, variables, found)


@context_call
@pass_context
def _newstyle_pgettext(context: Any, ctx: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", ctx)
    found = _words(context).pgettext(ctx, message)
    return (as_html(message, found) if context.eval_ctx.autoescape else found) % isolated(
        _words(context).language, variables, found)


@context_call
@pass_context
def _newstyle_npgettext(context: Any, ctx: str, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("context", ctx)
    variables.setdefault("num", num)
    found = _words(context).npgettext(ctx, singular, plural, num)
    return (as_html((singular, plural), found) if context.eval_ctx.autoescape else found) % isolated(
        _words(context).language, variables, found)


# First Strong Isolate … Pop Directional Isolate (UAX #9 X5c, X6a): what `<bdi>` does,
# as characters, so that it holds in an attribute (`aria-label`, `alt`) and a book too
FSI, PDI = "\u2068", "\u2069"


def isolated(language: str, variables: dict[str, Any], message: str = "") -> dict[str, Any]:
    """`variables` (a theme sentence's `%(name)s` values) with each text holding a
    letter of the other direction than `language`'s set apart between FSI and PDI: a
    Latin hero name in an Arabic sentence ("level 3 is Rook Amsel's level" drew the 3
    beside the name, on the wrong side), an Arabic name in an English one (its sentence's
    full stop or "!" taken into the name's run). A value of the page's own direction,
    a number, is as it was: English pages of Latin names keep their bytes. A value the
    `message` (the translation) places inside a tag (`<a href="%(href)s">`: an address)
    is never touched."""
    if not variables:
        return variables
    other = _other_direction(language)
    out = None
    in_tags = _names_in_tags(message) if "<" in message else ()
    for name, value in variables.items():
        if isinstance(value, str) and value and name not in in_tags and other(value.striptags() if isinstance(value, Markup) else value):
            out = dict(variables) if out is None else out
            out[name] = Markup(FSI) + value + Markup(PDI) if isinstance(value, Markup) else FSI + value + PDI
    return variables if out is None else out


@lru_cache(maxsize=1024)
def _names_in_tags(message: str) -> frozenset[str]:
    """The `%(name)s` placeholders `message` writes inside a tag (an attribute's value)."""
    return frozenset(name for tag in re.findall(r"<[^<>]*>", message) for name in _PLACEHOLDER.findall(tag) if name)


@lru_cache(maxsize=256)
def _other_direction(language: str):
    """A test of a text for a letter of the direction other than `language`'s: a
    right-to-left letter on a left-to-right page, a left-to-right one (Unicode bidi
    class L: Latin, CJK…) on a right-to-left page."""
    import unicodedata
    from ..l10n.scripts import text_direction
    from .books.direction import RTL_BLOCKS
    if text_direction(language) == "rtl":
        return lambda text: any(unicodedata.bidirectional(char) == "L" for char in text)
    return lambda text: RTL_BLOCKS.search(text) is not None


def install(env: Any) -> Any:
    """Jinja's i18n extension on `env`, newstyle (`%(name)s` placeholders, escaped
    values), its gettext reading the render's `theme_words`. Returns `env`."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True,
                                  pgettext=_pgettext, npgettext=_npgettext)
    # `_("…")` is called ~35 times a page. Jinja's `_` resolves `gettext` and calls it
    # through the sandbox, whose newstyle gettext calls ours through the sandbox again:
    # three sandboxed calls per word. These two do what that chain does in one (the
    # template's own call to `_` is still the sandbox's, its result still bounded).
    env.globals["gettext"] = _newstyle_gettext
    env.globals["_"] = _underscore
    env.globals.update(ngettext=_newstyle_ngettext, pgettext=_newstyle_pgettext, npgettext=_newstyle_npgettext)
    # `{{ {"none": _("none")} | tojson }}` (the words a page's script shows as text): a
    # word that is text is its text in JSON, not its HTML (`&amp;` shown as typed)
    env.policies["json.dumps_function"] = _dumps_words
    return env


def _dumps_words(obj: Any, **kwargs: Any) -> str:
    """json.dumps (Jinja's `tojson`) with each word that is text (`WordText`) as its text."""
    return json.dumps(_word_texts(obj), **kwargs)


def _word_texts(obj: Any) -> Any:
    if isinstance(obj, WordText):
        return obj.unescape()
    if isinstance(obj, dict):
        return {key: _word_texts(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_word_texts(value) for value in obj]
    return obj


@context_call
@pass_context
def _newstyle_gettext(context: Any, message: str, /, **variables: Any) -> str:
    """jinja2.ext's newstyle gettext over `_gettext`: the message, marked safe when
    the template autoescapes, always formatted with `variables` (escaped)."""
    words = _words(context)
    found = words.marked(message) if context.eval_ctx.autoescape else words.gettext(message)
    if not variables and "%" not in found:
        return found   # what `% {}` gives such a message (Markup's `%` costs a formatter per call)
    variables = isolated(words.language, variables, found)
    if type(found) is Markup:
        names = _named_strings(found)
        if names is not None:
            # what Markup's `%` gives a message of only `%(name)s` (and `%%`): each value
            # it names escaped (Markup.escape, as its helper does), looked up in order
            # of appearance (a missing one is the same KeyError); ~15 a hero page, each
            # through a helper object per placeholder otherwise
            return type(found)(str.__mod__(found, {name: Markup.escape(variables[name]) for name in names}))
    return found % variables


_PLACEHOLDER = re.compile(r"%(?:%|\(([^()]*)\)s)")


@lru_cache(maxsize=4096)
def _named_strings(message: str) -> tuple[str, ...] | None:
    """The names of a message's `%(name)s` placeholders, in order of first appearance;
    None when it has any other `%` conversion (`%(n)d`, `%s`, a width, a stray `%`)."""
    if "%" in _PLACEHOLDER.sub("", message):
        return None
    return tuple(dict.fromkeys(m for m in _PLACEHOLDER.findall(message) if m))


@context_call
@pass_context
def _underscore(context: Any, *args: Any, **kwargs: Any) -> str:
    """jinja2.ext's `_`: whatever `gettext` is where the template calls it."""
    gettext = context.resolve("gettext")
    if gettext is _newstyle_gettext:
        return _newstyle_gettext(context, *args, **kwargs)
    return context.call(gettext, *args, **kwargs)


@constant_word(_underscore)
def _constant_word(context: Any, message: str) -> Any:
    """What `_underscore(context, message)` returns for one message (a str), without
    its calls (BoundedSandbox.said: ~35 words a hero page): the message in the
    render's words, when `gettext` is still ours and the word needs no formatting
    (no `%`); `missing` otherwise (the call is then made as before)."""
    if context.resolve_or_missing("gettext") is not _newstyle_gettext:
        return missing
    words = _words(context)
    found = words.marked(message) if context.eval_ctx.autoescape else words.gettext(message)
    return found if "%" not in found else missing
