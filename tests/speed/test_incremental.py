"""Incremental builds: what an edit re-renders is exactly what read the edited file."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

import engine_steps
from engine_steps import output_bytes
from support import REPO, built_once

OUTPUTS = ["json"]


def copy_sample(root):
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    return root


def built_sample(tmp_path_factory) -> tuple[Path, list[str]]:
    """(the sample built clean with the JSON API and the site in one process, the keys of
    the list rows that build made): built once per test run and shared by the workers
    (support.built_once), for the tests of several files that compare with it or read
    its state. Only read: a test that edits copies it."""
    def make(folder: Path) -> None:
        root = copy_sample(folder / "world")
        report = engine_steps.run(root, ["json", "html"], workers=1)
        (folder / "fragments.json").write_text(json.dumps(report.fragments))

    folder = built_once(tmp_path_factory, "sample-json-html", make)
    return folder / "world", json.loads((folder / "fragments.json").read_text())


@pytest.fixture
def unbuilt(tmp_path):
    """The sample, never built: for tests about what a first build does or makes."""
    return copy_sample(tmp_path / "world")


@pytest.fixture(scope="module")
def first_builds(tmp_path_factory):
    """(the sample, the report of its first JSON build, of its second): made once per
    module and only read; `world` copies it."""
    root = copy_sample(tmp_path_factory.mktemp("incremental") / "world")
    return root, run(root), run(root)


@pytest.fixture(scope="module")
def built_json(first_builds):
    return first_builds[0]


@pytest.fixture
def site_world(tmp_path_factory, tmp_path):
    """A copy of its own (build/ and caches included) of the sample after its first
    JSON and site build (`built_sample`, shared with other files), for a test to edit."""
    root = tmp_path / "world"
    shutil.copytree(built_sample(tmp_path_factory)[0], root, symlinks=True)
    return root


@pytest.fixture
def world(built_json, tmp_path):
    """The sample after a JSON build, a copy of its own (build/ and caches included):
    the sample's first build is made once per module, not once per test. A test edits
    its copy; its first `run` is then a no-op build, as on any built checkout."""
    root = tmp_path / "world"
    shutil.copytree(built_json, root, symlinks=True)
    return root


def run(root, outputs=OUTPUTS, workers=1):
    """A build of this module's outputs (JSON only unless asked)."""
    return engine_steps.run(root, outputs, workers)


def test_second_build_renders_nothing(first_builds):
    _, first, second = first_builds
    assert first.written and not first.reused
    assert second.written == []
    assert sorted(second.reused) == sorted(first.written)


def test_editing_one_hero_rerenders_exactly_what_read_it(world):
    run(world)
    hero = world / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("Reed-Village Scout", "Scout of the Reeds"))
    report = run(world)
    api = ["api/v1/bundle.json", "api/v1/heroes.json", "api/v1/heroes/aria.json", "api/v1/manifest.json",
           # aria may play the Sunken Keep: its analysis and statistics read her sheet
           "api/v1/stories.json", "api/v1/stories/the-sunken-keep.json",
           # her title is a translatable line: every string table holds it (base, pseudo-locale,
           # German, whose translation of it is now stale, and Arabic, which falls back to it)
           "api/v1/strings/ar.json", "api/v1/strings/de.json", "api/v1/strings/en-XA.json", "api/v1/strings/en.json"]
    # …and the same files published inside the site (build/site/api/v1/)
    assert sorted(report.written) == sorted(api + [f"site/{p}" for p in api])


def test_lists_rerender_only_the_rows_an_edit_reaches(first_builds, world, tmp_path):
    """bundle.json and the indexes are spliced from one fragment per row: after a hero
    edit only her rows (and the story she plays, whose analysis read her sheet) are made
    again, the rest come from the memo, and the bytes equal a clean build's."""
    _, first, _ = first_builds   # world is a copy of that build
    assert "row:hero:bram" in first.fragments and "manifest:story:the-sunken-keep" in first.fragments
    hero = world / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("Reed-Village Scout", "Scout of the Reeds"))
    second = run(world)
    assert sorted(set(second.fragments)) == ["manifest:hero:aria", "row:hero:aria", "row:story:the-sunken-keep"]
    fresh = tmp_path / "fresh"
    shutil.copytree(world, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(fresh)
    assert output_bytes(fresh) == output_bytes(world)


def test_a_forged_fragment_is_never_spliced_in(world):
    """The memo sits in the checkout: a row a pull request wrote into it (without this
    user's seal) is not used, the list is rendered from the content."""
    import sqlite3
    run(world)
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("UPDATE fragments SET payload = replace(payload, 'Aria', 'Forged')")
    db.commit()
    db.close()
    (world / "build").rename(world / "old-build")   # every artifact must be rendered again
    report = run(world)
    assert "row:hero:aria" in report.fragments
    assert b"Forged" not in (world / "build/api/v1/bundle.json").read_bytes()


def test_touching_a_file_without_changing_it_rerenders_nothing(world):
    run(world)
    (world / "content/heroes/aria.yaml").touch()
    assert run(world).written == []


def test_an_edit_is_seen_even_when_the_files_mtime_is_put_back(world):
    """Input hashes are remembered by each file's stat: a same-size edit whose mtime is
    then restored (touch -r, rsync -t) must still count as a change."""
    hero = world / "content/heroes/aria.yaml"
    before = hero.stat()
    os.utime(hero, ns=(before.st_atime_ns, before.st_mtime_ns - 10_000_000_000))  # old enough to be remembered
    run(world)
    assert run(world).written == []  # the remembered hashes give a no-op
    old = hero.stat()
    text = hero.read_text()
    assert "Reed-Village Scout" in text
    hero.write_text(text.replace("Reed-Village Scout", "Reed-Village Scoot", 1))
    os.utime(hero, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert hero.stat().st_size == old.st_size and hero.stat().st_mtime_ns == old.st_mtime_ns
    assert "api/v1/heroes/aria.json" in run(world).written


def test_editing_a_template_rerenders_the_heroes_built_on_it(world):
    run(world)
    template = world / "content/templates/heroes/lampwright.yaml"
    text = template.read_text()
    # a comment changes the file, not the value: nothing built on it is rendered again (early cutoff)
    template.write_text(text + "\n# a comment changes the file, not the data\n")
    assert not [p for p in run(world).written if p.startswith("api/v1/heroes/")]
    assert "Keepers trained" in text
    template.write_text(text.replace("Keepers trained", "Keepers schooled", 1))
    written = set(run(world).written)
    users = {"wen", "oriel"}  # the heroes whose template chain includes lampwright
    assert {f"api/v1/heroes/{h}.json" for h in users} <= written
    heroes = {p.removeprefix("api/v1/heroes/").removesuffix(".json") for p in written if p.startswith("api/v1/heroes/")}
    assert heroes == users


def test_a_new_hero_appears_and_a_removed_one_is_pruned(world):
    run(world)
    gull = world / "content/heroes/gull.yaml"
    gull.write_text("name: Gull\nstatus: published\nxp: 0\n")
    added = run(world)
    assert "api/v1/heroes/gull.json" in added.written
    assert "api/v1/heroes.json" in added.written  # the index lists which heroes exist
    gull.unlink()
    removed = run(world)
    assert removed.removed == ["api/v1/heroes/gull.json", "site/api/v1/heroes/gull.json"]
    assert not (world / "build/api/v1/heroes/gull.json").exists()


def test_incremental_result_equals_a_clean_build(site_world, tmp_path):
    """If a render's recorded reads missed an input, a reused artifact would be stale:
    after a series of edits, the incremental build must equal a fresh one byte for byte."""
    world = site_world   # the sample after its first JSON and site build
    edits = [
        ("content/heroes/bram.yaml", "xp: 1120", "xp: 1400"),
        ("schemas/attributes.yaml", "base: 22", "base: 24"),
        ("content/quests/lost-lantern.yaml", "title:", "title: Renamed —"),
        ("content/characters/tomas.yaml", "name:", "name: Old"),
        # Hesper joins the Sunken Keep: her page (and Tomas's, who leaves) must say so
        ("content/stories/the-sunken-keep.md", "characters: [aldous, tomas, dunnet]", "characters: [aldous, dunnet, hesper]"),
    ]
    assert run(world, ["json", "html"]).written == []
    for rel, old, new in edits:
        path = world / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
        run(world, ["json", "html"])
    incremental = output_bytes(world)
    fresh = tmp_path / "fresh"
    shutil.copytree(world, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(fresh, ["json", "html"])
    assert output_bytes(fresh) == incremental


def test_a_person_page_reads_only_the_stories_they_appear_in(site_world):
    story = site_world / "content/stories/the-lost-lantern.md"  # Ysolde, Hesper and Dunnet appear; Tomas does not
    story.write_text(story.read_text().replace("title:", "title: The Last", 1))
    written = set(run(site_world, ["json", "html"]).written)
    assert {"site/characters/ysolde.html", "site/characters/hesper.html", "site/characters/dunnet.html"} <= written
    assert "site/characters/tomas.html" not in written and "site/heroes/aria.html" not in written


def test_editing_a_theme_template_rerenders_the_pages_drawn_with_it(site_world):
    template = site_world / "themes/default/templates/quest.html"   # the project's copy wins over foundry's
    template.write_text(template.read_text().replace("{% block", "{% block", 1) + "{# edited #}\n")
    written = run(site_world, ["json", "html"]).written
    quests = sorted(p.name for p in (site_world / "content/quests").glob("*.yaml"))
    # the sample publishes its site in English, German and Arabic (foundry.toml [l10n])
    assert sorted(written) == sorted(f"site/{lang}quests/{q.removesuffix('.yaml')}.html"
                                     for q in quests for lang in ("", "de/", "ar/"))


def test_a_corrupt_build_state_means_a_full_rebuild(first_builds, world):
    _, first, _ = first_builds   # world is a copy of that build
    (world / "build/.foundry/state.json").write_text("{not json")
    again = run(world)
    assert sorted(again.written) == sorted(first.written)


@pytest.mark.parametrize("damaged", [".foundry-cache/file-hashes.json", "build/.foundry/summary.json"])
def test_a_damaged_hash_memo_or_summary_is_not_trusted(world, damaged):
    run(world)
    (world / damaged).write_text('{"content/heroes/aria.yaml": [1, 2, 3, 4, "0000"], "artifacts": 7}')
    hero = world / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("Reed-Village Scout", "Scout of the Reeds"))
    assert "api/v1/heroes/aria.json" in run(world).written
    assert run(world).written == []


def test_output_does_not_depend_on_the_number_of_workers(first_builds, unbuilt, monkeypatch):
    # The sample plans fewer jobs than a pool starts at (POOL_MIN_JOBS): lower the
    # threshold, so that two workers really fork, and prove they rendered: every
    # result carries the pid of its process, and the report counts the processes
    # other than the builder's. With multiprocessing broken (no fork, a pool that
    # never starts) the renders happen here and this count is 0.
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    built, alone, _ = first_builds   # the sample's first build in one worker
    pooled = run(unbuilt, workers=2)
    assert alone.counts["render_processes"] == 0
    assert pooled.counts["render_processes"] >= 1
    assert len(pooled.written) == len(alone.written) > 2
    assert output_bytes(unbuilt) == output_bytes(built)


def test_the_pool_threshold_can_be_lowered_only_to_a_number(monkeypatch):
    from pipeline.render.pool import POOL_MIN_JOBS, pool_min_jobs
    for value, expected in (("2", 2), ("0", 2), ("", POOL_MIN_JOBS), ("many", POOL_MIN_JOBS), ("-5", POOL_MIN_JOBS)):
        monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", value)
        assert pool_min_jobs() == expected


# --- the html lists: home, the four indexes and search, spliced from fragments ---------------

SMALL_L10N = """
[l10n]
languages = ["de", "en-XA"]
build_pseudo = true
outputs = ["html"]
"""


@pytest.fixture
def small(project_factory):
    """The minimal world with a second hero who is in no story, quest or relationship,
    published in English, German (untranslated: it falls back to English) and the
    pseudo-locale (every name is changed), as a site only."""
    root = project_factory({"content/heroes/wren.yaml": "name: Wren Hale\ntitle: Reed Cutter\nstatus: draft\n"
                                                        "xp: 0\nbackground: Cuts reeds for the thatchers.\n"})
    config = root / "foundry.toml"
    config.write_text(config.read_text() + SMALL_L10N)
    return root


def test_one_hero_edit_remakes_her_cards_and_search_entries_in_each_language(small, tmp_path):
    """The home page, the heroes index and the search page list every hero: after one
    hero edit they are drawn again, but from the memo's drawn cards but hers. Her cards
    (drawn by the theme's macro, exporters/html/cards.py) and her search entry (the
    search index's JSON) are made again once per page and language, keyed by them, and
    the site equals a clean build's byte for byte."""
    first = run(small, ["html"])
    assert {'en/drawn:site/heroes/index.html:person_card["h2"]:card:hero:first-hero',
            "de/drawn:site/de/index.html:person_card[]:card:hero:wren",
            "en-XA/drawn:site/en-XA/search.html:search_result[]:search:story:first-story",
            "en-XA/search:story:first-story"} <= set(first.fragments)
    hero = small / "content/heroes/wren.yaml"
    hero.write_text(hero.read_text().replace("Reed Cutter", "Thatcher's Hand"))
    second = run(small, ["html"])
    drawn = [f"{lang}/drawn:site/{folder}{page}:{call}:hero:wren"
             for lang, folder in (("en", ""), ("de", "de/"), ("en-XA", "en-XA/"))
             for page, call in (("index.html", "person_card[]:card"), ("heroes/index.html", 'person_card["h2"]:card'),
                                ("search.html", "search_result[]:search"), ("credits.html", "credit_row[]:credit"))]
    rows = [f"{lang}/{what}:hero:wren" for lang in ("en", "de", "en-XA") for what in ("card", "search", "credit")]
    assert sorted(set(second.fragments)) == sorted(drawn + rows)
    # her page and the lists, and the credits, which name everyone; not the pages that
    # show her nowhere (the relationships page: she has none; the 404 page), whose
    # footer's version is one input made by the plan (exporter._list_versions), not a
    # read of every entity's history
    pages = [f"site/{lang}{page}" for lang in ("", "de/", "en-XA/")
             for page in ("index.html", "heroes/index.html", "heroes/wren.html", "search.html", "credits.html")]
    assert sorted(second.written) == sorted(pages)
    fresh = tmp_path / "fresh"
    shutil.copytree(small, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(fresh, ["html"])
    assert output_bytes(fresh) == output_bytes(small)


def test_a_list_in_each_language_shows_that_languages_cards(small):
    """Cards are kept per language: the pseudo-locale's index must not reuse the English
    cards (same hero, same key otherwise), and an edit reaches every language's list."""
    from lxml import html as lxml_html
    run(small, ["html"])

    def names(page: str) -> list[str]:
        tree = lxml_html.fromstring((small / "build" / page).read_bytes())
        return [" ".join(h.text_content().split()) for h in tree.xpath("//main//h2")]

    english, pseudo = names("site/heroes/index.html"), names("site/en-XA/heroes/index.html")
    assert "Wren Hale" in english and "Wren Hale" not in pseudo and len(pseudo) == len(english) == 2
    hero = small / "content/heroes/wren.yaml"
    hero.write_text(hero.read_text().replace("Wren Hale", "Wren Marsh"))
    run(small, ["html"])
    assert "Wren Marsh" in names("site/heroes/index.html") and "Wren Marsh" in names("site/de/heroes/index.html")
    assert names("site/en-XA/heroes/index.html") != pseudo
    search = lxml_html.fromstring((small / "build/site/search.html").read_bytes())
    assert "Wren Marsh" in search.xpath("string(//script[@id='search-index'])")


def test_the_sitemap_of_a_site_in_many_languages_follows_a_hero_added_and_removed(small):
    """A multilingual site's sitemap lists every page in every language from the plan;
    it must read which entities exist as the one-language sitemap does: a hero added
    (or a draft published by a release build) was left out of it, a removed one kept."""
    config = small / "foundry.toml"   # a sitemap is made only under a full address
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "default"\nbase_url = "https://ex.example/"'))
    run(small, ["html"])
    heroes = small / "content/heroes"

    def listed() -> set[str]:
        text = (small / "build/site/sitemap.xml").read_text()
        return {loc for loc in re.findall(r"<loc>([^<]*)</loc>", text) if loc.endswith("/heroes/mara.html")}
    (heroes / "mara.yaml").write_text("name: Mara Fenn\ntitle: Eel Catcher\nxp: 0\n")
    run(small, ["html"])
    # English and German; the pseudo-locale's pages are never announced to search engines
    assert listed() == {"https://ex.example/heroes/mara.html", "https://ex.example/de/heroes/mara.html"}
    (heroes / "mara.yaml").unlink()
    run(small, ["html"])
    assert listed() == set()


def test_another_source_date_epoch_is_not_a_no_op(project_factory):
    """The books embed SOURCE_DATE_EPOCH: with nothing else changed, a build with
    another epoch makes them again (it was answered "0 written" from the summary, and
    the EPUB kept the earlier date)."""
    import zipfile
    from support import foundry
    root = project_factory()
    for epoch in ("1700000000", "1800000000"):
        run = foundry("build", "--project", str(root), "--only", "epub", env={"SOURCE_DATE_EPOCH": epoch})
        assert run.code == 0, run.stderr
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:
        assert {info.date_time[0] for info in book.infolist()} == {2027}   # 1800000000 is 2027-01-15
    again = foundry("build", "--project", str(root), "--only", "epub", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert "0 written" in again.stderr + again.stdout   # the same epoch again: a no-op
