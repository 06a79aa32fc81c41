"""ink source → ImportedStory.

ink has no scenes: a player sees all the text between two sets of choices at once.
So an imported scene is exactly that: the text the flow produces from one place (the
story's start, or just after a choice) until it reaches the next choices or an
ending, following diverts and falling through gathers ("gathers flattened into
scenes"). Its choices are the choices of the block it reaches.

- `VAR`/`CONST` and `~ temp` → story variables; `~ x = …`, `~ x += …`, `~ x++` → effects. Effects
  met on the way into a scene go on every choice leading to it (and, for the first
  scene, into the starting values).
- `*`/`+` choices with `[…]`, `{condition}`s and `-> target` → choices. A once-only `*`
  choice in a scene that can be reached again gets a true/false variable
  (`chose_<scene>_<n>`) so that it is offered once, as in ink. A condition testing
  whether a knot, stitch or label was seen (`{not tea}`) reads a true/false variable
  (`seen_<knot>_<label>`) set where ink counts it (`_seen_flags`).
- `-> END`, `-> DONE`, and running out of content → endings.
- Glue (`<>`) between lines of text → one line, as ink shows it (in a choice's text: HF1003).
- A tunnel whose knot shows only text and sets before `->->` → its text where it is
  called (_Reader._tunnels, _Weaver.flow).
- Inline logic (`{x}`, `{a|b}`, `{cond: …}`), sequences and shuffles, tags,
  other tunnels, threads, functions, `LIST`, `INCLUDE`, `EXTERNAL` → HF1003, kept
  as a comment.

The source is read line by line (ink's own grammar is line-based); positions are exact.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field

from ..cycles import on_cycles
from ..diagnostics import Diagnostics, Span, clip, code_info, suggestion
from ..ids import SLUG_PATTERN
from ..expr import Binary, Bool, Effect, Expr, Name, Number, SetFlag, Unary, names_used
from . import macros
from .ink_own import own_functions
from .macros import INK_NAME, INK_NAME_CHARS
from .model import (MAX_CONDITIONS, UNREACHED_HINT, ImportedChoice, ImportedScene, ImportedStory, Kept, NotImported,
                    once, unreached, without_marks)
from .names import SLUG_LIMIT, UniqueIds, scene_slug, spells_an_id, variable_name
from .state import Variables, decimal_start, decimal_starts, exported_for, literal, read_as, run_effects, whole
from .writer import REFUSED_HINT, refusal

_KNOT = re.compile(rf"^\s*={{2,}}\s*(function\s+)?({INK_NAME})\s*(\([^)]*\))?\s*=*\s*$")
_STITCH = re.compile(rf"^\s*=\s*({INK_NAME})\s*(\([^)]*\))?\s*$")
_CHOICE = re.compile(r"^\s*((?:[*+]\s*)+)")
_GATHER = re.compile(r"^\s*((?:-(?!>)\s*)+)")
_LABEL = re.compile(rf"^\s*\(\s*({INK_NAME})\s*\)")
_PATH = rf"{INK_NAME}(?:\.{INK_NAME})*"       # a divert's target: knot, knot.stitch, knot.stitch.label
# `-> knot(1, x)` passes arguments to a knot's parameters: its arrow and call were prose a
# reader saw (and the flow went on past the divert); the target is followed, the
# arguments said and kept
# arguments: no parenthesis or `>` inside (`-> f(g(1))` is kept as written), so that looking
# for them from each `->` of a line stops at the next: `(.*)` read to the line's end from
# every arrow, and 30,000 `->a(` in a line took 11 s
_ARGUMENTS = r"\([^()>]*\)"
_DIVERT = re.compile(rf"->\s*({_PATH})\s*({_ARGUMENTS})?\s*$")
_VAR = re.compile(rf"^\s*(VAR|CONST)\s+({INK_NAME})\s*=\s*(.+?)\s*$")
_DECLARATION = re.compile(r"^\s*(VAR|CONST)(\s|$)")   # one `_VAR` does not read: malformed
_UNSUPPORTED_LINE = re.compile(r"^\s*(INCLUDE|EXTERNAL|LIST|TODO)\b")
_TUNNEL = re.compile(rf"->\s*{_PATH}\s*(?:{_ARGUMENTS}\s*)?->")
# A line that only calls a tunnel (`-> describe ->`), and one that only returns (`->->`):
# imported when the tunnel's knot shows only text and sets before it returns (_Reader._tunnels)
_TUNNEL_LINE = re.compile(rf"^->\s*({_PATH})\s*->$")
_TUNNEL_END = re.compile(rf"->\s*({_PATH})\s*->\s*$")     # a choice's line ending in one: `* [Talk] -> talk ->`
# What the writer is told each such line is (it was "this ink feature" for all of them)
_FEATURES = {"INCLUDE": "an INCLUDE (the file it names is not opened: import it too, or paste it in)",
             "EXTERNAL": "an EXTERNAL function (the game's own code)", "LIST": "a LIST (a set of named values)",
             "TODO": "a TODO (a note inklecate prints when it compiles)"}


def _feature(line: str) -> str:
    """What an ink line the import has no counterpart for is, in the writer's words."""
    if (m := _UNSUPPORTED_LINE.match(line)) is not None:
        return _FEATURES[m.group(1)]
    if "->->" in line or _TUNNEL.search(line):
        return "a tunnel (`-> knot ->` visits a knot and `->->` returns from it)"
    return "a thread (`<- knot` weaves that knot's text and choices into this one)"


# A thread arrow anywhere in a line, not only at its start: ink reads `You wait. <- chatter`
# as a thread (inkjs shows chatter's text in that line and offers its choices); the
# import wrote '<- chatter' into the prose without a word. `\<-` is text.
_THREAD = re.compile(rf"(?<!\\)<-\s*[{INK_NAME_CHARS}]")
# Glue ending a line's text or opening it (`\<>` is the characters)
_GLUE_END = re.compile(r"(?<!\\)<>\s*$")
_GLUE_START = re.compile(r"^\s*<>")


def _glue_join(text: str, end: re.Match) -> str:
    """What glue ending a line (`end`: _GLUE_END's match, the divert after it taken off)
    joins it to the next text with: a space when one stands either side of the `<>`
    (inkjs: `Pay <>`, `Pay<> -> gate` and `Pay -> gate` are "Pay The gate.", `Pay<>-> gate`
    "PayThe gate."), else nothing."""
    return " " if text[:end.start()][-1:].isspace() or text[end.start() + 2:end.end()] else ""
_GLUE = re.compile(r"(?<!\\)<>")
MAX_HOPS = 10_000
_OWN_HEADER = re.compile(r"^//[ \t]*(.+): exported by Hero Foundry from \S.*\.$")
_OWN_TAG = re.compile(r"^#\s*(scene|title|ending|title_line|title_lang|choice|line|lang)\s*(?::\s*(\S.*?))?\s*$", re.I)
_SLUG = re.compile(SLUG_PATTERN)
# a paragraph's line ids (a table's row carries one a cell), each with the language it is
# shown in when not the script's own (`# line: story.keep.l-3f2a # lang: en`), the
# language only in a file our export wrote (another's `# lang: fr` is its writer's, said)
_LINE_TAG = re.compile(r"(?:#\s*line\s*:\s*[\w.-]+\s*)+$")
# the language our export names (`# lang:`, `# title_lang:`): a BCP 47 tag's shape (as
# l10n/check.py TAG, at most 16 subtags); any other value (`<script>`, 10,000 letters,
# words) is no tag our export wrote, and is said (HF1003), under a choice as at a line's end
_LANG = r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8}){0,15}"
_LANG_VALUE = re.compile(_LANG + "$")
_OWN_LINE_TAG = re.compile(r"(?:#\s*(?:line\s*:\s*[\w.-]+|lang\s*:\s*" + _LANG + r")\s*)+$")
# A stand-in for the once-only flag `_once_only` may add to a `*` choice's condition
# (`and not chose_…_12`) and effects (`set chose_…_12`), as long as its name can be (a
# variable name, numbered when taken): what check reads is checked with it in place.
_FLAG = Name("f" * (SLUG_LIMIT + 12))
_SPACE = re.compile(r"\s*")
_CHOICE_ID = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")     # authored (a slug) or derived (`road--gate`)


@dataclass
class Item:
    kind: str                  # text, effects, divert, choice, gather, end, skip, tunnel, return
    line: int
    column: int
    text: str = ""             # text: the line; choice: the text shown after choosing
    level: int = 0             # choice and gather depth (number of bullets)
    target: str = ""           # divert (or a choice's inline divert)
    effects: list = field(default_factory=list)
    source: str = ""
    sticky: bool = False
    label: str = ""            # a choice's or gather's `(label)`
    label_text: str = ""       # a choice's text, as offered
    conditions: list = field(default_factory=list)    # (expr, source, span)
    # text (and a choice's text): when a divert ends its line, ink writes no line break
    # there, so the next text the flow reaches continues this line after one space (ink
    # puts one there whether or not one was written before `->`); None when the line
    # ends as usual.
    joiner: str | None = None
    # text: glue (`<>`) opening its line, so it continues the text before it (after one
    # space when one follows the `<>`); None when the line starts as usual
    glued: str | None = None
    choice_id: str = ""        # a choice's `# choice: <id>` tag (our own ink export)
    kept: bool = False         # a choice kept as written, said where it was read (MAX_CONDITIONS)


@dataclass
class Container:
    name: str                  # "" for the story's top, "knot" or "knot.stitch"
    items: list[Item] = field(default_factory=list)
    line: int = 1
    stitches: list[str] = field(default_factory=list)
    scene_id: str = ""         # our own export's `# scene:` and `# title:` tags at its top
    scene_title: str = ""


class _Reader:
    """Lines → containers of items, with everything unsupported reported once."""

    def __init__(self, text: str, path: str, diags: Diagnostics, variables: Variables):
        self.text, self.path, self.diags, self.vars = text, path, diags, variables
        self.containers: dict[str, Container] = {"": Container("")}
        self.order: list[str] = [""]
        self.kept: dict[str, list[Kept]] = {}
        self.tunnels = False    # a line calls or returns from a tunnel (_tunnel)
        self.title = ""      # from a global `# title: …` tag at the top, ink's convention
        self.title_at = (1, 1)   # where that tag (or our own export's first line) is
        self.declared_at: dict[str, tuple[int, int]] = {}   # VAR/CONST name (as written) → line, column
        self.constants: set[str] = set()    # the CONST names among them (as written)
        # `~ temp` names: the container (knot or stitch) first declaring each, and, for a
        # name another container declared first, this one's own variable (_temp)
        self.temp_owner: dict[str, str] = {}
        self.temps: dict[str, dict[str, str]] = {}
        # each CONST's value written as such, wherever in the file: `VAR hp = MAX_HP` starts
        # at it (inklecate takes a constant there, declared before or after)
        self.const_values: dict = {}
        for line in _strip_comments(text).split("\n"):
            if (m := _VAR.match(line)) and m.group(1) == "CONST" and m.group(2) not in self.const_values:
                self.const_values[m.group(2)] = _literal_text(m.group(3))
        # our own export (exporters/ink.py's first line): its `VAR item_<id>` are the hero's items
        first = text.split("\n", 1)[0]
        self.ours = "exported by Hero Foundry from " in first
        # the functions our own export defines (division, deep parts): calls read as what they stand for
        self.own = own_functions(text)
        # ...whose title is on that line (exporters/ink.py: `// <title>: exported by …`,
        # plain text), not in a `# title:` tag: without it the story came back named
        # after the file ("The Fog Road" as "First Story"). Greedy: a title may hold ': '.
        own = _OWN_HEADER.match(first.rstrip("\r"))
        if own:
            self.title = own.group(1).strip()

    def read(self) -> None:
        knot, current, in_function = "", self.containers[""], False
        block: list[str] = []       # a multi-line `{ … }` (conditional or alternative block)
        block_at, block_depth = (0, 0), 0
        # A function is kept whole, its header and every line of its body up to the next
        # knot: what it computed is what the writer rewrites (its body was dropped without
        # a word, and only the header kept).
        function: list[str] = []
        function_at = 0
        for number, raw in enumerate(_strip_comments(self.text).split("\n"), 1):
            line = raw.rstrip()
            if in_function and not _KNOT.match(line):
                if line.strip():
                    function.append(line)
                continue
            if block or (not in_function and _opens_block(line)):
                if not block:
                    block_at, block_depth = (number, len(line) - len(line.lstrip()) + 1), 0
                block.append(line)
                # the depth so far, line by line: joining the block again at each line
                # made a `{` left open 20,000 lines before the end take 88 s
                block_depth += _depth(line)
                if block_depth <= 0:
                    self._unsupported("\n".join(block).strip(), *block_at,
                                      "a multi-line conditional or alternative block", current.name)
                    block = []
                continue
            if not line.strip():
                continue
            header_tag = None
            if line.lstrip().startswith("=") and "#" in line and \
                    (_KNOT.match(line[:line.index("#")]) or _STITCH.match(line[:line.index("#")])):
                # `=== cave === #dark`: inklecate and inkjs refuse a tag on a knot's (a
                # stitch's) line; read as the knot it names, the tag said (its lines were
                # said to be reached by no reading, every divert to it broken)
                at = line.index("#")
                header_tag = (line[at:].strip(), number, at + 1)     # said in its knot, once made
                line = line[:at].rstrip()
            m = _KNOT.match(line)
            if m and line.lstrip().startswith("=="):
                if function:
                    self._function(function, function_at)
                    function = []
                in_function = bool(m.group(1))
                if in_function:     # (kept whole, as written: its header's tag too)
                    function, function_at = [raw.strip()], number
                    continue
                if m.group(3):
                    self._unsupported(line.strip(), number, 1, "a knot with parameters", "")
                knot = m.group(2)
                current = self._container(knot, number)
                self._header_tag(header_tag, current)
                continue
            m = _STITCH.match(line)
            # a stitch before any knot is the story's own (`.name`): inkjs plays `-> s` to it;
            # it was read as a line no reading reaches, and `-> s` as a divert to nowhere
            if m:
                if m.group(2):      # its parameters were dropped without a word, as a knot's are not
                    self._unsupported(line.strip(), number, 1, "a stitch with parameters", "")
                name = f"{knot}.{m.group(1)}"
                current = self._container(name, number)
                self._header_tag(header_tag, current)
                self.containers[knot].stitches.append(name)
                continue
            self._line(current, line, number)
        if function:
            self._function(function, function_at)
        if block:
            # ink refuses the file ("expected a closing brace"); the lines were left out unsaid
            self._unsupported("\n".join(block).strip(), *block_at, "a `{` never closed, and every line after it "
                              "(inklecate refuses the file)", current.name)
        self._tunnels()
        for c in self.containers.values():
            _rebase(c.items)
        self._name_clashes()

    def tunnel_target(self, target: str, here: str) -> str | None:
        """The container a tunnel call `-> target ->` written in `here` enters, when it
        is one the import follows: a knot or stitch (its first stitch, for a knot with no
        text of its own) showing only text and sets (no choice, divert, end or other
        tunnel) down to one `->->` closing it. None otherwise."""
        for name in _candidates(target, here):
            if name in self.containers:
                container = self.containers[name]
                if not container.items and container.stitches:
                    container = self.containers[container.stitches[0]]
                items = container.items
                simple = items and items[-1].kind == "return" and \
                    all(item.kind in ("text", "effects") for item in items[:-1])
                return container.name if simple else None
        return None

    def _tunnels(self) -> None:
        """Tunnels whose knot shows only text and sets before `->->` (`-> describe ->`) are
        followed there and back (_Weaver.flow); any other tunnel call or return line is
        said and kept (HF1003), as it was before: a return stack across choices has no
        counterpart in our scenes."""
        if not self.tunnels:
            return
        returns = set()
        for c in self.containers.values():
            for item in c.items:
                if item.kind == "tunnel" and (entered := self.tunnel_target(item.target, c.name)) is not None:
                    returns.add(entered)
        for c in self.containers.values():
            kept = []
            for item in c.items:
                if item.kind == "tunnel" and self.tunnel_target(item.target, c.name) is None or \
                        item.kind == "return" and c.name not in returns:
                    self._unsupported(item.source, item.line, item.column, _feature(item.source), c.name)
                    if kept and kept[-1].kind == "choice" and kept[-1].line == item.line:
                        # `+ [Visit] -> side ->`: the choice keeps its place in the weave, not
                        # offered (its line kept), so its body is its own and its siblings offered
                        kept[-1].kept = True
                    elif kept and kept[-1].kind == "text" and kept[-1].line == item.line:
                        kept[-1].joiner = None    # `Shop. -> keeper ->`: the text, its line ended
                    continue
                kept.append(item)
            c.items[:] = kept

    def _name_clashes(self) -> None:
        """ink gives knots, variables, stitches and labels one namespace: a variable,
        stitch or label named like a knot, a stitch or label named like a variable, or
        a label named like a stitch of its knot makes inklecate and inkjs refuse the
        file. We import it anyway (a divert inside a knot finds its own stitch first,
        as ink's resolution would), and say so: the source no longer compiles."""
        knots = {name: c.line for name, c in self.containers.items() if name and "." not in name}

        def clash(name: str, what: str, line: int, col: int, other: str, other_line: int) -> None:
            self.diags.add("HF1005", f"'{name}' names both {what} (line {line}) and {other} (line {other_line}): "
                           "inklecate and inkjs refuse this file; it was imported with the names as read here. "
                           "Rename one of them in the ink source", Span(self.path, line, col))
        for name, (line, col) in self.declared_at.items():
            if name in knots:
                clash(name, "a variable", line, col, "a knot", knots[name])
        for full, container in self.containers.items():
            knot, _, stitch = full.partition(".")
            if stitch and stitch in knots:
                clash(stitch, f"a stitch of '{knot}'", container.line, 1, "a knot", knots[stitch])
            elif stitch and stitch in self.declared_at:
                clash(stitch, f"a stitch of '{knot}'", container.line, 1, "a variable", self.declared_at[stitch][0])
            stitches = {n.partition(".")[2]: self.containers[n].line for n in self.containers.get(knot, container).stitches}
            for item in container.items:
                if not item.label:
                    continue
                if item.label in knots:
                    clash(item.label, "a label", item.line, item.column, "a knot", knots[item.label])
                elif item.label in self.declared_at:
                    clash(item.label, "a label", item.line, item.column, "a variable",
                          self.declared_at[item.label][0])
                elif item.label in stitches:
                    clash(item.label, "a label", item.line, item.column, f"a stitch of '{knot}'",
                          stitches[item.label])

    def _container(self, name: str, number: int) -> Container:
        if name in self.containers:
            self._unsupported(name, number, 1, "a second knot or stitch of the same name", "")
        container = Container(name, line=number)
        self.containers[name] = container
        self.order.append(name)
        return container

    def _line(self, c: Container, line: str, number: int) -> None:
        stripped = line.strip()
        col = len(line) - len(line.lstrip()) + 1
        m = _VAR.match(line)
        if m:
            self._var(m, number, col, c.name)
            return
        if _DECLARATION.match(line):
            # `VAR gold-coins = 3`, `VAR x 3`: ink refuses it; read as prose, it was a
            # story variable dropped without a word and its text shown to readers
            self._unsupported(stripped, number, col, "this declaration (ink reads `VAR name = value`, a name "
                              "of letters, digits and `_`)", c.name)
            return
        title = re.match(r"#\s*title\s*:\s*(.+)$", stripped, re.I)
        if title and not c.name and not c.items and not self.title:
            self.title, self.title_at = title.group(1).strip(), (number, col)
            return
        if self._own_tag(c, stripped):
            return
        if "->" in stripped and self._tunnel(c, line, stripped, number, col):
            return
        if _UNSUPPORTED_LINE.match(line) or stripped.startswith("<-") or _THREAD.search(line) \
                or "->->" in stripped or _TUNNEL.search(line):
            self._unsupported(stripped, number, col, _feature(line), c.name)
            if (m := _CHOICE.match(line)) is not None and not _UNSUPPORTED_LINE.match(line):
                # `+ [Chat] <- chatter`, `+ [Visit] -> side ->`: the choice keeps its place
                # in the weave, not offered (its lines kept above), so its body is its own
                # and its siblings are offered. Dropped as a line, its body was read as the
                # knot's text, shown to every reader, and the choices after it said unreached.
                bullets = m.group(1)
                self._choice(c, line[m.end():], number, m.end() + 1, bullets.count("*") + bullets.count("+"),
                             "+" in bullets, kept=True)
            return
        if stripped.startswith("~"):
            rest = stripped[1:]
            self._statement(c, rest.strip(), number, col + 1 + len(rest) - len(rest.lstrip()))
            return
        m = _CHOICE.match(line)
        if m:
            bullets = m.group(1)
            self._choice(c, line[m.end():], number, m.end() + 1, bullets.count("*") + bullets.count("+"),
                         "+" in bullets)
            return
        m = _GATHER.match(line)
        if m:
            rest, at = line[m.end():], m.end() + 1
            label = _LABEL.match(rest)
            item = Item("gather", number, col, level=m.group(1).count("-"),
                        label=label.group(1) if label else "")
            c.items.append(item)
            if label:
                rest, at = rest[label.end():], at + label.end()
            if rest.strip():
                self._content(c, rest, number, at)
            return
        # from its first character, which is at `col`: given the whole line, what was said in
        # an indented line (a tag, inline logic in a choice's body) was said columns too far
        self._content(c, line.lstrip(), number, col)

    def _tunnel(self, c: Container, line: str, stripped: str, number: int, col: int) -> bool:
        """A line that calls a tunnel (`-> describe ->`, `* [Talk] -> talk ->`) or returns
        from one (`->->`), read as items judged once every knot is read (_tunnels): True
        when the line was one."""
        if (tunnel := _TUNNEL_LINE.match(stripped)) is not None or stripped == "->->":
            c.items.append(Item("tunnel" if tunnel else "return", number, col, target=tunnel.group(1) if tunnel
                                else "", source=stripped))
            self.tunnels = True
            return True
        choice, called = _CHOICE.match(line), _TUNNEL_END.search(line)
        if called is None or _THREAD.search(line) or "->->" in line:
            return False
        if choice is None and not stripped.startswith(("-", "~", "=", "#", "{", "VAR", "CONST")) \
                and "->" not in line[:called.start()]:
            # `A hall. -> weather ->`: the text, which goes on in one line with the tunnel's
            # first (a divert ending a line writes no line break, inkjs), then the tunnel
            before = len(c.items)
            self._content(c, line[:called.start()].lstrip(), number, col)
            if len(c.items) > before and c.items[-1].kind == "text" and c.items[-1].joiner is None:
                c.items[-1].joiner = " "
            c.items.append(Item("tunnel", number, col + called.start() - (len(line) - len(line.lstrip())),
                                target=called.group(1), source=called.group(0).strip()))
            self.tunnels = True
            return True
        if not (choice and called.start() >= choice.end() and "->" not in line[choice.end():called.start()]):
            return False
        before = len(c.items)
        bullets = choice.group(1)
        self._choice(c, line[choice.end():called.start()], number, choice.end() + 1,
                     bullets.count("*") + bullets.count("+"), "+" in bullets)
        if len(c.items) > before and c.items[-1].kind == "choice" and not c.items[-1].kept:
            # the choice's text goes on in one line with the tunnel's, as before a divert
            # (`* Greet her -> talk ->`: "Greet her "Hello," she says.", inkjs)
            if c.items[-1].joiner is None:
                c.items[-1].joiner = " "
            c.items.append(Item("tunnel", number, col, target=called.group(1), source=stripped))
            self.tunnels = True
        return True

    def _own_tag(self, c: Container, stripped: str) -> bool:
        """The tags our own ink export writes (exporters/ink.py), read back as what they
        say, so a story exported and imported again keeps its scene ids, titles and
        choice ids: `# scene: <id>` and `# title: <text>` at a knot's top, `# ending` and
        `# title_line:` and `# title_lang:` there (an END follows; line ids are made again
        by `l10n tag`), `# choice: <id>`, `# line:` and `# lang:` under a choice (after
        its `~` effects, or right under it).
        True when `stripped` was one."""
        m = _OWN_TAG.match(stripped)
        if m is None:
            return False
        tag, value = m.group(1).lower(), (m.group(2) or "").strip()
        top = c.name and not any(item.kind in ("text", "choice", "gather") for item in c.items)
        last = c.items[-1] if c.items else None
        if top and tag == "scene" and _SLUG.match(value) and not c.scene_id:
            c.scene_id = value
        elif top and tag == "title" and value and not c.scene_title:
            c.scene_title = re.sub(r"\\(.)", r"\1", value)     # as escape_ink_text wrote it
        elif tag in ("lang", "title_lang") and not (self.ours and _LANG_VALUE.match(value)):
            return False   # another writer's tag, or no language our export names: said, not dropped
        elif top and tag in ("ending", "title_line", "title_lang"):
            pass
        elif tag == "choice" and (chosen := self._choice_above(c)) is not None and _CHOICE_ID.match(value) \
                and not chosen.choice_id:
            chosen.choice_id = value    # `<scene>--<target>` is the id the writer gives it anyway
        elif last is not None and last.kind in ("choice", "effects") and tag in ("line", "lang"):
            pass
        else:
            return False
        return True

    @staticmethod
    def _choice_above(c) -> "Item | None":
        """The choice whose content this is: the last item, or the one above its `~`
        effects (our export writes them before `# choice:` since version 6; before, under
        it)."""
        i = len(c.items) - 1
        while i >= 0 and c.items[i].kind == "effects":
            i -= 1
        return c.items[i] if i >= 0 and c.items[i].kind == "choice" else None

    def _function(self, lines: list[str], number: int) -> None:
        """A function read whole (its header and body's lines), at line `number`: kept
        and said, but for one our own export defines, whose calls were read as what
        they compute (ink_own.py)."""
        if not self.own.definition(lines):
            self._unsupported("\n".join(lines), number, 1, "a function", "")

    def _var(self, m: re.Match, number: int, col: int, where: str) -> None:
        if m.group(2) in self.declared_at:
            # inklecate refuses the file; the later value was taken without a word
            self._unsupported(m.group(0).strip(), number, col, f"a second declaration of '{clip(m.group(2), 40)}' "
                              f"(first at line {self.declared_at[m.group(2)][0]}, which is used; inklecate refuses "
                              "the file)", where)
            return
        self.declared_at[m.group(2)] = (number, col)
        if m.group(1) == "CONST":
            self.constants.add(m.group(2))
        if m.group(2) not in self.vars.names:
            value, span = _literal_text(m.group(3)), Span(self.path, number, col)
            if value is not None and (m.group(1) == "CONST" and self.vars.hero_constant(m.group(2), value, span)
                                      or self.ours and self.vars.hero_item(m.group(2), value, span)):
                return
        if m.group(3).startswith("->"):     # said as "expected a value; found '>'"
            self._unsupported(m.group(0).strip(), number, col, "a divert target in a variable (a knot to go to "
                              "later has no counterpart)", where)
            return
        name = self.vars.rename(m.group(2), Span(self.path, number, col))
        try:
            # read without renaming: a name there is never a variable of the story
            # (inklecate takes only values and constants), so no HF1010 for it
            value = macros.parse_condition(m.group(3), False, lambda name, offset: name, ink=True, own=self.own)
        except macros.Untranslatable as err:
            self._unsupported(m.group(0).strip(), number, col, f"this declaration ({err.message})", where)
            return
        literal = _literal(value)
        decimal = _literal(value, decimals=True)
        if isinstance(value, Name) and self.const_values.get(value.name) is not None and \
                not (value.name in self.vars.hero_names or value.name.startswith("skill_")):
            literal = decimal = self.const_values[value.name]     # (one of the hero's is read from the hero)
        if literal is None and isinstance(decimal, float):
            # `VAR f = 1.5`: said "not a plain value", the variable not declared; it
            # starts rounded, as a decimal start does in Twine and in ink's `~` lines
            self.kept.setdefault(where, []).append(decimal_start(name, decimal, m.group(0).strip(),
                                                                 Span(self.path, number, col), self.diags))
            literal = whole(decimal)
        if literal is None:
            if isinstance(value, Name) and value.name[:1].isdigit():
                # `VAR h = 1e3`, `VAR k = 0x10`: ink has no exponent or hex number, and
                # reads a name (inklecate: "Unresolved variable: 1e3")
                why = (f"a starting value '{clip(value.name, 40)}', which ink reads as a variable's name (it has no "
                       "exponent or hexadecimal numbers; inklecate refuses the file)")
            else:
                why = ("a starting value that is not a number, text, true/false or constant (inklecate refuses "
                       "the file)")
            self._unsupported(m.group(0).strip(), number, col, why, where)
            return
        self.vars.declare(name, literal)

    def _renamer(self, number: int, col: int, c: Container | None = None):
        """Names → ours for an expression at line `number`, column `col`; in container `c`
        its own temps (_temp) first."""
        names = self.vars.renamer(lambda offset: Span(self.path, number, col + offset))
        own = self.temps.get(c.name) if c is not None else None
        if not own:
            return names
        return lambda name, offset: own.get(name) or names(name, offset)

    def _temp(self, c: Container, name: str, number: int, col: int) -> None:
        """`~ temp <name>` in container `c`: a temp is the knot's or stitch's own (ink keeps
        one per call, so a tunnel's `~ temp x` leaves its caller's `x` as it was). A name
        another container declared first gets a variable of this container's own: one
        story variable for both made the caller read the tunnel's value after `->->`
        (gold 4 where inkjs gives 9, and a choice on it never offered)."""
        owner = self.temp_owner.setdefault(name, c.name)
        if owner == c.name or name in self.temps.get(c.name, {}):
            return
        ours = self.vars.fresh(variable_name(name))
        self.temps.setdefault(c.name, {})[name] = ours
        self.diags.add("HF1010", f"variable '{name}' (a `temp` of {_where(c.name)}) is called '{ours}' in the "
                       f"imported story: {_where(owner)} has a `temp` of that name too, and each keeps its own value",
                       Span(self.path, number, col))

    def _statement(self, c: Container, code: str, number: int, col: int) -> None:
        # `~ temp bonus = 2`: a story variable set there. inklecate resolves a temp only
        # inside its knot, after its `~ temp` (a read elsewhere, or a VAR of the name, is
        # refused), so within the knot a story variable holds what the temp holds. It
        # was said and left out, and with it every effect and condition reading it
        # (HF1007 "unknown name"). Said and kept as written; read from its name on.
        written, read_at = "~ " + code, col
        if (temp := re.match(r"temp\s+", code)) is not None:
            code, read_at = code[temp.end():], col + temp.end()
            if (declared := re.match(INK_NAME, code)) is not None:
                self._temp(c, declared.group(0), number, read_at)
        assigned = re.match(rf"({INK_NAME})\s*(?:[-+*/]?=(?!=)|\+\+|--)", code)
        if assigned and assigned.group(1) in self.constants:
            # inklecate refuses it; it was read as the constant's starting value changing
            self._unsupported(written, number, col, f"an assignment to constant '{clip(assigned.group(1), 40)}' "
                              "(inklecate refuses it)", c.name)
            return
        called = re.match(rf"({INK_NAME})\s*\(", code)
        if called:
            # `~ playSound("ding")`, `~ SEED_RANDOM(3)`: a call for what it does, said as
            # "expected 'to' or '='; found '('", with the function's name said renamed as
            # if it were a variable (HF1010)
            self._unsupported(written, number, col, f"a call of function '{clip(called.group(1), 40)}' (what it "
                              "does has no counterpart)", c.name)
            return
        m = re.fullmatch(rf"({INK_NAME})\s*(\+\+|--)", code)
        if m:
            code = f"{m.group(1)} {m.group(2)[0]}= 1"
        try:
            effects = macros.parse_assignments(code, False, self._renamer(number, read_at, c), ink=True, own=self.own)
        except macros.Untranslatable as err:
            self._unsupported(written, number, col, f"this statement ({err.message})", c.name)
            return
        span = Span(self.path, number, col)
        self.vars.assigned(effects, span)
        c.items.append(Item("effects", number, col, effects=effects, source=written if temp else "~ " + code))

    def _choice(self, c: Container, rest: str, number: int, col: int, level: int, sticky: bool,
                kept: bool = False) -> None:
        """A choice line, its bullets read (`rest` after them, at column `col`); `kept`: one
        holding what has no counterpart (said and kept by the caller), in the weave only."""
        if kept:
            c.items.append(Item("choice", number, col, level=level, sticky=sticky, source=rest.strip(), kept=True))
            return
        item = Item("choice", number, col, level=level, sticky=sticky, source=rest.strip())
        whole = rest
        label = _LABEL.match(rest)
        if label:
            item.label, rest = label.group(1), rest[label.end():]
        # the `{…}` conditions in front, read by position (cutting `rest` after each made
        # a line of n of them quadratic); past MAX_CONDITIONS the choice is kept as written
        pos, count, lead = 0, 0, len(whole) - len(whole.lstrip())   # (`item.source` is `whole` stripped)
        while (offset := _SPACE.match(rest, pos).end()) < len(rest) and rest[offset] == "{":
            close = rest.find("}", offset)
            if close < 0:
                break
            at = col + len(whole) - len(rest) + offset - lead + 1
            count += 1
            if count > MAX_CONDITIONS and not item.kept:
                item.kept = True
                self.diags.add("HF1003", f"a choice with more than {MAX_CONDITIONS} conditions cannot be imported: "
                               f"'{clip(line_source(item), 60)}' is kept as a comment", Span(self.path, number, at - 1),
                               "Test fewer things in one choice (a variable set earlier can stand for several), "
                               "then import again, or write the choice by hand (docs/importing.md) and delete "
                               "the `imported` block.")
                self.kept.setdefault(c.name, []).append(Kept(line_source(item), Span(self.path, number, col)))
            if not item.kept:
                self._choice_condition(c, rest[offset + 1:close], number, at, item)
            pos = close + 1
        rest = rest[pos:]
        front = len(whole) - len(rest)
        divert = _DIVERT.search(rest)
        if divert:
            self._arguments(divert, number, col + len(whole) - len(rest) + divert.start(), c.name)
            item.target, rest = divert.group(1), rest[:divert.start()]
        # The `[…]` is found in the text as written, before escapes are read: `\[` and `\]`
        # are brackets the player sees, not the end of the choice-only text.
        # glue ending the line (`* [Pick] Picked <>`, `* Go on <>`): the text shown after
        # choosing goes on in one line with the next text the body reaches, as a text
        # line's does; it was said as not imported (HF1003) and the line broken in two
        # (before a divert too, `+ [B] Pay <> -> gate`: "Pay The gate.", as without it)
        if (end := _GLUE_END.search(rest)) is not None:
            item.joiner = _glue_join(rest, end)
            rest = rest[:end.start()] + " " * (end.end() - end.start())
        parts = _option_brackets(rest)
        # where `rest` starts on the line, its label and conditions taken off the front:
        # inline logic, glue or a tag in a choice's text was said at the choice's start
        start = col + front
        if parts is None:
            # `* ->` with its body on the lines below: a fallback choice diverting nowhere
            # yet (inklecate takes it), not "a divert that does not end its line" as well
            rest = "" if rest.strip() == "->" else self._plain(rest, number, start, c.name)
            if not rest.strip():
                if self.ours and sticky and item.target == "END" and not item.conditions and not item.label:
                    # our own export's `+ -> END` after choices that all have conditions:
                    # the story stops when none holds, as `foundry play` stops (exporters/ink.py)
                    return
                self._unsupported(line_source(item), number, col, "a fallback choice (taken by itself when no "
                                  "other is left)", c.name)
                return
            item.label_text, item.text = rest, rest
        else:
            offsets = (0, len(parts[0]) + 1, len(parts[0]) + len(parts[1]) + 2)
            if parts[2].lstrip().startswith("~"):
                # `+ [Pay] ~ gold -= 2`: inklecate refuses it ("tildas are for logic that's on
                # its own line"); it was imported as the words '~ gold -= 2' after the choice
                self._unsupported(parts[2].strip(), number, start + offsets[2] + len(parts[2]) - len(parts[2].lstrip()),
                                  "logic after a choice's brackets (a `~` line must be a line of its own below the "
                                  "choice; inklecate refuses it here)", c.name)
                parts = (parts[0], parts[1], "")
            before, inside, after = (self._plain(part, number, start + offset, c.name)
                                     for part, offset in zip(parts, offsets))
            item.label_text, item.text = before + inside, before + after
        c.items.append(item)

    def _choice_condition(self, c: Container, source: str, number: int, at: int, item: Item) -> None:
        """One `{…}` condition in front of a choice, at column `at` of line `number`."""
        try:
            cond = macros.parse_condition(source, False, self._renamer(number, at, c), ink=True, own=self.own)
            item.conditions.append((cond, source.strip(), Span(self.path, number, at)))
        except macros.Untranslatable as err:
            self.diags.add("HF1007", f"choice condition '{clip(source, 60)}' was not translated "
                           f"({err.message}); the choice is offered without it", Span(self.path, number, at), err.hint)
            self.kept.setdefault(c.name, []).append(Kept("{" + source + "}", Span(self.path, number, at)))

    def _content(self, c: Container, text: str, number: int, col: int) -> None:
        divert = _DIVERT.search(text)
        target = None
        if divert:
            target, text = divert.group(1), text[:divert.start()]
            self._arguments(divert, number, col + divert.start(), c.name)
        # glue (`<>`) ending the line or opening it: ink writes no line break there, and
        # the text goes on in one line with the next text (or the one before) it reaches,
        # across diverts, as inkjs shows it ("Hello <>⏎world" is "Hello world",
        # "Hello<>⏎world" "Helloworld"). It was said as not imported (HF1003) and the line
        # broken in two paragraphs. Blanked where it is, so columns stay.
        glue_after = glued = None
        if (end := _GLUE_END.search(text)) is not None:
            glue_after = _glue_join(text, end)
            text = text[:end.start()] + " " * (end.end() - end.start())
        if (start := _GLUE_START.match(text)) is not None:
            glued = " " if text[start.end():start.end() + 1].isspace() else ""
            text = " " * start.end() + text[start.end():]
        # inside a line glue joins nothing: "Mid <> line." is "Mid line."
        text = _GLUE.sub("  ", text) if "<>" in text else text
        text = self._plain(text, number, col, c.name)
        if text.strip():
            # a divert joins with a space, glue before it with what is around the glue
            joiner = glue_after if glue_after is not None else " " if target not in (None, "END", "DONE") else None
            c.items.append(Item("text", number, col, text=text.strip(), joiner=joiner, glued=glued))
        elif glue_after is not None or glued is not None:   # a line of glue alone: it joins what is around it
            c.items.append(Item("text", number, col, text="", joiner="", glued=""))
        if target in ("END", "DONE"):
            c.items.append(Item("end", number, col))
        elif target:
            c.items.append(Item("divert", number, col, target=target))

    def _arguments(self, divert: re.Match, number: int, col: int, where: str) -> None:
        """Say the arguments of a divert (`-> greet("Bob")`, at column `col`), which no
        scene of ours takes: the divert is followed, its knot imported without parameters."""
        if divert.group(2):
            self._unsupported(divert.group(0).strip(), number, col, "a divert's arguments (a knot's or stitch's "
                              "parameters have no counterpart; the divert is followed without them)", where)

    def _plain(self, text: str, number: int, col: int, where: str) -> str:
        """The text with ink markup that has no counterpart removed (and reported)."""
        out, i = [], 0
        while i < len(text):
            char = text[i]
            if char == "\\":
                # the next character itself; one ending the line escapes the line break,
                # which stays a line break: inkjs shows `Tail \` as "Tail" (it was "Tail \")
                out.append(text[i + 1:i + 2])
                i += 2
                continue
            if char == "{":
                close = _balanced(text, i)
                self._unsupported(text[i:close], number, col + i, "inline logic (a value, an alternative or a "
                                  "condition inside text)", where)
                i = close
                continue
            if char == "#" and (_OWN_LINE_TAG if self.ours else _LINE_TAG).match(text, i):
                break       # our own export's paragraph line id (`l10n tag` makes them again)
            if char == "#":
                self._unsupported(text[i:].strip(), number, col + i, "a tag", where)
                break
            if text.startswith("<>", i):
                self._unsupported("<>", number, col + i, "glue", where)
                i += 2
                continue
            if text.startswith("->", i):
                # a divert not at the end of its line (`Go -> hall # tag`, `-> a more`):
                # inklecate refuses it; it was prose a reader saw, `-> hall` and all
                self._unsupported(text[i:].strip(), number, col + i, "a divert that does not end its line "
                                  "(inklecate refuses it)", where)
                break
            out.append(char)
            i += 1
        return "".join(out)

    def _header_tag(self, tag: tuple[str, int, int] | None, container) -> None:
        """Say a tag written on a knot's or stitch's line (its text, line, column), in it."""
        if tag is not None:
            self._unsupported(*tag, "a tag on a knot's or stitch's line (inklecate refuses it: write it on the "
                              "line below)", container.name)

    def _unsupported(self, source: str, number: int, col: int, what: str, where: str) -> None:
        span = Span(self.path, number, col)
        self.diags.add("HF1003", f"{what} cannot be imported: '{clip(source, 60)}' is kept as a comment", span)
        self.kept.setdefault(where, []).append(Kept(source, span))


def _rebase(items: list[Item]) -> None:
    """Choice and gather depths counted from the first one's, as ink reads a knot's (a
    stitch's, the story top's) weave: its first choice or gather sets the weave's level,
    and one written with fewer bullets after it is at that level too. `* * [Nested]`
    then `* Leave` and `+ Stay` are three choices offered together in inkjs; read by
    their bullets, only the first was offered, `Leave` dropped unsaid and `Stay` said
    to be reached by no reading."""
    base = next((item.level for item in items if item.kind in ("choice", "gather")), 1)
    if base > 1:
        for item in items:
            if item.kind in ("choice", "gather"):
                item.level = max(item.level, base) - base + 1


def _option_brackets(text: str) -> tuple[str, str, str] | None:
    """A choice's text split at its first `[` and the `]` after it (ink's choice-only
    text): (before, inside, after), each still as written; None when it has no pair.
    A backslash escapes the next character, as ink reads it."""
    i, opened = 0, None
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[" and opened is None:
            opened = i
        elif char == "]" and opened is not None:
            return text[:opened], text[opened + 1:i], text[i + 1:]
        i += 1
    return None


def _depth(text: str) -> int:
    depth = 0
    for i, char in enumerate(text):
        if char in "{}" and (i == 0 or text[i - 1] != "\\"):
            depth += 1 if char == "{" else -1
    return depth


def _opens_block(line: str) -> bool:
    """A line whose `{` stays open: ink reads the lines up to its `}` as one block."""
    return "{" in line and _depth(line) > 0


def line_source(item: Item) -> str:
    return ("+ " if item.sticky else "* ") + item.source


def _balanced(text: str, i: int) -> int:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _strip_comments(text: str) -> str:
    """`// …` and `/* … */` removed, keeping every line break so positions stay exact."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif text.startswith("//", i):   # after `http:` too: ink prints "See http:" for "See http://x"
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _literal_text(text: str):
    """The plain value (number, true/false, text) a declaration's `= …` writes, else None."""
    try:
        return _literal(macros.parse_condition(text, False, lambda name, offset: name, ink=True))
    except macros.Untranslatable:
        return None


def _literal(node: Expr, decimals: bool = False):
    """The value written as such (`3`, `-3`, `"a"`, `true`), else None; a decimal
    (`1.5`, `-1.5`) only with `decimals`."""
    value = literal(node)
    return None if isinstance(value, float) and not decimals else value


# --- the flow -------------------------------------------------------------------------------

def _candidates(target: str, here: str) -> list[str]:
    """The containers a divert or a read count `target` written in `here` may name, in
    the order ink looks: a stitch of its own knot first, then a knot, then a stitch
    written before any knot (`.name`), which ink finds from anywhere as it finds a knot."""
    knot = here.split(".")[0]
    return [f"{knot}.{target}", target, f".{target}"] if "." not in target else [target]


Pos = tuple[str, int, int]     # container, index, the choice depth whose body we are in


@dataclass
class _Flow:
    lines: list[str]
    effects: list[tuple[list[Effect], str, Span]]   # each `~` line's effects, its text and place
    choices: Pos | None        # where the block of choices starts; None for an ending
    visited: set[str] = field(default_factory=set)   # the knots and stitches it passed through
    # what ink counts as seen on the way (`_seen_flags`): each knot and stitch the reading
    # is in, and (container, label) of each labelled gather passed
    entered: set = field(default_factory=set)


class _Weaver:
    def __init__(self, reader: _Reader, path: str, diags: Diagnostics):
        self.r, self.path, self.diags = reader, path, diags
        self.c = reader.containers
        self.seen: set[tuple[str, int]] = set()   # (container, item index) some reading reaches
        self.cut: set[str] = set()    # containers where a reading stopped at the budget (MAX_HOPS)
        self._gathers: dict[str, list[int]] = {}   # each container's gathers' item indices (_next_gather)

    def resolve(self, target: str, here: str, item: Item) -> tuple[str, int] | None:
        knot = here.split(".")[0]
        for name in _candidates(target, here):
            if name in self.c:
                container = self.c[name]
                if not container.items and container.stitches:
                    return container.stitches[0], 0
                return name, 0
        for name in ([here, knot] if "." not in target else [target.rsplit(".", 1)[0]]):
            label = target.rsplit(".", 1)[-1]
            for i, it in enumerate(self.c.get(name, Container("")).items):
                if it.kind == "gather" and it.label == label:
                    return name, i
        span = Span(self.path, item.line, item.column)
        # a choice to nowhere is left out (_Builder._fill); a divert in the flow ends it
        instead = "the choice is left out" if item.kind == "choice" else "the story ends there instead"
        # `VAR where = -> cellar` … `-> where`: ink diverts to the knot the variable holds;
        # `-> pick` to `* (pick) [Pick]`: ink goes on with what that choice leads to
        label = target.rsplit(".", 1)[-1]
        into_choice = any(it.kind == "choice" and it.label == label
                          for name in ([here, knot] if "." not in target else [target.rsplit(".", 1)[0]])
                          for it in self.c.get(name, Container("")).items)
        what = (f"goes where variable '{clip(target, 40)}' (a divert target, which has no counterpart) leads"
                if target in self.r.declared_at else
                "leads into a labelled choice's body (diverting into a choice has no counterpart: divert to a "
                "gather or stitch the choice also leads to)" if into_choice else "leads to no knot, stitch or label")
        near = "" if target in self.r.declared_at or into_choice else suggestion(target, self.c)
        self.diags.add("HF1004", f"divert '-> {clip(target, 40)}' {what}; {instead}", span,
                       hint=(near + " " + code_info("HF1004").hint).lstrip() if near else None)
        self.r.kept.setdefault(here, []).append(Kept(f"-> {target}", span))
        return None

    def flow(self, pos: Pos, prefix: list[str] | None = None, joiner: str | None = None) -> _Flow:
        """What the reader sees from `pos` (after `prefix`, a choice's own text, which
        the first text continues when `joiner` is not None) to the next choices or end."""
        name, i, depth = pos
        lines, effects, visited = list(prefix or []), [], {name}
        landed = {(name, i, ())}     # where this reading began and its diverts led: twice is a loop
        returns: list[tuple[str, int, int]] = []   # where each tunnel entered returns to
        entered: set = set()
        flow = _Flow(lines, effects, None, visited, entered)
        for _ in range(MAX_HOPS):
            visited.add(name)
            # ink counts a knot or stitch whenever a divert enters it from outside, at its
            # top or not (`-> castle.gate` counts castle too, `-> hall.inner` counts hall:
            # inkjs); a reading inside one was let in by such a divert, so each it is in
            # is seen. (The knot of a top-level stitch `.intro` is the story, no knot.)
            if name:
                entered.add(name)
                if name.split(".")[0]:
                    entered.add(name.split(".")[0])
            items = self.c[name].items
            if i >= len(items):
                return flow
            item = items[i]
            self.seen.add((name, i))
            if item.kind == "text":
                # one space where either side of the join has one (ink collapses a run)
                glue = item.glued if joiner is None else joiner if item.glued is None else \
                    " " if " " in (joiner, item.glued) else ""
                if not item.text:   # a line of glue alone: the join goes on past it
                    joiner = glue if glue is not None else item.joiner
                elif glue is not None and lines:
                    lines[-1] += glue + item.text
                    joiner = item.joiner
                else:
                    lines.append(item.text)
                    joiner = item.joiner
            elif item.kind == "effects":
                effects.append((item.effects, item.source, Span(self.path, item.line, item.column)))
            elif item.kind == "end":
                return flow
            elif item.kind == "tunnel":
                # (a tunnel _Reader._tunnels kept: its knot shows only text and sets, then
                # returns, so it never calls another and the stack is one deep)
                returns.append((name, i + 1, depth))
                name, i, depth = self.r.tunnel_target(item.target, name), 0, 0
                continue
            elif item.kind == "return":
                if not returns:
                    # a reading that came in by a divert, not the tunnel: inkjs stops there
                    self.diags.add("HF1003", "a tunnel's return (`->->`) reached by a divert, not by the tunnel, "
                                   "cannot be imported (ink stops with an error there); the scene ends here",
                                   Span(self.path, item.line, item.column))
                    return flow
                name, i, depth = returns.pop()
                continue
            elif item.kind == "divert":
                found = self.resolve(item.target, name, item)
                if found is None:
                    return flow
                if (*found, tuple(returns)) in landed:
                    # said at the divert that closes the loop (it was said at 1:1, the file's top)
                    self.diags.add("HF1003", f"a loop of diverts with no choice in it cannot be imported: "
                                   f"'-> {clip(item.target, 40)}' leads back to text this reading has shown; "
                                   "the scene ends here", Span(self.path, item.line, item.column))
                    return flow
                landed.add((*found, tuple(returns)))
                name, i = found
                depth = self.c[name].items[i].level - 1 if i else 0   # a labelled gather opens its level
                continue
            elif item.kind == "choice":
                if item.level > depth:
                    flow.choices = (name, i, item.level)
                    return flow
                i = self._next_gather(name, i, depth)      # the body of a choice ends here
                if i is None:
                    return flow
                depth = self.c[name].items[i].level - 1
                continue
            elif item.kind == "gather":
                depth = item.level - 1          # what follows a gather is at the gather's level
                if item.label:
                    entered.add((name, item.label))
            i += 1
        # No loop, but more lines and diverts than a reading may follow without a choice (a
        # budget on work): said where the reading stops, with how far it got. It was said as
        # "a loop of diverts" at 1:1, which the file did not hold.
        self.cut.add(name)
        where = self.c[name].items[i] if i < len(self.c[name].items) else None
        span = Span(self.path, where.line, where.column) if where else Span(self.path, self.c[name].line, 1)
        self.diags.add("HF1003", f"more than {MAX_HOPS:,} lines and diverts follow one another with no choice "
                       "between them: the scene is cut here, and the rest is not read from this place", span)
        return flow

    def lead(self, pos: Pos) -> tuple[Pos, list[tuple[list[Effect], str, Span]]] | None:
        """Where a reading from `pos` really starts, when it shows nothing before a divert
        to the top of a knot or stitch: (that place, the `~` effects met on the way).
        `+ [Pay] ~ gold -= 2 -> gate` then leads into the scene of `gate`, as `+ [Pay] -> gate`
        does, with its effects on the choice: a scene of its own would repeat gate's text
        (one copy per choice into it). None when anything else comes first."""
        name, i, _depth = pos
        effects = []
        items = self.c[name].items
        while i < len(items) and items[i].kind == "effects":
            item = items[i]
            effects.append((item.effects, item.source, Span(self.path, item.line, item.column)))
            self.seen.add((name, i))
            i += 1
        if i >= len(items) or items[i].kind != "divert":
            return None
        target = items[i].target
        knot = name.split(".")[0]
        if not any(c in self.c for c in ([f"{knot}.{target}", target] if "." not in target else [target])):
            return None     # a label, or nothing (HF1004): the flow reports and follows it
        found = self.resolve(target, name, items[i])
        if found is None or found[1] != 0:
            return None
        return (found[0], 0, 0), effects

    def _next_gather(self, name: str, i: int, depth: int) -> int | None:
        # the container's gathers, found once: asked item by item from each choice, a
        # knot of 40,000 choices and no gather was 800 million looks (a 1 MB file: hours)
        gathers = self._gathers.get(name)
        if gathers is None:
            gathers = self._gathers[name] = [j for j, it in enumerate(self.c[name].items) if it.kind == "gather"]
        items = self.c[name].items
        for k in range(bisect_left(gathers, i), len(gathers)):
            if items[gathers[k]].level <= depth:
                return gathers[k]
        return None

    def block(self, pos: Pos) -> list[tuple[int, Item]]:
        """The choices offered at `pos`: siblings of its depth until a gather closes them."""
        name, i, level = pos
        out = []
        items = self.c[name].items
        for j in range(i, len(items)):
            item = items[j]
            if item.kind == "gather" and item.level <= level:
                break
            if item.kind == "choice" and item.level < level:
                break
            if item.kind == "choice" and item.level == level:
                out.append((j, item))
                self.seen.add((name, j))
        return out


def import_ink(text: str, path: str, diags: Diagnostics, hero_names: frozenset[str] = frozenset(),
               skills: frozenset[str] = frozenset()) -> ImportedStory:
    """`hero_names`: the project's hero attributes, stats and level, which no story
    variable may be named (state.Variables renames a variable named so); with
    `skills` (the project's skill ids), a `CONST` naming one of them or a hero
    value is read as the hero's (Variables.hero_constant), as our own export meant it."""
    variables = Variables(diags, hero_names=hero_names, skills=skills)
    reader = _Reader(without_marks(text), path, diags, variables)
    reader.read()
    variables.counted = _counted(reader, variables)
    if not any(c.items for c in reader.containers.values()):
        diags.add("HF1001", f"{path} has no ink content (no text, choice or knot)", Span(path))
        raise NotImported()
    flags = _seen_flags(reader, variables, path)
    variables.settle()
    return _Builder(reader, _Weaver(reader, path, diags), variables, path, diags, flags).build()


def _seen_flags(reader: _Reader, variables: Variables, path: str) -> dict:
    """ink's read counts that choice conditions test (`* {not tea} [Wait]`, `{harris}`,
    `{castle.gate}`): each knot, stitch or label so tested gets a true/false variable
    (`seen_start_tea`), set on every choice whose reading enters it (`_Builder._seen`)
    and true from the start when the opening does; each condition reads the variable of
    what its name means where it stands (ink resolves a name from its knot), so `{tea}`
    and `{not tea}` play as in ink. Compared as a number (`{tea > 1}`), which the
    variable cannot answer, it stays HF1007 (Variables.condition says why).
    Returns the thing (a container's name, or (container, label)) → its variable."""
    ours_to_original = {ours: original for original, ours in variables.names.items()}
    labels = {(here, item.label) for here, container in reader.containers.items() for item in container.items
              if item.label and item.kind in ("choice", "gather")}
    flags: dict = {}
    for here, container in reader.containers.items():
        for item in container.items:
            for n, (cond, source, span) in enumerate(item.conditions):
                reads = {}
                for name in sorted(names_used(cond)):
                    original = ours_to_original.get(name, name)
                    thing = None if original in reader.declared_at else \
                        _read_count(reader.containers, labels, original, here)
                    if thing is None:
                        continue
                    if variables.first_assignment(name) is None:
                        variables.no_variable(original)
                    if thing not in flags:
                        spelt = ".".join(thing) if isinstance(thing, tuple) else thing
                        flags[thing] = variables.fresh(f"seen_{variable_name(spelt.lstrip('.'))}")
                        variables.declare(flags[thing], False)
                        variables.seen_flags[flags[thing]] = f"label '{thing[1]}'" if isinstance(thing, tuple) \
                            else f"{'stitch' if '.' in thing else 'knot'} '{thing.lstrip('.')}'"
                    reads[name] = Name(flags[thing])
                if reads:
                    item.conditions[n] = (read_as(_as_seen(cond, set(reads)), reads), source, span)
    return flags


def _as_seen(node: Expr, counts: set[str]) -> Expr:
    """`node` with each comparison of a read count in `counts` with 0 or 1 that asks
    only whether it was seen (`{tea > 0}`, `{tea == 0}`, `{0 < tea}`) written as the
    count alone or under `not`, which its seen-flag then answers; others as they are."""
    if isinstance(node, Unary):
        return Unary(node.op, _as_seen(node.operand, counts))
    if not isinstance(node, Binary):
        return node
    left, op, right = node.left, node.op, node.right
    if isinstance(right, Name) and not isinstance(left, Name):
        left, op, right = right, macros.MIRRORED.get(op, ""), left
    if isinstance(left, Name) and left.name in counts and isinstance(right, (Number, Bool)) and op in macros.MIRRORED:
        # ink compares a count with true or false as with 1 or 0: `{tea == false}` is
        # "not seen", but `{tea == true}` is "seen once" (false after a second visit),
        # which the flag cannot answer: as `tea == 1`, said (HF1007) as a count compared
        value = int(right.value) if isinstance(right.value, bool) else right.value
        if (seen := macros.count_as_seen(op, left, value)) is not None:
            return seen
        if isinstance(right.value, bool):
            return Binary(op, left, Number(value))
    return Binary(node.op, _as_seen(node.left, counts), _as_seen(node.right, counts))


def _read_count(containers: dict, labels: set, name: str, here: str):
    """What a read count `name` written in container `here` counts, as ink resolves it:
    a label of this stitch or its knot, a stitch of its knot, a knot, a top-level stitch
    (dotted: `knot.stitch`, `knot.label`, `knot.stitch.label`, `stitch.label`); None if
    nothing of the story is so named. `labels`: each (container, label) of the story."""
    def labelled(container: str, label: str) -> bool:
        return (container, label) in labels
    knot = here.split(".")[0]
    head, _, last = name.rpartition(".")
    if head:
        for container in (f"{knot}.{head}", head):
            if labelled(container, last):
                return container, last
    else:
        for container in dict.fromkeys((here, knot)):
            if labelled(container, name):
                return container, name
    return next((c for c in _candidates(name, here) if c in containers and c), None)


def _counted(reader: _Reader, variables: Variables) -> dict[str, str]:
    """ink's read counts a condition may name, by the name a condition reading them gets
    (Variables.rename of the name as written): knots, stitches (by their own name, as
    their knot's lines name them) and labels; not one a VAR or CONST is named."""
    found: dict[str, str] = {}
    for name, c in reader.containers.items():
        if name:
            found.setdefault(name.rsplit(".", 1)[-1], f"{'stitch' if '.' in name else 'knot'} '{name}'")
        for item in c.items:
            if item.label:
                found.setdefault(item.label, f"label '{item.label}'")
    return {variable_name(n): what for n, what in found.items() if n not in reader.declared_at}


class _Builder:
    """Flows → scenes, one per place a player's reading starts."""

    def __init__(self, reader: _Reader, weaver: _Weaver, variables: Variables, path: str, diags: Diagnostics,
                 flags: dict | None = None):
        self.r, self.w, self.vars, self.path, self.diags = reader, weaver, variables, path, diags
        self.flags = flags or {}    # `_seen_flags`: what ink counts as seen → its variable
        self.ids = UniqueIds()
        self.scenes: dict[tuple, dict] = {}      # key → {"id", "title", "flow", "choices"}
        self.queue: deque[tuple] = deque()
        self.named: dict[str, str] = {}          # slug → the first knot or stitch named to it (HF1005)
        self.said_unreached: list[tuple] = []   # scenes of knots no reading reaches (HF1143 said)
        self._entered: dict = {}    # model.once: a flow's `~` lines, checked
        self._refused: dict = {}    # model.once: why check would refuse them, with or without the flag

    def build(self) -> ImportedStory:
        lead = self.w.lead(("", 0, 0))    # a story that opens with `-> knot` starts in that knot's scene
        lead_effects = lead[1] if lead else []
        start_key = self._knot_scene(lead[0]) if lead else self._scene(("", 0, 0), "start", "Start", None)
        while self.queue:
            self._fill(self.queue.popleft())
        self._unreached()
        self._unread_lines()
        self._place_kept()
        # the opening `~` lines (before the first knot, and the start scene's own) run once,
        # before any choice: one not translated is kept in the start scene, not only said
        opening_kept: list[Kept] = []
        opening = [e for effects, source, span in lead_effects + self.scenes[start_key]["flow"].effects
                   for e in self.vars.effects(effects, source, span, opening_kept)]
        opening += self._seen(self.scenes[start_key]["flow"], None, "")
        self.placed.setdefault(start_key, []).extend(opening_kept)
        values = run_effects(opening, self.vars.starting_values())
        self.placed[start_key].extend(decimal_starts(values, lead_effects + self.scenes[start_key]["flow"].effects,
                                                     self.diags))
        # in the order of the source (knot by knot, then down each), not the order they
        # were reached: our own export, imported and exported again, keeps its order
        where = {name: n for n, name in enumerate(self.r.order)}
        ordered = sorted(self.scenes.values(), key=lambda s: (where.get(s["pos"][0], len(where)), s["pos"][1:]))
        scenes = [self._finish(s) for s in ordered]
        scenes = self._once_only(scenes)
        start = self.scenes[start_key]
        self._cut_off(start["id"], scenes)
        # after `_once_only`, whose once-only flags are variables too
        values = run_effects(opening, self.vars.starting_values())
        variables = tuple((name, whole(value)) for name, value in values.items())
        title = self.r.title or \
            re.sub(r"\.ink$", "", self.path.rsplit("/", 1)[-1]).replace("_", " ").replace("-", " ").title()
        return ImportedStory(title, start["id"], variables, tuple(scenes), "ink",
                             exported_for(self.r.text) if self.r.ours else None,
                             self.r.title_at if self.r.title else (0, 0))

    def _unreached(self) -> None:
        """A knot or stitch with content that no reading from the start passes through
        (nothing diverts there, or only a tunnel, a thread or a function call does) was
        left out with its text, without a word. It is a scene of its own, so nothing
        written is lost, and HF1143 says no choice leads to it (check refuses it)."""
        seen = set().union(*(s["flow"].visited for s in self.scenes.values()))
        for name in self.r.order:
            container = self.r.containers[name]
            if not name or name in seen or not any(item.kind in ("text", "choice") for item in container.items):
                continue            # (a stitch of only `-> END` holds nothing to lose)
            before = len(self.scenes)
            key = self._knot_scene((name, 0, 0))
            while self.queue:
                self._fill(self.queue.popleft())
            for scene in list(self.scenes.values())[before:]:
                seen |= scene["flow"].visited
            kind = "stitch" if "." in name else "knot"
            # a knot a reading was cut before (the budget, HF1003 at the cut) is reached
            # in the source: say that, not "reached by no divert"
            how = ("is where a reading from the story's start was cut (more than "
                   f"{MAX_HOPS:,} lines and diverts without a choice)" if name in self.w.cut else
                   "is reached by no divert or choice from the story's start")
            self.said_unreached.append(key)
            self.diags.add("HF1143", f"{kind} '{clip(name.lstrip('.'), 40)}' {how}: it is imported as scene "
                           f"'{self.scenes[key]['id']}', which no choice leads to", Span(self.path, container.line, 1),
                           hint=UNREACHED_HINT)

    def _cut_off(self, start: str, scenes: list[ImportedScene]) -> None:
        """A scene only a choice kept as written led to (HF1003: its conditions too many,
        or more than check reads) is reached by none now, which check refuses: said at
        its knot or choice (HF1143), as `_unreached` says a knot no divert reaches."""
        cut = unreached(start, scenes, tuple(self.scenes[key]["id"] for key in self.said_unreached))
        by_id = {s["id"]: s for s in self.scenes.values()} if cut else {}
        for scene in cut:
            name, index, _ = by_id[scene.id]["pos"]
            items = self.r.containers[name].items
            line = by_id[scene.id].get("choice_line") or \
                (items[index - 1].line if 0 < index <= len(items) else self.r.containers[name].line)
            self.diags.add("HF1143", f"scene '{scene.id}' is reached by no choice the import kept: the choices "
                           "that led to it are kept as written (HF1003)", Span(self.path, line, 1), hint=UNREACHED_HINT)

    def _unread_lines(self) -> None:
        """Text, effects and choices inside a knot that some reading passes through, but
        which no reading reaches: a gather after choices that all divert elsewhere, a
        choice nested under one that diverts. Left out without a word ("No problems
        found"), they are kept as a comment in the knot's scene now, and said (HF1003)."""
        source = _strip_comments(self.r.text).split("\n")
        for name in self.r.order:
            for i, item in enumerate(self.r.containers[name].items):
                if item.kind not in ("text", "effects", "choice") or (name, i) in self.w.seen:
                    continue
                written = source[item.line - 1].strip() if 0 < item.line <= len(source) else item.text
                self.r._unsupported(written, item.line, item.column,
                                    "a line no reading of the story reaches (the choices before it all "
                                    "divert elsewhere)", name)

    def _scene(self, pos: Pos, wanted: str, title: str, prefix: tuple[str, ...] | None,
               joiner: str | None = None) -> tuple:
        key = (pos, prefix) if joiner is None else (pos, prefix, joiner)
        if key not in self.scenes:
            sid, _ = self.ids.take(scene_slug(wanted))
            self.scenes[key] = {"id": sid, "title": title, "pos": pos, "prefix": prefix, "choices": [],
                                "key": key, "flow": self.w.flow(pos, list(prefix or []), joiner)}
            self.queue.append(key)
        return key

    def _fill(self, key: tuple) -> None:
        scene = self.scenes[key]
        flow: _Flow = scene["flow"]
        if flow.choices is None:
            return
        name = flow.choices[0]
        for index, item in self.w.block(flow.choices):
            body = (name, index + 1, item.level)
            prefix = tuple([item.text.strip()] if item.text.strip() else [])
            lead = None if prefix or item.target else self.w.lead(body)
            if item.target in ("END", "DONE"):      # the story ends right after this choice
                target_key = self._scene(body, "the-end", "The end", prefix or ("",))
                self.scenes[target_key]["flow"] = _Flow(list(prefix), [], None)
            elif item.target:
                found = self.w.resolve(item.target, name, item)
                if found is None:
                    continue
                target_pos = (found[0], found[1], 0)
                target_key = self._knot_scene(target_pos) if not prefix else \
                    self._choice_scene(name, index, item, target_pos, prefix,
                                       " " if item.joiner is None else item.joiner)   # `* Pay -> gate`: one line
            elif lead is not None:
                target_key = self._knot_scene(lead[0])
            else:
                target_key = self._choice_scene(name, index, item, body, prefix, item.joiner)
            scene["choices"].append((index, item, target_key, lead[1] if lead else []))

    def _knot_scene(self, pos: Pos) -> tuple:
        """The scene that starts at `pos`, a knot or stitch (or a label in one): named after
        it, or as our own export's `# scene:`/`# title:` tags at its top say."""
        container = self.r.containers[pos[0]]
        own = pos[1] == 0 and pos[0]
        new = (pos, None) not in self.scenes
        # a scene starting at a label (`-> hall.inner`) is named after the label too: named
        # after the knot alone, the first reached took the knot's id (`hall`), and the knot's
        # own top, reached later, was `hall-2`
        label = container.items[pos[1]].label if 0 < pos[1] < len(container.items) else ""
        name = pos[0].lstrip(".")
        key = self._scene(pos, (own and container.scene_id) or
                          "-".join(part for part in (name.replace(".", "-"), label) if part) or "start",
                          (own and container.scene_title) or
                          (f"{name or 'Start'}: {label}" if label else name or "Start"), None)
        if new and own and not container.scene_id and spells_an_id(pos[0]):
            # knots whose names differ in case or punctuation only (`Gate`, `gate`: ink tells
            # them apart) get one slug: the later is numbered, and said, as Twine's passages are
            slug, sid = scene_slug(pos[0].replace(".", "-")), self.scenes[key]["id"]
            first = self.named.setdefault(slug, pos[0])
            if first != pos[0] and sid != slug:
                kind = "stitch" if "." in pos[0] else "knot"
                self.diags.add("HF1005", f"{kind} '{clip(pos[0], 40)}' would get the id of '{clip(first, 40)}'; "
                               f"it is '{sid}'", Span(self.path, container.line, 1))
            elif sid != slug:
                # `=== start ===` in a story whose opening text (scene `start`) comes first, or
                # `=== gate_go ===` after knot gate's choice "Go": renamed without a word
                kind = "stitch" if "." in pos[0] else "knot"
                self.diags.add("HF1005", f"{kind} '{clip(pos[0], 40)}' would get the id '{slug}', which an earlier "
                               f"scene of the import has; it is '{sid}'", Span(self.path, container.line, 1))
        return key

    def _choice_scene(self, name: str, index: int, item: Item, pos: Pos, prefix: tuple,
                      joiner: str | None = None) -> tuple:
        """The scene right after a choice whose body (or shown text) has content of its own."""
        wanted = f"{name.replace('.', '-') or 'start'}-{scene_slug(item.label_text, 'choice')[:30]}"
        key = self._scene(pos, wanted, f"{name or 'Start'}: {item.label_text.strip()}", prefix or None, joiner)
        # where its text begins, for HF1143 (`_cut_off`): `* Pay -> gate` starts at gate's
        # top, but its first line is the choice's
        self.scenes[key].setdefault("choice_line", item.line)
        return key

    def _place_kept(self) -> None:
        """What was not imported from a knot is shown in the first scene whose text
        comes from that knot (or the first scene, for knots no reading passes through)."""
        self.placed: dict[tuple, list[Kept]] = {}
        first = next(iter(self.scenes))
        for container, kept in self.r.kept.items():
            key = next((k for k, s in self.scenes.items() if container in s["flow"].visited), first)
            self.placed.setdefault(key, []).extend(kept)

    def _finish(self, scene: dict) -> ImportedScene:
        flow: _Flow = scene["flow"]
        name = flow.choices[0] if flow.choices else scene["pos"][0]    # where the block of choices is
        kept = list(self.placed.get(scene["key"], []))
        shown: set[tuple[int, str]] = set()     # (target's flow, what): kept in this scene once
        choices = []
        for index, item, target_key, on_the_way in scene["choices"]:
            if item.kept:
                continue        # said, and kept, where it was read
            target = self.scenes[target_key]
            condition = None
            for cond, source, span in item.conditions:
                checked = self.vars.condition(cond, source, span, kept)
                if checked is not None:
                    condition = checked if condition is None else Binary("and", condition, checked)
            span = Span(self.path, item.line, item.column)
            # what check would refuse (HF0601 at a story the import called clean), with
            # the once-only flag `_once_only` may give a `*` choice (a stand-in as long)
            flag = None if item.sticky else _FLAG
            if condition is not None and (why := refusal(condition if flag is None else
                                                         Binary("and", condition, Unary("not", flag)))) is not None:
                self.diags.add("HF1003", f"a choice whose condition would be {why} cannot be imported: "
                               f"'{clip(item.source, 60)}' is kept as a comment in its scene", span, REFUSED_HINT)
                kept.append(Kept(line_source(item), span))
                continue
            own = [e for effs, source, where in on_the_way for e in self.vars.effects(effs, source, where, kept)]
            # the target's `~` lines ride on every choice leading to it: checked once a
            # target (model.once; 1,000 choices to a knot of 1,000 were 30 s), what did
            # not translate kept once a scene; with the choice's own only when they pass
            target_flow = target["flow"]
            entered, failed = once(self._entered, (target_flow,), lambda: self._entered_effects(target_flow))
            why = once(self._refused, (target_flow, flag), lambda: _refused_effects(entered, flag))
            if failed and (id(target_flow), "failed") not in shown:
                shown.add((id(target_flow), "failed"))
                already = set(kept)     # the start scene's own, when a choice leads back to it
                kept.extend(k for k in failed if k not in already)
            effects = (*own, *entered)
            if why is None and own:
                why = _refused_effects(effects, flag)
            if why is not None:
                self.diags.add("HF1003", f"the changes of state of choice '{clip(item.source, 60)}' would be {why}: "
                               "the choice is imported without them, and they are kept as a comment in its scene",
                               span, "Move some of the changes to other choices or knots, or write them as the "
                               "choice's effects by hand (docs/importing.md), then delete the `imported` block.")
                kept.extend(Kept(source, where) for _, source, where in on_the_way)
                if (id(target_flow), "refused") not in shown:
                    shown.add((id(target_flow), "refused"))
                    kept.extend(Kept(source, where) for _, source, where in target_flow.effects)
                effects = ()
            effects = (*self._seen(target_flow, item, name), *effects)
            choices.append((ImportedChoice(item.label_text.strip() or "…", target["id"], condition,
                                           effects, item.choice_id or None), item, (name, index)))
        scene["raw_choices"] = choices
        return ImportedScene(scene["id"], scene["title"], tuple(flow.lines), tuple(c for c, _, _ in choices),
                             not choices, tuple(kept))

    def _seen(self, flow: _Flow, choice: Item | None, here: str) -> list[SetFlag]:
        """The seen-flags (`_seen_flags`) of what ink counts when `choice` (in container
        `here`) is taken and its reading `flow` follows: the choice's own label, and each
        knot, stitch and labelled gather the reading is in or passes (_Flow.entered)."""
        if not self.flags:
            return []
        things = set(flow.entered)
        if choice is not None:
            # the knot and stitch the choice is offered in were seen before it was (said
            # again on each of their choices, they were only noise)
            things -= {here, here.split(".")[0]}
            if choice.label:
                things.add((here, choice.label))
        return [SetFlag(self.flags[t], True) for t in sorted(things, key=str) if t in self.flags]

    def _entered_effects(self, flow: _Flow) -> tuple[tuple[Effect, ...], tuple[Kept, ...]]:
        """The changes of state of `flow`'s `~` lines that translate, and those that do
        not (reported), kept."""
        failed: list[Kept] = []
        effects = tuple(e for effs, source, where in flow.effects for e in self.vars.effects(effs, source, where, failed))
        return effects, tuple(failed)

    def _once_only(self, scenes: list[ImportedScene]) -> list[ImportedScene]:
        """A `*` choice is offered once in ink: in a scene that can come round again,
        a true/false variable remembers that it was taken."""
        by_id = {s.id: s for s in scenes}
        raw = {d["id"]: d.get("raw_choices", []) for d in self.scenes.values()}
        offered: dict[tuple, list[str]] = {}
        for sid, choices in raw.items():
            for _, item, where in choices:
                if not item.sticky:
                    offered.setdefault(where, []).append(sid)
        cyclic = _on_a_cycle(by_id)
        flagged = {where for where, sids in offered.items() if len(sids) > 1 or sids[0] in cyclic}
        flags: dict[tuple, str] = {}
        out = []
        for scene in scenes:
            choices = []
            for choice, item, where in raw[scene.id]:
                if where in flagged:
                    if where not in flags:
                        flags[where] = self.vars.fresh(f"chose_{where[0].replace('.', '_') or 'start'}_{item.line}")
                        self.vars.declare(flags[where], False)
                    cond = Unary("not", Name(flags[where]))
                    condition = cond if choice.condition is None else Binary("and", choice.condition, cond)
                    choice = ImportedChoice(choice.text, choice.target, condition,
                                            (SetFlag(flags[where], True),) + choice.effects, choice.id)
                choices.append(choice)
            out.append(ImportedScene(scene.id, scene.title, scene.lines, tuple(choices), scene.ending, scene.kept))
        return out


def _refused_effects(effects: tuple[Effect, ...], flag: Name | None) -> str | None:
    """Why check would refuse a choice's changes of state (writer.refusal), with the
    stand-in of the once-only flag `flag` (`_FLAG`, None for a `+` choice) before them."""
    if not effects:
        return None
    return refusal(effects if flag is None else (SetFlag(flag.name, True), *effects))


def _on_a_cycle(by_id: dict[str, ImportedScene]) -> set[str]:
    """The scenes the story can come back to after leaving them: those in a strongly
    connected component of more than one scene, or with a choice to themselves
    (cycles.py, linear however long the story)."""
    return on_cycles(by_id, lambda scene: [c.target for c in by_id[scene].choices if c.target in by_id])


def _where(container: str) -> str:
    """A container's name as a message says it: "knot 'shop'", "stitch 'shop.back'",
    "the story's top"."""
    if not container:
        return "the story's top"
    return f"{'stitch' if '.' in container else 'knot'} '{container}'"
