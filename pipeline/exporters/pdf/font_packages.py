"""The Debian font packages HF0741's hint can name, and which characters each draws.

The hint tells a writer which package to install for characters that printed as boxes.
It must name one that draws them: a table of scripts and blocks kept by hand said
"install fonts-noto-core" for U+20C0 (SOM SIGN), which Debian's fonts-noto-core lacks,
and "install fonts-noto-color-emoji" for chess pieces, which only fonts-noto-core
draws. So what each package draws is read from the package's own fonts
(debian_fonts.txt, written by scripts/debian-font-coverage.py), and a package already
installed on this machine is never named for a character that still printed as a box:
whatever the file says, that package's fonts (at the version installed) lack it.
"""

from __future__ import annotations

import bisect
import functools
import os
from pathlib import Path

from ..font_cmap import mapped_codes

# In the order the hint prefers when several draw a character: the two CI installs
# (.ci/fonts.txt) first, then the colour emoji, then Hanazono's rare Han (~51 MB).
PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-noto-color-emoji", "fonts-hanazono")
_DATA = Path(__file__).with_name("debian_fonts.txt")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@functools.lru_cache(maxsize=1)
def _coverage() -> dict[str, tuple[str, list[int], list[int]]]:
    """package → (version, range starts, range ends) from debian_fonts.txt."""
    table: dict[str, tuple[str, list[int], list[int]]] = {}
    for line in _DATA.read_text(encoding="ascii").splitlines():
        if not line or line.startswith("#"):
            continue
        package, version, *ranges = line.split()
        starts, ends = [], []
        for item in ranges:
            first, _, last = item.partition("-")
            starts.append(int(first, 16))
            ends.append(int(last or first, 16))
        table[package] = (version, starts, ends)
    return table


def version(package: str) -> str:
    """The version of `package` whose fonts debian_fonts.txt records."""
    return _coverage()[package][0]


def draws(package: str, char: str) -> bool:
    """Whether `package`'s fonts (the version debian_fonts.txt records) have `char`."""
    _, starts, ends = _coverage()[package]
    at = bisect.bisect_right(starts, ord(char)) - 1
    return at >= 0 and ord(char) <= ends[at]


def installed_fonts(package: str) -> list[str]:
    """The font files of `package` on disk here (dpkg's list of its files names them);
    none where it is not installed or there is no dpkg. Asked afresh each time (a
    long-lived `foundry serve` sees a package installed meanwhile)."""
    try:
        listed = Path(f"/var/lib/dpkg/info/{package}.list").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [name for name in listed.splitlines() if name.endswith(_FONT_SUFFIXES) and Path(name).is_file()]


def installed(package: str) -> bool:
    """Whether `package` is installed here with its fonts on disk."""
    return bool(installed_fonts(package))


def unseen(package: str, listed: frozenset[str] | None) -> str | None:
    """The folder of `package`'s fonts when it is installed but fontconfig lists none
    of them (`listed`, fontconfig.listed_files: a FONTCONFIG_FILE or fonts.conf that
    leaves the folder out), so that the PDFs cannot draw from it; else None. Such a
    package was taken for an older version lacking the characters, and the hint sent a
    writer with Japanese in boxes to install fonts-hanazono (the rare Han's)."""
    files = installed_fonts(package)
    if not files or listed is None or any(os.path.realpath(name) in listed for name in files):
        return None
    return os.path.dirname(min(files))


def cmap_of(path: Path) -> set[int]:
    """Every code point the fonts of the file at `path` (a collection's every face) map."""
    from fontTools.ttLib import TTCollection, TTFont
    fonts = TTCollection(str(path), lazy=True).fonts if path.suffix in (".ttc", ".otc") else [TTFont(str(path), lazy=True)]
    covered: set[int] = set()
    for font in fonts:
        covered.update(mapped_codes(font))
    return covered


def ranges_text(codes: set[int]) -> str:
    """`codes` as debian_fonts.txt writes them: sorted hexadecimal ranges ("20-7E A0")."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return " ".join(f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in runs)
