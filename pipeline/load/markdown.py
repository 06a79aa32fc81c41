"""The one Markdown parser every stage uses.

`js-default` keeps raw HTML off (markdown-it's CommonMark preset lets `<script>`
through); the attrs plugin reads `{if="..." do="..."}` after a choice's link.
Rendered HTML is still sanitised by the exporters (nh3): this is one layer of two.
"""

from __future__ import annotations

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


def render_prose(text: str) -> str:
    """Markdown prose (a hero's background, a quest summary) → sanitised HTML."""
    return sanitize(markdown().render(text))


def sanitize(html: str) -> str:
    return nh3.clean(html, url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer")
