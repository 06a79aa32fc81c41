"""Every output in every language: how an exporter plans and renders per language,
and what the build report and `--release` say about coverage.

One rule places every language's outputs: the base language's stay where they have
always been, another language's go under the output's own folder, named by its tag:

    site/heroes/aria.html     →  site/de/heroes/aria.html
    epub/stories/keep.epub    →  epub/de/stories/keep.epub
    ink/keep.ink              →  ink/de/keep.ink

(`relocate`). An exporter plans once per language, from the World as read in that
language (view.py), and renders an item planned so inside that view: nothing else
in the exporter needs to know about languages. A project without [l10n] languages
plans exactly what it always did.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

from ..diagnostics import Diagnostics
from ..load.byte_reads import key as file_key
from ..load.project import CONFIG_NAME, _toml_key_span, toml_item_span
from ..l10n.pseudo import is_pseudo
from ..l10n.state import MISSING, STALE
from ..resolve.localized import localized, output_languages


# Folders a site or a book output already has at its top: a language's folder must
# be none of them (HF1121). "api" is a valid tag (Apiaká); the others are not today.
SHARED_FOLDERS = frozenset({"assets", "media", "api", "heroes", "characters", "stories", "quests"})
# The hreflang every page gives its base-language version beside the languages' own
# (html/languages.py): a language tagged so (a valid private-use tag) was announced as
# a second x-default, its own pages, so search engines had two defaults (HF1121).
DEFAULT_HREFLANG = "x-default"


@dataclass(frozen=True)
class InLanguage:
    """A planned artifact's data, for the World read in `language`."""

    language: str
    data: Any


def relocate(path: str, language: str, base: str) -> str:
    """Where the `language` version of the base language's output `path` goes."""
    if language == base:
        return path
    head, _, rest = path.partition("/")
    return f"{head}/{language}/{rest}" if rest else f"{language}/{head}"


def plan_languages(plan: Callable[[Any], list], world: Any, output: str) -> list:
    """`plan(world)` once per output language, from that language's view; each item's
    data wrapped in InLanguage and its path relocated. Without languages: `plan(world)`."""
    languages = output_languages(world, output)
    if not languages:
        return plan(world)
    out = []
    for language in languages:
        for item in plan(localized(world, language)):
            out.append(replace(item, path=relocate(item.path, language, languages[0]),
                               data=InLanguage(language, item.data)))
    return out


def base_world(world: Any) -> Any:
    """The World behind a render's tracked view (tracking.TrackedWorld)."""
    try:
        return object.__getattribute__(world, "_world")
    except AttributeError:
        return world


@contextmanager
def in_language(ctx: Any, item: Any) -> Iterator[tuple[Any, Any]]:
    """(context, item) to render `item` with: for an item planned by plan_languages,
    a context whose World is that language's view, tracked like the World (what the
    render reads is recorded, plus the language's translations, `l10n:<lang>`).
    Every render made through it records `config`: whether its World is read in a
    language at all is `[l10n] languages`, which no base-language path says (the base
    ink script carries line ids only in a translated project, and a World's `locale` is
    not a recorded read: render/tracking.py), so adding or removing the languages must
    make the base-language artifacts again."""
    ctx.reads.add("config")
    if not isinstance(item.data, InLanguage):
        yield ctx, item
        return
    from ..render.tracking import TrackedWorld
    language, world = item.data.language, base_world(ctx.world)
    tracked = TrackedWorld(localized(world, language))
    try:
        yield replace(ctx, world=tracked), replace(item, data=item.data.data)
    finally:
        ctx.reads.update(tracked.reads)
        ctx.reads.update(translation_reads(world, language, tracked.reads))


TABLES = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories", "template": "templates"}


def translation_reads(world: Any, language: str, reads: set[str]) -> set[str]:
    """The translation files behind what a render read: for each entity it looked up
    (`hero:aria`), that file's translation into `language` (`l10n:de:content/heroes/
    aria.yaml`, a key of Localization.fingerprints), and the rule files' for `rules`.
    The text of a pseudo-locale is made from the source, which the render read already.
    And each such entity's bytes (`file:<path>`, load/byte_reads.py): the language's
    view finds each text by its line id, which the line-id markers in the file give
    (l10n/lines.py), read when the view was made (resolve/localized.py, while planning),
    not by the render: a marker added changes no value of the entity."""
    out = set()
    for key in reads:
        kind, _, eid = key.partition(":")
        if key == "rules":
            out |= {f"l10n:{language}:{path}" for path in world.rules.sources}
            out |= {file_key(path) for path in world.rules.sources}
        elif kind in TABLES and (entry := getattr(world, TABLES[kind]).get(eid)) is not None:
            out.add(f"l10n:{language}:{entry.path}")
            out.add(file_key(entry.path))
    return out


@dataclass(frozen=True)
class Coverage:
    language: str
    lines: int
    translated: int
    stale: int
    fallback: int


def coverage(world: Any) -> list[Coverage]:
    """Per output language other than the base: what its outputs show."""
    languages = output_languages(world)
    out = []
    for language in languages[1:]:
        resolved = world.l10n.resolve(language)
        fallback = 0 if is_pseudo(language) else sum(r.status == MISSING for r in resolved)
        stale = sum(r.status == STALE for r in resolved)
        out.append(Coverage(language, len(resolved), len(resolved) - fallback - stale, stale, fallback))
    return out


def report_coverage(world: Any, diags: Diagnostics, counts: dict, release: bool) -> None:
    """Counts for the build report (`fallback:<lang>`, `stale:<lang>`); HF1121 for a
    language whose folder is one the outputs already use; and with `--release` and
    `[l10n] release_requires_complete`, HF1120 for each language whose outputs would
    show base-language text."""
    if world is None or world.l10n is None:
        return
    settings = world.project.config.l10n
    toml = world.project.root / CONFIG_NAME
    for language in output_languages(world)[1:]:
        if language.lower() in SHARED_FOLDERS:
            diags.add("HF1121", f"the outputs in '{language}' would go to site/{language}/, a folder the site "
                      "already uses", toml_item_span(toml, ("l10n", "languages"), language),
                      hint=f"'{language}' is a valid language tag, but its folder would mix with the site's own "
                           f"{language}/; write the tag with a region (e.g. '{language}-BR') to publish it.")
        elif language.lower() == DEFAULT_HREFLANG:
            diags.add("HF1121", f"the pages in '{language}' would be announced as hreflang=\"{DEFAULT_HREFLANG}\", "
                      "which every page of the site gives the project's own language: two default pages",
                      toml_item_span(toml, ("l10n", "languages"), language),
                      hint=f"'{DEFAULT_HREFLANG}' names no language (search engines read it as the page for every "
                           "language not listed): list the language the translation is in, e.g. 'de'.")
    for found in coverage(world):
        counts[f"lines:{found.language}"] = found.lines
        counts[f"fallback:{found.language}"] = found.fallback
        counts[f"stale:{found.language}"] = found.stale
        if release and settings.release_requires_complete and found.fallback:
            diags.add("HF1120", f"{found.language}: {found.fallback} of {found.lines} lines are not translated; "
                      "a release needs every line translated",
                      _toml_key_span(toml, ("l10n", "release_requires_complete")),
                      hint="Translate the lines `foundry l10n status` lists, or set "
                           "`release_requires_complete = false` under [l10n] to publish with the base language "
                           "shown in their place.")


def translation_texts(world: Any, sources: set[str]) -> list[tuple[str, str]]:
    """(path, text) of the translation files a book in a translated World shows, for
    reports placed at the line a translator wrote (HF0741: a character no font has)."""
    locale = getattr(world, "locale", None)
    if locale is None or locale.is_base or world.l10n is None:
        return []
    from pathlib import Path

    from ..l10n.formats import declared_encoding
    from ..load.files import read_text
    out = []
    for source in sorted(sources):
        catalog = world.l10n.catalog(locale.language, source)
        if catalog is not None:
            found = read_text(Path(world.l10n.root) / catalog.path, catalog.path, Diagnostics(), by_mark=True,
                              declared=lambda data, rel=catalog.path: declared_encoding(data, rel))
            if found is not None:
                out.append((catalog.path, _translations_only(catalog, found.text)))
    return out


def _translations_only(catalog: Any, text: str) -> str:
    """`text`, a translation file, with only the lines of its translations kept (every
    other line emptied, so lines keep their numbers): the source text a PO file copies
    into its msgid and its comments (`#. … the reader plays Rook Amsel`) is the content
    file's, printed from there when a line is not translated, and a character no font
    has in a hero's name was said at the hero's line and again at sixteen lines of the
    story's PO that quote her name. A line a translator wrote is where their fix goes."""
    lines = text.split("\n")
    kept = [""] * len(lines)
    for entry in catalog.entries:
        start = entry.target_line or entry.line
        if entry.obsolete or not entry.target or not start:
            continue
        count = max(1, entry.target_written.count("\n") + 1) if entry.target_written else 1
        # an XLIFF target a tool wrapped is on several lines (its entry says which)
        for number in entry.target_lines or range(start, start + count):
            if 0 < number <= len(lines):
                kept[number - 1] = lines[number - 1]
    return "\n".join(kept)
