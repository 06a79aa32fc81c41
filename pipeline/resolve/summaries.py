"""Per-entity summaries: what a build reads of an unchanged hero, kept so that its
document and model are neither read nor decoded (issue 13, docs/performance.md edit21).

After one edit at 10,000 heroes, `load_world` asked three sealed rows of each hero
(its parse, its validation, its sheet), decoded them into a Document, a pydantic
model and a sheet, and the builder's process then read four things of each model:
its template, portrait and relationships (`_resolve`), its name (the site's plan)
and the links in its prose (`check_outputs`). A summary keeps exactly those, with
what parsing, validating and computing the hero reported, and its sheet, under the
hashes of what they were made from: the file (kind, id, path, sha256), and for the
whole pack the query table's base (foundry's code, foundry.toml, the rule files);
the sheet's part under the fingerprint of the template chain's defaults it was
computed with. Any change to those makes that summary miss: the hero is then loaded
as before, and its summary made again.

A hero whose summary holds is a `SummarisedEntry`: an `Entry` whose document and
model are decoded on first use (a diagnostic's span, a page rendering the hero), from
the same sealed rows the full load reads (load/cache.py), by the same queries: the
same objects a full load makes. So a read the summary does not cover is slower, never
different. The builder's own reads go through `template_of`, `portrait_of`,
`relationships_of`, `name_of` and `prose_links` (validate/entities.py, beside Entry, so
that the domain asks them too), which answer from the summary when there is one and
from the model otherwise.

The pack is one sealed JSON file in .foundry-cache/ (JSON under this user's MAC:
pipeline/seal.py, never pickle). A pack that does not verify (forged, foreign,
truncated) is ignored; a record in another shape is a miss for that hero only; either
is made again by the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .. import seal
from ..confine import boundary
from ..diagnostics import Diagnostic
from ..load import rowjson
from ..load.byte_reads import note
from ..load.cache_folder import cache_folder
from ..load.files import FoundFile, SourceFile
from ..load.hash_memo import write_sealed
from ..load.markdown import markdown, plain_line, plain_paragraphs
from ..load.titles import PROSE_FIELDS
from ..queries import diagnostic_row, from_row
from ..validate.entities import Entry

FILE = "summaries.json"
PURPOSE = "summaries"
FORMAT = "5"   # 2: characters too; 3: what a card shows (title, status, role, background's line); 4: the
# entity's value digest (Entry.value); 5: the line's paragraphs run together as every line's (plain_line)
# A person card's summary is the background's line clipped before 160 characters
# (exporters/html/views/common.py CARD_SUMMARY): a clip that long reads the first 160
# characters and whether there are more, so a Brief keeps 161.
CARD_LINE = 161
MAX_BYTES = 256 * 1024 * 1024
# A pack is written again when more than one record in STALE_SHARE would change (or a
# person's file is gone, or new): fewer stale records are each a hero loaded in full by
# the next build (~1.5 ms of the builder's CPU at 10,000 heroes, so at most 10 of them
# ~0.015 CPU-s), against the pack's ~10 MB encoded, sealed and written again (0.05-0.07
# CPU-s after a value edit, docs/performance.md load42). Every record is keyed by its
# file's hash (`file_key`): a stale one only misses.
STALE_SHARE = 1024


@dataclass(frozen=True)
class Brief:
    """What the builder reads of an unchanged hero's model (see the module's docstring)."""

    template: str | None
    portrait: str | None
    name: str
    # (with, kind, note, the note's HTML), as the model and its inline HTML hold them
    relationships: tuple[tuple[str, str, str, str], ...]
    links: tuple[tuple[str, str], ...]   # (prose field, href), in the order written
    # what a card of the person shows (exporters/html/views/common.py person_card), so
    # that a page drawing a related person's card does not decode their model: ~10,000
    # decoded twice a clean build at 10,000 heroes, once in each render worker
    title: str = ""
    status: str = ""
    role: str = ""
    # the background's line (load/markdown.py plain_line: its prose_line and prose_lede,
    # plain paragraphs holding no heading), its first CARD_LINE characters; None when the background is not plain prose (its line needs a parse,
    # left to the page that draws the card)
    line: str | None = None


def brief_of(entry: Entry) -> Brief:
    """A hero's or character's Brief, made from its model and document."""
    model = entry.model
    relationships = tuple((rel.with_, rel.kind, rel.note, str(entry.html("relationships", i, "note")))
                          for i, rel in enumerate(model.relationships))
    data = entry.doc.data
    links = tuple((name, href) for name in PROSE_FIELDS if isinstance(data.get(name), str)
                  for href in prose_hrefs(data[name]))
    plain = plain_paragraphs(model.background) if model.background.strip() else []
    line = plain_line(plain)[:CARD_LINE] if plain is not None else None
    if line is not None and "null" in line:
        line = None   # "annulled": its letters would send the whole pack to json (`_record_bytes`)
    return Brief(getattr(model, "template", None), model.portrait, model.name, relationships, links,
                 model.title, model.status, getattr(model, "role", ""), line)


def prose_hrefs(text: str) -> list[str]:
    """The targets of the links in a prose field's Markdown, in order."""
    if "](" not in text and "]:" not in text:
        return []   # no inline link or reference definition (autolinks are absolute): skip the parse
    out = []
    for token in markdown().parse(text):
        for child in token.children or ():
            if child.type == "link_open" and isinstance(child.attrs.get("href"), str):
                out.append(child.attrs["href"])
    return out


class SummarisedEntry(Entry):
    """An unchanged hero's Entry, made from its summary: kind, id, path and hash known,
    its document, model and titles' HTML decoded on first use by `materialise` (the
    full load's own queries, so the same values). `dataclasses.replace` of one (the
    release view, a translation) gives a plain Entry."""

    def __new__(cls, *args: Any, **fields: Any) -> Entry:
        # only dataclasses.replace calls the class (with every field): a plain Entry
        return Entry(*args, **fields)

    @classmethod
    def made(cls, found: FoundFile, source: SourceFile, brief: Brief,
             materialise: Callable[[FoundFile, SourceFile], Entry], value: str) -> "SummarisedEntry":
        entry = object.__new__(cls)
        entry.__dict__.update(kind=found.kind, id=found.id, brief=brief, _found=found, _source=source,
                              _materialise=materialise, _entry=None, _value=value)
        return entry

    def _full(self) -> Entry:
        full = self.__dict__["_entry"]
        if full is None:
            full = self.__dict__["_entry"] = self.__dict__["_materialise"](self._found, self._source)
        return full

    @property
    def model(self):   # noqa: D102 (Entry's field)
        return self._full().model

    @property
    def doc(self):   # noqa: D102
        return self._full().doc

    @property
    def inline_html(self):   # noqa: D102
        return self._full().inline_html

    @property
    def path(self) -> str:
        return self._source.path

    @property
    def sha256(self) -> str:
        note(self._source.path)   # as Entry.sha256: a read of the bytes
        return self._source.sha256

    @property
    def content_sha256(self) -> str:
        return self._source.content_sha256   # as Entry.content_sha256 (noted by the source)

    @property
    def value(self) -> str:
        """Entry.value, as the summary kept it: the document is not decoded for it."""
        return self.__dict__["_value"]

    def memo_key(self) -> str:
        """As Entry's (its document's key), without decoding the document."""
        return f"{self.kind}:{self.id}:{self._source.memo_key()}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SummarisedEntry):
            other = other._full()
        return self._full() == other

    def __hash__(self) -> int:
        return hash(self._full())

    def __repr__(self) -> str:
        return repr(self._full())

    def __reduce__(self):
        return self._full().__reduce__()


def file_key(kind: str, eid: str, rel: str, sha256: str) -> str:
    """What a summary is made from, of its file: kind, id, path and the bytes' hash."""
    return hashlib.sha256(f"{kind}\0{eid}\0{rel}\0{sha256}".encode()).hexdigest()


def defaults_key(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode()).hexdigest()


@dataclass(frozen=True)
class Summary:
    """One hero's summary as read from the pack (see `Pack.record`)."""

    brief: Brief
    parse: tuple[Diagnostic, ...]       # what parsing its file reported
    validate: tuple[Diagnostic, ...]    # what validating it reported
    rescued: bool                       # validation failed and the model was salvaged
    defaults: str                       # defaults_key of the chain its sheet was computed with
    # a hero's sheet as heroes/sheet.py SHEET_CODEC keeps it; a character's attributes
    # (effective_attributes: its own values over the rules' defaults; `defaults` empty)
    sheet: Any
    sheet_problems: tuple[Diagnostic, ...]   # what computing them reported
    value: str                               # Entry.value of the entity it summarises


class Pack:
    """Every hero's and character's summary, by its file's path, read from and written
    to one sealed file."""

    def __init__(self, root: Path, base: str) -> None:
        folder = cache_folder(root)
        self.root = root
        self.path = folder / FILE if folder is not None else None
        self.secret = seal.key(root)
        self.base = hashlib.sha256(f"{FORMAT}\0{base}".encode()).hexdigest()
        self.records: dict[str, list] = {}
        self.changed = False
        self.puts = 0   # the records `put` this run: every person whose record missed
        try:
            blob = boundary(root).read(self.path, MAX_BYTES) if self.path is not None else b""
            data = rowjson.loads(seal.unseal(self.secret, PURPOSE, blob) or b"{}")
        except (OSError, ValueError, RecursionError):
            data = {}
        if isinstance(data, dict) and data.get("base") == self.base and isinstance(data.get("heroes"), dict):
            self.records = data["heroes"]
        self.kept: dict[str, list] = {}   # what the next pack holds, by path

    def get(self, found: FoundFile, sha256: str) -> Summary | None:
        """The summary of the hero or character file `found` whose bytes hash to `sha256`, or None
        (absent, made from other bytes, or in another shape)."""
        record = self.records.get(found.rel)
        if type(record) is not list or len(record) != 17 or record[0] != file_key(found.kind, found.id, found.rel, sha256):
            return None
        try:
            _, parse, validate, rescued, defaults, sheet, problems, template, portrait, name, rels, links, \
                title, status, role, line, value = record
            if not (type(rescued) is bool and type(defaults) is str and type(name) is str and type(value) is str
                    and value.startswith(("v:", "f:"))
                    and (template is None or type(template) is str) and (portrait is None or type(portrait) is str)
                    and type(title) is str and type(status) is str and type(role) is str
                    and (line is None or type(line) is str)):
                return None
            relationships = tuple((w, k, n, h) for w, k, n, h in rels)
            hrefs = tuple((f, h) for f, h in links)
            if not all(type(v) is str for rel in relationships for v in rel) \
                    or not all(type(v) is str for link in hrefs for v in link):
                return None
            summary = Summary(Brief(template, portrait, name, relationships, hrefs, title, status, role, line),
                              tuple(map(from_row, parse)), tuple(map(from_row, validate)), rescued, defaults,
                              sheet, tuple(map(from_row, problems)), value)
        except (TypeError, ValueError):
            return None
        self.kept[found.rel] = record
        return summary

    def put(self, entry: Entry, brief: Brief, parse: tuple[Diagnostic, ...],
            validate: tuple[Diagnostic, ...], rescued: bool, defaults: str, sheet: Any,
            problems: tuple[Diagnostic, ...]) -> None:
        """Keep a hero's or character's summary for the next build."""
        self.kept[entry.path] = [file_key(entry.kind, entry.id, entry.path, entry.sha256),
                                [diagnostic_row(d) for d in parse],
                                [diagnostic_row(d) for d in validate], rescued, defaults, sheet,
                                [diagnostic_row(d) for d in problems], brief.template, brief.portrait, brief.name,
                                [list(r) for r in brief.relationships], [list(link) for link in brief.links],
                                brief.title, brief.status, brief.role, brief.line, entry.value]
        self.changed = True
        self.puts += 1

    def save(self) -> None:
        """Write the pack when it differs from the one read: the people of this build only.
        Not when a few of its records would change and every path it holds is still a
        person's (`STALE_SHARE`): the records of the people edited since it was written
        miss in each build, are put again, and are counted here until they are many. A
        person who is edited over and over (a writer at work) costs the next build
        nothing more: her record would miss anyway."""
        if self.path is None or (not self.changed and self.kept.keys() == self.records.keys()):
            return
        if self.puts * STALE_SHARE <= len(self.records) and self.kept.keys() == self.records.keys():
            return
        write_sealed(self.root, self.path, self.secret, PURPOSE, pack_bytes(self.base, self.kept))


_AS_JSON = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def pack_bytes(base: str, kept: dict[str, list]) -> bytes:
    """The pack's JSON, as `rowjson.loads` reads it back (load/rowjson.py's rule): by
    orjson, record by record, when each record is JSON orjson writes exactly; else the
    whole pack by `rowjson.dumps` (json writes it, json reads it). `rowjson.dumps` of
    the whole pack sent every pack to json, both ways: the `null` of a character's
    missing portrait is the `null` orjson writes for a NaN, so its rule could not tell
    (~0.15 CPU-s each build after an edit at 10,000 heroes, docs/performance.md edit22)."""
    parts = []
    for path, record in kept.items():
        text = _record_bytes(record)
        if text is None:
            return rowjson.dumps({"base": base, "heroes": kept}).encode()
        parts.append(orjson.dumps(path) + b":" + text)
    return b'{"base":' + orjson.dumps(base) + b',"heroes":{' + b",".join(parts) + b"}}"


def _record_bytes(record: list) -> bytes | None:
    """One record as orjson writes it, or None when rowjson's rule says json must: what
    orjson refuses (an integer beyond 64 bits, a lone surrogate), or a `null` that is not
    a None of the record (a NaN or an infinity in a sheet, which json keeps; or the
    letters in a string, which cannot be told apart here: json, to be sure). Each None
    is one `null`, so as many `null`s as Nones means every one is a None. A hero at the
    top level has a None in its sheet (no next level's xp): when only a person's missing
    template and portrait were told apart, that one hero sent the whole pack to json,
    both ways, every build (~0.2 CPU-s after an edit at 10,000 heroes,
    docs/performance.md edit24)."""
    try:
        text = orjson.dumps(record, option=_AS_JSON)
    except TypeError:
        return None
    if b"null" in text and text.count(b"null") != _nones(record):
        return None
    return text


def _nones(value) -> int:
    """How many Nones `value` (JSON data: lists, tuples, dicts, scalars) holds."""
    if value is None:
        return 1
    if type(value) in (list, tuple):
        return sum(map(_nones, value))
    if type(value) is dict:
        return sum(map(_nones, value.values()))
    return 0
