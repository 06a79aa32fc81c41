"""build/pdf/: a one-page sheet per hero, the world's compendium, and each story
as a gamebook. HTML from the print theme's templates, laid out by WeasyPrint.

One artifact per book, each made from exactly what it shows, so an edit to one
hero re-renders that hero's sheet, the sheets that name them, the gamebooks they
play in and the compendium, and nothing else (PDFs are the slow output: ~0.05–0.2 s
a page).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from importlib.metadata import version
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain
from typing import TYPE_CHECKING, Iterator

from ...diagnostics import Diagnostics, Severity, Span
from ...epoch import FALLBACK
from ...fontconfig import machine_fonts
from ...load.media import MAX_PIXELS, media_path, render_image
from ...load.project import CONFIG_NAME, trim_mm
from ...load.text_metadata import template_without_metadata
from ...resolve.world import World
from ..base import BOOK, EVERYTHING, Plan, Planned, PlanParts, RenderContext, Whole
from ..books import views
from ..books.book_size import Home
from ..books.direction import mark_directions
from ..books.svg_cost import MAX_SHAPES
from ..books.theme import (PrintTheme, budget_span, load_print_theme, missing_theme, own_theme_texts, refused_files,
                           render, source_date)
from ..languages import in_language, plan_languages, translation_texts
from ..gamebook import gamebook
from ..pdf_engine import ENVIRONMENT
from ..theme_words import ENGLISH, N_, Words
from .css_slips import placed, say, short_data, style_span
from .root_lang import MESSAGE, report as report_root, root_at
from .pictures import UNREAD, judged_targets
from .font_faces import UNLOADED, families as unloaded_families, font_files, unloaded_faces
from .pictures import words as picture_words
from .coverage import asker
from .list_starts import list_starts_css
from .glyphs import missing_characters, printed_text, report_missing
from .marks_apart import clusters, report_apart
from .theme_language import theme_language
from .overflows import TABLE_OF, report_overflows
from .resolution import printed_images, say_low_resolution

if TYPE_CHECKING:   # WeasyPrint is imported only when a PDF is made
    from .fetcher import ConfinedFetcher

ROOT = "pdf"
PRINT_ROOT = "print"
# The print-on-demand edition: PDF/X-4 (transparency and RGB images with an ICC output
# intent, the format print services ask for), 3 mm bleed on every side of the trimmed
# page and crop marks outside it.
PRINT_VARIANT = "pdf/x-4"
BLEED = "3mm"
# PDF/UA-1 (ISO 14289-1) as WeasyPrint writes it: tagged, with XMP metadata naming the
# part (pdfuaid:part), the document's language and title. PDF 1.7, which every reader
# and print shop takes; PDF/UA-2 needs PDF 2.0.
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint's own notices about the machine it runs on, not about the theme or the
# content (a missing optional library, a fallback it takes): one HF0740 each, by kind.
ENVIRONMENT_NOTICES = (
    ("HarfBuzz-Subset", "fonts are subset with fontTools because this machine lacks HarfBuzz-Subset "
                        "(install libharfbuzz-subset0, or HarfBuzz >= 4.1 with its subset library)"),
    ("harfbuzz-vector", "colour emoji fonts need HarfBuzz 13+ with harfbuzz-vector on this machine"),
    ("variable font", "a variable font could not be instantiated by this machine's libraries"),
)


def _books(world: World) -> list[Planned]:
    plans = [Planned(f"{ROOT}/heroes/{hid}.pdf", ("hero", hid), BOOK) for hid in sorted(world.heroes)]
    if world.project.config.print.compendium:   # a world too large for one book leaves it out (HF0712)
        plans.append(Planned(f"{ROOT}/compendium.pdf", ("compendium",), EVERYTHING))
    plans += [Planned(f"{ROOT}/stories/{sid}.pdf", ("story", sid), BOOK)
              for sid in sorted(world.stories)]
    if world.project.config.print.editions:
        plans += [Planned(f"{PRINT_ROOT}/stories/{sid}.pdf", ("print", sid), BOOK)
                  for sid in sorted(world.stories)]
    return plans


class PdfExporter(Whole):
    name = "pdf"
    version = "2"

    # --- planning ---------------------------------------------------------------------
    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        """Setup: the print theme (PrintTheme, or None when there is none: each book
        then reports it). One book per output language (pdf/<lang>/…, print/<lang>/…):
        exporters/languages.py"""
        theme = load_print_theme(world.project)
        # links in the print theme that lead outside the project (HF0120)
        return Plan(tuple(plan_languages(_books, world, self.name)), theme, tuple(refused_files(theme, world.project)), {},
                    _recipe(theme))

    # --- rendering ----------------------------------------------------------------------
    def locate(self, setup: PrintTheme | None, exc: BaseException):
        """The print template line a render over its budget was running (render/pool.py asks)."""
        return budget_span(setup, exc)

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        with in_language(ctx, item) as (ctx, item):
            return self._render(ctx, item)

    def _render(self, ctx: RenderContext, item: Planned) -> bytes:
        world: World = ctx.world
        if ctx.setup is None:
            missing_theme(world.project, ctx.diags)
            return b""
        book = book_of(world, item.data, ctx.setup)
        trim = world.project.config.print.trim if item.data[0] == "print" else None
        return self.write(ctx, item.path, book, trim)

    def rehearse(self, ctx: RenderContext, item: Planned) -> None:
        """What `item`'s print templates say as they run, into `ctx.diags`, without laying
        the book out (engine/rehearse.py: `check` drawing the project's own templates)."""
        with in_language(ctx, item) as (ctx, item):
            if ctx.setup is not None:
                trim = ctx.world.project.config.print.trim if item.data[0] == "print" else None
                book_html(ctx.world, ctx.setup, book_of(ctx.world, item.data, ctx.setup), ctx.diags, trim)

    def write(self, ctx: RenderContext, path: str, book: "Book", trim: str | None = None) -> bytes:
        """The PDF of `book`; with `trim` (a CSS page size), its print edition."""
        import weasyprint   # a second to import: only when a PDF is made
        from weasyprint.text.fonts import FontConfiguration

        from .addresses import keep_addresses_whole
        from .korean_han import mark_korean_han
        from .han_forms import language_faces
        from .synthetic_slant import no_synthetic_slant
        from .fetcher import BASE_URL, ConfinedFetcher, data_judge, resolve, theme_resources
        from .cover_fit import cover_alone, fit_cover
        from .joined_breaks import joined_breaks_fit
        from .glued_breaks import glued_words_break
        from .min_content import min_content_linear
        from .flex_cross import column_flex_bounded
        from .css_math import math_guarded
        from .css_ranges import ranges_guarded
        from .css_origin import stylesheets_tracked
        from .structure_lang import languages_tagged
        from .actual_text import text_spelled
        from .word_breaks import breakable_words
        from ..books.mark_room import room_for_marks
        from .syllable_breaks import bookmarks_unbroken, syllables_breakable
        from ..books.cluster_breaks import clusters_breakable
        from .rtl_line_ends import rtl_line_ends_placed
        from .mirrored_page import mirrored_page_unweighted
        from .capital_forms import transforms_printable
        from .table_fit import fit_tables, mark_wide_tables
        from .ellipses import place_ellipses
        html = book_html(ctx.world, ctx.setup, book, ctx.diags, trim)
        if html is None:
            return b""
        html = mark_directions(html, book.info.direction)   # a block starting in the other direction says so
        html = keep_addresses_whole(html)   # an address typed in prose is not hyphenated
        html = mark_korean_han(html)        # hanja in Korean text in the Korean face
        html = syllables_breakable(html)    # Khmer, Myanmar and Lao break between syllables, not inside one
        html = breakable_words(html)        # a long word split by markup may break at the markup
        html = clusters_breakable(html)     # a cluster of more parts than any character may break inside it
        html = room_for_marks(html)         # a letter's tall stack of marks clear of the lines around it (after
                                            # breakable_words: its spans are inside a word, no place to break)
        html = mark_wide_tables(html)       # a writer's table of many columns, measured once laid out
        resources = theme_resources(ctx.setup)
        for asset in book.images:
            if asset is not None:
                resources[resolve(media_path(asset))] = lambda asset=asset: render_image(asset)
        fetcher = ConfinedFetcher(resources, data_judge(ctx.setup))
        # WeasyPrint writes the book's @font-face files into a folder of its own in the
        # system's temporary folder and removes it only when the configuration is
        # collected, which a render process that is stopped (or a collection that never
        # comes: the command line freezes what is left as it ends) never does: 3 MB of
        # fonts left behind for every PDF of every build
        with font_files(FontConfiguration) as fonts:
            no_synthetic_slant(fonts)   # a face with no italic upright where the theme asks italic, not fontconfig's slant
            # min_content_linear before joined_breaks_fit: a joined word's line is refitted
            # by asking the windowed split_first_line again (min_content.py), not the whole text
            with _weasyprint_messages() as messages, languages_tagged(), stylesheets_tracked(), math_guarded(), ranges_guarded(), \
                    text_spelled(), min_content_linear(), joined_breaks_fit(), glued_words_break(), \
                    column_flex_bounded(), rtl_line_ends_placed(), mirrored_page_unweighted(), \
                    transforms_printable(asker(ctx.setup.files)):
                source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
                identifier = _identifier(ctx.world, path)
                # the cover laid out alone, made only for a book whose cover ran over a page
                cover = functools.cache(lambda: weasyprint.HTML(
                    string=cover_alone(html) or html, base_url=BASE_URL, url_fetcher=fetcher))
                # Han in the forms of the text's language, whatever the theme's stylesheets
                faces = [language_faces(fonts, fetcher)]
                # a list the writer numbered from 3 printed from 3 (WeasyPrint reads `start` only as a hint)
                if starts := list_starts_css(html):
                    faces.append(weasyprint.CSS(string=starts, font_config=fonts, url_fetcher=fetcher))
                if trim is None:
                    def screen(page: "weasyprint.HTML", css: str | None = None):
                        extra = [weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher)] if css else []
                        return page.render(font_config=fonts, stylesheets=[*faces, *extra])
                    first, tables = fit_tables(lambda css: screen(source, css), screen(source), html)
                    document = fit_cover(lambda css: screen(source, _both(tables, css)), first,
                                         lambda css: screen(cover(), css))
                    place_ellipses(document)    # a clamped line's ellipsis inside its box
                    bookmarks_unbroken(document)   # the outline's titles without the breaks between syllables
                    # Tagged PDF/UA: a structure tree gives screen readers and text extraction the
                    # reading order (headings, lists, tables) for about a tenth more bytes.
                    data = document.write_pdf(pdf_identifier=identifier, pdf_tags=True, pdf_variant=PDF_VARIANT,
                                              finisher=_in_direction(book.info.direction, scope_table_headers))
                else:
                    # The same book, laid out on the trimmed page: the edition's own rule comes
                    # last, so it wins over the theme's page size; section numbers are the
                    # screen gamebook's (the same book view numbers them).
                    # through the book's fetcher like every other stylesheet (one mechanism):
                    # `trim` is checked to a size (trim_problem) and can name no address, but
                    # nothing this stylesheet could come to say is fetched around the rule
                    edition = weasyprint.CSS(
                        string=f"@page {{ size: {trim} !important; bleed: {BLEED}; marks: crop; }}", font_config=fonts,
                        url_fetcher=fetcher)
                    def printed(page: "weasyprint.HTML", css: str | None = None):
                        extra = [weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher)] if css else []
                        return page.render(font_config=fonts, stylesheets=[*faces, edition, *extra],
                                           output_intent="srgb", pdf_variant=PRINT_VARIANT)
                    first, tables = fit_tables(lambda css: printed(source, css), printed(source), html)
                    document = fit_cover(lambda css: printed(source, _both(tables, css)), first,
                                         lambda css: printed(cover(), css))
                    place_ellipses(document)
                    bookmarks_unbroken(document)
                    unlinked(document)
                    data = document.write_pdf(pdf_identifier=identifier, pdf_tags=True, pdf_variant=PRINT_VARIANT,
                                              output_intent="srgb",
                                              finisher=_in_direction(book.info.direction, _print_finisher(identifier)))
                    report_low_resolution(document, book.images, ctx.diags)
            self._report(ctx, path, book, fetcher, messages, document)
            # the book's own language: a translated book prints its translations, matched to their lines
            report_overflows(ctx, path, _shown(book), document, ctx.world.project.config.project.language)
            return data

    def _report(self, ctx: RenderContext, path: str, book: "Book", fetcher: "ConfinedFetcher",
                messages: list[str], document=None) -> None:
        from urllib.parse import unquote

        from .fetcher import BASE_URL, MAX_FETCHES, THEME
        for url in fetcher.refused:
            if url[:5].lower() == "data:":   # only a template can write one (prose shows them as typed: HF0124)
                ctx.diags.add("HF0704", f"{path}: the `data:` image the template writes ('{url[:60]}…') cannot "
                                        "be decoded: it was not drawn", ctx.setup.span(f"templates/{book.template}"),
                              hint="Write `data:<type>;base64,<bytes>` (or `data:<type>,<percent-encoded text>`), "
                                   "as RFC 2397 does.")
                continue
            at, hint = _refused_at(url, book, ctx.setup)
            ctx.diags.add("HF0704", f"{path}: refused to fetch '{url[:120]}': a book may only show the project's "
                                    "own images and its theme's files", at, hint=hint)
        for url, why in fetcher.costly:   # put together by the template's expressions: judged as it was drawn
            what = (f"draws more than {MAX_SHAPES:,} shapes once its <use> and <image> references are followed, "
                    "or they lead back to it") if why == "svg" else f"has more than {MAX_PIXELS:,} pixels"
            ctx.diags.add("HF0116", f"{path}: the `data:` image the template writes ('{url[:60]}…') {what}: "
                                    "it was not drawn", ctx.setup.span(f"templates/{book.template}"),
                          hint="Scale the image down, or draw it with fewer copies; no <use> or <image> may "
                               "lead back to the element that holds it.")
        for url, problem in fetcher.failed:
            ctx.diags.add("HF0704", f"{path}: could not read '{url[len(BASE_URL):][:120]}': {problem}",
                          Span(_source_of(url, book)))
        for url in fetcher.repeated:   # stylesheets that @import each other over and over
            rel = unquote(url[len(BASE_URL + THEME):]) if url.startswith(BASE_URL + THEME) else ""
            ctx.diags.add("HF0704", f"{path}: '{url[len(BASE_URL):][:120]}' was asked for more than {MAX_FETCHES} "
                                    "times (stylesheets that @import each other, or themselves, more than once): "
                                    "it was not read again", ctx.setup.span(rel) if rel else Span(_source_of(url, book)))
        missing, messages = missing_characters(messages)
        if missing:
            # Only now look at every entity's text: a book that prints fine reads nothing more.
            shown = set(_shown(book))
            # A translated book's text is in its translation files: those are looked in first.
            texts = translation_texts(ctx.world, shown)
            texts += [(e.path, e.doc.source.text) for e in ctx.world.entries() if e.path in shown]
            report_missing(missing, texts, ctx.diags, printed=printed_text(document) if document else None,
                           more=_also_read(ctx.world, shown),
                           config=chain(_config_of(ctx.world), own_theme_texts(ctx.world.project.root, ctx.setup)),
                           unprintable=asker(ctx.setup.files), language=theme_language(ctx.world, ctx.setup))
        printed = printed_text(document) if document else ""
        if not printed.isascii() and any(True for _ in clusters(printed)):
            # a letter and a mark the PDF draws apart (HF0761), in the files the book is made from
            shown = set(_shown(book))
            texts = translation_texts(ctx.world, shown)
            texts += [(e.path, e.doc.source.text) for e in ctx.world.entries() if e.path in shown]
            report_apart([*texts, *_also_read(ctx.world, shown), *_config_of(ctx.world)], printed, ctx.setup.files, ctx.diags)
        for message in messages:
            if any(url in message for url in [*fetcher.refused, *(u for u, _ in fetcher.failed), *fetcher.repeated,
                                              *(u for u, _ in fetcher.costly)]):
                continue
            notice = environment_notice(message)
            if notice is not None:
                # The same words and place for every PDF: the collector keeps one.
                ctx.diags.add("HF0740", notice, Span(ENVIRONMENT))
                continue
            # an image or stylesheet it could not read is said where the theme names it
            # (the template's <img>, a stylesheet's url()), not at a folder of the shipped theme
            named = _NAMED_URL.search(message)
            if named:
                url = next(g for g in named.groups() if g)
                rel = unquote(url[len(BASE_URL + THEME):]) if url.startswith(BASE_URL + THEME) else None
                if named[3] is None and rel in ctx.setup.files:
                    # a theme picture WeasyPrint could not load: said before any book where a
                    # page names it (pictures.py, as check says it); one a template's expressions
                    # named, here, in the same words
                    if rel in judged_targets(ctx.setup):
                        continue
                    at = _refused_at(url, book, ctx.setup)[0]
                    words_of, hint = picture_words(ctx.setup.span(rel).path, ctx.setup.files[rel], UNREAD)
                    ctx.diags.add("HF0703", f"{'' if at.line else f'{path}: '}{words_of}", at,
                                  severity=Severity.WARNING, hint=hint)
                    continue
                # said once at its line however many books draw it (the collector keeps one);
                # a `data:` address cut short, so the words after it are read
                at = _refused_at(url, book, ctx.setup)[0]
                ctx.diags.add("HF0703", f"{'' if at.line else f'{path}: '}WeasyPrint: {short_data(message)[:200]}",
                              at, severity=Severity.WARNING, hint=_ALT_HINT if named[3] else None)
                continue
            # a stylesheet's slip at its line is the same in every book reading it, and as
            # check says it (css_slips.py): said once (the collector keeps one of identical
            # diagnostics), not once a book
            # a face of the project's own it cannot load: said before any book at its
            # @font-face rule, with why (font_faces.py, as check says it), not once a book
            # at the stylesheet with no line
            unloaded = UNLOADED.match(message)
            if unloaded and unloaded[1] in unloaded_families(unloaded_faces(ctx.setup)):
                continue
            if message == MESSAGE and (root := root_at(ctx.setup, book.template)) is not None:
                report_root(ctx.diags, root)   # at the project's own <html>, as check says it
                continue
            say(ctx.diags, message, _css_at(message, book, ctx.setup), path)


@dataclass(frozen=True)
class Page:
    """The trimmed page a print edition is laid out on, handed to the print templates as
    `page`: the stylesheet sets the page's size, but only the template can set how many
    columns a table has (the adventure sheet's stats, eight a row on A5, fewer on A6)."""

    width_mm: float
    height_mm: float


def book_of(world: World, data: tuple, theme: PrintTheme) -> "Book":
    """The book a PDF plan's item (`data`: ("hero", id), ("story" or "print", id),
    ("compendium",)) lays out from `world`, in its language."""
    what = data[0]
    # the theme's words in the book's language: conditions, effects and formulas in words
    say = theme.words.for_language(world.project.config.project.language)
    if what == "hero":
        hero = views.hero_view(world, data[1], say=say)
        return Book("hero-sheet.html.j2", views.book_info(world, hero.name, N_("Hero sheet"), [world.heroes[data[1]]]),
                    [hero.source], {"hero": hero}, [hero.portrait_asset], Home("hero sheet", hero.source))
    if what in ("story", "print"):
        return story_book(world, data[1], say)
    return compendium_book(world, say)


def book_html(world: World, theme: PrintTheme, book: "Book", diags: Diagnostics, trim: str | None = None) -> str | None:
    """The HTML `book` is laid out from (None: a template problem, said in `diags`)."""
    return render(theme, book.template, diags, world.project.config.project.language, book.home, world.project,
                  info=book.info, created=_w3c_date(required=trim is not None), href=_anchor,
                  src=_media, page=Page(*trim_mm(trim)) if trim else None, **book.context)


@dataclass(frozen=True)
class Book:
    """One PDF to make: a template, its data, the content files it shows, and the
    images (World assets) it may embed."""

    template: str
    info: views.BookInfo
    sources: list[str]
    context: dict
    images: list
    home: Home | None = None   # where a document too long to lay out is said (HF0712)


def _recipe(theme: PrintTheme | None) -> str:
    """The theme's files, the date a reproducible build embeds, WeasyPrint itself, and
    the machine's fonts Pango falls back to for what the theme's lack."""
    # the installed version, not an import: `foundry check` plans every output, without WeasyPrint
    return (f"{theme.fingerprint() if theme else 'no-theme'}|{source_date()}|weasyprint {version('weasyprint')}"
            f"|fonts {machine_fonts()}")


def compendium_book(world: World, say: Words = ENGLISH) -> Book:
    """Every hero, character, quest and story; `say`: the theme's words in the book's language."""
    heroes, characters, quests, stories = views.compendium_views(world, say)
    info = views.book_info(world, world.project.config.project.title, N_("Compendium"), world.entries(),
                                 world.project.html("title"), views.world_marks(world))
    sources = [v.source for v in (*heroes, *characters, *quests, *stories)]
    images = [v.portrait_asset for v in (*heroes, *characters)]
    return Book("compendium.html.j2", info, sources,
                {"heroes": heroes, "characters": characters, "quests": quests, "stories": stories}, images,
                Home("compendium", CONFIG_NAME, "pdf"))


def story_book(world: World, sid: str, say: Words = ENGLISH) -> Book:
    """A story's gamebook; `say`: the theme's words in the book's language."""
    story = views.story_view(world, sid)
    book = gamebook(world, sid, say)
    front = world.stories[sid].model.front
    players = [views.hero_view(world, h, ties=False, say=say) for h in dict.fromkeys((front.protagonist, *front.heroes))
               if h in world.heroes]
    info = views.book_info(world, story.title, N_("A gamebook"), [world.stories[sid]], story.title_html, story.marks)
    # The adventure sheet shows each hero who can play the story with their portrait.
    return Book("story.html.j2", info, [story.source], {"story": story, "book": book, "players": players},
                [p.portrait_asset for p in players], Home("gamebook", story.source))


def report_low_resolution(document, images: list, diags) -> None:
    """HF0750 at the content line naming each portrait the print edition prints below
    300 dpi. The words do not name the book: a portrait printed the same size in three
    editions is one warning (the collector keeps one of identical diagnostics)."""
    assets = {media_path(a): a for a in images if a is not None}
    for shown in printed_images(document):
        asset = assets.get(shown.src)
        if asset is not None:
            say_low_resolution(asset, shown.pixels, shown.printed_mm, shown.dpi, diags)


def environment_notice(message: str) -> str | None:
    """The HF0740 text for a WeasyPrint message about this machine's libraries, or None
    when the message is about the document."""
    for marker, notice in ENVIRONMENT_NOTICES:
        if marker in message:
            return notice
    return None


def scope_table_headers(document, pdf) -> None:
    """/Scope on every table header cell's structure element (PDF/UA: a TH says
    whether it heads a row or a column). WeasyPrint 70 links cells to headers by ID
    but writes no Scope; it keeps each cell's structure element on the cell box
    (`box.mark`), which this finisher (WeasyPrint's hook between layout and writing)
    completes from the HTML's `scope` attribute."""
    def walk(box):
        mark = getattr(box, "mark", None)
        if mark is not None and getattr(box, "element_tag", None) == "th":
            scope = (box.element.get("scope") or "col") if box.element is not None else "col"
            mark["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)


def _in_direction(direction: str, finisher):
    """`finisher`, then the reading direction of a right-to-left book in the PDF's viewer
    preferences (`/Direction /R2L`, PDF 1.7 12.2): a viewer showing two pages side by
    side put the Arabic book's first page on the left, its spreads in the wrong order,
    where the EPUB says page-progression-direction="rtl". A left-to-right book's is
    the default, left unwritten (its bytes as they were)."""
    if direction != "rtl":
        return finisher

    def finish(document, pdf) -> None:
        import pydyf
        finisher(document, pdf)
        preferences = pdf.catalog.get("ViewerPreferences")
        if preferences is None:
            preferences = pdf.catalog["ViewerPreferences"] = pydyf.Dictionary()
        preferences["Direction"] = "/R2L"
    return finish


def unlinked(document) -> None:
    """A laid-out print edition without its links: no link annotation (a "turn to 12",
    a prose address, the contents' entries) is written into its pages. PDF/X allows no
    annotation inside the BleedBox but trap networks and printer's marks, and the
    preflight print-on-demand services run (Acrobat's "Annotation inside page area",
    PitStop's) refused every page holding one; on paper a link does nothing. The
    text stays as it is; the outline and the section numbers are not links."""
    for page in document.pages:
        page.links = []


def _print_finisher(identifier: bytes):
    """Scoped table headers, and an XMP document id made from the book's identifier:
    WeasyPrint writes a random one into PDF/X-4 metadata, which would make every
    build of the same book differ."""
    def finish(document, pdf) -> None:
        scope_table_headers(document, pdf)
        metadata = pdf.catalog.get("Metadata")
        for obj in pdf.objects:
            if metadata is not None and getattr(obj, "reference", None) == metadata and hasattr(obj, "stream"):
                obj.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", b"xmp.did:" + _as_uuid(identifier), chunk)
                              if isinstance(chunk, bytes) else chunk for chunk in obj.stream]
    return finish


def _as_uuid(identifier: bytes) -> bytes:
    hexa = identifier.decode()[:32]
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:32]}".encode()


def _shown(book: Book) -> list[str]:
    """The content files whose text the book prints: its sources and, in a story's
    gamebook, the heroes on its adventure sheet (their names, titles and numbers come
    from their own files; a glyph or a long word there is reported at that file's line,
    not at foundry.toml or the story)."""
    players = book.context.get("players") or []
    return list(dict.fromkeys([*book.sources, *(p.source for p in players)]))


def _config_of(world) -> Iterator[tuple[str, str]]:
    """foundry.toml as (path, text), read only when asked (a character no other file
    holds); nothing when it cannot be read (load_project said why)."""
    from ...load.project import CONFIG_NAME, config_text
    try:
        yield CONFIG_NAME, config_text(world.project.root)
    except (OSError, UnicodeDecodeError, ValueError):
        return


def _also_read(world, shown: set[str]) -> Iterator[tuple[str, str]]:
    """(path, text) of the other files a render read and may have printed a piece of:
    the entities it looked up beyond the book's own (a related person's name on a hero
    sheet, a quest's title) and, when it read the rules, the rule book's files (the
    names of attributes and skills). Generated lazily: only asked for characters that
    the book's own files do not hold."""
    # In a translated book those pieces were printed from their translation files (a
    # related person's translated name, an attribute's): each file's translation is
    # looked in before it, as the book's own files are (HF0741 at the translator's line)
    for key in sorted(getattr(world, "reads", ())):
        kind, _, ident = key.partition(":")
        table = TABLE_OF.get(kind)
        entry = getattr(world, table).get(ident) if table and ident else None
        if entry is not None and entry.path not in shown:
            yield from translation_texts(world, {entry.path})
            yield entry.path, entry.doc.source.text
    if "rules" in getattr(world, "reads", ()):
        from ...load.files import read_text
        root = world.project.root
        for rel in sorted(world.rules.sources):
            yield from translation_texts(world, {rel})
            found = read_text(root / rel, rel, Diagnostics())
            if found is not None:
                yield rel, found.text


# "Failed to load image at 'data:…': …": the address a WeasyPrint message names (%r);
# 'Image "…" has no required alt description' (weasyprint/pdf/tags.py: a tagged PDF's
# image with an empty or no alt): the image's own address
_ALT_HINT = ("Give the <img> an alt text that says what it shows (alt=\"…\"): a tagged PDF reads it to "
             "screen readers, and WeasyPrint counts an empty alt as none.")
_NAMED_URL = re.compile(r"""\bat (?:'([^']+)'|"([^"]+)")|^Image "([^"]+)" has no required alt""")


def _css_at(message: str, book: Book, theme: PrintTheme) -> Span:
    """Where a WeasyPrint message about CSS belongs: the theme's stylesheet it was
    reading, at the line and column it gives; a <style> of the book's template at
    the template (the position is inside the element); else the theme's css/."""
    from urllib.parse import unquote

    from .css_origin import POSITION
    from .fetcher import BASE_URL, THEME
    read_in = getattr(message, "read_in", None)
    place = POSITION.search(message)
    if read_in is None:   # a value worked out for a box, or a style="…" attribute of the project's template
        return (_css_holding(message, place, theme) if place else None) or style_span(message, theme, element=False) \
            or theme.span("css")
    if read_in == BASE_URL:   # a template's <style>: the project's own one holding what it quotes, as check says it
        return style_span(message, theme) or theme.span(f"templates/{book.template}")
    if not read_in.startswith(BASE_URL + THEME):
        return theme.span("css")
    rel = unquote(read_in[len(BASE_URL + THEME):])
    at = theme.span(rel)
    # the place it gives, else the selector it quotes, found in the sheet
    where = placed(message, theme.files.get(rel, b"").decode("utf-8", "replace"))
    return Span(at.path, *where) if where else at


# What a message said while a box's values were worked out quotes: the function
# ("Invalid math function at 11:16: calc(1px + 1s)") or the property ("Ignored
# `margin-top: ` at 12:22, no value.", at its value's first token).
_QUOTED = re.compile(r"at \d+:\d+: (.+)$|^Ignored `([^`:]+):")


def _css_holding(message: str, place: re.Match, theme: PrintTheme) -> Span | None:
    """The theme stylesheet whose line `place` gives holds what `message` quotes:
    WeasyPrint says a value it works out for a box (a `var()`, a math function in a
    custom property) after every sheet is read, with its position and no file. None
    when no stylesheet does."""
    line, column = int(place[1]), int(place[2])
    quoted = _QUOTED.search(message)
    if quoted is None:
        return None
    text = quoted[1] or quoted[2]
    for rel in sorted(theme.files):
        if not rel.endswith(".css"):
            continue
        lines = theme.files[rel].decode("utf-8", "replace").splitlines()
        if len(lines) >= line and text in lines[line - 1]:
            return Span(theme.span(rel).path, line, column)
    return None


def _refused_at(url: str, book: Book, theme: PrintTheme) -> tuple[Span, str]:
    """Where a refused URL was written, and the hint for it: the content file whose text
    names it (an image in prose, refused by check already: HF0128), else the theme file
    holding it (a template's `<img src="file:///…">`, a stylesheet's `url(…)`, an SVG's
    `<image href>`) at its line, else the book's template (an address its expressions
    put together). Prose can show no image, so a book with one content file cannot be
    assumed to be where the address came from: it was said at the hero, with a hint
    about prose, of a theme's image that check passed."""
    from urllib.parse import unquote
    # a `data:` address has no file name to look for (its last '/' may be inside an SVG's
    # text, its "tail" a '>' every page holds) and prose shows none (HF0124): what follows
    # its scheme is looked for in the theme (a template may put the scheme together)
    data = url[:5].lower() == "data:"
    tail = url[5:] if data else unquote(url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1])
    for context in [] if data else book.context.values():
        for view in context if isinstance(context, list) else [context]:
            if tail and tail in " ".join(str(v) for v in vars(view).values() if isinstance(v, str)):
                return Span(view.source), "Images in prose are not supported in books; use a portrait, or remove the image."
    hint = ("A print theme may show only its own files (theme/…) and the project's images (portraits): remove the "
            "address, or copy the file into the theme's print/ folder.")
    for rel in [f"templates/{book.template}", *sorted(theme.files)]:
        text = theme.files.get(rel, b"").decode("utf-8", "replace")
        if data and rel.startswith("templates/"):
            # a template's pictures are drawn without their metadata, re-encoded over the
            # same lines (books/theme.py): the book's address is the one so written
            text = template_without_metadata(text)
        # the file's name as a whole name: `tile.tif` is no part of `cmyk_tile.tif` (said
        # at that one's line, the broken file's own line never named)
        if data:   # its payload, as written
            named = text.find(tail) if tail else -1
        else:
            found = re.search(rf"(?<![\w.~-]){re.escape(tail)}(?![\w.~-])", text) if tail else None
            named = found.start() if found else -1
        for at in (text.find(url), text.find(unquote(url)), named):
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                return Span(theme.span(rel).path, line, at - (text.rfind("\n", 0, at) + 1) + 1), hint
    return theme.span(f"templates/{book.template}"), hint


def _source_of(url: str, book: Book) -> str:
    """The content file a refused URL most likely came from: the only one, or the
    first whose text names the URL's last path segment."""
    if len(book.sources) == 1:
        return book.sources[0]
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    for context in book.context.values():
        for view in context if isinstance(context, list) else [context]:
            if tail and tail in " ".join(str(v) for v in vars(view).values() if isinstance(v, str)):
                return view.source
    return "foundry.toml"


def _anchor(kind: str, eid) -> str:
    """A cross-reference inside one PDF: every entry is an anchor in the same document."""
    return f"#{kind}-{eid}"


def _media(path: str | None) -> str:
    return path or ""


def _identifier(world: World, path: str) -> bytes:
    """The PDF's file identifier: the same for the same book of the same project."""
    return hashlib.md5(f"{world.project.config.project.title}\0{path}".encode()).hexdigest().encode()


def _w3c_date(required: bool = False) -> str | None:
    """SOURCE_DATE_EPOCH as the books' dcterms dates; unset: none at all rather than the
    wall clock, or, where the format `required`s one, the fixed fallback. A PDF/X-4
    print edition must carry its dates, and WeasyPrint writes the clock's into one
    given none: two builds of the same files differed, a kept edition from a clean one."""
    epoch = source_date()
    if epoch is None and required:
        epoch = FALLBACK
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        from .css_origin import said
        self.messages.append(said(record.getMessage()))   # with the stylesheet being read


@contextmanager
def _weasyprint_messages():
    """WeasyPrint's warnings (bad CSS, fetch failures) collected instead of printed."""
    logger, handler = logging.getLogger("weasyprint"), _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _both(*sheets: str | None) -> str | None:
    """The extra stylesheets a book is laid out again with (table_fit's, cover_fit's), as one."""
    return " ".join(s for s in sheets if s) or None
