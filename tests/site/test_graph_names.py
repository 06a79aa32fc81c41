"""A person's name beside the relationship graph stays inside the graph.

Names sit beside the circle (left and right of it, or above and below), and the SVG
clips what runs past its edge: 'Hesper Vane, Keeper of the Drowned Bells' on the right
read 'Hesper Vane, K'. A name wider than its room wraps, its last line clipped with an
ellipsis; the node's <title> and the table beside the graph give it whole. A name
above the circle or below it wraps too, past 70 characters: its lines grew upward from
one line's place, and the first was drawn above the graph's top edge (cut off whole),
the last below its bottom edge (its descenders cut). Measured in Chromium (each name's
box against the graph's viewBox)."""

from __future__ import annotations

from lxml import html as lxml_html

from support import ROOTS, foundry

LONG = "Hesper Vane, Keeper of the Drowned Bells"
# four people on the circle: the hero above it, keeper-1 right, keeper-2 below, the guide left
WARDEN = "Rook Amsel-Vantongeren, Warden of the Eastern Fens and Keeper of the Lantern Oath"
PEOPLE = {f"content/characters/keeper-{n}.yaml":
          f"name: {LONG} {n}{' and of the Lantern Oath on the Marsh' * (n == 2)}\nrole: Keeper\nstatus: draft\n"
          "relationships:\n  - {with: first-hero, kind: mentor}\n" for n in (1, 2)}
PEOPLE["content/heroes/first-hero.yaml"] = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(
    encoding="utf-8").replace("name: Rook Amsel", f"name: {WARDEN}")


def test_long_names_beside_the_graph_are_inside_it(project_factory, browser):
    root = project_factory(PEOPLE)
    run = foundry("build", "--project", str(root), "--only", "html", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    page = root / "build/site/relationships.html"
    tree = lxml_html.fromstring(page.read_bytes())
    titles = {t.text for t in tree.xpath("//*[local-name()='g'][contains(@class, 'graph-node')]/*[local-name()='title']")}
    assert {f"{LONG} 1", WARDEN, "Old Guide"} <= titles     # each name whole, for the pointer
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.goto(page.as_uri())
        outside = tab.evaluate("""() => {
            const svg = document.querySelector('svg.relationship-graph'), vb = svg.viewBox.baseVal, out = [];
            for (const t of svg.querySelectorAll('text.graph-name')) {
                const b = t.getBBox();
                if (b.x < vb.x - 1 || b.x + b.width > vb.x + vb.width + 1 || b.y < vb.y - 1 || b.y + b.height > vb.y + vb.height + 1)
                    out.push([t.textContent, Math.round(b.x), Math.round(b.x + b.width), vb.width]);
            }
            return out; }""")
        shown = tab.evaluate("() => [...document.querySelectorAll('svg.relationship-graph text.graph-name')].map(t => t.textContent)")
    finally:
        tab.close()
    assert outside == []
    assert "Old Guide" in shown                                    # a short name drawn whole, as before
    assert any(line.startswith("Hesper Vane") for line in shown)
    assert any(line.startswith("Rook Amsel") for line in shown)   # the top line of the name above the circle


KIND = "Sworn Protector and Keeper of the Lantern Oath of the Drowned Bells"


def test_a_long_relationship_kind_on_an_edge_is_inside_the_graph(project_factory, browser):
    """An edge's label (its kinds' names) was one line centred on the curve: a long kind
    ran past the SVG's edge and was cut. It wraps like a name, its last line clipped
    with an ellipsis; the table beside the graph gives it whole."""
    root = project_factory({**PEOPLE, "schemas/relationships.yaml":
                            f"kinds:\n  mentor: {{name: {KIND}, inverse: apprentice}}\n"
                            "  apprentice: {name: Apprentice, inverse: mentor}\n  rival: {name: Rival, symmetric: true}\n"})
    run = foundry("build", "--project", str(root), "--only", "html", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    page = root / "build/site/relationships.html"
    assert KIND in page.read_text(encoding="utf-8")                      # whole in the table
    tab = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        tab.goto(page.as_uri())
        boxes = tab.evaluate("""() => {
            const svg = document.querySelector('svg.relationship-graph'), vb = svg.viewBox.baseVal, out = [];
            for (const t of svg.querySelectorAll('.graph-edge text')) {
                const b = t.getBBox();
                out.push([t.textContent, b.x >= vb.x - 1 && b.x + b.width <= vb.x + vb.width + 1
                                        && b.y >= vb.y - 1 && b.y + b.height <= vb.y + vb.height + 1]);
            }
            return out; }""")
    finally:
        tab.close()
    assert any(text.startswith("Sworn Protector") for text, _ in boxes), boxes
    assert [text for text, inside in boxes if not inside] == []
