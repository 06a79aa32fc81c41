"""Which nodes of a graph lie on a cycle: one answer for every walk of the project's
graphs that must find them in linear time, however long (a story's scenes, a theme's
templates drawing one another)."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Mapping, TypeVar

Node = TypeVar("Node", bound=Hashable)


def on_cycles(roots: Iterable[Node], successors: Callable[[Node], Iterable[Node]]) -> set[Node]:
    """The nodes reached from `roots` that lie on a cycle (cycle_components' keys)."""
    return set(cycle_components(roots, successors))


def cycle_components(roots: Iterable[Node], successors: Callable[[Node], Iterable[Node]]) -> dict[Node, int]:
    """The nodes reached from `roots` that lie on a cycle → the number of their cycle
    (0, 1, …): those in a strongly connected component of more than one node, or with
    an edge to themselves; two nodes have one number when each leads to the other.
    Tarjan's algorithm, walked by a stack, so that no graph is too long for it (Python's
    recursion limit); `successors(node)` is asked once per node."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    held: list[Node] = []
    holding: set[Node] = set()
    looped: set[Node] = set()   # an edge to itself
    found: dict[Node, int] = {}
    cycles = 0
    for root in roots:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        held.append(root)
        holding.add(root)
        work = [(root, iter(successors(root)))]
        while work:
            node, ahead = work[-1]
            target = next(ahead, _END)
            if target is not _END:
                if target == node:
                    looped.add(node)
                if target not in index:
                    index[target] = low[target] = len(index)
                    held.append(target)
                    holding.add(target)
                    work.append((target, iter(successors(target))))
                elif target in holding:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = held.pop()
                    holding.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in looped:
                    found.update((member, cycles) for member in component)
                    cycles += 1
    return found


def leading_to(node: Node, edges: Mapping[Node, Iterable[Node]]) -> set[Node]:
    """`node` and every node of `edges` (node → the nodes it points at) with a walk to
    it: those a new edge from `node` may not point at without making a cycle. A
    did-you-mean for a template's `extends` or a skill's or quest's prerequisite leaves
    them out: 'scoutling' extending the slip 'scoutlng' was offered 'scoutling' itself,
    which followed is HF0409, a template extending itself. Linear in the edges."""
    back: dict[Node, list[Node]] = {}
    for source, targets in edges.items():
        for target in targets:
            back.setdefault(target, []).append(source)
    found, work = {node}, [node]
    while work:
        for source in back.get(work.pop(), ()):
            if source not in found:
                found.add(source)
                work.append(source)
    return found


_END = object()
