"""Twine 2 (HTML or Twee 3, SugarCube 2 or Harlowe 3) → ImportedStory.

What maps to what (docs/importing.md has the full table):

- passage → scene (id from the name, see names.py; the name is the title); links →
  choices; the start passage → `start`; a passage with no link → an ending;
- `<<set>>`/`(set:)` at a passage's top level → effects on every choice that leads
  there (our effects belong to choices); in the start passage, `StoryInit` (SugarCube)
  and `startup`-tagged passages (Harlowe) they give the starting values instead;
- `<<if>>`/`(if:)` around links → the links' conditions (`elseif`/`else` branches add
  the negation of the branches before them); SugarCube's `[[text|target][$x to 1]]`
  setter → the choice's first effects;
- a line holding text and links stays prose (the link's text included) and its links
  also become choices; a line holding only links becomes choices only.

A set is moved to the choices that lead into its passage only when that keeps its
meaning: when no condition written before it in the passage reads what it changes
(SugarCube and Harlowe evaluate a passage top to bottom).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import lxml.html
from lxml import etree

from ..diagnostics import Diagnostics, Span, clip, code_info, suggestion
from ..expr import MAX_SOURCE_LENGTH, Assign, Binary, Effect, Expr, SetFlag, Unary, names_used, names_written
from . import macros
from .model import (CODE, EMPHASIS, MAX_CONDITIONS, STRIKE, STRONG, UNREACHED_HINT, ImportedChoice, ImportedScene,
                    ImportedStory, Kept, NotImported, once, unreached, without_marks)
from .js_strings import JsStringError, js_string_value
from .names import UniqueIds, scene_slug, spells_an_id, variable_name
from .state import EFFECT_HINT, Variables, decimal_starts, exported_for, run_effects, whole
from .tag_like import ELEMENTS as HTML_ELEMENTS, guard as tag_like_text
from .twine_body import (IfBlock, Link, SetState, Text, passage_goto, passage_included, scan_harlowe, scan_sugarcube,
                         shows_nothing)
from .twine_markup import LEADING_HEADING, styled as twine_styles, styled_pieces
from .twine_source import Passage, TwineStory, read_twine
from .writer import REFUSED_HINT, attribute_source, refusal, text_refusal, too_long

SUPPORTED = {"sugarcube": "SugarCube 2", "harlowe": "Harlowe 3"}
_FORMAT_NAME = {"sugarcube": "SugarCube", "harlowe": "Harlowe"}
_MAJOR = {"sugarcube": 2, "harlowe": 3}     # the version whose rules the import reads (SUPPORTED)
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+-]{0,31}")
# SugarCube's special passages (not scenes); their macros run around every passage.
SUGARCUBE_SPECIAL = {"StoryInit", "StoryCaption", "StoryMenu", "StoryBanner", "StorySubtitle", "StoryAuthor",
                     "StoryDisplayTitle", "StoryShare", "StoryInterface", "PassageReady", "PassageDone",
                     "PassageHeader", "PassageFooter", "StoryTitle", "StoryData"}
HARLOWE_SPECIAL_TAGS = {"header", "footer", "startup", "debug-header", "debug-footer", "debug-startup"}
# SugarCube's code tags: such a passage is code or data, never a passage a reader is
# shown. `init` (2.36) runs at the story's start, before StoryInit, as StoryInit does.
SUGARCUBE_CODE_TAGS = {"init", "widget", "script", "stylesheet", "Twine.audio", "Twine.image", "Twine.video",
                       "Twine.vtt"}


# What our own Twee export's StoryInit says before the hero's values (exporters/twee.py)
_OUR_HERO = "): fixed for this export */"
_SET_VALUE = re.compile(r"<<set\s+\$([A-Za-z_]\w*)\s+to\s+(true|false|-?\d+)\s*>>")

# How deep libxml2's HTML parser (with huge_tree) reads elements one inside another: past
# it, it keeps none of a text (a browser shows it all)
MAX_HTML_DEPTH = 2048

# The conditions the splits of the choices into passages of `<<if>><<goto>>` may write in
# a story (_diverted): a chain of 120 of them and 300 links into its head (a 20 KB Twee
# file) wrote 36,000 choices of up to 120 `and`s each (13 MB, 12 s, 340 MB before HF1013
# refused the story). Past it a choice goes into the passage whole and its goto is said.
MAX_SPLIT_CONDITIONS = 100_000
_WHOLE_HINT = ("Lead the choices into this passage on to where the <<goto>> goes under its condition by hand "
               "(a choice `{if=\"…\"}` to that scene), or shorten the chain of such passages in Twine and import "
               "again; then delete the `imported` block.")
_TOO_DEEP_HTML = f"text whose HTML elements nest more than {MAX_HTML_DEPTH:,} deep"

# HTML elements of inline markup, and the mark each is kept as in imported text
_MARKS = {"em": EMPHASIS, "i": EMPHASIS, "strong": STRONG, "b": STRONG, "code": CODE,
          "s": STRIKE, "del": STRIKE, "strike": STRIKE}

def _text_with_marks(root, html: bool = False) -> str:
    """root.text_content(), with the text of each inline markup element between its mark
    (`_MARKS`): lxml will not hold a control character in a tree, so they are added
    while the text is gathered. `html`: the text of SugarCube's `<html>…</html>`, which
    the format puts into the page as HTML alone, no line break of it made a `<br>`."""
    out: list[str] = []
    stack: list = [(root, False)]
    # Inside a <p> a line break is a space, as HTML reads it: our own Twee export writes a
    # paragraph whose Markdown spans lines as one <p> over those lines, and each line came
    # back a paragraph of its own. Outside one, a line break still ends a line, as the
    # story formats show it; but not in SugarCube's `<html>`, where every line break is a
    # space (outside a <pre>) and each block (a list's item, a heading, a <div>) is a line
    # of its own: `<li>` over two lines (our export's of a Markdown item wrapped), or
    # bare lines in `<html>`, came back two paragraphs where the story shows one line.
    in_p = 0
    in_pre = 0
    # The marks open where a line ends: closed before the line break and opened again
    # after it, as each line is a paragraph of its own (`''a` / `b''`: both lines bold)
    opened: list[str] = []

    def add(piece: str) -> None:
        if opened and "\n" in piece:
            piece = piece.replace("\n", "".join(reversed(opened)) + "\n" + "".join(opened))
        out.append(piece)

    while stack:
        node, closing = stack.pop()
        if isinstance(node, str):
            add(node.replace("\n", " ") if (in_p or html) and not in_pre else node)
            continue
        para = node is not root and (node.tag == "p" or (html and node.tag in _BLOCKS))
        pre = node is not root and node.tag in _PREFORMATTED
        mark = _MARKS.get(node.tag, "") if node is not root and isinstance(node.tag, str) else ""
        if closing:
            add("\n" if para else mark)   # `<p>a</p><p>b</p>` on one line: two paragraphs
            if mark and not para and mark in opened:
                opened.reverse()
                opened.remove(mark)
                opened.reverse()
            in_p -= para
            in_pre -= pre
            continue
        add("\n" if node is not root and (node.tag == "br" or para) else mark)   # a <br> ends the line, in a <p> too
        if mark and node.tag != "br" and not para:
            opened.append(mark)
        in_p += para
        in_pre += pre
        if isinstance(node.tag, str):
            add((node.text or "").replace("\n", " ") if (in_p or html) and not in_pre else node.text or "")
        stack.append((node, True))
        for child in reversed(node):
            if child.tail:
                stack.append((child.tail, False))
            stack.append((child, False))
    return "".join(out)


# HTML's block elements, each a line of its own in SugarCube's `<html>` (_text_with_marks),
# and those whose line breaks are kept as lines
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
                     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
                     "p", "pre", "section", "summary", "table", "tr", "ul"})
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})


def _marked(text: str, names: tuple[str, ...]) -> str:
    """`text` inside the marks (`_MARKS`) of the elements named, outermost first."""
    marks = [_MARKS[name] for name in names]
    return "".join(marks) + text + "".join(reversed(marks))


def _bare_list(element) -> bool:
    """A list's element holding no text and no element but a list's (`<ul class="choices">`,
    `<li data-choice="…">` before the link a macro splits off): its markup is nothing a
    reader sees reduced, the link in it being a choice."""
    return element.tag in ("ul", "ol", "li") and not element.text_content().strip() \
        and all(e.tag in ("ul", "ol", "li") for e in element.iterdescendants())


def import_twine(text: str, path: str, diags: Diagnostics, hero_names: frozenset[str] = frozenset(),
                 skills: frozenset[str] = frozenset(), story: str | None = None) -> ImportedStory:
    """`hero_names`: the project's hero attributes, stats and level, which no story
    variable may be named (state.Variables renames a variable named so); `skills`: its
    skill ids. Our own Twee export's hero (StoryInit's "fixed for this export") reads
    back as the hero's (`_Importer._hero_value`). `story`: which story of a Twine 2
    archive holding several (its name), else the first."""
    story = read_twine(without_marks(text), path, diags, story)
    if story is None:
        raise NotImported()
    dialect = _dialect(story, path, diags)
    return _Importer(story, path, dialect, diags, hero_names, skills).run()


def _dialect(story: TwineStory, path: str, diags: Diagnostics) -> str:
    name = story.format.strip().lower()
    if not name:
        return "sugarcube" if story.kind == "Twee 3" else "harlowe"   # tweego's default; Twine's default
    for key in SUPPORTED:
        if name.startswith(key):
            major = re.match(r"\s*(\d+)", story.format_version)
            if major is not None and int(major.group(1)) != _MAJOR[key]:
                # SugarCube 1, Harlowe 1 and 2: not refused (most of what the import reads is
                # written alike), but read by the newer version's rules, and said so
                diags.add("HF1016", f"the story is written for {_FORMAT_NAME[key]} "
                          f"{clip(story.format_version, 20)}; the import reads it by {SUPPORTED[key]}'s rules, "
                          "which may show some of it otherwise", Span(path, *story.format_at),
                          hint=f"Change the story format to {SUPPORTED[key]} in Twine (Story → Details), check "
                          "that it plays as before, and import again; or play the imported story to check it.")
            return key
    # Switching the format alone (the hint was "Change the story format in Twine") makes the
    # story's code text: the import then reads a Chapbook insert `{gold}` or a Snowman
    # `<% if (s.key) { %>` as prose, and says nothing, as SugarCube would show it
    code = next((what for key, what in _FORMAT_CODE.items() if name.startswith(key)), "its code (macros, scripts)")
    diags.add("HF1002", f"story format '{clip(story.format, 40)}' is not supported; supported formats are "
              f"{' and '.join(SUPPORTED.values())}", Span(path, *story.format_at),
              hint=f"Rewrite {code} as SugarCube's `<<set>>` and `<<if>>` (or Harlowe's `(set:)` and `(if:)`), then "
              "change the story format in Twine (Story → Details) and import again: `[[links]]` read alike, but "
              "code the new format does not know is shown as text, and imported as prose.")
    raise NotImported()


# what a story of an unsupported format holds that SugarCube and Harlowe would show as text
_FORMAT_CODE = {"chapbook": "its vars sections, inserts (`{gold}`, `{embed passage: …}`) and modifiers "
                            "(`[if gold > 2]`, `[after 1s]`)",
                "snowman": "its JavaScript (`<% … %>`, `<%= s.gold %>`, `s.` variables)"}


@dataclass
class _Choice:
    link: Link
    conditions: list[tuple[Expr, str, Span]]   # all must hold
    order: int                                 # position among the passage's top-level nodes
    setter: list[Effect] = field(default_factory=list)
    id: str | None = None                      # `data-choice="…"` on the element holding the link


@dataclass
class _Draft:
    passage: Passage
    id: str
    lines: list[str] = field(default_factory=list)
    choices: list[_Choice] = field(default_factory=list)
    entry: list[tuple[list[Effect], str, Span, int]] = field(default_factory=list)   # sets, in order
    kept: list[Kept] = field(default_factory=list)
    title: str = ""            # the heading the passage opens with, if any
    labels: dict[int, str] = field(default_factory=dict)   # id(Link) → its text as a reader sees it
    entries_kept: set[int] = field(default_factory=set)    # id(_Draft) of each target whose sets are kept here
    passed_kept: set[int] = field(default_factory=set)     # id(_Draft) of each passing one whose `kept` is here
    # each `<<goto>>`/`(go-to:)` under a condition (kept): (where it goes, its place, which
    # branch it is in as a message says it: _when_branch)
    gotos_under_if: list[tuple[str, Span, str]] = field(default_factory=list)
    # the passage's `<<goto "Target">>` / `(go-to: "Target")`: (target, the node, where in
    # `kept` it stands, its order); `passes` while the passage does nothing else (_passing)
    goto: tuple | None = None
    passes: bool = False
    # SugarCube's `<<if $key>><<goto "End">><</if>>` opening the passage: (the condition
    # read, its source, its place, where it goes, the goto node); each choice into the
    # passage is made two (_diverted) where that is sound (_diversions)
    diverts: tuple | None = None
    diverts_when: str = "where its condition holds"     # ...said so where it ends (_when_branch: `(unless:)`)
    # ...with an `<<else>><<goto "Shut">>` and nothing else in the passage: (where it goes,
    # the goto node); the passage is never shown, each choice into it made two (_diverted)
    otherwise: tuple | None = None


# A backslash that ends or begins a line joins it to the next (both formats' line
# continuation): the backslash, the spaces beside it and the line break are not shown.
_CONTINUED = re.compile(r"\\[ \t]*\r?\n|\r?\n[ \t]*\\")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")   # the element names a link's text may hold
# SugarCube's `<<link "text">>` and `<<button "text">>` wikify their text (a `[[…]]`
# link's, and theirs given as `[[text|target]]`, is a text node: shown as typed)
_WIKIFIED_LINK = re.compile(r"<<(?:link|button)\s+(?!\[\[)")
# a JavaScript string literal: (its quote, what it holds)
_JS_STRING = re.compile(r"""(["'])((?:\\[\s\S]|(?!\1)[^\\\n])*)\1""")
# a naked variable in text the format shows as markup (SugarCube's `$$` is a `$`, no variable)
_NAKED = re.compile(r"\$\$|\$[A-Za-z_][A-Za-z0-9_]*")


# A passage that opens with an HTML heading (`<h2>The Gate</h2>`, inside SugarCube's
# `<html>` if written so: what our own Twee export writes) shows that heading first, as
# our scene shows its title: it is the scene's title, not a paragraph too.
# `<li data-choice="pay-ferry">` right before a link: the choice's id in our own Twee export.
_CHOICE_ID_BEFORE = re.compile(r"""data-choice\s*=\s*["']([a-z0-9]+(?:-[a-z0-9]+)*)["'][^<>]*>\s*$""")
# (our own Twee export's `<html>` holds the prose of a right-to-left story in a `<div lang
# dir="rtl">`: its heading is the title too, which came back as prose, the scene named by its id)
_LEADING_HEADING = re.compile(r"^\s*(<html>\s*(?:<div(?:\s[^<>]*)?>\s*)?)?<(h[1-6])(?:\s[^<>]*)?>(.*?)</\2\s*>",
                              re.I | re.S)


# a story variable's name as SugarCube and Harlowe write it (`$gold`), wherever it stands
_SPELT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class _Importer:
    def __init__(self, story: TwineStory, path: str, dialect: str, diags: Diagnostics,
                 hero_names: frozenset[str] = frozenset(), skills: frozenset[str] = frozenset()):
        self.story, self.path, self.dialect, self.diags = story, path, dialect, diags
        self.harlowe = dialect == "harlowe"
        self.vars = Variables(diags, truthy_operands=not self.harlowe, hero_names=hero_names, skills=skills)
        self._ids: dict[int, str] = {}   # the passage being read: id(link) → its data-choice id
        self.init: list[tuple[list[Effect], str, Span]] = []
        self.outside: list[Kept] = []   # from outside any scene (JavaScript, special passages): shown in the start scene
        self.duplicates: set[int] = set()   # id(passage) of each passage named like an earlier one
        self._breaks: tuple[Passage | None, list[int]] = (None, [])   # a passage, the offsets of its newlines
        # model.once: the names each condition reads; each list of conditions joined, and
        # why check would refuse it (the same for every link of a block)
        self._reads: dict = {}
        self._joined: dict = {}
        # Harlowe's `const-type` variables the startup passages set (read before every
        # other passage), and those known where a set is read (macros.Parser._constant)
        self.startup_constants: set[str] = set()
        # passage name → the first `<<include>>`/`(display:)` showing it inside another
        # (not imported): a passage only shown so is reached by no link, and says why
        self.included: dict[str, str] = {}
        self.start_constants: set[str] = set()     # the start passage's, set before any other plays
        self._constants = self.startup_constants
        # SugarCube's temporary variables (`_n`): each a story variable (`_temp`), and per
        # passage the ones its text has set so far (read only after those)
        self._temp_vars: dict[str, str] = {}
        self._temps_set: dict[str, set[str]] = {}

    def run(self) -> ImportedStory:
        for source, span in self.story.scripts:
            self._unsupported(source.strip(), span, "story JavaScript or stylesheet", self.outside)
        scenes_of = self._scenes()
        if not scenes_of:
            # only StoryTitle, StoryData and special passages: the story written had no
            # scene, which `foundry check` refuses (HF0532), while the import said "Wrote"
            self.diags.add("HF1001", f"{self.path} has no passage to import as a scene (only the story's "
                           "title, data and special passages)", Span(self.path))
            raise NotImported()
        if self.harlowe:
            self._start_constants(scenes_of)
        self._scene_names = {p.name for p, _ in scenes_of}    # what a <<goto>> can lead to
        self._visit_flags: dict[str, str] = {}   # passage name → the variable `hasVisited` of it reads
        self._been_flags: dict[str, str] = {}    # passage name → its "shown before this visit" (_been_flag)
        # every `$name` the story may set or read, each passage's, before any is read: the
        # visited flags (`_visit_flag`) are named past them (Variables.fresh), so a
        # `$visited_kitchen` set in a later passage stays the writer's own number
        self.vars.spelt = {variable_name(m.group(1)) for q in self.story.passages for m in _SPELT.finditer(q.text)}
        drafts = [self._draft(p, sid) for p, sid in scenes_of]
        # Two passages of one name: links lead to the first, as extwee (the Twee reference
        # parser) reads the file; the later one is said (HF1005, _scenes). They led to the
        # last, and the first was said (HF1143) to be reached by no link.
        by_name: dict[str, _Draft] = {}
        for d in drafts:
            by_name.setdefault(d.passage.name, d)
        self.vars.settle()
        start = self._start(by_name)
        self._passing(drafts, by_name)
        self._passed: set[int] = set()      # id(_Draft) of each passing passage a choice went through
        self._chains: dict[int, tuple[_Draft, ...]] = {}    # id(_Draft) → _through's answer for it
        self._into_memo: dict[int, _Into] = {}      # id(_Draft) → _into's answer for it
        # a start passage that only sets and goes on (`<<set $gold to 3>><<goto "Hall">>`,
        # a common opening) is never seen: the story starts where it goes, its sets the
        # starting values (it was an ending, every other scene unreached)
        opening = self._through(start, by_name) if start is not None else ()
        start = opening[-1] if opening else None
        values = self.vars.starting_values()
        for effects, source, span in self.init:
            # one refused (a second type) is kept where the story JavaScript is, not dropped
            values = run_effects(self.vars.effects(effects, source, span, self.outside, attribute=False), values)
        for draft in drafts:
            draft.entry = [(self.vars.effects(e, s, sp, draft.kept), s, sp, o) for e, s, sp, o in draft.entry]
            self._check_order(draft)      # before any choice takes a copy of a passage's sets
        values = run_effects([e for d in opening for effects, *_ in d.entry for e in effects], values)
        values.update({flag: True for d in opening if (flag := self._visit_flags.get(d.passage.name))})
        self._unset_at_start(opening)
        self._decimal_starts(values, opening)
        if start is not None:
            # and what the passages the story starts through could not import (_keep_passed)
            start.kept[:0] = self.outside + [k for d in opening[:-1] for k in d.kept]
        self._diverting = self._diversions(drafts, by_name, opening)
        self._otherwise_in: set[int] = set()    # id(_Draft) of each `otherwise` one a choice was split into
        self._otherwise_whole: set[int] = set()     # ...and of each diverting one a choice still leads into, whole
        self._whole_why: dict[int, str] = {}    # ...why that one was not split (_whole)
        self._split_conditions = 0      # the conditions the splits wrote so far (MAX_SPLIT_CONDITIONS)
        made = {id(d): self._scene(d, by_name) for d in drafts if not d.passes and d.otherwise is None}
        for d in drafts:
            if d.otherwise is not None and (id(d) not in self._otherwise_in or id(d) in self._otherwise_whole):
                # a choice leads into it as it was (one whose changes or conditions could
                # not be written with the gotos'), or none does: its scene, an ending, each
                # goto said where it stands
                goto, span = d.diverts[4], self._span(d.passage, d.diverts[4].offset)
                self._unsupported(goto.source, span, self._worded(self._whole_why.get(id(d), goto.what)), d.kept,
                                  _WHOLE_HINT if id(d) in self._whole_why else None)
                self._goto_ending_said(d, passage_goto(goto, self.harlowe), span, d.diverts_when)
                d.diverts = None
                self._otherwise_settled(d, self._whole_why.get(id(d), d.otherwise[1].what))
                made[id(d)] = self._scene(d, by_name)
            elif id(d) in self._otherwise_whole and d.diverts is not None:
                # `<<if $key>><<goto "End">><</if>>` shown on: a choice leads into the
                # passage whole, where SugarCube goes on when the condition holds (the goto
                # was left out unsaid); said and kept in the scene made
                goto, span = d.diverts[4], self._span(d.passage, d.diverts[4].offset)
                self._unsupported(goto.source, span, self._worded(self._whole_why[id(d)]), d.kept,
                                  self._worded(_WHOLE_HINT))
                if not d.choices and d.goto is None:
                    self._goto_ending_said(d, passage_goto(goto, self.harlowe), span, d.diverts_when)
                made[id(d)] = replace(made[id(d)], kept=tuple(d.kept))
        for d in drafts:
            if d.passes and id(d) not in self._passed:
                self._goto_kept(d, "no link leads to it")      # (said as such below, HF1143)
                made[id(d)] = self._scene(d, by_name)
        scenes = tuple(made[id(d)] for d in drafts if id(d) in made)
        if start is not None:
            where = {d.id: d.passage for d in drafts}
            for scene in unreached(start.id, scenes):
                p = where[scene.id]
                if id(p) in self.duplicates:
                    continue        # HF1005 said it: a second passage of a name links never reach
                shown = self.included.get(p.name)
                how = f" (it is shown inside another passage by '{clip(shown, 40)}', which is not imported)" \
                    if shown else ""
                self.diags.add("HF1143", f"passage '{clip(p.name, 40)}' is reached by no link from the start "
                               f"passage{how}: it is imported as scene '{scene.id}', which no choice leads to",
                               Span(self.path, max(p.header, 1), p.header_column),
                               hint=(f"Copy its text into the scenes that showed it, then delete scene "
                                     f"'{scene.id}' (or add a choice that leads to it): `foundry check` refuses "
                                     "a scene no choice reaches.") if shown else UNREACHED_HINT)
        variables = tuple((name, whole(value)) for name, value in values.items())
        named = opening[0].passage if opening else None     # the start passage, as the story names it
        title = self.story.title or (named.name if named else "Imported story")
        title_at = (self.story.title_at if self.story.title else
                    (max(named.header, 1), named.header_column) if named else (0, 0))
        # the version goes into the story's summary, which is Markdown: only a version as
        # Twine writes one (`2.36.1`); anything else (markup, 6,000 characters) is left out
        version = self.story.format_version
        fmt = (f"{_FORMAT_NAME[self.dialect]} {version}" if _VERSION.fullmatch(version)
               else SUPPORTED[self.dialect])
        # our own Twee export's StoryInit names the hero it was made for
        hero = next((exported_for(p.text) for p in self.story.passages
                     if not self.harlowe and p.name == "StoryInit" and _OUR_HERO in p.text), None)
        return ImportedStory(title, start.id if start else (scenes[0].id if scenes else "start"), variables,
                             scenes, f"{self.story.kind}, {fmt}", hero, title_at)

    # -- passages → drafts ----------------------------------------------------------------
    def _scenes(self) -> list[tuple[Passage, str]]:
        ids, out, seen = UniqueIds(), [], {}
        named: dict[str, Passage] = {}     # name → its first passage
        # SugarCube runs the `init`-tagged passages, in the story's order, before StoryInit
        # (a stable sort: every other passage keeps its place)
        first = sorted(self.story.passages, key=lambda p: self.harlowe or "init" not in p.tags)
        for p in first:
            if self._special(p):
                continue
            sid, renamed = ids.take(scene_slug(p.name))
            first = named.setdefault(p.name, p)
            # names in another script all spell the fallback (`scene`, `scene-2`, as HF0502
            # numbers headings without ids): not two names alike, so no HF1005 for each
            if first is not p:
                self.duplicates.add(id(p))
                self.diags.add("HF1005", f"a second passage named '{clip(p.name, 40)}' (the first is at line "
                               f"{max(first.header, 1)}): links to that name lead to the first, as extwee (Twee's "
                               "reference parser) reads the file, though a story format may show the later "
                               f"one; this one is imported as scene '{sid}', which no choice leads to. Rename "
                               "one of them", Span(self.path, max(p.header, 1), p.header_column))
            elif renamed and spells_an_id(p.name):
                self.diags.add("HF1005", f"passage '{clip(p.name, 40)}' would get the id of passage "
                               f"'{clip(seen.get(sid.rsplit('-', 1)[0], ''), 40)}'; it is '{sid}'",
                               Span(self.path, max(p.header, 1), p.header_column))
            seen.setdefault(sid, p.name)
            out.append((p, sid))
        return out

    def _start_constants(self, scenes_of: list[tuple[Passage, str]]) -> None:
        """The `const-type` variables the start passage sets (`start_constants`): it plays
        before every other passage, so a set of one anywhere else is refused by Harlowe.
        Read without a word (each set is read, and said, again with its passage)."""
        start = next((p for p, _ in scenes_of if p.name == self.story.start), None)
        for node in self._scan(start) if start is not None else ():
            if isinstance(node, SetState):
                try:
                    macros.parse_assignments(node.code, True, lambda name, offset: name, node.put,
                                             constants=self.start_constants)
                except macros.Untranslatable:
                    pass

    def _special(self, p: Passage) -> bool:
        """StoryInit/startup passages feed the starting values; other special passages
        are reported and left out."""
        init = (not self.harlowe and (p.name == "StoryInit" or "init" in p.tags)) or \
               (self.harlowe and "startup" in p.tags)
        if init:
            self._init(p)
            return True
        special = (not self.harlowe and (p.name in SUGARCUBE_SPECIAL or bool(SUGARCUBE_CODE_TAGS & set(p.tags)))) or \
                  (self.harlowe and bool(HARLOWE_SPECIAL_TAGS & set(p.tags)))
        if special and p.text.strip():
            self._unsupported(p.text.strip(), Span(self.path, p.line, p.column),
                              f"the special passage '{clip(p.name, 30)}'", self.outside)
        return special

    def _init(self, p: Passage) -> None:
        # our own Twee export's StoryInit (exporters/twee.py) sets the hero it was made for
        ours = not self.harlowe and _OUR_HERO in p.text
        for node in self._scan(p):
            if ours and isinstance(node, SetState) and self._hero_value(node, p):
                continue
            if isinstance(node, SetState):
                effects = self._effects(node, p, self.outside)    # one not read: kept, as the rest of StoryInit
                if effects is not None:
                    span = self._span(p, node.offset)
                    self.vars.assigned(effects, span)
                    self.init.append((effects, node.source, span))
            elif not shows_nothing(node):
                self._unsupported(_source(node), self._span(p, node.offset), "only <<set>> is read in StoryInit",
                                  self.outside)

    def _hero_value(self, node: SetState, p: Passage) -> bool:
        """Whether a `<<set $x to value>>` of our own export's StoryInit is the hero's
        value, skill or item (state.Variables.hero_constant, hero_item), as its ink
        export's `CONST`s are: then no story variable, read from the playing hero."""
        m = _SET_VALUE.fullmatch(node.source.strip())
        if m is None or m.group(1) in self.vars.names:
            return False
        value: bool | int = m.group(2) == "true" if m.group(2) in ("true", "false") else int(m.group(2))
        span = self._span(p, node.offset)
        return self.vars.hero_constant(m.group(1), value, span) or self.vars.hero_item(m.group(1), value, span)

    def _scan(self, p: Passage):
        return scan_harlowe(p.text) if self.harlowe else scan_sugarcube(p.text, nobr="nobr" in p.tags)

    def _draft(self, p: Passage, sid: str) -> _Draft:
        draft = _Draft(p, sid)
        # the startup passages' constants, and this passage's own from where each is set
        # (another passage's may be set after this one plays: not judged)
        self._constants = self.startup_constants | (self.start_constants if p.name != self.story.start else set())
        # A tag the format gives a meaning is read (`nobr`, and the special ones, which
        # make no scene); any other tag (`:: Pie [food]`) is for the story's stylesheet
        # or scripts (SugarCube's `tags()`, Harlowe's `(passage:)'s tags`), which are not
        # imported either: said and kept, as ink's `# tags` are, not left out unsaid.
        # Our own Twee export's `ending` and `line:…` tags are read: a passage without
        # links is an ending, and line ids are made again by `foundry l10n tag`.
        unread = [t for t in p.tags if not (t == "ending" or t.startswith("line:")
                                            or (t == "nobr" and not self.harlowe))]
        if unread:
            self._unsupported(f"[{' '.join(unread)}]", Span(self.path, max(p.header, 1), p.header_column),
                              f"the tags of passage '{clip(p.name, 30)}'", draft.kept)
        nodes = self._scan(p)
        self._ids = _choice_ids(nodes)
        heading = _LEADING_HEADING.match(nodes[0].text) if nodes and isinstance(nodes[0], Text) \
            and not nodes[0].verbatim else None
        if heading is not None:
            # inside SugarCube's `<html>` (our own Twee export's) no Twine markup is read
            raw = bool(heading.group(1)) and not self.harlowe
            title = " ".join(self._html(Text(heading.group(3), nodes[0].offset + heading.start(3)), p, draft,
                                        emphasis=True, styles=not raw).split())
            if title:
                draft.title = title
                rest = heading.group(1) or ""
                nodes[0] = Text(rest + nodes[0].text[heading.end():], nodes[0].offset + heading.end() - len(rest),
                                html=nodes[0].html)
        elif nodes and isinstance(nodes[0], Text) and not nodes[0].verbatim and \
                (heading := LEADING_HEADING[self.harlowe].match(nodes[0].text)) is not None:
            # the format's own heading markup (SugarCube's `!`, Harlowe's `#`) on the first line
            title = " ".join(self._html(Text(heading.group(1), nodes[0].offset + heading.start(1)), p, draft,
                                        emphasis=True).split())
            if title:
                draft.title = title
                nodes[0] = Text(nodes[0].text[heading.end():], nodes[0].offset + heading.end())
        around = self._pair_styles(nodes)
        line: list[str] = []
        has_text = False
        ifs: list[IfBlock] = []     # the <<if>>s of this line: in a line of prose, their links' text is prose
        orders: dict[int, int] = {}     # id(an IfBlock) → its order
        for order, node in enumerate(nodes):
            if isinstance(node, Text):
                shown = self._html(node, p, draft, emphasis=True, styles=not node.html)
                if node.code and "\n" not in shown and shown.strip():
                    # SugarCube's `{{{…}}}` is a <code> (a <pre> when it holds a line
                    # break: its lines are kept as lines): a code span, as an HTML
                    # passage's <code> is, not its text in the body's font
                    shown = _marked(shown, ("code",))
                if (node.verbatim or node.html) and (marks := around.get(id(node))):
                    shown = _marked(shown, marks)
                pieces = _CONTINUED.sub("", shown).split("\n")
                for i, piece in enumerate(pieces):
                    if i:
                        if has_text:
                            draft.lines.append("".join(line))
                            self._shown_if(draft, ifs)
                        line, has_text, ifs = [], False, []
                    line.append(piece)
                    has_text = has_text or bool(piece.strip())
            elif isinstance(node, Link):
                self._label(node, draft, around.get(id(node), ()))
                line.append(draft.labels[id(node)])
                self._choice(draft, node, [], order)
            elif isinstance(node, SetState):
                effects = self._effects(node, p, draft.kept)
                if effects is not None:
                    span = self._span(p, node.offset)
                    self.vars.assigned(effects, span)
                    draft.entry.append((effects, node.source, span, order))
            elif isinstance(node, IfBlock) and not (draft.lines or has_text or draft.choices or draft.entry
                                                    or draft.diverts or draft.goto) and self._diverts(draft, node):
                continue
            elif isinstance(node, IfBlock):
                # a Harlowe `(else:)` paired past a link or a set reads its conditions where
                # its `(if:)` stood: a set between comes after them
                orders[id(node)] = order = orders.get(id(node.paired), order)
                self._if(draft, node, [], order)
                ifs.append(node)
            elif draft.goto is None and (target := passage_goto(node, self.harlowe)) is not None:
                draft.goto = (target, node, len(draft.kept), order)    # said or read once the passage is read
            else:
                if (shown := passage_included(node, self.harlowe)) is not None:
                    self.included.setdefault(shown, node.source)
                self._unsupported(node.source, self._span(p, node.offset), node.what, draft.kept)
        if has_text:
            draft.lines.append("".join(line))
            self._shown_if(draft, ifs)
        if draft.goto is not None:
            # a passage that only sets and goes on (`<<set $x to 1>><<goto "End">>`) is
            # never seen: a reader is shown the passage it goes to
            # (what it holds that cannot be imported, a macro or a set Harlowe refuses, is
            # not shown either: the format says or runs it and goes on; it is kept where the
            # passage is passed, _keep_passed)
            draft.passes = not (draft.lines or draft.title or draft.choices) and \
                all(at < draft.goto[3] for *_, at in draft.entry)
            if not draft.passes:
                self._goto_kept(draft, "it does more than set variables before it goes on (text, a link, a set "
                                "after it)")
        if not draft.choices and draft.goto is None:
            # `<<if $key>><<goto "End">><</if>>` and no link: the scene is an ending, where
            # the story went on under the condition (it was said as a macro kept, no more)
            for target, span, when in draft.gotos_under_if:
                self._goto_ending_said(draft, target, span, when)
        return draft

    def _goto_ending_said(self, draft: _Draft, target: str, span: Span, when: str = "where its condition holds") -> None:
        """HF1003: a passage with no link, whose goto under a condition (`when`: which
        branch's, _when_branch) went on to `target`, is an ending."""
        self.diags.add("HF1003", f"passage '{clip(draft.passage.name, 40)}' has no link, so its scene is an ending; "
                       f"{when}, the story goes on to '{clip(target, 40)}' instead",
                       span, f"Give the scene a choice leading to '{clip(target, 40)}' under that condition "
                       "(`{if=\"…\"}`), or lead the choices into this passage there, then delete the "
                       "`imported` block.")

    def _diversions(self, drafts: list[_Draft], by_name: dict[str, _Draft], opening: tuple[_Draft, ...]) -> set[int]:
        """The passages opening with `<<if $key>><<goto "End">><</if>>` (`diverts`) whose
        every choice in can be made two: under the condition to where it goes, under its
        negation to the passage. A condition is read before the choice's sets (ours) but
        after them in SugarCube, so one reading what a choice into it (or a passage it
        goes on through) sets cannot; nor can the start passage (no choice leads into
        it), nor a goto to no passage. Those are said and kept as before. id()s of the rest."""
        diverting = [d for d in drafts if d.diverts is not None]
        if not diverting:
            return set()
        unsound = {id(d): "a <<goto>> to no passage" for d in diverting if self._named(d.diverts[3], by_name) is None}
        # (the <<goto>> of an `<<else>>`, said of each goto as it is: the one to a passage
        # that is there was said to lead to none)
        other_why = {id(d): f"a <<goto>> beside one to no passage ('{clip(d.otherwise[0], 40)}')" for d in diverting
                     if id(d) not in unsound and d.otherwise is not None and self._named(d.otherwise[0], by_name) is None}
        unsound |= other_why
        if self.harlowe:
            # Harlowe leaves a passage at its (go-to:): a `(set:)` after the `(if:)` runs
            # only where the passage is shown, which the choice split to where it goes
            # would carry all the same (SugarCube runs the rest of the passage first)
            unsound |= {id(d): "a (go-to:) under a condition in a passage that changes variables after it (Harlowe "
                        "leaves the passage at the (go-to:), before those changes)"
                        for d in diverting if id(d) not in unsound and d.entry}
        for d in diverting:
            cond, source, span, *_ = d.diverts
            if id(d) not in unsound and self.vars.condition(cond, source, span, d.kept) is None:
                # (said, HF1007): the goto was left out unsaid, each choice into the passage
                # leading into it whatever the condition
                unsound[id(d)] = "a <<goto>> under a condition that could not be imported"
            if d.otherwise is not None and id(d) not in unsound:
                self._otherwise_settled(d, None)    # (said and let go where the passage shows more)
            if d.otherwise is not None and id(d) not in unsound:
                goes = self._into(self._named(d.otherwise[0], by_name), by_name).shown
                if goes.diverts is not None:
                    unsound[id(d)] = "an <<else>> <<goto>> leading to a passage that goes on under a condition in turn"
        unsound |= {id(d): "a <<goto>> under a condition in the start passage" for d in opening
                    if d.diverts is not None}
        for d in drafts:
            for choice in d.choices:
                target = self._named(choice.link.target, by_name)
                if target is None:
                    continue
                into = self._into(target, by_name)
                if into.shown.diverts is None or id(into.shown) in unsound:
                    continue
                # (the passage's own sets run after its condition is read, as ours do; leaving
                # `d` sets that it was shown, which its `visited() gt 1` reads)
                own = sum(len(effects) for effects, *_ in into.shown.entry) if into.effects else 0
                if (names_written([*choice.setter, *into.effects[:len(into.effects) - own]]) | self._left(d)) & \
                        names_used(into.shown.diverts[0]):
                    line = self._span(d.passage, choice.link.offset).line
                    unsound[id(into.shown)] = ("a <<goto>> under a condition that a choice into its passage changes "
                                               f"('{clip(choice.link.source, 40)}', line {line}: SugarCube reads "
                                               "the condition after the choice's changes)")
                    continue
                self._chain_checked(choice, d, into, by_name, unsound)
        for d in diverting:
            if id(d) in unsound:
                goto, span = d.diverts[4], self._span(d.passage, d.diverts[4].offset)
                d.diverts = None
                self._unsupported(goto.source, span, self._worded(unsound[id(d)]), d.kept)
                if not d.choices and d.goto is None:
                    self._goto_ending_said(d, passage_goto(goto, self.harlowe), span, d.diverts_when)
                self._otherwise_settled(d, "a <<goto>> to no passage" if id(d) in other_why else
                                        f"a <<goto>> beside one to no passage ('{clip(passage_goto(goto, self.harlowe), 40)}')"
                                        if unsound[id(d)] == "a <<goto>> to no passage" else unsound[id(d)])
        return {id(d) for d in diverting if d.diverts is not None}

    def _chain_checked(self, choice, source: _Draft, into: _Into, by_name: dict[str, _Draft],
                       unsound: dict[int, str]) -> None:
        """`choice` (a link of `source`) into `into.shown`, which diverts: where its goto leads
        to a passage diverting in turn (`<<if $b>><<goto "Open">><</if>>` in Gate2, reached
        by Gate1's), that one's condition is read after the choice's sets and every passage's
        on the way, in SugarCube; ours reads it before them. One reading what they set, or
        a goto leading round to a passage already on the way, is marked `unsound` (said)."""
        written = set(names_written([*choice.setter, *into.effects])) | self._left(source) | self._left(into.shown)
        seen, at = {id(into.shown)}, into.shown
        line = self._span(source.passage, choice.link.offset).line
        # (no split goes past MAX_CONDITIONS passages, _diverted: walking a chain of 3,000
        # of them from each of 3,000 links into its head was 28 s)
        while at.diverts is not None and id(at) not in unsound and len(seen) <= MAX_CONDITIONS:
            goes = self._named(at.diverts[3], by_name)
            if goes is None:
                return
            nxt = self._into(goes, by_name)
            d = nxt.shown
            if d.diverts is None or id(d) in unsound:
                return
            if id(d) in seen:
                unsound[id(d)] = "a <<goto>> under a condition leading round, through other passages' gotos, to itself"
                return
            own = sum(len(effects) for effects, *_ in d.entry) if nxt.effects else 0
            if (written | names_written(nxt.effects[:len(nxt.effects) - own])) & names_used(d.diverts[0]):
                unsound[id(d)] = ("a <<goto>> under a condition that the way into its passage changes (through "
                                  f"the <<goto>> of '{clip(at.passage.name, 40)}', from '{clip(choice.link.source, 40)}', "
                                  f"line {line}: SugarCube reads the condition after those changes)")
                return
            written |= names_written(nxt.effects) | self._left(d)
            seen.add(id(d))
            at = d

    def _left(self, draft: _Draft) -> set[str]:
        """The flag a choice out of `draft`'s passage sets (its `visited() gt 1`), if any."""
        flag = self._been_flags.get(draft.passage.name)
        return {flag} if flag else set()

    def _diverted(self, draft: _Draft, choice: ImportedChoice, parts: tuple, target: _Draft,
                  by_name: dict[str, _Draft], seen: frozenset = frozenset()) -> list[ImportedChoice]:
        """`choice` into `target`, which opens with `<<if $key>><<goto "End">><</if>>`
        (_diversions): under the condition to where the goto leads, through `target` (its
        sets and its being shown) and the passages on the way; else into `target`. As it
        was where that cannot be written."""
        cond, source, span, goes, _ = target.diverts
        checked = self.vars.condition(cond, source, span, draft.kept)
        into = self._into(self._named(goes, by_name), by_name)
        gone, why = _joined((*parts, checked)) if checked is not None else (None, "")
        stay, why_not = _joined((*parts, _negated(checked))) if checked is not None else (None, "")
        # (`target` is shown, and left, on the way: a `visited() gt 1` of it reads so next time)
        effects = (*choice.effects, *(SetFlag(left, True) for left in self._left(target)),
                   *(SetFlag(flag, True) for flag in into.visits), *into.effects)
        if len(parts) + 1 > MAX_CONDITIONS:
            return self._whole(target, choice, f"a <<goto>> whose split would put a choice under more than {MAX_CONDITIONS:,} conditions")
        if self._split_conditions > MAX_SPLIT_CONDITIONS:
            return self._whole(target, choice, f"a <<goto>> whose split would take the story's split choices past "
                                               f"{MAX_SPLIT_CONDITIONS:,} conditions")
        self._split_conditions += 2 * (len(parts) + 1)
        if checked is None:
            return self._whole(target, choice, "a <<goto>> under a condition that could not be imported")
        if (refused := why or why_not or into.why or refusal(effects)) is not None:
            return self._whole(target, choice, f"a <<goto>> whose split would write a choice {refused}")
        gone_choice = ImportedChoice(choice.text, into.shown.id, gone, effects)
        stay_choice = ImportedChoice(choice.text, choice.target, stay, choice.effects, choice.id)
        if target.otherwise is not None:
            # `<<else>><<goto "Shut">>`: never shown, the other way goes on there too
            other = self._into(self._named(target.otherwise[0], by_name), by_name)
            stayed = (*choice.effects, *(SetFlag(left, True) for left in self._left(target)),
                      *(SetFlag(flag, True) for flag in other.visits), *other.effects)
            if (refused := other.why or refusal(stayed)) is not None:
                return self._whole(target, choice, f"a <<goto>> whose split would write a choice {refused}")
            stay_choice = ImportedChoice(choice.text, other.shown.id, stay, stayed, choice.id)
            self._otherwise_in.add(id(target))
            # what it and the passages it goes on through could not import: it has no scene
            if id(target) not in draft.passed_kept:
                draft.passed_kept.add(id(target))
                draft.kept.extend(target.kept)
            self._keep_passed(draft, self._named(target.otherwise[0], by_name), by_name)
        self._keep_passed(draft, self._named(goes, by_name), by_name)
        if id(into.shown) in self._diverting and id(into.shown) not in seen:
            # a goto leading to a passage diverting in turn (_chain_checked found it sound)
            gone_choices = self._diverted(draft, gone_choice, (*parts, checked), into.shown, by_name,
                                          seen | {id(target)})
            if len(gone_choices) > 1:
                return [*gone_choices, stay_choice]
        return [gone_choice, stay_choice]

    def _whole(self, target: _Draft, choice: ImportedChoice, why: str) -> list[ImportedChoice]:
        """`choice` into `target` as it was, its split not written for `why`: `target`'s
        goto(s) are said and kept in its scene once every choice is made (`whole`)."""
        self._whole_why.setdefault(id(target), why)
        self._otherwise_whole.add(id(target))
        return [choice]

    def _diverts(self, draft: _Draft, block: IfBlock) -> bool:
        """SugarCube's `<<if $key>><<goto "End">><</if>>` (Harlowe's `(if: $key)[(go-to: "End")]`,
        `(unless:)`) opening a passage (nothing shown
        or set before it, one branch holding only the goto): read as `draft.diverts`, True;
        with an `<<else>>` holding only a goto too, that one is `draft.otherwise` (the
        passage is never shown: _otherwise_settled). A condition that does not translate is
        said, and the goto with it, as `_if` would."""
        if len(block.branches) not in (1, 2) or block.branches[0].condition is None or block.earlier:
            return False
        gotos = []
        for branch in block.branches:
            body = [n for n in branch.body if not shows_nothing(n)]
            if len(body) != 1 or (target := passage_goto(body[0], self.harlowe)) is None or \
                    branch.negate and branch is not block.branches[0]:
                return False
            gotos.append((target, body[0]))
        if len(gotos) == 2 and block.branches[1].condition is not None:
            return False        # an `<<elseif>>`
        p, branch, (target, node) = draft.passage, block.branches[0], gotos[0]
        parsed = self._condition(branch.condition, branch.offset, p, draft.kept)
        span = self._span(p, node.offset)
        if parsed is None:
            draft.gotos_under_if.append((target, span, "where its condition holds"))
            self._unsupported(node.source, span, node.what, draft.kept)
            for target, node in gotos[1:]:
                span = self._span(p, node.offset)
                draft.gotos_under_if.append((target, span, _when_branch(1, block.branches[1])))
                self._unsupported(node.source, span, node.what, draft.kept)
        else:
            # (Harlowe's `(unless: $x)[(go-to: "Open")]`: under `not x`)
            draft.diverts = (_negated(parsed[0]) if branch.negate else parsed[0], *parsed[1:], target, node)
            draft.diverts_when = _when_branch(0, branch)
            draft.otherwise = gotos[1] if len(gotos) == 2 else None
        return True

    def _otherwise_settled(self, draft: _Draft, why: str | None) -> None:
        """A passage of `<<if>><<goto>><<else>><<goto>>` (`draft.otherwise`) whose split is
        sound but which shows text or links too, or any `why` it cannot be: its else's goto
        said and kept, as `_if` says one (the scene an ending where it has no link)."""
        if draft.otherwise is None:
            return
        if why is None and (draft.lines or draft.title or draft.choices or draft.goto is not None):
            why = "an <<else>> going on from a passage that shows text or links too"
        if why is None:
            return
        target, node = draft.otherwise
        draft.otherwise = None
        span = self._span(draft.passage, node.offset)
        self._unsupported(node.source, span, self._worded(why), draft.kept)
        if not draft.choices and draft.goto is None:
            self._goto_ending_said(draft, target, span, "where the condition before its `else` does not hold")

    def _worded(self, why: str) -> str:
        """A reason about a SugarCube `<<goto>>` split (_diversions, _whole) in the words of
        the story's format: Harlowe's `(go-to:)`, `(else:)` were said as `<<goto>>`, `<<else>>`."""
        if not self.harlowe:
            return why
        return why.replace("<<goto>>", "(go-to:)").replace("<<else>>", "(else:)").replace("SugarCube reads", "Harlowe reads")

    def _goto_kept(self, draft: _Draft, why: str) -> None:
        """Says and keeps a passage's `<<goto>>` / `(go-to:)` that is not read as where its
        choices lead; `why` (the passage shows text or links, goes round...) says why not."""
        target, node, at, _ = draft.goto
        missing = target not in self._scene_names and target.strip() not in self._scene_names   # (as _named)
        draft.passes = False
        span = self._span(draft.passage, node.offset)
        draft.kept.insert(at, Kept(node.source, span))
        if draft.choices:
            self.diags.add("HF1003", f"{node.what} cannot be imported: '{clip(node.source, 60)}' is kept as a "
                           "comment in its scene", span)
            return
        # with no link the scene is an ending: said, where the story went on
        self.diags.add("HF1003", f"{node.what} cannot be imported here: '{clip(node.source, 60)}' is kept as a "
                       "comment in its scene, which has no choice and so is an ending, "
                       + (f"and the '{clip(target, 40)}' it goes to is no passage of the story" if missing else
                          f"where the story goes on to '{clip(target, 40)}'"), span,
                       f"A passage that only sets variables and goes on is imported as where its links lead; not "
                       f"this one: {why}. "
                       + ("Name a passage of the story in it" if missing else
                          f"Give the scene a choice leading to '{clip(target, 40)}'")
                       + " or rewrite it (docs/importing.md), then delete the `imported` block.")

    def _passing(self, drafts: list[_Draft], by_name: dict[str, _Draft]) -> None:
        """Settles which passages only go on to another (`draft.passes`): the choices into
        one lead where it goes, with its sets (_through); the story starts where the start
        passage goes. Not a second passage of a name, one going to no passage, or one in a
        round of them (said, kept)."""
        for draft in drafts:
            if draft.passes and id(draft.passage) in self.duplicates:
                self._goto_kept(draft, "it is a second passage of its name, which no link leads to")
            elif draft.passes and self._named(draft.goto[0], by_name) is None:
                self._goto_kept(draft, "it goes to no passage of the story")
        # each passage walked once: walking on from each anew was work growing with the
        # square of a chain's length (a chain of 10,000 took half a minute)
        settled: set[int] = set()   # id(_Draft) of each passing passage whose chain ends at one shown
        for draft in drafts:
            walked, at = set(), draft
            while at.passes and id(at) not in settled and id(at) not in walked:
                walked.add(id(at))
                at = self._named(at.goto[0], by_name)
            if at.passes and id(at) in walked:
                self._goto_kept(at, "it goes round, back to itself through the passages it goes on to, "
                                "and the story would never stop")
            settled |= walked

    @staticmethod
    def _named(name: str, by_name: dict[str, _Draft]) -> _Draft | None:
        return by_name.get(name) or by_name.get(name.strip())

    def _through(self, target: _Draft, by_name: dict[str, _Draft]) -> tuple[_Draft, ...]:
        """The passages a choice into `target` is shown through: `target`, and while one
        only goes on (_passing), the next; the last is the one shown."""
        if not target.passes:
            return (target,)
        known = self._chains.get(id(target))
        if known is None:
            # once a passage: 3,000 links into the head of a chain of 3,000 such passages
            # walked it for each link
            chain = [target]
            while chain[-1].passes:
                self._passed.add(id(chain[-1]))
                chain.append(self._named(chain[-1].goto[0], by_name))
            known = self._chains[id(target)] = tuple(chain)
        return known

    def _keep_passed(self, draft: _Draft, head: _Draft, by_name: dict[str, _Draft]) -> None:
        """What the passages a link into `head` goes on through could not import (a set
        of the wrong type, HF1006; one that does not translate, HF1007), kept in `draft`'s
        scene, each once: those passages have no scene of their own, and it was said
        "left out" and kept nowhere. One kept already was kept with all it goes on to."""
        through: _Draft | None = head
        while through is not None and through.passes and id(through) not in draft.passed_kept:
            draft.passed_kept.add(id(through))
            draft.kept.extend(through.kept)
            through = self._named(through.goto[0], by_name)

    def _into(self, target: _Draft, by_name: dict[str, _Draft]) -> _Into:
        """What a choice into `target` does: the passage it shows (the last of _through's
        chain) and the sets of every passage on the way, with why check would refuse
        them (writer.refusal). Each passage's answer is its own sets joined to the answer
        of the one it goes on to, found once a passage from the chain's end back, and
        past the length check reads only the length is kept (the sets are dropped then):
        links into every point of a chain of 1,000 `<<set>><<goto>>` passages wrote
        out and checked each one's whole tail (seconds, growing with the square of the
        chain's length)."""
        memo = self._into_memo
        path, at = [], target
        while id(at) not in memo and at.passes:
            self._passed.add(id(at))
            path.append(at)
            at = self._named(at.goto[0], by_name)
        if id(at) not in memo:
            memo[id(at)] = _joined_into(at, _Into(at, (), "", 0, None), self._visit_flags.get(at.passage.name))
        tail = memo[id(at)]
        for draft in reversed(path):
            tail = memo[id(draft)] = _joined_into(draft, tail, self._visit_flags.get(draft.passage.name))
        return tail

    def _pair_styles(self, nodes: list) -> dict[int, tuple[str, ...]]:
        """The format's styles paired over the passage's texts, as its player pairs them
        across what is between (`''[[Go->Next]]''`: the link is bold): each text's styled
        HTML set on it; returned, the names of the elements (with a Markdown form) around
        each link and verbatim text, by id."""
        pieces = [n.text if isinstance(n, Text) and not (n.verbatim or n.html) else None for n in nodes]
        around: dict[int, tuple[str, ...]] = {}
        for node, item in zip(nodes, styled_pieces(pieces, self.harlowe), strict=True):
            if isinstance(item, tuple):
                node.styled = item
            elif isinstance(node, (Link, Text)) and (names := tuple(n for n in item if n in _MARKS)):
                around[id(node)] = names
        return around

    def _shown_if(self, draft: _Draft, blocks: list[IfBlock]) -> None:
        """A link under a condition inside a line of prose (`You see a door.
        <<if $key>>[[Open it|Door]]<</if>> [[Leave]]`): the format shows its text in that
        line only while the condition holds, which prose cannot say. The link is a choice
        with its condition; its text in the line is reported and kept (it was left out
        of the paragraph without a word)."""
        for block in blocks:
            for branch in block.branches[block.earlier:]:
                for node in branch.body:
                    if isinstance(node, Link):
                        self._unsupported(without_marks(self._label(node, draft)), self._span(draft.passage, node.offset),
                                          "a link's text in a line of prose, shown only under a condition",
                                          draft.kept)
                    elif isinstance(node, IfBlock):
                        self._shown_if(draft, [node])

    def _html(self, node: Text, p: Passage, draft: _Draft, diags: Diagnostics | None = None,
              emphasis: bool = False, styles: bool = True) -> str:
        """Passage text is HTML in both formats: keep what a reader sees, as text.
        `diags`: where HF1009 goes (the importer's own unless given). With `emphasis`
        (prose, a heading, a link's text), the inline elements of `_MARKS` (`<em>`,
        `<strong>`, `<code>`, `<s>`…) are kept as model.MARKS, which the writer writes as
        Markdown (`*…*`, `**…**`, a code span, `~~…~~`: our own Twee export writes them
        so), and are not markup reduced to its text. With `styles` too, the format's own
        text styles (`''bold''`, `//italic//`: twine_markup) are read as its player reads
        them; without, they are text as typed (SugarCube's `<html>…</html>`)."""
        text = node.text
        if node.verbatim:
            return text
        # Twine's own styles (`''bold''`, `//italic//`) as the elements the format's
        # player makes of them, then kept as marks with `<strong>`, `<em>`…
        if not (emphasis and styles):
            styled, plain = text, []
        else:
            styled, plain = node.styled if node.styled is not None else twine_styles(text, self.harlowe)
        if styled == text and "<" not in text and "&" not in text:
            return text
        _, tag_like = tag_like_text(text)      # said where the source writes them
        guarded, _ = tag_like_text(styled)
        if plain:
            at, delim, what = plain[0]
            more = f" (and {len(plain) - 1} more)" if len(plain) > 1 else ""
            (diags or self.diags).add("HF1009", f"{_FORMAT_NAME[self.dialect]} markup {delim} ({what}) in "
                                      f"passage '{clip(p.name, 40)}' has no Markdown form: its text is kept, "
                                      f"without the {what}{more}", self._span(p, node.offset + at))
        if tag_like:
            at, first = tag_like[0]
            more = f" (and {len(tag_like) - 1} more)" if len(tag_like) > 1 else ""
            (diags or self.diags).add("HF1014", f"passage '{clip(p.name, 40)}' has text written as an HTML tag "
                                      f"that names no HTML element: '{clip(first, 40)}'{more}, kept as text",
                                      self._span(p, node.offset + at))
        # huge_tree: libxml2's HTML parser stops at 256 elements one inside another, and
        # then keeps nothing of the text (every word of it, not only the deep part), where
        # a browser shows it all; with it, at 2,048 (MAX_HTML_DEPTH), said below.
        parser = lxml.html.HTMLParser(remove_comments=True, no_network=True, huge_tree=True)
        # libxml2 drops white space before a first element (`\n<s>a</s>`): the line break
        # that ends the line before (a link's, verbatim markup's) was lost, two lines one.
        # Its blanks only (HTML's ASCII white space): str.lstrip takes a form feed and
        # \x1c-\x1f too, which lxml refuses as an element's text (an internal error)
        lead = guarded[:len(guarded) - len(guarded.lstrip(" \t\n\r"))]
        try:
            # An empty comment first (dropped: remove_comments): lxml reads a text that
            # starts with `<html` or `<!doctype` as a whole document, whose body is what
            # it keeps. SugarCube's `<html></html>` had none (an internal error), and
            # `<html lang="en">Dawn</html> at the gate` lost what followed `</html>`, where
            # a page (and SugarCube) shows every word of it.
            root = lxml.html.fragment_fromstring("<!---->" + guarded[len(lead):], create_parent="div",
                                                 parser=parser)
        except (etree.ParserError, ValueError):
            return text
        if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
            # the parse stopped where the nesting passed the limit and the tree holds no
            # word of the text: kept as written and said, never left out unsaid
            self._unsupported(text, self._span(p, node.offset), _TOO_DEEP_HTML, draft.kept)
            return ""
        root.text = lead + (root.text or "")
        tags = False
        first = None      # the first element reduced: where HF1009 is said
        lines: list[int] | None = None   # the offsets the text's lines start at, once a script needs them
        for element in list(root.iter()):
            if element is root or not isinstance(element.tag, str):
                continue
            if element.tag in ("script", "style"):
                # said at its own tag, not at the top of the text (lines above it)
                lines = lines if lines is not None else [0, *(m.end() for m in re.finditer("\n", text))]
                self._unsupported(clip(lxml.html.tostring(element, encoding="unicode", with_tail=False), 200),
                                  self._span(p, node.offset + _element_at(text, element, lines)),
                                  f"a <{element.tag}> element", draft.kept)
                element.drop_tree()
                continue
            if emphasis and (element.tag in _MARKS or element.tag == "p" or _bare_list(element)
                             or element.get("data-twine") is not None):   # (said above)
                # kept (a mark, a paragraph: `_text_with_marks`), or nothing a reader sees
                # (our own Twee export's `<ul class="choices">` and `<li>` around a choice)
                continue
            tags = True
            first = element if first is None else first
            if element.tag == "br" and not emphasis:   # (_text_with_marks breaks the line itself)
                element.tail = "\n" + (element.tail or "")
        if tags:
            (diags or self.diags).add("HF1009", f"HTML markup in passage '{clip(p.name, 40)}' was reduced to its text",
                                      self._span(p, node.offset + _element_at(text, first)))
        return _text_with_marks(root, node.html) if emphasis else root.text_content()

    def _label(self, link: Link, draft: _Draft, around: tuple[str, ...] = ()) -> str:
        """A link's text as the reader sees it: HTML in it (`[[<u>Run</u>|Gate]]`) is
        reduced to its text, as passage text is, and reported (HF1009) once; its inline
        markup (`<em>`, `<code>`…: what our own Twee export writes for a choice's
        `*…*`) is kept as model.MARKS, as in prose. A link whose
        text is its target's name (`[[Cellar & <now>]]`) keeps it as named, as the scene's
        title does; so does text whose `<…>` is no HTML element (`<now>`)."""
        if id(link) not in draft.labels:
            text = link.text
            tags = {m.lower() for m in _TAG_NAME.findall(text)}
            # Harlowe shows a link's text as markup, SugarCube a `<<link>>`'s (not a `[[…]]`'s:
            # its wikifier writes that as a text node)
            styles = self.harlowe or _WIKIFIED_LINK.match(link.source) is not None
            if styles and text != link.target:
                text = self._without_naked(text, link, draft)
            elif not self.harlowe and text != link.target:
                text = self._evaluated(text, link, draft)
            if text != link.target and (tags & HTML_ELEMENTS or ("&" in text and ";" in text)
                                        or styles and twine_styles(text, self.harlowe)[0] != text):
                p = draft.passage
                quiet = Diagnostics()   # the passage's own HF1009 names the passage, not the link
                seen = self._html(Text(text, link.offset), p, draft, quiet, emphasis=True, styles=styles)
                text = " ".join(seen.split()) if seen.strip() else text
                if quiet.sorted():
                    self.diags.add("HF1009", f"HTML markup in the text of link '{clip(link.source, 60)}' "
                                   f"(passage '{clip(p.name, 40)}') was reduced to its text "
                                   f"'{clip(without_marks(text), 40)}'",
                                   self._span(p, link.offset))
            draft.labels[id(link)] = _marked(text, around)
        return draft.labels[id(link)]

    def _without_naked(self, text: str, link: Link, draft: _Draft) -> str:
        """The text of a link the format shows as markup (Harlowe's, SugarCube's
        `<<link "Take $item">>`) without its naked variables, each of which prints the
        variable's value there, as in a passage's text: each is said (HF1003) and kept, and
        left out of the choice's text as it is of prose (`Take $item` → `Take`). A text of
        nothing but variables is kept as typed (a choice needs words), and still said."""
        naked = [m for m in _NAKED.finditer(text) if m.group() != "$$"]
        if not naked:
            return text
        for m in naked:
            self._unsupported(m.group(), self._span(draft.passage, link.offset),
                              "a naked variable in a link's text prints its value", draft.kept)
        pieces, last = [], 0
        for m in naked:
            pieces.append(text[last:m.start()])
            last = m.end()
        left = " ".join(("".join(pieces) + text[last:]).split())
        return left if left.strip(" ,.;:!?") else text

    def _evaluated(self, text: str, link: Link, draft: _Draft) -> str:
        """The text of a SugarCube `[[text|target]]` link as SugarCube shows it: it
        evaluates the text as an expression (WikifierUtil.evalText) and shows its value
        when that is a text that is not blank or a number, else the text as typed. So
        `[["Run!"|Hall]]` reads "Run!" (not the quotes); `[[$name|Hall]]` shows the
        variable's value, which a choice's text cannot: said (HF1003) and kept, the text as
        typed. Words (`[[Go north|Hall]]`) are no expression SugarCube can evaluate."""
        m = _JS_STRING.fullmatch(text.strip())
        if m is not None:
            try:
                value = js_string_value(m.group(2))
            except JsStringError:
                return text
            return value if value.strip() else text
        if not any(n.group() != "$$" for n in _NAKED.finditer(text)):
            return text
        try:
            macros.parse_condition(text, False, lambda name, _offset: name)
        except macros.Untranslatable:
            return text          # not an expression we read: shown as typed (as SugarCube does with words)
        self._unsupported(link.source, self._span(draft.passage, link.offset),
                          "a link's text that SugarCube evaluates (it shows the value of the variables in it)",
                          draft.kept)
        return text

    def _if(self, draft: _Draft, block: IfBlock, outer: list, order: int) -> None:
        p = draft.passage
        before: list[tuple[Expr, str, Span]] = []     # conditions of earlier branches, negated later
        for n, branch in enumerate(block.branches):
            if len(outer) + len(before) + (branch.condition is not None) > MAX_CONDITIONS:
                # (past an earlier hook's branch, the block's own carries more still)
                self._too_many_conditions(draft, block, block.branches[max(n, block.earlier)])
                return
            here = list(outer) if n >= block.earlier else []
            here += [(_negated(e), s, sp) for e, s, sp in before] if n >= block.earlier else ()
            parsed = None
            if branch.condition is not None:
                # (a branch of the hook an `(else:)` pairs with past a link is read twice: said
                # once, as every diagnostic is)
                parsed = self._condition(branch.condition, branch.offset, p, draft.kept)
                if parsed is not None:
                    cond = _negated(parsed[0]) if branch.negate else parsed[0]
                    here.append((cond, parsed[1], parsed[2]))
            for node in branch.body if n >= block.earlier else ():    # (the earlier's were shown there)
                if isinstance(node, Link):
                    self._choice(draft, node, here, order)
                elif isinstance(node, IfBlock):
                    self._if(draft, node, here, order)
                elif isinstance(node, Text) and not without_marks(self._html(node, p, draft, emphasis=True)).strip():
                    continue    # markup only (`<li>` around a link): nothing a reader sees
                elif isinstance(node, Text):
                    self._unsupported(node.text.strip(), self._span(p, node.offset),
                                      "text shown only under a condition", draft.kept)
                elif isinstance(node, SetState):
                    self._unsupported(node.source, self._span(p, node.offset),
                                      "a change of state under a condition", draft.kept)
                else:
                    if (target := passage_goto(node, self.harlowe)) is not None:
                        draft.gotos_under_if.append((target, self._span(p, node.offset), _when_branch(n, branch)))
                    self._unsupported(node.source, self._span(p, node.offset), node.what, draft.kept)
            if parsed is not None:
                before.append((_negated(parsed[0]) if branch.negate else parsed[0], parsed[1], parsed[2]))

    def _too_many_conditions(self, draft: _Draft, block: IfBlock, branch) -> None:
        """A branch whose choices would carry more than MAX_CONDITIONS conditions: it and
        the rest of its block are kept as written, said once at the branch."""
        p = draft.passage
        start = branch.start if branch.start >= 0 else branch.offset
        source = p.text[start:block.end if block.end >= 0 else block.offset + len(block.source)]
        span = self._span(p, start)
        self.diags.add("HF1003", f"a choice under more than {MAX_CONDITIONS} conditions cannot be imported "
                       f"(each branch of an `elseif`/`else-if` chain adds the negation of every earlier one): "
                       f"the branch '{clip(source, 40)}' and the rest of its block are kept as a comment in its scene", span,
                       "Split the chain into separate `<<if>>`/`(if:)` blocks or passages, or rewrite the kept "
                       "branches as choices with conditions (docs/importing.md), then delete the `imported` block.")
        draft.kept.append(Kept(source, span))

    def _choice(self, draft: _Draft, link: Link, conditions: list, order: int) -> None:
        self._label(link, draft)   # the choice's text is what the reader sees (HTML reduced)
        choice = _Choice(link, list(conditions), order, id=self._ids.get(id(link)))
        # a temporary variable a link's setter gives a value (`][_t to 1]`) has it only as the
        # link is taken: the passage after reads it emptied, this one never
        done = set(self._temps_set.get(draft.passage.name, ()))
        for node in link.sets:      # each at its own place: a rename or a refusal is said there
            effects = self._effects(node, draft.passage, draft.kept)
            if effects:
                self.vars.assigned(effects, self._span(draft.passage, node.offset))
                choice.setter += effects
        if not self.harlowe:
            self._temps_set[draft.passage.name] = done
        draft.choices.append(choice)

    # -- expressions ------------------------------------------------------------------------
    def _renamer(self, p: Passage, base: int):
        return self.vars.renamer(lambda offset: self._span(p, base + offset))

    def _visit_flag(self, name: str, p: Passage, offset: int) -> str | None:
        """The true/false variable standing for SugarCube's `hasVisited(name)` (and
        `visited(name)` tested as true/false): false at the start (true when the story
        starts in or through that passage), set on every choice into it, or through it
        (_Into.visits). None when no passage is so named."""
        # the name as written: SugarCube compares it with the passages shown as it is
        # (`hasVisited(" Kitchen")` is never true), so one with spaces round is no passage
        found = name if name in self._scene_names else None
        if found is None:
            return None
        if found not in self._visit_flags:
            flag = self.vars.fresh(f"visited_{found}")
            self.vars.declare(flag, False)
            self._visit_flags[found] = flag
        return self._visit_flags[found]

    def _been_flag(self, p: Passage) -> str:
        """The true/false variable standing for "passage `p` was shown before this visit"
        (Harlowe's `visits is 1` is its negation, `(history:) contains` the passage itself
        it): false at the start, set on every choice out of `p`'s scene (_scene). Every
        visit but the last ends by a choice out, so it is true from the second visit on."""
        if p.name not in self._been_flags:
            flag = self.vars.fresh(f"visited_{p.name}_before")
            self.vars.declare(flag, False)
            self._been_flags[p.name] = flag
        return self._been_flags[p.name]

    def _temp(self, p: Passage) -> Callable[[str, int, bool], str] | None:
        """SugarCube's temporary variable (`_n`) in passage `p` → a story variable set
        where the passage sets it. SugarCube clears them whenever a passage is shown
        (`<<goto>>` too), so a story variable holds what the temporary one does wherever
        the passage reads it after setting it: a read before (SugarCube's `undefined`)
        is Untranslatable. (Harlowe's belong to the hook they are set in: not read.)"""
        if self.harlowe:
            return None
        done = self._temps_set.setdefault(p.name, set())

        def temp(name: str, at: int, assigned: bool) -> str:
            if assigned:
                done.add(name)
            elif name not in done:
                raise macros.Untranslatable(
                    f"temporary variable '{name}' is read before the passage sets it (SugarCube empties them "
                    "each time a passage is shown)", at, "Set it in this passage before it is read, or use a "
                    "story variable (`$name`), then import again.")
            if name not in self._temp_vars:
                self._temp_vars[name] = self.vars.fresh(name[1:])
            return self._temp_vars[name]
        return temp

    def _condition(self, source: str, offset: int, p: Passage, kept: list[Kept]):
        span = self._span(p, offset)
        try:
            return macros.parse_condition(source, self.harlowe, self._renamer(p, offset),
                                          visited=lambda name, at: self._visit_flag(name, p, offset + at),
                                          passage=p.name, temp=self._temp(p),
                                          been=lambda: self._been_flag(p)), \
                source.strip(), span
        except macros.Untranslatable as err:
            where = self._span(p, offset + err.offset)
            self.diags.add("HF1007", f"condition '{clip(source.strip(), 60)}' was not translated ({err.message}); "
                           "the choices under it are offered without it", where, err.hint)
            kept.append(Kept(source.strip(), where))
            return None

    def _effects(self, node: SetState, p: Passage, kept: list[Kept]) -> list[Effect] | None:
        done = set(self._temps_set.get(p.name, ()))
        try:
            return macros.parse_assignments(node.code, self.harlowe, self._renamer(p, node.offset), node.put,
                                            constants=self._constants if self.harlowe else None,
                                            temp=self._temp(p))
        except macros.Untranslatable as err:
            if not self.harlowe:
                self._temps_set[p.name] = done     # a temporary variable this left unset is not set

            where = self._span(p, node.offset + err.offset)
            self.diags.add("HF1007", f"'{clip(node.source, 60)}' was not translated ({err.message}); "
                           "it is left out", where, err.hint or EFFECT_HINT)
            kept.append(Kept(node.source, where))
            return None

    # -- drafts → scenes ----------------------------------------------------------------
    def _decimal_starts(self, values: dict, opening: tuple[_Draft, ...]) -> None:
        """A decimal starting value (StoryInit, the start passage and those it goes on
        through: `opening`, _through's): said, kept in the start scene (its last)."""
        sets = [(e, source, span) for e, source, span in self.init]
        sets += [(e, source, span) for d in opening for e, source, span, _ in d.entry]
        kept = decimal_starts(values, sets, self.diags)
        if opening:
            opening[-1].kept.extend(kept)

    def _start(self, by_name: dict[str, _Draft]) -> _Draft | None:
        if self.story.start in by_name:
            return by_name[self.story.start]
        first = next(iter(by_name.values()), None)
        if first is not None and not self.story.start_said:
            self.diags.add("HF1004", f"the start passage '{clip(self.story.start, 40)}' does not exist; "
                           f"the story starts at '{clip(first.passage.name, 40)}'", Span(self.path, 1, 1))
        return first

    def _scene(self, draft: _Draft, by_name: dict[str, _Draft]) -> ImportedScene:
        p = draft.passage
        choices = []
        for choice in draft.choices:
            link = choice.link
            target = self._named(link.target, by_name)
            span = self._span(p, link.offset)
            if target is None:
                # SugarCube evaluates a target naming no passage (`[[Go|$dest]]`): one known
                # only as the story plays, which no choice of ours can lead to
                played = not self.harlowe and _NAKED.search(link.target.replace("$$", "")) is not None
                self.diags.add("HF1004", f"link '{clip(link.source, 60)}' leads to no passage "
                               f"'{clip(link.target, 40)}'"
                               + (" (SugarCube evaluates it: a passage known only as the story plays)" * played)
                               + "; the choice is left out", span,
                               hint=None if played else (suggestion(link.target, by_name) + " " + code_info("HF1004").hint).lstrip())
                draft.kept.append(Kept(link.source, span))
                continue
            parts = tuple(checked for cond, source, cspan in choice.conditions
                          if (checked := self.vars.condition(cond, source, cspan, draft.kept)) is not None)
            condition, why = once(self._joined, parts, lambda: _joined(parts))
            if why is not None:
                # what check would refuse (HF0601 at a story the import called clean): a
                # long `elseif` chain's negations on long names (2,000 characters), a
                # hundred `and`s read as one chain. The link is kept; its conditions are
                # not copied into every such choice's comment (a chain's story grew
                # with the square of its length again)
                self._unsupported(link.source, span, f"a choice whose condition would be {why}", draft.kept,
                                  REFUSED_HINT)
                continue
            setter = self.vars.effects(choice.setter, link.source, span, draft.kept) if choice.setter else []
            # the target's sets, and why check would refuse them, once a passage: they ride
            # on every link to it (2,000 sets and as many links were 18 s, growing with
            # their product); with the link's own, alone or before them, only when those
            # alone pass (adding can only make them longer). A link's own are checked
            # even where its target sets nothing: `[[Go|B][$y to …]]` of 3,000 characters
            # was imported as clean, and check refused it (HF0601)
            into = self._into(target, by_name)
            head, target, why = target, into.shown, into.why
            self._keep_passed(draft, head, by_name)
            effects = (*setter, *into.effects)
            if why is None and setter:
                why = refusal(effects)
            if why is not None:
                # a passage's `<<set>>`s ride on every choice leading to it: 150 of them
                # wrote a `do="…"` check refused (HF0601). The choice is offered without
                # them; the sets are kept as written, each once in this scene
                self.diags.add("HF1003", f"the changes of state of choice '{clip(link.source, 60)}' would be {why}: "
                               "the choice is imported without them, and they are kept as a comment in its scene",
                               span, "Move some of the changes to other choices or passages, or write them as "
                               "the choice's effects by hand (docs/importing.md), then delete the `imported` block.")
                draft.kept.extend([Kept(link.source, span)] * bool(choice.setter))
                # the passages on the way, each once a scene: one kept already was kept
                # with all it goes on to (walking the rest again for each link into a
                # long chain was work growing with the square of its length)
                through: _Draft | None = head
                while through is not None and id(through) not in draft.entries_kept:
                    draft.entries_kept.add(id(through))
                    draft.kept.extend(Kept(source, where) for _, source, where, *_ in through.entry)
                    through = self._named(through.goto[0], by_name) if through.passes else None
                effects = ()
            # (what `hasVisited` reads, set however the sets fared: the passage is shown;
            # and leaving this one, that it was shown before the next visit: `visits`)
            left = self._left(draft) if id(draft.passage) not in self.duplicates else set()
            effects = (*(SetFlag(flag, True) for flag in left), *(SetFlag(flag, True) for flag in into.visits),
                       *effects)
            choices.append(ImportedChoice(draft.labels.get(id(link), link.text).strip() or link.target, target.id, condition, effects,
                                          choice.id))
            if id(target) in self._diverting:
                choices[-1:] = self._diverted(draft, choices[-1], parts, target, by_name)
        return ImportedScene(draft.id, draft.title or p.name, tuple(draft.lines), tuple(choices), not choices,
                             tuple(draft.kept))

    def _check_order(self, draft: _Draft) -> None:
        """A set after a choice's condition that changes what the condition reads would,
        once moved before it, change which choices are offered: it is kept as written.
        Found by name (the names each set writes, once), not set by set for each choice:
        2,000 links under a condition and 2,000 sets after them were 4 million pairs."""
        writers: dict[str, list[int]] = {}     # name → indexes in draft.entry of the sets writing it
        for i, (effects, *_) in enumerate(draft.entry):
            for name in names_written(effects):
                writers.setdefault(name, []).append(i)
        out: set[int] = set()
        for choice in draft.choices:
            found: set[int] = set()
            for c, _, _ in choice.conditions:
                for name in once(self._reads, (c,), lambda: names_used(c)):
                    after = writers.get(name, [])
                    while after and draft.entry[after[-1]][3] > choice.order:   # (a set is left out once)
                        found.add(after.pop())
            for i in sorted(found - out):
                out.add(i)
                _, source, span, _ = draft.entry[i]
                self._unsupported(source, span, "a change of state after a condition that reads it", draft.kept)
        if out:
            draft.entry = [entry for i, entry in enumerate(draft.entry) if i not in out]

    def _unset_at_start(self, opening: tuple[_Draft, ...]) -> None:
        """SugarCube reads a variable nobody has set as undefined; we start it at a
        default value. Say so where the two could differ. `opening`: the start passage
        and those it goes on through (_through)."""
        if self.harlowe:
            return      # Harlowe 3 reads an unset variable as 0, like the import
        given: set[str] = set()
        read_first: set[str] = set()
        start_effects = [e for d in opening for effects, *_ in d.entry for e in effects]
        for effect in [e for effects, _, _ in self.init for e in effects] + start_effects:
            read_first |= _reads(effect) - given
            given |= names_written([effect])
        given -= read_first
        given |= set(self._visit_flags.values())    # the import's own, false until the passage is shown
        given |= set(self._been_flags.values())     # ...and until it is left (`visited() gt 1`)
        given |= set(self._temp_vars.values())      # a temporary one is read only after its passage sets it
        for name in self.vars.types:
            if name not in given:
                span = self.vars.first_assignment(name) or Span(self.path, 1, 1)
                self.diags.add("HF1011", f"'{name}' has no value before it is first set; the import starts it "
                               f"at {_default(self.vars.types[name])} where SugarCube would read undefined", span)

    # -- positions and reports ------------------------------------------------------------
    def _span(self, p: Passage, offset: int) -> Span:
        # where the file writes it: in HTML after each `&lt;` the offset is 3 more
        # (twine_source.source_offsets), and the line breaks are the file's
        shifts, more = p.shifts
        if shifts and (i := bisect_right(shifts, offset)):
            offset += more[i - 1]
        # the passage's line starts, found once: counting the newlines before each
        # offset anew made 40,000 reports in one passage quadratic in its length
        if self._breaks[0] is not p:
            self._breaks = (p, [m.start() for m in re.finditer("\n", p.raw if shifts else p.text)])
        breaks = self._breaks[1]
        newlines = bisect_left(breaks, offset)
        if newlines == 0:
            return Span(self.path, p.line, p.column + offset)
        return Span(self.path, p.line + newlines, offset - breaks[newlines - 1])

    def _unsupported(self, source: str, span: Span, what: str, kept: list[Kept], hint: str | None = None) -> None:
        where = "the start scene" if kept is self.outside else "its scene"    # (start.kept: below)
        self.diags.add("HF1003", f"{what} cannot be imported: '{clip(source, 60)}' is kept as a comment in {where}",
                       span, hint)
        kept.append(Kept(source, span))


def _negated(condition: Expr) -> Expr:
    """`not condition`, but `x` for `not x`: an `<<else>>` after `<<if not $met>>` (an
    `(unless:)` of one) was written `if="not not met"`."""
    if isinstance(condition, Unary) and condition.op == "not":
        return condition.operand
    return Unary("not", condition)


def _joined(parts: tuple[Expr, ...]) -> tuple[Expr | None, str | None]:
    """A choice's conditions joined by `and` (None for none), and why check would refuse
    that (writer.refusal), or None."""
    condition = None
    for part in parts:
        condition = part if condition is None else Binary("and", condition, part)
    return condition, None if condition is None else refusal(condition)


@dataclass(frozen=True)
class _Into:
    """_Importer._into's answer: the passage shown, the sets on the way (() once refused)
    as a choice attribute writes them (`text`: None when one cannot be written, "" for
    none, not kept past the length check reads), that text's length, why check would
    refuse them (None: it reads them)."""
    shown: _Draft
    effects: tuple[Effect, ...]
    text: str | None
    length: int
    why: str | None
    visits: tuple[str, ...] = ()    # the `hasVisited` variables of the passages on the way (_visit_flag)


def _joined_into(draft: _Draft, tail: _Into, visit: str | None) -> _Into:
    """`draft`'s own sets before `tail`, the answer for the passage it goes on to;
    `visit`, the `hasVisited` variable of `draft` (or None)."""
    visits = (visit, *tail.visits) if visit else tail.visits
    own = tuple(e for entry, *_ in draft.entry for e in entry)
    if not own:
        return _Into(tail.shown, tail.effects, tail.text, tail.length, tail.why, visits)
    text = attribute_source(own)
    if text is None or (tail.text is None and tail.length <= MAX_SOURCE_LENGTH):
        return _Into(tail.shown, (), None, 0, text_refusal(None, True), visits)
    length = len(text) + (len("; ") + tail.length if tail.length else 0)
    if length > MAX_SOURCE_LENGTH:
        return _Into(tail.shown, (), None, length, too_long(length), visits)
    joined = f"{text}; {tail.text}" if tail.text else text
    effects = (*own, *tail.effects)
    return _Into(tail.shown, effects, joined, length, text_refusal(joined, True), visits)


def _element_at(text: str, element, lines: list[int] | None = None) -> int:
    """The offset in `text` of the start tag of `element` (parsed from `text`), so that
    HF1009 is said at the markup reduced, not at the top of the passage's text (lines
    above it): its `<name` on the line lxml counts it at, else its first `<name` in the
    text (a tag spanning lines is counted at its end); 0 when neither is found. `lines`,
    the offsets `text`'s lines start at, spares a count of the lines above for each of
    many elements."""
    if element is None:
        return 0
    tag = re.compile(rf"<{re.escape(element.tag)}(?![\w-])", re.I)
    if lines is not None:
        start = lines[min(len(lines), element.sourceline or 1) - 1]
    else:
        start = 0
        for _ in range((element.sourceline or 1) - 1):
            start = text.find("\n", start) + 1
            if start == 0:
                break
    end = text.find("\n", start)
    m = tag.search(text, start, len(text) if end < 0 else end) or tag.search(text)
    return m.start() if m else 0


def _choice_ids(nodes: list) -> dict[int, str]:
    """id(link) → the id a `data-choice="…"` attribute just before it gives (in this
    list of nodes or an `<<if>>` branch's)."""
    found: dict[int, str] = {}
    for before, node in zip([None, *nodes], nodes):
        if isinstance(node, Link) and isinstance(before, Text) and not before.verbatim and (m := _CHOICE_ID_BEFORE.search(before.text)):
            found[id(node)] = m.group(1)
        elif isinstance(node, IfBlock):
            for branch in node.branches[node.earlier:]:
                found.update(_choice_ids(branch.body))
    return found


def _source(node) -> str:
    return getattr(node, "source", None) or getattr(node, "text", "")


def _reads(effect: Effect) -> set[str]:
    if isinstance(effect, Assign):
        return names_used(effect.value) | ({effect.target} if effect.op != "=" else set())
    return set()


def _default(kind) -> str:
    from .state import DEFAULTS
    value = DEFAULTS[kind]
    return {True: "true", False: "false"}.get(value, repr(value)) if isinstance(value, bool) else repr(value)


def _when_branch(n: int, branch) -> str:
    """Where the goto in branch `n` of an if block goes on, as a message says it: an
    `<<else>>`'s goto was said as going on "where its condition holds" (it has none, and
    goes on where the condition before it does not hold), an `(unless:)`'s likewise."""
    if branch.condition is None:
        return "where the condition before its `else` does not hold" if n == 1 else \
            "where none of the conditions before its `else` holds"
    if branch.negate:
        return "where its condition does not hold"
    return "where its condition holds" if n == 0 else "where its condition holds and none before it does"
