"""What a translation file costs `check` grows with the file, not with its square:
a 1.9 MB PO of 12,000 translated lines that no longer exist (under the 2 MiB cap for
a translation file, and a pull request may add one per language and source file)
took 39 CPU-s of every check, 8 at 6,000 (extract.displaced made the set of loose
line ids again for each entry). Counted, not timed: how often the previous entries'
ids are asked for while one file is judged."""
from __future__ import annotations

from collections.abc import Mapping

from pipeline.diagnostics import Span
from pipeline.l10n.catalog import Entry
from pipeline.l10n.extract import displaced, moved_translations
from pipeline.l10n.lines import Line


class _Counted(Mapping):
    """The previous entries by line id, counting each time their ids are listed."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries, self.listed = entries, 0

    def __getitem__(self, key):
        return self.entries[key]

    def __iter__(self):
        self.listed += 1
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def keys(self):
        self.listed += 1
        return self.entries.keys()


def _file(gone: int) -> tuple[list[Line], _Counted]:
    """A story's two untagged paragraphs, and a translation file that also holds `gone`
    translated lines whose ids no longer exist."""
    lines = [Line(f"story.s.p{n}", f"Paragraph {n}.", "content/stories/s.md", Span("content/stories/s.md", n, 1),
                  "paragraph", "", tagged=False) for n in (1, 2)]
    entries = {f"story.s.p{n}": Entry(f"story.s.p{n}", f"Paragraph {n}.", f"Absatz {n}.") for n in (1, 2)}
    entries |= {f"story.s.y{n}": Entry(f"story.s.y{n}", f"Line {n}", f"Zeile {n}") for n in range(gone)}
    return lines, _Counted(entries)


def test_the_lines_a_translation_file_no_longer_matches_are_judged_in_one_pass():
    for gone in (100, 2000):
        lines, previous = _file(gone)
        assert displaced(lines, previous) == frozenset()
        assert previous.listed <= 2, (gone, previous.listed)   # was once for each of the entries
        lines, previous = _file(gone)
        assert moved_translations(lines, previous) == {}
        assert previous.listed <= 4, (gone, previous.listed)
