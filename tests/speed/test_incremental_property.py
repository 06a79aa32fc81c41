"""Property: after any sequence of edits, an incremental build equals a clean build.

Random sequences of the edits writers make — a hero, a story, a hero template, a rule
file, a theme template, a portrait, a hero added, renamed or deleted — are applied to a
small world with its own theme and portraits. After each edit the incremental build
(same folder, build state, caches and fragment memo kept) must write exactly the bytes
a clean build of a copy writes (no build/, no .foundry-cache), must have re-rendered
every artifact whose bytes changed, and a second build must render nothing.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics
from engine_steps import output_bytes, run
from support import REPO

ROOTS = REPO / "tests" / "roots"
OUTPUTS = ["json", "html"]


def _world(root):
    shutil.copytree(ROOTS / "minimal", root)
    shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")   # a theme the edits can touch
    portraits = root / "content" / "assets" / "portraits"
    portraits.mkdir(parents=True)
    shutil.copy(REPO / "content/assets/portraits/aria.png", portraits / "rook.png")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "portrait: ../assets/portraits/rook.png\n")


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _extra_heroes(root):
    return sorted((root / "content/heroes").glob("extra-*.yaml"))


def edit_hero(root, n):
    _replace(root / "content/heroes/first-hero.yaml", "xp: ", f"xp: {n}")


def edit_story(root, n):
    _replace(root / "content/stories/first-story.md", "The lantern bobs ahead", f"The lantern bobs ahead ({n})")


def edit_template(root, n):
    _replace(root / "content/templates/heroes/scout.yaml", "Quick", f"Quick ({n})")


def edit_rules(root, n):
    _replace(root / "schemas/skills.yaml", "Read trails", f"Read trails ({n})")   # repeatable: the anchor stays


def edit_theme(root, n):
    _replace(root / "themes/default/templates/hero.html", "</article>", f"<p class=\"edit\">edit {n}</p></article>")


def edit_card_macro(root, n):
    # every card of every list page is drawn with it and kept (exporters/html/cards.py)
    _replace(root / "themes/default/templates/_macros.html", '<article class="card person-card {{ card.kind }}">',
             f'<article class="card person-card {{{{ card.kind }}}}"><i hidden>{n}</i>')


def edit_portrait(root, n):
    shutil.copy(REPO / f"content/assets/portraits/{['bram', 'kit', 'wen'][n % 3]}.png",
                root / "content/assets/portraits/rook.png")


def add_hero(root, n):
    text = (root / "content/heroes/first-hero.yaml").read_text()
    text = text.replace("name: Rook Amsel", f"name: Extra Hero {n}").replace("portrait: ../assets/portraits/rook.png\n", "")
    (root / f"content/heroes/extra-{n}.yaml").write_text(text)


def rename_hero(root, n):
    extra = _extra_heroes(root)
    if extra:
        extra[0].rename(extra[0].with_name(f"extra-renamed-{n}.yaml"))


def delete_hero(root, n):
    extra = _extra_heroes(root)
    if extra:
        extra[-1].unlink()


EDITS = [edit_hero, edit_story, edit_template, edit_rules, edit_theme, edit_card_macro, edit_portrait, add_hero,
         rename_hero, delete_hero]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("property") / "base"
    _world(root)
    return root


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=3))
def test_incremental_build_equals_a_clean_one_after_any_edits(base, tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("run")
    world = work / "world"
    shutil.copytree(base, world)
    run(world)
    for n, edit in enumerate(edits, 1):
        before = output_bytes(world)
        edit(world, n)
        report = run(world)
        after = output_bytes(world)
        changed = {path for path, data in after.items() if before.get(path) != data}
        assert changed <= set(report.written), f"{edit.__name__}: changed but not re-rendered"
        fresh = work / f"fresh-{n}"
        shutil.copytree(world, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        run(fresh)
        assert output_bytes(fresh) == after, f"after {[e.__name__ for e in edits[:n]]}"
        shutil.rmtree(fresh)
    assert run(world).written == []


# The resident engine (`foundry serve`, engine/resident.py) after the same edits: the
# same bytes as a clean build, the same artifacts re-rendered as a CLI build of a twin
# copy decides from the build state on disk, exactly the changed files written, and only
# the changed content files parsed and validated again.

CONTENT_ONLY = {edit_hero, edit_story, edit_template, add_hero, rename_hero, delete_hero}


def content_files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*.*"))
            if p.is_file() and p.suffix in (".yaml", ".md")}


def input_files(root) -> dict[str, bytes]:
    """Every file under the inputs `foundry serve` watches, by its project path."""
    from pipeline.load.root import PROJECT_INPUTS
    return {p.relative_to(root).as_posix(): p.read_bytes() for top in PROJECT_INPUTS
            for p in sorted((root / top).rglob("*") if (root / top).is_dir() else [root / top])
            if p.is_file()}


def watched(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The paths a file watcher reports between two states of the inputs."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def resident_run(engine, changed=None):
    diags = Diagnostics()
    report = engine.build(diags, changed)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return report


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=3))
def test_resident_engine_equals_a_clean_build_after_any_edits(base, tmp_path_factory, edits):
    from pipeline.engine.resident import Resident
    work = tmp_path_factory.mktemp("resident")
    world, twin = work / "world", work / "twin"
    shutil.copytree(base, world)
    shutil.copytree(base, twin)
    engine = Resident(world, OUTPUTS)
    resident_run(engine)
    run(twin)
    for n, edit in enumerate(edits, 1):
        before, sources, inputs = output_bytes(world), content_files(world), input_files(world)
        edit(world, n)
        edit(twin, n)
        # told what changed, as the server's watcher tells it: a mere edit of an entity
        # file reads that file only, anything else is checked in full (engine/resident.py)
        report = resident_run(engine, watched(inputs, input_files(world)))
        after = output_bytes(world)
        changed = {path for path, data in after.items() if before.get(path) != data} | (set(before) - set(after))
        assert sorted(report.written) == sorted(run(twin).written), f"{edit.__name__}: not what the CLI re-renders"
        assert {p for p in engine.changed if not p.startswith(".foundry/")} == changed, \
            f"{edit.__name__}: wrote files that did not change, or missed one"
        if edit in CONTENT_ONLY:   # the other edits change the rules or a theme: everything may be redone
            now = content_files(world)
            edited = {p for p, data in now.items() if sources.get(p) != data}
            assert engine.queries.computed.get("parse", 0) == len(edited), edit.__name__
            assert engine.queries.computed.get("validate", 0) == len(edited), edit.__name__
        fresh = work / f"fresh-{n}"
        shutil.copytree(world, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        run(fresh)
        assert output_bytes(fresh) == after, f"after {[e.__name__ for e in edits[:n]]}"
        shutil.rmtree(fresh)
    assert resident_run(engine).written == [] and engine.changed == []
    # the saves decided their artifacts by the index of what the records read
    assert engine.carried_builds >= len(edits)
    # broken content keeps the last good build/, and fixing it gives the same bytes again
    good, hero = output_bytes(world), world / "content/heroes/first-hero.yaml"
    text = hero.read_text()
    hero.write_text(text.replace("xp: ", "xp: [oops ", 1))
    named = ["content/heroes/first-hero.yaml"]
    assert not engine.build(Diagnostics(), named).ok and engine.changed == []
    assert output_bytes(world) == good
    hero.write_text(text)
    resident_run(engine, named)
    assert output_bytes(world) == good
    # a CLI build between two saves (it swaps in a build/ of its own, while the last
    # save's state may still wait to be written): the engine starts from disk
    edit_hero(world, 97)
    resident_run(engine, named)
    edit_hero(world, 98)
    run(world)
    edit_story(world, 99)
    resident_run(engine, named + ["content/stories/first-story.md"])
    fresh = work / "fresh-last"
    shutil.copytree(world, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(fresh)
    assert output_bytes(fresh) == output_bytes(world)
