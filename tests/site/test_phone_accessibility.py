"""Every page kind on a phone (360 px), checked by axe-core in Chromium: what scrolls
sideways inside its own box there (the story map, the relationship graph, the derived
stats and credits tables) can be reached and scrolled with the keyboard, and each
such box is a region named once, not a second landmark named like its section.

Before, axe found on a phone (tests/site/test_browser.py runs it at 1280 px only, where
nothing overflows): `scrollable-region-focusable` (serious) on every story's map and
the relationship graph — a keyboard reader could not scroll to the scenes on the
right — and `landmark-unique` on every hero page and the relationships page, where
the table's region and the section around it were both "Derived stats by level"."""

from __future__ import annotations

import pytest

from support import require_tool
from test_browser import AXE, STORY

PAGES = ["site/index.html", "site/heroes/index.html", "site/heroes/aria.html", "site/characters/aldous.html",
         f"site/stories/{STORY}.html", "site/stories/the-lost-lantern.html", "site/quests/index.html",
         "site/relationships.html", "site/credits.html", "site/search.html?q=bell", "site/de/heroes/aria.html",
         "site/ar/relationships.html"]
RULES = ("scrollable-region-focusable", "landmark-unique", "region", "aria-allowed-role", "nested-interactive")


@pytest.fixture(scope="module")
def phone(browser):
    require_tool(AXE.is_file(), "axe-core (npm ci at the repository root)")
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  reduced_motion="reduce")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_reader_meets_no_serious_violation(phone, served, path):
    assert phone.goto(served + path).ok, path
    phone.add_script_tag(path=str(AXE))
    result = phone.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
             for v in result["violations"] if v["impact"] in ("serious", "critical") or v["id"] in RULES]
    assert not found, "\n".join(found)

