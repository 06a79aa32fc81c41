"""What a translation must keep of its source: link targets, emphasis, code, `{…}`.

Both texts are parsed with the project's one Markdown parser, and compared by the
parts a reader's output depends on; the words themselves are the translator's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from markdown_it.common.utils import normalizeReference

from ..load.markdown import markdown

PLACEHOLDER = re.compile(r"\{[^{}\n]*\}")
KEPT = ("em_open", "strong_open", "s_open")
NAMES = {"em_open": "emphasis", "strong_open": "strong emphasis", "s_open": "strikethrough"}


def signature(text: str, references: Mapping | None = None) -> Counter:
    """The parts of `text` that must survive translation, as a multiset of labels.
    `references`: the link definitions `text` is shown with (a story's, for its
    paragraphs: `[the map][m]` is a link to what `[m]: …` names)."""
    parts: Counter = Counter()
    for block in markdown().parse(text, {"references": dict(references)} if references else {}):
        for tok in block.children or []:
            if tok.type == "link_open":
                parts[f"link to '{tok.attrs.get('href', '')}'"] += 1
            elif tok.type == "image":
                parts[f"image '{tok.attrs.get('src', '')}'"] += 1
            elif tok.type == "code_inline":
                parts[f"code `{tok.content}`"] += 1
            elif tok.type in KEPT:
                parts[NAMES[tok.type]] += 1
            elif tok.type == "text":
                for m in PLACEHOLDER.finditer(tok.content):
                    parts[f"placeholder '{m.group(0)}'"] += 1
    return parts


def broken_markup(source: str, translation: str, references: Mapping | None = None) -> list[str]:
    """What the translation lost or added, in words ("link to '#hall' lost");
    `references`: the link definitions both are shown with (`signature`)."""
    want, have = signature(source, references), signature(translation, references)
    problems = [f"{_part_as_written(part, source)} lost" for part in sorted(want - have)]
    problems += [f"{_part_as_written(part, translation)} added" for part in sorted(have - want)]
    return problems


def _part_as_written(part: str, text: str) -> str:
    """A `signature` part as `text` writes it: a placeholder's quotes as typed (`_as_written`)."""
    if part.startswith("placeholder '") and part.endswith("'"):
        return f"placeholder '{_as_written(part[len('placeholder '):][1:-1], text)}'"
    return part


def changed_placeholders(source: str, translation: str) -> list[str]:
    """The `{…}` placeholders the translation lost or added, in words ("placeholder
    '{gold}' added"). For a name, title or choice (inline Markdown, whose emphasis, code
    and links a translator may style as the language wants): an engine reading the
    string tables fills each placeholder from its own variables, so a translation keeps
    every one its source has and brings none it does not — in a code span too, which
    the string tables and plain outputs show as its bare text. Only its placeholders:
    a title holding braces was held to its whole markup (`Rook *the* {rank}` translated
    `Rook der {rank}` was "emphasis lost", which the same title without braces may be)."""
    want, have = _placeholders(source), _placeholders(translation)
    return ([f"placeholder '{_as_written(found, source)}' lost" for found in sorted(want - have)]
            + [f"placeholder '{_as_written(found, translation)}' added" for found in sorted(have - want)])


def _as_written(found: str, text: str) -> str:
    """A placeholder found in the printed words of `text` as `text` writes it: printing
    curls its quotes (a choice's `{do="coins += 9"}` is `{do=“coins += 9”}`), and a
    translator told of the curled form could not find it, nor could its column be."""
    if found in text:
        return found
    return next((written for written in PLACEHOLDER.findall(text) if plain_text(written) == found), found)


def _placeholders(text: str) -> Counter:
    """The `{…}` in the words of `text` as printed (its text and code spans)."""
    return Counter(PLACEHOLDER.findall(plain_text(text)))


# Blocks a reader would see as typed: a translation replaces the words of one block
# (a paragraph, a list item's text, a heading's title) and is shown inline there, so a
# block it opens of its own is its markers and blank lines shown raw.
# Lines starting `- ` or `1. ` are left out: dialogue written with dashes (French,
# Spanish) and numbered lines read as the text they are when shown inline.
BLOCK_WORDS = {"heading_open": "a heading", "blockquote_open": "a quote", "fence": "a code block",
               "code_block": "an indented code block", "hr": "a thematic break (`---`)", "table_open": "a table",
               "paragraph_open": "a second paragraph"}


def _blocks(text: str) -> Counter:
    """The top-level blocks of `text` by kind (a list's or quote's own paragraphs are
    inside it, not beside it)."""
    return Counter(tok.type for tok in markdown().parse(text) if tok.level == 0 and tok.type in BLOCK_WORDS)


def added_blocks(source: str, translation: str) -> list[str]:
    """The blocks (in words: "a heading", "a second paragraph") the translation opens
    that its source does not: each would be shown as typed, markers and all."""
    added = _blocks(translation) - _blocks(source)
    return [BLOCK_WORDS[kind] for kind in BLOCK_WORDS if added[kind]]


def own_definitions(translation: str) -> list[str]:
    """The labels of the link reference definitions a paragraph's translation writes
    itself (`[m]: https://…` on a line of its own; one of a label the story defines
    too). A story's paragraph is shown inline in its block, with the story's
    definitions only, so such a line is shown as typed, and a link naming it too."""
    if "]:" not in translation:
        return []
    env: dict = {}
    markdown().parse(translation, env)
    added = set(env.get("references") or ())
    # as written (markdown-it keeps each label upper-cased): the definition's own line
    return [m.group(1) for line in translation.split("\n") if (m := _DEFINED.match(line))
            and normalizeReference(m.group(1)) in added] or sorted(added)


_DEFINED = re.compile(r"^ {0,3}\[([^\[\]\n]{1,999})\]:")


def visible_text(text: str) -> str:
    """The words a reader sees (markup removed), to find a translation that is empty."""
    words = []
    for block in markdown().parse(text):
        words += [t.content for t in block.children or [] if t.type in ("text", "code_inline")]
    return "".join(words).strip()


def plain_text(text: str) -> str:
    """The words of a line as printed, markup removed, line breaks as spaces (to find
    a printed fragment's source line)."""
    words = []
    for block in markdown().parse(text):
        for tok in block.children or []:
            if tok.type in ("text", "code_inline"):
                words.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return "".join(words) if words else text
