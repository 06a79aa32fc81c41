"""The one Markdown parser every stage uses.

`js-default` keeps raw HTML off (markdown-it's CommonMark preset lets `<script>`
through); the attrs plugin reads `{if="..." do="..."}` after a choice's link.
Rendered HTML is still sanitised by the exporters (nh3): this is one layer of two.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import reference as _reference
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

import nh3
from markupsafe import Markup, escape

from ..diagnostics import Diagnostics, Span
from .cjk_emphasis import amend_emphasis

ALLOWED_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = _markdown_it()
    # Plain prose, handled before markdown-it's own rules look at it (same tokens):
    # a story is mostly paragraphs of it (`_plain_paragraph_rule`, `_inline_rule`).
    md.block.ruler.before("table", "plain_paragraph", _plain_paragraph_rule)
    md.block.ruler.before("table", "choice_list", _choice_list_rule)
    md.block.ruler.before("table", "scene_heading", _scene_heading_rule)
    md.core.ruler.at("inline", _inline_rule)
    return md


def _markdown_it() -> MarkdownIt:
    """markdown-it as configured for prose, without our shortcuts: what `markdown()`
    must give the same tokens as (tests/speed/test_plain_prose.py)."""
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    amend_emphasis(md)   # `**「重要」**です` is emphasis (load/cjk_emphasis.py)
    md.core.ruler.at("replacements", _typography)
    md.use(attrs_plugin)
    md.core.ruler.after("inline", "cap_nesting", _cap_nesting)
    md.validateLink = _safe_link
    _budget_look_ahead(md)
    normalize = md.normalizeLink
    # `//host/page` ("the page's own scheme"): inside an EPUB or a site opened from disk
    # it names a file (epubcheck RSC-007), so it is written as the https address it means.
    md.normalizeLink = lambda url: normalize("https:" + url if url.startswith("//") else url)
    md.add_render_rule("heading_open", _prose_heading)
    md.add_render_rule("heading_close", _prose_heading)
    md.add_render_rule("paragraph_open", _typed_indent)
    md.add_render_rule("fence", _fence)
    md.block.ruler.at("reference", _no_footnote_definitions)
    _keep_typed_spaces(md)
    return md


# --- the spaces CommonMark keeps at a block's ends ------------------------------------
# CommonMark trims a paragraph's and a heading's content of "spaces or tabs" only, and
# GFM (cmark-gfm) a table cell's of ASCII whitespace: a no-break space (U+00A0) or an
# ideographic space (U+3000, how Japanese and Chinese prose indents a paragraph) typed
# at either end is content (cmark and commonmark.js keep it; markdown-it itself now
# trims ASCII only, markdown-it/markdown-it#1074). markdown-it-py still trims
# JavaScript's whole whitespace set (`mdTrim`): a paragraph indented with U+3000 lost
# its indent on the site and in every output. The block rules are markdown-it's own;
# each one's content is trimmed again, as CommonMark does, from the source it read.
ASCII_TRIMMED = "".join(ch for ch in MD_TRIM_CHARS if ch.isascii())   # \t \n \v \f \r and space
_KEPT_AT_ENDS = "".join(ch for ch in MD_TRIM_CHARS if not ch.isascii())
_KEPT_SPACE = re.compile(f"[{_KEPT_AT_ENDS}]")


def _keep_typed_spaces(md: MarkdownIt) -> None:
    """markdown-it's `paragraph`, `heading`, `lheading` and `table` rules, each followed
    by a look at the content it trimmed: only when a character CommonMark keeps
    (`_KEPT_AT_ENDS`) is at the block's start or end is the content read again,
    trimmed of ASCII whitespace alone (`_retrim`); any other text is as markdown-it
    made it, untouched."""
    ruler = md.block.ruler
    for name in ("paragraph", "heading", "lheading", "table"):
        # (the Ruler keeps each rule's function and the chains it ends, `alt`, in
        # `__rules__`; `at` replaces the function, its chains given again)
        rule = ruler.__rules__[ruler.__find__(name)]
        ruler.at(name, _retrimming(rule.fn), {"alt": list(rule.alt)})


def _retrimming(rule: Callable) -> Callable:
    def retrimmed(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        pushed = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        if not silent and _KEPT_SPACE.search(state.src, state.bMarks[start], state.eMarks[state.line - 1]):
            _retrim(state, state.tokens[pushed:], start)
        return True

    retrimmed.__name__ = rule.__name__
    return retrimmed


def _retrim(state: StateBlock, tokens: list[Token], start: int) -> None:
    """The inline content of the block `tokens` (one rule's, read from line `start` on)
    trimmed as CommonMark trims it."""
    first = tokens[0].type
    if first == "paragraph_open":
        # the paragraph rule's own `getLines`, the lines it took, trimmed of ASCII alone
        tokens[1].content = state.getLines(start, state.line, state.blkIndent, False).strip(ASCII_TRIMMED)
    elif first == "heading_open" and tokens[0].markup[0] in "=-":   # a setext heading: its lines above the underline
        tokens[1].content = state.getLines(start, state.line - 1, state.blkIndent, False).strip(ASCII_TRIMMED)
    elif first == "heading_open":
        # an ATX heading: its content is one piece of its line, and what markdown-it
        # trimmed off either end is the run of trim characters next to it there (up to a
        # closing `#` sequence, or spaces past the line's end it had skipped first)
        src, token = state.src, tokens[1]
        at = state.bMarks[start] + state.tShift[start] + len(tokens[0].markup)
        line_end = state.eMarks[start]
        lead = _trim_run(src, at, line_end)   # (then the content, which starts with no trim character)
        tail = _trim_run(src, at + len(lead) + len(token.content), line_end)
        token.content = (lead + token.content + tail).strip(ASCII_TRIMMED)
    else:
        _retrim_cells(state, tokens)


def _trim_run(src: str, at: int, end: int) -> str:
    """The characters of `MD_TRIM_CHARS` from `at` on (before `end`) in `src`."""
    stop = at
    while stop < end and src[stop] in MD_TRIM_CHARS:
        stop += 1
    return src[at:stop]


def _retrim_cells(state: StateBlock, tokens: list[Token]) -> None:
    """A table's cells trimmed as GFM trims them: each row split again as markdown-it's
    `table` rule splits it (its line trimmed, split at each `|` not escaped, the outer
    pipes' empty cells left out), what the trim took off the line's ends given back to
    its first and last cell, and each cell trimmed of ASCII whitespace alone."""
    from markdown_it.rules_block.table import escapedSplit, getLine   # the rule's own split

    row: list[str] = []
    cell = 0
    for tok in tokens:
        if tok.type == "tr_open" and tok.map:
            line = getLine(state, tok.map[0])
            text = line.strip(MD_TRIM_CHARS)
            row, cell = escapedSplit(text), 0
            if row and row[0] == "":
                row.pop(0)
            else:   # no leading pipe: the first cell starts at the line's start
                row[0] = line[:len(line) - len(line.lstrip(MD_TRIM_CHARS))] + row[0]
            if row and row[-1] == "":
                row.pop()
            elif row:
                row[-1] += line[len(line.rstrip(MD_TRIM_CHARS)):]
        elif tok.type == "inline":
            if cell < len(row):
                tok.content = row[cell].strip(ASCII_TRIMMED)
            cell += 1


def _no_footnote_definitions(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's link reference definitions, but for a label starting with `^`: a
    footnote's definition (`[^1]: Source.`), which foundry's Markdown does not have. A
    one-word note made a valid definition, so the line vanished from every output and
    each `[^1]` became a link to `Source.` (HF0721, a broken link, at a line the writer
    saw no link on), where a note of several words stayed text. Now every footnote is
    text as typed, said by HF0124 at each `[^1]` (load/titles.py FOOTNOTE)."""
    at = state.bMarks[start] + state.tShift[start]
    if state.src.startswith("[^", at):
        return False
    return _reference(state, start, end, silent)


# The typographer's replacements a writer expects (SmartyPants's, beside markdown-it's
# smart quotes): `--` and `---` dashes and `..`/`...` an ellipsis. markdown-it's own rule
# also turns `(c)` `(r)` `(tm)` into © ® ™ (a gamebook's "choose (a), (b) or (c)" read
# "or ©"), `+-` into ±, and drops what a writer typed: `What?!!!!` became `What!!!`,
# `Wait?...` `Wait?..`, `,,` one comma. Its dash and ellipsis patterns are kept as they
# are, so every other text renders byte for byte as before.
_TYPOGRAPHY = re.compile(r"\.\.|--")
_ELLIPSIS = re.compile(r"\.{2,}")
_EM_DASH = re.compile(r"(^|[^-])---(?=[^-]|$)", re.MULTILINE)
_EN_DASH = re.compile(r"(^|\s)--(?=\s|$)", re.MULTILINE)
_EN_DASH_JOINED = re.compile(r"(^|[^-\s])--(?=[^-\s]|$)", re.MULTILINE)


# A word of prose that is an address, typed as text or as a link's words: a URL
# (`https://xn--bcher-kva.example/a--b`), a host (`www.example.org`, `xn--bcher-kva.example`,
# the ASCII form of an international name: its `xn--` is the name), an e-mail address.
# Its `--` and `..` are the address, not a dash or an ellipsis: the typographer made
# `xn--bcher-kva.example` `xn–bcher-kva.example`, a host that does not exist, in the
# site, the books, JSON and ink, while the link's own address kept the hyphens. A word
# is what spaces bound, or a letter or sign of a script written without spaces (`_UNSPACED`:
# `彼は言った--待って...連絡はrook@example.jpまで` was one word, an e-mail address, so its
# dash and ellipsis were left as typed); the punctuation a sentence puts around it
# (`(`, `„`, `「`…) does not change it (taken possessively: a run of 60,000 `(` before
# `--a.b` was tried again from each).
# The pattern reads a text whose `_UNSPACED` characters are made spaces first (`_spaced`,
# one for one, so a match's place is the text's): written with those ranges in each of
# its ten "not a space" classes, it took ~30 CPU-ms to compile (each class's 180,000 code
# points case-folded one by one), in every foundry process that loads Markdown.
_UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3000-\u9fff"
             "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_ADDRESS_WORD = re.compile(
    r"""(?<!\S)[("'‘“«„‚‹¿¡\[]*+(?:
        [A-Za-z][A-Za-z0-9+.-]*://\S*                          # a URL with its scheme
      | (?:mailto|tel):\S+
      | [^\s@]+@[^\s@.]+\.\S+                                 # an e-mail address
      | \S*?(?<![A-Za-z0-9-])xn--\S*                           # an IDNA label (RFC 5891's ACE prefix)
      | (?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[:/?#]\S*)?   # a host name
    )[.,;:!?)\]"'’”»“‘›]*+(?!\S)""", re.IGNORECASE | re.VERBOSE)


def _spaced(text: str) -> str:
    """`text` with each character of a script written without spaces (`_UNSPACED`) made a
    space: the same length, each character where it was, for `_ADDRESS_WORD`."""
    return text if text.isascii() else _UNSPACED_CHAR.sub(" ", text)


# dots ending such a word, and what closes the sentence after them: an ellipsis after the address.
# Tried only from the first dot of a run (a search from each dot of 40,000 in
# `https://a....x` took each to the `x` and back: 8 CPU-s)
_TRAILING_DOTS = re.compile(r"(?<!\.)\.{2,}+[)\]\"'’”»]*+$")


def _typeset(text: str) -> str:
    """`text` (a text token's) with its dashes and ellipses made, its address words
    (`_ADDRESS_WORD`) kept as typed."""
    if "." not in text and ":" not in text and "@" not in text:
        return _dashes_and_dots(text)   # (no address can be in it: most prose)
    out, at = [], 0
    for word in _ADDRESS_WORD.finditer(_spaced(text)):   # (a match holds no space: it is the text's own)
        dots = _TRAILING_DOTS.search(word.group(0))
        end = word.start() + dots.start() if dots else word.end()
        out.append(_dashes_and_dots(text[at:word.start()]))
        out.append(text[word.start():end])
        at = end
    return "".join(out) + _dashes_and_dots(text[at:])


def _dashes_and_dots(text: str) -> str:
    if not _TYPOGRAPHY.search(text):
        return text
    text = _ELLIPSIS.sub("\u2026", text)
    text = _EM_DASH.sub("\\1\u2014", text)
    text = _EN_DASH.sub("\\1\u2013", text)
    return _EN_DASH_JOINED.sub("\\1\u2013", text)


def _typography(state: StateCore) -> None:
    """Dashes and ellipses in the text of each inline token, outside autolinks and
    address words (`_ADDRESS_WORD`) (a markdown-it core rule, in place of its
    `replacements`: see above)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children or not _TYPOGRAPHY.search(token.content):
            continue
        in_autolink = 0
        for child in token.children:
            if child.type == "text" and not in_autolink and _TYPOGRAPHY.search(child.content):
                child.content = _typeset(child.content)
            elif child.type == "link_open" and child.info == "auto":
                in_autolink += 1
            elif child.type == "link_close" and child.info == "auto":
                in_autolink -= 1


# Prose is always shown inside a section that has its own heading: a scene's (h2), a
# hero's "Background" (h2), a gamebook section's number (h2). The headings a writer types
# in it start one level below, at h3, and the levels the prose uses follow in their
# order, none skipped (`#` and `###` in a scene, where `##` is a scene: h3 and h4).
# `# Early life` in a background was a second <h1> on the hero's page, and `# A vision`
# in a scene a bookmark of the PDF's first level among its sections.
PROSE_HEADING_TOP = 3
_LEVELS = "foundry_heading_levels"


def _prose_heading(renderer, tokens: list, idx: int, options, env) -> str:
    """A heading's tag, at the rank of its level among the prose's heading levels,
    from PROSE_HEADING_TOP (h6 at most). Worked out once per rendering (kept in
    `env`); the token itself is left as parsed."""
    levels = env.get(_LEVELS)
    if levels is None:
        used = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
        levels = env[_LEVELS] = {level: min(PROSE_HEADING_TOP + rank, 6) for rank, level in enumerate(used)}
    token = tokens[idx]
    parsed = token.tag
    token.tag = f"h{levels[int(parsed[1])]}"
    try:
        return renderer.renderToken(tokens, idx, options, env)
    finally:
        token.tag = parsed


# A paragraph a writer indents with a space typed at its start (U+3000, how Japanese
# and Chinese prose indents; `&emsp;`, `&nbsp;&nbsp;`) carries this class: the print
# themes indent every paragraph but a section's first (`text-indent`), and such a
# paragraph was indented twice, the theme's indent and the writer's. Their rule
# `p.typed-indent { text-indent: 0 }` leaves the writer's alone.
TYPED_INDENT = "typed-indent"


# The block `foundry import` keeps what it could not carry over in (```` ```imported ````,
# docs/importing.md) is drawn `<pre data-imported="">`: the site shows it to the writer,
# and an output a player plays leaves it out (`without_imported_blocks`), as ink and
# `foundry play` do (`plain_prose`).
IMPORTED_ATTRIBUTE = "data-imported"


def _fence(renderer, tokens: list, idx: int, options, env) -> str:
    """A fenced code block as markdown-it draws it; an `imported` one marked so."""
    html = RendererHTML.fence(renderer, tokens, idx, options, env)
    if tokens[idx].info.strip() == "imported":
        html = html.replace("<pre>", f'<pre {IMPORTED_ATTRIBUTE}="">', 1)
    return html


_IMPORTED_HTML = re.compile(rf'<pre {IMPORTED_ATTRIBUTE}="">.*?</pre>\n?', re.S)


def without_imported_blocks(html: str) -> str:
    """Sanitised prose HTML without the blocks `foundry import` kept (IMPORTED_ATTRIBUTE):
    the writer's note, which no output a player plays shows (the Twee export showed it
    to the player as code, and imported again it became prose). Sanitised, a `</pre>`
    can only be the block's own end."""
    return _IMPORTED_HTML.sub("", html) if IMPORTED_ATTRIBUTE in html else html


def _typed_indent(renderer, tokens: list, idx: int, options, env) -> str:
    """A paragraph's opening tag, with the class TYPED_INDENT when its text opens with
    a space other than U+0020 (written as itself or as an entity: its first character
    as parsed). The token itself is left as parsed."""
    token = tokens[idx]
    inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
    first = (inline.children[0].content if inline is not None and inline.children else
             inline.content if inline is not None else "")[:1]
    if token.hidden or not first or first == " " or unicodedata.category(first) != "Zs":
        return renderer.renderToken(tokens, idx, options, env)
    had = token.attrGet("class")
    token.attrSet("class", f"{had} {TYPED_INDENT}" if had else TYPED_INDENT)
    try:
        return renderer.renderToken(tokens, idx, options, env)
    finally:
        if had is None:
            del token.attrs["class"]
        else:
            token.attrSet("class", had)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def headings_from(html: str, top: int) -> str:
    """Rendered prose (sanitised HTML, its highest heading at PROSE_HEADING_TOP) with
    its headings moved to start at `top`, for prose shown right under a page's <h1>
    (a story's or quest's summary on its page): an <h3> there skipped a level. Tags
    only: text holds no `<` (escaped)."""
    shift = top - PROSE_HEADING_TOP
    if not shift or "<h" not in html:
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)) + shift, top), 6)}", html)


@lru_cache(maxsize=1)
def _title_markdown() -> MarkdownIt:
    # No typographer: a title keeps the quotes it was written with, as titles always
    # have (a sample world's titles stay byte-identical in every output).
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    amend_emphasis(md)   # a title's emphasis read as prose's is (load/cjk_emphasis.py)
    md.core.ruler.after("inline", "cap_nesting", _cap_nesting)
    # Every address is read as one: a title never makes a link (its words alone are
    # shown, `_html_of`), so no scheme is ever followed. Prose's `_safe_link` here left
    # `[Map](javascript:x)` unread: every output showed its brackets and address as
    # typed, and no HF0123 said so (title_links found no link in it).
    md.validateLink = lambda url: True
    _budget_look_ahead(md)
    return md


# markdown-it learns whether a `[` (or `![`) opens a link by reading on to its `]`,
# running every inline rule on each position on the way (`skipToken`), and does so
# again, one level deeper, for each `[` it meets there, up to maxNesting (100) levels:
# text that is a run of brackets costs ~100 rule runs a character, where prose costs
# fewer than one every ten (the sample world, docs/, tests' projects: at most 6 in
# one text). A hero's 64 KB background of `![` took 17 s of `check` and 2 MB of story
# minutes, one short list item of `[` after another as much. So each parse (one
# document) may take LOOK_AHEAD_BASE plus LOOK_AHEAD_PER_CHAR steps for each of its
# characters; past them, the rest of it is read as markdown-it reads brackets past
# its nesting limit: as the characters typed. A story or prose field that ran out is
# HF0169 at check (`look_ahead_ran_out`), so nothing is published read that way.
# A `[` (or `![`) costs at most ~BRACKET_STEPS steps a character of the text after it
# (2.6 for `![![` before 8,000 `*`, 3.5 for four `![` before `*a`: the worst found), so
# a prose field whose brackets cannot spend its budget is not parsed again to be sure.
LOOK_AHEAD_PER_CHAR = 2
LOOK_AHEAD_BASE = 20_000   # brackets nested to markdown-it's own limit (99 deep) take 19,405
BRACKET_STEPS = 4
_LEFT = "foundry_look_ahead_left"        # env keys: steps left in this parse,
_LINE = "foundry_inline_line"            # the line (0-based) of the inline text being parsed,
_RAN_OUT = "foundry_look_ahead_ran_out"  # and that line (or -1) once the steps ran out
_TOO_DEEP = "foundry_blocks_too_deep"    # the first line (0-based) markdown-it skipped, nested too deep


def _budget_look_ahead(md: MarkdownIt) -> None:
    """Each `md.parse` held to its look-ahead budget (LOOK_AHEAD_*): a core rule gives
    the parse its steps, and `md.inline.skipToken` (the look-ahead of link labels)
    spends them."""
    skip_token = md.inline.skipToken

    def give_steps(state: StateCore) -> None:
        state.env[_LEFT] = LOOK_AHEAD_BASE + LOOK_AHEAD_PER_CHAR * len(state.src)
        state.env.pop(_RAN_OUT, None)
        state.env.pop(_LINE, None)
        state.env.pop(_TOO_DEEP, None)

    def budgeted(state) -> None:
        env = state.env
        left = env.get(_LEFT)
        if left is None or left > 0:   # None: inline parsing called without a core run
            if left is not None:
                env[_LEFT] = left - 1
            skip_token(state)
            return
        env.setdefault(_RAN_OUT, env.get(_LINE, -1))
        # what ParserInline.skipToken does past maxNesting: on to the end (posMax), and
        # one more since no rule matched; remembered for that position
        pos = state.pos
        state.pos = state.posMax + 1
        state.cache[pos] = state.pos

    md.core.ruler.before("normalize", "look_ahead_budget", give_steps)
    md.inline.skipToken = budgeted
    tokenize = md.block.tokenize

    def noting_depth(state, start: int, end: int) -> None:
        # markdown-it's block parser, at maxNesting (100) levels of quotes and lists,
        # skips the rest of the text it was given without a token: a quote 100 `>`
        # deep lost its words, a list 50 deep the story's scenes after it.
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env.setdefault(_TOO_DEEP, line)
        tokenize(state, start, end)

    md.block.tokenize = noting_depth


def look_ahead_ran_out(env: Mapping) -> int | None:
    """After `markdown().parse(text, env)`: None when the parse kept to its look-ahead
    budget, else the 0-based line of `text` where it ran out (-1: not known)."""
    return env.get(_RAN_OUT)


def may_run_out(text: str) -> bool:
    """Whether `text` holds brackets enough for its parse to run out of look-ahead
    (`report_look_ahead` parses it to know only then)."""
    return BRACKET_STEPS * text.count("[") * len(text) > LOOK_AHEAD_BASE + LOOK_AHEAD_PER_CHAR * len(text)


def report_look_ahead(text: str, span: Span, diags: Diagnostics, env: Mapping | None = None,
                      line_of: Callable[[int], str | None] | None = None,
                      last: Callable[[], int] | None = None) -> bool:
    """HF0169 at the line of `text` where its look-ahead budget ran out, when it did:
    `span` is where `text` starts (a story's body), or, with `line_of` (a file's lines
    by number), where the field holding it is (its lines are looked for from there);
    `env`: that of a parse already made of `text`, else it is parsed here when it holds
    brackets enough to run out; `last`: the field's last line in the file (a folded
    block's lines outnumber its text's). True if said."""
    if env is None:
        if not may_run_out(text):
            return False   # too few brackets to run out
        env = {}
        markdown().parse(text, env)
    line = look_ahead_ran_out(env)
    if line is None:
        return False
    at = Span(span.path, span.line + max(line, 0), 1) if span.line else span
    if line_of is not None and span.line:   # a YAML field: its text's lines as the file holds them
        wanted = text.split("\n")[max(line, 0)].strip()[:40]
        at = next((Span(span.path, n, 1) for n in range(span.line, max(last() if last else 0, span.line + text.count("\n") + 1) + 1)
                   if wanted in (line_of(n) or "")), Span(span.path, span.line, 1))
    diags.add("HF0169", "so many brackets ('[', '![') are open one inside another here that finding where each "
                        "ends would take minutes: foundry stopped looking for links at this line", at)
    return True


# a line that may open quotes and lists 50 deep (100 `>`, or 50 list levels indented
# two spaces or more each): only a text with one is parsed to learn whether it did
_MAY_NEST_DEEP = re.compile(r"^[ \t>*+\-\d.)]{50,}", re.M)


def may_nest_deep(text: str) -> bool:
    """Whether a line of `text` could nest quotes and lists past markdown-it's limit
    (`report_too_deep` parses it to know only then)."""
    return _MAY_NEST_DEEP.search(text) is not None


def report_too_deep(text: str, span: Span, diags: Diagnostics, env: Mapping | None = None,
                    line_of: Callable[[int], str | None] | None = None) -> bool:
    """HF0171 at the line of `text` from which markdown-it read nothing, its quotes and
    lists nested past its limit (100 levels: a quote is one, a list item two): `span`
    is where `text` starts (a story's body), or, with `line_of` (a file's lines by
    number), where the YAML field holding it is; `env`: that of a parse already made
    of `text`, else it is parsed here when a line could nest so deep. True if said."""
    if env is None:
        if not may_nest_deep(text):
            return False
        env = {}
        markdown().parse(text, env)
    line = env.get(_TOO_DEEP)
    if line is None:
        return False
    at = Span(span.path, span.line + line, 1) if span.line else span
    if line_of is not None and span.line:   # a YAML field: the line as the file holds it
        wanted = text.split("\n")[line].strip()[:40]
        at = next((Span(span.path, n, 1) for n in range(span.line, span.line + text.count("\n") + 2)
                   if wanted in (line_of(n) or "")), Span(span.path, span.line, 1))
    diags.add("HF0171", "quotes and lists are nested here more than 100 levels deep (a quote counts one, a list "
                        "item two): Markdown skips what is nested so deep, from this line on", at)
    return True


# Inline markup nested deeper than this is shown as the characters typed. Emphasis
# nests as deep as its delimiter runs are long: `*` × 800 around a word made 400
# <strong> one in the other, which the site showed and the PDF and EPUB could not lay
# out (WeasyPrint recursed too deeply: the build failed with HF0711, naming no line,
# where `check` had passed). No prose needs more than a few levels.
MAX_INLINE_NESTING = 32


def _cap_nesting(state: StateCore) -> None:
    """Each inline's markup past MAX_INLINE_NESTING levels turned back into the text
    of its delimiters (`*`, `**`, `~~`), what the writer typed: kept, never dropped."""
    for token in state.tokens:
        children = token.children if token.type == "inline" else None
        if not children or len(children) <= 2 * MAX_INLINE_NESTING:
            continue   # too few tokens to nest that deep
        depth, turned = 0, []
        for i, child in enumerate(children):
            if child.nesting == 1:
                depth += 1
                turned.append(depth > MAX_INLINE_NESTING)
                if turned[-1]:
                    children[i] = Token("text", "", 0, content=child.markup)
            elif child.nesting == -1:
                if turned and turned.pop():
                    children[i] = Token("text", "", 0, content=child.markup)
                depth -= 1


# Inline markup a title may carry, as HTML. Links are dropped (a heading is not a link;
# its text stays), images become their alt text.
_TITLE_TAGS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>",
               "s_open": "<s>", "s_close": "</s>"}


def title_html(source: str) -> Markup:
    """A heading or title written in inline Markdown (``The *Lantern* Path &amp; `Co` ``)
    → HTML for every HTML output (site, EPUB, PDF, a Twee passage's heading): emphasis, strong, strike-through
    and code kept, text escaped exactly as Jinja escapes it (so a title without markup
    renders byte-identically to `{{ title }}`), links and images reduced to their text.
    The plain-text twin is `title_text`; both read the same tokens, so they show the
    same words."""
    return _html_of(_title_tokens(source))


def title_text(source: str) -> str:
    """The same title as plain text, for every plain-text output (ink, Twee names, `foundry
    play`, JSON `title`, HTML `<title>`, EPUB navigation labels): markup removed,
    entities and backslash escapes decoded, every word the HTML shows kept."""
    return _text_of(_title_tokens(source))


def title_forms(source: str, references: Mapping | None = None) -> tuple[str, Markup]:
    """(title_text(source), title_html(source)) from one parse of its Markdown: a
    title with markup is parsed once for both (~60 µs a parse), and a short one once
    per process (`_kept_title_forms`). `references`: the link definitions of the
    document the title stands in (a story's body: its parse's `env["references"]`),
    which a scene heading's `[Lantern][l]` and `![map][m]` use as Markdown reads them
    there: a link keeps its words and an image its alt text, as written inline."""
    if references and "[" in source:
        tokens = _title_tokens(source, references)
        return _text_of(tokens), _html_of(tokens)
    if len(source) <= TITLE_KEPT_CHARS and type(source) is str:   # (a Markup equal to a str is not that str)
        return _kept_title_forms(source)
    tokens = _title_tokens(source)
    return _text_of(tokens), _html_of(tokens)


# Titles up to this long have their forms kept (`_kept_title_forms`): names, roles and
# relationship notes; a longer text is parsed each time, so the memo stays small
# (at most TITLES_KEPT × this many characters).
TITLE_KEPT_CHARS = 200
TITLES_KEPT = 4096


@lru_cache(maxsize=TITLES_KEPT)
def _kept_title_forms(source: str) -> tuple[str, Markup]:
    """title_forms of a short title, kept by its text: both forms are a function of the
    text alone (the title parser has no options a project sets, no env, no state kept
    between parses) and immutable, so every file writing the same marked-up note or
    name shares one parse (a cold check parsed `Since the *Wreck* of the Gull.` once
    per relationship holding it: 4,000 of the 10,000-hero benchmark's heroes)."""
    tokens = _title_tokens(source)
    return _text_of(tokens), _html_of(tokens)


def _html_of(tokens: list) -> Markup:
    out = []
    for tok in tokens:
        if tok.type in ("text", "image"):
            out.append(str(escape(tok.content)))
        elif tok.type == "code_inline":
            out.append(f"<code>{escape(tok.content)}</code>")
        elif tok.type in _TITLE_TAGS:
            out.append(_TITLE_TAGS[tok.type])
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
    # the ends trimmed as the plain text's are (`collapse_spaces`): str.strip() took a
    # no-break or ideographic space typed at either end off the HTML alone
    return Markup("".join(out).strip(FOLDED_CHARS))


def _text_of(tokens: list) -> str:
    parts = []
    for tok in tokens:
        if tok.type in ("text", "code_inline", "image"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return collapse_spaces("".join(parts))


# What a line of plain text folds into one space: the whitespace HTML folds (space, tab,
# line feed, form feed, carriage return) and the other line and paragraph breaks. Not the
# spaces a writer types on purpose, which str.split() folded too: a no-break space
# (`Rook&nbsp;Amsel`, `100 km`, French `Capitaine :` with U+202F), the em, en, figure
# and thin spaces, and the ideographic space of a Japanese title (`第一章　旅立ち`) were
# each published as an ASCII space in every text output (JSON, `<title>`, ink, Twee,
# search, play) while the site's heading kept them.
FOLDED_CHARS = " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_FOLDED_SPACE = re.compile(f"[{FOLDED_CHARS}]+")


def collapse_spaces(text: str) -> str:
    """`text` as one line: each run of `_FOLDED_SPACE` one space, none at either end;
    every other character, a no-break or ideographic space among them, as written."""
    return _FOLDED_SPACE.sub(" ", text).strip(" ")


# Characters that can start inline Markdown (escapes, code, emphasis, strike-through,
# links, images, autolinks, entities, line breaks) or that markdown-it normalises. A
# title without any is one text token as written: parsing it costs ~60 µs, and 10,000
# heroes have 30,000 names, titles and roles.
_INLINE_MARKS = re.compile(r"[\\`*_~\[\]!<&\n\r\0]")


# An HTML tag as a writer would type one (`<i>`, `</b>`, `<br/>`, `<span class="x">`).
# Raw HTML is off, so in a title it is text: shown as typed, never run.
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def is_plain_title(source: str) -> bool:
    """True when a title has no inline Markdown and no extra whitespace: its plain text
    is itself and its HTML is itself escaped (the fast path for most names)."""
    return not _INLINE_MARKS.search(source) and collapse_spaces(source) == source


def title_tags(source: str) -> list[str]:
    """HTML tags written in a title's text (not inside `code`, not `<https://…>`
    autolinks): a writer who typed `<i>` meant markup, and will see `<i>` instead.
    One written `\\<i\\>` or `&lt;i&gt;` asked for the angle brackets: not a tag, even
    beside a `<i>` typed as one (`asked_angles`)."""
    mask = _mask_for(source)
    return [m.group(0).replace(mask, "<") for tok in _title_tokens(asked_angles(source, mask)) if tok.type == "text"
            for m in _HTML_TAG.finditer(tok.content)]


# A `<` the writer asked to see as the character: escaped (`\<`, after an even run of
# backslashes: `\\<` is a backslash, then a typed `<`) or an entity (`&lt;`, `&#60;`,
# `&#x3c;`). markdown-it makes each the same text as a typed `<`, so a text holding a
# typed `<b>` and an asked-for `&lt;b&gt;` showed two tags, and each escape beside a
# typed tag of its name was said as one (HF0536/HF0124, at the field or the escape).
_ASKED_ANGLE = re.compile(r"(?<!\\)((?:\\\\)*)\\<|&(?:lt|LT|#0*60|#[xX]0*3[cC]);")
_ASKED = "\ue000"   # a private-use character: no Markdown, no entity, never a tag's `<`


def _mask_for(written: str) -> str:
    """A private-use character `written` does not hold (`_ASKED` unless a writer typed
    it): one typed was taken for an asked `<`, and quoted back as `<` in a tag's words."""
    if _ASKED not in written:
        return _ASKED
    return next(ch for ch in map(chr, range(0xE001, 0xF900)) if ch not in written)


def asked_angles(written: str, mask: str = _ASKED) -> str:
    """`written` (inline Markdown as typed) with each `<` asked for as the character
    (`_ASKED_ANGLE`) made `mask` (one `written` does not hold: `_mask_for`): parsed,
    its text holds a `<` only where one was typed."""
    if "\\<" not in written and "&" not in written:
        return written
    return _ASKED_ANGLE.sub(lambda m: (m.group(1) or "") + mask, written)


def typed_angles(written: str) -> list[bool]:
    """For each `<` the inline Markdown `written` shows as text (in order; code spans,
    addresses and autolinks left out, an image's alt text too), whether it was typed as a
    `<` (True) or asked for as the character (`\\<`, `&lt;`: False)."""
    mask = _mask_for(written)
    return [ch == "<" for tok in _title_tokens(asked_angles(written, mask)) if tok.type == "text"
            for ch in tok.content if ch == "<" or ch == mask]


_TAG_START = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*")


def typed_tag_at(tag: str, source: str) -> int:
    """Where `tag` (an HTML tag found in parsed text) starts in `source` as typed: its
    `<` and name not escaped (`\\<b>`) nor written as an entity (`&lt;b>`), which is how a
    writer asks for angle brackets; -1 when it is only there so (markdown-it joins both
    into plain text, so the parsed text cannot tell them from a tag)."""
    start = _TAG_START.match(tag)
    if start is None:
        return -1
    for m in re.finditer(re.escape(start.group(0)) + r"(?![A-Za-z0-9-])", source):
        slashes = len(m.string[:m.start()]) - len(m.string[:m.start()].rstrip("\\"))
        if slashes % 2 == 0:      # `\\<b>` is a backslash, then a tag
            return m.start()
    return -1


def title_links(source: str, references: Mapping | None = None) -> list[tuple[str, str | None]]:
    """Links and images written in a title (`[Path](#bank)`, `![map](map.png)`), as
    typed, each as (its address, None for a link or an image's alt text): `title_html`
    and `title_text` keep only a link's words and an image's alt text. Autolinks
    (`<https://…>`) are left out: their words are the address itself. `references`: as
    `title_forms`' (a reference-style link, `[Path][p]`, is one where it is defined)."""
    if "](" not in source and not (references and "[" in source):
        return []
    tokens = _title_markdown().parseInline(source, {"references": references} if references else None)
    found = []
    for tok in tokens[0].children or [] if tokens else []:
        if tok.type == "link_open" and tok.markup != "autolink":
            found.append((str(tok.attrs.get("href", "")), None))
        elif tok.type == "image":
            found.append((str(tok.attrs.get("src", "")), "".join(c.content for c in tok.children or [])))
    return found


def _title_tokens(source: str, references: Mapping | None = None) -> list:
    if not _INLINE_MARKS.search(source):
        return [Token(type="text", tag="", nesting=0, content=source)]
    # (a copy of the definitions' env: the parse may add to the env it is given)
    tokens = _title_markdown().parseInline(source, {"references": references} if references else None)
    return _alt_for_images(tokens[0].children or [] if tokens else [])


def _alt_for_images(children: list) -> list:
    """Inline tokens with each image replaced by a token holding its alt text (its
    words are in its children): what a title or a choice shows of an image."""
    return [tok.__class__(type="image", tag="", nesting=0, content="".join(c.content for c in tok.children or []))
            if tok.type == "image" else tok for tok in children]


def choice_words(source: str) -> str:
    """A choice's words (what a writer typed between its brackets) as plain text:
    choice_forms(source)[0]."""
    return choice_forms(source)[0]


def choice_forms(source: str) -> tuple[str, Markup]:
    """(plain text, HTML) of a choice's words as written (inline Markdown), read as a
    story's parse reads a choice in place: `inline_forms` of the prose parser's tokens.
    A translated choice is read by this too, so it shows as the base language's does."""
    tokens = markdown().parseInline(source)
    return inline_forms(tokens[0].children or [] if tokens else [])


def inline_forms(children: list) -> tuple[str, Markup]:
    """(plain text, HTML) of a choice's words from the prose parser's inline tokens
    (`children` of its list item's inline, or of `choice_forms`' parse): the prose's
    typography (`"hi" -- now...` → “hi” – now…, which a title's parse does not apply),
    emphasis, strong, strike-through and code kept in the HTML, a link reduced to its
    words and an image to its alt text (as a title's: `[Look ![a map](m.png)](#x)`
    dropped 'a map' from the button, and only the button), a line break (a choice
    wrapped over lines, with `\\` or without) a space, runs of whitespace one space.
    The one reading of a choice's words: the story's parse, Choice.html, a translated
    choice, the translators' line and the string tables all read it, so the plain text
    every text output shows and the HTML's words are the same."""
    tokens = _alt_for_images(children)
    return _text_of(tokens), _html_of(tokens)


# What a scene break (a thematic break: `* * *`, `***`, `---`, `___`, a rule on the
# site, the EPUB and the PDF) is in plain text: a paragraph of its own, the break
# printed books use. It was left out, so ink, `foundry play` and the JSON `text` ran
# the two sides of a break together, one scene's time jump unmarked.
SCENE_BREAK = "* * *"


# The marks that open a line of dialogue: a quote's paragraph opening with one is
# not wrapped in “ ” again (typographer's curly quotes, straight ones it left, the
# German »…« and „…“, the French «…», the CJK corner brackets; the dash French, Spanish,
# Russian and Italian open a line of dialogue with, `— Non, dit-elle.`, and `--` the
# typographer makes a dash; not `’`, which opens `’Tis` as an apostrophe).
QUOTE_OPENERS = frozenset("\"'“”„‘‚«»‹›「『—–―")


def prose_text(tokens: list) -> str:
    """Parsed Markdown prose (markdown().parse tokens) as plain text: `plain_prose`'s
    text (read the rules there). Every plain-text output of prose (JSON `text`, ink,
    `foundry play`, cards, the search index) reads this."""
    return plain_prose(tokens)[0]


def plain_prose(tokens: list) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Parsed Markdown prose (markdown().parse tokens) as plain text, and for each
    `inline` token of `tokens` in order the index of the paragraph of that text
    (`text_blocks`) that shows it, -1 for one that shows nothing (ink hangs each
    paragraph's line id on the paragraph that shows it: a block with no id of its own,
    a scene break or a code block, moves no id).

    Each paragraph, list item, heading or code block is one paragraph (an `imported`
    block left out: the importer's note to the writer), a table's row one paragraph (its
    cells that show anything joined by ` | `, a `|` inside a cell written `\\|` as in the
    Markdown; a row of empty cells left out), a scene break (thematic
    break) the paragraph `SCENE_BREAK`, separated by blank lines; emphasis, links and
    code reduced to their words, entities decoded, a space written on purpose at a
    paragraph's start (`&nbsp;`, `&emsp;`, `&#x3000;`: an indent the site shows) kept. What the HTML shows of a list or a quote is kept as a mark
    (docs/formats.md): an item of a numbered list starts with its number (`2. Light the
    lamp`), a bulleted item with `• `, each paragraph of a quote is wrapped in “ ” (once
    however deep the quote; not one opening with a quote mark, `QUOTE_OPENERS`, which
    is a line of dialogue already): a list of three things read as three sentences, a
    numbered list's steps and a quoted letter as the story's own words. The marks are
    outside a paragraph's words, so a paragraph's line id and its translation are as
    they were. The third value: the paragraphs (`text_blocks`) that are table rows,
    whose `\\|` a reader is shown as `|` (`cells_as_read`)."""
    paragraphs: list[str] = []
    blocks = 0                        # text_blocks of the paragraphs so far
    shown: list[int] = []             # per inline token: the block showing it
    counters: list[int | None] = []   # per open list: the next item's number (None: bullets)
    mark = ""                         # the number or bullet the next paragraph starts with
    quoted = 0                        # quotes open around the next paragraph
    row: list[str] | None = None      # the cells of a table's row being read
    row_from = 0                      # how many inline tokens were read before the row
    rows: list[int] = []              # the blocks that are table rows

    def add(text: str, strip: bool = True, marked: bool = True) -> int:
        """Adds a paragraph; the index of its first block, -1 when it shows nothing."""
        nonlocal mark, blocks
        # a quoted paragraph that is itself a line of dialogue (`> "Turn back," she
        # said`) is a quote already: wrapped again it read `““Turn back,” she said.”`
        speech = text.lstrip(FOLDED_CHARS)[:1] in QUOTE_OPENERS
        if marked:
            text, mark = mark + text, ""
        # only the whitespace HTML folds: a no-break or ideographic space opening a
        # paragraph is an indent the site shows (str.strip() dropped it)
        text = text.strip(FOLDED_CHARS) if strip else text
        if not text:
            return -1
        paragraphs.append(f"“{text}”" if quoted and not speech else text)
        at, blocks = blocks, blocks + len(text_blocks(paragraphs[-1]))
        return at if blocks > at else -1

    for tok in tokens:
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            counters.append(int(tok.attrs.get("start", 1)) if tok.type == "ordered_list_open" else None)
        elif tok.type in ("ordered_list_close", "bullet_list_close") and counters:
            counters.pop()
        elif tok.type == "list_item_open" and counters:
            if counters[-1] is None:
                mark = "• "
            else:
                mark, counters[-1] = f"{counters[-1]}. ", counters[-1] + 1
        elif tok.type == "list_item_close":
            mark = ""   # an empty item: its mark is not the next paragraph's
        elif tok.type == "blockquote_open":
            quoted += 1
        elif tok.type == "blockquote_close":
            quoted -= 1
        elif tok.type == "hr":
            # (an item's number or bullet stays for its words: `- ***` is a rule in an item)
            add(SCENE_BREAK, marked=False)
            continue
        if tok.type == "fence" and tok.info.strip() == "imported":
            # what an import could not translate (docs/importing.md): the writer's to
            # rewrite, shown on the site as code, never prose a player reads or hears
            continue
        if tok.type in ("fence", "code_block"):
            # a code block is text the HTML shows as typed: one paragraph, its lines kept
            # (it was left out of ink, `foundry play` and the JSON `text`)
            add(tok.content.rstrip("\n"), strip=False)
            continue
        if tok.type == "tr_open":
            row, row_from = [], len(shown)
            continue
        if tok.type == "tr_close" and row is not None:
            # a table's row is one paragraph, its cells in order, as a reader reads
            # across the HTML's row (each cell was a paragraph of its own); an empty
            # cell shows nothing there, so it is no ` | ` here ('…coins. |', '| b')
            cells = [cell for cell in row if cell]
            at = add(" | ".join(cells)) if cells else -1
            if at >= 0:
                rows.append(at)
            shown[row_from:] = [at] * (len(shown) - row_from)
            row = None
            continue
        if tok.type != "inline":
            continue
        if row is not None:
            # a `|` inside a cell (Markdown's `\|`) stays `\|`: written bare, `high \|
            # spring` read as two cells in ink, `play` and the JSON, like the separator
            row.append(collapse_spaces(_inline_text(tok)).replace("|", "\\|"))
            shown.append(-1)
            continue
        shown.append(add(_inline_text(tok)))
    return "\n\n".join(paragraphs), tuple(shown), tuple(rows)


def cells_as_read(plain: str, rows: tuple[int, ...]) -> str:
    """Plain prose (`plain_prose`'s text) as a reader is shown it: in each of its table
    rows (`rows`, plain_prose's third value) a `|` inside a cell shown as typed, not
    as the `\\|` the text writes it with. The one rule for a cell's pipe: the JSON
    `text`, where an engine splits a row at ` | `, keeps the escape (its schema says
    so); whatever a person reads — `foundry play`, the ink story, a page's description,
    a card — shows `high | spring`, as the site's table does (ink and play showed
    `high \\| spring`). Only a row's pipes are unescaped: `\\|` a writer typed in a
    paragraph (Markdown `\\\\|`) is shown as typed. Every `|` of a cell was written
    `\\|` and no backslash was added, so dropping the backslash before each pipe
    gives the cell back exactly (a cell's own `\\|` was `\\\\|`)."""
    if not rows:
        return plain
    parts = plain.split("\n\n")
    block = 0
    for n, part in enumerate(parts):
        # count blocks as text_blocks does: a part holding only folded whitespace is none
        if not part.strip(FOLDED_CHARS):
            continue
        if block in rows:
            parts[n] = part.replace("\\|", "|")
        block += 1
    return "\n\n".join(parts)


def text_blocks(text: str) -> list[str]:
    """The paragraphs of plain prose (`prose_text`'s): its parts between blank lines
    that hold anything but the whitespace HTML folds (a code block's blank line splits
    it in two, as every reader of the text splits it)."""
    return [block for block in text.split("\n\n") if block.strip(FOLDED_CHARS)]


def _inline_text(tok: Token) -> str:
    """An inline token's words: text and code as written, a soft break a space, a hard
    break a line break (emphasis and links reduced to their words)."""
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
    return "".join(parts)


def open_fence(tok: Token, line_at) -> bool:
    """Whether `tok` (a markdown-it `fence` token) is a fenced code block never closed:
    CommonMark runs it to the end of its container (the document, a list item, a
    quote), so everything a writer typed after it is shown as code. `line_at(k)` is
    line k (0-based, as `tok.map` counts) of the parsed text. Closed when the last line
    the block spans is not its opening line and is a run of the opening fence's
    character at least as long, with nothing after it (a quote's `>` and indentation
    stripped)."""
    if tok.type != "fence" or not tok.map or not tok.markup:
        return False
    start, end = tok.map
    if end - 1 <= start:
        return True   # the opening line is the block's last
    line = line_at(end - 1).lstrip(" \t>")
    run = len(line) - len(line.lstrip(tok.markup[0]))
    return run < len(tok.markup) or bool(line[run:].strip())


@lru_cache(maxsize=8192)
def prose_line(text: str) -> str:
    """Markdown prose (a background, a summary) as one line of plain text: `prose_text`
    as `words_line` gives it (every word the HTML shows: the JSON's `background_text`).
    Cached: one hero's background is on many cards."""
    return prose_lines(text)[0]


@lru_cache(maxsize=8192)
def prose_lede(text: str) -> str:
    """Markdown prose as the one line that describes it (a page's description, a card,
    a search entry): `prose_line` without the prose's headings (`lede_of`)."""
    return prose_lines(text)[1]


def prose_lines(text: str) -> tuple[str, str]:
    """(`prose_line`, `prose_lede`) of `text`, from one parse (none for plain
    paragraphs, which hold no heading)."""
    plain = plain_paragraphs(text)
    if plain is not None:
        line = plain_line(plain)
        return line, line
    return token_lines(markdown().parse(text))


def plain_line(paragraphs: list[str]) -> str:
    """`plain_paragraphs`'s paragraphs as `prose_line` gives them: run together as
    every other text's (a paragraph ending no sentence parted by ` · `). Joined with a
    space here, 'Early years' over 'Rook grew up' read 'Early years Rook grew up' on
    a card and in the JSON while the same text with one `*` in it read 'Early years ·
    Rook…'."""
    return run_together([collapse_spaces(paragraph) for paragraph in paragraphs])


def token_lines(tokens: list) -> tuple[str, str]:
    """(line, lede) of parsed prose (markdown().parse tokens), as `prose_lines`."""
    plain, shown, rows = plain_prose(tokens)
    plain = cells_as_read(plain, rows)   # a card, a description: read by people
    line = words_line(plain)
    headings = heading_blocks(tokens, shown)
    return line, (words_line(lede_of(plain, headings)) if headings else line)


def heading_blocks(tokens: list, shown: tuple[int, ...]) -> tuple[int, ...]:
    """The paragraphs (`text_blocks`) of `plain_prose(tokens)`'s text that are
    headings, `shown` being its second value."""
    inline = [i for i, tok in enumerate(tokens) if tok.type == "inline"]
    return tuple(sorted({at for i, at in zip(inline, shown)
                         if at >= 0 and i > 0 and tokens[i - 1].type == "heading_open"}))


def lede_of(plain: str, headings: tuple[int, ...]) -> str:
    """Plain prose (`plain_prose`'s text) without its paragraphs `headings`, when
    what is left shows any words; else as it is. The one rule of every line that
    describes prose (a page's description, og:description, a card, a search entry, a
    story's opening scene): a heading is a label, not a sentence, and run into the one
    under it a description read 'Early years · Rook grew up…' (Docusaurus's excerpt
    skips headings alike). The JSON's `*_text` keeps every word (`prose_line`)."""
    if not headings:
        return plain
    kept = [block for n, block in enumerate(text_blocks(plain)) if n not in headings]
    return "\n\n".join(kept) if words_line("\n\n".join(kept)) else plain


def words_line(plain: str) -> str:
    """Plain prose (`prose_text`'s, a scene's `text`) as one line: its whitespace
    collapsed (`collapse_spaces`), its scene breaks left out, its paragraphs run
    together (`run_together`). A break is a paragraph of the plain text but no words: a
    card, a page's description or a search entry runs the paragraphs together, where it
    read 'Alpha. * * * Bravo'."""
    if "\n\n" not in plain:   # one paragraph (most cards): nothing to join
        return collapse_spaces(plain)
    blocks = text_blocks(plain)
    if SCENE_BREAK in plain:
        blocks = [block for block in blocks if block.strip(FOLDED_CHARS + "“”") != SCENE_BREAK]
    return run_together([collapse_spaces(block) for block in blocks])


# What ends a sentence (or a clause a next one may follow) in the scripts foundry
# prints, and what may close around that end (`“Halt!”`, `(see below.)`).
# A dash ends a clause too: fiction's interrupted line (`“Wait—”`) was parted from the
# next by ` · `; so do Hebrew's sof pasuq and the Greek question mark.
_SENTENCE_ENDS = frozenset(".!?…‥:;,。．！？｡，、：；։؟؛،۔।॥။၊።፧፨᙮᠃᠉།༎។៕෴‼‽⁇⁈⁉⸮—–―׃;")
_CLOSERS = "\"'”’»›)]}）］｝」』】〉》〕〗〙〛"
# what may follow a sentence's end and not be words: an emoji (`We won! 🎉`, with its
# skin tone, variation selector, keycap and joiners), a symbol, spaces
_TRAILERS = re.compile("[\\s\ufe0e\ufe0f\u20e3\u200d\U0001f3fb-\U0001f3ff" + re.escape(_CLOSERS) + "]+$")
# a list item's mark in plain text (plain_prose): it parts the item from what comes before
_ITEM_MARK = re.compile(r"• |[0-9]+\. ")


def run_together(blocks: list[str]) -> str:
    """Paragraphs of plain text (each one line) as one line. A paragraph that ends no
    sentence — a heading, a table's row, a name on a line of its own — is parted from
    the next by ` · `: `### The Old Road` over a scene's first sentence made the page's
    description 'The Old Road The fog comes in…', a hero's `background_text` 'Early years
    Rook grew up…'. After a sentence's end (a dash's too, past closing quotes and an
    emoji: `“Wait—”`, `We won! 🎉`), and before a list item (whose `• ` or number parts
    it), a space; after a full-width end (`。`, `！`), none, as Chinese and Japanese
    write two sentences."""
    line = ""
    for block in blocks:
        if not block:
            continue
        if line:
            end = _sentence_end(line)
            if _ITEM_MARK.match(block):
                line += " "
            elif end in _SENTENCE_ENDS:
                # Chinese and Japanese set no space after 。！？ (the mark holds its own)
                line += "" if unicodedata.east_asian_width(end) in "WF" else " "
            else:
                line += " · "
        line += block
    return line


def _sentence_end(line: str) -> str:
    """The last mark of `line` that may end a sentence, past closing quotes, emoji and
    symbols after it ("" for none)."""
    while line:
        trimmed = _TRAILERS.sub("", line)
        while trimmed and unicodedata.category(trimmed[-1]) in ("So", "Sk"):
            trimmed = _TRAILERS.sub("", trimmed[:-1])
        if trimmed == line:
            break
        line = trimmed
    return line[-1:]


# A line of prose that no Markdown rule, typographer replacement or smart quote of
# `markdown()` can touch: it starts with an ASCII letter (so it opens no block: list,
# heading, quote, fence, code, table), holds only ASCII letters, digits, single spaces
# and `.,;:!?` (no character that starts inline markup, an entity, an escape, a quote
# or a typographer replacement), no doubled punctuation (`..` → …, `!!!!`, `????`, `,,`)
# and no trailing space (a line break). markdown-it spends ~1 ms per background
# running every block rule on every line of such text to find nothing.
# Written as one character class and a search for what spoils it (two spaces among
# them): a class repeated runs in the regex engine's C loop, where an alternation with
# a look-ahead per character cost ~5 µs a line (the language is the same:
# tests/speed/test_plain_prose.py).
_PLAIN_LINE = re.compile(r"[A-Za-z][A-Za-z0-9.,;:!? ]*")
_PLAIN_SPOILERS = re.compile(r"\.\.|,,|\?\?|!!|  | $")


def plain_paragraphs(text: str) -> list[str] | None:
    """`text`'s paragraphs (their lines joined by "\n", as markdown-it keeps them) when
    every non-blank line is plain (`_PLAIN_LINE`): then `markdown()` renders the text as
    exactly `<p>…</p>\n` per paragraph and `prose_text` is the paragraphs joined by blank
    lines, so neither needs parsing (tests/speed/test_plain_prose.py holds the two
    paths equal). None for any other text: it is parsed."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if not line:
            if lines:
                paragraphs.append("\n".join(lines))
                lines = []
        elif _PLAIN_LINE.fullmatch(line) and not _PLAIN_SPOILERS.search(line):
            lines.append(line)
        else:
            return None
    if lines:
        paragraphs.append("\n".join(lines))
    return paragraphs


# Lines of plain prose (`_PLAIN_LINE` each, none ending in a space), judged in one pass.
_PLAIN_LINES = re.compile(r"[A-Za-z][A-Za-z0-9.,;:!? ]*(?:\n[A-Za-z][A-Za-z0-9.,;:!? ]*)*")
_PLAIN_LINES_SPOILERS = re.compile(r"\.\.|,,|\?\?|!!|  | \n| \Z")


def _plain_lines(text: str) -> bool:
    """Whether every line of `text` (joined by "\n", none blank) is plain as
    `plain_paragraphs` means it."""
    return _PLAIN_LINES.fullmatch(text) is not None and _PLAIN_LINES_SPOILERS.search(text) is None


def _plain_paragraph_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule, first in line: a top-level paragraph whose every line is plain
    (`_PLAIN_LINE`) up to a blank line or the end, as the tokens markdown-it's
    `paragraph` rule makes of it. markdown-it reaches `paragraph` only after ten rules
    refused the line, and then asks seven of them again about every following line
    (could it end the paragraph?), each call logging at debug level first: ~14 calls
    a line, ~200,000 for 500 stories. A plain line (an ASCII letter first, no `|`,
    `-`, `=`, `<`, `#`, `>`, `[`, `` ` ``, `~` or indent) can neither start nor end
    any other block, nor underline a heading, so `paragraph` is the rule that would
    take it and every line to the blank one: this rule decides no differently, it
    only decides sooner. Anything else (a nested block, any other line) is left to
    markdown-it."""
    if silent or state.parentType != "root" or state.blkIndent:
        return False
    begins, ends, shifts = state.bMarks, state.eMarks, state.tShift
    last = state.lineMax
    # The plain lines from `start` on, matched in C, and only they are looked at: this
    # rule runs at every block's first line, and walking to the blank line before
    # judging (as `paragraph` does) cost a walk of the whole run of lines each time, so
    # a story of 50,000 lines with no blank one (link definitions, fences) took minutes.
    # Plain lines are walked at most once: when a later line spoils the paragraph,
    # markdown-it's `paragraph` takes every plain line (none can end it) and more.
    found = _PLAIN_LINES.match(state.src, begins[start], ends[last - 1])
    if found is None:
        return False
    line = start
    while ends[line] < found.end():
        line += 1
    if ends[line] != found.end():
        return False   # a line that is not plain
    line += 1
    if line < last and begins[line] + shifts[line] < ends[line]:   # not followed by a blank line (isEmpty)
        return False
    content = state.src[begins[start]:ends[line - 1]]
    if _PLAIN_LINES_SPOILERS.search(content) is not None:
        return False
    state.line = line
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, line]
    token = state.push("inline", "", 0)
    token.content = content   # no indent, no trailing blank: as getLines + mdTrim give
    token.map = [start, line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


def _choice_list_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule, before markdown-it's own: a top-level list of choices as stories
    write them, one `- [` line per item with nothing around them to join them (no
    indent, no trailing blank, no line continuing an item, no blank line between
    items), as the tokens markdown-it's `list` rule makes of it: a tight bullet list,
    each item one hidden paragraph whose inline content is the line after `- `.
    markdown-it's list rule tokenises each item as a document of its own (every block
    rule tried on it, each terminator asked about the line after): ~0.8 ms of each
    story's 1.9 ms parse. The list must end as markdown-it would end it: at the end of
    the text, or after a blank line at a line that cannot continue it (not indented,
    not a list marker); anything else is left to markdown-it
    (tests/speed/test_plain_prose.py holds the tokens equal)."""
    if silent or state.parentType != "root" or state.blkIndent:
        return False
    src, begins, ends, shifts = state.src, state.bMarks, state.eMarks, state.tShift
    line = start
    # Not taken: an item ending in any space Python's strip() removes (left to
    # markdown-it, which trims spaces and tabs and keeps the rest, `_keep_typed_spaces`:
    # a no-break space after a choice is its text, and the story ignores it), nor one holding `]:`, which may be a link reference definition
    # (`- [map]: #cave`): markdown-it defines the label for the whole text and makes
    # the item empty, where a paragraph of it left `[Go][map]` elsewhere unresolved.
    while line < end and not shifts[line] and src.startswith("- [", begins[line]) \
            and not src[ends[line] - 1].isspace() and src.find("]:", begins[line], ends[line]) < 0:
        line += 1
    if line == start or (line < end and not state.isEmpty(line)):
        return False
    after = state.skipEmptyLines(line)
    if after < end and (shifts[after] or state.sCount[after] or src[begins[after]] in "-*+0123456789"):
        return False
    token = state.push("bullet_list_open", "ul", 1)
    token.markup, token.map = "-", [start, after]
    for item in range(start, line):
        token = state.push("list_item_open", "li", 1)
        token.markup, token.map = "-", [item, item + 1 if item + 1 < line else after]
        token = state.push("paragraph_open", "p", 1)
        token.map, token.hidden = [item, item + 1], True
        token = state.push("inline", "", 0)
        token.content, token.map, token.children = src[begins[item] + 2:ends[item]], [item, item + 1], []
        state.push("paragraph_close", "p", -1).hidden = True
        state.push("list_item_close", "li", -1).markup = "-"
    state.push("bullet_list_close", "ul", -1).markup = "-"
    state.line = after
    return True


def _inline_rule(state: StateCore) -> None:
    """markdown-it's core `inline` rule (each inline token's content parsed into its
    children), but for content whose every line is plain: then its children are
    what markdown-it's inline rules make of it, one `text` per line and a
    `softbreak` between (no rule matches a plain character, so each line's text is
    left pending until the line ends), built without running the ~12 inline rules
    on each of its characters that stops the text rule (`:`, `!`)."""
    md, env = state.md, state.env
    for token in state.tokens:
        if token.type != "inline":
            continue
        env[_LINE] = token.map[0] if token.map else -1   # where a look-ahead budget runs out
        if token.children is None:
            token.children = []
        if _plain_lines(token.content):
            children = token.children
            for n, line in enumerate(token.content.split("\n")):
                if n:
                    children.append(Token("softbreak", "br", 0))
                children.append(Token("text", "", 0, content=line))
        elif not _plain_choice(token.content, token.children) and not _plain_heading(token.content, token.children):
            md.inline.parse(token.content, md, env, token.children)


def _scene_heading_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule, before markdown-it's own: a top-level `## ` line followed by a
    blank line or the end (a scene heading as stories write it), as the tokens
    markdown-it's `heading` rule makes of it. markdown-it reaches `heading` after eight
    rules refused the line, each logging at debug level first. Not taken (left to
    markdown-it): an indent, more than one space after `##`, a trailing space, tab or
    `#` (a closing sequence), a line right under it (a table or a setext underline
    could claim them) (tests/speed/test_plain_prose.py holds the tokens equal)."""
    if silent or state.parentType != "root" or state.blkIndent or state.tShift[start]:
        return False
    src, begin, finish = state.src, state.bMarks[start], state.eMarks[start]
    # any space Python's strip() removes at either end (a no-break space pasted after
    # `{#id}`, which markdown-it keeps, `_keep_typed_spaces`) leaves the line to markdown-it.
    if finish - begin < 4 or not src.startswith("## ", begin) or src[begin + 3].isspace() \
            or src[finish - 1].isspace() or src[finish - 1] == "#" \
            or (start + 1 < end and not state.isEmpty(start + 1)):
        return False
    state.line = start + 1
    token = state.push("heading_open", "h2", 1)
    token.markup, token.map = "##", [start, start + 1]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = src[begin + 3:finish], [start, start + 1], []
    state.push("heading_close", "h2", -1).markup = "##"
    return True


# A scene heading's content as stories write most of them: plain words, then the id.
_SCENE_TITLE = re.compile(r"(.+) \{#[a-z0-9]+(?:-[a-z0-9]+)*(?: \.ending)?\}")


def _plain_heading(content: str, children: list[Token]) -> bool:
    """When `content` is plain words (`_plain_lines`) and a scene's `{#id}` or
    `{#id .ending}`, its one `text` token (no inline rule matches any of its
    characters: the attrs plugin's `{` follows text, which it leaves alone) appended to
    `children`; else False."""
    found = _SCENE_TITLE.fullmatch(content)
    if found is None or not _plain_lines(found.group(1)):
        return False
    children.append(Token("text", "", 0, content=content))
    return True


# A choice as stories write most of them: `[Plain words](#scene-id)`, then perhaps
# `{if="…" do="…" id="…"}` (docs/writing-stories.md), and nothing else on the line.
# The words are a plain line (`_plain_lines`); each attribute is one of those three
# names, once, its value in double quotes holding no quote, backslash or brace.
_CHOICE = re.compile(r'\[([^\[\]\n]+)\]\(#([a-z0-9]+(?:-[a-z0-9]+)*)\)(?:\{([a-z]+="[^"\\{}\n]*"(?: [a-z]+="[^"\\{}\n]*")*)\})?')
_CHOICE_ATTR = re.compile(r'([a-z]+)="([^"]*)"')
_CHOICE_KEYS = frozenset({"if", "do", "id"})


def _plain_choice(content: str, children: list[Token]) -> bool:
    """When `content` is a plain choice (`_CHOICE`), its tokens as markdown-it's
    inline rules and the attrs plugin make them (link_open with its `href` and the
    attributes in the order written, the words, link_close), appended to `children`;
    else False, and nothing appended. Parsing such a line ran the inline rules on
    each of its characters, ~47 µs a choice: 20 choices are ~1 ms of each story's
    parse (tests/speed/test_plain_prose.py holds the two equal)."""
    found = _CHOICE.fullmatch(content)
    if found is None or not _plain_lines(found.group(1)):
        return False
    attrs = {"href": "#" + found.group(2)}
    if found.group(3) is not None:
        for key, value in _CHOICE_ATTR.findall(found.group(3)):
            if key not in _CHOICE_KEYS or key in attrs:
                return False
            attrs[key] = value
    children += [Token("link_open", "a", 1, attrs=attrs),
                 Token("text", "", 0, level=1, content=found.group(1)),
                 Token("link_close", "a", -1)]
    return True


def _safe_link(url: str) -> bool:
    """Whether markdown-it makes `url` (a link's address, as normalised) a link: its
    scheme is one the sanitiser allows (or it has none) and the sanitiser keeps it
    (`cleaner_keeps`). Refused, the link is shown as typed, and check says so (HF0124,
    load/titles.py `REFUSED_LINK` and `UNOPENED_LINK`)."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return (scheme in ALLOWED_SCHEMES or scheme == "") and cleaner_keeps(url)


@lru_cache(maxsize=4096)
def cleaner_keeps(url: str) -> bool:
    """Whether the sanitiser (`sanitize`: nh3, i.e. ammonia) keeps `url` as a link's
    href. It parses an address with a scheme as a browser does (the `url` crate, the
    WHATWG URL standard) and removes the href of one that does not parse:
    `https://[x`, `http://exa%mple.org/`, `https://ex.org:99999/`, a host of bad
    punycode. Such a link was published as `<a>` around its words, going nowhere
    (an invalid EPUB, epubcheck RSC-005) with check clean. Python has no WHATWG
    parser; asking the cleaner itself is the one rule that cannot disagree with it."""
    if url.startswith("//"):
        # scheme-relative: the cleaner passes it through as a path, but a browser reads
        # it as an address of the page's scheme (`//ex.org:99999/` is `https://ex.org:99999/`)
        return cleaner_keeps("https:" + url)
    if ":" not in url:   # no scheme: a relative address, which the cleaner passes through
        return True
    return "href=" in nh3.clean(f'<a href="{escape(url)}"></a>', url_schemes=ALLOWED_SCHEMES)


def _stored_text(row: str) -> str | None:
    """The HTML a prose cache row keeps (a JSON string), or None for another shape."""
    try:
        value = json.loads(row)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def render_prose(text: str, memo: "ProseMemo | None" = None) -> str:
    """Markdown prose (a hero's background, a quest summary) → sanitised HTML; through
    `memo` (the World's, `World.prose`) when given, so each text is rendered once."""
    if memo is None:
        return sanitize(markdown().render(text))
    return memo.render(text)


@dataclass
class ProseMemo:
    """Rendered prose by a hash of its text (`prose_key`): one hero's background shows
    on her page, her JSON, the heroes list, the bundle and her sheet, and stays the
    same from build to build. Owned by the World (`World.prose`; every view of it made
    by `dataclasses.replace` shares it, which is right: the HTML is a function of the
    text alone), filled by the builder from the sealed cache (`remember`) and emptied
    of what a render made anew (`take_new`), which goes back into the cache.

    A cached value (even one whose MAC verified) is sanitised again on first use and
    used only when sanitising leaves it unchanged, i.e. it is a value our own renderer
    could have made: a cache never puts markup into an output that nh3 would remove."""

    cached: dict[str, str] = field(default_factory=dict)     # from earlier builds, not yet checked
    rendered: dict[str, str] = field(default_factory=dict)   # checked or made here
    new: dict[str, str] = field(default_factory=dict)        # made here since the last take_new
    lines: dict[str, str] = field(default_factory=dict)      # prose_line of texts parsed here
    ledes: dict[str, str] = field(default_factory=dict)      # prose_lede of those, where it differs
    # HTML made from a parse that `line` asked for, not yet asked for itself: a hero's
    # card (her background's line) is drawn on the home page and the indexes long
    # before her page asks for the HTML, and parsing is the dear half. It joins
    # `rendered`/`new` (so the cache) only once a render asks for it.
    early: dict[str, str] = field(default_factory=dict, repr=False)
    # rows of the sealed prose cache (JSON text by key), decoded only for a text a
    # render asks for: after one edit most lists are spliced from fragments and ask
    # for none of the 10,000s of rows (`remember_rows`)
    rows: Mapping[str, str] = field(default_factory=dict, repr=False)

    def render(self, text: str) -> str:
        key = prose_key(text)
        html = self.rendered.get(key)
        if html is None:
            plain = plain_paragraphs(text)
            if plain is not None:
                # made for less than a cached copy costs to check (nh3 again): never
                # read from the cache, nor sent to it (a person card's line comes from
                # the summaries, so a hero page asks for her background's HTML first)
                self.early.pop(key, None)
                html = self.rendered[key] = self._plain(key, plain)
                return html
            html = self.early.pop(key, None)
            if html is None:
                cached = self.cached.pop(key, None)
                if cached is None and key in self.rows:
                    cached = _stored_text(self.rows[key])
                if cached is not None and sanitize(cached) == cached:
                    self.rendered[key] = cached
                    return cached
                html = self._make(key, text)
            self.rendered[key] = self.new[key] = html
        return html

    def line(self, text: str) -> str:
        """`prose_line(text)`, parsing the text once for both its line and its HTML
        (in either order) in this process."""
        key = prose_key(text)
        found = self.lines.get(key)
        if found is None:
            html = self._make(key, text)
            if key not in self.rendered:
                self.early[key] = html
            found = self.lines[key]
        return found

    def lede(self, text: str) -> str:
        """`prose_lede(text)`, from the parse that gives its line and HTML."""
        line = self.line(text)
        return self.ledes.get(prose_key(text), line)

    def _make(self, key: str, text: str) -> str:
        """`text`'s sanitised HTML, what `markdown().render` gives, with its line noted
        from the same parse (or from `plain_paragraphs`, which needs none)."""
        plain = plain_paragraphs(text)
        if plain is not None:
            return self._plain(key, plain)
        env: dict = {}
        md = markdown()
        tokens = md.parse(text, env)
        # read before rendering touches the tokens
        line, lede = token_lines(tokens)
        self.lines[key] = line
        if lede != line:
            self.ledes[key] = lede
        return sanitize(md.renderer.render(tokens, md.options, env))

    def _plain(self, key: str, plain: list[str]) -> str:
        """The HTML of plain paragraphs (`plain_paragraphs`), their line noted. Not
        sanitised: a plain paragraph holds letters, digits, spaces and `.,;:!?` only (no
        `<`, `&` or quote), and nh3 gives `<p>…</p>\n` of it back as it is
        (tests/speed/test_plain_prose.py); ~14 µs a background, ~20,000 a clean build."""
        self.lines[key] = plain_line(plain)
        return "".join(f"<p>{p}</p>\n" for p in plain)

    def remember(self, rendered: dict[str, str]) -> None:
        """Prose rendered by earlier builds (from the cache), checked again when used."""
        self.cached.update(rendered)

    def remember_rows(self, rows: Mapping[str, str]) -> None:
        """`remember`, from the cache's rows as they are stored (JSON text by key),
        each decoded only if a render asks for its text."""
        self.rows = rows

    def take_new(self) -> dict[str, str]:
        """What this process rendered since the last call (a worker sends it back)."""
        new = dict(self.new)
        self.new.clear()
        return new


def prose_key(text: str) -> str:
    from ..toolid import tool_id  # a new release, or changed code, may render differently
    return hashlib.sha256(f"{tool_id()}\0{text}".encode()).hexdigest()


def sanitize(html: str, marks: bool = False) -> str:
    """`html` with everything but safe markup removed. `marks`: also keep the marks a
    translated scene carries (pipeline/resolve/localized.py): `dir`, the class `l10n-fallback`
    on a paragraph shown in the base language, and `data-line` (its line id)."""
    return (_MARKS_KEPT if marks else _TYPED_KEPT).clean(html)


_MARKED = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_MARKED["*"] = _MARKED.get("*", set()) | {"lang", "title", "dir", "class", "data-line"}
_MARKED["pre"] = _MARKED.get("pre", set()) | {IMPORTED_ATTRIBUTE}
# A direction a writer gives a link, an image or code (`{dir=rtl}`, `{dir=auto}`: the
# attrs plugin) is kept, as a translation's is: it was dropped from the source's prose
# and kept in its translation's, the same words set otherwise in the two.
# ("*" replaces nh3's generic attributes, lang and title: named again)
_TYPED = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_TYPED["*"] = _TYPED.get("*", set()) | {"lang", "title", "dir"}
_TYPED["pre"] = _TYPED.get("pre", set()) | {IMPORTED_ATTRIBUTE}
_CLASSES = {"p": {TYPED_INDENT}}   # the one class of our renderer's (a paragraph's typed indent)
_MARK_VALUES = {"dir": re.compile(r"^(ltr|rtl|auto)$"),
                "class": re.compile(rf"^(l10n-fallback|{TYPED_INDENT}|l10n-fallback {TYPED_INDENT})$"),
                "data-line": re.compile(r"^[A-Za-z0-9_.:-]{1,200}$"), IMPORTED_ATTRIBUTE: re.compile("^$")}


def published_direction(attribute: str, value: object) -> bool:
    """Whether `{attribute=value}` a writer put on a link, an image or a code span is a
    direction every prose keeps (`dir` of ltr, rtl or auto; sanitize): HF0537 says the
    other attributes, which no output publishes."""
    return attribute == "dir" and isinstance(value, str) and _MARK_VALUES["dir"].match(value) is not None


def _mark_filter(element: str, attribute: str, value: str) -> str | None:
    rule = _MARK_VALUES.get(attribute)
    return value if rule is None or rule.match(value) else None


# The two sanitisers, each made once (nh3.Cleaner: ammonia's builder with these sets):
# `nh3.clean(html, **options)` built it again from the Python sets at every call,
# ~15 of its ~25 us a scene at 10,000 heroes (docs/performance.md cold41); the same
# options give the same HTML (tests/foundation/test_sanitize_cleaner.py).
_TYPED_KEPT = nh3.Cleaner(url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer",
                          allowed_classes=_CLASSES, attributes=_TYPED, attribute_filter=_mark_filter)
_MARKS_KEPT = nh3.Cleaner(url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer",
                          attributes=_MARKED, attribute_filter=_mark_filter)


# --- link reference definitions no link uses --------------------------------------------
# `[Guard]: Halt!` on a line of its own is a link reference definition to CommonMark (a
# label, a colon, an address with no space): it is never shown, only a link naming it
# (`[words][Guard]`, `[Guard]`) is. A script's dialogue written so vanished from every
# output, line after line, with check clean.
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,999})\]")


def unused_definitions(text: str, env: Mapping) -> list[tuple[int, str]]:
    """(line, label) of each link reference definition markdown-it read in `text` (its
    `env["references"]` after `markdown().parse(text, env)`; `line` 0-based, as its
    `map` counts) that nothing else in the text names in brackets: a definition no
    link uses is shown nowhere. A bracket naming it anywhere (a link, an escaped or a
    code one too) counts as a use: only a definition surely unused is given."""
    from markdown_it.common.utils import normalizeReference

    references = env.get("references") or {}
    if not references:
        return []
    own = {line for ref in [*references.values(), *(env.get("duplicate_refs") or ())]
           for line in range(*(ref.get("map") or (0, 0)))}
    used = {normalizeReference(m.group(1)) for k, line in enumerate(text.split("\n")) if k not in own
            for m in _BRACKETED.finditer(line)}
    return sorted((ref["map"][0], label) for label, ref in references.items() if ref.get("map") and label not in used)


# A line shaped as a link definition's start: `[label]:` after indent and `>`s (not a
# footnote's `[^1]:`, which is no definition: FOOTNOTE).
_DEFINITION_START = re.compile(r"^[ \t>]*\[(?!\^)([^\[\]\n]{1,999})\]:")
_CODE_RUN = re.compile(r"(`+)[^`].*?\1")


def stranded_definitions(text: str, tokens: list) -> list[tuple[int, int, str]]:
    """(line, end, label) of each line of a paragraph but its first (`line` 0-based, as
    markdown-it's `map` counts; `end` the paragraph's end) that markdown-it would read as
    a link definition at a paragraph's start (`tokens`: the parse of `text`), whose
    label a bracket elsewhere in the text names: CommonMark lets no definition
    interrupt a paragraph, so `See [the map].⏎[the map]: https://…` showed the line
    and the `[the map]` naming it as typed. A bracket on a line so shaped is no use of
    it: a script's `[Guard]: Halt!` lines name each other so, at their start and in
    their words (`[Aria]: Easy, [Guard].`)."""
    from markdown_it.common.utils import normalizeReference

    lines = text.split("\n")
    found = [(k, tok.map[1]) for tok in tokens if tok.type == "paragraph_open" and tok.map
             for k in range(tok.map[0] + 1, min(tok.map[1], len(lines))) if _DEFINITION_START.match(lines[k])]
    if not found:
        return []
    used: set[str] = set()
    for line in lines:
        if _DEFINITION_START.match(line):   # (a script's `[Aria]: Easy, [Guard].` names a speaker, links nothing)
            continue
        line = _CODE_RUN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        used.update(normalizeReference(b.group(1)) for b in _BRACKETED.finditer(line))
    found = [(k, end, label) for k, end in found
             if (label := normalizeReference(_DEFINITION_START.match(lines[k]).group(1))) in used]
    # each such line with the one below it (an address may be on the next line; a title
    # after it adds nothing), a blank line between: one parse for them all, not one each
    windows, offsets, at = [], [], 0
    for k, end, _ in found:
        window = lines[k:min(end, k + 2)]
        windows.append("\n".join(window))
        offsets.append(at)
        at += len(window) + 1   # and the blank line after it
    env: dict = {}
    markdown().parse("\n\n".join(windows), env)
    read = {(ref["map"][0], label) for label, ref in (env.get("references") or {}).items() if ref.get("map")}
    read |= {(ref["map"][0], ref["label"]) for ref in env.get("duplicate_refs") or () if ref.get("map")}
    return [(k, end, label) for (k, end, label), at in zip(found, offsets) if (at, label) in read]


# `[words][label]`, `[words][]`: a link that takes its address from a definition (an
# image's `![…][…]` is no link; `\[` asks for the bracket). Not a footnote's `[^1]`
# (said as one, HF0124), nor brackets a `(` or another `[` follows: `[x][y](https://…)`
# is the text `[x]` and a link to `https://…`, and no link to say was lost.
_FULL_REFERENCE = re.compile(r"(?<![\\!\]])\[(?!\^)([^\[\]\n]+)\]\[(?!\^)([^\[\]\n]*)\](?![(\[])")
_CODE_SPANS = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
_DIGITS = re.compile(r"[0-9]+")


def _glued_to_word(text: str, at: int) -> bool:
    """Whether `text[at]` follows a letter or digit of a script that spaces its words:
    `grid[x][y]`, `a[i][j]` index an array, no writer's link (one in Chinese or
    Japanese text follows its last character with no space: `见[地图][map]`)."""
    if at == 0:
        return False
    before = text[at - 1]
    return before.isalnum() and unicodedata.east_asian_width(before) not in ("W", "F")


def undefined_references(text: str, tokens: list, env: Mapping) -> list[tuple[int, int, str]]:
    """(line, column, label) of each `[words][label]` or `[words][]` (lines 0-based, as
    markdown-it's `map` counts; columns 0-based) in the paragraphs and headings of
    `text` (`tokens`, `env`: its parse) whose label no definition gives: markdown-it
    makes no link of it, so every output showed the brackets as typed (`[the map][mp]`,
    a label mistyped) with check clean. Left out as the prose they are: code spans (on
    one line or across lines), brackets glued to a word (`grid[x][y]`), and a label of
    digits alone when the text defines no such label (`[1][2]` cite two sources,
    `[Roll 2d6][1]` marks a note: a writer who numbers links defines numbers)."""
    from markdown_it.common.utils import normalizeReference

    references = env.get("references") or {}
    numbered = any(_DIGITS.fullmatch(label) for label in references)
    lines = text.split("\n")
    found = []
    for tok in tokens:
        if tok.type != "inline" or not tok.map or "][" not in tok.content:
            continue
        first, end = tok.map[0], min(tok.map[1], len(lines))
        block = "\n".join(lines[first:end])
        if "`" in block:   # (newlines kept, so each line stays where it was)
            block = _CODE_SPANS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), block)
        for k, bare in enumerate(block.split("\n"), start=first):
            if "][" not in bare:
                continue
            for m in _FULL_REFERENCE.finditer(bare):
                written = m.group(2) or m.group(1)
                label = normalizeReference(written)
                if not label or label in references or _glued_to_word(bare, m.start()) \
                        or (not numbered and _DIGITS.fullmatch(label)):
                    continue
                found.append((k, m.start(), written))
    return found


def repeated_definitions(env: Mapping) -> list[tuple[int, str, int]]:
    """(line, label, first line) of each link reference definition whose label an
    earlier one already defines (markdown-it's `env["duplicate_refs"]` after
    `markdown().parse(text, env)`; lines 0-based, as its `map` counts). CommonMark keeps
    the first and drops the second without a trace: `[map]: b.html` after `[map]:
    a.html` was in no output, its address followed by no link, with check clean."""
    references = env.get("references") or {}
    return [(ref["map"][0], ref["label"], (references.get(ref["label"]) or {}).get("map", [ref["map"][0]])[0])
            for ref in env.get("duplicate_refs") or () if ref.get("map")]


# --- table rows wider than their header ----------------------------------------------
# GFM gives a table the header's number of columns: a body row with more cells has the
# rest dropped (markdown-it's `table` rule, as GitHub's), from the HTML and so from every
# output. `| `a|b` | c |` is three cells (a `|` splits cells inside backticks too) under
# a header of two, and 'c' was published nowhere, with check clean.
_QUOTE_AND_INDENT = re.compile(r"^[ \t]*(?:>[ \t]*)*")


@dataclass(frozen=True)
class CutRow:
    """A table's body row holding more cells than its header: `line` (0-based, as
    markdown-it's `map` counts) and the column (0-based, in that line) of the first
    cell not shown; `written` and `shown` cells."""

    line: int
    column: int
    written: int
    shown: int
    dropped: str      # the cells not shown, as typed


def cut_rows(tokens: list, line_at: Callable[[int], str]) -> list[CutRow]:
    """Each body row of each table in `tokens` (a `markdown().parse`) with more cells
    than its header, read from its line (`line_at(k)`: line k of the parsed text) by
    the rule markdown-it splits cells with: the row as written, a quote's `>` and
    indentation off, trimmed, split at each `|` not right after a backslash, an empty
    first and last cell (the outer pipes) left out. Blank lines and quotes end a table
    and markers start no row, so taking `>` and spaces off the front never takes a
    cell's `|`."""
    from markdown_it.rules_block.table import escapedSplit   # the split markdown-it's table rule uses

    cut: list[CutRow] = []
    shown, in_body = 0, False
    for tok in tokens:
        if tok.type == "thead_open":
            shown, in_body = 0, False
        elif tok.type == "th_open":
            shown += 1
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif tok.type == "tr_open" and in_body and tok.map:
            line = line_at(tok.map[0])
            lead = _QUOTE_AND_INDENT.match(line).end()
            content = line[lead:].strip()
            cells = escapedSplit(content)
            outer = bool(cells) and cells[0] == ""
            body = cells[outer:len(cells) - (len(cells) > 1 and cells[-1] == "")]
            extra = [cell.strip() for cell in body[shown:]]
            if not any(extra):
                continue   # empty cells past the header (`| x | y | |`): nothing is lost
            pipes = [k for k, ch in enumerate(content) if ch == "|" and (k == 0 or content[k - 1] != "\\")]
            start = pipes[shown if outer else shown - 1] + 1
            start += len(content[start:]) - len(content[start:].lstrip())
            column = lead + (len(line[lead:]) - len(line[lead:].lstrip())) + start
            written, dropped = len(body), " | ".join(extra)
            cut.append(CutRow(tok.map[0], column, written, shown, dropped))
    return cut


# --- size budgets --------------------------------------------------------------------
# markdown-it makes several tokens per table cell, whatever the cell holds: a 2 MB story
# holding a 5,000 × 200 table became 4 million tokens (35 s and 1.9 GiB for `check`).
# Tables past these bounds are refused before parsing (HF0142), found by a scan of the
# lines that costs a fraction of a second for the largest file a project may hold.
MAX_TABLE_CELLS = 20_000
# markdown-it-py spends ~0.1 ms on each block-starting line (a list item, a heading, a
# one-line paragraph): 2 MB of `- a` lines took 50 s and 1.4 GiB. A long story has a
# few thousand lines; past this many non-blank lines a Markdown file is refused.
MAX_MARKDOWN_LINES = 50_000
MAX_TABLE_COLUMNS = 1_000
_DELIMITER_CHARS = frozenset("|-: \t")


@dataclass(frozen=True)
class LargeTable:
    """A GFM table past the budget: `line` is its header row (0-based in the text),
    `end` the line after its last row; `rows` counts the header too."""

    line: int
    end: int
    columns: int
    rows: int


def large_tables(text: str) -> list[LargeTable]:
    """Tables in Markdown `text` with more than MAX_TABLE_COLUMNS columns or
    MAX_TABLE_CELLS cells, as markdown-it would see them: a row with a `|` followed by a
    delimiter row (`|---|:-:|`), then every line up to a blank one (each line is a row,
    padded or cut to the header's columns). Fenced code is skipped."""
    if "|" not in text:   # no header row: no table (most stories; the walk below is per line in Python)
        return []
    lines = text.split("\n")
    found: list[LargeTable] = []
    fence = ""
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        marker = stripped[:3]
        if marker in ("```", "~~~") and len(lines[i]) - len(lines[i].lstrip(" ")) < 4:
            run = len(stripped) - len(stripped.lstrip(marker[0]))
            if not fence:
                fence = marker[0] * run
            elif stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip():
                fence = ""
        elif not fence and i > 0 and "|" in lines[i - 1] and "-" in stripped and set(stripped) <= _DELIMITER_CHARS:
            columns = len(stripped.strip("|").split("|"))
            end = i + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            rows = end - i   # the header and every row after the delimiter
            if columns > MAX_TABLE_COLUMNS or columns * rows > MAX_TABLE_CELLS:
                found.append(LargeTable(i - 1, end, columns, rows))
            i = end
            continue
        i += 1
    return found


def fits_budget(text: str, path: str, first_line: int, diags: Diagnostics) -> bool:
    """False, with HF0143, when Markdown `text` has more than MAX_MARKDOWN_LINES
    non-blank lines (then it is not parsed at all)."""
    lines = sum(1 for line in text.split("\n") if line.strip())
    if lines <= MAX_MARKDOWN_LINES:
        return True
    diags.add("HF0143", f"the Markdown has {lines:,} non-blank lines; the limit is {MAX_MARKDOWN_LINES:,}",
              Span(path, first_line, 1))
    return False


def without_large_tables(text: str, path: str, first_line: int, diags: Diagnostics) -> str:
    """`text` with each table past the budget blanked out (line numbers kept, so
    every other diagnostic still points at the right line), and HF0142 for each.
    `first_line`: the 1-based file line of the text's first line."""
    tables = large_tables(text)
    if not tables:
        return text
    lines = text.split("\n")
    for table in tables:
        diags.add("HF0142", f"a table of {table.rows:,} rows × {table.columns:,} columns "
                  f"({table.rows * table.columns:,} cells); the limit is {MAX_TABLE_CELLS:,} cells "
                  f"and {MAX_TABLE_COLUMNS:,} columns", Span(path, first_line + table.line, 1))
        lines[table.line:table.end] = [""] * (table.end - table.line)
    return "\n".join(lines)
