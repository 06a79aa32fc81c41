"""Relationships between heroes and characters, checked against the kinds in
schemas/relationships.yaml, and published as one graph of edges."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostics, suggestion
from ..validate.entities import Entry
from ..rules import RuleBook

KINDS_HINT = "Relationship kinds are defined in schemas/relationships.yaml."


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    kind: str
    note: str = ""
    note_html: str = ""    # the note's inline Markdown as HTML (load/titles.py); `note` is its plain text


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


def resolve_relationships(people: dict[str, Entry], rules: RuleBook, diags: Diagnostics,
                          broken: frozenset[str] = frozenset()) -> Edges:
    kinds = rules.relationship_kinds
    edges = []
    for pid, entry in people.items():
        for i, rel in enumerate(entry.model.relationships):
            if rel.with_ == pid:
                diags.add("HF0515", f"{pid} cannot have a relationship with themselves", entry.span("relationships", i, "with"))
                continue
            # both fields checked: a typo in one never hides the other's (every problem at once)
            unknown_kind = rel.kind not in kinds
            if unknown_kind:
                diags.add("HF0310", f"unknown relationship kind '{rel.kind}'", entry.span("relationships", i, "kind"),
                          hint=suggestion(rel.kind, kinds, KINDS_HINT))
            if rel.with_ not in people and {f"hero:{rel.with_}", f"character:{rel.with_}"} & broken:
                continue  # that file failed to load; its own errors say why
            if rel.with_ not in people:
                diags.add("HF0302", f"relationship with unknown hero or character '{rel.with_}'",
                          entry.span("relationships", i, "with"), hint=suggestion(rel.with_, people))
                continue
            if unknown_kind:
                continue
            _check_other_side(pid, entry, i, people, rules, diags)
            edges.append(Edge(pid, rel.with_, rel.kind, rel.note, str(entry.html("relationships", i, "note"))))
    return Edges(sorted(edges))


def _check_other_side(pid: str, entry: Entry, index: int, people: dict[str, Entry], rules: RuleBook,
                      diags: Diagnostics) -> None:
    rel = entry.model.relationships[index]
    kind = rules.relationship_kinds[rel.kind]
    expected = rel.kind if kind.symmetric else kind.inverse
    back = [r.kind for r in people[rel.with_].model.relationships if r.with_ == pid]
    if back and expected and expected not in back:
        diags.add("HF0516", f"{pid} is '{rel.kind}' to {rel.with_}, but {rel.with_} says '{back[0]}' (expected '{expected}')",
                  entry.span("relationships", index, "kind"),
                  hint=f"Make one side agree: the inverse of '{rel.kind}' is '{expected}'.")
