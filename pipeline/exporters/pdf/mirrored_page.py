"""The print theme's `mirrored` page weighs nothing against a project's page rules.

A right-to-left book's body is on the shipped theme's named page `mirrored`
(compendium.css and gamebook.css swap its running heads there): an @page rule
cannot ask for the root's `dir`, a named page can. But a page's name weighs more than
any side (css-page-3: a name outweighs `:first`, `:blank`, `:left` and `:right`), so a
project theme's own heads in its base.css (`@page :left { @top-left { content: … } }`,
which outweigh the shipped `@page` and print in a left-to-right compendium) lost every
margin box the shipped `@page mirrored` names: an Arabic book of that project printed
the shipped heads, its own nowhere. The name is the shipped theme's way to ask for the
direction, not a choice of the book's to outweigh a side, so it counts as no name
(like the `:where()` of the rule that names the page): the shipped mirror still beats
the shipped `@page` heads it follows (same weight, later), a project's side or
`:first` beats the mirror as it beats those heads, and a project's own page names
(`body { page: plain }`) are left alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

MIRRORED = "mirrored"   # the page print/css/compendium.css and gamebook.css name for a dir="rtl" body


@contextmanager
def mirrored_page_unweighted() -> Iterator[None]:
    """While the block writes a PDF, a page selector naming `mirrored` has the weight
    of the same selector with no name. The function is put back when the block ends."""
    from weasyprint import css
    with replaced([(css, "parse_page_selectors", _unweighted(css.parse_page_selectors))]):
        yield


def _unweighted(original: Any) -> Any:
    def parse_page_selectors(rule):
        selectors = original(rule)
        for selector in selectors or ():
            if selector.get("name") == MIRRORED:
                selector["specificity"] = [0, *selector["specificity"][1:]]
        return selectors
    return parse_page_selectors
