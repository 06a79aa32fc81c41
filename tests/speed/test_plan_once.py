"""A build plans each exporter once: `check` plans every output (to find paths two
artifacts would write, HF0720) and the build renders from those same plans. A build
with `--only` does not plan the outputs it does not make whose plans it would only
drop (registry.py UNPLANNED: PDF, EPUB, ink, Twee), yet refuses what their plans
refuse at every build: a print-theme file linked out of the project (HF0120)."""

from __future__ import annotations

import shutil
from collections import Counter

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build, check
from pipeline.exporters.registry import EXPORTERS, MEDIA, create
from support import REPO, write_project


def _planned(monkeypatch) -> Counter:
    """How many times each exporter plans from now on."""
    planned = Counter()
    for target in [*EXPORTERS.values(), MEDIA]:
        cls = type(create(target))

        def spy(self, world, _plan=cls.plan):
            planned[self.name] += 1
            return _plan(self, world)
        monkeypatch.setattr(cls, "plan", spy)
    return planned


def test_each_exporter_is_planned_once_per_build(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    planned = _planned(monkeypatch)
    diags = Diagnostics()
    report = build(root, diags, ["json", "html"], workers=1)
    assert report.ok, [d.message for d in diags.errors]
    assert report.written and any(p.startswith("site/") for p in report.written)   # html did render
    # the outputs it makes, and media; never the books, ink or Twee (their plans dropped)
    assert planned == Counter({"json": 1, "html": 1, "media": 1})
    planned.clear()
    assert check(root, Diagnostics()) is not None
    assert planned == Counter({name: 1 for name in [*EXPORTERS, "media"]})   # check judges every output


def test_an_output_not_made_still_refuses_a_print_theme_link_out(tmp_path, monkeypatch):
    root = write_project(tmp_path / "world")
    theme = root / "themes" / "default" / "print"
    theme.mkdir(parents=True)
    (theme / "book.css").symlink_to(tmp_path / "elsewhere.css")
    (tmp_path / "elsewhere.css").write_text("body { color: red }", encoding="utf-8")
    planned = _planned(monkeypatch)
    said = []
    for only in (["json"], ["ink", "twee"], None):
        diags = Diagnostics()
        report = build(root, diags, only, workers=1)
        said.append([(d.code, d.span.path) for d in diags.errors])
        assert not report.ok and not (root / "build").exists()
    assert said == [[("HF0120", "themes/default/print/book.css")]] * 3   # as check says it, at the link
    assert planned["pdf"] == planned["epub"] == 1   # planned only by the build that makes every output
