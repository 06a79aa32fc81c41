"""A build imports the exporters it plans while the parse workers parse (registry.py
`import_exporters`, load_documents' `meanwhile`), as a check does: a CLI build loads
through the heroes' summaries (resolve/world.py `_Summarised.load`), which did not
hand `meanwhile` on, so the site's and the API's modules (Jinja, the views, the cards)
were imported alone after the pool, one core idle (docs/performance.md clean31)."""

from __future__ import annotations

import multiprocessing
import shutil
import threading

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters import registry
from pipeline.load import workers
from pipeline.load.cache import CACHE_DIR
from support import REPO


def test_a_cold_build_imports_its_exporters_while_the_workers_parse(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    import_exporters, seen = registry.import_exporters, []

    def importing(only=None):
        seen.append((only, threading.current_thread() is threading.main_thread(),
                     bool(multiprocessing.active_children())))
        import_exporters(only)

    monkeypatch.setattr(registry, "import_exporters", importing)
    diags = Diagnostics()
    report = build(root, diags, ["json", "html"])
    assert report.ok, [d.message for d in diags.items if d.severity == "error"]
    assert report.counts["parsed_from_cache"] == 0   # every file parsed: the pool ran
    assert seen == [(["json", "html"], True, True)], \
        "the exporters were not imported once, on this thread, while the parse workers ran"
