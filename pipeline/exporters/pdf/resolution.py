"""How sharp each portrait prints: pixels per inch at the size the layout gave it.

Print services ask for 300 dpi at the printed size; below that a portrait looks soft
or blocky on paper, though it looks fine on screen. The size is only known once
WeasyPrint has laid the book out (the theme's CSS decides it, and `object-fit: cover`
crops and scales), so this reads the laid-out boxes rather than guessing from CSS.
"""

from __future__ import annotations

from dataclasses import dataclass

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
