"""One translation file, format-neutral: what `extract`, `check` and `status` read.

A `Catalog` holds one language's translations of one source file. Its entries are
keyed by line id; `source` is the base-language text the translation was made
from, so a translation is stale exactly when that text is no longer the source's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Span


@dataclass(frozen=True)
class Entry:
    """One translated (or not yet translated) line.

    `fuzzy`: marked for review (PO `#, fuzzy`; XLIFF 2 state `initial` with a target).
    `obsolete`: the line id no longer exists in the source; kept, never deleted.
    `previous`: the source text before it changed (PO `#| msgid`), for the translator.
    `previous_context`: the line id it had then (PO `#| msgctxt`, as msgmerge writes it
    for a fuzzy match from another entry), written back with `previous`.
    `line`: 1-based line of the entry in the translation file (0 when the format has none).
    `id_line`, `id_column`: where the line id is written (PO: its `msgctxt`, inside the
    quotes), where a mistyped or repeated id is reported; 0: use `line`, column 1.
    `target_line`: the line where the translation itself starts (PO `msgstr`, XLIFF
    `<target>`), where a problem *in* the translation is reported; 0: use `line`.
    `target_column`: the column of the translation's text there (PO: inside the
    msgstr's quotes); 0: unknown (column 1).
    `target_written`: the translation's lines as the file has them, from `target_line`
    (PO: to its last continuation line), where a tag or a brace in it is looked for
    from `target_column` on; "": unknown.
    `target_lines`: every line the translation is written on, when the format has no
    `target_written` (XLIFF: each `<target>`'s lines, which a tool may wrap and which
    another segment's `<source>` may stand between; CSV: its record's, a quoted cell
    holding line breaks); (): from `translation_line` through
    `target_written`'s lines.
    `note`: the translator's own comment (PO `# …`, an XLIFF note of a category not
    foundry's, CSV `translator_comments`), kept from one extract to the next.
    """

    id: str
    source: str
    target: str = ""
    fuzzy: bool = False
    obsolete: bool = False
    previous: str = ""
    comment: str = ""
    location: str = ""
    line: int = 0
    target_line: int = 0
    target_column: int = 0
    target_written: str = ""
    target_lines: tuple[int, ...] = ()
    note: str = ""
    # CSV: the cells of the columns a translator added (`Reviewer`, `Status`…), by the
    # column's name as its header row has it, written back by `extract`
    extra: tuple[tuple[str, str], ...] = ()
    # XLIFF: the state attributes of a translation that is not fuzzy, as the translator's
    # tool wrote them (2.0 `state="final"`, `subState="memoq:approved"`; 1.2
    # `state="signed-off"`, `state-qualifier`, the unit's `approved`), written back while its source is unchanged
    state: tuple[tuple[str, str], ...] = ()
    # PO: the entry's flags other than `fuzzy`, as a tool wrote them (`no-wrap`,
    # Weblate's `max-length:40`, `read-only`), in their order, written back by `extract`
    flags: tuple[str, ...] = ()
    previous_context: str = ""
    # XLIFF: what a tool wrote on the unit that foundry does not write, as it wrote it:
    # its other attributes ((Clark name, value): 1.2 `resname`, `maxwidth`, `translate`,
    # a tool's own namespaced ones) and child elements (serialised: 1.2 `<alt-trans>`,
    # `<prop-group>`, a `<context-group>` not of locations; 2.0 modules and extensions
    # such as `<mda:metadata>`, `<mtc:matches>`; comments), written back with the unit
    unit_attributes: tuple[tuple[str, str], ...] = ()
    unit_elements: tuple[str, ...] = ()
    # CSV: the row's `context` cell, which foundry leaves empty: a translator's words
    # typed there, written back as they were
    context: str = ""
    # CSV: the row's fuzzy cell as the spreadsheet saved it (Excel's FALSE, a German
    # Excel's FALSCH), written back while it says what the entry's mark says: `extract`
    # wrote False over every row's FALSE, each row a change in git
    fuzzy_cell: str = ""
    # XLIFF: the unit is marked not to be translated (`translate="no"` on it, or on the
    # `<group>` or 2.0 `<file>` holding it): its text is the source's, as it stands now —
    # a translated line, never missing (a project manager's or a tool's decision, such as a
    # name kept in every language); a target a translator wrote anyway is still read
    keep_source: bool = False
    # where the line id is written (keyword-only in practice: after every positional field)
    id_line: int = 0
    id_column: int = 0

    @property
    def translation_line(self) -> int:
        """Where a problem in the translated text is shown (1-based)."""
        return self.target_line or self.line or 1

    @property
    def id_at(self) -> int:
        """The 1-based line of the entry's line id, as a message naming the entry says it."""
        return self.id_line or self.line or 1

    def id_span(self, path: str) -> Span:
        """Where a problem with the entry's line id is shown: the id as written (a PO
        entry starts at its translator's comment, lines above its `msgctxt`)."""
        return Span(path, self.id_at, self.id_column or 1)

    def translation_span(self, path: str) -> Span:
        """Where a problem in the whole translated text is shown: its msgstr's text."""
        return Span(path, self.translation_line, self.target_column or 1)


@dataclass(frozen=True)
class Catalog:
    """A translation file: `path` relative to the project, `language` a BCP 47 tag,
    `entries` in file order (obsolete ones last)."""

    path: str
    language: str
    format: str                       # po | xliff | csv
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    base: str = "en"                  # the language of `source` (XLIFF's srcLang)
    version: str = ""                 # "1.2": an XLIFF 1.x file, written back as 1.2
    # What a translator's tool wrote in the file besides its entries, written back by
    # `extract` (never lost): a PO header's fields in file order (`Last-Translator`,
    # `Language-Team`, `Plural-Forms`, …; foundry's own — Language, Content-Type… — are
    # set anew) and its translator comments (the credits: `# Anna <a@x>, 2026.`).
    # A header line with no `Name:` (or a second of one name) is kept too: (line, None).
    header: tuple[tuple[str, str | None], ...] = ()
    header_note: str = ""
    # CSV: the columns a translator added, as the header row names them, in its order
    columns: tuple[str, ...] = ()
    # XLIFF: the notes of the file as a whole, (category — 1.2: `from` —, text) in file
    # order: a glossary, the project manager's instructions (2.0 `<file><notes>`, 1.2
    # `<header><note>`)
    file_notes: tuple[tuple[str, str], ...] = ()
    # CSV: how the spreadsheet that saved the file lays it out, to be written back so
    # (Excel in a German locale: `;` between cells, its `sep=;` first line, cells quoted
    # only where they must be; `extract` wrote `,`, no `sep=` line and every cell quoted,
    # each row a change in git): (separator, the `sep=` line or "", every cell quoted)
    sheet: tuple[str, str, bool] = (",", "", True)
    # PO: the charset the file was in, when not UTF-8 (one its header names, GNU
    # gettext's portable ones: formats.declared_encoding), kept by `extract` while every
    # character of the file can be written in it
    encoding: str = ""
    # the SHA-256 (hex) of the bytes the file was read from: `extract` replaces the file
    # only while it still holds them (a translator's save meanwhile is never overwritten)
    sha256: str = ""
    # PO: the flags of the header entry, in their order (msginit's and xgettext's `#, fuzzy`
    # on a header nobody has filled in yet; `no-wrap`): the translator's tool's state,
    # written back as read (`extract` took the fuzzy off, a change in git nobody made)
    header_flags: tuple[str, ...] = ()
    # XLIFF: the first `<file>`'s attributes as the tool wrote them, the languages aside
    # (1.2 `original`, `datatype`; 2.0 `id`, `original`), written back on the one `<file>`
    file_attributes: tuple[tuple[str, str], ...] = ()

    def by_id(self) -> dict[str, Entry]:
        """Live entries by line id (the first wins; `check` reports the second)."""
        out: dict[str, Entry] = {}
        for entry in self.entries:
            if not entry.obsolete:
                out.setdefault(entry.id, entry)
        return out
