"""Long but legal chains in content: the pages that walk them must not recurse once per
link (Python stops at ~1,000 frames, and the build then fails with HF0711 'recursed too
deeply' at a built page while `foundry check` is clean)."""
from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.views.quests import prerequisite_chain
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import ROOTS, write_project

ROOTS_MINIMAL = ROOTS / "minimal"

QUEST = """\
title: Quest {i}
status: published
summary: Step {i}.
giver: old-guide
{pre}objectives:
  - {{id: o, text: Do it, done_when: crossed}}
rewards: {{xp: 5}}
"""


def test_a_prerequisite_chain_longer_than_the_recursion_limit(tmp_path):
    n = 1_200
    files = {f"content/quests/q{i}.yaml": QUEST.format(i=i, pre=f"prerequisites: [q{i - 1}]\n" if i else "")
             for i in range(n)}
    # a diamond at the end: q-top needs q-left then q-right, each needing the chain's end
    files["content/quests/q-left.yaml"] = QUEST.format(i="L", pre=f"prerequisites: [q{n - 1}]\n")
    files["content/quests/q-right.yaml"] = QUEST.format(i="R", pre=f"prerequisites: [q{n - 1}, q-left]\n")
    files["content/quests/q-top.yaml"] = QUEST.format(i="T", pre="prerequisites: [q-left, q-right]\n")
    root = write_project(tmp_path / "p", files)
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not diags.errors, diags.errors
    chain = [f"q{i}" for i in range(n)]
    assert prerequisite_chain(world, f"q{n - 1}") == chain[:-1]
    # earliest first, each after its own prerequisites, each once, in the order written
    assert prerequisite_chain(world, "q-top") == chain + ["q-left", "q-right"]
    assert prerequisite_chain(world, "q0") == []


def test_a_quest_page_shows_the_nearest_stretch_of_its_road_and_links_the_rest(tmp_path):
    # Every page listing its whole chain: a 1,500-quest chain wrote 56 MB of quest pages
    # (each page one link per quest before it). A page lists the nearest 20; the
    # earlier ones are one link, to the first quest shown, whose page goes on back.
    from lxml import html as lxml_html
    from support import foundry

    n = 60
    files = {f"content/quests/q{i:02}.yaml": QUEST.format(i=i, pre=f"prerequisites: [q{i - 1:02}]\n" if i else "")
             for i in range(n)}
    files["foundry.toml"] = (ROOTS_MINIMAL / "foundry.toml").read_text(encoding="utf-8") + \
        '\n[l10n]\nlanguages = ["de", "ar"]\n'
    root = write_project(tmp_path / "p", files)
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json",
                  env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]

    def road(language: str, qid: str) -> tuple[list[str], list]:
        page = lxml_html.fromstring((root / "build/site" / language / f"quests/{qid}.html").read_bytes())
        items = page.xpath("//ol[@class='chain']/li")
        return [" ".join(li.text_content().split()) for li in items], items

    texts, items = road("", "q59")
    assert len(items) == 1 + 20 + 1   # the link back, twenty quests, this one
    assert texts[0] == "… and 39 earlier quests"
    assert items[0].xpath(".//a/@href") == ["q39.html"]
    assert [t.split()[1] for t in texts[1:-1]] == [str(i) for i in range(39, 59)]   # "Quest 39" …
    texts, items = road("", "q20")   # exactly twenty before it: nothing left out
    assert len(items) == 21 and "earlier" not in texts[0]
    texts, _ = road("", "q21")
    assert texts[0] == "… and 1 earlier quest"
    assert road("de", "q59")[0][0] == "… und 39 frühere Aufträge"
    assert road("ar", "q59")[0][0] == "… و39 مهمة سابقة"
    assert road("ar", "q23")[0][0] == "… و3 مهام سابقة"
    # the pages grow with the chain no more: the last is the size of the 21st
    size = (root / "build/site/quests/q59.html").stat().st_size
    assert size < (root / "build/site/quests/q21.html").stat().st_size + 200


def test_a_quest_chain_looks_each_earlier_quest_up_once_not_once_an_edge(tmp_path):
    """Each quest page walks its chain, and every lookup in `world.quests` is a read the
    render records (render/tracking.py): one a prerequisite EDGE, so 2,000 quests each
    requiring the 20 before them spent 25 of their build's 31 CPU-s on it. Now one a quest."""
    from types import SimpleNamespace
    n, k = 45, 20
    files = {f"content/quests/q{i:02}.yaml": QUEST.format(
        i=i, pre=f"prerequisites: [{', '.join(f'q{j:02}' for j in range(max(0, i - k), i))}]\n" if i else "")
        for i in range(n)}
    root = write_project(tmp_path / "p", files)
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not diags.errors, diags.errors

    class Looked(dict):
        count = 0

        def __contains__(self, key):
            Looked.count += 1
            return dict.__contains__(self, key)

    chain = prerequisite_chain(SimpleNamespace(quests=Looked(world.quests)), f"q{n - 1:02}")
    assert chain == [f"q{i:02}" for i in range(n - 1)] and Looked.count == len(chain)


def test_quest_chains_the_pages_could_not_walk_in_bounded_time_are_refused_by_check(tmp_path, monkeypatch):
    """Each quest page walks its whole chain of earlier quests, so the pages together
    walk as the square of a chain's length: 10,000 quests each requiring the 20 before
    them passed check and held a site build for 226 CPU-s and 1.7 GB. Check counts what
    the pages would walk (each quest's `prerequisite_chain`, summed) and refuses past the
    bound with HF0545 at the longest chain's prerequisites. The bound is lowered here to
    the sum itself, so a small world shows the count is the pages' own, to the quest."""
    from pipeline.stories import quests as quest_rules
    n, k = 30, 3
    files = {f"content/quests/q{i:02}.yaml": QUEST.format(
        i=i, pre=f"prerequisites: [{', '.join(f'q{j:02}' for j in range(max(0, i - k), i))}]\n" if i else "")
        for i in range(n)}
    root = write_project(tmp_path / "p", files)

    def check(bound: int) -> tuple:
        monkeypatch.setattr(quest_rules, "MAX_EARLIER", bound)
        diags = Diagnostics()
        world = load_world(load_project(root, diags), diags)
        return world, [(d.code, d.span.path, d.span.line) for d in diags.items if d.code == "HF0545"]

    world, said = check(10 ** 9)
    assert said == []
    walked = sum(len(prerequisite_chain(world, q)) for q in world.quests)
    assert walked == n * (n - 1) // 2
    assert check(walked)[1] == []
    # one past: said once, at the longest chain's `prerequisites:` line (the file's line 5)
    assert check(walked - 1)[1] == [("HF0545", f"content/quests/q{n - 1:02}.yaml", 5)]


def test_the_pages_steps_over_each_prerequisite_as_written_are_counted(tmp_path, monkeypatch):
    """A page steps over a quest's prerequisites as written, a name given twice too:
    check counted each name once, so a line of quests each listing the one before 1,000
    times walked 1,000 times the steps check let through. The bound lowered to one short
    of the pages' own steps is now passed."""
    from pipeline.stories import quests as quest_rules
    n, times = 12, 8
    files = {f"content/quests/q{i:02}.yaml": QUEST.format(
        i=i, pre=f"prerequisites: [{', '.join([f'q{i - 1:02}'] * times)}]\n" if i else "") for i in range(n)}
    root = write_project(tmp_path / "p", files)
    monkeypatch.setattr(quest_rules, "MAX_STEPS", 10 ** 9)
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not diags.errors, diags.errors
    # each page: each earlier quest, and each name on its prerequisites list
    steps = sum(1 + len(world.quests[a].model.prerequisites) for q in world.quests
                for a in prerequisite_chain(world, q))
    monkeypatch.setattr(quest_rules, "MAX_STEPS", steps - 1)
    diags = Diagnostics()
    load_world(load_project(root, diags), diags)
    assert [d.code for d in diags.items if d.code == "HF0545"] == ["HF0545"]


def test_quests_sharing_a_long_road_are_not_counted_once_per_prerequisite(tmp_path, monkeypatch):
    """Quests each requiring the same few side quests, each side quest after the same
    line: check added the line once per side quest to the pages' steps (the sets it
    merges to count), so 500 such quests after a line of 1,000 were refused while their
    pages walked 1,150,000 earlier quests. With the bound at the pages' own steps, none."""
    from pipeline.stories import quests as quest_rules
    line, side, top = 8, 4, 6
    files = {f"content/quests/l{i}.yaml": QUEST.format(i=i, pre=f"prerequisites: [l{i - 1}]\n" if i else "")
             for i in range(line)}
    files |= {f"content/quests/s{j}.yaml": QUEST.format(i=j, pre=f"prerequisites: [l{line - 1}]\n") for j in range(side)}
    files |= {f"content/quests/t{m}.yaml": QUEST.format(i=m, pre=f"prerequisites: [{', '.join(f's{j}' for j in range(side))}]\n")
              for m in range(top)}
    root = write_project(tmp_path / "p", files)
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not diags.errors, diags.errors
    steps = sum(1 + len(world.quests[a].model.prerequisites) for q in world.quests
                for a in prerequisite_chain(world, q))
    monkeypatch.setattr(quest_rules, "MAX_STEPS", steps)
    diags = Diagnostics()
    load_world(load_project(root, diags), diags)
    assert [d.code for d in diags.items if d.code == "HF0545"] == []
    monkeypatch.setattr(quest_rules, "MAX_MERGED", 0)   # its own count's bound is said too
    diags = Diagnostics()
    load_world(load_project(root, diags), diags)
    assert [d.code for d in diags.items if d.code == "HF0545"] == ["HF0545"]
