"""Which stylesheet WeasyPrint was reading when it said something about CSS.

WeasyPrint's message about a stylesheet gives the line and column in it ("Ignored
`colr: red` at 8:12, unknown property.") but not the file, so a slip in a project's
own print stylesheet (themes/<name>/print/css/sheet.css) was said at the theme's css/
folder, which a diagnostic names as the shipped theme's. WeasyPrint reads every
stylesheet (a theme file, one it @imports, a template's <style>) in one function,
weasyprint.preprocess_stylesheet, called by name from CSS() with the sheet's address;
while a book is written it is wrapped, and each message said meanwhile carries the
address of the sheet being read (`Said.read_in`). A message said while no sheet is
read (a value worked out for a box, a style="" attribute) carries None.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

_state = threading.local()
# Where in its sheet WeasyPrint says a slip is ("… at 8:12, unknown property.",
# "Parse error at 3:1: …", "Invalid math function at 4:9: …").
POSITION = re.compile(r"\bat (\d+):(\d+)\b")


class Said(str):
    """A WeasyPrint message; `read_in`: the address of the stylesheet it was reading."""

    read_in: str | None = None


def said(message: str) -> Said:
    """`message` as said now: with the address of the stylesheet being read."""
    text = Said(message)
    stack = getattr(_state, "reading", None)
    text.read_in = stack[-1] if stack else None
    return text


@contextmanager
def stylesheets_tracked() -> Iterator[None]:
    """While the block writes a PDF, the stylesheet WeasyPrint reads is known to
    `said`. Builds write one book at a time in a process; the function is put back
    when the block ends."""
    import weasyprint
    with replaced([(weasyprint, "preprocess_stylesheet", _tracked(weasyprint.preprocess_stylesheet))]):
        yield


def _tracked(original: Any) -> Any:
    def preprocess_stylesheet(device_media_type, base_url, *rest, **named):
        stack = _state.__dict__.setdefault("reading", [])
        stack.append(base_url)   # an @import is read inside its importer: a stack
        try:
            return original(device_media_type, base_url, *rest, **named)
        finally:
            stack.pop()
    return preprocess_stylesheet
