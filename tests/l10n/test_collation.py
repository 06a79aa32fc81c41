"""Lists sorted by name follow the page language's alphabet (l10n/collation.py), not
code points: "Élise" and "Åsa" were listed after "Zed" on every page."""

from __future__ import annotations

import json
import os
import tomllib
import zipfile

from lxml import etree, html as lxml_html
from packaging.markers import Marker
from packaging.requirements import Requirement

from support import REPO, foundry

# The orders CLDR's collation charts give (cldr.unicode.org, "Collation charts": root,
# and the da, sv tailorings; German's default is the root order): English and German
# file Å, É, Ö with their base letters; Swedish puts Å, Ä, Ö after Z (Ö as its own
# letter); Danish puts Æ, Ø (Ö sorted as Ø), Å after Z, and reads "Aa" as Å.
NAMES = {"zed": "Zed", "aasa": "Åsa", "elise": "Élise", "anna": "Anna", "odon": "Ödön", "oscar": "Oscar",
         "aaron": "Aaron"}
EXPECTED = {
    "": ["Aaron", "Anna", "Åsa", "Élise", "Ödön", "Oscar", "Zed"],
    "de/": ["Aaron", "Anna", "Åsa", "Élise", "Ödön", "Oscar", "Zed"],
    "sv/": ["Aaron", "Anna", "Élise", "Oscar", "Zed", "Åsa", "Ödön"],
    "da/": ["Anna", "Élise", "Oscar", "Zed", "Ödön", "Aaron", "Åsa"],
}


def _guards(project_factory, languages: str):
    root = project_factory({f"content/characters/{cid}.yaml": f"name: {name}\nrole: Guard\nstatus: draft\n"
                            "relationships:\n  - {with: old-guide, kind: rival}\n"
                            "background: |\n  A guard of the gate.\n" for cid, name in NAMES.items()})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = {languages}\n')
    return root


ROAD = "---\ntitle: {}\nstatus: draft\nstart: one\nquests: [first-quest]\n---\n\n## One {{#one .ending}}\n\nThe end.\n"
# A quest page's stories (the stories that list it, found in file order before): by title
ROADS = {"": ["Åsa's Road", "The Fog Road", "Zed's Road"], "de/": ["Åsa's Road", "The Fog Road", "Zed's Road"],
         "sv/": ["The Fog Road", "Zed's Road", "Åsa's Road"], "da/": ["The Fog Road", "Zed's Road", "Åsa's Road"]}


def test_lists_by_name_follow_the_page_languages_alphabet(project_factory):
    """The characters index, the search index (its A to Z order), the relationships
    table (by who writes each row: it was by id) and a quest's stories (in file order),
    per language."""
    root = _guards(project_factory, '["de", "sv", "da"]')
    for sid, title in (("a-asa", "Åsa's Road"), ("b-zed", "Zed's Road")):
        (root / f"content/stories/{sid}.md").write_text(ROAD.format(title), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    site = root / "build/site"
    for folder, expected in EXPECTED.items():
        index = lxml_html.parse(str(site / folder / "characters/index.html"))
        shown = [" ".join(h.text_content().split()) for h in index.xpath("//main//h2|//main//h3")]
        assert [name for name in shown if name in NAMES.values()] == expected, folder
        search = lxml_html.parse(str(site / folder / "search.html"))
        entries = json.loads(search.xpath("//script[@id='search-index']")[0].text)
        titles = [e["title"] for e in entries if e["title"] in NAMES.values()]
        assert titles == expected, folder
        table = lxml_html.parse(str(site / folder / "relationships.html"))
        writers = [" ".join(row.xpath("./*[1]")[0].text_content().split()) for row in table.xpath("//tbody/tr")]
        assert [name for name in writers if name in NAMES.values()] == expected, (folder, writers)
        quest = lxml_html.parse(str(site / folder / "quests/first-quest.html"))
        stories = [" ".join(a.text_content().split()) for a in quest.xpath("//main//a[contains(@href, 'stories/')]")]
        assert [t for t in stories if t in ROADS[""]] == ROADS[folder], (folder, stories)


def test_the_compendiums_contents_follow_the_books_alphabet(project_factory):
    """The compendium listed its characters by id: a Danish book's contents began with
    "Aaron" and "Åsa" (ids `aaron`, `aasa`), which Danish files after Z."""
    root = _guards(project_factory, '["da"]')
    run = foundry("build", "--only", "epub", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for folder in ("", "da/"):
        with zipfile.ZipFile(root / "build/epub" / folder / "compendium.epub") as epub:
            nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        listed = [" ".join("".join(a.itertext()).split()) for a in nav.iter("{http://www.w3.org/1999/xhtml}a")]
        assert [name for name in listed if name in NAMES.values()] == EXPECTED[folder], folder


def test_a_tags_collation_keywords_icu_refuses_are_said_and_the_build_sorts_without_them(project_factory):
    """`[l10n] languages = ["de-u-vt-0061"]` (valid BCP 47: a -u- keyword CLDR has
    deprecated) crashed every build with "internal error (ICUError)": ICU makes no
    collator for it. Now HF1158 at the tag, the pages sorted as the tag's language sorts
    them (Swedish: Å after Z), and the hint's tag, written, is quiet."""
    root = _guards(project_factory, '["sv-u-vt-0061"]')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1158"]
    assert [(d["file"], d["line"]) for d in said] == [("foundry.toml", 12)], said
    assert "'sv' sorts them" in said[0]["message"] and "Write 'sv'" in said[0]["hint"]
    index = lxml_html.parse(str(root / "build/site/sv-u-vt-0061/characters/index.html"))
    shown = [" ".join(h.text_content().split()) for h in index.xpath("//main//h2|//main//h3")]
    assert [name for name in shown if name in NAMES.values()] == EXPECTED["sv/"]
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("sv-u-vt-0061", "sv"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF1158"] == []


def test_without_icu_foundry_still_builds_lists_by_letters_without_accents(project_factory, tmp_path):
    """pyicu-wheels ships wheels only, none for Python 3.15 or a macOS before 15: there
    `pip install hero-foundry` found no distribution for it and foundry did not install.
    pyproject's marker leaves it out there; the build, without ICU, lists "Åsa" and
    "Élise" with the A's and E's (no language's tailoring) and does not crash."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    icu_req = next(Requirement(d) for d in declared if Requirement(d).name == "pyicu-wheels")
    marker = icu_req.marker or Marker("python_version >= '0'")
    linux = {"python_version": "3.12", "python_full_version": "3.12.8", "sys_platform": "linux",
             "platform_release": "6.8.0-45-generic", "platform_machine": "x86_64"}
    assert marker.evaluate(linux)
    assert not marker.evaluate({**linux, "python_version": "3.15", "python_full_version": "3.15.0"})
    assert not marker.evaluate({**linux, "sys_platform": "darwin", "platform_release": "23.6.0"})   # macOS 14
    assert marker.evaluate({**linux, "sys_platform": "darwin", "platform_release": "24.1.0"})

    hidden = tmp_path / "no-icu"
    (hidden / "icu").mkdir(parents=True)
    (hidden / "icu/__init__.py").write_text("raise ImportError('no wheel for this platform')\n", encoding="utf-8")
    root = _guards(project_factory, '["sv"]')
    run = foundry("build", "--only", "html", "--project", str(root),
                  env={"PYTHONPATH": f"{hidden}{os.pathsep}{REPO}"})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for folder in ("", "sv/"):
        index = lxml_html.parse(str(root / "build/site" / folder / "characters/index.html"))
        shown = [" ".join(h.text_content().split()) for h in index.xpath("//main//h2|//main//h3")]
        assert [name for name in shown if name in NAMES.values()] == EXPECTED[""], folder
