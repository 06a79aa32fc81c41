#!/usr/bin/env python3
"""Write pipeline/exporters/pdf/debian_fonts.txt: which characters each Debian font
package HF0741's hint can name draws, read from the packages' own fonts.

The hint said "install fonts-noto-core" for U+20C0 (SOM SIGN), which Debian's
fonts-noto-core lacks, and "install fonts-noto-color-emoji" for chess pieces and
alchemical symbols, which only fonts-noto-core draws: a hand-kept table of scripts and
blocks. The hint now names a package only for a character the package's fonts have,
as this file records them (the union of its fonts' cmaps, as code point ranges).

Run it again when Debian's packages change (a new stable release), from the
repository root, with each package either installed or downloaded beside it:

    cd /tmp && apt-get download fonts-noto-core fonts-noto-cjk fonts-hanazono fonts-noto-color-emoji
    python3 scripts/debian-font-coverage.py /tmp/fonts-*.deb

A package given as a .deb is read from it (dpkg-deb unpacks it into a temporary
folder); one not given is read from this machine's installation (dpkg's file list).
tests/books/test_font_packages.py checks, under CI, that the installed packages still
draw every character this file gives them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.exporters.pdf.coverage import draws_nothing  # noqa: E402
from pipeline.exporters.pdf.font_packages import PACKAGES, cmap_of, ranges_text  # noqa: E402

OUT = ROOT / "pipeline" / "exporters" / "pdf" / "debian_fonts.txt"
HEADER = """\
# Which characters each Debian font package HF0741's hint can name draws (the union of
# its fonts' cmaps, as hexadecimal code point ranges), one package a line: name,
# version, ranges. Written by scripts/debian-font-coverage.py from the packages
# themselves; not edited by hand (tests/books/test_font_packages.py checks it, under
# CI, against the packages installed).
"""


def _deb_info(deb: Path) -> tuple[str, str]:
    fields = subprocess.run(["dpkg-deb", "--show", "--showformat=${Package} ${Version}", str(deb)],
                            capture_output=True, text=True, check=True).stdout.split()
    return fields[0], fields[1]


def _installed_version(package: str) -> str:
    return subprocess.run(["dpkg-query", "--show", "--showformat=${Version}", package],
                          capture_output=True, text=True, check=True).stdout.strip()


def _font_files(root: Path, listed: list[str]) -> list[Path]:
    return [root / name.lstrip("/") for name in listed if re.search(r"\.(ttf|otf|ttc|otc)$", name)]


def main(debs: list[str]) -> int:
    given = {}
    for deb in map(Path, debs):
        name, version = _deb_info(deb)
        given[name] = (deb, version)
    lines = [HEADER]
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            if package in given:
                deb, version = given[package]
                root = Path(tmp) / package
                subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
                files = sorted(p for p in root.rglob("*") if re.search(r"\.(ttf|otf|ttc|otc)$", p.name))
            else:
                version = _installed_version(package)
                listed = Path(f"/var/lib/dpkg/info/{package}.list").read_text().splitlines()
                files = sorted(_font_files(Path("/"), listed))
            if not files:
                print(f"{package}: no fonts found", file=sys.stderr)
                return 1
            covered: set[int] = set()
            for path in files:
                covered |= cmap_of(path)
            # not what draws nothing whatever the font (a control, a space): never a box, and
            # fontconfig leaves controls out of a font's character set
            covered = {code for code in covered if not draws_nothing(chr(code))}
            lines.append(f"{package} {version} {ranges_text(covered)}\n")
    OUT.write_text("".join(lines), encoding="ascii")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
