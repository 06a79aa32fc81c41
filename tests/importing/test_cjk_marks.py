"""Emphasis beside Chinese, Japanese and Korean text through an import: the writer of the
imported story decides where a mark it writes flanks by the parser's own rule, the
CJK-friendly amendment (load/cjk_emphasis.py), and keeps every other `*` literal."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from import_support import imported
from support import foundry, write_project

STORY = """---
title: 霧の道
status: draft
summary: 短い渡り。
start: road
protagonist: first-hero
---

## これは**「重要」**です {#road}

中文**“强调”**测试

霧が*「来る」*の。

- [**「足跡」**を追う](#bank)

## 岸 {#bank .ending}

着いた。
"""

SUGARCUBE = """:: StoryTitle
灯

:: StoryData
{"ifid": "7D1C3E0D-3D7B-4C47-8D0B-8C0C3E6B9E44", "format": "SugarCube", "format-version": "2.37.3", "start": "Start"}

:: Start
これは**「重要」**です

中文**“强调”**测试
"""


def test_cjk_emphasis_survives_a_twee_export_imported_again(tmp_path):
    """`**「重要」**です` exports to Twee as `<strong>「重要」</strong>です`; imported again
    it is that Markdown as written. The writer used CommonMark's flanking rule alone,
    by which a run between 」 and で flanks nothing, and moved the brackets out of the
    mark (`「**重要**」です`): the story came back changed."""
    root = write_project(tmp_path / "proj", {"content/stories/fog.md": STORY}, "minimal")
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    twee = (root / "build/twee/fog.twee").read_text(encoding="utf-8")
    assert "<h2>これは<strong>「重要」</strong>です</h2>" in twee and "中文<strong>“强调”</strong>测试" in twee
    source = tmp_path / "fog.twee"
    source.write_text(twee, encoding="utf-8")
    run = imported(root, "twine", source, "again")
    assert run.code == 0, run.stderr
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "## これは**「重要」**です {#road}" in body, body
    assert "中文**“强调”**测试" in body and "霧が*「来る」*の。" in body, body
    assert "- [**「足跡」**を追う](#bank)" in body, body
    assert foundry("check", "--project", str(root)).code == 0


def test_literal_asterisks_of_a_cjk_twine_story_stay_literal(tmp_path):
    """SugarCube shows `**` as typed (it is no markup there): imported, the asterisks are
    escaped, so the amended emphasis rule does not make them bold on our site."""
    root = write_project(tmp_path / "proj", {}, "minimal")
    source = tmp_path / "light.twee"
    source.write_text(SUGARCUBE, encoding="utf-8")
    run = imported(root, "twine", source, "light")
    assert run.code == 0, run.stderr
    body = (root / "content/stories/light.md").read_text(encoding="utf-8")
    assert "これは\\*\\*「重要」\\*\\*です" in body and "中文\\*\\*“强调”\\*\\*测试" in body, body
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    page = lxml_html.parse(str(Path(root, "build/site/stories/light.html"))).getroot()
    shown = {p.text_content().strip(): p for p in page.iter("p")}
    for words in ("これは**「重要」**です", "中文**“强调”**测试"):
        assert words in shown and shown[words].xpath(".//strong") == [], list(shown)


NESTED = SUGARCUBE.replace("これは**「重要」**です\n\n中文**“强调”**测试\n",
                           "Go<strong><s>「初心者」</s></strong>を読む\n\nGo<s><em>「古い」</em></s>を消す\n\n"
                           "Go<s><strong>「</strong>新しい」</s>を見る\n")


def test_a_mark_holding_another_at_its_edge_stays_a_mark(tmp_path):
    """`Go<strong><s>「初心者」</s></strong>を`: the `**` the writer writes touches the `~~`
    of the strike inside it, not the bracket past it, and between `o` and `~` a run
    flanks nothing. The writer asked the rule about the bracket (which, being CJK, would
    flank) and left it inside: `Go**~~「初心者」~~**を` showed its asterisks, the strong
    emphasis lost. The bracket goes out instead, as before the CJK amendment."""
    root = write_project(tmp_path / "proj", {}, "minimal")
    source = tmp_path / "nested.twee"
    source.write_text(NESTED, encoding="utf-8")
    run = imported(root, "twine", source, "nested")
    assert run.code == 0, run.stderr
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    page = lxml_html.parse(str(Path(root, "build/site/stories/nested.html"))).getroot()
    shown = {p.text_content().strip(): p for p in page.iter("p")}
    strong = shown.get("Go「初心者」を読む")
    assert strong is not None and [s.text_content() for s in strong.xpath(".//strong//s")] == ["初心者」"], list(shown)
    struck = shown.get("Go「古い」を消す")
    assert struck is not None and [e.text_content() for e in struck.xpath(".//s//em")] == ["古い」"], list(shown)


def test_a_mark_inside_a_strike_through_is_not_emptied_by_it(tmp_path):
    """`Go<s><strong>「</strong>新しい」</s>を`: the strong emphasis, beside `o` through
    CJK punctuation, was kept as `**「**`; then the strike-through around it, whose `~~`
    touches that `*` (and between `o` and `*` flanks nothing), moved the bracket out of
    both: `Go「~~****新しい」~~を` showed four asterisks (before the first fix here, the
    `~~`). A mark beside a strike-through not yet written is now written as the
    strike-through will need it: the bracket goes out of it at once, and the strong
    emphasis around nothing else is dropped, as a mark around punctuation alone always
    was; the strike-through, beside `o` through the bracket, keeps it."""
    root = write_project(tmp_path / "proj", {}, "minimal")
    source = tmp_path / "nested.twee"
    source.write_text(NESTED, encoding="utf-8")
    assert imported(root, "twine", source, "nested").code == 0
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    page = lxml_html.parse(str(Path(root, "build/site/stories/nested.html"))).getroot()
    shown = {p.text_content().strip(): p for p in page.iter("p")}
    struck = shown.get("Go「新しい」を見る")
    assert struck is not None and [s.text_content() for s in struck.xpath(".//s")] == ["「新しい」"], list(shown)
    assert struck.xpath(".//strong") == []
