"""`foundry check` reports what `foundry build` would refuse, at the file to fix: ids
that land on a page foundry writes itself, a `base_url` the site cannot link through,
a theme that is not there. Check and build agree on every one of them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from support import diagnostics, foundry

STORY = "content/stories/first-story.md"


def located(run, code: str = "") -> list[str]:
    return sorted(f"{d['code']} {d['file']}:{d['line']}" for d in run.json()["diagnostics"] if code in d["code"])


def copy_as(root, rel: str, new: str) -> None:
    (root / new).write_bytes((root / rel).read_bytes())


def test_ids_that_land_on_pages_foundry_writes_are_refused_at_their_files(project_factory):
    root = project_factory()
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/index.yaml")
    copy_as(root, STORY, "content/stories/index.md")
    copy_as(root, "content/quests/first-quest.yaml", "content/quests/index.yaml")
    expected = ["HF0720 content/heroes/index.yaml:1", "HF0720 content/quests/index.yaml:1",
                "HF0720 content/stories/index.md:1"]
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    assert located(check, "HF0720") == expected   # (a copied quest also shares its story: HF0514)
    message = next(d for d in check.json()["diagnostics"] if d["file"] == "content/heroes/index.yaml")
    assert "site/heroes/index.html" in message["message"] and "index-2.yaml" in message["hint"]
    # the build refuses the same files for the same reason, whichever outputs it makes
    for only in ("html", "json,ink,twee"):
        build = foundry("build", "--only", only, "--format", "json", "--project", str(root))
        assert build.code == 1
        assert located(build) == located(check)
        assert not (root / "build").exists()


def test_the_field_case_a_hero_called_index(project_factory):
    """../shared/cases/field/id-index-collision: check was clean and the build failed
    with `html and html both write site/heroes/index.html`, naming no content file."""
    root = project_factory({"content/heroes/index.yaml": """
        # A hero whose id is the valid slug `index`.
        name: Index Vell
        status: draft
        template: scout
        attributes: {agility: 12, constitution: 10}
        """})
    check = foundry("check", "--project", str(root))
    build = foundry("build", "--only", "html", "--project", str(root))
    assert check.code == build.code == 1
    for run in (check, build):
        assert "content/heroes/index.yaml:1:1: error HF0720" in run.stderr
        assert "both write" not in run.stderr and "HF0704" not in run.stderr


def test_no_hint_names_an_id_that_lands_on_a_page_foundry_writes(project_factory):
    """`content/heroes/Index.yaml` was told 'Rename it to index.yaml' (HF0113), which
    check then refused as the heroes' index page (HF0720); `foundry new hero Index`
    was told 'Write it as `index`'. Every hint naming an id for a file of a kind with
    pages numbers past the index page's name and past the ids files already have (a
    character `index-2` shares the heroes' ids; a quest's are the quests' own), as
    HF0720's own example does."""
    root = project_factory()
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/Index.yaml")
    copy_as(root, STORY, "content/stories/INDEX.md")
    copy_as(root, "content/characters/old-guide.yaml", "content/characters/index-2.yaml")
    copy_as(root, "content/quests/first-quest.yaml", "content/quests/index.yaml")
    check = foundry("check", "--format", "json", "--project", str(root))
    hints = {d["file"]: (d["code"], d["hint"]) for d in check.json()["diagnostics"] if d["code"] in ("HF0113", "HF0720")}
    assert hints == {"content/heroes/Index.yaml": ("HF0113", "Rename it to 'index-3.yaml'."),
                     "content/stories/INDEX.md": ("HF0113", "Rename it to 'index-2.md'."),
                     "content/quests/index.yaml": ("HF0720", "Rename the file (for example to "
                                                   "content/quests/index-2.yaml); 'index' names an output foundry "
                                                   "already writes.")}, hints
    # nor past the id check tells Index.yaml (index-3): followed both, one file was
    # renamed over the other
    new = foundry("new", "hero", "Index", "--template", "scout", "--project", str(root))
    assert new.code != 0 and "Write it as `index-4`" in new.stderr, new.stderr


def test_no_two_hints_of_one_check_name_one_id(project_factory):
    """Each hint naming a file's new id numbers past the ids the others name, in one
    walk of the refused names (places.told_ids): `index.yaml` (HF0720, the heroes' index
    page) was told 'index-2.yaml' as `Index-2.yaml` (HF0113) was, and `heroes/Rook.yaml`
    and `characters/ROOK.yaml` (heroes and characters share ids) were both told
    'rook.yaml'. A writer following every hint renamed one file over another, or made
    two people of one id (HF0107). Followed here, they leave a check with none of them."""
    root = project_factory()
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/index.yaml")
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/Index-2.yaml")
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/index.yml")
    copy_as(root, "content/heroes/first-hero.yaml", "content/heroes/Rook.yaml")
    copy_as(root, "content/characters/old-guide.yaml", "content/characters/ROOK.yaml")
    check = foundry("check", "--format", "json", "--project", str(root))
    told = {}
    for d in check.json()["diagnostics"]:
        named = re.search(r"(?:to '|rename it |content/\w+/)([a-z0-9-]+)\.yaml", d["hint"] or "")
        if d["code"] in ("HF0113", "HF0720", "HF0105") and named:
            told[d["file"]] = (d["code"], named.group(1))
    assert told == {"content/heroes/Index-2.yaml": ("HF0113", "index-2"),
                    "content/heroes/index.yaml": ("HF0720", "index-3"),
                    "content/heroes/index.yml": ("HF0105", "index-4"),
                    "content/heroes/Rook.yaml": ("HF0113", "rook"),
                    "content/characters/ROOK.yaml": ("HF0113", "rook-2")}, told
    for rel, (_, new) in told.items():
        (root / rel).rename(root / rel.rsplit("/", 1)[0] / f"{new}.yaml")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert again.code == 0, again.stdout


def test_an_id_line_naming_the_index_page_is_told_to_go_not_to_rename_the_file(project_factory):
    """HF0106 (`id: index` in rook.yaml) said 'remove the `id:` line or rename the
    file': renamed, index.yaml is the heroes' index page (HF0720); `id: con` a device
    name (HF0161). Such an id is told only to go, and gone, check is clean."""
    root = project_factory()
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    (root / "content/heroes/rook.yaml").write_text("id: index\n" + hero, encoding="utf-8")
    (root / "content/quests/road.yaml").write_text("id: con\n" + (root / "content/quests/first-quest.yaml")
                                                   .read_text(encoding="utf-8"), encoding="utf-8")
    check = foundry("check", "--format", "json", "--project", str(root))
    hints = {d["file"]: d["hint"] for d in check.json()["diagnostics"] if d["code"] == "HF0106"}
    assert set(hints) == {"content/heroes/rook.yaml", "content/quests/road.yaml"}, check.stdout
    for hint in hints.values():
        assert "rename" not in hint and hint.endswith("remove the `id:` line."), hint
    assert "page listing the heroes" in hints["content/heroes/rook.yaml"]
    assert "device name" in hints["content/quests/road.yaml"]
    (root / "content/heroes/rook.yaml").write_text(hero, encoding="utf-8")
    (root / "content/quests/road.yaml").unlink()
    assert foundry("check", "--project", str(root)).code == 0


def test_an_id_line_is_one_slip_said_once_as_written(project_factory):
    """`id: Index` in road.yaml was HF0106 and HF0204 at one value, HF0204's hint
    'Write it as `index`' naming the id HF0106 says no file can have; `id: [a, b]` was
    HF0106 told 'or rename the file' (to no name a file can have) and HF0201 told to put
    it in quotes; `id: 5` in 5.yaml was "id '5' does not match the file name '5'" beside
    HF0201, `id: 0x1f` in nell.yaml said '31'; `id: 0x1f` in 31.yaml was HF0201 alone,
    its value the file's but not as written: quoted as told, HF0106; `id: fog\u200b` in
    fog.yaml was HF0106 and HF0204 beside HF0132 at the mark, and still HF0106 with
    more marks than 4 × 64 letters (haze.yaml). One error each, the value as written,
    and the hint's fix accepted."""
    root = project_factory()
    quest = (root / "content/quests/first-quest.yaml").read_text(encoding="utf-8")
    person = "name: Wren\n"
    files = {"content/quests/road.yaml": "id: Index\n" + quest,
             "content/characters/kit.yaml": "id: [a, b]\n" + person,
             "content/characters/nell.yaml": "id: 0x1f  # a number\n" + person,
             "content/characters/31.yaml": "id: 0x1f\n" + person,
             "content/characters/fog.yaml": "id: fog\u200b\n" + person,
             "content/characters/5.yaml": "id: 5\n" + person,
             "content/characters/true.yaml": "id: true\n" + person}
    haze = "content/characters/haze.yaml"   # HF0132 at each of its 300 marks (20 said)
    for rel, text in {**files, haze: "id: haze" + "\u200b" * 300 + "\n" + person}.items():
        (root / rel).write_text(text, encoding="utf-8")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert {d["code"] for d in check.json()["diagnostics"] if d["file"] == haze} == {"HF0132"}, check.stdout
    said = {d["file"]: d for d in check.json()["diagnostics"]
            if d["code"] in ("HF0106", "HF0132", "HF0201", "HF0204") and d["file"] != haze}
    assert [at for at in located(check, "HF01") + located(check, "HF02") if haze not in at] == \
        sorted(f"{d['code']} {rel}:1" for rel, d in said.items()), check.stdout
    assert {rel: d["code"] for rel, d in said.items()} == {
        "content/quests/road.yaml": "HF0106", "content/characters/kit.yaml": "HF0106",
        "content/characters/nell.yaml": "HF0106", "content/characters/31.yaml": "HF0106",
        "content/characters/5.yaml": "HF0201", "content/characters/fog.yaml": "HF0132",
        "content/characters/true.yaml": "HF0201"}, check.stdout
    assert said["content/characters/nell.yaml"]["message"] == "id '0x1f' does not match the file name 'nell'"
    gone = ("content/quests/road.yaml", "content/characters/kit.yaml", "content/characters/nell.yaml",
            "content/characters/31.yaml")
    for rel in gone:
        assert said[rel]["hint"].endswith("remove the `id:` line."), said[rel]
    # each hint followed: the line gone, or the file's id quoted
    for rel in gone:
        (root / rel).write_text(files[rel].split("\n", 1)[1], encoding="utf-8")
    for rel, value in (("content/characters/5.yaml", '"5"'), ("content/characters/true.yaml", '"true"'),
                       ("content/characters/fog.yaml", "fog"), (haze, "haze")):
        (root / rel).write_text(f"id: {value}\n" + person, encoding="utf-8")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert again.code == 0, again.stdout


def test_a_hint_renaming_a_file_renames_its_id_line_too(project_factory):
    """`content/heroes/index.yaml` holding `id: index` was told 'Rename the file (for
    example to content/heroes/index-2.yaml)' (HF0720), `Rook.yaml` holding `id: Rook`
    'Rename it to rook.yaml' (HF0113), a stray `quests/index.yml` holding `id: index`
    'rename it index-2.yaml' (HF0105): renamed so, each was HF0106, its `id:` line no
    longer its file's. The hint names the line too, and followed, check is clean. A file
    whose name is no id holding the id it is told (`Fog.md`, `id: fog`) is HF0113 alone:
    "id 'fog' does not match the file name 'Fog'" was a second error for one slip. An
    id YAML reads written plain as a number (`+5.yaml` told 5.yaml) is named quoted:
    `id: 5`, written as told, was HF0201."""
    root = project_factory()
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    quest = (root / "content/quests/first-quest.yaml").read_text(encoding="utf-8")
    story = (root / STORY).read_text(encoding="utf-8")
    files = {"content/heroes/index.yaml": "id: index\n" + hero, "content/heroes/Rook.yaml": "id: Rook\n" + hero,
             "content/quests/index.yml": "id: index\n" + quest, "content/stories/Fog.md": "---\nid: fog\n" + story[4:],
             "content/heroes/+5.yaml": "id: five\n" + hero}
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    check = foundry("check", "--format", "json", "--project", str(root))
    said = {d["file"]: (d["code"], d["hint"]) for d in check.json()["diagnostics"]
            if d["code"] in ("HF0105", "HF0106", "HF0113", "HF0720")}
    assert said == {
        "content/heroes/index.yaml": ("HF0720", "Rename the file (for example to content/heroes/index-2.yaml) and its "
                                                "`id:` line to `id: index-2`; 'index' names an output foundry already "
                                                "writes."),
        "content/heroes/Rook.yaml": ("HF0113", "Rename it to 'rook.yaml' and its `id:` line to `id: rook`."),
        "content/quests/index.yml": ("HF0105", "It looks like a quest (`id:`, `title:`, `status:`, `summary:`, … are "
                                               "fields of a quest): rename it index-2.yaml and its `id:` line to "
                                               "`id: index-2`."),
        "content/stories/Fog.md": ("HF0113", "Rename it to 'fog.md'."),
        "content/heroes/+5.yaml": ("HF0113", "Rename it to '5.yaml' and its `id:` line to `id: \"5\"`.")}, said
    for old, new in (("heroes/index", "heroes/index-2"), ("heroes/Rook", "heroes/rook"), ("quests/index", "quests/index-2")):
        text = files[f"content/{old}.yaml" if old != "quests/index" else "content/quests/index.yml"]
        (root / f"content/{old}.{'yml' if old == 'quests/index' else 'yaml'}").unlink()
        (root / f"content/{new}.yaml").write_text(text.replace(text.split("\n", 1)[0], f"id: {new.split('/')[1]}", 1),
                                                  encoding="utf-8")
    (root / "content/stories/Fog.md").rename(root / "content/stories/fog.md")
    (root / "content/heroes/+5.yaml").unlink()
    (root / "content/heroes/5.yaml").write_text('id: "5"\n' + hero, encoding="utf-8")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert [d for d in again.json()["diagnostics"] if d["severity"] == "error"] == [], again.stdout


def test_the_page_name_hints_avoid_is_the_one_the_plans_reserve(project_factory):
    """ids.LIST_PAGE and load/places.py PAGED_KINDS, which the hints above read, say
    what the plans say: in each kind's folder of every output, the one name no entity
    of the kind gives is the index page's, and only for the kinds the site has pages for."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import _check
    from pipeline.ids import LIST_PAGE
    from pipeline.load.places import KIND_DIRS, PAGED_KINDS

    world, planned = _check(project_factory(), Diagnostics())   # check's plans, every output's
    ids = {kind: {e.id for e in world.entries() if e.kind == kind} for kind in KIND_DIRS}
    reserved: dict[str, set[str]] = {kind: set() for kind in KIND_DIRS}
    for made in planned.values():
        for item in made.plan.items:
            *folders, name = item.path.split("/")
            for kind, (folder, _) in KIND_DIRS.items():
                if folders[-len(folder.split("/")):] == folder.split("/"):
                    stem = name.split(".", 1)[0]
                    if stem not in ids[kind]:
                        reserved[kind].add(stem)
    assert reserved == {kind: {LIST_PAGE} if kind in PAGED_KINDS else set() for kind in KIND_DIRS}


def test_a_file_called_index_that_does_not_load_is_refused_for_its_name_too(project_factory):
    """The id is the file's name: a hero `index.yaml` with a YAML slip, an empty
    character, a story without front matter were told only that slip, and HF0720 came
    once the writer had fixed it and run check again. Both now, at once, in check and
    build alike; the hint numbered past an id a broken file has (`index-2.yaml`). A
    theme's own file is not a page of the kind its folder is named like (`wren`)."""
    root = project_factory({"content/heroes/index.yaml": "name: [Wren\n",
                            "content/characters/index.yaml": "",
                            "content/stories/index.md": "The fog comes in.\n",
                            "content/quests/index-2.yaml": "title: [Through\n",
                            "content/heroes/wren.yaml": "name: [Wren\n",
                            "themes/default/static/heroes/wren.css": "p { color: teal; }\n"})
    copy_as(root, "content/quests/first-quest.yaml", "content/quests/index.yaml")
    expected = ["HF0720 content/characters/index.yaml:1", "HF0720 content/heroes/index.yaml:1",
                "HF0720 content/quests/index.yaml:1", "HF0720 content/stories/index.md:1"]
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--format", "json", "--project", str(root))
        assert run.code == 1 and located(run, "HF0720") == expected, (verb, run.stdout)
        codes = {d["file"]: d["code"] for d in run.json()["diagnostics"] if d["code"] in ("HF0101", "HF0104", "HF0114")}
        assert codes == {"content/heroes/index.yaml": "HF0101", "content/characters/index.yaml": "HF0104",
                         "content/quests/index-2.yaml": "HF0101", "content/stories/index.md": "HF0114",
                         "content/heroes/wren.yaml": "HF0101"}, codes
        hints = {d["file"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0720"}
        # heroes and characters share ids: the two `index` files are told two of them
        # (both were told 'index-3', past the quests' index-2, which is no person's id)
        assert "content/heroes/index-2.yaml" in hints["content/heroes/index.yaml"]
        assert "content/characters/index-3.yaml" in hints["content/characters/index.yaml"]
        assert "content/quests/index-3.yaml" in hints["content/quests/index.yaml"]
    assert not (root / "build").exists()


def test_a_character_called_index_too(project_factory):
    root = project_factory()
    copy_as(root, "content/characters/old-guide.yaml", "content/characters/index.yaml")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1 and located(check) == ["HF0720 content/characters/index.yaml:1"]


def test_an_id_landing_on_a_page_in_every_language_is_one_error(project_factory):
    """With two languages, the quest id `index` lands on site/quests/index.html and on the
    same page in site/de/ and site/fr/: three HF0720 at one line for one slip. One now,
    at the base language's page, naming the others, in check and build alike. So for a
    file that did not load (it was said at site/de/…, the first page in plan order)."""
    root = project_factory({"content/heroes/index.yaml": "name: [Wren\n"})
    copy_as(root, "content/quests/first-quest.yaml", "content/quests/index.yaml")
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de", "fr"]\n')
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--format", "json", "--project", str(root))
        assert run.code == 1 and located(run, "HF07") == ["HF0720 content/heroes/index.yaml:1",
                                                          "HF0720 content/quests/index.yaml:1"], verb
        for kind in ("quests", "heroes"):
            [said] = [d["message"] for d in run.json()["diagnostics"]
                      if d["code"] == "HF0720" and d["file"] == f"content/{kind}/index.yaml"]
            assert f"would write site/{kind}/index.html" in said and f"site/de/{kind}/index.html" in said, said


def hero_prose(root, words: str) -> None:
    """The sample hero's background ends with `words` (its line 12) instead of the fog."""
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("where the *fog* decides who arrives.", words),
                    encoding="utf-8")


def story_prose(root, text: str) -> int:
    """The story's "The lantern bobs ahead." line replaced by `text`; its line number."""
    story = root / STORY
    lines = story.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("The lantern bobs ahead."))
    lines[number - 1] = text
    story.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


def test_links_in_prose_are_checked_at_their_line(project_factory):
    root = project_factory()
    hero_prose(root, "where [the guide](../characters/old-guide.html) and [nobody](../characters/nobody.html) and "
                     "[the root](../../../outside.html) and [a site](https://example.org/x.html) decide.")
    number = story_prose(root, "The lantern bobs toward [the keep](../quests/no-such-quest.html).")
    check = foundry("check", "--format", "json", "--project", str(root))
    build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert check.code == build.code == 1
    expected = ["HF0721 content/heroes/first-hero.yaml:12", "HF0721 content/heroes/first-hero.yaml:12",
                f"HF0721 {STORY}:{number}"]
    assert located(check) == located(build) == expected
    messages = " ".join(d["message"] for d in check.json()["diagnostics"])
    assert "nobody.html" in messages and "outside.html" in messages and "old-guide" not in messages


def test_a_prose_link_to_another_outputs_file_is_checked_as_the_site_checks_it(project_factory):
    """The site's link check knows the paths build/site/ holds; check knew every
    output's, so a link from a hero's page to the story's EPUB or ink script passed
    check and stopped every build, whichever outputs it made (HF0701 at the page)."""
    root = project_factory()
    hero_prose(root, "where [the book](../../epub/stories/first-story.epub) and [the script](../../ink/first-story.ink) "
                     "and [the guide](../characters/old-guide.html) decide.")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    assert located(check) == ["HF0721 content/heroes/first-hero.yaml:12"] * 2, check.stdout
    messages = " ".join(d["message"] for d in check.json()["diagnostics"])
    assert "first-story.epub" in messages and "first-story.ink" in messages and "old-guide" not in messages
    build = foundry("build", "--only", "html,epub,ink", "--format", "json", "--project", str(root))
    assert build.code == 1 and [d["code"] for d in build.json()["diagnostics"]] == ["HF0721"] * 2, build.stdout


def test_links_in_prose_to_an_id_another_page_lacks_are_checked_at_their_line(project_factory):
    """`page.html#id` and `#id`: check was clean and the build stopped with HF0701 at
    build/site/… (the page has no such id); check now draws the page linked to."""
    root = project_factory()
    hero_prose(root, "where [the bank](../stories/first-story.html#scene-bank) and "
                     "[the ford](../stories/first-story.html#scene-ford) decide ([above](#no-id-here)).")
    number = story_prose(root, "The lantern bobs toward [the guide](../characters/old-guide.html#no-such-id).")
    check = foundry("check", "--format", "json", "--project", str(root))
    build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert check.code == 1, check.stdout
    assert located(check) == ["HF0721 content/heroes/first-hero.yaml:12", "HF0721 content/heroes/first-hero.yaml:12",
                              f"HF0721 {STORY}:{number}"]
    messages = " ".join(d["message"] for d in check.json()["diagnostics"])
    assert "#scene-ford" in messages and "#no-such-id" in messages and "#scene-bank" not in messages
    assert "#no-id-here" in messages   # an id of the hero's own page
    assert build.code == 1 and located(build) == located(check)   # build stops on the same, before rendering
    # fixed, both pass
    hero, story = root / "content/heroes/first-hero.yaml", root / STORY
    hero.write_text(hero.read_text(encoding="utf-8").replace("#scene-ford", "#scene-wait").replace(
        "](#no-id-here)", "](../heroes/first-hero.html)"), encoding="utf-8")
    story.write_text(story.read_text(encoding="utf-8").replace("#no-such-id", ""), encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
    assert foundry("build", "--only", "html", "--project", str(root)).code == 0


def set_base_url(root, value: str) -> int:
    """Write `base_url = value` into foundry.toml; return its line number."""
    config = root / "foundry.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("theme")) + 1
    lines.insert(at, f'base_url = "{value}"')
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("value", ["coast", "coast/", "//evil.example/", "javascript:alert(1)", "https://",
                                   "ftp://example.org/", "https://example.org/?page=1", "/coast/#top",
                                   "https://exa mple.org/", "https:/example.org"])
def test_a_base_url_that_is_not_a_url_or_a_path_is_refused_at_its_line(project_factory, value):
    root = project_factory()
    line = set_base_url(root, value)
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    assert diagnostics(check) == [f"HF0205 foundry.toml:{line}:12"]
    assert "absolute http(s) URL" in check.json()["diagnostics"][0]["message"]
    if value == "coast":   # the field case: the build failed with 11 HF0701 in build/site/404.html
        build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
        assert build.code == 1 and diagnostics(build) == diagnostics(check)


@pytest.mark.parametrize("value, said, fix", [
    # credentials would be printed in every page and the sitemap
    ("https://u:p@example.org/coast/", "user name or password", 'base_url = "https://example.org/coast/"'),
    # a browser folds '..' away: the links would point above the site
    ("/a/../../b/", "'..' segments", 'base_url = "/b/"'),
    # '%' that does not start an escape: no browser can follow it
    ("/%zz/", "not an escape", 'base_url = "/%25zz/"'),
    # a port no browser reaches was said as 'must be an absolute http(s) URL', which it was
    # (99999, or '８０８０' that Python reads as 8080), or accepted (0) and published in every address
    ("https://example.org:99999/coast/", "the port '99999'", 'base_url = "https://example.org/coast/"'),
    ("https://example.org:0/", "the port '0'", 'base_url = "https://example.org/"'),
    ("https://example.org:８０８０/", "the port '８０８０'", 'base_url = "https://example.org/"'),
    # a page's address pasted: taken as a folder, every link was under '/repo/index.html/'
    ("https://you.github.io/repo/index.html", "names a page ('index.html')", 'base_url = "https://you.github.io/repo/"'),
    ("/coast/About.HTM", "names a page", 'base_url = "/coast/"')])
def test_a_base_url_that_would_publish_a_password_or_fold_away_is_refused_with_its_fix(project_factory, value,
                                                                                         said, fix):
    root = project_factory()
    line = set_base_url(root, value)
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    assert diagnostics(check) == [f"HF0205 foundry.toml:{line}:12"]
    found = check.json()["diagnostics"][0]
    assert said in found["message"] and fix in found["hint"], found


@pytest.mark.parametrize("value, prefix", [("/", "/"), ("/coast/", "/coast/"), ("/coast", "/coast/"),
                                           ("https://example.org/coast/", "/coast/"), ("/a%20b/", "/a%20b/"),
                                           ("https://example.org", "/")])
def test_a_base_url_check_accepts_builds(project_factory, value, prefix):
    root = project_factory()
    set_base_url(root, value)
    assert foundry("check", "--project", str(root)).code == 0
    build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert build.code == 0, build.stdout
    page = lxml_html.fromstring((root / "build/site/404.html").read_bytes())
    links = [a.get("href") for a in page.iter("a")]
    assert links and all(link.startswith(prefix) for link in links if not re.match(r"https?:|#", link))
    # a sitemap's <loc> is a whole URL (the protocol asks for the scheme and host): made
    # under a full address, and none under a path, which names no host (it was made with
    # '/coast/index.html' in every <loc>, which search engines drop)
    sitemap = root / "build/site/sitemap.xml"
    if value.startswith("https://"):
        locs = [e.text for e in etree.parse(str(sitemap)).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert f"{value.rstrip('/')}/index.html" in locs
        assert all(urlsplit(loc).scheme == "https" and urlsplit(loc).netloc == "example.org" for loc in locs), locs
    else:
        assert not sitemap.exists()


def test_a_theme_that_is_not_there_is_reported_by_check(project_factory):
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "nowhere"'),
                      encoding="utf-8")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    assert located(check) == ["HF0703 foundry.toml:6"]
    # a build of the books alone says it at the same line (it was said at no line of
    # foundry.toml), and once when the site and the books are both made
    for only in ("pdf", "epub,pdf,html"):
        build = foundry("build", "--only", only, "--format", "json", "--project", str(root))
        assert build.code == 1
        assert located(build) == located(check), only


@pytest.mark.parametrize("rel", ["themes/default/print/templates/hero-sheet.html.j2",
                                 "themes/default/print/style.css"])
def test_a_print_theme_link_out_is_reported_by_check_as_by_build(project_factory, tmp_path, rel):
    """The PDF and EPUB plans refuse a print-theme file that links outside (HF0120);
    check planned them but dropped what their plans refused."""
    import os
    outside = tmp_path / "outside.txt"
    outside.write_text("<p>not ours</p>\n")
    root = project_factory()
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, link)
    check = foundry("check", "--project", str(root), "--format", "json")
    build = foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")
    assert check.code == build.code == 1, check.stdout
    assert located(check) == located(build) == [f"HF0120 {rel}:0"]
    assert "not ours" not in check.stdout + build.stdout
    assert not (root / "build").exists()


def test_emphasis_nested_hundreds_deep_is_shown_as_typed_and_builds(project_factory):
    """Emphasis nests as deep as its delimiter runs are long: `*` × 800 around a word
    made 400 <strong> one in the other. `check` passed, the site showed it, and the PDF
    could not lay it out: the build failed with HF0711 ("recursed too deeply", a
    template's hint, no line). Markup past 32 levels is shown as the characters typed."""
    root = project_factory()
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("The fog comes in", "*" * 800 + "Zyzzyva" + "*" * 800 + " The fog comes in", 1),
                     encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
    build = foundry("build", "--only", "html,pdf", "--project", str(root))
    assert build.code == 0, build.stderr[-800:]
    assert (root / "build/pdf/stories/first-story.pdf").stat().st_size > 0
    page = (root / "build/site/stories/first-story.html").read_text(encoding="utf-8")
    at = page.index("Zyzzyva")
    scene = page[page.rindex("<p", 0, at):at]   # the paragraph, up to the word
    assert scene.count("<strong>") <= 32 and "**" in scene   # the rest as typed, not dropped


def test_each_bad_link_of_a_background_is_said_at_its_own_place(project_factory):
    """Several links of one `background:` that do not land were all said at the field's
    key (`background: |`), one place for all of them: each is said where it is written."""
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    lines = ["  Rook grew up [near](../characters/old-guide.html) [nobody](nobody.html).",
             "",
             "  And [nowhere][n], [nobody](nobody.html) again.",
             "",
             "  [n]: ../nowhere.html"]
    hero.write_text(text[:text.index("background:")] + "background: |\n" + "\n".join(lines) + "\n", encoding="utf-8")
    first = text[:text.index("background:")].count("\n") + 2
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1
    found = sorted((d["line"], d["column"]) for d in check.json()["diagnostics"] if d["code"] == "HF0721")
    assert found == [(first, lines[0].index("nobody.html") + 1), (first + 2, lines[2].index("nobody.html") + 1),
                     (first + 4, lines[4].index("../nowhere") + 1)], check.stdout


def test_a_prose_link_to_the_sites_json_data_lands_when_the_json_is_made(project_factory):
    """The JSON API is published inside the site (site/api/v1/), and a hero's page may
    link to its data; check said HF0721 ('which the build does not write') though the
    build made the JSON with the site. It lands when the JSON is made (check: `[build]
    outputs`; build: `--only`), and the built page's link reaches the file."""
    root = project_factory()
    hero_prose(root, "where [the data](../api/v1/heroes/first-hero.json) and [all](../api/v1/heroes.json) decide.")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 0, check.stdout
    build = foundry("build", "--only", "json,html", "--format", "json", "--project", str(root))
    assert build.code == 0, build.stdout
    page = root / "build/site/heroes/first-hero.html"
    hrefs = [a.get("href") for a in lxml_html.parse(str(page)).iter("a") if "api/v1" in (a.get("href") or "")]
    assert hrefs == ["../api/v1/heroes/first-hero.json", "../api/v1/heroes.json"]
    assert all((page.parent / href).resolve().is_file() for href in hrefs)
    # a site made without the JSON does not hold them: said at the link, as before
    alone = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert alone.code == 1 and located(alone) == ["HF0721 content/heroes/first-hero.yaml:12"] * 2, alone.stdout


def test_the_same_bad_link_in_two_scenes_is_said_at_each(project_factory):
    """One target that does not land, linked from two scenes: both were said at the
    first scene's line (the body's first `](target`), the second scene's never named."""
    root = project_factory()
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    text = text.replace("The lantern bobs ahead.", "The lantern bobs [ahead](../nope.html).")
    text = text.replace("Boot prints, fresh,", "Boot [prints](../nope.html), fresh,")
    story.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    expected = sorted((n, line.index("../nope.html") + 1) for n, line in enumerate(lines, 1) if "../nope.html" in line)
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1 and len(expected) == 2
    assert sorted((d["line"], d["column"]) for d in check.json()["diagnostics"] if d["code"] == "HF0721") == expected


def test_a_site_template_that_fails_as_it_runs_is_reported_by_check_as_by_build(project_factory):
    """A project's own templates that compile and name only what their page receives, but
    fail on the values they are given (a tag the hero does not have, a number added to a
    text): check read them without running them and was clean; the build stopped with
    HF0703 at each. Check now draws the pages the project's own templates draw, and says
    them at the same lines, once a slip."""
    from pipeline.exporters.html.theme import default_theme_dir
    rel = "themes/default/templates/{}.html"
    shipped = {kind: (default_theme_dir() / "templates" / f"{kind}.html").read_text(encoding="utf-8")
               for kind in ("hero", "character", "quest")}
    hero = shipped["hero"].replace("{% block main %}", "{% block main %}\n{{ tags[5] }}\n", 1)
    character = shipped["character"].replace("{% block main %}", "{% block main %}\n{{ name + 1 }}\n", 1)
    # a link put together from a value, to a page the site does not have: the page's own
    # link check says it as the build's does
    quest = shipped["quest"].replace("{% block main %}", '{% block main %}<a href="{{ status }}.html">s</a>', 1)
    line = {text: text[:text.index("{% block main %}")].count("\n") + 2 for text in (hero, character)}
    root = project_factory({rel.format("hero"): hero, rel.format("character"): character, rel.format("quest"): quest,
                            "content/heroes/second-hero.yaml": "name: Second\ntags: [one]\n"})
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1, check.stdout
    assert located(check) == ["HF0701 build/site/quests/first-quest.html:0",
                              f"HF0703 {rel.format('character')}:{line[character]}",
                              f"HF0703 {rel.format('hero')}:{line[hero]}"], check.stdout
    # one error a slip, however many heroes' pages it stops
    assert any("and 1 other page" in d["message"] for d in check.json()["diagnostics"])
    build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert build.code == 1
    assert located(build) == located(check)
    assert not (root / "build").exists()
    # a template that runs is not drawn in vain: the same overrides without the slips are clean
    for kind in ("hero", "character", "quest"):
        (root / rel.format(kind)).write_text(shipped[kind].replace("{% block main %}", "{% block main %}<p>{{ status }}</p>", 1),
                                            encoding="utf-8")
    assert foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"] == []


def test_a_print_template_that_fails_as_it_runs_is_reported_by_check_as_by_build(project_factory):
    """The print theme's own templates likewise: a hero sheet (PDF) and an EPUB hero
    chapter reading what a hero does not have compiled, check was clean, and each book's
    build stopped with HF0703 at the line. Check makes each book's HTML, not laid out."""
    from pipeline.exporters.html.theme import default_theme_dir
    shipped = default_theme_dir() / "print" / "templates"
    sheet = (shipped / "hero-sheet.html.j2").read_text(encoding="utf-8").replace(
        "{% block body %}", "{% block body %}\n{{ hero.nope.x }}", 1)
    chapter = (shipped / "epub" / "hero.html.j2").read_text(encoding="utf-8") + "{{ hero.name + 1 }}\n"
    sheet_line = sheet[:sheet.index("{{ hero.nope.x }}")].count("\n") + 1
    root = project_factory({"themes/default/print/templates/hero-sheet.html.j2": sheet,
                            "themes/default/print/templates/epub/hero.html.j2": chapter})
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1, check.stdout
    epub_slip = f"HF0703 themes/default/print/templates/epub/hero.html.j2:{chapter.count(chr(10))}"
    assert located(check) == [epub_slip, f"HF0703 themes/default/print/templates/hero-sheet.html.j2:{sheet_line}"]
    build = foundry("build", "--only", "epub", "--format", "json", "--project", str(root))   # no layout: cheap
    assert build.code == 1
    assert located(build) == [epub_slip]


def test_check_draws_a_bounded_number_of_pages_and_every_own_template_once(project_factory):
    """Check draws at most MAX_DRAWN pages of the project's own templates (a check of a
    large world that overrides hero.html must not draw every hero's page), yet each own
    template's first page whatever the count: a quest template's slip is said though the
    heroes' pages, planned before it (site/heroes/ < site/quests/), are more than the
    bound. The hero slip only the
    last hero's values reach is past the bound: the build's to say."""
    from pipeline.engine.rehearse import MAX_DRAWN
    from pipeline.exporters.html.theme import default_theme_dir
    rel = "themes/default/templates/{}.html"
    shipped = {kind: (default_theme_dir() / "templates" / f"{kind}.html").read_text(encoding="utf-8")
               for kind in ("hero", "quest")}
    hero = shipped["hero"].replace("{% block main %}", "{% block main %}\n{% if name == 'Last' %}{{ tags[5] }}{% endif %}\n", 1)
    quest = shipped["quest"].replace("{% block main %}", "{% block main %}\n{{ status + 1 }}\n", 1)
    heroes = {f"content/heroes/h-{n:03d}.yaml": f"name: H {n}\n" for n in range(MAX_DRAWN)}
    root = project_factory({rel.format("hero"): hero, rel.format("quest"): quest,
                            "content/heroes/zz-last.yaml": "name: Last\n", **heroes})
    check = foundry("check", "--format", "json", "--project", str(root))
    line = quest[:quest.index("{% block main %}")].count("\n") + 2
    assert located(check) == [f"HF0703 {rel.format('quest')}:{line}"], check.stdout


def test_a_theme_file_nested_too_deep_for_the_build_to_write_is_refused_at_it(project_factory):
    """A pull request's theme file nested so deep that it checks out (its path under
    PATH_MAX) while the build, writing it ~25 bytes deeper in its staging folder
    (`.foundry-staging-<pid>-<hex>/site/assets/` for `themes/default/static/`), cannot:
    check was clean and the build stopped with HF0714 "File name too long" at
    build/site/assets/…, no file of the project named, and a hint about disk space."""
    import os
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check as check_in_process
    root = project_factory()
    static = root / "themes/default/static"
    static.mkdir(parents=True)
    limit = os.pathconf(root, "PC_PATH_MAX") - 1
    left = limit - 5 - len(os.fsencode(static))   # the source's whole path 5 bytes under the limit
    folder, names = os.open(static, os.O_RDONLY), []
    while left > 250:   # folders of 200 bytes (NAME_MAX is 255), made by descriptor: no path is that long
        os.mkdir("d" * 200, dir_fd=folder)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder, left = inner, left - 201
        names.append("d" * 200)
    name = "f" * (left - 1 - len(".css")) + ".css"
    os.close(os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder))
    os.close(folder)
    rel = "/".join(["themes/default/static", *names, name])
    assert len(os.fsencode(root / rel)) == limit - 5
    diags = Diagnostics()
    check_in_process(root, diags)
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0722", rel)], diags.errors
    assert "shorter names" in diags.errors[0].hint


def test_a_theme_root_file_nested_too_deep_for_the_build_to_write_is_refused_at_it(project_factory):
    """The same for a file of the theme's root/ (published at build/site/<path>, ~30
    bytes deeper in a staging folder than `themes/<name>/root/<path>`): check was clean
    and the build stopped with HF0714 "File name too long", naming no file of the project."""
    import os
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check as check_in_process
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "coast"'),
                      encoding="utf-8")
    base = root / "themes/coast/root"
    base.mkdir(parents=True)
    limit = os.pathconf(root, "PC_PATH_MAX") - 1
    left = limit - 5 - len(os.fsencode(base))
    folder, names = os.open(base, os.O_RDONLY), []
    while left > 250:   # made by descriptor, as above
        os.mkdir("d" * 200, dir_fd=folder)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder, left = inner, left - 201
        names.append("d" * 200)
    name = "f" * (left - 1 - len(".txt")) + ".txt"
    os.close(os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder))
    os.close(folder)
    rel = "/".join(["themes/coast/root", *names, name])
    diags = Diagnostics()
    check_in_process(root, diags)
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0722", rel)], diags.errors
    assert "theme's root/ shorter names" in diags.errors[0].hint


def test_a_prose_link_is_checked_from_each_languages_page_too(project_factory):
    """With `[l10n] languages`, the same prose (translated with its link targets kept,
    or in the base language) is shown on each language's page too, one folder deeper
    (site/de/heroes/first-hero.html). A link that lands from the English page may not
    from there: `../de/heroes/first-hero.html` ("auf Deutsch") reads as site/de/de/…,
    the JSON data as site/de/api/…. Check was clean and every build with the site
    stopped with HF0701 at build/site/de/…, naming no content file; both now say it
    at the link. A link to a page every language has (the credits) lands from each."""
    root = project_factory()
    hero_prose(root, "where [the fog](../credits.html) decides, [auf Deutsch](../de/heroes/first-hero.html).")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace(
        "summary: Cross the marsh before the bell tolls.",
        "summary: Cross the marsh ([its data](../api/v1/quests/first-quest.json))."), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de"]\n')
    check = foundry("check", "--format", "json", "--project", str(root))
    build = foundry("build", "--only", "json,html", "--format", "json", "--project", str(root))
    assert check.code == build.code == 1, check.stdout
    expected = ["HF0721 content/heroes/first-hero.yaml:12", "HF0721 content/quests/first-quest.yaml:4"]
    assert located(check, "HF07") == located(build, "HF07") == expected, build.stdout
    said = {d["file"]: d for d in check.json()["diagnostics"] if d["code"] == "HF0721"}
    assert "site/de/de/heroes/first-hero.html" in said["content/heroes/first-hero.yaml"]["message"]
    assert "site/de/api/v1/quests/first-quest.json" in said["content/quests/first-quest.yaml"]["message"]
    assert "every language" in said["content/heroes/first-hero.yaml"]["hint"]
    assert not (root / "build").exists()
