"""Text hygiene: which characters a file name, a name and prose may hold.

Every text the build publishes comes from a file name, a YAML/TOML value or a story's
Markdown, and all of them pass through here once, when they are loaded — not per
exporter. The rules (docs/formats.md, "Characters"):

- **Control characters** (C0 other than tab and newline, DEL, C1, the line and
  paragraph separators, and the noncharacters such as U+FFFF) are refused everywhere: they drive terminals, break `<title>`,
  ink, Twee and EPUB, and no language needs them. A story body may end its lines with
  CR LF. Refused, not stripped: an invisible character is almost always an accident
  or an attack, and the author should see it rather than have it silently dropped.
- **Names** (file names, mapping keys, `id`, `name`, `title`, `role`, …, scene
  headings, foundry.toml's title and authors) are what readers identify things by,
  so nothing invisible: no format characters (bidi embeddings, overrides, isolates and
  marks, zero-width space, word joiner, BOM, soft hyphen, tags), no tab or newline,
  no Hangul filler. The one exception is the joiners ZWNJ/ZWJ where a script spells
  with them (between two Arabic, Persian, Syriac, Indic, … letters: `علی‌رضا`) or
  inside an emoji sequence.
- **Prose** may also hold what a language needs: LRM/RLM/ALM in text that holds
  right-to-left letters, ZWSP and WORD JOINER beside Thai, Lao, Khmer, Myanmar or
  Tibetan letters (word-break hints), the joiners as in names, a soft hyphen, and the
  other format characters of a script (Arabic number signs). Bidi embeddings,
  overrides and isolates (U+202A–202E, U+2066–2069) are refused everywhere: they can
  make text read differently from how it is stored ("Trojan Source"), and text in one
  direction never needs them.
"""

from __future__ import annotations

import bisect
import heapq
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from markdown_it.common.entities import entities as _ENTITIES
from markdown_it.common.utils import isValidEntityCode

from ..confine import OWN_FOLDERS, OWN_PREFIXES, as_found, boundary, fold, own_folder
from ..ids import WINDOWS_DEVICE_NAMES
from ..diagnostics import EACH_SAID, Diagnostics, Span, clip, the_rest
from .mark_stacks import LIMIT as STACK_LIMIT, has_tall_stack, tall_stacks
from .line_ends import HINT as LONE_CR_HINT
from .places import KIND_DIRS
from .root import ATTRIBUTES, CONFIG_NAME, IGNORES, MAILMAP, PROJECT_INPUTS

# Keys whose values are Markdown of blocks, rendered as paragraphs (titles.py: every
# other text a reader sees is one run of inline Markdown), where a fence or an indented
# block is code.
PROSE_FIELDS = ("background", "summary")
# Keys whose values name something (shown as headings, titles, links, file names).
NAME_KEYS = frozenset({"id", "name", "title", "role", "label", "with", "kind", "giver", "protagonist",
                       "start", "template", "extends", "portrait", "authors"})
# Folders of the project whose files the build reads (their names reach outputs and logs).
READ_DIRS = ("content", "schemas", "themes")

_BIDI_FORMAT = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_BIDI_MARKS = frozenset({0x200E, 0x200F, 0x061C})
_JOINERS = frozenset({0x200C, 0x200D})
_BREAK_HINTS = frozenset({0x200B, 0x2060})
_FILLERS = frozenset({0x115F, 0x1160, 0x3164, 0xFFA0})   # Hangul fillers: letters that draw nothing
_SEPARATORS = frozenset({0x2028, 0x2029})
_TAGS = range(0xE0020, 0xE0080)
# A flag's tags spell a subdivision (`gbeng`: a region's two letters, at most four more)
# and end with CANCEL TAG: seven at most. A longer run is text no flag shows (tags are
# invisible ASCII), and the walk back to its flag stays short: a run of 40,000 tags
# walked back over all of them for each (minutes of CPU).
_FLAG_TAGS = 7
_JOINING_SCRIPTS = frozenset({
    "ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN", "PHAGS-PA", "DEVANAGARI", "BENGALI", "GURMUKHI",
    "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN", "MYANMAR",
    "KHMER", "BALINESE", "JAVANESE", "LIMBU", "CHAKMA", "SYLOTI", "HANIFI"})
_BREAK_SCRIPTS = frozenset({"THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "JAVANESE", "BALINESE"})


# Every character name_problem or prose_problem may refuse (a superset: C0/C1 controls,
# the format characters of Unicode 14–15.1, separators, surrogates, noncharacters,
# Hangul fillers), found by one regex search in C; only the few it finds get the exact
# Python checks below. A per-character Python loop over every string of 10,000 files was
# the largest cost of `foundry check`. Other Unicode versions may add format characters:
# there the class is computed from unicodedata itself (once, when first needed).
_STATIC_VERSIONS = ("14.0.0", "15.0.0", "15.1.0")
_SUSPECT_RANGES = (   # (first, last) code points, both included; U+0000–000A are added by _suspect
    (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD),
    (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x115F, 0x1160), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0xFFFE, 0xFFFF),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
    *((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(1, 0x11)))
_suspects: dict[tuple[bool, bool], re.Pattern] = {}


def _suspect(prose: bool, ascii: bool = False) -> re.Pattern:
    """The regex of characters worth a closer look; prose leaves out tab and newline.
    Every character outside the Basic Multilingual Plane gets the closer look (a class
    listing astral ranges one by one makes `re` test each of them per character), and
    text that is all ASCII is searched for the ASCII controls alone (most text is)."""
    if not _suspects:
        ranges = [(a, b) for a, b in _SUSPECT_RANGES if b <= 0xFFFF]
        if unicodedata.unidata_version not in _STATIC_VERSIONS:
            ranges += [(cp, cp) for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Cf"]
        spans = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in (*ranges, (0x10000, 0x10FFFF)))
        _suspects[True, False] = re.compile(f"[\\x00-\\x08{spans}]")
        _suspects[False, False] = re.compile(f"[\\x00-\\x0A{spans}]")
        _suspects[True, True] = re.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]")
        _suspects[False, True] = re.compile("[\\x00-\\x1F\\x7F]")
    return _suspects[prose, ascii]


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "NEWLINE", 0x0B: "VERTICAL TAB",
                  0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESC", 0x7F: "DELETE", 0x85: "NEXT LINE",
                  0x9B: "CSI"}


def describe(ch: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: how a message names a character nobody can see."""
    cp = ord(ch)
    return f"U+{cp:04X} {unicodedata.name(ch, '') or _CONTROL_NAMES.get(cp, 'CONTROL CHARACTER')}"


def unseen_note(text: str) -> str:
    """What a message adds after quoting `text` (a key, an id) when it holds a character
    a reader of the message cannot tell from a space or from nothing — a no-break or
    other space that is not U+0020, a format or control character: ` (after
    'background' comes a U+00A0 NO-BREAK SPACE)`; '' when it holds none. A key copied
    from a word processor (`background\u00a0:`) was "unknown field 'background '",
    the odd space invisible in the message and in the line shown under it."""
    odd = [i for i, ch in enumerate(text)
           if ch != " " and unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf", "Cc")]
    if not odd:
        return ""
    first = odd[0]
    said = (f"it starts with a {describe(text[first])}" if first == 0 else
            f"after '{text[max(0, first - 20):first]}' comes a {describe(text[first])}")
    more = len(odd) - 1
    return f" ({said}" + (f", and {more} more such character{'s' if more > 1 else ''}" if more else "") + ")"


def is_control(ch: str) -> bool:
    """C0, DEL, C1, the line/paragraph separators, lone surrogates, and the
    noncharacters (U+FDD0–FDEF, U+xxFFFE/F: an HTML parse error, dropped by XML)."""
    cp = ord(ch)
    return (unicodedata.category(ch) == "Cc" or cp in _SEPARATORS or 0xD800 <= cp <= 0xDFFF
            or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE)


def without_refused(text: str) -> str:
    """`text` without the characters a name may not hold (`name_problem`): what a key
    written with an invisible mark in it (`\u200fskills`, HF0132 said at it) was meant
    as, so that the same slip is not also an unknown field, nor its entries unknown."""
    # All at once, in one pass: one at a time, each found by a scan from the start, was
    # quadratic (a 60,000-mark id), so unmatched_id looked only at short ids. Taking one
    # away changes no other's verdict (a joiner is judged by its letters, a tag by those
    # before it).
    gone = set(name_problems(text))
    return "".join(ch for i, ch in enumerate(text) if i not in gone) if gone else text


def name_problem(text: str) -> int | None:
    """Offset of the first character a name may not hold, or None."""
    return next(name_problems(text), None)


def name_problems(text: str) -> Iterator[int]:
    """Offsets of every character a name may not hold, in order."""
    for found in _suspect(False, text.isascii()).finditer(text):   # every other character passes
        i = found.start()
        ch = text[i]
        cp = ord(ch)
        if is_control(ch) or cp in _FILLERS:
            yield i
        elif unicodedata.category(ch) == "Cf" and not _allowed_format(text, i, prose=False):
            yield i


def prose_problem(text: str) -> int | None:
    """Offset of the first character prose may not hold, or None. Tab and newline are
    prose; so is a CR before a newline (CR LF line endings)."""
    return next(prose_problems(text), None)


def prose_problems(text: str) -> Iterator[int]:
    """Offsets of every character prose may not hold, in order (`prose_problem`)."""
    rtl: bool | None = None
    for found in _suspect(True, text.isascii()).finditer(text):   # every other character passes
        i = found.start()
        ch = text[i]
        cp = ord(ch)
        if ch in "\t\n" or (ch == "\r" and text[i + 1:i + 2] == "\n"):
            continue
        if is_control(ch):
            yield i
            continue
        if unicodedata.category(ch) != "Cf" or _allowed_format(text, i, prose=True):
            continue
        if cp in _BIDI_MARKS:
            if rtl is None:
                rtl = any(unicodedata.bidirectional(c) in ("R", "AL") and c.isalpha() for c in text)
            if rtl:
                continue
        yield i


def _allowed_format(text: str, i: int, prose: bool) -> bool:
    """Whether the format character at `i` is one a language needs there."""
    cp = ord(text[i])
    before, after = text[i - 1:i], text[i + 1:i + 2]
    if cp in _JOINERS:
        if _script(before) in _JOINING_SCRIPTS and _script(after) in _JOINING_SCRIPTS:
            return True
        if prose and cp == 0x200D and (_script(before) in _JOINING_SCRIPTS or _script(after) in _JOINING_SCRIPTS):
            # a word's end or start: Malayalam's chillu written as <na, virama, ZWJ> (അവന്‍,
            # as much Malayalam text has it), an Arabic letter's joining form shown alone
            return True
        return cp == 0x200D and _emoji(before) and _emoji(after)
    if cp in _TAGS:   # subdivision flags: U+1F3F4 followed by tags, ended by U+E007F
        j = i
        while j > 0 and i - j < _FLAG_TAGS and ord(text[j - 1]) in _TAGS:
            j -= 1
        return j > 0 and ord(text[j - 1]) == 0x1F3F4 and i - j < _FLAG_TAGS
    if not prose or cp in _BIDI_FORMAT or cp in _BIDI_MARKS:
        return False   # marks are decided by the caller (they need the whole text)
    if cp in _BREAK_HINTS:
        return _script(before) in _BREAK_SCRIPTS or _script(after) in _BREAK_SCRIPTS
    if cp == 0x180E:   # MONGOLIAN VOWEL SEPARATOR
        return _script(before) == "MONGOLIAN" or _script(after) == "MONGOLIAN"
    if cp == 0x00AD:   # SOFT HYPHEN: a hyphenation hint
        return True
    # Other format characters belong to one script (Arabic number signs, Egyptian
    # hieroglyph controls, …): allowed in prose; the invisible operators, BOM and
    # deprecated and annotation characters are not.
    return not (0x2060 <= cp <= 0x206F or cp == 0xFEFF or 0xFFF9 <= cp <= 0xFFFB)


def spells_with_joiner(text: str, i: int) -> bool:
    """Whether the ZWNJ or ZWJ at `text[i]` is one a name may hold (the module's rule):
    between two letters of a script that spells with it (`علی‌رضا`), or a ZWJ inside an
    emoji sequence (👩‍👩‍👧). What the terminal prints as typed (console/terminal.py)."""
    return ord(text[i]) in _JOINERS and _allowed_format(text, i, prose=False)


def _script(ch: str) -> str:
    if not ch:
        return ""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _emoji(ch: str) -> bool:
    if not ch:
        return False
    cp = ord(ch)
    return unicodedata.category(ch) == "So" or cp == 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF


def is_blank(text: str) -> bool:
    """Non-empty, yet nothing a reader would see (spaces, combining marks alone): a
    title like that makes an empty heading, an empty EPUB dc:title, an empty link."""
    if text[:1].isalnum():   # a letter or digit first (most names): seen, and no generator made
        return False
    # U+2800 BRAILLE PATTERN BLANK is a cell with no dots: a symbol, drawn as nothing (a
    # title of it alone passed, an empty heading); in braille beside other cells it is their space
    return bool(text) and all(c.isspace() or c == "\u2800" or unicodedata.category(c) in ("Mn", "Me", "Cf")
                              for c in text)


def name_refusal(text: str) -> str | None:
    """Why `text` cannot be a name (a title or name given on the command line, which
    `foundry init` and `foundry new` write into a file check would then refuse), or None."""
    offset = name_problem(text)
    if offset is None and (spelled := reference_problem(text, True)):
        if spelled[1] == REPLACEMENT:
            return (f"the character reference at character {spelled[0] + 1} spells no character: Markdown would "
                    f"show {REPLACEMENT} in its place (HF0134)")
        offset, text = spelled[0], text[:spelled[0]] + spelled[1] + text[spelled[0] + 1:]
    if offset is not None:
        return (f"{describe(text[offset])} at character {offset + 1} is not allowed: a name is one line of "
                "visible text (docs/formats.md, \"Characters\")")
    if is_blank(text):
        return "it shows nothing: only spaces or marks"
    return None


def file_name_problem(name: str) -> int | None:
    """Offset of the first character a file name may not hold, or None. A file name is a
    name: the same rule (it reaches page paths, links and logs); and it holds no
    backslash, which Windows reads as a folder separator (HF0135): a theme's
    `static/x\\..\\..\\evil.css` was published under that literal name, and a Windows
    tool unpacking build/ wrote it two folders above the site."""
    found = name_problem(name)
    return found if found is not None else (name.find("\\") if "\\" in name else None)


def _named(ch: str) -> str:
    """`describe` for a character of a file name: a byte that is not UTF-8 is listed by
    Python as a lone surrogate (U+DC80–U+DCFF, `surrogateescape`), which names it."""
    cp = ord(ch)
    return f"the byte 0x{cp - 0xDC00:02X} (not UTF-8)" if 0xDC80 <= cp <= 0xDCFF else describe(ch)


def well_named(paths: Iterator[Path] | list[Path], base: Path) -> list[Path]:
    """`paths` (files listed under the folder `base`) but those whose name, or a
    folder's on the way from `base`, check_file_names refuses (HF0130, HF0135): such
    a file is said once and read by nothing. A theme's files are listed by their
    folder (Boundary.files), not by the loaders that skip these: a static file whose
    name held a byte that is not UTF-8 (`a\\xc0\\xaf.css`) was read all the same, and
    check stopped with "internal error (UnicodeEncodeError)" at its name."""
    return [path for path in paths
            if not any(file_name_problem(part) is not None for part in path.relative_to(base).parts)]


def check_file_names(root: Path, diags: Diagnostics) -> frozenset[str]:
    """Report every file or folder under content/, schemas/ and themes/ whose name holds
    a control or invisible character (HF0130), and every FIFO, socket or device under
    the project's input folders (HF0125: foundry reads none, and a silent skip would
    drop what the writer meant to be there); return the project-relative paths of the
    misnamed ones so the loaders skip them. Only names and entry types are listed:
    nothing is opened, and a link is followed (to learn what it leads to) only
    inside the project."""
    refused: set[str] = set()
    fence = None
    _report_root_names(root, diags)
    for top in (t for t in PROJECT_INPUTS if t != CONFIG_NAME):
        base = root / top
        if base.is_symlink() or not base.is_dir():   # the link first: is_dir() follows it, out too
            real: Path | str | None = base
            if base.is_symlink():   # `content -> ../old-content`, gone: every file it held is missing
                fence = fence or boundary(root)
                real = fence.resolve(base)   # None: a link out, HF0120 by the loaders
                if report_dangling(fence, real, top, diags):
                    continue
            report_not_a_folder(real, top, diags, linked=real is not base)
            continue
        names = top in READ_DIRS
        todo = [top]
        while todo:
            rel_folder = todo.pop()
            try:
                entries = sorted(os.scandir(root / rel_folder), key=lambda e: e.name)
            except OSError as exc:
                # every loader lists folders as this does and passes over one it cannot:
                # its files were left out of every output without a word
                diags.add("HF0166", f"{rel_folder}/ cannot be listed ({exc.strerror or type(exc).__name__}): "
                          "foundry reads none of the files in it", Span(rel_folder),
                          hint="Make the folder readable for your user (or remove it), then run the command again.")
                continue
            report_unportable_names(rel_folder, [e.name for e in entries], diags, refused=names)
            for entry in entries:
                rel = f"{rel_folder}/{entry.name}"
                offset = file_name_problem(entry.name) if names else None
                if offset is not None and entry.name[offset] == "\\":
                    refused.add(rel)
                    diags.add("HF0135", f"the name of '{rel}' holds a backslash, which Windows reads as a folder "
                              "separator: foundry does not read or publish it", Span(rel),
                              hint="Rename it using letters, digits, hyphens and dots; put it in a folder if "
                                   "the backslash meant one.")
                    continue
                if offset is not None:
                    refused.add(rel)
                    diags.add("HF0130", f"the name of '{rel}' holds {_named(entry.name[offset])} at character "
                              f"{offset + 1}", Span(rel), hint="Rename it using visible characters only (letters, "
                              "digits, hyphens).")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append(rel)
                elif entry.is_symlink():
                    fence = fence or boundary(root)
                    real = fence.resolve(root / rel)   # None: a link out, HF0120 by the loaders
                    if not report_dangling(fence, real, rel, diags):
                        report_special(real, rel, diags)
                elif not entry.is_file(follow_symlinks=False):
                    report_special(entry.path, rel, diags)
    return frozenset(refused)


# What Windows cannot hold in a file name (git for Windows refuses to check such a file
# out): these characters anywhere, a name ending in a dot or a space.
_WINDOWS_RESERVED = re.compile(r'[\\:*?"<>|]')


# Device names no id can spell (ids.WINDOWS_DEVICE_NAMES are those a slug can): the
# console's two (git for Windows refuses `conin$.png` as it refuses `con.png`), and the
# ports numbered by a superscript digit, which Windows reads as a digit there (`com¹`).
_OTHER_DEVICES = frozenset({"conin$", "conout$", *(f"{port}{digit}" for port in ("com", "lpt") for digit in "¹²³")})


def device_stem(name: str) -> str | None:
    """The device name Windows reads the file name `name` as (what precedes its first
    dot, the spaces ending it dropped as Windows drops them: `con .png` is `con`), or None."""
    stem = name.split(".", 1)[0].rstrip(" ").lower()
    return stem if stem in WINDOWS_DEVICE_NAMES or stem in _OTHER_DEVICES else None


def unportable_name(name: str, device_named_id: bool = False) -> str | None:
    """Why Windows cannot hold the file name `name`, in words, or None. A device name is
    not said of a name that is an id (`device_named_id`: HF0161 says it, as an error)."""
    found = _WINDOWS_RESERVED.search(name)
    if found:
        return f"'{found.group(0)}' is a character Windows does not allow in a file name"
    if name.endswith((".", " ")):
        return "Windows drops a dot or space at the end of a file name"
    device, written = device_stem(name), name.split(".", 1)[0]
    if device is not None and not device_named_id:
        if device != written.lower():   # `con .png`: Windows drops the spaces before the dot
            return f"'{written}' is the device name '{device}' on Windows, the spaces ending it dropped"
        return f"'{written}' is a device name on Windows, whatever follows the dot"
    return None


def folded_name(name: str) -> str:
    """`name` as a file system that ignores letter case and how an accent is composed
    (macOS, Windows) tells names apart: two names with one folded form are one file there."""
    return unicodedata.normalize("NFC", name).casefold()


# Each entity folder's file ending, by the folder's path: an entity's id is its name there.
_ENTITY_SUFFIXES = {f"content/{folder}": suffix for folder, suffix in KIND_DIRS.values()}


def report_unportable_names(rel_folder: str, names: list[str], diags: Diagnostics, refused: bool = False) -> None:
    """HF0162 (a warning) at each name in one folder of the project that a writer's
    laptop cannot hold: one Windows does not allow (unportable_name), or two names that
    differ only in letter case or in how an accent is composed, which macOS and Windows
    keep as one file (the checkout there holds one of the two, and git shows the other
    as changed). Linux CI builds them, so nothing else would say it. `refused`: the
    folder is one whose misnamed files check_file_names refuses (HF0130, HF0135), which
    are not said again; elsewhere (translations/) a backslash is this warning."""
    joined = "\n".join(names) + "\n"
    if joined.isascii() and joined == joined.lower() and not _WINDOWS_RESERVED.search(joined) \
            and ".\n" not in joined and " \n" not in joined \
            and not {n.split(".", 1)[0].rstrip(" ") for n in names} & (WINDOWS_DEVICE_NAMES | _OTHER_DEVICES):
        # the usual folder, at C speed (10,000 heroes: the loop below is ~8 ms a check):
        # lowercase ASCII names cannot differ only in case or accents, none is unportable
        return
    seen: dict[str, str] = {}
    # an entity file or a language folder named as a device is HF0161, an error, when its
    # name is the id (`con.yaml` in heroes/): any other (`con.md` or `Aux.yaml` there,
    # `nul.yaml` in stories/) is read as no entity of that id, and was said by nothing
    suffix = _ENTITY_SUFFIXES.get(rel_folder)
    for name in names:
        if name_problem(name) is not None or (refused and "\\" in name):
            continue   # refused already (HF0130, HF0135): one finding for one name
        said = rel_folder == "translations" or (suffix is not None and name.endswith(suffix)
                                                 and name[:-len(suffix)] in WINDOWS_DEVICE_NAMES)
        why = unportable_name(name, said)
        rel = f"{rel_folder}/{name}" if rel_folder else name
        if why is not None:
            diags.add("HF0162", f"'{clip(rel, 120)}' cannot be checked out on Windows: {why}", Span(rel),
                      hint="Rename it with letters, digits, hyphens and dots (not at the end).")
        folded = folded_name(name)
        if folded in seen:
            diags.add("HF0162", f"'{clip(rel, 120)}' and '{clip(seen[folded], 60)}' differ only in letter case or "
                      "accents: macOS and Windows keep one file for both", Span(rel),
                      hint="Rename one of them (and the references to it).")
        else:
            seen[folded] = name


def _report_root_names(root: Path, diags: Diagnostics) -> None:
    """HF0162 at the project root's names as report_unportable_names says them in the
    folders under it (`Content/` beside `content/`), and at one of foundry's own
    folders in other letters (`Build/`): macOS and Windows take it for the build/ foundry
    writes, so a build there is refused (HF0126, a folder foundry did not make) and a
    link into it is refused on every system (HF0120, confine.own_folder ignores case so
    that one commit gets one answer everywhere); Linux said nothing of it."""
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return
    report_unportable_names("", [name for name in names if not own_folder(name)], diags)   # (those: below)
    for name in (MAILMAP, IGNORES, ATTRIBUTES):
        # git opens it for foundry (`log -M`, `ls-files`) and would wait on a FIFO; a link
        # there git does not follow (and foundry runs git as if it were not there)
        if name in names and not os.path.islink(root / name):
            report_special(root / name, name, diags)
    for name in names:
        if own_folder(name) and name not in OWN_FOLDERS and not name.startswith(OWN_PREFIXES):
            diags.add("HF0162", f"'{clip(name, 60)}' is foundry's own '{fold(name)}' on macOS and Windows, "
                                "which keep one folder for both", Span(name),
                      hint=f"Rename it: there a build would write into it (and refuses to: HF0126), and a link into "
                           f"it is refused on every system (HF0120). `{fold(name)}` is foundry's to make.")


def report_dangling(fence: Any, real: Path | str | None, rel: str, diags: Diagnostics) -> bool:
    """HF0164 (a warning) when the link at `rel` resolves (`real`, inside the project:
    confine.py) to nothing: the walk skips it, and a hero or translation the writer
    meant to be there would be missing without a word. Where it points is said as a
    path in the project, never as anything outside it (such a link is HF0120). An
    editor's lock (Emacs' `.#aria.yaml`, a link to nowhere by design) and a hidden
    name (never read) are not reported. True when reported."""
    name = os.path.basename(rel)
    if real is None or name.startswith(".") or os.path.lexists(real):
        return False
    from .editor_files import is_editor_temp
    if is_editor_temp(name):
        return False
    where = Path(os.path.relpath(real, fence.real)).as_posix()
    diags.add("HF0164", f"{rel} is a symbolic link to {where}, which does not exist: foundry skips it", Span(rel),
              hint=_spelt_otherwise(real))
    return True


def _spelt_otherwise(real: Path | str) -> str | None:
    """HF0164's hint when the file a link names is in its folder in other letters
    (`Old-Guide.yaml` for old-guide.yaml): macOS and Windows read it through the link,
    where this system reads nothing, so one commit publishes the entity on a writer's Mac
    and leaves it out on CI. `real` is the Boundary's resolution, inside the project: its
    folder is one of the project's or not there at all. None otherwise."""
    folder, name = os.path.split(os.fspath(real))
    try:
        names = sorted(other for other in os.listdir(folder) if other != name and as_found(other) == as_found(name))
    except (OSError, ValueError):
        return None
    if not names:
        return None
    return (f"'{clip(names[0], 120)}' is there, spelt otherwise: macOS and Windows read it through this link, this "
            f"system reads nothing. Point the link at '{clip(names[0], 120)}' (or rename the file), so that every "
            "system reads one file.")


def report_not_a_folder(real: Path | str | None, top: str, diags: Diagnostics, linked: bool) -> None:
    """HF0125 at one of the project's input folders (`content`, `schemas`, `themes`,
    `translations`, or a listed language's `translations/de`) when what stands there (`real`: links resolved inside the project)
    is a FIFO, socket or device, or a regular file: every walk found no folder and
    passed over it, so a project whose `content` was a file (or `themes` a FIFO)
    checked and built clean with none of it, and a `schemas` file made every rule file
    "missing". A folder, or nothing there, is fine; lstat only, never opened.
    `linked`: `top` is a link (inside the project) to what `real` is."""
    if real is None:
        return
    try:
        mode = os.lstat(real).st_mode
    except OSError:
        return   # nothing there: the folder is optional
    if stat.S_ISDIR(mode):
        return
    if not stat.S_ISREG(mode):
        report_special(real, top, diags)
        return
    what = "a symbolic link to a file" if linked else "a file"
    diags.add("HF0125", f"{top} is {what}, not a folder: foundry reads the {top}/ folder, and none is there",
              Span(top), hint=f"Put a {top}/ folder in its place (and the file in it, if it belongs there); "
                              "or rename the file.")


def report_special(real: Path | str | None, rel: str, diags: Diagnostics) -> None:
    """HF0125 when `real` (a path inside the project, links resolved) is something other
    than a file or folder; lstat only, never opened: a read of a FIFO waits forever.
    Also said by a loader whose read was refused as "special" (confine.py), in the same
    words, so the two are one diagnostic."""
    if real is None:
        return
    try:
        mode = os.lstat(real).st_mode
    except OSError:
        return   # gone, or a link to nothing: nothing there to read
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "not a regular file")
    diags.add("HF0125", f"{rel} is {what}, not a file: foundry does not read it", Span(rel),
              hint="Remove it, or put a regular file in its place: foundry never reads from pipes, sockets or "
                   "devices (a read could wait forever).")


# A character reference is the character once markdown-it reads it (`&#x202E;`, `&#12;`,
# `&ZeroWidthSpace;`): names and prose are Markdown, so the rules above apply to what a
# reference spells too, or `Rook &#x202E;Amsel` publishes the override the raw character
# would be refused for. The same syntax and table as markdown-it's entity rule.
_REFERENCE = re.compile(r"&(?:#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));")


def _spelled(found: re.Match) -> str | None:
    """The text markdown-it puts where the reference `found` is: "" if it keeps the
    reference as typed (an unknown name), None for a number that is no character it
    will spell (`&#0;`, `&#146;`, `&#xD800;`, `&#x110000;`), which it makes U+FFFD."""
    number, name = found.groups()
    if name is not None:
        return _ENTITIES.get(name, "")
    code = int(number[1:], 16) if number[:1] in "xX" else int(number)
    return chr(code) if isValidEntityCode(code) else None


def _references(text: str, unspelled: bool = False) -> Iterator[tuple[re.Match, str]]:
    """(the reference, what it spells) of every character reference in `text` that
    Markdown turns into its character, in order; with `unspelled`, instead each one it
    turns into U+FFFD REPLACEMENT CHARACTER (`_spelled` None), with that character."""
    at = 0
    for found in _REFERENCE.finditer(text):
        spelled = _spelled(found)
        j = found.start()
        while j > at and text[j - 1] == "\\":   # (back to the last reference at most: linear)
            j -= 1
        if (found.start() - j) % 2 or (spelled is None) != unspelled or spelled == "":
            # kept as its text by Markdown: an unknown name, or an `&` escaped
            # (`\&ZeroWidthSpace;`, how a writer shows the reference itself); or not of
            # the kind asked for
            continue
        yield found, REPLACEMENT if spelled is None else spelled
        at = found.end()


# What Markdown (markdown-it, as CommonMark says) shows for a numeric character
# reference to no character a text may hold: the NUL, a C0 or C1 control, half a
# surrogate pair, a noncharacter, a number past U+10FFFF. The most common is an old
# Windows-1252 number (`It&#146;s`, `&#151;`), which a browser reads as the quote or
# dash it meant; Markdown does not, and every output showed `It�s` without a word.
REPLACEMENT = "\ufffd"


def unspelled_references(text: str) -> list[tuple[int, int]]:
    """(start, end offset) of each character reference in `text` that Markdown shows as
    U+FFFD REPLACEMENT CHARACTER (`REPLACEMENT`), in order."""
    if "&#" not in text:
        return []
    return [(found.start(), found.end()) for found, _ in _references(text, unspelled=True)]


def windows_1252(reference: str) -> str | None:
    """The character an old Windows-1252 number (`&#146;`, `&#x97;`: C1 controls in
    Unicode) stands for, as browsers read it (the HTML standard's table), or None."""
    found = _REFERENCE.fullmatch(reference)
    if found is None or found.group(1) is None:
        return None
    number = found.group(1)
    code = int(number[1:], 16) if number[:1] in "xX" else int(number)
    if not 0x80 <= code <= 0x9F:
        return None
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:   # the five numbers Windows-1252 leaves empty (0x81, 0x8D, …)
        return None


def reference_problem(text: str, is_name: bool) -> tuple[int, str] | None:
    """(offset of the reference, the character it spells) for the first character
    reference in `text` that spells what a name (`is_name`) or prose may not hold, judged
    where it stands (a `&zwnj;` between two Persian letters is a joiner); or None.
    Cheap when the text holds no `&` (almost every text)."""
    return next(((start, ch) for start, _end, ch in reference_problems(text, is_name)), None)


def reference_problems(text: str, is_name: bool, inline: bool = True) -> Iterator[tuple[int, int, str]]:
    """(start, end offset, the character it spells) of every character reference in
    `text` that spells what a name or prose may not hold, in order (`reference_problem`):
    those `_spelled_problems` finds, and each Markdown shows as U+FFFD (`REPLACEMENT`,
    `unspelled_references`), with that character. `inline`: `text` is one run of inline
    Markdown (a name, a choice's words), whose code spans are passed over here; else
    it is a line or a whole text of block Markdown, and the caller passes over its
    code (`markdown_code`: a span may run over a paragraph's lines)."""
    if "&" not in text:
        return iter(())
    found = list(heapq.merge(_spelled_problems(text, is_name),
                             ((start, end, REPLACEMENT) for start, end in unspelled_references(text))))
    if not found or "`" not in text or not inline:
        return iter(found)
    spans = code_spans(text)   # (only where a reference is said: almost never)
    return (problem for problem in found if not _inside(spans, problem[0]))


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end offset) of each code span of inline Markdown `text` (`` `&#0;` ``), as
    CommonMark pairs backtick strings: a string opens one that the next string of exactly
    as many backticks closes; a backslash before a backtick outside one makes it text. A
    character reference in a code span is the characters typed, never what it spells:
    `&#x202E;` written there to show it was refused as the override itself. Each string's
    closer is looked up among those of its length (a line of strings of every length
    searched on to its end for each: seconds)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for k, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(k)
    spans: list[tuple[int, int]] = []
    past = 0
    for k, (start, end) in enumerate(runs):
        if start < past:
            continue   # inside the span just found
        slashes = 0
        while start - slashes > past and text[start - slashes - 1] == "\\":   # (each run of them counted once)
            slashes += 1
        opens = start + slashes % 2   # an escaped backtick is text; the rest of its string may open one
        same = by_length.get(end - opens, [])
        at = bisect.bisect_right(same, k)
        if end > opens and at < len(same):
            spans.append((opens, runs[same[at]][1]))
            past = runs[same[at]][1]
    return spans


_BACKTICKS = re.compile(r"`+")


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of `spans` (sorted, not overlapping)."""
    k = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= offset < spans[k][1]


def markdown_code(text: str) -> list[tuple[int, int]]:
    """(start, end offset) of each stretch of Markdown `text` (a story's body, a prose
    field) whose characters are shown as typed, in order: the lines of a code block,
    fenced or indented, and each code span, its backticks paired as CommonMark pairs
    them in one block's text: over every line of a paragraph (`` `&#0; `` opened on one
    line may close on the next), never past it. Found by one parse of the blocks (the
    story's parser), and `code_spans` over each block's lines as typed: what a block
    leaves out of its text (indentation, `>`, a list's marker) holds no backtick."""
    from .markdown import markdown   # only when a text holds a reference said: most hold none
    md = markdown()
    tokens: list = []
    md.block.parse(text.replace("\r\n", " \n"), md, {}, tokens)   # (CR LF: one line end, the offsets kept)
    starts = [0, *(found.end() for found in re.finditer("\n", text)), len(text)]
    code: list[tuple[int, int]] = []
    blocks: set[tuple[int, int]] = set()
    for tok in tokens:
        if not tok.map:
            continue
        first, last = tok.map[0], min(tok.map[1], len(starts) - 1)
        if tok.type in ("fence", "code_block"):
            code.append((starts[first + (tok.type == "fence")], starts[last]))
        elif tok.type == "inline" and (first, last) not in blocks:   # (a table's cells share their row's lines)
            blocks.add((first, last))
            code += ((starts[first] + start, starts[first] + end)
                     for start, end in code_spans(text[starts[first]:starts[last]]))
    return sorted(code)


def code_lines(body: str) -> frozenset[int]:
    """The lines (0-based) of a story's Markdown `body` inside a code block, fenced or
    indented, as the story's parser reads its blocks (nested in a list or quote too):
    their characters are shown as typed, so a character reference there is no reference."""
    from .markdown import markdown   # only when a line holds a reference said: most bodies hold none
    md = markdown()
    tokens: list = []
    md.block.parse(body, md, {}, tokens)
    lines: set[int] = set()
    for tok in tokens:
        if tok.map and tok.type in ("fence", "code_block"):
            lines.update(range(tok.map[0] + (tok.type == "fence"), tok.map[1]))
    return frozenset(lines)


def _spelled_problems(text: str, is_name: bool) -> Iterator[tuple[int, int, str]]:
    """Each character reference of `text` spelling a character a name (`is_name`) or
    prose may not hold. Judged in the text as Markdown renders it, every reference read as what it spells
    (`&#x641;&zwnj;&#x641;` is a joiner between two Arabic letters), by one pass of the
    check over that text: one pass per reference, over the whole text each time, made a
    line of 20,000 `&ZeroWidthSpace;` minutes of CPU."""
    if "&" not in text:
        return
    pieces: list[str] = []
    spans: list[tuple[int, int, re.Match, bool]] = []   # (start, end in the probe, the reference, may be refused)
    at = length = 0
    for found, spelled in _references(text):
        pieces.append(text[at:found.start()])
        length += found.start() - at
        # `&amp;`, `&eacute;`: a visible character, the common case, never refused itself
        suspect = not all(unicodedata.category(c)[0] != "C" and ord(c) not in _FILLERS
                          and c not in "\u2028\u2029" for c in spelled)
        spans.append((length, length + len(spelled), found, suspect))
        pieces.append(spelled)
        length += len(spelled)
        at = found.end()
    if not any(suspect for *_, suspect in spans):
        return
    pieces.append(text[at:])
    probe = "".join(pieces)
    starts = [start for start, *_ in spans]
    said = -1
    for offset in (name_problems if is_name else prose_problems)(probe):
        k = bisect.bisect_right(starts, offset) - 1
        if k > said and offset < spans[k][1] and spans[k][3]:
            said = k
            yield spans[k][2].start(), spans[k][2].end(), probe[offset]


def every_problem(text: str, is_name: bool, inline: bool = True) -> list[tuple[int, int, str, bool]]:
    """(start, end offset, the character, whether written as a character reference) of
    every character a name (`is_name`) or prose may not hold, raw or spelled by a
    reference, in the order they stand: each is its own finding at its own column.
    `inline`: as `reference_problems` (False: the caller passes over code)."""
    raw = [(i, i + 1, text[i], False) for i in (name_problems(text) if is_name else prose_problems(text))]
    return sorted(raw + [(start, end, ch, True) for start, end, ch in reference_problems(text, is_name, inline)])


def _outside_code(found: list[tuple[int, int, str, bool]], text: str) -> list[tuple[int, int, str, bool]]:
    """`found` (every_problem's, of the whole Markdown `text`, `inline` False) without
    the references in its code (`markdown_code`): those are the characters typed."""
    if not any(reference for *_, reference in found):
        return found
    code = markdown_code(text)
    return [problem for problem in found if not (problem[3] and _inside(code, problem[0]))]


def every_stack(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end offset, number of marks, the letter carrying them) of every run of
    more combining marks than any script stacks on a letter (mark_stacks.py), judged in
    the text as Markdown renders it: `&#x301;` forty times is forty marks. A run spelled
    by references is placed from its letter to its last reference."""
    if text.isascii() and "&" not in text:
        return []   # the common case: no mark, no reference that could spell one
    found = [(start, end, count, text[start]) for start, end, count in tall_stacks(text)]
    if "&" not in text or found:
        return found
    pieces: list[str] = []
    starts: list[int] = []       # where each piece begins in the probe
    originals: list[int] = []    # and in `text`
    at = length = 0
    for reference, spelled in _references(text):
        if reference.start() > at:
            starts.append(length)
            originals.append(at)
            pieces.append(text[at:reference.start()])
            length += reference.start() - at
        starts.append(length)
        originals.append(-1 - reference.start())   # a reference: its whole span stands for each of its characters
        pieces.append(spelled)
        length += len(spelled)
        at = reference.end()
    if not starts or all(piece.isascii() for piece in pieces):
        return []
    starts.append(length)
    originals.append(at)
    pieces.append(text[at:])
    probe = "".join(pieces)

    def place(offset: int, last: bool) -> int:
        """Where the probe's character at `offset` begins in `text` (ends, when `last`)."""
        k = bisect.bisect_right(starts, offset) - 1
        if originals[k] < 0:   # inside a reference: its span stands for each character it spells
            begin = -1 - originals[k]
            return _REFERENCE.match(text, begin).end() if last else begin
        return originals[k] + offset - starts[k] + last

    return [(place(start, False), place(end - 1, True), count, probe[start])
            for start, end, count in tall_stacks(probe)]


def report_stacks(diags: Diagnostics, stacks: list[tuple[int, int, int, str]], span: Span, as_written: bool,
                  field: str = "") -> None:
    """HF0133 for each run of `every_stack` (the first EACH_SAID, then one for the rest):
    at its own columns on `span`'s line when `as_written`, else at `span` with the
    letter's number."""
    for start, end, count, letter in stacks[:EACH_SAID]:
        at = span.shifted(start, end - start) if as_written else span
        place = (f" in '{field}'" if field else "") + ("" if as_written else f" at character {start + 1}")
        carrier = ("a run" if unicodedata.category(letter)[0] == "M"
                   else f"'{letter}' ({describe(letter)}) carries a run")
        diags.add("HF0133", f"{carrier} of {count:,} combining marks{place}: more than the {STACK_LIMIT} Unicode's "
                  "stream-safe text allows, where a script puts a few", at,
                  hint="Delete the extra marks: no language stacks more than a handful on one letter, and a "
                       "stack this tall is drawn over the lines around it and past the page's edge.")
    if len(stacks) > EACH_SAID:
        start, end = stacks[EACH_SAID][:2]
        diags.add("HF0133", the_rest(len(stacks), "field" if field else "line"),
                  span.shifted(start, end - start) if as_written else span)


def check_data(data: Any, positions: Any, diags: Diagnostics, names: frozenset[str] = NAME_KEYS,
               escapes: str = "your YAML") -> None:
    """Every key and string value of loaded YAML/TOML data: keys and values at a
    `names` key are names, other strings prose. `positions` gives each a span
    (`positions.value(loc)` / `positions.key(loc)`); `escapes`, the file a hint says
    may spell a character as an escape (foundry.toml's title was told of "your YAML")."""
    if _clean(data, names):
        return   # nothing to report: the common case, without a check per string
    for loc, text, is_key in _strings(data):
        is_name = is_key or (bool(loc) and _key_of(loc) in names)
        # a background or summary is Markdown of blocks (a fenced or indented example, a
        # code span over two lines): a reference in its code is no reference; every
        # other text is one run of inline Markdown (a description, a note: titles.py)
        found = (_outside_code(every_problem(text, False, False), text) if not is_name and _key_of(loc) in PROSE_FIELDS
                 else every_problem(text.rstrip("\n") if is_name else text, is_name))
        stacks = every_stack(text)
        if not found and not stacks and not (is_name and is_blank(text)):
            continue   # the common case: no span looked up (a dict walk per string, ~70,000 at 2,000 heroes)
        span = positions.key(loc) if is_key else positions.value(loc)
        field = ".".join(map(str, loc))
        # its characters are placed by the span: a value on its line as written, or one
        # whose layout the loader read (wrapped, a block, escapes: Span.shifted)
        as_written = bool(span.line) and (span.end_column - span.column == len(text) or bool(span.layout))
        report_stacks(diags, stacks, span, as_written, field)
        if not found:
            if is_name and is_blank(text):
                diags.add("HF0132", f"'{field}' shows nothing: it holds only spaces or marks", span,
                          hint="Write the name, or leave the field out if it is optional.")
            continue
        for start, end, ch, reference in found[:EACH_SAID]:
            # its own place when the span places the value's characters (as_written);
            # else the value's span, with the character's number when the value holds
            # more than one finding
            report(diags, ch, span.shifted(start, end - start) if as_written else span,
                   "name" if is_name else "number" if _number_but_for(text, found) else "prose", field, escapes,
                   reference=reference,
                   nth=start + 1 if not as_written and len(found) > 1 else 0, written=text[start:end])
        _the_rest(found, span, as_written, "field", diags)


def _clean(data: Any, names: frozenset[str]) -> bool:
    """Whether check_data would report nothing for `data`: its names joined (by a
    space, which no rule refuses or joins into anything) hold no character the names'
    regex picks for a closer look, no `&` (a character reference), and none shows
    nothing; its prose joined likewise. Every string passing alone is exactly what
    that says (each regex is a superset of what its check refuses), so a file that
    is not clean is checked string by string as before, and every finding is made
    and placed there. One regex search per class instead of ~35 calls per hero file
    (text hygiene was ~8 % of a cold check's CPU)."""
    named: list[str] = []
    prose: list[str] = []
    stack: list[tuple[Any, str | None]] = [(data, None)]   # (value, the key it is filed under: None at the top)
    while stack:   # no recursion: nesting depth is the loader's to limit
        value, key = stack.pop()
        if isinstance(value, str):
            (named if key is not None and key in names else prose).append(value)
        elif isinstance(value, dict):
            for item_key, item in value.items():
                if isinstance(item_key, str):
                    named.append(item_key)   # a key is a name
                    stack.append((item, item_key))
                else:   # filed under the nearest key that is text (_key_of)
                    stack.append((item, key or ""))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, key or "") for item in value)
    text = " ".join(named)
    if "&" in text or _suspect(False, text.isascii()).search(text) or has_tall_stack(text) \
            or any(not name[:1].isalnum() and is_blank(name) for name in named):
        return False
    text = " ".join(prose)
    return "&" not in text and not _suspect(True, text.isascii()).search(text) and not has_tall_stack(text)


_A_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def _number_but_for(text: str, found: list) -> bool:
    """Whether `text` is a number but for the characters `found` (every_problem's):
    `coins: 2` with a zero-width space after it was "not allowed in prose"."""
    kept, at = [], 0
    for start, end, _ch, _reference in found:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return _A_NUMBER.fullmatch("".join(kept).strip()) is not None


def check_translation(text: str, is_name: bool, span: Span, what: str, diags: Diagnostics,
                      block: bool = False) -> None:
    """HF0131/HF0132 at `span` when translated `text` (a name when `is_name`, else
    prose) holds a character it may not, HF0133 a tower of marks: the rule content files follow
    (l10n/check.py). `what` names the text in the message; `block`: the text is Markdown
    of blocks (a paragraph, a summary), not one run of inline Markdown (a description)."""
    found = _outside_code(every_problem(text, False, False), text) if block else every_problem(text, is_name)
    for start, end, ch, reference in found[:EACH_SAID]:   # the entry's span: each told by its character's number
        report(diags, ch, span, "name" if is_name else "prose", what,
               "your YAML" if reference else "the translation file", reference=reference,
               nth=start + 1 if len(found) > 1 else 0, written=text[start:end])
    _the_rest(found, span, False, "translation", diags)
    report_stacks(diags, every_stack(text), span, False, what)


def _key_of(loc: tuple) -> str:
    """The key a value is filed under (list items take their list's key)."""
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return ""


def _strings(data: Any) -> Iterator[tuple[tuple, str, bool]]:
    stack: list[tuple[tuple, Any]] = [((), data)]   # no recursion: nesting depth is the loader's to limit
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            yield loc, value, False
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str):
                    yield loc + (key,), key, True
                stack.append((loc + (key,), item))
        elif isinstance(value, (list, tuple)):
            stack.extend((loc + (i,), item) for i, item in reversed(list(enumerate(value))))


# A heading's `#`s and the spaces or tabs after them (CommonMark's ATX heading start).
_HEADING_START = re.compile(r"[ \t]*#{1,6}[ \t]+")


def check_body(body: str, first_line: int, path: str, diags: Diagnostics) -> None:
    """A story's Markdown: headings (scene titles) are names, every other line prose."""
    if "&" not in body and "\t" not in body and not _suspect(True, body.isascii()).search(body) \
            and not has_tall_stack(body):
        # no line holds what prose refuses, nor a tab (all a name refuses beyond it on a
        # line: its regex adds tab and newline), nor a tower of marks: nothing to report,
        # found in two searches
        return
    code: list[tuple[int, int]] | None = None
    at = 0   # where the line starts in `body`
    for number, line in enumerate(body.split("\n"), first_line):   # LF only: VT and FF are not line ends
        text = line.removesuffix("\r")
        heading = text.lstrip().startswith("#")
        found = every_problem(text, heading, inline=False)
        if heading and "\t" in text and (parted := _HEADING_START.match(text)):
            # the tab that parts the `#`s from the title is Markdown's, as a space is: no part of the name
            found = [problem for problem in found if not (problem[2] == "\t" and problem[0] < parted.end())]
        if any(reference for *_, reference in found):
            # a code block's or span's `&#0;` is those four characters; a span may run
            # over a paragraph's lines, so the body's code is found once, as a whole
            code = markdown_code(body) if code is None else code
            found = [problem for problem in found if not (problem[3] and _inside(code, at + problem[0]))]
        at += len(line) + 1
        for start, end, ch, reference in found[:EACH_SAID]:   # each at its own column
            report(diags, ch, Span(path, number, start + 1, end + 1), "scene title" if heading else "prose", "",
                   reference=reference, written=text[start:end])
        _the_rest(found, Span(path, number, 1), True, "line", diags)
        report_stacks(diags, every_stack(text), Span(path, number, 1), True)


def _the_rest(found: list[tuple[int, int, str, bool]], span: Span, as_written: bool, unit: str,
              diags: Diagnostics) -> None:
    """One HF0131/HF0132/HF0134 for the characters of `found` (every_problem's, in one
    `unit`) past the first EACH_SAID, at the first of them (its column on `span`'s line
    when `as_written`, else `span`): a line of 10,000 `&#12;` is not 10,000 errors. A
    line of more than one kind gets one for each kind among the rest, counting its own:
    one code for them all was the twenty-first's, and "20 more like the 20 above" under
    HF0134 counted twenty invisible characters (HF0132) a search for HF0134 never finds."""
    if len(found) <= EACH_SAID:
        return
    kinds: dict[str, list[tuple[int, int, str, bool]]] = {}
    for problem in found[EACH_SAID:]:
        kinds.setdefault(_code(problem[2], problem[3]), []).append(problem)
    one = len(kinds) == 1 and all(_code(ch, reference) in kinds for *_, ch, reference in found[:EACH_SAID])
    for code, rest in kinds.items():
        start, end = rest[0][:2]
        at = span.shifted(start, end - start) if as_written else span
        diags.add(code, the_rest(len(found), unit) if one else
                  f"and {len(rest):,} more {_KINDS[code]} in this {unit} past the {EACH_SAID} above, from here on", at)


# What each code's findings are, for the rest of a line of more than one kind (`_the_rest`).
_KINDS = {"HF0131": "control characters", "HF0132": "invisible characters",
          "HF0134": "character references spelling no character"}


def _code(ch: str, reference: bool) -> str:
    """The code a finding of every_problem's is said with (`report`)."""
    return "HF0134" if reference and ch == REPLACEMENT else "HF0131" if is_control(ch) else "HF0132"


def report(diags: Diagnostics, ch: str, span: Span, where: str, field: str, escapes: str = "your YAML",
           reference: bool = False, nth: int = 0, written: str = "") -> None:
    """HF0131 (a control character) or HF0132 (an invisible one) for `ch` at `span`, in a
    `where` ("name", "prose", "scene title"); `field` names the YAML key, `escapes` where
    an escape may spell it; `reference`: written as a character reference (`&#x202E;`),
    `written` as it is typed; HF0134 for one Markdown shows as U+FFFD (`ch` is
    `REPLACEMENT`); `nth`: the character's number in the field when `span` is the whole field's."""
    place = (f" in '{field}'" if field else "") + (f" at character {nth}" if nth else "")
    if reference and ch == REPLACEMENT:
        report_unspelled(diags, written, span, place)
        return
    if reference:
        code = "HF0131" if is_control(ch) else "HF0132"
        article = "" if where == "prose" else "a "
        diags.add(code, f"a character reference{place} spells {describe(ch)}, which is not allowed in {article}{where}",
                  span, hint="Delete the reference (`&#…;` or `&name;`): Markdown turns it into the invisible "
                             "character itself (docs/formats.md, \"Characters\").")
        return
    if ch == "\n":
        # a name, title or choice holding a line break (a translator's Enter, a PO `\n`,
        # a YAML "…\n…"): "a control character, invisible in an editor" misled
        diags.add("HF0131", f"a line break{place}: a {where} is one line", span,
                  hint=f"Join it into one line: delete the line break, or the `\\n` that writes it in {escapes}.")
        return
    if ch == "\t":
        # a tab is seen in an editor, as a gap between words: "invisible… Delete it" joined
        # the words it parted (a scene title's `##\tGate`, where Markdown reads it, is fine)
        diags.add("HF0131", f"a tab{place}: a {where} holds no tab", span,
                  hint="Write a space in its place" + (f" (or in place of the `\\t` that writes it in {escapes})."
                                                       if field else "."))
        return
    if is_control(ch):
        # a Markdown story has no escapes to look for; a lone CR is an old line ending
        hint = (LONE_CR_HINT
                if ch == "\r" else "Delete it: it is invisible in an editor"
                + (f" ({escapes} may spell it as an escape like `\\e`)." if field else "."))
        diags.add("HF0131", f"{describe(ch)}{place} is a control character", span, hint=hint)
    else:
        article = "" if where == "prose" else "a "   # "not allowed in prose", as the reference's words
        diags.add("HF0132", f"{describe(ch)}{place} is not allowed in {article}{where}", span,
                  hint="Delete it: names never hold invisible or direction-changing characters; prose holds "
                       "them only where its script needs them (docs/formats.md, \"Characters\").")


def report_unspelled(diags: Diagnostics, written: str, span: Span, place: str = "") -> None:
    """HF0134 at `span`: the character reference `written` (`&#146;`) names no character
    a text may hold, so Markdown shows U+FFFD in its place in every output; the hint names
    the character an old Windows-1252 number stands for (`windows_1252`)."""
    typed = f" '{clip(written, 20)}'" if written else ""
    meant = windows_1252(written) if written else None
    hint = (f"`{written}` is an old Windows-1252 number for {meant} ({describe(meant)}), which a browser guesses "
            f"and Markdown does not: type {meant} itself, or write `&#x{ord(meant):X};`." if meant else
            "Type the character you meant, or delete the reference: `&#…;` takes a Unicode character's number, "
            "never NUL, a control character, half a surrogate pair, a noncharacter or one past U+10FFFF.")
    diags.add("HF0134", f"the character reference{typed}{place} spells no character: every output would show "
              f"{REPLACEMENT} ({describe(REPLACEMENT)}) in its place", span, hint=hint)
