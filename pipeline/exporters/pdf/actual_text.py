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
`/Span <</MCID n>> BDC`); while a book is written that method is replaced by one that
adds the box's text as /ActualText when it holds a letter of such a script. Books
without one keep their bytes.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

# Scripts whose clusters a font draws as several glyphs or out of their letters' order
# (subscripts, conjuncts, pre-base vowel signs): Indic (Devanagari to Sinhala), Thai and
# Lao, Tibetan, Myanmar, Khmer, Tai Tham, Balinese, Sundanese, Javanese, Meetei Mayek
# and the Brahmic scripts of the supplementary plane.
_REORDERED = ((0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
              (0x19E0, 0x19FF), (0x1A20, 0x1AAF), (0x1B00, 0x1BBF), (0xA8E0, 0xA8FF), (0xA980, 0xA9FF),
              (0xAA60, 0xAA7F), (0xAAE0, 0xAAFF), (0xABC0, 0xABFF), (0x11000, 0x11FFF))


# One character class, searched in C: every line of every book is asked.
_REORDERED_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _REORDERED) + "]")


def needs_actual_text(text: str) -> bool:
    """Whether `text` holds a letter whose glyphs the ToUnicode map may not spell back."""
    return _REORDERED_CHAR.search(text) is not None


@contextmanager
def text_spelled() -> Iterator[None]:
    """While the block writes a PDF, the marked content of a text box in one of those
    scripts carries its text as /ActualText. Builds write one book at a time in a
    process; the method is put back when the block ends."""
    from weasyprint.pdf.stream import Stream
    with replaced([(Stream, "marked", _marked(Stream.marked))]):
        yield


def _marked(original: Any) -> Any:
    import pydyf
    from weasyprint.formatting_structure import boxes

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        text = box.text if isinstance(box, boxes.TextBox) else ""
        if self._tags is None or not needs_actual_text(text):
            with original(self, box, tag):
                yield
            return
        # Stream.marked's own steps (WeasyPrint 70), with /ActualText beside /MCID
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        pydyf.Stream.begin_marked_content(self, tag, pydyf.Dictionary({"MCID": mcid,
                                                                        "ActualText": pydyf.String(text)}))
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)
    return marked
