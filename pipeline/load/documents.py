"""Files → documents: data with positions, and for stories the Markdown body."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from ..diagnostics import Diagnostic, Diagnostics, Severity, Span, clip, code_span
from ..ids import LIST_PAGE, MAX_ID_LENGTH, SLUG_PATTERN, WINDOWS_DEVICE_NAMES, is_id, spell_id
from .editor_files import copy_of
from .files import FoundFile, SourceFile, read_text
from .places import KIND_DIRS, PAGED_KINDS, id_line, id_line_too, told_ids
from .hygiene import check_body, check_data, without_refused
from . import rowjson
from .markers import strip_line_ids
from .yaml import Positions, load_yaml, yaml_scalar

_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Document:
    """One content file, parsed but not yet validated."""

    kind: str
    id: str
    source: SourceFile
    data: dict[str, Any]
    positions: Positions
    body: str = ""          # a story's Markdown after the front matter
    body_line: int = 0      # 1-based line of the body's first line in the file
    # False for a story whose front matter could not be read (its problem is reported):
    # `data` is empty, and the body is still checked, so that one slip at the top of
    # the file hides none of the scenes' problems (stories/story.py `load_story`)
    front_read: bool = True

    @property
    def path(self) -> str:
        return self.source.path

    def memo_key(self) -> str:
        """A document is made from its file's bytes alone (pipeline/queries.py)."""
        return f"{self.kind}:{self.id}:{self.source.memo_key()}"

    @cached_property
    def value(self) -> str:
        """The digest of everything a render can read of this document but its file's
        bytes: kind, id, path, data, body and every position (a render's diagnostic
        stands at one; an output that shows a line id reads the bytes, load/byte_reads.py).
        The key of what the entity's outputs read (World.input_hashes): a comment, or
        any edit that changes none of these, leaves it as it was, and nothing that
        shows the entity is rendered again (early cutoff). Made from the document, so
        equal for equal bytes; the file's hash instead ("f:…", never a value's) when
        the data is not what a cache row holds (then only equal bytes are equal)."""
        try:
            head = orjson.dumps([self.kind, self.id, self.source.path, self.body_line, self.body,
                                 self.positions.to_text()])
            data = rowjson.dumps(self.data).encode()
        except (TypeError, ValueError):
            return "f:" + self.source.sha256
        return "v:" + hashlib.sha256(head + b"\n" + data).hexdigest()

    def derived(self, source: SourceFile, why: str) -> "Document":
        """This document as something made from it reads it (the release view's copy of
        a hero without her ties to drafts, resolve/governance.py): `source` in place of
        its file, and a value of its own, the digest of this one's and `why`, so that
        nothing rendered from the original is taken for the copy's (early cutoff keys
        outputs by the value, not the bytes)."""
        copy = dataclasses.replace(self, source=source)
        # cached_property keeps its answer in the instance's __dict__, which a frozen
        # dataclass leaves writable: the copy's value is set, not computed from its data
        copy.__dict__["value"] = "v:" + hashlib.sha256(f"{self.value}\0{why}".encode()).hexdigest()
        return copy

    def span(self, *loc: Any) -> Span:
        return self.positions.value(loc)

    def key_span(self, *loc: Any) -> Span:
        return self.positions.key(loc)


def load_document(found: FoundFile, diags: Diagnostics, cache: Any = None) -> Document | None:
    source = read_source(found, diags)
    return None if source is None else parse_document(found, source, diags, cache)


def read_source(found: FoundFile, diags: Diagnostics, sha256: str | None = None, cache: Any = None) -> SourceFile | None:
    """The first half of load_document: the file's text, if it can be an entity.
    `sha256`: the hash of the file's bytes as this build already took it by the
    file's stat (engine/sources.py, load/hash_memo.py); when `cache` holds the parse
    of exactly those bytes, the text is not read unless a stage asks for it
    (files.SourceFile.settled): those bytes were read, and passed every check below,
    when that parse was made (the parse key is the kind, id, path and hash)."""
    if found.id in WINDOWS_DEVICE_NAMES:
        # still loaded under its id (what names it finds it): only its name is refused
        diags.add("HF0161", f"the id '{found.id}' is a device name on Windows: a teammate there cannot check "
                  f"{found.rel} out, nor open its pages", Span(found.rel, 1, 1),
                  hint=_device_hint(found))
    if sha256 is not None and cache is not None and is_id(found.id) \
            and cache.has(known_parse_key(found, sha256, cache)):
        return SourceFile.settled(found.rel, sha256, found.path)
    source = read_text(found.path, found.rel, diags)
    if source is None:
        return None
    if not is_id(found.id):
        why = f" (an id has at most {MAX_ID_LENGTH} letters, digits and hyphens)" if len(found.id) > MAX_ID_LENGTH else ""
        # not an entity under that name, but what it holds is still checked: a bad name
        # never hides the file's own problems (its YAML, its hygiene)
        held = Diagnostics()
        doc = parse_document(found, source, held)
        free = _free_file_id(found)
        rename = f"rename it to '{free}{found.path.suffix}'{id_line_too(_declared(doc), free)}."
        # `aria (conflicted copy).yaml`, `aria - Copy.yaml`: renamed as told, the copy was
        # published beside its original, a second Aria. Only when that original is there:
        # `notes (1).md` named so on purpose, alone, was told to fold into a notes.md that
        # is not (a name beside it looked at, not followed nor read)
        of = copy_of(found.id)
        if of is not None and not os.path.lexists(found.path.parent / f"{of}{found.path.suffix}"):
            of = None
        diags.add("HF0113", f"file name '{clip(found.id, 40)}' is not a valid id{why}", Span(found.rel, 1, 1),
                  hint=f"If it is a copy of {clip(of, 40)}{found.path.suffix} (a sync tool or file manager names copies "
                       f"so), keep what you want of it in that file and delete the copy; if it is a {found.kind} of its "
                       f"own, {rename}" if of else rename[:1].upper() + rename[1:])
        diags.extend(held.items)
        return None
    return source


def parse_document(found: FoundFile, source: SourceFile, diags: Diagnostics, cache: Any = None) -> Document | None:
    """The second half of load_document: YAML (with positions) and text hygiene. It
    reads nothing but `source`, so it may run in a forked worker (load/workers.py).

    With a ParseCache, the whole result — the document and every problem found in it,
    warnings included, in the order found — is kept under the file's kind, id, path and
    text (parse_key): an unchanged file is neither parsed nor checked character by
    character again (the hygiene check was a third of a warm `foundry check`), and its
    problems are reported again from the cache exactly as first found."""
    if cache is None:
        return _parse_document(found, source, diags)
    key = parse_key(found, source, cache)
    hit = cache.get(key)
    if hit is not None:
        replayed = _from_cache(found, source, hit)
        if replayed is not None:
            doc, problems = replayed
            diags.extend(problems)
            return doc
    found_here = Diagnostics()
    doc = _parse_document(found, source, found_here)
    diags.extend(found_here.items)
    if not source.torn:   # a text read later that is not the hashed one is not kept under that hash
        cache.put(key, _to_cache(doc, found_here.items))
    return doc


def _parse_document(found: FoundFile, source: SourceFile, diags: Diagnostics) -> Document | None:
    if found.kind == "story":
        doc = _story_document(found, source, diags)
    else:
        doc = _yaml_document(found, source, strip_line_ids(source.text), 0, diags)
    if doc is not None:   # every text the build publishes passes here once (load/hygiene.py)
        check_data(doc.data, doc.positions, diags)
        check_body(doc.body, doc.body_line, doc.path, diags)
    return doc


def parse_key(found: FoundFile, source: SourceFile, cache: Any) -> str:
    """The cache key parse_document keeps a file's result under: everything the
    result depends on (the path is in every diagnostic's span; the id and kind decide
    HF0106 and how the text is split). The text counts by its sha256, which reading it
    computed already: hashing 10,000 texts again cost a warm check as much as the rows."""
    return _document_key(cache.key_of, found.kind, found.id, found.rel, source.sha256)


def known_parse_key(found: FoundFile, sha256: str, cache: Any) -> str | None:
    """The key `read_source` asks the cache for, given the file's hash as the build took
    it (None: it asks none, the file's name not being an id), so that a caller may
    look the rows of many files up together first (load/cache.py `prefetch`)."""
    return _document_key(cache.key_of, found.kind, found.id, found.rel, sha256) if is_id(found.id) else None


@functools.lru_cache(maxsize=65536)
def _document_key(key_of: Any, kind: str, eid: str, rel: str, sha256: str) -> str:
    # asked twice per file when many are parsed (load/workers.py decides which go to
    # the pool, then each is parsed or taken from the cache)
    return key_of("document", kind, eid, rel, sha256)


def _to_cache(doc: Document | None, problems: list[Diagnostic]) -> dict:
    """parse_document's result as JSON data: the document's values and positions
    (None when it did not load) and its problems, every field of each."""
    value = None if doc is None else {
        "data": doc.data, "body": doc.body, "body_line": doc.body_line,
        "positions": doc.positions.to_text()}   # one text, decoded only if a stage asks (load/yaml.py)
    if doc is not None and not doc.front_read:   # rare: only then a field for it
        value["front_unread"] = True
    if doc is not None and doc.positions.meant:   # rare (Positions.meant): only then a field for it
        value["meant"] = list(doc.positions.meant.items())
    return {"document": value, "problems": [[d.severity.value, d.code, d.message, d.span.path, d.span.line,
                                             d.span.column, d.span.end_column, d.hint] for d in problems]}


def _from_cache(found: FoundFile, source: SourceFile, hit: Any) -> tuple[Document | None, list[Diagnostic]] | None:
    """What _to_cache kept, or None when the row is not in its shape (a row from
    another version that the key did not tell apart is a miss, never a crash)."""
    try:
        problems = [Diagnostic(Severity(sev), code, message, Span(path, line, column, end), hint)
                    for sev, code, message, path, line, column, end, hint in hit["problems"]]
        value = hit["document"]
        if value is None:
            return None, problems
        if not isinstance(value["data"], dict) or not isinstance(value["body"], str) \
                or not isinstance(value["body_line"], int) or not isinstance(value["positions"], str):
            return None
        positions = Positions.stored(found.rel, value["positions"])
        positions.meant = {tuple(loc): meant for loc, meant in value.get("meant", ())}
        return Document(found.kind, found.id, source, value["data"], positions, value["body"], value["body_line"],
                        not value.get("front_unread", False)), problems
    except (KeyError, TypeError, ValueError):
        return None


def load_yaml_file(path: Path, rel: str, diags: Diagnostics) -> tuple[dict | None, Positions | None, SourceFile | None]:
    """A rule file or other YAML that is not an entity: data, positions and the
    file as read (its sha256, its lines to place a finding), or Nones."""
    source = read_text(path, rel, diags)
    if source is None:
        return None, None, None
    data, positions = load_yaml(source.text, rel, diags)
    if data is None:
        return None, None, None
    if not isinstance(data, dict):
        diags.add("HF0115", "the file must hold `key: value` pairs at its top level", Span(rel, 1, 1),
                  hint=not_a_mapping_hint(data, source.text))
        return None, None, None
    check_data(data, positions, diags)
    return data, positions, source


# `name = Rook`, as TOML (foundry.toml) and INI files pair a key with its value
_EQUALS_PAIR = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$", re.MULTILINE)


def not_a_mapping_hint(data: Any, text: str) -> str | None:
    """HF0115's hint for a YAML file whose top level read as `data`, no mapping: its
    first `key = value` line written with `: ` (TOML's habit: the whole file read as
    one line of text), a list's `- ` to remove; else None (the code's own)."""
    pair = _EQUALS_PAIR.search(text) if isinstance(data, str) else None
    if pair:
        value = pair.group("value")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            # TOML's quotes: YAML needs none for words, and its own for a `: ` or ` #`
            # (`name: Rook # the Grey` reads 'Rook', the rest a comment)
            value = yaml_scalar(value[1:-1])
        return (f"Write {code_span(clip(pair.group('key') + ': ' + value, 60))}, and so each line: YAML pairs a key "
                "with its value by a colon and a space; `=` is TOML's, as foundry.toml writes it.")
    if isinstance(data, list):
        return ("Remove the `- ` before the keys (and the indentation it gave the lines below): a file holds one "
                "mapping of `key: value` lines, not a list.")
    return None


def _yaml_document(found: FoundFile, source: SourceFile, text: str, line_offset: int,
                   diags: Diagnostics, body: str = "", body_line: int = 0) -> Document | None:
    errors_before = len(diags.errors)
    data, positions = load_yaml(text, found.rel, diags, line_offset)
    if data is None and len(diags.errors) > errors_before:
        return None  # unreadable YAML, already reported
    if data is None and found.kind != "story":  # only comments or blank lines
        diags.add("HF0104", "the file holds no data, only comments or blank lines", Span(found.rel, 1, 1))
        return None
    if data is None:  # empty front matter: validation names the required fields
        data = {}
    if not isinstance(data, dict):
        diags.add("HF0115", "the file must hold `key: value` pairs at its top level", positions.value(()),
                  hint=not_a_mapping_hint(data, text))
        return None
    # a file whose name is no id (`Fog.md` holding `id: fog`) is HF0113 alone, whose hint
    # renames its `id:` line too: "id 'fog' does not match the file name 'Fog'" was a
    # second error for the one slip
    if is_id(found.id) and unmatched_id(data, found.id, text, positions, line_offset):
        declared = data["id"]
        shown = f"'{clip(declared, 40)}'" if isinstance(declared, str) else _NOT_TEXT.get(type(declared), "")
        if not shown:   # a number or true/false: as written (`0x1f`, not 31; `true`, not True)
            shown = f"'{clip(written_id(text, positions, line_offset) or str(declared), 40)}'"
        diags.add("HF0106", f"id {shown} does not match the file name '{found.id}'",
                  positions.value(("id",)), hint=_unmatched_id_hint(found.kind, declared))
    return Document(found.kind, found.id, source, data, positions, body, body_line)


# What an `id:` that YAML reads as no text holds, in HF0106's words (a number or a truth
# value is shown as written instead).
_NOT_TEXT = {list: "(a list)", dict: "(a mapping)"}
# A plain scalar YAML reads as a number or true/false, as written: no spaces, commas or brackets.
_PLAIN_TOKEN = re.compile(r"[^\s,\]}#]+")


def _declared(doc: "Document | None") -> Any:
    """The `id:` `doc` holds, None without one."""
    return doc.data.get("id") if doc is not None and isinstance(doc.data, dict) else None


def unmatched_id(data: Any, file_id: str, text: str, positions: Positions, line_offset: int = 0) -> bool:
    """Whether the `id:` of a document's `data` names another id than its file's,
    `file_id` (HF0106, said by the loader). An id written as the file's that YAML reads
    as a number or true/false (`id: 5` in 5.yaml, `id: true` in true.yaml) is the
    file's: its one slip is that it is no text (HF0201, "put it in quotes"), not also
    "id '5' does not match the file name '5'". Written as the file's, not only of its
    value (written_id: `text`, from line `line_offset` + 1, where `positions` were
    read): `id: 0x1f` in 31.yaml, `id: True` in true.yaml, quoted as HF0201 told, were
    HF0106 next. Validation reads an unmatched id as the
    file's (validate/documents.py `validate_document`), so one slip is one error:
    `id: Index` was HF0106 and HF0204, whose hint 'Write it as `index`' named the id
    HF0106 says no file can have; `id: [a, b]` was told to put it in quotes too."""
    declared = data.get("id") if isinstance(data, dict) else None
    if declared is None or declared == file_id:
        return False
    if isinstance(declared, str):   # the file's with a mark in it (`fog\u200b`) is HF0132 alone
        return without_refused(declared) != file_id
    if isinstance(declared, (list, dict)):
        return True
    return written_id(text, positions, line_offset) != file_id


def written_id(text: str, positions: Positions, line_offset: int = 0) -> str:
    """The plain `id:` value (a number, true/false) as written in `text`, the file's
    text from its line `line_offset` + 1 (a story's front matter: 1), at the place
    `positions` give it; "" when it is not on that line as a plain token."""
    where = positions.value(("id",))
    lines = text.split("\n")
    index = where.line - 1 - line_offset
    token = _PLAIN_TOKEN.match(lines[index], max(where.column - 1, 0)) if 0 <= index < len(lines) else None
    return token.group(0) if token else ""


def _unmatched_id_hint(kind: str, declared: object) -> str | None:
    """HF0106's hint when the `id:` written is one no file of `kind` can be named: 'or
    rename the file' led `id: index` in rook.yaml to index.yaml, the heroes' index page
    (HF0720), and `id: con` to a device name (HF0161); `id: [a, b]` to no name at all,
    and `id: 7` to 7.yaml, where YAML reads it as a number still (HF0201). Read from the
    id alone (the document is kept by its bytes): None, the registry's hint, for any other."""
    if not isinstance(declared, str):
        what = {list: "a list", dict: "a mapping", bool: "true or false"}.get(type(declared), "a number")
        return f"The id is the file name, and `id:` holds {what}, not text: remove the `id:` line."
    if not is_id(declared):
        why = "it is not a lowercase slug"
    elif declared in WINDOWS_DEVICE_NAMES:
        why = "it is a device name on Windows"
    elif declared == LIST_PAGE and kind in PAGED_KINDS:
        why = f"it is the name of the page listing the {KIND_DIRS[kind][0]}"
    else:
        return None
    return f"The id is the file name, and no file can be named '{clip(declared, 40)}' ({why}): remove the `id:` line."


_FENCE = re.compile(r"^---[ \t]*$")
# What a writer almost writes for a fence: more dashes than three.
_DASHES = re.compile(r"^-{3,}[ \t]*$")
# YAML's own end of a document (`...`), which Jekyll and pandoc take to close front matter.
_DOTS = re.compile(r"^\.\.\.[ \t]*$")
# Hugo's TOML front matter.
_PLUSES = re.compile(r"^\+\+\+[ \t]*$")
# Lines that may stand above a misplaced opening `---`: blank, or an HTML comment.
_NOTHING = re.compile(r"^[ \t]*(<!--.*-->[ \t]*)?$")
# A line of a `key: value` mapping at the top level (front matter written without fences).
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?:[ \t]|$)")
# The two keys every story's front matter has: a paragraph of `Note: …` or `Chapter 1: …`
# prose is no front matter written without fences.
_STORY_KEY = re.compile(r"^(?:title|start):")
# A scene heading's start: where an unclosed front matter meant to end (`## `, not
# YAML's `# comment`).
_SCENE_START = re.compile(r"^#{2,6}[ \t]")


@dataclass(frozen=True)
class StorySplit:
    """A story's text cut at its front matter: `front` (None when there is none to read),
    the 0-based line its text starts after (YAML's line offset), the body and its
    1-based first line, and what was wrong with the fences, if anything, as
    (message, 1-based line, hint). A slip with the fences that still shows where the
    front matter is (blank lines above it, `...` to close it, no closing line before
    the first scene) is reported and the front matter read as meant: one slip at the
    top of a story hides none of its other problems."""

    front: str | None
    front_offset: int
    body: str
    body_line: int
    problem: tuple[str, int, str] | None = None


def story_parts(source: SourceFile) -> StorySplit:
    """`source` (a story) cut into front matter and body; see StorySplit."""
    # Line-id markers go here, before parsing, so no output can show one; `source`
    # keeps them for `foundry l10n` (docs/localization.md).
    lines = strip_line_ids(source.text).split("\n")   # LF only, as YAML and markdown-it count lines (not at VT, FF, …)
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    bare = [line.rstrip("\r\n") for line in lines]
    if not bare:
        return StorySplit(None, 0, "", 1, ("a story must start with a `---` line and YAML front matter", 1, _START_HINT))
    first = next((i for i, line in enumerate(bare) if not _NOTHING.match(line)), len(bare))
    problem = None
    if first < len(bare) and first > 0 and _DASHES.match(bare[first]):
        above = ("the blank line" if not bare[0].strip() else "the line") if first == 1 else f"the {first} lines"
        problem = (f"the front matter's `---` is on line {first + 1}; a story's first line must be it", 1,
                   f"Remove {above} above it: only a `---` on the very first line opens front matter.")
    elif first == 0 and _DASHES.match(bare[0]) and not _FENCE.match(bare[0]):
        problem = (f"front matter opens with `{bare[0].strip()}`; write exactly `---` at the start of the line", 1,
                   "Front matter is YAML between two lines of three dashes, `---`.")
    if first < len(bare) and _DASHES.match(bare[first]):
        return _fenced(lines, bare, first, problem)
    if first < len(bare) and _PLUSES.match(bare[first]):
        end = next((i for i in range(first + 1, len(bare)) if _PLUSES.match(bare[i])), len(bare) - 1)
        return StorySplit(None, 0, "".join(lines[end + 1:]), end + 2,
                          ("front matter between `+++` lines is TOML; a story's front matter is YAML between `---` lines",
                           first + 1, "Write `---` for each `+++`, and each `key = \"value\"` as `key: value`."))
    end = next((i for i in range(first, len(bare)) if not bare[i].strip() or _SCENE_START.match(bare[i])), len(bare))
    if first < len(bare) and all(_TOP_KEY.match(line) or line[:1] in (" ", "\t", "-", "#") for line in bare[first:end]) \
            and _TOP_KEY.match(bare[first]) and any(_STORY_KEY.match(line) for line in bare[first:end]):
        # `title: …` and `start: …` lines without their fences (every line YAML's): read them as meant
        return StorySplit("".join(lines[first:end]), first, "".join(lines[end:]), end + 1,
                          ("the front matter has no `---` lines around it", first + 1,
                           f"Put a `---` line above line {first + 1} and another below line {end}."))
    return StorySplit(None, 0, "".join(lines), 1, ("a story must start with a `---` line and YAML front matter", 1,
                                                   _START_HINT))


_START_HINT = ("Start the file with front matter: a `---` line, `title: …`, `start: ` and the first scene's id, "
               "and a `---` line.")


def _fenced(lines: list[str], bare: list[str], first: int, problem: tuple[str, int, str] | None) -> StorySplit:
    """The split of a story whose front matter opens at line index `first`."""
    end = next((i for i in range(first + 1, len(bare)) if _DASHES.match(bare[i])), None)
    scene = next((i for i in range(first + 1, len(bare)) if _SCENE_START.match(bare[i])), len(bare))
    if end is not None and scene < end and _body_rule(lines, bare, first, scene, end):
        end = None   # never closed, and the `---` below is the body's thematic break
    dots = next((i for i in range(first + 1, scene) if _DOTS.match(bare[i])), None)
    if dots is not None and (end is None or dots < end):
        return StorySplit("".join(lines[first + 1:dots]), first + 1, "".join(lines[dots + 1:]), dots + 2, problem or (
            "the front matter is closed with `...`; close it with `---`", dots + 1,
            "Write `---` in place of `...`: foundry's front matter is closed by three dashes."))
    if end is not None and not _FENCE.match(bare[end]) and problem is None:
        problem = (f"front matter closes with `{bare[end].strip()}`; write exactly `---` at the start of the line",
                   end + 1, "Front matter is YAML between two lines of three dashes, `---`.")
    if end is not None:
        return StorySplit("".join(lines[first + 1:end]), first + 1, "".join(lines[end + 1:]), end + 2, problem)
    # never closed: it ends where the first scene starts, or with the file
    while scene - 1 > first and not bare[scene - 1].strip():
        scene -= 1
    told = (f"Put a `---` line below line {scene}, where the front matter ends." if scene < len(bare)
            else "Put a `---` line below the front matter's last line.")
    return StorySplit("".join(lines[first + 1:scene]), first + 1, "".join(lines[scene:]), scene + 1,
                      problem or (f"the front matter opened on line {first + 1} is never closed with a `---` line",
                                  first + 1, told))


def _body_rule(lines: list[str], bare: list[str], first: int, scene: int, end: int) -> bool:
    """Whether the dashes at line index `end` are a thematic break in the scenes of a
    front matter never closed, not its closing line: a scene heading at `scene` has
    prose under it (a line YAML would not start with), a blank line stands above the
    dashes (as above Markdown's break; a closing fence follows its last key), and the
    text between the fences is no YAML. (YAML's `## comment` looks like a heading, and
    a quoted or flow value may go on at column 0, so a front matter that reads is kept
    as it always was, and one with a slip under a `## comment` is said at its slip.)"""
    if bare[end - 1].strip() or not any(line.strip() and not _TOP_KEY.match(line) and line[:1] not in (" ", "\t", "-", "#")
               for line in bare[scene + 1:end]):
        return False
    diags = Diagnostics()
    load_yaml("".join(lines[first + 1:end]), "", diags)
    return bool(diags.errors)


def _story_document(found: FoundFile, source: SourceFile, diags: Diagnostics) -> Document | None:
    parts = story_parts(source)
    if parts.problem is not None:
        message, line, hint = parts.problem
        diags.add("HF0114", message, Span(found.rel, line, 1), hint=hint)
    if parts.front is not None:
        errors_before = len(diags.errors)
        doc = _yaml_document(found, source, parts.front, parts.front_offset, diags, body=parts.body,
                             body_line=parts.body_line)
        if doc is not None or len(diags.errors) == errors_before:
            return doc
    # the front matter could not be read (reported): the scenes are still checked
    return Document(found.kind, found.id, source, {}, Positions(found.rel), parts.body, parts.body_line,
                    front_read=False)


def split_story(source: SourceFile) -> tuple[str, str, int] | str:
    """(front matter, body, 1-based line of the body), or what is wrong with the
    fences when no front matter can be read (story_parts says more)."""
    parts = story_parts(source)
    if parts.front is None:
        return parts.problem[0] if parts.problem else "a story must start with a `---` line and YAML front matter"
    return parts.front, parts.body, parts.body_line


def _device_hint(found: FoundFile) -> str:
    """HF0161's hint: the file's new name, and its `id:` line's, said without reading the
    file (it is said before the text is read, and with the parse memoised the text is
    not read): renamed alone as told, `id: con` in con-1.yaml was HF0106 next."""
    free = _free_file_id(found)
    return (f"Rename it, for example to '{free}{found.path.suffix}' (an `id:` line in it to `{id_line(free)}`), "
            "and the ids that name it.")


def _free_file_id(found: FoundFile) -> str:
    """The id a file whose name is refused (HF0113, HF0161) is told to be renamed to
    (places.told_ids: none a file of its kind, or of a kind sharing its ids, is named
    (`First-Hero.yaml` beside `first-hero.yaml` was told 'first-hero.yaml'), nor one
    told to a refused name before it (`北斗.yaml` and `森.yaml` were both told
    'entity.yaml'). The id `discover` found for it (FoundFile.told) when it has one."""
    if found.told is not None:
        return found.told
    content = found.path.parent
    for _ in KIND_DIRS[found.kind][0].split("/"):   # content/templates/heroes: two up
        content = content.parent
    taken, told = told_ids(content, found.kind)
    return told.get(found.rel.removeprefix("content/")) or spell_id(found.id, taken, fallback="entity")
