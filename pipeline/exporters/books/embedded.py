"""Images a print theme holds inside its other files, found so that they are judged as its files are.

A stylesheet's `url("data:image/svg+xml;base64,…")`, a template's `<img src="data:…">`
and an `<svg>` written straight into a template are drawn by WeasyPrint like a theme
SVG or PNG of their own. Only files were counted (svg_cost.py, image_size.py): 1 KB of
`<use>`s nested nine deep pasted into `hero-sheet.html.j2` passed check clean and
drew for four minutes before every book stopped (HF0710, naming the PDF, not the
template). Each embedded image is found here with its file and line, so that the same
counters judge it; and `data:` URIs are decoded by the standard library's own
`DataHandler`, the decoder WeasyPrint's fetcher (a urllib opener) uses, so what is
counted is exactly what would be drawn. The books' fetcher serves them with it
(exporters/pdf/fetcher.py).
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from xml.etree import ElementTree

from .html_reading import read_html
from .template_constants import Folded, folded, inherited_constants
from .written import written_at

_DATA = re.compile(r"data:", re.IGNORECASE)
_SVG_OPEN = re.compile(r"<svg\b", re.IGNORECASE)
# where an unquoted URI ends: CSS `url(data:…)`, an HTML attribute written without quotes
_UNQUOTED_END = re.compile(r"[\s\"'()<>]")
_SVG_TAG = "{http://www.w3.org/2000/svg}svg"


@dataclass(frozen=True)
class Embedded:
    """One image inside a theme file: `holder` is the file's path inside print/,
    `line` and `column` (1-based) where it starts there; `data` the image's bytes (a `data:` URI's
    payload) or `tree` the `<svg>` element a template writes, parsed as
    WeasyPrint parses the page (tinyhtml5)."""
    holder: str
    line: int
    column: int
    data: bytes | None = None
    tree: ElementTree.Element | None = None


def decode_data_uri(uri: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a `data:` URI (RFC 2397), decoded by urllib's
    `DataHandler` as WeasyPrint's fetcher decodes it; None when it cannot be
    decoded (no comma, broken base64), which WeasyPrint would not draw either."""
    # imported here: urllib.request brings http.client and ssl, which a build that
    # only lists the print theme (books/theme.py `refused_links`) never needs
    from urllib.error import URLError
    from urllib.request import DataHandler, Request
    try:
        with DataHandler().data_open(Request(uri)) as response:
            return response.read(), response.headers.get("Content-Type", "text/plain")
    except (ValueError, URLError, binascii.Error, UnicodeError):
        return None


def embedded_images(files: dict[str, bytes]) -> dict[str, Embedded]:
    """Every image held inside the text files of `files` (path inside print/ →
    bytes): `data:` URIs in any file, `<svg>` elements in templates. Keyed by a
    name no theme file can have (`<holder>#<n>`: a URL's `#` ends its path, so no
    reference reaches it) whose folder is the holder's, as a reference inside it
    would be resolved."""
    found: dict[str, Embedded] = {}
    # a name a page sets, read by the template it extends or includes (template_constants.py
    # `inherited_constants`): that template is read once with each page's names too
    inherited = inherited_constants({rel: data.decode("utf-8", "replace") for rel, data in files.items()
                                     if rel.startswith("templates/")})
    for rel in sorted(files):
        raw = files[rel]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # a font or an image, which no reader unescapes (and which tinycss2 took seconds
            # to read as a stylesheet on every build: they hold backslashes): looked into only
            # when it holds `data:` as typed
            if b"data:" not in raw.lower():
                continue
            text = raw.decode("latin-1")
        # a template's constant expressions read as what they write (`{% set scheme = "da" ~ "ta:" %}`
        # then `src="{{ scheme }}image/svg+xml,…"` is a `data:` image as typed: template_constants.py)
        seen: set[tuple[int, int, bytes]] = set()
        for context in ((), *inherited.get(rel, ())):
            constant = folded(text, context) if rel.startswith("templates/") else None
            read = constant.text if constant is not None else text
            # `dat\61:` (CSS) and `&#100;ata:` (HTML) are `data:` to their readers too
            if "data:" not in read.lower() and "\\" not in read and not (rel.startswith("templates/") and (
                    "<svg" in read.lower() or "&" in read)):
                continue
            for (line, column), data in _data_uris(read, rel.startswith("templates/")):
                line, column = _written_place(constant, text, line, column) if constant is not None else (line, column)
                if (line, column, data) not in seen:   # once, whichever page's names
                    seen.add((line, column, data))
                    found[f"{rel}#{len(found)}"] = Embedded(rel, line, column, data=data)
        if rel.startswith("templates/"):
            for (line, column), tree in _inline_svgs(text):
                found[f"{rel}#{len(found)}"] = Embedded(rel, line, column, tree=tree)
    return found


def _at(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _written_place(constant: Folded, text: str, line: int, column: int) -> tuple[int, int]:
    """The line and column in the template as written (`text`) of `line`, `column` of
    its folded text (a place inside what a constant expression writes: the expression)."""
    if not constant.replaced or not line:
        return line, column
    start = 0
    for _ in range(line - 1):
        start = constant.text.index("\n", start) + 1
    return _at(text, constant.written_at(start + column - 1))


def _data_uris(text: str, template: bool) -> list[tuple[tuple[int, int], bytes]]:
    """The `data:` URIs of `text` as they are written and as their readers unescape
    them: tinycss2 (a stylesheet's or template's `\\"` and `\\61`, WeasyPrint's CSS
    parser) and, in a template, tinyhtml5 (an attribute's `&quot;` or `&#100;`): a
    legitimate `url("data:…<svg xmlns=\\"…\\">")` was cut at its first escaped quote
    here, so check passed and every book refused the icon (HF0704). A URI's payload
    holding text is read again the same ways: a `data:` stylesheet's own `url(data:…)`
    is served only when held here. Each distinct payload once."""
    found: list[tuple[tuple[int, int], bytes]] = []
    seen: set[bytes] = set()

    def add(at: tuple[int, int], uri: str, depth: int) -> None:
        decoded = decode_data_uri(uri)
        if decoded is None or not decoded[0] or decoded[0] in seen:
            return
        seen.add(decoded[0])
        found.append((at, decoded[0]))
        if depth < _MAX_DEPTH and b"data:" in decoded[0].lower():
            inner = decoded[0].decode("utf-8", "replace")
            for uri_inside in _written(inner) + _css_strings(inner) + _attributes(inner):
                add(at, uri_inside[1], depth + 1)

    for at, uri in _written(text):
        add(at, uri, 0)
    for at, uri in _css_strings(text) + (_attributes(text, text) if template else []):
        add(at, uri, 0)
    return found


_MAX_DEPTH = 4   # `data:` inside `data:`: deeper than any theme writes


def _written(text: str) -> list[tuple[tuple[int, int], str]]:
    """The `data:` URIs of `text` as they stand, to their quote or end."""
    found = []
    for match in _DATA.finditer(text):
        start = match.start()
        quote = text[start - 1] if start else ""
        if quote in "\"'":
            end = text.find(quote, start)
        else:   # `url(data:…)` or an attribute without quotes
            ended = _UNQUOTED_END.search(text, start)
            end = ended.start() if ended else -1
        found.append((_at(text, start), text[start:end if end >= 0 else len(text)]))
    return found


def _css_strings(text: str) -> list[tuple[tuple[int, int], str]]:
    """The `url(…)` and string values of `text` read as CSS (tinycss2, as WeasyPrint
    reads a stylesheet) that are `data:` URIs: `@import "data:…"` takes a string."""
    import tinycss2

    found = []
    try:
        stack = list(tinycss2.parse_component_value_list(text))
    except Exception:  # tinycss2 reads any text; a failure leaves the URIs as written
        return found
    while stack:
        token = stack.pop()
        if token.type in ("url", "string") and token.value[:5].lower() == "data:":
            found.append(((token.source_line, token.source_column), token.value))
        stack.extend(getattr(token, "content", None) or ())
        stack.extend(getattr(token, "arguments", None) or ())
    return found


def _attributes(text: str, source: str | None = None) -> list[tuple[tuple[int, int], str]]:
    """The attribute values of `text` read as HTML (tinyhtml5, as WeasyPrint reads
    the page) that hold a `data:` URI, with the CSS of `style` attributes and
    `<style>` elements; placed at the line of the first `data:` written in `source`
    (the parser keeps no places)."""
    if "data" not in text.lower() and "&" not in text:
        return []
    root = read_html(text)
    if root is None:
        return []
    first = _DATA.search(source) if source else None
    at = _at(source, first.start()) if source and first else (0, 0)
    found = []
    for el in root.iter():
        for name, value in el.attrib.items():
            if name == "style":
                found += [(at, uri) for _, uri in _css_strings(value)]
            elif value.strip()[:5].lower() == "data:":
                # WeasyPrint drops an address's tabs and line breaks (html.parse_url): a
                # data: SVG written over several lines is asked for on one
                found.append((_placed(source, value, el, name) or at,
                              value.strip().replace("\t", "").replace("\n", "").replace("\r", "")))
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "style" and el.text:
            found += [(at, uri) for _, uri in _css_strings(el.text)]
    return found


def _placed(source: str | None, value: str, el, name: str) -> tuple[int, int] | None:
    """Where an attribute's `value` is written in `source`, character references and
    all (`&#100;ata:`: no `data:` stands in the file), or None."""
    if not source or not isinstance(name, str):
        return None
    tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
    start = written_at(source, value, 0, (tag, name.rsplit("}", 1)[-1].lower()))[0]
    return _at(source, start) if start >= 0 else None


def _inline_svgs(text: str) -> list[tuple[tuple[int, int], ElementTree.Element]]:
    """The outermost `<svg>` elements of a template's text, parsed as WeasyPrint
    parses the page the template makes (its Jinja tags are text to the parser, so
    what is counted is what the template writes as it stands)."""
    root = read_html(text)
    if root is None:   # a failure is not the writer's to see here; past its budget, judged.py's
        return []
    # lines: the n-th `<svg` of the text is the n-th svg element in document order
    lines = [_at(text, m.start()) for m in _SVG_OPEN.finditer(text)]
    every = [el for el in root.iter() if el.tag == _SVG_TAG]
    inner = {id(child) for el in every for child in el.iter() if child is not el and child.tag == _SVG_TAG}
    return [(lines[n] if len(lines) == len(every) else (0, 0), el)
            for n, el in enumerate(every) if id(el) not in inner]
