"""PDFs are the slow output: after an edit to one hero, only the books that show
that hero are made again."""

from __future__ import annotations

import shutil

from book_support import EPOCH
from pipeline.diagnostics import Diagnostics
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import foundry


def test_editing_one_hero_remakes_only_the_books_that_show_them(books, tmp_path):
    root = tmp_path / "world"
    shutil.copytree(books.root, root)               # with its build/ and build state
    hero = root / "content/heroes/kit.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("background: |", "background: |\n  Kit hums sea shanties.", 1),
                    encoding="utf-8")
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not any("kit" in (s.model.front.protagonist, *s.model.front.heroes) for s in world.stories.values())
    tied = {f"pdf/heroes/{h}.pdf" for h, e in world.heroes.items() if any(r.with_ == "kit" for r in e.model.relationships)}

    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root),
                  env={"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"})
    assert run.code == 0, run.stderr[-2000:]
    written = {p for p in run.json()["build"]["written"] if p.startswith(("pdf/", "epub/"))}
    assert written == {"pdf/heroes/kit.pdf", "pdf/compendium.pdf", "epub/compendium.epub"} | tied
