"""A carriage return alone in a theme's file: a line end its reader sees and the rest do not.

Jinja (templates), tinycss2 and WeasyPrint (stylesheets) end a line at a CR alone, as at
a LF or a CR LF; git, grep, GitHub's diff and foundry's code frames (lines split at LF)
do not. In a template whose line 8 ended with a CR alone, `{{ tags[5] }}` on line 14
was said at line 15, the frame showing line 15's text: every place said below the CR
was one line off, with nothing saying why. Content files refuse such a CR where it is
(HF0131, load/hygiene.py; a file of nothing but CR line ends, load/files.py); a theme's
text files are said so too, at the CR, by its line and column as git counts them.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Span

_LONE_CR = re.compile(r"\r(?!\n)")

# what HF0131 tells of a CR alone wherever it is (content files too: load/files.py, hygiene.py)
HINT = "Save the file with LF (or CR LF) line endings: a CR alone is a line end only some tools see."


def as_git_stores(data: bytes) -> bytes:
    """A text file's `data` as git stores text: each CR LF as LF, a CR alone as it is. A
    Windows writer's checkout (core.autocrlf, an `eol=crlf` attribute) holds CR LF where
    the commit, `build --ref` and CI's checkout hold LF: what foundry publishes of a text
    file's bytes (the manifest's `content_hash`, an EPUB's stylesheet) is made from this,
    so a build of either checkout gives the same bytes; and a file foundry generates is
    judged by it (`schemas --check`, `codeowners --check`): up to date on either."""
    return data.replace(b"\r\n", b"\n")


def report_lone_cr(label: str, text: str, diags: Diagnostics, reader: str) -> bool:
    """HF0131 at the first CR alone in `text` (the file `label`), saying how many more
    there are; `reader` names what reads it ("Jinja"). True when there was one."""
    found = _LONE_CR.search(text)
    if found is None:
        return False
    at = found.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    more = sum(1 for _ in _LONE_CR.finditer(text, at + 1))
    diags.add("HF0131", f"a carriage return alone ends this line{f' (and {more:,} more in the file)' if more else ''}: "
                        f"{reader} counts it as a line end, git and foundry's line numbers do not, so every place "
                        "said after it would be a line off", Span(label, line, column), hint=HINT)
    return True
