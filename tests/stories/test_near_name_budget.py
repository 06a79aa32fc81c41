"""A hint's near name ("Did you mean 'scene-00042'?") costs a comparison with every
known name, and a stranger's pull request may write thousands of slips among thousands
of names: each slip compared with each name was work growing with the square of the
file's size (a 100 KB story of 2,000 choices leading to slips of its 2,000 scene ids,
~35 CPU-s of `foundry check`, four times that at twice the size). The comparisons of
one document, of one translation file, of the voice-over's clips, of the
relationships of all the people and of the stories' references share a budget
(diagnostics.near_budget): the first slips still get their near name, every slip its
error. Measured by counting the lines run in difflib (sys.settrace), not by the clock.

One test holds the real budget (NEAR_COMPARISONS) on 600 slips among 600 names; the
others show that their pass draws on one budget with it lowered to a tenth, on 200
slips among 200 names: the same ratio of the unbounded work (N × N) to the bounded,
at a tenth of the lines traced and of the files written."""

from __future__ import annotations

import pytest

from pipeline import diagnostics
from pipeline.diagnostics import NEAR_COMPARISONS, Diagnostics
from pipeline.engine.builder import check
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import lines_run, write_project

N = 200


@pytest.fixture
def tenth_budget(monkeypatch):
    """NEAR_COMPARISONS lowered to a tenth (read by each near_budget block as it opens)."""
    monkeypatch.setattr(diagnostics, "NEAR_COMPARISONS", NEAR_COMPARISONS // 10)


def _checked(root) -> tuple[Diagnostics, int]:
    diags = Diagnostics()
    work = lines_run(lambda: load_world(load_project(root, diags), diags), "difflib.py")
    return diags, work


def _hints(diags: Diagnostics, code: str) -> list[str]:
    return [d.hint or "" for d in diags.items if d.code == code]


def test_many_choices_to_slips_of_many_scene_ids_are_checked_in_bounded_work(tmp_path):
    """The real budget, on 600 slips of 600 scene ids (its size guarded here)."""
    scenes = "".join(f"## S{i} {{#scene-{i:05d}}}\n\nText.\n\n- [Go](#scene-{i:05d}x)\n\n" for i in range(600))
    root = write_project(tmp_path / "w", {"content/stories/slips.md":
        "---\ntitle: Slips\nstatus: draft\nsummary: Slips.\nstart: scene-00000\n---\n\n" + scenes
        + "## End {#end .ending}\n\nDone.\n"})
    diags, work = _checked(root)
    hints = _hints(diags, "HF0304")
    assert len(hints) == 600   # every slip said
    assert hints[0] == "Did you mean 'scene-00000'?"   # the first ones still get their near name
    # ~1.5 million lines within the budget; every slip against every id was ~100 million
    assert work < 15_000_000, work


def test_a_hero_related_to_many_slips_of_many_ids_is_checked_in_bounded_work(tmp_path, tenth_budget):
    files = {f"content/characters/c{i:05d}.yaml": f"name: C{i}\n" for i in range(N)}
    files["content/heroes/first-hero.yaml"] = (
        "name: Rook\nstatus: draft\ntemplate: scout\nattributes: {agility: 13, constitution: 10}\n"
        "skills: [ambush]\nxp: 120\nrelationships:\n"
        + "".join(f"  - {{with: c{i:05d}x, kind: rival}}\n" for i in range(N)))
    root = write_project(tmp_path / "w", files)
    diags, work = _checked(root)
    hints = _hints(diags, "HF0302")
    assert len(hints) == N
    assert hints[0] == "Did you mean 'c00000'?"
    assert work < 2_400_000, work   # ~0.70 million; ~7.9 million before


def test_a_translation_file_of_many_slips_of_many_line_ids_is_checked_in_bounded_work(tmp_path, tenth_budget):
    """A translation of a line id no line has is told the near id it may have meant
    (HF1109): each slip was compared with each line id (cutoff 0.85), a translation
    file's budget now."""
    scenes = "".join(f"## S{i} {{#s{i:05d}}}\n\nT.\n\n" for i in range(N))
    po = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          + "".join(f'msgctxt "story.slips.scene.s{i:05d}x"\nmsgid "Q{i}"\nmsgstr "D{i}"\n\n' for i in range(N)))
    root = write_project(tmp_path / "w", {
        "content/stories/slips.md": "---\ntitle: Slips\nstatus: draft\nsummary: Slips.\nstart: s00000\n---\n\n"
                                    + scenes.replace("{#s00000}", "{#s00000 .ending}"),
        "translations/de/content/stories/slips.md.po": po})
    with (root / "foundry.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de"]\n')
    diags = Diagnostics()
    work = lines_run(lambda: check(root, diags), "difflib.py")
    hints = _hints(diags, "HF1109")
    assert len(hints) == N
    assert hints[0].startswith("Did you mean 'story.slips.scene.s00000'?")
    # ~2.1 million (the check's own slips of the story's lines too); ~44 million before
    assert work < 8_000_000, work


def test_many_voice_clips_named_for_slips_of_many_line_ids_are_checked_in_bounded_work(tmp_path, tenth_budget):
    """A clip named for no line id is told the near id (HF1132): each misnamed clip
    was compared with each line id; the voice-over's clips share a budget."""
    scenes = "".join(f"## S{i} {{#s{i:05d}}}\n\nT.\n\n" for i in range(N))
    files: dict[str, str | bytes] = {
        "content/stories/slips.md": "---\ntitle: Slips\nstatus: draft\nsummary: Slips.\nstart: s00000\n---\n\n"
                                    + scenes.replace("{#s00000}", "{#s00000 .ending}")}
    files |= {f"content/audio/en/story.slips.scene.s{i:05d}x.opus": b"" for i in range(N)}
    root = write_project(tmp_path / "w", files)
    diags = Diagnostics()
    work = lines_run(lambda: check(root, diags), "difflib.py")
    hints = _hints(diags, "HF1132")
    assert len(hints) == N
    assert "Did you mean 'story.slips.scene.s00000'?" in hints
    assert work < 8_000_000, work   # ~2.0 million; ~60 million before (~541 million at 600 among 600)


def test_many_heroes_each_related_to_a_slip_of_many_ids_are_checked_in_bounded_work(tmp_path, tenth_budget):
    """One slip each in N heroes' files among N characters: a person's own budget
    never runs out, the pass over everyone shares one."""
    files = {f"content/characters/c{i:05d}.yaml": f"name: C{i}\n" for i in range(N)}
    files |= {f"content/heroes/h{i:05d}.yaml": f"name: H{i}\nstatus: draft\nrelationships:\n"
              f"  - {{with: c{i:05d}x, kind: rival}}\n" for i in range(N)}
    root = write_project(tmp_path / "w", files)
    diags, work = _checked(root)
    hints = _hints(diags, "HF0302")
    assert len(hints) == N
    assert "Did you mean 'c00000'?" in hints
    assert work < 2_600_000, work   # ~0.77 million; ~11.8 million with a budget for each person


def test_many_stories_each_naming_a_slip_of_many_ids_are_checked_in_bounded_work(tmp_path, tenth_budget):
    """One unknown character in each of N stories, among N characters (HF0302 at
    the story): the stories' references share one budget."""
    files = {f"content/characters/c{i:05d}.yaml": f"name: C{i}\n" for i in range(N)}
    files |= {f"content/stories/s{i:05d}.md": "---\ntitle: S\nstatus: draft\nsummary: S.\nstart: a\n"
              f"characters: [c{i:05d}x]\n---\n\n## A {{#a .ending}}\n\nT.\n" for i in range(N)}
    root = write_project(tmp_path / "w", files)
    diags, work = _checked(root)
    hints = _hints(diags, "HF0302")
    assert len(hints) == N
    assert any(h.startswith("Did you mean 'c00000'?") for h in hints)
    assert work < 2_400_000, work   # ~0.70 million; ~7.9 million before


def test_a_warm_check_tells_the_near_name_a_cold_one_tells_once_the_budget_is_free_again(tmp_path, tenth_budget):
    """A person checked after the pass's budget was spent got no near name and, having
    drawn nothing on it, was kept: once the slips that spent it were mended, a warm
    check replayed that hint while a cold one named the near kind. A person refused a
    near name is checked again, as one who drew on the budget."""
    from pipeline.engine.resident import Resident

    files = {f"content/characters/c{i:05d}.yaml": f"name: C{i}\n" for i in range(N)}
    spender = "content/heroes/a-hero.yaml"
    files[spender] = ("name: A\nstatus: draft\nrelationships:\n"
                      + "".join(f"  - {{with: c{i:05d}x, kind: rival}}\n" for i in range(N)))
    files["content/heroes/b-hero.yaml"] = "name: B\nstatus: draft\nrelationships:\n  - {with: c00001, kind: rivall}\n"
    root = write_project(tmp_path / "w", files)
    engine = Resident(root, ["json"])
    engine.build(Diagnostics(), None)
    (root / spender).write_text("name: A\nstatus: draft\n")
    warm = Diagnostics()
    engine.build(warm, [spender])
    cold = Diagnostics()
    check(root, cold)
    assert _hints(cold, "HF0310")[0].startswith("Did you mean 'rival'?")
    assert _hints(warm, "HF0310") == _hints(cold, "HF0310")


def test_many_quests_each_naming_a_slip_of_many_ids_are_checked_in_bounded_work(tmp_path, tenth_budget):
    """A quest giver who is no one (HF0302) and a prerequisite that is no quest
    (HF0303) are told the near id: 600 quests, each with a slip of both, among 600
    characters and 600 quests were each compared with each id (checked on every
    build, after validation's budgets); the quests' pass shares one budget."""
    files = {f"content/characters/c{i:05d}.yaml": f"name: C{i}\n" for i in range(N)}
    files |= {f"content/quests/q{i:05d}.yaml": f"title: Q\nstatus: draft\nsummary: Q.\ngiver: c{i:05d}x\n"
              f"prerequisites: [q{i:05d}x]\n"
              "objectives: [{id: a, text: A, done_when: x}]\n" for i in range(N)}
    root = write_project(tmp_path / "w", files)
    diags, work = _checked(root)
    givers = [d.hint or "" for d in diags.items if d.code == "HF0302" and "quest giver" in d.message]
    assert len(givers) == N and len(_hints(diags, "HF0303")) == N
    assert "Did you mean 'c00000'?" in givers
    assert work < 3_000_000, work   # ~0.72 million; ~15.8 million before (~127 million at 600)


def test_many_templates_each_extending_a_slip_of_many_ids_are_checked_in_bounded_work(tmp_path, tenth_budget):
    """A template extending no template (HF0305) is told the near id: 600 templates,
    each extending a slip among the 600, were each compared with each id (twice: the
    cycles are also found ahead, heroes/templates.py); their pass shares one budget."""
    files = {f"content/templates/heroes/t{i:05d}.yaml": f"name: T{i}\nextends: t{i:05d}x\n" for i in range(N)}
    root = write_project(tmp_path / "w", files)
    diags, work = _checked(root)
    hints = _hints(diags, "HF0305")
    assert len(hints) == N
    # near ids (as far as the budget goes), never the template's own ('t00000' of
    # t00000's slip: followed, HF0409)
    assert any(h.startswith("Did you mean 't0") for h in hints), hints[:3]
    assert not any(f"'{d.span.path[-11:-5]}'" in (d.hint or "") for d in diags.items if d.code == "HF0305")
    assert work < 4_600_000, work   # ~1.4 million; ~15.8 million before (~127 million at 600)


def test_a_hero_of_many_slips_of_many_skill_ids_is_checked_in_bounded_work(tmp_path, tenth_budget):
    """A hero's unknown skill (HF0308) is told the near skill id: one hero with 600
    slips among 600 skills of schemas/skills.yaml (~30 KB) was each compared with each
    skill, twice (heroes/sheet.py's `meant`, then the hint); a hero's sheet has a budget."""
    skills = "skills:\n" + "".join(f"  k{i:05d}: {{name: K, attribute: wits}}\n" for i in range(N))
    root = write_project(tmp_path / "w", {
        "schemas/skills.yaml": skills,
        "content/heroes/h.yaml": "name: H\nstatus: draft\nskills: [" + ", ".join(f"k{i:05d}x" for i in range(N)) + "]\n"})
    diags, work = _checked(root)
    hints = [d.hint or "" for d in diags.items if d.code == "HF0308" and d.span.path == "content/heroes/h.yaml"]
    assert len(hints) == N
    assert hints[0].startswith("Did you mean 'k00000'?")
    assert work < 2_400_000, work   # ~0.73 million; ~7.9 million before (~127 million at 600)


def test_a_chain_of_choices_to_slips_of_the_next_scene_is_analysed_in_bounded_work(tmp_path, tenth_budget):
    """The story's analysis takes a choice to an unknown scene as leading to the scene
    it was likely meant as (analysis.py `_meant`, so one slip is not also "can never be
    reached"): 600 scenes each leading to a slip of the next one's id were each looked
    up among the 600 scenes outside validation's budget; the analysis has its own."""
    scenes = "".join(f"## S{i} {{#scene-{i:05d}}}\n\nText.\n\n- [Go](#scene-{i + 1:05d}x)\n\n" for i in range(N))
    root = write_project(tmp_path / "w", {"content/stories/slips.md":
        "---\ntitle: Slips\nstatus: draft\nsummary: Slips.\nstart: scene-00000\n---\n\n" + scenes
        + "## End {#end .ending}\n\nDone.\n"})
    diags, work = _checked(root)
    assert len(_hints(diags, "HF0304")) == N   # every slip said
    assert work < 6_000_000, work   # ~1.8 million; ~26 million before (~127 million at 600)
    # the first slips' scenes taken as meant; past the budget, the rest said unreached too
    unreached = {d.span.line for d in diags.items if d.code == "HF0504"}
    assert unreached and min(unreached) > 50   # scene 8 on (line 98 here: 15 scenes taken as meant)
