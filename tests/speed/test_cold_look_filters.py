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


# Distinct letters with marks no face of the shipped print theme draws (Thai, Devanagari:
# fontconfig's fonts are asked) and one it draws whose mark it lacks (the keycap).
THAI = "การเปลี่ยนแปลงสภาพภูมิอากาศโลกที่เกิดขึ้นอย่างต่อเนื่องยาวนาน ผู้ใหญ่ บ้าน ที่นี่ น้ำ ไม้ ใช้ ได้ ชื่อ เมื่อ"
DEVANAGARI = "हिन्दी भाषा में लिखा गया यह वाक्य कई मात्राओं के साथ है और शब्द सुंदर हैं"


def test_the_theme_and_the_machines_fonts_are_read_once_for_every_cluster_of_a_book(project_factory, monkeypatch):
    """HF0761 judged each distinct letter and mark on its own: the theme's stylesheets'
    face rules parsed and its fonts hashed again for each (~6.6 ms), fontconfig's
    configuration loaded and the machine's fonts walked again for each the theme does not
    draw (~3.5 ms): ~0.4 CPU-s for a book of a line of Thai and one of Devanagari, in
    `check` and again in each PDF's build. Now once per book for all of them; what is
    said is what each cluster judged on its own says."""
    from pipeline import fontconfig
    root = project_factory({})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    first = with_background(root, f"{THAI}\n{DEVANAGARI}\nPress 1\u20e3done.\n")
    themes: list[dict[str, bytes]] = []   # the theme's files each book's report_apart was given
    report = marks_apart.report_apart
    monkeypatch.setattr(marks_apart, "report_apart",
                        lambda texts, printed, files, diags: themes.append(files) or report(texts, printed, files, diags))
    faces = counted_calls(monkeypatch, marks_apart, "_declared")
    walks = counted_calls(monkeypatch, fontconfig, "visit_drawn_charsets")
    diags = Diagnostics()
    check(root, diags)
    said = [(d.span.path, d.span.line, d.message[:4]) for d in diags.items if d.code == "HF0761"]
    assert said and said == [("content/heroes/first-hero.yaml", first + 2, "'1\u20e3'")] * len(said), said
    clusters = sorted({(base, marks) for line in (THAI, DEVANAGARI) for _, base, marks in marks_apart.clusters(line)})
    assert len(clusters) >= 25 and themes
    # once a book, not once a cluster
    assert len(faces) <= len(themes) and 0 < len(walks) <= len(themes), (len(themes), len(faces), len(walks))
    # each cluster judged alone (the theme's faces and fontconfig asked of it alone) is
    # judged as all of them together are: drawn together, all but the keycap
    alone = {pair: marks_apart.judged_apart([pair], themes[0])[pair] for pair in [*clusters, ("1", "\u20e3")]}
    assert alone == marks_apart.judged_apart([*clusters, ("1", "\u20e3")], themes[0])
    assert [pair for pair, drawn_apart in alone.items() if drawn_apart] == [("1", "\u20e3")]
