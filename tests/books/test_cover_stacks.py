"""The EPUB cover's title stays clear of what is drawn around it, whatever its script.

The cover (exporters/epub/cover.py) set the title's lines 1.15 of the size apart and
the rule and the subtitle under them by the size alone: an ordinary Tibetan word
(བསྒྲུབས) or a Myanmar one reaches a size or more below its line's top, and its stack
crossed the rule and touched the subtitle; a letter with 29 subjoined letters (HF0133
lets 30 through) ran down over the subtitle, the waves and the authors and off the
picture, 29 acutes up over the world's name and off its top; and a title of three
lines at 150 px (The Bells under Saltmarrow and the Lantern) set its subtitle on the
waves. The block now makes room for its lines' ink and fits above the waves."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest
from PIL import Image, ImageChops

from support import REPO, require_tool

THEME = REPO / "themes/default/print"
TIBETAN = "\u0f56\u0f66\u0f92\u0fb2\u0f74\u0f56\u0f66"   # བསྒྲུབས, "accomplished"


def _cover(title: str) -> Image.Image:
    from pipeline.exporters.epub import cover
    files = {str(p.relative_to(THEME)): p.read_bytes() for p in THEME.glob("fonts/*.otf")}
    return Image.open(io.BytesIO(cover.draw_cover("b", title, "A gamebook", "Tide", ("Ann",), files))).convert("RGB")


def _same_rows(a: Image.Image, b: Image.Image, rows: range) -> bool:
    box = (0, rows.start, a.width, rows.stop)
    return ImageChops.difference(a.crop(box), b.crop(box)).convert("L").point(lambda v: 255 if v > 24 else 0).getbbox() is None


def _need_tibetan() -> None:
    require_tool(subprocess.run(["fc-list", ":lang=bo", "family"], capture_output=True, text=True).stdout.strip() != "",
                 "a Tibetan font (.ci/fonts.txt)")


@pytest.mark.parametrize("title", ["The Bells under Saltmarrow and the Lantern", "Ro" + "\u0301" * 29 + "ok",
                                   "The Fog \u0f40" + "\u0f90" * 29 + " Road"], ids=["three-lines", "above", "below"])
def test_the_title_leaves_the_world_s_name_the_waves_and_the_authors_as_they_are(title):
    if "\u0f40" in title:
        _need_tibetan()
    plain, cover = _cover("Rook"), _cover(title)
    assert _same_rows(plain, cover, range(0, 420)), "drawn over the world's name or off the top"
    assert _same_rows(plain, cover, range(1240, 1800)), "drawn over the waves, the authors or off the foot"


def test_a_tibetan_word_s_stack_stays_above_the_rule():
    from pipeline.exporters.epub.cover import PALETTES
    _need_tibetan()
    img = _cover(TIBETAN)
    _, accent, ink = PALETTES[int(hashlib.sha256(b"b").hexdigest(), 16) % len(PALETTES)]

    def near(colour: str) -> Image.Image:   # white where the picture is that colour, within a little
        return ImageChops.difference(img, Image.new("RGB", img.size, colour)).convert("L").point(
            lambda v: 255 if v < 40 else 0)
    rule = next(y for y in range(560, 1240) if near(accent).crop((530, y, 670, y + 1)).histogram()[255] >= 100)
    assert near(ink).crop((530, rule - 12, 670, rule + 4)).getbbox() is None, f"the title's ink meets the rule at {rule}"
