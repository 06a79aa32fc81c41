"""HF0186 (a background still holding the question `foundry new` wrote) looks at a
hero's background line by line only when it holds the first word of one of the
questions: nearly none does, and that look was ~6 µs a hero of a cold check's main
thread at 10,000 heroes (docs/performance.md cold55). What is said stays what it was.
Counts, never times."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.heroes import sheet
from support import counted_calls

HERO = "name: {name}\ntemplate: scout\nbackground: |\n  {line}\n  A second line of her own.\n"


def test_only_a_background_holding_a_questions_first_word_is_looked_at_line_by_line(project_factory, monkeypatch):
    root = project_factory({
        "content/heroes/plain.yaml": HERO.format(name="Plain", line="She grew up on the marsh road."),
        # the scout template's prompt's first word, in a sentence of her own: looked at, not said
        "content/heroes/asker.yaml": HERO.format(name="Asker", line="Who she was, nobody knew."),
        # the prompt itself, spaced otherwise: said
        "content/heroes/kept.yaml": HERO.format(name="Kept", line="Who  taught you to move   without a sound?"),
        # the question `foundry new hero` writes with no template, her name in it: said
        "content/heroes/named.yaml": HERO.format(name="Tam", line="Who is Tam? Where do they come from, and what "
                                                                  "do they want?").replace("template: scout\n", ""),
    })
    looked = counted_calls(monkeypatch, sheet, "_typed_question")
    diags = Diagnostics()
    check(root, diags)
    said = sorted(d.span.path for d in diags.items if d.code == "HF0186")
    assert said == ["content/heroes/kept.yaml", "content/heroes/named.yaml"], said
    # the minimal root's own hero (her background holds no "Who") and plain.yaml are not looked at
    assert sorted(b.splitlines()[0] for b in looked) == [
        "Who  taught you to move   without a sound?", "Who is Tam? Where do they come from, and what do they want?",
        "Who she was, nobody knew."], looked
