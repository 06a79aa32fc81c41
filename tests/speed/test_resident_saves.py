"""What a `foundry serve` save skips (engine/resident.py), and that skipping changes no byte.

The resident property test (test_incremental_property.py) proves the bytes after random
edits; these prove the work left out: freshness answered from the keys that changed
(no digest over unchanged inputs), list fragments from memory, templates compiled once
per process, and fragment rows reused in forked workers kept in the sealed cache."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pipeline.render.fragments as fragments_module
import pipeline.write.state as state_module
from pipeline.diagnostics import Diagnostics
from pipeline.engine.resident import Resident
from engine_steps import output_bytes, run, save
from support import REPO

ROOTS = REPO / "tests" / "roots"
OUTPUTS = ["json", "html"]


def counting(monkeypatch, module):
    calls = []
    real = module.digest

    def digest(keys, hashes):
        calls.append(keys)
        return real(keys, hashes)
    monkeypatch.setattr(module, "digest", digest)
    return calls


def test_a_save_finds_unchanged_outputs_and_rows_fresh_without_a_digest(tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, OUTPUTS)
    save(engine)
    records, rows = counting(monkeypatch, state_module), counting(monkeypatch, fragments_module)

    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 7", 1))
    report = save(engine)

    assert report.written and report.reused          # an edit: some outputs made again, most kept
    assert records == []                              # every kept output: no digest over what it read
    # a list row is digested only when made anew (its record), never to find it fresh
    assert len(rows) == len(report.fragments) > 0
    assert engine.build(Diagnostics()).written == []  # and nothing is left stale

    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin)
    assert output_bytes(twin) == output_bytes(world)


def test_an_edit_that_touches_a_kept_output_inputs_renders_it_again(tmp_path):
    """The set lookup must see every changed key: a template every hero merges."""
    world, twin = tmp_path / "world", tmp_path / "twin"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, OUTPUTS)
    save(engine)
    template = world / "content/templates/heroes/scout.yaml"
    template.write_text(template.read_text().replace("Quick", "Quicker", 1))
    report = save(engine)
    assert "site/heroes/first-hero.html" in report.written
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin)
    assert output_bytes(twin) == output_bytes(world)


def test_templates_are_compiled_once_per_process_and_again_when_edited(tmp_path, monkeypatch):
    from pipeline.exporters.html.theme import COMPILED
    from pipeline.exporters.sandbox import BoundedSandbox
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    theme = world / "themes/default/templates"
    theme.mkdir(parents=True)
    shutil.copy(REPO / "themes/default/templates/hero.html", theme / "hero.html")
    COMPILED.clear()
    compiled = []
    real = BoundedSandbox.compile

    def compile(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, filename, *args, **kwargs)
    monkeypatch.setattr(BoundedSandbox, "compile", compile)
    engine = Resident(world, OUTPUTS)
    save(engine)                 # every page: in forked workers, which compile for themselves
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 7", 1))
    assert "site/heroes/first-hero.html" in save(engine).written
    assert "hero.html" in compiled                    # a save's few pages: in this process

    compiled.clear()
    hero.write_text(hero.read_text().replace("xp: 7", "xp: 8", 1))
    assert "site/heroes/first-hero.html" in save(engine).written
    assert compiled == []                             # a new environment, the same compiled templates

    (theme / "hero.html").write_text((theme / "hero.html").read_text().replace("</article>", "<p>edited</p></article>"))
    assert "site/heroes/first-hero.html" in save(engine).written
    assert compiled == ["hero.html"]                  # its source changed: compiled again, and used
    assert "<p>edited</p>" in (world / "build/site/heroes/first-hero.html").read_text()


def test_fragment_rows_reused_in_workers_outlive_a_build_that_did_not_read_them_here(tmp_path):
    """A build whose lists render in forked workers marks the rows they reuse used in
    the workers only: the rows they report back as kept must stay for the next build;
    rows nobody used (another foundry's, an edited entity's old ones) go when crowded."""
    from pipeline.engine.memo import fragment_memo
    from pipeline.load.cache import ParseCache
    from pipeline.render.fragments import Fragment
    from pipeline.toolid import tool_id
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    ours, theirs = f"html:{tool_id()}:2:x", "html:0ther-foundry:2:x"
    row = Fragment(("hero:a",), "d", b"<li>a</li>").to_json()
    cache = ParseCache(root, "fragments")
    for n in range(1200):
        cache.put(f"{ours}|card/{n}", row)
    for n in range(1300):        # most of the table: an upgrade's worth of rows, pruned
        cache.put(f"{theirs}|card/{n}", row)
    cache.save()

    world = SimpleNamespace(project=SimpleNamespace(root=root))
    with fragment_memo(world, {}, {"html": f"{tool_id()}:2:x"}, True) as (memo, keep):
        keep([(f"{ours}|card/new", Fragment(("hero:b",), "e", b"<li>b</li>"))],   # what a worker made
             [f"{ours}|card/{n}" for n in range(500)])                            # and what it reused

    kept = set(ParseCache(root, "fragments").preloaded)
    assert {f"{ours}|card/{n}" for n in range(500)} | {f"{ours}|card/new"} == kept


def test_a_server_started_on_a_built_project_warms_up_before_the_first_save(tmp_path, monkeypatch):
    """The first build answers from the no-op shortcut; the watcher's catch-up build then
    checks everything, so the first save digests nothing it keeps, as every later one:
    no output's record, no stored list row (the catch-up took those still fresh into
    memory), and it compiles no template (the catch-up compiled the theme)."""
    from pipeline.engine import memo as memo_module
    from pipeline.exporters.html.theme import COMPILED
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world)
    COMPILED.clear()   # as in a server just started: nothing compiled in this process yet
    engine = Resident(world, OUTPUTS)
    first = save(engine)
    assert first.written == [] and "render" not in first.timings    # the no-op shortcut: nothing loaded
    catch_up = save(engine)
    assert catch_up.written == [] and engine.changed == [] and "render" in catch_up.timings
    records = counting(monkeypatch, state_module)
    rows, compiled = [], []
    real_row = memo_module.StoredFragments.__getitem__
    monkeypatch.setattr(memo_module.StoredFragments, "__getitem__",
                        lambda self, key: rows.append(key) or real_row(self, key))
    real_dump = COMPILED.dump_bytecode
    monkeypatch.setattr(COMPILED, "dump_bytecode", lambda bucket: compiled.append(bucket.key) or real_dump(bucket))
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 7", 1))
    assert {"site/heroes/index.html", "api/v1/heroes.json"} <= set(save(engine).written)   # lists spliced again
    assert records == [] and rows == [] and compiled == []


def test_rows_made_by_a_build_that_then_failed_are_not_trusted_once_the_edit_is_undone(tmp_path):
    """A save renders the heroes index (with the edited hero's new card) and then fails
    on a broken template: the card in memory was made from the failed build's inputs,
    not the last good build's, so undoing the edit must make the card again."""
    world, twin = tmp_path / "world", tmp_path / "twin"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, OUTPUTS)
    save(engine)
    hero = world / "content/heroes/first-hero.yaml"
    good = hero.read_text()
    hero.write_text(good.replace("name: Rook Amsel", "name: Rook Failed", 1))
    theme = world / "themes/default/templates"
    theme.mkdir(parents=True)
    (theme / "hero.html").write_text((REPO / "themes/default/templates/hero.html").read_text()
                                     .replace("</article>", "{{ no_such_value }}</article>", 1))
    diags = Diagnostics()
    assert not engine.build(diags).ok and diags.errors
    assert "Rook Failed" not in (world / "build/site/heroes/index.html").read_text()   # the last good build stays

    # undone, and the heroes index drawn again (its own template changed), from its rows
    hero.write_text(good)
    (theme / "hero.html").unlink()
    (theme / "hero-index.html").write_text((REPO / "themes/default/templates/hero-index.html").read_text() + "\n")
    assert "site/heroes/index.html" in save(engine).written
    assert "Rook Failed" not in (world / "build/site/heroes/index.html").read_text()
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin)
    assert output_bytes(twin) == output_bytes(world)
