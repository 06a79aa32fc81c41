"""A build after one edit does not import what it never uses: the stylesheet and
script minifiers (exporters/html/minify.py: the theme's files are kept, not rendered
again) and pathspec (resolve/governance.py: only `[owners]` patterns are matched with
it), and the print theme (exporters/books/theme.py, tinycss2: a build making no book
asks only its folders' links, books/theme_folders.py). Each import was milliseconds
of every build's start. The clean build runs in
the test's process (that it minifies is tests/site/test_build.py's); the edit's in a
fresh one. Times live in benchmarks/, never here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from support import REPO, write_project

# One build in a fresh process, rendering in it (FOUNDRY_JOBS=1): which of the modules
# it imported, and what it wrote.
_RUN = """
import json, sys
from pathlib import Path
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
report = build(Path(sys.argv[1]), Diagnostics(), ["json", "html"], workers=1)
print(json.dumps({"ok": report.ok, "written": report.written,
                  "imported": sorted(m for m in ("rcssmin", "rjsmin", "pathspec", "PIL.XbmImagePlugin",
                                                 "pipeline.exporters.books.theme", "tinycss2")
                                     if m in sys.modules)}))
"""


def _build(root) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "FOUNDRY_JOBS": "1"}
    done = subprocess.run([sys.executable, "-c", _RUN, str(root)], capture_output=True, text=True, env=env,
                          timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_build_after_an_edit_imports_neither_minifier_nor_pathspec(tmp_path):
    root = write_project(tmp_path / "world")
    # the clean build in this process (the theme's files minified: tests/site/test_build.py)
    clean = build(root, Diagnostics(), ["json", "html"], workers=1)
    assert clean.ok and any(path.endswith(".css") for path in clean.written)
    hero = next((root / "content" / "heroes").glob("*.yaml"))
    hero.write_text(hero.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = _build(root)
    assert edited["ok"] and edited["written"] and edited["imported"] == []


def test_a_build_after_a_value_edit_loads_no_picture_formats(tmp_path):
    """Pillow's registry of formats (Image.init: every one of its plugins, ~0.02 CPU-s)
    is loaded when a picture is opened, not when load/media.py is imported: a build
    after a value edit, its portraits' probes kept (resolve/world.py _StoredProbes),
    opens none. It was loaded at import for a list of the formats a print picture may
    be (docs/performance.md edit40). (PIL.XbmImagePlugin: a plugin only the registry
    imports.)"""
    import io
    from PIL import Image
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(picture, "PNG")
    root = write_project(tmp_path / "world", {"content/assets/rook.png": picture.getvalue()})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("xp: 120\n", "xp: 120\nportrait: ../assets/rook.png\n"),
                    encoding="utf-8")
    clean = build(root, Diagnostics(), ["json", "html"], workers=1)
    assert clean.ok and any(path.endswith("rook.png") or "rook" in path for path in clean.written), clean.written
    hero.write_text(hero.read_text(encoding="utf-8").replace("xp: 120\n", "xp: 121\n"), encoding="utf-8")
    edited = _build(root)
    assert edited["ok"] and edited["written"] and edited["imported"] == [], edited


def test_a_no_op_build_and_a_cut_off_comment_import_no_pydantic(tmp_path):
    """A no-op build answers from the inputs' fingerprint, a comment edit from the
    parsed values (engine/cutoff.py, engine/shown.py): neither validates anything, so
    neither needs pydantic (~60 ms and 11 MiB of every such build's start). The
    session's one id speller put `from ..fields import SLUG_PATTERN` (pydantic) at load/places.py's
    top, which the fingerprint imports for its kinds' folders: the no-op build at 10,000
    heroes went 0.17 → 0.23 s and 34 → 45 MiB (the lead's quiet run, 11:21)."""
    root = write_project(tmp_path / "world")
    assert build(root, Diagnostics(), ["json", "html"], workers=1).ok
    run = ("import json, sys\nfrom pathlib import Path\nfrom pipeline.diagnostics import Diagnostics\n"
           "from pipeline.engine.builder import build\n"
           "report = build(Path(sys.argv[1]), Diagnostics(), ['json', 'html'], workers=1)\n"
           "print(json.dumps({'ok': report.ok, 'written': report.written, 'pydantic': 'pydantic' in sys.modules}))")
    env = {**os.environ, "PYTHONPATH": str(REPO), "FOUNDRY_JOBS": "1"}

    def again() -> dict:
        done = subprocess.run([sys.executable, "-c", run, str(root)], capture_output=True, text=True, env=env,
                              timeout=300, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    noop = again()
    assert noop["ok"] and noop["written"] == [] and not noop["pydantic"]
    hero = next((root / "content" / "heroes").glob("*.yaml"))
    hero.write_text(hero.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    comment = again()
    assert comment["ok"] and not comment["pydantic"], comment
