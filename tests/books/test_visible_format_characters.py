"""A format character a font draws is a box when no font has it, and HF0741 says so.

Both `foundry check` and the build took every format character (category Cf) and the
Hangul fillers for something HarfBuzz hides, and left them out of what no font prints.
But HarfBuzz hides only the default-ignorable code points it lists: the sign written
before an Arabic number (U+0600, U+0890), the end of ayah (U+06DD), the joiners of
Egyptian hieroglyphs (U+13430) and the Hangul filler (U+3164, the "blank" game name)
are drawn by a font, or as a box: WeasyPrint said `.notdef glyph rendered … U+0600`,
the PDF showed the boxes, and neither command said a word. Said now, at each such
line, alike by both; the soft hyphen, which is hidden, is still said by neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from book_support import ONE_PROCESS
from support import diagnostics, foundry, only_fonts, with_background

from pipeline.exporters.pdf.coverage import draws_nothing

BIOLINUM = Path(__file__).parents[2] / "themes/default/print/fonts/LinBiolinum_R.otf"
LINES = ("The ledger reads \u0600 12 coins.\n"       # ARABIC NUMBER SIGN before Latin digits
         "Her board name is \u3164 and nothing else.\n"   # HANGUL FILLER
         "The lintel shows \U00013000\U00013430\U00013001 carved.\n"   # EGYPTIAN HIEROGLYPH VERTICAL JOINER
         "A soft\u00adhyphen, hidden, prints nothing.\n")


@pytest.mark.parametrize("char", ["\u0600", "\u0605", "\u06dd", "\u070f", "\u0890", "\u08e2", "\U000110bd",
                                  "\U00013430", "\ufff9", "\u115f", "\u3164", "\uffa0", "\U0001bca0"])
def test_a_format_character_a_font_draws_is_not_taken_for_nothing(char):
    assert not draws_nothing(char), f"U+{ord(char):04X}"


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u200d", "\u2060", "\ufe0f", "\ufeff", "\U000e0067",
                                  "\u061c", "\u180e", "\U0001d173", " ", "\u3000"])
def test_what_harfbuzz_hides_still_draws_nothing(char):
    assert draws_nothing(char), f"U+{ord(char):04X}"


def test_check_and_build_say_a_line_of_visible_format_characters_no_font_has(project_factory, tmp_path,
                                                                             monkeypatch):
    """One Latin font on the machine (the shipped theme's Biolinum, as fontconfig's only
    folder): each line holding a visible format character it lacks is HF0741 at its
    line, in check and in the build alike; the line of a hidden one (a soft hyphen) is not."""
    root = project_factory({})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    first = with_background(root, LINES)
    env = {**only_fonts(tmp_path, monkeypatch, {"latin.otf": BIOLINUM.read_bytes()}), "SOURCE_DATE_EPOCH": "1700000000",
           **ONE_PROCESS}

    def said(*args):
        run = foundry(*args, "--format", "json", "--project", str(root), env=env)
        return run, [d for d in run.json()["diagnostics"] if d["code"] == "HF0741"]

    built, in_build = said("build", "--only", "pdf")
    assert built.code == 0, built.stderr
    hero = "content/heroes/first-hero.yaml"
    assert [(d["file"], d["line"]) for d in in_build] == [(hero, first), (hero, first + 1), (hero, first + 2)], \
        diagnostics(built)
    sign, filler, joiner = in_build
    # the packages that draw them (read from their fonts, debian_fonts.txt), installed
    # here or not: not "newer than Debian and Ubuntu's font packages"
    assert "\u0600" in sign["message"] and "fonts-noto-core" in sign["hint"] and "newer" not in sign["hint"], sign
    assert "\u3164" in filler["message"] and "fonts-noto-cjk" in filler["hint"] and "newer" not in filler["hint"], \
        filler
    assert "\U00013430" in joiner["message"], joiner
    checked, in_check = said("check")
    assert [(d["file"], d["line"], d["column"], d["message"]) for d in in_check] == [
        (d["file"], d["line"], d["column"], d["message"]) for d in in_build], diagnostics(checked)
