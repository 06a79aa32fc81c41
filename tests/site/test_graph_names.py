"""A person's name beside the relationship graph stays inside the graph.

Names sit beside the circle (left and right of it, or above and below), and the SVG
clips what runs past its edge: 'Hesper Vane, Keeper of the Drowned Bells' on the right
read 'Hesper Vane, K'. A name wider than its room wraps, its last line clipped with an
ellipsis; the node's <title> and the table beside the graph give it whole. Measured
in Chromium (each name's box against the graph's viewBox)."""

from __future__ import annotations

from lxml import html as lxml_html

from support import foundry

LONG = "Hesper Vane, Keeper of the Drowned Bells"
PEOPLE = {f"content/characters/keeper-{n}.yaml":
          f"name: {LONG} {n}\nrole: Keeper\nstatus: draft\nrelationships:\n  - {{with: first-hero, kind: mentor}}\n"
          for n in (1, 2)}


def test_long_names_beside_the_graph_are_inside_it(project_factory, browser):
    root = project_factory(PEOPLE)
    run = foundry("build", "--project", str(root), "--only", "html", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    page = root / "build/site/relationships.html"
    tree = lxml_html.fromstring(page.read_bytes())
    titles = {t.text for t in tree.xpath("//*[local-name()='g'][contains(@class, 'graph-node')]/*[local-name()='title']")}
    assert {f"{LONG} 1", f"{LONG} 2", "Rook Amsel", "Old Guide"} <= titles     # each name whole, for the pointer
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
    assert "Rook Amsel" in shown and "Old Guide" in shown          # short names drawn whole, as before
    assert any(line.startswith("Hesper Vane") for line in shown)
