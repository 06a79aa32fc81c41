"""A PDF build leaves nothing in the system's temporary folder. WeasyPrint writes each
book's @font-face files (the shipped theme's fonts, ~3 MB) into a folder of its own
there (`weasyprint-…`) and removed it only when its font configuration was collected:
never in a render process the build stops, nor once the command line froze what was
left as it ended (pipeline/cli.py `main`). Every PDF of every build left its 3 MB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import REPO, write_project


def test_a_pdf_build_leaves_no_font_folder_in_the_temporary_folder(tmp_path):
    world = write_project(tmp_path / "world")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    # a process of its own (not a warm start: its temporary folder is already chosen),
    # as a user's `foundry build` runs
    env = {**os.environ, "TMPDIR": str(temporary), "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--project", str(world), "--only", "pdf"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert list(Path(world / "build/pdf").rglob("*.pdf"))
    assert sorted(p.name for p in temporary.iterdir()) == []
