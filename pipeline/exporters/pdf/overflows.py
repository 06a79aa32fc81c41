"""HF1139: text that overflows its box in a PDF, reported at the content line it prints
(the finding itself is overflow.py's; this is the exporter's side)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ...diagnostics import Diagnostics, Span, clip
from ...l10n.lines import collect_lines
from ...l10n.markup import plain_text
from ...l10n.state import MISSING
from .overflow import ENTRY_ID, Overflow, composed_of, find_overflows, letters, locate


def book_lines(world: Any, sources: list[str], language: str | None = None,
               read: set[str] = frozenset()) -> tuple[list[tuple[str, Span]], ...]:
    """(plain text, span) of every line in `language` (a localized book passes its
    own; None: the base language): those of the book's own files, those of the files
    its render read beside them (`read`: read_sources, the rules whose names a hero
    sheet prints, a related person's), then the others."""
    shown = set(sources)
    l10n = world.l10n
    if l10n is not None:
        resolved = l10n.resolve(language or l10n.base)
        pairs = [(r.text, _written_at(l10n, language or l10n.base, r), r.line.source) for r in resolved]
    else:
        pairs = [(line.text, line.span, line.source) for line in collect_lines(world, Diagnostics())]
    # The book's own files first: a name printed in a gamebook is the story's line if
    # the story has one, and the hero's otherwise (rules labels print on hero sheets).
    mine = [(plain_text(t), s) for t, s, source in pairs if source in shown]
    # Then what the render read: a skill's name broken on a hero sheet was said at a
    # story's table cell holding the same word alone (a line as short, and first), in
    # a story the sheet never prints; the skill's line in schemas/skills.yaml unsaid.
    read = read - shown
    return (mine, [(plain_text(t), s) for t, s, source in pairs if source in read],
            [(plain_text(t), s) for t, s, source in pairs if source not in shown and source not in read])


def read_sources(world: Any) -> set[str]:
    """The files of the entities a render looked up (world.reads, render/tracking.py)
    and, when it read the rules, the rule book's files: where the words a book prints
    beside its own files' come from. Asked before anything lists the world's lines
    (collect_lines looks every entity up, and the reads then name them all)."""
    reads = getattr(world, "reads", ())
    found: set[str] = set()
    for key in reads:
        kind, _, ident = key.partition(":")
        table = TABLE_OF.get(kind)
        entry = getattr(world, table).get(ident) if table and ident else None
        if entry is not None:
            found.add(entry.path)
    if "rules" in reads:
        found |= set(world.rules.sources)
    return found


# The World table each kind of read key (render/tracking.py) names an entity of.
TABLE_OF = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories", "template": "templates"}


def _written_at(l10n: Any, language: str, resolved: Any) -> Span:
    """Where the text a book prints for a line was written: a translation at its line
    in the translation file (the translator shortens it there, as HF0741 is placed),
    the base language's text (or a fallback to it) at the content line. A PO
    translation's place is its msgstr's text (`Entry.translation_span`), where the
    translation's other problems are said."""
    if language == l10n.base or resolved.status == MISSING or resolved.entry is None:
        return resolved.line.span
    catalog = l10n.catalog(resolved.via or language, resolved.line.source)
    return resolved.entry.translation_span(catalog.path) if catalog is not None else resolved.line.span


def _config_lines(world: Any) -> list[tuple[str, Span]]:
    """foundry.toml's lines as (text, span), looked in last: the world's title and
    description print on every cover and title page, and an overflow there (a long
    world name broken, a cover's blurb off the page) was put at the book's first
    source file with no line, a file that does not hold it. Nothing when it cannot be
    read (load_project said why)."""
    from ...load.project import CONFIG_NAME, config_text
    try:
        text = config_text(world.project.root)
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    return [(line, Span(CONFIG_NAME, number, _value_column(line)))
            for number, line in enumerate(text.splitlines(), 1) if line.strip()]


# `key = "` (or `'`, `"""`, `[`): a setting's line up to its text, which a warning
# points at (as HF0741 does), not at the key: `title = "…"` was said at column 1.
_SETTING = re.compile(r"""\s*[^\s=#"'\[]+\s*=\s*\[?\s*(?:"{3}|'{3}|["'])?""")


def _value_column(line: str) -> int:
    """The 1-based column of a foundry.toml line's text (`_SETTING`), else its first
    character that is not a space."""
    found = _SETTING.match(line)
    return found.end() + 1 if found and found.end() < len(line) else len(line) - len(line.lstrip()) + 1


def _theme_lines(ctx: Any) -> list[tuple[str, Span]]:
    """The lines of the project's own theme files a book prints words from (its
    catalogs, its print templates: books/theme.py own_theme_texts), looked in after
    foundry.toml's, as HF0741 looks in them: a catalog's long words for "turn to" or
    "Attributes" overflowing on every page were put at the book's first source file with
    no line, a file that does not hold them. The shipped theme's words are not looked
    in (nobody in the project wrote them)."""
    from ..books.theme import own_theme_texts
    return [(line, Span(path, number, len(line) - len(line.lstrip()) + 1))
            for path, text in own_theme_texts(ctx.world.project.root, ctx.setup)
            for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _written_values(world: Any, sources: list[str]) -> list[tuple[str, Span]]:
    """Every string value of the book's own files (a YAML file's, a story's front
    matter's) at its place, in file order: a hero's items and a relationship's note are
    printed on the sheet but are no line of text, and an overflow in a note was put at
    the line of the name printed beside it, in another file."""
    shown = set(sources)
    out: list[tuple[str, Span]] = []
    for entry in world.entries():
        if entry.path not in shown:
            continue
        stack: list[tuple[tuple, Any]] = [((), entry.doc.data)]
        while stack:
            loc, value = stack.pop()
            if isinstance(value, str):
                out.append((value, entry.doc.span(*loc)))
            elif isinstance(value, dict):
                stack.extend(reversed([((*loc, key), item) for key, item in value.items()]))
            elif isinstance(value, list):
                stack.extend(reversed([((*loc, i), item) for i, item in enumerate(value)]))
    return out


def _in(overflow: Overflow, lines: list[tuple[str, Span]]) -> Span | None:
    """`locate` for the printed fragment, then for its broken word alone (a sheet's line
    composed of a value and the words around it)."""
    return locate(overflow, lines) or (locate(replace(overflow, text=overflow.word), lines) if overflow.word else None)


def _file_lines(world: Any, sources: list[str]) -> list[tuple[str, Span]]:
    """Every line of the book's own files as written, (text, span at its first
    letter): looked in when no line of text holds what overflowed. A story's block of
    code is printed but is no line of text (nothing in it is translated), and its
    overflow was put at the story's file with no line."""
    shown = set(sources)
    return [(text, Span(entry.path, number, len(text) - len(text.lstrip()) + 1))
            for entry in world.entries() if entry.path in shown
            for number, text in enumerate(entry.doc.source.text.splitlines(), 1) if text.strip()]


def _located(overflow: Overflow, groups: tuple[list[tuple[str, Span]], ...], printed: str = "",
             values: list[tuple[str, Span]] = ()) -> Span | None:
    """The line `overflow` prints, looked for in the book's own files before the
    others: `locate` takes the shortest line holding it, and a place name written in
    a hero's background and in a story's table cell (a line of its own) put the hero
    sheet's warning at the story, which the sheet does not print. With `printed` (the
    book's letters, _printed_letters), first among the lines the book prints whole,
    then among `values` (the book's own files' written values) the book prints whole,
    before any line it may not print: a relationship's note is no line of text, and
    its warning was said at a story's choice holding the same word, which the hero
    sheet never prints."""
    if printed:
        shown = tuple(_printed_only(overflow, lines, printed) for lines in (*groups, values))
        span = next((span for lines in shown if (span := locate(overflow, lines)) is not None), None)
        if span is not None:
            return span
    return next((span for lines in groups if (span := locate(overflow, lines)) is not None), None)


def _printed_only(overflow: Overflow, lines: list[tuple[str, Span]], printed: str) -> list[tuple[str, Span]]:
    """Those of `lines` holding what `overflow` prints whose own letters the book prints,
    one after another: an attribute's name broken on a gamebook's adventure sheet was
    said at the protagonist's background table holding the same word (the book's own
    files come first), a line the gamebook never prints, and the name's own line in
    schemas/attributes.yaml went unsaid. Only lines holding the fragment are looked up."""
    wanted = letters(overflow.text.rstrip("-\u2010\u00ad"))
    return [(text, span) for text, span in lines
            if wanted and wanted in (plain := letters(text)) and plain in printed]


def _printed_letters(document: Any) -> str:
    """The letters and digits of the book's document (`letters`), in document order:
    what each line of text the book prints reads as, whole (a table row's cells one
    after another, a paragraph across its pages)."""
    pages = getattr(document, "pages", ())
    root = next((child.element for child in pages[0]._page_box.children
                 if getattr(child, "element", None) is not None), None) if pages else None
    return letters(" ".join(root.itertext())) if root is not None else ""


def report_overflows(ctx: Any, path: str, sources: list[str], document: Any, language: str | None = None) -> None:
    """One HF1139 per overflowing printed line of `document` (the PDF at `path`)."""
    found = find_overflows(document)
    if not found:
        return
    read = read_sources(ctx.world)
    # Only now look at the lines' text: a book that fits reads nothing more.
    everywhere = ((*book_lines(ctx.world, sources, language, read), _config_lines(ctx.world) + _theme_lines(ctx)),
                  _written_values(ctx.world, sources), _file_lines(ctx.world, sources))
    everywhere = (*everywhere, everywhere[0][0] + everywhere[1])
    printed = _printed_letters(document)
    in_entry: dict[str, tuple] = {}
    # One warning per content line and kind of fault in this book: a wide table in one
    # paragraph breaks a word in every cell (60 warnings for one table, burying the rest).
    grouped: dict[tuple[Span, bool, bool], list[Overflow]] = {}
    for overflow in found:
        if overflow.entry not in in_entry:
            in_entry[overflow.entry] = _first_in_entry(ctx.world, overflow.entry, sources, language, everywhere)
        lines, values, written, own = in_entry[overflow.entry]
        # A sheet prints a label beside its value in one line box ("Ambush…, agility"):
        # no content line holds that whole line, but the broken word is in one.
        by_word = _located(replace(overflow, text=overflow.word), lines, printed, values) if overflow.word else None
        # a value printed that is no line of text (an item, a relationship's note) is at
        # its place in the file; a line the theme composes around a content line (a
        # gamebook's choice with its condition and effects) is at that line, not at the
        # file with no line at all
        around = next((span for group in lines if (span := composed_of(overflow, group)) is not None), None)
        # what a line or value prints whole, exactly, before a longer line holding it:
        # an item of the sheet's list broken there was said at the background's sentence
        # naming it (the shortest line of text holding the word), and the item unsaid
        # a cell's or a list item's line is the table's or list's: its text tells it from a
        # heading holding the same word alone (a cell's break was said at the heading)
        told = letters(overflow.context) != letters(overflow.text)
        in_context = (_located(replace(overflow, text=overflow.context), lines, printed)
                      if overflow.context and told else None)
        span = (in_context or _exact(overflow, own) or _located(overflow, lines, printed, values)
                or _value_around(overflow, values) or by_word
                or _in(overflow, values) or around
                or _in(overflow, written) or Span(sources[0] if sources else path))
        grouped.setdefault((span, bool(overflow.word), overflow.off_page, overflow.typed_table,
                            bool(overflow.marker)), []).append(overflow)
    for (span, broken, off_page, typed_table, marker), same in grouped.items():
        hint = (MARKER_HINT if marker else WIDE_TABLE_HINT if typed_table else OFF_PAGE_HINT) if off_page else None
        ctx.diags.add("HF1139", f"{path}, {_pages(same)}: {_what(same, broken)}", span, hint=hint)


def _value_around(overflow: Overflow, values: list[tuple[str, Span]]) -> Span | None:
    """The value (of `values`, the entry's own first) holding the word `overflow` says
    broken that its printed line holds whole, the longest: a line the theme composes
    around a value ('MENTOR Old Guide — Owes …', a relationship's note). Looked for
    before any line holding the word: the note's break was said at the hero's
    background sentence naming the same word (a line printed whole, where it is
    broken too, one warning for both), and the note went unsaid; in the compendium a
    second hero's note was said at the first hero's sentence."""
    word = letters(overflow.word)
    if not word:
        return None
    return composed_of(overflow, [(text, span) for text, span in values if word in letters(text)])


def _exact(overflow: Overflow, pairs: list[tuple[str, Span]]) -> Span | None:
    """The first of `pairs` ((text, span): lines of text and written values) whose
    letters are the printed fragment's, all of them: a printed line that is one value
    or one line whole, where `locate` takes any line holding it."""
    wanted = letters(overflow.text.rstrip("-\u2010\u00ad"))
    return next((span for text, span in pairs if letters(text) == wanted), None) if wanted else None


def _first_in_entry(world: Any, entry: str, sources: list[str], language: str | None, everywhere: tuple) -> tuple:
    """(lines, values, file lines, own) to look in, as report_overflows takes them, with the
    file of the entry a line is printed in (`entry`: Overflow.entry, 'hero-aria') first:
    a word broken in a hero's table cell on the compendium's hero page was placed at a
    story's heading holding the same word, the shortest line of the book holding it.
    `everywhere` as it is for a line in no entry or one whose file the book does not show.
    `own`: the lines of text and values of the entry's file (of the book's own files in
    `everywhere`), where a line printed whole is looked for first (_exact)."""
    found = ENTRY_ID.fullmatch(entry)
    table = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories"}
    named = getattr(world, table[found[1]], {}).get(found[2]) if found else None
    own = getattr(named, "path", None)
    if own is None or own not in sources or len(sources) == 1:
        return everywhere
    lines, values, written, _ = everywhere
    mine, theirs = book_lines(world, [own], language)[0], _written_values(world, [own])
    # then the files the book read beside its own (a skill's name on the hero's page is
    # in schemas/skills.yaml, not in a story of the compendium holding the same word)
    book, read, *rest = lines
    return (mine, read, book, *rest), theirs + values, _file_lines(world, [own]) + written, mine + theirs


# A line set off the page with its box fits that box: shortening it changes nothing.
OFF_PAGE_HINT = ("The text fits its box; the box itself is placed outside the page by the print stylesheet "
                 "(WeasyPrint sets a box with `margin: auto` sides past the right edge in a right-to-left "
                 "book): centre it with `text-align` on its container, or give it `margin-inline` lengths.")


# A list's marker off the page: the item's words fit; the list keeps no room on the side
# the item starts (an item in the other direction than its list: books/direction.py).
MARKER_HINT = ("The item fits its box; its list's number or bullet hangs outside it, on the side the item "
               "starts, and the list keeps no room there (an item in the other direction than its list, as "
               "a Latin item in an Arabic or Hebrew book): give such items (`li[dir]`) a `margin-inline-start` "
               "as wide as the list's `padding-inline-start`, as the default theme does.")


# A writer's table past the page's text area with its cells: more columns than the
# line holds with a letter each, even set at its smallest (pdf/table_fit.py).
WIDE_TABLE_HINT = ("The table has more columns than this page's line holds, even set at its smallest size: "
                   "give it fewer columns, or split it into two tables.")


def _pages(found: list[Overflow]) -> str:
    pages = sorted({o.page for o in found})
    return f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}–{pages[-1]}"


def _what(found: list[Overflow], broken: bool) -> str:
    if broken:
        words = list(dict.fromkeys(o.word for o in found))
        if len(words) == 1:
            return f"the word '{clip(words[0], 60)}' is broken to fit its box (no hyphenation point there)"
        shown = ", ".join(f"'{clip(w, 40)}'" for w in words[:3])
        more = f" and {len(words) - 3} more" if len(words) > 3 else ""
        return f"{len(words)} words are broken to fit their boxes (no hyphenation point there): {shown}{more}"
    if all(o.off_page for o in found):
        worst = max(found, key=lambda o: o.by)
        if worst.marker:
            what = f"the list marker '{clip(worst.marker, 12)}' of '{clip(worst.text, 60)}'"
            if len(found) == 1:
                return f"{what} is set {worst.by:g} pt outside the page's text area, in the margin or off the paper"
            return (f"{len(found)} list markers are set outside the page's text area, {what} the farthest "
                    f"({worst.by:g} pt)")
        if len(found) == 1:
            return (f"'{clip(worst.text, 60)}' is set {worst.by:g} pt outside the page's text area, in the margin "
                    "or off the paper, with its box")
        return (f"{len(found)} printed lines are set outside the page's text area with their box, "
                f"'{clip(worst.text, 60)}' the farthest ({worst.by:g} pt)")
    if len(found) == 1:
        return f"'{clip(found[0].text, 60)}' runs {found[0].by:g} pt past the edge of its box"
    worst = max(found, key=lambda o: o.by)
    return (f"{len(found)} printed lines run past the edge of their boxes, '{clip(worst.text, 60)}' "
            f"the farthest ({worst.by:g} pt)")
