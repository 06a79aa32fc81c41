"""How often a print theme's stylesheets make WeasyPrint read each other, judged
before any book is laid out.

WeasyPrint reads a stylesheet again at every `@import` of it and has no guard against
a cycle but Python's recursion limit: a stylesheet that imports itself is read about a
thousand times, and stylesheets that each import two others 2^depth times (a hero
sheet laid out until its render budget ran out, HF0710 naming no file, with check
clean). A book's fetcher refuses a file asked for more than MAX_FETCHES times
(exporters/pdf/fetcher.py); a stylesheet whose imports would ask for one that often is
HF0116 at check (books/theme.py), so what check passes, the build reads whole.
"""

from __future__ import annotations

import posixpath
import re

from ...load.delimited import blanked, pieces
from .book_url import file_address

MAX_FETCHES = 64   # times one book may read the same file; a book's own files are read once or twice
# Stylesheets one book may read each inside the @import of the one before: WeasyPrint
# follows each import within the reading of its importer, on Python's stack, and a chain
# of 2,000 (a.css imports b.css imports c.css…) stopped at the 234th ("Failed to load
# stylesheet … RecursionError", a warning, the rest of the chain's rules dropped) with
# check clean. The shipped theme imports one level deep.
MAX_IMPORT_DEPTH = 32

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# _COMMENT as a pair (load/delimited.py): the pattern read from each unclosed `/*` on to
# the end of the stylesheet, again from the next (quadratic in a theme file of 8 MiB)
_COMMENT_PAIR = [(re.compile(r"/\*"), re.compile(r"\*/"))]
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.I)


def costly_imports(files: dict[str, bytes]) -> list[str]:
    """The stylesheets of `files` (path inside print/ → bytes) whose `@import`s, read
    as WeasyPrint reads them, would read one file more than MAX_FETCHES times, or
    more than MAX_IMPORT_DEPTH imports deep. A file
    an `@import` names is a stylesheet whatever its name (WeasyPrint reads it as one):
    `a.css` importing `b.txt` importing `a.css` read on until the fetcher's limit, a
    book stopped (HF0704) with check clean, when only files named .css were followed."""
    imports = _import_graph(files, [rel for rel in files if rel.lower().endswith(".css")])
    return [rel for rel in sorted(imports) if _over(rel, imports)]


def read_with(files: dict[str, bytes], first: str) -> set[str]:
    """The stylesheet `first` (a path inside print/) and every file its `@import`s read,
    however deep, as WeasyPrint follows them: what a book linking `first` reads of
    `files` through it (empty when `first` is not among them)."""
    return set(_import_graph(files, [first])) if first in files else set()


def _import_graph(files: dict[str, bytes], waiting: list[str]) -> dict[str, list[str]]:
    """Each stylesheet reached from `waiting` (paths in `files`) → the files of `files`
    its `@import`s name, in order."""
    imports: dict[str, list[str]] = {}
    while waiting:
        rel = waiting.pop()
        if rel in imports:
            continue
        text = files[rel].decode("utf-8", "replace")
        text = blanked(text, [piece.span() for piece in pieces(text, _COMMENT_PAIR)], lambda part: "")   # _COMMENT.sub("", …)
        # `@import "b.css?v=2"` reads b.css (book_url.file_address), as the fetcher serves it
        targets = (posixpath.normpath(posixpath.join(posixpath.dirname(rel), file_address(m.group(1))))
                   for m in _IMPORT.finditer(text) if "://" not in m.group(1))
        imports[rel] = [t for t in targets if t in files]
        waiting += imports[rel]
    return imports


def _over(rel: str, imports: dict[str, list[str]]) -> bool:
    """Whether reading `rel` reads some file more than MAX_FETCHES times, or one more
    than MAX_IMPORT_DEPTH imports deep: each import followed as WeasyPrint follows it,
    stopping as soon as one file is past a limit (so this costs at most MAX_FETCHES
    reads of each file)."""
    reads: dict[str, int] = {}
    waiting = [(rel, 0)]
    while waiting:
        name, depth = waiting.pop()
        reads[name] = reads.get(name, 0) + 1
        if reads[name] > MAX_FETCHES or depth > MAX_IMPORT_DEPTH:
            return True
        waiting.extend((target, depth + 1) for target in imports.get(name, ()))
    return False
