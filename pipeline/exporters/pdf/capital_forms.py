"""`text-transform` in a book never makes a letter no font prints.

WeasyPrint's `uppercase` and `capitalize` are Python's case mappings, which turn
Georgian's Mkhedruli into Mtavruli capitals most fonts lack (books/capitals.py): a
Georgian name in a label printed as empty boxes, said at foundry.toml with no line
(no file holds a Mtavruli letter) and by `check` not at all. While a book is written,
WeasyPrint's `transform` (as formatting_structure.boxes calls it for every text box)
leaves Mkhedruli as written, as Chromium does; and any other character whose
transformed form holds one no font prints (a theme's `full-width` on a machine with
no CJK font, a capital newer than the fonts) is left as written too: what prints
is the writer's letter, which check asked the fonts about, not a box no line holds.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ..books.capitals import capitalized, keeping
from .weasy_patches import replaced


@contextmanager
def transforms_printable(unprintable: Callable[[set[str]], set[str]]) -> Iterator[None]:
    """While the block writes a PDF, `text-transform` leaves Mkhedruli letters, and each
    character whose transformed form holds one `unprintable` (coverage.asker for the
    print theme) says no font has, as written. The function is put back when the
    block ends."""
    from weasyprint.formatting_structure import boxes
    with replaced([(boxes, "transform", _keeping(boxes.transform, unprintable))]):
        yield


def _keeping(original: Any, unprintable: Callable[[set[str]], set[str]]) -> Any:
    def transform(function: str, text: str, lang_code: str) -> str:
        def one(part: str) -> str:
            return original(function, part, lang_code)

        def made(kept: frozenset[str] = frozenset()) -> str:
            if function == "capitalize":
                return capitalized(text, one, kept)
            # only `uppercase` makes Mkhedruli Mtavruli: `lowercase` cut at a Georgian word
            # read a Greek capital sigma before it as a word's end ('ΟΣნ' is 'οσნ', not 'ος')
            return keeping(text, one, kept, mkhedruli=function == "uppercase")
        out = made()
        new = {char for char in out if not char.isascii()} - set(text)
        lacking = unprintable(new) if new else set()
        if not lacking:
            return out
        # a character whose own transformed form holds one no font has stays as written
        return made(frozenset(char for char in set(text) if not lacking.isdisjoint(one(char))))
    return transform
