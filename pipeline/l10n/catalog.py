"""One translation file, format-neutral: what `extract`, `check` and `status` read.

A `Catalog` holds one language's translations of one source file. Its entries are
keyed by line id; `source` is the base-language text the translation was made
from, so a translation is stale exactly when that text is no longer the source's.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One translated (or not yet translated) line.

    `fuzzy`: marked for review (PO `#, fuzzy`; XLIFF 2 state `initial` with a target).
    `obsolete`: the line id no longer exists in the source; kept, never deleted.
    `previous`: the source text before it changed (PO `#| msgid`), for the translator.
    `line`: 1-based line of the entry in the translation file (0 when the format has none).
    `target_line`: the line where the translation itself starts (PO `msgstr`, XLIFF
    `<target>`), where a problem *in* the translation is reported; 0: use `line`.
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

    @property
    def translation_line(self) -> int:
        """Where a problem in the translated text is shown (1-based)."""
        return self.target_line or self.line or 1


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

    def by_id(self) -> dict[str, Entry]:
        """Live entries by line id (the first wins; `check` reports the second)."""
        out: dict[str, Entry] = {}
        for entry in self.entries:
            if not entry.obsolete:
                out.setdefault(entry.id, entry)
        return out
