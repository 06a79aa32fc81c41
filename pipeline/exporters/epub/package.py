"""An EPUB 3 file from chapters, with ebooklib, made byte-for-byte reproducible.

ebooklib stamps every zip entry with the current time and `dcterms:modified` with
now; it also has sharp edges (an empty chapter raises, a control character in a
title raises, a `../` file name escapes the book, an empty table of contents makes
an invalid EPUB). This module keeps those out: chapter names are generated, text is
cleaned of characters XML cannot hold, every chapter has a body, and the finished
zip is rewritten with fixed timestamps and the mimetype entry first and stored.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

# ebooklib (~7 CPU-ms to import, with lxml) is imported by the methods that make a book:
# `foundry check` plans the EPUBs and makes none.
if TYPE_CHECKING:
    from ebooklib import epub

from ...epoch import FALLBACK
from ...l10n.scripts import text_direction
from ..books.direction import mark_directions_fragment
from ..books.cluster_breaks import breakable, clusters_breakable_fragment
from ..books.mark_room import room_for_marks_fragment

OPF = "EPUB/content.opf"
NAV = "EPUB/nav.xhtml"
NCX = "EPUB/toc.ncx"
ZIP_EPOCH = 315532800              # 1980-01-01, the earliest time a zip can hold
ZIP_LATEST = 4354819198            # 2107-12-31T23:59:58, the latest (its year is 7 bits from 1980)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def clean(text: str) -> str:
    """Text as XML can hold it (ebooklib raises on control characters)."""
    return _NOT_XML.sub("", text)


@dataclass
class Chapter:
    name: str                  # file name inside the book, e.g. "s027.xhtml"
    title: str
    body: str                  # XHTML body content
    # (anchor href, title) or (anchor href, title, marks) for the contents
    children: list[tuple] = field(default_factory=list)
    # the title's fallback marks ((attribute, value) pairs: lang, dir) when the book shows
    # it in the base language; carried to its link in the navigation document
    marks: tuple[tuple[str, str], ...] = ()


@dataclass
class Package:
    identifier: str            # urn:uuid:…
    title: str
    language: str
    authors: tuple[str, ...]
    description: str
    date: int | None           # SOURCE_DATE_EPOCH
    css: bytes
    cover: bytes               # PNG
    version: str = ""          # the content version (git commit) the book was made from
    chapters: list[Chapter] = field(default_factory=list)
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)   # name → (bytes, media type)
    contents: list = field(default_factory=list)     # [Chapter | (label, [Chapter…])] for the navigation
    # the cover page's title and its image's text alternative, in the book's language
    # (ebooklib's own is the English word "Cover", in every book)
    cover_title: str = "Cover"
    # the title's fallback marks (lang, dir) when the book shows it in the base language:
    # the navigation document's heading and <title> are the book's title
    title_marks: tuple[tuple[str, str], ...] = ()
    description_marks: tuple[tuple[str, str], ...] = ()   # the world's description in the base language

    def to_bytes(self) -> bytes:
        from ebooklib import epub
        book = self._book()
        raw = io.BytesIO()
        modified = datetime.fromtimestamp(self.date if self.date is not None else FALLBACK, timezone.utc)
        epub.write_epub(raw, book, {"mtime": modified, "epub3_pages": False, "raise_exceptions": True})
        return reproducible_zip(raw.getvalue(), self.date, {OPF: self._package_language, NAV: self._nav_marks,
                                                             NCX: self._ncx_marks})

    def _marked(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        """(href, label as the navigation shows it) → the fallback marks of each entry of
        the contents whose name the book shows in the base language."""
        marked = {}
        for entry in self.contents:
            for chapter in (entry[1] if isinstance(entry, tuple) else [entry]):
                if chapter.marks:
                    marked[(chapter.name, clean(chapter.title))] = chapter.marks
                for child in chapter.children:
                    if len(child) > 2 and child[2]:
                        marked[(f"{chapter.name}{child[0]}", clean(child[1]))] = child[2]
        return marked

    def _nav_marks(self, nav: bytes) -> bytes:
        """`lang` (and `dir`) on each navigation link whose name the book shows in the
        base language, as the contents page marks it: ebooklib writes plain labels, so a
        screen reader would read an untranslated English name with German rules."""
        marked = {href: marks for (href, _), marks in self._marked().items()}
        rtl = text_direction(self.language) == "rtl"
        if not marked and not self.title_marks and not rtl:
            return nav
        from lxml import etree
        xhtml = "{http://www.w3.org/1999/xhtml}"
        tree = etree.fromstring(nav)
        if rtl:   # ebooklib sets the direction on <body> alone; every other document has it on <html> too
            tree.set("dir", "rtl")
        targets = [(link, marked.get(link.get("href"), ())) for link in tree.iter(f"{xhtml}a")]
        # the book's title, which ebooklib writes as the navigation's <title> and heading
        targets += [(element, self.title_marks) for element in (tree.find(f"{xhtml}head/{xhtml}title"),
                                                                 tree.find(f".//{xhtml}nav/{xhtml}h2"))
                    if element is not None and element.text == clean(self.title)]
        for element, marks in targets:
            for name, value in marks:
                if name in ("lang", "dir"):   # its class (l10n-fallback) is styled by no rule of epub.css
                    element.set(name, value)
                    if name == "lang":
                        element.set("{http://www.w3.org/XML/1998/namespace}lang", value)
        return etree.tostring(tree.getroottree(), xml_declaration=True, encoding="utf-8")   # its <!DOCTYPE> kept

    def _ncx_marks(self, ncx: bytes) -> bytes:
        """The EPUB 2 table of contents (toc.ncx, for older readers) marked as the
        navigation document is: `xml:lang` (and `dir`) on each `<navLabel>` whose name
        the book shows in the base language (the NCX's only place for them), and the
        book's own language on `<ncx>` then. A book with none is as ebooklib wrote it.
        The NCX's `<docTitle>` can hold no language: a title left in the base language
        is marked in the navigation document and `<dc:title>`."""
        marked = self._marked()
        rtl = text_direction(self.language) == "rtl"
        if not marked and not rtl:
            return ncx
        from lxml import etree
        ns = "{http://www.daisy.org/z3986/2005/ncx/}"
        xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
        tree = etree.fromstring(ncx)
        tree.set(xml_lang, self.language)
        if rtl:
            tree.set("dir", "rtl")
        for point in tree.iter(f"{ns}navPoint"):
            label, content = point.find(f"{ns}navLabel"), point.find(f"{ns}content")
            if label is None or content is None:
                continue
            for name, value in marked.get((content.get("src"), label.findtext(f"{ns}text") or ""), ()):
                if name in ("lang", "dir"):
                    label.set(xml_lang if name == "lang" else "dir", value)
        return etree.tostring(tree.getroottree(), xml_declaration=True, encoding="utf-8")

    def _package_language(self, opf: bytes) -> bytes:
        """xml:lang (and dir for right-to-left languages) on <package>: ebooklib writes
        only dc:language, and readers and DAISY Ace take the book's language from here.
        A title shown in the base language carries its own on <dc:title> (a library
        would list an English title in an Arabic book right to left), and so does the
        world's description, never translated, on <dc:description>, and foundry's English
        accessibility summary on its <meta>."""
        from xml.sax.saxutils import quoteattr   # here: it imports urllib.request, ~50 ms (html exporter.py sitemap)
        rtl = text_direction(self.language) == "rtl"
        attrs = f'xml:lang={quoteattr(self.language)} ' + ('dir="rtl" ' if rtl else "")
        opf = opf.replace(b"<package ", b"<package " + attrs.encode("utf-8"), 1)
        for element, given in (("title", self.title_marks), ("description", self.description_marks)):
            marks = "".join(f" {'xml:lang' if name == 'lang' else name}={quoteattr(value)}"
                            for name, value in given if name in ("lang", "dir"))
            if marks:
                opf = opf.replace(f"<dc:{element}>".encode(), f"<dc:{element}{marks}>".encode("utf-8"), 1)
        if self.language.split("-", 1)[0].lower() != "en":
            # the accessibility summary is foundry's own English sentence: in a German or
            # Arabic book it was claimed to be in the book's language (a reading system
            # read it aloud with a German or Arabic voice, right to left in an Arabic one)
            summary = b'<meta property="schema:accessibilitySummary">'
            opf = opf.replace(summary, summary[:-1] + b' xml:lang="en"' + (b' dir="ltr"' if rtl else b"") + b">", 1)
        return opf

    def accessibility(self) -> list[tuple[str, str]]:
        """The schema.org accessibility metadata (EPUB Accessibility 1.1), as true of
        every book we make: text with headings, a table of contents and the reading
        order of the spine; every image (portraits, the cover) has a text alternative,
        so the text alone is enough; nothing flashes, moves or plays sound."""
        visual = bool(self.images) or bool(self.cover)
        modes = ["textual", "visual"] if visual else ["textual"]
        features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
        if visual:
            features.append("alternativeText")
        summary = ("Text with headings and a table of contents; every section and link is reachable by "
                   "keyboard and screen reader. Images have text alternatives, so the text alone carries "
                   "everything. Links are underlined. No flashing, motion or sound.")
        return ([("schema:accessMode", m) for m in modes]
                + [("schema:accessModeSufficient", "textual")]
                + [("schema:accessibilityFeature", f) for f in features]
                + [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary)])

    def _book(self) -> epub.EpubBook:
        from ebooklib import epub
        book = epub.EpubBook()
        book.set_identifier(self.identifier)
        book.set_title(clean(self.title))
        book.set_language(self.language)
        for i, author in enumerate(self.authors, 1):
            book.add_author(clean(author), uid=f"creator-{i}")
        if self.description:
            book.add_metadata("DC", "description", clean(self.description))
        if self.version:
            book.add_metadata(None, "meta", clean(self.version), {"property": "dcterms:hasVersion"})
        for prop, value in self.accessibility():
            book.add_metadata(None, "meta", value, {"property": prop})
        book.set_cover("images/cover.png", self.cover)
        book.get_item_with_id("cover").title = clean(self.cover_title)
        style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=self.css)
        book.add_item(style)
        # ebooklib's cover page links no style sheet: its 1200-pixel image was wider than
        # a phone's page in a reading system that does not fit it itself
        book.get_item_with_id("cover").add_item(style)
        for name, (data, media_type) in sorted(self.images.items()):
            book.add_item(epub.EpubItem(uid=_uid("img", name), file_name=f"images/{name}", media_type=media_type,
                                        content=data))
        items = {}
        for chapter in self.chapters:
            if not SAFE_NAME.match(chapter.name):
                raise ValueError(f"unsafe chapter file name {chapter.name!r}")
            item = epub.EpubHtml(uid=_uid("ch", chapter.name), file_name=chapter.name, title=clean(chapter.title),
                                 lang=self.language,
                                 direction="rtl" if text_direction(self.language) == "rtl" else None)
            body = clean(chapter.body)
            body = mark_directions_fragment(body, text_direction(self.language))
            body = room_for_marks_fragment(body)    # a tall script's lines clear of each other
            body = clusters_breakable_fragment(body)   # an endless cluster (☂‍☂‍☂‍…) may break inside
            item.content = body or "<p></p>"
            item.add_item(style)
            book.add_item(item)
            items[chapter.name] = item
        book.toc = [_entry(entry, items) for entry in self.contents] or [items[self.chapters[0].name]]
        book.add_item(epub.EpubNcx())
        nav = epub.EpubNav(direction="rtl" if text_direction(self.language) == "rtl" else None)
        # the navigation is a page too (a reader shows it as the book's contents): without
        # the book's style sheet a long name in it did not wrap, 853 px on a 320 px phone
        nav.add_item(style)
        book.add_item(nav)
        book.spine = ["cover", *(items[c.name] for c in self.chapters)]
        if text_direction(self.language) == "rtl":
            book.set_direction("rtl")     # <spine page-progression-direction="rtl">
        return book



def _uid(prefix: str, name: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _entry(entry, items: dict[str, epub.EpubHtml]):
    from ebooklib import epub
    if isinstance(entry, Chapter):
        if entry.children:   # a chapter with parts: its own link, then a link per part
            children = [epub.Link(f"{entry.name}{child[0]}", _label(child[1]), _uid("nav", entry.name + child[0]))
                        for child in entry.children]
            return (epub.Section(_label(entry.title), entry.name), children)
        return epub.Link(entry.name, _label(entry.title), _uid("nav", entry.name))
    label, chapters = entry
    return (epub.Section(_label(label), chapters[0].name), [_entry(c, items) for c in chapters])


def _label(title: str) -> str:
    """A contents entry's words (ebooklib writes them as text: an endless cluster's
    breaks are zero-width spaces, books/cluster_breaks.py)."""
    return breakable(clean(title))


def reproducible_zip(data: bytes, date: int | None, edits: dict | None = None) -> bytes:
    """The same zip with fixed timestamps and permissions, `mimetype` first and
    stored (the OCF rule), every other entry in sorted order, deflated. `edits`:
    entry name → a function from its bytes to the bytes to store instead."""
    # a SOURCE_DATE_EPOCH past 2107 (the CLI takes up to 9999) was 'internal error (struct.error)'
    stamp = datetime.fromtimestamp(min(max(date or ZIP_EPOCH, ZIP_EPOCH), ZIP_LATEST), timezone.utc).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *names]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            content = source.read(name)
            if edits and name in edits:
                content = edits[name](content)
            target.writestr(info, content, compresslevel=9 if name != "mimetype" else None)
    return out.getvalue()


def book_identifier(project_title: str, book_id: str) -> str:
    """A stable urn:uuid for a book: the same project and book always get the same one."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"hero-foundry:{project_title}:{book_id}"))
