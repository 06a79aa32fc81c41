"""The story map's rows (svg.layers) are found without scanning every scene's choices
for each scene: a 12,000-scene story took 4.6 CPU-s to place (quadratic; a 4 MB story
minutes), now 0.2 (docs/performance.md). The places must stay the same to the bit, so
every page's bytes are unchanged: held here to the straightforward reading of the rule."""
from __future__ import annotations

import math
from collections import deque

from hypothesis import given, settings, strategies as st

from pipeline.exporters.html import svg


def reference_layers(nodes, edges, start):
    """The rule as first written: rows by breadth-first distance from the start, lost
    scenes last; each row after the first sorted by the average place of its parents
    (summed in the order the scenes are written), then by where it is written."""
    out = {n.id: [] for n in nodes}
    for e in edges:
        if e.source in out and e.target in out and e.target not in out[e.source]:
            out[e.source].append(e.target)
    depth = {}
    if start in out:
        depth[start] = 0
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for there in out[here]:
                if there not in depth:
                    depth[there] = depth[here] + 1
                    queue.append(there)
    written = {n.id: i for i, n in enumerate(nodes)}
    rows = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for sid in depth:
        rows[depth[sid]].append(sid)
    lost = [n.id for n in nodes if n.id not in depth]
    if lost:
        rows.append(lost)
    place, ordered = {}, []
    for row in rows:
        def key(sid):
            parents = [place[p] for p, targets in out.items() if sid in targets and p in place]
            return (sum(parents) / len(parents) if parents else math.inf, written[sid])
        row = sorted(row, key=key) if ordered else row
        for i, sid in enumerate(row):
            place[sid] = i - (len(row) - 1) / 2
        ordered.append(row)
    return ordered


@st.composite
def stories(draw):
    n = draw(st.integers(1, 40))
    ids = [f"s{i}" for i in range(n)]
    order = draw(st.permutations(ids))
    nodes = [svg.MapNode(sid, sid, False, False) for sid in order]
    pick = st.sampled_from(ids + ["missing"])
    edges = draw(st.lists(st.builds(svg.MapEdge, pick, pick, st.booleans()), max_size=120))
    return nodes, edges, draw(pick)


@settings(max_examples=300, deadline=None)
@given(stories())
def test_rows_are_placed_as_the_rule_says(story):
    nodes, edges, start = story
    assert svg.layers(nodes, edges, start) == reference_layers(nodes, edges, start)


def test_a_long_wide_story_is_placed_the_same():
    n = 3_000   # each scene leads to the next three: many parents per scene, averages not whole
    nodes = [svg.MapNode(f"s{i}", f"S{i}", i == n, i == 0) for i in range(n + 1)]
    edges = [svg.MapEdge(f"s{i}", f"s{min(i + k, n)}", False) for i in range(n) for k in (1, 2, 3)]
    edges += [svg.MapEdge(f"s{i}", f"s{i // 2}", True) for i in range(0, n, 7)]   # and some ways back
    assert svg.layers(nodes, edges, "s0") == reference_layers(nodes, edges, "s0")
