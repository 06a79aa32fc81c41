"""A rule with no `name:` is called by its id's words, capitalised (docs/rules.md), in
every output alike. Each output made its own label from the id: an attribute
`quick_wit` was 'Quick wit' on the site and in a gamebook's conditions, 'Quick_Wit'
in the JSON, 'Quick_wit' on a printed sheet and 'quick_wit' in `foundry hero`; a skill
`deep-tracking` was 'Deep tracking' on the site, 'Deep Tracking' in heroes.json and
'deep-tracking' in rules.json and `foundry hero`; a relationship kind 'Mentor' on the
site and 'mentor' in the JSON; a derived stat `max_hp` 'Max Hp'. One spelling now
(ids.id_words)."""

from __future__ import annotations

import json
import shutil
import subprocess

from lxml import html as lxml_html

from support import foundry, require_tool

RULES = {
    "schemas/attributes.yaml": """\
attributes:
  strength: {min: 1, max: 20, default: 8}
  agility: {min: 1, max: 20, default: 8}
  constitution: {min: 1, max: 20, default: 8}
  wits: {min: 1, max: 20, default: 8}
  quick_wit: {min: 1, max: 20, default: 9}
point_budget: {base: 16, per_level: 2}
derived:
  max_hp: {formula: "10 + constitution * 2 + level * 4"}
  defense: {formula: "10 + agility // 2"}
""",
    "schemas/skills.yaml": """\
skills:
  deep-tracking: {attribute: quick_wit}
  ambush: {attribute: agility, prerequisites: [deep-tracking], min_level: 2}
""",
    "schemas/relationships.yaml": """\
kinds:
  mentor: {inverse: apprentice}
  apprentice: {inverse: mentor}
""",
}


def test_a_rule_without_a_name_is_called_alike_in_every_output(project_factory):
    root = project_factory(RULES)
    scout = root / "content/templates/heroes/scout.yaml"
    scout.write_text(scout.read_text(encoding="utf-8").replace("[tracking]", "[deep-tracking]"), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert '{if="agility >= 12"}' in text
    story.write_text(text.replace('{if="agility >= 12"}', '{if="quick_wit >= 8 and max_hp > 3"}'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,pdf")
    assert run.code == 0, run.stdout + run.stderr

    api = root / "build/api/v1"
    rules = json.loads((api / "rules.json").read_text(encoding="utf-8"))["rules"]
    assert {a["id"]: a["name"] for a in rules["attributes"]}["quick_wit"] == "Quick wit"
    assert {d["id"]: d["name"] for d in rules["derived"]}["max_hp"] == "Max hp"
    assert {s["id"]: s["name"] for s in rules["skills"]}["deep-tracking"] == "Deep tracking"
    assert {k["id"]: k["name"] for k in rules["relationship_kinds"]}["mentor"] == "Mentor"
    hero = json.loads((api / "heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]
    assert {s["id"]: s["name"] for s in hero["skills"]}["deep-tracking"] == "Deep tracking"

    page = lxml_html.parse(str(root / "build/site/heroes/first-hero.html")).getroot()
    assert "Quick wit" in [n.text_content().strip() for n in page.xpath('//*[@class="attr-name"]')]
    assert "Deep tracking" in [h.text_content().strip() for h in page.xpath('//li[@class="skill"]/h3')]

    sheet = foundry("hero", "first-hero", "--project", str(root))
    assert sheet.code == 0, sheet.stderr
    lines = sheet.stdout.splitlines()
    assert "  Quick wit        9" in lines and "  Max hp          38" in lines, lines
    assert "Skills: Deep tracking, Ambush" in lines, lines
    said = json.loads(foundry("hero", "first-hero", "--project", str(root), "--format", "json").stdout)
    assert {a["id"]: a["name"] for a in said["attributes"]}["quick_wit"] == "Quick wit"

    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    printed = subprocess.run(["pdftotext", str(root / "build/pdf/heroes/first-hero.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "Quick wit" in printed and "Quick_wit" not in printed, printed
    book = " ".join(subprocess.run(["pdftotext", str(root / "build/pdf/stories/first-story.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert "If your Quick wit is at least 8 and your Max hp is more than 3" in book, book
