"""An ImportedStory → the text of `content/stories/<id>.md` (docs/writing-stories.md).

Prose is written so that it reads back exactly as it was imported: every ASCII
punctuation character Markdown or its typographer could act on is backslash-escaped
(a passage's `*`, `#`, `<b>` or `"quotes"` stay as written), and each line becomes a
paragraph of its own. Conditions and effects are printed by the expression
language's printer; text values inside them are single-quoted, because a choice's
attribute is itself inside double quotes.

What could not be imported is kept in an ```` ```imported ```` block at the end of its
scene: a fenced block is visible in the file and on the built page, is never read as
Markdown or HTML (so it is safe), and is not part of the prose a player sees.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePath

from ..expr import MAX_SOURCE_LENGTH, Effect, Expr, ExprError, Node, parse_effects, parse_expression, to_source
from ..ids import SLUG_PATTERN, FreeSlugs, is_id
from ..expr.tokens import Lexer
from .model import (CODE, EMPHASIS, MARKS, STRIKE, STRONG, ImportedChoice, ImportedScene, ImportedStory, Kept,
                    without_marks)
from .names import YAML_WORDS
from ..stories.models import StoryFront
from ..load.cjk_emphasis import left_flanking, right_flanking
from ..load.hygiene import _suspect, code_lines, every_problem
from ..load.titles import IMPORTED_BLOCK

# the most characters a story's `title:` may hold (what `foundry check` allows)
TITLE_LIMIT = next(m.max_length for m in StoryFront.model_fields["title"].metadata if getattr(m, "max_length", None))

# Characters Markdown (block or inline syntax, tables, strikethrough, entities) or the
# typographer (quotes, dashes, ellipses, (c)) may change; `,` and `?` only when doubled.
_MARKUP = set("!\"#$&'()*+-.<=>[\\]^_`{|}~")
_SPACES = re.compile(r"\s+")
_SLUG = re.compile(SLUG_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_BUT_MARKS = re.compile(r"[\x00-\x08\x0b-\x10\x15-\x1f\x7f]")
_NAMED_REFERENCE = re.compile(r"&[A-Za-z][A-Za-z0-9]{1,31};")


def escape_prose(text: str) -> str:
    """Plain text → Markdown inline text that renders as exactly that text. An `&` that
    starts what reads as a named character reference (`&ZeroWidthSpace;`) is written
    `&amp;`: `\\&` renders it as text too, but `foundry check` reads the reference in
    it (and refuses what it spells), so the story written did not pass check."""
    out = []
    for i, char in enumerate(text):
        if char == "&" and _NAMED_REFERENCE.match(text, i):
            out.append("&amp;")
        elif char in _MARKUP or (char in ",?" and text[i + 1:i + 2] == char):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def clean_line(text: str, marks: bool = False) -> str:
    """One line of prose: control characters removed, runs of white space made one
    space (as a browser shows them). With `marks`, the inline marks of a line of
    imported text (model.MARKS) are kept, for `marked`."""
    if marks:
        return _SPACES.sub(" ", _CONTROL_BUT_MARKS.sub("", text)).strip()
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def marked(text: str) -> str:
    """A line of imported text with its inline marks (model.MARKS) as Markdown that
    shows it so: the text between marks escaped (`escape_prose`), a code span's text
    as it is inside backticks more than any run it holds (CommonMark 6.1: a backslash
    is no escape there), then `*…*`, `**…**`, `~~…~~`. White space just inside a mark
    goes outside it (`<em> dark </em>`: Markdown's `* dark *` is no emphasis); a mark
    around nothing, or left unclosed, is dropped; marks inside a code span are text of
    the span's and dropped (Markdown has no emphasis in code)."""
    parts = text.split(CODE)
    if len(parts) % 2 == 0:   # unclosed: the last mark opens nothing
        parts[-2:] = [parts[-2] + parts[-1]]
    out = []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            out.append(escape_prose(part))
            continue
        code = "".join(c for c in part if c not in MARKS)
        core = code.strip(" ")
        if not core:
            out.append(escape_prose(code))
            continue
        lead, trail = code[:len(code) - len(code.lstrip(" "))], code[len(code.rstrip(" ")):]
        fence = "`" * (1 + max((len(m) for m in re.findall(r"`+", core)), default=0))
        # a span that begins or ends with a backtick is padded with a space, which
        # CommonMark strips again (one each side)
        pad = " " if core[0] == "`" or core[-1] == "`" else ""
        out.append(f"{lead}{fence}{pad}{core}{pad}{fence}{trail}")
    text = "".join(out)
    for mark, markdown in ((STRONG, "**"), (EMPHASIS, "*"), (STRIKE, "~~")):
        parts = text.split(mark)
        if len(parts) % 2 == 0:
            parts[-2:] = [parts[-2] + parts[-1]]
        # a mark closed and opened again at once (`<em>fog</em><em>bank</em>`) is one
        # span: Markdown reads `*fog**bank*` as emphasis holding two asterisks
        pairs: list[tuple[str, str]] = []
        for inside, after in zip(parts[1::2], parts[2::2]):
            if pairs and pairs[-1][1] == "":
                pairs[-1] = (pairs[-1][0] + inside, after)
            else:
                pairs.append((inside, after))
        out = [parts[0]]
        for inside, after in pairs:
            core = inside.strip()
            if core:
                lead, trail = inside[:len(inside) - len(inside.lstrip())], inside[len(inside.rstrip()):]
                # a strike-through not yet written right beside this mark (`a<s><b>「</b>`)
                # will touch its `*` with `~~`: its edge must flank as a `*` there does,
                # or the strike's turn moves this mark's punctuation out and empties it
                outer = (not lead and mark != STRIKE and _strike_beside(_behind(out)[::-1]),
                         not trail and mark != STRIKE and _strike_beside(_ahead(after, parts, len(out))))
                moved, core, back = _flanking(lead[-1:] or _outside_before(out), core,
                                              trail[:1] or _outside_after(after, parts, len(out)), markdown[0], outer)
                out.append(f"{lead}{moved}{markdown}{core}{markdown}{back}{trail}" if core else
                           f"{lead}{moved}{back}{trail}")
            else:
                out.append(inside)
            out.append(after)
        text = "".join(out)
    return text


# One unit of written Markdown, for moving across a mark: an escaped character, a code
# span (a backtick run to the next run as long), a character reference, a character
# (with the variation selector after it: `大塚\ufe00`, `“\ufe01` are one to the flanking rules).
_UNIT = re.compile(r"\\.|(`+).*?(?<!`)\1(?!`)|&#?[A-Za-z0-9]+;|.[\ufe00-\ufe0e]?", re.S)


def _punctuation(char: str) -> bool:
    """CommonMark's Unicode punctuation (categories P and S, 0.31), and a mark not yet
    written (it becomes `*`, `**` or `~~`)."""
    return char in MARKS or unicodedata.category(char)[0] in "PS"


# How far the character that decides a mark's flanking is looked for past the
# delimiters beside it: marks of three kinds nest at most three deep (`***~~`, five
# characters, and the three marks not yet written), so a line of a thousand marks
# costs each one this much, not the line.
_REACH = 16


def _delimiter(unit: str) -> bool:
    """A unit that is a mark, written (`*`, `~`: escape_prose escapes every one the
    text holds) or not yet (model.MARKS): it joins the delimiter run beside it."""
    return unit in MARKS or unit in ("*", "~")


def _as_written(text: str) -> str:
    """`text` with each mark not yet written (model.MARKS) as the `*` it becomes."""
    return "".join("*" if char in MARKS else char for char in text)


def _touched(units: Iterable[str], char: str) -> str:
    """The unit a run of `char` (`*` or `~`) written before `units` touches, as written:
    past the delimiters that join that run (`*` beside `**` is one run `***`, and
    EMPHASIS and STRONG become `*`), where a delimiter of the other kind (`~~` inside
    `**`) is punctuation beside it; "" when there is none."""
    joining = ("*", EMPHASIS, STRONG) if char == "*" else ("~", STRIKE)
    return _as_written(next((unit for unit in units if unit not in joining), ""))


def _strike_beside(text: str) -> bool:
    """Whether the delimiters at the start of `text` (written or not) hold a strike-through
    not yet written (model.STRIKE)."""
    for char in text:
        if not _delimiter(char):
            return False
        if char == STRIKE:
            return True
    return False


def _outside_before(out: list[str]) -> str:
    """The character before a mark's delimiter run, past the delimiters of marks beside
    it (CommonMark reads `**a***"b"*` as one run `***` after `a`), and the one before
    that (a variation selector's character decides: load/cjk_emphasis.py), " " at the
    line's start. `out` is the line written so far, in pieces."""
    tail = _behind(out)
    while tail and _delimiter(tail[-1]):
        slashes = len(tail[:-1]) - len(tail[:-1].rstrip("\\"))
        if tail[-1] in "*~" and slashes % 2:
            break   # `\*`: an asterisk of the text, punctuation
        tail = tail[:-1]
    return tail[-2:] or " "


def _outside_after(after: str, parts: list[str], n: int) -> str:
    """The character after a mark's delimiter run, past the delimiters of marks beside
    it (a `*` there is written: the text's own are escaped), " " at the line's end.
    `parts[n:]` is the line after `after`, split at the marks of this kind."""
    return next((c for c in _ahead(after, parts, n) if not _delimiter(c)), " ")


def _behind(out: list[str]) -> str:
    """The last `_REACH` characters or more of the line written so far, `out` in pieces
    (the line is not joined: a line of many marks would cost each one its length)."""
    tail, pieces = "", reversed(out)
    while len(tail) < _REACH and (piece := next(pieces, None)) is not None:
        tail = piece[-_REACH:] + tail
    return tail


def _ahead(after: str, parts: list[str], n: int) -> str:
    """The first `_REACH` characters or more of the line after a mark: `after`, then
    `parts[n + 1:]` (the line split at the marks of its kind)."""
    ahead = after[:_REACH]
    while len(ahead) < _REACH and n + 1 < len(parts):
        n += 1
        ahead += parts[n][:_REACH]
    return ahead


def _flanking(before: str, core: str, after: str, char: str,
              outer: tuple[bool, bool] = (False, False)) -> tuple[str, str, str]:
    """(what goes before the mark, what stays inside it, what goes after it) for `core`,
    the written text of a mark, between `before` (what stands before it: its last
    character, or two when that is a variation selector) and the character `after`. A
    delimiter run between a letter outside and punctuation inside is no emphasis
    (CommonMark 6.2, left- and right-flanking: `x*\\"a\\"*b`, `**Note:**text` show their
    asterisks): the punctuation next to the letter goes outside the mark, the words
    stay marked (`x\\"*a*\\"b`). Flanking is the parser's own, with its CJK-friendly
    amendment (load/cjk_emphasis.py): `は**「重要」**です` is emphasis as written, so
    nothing moves there, and the story reads back as it was exported. `char` is the
    mark's delimiter (`*` or `~`): a mark of the other kind at its edge is what its run
    touches (`Go**~~「x」~~**を`: `**` between `o` and `~` flanks nothing, so the
    brackets go out, `Go「**~~x~~**」を`). `outer`: whether a mark of the other kind, not
    yet written, stands right before and right after this one (its run will touch this
    one's delimiters, and this one's edge is read as such a delimiter)."""
    # (a run that flanks with a delimiter at its edge flanks with what is past it too)
    first_touched = "*" if outer[0] else _as_written(core[:1])
    last_touched = "*" if outer[1] else _as_written(core[-2:])
    if left_flanking(before, first_touched) and right_flanking(last_touched, after):
        return "", core, ""
    units = [m.group() for m in _UNIT.finditer(core)]
    # the punctuation goes out past the delimiters of marks inside this one (`x<em><strong>
    # "a"</strong></em>`): they are one run with this mark's
    first = next((k for k, unit in enumerate(units) if not _delimiter(unit)), None)
    moved = units.pop(first) if first is not None and _punctuation(units[first][0]) \
        and not left_flanking(before, "*" if outer[0] else _touched(units, char)) else ""
    last = next((k for k in range(len(units) - 1, -1, -1) if not _delimiter(units[k])), None)
    back = units.pop(last) if last is not None and _punctuation(units[last][0]) \
        and not right_flanking("*" if outer[1] else _touched(reversed(units), char), after) else ""
    core = "".join(units)
    stripped = core.strip()   # white space now at the mark's edge goes out with it
    if not stripped:   # only white space left (`<s>. :</s>`): out once, not once each side
        return moved + core, "", back
    return moved + core[:len(core) - len(core.lstrip())], stripped, core[len(core.rstrip()):] + back


def attribute_source(node: Node | tuple[Effect, ...]) -> str | None:
    """The canonical text of a condition or effects, text values in single quotes;
    None when it cannot sit inside a choice attribute (a `"`, `{` or `}` in a text)."""
    text = to_source(node)
    if '"' not in text:   # no text value: nothing to requote
        return None if any(c in text for c in "{}\n") else text
    lexer, parts, last = Lexer(text), [], 0
    while (token := lexer.next()).kind != "eof":
        if token.kind == "string":
            value = str(token.value)
            parts += [text[last:token.offset], "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"]
            last = token.end
    parts.append(text[last:])
    result = "".join(parts)
    return None if any(c in result for c in '"{}\n') else result


# What to do about a choice kept because check would refuse its condition (`refusal`).
REFUSED_HINT = ("Write the condition shorter or in parts (group a long `and`/`or` chain in parentheses, "
                "`(a and b) and (c and d)`, or test a variable set earlier), then import again, or write the "
                "choice by hand (docs/importing.md) and delete the `imported` block.")


def refusal(node: Expr | tuple[Effect, ...]) -> str | None:
    """Why `foundry check` would refuse `node`, a translated condition or a choice's
    changes of state, as written in a choice's attribute (`attribute_source`), or None
    when it reads it: check's own reader (expr.parse_expression, parse_effects, with
    their limits of length and of depth) is run on that very text, so that a story the
    import calls clean is one check calls clean. The reason completes "its condition
    would be …"; the importers keep such a choice as written (HF1003)."""
    return text_refusal(attribute_source(node), isinstance(node, tuple))


def text_refusal(text: str | None, effects: bool) -> str | None:
    """`refusal` of `text`, the attribute text of a condition or (`effects`) of changes
    of state (None: one that cannot be written), for a caller that joins texts it wrote
    once (`"; "` between effects, each effect's text its own)."""
    if text is None:
        return "impossible to write in a choice attribute (a text holding '\"', '{' or '}')"
    try:
        parse_effects(text) if effects else parse_expression(text)
    except ExprError as err:
        if len(text) > MAX_SOURCE_LENGTH:
            return too_long(len(text))
        if "deep" in err.message:   # the parser's depth: an operator chain or nesting past expr.MAX_DEPTH
            return (f"too deeply nested for Foundry's expression language, with too many operators each working "
                    f"on the result of the one before ({err.message})")
        return f"refused by Foundry's expression language ({err.message})"
    return None


def too_long(length: int) -> str:
    """`refusal`'s reason for an attribute text of `length` characters, past what check
    reads (for a caller that knows the length of a text it need not write out)."""
    return (f"{length:,} characters long, more than the {MAX_SOURCE_LENGTH:,} Foundry's expression "
            "language reads in one expression")


def yaml_value(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)   # a JSON string is a YAML double-quoted scalar


def yaml_key(name: str) -> str:
    return json.dumps(name) if name in YAML_WORDS else name


def written_title(title: str) -> str:
    """A story's name (plain text in Twine and ink) as its front matter's `title:`:
    escaped, so a story named 'Odd *Passages*' keeps its asterisks (the title is inline
    Markdown here), and at most TITLE_LIMIT characters as written, escapes counted (the
    limit `foundry check` holds it to): a longer one is cut at a whole character and
    ends in `…` (the import says so, HF1010). '' for a name with no text."""
    text = clean_line(title)
    written = escape_prose(text)
    if len(written) <= TITLE_LIMIT:
        return written
    keep = TITLE_LIMIT - 1
    while len(written := escape_prose(text[:keep].rstrip())) > TITLE_LIMIT - 1:
        keep -= 1
    return written + "…"


def story_text(story: ImportedStory, source_name: str, dropped: list[str] | None = None) -> str:
    """The whole story file, holding no character `foundry check` refuses where it
    stands (`visible`); each character left out so is added to `dropped`."""
    # the file's name is plain text too (`my *cave*.twee`, a newline on Linux)
    summary = f"Imported from {escape_prose(clean_line(source_name))} ({story.origin}) by foundry import."
    dropped = dropped if dropped is not None else []
    head = ["---", f"title: {yaml_value(written_title(story.title) or 'Imported story')}", "status: draft",
            f"summary: {yaml_value(summary)}", f"start: {story.start}"]
    if story.protagonist:
        head.append(f"protagonist: {story.protagonist}")
    if story.variables:
        head.append("variables:")
        # a text value is written escaped (JSON's `\u0000`, `\r`), so `visible` below
        # never sees its characters: a NUL or lone CR an escape spelled (`"\0"`, `"\r"`
        # in SugarCube) was written, and check refused the story (HF0131)
        head += [f"  {yaml_key(name)}: {yaml_value(visible(value, dropped, text=True) if isinstance(value, str) else value)}"
                 for name, value in story.variables]
    head.append("---")
    parts = ["\n".join(head)]
    used = FreeSlugs(_ids_written(story))   # choice ids are keyed in the whole story: numbered ones too
    parts += [scene_text(scene, used) for scene in story.scenes]
    return visible("\n\n".join(parts) + "\n", dropped)


def visible(markdown: str, dropped: list[str], text: bool = False) -> str:
    """`markdown` (a story file) without the characters `foundry check` refuses on the
    line they stand on (load/hygiene.py: a control character, a bidi override, an RLM
    in a line with no right-to-left letter, a ZWSP away from Thai…; in a heading or
    the `title:`, every invisible one), each added to `dropped`. Twine and ink hold
    them as any text; written as they were, the story the import said it wrote was
    refused by check (HF0131, HF0132). Cheap for a file that holds none (one search).
    `text`: `markdown` is one text value (a story variable's), prose throughout: no line
    of it is a heading or the `title:`."""
    if "&" not in markdown and _suspect(True, markdown.isascii()).search(markdown) is None:
        return markdown
    lines = markdown.split("\n")
    # the body after the front matter: a character reference in its code blocks (the
    # `imported` block keeping the source) is the characters typed, kept so, as check
    # reads it (hygiene.check_body); written `&amp;…` the kept source no longer was the source
    head = lines.index("---", 1) + 1 if lines[:1] == ["---"] and "---" in lines[1:] else 0
    code: frozenset[int] | None = None

    def judged(line: str, n: int, name: bool) -> list[tuple[int, int, str, bool]]:
        nonlocal code
        found = every_problem(line, name)
        if n >= head and any(reference for *_, reference in found):
            code = code_lines("\n".join(lines[head:])) if code is None else code   # (once a story)
            if n - head in code:
                return [problem for problem in found if not problem[3]]
        return found

    for n, line in enumerate(lines):
        # CR LF: as check reads it; a CR ending the text is no line end (a text value's
        # last line: `"a\r"` kept its CR, which check refused, HF0131)
        line, cr = (line[:-1], "\r") if line.endswith("\r") and n < len(lines) - 1 else (line, "")
        name = not text and (line.startswith("#") or line.startswith("title: "))
        found = judged(line, n, name)
        while found:   # a character left out may change what its neighbours may be
            # the line made again once per pass, not once per finding: a line of 80,000
            # `&#x202E;` copied itself 80,000 times (seconds, quadratic in its length)
            pieces, at = [], 0
            for start, end, ch, reference in found:
                pieces.append(line[at:start])
                if reference:   # `&#x202E;` outside code (a heading's): its text, not the character
                    pieces.append("&amp;" + line[start + 1:end])
                else:
                    dropped.append(ch)
                at = end
            pieces.append(line[at:])
            line = "".join(pieces)
            found = judged(line, n, name)
        lines[n] = line + cr
    return "\n".join(lines)


def scene_text(scene: ImportedScene, used: FreeSlugs) -> str:
    """The scene's heading, prose, kept source and choices; `used`: the story's choice
    ids so far (_choice_lines adds the ones it makes)."""
    # a passage's or knot's name is plain text, as a choice's is: escaped so the heading
    # shows it as it was named (`Hall *one*` in italics, `## Heading` as a second heading…)
    title = marked(clean_line(scene.title, marks=True)).strip() or scene.id
    marks = f"#{scene.id}" + (" .ending" if scene.ending else "")
    blocks = [f"## {title} {{{marks}}}"]
    blocks += [marked(line) for line in (clean_line(l, marks=True) for l in scene.lines)
               if without_marks(line).strip()]
    if scene.kept:
        blocks.append(_kept_block(scene.kept))
    if scene.choices:
        blocks.append("\n".join(_choice_lines(scene, used)))
    return "\n\n".join(blocks)


def _kept_block(kept: tuple[Kept, ...]) -> str:
    # The source by its file name, as the summary names it: the path the user typed
    # (`~/Downloads/…`, a temporary folder) would put their folders into the repository,
    # and make the same story imported from two places two different files.
    # Each piece once: a condition not translated is kept by every choice under it (an
    # `<<elseif>>` chain's earlier conditions, by each later branch's), said once already.
    body = "\n".join(f"{replace(k.where, path=PurePath(k.where.path).name)}: {k.text}" for k in dict.fromkeys(kept))
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", body)), default=0))
    return f"{fence}{IMPORTED_BLOCK}\n{body}\n{fence}"


def _given(scene: ImportedScene) -> list[str | None]:
    """The ids the source gave the scene's choices (our ink export's `# choice: pay`),
    each once and only when it is one: None for the others."""
    given: list[str | None] = []
    seen: set[str] = set()   # a set beside the list: a scene of 20,000 choices asked the list 20,000 times
    for choice in scene.choices:
        ok = choice.id and is_id(choice.id) and choice.id not in seen
        given.append(choice.id if ok else None)
        seen.add(choice.id)
    return given


def _ids_written(story: ImportedStory) -> set[str]:
    """Every choice id the story's file will hold before any is numbered: the ids the
    source gave, and each scene's default `<scene>--<target>`."""
    return {cid for scene in story.scenes for cid in _given(scene) if cid} | \
        {f"{scene.id}--{choice.target}" for scene in story.scenes for choice in scene.choices}


def _choice_lines(scene: ImportedScene, used: FreeSlugs) -> list[str]:
    """A second choice to the same scene needs an id of its own: `<scene>-<target>-2`,
    `-3`… (a slug; the first keeps the default `scene--target`). The scene is in it
    because a choice's line id (`story.<id>.choice.<choice id>`, what its translation is
    keyed on) is unique in the story only if the id is: `<target>-2` in two scenes was
    HF1102 twice over as soon as the project had languages or required line ids. So is
    `used`, the story's ids, which the number skips: the id was numbered against its
    scene's alone, and scene `a` to `b-c` and scene `a-b` to `c` were both told
    `a-b-c-2` (HF1102 again); it is at most 64 characters, cut at a hyphen (ids.free_slug),
    where two long names made one of 120."""
    given = _given(scene)
    lines, targets = [], set()
    for choice, cid in zip(scene.choices, given):
        if cid is not None:
            pass
        elif choice.target in targets:
            cid = used.take(f"{scene.id}-{choice.target}")
        else:
            targets.add(choice.target)      # its id is the default `<scene>--<target>`
        lines.append(choice_line(choice, cid))
    return lines


def choice_line(choice: ImportedChoice, choice_id: str | None) -> str:
    """`- [Text](#target){if="…" do="…" id="…"}`; the importer has already made sure the
    condition and effects can be written (see attribute_source)."""
    attrs = []
    if choice.condition is not None:
        attrs.append(f'if="{attribute_source(choice.condition)}"')
    if choice.effects:
        attrs.append(f'do="{attribute_source(choice.effects)}"')
    if choice_id:
        attrs.append(f'id="{choice_id}"')
    text = marked(clean_line(choice.text, marks=True)).strip() or escape_prose(choice.target)
    return f"- [{text}](#{choice.target})" + ("{" + " ".join(attrs) + "}" if attrs else "")


def writable(node: Expr | tuple[Effect, ...] | None) -> bool:
    return node is None or node == () or attribute_source(node) is not None
