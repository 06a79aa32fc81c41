"""ink and Twee per language, with line ids (docs/localization.md): the export fixture
(prose and choices full of ink and SugarCube markup) translated into German and
Arabic, built once; every language's script compiles with inkjs and inklecate and
plays in the translation, every Twee file reads and compiles with extwee, and the
line ids of the translation files are the ones the exports carry."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import polib
import pytest

from export_support import FIXTURE, SOURCE_DATE_EPOCH, run_node
from support import foundry

LANGUAGES = {"de": "DE", "ar": "بالعربية"}
STORY = "signs"


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("l10n-exports") / "world"
    for name, text in FIXTURE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    for language, word in LANGUAGES.items():   # as a translator's tool would: polib, every entry
        for path in (root / "translations" / language).rglob("*.po"):
            po = polib.pofile(str(path))
            for entry in po:
                entry.msgstr = f"{word} {entry.msgid}"
            po.save()
    run = foundry("build", "--project", str(root), "--only", "ink,twee", "--format", "json", env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root


def _story_ids(root: Path) -> set[str]:
    po = polib.pofile(str(root / f"translations/de/content/stories/{STORY}.md.po"))
    return {e.msgctxt for e in po if not e.msgctxt.endswith((".title", ".summary"))}


def _script(root: Path, language: str | None, suffix: str) -> Path:
    folder = suffix.lstrip(".")
    return root / "build" / folder / (f"{language}/" if language else "") / f"{STORY}{suffix}"


@pytest.mark.parametrize("compiler", ["inkjs", "inklecate"])
def test_ink_per_language_compiles_plays_translated_with_line_ids(node_tools, request, translated, compiler):
    compile_with = request.getfixturevalue("inklecate") if compiler == "inklecate" else None
    ids = _story_ids(translated)
    for language in (None, *LANGUAGES):
        ink = _script(translated, language, ".ink")
        source = ink.read_text(encoding="utf-8")
        found = set(re.findall(r"# (?:title_)?line: (\S+)", source))
        assert found == ids, (language, sorted(ids ^ found))
        answer = run_node("ink_runner.mjs", str(compile_with(ink) if compile_with else ink),
                          request={"paths": [[]], "variables": []})
        assert answer["errors"] == [] and answer["author"] == [], answer
        first = answer["runs"][0]["steps"][0]
        shown = " ".join([first["title"] or "", *first["lines"], *(o["text"] for o in first["options"])])
        if language:
            assert first["title"].startswith(LANGUAGES[language]) and first["options"], first
            assert all(o["text"].startswith(LANGUAGES[language]) for o in first["options"]), first
        else:
            assert "DE " not in shown and first["title"] == "The Gate"


def test_twee_per_language_reads_compiles_with_line_ids(node_tools, translated):
    ids = _story_ids(translated)
    ifids = set()
    for language in (None, *LANGUAGES):
        answer = run_node("twee_runner.mjs", str(_script(translated, language, ".twee")))
        assert answer["warnings"] == [] and answer["html"]["error"] is None, answer
        ifids.add(answer["story"]["ifid"])
        tags = {t for p in answer["passages"] for t in p["tags"] if t.startswith("line:")}
        text = "\n".join(p["text"] for p in answer["passages"])
        found = {t[len("line:"):] for t in tags} | set(re.findall(r'data-line="([^"]+)"', text))
        assert found == ids, (language, sorted(ids ^ found))
        gate = next(p for p in answer["passages"] if p["name"] == "gate")
        if language:
            assert f"<h2>{LANGUAGES[language]} The Gate</h2>" in gate["text"]
    assert len(ifids) == 3   # a translation is a story of its own


LEFT = {f"story.{STORY}.scene.yard", f"story.{STORY}.choice.read"}


@pytest.fixture(scope="module")
def partly_arabic(tmp_path_factory) -> Path:
    """The export fixture in Arabic but for one scene heading and one choice (LEFT),
    built as Twee and ink."""
    root = tmp_path_factory.mktemp("partly-arabic") / "world"
    for name, text in FIXTURE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    for path in (root / "translations" / "ar").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = "" if entry.msgctxt in LEFT else f"{LANGUAGES['ar']} {entry.msgid}"
        po.save()
    run = foundry("build", "--project", str(root), "--only", "twee,ink", env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root


def test_twee_marks_a_heading_and_a_choice_left_in_the_base_language(node_tools, partly_arabic):
    """The Arabic Twee of a story with one scene heading and one choice not yet
    translated: its paragraphs left in English carried lang="en" dir="ltr" and the
    class l10n-fallback, but a heading or a choice did not (the site and the books mark
    every such line), so the English words were laid out and read as Arabic. Nor did
    the Arabic story say it is right to left: SugarCube's page has no lang or dir."""
    root = partly_arabic
    answer = run_node("twee_runner.mjs", str(_script(root, "ar", ".twee")))
    assert answer["warnings"] == [] and answer["html"]["error"] is None, answer
    passages = {p["name"]: p["text"] for p in answer["passages"]}
    assert '<h2 lang="en" class="l10n-fallback" dir="ltr">The &#91;[Yard]]</h2>' in passages["yard"]
    assert f'<h2>{LANGUAGES["ar"]} The Gate</h2>' in passages["gate"]   # translated: no mark
    read = re.search(r'<li data-choice="read"[^>]*>', passages["gate"]).group(0)
    assert 'lang="en"' in read and 'dir="ltr"' in read and 'class="l10n-fallback"' in read
    others = re.findall(r'<li data-choice="[^"]+"[^>]*>', passages["gate"] + passages["yard"])
    assert len(others) > 2 and [li for li in others if "lang=" in li] == [read]
    # the base language's Twee has no marks at all
    assert "l10n-fallback" not in _script(root, None, ".twee").read_text(encoding="utf-8")
    # and the Arabic story's passages are right to left (SugarCube's page says nothing of it)
    assert passages["gate"].startswith('<html><div lang="ar" dir="rtl"><h2>')
    assert '<ul class="choices" lang="ar" dir="rtl">' in passages["gate"]
    assert all('dir="rtl"' not in line for line in _script(root, None, ".twee").read_text(encoding="utf-8").split("\n"))


def test_ink_says_the_language_of_a_line_left_in_the_base_language(node_tools, inklecate, partly_arabic):
    """The Arabic ink of the same story: the heading and the choice left in English
    came out as bare English lines among Arabic ones, with nothing an engine could read
    to set their font, direction or voice (the site, the books and Twee mark them
    `lang="en"`). ink's way to say something of a line is a tag: `# lang: en` after the
    line's `# line:` id (`# title_lang:` after a scene's `# title_line:`), read as tags
    by the runtime once inklecate compiled it; a translated line and the base language's
    script have none."""
    ink = _script(partly_arabic, "ar", ".ink")
    answer = run_node("ink_runner.mjs", str(inklecate(ink)), request={"paths": [[1], [2], [3]], "variables": []})
    assert answer["errors"] == [], answer
    tags = [tag for run in answer["runs"] for step in run["steps"] for tag in step["tags"]]
    after = {tags[n - 1]: tag for n, tag in enumerate(tags) if tag.startswith(("lang:", "title_lang:"))}
    assert after == {f"title_line: story.{STORY}.scene.yard": "title_lang: en",
                     f"line: story.{STORY}.choice.read": "lang: en"}, sorted(set(tags))
    assert "lang: en" not in _script(partly_arabic, None, ".ink").read_text(encoding="utf-8")
