"""Reading a Twine story file: Twine 2 HTML (archive or published) or Twee 3.

HTML is parsed with lxml's HTML parser (never regular expressions): Twine 2 keeps a
story in `<tw-storydata name startnode format format-version ifid>` holding
`<tw-passagedata pid name tags>` elements whose text is the passage source, HTML-escaped
(https://github.com/iftechfoundation/twine-specs, twine-2-htmloutput-spec.md).
Twee 3 (twee-3-specification.md in the same repository) is plain text: `:: Name [tags]
{metadata}` headers, `StoryTitle` and `StoryData` (JSON) passages, and `\\` escapes for
`[ ] { } \\` in names.

Positions: a Twee passage's text starts on the line after its header, so every
construct gets its exact line and column. In HTML, lxml gives the line of each
`<tw-passagedata>` tag; the column of text on that first line counts from the end of
the opening tag, and an offset in a passage's text is placed where the file writes it
(`source_offsets`: `&lt;` is four columns, not one).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ..diagnostics import Diagnostics, Span, clip, did_you_mean

@dataclass(frozen=True)
class Passage:
    name: str
    tags: tuple[str, ...]
    text: str
    line: int          # where the text's first character is in the source file
    column: int
    pid: str = ""
    header: int = 0    # the line naming the passage (`:: Name`, `<tw-passagedata>`): where it is said to be
    # and the column there: a published story is one line, every passage on it (each was
    # said at column 1 of that line: its tags, a second of its name, no link reaching it)
    header_column: int = 1
    # HTML: the text as the file writes it (`&lt;&lt;print $x&gt;&gt;`), and where its
    # offsets part from the text's (source_offsets): "" and () for Twee
    raw: str = ""
    shifts: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())


# What the file writes for one character of a passage's text: an HTML character reference
# (as html.unescape reads them: `&lt;`, `&#60;`, `&amp` without its `;`), or a CR LF
_WRITTEN = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)|\r\n?")


def source_offsets(text: str, raw: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(offsets in `text`, the passage's text, from which on its offsets in `raw`, the
    same text as the file writes it, are greater by the matching number of the second):
    Twine writes `<<print $x>>` as `&lt;&lt;print $x&gt;&gt;`, and a construct after it
    on its line was said 6 columns left of where it is. ((), ()) when `raw` does not
    read as `text` (then offsets are taken as they are)."""
    at: list[int] = []
    more: list[int] = []
    pieces: list[str] = []
    last = decoded = total = 0
    for m in _WRITTEN.finditer(raw):
        shown = "\n" if m.group()[0] == "\r" else html.unescape(m.group())
        pieces += [raw[last:m.start()], shown]
        decoded += m.start() - last + len(shown)
        if len(m.group()) != len(shown):
            total += len(m.group()) - len(shown)
            at.append(decoded)
            more.append(total)
        last = m.end()
    pieces.append(raw[last:])
    return (tuple(at), tuple(more)) if "".join(pieces) == text else ((), ())


@dataclass(frozen=True)
class TwineStory:
    title: str
    format: str        # "" when the file names none
    format_version: str
    start: str         # the start passage's name ("" when unknown)
    passages: tuple[Passage, ...]
    scripts: tuple[tuple[str, Span], ...]     # story JavaScript and stylesheets, not imported
    kind: str          # "Twine 2 HTML" or "Twee 3"
    start_at: tuple[int, int] = (1, 1)        # where the file names its start (line, column)
    start_said: bool = False                  # a start the file names and no passage has: reported
    format_at: tuple[int, int] = (1, 1)       # where the file names its story format
    title_at: tuple[int, int] = (1, 1)        # where the file names the story (StoryTitle, `name=`)


def twine1_archive(data: bytes) -> bool:
    """Whether the bytes are a Twine 1 story file (`.tws`): a Python 2 pickle of the
    story panel whose passages are `tiddlywiki.Tiddler` objects (twine-specs,
    twine-1-twsoutput.md). Protocol 0 is ASCII text, protocol 2 binary; either starts
    with a pickle opcode (`(` MARK, `}` EMPTY_DICT, `\\x80` PROTO) and names both."""
    return data[:1] in (b"(", b"}", b"\x80") and b"storyPanel" in data and b"tiddlywiki" in data


TWINE1_ARCHIVE_HINT = ("Twine 2 cannot open it either: in Twine 1, choose File → Export → Twee Source Code, "
                       "and import that file (read as Twee).")


def read_twine(text: str, path: str, diags: Diagnostics, name: str | None = None) -> TwineStory | None:
    """Either kind of file; None (with HF1001) when it is neither. `name`: the story of
    a Twine 2 archive (Library → Archive holds every story) to read, else the first."""
    if "<tw-storydata" in text.lower():
        return read_html(text, path, diags, name)
    if re.search(r"^::", text, re.M):
        if name is not None:
            diags.add("HF1001", f"--story names a story of a Twine 2 archive; {path} is a Twee file, which holds "
                      "one story", Span(path), hint="Leave --story out.")
            return None
        return read_twee(text, path, diags)
    hint = None
    if "<tiddler" in text.lower() or "tiddler=" in text.lower():
        # Twine 2 cannot import Twine 1 files ("no stories could be found in this file":
        # twinejs issue 66, open since 2014); tweego and Twine 1 itself can make Twee of one
        hint = ("This looks like a Twine 1 story, which Twine 2 cannot import: make Twee of it "
                "(`tweego -d STORY.html -o STORY.twee`, or in Twine 1 File → Import → Compiled HTML File, "
                "then File → Export → Twee Source Code) and import that file.")
    diags.add("HF1001", f"{path} is neither Twine 2 HTML (no <tw-storydata> element) nor Twee 3 "
              "(no `:: Passage` header)", Span(path), hint=hint)
    return None


def read_html(text: str, path: str, diags: Diagnostics, name: str | None = None) -> TwineStory | None:
    parser = lxml.html.HTMLParser(recover=True, huge_tree=True, no_network=True, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as err:
        diags.add("HF1001", f"{path} is not readable HTML: {clip(str(err), 80)}", Span(path))
        return None
    deep = next((e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT), None)
    if deep is not None:
        # libxml2 reads no further than where elements nest past its limit (2,048 with
        # huge_tree): every passage after it was left out of the tree, unsaid
        diags.add("HF1001", f"{path} nests HTML elements more than 2,048 deep, and nothing after that "
                  "is read: a story Twine writes never does", Span(path, max(deep.line, 1), max(deep.column, 1)),
                  hint="Open the file in Twine 2 (Library → Import), then publish or archive it again.")
        return None
    stories = list(root.iter("tw-storydata"))
    if not stories:
        diags.add("HF1001", f"{path} has no <tw-storydata> element", Span(path))
        return None
    names = ", ".join(f"'{clip(s.get('name', ''), 40)}'" for s in stories[:10]) + (", …" * (len(stories) > 10))
    if name is not None:
        named = [s for s in stories if s.get("name", "") == name] or \
            [s for s in stories if s.get("ifid", "").strip().upper() == name.strip().upper() != ""]
        story = named[0] if named else None
        if len(named) > 1:
            # Twine's library keeps one story a name, a hand-joined archive may not: the
            # others were left out unsaid, with no way to reach them
            other = named[1]
            diags.add("HF1003", f"{len(named):,} stories of {path} are named '{clip(name, 40)}'; only the first, "
                      f"at line {story.sourceline or 0}, is imported", Span(path, other.sourceline or 0, 1),
                      hint=f"Import another with `--story IFID`: this one's IFID is "
                      f"'{clip(other.get('ifid', ''), 40)}'." if other.get("ifid", "").strip() else
                      "Give the others names of their own (Twine's library: Rename) and archive the library again.")
        if story is None:
            diags.add("HF1001", f"{path} holds no story named '{clip(name, 40)}'; its "
                      f"{'stories are' if len(stories) > 1 else 'story is'} {names}", Span(path),
                      hint="Give --story a name as Twine's library shows it (case and spaces count).")
            return None
    else:
        story = stories[0]
        if len(stories) > 1:
            # a Twine 2 archive (Library → Archive) holds every story of the library
            diags.add("HF1003", f"the file holds {len(stories):,} stories ({names}); only the first, "
                      f"'{clip(story.get('name', ''), 40)}', is imported", Span(path, story.sourceline or 0, 1),
                      hint="Import each other one with `--story NAME` (its name in Twine's library), under an "
                      "id of its own.")
    passages, start = [], ""
    startnode = story.get("startnode", "")
    written = _Written(text)
    for element in story.iter("tw-passagedata"):
        line = element.sourceline or 0
        body, column, raw = written.read(element)
        passage = Passage(element.get("name", ""), tuple(element.get("tags", "").split()), body,
                          line, column, element.get("pid", ""), line, written.opened_at, raw,
                          source_offsets(body, raw) if raw else ((), ()))
        passages.append(passage)
        if passage.pid and passage.pid == startnode:
            start = passage.name
    scripts = tuple((el.text, Span(path, el.sourceline or 0, 1)) for el in story
                    if el.tag in ("script", "style") and (el.text or "").strip())
    at = (story.sourceline or 1, 1)
    if not start and passages:
        # Twine starts at the passage `startnode` names: one it names that is not there
        # is said, with the passage used instead
        named = f"startnode '{clip(startnode, 20)}' names no passage" if startnode else "it names no startnode"
        diags.add("HF0168", f"<tw-storydata> {named}; the story starts at its first passage "
                  f"'{clip(passages[0].name, 40)}'", Span(path, *at),
                  hint="Set the start passage in Twine (Story → Details, or the passage's rocket icon) and export again.")
    return TwineStory(story.get("name", ""), story.get("format", ""), story.get("format-version", ""),
                      start, tuple(passages), scripts, "Twine 2 HTML", at, start_said=not start, format_at=at,
                      title_at=at)


class _Written:
    """Each passage's text and the column it starts at, as the file writes them.

    The column: just after the passage's own `<tw-passagedata …>` tag. A published
    story is one line of HTML: every passage was given the column of the first one on
    the line, found by lowering and searching the whole line again for each passage
    (20,000 passages on a 1 MB line: over two minutes). The tags are found once each
    now, in document order, each search going on from the last one's end.

    The text: Twine escapes it (`&lt;&lt;set …&gt;&gt;`); a file edited by hand or made
    by another tool may not, and lxml then reads `<<set $gold to 5>>[[Go|B]]` as an
    element `<set>`: the element's `.text`, all that was taken, is what comes before
    the first such tag, and the rest of the passage (its macros, links and prose) was
    dropped without a word. Such a passage is read from the source, from its tag to
    `</tw-passagedata`, unescaped."""

    def __init__(self, text: str) -> None:
        self.source = text
        self._lower = text.lower()
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._after = 0   # where the last passage's tag ended: the next one is after it
        self.opened_at = 1   # the 1-based column of the last passage's `<tw-passagedata` on its line

    def read(self, element) -> tuple[str, int, str]:
        """(`element`'s passage text, the 1-based column of its first character on the
        tag's line, the text as the file writes it or "" when not found); called for each
        passage in document order. Column 1 when the tag is not on the line lxml says (a
        file of lone carriage returns)."""
        line = element.sourceline or 0
        body = column = 0
        self.opened_at = 1
        if 0 < line <= len(self._starts):
            line_start = self._starts[line - 1]
            line_end = self._starts[line] if line < len(self._starts) else len(self.source)
            opened = self._lower.find("<tw-passagedata", max(line_start, self._after))
            if 0 <= opened < line_end:
                self.opened_at = opened - line_start + 1
                body = self.source.find(">", opened) + 1
                self._after = body or opened + 1
                column = body - line_start + 1 if 0 < body <= line_end else 0
        end = self._lower.find("</tw-passagedata", body) if body else -1
        raw = self.source[body:end] if end >= 0 and column else ""
        if len(element) == 0:   # as Twine writes it: one text, no elements
            return element.text or "", column or 1, raw
        if end >= 0:
            return html.unescape(self.source[body:end]), column or 1, raw
        return element.text_content(), column or 1, ""   # its text, as a browser shows it


_HEADER = re.compile(r"^::(.*)$")
# Twee2's map position after a passage's name (`:: Start <300,200>`; Twee 3 writes it as
# metadata, `{"position":"300,200"}`): read as the end of the name, every link to the
# passage was broken (HF1004) with nothing saying why. Left out, as Twee2 and tweego's
# --twee2-compat read it, and said.
_TWEE2_POSITION = re.compile(r"\s*<\s*-?\d+(?:\.\d+)?\s*,\s*-?\d+(?:\.\d+)?\s*>$")


def read_twee(text: str, path: str, diags: Diagnostics) -> TwineStory:
    raw: list[tuple[str, tuple[str, ...], int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            name, tags = _header(header.group(1))
            # read in the header as written: `:: Odd \<1,2\>` escapes it into the name
            position = _TWEE2_POSITION.search(header.group(1)) if tags == () else None
            if position and _header(header.group(1)[:position.start()])[0]:
                name = _header(header.group(1)[:position.start()])[0]
                diags.add("HF0168", f"'{clip(position.group().strip(), 40)}' after passage '{clip(name, 40)}' is a "
                          "Twee2 map position, not part of its name; left out, as Twee2 and tweego --twee2-compat "
                          "read it", Span(path, number, 2 + len(header.group(1)) - len(position.group().lstrip()) + 1),
                          hint="Twee 3 writes a passage's position as metadata: `:: Start {\"position\":\"300,200\"}`.")
            bracket = header.group(1).rfind("[")   # the tag list follows any escaped `\\[` of the name
            if tags is None:
                # `:: Init [init`: no `]`, so no tags: the passage would be read as an
                # ordinary one (not `init`, `script`, `widget`) without a word
                diags.add("HF0168", f"the tags of passage '{clip(name, 40)}' have no closing `]`; they are not read",
                          Span(path, number, bracket + 3), hint="Close the tag list: `:: Name [tag tag]`.")
                tags = ()
            raw.append((name, tags, number + 1, []))
        elif raw:
            raw[-1][3].append(line[1:] if line.startswith("\\::") else line)
    passages, data, title, scripts, data_at, title_at = [], {}, "", [], None, (1, 1)
    seen: dict[str, int] = {}   # StoryTitle, StoryData → the line of the first
    for name, tags, line, body in raw:
        while body and not body[-1].strip():
            body.pop()
        content = "\n".join(body)
        if name in ("StoryTitle", "StoryData") and name in seen:
            # Twee 3 has one of each; the later was read over the earlier, unsaid
            diags.add("HF0168", f"a second {name} passage is not read; the one at line {seen[name]} is",
                      Span(path, line - 1, 1), hint=f"Keep one {name} passage: delete or merge the other.")
            continue
        seen.setdefault(name, line - 1)
        if name == "StoryTitle":
            title, title_at = content.strip(), (line, 1)
        elif name == "StoryData":
            data, data_at = _story_data(content, line, path, diags), (line, body)
        elif "script" in tags or "stylesheet" in tags:
            if content.strip():
                scripts.append((content, Span(path, line, 1)))
        else:
            passages.append(Passage(name, tags, content, line, 1, header=line - 1))
    named = str(data.get("start", ""))
    start = named or ("Start" if any(p.name == "Start" for p in passages) else "")
    at = _field_at(data_at, "start") if named else (data_at[0] - 1, 1) if data_at else (1, 1)
    said = False
    if passages and not any(p.name == start for p in passages):
        # the passage StoryData names (or tweego's default, `Start`) is not there
        what = f"StoryData's start '{clip(named, 40)}' names no passage" if named else \
            "no StoryData start and no passage named 'Start'"
        diags.add("HF0168", f"{what}; the story starts at its first passage '{clip(passages[0].name, 40)}'",
                  Span(path, *at), hint="Name the first passage in StoryData's \"start\", or call it `Start`.")
        said = True
    return TwineStory(title, str(data.get("format", "")), str(data.get("format-version", "")),
                      start, tuple(passages), tuple(scripts), "Twee 3", at, said,
                      _field_at(data_at, "format") if "format" in data else (1, 1), title_at)


# StoryData's fields (twee-3-specification.md) and the JSON type each holds.
_STORY_DATA = {"ifid": str, "format": str, "format-version": str, "start": str, "tag-colors": dict,
               "zoom": (int, float)}
_JSON_WORDS = {str: "text", dict: "an object", (int, float): "a number"}


def _story_data(content: str, line: int, path: str, diags: Diagnostics) -> dict:
    """StoryData's JSON object, with only the fields it may hold, each of its type;
    everything else is said (HF0168) and left out, with what is used instead: a
    story read as another format or from another start is never a silent guess."""
    instead = "the story is read as SugarCube (tweego's default) from the passage named `Start`"
    try:
        parsed = json.loads(content or "{}")
    except json.JSONDecodeError as err:
        diags.add("HF0168", f"StoryData is not JSON ({clip(err.msg, 60)}); {instead}",
                  Span(path, line + err.lineno - 1, err.colno),
                  hint='Write StoryData as one JSON object: {"ifid": "…", "format": "SugarCube", "start": "Start"}.')
        return {}
    except RecursionError:   # `[[[…]]]` nests past the recursion limit
        diags.add("HF0168", f"StoryData nests too deeply to read; {instead}", Span(path, line, 1),
                  hint='Write StoryData as one JSON object: {"ifid": "…", "format": "SugarCube", "start": "Start"}.')
        return {}
    if not isinstance(parsed, dict):
        diags.add("HF0168", f"StoryData is not a JSON object; {instead}", Span(path, line, 1),
                  hint='Write StoryData as one JSON object: {"ifid": "…", "format": "SugarCube", "start": "Start"}.')
        return {}
    kept = {}
    where = (line, content.split("\n"))
    for key, value in parsed.items():
        want = _STORY_DATA.get(key)
        if want is None:
            known = did_you_mean(key, _STORY_DATA)
            diags.add("HF0168", f"StoryData field '{clip(key, 40)}' is not a Twee 3 field; it is not read",
                      Span(path, *_field_at(where, key)),
                      hint=f"Did you mean '{known}'?" if known else "Known fields: " + ", ".join(_STORY_DATA) + ".")
        elif not isinstance(value, want) or isinstance(value, bool):
            diags.add("HF0168", f"StoryData field '{key}' should be {_JSON_WORDS[want]}; it is not read",
                      Span(path, *_field_at(where, key)), hint=f"Write \"{key}\" as {_JSON_WORDS[want]}.")
        else:
            kept[key] = value
    return kept


def _field_at(where: tuple[int, list[str]] | None, key: str) -> tuple[int, int]:
    """(line, column) of `"key"` in StoryData's text (its first line when not found)."""
    if where is None:
        return 1, 1
    line, body = where
    quoted = json.dumps(key)
    for n, text in enumerate(body):
        col = text.find(quoted)
        if col >= 0:
            return line + n, col + 1
    return line, 1


def _header(rest: str) -> tuple[str, tuple[str, ...] | None]:
    """`Name [tag tag] {"position":"1,1"}` → name, tags (None for a tag list with no
    closing `]`). Metadata is layout only."""
    name, i, tags = [], 0, ()
    while i < len(rest):
        char = rest[i]
        if char == "\\" and i + 1 < len(rest):
            name.append(rest[i + 1])
            i += 2
            continue
        if char in "[{":
            break
        name.append(char)
        i += 1
    tail = rest[i:]
    if tail.startswith("{"):
        # `Name {"position":"1,1"} [tag tag]`: not the specification's order, but Twine's
        # own Twee import and extwee read the tags after the metadata too (they were
        # dropped unsaid): the metadata's end is its brace matching the first
        tail = tail[_json_end(tail):].lstrip()
    if tail.startswith("["):
        close = tail.find("]")
        tags = tuple(tail[1:close].split()) if close > 0 else None
    return "".join(name).strip(), tags


def _json_end(text: str) -> int:
    """The index just past the JSON object `text` opens with (its `{` matched, braces in
    strings not counted), or len(text) when it is never closed."""
    depth, quoted, i = 0, False, 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)
