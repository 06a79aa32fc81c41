"""Emphasis in Chinese, Japanese and Korean text (the field case heading-inline-markup, in a
Japanese or Chinese world): `## これは**「重要」**です` and `中文**“强调”**测试` showed
their `**` in every output, with no diagnostic, because CommonMark's flanking rule
refuses a closing run between punctuation (」, ”) and a letter (で, 测). Emphasis now
follows CommonMark with the CJK-friendly amendment (load/cjk_emphasis.py): rendered as
<strong>/<em> in HTML, plain in ink, Twee names and JSON — and text without CJK reads
exactly as CommonMark reads it (`a**"b"**c` keeps its asterisks)."""

from __future__ import annotations

import json
import random
import shutil
import zipfile

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from pipeline.load.cjk_emphasis import amend_emphasis
from pipeline.load.markdown import render_prose, title_html, title_text
from support import ROOTS, foundry

HEADING = "これは**「重要」**です"
HEADING_TEXT = "これは「重要」です"
PROSE = ["中文**“强调”**测试", "*「x」*の話", "**이 용어(This term)**를 쓴다.", "太郎は**「こんにちわ」**といった。",
         "税込**¥10,000**で入手できます。", "~~「削除」~~です。"]
PROSE_TEXT = ["中文“强调”测试", "「x」の話", "이 용어(This term)를 쓴다.", "太郎は「こんにちわ」といった。",
              "税込¥10,000で入手できます。", "「削除」です。"]
# CommonMark's own rule, unchanged where no CJK character is near: literal asterisks
LATIN = 'Plain a**"b"**c here.'
RAW = ("**「", "」**", "**“强", "调”**", "*「", "」*", "~~「", "**이", ")**", "**¥", "0**")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cjk") / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ja"'), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("title: The Fog Road", f'title: "{HEADING}"')
    text = text.replace("## The Fog Road {#road}", f"## {HEADING} {{#road}}")
    text = text.replace("The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.",
                        "\n\n".join([*PROSE, LATIN]))
    text = text.replace("- [Follow the tracks alone]", "- [**「足跡」**を追う]")
    story.write_text(text, encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text.replace("title: Scout of the Marsh Road", 'title: "沼地の**「斥候」**です"')
    text = text.replace("Rook grew up on the marsh road, where the *fog* decides who arrives.",
                        "*「霧」*が来る者を決める。")
    hero.write_text(text, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,ink,twee,epub")
    assert run.code == 0, run.stdout + run.stderr
    return root / "build"


def _paragraph(page, words: str):
    return next(p for p in page.iter("p") if p.text_content().strip() == words)


def test_the_site_renders_cjk_emphasis_in_headings_titles_and_prose(built):
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    [h1] = page.xpath("//h1")
    assert [e.text for e in h1.xpath(".//strong")] == ["「重要」"], lxml_html.tostring(h1, encoding="unicode")
    [h2] = page.xpath('//h2[@id="scene-road--h"]')
    assert [e.text for e in h2.xpath("./strong")] == ["「重要」"] and h2.text_content().strip() == HEADING_TEXT
    assert [e.text for e in _paragraph(page, "中文“强调”测试").xpath("./strong")] == ["“强调”"]
    assert [e.text for e in _paragraph(page, "「x」の話").xpath("./em")] == ["「x」"]
    assert [e.text for e in _paragraph(page, "이 용어(This term)를 쓴다.").xpath("./strong")] == ["이 용어(This term)"]
    assert [e.text for e in _paragraph(page, "税込¥10,000で入手できます。").xpath("./strong")] == ["¥10,000"]
    assert [e.text for e in _paragraph(page, "「削除」です。").xpath("./s")] == ["「削除」"]
    assert page.xpath("string(//title)").startswith(HEADING_TEXT)
    choice = next(a for a in page.iter("a") if "足跡" in a.text_content())
    assert [e.text for e in choice.xpath(".//strong")] == ["「足跡」"]
    # no CJK near them: CommonMark's flanking rule, as before (the quotes curled)
    latin = _paragraph(page, "Plain a**\u201cb\u201d**c here.")
    assert latin.xpath(".//strong") == []
    hero = lxml_html.parse(str(built / "site/heroes/first-hero.html")).getroot()
    [epithet] = hero.xpath('//p[@class="entity-title"]')
    assert [e.text for e in epithet.xpath("./strong")] == ["「斥候」"]
    assert [e.text for e in _paragraph(hero, "「霧」が来る者を決める。").xpath("./em")] == ["「霧」"]


def test_text_outputs_show_the_words_without_the_markup(built):
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert story["title"] == HEADING_TEXT
    road = {s["id"]: s for s in story["scenes"]}["road"]
    assert road["title"] == HEADING_TEXT
    for words in PROSE_TEXT:
        assert words in road["text"], road["text"]
    hero = json.loads((built / "api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))
    assert "沼地の「斥候」です" in json.dumps(hero, ensure_ascii=False)
    ink = (built / "ink/first-story.ink").read_text(encoding="utf-8")
    assert f"# title: {HEADING_TEXT}" in ink and f"// {HEADING_TEXT}:" in ink
    twee = (built / "twee/first-story.twee").read_text(encoding="utf-8")
    assert f":: StoryTitle\n{HEADING_TEXT}" in twee
    assert "<h2>これは<strong>「重要」</strong>です</h2>" in twee
    assert "中文<strong>“强调”</strong>测试" in twee
    texts = {"ink": ink, "twee": twee, "json": json.dumps(story, ensure_ascii=False)}
    with zipfile.ZipFile(built / "epub/stories/first-story.epub") as book:
        texts.update({n: book.read(n).decode("utf-8") for n in book.namelist() if n.endswith((".xhtml", ".opf"))})
    for name, text in texts.items():
        for raw in RAW:
            assert raw not in text, (name, raw)


# The specification's own examples (its test cases: strong.md, korean.md,
# underscore-cjk-punct.md, gfm-strikethrough.md), each with the element it makes.
SPEC = [
    ("これは**私のやりたかったこと。**だからするの。", "strong", "私のやりたかったこと。"),
    ("**これは太字になりません。**ご注意ください。", "strong", "これは太字になりません。"),
    ("カッコに注意**（太字にならない）**文が続く場合に要警戒。", "strong", "（太字にならない）"),
    ("正解は**④**です。", "strong", "④"),
    ("Go**「初心者」**を対象とした記事です。", "strong", "「初心者」"),
    (".NET**（.NET Frameworkは不可）**では、", "strong", "（.NET Frameworkは不可）"),
    ("𰻞𰻞**(ビャンビャン)**麺", "strong", "(ビャンビャン)"),
    ("葛\U000e0100**(こちらが正式表記)**城市", "strong", "(こちらが正式表記)"),   # an ideographic variation selector
    ("大塚\ufe00**(U+585A U+FE00)**", "strong", "(U+585A U+FE00)"),         # a CJK sequence
    ("**“\ufe01Git”\ufe01**Hub", "strong", "“\ufe01Git”\ufe01"),             # fullwidth curly quotes
    ("**真“**她", "strong", "真“"),
    ("**スクリプト(script)**라고", "strong", "スクリプト(script)"),
    ("패키지를 발행하려면 **`npm publish`**를 실행하십시오.", "strong", "npm publish"),
    ("**안녕(hello)**하세요.", "strong", "안녕(hello)"),
    ("__注意__：注意事項", "strong", "注意"),
    ("注意：__注意事項__", "strong", "注意事項"),
    ("正體字。\ufe01_Traditional._", "em", "Traditional."),
    ("a~~a()~~あ", "s", "a()"),
    ("𩸽~~()a~~a", "s", "()a"),
    ("a~~「a~~」", "s", "「a"),
]
# and those it leaves as CommonMark reads them (non-CJK punctuation, no CJK near)
UNCHANGED = ["a**a«**a", "a**»a**a", "a**a∇**a", "a**∇a**a", "a**a𝜵**a", "a**𝜵a**a", 'a**"b"**c', "x*'a'*b"]


@pytest.mark.parametrize(("written", "tag", "words"), SPEC)
def test_the_specifications_examples(written, tag, words):
    for html in (render_prose(written), "<p>" + str(title_html(written)) + "</p>"):
        [p] = lxml_html.fromstring(f"<div>{html}</div>").xpath("//p")
        assert [e.text_content() for e in p.iter(tag)] == [words], html
        assert "**" not in p.text_content() and "~~" not in p.text_content()
    assert "*" not in title_text(written) and "~" not in title_text(written)


@pytest.mark.parametrize("written", UNCHANGED)
def test_text_without_cjk_keeps_commonmarks_reading(written):
    for html in (render_prose(written), str(title_html(written))):
        assert "<strong>" not in html and "<em>" not in html and html.count("*") == written.count("*"), html


def test_text_without_cjk_parses_to_the_same_tokens_as_commonmark():
    """The amendment changes nothing where no CJK character or variation selector is
    beside a delimiter run: random text heavy in `*`, `_`, `~`, punctuation (ASCII,
    curly quotes, guillemets, Arabic, symbols), Latin and Arabic letters, spaces and
    line breaks parses to the very tokens markdown-it's own rules give."""
    stock = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    amended = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    amend_emphasis(amended)
    pieces = ["*", "**", "_", "__", "~~", "~", " ", "\n", "a", "Z", "ß", "ü", "ب", "ك", "1", '"', "'", "(", ")", ".",
              ",", "!", "?", "-", "[", "]", "`", "\\", "“", "”", "«", "»", "،", "؟", "¥", "€", "∇", "😀", "\u00a0",
              "\u2003", "#", "&", ":"]
    rng = random.Random(44)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        assert amended.render(text) == stock.render(text), repr(text)


def test_a_japanese_translation_keeps_the_sources_emphasis(tmp_path):
    """A translation must keep its source's emphasis (HF1107), read by the same parser:
    `*fog*` translated `*「霧」*が` was 'emphasis lost', an error no Japanese
    translator could fix but by adding spaces, and the site showed the asterisks."""
    import polib

    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["ja"]\n', encoding="utf-8")
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    translated = 0
    for path in (root / "translations/ja").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if "*fog*" in entry.msgid:
                entry.msgstr, translated = "沼の道で育った。*「霧」*が来る者を決める。", translated + 1
        po.save(str(path))
    assert translated == 1
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF1107"] == [], run.stdout
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    page = lxml_html.parse(str(root / "build/site/ja/heroes/first-hero.html")).getroot()
    assert [e.text for e in _paragraph(page, "沼の道で育った。「霧」が来る者を決める。").xpath("./em")] == ["「霧」"]
