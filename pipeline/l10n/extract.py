"""`foundry l10n extract`: bring every translation file up to date with the source.

The merge never loses a translator's work: a new line is added untranslated; a
line whose source changed keeps its translation, marked fuzzy, with the old source
kept as `previous`; a line that is gone stays in the file, marked obsolete. A
translation is never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .catalog import Catalog, Entry
from ..diagnostics import Diagnostics
from .formats import read_catalog, write_catalog
from .lines import Line, same_source
from .translations import translation_path


@dataclass(frozen=True)
class Merged:
    catalog: Catalog
    added: int
    changed: int           # newly marked fuzzy
    obsoleted: int


def comment_for(line: Line) -> str:
    """The translator's context: where the line shows, and its limit when it has one."""
    parts = [line.context]
    if line.max_length:
        parts = [f"{line.context}. At most {line.max_length} characters."]
    return " ".join(parts)


def merge(lines: list[Line], old: Catalog | None, language: str, source: str, fmt: str, base: str,
          elsewhere: dict[str, list[Entry]] | None = None) -> Merged:
    """The up-to-date catalog for `lines` of one source file, from the `old` one.
    `elsewhere`: the language's translations whose line id is gone from every source
    file, by their source text (`gone_elsewhere`): a paragraph moved to this file from
    another takes its translation from there when this file has none of those words."""
    previous, shadowed = _by_id(old.entries if old else ())
    moved = moved_translations(lines, previous, elsewhere or {})
    shifted = displaced(lines, previous)
    carried = {id(e) for e in moved.values()}
    entries, added, changed = [], 0, 0
    orphans: list[Entry] = []   # a number's translation of words deleted from the file
    for line in lines:
        where = f"{line.span.path}:{line.span.line}" if line.span.line else line.span.path
        fresh = Entry(line.id, line.text, comment=comment_for(line), location=where)
        had = previous.pop(line.id, None)
        if had is not None and id(had) in carried and line.id not in moved:
            # its translation is another paragraph's now (`displaced`), carried there
            added += 1
            entries.append(fresh)
            continue
        if (had is None or not had.target.strip() or id(had) in carried or line.id in shifted) and line.id in moved:
            # the same text under a new id: its translation, to be confirmed (fuzzy)
            if had is not None and had.target.strip() and id(had) not in carried:
                orphans.append(had)   # its words are gone: kept, obsolete, as a deleted line's
            changed += 1
            ours = _theirs(had) if had is not None else {}
            entries.append(replace(fresh, target=moved[line.id].target, fuzzy=True,
                                   **{name: ours.get(name) or value for name, value in _theirs(moved[line.id]).items()}))
            continue
        if had is None or (not had.target.strip() and had.obsolete):
            added += 1
            entries.append(replace(fresh, **_theirs(had)) if had is not None else fresh)
            continue
        if same_source(had.source, line.text):
            # (its msgid the line's text; its review state too: a reviewer's `final` is still true of the same words)
            entries.append(replace(fresh, target=had.target, fuzzy=had.fuzzy, previous=had.previous,
                                   state=had.state, previous_context=had.previous_context, **_theirs(had)))
            continue
        # The source changed: keep the translation, mark it, remember what it translated.
        if had.target.strip():
            changed += 0 if had.fuzzy else 1
            # (the old line id goes with the old source a tool wrote; our own is the line's id)
            entries.append(replace(fresh, target=had.target, fuzzy=True, previous=had.previous or had.source,
                                   previous_context=had.previous_context if had.previous else "", **_theirs(had)))
        else:
            entries.append(replace(fresh, **_theirs(had)))
    obsoleted = 0
    for gone in [*previous.values(), *orphans]:
        if id(gone) in carried and not gone.obsolete:
            continue   # its translation lives on under the line's new id
        if gone.target.strip() or gone.obsolete or gone.note or _has_cells(gone):
            obsoleted += 0 if gone.obsolete else 1
            entries.append(replace(gone, obsolete=True))
    entries.extend(shadowed)
    kept = old is not None and old.format == fmt
    path = old.path if kept else translation_path(language, source, fmt)
    # a file keeps its format and its version (an XLIFF 1.2 export stays 1.2)
    version = old.version if kept else ""
    # and what a translator's tool wrote besides the entries (a PO header's credits, the
    # columns a spreadsheet's user added)
    header, header_note, columns, file_notes = ((old.header, old.header_note, old.columns, old.file_notes)
                                                if kept else ((), "", (), ()))
    return Merged(Catalog(path, language, fmt, tuple(entries), base, version, header, header_note, columns,
                          file_notes, old.sheet if kept else Catalog.sheet,
                          old.encoding if kept else "", header_flags=old.header_flags if kept else (),
                          file_attributes=old.file_attributes if kept else ()),
                  added, changed, obsoleted)


def _by_id(entries: tuple[Entry, ...]) -> tuple[dict[str, Entry], list[Entry]]:
    """Line id → the entry the merge starts from, and every other entry of the file,
    marked obsolete. A translated live entry wins, as in the build (`Catalog.by_id`);
    then a translated obsolete one (brought back into use, as when it is the only
    one); then an untranslated one. A `#~` entry after a live one took its place: the
    translation the site showed was replaced by the old one, and lost. An entry that is
    not chosen is kept, obsolete, when it holds a translation or a note: never lost either."""
    previous: dict[str, Entry] = {}
    # stable: file order within each rank, so the first live one as in the build
    for n, entry in enumerate(sorted(entries, key=lambda e: (not e.target.strip(), e.obsolete))):
        # An entry with no id (a PO back from translate-toolkit's po2xliff and xliff2po, which
        # drop msgctxt) is no line's and no other's: each is its own, under a key no line id
        # is, so each is carried to the line with its words (as a unit po2xliff numbered is),
        # where the first was carried and the rest left obsolete as one id's duplicates.
        previous.setdefault(entry.id or f"\0{n}", entry)
    return previous, [replace(e, obsolete=True) for e in entries
                      if e.id and previous[e.id] is not e and (e.target.strip() or e.note or _has_cells(e))]


def _theirs(entry: Entry) -> dict:
    """What a translator or their tool wrote with an entry besides its translation and
    its marks, which goes with the line wherever the merge takes it (Entry field → value):
    their note, a CSV row's own cells, its context cell and its fuzzy cell as typed, a PO entry's flags, the attributes and elements of
    an XLIFF unit foundry does not write (a TM match, a tool's metadata)."""
    return {"note": entry.note, "extra": entry.extra, "flags": entry.flags,
            "unit_attributes": entry.unit_attributes, "unit_elements": entry.unit_elements,
            "context": entry.context, "fuzzy_cell": entry.fuzzy_cell}


def _has_cells(entry: Entry) -> bool:
    """Whether a translator wrote in a column of their own, or in the context cell, on the
    entry's row (CSV)."""
    return bool(entry.context.strip()) or any(value.strip() for _, value in entry.extra)


def gone_elsewhere(catalogs: list[tuple[str, Catalog]], current: Mapping[str, str]) -> dict[str, list[Entry]]:
    """Source text → the translated entries of one language's `catalogs` (each with
    the source file it translates) whose line id is no line of that file now
    (`current`: every line id of the project → its source file), live or obsolete: what
    `merge` may carry to a line moved from one file to another (a paragraph cut from one
    story and pasted, marker and all, into another: its id changes with the story's,
    its words do not), or to the line an entry put in the wrong file translates (catalogs
    joined by `msgcat`, an entry pasted into the hero's file: kept there obsolete, used
    nowhere, where check's hint said `extract` copies it to its line)."""
    out: dict[str, list[Entry]] = {}
    for source, catalog in catalogs:
        for entry in catalog.entries:
            if entry.id and current.get(entry.id) != source and entry.target.strip():
                out.setdefault(entry.source, []).append(entry)
    return out


def moved_translations(lines: list[Line], previous: dict[str, Entry],
                       elsewhere: dict[str, list[Entry]] | None = None) -> dict[str, Entry]:
    """Line id → the translated entry it takes over: a line with no entry of its own
    whose text is exactly the source of a translated entry whose id is gone from the
    file. A writer renamed a scene (its heading's id and its choices' ids follow the
    scene id), led a choice elsewhere (`gate--hall` → `gate--yard`) or tagged a
    paragraph anew: the words are the same, and the translation was left obsolete and
    unused (an earlier `extract` left it so: it is taken from there too). Only an unambiguous match is taken (entries of that text all translated
    alike); it is marked fuzzy, for the translator to confirm in its new place.
    `elsewhere` (`gone_elsewhere`): the same, from the language's other files, asked
    when the file itself has no such entry."""
    current = {line.id for line in lines}
    by_text: dict[str, list[Entry]] = {}
    shifted = displaced(lines, previous)
    for entry in previous.values():
        if (entry.id not in current or entry.id in shifted) and entry.target.strip():
            by_text.setdefault(entry.source, []).append(entry)
    out: dict[str, Entry] = {}
    # each list of entries of one text judged once, whatever number of lines have that
    # text: (all translated alike, the first entry from each place) — judged again for
    # each line, 6,000 paragraphs "Yes." and 6,000 gone entries of it took 72 CPU-s
    judged: dict[int, tuple[bool, dict[str, Entry]]] = {}
    for line in lines:
        had = previous.get(line.id)
        if had is not None and had.target.strip() and line.id not in shifted:
            continue
        # the file's own first; then another file's of the language (`elsewhere`), where
        # the entry stays, obsolete, for that file's merge to keep
        found = by_text.get(line.text, []) or (elsewhere or {}).get(line.text, [])
        if not found:
            continue
        if id(found) not in judged:
            places: dict[str, Entry] = {}
            for e in found:
                places.setdefault(place_of(e.id), e)
            judged[id(found)] = (len({e.target for e in found}) == 1, places)
        alike, places = judged[id(found)]
        if alike:
            # the entry from the line's own place when there is one (a story renamed: its
            # title and its first scene's heading may have the same words), so that each
            # is carried over and none is left obsolete
            out[line.id] = places.get(place_of(line.id), found[0])
    return out


def carried_over(lines: list[Line], old: Catalog) -> dict[str, Entry]:
    """Line id → the translated entry of `old` (the lines' own translation file, or the
    one a renamed source file left: renamed.py) that `merge` would carry to it under
    its new id — a scene or a story renamed, a choice led elsewhere — as `merge` reads
    the file (`_by_id`: obsolete entries too). For `l10n status`, which counted such
    lines missing as if their translations were lost."""
    return moved_translations(lines, _by_id(old.entries)[0])


def displaced(lines: list[Line], previous: Mapping[str, Entry]) -> frozenset[str]:
    """The positional line ids (an untagged paragraph's `….p1`) whose entry translates
    another paragraph of the file: its source is not its line's text now but is exactly
    another untagged paragraph's. A paragraph inserted before others moves each one's
    number on: the translation of the old first paragraph was shown, stale, in the new
    one's place — whose words were on no page of that language — and the old first
    paragraph in the base language after it. `moved_translations` carries each such
    entry to the paragraph with its words, as it does an entry whose id is gone."""
    untagged = {line.id: line.text for line in lines if line.kind == "paragraph" and not line.tagged}
    texts = set(untagged.values())
    # … and a paragraph deleted or two swapped: a number whose translation's words are
    # gone takes the one of its own words left free (its id gone, or numbering other
    # words now). With the first of three deleted, the second showed the deleted one's
    # translation, the third the second's.
    current = {line.id: line.text for line in lines}
    # made once: written in the condition below it was made again for each entry, and a
    # 1.9 MB translation file of 12,000 lines took 39 CPU-s of every check
    loose = untagged.keys() | (previous.keys() - current.keys())
    free = {entry.source for entry in previous.values()
            if entry.target.strip() and entry.id in loose
            and not same_source(entry.source, current.get(entry.id, ""))}
    return frozenset(line_id for line_id, text in untagged.items()
                     if (entry := previous.get(line_id)) is not None and entry.target.strip()
                     and not same_source(entry.source, text) and (entry.source in texts or text in free))


def place_of(line_id: str) -> str:
    """A line id without its entity's id, which a renamed file changes:
    `story.first-story.scene.road` → `story..scene.road`."""
    kind, _, rest = line_id.partition(".")
    return f"{kind}..{rest.partition('.')[2]}"


def unchanged(old: Catalog, merged: Catalog) -> bool:
    """Whether `merged` (what `merge` made of `old`) holds nothing `old` did not:
    the same entries, marks, notes and header as foundry would write them. Our own
    comments are compared by their words, not their line breaks: a PO tool wraps `#.`
    lines at its own width (Poedit, msgcat, polib), and the comment read back holds
    those breaks. The entries are compared in any order: a tool that sorts them (Lokalise,
    Crowdin by key; `msgcat --sort-output`) had every entry moved back into ours, the whole
    file a change in git, the next export sorting it again. True: the file is to be left
    as the translator's tool laid it out."""
    return write_catalog(_plain(old, sort=True)) == write_catalog(_plain(merged, sort=True))


def _plain(catalog: Catalog, sort: bool = False) -> Catalog:
    """`catalog` as compared: foundry's comments by their words, an empty header note as
    none; `sort`: its entries in one order whatever the file's (by line id, then text:
    the order is no meaning of a file; two entries of one id and text stay in file order)."""
    entries = tuple(replace(e, comment=" ".join(e.comment.split())) for e in catalog.entries)
    if sort:
        entries = tuple(sorted(entries, key=lambda e: (e.id, e.obsolete, e.source, e.target)))
    return replace(catalog, header_note=catalog.header_note if catalog.header_note.strip() else "", entries=entries)


# PO entries are separated by blank lines (a line of spaces or tabs counts as blank)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def keep_layout(written: bytes, original: bytes, old: Catalog, merged: Catalog) -> bytes:
    """`written` (`merged` as foundry writes it) with every PO entry the merge left as it
    was in the layout the file had it (the header is written as `merge` made it): a translator's tool wraps at its
    own width (Poedit and msgmerge at 79 columns, Lokalise not at all), and one changed
    line made every long entry a change in git. Entries are matched through foundry's
    own writing of the old catalog, block by block (a block: an entry with its comments,
    between blank lines). `written` as it is when the file cannot be matched so (another
    format or charset; a file without the blocks foundry writes: no header, a comment
    apart from its entry)."""
    if old.format != "po" or old.encoding or merged.encoding:
        return written
    try:   # (a UTF-16 file, read by its byte order mark, is written back as UTF-8 whole)
        theirs = _blocks(original.decode("utf-8-sig").replace("\r\n", "\n"))
    except UnicodeDecodeError:
        return written
    before = _blocks(write_catalog(_plain(old)).decode("utf-8"))
    now, ours = _blocks(write_catalog(_plain(merged)).decode("utf-8")), _blocks(written.decode("utf-8"))
    if len(theirs) != len(before) or len(now) != len(ours):
        return written
    as_was = dict(zip(before[1:], theirs[1:]))
    # the header is foundry's to write (its own fields set anew, once each: a tool's
    # `X-Generator`, a second `Language:`); the entries after it are the translator's
    kept = [ours[0]] + [as_was.get(block, mine) for block, mine in zip(now[1:], ours[1:])]
    data = ("\n\n".join(kept) + "\n").encode("utf-8")
    # Blocks matched by their place are one entry each only when every blank line of
    # the translator's file is between two entries: a blank line inside one (legal PO:
    # `#:` then a blank line then `msgid`) and none between two others kept the count
    # and shifted each block onto the next, and an entry the merge changed dropped the
    # translator's block beside it (a summary's translation gone without a word). The
    # file made is read back and must be the merged catalog, else foundry's layout.
    again = read_catalog(data.decode("utf-8"), merged.path, merged.language, merged.base, Diagnostics())
    if again is None or write_catalog(_plain(again)) != write_catalog(_plain(merged)):
        return written
    return data


def _blocks(text: str) -> list[str]:
    """The blank-line separated blocks of a PO file's text (LF line ends)."""
    return _BLANK_LINES.split(text.strip("\n"))
