"""Relationships between heroes and characters, checked against the kinds in
schemas/relationships.yaml, and published as one graph of edges."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from operator import is_

from ..diagnostics import Diagnostics, near_budget, suggestion
from ..ids import unread
from ..l10n.lines import relationship_note_ids
from ..validate.entities import Entry
from ..rules import RuleBook
from ..validate.entities import relationships_of

KINDS_HINT = "Relationship kinds are defined in schemas/relationships.yaml."


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    kind: str
    note: str = ""
    note_html: str = ""    # the note's inline Markdown as HTML (load/titles.py); `note` is its plain text
    line: str = ""         # the note's line id (l10n/lines.py relationship_note_ids): its translation's key
    place: int = 0         # its place in the writer's list (0 first): the graph is sorted, a page keeps their order


class Edges(tuple):
    """The World's relationship edges (a tuple of Edge, in order), with `touching(pid)`:
    the edges that name one person, from an index made on first use. A person's page
    asks for its own edges; scanning every edge for each of 10,000 people made the site
    quadratic. The index is derived from the tuple alone, so it can never disagree with it."""

    def touching(self, pid: str) -> tuple[Edge, ...]:
        """The edges with `pid` as source or target, in the tuple's order."""
        index = self.__dict__.get("_by_person")
        if index is None:
            found: dict[str, list[Edge]] = {}
            for edge in self:
                found.setdefault(edge.source, []).append(edge)
                if edge.target != edge.source:
                    found.setdefault(edge.target, []).append(edge)
            index = self.__dict__["_by_person"] = {p: tuple(e) for p, e in found.items()}
        return index.get(pid, ())


def resolve_relationships(people: Mapping[str, Entry], rules: RuleBook, diags: Diagnostics,
                          broken: frozenset[str] = frozenset(), kept: dict | None = None) -> Edges:
    """Every person's relationships as edges, each checked (HF0515, HF0310, HF0302,
    HF0516). `kept` (the resident engine's, resolve/world.py): each person's edges and
    what checking them reported, under exactly what they were made from: the person's
    Entry object, the rule book, and the Entry of each person they name (whose side
    HF0516 reads); a person who names someone unknown is checked again every time (the
    hint suggests among everyone). So a save makes again only the edges of the people
    it edited and of those who name them, not 10,000 people's (~0.03 CPU-s at 10,000);
    one that edited no one (a story) keeps the whole graph as it was."""
    # an id both a hero and a character have (HF0107 at the character, the one slip): whose
    # side a relationship naming it reads is not known, so neither side of one is held to the other
    shared: frozenset[str] = frozenset()
    if isinstance(people, ChainMap):   # World.people(): one dict, its order and whose id wins the same
        flat: dict[str, Entry] = {}
        for table in reversed(people.maps):
            shared |= flat.keys() & table.keys()
            flat.update(table)
        people = flat
    memo = kept if kept is not None else {}
    # nobody changed (a story save): the last graph and what checking it found, as they were
    everyone = tuple(people.values())
    whole = memo.get(None)
    if whole is not None and whole[0] is rules and whole[1] == broken and len(whole[2]) == len(everyone) \
            and all(map(is_, whole[2], everyone)):
        diags.extend(whole[4])
        return whole[3]
    edges: list[Edge] = []
    reported: list = []
    seen: set = {None}
    # the near names of the hints (HF0302's among everyone) share one budget over the
    # whole pass: 2,000 heroes each naming a slip of one of 2,000 characters were 2,000 ×
    # 2,000 comparisons (~8 CPU-s at 85 KB), each person's own budget untouched. Whoever
    # draws on it (or is refused a near name once it is spent) is checked again every
    # time, in the same order, never kept: what each
    # hint says is then the same in a warm pass as in a cold one.
    with near_budget() as near_left:
        for pid, entry in people.items():
            rels = _relationships(entry)
            if not rels:
                continue
            seen.add(pid)
            others = tuple(people.get(rel[0]) for rel in rels)
            unsure = shared and (pid in shared or any(rel[0] in shared for rel in rels))
            known = memo.get(pid)
            if known is not None and known[0] is entry and known[1] is rules and all(map(is_, known[2], others)) \
                    and not unsure:
                edges += known[3]
                reported += known[4]
                continue
            found = Diagnostics()
            before = near_left[0]
            made = _person(pid, entry, people, rules, found, broken, shared)
            edges += made
            reported += found.items
            if kept is not None and None not in others and not unsure and near_left[0] == before:
                kept[pid] = (entry, rules, others, made, tuple(found.items))
            elif kept is not None:
                kept.pop(pid, None)
    diags.extend(reported)
    graph = Edges(sorted(edges))
    if kept is not None:   # people gone, or who name no one any more
        for gone in kept.keys() - seen:
            del kept[gone]
        kept[None] = (rules, broken, everyone, graph, tuple(reported))
    return graph


def _person(pid: str, entry: Entry, people: Mapping[str, Entry], rules: RuleBook, diags: Diagnostics,
            broken: frozenset[str], shared: frozenset[str] = frozenset()) -> list[Edge]:
    """One person's edges, each of their relationships checked (the other side, HF0516,
    only when neither id is in `shared`: both a hero's and a character's)."""
    kinds = rules.relationship_kinds
    edges = []
    written = _relationships(entry)
    lines = relationship_note_ids(entry.kind, pid, [(with_, kind) for with_, kind, _, _ in written])
    for i, (with_, kind, note, _) in enumerate(written):
        rel = _Named(with_, kind, note)
        if rel.with_ == pid:
            diags.add("HF0515", f"{pid} cannot have a relationship with themselves", entry.span("relationships", i, "with"))
            continue
        # both fields checked: a typo in one never hides the other's (every problem at once)
        unknown_kind = rel.kind not in kinds
        if unknown_kind and not rules.dropped_name("kinds", rel.kind):   # else its error in the rule file says it
            diags.add("HF0310", f"unknown relationship kind '{rel.kind}'", entry.span("relationships", i, "kind"),
                      hint=suggestion(rel.kind, kinds, KINDS_HINT))
        if rel.with_ not in people and unread(broken, ("hero", "character"), rel.with_):
            continue  # that file failed to load; its own errors say why
        if rel.with_ not in people:
            # never the person themselves: followed, a relationship with oneself (HF0515)
            diags.add("HF0302", f"relationship with unknown hero or character '{rel.with_}'",
                      entry.span("relationships", i, "with"), hint=suggestion(rel.with_, [p for p in people if p != pid]))
            continue
        if unknown_kind:
            continue
        if pid not in shared and rel.with_ not in shared:
            _check_other_side(pid, entry, i, people, rules, diags)
        edges.append(Edge(pid, rel.with_, rel.kind, rel.note, _note_html(entry, i), lines[i], i))
    return edges


@dataclass(frozen=True)
class _Named:
    """One relationship as written: whom, which kind, the note's plain text."""

    with_: str
    kind: str
    note: str


def _relationships(entry: Entry) -> tuple[tuple[str, str, str, object], ...]:
    """(with, kind, note, _) of each of a person's relationships: from its summary
    (resolve/summaries.py) when it has one, without decoding its model, else the model's."""
    kept = relationships_of(entry)
    if kept is not None:
        return kept
    return tuple((rel.with_, rel.kind, rel.note, None) for rel in entry.model.relationships)


def _note_html(entry: Entry, index: int) -> str:
    """The HTML of a relationship's note (its inline Markdown: load/titles.py)."""
    kept = relationships_of(entry)
    return kept[index][3] if kept is not None else str(entry.html("relationships", index, "note"))


def _check_other_side(pid: str, entry: Entry, index: int, people: Mapping[str, Entry], rules: RuleBook,
                      diags: Diagnostics) -> None:
    with_, kind_name, _, _ = _relationships(entry)[index]
    rel = _Named(with_, kind_name, "")
    expected = mirror_of(rules, rel.kind)
    back = [k for w, k, _, _ in _relationships(people[rel.with_]) if w == pid]
    if any(k not in rules.relationship_kinds for k in back):
        return   # the other side's kind is misspelt (`mentr`): its HF0310 there is the one slip
    # what the other wrote that this side already answers is no disagreement: the guide may
    # be Rook's apprentice (Rook's mentor answers it) and his rival too, which Rook did not
    # write, as a rivalry written by one side alone is (a person's page shows both)
    mine = {k for w, k, _, _ in _relationships(entry) if w == rel.with_}
    if any(k not in rules.relationship_kinds for k in mine):
        return   # so is one of this side's (HF0310 here): it may be the one answering the other's
    unanswered = [k for k in back if mirror_of(rules, k) not in mine]
    if unanswered and expected and expected not in back:
        diags.add("HF0516", f"{pid} is '{rel.kind}' to {rel.with_}, but {rel.with_} says '{unanswered[0]}' "
                  f"(expected '{expected}')", entry.span("relationships", index, "kind"),
                  hint=f"Make one side agree: the inverse of '{rel.kind}' is '{expected}'.")


def mirror_of(rules: RuleBook, kind: str) -> str | None:
    """The kind the other side writes back for `kind`: itself for a symmetric kind, else
    its inverse; None for a kind with neither, or not in the rule book."""
    rule = rules.relationship_kinds.get(kind)
    if rule is None:
        return None
    return kind if rule.symmetric else rule.inverse
