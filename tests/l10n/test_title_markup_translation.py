"""A name, title, objective, scene heading or choice is inline Markdown, and so is its
translation (resolve/localized.py `_title`). The translator must be given it as written:
`l10n extract` gave its plain text (a rule book's labels too), so a translator (or a tool pre-filling msgstr with
msgid, as Poedit and Weblate offer) who kept `&amp;` or `\\*` from it lost a character
when the translation was read as Markdown, and never saw the emphasis to keep.

And the JSON string tables carry these lines as plain text (as heroes.json's `name`
does): a translated title went out as raw Markdown (`Durch den *Nebel*`).

Real command line, a real PO file edited with polib, the built JSON and site read back."""

from __future__ import annotations

import json

import polib
from lxml import html as lxml_html

from support import foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
QUEST = """title: "Through the *Fog*"
status: draft
summary: Cross the marsh before the bell tolls.
giver: old-guide
objectives:
  - {id: cross, text: "Reach the *far* bank &amp;amp; `now`", done_when: crossed}
rewards: {xp: 50}
"""
# what a reader sees of each, in English
PLAIN = {"quest.first-quest.title": "Through the Fog",
         "quest.first-quest.objective.cross": "Reach the far bank &amp; now",
         "story.first-story.choice.road--wait": "Wait for the *fog* to lift",
         "story.first-story.scene.road": "The Fog Road",
         "rules.skill.tracking.name": "Tracking &amp;"}
WRITTEN = {"quest.first-quest.title": "Through the *Fog*",
           "quest.first-quest.objective.cross": "Reach the *far* bank &amp;amp; `now`",
           "story.first-story.choice.road--wait": r"Wait for the \*fog\* to _lift_",
           # a choice's plain text has the prose's typography ('s → ’s): it was given as
           # 'Follow Rook’s tracks &amp; alone', and the copy lost the '&amp;' shown
           "story.first-story.choice.road--tracks": "Follow *Rook's* tracks &amp;amp; alone",
           "story.first-story.scene.road": "The Fog *Road*",
           "rules.skill.tracking.name": "*Tracking* &amp;amp;"}

# translations that are the English title's plain text, Markdown as written (its source escapes the stars)
SHOWN_AS_MARKUP = {"story.first-story.scene.tracks": "Tracks in the *Mud*", "story.first-story.title": "The Fog Road *2*"}

NOTE = "hero.first-hero.relationship.old-guide.mentor.note"

PO_FILES = ("content/quests/first-quest.yaml.po", "content/stories/first-story.md.po", "schemas/skills.yaml.po")


def _project(project_factory):
    root = project_factory({"content/quests/first-quest.yaml": QUEST})
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text().replace("name: Tracking,", 'name: "*Tracking* &amp;amp;",'))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("[Wait for the fog to lift]", r"[Wait for the \*fog\* to _lift_]")
                     .replace("[Follow the tracks alone]", "[Follow *Rook's* tracks &amp;amp; alone]")
                     .replace("## The Fog Road {#road}", "## The Fog *Road* {#road}")
                     .replace("title: The Fog Road", r"title: The Fog Road \*2\*")
                     .replace("## Tracks in the Mud {#tracks}", r"## Tracks in the \*Mud\* {#tracks}"))
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("{with: old-guide, kind: mentor}",
                                             '{with: old-guide, kind: mentor, note: "Taught her the *fog* paths."}'))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\noutputs = ["json", "html"]\n')
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    return root


def _entries(root) -> dict[str, polib.POEntry]:
    out = {}
    for name in PO_FILES:
        out |= {e.msgctxt: e for e in polib.pofile(str(root / "translations/de" / name))}
    return out


def test_extract_gives_the_translator_each_title_as_written(project_factory):
    entries = _entries(_project(project_factory))
    assert {k: entries[k].msgid for k in WRITTEN} == WRITTEN


def test_a_translation_copied_from_its_source_shows_what_the_source_shows(project_factory):
    root = _project(project_factory)
    for name in PO_FILES:
        po = polib.pofile(str(root / "translations/de" / name))
        for entry in po:                        # a tool's "copy source", then reviewed
            entry.msgstr = SHOWN_AS_MARKUP.get(entry.msgctxt) or (
                "Durch den *Nebel*" if entry.msgctxt == "quest.first-quest.title" else entry.msgid)
        po.save()
    # a note translated as its plain words, the emphasis left out: the translator's choice
    po = polib.pofile(str(root / "translations/de/content/heroes/first-hero.yaml.po"))
    po.find(NOTE, by="msgctxt").msgstr = "Taught her the fog paths."
    po.save()
    run = foundry("build", "--project", str(root), "--only", "json,html", env=EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    build = root / "build"
    tables = {lang: {row["id"]: row["text"] for row in
                     json.loads((build / f"api/v1/strings/{lang}.json").read_text())["strings"]}
              for lang in ("en", "de")}
    assert {k: tables["en"][k] for k in PLAIN} == PLAIN
    assert {k: tables["de"][k] for k in PLAIN} == PLAIN | {"quest.first-quest.title": "Durch den Nebel"}
    # (a translated choice is read as the story reads its source: the prose's typography)
    assert tables["en"]["story.first-story.choice.road--tracks"] == "Follow Rook’s tracks &amp; alone"
    assert tables["de"]["story.first-story.choice.road--tracks"] == "Follow Rook’s tracks &amp; alone"
    for lang in ("", "de/"):
        quest = lxml_html.fromstring((build / f"site/{lang}quests/first-quest.html").read_bytes())
        assert "Reach the far bank &amp; now" in quest.text_content()
        assert quest.xpath("//em[normalize-space()='far']"), lang
        story = lxml_html.fromstring((build / f"site/{lang}stories/first-story.html").read_bytes())
        assert "Wait for the *fog* to lift" in " ".join(story.text_content().split()), lang
        assert story.xpath("//h2/em[normalize-space()='Road']"), lang
    # A translation that happens to spell the source's plain text (`*Mud*`, the source
    # `\*Mud\*`) is Markdown as every translated title is: the German heading and
    # title showed the stars (taken for the line left untranslated), the table did not.
    assert {k: tables["de"][k] for k in SHOWN_AS_MARKUP} == {"story.first-story.scene.tracks": "Tracks in the Mud",
                                                              "story.first-story.title": "The Fog Road 2"}
    german = lxml_html.fromstring((build / "site/de/stories/first-story.html").read_bytes())
    assert german.xpath("//h2/em[normalize-space()='Mud']") and german.xpath("//h1/em[normalize-space()='2']")
    assert "*" not in german.findtext(".//title") and "*" not in "".join(german.xpath("//h2//text()"))
    english = lxml_html.fromstring((build / "site/stories/first-story.html").read_bytes())
    assert "Tracks in the *Mud*" in " ".join(english.xpath("//h2//text()"))   # the source asked for the stars
    # the same for a relationship's note: the German pages kept the English note's <em>
    for page in ("relationships.html", "characters/old-guide.html"):
        notes = lxml_html.fromstring((build / "site/de" / page).read_bytes()).xpath(
            '//*[contains(@class, "relation-note")] | //table[contains(@class, "relations-table")]//td[3][normalize-space()]')
        assert [" ".join(n.text_content().split()) for n in notes] == ["Taught her the fog paths."], page
        assert not notes[0].xpath(".//em"), page
    english = lxml_html.fromstring((build / "site/relationships.html").read_bytes())
    assert english.xpath('//table[contains(@class, "relations-table")]//td[3]/em[.="fog"]')
