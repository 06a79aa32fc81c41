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

import posixpath
from xml.etree import ElementTree

MAX_SHAPES = 100_000       # elements one SVG may draw; a rich ornament has a few thousand
_ENDLESS = MAX_SHAPES + 1  # a count past the limit: a reference back to itself, or too deep to count
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def costly_svgs(files: dict[str, bytes], parsed: dict[str, ElementTree.Element] | None = None) -> list[str]:
    """The SVGs of `files` (path inside print/ → bytes) and of `parsed` (name → an
    `<svg>` element already parsed, as a template writes it: embedded.py) that draw
    more than MAX_SHAPES elements, or lead back to themselves. A file that is not XML
    is left to WeasyPrint, which reports it. Every XML file counts, whatever its name:
    WeasyPrint draws as an SVG any image Pillow cannot read (its last try), so
    `ornament.xml` or `.png` holding 10^9 rectangles passed check as not an SVG and
    the book ran out of time."""
    trees = dict(parsed or {})
    for rel, data in files.items():
        try:
            trees[rel] = ElementTree.fromstring(data)
        except (ElementTree.ParseError, ValueError, RecursionError):
            continue
    counter = _Counter(trees)
    return [rel for rel in sorted(trees) if counter.file(rel) > MAX_SHAPES]


class _Counter:
    def __init__(self, trees: dict[str, ElementTree.Element]):
        self.trees = trees
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
            address, _, fragment = href.partition("#")
            if not address and tag == "use":
                target = ids.get(fragment)
                if target is not None:
                    total += self._element(rel, target, ids, memo, path)
            elif address and "://" not in address and not address.startswith("data:"):
                other = posixpath.normpath(posixpath.join(posixpath.dirname(rel), address))
                if other in self.trees:
                    total += self.file(other)
        path.discard(key)
        memo[key] = min(total, _ENDLESS)
        return memo[key]
