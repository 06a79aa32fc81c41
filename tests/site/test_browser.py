"""The site in a real headless Chromium: pages open, search finds and leads on,
stories play to an ending exactly as `foundry play` does, no serious accessibility
violation, and stories still read and link with JavaScript off."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import deque

import pytest
from playwright.sync_api import expect

from pipeline.stories.machine import StoryMachine
from pipeline.resolve.world import players_for
from site_support import world_of
from support import REPO, foundry, require_tool

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
STORY = "the-sunken-keep"


@pytest.fixture(scope="session")
def world(site_project):
    return world_of(site_project)


def test_hero_page_opens_with_its_portrait(page, served, world):
    hero = world.heroes["aria"].model
    page.goto(served + "site/heroes/aria.html")
    expect(page).to_have_title(f"{hero.name} · {world.project.config.project.title}")
    portrait = page.get_by_role("img", name=f"Portrait of {hero.name}").first
    expect(portrait).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", portrait.element_handle())
    assert portrait.evaluate("img => img.currentSrc").endswith(".webp")
    expect(page.locator(".stats-table tr.current")).to_contain_text(str(world.sheets["aria"].level))


def test_search_finds_a_hero_and_leads_to_the_page(page, served, world):
    page.goto(served + "site/index.html")
    page.fill("#header-q", "aria")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/site/search.html?q=aria")
    first = page.locator("#search-results .result-title").first
    expect(first).to_have_text(world.heroes["aria"].model.name)
    expect(page.locator("#search-status")).to_contain_text("for “aria”")
    first.click()
    page.wait_for_url("**/site/heroes/aria.html")
    expect(page.locator("h1")).to_contain_text(world.heroes["aria"].model.name)
    # Prefix matching across kinds: a story found by the start of a word in its title.
    page.goto(served + "site/search.html?q=sunk")
    expect(page.locator("#search-results .result-title").first).to_have_text(
        world.stories[STORY].model.front.title)


def test_search_page_opened_without_a_query_searches_as_the_reader_types(page, served, world):
    """The index is read on the first query, not at load: before typing the page lists
    everything; the first words typed find, and a second query finds again."""
    page.goto(served + "site/search.html")
    expect(page.locator("#search-all")).to_be_visible()
    expect(page.locator("#search-results")).to_be_hidden()
    page.locator("#search-q").press_sequentially("aria")
    expect(page.locator("#search-results .result-title").first).to_have_text(world.heroes["aria"].model.name)
    expect(page.locator("#search-all")).to_be_hidden()
    page.fill("#search-q", "sunk")
    expect(page.locator("#search-results .result-title").first).to_have_text(world.stories[STORY].model.front.title)
    page.fill("#search-q", "")
    expect(page.locator("#search-all")).to_be_visible()


def longest_shortest_path(machine: StoryMachine) -> list[int]:
    """Option numbers of the shortest path to each ending; of those, the longest (the
    one that goes deepest into the story, and so through the most conditions)."""
    start = machine.start()
    paths, seen, queue = {}, {start}, deque([(start, [])])
    while queue:
        state, path = queue.popleft()
        if machine.is_ending(state):
            paths.setdefault(state.scene, path)
            continue
        for number, choice in enumerate(machine.options(state), 1):
            nxt = machine.take(state, choice)
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, path + [number]))
    return max(paths.values(), key=len)


def test_play_a_story_to_an_ending_as_foundry_play_does(page, served, site_project, world):
    story = world.stories[STORY].model
    numbers = longest_shortest_path(StoryMachine(story, players_for(story, world)[0]))
    run = foundry("play", STORY, "--choose", ",".join(map(str, numbers)), "--json", "--project", str(site_project))
    assert run.code == 0, run.stderr
    transcript = run.json()
    assert transcript["ending"] is not None

    page.goto(served + f"site/stories/{STORY}.html")
    hidden = 0
    for step in transcript["steps"]:
        scene = page.locator(f'section.scene[data-scene="{step["scene"]}"]')
        expect(scene).to_be_visible()
        expect(page.locator("section.scene:visible")).to_have_count(1)
        offered = scene.locator("li.choice:visible")
        assert offered.evaluate_all("els => els.map(e => e.dataset.choice)") == [o["id"] for o in step["options"]]
        everything = scene.locator("li.choice").count()
        hidden += everything - len(step["options"])
        if step["chosen"]:
            scene.locator(f'li.choice[data-choice="{step["chosen"]}"] a').click()
    # The ending: its text, "The end", and the story variables as foundry play left them.
    ending = page.locator(f'section.scene[data-scene="{transcript["ending"]}"]')
    expect(ending).to_be_visible()
    expect(ending).to_contain_text("The end")
    expect(ending).to_contain_text(transcript["steps"][-1]["text"].split("\n")[0][:60])
    shown = page.locator(".player-state dd[data-var]").evaluate_all(
        "els => Object.fromEntries(els.filter(e => e.dataset.var).map(e => [e.dataset.var, e.textContent]))")
    assert shown == {v["id"]: json.dumps(v["value"]) for v in transcript["variables"]}
    trail = page.locator(".trail li").evaluate_all("els => els.map(e => e.dataset.choice)")
    assert trail == [s["chosen"] for s in transcript["steps"] if s["chosen"]]
    assert hidden > 0, "the path should pass a choice whose condition is false for the protagonist"


def test_restart_and_another_hero(page, served, world):
    story = world.stories[STORY].model
    page.goto(served + f"site/stories/{STORY}.html")
    first = page.locator(f'section.scene[data-scene="{story.front.start}"] li.choice:visible a').first
    first.click()
    expect(page.locator(f'section.scene[data-scene="{story.front.start}"]')).to_be_hidden()
    page.get_by_role("button", name="Start again").click()
    expect(page.locator(f'section.scene[data-scene="{story.front.start}"]')).to_be_visible()
    expect(page.locator(".trail li")).to_have_count(0)
    others = [p for p in players_for(story, world)[1:]]
    if others:
        page.select_option("#player-hero", index=1)
        expect(page.locator(f'section.scene[data-scene="{story.front.start}"]')).to_be_visible()


def test_play_again_while_reading_every_scene_plays_from_the_start(page, served, world):
    """"Play again" under an ending is there while every scene is read too: it plays
    from the start, as "Start again" does. It used to restart with the page still
    reading: one scene shown, its choices plain links to hidden scenes (stuck)."""
    story = world.stories[STORY].model
    start = story.scenes[story.front.start]
    page.goto(served + f"site/stories/{STORY}.html")
    page.get_by_role("button", name="Read every scene").click()
    ending = next(s for s in story.scenes.values() if s.ending)
    page.locator(f'section.scene[data-scene="{ending.id}"]').get_by_role("button", name="Play again").click()
    expect(page.get_by_role("button", name="Read every scene")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("section.scene:visible")).to_have_count(1)
    choice = page.locator(f'section.scene[data-scene="{start.id}"] li.choice:visible').first
    chosen = choice.get_attribute("data-choice")
    target = next(c.target for c in start.choices if c.id == chosen)
    choice.locator("a").press("Enter")   # the keyboard plays too
    expect(page.locator(f'section.scene[data-scene="{target}"]')).to_be_visible()
    expect(page.locator("section.scene:visible")).to_have_count(1)
    expect(page.locator(".trail li")).to_have_count(1)
    # so does choosing another hero to play as while reading
    assert len(players_for(story, world)) > 1
    page.get_by_role("button", name="Read every scene").click()
    page.select_option("#player-hero", index=1)
    expect(page.get_by_role("button", name="Read every scene")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("section.scene:visible")).to_have_count(1)
    expect(page.locator(f'section.scene[data-scene="{start.id}"]')).to_be_visible()


def test_back_and_forward_step_through_the_story(page, served, world):
    """Back goes to the step before (scene, trail and state as they were), Forward to the
    one after, as links do without JavaScript; it used to leave the story page."""
    story = world.stories[STORY].model
    machine = StoryMachine(story, players_for(story, world)[0])
    page.goto(served + "site/index.html")
    page.goto(served + f"site/stories/{STORY}.html")
    state, seen = machine.start(), []
    for _ in range(2):
        choice = machine.options(state)[0]
        seen.append(state.scene)
        page.locator(f'section.scene[data-scene="{state.scene}"] li.choice[data-choice="{choice.id}"] a').click()
        state = machine.take(state, choice)
    expect(page.locator(f'section.scene[data-scene="{state.scene}"]')).to_be_visible()

    def shown(scene: str, steps: int) -> None:
        expect(page.locator(f'section.scene[data-scene="{scene}"]')).to_be_visible()
        expect(page.locator("section.scene:visible")).to_have_count(1)
        expect(page.locator(".trail li")).to_have_count(steps)
        assert page.url.endswith(f"site/stories/{STORY}.html")

    page.go_back()
    shown(seen[1], 1)
    page.go_back()
    shown(seen[0], 0)
    page.go_forward()
    shown(seen[1], 1)
    page.get_by_role("button", name="Start again").click()
    shown(story.front.start, 0)
    page.go_back()
    shown(seen[1], 1)
    page.go_back()
    page.go_back()
    page.wait_for_url("**/site/index.html")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["site/index.html", "site/heroes/aria.html", f"site/stories/{STORY}.html",
                                  "site/search.html?q=bell"])
def test_no_serious_accessibility_violations(browser, served, path, scheme):
    require_tool(AXE.is_file(), "axe-core (npm ci at the repository root)")
    # Reduced motion: a scene fading in is, for 0.35 s, text of lower contrast.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme,
                                  reduced_motion="reduce")
    tab = context.new_page()
    try:
        tab.goto(served + path)
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_pages_do_not_scroll_sideways(browser, served, world, scheme):
    """At 360px nothing is wider than the screen (wide tables and maps scroll inside
    their own boxes)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    tab = context.new_page()
    paths = ["site/index.html", "site/heroes/index.html", "site/relationships.html", "site/search.html?q=bell",
             *(f"site/heroes/{h}.html" for h in world.heroes), f"site/stories/{STORY}.html",
             *(f"site/characters/{c}.html" for c in world.characters), *(f"site/quests/{q}.html" for q in world.quests)]
    try:
        for path in paths:
            tab.goto(served + path)
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        context.close()


def test_a_printed_story_page_shows_no_audio_player(browser, served, world, tmp_path):
    """A scene's voice-over is a row of audio players under its prose: printed, each
    came out as an empty player reading "0:00 / 0:00" (four on the sample story's first
    page), a control no one can press on paper. Printed pages show no audio player; the
    scenes' words are all there."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (Debian poppler-utils)")
    tab = browser.new_page()
    try:
        tab.goto(served + f"site/stories/{STORY}.html")
        assert tab.locator("audio.voice-line").count() > 0   # the sample story is voiced
        tab.pdf(path=str(tmp_path / "story.pdf"))
    finally:
        tab.close()
    printed = subprocess.run(["pdftotext", str(tmp_path / "story.pdf"), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert "0:00" not in printed and "Moorings Above Caer Merrow" in printed, printed[:600]


def test_no_printed_page_ends_with_a_heading(browser, served, tmp_path):
    """A table or a card is kept whole on paper; when it did not fit under its heading,
    the heading ended the page alone and what it heads began the next: "Skills" at the
    foot of five of the sample's seven heroes' first pages, "Stories" on the credits page
    (and "Derived stats by level" on a hero with a short background). No printed page
    ends with a heading now: it goes over with what it heads."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (Debian poppler-utils)")
    tab = browser.new_page()
    stranded = {}
    try:
        for path in ("site/heroes/bram.html", "site/heroes/kit.html", "site/credits.html"):
            tab.goto(served + path)
            headings = {" ".join(t.split()) for t in tab.locator("main h2, main h3").all_inner_texts()}
            tab.pdf(path=str(tmp_path / "page.pdf"))
            printed = subprocess.run(["pdftotext", str(tmp_path / "page.pdf"), "-"], capture_output=True,
                                     text=True, check=True).stdout
            for page in printed.split("\f")[:-1]:
                lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
                if lines and lines[-1] in headings:
                    stranded[path] = lines[-1]
    finally:
        tab.close()
    assert stranded == {}, stranded


# Every visible text of the page as printed (print media): where its colour is lighter than
# `least` to 1 against white paper (WCAG's contrast ratio), as [element, text, colour, ratio].
_FAINT_ON_PAPER = """(least) => {
    const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const faint = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!node.data.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
        const colour = getComputedStyle(el).color, ratio = 1.05 / (lum(colour) + 0.05);
        if (ratio < least) faint.push([el.tagName + "." + el.className, node.data.trim().slice(0, 30), colour, ratio.toFixed(2)]);
    }
    return faint;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_word_of_a_printed_page_is_dark_on_the_paper(browser, served, world, scheme):
    """Paper is white and a browser prints no backgrounds unless asked: the print rules
    set the site's colours for that, but only some of them. From a dark screen the Draft
    badge printed in the dark scheme's pale peach (1.5 to 1 on white) and the facts'
    labels in pale brass; in either scheme the home page's eyebrow and counts (lamp gold,
    for the masthead's dark band) and the search page's button (white on sea blue, the
    blue not printed) were all but blank. Every word printed is 4.5 to 1 on white now."""
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    paths = ["site/index.html", "site/search.html?q=bell", "site/relationships.html", f"site/stories/{STORY}.html",
             *(f"site/heroes/{h}.html" for h in world.heroes), *(f"site/quests/{q}.html" for q in world.quests),
             *(f"site/characters/{c}.html" for c in sorted(world.characters)[:2])]
    faint = {}
    try:
        tab.emulate_media(media="print", color_scheme=scheme)
        for path in paths:
            tab.goto(served + path)
            found = tab.evaluate(_FAINT_ON_PAPER, 4.5)
            if found:
                faint[path] = found[:4]
    finally:
        context.close()
    assert faint == {}, faint


def test_without_javascript_stories_read_as_linked_sections(browser, served, world):
    story = world.stories[STORY].model
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto(served + f"site/stories/{STORY}.html")
        expect(tab.locator("section.scene:visible")).to_have_count(len(story.scenes))
        expect(tab.locator(".player-bar")).to_be_hidden()
        expect(tab.locator(".reading-note")).to_be_visible()
        choice = story.scenes[story.front.start].choices[0]
        tab.locator(f'section.scene[data-scene="{story.front.start}"] li.choice a').first.click()
        assert tab.url.endswith(f"#scene-{choice.target}")
        expect(tab.locator(f"#scene-{choice.target}")).to_be_in_viewport()
        # Every scene says what it needs: conditions are printed beside their choices.
        conditional = sum(1 for _, c in story.choices() if c.condition)
        expect(tab.locator(".choice-condition")).to_have_count(conditional)
        # ... and what taking a choice changes, which its scene's later conditions test
        # (the gamebook, ink, Twee and JSON all say it; the page said nothing)
        changing = [c for _, c in story.choices() if c.effects_ast]
        assert changing
        expect(tab.locator(".choice-effects")).to_have_count(len(changing))
        for c in changing:
            effects = tab.locator(f'li.choice[data-choice="{c.id}"] .choice-effects')
            expect(effects).to_be_visible()
            # in the gamebook's words ("then lose 1 air"), not the expression as code
            expect(effects.locator("code")).to_have_count(0)
            assert "=" not in effects.inner_text()
    finally:
        context.close()


def test_the_site_works_from_disk(browser, site_root, world):
    """Opened as files (file://): relative links, search and the player need no server."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        tab.goto((site_root / "site/search.html").as_uri() + "?q=ness")
        expect(tab.locator("#search-results .result-title").first).to_have_text(world.heroes["ness"].model.name)
        tab.locator("#search-results .result-title").first.click()
        expect(tab.locator("h1")).to_contain_text(world.heroes["ness"].model.name)
        tab.goto((site_root / f"site/stories/{STORY}.html").as_uri())
        expect(tab.locator("section.scene:visible")).to_have_count(1)
    finally:
        context.close()
    assert not errors, errors


def test_a_story_page_printed_while_playing_prints_every_scene(browser, served, world, tmp_path):
    """The print stylesheet shows every scene of a story (the player hides all but the
    one being played), but a scene shown while playing rises into view by an animation
    whose first frame is transparent: printed, each scene the player had hidden came
    out as blank space the height of its text (only the first scene on paper). A
    printed page runs no animation: every scene's words are in the PDF Chromium prints."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (Debian poppler-utils)")
    story = world.stories[STORY].model
    tab = browser.new_page()
    try:
        tab.goto(served + f"site/stories/{STORY}.html")
        expect(tab.locator("section.scene:visible")).to_have_count(1)   # playing: one scene shown
        shown = tab.evaluate("""() => [...document.querySelectorAll('section.scene')].map(s =>
            s.querySelector('.prose p')?.textContent.trim().split(/\\s+/).slice(0, 4).join(' ') || '')""")
        assert len(shown) == len(story.scenes) and all(shown), shown
        tab.pdf(path=str(tmp_path / "story.pdf"))
    finally:
        tab.close()
    printed = " ".join(subprocess.run(["pdftotext", str(tmp_path / "story.pdf"), "-"], capture_output=True,
                                      text=True, check=True).stdout.split())
    missing = [words for words in shown if " ".join(words.split()) not in printed]
    assert missing == [], missing
