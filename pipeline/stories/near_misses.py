"""Near-misses of the story syntax: what a writer typed as a scene heading or a choice
but Markdown read as something else.

markdown-it is right to read `- [Go](#hall) {do="…"}` as a link followed by text, or
`### Hall {#hall}` as a level-3 heading: that is CommonMark. Left alone, the choice
becomes prose and its braces reach the site. These checks look at what the writer
typed (the source lines, which still hold the straight quotes the typographer has
replaced) wherever a choice or a heading can almost occur, and name the slip at its
line and column with the fix. Each check is one small function; the list of slips
they cover is in docs/writing-stories.md ("Near-misses foundry recognises").
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token

from ..diagnostics import EACH_SAID, Diagnostics, Span, clip, code_span, did_you_mean, the_rest
from ..expr.tokens import straightened
from ..ids import ODD_SPACES
from ..load.documents import Document
from ..load.markdown import markdown, open_fence, typed_angles, typed_tag_at
from ..load.link_addresses import SPACED_ADDRESS, spaced_addresses
from ..load.titles import (FOOTNOTE, HTML_COMMENT, OTHER_NOTE, RAW_TAG, WIKI_LINK, is_escaped, typed_opening, past_comment, block_attrs, every_shown, loose_attrs, report_loose_attrs, open_fence_message, report_fence_info, report_block_attrs, report_dropped_attrs,
                           report_empty_links, report_images, image_labels, report_raw_prose, typed_at)

CHOICE_ATTRS = ("if", "do", "id")
TYPOGRAPHIC_QUOTES = "“”„‘’‚«»"

# Where a choice's syntax separates or joins its parts, a space Markdown does not read as
# one (ids.ODD_SPACES) or a zero-width one pasted from the web is said by name: the
# writer sees a space there (or nothing), and "remove the space" would not find it.
_GAP = ODD_SPACES + "\u200b\u2060\ufeff"
_ODD_SPACE = re.compile(f"[{_GAP}]")
# `](…)` then spaces then `{`: attributes that do not touch the link.
_SPACED_ATTRS = re.compile(f"\\]\\([^()\\s]*\\)([ \t{_GAP}]+)\\{{")
# `[Text] (#x)`: a space between the brackets and the parentheses.
_SPACED_LINK = re.compile(f"\\[[^\\[\\]]*\\]([ \t{_GAP}]+)\\(#?[A-Za-z0-9_-]+\\)")
# `-[Text](#x)`, `1.[Text](#x)`: a list marker with no space after it.
_TIGHT_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(\[[^\]]*\]\s*\()")
# `[Text](#x` with the parenthesis never closed.
_SPACED_ID = re.compile(r"\]\(#([^()\s][^()\n]*?[ \t][^()\n]*?)\)")   # `(#The Far Bank)`: closed, with spaces
_OPEN_LINK = re.compile(r"\[[^\[\]]*\]\(#[A-Za-z0-9_-]*(?:$|[^A-Za-z0-9_)-])")
# Attribute braces right after a link: `](#x){…`.
_TOUCHING_ATTRS = re.compile(r"\]\(#[^()\s]*\)(\{)")
# Anything else that is choice syntax: `](#`, `{if=`, `{do=`, `{id=`.
_CHOICE_SYNTAX = re.compile(r"\]\s*\(#|\{\s*(?:if|do|id)\s*=|\(#[A-Za-z0-9_-]+\)")
# `##Title {#id}`: no space after the hashes, so Markdown reads a paragraph.
_TIGHT_HEADING = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*#{1,6}(?=[^#\s]).*\{\s*#")   # in a quote too
# A top-level scene heading almost written, which Markdown reads as a paragraph: no
# space after the `#`s (`##Title {#id}`), a space it does not read as one (a no-break
# space from a word processor or a Mac's Option-Space, an ideographic space from a
# Chinese or Japanese input method, an em space…), or full-width `＃＃`. Group 1 the
# hashes, 2 the spaces after them.
_ALMOST_HEADING = re.compile("^ {0,3}(#{1,6}|\uff03{1,6})" f"([ \t{ODD_SPACES}]*)"
                             "(?=[^\\s#\uff03]).*\\{\\s*#")
# A scene heading written inside a quote (`> ## Mid {#c}`): the quote's marker and the
# spaces around it, then `##`, a space, and a heading holding a scene id.
_QUOTED_HEADING = re.compile(r"^( {0,3}>[ \t]*)(#{1,6})([ \t]*)(?=[^#\s][^\n]*\{\s*#)")
# A choice's link written with full-width brackets, parentheses or `#` (a Chinese or
# Japanese input method): `［Go］（#b）`, `[Go]（#b）`, `[Go](＃b)`. Markdown reads no link to a
# scene, and the line is prose. At least one of the five is full-width (checked in code).
_WIDE_LINK = re.compile("[\\[\uff3b][^\\[\\]\uff3b\uff3d\n]*[\\]\uff3d][ \t]*[(\uff08][ \t]*[#\uff03]")
_WIDE = str.maketrans({"\uff3b": "[", "\uff3d": "]", "\uff08": "(", "\uff09": ")", "\uff03": "#"})
# A list marker Markdown does not read, before a choice's `[`: a bullet a word processor
# types (`•`, `–` made of `-` by autocorrect, full-width `－`), or `-`, `*`, `+` followed
# by a space Markdown does not read as one (no-break, ideographic…). Group 1 the slip.
_ODD_MARKER = re.compile("^[ \t]*(?:([\u2022\u00b7\u25cf\u25aa\u25e6\u2023\u2013\u2014\u2212\uff0d\uff0a\uff0b])[ \t\u00a0\u3000]*"
                         f"|[-*+]([{ODD_SPACES}]))" "[\\[\uff3b]")
# A link to a scene (ASCII or full-width marks): what makes a line after an odd marker a
# choice meant; `— [The map](https://…) shows the way.` is dialogue with a link in it.
_TO_SCENE = re.compile("[\\]\uff3d][ \t]*[(\uff08][ \t]*[#\uff03]")
# `[Text](# hall)`: a space after `#`.
_SPACED_HASH = re.compile(f"\\]\\(#([ \t{_GAP}]+)[A-Za-z0-9_-]")
# A choice line as typed at the start of a line.
CHOICE_LINE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]]*\]\(#")
# `{if="…" do="…"}`: attributes as a choice takes them.
_WELL_FORMED_ATTRS = re.compile(r'\{[ \t]*(?:[\w-]+="[^"]*"[ \t]*)*\}')
_SLUG_HREF = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A choice's address naming a file, or a scene in one (`other-story#bell`, `other.md#bell`,
# `../stories/other.md`, `/stories/other#bell`): a scene of another story, which a choice
# cannot lead to. Group "story" the file's name without its extension, "scene" the id.
_OTHER_STORY_HREF = re.compile(r"^(?:\.{1,2}/|/)?(?:[\w.-]+/)*(?P<story>[\w-]+)(?:\.(?:md|markdown|html?))?"
                               r"(?:#(?P<scene>[\w-]*))?$")
# A list item's whole text shaped as a choice: `[words](#scene)`, attributes after it or not.
_CHOICE_SHAPE = re.compile(r"\[.*\]\(#[^()\s]*\)[ \t]*(?:\{[^{}]*\})?", re.S)


@dataclass(frozen=True)
class Place:
    """Where one inline token's source starts: its first line number in the file."""

    doc: Document
    first_line: int
    count: int

    def lines(self, start: int | None = None):
        """(number, text) of each line, from line `start` on when given."""
        # the file's lines taken once (its read noted once), not once per line
        # through `source.line`: a story's near-miss nets walk ~300 lines each
        # (docs/performance.md cold43)
        lines = self.doc.source.lines
        for k in range(max(0, (start or self.first_line) - self.first_line), self.count):
            number = self.first_line + k
            yield number, lines[number - 1] if 0 < number <= len(lines) else ""


@dataclass(frozen=True)
class _Blanked(Place):
    """A Place whose lines are given (`without_code`), not read from its document."""

    given: tuple[str, ...] = ()

    def lines(self, start: int | None = None):
        for k in range(max(0, (start or self.first_line) - self.first_line), self.count):
            yield self.first_line + k, self.given[k]


def without_code(place: Place, inline: Token) -> Place:
    """`place` with the code spans markdown-it read in `inline` blanked (spaces, every
    character where it was): text in backticks is shown as typed, so choice syntax in
    one (`` `- [Go](#hall)` `` in a story about writing stories, or a Twine passage's
    `<code>` that foundry import wrote as a code span) is no slip, and was refused as
    "this looks like a choice" (HF0528). The spans are found in the order markdown-it
    found them, each opening a run of its backticks not escaped, each closed by the
    next run of as many: one pass over the lines."""
    fences = [child.markup for child in inline.children or [] if child.type == "code_inline"]
    if not fences:
        return place
    given = [line for _, line in place.lines()]
    text = "\n".join(given)
    blanks: list[tuple[int, int]] = []
    at = 0
    for fence in fences:
        opening = _backtick_run(text, fence, at, escapable=True)
        closing = _backtick_run(text, fence, opening + len(fence), escapable=False) if opening >= 0 else -1
        if closing < 0:
            break   # not where markdown-it found it: the rest is read as written
        blanks.append((opening, closing + len(fence)))
        at = closing + len(fence)
    if not blanks:
        return place
    out, last = [], 0
    for start, end in blanks:
        out += [text[last:start], re.sub(r"[^\n]", " ", text[start:end])]
        last = end
    out.append(text[last:])
    return _Blanked(place.doc, place.first_line, place.count, tuple("".join(out).split("\n")))


def _backtick_run(text: str, fence: str, at: int, escapable: bool) -> int:
    """Where the first run of exactly len(`fence`) backticks at or after `at` starts
    (not after an odd number of backslashes when `escapable`: an opening only), or -1."""
    while True:
        k = text.find(fence, at)
        if k < 0:
            return -1
        end = k + len(fence)
        while end < len(text) and text[end] == "`":
            end += 1
        if end - k == len(fence) and (k == 0 or text[k - 1] != "`"):
            if not escapable:
                return k
            slashes = k
            while slashes > 0 and text[slashes - 1] == "\\":
                slashes -= 1
            if (k - slashes) % 2 == 0:
                return k
        at = end


def place_of(doc: Document, inline: Token) -> Place:
    start, end = inline.map if inline.map else (0, 1)
    return Place(doc, doc.body_line + start, max(end - start, 1))


def check_images(place: Place, inline: Token, diags: Diagnostics) -> None:
    """HF0128 at each image of one prose inline (load/titles.py `report_images`)."""
    images = [child for child in inline.children or [] if child.type == "image"]
    if images:
        report_images(images, place.lines(), Span(place.doc.path, place.first_line, 1), diags)


def check_empty_links(place: Place, inline: Token, diags: Diagnostics) -> None:
    """HF0175 at each link of one prose inline with no words (load/titles.py `report_empty_links`)."""
    if "](" in inline.content:
        report_empty_links(inline.children or [], place.lines(), Span(place.doc.path, place.first_line, 1), diags)


def check_dropped_attrs(place: Place, inline: Token, diags: Diagnostics, heading: bool = False,
                        block: bool = True) -> None:
    """HF0537 at the first `{…}` of one prose inline that the attributes syntax read
    onto a link or a code span (load/titles.py `report_dropped_attrs`), else at the
    `{…}` ending it (a paragraph's, a list item's, a heading's: `block_attrs`), shown
    as typed. (`{if=…}`, `{do=…}`, `{id=…}` are a choice written in prose: HF0528,
    check_inline; `block` is False when check_inline said a slip of this inline.)"""
    fallback = Span(place.doc.path, place.first_line, 1)
    children = inline.children or []
    if not block:   # the slip said is the link to a scene's: its `{do=…}` is no second finding
        children = [c for c in children if not (c.type == "link_open" and str(c.attrs.get("href", "")).startswith("#"))]
    if report_dropped_attrs(children, place.lines(), fallback, diags) or not block:
        return
    found = block_attrs(inline.content, heading) if "{" in inline.content else None
    if found:
        report_block_attrs(found, heading, place.lines(), fallback, diags)
    elif loose := loose_attrs(inline.content):
        report_loose_attrs(loose, place.lines(), fallback, diags)


def check_shown_as_typed(place: Place, inline: Token, diags: Diagnostics, wikis: list | None = None) -> None:
    """HF0124 at each HTML tag, refused link or footnote of one prose inline, in the
    order a reader meets them: the reader would see each as typed (docs/formats.md: raw
    HTML is not allowed in prose). The first alone was said, so a paragraph's second
    refused link was found only once the first was fixed. A closing tag of one already
    said (`</kbd>` after `<kbd>`) is that one slip. Text in backticks is code and stays
    as typed on purpose. `wikis` receives (the diagnostic's index, the link's inside) of
    each wiki link said, whose hint names its scene once every scene is known."""
    text = "".join(c.content if c.type == "text" else " " for c in inline.children or [])
    # a tag the writer escaped (`\<b\>`) or wrote as entities (`&lt;b&gt;`) is the angle
    # brackets they asked for: parsed, it is the same text as a typed tag (the lines as
    # written are joined only for text that has a tag's shape: most paragraphs have none)
    written = "\n".join(line for _, line in place.lines()) if "<" in text else ""
    # each `<` of the text as typed or asked for, in order: a `&lt;b&gt;` beside a typed
    # `<b>` is not a second tag (any `<b` typed made every one a tag)
    typed = typed_angles(written) if written else []
    if len(typed) == text.count("<"):
        every = every_shown(text, lambda m: typed[text.count("<", 0, m.start())])
    else:   # the lines as written read otherwise than the paragraph (a shortcut's text): by name
        every = every_shown(text, lambda m: typed_tag_at(m.group(0), written) >= 0)
    if not every:
        return
    lines = list(place.lines())
    # a definition an image of the story takes its address from is that image's
    # (`![map][where]` … `[where]: C:\maps\x.png`: HF0128, not a link's HF0124)
    images = _story_images(place.doc) if any(found.group(0).lstrip(" \t>").startswith("[") for found in every) \
        else frozenset()
    # an address with a space, as the writer typed it: the paragraph's text has its
    # escapes and entities undone (`\[x](a b)` reads `[x](a b)`, the brackets asked
    # for), so each is said as the next one typed (a `[` typed, closed by its `]`), and
    # is no slip when there is none left
    spaced = _typed_spaced(place, inline) if any(found.re is SPACED_ADDRESS for found in every) else []
    at, column = 0, 0   # each is looked for after the one before, in the lines as written
    for n, found in enumerate(every):
        span = Span(place.doc.path, place.first_line, 1)
        if found.re is SPACED_ADDRESS:
            typed = next(((i, k, m) for i, k, m in spaced if (i, k) >= (at, column)), None)
            if typed is None:
                continue
            at, column, found = typed[0], typed[1] + 1, typed[2]
            span = Span(place.doc.path, lines[at][0], column)
            if n == EACH_SAID:
                diags.add("HF0124", the_rest(len(every), "paragraph"), span)
                return
            report_raw_prose(found, span, diags, images=images, scene=True)
            continue
        for i in range(at, len(lines)):
            number, line = lines[i]
            k = typed_at(found, line, column if i == at else 0)
            if k >= 0:
                span, at, column = Span(place.doc.path, number, k + 1), i, k + 1
                if found.re is HTML_COMMENT:   # what is in it is its slip: the next is after it
                    at, column = past_comment(found, lambda j: lines[j][1], i, k + 1, len(lines) - 1)
                break
        else:
            if found.re in (FOOTNOTE, WIKI_LINK, OTHER_NOTE):
                # not as the text reads it (the typographer curled a wiki link's quotes), or
                # escaped: `\[\[lantern\]\]` asks for the brackets as text, and the paragraph's
                # text, its escapes undone, said it as a wiki link at line 1
                typed = _opened_as_typed(found, lines, at, column)
                if typed is None:
                    continue
                at, column = typed
                span = Span(place.doc.path, lines[at][0], column)
        if found.re is RAW_TAG and _OTHER_SET.match(lines[at][1]):
            continue   # `<<set $x to 1>>`'s `<set …>`: the line is said as SugarCube's (_set_slip)
        if n == EACH_SAID:   # a paragraph of 10,000 tags: the first few, then one line
            diags.add("HF0124", the_rest(len(every), "paragraph"), span)
            return
        said = len(diags.items)
        report_raw_prose(found, span, diags, images=images, scene=True)
        if wikis is not None and found.re is WIKI_LINK and len(diags.items) > said \
                and not (found.start() and found.string[found.start() - 1] == "!"):   # an embed's hint names no scene
            wikis.append((said, found.group("words")))


def _opened_as_typed(found: re.Match, lines: list[tuple[int, str]], at: int, column: int) -> tuple[int, int] | None:
    """Where a footnote, wiki link or other tool's note `found` is typed in `lines` from
    line `at`, `column` on: (the index of its line, the column of its opening), its
    opening (`[^`, `[[`, `%%`, `^[`, `[!`) unescaped and followed by the letters and
    digits of `found` (the typographer's quotes and dashes aside); None when it is
    typed nowhere so (its marks escaped: text the writer asked for)."""
    opening = typed_opening(found) if found.re is OTHER_NOTE else found.group(0).lstrip(" \t>")[:2]
    letters = _letters(found.group(0))
    for i in range(at, len(lines)):
        line = lines[i][1]
        k = line.find(opening, column if i == at else 0)
        while k >= 0:
            if not is_escaped(line, k) and not is_escaped(line, k + 1) \
                    and _letters(line[k:k + 2 * len(found.group(0)) + 8]).startswith(letters):
                return i, k + 1
            k = line.find(opening, k + 1)
    return None


def _letters(text: str) -> str:
    """The letters and digits of `text`, in order."""
    return "".join(ch for ch in text if ch.isalnum())


# The last story whose images' labels were read (its lines, kept so their id is not
# reused, and the labels): each refused definition of a story of 10,000 would read the
# whole file again.
_IMAGES: list[tuple[Any, frozenset[str]]] = []


def _story_images(doc: Document) -> frozenset[str]:
    """load/titles.py `image_labels` of story `doc`'s whole text, read once a story."""
    lines = doc.source.lines
    if not _IMAGES or _IMAGES[0][0] is not lines:
        _IMAGES[:] = [(lines, image_labels("\n".join(lines)))]
    return _IMAGES[0][1]



def _typed_spaced(place: Place, inline: Token) -> list[tuple[int, int, re.Match]]:
    """(index of the line in `place`, index on it, the match) of the address of each
    link typed with a space in it (load/link_addresses.py `spaced_addresses`) in the
    paragraph as written, code spans and HTML comments blanked (a link in a comment is
    the comment's slip: every_shown says the comment alone, so the one in it was taken
    for the next one said)."""
    lines = [line for _, line in without_code(place, inline).lines()]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    text = "\n".join(lines)
    if "<!" in text:
        text = HTML_COMMENT.sub(lambda m: m.group(0) if is_escaped(text, m.start()) else re.sub(r"[^\n]", " ", m.group(0)),
                                text)
    found = []
    for m in spaced_addresses(text):
        i = bisect.bisect_right(starts, m.start("at")) - 1
        found.append((i, m.start("at") - starts[i], m))
    return found


def check_inline(place: Place, inline: Token, in_list: bool, diags: Diagnostics,
                 scene_links: list) -> bool:
    """Report the first choice-shaped slip in one prose inline (a paragraph, a list item
    that is not a choice, a quote…). True if one was reported. Links without `#` whose
    target may be a scene are appended to `scene_links` (Span, href, in_list) and judged
    once every scene id is known."""
    typed = without_code(place, inline)   # what the line-by-line nets read: code is text as typed
    if _syntax_slip(typed, diags, scene_links):
        return True
    if in_list and _link_in_choice(place, inline, diags):
        return True
    if in_list and _choice_into_other_story(place, inline, diags):
        return True
    after = Span(place.doc.path, place.first_line, 0)   # links come in the order written
    for child in inline.children or []:
        if child.type != "link_open":
            continue
        href = str(child.attrs.get("href", ""))
        if not (href.startswith("#") or _SLUG_HREF.match(href)):
            continue   # a web address: nothing to judge (and a paragraph of 50,000 autolinks
            #            searched its whole text for each `](` it does not have)
        found = _find(place, "](" + href, after)
        after = found or after
        span = found or Span(place.doc.path, place.first_line, 1)
        if href.startswith("#"):
            where = "a list item that holds more than the link" if in_list else "a paragraph"
            joined = _joined_to_choice(place, span) if in_list else None
            diags.add("HF0528", f"a link to scene '{clip(href[1:], 40)}' inside {where} is not a choice"
                      + (joined[0] if joined else ""), _bracket(place, span),
                      hint=joined[1] if joined else "A choice is a list item holding only the link: put it on its "
                           f"own line as `- [Text]({clip(href, 40)})`, or remove the link.")
            return True
        if _SLUG_HREF.match(href):
            scene_links.append((Span(span.path, span.line, span.column + 2), href, in_list))
    if _leftover_syntax(typed, diags):
        return True
    return False


# A choice's line as typed, the link and its attributes alone after the list marker, and
# what follows them on the line (a `\` or spaces: a hard line break).
_LONE_CHOICE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]]*\]\(#[^()\s]*\)(?:\{[^{}]*\})?(?P<end>[ \t]*\\?)$")


def _joined_to_choice(place: Place, span: Span) -> tuple[str, str] | None:
    """(what to add to HF0528's message, its hint) when the link at `span` is a choice
    written alone on its line and the list item holds more only because Markdown joined
    a line to it: a backslash ending the line (a hard break, or the character itself
    when no line follows) or the next line, not blank, continuing the item. The hint "put it on
    its own line" was said of a choice on its own line. None otherwise."""
    lines = dict(place.lines())
    typed = lines.get(span.line, "")
    m = _LONE_CHOICE.match(typed)
    if m is None:
        return None
    below = lines.get(span.line + 1, "")
    if below.strip():
        return (f": the line below it (`{clip(below.strip(), 30)}`) continues the list item",
                "Markdown joins a line to the list item above it: leave a blank line between the choices and "
                "the text (prose goes above a scene's choices), or start the line with `- ` if it is a choice too.")
    if m.group("end").endswith("\\"):
        return (": the `\\` ending its line is text in it",
                f"Remove the `\\` after the link: {code_span(clip(typed.rstrip()[:-1].strip(), 60))}.")
    return None


def _choice_into_other_story(place: Place, inline: Token, diags: Diagnostics) -> bool:
    """HF0503 at the address of a list item that is one link to a file or to a scene in
    one (`- [Ring the bell](bells#tower)`, `(bells.md#tower)`, `(../stories/bells.md)`):
    a choice leads to a scene of its own story only. It was "a list of choices holds an
    item that is not a single link to a scene" at the marker, with the hint to write the
    link the writer thought they had written. True if said. (`(tower)`, no `#` and no
    file, is HF0527, judged once the story's scene ids are known.)"""
    kids = inline.children or []
    links = [c for c in kids if c.type == "link_open"]
    if len(links) != 1 or kids[0] is not links[0]:
        return False
    href = str(links[0].attrs.get("href", ""))
    # (a Windows path's `\` between its folders, `..\stories\bells.md#tower`, is a `/`)
    m = _OTHER_STORY_HREF.match(unquote(href).replace("\\", "/"))
    if m is None or (m.group("scene") is None and "." not in href and "/" not in href and "%5C" not in href):
        return False   # `(tower)`: HF0527's
    text = inline.content.strip()
    closing = text.rfind(")")
    if not text.startswith("[") or closing < 0 or text[closing + 1:].strip(" \t") and \
            not re.fullmatch(r"\{[^{}]*\}", text[closing + 1:].strip(" \t")):
        return False   # more than the link: the list item's own slip
    found = _find(place, "](" + href) or _find(place, "](" + unquote(href))   # (as typed: `..\x.md`, `%5C` read)
    span = Span(found.path, found.line, found.column + 2) if found else Span(place.doc.path, place.first_line, 1)
    scene, story = m.group("scene"), m.group("story")
    shown = clip(unquote(href), 40)
    if story == place.doc.id:
        # the story's own file (`first-story.md#wait`): told "another story, 'first-story'"
        diags.add("HF0503", f"the link '{shown}' names this story's own file: a choice leads to a scene of its "
                  "story by the scene's id alone", span,
                  hint=f"Write `(#{clip(scene, 40)})`." if scene else
                  f"Write `(#{clip(place.doc.data.get('start', 'scene-id'), 40)})` to lead to its first scene, "
                  "or the id of the scene the choice leads to.")
        return True
    # the address first, as HF0527 writes it: the site's link check (engine/outputs.py)
    # then knows this link was said, and does not add that the page does not exist
    into = f"scene '{clip(scene, 40)}' of another story, '{clip(story, 40)}'" if scene else "a file, not a scene"
    diags.add("HF0503", f"the link '{shown}' leads to {into}: a choice leads only to a scene of its own "
              "story", span,
              hint=(f"If '{clip(scene, 40)}' is a scene of this story, write `(#{clip(scene, 40)})`. " if scene else "")
              + "Stories do not lead into one another: copy the scene into this story, or end this one "
                "(`{#id .ending}` on its last scene) with a link to the other in its prose "
                f"(`[{clip(story, 30)}]({clip(story, 40)}.html" + (f"#scene-{clip(scene, 40)}" if scene else "") + ")`).")
    return True


def _link_in_choice(place: Place, inline: Token, diags: Diagnostics) -> bool:
    """HF0528 at a web link or autolink written inside a choice's words, which makes the
    line no choice: `- [Go to <https://example.org> now](#end)` holds a link within its
    link (markdown-it reads both) and `- [See [the map](https://x.org)](#end)` leaves the
    brackets as text (CommonMark nests no link). Each was said as 'a list item that
    holds more than the link' with the hint to write `- [Text](#end)` (what was written),
    or as 'this looks like a choice' with no word of the link. True if said."""
    kids = inline.children or []
    # the choice's own brackets open the item: its link to a scene, or (unread) a `[`;
    # `- [the map](https://x.org) then [go](#end)` is two links, not one inside another
    opened = kids and ((kids[0].type == "link_open" and str(kids[0].attrs.get("href", "")).startswith("#"))
                       or (kids[0].type == "text" and kids[0].content.startswith("[")))
    if not opened or not _CHOICE_SHAPE.fullmatch(inline.content.strip()):
        return False
    links = [c for c in kids if c.type == "link_open"
             and not str(c.attrs.get("href", "")).startswith("#")]
    if not links:
        return False
    href = str(links[0].attrs.get("href", ""))
    # at the link as typed: `<https://…>`, else `](address)`, else the line's start
    close = _find(place, "](" + href) or _typed_destination(place, href)
    at = (_find(place, "<" + href.removeprefix("mailto:")) or _typed_autolink(place, href)
          or (_bracket(place, close) if close else None) or Span(place.doc.path, place.first_line, 1))
    diags.add("HF0528", f"a link to '{clip(href, 40)}' inside a choice's words: the line is not a choice", at,
              hint="A choice is a link to its scene already, and a link holds no other link: keep the words "
                   "(`- [Text](#scene)`), and put the address in the scene's prose.")
    return True


def check_code_block(doc: Document, tok: Token, diags: Diagnostics) -> None:
    """An indented code block holding choice lines: four spaces of indentation turned
    the choices into code shown as typed."""
    start = doc.body_line + (tok.map[0] if tok.map else 0)
    for k, line in enumerate(tok.content.splitlines()):
        if CHOICE_LINE.match(line):
            number = start + k
            source = doc.source.line(number)
            col = len(source) - len(source.lstrip(" \t")) + 1
            diags.add("HF0531", "this choice is indented four spaces or more, which makes it a code block",
                      Span(doc.path, number, col),
                      hint="Start choices at the beginning of the line: `- [Text](#scene)`.")
            return


# A scene heading as typed (`## The Hall {#hall}`, at any level: HF0520 reads those too).
_SCENE_LINE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t].*\{[^{}]*#[ \t]*[\w-]+")


def check_fence(doc: Document, tok: Token, diags: Diagnostics) -> None:
    """HF0539 (a warning) at a fenced code block (```` ``` ````, `~~~`) that is never
    closed: Markdown runs it to the end of the story (or of the list item or quote
    holding it), so every scene heading and choice after it became code — the follow-on
    errors (unknown scenes, no ending) name those scenes, not the slip, so this says
    which of them it took in."""
    if tok.info.strip():
        number = doc.body_line + tok.map[0]
        report_fence_info(tok, doc.source.line(number), Span(doc.path, number, 1), diags)
    if not open_fence(tok, lambda k: doc.source.line(doc.body_line + k)):
        return
    number = doc.body_line + tok.map[0]
    lines = tok.content.split("\n")
    scenes = [k for k, line in enumerate(lines) if _SCENE_LINE.match(line)]
    choices = sum(1 for line in lines if CHOICE_LINE.match(line))
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((len(scenes), "scene heading"), (choices, "choice")) if n]
    swallowed = ""
    if parts:
        swallowed = " and ".join(parts)
        if scenes:
            swallowed += f" (the first at line {number + 1 + scenes[0]}: '{clip(lines[scenes[0]].strip(), 40)}')"
    diags.add("HF0539", open_fence_message(tok, swallowed and "with " + swallowed),
              Span(doc.path, number, max(doc.source.line(number).find(tok.markup), 0) + 1))


def check_choice_attrs(span: Span, source_line: str, link_attrs: dict, diags: Diagnostics) -> None:
    """Unknown or repeated attribute names on a choice that markdown-it did read (it
    keeps the last of two `if=`, silently)."""
    brace = source_line.find("){", span.column - 1)
    if brace >= 0:
        seen: set[str] = set()
        for m in re.finditer(r"(?<![\w-])([\w-]+)=\"[^\"]*\"", source_line[brace + 1:]):
            if m.group(1) in seen:
                diags.add("HF0534", f"'{clip(m.group(1), 20)}' is given twice on this choice",
                          Span(span.path, span.line, brace + 2 + m.start(1)),
                          hint="Only the last would count: join the two, e.g. `if=\"a and b\"` or `do=\"x; y\"`.")
                return
            seen.add(m.group(1))
    for key in link_attrs:
        if key in ("href", *CHOICE_ATTRS):
            continue
        if key == "class":
            # `{.big}`: markdown-it keeps it as the link's class, which no output shows
            # (nor does a choice end a story: an ending is marked on its scene's heading)
            names = re.sub(r'"[^"]*"', lambda q: " " * len(q.group()), source_line[max(brace, 0):])
            m = re.search(r"(?<![\w-])(?:\.[\w-]+|class\s*=)", names) if brace >= 0 else None
            classes = str(link_attrs[key]).split() or [""]
            typed = m.group() if m is not None and m.group().startswith(".") else "." + classes[0]
            diags.add("HF0503", f"'{clip(typed, 20)}' on a choice is shown in no output",
                      Span(span.path, span.line, brace + m.start() + 1) if m else span,
                      hint=("An ending is marked on the scene it leads to: `## Home {#home .ending}`. "
                            if "ending" in classes else "")
                      + "Remove it: a choice takes `if=\"…\"`, `do=\"…\"` and `id=\"…\"`.")
            continue
        if key == "title":
            diags.add("HF0503", "a choice's link has a title (the text in quotes after the target), which no output shows",
                      span, hint="Remove it: `[Text](#scene)`; to say more, put it in the choice's text.")
            continue
        best = did_you_mean(key, CHOICE_ATTRS)
        m = re.search(rf"(?<![\w-]){re.escape(key)}\s*=", source_line[span.column - 1:])
        where = Span(span.path, span.line, span.column + m.start()) if m else span
        diags.add("HF0503", f"unknown choice attribute '{clip(key, 20)}'", where,
                  hint=(f"Did you mean '{best}'? " if best else "")
                  + "A choice takes `if=\"…\"`, `do=\"…\"` and `id=\"…\"`.")


def judge_scene_links(links: list, scene_ids: set[str], diags: Diagnostics) -> None:
    """`[Text](hall)` without `#`: in a list it is a choice whose link misses its `#`;
    in a paragraph it is a slip only when `hall` is a scene of this story. An entry
    with a fourth item (code, message, hint) is said as that, and only when `href` is
    a scene of this story (`_ink_slip`)."""
    for span, href, in_list, *said in links:
        if said:
            if href in scene_ids:
                code, message, hint = said[0]
                diags.add(code, message, span, hint=hint)
        elif in_list or href in scene_ids:
            diags.add("HF0527", f"the link to '{clip(href, 40)}' has no `#`, so it is not a choice",
                      span, hint=f"A choice links to a scene with `#`: `(#{clip(href, 40)})`.")


# The braces ending a scene heading (`{#id .ending}`) with one of their marks full-width
# (`｛#gate｝`, `{＃gate}`, `{#home ．ending}`): an input method's, which Markdown reads as
# part of the title. Group 1 the braces.
_WIDE_HEADING_ATTRS = re.compile("[ \t]([{\uff5b][ \t]*[#.\uff03\uff0e][\\w-]+(?:[ \t]+[#.\uff03\uff0e][\\w-]+)*"
                                 "[ \t]*[}\uff5d])[ \t]*$")
# A choice's attributes right after its link with a full-width brace, `＝` or `＂`
# (`{do＝"set rope"}`, `｛do="set rope"｝`): Markdown reads none of them. Group 1 the braces.
_WIDE_CHOICE_ATTRS = re.compile("\\]\\(#[^()\\s]*\\)([{\uff5b][^{}\uff5b\uff5d\n]*[}\uff5d])[ \t]*$")
_WIDE_MARKS = str.maketrans({"\uff5b": "{", "\uff5d": "}", "\uff03": "#", "\uff0e": ".", "\uff1d": "=", "\uff02": '"'})


def _wide_attrs(line: str, heading: bool) -> tuple[int, str] | None:
    """(0-based start of the braces, the braces written in ASCII) when the braces ending
    the heading or choice `line` are written with full-width marks, else None. In a
    choice's values only the quotes around a value are its marks (a `＂` inside one is text)."""
    m = (_WIDE_HEADING_ATTRS if heading else _WIDE_CHOICE_ATTRS).search(line)
    if m is None or not any(ch in "\uff5b\uff5d\uff03\uff0e\uff1d\uff02" for ch in m.group(1)):
        return None
    braces = m.group(1)
    if not heading and _WELL_FORMED_ATTRS.fullmatch(braces):
        return None   # ASCII attributes whose value holds a full-width mark as text (`{if="s == '＂'"}`)
    if heading:
        return m.start(1), braces.translate(_WIDE_MARKS)
    inner = re.sub("(?<=[\\w-])[ \t]*\uff1d[ \t]*", "=", braces[1:-1])
    inner = re.sub("=[\"\uff02]([^\"\uff02\n]*)[\"\uff02]", lambda q: f'="{q.group(1)}"', inner)
    return m.start(1), "{" + inner + "}"


def meant_headings(body: str, tokens: list[Token], doc: Document, diags: Diagnostics) -> str | None:
    """`body` with each scene heading almost written at the top level (`_ALMOST_HEADING`,
    a line of a paragraph of `tokens`, its parse) written as meant, `## Title {#id}`,
    each reported at its line (HF0535); None when there is none. Read as a paragraph,
    the scene was lost: its choices joined the scene above ("two choices have the id",
    "text after the choices"), and a choice leading to it went nowhere. Read as meant,
    as a heading written `###` is (HF0520), the slip is one error. The line keeps its
    length but for a space put in after the hashes."""
    lines = body.split("\n")
    found = False
    for tok in tokens:
        if tok.type == "blockquote_open" and tok.level == 0 and tok.map:
            # `> ## Mid {#c}`, `> ##Mid {#c}`: a scene heading inside a quote, read as the
            # scene meant; as a quoted heading (or paragraph) its choices joined the scene
            # above ("text after the choices of scene 'a'") and a choice to it went nowhere
            for k in range(tok.map[0], min(tok.map[1], len(lines))):
                quoted = _QUOTED_HEADING.match(lines[k])
                if quoted is None:
                    continue
                lead, hashes, gap = quoted.group(1), quoted.group(2), quoted.group(3)
                if gap:
                    diags.add("HF0535", "a scene heading inside a quote or a list is not a scene",
                              Span(doc.path, doc.body_line + k, len(lead) - len(lead.lstrip(" ")) + 1),
                              hint="Start the line with `## ` itself: `## Title {#id}`, outside any `>` or list.")
                else:
                    diags.add("HF0535", "a scene heading needs a space after its `##`",
                              Span(doc.path, doc.body_line + k, quoted.end(2) + 1),
                              hint="Start the line with `## ` itself, outside the quote: `## Title {#id}`.")
                # at the margin, not spaced to its columns: two spaces below a choice put the
                # heading inside the choice's list item; the scene's places are read from the file
                lines[k] = hashes + " " + lines[k][quoted.end():]
                found = True
            continue
        if tok.type in ("heading_open", "list_item_open") and tok.map and tok.map[0] < len(lines):
            k = tok.map[0]
            wide = _wide_attrs(lines[k], tok.type == "heading_open")
            if wide is not None:
                start, meant = wide
                written = lines[k][start:].rstrip()
                at = start + next(i for i, ch in enumerate(written) if ch in "\uff5b\uff5d\uff03\uff0e\uff1d\uff02")
                what = "a scene heading's braces" if tok.type == "heading_open" else "a choice's attributes"
                diags.add("HF0522" if tok.type == "heading_open" else "HF0525",
                          f"full-width `{lines[k][at]}` in {what}: Markdown reads none of them here",
                          Span(doc.path, doc.body_line + k, at + 1),
                          hint=f"Write them in ASCII, as an input method in English mode types them: {code_span(clip(meant, 40))}.")
                lines[k] = lines[k][:start] + meant + lines[k][start + len(written):]
                found = True
            continue
        if tok.type != "paragraph_open" or tok.level != 0 or not tok.map:
            continue
        for k in range(tok.map[0], min(tok.map[1], len(lines))):
            m = _ALMOST_HEADING.match(lines[k])
            if m is None:
                continue
            hashes, gap = m.group(1), m.group(2)
            number, at = doc.body_line + k, m.start(2) + 1
            rest = lines[k][m.end(2):]
            if hashes[0] == "#" and gap.strip(" \t"):
                odd = next(ch for ch in gap if ch not in " \t")
                message = (f"a scene heading needs a space after its `##`: the U+{ord(odd):04X} "
                           f"{unicodedata.name(odd, 'space')} after it is not one Markdown reads")
                at += gap.index(odd)
            elif hashes[0] == "#":
                message = "a scene heading needs a space after its `##`"
            else:
                message = f"a scene heading is written with `##`: full-width `{hashes}` is not read as one"
                at = m.start(1) + 1
            # the heading quoted only whole (a clipped one, copied, lost the title's end)
            heading = f"## {rest.strip()}"
            diags.add("HF0535", message, Span(doc.path, number, at),
                      hint=f"Write {code_span(heading)}, with `##` and an ordinary space after it." if len(heading) <= 80
                      else "Write `##` and an ordinary space in their place, the rest of the line as it is.")
            lines[k] = lines[k][:m.start(1)] + "##" + " " * max(len(gap), 1) + rest
            found = True
    return "\n".join(lines) if found else None


def _syntax_slip(place: Place, diags: Diagnostics, scene_links: list) -> bool:
    """The first slip on each line of `place`; True if any was reported (an ink choice
    judged once the story's scene ids are known goes to `scene_links`, `_ink_slip`)."""
    found = False
    for number, line in place.lines():
        if "]" in line or "#" in line or "->" in line or line.lstrip()[:1] in ("~", "(", "<"):   # each slip _line_slip
            #                         looks for has one of these (most lines have none)
            found = _line_slip(place, number, line, diags, scene_links) or found
    return found


# A choice or a divert as ink writes them: `* [Wade in] -> tracks`, `+ Follow the tracks ->
# tracks` (a list item of `*` or `+`, its words bracketed or not), `-> tracks` alone on its
# line (`-> END`: the story ends). Markdown reads each as prose, an arrow shown as typed.
# The target is a knot's name as ink writes one (`far_bank`), or END or DONE. One that
# starts upper-case (`-> Far_Bank`, `-> FarBank`) is one only when, written as an id
# (`far-bank`), it names a scene of the story: a list of places (`* Paris -> London`) is prose. An item whose words are not bracketed and
# whose target is one plain word (`* ice -> water`, `+ salt -> brine`: a chemist's list),
# or a divert to one (`Flour and water⏎-> dough`), is one only when that word names a
# scene of the story (`+ Wait … -> wait`, `-> tracks`).
# A quote (`> * [Wade in] -> far_bank`, a writer's note quoting the ink draft) is a quote,
# as its `> ~ coins = coins - 1` is.
_INK_CHOICE = re.compile(r"^(?P<lead>[ \t]*[*+][ \t]+)(?:\[(?P<said>[^\[\]]+)\](?P<rest>[^\[\]]*?)|(?P<words>[^\[\]]+?))"
                         r"[ \t]*->[ \t]*(?P<to>[A-Za-z_][\w.]*|END|DONE)[ \t]*$")
_INK_DIVERT = re.compile(r"^(?P<lead>[ \t]*)->[ \t]*(?P<to>[A-Za-z_][\w.]*|END|DONE)[ \t]*$")


def _ink_slip(place: Place, number: int, line: str, diags: Diagnostics, scene_links: list) -> bool:
    """HF0528 at a choice or divert written as ink writes it (`_INK_CHOICE`,
    `_INK_DIVERT`), with the choice it was meant as; True if there was one. An item of
    unbracketed words, or a divert, leading to one plain word is put in `scene_links` (span, target,
    in_list, (code, message, hint)), said only if the word is a scene's id
    (`judge_scene_links`), and False returned."""
    choice = _INK_CHOICE.match(line)
    divert = None if choice else _INK_DIVERT.match(line)
    m = choice or divert
    if m is None:
        return False
    target = m.group("to")
    ends = target in ("END", "DONE")
    # a knot named upper-case (`Far_Bank`, `FarBank`) as the scene id it would be
    capital = target[0].isupper() and not ends
    knot = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", target).lower() if capital else target
    scene = knot.replace("_", "-") if re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", knot) else "scene-id"
    words = "Go on" if divert else (m.group("said") or m.group("words") or "").strip() + (m.group("rest") or "").rstrip()
    what = "a choice as ink writes it" if choice else "a divert as ink writes it (`->`)"
    hint = ("Foundry has no divert: a story ends at a scene whose heading has `.ending` (`## Home {#home .ending}`)."
            if ends else f"A choice is a list item holding only a link to the scene: "
                         f"{code_span('- [' + clip(words.strip() or 'Go on', 40) + '](#' + scene + ')')}"
                         + (", with the id of the scene it leads to" if scene == "scene-id" else "")
                         + ("; foundry has no divert, a scene leads on by its choices" if divert else "") + ".")
    lead = m.group("lead")
    column = len(lead) + 1 if divert else len(lead) - len(lead.lstrip(" \t>")) + 1   # at the `->`, the `*`
    span, message = Span(place.doc.path, number, column), f"{what} is shown as typed: it is no choice here"
    if not (choice and m.group("said")) and re.fullmatch(r"[a-z0-9]+", target) or capital:
        if scene != "scene-id":   # (said only when it is a scene's id: `* Paris -> London` is prose)
            scene_links.append((span, scene, False, ("HF0528", message, hint)))
        return False
    diags.add("HF0528", message, span, hint=hint)
    return True


# A line changing a variable as ink, Harlowe or SugarCube write one: `~ coins = coins - 1`,
# `(set: $found to true)`, `(put: true into $found)` (the value first), `<<set $found to
# true>>` (groups `lead`, then `ink`; `h`, `hv`; `p`, `pv`; `s`, `sv`: the name, the value).
_OTHER_SET = re.compile(r"^(?P<lead>[ \t]*)(?:~[ \t]*(?P<ink>[a-z_]\w*[ \t]*(?:[-+*/]?=|\+\+|--).*?)"
                        r"|\(set:[ \t]*\$?(?P<h>\w+)[ \t]+to[ \t]+(?P<hv>[^()]+?)\)"
                        r"|\(put:[ \t]*(?P<pv>[^()]+?)[ \t]+into[ \t]+\$?(?P<p>\w+)[ \t]*\)"
                        r"|<<set[ \t]+\$?(?P<s>\w+)[ \t]+(?:to|=)[ \t]+(?P<sv>.+?)>>)[ \t]*$")


def _set_slip(place: Place, number: int, line: str, diags: Diagnostics) -> bool:
    """HF0124 at a line that changes a variable as another tool writes it (`_OTHER_SET`):
    shown to every reader as typed, the variable unchanged. The hint is the choice's
    `do=` that changes it; True if there was one."""
    m = _OTHER_SET.match(line)
    if m is None:
        return False
    effect = m.group("ink") or (f"{m.group('h')} = {m.group('hv').strip()}" if m.group("h")
                                else f"{m.group('p')} = {m.group('pv').strip()}" if m.group("p")
                                else f"{m.group('s')} = {m.group('sv').strip()}")
    harlowe = bool(m.group("h") or m.group("p"))
    effect = _our_effect(effect.replace("$", "").strip(), harlowe)
    tool = "ink's" if m.group("ink") else "Harlowe's" if harlowe else "SugarCube's"
    diags.add("HF0124", f"{code_span(clip(line.strip(), 40))} ({tool} way to change a variable) is shown as typed, "
              "and changes nothing", Span(place.doc.path, number, len(m.group("lead")) + 1),
              hint="A choice changes a variable: "
                   + code_span(clip('- [Go on](#next){do="' + effect.replace('"', "'") + '"}', 80))
                   + ", on the choice that leads on from here.")
    return True


def _our_effect(effect: str, harlowe: bool) -> str:
    """Another tool's change of a variable (`coins++`, `coins *= 2`, Harlowe's `coins = it
    + 1`, `it` the variable set) as a choice's `do=` writes it (`coins += 1`, `coins =
    coins * 2`, `coins = coins + 1`): given as they are, the hint followed was HF0601
    ("expected '=', '+=' or '-='") or HF0602 ("unknown name 'it'")."""
    m = re.fullmatch(r"(\w+)[ \t]*(?:(\+\+|--)|([*/%])=[ \t]*(.+)|(=|\+=|-=)[ \t]*(.+))", effect)
    if m is None:
        return effect
    name = m.group(1)
    if m.group(2):
        return f"{name} {m.group(2)[0]}= 1"
    if m.group(3):
        return f"{name} = {name} {m.group(3)} ({m.group(4).strip()})"
    value = re.sub(r"\bit\b", name, m.group(6)) if harlowe else m.group(6)
    return f"{name} {m.group(5)} {value.strip()}"


def _line_slip(place: Place, number: int, line: str, diags: Diagnostics, scene_links: list) -> bool:
    """One line's first slip, reported; True if there was one."""
    if "->" in line and _ink_slip(place, number, line, diags, scene_links):
        return True
    if ("~" in line or "set" in line or "put:" in line) and _set_slip(place, number, line, diags):
        return True
    m = _TIGHT_HEADING.match(line)
    if m:
        diags.add("HF0535", "a scene heading needs a space after its `##`", Span(place.doc.path, number, _after_hashes(line)),
                  hint="Start the line with `## ` itself, outside the quote: `## Title {#id}`." if ">" in line[:_after_hashes(line)]
                  else "Write `## Title {#id}`, with a space after `##`.")
        return True
    m = _ODD_MARKER.match(line)
    if m and _TO_SCENE.search(line, m.end() - 1):
        odd = m.group(1) or m.group(2)
        what = (f"`{odd}` (U+{ord(odd):04X} {unicodedata.name(odd, '')}) is no list marker Markdown reads"
                if m.group(1) else f"the U+{ord(odd):04X} {unicodedata.name(odd, 'space')} after the list marker is no "
                                   "space Markdown reads")
        diags.add("HF0530", f"{what}: this line is no choice", Span(place.doc.path, number, m.start(m.lastindex) + 1),
                  hint="Start a choice with `-` and an ordinary space: "
                       f"`- {clip(line[m.end() - 1:].strip().translate(_WIDE), 40)}`.")
        return True
    m = _WIDE_LINK.search(line) if any(ch in line for ch in "\uff3b\uff3d\uff08\uff03") else None
    if m and any(ch in m.group(0) for ch in "\uff3b\uff3d\uff08\uff03"):
        wide = next(k for k, ch in enumerate(m.group(0)) if ch in "\uff3b\uff3d\uff08\uff03")
        rest = line[m.start():]
        close = rest.find("\uff09") if "\uff09" in rest else rest.find(")")
        meant = (rest[:close + 1] if close >= 0 else rest).translate(_WIDE)
        diags.add("HF0528", f"full-width `{m.group(0)[wide]}` in a link to a scene: Markdown reads no link here, "
                  "and the line is no choice", Span(place.doc.path, number, m.start() + wide + 1),
                  hint=f"Write the brackets, parentheses and `#` of a choice as ASCII: {code_span(clip(meant, 40))}.")
        return True
    m = _SPACED_HASH.search(line)
    if m:
        diags.add("HF0533", f"{_space_words(m.group(1))} after `#` in a link to a scene", Span(place.doc.path, number, m.start(1) + 1),
                  hint="Write the scene id right after `#`: `[Text](#scene)`.")
        return True
    m = _TIGHT_MARKER.match(line)
    if m:
        diags.add("HF0530", "a list item needs a space after its marker", Span(place.doc.path, number, m.start(1) + 1),
                  hint="Write `- [Text](#scene)`, with a space after `-`.")
        return True
    m = _SPACED_ATTRS.search(line)
    if m:
        diags.add("HF0523", "a choice's attributes must touch its link" + (
                  f": {_space_words(m.group(1))} is between them" if _ODD_SPACE.search(m.group(1)) else ""),
                  Span(place.doc.path, number, m.start(1) + 1),
                  hint=f"Remove {_space_words(m.group(1), 'the')} between `)` and `{{`: `[Text](#scene){{do=\"…\"}}`.")
        return True
    m = _SPACED_LINK.search(line)
    if m:
        diags.add("HF0526", f"{_space_words(m.group(1))} between `]` and `(` makes this plain text, not a link",
                  Span(place.doc.path, number, m.start(1) + 1),
                  hint="Write `[Text](#scene)` with nothing between `]` and `(`.")
        return True
    m = _TOUCHING_ATTRS.search(line)
    if m and _attr_slip(place.doc, number, line, m.start(1), diags):
        return True
    m = _SPACED_ID.search(line)
    if m:
        # `[Go on](#The Far Bank)`: the scene's title where its id goes. Markdown reads no
        # link there (a destination holds no spaces), and the `(` was said never closed
        diags.add("HF0540", f"'#{clip(m.group(1), 40)}' holds spaces: it is no scene id, and Markdown reads "
                  "no link (nor a choice) here", Span(place.doc.path, number, m.start(1)))
        return True
    m = _OPEN_LINK.search(line)
    if m:
        diags.add("HF0525", "the link's `(` is never closed", Span(place.doc.path, number, line.find("(", m.start()) + 1),
                  hint="Close it: `[Text](#scene)`.")
        return True
    return False


def _space_words(gap: str, article: str = "a") -> str:
    """"a space" for spaces and tabs; "a U+00A0 NO-BREAK SPACE" for the first character
    of `gap` Markdown reads as no space (ODD_SPACES), which the writer cannot see."""
    odd = _ODD_SPACE.search(gap)
    return f"{article} space" if odd is None else f"{article} U+{ord(odd.group()):04X} {unicodedata.name(odd.group(), 'space')}"


def _straight(attrs: str) -> str:
    """`{do=“set rope”}` as the writer meant it: `{do="set rope"}`; the signs the same
    editor typed in the expression too (`≥` → `>=`), so the line given works as written."""
    return straightened("".join('"' if c in TYPOGRAPHIC_QUOTES else c for c in attrs))


def _brace_in_value(attrs: str) -> int | None:
    """The offset of the first `{` or `}` inside a double-quoted value of the `{…}` that
    `attrs` begins with (`{if="s == '{x}'"}` → 13), or None when the block closes first.
    A brace after a quote that is never closed on the line (`{do="set rope id="dawn"}`) is
    none: that is a quote left open (HF0525), and the brace is the block's own end."""
    quoted = False
    for k, ch in enumerate(attrs[1:], 1):
        if ch == '"':
            quoted = not quoted
        elif ch in "{}":
            if quoted:
                return k if '"' in attrs[k + 1:] else None
            if ch == "}":
                return None
    return None


_VALUE_OPENS = re.compile(r'(?:(?<=\{)|(?<=\s))[\w-]+="')
# a value that swallowed the next attribute (`"gold > 1";id="glide"`); the `;` or `,` and
# the spaces after it one group, so a quote followed by a run of spaces is looked past
# once (`\s*[;,]?\s*` split a run of spaces between its two halves every way: a 40,000-
# character choice line took 25 seconds to check)
_SWALLOWED = re.compile(r'"\s*(?:[;,]\s*)?[\w-]+="')


def _split_texts(inner: str) -> tuple[list[str], int]:
    """`inner`, a value as written, cut at each `"` that no backslash escapes (`say
    \\"hi\\"` is one text, as the expression language reads it in double quotes), and the
    offset of the first such `"` (-1 when none)."""
    parts, piece, first, k = [], [], -1, 0
    while k < len(inner):
        ch = inner[k]
        if ch == "\\" and k + 1 < len(inner):
            piece.append(inner[k:k + 2])
            k += 2
            continue
        if ch == '"':
            parts.append("".join(piece))
            piece = []
            first = k if first < 0 else first
        else:
            piece.append(ch)
        k += 1
    return parts + ["".join(piece)], first


def _single_quoted(text: str) -> str:
    """`text`, written in a value between double quotes, as text in single quotes that
    the expression language reads as the same words: its `'` escaped (`it's` →
    `'it\\'s'`) unless the writer escaped it (`it\\'s`), its escapes (`\\'`, `\\"`, `\\\\`)
    kept, and a backslash that escapes nothing written as one (`C:\\` → `'C:\\\\'`): the
    language knows no other escape, and `'C:\\'` would leave the text open."""
    out, k = [], 0
    while k < len(text):
        ch = text[k]
        if ch == "\\" and k + 1 < len(text) and text[k + 1] in "\\'\"":
            out.append(text[k:k + 2])
            k += 2
            continue
        out.append("\\\\" if ch == "\\" else "\\'" if ch == "'" else ch)
        k += 1
    return "'" + "".join(out) + "'"


def _quote_in_value(body: str) -> tuple[int, str] | None:
    """(the offset of the first `"` inside a value of the attributes `body`, `body` with
    every such value's texts in single quotes), or None. `{do="give "relic""}`:
    the writer wrote text in double quotes, as docs/expressions.md shows an expression on
    its own, and Markdown ended the value at the text's first quote. A value runs from its `name="` to the last
    `"` before the next ` name="` (or the closing `}`); a value left open, or one that
    swallowed the next attribute (`"gold > 1";id="glide"`), is another slip (HF0525).
    Every value is mended, not the first only: `{if="mark != "b"" do="mark = "c""}`
    given back with its `do` as written was the same error again."""
    opens = list(_VALUE_OPENS.finditer(body))
    first, pieces, done = None, [], 0
    for k, m in enumerate(opens):
        end = opens[k + 1].start() if k + 1 < len(opens) else len(body)
        value = body[m.end():end].rstrip()
        if k + 1 == len(opens) and value.endswith("}"):
            value = value[:-1].rstrip()
        if not value.endswith('"') or _SWALLOWED.search(value):
            continue
        inner = value[:-1]
        parts, at = _split_texts(inner)
        if at < 0:
            continue
        texts = [p if n % 2 == 0 else _single_quoted(p) for n, p in enumerate(parts)]
        pieces += [body[done:m.end()], "".join(texts)]
        done = m.end() + len(inner)
        if first is None:
            first = m.end() + at
    if first is None:
        return None
    return first, "".join(pieces) + body[done:]


def _attr_slip(doc: Document, number: int, line: str, brace: int, diags: Diagnostics) -> bool:
    """The `{…}` after a choice's link that markdown-it could not read: say why."""
    rest = line[brace:]
    inner = _brace_in_value(rest)
    if inner is not None:
        # `{do="s = 'a}b'"}`: markdown-it's attrs plugin reads no braces in a value, quoted
        # or not, so the block ended there; said so, not as the quotes left open at the cut
        diags.add("HF0542", f"`{rest[inner]}` inside the quotes of a choice's attribute, where Markdown "
                  "reads no braces: none of its attributes is read", Span(doc.path, number, brace + inner + 1))
        return True
    close = rest.find("}")
    body = rest if close < 0 else rest[: close + 1]
    last = rest.rfind("}")
    if 0 <= close < last and _quote_in_value(body) is None \
            and (whole := _quote_in_value(rest[:last + 1])) is not None \
            and _brace_in_value(whole[1]) is not None:
        # `{do="mark = "a}b""}`: text in double quotes, holding a brace. Read to the first
        # `}`, the value was left open at `"a` and its `mark = ` was said as spaces
        # around an attribute's `=` (HF0525); read to the line's last `}`, it is both
        # slips the writer made, each said at itself
        at, mended = whole
        inside = min(k for k in (rest.find("{", at), close) if k >= 0)   # the first brace in the text
        diags.add("HF0524", "a double quote inside a choice's attribute value ends the value there",
                  Span(doc.path, number, brace + at + 1),
                  hint=f"Inside a value, write text in single quotes: {code_span(clip(mended, 100))}.")
        diags.add("HF0542", f"`{rest[inside]}` inside the quotes of a choice's attribute, where Markdown "
                  "reads no braces: none of its attributes is read", Span(doc.path, number, brace + inside + 1))
        return True
    inner = _quote_in_value(body)
    if inner is not None and not any(ch in TYPOGRAPHIC_QUOTES for ch in re.sub(r'"[^"]*"', "", inner[1])):
        # (a typographic quote left outside the values once mended delimits one: said
        # below. One inside is the text's own, `{do="mark = "“hi”""}`: its hint was the
        # line with every quote straightened, `""hi"""`, the same error again)
        # said before as single quotes (at the `'` the writer rightly used inside the
        # value), spaces around `=` (`mood = "bold"`) or attributes that cannot be read
        at, mended = inner
        hint = f"Inside a value, write text in single quotes: {code_span(clip(mended, 100))}."
        diags.add("HF0524", "a double quote inside a choice's attribute value ends the value there",
                  Span(doc.path, number, brace + at + 1), hint=hint)
        return True
    bare = re.sub(r'"[^"]*"', lambda q: " " * len(q.group()), body)
    odd = _ODD_SPACE.search(bare)
    if odd is not None and not any(ch in TYPOGRAPHIC_QUOTES for ch in body):
        diags.add("HF0525", f"{_space_words(odd.group())} in a choice's attributes, where Markdown reads "
                  "only ordinary spaces", Span(doc.path, number, brace + odd.start() + 1),
                  hint="Write ordinary spaces between the attributes: `" + clip("".join(
                      " " if _ODD_SPACE.match(b) else c for b, c in zip(bare, body)), 100) + "`.")
        return True
    for k, ch in enumerate(body):
        if ch in TYPOGRAPHIC_QUOTES:
            diags.add("HF0524", f"typographic quote {ch} in a choice's attributes",
                      Span(doc.path, number, brace + k + 1),
                      hint=f"Word processors replace quotes; write straight double quotes: {code_span(clip(_straight(body), 60))}.")
            return True
    # a `'` inside a double-quoted value is the text the docs teach (`do="give 'relic'"`):
    # only one outside every such value delimits a value
    outside = re.sub(r'"[^"]*"', lambda q: " " * len(q.group()), body)
    if "'" in outside:
        mended = re.sub(r"(?<=[\w-]=)'([^'\"]*)'", r'"\1"', body)
        diags.add("HF0524", "single quotes in a choice's attributes", Span(doc.path, number, brace + outside.index("'") + 1),
                  hint="Attribute values take straight double quotes, with 'single quotes' inside them"
                  + (f": `{clip(mended, 100)}`." if "'" not in re.sub(r'"[^"]*"', "", mended) else "."))
        return True
    m = re.search(r"[\w-](\s+=\s*|=\s+)\"", body)
    if m:
        diags.add("HF0525", "spaces around `=` in a choice's attributes", Span(doc.path, number, brace + m.start(1) + 1),
                  hint="Write `name=\"value\"` with no spaces around `=`: `{if=\"gold > 1\"}`.")
        return True
    m = re.search(r"\b(if|do|id)\s*:", body)
    if m:
        diags.add("HF0525", "`:` instead of `=` in a choice's attributes", Span(doc.path, number, brace + m.end(0)),
                  hint=f"Write `{m.group(1)}=\"…\"`.")
        return True
    m = re.search(r"(?<![\w-])(if|do|id)=(?=[^\s\"])", body)
    if m:
        # `{if=agility >= 12}`: "unknown choice attribute '>'" was said of the comparison
        # (a value ends at the next attribute, a class or an id too: `{if=agility >= 12 .risky}`
        # was told `{if="agility >= 12 .risky"}`, the class taken into the condition)
        fixed = re.sub(r"(?<![\w-])(if|do|id)=(?=[^\s\"])(.*?)\s*(?=\s(?:if|do|id)=|\s[.#][A-Za-z_]|\}$|$)",
                       lambda q: f'{q.group(1)}="{q.group(2).strip()}"', body)
        diags.add("HF0525", f"the value of `{m.group(1)}=` is not in quotes", Span(doc.path, number, brace + m.end() + 1),
                  hint=f"Put each value in straight double quotes: {code_span(clip(fixed, 80))}.")
        return True
    m = re.search(r"\"\s*[;,]\s*[\w-]+=", body)
    if m:
        diags.add("HF0525", "choice attributes are separated by spaces, not `;` or `,`", Span(doc.path, number, brace + m.start() + 2),
                  hint="Write `{if=\"…\" do=\"…\"}`; inside `do`, effects are separated by `;`.")
        return True
    if close >= 0 and rest[close + 1:].strip() == "\\":
        # a hard line break typed after the choice (`{do="…"}\`): "move the text into the
        # link or the prose" was said of one backslash
        diags.add("HF0528", "a `\\` after a choice's attributes is text in it: the line is no choice",
                  Span(doc.path, number, brace + close + 2 + (len(rest[close + 1:]) - len(rest[close + 1:].lstrip()))),
                  # the line as typed: `line` has its code spans blanked (without_code), and
                  # `- [Use the `key`](#b){…}\` was told to become `- [Use the      ](#b){…}`
                  hint=f"Remove the `\\`: {code_span(clip(doc.source.line(number)[:brace + close + 1].strip(), 80))}.")
        return True
    if close >= 0 and rest[close + 1:].strip():
        diags.add("HF0528", "text after a choice's attributes", Span(doc.path, number, brace + close + 2 + (len(rest[close + 1:]) - len(rest[close + 1:].lstrip()))),
                  hint="A choice holds only its link and its attributes; move the text into the link or the prose.")
        return True
    quotes = [k for k, ch in enumerate(body) if ch == '"']
    if len(quotes) % 2:
        # the value that swallowed the next `name=` is the one left open
        opened = next((quotes[k] for k in range(0, len(quotes) - 1, 2)
                       if re.search(r"\s[\w-]+=$", body[quotes[k] + 1: quotes[k + 1]])), quotes[-1])
        # the writer's own attributes, closed, when the open value is the last one
        fixed = body[:-1].rstrip() + '"}' if opened == quotes[-1] and body.endswith("}") else '{do="…"}'
        diags.add("HF0525", "a quote in a choice's attributes is never closed", Span(doc.path, number, brace + opened + 1),
                  hint=f"Close each value with `\"` before the `}}`: {code_span(clip(fixed, 60))}.")
        return True
    if close < 0:
        diags.add("HF0525", "the `{` after this choice is never closed", Span(doc.path, number, brace + 1),
                  hint=f"End the attributes with `}}`: {code_span(clip(rest.rstrip() + '}', 60))}.")
        return True
    # names are looked for outside the quoted values (`if="gold >= 1"` names no `>`)
    names = re.sub(r'"[^"]*"', lambda q: " " * len(q.group()), body)
    if _WELL_FORMED_ATTRS.fullmatch(body) and all(
            m.group(1) in (*CHOICE_ATTRS, "class") for m in re.finditer(r"([^\s=\"{}]+)=", names)):
        # nothing wrong on this line: markdown-it read the link's line and the next as one
        # paragraph (`-[Text](#x)` below it has no space after its marker), and the slip
        # is there, reported at that line (HF0530)
        return False
    for m in re.finditer(r"([^\s=\"{}]+)\s*=", names):
        if m.group(1) not in (*CHOICE_ATTRS, "class"):
            best = did_you_mean(m.group(1), CHOICE_ATTRS)
            diags.add("HF0503", f"unknown choice attribute '{clip(m.group(1), 20)}'", Span(doc.path, number, brace + m.start(1) + 1),
                      hint=(f"Did you mean '{best}'? " if best else "") + "A choice takes `if=\"…\"`, `do=\"…\"` and `id=\"…\"`.")
            return True
    diags.add("HF0525", "these choice attributes cannot be read", Span(doc.path, number, brace + 1),
              hint="Write `name=\"value\"` pairs separated by spaces: `{if=\"gold > 2\" do=\"gold -= 2\"}`.")
    return True


def _leftover_syntax(place: Place, diags: Diagnostics) -> bool:
    """A last net: choice syntax left as text that no check above named."""
    for number, line in place.lines():
        m = _CHOICE_SYNTAX.search(line) if "(#" in line or "{" in line else None   # what its every match holds
        if m:
            diags.add("HF0528", "this looks like a choice but is not one", Span(place.doc.path, number, m.start() + 1),
                      hint="A choice is a list item holding only a link to a scene: `- [Text](#scene){do=\"…\"}`.")
            return True
    return False


def _after_hashes(line: str) -> int:
    """1-based column right after a line's leading `#`s (where the space belongs)."""
    stripped = line.lstrip(" \t>")   # a quote's `>`s before it
    return len(line) - len(stripped) + len(stripped) - len(stripped.lstrip("#")) + 1


def _find(place: Place, needle: str, after: Span | None = None) -> Span | None:
    """The first `needle` in the lines of `place`, past `after` (a Span of an earlier
    find, column 0 for the start) when given."""
    for number, line in place.lines(after.line if after is not None else None):
        k = line.find(needle, after.column if after is not None and number == after.line else 0)
        if k >= 0:
            return Span(place.doc.path, number, k + 1)
    return None


_LINK_OPEN = re.compile(r"\]\([ \t]*")
_AUTOLINK = re.compile(r"<([^<>\s]+)>")


def _typed_destination(place: Place, href: str) -> Span | None:
    """The `](` of the link whose address markdown-it reads as `href`, written otherwise
    (`](<a b>)` is `a%20b`, an escape, an entity): the link was said at the line's first
    column, not at itself."""
    for number, line in place.lines():
        for m in _LINK_OPEN.finditer(line):
            read = parseLinkDestination(line, m.end(), len(line))
            if read.ok and markdown().normalizeLink(unescapeAll(read.str)) == href:
                return Span(place.doc.path, number, m.start() + 1)
    return None


def _typed_autolink(place: Place, href: str) -> Span | None:
    """The `<` of the autolink markdown-it reads as `href` (`<mailto:a@b.c>`, whose href
    is not `mailto:` plus what follows the `<`; an address with an escape)."""
    for number, line in place.lines():
        for m in _AUTOLINK.finditer(line):
            if href in (markdown().normalizeLink(m.group(1)), markdown().normalizeLink("mailto:" + m.group(1))):
                return Span(place.doc.path, number, m.start() + 1)
    return None


def _bracket(place: Place, close: Span) -> Span:
    """The `[` that opens the link whose `](` is at `close`."""
    line = place.doc.source.line(close.line)
    k = line.rfind("[", 0, close.column - 1)
    return Span(close.path, close.line, k + 1) if k >= 0 else close


# A story's name printed as ink (`{coins}`, `{crossed: The bank is near.}`, `{gold > 2:
# rich|poor}`, `{if gold > 2: rich}`), Twine's SugarCube (`$coins`, `<<print $coins>>`) or a template language
# (`{{coins}}`) print it: foundry's prose prints no value, so every output showed the
# braces or the `$` as typed, with check clean. Said only of a name the story reads
# (a variable, a hero's attribute or stat): `a set {a, b}` and `$5` are words.
_PRINTED = re.compile(r"(?<![\\\w)\]`])(?:\{\{?[ \t]*(?:(?:if|unless)[ \t]+(?:not[ \t]+)?)?\$?"
                      r"(?P<braced>[A-Za-z_]\w*)[ \t]*(?=\}|:|\||[<>!=]=?|\?)"
                      r"|\$(?P<dollar>[A-Za-z_]\w*)\b)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def report_printed_names(body: str, body_line: int, path: str, names: Any, diags: Diagnostics) -> None:
    """HF0124 (a warning) at each place a story's prose prints one of `names` (the names
    its conditions read) as ink, SugarCube or a template language would (`_PRINTED`):
    shown as typed in every output. Code (fenced, or in backticks) is shown as code and
    not said; nor is a `\\{` the writer escaped. The first EACH_SAID of a story, then one line."""
    if "{" not in body and "$" not in body:
        return
    found: list[tuple[int, int, str]] = []
    fence = None
    for n, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if ("{" not in line and "$" not in line) or line.startswith(("    ", "\t")) or _OTHER_SET.match(line):
            continue   # (`(set: $crossed to true)`: said as a change, _set_slip)
        typed = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if "`" in line else line
        for m in _PRINTED.finditer(typed):
            name = m.group("braced") or m.group("dollar")
            if name in names:
                # as typed: the braces to their end on the line (`{coins}`, `{{coins}}`)
                close = typed.find("}" * (2 if m.group().startswith("{{") else 1), m.end()) \
                    if m.group("braced") else -1
                shown = line[m.start():close + (2 if m.group().startswith("{{") else 1)] if close >= 0 else m.group()
                found.append((body_line + n, m.start() + 1, shown.strip(), name))
    for k, (line_no, column, shown, name) in enumerate(found):
        span = Span(path, line_no, column)
        if k == EACH_SAID:
            diags.add("HF0124", the_rest(len(found), "story"), span)
            break
        kind = getattr(names.get(name), "name", "")
        test = name if kind == "BOOL" else f"{name} == 'wary'" if kind == "STRING" else f"{name} > 2"
        diags.add("HF0124", f"`{clip(shown, 40)}` is shown as typed: foundry's prose prints no value of "
                  f"'{clip(name, 30)}' and no text that depends on it (ink and Twine do)", span,
                  hint="Write the words for each case instead, in a scene a choice leads to when it holds "
                       f"(`- [Go on](#next){{if=\"{clip(test, 40)}\"}}`); "
                       f"to show the mark itself, write a backslash before it (`\\{shown[0]}`).")


# A list item that is a choice, as a line starts it (`- [Go](#b)`, `1. [Go](#b)`).
_CHOICE_LINE = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]\n]*\]\(#")
# A link to a scene, anywhere (`[Go](#b)`).
_SCENE_LINK = re.compile(r"\[[^\]\n]*\]\(#[^()\s]*\)")
# What one commented-out choice set off, each said in its lines before: the comment
# shown as typed (HF0124), the choice it joined or the item it ended "holds more than
# the link" (HF0528, HF0503), "text after the choices" (HF0544).
_COMMENT_CASCADE = frozenset({"HF0124", "HF0503", "HF0528", "HF0544"})


def report_commented_choices(body: str, path: str, body_line: int, diags: Diagnostics, since: int) -> None:
    """One HF0528 at each HTML comment a writer used to hide a choice: one holding a
    link to a scene (`<!-- - [Hidden](#c) -->`), or one right under a choice with no blank
    line between. Foundry's Markdown has no comments: the comment was shown as typed,
    a choice in it was still read (offered to readers), and a comment right under a
    choice joined it, so that choice, the writer's innocent one, was said to "hold more
    than the link" with the hint to put it on its own line, where it was. What it set
    off in its lines (`_COMMENT_CASCADE`, said since `since`) is that one slip."""
    lines = body.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for m in itertools.islice(HTML_COMMENT.finditer(body), 200):
        if is_escaped(body, m.start()):
            continue
        first = bisect.bisect_right(starts, m.start()) - 1
        last = bisect.bisect_right(starts, max(m.end() - 1, m.start())) - 1
        hides = _SCENE_LINK.search(m.group()) is not None
        joins = first > 0 and lines[first][:m.start() - starts[first]].strip() == "" \
            and _CHOICE_LINE.match(lines[first - 1]) is not None
        if not (hides or joins):
            continue
        low, high = body_line + first - (1 if joins else 0), body_line + last + (1 if hides else 0)
        # "text after the choices" below it, up to the next heading: the choices it hid
        # are not the writer's, nor is the text after them
        below = next((k for k in range(last + 1, len(lines)) if lines[k].startswith("##")), len(lines))
        diags.items[since:] = [d for d in diags.items[since:]
                               if not (d.code in _COMMENT_CASCADE and d.span.path == path and low <= d.span.line <= high)
                               and not (d.code == "HF0544" and d.span.path == path
                                        and low <= d.span.line < body_line + below)]
        what = ("an HTML comment right under a choice joins it, so that choice is not read" if joins
                else "a choice inside an HTML comment is still read, and the comment shown as typed")
        diags.add("HF0528", f"{what}: foundry's Markdown has no comments",
                  Span(path, body_line + first, m.start() - starts[first] + 1),
                  hint=("Delete the comment and the choices in it (git keeps them)" if hides else "Delete the comment")
                  + "; a note for the next writer goes in the pull request, or as a `# comment` line in the front matter.")
