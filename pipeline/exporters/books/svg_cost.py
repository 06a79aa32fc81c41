"""How much a print theme's SVG makes WeasyPrint draw, judged before any book is laid out.

An SVG is small to write and can be endless to draw: ten `<use>`s of a group of ten
`<use>`s, nine levels deep, is 10^9 rectangles in 1 KB, and an `<image>` that shows its
own file (or a file that shows it back) never ends — WeasyPrint draws each image
under `except BaseException`, so it caught its own RecursionError at every level and
drew on for ten minutes, 2 GB, until the process died (signal 11). Each SVG of the
theme is counted here as WeasyPrint would draw it: every element once, a `<use>` as
its target again, an `<image>` of another theme SVG as that file's count. Past
MAX_SHAPES, or leading back to itself, the file is not part of the theme (HF0116 at it).
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urljoin
from xml.etree import ElementTree

from .book_url import BASE_URL, THEME, file_address
from .embedded import decode_data_uri

MAX_SHAPES = 100_000       # elements one SVG may draw; a rich ornament has a few thousand
_ENDLESS = MAX_SHAPES + 1  # a count past the limit: a reference back to itself, or too deep to count
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_THEME_URL = BASE_URL + THEME


def costly_svgs(files: dict[str, bytes], parsed: dict[str, ElementTree.Element] | None = None,
                urls: dict[str, str] | None = None) -> list[str]:
    """The SVGs of `files` (path inside print/ → bytes) and of `parsed` (name → an
    `<svg>` element already parsed, as a template writes it: embedded.py) that draw
    more than MAX_SHAPES elements, or lead back to themselves. A file that is not XML
    is left to WeasyPrint, which reports it. Every XML file counts, whatever its name:
    WeasyPrint draws as an SVG any image Pillow cannot read (its last try), so
    `ornament.xml` or `.png` holding 10^9 rectangles passed check as not an SVG and
    the book ran out of time. References are resolved as WeasyPrint resolves them,
    against the URL each is drawn under: a file's own (`THEME` + its path), or
    `urls[name]` (a template's `<svg>`: the page's; a `data:` image: "", where a
    relative reference leads nowhere), so an absolute `https://foundry-book.invalid/
    theme/…`, a template's `theme/img/…` or a `data:` SVG an `<image>` shows is
    counted as what it draws."""
    trees = {**(parsed or {}), **parsed_svgs(files)}
    counter = _Counter(trees, urls or {})
    return [rel for rel in sorted(trees) if counter.file(rel) > MAX_SHAPES]


def parsed_svgs(files: dict[str, bytes]) -> dict[str, ElementTree.Element]:
    """The files of `files` (path inside print/ → bytes) that parse as XML, parsed:
    what an SVG's references can reach."""
    trees = {}
    for rel, data in files.items():
        try:
            trees[rel] = ElementTree.fromstring(data)
        except (ElementTree.ParseError, ValueError, RecursionError):
            continue
    return trees


def costly_data_svg(data: bytes, theme_trees: dict[str, ElementTree.Element]) -> bool:
    """Whether `data`, a `data:` image (no URL of its own: a relative reference leads
    nowhere), is an SVG drawing more than MAX_SHAPES elements or leading back to
    itself, its references to the theme's files (`theme_trees`: parsed_svgs) counted as
    what they draw. Not XML: False (left to WeasyPrint, as in costly_svgs)."""
    try:
        tree = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError, RecursionError):
        return False
    name = "\0data"   # no theme file has this name: no reference reaches it
    return _Counter({**theme_trees, name: tree}, {name: ""}).file(name) > MAX_SHAPES


class _Counter:
    def __init__(self, trees: dict[str, ElementTree.Element], urls: dict[str, str]):
        self.trees = trees
        self.urls = urls                      # name → the URL its references resolve against
        self.counts: dict[str, int] = {}
        self.open: set[str] = set()           # files being counted: an <image> of one leads back

    def file(self, rel: str) -> int:
        if rel in self.counts:
            return self.counts[rel]
        if rel in self.open:
            return _ENDLESS
        self.open.add(rel)
        root = self.trees[rel]
        ids = {el.get("id"): el for el in root.iter() if el.get("id")}
        try:
            shapes = self._element(rel, root, ids, {}, set())
        except RecursionError:   # nested past Python's stack: WeasyPrint recurses as deep
            shapes = _ENDLESS
        self.open.discard(rel)
        self.counts[rel] = shapes
        return shapes

    def _element(self, rel: str, el, ids: dict, memo: dict[int, int], path: set[int]) -> int:
        key = id(el)
        if key in memo:
            return memo[key]
        if key in path:   # a <use> of an element that holds it
            return _ENDLESS
        path.add(key)
        total = 1
        for child in el:
            total += self._element(rel, child, ids, memo, path)
            if total > MAX_SHAPES:
                break
        href = el.get("href") or el.get(_XLINK_HREF)
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if href and total <= MAX_SHAPES and tag in ("use", "image"):
            total += self._reference(rel, tag, href.strip(), el.get(_XML_BASE) if tag == "image" else None,
                                     ids, memo, path)
        path.discard(key)
        memo[key] = min(total, _ENDLESS)
        return memo[key]

    def _reference(self, rel: str, tag: str, href: str, base: str | None, ids: dict, memo: dict[int, int],
                   path: set[int]) -> int:
        """What a `<use>` or `<image>` of `href` in `rel` draws, resolved as WeasyPrint
        resolves it (svg/defs.py, svg/images.py: against the image's `xml:base`, else
        the URL the SVG is drawn under)."""
        own = self.urls.get(rel, _THEME_URL + rel)
        target = urljoin(base or own, href) if (base or own) else href
        address, _, fragment = target.partition("#")
        if tag == "use" and (not address or address == own.partition("#")[0]):
            target_el = ids.get(unquote(fragment))
            return self._element(rel, target_el, ids, memo, path) if target_el is not None else 0
        if address[:5].lower() == "data:":
            decoded = decode_data_uri(target)
            if decoded is None:
                return 0
            name = "data:sha256," + hashlib.sha256(decoded[0]).hexdigest()
            if name not in self.trees:
                try:
                    self.trees[name] = ElementTree.fromstring(decoded[0])
                except (ElementTree.ParseError, ValueError, RecursionError):
                    return 0
                self.urls[name] = ""
            return self.file(name)
        if address.startswith(_THEME_URL):
            other = unquote(file_address(address)[len(_THEME_URL):])   # `b.svg?v=2` draws b.svg, as the fetcher serves it
            return self.file(other) if other in self.trees else 0
        return 0
