"""HF0741 said by `foundry check`, as the PDF build will say it.

The build learns that a character prints as an empty box from WeasyPrint, while the
book is laid out (glyphs.py), so `check --strict` passed a hero named in a script no
font on the machine has and `build --only pdf --strict` stopped on it. Whether a
character prints needs no layout: it is whether some font has it (coverage.py). Where
the build says it needs the books' text, which check does not lay out: the lines a
book prints are the World's lines (l10n/lines.py: names, titles, prose, choices, rule
labels, in each language the PDFs are made in) and foundry.toml's title, description
and authors, so a character no font has is said at a content line holding it only
when a word of that line holding it is one of those — the words the compendium and
the gamebooks print — with glyphs.py's own report, the same words at the same place
(the collector keeps one of identical diagnostics, so a build says each once). A
character only a comment or an unprinted field holds is said by neither.
"""

from __future__ import annotations

from typing import Any, Iterator

from ...diagnostics import Diagnostics
from .coverage import unprintable
from .glyphs import BOX, escaped, report_missing


def unprintable_ahead(world: Any, theme: Any, diags: Diagnostics) -> None:
    """HF0741 at each content line a PDF of `world` would print characters of that no
    font can print, in words and place as the build's render says them. `theme`: the
    print theme (books.theme.PrintTheme), None when there is none (said elsewhere)."""
    if theme is None:
        return
    from ..languages import translation_texts
    from ...resolve.localized import localized, output_languages
    languages = output_languages(world, "pdf")
    views = [(localized(world, language), language) for language in languages] or [(world, None)]
    entries = sorted(world.entries(), key=lambda e: e.path)
    paths = {e.path for e in entries}
    texts = [(e.path, e.doc.source.text) for e in entries]
    # each language's translations of the content files and of the rule book
    translated = {language: (translation_texts(view, paths), translation_texts(view, set(world.rules.sources)))
                  for view, language in views if language is not None}
    rules = list(_rule_texts(world))
    config = list(_config_of(world))
    chars: set[str] = set()
    for _, text in [*texts, *rules, *config, *(t for pair in translated.values() for found in pair for t in found)]:
        if not text.isascii():
            chars.update(text)
        if "&" in text or "\\" in text:   # a character written as an escape (`&#x…;`, YAML's `\U…`) prints too
            chars.update(escaped(text))
    missing = unprintable(chars - _ASCII, theme.files) if chars else set()
    if not missing:
        return
    from .overflows import book_lines
    found = Diagnostics()
    for view, language in views:
        printed = BOX.join(text for group in book_lines(view, sorted(paths), language) for text, _ in group)
        printed += BOX + BOX.join(_world_words(world))
        own, own_rules = translated.get(language, ([], []))
        report_missing(missing, [*own, *texts], found, printed=printed, more=[*own_rules, *rules], config=config)
    # what no content line holds is the theme's own text (glyphs.py says it at foundry.toml
    # with no line): check reads no theme words, so it foretells only what is at a line
    diags.extend(d for d in found.items if d.span.line)


_ASCII = frozenset(map(chr, range(128)))


def _world_words(world: Any) -> list[str]:
    """foundry.toml's words every book prints: the world's title, description, authors."""
    info = world.project.config.project
    return [info.title, info.description, *info.authors]


def _config_of(world: Any) -> Iterator[tuple[str, str]]:
    from ...load.project import CONFIG_NAME, config_text
    try:
        yield CONFIG_NAME, config_text(world.project.root)
    except (OSError, UnicodeDecodeError, ValueError):
        return


def _rule_texts(world: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of the rule book's files (attribute, skill and relationship names
    print on the sheets), as glyphs.py looks in them after the book's own files."""
    from ...load.files import read_text
    root = world.project.root
    for rel in sorted(world.rules.sources):
        found = read_text(root / rel, rel, Diagnostics())
        if found is not None:
            yield rel, found.text
