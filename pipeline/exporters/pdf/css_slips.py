"""What WeasyPrint ignores in the project's own print stylesheets, found by `check`.

WeasyPrint says what it cannot use in a stylesheet (`colr: red`, `width: calc(1px +)`,
an unknown at-rule, a selector it does not support) only while it makes a book, so
a slip in themes/<name>/print/css/sheet.css passed `foundry check` clean and then
stopped `foundry build --strict` with HF0703 warnings (check and build disagreed).
Each of the project's own stylesheets a PDF may read is read here as WeasyPrint reads
it (weasyprint.CSS, its own validator, served only that sheet's bytes: an @import is
the imported sheet's own reading), without laying anything out, and each message is
said with the words and place the book's render says it with (`say`), so the
collector keeps one. The shipped theme's sheets are clean and not read (WeasyPrint,
a second to import, is imported only for a project that has its own); the EPUB's
css/epub.css is not read by WeasyPrint. What WeasyPrint says only while laying out
a box (a `var()` whose value is invalid) is said by the book alone.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, Diagnostics, Severity, Span
from ..books.book_url import BASE_URL, THEME
from .css_origin import POSITION

if TYPE_CHECKING:
    from ..books.theme import PrintTheme
    from collections.abc import Callable

# The one stylesheet of the print theme that only the EPUB reads (epub/package.py).
EPUB_CSS = "css/epub.css"
HINT = "WeasyPrint made the book without it: correct the CSS there, or remove it."
# A selector WeasyPrint refuses is quoted without a place: it is found in the sheet.
_SELECTOR = re.compile(r"^Invalid or unsupported selector, '(.+?)'")
# The answer for the last few themes, by their own sheets' digest (serve checks at every save).
_MEMO: dict[str, tuple[Diagnostic, ...]] = {}


def say(diags: Diagnostics, message: str, at: Span, book: str | None = None) -> None:
    """HF0703 for a WeasyPrint message about CSS placed at `at`; `book` (the PDF's
    path) is named only when `at` has no line. A slip at its line is one warning
    however many books, and check, say it."""
    prefix = f"{book}: " if book and not at.line else ""
    diags.add("HF0703", f"{prefix}WeasyPrint: {short_data(message)[:200]}", at, severity=Severity.WARNING, hint=HINT)


# A `data:` address longer than a glance: its first letters are kept.
_LONG_DATA = re.compile(r"(data:[^\s\"'),]{0,40}(?:,[^\s\"')]{0,24})?)[^\s\"')]{16,}", re.IGNORECASE)


def short_data(message: str) -> str:
    """`message` (WeasyPrint's words) with each long `data:` address in it cut to its
    type and first letters and `…`: a template's `<img src="data:image/png;base64,…">`
    without alt was said as 200 characters of base64, the words saying what is wrong
    (`has no required alt description`) cut off after them."""
    return _LONG_DATA.sub(lambda m: m[1] + "…", message)


def placed(message: str, text: str) -> tuple[int, int] | None:
    """The line and column in a stylesheet of `text` that WeasyPrint's `message` is
    about: the place it gives, else where the selector it quotes is written."""
    place = POSITION.search(message)
    if place:
        return int(place[1]), int(place[2])
    quoted = _SELECTOR.search(message)
    at = text.find(quoted[1].strip()) if quoted and quoted[1].strip() else -1
    if at < 0:
        return None
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def stylesheet_slips(theme: PrintTheme) -> tuple[Diagnostic, ...]:
    """HF0703 warnings, at their lines, for what WeasyPrint would ignore in each of the
    project's own print stylesheets (not the shipped theme's, not the EPUB's), and in
    each `<style>` of its own PDF templates written with no Jinja inside."""
    own = {rel: data for rel, data in sorted(theme.files.items())
           if rel.endswith(".css") and rel != EPUB_CSS and not theme.origins.get(rel, "").startswith("<")}
    styles = [block for block in style_blocks(theme) if not _JINJA.search(block.text)]
    if not own and not styles:
        return ()
    digest = hashlib.sha256()
    for rel, data in own.items():
        digest.update(f"{theme.origins[rel]}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    for block in styles:
        digest.update(f"{block.origin}\0{block.line}:{block.column}\0{block.text}\n".encode("utf-8", "replace"))
    key = digest.hexdigest()
    if key not in _MEMO:
        if len(_MEMO) >= 4:
            _MEMO.clear()
        found = Diagnostics()
        for rel, data in own.items():
            for message in _read(rel, data, own):
                where = placed(message, data.decode("utf-8", "replace"))
                say(found, message, Span(theme.origins[rel], *where) if where else Span(theme.origins[rel]))
        for block in styles:
            messages = _read(None, block.text.encode("utf-8"), own) if block.element else _declarations(block.text)
            for message in messages:
                say(found, message, block.span(message) or Span(block.origin))
        _MEMO[key] = tuple(found.items)
    return _MEMO[key]


# A `<style>` element of a template, its text (no nested tags: CSS holds none); a
# `style="…"` attribute, its value.
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
# _STYLE's parts, for `_style_elements`: the pattern read from each `<style` left
# unclosed (or with no `>`) on to the end of the template, and again from the next
_STYLE_OPENING = re.compile(r"<style\b", re.IGNORECASE)
_STYLE_CLOSING = re.compile(r"</style\s*>", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"""<[A-Za-z][^<>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_JINJA = re.compile(r"\{[{%#]")
# An attribute of a `<style>` that decides whether WeasyPrint reads it (css.find_stylesheets)
_STYLE_CHOICE = re.compile(r"""\s(media|type)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
# What a message quotes of the declaration or function it is about.
_QUOTED = re.compile(r"^Ignored `([^`:]+):|at \d+:\d+: (.+)$")


@dataclass(frozen=True)
class StyleBlock:
    """The text of a `<style>` (`element`) or of a `style="…"` attribute in a project's
    own PDF template (`origin`, as a diagnostic names it), which starts at `line`,
    `column` (1-based) of the file."""
    origin: str
    text: str
    line: int
    column: int
    element: bool = True
    tag: str = ""   # a `<style>`'s opening tag, as written

    @property
    def printed(self) -> bool:
        """Whether WeasyPrint reads this `<style>` for a printed book, as it chooses
        (css.find_stylesheets): its `type` text/css (the default), its `media` a comma
        list naming `print` or `all` exactly (the default), or either written with Jinja."""
        found: dict[str, str] = {}
        for m in _STYLE_CHOICE.finditer(self.tag):   # the first of a name counts, as in HTML
            found.setdefault(m[1].lower(), next(v for v in m.groups()[1:] if v is not None))
        if any(_JINJA.search(value) for value in found.values()):
            return True
        media = [part.strip() for part in (found.get("media", "").strip() or "all").split(",")]
        return found.get("type", "text/css").split(";", 1)[0].strip() == "text/css" and ("all" in media or "print" in media)

    def span(self, message: str) -> Span | None:
        """Where in the template WeasyPrint's `message` about this block is (its
        position is within the block's text), when the block's line there holds what
        the message quotes; None otherwise."""
        place = POSITION.search(message)
        if place is None:
            return None
        line, column = int(place[1]), int(place[2])
        lines = self.text.split("\n")
        quoted = _QUOTED.search(message)
        text = (quoted[1] or quoted[2]) if quoted else ""
        if not 0 < line <= len(lines) or (text and text not in lines[line - 1]):
            return None
        return Span(self.origin, self.line + line - 1, column + (self.column - 1 if line == 1 else 0))


def _style_elements(text: str) -> list[tuple[int, str, str]]:
    """(where its text starts, its text, its opening tag) of each match of _STYLE in `text`, in time
    linear in it: an opening with no `>` after it, or no closing after its `>`, means
    no later one has either, so the reading ends there (load/delimited.py's rule)."""
    found, pos = [], 0
    while (opening := _STYLE_OPENING.search(text, pos)) is not None:
        tag_end = text.find(">", opening.end())
        closing = _STYLE_CLOSING.search(text, tag_end + 1) if tag_end >= 0 else None
        if closing is None:
            break
        found.append((tag_end + 1, text[tag_end + 1:closing.start()], text[opening.start():tag_end + 1]))
        pos = closing.end()
    return found


def style_blocks(theme: PrintTheme) -> list[StyleBlock]:
    """Each `<style>` and `style="…"` of the project's own PDF templates (the EPUB's,
    templates/epub/, are never read by WeasyPrint)."""
    blocks = []
    for rel, data in sorted(theme.files.items()):
        if not rel.startswith("templates/") or rel.startswith("templates/epub/") \
                or theme.origins.get(rel, "").startswith("<") or b"style" not in data.lower():
            continue
        text = data.decode("utf-8", "replace")
        found = [(start, value, True, tag) for start, value, tag in _style_elements(text)]
        found += [(m.start(m.lastindex), m.group(m.lastindex), False, "") for m in _STYLE_ATTRIBUTE.finditer(text)]
        line, counted = 1, 0   # line breaks counted on from the last block, not from the start each time
        for start, value, element, tag in sorted(found):
            line, counted = line + text.count("\n", counted, start), start
            blocks.append(StyleBlock(theme.origins[rel], value, line, start - (text.rfind("\n", 0, start) + 1) + 1,
                                     element, tag))
    return blocks


def style_span(message: str, theme: PrintTheme, element: bool = True) -> Span | None:
    """Where a message WeasyPrint said while reading a template's `<style>` (`element`)
    or `style="…"` is: the project's own one whose line holds what it quotes, else None."""
    return next((at for block in style_blocks(theme)
                 if block.element == element and (at := block.span(message)) is not None), None)


def _declarations(text: str) -> list[str]:
    """WeasyPrint's messages validating a `style="…"` attribute's declarations, as it
    reads one on an element (css.find_style_attributes)."""
    import tinycss2
    from weasyprint.css.validation import preprocess_declarations

    return said_reading(lambda: list(preprocess_declarations(BASE_URL, tinycss2.parse_blocks_contents(text))))


def _read(rel: str | None, data: bytes, sheets: dict[str, bytes]) -> list[str]:
    """WeasyPrint's messages reading the sheet `rel` alone (None: a template's `<style>`,
    read under the page's address): the sheets it @imports are served empty (each is
    read as itself), anything else is refused, and what a fetch says is left to HF0704
    (books/theme_addresses.py)."""
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    url = BASE_URL + THEME + rel if rel is not None else BASE_URL + "style.css"

    class _Only(weasyprint.URLFetcher):
        def fetch(self, asked, headers=None):
            if asked == url:
                return URLFetcherResponse(asked, data, {"Content-Type": "text/css"})
            if asked.startswith(BASE_URL + THEME) and asked[len(BASE_URL + THEME):] in sheets:
                return URLFetcherResponse(asked, b"", {"Content-Type": "text/css"})
            raise PermissionError(f"not read by check: {asked[:200]}")

    messages = said_reading(lambda: weasyprint.CSS(url=url, url_fetcher=_Only(timeout=1, allowed_protocols=(), allow_redirects=False)))
    return [m for m in messages if not m.startswith("Failed to load")]


def said_reading(read: Callable[[], object]) -> list[str]:
    """What WeasyPrint logs while `read()` runs, under the math guard the books run
    with; [] when it fails outright (what WeasyPrint fails on is the book's render's
    to report, at build); a backward `unicode-range` is refused as the books refuse it."""
    from .css_math import math_guarded
    from .css_ranges import ranges_guarded
    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        with math_guarded(), ranges_guarded():
            read()
    except Exception:   # noqa: BLE001 (see the docstring)
        return []
    finally:
        logger.removeHandler(handler)
    return messages


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]):
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
