"""Text that is not UTF-8: where each bad byte is, and what the bytes most likely are.

Every file foundry reads as text is UTF-8 (docs/formats.md). One that is not is
reported here, one mechanism for every reader (content, rules, translations,
foundry.toml, import files):

- each line holding bytes that are not UTF-8 is one HF0103 at the first such byte,
  its column counted in characters as an editor shows the file (a bad byte counts as
  one character, the replacement mark an editor draws for it); MAX_REPORTS lines,
  then one "and N more";
- the hint names the encoding the bytes most likely are, when that is safe to say: a
  byte-order mark (UTF-16/UTF-32: the editor saved it so), or bytes that are each a
  lone high byte between plain letters, which Windows-1252 (the Western European
  superset of Latin-1) reads as letters. Runs of several high bytes (Cyrillic,
  Greek, Chinese, Japanese legacy encodings) name nothing: a guess there would be
  wrong more often than right.

`bom_encoding` tells imports which codec a byte-order mark names (they decode it:
Twine and Inky on Windows save UTF-16); content files are refused with the hint.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Span

MAX_REPORTS = 20   # lines reported per file, then one "and N more" (as load/yaml.py)
MAX_SHOWN = 5      # bad bytes named in one line's message

# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
         (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe", "utf-16-le", "UTF-16"),
         (b"\xfe\xff", "utf-16-be", "UTF-16"))
_BAD = re.compile("[\udc80-\udcff]+")   # the bytes surrogateescape could not decode, in runs

CP1252 = "Windows-1252 (Western European; Latin-1 is part of it)"


def bom_encoding(data: bytes) -> tuple[str, str] | None:
    """(Python codec, name a writer knows) of the byte-order mark `data` begins with, or None."""
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            return codec, name
    return None


# An HTML file's own word on its encoding, as the HTML standard's prescan finds it in the
# first 1,024 bytes: <meta charset="…">, or <meta http-equiv="Content-Type"
# content="text/html; charset=…">; and an XML declaration's encoding="…" at the start.
_PRESCAN = 1024
_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.()+-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"\A<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']")


def declared_encoding(data: bytes) -> tuple[str, str] | None:
    """(Python codec, the label as written) of the encoding an HTML or XML file
    declares in its first 1,024 bytes, or None (no declaration, or a label no standard
    knows). Labels are resolved by the WHATWG Encoding Standard's table (webencodings:
    "latin1" and "iso-8859-1" are windows-1252, as browsers read them); a declared
    UTF-16 is UTF-8, as the HTML standard says (the declaration was read as ASCII)."""
    import webencodings
    head = data[:_PRESCAN]
    found = _XML_DECL.search(head) or _META.search(head)
    if found is None:
        return None
    label = found.group(1).decode("ascii", "replace")
    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name == "replacement":
        return None
    name = {"utf-16be": "utf-8", "utf-16le": "utf-8", "x-user-defined": "windows-1252"}.get(encoding.name,
                                                                                           encoding.name)
    return encoding.codec_info.name if name == encoding.name else name, label


def utf16_without_mark(data: bytes) -> bool:
    """Whether `data` (holding NUL bytes) reads as UTF-16 text with no byte-order mark:
    every other byte of its start NUL, as plain letters are in UTF-16. Cheap: 64 bytes."""
    head = data[:64]
    if len(head) < 4:
        return False
    for first in (0, 1):   # little-endian: the NUL second; big-endian: first
        nuls, text = head[1 - first::2], head[first::2]
        if nuls.count(0) >= len(nuls) - 1 and 0 not in text:
            return True
    return False


def report_utf16_without_mark(path: str, diags: Diagnostics, code: str = "HF0103") -> None:
    """`utf16_without_mark` held: the NUL bytes are UTF-16's, not a binary file's."""
    diags.add(code, "the file looks like UTF-16 text (every other byte is zero), not UTF-8", Span(path, 1, 1),
              hint="Your editor saved it as UTF-16: save it again as UTF-8 (the \"encoding\" setting, usually "
                   "beside \"Save as\").")


def report_not_text(path: str, data: bytes, diags: Diagnostics, code: str = "HF0103") -> None:
    """`data` (the bytes of the file at `path`) failed to decode as UTF-8: report why,
    each line holding bad bytes once (see the module)."""
    mark = bom_encoding(data)
    if mark is not None and mark[0] != "utf-8-sig":
        diags.add(code, f"the file is {mark[1]} text (it begins with a {mark[1]} byte-order mark), not UTF-8",
                  Span(path, 1, 1),
                  hint=f"Your editor saved it as {mark[1]}: save it again as UTF-8 (the \"encoding\" setting, "
                       "usually beside \"Save as\"); foundry reads content as UTF-8 only, as git and GitHub show it.")
        return
    text = data.decode("utf-8", "surrogateescape")
    runs = [(m.start(), m.end()) for m in _BAD.finditer(text)]
    hint = _hint(text, runs)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    by_line: dict[int, list[tuple[int, int]]] = {}
    line = 0
    for start, end in runs:
        while line + 1 < len(starts) and starts[line + 1] <= start:
            line += 1
        by_line.setdefault(line, []).append((start, end))
    for shown, (line, found) in enumerate(sorted(by_line.items())):
        first = found[0][0]
        span = Span(path, line + 1, first - starts[line] + 1)
        if shown == MAX_REPORTS:
            diags.add(code, f"and {len(by_line) - MAX_REPORTS:,} more lines like the {MAX_REPORTS} above in this "
                      "file, from here on", span, hint=hint)
            return
        bad = [ord(c) - 0xDC00 for s, e in found for c in text[s:e]]
        named = ", ".join(f"0x{b:02x}" for b in bad[:MAX_SHOWN]) + \
            (f" and {len(bad) - MAX_SHOWN} more" if len(bad) > MAX_SHOWN else "")
        message = f"byte {named} is not UTF-8" if len(bad) == 1 else f"bytes {named} on this line are not UTF-8"
        if hint is not None:
            message += f" (in Windows-1252: {_as_cp1252(text, found)})"
        diags.add(code, message, span, hint=hint)


def _hint(text: str, runs: list[tuple[int, int]]) -> str | None:
    """The hint naming Windows-1252, when every bad run is one byte (two at most: "é»")
    that it reads as a printable character; else None (the code's own hint)."""
    if not runs or any(end - start > 2 for start, end in runs):
        return None
    try:
        for start, end in runs:
            chars = bytes(ord(c) - 0xDC00 for c in text[start:end]).decode("cp1252")
            if not all(ch.isprintable() or ch in "\xa0\xad" for ch in chars):   # no-break space, soft hyphen
                return None
    except UnicodeDecodeError:   # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no character in Windows-1252
        return None
    return (f"These bytes look like {CP1252} text. Reopen the file in that encoding (\"Reopen with "
            "encoding\" in most editors) and save it as UTF-8.")


def _as_cp1252(text: str, found: list[tuple[int, int]]) -> str:
    """What the bad bytes of one line are in Windows-1252, quoted: `'é', '’'`."""
    shown = [bytes(ord(c) - 0xDC00 for c in text[s:e]).decode("cp1252") for s, e in found[:MAX_SHOWN]]
    return ", ".join(f"'{s}'" for s in shown) + (f" and {len(found) - MAX_SHOWN} more" if len(found) > MAX_SHOWN else "")
