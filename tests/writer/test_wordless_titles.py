"""A name, title or scene heading whose inline Markdown shows no words: an image in a
title is dropped (HF0123, "nothing is shown for it"), so `name: "![](rook.png)"` left
nothing to read. A YAML name or a story's title then fell back to the characters typed
— every output published `![](rook.png)` as the hero's name, the raw markup — and a
scene heading was published empty (an empty <h2>, `# title: ` in ink) where an empty
`## {#gate}` is refused (HF0538). Both were warnings only. Now an error at the field
(HF0173), and HF0538 at the heading."""

from __future__ import annotations

import re

from support import diagnostics, foundry, translate_lines


def test_a_title_that_shows_no_words_is_refused_where_it_is_written(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(re.sub(r"(?m)^name: .*$", 'name: "![](rook.png)"', hero.read_text(encoding="utf-8")),
                    encoding="utf-8")
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", 'title: "[](https://example.com)"', text, count=1)
    text = text.replace("## The Lantern Path {#lantern}", "## ![](lamp.png) {#lantern}")
    story.write_text(text, encoding="utf-8")
    rules = root / "schemas/skills.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("{name: Tracking,", '{name: "![](t.png)",'),
                     encoding="utf-8")
    heading = text.splitlines().index("## ![](lamp.png) {#lantern}") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout
    found = diagnostics(run)
    assert "HF0173 content/heroes/first-hero.yaml:2:8" in found, found
    assert "HF0173 content/stories/first-story.md:2:9" in found, found
    assert "HF0173 schemas/skills.yaml:2:21" in found, found
    assert f"HF0538 content/stories/first-story.md:{heading}:1" in found, found
    assert foundry("build", "--project", str(root), "--only", "json").code == 1


def test_a_title_with_words_beside_its_image_is_published_as_before(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(re.sub(r"(?m)^name: .*$", 'name: "Rook ![](rook.png) *Amsel*"', hero.read_text(encoding="utf-8")),
                    encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith(("HF0173", "HF0538"))]


def test_a_translated_name_or_heading_that_shows_no_words_is_refused(project_factory):
    """The same in a translation: a German name `![](rook.png)` was published as the
    characters typed — the hero's German page titled `![](rook.png)` — where a choice
    translated to nothing is refused (HF1108). HF1108 now for every name, title and
    heading."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["de"]\n', encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    wanted = {"hero.first-hero.name": "![](rook.png)", "story.first-story.scene.lantern": "[](https://example.com)",
              "hero.first-hero.title": "Späher *vom* Moor"}
    translate_lines(root / "translations/de", wanted)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout
    said = sorted(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1108")
    assert said == ["de: the name or title 'hero.first-hero.name' translates to no visible text",
                    "de: the name or title 'story.first-story.scene.lantern' translates to no visible text"], said


def test_a_world_title_or_author_that_shows_no_words_is_refused(project_factory):
    """foundry.toml's title, description and authors are inline Markdown's plain text
    in every output; one leaving no words (`title = "![](logo.png)"`) kept the
    characters typed, on every page's <title>, the books' covers and the footer."""
    root = project_factory()
    config = root / "foundry.toml"
    text = re.sub(r'(?m)^title = .*$', 'title = "![](logo.png)"', config.read_text(encoding="utf-8"))
    text = re.sub(r'(?m)^authors = .*$', 'authors = ["Ann", "[](https://example.com)"]', text) \
        if re.search(r"(?m)^authors = ", text) else text.replace('title = "![](logo.png)"\n',
                                                                 'title = "![](logo.png)"\nauthors = ["Ann", "[](https://example.com)"]\n')
    config.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout
    said = sorted(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0173")
    assert said == ["this world's author shows no words: '[](https://example.com)' would be published as typed",
                    "this world's title shows no words: '![](logo.png)' would be published as typed"], said
