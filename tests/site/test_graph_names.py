"""Every label of the site's pictures stays inside its place: a person's name beside
the relationship graph inside the graph, an edge's kinds too, a scene's title inside
its box on the story map.

SVG text neither wraps nor clips itself. Names sit beside the circle (left and right
of it, or above and below), and the SVG clips what runs past its edge: 'Hesper Vane,
Keeper of the Drowned Bells' on the right read 'Hesper Vane, K'. A name wider than its
room wraps, its last line clipped with an ellipsis; the node's <title> and the table
beside the graph give it whole. A name above the circle or below it wraps too: its
lines grew upward from one line's place, and the first was drawn above the graph's
top edge (cut off whole), the last below its bottom edge (its descenders cut). Labels
were measured by counting characters, so wide letters ran out of their place: a
Japanese name beside the circle (90 units past the graph's edge), a Japanese title on
the story map and one of capital W's (40 to 80 units past their boxes, over the next
scene's). Measured in Chromium (each label's box against its place)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from support import ROOTS, foundry, write_project

LONG = "Hesper Vane, Keeper of the Drowned Bells"
WARDEN = "Rook Amsel-Vantongeren, Warden of the Eastern Fens and Keeper of the Lantern Oath"
JAPANESE = "霧の沼地と葦原と柳の長い道を越えて港へ帰る老案内人"
KIND = "Sworn Protector and Keeper of the Lantern Oath of the Drowned Bells"
# six people on the circle: the hero above it, keeper-1 and keeper-2 right, keeper-3
# below, keeper-4 and the guide left
NAMES = {1: f"{LONG} 1", 2: JAPANESE, 3: f"{LONG} 3 and of the Lantern Oath on the Marsh", 4: "Ash"}
PEOPLE = {f"content/characters/keeper-{n}.yaml":
          f"name: {name}\nrole: Keeper\nstatus: draft\nrelationships:\n  - {{with: first-hero, kind: mentor}}\n"
          for n, name in NAMES.items()}
STAT = "Defense against the wardens of the eastern fens at night"
TITLES = {"The Lantern Path": "霧の沼地と葦原と柳の長い道を越えて港へ帰る旅路", "Tracks in the Mud": "W" * 28,
          "Waiting": "Mmmmmmmmmmmmmmmmmmmm Wwwwwwwwwwwwwwwwwwwww",
          # 30 lanterns joined by zero-width joiners (as an emoji sequence is, so check
          # takes them): never cut beside a joiner, they were one line 39 ems wide
          "The Far Bank": "\U0001F3EE\u200d" * 29 + "\U0001F3EE"}


def _minimal(path: str) -> str:
    return (ROOTS / "minimal" / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    story = _minimal("content/stories/first-story.md")
    for title, wide in TITLES.items():
        story = story.replace(f"## {title} {{", f"## {wide} {{")
    root = write_project(tmp_path_factory.mktemp("graph") / "world", {
        **PEOPLE,
        "content/heroes/first-hero.yaml": _minimal("content/heroes/first-hero.yaml").replace("name: Rook Amsel", f"name: {WARDEN}"),
        "content/stories/first-story.md": story,
        # a derived stat named in ten short words, which the hero page's stats table heads
        "schemas/attributes.yaml": _minimal("schemas/attributes.yaml").replace("name: Defense", f"name: {STAT}"),
        "schemas/relationships.yaml": f"kinds:\n  mentor: {{name: {KIND}, inverse: apprentice}}\n"
                                      "  apprentice: {name: Apprentice, inverse: mentor}\n  rival: {name: Rival, symmetric: true}\n"})
    run = foundry("build", "--project", str(root), "--only", "html", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    return root / "build/site"


OUTSIDE_THE_GRAPH = """(selector) => {
    const svg = document.querySelector('svg.relationship-graph'), vb = svg.viewBox.baseVal, out = [];
    for (const t of svg.querySelectorAll(selector)) {
        const b = t.getBBox();
        if (b.x < vb.x - 1 || b.x + b.width > vb.x + vb.width + 1 || b.y < vb.y - 1 || b.y + b.height > vb.y + vb.height + 1)
            out.push([t.textContent, Math.round(b.x), Math.round(b.x + b.width), Math.round(b.y), vb.width, vb.height]);
    }
    return out; }"""


def test_long_names_beside_the_graph_are_inside_it(site, browser):
    page = site / "relationships.html"
    tree = lxml_html.fromstring(page.read_bytes())
    titles = {t.text for t in tree.xpath("//*[local-name()='g'][contains(@class, 'graph-node')]/*[local-name()='title']")}
    assert set(NAMES.values()) | {WARDEN, "Old Guide"} <= titles     # each name whole, for the pointer
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.goto(page.as_uri())
        outside = tab.evaluate(OUTSIDE_THE_GRAPH, "text.graph-name")
        shown = tab.evaluate("() => [...document.querySelectorAll('svg.relationship-graph text.graph-name')].map(t => t.textContent)")
    finally:
        tab.close()
    assert outside == []
    assert "Old Guide" in shown and "Ash" in shown                 # short names drawn whole, as before
    assert any(line.startswith("Hesper Vane") for line in shown)
    assert any(line.startswith("Rook Amsel") for line in shown)   # the top line of the name above the circle
    assert any(line.startswith(JAPANESE[:4]) for line in shown)


def test_a_long_relationship_kind_on_an_edge_is_inside_the_graph(site, browser):
    """An edge's label (its kinds' names) was one line centred on the curve: a long kind
    ran past the SVG's edge and was cut. It wraps like a name, its last line clipped
    with an ellipsis; the table beside the graph gives it whole."""
    page = site / "relationships.html"
    assert KIND in page.read_text(encoding="utf-8")                      # whole in the table
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.goto(page.as_uri())
        outside = tab.evaluate(OUTSIDE_THE_GRAPH, ".graph-edge text")
        shown = tab.evaluate("() => [...document.querySelectorAll('svg.relationship-graph .graph-edge text')].map(t => t.textContent)")
    finally:
        tab.close()
    assert any(text.startswith("Sworn Protector") for text in shown), shown
    assert outside == []


def test_a_scenes_title_on_the_story_map_stays_in_its_box(site, browser):
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.goto((site / "stories/first-story.html").as_uri())
        boxes = tab.evaluate("""() => [...document.querySelectorAll('svg.story-map g.map-node')].map(g => {
            const r = g.querySelector('rect').getBBox();
            return [...g.querySelectorAll('text.map-title')].map(t => { const b = t.getBBox();
                return [t.textContent, b.x >= r.x && b.x + b.width <= r.x + r.width]; }); }).flat()""")
    finally:
        tab.close()
    assert any(text.startswith(TITLES["The Lantern Path"][:4]) for text, _ in boxes), boxes
    assert any(text.startswith("WWW") for text, _ in boxes) and any(text == "The Fog Road" for text, _ in boxes)
    assert any(text.startswith("\U0001F3EE\u200d\U0001F3EE") for text, _ in boxes)
    assert [text for text, inside in boxes if not inside] == []


def test_a_name_beside_the_circle_in_a_right_to_left_page_is_beside_its_person(browser):
    """text-anchor is logical: in an Arabic world each name to the right of the circle
    was anchored at its start, which is its right end, and drawn leftward over the
    person's portrait (the left ones likewise). Drawn by the graph itself in an RTL page
    with the theme's style sheet (no build needed): no name crosses a circle, and an
    English name left in its language (marked dir=ltr) is placed as in an English page."""
    import gettext

    from pipeline.exporters.html import svg
    from pipeline.exporters.theme_words import Words
    from support import REPO

    arabic = "حارس أجراس الساحل الغارق"
    nodes = [svg.GraphNode("hero", "Rook Amsel", "hero", "RA", None, (("dir", "ltr"), ("lang", "en"))),
             svg.GraphNode("a", f"{arabic} ١", "character", "ح", None),
             svg.GraphNode("b", "بدر", "character", "ب", None),
             svg.GraphNode("c", f"{arabic} ٢", "character", "ح", None),
             svg.GraphNode("d", "Old Guide", "character", "OG", None, (("dir", "ltr"), ("lang", "en")))]
    edges = [svg.GraphEdge("hero", other, "Mentor") for other in "abcd"]
    graph = svg.relationship_graph(nodes, edges, Words("ar", gettext.NullTranslations(), False))
    css = (REPO / "themes/default/static/relationships.css").read_text(encoding="utf-8")
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.set_content(f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><style>{css}</style></head><body>{graph}</body></html>')
        crossing = tab.evaluate("""() => [...document.querySelectorAll('svg.relationship-graph g.graph-node')].map(g => {
            const c = g.querySelector('circle'), cx = c.cx.baseVal.value, cy = c.cy.baseVal.value, r = c.r.baseVal.value;
            return [...g.querySelectorAll('text.graph-name')].filter(t => { const b = t.getBBox();   // the box's nearest point
                const nx = Math.max(b.x, Math.min(cx, b.x + b.width)), ny = Math.max(b.y, Math.min(cy, b.y + b.height));
                return Math.hypot(nx - cx, ny - cy) < r; })
              .map(t => t.textContent); }).flat()""")
        shown = tab.evaluate("() => [...document.querySelectorAll('text.graph-name')].map(t => t.textContent)")
    finally:
        tab.close()
    assert "بدر" in shown and "Old Guide" in shown and any(line.startswith("حارس") for line in shown), shown
    assert crossing == []


def test_a_flag_on_the_story_map_is_never_cut_in_two():
    """A flag is two regional-indicator letters: a title of flags wider than its box was
    cut between the two letters of one (the Japanese flag's J ended the first line, its
    P began the second: two letter boxes and, after them, every flag read as another
    country's). Drawn by the story map itself (no build needed)."""
    from pipeline.exporters.html import svg

    flags = "\U0001F1EF\U0001F1F5\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA" * 4   # Japan, France, Germany
    drawn = svg.story_map("Flags", [svg.MapNode("a", f"W{flags}", True, True)], [], "a")
    lines = [t.text_content() for t in lxml_html.fromstring(str(drawn)).xpath("//*[local-name()='text'][@class='map-title']")]
    assert len(lines) == 2 and lines[0].startswith(f"W{flags[:4]}")
    halves = [sum(0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in line) for line in lines]
    assert [n % 2 for n in halves] == [0, 0], lines   # each line whole flags


def test_a_long_stat_name_heads_its_column_within_a_phones_width(site, browser):
    """The hero page's derived stats keep their cells on one line (the numbers): a stat's
    name of short words, 59 letters, headed a column 469 px wide on a 360 px phone (only a
    name with one word past 14 letters wrapped). A name longer than 14 letters wraps."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        tab.goto((site / "heroes/first-hero.html").as_uri())
        heads = tab.evaluate("[...document.querySelectorAll('table.stats-table thead th')].map(c => c.textContent.trim())")
        table, box = tab.evaluate("""() => { const t = document.querySelector('table.stats-table');
            return [t.getBoundingClientRect().width, t.parentElement.getBoundingClientRect().width]; }""")
    finally:
        tab.close()
    assert STAT in heads and "Hit points" in heads, heads
    assert table <= box + 1, (table, box)     # the table in its box on the phone, no scrolling to the numbers
