"""A cold `foundry check` imports nothing it does not use, and builds no table at import
that it could build on first use (docs/performance.md, cold47). Every run of a
`foundry` command pays its imports, the suite's private copies and CPU-capped runs
(tests/support.py) pay them cold. Times live in benchmarks/, never here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from support import REPO, write_project

# `python -m pipeline check --project ROOT`, as -m runs it (runpy), then which of the
# modules below it imported, and whether pydantic searched for plugins.
_RUN = """
import json, runpy, sys
wanted = sys.argv[2:]
sys.argv = ["foundry", "check", "--project", sys.argv[1]]
code = 0
try:
    runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
loader = sys.modules.get("pydantic.plugin._loader")
print(json.dumps({"code": code, "imported": sorted(m for m in sys.modules if m.split(".")[0] in wanted or m in wanted),
                  "plugins_searched": getattr(loader, "_plugins", "unknown") is not None}))
"""

# What a check of a project with every output (the minimal one: site, books, JSON) has no
# use for, and what needed it:
UNUSED = (
    "fontTools.cffLib",                       # a cover face's code points: read from its cmap alone (exporters/font_cmap.py)
    "lxml",                                   # the site's links and XLIFF files: no page parsed, no file read
    "ebooklib",                               # the EPUB's package: no book made
    "pipeline.exporters.json_api.contract",   # the JSON API's models: its plan needs names only
    "weasyprint",                             # no PDF laid out
    "translate",                              # translate-toolkit: no catalog read
)
# what the check did use, so that the absences above are not those of a check that did nothing
USED = ("fontTools.ttLib", "pydantic", "pipeline.exporters.json_api.exporter", "pipeline.exporters.epub.exporter")


def test_a_cold_check_imports_no_library_it_has_no_use_for(tmp_path):
    root = write_project(tmp_path / "world")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-c", _RUN, str(root), *UNUSED, *USED], capture_output=True, text=True,
                          env=env, timeout=300, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["code"] == 0, done.stderr
    assert [m for m in found["imported"] if m.startswith(UNUSED)] == []
    assert set(USED) <= set(found["imported"]), found["imported"]
    # pydantic read every installed distribution's entry points for plugins (entry.py)
    assert found["plugins_searched"] is False


def _range_walk(pattern: re.Pattern) -> int:
    """How many code points the ranges of `pattern`'s character classes span: what
    sre's compiler walks one by one in Python (re/_compiler.py _optimize_charset, and
    case-folds with IGNORECASE) each time the pattern is compiled."""
    from re import _parser   # the standard library's own parse of a pattern (no public form)

    def walk(items) -> int:
        total = 0
        for op, value in items:
            if op is _parser.IN:
                total += sum(span[1] - span[0] + 1 for kind, span in value if kind is _parser.RANGE)
            elif isinstance(value, (list, tuple)):
                for part in value:
                    if isinstance(part, _parser.SubPattern):
                        total += walk(part)
                    elif isinstance(part, (list, tuple)):
                        total += sum(walk(p) for p in part if isinstance(p, _parser.SubPattern))
        return total

    return walk(_parser.parse(pattern.pattern, pattern.flags))


@pytest.mark.parametrize(("module", "most"), [
    # the address-word pattern held the ranges of the scripts written without spaces
    # (~173,000 code points, CJK's supplementary planes included) in each of its ten "not
    # a space" classes: 1.7 million walked, ~30 CPU-ms; once now (`_UNSPACED_CHAR`)
    ("pipeline.load.markdown", 400_000),
    # the characters a plain YAML file is made of (1.1 million, 62,000 of the BMP walked,
    # ~3 CPU-ms); now the few that are not
    ("pipeline.load.yaml_plain", 10_000),
])
def test_patterns_every_project_load_compiles_walk_few_code_points(module, most):
    """Every process that loads a project compiles these modules' patterns at import."""
    import importlib
    walked = {name: _range_walk(value) for name, value in vars(importlib.import_module(module)).items()
              if isinstance(value, re.Pattern)}
    assert sum(walked.values()) < most, sorted(walked.items(), key=lambda kv: -kv[1])[:3]
