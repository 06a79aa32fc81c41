"""A cover for each EPUB, drawn with Pillow: the title set in the theme's display
face on one of a few sea-coloured palettes, picked by the book's id.

Deterministic: the same title, fonts and Pillow give the same PNG bytes (no
metadata chunks, no randomness; the "waves" are sine curves).
"""

from __future__ import annotations

import hashlib
import io
import math

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 1800)
# (background, accent, text)
PALETTES = (
    ("#12343a", "#c9a86a", "#f2ede1"),   # deep sea and brass
    ("#1d2a3f", "#d08c5b", "#f4efe6"),   # night harbour and lamplight
    ("#2f3b2c", "#c7b27a", "#f1eee2"),   # reed marsh
    ("#3b2430", "#d3a36b", "#f5ece6"),   # wine-dark
    ("#23313a", "#8fb9b3", "#eef3f1"),   # fog and sea glass
)
FONTS = {"title": "fonts/LinLibertine_DR.otf", "italic": "fonts/LinLibertine_RI.otf", "label": "fonts/LinBiolinum_R.otf"}


def draw_cover(book_id: str, title: str, subtitle: str, world: str, authors: tuple[str, ...],
               theme_files: dict[str, bytes]) -> bytes:
    back, accent, ink = PALETTES[int(hashlib.sha256(book_id.encode()).hexdigest(), 16) % len(PALETTES)]
    img = Image.new("RGB", SIZE, back)
    draw = ImageDraw.Draw(img)
    width, height = SIZE
    _frame(draw, accent)
    _waves(draw, accent, height)
    _centred(draw, world.upper(), _font(theme_files, "label", 34), accent, 250, spacing=0.28)
    bottom = _title(draw, title, theme_files, ink, top=560)
    draw.line([(width / 2 - 70, bottom + 70), (width / 2 + 70, bottom + 70)], fill=accent, width=3)
    if subtitle:
        _centred(draw, subtitle, _font(theme_files, "italic", 58), ink, bottom + 130)
    if authors:
        _centred(draw, " · ".join(authors).upper(), _font(theme_files, "label", 30), accent, height - 300, spacing=0.2)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def _font(files: dict[str, bytes], role: str, size: int) -> ImageFont.ImageFont:
    data = files.get(FONTS[role])
    if data is None:
        return ImageFont.load_default(size)   # a theme without its fonts still gets a cover
    return ImageFont.truetype(io.BytesIO(data), size)


def _frame(draw: ImageDraw.ImageDraw, colour: str) -> None:
    w, h = SIZE
    draw.rectangle([48, 48, w - 48, h - 48], outline=colour, width=4)
    draw.rectangle([64, 64, w - 64, h - 64], outline=colour, width=1)


def _waves(draw: ImageDraw.ImageDraw, colour: str, height: int) -> None:
    """Three thin swells across the lower third: the sea under the title."""
    w = SIZE[0]
    for i, amplitude in enumerate((14, 10, 7)):
        base = height - 520 + i * 46
        points = [(x, base + amplitude * math.sin(x / 70 + i * 1.3)) for x in range(80, w - 79, 8)]
        draw.line(points, fill=colour, width=2)


def _centred(draw: ImageDraw.ImageDraw, text: str, font, colour: str, y: float, spacing: float = 0.0) -> None:
    if spacing:   # letter-spaced capitals, as on the printed title pages
        advance = [font.getlength(ch) + font.size * spacing for ch in text]
        x = (SIZE[0] - (sum(advance) - font.size * spacing)) / 2
        for ch, step in zip(text, advance):
            draw.text((x, y), ch, font=font, fill=colour)
            x += step
        return
    width = draw.textlength(text, font=font)
    draw.text(((SIZE[0] - width) / 2, y), text, font=font, fill=colour)


def _title(draw: ImageDraw.ImageDraw, title: str, files: dict[str, bytes], colour: str, top: int) -> float:
    """The title in the largest size (≤ 4 lines) that fits the frame; returns where it ends."""
    for size in (150, 130, 112, 96, 82, 70, 60):
        font = _font(files, "title", size)
        lines = _wrap(draw, title, font, SIZE[0] - 240)
        if len(lines) <= 4:
            break
    line_height = font.size * 1.15
    y = top
    for line in lines[:5]:
        _centred(draw, line, font, colour, y)
        y += line_height
    return y


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])
