"""Every internal link of a generated page must land: on a page or file the build
writes, and on an element id when it names one. Checked by parsing the page as it is
written, so a link from a theme template, from content prose or from a generated
SVG is checked the same way. A broken one is HF0701 naming the page."""

from __future__ import annotations

import posixpath
import re
import threading
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote, urlsplit

# lxml (~14 CPU-ms to import) is imported by the functions that parse a page: `foundry
# check` plans the site and makes its LinkChecker, but parses no page.
if TYPE_CHECKING:
    from lxml import etree

from ...diagnostics import Diagnostics, Span, clip
from . import urls

# (tag, attribute) pairs that hold one URL; srcset holds several.
URL_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
             ("source", "src"), ("image", "href"), ("use", "href"), ("form", "action"), ("iframe", "src"),
             ("video", "src"), ("audio", "src"), ("video", "poster")}
SRCSET_TAGS = {"img", "source"}
RAW_TEXT = {"script", "style"}   # their text is not the page's text
# Every attribute name `_element` reads: an element with none of them adds nothing.
_LINKING = frozenset({name for _, name in URL_ATTRS} | {"id", "name", "srcset", "xlink:href"})


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, int]] = field(default_factory=list)   # (url, line)


def collect(html: str, lines: bool = True, encoded: bytes | None = None) -> PageLinks:
    """Ids and URLs of a page. libxml2's HTML parser (lxml): four times the speed of
    html.parser, which matters at thousands of pages, and the same findings.
    `lines=False`: every URL's line is 0, and no tree is built (the parser hands each
    start tag to `_Collector`): a quarter less time, for pages whose links all land.
    `encoded`: `html` as UTF-8, when the caller has it (the page it writes)."""
    if lines or not html.strip():
        return collect_holes(html)[0]
    from lxml import etree
    collector = _collector()
    collector.found = found = PageLinks()
    try:
        etree.fromstring(html.encode("utf-8") if encoded is None else encoded, collector.parser)
    finally:
        collector.found = PageLinks()   # nothing of this page is kept for the next
    return found


def collect_holes(html: str, hole: re.Pattern | None = None,
                  whole: re.Pattern | None = None) -> tuple[PageLinks, int]:
    """collect() with lines, and how many matches of `hole` stand in the page's text (an
    element's text or tail, outside script and style): where a card's placeholder may
    stand (splice.py); with `whole`, also how many script or style elements have one
    match of it as their whole text, whitespace aside (where the text a placeholder
    stands for is a script's data, splice.py `Placeholders.cut`)."""
    from lxml import etree
    found, holes = PageLinks(), 0
    if not html.strip():
        return found, holes
    root = etree.fromstring(html.encode("utf-8"), _parser())
    if root is None:
        return found, holes
    for element in root.iter():
        if not isinstance(element.tag, str):
            if hole is not None and element.tail:
                holes += len(hole.findall(element.tail))
            continue                      # comments, processing instructions
        if hole is not None:
            if element.text:
                if element.tag.rsplit("}", 1)[-1].lower() not in RAW_TEXT:
                    holes += len(hole.findall(element.text))
                elif whole is not None and whole.fullmatch(element.text.strip()):
                    holes += 1
            if element.tail:
                holes += len(hole.findall(element.tail))
        _element(found, element.tag, element.attrib, element.sourceline or 0)
    return found, holes


def _element(found: PageLinks, tag: str, attrib, line: int) -> None:
    """What one element adds to a page's ids and URLs."""
    tag = tag.rsplit("}", 1)[-1].lower()
    for name, value in attrib.items():
        if name == "id" or (name == "name" and tag == "a"):
            found.ids.add(value)
        elif (tag, name) in URL_ATTRS or (name == "xlink:href" and tag in ("image", "use", "a")):
            found.urls.append((value.strip(), line))
        elif name == "srcset" and tag in SRCSET_TAGS:
            found.urls += [(c.split()[0], line) for c in value.split(",") if c.strip()]


class _Collector:
    """An lxml parser target: each element's ids and URLs as its start tag is read
    (comments and processing instructions are not elements: no method for them), into
    `found`, which `collect` sets before each page. One per thread, with its parser
    (`_collector`): lxml looks at a target's methods (inspect.getfullargspec) each time
    a parser is made with it, which cost a drawn card (~420 bytes) more than its parse
    (60 -> 14 µs a card, 294 -> 233 µs a hero page; a clean build at 10,000 heroes
    checks ~50,000 cards and ~11,500 pages). A parser is used again for each document
    it is handed (lxml starts a new parse context every time), never by two threads."""

    def __init__(self):
        self.found = PageLinks()
        self.parser = _parser(self)

    def start(self, tag: str, attrib) -> None:
        # most elements carry only a class (or nothing): passed over without a look at
        # each attribute (~120 start tags a hero page, ~40 of them with an id or a URL)
        if attrib and not _LINKING.isdisjoint(attrib):
            _element(self.found, tag, attrib, 0)

    def close(self) -> PageLinks:
        return self.found


_LOCAL = threading.local()


def _collector() -> _Collector:
    """This thread's collector and parser, made on first use."""
    collector = getattr(_LOCAL, "collector", None)
    if collector is None:
        collector = _LOCAL.collector = _Collector()
    return collector


def _parser(target: _Collector | None = None) -> etree.HTMLParser:
    from lxml import etree
    return etree.HTMLParser(recover=True, no_network=True, remove_comments=True, default_doctype=False,
                            huge_tree=True, target=target)


# The links known to land, by the set of files they land in (`LinkChecker.all_land`),
# found by the set's id and kept while it lives (a plan's: `foundry serve` plans again
# at each save). Not a WeakKeyDictionary: its lookup compares two sets of 35,000 paths
# element by element (a weak reference's == is its referents'), which cost more than
# the whole link check.
_LANDS: dict[int, tuple[weakref.ref, dict[tuple[str, str, str], bool]]] = {}


def _lands_for(known: frozenset[str]) -> dict[tuple[str, str, str], bool]:
    """The remembered links of `known` (this very set), made on first use."""
    found = _LANDS.get(id(known))
    if found is not None and found[0]() is known:
        return found[1]
    key = id(known)

    def gone(ref: weakref.ref) -> None:
        if _LANDS.get(key, (None,))[0] is ref:
            del _LANDS[key]
    lands: dict[tuple[str, str, str], bool] = {}
    _LANDS[key] = (weakref.ref(known, gone), lands)
    return lands


@dataclass(frozen=True)
class LinkChecker:
    """`known`: every path (relative to build/) the build writes. `ids_of(path)`: the
    element ids of another generated page, for links with a #fragment into it."""

    known: frozenset[str]
    base_path: str                           # the path part of project.base_url, e.g. "/" or "/coast/"
    ids_of: Callable[[str], set[str] | None]

    def check(self, page: str, html: str, diags: Diagnostics, encoded: bytes | None = None) -> PageLinks:
        """The links of `page` (its `html`; `encoded`: as UTF-8, when the caller has it)
        that do not land, each an HF0701 at its line; its ids and URLs."""
        found = collect(html, lines=False, encoded=encoded)
        if self.all_land(page, found.urls, found.ids):
            return found
        found = collect(html)   # a link that does not land is reported at its line
        for url, line in found.urls:
            problem = self.problem(page, url, found.ids)
            if problem:
                diags.add("HF0701", f"{page}, line {line}: link '{url[:120]}' {problem}", Span(f"build/{page}"),
                          hint="A theme template links with url(...); content links to pages the site has.")
        return found

    def all_land(self, page: str, found: list[tuple[str, int]], own_ids: set[str]) -> bool:
        """Whether every one of a page's (url, line) lands: `problem` is None for each.
        A link without a fragment to a file of the build, or an external one, lands
        from every page of its folder: remembered by (site, folder, url) for this
        `known` (~40 links a page, the same nav, stylesheets and cards on thousands of
        pages: each asked of `problem` was ~5 % of a clean build's render,
        docs/performance.md clean26). A link that may not land is asked of `problem`."""
        folder = posixpath.dirname(page)
        known, base = self.known, self.base_path
        lands = _lands_for(known)
        for url, _ in found:
            key = (base, folder, url)
            fine = lands.get(key)
            if fine is None:
                external, target, fragment = _landing(base, folder, url)
                fine = lands[key] = external or (bool(target) and not fragment and target in known)
            if not fine and self.problem(page, url, own_ids):
                return False
        return True

    def problem(self, page: str, url: str, own_ids: set[str]) -> str | None:
        external, target, fragment = _landing(self.base_path, posixpath.dirname(page), url)
        if external:
            return None                      # external: not ours to check (and never fetched)
        if target == "":
            target = page                    # `#id` or an empty href: this page
        if target is None:
            return "points outside the site"
        if target not in self.known:
            return f"points to {clip(target, 120)}, which the build does not write"   # (never a 1 MB href echoed)
        if not fragment:
            return None
        # the page's own ids as given, or (None: prose checked before the page is written,
        # `[back](extra.html#scene-b)` naming its own page by its file) as drawn
        ids = (own_ids if own_ids is not None else self.ids_of(page)) if target == page else self.ids_of(target)
        if ids is not None and unquote(fragment) not in ids:
            return f"names #{clip(fragment, 80)}, which {'this page' if target == page else target} does not have"
        return None

    def resolve(self, page: str, path: str) -> str | None:
        return _resolve(self.base_path, page, path)


@lru_cache(maxsize=8192)
def _landing(base_path: str, folder: str, url: str) -> tuple[bool, str | None, str]:
    """Where `url`, on a page in `folder` (relative to build/), lands: (external, the
    target relative to build/ — "" for the page itself, None outside the site —, its
    fragment). Remembered: a page's links (stylesheets, navigation, the footer) are the
    same on every page of its folder, and splitting and normalising each cost more than
    the lookups that follow. Pure function of its three strings."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return True, None, ""
    path = unquote(parts.path)
    return False, "" if not path else _resolve(base_path, posixpath.join(folder, "x"), path), parts.fragment


def _resolve(base_path: str, page: str, path: str) -> str | None:
    if not path:
        return page
    if path.startswith("/"):
        base = unquote(base_path)   # `path` arrives unquoted: compare like with like
        if not path.startswith(base):
            return None
        # A rooted link names a file from the web root, which is build/site/.
        joined = urls.SITE + "/" + path[len(base):]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    if joined.endswith("/") or joined == "":
        joined += "index.html"
    normal = posixpath.normpath(joined)
    if normal.startswith("../") or normal == "..":
        return None
    return normal
