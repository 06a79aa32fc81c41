"""A story's Markdown body → scenes and choices, each pointing back to its line.

Syntax (docs/writing-stories.md): a scene is a level-2 heading ending in
`{#scene-id}` (with ` .ending` for an ending); a choice is a list item holding one
link to `#scene-id`, optionally followed by `{if="…" do="…" id="…"}`. Everything
else is prose. markdown-it gives every block its source lines (`token.map`), which
is what makes every scene and choice reportable at its line.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from urllib.parse import unquote
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..diagnostics import Diagnostics, Severity, Span, clip, code_span, did_you_mean
from ..ids import SLUG_PATTERN, is_id, spell_id, too_long
from ..load.documents import Document
from ..load.yaml import yaml_scalar
from ..load.markdown import (FOLDED_CHARS, cells_as_read, choice_forms, inline_forms, markdown, plain_prose, report_look_ahead, report_too_deep, sanitize, title_forms, title_tags,
                             heading_blocks, lede_of, without_large_tables)
from ..load.titles import WIKI_LINK, heading_hash_at, wiki_choice_hint, wiki_link_hint, wiki_scenes, links_in_words, lone_closing_hash, may_hold_links, may_slip, report_links_in_words, report_cut_rows, report_definition_list, report_foreign_marks, may_hold_foreign_mark, report_task_box, report_lone_closing_hash, report_tags, report_title_marks, report_stranded_definitions, report_undefined_references, report_unused_definitions, title_attrs, title_marks, title_notes
from . import near_misses

_HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
# `## The Gate (#gate)`, `[#gate .ending]`, `<#gate>`: the id in the wrong brackets,
# which Markdown shows as part of the title. Read as meant, and named (HF0522).
_WRONG_BRACKETS = re.compile(r"\s*([(\[<])\s*(#[^\s(){}\[\]<>]+(?:\s+\.?ending)?)\s*[)\]>]\s*$")
_SLUG = re.compile(SLUG_PATTERN)
# A scene's words, counted: each run of word characters, apostrophes and hyphens that
# holds a word character is one word ("rock-'n'-roll", "don't"). Counted as
# `\b\w[\w'’-]*\b` counted them (the same matches, one per such run: a match starts at
# its run's first word character and, greedy, takes the run to its end, where the
# last `\b` only made it give back trailing `'` and `-`), without the two `\b`, which
# made the regex engine's search slower (the 500 stories' scenes of the 10,000-hero world:
# 0.17 CPU-s against 0.13).
WORDS = re.compile(r"\w[\w'’-]*")


def count_words(text: str) -> int:
    """len(WORDS.findall(text)), counted mostly without the regex. Whitespace is none
    of a word's characters, so each word lies within one whitespace-split piece, and a
    piece whose every character is alphanumeric (str.isalnum: the characters `\\w`
    matches, `_` aside) is one word; only the other pieces (punctuation, an apostrophe,
    an underscore) are searched, joined by spaces, which keeps their words apart. Most
    words of prose are plain: the 500 stories' scenes of the 10,000-hero world, 4.9 MB,
    0.125 CPU-s → 0.06 (best of 5, one process)."""
    pieces = text.split()
    other = [piece for piece in pieces if not piece.isalnum()]
    return len(pieces) - len(other) + (len(WORDS.findall(" ".join(other))) if other else 0)


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    target: str
    condition: str | None
    effects: str | None
    span: Span              # the choice's `[`
    target_span: Span
    condition_span: Span | None
    effects_span: Span | None
    authored_id: bool
    condition_ast: Any = None          # filled in by the story check, once names are known
    effects_ast: tuple = ()
    source: str = ""                   # its words as written (inline Markdown), for translators

    @property
    def html(self) -> Markup:
        """The choice's words for the outputs that show HTML (the site's story page, the
        PDF and EPUB gamebooks): its inline Markdown rendered as a heading's is
        (`[Take the *silver* key](#vault)` → Take the <em>silver</em> key), the same
        words as `text`, which every plain-text output shows. Without markup it is
        `text` escaped as Jinja escapes it (the same bytes). Where the words as written
        do not read back as `text` (a choice wrapped over lines), `text` escaped."""
        if self.source:
            # the writer's words (or a translation's: resolve/localized.py) read as the
            # story's parse read them (load/markdown.py inline_forms)
            plain, html = choice_forms(self.source)
            if plain == self.text:
                return html
        return Markup(escape(self.text))


@dataclass(frozen=True)
class Paragraph:
    """One block of a scene's prose as written (its Markdown source, line-id marker
    already removed), for localization: `span` is its first line, `last_line` the line
    a line-id marker ends (docs/localization.md), `shown` the paragraph of the scene's
    plain text (`text_blocks(Scene.text)`) that shows it, -1 none (ink tags that
    paragraph with its line id)."""

    text: str
    span: Span
    last_line: int
    shown: int = -1


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    ending: bool
    span: Span
    html: str               # sanitised prose, choices excluded
    text: str               # the prose as plain text
    words: int
    choices: tuple[Choice, ...]
    title_html: str = ""    # the title's inline Markdown as HTML (`title` is its plain text)
    paragraphs: tuple[Paragraph, ...] = ()
    title_source: str = ""  # the title as written (inline Markdown), for translators
    headings: tuple[int, ...] = ()   # the paragraphs of `text` (text_blocks) that are headings of its prose
    rows: tuple[int, ...] = ()       # the paragraphs of `text` that are table rows (a cell's `|` written `\\|`)

    def read_text(self) -> str:
        """`text` as a reader is shown it (`foundry play`, the ink story, a page's
        description): a `|` inside a table's cell as typed, where `text` (the JSON's,
        for engines that split a row into cells) writes it `\\|` (cells_as_read)."""
        return cells_as_read(self.text, self.rows)

    def lede(self) -> str:
        """The prose's plain text without its headings (when it has other words): what
        describes the scene in one line (a page's description), where a heading is a
        label, not a sentence — "The Old Road & co The fog comes in…" ran one into the
        other (Docusaurus's excerpt skips headings alike)."""
        return lede_of(self.read_text(), self.headings)


@dataclass
class _Draft:
    id: str
    title: str
    ending: bool
    span: Span
    prose: list[Token] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    below_choices: bool = False   # HF0544 said: text below its choices (once a scene)
    references: Any = None        # the story's link definitions, which its title may use (`[Lantern][l]`)


_LONE_CR = re.compile("\r(?!\n)")


def parse_scenes(doc: Document, diags: Diagnostics, prose: Any = None, references: dict | None = None) -> list[Scene]:
    """The story's scenes in the order written. `prose` (pipeline/resolve/localized.py) gives a
    scene's paragraphs in another language: called with (scene id, paragraph index,
    its Markdown), it returns the Markdown to show and the attributes (`lang`…) of
    the block holding it, or None to keep it; the rest of the scene is parsed as it
    stands, so a translated scene keeps its structure (lists, tables) exactly.
    `references`, when given, receives the body's link definitions (markdown-it's
    `env["references"]`), which a translated heading reads as its source does."""
    # markdown-it ends a line at a lone CR too; git, editors and every span count "\n"
    # only, so each scene after one was placed a line too far down. The CR is refused
    # already (HF0131, load/hygiene.py); a space keeps the columns.
    body = _LONE_CR.sub(" ", doc.body) if "\r" in doc.body else doc.body
    since = len(diags.items)
    env: dict = {}
    tokens = markdown().parse(without_large_tables(body, doc.path, doc.body_line, diags), env)
    if ("#" in body or "\uff03" in body) and (meant := near_misses.meant_headings(body, tokens, doc, diags)) is not None:
        body, env = meant, {}   # a scene heading almost written: read as meant (reported)
        tokens = markdown().parse(without_large_tables(body, doc.path, doc.body_line, Diagnostics()), env)
    report_look_ahead(body, Span(doc.path, doc.body_line, 1), diags, env)
    report_too_deep(body, Span(doc.path, doc.body_line, 1), diags, env)
    if env.get("references"):
        report_unused_definitions(env, body.split("\n"), None, Span(doc.path, doc.body_line, 1), diags)
    if "]:" in body:
        report_stranded_definitions(tokens, body.split("\n"), None, Span(doc.path, doc.body_line, 1), diags)
    if "][" in body:
        report_undefined_references(tokens, env, body.split("\n"), None, Span(doc.path, doc.body_line, 1), diags)
    if references is not None:
        references.update(env.get("references") or {})
    drafts: list[_Draft] = []
    asked: list[_Asked] = []   # hints naming an id, named once every id is known
    scene_links: list = []   # `[Text](hall)` links judged once every scene id is known
    wikis: list = []   # wiki links said, told their scene's id once every title is known
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and _is_scene_heading(doc, tok, tokens[i + 1], diags):
            drafts.append(_heading(doc, tok, tokens[i + 1], diags, asked, len(drafts), env.get("references")))
            i += 3
            continue
        end = _block_end(tokens, i)
        block = tokens[i:end]
        if not drafts:
            if tok.type in _LISTS and _is_choice_list(block):  # a lost choice is an error, not a warning
                diags.add("HF0528", "a choice before the first scene heading belongs to no scene",
                          _line_span(doc, tok, _marker_column(doc, tok)),
                          hint="Put a scene heading above it: `## The Beginning {#start}`.")
            elif tok.type == "heading_open" and tok.tag == "h1":
                # `# The Fog Road` over the first scene, as a document in another tool
                # starts: told to start with a scene heading, which it already did
                diags.add("HF0518", "a `#` heading before the first scene heading belongs to no scene: no output "
                          "shows it", _line_span(doc, tok), hint=_title_heading_hint(doc, tokens[i + 1].content))
            elif any(t.type == "inline" and t.content.strip() for t in block):
                diags.add("HF0518", "text before the first scene heading belongs to no scene", _line_span(doc, tok))
        elif tok.type in _LISTS and _is_choice_list(block):
            drafts[-1].choices += _choices(doc, block, drafts[-1].id, diags, scene_links, asked,
                                           len(drafts) - 1, len(drafts[-1].choices), wikis)
        else:
            said = len(diags.items)
            _check_prose(doc, block, diags, scene_links, wikis)
            # a block already refused (a choice slipped into prose, HF0528) is that one slip
            if drafts[-1].choices and not drafts[-1].below_choices and \
                    not any(d.severity is Severity.ERROR for d in diags.items[said:]):
                _after_choices(doc, drafts[-1], block, diags)
            drafts[-1].prose += block
        i = end
    near_misses.judge_scene_links(scene_links, {d.id for d in drafts if d.id}, diags)
    _name_free(asked, drafts, diags)
    if wikis:
        _name_wiki_scenes(wikis, drafts, diags)
    if "<!" in body:
        near_misses.report_commented_choices(body, doc.path, doc.body_line, diags, since)
    return [_finish(d, doc, diags, prose) for d in drafts]


def _title_heading_hint(doc: Document, words: str) -> str:
    """HF0518's hint for a `# words` heading over the first scene: to delete it when it
    says the front matter's `title:`, else to move its words there first. Told only to
    delete it, a writer whose heading held the title they meant (not the draft's
    `title:`) lost it."""
    title = doc.data.get("title") if doc.front_read else None
    said = "a story's title is the `title:` of its front matter, which every output shows; a scene heading is `##`."
    if not words.strip() or (isinstance(title, str) and " ".join(title.split()).casefold()
                             == " ".join(words.split()).casefold()):
        return "Delete it: " + said
    line = code_span(clip(f"title: {yaml_scalar(words.strip())}", 80))
    if isinstance(title, str) and title.strip():
        return (f"If it is the story's title, write {line} in the front matter in place of "
                f"{code_span(clip('title: ' + yaml_scalar(title), 80))}; then delete the heading: " + said)
    if not doc.front_read:   # what the front matter's title is, is not known
        return f"If it is the story's title, write {line} in the front matter; then delete the heading: " + said
    return f"Move it to the front matter as {line}, and delete the heading: " + said


# Both kinds of list hold choices: a writer numbering the options means them as choices.
_LISTS = ("bullet_list_open", "ordered_list_open")


def _after_choices(doc: Document, draft: _Draft, block: list[Token], diags: Diagnostics) -> None:
    """HF0544 (a warning) at prose written below choices of its scene (`You wonder if
    this was wise.` under the list): every output shows a scene's prose and then its
    choices, so the text was published above them, away from where it was typed,
    without a word. A block with nothing to read (a `---` break) is not named; the
    first that has is, once a scene (the text below it moved with it)."""
    if not any((t.type == "inline" and t.content.strip()) or (t.type in ("fence", "code_block") and t.content.strip())
               for t in block):
        return
    draft.below_choices = True
    diags.add("HF0544", f"text after the choices of scene '{clip(draft.id or draft.title, 40)}' is shown above them "
              "in every output", _line_span(doc, block[0]),
              hint="Move it above the choices, or into the scene a choice leads to: a scene's prose comes "
                   "before its choices.")


def _check_prose(doc: Document, block: list[Token], diags: Diagnostics, scene_links: list,
                 wikis: list | None = None) -> None:
    """Choice syntax anywhere in prose is a near-miss (near_misses.py); a table row
    wider than its header loses its last cells (HF0172). `wikis`: as
    `near_misses.check_shown_as_typed`'s."""
    if any(tok.type == "table_open" for tok in block):
        report_cut_rows(block, doc.body.split("\n"), None, Span(doc.path, doc.body_line, 1), diags)
    in_list, heading, paragraph = 0, False, False
    item_words, task_said = False, False   # the next inline is a list item's first words; a list's box said
    for tok in block:
        first_words = item_words and tok.type == "inline"
        item_words = (tok.type == "list_item_open") or (item_words and tok.type == "paragraph_open")
        if tok.type in ("bullet_list_open", "ordered_list_open") and not in_list:
            task_said = False
        heading = tok.type == "inline" and heading
        paragraph, opens = tok.type == "inline" and paragraph, tok.type == "paragraph_open"
        if opens:
            paragraph = True
        if tok.type == "heading_open":
            heading = True
            if tok.markup.startswith("##") and tok.map:   # an ATX heading of prose (`### Press ZQXP #`)
                number = doc.body_line + tok.map[0]
                k = heading_hash_at(doc.source.line(number), tok.markup)
                if k is not None and k >= 0:
                    words = next((t.content for t in block if t.type == "inline" and t.map == tok.map), "")
                    report_lone_closing_hash(len(tok.markup), words, Span(doc.path, number, k + 1), diags)
            continue
        if tok.type == "list_item_open":
            in_list += 1
        elif tok.type == "list_item_close":
            in_list -= 1
        elif tok.type == "inline" and heading and _HEADING_ID.search(tok.content):
            # a scene heading inside a quote or a list (top-level ones are scenes already)
            diags.add("HF0535", "a scene heading inside a quote or a list is not a scene",
                      _line_span(doc, tok, _marker_column(doc, tok)),
                      hint="Start the line with `## ` itself: `## Title {#id}`, outside any `>` or list.")
        elif tok.type == "inline":
            place = near_misses.place_of(doc, tok)
            slipped = near_misses.check_inline(place, tok, in_list > 0, diags, scene_links)
            near_misses.check_shown_as_typed(place, tok, diags, wikis)
            if paragraph:
                report_definition_list(tok.content, place.lines(), Span(doc.path, place.first_line, 1), diags)
            if in_list and not task_said and first_words:
                task_said = bool(report_task_box(tok.content, place.lines(), Span(doc.path, place.first_line, 1), diags))
            if may_hold_foreign_mark(tok.content):
                report_foreign_marks("".join(c.content if c.type == "text" else "\0" for c in tok.children or []),
                                     place.lines(), Span(doc.path, place.first_line, 1), diags)
            near_misses.check_images(place, tok, diags)
            near_misses.check_empty_links(place, tok, diags)
            near_misses.check_dropped_attrs(place, tok, diags, heading, block=not slipped)
        elif tok.type == "code_block":
            near_misses.check_code_block(doc, tok, diags)
        elif tok.type == "fence":
            near_misses.check_fence(doc, tok, diags)


def _is_scene_heading(doc: Document, tok: Token, inline: Token, diags: Diagnostics) -> bool:
    """A `##` heading is a scene. Other headings that carry a scene id are a scene written
    at the wrong level (reported, then read as the scene meant, so that its choices and
    the choices leading to it raise no follow-on errors). `---` under a line makes a
    level-2 (setext) heading: with an id it is a scene; without one it is almost always
    a paragraph break, reported as such and kept as prose."""
    has_id = bool(_HEADING_ID.search(inline.content))
    setext = tok.markup in ("-", "=")
    if tok.tag == "h2" and not setext:
        return True
    if tok.tag == "h2" and has_id:
        return True
    if has_id:
        level = "an underline of `=`" if setext else f"`{'#' * int(tok.tag[1])}`"
        diags.add("HF0520", f"a scene heading is written with `##`, not {level}", _line_span(doc, tok),
                  hint=_level_hint(inline.content, level))
        return True
    first = doc.body_line + (tok.map[0] if tok.map else 0)
    if tok.tag == "h2" and setext and all(_FRONT_KEY.match(line) for line in inline.content.split("\n")) \
            and first > doc.body_line and _RULE.fullmatch(doc.source.line(first - 1).rstrip("\r\n")):
        # `---`, `quests: [x]`, `---` below a scene: front matter written where it is not read
        # (a `---` above too: `Warning: the fog is thick.` right above a `---` is prose
        # made a heading, said below, not front matter)
        diags.add("HF0521", "front matter (`key: value` lines between `---` lines) is read only at the top of the story",
                  Span(doc.path, first, 1),
                  hint="Move these lines into the front matter at the top of the file, between its two `---` lines, "
                       "and remove the `---` lines around them here.")
        return False
    if tok.tag == "h2" and setext:
        under = doc.body_line + (tok.map[1] - 1 if tok.map else 0)
        diags.add("HF0521", "`---` right under a line of text makes that line a heading (a setext heading)", Span(doc.path, under, 1),
                  hint="For a scene break, leave a blank line above `---` (it becomes a thematic break); "
                       "for a new scene, write `## Title {#id}`; for a new paragraph, leave a blank line.")
    return False


# A line of front matter: a top-level `key: value` (`quests: [bells]`, `status: draft`).
_FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?:[ \t]|$)")
# A thematic break of dashes, as one opens front matter pasted below a scene.
_RULE = re.compile(r" {0,3}-{3,}[ \t]*")
# `{#id}` or `{.ending}` ending the title before a scene heading's last braces
_SPLIT_ATTRS = re.compile(r"\s*\{((?:\s*[#.][\w-]+)+)\s*\}\s*$")
_HEADING_ID = re.compile(r"\{[^{}]*#\s*[\w-]+[^{}]*\}?\s*$")
# A heading's closing sequence: `#`s after a space or tab at its end (an escaped `\#`
# has no space before it, so it stays, as CommonMark keeps it).
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")


# the link's words ending a heading (`[The Gate](#gate)`, `The [Gate](#gate)`: the
# brackets before the address; not an image's, `![…]`)
_LINK_WORDS = re.compile(r"(?<!!)\[([^\[\]]+)\]$")
# What closes something the words before it opened (a bracket, a quote) or ends a
# phrase: joined to those words without a space when the braces stood between.
_CLOSERS = frozenset(")]}>.,;:!?…’”»")
# Marks that close when the text after their run does not go on (`*The Gate {#gate}*`,
# `'The Gate {#gate}'`) and open when it does (`The Gate {#gate} *north*`), and the
# brackets and quotes that open what follows them.
_MARKS = frozenset("*_`~\"'")
_OPENERS = frozenset("([{<‘“«")


def _closes(rest: str) -> bool:
    """Whether `rest` (text after a heading's braces, stripped) starts by closing what
    the words before the braces opened, so it belongs to them without a space."""
    if rest[0] in _CLOSERS:
        return True
    if rest[0] not in _MARKS:
        return False
    follows = rest.lstrip(rest[0])[:1]
    return not follows or follows.isspace() or follows in _CLOSERS


def _opens(words: str) -> bool:
    """Whether `words` (text before a heading's braces, stripped) ends with a mark that
    opens what follows the braces (`The Gate *{#gate} north*`)."""
    last = words[-1]
    if last in _OPENERS:
        return True
    if last not in _MARKS:
        return False
    before = words.rstrip(last)[-1:]
    return not before or before.isspace() or before in _OPENERS


def _without_braces(before: str, after: str) -> str:
    """A heading's words with the `{…}` written inside them taken out (`before`: what
    precedes the braces, `after`: what follows them): `*The Gate {#gate}*` is `*The
    Gate*`, `The Keep {#keep} at night` `The Keep at night`, `The Keep {#keep} *at
    night*` keeps its space. The hint joined them with a space (`*The Gate *`), and
    emphasis whose closing `*` follows a space is no emphasis: a writer following it
    published the stars; a mark that opens (`*at night*`) joined without one ran the
    words together (`Keep*at night*`: "Keepat night")."""
    rest, words = after.strip(), before.strip()
    if not rest or not words:
        return words or rest
    return words + ("" if _closes(rest) or _opens(words) else " ") + rest


def _block_end(tokens: list[Token], start: int) -> int:
    """Index after the top-level block starting at `start`."""
    depth, i = 0, start
    while i < len(tokens):
        depth += tokens[i].nesting
        i += 1
        if depth == 0:
            return i
    return i


def _line_span(doc: Document, tok: Token, column: int = 1) -> Span:
    line = doc.body_line + (tok.map[0] if tok.map else 0)
    return Span(doc.path, line, column)


def _as_written(title: str, braces: str) -> str | None:
    """The heading a hint tells the writer to write, `## <title> <braces>` as a code
    span, when it can show the title as typed; None when it cannot: a title longer
    than a hint quotes (clipped with `…`, a writer copying the hint lost the rest of
    it: `## The Long Road Through The Marsh Where T… {#…}`) or a line break. A title
    holding code is shown in a longer fence (`code_span`): a single backtick ended the
    hint's span at the title's first. The hint then says what to add."""
    if len(title) > 40 or "\n" in title:
        return None
    return code_span(f"## {title} {braces}")


def _heading_hint(lead: str, title: str, braces: str, where: str) -> str:
    """`<lead>: `## <title> <braces>`.` when the title can be shown whole (`_as_written`),
    else `<lead>: `<braces>` <where>.`: what to write, never a clipped title to copy."""
    written = _as_written(title, braces)
    return f"{lead}: {written}." if written else f"{lead}: `{braces}` {where}."


def _level_hint(content: str, level: str) -> str:
    """HF0520's hint for a scene heading written at another level (`level`, as the
    message names it) whose inline text is `content`."""
    attrs = _HEADING_ATTRS.search(content)
    if attrs is None:
        return "Scene headings are `## Title {#id}`."
    written = _as_written(_HEADING_ATTRS.sub("", content).strip(), f"{{{attrs.group(1).strip()}}}")
    return f"Write {written}." if written else \
        f"Write it as one line starting with `## ` in place of {level}, its title and braces as they are."


def _ask(asked: list[_Asked], diags: Diagnostics, spelt: str, say: Any, code: str, message: str, span: Span,
         scene: int, choice: int | None = None) -> None:
    """Say `code` with its hint naming an id `_name_free` chooses once every id is known."""
    before = len(diags.items)
    diags.add(code, message, span, hint=say(suggest_id(spelt)))
    if len(diags.items) > before:
        asked.append(_Asked(before, spelt, say, scene, choice))


def _heading(doc: Document, open_tok: Token, inline: Token, diags: Diagnostics, asked: list[_Asked],
             scene: int, references: Any = None) -> _Draft:
    span = _line_span(doc, open_tok, 1)
    line = doc.source.line(span.line)
    m = _HEADING_ATTRS.search(inline.content)
    # a no-break or ideographic space typed at the title's start is kept, as a name's
    # is (docs/writing-stories.md); the spaces before the braces only separate them
    title = inline.content[: m.start()].strip(FOLDED_CHARS) if m else inline.content.strip(FOLDED_CHARS)
    attrs = m.group(1).split() if m else []
    split = _SPLIT_ATTRS.search(title) if m and title.endswith("}") else None
    if split and all(w == ".ending" or w.startswith("#") for w in split.group(1).split()) \
            and not ("#" in split.group(1) and any(a.startswith("#") for a in attrs)):
        # (a pair of other words, `{.big}`, or an id in each pair is not one scene's
        # attributes split: the last pair is the heading's, the first text in its
        # title, HF0537)
        # `## Tracks {#tracks} {.ending}`: the id and the ending in two pairs of braces.
        # Only the last pair was read: the scene "had no id" (its hint suggesting a
        # third pair), or `{#lamp} {#lantern}` kept the first id in the title as text.
        # One error, and the heading read as meant (both pairs are its attributes).
        words = split.group(1).split() + attrs
        title = title[:split.start()].strip()
        at = line.rfind(split.group(0).strip(), 0, max(line.rfind(m.group(0).strip()), 0))
        diags.add("HF0522", "a scene heading's attributes are written in two pairs of braces",
                  Span(doc.path, span.line, at + 1 if at >= 0 else 1),
                  hint=_heading_hint("One pair", title, f"{{{clip(' '.join(words), 80)}}}",
                                     "in place of the two, at the end of its line"))
        attrs = words
    if not m and "{" in inline.content:
        opened = inline.content.rfind("{")
        inside, closed, after = inline.content[opened + 1:].partition("}")
        title = inline.content[:opened].strip()
        if closed:
            tail = line.rfind(after.strip()) + 1 if after.strip() else 1
            diags.add("HF0522", "text after the `{…}` of a scene heading", Span(doc.path, span.line, tail or 1),
                      hint=_heading_hint("The braces end the heading", _without_braces(title, after),
                                         f"{{{clip(inside.strip(), 80)}}}", "moved to the end of its line, after the rest of the title"))
        else:
            diags.add("HF0522", "the `{` of this scene heading is never closed", Span(doc.path, span.line, line.rfind("{") + 1 or 1),
                      hint=_heading_hint("Close it", title, f"{{{clip(inside.strip(), 80)}}}", "ending its line"))
        attrs = inside.split()
    elif not m and (wrong := _WRONG_BRACKETS.search(inline.content)):
        title = inline.content[:wrong.start()].strip()
        inside = " ".join(wrong.group(2).split())
        # `## [The Gate](#gate)`: a link to the scene, whose words are the title (the
        # hint kept its brackets, which every output would then show), or to a part of it
        linked = wrong.group(1) == "(" and wrong.start() == len(inline.content[:wrong.start()].rstrip()) \
            and _LINK_WORDS.search(title)
        if linked:
            title = (title[:linked.start()] + linked.group(1)).strip()
        diags.add("HF0522", f"the id of a scene heading is written `{clip(wrong.group(0).strip(), 40)}`, which "
                  + (("makes the title a link" if not linked.start() else "makes part of the title a link") if linked
                     else "Markdown shows as part of the title"),
                  Span(doc.path, span.line, max(line.rfind(wrong.group(1)) + 1, 1)),
                  hint=_heading_hint("Use braces", title, f"{{{clip(inside, 80)}}}",
                                     f"in place of `{clip(wrong.group(0).strip(), 40)}`, at the end of its line"))
        attrs = inside.split()
    # `## The Road ## {#road}`: the closing `#`s CommonMark takes off a heading's end
    # (`## The Road ##` is "The Road") stood before the braces, so Markdown kept them
    # as text and every output titled the scene "The Road ##"
    closing = lone_closing_hash(title) if m else -1   # (without braces: the line's own end, below)
    title = _CLOSING_HASHES.sub("", title)
    if closing >= 0 and (k := line.rfind(title + " ")) >= 0:
        # `## The Gate # {#gate}`: the `#` a writer typed as text, taken off as closing
        report_lone_closing_hash(2, title_forms(title)[0], Span(doc.path, span.line, line.find("#", k + len(title)) + 1), diags,
                                 written=title)
    elif not m and (k := heading_hash_at(line, "##")) is not None and k >= 0:
        report_lone_closing_hash(2, title_forms(title)[0], Span(doc.path, span.line, k + 1), diags, written=title)
    attrs = _heading_attrs(doc, span, line, attrs, title, diags)
    ids = [a[1:] for a in attrs if a.startswith("#")]
    ending = ".ending" in attrs
    if not ids:
        shown = clip(title, 40)
        # the id spelt from the words the title shows, not its Markdown as typed
        # an ending keeps its `.ending` (`## The Gate {ending}` was told `{#the-gate}`)
        mark = " .ending" if ending else ""
        _ask(asked, diags, title_forms(title, references)[0],
             lambda free: f"End the heading with an id: {written}." if (written := _as_written(title, f"{{#{free}{mark}}}"))
             else f"End the heading with an id: write `{{#{free}{mark}}}` at the end of its line, after the title.",
             "HF0502", f"scene '{shown}' has no id", span, scene)
        return _Draft("", title, ending, span, references=references)
    report_tags(title, span, diags, line, references=references)
    sid = ids[0]
    for extra in ids[1:]:   # read as the first id only: the second was dropped without a word
        diags.add("HF0522", f"a second id '#{clip(extra, 40)}' in a scene heading", Span(doc.path, span.line, max(line.rfind("#" + extra) + 1, 1)),
                  hint=f"A scene has one id: `{{#{clip(sid, 40)}{' .ending' if ending else ''}}}`. Other scenes' "
                       "choices link to that one.")
    # published as an empty heading, map box and contents entry: no title, or one whose
    # Markdown shows no words (`## ![](gate.png) {#gate}`: its image is dropped, HF0123)
    if not title or not title_forms(title, references)[0].strip():
        diags.add("HF0538", f"scene '{clip(sid, 40)}' has no title" + (f": '{clip(title, 40)}' shows no words"
                                                                        if title else ""), span,
                  hint=f"Write the title readers see before the braces: `## The Gate {{#{clip(sid, 40)}"
                       f"{' .ending' if ending else ''}}}`.")
    if not is_id(sid):
        # at the id as typed (`{#Tracks_Mud}`), not at the heading's `#`
        at = line.find("{#" + sid)
        _ask(asked, diags, sid, lambda free: f"Try `{{#{free}}}`.", "HF0113", f"scene id '{clip(sid, 40)}' {_not_a_slug(sid)}",
             Span(doc.path, span.line, at + 3) if at >= 0 else span, scene)
    return _Draft(sid, title, ending, span, references=references)


def _heading_attrs(doc: Document, span: Span, line: str, attrs: list[str], title: str,
                   diags: Diagnostics) -> list[str]:
    """A scene heading's `{…}` words, with the near-misses named and read as meant:
    `{# id}` and `{id}` are the id, `ending`/`#ending`… are `.ending`."""
    out: list[str] = []
    k = 0
    while k < len(attrs):
        word = attrs[k]
        col = max(line.rfind(word) + 1, 1)
        if word == "#" and k + 1 < len(attrs):
            # the braces whole, as meant (`{# guide .ending}` was told `{#guide}`: followed,
            # the scene stopped being an ending)
            meant = " ".join(attrs[:k] + ["#" + attrs[k + 1]] + attrs[k + 2:])
            diags.add("HF0522", "a space after `#` in a scene id", Span(doc.path, span.line, col),
                      hint=f"Write the id right after `#`: `{{{clip(meant, 60)}}}`.")
            out.append("#" + attrs[k + 1])
            k += 2
            continue
        if word == ".ending" or (word.startswith("#") and word != "#"):
            out.append(word)
        elif word.lstrip(".#").lower() in ("ending", "end", "endings") and word != ".ending":
            # the heading's own id: `{#home .ending}`, copied as told into `{#wait ending}`,
            # renamed the scene every choice to `#wait` leads to
            # (none: `{.ending}`, HF0502 names the id; `#home` made one up, a scene's maybe)
            sid = next((a for a in attrs if a.startswith("#") and a.lstrip("#").lower() not in
                        ("", "ending", "end", "endings")), "")
            diags.add("HF0522", f"'{clip(word, 20)}' in a scene heading", Span(doc.path, span.line, col),
                      hint=f"Mark an ending with `.ending` (with the dot): `{{{clip(sid, 41) + ' ' if sid else ''}.ending}}`.")
            out.append(".ending")
        elif _SLUG.match(word.lstrip(".")) and not any(a.startswith("#") for a in attrs):
            meant = " ".join(attrs[:k] + ["#" + word.lstrip(".")] + attrs[k + 1:])
            diags.add("HF0522", f"the scene id '{clip(word, 40)}' needs a `#`", Span(doc.path, span.line, col),
                      hint=f"Write `{{{clip(meant, 60)}}}`.")
            out.append("#" + word.lstrip("."))
        else:
            diags.add("HF0522", f"'{clip(word, 20)}' is not a scene heading attribute", Span(doc.path, span.line, col),
                      hint="A scene heading ends with `{#id}`, or `{#id .ending}` for an ending.")
        k += 1
    return out


def _not_a_slug(written: str) -> str:
    """What HF0113 says of a scene or choice id that is not a slug: a lowercase one with
    two hyphens in a row is refused for those, which join a scene's id and its target's
    in the id of a choice written without one (`road--tracks`)."""
    if "--" in written and _SLUG.match(re.sub("-+", "-", written)):
        return "has two hyphens in a row, which only the id foundry gives a choice without one has (scene--target)"
    if _SLUG.match(written):
        return too_long(written)   # import cuts ids to this length: check says so of one written so
    return "is not a lowercase slug"


def suggest_id(text: str, taken: set[str] | frozenset[str] = frozenset(), fallback: str = "scene") -> str:
    """The scene or choice id a heading's title or a misnamed id (`Road`, `Tracks_Mud`)
    suggests (ids.spell_id): at most 40 characters, none of `taken`; `fallback` for
    a title in a script an id cannot spell (`霧の道`)."""
    return spell_id(text, taken, limit=40, fallback=fallback)


@dataclass
class _Asked:
    """A hint naming an id, said once every id it must not be is known (`_name_free`):
    `at`, the diagnostic's index; `spelt`, what the id is spelt from; `say`, the hint
    for that id; `scene`, the draft it is in; `choice`, the place of the choice whose
    id it names among the scene's (None: the scene's own id)."""
    at: int
    spelt: str
    say: Any
    scene: int
    choice: int | None = None


def free_scene_ids(written: list[tuple[str, str]], wanted: Iterable[str] = ()) -> list[str]:
    """For each scene of a story in order (its id as written: `{#Road}`, or "" when the
    heading has none; and its title's words, the plain text it shows: Scene.title), the
    id a hint tells it to have, "" when its id is a slug: spelt from the id, else the
    title's words (`## [Über](#x) den **Fluss**` was told `{#uber-x-den-fluss}`, the
    link's address spelt into it), and none another scene has or a scene before it is
    told. What names a misnamed scene as its hint does (`start: road-2`) is taken as
    meant (story.py). `wanted`: the ids the story's choices lead to that no scene has
    (`(#ally)`); a heading without an id is told the one its title's words hold
    (`## An Ally Joins`: `{#ally}`, not `{#an-ally-joins}`, which the choice still
    missed), or the one left to the one heading left."""
    taken = {sid for sid, _ in written if is_id(sid)}
    chosen: dict[int, str] = {}   # a heading without an id: the id a choice wants of it
    # (not what a misnamed heading's own hint names: `{#Road}` is told `{#road}`)
    misnamed = {suggest_id(sid) for sid, _ in written if sid and not is_id(sid)} if wanted else set()
    wanted = list(dict.fromkeys(w for w in wanted if is_id(w) and w not in taken and w not in misnamed))
    if wanted:
        bare = [k for k, (sid, _) in enumerate(written) if not sid]
        # by the title's words first: `ally` in "An Ally Joins" (words, not a likeness of
        # spelling: `scene`, the fallback of a title in Japanese, is not `scene-2`, the
        # next heading's); the id of most words first, to the title with fewest others:
        # `## The Gate Falls` before `## The Gate` was told `{#gate}` (its words hold
        # it) and `## The Gate` the one left, `{#gate-falls}`: followed, each choice led
        # to the other's scene
        words = {k: set(suggest_id(written[k][1]).split("-")) for k in bare}
        pairs = sorted(((k, w) for k in bare for w in wanted if set(w.split("-")) <= words[k]),
                       key=lambda pair: (-len(set(pair[1].split("-"))), len(words[pair[0]]), pair[0],
                                         wanted.index(pair[1])))
        for k, w in pairs:
            if k not in chosen and w in wanted:
                wanted.remove(w)
                chosen[k] = w
        left = [k for k in bare if k not in chosen]
        # the one heading left, the one id left, unless that id is a slip of a scene's
        # the story has: `(#bnak)` beside `{#bank}` told `## Epilogue {#bnak}` (and its
        # HF0304, "Did you mean 'bank'?", unsaid): followed, the choice led to the epilogue.
        # Nor is a slip counted as an id left: `(#bnak)` beside `(#wait)` and `## Waiting`
        # told `{#waiting}`, and the choice to `wait` stayed unknown (HF0304)
        meant = [w for w in wanted if did_you_mean(w, sorted(taken)) is None]
        if len(meant) == 1 and len(left) == 1:
            chosen[left[0]] = meant[0]
        taken.update(chosen.values())
    out = []
    for k, (sid, title) in enumerate(written):
        if k in chosen or is_id(sid):
            out.append(chosen.get(k, ""))
            continue
        free = suggest_id(sid or title, taken)
        taken.add(free)
        out.append(free)
    return out


def _name_free(asked: list[_Asked], drafts: list[_Draft], diags: Diagnostics) -> None:
    """Each id a hint suggests, now that every scene of the story and every choice of
    each scene is known: none the story has or an earlier hint named. `{#Bank}` beside
    a scene `bank` was told 'Try `{#bank}`', two headings in Japanese both `{#scene}`,
    and a choice `{id="Wait"}` beside a choice `wait` was read as `wait`, so the other
    choice was told it had the id twice (HF0511). A choice's id is read as its hint names."""
    # the scenes choices lead to that no heading has: a heading without an id may be one
    wanted = [c.target for d in drafts for c in d.choices] if any(not d.id for d in drafts) else []
    scenes = free_scene_ids([(d.id, title_forms(d.title, d.references)[0] if not d.id else "") for d in drafts],
                            wanted)
    misread = {(item.scene, item.choice) for item in asked if item.choice is not None}
    choices: dict[int, set[str]] = {}
    for item in asked:
        draft = drafts[item.scene]
        if item.choice is None:
            diags.items[item.at] = dataclasses.replace(diags.items[item.at], hint=item.say(scenes[item.scene]))
            continue
        taken = choices.get(item.scene)
        if taken is None:
            taken = choices[item.scene] = {c.id for k, c in enumerate(draft.choices) if (item.scene, k) not in misread}
        free = suggest_id(item.spelt, taken, "choice")
        taken.add(free)
        diags.items[item.at] = dataclasses.replace(diags.items[item.at], hint=item.say(free))
        draft.choices[item.choice] = dataclasses.replace(draft.choices[item.choice], id=free)


def _name_wiki_scenes(wikis: list[tuple[int, str]], drafts: list[_Draft], diags: Diagnostics) -> None:
    """Each wiki link's hint (HF0503 for a choice, HF0124 in prose) told the id of the
    scene its target names, now that every scene is known: `[[The Far Bank]]` names a
    scene by its title, as Obsidian and Twine link, and was told `#scene-id`."""
    scenes = wiki_scenes((d.id, title_forms(d.title, d.references)[0]) for d in drafts)
    for at, inner in wikis:
        said = diags.items[at]
        hint = wiki_choice_hint(inner, scenes) + "." if said.code == "HF0503" else wiki_link_hint(inner, True, scenes)
        diags.items[at] = dataclasses.replace(said, hint=hint)


def _lone_link(item_tokens: list[Token]) -> Token | None:
    """The inline token of a list item whose first paragraph is exactly one link to `#…`,
    else None. (What follows that paragraph is reported by `_extra_blocks`.)"""
    if len(item_tokens) < 4 or item_tokens[1].type != "paragraph_open" or item_tokens[2].type != "inline":
        return None
    inline = item_tokens[2]
    kids = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if not kids or kids[0].type != "link_open" or kids[-1].type != "link_close":
        return None
    if sum(1 for c in kids if c.type == "link_open") != 1:
        return None
    return inline if str(kids[0].attrs.get("href", "")).startswith("#") else None


def _items(block: list[Token]) -> list[list[Token]]:
    items, current, depth = [], [], 0
    for tok in block[1:-1]:
        if tok.type == "list_item_open" and depth == 0:
            current = []
        depth += tok.nesting
        current.append(tok)
        if tok.type == "list_item_close" and depth == 0:
            items.append(current)
    return items


def _is_choice_list(block: list[Token]) -> bool:
    return any(_lone_link(item) for item in _items(block))


def _choices(doc: Document, block: list[Token], scene_id: str, diags: Diagnostics,
             scene_links: list, asked: list[_Asked], scene: int, first: int, wikis: list) -> list[Choice]:
    """The choices of one list of a scene: the draft `scene`, whose choices before this
    list are `first` many (where a choice's id named later by `_name_free` lies).
    `wikis` receives (the diagnostic's index, the link's inside) of an item written as a
    wiki link (`_name_wiki_scenes`)."""
    out = []
    for item in _items(block):
        inline = _lone_link(item)
        if inline is None:
            reported, links = False, len(scene_links)
            for tok in item:
                if tok.type == "inline" and not reported:
                    reported = near_misses.check_inline(near_misses.place_of(doc, tok), tok, True, diags, scene_links)
            later = scene_links[links:]
            if later and all(len(entry) > 3 for entry in later):
                # an ink choice (`* Wait -> wait`) in a list of choices is one whatever its
                # target names: said now, as the item's one slip (`* ice -> water` in
                # prose is judged by the scene ids)
                del scene_links[links:]
                for span, _, _, (code, message, hint) in later:
                    diags.add(code, message, span, hint=hint)
                reported = True
            if not reported and len(scene_links) == links:  # a link without `#` is judged later
                # `- [[Follow the tracks->tracks]]`: a choice as Twine writes one, told ours
                words = next((tok.content.strip() for tok in item if tok.type == "inline"), "")
                wiki = WIKI_LINK.fullmatch(words)
                if wiki:
                    wikis.append((len(diags.items), wiki.group("words")))
                diags.add("HF0503", "a list of choices holds an item that is not a single link to a scene"
                          + (f": '{clip(words, 40)}' is a wiki link (Obsidian's, Twine's)" if wiki else ""),
                          _line_span(doc, item[0], _marker_column(doc, item[0])),
                          **({"hint": wiki_choice_hint(wiki.group("words")) + "."} if wiki else {}))
            continue
        _extra_blocks(doc, item, diags)
        out.append(_choice(doc, inline, scene_id, diags, asked, scene, first + len(out)))
    return out


def _extra_blocks(doc: Document, item: list[Token], diags: Diagnostics) -> None:
    """A choice holds its link and nothing else: a nested list or a second paragraph
    under it would otherwise vanish from every output."""
    extra = item[4:-1]
    if not extra:
        return
    first = extra[0]
    if first.type in _LISTS:
        nested = next((t for t in extra if t.type == "list_item_open"), first)
        line = doc.source.line(doc.body_line + (nested.map[0] if nested.map else 0))
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        # a tab looks like no indentation, or like the choices' own, in many editors: the
        # writer told "move them out (no indentation)" saw none to remove
        tab = "the tab" if indent == "\t" else "the indentation (with its tab)" if "\t" in indent else ""
        diags.add("HF0529", "a list nested under a choice" + (" (a tab before it nests it: Markdown reads a tab as 4 "
                                                             "spaces)" if tab else ""),
                  _line_span(doc, nested, _marker_column(doc, nested)),
                  hint=(f"Delete {tab} before `{nested.markup or '-'}`, so that the line starts with it as the other "
                        "choices do" if tab else
                        "A choice holds only its link. To offer these as choices too, move them out to the "
                        "same level as the choice (no indentation)") + "; otherwise move them into the scene's prose.")
    elif first.type == "heading_open":
        # `  ## Next {#next}` indented like the choice's text: Markdown puts the heading
        # inside the list item, so the scene it starts would silently join this one
        line = doc.source.line(doc.body_line + (first.map[0] if first.map else 0))
        diags.add("HF0535", "a scene heading indented under a choice belongs to the choice, not a new scene",
                  _line_span(doc, first, _marker_column(doc, first)),
                  hint=f"Start the heading at the beginning of its line: {code_span(clip(line.strip(), 60))}.")
    else:
        diags.add("HF0529", "text under a choice belongs to no choice", _line_span(doc, first, _marker_column(doc, first)),
                  hint="A choice holds only its link; move this text above the list of choices.")


def _marker_column(doc: Document, tok: Token) -> int:
    line = doc.source.line(doc.body_line + (tok.map[0] if tok.map else 0))
    return len(line) - len(line.lstrip(" \t")) + 1


def _choice(doc: Document, inline: Token, scene_id: str, diags: Diagnostics,
            asked: list[_Asked], scene: int, place: int) -> Choice:
    link = inline.children[0] if inline.children[0].type == "link_open" else \
        next(c for c in inline.children if c.type == "link_open")
    line_no = doc.body_line + inline.map[0]
    source_line = doc.source.line(line_no)
    col = source_line.find("[") + 1 or 1
    span = Span(doc.path, line_no, col)
    attrs = {k: str(v) for k, v in link.attrs.items()}
    # its lines with its code spans blanked: `` `](#x)` `` or `` `[q](c d)` `` in its words
    # is text shown as typed, not its link's end nor a link of its words (the end was
    # found there: the target said at `#x`, the words cut short, a wrapped choice's later
    # lines not looked at, and code said to be a link shown as typed)
    blank = [line for _, line in near_misses.without_code(near_misses.place_of(doc, inline), inline).lines()]
    # and with every `]` before its link's own end spaced, where that end is looked for
    ends = _before_end(doc, inline, col, blank)
    # where the link ends (`](#scene){…}`): this line, or a later one when the brackets
    # wrapped; the target and the attributes are said there
    end, end_line = _link_end(ends, span)
    near_misses.check_choice_attrs(end, end_line, attrs, diags)
    # as written: markdown-it percent-encodes what is not ASCII (`#灯笼` → `#%E7%81%AF…`),
    # which no scene id is and no writer typed (a browser decodes a fragment too)
    target = unquote(attrs["href"][1:])
    # its words as every output shows them (load/markdown.py inline_forms, the one
    # reading Choice.html and a translated choice share): a line break inside the
    # brackets a space, an image its alt text, runs of spaces one
    text = inline_forms(inline.children)[0]
    authored = "id" in attrs
    cid = attrs["id"] if authored else f"{scene_id}--{target}"
    if authored and not is_id(cid):
        _ask(asked, diags, cid, lambda free: f"Try `id=\"{free}\"`.", "HF0113",
             f"choice id '{clip(cid, 40)}' {_not_a_slug(cid)}", _attr_span(end, end_line, "id"), scene, place)
        # read as the id the hint names for the rest of the check (`_name_free` names one
        # no other choice of the scene has): '{id="road--tracks"}' (a made-up id's form)
        # was also HF0511 and HF1102 at the innocent choice whose id it took, each
        # telling it to change
        cid = suggest_id(cid, fallback="choice")
    # the link's end is `](#`, not the first `(#`: a choice reading `Pick (#1) way`
    # pointed the unknown-target error at `1)`, and its words as written (the HTML's
    # markup, the tag and brace warnings) stopped at `Pick`
    close = end_line.find("](#", end.column - 1)
    target_col = close + 1 if close >= 0 else -1
    # a tag in a choice shows as typed, as in a title (HF0536): said at the tag, from the
    # text as written (`&lt;i&gt;` is the writer asking for angle brackets: no warning)
    written = source_line[col:target_col - 1] if target_col > col and end is span else ""
    if may_slip(written):   # braces (HF0537), a footnote or another tool's mark (HF0754), an image (HF0123), a marker (HF0759) too
        report_tags(written, span, diags, source_line, where="a choice", as_prose=True)
    if may_hold_links(uncoded := blank[0][col:target_col - 1] if written else ""):
        # `[Or at [the mill](https://ex.org:99999/)](#mill)`: a link markdown-it did not
        # make (its scheme refused, or an address that does not parse: `_safe_link`) is
        # part of the choice's words, shown as typed; a link it made is HF0528 (the
        # line is no choice). Said at its address, as in prose (HF0124).
        report_links_in_words(links_in_words(uncoded), lambda m: Span(doc.path, line_no, col + m.start("at") + 1),
                              diags)
    if end is not span:   # the brackets wrapped over lines
        # a link prose refused, on any of them, said at its address (HF0124) as on one
        # line; its lines read together: a link's words or address may wrap too
        # (`[the⏎map](a b)`, `[map](my⏎file.png)`)
        pieces, starts, at = [], [], 0
        for k in range(end.line - line_no + 1):
            line = blank[k]
            stop = ends[k].find("](#") if line_no + k == end.line and "](#" in ends[k] else len(line)
            pieces.append(line[col if k == 0 else 0:stop])
            starts.append(at)
            at += len(pieces[-1]) + 1
        words = "\n".join(pieces)
        def place(found: re.Match) -> Span:
            k = bisect.bisect_right(starts, found.start("at")) - 1
            return Span(doc.path, line_no + k, (col if k == 0 else 0) + found.start("at") - starts[k] + 1)
        report_links_in_words(links_in_words(words), place, diags)
        written = _wrapped_words(doc, inline, col, ends)
        if may_slip(written):   # a tag, braces, a note, another tool's mark or an image on any of its lines, said at that line
            tagged = False   # a tag, braces or a note: said at the first line holding one (a tag closed on the next is that slip)
            for k in range(inline.map[1] - inline.map[0]):
                line = doc.source.line(line_no + k)
                cut = ends[k].find("](#", col if k == 0 else 0)
                piece = line[col if k == 0 else 0:cut if cut >= 0 else len(line)]
                if not tagged and (title_tags(piece) or ("{" in piece and title_attrs(piece)) or title_notes(piece)):
                    report_tags(piece, Span(doc.path, line_no + k, col if k == 0 else 1), diags, line, where="a choice",
                                as_prose=True)   # (its marks too)
                    tagged = True
                elif title_marks(piece):   # each line's: a mark never spans a line
                    report_title_marks(piece, Span(doc.path, line_no + k, col if k == 0 else 1), line, "a choice", diags)
    if not text.strip():   # `[](#wait)`, `[ ](#wait)`, `[![x](y)](#wait)`: an empty button in every output
        diags.add("HF0503", f"the choice to '{clip(target, 40)}' has no words: readers would see an empty button",
                  span, hint=f"Write what the reader chooses between the brackets: `[Go on](#{clip(target, 40)})`.")
    return Choice(
        cid, text.strip(), target, attrs.get("if"), attrs.get("do"), span,
        Span(doc.path, end.line, target_col + 3) if target_col >= 0 else span,
        _attr_span(end, end_line, "if") if "if" in attrs else None,
        _attr_span(end, end_line, "do") if "do" in attrs else None,
        authored, source=written.strip(),
    )


def _before_end(doc: Document, inline: Token, col: int, blank: list[str]) -> list[str]:
    """`blank` (a choice's lines, code spans blanked) with each `]` before the end of its
    link's words spaced, so that the first `](#` is its end: where markdown-it ended
    them (its own parseLinkLabel over the item's text), the n-th `]` of the text being
    the n-th typed from the choice's `[` (column `col`). An escaped `\\](#x)`, an
    image's `![p](#x)` or a `[x](#a b)` shown as typed in its words were taken for its
    end: its target said at `#x`, its words cut there (the site showed them as plain
    words, their emphasis lost)."""
    content = inline.content
    start = content.find("[")
    if start < 0 or content.count("]", start) < 2:
        # no `]` but its link's own end (most choices: `[Go on](#hall)`): none to space,
        # whatever markdown-it's label is, and no inline state made to find it
        return blank
    label = parseLinkLabel(StateInline(content, markdown(), {}, []), start)
    if label < 0:
        return blank
    before = content.count("]", start, label)
    if not before:
        return blank
    out = list(blank)
    for k in range(len(out)):
        line = doc.source.line(doc.body_line + inline.map[0] + k)
        at = col - 1 if k == 0 else 0
        while before and (at := line.find("]", at)) >= 0:
            out[k] = out[k][:at] + " " + out[k][at + 1:]
            before, at = before - 1, at + 1
        if not before:
            break
    return out


def _link_end(lines: list[str], span: Span) -> tuple[Span, str]:
    """(where to look, the line) for the end of a choice's link, `](#scene){…}`, in
    `lines` (the choice's lines, code spans blanked): `span`
    and its first line when it ends there, else the first later line of the
    choice holding `](`, from its first column (a choice wrapped by the writer's editor:
    its target and attributes were looked for on the first line, and an error in its
    `if` was put there, under other words). Its `](#` before any `](`: the `](` of a
    link in its words that prose refused (`[here](<htps://x>)`, shown as typed) is not
    its end, and a wrapped choice's words were then looked for on its first line alone."""
    for mark in ("](#", "]("):
        for k, line in enumerate(lines):
            if line.find(mark, span.column - 1 if k == 0 else 0) >= 0:
                return (span, lines[0]) if k == 0 else (Span(span.path, span.line + k, 1), line)
    return span, lines[0]


def _wrapped_words(doc: Document, inline: Token, col: int, blank: list[str]) -> str:
    """A choice's words as written when its brackets span lines (`inline`: its list
    item's inline, its `[` at column `col` of the first line; `blank`: its lines with
    code spans blanked, where its end `](#` is looked for): the lines joined by a
    space, as the choice reads (the translator is given them as written)."""
    lines = [doc.source.line(doc.body_line + k) for k in range(inline.map[0], inline.map[1])]
    # a line ending in a backslash is a hard break, a space in a choice as any break
    # is: kept, 'to \\ lift' read back as a backslash, so the words as written did not
    # read as the choice and its HTML fell back to plain words
    lines[:-1] = [_without_break(line) for line in lines[:-1]]
    kept = [(0, len(lines[0].rstrip()))] + [(len(line) - len(line.lstrip()), len(line.rstrip())) for line in lines[1:]]
    joined = " ".join(line[a:b] for line, (a, b) in zip(lines, kept))
    end = " ".join(line[a:b] for line, (a, b) in zip(blank, kept)).find("](#", col)
    return joined[col:end] if end > col else ""


def _without_break(line: str) -> str:
    """A line of a wrapped choice without the backslash that ends it in a hard break
    (one not itself escaped)."""
    line = line.rstrip()
    slashes = len(line) - len(line.rstrip("\\"))
    return line[:-1] if slashes % 2 else line


def _attr_span(span: Span, source_line: str, key: str) -> Span:
    """Where the value of `key="…"` starts on the choice's line (inside the quotes)."""
    m = re.search(rf"(?<![\w-]){re.escape(key)}=(\"|')?", source_line[span.column - 1:])
    if not m:
        return span
    return Span(span.path, span.line, span.column + m.end())


def _finish(draft: _Draft, doc: Document, diags: Diagnostics, prose: Any = None) -> Scene:
    md = markdown()
    if prose is not None:
        _replace_prose(draft, prose)
    html = sanitize(md.renderer.render(draft.prose, md.options, {}), prose is not None) if draft.prose else ""
    text = "\n\n".join(t.content for t in draft.prose if t.type == "inline").strip()
    plain, shown, rows = plain_prose(draft.prose)
    title, title_shown = title_forms(draft.title, draft.references)
    headings = heading_blocks(draft.prose, shown) if plain else ()
    return Scene(draft.id, title, draft.ending, draft.span, html, plain or text,
                 count_words(plain or text), tuple(draft.choices), str(title_shown),
                 _paragraphs(draft.prose, doc, shown if plain else ()), draft.title.strip(FOLDED_CHARS), headings,
                 rows if plain else ())


def _replace_prose(draft: _Draft, prose: Any) -> None:
    """Swap each paragraph's inline Markdown for what `prose` gives (parse_scenes),
    in the same order `_paragraphs` lists them, so paragraph n is line id n."""
    md, tokens, n = markdown(), draft.prose, 0
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.map or not tok.content.strip():
            continue
        found = prose(draft.id, n, tok.content.strip(FOLDED_CHARS))
        n += 1
        if found is None:
            continue
        text, attrs = found
        # read with the story's link definitions, as the whole body was: a paragraph's
        # `[the map][m]` (its `[m]: …` further down the story) was shown as typed, in the
        # base language too, once the project listed a language to translate into
        inline = md.parseInline(text, {"references": dict(draft.references or {})})[0]
        tok.content, tok.children = text, inline.children
        # The block that shows the paragraph carries its attributes; a tight list
        # hides its paragraph tags, so the list item carries them instead.
        j = i - 1
        while j > 0 and tokens[j].hidden:
            j -= 1
        for key, value in (attrs or {}).items():
            tokens[j].attrSet(key, value)


def _paragraphs(tokens: list[Token], doc: Document, shown: tuple[int, ...] = ()) -> tuple[Paragraph, ...]:
    """Every inline block of the prose (paragraph, list item, sub-heading) as written;
    `shown`: plain_prose's block of each inline token. A paragraph's text keeps a
    no-break or ideographic space typed at either end, as Markdown keeps it (an indent:
    the translators' source line, and what a language shows where it is untranslated)."""
    inline = [t for t in tokens if t.type == "inline"]
    at = shown if len(shown) == len(inline) else (-1,) * len(inline)
    return tuple(Paragraph(t.content.strip(FOLDED_CHARS), Span(doc.path, doc.body_line + t.map[0], 1),
                           doc.body_line + t.map[1] - 1, n)
                 for t, n in zip(inline, at) if t.map and t.content.strip())


SCENES_FORMAT = 9   # 5: a choice's absent condition, effects and their spans are left out; 6: titles and choices as written; 7: a paragraph's plain block; 8: headings; 9: table rows


def parse_scenes_cached(doc: Document, diags: Diagnostics, cache: Any = None) -> list[Scene]:
    """parse_scenes, reusing the result for an unchanged body: Markdown parsing is the
    largest cost of checking a project with many stories."""
    if cache is None:
        return parse_scenes(doc, diags)
    key = cache.key_of("scenes", SCENES_FORMAT, doc.path, doc.body_line, doc.body)
    hit = cache.get(key)
    # an empty list is never written (a body without scenes is HF0532, and a result
    # with problems is not kept): a sealed `[]` is a row in another shape, a miss
    if isinstance(hit, list) and hit:
        try:
            return [_scene_from_json(doc.path, s) for s in hit]
        except (KeyError, IndexError, TypeError, ValueError):
            pass   # a sealed row in a shape this code does not write: a miss, never a crash
    before = len(diags.items)
    scenes = parse_scenes(doc, diags)
    if len(diags.items) == before:  # problems are found afresh every time
        cache.put(key, [_scene_to_json(s) for s in scenes])
    return scenes


def _where(span: Span | None) -> list[int] | None:
    return None if span is None else [span.line, span.column, span.end_column]


def _span(path: str, where: list[int] | None) -> Span | None:
    return None if where is None else Span(path, *where)


def _scene_to_json(scene: Scene) -> dict:
    return {"id": scene.id, "title": scene.title, "title_html": scene.title_html, "ending": scene.ending, "span": _where(scene.span),
            "html": scene.html, "text": scene.text, "words": scene.words,
            "choices": [_choice_to_json(c) for c in scene.choices],
            "paragraphs": [[p.text, p.span.line, p.last_line, p.shown] for p in scene.paragraphs],
            "title_source": scene.title_source, "headings": list(scene.headings), "rows": list(scene.rows)}


def _choice_to_json(c: Choice) -> dict:
    # a choice without a condition or effects leaves those keys out rather than writing
    # null: a row with no null is written (and read back) by orjson (load/rowjson.py),
    # ~0.3 ms less per story at each end
    row = {"id": c.id, "text": c.text, "target": c.target, "span": _where(c.span),
           "target_span": _where(c.target_span), "authored_id": c.authored_id, "source": c.source}
    for name, value in (("condition", c.condition), ("effects", c.effects),
                        ("condition_span", _where(c.condition_span)), ("effects_span", _where(c.effects_span))):
        if value is not None:
            row[name] = value
    return row


def _scene_from_json(path: str, data: dict) -> Scene:
    choices = tuple(Choice(c["id"], c["text"], c["target"], c.get("condition"), c.get("effects"), _span(path, c["span"]),
                           _span(path, c["target_span"]), _span(path, c.get("condition_span")),
                           _span(path, c.get("effects_span")), c["authored_id"], source=c.get("source", ""))
                    for c in data["choices"])
    return Scene(data["id"], data["title"], data["ending"], _span(path, data["span"]), data["html"], data["text"],
                 data["words"], choices, data["title_html"],
                 tuple(Paragraph(t, Span(path, line, 1), last, shown) for t, line, last, shown in data.get("paragraphs", [])),
                 data.get("title_source", ""), tuple(int(n) for n in data["headings"]),
                 tuple(int(n) for n in data["rows"]))
