"""Reading and writing translation files with translate-toolkit: gettext PO, XLIFF 2.0
and CSV. Never a parser or serialiser of our own (translators' tools are strict about
escaping, and translate-toolkit is what Pootle and Weblate use).

The line id is the PO `msgctxt`, the XLIFF `<unit id>` (XLIFF 1.2: `<trans-unit id>`)
and the CSV `id` column. XLIFF 2.0 has no obsolete state and no previous source: we
keep both in the standard extension points, `subState="foundry:obsolete"` and a
`<note category="foundry:previous-source">`, which other tools carry through
untouched (XLIFF 1.2: a `<note from="foundry:…">` each). An XLIFF file is written back
in the version it was read in: a CAT tool that exported 1.2 reads 1.2.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, replace

# translate-toolkit (~0.3 s to import) is imported by the functions that read or write
# a catalog: `foundry check` and `build` of a project without [l10n] never need it; lxml
# (~14 CPU-ms) by those that read or write XML: a check reads no XLIFF file but asks
# the theme's PO catalogs their charset (`foreign_charset`).

from ..diagnostics import Diagnostics, Span, clip
from ..load.delimited import blanked, pieces
from .catalog import Catalog, Entry

SUFFIXES = {"po": ".po", "xliff": ".xlf", "csv": ".csv"}
FORMAT_OF = {v: k for k, v in SUFFIXES.items()}
PREVIOUS_NOTE = "foundry:previous-source"
OBSOLETE = "foundry:obsolete"
CSV_OBSOLETE = "obsolete"   # the first word of a CSV row's translator_comments cell
GENERATOR = "Hero Foundry"


# the charset a PO header's Content-Type names: the file's own statement of its encoding
_PO_CHARSET = re.compile(rb'^"Content-Type:[^"\n]*?charset=([A-Za-z0-9_.:-]{1,40})', re.M)
# … a `charset=` naming nothing (a header typed by hand): GNU msgfmt, polib and Babel read
# such a file as UTF-8, but translate-toolkit took the next header line for the name
# ("Unsupported charset: Content-Transfer-Encoding:") and the file was refused (HF1104)
_NO_CHARSET = re.compile(rb'^("Content-Type:[^"\n]*?charset=)(?=[\s;"\\])', re.M)


# The charsets GNU gettext calls portable in a PO header (gettext-tools/src/po-charset.c,
# standard_charsets; msgfmt warns "not a portable encoding name" of any other), less
# UTF-8 (tried first) and those Python has no codec for (EUC-TW, VISCII, GEORGIAN-PS).
# A name is taken by the codec it names in Python ("latin1" is ISO-8859-1). Only these:
# Python's codec registry also holds codecs that are no text encoding (rot13, base64,
# zlib: LookupError on decode), ones that fail on any text (punycode, idna, undefined:
# UnicodeError) and ones that read PO's own escapes (unicode_escape turns the `\n` of
# every `"Language: de\n"` into a line break), all of which a header can name.
_PO_CHARSETS = ("ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6",
                "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15",
                "KOI8-R", "KOI8-U", "KOI8-T", "CP850", "CP866", "CP874", "CP932", "CP949", "CP950",
                "CP1250", "CP1251", "CP1252", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257",
                "GB2312", "EUC-JP", "EUC-KR", "BIG5", "BIG5-HKSCS", "GBK", "GB18030", "SHIFT_JIS", "JOHAB",
                "TIS-620")


@functools.cache
def _po_codecs() -> frozenset[str]:
    """The Python codec names of _PO_CHARSETS."""
    import codecs
    return frozenset(codecs.lookup(name).name for name in _PO_CHARSETS)


def declared_encoding(data: bytes, path: str) -> str | None:
    """The encoding a PO translation file's bytes say they are in (its header's
    `charset=`), when it is one GNU gettext calls portable (ISO-8859-1, Windows-1252,
    KOI8-R, EUC-JP…, see _PO_CHARSETS; all spell ASCII as ASCII): gettext reads the file
    so, and Poedit, Lokalize and msgmerge keep a file in the charset it has. Tried by
    `read_text` only when the bytes are not UTF-8 (a UTF-8 file saying another charset
    is UTF-8). None otherwise (then the bytes are HF0103, as any file not UTF-8)."""
    import codecs
    if not path.endswith(".po"):
        return None
    found = _PO_CHARSET.search(data[:65536])
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None
    return name if name in _po_codecs() else None


def foreign_charset(data: bytes) -> tuple[str, int] | None:
    """(the name as written, its line from 1) of the charset a PO file's header names
    when it is neither UTF-8 or ASCII nor one GNU gettext calls portable (_PO_CHARSETS),
    else None. The theme's catalogs are read by Babel in the charset they name, any of
    Python's codecs: `rot13` stopped the read with Python's own words and no line, and
    `unicode_escape` changed every message without a word (theme_words.py refuses
    them). `CHARSET`, the placeholder of a header nobody filled in, is read as UTF-8."""
    import codecs
    found = _PO_CHARSET.search(data[:65536])
    if found is None:
        return None
    name = found.group(1).decode("ascii")
    if name.upper() == "CHARSET":
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        codec = ""
    if codec in ("utf-8", "ascii") or codec in _po_codecs():
        return None
    return name, data.count(b"\n", 0, found.start()) + 1


# the encoding an XML declaration names (XML 1.0, 4.3.3), at the start of the file
_XML_ENCODING = re.compile(r"""\A(\s*<\?xml\s[^>]*?\bencoding\s*=\s*)(["'])[^"'>]*\2""")


def read_catalog(text: str, path: str, language: str, base: str, diags: Diagnostics) -> Catalog | None:
    """Parse one translation file; a file that does not parse is HF1104 at its line."""
    from lxml import etree
    fmt = FORMAT_OF.get("." + path.rsplit(".", 1)[-1], "")
    if fmt == "xliff":
        # The text was decoded already (UTF-8, or as its byte order mark says) and goes to
        # the XML parser as UTF-8, which believes the declaration: a UTF-16 file's
        # `encoding="UTF-16"` was an "XML syntax error" at line 1, and a UTF-8 file saved
        # saying ISO-8859-1 had every 'é' read as 'Ã©' (HF0131, "delete it").
        text = _XML_ENCODING.sub(r"\g<1>\g<2>UTF-8\g<2>", text, count=1)
    data = text.encode("utf-8")
    doctype = text.find("<!DOCTYPE")
    if fmt == "xliff" and doctype >= 0:
        # A DTD can declare entities (external files, exponential expansion); an XLIFF
        # file never needs one, so it is refused before any XML parser sees it.
        diags.add("HF1104", "a DOCTYPE is not allowed in a translation file", Span(path, text.count("\n", 0, doctype) + 1, 1))
        return None
    if fmt == "po" and _stray_quotes(text, path, diags):
        return None
    from translate.storage.poparser import PoParseError
    header: tuple[tuple[str, str | None], ...] = ()
    header_note = ""
    header_flags: tuple[str, ...] = ()
    try:
        if fmt == "po":
            entries, header, header_note, header_flags = _read_po(data, path, diags)
        elif fmt == "xliff" and _xliff_version(data) == XLIFF1:
            entries = _read_xliff1(data, path, diags)
        elif fmt == "xliff":
            entries = _read_xliff(data, path, diags)
        else:
            entries = _read_csv(data, path, diags)
    except PoParseError as exc:
        line = _line_of(str(exc))
        lines = text.split("\n")
        said = _po_twice(lines, line - 1) or _po_slip(lines[line - 1] if 0 < line <= len(lines) else "")
        if said:
            diags.add("HF1104", said[0], Span(path, line, 1), hint=said[1])
        else:
            diags.add("HF1104", f"PO syntax error: {clip(str(exc), 100)}", Span(path, line, 1))
        return None
    except etree.XMLSyntaxError as exc:
        column = exc.offset or 1
        entity = _UNDEFINED_ENTITY.search(exc.msg or "")
        if entity and exc.lineno:   # libxml2 points past the entity: point at its `&`
            line = text.split("\n")[exc.lineno - 1] if exc.lineno <= text.count("\n") + 1 else ""
            column = line.rfind(f"&{entity.group(1)};", 0, column + 1) + 1 or column
        diags.add("HF1104", f"XML syntax error: {clip(exc.msg, 100)}", Span(path, exc.lineno or 1, column),
                  hint=_entity_hint(exc.msg))
        return None
    except (csv.Error, ValueError, AssertionError, AttributeError, TypeError, StopIteration) as exc:
        # translate-toolkit asserts on a root that is not <xliff>, and its CSV reader
        # raises plain errors; both mean "this file is not a translation file".
        diags.add("HF1104", f"not a readable {fmt or 'translation'} file: {clip(str(exc) or type(exc).__name__, 100)}",
                  Span(path, 1, 1))
        return None
    # A translation's spaces, tabs and line breaks at either end are no words: the page
    # drops them, but a name or choice typed with an indent (`msgstr "\tRook"`) was read
    # as a Markdown code block — HF1108 "translates to no visible text" at words in plain
    # sight — and the string tables gave engines the indent. (A no-break space typed at
    # an end is kept, as the source keeps it: load/markdown.py _keep_typed_spaces.)
    entries = [replace(e, target=e.target.strip(" \t\r\n")) if e.target[:1] in " \t\r\n"
               or e.target[-1:] in " \t\r\n" else e for e in entries]
    file_notes, file_attributes = _file_notes(data) if fmt == "xliff" else ((), ())
    return Catalog(path, language, fmt, tuple(entries), base,
                   XLIFF1 if fmt == "xliff" and _xliff_version(data) == XLIFF1 else "", header, header_note,
                   csv_columns(data) if fmt == "csv" else (), file_notes,
                   csv_layout(data) if fmt == "csv" else Catalog.sheet, header_flags=header_flags,
                   file_attributes=file_attributes)


def _file_notes(data: bytes) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """What an XLIFF file holds for the whole file, which `extract` writes back into its
    one `<file>`: its notes, (category, text) in file order — 2.0 `<file><notes><note
    category>`, 1.2 `<file><header><note from>` (a glossary, a project manager's
    instructions) —, and its first `<file>`'s attributes but the languages (which are
    foundry's), (name, value): 1.2 `original` and `datatype`, by which Trados or memoQ
    take a returned file back into its project (written `original="NoName"`), 2.0 `id`,
    `original`, a tool's own."""
    from lxml import etree
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    first = root.find(f"{ns}file")
    attributes = tuple((name, value) for name, value in (first.attrib.items() if first is not None else ())
                       if name not in _LANGUAGE_ATTRIBUTES)
    if ns == _XLIFF:
        notes = root.iterfind(f"{ns}file/{ns}notes/{ns}note")
        return tuple((note.get("category", ""), text) for note in notes if (text := _note_text(note)).strip()), attributes
    notes = root.iterfind(f"{ns}file/{ns}header/{ns}note")
    return tuple((note.get("from", ""), text) for note in notes if (text := _note_text(note)).strip()), attributes


# the languages a `<file>` names, which `extract` writes (XLIFF 1.2; 2.0 names them on <xliff>)
_LANGUAGE_ATTRIBUTES = frozenset({"source-language", "target-language"})


def _put_file_attributes(file, attributes: tuple[tuple[str, str], ...]) -> None:
    """The `<file>` attributes a tool wrote (`_file_notes`), over the ones our writer made up."""
    for name, value in attributes:
        file.set(name, value)


_UNDEFINED_ENTITY = re.compile(r"Entity '([^']{1,40})' not defined")


def _entity_hint(message: str) -> str | None:
    """The fix for an HTML entity typed into XLIFF (`&nbsp;`, `&eacute;`: XML knows five
    only), naming the character to type; None for any other syntax error (the code's
    own hint)."""
    import html.entities
    m = _UNDEFINED_ENTITY.search(message)
    if m is None:
        return None
    point = html.entities.name2codepoint.get(m.group(1))
    if point is None:
        return (f"XML knows only &amp; &lt; &gt; &quot; &apos;: write `&amp;{m.group(1)};` for the text "
                f"'&{m.group(1)};', or the character meant itself.")
    return (f"XML knows only &amp; &lt; &gt; &quot; &apos;: type the character itself (U+{point:04X} "
            f"{unicodedata.name(chr(point), '')}) or write `&#{point};` instead of `&{m.group(1)};`.")


# Where a translation file says its language: the PO header's `Language:`, XLIFF 2.0's
# `trgLang` on <xliff>, XLIFF 1.2's `target-language` on <file>.
_PO_LANGUAGE = re.compile(r'^"Language:[ \t]*([^"\\]*?)[ \t]*(?:\\n)?"', re.M)
# the elements that name languages (XLIFF 2.0: the root's srcLang and trgLang; 1.2: each and those attributes
# <file>'s source-language and target-language; a <source>'s or <target>'s xml:lang)
_XLIFF_HOLDER = re.compile(r"<(?:[\w.-]+:)?(xliff|file|source|seg-source|target)(?=[\s>/])[^>]*>")
_XLIFF_LANGUAGE = re.compile(r"""\s(srcLang|trgLang|source-language|target-language|xml:lang)\s*=\s*(["'])([^"'<>]*)\2""")
_SOURCE_SIDE = frozenset({"srcLang", "source-language", "source", "seg-source"})
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# _XML_COMMENT as a pair (load/delimited.py): the pattern read from each unclosed `<!--`
# on to the end of the file, again from the next: `<!--` 50,000 times (200 KB) in a
# translation file was ~50 CPU-s of `foundry check` before its XML error was said
_XML_COMMENT_PAIR = [(re.compile(r"<!--"), re.compile(r"-->"))]
# a CSV column naming each row's language, as some tools export (matched lower-cased)
_CSV_LANGUAGE = {"language": "target", "lang": "target", "locale": "target", "target_language": "target",
                 "target_locale": "target", "target_lang": "target", "source_language": "source",
                 "source_locale": "source", "source_lang": "source"}


@dataclass(frozen=True)
class Declared:
    """A language a translation file names: `which` ("source": what it is translated
    from; "target": what it holds), `where` (the attribute, header or column naming it),
    the tag as written, and the 1-based line and column of the tag in the file."""

    which: str
    where: str
    tag: str
    line: int
    column: int


def declared_languages(text: str, fmt: str) -> list[Declared]:
    """Every language a translation file names, in file order: a PO header's
    `Language:` (its header only), each XLIFF `srcLang`/`trgLang` (2.0) and each
    `<file>`'s `source-language`/`target-language` (1.2: a file may hold several
    `<file>`s), a `<source>`'s or `<target>`'s `xml:lang` (each language once), a CSV
    language column's values (each value once, at its first row).
    Empty values name nothing."""
    out: list[Declared] = []

    def at(offset: int, which: str, where: str, tag: str) -> None:
        if tag.strip():
            start = text.rfind("\n", 0, offset) + 1
            out.append(Declared(which, where, tag.strip(), text.count("\n", 0, offset) + 1, offset - start + 1))

    if fmt == "po":
        m = _PO_LANGUAGE.search(text)
        if m is not None and not re.search(r'^msgctxt|^msgid "[^"]', text[:m.start()], re.M):
            at(m.start(1), "target", "header's Language:", m.group(1))   # (the header is the first entry, msgid "")
    elif fmt == "xliff":
        # a comment's tags are no file's (blanked, its line breaks kept, so offsets stay)
        plain = blanked(text, [piece.span() for piece in pieces(text, _XML_COMMENT_PAIR)],
                        lambda part: re.sub(r"[^\n]", " ", part))   # _XML_COMMENT.sub(…)
        said: set[tuple[str, str]] = set()
        for holder in _XLIFF_HOLDER.finditer(plain):
            for attr in _XLIFF_LANGUAGE.finditer(holder.group(0)):
                name = attr.group(1)
                which = "source" if (holder.group(1) if name == "xml:lang" else name) in _SOURCE_SIDE else "target"
                if name == "xml:lang":   # a tool writes it on every <target>: each language once
                    if holder.group(1) in ("xliff", "file") or (which, attr.group(3)) in said:
                        continue
                    said.add((which, attr.group(3)))
                    name = f"<{holder.group(1)} xml:lang>"
                at(holder.start() + attr.start(3), which, name, attr.group(3))
    elif fmt == "csv":
        try:
            sheet = read_sheet(text.replace("\r\n", "\n").lstrip("\ufeff"))
        except csv.Error:   # a header cell past the csv module's limit: the file's reading says so (HF1104)
            return out
        columns = {n: _CSV_LANGUAGE[name] for n, name in enumerate(sheet.header) if name in _CSV_LANGUAGE}
        if columns:
            seen: set[tuple[int, str]] = set()
            lines = text.replace("\r\n", "\n").split("\n")
            reader, last = csv.reader(io.StringIO(sheet.text), sheet.dialect), 0
            try:
                for row in reader:
                    number, last = sheet.skipped + last + 1, reader.line_num
                    for n, which in columns.items():
                        value = row[n].strip() if n < len(row) and number > sheet.skipped + 1 else ""
                        if value and (n, value) not in seen:
                            seen.add((n, value))
                            line = lines[number - 1] if number <= len(lines) else ""
                            cell = re.search(rf'(?:^|{re.escape(sheet.dialect.delimiter)})\s*"?({re.escape(value)})', line)
                            column = cell.start(1) + 1 if cell else 1
                            out.append(Declared(which, f"{sheet.header[n]} column", value, number, column))
            except csv.Error:
                pass   # the file's reading says this (HF1104)
    return out


_PO_KEYWORD = re.compile(r"\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?!\w)\s*(:?)\s*(.*?)\s*$")
# quotes a writer may type for PO's double quotes: single, typographic, guillemets
_OTHER_QUOTES = ("''", "\u2018\u2019", "\u201c\u201d", "\u201e\u201c", "\u00ab\u00bb", "\u00bb\u00ab")


def _po_slip(line: str) -> tuple[str, str] | None:
    """(message, hint) in a translator's words for the PO line translate-toolkit could
    not parse, when it is a slip with one fix: text after `msgstr` (or msgid, msgctxt)
    not in double quotes, a quote not closed, a line of text outside quotes. None for
    anything else (translate-toolkit's own words are kept)."""
    m = _PO_KEYWORD.match(line)
    keyword, colon, rest = (m.group(1), m.group(2), m.group(3)) if m else ("", "", line.strip())
    if not rest or rest.startswith("#"):
        return None
    if colon and len(rest) >= 2 and rest.startswith('"') and rest.endswith('"'):
        return (f"`{keyword}` is followed by ':'", f"Write {keyword} {rest}: a space, not a colon, before the text.")
    if rest.startswith('"') and (len(rest) == 1 or not rest.endswith('"') or rest.endswith('\\"')):
        fixed = _po_quoted(rest[1:])
        what = f"the text after `{keyword}`" if keyword else "this line of text"
        return (f"{what} has no closing double quote",
                f"Write {(keyword + ' ') if keyword else ''}{fixed}: PO text starts and ends with \" on its line.")
    if rest.startswith('"'):
        return None
    if rest.endswith('"') and not rest.endswith('\\"') and rest.count('"') == 1:
        # only the opening quote left out (`Die Nebelstraße"`): the one at the end closes
        # the text, it is not a quote in it (escaping it would publish a stray `"`)
        fixed = _po_quoted(rest[:-1])
        what = f"the text after `{keyword}`" if keyword else "this line of text"
        return (f"{what} has no opening double quote",
                f"Write {(keyword + ' ') if keyword else ''}{fixed}: PO text starts and ends with \" on its line.")
    inner = rest
    for pair in _OTHER_QUOTES:
        if len(inner) >= 2 and inner[0] == pair[0] and inner[-1] == pair[1]:
            inner = inner[1:-1]
            break
    fixed = _po_quoted(inner)
    if keyword:
        return (f"the text after `{keyword}` is not in double quotes",
                f"Write {keyword} {fixed}: PO text is always in double quotes, a \" inside it written \\\".")
    return ("a line of a PO entry must start with msgctxt, msgid, msgstr, '#' or a quoted line of text, "
            f"not '{clip(line.strip(), 30)}'",
            f"To continue the text above, write {fixed} on its own line; a comment starts with '#'.")


def _stray_quotes(text: str, path: str, diags: Diagnostics) -> bool:
    """HF1104 at each PO line whose quoted text holds a `"` not written `\\"`
    (`msgstr "Tu"rm"`): translate-toolkit reads from the first quote to the last and
    takes `Tu"rm`, where gettext's msgfmt refuses the file; the translator meant one
    of the two, and is told the line to write. True when there was one."""
    found = False
    for number, line in enumerate(text.split("\n"), 1):
        m = _PO_KEYWORD.match(line)
        keyword, colon, rest = (m.group(1), m.group(2), m.group(3)) if m else ("", "", line.strip())
        inner = rest[1:-1]
        escaped = (len(inner) - len(inner.rstrip("\\"))) % 2   # the last quote has a backslash of its own
        if colon or len(rest) < 2 or not rest.startswith('"') or not rest.endswith('"') or escaped:
            continue   # not quoted text, or a slip read_catalog says otherwise (PoParseError)
        if not _UNESCAPED_QUOTE.search(inner):
            continue
        fixed = '"' + clip(_UNESCAPED_QUOTE.sub(r'\1\\"', inner), 80) + '"'
        what = f"the text after `{keyword}`" if keyword else "this line of text"
        diags.add("HF1104", f"{what} has a \" inside it that is not written \\\"", Span(path, number, 1),
                  hint=f"Write {(keyword + ' ') if keyword else ''}{fixed}: inside PO text a double quote is "
                       f"written \\\" (else the text ends at it).")
        found = True
    return found


# a `"` with no backslash before it, or an even number of them (`\\"` is a backslash, then the quote)
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)((?:\\\\)*)"')


def _po_twice(lines: list[str], at: int) -> tuple[str, str] | None:
    """(message, hint) when line index `at` repeats a keyword (`msgstr`, `msgid`,
    `msgctxt`) of the entry it belongs to (the lines above it up to a blank line);
    None otherwise."""
    if not 0 <= at < len(lines):
        return None
    m = _PO_KEYWORD.match(lines[at])
    if m is None or m.group(1).startswith("msgid_plural"):
        return None
    keyword = m.group(1)
    for i in range(at - 1, -1, -1):
        if not lines[i].strip():
            return None   # the entry starts below this blank line
        other = _PO_KEYWORD.match(lines[i])
        if other is not None and other.group(1) == keyword:
            return (f"a second `{keyword}` in one entry (the first at line {i + 1})",
                    f"Keep one `{keyword}`; to continue its text, write the rest as a quoted line of its own "
                    f"(\"…\"), and start a new entry after a blank line.")
    return None


def _po_quoted(text: str) -> str:
    """`text` as PO writes it: in double quotes, a quote or backslash inside escaped."""
    return '"' + clip(text.replace("\\", "\\\\").replace('"', '\\"'), 80) + '"'


def _line_of(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


# The escapes translate-toolkit reads in PO text; it drops the backslash of any other
# (`\u00e9` became "u00e9", `\x41` "x41", `\101` "101"), which msgfmt refuses.
_PO_ESCAPES = frozenset('ntr"\\')
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.?)")


def _report_escapes(lines: list[str], path: str, diags: Diagnostics) -> None:
    """HF1104 at each backslash in PO text that starts no escape translate-toolkit
    reads (`\n`, `\t`, `\r`, `\"`, `\\`): the translation would show other text than
    typed, without a word. The hint gives the character meant, to type as itself."""
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip()
        if "\\" not in line or stripped.startswith("#"):
            continue
        start = line.find('"')
        for m in _ESCAPE.finditer(line, start + 1 if start >= 0 else len(line)):
            code = m.group(1)
            if code[:1] in _PO_ESCAPES:
                continue
            meant = None
            if code[:1] in ("u", "U", "x") and len(code) > 1 and int(code[1:], 16) <= 0x10FFFF:
                meant = chr(int(code[1:], 16))
            elif code[:1].isdigit():
                meant = chr(int(code, 8))
            typed = clip(m.group(0), 12)
            if meant is not None and meant.isprintable():
                hint = f"Type the character itself ({meant}): PO files are UTF-8; write `\\\\` for a backslash."
            else:
                hint = "PO text reads only \\n, \\t, \\r, \\\" and \\\\; write `\\\\` for a backslash itself."
            diags.add("HF1104", f"`{typed}` is not a PO escape: the translation would read "
                      f"'{clip(code, 12)}' without the backslash", Span(path, number, m.start() + 1), hint=hint)


def _read_po(data: bytes, path: str = "", diags: Diagnostics | None = None
             ) -> tuple[list[Entry], tuple[tuple[str, str], ...], str, tuple[str, ...]]:
    """A PO file's entries, and its header's fields in file order, translator
    comments (Poedit, Weblate and Crowdin write the translator's name, team, revision
    date and plural rule there; the comments credit them) and flags (`fuzzy` too), kept
    for `extract`."""
    from translate.storage import pypo
    # `data` is UTF-8 here (read_text decoded the file): the header's own charset is
    # what translate-toolkit reads, so one naming nothing is given the name of what it is
    store = pypo.pofile.parsestring(_NO_CHARSET.sub(rb"\1UTF-8", data[:65536], count=1) + data[65536:])
    head = store.header()
    header = _header_lines(str(head.target or "")) if head is not None else ()
    # each comment line as written but its `# `: a bare `#` too (msginit's and xgettext's
    # header has one under the credits), which translate-toolkit's getnotes skips
    header_note = "".join(_comment_text(line) for line in head.othercomments) if head is not None else ""
    header_flags = (("fuzzy",) if head.isfuzzy() else ()) + _po_flags(head.typecomments) if head is not None else ()
    lines = data.decode("utf-8", "replace").split("\n")
    if diags is not None:
        _report_escapes(lines, path, diags)
    out = []
    for unit in store.units:
        if unit.isheader():
            continue
        first = getattr(unit, "line_number", 0) or 0
        if unit.hasplural() and diags is not None and not unit.isobsolete():
            # A line of content has no count to choose a form by: msgstr[0] is read, and
            # a translator's other forms would vanish without a word.
            forms = len(getattr(unit.target, "strings", ()) or ())
            diags.add("HF1142", f"'{clip(unit.getcontext(), 60)}' has plural forms (msgid_plural); a line of "
                      f"content has one text: msgstr[0] is used, the other {max(forms - 1, 1)} ignored",
                      Span(path, _msgstr_line(lines, first) or first or 1, 1))
        at = _msgstr_line(lines, first)
        line, column, written = _msgstr_text(lines, at)
        id_line, id_column = _msgctxt_at(lines, first, at)
        out.append(Entry(unit.getcontext(), str(unit.source), str(unit.target or ""), unit.isfuzzy(),
                         unit.isobsolete(), str(unit.prev_source or ""), unit.getnotes("developer"),
                         " ".join(unit.getlocations()), first, line, column, written,
                         note=unit.getnotes("translator"), flags=_po_flags(unit.typecomments),
                         previous_context=str(unit.prev_context or ""), id_line=id_line, id_column=id_column))
    return out, header, header_note, header_flags


def _comment_text(line: str) -> str:
    """A PO translator comment line (`# Anna, 2026.`, a bare `#`) without its mark."""
    text = line[1:]
    return text[1:] if text.startswith(" ") else text


def _header_lines(text: str) -> tuple[tuple[str, str | None], ...]:
    """A PO header's lines in file order: (name, value) for each `Name: value` line,
    (the line as written, None) for a line with no name before a colon. Read here, not
    with translate-toolkit's `parseheader`: its dict keeps one line of each name and
    skips a line without a colon, and `extract`, writing the header back, then dropped
    what a translator (or a tool) had written there."""
    lines: list[tuple[str, str | None]] = []
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            lines.append((name.strip(), value.strip()))
        elif line.strip():
            lines.append((line, None))
    return tuple(lines)


def _po_flags(lines: list[str]) -> tuple[str, ...]:
    """The flags of a PO entry's `#,` lines but `fuzzy` (a mark foundry keeps itself), in
    their order, once each: `no-wrap`, `c-format`, Weblate's `max-length:40`…"""
    flags: dict[str, None] = {}
    for line in lines:
        for flag in line[2:].split(","):
            if flag.strip() and flag.strip() != "fuzzy":
                flags.setdefault(flag.strip())
    return tuple(flags)


_EMPTY_STRING = re.compile(r'\s*(msgstr(\[0\])?)?\s*""\s*')


def _msgstr_text(lines: list[str], at: int) -> tuple[int, int, str]:
    """(line, column, the lines as written) of the translation in a PO entry whose
    `msgstr` is at line `at`: the line where its text starts, the column inside its
    quotes, and that line with the msgstr's further continuation lines, where a tag or
    brace is found on the line that holds it. A long text wrapped after `msgstr ""`
    (as msgmerge, Poedit and Weblate write it) starts on the first continuation line
    holding text: a translator reads the translation there, not at the empty string
    before it. (at, 0, "") when there is no msgstr line."""
    if not at:
        return at, 0, ""
    end = at
    while end < len(lines) and lines[end].lstrip().startswith('"'):
        end += 1
    # the first line whose string is not empty (`msgstr ""`, `""`); none: the msgstr line
    start = next((n for n in range(at, end + 1) if not _EMPTY_STRING.fullmatch(lines[n - 1])), at)
    quote = lines[start - 1].find('"')
    return (start, quote + 2, "\n".join(lines[start - 1:end])) if quote >= 0 else (at, 0, "")


_MSGCTXT = re.compile(r'\s*msgctxt\s*"')


def _msgctxt_at(lines: list[str], first: int, msgstr: int) -> tuple[int, int]:
    """The 1-based line and column of the entry's line id, just inside its `msgctxt`'s
    quote, between the entry's first line and its msgstr; (0, 0) when it has none."""
    for number in range(max(first, 1), (msgstr or first) + 1):
        m = _MSGCTXT.match(lines[number - 1]) if number <= len(lines) else None
        if m is not None:
            return _continued(lines, number, m.end() + 1)
    return 0, 0


def _continued(lines: list[str], number: int, column: int) -> tuple[int, int]:
    """Where the id's text starts: a `msgctxt ""` wrapped as msgmerge and msgcat wrap a
    long string (its text on the `"…"` lines after) is said at its first text there, not
    at the empty quotes."""
    if lines[number - 1][column - 1:].strip() != '"':
        return number, column
    for later in range(number + 1, len(lines) + 1):
        text = lines[later - 1].lstrip()
        if not text.startswith('"'):
            break
        if text.strip() != '""':
            return later, len(lines[later - 1]) - len(text) + 2
    return number, column


def _msgstr_line(lines: list[str], first: int) -> int:
    """The 1-based line of the entry's `msgstr` (or `msgstr[0]`): translate-toolkit
    gives only where the entry starts, which is its first comment."""
    for number in range(max(first, 1), len(lines) + 1):
        text = lines[number - 1].lstrip()
        if text.startswith("msgstr") or (number > first and not text):
            return number if text.startswith("msgstr") else 0
    return 0


_XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def _read_xliff(data: bytes, path: str, diags: Diagnostics) -> list[Entry]:
    from lxml import etree
    from translate.storage import xliff2
    store = xliff2.Xliff2File.parsestring(data)
    lines = data.decode("utf-8").split("\n")
    # One entry per <unit>, not per <segment>: a translator's tool may split a paragraph
    # into sentences (a <segment> each, <ignorable> whitespace between; XLIFF 2.0, 4.2.2.3),
    # which translate-toolkit gives as units named `<id>::<segment>`, unknown line ids.
    units: list = []
    for unit in store.unit_iter():
        element = unit.xmlelement.getparent()
        if element is not None and (not units or units[-1] is not element):
            units.append(element)
    out = []
    for element in units:
        parts = [child for child in element if child.tag in (f"{_XLIFF}segment", f"{_XLIFF}ignorable")]
        segments = [child for child in parts if child.tag == f"{_XLIFF}segment"]
        for child in parts:
            _second_targets(child, _XLIFF, path, diags)
        for segment in segments:
            _known_values(segment, _XLIFF2_VALUES, lines, path, diags)
        sources = [child.find(f"{_XLIFF}source") for child in parts]
        targets = [child.find(f"{_XLIFF}target") for child in parts]
        # translate-toolkit's plain `source`/`target` drop inline codes (`<ph/>` vanishes
        # with what it stood for), so the text is read from the elements: see _inline_text
        data = _original_data(element)
        source = _spaced("".join(_inline_text(s, path, diags, data) for s in sources if s is not None), element)
        # (a target of spaces, as a tool that pretty-prints leaves one, is none: the sentence
        # was dropped and the line read as translated without it)
        translated = [t is not None and bool((t.text or "").strip() or len(t)) for t, child in zip(targets, parts)
                      if child.tag == f"{_XLIFF}segment"]
        target = ""
        if any(translated):
            # A part with no target stands as its source: the whitespace of an ignorable,
            # and a sentence not translated yet (so no sentence of the line goes missing).
            chosen = [t if t is not None and ((t.text or "").strip() or len(t)) else s for s, t in zip(sources, targets)]
            target = _spaced("".join(_inline_text(e, path, diags, data) for e in chosen if e is not None),
                             _first_of(targets))
        if target == source and segments and all(seg.get("state") == "initial" for seg in segments):
            # a tool's copy of the source, not a translation yet (memoQ's and Phrase's "copy
            # source to target", in the state before any translation): as 1.2's `new`. It was
            # a stale French line, the English shown unmarked on the French page and
            # counted stale, not missing.
            target = ""
        # A unit translated in part is kept (never lost), marked for review: stale.
        fuzzy = bool(target) and (not all(translated) or any(seg.get("state") == "initial" for seg in segments))
        notes = _xliff_notes(element)
        first_target = next((t for t in targets if t is not None), None)
        obsolete = any(seg.get("subState") == OBSOLETE for seg in segments)
        # the review state every segment shares (`reviewed`, `final`, a tool's subState),
        # kept for `extract` to write back: it wrote `translated` over a reviewer's `final`
        states = {tuple((name, seg.get(name)) for name in ("state", "subState") if seg.get(name)) for seg in segments}
        state = states.pop() if len(states) == 1 and target and not fuzzy and not obsolete else ()
        out.append(Entry(element.get("id") or "", source, target, fuzzy, obsolete, notes.get(PREVIOUS_NOTE, ""),
                         notes.get("developer", ""), notes.get("location", ""),
                         (segments[0].sourceline if segments else element.sourceline) or 0,
                         first_target.sourceline or 0 if first_target is not None else 0,
                         target_lines=_lines_of(t for t in targets if t is not None),
                         note=_with_comments(_translator_note(notes), sources + targets), state=state,
                         **_unit_extras(element, lambda child: etree.QName(child).namespace == _XLIFF[1:-1])))
    return out


def _spaced(text: str, element) -> str:
    """The text of `element` (a source or target) as its `xml:space` has it: where it is
    not `preserve` (XLIFF 1.2 and 2.0 make `default` the default), the line break and
    indentation a tool's pretty-printer put around it (`<target>` on a line of its own,
    its text on the next, indented) are layout, not the translation's: taken off its
    two ends. They were a name's or choice's text (HF1108 "no visible text": the indented
    line read as a Markdown code block), the string tables' (an engine saw a code block),
    and a source's (every line stale). Inside, the text is kept as written: a line break
    in a paragraph is the translator's."""
    space = element.xpath("ancestor-or-self::*[@xml:space][1]/@xml:space") if element is not None else []
    return text if space and space[0] == "preserve" else text.strip(" \t\r\n")


def _first_of(elements: list):
    """The first of `elements` that is not None (the first segment's target), else None."""
    return next((e for e in elements if e is not None), None)


def _original_data(unit) -> dict[str, str]:
    """A 2.0 unit's `<originalData>`: each `<data id>`'s text (the code as the source
    format wrote it, a `*` of Markdown), by id."""
    found = unit.find(f"{_XLIFF}originalData")
    return {} if found is None else {d.get("id"): "".join(d.itertext()) for d in found.iter(f"{_XLIFF}data") if d.get("id")}


def _inline_text(element, path: str, diags: Diagnostics, data: dict[str, str] | None = None) -> str:
    """The text of an XLIFF 2.0 `<source>` or `<target>` with its inline codes as text
    (XLIFF 2.0 core, 4.2.2): the code its `dataRef` names in the unit's `<originalData>`
    (`data`) — the native code, as a tool filtering Markdown stores a `*` —, else its
    text equivalent `equiv`: `<ph>`, `<sc>`, `<ec>` give theirs, `<pc>` its start's
    (`dataRefStart`, `equivStart`), content and end's, `<mrk>` its
    content (`<sm>`/`<em>`, a marker split in two, nothing), `<cp hex>` its character. We write plain text, so a code here was made by
    the translator's tool; one with neither would silently lose what it stood for (a
    `{name}`, a `**`), so it is HF1111 at its line instead. A `<pc>` with only
    `dataRefStart`/`dataRefEnd` was read as its content alone: the emphasis the
    translator kept was "lost" (HF1107), and a `<ph dataRef>` was HF1111."""
    from lxml import etree
    data = data or {}

    def native(child, ref: str, equiv: str) -> str | None:
        return data[child.get(ref)] if child.get(ref) in data else child.get(equiv)

    parts = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in ("ph", "sc", "ec"):
            text = native(child, "dataRef", "equiv")
            if text is None:
                diags.add("HF1111", f"inline code <{name} id=\"{clip(child.get('id') or child.get('startRef') or '', 20)}\"> "
                          "has no text equivalent (equiv)", Span(path, child.sourceline or 1, 1))
            parts.append(text or "")
        elif name == "pc":
            parts += [native(child, "dataRefStart", "equivStart") or "", _inline_text(child, path, diags, data),
                      native(child, "dataRefEnd", "equivEnd") or ""]
        elif name == "mrk":
            parts.append(_inline_text(child, path, diags, data))
        elif name in ("sm", "em"):
            # an annotation's start and end markers (4.2.2.8, 4.2.2.9: a `<mrk>` that
            # overlaps another, as a tool writes a reviewer's comment or a term across a
            # code): they mark text and stand for none. Read as "not an inline element",
            # HF1111 refused the reviewed translation.
            pass
        elif name == "cp":
            try:
                code = int(child.get("hex") or "", 16)
                # a surrogate half is no character: one alone cannot be written as UTF-8,
                # and the first output to encode the translation would fail on it
                if 0xD800 <= code <= 0xDFFF:
                    raise ValueError(code)
                parts.append(chr(code))
            except (ValueError, OverflowError):
                diags.add("HF1111", f"<cp hex=\"{clip(child.get('hex') or '', 12)}\"> is not a character",
                          Span(path, child.sourceline or 1, 1))
        elif isinstance(child.tag, str):
            diags.add("HF1111", f"<{clip(name, 20)}> is not an XLIFF 2.0 inline element", Span(path, child.sourceline or 1, 1))
        parts.append(child.tail or "")
    return "".join(parts)


def _note_text(note) -> str:
    """A note's words: its text and that of any element inside it (XPath's string-value;
    comments are no words). A note is text in both schemas, but a tool or a hand may
    put markup in it (`A <b>bold</b> tail`): `.text` alone ended at the first element,
    and `extract` wrote back "A ", the rest gone without a word."""
    return note.xpath("string()")


def _xliff_notes(unit) -> dict[str, str]:
    """The notes of a `<unit>` element by category: where XLIFF 2.0 puts them, and inside
    its segment, where files written before we moved them have them. Two notes of one
    category (a translator's, a reviewer's) are joined, one a line."""
    found: dict[str, str] = {}
    for note in unit.iter(f"{_XLIFF}note"):
        category = note.get("category", "")
        found[category] = "\n".join(filter(None, (found.get(category, ""), _note_text(note))))
    return found


# the notes foundry writes itself; every other note is a translator's or a tool's
_OURS = frozenset({"developer", "location", PREVIOUS_NOTE, OBSOLETE})


def _with_comments(note: str, texts: list, ns: str = _XLIFF) -> str:
    """`note` (a unit's translator's note) with the comments annotated on the words of its
    `texts` (XLIFF 2.0 `<sm type="comment" value=…>` or `<mrk …>`; 1.2, namespace `ns`,
    `<mrk comment=…>`: a reviewer's remark as a CAT tool or a hand writes it), a line
    each, unless the note holds it already. We write plain text, so the markers go when
    the file is written: their comment was gone with them, every unit's, when one line
    of the source changed."""
    lines = note.splitlines()
    for text in texts:
        for marker in text.iter(f"{ns}sm", f"{ns}mrk") if text is not None else ():
            comment = (marker.get("value") or "" if marker.get("type") == "comment" else marker.get("comment") or "").strip()
            for words in (comment, *((marker.get(name) or "").strip() for name in _ITS_REMARKS)):
                if words and words not in lines:
                    lines.append(words)
    return "\n".join(lines)


# The W3C ITS 2.0 remarks an XLIFF 2.1 reviewer's tool (Okapi, Ocelot) writes on a
# marker, in 1.2 files too: a quality issue's comment and a localization note. Words a
# person wrote for the translator, gone with the marker like a comment annotation.
_ITS = "{http://www.w3.org/2005/11/its}"
_ITS_REMARKS = (f"{_ITS}locQualityIssueComment", f"{_ITS}locNote")


def _translator_note(notes: dict[str, str]) -> str:
    """The notes foundry did not write (no category, `translator`, a CAT tool's own), as
    one text: rewriting the file keeps them, as a note of category `translator`."""
    return "\n".join(text for category, text in notes.items() if category not in _OURS and text.strip())


# XLIFF 1.x: what Trados, memoQ, OmegaT (Okapi) and Crowdin export; translate-toolkit
# reads it with another class than 2.0, and its 2.0 reader refused the file in its own
# words ("Please use the XLIFF 1.x parser"), so the translator's work was not used.
XLIFF1 = "1.2"
_XLIFF1_NAMESPACES = ("urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.2")
_XLIFF1_NS = "{urn:oasis:names:tc:xliff:document:1.2}"
# target states (XLIFF 1.2, 2.5.3 "state") that ask for review: the translation is kept, stale
_REVIEW_STATES = frozenset({"needs-review-translation", "needs-review-adaptation", "needs-review-l10n",
                            "needs-adaptation", "needs-l10n"})
# states that say the target is not a translation yet (a tool's copy of the source)
_UNTRANSLATED_STATES = frozenset({"new", "needs-translation"})


def _xliff_version(data: bytes) -> str:
    """XLIFF1 for a file whose root is XLIFF 1.1 or 1.2 (by its namespace, else its
    `version`), "" otherwise (2.x, or not XML: the 2.0 reader says what is wrong)."""
    head = data[:4096].decode("utf-8", "replace")
    root = re.search(r"<(?:\w+:)?xliff\b[^>]*>", head)
    if root is None:
        return ""
    tag = root.group(0)
    if any(ns in tag for ns in _XLIFF1_NAMESPACES):
        return XLIFF1
    version = re.search(r"""\bversion\s*=\s*["']([^"']*)["']""", tag)
    return XLIFF1 if version and version.group(1).startswith("1") and "xliff:document:2" not in tag else ""


def _unit_line_id(element) -> str:
    """A `<trans-unit>`'s line id: its `id`, or its `resname` when the `id` cannot be one.
    Okapi and other CAT tools number the ids (`id="1"`) and keep the key in `resname`
    (XLIFF 1.2, 2.5.6: the resource's name); every line id we make holds a `.`
    (`story.keep.l-3f2a`), a number never does."""
    uid, resname = element.get("id") or "", element.get("resname") or ""
    return resname if resname and "." not in uid else uid


def _read_xliff1(data: bytes, path: str, diags: Diagnostics) -> list[Entry]:
    """The entries of an XLIFF 1.x file: `<trans-unit id>` is the line id (`resname`
    when a tool kept the key there and numbered the ids), a target in a review state is
    fuzzy, one in state `new`/`needs-translation` that repeats its source is not a
    translation yet; notes we wrote carry obsolete and the previous source."""
    from translate.storage import xliff
    store = xliff.xlifffile.parsestring(data)
    lines = data.decode("utf-8").split("\n")
    out = []
    for unit in store.unit_iter():
        element = unit.xmlelement
        ns = element.tag[:element.tag.index("}") + 1] if element.tag.startswith("{") else ""
        source_el = element.find(f"{ns}seg-source")
        source_el = element.find(f"{ns}source") if source_el is None else source_el
        target_el = element.find(f"{ns}target")
        _second_targets(element, ns, path, diags)
        if target_el is not None:
            _known_values(target_el, _XLIFF1_VALUES, lines, path, diags)
        source = _spaced(_inline_text1(source_el, path, diags), source_el) if source_el is not None else ""
        sentences = _sentences1(source_el, target_el, ns) if target_el is not None else None
        shown = target_el if sentences is None else sentences[0]
        target = _spaced(_inline_text1(shown, path, diags), target_el) if target_el is not None else ""
        state = target_el.get("state", "") if target_el is not None else ""
        if state in _UNTRANSLATED_STATES and target == source:
            target = ""
        # a unit translated in part (a sentence's target empty) or with a sentence not
        # confirmed in Trados (`sdl:seg conf="Draft"`, rejected) is kept, to be reviewed
        unconfirmed, sdl_state = sentences[1:] if sentences is not None else (False, "")
        notes: dict[str, str] = {}
        # the unit's own notes: a TM match's `<alt-trans>` holds notes of its own, which
        # were read as the translator's, written back on the unit and so doubled, one line
        # more each time `extract` wrote the file (the match itself is kept as it is)
        for note in element.findall(f"{ns}note"):
            notes[note.get("from", "")] = "\n".join(filter(None, (notes.get(note.get("from", ""), ""), _note_text(note))))
        fuzzy = bool(target) and (state in _REVIEW_STATES or state in _UNTRANSLATED_STATES or unconfirmed)
        # a translated target's state as the tool wrote it (`signed-off`, `final`, a
        # qualifier), for `extract` to write back rather than `translated`
        # and the unit's `approved` (a reviewer's "no" became "yes": translate-toolkit
        # marks every translation it writes not fuzzy as approved)
        kept = (tuple((name, target_el.get(name)) for name in ("state", "state-qualifier") if target_el.get(name))
                + ((("state", sdl_state),) if sdl_state and not target_el.get("state") else ())
                + ((("approved", element.get("approved")),) if element.get("approved") else ())
                if target and not fuzzy and OBSOLETE not in notes else ())
        out.append(Entry(_unit_line_id(element), source, target, fuzzy,
                         OBSOLETE in notes, notes.get(PREVIOUS_NOTE, ""), notes.get("developer", ""),
                         " ".join(unit.getlocations()), element.sourceline or 0,
                         target_el.sourceline or 0 if target_el is not None else 0,
                         target_lines=_lines_of([target_el] if target_el is not None else []),
                         note=_with_comments(_translator_note(notes), [source_el, target_el], ns), state=kept,
                         **_unit_extras(element, lambda child: _ours1(child, ns))))
    return out


# SDLXLIFF (Trados Studio's XLIFF 1.2): each sentence's confirmation, in the unit's
# `<sdl:seg-defs>`, one `<sdl:seg id conf>` per `<mrk mtype="seg" mid>`
_SDL = "{http://sdl.com/FileTypes/SdlXliff/1.0}"
# the confirmations that are a translation as XLIFF 1.2 states it (`Translated`: none,
# `translated` is written anyway); any other (`Draft`, `RejectedTranslation`,
# `RejectedSignOff`, `Unspecified`, none) is a sentence not confirmed: fuzzy
_SDL_CONFIRMED = {"Translated": "", "ApprovedTranslation": "signed-off", "ApprovedSignOff": "final"}


def _sentences1(source_el, target_el, ns: str):
    """A segmented XLIFF 1.2 unit's target (`<seg-source>` and `<target>` holding a
    `<mrk mtype="seg" mid>` per sentence, as Trados, memoQ and Okapi write it), as
    (the target to read, unconfirmed, the state every sentence's SDL confirmation gives),
    or None for a unit not so segmented; an empty target when no sentence has one. A
    sentence whose target is empty or absent reads as its source (kept, so no sentence of the line goes missing) and makes the
    unit unconfirmed, as does a sentence Trados has not confirmed. The sentences are one
    line: `extract` writes them as one text, and so no `<sdl:seg-defs>` (whose `id`s
    named sentences the file no longer has: Trados read a unit with a definition and no
    sentence as damaged); their shared confirmation is the target's `state` instead."""
    import copy
    if source_el is None or source_el.tag != f"{ns}seg-source":
        return None
    sources = {m.get("mid"): m for m in source_el.iter(f"{ns}mrk") if m.get("mtype") == "seg"}
    target = copy.deepcopy(target_el)
    mine = [m for m in target.iter(f"{ns}mrk") if m.get("mtype") == "seg"]
    if not sources or not mine:
        return None
    if not any("".join(mark.itertext()).strip() for mark in mine):
        # no sentence translated (Trados writes an untranslated unit's marks, empty): no
        # translation, where each sentence read as its source made a stale English one
        target.text, target[:] = None, []
        return target, False, ""
    confs = {seg.get("id"): seg.get("conf") for seg in target_el.getparent().iterfind(f"{_SDL}seg-defs/{_SDL}seg")}
    unconfirmed, said = False, set()
    for mark in mine:
        if not "".join(mark.itertext()).strip() and mark.get("mid") in sources:
            original = sources[mark.get("mid")]
            mark.text, mark[:] = original.text, [copy.deepcopy(child) for child in original]
            unconfirmed = True
        elif confs:
            said.add(confs.get(mark.get("mid")))
    present = {m.get("mid"): m for m in mine}
    missing = [mid for mid in sources if mid not in present]
    order = list(sources)
    for mid in missing:
        # a sentence the target has no mark for: its source, where it stands in the source
        # (before the next sentence the target has; at the end, none): "Two ways to end. A
        # short crossing." read the line's sentences backwards
        extra = copy.deepcopy(sources[mid])
        after = next((present[m] for m in order[order.index(mid) + 1:] if m in present), None)
        if after is not None and after.getparent() is not None:
            extra.tail = " "
            after.addprevious(extra)
        else:
            last = target[-1]
            extra.tail, last.tail = None, (last.tail or "") + " "
            target.append(extra)
        present[mid] = extra
    unconfirmed = unconfirmed or bool(missing) or any(conf not in _SDL_CONFIRMED for conf in said)
    state = _SDL_CONFIRMED.get(said.pop(), "") if len(said) == 1 and not unconfirmed else ""
    return target, unconfirmed, state


def _ours1(child, ns: str) -> bool:
    """Whether a `<trans-unit>`'s child is one foundry writes itself (XLIFF 1.2): its
    source, target and notes, and the context group of its locations; and what names
    the sentences it writes as one: SDLXLIFF's `<sdl:seg-defs>`, and a TM match for one
    sentence (`<alt-trans mid>`, 1.2's reference to a `<mrk mtype="seg">`), which was
    written back naming a sentence gone, so a CAT tool offered it for the whole line.
    A match for the whole unit (no `mid`) is kept as it is."""
    return child.tag in (f"{ns}source", f"{ns}seg-source", f"{ns}target", f"{ns}note", f"{_SDL}seg-defs") or (
        child.tag == f"{ns}context-group" and child.get("purpose") == "location") or (
        child.tag == f"{ns}alt-trans" and child.get("mid") is not None)


# the attributes foundry writes on a unit (`approved`: 1.2, kept with the review state)
_UNIT_ATTRIBUTES = frozenset({"id", "approved", "{http://www.w3.org/XML/1998/namespace}space"})


def _kept_as_source(element) -> dict:
    """Entry's keep_source for an XLIFF unit `element` (1.2 or 2.0): whether the nearest
    `translate` of the unit, its `<group>`s and (2.0) its `<file>` says "no" — a unit a
    CAT tool or a project manager locked as not to be translated, with no target. It was
    counted missing (HF1105) and shown marked as a fallback. Inherited from a group, the
    `translate="no"` is put on the unit for `extract` to write back, as groups are not."""
    found = element.xpath("ancestor-or-self::*[@translate][1]/@translate")
    keep = bool(found) and found[0] == "no"
    inherited = keep and element.get("translate") is None
    return {"keep_source": keep, **({"inherited": (("translate", "no"),)} if inherited else {})}


def _unit_extras(element, ours) -> dict:
    """What a tool wrote on an XLIFF unit `element` that foundry does not write (Entry's
    unit_attributes and unit_elements): every attribute but _UNIT_ATTRIBUTES, and every
    child (comments too) for which `ours(child)` is false, serialised as written. The
    unit was written anew from what foundry reads, and a TM match (`<alt-trans>`), a
    tool's metadata (`<mda:metadata>`), a width limit (`maxwidth`) were gone without a word."""
    from lxml import etree
    kept = _kept_as_source(element)
    attributes = tuple((name, value) for name, value in element.attrib.items() if name not in _UNIT_ATTRIBUTES)
    elements = tuple(etree.tostring(child, with_tail=False, encoding="unicode") for child in element
                     if isinstance(child, etree._Comment) or (isinstance(child.tag, str) and not ours(child)))
    return {"unit_attributes": attributes + kept.pop("inherited", ()), "unit_elements": elements, **kept}


def _put_extras(unit, entry: Entry, at: int | None) -> None:
    """Write an entry's unit_attributes and unit_elements back on the XLIFF `unit`
    element: the elements from child `at` on (2.0: first, where its schema has modules and
    extensions), or after its children (None: 1.2, whose schema has them last)."""
    from lxml import etree
    for name, value in entry.unit_attributes:
        unit.set(name, value)
    if entry.unit_elements:
        # (each parsed inside a wrapper: a comment is no document of its own; an element
        # declares the namespaces it uses, as tostring wrote it)
        wrapper = etree.fromstring(f"<w>{''.join(entry.unit_elements)}</w>",
                                   etree.XMLParser(resolve_entities=False, no_network=True))
        for n, child in enumerate(list(wrapper)):
            child.tail = None
            if at is None:
                unit.append(child)
            else:
                unit.insert(at + n, child)


# the values a state attribute may take (XLIFF 1.2, 2.5.3 and 2.5.4: `x-` begins a
# tool's own; XLIFF 2.0, 4.3.1.36: a segment's state, and its subState `prefix:value`)
_XLIFF1_VALUES = {
    "state": ("final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
              "needs-review-translation", "needs-translation", "new", "signed-off", "translated"),
    "state-qualifier": ("exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
                        "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar",
                        "rejected-inaccurate", "rejected-length", "rejected-spelling", "tm-suggestion")}
_XLIFF2_VALUES = {"state": ("initial", "translated", "reviewed", "final")}
_SUB_STATE = re.compile(r"[^\s:]+:\S+")


def _known_values(element, known: dict[str, tuple[str, ...]], lines: list[str], path: str,
                  diags: Diagnostics) -> None:
    """HF1151 at each state attribute of an XLIFF `<target>` (1.2) or `<segment>` (2.0)
    whose value the standard does not list (`state="bogus"`, `state="Translated"`: the
    values are case-sensitive). It was read as translated without a word, whatever the
    translator's tool meant by it; it still is, and the hint lists the values."""
    from lxml import etree
    version = "1.2" if known is _XLIFF1_VALUES else "2.0"
    for name, values in known.items():
        value = element.get(name)
        if value is None or value in values or (version == "1.2" and value.startswith("x-")):
            continue
        tag = etree.QName(element).localname
        diags.add("HF1151", f"{name}=\"{clip(value, 40)}\" is not an XLIFF {version} {tag} {name}: the translation "
                  "is read as translated", _attribute_at(lines, element, name, path),
                  hint=f"Write one of {', '.join(values)}" + (" (or x-… for a tool's own)." if version == "1.2" else "."))
    sub = element.get("subState")
    if sub is not None and version == "2.0" and not _SUB_STATE.fullmatch(sub):
        diags.add("HF1151", f"subState=\"{clip(sub, 40)}\" is not prefix:value, as XLIFF 2.0 writes a tool's own "
                  "state", _attribute_at(lines, element, "subState", path),
                  hint="Write it as prefix:value (the tool's name, a colon, its word), as foundry writes "
                       "subState=\"foundry:obsolete\"; or remove it.")


def _attribute_at(lines: list[str], element, name: str, path: str) -> Span:
    """Where the value of attribute `name` of `element` is written: its line and the
    column inside its quotes (the start tag's line when it cannot be found)."""
    from lxml import etree
    first = element.sourceline or 1
    tag = etree.QName(element).localname
    pattern = re.compile(rf"""(?<![\w:-]){re.escape(name)}\s*=\s*["']""")
    for number in range(first, min(first + 20, len(lines)) + 1):
        line = lines[number - 1]
        start = line.find(f"<{tag}") if number == first else 0   # (a tag before it on its line is not it)
        found = pattern.search(line, max(start, 0))
        if found:
            return Span(path, number, found.end() + 1)
        if ">" in line[max(start, 0):]:
            break
    return Span(path, first, 1)


def _second_targets(holder, ns: str, path: str, diags: Diagnostics) -> None:
    """HF1104 at each `<target>` after the first in one XLIFF `<segment>` (2.0) or
    `<trans-unit>` (1.2), which the schemas allow once: the first is the translation
    read, and a second was dropped without a word (and by `extract`, which rewrote the
    file; it leaves a file with HF1104 as written)."""
    from lxml import etree
    found = holder.findall(f"{ns}target")
    for extra in found[1:]:
        diags.add("HF1104", f"a second <target> in one <{etree.QName(holder).localname}> "
                  f"(the first at line {found[0].sourceline or 1})", Span(path, extra.sourceline or 1, 1),
                  hint="Keep one <target>: the translation you mean; delete the other.")


def _lines_of(elements) -> tuple[int, ...]:
    """The 1-based lines the XML `elements` (an XLIFF unit's targets) are written on,
    from each one's start tag to its end tag: a translation a tool wrapped goes on past
    its first line, and a character there is the translator's to fix there."""
    from lxml import etree
    out: list[int] = []
    for element in elements:
        if element.sourceline:
            breaks = etree.tostring(element, with_tail=False).count(b"\n")
            out.extend(range(element.sourceline, element.sourceline + breaks + 1))
    return tuple(out)


def _inline_text1(element, path: str, diags: Diagnostics) -> str:
    """The text of an XLIFF 1.2 `<source>` or `<target>` with its inline codes as text
    (XLIFF 1.2, 2.4): `<ph>`, `<bpt>`, `<ept>`, `<it>` hold the native code they stand
    for, `<x/>`, `<bx/>`, `<ex/>` give their `equiv-text`, `<g>` and `<mrk>` their
    content. A code with no text is HF1111 at its line, as in XLIFF 2.0."""
    from lxml import etree
    parts = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in ("ph", "bpt", "ept", "it"):
            parts.append("".join(child.itertext()))
        elif name in ("x", "bx", "ex"):
            if child.get("equiv-text") is None:
                diags.add("HF1111", f"inline code <{name} id=\"{clip(child.get('id') or '', 20)}\"> "
                          "has no text equivalent (equiv-text)", Span(path, child.sourceline or 1, 1))
            parts.append(child.get("equiv-text") or "")
        elif name in ("g", "mrk"):
            parts.append(_inline_text1(child, path, diags))
        elif isinstance(child.tag, str):
            diags.add("HF1111", f"<{clip(name, 20)}> is not an XLIFF 1.2 inline element", Span(path, child.sourceline or 1, 1))
        parts.append(child.tail or "")
    return "".join(parts)


# Excel's first line `sep=;` names the separator for the rows after it (a German or
# French Excel writes `;`, and `sep=` to be opened again as it was saved)
_SEP_LINE = re.compile(r'\A"?sep=(.)"?[ \t]*(?:\n|\Z)')
# a spreadsheet's words for a true and a false cell when it saves a boolean (Excel in
# German WAHR/FALSCH, French VRAI/FAUX, Spanish VERDADERO/FALSO…): the fuzzy column
# reads them as it reads True and False (and a translator's typed yes or no)
FUZZY_WORDS = frozenset({"true", "1", "yes", "x", "fuzzy", "wahr", "vrai", "verdadero", "vero", "waar",
                         "verdadeiro", "prawda", "sant", "sand", "sann", "tosi", "pravda", "igaz", "истина",
                         "ja", "oui", "sí", "si", "sim", "tak"})
NOT_FUZZY_WORDS = frozenset({"", "false", "0", "no", "falsch", "faux", "falso", "onwaar", "fałsz", "falskt",
                             "falsk", "usann", "epätosi", "nepravda", "hamis", "ложь",
                             "nein", "non", "nee", "não", "nie", "nej"})


@dataclass(frozen=True)
class Sheet:
    """How a CSV translation file is laid out: its `text` from the header row on (a
    `sep=` line taken off), the lines taken off before it (`skipped`), its `dialect`, and
    its header's column names as translate-toolkit knows them (`ID` → `id`, `Translation`
    → `target`): a spreadsheet capitalises what it shows as headings."""

    text: str
    skipped: int
    dialect: type
    header: tuple[str, ...]
    written: tuple[str, ...] = ()     # the header's cells as typed


def read_sheet(text: str) -> Sheet:
    """The layout of a CSV translation file's `text` (decoded, `\\r\\n` made `\\n`)."""
    from translate.storage.csvl10n import fieldname_map
    skipped, separator = 0, None
    sep = _SEP_LINE.match(text)
    if sep is not None:
        skipped, separator, text = 1, sep.group(1), text[sep.end():]
    header_row = text.split("\n", 1)[0]
    # Excel's dialect otherwise: quotes doubled inside a quoted cell. The separator is
    # found in the header row, whose words we know: translate-toolkit's own sniffing of
    # the first kilobyte took the quotes and spaces of the prose for the dialect.
    dialect = type("Sheet", (csv.excel,), {"delimiter": separator or max(",;\t", key=header_row.count)})
    header = next(csv.reader(io.StringIO(header_row), dialect), [])
    plain = [" ".join(c.split()).lower() for c in header]
    typed = {p.replace(" ", "_") for p in plain}
    names: list[str] = []
    for p in plain:
        name = fieldname_map.get(p, p.replace(" ", "_"))
        # One column is each of foundry's: the one typed with its name, else the first a
        # tool names so (translate-toolkit's aliases: `Translation`, `Key`, `Notes`,
        # `State`). Another — a `Notes` or `State` column a translator added beside
        # foundry's eight, a second `target` — is the translator's own (OWN_COLUMN): taken
        # as the same column, its cells overwrote foundry's (a reviewer's `Notes` the
        # translator's comments, the obsolete mark with them) and were then dropped.
        if name in _CSV_COLUMNS and (name in names or (name != p.replace(" ", "_") and name in typed)):
            name = OWN_COLUMN + p.replace(" ", "_")
        names.append(name)
    return Sheet(text, skipped, dialect, tuple(names), tuple(header))


# the start of the name read_sheet gives a translator's column that a tool would take
# for one of foundry's: no name of translate-toolkit's, nor of foundry's columns, has it
OWN_COLUMN = "+"


# the columns foundry writes (translate-toolkit's); any other is a translator's own
_CSV_COLUMNS = ("location", "source", "target", "id", "fuzzy", "context", "translator_comments", "developer_comments")


class _QUOTED(csv.excel):
    """RFC 4180 as spreadsheets write it: every cell quoted, a quote doubled, nothing
    escaped with a backslash."""
    quoting = csv.QUOTE_ALL


def _read_csv(data: bytes, path: str, diags: Diagnostics) -> list[Entry]:
    from translate.storage import csvl10n
    # Windows line breaks: a spreadsheet writes them between rows, and a text editor on
    # Windows inside a quoted cell too, where a translation of two lines read as holding
    # a control character (HF0131 'U+000D CARRIAGE RETURN'), its line unused. A line
    # break is one, as in every other file we read; the rows' line numbers stay.
    # (Excel's "CSV UTF-8" starts with a byte order mark.)
    sheet = read_sheet(data.replace(b"\r\n", b"\n").decode("utf-8-sig"))
    header, dialect = list(sheet.header), sheet.dialect
    # (no `id` column is rows with no line id, each HF1109 and carried by `extract` to the
    # line with its words: translate-toolkit's `po2csv` writes location, source, target
    # only, and the file it made of our PO was refused whole, HF1104)
    lacking = [c for c in ("source", "target") if c not in header]
    if lacking:
        # Without these columns every row would be silently ignored.
        raise ValueError(f"the header row lacks the column(s) {', '.join(lacking)}")
    # Each row read once, its cells named by the header (translate-toolkit's unit
    # fills itself from them), at the line its record starts: a quoted cell may hold
    # line breaks, so rows ≠ lines.
    reader, last, out = csv.reader(io.StringIO(sheet.text), dialect), 0, []
    fuzzy_at = header.index("fuzzy") if "fuzzy" in header else -1
    # A column a translator added (a reviewer's initials, a status, a glossary term) is
    # kept with its row, to be written back by `extract` (it was dropped without a word).
    own = _own_columns(sheet)
    try:
        for row in reader:
            number, end, last = sheet.skipped + last + 1, sheet.skipped + reader.line_num, reader.line_num
            if number == sheet.skipped + 1 or not row or not any(cell.strip() for cell in row):
                continue   # the header row; a blank line
            if len(row) != len(header):
                # (a shifted row's cells are not what its header says: said here, not read)
                _shifted_row(row, header, dialect.delimiter, Span(path, number, 1), diags)
                continue
            unit = csvl10n.csvunit()
            unit.fromdict(dict(zip(header, row)))
            if not unit.id and not unit.source:
                continue
            said = (unit.translator_comments or "").strip()
            # Obsolete is the word foundry writes first in the cell, before the translator's
            # own words, and only that: a note saying "the old wording was obsolete" marked
            # a live line's row obsolete, its translation unused without a word, and
            # "obsoleted by the glossary" lost its first eight letters.
            words = said.split(None, 1)
            obsolete = bool(words) and words[0] == CSV_OBSOLETE
            note = (words[1] if len(words) > 1 else "") if obsolete else said
            fuzzy = _fuzzy_cell(row[fuzzy_at] if fuzzy_at >= 0 else "", Span(path, number, 1), diags)
            comment, previous = _csv_previous(unit.developer_comments or "")
            out.append(Entry(unit.id or "", _unescape(unit.source), _unescape(unit.target), fuzzy, obsolete,
                             previous, comment, unit.location or "", number,
                             target_lines=tuple(range(number, max(end, number) + 1)), note=note,
                             extra=tuple((sheet.written[n], row[n]) for n in own), context=_unescape(unit.context),
                             fuzzy_cell=row[fuzzy_at] if fuzzy_at >= 0 else ""))
    except csv.Error as exc:   # a cell over the csv module's limit (128 KiB)
        diags.add("HF1104", f"CSV: {clip(str(exc), 100)}", Span(path, sheet.skipped + (reader.line_num or 1), 1),
                  hint="A cell holds one line's translation: split what is this long in the source.")
        return []
    return out


# CSV has no cell for the previous source: it is the last part of the developer
# comments cell, foundry's own (written anew by every extract), after this mark
_CSV_PREVIOUS = f"{PREVIOUS_NOTE}: "


def _csv_previous(cell: str) -> tuple[str, str]:
    """A CSV developer_comments cell as (the comment, the previous source `extract` kept
    after _CSV_PREVIOUS, or ""). A fuzzy row's previous source was not kept, so after
    `extract` its translation's emphasis and code were held to nothing (check.py)."""
    at = cell.find(_CSV_PREVIOUS)
    while at > 0 and cell[at - 1] != "\n":   # (the mark begins a line of the cell)
        at = cell.find(_CSV_PREVIOUS, at + 1)
    if at < 0:
        return cell, ""
    return cell[:max(at - 1, 0)], cell[at + len(_CSV_PREVIOUS):]


def csv_columns(data: bytes) -> tuple[str, ...]:
    """The columns of a CSV translation file foundry does not write, as its header row
    names them (`Reviewer`, `Status`), in its order, a name twice if typed twice: a
    translator's own, which `extract` keeps (see _own_columns)."""
    sheet = read_sheet(data.replace(b"\r\n", b"\n").decode("utf-8-sig"))
    return tuple(sheet.written[n] for n in _own_columns(sheet))


def csv_layout(data: bytes) -> tuple[str, str, bool]:
    """How a CSV translation file is laid out, for `extract` to write it back so
    (Catalog.sheet): its separator, its `sep=` line as written (or ""), and whether its
    header row is quoted — no header cell needs quotes, so a quoted one is a tool that
    quotes every cell (foundry, LibreOffice asked to); Excel quotes only where needed."""
    text = data.replace(b"\r\n", b"\n").decode("utf-8-sig")
    sep = _SEP_LINE.match(text)
    sheet = read_sheet(text)
    return sheet.dialect.delimiter, sep.group(0).rstrip("\n") if sep else "", sheet.text.startswith('"')


def _own_columns(sheet: Sheet) -> list[int]:
    """The places of a translator's own columns in `sheet`'s header: every column foundry
    does not write but a nameless one whose cells are all empty (a spreadsheet's stray
    separator). One rule for the file's columns (csv_columns) and each row's cells
    (_read_csv), so the two line up place by place, which a name alone cannot do: two
    columns may have the same name."""
    own = [n for n, name in enumerate(sheet.header) if name not in _CSV_COLUMNS]
    if not own or all(sheet.written[n].strip() for n in own):
        return own
    rows = [row for row in csv.reader(io.StringIO(sheet.text), sheet.dialect)][1:]
    return [n for n in own if sheet.written[n].strip() or any(len(row) > n and row[n].strip() for row in rows)]


def _fuzzy_cell(cell: str, at: Span, diags: Diagnostics) -> bool:
    """Whether a CSV row's fuzzy cell marks it for review: True or False as foundry
    writes them, and a spreadsheet's words for them in its language (a German Excel
    saves WAHR and FALSCH: FALSCH was read as not fuzzy only by luck, and WAHR as not
    fuzzy, the mark lost). Another word is HF1151 at its row, read as not fuzzy."""
    word = cell.strip().casefold()
    if word in FUZZY_WORDS:
        return True
    if word not in NOT_FUZZY_WORDS:
        diags.add("HF1151", f"the fuzzy cell '{clip(cell.strip(), 30)}' is neither true nor false: the row is read "
                  "as not fuzzy", at, hint="Write True (the translation needs review) or False in the fuzzy "
                  "column; a spreadsheet's own words for them (WAHR/FALSCH, VRAI/FAUX) are read too.")
    return False


def _shifted_row(row: list[str], header: list[str], separator: str, at: Span, diags: Diagnostics) -> None:
    """HF1104 at a CSV row with more or fewer cells than the header: its cells moved
    into other columns (a translation read as the id, 'False' as the line id), and the
    translation was unused behind a warning about a line id nobody wrote. More cells: a
    cell holding the separator was not quoted; fewer, spanning lines: a quote opened and
    not closed took the cells after it."""
    shown = "tab" if separator == "\t" else f"'{separator}'"
    if len(row) > len(header):
        why = f"a cell holding the separator {shown} is not in double quotes"
    elif any("\n" in cell or separator in cell for cell in row):
        why = "a double quote opened in it is not closed where its cell ends, so the cells after it joined it"
    else:
        why = "cells are missing"
    diags.add("HF1104", f"this row has {len(row)} cells and the header {len(header)}: {why}", at,
              hint=f"Give each row the header's {len(header)} cells: a cell that holds {shown}, a line break or "
                   "a double quote goes in double quotes, a double quote inside one written twice "
                   "(\"Le brouillard, \"\"épais\"\"\"); a spreadsheet saving the file does this.")


def _unescape(value: str | None) -> str:
    """Undo the `'` translate-toolkit puts before a leading `=`, `+`, `-` or `@` when it
    writes (it does not undo it when reading)."""
    from translate.storage import csvl10n
    value = value or ""
    if value[:1] == "'" and value[1:2] in csvl10n.csvunit.spreadsheetescapes:
        return value[1:]
    return value


def write_catalog(catalog: Catalog) -> bytes:
    """The catalog in its format. Deterministic: no dates, entries in catalog order."""
    if catalog.format == "po":
        return _write_po(catalog)
    if catalog.format == "xliff" and catalog.version == XLIFF1:
        return _write_xliff1(catalog)
    if catalog.format == "xliff":
        return _write_xliff(catalog)
    return _write_csv(catalog)


def _write_po(catalog: Catalog) -> bytes:
    from translate.storage import pypo
    store = pypo.pofile()
    header = store.header() or store.makeheader()
    # A fixed header: the default one carries today's date, which would make every
    # `extract` a change in git.
    # The fields a translator's tool wrote are kept in their order (who translated, the
    # team, the plural rule: `extract` dropped them all); ours take their place or follow.
    ours = {"Language": catalog.language, "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit", "X-Generator": GENERATOR}
    # Every other line is written back as it was read, a second line of one name and a
    # line with no `Name:` included; ours are written once, where the file had them.
    lines_of_ours: set[str] = set()
    lines: list[str] = []
    for name, value in catalog.header:
        if value is None:
            lines.append(f"{name}\n")
        elif name not in ours:
            lines.append(f"{name}: {value}\n")
        elif name not in lines_of_ours:
            lines.append(f"{name}: {ours[name]}\n")
            lines_of_ours.add(name)
    lines += [f"{name}: {value}\n" for name, value in ours.items() if name not in lines_of_ours]
    header.target = "".join(lines)
    if store.header() is None:
        store.units.insert(0, header)
    if catalog.header_note.strip():
        # (a last line break only ends the last line: a bare `#` after it is a line of its own)
        note = catalog.header_note[:-1] if catalog.header_note.endswith("\n") else catalog.header_note
        header.addnote(note, origin="translator")
    header.markfuzzy("fuzzy" in catalog.header_flags)
    for flag in catalog.header_flags:
        if flag != "fuzzy":
            header.settypecomment(flag)
    for e in catalog.entries:
        unit = store.addsourceunit(e.source)
        unit.setcontext(e.id)
        if e.target:
            unit.target = e.target
        if e.comment:
            unit.addnote(e.comment, origin="developer")
        if e.note:
            unit.addnote(e.note, origin="translator")
        for loc in e.location.split():
            unit.addlocation(loc)
        # (the previous line id with it: msgmerge's `#| msgctxt` was dropped, and the
        # previous source with it when only the id had changed)
        if e.previous and (e.previous != e.source or e.previous_context):
            unit.prev_source = e.previous
        if e.previous_context:
            unit.prev_context = e.previous_context
        for flag in e.flags:   # a tool's own flags, kept (they were dropped)
            unit.settypecomment(flag)
        if e.fuzzy and e.target:
            unit.markfuzzy(True)
        if e.obsolete:
            unit.makeobsolete()
    data = bytes(store)
    if catalog.encoding:
        # the charset the file was in (ISO-8859-1 from Lokalize or msgmerge): written
        # back in it, its header saying so, while every character fits (a new line's
        # `—` does not: then the whole file is UTF-8, as msgmerge would make it)
        said = _PO_CHARSET.search(data)
        named = next((v for n, v in catalog.header if n == "Content-Type" and v), "")
        charset = re.search(r"charset=([A-Za-z0-9_.:-]{1,40})", named)
        if said is not None and charset is not None:
            try:
                return (data[:said.start(1)] + charset.group(1).encode("ascii") + data[said.end(1):]
                        ).decode("utf-8").encode(catalog.encoding)
            except UnicodeEncodeError:
                pass
    return data


def _write_xliff(catalog: Catalog) -> bytes:
    from lxml import etree
    from translate.storage import xliff2
    store = xliff2.Xliff2File(sourcelanguage=catalog.base, targetlanguage=catalog.language)
    for e in catalog.entries:
        unit = store.addsourceunit(e.source)
        unit.setid(e.id)
        if e.target:
            unit.target = e.target
            unit.markfuzzy(e.fuzzy)
        if e.comment:
            unit.addnote(e.comment, origin="developer")
        if e.location:
            unit.addnote(e.location, origin="location")
        if e.note:
            unit.addnote(e.note, origin="translator")
        if e.previous and e.previous != e.source:
            unit.addnote(e.previous, origin=PREVIOUS_NOTE)
        if e.obsolete:
            unit.xmlelement.set("subState", OBSOLETE)
        elif e.target and not e.fuzzy:
            for name, value in e.state:   # the review state the tool wrote
                unit.xmlelement.set(name, value)
        _to_unit_level(unit.xmlelement)
        _put_extras(unit.xmlelement.getparent(), e, 0)
    _put_file_attributes(store.document.getroot().find(f"{_XLIFF}file"), catalog.file_attributes)
    if catalog.file_notes:
        # the file's own notes, before its units (xliff_core_2.0.xsd: notes, then units)
        file = store.document.getroot().find(f"{_XLIFF}file")
        notes = etree.Element(f"{_XLIFF}notes")
        for category, text in catalog.file_notes:
            etree.SubElement(notes, f"{_XLIFF}note", {"category": category} if category else {}).text = text
        file.insert(0, notes)
    return bytes(store)


def _write_xliff1(catalog: Catalog) -> bytes:
    """The catalog as XLIFF 1.2, for a file a CAT tool exported in 1.2: translate-toolkit
    writes 1.1 and a fuzzy target as `needs-translation`, so the version is set and a
    fuzzy target is `needs-review-translation` (kept, to be reviewed)."""
    from lxml import etree
    from translate.storage import xliff

    class Unit12(xliff.xliffunit):
        namespace = _XLIFF1_NAMESPACES[1]

    class Xliff12(xliff.xlifffile):
        UnitClass = Unit12
        namespace = _XLIFF1_NAMESPACES[1]
        XMLskeleton = ('<?xml version="1.0" ?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
                       '<file original="NoName" source-language="en" datatype="plaintext">\n<body>\n</body>\n</file>\n</xliff>')

    store = Xliff12(sourcelanguage=catalog.base, targetlanguage=catalog.language)
    for e in catalog.entries:
        unit = store.addsourceunit(e.source)
        unit.setid(e.id)
        if e.target:
            unit.target = e.target
            unit.markfuzzy(e.fuzzy)
            target = unit.xmlelement.find(f"{_XLIFF1_NS}target")
            target.set("state", "needs-review-translation" if e.fuzzy else "translated")
            if not e.fuzzy and not e.obsolete:
                for name, value in e.state:   # the review state the tool wrote
                    (unit.xmlelement if name == "approved" else target).set(name, value)
        if e.comment:
            unit.addnote(e.comment, origin="developer")
        for loc in e.location.split():
            unit.addlocation(loc)
        if e.note:
            unit.addnote(e.note, origin="translator")
        if e.previous and e.previous != e.source:
            unit.addnote(e.previous, origin=PREVIOUS_NOTE)
        if e.obsolete:
            unit.addnote("This line is no longer in the source.", origin=OBSOLETE)
        _put_extras(unit.xmlelement, e, None)
    _put_file_attributes(store.document.getroot().find(f"{_XLIFF1_NS}file"), catalog.file_attributes)
    if catalog.file_notes:
        # the file's own notes, in its <header> (which comes before <body>, XLIFF 1.2, 2.3)
        file = store.document.getroot().find(f"{_XLIFF1_NS}file")
        header = etree.Element(f"{_XLIFF1_NS}header")
        for who, text in catalog.file_notes:
            etree.SubElement(header, f"{_XLIFF1_NS}note", {"from": who} if who else {}).text = text
        file.insert(0, header)
    return bytes(store)


def _to_unit_level(segment) -> None:
    """Move what translate-toolkit (3.20) writes on a `<segment>` to its `<unit>`, where
    the XLIFF 2.0 schema allows it: a segment holds only `<source>` and `<target>`, and
    takes no `xml:space` (xliff_core_2.0.xsd); a validating tool rejected the file."""
    unit = segment.getparent()
    notes = segment.find(f"{_XLIFF}notes")
    if notes is not None:
        unit.insert(0, notes)
    space = "{http://www.w3.org/XML/1998/namespace}space"
    if segment.get(space) is not None:
        unit.set(space, segment.attrib.pop(space))


def _write_csv(catalog: Catalog) -> bytes:
    # escape_formulas: a source line starting with `=` must not run as a formula when a
    # translator opens the file in a spreadsheet.
    # the columns a translator added follow foundry's, their cells as they were
    store = _own_columns_file()(columns=catalog.columns)
    # translate-toolkit's own dialect writes a backslash as `\\` (escapechar), which no
    # spreadsheet reads back — nor we: each extract doubled every backslash of a line
    # (a Markdown escape), and the line went stale. Excel's dialect, every cell quoted
    # in a new file; a file already there keeps its separator and quoting (Catalog.sheet)
    separator, sep_line, quote_all = catalog.sheet
    store.dialect = type("Sheet", (_QUOTED,), {"delimiter": separator,
                                               "quoting": csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL})
    for e in catalog.entries:
        unit = store.addsourceunit(e.source)
        unit.own = _cells_of(e.extra, catalog.columns)
        unit.id = e.id
        unit.target = e.target
        fuzzy = bool(e.fuzzy and e.target)
        word = e.fuzzy_cell.strip().casefold()
        said = True if word in FUZZY_WORDS else False if word and word in NOT_FUZZY_WORDS else None
        unit.fuzzy = e.fuzzy_cell if said is fuzzy else "True" if fuzzy else "False"
        # (the previous source, as PO's `#| msgid` and XLIFF's note keep it)
        unit.developer_comments = "\n".join(filter(None, (e.comment, f"{_CSV_PREVIOUS}{e.previous}"
                                                         if e.previous and e.previous != e.source else "")))
        unit.location = e.location
        unit.context = e.context   # (foundry writes none; a translator's words there were dropped)
        unit.translator_comments = " ".join(filter(None, (CSV_OBSOLETE if e.obsolete else "", e.note)))
    return (sep_line.encode("utf-8") + b"\r\n" if sep_line else b"") + bytes(store)



def _cells_of(extra: tuple[tuple[str, str], ...], columns: tuple[str, ...]) -> list[str]:
    """A row's cells for the translator's `columns`, in their order: each column takes the
    first cell of the row's `extra` of its name not taken yet (two `Reviewer` columns
    keep their own cells: a dict by name gave both the second's), "" for none (a new line)."""
    left: dict[str, list[str]] = {}
    for name, value in extra:
        left.setdefault(name, []).append(value)
    return [left[name].pop(0) if left.get(name) else "" for name in columns]


@functools.cache
def _own_columns_file():
    """translate-toolkit's CSV file written with the columns a translator added after
    foundry's eight, by place (their names may repeat: csv.DictWriter, which
    translate-toolkit writes with, keys cells by name), each row's cells as they were
    read (not escaped: they are the translator's, not text foundry puts there). Made on
    first use: translate-toolkit is imported lazily."""
    from translate.storage import csvl10n

    class OwnColumns(csvl10n.csvfile):
        def __init__(self, columns: tuple[str, ...]):
            super().__init__(fieldnames=list(_CSV_COLUMNS), escape_formulas=True)
            self.columns = columns

        def getoutput(self) -> str:
            output = io.StringIO()
            writer = csv.writer(output, dialect=self.dialect)
            writer.writerow([*_CSV_COLUMNS, *self.columns])
            for unit in self.units:
                cells = unit.todict(escape_formulas=self.escape_formulas)
                writer.writerow([*(cells[name] for name in _CSV_COLUMNS), *getattr(unit, "own", ())])
            return output.getvalue()

    return OwnColumns
