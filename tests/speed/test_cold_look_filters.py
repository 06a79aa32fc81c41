"""Two looks a cold `foundry check` makes at every file, made only where they can find
something (issue 13: at 10,000 heroes and 500 stories they had added ~0.7 CPU-s to the
cold check, docs/performance.md cold55): HF0186's paragraph-by-paragraph reading of a
story for a built-in template's guidance (only a body holding a word of some guidance),
and HF0761's line-by-line reading for a letter and a mark the PDF draws apart (only a
file holding an escape or a combining mark, once a file however many books print it).
What is said stays what it was. Counts, never times."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.exporters.pdf import marks_apart
from pipeline.stories import guidance
from support import counted_calls, with_background

GUIDED = "*Introduce the hero in the world they know. What do they want, and what do they lack?*"


def test_guidance_is_read_for_only_in_a_story_holding_a_word_of_it(project_factory, monkeypatch):
    kept = guidance.builtin_guidance()
    line = next(text for text in kept if text.startswith("Introduce"))  # the three-act template's first scene
    root = project_factory({
        "content/stories/plain.md": "---\ntitle: Plain\nstart: a\n---\n\n## A {#a .ending}\n\nKes wakes by the river.\n",
        "content/stories/kept.md": f"---\ntitle: Kept\nstart: a\n---\n\n## A {{#a .ending}}\n\n*{line}*\n",
    })
    read = counted_calls(monkeypatch, guidance, "_report_paragraph")
    diags = Diagnostics()
    check(root, diags)
    assert [d.span.path for d in diags.items if d.code == "HF0186"] == ["content/stories/kept.md"]
    # plain.md and the minimal root's own story hold no guidance word: never read paragraph by paragraph
    assert {str(doc.path) for doc in read} == {"content/stories/kept.md"}, read


def test_a_file_is_read_line_by_line_for_clusters_only_when_it_may_hold_one(project_factory, monkeypatch):
    root = project_factory({})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    with_background(root, "Rook grew up on the marsh road.\nPress 1\u20e3done.\n")
    lines = counted_calls(monkeypatch, marks_apart, "written_clusters")
    diags = Diagnostics()
    check(root, diags)
    assert [d.span.path for d in diags.items if d.code == "HF0761"] == ["content/heroes/first-hero.yaml"]
    # only the hero's lines (her file holds the mark) and printed lines holding one are
    # read for clusters: none of the story's, the rules' or foundry.toml's
    hers = {line.strip() for line in (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8").splitlines()}
    assert lines and all(line.strip() in hers or not line.isascii() for line in lines), lines
    story = {line.strip() for line in (root / "content/stories/first-story.md").read_text(encoding="utf-8").splitlines()} - hers - {""}
    assert story and not story & {line.strip() for line in lines}
