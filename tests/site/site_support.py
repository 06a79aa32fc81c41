"""What the site tests share: parsing generated pages, and the browser's settings."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import tinyhtml5

from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics

from support import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (re-exported)
SOURCE_DATE_EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
NS = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def parse(path: Path) -> Element:
    """A page as the HTML5 parsing algorithm reads it (tinyhtml5, html5lib's successor)."""
    return tinyhtml5.parse(path.read_bytes())


def h(tag: str) -> str:
    return NS + tag


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_class(root: Element, tag: str, cls: str) -> list[Element]:
    return [e for e in root.iter(h(tag)) if cls in (e.get("class") or "").split()]


def world_of(root: Path):
    diags = Diagnostics()
    world = check(root, diags)
    assert world is not None and not diags.has_errors(), [str(d) for d in diags.items]
    return world


def resolve(page: str, url: str) -> tuple[str | None, str]:
    """(build path, fragment) a link in `page` (a build path) points at; None for external."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return None, ""
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target.endswith("/") or target == "":
        target += "index.html"
    return target, unquote(parts.fragment)
