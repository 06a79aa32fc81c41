"""Quotes and lists nested past markdown-it's limit (100 levels): its block parser skips
the rest of what it was given without a token, so the words were not published, and a
story's scenes after them were lost (check said "no ending" and "dead end", or nothing
at all). Found by fuzz32's hostile corpus; now HF0171 at the first line not read."""
from __future__ import annotations

from support import foundry

STORY = "content/stories/deep.md"
_FRONT = "---\ntitle: Deep\nstatus: published\nsummary: A deep story.\nstart: one\n---\n\n"


def _found(root) -> list[str]:
    run = foundry("check", "--project", str(root), "--format", "json")
    return [f"{d['code']} {d['file']}:{d['line']}" for d in run.json()["diagnostics"] if d["severity"] == "error"]


def test_a_quote_or_list_nested_past_the_limit_is_hf0171_at_its_line(project_factory):
    quote = ">" * 120 + " The words nobody would read.\n"
    listed = "".join("  " * i + "- level\n" for i in range(60))
    for n, deep in enumerate((quote, listed)):
        story = (_FRONT + "## One {#one}\n\nThe first scene.\n\n" + deep
                 + "\n- [On](#two)\n\n## Two {#two .ending}\n\nThe end.\n")
        root = project_factory({STORY: story}, name=f"story{n}")
        # a quote is one level, a list item two: the 100th quote's words, the 50th item's
        line = story.splitlines().index(deep.splitlines()[0 if n == 0 else 49]) + 1
        assert _found(root) == [f"HF0171 {STORY}:{line}"], n


def test_a_background_nested_past_the_limit_is_hf0171_at_its_line(project_factory):
    text = "name: Deep\nrole: Mentor\nbackground: |\n  Line one.\n\n  " + ">" * 120 + " Deep.\n"
    root = project_factory({"content/characters/deep.yaml": text})
    assert _found(root) == ["HF0171 content/characters/deep.yaml:6"]


def test_quotes_and_lists_nested_as_prose_nests_them_say_nothing(project_factory):
    deep = ">" * 40 + " Quoted.\n\n" + "".join("  " * i + "- level\n" for i in range(20))
    root = project_factory({STORY: _FRONT + "## One {#one .ending}\n\nThe scene.\n\n" + deep})
    assert _found(root) == []
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    page = (root / "build/site/stories/deep.html").read_text(encoding="utf-8")
    assert "Quoted." in page and page.count("level") >= 20


def test_a_translated_summary_nested_past_the_limit_is_hf0171_at_its_msgstr(project_factory):
    """A summary's translation is rendered as Markdown blocks of its own: nested past
    the limit, its words were missing from the German quest page with check clean. A
    story paragraph's translation is shown inline, as typed: nothing lost, nothing said."""
    import polib
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    deep = "- " * 60 + "Quer durchs Moor."
    for rel, line_id in (("content/quests/first-quest.yaml", "quest.first-quest.summary"),
                         ("content/stories/first-story.md", "story.first-story.scene.road.p1")):
        po = polib.pofile(str(root / f"translations/de/{rel}.po"), wrapwidth=1000)
        next(e for e in po if e.msgctxt == line_id).msgstr = deep
        po.save()
    quest = "translations/de/content/quests/first-quest.yaml.po"
    line = next(n for n, text in enumerate((root / quest).read_text(encoding="utf-8").split("\n"), 1)
                if text.startswith('msgstr "- - -'))
    assert _found(root) == [f"HF0171 {quest}:{line}"]
