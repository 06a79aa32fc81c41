"""/ActualText on the printed text of scripts whose glyphs do not spell their letters.

A PDF's text is read back (copied, searched, read aloud, `pdftotext`) through each
font's ToUnicode map: one string per glyph, for the whole font. WeasyPrint 70 writes
that map from the first cluster a glyph is drawn in, giving the cluster's letters to
its last glyph and none to the others (weasyprint/draw/text.py, draw_first_line). In
Latin, Greek, Cyrillic, Hebrew, Arabic and CJK a cluster is one glyph, or a ligature
that always spells the same letters, so the map reads back true. In the Brahmic and
Southeast Asian scripts it is not: Khmer draws a subscript consonant (coeng + letter)
or a pre-base vowel as a glyph of its own, before its base, so 'ព្រះរាជាណាចក្រ' read
back 'ព្រះរាជាណាច ក្រក្រ…' (the base letter's glyph, first seen with its subscript,
spelled both ever after; the subscript's glyph spelled nothing), and Devanagari's
conjuncts and reordered vowel signs the same: a reader's copy-paste and a screen
reader got other words than the page shows. The shaping (Pango, HarfBuzz) and the
font subset are right; only the map cannot say it.

PDF's own answer is /ActualText on the marked content that draws the text (ISO
32000-1, 14.9.4): readers take its string instead of the glyphs' map. WeasyPrint
marks every text box's content for the structure tree (pdf/stream.py, Stream.marked,
`/Span <</MCID n>> BDC`); while a book is written, the glyphs of such a script inside
a marked text box get a marked-content sequence of their own carrying their text as
/ActualText. Per run of one font (as WeasyPrint draws a line: it sets the font,
Stream.set_font_size, at each change of font), not over the whole box: a line holding
Khmer and Arabic was one /ActualText in logical order, and poppler, which orders a
line's right-to-left words itself, reversed the Arabic ('ملاعلاب' for 'بالعالم'); the
Arabic glyphs now read back through their map as before, as does any Latin beside.
Books without such a script keep their bytes.

Known and left open (measured with poppler 22.12): Hebrew, Arabic, Syriac and Thaana
WITH marks ('שָׁלוֹם', 'مُحَمَّد', 'ދިވެހި') read back scattered in `pdftotext`, though pypdf
reads them true. Drawn right to left, a cluster's marks come before its base, each
placed by an offset onto it (TJ across, Ts up); poppler starts a new word at a glyph
more than 0.1 em past the last one's end, 0.2 em back over it, within 0.1 em of its
start, or 0.5 pt off its baseline, so each such mark is a word of its own, some on
lines of their own. Dropping the rise (Ts) is not enough: the sideways offsets alone
split the words, and moving a mark any other way (Td, Tm) moves its origin just the
same. /ActualText cannot mend it for every reader: poppler lays the string out left
to right over the span and reverses it as right-to-left text, so only the reversed
(visual) string reads true there ('שָׁלוֹם' in both modes), and every reader that
takes /ActualText as the text in reading order, as ISO 32000 has it (screen readers
among them), would get it backwards.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from .syllable_breaks import unbroken
from .weasy_patches import replaced

# Scripts whose clusters a font draws as several glyphs or out of their letters' order
# (subscripts, conjuncts, pre-base vowel signs): Indic (Devanagari to Sinhala), Thai and
# Lao, Tibetan, Myanmar, Khmer, Tai Tham, Balinese, Sundanese, Javanese, Meetei Mayek
# and the Brahmic scripts of the supplementary plane. And the right-to-left scripts a
# reader does not know to be (poppler's tables stop at Thaana): N'Ko, Samaritan,
# Mandaic and Syriac's supplement, and those of the supplementary plane (Imperial
# Aramaic to Elymaic, Hanifi Rohingya, Mende Kikakui, Adlam), whose glyphs, drawn right
# to left, read back reversed ('ߋߕ߲ߊߞ' for 'ߞߊ߲ߕߋ'); their text spelled in logical
# order reads right. (Hebrew, Arabic, Syriac and Thaana it orders itself: spelled, they
# were reversed.)
_REORDERED = ((0x07C0, 0x086F), (0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
              (0x19E0, 0x19FF), (0x1A20, 0x1AAF), (0x1B00, 0x1BBF), (0xA8E0, 0xA8FF), (0xA980, 0xA9FF),
              (0xAA60, 0xAA7F), (0xAAE0, 0xAAFF), (0xABC0, 0xABFF), (0x10800, 0x10FFF), (0x11000, 0x11FFF),
              (0x1E800, 0x1EFFF))


# One character class, searched in C: every line of every book is asked.
_REORDERED_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _REORDERED) + "]")


def needs_actual_text(text: str) -> bool:
    """Whether `text` holds a letter whose glyphs the ToUnicode map may not spell back."""
    return _REORDERED_CHAR.search(text) is not None


@contextmanager
def text_spelled() -> Iterator[None]:
    """While the block writes a PDF, each run of glyphs in one of those scripts inside
    a marked text box carries its text as /ActualText. Builds write one book at a time
    in a process; the methods are put back when the block ends."""
    from weasyprint.pdf.stream import Stream
    with replaced([(Stream, "marked", _marked(Stream.marked)),
                   (Stream, "set_font_size", _font_set(Stream.set_font_size)),
                   (Stream, "end_text", _text_ended(Stream.end_text))]):
        yield


class _Runs:
    """The text box being drawn and where its drawing is: the logical text of each
    run of one font on its line, in the order WeasyPrint draws them (found when the
    first font is set: draw_first_line has laid the line out by then, an ellipsis
    included), which of them is being drawn, and whether its /ActualText is open."""

    def __init__(self, box: Any):
        self.box = box
        self.texts: list[str] | None = None
        self.next = 0
        self.open = False

    def text(self) -> str:
        """The next run's text, the run counted as begun."""
        if self.texts is None:
            self.texts = _font_runs(self.box)
        at, self.next = self.next, self.next + 1
        return self.texts[at] if at < len(self.texts) else ""


def _font_runs(box: Any) -> list[str]:
    """The text of each run of one font of `box`'s line, as draw_first_line draws it:
    Pango's runs in visual order, a new one where the font changes (each run's text in
    logical order: a run's items sorted by where they start in the text)."""
    from weasyprint.text.ffi import ffi
    line, _ = box.pango_layout.get_first_line()
    text = box.pango_layout.text.encode()
    runs: list[list[tuple[int, str]]] = []
    previous = None
    item = line.runs[0]
    while item != ffi.NULL:
        analysed = item.data.item
        piece = (analysed.offset, text[analysed.offset:analysed.offset + analysed.length].decode("utf-8", "replace"))
        if analysed.analysis.font != previous:
            previous = analysed.analysis.font
            runs.append([piece])
        else:
            runs[-1].append(piece)
        item = item.next
    return ["".join(piece for _, piece in sorted(run)) for run in runs]


def _close(stream: Any, runs: _Runs) -> None:
    import pydyf
    if runs.open:
        pydyf.Stream.end_marked_content(stream)
        runs.open = False


def _font_set(original: Any) -> Any:
    def set_font_size(self: Any, font: Any, size: Any) -> None:
        runs = getattr(self, "_spelled_runs", None)
        if runs is not None:   # a new run of glyphs begins: the last one's /ActualText ends
            import pydyf
            _close(self, runs)
            text = runs.text()
            if needs_actual_text(text):
                # the breaks pdf/syllable_breaks.py put between syllables are no letters: a
                # reader's search finds the word whole
                text = unbroken(text)
                pydyf.Stream.begin_marked_content(self, "Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
                runs.open = True
        original(self, font, size)
    return set_font_size


def _text_ended(original: Any) -> Any:
    def end_text(self: Any) -> None:
        runs = getattr(self, "_spelled_runs", None)
        if runs is not None:   # marked content begun inside a text object ends inside it
            _close(self, runs)
        original(self)
    return end_text


def _marked(original: Any) -> Any:
    from weasyprint.formatting_structure import boxes

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        text = box.text if isinstance(box, boxes.TextBox) else ""
        if self._tags is None or not needs_actual_text(text):
            with original(self, box, tag):
                yield
            return
        with original(self, box, tag):
            runs = self._spelled_runs = _Runs(box)
            try:
                yield
            finally:
                _close(self, runs)
                self._spelled_runs = None
    return marked
