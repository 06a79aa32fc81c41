"""Hero templates: a chain of defaults (`extends`) merged under a hero's own values."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostics, near_budget, suggestion
from ..validate.documents import left_out
from ..validate.entities import Entry
from ..cycles import leading_to
from ..rules import find_cycles
from ..rules.book import cycle_text
from .models import HeroTemplate

TEMPLATES_HINT = "Hero templates live in content/templates/heroes/."
# The question `foundry new hero` writes as the background of a hero with no template
# (with one: its chain's `background_prompts`), for the writer to answer.
NEW_HERO_QUESTION = "Who is {name}? Where do they come from, and what do they want?"
# and as a new character's (`foundry new character`)
NEW_CHARACTER_QUESTION = "Who is {name}? What are they to the heroes, and what do they want?"
# the objective `foundry new quest` writes for the writer to replace (HF0186 until replaced)
NEW_QUEST_OBJECTIVE = "What must the hero do first?"


@dataclass(frozen=True)
class TemplateDefaults:
    chain: tuple[str, ...]                # the hero's template first, then what it extends
    attributes: dict[str, int]
    skills: tuple[str, ...]
    items: tuple[str, ...]
    sources: dict[str, Entry]             # attribute → the template that set it (for spans)
    # what the defaults are made from: the memo key of each template of the chain
    made_from: tuple[str, ...] = field(default=(), compare=False)
    # fields of a template of the chain that did not validate and were left out (so
    # what the defaults say of them is not what was written): heroes/sheet.py does not
    # judge a hero by them. Made from the same files as `made_from`.
    left_out: frozenset[str] = field(default=frozenset(), compare=False)
    # the chain's `background_prompts`, the farthest template's first, as `foundry new
    # hero` writes them into a new hero's background (a hero still holding one is told)
    prompts: tuple[str, ...] = ()

    def memo_key(self) -> str:
        """The defaults are a function of their chain's template files alone (pipeline/queries.py)."""
        return "|".join(self.made_from)


def check_templates(templates: dict[str, Entry[HeroTemplate]], diags: Diagnostics) -> set[str]:
    """Report unknown `extends` and cycles; return the ids that are part of a cycle.
    The near names of the unknown parents share one budget (diagnostics.near_budget):
    checked every time, none kept, 600 templates each extending a slip among the 600
    were 600 x 600 comparisons."""
    edges = {t: [e.model.extends] if e.model.extends in templates else [] for t, e in templates.items()}
    with near_budget():
        for entry in templates.values():
            parent = entry.model.extends
            if parent and parent not in templates:
                # never the template itself nor one extending it: followed, a cycle (HF0409)
                back = leading_to(entry.id, edges)
                diags.add("HF0305", f"template '{entry.id}' extends unknown template '{parent}'",
                          entry.span("extends"),
                          hint=suggestion(parent, [t for t in templates if t not in back], TEMPLATES_HINT))
    cyclic: set[str] = set()
    for cycle in find_cycles(edges):
        cyclic.update(cycle)
        first = templates[cycle[0]]
        diags.add("HF0409", "templates extend each other in a cycle: " + cycle_text(cycle),
                  first.span("extends"))
    return cyclic


def template_defaults(name: str | None, templates: dict[str, Entry[HeroTemplate]],
                      cyclic: set[str]) -> TemplateDefaults:
    """The merged defaults of a template chain; the nearest template wins."""
    chain: list[str] = []
    while name and name in templates and name not in cyclic and name not in chain:
        chain.append(name)
        name = templates[name].model.extends
    attributes: dict[str, int] = {}
    sources: dict[str, Entry] = {}
    skills: list[str] = []
    items: list[str] = []
    for tid in reversed(chain):  # the farthest ancestor first, so nearer ones override it
        entry = templates[tid]
        attributes.update(entry.model.attributes)
        sources.update({a: entry for a in entry.model.attributes})
        skills += [s for s in entry.model.skills if s not in skills]
        items += [i for i in entry.model.items if i not in items]
    unsure = frozenset(k for tid in chain for k in left_out(templates[tid].doc.data, templates[tid].model))
    if name and (name not in templates or name in cyclic):
        # the chain stops at a template that is unknown (`template: scot`, HF0305), did not
        # load, or is in a cycle, each reported where it is named: what it would give is
        # not known, so "ambush needs 'tracking'" (the template's skill) is not said
        unsure |= {"template"}
    prompts = tuple(dict.fromkeys(p for tid in reversed(chain) for p in templates[tid].model.background_prompts))
    return TemplateDefaults(tuple(chain), attributes, tuple(skills), tuple(items), sources,
                            tuple(templates[tid].memo_key() for tid in chain), unsure, prompts)
