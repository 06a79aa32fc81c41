"""Khmer, Myanmar and Lao break between syllables in print, never inside one.

These scripts put no spaces between words, and a line breaks between them where a
dictionary says (UAX #14's class SA). Chromium (the site, the EPUBs) has ICU's; the
PDF's layout (Pango) has one for Thai only (libthai): a run of Khmer, Myanmar or Lao
had no place to break, and the print theme's `overflow-wrap: anywhere` broke it
between any two grapheme clusters — a syllable split over two lines: a Lao pre-base
vowel left at a line's end without its consonant ('…ປະໄ' / 'ຕ…'), a Myanmar final
consonant with its killer sign at the next line's start ('…မြ' / 'န်…'), a Khmer
subscript consonant cut from the letter it hangs under. HF1139 says nothing of these
scripts (they break inside words by design), so nothing was said either.

So the book's HTML gets a zero-width space (U+200B, a break opportunity Pango knows)
at each syllable boundary that the letters alone make certain:
- Myanmar: before a consonant or an independent vowel that starts a syllable: not one
  after a virama (U+1039: it is stacked under the letter before), nor one carrying a
  sign that makes it a final (asat, or virama, after it);
- Khmer, whose finals are mostly plain consonants (ខ្មែរ, បាន, ពេជ្រ: a break before
  their last letter left it alone at the next line's start): before a consonant whose
  cluster (its subscripts, a register sign) carries a vowel sign, nikahit or reahmuk
  (a vowel is written on a syllable's first consonant, never on a final), or an
  independent vowel; and before any consonant after a sign that closes a syllable
  (nikahit, reahmuk, bantoc, toandakhiat, viriam), a digit or punctuation. Never
  after a coeng (U+17D2: the letter is stacked under the one before). A bare consonant
  after a vowel may be a final or the next syllable's first letter (ណា|ចក្រ, but
  ពេល): no break before it;
- Lao, whose finals are plain consonants and whose vowels are spelled with letters
  (ອ, ວ, ຍ): before a pre-base vowel (ເ ແ ໂ ໃ ໄ, which always begins a syllable) and
  after the vowel ະ (which always ends one); and never after a pre-base vowel.
A syllable, not a word: without a dictionary that is what can be known, and how these
scripts are commonly broken where no dictionary is. A line still breaks only where it
must, at the last boundary that fits. The PDF's text reads back without them
(pdf/actual_text.py leaves out U+200B of these scripts' runs), nor do the PDF's
bookmarks (bookmarks_unbroken): a reader's search finds a word whole. Code keeps its
letters as written. Books without these scripts keep their bytes.
"""

from __future__ import annotations

import re

from ..books.direction import rewrite_book

ZWSP = "\u200b"
_ANY = re.compile("[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]")
# A run of the letters and signs of one script, the only places looked into.
_RUN = re.compile("[\u0e80-\u0eff]{2,}|[\u1000-\u109f]{2,}|[\u1780-\u17ff]{2,}")
# Khmer: an independent vowel, or a consonant whose cluster (subscripts after coeng, a
# register sign) carries a vowel sign, nikahit, reahmuk or yuukaleapintu (U+17B6-17C8),
# not after a coeng; or any consonant or independent vowel after a sign that closes a
# syllable (U+17C6-17C8 and bantoc, toandakhiat, viriam), a Khmer digit or punctuation.
_KHMER_START = re.compile("(?<=[\u1780-\u17ff])(?<!\u17d2)"
                          "(?=[\u17a3-\u17b3]|[\u1780-\u17a2](?:\u17d2[\u1780-\u17a2])*[\u17c9\u17ca]?[\u17b6-\u17c8])"
                          "|(?<=[\u17c6-\u17c8\u17cb\u17cd\u17d1\u17d4-\u17dd\u17e0-\u17f9])(?=[\u1780-\u17b3])")
# Myanmar: consonants (Burmese and the extensions for Mon, Shan and others) and
# independent vowels; one followed by asat (after a dot below, Unicode's order) or by
# the invisible virama is a final, or the top of a stack: it ends the syllable before.
_MYANMAR_START = re.compile("(?<=[\u1000-\u109f])(?<!\u1039)"
                            "(?=[\u1000-\u1021\u1023-\u102a\u103f\u104c-\u104f\u1050-\u1055\u105a-\u105d\u1061"
                            "\u1065\u1066\u106e-\u1070\u1075-\u1081\u108e](?!\u1037?[\u103a\u1039]))")
# Lao: before a pre-base vowel that follows a Lao letter other than another pre-base
# vowel, and after the vowel sara a (which closes its syllable) before a Lao letter.
_LAO_START = re.compile("(?<=[\u0e80-\u0eff])(?<![\u0ec0-\u0ec4])(?=[\u0ec0-\u0ec4])"
                        "|(?<=\u0eb0)(?=[\u0e81-\u0eae\u0edc-\u0edf\u0ec0-\u0ec4])")
# A zero-width space beside a letter of these scripts: a break `breakable` put there (a
# writer's own, which the letters' rendering cannot tell from one, reads the same).
_BREAKS = re.compile("(?<=[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff])\u200b|\u200b(?=[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff])")
_EXEMPT = frozenset({"head", "title", "script", "style", "code", "pre", "kbd", "samp", "svg", "math"})


def syllables_breakable(html: str) -> str:
    """`html` (a whole book) with a zero-width space at each certain syllable boundary
    inside runs of Khmer, Myanmar and Lao; `html` itself (the same string) when it holds
    none of them."""
    return rewrite_book(html, lambda text: _ANY.search(text) is not None, _mark)


def breakable(text: str) -> str:
    """`text` with a zero-width space at each certain syllable boundary of its Khmer,
    Myanmar and Lao runs."""
    return _RUN.sub(_run_marked, text)


def unbroken(text: str) -> str:
    """`text` without the breaks `breakable` puts: what a reader gets of it, the text of
    a run drawn (actual_text.py) or a heading's bookmark (bookmarks_unbroken)."""
    return _BREAKS.sub("", text) if ZWSP in text else text


def bookmarks_unbroken(document) -> None:
    """The laid-out WeasyPrint `document`'s bookmarks without the breaks between
    syllables: WeasyPrint labels each with its heading's text as laid out, so a Khmer
    title's entry in the PDF's outline (the reader's bookmarks pane, what a screen
    reader says of it) held a U+200B between each two syllables, and a search of the
    outline for the title found nothing. Each page's list is changed in place, which
    is what `write_pdf` reads."""
    from ..books.cluster_breaks import unbroken as whole_clusters   # and the breaks inside an endless cluster
    for page in document.pages:
        page.bookmarks[:] = [(level, whole_clusters(unbroken(label)), *rest) for level, label, *rest in page.bookmarks]


def _run_marked(match: re.Match) -> str:
    run = match.group()
    first = run[0]
    pattern = _LAO_START if first <= "\u0eff" else _MYANMAR_START if first <= "\u109f" else _KHMER_START
    return pattern.sub(ZWSP, run)


def _mark(document) -> bool:
    changed = False
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        inside = element.tag in _EXEMPT or any(a.tag in _EXEMPT for a in element.iterancestors())
        if not inside and element.text and _ANY.search(element.text):
            marked = breakable(element.text)
            changed |= marked != element.text
            element.text = marked
        parent = element.getparent()
        # the tail is the parent's text: judged by the parent's place
        outside = parent is not None and not (parent.tag in _EXEMPT or any(a.tag in _EXEMPT for a in parent.iterancestors()))
        if outside and element.tail and _ANY.search(element.tail):
            marked = breakable(element.tail)
            changed |= marked != element.tail
            element.tail = marked
    return changed
