"""The print theme's pictures a PDF cannot draw whole, found before any book is made.

A picture of the project's print theme that WeasyPrint cannot load (a PNG cut off
inside its header, a TIFF Pillow cannot read, an SVG that does not parse) was said by
each PDF build only ("Failed to load image at 'https://foundry-book.invalid/theme/…'",
an address of the build's own), while `foundry check` said nothing: check and build
disagreed. One cut off after its header (an interrupted copy, garbage after a JPEG's
header) WeasyPrint draws without a word, its missing rows blank (it sets Pillow's
LOAD_TRUNCATED_IMAGES), and nothing said so at all.

Each picture a PDF's page names by an address written as it stands (a template's
`<img src>`, a stylesheet's `url()`: books/theme_addresses.py `Named`) is judged here
from the bytes the book's fetcher serves (fetcher.served, as a viewer shows it) by
WeasyPrint's own loader (weasyprint.images.get_image_from_uri), then decoded strictly
(load/picture_verdicts.py `decodes`, as the site's pictures are). Both are said as a
warning at each place naming it, before any book, by `foundry check` and every build that makes PDFs alike (engine/outputs.py, as
the stylesheets' slips are; not an EPUB's, whose package carries no theme picture):
the book's render leaves WeasyPrint's message of a picture judged here unsaid (exporter.py). A picture a
template's expressions name (`src="theme/{{ x }}.png"`) is judged by the render when
it draws it, in the same words (`words`). A picture the theme holds and names nowhere
is drawn by no book: nothing is said of it. The shipped theme's pictures are foundry's
and not judged (WeasyPrint, a second to import, is imported only for a project's own).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, Diagnostics, Severity, Span
from ...load.image_kind import image_kind
from ...load.picture_verdicts import CUT, UNREAD, decodes, remembered
from ..books.book_url import BASE_URL, THEME

if TYPE_CHECKING:
    from ..books.theme import PrintTheme

__all__ = ["CUT", "UNREAD", "broken_pictures", "judged_targets", "verdict", "words"]


def broken_pictures(theme: PrintTheme) -> tuple[Diagnostic, ...]:
    """HF0703 warnings at each place a PDF's page names a picture of the project's own
    print theme that WeasyPrint cannot load, or that is cut off or corrupt."""
    from ..books.theme import DEFAULT_LABEL
    found = Diagnostics()
    for named in theme.pictures:
        data = theme.files.get(named.target)
        origin = theme.origins.get(named.target, DEFAULT_LABEL)
        if data is None or origin.startswith(DEFAULT_LABEL):
            continue
        why = verdict(named.target, data)
        if why is not None:
            message, hint = words(origin, data, why)
            found.add("HF0703", message, Span(theme.origins[named.holder], named.line, named.column),
                      severity=Severity.WARNING, hint=hint)
    return tuple(found.items)


def judged_targets(theme: PrintTheme) -> frozenset[str]:
    """The pictures (paths inside print/) `broken_pictures` judges: the render leaves
    WeasyPrint's words of these to it."""
    from ..books.theme import DEFAULT_LABEL
    return frozenset(named.target for named in theme.pictures
                     if not theme.origins.get(named.target, DEFAULT_LABEL).startswith(DEFAULT_LABEL))


def words(label: str, data: bytes, why: str) -> tuple[str, str]:
    """The message and hint for the theme picture `label` (as a diagnostic names its
    file) holding `data`, UNREAD or CUT."""
    kind = image_kind(data, head=65536) or "a file of no picture format"
    if why == UNREAD:
        return (f"the print theme's picture {label} ({kind}) cannot be read: the PDFs are made without it",
                "Export the picture again (as PNG, JPEG or SVG) from the original: the file is cut off, corrupt, "
                "or of a kind the books cannot draw.")
    return (f"the print theme's picture {label} ({kind}) is cut off or corrupt: the PDFs print what of it "
            "decodes, the rest blank",
            "Export the picture again from the original: an interrupted upload or copy cuts a file off.")


def verdict(rel: str, data: bytes) -> str | None:
    """UNREAD when WeasyPrint's loader refuses what a book is served of the theme file
    `rel` holding `data`; CUT when it loads but its pixels do not all decode; else None."""
    from .fetcher import served, served_type
    mime = served_type(THEME + rel)
    # by the digest of its name's type and bytes (load/picture_verdicts.py)
    return remembered(f"weasyprint {mime}", data, lambda data: _judge(rel, served(rel, data), mime))


def _judge(rel: str, body: bytes, mime: str) -> str | None:
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.images import RasterImage, get_image_from_uri
    from weasyprint.logger import LOGGER

    from .fetcher import ConfinedFetcher

    url = BASE_URL + THEME + rel
    failed: list[str] = []
    catch = _Catch(failed)
    LOGGER.addHandler(catch)
    try:
        image = get_image_from_uri({}, ConfinedFetcher({url: lambda: body}), DEFAULT_OPTIONS, url, mime)
    finally:
        LOGGER.removeHandler(catch)
    if image is None or failed:
        return UNREAD
    # read as WeasyPrint reads it (by Pillow, any format it knows) but without filling what is missing
    if isinstance(image, RasterImage) and not decodes(body):
        return CUT
    return None


class _Catch(logging.Handler):
    """WeasyPrint's words while one picture is loaded ('Failed to load image at …')."""

    def __init__(self, failed: list[str]):
        super().__init__(logging.ERROR)
        self.failed = failed

    def emit(self, record: logging.LogRecord) -> None:
        self.failed.append(record.getMessage())
