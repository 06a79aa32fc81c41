"""build/epub/: each story as a gamebook (one file per numbered section, "turn to N"
as links) and the compendium, as EPUB 3 that the official checker accepts.

Chapter bodies come from the print theme's `templates/epub/`, the cover is drawn
with Pillow, and the zip is made reproducible (package.py).
"""

from __future__ import annotations

import io
import re
from importlib import metadata
from pathlib import PurePosixPath

import PIL
from PIL import Image

from ...diagnostics import Span
from ...fontconfig import machine_fonts
from ...load.root import CONFIG_NAME
from ...load.line_ends import as_git_stores
from ...load.media import media_path, render_image, without_metadata
from ...resolve.world import World
from ..base import BOOK, EVERYTHING, Plan, Planned, PlanParts, RenderContext, Whole
from ..books import views
from ..books.book_size import Home
from ..books.theme import (PrintTheme, budget_span, load_print_theme, missing_theme, own_theme_texts, refused_files,
                           render, source_date)
from ..gamebook import gamebook
from ..theme_words import N_
from ..pdf.glyphs import MachineFonts, font_hint, line_characters, without_comments
from ..pdf.theme_language import language_name, theme_language
from .cover import cover_lacks, draw_cover
from ..languages import in_language, plan_languages, translation_texts
from .package import Chapter, Package, book_identifier

ROOT = "epub"
CORE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}   # WebP is not an EPUB 3.2 core media type


class EpubExporter(Whole):
    name = "epub"
    version = "2"

    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        """Setup: the print theme (PrintTheme, or None when there is none: each book
        then reports it). One book per output language (epub/<lang>/…): exporters/languages.py"""
        theme = load_print_theme(world.project)
        # `[print] compendium = false`: a world too large for one book leaves it out (HF0712)
        compendium = world.project.config.print.compendium
        plans = plan_languages(lambda w: [Planned(f"{ROOT}/compendium.epub", ("compendium",), EVERYTHING)] * compendium
                               + [Planned(f"{ROOT}/stories/{sid}.epub", ("story", sid), BOOK)
                                  for sid in sorted(w.stories)], world, self.name)
        # The recipe: the theme's files, the date the book carries, the libraries that
        # write its bytes (ebooklib names itself in the package; Pillow draws the cover),
        # and the machine's fonts the cover draws what the theme's cannot from.
        recipe = (f"{theme.fingerprint() if theme else 'no-theme'}|{source_date()}"
                  f"|ebooklib {_version('EbookLib')}|pillow {PIL.__version__}|fonts {machine_fonts()}")
        # links in the print theme that lead outside the project (HF0120)
        return Plan(tuple(plans), theme, tuple(refused_files(theme, world.project)), {}, recipe)

    def locate(self, setup: PrintTheme | None, exc: BaseException):
        """The print template line a render over its budget was running (render/pool.py asks)."""
        return budget_span(setup, exc)

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        if ctx.setup is None:
            missing_theme(ctx.world.project, ctx.diags)
            return b""
        with in_language(ctx, item) as (ctx, item):
            writer = _Writer(ctx, ctx.setup)
            package = writer.story(item.data[1]) if item.data[0] == "story" else writer.compendium()
            return package.to_bytes() if package is not None and not writer.failed else b""


def rehearse(ctx: RenderContext, item: Planned) -> None:
    """What `item`'s EPUB templates say as they run, into `ctx.diags`, without drawing its
    cover or reading its portraits (engine/rehearse.py: `check` drawing the project's
    own templates)."""
    if ctx.setup is None:
        return
    with in_language(ctx, item) as (ctx, item):
        writer = _Rehearsal(ctx, ctx.setup)
        writer.story(item.data[1]) if item.data[0] == "story" else writer.compendium()


# The theme's words a cover draws under the book's title: its subtitle, in the book's language
GAMEBOOK, COMPENDIUM = N_("A gamebook"), N_("Compendium")


def foretell_cover_boxes(world: World, plan: Plan, diags) -> None:
    """HF0752 for each planned EPUB whose cover would draw characters as empty boxes,
    in the words and at the place its render says it (_Writer.report_cover), for
    `foundry check`: it came from the EPUB build alone, so 'check --strict' passed a
    world titled with a flag or a skin-toned emoji that 'build --strict' stopped on.
    The cover's texts are the book's title (a story's as its language reads it), the
    theme's subtitle in that language, the world's name and the authors."""
    from types import SimpleNamespace
    from ...resolve.localized import localized
    from ..languages import InLanguage
    if not isinstance(plan.setup, PrintTheme):
        return
    views_of: dict[str, tuple[World, _Writer]] = {}
    for item in plan.items:
        language, data = (item.data.language, item.data.data) if isinstance(item.data, InLanguage) else ("", item.data)
        if language not in views_of:
            shown = localized(world, language) if language else world
            views_of[language] = shown, _Writer(SimpleNamespace(world=shown, diags=diags), plan.setup)
        shown, writer = views_of[language]
        entry = shown.stories[data[1]] if data[0] == "story" else None
        info = (views.book_info(shown, entry.model.front.title, GAMEBOOK) if entry is not None
                else views.book_info(shown, shown.project.config.project.title, COMPENDIUM))
        missing = cover_lacks(info.title, writer._(info.subtitle), info.world, info.authors, plan.setup.files,
                              info.language)
        if missing:
            writer.report_cover(missing, info, *((entry.path, entry.doc.source.text) if entry else (CONFIG_NAME, "")))


def _edition(world: World, book_id: str) -> str:
    """A translation is an edition of its own, with its own identifier."""
    locale = world.locale
    return book_id if locale is None or locale.is_base else f"{book_id}@{locale.language}"


class _Writer:
    """Renders one book's chapters from the theme's EPUB templates."""

    def __init__(self, ctx: RenderContext, theme: PrintTheme):
        self.ctx, self.world, self.theme = ctx, ctx.world, theme
        self.failed = False
        self.home: Home | None = None   # the book being written (HF0712)
        self.language = ctx.world.project.config.project.language
        # the theme's words in the book's language: chapter titles, the contents, the cover
        self.say = theme.words.for_language(self.language)
        self._ = self.say.gettext

    def chapter(self, name: str, title: str, template: str, marks: tuple = (), **context) -> Chapter:
        # no page: a reader chooses the page's size (`page` is a print edition's trim)
        body = render(self.theme, f"epub/{template}", self.ctx.diags, self.language, self.home,
                      self.world.project, href=self.href, src=self.src, page=None, **context)
        if body is None:
            self.failed = True
            body = "<p></p>"
        return Chapter(name, title, body, marks=marks)

    def package(self, book_id: str, info: views.BookInfo, source: str = CONFIG_NAME,
                source_text: str = "") -> Package:
        """The book's package; `source`: the file its title comes from (a story's, or
        foundry.toml for the compendium), where a cover drawn with boxes is reported;
        `source_text`: that file's text (to place the report at its line)."""
        missing: set[str] = set()
        cover = draw_cover(book_id, info.title, self._(info.subtitle), info.world, info.authors, self.theme.files,
                           missing, info.language)
        self.report_cover(missing, info, source, source_text)
        return Package(
            identifier=book_identifier(info.world, _edition(self.world, book_id)), title=info.title, language=info.language,
            authors=info.authors, description=info.description, date=source_date(), version=info.version,
            title_marks=info.marks, description_marks=info.world_marks,
            # a picture the stylesheet embeds (url(data:…)) without its GPS, as the site's;
            # its line ends as git stores them (a Windows checkout's CR LF: the same book)
            css=as_git_stores(without_metadata(self.theme.files.get("css/epub.css", b""))),
            cover=cover,
            cover_title=self._("Cover"))

    def report_cover(self, missing: set[str], info: views.BookInfo, source: str, source_text: str) -> None:
        """HF0752 for the characters `missing` the book's cover draws as boxes, each at
        the line of the file it comes from (package's `source`, `source_text`)."""
        # The title is the book's file's; the world's name and the authors (a story's
        # cover prints them too) are foundry.toml's: each character reported where it is
        # written, at its line.
        # A translated title is the translation file's line; the subtitle is the theme's
        # word, which the project's own theme catalog may hold (after foundry.toml).
        # One warning a line: a world named with a character no font has and an author
        # with another were one warning at the world's name, the author's line unsaid.
        from_title = {c for c in missing if c in info.title} if source != CONFIG_NAME else set()
        # The subtitle is the theme's word, placed by where it comes from (_report_subtitle):
        # placed by its characters, the compendium's shipped "الموسوعة" was said at a line
        # of the project's catalog translating "Contents" (no cover prints it), and a
        # catalog line twice, in each cover's characters.
        subtitle = self._(info.subtitle)
        printed = info.world + "".join(info.authors) + (info.title if source == CONFIG_NAME else "")
        from_subtitle = {c for c in missing if c in subtitle}   # its line's all, those of the title too
        machine = MachineFonts()
        # foundry.toml's lines with every missing character they hold, the title's too: a
        # story titled 霧の道 in a world named 霧の世界 left 霧 and の to the title, and its
        # cover said the world's line once more beside the compendium's (2:12 for 世界,
        # 2:10 for all four): one warning a line, the same from every cover
        from_config = {c for c in missing if c in printed} | (missing - from_title - from_subtitle)
        for path, chars in ((source, from_title), (CONFIG_NAME, from_config)):
            if not chars:
                continue
            if path == source and source != CONFIG_NAME:
                places = [*translation_texts(self.world, {source}), (source, source_text)]
            else:   # the lines of the world's name and the authors (a description's line held
                # the name's letters first, and the cover's were said there: no cover prints it)
                places = [(CONFIG_NAME, _cover_config_text(self.world))]
            for span, here in _lines_holding(path, places, chars):
                self._say_cover(span, here, machine)
        if from_subtitle:
            self._report_subtitle(info, subtitle, from_subtitle, machine)

    def _say_cover(self, span: Span, here: set[str], machine: MachineFonts) -> None:
        """HF0752 at `span` for the characters `here` the cover draws as boxes."""
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(here)[:6]) + (" …" if len(here) > 6 else "")
        # the package for the line's script, as HF0741's (a Korean title was told fonts-noto-core)
        self.ctx.diags.add("HF0752", f"the EPUB cover draws {codes} as empty boxes: neither the print theme's "
                           "fonts nor any font on this machine has them", span, hint=font_hint(here, "EPUBs", machine))

    def _report_subtitle(self, info: views.BookInfo, subtitle: str, chars: set[str], machine: MachineFonts) -> None:
        """HF0752 for the characters `chars` of the cover's subtitle (`subtitle`, the
        theme's word for `info.subtitle`) drawn as boxes: at the line of the project's
        own theme catalog translating it, with that line's characters (the same from
        every cover showing it); else, the shipped theme's word, at the tag of the
        book's language (_report_theme_words); else at foundry.toml."""
        words = self.theme.words
        catalog = words.catalog_for(info.language)
        if catalog is not None and info.subtitle in words.own.get(catalog, ()):
            mine = set(words.sources.get(catalog, ()))
            places = [(path, text) for path, text in own_theme_texts(self.world.project.root, self.theme,
                                                                     catalogs_only=True) if path in mine]
            for path, text in places:   # the msgstr line holding the word whole (not a comment)
                for number, line in enumerate(text.split("\n"), 1):
                    if subtitle in line and line.lstrip().startswith(("msgstr", '"')):
                        here = {c for c in line if c in chars}
                        column = next(k for k, c in enumerate(line, 1) if c in here)
                        self._say_cover(Span(path, number, column), here, machine)
                        return
            for span, here in _lines_holding(CONFIG_NAME, places, chars):   # (a word written over lines)
                self._say_cover(span, here, machine)
            return
        if not self._report_theme_words(info, chars, machine):
            self._say_cover(Span(CONFIG_NAME), chars, machine)

    def _report_theme_words(self, info: views.BookInfo, left: set[str], machine: MachineFonts) -> bool:
        """HF0752 at the tag of the book's language in foundry.toml (pdf/theme_language.py)
        when characters `left` are the shipped theme's words on the cover (its subtitle,
        "A gamebook" in Arabic): each cover said them at foundry.toml with no line, the
        gamebook's and the compendium's in different characters. The message names what
        every cover's subtitle in that language lacks, those the project's own catalog
        gives left out (said at their lines there), so each book and check say it alike
        and the collector keeps one. False when they are not."""
        spoken = theme_language(self.world, self.theme)
        own = self.theme.words.own.get(self.theme.words.catalog_for(info.language) or "", frozenset())
        subtitles = " ".join(self._(subtitle) for subtitle in (GAMEBOOK, COMPENDIUM) if subtitle not in own)
        if spoken is None or not any(char in subtitles for char in left):
            return False
        lacking = sorted(cover_lacks("", subtitles, "", (), self.theme.files, info.language))
        if not lacking:
            return False
        codes = ", ".join(f"U+{ord(c):04X}" for c in lacking[:6]) + (" …" if len(lacking) > 6 else "")
        self.ctx.diags.add("HF0752", f"the EPUB cover draws the theme's own words in {language_name(spoken.language)} "
                                     f"('{spoken.language}') as empty boxes ({codes}): neither the print theme's fonts "
                                     "nor any font on this machine has them", spoken.span,
                           hint=font_hint(lacking, "EPUBs", machine))
        return True

    # --- a story ------------------------------------------------------------------------
    def story(self, sid: str) -> Package:
        story, book = views.story_view(self.world, sid), gamebook(self.world, sid, self.say)
        front = self.world.stories[sid].model.front
        players = [views.hero_view(self.world, h, ties=False, say=self.say) for h in dict.fromkeys((front.protagonist, *front.heroes))
                   if h in self.world.heroes]
        info = views.book_info(self.world, story.title, GAMEBOOK, [self.world.stories[sid]], story.title_html,
                               story.marks)
        entry = self.world.stories[sid]
        self.home = Home("gamebook", entry.path)
        package = self.package(f"story:{sid}", info, entry.path, entry.doc.source.text)
        _ = self._
        title = self.chapter("title.xhtml", _("Title page"), "title.html.j2", info=info)
        how = self.chapter("how-to-read.xhtml", _("How to read this book"), "how-to-read.html.j2", info=info,
                           story=story, book=book)
        sheet = self.chapter("adventure-sheet.xhtml", _("Adventure sheet"), "adventure-sheet.html.j2", book=book,
                             players=players)
        sections = [self.chapter(section_file(s.number), _("Section %(number)s") % {"number": s.number},
                                 "section.html.j2", section=s) for s in book.sections]
        package.chapters = [title, how, sheet, *sections]
        package.contents = [title, how, sheet, (_("Sections"), sections)]
        # The adventure sheet shows each hero who can play with their portrait.
        package.images = self.images([p for p in players if p.portrait_asset is not None])
        return package

    # --- the compendium -------------------------------------------------------------------
    def compendium(self) -> Package:
        world = self.world
        heroes, characters, quests, stories = views.compendium_views(world, self.say)
        info = views.book_info(world, world.project.config.project.title, COMPENDIUM, world.entries(),
                                 world.project.html("title"), views.world_marks(world))
        self.home = Home("compendium", CONFIG_NAME, "epub")
        package = self.package("compendium", info)
        _ = self._
        title = self.chapter("title.xhtml", _("Title page"), "title.html.j2", info=info)
        hero_pages = [self.chapter(f"hero-{h.id}.xhtml", h.name, "hero.html.j2", marks=h.marks, hero=h) for h in heroes]
        parts = [("characters.xhtml", _("Characters"), "characters.html.j2", {"characters": characters},
                  [(f"#character-{c.id}", c.name, c.marks) for c in characters]),
                 ("quests.xhtml", _("Quests"), "quests.html.j2", {"quests": quests},
                  [(f"#quest-{q.id}", q.title, q.marks) for q in quests]),
                 ("stories.xhtml", _("Stories"), "stories.html.j2", {"stories": stories},
                  [(f"#story-{s.id}", s.title, s.marks) for s in stories])]
        chapters = []
        for name, label, template, context, children in parts:
            if children:
                chapter = self.chapter(name, label, template, **context)
                chapter.children = children
                chapters.append(chapter)
        package.chapters = [title, *hero_pages, *chapters]
        package.contents = [title, *([(_("Heroes"), hero_pages)] if hero_pages else []), *chapters]
        package.images = self.images([v for v in (*heroes, *characters) if v.portrait_asset is not None])
        return package

    # --- links and images -------------------------------------------------------------------
    def images(self, people: list) -> dict[str, tuple[bytes, str]]:
        """Portraits as the EPUB carries them, by their name under images/."""
        out = {}
        for view in people:
            asset = view.portrait_asset
            try:
                out[epub_image_name(media_path(asset))] = _core_image(asset)
            except Exception as exc:  # gone or unreadable since it was checked: Pillow raises many types
                self.ctx.diags.add("HF0704", f"could not read '{asset.path}' for the EPUB: {type(exc).__name__}",
                                   Span(view.source))
                self.failed = True
        return out

    @staticmethod
    def href(kind: str, eid: str) -> str:
        """Where a cross-reference points inside the compendium EPUB."""
        if kind == "section":
            return f"{section_file(int(eid))}#section-{eid}"
        files = {"hero": f"hero-{eid}.xhtml", "character": "characters.xhtml", "quest": "quests.xhtml",
                 "story": "stories.xhtml"}
        return f"{files[kind]}#{kind}-{eid}"

    @staticmethod
    def src(media: str | None) -> str:
        return f"images/{epub_image_name(media)}" if media else ""


def _cover_config_text(world: World) -> str:
    """foundry.toml's lines of what a cover prints from it: the world's name and the
    authors (load/project.py setting_text); "" when it cannot be read."""
    from ...load.project import setting_text
    try:
        return setting_text(world.project.root, "project", ("title", "authors"))
    except (OSError, UnicodeDecodeError, ValueError):
        return ""


def _lines_holding(path: str, places: list[tuple[str, str]], chars: set[str]) -> list[tuple[Span, set[str]]]:
    """`chars` by the line that holds them: each character at the first line of the
    first of `places` ((file, text) pairs) holding it, a line's span at the first of
    its characters; those no line holds (a character from the theme's own words) at
    `path` alone. In the order the places and lines come. A character is found as
    HF0741 finds it (pdf/glyphs.py): written as an escape too (`"\\U0001F418"` in YAML
    or TOML), and never in a comment, which no cover prints (a story's title so written
    was said at its file with no line, and one a comment above it repeated, at the
    comment)."""
    found: dict[tuple[str, int], tuple[Span, set[str]]] = {}
    left = set(chars)
    for where, text in places:
        for number, line in enumerate(without_comments(where, text).split("\n"), 1):
            for column, char, _ in sorted(line_characters(line)):
                if char in left:
                    left.discard(char)
                    found.setdefault((where, number), (Span(where, number, column), set()))[1].add(char)
    return [*found.values(), *([(Span(path), left)] if left else [])]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def section_file(number: int) -> str:
    return f"s{number:03d}.xhtml"


def epub_image_name(media: str) -> str:
    """build/media/aria-50ae….webp → aria-50ae….png (EPUB readers get PNG or JPEG), its
    stem in the characters a manifest item's id keeps (a-z, 0-9, `-`: package._uid), so
    that two names are two ids: `rook.one-4a91….png` and `rook-one-4a91….png` (one
    picture saved under two names) were two images with one id, `img-rook-one-4a91…-png`,
    which epubcheck refuses (RSC-005) and which left one image out of the manifest. Names
    alike so end in the same hash (load/media.py `media_path`), so they are one picture,
    packed once."""
    name = PurePosixPath(media)
    stem = re.sub(r"[^a-z0-9-]", "-", name.stem)
    return f"{stem}{name.suffix}" if name.suffix in (".png", ".jpg") else f"{stem}.png"


def _core_image(asset) -> tuple[bytes, str]:
    data = render_image(asset)
    if asset.format in CORE_TYPES:
        return data, CORE_TYPES[asset.format]
    with Image.open(io.BytesIO(data), formats=["WEBP"]) as img:
        out = io.BytesIO()
        img.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"



class _Rehearsal(_Writer):
    """A _Writer whose chapters are rendered and whose package is not made: no cover
    drawn, no portrait read (`rehearse`)."""

    def package(self, book_id: str, info: views.BookInfo, source: str = CONFIG_NAME,
                source_text: str = "") -> object:
        from types import SimpleNamespace
        return SimpleNamespace()

    def images(self, people: list) -> dict[str, tuple[bytes, str]]:
        return {}
