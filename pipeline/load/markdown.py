"""The one Markdown parser every stage uses.

`js-default` keeps raw HTML off (markdown-it's CommonMark preset lets `<script>`
through); the attrs plugin reads `{if="..." do="..."}` after a choice's link.
Rendered HTML is still sanitised by the exporters (nh3): this is one layer of two.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

import nh3

ALLOWED_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    md.use(attrs_plugin)
    md.validateLink = _safe_link
    return md


def _safe_link(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ALLOWED_SCHEMES or scheme == ""


# Rendered prose by a hash of its text. One hero's background shows on her page, her
# JSON, the heroes list, the bundle and her sheet, and stays the same from build to
# build: the builder fills this from the cache before rendering and saves what is new.
# A cached value (even one whose MAC verified) is sanitised again on first use and
# used only when sanitising leaves it unchanged, i.e. it is a value our own renderer
# could have made: a cache never puts markup into an output that nh3 would remove.
_rendered: dict[str, str] = {}
_cached: dict[str, str] = {}
_new: dict[str, str] = {}


def render_prose(text: str) -> str:
    """Markdown prose (a hero's background, a quest summary) → sanitised HTML."""
    key = prose_key(text)
    html = _rendered.get(key)
    if html is None:
        cached = _cached.pop(key, None)
        if cached is not None and sanitize(cached) == cached:
            html = _rendered[key] = cached
        else:
            html = sanitize(markdown().render(text))
            _rendered[key] = _new[key] = html
    return html


def prose_key(text: str) -> str:
    from .. import __version__  # a new release may render differently
    return hashlib.sha256(f"{__version__}\0{text}".encode()).hexdigest()


def remember_prose(rendered: dict[str, str]) -> None:
    """Prose rendered by earlier builds (from the cache), checked again when used."""
    _cached.update(rendered)


def take_new_prose() -> dict[str, str]:
    """What this process rendered since the last call (a worker sends it back)."""
    new = dict(_new)
    _new.clear()
    return new


def sanitize(html: str) -> str:
    return nh3.clean(html, url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer")
