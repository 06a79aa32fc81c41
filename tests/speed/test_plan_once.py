"""A build plans each exporter once: `check` plans every output (to find paths two
artifacts would write, HF0720) and the build renders from those same plans."""

from __future__ import annotations

import shutil
from collections import Counter

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters.registry import EXPORTERS, MEDIA, create
from support import REPO


def test_each_exporter_is_planned_once_per_build(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    planned = Counter()
    for target in [*EXPORTERS.values(), MEDIA]:
        cls = type(create(target))

        def spy(self, world, _plan=cls.plan):
            planned[self.name] += 1
            return _plan(self, world)
        monkeypatch.setattr(cls, "plan", spy)
    diags = Diagnostics()
    report = build(root, diags, ["json", "html"], workers=1)
    assert report.ok, [d.message for d in diags.errors]
    assert report.written and any(p.startswith("site/") for p in report.written)   # html did render
    assert planned == Counter({name: 1 for name in [*EXPORTERS, "media"]})
