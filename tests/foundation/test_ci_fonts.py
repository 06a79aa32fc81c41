"""CI installs a font for every script the tests print, probed script by script.

`.ci/run` installed fonts-noto-core only when fontconfig had no Arabic font; DejaVu
has Arabic, so a machine with DejaVu never got Noto and Thai and Devanagari printed as
boxes (HF0741). `.ci/missing-fonts` now asks fontconfig about each language of
`.ci/fonts.txt` and names each package once; here it runs against a stand-in `fc-list`
that knows the fonts a machine would have."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from support import ci_fonts

REPO = Path(__file__).resolve().parents[2]

# A stand-in fc-list: prints a family for a `:lang=xx` it is told the machine has.
FAKE_FC_LIST = """#!/bin/sh
lang="${1#:lang=}"
for have in $FAKE_FONT_LANGS; do
  [ "$have" = "$lang" ] && echo "Some Font" && exit 0
done
exit 0
"""


def _missing(tmp_path: Path, have: list[str]) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "fc-list"
    fake.write_text(FAKE_FC_LIST)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_FONT_LANGS": " ".join(have)}
    run = subprocess.run(["bash", str(REPO / ".ci/missing-fonts")], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_a_machine_with_arabic_but_no_thai_gets_the_thai_font(tmp_path):
    # DejaVu's Arabic and Hebrew, and Noto CJK: what this machine had, Thai and Devanagari as boxes.
    assert _missing(tmp_path, ["ar", "he", "ja"]) == ["fonts-noto-core"]
    assert _missing(tmp_path, ["ar", "he", "ja", "th"]) == ["fonts-noto-core"]   # Devanagari still missing


def test_each_package_is_named_once_and_none_when_every_script_has_a_font(tmp_path):
    assert _missing(tmp_path, []) == ["fonts-noto-cjk", "fonts-noto-core"]
    assert _missing(tmp_path, [lang for lang, _, _ in ci_fonts()]) == []   # re-running installs nothing

