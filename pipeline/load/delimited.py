"""The pieces of a stranger's text between an opening and its closing, found in linear time.

A regular expression `open.*?close` (DOTALL) reads from an opening on to the end of
the text when no closing follows it, and then again from the next opening, and the next:
a project theme's template holding `{{ ` 20,000 times in a raw block (60 KB) took 6.6
CPU-s of `foundry check` (html/theme_links.py), and an SVG in its static files holding
`<metadata>` 60,000 times (600 KB) ran a build 120 CPU-s into HF0710 (text_metadata.py),
each time over the whole text again: a theme file may hold 16 MiB. Python's `re` has no
step budget, and atomic groups do not help (the cost is the restarts, not backtracking).

Here each kind of closing is looked for once per place it can next be found
(`Following`): the openings are visited in order, and an opening with no closing after
it means none of the later ones of its kind has one either. Written for the few
patterns foundry reads theme and content text with; each caller keeps the exact
matches its regular expression found (its tests compare them).
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator, NamedTuple


class Following:
    """The first match of `pattern` in `text` starting at or after a position. Asked at
    positions that never go back, the searches together read the text once: an answer
    found is the answer for every position up to its start, and no answer is the answer
    for every later position."""

    def __init__(self, pattern: re.Pattern, text: str | bytes):
        self.pattern, self.text = pattern, text
        self.asked = -1
        self.found: re.Match | None = None

    def at(self, pos: int) -> re.Match | None:
        if 0 <= self.asked <= pos:
            if self.found is None:
                return None
            if self.found.start() >= pos:
                return self.found
        self.asked = pos
        self.found = self.pattern.search(self.text, pos)
        return self.found


class Named:
    """The closings of `text` that `pattern` matches (group 1 their name), by name: the
    first one named so at or after a position. For a closing that must repeat its
    opening's name (`<(x:RDF)…>…</\\1>`): found in one pass whatever names the
    openings use (a `Following` per name read the text once per name)."""

    def __init__(self, pattern: re.Pattern, text: str | bytes):
        self.starts: dict[str | bytes, list[int]] = {}
        self.matches: dict[str | bytes, list[re.Match]] = {}
        for m in pattern.finditer(text):
            self.starts.setdefault(m.group(1), []).append(m.start())
            self.matches.setdefault(m.group(1), []).append(m)

    def at(self, name: str | bytes, pos: int) -> re.Match | None:
        starts = self.starts.get(name)
        if not starts:
            return None
        i = bisect.bisect_left(starts, pos)
        return self.matches[name][i] if i < len(starts) else None


class Piece(NamedTuple):
    """One piece found: which pair of (opening, closing) it is (its index), and their
    matches. The piece is `text[opening.start():closing.end()]`; what lies between them,
    `text[opening.end():closing.start()]`, is the `.*?` of the pattern it stands for."""
    which: int
    opening: re.Match
    closing: re.Match

    def span(self) -> tuple[int, int]:
        return self.opening.start(), self.closing.end()

    def inner(self) -> str | bytes:
        return self.opening.string[self.opening.end():self.closing.start()]


def pieces(text: str | bytes, pairs: list[tuple[re.Pattern, re.Pattern]]) -> Iterator[Piece]:
    """Each piece re.finditer finds in `text` for `o1.*?c1|o2.*?c2|…` (DOTALL), given
    `pairs` [(o1, c1), (o2, c2), …] as compiled patterns, in order and without overlap,
    in time linear in the text. An opening must match the same way whatever follows
    (no part of it given back to find a closing sooner: `\\{%[-+]?\\s*(\\w+)` before
    `[-+]?%\\}` is such, since a closing starts with no word character)."""
    openings = [Following(opening, text) for opening, _ in pairs]
    closings = [Following(closing, text) for _, closing in pairs]
    pos = 0
    while True:
        # the next place any opening matches: where the alternation would next match
        at = min((m.start() for m in (o.at(pos) for o in openings) if m is not None), default=None)
        if at is None:
            return
        for which, (opening, _) in enumerate(pairs):
            m = opening.match(text, at)
            if m is None:
                continue
            closing = closings[which].at(m.end())
            if closing is not None:
                yield Piece(which, m, closing)
                pos = max(closing.end(), at + 1)
                break
        else:
            pos = at + 1


def blanked(text: str, spans: list[tuple[int, int]], blank) -> str:
    """`text` with each of `spans` (start, end; in any order, overlapping or not) given
    as `blank(part)` gives it, in one pass (one copy of the text per span was quadratic
    in the spans: 20,000 `{% if %}…{% endif %}` in a template)."""
    out, at = [], 0
    for start, end in merged(spans):
        out.append(text[at:start])
        out.append(blank(text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` sorted, those that overlap or touch made one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies in one of `spans`, as given by `merged`."""
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]
