"""A print stylesheet's math WeasyPrint fails on is a value ignored, not a crash.

WeasyPrint 70 works out `calc()`, `min()`, `mod()`, `exp()`, `log()`… in one function
(weasyprint.css.resolve_math), while it validates a declaration and again while it
lays out a box, and some values a stylesheet may hold make it raise where it means to
refuse them: `calc(1px +)` an AssertionError, `mod(1px, 0px)` a ZeroDivisionError,
`exp(1000)` an OverflowError, `log(0)` a ValueError, `sqrt(-1)` a TypeError. A
project's print theme (a stranger's pull request may write it) then stopped every
book with 'internal error'. While a book is written the function is wrapped: a value
it fails on is one it cannot work out (None), which WeasyPrint's validator refuses
with its own warning ("Ignored `width: calc(1px +)` at 8:12, invalid value"), said at
the stylesheet's line (css_origin.py). A value laid out only with its box's sizes
(a percentage) that fails then is taken as zero, so the layout goes on and the
failure is said once. And a custom property whose math does not work out
(`--gap: calc(1px + 1s)`) read by `var(--gap)` made WeasyPrint look up an initial
value custom properties do not have (KeyError '__gap'): it has none, as the
specification says (the guaranteed-invalid value), so `var()` takes its fallback.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

# What resolve_math raises on a value it cannot work out (its own PercentageInMath and
# RelativeLengthInMath are ValueErrors WeasyPrint catches: they pass through).
FAILURES = (AssertionError, ArithmeticError, ValueError, TypeError, IndexError, KeyError)
# resolve_math is imported by name into these modules (the first is its own, whose
# recursive calls and tokens.py's `from . import resolve_math` read it there).
_USERS = ("weasyprint.css", "weasyprint.layout.percent", "weasyprint.layout.preferred")


@contextmanager
def math_guarded() -> Iterator[None]:
    """While the block writes a PDF, math WeasyPrint fails on is a value it cannot
    work out. Builds write one book at a time in a process; the function is put back
    when the block ends."""
    import importlib
    modules = [importlib.import_module(name) for name in _USERS]
    from weasyprint.css import PercentageInMath, RelativeLengthInMath
    css = modules[0]
    guarded = _guarded(css.resolve_math, (PercentageInMath, RelativeLengthInMath))
    with replaced([*((module, "resolve_math", guarded) for module in modules),
                   (css, "INITIAL_VALUES", _Initial(css.INITIAL_VALUES))]):
        yield


class _Initial(dict):
    """WeasyPrint's initial values, and none (None) for a custom property."""

    def __missing__(self, key: str) -> Any:
        if key[:2] == "__":
            return None
        raise KeyError(key)


def _guarded(original: Any, weasyprints_own: tuple[type, ...]) -> Any:
    def resolve_math(token, computed=None, property_name=None, refer_to=None):
        try:
            return original(token, computed, property_name, refer_to)
        except weasyprints_own:
            raise
        except FAILURES:
            if refer_to is None:
                return None      # validating: the declaration is refused, with WeasyPrint's warning
            import tinycss2
            # laying out (a percentage of the box): said here, as the validator would, and zero
            logging.getLogger("weasyprint").warning(
                "Ignored `%s` at %d:%d, invalid value.", tinycss2.serialize([token]),
                getattr(token, "source_line", 0), getattr(token, "source_column", 0))
            return tinycss2.parse_one_component_value("0px")
    return resolve_math
