"""/Lang on the PDF structure elements of text in another language than the book's.

PDF/UA-1 (ISO 14289-1, 7.2) asks that every change of natural language be declared,
so that a screen reader switches voice: a base-language name left untranslated in an
Arabic book, the world's English title on its cover. The book's HTML says so with
`lang` on those elements, and WeasyPrint 70 writes the document's language in the
catalog but no /Lang on any structure element, so such text was read aloud in the
book's language. WeasyPrint builds the structure tree in one private recursive
function (weasyprint.pdf.tags._build_box_tree, called by name for each box's
children); while a book is written it is wrapped, and each element made for a box
whose language differs from its parent's gets /Lang. Text inside inherits it, as
PDF structure does; a book with no such element keeps its bytes.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

_state = threading.local()


@contextmanager
def languages_tagged() -> Iterator[None]:
    """While the block writes a PDF, structure elements of text in another language
    carry /Lang. Builds write one book at a time in a process; the wrapper is put back
    when the block ends, so nothing outside a book's writing sees it."""
    from weasyprint.pdf import tags
    with replaced([(tags, "_build_box_tree", _wrapped(tags._build_box_tree))]):
        yield


def _wrapped(original: Any) -> Any:
    import pydyf

    def build(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
        stack = getattr(_state, "langs", None)
        if stack is None or parent.get("S") == "/Document":
            # a page's tree starts from the catalog's language (the root element's)
            catalog = pdf.catalog.get("Lang")
            stack = _state.langs = [getattr(catalog, "string", None) or None]
        style = getattr(box, "style", None)
        lang = (style["lang"] if style is not None else None) or stack[-1]
        changed = lang is not None and stack[-1] is not None and lang.lower() != stack[-1].lower()
        stack.append(lang)
        try:
            # the parent consumes a child's elements before it goes on, so the stack
            # holds exactly this box's ancestors while its elements are made
            for element in original(box, parent, pdf, *rest):
                if changed and "Lang" not in element:
                    element["Lang"] = pydyf.String(lang)
                yield element
        finally:
            stack.pop()
    return build
