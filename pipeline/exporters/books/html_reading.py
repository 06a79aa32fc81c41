"""A print template read as HTML (tinyhtml5, the parser WeasyPrint reads a book's page
with), within a CPU budget proportional to its size.

tinyhtml5 is pure Python and, on some texts a stranger's pull request can write, far
from linear: one tag of 100,000 attributes (`<style ` x 100,000, 700 KB) is a slice of
the attribute list per attribute (ran `foundry check` past 40 CPU-s), 4,000 distinct
`<b id=…>` then 4,000 `<p>` rebuild the list of open formatting elements at each
paragraph (~10 CPU-s for 70 KB, cubic), `<ul>` or `<div>` nested thousands deep
scan the stack of open elements at each tag. These are the parser's own (HTML5's
tree-building rules), so the budget bounds the kind, not one of its cases: an honest
template is read at 0.4-2 MB/s (the shipped ones, repeated to 1 MB), and one read
slower than SECONDS_PER_CHAR (a tenth of that speed, plus BASE_SECONDS) is one the
books' own reading would stop at too: it is not part of the theme (HF0116 at the
file, judged.py). Each text is read once per process (`_READ`): the judgement reads a
template for its `<svg>`s, its `data:` attributes and its addresses.
"""

from __future__ import annotations

import io
from xml.etree import ElementTree

from ... import budget

BASE_SECONDS = 1.0
SECONDS_PER_CHAR = 10e-6

_OVER = object()   # a text read past its budget
_READ: dict[str, object] = {}   # text → its tree, None (tinyhtml5 failed), or _OVER
# What _READ may hold, in characters of the texts read (serve's edits make more; the
# oldest all go). Bounded by characters, not by count: the shipped theme alone is 23
# texts a check (its templates, and each as every page extending or including it
# folds its constants), ~47 KB, and a bound of 16 texts emptied the memo mid-check, so
# each check read 32 and a warm run read them all again. 16 MiB is what 16 of the
# largest templates a theme may have (1 MiB, theme.py) held before.
_READ_CHARS = 16 * 1024 * 1024


def budget_for(text: str) -> float:
    """CPU seconds reading `text` may take."""
    return BASE_SECONDS + SECONDS_PER_CHAR * len(text)


def read_html(text: str) -> ElementTree.Element | None:
    """`text` parsed by tinyhtml5; None when it failed or went past its budget."""
    found = _read(text)
    return None if found is _OVER else found   # type: ignore[return-value]


def too_slow(text: str) -> bool:
    """Whether reading `text` as HTML goes past its budget (`budget_for`)."""
    return _read(text) is _OVER


def _read(text: str) -> object:
    if text not in _READ:
        import tinyhtml5

        if sum(map(len, _READ)) + len(text) > _READ_CHARS:
            _READ.clear()
        try:
            with budget.time_limit(budget_for(text)):
                # as a stream, as WeasyPrint hands it a page: given a str under 200
                # characters that names a file, tinyhtml5 reads that file instead (a print
                # template holding `/proc/self/environ` or a path out of the project was
                # opened and read by check, the addresses in its tags said as HF0704)
                found: object = tinyhtml5.parse(io.StringIO(text))
        except budget.OutOfTime:
            found = _OVER
        except Exception:  # tinyhtml5 parses any text as HTML does; a failure leaves nothing read
            found = None
        _READ[text] = found
    return _READ[text]
