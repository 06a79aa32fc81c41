"""A machine without Pango (the system library WeasyPrint lays PDFs out with: a writer's
laptop, a CI runner before its `apt-get install`) is told so, once, with how to install
it or build without PDF. Before, `foundry build` stopped with HF0710 "the process
rendering pdf/compendium.pdf stopped answering (… crashed)", whose hint (build again; a
template loops) was wrong, `-j 1` with "internal error (OSError)", and `check` of a
project with its own print stylesheets crashed; WeasyPrint's banner went to stdout, in
the middle of `--format json`.

The machine is made so as WeasyPrint meets it: importing it raises the OSError its
loader raises (after printing its banner), and Pango does not load (`pango_present`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from support import REPO

WITHOUT_PANGO = textwrap.dedent('''
    import sys, runpy
    REASON = ("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: "
              "No such file or directory.  Additionally, ctypes.util.find_library() did not manage to locate "
              "a library called 'libpango-1.0-0'")

    class NoPango:
        def find_spec(self, name, path=None, target=None):
            if name == "weasyprint" or name.startswith("weasyprint."):
                print("\\n-----\\n\\nWeasyPrint could not import some external libraries.\\n\\n-----\\n")
                raise OSError(REASON)

    sys.meta_path.insert(0, NoPango())
    try:
        import pipeline.exporters.pdf_engine as ready
        ready.pango_present = lambda: False
    except ImportError:
        pass
    sys.argv = ["foundry", *sys.argv[1:]]
    runpy.run_module("pipeline", run_name="__main__")
''')


def _without_pango(tmp_path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "without_pango.py"
    script.write_text(WITHOUT_PANGO, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "NO_COLOR": "1", "HOME": str(tmp_path)})


def test_no_pango_is_said_once_with_how_to_install_it(project_factory, tmp_path):
    root = project_factory()
    run = _without_pango(tmp_path, "check", "--format", "json", "--project", str(root))
    said = json.loads(run.stdout)["diagnostics"]   # stdout is the JSON alone: no banner in it
    assert run.returncode == 2, (run.returncode, run.stderr)
    [missing] = [d for d in said if d["code"] == "HF0742"]
    assert missing["file"] == "<environment>" and missing["severity"] == "error"
    assert "WeasyPrint cannot load Pango (cannot load library 'libpango-1.0-0'" in missing["message"]
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in missing["hint"]
    assert "--only json,html,epub,ink,twee" in missing["hint"]
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr

    run = _without_pango(tmp_path, "build", "--project", str(root))
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("HF0742") == 1 and "HF0710" not in run.stderr and "internal error" not in run.stderr
    assert not (root / "build").exists()

    # its hint, followed: the outputs that need no Pango are built
    run = _without_pango(tmp_path, "build", "--only", "json,html,epub,ink,twee", "--project", str(root))
    assert run.returncode == 0, run.stderr
    assert (root / "build/site/index.html").is_file() and (root / "build/epub").is_dir()
