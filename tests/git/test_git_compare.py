"""The comparison itself, in-process and fast: rules, breaking changes that only a
type reveals, and a Markdown comment that content cannot hijack."""

from __future__ import annotations

from git_support import Repo, new_repo
from markdown_it import MarkdownIt

from pipeline.diagnostics import Diagnostics
from pipeline.diff import EntityDiff, Item, Side, SideSpec, WorldDiff, diff_sides, plan, render

WORKING_TREE = SideSpec("working tree", None)


def compare(repo: Repo) -> WorldDiff:
    return diff_sides(repo.root, SideSpec("HEAD", repo.rev("HEAD")), WORKING_TREE)


def test_a_rule_change_moves_every_hero_and_removing_a_rule_breaks_the_contract(repo: Repo):
    repo.edit("schemas/attributes.yaml", '"10 + agility // 2"', '"11 + agility // 2"')
    repo.edit("schemas/skills.yaml", "  ambush:   {name: Ambush, attribute: agility, prerequisites: [tracking], "
                                     "min_level: 2}\n", "")
    result = compare(repo)
    by_id = {e.id: e for e in result.entities}
    assert [i.subject for i in by_id["aria"].items] == ["defense"] and by_id["aria"].items[0].note == \
        "at level 4 (moves at levels 1–5)"
    assert [(i.subject, i.old, i.new) for i in by_id["rules"].items] == [
        ("derived[defense].formula.source", "10 + agility // 2", "11 + agility // 2"),
        ("skills[ambush]", {"name": "Ambush", "attribute": "agility", "prerequisites": ["tracking"], "min_level": 2},
         None)]
    assert [m for _, m in result.breaking] == ["skill 'ambush' was removed from the rules"]


def test_a_variable_that_changes_type_breaks_saved_games(repo: Repo):
    repo.edit("content/stories/sunken-keep.md", "  has_relic: false\n", "  has_relic: false\n  torches: 2\n")
    repo.commit("Torches")
    repo.edit("content/stories/sunken-keep.md", "  torches: 2\n", "  torches: true\n")
    result = compare(repo)
    [story] = result.entities
    assert [(i.subject, i.old, i.new) for i in story.items] == [("variables.torches", 2, True)]
    assert story.breaking == ("story 'sunken-keep': variable 'torches' changed type from number to bool",)


def test_a_project_in_a_subfolder_of_the_repository(tmp_path):
    repo = new_repo(tmp_path / "repo", project="world")
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 16")
    result = compare(repo)
    assert [(e.kind, e.id, e.path) for e in result.entities] == [("hero", "bram", "content/heroes/bram.yaml")]
    assert [(i.subject, i.old, i.new) for i in result.entities[0].items][:1] == [("attributes.strength", 14, 16)]


def test_defaults_and_a_folder_outside_git(repo: Repo, tmp_path):
    diags = Diagnostics()
    base, head, notes = plan(repo.root, None, None, diags)
    assert (base.label, base.commit, head, notes) == ("merge base with main", repo.rev("HEAD"), WORKING_TREE, [])
    outside = tmp_path / "plain"
    outside.mkdir()
    assert plan(outside, None, None, diags) is None
    assert [d.code for d in diags.items] == ["HF0801"] and "not inside a git repository" in diags.items[0].message


def test_markdown_keeps_content_in_code_spans_and_under_the_comment_limit():
    hostile = Item("field", "name", "changed", "Aria", "@everyone <img src=x onerror=alert(1)> **`x`**")
    entity = EntityDiff("hero", "aria", "content/heroes/aria.yaml", "changed", (hostile,))
    side = Side("main", "0" * 40, True)
    one = render(WorldDiff(side, side, (entity,)), "markdown")
    assert '- `name`: `"Aria"` → ``"@everyone <img src=x onerror=alert(1)> **`x`**"``' in one
    inline = [c for t in MarkdownIt("commonmark").parse(one) if t.type == "inline" for c in t.children]
    assert [c.content for c in inline if "@everyone" in c.content and c.type == "code_inline"] == [
        '"@everyone <img src=x onerror=alert(1)> **`x`**"']
    assert not [c for c in inline if c.type != "code_inline" and ("@everyone" in c.content or "<img" in c.content)]
    many = WorldDiff(side, side, tuple(EntityDiff("hero", f"h{i}", f"content/heroes/h{i}.yaml", "changed",
                                                  (Item("field", "background", "changed", "a", "b" * 60),) * 8)
                                       for i in range(1000)))
    text = render(many, "markdown")
    assert len(text) < 65_536 and text.rstrip().endswith("more; run `foundry diff` for the full report.")


def test_long_lists_in_a_pull_request_comment_are_cut_to_fit():
    """A pull request that removes 5,000 heroes, or makes every line of a story stale in
    three languages, listed each in full past GitHub's 65,536 characters: the comment
    was refused. Each list shows its first rows and how many more."""
    side = Side("main", "0" * 40, True)
    gone = tuple(EntityDiff("hero", f"hero-number-{i}", f"content/heroes/hero-number-{i}.yaml", "removed",
                            breaking=(f"hero 'hero-number-{i}' was removed",)) for i in range(5000))
    lines = tuple(f"story.the-long-story.scene-{i}.p{j}" for i in range(1000) for j in range(3))
    stale = tuple((lang, lines) for lang in ("de", "fr", "ar"))
    text = render(WorldDiff(side, side, gone, stale=stale, unused=stale), "markdown")
    assert len(text) < 65_536
    assert "- hero 'hero-number-49' was removed\n- … and 4950 more\n" in text
    assert f"- `{lines[49]}`\n- … and 2950 more\n" in text
    assert text.rstrip().endswith("run `foundry diff` for the full report.")


def test_a_rename_that_also_changes_the_name_is_a_rename(repo: Repo):
    """`git mv aria.yaml aria-vane.yaml` and a new name in one pull request was "hero aria
    removed", "hero aria-vane added": every unchanged field hidden. Paired as git pairs a
    renamed file, by what it kept; two heroes alike in little stay removed and added."""
    repo.git("mv", "content/heroes/aria.yaml", "content/heroes/aria-vane.yaml")
    repo.edit("content/heroes/aria-vane.yaml", "name: Aria Vell", "name: Aria Vane")
    repo.edit("content/heroes/aria-vane.yaml", "xp: 480", "xp: 500")
    (repo.root / "content/heroes/bram.yaml").unlink()
    repo.write("content/heroes/cole.yaml", "name: Cole Marsh\nstatus: draft\nattributes: {strength: 14}\n")
    result = compare(repo)
    got = {(e.kind, e.id, e.status, e.old_id) for e in result.entities if e.kind == "hero"}
    assert got == {("hero", "aria-vane", "renamed", "aria"), ("hero", "bram", "removed", None),
                   ("hero", "cole", "added", None)}
    aria = next(e for e in result.entities if e.id == "aria-vane")
    assert [(i.subject, i.old, i.new) for i in aria.items if i.section == "field"] == [
        ("name", "Aria Vell", "Aria Vane"), ("xp", 480, 500)]
    assert "hero 'aria' is now 'aria-vane'" in [m for _, m in result.breaking]


def test_two_heroes_of_one_template_are_not_one_renamed(repo: Repo):
    """A pull request removing one hero and adding another, both of one template with
    the same `xp`, skills and an attribute (4 of their 6 fields) but their own name,
    title and background, was "hero bram — renamed from aria", a breaking removal
    hidden as a rename and three changed lines: what a rename keeps is weighed by its
    size, as git weighs a file by its bytes (git pairs neither)."""
    common = "xp: 0\nskills: [tracking]\nattributes: {agility: 13}\n"
    repo.write("content/heroes/nia.yaml", "name: Nia Vane\ntitle: A harbour pilot\n" + common +
               "background: Nia reads the tides of the north harbour.\n")
    repo.commit("Nia")
    repo.git("rm", "-q", "content/heroes/nia.yaml")
    repo.write("content/heroes/holt.yaml", "name: Bram Holt\ntitle: A smith of the hill forts\n" + common +
               "background: Holt hammers iron in the hills and fears the sea.\n")
    result = compare(repo)
    got = {(e.kind, e.id, e.status, e.old_id) for e in result.entities if e.kind == "hero"}
    assert got == {("hero", "nia", "removed", None), ("hero", "holt", "added", None)}, got
    assert "hero 'nia' was removed" in [m for _, m in result.breaking]


def test_what_the_build_reads_beyond_the_inputs_is_compared(repo: Repo):
    """A theme folder that is a link inside the project (`themes/coast -> ../vendor/coast`,
    which the build reads), a story that is a link to `notes/`, a portrait in `art/`: a
    commit changing only those files was "No changes to the content" between two
    revisions (their inputs' tree, the cache key of a side, was the same: a link's own
    blob, no portrait), the head side the base's. A side is keyed by the project's tree."""
    import os

    from PIL import Image
    (repo.root / "art").mkdir()
    Image.new("RGB", (8, 8), "red").save(repo.root / "art/aria.png")
    repo.edit("content/heroes/aria.yaml", "status: published\n", "status: published\nportrait: ../../art/aria.png\n")
    (repo.root / "notes").mkdir()
    os.replace(repo.root / "content/stories/sunken-keep.md", repo.root / "notes/sunken-keep.md")
    os.symlink("../../notes/sunken-keep.md", repo.root / "content/stories/sunken-keep.md")
    repo.write("vendor/coast/static/site.css", "a { color: navy }\n")
    (repo.root / "themes").mkdir(exist_ok=True)
    os.symlink("../vendor/coast", repo.root / "themes/coast")
    repo.edit("foundry.toml", "[project]\n", '[project]\ntheme = "coast"\n')
    repo.commit("Linked")
    repo.write("vendor/coast/static/site.css", "a { color: teal }\n")
    repo.edit("notes/sunken-keep.md", "title: The Sunken Keep", "title: The Drowned Keep")
    Image.new("RGB", (8, 8), "blue").save(repo.root / "art/aria.png")
    repo.commit("Only what the links lead to, and the portrait")
    result = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert result.files == (("themes/coast/static/site.css", "changed"),), result.files
    [story] = [e for e in result.entities if e.kind == "story"]
    assert (story.id, story.status) == ("sunken-keep", "changed")
    assert ("title", "The Sunken Keep", "The Drowned Keep") in [(i.subject, i.old, i.new) for i in story.items]
    [aria] = [e for e in result.entities if e.kind == "hero"]
    assert (aria.id, aria.status, [i.subject for i in aria.items]) == ("aria", "changed", ["portrait"])


def test_a_portrait_beyond_the_inputs_is_compared(repo: Repo):
    """No link at all: a hero's `portrait: ../../art/aria.png`, the one file a commit
    changed, was "No changes to the content" between the two revisions."""
    from PIL import Image
    (repo.root / "art").mkdir()
    Image.new("RGB", (8, 8), "red").save(repo.root / "art/aria.png")
    repo.edit("content/heroes/aria.yaml", "status: published\n", "status: published\nportrait: ../../art/aria.png\n")
    repo.commit("Portrait")
    Image.new("RGB", (8, 8), "blue").save(repo.root / "art/aria.png")
    repo.commit("Another portrait")
    result = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert [(e.id, e.status, [i.subject for i in e.items]) for e in result.entities] == [("aria", "changed", ["portrait"])]
