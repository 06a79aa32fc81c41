"""An effect reads the playing hero's skills as a condition does: for a hero with
Tracking, `do="sharp = has_skill('tracking')"` makes `sharp` true in `foundry check`'s
analysis, `foundry play` and the site's player, as it always was in the ink and Twee
exports (whose hero is fixed: `CONST skill_tracking = true`). The machine and the
browser player applied effects with no skills at all: the story's ending behind
`if="sharp"` was "never reached" (HF0509), the build stopped, and a playthrough took
the other way."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from site_support import SOURCE_DATE_EPOCH
from support import foundry

STORY = """---
title: The Fog Road
status: draft
start: road
protagonist: first-hero
variables:
  sharp: false
---

## The Fog Road {#road}

The fog comes in.

- [Look closely](#look){do="sharp = has_skill('tracking')"}

## Look {#look}

You look.

- [Follow the sharp-eyed way](#bank){if="sharp"}
- [Wait](#wait)

## Waiting {#wait .ending}

The fog never lifts.

## The Far Bank {#bank .ending}

Dry ground at last.
"""


def test_an_effect_reads_the_heros_skills_in_check_play_and_the_browser(tmp_path, page):
    root = tmp_path / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    (root / "content" / "stories" / "first-story.md").write_text(STORY, encoding="utf-8")
    run = foundry("build", "--only", "html,ink", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    assert "CONST skill_tracking = true" in (root / "build/ink/first-story.ink").read_text(encoding="utf-8")

    played = foundry("play", "first-story", "--choose", "1,1", "--json", "--project", str(root))
    assert played.code == 0, played.stdout + played.stderr
    assert json.loads(played.stdout)["ending"] == "bank"

    # the site conftest's page: a script error on it fails the test
    page.goto((root / "build/site/stories/first-story.html").as_uri())
    page.locator('li.choice[data-choice="road--look"] a').click()
    expect(page.locator('section.scene[data-scene="look"] li.choice[data-choice="look--bank"]')).to_be_visible()
    expect(page.locator('.player-state dd[data-var="sharp"]')).to_have_text("true")
    page.locator('li.choice[data-choice="look--bank"] a').click()
    expect(page.locator('section.scene[data-scene="bank"]')).to_be_visible()
