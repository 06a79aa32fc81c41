"""How sharp each portrait prints: pixels per inch at the size the layout gave it.

Print services ask for 300 dpi at the printed size; below that a portrait looks soft
or blocky on paper, though it looks fine on screen. The size is only known once
WeasyPrint has laid the book out (the theme's CSS decides it, and `object-fit: cover`
crops and scales), so this reads the laid-out boxes rather than guessing from CSS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...diagnostics import Diagnostics

PRINT_DPI = 300
CSS_PX_PER_INCH = 96   # CSS's reference pixel: 1in = 96px whatever the device
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PrintedImage:
    """One image as a page prints it: its `src`, its pixels, and its box in millimetres."""

    src: str
    pixels: tuple[int, int]     # (width, height) of the image itself
    printed_mm: tuple[float, float]
    dpi: float                  # pixels per inch along the axis that has the fewest


def printed_images(document) -> list[PrintedImage]:
    """Every raster image of a laid-out WeasyPrint `document` (weasyprint.Document),
    in page order. An image scaled to cover its box (`object-fit: cover`, as our
    portraits are) uses the larger of the two scales; otherwise each axis has its own
    and the coarser one counts."""
    found: list[PrintedImage] = []
    for page in document.pages:
        for box in _descendants(page._page_box):
            image = getattr(box, "replacement", None)
            pixels = (getattr(image, "width", 0), getattr(image, "height", 0))
            if not (isinstance(pixels[0], int) and isinstance(pixels[1], int)) or min(pixels) <= 0:
                continue   # not a raster image (SVG has no pixels of its own)
            width, height = float(box.width), float(box.height)
            if width <= 0 or height <= 0:
                continue
            scales = (width / pixels[0], height / pixels[1])   # CSS px per image pixel
            fit = box.style["object_fit"] if "object_fit" in box.style else "fill"
            scale = max(scales) if fit == "cover" else (min(scales) if fit in ("contain", "scale-down") else None)
            if scale is None:
                dpi = min(pixels[0] * CSS_PX_PER_INCH / width, pixels[1] * CSS_PX_PER_INCH / height)
            else:
                dpi = CSS_PX_PER_INCH / scale
            src = box.element.get("src", "") if getattr(box, "element", None) is not None else ""
            found.append(PrintedImage(src, pixels, (width * MM_PER_INCH / CSS_PX_PER_INCH,
                                                    height * MM_PER_INCH / CSS_PX_PER_INCH), dpi))
    return found


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def say_low_resolution(asset: Any, pixels: tuple[int, int], printed_mm: tuple[float, float], dpi: float,
                       diags: Diagnostics) -> None:
    """HF0750 at the line naming `asset` (a World Asset) when it prints at `dpi`, below
    300, as `pixels` over `printed_mm`: one wording for the book's render and `check`."""
    if dpi >= PRINT_DPI - 1e-6:   # float noise: 240 px over 20.32 mm is 300
        return
    width_mm, height_mm = printed_mm
    need = (math.ceil(width_mm / MM_PER_INCH * PRINT_DPI), math.ceil(height_mm / MM_PER_INCH * PRINT_DPI))
    diags.add("HF0750", f"portrait '{asset.path}' prints at {math.floor(dpi + 1e-6)} dpi in the print edition "
                        f"({pixels[0]}×{pixels[1]} pixels over {width_mm:.0f}×{height_mm:.0f} mm); "
                        f"print needs {PRINT_DPI} dpi", asset.span,
              hint=f"Use an image of at least {need[0]}×{need[1]} pixels (the same picture, larger), "
                   "or print it smaller in the print theme.")


# The size the shipped print theme gives a playable hero's portrait on a print edition's
# adventure sheet (gamebook.css `.player .portrait`: 20 mm square, `object-fit: cover`),
# whatever the trim: `check` knows how sharp it prints without laying a book out.
SHIPPED_PLAYER_MM = 20.0


def foretell_low_resolution(world: Any, theme: Any, diags: Diagnostics) -> None:
    """HF0750 said by `foundry check` for each playable hero's portrait a print edition
    (`[print] editions = true`) would print below 300 dpi, in the words and at the
    place the edition's render says it (build says each once). Only with the shipped
    print theme's own files (`theme`: books.theme.PrintTheme), whose portrait size is
    known; a project's own print file may size it otherwise, and only the layout knows
    how: then the build alone says it. A file of the project's that is the shipped one
    byte for byte (`foundry theme eject` copies them unchanged) sizes it as shipped."""
    from ..books.theme import DEFAULT_LABEL
    from ..html.theme import as_shipped
    if not world.project.config.print.editions or theme is None or \
            not all(origin.startswith(DEFAULT_LABEL) or as_shipped(theme.files.get(rel, b""), "print/" + rel)
                    for rel, origin in theme.origins.items()):
        return
    side = SHIPPED_PLAYER_MM / MM_PER_INCH * CSS_PX_PER_INCH   # CSS px, as the layout gives the box
    for sid in sorted(world.stories):
        front = world.stories[sid].model.front
        for hid in dict.fromkeys((front.protagonist, *front.heroes)):
            asset = world.portraits.get(hid) if hid in world.heroes else None
            if asset is None or min(asset.width, asset.height) <= 0:
                continue
            scale = max(side / asset.width, side / asset.height)   # object-fit: cover
            mm = side * MM_PER_INCH / CSS_PX_PER_INCH
            say_low_resolution(asset, (asset.width, asset.height), (mm, mm), CSS_PX_PER_INCH / scale, diags)
