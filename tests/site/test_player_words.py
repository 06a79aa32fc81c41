"""The story player's state panel says its own words in the page's language: the items
row's label, "none" and the separator between items come from the theme's catalogs
(given to the page as data, as "Play again" is). They were typed into
story-player.js: an Arabic page's panel read "items: lantern, rope"."""

from __future__ import annotations

from playwright.sync_api import expect

from site_support import SOURCE_DATE_EPOCH
from support import foundry


def test_the_state_panel_speaks_the_pages_language(tmp_path, page):
    root = tmp_path / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ar"'), encoding="utf-8")
    with open(root / "content" / "heroes" / "first-hero.yaml", "a", encoding="utf-8") as hero:
        hero.write("items: [lantern, rope]\n")
    run = foundry("build", "--only", "html", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr

    # the site conftest's page: a script error on it fails the test
    page.goto((root / "build/site/stories/first-story.html").as_uri())
    page.locator(".player-state summary").click()
    row = page.locator(".player-state .state-body dl > div").last
    expect(row.locator("dt")).to_have_text("الأغراض")
    expect(row.locator("dd")).to_have_text("lantern، rope")
