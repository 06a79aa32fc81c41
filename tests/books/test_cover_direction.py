"""An EPUB cover's right-to-left text in the order a reader reads it. The cover draws
a line no one font has in several calls (one a font), and the world's name in
letter-spaced capitals one character a call; each piece was placed after the one
before it in the order it is stored, so an Arabic title with a Japanese word printed
the Arabic at the left, and a Hebrew world's name printed its letters backwards.

Read from the cover's pixels: the ink of a line falls into clusters separated by
blank columns (words, and letters that are letter-spaced), whose widths say which is
which."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

from PIL import Image

from support import ROOTS, foundry, require_tool

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def ink_clusters(img: Image.Image, top: int, bottom: int, gap: int) -> list[tuple[int, int]]:
    """(first, last) columns of each run of columns holding ink between rows top and
    bottom, runs closer than `gap` blank columns joined; inside the cover's frame."""
    back = img.getpixel((100, 400))   # inside the frame, above the title: the background
    inked = [any(sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), back)) > 120 for y in range(top, bottom, 2))
             for x in range(80, img.width - 80)]
    out: list[tuple[int, int]] = []
    for x, ink in enumerate(inked, 80):
        if ink and out and x - out[-1][1] <= gap:
            out[-1] = (out[-1][0], x)
        elif ink:
            out.append((x, x))
    return out


def test_right_to_left_cover_text_is_drawn_in_reading_order(tmp_path):
    require_tool(shutil.which("fc-list") is not None, "fc-list (fontconfig)")
    for lang in ("ja", "ar"):
        require_tool(subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                                    text=True).stdout.strip() != "", f"a font for '{lang}' (.ci/fonts.txt)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    # "في" (in) is short, 霧の道 (the fog road) three wide characters: Arabic first, so at the right
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: في 霧の道", 1),
                     encoding="utf-8")
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "עולם"', 1),
                      encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "epub", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:
        [name] = [n for n in book.namelist() if n.endswith("cover.png")]
        cover = Image.open(io.BytesIO(book.read(name))).convert("RGB")
    # the title (Japanese font and Arabic font, one line at the top of its frame)
    words = ink_clusters(cover, 560, 760, gap=30)
    assert len(words) == 2, words
    left, right = (last - first for first, last in words)
    assert right < left / 2, f"the Arabic word is not at the right: {words}"
    # the world's name, letter-spaced: ע ו ל ם read from the right, so the narrow ו
    # (vav) is the third letter from the left (it was the second: printed backwards)
    letters = ink_clusters(cover, 240, 300, gap=3)
    assert len(letters) == 4, letters
    widths = [last - first for first, last in letters]
    assert widths.index(min(widths)) == 2, f"the world's name is not right to left: {letters}"
