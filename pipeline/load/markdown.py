"""The one Markdown parser every stage uses.

`js-default` keeps raw HTML off (markdown-it's CommonMark preset lets `<script>`
through); the attrs plugin reads `{if="..." do="..."}` after a choice's link.
Rendered HTML is still sanitised by the exporters (nh3): this is one layer of two.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

import nh3

from ..diagnostics import Diagnostics, Span

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
_rendered: dict[str, str] = {}
_new: dict[str, str] = {}


def render_prose(text: str) -> str:
    """Markdown prose (a hero's background, a quest summary) → sanitised HTML."""
    key = prose_key(text)
    html = _rendered.get(key)
    if html is None:
        html = sanitize(markdown().render(text))
        _rendered[key] = _new[key] = html
    return html


def prose_key(text: str) -> str:
    from .. import __version__  # a new release may render differently
    return hashlib.sha256(f"{__version__}\0{text}".encode()).hexdigest()


def remember_prose(rendered: dict[str, str]) -> None:
    _rendered.update(rendered)


def take_new_prose() -> dict[str, str]:
    """What this process rendered since the last call (a worker sends it back)."""
    new = dict(_new)
    _new.clear()
    return new


def sanitize(html: str) -> str:
    return nh3.clean(html, url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer")


# --- size budgets --------------------------------------------------------------------
# markdown-it makes several tokens per table cell, whatever the cell holds: a 2 MB story
# holding a 5,000 × 200 table became 4 million tokens (35 s and 1.9 GiB for `check`).
# Tables past these bounds are refused before parsing (HF0142), found by a scan of the
# lines that costs a fraction of a second for the largest file a project may hold.
MAX_TABLE_CELLS = 20_000
# markdown-it-py spends ~0.1 ms on each block-starting line (a list item, a heading, a
# one-line paragraph): 2 MB of `- a` lines took 50 s and 1.4 GiB. A long story has a
# few thousand lines; past this many non-blank lines a Markdown file is refused.
MAX_MARKDOWN_LINES = 50_000
MAX_TABLE_COLUMNS = 1_000
_DELIMITER_CHARS = frozenset("|-: \t")


@dataclass(frozen=True)
class LargeTable:
    """A GFM table past the budget: `line` is its header row (0-based in the text),
    `end` the line after its last row; `rows` counts the header too."""

    line: int
    end: int
    columns: int
    rows: int


def large_tables(text: str) -> list[LargeTable]:
    """Tables in Markdown `text` with more than MAX_TABLE_COLUMNS columns or
    MAX_TABLE_CELLS cells, as markdown-it would see them: a row with a `|` followed by a
    delimiter row (`|---|:-:|`), then every line up to a blank one (each line is a row,
    padded or cut to the header's columns). Fenced code is skipped."""
    lines = text.split("\n")
    found: list[LargeTable] = []
    fence = ""
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        marker = stripped[:3]
        if marker in ("```", "~~~") and len(lines[i]) - len(lines[i].lstrip(" ")) < 4:
            run = len(stripped) - len(stripped.lstrip(marker[0]))
            if not fence:
                fence = marker[0] * run
            elif stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip():
                fence = ""
        elif not fence and i > 0 and "|" in lines[i - 1] and "-" in stripped and set(stripped) <= _DELIMITER_CHARS:
            columns = len(stripped.strip("|").split("|"))
            end = i + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            rows = end - i   # the header and every row after the delimiter
            if columns > MAX_TABLE_COLUMNS or columns * rows > MAX_TABLE_CELLS:
                found.append(LargeTable(i - 1, end, columns, rows))
            i = end
            continue
        i += 1
    return found


def fits_budget(text: str, path: str, first_line: int, diags: Diagnostics) -> bool:
    """False, with HF0143, when Markdown `text` has more than MAX_MARKDOWN_LINES
    non-blank lines (then it is not parsed at all)."""
    lines = sum(1 for line in text.split("\n") if line.strip())
    if lines <= MAX_MARKDOWN_LINES:
        return True
    diags.add("HF0143", f"the Markdown has {lines:,} non-blank lines; the limit is {MAX_MARKDOWN_LINES:,}",
              Span(path, first_line, 1))
    return False


def without_large_tables(text: str, path: str, first_line: int, diags: Diagnostics) -> str:
    """`text` with each table past the budget blanked out (line numbers kept, so
    every other diagnostic still points at the right line), and HF0142 for each.
    `first_line`: the 1-based file line of the text's first line."""
    tables = large_tables(text)
    if not tables:
        return text
    lines = text.split("\n")
    for table in tables:
        diags.add("HF0142", f"a table of {table.rows:,} rows × {table.columns:,} columns "
                  f"({table.rows * table.columns:,} cells); the limit is {MAX_TABLE_CELLS:,} cells "
                  f"and {MAX_TABLE_COLUMNS:,} columns", Span(path, first_line + table.line, 1))
        lines[table.line:table.end] = [""] * (table.end - table.line)
    return "\n".join(lines)
