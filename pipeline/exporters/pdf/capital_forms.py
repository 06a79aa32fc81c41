"""`text-transform` in a book as a browser does it: Georgian keeps its letters.

WeasyPrint's `uppercase` and `capitalize` are Python's case mappings, which turn
Georgian's Mkhedruli into Mtavruli capitals most fonts lack (books/capitals.py): a
Georgian name in a label printed as empty boxes, said at foundry.toml with no line.
While a book is written, WeasyPrint's `transform` (as formatting_structure.boxes
calls it for every text box) leaves Mkhedruli as written, as Chromium does.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..books.capitals import capitalized, upper
from .weasy_patches import replaced


@contextmanager
def georgian_kept() -> Iterator[None]:
    """While the block writes a PDF, `text-transform: uppercase` and `capitalize` leave
    Mkhedruli letters as written. The function is put back when the block ends."""
    from weasyprint.formatting_structure import boxes
    with replaced([(boxes, "transform", _keeping(boxes.transform))]):
        yield


def _keeping(original: Any) -> Any:
    def transform(function: str, text: str, lang_code: str) -> str:
        if function == "uppercase":
            return upper(text, lambda part: original(function, part, lang_code))
        if function == "capitalize":
            return capitalized(text, lambda part: original(function, part, lang_code))
        return original(function, text, lang_code)
    return transform
