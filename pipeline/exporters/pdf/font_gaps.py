"""Font families the shipped print stylesheets still name that a project's replacement
of the stylesheet declaring them no longer declares.

The shipped base.css declares the theme's faces (`@font-face { font-family:
"Libertine"; src: url(../fonts/…) }`), and compendium.css, gamebook.css and sheet.css
set their running heads, page numbers, tables and labels in them by name. A project
whose own base.css (`html { font-family: serif; }`) replaces the shipped one keeps
those stylesheets, whose families are then declared nowhere: WeasyPrint asks the
machine's fontconfig for a font of that name, finds none and sets the text in its
default face, another on another machine, and says nothing. That is said once, at the
project's file, naming each family and who still uses it: the writer declares them
(the shipped @font-face rules, copied, still find the shipped fonts: a print theme is
the shipped one under the project's) or overrides those stylesheets too.
"""

from __future__ import annotations

from pathlib import Path

import tinycss2

from ...diagnostics import Diagnostics, Severity, Span

# families CSS means by keyword, not by a face a theme declares
GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                     "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji", "fangsong", "inherit",
                     "initial", "unset", "revert", "revert-layer"})
EPUB_CSS = "css/epub.css"   # read by the EPUB's reader, never by WeasyPrint


def undeclared_families(theme, shipped: Path, diags: Diagnostics) -> None:
    """HF0703 (a warning) at line 1 of each of the project's own print stylesheets that
    replaces a shipped one (`shipped`: the shipped print/ folder) declaring font
    families the shipped stylesheets still in use name, and that no stylesheet of the
    theme declares now."""
    sheets = {rel: data for rel, data in theme.files.items() if rel.endswith(".css") and rel != EPUB_CSS}
    own = [rel for rel in sorted(sheets) if not theme.origins.get(rel, "<").startswith("<")]
    replaced = {}
    for rel in own:
        try:
            replaced[rel] = _faces(_rules((shipped / rel).read_bytes()))
        except OSError:
            continue   # a stylesheet of the project's own, not a replacement
    if not any(replaced.values()):
        return
    # a family's name is matched without regard to case (CSS Fonts; WeasyPrint set text
    # in "Libertine" with a face declared "libertine"): compared lower-cased
    declared = {family.lower() for data in sheets.values() for family in _faces(_rules(data))}
    users: dict[str, set[str]] = {}
    for rel, data in sheets.items():
        if theme.origins.get(rel, "<").startswith("<"):
            for family in named_families(_rules(data)):
                users.setdefault(family.lower(), set()).add(rel.removeprefix("css/"))
    for rel, faces in replaced.items():
        missing = sorted(family for family in faces if family.lower() in users and family.lower() not in declared)
        if not missing:
            continue
        by = sorted(set().union(*(users[family.lower()] for family in missing)))
        names = ", ".join(f"'{family}'" for family in missing)
        diags.add("HF0703", f"{rel.removeprefix('css/')} replaces the default theme's but declares no @font-face "
                            f"for {names}, which the default theme's {', '.join(by)} still set text in: WeasyPrint "
                            "sets that text in whatever font this machine has, another on another machine",
                  Span(theme.origins[rel], 1, 1), severity=Severity.WARNING,
                  hint=f"Copy the default theme's @font-face rules into it (`foundry theme eject --name scratch "
                       f"print/{rel}` writes its {rel.removeprefix('css/')} to themes/scratch/; they find the "
                       "shipped fonts as they are), or override those stylesheets too.")


def _rules(data: bytes) -> list:
    return tinycss2.parse_stylesheet(data.decode("utf-8", "replace"), skip_comments=True, skip_whitespace=True)


def _faces(rules) -> set[str]:
    """The families the @font-face rules of `rules` WeasyPrint reads declare (within
    an @media print and an @layer too: books/face_rules.py)."""
    from ..books.face_rules import face_rules
    found = set()
    for rule in face_rules(rules):
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.lower_name == "font-family":
                found.update(families_of(item.value)[:1])
    return found


def named_families(rules) -> set[str]:
    """The families `font-family` declarations of `rules` name (in @page and its margin
    boxes, @media… too; not in @font-face, which declares them)."""
    found = set()
    for rule in rules:
        content = getattr(rule, "content", None)
        if content is None or (rule.type == "at-rule" and rule.lower_at_keyword == "font-face"):
            continue
        for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.lower_name == "font-family":
                found.update(families_of(item.value))
            elif item.type in ("qualified-rule", "at-rule"):
                found |= named_families([item])
    return found


def families_of(tokens) -> list[str]:
    """The family names of a `font-family` value, in order: quoted, or idents joined by
    a space; generic families and var()s are none."""
    found, words = [], []

    def close():
        if words:
            name = " ".join(words)
            if name.lower() not in GENERIC:
                found.append(name)
            words.clear()

    for token in tokens:
        if token.type == "literal" and token.value == ",":
            close()
        elif token.type == "string":
            close()
            found.append(token.value)
        elif token.type == "ident":
            words.append(token.value)
    close()
    return found
