"""A link in prose with no words (`[](https://…)`): the site drew an empty <a> no
reader can see or follow, and every text output showed nothing of it, with check
clean. HF0175 (a warning) at the link, in a story and in a YAML prose field."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from support import diagnostics, foundry, german_po, with_background

STORY = """\
---
title: Chart
start: road
---

## The Road {#road}

The harbour is on [](https://example.com/map) the old chart,
and on [ ](https://example.com/sea) the new one, by [the pier](https://example.com/pier).

- [Walk on](#bank)

## The Far Bank {#bank .ending}

Dry ground.
"""


def test_a_link_with_no_words_is_said_at_the_link(project_factory):
    root = project_factory({"content/stories/chart.md": STORY})
    line = with_background(root, "Rook keeps a [](https://example.com/log) log.\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0175"))
    assert found == [f"HF0175 content/heroes/first-hero.yaml:{line}:16",
                     "HF0175 content/stories/chart.md:8:19", "HF0175 content/stories/chart.md:9:8"], found

    # what it says is so: the site's links there have no words to see, the pier's has
    build = foundry("build", "--project", str(root), "--only", "html,json")
    assert build.code == 0, build.stderr
    page = lxml_html.parse(str(root / "build/site/stories/chart.html")).getroot()
    prose = page.xpath('//section[@data-scene="road"]//div[@class="prose"]//a[@href]')
    words = {a.get("href"): a.text_content().strip() for a in prose}
    assert words == {"https://example.com/map": "", "https://example.com/sea": "",
                     "https://example.com/pier": "the pier"}, words
    text = json.loads((root / "build/api/v1/stories/chart.json").read_text(encoding="utf-8"))["story"]["scenes"][0]["text"]
    assert "example.com/map" not in text and "the pier" in text


def test_a_translation_adding_a_link_with_no_words_is_said_at_it(project_factory):
    """A translated paragraph is shown as its source is: `Siehe [](https://…) Karte.`
    drew the same empty <a> in the German site, said of a source and not of a
    translation. HF0175 at the link in the translation file; a translation of a
    source that has one is not said twice (the source's is the slip)."""
    import polib

    root = project_factory({"content/stories/chart.md": STORY})
    path = german_po(root, "content/stories/chart.md")
    po = polib.pofile(str(path))
    wanted = {"Dry ground.": "Trockener Boden, [](https://example.com/boden) siehe.",
              "Walk on": "Weiter"}
    for entry in po:
        entry.msgstr = wanted.get(entry.msgid, entry.msgstr)
        if entry.msgid.startswith("The harbour is on"):
            entry.msgstr = "Der Hafen [](https://example.com/map) auf der Karte."
    po.save(str(path))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith('msgstr "Trockener Boden'))
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0175"))
    assert found == ["HF0175 content/stories/chart.md:8:19", "HF0175 content/stories/chart.md:9:8",
                     f"HF0175 translations/de/content/stories/chart.md.po:{line}:26"], found
