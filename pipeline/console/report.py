"""Diagnostics (and build statistics) → text for people, GitHub annotations, or JSON.

One report, several sinks: the CLI picks the sink; tests read the JSON one. Every
sink escapes what it quotes (paths, messages, hints, source lines) with
`terminal.printable`, so no content can print a control character or forge a line,
and shows of each code in each file only the first ones (`diagnostics.said`), so no
file can make a report without bound; counts are of every finding.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import TextIO

from ..confine import boundary
from ..diagnostics import ENVIRONMENT, Diagnostic, Severity, code_span, said
from ..load.encoding import bom_encoding
from .terminal import cells, printable

FORMATS = ("text", "github", "json")
_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
MAX_FRAME = 160
MAX_FRAME_FILE = 16 * 1024 * 1024   # bytes: a frame is never worth reading more


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render_text(diags: list[Diagnostic], root: Path, color: bool = False, known: dict[str, str] | None = None) -> str:
    """`known`: files already read (an imported source, which the user may name outside
    the project), by the path the diagnostics name them: their frames quote that text,
    not a file read again under `root`'s confinement (which refuses one outside)."""
    lines: list[str] = []
    cache: dict[str, list[str]] = {path: _lines(text) for path, text in (known or {}).items()}
    for d in said(diags):
        paint = (lambda s, c=_COLORS[d.severity]: f"\x1b[{c}m{s}\x1b[0m") if color else (lambda s: s)
        lines.append(f"{printable(d.span)}: {paint(d.severity.value)} {d.code} {printable(d.message)}")
        lines += _frame(d, root, cache, paint)
        if d.hint:
            lines.append(f"    hint: {printable(d.hint)}")
    return "\n".join(lines)


def source_line(d: Diagnostic, root: Path, cache: dict[str, list[str]]) -> str | None:
    """The text of the line `d` is at (no line ending), None when it has none or the
    file cannot be read; `cache` holds the files' lines by path, between calls."""
    if not d.span.line:
        return None
    if d.span.path not in cache:
        # The same confinement rule as the build's readers: a frame never shows a line
        # of a file outside the project (a diagnostic at a link names only the link).
        try:
            data = boundary(root).read(root / d.span.path, MAX_FRAME_FILE)
            cache[d.span.path] = _lines(_as_shown(data, d.span.path))
        except OSError:
            cache[d.span.path] = []
    source = cache[d.span.path]
    return source[d.span.line - 1] if 0 < d.span.line <= len(source) else None


def _lines(text: str) -> list[str]:
    """A file's lines as YAML, Markdown and the diagnostics count them: at LF only
    (str.splitlines also splits at VT, FF, NEL, U+2028, … and would misalign)."""
    return [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]


def _frame(d: Diagnostic, root: Path, cache: dict[str, list[str]], paint) -> list[str]:
    """The offending line with a caret under the column."""
    line = source_line(d, root, cache)
    if line is None:
        return []
    text = line.expandtabs(1)
    col = max(1, d.span.column)
    start = max(0, col - MAX_FRAME // 2) if len(text) > MAX_FRAME else 0
    gutter = f"{d.span.line:>5} | "

    def under_gutter(part: str) -> str:
        # escaped as the line it is printed in: after the gutter no line starts a workflow
        # command, so a Twee header `:: Note` is shown as typed, not `\u003a: Note`
        return printable(gutter + part)[len(gutter):]
    shown = under_gutter(text[start:start + MAX_FRAME])
    # escapes widen the line, and a wide character (CJK) takes two cells: the caret follows
    before = cells(under_gutter(text[start:col - 1]))
    width = max(1, (d.span.end_column - d.span.column) if d.span.end_column > d.span.column else 1)
    width = max(1, cells(under_gutter(text[start:col - 1 + width])) - before) if width > 1 else width
    return [gutter + shown, " " * (len(gutter) + before) + paint("^" * min(width, 40))]


def _as_shown(data: bytes, path: str = "") -> str:
    """A file's text as an editor shows it: UTF-8 (a bad byte one replacement mark), or
    in the encoding its byte-order mark names. A file saved as UTF-16 is refused as
    such (HF0103 at 1:1), and its frame was its bytes read as UTF-8: every other
    character a `\\u0000`, a line of escapes that no editor shows. A PO file not in
    UTF-8 is shown in the charset its header names, as the build read it (l10n/formats.py
    declared_encoding) and as Poedit shows it: its umlauts were replacement marks, and a
    caret after a character of two bytes (Shift_JIS) stood off its column."""
    mark = bom_encoding(data)
    codec = mark[0] if mark is not None else "utf-8"
    if mark is None and path.endswith(".po"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            from ..l10n.formats import declared_encoding
            codec = declared_encoding(data, path) or codec
    return data.decode(codec, errors="replace").removeprefix("\ufeff")


def render_github(diags: list[Diagnostic], prefix: str = "") -> str:
    """GitHub Actions workflow commands: annotations on the pull request's diff, one
    line per diagnostic. Values are escaped per the workflow-command rules (`%`, CR and
    LF in the message; also `:` and `,` in properties), after `printable`. `prefix`:
    the project's folder within the repository ("world/"), put before each file's path,
    which GitHub reads from the repository's top: a project in a subfolder had every
    annotation on `content/heroes/aria.yaml`, a file the pull request does not have,
    so none was shown on its diff. In `_spread`'s order: GitHub draws the first 10 of each
    level a step, so those are of as many files and codes as there are."""
    out = []
    for d in _spread(said(diags)):
        level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
        # an argument's problem (`--ref`) is an annotation on no file, the argument named in
        # its words, and so is the machine's (`<environment>`: no libyaml, no Pango, a build
        # that keeps nothing), which was one on a file `world/<environment>`; `.git` (a
        # problem of the repository) is at the top already
        where = d.span.path if d.span.path == ".git" or not prefix else posixpath.normpath(prefix + d.span.path)
        props = "" if d.span.argument or d.span.path == ENVIRONMENT else f"file={_prop(where)},"
        if d.span.line:
            props += f"line={d.span.line},col={max(1, d.span.column)},"
        props += f"title={_prop(d.code + ' ' + d.title)}"
        message = (f"{d.span.argument}: " if d.span.argument else "") + d.message + (f" — {d.hint}" if d.hint else "")
        out.append(f"::{level} {props}::{_data(message)}")
    return "\n".join(out)


def _spread(items: list[Diagnostic]) -> list[Diagnostic]:
    """`items` (report order) with each file's first finding first, then each file's
    second, and so on; within a file, each code's first before any code's second.
    GitHub draws 10 annotations of each level a step, in print order: one hero's 150
    unknown attributes (its 100 and the "and 50 more" line) took all ten, and the other
    files' findings — another hero's unknown skill, a story's broken link — were on no
    diff (the log has every one)."""
    nth_of_code: dict[tuple[str, str], int] = {}
    by_file: dict[str, list[tuple[int, int, Diagnostic]]] = {}
    for i, d in enumerate(items):
        key = (d.span.path, d.code)
        n = nth_of_code[key] = nth_of_code.get(key, -1) + 1
        by_file.setdefault(d.span.path, []).append((n, i, d))
    ranked = []
    for found in by_file.values():
        for rank, (_, i, d) in enumerate(sorted(found, key=lambda row: row[:2])):
            ranked.append((rank, i, d))
    return [d for _, _, d in sorted(ranked, key=lambda row: row[:2])]


# GitHub keeps 1 MiB of a step's summary; this leaves room for the other steps' lines
SUMMARY_BYTES = 512 * 1024


def render_step_summary(diags: list[Diagnostic], prefix: str = "", command: str = "foundry") -> str:
    """A job summary (`$GITHUB_STEP_SUMMARY`: Markdown on the run's page) of `diags`:
    the counts, and one table row per code in each file (its findings counted, its
    first place), every one, where the diff shows GitHub's 10 annotations of a level.
    Paths are as the annotations name them (`prefix`: the project's folder in the
    repository), as code, escaped for a table cell; cut at SUMMARY_BYTES with the
    number of rows left out."""
    head = f"### {_cell(code_span(command))}: {summary_line(diags)}\n"
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in diags:
        groups.setdefault((d.span.path, d.code), []).append(d)
    files = len({path for path, _ in groups})
    lines = [head, f"{len(diags):,} finding{'s' * (len(diags) != 1)} in "
             f"{files:,} file{'s' * (files != 1)}. The diff shows the first 10 annotations of each level; "
             "the log has every finding.\n", "| file | code | level | findings | first at |", "|---|---|---|---:|---|"]
    size = sum(len(line.encode()) + 1 for line in lines)
    left = 0
    for (path, code), found in groups.items():
        first = found[0]
        if first.span.argument:   # as the annotations: an argument's problem, the machine's, on no file
            where = _cell(code_span(printable(first.span.argument)))
        elif path == ENVIRONMENT or not path:
            where = "this machine"
        else:
            where = _cell(code_span(printable(path if path == ".git" or not prefix else posixpath.normpath(prefix + path))))
        place = f"{first.span.line}:{max(1, first.span.column)}" if first.span.line else ""
        row = (f"| {where} | {code} {_cell(first.title)} | {first.severity.value} "
               f"| {len(found):,} | {place} |")
        if left or size + len(row.encode()) + 1 > SUMMARY_BYTES:
            left += 1
            continue
        lines.append(row)
        size += len(row.encode()) + 1
    if left:
        lines.append(f"\n… and {left:,} more rows: the log has every finding.")
    return "\n".join(lines) + "\n\n"


def _cell(s: str) -> str:
    """A code span or foundry's own words as a Markdown table cell: printable, one line,
    its pipes escaped (GitHub's Markdown splits a cell at `|` even inside a code span,
    and takes `\\|` as the pipe there too)."""
    return printable(s).replace("\n", " ").replace("|", "\\|")


def _data(s: str) -> str:
    return printable(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def _located(d: Diagnostic) -> dict:
    """`d` as JSON for a script, its column 1 when only its line is known (a theme
    template's error: Jinja gives the line alone), as the text and GitHub reports show
    it: `"column": 0` beside a line read as no place on it."""
    data = d.to_json()
    if data["line"] and not data["column"]:
        data["column"] = 1
    return data


def render_json(diags: list[Diagnostic], extra: dict | None = None) -> str:
    payload = {
        "diagnostics": [_located(d) for d in said(diags)],
        "errors": sum(d.severity is Severity.ERROR for d in diags),
        "warnings": sum(d.severity is Severity.WARNING for d in diags),
    }
    payload.update(extra or {})
    # json escapes C0 controls itself; printable escapes the rest (C1, bidi, invisible)
    # as \\uXXXX, which inside a JSON string means the same character
    return printable(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False), lines=True)


def summary_line(diags: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = sum(d.severity is Severity.WARNING for d in diags)
    if not errors and not warnings:
        return "No problems found."
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."
