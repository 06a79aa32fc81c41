"""Names and titles a writer types in YAML files — a hero's name and epithet, a quest's
title, an objective — may carry inline Markdown, exactly like a scene heading or a
story title (`name: "Aria *the Bold*"`).

They go through the one rendering of titles (load/markdown.py `title_html` and
`title_text`) once, when the file loads: the model keeps the plain text, which is
what every text output shows (JSON, ink, Twee, `foundry play`, the search index, a
page's `<title>`, alt text, navigation), and the HTML is kept beside it by field path
for the HTML outputs (site, EPUB, PDF), which show it where the field is presented on
its own page (see docs/writing-stories.md, "Markdown in names and titles").
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from markdown_it.common.utils import normalizeReference
from markupsafe import escape

from ..diagnostics import EACH_SAID, Diagnostics, Span, clip, code_span, the_rest
from .block_keys import may_hold_field, report_fields_in_block
from .documents import Document
from .hygiene import PROSE_FIELDS
from .link_addresses import (SPACED_ADDRESS, UNOPENED_LINK, address_fault, spaced_address_at,  # noqa: F401 (stories/scenes.py)
                             spaced_addresses, typed_address, unopened_links)
from .markdown import (ALLOWED_SCHEMES, _safe_link, published_direction, cut_rows, repeated_definitions, unused_definitions, stranded_definitions, undefined_references, is_plain_title, markdown, may_nest_deep, may_run_out, open_fence, report_look_ahead, report_too_deep, title_forms,
                       title_links, title_tags, typed_tag_at)

M = TypeVar("M")

# The short text fields of each kind of YAML file that are shown to readers, as paths
# into the model (`*` is every item of a list). Prose fields (`background`, `summary`)
# are rendered as paragraphs instead; ids and expressions are not text.
INLINE_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "hero": ("name", "title", "relationships.*.note"),
    "character": ("name", "title", "role", "relationships.*.note"),
    "quest": ("title", "objectives.*.text"),
    "template": ("name", "description"),
})

# The labels of the rule book (schemas/*.yaml), by rule file: names of attributes,
# derived stats, skills and relationship kinds, and their one-line descriptions. They
# label tables, stat lines and formulas, so every output shows their plain text.
RULE_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "attributes": ("attributes.*.name", "attributes.*.description", "derived.*.name", "derived.*.description"),
    "skills": ("skills.*.name", "skills.*.description"),
    "relationships": ("kinds.*.name",),
})

Loc = tuple[Any, ...]   # a field path: ("name",), ("objectives", 0, "text"), ("skills", "ambush", "name")


def plain_titles(kind: str, model: M) -> tuple[M, Mapping[Loc, str]]:
    """`model` (a validated, frozen pydantic model of `kind`) with each field of
    INLINE_FIELDS[kind] replaced by its plain text, and that field's HTML by path
    (only for fields with markup: `Entry.html` escapes the others, which is the same).
    A field whose Markdown leaves no text at all (`![](x)`) keeps what was written."""
    html: dict[Loc, str] = {}
    for pattern in INLINE_FIELDS.get(kind, ()):
        model = _apply(model, pattern.split("."), (), html)
    return model, MappingProxyType(html)


def load_titles(doc: Document, model: M, diags: Diagnostics) -> tuple[M, Mapping[Loc, str]]:
    """`plain_titles` for the model of `doc`, and HF0536 (a warning) at each name or
    title holding an HTML tag: it shows as the characters typed, not as markup."""
    plain, html = plain_titles(doc.kind, model)
    report_prose_fields(doc, model, diags)
    for loc in html:   # only a field with markup can show no words
        # its span looked up only when said: a span decodes the file's positions (~1,000
        # heroes' notes with markup at 10,000 heroes, ~0.03 CPU-s of a cold check, for nothing)
        report_wordless(_at(model, loc), lambda loc=loc: doc.span(*loc), diags,
                        _FIELD_OF.get(loc[-1], f"{doc.kind}'s {loc[-1]}"))
    for pattern in INLINE_FIELDS.get(doc.kind, ()):
        for loc, written in _strings(model, pattern.split("."), ()):
            # how a tag, a link or attribute braces start; most names have none
            if may_slip(written):
                span = doc.span(*loc)
                report_tags(written, span, diags, lambda: value_lines(doc, span, loc),
                            where="a relationship's note" if loc[-1] == "note" else "a name or title")
    return plain, html


def _strings(obj: Any, parts: list[str], loc: Loc) -> Iterable[tuple[Loc, str]]:
    """(path, text) of each string field of `obj` at `parts` (INLINE_FIELDS' form)."""
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = obj.items() if isinstance(obj, dict) else enumerate(obj or ())
        for key, item in items:
            yield from _strings(item, rest, loc + (key,))
        return
    value = getattr(obj, head, None)
    if rest:
        if value is not None:
            yield from _strings(value, rest, loc + (head,))
    elif isinstance(value, str):
        yield loc + (head,), value


# Markdown fields of YAML files (and of a story's front matter) that are prose
# (rendered as paragraphs, on the entity's own page: check_outputs checks their links,
# engine/outputs.py, and a summary keeps them, resolve/summaries.py): hygiene.py's, which
# reads the code in them as Markdown of blocks does (imported above).
# What each check of `report_prose_fields` but the look-ahead's looks for first: a
# field holding none of these is reported nothing.
_SUSPECT = re.compile(r"<|\]\(|\[\^|\[\[|\[!|\^\[|%%|!\[|\{|```|~~~|/\*")
# a line of a prose field that may be a heading ending in a lone closing `#`
_HEADING_WITH_HASH = re.compile(r"^[ \t>]*##.*[ \t]#[ \t]*$", re.M)


def report_prose_fields(doc: Document, model: Any, diags: Diagnostics) -> None:
    """HF0124 (HTML, a comment, a refused link, a footnote: shown as typed), HF0128
    (an image) and HF0537 (attributes on a link or code span) in each prose field of `model`, at their lines in `doc` — for a YAML
    file's `background:` and `summary:` and a story's `summary:` alike."""
    fields = getattr(type(model), "model_fields", None)   # a pydantic model's (they forbid extras)
    for name in PROSE_FIELDS:
        # a model without the field says so by raising from pydantic's __getattr__, which
        # cost a hero (no `summary:`) more than the rest of this check of it
        text = getattr(model, name, None) if fields is None or name in fields else None
        if not isinstance(text, str) or not (may_run_out(text) or _SUSPECT.search(text) or may_nest_deep(text)
                                             or "|" in text or "]:" in text or " #" in text
                                             or ("\n" in text and ":" in text and DEFINITION_LIST.search(text))
                                             or ("[" in text and _TASK_TYPED.search(text))
                                             or (may_hold_foreign_mark(text) and FOREIGN_MARK.search(text))
                                             or may_hold_field(text)):
            # nothing below could say anything of it: its span is not looked up (that
            # decodes the file's positions, ~30 µs a hero on a cold check, for nothing)
            continue
        end = lambda name=name, text=text: field_end(doc, name, text)   # noqa: E731 (only when something is said)
        if may_hold_field(text):   # a line of a block may be a field typed at its indentation
            report_fields_in_block(doc, name, model, diags)
        if report_look_ahead(text, doc.span(name), diags, line_of=doc.source.line, last=end):
            continue   # its links were not all read: what else is said of them would be false
        if report_too_deep(text, doc.span(name), diags, line_of=doc.source.line):
            continue   # its text was not all read
        if "<" in text or "](" in text or "[^" in text or "]:" in text or "[[" in text or _other_note(text):   # (`[r]: file:…`, a definition alone)
            report_shown_as_typed(text, doc.span(name), diags, doc.source.line, end)
        if "![" in text or "{" in text:
            span = doc.span(name)
            inlines = [tok for tok in markdown().parse(text) if tok.type == "inline"]
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            report_images([child for tok in inlines for child in tok.children or [] if child.type == "image"],
                          lines, span, diags)
            for tok in inlines:   # the field's first only: its braces are looked for on all its lines
                if report_dropped_attrs(tok.children or [], lines, span, diags):
                    break
            _report_block_attrs(markdown().parse(text), lines, span, diags)
        if "#" in text and _HEADING_WITH_HASH.search(text):
            span = doc.span(name)
            report_heading_hashes(markdown().parse(text),
                                  [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)],
                                  span, diags)
        if "](" in text and _EMPTY_LINK.search(text):   # most links have words: no parse for them
            span = doc.span(name)
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            for tok in markdown().parse(text):
                if tok.type == "inline" and "](" in tok.content:
                    report_empty_links(tok.children or [], lines, span, diags)
        if _DELIMITER_ROW.search(text) or _DEFINITION_LINE.search(text):   # a table, a link definition
            span = doc.span(name)
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            env: dict = {}
            tokens = markdown().parse(text, env)
            report_cut_rows(tokens, text.split("\n"), lines, span, diags)
            report_unused_definitions(env, text.split("\n"), lines, span, diags)
            report_stranded_definitions(tokens, text.split("\n"), lines, span, diags)
            report_undefined_references(tokens, env, text.split("\n"), lines, span, diags)
        elif "][" in text:   # a reference link with no definition at all
            span = doc.span(name)
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            env = {}
            report_undefined_references(markdown().parse(text, env), env, text.split("\n"), lines, span, diags)
        if may_hold_foreign_mark(text) and FOREIGN_MARK.search(text):
            span = doc.span(name)
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            for tok in markdown().parse(text):
                if tok.type == "inline":
                    report_foreign_marks("".join(c.content if c.type == "text" else "\0" for c in tok.children or []),
                                         lines, span, diags)
        if ":" in text and DEFINITION_LIST.search(text):
            span = doc.span(name)
            # one pass over the field's lines for all its paragraphs, each looked for after
            # the last one's: a list of the lines after it made per paragraph was
            # quadratic (9,000 terms in a 64 KB field: 6 CPU-s)
            lines = ((n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1))
            for tok, inline in zip(tokens := markdown().parse(text), tokens[1:]):
                if tok.type == "paragraph_open" and inline.type == "inline":
                    report_definition_list(inline.content, lines, span, diags)
        if "[" in text and _TASK_TYPED.search(text):
            span = doc.span(name)
            lines = [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)]
            _report_task_lists(markdown().parse(text), lines, span, diags)
        if "```" in text or "~~~" in text:
            span = doc.span(name)
            _report_open_fences(markdown().parse(text), text.split("\n"),
                                [(n, doc.source.line(n)) for n in range(span.line, field_end(doc, name, text) + 1)],
                                span, diags)


def field_end(doc: Document, name: str, text: str) -> int:
    """The last line of `doc`'s file holding top-level field `name` (whose value is
    `text`): the lines after the key's that are blank or indented past it, as YAML reads
    a value's lines. Counting the value's line breaks fell short of a folded block
    (`>`), where YAML joins lines with spaces: a tag three lines down was said at the
    field's first line. At least the line its line breaks reach (a value on one line)."""
    key, span = doc.key_span(name), doc.span(name)
    if not span.line:
        return 0
    last = _last_line_past(doc.source.lines, span.line, key.column - 1 if key.line else 0)
    return max(last, span.line + text.count("\n") + 1)


def _last_line_past(lines: list[str], first: int, indent: int) -> int:
    """The last 1-based line of a value starting on line `first` of `lines`: the lines
    after it that are blank or indented past `indent` are the value's too, as YAML reads
    a block or a plain scalar's lines."""
    number = first
    while number < len(lines) and (not lines[number].strip() or len(lines[number]) - len(lines[number].lstrip(" ")) > indent):
        number += 1
    return number


def open_fence_message(tok: Any, swallowed: str = "") -> str:
    """HF0539's words for `tok`, a fence never closed (load/markdown.py `open_fence`);
    `swallowed`: what of the writer's structure it took in, said after a colon."""
    return (f"this line of {tok.markup} opens a code block that is never closed: everything after it is shown as code"
            + (f", {swallowed}" if swallowed else ""))


def _report_open_fences(tokens: list, text_lines: list[str], lines: list[tuple[int, str]], fallback: Span,
                        diags: Diagnostics) -> None:
    """HF0539 (a warning) at a prose field's fence that is never closed (`text_lines`:
    the field's text; `lines`: (number, text) of the file's lines holding it). The
    field's own lines are dedented by YAML, so the opening line is found in the file as
    the last line starting with the fence: an unclosed fence is the field's last."""
    after = 0
    for tok in tokens:
        if tok.type == "fence" and tok.info.strip():
            at = next((i for i in range(after, len(lines)) if lines[i][1].lstrip(" \t>").startswith(tok.markup)), None)
            if at is not None:
                after = at + 1
            number, line = lines[at] if at is not None else (fallback.line, "")
            report_fence_info(tok, line, Span(fallback.path, number, 1), diags)
        if open_fence(tok, lambda k: text_lines[k] if k < len(text_lines) else ""):
            at = next(((n, line.find(tok.markup)) for n, line in reversed(lines)
                       if line.lstrip(" \t>").startswith(tok.markup)), None)
            diags.add("HF0539", open_fence_message(tok), Span(fallback.path, at[0], at[1] + 1) if at else fallback)
            return


# The word `foundry import` writes after the fence of the block keeping what it could not
# carry over (importers/writer.py, docs/importing.md): a marker, not a misplaced caption.
IMPORTED_BLOCK = "imported"


def report_fence_info(tok: Any, line: str, at: Span, diags: Diagnostics) -> None:
    """HF0178 (a warning) at the words after a code fence's ```` ``` ```` or `~~~`
    (markdown-it's `info`): Markdown reads them as the block's language, which no
    output shows (no output highlights code), so ```` ```The Guard's Song ```` was in
    none, with check clean. `line`: the file's line holding the fence; `at`: that
    line, placed at the words when they are found on it."""
    start = line.find(tok.markup)
    column = start + len(tok.markup) + len(line[start + len(tok.markup):]) - len(line[start + len(tok.markup):].lstrip(" \t")) \
        if start >= 0 else -1
    where = dataclasses.replace(at, column=column + 1) if column >= 0 else at
    if tok.info.strip() == IMPORTED_BLOCK:
        # told as a caption to move or delete, the word alone: the block is what is left to do
        diags.add("HF0178", "a block `foundry import` kept (HF1003): what it holds is published as code, "
                  "and plays no part in the story", where,
                  hint="Rewrite what it did with scenes, choices, conditions and effects "
                       "(docs/importing.md), then delete the block.")
        return
    diags.add("HF0178", f"'{clip(tok.info.strip(), 40)}' after {tok.markup} is read as the code block's language: "
              "it is shown in no output", where)


# `<b>`, `</i>`, `<img src=x>`: raw HTML is off (load/markdown.py), so a tag is text.
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# `[Text](javascript:…)`, `[map](htps://…)`: an address whose scheme is not one the
# sanitiser allows (load/markdown.py `ALLOWED_SCHEMES`, `_safe_link`: the text before
# the first `:` of its first path segment) is never made a link and stays as typed.
# Also as an autolink (`<javascript:…>`, scheme-shaped) and as a link reference
# definition (`[r]: javascript:…`). Group `at`: the scheme, where the address is said.
REFUSED_LINK = re.compile(r"(?:\]\(\s*<?|<(?=[a-z][a-z0-9+.\-]{1,31}:[^\s<>]*>)|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*)"
                          rf"(?P<at>(?!(?:{'|'.join(sorted(ALLOWED_SCHEMES))}):)[^\s/:()<>\[\]]+:)",
                          re.IGNORECASE | re.MULTILINE)
# `<!-- a note -->`: with raw HTML off, a comment is text that every reader sees (the
# typographer may have made its `--` a dash by the time the text is looked at). Up to
# its close when it has one: what is in it (`<!-- see [map](my file.png) -->`, a `<b>`,
# a `[^1]`) is that one slip, not a second said at the same line. The close is looked
# for up to the next `<!` (a comment after it is a slip of its own), so a text of many
# unclosed `<!--` is read once, not on to its end from each.
HTML_COMMENT = re.compile(r"<!(?:--|–|—)(?:(?:[^<]|<(?!!))*?(?:--|–|—)>)?")
# `[^1]`, `[^note]:`: footnotes are not CommonMark (nor our Markdown): shown as typed.
FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,40}\]")
# `[[The Lantern Path]]`, `[[Follow the lantern->lantern]]`: a link as Obsidian or Twine
# writes it, which no CommonMark reads: shown as typed, brackets and arrow included.
WIKI_LINK = re.compile(r"\[\[(?P<words>[^\[\]\n]{1,200})\]\]")
# Obsidian's `%%a note for the team%%`, which Obsidian hides and every reader here sees;
# pandoc's inline footnote `^[a note]`; Obsidian's callout and GitHub's alert `> [!note]`
# opening a quote. None is CommonMark: each is shown as typed. A `%%` after a digit is a
# percent sign doubled as printf and a game's string tables escape it (`a 50%% chance, or
# 75%%`), never a note's opening: said as an Obsidian comment, the hint was to delete it.
# Scrivener's placeholders, which its compile fills in (`<$n>`, `<$img:map.png>`): a
# chapter's number in a heading as Scrivener writers type it, shown as typed here
_SCRIVENER = r"<\$[A-Za-z!][^<>\n]{0,80}>"
SCRIVENER_PLACEHOLDER = re.compile(_SCRIVENER)
OTHER_NOTE = re.compile(r"(?<!\d)%%(?=\S)(?:(?!%%)[^\n]|\n(?![ \t]*\n)){1,500}?(?<=\S)%%|\^\[[^\[\]\n]{1,200}\]"
                        r"|(?:^|(?<=>)|(?<=> ))\[![A-Za-z][\w-]{0,30}\][+-]?(?=[ \t]|$)"
                        # CriticMarkup, as Ulysses, iA Writer, Scrivener and MultiMarkdown editors track
                        # changes: `{>>a comment<<}`, `{++added++}`, `{--deleted--}` (the typographer's
                        # `{–deleted–}` in the text read); its `{==marked==}` is a highlight, said as one
                        r"|\{(?:>>[^{}\n]{1,500}?<<|\+\+[^{}\n]{1,500}?\+\+|(?:--|–)[^{}\n]{1,500}?(?:--|–))\}"
                        # its substitution `{~~old~>new~~}`, which the text read has as `{ old~>new }`
                        # (markdown-it takes its `~~…~~` for a strikethrough, `{old~>new}` shown)
                        r"|\{(?:~~|[ \t])[^{}\n]{0,500}?~>[^{}\n]{0,500}?(?:~~|[ \t])\}"
                        # Fountain's boneyard `/* cut text */`, which screenwriters' tools hide and every
                        # reader here sees: spaced from its words (`/*cut*/` is read as emphasis), up to
                        # its `*/` or the paragraph's end (cut text often runs over paragraphs); not a
                        # path's `src/*` or `*/` in a word
                        r"|(?<![\w/*.])/\*(?=\s)(?:(?!\*/)[^\n]|\n(?![ \t]*\n)){0,500}?(?:\*/|\Z|(?=\n[ \t]*\n))"
                        # Typora's and MultiMarkdown's table of contents, a line of its own
                        r"|^\[(?:TOC|toc)\]$|" + _SCRIVENER, re.MULTILINE)
# What opens a CriticMarkup mark as typed, by how the text read shows it
_CRITIC_OPENING = {"{>": "{>>", "{+": "{++", "{-": "{--", "{–": "{--", "{~": "{~~", "{ ": "{~~", "{\t": "{~~"}


def typed_opening(found: re.Match) -> str:
    """The opening of an OTHER_NOTE match `found` as the writer typed it (`%%`, `^[`,
    `[!`, `{--` for the typographer's `{–`)."""
    opening = found.group(0).lstrip(" \t>")[:2]
    return _CRITIC_OPENING.get(opening, opening)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1|(`+)\2", re.DOTALL)


def shown_as_typed(text: str) -> re.Match | None:
    """The first HTML tag or refused link in prose `text` (fenced code and code spans
    left out): what a reader would see as typed, angle brackets and brackets included."""
    return next((found for _, paragraph in _paragraphs(text) if (found := _first_shown(paragraph))), None)


def _first_shown(bare: str) -> re.Match | None:
    tag = next((m for m in RAW_TAG.finditer(bare) if not is_escaped(bare, m.start())), None) if "<" in bare else None
    return first_of(HTML_COMMENT.search(bare), tag, refused_link(bare), next(unopened_links(bare), None),
                    next(spaced_addresses(bare), None), FOOTNOTE.search(bare),
                    WIKI_LINK.search(bare) if "[[" in bare else None, _other_note(bare))


def may_hold_links(written: str) -> bool:
    """Whether a choice's words as written may hold a link (`[x](…)` or `<scheme:…>`):
    the cheap test before `links_in_words`, one for every caller (an autolink of a
    refused scheme, `<javascript:…>`, `<htps://…>`, was shown as typed in a choice with
    check clean, where prose says it, as the callers looked for `](` alone)."""
    return "](" in written or "<" in written


def links_in_words(written: str) -> list[re.Match]:
    """Each link in a choice's words as written (code spans left out) that prose makes
    no link of, so it is shown as typed: a refused scheme (`[x](htps://…)`, as an
    autolink `<htps://…>` too), an address that does not parse or one with a space; each
    is said at its address (HF0124, report_raw_prose)."""
    if not may_hold_links(written):
        return []
    bare = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), written) if "`" in written else written
    found, end = [], -1
    # one link is one slip: `[x](htps://a b)` is a refused scheme, not also an address with a space
    for m in sorted([*REFUSED_LINK.finditer(bare), *unopened_links(bare), *spaced_addresses(bare)],
                    key=lambda m: (m.start(), _SHOWN_KINDS.index(m.re))):
        if m.start() >= end:
            found.append(m)
            end = m.end()
    return found


def report_links_in_words(found: list[re.Match], place: Callable[[re.Match], Span], diags: Diagnostics) -> None:
    """HF0124 for each of `found` (links_in_words') at `place(it)`: the first EACH_SAID,
    then one line for the rest (a choice of 30,000 such links was 30,000 warnings)."""
    for n, m in enumerate(found):
        if n == EACH_SAID:
            diags.add("HF0124", the_rest(len(found), "choice"), place(m))
            return
        report_raw_prose(m, place(m), diags)


def is_escaped(written: str, at: int) -> bool:
    """Whether the character at `at` of Markdown as written is backslash-escaped (an odd
    run of backslashes before it): `\\<b>` asks for the angle bracket, not a tag."""
    before = written[:at]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 1


_SHOWN_KINDS = (HTML_COMMENT, RAW_TAG, REFUSED_LINK, UNOPENED_LINK, SPACED_ADDRESS, FOOTNOTE, WIKI_LINK, OTHER_NOTE)


# What text must hold for `shown_as_typed` to find anything in it: the cheap test before it
SHOWN_MARKS = ("<", "](", "[^", "[[", "%%", "^[", "[!", "/*")


def may_be_shown_as_typed(text: str) -> bool:
    """Whether `shown_as_typed(text)` may find something: one test for every caller (a
    translation was looked at for `<`, `](` and `[^` alone, and its `[[Ufer]]` or
    `%%Notiz%%` published as typed with check clean)."""
    return any(mark in text for mark in SHOWN_MARKS)


def _other_note(text: str) -> re.Match | None:
    """OTHER_NOTE.search(text), only when `text` holds one of its marks (most prose none)."""
    return OTHER_NOTE.search(text) if ("%%" in text or "^[" in text or "[!" in text or "{" in text or "<$" in text
                                       or "/*" in text
                                       or "[TOC]" in text or "[toc]" in text) else None   # at one place, the first kind is the one said


def every_shown(bare: str, typed: Callable[[re.Match], bool] | None = None) -> list[re.Match]:
    """Every HTML comment, tag, refused link and footnote of a paragraph's text (code
    left out), in the order a reader meets them: each is a slip of its own (HF0124).
    Not one inside another said before it (a tag in a comment), nor a closing tag of
    one said (`</kbd>` after `<kbd>`: one slip); `typed` keeps a tag only when it is
    typed so (not escaped, not written as entities: stories/near_misses.py, given text
    as parsed); without it, `bare` is text as written, where `\\<b>` is escaped."""
    tags: list[re.Match] = []
    opened: set[str] = set()
    for m in RAW_TAG.finditer(bare) if "<" in bare else ():
        name = m.group(0).lstrip("</").split(None, 1)[0].rstrip("/>").lower()
        if (not typed(m) if typed is not None else is_escaped(bare, m.start())) \
                or (m.group(0).startswith("</") and name in opened):
            continue
        opened.add(name)
        tags.append(m)
    links = list(REFUSED_LINK.finditer(bare)) if refused_link(bare) is not None else []
    found, end = [], -1
    for m in sorted([*HTML_COMMENT.finditer(bare), *tags, *links, *unopened_links(bare), *spaced_addresses(bare),
                     *FOOTNOTE.finditer(bare), *(WIKI_LINK.finditer(bare) if "[[" in bare else ()),
                     *(OTHER_NOTE.finditer(bare) if _other_note(bare) else ())],
                    key=lambda m: (m.start(), _SHOWN_KINDS.index(m.re))):
        if m.start() >= end:
            found.append(m)
            end = m.end()
    return found


def typed_at(found: re.Match, line: str, start: int) -> int:
    """Where `found` (every_shown's) is typed in `line` from `start` on: a comment's
    `<!`, a link's address after `](`, a tag as typed (the typographer may have curled
    its quotes: else its `<x`); -1 when not there. A code span's text is not looked in
    (what every_shown found is outside code: `<$n>` in a code span before the `<$n>`
    said was pointed at instead)."""
    line = _outside_code(line)
    if found.re is HTML_COMMENT:
        return line.find("<!", start)
    if found.re in (FOOTNOTE, WIKI_LINK):
        return line.find(found.group(0), start)
    if found.re is OTHER_NOTE:   # its opening: a `%%` note may run over lines
        return line.find(typed_opening(found), start)
    if found.re is RAW_TAG:
        k = line.find(found.group(0), start)
        while k >= 0 and is_escaped(line, k):   # `\\<i>` before the typed `<i>`: not the one said
            k = line.find(found.group(0), k + 1)
        if k < 0 and (k := typed_tag_at(found.group(0), line[start:])) >= 0:
            k += start
        return k
    if found.re is SPACED_ADDRESS:
        return spaced_address_at(line, start, "\n" in found.group(0))
    else:
        link = next(unopened_links(line, start), None) if found.re is UNOPENED_LINK else REFUSED_LINK.search(line, start)
    return link.start("at") if link else -1


_COMMENT_CLOSE = re.compile(r"(?:--|–|—)>")


def past_comment(found: re.Match, line_of: Callable[[int], str], number: int, column: int, last: int) -> tuple[int, int]:
    """(line number, index on it) just past the close of the HTML comment `found` (an
    HTML_COMMENT match) typed at `line_of(number)`'s `column` (1-based), looked for in
    lines `number` to `last`; where it was when it has no close. What is in a comment is
    its slip (every_shown): the next one said is looked for after it, not in it (a
    `[m](a b)` in the comment took the place of the `[x](c d)` after it)."""
    if not found.group(0).endswith(">"):
        return number, column
    for n in range(number, last + 1):
        close = _COMMENT_CLOSE.search(line_of(n) or "", column + 3 if n == number else 0)
        if close:
            return n, close.end()
    return number, column


def first_of(*found: re.Match | None) -> re.Match | None:
    """The match that starts first in its text (the same text for all), or None: what a
    reader meets first is what HF0124 names. Taken by kind, a `<b>` late in a paragraph
    was named before a refused link at its start."""
    return min((m for m in found if m is not None), key=lambda m: m.start(), default=None)


def refused_link(text: str) -> re.Match | None:
    """`REFUSED_LINK.search(text)`. Each of its matches holds `](`, `<` or `]:`; a text
    holding none of them is not searched: the regex (an alternation starting with a
    line anchor) is tried at every position, ~14 µs for an 800-character paragraph,
    and a story's every paragraph is looked at (stories/near_misses.py)."""
    if "](" in text or "<" in text or "]:" in text:
        return REFUSED_LINK.search(text)
    return None


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """`text`'s paragraphs as Markdown reads them, each with the number of lines of
    `text` before it, with what is shown as code blanked: fenced blocks (``` or ~~~,
    which may hold blank lines) first, then the code spans of each paragraph (a code
    span ends with its paragraph). Taken over the whole text, a lone backtick in one
    paragraph paired with one two paragraphs on and hid the `<kbd>` between them,
    published raw with check clean; a `<b>` in a ~~~ fence (shown as code, as meant)
    was warned about."""
    lines, fence = [], ""
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            closing = line.strip()
            if closing and closing == fence[0] * len(closing) and len(closing) >= len(fence):
                fence = ""
            line = ""
        elif opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end():]):
            fence, line = opened.group(1), ""
        lines.append(line)
    found, before = [], 0
    for paragraph in _BLANK_LINE.split("\n".join(lines)):
        found.append((before, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), paragraph)))
        before += paragraph.count("\n") + 2
    return found


def report_shown_as_typed(text: str, span: Span, diags: Diagnostics, line_of: Callable[[int], str],
                          last: Callable[[], int] | None = None) -> None:
    """HF0124 at the first HTML tag or refused link of each paragraph of a prose field,
    as each paragraph of a story is said (stories/near_misses.py), on its line when one
    of the field's lines (from `span`'s on) shows it. Once per field hid the rest: a
    `background:` with a `<kbd>` in one paragraph and a footnote in the next said only
    the first, and the footnote was published raw after the writer fixed it."""
    at, column = span.line, 0   # each is looked for after the one before, in the lines as written
    images = image_labels(text)
    for before, paragraph in _paragraphs(text):
        shown = every_shown(paragraph)
        if not shown:
            continue
        if callable(last):   # the field's last line in the file (field_end), found once
            last = last()
        elif last is None:
            last = span.line + text.count("\n") + 1
        # from the paragraph's own first line when the field's lines are the text's (a
        # block scalar), so a tag in an earlier paragraph's code is not taken for it; else
        # (a folded or quoted value) from where the one before was found
        starts = [(span.line + before, 0), (at, column)] if span.line + before > at else [(at, column)]
        for n, found in enumerate(shown):
            place = span
            for first, col in starts:
                for number in range(first, last + 1):
                    k = typed_at(found, line_of(number) or "", col if number == first else 0)
                    if k >= 0:
                        place, at, column = Span(span.path, number, k + 1), number, k + 1
                        break
                if place is not span:
                    break
            if place is not span and found.re is HTML_COMMENT:
                at, column = past_comment(found, line_of, at, column, last)
            starts = [(at, column)]
            if n == EACH_SAID:   # a paragraph of 10,000 tags: the first few, then one line
                diags.add("HF0124", the_rest(len(shown), "paragraph"), place)
                break
            report_raw_prose(found, place, diags, images=images)


def _spaced_typed(found: re.Match) -> str:
    """The address with a space a SPACED_ADDRESS match `found` holds, as typed."""
    # (a line break between its words is the space: said as one, without a quote's `>`)
    address = re.sub(r"[ \t]*\n[ \t>]*", " ", f"{found.group('at')} {found.group('rest')}")
    # a title after the words (`[x](a b "t")`, `[r]: a b "t"`) is no part of the address
    return re.sub(r"(?<=\S)[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\))$", "", address)


# `![alt][label]`, `![label][]`, `![label]`: an image taking its address from a link
# definition (not `![alt](…)`, whose address is its own)
_IMAGE_REFERENCE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?:\[([^\[\]\n]*)\]|(?![(\[]))")
def image_labels(text: str) -> frozenset[str]:
    """The labels (normalised as markdown-it matches them) of the definitions images in `text` take their addresses
    from (`![map][where]`, `![where]`): such a definition markdown-it refuses
    (`[where]: C:\\maps\\x.png`) is an image's address, said as one (HF0128)."""
    if "![" not in text:
        return frozenset()
    return frozenset(normalizeReference(m.group(2) or m.group(1)) for m in _IMAGE_REFERENCE.finditer(text))


def report_raw_prose(found: re.Match, span: Span, diags: Diagnostics, written: str = "",
                     images: frozenset[str] = frozenset(), scene: bool = False) -> None:
    """HF0124 for `found` (a match of HTML_COMMENT, RAW_TAG, REFUSED_LINK, UNOPENED_LINK, FOOTNOTE or WIKI_LINK) at
    `span`, or where `written` (the lines from `span`'s, as a file has them: a PO
    msgstr's) shows it. `images`: the labels images of the same text take their
    addresses from (`image_labels`): such a definition is an image's address (HF0128).
    `scene`: `found` is in a scene's prose, where a wiki link was meant as a choice."""
    if written:
        # a link at its address, as in the story (`](` and `<` before it are not the slip)
        needle = found.group(0).split("\n", 1)[0]
        shift = min(found.start("at") - found.start(), len(needle)) if "at" in found.re.groupindex else 0
        span = _placed(span, written, needle, shift, len(needle) - shift)
    image = _IMAGE_OPEN.search(found.string, 0, found.start()) \
        if found.re in (REFUSED_LINK, UNOPENED_LINK, SPACED_ADDRESS) and found.group(0).startswith("]") else None
    if image:
        # `![map](C:\maps\x.png)`, `![map](my map.png)`: an image, not a link, whose
        # address markdown-it refused; told as a link ("link to an https:// page") the
        # writer followed the hint into HF0128. Said as every image in prose is, at its
        # `![` when that is on the address's line
        typed = _spaced_typed(found) if found.re is SPACED_ADDRESS else _typed_src(found.string[found.start():])
        before = found.string[image.start():found.start("at")]
        if "\n" not in before and span.column > len(before):
            span = Span(span.path, span.line, span.column - len(before))
        diags.add("HF0128", f"an image in prose cannot be published: '{clip(typed, 60)}'", span)
    elif images and found.re in (REFUSED_LINK, UNOPENED_LINK, SPACED_ADDRESS) \
            and (label := _DEFINITION_LABEL.match(found.group(0))) and normalizeReference(label.group(1)) in images:
        # `![map][where]` and `[where]: C:\maps\x.png`: told of a link ("link to an
        # https:// page"), the writer met HF0128 at the image once the address was one
        typed = _spaced_typed(found) if found.re is SPACED_ADDRESS \
            else found.string[found.start("at"):].split("\n", 1)[0].split()[0].strip("<>")
        diags.add("HF0128", f"an image in prose cannot be published: '{clip(typed, 60)}'", span)
    elif found.re is HTML_COMMENT:
        diags.add("HF0124", "an HTML comment in prose is published as typed: every reader sees it", span,
                  hint="Foundry's Markdown has no comments: delete the note, or keep it where readers do not go "
                       f"({kept_note(span.path)}).")
    elif found.re is FOOTNOTE:
        diags.add("HF0124", f"'{clip(found.group(0), 40)}' is a footnote, which foundry's Markdown does not have: "
                  "it is shown as typed", span,
                  hint="Put the note in the sentence, in parentheses, or in a paragraph of its own.")
    elif found.re is WIKI_LINK and found.start() and found.string[found.start() - 1] == "!":
        # `![[map.png]]`: Obsidian's embed, a picture or another note shown here, told
        # as a choice to `#scene-id` with its file name as words
        inner = found.group("words").split("|", 1)[0].strip()
        picture = bool(re.search(r"\.(?:png|jpe?g|gif|webp|svg|avif|bmp|tiff?)$", inner, re.IGNORECASE))
        diags.add("HF0124", f"'!{clip(found.group(0), 40)}' is an embed (Obsidian's), which foundry's Markdown does "
                  "not have: it is shown as typed", span,
                  hint="A picture in prose is not published (HF0128): a hero's or character's picture is its "
                       "`portrait:`; delete the embed." if picture else
                       "Foundry copies no note into another: write here the words it should show, or delete it.")
    elif found.re is WIKI_LINK:
        diags.add("HF0124", f"'{clip(found.group(0), 40)}' is a wiki link (Obsidian's, Twine's) or a note "
                  "(Fountain's), which foundry's Markdown does not have: it is shown as typed", span,
                  hint=wiki_link_hint(found.group("words"), scene))
    elif found.re is OTHER_NOTE:
        typed = found.group(0)
        if typed.startswith("%%"):
            diags.add("HF0124", "an Obsidian comment (`%%…%%`) in prose is published as typed: every reader sees it",
                      span, hint="Foundry's Markdown has no comments: delete the note, or keep it where readers do not "
                                 f"go ({kept_note(span.path)}).")
        elif typed.startswith("/*"):
            diags.add("HF0124", f"'{clip(' '.join(typed.split()), 40)}' is a boneyard (Fountain's cut text), which "
                      "foundry's Markdown does not have: every reader sees it", span, hint=_boneyard_hint(span.path))
        elif typed.startswith("{"):   # CriticMarkup
            shown, kind, hint = critic_mark(typed)
            diags.add("HF0124", f"'{clip(shown, 40)}' is {kind} in CriticMarkup (tracked changes in Ulysses, iA "
                      "Writer, Scrivener), which foundry's Markdown does not have: it is shown as typed, marks and all",
                      span, hint=hint)
        elif typed.startswith("<$"):
            picture = typed[2:5].lower() == "img"
            diags.add("HF0124", f"'{clip(typed, 40)}' is a placeholder Scrivener fills in when it compiles, which "
                      "foundry does not: it is shown as typed", span,
                      hint="A picture in prose is not published (HF0128): a hero's or character's picture is its "
                           "`portrait:`; delete the placeholder." if picture else
                           "Write what it stands for (a number, a title, a date) in its place, or delete it.")
        elif typed.lower() == "[toc]":
            diags.add("HF0124", f"'{typed}' is a table of contents as Typora writes one, which foundry's Markdown does "
                      "not have: it is shown as typed", span,
                      hint="Delete the line: foundry's Markdown makes no table of contents in prose.")
        elif typed.startswith("^["):
            diags.add("HF0124", f"'{clip(typed, 40)}' is an inline footnote (pandoc's), which foundry's Markdown does "
                      "not have: it is shown as typed", span,
                      hint="Put the note in the sentence, in parentheses, or in a paragraph of its own.")
        else:
            diags.add("HF0124", f"'{clip(typed, 40)}' is a callout (Obsidian's, GitHub's alert), which foundry's "
                      "Markdown does not have: it is shown as typed", span,
                      hint="Delete the marker: the quote (`> …`) is shown as a quote; a title for it can open its "
                           "first line in **bold**.")
    elif found.re is UNOPENED_LINK:
        address = typed_address(found) or found.group("at")
        diags.add("HF0124", f"the address '{clip(address, 40)}' does not parse as a web address: the link is shown "
                  "as typed", span,
                  hint=f"What is wrong: {address_fault(address)}. Copy the address from the browser's address bar "
                       "(a space is %20); link to an https:// page, a mailto: address or a scene (`#scene`).")
    elif found.re is SPACED_ADDRESS:
        address = _spaced_typed(found)
        diags.add("HF0124", f"the address '{clip(address, 40)}' holds a space, which ends an address: Markdown "
                  "reads no link here, and it is shown as typed", span,
                  hint=f"Write the space as %20 ({code_span(clip(address.replace(' ', '%20'), 40))})"
                       + (": an address in angle brackets holds no space." if found.group("auto") else
                          f", or put the address in angle brackets: `[…]: <{clip(address, 40)}>`." if found.group("label")
                          else f", or put the address in angle brackets: `(<{clip(address, 40)}>)`."))
    elif found.re is RAW_TAG:
        diags.add("HF0124", f"'{clip(found.group(0), 40)}' in prose is shown as typed, not as markup", span,
                  hint="Use Markdown: *emphasis*, **strong**, `code`, [words](https://…). HTML in prose is text "
                       "(for readers' safety): readers would see the angle brackets.")
    else:
        scheme = found.group("at")[:-1]
        meant = difflib.get_close_matches(scheme.lower(), sorted(ALLOWED_SCHEMES), n=1, cutoff=0.6)
        diags.add("HF0124", f"a link to a `{clip(scheme, 20)}:` address is shown as typed, not as a link", span,
                  hint=(f"Did you mean `{meant[0]}:`? " if meant else "")
                  + "Link to an https:// page, a mailto: address or a scene (`#scene`); foundry publishes no "
                    "other kind of address as a link.")


def kept_note(path: str) -> str:
    """Where a note moved out of what readers see can stay in the file at `path` (a
    project-relative path, as a Span's), for the hints of HF0124 and HF0754: "a `# comment`
    line in the YAML front matter, or the pull request". Each kind of file has its own,
    which `l10n extract` keeps in a translation: a story's front matter, a YAML file,
    foundry.toml, a PO entry's translator comment, an XLIFF unit's `<note>`, a CSV row's
    `translator_comments`; the YAML's, told in all of them, was no place in most."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    where = {"md": "a `# comment` line in the YAML front matter", "markdown": "a `# comment` line in the YAML front matter",
             "yaml": "a `# comment` line of the YAML", "yml": "a `# comment` line of the YAML",
             "toml": "a `# comment` line of foundry.toml",
             "po": "a translator's comment, a `# …` line above the entry",
             "xlf": "a `<note>` of the unit", "xliff": "a `<note>` of the unit",
             "csv": "the row's `translator_comments` cell"}.get(suffix)
    return f"{where}, or the pull request" if where else "the pull request"


def _boneyard_hint(path: str) -> str:
    """HF0124's and HF0754's hint for Fountain's boneyard (`/* cut */`) in the file at `path`."""
    return ("Foundry's Markdown has no comments: delete it, from `/*` to `*/`, or keep the cut words where "
            f"readers do not go ({kept_note(path)}).")


def critic_mark(typed: str) -> tuple[str, str, str]:
    """(the mark as the writer typed it, what kind of CriticMarkup mark it is, the hint)
    for an OTHER_NOTE match `typed` opening with `{` (`{>>a comment<<}`, `{++added++}`,
    `{--deleted--}`, the typographer's `{–deleted–}`, `{~~old~>new~~}` or the text
    read's `{ old~>new }`): one naming for prose (HF0124) and titles (HF0754)."""
    if "~>" in typed and typed[1] in "~ \t":
        old, new = (part.strip(" \t~\0") for part in typed[1:-1].split("~>", 1))
        return ("{~~" + old + "~>" + new + "~~}", "a substitution",
                f"Accept it in your editor, or write just {code_span(clip(new, 40))}." if new else
                "Accept it in your editor, or delete it with its words.")
    if typed[1] == "–":   # the typographer's dash: said as typed
        typed = "{--" + typed[2:-2] + "--}"
    inner = typed[3:-3]
    kind, hint = {">": ("a comment", "Delete the comment: foundry's Markdown has no comments (keep it in the "
                                      "pull request)."),
                  "+": ("an addition", f"Accept it in your editor, or write just {code_span(clip(inner, 40))}."),
                  }.get(typed[1], ("a deletion", "Accept it in your editor, or delete it with its words."))
    return typed, kind, hint


_FOUNTAIN_NOTE = " A note to yourself (Fountain's `[[note]]`): delete it."


def wiki_link_hint(inner: str, scene: bool, scenes: Mapping[str, str] | None = None) -> str:
    """HF0124's hint for a wiki link whose inside is `inner`: in a scene's prose
    (`scene`) the choice it was meant as (`wiki_choice_hint`) or its words alone, in a
    field its words alone or a link. `scenes`: as `wiki_choice_hint`'s."""
    words, target = _wiki_parts(inner, scenes)
    kept = code_span(clip(words, 40))
    # `[[check the colour]]`, naming no scene: as likely Fountain's note to the writer
    # (screenwriting tools hide it) as a link, and a note is deleted, not made a choice
    note = _FOUNTAIN_NOTE if target == "scene-id" else ""
    return (wiki_choice_hint(inner, scenes) + f"; as words of the scene, write just {kept}"
            if scene else f"Write just {kept}, or a link `[words](https://…)`") + "." + note


def wiki_choice_hint(inner: str, scenes: Mapping[str, str] | None = None) -> str:
    """The choice a wiki link's inside (`Follow the tracks->tracks`) was meant as, said
    as a hint's first clause: "A choice is a list item after the scene's prose: `- [Follow
    the tracks](#tracks)`" (with `#scene-id` and what to put there when the target is
    not written as an id). `scenes` (`wiki_scenes`): the story's scenes by folded title
    and id, once every one is known: a target naming one by its title (`[[The Far Bank]]`,
    as Obsidian and Twine link) is told that scene's id."""
    words, scene = _wiki_parts(inner, scenes)
    return (f"A choice is a list item after the scene's prose: {code_span('- [' + clip(words, 40) + '](#' + scene + ')')}"
            + ("" if scene != "scene-id" else ", with the id of the scene it leads to"))


def wiki_scenes(scenes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{folded title or id: id} of a story's scenes, given as (id, title's plain text):
    what a wiki link's target is looked up by (`_fold`). A title two scenes share names
    neither."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    for sid, title in scenes:
        if not sid:
            continue
        out[_fold(sid)] = sid
        key = _fold(title)
        if key in out and out[key] != sid:
            shared.add(key)
        out.setdefault(key, sid)
    ids = set(out.values())
    return {key: sid for key, sid in out.items() if key not in shared or key in ids}


def _fold(words: str) -> str:
    """`words` as a wiki link names a page: case and runs of spaces aside."""
    return " ".join(words.split()).casefold()


def _wiki_parts(inner: str, scenes: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(words, scene id) of a wiki link's inside: Twine's `Words->target` and
    `target<-Words`, `a|b` with one side written as an id (Twine's `Words|target`,
    Obsidian's `target|Words`), else the words alone (`The Lantern Path`). The id is the
    scene `scenes` (`wiki_scenes`) names by the target, else the target when it is
    written as an id (`lantern`), else `scene-id`, which the hint says to replace: a
    title is not an id."""
    words = target = inner.strip()
    if "->" in inner:
        words, target = (part.strip() for part in inner.rsplit("->", 1))
    elif "<-" in inner:
        target, words = (part.strip() for part in inner.split("<-", 1))
    elif "|" in inner:
        # whichever side is written as an id is the target (`Go down|cellar` Twine's,
        # `cellar|Go down` Obsidian's); neither or both: the words alone
        left, right = (part.strip() for part in inner.split("|", 1))
        if _ID_LIKE.fullmatch(right) and not _ID_LIKE.fullmatch(left):
            words, target = left, right
        elif _ID_LIKE.fullmatch(left) and not _ID_LIKE.fullmatch(right):
            words, target = right, left
    if scenes and "|" in inner and "->" not in inner and "<-" not in inner:
        # the side naming a scene is the target (`The Far Bank|cross`), whichever looks like an id
        left, right = (part.strip() for part in inner.split("|", 1))
        if (_fold(left) in scenes) != (_fold(right) in scenes):
            words, target = (right, left) if _fold(left) in scenes else (left, right)
    if scenes and _fold(target) in scenes:
        return words or target, scenes[_fold(target)]
    return words or target, target if _ID_LIKE.fullmatch(target) else "scene-id"


_ID_LIKE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


# `{…}` right after a link's `)` or a code span's closing backtick: markdown-it-attrs
# reads it as attributes of that link or code span.
_ATTR_BRACE = re.compile(r"(?<=[)`])\{")


def report_dropped_attrs(children: Iterable, lines: Iterable[tuple[int, str]], fallback: Span,
                         diags: Diagnostics) -> bool:
    """HF0537 (a warning) at the first `{…}` of a piece of prose (`children`: the
    markdown-it inline tokens of one paragraph or field) that the attributes syntax read
    onto a link or a code span (`[tide](https://…){.big style="…"}`), found at the first
    `){` or `` `{ `` of `lines` (number, text), else at `fallback`: only choices take
    attributes, so every output dropped them without a word. True if reported."""
    for child in children:
        extra = {k for k, v in (child.attrs or {}).items()
                 if k not in ("href", "title", "src", "alt") and not published_direction(k, v)}
        if child.type in ("link_open", "code_inline", "image") and extra:
            span = fallback
            for number, line in lines:
                m = _ATTR_BRACE.search(line)
                if m:
                    span = Span(fallback.path, number, m.start() + 1)
                    break
            what = {"link_open": "a link", "image": "an image", "code_inline": "a code span"}[child.type]
            diags.add("HF0537", f"`{{…}}` after {what} "
                      f"({clip(', '.join(sorted(extra)), 40)}) is not published: only choices take attributes", span)
            return True
    return False


# `## Early years {#early}`: the braces a scene heading takes, at the end of a heading.
_ATTR = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))"
_HEADING_ATTRS = re.compile(r"\{[ \t]*" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*[ \t]*\}[ \t]*$")
# `The fog lifts. {#dawn .quiet}`: the same braces ending a paragraph, a list item or a
# quote, as markdown-it-attrs, kramdown and Pandoc writers put them on the block. After a
# space (or alone): braces touching a link or a code span are that inline's
# (report_dropped_attrs).
_BLOCK_ATTRS = re.compile(r"(?:^|(?<=\s))" + _HEADING_ATTRS.pattern)


# The same braces anywhere in a name or title (not in a code span, not escaped): a
# title is inline Markdown, which reads no attributes, so every output shows them.
_TITLE_ATTRS = re.compile(r"(?<!\\)\{[ \t]*" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*[ \t]*\}")


def title_attrs(source: str) -> re.Match | None:
    """The first `{…}` of attributes in a name or title as written (`Rook {.big}`,
    `*Rook*{#rook}`), outside code spans; None for braces that are words (`{a, b}`)."""
    return _TITLE_ATTRS.search(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), source))


def block_attrs(content: str, heading: bool) -> re.Match | None:
    """The `{…}` of attributes ending one block of prose (`content`: its inline's source),
    which no output reads: every output shows it as typed."""
    return (_HEADING_ATTRS if heading else _BLOCK_ATTRS).search(content)


def loose_attrs(content: str) -> re.Match | None:
    """The first `{…}` of attributes inside a block of prose (`content`: its inline's
    source) that no inline took (`[直角骨]{lang=ja}`, `*word*{.x}`, `a {#b} c`): the
    attributes syntax reads braces only after a link, an image or a code span, so every
    output shows these as typed. None for braces that are words (`{a, b}`, `{coins}`),
    and for braces right after a link's, an image's or a code span's end, which are
    theirs (`report_dropped_attrs`)."""
    if "{" not in content:
        return None
    blanked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), content)
    return next((m for m in _TITLE_ATTRS.finditer(blanked) if content[m.start() - 1:m.start()] not in (")", "`")),
                None)


def report_loose_attrs(found: re.Match, lines: Iterable[tuple[int, str]], fallback: Span,
                       diags: Diagnostics) -> None:
    """HF0537 (a warning) at `found` (loose_attrs), looked for in `lines` (number, text),
    else at `fallback`: a writer who typed `[直角骨]{lang=ja}` to mark a language, or a
    class on emphasis, saw the braces on the page and check said nothing."""
    needle = found.group(0)
    at = next(((n, k) for n, line in lines if (k := line.find(needle)) >= 0), None)
    diags.add("HF0537", f"'{clip(needle, 40)}' in prose is shown as typed: only choices take attributes",
              Span(fallback.path, at[0], at[1] + 1) if at else fallback,
              hint="Braces after a link are a choice's (`{if=\"…\" do=\"…\" id=\"…\"}`), at the end of a scene "
                   "heading its id and class; anywhere else remove them, or write `\\{` to show a brace.")


def report_block_attrs(found: re.Match, heading: bool, lines: Iterable[tuple[int, str]], fallback: Span,
                       diags: Diagnostics) -> None:
    """HF0537 (a warning) at `found` (block_attrs), the braces ending a heading or a
    paragraph of prose, looked for at the end of `lines` (number, text), else at
    `fallback`: only a story's scene headings take an id or class."""
    needle = found.group(0).strip()
    at = next(((n, k) for n, line in lines if (not heading or line.lstrip().startswith("#"))
               and (k := line.rfind(needle)) >= 0), None)
    diags.add("HF0537", f"'{clip(needle, 40)}' {'after a heading' if heading else 'at the end of a paragraph'} "
              "in prose is shown as typed: only a story's scene headings take an id or class",
              Span(fallback.path, at[0], at[1] + 1) if at else fallback)


# `### Press ZQXP #`: one `#` after a space at the end of a heading opened with more is
# CommonMark's closing sequence (`### Title ###` written short), which no output shows.
# A closing run of two or more (`## The Road ##`) is the style on purpose; one `#` under
# `##`…`######` is almost always the writer's text ("Press #", "Room #").
_LONE_CLOSING_HASH = re.compile(r"(?:^|[ \t])(#)[ \t]*$")
_MARKER_AT_END = re.compile(r"[ \t]+\^l-[0-9a-z]{4,12}[ \t]*$")


def lone_closing_hash(written: str) -> int:
    """Where (0-based) the lone closing `#` of a heading's text as written (the line from
    after its opening `#`s, or a scene title before its braces) is, or -1."""
    m = _LONE_CLOSING_HASH.search(_MARKER_AT_END.sub("", written))
    return m.start(1) if m else -1


def report_lone_closing_hash(level: int, words: str, span: Span, diags: Diagnostics, written: str = "") -> None:
    """HF0179 (a warning) at `span`, the lone `#` ending a heading of `level` whose
    text, as every output shows it, is `words`; `written`: the heading's words as typed
    (Markdown), which the hint writes back (`words` when not given)."""
    opening, typed = "#" * level, clip(written or words, 40)
    escaped, closed = f"{opening} {typed} \\#", f"{opening} {typed} {opening}"
    diags.add("HF0179", f"the `#` ending heading '{clip(words, 40)}' is Markdown's closing sequence: "
              "it is shown in no output", span,
              hint=f"To show it, escape it: {code_span(escaped)}; to close the heading on purpose, "
                   f"write as many `#`s as open it ({code_span(closed)}).")


def report_heading_hashes(tokens: list, lines: list[tuple[int, str]], fallback: Span, diags: Diagnostics) -> None:
    """HF0179 at each heading of a prose field (`tokens`: its parse; `lines`: (number,
    text) of the file's lines holding it) ending in a lone closing `#`."""
    at = 0
    for before, tok in zip(tokens, tokens[1:]):
        if tok.type != "inline" or before.type != "heading_open" or not before.markup.startswith("##"):
            continue
        for i in range(at, len(lines)):
            number, line = lines[i]
            k = heading_hash_at(line, before.markup)
            if k is not None:
                at = i + 1
                if k >= 0:
                    report_lone_closing_hash(len(before.markup), tok.content, Span(fallback.path, number, k + 1), diags)
                break


_OPENING = re.compile(r"[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?(#{2,6})(?=[ \t]|$)")


def heading_hash_at(line: str, markup: str) -> int | None:
    """On `line`, a heading opened with `markup` (`###`) as typed (after indent, `>`s or
    a list marker): the column (0-based) of its lone closing `#`, -1 when it has none;
    None when the line opens no such heading."""
    opened = _OPENING.match(line)
    if not opened or opened.group(1) != markup:
        return None
    k = lone_closing_hash(line[opened.end():])
    return opened.end() + k if k >= 0 else -1


def _report_block_attrs(tokens: list, lines: list[tuple[int, str]], fallback: Span, diags: Diagnostics) -> None:
    """HF0537 at the first heading or paragraph of a prose field ending in `{…}`, or
    holding one no inline took (`loose_attrs`): only a story's scene headings take an id
    or class, so a background's `## Early years {#early}` or `She left at dawn.
    {.quiet}` showed its braces in every output."""
    for before, tok in zip(tokens, tokens[1:]):
        if tok.type != "inline" or before.type not in ("heading_open", "paragraph_open"):
            continue
        heading = before.type == "heading_open"
        m = block_attrs(tok.content, heading)
        if m:
            report_block_attrs(m, heading, lines, fallback, diags)
            return
        m = loose_attrs(tok.content)
        if m:
            report_loose_attrs(m, lines, fallback, diags)
            return


def report_cut_rows(tokens: list, text_lines: list[str], lines: list[tuple[int, str]] | None, fallback: Span,
                    diags: Diagnostics) -> None:
    """HF0172 (a warning) at the first cell not shown of each table row holding more
    cells than its header (load/markdown.py `cut_rows`): the rest of the row was
    dropped from every output. `tokens`: the parse of `text_lines` (the prose's lines);
    `lines`: (number, text) of the file's lines holding them, where each row is found
    by its text (a YAML block's lines are indented in the file, and may end in a line
    id marker the text has not), or None when the prose's line k is the file's line
    `fallback.line + k` (a story's body)."""
    rows = cut_rows(tokens, lambda k: text_lines[k] if k < len(text_lines) else "")
    after = 0
    for row in rows:
        written = text_lines[row.line] if row.line < len(text_lines) else ""
        if lines is None:
            span = Span(fallback.path, fallback.line + row.line, row.column + 1)
        else:
            at = next((i for i in range(after, len(lines)) if lines[i][1].strip().startswith(written.strip())), None)
            if at is None:
                span = fallback
            else:
                after = at + 1
                number, line = lines[at]
                indent = len(written) - len(written.lstrip())   # the row's own, in the text
                span = Span(fallback.path, number, line.find(written.strip()) - indent + row.column + 1)
        diags.add("HF0172", f"this row has {row.written} cells, its table's header {row.shown}: "
                  f"'{clip(row.dropped, 40)}' is shown in no output", span)


def report_unused_definitions(env: Mapping, text_lines: list[str], lines: list[tuple[int, str]] | None,
                              fallback: Span, diags: Diagnostics) -> None:
    """HF0174 (a warning) at each link reference definition no link uses
    (load/markdown.py `unused_definitions`: `env` is the parse's of `text_lines`):
    CommonMark shows none, so `[Guard]: Halt!`, a script's line of dialogue, was in no
    output. `lines` and `fallback` place it as `report_cut_rows` places a row."""
    unused = [(k, "", 0) for k, _ in unused_definitions("\n".join(text_lines), env)]
    said = sorted(unused + repeated_definitions(env))
    # each line said, and each repeated label's first, placed in one pass down the file
    placed = _placed_lines(sorted({k for k, _, _ in said} | {first for _, label, first in said if label}),
                           text_lines, lines, fallback)
    # a definition's title may be on the lines below it (`[Guard]: Halt` then `"Who goes
    # there?"`): each line it takes is shown nowhere, and said with it
    ends = {ref["map"][0]: ref["map"][1] for ref in [*(env.get("references") or {}).values(),
                                                     *(env.get("duplicate_refs") or ())] if ref.get("map")}
    for k, label, first in said:
        span, written = placed[k]
        taken = ends.get(k, k + 1) - k
        below = "the line" if taken == 2 else f"the {taken - 1} lines"
        lost = "the line is shown in no output" if taken <= 1 else \
            f"it and {below} below it (its title) are shown in no output"
        if not label:
            diags.add("HF0174", f"'{clip(written.strip(' >'), 40)}' is read as a link definition no link uses: {lost}",
                      span)
        else:
            typed = written.lstrip(" \t>").split("]:", 1)[0] + "]"   # the label as written, not normalised
            diags.add("HF0176", f"'{clip(written.strip(' >'), 40)}' defines the link label {clip(typed, 30)} "
                      f"again (first on line {placed[first][0].line}): Markdown keeps the first, and "
                      f"{lost.replace('the line is', 'this line is')}", span)


def report_stranded_definitions(tokens: list, text_lines: list[str], lines: list[tuple[int, str]] | None,
                                fallback: Span, diags: Diagnostics) -> None:
    """HF0180 (a warning) at each link definition typed on a paragraph's later line
    whose label a link names (load/markdown.py `stranded_definitions`; `tokens`: the
    parse of `text_lines`): no definition, so it and the link were shown as typed.
    `lines` and `fallback` place it as `report_cut_rows` places a row."""
    stranded = stranded_definitions("\n".join(text_lines), tokens)
    rest = len(stranded)
    stranded = stranded[:EACH_SAID + 1]   # the first EACH_SAID, then one line for the rest
    placed = _placed_lines([k for k, _, _ in stranded], text_lines, lines, fallback)
    for n, (k, _, _) in enumerate(stranded):
        span, written = placed[k]
        if n == EACH_SAID:
            diags.add("HF0180", the_rest(rest, "text"), span)
            break
        typed = written.lstrip(" \t>").split("]:", 1)[0] + "]"
        diags.add("HF0180", f"'{clip(written.strip(' >'), 40)}' is no link definition: it follows a line of its "
                  f"paragraph, so it and each {clip(typed, 30)} naming it are shown as typed", span)


def report_undefined_references(tokens: list, env: Mapping, text_lines: list[str],
                                lines: list[tuple[int, str]] | None, fallback: Span, diags: Diagnostics) -> None:
    """HF0181 (a warning) at each `[words][label]` whose label no definition gives
    (load/markdown.py `undefined_references`), with the defined label it likely means.
    `lines` and `fallback` place it as `report_cut_rows` places a row."""
    found = undefined_references("\n".join(text_lines), tokens, env)
    if not found:
        return
    # the first EACH_SAID, then one line for the rest: each looked up among the labels
    # defined (difflib), 10,000 of them against 10,000 definitions took minutes
    rest = len(found)
    found = found[:EACH_SAID + 1]
    placed = _placed_lines(sorted({k for k, _, _ in found}), text_lines, lines, fallback)
    # each defined label as written on its definition's line (markdown-it keeps it normalised)
    defined: dict[str, str] = {}
    for key, ref in (env.get("references") or {}).items():
        first = (ref.get("map") or [-1])[0]
        written = _DEFINITION_LABEL.match(text_lines[first]) if 0 <= first < len(text_lines) else None
        defined[key.casefold()] = written.group(1) if written else key.casefold()
    for n, (k, column, label) in enumerate(found):
        span, written = placed[k]
        if span is not fallback:   # the column in the file's line: the text's own, shifted as its indent is
            shift = span.column - 1 - (len(written) - len(written.lstrip(" \t>")))
            span = dataclasses.replace(span, column=column + shift + 1)
        if n == EACH_SAID:
            diags.add("HF0181", the_rest(rest, "text"), span)
            break
        meant = [defined[m] for m in difflib.get_close_matches(" ".join(label.casefold().split()), defined, n=1,
                                                                 cutoff=0.6)]
        diags.add("HF0181", f"no definition gives the link label [{clip(label, 30)}]: the link is shown as typed, "
                  "brackets and all", span,
                  hint=(f"Did you mean [{meant[0]}]? " if meant else "")
                  + f"Define it on a line of its own (`[{clip(label, 30)}]: https://…`), or write `\\[` to show "
                    "the brackets as typed.")


_DEFINITION_LABEL = re.compile(r"^[ \t>]*\[([^\[\]\n]+)\]:")


def _placed_lines(ks: list[int], text_lines: list[str], lines: list[tuple[int, str]] | None,
                  fallback: Span) -> dict[int, tuple[Span, str]]:
    """Where each prose line of `ks` (0-based in `text_lines`, ascending) is in its file:
    k → (span at its first character past indent and `>`, the line as written), placed
    as `report_cut_rows` places a row: the file's `lines` are walked once, from the
    line the last one was found on (linear in both however many are said)."""
    placed: dict[int, tuple[Span, str]] = {}
    after = 0
    for k in ks:
        written = text_lines[k] if k < len(text_lines) else ""
        if lines is None:
            placed[k] = Span(fallback.path, fallback.line + k, len(written) - len(written.lstrip(" \t>")) + 1), written
            continue
        at = next((i for i in range(after, len(lines)) if lines[i][1].strip().startswith(written.strip())), None)
        if at is None:
            placed[k] = fallback, written
            continue
        after = at + 1
        number, line = lines[at]
        placed[k] = Span(fallback.path, number, len(line) - len(line.lstrip(" \t>")) + 1), written
    return placed


# What makes a prose field worth parsing for a table (its delimiter row: `|---|:-:|`,
# `--|--`) or a link definition (`[label]:` starting a line): most fields hold neither.
# (each run of spaces can be taken one way only: linear on a hostile line of spaces)
# `Term`, then `: its definition` on a line of its own (PHP Markdown Extra, pandoc,
# kramdown): a definition list, which CommonMark and foundry's Markdown do not have, so
# the colon and the term run into one paragraph. In a paragraph's inline content (each
# line's indentation and a quote's `>` taken off), and as the line is written.
DEFINITION_LIST = re.compile(r"^[ \t>]*:[ \t]+\S", re.M)
_DEFINITION_TYPED = re.compile(r"^[ \t>]*(:)[ \t]+\S")


# Inline marks of other tools' Markdown that foundry's (CommonMark with GFM tables and
# `~~strikethrough~~`) does not have, shown as typed: Obsidian's and Pandoc's `==highlight==`,
# Pandoc's `~subscript~` (a strikethrough on GitHub, where one tilde strikes too) and
# `^superscript^` (neither holds a space in Pandoc). Not a lone mark (`~5`, `a == b`,
# `2^10`), nor one with a space inside its delimiters (`a ~ b ~ c`), nor a tilde between
# digits, a range as Korean, Chinese and Japanese write one (`3~5일, 10~20명`: it was
# said as a strikethrough from the first range's tilde to the next's).
FOREIGN_MARK = re.compile(r"(?<![=\\\w])==(?=[^\s=])[^=\n]{0,200}?(?<=[^\s=])==(?![=\w])"
                          r"|(?<![~\\])(?!(?<=\d)~\d)~(?=[^\s~])(?:[^~\n]{0,200}?[^\s~])?(?!(?<=\d)~\d)~(?!~)"
                          r"|(?<![\^\\])\^(?=[^\s^])[^\^\s]{1,50}\^(?!\^)"
                          # Ulysses' `::marked::`, `||deleted||` and `++inline comment++` (not C++'s `::`
                          # or `++`, whose marks touch a word: `std::map::at`, `C++/C++`; nor CriticMarkup's
                          # `{++added++}`, said as an addition)
                          r"|(?<![:\\\w])::(?=[^\s:])[^:\n]{0,200}?(?<=[^\s:])::(?![:\w])"
                          r"|(?<![|\\\w])\|\|(?=[^\s|])[^|\n]{0,200}?(?<=[^\s|])\|\|(?![|\w])"
                          r"|(?<![+\\\w{])\+\+(?=[^\s+])[^+\n]{0,200}?(?<=[^\s+])\+\+(?![+\w}])")
# The characters a FOREIGN_MARK opens with: the cheap test before it (`may_hold_foreign_mark`)
FOREIGN_OPENERS = "=~^:|+"


def may_hold_foreign_mark(text: str) -> bool:
    """Whether `text` holds a character a FOREIGN_MARK opens with: one test for every
    caller before the search (each had its own list of the marks, and a new mark was
    said where one caller let it by)."""
    return any(c in text for c in FOREIGN_OPENERS)
# What each mark is where a writer learnt it, and the fix in foundry's Markdown.
_FOREIGN = {
    "=": ("a highlight in Obsidian and Pandoc", "Write emphasis or strong for words to stand out: `*{0}*` or `**{0}**`."),
    "~": ("a subscript in Pandoc and a strikethrough on GitHub",
          "For a strikethrough write two tildes, `~~{0}~~`; for a subscript, the characters themselves (H₂O)."),
    "^": ("a superscript in Pandoc", "Write the characters themselves (mc², 1ˢᵗ), or the words plainly."),
    ":": ("a mark (a highlight) in Ulysses", "Write emphasis or strong for words to stand out: `*{0}*` or `**{0}**`."),
    "|": ("a deletion in Ulysses (a spoiler on Discord)",
          "Delete it with its words; to show the words struck through, write `~~{0}~~`."),
    "+": ("an inline comment in Ulysses", "Delete the comment: foundry's Markdown has no comments (keep it in the pull "
                                          "request); if its words belong to the text, write just `{0}`."),
}


def report_foreign_marks(text: str, lines: Iterable[tuple[int, str]], fallback: Span, diags: Diagnostics) -> bool:
    """HF0124 (a warning) at each inline mark of another tool's Markdown in `text` (one
    prose paragraph's text as read, its code spans left out), up to MAX_MARKS a
    paragraph: `==highlight==`, `~sub~`, `^sup^` were published as typed, marks and all,
    with check clean. Each said where it is typed in `lines` (number, text as written),
    after the one before. A mark the text shows but `lines` do not hold as typed is the
    characters asked for (`\\=\\=x\\=\\=`, `H\\~2\\~O`, an entity: what `foundry import`
    writes of a Twine passage's `==x==`), not said: it was, at `fallback`'s first column.
    One holding inline markup (`==**very** near==`) is looked for as typed, markup and all.
    True when something was said."""
    lines = list(lines)
    row, column, said = 0, 0, False
    for found in itertools.islice(FOREIGN_MARK.finditer(text), MAX_MARKS):
        mark = found.group(0)
        # inline markup inside the mark (`==**very** near==`, `~[x](#a)~`: "\0" in the text
        # as read) is looked for as typed, any markup in its place (`_typed_with_markup`);
        # such a mark was skipped as if its marks were escaped
        pieces = [piece for piece in mark.split("\0") if piece] if "\0" in mark else None
        span = None
        for k in range(row, len(lines)):
            start = column if k == row else 0
            if pieces is None:
                at = lines[k][1].find(mark, start)
            elif (typed := _typed_with_markup(lines[k][1], pieces, start)) is not None:
                at, mark = typed
            else:
                at = -1
            if at >= 0:
                row, column = k, at + len(mark)
                span = Span(fallback.path, lines[k][0], at + 1)
                break
        if span is None:
            continue
        what, fix = _FOREIGN[mark[0]]
        words = mark.strip(mark[0])
        line = lines[row][1]
        if mark[0] == "=" and span.column > 1 and line[span.column - 2] == "{" and line[column:column + 1] == "}":
            # CriticMarkup's `{==marked==}`: quoted with its braces, so that the hint's
            # `*marked*` written in its place leaves no `{…}` shown as typed
            mark, what = "{" + mark + "}", "a highlight in CriticMarkup (Ulysses, iA Writer, Scrivener)"
            span = Span(span.path, span.line, span.column - 1)
        diags.add("HF0124", f"`{clip(mark, 40)}` is {what}, which foundry's Markdown does not have: it is shown as "
                  "typed, marks and all", span, hint=fix.format(clip(words, 30)))
        said = True
    return said


# Marks of other tools said in one paragraph (a table of them is one slip, many times).
MAX_MARKS = 10


def _typed_with_markup(line: str, pieces: list[str], start: int) -> tuple[int, str] | None:
    """Where `pieces` (a mark's text as read, split where inline markup stood) are typed
    in `line` from `start` on, in order with anything between them: (index, the mark as
    typed), or None. Each piece is looked for once, after the one before, from the first
    place of the first: a later first place can only find the rest later, so if that
    fails all do (a regular expression of as many `.*?` took seconds on a line of twenty
    emphasised words that did not hold the mark)."""
    first = line.find(pieces[0], start)
    if first < 0:
        return None
    end = first + len(pieces[0])
    for piece in pieces[1:]:
        at = line.find(piece, end)
        if at < 0:
            return None
        end = at + len(piece)
    return first, line[first:end]


def first_typed(pattern: re.Pattern, lines: Iterable[tuple[int, str]], fallback: Span) -> Span:
    """Where `pattern`'s group 1 is typed at the start of the first of `lines` (number,
    text as written) that it matches, else `fallback`; an iterator is read up to there."""
    for number, line in lines:
        if found := pattern.match(line):
            return Span(fallback.path, number, found.start(1) + 1)
    return fallback


def report_definition_list(content: str, lines: Iterable[tuple[int, str]], fallback: Span, diags: Diagnostics) -> int:
    """HF0124 (a warning) when a line of `content`, one paragraph's inline content,
    starts with `: ` (a definition list's definition), at the first line of `lines`
    (number, text as written) that does, else at `fallback`: once a paragraph (a list of
    a hundred terms is one slip). The line number said, or 0 when nothing was. `lines`
    may be an iterator shared by a field's paragraphs: read up to the line said."""
    if ":" not in content or not DEFINITION_LIST.search(content):
        return 0
    span = first_typed(_DEFINITION_TYPED, lines, fallback)
    diags.add("HF0124", "a line starting with `: ` is a definition list, which foundry's Markdown does not have: "
              "the term and the colon are shown as typed in one paragraph", span,
              hint="Write the term in bold with its definition after it (`**Term**: definition`), or make a list "
                   "of them (`- **Term**: definition`).")
    return span.line


# `- [ ] to do`, `- [x] done` (GitHub's, Obsidian's task lists): foundry's Markdown has no
# checkboxes, so the brackets were shown as typed in every output, check clean. The
# item's words as read start with the box; as typed, a list marker (any quote's `>` and
# indentation before it) then the box.
TASK_BOX = re.compile(r"^\[[ xX]\](?=[ \t]|$)")
_TASK_TYPED = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(\[[ xX]\])(?=[ \t]|$)", re.M)


def report_task_box(content: str, lines: Iterable[tuple[int, str]], fallback: Span, diags: Diagnostics) -> int:
    """HF0124 (a warning) when `content`, the inline content of a list item's first
    paragraph, starts with a task list's box (`[ ]`, `[x]`), at the first line of `lines`
    (number, text as written) holding a list item that does, else at `fallback`. The
    caller says it once a list (a list of twenty tasks is one slip). The line number
    said, or 0 when nothing was. `lines` may be an iterator shared by a field's items."""
    if not TASK_BOX.match(content):
        return 0
    span = first_typed(_TASK_TYPED, lines, fallback)
    diags.add("HF0124", f"`{content[:3]}` starting a list item is a task list's checkbox, which foundry's Markdown "
              "does not have: the brackets are shown as typed", span,
              hint="Write the item's words alone (`- Find the rope`), or say its state in words "
                   "(`- Find the rope (done)`); a box to tick can be the character itself: `- ☐ Find the rope`, "
                   "`- ☑ Find the rope`.")
    return span.line


def _report_task_lists(tokens: list, lines: list[tuple[int, str]], fallback: Span, diags: Diagnostics) -> None:
    """report_task_box for each outermost list of a prose field's `tokens` (markdown-it's
    block tokens), once a list: at its first item whose words start with a box, looked
    for in `lines` (the field's (number, text) in the file, its first the field's first
    line) from the list's own first line on."""
    depth, said, start = 0, False, 0
    for before, tok in zip([None, None, *tokens], tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if not depth:
                said, start = False, tok.map[0] if tok.map else 0
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline" and depth and not said and before is not None and before.type == "list_item_open":
            said = bool(report_task_box(tok.content, lines[start:], fallback, diags))


_DELIMITER_ROW = re.compile(r"^[ \t>]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*(?::?-+:?[ \t]*)?)*$", re.M)
_DEFINITION_LINE = re.compile(r"^[ \t>]*\[[^\]\n]+\]:", re.M)

# `[](https://…)`, `[ ](…)`: a link's opening as typed when its words are empty.
_EMPTY_LINK = re.compile(r"(?<![!\\])\[[ \t]*\]\(")


def report_empty_links(children: list, lines: Iterable[tuple[int, str]], fallback: Span, diags: Diagnostics) -> None:
    """HF0175 (a warning) at each link of one prose inline (`children`: markdown-it's
    inline tokens) with no words: the site drew an empty <a> no reader can see or
    follow (nor a screen reader name), and every text output showed nothing, the
    address written nowhere. Found at the successive `[](` of `lines` (number, text)."""
    empty, words, inside = 0, "", False
    for tok in children:
        if tok.type == "link_open" and tok.markup != "autolink":
            inside, words = True, ""
        elif tok.type == "link_close" and inside:
            inside = False
            empty += not words.strip()
        elif inside:
            words += tok.content if tok.type in ("text", "code_inline", "image") else ""
    if not empty:
        return
    places = [(number, m.start()) for number, line in lines for m in _EMPTY_LINK.finditer(line)]
    for k in range(empty):
        span = Span(fallback.path, places[k][0], places[k][1] + 1) if k < len(places) else fallback
        diags.add("HF0175", "a link with no words is shown as nothing: readers can neither see nor follow it", span)


def report_translated_empty_links(target: str, source: str, span: Span, written: str, diags: Diagnostics) -> None:
    """HF0175 at each link with no words of a translated line of prose (`target`) whose
    `source` has none: the translation is shown as the source is, so `Siehe
    [](https://…) Karte.` drew an empty <a> in the translated site, said of the source
    and not of the translation. `span`: where the translation starts; `written`: its
    lines as the file has them, from `span`'s line."""
    if "](" not in target or not _EMPTY_LINK.search(target) or _EMPTY_LINK.search(source):
        return
    children = [child for tok in markdown().parse(target) if tok.type == "inline" for child in tok.children or []]
    lines = [(span.line + k, line) for k, line in enumerate(written.split("\n"))] if written else []
    report_empty_links(children, lines, span, diags)


# A PO file's line of a translation as written: `msgstr "…"` or a continuation `"…\n"`.
_PO_LINE = re.compile(r'(\s*(?:msgstr(?:\[\d+\])?[ \t]+)?")(.*?)(?:\\n)?"[ \t]*$')


def report_translated_blocks(target: str, source: str, span: Span, written: str, diags: Diagnostics) -> None:
    """HF0172, HF0174 and HF0179 in a translated paragraph of a YAML prose field or a summary,
    which is shown as a block of Markdown as its source is: a translated table row
    wider than its header lost its last cells, and a translated line read as a link
    definition (`[Wache]: Halt!`) was gone from the translated site, each said of a
    source only. Not said when the source has the same slip (said there). `span`:
    where the translation starts; `written`: its lines as the file has them (a PO
    file's quoting taken off each, so a row is found on its line; else at `span`)."""
    hashes = _HEADING_WITH_HASH.search(target) is not None and _HEADING_WITH_HASH.search(source) is None
    if not (_DELIMITER_ROW.search(target) or _DEFINITION_LINE.search(target) or hashes):
        return
    lines = []
    for k, line in enumerate(written.split("\n") if written else ()):
        m = _PO_LINE.match(line)
        lines.append((span.line + k, " " * len(m.group(1)) + m.group(2) if m else line))
    env: dict = {}
    tokens = markdown().parse(target, env)
    text_lines = target.split("\n")
    mine: dict = {}
    theirs = markdown().parse(source, mine)
    if not cut_rows(theirs, lambda k, own=source.split("\n"): own[k] if k < len(own) else ""):
        report_cut_rows(tokens, text_lines, lines or None, span, diags)
    if env.get("references") and not mine.get("references"):
        report_unused_definitions(env, text_lines, lines or None, span, diags)
    if hashes:
        report_heading_hashes(tokens, lines or [(span.line, "")], span, diags)


def report_images(images: list, lines: Iterable[tuple[int, str]], fallback: Span, diags: Diagnostics) -> None:
    """HF0128 (an error) at each image of a piece of prose (`images`: markdown-it
    `image` tokens, in order), found at the successive `![` of `lines` (number, text).

    No output can show an image written in prose: the books refuse it (their fetcher
    serves only portraits and theme files: HF0704 at build time, with no line), an EPUB
    naming a remote image is invalid, and the site would have readers' browsers load
    it from wherever it points (a path under content/ is not published at all). So
    `check` says so at the image, as `build` would refuse it."""
    places = [(number, k, line[k:end]) for number, line in lines   # each `![` up to the next
              for k, end in _segments(line, "![")]
    for image in images:
        src = str(image.attrs.get("src", ""))
        found = _image_place(places, image)
        if found is not None:
            places = places[places.index(found) + 1:]
        span = Span(fallback.path, found[0], found[1] + 1) if found is not None else fallback
        # the address as typed (markdown-it's is %-encoded, its `\` escapes undone:
        # `..\assets\map.png` was said as '..%5Cassets%5Cmap.png')
        typed = _typed_src(found[2][2 + len(image.content):]) if found is not None and \
            found[2][2:2 + len(image.content)] == image.content else ""
        diags.add("HF0128", f"an image in prose cannot be published: '{clip(typed or src, 60)}'", span)


# the `![…` an image's `](` closes (a label of one line, brackets one level deep)
_IMAGE_OPEN = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\Z")
# an inline image's or link's address as typed, from its `](`: up to a space or its `)`
_TYPED_SRC = re.compile(r"\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))+)")


def _typed_src(text: str) -> str:
    """The address as typed in `text`, which opens at an image's `](` (`""` if none)."""
    m = _TYPED_SRC.match(text)
    return m.group(1).strip("<>") if m else ""


def _image_place(places: list[tuple[int, int, str]], image) -> tuple[int, int, str] | None:
    """The place (line number, column, text from its `![`) of `places` that is the
    markdown-it `image`'s own `![`: the next that opens with its alt text as written
    (`image.content`) and, written inline, holds its address (a refused address,
    `![x](file:///…)`, makes no image, so its `![` is passed over); else the next with
    its alt text (an address the parser rewrote, `<a b.png>`), else the next holding its
    address (an alt text over lines), else the next. A reference-style image holds no
    address where it is written: matched by the address alone, `![a][m]` before
    `![b](same address)` took the second's place and the second fell back to the
    field's first line."""
    src, head = str(image.attrs.get("src", "")), "![" + str(image.content) + "]"
    ours = [p for p in places if p[2].startswith(head)]
    return (next((p for p in ours if p[2][len(head):len(head) + 1] != "(" or "](" + src[:40] in p[2]), None)
            or next(iter(ours), None) or next((p for p in places if "](" + src[:40] in p[2]), None)
            or (places[0] if places else None))


def _segments(line: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of `needle` in `line`, up to the next one."""
    starts, k = [], line.find(needle)
    while k >= 0:
        starts.append(k)
        k = line.find(needle, k + len(needle))
    return list(zip(starts, starts[1:] + [len(line)]))


def plain_rule_labels(section: str, model: M, positions: Any, diags: Diagnostics,
                      line_of: Callable[[int], str] | None = None) -> tuple[M, dict[Loc, str]]:
    """A validated rule file (`section` of RULE_LABELS) with its labels as plain text,
    and each label with markup as written, by path (a translator is given that);
    HF0536 at a label holding an HTML tag, HF0123 at a link, HF0537 at attribute braces
    (`positions.value(loc)` gives the label's span, `line_of` its file's lines: each is
    said where it is typed, not at the label's start)."""
    html: dict[Loc, str] = {}
    plain = model
    for pattern in RULE_LABELS.get(section, ()):
        plain = _apply(plain, pattern.split("."), (), html)
    for pattern in RULE_LABELS.get(section, ()):
        for loc, written in _strings(model, pattern.split("."), ()):
            if loc in html or may_slip(written):   # markup, braces, a marker, another tool's mark (else plain)
                span = positions.value(loc)
                report_tags(written, span, diags, (lambda: line_of(span.line)) if line_of else "",
                            where=_LABEL_OF.get(loc[0], "a label") + f"'s {loc[-1]}")
                if loc in html:
                    report_wordless(written, span, diags, _LABEL_OF.get(loc[0], "a label").split(" ", 1)[1]
                                    + f"'s {loc[-1]}")
    return plain, {loc: _at(model, loc) for loc in html}


# What a rule file's labels belong to, for a diagnostic's words ("a skill's description":
# it said 'in a name or title' of a description)
_LABEL_OF: Mapping[str, str] = MappingProxyType({
    "attributes": "an attribute", "derived": "a derived stat", "skills": "a skill", "kinds": "a relationship kind"})


# What to do with a link typed in a title, by the kind of text (report_tags' `where`):
# each names the writer's thing (a choice is no title; it is a link already).
_LINK_HINTS: Mapping[str, str] = MappingProxyType({
    "a choice": "A choice is a link to its scene already: keep the words, and put this link in the scene's "
                "prose.",
    "a translated choice": "A choice is a link to its scene already: translate its words only, and put this "
                           "link in the translation of the scene's prose.",
    "": "A title is never a link (headings, lists, books, ink): keep the words, and put the link in the prose "
        "below or make it a choice.",
    # a relationship's note, in the source and in a translation: words beside the tie
    "a relationship's note": "A relationship's note is shown as words only (beside the relationship on pages and "
                             "sheets): keep the words, and put the link in a background's prose.",
    "a translated relationship's note": "A relationship's note is shown as words only (beside the relationship on "
                                        "pages and sheets): translate its words only, and put the link in the "
                                        "translation of a background's prose.",
    # a rule's description, the world's description: a line of words under a name
    "description": "A description is shown as words only (a line under its name, a book's cover): keep the words, "
                   "and put the link in a story's or a background's prose.",
})


# A field of INLINE_FIELDS in a diagnostic's words, where its kind's name is not its owner's.
_FIELD_OF: Mapping[str, str] = MappingProxyType({"note": "relationship's note", "text": "objective's text"})


def report_wordless(source: str, span: Span | Callable[[], Span], diags: Diagnostics,
                    where: str = "name or title") -> None:
    """HF0173 (an error) at a name or title whose inline Markdown shows no words
    (`name: "![](rook.png)"`: an image in a title is dropped, HF0123): every output
    fell back to the characters typed, `![](rook.png)` as the hero's name, the very
    markup the writer meant not to be read. A scene heading says it as HF0538.
    `span` may be a function giving it, called only when this is said."""
    if source.strip() and not is_plain_title(source) and not title_forms(source)[0].strip():
        diags.add("HF0173", f"this {where} shows no words: '{clip(source, 40)}' would be published as typed",
                  span() if callable(span) else span)


def report_tags(source: str, span: Span | Callable[[], Span], diags: Diagnostics, line: str | Callable[[], str] = "",
                where: str = "a name or title", said: Iterable[str] = (), references: Mapping | None = None,
                as_prose: bool = False, markers: bool = True) -> None:
    """HF0536 when a title as written (inline Markdown) holds an HTML tag: at the tag
    when `line` (the source line `span` is on) shows it, else at `span`; HF0123 at a
    link's address (its words are kept, the link dropped); HF0537 at attribute braces
    (`{.big}`, `{#id}`: a title reads none, so they show as typed). `where` names the
    kind of text (a choice's is shown as typed too). `line` may be a function giving the
    line, called only when there is a tag or a link: a file settled by its hash is
    not read for a line no diagnostic shows (load/files.py SourceFile.settled). `said`:
    braces already said as another slip (a translation's added placeholder, HF1107),
    not said twice. `as_prose`: the text is read by prose's parser (a choice's words),
    where a link to an address prose refuses is no link, its words and address shown as
    typed: HF0124, said by the caller, not also "dropped" (HF0123). `span` may be a
    function giving it, called only when something is said (as `line`): a YAML file's
    span decodes its positions, for nothing when the title is clean. HF0759 at a
    heading's `#`s or a quote's `>` starting it (`block_marker`); `markers=False` when
    the caller says that slip otherwise (a translation's, HF1107)."""
    # each `{…}` and each link: two pairs of braces (or two links) are two slips, both shown
    # as typed, so each is said at its own place (the second was left for the next check)
    braces = list(_TITLE_ATTRS.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), source))) \
        if "{" in source else []
    if braces:
        line = line() if callable(line) else line
        span = span() if callable(span) else span
        said = set(said)
        for place in _placed_each(span, _outside_code(line), [b.group(0) for b in braces], source):
            group = braces.pop(0).group(0)
            if group in said:
                continue
            diags.add("HF0537", f"'{clip(group, 40)}' in {where} is shown as typed: "
                      "only a story's scene headings take an id or class", place,
                      hint="Remove the braces; emphasis is `*word*` or `**word**`. A scene's id and `.ending` go "
                           "in the braces ending its `##` heading.")
    links = title_links(source, references)   # (a scene heading's `[Path][p]` too: `references`, its story's)
    if links:
        line = line() if callable(line) else line
        span = span() if callable(span) else span
        # each at its own `](address` when written so: a `](` that is no link before it
        # (`[da](a b)`, `[x](htps://y)`: shown as typed) took its place
        lookup = _outside_code(line)
        # a reference-style link (`[Path][p]`, `[p][]`, `[p]`) has no `](`: at its own
        # brackets, in turn (it was said at the heading's first column)
        for (link, alt), place in zip(links, _link_places(span, lookup, [target for target, _ in links], references)):
            if alt is not None:   # an image: its alt text is what every output shows
                shown = f"only its alt text '{clip(alt, 40)}' is shown" if alt.strip() else "nothing is shown for it"
                diags.add("HF0123", f"the image '{clip(link, 40)}' in {where} is dropped: {shown}", place,
                          hint=f"Foundry publishes no image but a hero's or character's `portrait:`: in {where}, "
                               f"write the words you want shown in place of `![…]({clip(link, 40)})`.")
            elif not as_prose or _safe_link(link):
                diags.add("HF0123", f"the link to '{clip(link, 40)}' in {where} is dropped: only its words are shown",
                          place, hint=_LINK_HINTS.get(where, _LINK_HINTS["description" if where.endswith("description")
                                                                         else ""]))
    if not as_prose and ("](" in source or "<" in source):
        _report_spaced_links(source, span, line, where, diags)
    tags = title_tags(source)
    if tags:
        # each tag at its place (the first alone hid `<i>` after `<b>…</b>` until the next
        # check); a closing tag of one said is that one slip
        line = line() if callable(line) else line
        span = span() if callable(span) else span
        opened: set[str] = set()
        slips = []
        for tag, place in zip(tags, _placed_each(span, _outside_code(line), tags, source)):
            name = tag.lstrip("</").split(None, 1)[0].rstrip("/>").lower()
            if tag.startswith("</") and name in opened:
                continue
            opened.add(name)
            slips.append((tag, place))
        for n, (tag, place) in enumerate(slips):
            if n == EACH_SAID:   # a text of 10,000 tags: the first few, then one line
                diags.add("HF0536", the_rest(len(slips), "text"), place)
                break
            diags.add("HF0536", f"'{clip(tag, 40)}' in {where} is shown as typed, not as markup", place,
                      hint="Use Markdown: *emphasis*, **strong**, `code`. HTML in names, titles and choices is text "
                           "(for readers' safety): readers would see the angle brackets.")
    if markers and (marker := block_marker(source)) is not None:
        line = line() if callable(line) else line
        span = span() if callable(span) else span
        # at the marker of the title as typed, not at a scene heading's own `##` before it
        diags.add("HF0759", f"'{marker.group(1)}' starting {where} is shown as typed: a heading's or quote's "
                  f"marker means nothing in one line of inline Markdown",
                  _placed(span, _outside_code(line), source[marker.start(1):].split("\n", 1)[0][:40],
                          length=len(marker.group(1))))
    for note in title_notes(source) if may_hold_note(source) else ():
        line = line() if callable(line) else line
        span = span() if callable(span) else span
        what, hint = _note_named(note, span.path)
        diags.add("HF0754", f"{what} in {where} is shown as typed: every reader sees it",
                  _placed(span, _outside_code(line), note.group(0).split("\n", 1)[0]), hint=hint)
    if may_hold_foreign_mark(source):
        report_title_marks(source, span, line, where, diags)


def _asked(span: Span | Callable[[], Span], line: str | Callable[[], str]) -> tuple[Span, str]:
    """`span` and `line` as `report_tags` takes them (each may be a function, called only
    when something is said), the line with its code spans blanked to look in."""
    return (span() if callable(span) else span), _outside_code(line() if callable(line) else line)


def _report_spaced_links(source: str, span: Span | Callable[[], Span], line: str | Callable[[], str],
                         where: str, diags: Diagnostics) -> None:
    """HF0123 at each link of a title written with a space in its address (`## See
    [the map](old map.png)`, `<https://ex.org/a b>`), outside code spans: Markdown reads
    no link there, so every output showed the brackets and the address as typed, check
    clean, where the same in prose is HF0124 and a link that parses is HF0123 (dropped,
    its words kept). Said at the address, the first EACH_SAID of a title."""
    found = list(itertools.islice(spaced_addresses(_outside_code(source)), EACH_SAID))
    place, lookup = _asked(span, line) if found else (None, "")
    for m in found:
        at = m.start("at") - m.start()
        place = _placed(place, lookup, m.group(0), shift=at, length=len(m.group("at")))
        address = clip(f"{m.group('at')} {m.group('rest')}", 40)
        diags.add("HF0123", f"the link to '{address}' in {where} is shown as typed, brackets and all: a space ends "
                  "an address, so Markdown reads no link here", place,
                  hint=_LINK_HINTS.get(where, _LINK_HINTS["description" if where.endswith("description") else ""]))
        place = dataclasses.replace(place, column=place.column + 1)


def title_marks(source: str) -> list[re.Match]:
    """The inline marks of other tools' Markdown (FOREIGN_MARK: `==x==`, `~x~`, `^x^`) in a
    title as written, outside its code spans, the first MAX_MARKS."""
    if not may_hold_foreign_mark(source):
        return []
    return list(itertools.islice(FOREIGN_MARK.finditer(_outside_code(source)), MAX_MARKS))


def report_title_marks(source: str, span: Span | Callable[[], Span], line: str | Callable[[], str],
                        where: str, diags: Diagnostics) -> None:
    """HF0754 at each inline mark of another tool's Markdown in a title as written
    (or one line of a choice's words wrapped over lines)
    (`## The ==Lantern== Path`, `name: H~2~O`, `^2^`), outside its code spans: prose
    says them (HF0124, report_foreign_marks) but a title, a heading or a choice was
    published with them as typed in every output, check clean. Said as prose says them,
    up to MAX_MARKS a title, each after the one before."""
    found = title_marks(source)
    place, lookup = _asked(span, line) if found else (None, "")
    for found_mark in found:
        mark = found_mark.group(0)
        what, fix = _FOREIGN[mark[0]]
        words = mark.strip(mark[0])
        if mark[0] == "=" and source[found_mark.start() - 1:found_mark.start()] == "{" \
                and source[found_mark.end():found_mark.end() + 1] == "}":
            # CriticMarkup's `{==marked==}`, as prose says it: with its braces, so that the
            # hint's `*marked*` written in its place leaves no `{…}` shown as typed
            mark, what = "{" + mark + "}", "a highlight in CriticMarkup (Ulysses, iA Writer, Scrivener)"
        place = _placed(place, lookup, mark)
        diags.add("HF0754", f"`{clip(mark, 40)}` in {where} is {what}, which foundry's Markdown does not have: "
                  "it is shown as typed, marks and all", place, hint=fix.format(clip(words, 30)))
        place = dataclasses.replace(place, column=place.column + len(mark))


# `# Rook`, `## The Gate`, `> Quote` typed at a title's start: a heading's or quote's
# marker, which a title (one line of inline Markdown) does not read, so every output
# showed it as typed (`## ## Tracks in the Mud {#tracks}`: "## Tracks in the Mud"), with
# check clean. `#1`, `#hashtag` (no space after it) and `\#` (escaped) are words, and
# a `>` before a number is "more than" (`> 9000`, a title shown as meant: it was told
# to escape its sign, and a translation `> 9000 Spuren` was an error, HF1107).
_BLOCK_MARKER = re.compile(r"[ \t]*(#{1,6}|>(?![ \t]+[0-9]))(?=[ \t]|$)")


def may_slip(written: str) -> bool:
    """Whether a title as written may hold something `report_tags` says (a tag, a link or
    an image, braces, a note, another tool's inline mark, a block's marker): the one
    cheap test its callers ask before it, so what one kind of title is told each is
    (the marks of other tools were said in none, as no caller's own test let them by)."""
    return ("<" in written or "](" in written or "{" in written or "[^" in written or "![" in written
            or may_hold_note(written)
            or (may_hold_foreign_mark(written) and FOREIGN_MARK.search(written) is not None)
            or block_marker(written) is not None)


def block_marker(source: str) -> re.Match | None:
    """The heading's `#`s or the quote's `>` starting `source` (a title as written, after
    any spaces: `" # Rook"` shows as "# Rook"), or None: group 1 is the marker. Cheap
    (a look at the first character) for the callers' test of whether a title needs
    `report_tags` at all: one test, so a title with a space before its marker is not
    passed over there while its translation is HF1107."""
    return _BLOCK_MARKER.match(source) if source[:1] in "#> \t" and source else None


# What a title must hold for `title_notes` to find anything in it: the cheap test before it
_NOTE_MARKS = ("<!", "[^", "<$", "{", "[[", "%%", "^[", "/*")


def may_hold_note(source: str) -> bool:
    """Whether `title_notes(source)` may find something: one test for every caller."""
    return any(mark in source for mark in _NOTE_MARKS)


def title_notes(source: str) -> list[re.Match]:
    """The notes written in a title, outside its code spans and not escaped (`\\<!--`,
    `\\[^1]` ask for the characters): HTML comments (`<!-- check the spelling -->`),
    footnotes (`[^1]`, `^[x]`), Scrivener's placeholders, CriticMarkup's tracked changes
    (`{~~old~>new~~}`, `{>>a comment<<}`), Obsidian's `%%comment%%`, Fountain's
    boneyard `/* cut */` and `[[note]]` (or a wiki link). A title is inline Markdown with
    HTML off, which has none, so every output showed them as typed, with check clean
    (prose says them as HF0124): one list, what prose says, so a kind prose knows is
    never passed over in a title. A quote's callout and a table of contents (whole
    lines of prose) are no title's."""
    bare = _outside_code(source)
    found = [*HTML_COMMENT.finditer(bare), *FOOTNOTE.finditer(bare), *WIKI_LINK.finditer(bare),
             *(m for m in OTHER_NOTE.finditer(bare) if not m.group(0).lstrip(" \t>").startswith("["))]
    notes, end = [], -1
    for m in sorted((m for m in found if (len(bare[:m.start()]) - len(bare[:m.start()].rstrip("\\"))) % 2 == 0),
                    key=lambda m: m.start()):
        if m.start() >= end:   # a footnote in a comment is the comment's slip
            notes.append(m)
            end = m.end()
    return notes


def _note_named(note: re.Match, path: str) -> tuple[str, str | None]:
    """(what a note `title_notes` found is, as HF0754's message names it; its hint, for a
    title in the file at `path`)."""
    typed = note.group(0)
    if note.re is HTML_COMMENT:
        return "an HTML comment", None
    if note.re is FOOTNOTE:
        return f"'{clip(typed, 40)}', a footnote,", None
    if note.re is WIKI_LINK:
        return (f"'{clip(typed, 40)}', a wiki link (Obsidian's, Twine's) or a note (Fountain's),",
                f"Write just {code_span(clip(_wiki_parts(note.group('words'))[0], 40))}.{_FOUNTAIN_NOTE}")
    if typed.startswith("<$"):
        return f"'{clip(typed, 40)}', a placeholder Scrivener fills in when it compiles,", None
    if typed.startswith("{"):
        shown, kind, hint = critic_mark(typed)
        return f"'{clip(shown, 40)}', {kind} in CriticMarkup (tracked changes in Ulysses, iA Writer, Scrivener),", hint
    if typed.startswith("/*"):
        return f"'{clip(' '.join(typed.split()), 40)}', a boneyard (Fountain's cut text),", _boneyard_hint(path)
    if typed.startswith("^["):
        return (f"'{clip(typed, 40)}', an inline footnote (pandoc's),",
                "Delete it, or put the note in the prose.")
    return (f"'{clip(typed, 40)}', an Obsidian comment,", "Delete it: foundry's Markdown has no comments (keep the "
            f"note in {kept_note(path)}).")


def _outside_code(lines: str) -> str:
    """`lines` with each code span's characters blanked (its line breaks kept, so places
    stay): braces, a link or a tag written in a title are found outside code spans
    (`title_attrs`, `title_links`, `title_tags`), and a search of the written line that
    met the same text inside a code span first pointed at the code."""
    if "`" not in lines:
        return lines
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), lines)


def placed(span: Span, lines: str, needle: str) -> Span:
    """Where `needle` is in `lines` (the text from `span`'s line on, as a file has it),
    looked for from `span`'s column; `span` itself when it is not there."""
    return _placed(span, lines, needle)


# `[words][label]`, `[label][]` or `[label]` as written (no `(` after it: an inline link);
# its words may hold an image (`[![map](m.png)][p]`, `[![map][m]][p]`: a link may, as no
# other brackets it may: `[a [b] c][p]` with `[b]` defined is the link [b], then [p])
_BRACKETED = r"(?:[^\[\]\\]|\\.)*"
_IMAGE = rf"!\[{_BRACKETED}\](?:\((?:[^()\\]|\\.)*\)|\[{_BRACKETED}\])?"
_REFERENCE_LINK = re.compile(rf"!?\[((?:[^\[\]\\]|\\.|{_IMAGE})*)\](?:\[({_BRACKETED})\])?(?!\()")


def _reference_links(lookup: str, references: Mapping, offset: int = 0) -> list[tuple[int, str]]:
    """Each reference-style link or image in `lookup` (a title's lines as written) whose
    label `references` defines: (where it starts, plus `offset`; as written), in the order
    each opens (a link before an image it holds)."""
    out = []
    for m in _REFERENCE_LINK.finditer(lookup):
        label = m.group(2) if m.group(2) else m.group(1)
        if normalizeReference(label) in references:
            out.append((offset + m.start(), m.group(0)))
        if "![" in m.group(1):   # an image the link's words hold
            out += _reference_links(m.group(1), references, offset + m.start(1))
    return out


def _link_places(span: Span, lookup: str, targets: list[str], references: Mapping | None) -> list[Span]:
    """Where each link of a title is (its `targets`, in the parser's order: by where
    each opens), in `lookup` (its lines as written, code blanked): an inline link at its
    own `(address)` (at a `](` when the address is written otherwise, `<x>`), a
    reference-style one (`[Path][p]`, `[p][]`, `[p]`: no `](`) at its brackets; `span`
    for one not found. Each is whichever of the two opens first after the one before
    it opened: a reference link to the address of an inline link after it (`[b][x] and
    [a](x)`) took that link's address, and a link holding an image (`[![a][f]](x)`)
    is met before the image it holds, though its `](` comes after it."""
    written = _reference_links(lookup, references) if references else []
    places, used, after, n = [], set(), max(span.column - 1, 0), 0
    for target in targets:
        inline = _inline_link(lookup, f"]({target}", after, used)
        if inline is None:
            inline = _inline_link(lookup, "](", after, used)
        while n < len(written) and written[n][0] < after:   # `after` only grows: one pass over them
            n += 1
        if n < len(written) and (inline is None or written[n][0] < inline[1]):
            at, text = written[n]
            places.append(_span_at(span, lookup, at, len(text)))
            after = at + 1
        elif inline is not None:
            used.add(inline[0])
            places.append(_span_at(span, lookup, inline[0] + 1, len(f"({target})")))
            after = inline[1] + 1
        else:
            places.append(span)
    return places


def _inline_link(lookup: str, needle: str, after: int, used: set[int]) -> tuple[int, int] | None:
    """The first `needle` (a `](` and what follows it) in `lookup` from `after` on that no
    link took yet (`used`): (where it is, where its link's `[` opens), or None."""
    at, _ = _find(lookup, needle, after)
    while at in used:
        at, _ = _find(lookup, needle, at + 1)
    if at < 0:
        return None
    depth, opens = 0, at
    for i in range(at, -1, -1):   # back to the `[` this `]` closes (escaped brackets are text)
        if lookup[i] in "[]" and not is_escaped(lookup, i):
            depth += 1 if lookup[i] == "]" else -1
            if depth == 0:
                opens = i
                break
    return at, opens


def _placed_each(span: Span, lines: str, needles: list[str], value: str = "") -> list[Span]:
    """Where each of `needles` is in `lines` (as `_placed`), each looked for after the
    one before it; `span` for one that is not there. With `value` (the text as read)
    and a span carrying the value's layout (a folded `title: >`, a quoted value wrapped
    over lines), each is placed through the layout (`Span.shifted`): searched for in
    the file's lines, a tag or braces split over two lines was not found there and
    was said at the value's start."""
    if value and span.layout:
        placed, after = [], 0
        for needle in needles:
            at = value.find(needle, after)
            if at < 0:
                return _placed_each(span, lines, needles)
            after = at + len(needle)
            placed.append(span.shifted(at, len(needle)))
        return placed
    places, after = [], max(span.column - 1, 0)
    for needle in needles:
        at, written = _find(lines, needle, after)
        if at < 0:
            places.append(span)
            continue
        after = at + len(written)
        places.append(_span_at(span, lines, at, len(written)))
    return places


def _span_at(span: Span, lines: str, at: int, length: int) -> Span:
    """`span` moved to the character `at` of `lines` (the text from `span`'s line on),
    `length` characters long."""
    column = at - (lines.rfind("\n", 0, at) + 1) + 1
    return dataclasses.replace(span, line=span.line + lines.count("\n", 0, at), column=column,
                               end_column=column + length)


def _find(lines: str, needle: str, after: int) -> tuple[int, str]:
    """Where `needle` (text as read) is in `lines` (as the file spells it) from `after`
    on, and how it is spelled there: as it is, else with its quotes escaped as a YAML
    double-quoted value and a PO string write them (`<b class=\\"x\\">`), else as a
    single-quoted value doubles them; (-1, needle) when it is not there."""
    if not lines:
        return -1, needle
    spellings = [needle]
    if '"' in needle or "\\" in needle:
        spellings.append(needle.replace("\\", "\\\\").replace('"', '\\"'))
    if "'" in needle:
        spellings.append(needle.replace("'", "''"))
    for written in spellings:
        at = lines.find(written, after)
        while at >= 0 and is_escaped(lines, at):   # `\\<i>` asked for the characters: not the `<i>` said
            at = lines.find(written, at + 1)
        if at >= 0:
            return at, written
    return -1, needle


def _placed(span: Span, lines: str, needle: str, shift: int = 0, length: int = 0) -> Span:
    """Where `needle` is in `lines` (the text of `span`'s line, and of the lines after it
    holding the same value, joined by line breaks: value_lines), searched from `span`'s
    column on; `shift` characters further, `length` long (the needle's by default).
    `span` itself when it is not there."""
    at, written = _find(lines, needle, max(span.column - 1, 0))
    if at < 0:
        return span
    column = at - (lines.rfind("\n", 0, at) + 1) + 1 + shift
    return dataclasses.replace(span, line=span.line + lines.count("\n", 0, at), column=column,
                               end_column=column + (length or len(written)))


def value_lines(doc: Document, span: Span, loc: Loc = ()) -> str:
    """The line of `doc`'s file that `span` (the value at `loc`) is on and the lines
    after it that still hold its value (blank, or indented past its key, else past that
    line, as YAML reads a block or a plain scalar's lines), joined by line breaks: a
    name written as a folded block (`text: >`) has its words on the lines below its
    key, where they are said."""
    lines = doc.source.lines
    first = doc.source.line(span.line)
    key = doc.key_span(*loc) if loc and isinstance(loc[-1], str) else None   # a list item has no key
    indent = key.column - 1 if key is not None and key.line == span.line and key.column else \
        len(first) - len(first.lstrip(" "))
    return "\n".join(lines[span.line - 1:_last_line_past(lines, span.line, indent)])


def _at(model: Any, loc: Loc) -> Any:
    for part in loc:
        model = model[part] if isinstance(model, (dict, list, tuple)) else getattr(model, part)
    return model


def _apply(obj: Any, parts: list[str], loc: Loc, html: dict[Loc, str]) -> Any:
    """`obj` with the field at `parts` as plain text (recording its HTML in `html`);
    `obj` itself when nothing changes, so a name without markup costs no copy."""
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = obj.items() if isinstance(obj, dict) else enumerate(obj)
        done = {key: _apply(item, rest, loc + (key,), html) for key, item in items}
        if all(done[key] is item for key, item in (obj.items() if isinstance(obj, dict) else enumerate(obj))):
            return obj
        return done if isinstance(obj, dict) else [done[i] for i in range(len(obj))]
    value = getattr(obj, head, None)
    if rest:
        new = _apply(value, rest, loc + (head,), html) if value is not None else value
    elif isinstance(value, str) and not is_plain_title(value):
        new, shown = title_forms(value)
        html[loc + (head,)] = str(shown if new else escape(value))
        new = new or value
    else:
        return obj
    return obj if new is value else obj.model_copy(update={head: new})
