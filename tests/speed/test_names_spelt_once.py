"""A reference to an entity that does not exist is checked against the names of its
kind (`with: Rook Amsel` means `first-hero`: validate/documents.py `named_by`). Each such
reference spelt every name of the table again: 4,000 heroes each naming a missing
character was 16 million spellings, minutes of every `foundry check`. Each name is now
spelt once per table, so the spellings grow with the heroes, not with their square."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from pipeline.validate import documents

HERO = """name: Wren {n}
status: draft
template: scout
attributes: {{agility: 13, constitution: 10}}
relationships:
  - {{with: {other}, kind: mentor}}
"""


def test_each_name_is_spelt_once_for_all_unknown_references(project_factory, monkeypatch):
    heroes = 40
    files = {f"content/heroes/wren-{n}.yaml": HERO.format(n=n, other=f"ghost-{n}") for n in range(heroes)}
    files["content/heroes/moss.yaml"] = HERO.format(n="moss", other="rook-amsel")   # a name spelt as an id: still told the id
    root = project_factory(files)
    spelt = []
    real = documents.spell_id
    monkeypatch.setattr(documents, "spell_id", lambda text, *a, **k: spelt.append(text) or real(text, *a, **k))
    diags = Diagnostics()
    load_world(load_project(root, diags), diags)
    unknown = [d for d in diags.items if d.code == "HF0302"]
    assert len(unknown) == heroes + 1
    assert next(d.hint for d in unknown if d.span.path.endswith("moss.yaml")).endswith("so write `first-hero`.")
    # one per reference and one per name (heroes and characters), not one per pair of them (~1,700)
    assert len(spelt) <= 3 * (heroes + 3), len(spelt)
