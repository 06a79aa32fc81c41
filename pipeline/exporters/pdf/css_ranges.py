"""A print stylesheet's backward `unicode-range` is a descriptor ignored, not a crash.

WeasyPrint 70 takes any `U+…` token for an @font-face rule's `unicode-range` and
writes each range as a fontconfig <range>; one whose end comes before its start
(`U+FF-0`) is a configuration fontconfig refuses ("invalid range"), after which the
render process died of a segmentation fault: every PDF of the build was HF0710, and
nothing said which line of the theme (a stranger's pull request may write it) did it.
CSS Syntax calls such a range invalid, so the descriptor is dropped: while a book is
written and while check reads the project's stylesheets (css_slips.py), the validator
refuses it, with WeasyPrint's own warning at the stylesheet's line ("Ignored
`unicode-range: U+FF-0` at 9:40, invalid value.", HF0703), and the face covers its
whole font, as coverage.py counts it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .weasy_patches import replaced


def backward(token) -> bool:
    """Whether a `unicode-range` token's range ends before it starts (CSS: invalid)."""
    return token.type == "unicode-range" and token.end < token.start


@contextmanager
def ranges_guarded() -> Iterator[None]:
    """While the block runs, an @font-face `unicode-range` holding a backward range is
    invalid (WeasyPrint ignores the declaration and says so); put back when it ends."""
    from weasyprint.css.validation import descriptors
    table = {rule: dict(names) for rule, names in descriptors.DESCRIPTORS.items()}
    original = table["font-face"]["unicode-range"]

    def unicode_range(tokens, *base_url):
        if any(backward(token) for token in tokens):
            return None
        return original(tokens, *base_url)

    unicode_range.wants_base_url = original.wants_base_url
    table["font-face"]["unicode-range"] = unicode_range
    with replaced([(descriptors, "DESCRIPTORS", table)]):
        yield
