"""The pixels of the project's portraits in all, held to the picture budget (HF0715).

Each portrait is held to media.MAX_PIXELS (HF0702), and each is decoded to be probed
(media.probe_image: every pixel, so a broken stream is refused at its line) and again
by every output that publishes it; but their sum was not bounded: a pull request adding
2,000 images just under 40 M pixels each (a flat colour compresses to kilobytes) made
check and every build decode for hours. The images the people name are counted before
any is decoded, as a theme's pictures are (picture_verdicts.past_count, the same
budget.picture_pixels): each distinct file once, in the order of its path from the
project's root, by its header (decoded_pixels: an animation by the picture every output shows). The count depends on the files' bytes
and on which files are named only, never on what a run kept: check, every build, a
cold or a warm run and `foundry serve` refuse the same images, each at every line that
names it, and a refused image is never decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ..budget import picture_pixels
from ..confine import read_confined
from ..diagnostics import Diagnostics, Span
from ..load.media import FORMATS, MAX_BYTES, MAX_PIXELS
from ..load.picture_verdicts import decoded_pixels, past_count


def header_pixels(path: Path) -> int:
    """The pixels decoding the image at `path` (confined: read as probe_image reads it)
    takes, by its header (picture_verdicts.decoded_pixels); 0 for a file that cannot
    be read or is over media.MAX_BYTES, or that is in no format a portrait may be
    (media.FORMATS: a GIF, a TIFF named .png), which the probe refuses without decoding
    it: such a file took the pixels of pictures never decoded from the next ones. An
    animation counts its first picture, the one the probe and every output decode (HF0753):
    counted at all its frames, 130 animated portraits of a megapixel and 40 frames were
    refused as 5,200 M pixels, though publishing them decodes 130 M."""
    try:
        data = read_confined(path, MAX_BYTES)
    except OSError:   # Refused too: the probe says why at each line naming it
        return 0
    return decoded_pixels(data, FORMATS, every_frame=False)


def past_budget(files: Mapping[str, Path], pixels: Callable[[Path, str], int]) -> dict[Path, int]:
    """Each of `files` (path from the project root → confined path) that takes the
    portraits' pixels past budget.picture_pixels, counted in the order of those paths
    (`pixels(confined, rel)`: header_pixels, or its count kept), with the pixels of all
    up to it. Empty (and no file counted) while the files are few enough that even
    40 M pixels each stay within the budget."""
    total = picture_pixels()
    if len(files) * MAX_PIXELS <= total:   # decoded_pixels gives no picture more
        return {}
    return {files[rel]: spent for rel, spent in past_count(((rel, pixels(files[rel], rel)) for rel in sorted(files)),
                                                           total)}


def say_past(diags: Diagnostics, rel: str, spent: int, span: Span) -> None:
    """HF0715 at a line naming the image `rel`, past the budget with `spent` pixels."""
    diags.add("HF0715", f"the portraits hold {spent:,} pixels up to {rel}, more than the {picture_pixels():,} "
                        "foundry decodes for the project's portraits in all: it is not shown", span,
              hint="Scale the pictures down (a page needs a few million pixels of them) or name fewer images; "
                   "the limit is FOUNDRY_PICTURE_PIXELS in the environment of whoever builds.")

