"""The guidance a built-in story template writes for the writer to replace (HF0186).

`foundry new story` copies a template line for line: its summary and each scene's
prose are guidance in *italics* ("*Something arrives that demands a journey.*"), some
of it questions. Left unreplaced, it was published as the story's words, on the site,
in the books, in ink, Twee and the JSON, and check said nothing. This is the story's
part of the one warning `foundry new` has for what it wrote in the writer's place (a
hero's or character's question, a quest's objective: heroes/sheet.py).

Only the built-in templates' guidance is known as such: a project's own template
(content/templates/stories) is the project's prose, whatever it holds in italics.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Callable

from ..diagnostics import Diagnostics, Span, clip, code_span
from ..load.documents import Document

BUILTIN_STORY_TEMPLATES = "stories/templates"
# A line of a template that is guidance: wholly in emphasis (`*…*` or `_…_`), as a
# scene's paragraph or the summary's quoted value (`summary: "*…*"`).
_SUMMARY = re.compile(r'^summary:[ \t]*"(.*)"[ \t]*$', re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def plain(line: str) -> str:
    """`line` as compared with guidance: its emphasis marks around it and its spaces
    aside (a writer who took the italics off, or whose editor re-spaced it, still
    publishes the guidance)."""
    text = " ".join(line.split())
    for mark in ("**", "__", "*", "_"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return " ".join(text[len(mark):-len(mark)].split())
    return text


@functools.cache
def builtin_guidance() -> dict[str, str]:
    """Each guidance text of the built-in story templates (as `plain` makes it) → the
    template's name. Read once from the package's templates, so a template's new
    guidance is known with it."""
    found: dict[str, str] = {}
    base = resources.files("pipeline").joinpath(BUILTIN_STORY_TEMPLATES)
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".md"):
            continue
        text = item.read_text(encoding="utf-8")
        lines = [m.group(1) for m in _SUMMARY.finditer(text)] + text.splitlines()
        for line in lines:
            stripped = line.strip()
            if len(stripped) > 2 and stripped[0] in "*_" and stripped[-1] == stripped[0] and stripped[1] != stripped[0]:
                found.setdefault(plain(stripped), item.name[:-3])
    return found


@functools.cache
def _telltales() -> tuple[str, ...]:
    """One word of each guidance text (its longest, as `plain` keeps it): a body holding
    a guidance text, however its editor wrapped or re-spaced it, holds each of its words
    as written, so a body holding none of these holds no guidance."""
    return tuple(sorted({max(text.split(), key=len) for text in builtin_guidance() if text.split()}))


def report_guidance(doc: Document, summary: object, summary_span: Callable[[], Span | None],
                    diags: Diagnostics) -> None:
    """HF0186 (a warning) at the story's `summary` (placed by `summary_span()`, asked only
    when it is guidance: a span decodes the file's positions) when it is
    still a built-in template's guidance, and at each line of its scenes' prose that
    is (code, fenced or indented, aside): the line and column where the text starts."""
    guidance = builtin_guidance()
    if isinstance(summary, str) and plain(summary) in guidance and (span := summary_span()) is not None:
        said = plain(summary)
        diags.add("HF0186", f"the summary is still the guidance the '{guidance[said]}' story template wrote: "
                  f"{code_span(clip(said, 60))}", span,
                  hint="Write in its place what the story is about, in a sentence or two of your own: the summary "
                       "is published as written, on the stories' list and in every output.")
    # a cold check reads every story of a 500-story world: the paragraph-by-paragraph
    # reading below (0.3 CPU-s of it, issue 13) only for a body that may hold guidance
    if not any(word in doc.body for word in _telltales()):
        return
    fence: str | None = None
    paragraph: list[tuple[int, str]] = []   # (index in the body, line) of the paragraph read so far
    for n, line in enumerate(doc.body.split("\n") + [""]):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened or not line.strip():
            _report_paragraph(doc, paragraph, guidance, diags)
            paragraph = []
            fence = opened.group(1) if opened else None
            continue
        if not paragraph and line.startswith(("    ", "\t")):
            continue     # indented code; inside a paragraph an indented line continues it
        paragraph.append((n, line))


# Text in emphasis within a paragraph, across its lines: guidance the writer kept beside
# words of their own ("*Introduce the hero …* Kes wakes."), in a quote or a list item
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", re.DOTALL)


def _report_paragraph(doc: Document, paragraph: list[tuple[int, str]], guidance: dict[str, str],
                      diags: Diagnostics) -> None:
    """HF0186 at a paragraph of a scene that is, or holds in emphasis, a guidance text:
    read as one text, for an editor that wraps lines (Prettier's proseWrap, an 80-column
    textwidth) splits a guidance sentence over two lines the story still publishes."""
    if not paragraph:
        return
    text = "\n".join(line for _, line in paragraph)
    # each as (offset in `text` where it starts, its guidance): the paragraph, a line of
    # it (a heading or a choice may follow with no blank line), a text in emphasis
    found = {0: plain(text)} if plain(text) in guidance else {}
    offset = 0
    for _, line in paragraph:
        if plain(line) in guidance:
            found.setdefault(offset + len(line) - len(line.lstrip()), plain(line))
        offset += len(line) + 1
    for m in _EMPHASIS.finditer(text):
        if (said := " ".join(m.group(2).split())) in guidance and said not in found.values():
            found[m.start()] = said
    for start, said in sorted(found.items()):
        before = text[:start].split("\n")
        n, line = paragraph[len(before) - 1]
        column = max(len(before[-1]), len(line) - len(line.lstrip())) + 1
        diags.add("HF0186", f"the guidance the '{guidance[said]}' story template wrote is still in the scene: "
                  f"{code_span(clip(said, 60))}",
                  Span(doc.path, doc.body_line + n, column),
                  hint="Write the scene in your own words in its place and delete the guidance: the story is "
                       "published as written, on its page and in every output.")
