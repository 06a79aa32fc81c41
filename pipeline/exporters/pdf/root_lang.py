"""Where a PDF's root element without a language is written.

A tagged PDF names its language (its catalog's /Lang, from the root `<html lang>`);
WeasyPrint says 'Missing required "lang" attribute at the root of the document' when
the HTML gives none. It says so after laying out the whole book, while reading no
stylesheet, so the build placed it at the shipped theme's css/ folder, once per book:
a project's own `base.html.j2` written as `<html>` got three warnings at a folder its
writer never wrote, and `foundry check` said nothing. The root is written by the
book's template or one it extends: the project's own one holding `<html` is where it
is said, once however many books, by check and build alike.
"""

from __future__ import annotations

import re

from ...diagnostics import Diagnostics, Severity, Span

MESSAGE = 'Missing required "lang" attribute at the root of the document'
# the templates a PDF is made from (exporter.py `Book`)
BOOK_TEMPLATES = ("compendium.html.j2", "hero-sheet.html.j2", "story.html.j2")
_ROOT = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
# an attribute `lang`: after a space or a Jinja tag (`<html {% block root %}lang="…"`)
_LANG = re.compile(r"(?:\s|%\}|\}\})lang\s*=", re.IGNORECASE)
# what no page holds: a Jinja comment (`{# like <html> #}`) or an HTML one, blanked
# where it is so a tag's line and column stay true
_HIDDEN = re.compile(r"\{#.*?(?:#\}|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)
# a tag's quoted values: what is left holding `{{` writes attributes of its own
_QUOTED = re.compile(r"""\"[^"]*\"|'[^']*'""")
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']([^"']+)["']""")


def root_at(theme, template: str) -> Span | None:
    """The `<html` tag of the project's own print template that writes `template`'s
    root (it, or a template it extends by a written name), at its line and column;
    None when the shipped theme writes it or it cannot be told."""
    name, seen = template, set()
    while name is not None and name not in seen:
        seen.add(name)
        rel = f"templates/{name}"
        data = theme.files.get(rel)
        if data is None:
            return None
        text = _visible(data)
        tag = _ROOT.search(text)
        if tag is not None:
            origin = theme.origins.get(rel, "<")
            if origin.startswith("<"):
                return None   # the shipped theme's, which names its language
            line = text.count("\n", 0, tag.start()) + 1
            return Span(origin, line, tag.start() - (text.rfind("\n", 0, tag.start()) + 1) + 1)
        written = _EXTENDS.search(text)
        name = written[1] if written else None
    return None


def report(diags: Diagnostics, at: Span) -> None:
    """The warning at the root tag `at`, in the words check and build share (the
    collector keeps one)."""
    diags.add("HF0703", f"WeasyPrint: {MESSAGE}", at, severity=Severity.WARNING,
              hint='Write the book\'s language on its root, as the default theme\'s base.html.j2 does: '
                   '<html lang="{{ info.language }}" dir="{{ info.direction }}">.')


def unnamed_roots(theme, diags: Diagnostics) -> None:
    """What every PDF build says of a book's root without `lang` in the project's own
    templates, said by `check` too."""
    for template in BOOK_TEMPLATES:
        at = root_at(theme, template)
        if at is None:
            continue
        data = theme.files[next(rel for rel, origin in theme.origins.items() if origin == at.path)]
        tag = _ROOT.search(_visible(data))
        # `<html {{ attrs }}>` may write it: WeasyPrint says so at the build if not
        if tag is not None and not _LANG.search(tag[0]) and "{{" not in _QUOTED.sub("", tag[0]):
            report(diags, at)


def _visible(data: bytes) -> str:
    """A template's text with its comments blanked (line breaks kept)."""
    return _HIDDEN.sub(lambda found: re.sub(r"[^\n]", " ", found[0]), data.decode("utf-8", "replace"))
