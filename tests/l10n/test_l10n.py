"""Localization: line ids, translation files through real formats, check, diff, string tables."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import polib
from hypothesis import given, settings, strategies as st
from jsonschema import Draft202012Validator
from translate.storage import xliff2

from support import diagnostics, foundry, translate_lines, write_project

from pipeline.diagnostics import Diagnostics
from pipeline.l10n.markup import broken_markup
from pipeline.l10n.pseudo import pseudo_translate

L10N = '\n[l10n]\nlanguages = ["de", "fr", "en-XA"]\nrequire_line_ids = true\n'
STORY = "content/stories/first-story.md"
PO = "translations/{}/content/stories/first-story.md.po"


def _project(project_factory, extra: str = L10N, files: dict | None = None):
    root = project_factory(files)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(extra)
    return root


@pytest.fixture(scope="module")
def tagged_template(tmp_path_factory):
    """The minimal project with L10N, tagged and extracted by the real commands once per
    module: ~20 tests start from it, and each paid a `tag` and an `extract` (2.3 s under
    CI's load) for the same files."""
    root = write_project(tmp_path_factory.mktemp("tagged") / "proj")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(L10N)
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    return root


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """`extracted(extra, *options)`: the minimal project with `extra` appended to its
    foundry.toml and `l10n extract *options` run on it, made once per module for each
    (extra, options); a test copies it with `project_factory(base=str(…))`. Two tests
    start from the same XLIFF extract and two from the same CSV one, and each paid
    that `extract` itself."""
    made: dict[tuple, object] = {}

    def template(extra: str, *options: str):
        if (extra, options) not in made:
            root = write_project(tmp_path_factory.mktemp("extracted") / "proj")
            with open(root / "foundry.toml", "a", encoding="utf-8") as out:
                out.write(extra)
            assert foundry("l10n", "extract", *options, "--project", str(root)).code == 0
            made[(extra, options)] = root
        return str(made[(extra, options)])
    return template


def _tagged(project_factory, tagged_template):
    """A test's own copy of the tagged project: its files, translation files and parse
    cache byte for byte and with their times (copy2), as `tag` and `extract` left them."""
    return project_factory(base=str(tagged_template))   # ROOTS / an absolute path is that path


def _translate_all(path, prefix="DE "):
    """A translator's tool (polib, not the writer foundry uses) fills every entry."""
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = entry.msgid if "](" in entry.msgid or "*" in entry.msgid else prefix + entry.msgid
    po.save()


def _translated_in_git(project_factory, tagged_template):
    """(root, git command) of the tagged project with every German line translated,
    committed as the base of a change `foundry diff` reads."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    return root, git


def test_untagged_paragraphs_and_bad_language_code(project_factory):
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de_DE"]\nrequire_line_ids = true\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in diagnostics(run) if d.startswith("HF110")]
    assert "HF1103 foundry.toml:12:14" in found   # at the tag, not at `languages`
    assert f"HF1101 {STORY}:16:1" in found and "HF1101 content/heroes/first-hero.yaml:12:1" in found
    assert run.code == 1


def test_extract_and_status_stop_at_a_language_that_is_not_one(project_factory):
    """`languages = ["de", "klingon"]`: check failed at foundry.toml (HF1103), but
    `l10n extract` wrote translations/klingon/… for every source file and exited 0, and
    `status` counted it as a language to translate into. Both stop at the tag now and
    write nothing; `tag`, which works on the source alone, still runs."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "klingon"]\nrequire_line_ids = true\n')
    for verb in ("extract", "status"):
        run = foundry("l10n", verb, "--project", str(root))
        assert run.code == 1, (verb, run.stdout, run.stderr)
        assert "foundry.toml:12:20: error HF1103 'klingon' is not a BCP 47 language tag" in run.stdout + run.stderr
    assert not (root / "translations").exists()
    assert foundry("l10n", "tag", "--project", str(root)).code == 0


def test_a_language_asked_for_in_a_project_with_none_is_a_usage_error(project_factory):
    """`foundry l10n status --language fr` in a project with no [l10n] languages said
    "No languages configured" and exit 0, the value typed never named; `extract` said
    it is not configured (exit 2). Both name it now."""
    root = project_factory()
    for verb in ("status", "extract"):
        run = foundry("l10n", verb, "--language", "fr", "--project", str(root))
        assert run.code == 2, (verb, run.stdout, run.stderr)
        assert "Invalid value for --language: 'fr' not in [l10n] languages (none)" in run.stderr, (verb, run.stderr)
    assert foundry("l10n", "status", "--project", str(root)).code == 0


def test_a_language_listed_twice_in_any_letters_is_refused(project_factory):
    """Tags ignore case: `DE` beside `de` would publish site/DE/ beside site/de/ (one
    folder on macOS and Windows); `EN` would translate the English project into itself.
    The registry names some languages twice: `iw` beside `he` was Hebrew translated and
    published twice (site/iw/ and site/he/, each page naming both as alternates), and
    `en-Latn` the English project translated into itself, each said by nothing."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "DE", "EN", "en-xa", "iw", "iw", "en-XA", "he", '
                                     '"en-Latn"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["message"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0751"}
    twice = sorted(hints)
    assert twice == sorted(["language 'DE' is 'de' (listed before) in other letters",
                            "language 'EN' is 'en' (the project's language) in other letters",
                            "language 'en-xa' is 'en-XA' (the pseudo-locale) in other letters",
                            "language 'iw' is listed twice",
                            "language 'he' is 'iw' (listed before) under another tag",
                            "language 'en-Latn' is 'en' (the project's language) under another tag"]), twice
    # the hint spells the one language as the registry prefers it: he, not the deprecated iw listed first
    assert hints["language 'he' is 'iw' (listed before) under another tag"] == \
        "BCP 47 reads 'he' and 'iw' as one language: list each language once, spelled 'he'."
    assert all(d.startswith("HF0751 foundry.toml:12:") for d in diagnostics(run) if d.startswith("HF0751"))
    assert run.code == 1
    # each spelling is one language's outputs, made once: planned for 'DE' beside 'de' and
    # 'EN' beside the base 'en', every page (site/de/…, the books, ink, Twee) and string
    # table was HF0704 'html and html both write …' and a false HF0720 at every content file
    # (check's are `run`'s, the same command on the same files: not run a second time)
    built = foundry("build", "--only", "json,html,ink", "--project", str(root), "--format", "json")
    for verb, said in (("check", run), ("build", built)):
        assert said.code == 1
        assert {d["code"] for d in said.json()["diagnostics"] if d["severity"] == "error"} == {"HF0751"}, verb
    fine = project_factory(name="fine")
    with open(fine / "foundry.toml", "a", encoding="utf-8") as out:
        # languages a studio lists as distinct, which the registry does not read as one
        out.write('\n[l10n]\nlanguages = ["en", "de", "en-XA", "zh-Hans", "zh-Hant", "sr-Cyrl", "sr-Latn", "pt", '
                  '"pt-BR", "es", "es-419", "no", "nb", "ar-XB"]\n')
    assert not [d for d in diagnostics(foundry("check", "--project", str(fine), "--format", "json"))
                if d.startswith("HF0751")]


def test_a_language_s_folders_under_its_other_tag_are_that_language_s(project_factory):
    """Java's Locale wrote Hebrew `iw` (until JDK 17), and tools built on it still do:
    with `he` listed, translations/iw/ and content/audio/iw/ were each told to add "iw"
    to [l10n] languages (HF0751 beside `he`) while their work went unused; a PO file in
    translations/he/ whose header says `Language: iw` was HF1146 ("another language",
    move it to translations/iw/); and the theme's catalog in locale/iw/ was not read at
    all, the Hebrew pages in English and HF1140 saying the theme had no words for `he`.
    Each is the language HF0751 reads them as (l10n/tags.py `language_key`)."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: iw\\n"\n\n'
    root = _project(project_factory, '\n[l10n]\nlanguages = ["he"]\n', files={
        "translations/iw/content/stories/first-story.md.po":
            header + 'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "דרך הערפל"\n',
        PO.format("he"): header + 'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "דרך הערפל"\n',
        "content/audio/iw/story.first-story.title.opus": b"",
        "themes/default/locale/iw/LC_MESSAGES/messages.po": header + 'msgid "Search"\nmsgstr "חיפוש"\n'})
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    said = {d["code"]: d for d in run.json()["diagnostics"] if d["code"] in ("HF1110", "HF1133", "HF1140", "HF1146")}
    assert sorted(said) == ["HF1110", "HF1133"], run.stdout
    assert said["HF1110"]["message"] == "translations for 'iw': the language is listed as 'he', so none of them is used"
    assert "translations/he/ is there too" in said["HF1110"]["hint"]
    assert said["HF1133"]["message"].startswith("'iw' is the language 'he' spelled otherwise")
    assert "Rename the folder to content/audio/he/" in said["HF1133"]["hint"]
    assert all("Add" not in d["hint"] for d in said.values())
    from lxml import html as lxml_html
    page = lxml_html.fromstring((root / "build/site/he/index.html").read_bytes())
    assert page.xpath("//form[@role='search']//button")[0].text_content().strip() == "חיפוש"


def test_a_folder_named_for_a_region_of_a_listed_language_is_told_to_move_not_be_removed(project_factory):
    """Trados and memoQ name a return package's folder by the target locale (`fr-FR`), a
    studio its clips' folder `de-DE`: with `fr` and `de` listed, the hints were "Add
    fr-FR … or remove the folder" — a translator's work, unused, to be deleted."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["fr", "de"]\n', files={
        "translations/fr-FR/content/stories/first-story.md.po":
            'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "La Route de brume"\n',
        "content/audio/de-DE/story.first-story.title.opus": b""})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["code"]: d for d in run.json()["diagnostics"] if d["code"] in ("HF1110", "HF1133")}
    assert said["HF1110"]["hint"].startswith("Move its files to translations/fr/ if they are in 'fr'"), run.stdout
    assert said["HF1133"]["hint"].startswith("Move its files to content/audio/de/ if they are in 'de'"), run.stdout
    assert all("remove" not in d["hint"] for d in said.values())


def test_more_languages_than_foundry_builds_is_one_error_at_the_first_too_many(project_factory):
    """150 one-line tags in `[l10n] languages` built the 13-page starter 150 times, each
    page linking to every language: 2,000 pages, 218 MB, two minutes, with no limit
    (the site grows with the square of the count). More than 100 is HF1149 at the
    101st tag, and the build stops before making anything."""
    import babel.localedata
    tags = sorted(t for t in babel.localedata.locale_identifiers() if "_" not in t and t != "en")[:101]
    assert len(tags) == 101
    root = _project(project_factory, "\n[l10n]\nlanguages = [\n" + "".join(f'  "{t}",\n' for t in tags) + "]\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    errors = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert [(d["code"], d["line"], d["column"]) for d in errors] == [("HF1149", 113, 3)], errors
    assert errors[0]["message"] == "101 languages listed: foundry builds at most 100"
    build = foundry("build", "--project", str(root), "--only", "json,html", "--format", "json")
    assert build.code == 1 and "HF1149" in build.stdout + build.stderr
    assert not (root / "build").exists()
    fine = project_factory(name="fine")
    with open(fine / "foundry.toml", "a", encoding="utf-8") as out:
        out.write("\n[l10n]\nlanguages = [" + ", ".join(f'"{t}"' for t in tags[:100]) + "]\n")
    assert not [d for d in diagnostics(foundry("check", "--project", str(fine), "--format", "json"))
                if d.startswith("HF1149")]



def test_languages_past_the_most_foundry_builds_are_neither_read_nor_checked(project_factory):
    """HF1149 stopped the build, but check still read and weighed every language listed:
    each one's spans and outputs against every other (3,000 three-letter tags, a 20 KB
    foundry.toml, were 267 CPU-s of check; hours at 30,000), and said HF1105 and HF1103
    of languages nobody would build. Past the first 100 nothing is read or said but the
    one HF1149, at the first one left out."""
    import babel.localedata
    tags = sorted(t for t in babel.localedata.locale_identifiers() if "_" not in t and t != "en")[:300]
    assert len(tags) == 300
    root = _project(project_factory, "\n[l10n]\nlanguages = [" + ", ".join(f'"{t}"' for t in tags) + "]\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = run.json()["diagnostics"]
    errors = [(d["code"], d["message"]) for d in said if d["severity"] == "error"]
    assert errors == [("HF1149", "300 languages listed: foundry builds at most 100")], errors
    untranslated = {d["message"].split(":")[0] for d in said if d["code"] == "HF1105"}
    assert untranslated == set(tags[:100]) - {"en"}, sorted(untranslated - set(tags[:100]))[:5]

def test_a_language_tag_too_long_for_a_file_name_is_refused_at_the_tag(project_factory):
    """A private-use tag of 274 characters is valid BCP 47 and checked clean; the build
    then stopped with HF0714 'File name too long' at build/ (api/v1/strings/<tag>.json,
    site/<tag>/), naming no content and hinting at disk space. Refused at the tag now
    (HF1152), by check, build and extract; a tag of 64 characters builds."""
    long = "de-x-" + "-".join(["abcdefgh"] * 30)
    root = _project(project_factory, f'\n[l10n]\nlanguages = ["{long}"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    errors = [(d["code"], d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
              if d["severity"] == "error"]
    assert errors == [("HF1152", "foundry.toml", 12, 14)], errors
    build = foundry("build", "--project", str(root), "--only", "json,html")
    assert build.code == 1 and "HF1152" in build.stderr and "HF0714" not in build.stdout + build.stderr
    extract = foundry("l10n", "extract", "--project", str(root))
    assert extract.code == 1 and not (root / "translations").exists()
    fits = "de-x-" + "-".join(["abcdefgh"] * 6) + "-abcde"
    assert len(fits) == 64
    fine = project_factory(name="fine")
    with open(fine / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = ["{fits}"]\n')
    built = foundry("build", "--project", str(fine), "--only", "json,html")
    assert built.code == 0, built.stdout + built.stderr
    assert (fine / f"build/api/v1/strings/{fits}.json").is_file()
    assert (fine / f"build/site/{fits}/index.html").is_file()


def test_language_problems_are_at_the_tag_and_a_refused_spelling_is_one_problem(project_factory):
    """Every finding about `[l10n] languages` was at column 1 of `languages =`, whichever
    tag it was about and on whichever line of the list the tag was; and a spelling refused
    as a second listing (`DE` beside `de`, HF0751) was also told 'lines not translated'
    (HF1105), one more warning per refused spelling. Each is at its tag now (a tag listed
    twice at its second listing), and a refused spelling is that one error."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "DE", "de_DE",\n  "fr", "fr"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0751", "HF1103", "HF1105")))
    assert found == ["HF0751 foundry.toml:12:20", "HF0751 foundry.toml:13:9", "HF1103 foundry.toml:12:26",
                     "HF1105 foundry.toml:12:14", "HF1105 foundry.toml:13:3"], found
    untranslated = sorted(d["message"].split(":")[0] for d in run.json()["diagnostics"] if d["code"] == "HF1105")
    assert untranslated == ["de", "fr"], untranslated


def test_tag_writes_markers_no_output_shows_them(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    text = (root / STORY).read_text()
    assert text.count(" ^l-") == 5 and "  Rook grew up" in (root / "content/heroes/first-hero.yaml").read_text()
    again = foundry("l10n", "tag", "--project", str(root))
    assert "Tagged 0" in again.stdout and (root / STORY).read_text() == text   # idempotent
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if d.startswith(("HF1101", "HF1102"))]
    # translated names and titles are inline Markdown as their sources are: shown with
    # their markup in HTML headings, as plain words in <title>, JSON and choices (they
    # were published with their asterisks; review attack6)
    for rel, line_id, text in (("content/heroes/first-hero.yaml", "hero.first-hero.name", "Rook *Amsel*"),
                               (STORY, "story.first-story.title", "Die *Nebel* Straße"),
                               (STORY, "story.first-story.choice.road--wait", "Warte *auf* den Nebel"),
                               ("schemas/skills.yaml", "rules.skill.ambush.name", "*Hinterhalt*")):
        po = polib.pofile(str(root / f"translations/de/{rel}.po"))
        next(e for e in po if e.msgctxt == line_id).msgstr = text
        po.save()
    # and a base name with markup translated without: the German page shows the German name
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text().replace("name: Old Guide", "name: Old *Guide*"))
    po = polib.pofile(str(root / "translations/de/content/characters/old-guide.yaml.po"))
    next(e for e in po if e.msgctxt == "character.old-guide.name").msgstr = "Alter Führer"
    po.save()
    assert foundry("build", "--project", str(root), "--only", "json,html", "-q").code == 0
    for path in (root / "build").rglob("*"):
        if path.is_file() and path.suffix in (".json", ".html"):
            assert "^l-" not in path.read_text(encoding="utf-8"), path
    from lxml import html as lxml_html
    hero = lxml_html.fromstring((root / "build/site/de/heroes/first-hero.html").read_bytes())
    story = lxml_html.fromstring((root / "build/site/de/stories/first-story.html").read_bytes())
    assert [e.text for e in hero.xpath("//h1/em")] == ["Amsel"] and hero.findtext(".//title").startswith("Rook Amsel")
    assert [e.text for e in story.xpath("//h1/em")] == ["Nebel"] and story.findtext(".//title").startswith("Die Nebel")
    assert "Warte auf den Nebel" in story.text_content()
    assert "Hinterhalt" in hero.text_content() and "*Hinterhalt" not in hero.text_content()   # a label: plain
    guide = lxml_html.fromstring((root / "build/site/de/characters/old-guide.html").read_bytes())
    assert guide.findtext(".//h1").startswith("Alter Führer") and not guide.xpath("//h1/em")
    assert "*" not in (root / "build/site/de/heroes/index.html").read_text(encoding="utf-8")


def test_po_round_trip_staleness_exactly_one_line_per_language(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    for lang in ("de", "fr"):
        _translate_all(root / PO.format(lang), f"{lang.upper()} ")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if "first-story.md" in d and d.startswith(("HF1106", "HF1107"))]
    # untranslated lines: one summary per language at its tag, never naming the story;
    # `l10n status` holds the per-file detail
    untranslated = [d for d in run.json()["diagnostics"] if d["code"] == "HF1105"]
    assert sorted(d["message"].split(":")[0] for d in untranslated) == ["de", "fr"]
    assert {(d["file"], d["line"]) for d in untranslated} == {("foundry.toml", 12)}
    assert all("first-story.md" not in d["message"] and "l10n status" in d["hint"] for d in untranslated)
    status = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert f"  {STORY}: 17/17 translated, 0 stale, 0 missing" in status.stdout, status.stdout
    assert "\nfr:" not in status.stdout
    story = root / STORY
    # a word changed; and, stale for nothing a reader sees, another paragraph wrapped at
    # other words with a space doubled (it was stale in every language)
    story.write_text(story.read_text().replace("The lantern bobs ahead.", "The lantern bobs far ahead.")
                     .replace("off the marsh like a tide. The Old", "off the marsh\nlike a tide.  The Old"))
    run = foundry("check", "--project", str(root), "--format", "json")
    stale = [d for d in run.json()["diagnostics"] if d["code"] == "HF1106"]
    assert sorted(d["file"] for d in stale) == [PO.format("de"), PO.format("fr")]
    assert len({d["message"].split("'")[1] for d in stale}) == 1
    # extract marks it fuzzy, keeps the translation and the old source, never overwrites
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / PO.format("de")))
    fuzzy = [e for e in po if "fuzzy" in e.flags]
    assert len(fuzzy) == 1 and fuzzy[0].previous_msgid.startswith("The lantern bobs ahead.")
    assert fuzzy[0].msgstr == "DE The lantern bobs ahead. The far bank rises out of the grey."
    status = foundry("l10n", "status", "--project", str(root))
    assert f"  {STORY}: 16/17 translated, 1 stale, 0 missing" in status.stdout
    # a hard break (two spaces before the line break) is a change: it renders otherwise
    story.write_text(story.read_text().replace("Boot prints, fresh, leading", "Boot prints, fresh,  \nleading"))
    status = foundry("l10n", "status", "--project", str(root))
    assert f"  {STORY}: 15/17 translated, 2 stale, 0 missing" in status.stdout


def test_stale_hint_followed_as_written_clears_the_warning(project_factory, tagged_template):
    """HF1106's hint is the way out, taken literally. When the source changed and the
    file still holds the old one, updating the translation by hand leaves it stale (the
    hint once said only that, and the writer who followed it kept the warning): the hint
    says to run `extract` first; once extract has marked it fuzzy, updating it and
    clearing the mark is enough."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    story = root / STORY
    story.write_text(story.read_text().replace("The lantern bobs ahead.", "The lantern bobs far ahead."))

    def stale():
        run = foundry("check", "--project", str(root), "--format", "json")
        return [d for d in run.json()["diagnostics"] if d["code"] == "HF1106" and d["file"] == PO.format("de")]

    def update_and_unmark():
        po = polib.pofile(str(root / PO.format("de")))
        entry = next(e for e in po if "lantern bobs" in (e.previous_msgid or e.msgid))
        entry.msgstr = "Die Laterne schwankt weit voraus. Das Ufer steigt aus dem Grau."
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save()

    [said] = stale()
    assert "its source text changed" in said["message"]
    assert said["hint"].startswith("Run `foundry l10n extract`"), said["hint"]
    update_and_unmark()                      # what the old hint said, alone: still stale
    assert len(stale()) == 1
    assert foundry("l10n", "extract", "--project", str(root)).code == 0   # the hint's first step
    [said] = stale()
    assert "marked fuzzy" in said["message"] and "extract" not in said["hint"], said
    update_and_unmark()
    assert stale() == []


def test_removed_line_kept_obsolete_and_broken_markup(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgctxt="story.first-story.choice.gone", msgid="Old", msgstr="Alt"))
    po.append(polib.POEntry(msgid="Lantern", msgstr="Laterne"))    # pasted from another catalog: no msgctxt
    summary = next(e for e in po if e.msgctxt == "story.first-story.l-b0d8" or "*The end.*" in e.msgid)
    summary.msgstr = "Der Nebel hebt sich nie. Du gehst heim. Das Ende."
    choice = next(e for e in po if e.msgctxt.startswith("story.first-story.choice."))
    choice.msgstr = "** **"
    # a translation is published as the source is: a bidi override in a translated
    # scene title, a line separator in a paragraph are refused as they are in content
    title = next(e for e in po if e.msgid == "The Lantern Path")
    title.msgstr = "Die \u202eNebelstra\u00dfe"
    paragraph = next(e for e in po if e.msgid.startswith("The lantern bobs ahead."))
    paragraph.msgstr = "Der Nebel\u2028kommt."
    # and a tower of 40 combining marks on one letter (HF0133), as in a content file
    tower = next(e for e in po if e.msgid.startswith("Boot prints"))
    tower.msgstr = "Stiefe" + "\u0301" * 40 + "lspuren."
    # a choice shows its words only: a link its translation adds is dropped, said (HF0123);
    # one prose makes no link of (a refused scheme, a space in its address) is shown as
    # typed, said at its address as in the story's choice (HF0124), not "dropped", nor
    # not at all; in code, nothing
    next(e for e in po if e.msgid == "Wait for the fog to lift").msgstr = \
        "Warte [da](a b) [dort](htps://x) `[c](e f)` [hier](#bank)"
    po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    number = next(n for n, line in enumerate(po_path.read_text(encoding="utf-8").splitlines(), 1)
                  if line.startswith('msgstr "Warte [da]'))
    in_choice = sorted((d["line"], d["column"], d["code"], d["message"][:40]) for d in run.json()["diagnostics"]
                       if d["file"] == PO.format("de") and d["line"] == number)
    assert in_choice == [(number, 20, "HF0124", "the address 'a b' holds a space, which e"),
                         (number, 32, "HF0124", "a link to a `htps:` address is shown as "),
                         (number, 59, "HF0123", "the link to '#bank' in a translated choi")], in_choice
    codes = {d["code"]: d for d in run.json()["diagnostics"]}
    assert codes["HF1107"]["message"].endswith("emphasis lost") and codes["HF1108"] and codes["HF1109"]
    orphans = sorted(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1109")
    assert orphans == ["de: translation of 'Lantern' has no line id, so no line can use it",
                       "de: translation of 'story.first-story.choice.gone', a line that no longer exists"], orphans
    assert codes["HF0132"]["file"] == codes["HF0131"]["file"] == PO.format("de")
    assert title.msgctxt in codes["HF0132"]["message"] and paragraph.msgctxt in codes["HF0131"]["message"]
    assert codes["HF0133"]["file"] == PO.format("de") and tower.msgctxt in codes["HF0133"]["message"]
    assert "'e' (U+0065 LATIN SMALL LETTER E) carries a run of 40 combining marks" in codes["HF0133"]["message"]
    assert codes["HF0123"]["file"] == PO.format("de") and "'#bank'" in codes["HF0123"]["message"]
    # its hint names the translator's thing, a choice (it said 'A title is never a link')
    assert "a translated choice" in codes["HF0123"]["message"] and "A choice is a link" in codes["HF0123"]["hint"]
    assert run.code == 1
    foundry("l10n", "extract", "--project", str(root))
    kept = [e for e in polib.pofile(str(po_path)) if e.obsolete]
    assert [(e.msgctxt, e.msgstr) for e in kept] == [("story.first-story.choice.gone", "Alt"), (None, "Laterne")]


def test_unparsable_translation_file_reported_at_its_line(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    lines = po_path.read_text().splitlines()
    number = next(i for i, l in enumerate(lines, 1) if l.startswith("msgid \"The Fog Road"))
    lines[number - 1] = 'msgid "The Fog Road'
    po_path.write_text("\n".join(lines) + "\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert f"HF1104 {PO.format('de')}:{number}:1" in diagnostics(run)


@pytest.mark.parametrize("written, said, fix", [
    ('msgstr Die Nebelstraße', "not in double quotes", 'Write msgstr "Die Nebelstraße"'),
    ('msgstr «Die Nebelstraße»', "not in double quotes", 'Write msgstr "Die Nebelstraße"'),
    ('msgstr: "Die Nebelstraße"', "followed by ':'", 'Write msgstr "Die Nebelstraße"'),
    ('msgstr "Die Nebelstraße', "no closing double quote", 'Write msgstr "Die Nebelstraße"'),
    # the closing quote typed, the opening one not: escaping the last `"` published a stray quote
    ('msgstr Die Nebelstraße"', "no opening double quote", 'Write msgstr "Die Nebelstraße"'),
    # translate-toolkit reads this one (`Die "Nebel`), gettext refuses it: either way not what was meant
    ('msgstr "Die "Nebel"straße"', 'a " inside it', 'Write msgstr "Die \\"Nebel\\"straße"')])
def test_a_msgstr_not_in_quotes_is_told_in_the_translators_words(project_factory, written, said, fix, tagged_template):
    """A translator's slip in a PO file: said at its line with the line to write, not in
    translate-toolkit's words ("Syntax error on line 9: 'msgstr Die …\\n'")."""
    number, found, run = _fog_road_msgstr_written(project_factory, tagged_template, written)
    assert [(d["file"], d["line"]) for d in found] == [(PO.format("de"), number)], found
    assert said in found[0]["message"] and "Syntax error" not in found[0]["message"], found
    assert found[0]["hint"].startswith(fix), found


def test_a_continuation_line_without_its_opening_quote_is_hinted_without_a_stray_quote(project_factory, tagged_template):
    """`msgstr ""` then `Die Nebelstraße"` (the opening quote forgotten): the hint was
    `"Die Nebelstraße\\""`, which, followed, published `Die Nebelstraße"` with check
    silent. It is now the line with its opening quote, `"Die Nebelstraße"`."""
    number, found, _ = _fog_road_msgstr_written(project_factory, tagged_template, 'msgstr ""\nDie Nebelstraße"')
    assert [(d["file"], d["line"]) for d in found] == [(PO.format("de"), number + 1)], found
    assert "no opening double quote" in found[0]["message"], found
    assert found[0]["hint"].startswith('Write "Die Nebelstraße":'), found


@pytest.mark.parametrize("written, column, fix", [
    ('msgstr "Die Nebelstra\\u00dfe"', 22, "Type the character itself (ß)"),
    ('msgstr "Die \\x4eebelstraße"', 13, "Type the character itself (N)"),
    ('msgstr "Die Nebel\\055straße"', 18, "Type the character itself (-)"),
    ('msgstr "Die Nebelstraße\\a"', 24, "PO text reads only"),
])
def test_a_backslash_that_starts_no_po_escape_is_told(project_factory, written, column, fix, tagged_template):
    """translate-toolkit reads only \\n, \\t, \\r, \\" and \\\\ and drops the backslash of
    any other: `\\u00df` was published as 'u00df', without a word (msgfmt refuses it)."""
    number, found, run = _fog_road_msgstr_written(project_factory, tagged_template, written)
    assert [(d["file"], d["line"], d["column"]) for d in found] == [(PO.format("de"), number, column)], found
    assert "is not a PO escape" in found[0]["message"] and found[0]["hint"].startswith(fix), found
    assert run.code == 1


def test_a_second_msgstr_in_one_entry_names_the_first(project_factory, tagged_template):
    """It was translate-toolkit's "Syntax error on line 14: 'msgstr \"…\"\\n'"."""
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    lines = po_path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith('msgid "The Fog Road'))
    number = next(i for i, l in enumerate(lines[start:], start + 1) if l.startswith("msgstr"))
    lines.insert(number, 'msgstr "Nebelstraße"')
    po_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1104"]
    assert [(d["file"], d["line"]) for d in found] == [(PO.format("de"), number + 1)], found
    assert found[0]["message"] == f"a second `msgstr` in one entry (the first at line {number})", found
    assert found[0]["hint"].startswith("Keep one `msgstr`"), found


def test_extract_says_why_no_xliff_appeared_over_po_files(project_factory, tagged_template):
    """A translator's tool wants XLIFF; the files are PO. `l10n extract --format xliff`
    exited 0 and printed nothing, and no .xlf appeared. It says now that the format is
    for new files and that the existing ones kept theirs; a run with nothing to change
    says so, instead of nothing."""
    root = _tagged(project_factory, tagged_template)
    run = foundry("l10n", "extract", "--format", "xliff", "--language", "de", "--project", str(root))
    assert run.code == 0, run.stderr
    assert "--format xliff chooses the format of new files only" in run.stderr and PO.format("de").split("/")[0] in run.stderr
    assert not list((root / "translations").rglob("*.xlf"))
    again = foundry("l10n", "extract", "--project", str(root))
    assert again.code == 0 and "up to date" in again.stderr, again.stderr


def test_extract_leaves_a_file_with_a_slip_only_its_translator_can_mend_as_written(project_factory, tagged_template):
    """`msgstr "Nebel \\u00df"` is HF1104 (PO reads no `\\u`), and a line translated twice
    is HF1102; `l10n extract` rewrote such a file anyway, exit 0: the backslash was gone
    ('Nebel u00df', which check then passed and the outputs published) and the second
    translation with it. The file is left as written now, named with its slip, exit 1."""
    root = _tagged(project_factory, tagged_template)
    path = root / PO.format("de")
    text = path.read_text(encoding="utf-8")
    start = text.index('msgctxt "story.first-story.l-')
    entry = text[start:text.index("\n\n", start)]
    slips = {"escape": text[:start] + entry.replace('msgstr ""', 'msgstr "Nebel \\u00df"') + text[start + len(entry):],
             "twice": text.replace(entry, entry.replace('msgstr ""', 'msgstr "Nebel"'), 1)
                      + "\n" + entry.replace('msgstr ""', 'msgstr "Dunst"') + "\n"}
    for name, slip in slips.items():
        assert slip != text
        path.write_text(slip, encoding="utf-8")
        run = foundry("l10n", "extract", "--language", "de", "--project", str(root))
        assert run.code == 1, (name, run.stderr)
        assert "Not updated (fix them first): " + PO.format("de") in run.stderr, (name, run.stderr)
        assert path.read_text(encoding="utf-8") == slip, name


def test_xliff_round_trip(project_factory, extracted):
    root = project_factory(base=extracted('\n[l10n]\nlanguages = ["de"]\nformat = "xliff"\n'))
    path = root / "translations/de/content/stories/first-story.md.xlf"
    store = xliff2.Xliff2File.parsestring(path.read_bytes())
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "de"
    title = store.findid("story.first-story.title")
    title.target = "Die Nebelstraße"
    path.write_bytes(bytes(store))
    foundry("build", "--project", str(root), "--only", "json", "-q")
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    row = next(r for r in table["strings"] if r["id"] == "story.first-story.title")
    assert row == {"id": "story.first-story.title", "text": "Die Nebelstraße", "fallback": False, "stale": False,
                   "language": "de",
                   "source": STORY, "audio": None}   # no voice-over for this line in German
    assert table["counts"]["translated"] == 1 and table["counts"]["fallback"] == table["counts"]["lines"] - 1


def test_string_tables_validate_against_schema(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    assert foundry("build", "--project", str(root), "--only", "json", "-q").code == 0
    api = root / "build/api/v1"
    schema = json.loads((api / "schema/strings.schema.json").read_text())
    for lang in ("en", "de", "fr", "en-XA"):
        data = json.loads((api / f"strings/{lang}.json").read_text())
        assert not list(Draft202012Validator(schema).iter_errors(data)), lang
    pseudo = json.loads((api / "strings/en-XA.json").read_text())
    assert pseudo["kind"] == "pseudo" and pseudo["counts"]["fallback"] == 0
    assert all(r["text"].startswith("[") for r in pseudo["strings"])


def test_diff_on_git_history_shows_stale_translations(project_factory, tagged_template):
    root, git = _translated_in_git(project_factory, tagged_template)
    story = root / STORY
    story.write_text(story.read_text().replace("Boot prints, fresh,", "Boot prints, still fresh,"))
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    stale = run.json()["stale_translations"]
    assert len(stale) == 1 and stale[0]["language"] == "de" and len(stale[0]["lines"]) == 1
    # in the summary line too, which a reviewer reads first (it said "1 story changed." alone)
    assert run.json()["summary"] == "1 story changed, 1 translation made stale (de).", run.json()["summary"]
    md = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "markdown").stdout
    assert "Translations made stale (de): 1" in md


def test_pseudo_keeps_markup():
    source = "Go to [the hall](#hall), *quickly*, with `key` and {gold}."
    out = pseudo_translate(source)
    assert broken_markup(source, out) == [] and out.count("·") >= 0.3 * sum(c.isalpha() for c in "Go to the hall quickly with and")


BLOCKS = ["| Coin | Worth |\n|:--|--:|\n| Gull \\| Tern | `2` |", "- one\n- two", "> quoted\n> more",
          "### Head", "1. first\n2) second", "Text\n\n```\nkept code\n```\n\nafter"]


@pytest.mark.parametrize("source", BLOCKS)
def test_pseudo_keeps_the_blocks_of_a_background_line(source):
    """A `background:` table, list, quote or heading is one line to translate: the
    pseudo-locale bracketed it whole, `[| Coin | Worth |…]`, so Markdown read one
    paragraph showing its `|`s, `-`s, `>`s and `#`s as typed (the `---` row as dashes)
    in every en-XA output. Each line's (each cell's) words are bracketed inside the
    markers now: the same blocks, every word pseudo."""
    from pipeline.load.markdown import markdown

    out = pseudo_translate(source)
    blocks = lambda text: [t.type for t in markdown().parse(text) if t.type != "inline"]   # noqa: E731
    assert blocks(out) == blocks(source), out
    words = [t.content for t in markdown().parse(out) if t.type == "inline"]
    assert words and all(w.startswith("[") and w.endswith("]") for w in words), words
    assert broken_markup(source, out) == [], out
    assert "kept code" in out or "kept code" not in source


PARAGRAPH = st.text(alphabet="abcdefghij ", min_size=3, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None)
@given(st.lists(PARAGRAPH, min_size=2, max_size=5, unique=True), st.randoms())
def test_ids_stable_under_insertion_and_reordering(paragraphs, rnd):
    """Tagged paragraphs keep their ids when another is inserted before them or the
    order changes: ids come from markers, never from positions."""
    from pipeline.l10n.lines import collect_lines
    from pipeline.load.markers import new_marker
    from pipeline.stories.scenes import parse_scenes
    from pipeline.load.documents import Document
    from pipeline.load.files import SourceFile
    from pipeline.load.yaml import Positions
    from pipeline.load.markers import strip_line_ids

    taken: set[str] = set()
    tagged = [(p, new_marker(p, taken)) for p in paragraphs]

    def ids_of(order):
        body = "## S {#s .ending}\n\n" + "\n\n".join(f"{p} ^{m}" if m else p for p, m in order) + "\n"
        text = "---\ntitle: T\nstart: s\n---\n" + body
        doc = Document("story", "x", SourceFile("x.md", text, ""), {}, Positions("x.md"), strip_line_ids(body), 5)
        scenes = parse_scenes(doc, Diagnostics())
        the_doc = doc

        class Entry:
            path, doc = "x.md", the_doc
            model = type("M", (), {"front": type("F", (), {"title": "T", "summary": "", "characters": [],
                                                            "protagonist": None})(),
                                   "scenes": {s.id: s for s in scenes}})()
            def span(self, *a):
                from pipeline.diagnostics import Span
                return Span("x.md", 1, 1)

        world = type("W", (), {"characters": {}, "heroes": {}, "quests": {}, "stories": {"x": Entry()},
                               "rules": type("R", (), {"attributes": {}, "derived": {}, "skills": {},
                                                       "relationship_kinds": {}, "sources": {}, "spans": {}})()})()
        return {l.text: l.id for l in collect_lines(world, Diagnostics()) if l.kind == "paragraph"}

    before = ids_of(tagged)
    shuffled = list(tagged)
    rnd.shuffle(shuffled)
    after = ids_of([("new paragraph zz", None), *shuffled])
    assert all(after[p] == before[p] for p, _ in tagged)


def test_csv_round_trip_through_a_spreadsheet_writer(project_factory, extracted):
    """A translator edits the CSV with a spreadsheet (here: Python's csv module, not
    translate-toolkit); an edit to one translation re-renders that language's table only."""
    import csv
    root = project_factory(base=extracted('\n[l10n]\nlanguages = ["de"]\n', "--format", "csv"))
    path = root / "translations/de/content/stories/first-story.md.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert {"id", "source", "target", "fuzzy", "developer_comments"} <= set(rows[0])
    for row in rows:
        if row["id"] == "story.first-story.scene.road":
            row["target"] = "=Die Nebelstraße"   # a leading `=` must survive as text
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    first = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    assert next(r["text"] for r in table["strings"] if r["id"] == "story.first-story.scene.road") == "=Die Nebelstraße"
    assert first.code == 0
    rows[0]["target"] = 'Der "Nebelweg"; abends'
    # saved as Excel saves "CSV UTF-8" in a German or French locale: a byte order mark,
    # cells separated by `;`, quoted only where needed, CRLF
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    again = foundry("build", "--project", str(root), "--only", "json", "--format", "json").json()
    assert not [d for d in again["diagnostics"] if d["severity"] == "error"], again["diagnostics"]
    assert again["build"]["written"] == ["api/v1/strings/de.json", "site/api/v1/strings/de.json"]   # and its copy in the web root
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    assert next(r["text"] for r in table["strings"] if r["id"] == rows[0]["id"]) == 'Der "Nebelweg"; abends'
    # extract writes the file back (translate-toolkit): a backslash the translator typed
    # stays one backslash, read after read, as a spreadsheet reads it too
    rows[0]["target"] = 'Der "Nebelweg" \\ abends'
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    assert next(r for r in csv.DictReader(path.open(encoding="utf-8", newline="")) if r["id"] == rows[0]["id"])["target"] \
        == 'Der "Nebelweg" \\ abends'
    foundry("build", "--project", str(root), "--only", "json", "-q")
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    assert next(r["text"] for r in table["strings"] if r["id"] == rows[0]["id"]) == 'Der "Nebelweg" \\ abends'


def test_a_csv_saved_with_windows_line_breaks_keeps_a_two_line_translation(project_factory):
    """A text editor on Windows saves a CSV with CRLF everywhere, inside a quoted cell
    too: a paragraph translated on two lines was "U+000D CARRIAGE RETURN is a control
    character" (HF0131), an error, and its translation unused (fuzz31). A Windows line
    break is a line break, as in every other file foundry reads."""
    import csv
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--format", "csv", "--project", str(root)).code == 0
    path = root / "translations/de/content/stories/first-story.md.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    paragraph = next(row for row in rows if ".l-" in row["id"])
    paragraph["target"] = "Der Nebel kommt\r\nwie eine Flut."
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["severity"] == "error"], run.stdout
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    assert next(r["text"] for r in table["strings"] if r["id"] == paragraph["id"]) == "Der Nebel kommt\nwie eine Flut."


def test_xliff_with_a_doctype_is_refused(project_factory):
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n', {
        "translations/de/content/stories/first-story.md.xlf":
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff/>\n'})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert "HF1104 translations/de/content/stories/first-story.md.xlf:2:1" in diagnostics(run)


def test_release_string_tables_leave_drafts_out(project_factory):
    root = _project(project_factory, '\n[l10n]\nlanguages = ["en-XA"]\n')
    hero = root / "content/heroes/first-hero.yaml"
    # her note on her tie to the draft Old Guide: the tie is left out, and its note was
    # still in the string tables (a line of her published file), words about a draft
    hero.write_text(hero.read_text().replace("status: draft", "status: published").replace(
        "{with: old-guide, kind: mentor}", '{with: old-guide, kind: mentor, note: "Knows where the guide hides."}'))
    run = foundry("build", "--project", str(root), "--only", "json", "--release", "--format", "json")
    assert run.code == 0, run.stderr
    for language in ("en-XA", "en"):
        rows = json.loads((root / f"build/api/v1/strings/{language}.json").read_text())["strings"]
        sources = {r["source"] for r in rows}
        assert "content/heroes/first-hero.yaml" in sources and STORY not in sources
        assert not [r for r in rows if r["id"].endswith(".note")], rows
        assert "hero.first-hero.name" in {r["id"] for r in rows}


def test_extract_never_rewrites_a_file_it_cannot_read(project_factory, tagged_template):
    root = _tagged(project_factory, tagged_template)
    broken = root / PO.format("de")
    text = broken.read_text().replace('msgstr ""', 'msgstr "Nebel', 1)
    broken.write_text(text)
    (root / "translations/fr/content/heroes/first-hero.yaml.po").write_bytes(b"msgid \xff\n")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 1 and PO.format("de") in run.stderr and "HF1104" in run.stderr
    assert broken.read_text() == text
    assert (root / "translations/fr/content/heroes/first-hero.yaml.po").read_bytes() == b"msgid \xff\n"


def test_table_cells_each_get_a_line_id(project_factory):
    story = (
        "---\ntitle: Prices\nstart: market\n---\n\n## Market {#market .ending}\n\n"
        "| Item | Price |\n|---|---|\n| Rope | 3 |\n\nThe stalls close at dusk.\n")
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\nrequire_line_ids = true\n',
                    {"content/stories/prices.md": story})
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if "prices.md" in d and d.startswith(("HF1101", "HF1102"))]
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    ids = [e.msgctxt for e in polib.pofile(str(root / "translations/de/content/stories/prices.md.po"))]
    assert len([i for i in ids if ".l-" in i]) == 5 and len(set(ids)) == len(ids)


def test_a_translation_saved_as_utf16_is_read_by_its_byte_order_mark(project_factory, extracted):
    """Excel's "Unicode text" is UTF-16 with a byte-order mark, cells separated by tabs
    (and some XLIFF and PO tools save UTF-16 too): a translation file is read as its
    mark says. (A content file saved so is HF0103, naming UTF-16: docs/formats.md.)"""
    import csv
    import io
    root = project_factory(base=extracted('\n[l10n]\nlanguages = ["de"]\n', "--format", "csv"))
    path = root / "translations/de/content/stories/first-story.md.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for row in rows:
        if row["id"] == "story.first-story.scene.road":
            row["target"] = "Die Nebelstraße"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-16"))   # with its byte-order mark, as Excel writes it
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] in ("HF0103", "HF0116")], run.stdout
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    assert next(r["text"] for r in table["strings"] if r["id"] == "story.first-story.scene.road") == "Die Nebelstraße"


def test_translator_comment_carries_scene_cast_and_limits_in_po_xliff_and_csv(project_factory):
    """Stories have no speaker syntax: the comment names the scene, where the line
    shows, the characters the scene names and the hero who plays it, and the layout's
    limit — in PO (#.), XLIFF 2.0 (developer note) and CSV (developer_comments) alike."""
    import csv
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "fr", "es"]\n')
    for language, fmt in (("de", "po"), ("fr", "xliff"), ("es", "csv")):
        assert foundry("l10n", "extract", "--project", str(root), "--language", language, "--format", fmt).code == 0
    base = "translations/{}/content/stories/first-story.md"
    po = {e.msgctxt: e.comment for e in polib.pofile(str(root / (base.format("de") + ".po")))}
    # Notes are read where XLIFF 2.0 puts them, in the <unit> (translate-toolkit looks in
    # the <segment>, where the schema allows none)
    from lxml import etree
    xlf = etree.parse(str(root / (base.format("fr") + ".xlf")))
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    notes = {u.get("id"): u.findtext(f"{ns}notes/{ns}note[@category='developer']") for u in xlf.iter(f"{ns}unit")}
    with open(root / (base.format("es") + ".csv"), newline="", encoding="utf-8") as f:
        rows = {r["id"]: r["developer_comments"] for r in csv.DictReader(f)}
    choice = "story.first-story.choice.road--lantern"
    for comments in (po, notes, rows):
        road = comments[choice]
        assert "Choice in scene 'road'" in road and "shows as a button" in road
        assert "characters in this scene: Old Guide" in road and "the reader plays Rook Amsel" in road
        heading = comments["story.first-story.scene.lantern"]
        assert "At most 200 characters" in heading and "Old Guide" not in heading   # not named in that scene


def test_the_script_in_a_language_tag_decides_the_direction(project_factory):
    """Punjabi in Shahmukhi (`pa-Arab`) is written right to left, Kurdish in Latin
    letters (`ku-Latn`) left to right, whatever the language alone would say. Yiddish
    under its deprecated tag (`ji`, as `iw` is Hebrew's) is right to left as `yi` is:
    it was laid out left to right. So were Egyptian Arabic (`arz`) and Punjabi in Pakistan (`pa-PK`,
    Shahmukhi), and every right-to-left language a list by hand did not name: the script
    a tag does not write is CLDR's likely one (Babel), by its region when CLDR has it."""
    from lxml import html as lxml_html
    from pipeline.l10n.scripts import text_direction
    root = _project(project_factory, '\n[l10n]\nlanguages = ["pa-Arab", "ku-Latn", "he", "ji", "arz", "ku"]\n')
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    for language, direction in (("pa-Arab", "rtl"), ("ku-Latn", "ltr"), ("he", "rtl"), ("ji", "rtl"),
                                ("arz", "rtl"), ("ku", "ltr")):
        page = lxml_html.fromstring((root / f"build/site/{language}/index.html").read_bytes())
        assert (page.get("lang"), page.get("dir")) == (language, direction)
    rtl = ["pa-PK", "ary", "azb", "bal", "nqo", "rhg", "uz-AF", "az-IR", "ms-CC", "ar-XB", "ckb", "ug", "ku-IQ",
           "ku-IR", "ku-Arab", "ku-LB", "arc-Armi", "arc-Nbat", "sog", "ur-Aran"]
    # CLDR's Kurdish (`ku`) is Kurmanji in Latin letters, in Turkey and Syria alike: a hand
    # list had `ku` and `ku-TR` right to left against the rule above
    ltr = ["pa", "uz", "sd-IN", "ug-Cyrl", "mn-CN", "tlh", "qaa", "en-XA", "es-419", "zh-Hant-TW", "ku", "ku-TR",
           "ku-SY", "kmr"]
    assert [t for t in rtl if text_direction(t) != "rtl"] == [] and [t for t in ltr if text_direction(t) != "ltr"] == []


def test_a_problem_in_a_po_translation_is_shown_at_its_msgstr(project_factory, tagged_template):
    """translate-toolkit says where an entry starts (its `#.` comment); a broken
    translation is shown where the translator must look: the msgstr line."""
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    po = polib.pofile(str(po_path))
    summary = next(e for e in po if "*The end.*" in e.msgid)
    summary.msgstr = "Der Nebel hebt sich nie. Das Ende."
    po.save()
    lines = po_path.read_text(encoding="utf-8").splitlines()
    msgstr = next(i for i, line in enumerate(lines, 1) if line.startswith('msgstr "Der Nebel hebt'))
    run = foundry("check", "--project", str(root), "--format", "json")
    broken = [d for d in run.json()["diagnostics"] if d["code"] == "HF1107"]
    assert [(d["file"], d["line"]) for d in broken] == [(PO.format("de"), msgstr)]


def test_xliff_inline_codes_read_as_their_text_and_a_code_without_text_refused(project_factory, extracted):
    """A CAT tool may write inline codes into a target; translate-toolkit's plain text
    drops them. Codes with a text equivalent become that text; one without is HF1111
    at its line rather than a translation silently missing what the code stood for."""
    from lxml import etree
    root = project_factory(base=extracted('\n[l10n]\nlanguages = ["de"]\nformat = "xliff"\n'))
    path = root / "translations/de/content/stories/first-story.md.xlf"
    ns = "urn:oasis:names:tc:xliff:document:2.0"
    tree = etree.parse(str(path))

    def target_of(unit_id: str, xml: str):
        segment = tree.find(f".//{{{ns}}}unit[@id='{unit_id}']/{{{ns}}}segment")
        old = segment.find(f"{{{ns}}}target")
        if old is not None:
            segment.remove(old)
        segment.append(etree.fromstring(f'<target xmlns="{ns}">{xml}</target>'))

    target_of("story.first-story.title",
              'Die <pc id="1" equivStart="*" equivEnd="*">Nebel</pc>stra<cp hex="00DF"/>e<ph id="2" equiv="!"/>')
    # a tool filtering Markdown keeps the code itself in the unit's <originalData>, named by
    # `dataRef` (XLIFF 2.0's own form; `equiv` is optional): the <pc> was read as its words
    # alone (emphasis "lost"), the <ph> was HF1111
    unit = tree.find(f".//{{{ns}}}unit[@id='story.first-story.scene.road']")
    unit.insert(list(unit).index(unit.find(f"{{{ns}}}segment")), etree.fromstring(
        f'<originalData xmlns="{ns}"><data id="d1">*</data><data id="d2">!</data></originalData>'))
    target_of("story.first-story.scene.road",
              'Der <pc id="1" dataRefStart="d1" dataRefEnd="d1">Nebel</pc>weg<ph id="2" dataRef="d2"/>')
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    assert foundry("build", "--project", str(root), "--only", "json,html", "-q").code == 0
    table = json.loads((root / "build/api/v1/strings/de.json").read_text())
    row = next(r for r in table["strings"] if r["id"] == "story.first-story.title")
    # the table holds a title's plain text (as heroes.json's names), the page its
    # emphasis: the codes' text equivalents were read (test_title_markup_translation.py)
    assert row["text"] == "Die Nebelstraße!"
    page = (root / "build/site/de/stories/first-story.html").read_text(encoding="utf-8")
    assert "Die <em>Nebel</em>straße!" in page
    assert next(r for r in table["strings"] if r["id"] == "story.first-story.scene.road")["text"] == "Der Nebelweg!"
    assert "Der <em>Nebel</em>weg!" in page

    # A CAT tool splits a paragraph into sentences: two segments and the space between
    # them (XLIFF 2.0 <ignorable>). It is one line, translated whole; and a unit with
    # one sentence of two translated is kept, stale, the other sentence in English.
    def split(unit_id: str, first: str, second: str | None):
        unit = tree.find(f".//{{{ns}}}unit[@id='{unit_id}']")
        old = unit.find(f"{{{ns}}}segment")
        text = old.findtext(f"{{{ns}}}source")
        cut = text.index(". ") + 1
        unit.remove(old)
        for xml in (f'<segment xmlns="{ns}" id="1"><source>{text[:cut]}</source><target>{first}</target></segment>',
                    f'<ignorable xmlns="{ns}"><source> </source></ignorable>',
                    f'<segment xmlns="{ns}" id="2"><source>{text[cut + 1:]}</source>'
                    + (f'<target>{second}</target>' if second else '') + '</segment>'):
            unit.append(etree.fromstring(xml))

    road = next(u.get("id") for u in tree.iter(f"{{{ns}}}unit")
                if u.findtext(f"{{{ns}}}segment/{{{ns}}}source", "").startswith("The fog comes in"))
    lantern = next(u.get("id") for u in tree.iter(f"{{{ns}}}unit")
                   if u.findtext(f"{{{ns}}}segment/{{{ns}}}source", "").startswith("The lantern bobs"))
    split(road, "Der Nebel kommt wie eine Flut.", "Der Alte will Münzen.")
    split(lantern, "Die Laterne tanzt voraus.", None)
    # a target of spaces (a tool that pretty-prints) is none: the sentence was dropped
    # and the line published as translated without it
    wait = next(u.get("id") for u in tree.iter(f"{{{ns}}}unit")
                if u.findtext(f"{{{ns}}}segment/{{{ns}}}source", "").startswith("The fog never lifts"))
    split(wait, "Der Nebel bleibt.", "\n    ")
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1109", "HF1104")], run.stdout
    rows = {r["id"]: r for r in json.loads((root / "build/api/v1/strings/de.json").read_text())["strings"]}
    assert rows[road]["text"] == "Der Nebel kommt wie eine Flut. Der Alte will Münzen." and not rows[road]["fallback"]
    assert rows[lantern]["stale"] and rows[lantern]["text"] == "Die Laterne tanzt voraus. The far bank rises out of the grey."
    assert rows[wait]["stale"] and rows[wait]["text"].startswith("Der Nebel bleibt. You go home."), rows[wait]
    assert foundry("l10n", "extract", "--project", str(root)).code == 0     # the half-done work is kept
    assert "Die Laterne tanzt voraus." in path.read_text(encoding="utf-8")
    # What extract writes is XLIFF 2.0 as its schema has it (xliff_core_2.0.xsd): a
    # <segment> holds <source> and <target> only; notes and xml:space belong to its <unit>.
    written = etree.parse(str(path))
    for segment in written.iter(f"{{{ns}}}segment"):
        assert [etree.QName(c).localname for c in segment] in (["source"], ["source", "target"])
        assert segment.get("{http://www.w3.org/XML/1998/namespace}space") is None
    assert all(u[0].tag == f"{{{ns}}}notes" for u in written.iter(f"{{{ns}}}unit"))
    tree = etree.parse(str(path))

    target_of("story.first-story.title", 'Die Nebelstraße <ph id="2"/>')
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    code_line = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '<ph id="2"/>' in line)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert "HF1111 translations/de/content/stories/first-story.md.xlf:%d:1" % code_line in diagnostics(run)
    assert run.code == 1


def test_a_localized_output_the_build_does_not_make_is_a_warning(project_factory):
    """`[l10n] outputs = ["pdf"]` with no PDF in [build] outputs published no translation
    and said nothing."""
    root = project_factory()
    text = (root / "foundry.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^outputs = .*$", 'outputs = ["json", "html"]', text)
    (root / "foundry.toml").write_text(text + '\n[l10n]\nlanguages = ["de"]\noutputs = ["html", "pdf"]\n', encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1122"]
    line = next(i for i, l in enumerate((root / "foundry.toml").read_text().splitlines(), 1) if l.startswith("outputs = [\"html\", \"pdf\"]"))
    assert [(d["file"], d["line"], d["severity"]) for d in found] == [("foundry.toml", line, "warning")]
    assert "'pdf'" in found[0]["message"] and run.code == 0


def test_plural_forms_in_a_content_translation_are_named_not_dropped(project_factory, tagged_template):
    """A translator's tool may save an entry with plural forms; a line of content has
    one text, so msgstr[0] is used and the other forms went nowhere without a word."""
    root = _tagged(project_factory, tagged_template)
    path = root / PO.format("de")
    _translate_all(path)
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == "story.first-story.title")
    entry.msgid_plural, entry.msgstr_plural, entry.msgstr = "Fog Roads", {0: "Die Nebelstraße", 1: "Die Nebelstraßen"}, ""
    po.save()
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("msgstr[0]"))
    run = foundry("check", "--project", str(root), "--format", "json")
    plural = [d for d in run.json()["diagnostics"] if d["code"] == "HF1142"]
    assert [(d["file"], d["line"]) for d in plural] == [(PO.format("de"), line)], run.stdout[-1500:]
    assert "msgstr[0] is used" in plural[0]["message"] and "story.first-story.title" in plural[0]["message"]
    built = foundry("build", "--only", "html", "--project", str(root))
    assert built.code == 0, built.stdout[-1500:]
    assert "Die Nebelstraße" in (root / "build/site/de/stories/first-story.html").read_text(encoding="utf-8")
    # extract rewrote the entry as `msgstr "Die Nebelstraße"`: "Die Nebelstraßen" was gone,
    # exit 0, "0 new, 0 marked fuzzy" (fuzz29). The file is left for its translator now,
    # as one that says it is in another language (HF1146) is.
    before = path.read_bytes()
    extracted = foundry("l10n", "extract", "--project", str(root))
    assert extracted.code == 1 and "HF1142" in extracted.stderr and "Not updated" in extracted.stderr, extracted.stderr
    assert path.read_bytes() == before


def test_a_language_whose_folder_windows_keeps_for_a_device_is_refused(project_factory):
    """'con' (Cofán), 'aux' (Aurá), 'nul' (Nusa Laut) are real language tags, and
    translations/con/ and site/con/ folders no teammate on Windows can check out."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "con", "NUL", "aux-CO"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0161"]
    assert len(said) == 2 and any("'con'" in s for s in said) and any("'NUL'" in s for s in said), said
    assert run.code == 1


def test_language_option_ignores_case_and_uses_the_configured_spelling(project_factory):
    """Language tags ignore case (BCP 47): `--language DE` is `de` and `EN-xa` is `en-XA`,
    and files are named by the configured spelling, never by what was typed."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "en-XA"]\n')
    run = foundry("l10n", "extract", "--project", str(root), "--language", "DE")
    assert run.code == 0, run.stderr
    assert (root / PO.format("de")).is_file() and not (root / "translations" / "DE").exists()
    status = foundry("l10n", "status", "--project", str(root), "--language", "EN-xa")
    assert status.code == 0 and status.stdout.startswith("en-XA (pseudo-locale):"), status.stdout + status.stderr
    refused = foundry("l10n", "status", "--project", str(root), "--language", "fr")
    assert refused.code == 2 and "'fr' not in [l10n] languages" in refused.stderr


def test_language_takes_a_comma_list_as_only_does(project_factory):
    """`--language de,fr` (as build's `--only html,json`) said 'de,fr not in [l10n]
    languages (de, fr)', and `--language "de,"` 'de, not in …': both languages read as
    one. Each item is a language; an empty item is refused by name (cli.comma_items)."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "fr", "en-XA"]\n')
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de, FR")
    assert run.code == 0, run.stderr
    assert (root / PO.format("de")).is_file() and (root / PO.format("fr")).is_file()
    assert not (root / "translations/en-XA").exists()
    status = foundry("l10n", "status", "--project", str(root), "--language", "fr,de", "--language", "de")
    assert status.code == 0, status.stderr
    assert [line.split(":")[0] for line in status.stdout.split("\n") if line and not line.startswith(" ")][:2] == ["fr", "de"], status.stdout
    empty = foundry("l10n", "status", "--project", str(root), "--language", "de,")
    assert empty.code == 2 and "'de,' has an empty item 2 of 2" in empty.stderr, empty.stderr
    unknown = foundry("l10n", "status", "--project", str(root), "--language", "de,xx")
    assert unknown.code == 2 and "'xx' not in [l10n] languages (de, fr, en-XA)" in unknown.stderr, unknown.stderr


def test_one_choice_id_in_two_scenes_is_told_to_change_the_id(project_factory):
    """A choice id is unique per scene (HF0511), but its line id is per story: the same
    `{id="…"}` in two scenes is HF1102, whose hint says to change the id (there is no
    marker to delete, as the paragraph's hint would say)."""
    story = ("---\ntitle: Toll\nstart: gate\n---\n\n## Gate {#gate}\n\nA toll.\n\n- [Pay](#bridge){id=\"pay\"}\n"
             "- [Cross](#bridge)\n\n## Bridge {#bridge}\n\nAnother toll.\n\n- [Pay](#end){id=\"pay\"}\n\n"
             "## End {#end .ending}\n\nOver.\n")
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n', {"content/stories/toll.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF1102"]
    assert [(d["file"], d["line"]) for d in found] == [("content/stories/toll.md", 17)], found
    assert 'another `{id="…"}`' in found[0]["hint"] and "marker" not in found[0]["hint"], found[0]["hint"]
    # `l10n extract` stops on it, writing nothing: it wrote both choices under one msgctxt
    # (exit 0), a translator filled in both, and one of the translations could never be used
    extract = foundry("l10n", "extract", "--project", str(root))
    assert extract.code == 1 and "HF1102" in extract.stdout + extract.stderr, extract.stdout + extract.stderr
    assert not (root / "translations").exists()
    # a copied marker alike; `l10n tag` (the hint: delete the copy, then tag) still runs
    copied = story.replace("A toll.", "A toll. ^l-3f2a").replace("Another toll.", "Another toll. ^l-3f2a")
    (root / "content/stories/toll.md").write_text(copied.replace('{id="pay"}\n\n## End', '\n\n## End'))
    extract = foundry("l10n", "extract", "--project", str(root))
    assert extract.code == 1 and "HF1102" in extract.stdout + extract.stderr and not (root / "translations").exists()
    assert foundry("l10n", "tag", "--project", str(root)).code == 0


def test_one_choice_id_twice_in_one_scene_is_one_error(project_factory):
    """Two choices of one scene with one `{id="…"}` are HF0511 at the second, with
    languages as without: they were HF1102 at the same place too (two codes, one slip),
    where the same id in another scene is only HF1102."""
    story = ("---\ntitle: Toll\nstart: gate\n---\n\n## Gate {#gate}\n\nA toll.\n\n- [Pay](#bridge){id=\"pay\"}\n"
             "- [Cross](#bridge){id=\"pay\"}\n\n## Bridge {#bridge}\n\nAnother toll.\n\n- [Pay](#end){id=\"pay\"}\n\n"
             "## End {#end .ending}\n\nOver.\n")
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n', {"content/stories/toll.md": story})
    for command in ("check", "build"):
        run = foundry(command, "--project", str(root), "--format", "json")
        found = [(d["code"], d["line"]) for d in json.loads(run.stdout)["diagnostics"]
                 if d["file"] == "content/stories/toll.md"]
        assert run.code == 1 and sorted(found) == [("HF0511", 11), ("HF1102", 17)], (command, found)
        [hint] = [d["hint"] for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0511"]
        assert '`{id="pay-2"}`' in hint, hint


def test_a_translation_that_opens_blocks_of_its_own_is_named_not_shown_raw(project_factory, tagged_template):
    """A translation replaces one block's words and is shown inline there: a translator
    who split a paragraph or started a line with `## `, `- `, `> ` or ``` got those
    markers and the blank lines published as typed inside one <p>, with check clean."""
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    po = polib.pofile(str(po_path))
    paragraph = next(e for e in po if e.msgid.startswith("The lantern bobs ahead."))
    paragraph.msgstr = "Die Laterne schwankt.\n\n## Ufer\n\n- eins\n- zwei\n\n> leise\n\n```\noffen"
    lines_kept = next(e for e in po if e.msgid.startswith("Boot prints, fresh"))
    # a line break within one paragraph, and dialogue with dashes: the text they are
    lines_kept.msgstr = "Stiefelabdrücke, frisch,\nführen über das Moor.\n- Hier entlang!\n- Nein."
    split = next(e for e in po if e.msgid.startswith("The fog never lifts."))
    split.msgstr = "Der Nebel hebt sich nie.\n\nDu gehst heim. *Das Ende.*"   # joined into one <p>
    tagged = next(e for e in po if e.msgid.startswith("Dry ground at last."))
    # HF0124 in content: the same in a translation (an address that does not parse too)
    tagged.msgstr = "Endlich <b>trockener</b> Boden. *Das Ende.*"
    linked = next(e for e in po if e.msgid.startswith("The fog comes in"))
    linked.msgstr = "Der Nebel kommt ([Karte](https://ufer.example:99999/))."
    po.save()
    lines = po_path.read_text(encoding="utf-8").splitlines()
    msgstr = next(i for i, line in enumerate(lines) if line.startswith('"Die Laterne schwankt.'))  # after `msgstr ""`
    assert lines[msgstr - 1] == 'msgstr ""'   # enumerate from 0: `msgstr` is line number msgstr
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1107"]
    # said where the translator reads the text: its first line, inside the quotes (not the empty `msgstr ""`)
    assert [(d["file"], d["line"], d["column"]) for d in found][0] == (PO.format("de"), msgstr + 1, 2), found
    assert len(found) == 2, found
    assert found[0]["message"] == (f"de: translation of '{paragraph.msgctxt}' adds a heading, a quote "
                                   "and a code block, which would be shown as typed")
    assert found[1]["message"] == (f"de: translation of '{split.msgctxt}' adds a second paragraph, "
                                   "which would be shown as typed")
    assert "no blank line" in found[0]["hint"]
    [address, shown] = sorted((d for d in run.json()["diagnostics"] if d["code"] == "HF0124"), key=lambda d: d["line"])
    assert shown["file"] == PO.format("de") and "'<b>' in prose is shown as typed" in shown["message"], shown
    assert address["file"] == PO.format("de") and "99999" in address["message"] and "port" in address["hint"], address
    assert run.code == 1


def _fog_road_msgstr_written(project_factory, tagged_template, written: str) -> tuple[int, list[dict], object]:
    """The German msgstr of "The Fog Road" replaced by the line `written`; (its line
    number, the HF1104 diagnostics `foundry check` gives, the check's run)."""
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    lines = po_path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith('msgid "The Fog Road'))
    number = next(i for i, l in enumerate(lines[start:], start + 1) if l.startswith("msgstr"))
    lines[number - 1] = written
    po_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    return number, [d for d in run.json()["diagnostics"] if d["code"] == "HF1104"], run


def test_an_xliff_1_2_export_from_a_cat_tool_is_read_and_written_back_as_1_2(project_factory):
    """Trados, memoQ and OmegaT export XLIFF 1.2 (`<trans-unit id>`, `state` on the
    target). The file was refused in translate-toolkit's words ("This file appears to be
    XLIFF 1.x … Please use the XLIFF 1.x parser"), and every translation in it unused.
    It is read: a translated target is used, one in a review state is stale (HF1106), a
    copy of the source in state `needs-translation` is not a translation; `extract`
    keeps the file in 1.2, a line whose source changed kept and marked for review."""
    from lxml import etree
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\nformat = "xliff"\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    path = root / "translations/de/content/stories/first-story.md.xlf"
    path.parent.mkdir(parents=True)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '  <file original="first-story.md" source-language="en-US" target-language="de-DE" datatype="plaintext">\n'
        '    <body>\n'
        '      <trans-unit id="story.first-story.title">\n'
        '        <source>The Fog Road</source>\n'
        '        <target state="translated">Die <g id="1">Nebel</g>stra\u00dfe<x id="2" equiv-text="!"/></target>\n'
        '      </trans-unit>\n'
        '      <trans-unit id="story.first-story.summary">\n'
        '        <source>A short crossing with two ways to end.</source>\n'
        '        <target state="needs-review-translation">Eine kurze \u00dcberfahrt.</target>\n'
        '      </trans-unit>\n'
        '      <trans-unit id="story.first-story.scene.road">\n'
        '        <source>The Fog Road</source>\n'
        '        <target state="needs-translation">The Fog Road</target>\n'
        '      </trans-unit>\n'
        '    </body>\n'
        '  </file>\n'
        '</xliff>\n', encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    said = diagnostics(run)
    assert not [d for d in said if d.startswith("HF1104")], said
    assert "HF1106 translations/de/content/stories/first-story.md.xlf:11:1" in said   # at its <target>
    rows = {r["id"]: r for r in json.loads((root / "build/api/v1/strings/de.json").read_text())["strings"]}
    assert rows["story.first-story.title"]["text"] == "Die Nebelstraße!" and not rows["story.first-story.title"]["fallback"]
    assert rows["story.first-story.summary"]["stale"] and rows["story.first-story.summary"]["text"] == "Eine kurze Überfahrt."
    assert rows["story.first-story.scene.road"]["fallback"]   # a copy of the source, not a translation

    story = root / STORY
    story.write_text(story.read_text().replace("title: The Fog Road", "title: The Fog Road Home"), encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    assert not (root / "translations/de/content/stories/first-story.md.po").exists()
    tree = etree.parse(str(path))
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    assert tree.getroot().tag == f"{ns}xliff" and tree.getroot().get("version") == "1.2"
    unit = tree.find(f".//{ns}trans-unit[@id='story.first-story.title']")
    assert unit.findtext(f"{ns}source") == "The Fog Road Home"
    assert unit.findtext(f"{ns}target") == "Die Nebelstraße!"
    assert unit.find(f"{ns}target").get("state") == "needs-review-translation"
    units = {u.get("id") for u in tree.iter(f"{ns}trans-unit")}
    assert "story.first-story.choice.road--wait" in units   # lines new to the file are added
    run = foundry("check", "--project", str(root), "--format", "json")
    said = diagnostics(run)
    assert run.code == 0 and not [d for d in said if d.startswith(("HF1104", "HF1109"))], said
    assert sum(d.startswith("HF1106") for d in said) == 2, said   # the title (source changed) and the summary


def test_a_translation_longer_than_its_line_allows_is_refused_as_the_source_is(project_factory, tagged_template):
    """A hero's name is at most 120 characters (HF0204 in the source) and the PO comment
    tells the translator so; a 300-character translation was published in every output
    without a word. Check and build both refuse it (HF1145, at the msgstr); a scene
    heading longer than its comment's 200 (the source has no limit of its own there)
    allows a translation as long as the source."""
    root = _tagged(project_factory, tagged_template)
    story = root / STORY
    long_heading = "The Fog Road " * 20   # 260 characters, accepted in the source
    story.write_text(story.read_text().replace("## The Fog Road {#road}", f"## {long_heading.strip()} {{#road}}"))
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    hero_po = root / "translations/de/content/heroes/first-hero.yaml.po"
    po = polib.pofile(str(hero_po))
    po.find("Rook Amsel", by="msgid").msgstr = "Rook " + "Amsel" * 60
    po.find("Scout of the Marsh Road", by="msgid").msgstr = "Späherin der Marschstraße"
    po.save()
    story_po = polib.pofile(str(root / PO.format("de")))
    next(e for e in story_po if e.msgctxt == "story.first-story.scene.road").msgstr = "Die Nebelstraße " * 16
    story_po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1145"]
    lines = hero_po.read_text().split("\n")
    msgstr = next(n for n, text in enumerate(lines, 1)
                  if text.startswith("msgstr") and 'msgctxt "hero.first-hero.name"' in lines[n - 3:n])
    # polib wrapped it after `msgstr ""`: said at its text's first line, where the translator reads it
    assert lines[msgstr - 1] == 'msgstr ""'
    assert [(d["file"], d["line"], d["column"]) for d in found] == [
        ("translations/de/content/heroes/first-hero.yaml.po", msgstr + 1, 2)], found
    assert "305 characters" in found[0]["message"] and "at most 120" in found[0]["message"]
    assert run.code == 1
    build = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert build.code == 1 and "HF1145" in [d["code"] for d in build.json()["diagnostics"]]


def test_a_translation_far_longer_than_its_source_is_one_finding_and_never_used(project_factory, tagged_template):
    """A paragraph translated as a 30,000-row table (440 KB, a stranger's pull request)
    was parsed as Markdown nine times over, in check and again for every output, before
    HF1107 said it adds a table. A translation more than five times its source and a
    thousand characters is HF1145 now, before any of that: the one finding (not HF1107,
    nor "not translated"), and no output uses it."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    po = polib.pofile(str(root / PO.format("de")))
    entry = next(e for e in po if e.msgid.startswith("The fog comes in"))
    entry.msgstr = "Der Nebel\n\n| a | b |\n|---|---|\n" + "".join(f"| {n} | x |\n" for n in range(30_000))
    po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"].startswith("HF11") and d["message"].startswith("de:")]
    # the other files are not translated (HF1105): the story, all but that line translated, is not named
    assert [d["code"] for d in said if d["code"] != "HF1105"] == ["HF1145"], [d["message"] for d in said]
    assert not [d for d in said if d["code"] == "HF1105" and STORY in d["message"]], said
    said = [d for d in said if d["code"] == "HF1145"]
    assert said[0]["file"] == PO.format("de") and f"at most {5 * len(entry.msgid) + 1000:,}" in said[0]["message"]
    assert run.code == 1
    entry.msgstr = "Der Nebel " * ((5 * len(entry.msgid) + 1000) // 10)   # as long as may be
    po.save()
    assert not [d for d in diagnostics(foundry("check", "--project", str(root), "--format", "json"))
                if d.startswith("HF1145")]


def test_extract_carries_a_translation_to_its_line_s_new_id_marked_fuzzy(project_factory, tagged_template):
    """A writer renames a scene (`road` → `start`): its heading's line id and its
    choices' ids follow the scene id, so their words are unchanged under new ids.
    `extract` left every such translation obsolete (`#~`) and the lines untranslated:
    the German page showed English where the translator's words were. The translation
    is carried to the line's new id, fuzzy (to confirm in its new place); the old entry
    is not also kept as obsolete."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    story = root / STORY
    text = story.read_text()
    story.write_text(text.replace("{#road}", "{#start}").replace("start: road", "start: start"))
    # before extract, `status` counted those lines missing as if untranslated: it says they wait
    status = foundry("l10n", "status", "--project", str(root), "--language", "de").stdout
    assert f"{STORY}: 13/17 translated, 0 stale, 4 missing (4 of them translated under an old line id: " \
           "`foundry l10n extract` moves them here, marked fuzzy to confirm)" in status, status
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 0, run.stdout + run.stderr
    po = polib.pofile(str(root / PO.format("de")))
    heading = next(e for e in po if e.msgctxt == "story.first-story.scene.start")
    assert heading.msgstr == "DE The Fog Road" and "fuzzy" in heading.flags
    moved = [e for e in po if e.msgctxt.startswith("story.first-story.choice.start--")]
    assert moved and all(e.msgstr == "DE " + e.msgid and "fuzzy" in e.flags for e in moved), moved
    assert not [e for e in po if "road" in (e.msgctxt or "") and "choice" in (e.msgctxt or "") or e.obsolete]
    status = foundry("l10n", "status", "--project", str(root), "--language", "de").stdout
    assert f"{STORY}: 13/17 translated, 4 stale, 0 missing" in status, status


def test_status_says_a_translation_file_does_not_parse_rather_than_every_line_missing(project_factory, tagged_template):
    """A translator's slip (a second msgstr) made the story's PO unreadable: `check`
    says HF1104 and counts none of its lines as untranslated, but `l10n status` — what
    the translator runs — said "0/17 translated, 17 missing" and exit 0, not a word of
    why. It now names the file that does not parse, shows its errors as check does,
    keeps its lines out of "missing", and exits 1."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    path = root / PO.format("de")
    path.write_text(path.read_text(encoding="utf-8") + 'msgstr "noch einmal"\n', encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    run = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert run.code == 1, run.stdout + run.stderr
    assert f"{STORY}: not read, {PO.format('de')} does not parse" in run.stdout, run.stdout
    assert " missing" in run.stdout and f"{STORY}: 0/" not in run.stdout
    assert f"{PO.format('de')}:{len(lines) - 1}:1: error HF1104" in run.stdout + run.stderr
    check = foundry("check", "--project", str(root), "--format", "json")
    assert f"HF1104 {PO.format('de')}:{len(lines) - 1}:1" in diagnostics(check)


def test_status_says_a_translation_folder_linked_out_is_not_read(project_factory, tmp_path, tagged_template):
    """translations/de/content -> /elsewhere: `check` refuses it at the link (HF0120),
    but `l10n status` said "0/17 translated, 17 missing" and exit 0, the link not named.
    It names the link on each source's row, shows the HF0120 and exits 1."""
    root = _tagged(project_factory, tagged_template)
    outside = tmp_path / "outside"
    (root / "translations/de/content").rename(outside)
    (root / "translations/de/content").symlink_to(outside)
    run = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert run.code == 1, run.stdout + run.stderr
    assert f"  {STORY}: not read, translations/de/content is a symbolic link that leads outside the project" \
        in run.stdout, run.stdout
    assert f"{STORY}: 0/" not in run.stdout
    assert "translations/de/content: error HF0120" in run.stdout + run.stderr   # as check says it
    # ... and check counts its lines as status does: not "not translated" (HF1105) beside the
    # link's one error, which is the slip
    check = foundry("check", "--project", str(root), "--format", "json")
    said = check.json()["diagnostics"]
    assert [d["file"] for d in said if d["code"] == "HF0120"] == ["translations/de/content"], said
    assert not [d for d in said if d["code"] == "HF1105" and d["message"].startswith("de:")
                and "content/" in d["message"]], said
    # a link refused for another reason is named by that reason, as its HF0120 names it
    # (it was "leads outside the project" of a link round in a loop or into .git too)
    (root / "translations/de/content").unlink()
    (root / "translations/de/content").symlink_to("content")
    run = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert run.code == 1, run.stdout + run.stderr
    assert f"  {STORY}: not read, translations/de/content is a symbolic link that leads round in a loop\n" \
        in run.stdout, run.stdout
    # translations/ itself linked out: its lines too are not read, not "not translated"
    # (HF1105 counted every line of every language beside the link's one error)
    (root / "translations/de/content").unlink()
    outside.rename(root / "translations/de/content")
    (root / "translations").rename(tmp_path / "all")
    (root / "translations").symlink_to(tmp_path / "all")
    check = foundry("check", "--project", str(root), "--format", "json")
    said = check.json()["diagnostics"]
    assert [d["file"] for d in said if d["code"] == "HF0120"] == ["translations"], said
    assert not [d for d in said if d["code"] == "HF1105"], said
    run = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert f"  {STORY}: not read, translations is a symbolic link that leads outside the project" in run.stdout, \
        run.stdout


def test_a_folder_or_fifo_in_a_translation_files_place_is_said_by_check_and_status(project_factory, tagged_template):
    """`translations/de/…/first-story.md.po/` (a folder) in the translation file's place:
    `check` was silent (the file inside only "translates no source file", HF1110) while
    `l10n extract` refused to write there (HF0165), and `l10n status` counted every line
    of a FIFO or folder in that place "missing", exit 0. Now check says HF0125 once at
    the folder (the file inside not a stray) as at a FIFO, their lines are not "not
    translated" too, and status says "not read" and exits 1 as for a link out."""
    root = _tagged(project_factory, tagged_template)
    story_po = root / PO.format("de")
    story_po.unlink()
    story_po.mkdir()
    (story_po / "notes.txt").write_text("kept\n", encoding="utf-8")
    hero_po = root / "translations/de/content/heroes/first-hero.yaml.po"
    hero_po.unlink()
    os.mkfifo(hero_po)
    check = foundry("check", "--project", str(root), "--format", "json")
    said = check.json()["diagnostics"]
    assert sorted(d["file"] for d in said if d["code"] == "HF0125") == \
        [hero_po.relative_to(root).as_posix(), PO.format("de")], said
    assert not [d for d in said if d["code"] == "HF1110"], said
    assert all(STORY not in d["message"] and "first-hero" not in d["message"]
               for d in said if d["code"] == "HF1105" and d["message"].startswith("de:")), said
    assert check.code == 1
    status = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert status.code == 1, status.stdout + status.stderr
    assert f"  {STORY}: not read, {PO.format('de')} is not a regular file (HF0125)" in status.stdout, status.stdout
    assert "  content/heroes/first-hero.yaml: not read, " in status.stdout, status.stdout
    assert f"{PO.format('de')}: error HF0125" in status.stdout + status.stderr


def test_a_translation_files_place_taken_by_a_link_out_is_refused_in_every_format(
        project_factory, tmp_path, tagged_template):
    """first-story.md.po is a symbolic link out of the project: `l10n extract --format po`
    refused to write over it (HF0165), but `--format xliff` (or csv) wrote a new .xlf
    beside it and exited 0; afterwards `status` read the .xlf as if the link were not
    there and `check` said HF0120 at the link with no word of two files for one source.
    Now the link is the file's place in every format: extract refuses there and writes
    nothing (a FIFO in a place too), and a file of another format beside it — as a pull
    request commits it — is HF1110, not read, status naming the link and exiting 1."""
    root = _tagged(project_factory, tagged_template)
    xlf, hero_xlf = PO.format("de")[:-3] + ".xlf", "translations/de/content/heroes/first-hero.yaml.xlf"
    outside = tmp_path / "outside.po"
    outside.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "x"\nmsgstr "Qx7-outside"\n', encoding="utf-8")
    (root / PO.format("de")).unlink()
    (root / PO.format("de")).symlink_to(outside)
    (root / "translations/de/content/heroes/first-hero.yaml.po").unlink()
    os.mkfifo(root / "translations/de/content/heroes/first-hero.yaml.po")
    for fmt in ("po", "xliff", "csv"):
        run = foundry("l10n", "extract", "--project", str(root), "--language", "de", "--format", fmt)
        out = run.stdout + run.stderr
        assert run.code == 2, (fmt, out)
        assert f"{PO.format('de')}: error HF0165 {PO.format('de')} is a symbolic link that leads outside" in out
        assert "translations/de/content/heroes/first-hero.yaml.po: error HF0165" in out, out
        assert sorted(p.name for p in (root / "translations/de/content/stories").iterdir()) == \
            ["first-story.md.po"], (fmt, out)
        assert not (root / hero_xlf).exists() and not (root / hero_xlf.replace(".xlf", ".csv")).exists()
    # a pull request commits an .xlf beside the link (made here as extract makes one)
    (root / PO.format("de")).unlink()
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de", "--format", "xliff").code == 2
    (root / PO.format("de")).symlink_to(outside)
    made = (root / xlf).read_bytes()
    status = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert status.code == 1, status.stdout + status.stderr
    assert f"  {STORY}: not read, {PO.format('de')} is a symbolic link that leads outside the project\n" \
        in status.stdout, status.stdout
    assert f"{xlf}:1:1: warning HF1110" in status.stdout + status.stderr
    check = foundry("check", "--project", str(root), "--format", "json")
    said = check.json()["diagnostics"]
    assert check.code == 1
    assert [(d["file"], d["line"]) for d in said if d["code"] == "HF0120"] == [(PO.format("de"), 0)], said
    second = [d for d in said if d["code"] == "HF1110"]
    assert [(d["file"], d["line"], d["column"]) for d in second] == [(xlf, 1, 1)], said
    assert f"{PO.format('de')} stands in its place and is not read" in second[0]["message"] and second[0]["hint"]
    assert not [d for d in said if d["code"] == "HF1105" and d["message"].startswith("de:") and STORY in d["message"]], said
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de", "--format", "xliff")
    assert run.code == 2 and f"{PO.format('de')}: error HF0165" in run.stdout + run.stderr
    assert (root / xlf).read_bytes() == made   # the file beside the link is not updated either
    written = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not [p for p in written if b"Qx7-outside" in p.read_bytes()]   # nothing of the file outside


def test_a_translation_file_in_another_language_than_its_folder_is_said(project_factory):
    """A translator saved the French catalog into translations/de/ (its header, as
    polib and Poedit write it, says `Language: fr`): the French words were published on
    the German pages, `lang="de"`, without a word. HF1146 at the header's line; the
    same for XLIFF's trgLang; `de_DE` (gettext's spelling) or `de-AT` in de/ is German.
    `extract` does not rewrite such a file (its header would become `de` and the
    question vanish)."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de", "fr"]\nrequire_line_ids = true\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    french = polib.pofile(str(root / PO.format("fr")))
    french.metadata["Language"] = "fr"
    for entry in french:
        entry.msgstr = "FR " + entry.msgid
    french.save(str(root / PO.format("de")))
    hero = root / "translations/de/content/heroes/first-hero.yaml.po"
    german = polib.pofile(str(hero))
    german.metadata["Language"] = "de_DE"
    german.save()
    (root / "translations/fr/content/heroes/first-hero.yaml.po").unlink()
    assert foundry("l10n", "extract", "--project", str(root), "--format", "xliff", "--language", "fr").code == 0
    run = foundry("check", "--project", str(root), "--format", "json")
    lines = (root / PO.format("de")).read_text(encoding="utf-8").split("\n")
    at = next(n for n, text in enumerate(lines, 1) if text.startswith('"Language: fr'))
    # at the language written (after `"Language: `), as every place a file names one
    assert [d for d in diagnostics(run) if d.startswith("HF1146")] == [f"HF1146 {PO.format('de')}:{at}:12"]
    before = (root / PO.format("de")).read_bytes()
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 1 and (root / PO.format("de")).read_bytes() == before
    assert "HF1146" in run.stdout + run.stderr

    xlf = root / "translations/fr/content/heroes/first-hero.yaml.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace('trgLang="fr"', 'trgLang="de-DE"'), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    line = xlf.read_text(encoding="utf-8").split("\n")[1]
    assert f"HF1146 translations/fr/content/heroes/first-hero.yaml.xlf:2:{line.index('de-DE') + 1}" in diagnostics(run)


def test_tag_marks_a_folded_background_where_its_paragraphs_end(project_factory):
    """`background: >` (docs/localization.md: tagged as `|` is): YAML folds one blank
    line into a line break, so the two blocks around it are one Markdown paragraph and
    only two blank lines end one. `tag` marked each block; the reader saw one paragraph
    whose last line's marker was the second block's, took neither (the count of blocks
    and paragraphs differed) and check said HF1101 "Run `foundry l10n tag`" — after tag,
    and after every tag again. Now the markers go where the paragraphs end."""
    root = _project(project_factory)
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    head = text[:text.index("background:")]
    hero.write_text(head + "background: >\n  Rook grew up on the marsh road,\n  where the *fog* decides who arrives.\n\n"
                    "  She left at sixteen.\n\n\n  A second paragraph, after two blank lines.\n", encoding="utf-8")
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    tagged = hero.read_text(encoding="utf-8")
    assert "arrives.\n" in tagged and "sixteen. ^l-" in tagged and "blank lines. ^l-" in tagged, tagged
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if d.startswith("HF1101")], diagnostics(run)
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de").code == 0
    po = polib.pofile(str(root / "translations/de/content/heroes/first-hero.yaml.po"))
    ids = [e.msgctxt for e in po if ".background." in e.msgctxt]
    assert len(ids) == 2 and all(".background.l-" in i for i in ids), ids


def test_diff_shows_translations_a_change_leaves_unused(project_factory, tagged_template):
    """A pull request renames a scene (`road` → `start`): its heading's and its three
    choices' line ids follow the scene id, so four German translations are no longer
    used by any line. `foundry diff` said "Translations made stale" for edited lines
    only: the reviewer saw nothing of the four (nor of a deleted scene's). Now listed
    per language, in text, Markdown and JSON (`unused_translations`)."""
    root, git = _translated_in_git(project_factory, tagged_template)
    story = root / STORY
    story.write_text(story.read_text().replace("{#road}", "{#start}").replace("start: road", "start: start"))
    subprocess.run([*git, "commit", "-qam", "rename"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["unused_translations"] == [{"language": "de", "lines": [
        "story.first-story.choice.road--lantern", "story.first-story.choice.road--tracks",
        "story.first-story.choice.road--wait", "story.first-story.scene.road"]}]
    assert run.json()["stale_translations"] == []
    text = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Translations no longer used (de): 4" in text and "  story.first-story.scene.road" in text
    md = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "markdown").stdout
    assert "**Translations no longer used (de): 4**" in md and "- `story.first-story.choice.road--wait`" in md


def test_diff_says_a_file_that_does_not_load_once_not_its_translations_lost(project_factory, tagged_template):
    """A pull request leaves the story's file in error (a YAML slip in its front matter):
    `foundry diff` said it does not load at the head, and also listed each of its German
    translations as "no longer used" — their lines are unknown there, not gone."""
    root, git = _translated_in_git(project_factory, tagged_template)
    story = root / STORY
    story.write_text(story.read_text().replace("start: road", "start: [road"))
    subprocess.run([*git, "commit", "-qam", "slip"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["unused_translations"] == [], run.stdout
    assert run.json()["stale_translations"] == [], run.stdout   # its lines are unknown there, not edited
    assert run.json()["summary"] == "1 story unloadable."
    # so is a file whose kind's whole folder is linked out of the project (HF0120 at the link)
    story.write_text(story.read_text().replace("start: [road", "start: road"))
    stories = root / "content/stories"
    shutil.move(stories, root.parent / "stories-elsewhere")
    os.symlink(root.parent / "stories-elsewhere", stories)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "link"], cwd=root, check=True)
    run = foundry("diff", "HEAD~2", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["unused_translations"] == [], run.stdout
    assert run.json()["summary"] == "1 story unloadable.", run.stdout


def test_pseudo_keeps_a_code_span_of_double_backticks():
    """``a ` b`` is one code span (CommonMark: a span holding a backtick is written
    between two); the pseudo-locale read it as `` (empty) and ` b`, accenting the code's
    `a`: en-XA showed other code than the source, against "code kept byte for byte"."""
    source = "Type ``look ` around`` then `go`."
    out = pseudo_translate(source)
    assert "``look ` around``" in out and "`go`" in out
    assert broken_markup(source, out) == []


def test_tag_keeps_the_byte_order_mark_a_windows_editor_wrote(project_factory):
    """Notepad saves UTF-8 with a byte order mark; the reader drops it, and `tag` wrote
    the file back without it: its first line changed, though `tag` promises to change
    only the last line of each paragraph. Every other byte is as it was."""
    root = _project(project_factory)
    story = root / STORY
    before = b"\xef\xbb\xbf" + story.read_bytes()
    story.write_bytes(before)
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    after = story.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\n")
    changed = [(a, b) for a, b in zip(before.split(b"\n"), after.split(b"\n")) if a != b]
    assert changed and all(b.startswith(a + b" ^l-") for a, b in changed), changed
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if d.startswith("HF1101")]


def test_a_line_break_in_a_translated_heading_is_said_as_one(project_factory, tagged_template):
    """A translator pressed Enter in a scene heading (polib writes it `\\n`): HF0131 said
    "U+000A NEWLINE … is a control character", "invisible in an editor", with an escape
    like `\\e` as the example — a codec's words for a line break the translator can see.
    It says a heading is one line, at the msgstr, and how to join it."""
    root = _tagged(project_factory, tagged_template)
    po = polib.pofile(str(root / PO.format("de")))
    next(e for e in po if e.msgctxt == "story.first-story.scene.road").msgstr = "Die Nebel-\nstraße"
    po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    [found] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0131"]
    assert found["file"] == PO.format("de") and "a line break" in found["message"]
    assert "one line" in found["message"] and "NEWLINE" not in found["message"]
    assert "\\n" in found["hint"] and "invisible" not in found["hint"]


def test_a_translation_whose_line_id_is_gone_says_where_it_belongs(project_factory, tagged_template):
    """HF1109 said "Run `foundry l10n extract`: it keeps the translation, marked
    obsolete" for every translation whose id is gone, though extract now moves it to a
    line of the same words (a scene renamed), and a translator's typo in the msgctxt is
    fixed in the file. The hint names the line extract moves it to, or the near id."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    path = root / PO.format("de")
    paragraph = next(e for e in polib.pofile(str(path)) if e.msgid.startswith("Boot prints")).msgctxt
    typo = paragraph[:-1] + ("0" if paragraph[-1] != "0" else "1")
    text = path.read_text(encoding="utf-8").replace(f'msgctxt "{paragraph}"', f'msgctxt "{typo}"')
    # the road scene's id wrapped as msgcat and msgmerge wrap a long string
    text = text.replace('msgctxt "story.first-story.scene.road"', 'msgctxt ""\n"story.first-story.scene.road"')
    path.write_text(text, encoding="utf-8")
    story = root / STORY
    story.write_text(story.read_text().replace("{#road}", "{#start}").replace("start: road", "start: start")
                     .replace("Boot prints, fresh,", "Boot prints, still fresh,"))
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["message"].split("'")[1]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1109"}
    assert "'story.first-story.scene.start' has these words" in hints["story.first-story.scene.road"]
    assert f"Did you mean '{paragraph}'?" in hints[typo]
    # said at the mistyped id in its msgctxt, not at the translator's comment opening
    # the entry (a `#.` line, cut off in the excerpt, three lines above the typo)
    [at] = [(d["line"], d["column"]) for d in run.json()["diagnostics"] if typo in d["message"]]
    line = text.splitlines().index(f'msgctxt "{typo}"') + 1
    assert at == (line, len('msgctxt "') + 1)
    # a wrapped id at its text on the line after, not at the `""` before it
    [at] = [(d["line"], d["column"]) for d in run.json()["diagnostics"] if "scene.road'" in d["message"]]
    assert at == (text.splitlines().index('"story.first-story.scene.road"') + 1, 2)


def test_a_declared_language_is_another_only_when_it_excludes_the_folder_s():
    """gettext tools write `zh_CN` (a region) where the folder is `zh-Hans` (a script):
    that is the folder's language, not HF1146; `pt_PT` in `pt-BR/` and `zh-Hant` in
    `zh-Hans/` are not."""
    from pipeline.l10n.tags import other_language
    assert not other_language("zh_CN", "zh-Hans") and not other_language("de_DE", "de")
    assert not other_language("pt", "pt-BR") and not other_language("German", "de")
    assert other_language("pt_PT", "pt-BR") and other_language("zh-Hant", "zh-Hans")
    assert other_language("fr", "de") and other_language("sr-Cyrl-RS", "sr-Latn")


def test_a_translation_may_not_add_a_placeholder_to_a_plain_line(project_factory, tagged_template):
    """A name, title or choice without markup or braces used not to be compared with its
    translation at all: `{gold}` a translator added went into every output and string
    table, for an engine to fill. Said at the msgstr (HF1107); the emphasis a translator
    gives a name stays theirs, and a link an objective's translation adds is said to be
    dropped (HF0123), as the source's would be. Each is said at its brace or link in the
    msgstr, on a wrapped msgstr's continuation line too (all were at column 1 of the
    msgstr line), and added braces that look like attributes (`{.gross}`) are the one
    HF1107, not an HF0537 as well."""
    root = _tagged(project_factory, tagged_template)
    written = {STORY: {"story.first-story.choice.road--wait": "Warte {gold} auf den Nebel",
                       "story.first-story.scene.road": "Die {Nebel} Straße",
                       "story.first-story.choice.road--tracks": "Folge *den* Spuren",
                       "story.first-story.choice.lantern--bank": "Betritt `{ufer}`",
                       # a choice's words are printed with curled quotes: the added braces
                       # were said as `{do=“coins -= 2”}`, at the msgstr's start, and HF0537 too
                       "story.first-story.choice.road--lantern": 'Zahle {do="coins -= 2"} dem Führer',
                       "story.first-story.summary": 'Eine {kurze "Reise"} mit zwei Enden.'},   # Markdown: the same
               "content/heroes/first-hero.yaml": {
                   "hero.first-hero.name": "Rook {player_name} Amsel",
                   # longer than a PO line: written as msgstr "" and continuation lines
                   "hero.first-hero.title": "Späherin der langen, langen Marschstraße, die niemand je zu Ende "
                                            "gegangen ist {.gross}"},
               "content/quests/first-quest.yaml": {"quest.first-quest.objective.cross":
                                                   "Erreiche [das Ufer](https://example.com/x)"}}
    needles = {"story.first-story.choice.road--wait": "{gold}", "story.first-story.scene.road": "{Nebel}",
               "story.first-story.choice.lantern--bank": "{ufer}", "hero.first-hero.name": "{player_name}",
               "story.first-story.choice.road--lantern": "{do=", "story.first-story.summary": "{kurze",
               "hero.first-hero.title": "{.gross}", "quest.first-quest.objective.cross": "](h"}
    at: dict[str, tuple[str, int, int]] = {}
    for rel, texts in written.items():
        path = root / f"translations/de/{rel}.po"
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgctxt in texts:
                entry.msgstr = texts[entry.msgctxt]
        po.save()
        lines = path.read_text(encoding="utf-8").splitlines()
        for line_id in texts:
            if line_id in needles:
                start = lines.index(f'msgctxt "{line_id}"')
                n = next(n for n in range(start, len(lines)) if needles[line_id] in lines[n])
                at[line_id] = (f"translations/de/{rel}.po", n + 1,
                               lines[n].index(needles[line_id]) + 1 + needles[line_id].startswith("]"))
                assert line_id != "hero.first-hero.title" or lines[n].startswith('"')   # on a continuation line
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    broken = sorted((d["file"], d["line"], d["column"], d["message"].rsplit(": ", 1)[1])
                    for d in found if d["code"] == "HF1107")
    assert broken == sorted([(*at["story.first-story.choice.road--wait"], "placeholder '{gold}' added"),
                             (*at["story.first-story.scene.road"], "placeholder '{Nebel}' added"),
                             (*at["story.first-story.choice.lantern--bank"], "placeholder '{ufer}' added"),
                             (*at["story.first-story.choice.road--lantern"], "placeholder '{do=\"coins -= 2\"}' added"),
                             (*at["story.first-story.summary"], "placeholder '{kurze \"Reise\"}' added"),
                             (*at["hero.first-hero.name"], "placeholder '{player_name}' added"),
                             (*at["hero.first-hero.title"], "placeholder '{.gross}' added")]), found
    dropped = [(d["file"], d["line"], d["column"]) for d in found if d["code"] == "HF0123"]
    assert dropped == [at["quest.first-quest.objective.cross"]], found
    assert not [d for d in found if d["code"] == "HF0537"], found
    assert run.code == 1
    # the same words without the braces: the build makes the German site and string tables
    for rel, texts in written.items():
        path = root / f"translations/de/{rel}.po"
        path.write_text(path.read_text(encoding="utf-8").replace("{", "").replace("}", ""), encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json,html", "-q").code == 0


def test_a_title_holding_a_placeholder_is_held_to_its_placeholders_only(project_factory, tagged_template):
    """A name or title whose source holds a `{…}` was compared with its translation as
    prose is, its whole markup: `Rook *the* {rank}` translated `Rook der {rank}` was
    HF1107 "emphasis lost", an error the same name without braces is not (the emphasis a
    translator gives a title is theirs). Its placeholders are what it is held to: one
    lost is said, as one added is."""
    root = _tagged(project_factory, tagged_template)
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", 'name: "Rook *the* {rank}"', text)
    text = re.sub(r"(?m)^title: .*$", 'title: "Scout of `the` {region} Road"', text)
    hero.write_text(text, encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(re.sub(r"(?m)^title: .*$", 'title: "Through *the* {place}"', quest.read_text(encoding="utf-8")),
                     encoding="utf-8")
    assert foundry("l10n", "extract", "--language", "de", "--project", str(root)).code == 0
    wanted = {"hero.first-hero.name": "Rook der {rank}",                   # emphasis left out: the translator's
              "hero.first-hero.title": "Späherin der {region}straße",      # code left out
              "quest.first-quest.title": "Durch den *Nebel*"}              # {place} lost
    for rel in ("content/heroes/first-hero.yaml", "content/quests/first-quest.yaml"):
        po = polib.pofile(str(root / f"translations/de/{rel}.po"))
        for entry in po:
            if entry.msgctxt in wanted:
                entry.msgstr, entry.flags = wanted[entry.msgctxt], []
        po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    broken = [(d["file"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1107"]
    assert broken == [("translations/de/content/quests/first-quest.yaml.po",
                       "de: translation of 'quest.first-quest.title': placeholder '{place}' lost")], broken


def test_a_one_line_translation_opening_a_heading_or_quote_is_said(project_factory, tagged_template):
    """A scene heading translated `## Spuren im Schlamm` (the translator typing the
    heading's markers the msgid does not have) was published with its `##` in every
    output, with check clean: a block a translation opens was said only after a line
    break. On its first line it is HF1107 too; `#1` (no space: no heading), a code
    span and `> 9000` (a `>` before a number: more than) are the words they are."""
    root = _tagged(project_factory, tagged_template)
    wanted = {"story.first-story.scene.tracks": "## Spuren im Schlamm",
              "story.first-story.choice.road--wait": "> Warte auf den Nebel",
              "story.first-story.scene.wait": "#1 Warten",
              "story.first-story.choice.road--tracks": "`Folge` den Spuren",
              "story.first-story.scene.lantern": "> 9000 Laternen"}   # "more than", as in a source title
    translate_lines(root / "translations/de", wanted)
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1107")
    assert said == ["de: translation of 'story.first-story.choice.road--wait' adds a quote, which would be shown as typed",
                    "de: translation of 'story.first-story.scene.tracks' adds a heading, which would be shown as typed"], said


@pytest.fixture(scope="module")
def choices_translated(tmp_path_factory, tagged_template):
    """The tagged project with two of the road's choices translated into German, built
    once (html, json, ink) for the two tests below, which only read it: `road--wait` as
    `Den *Spuren* allein folgen`, `road--tracks` as `"Allein" -- den ![grauen](x.png)
    *Spuren* folgen...` (each test built a copy of its own for one choice)."""
    root = write_project(tmp_path_factory.mktemp("choices") / "proj", base=str(tagged_template))
    po = polib.pofile(str(root / PO.format("de")))
    for choice, msgstr in (("road--wait", "Den *Spuren* allein folgen"),
                           ("road--tracks", '"Allein" -- den ![grauen](x.png) *Spuren* folgen...')):
        [entry] = [e for e in po if e.msgctxt and e.msgctxt.endswith(f".choice.{choice}")]
        entry.msgstr = msgstr
    po.save()
    run = foundry("build", "--project", str(root), "--only", "html,json,ink")
    assert run.code == 0, run.stderr
    return root


def _button(root, language: str, choice: str):
    """The link of `choice` on `language`'s page of the story."""
    from lxml import html as lxml_html
    page = lxml_html.parse(str(root / f"build/site/{language}/stories/first-story.html")).getroot()
    [a] = page.xpath(f'//li[@data-choice="{choice}"]//a')
    return a


def test_a_translated_choice_shows_the_translations_markup_in_html_and_its_words_elsewhere(choices_translated):
    """A choice's translation is inline Markdown as its source is: `Den *Spuren* allein
    folgen` is the German page's button with *Spuren* in italics (its words only, as
    before); the untranslated French page keeps the base choice."""
    a = _button(choices_translated, "de", "road--wait")
    assert a.text_content() == "Den Spuren allein folgen" and [e.text for e in a.xpath("./em")] == ["Spuren"]
    assert _button(choices_translated, "fr", "road--wait").text_content() == "Wait for the fog to lift"


def test_a_translated_choice_reads_as_the_base_languages_does(choices_translated):
    """A translated choice is read as the story reads a choice: `"Allein" -- den
    ![grauen](x.png) *Spuren* folgen...` kept straight quotes, two hyphens and three
    dots (read as a title), where the base language's button sets “…”, – and …; the
    image's alt was kept here and dropped from the base language's button. The German
    button, ink and string table now read alike, as the base language's would."""
    root = choices_translated
    a = _button(root, "de", "road--tracks")
    words = "“Allein” – den grauen Spuren folgen…"
    assert a.text_content() == words and [e.text for e in a.xpath("./em")] == ["Spuren"]
    assert f"[{words}]" in (root / "build/ink/de/first-story.ink").read_text(encoding="utf-8")
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    assert [r["text"] for r in table["strings"] if r["id"].endswith(".choice.road--tracks")] == [words]


def test_a_language_folder_linked_to_another_languages_is_one_error_at_the_link(project_factory, tagged_template):
    """`translations/de -> fr`: each French file was read as German and said HF1146 (it
    says it is in 'fr'), a warning a file for one link, check exit 0 and the German site
    built from the French translations; `l10n extract` refused the files without saying
    the link. HF0755 once at translations/de, in check, build and extract; nothing read."""
    root = _tagged(project_factory, tagged_template)
    shutil.rmtree(root / "translations/de")
    os.symlink("fr", root / "translations/de")
    for verb in (("check",), ("build", "--only", "json")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        found = [d for d in diagnostics(run) if not d.startswith(("HF1105 ", "HF1140 "))]   # (lines to translate)
        assert run.code == 1 and found == ["HF0755 translations/de:0:0"], (verb, found)
    extract = foundry("l10n", "extract", "--project", str(root))
    assert extract.code == 1 and "translations/de: error HF0755" in extract.stderr, extract.stderr


def test_a_translation_file_linked_to_another_languages_is_one_error_at_the_link(project_factory, tagged_template):
    """The same as a folder, one level down: a French file linked to the German one
    (`fr/…/first-story.md.po -> ../../../de/…`), or a folder inside translations/fr linked
    into translations/de, was read as French: German on the French site, said only by
    HF1146, and by nothing when the file names no language (a PO without `Language:`).
    HF0755 once at each link; nothing through them read."""
    root = _tagged(project_factory, tagged_template)
    german = root / PO.format("de")
    german.write_text(german.read_text(encoding="utf-8").replace('"Language: de\\n"\n', "").replace(
        'msgid "The Fog Road"\nmsgstr ""', 'msgid "The Fog Road"\nmsgstr "Die Nebelstraße"', 1), encoding="utf-8")
    assert "Language:" not in german.read_text(encoding="utf-8") and "Nebelstraße" in german.read_text(encoding="utf-8")
    os.remove(root / PO.format("fr"))
    os.symlink("../../../de/content/stories/first-story.md.po", root / PO.format("fr"))
    shutil.rmtree(root / "translations/fr/content/heroes")
    os.symlink("../../de/content/heroes", root / "translations/fr/content/heroes")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")   # (it built the German as French)
    found = sorted(d for d in diagnostics(run) if not d.startswith(("HF1105 ", "HF1140 ")))
    assert run.code == 1 and found == ["HF0755 translations/fr/content/heroes:0:0", f"HF0755 {PO.format('fr')}:0:0"], found


def test_a_source_restyled_under_its_translation_is_stale_not_a_broken_translation(project_factory, tagged_template):
    """A writer makes `*The end.*` bold in English: every language's translation of the
    line, styled as its own source was, was an HF1107 error and the build failed until
    each was updated — before and after `extract` brought the new source in. It is the
    staleness HF1106 says. A link target the source changed still is an error (the
    translation leads elsewhere), as is emphasis lost against the translation's own source."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert text.count("*The end.*") == 2
    story.write_text(text.replace("You go home. *The end.*", "You go home. **The end.**"), encoding="utf-8")
    for step in ("as committed", "after extract"):
        run = foundry("check", "--project", str(root), "--format", "json")
        found = [d for d in diagnostics(run) if d.startswith(("HF1106 ", "HF1107 "))]
        assert run.code == 0 and [d.split()[0] for d in found] == ["HF1106"], (step, found)
        assert foundry("l10n", "extract", "--project", str(root), "--language", "de").code == 0
    po = root / PO.format("de")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Dry ground at last. *The end.*"',
                                                         'msgstr "Endlich trockener Boden. Das Ende."'), encoding="utf-8")
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last. *The end.*",
                                                               "Dry ground at last! *The end.*"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and [d["message"].split(": ")[-1] for d in run.json()["diagnostics"]
                              if d["code"] == "HF1107"] == ["emphasis lost"], run.stdout


def test_a_regional_language_falls_back_to_its_language_before_the_base_one(project_factory):
    """`languages = ["pt", "pt-BR"]`: a line the Brazilian files do not translate showed
    English on the Brazilian pages, though the project had it in Portuguese (the theme's
    words already went `pt-BR` → `pt`). It shows the Portuguese, unmarked, and a second
    build after the Portuguese file changes shows the change there too (the Brazilian
    pages read the Portuguese file); `l10n status` says how many lines come from `pt`."""
    from lxml import html as lxml_html
    root = _project(project_factory, '\n[l10n]\nlanguages = ["pt", "pt-BR"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0

    def translate(language, words):
        po = polib.pofile(str(root / PO.format(language)))
        for entry in po:
            entry.msgstr = words.get(entry.msgid, entry.msgstr)
        po.save()

    translate("pt", {"The Fog Road": "A Estrada do Nevoeiro", "Wait for the fog to lift": "Esperar"})
    translate("pt-BR", {"Wait for the fog to lift": "Aguardar"})
    for title in ("A Estrada do Nevoeiro", "A Estrada da Névoa"):
        translate("pt", {"The Fog Road": title})
        assert foundry("build", "--project", str(root), "--only", "html,json").code == 0
        page = lxml_html.fromstring((root / "build/site/pt-BR/stories/first-story.html").read_bytes())
        assert page.xpath("string(//h1)").split()[:4] == title.split(), title
        assert not page.xpath("//h1//*[contains(@class, 'l10n-fallback')]")
        table = json.loads((root / "build/api/v1/strings/pt-BR.json").read_text(encoding="utf-8"))
        rows = {r["id"]: (r["text"], r["fallback"]) for r in table["strings"]}
        assert rows["story.first-story.title"] == (title, False)
        assert rows["story.first-story.choice.road--wait"] == ("Aguardar", False)
    status = foundry("l10n", "status", "--project", str(root), "--language", "pt-BR")
    assert "2 of the translated shown in 'pt'" in status.stdout, status.stdout
    # a change making the Portuguese title stale is the Portuguese translators' to see, once
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road Home"),
                     encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert [(s["language"], len(s["lines"])) for s in run.json()["stale_translations"]] == [("pt", 1)], run.stdout
    # … saying that the Brazilian pages show it too (a review of `pt` alone did not)
    assert run.json()["stale_translations"][0]["shown_in"] == ["pt-BR"], run.stdout
    said = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Translations made stale (pt; shown on pt-BR pages too where it has none): 1" in said, said
    # a scene renamed: pt's heading, shown on the Brazilian pages, is no longer used there either
    story.write_text(story.read_text(encoding="utf-8").replace("{#road}", "{#start}").replace("start: road",
                                                                                               "start: start"),
                     encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "rename"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    unused = {u["language"]: u for u in run.json()["unused_translations"]}
    assert "story.first-story.scene.road" in unused["pt"]["lines"] and unused["pt"]["shown_in"] == ["pt-BR"], unused
    assert "shown_in" not in unused["pt-BR"], unused
    said = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Translations no longer used (pt; pt-BR pages showed them too where it has none): " in said, said


def test_status_says_per_file_which_lines_come_from_the_language_fallen_back_to(project_factory):
    """`l10n status --language pt-BR` said `first-story.md: 3/17 translated` of a file
    whose Brazilian translation has none (all three shown from `pt`), and counted a
    stale line shown from `pt` among "the translated". Each file's row says how many it
    shows from `pt`, and the total tells translated from stale."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["pt", "pt-BR"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / PO.format("pt")))
    for entry in po:
        entry.msgstr = {"The Fog Road": "A Estrada do Nevoeiro", "Wait for the fog to lift": "Esperar"}.get(
            entry.msgid, entry.msgstr)
    po.save()
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("[Wait for the fog to lift]", "[Wait for the fog]"),
                     encoding="utf-8")
    run = foundry("l10n", "status", "--project", str(root), "--language", "pt-BR")
    assert run.code == 0, run.stdout + run.stderr
    assert "; 2 of the translated and 1 of the stale shown in 'pt', which pt-BR falls back to)" in run.stdout, run.stdout
    assert f"  {STORY}: 2/17 translated, 1 stale, 14 missing; 3 of them shown in 'pt'" in run.stdout, run.stdout


def test_a_paragraph_put_before_untagged_ones_moves_no_translation_onto_it(project_factory):
    """Untagged paragraphs have numbers for ids (`….scene.road.p1`): a paragraph put
    first made the old first one `p2`, and the German page showed the old first
    paragraph's translation in the new one's place (the new words on no German page) and
    the old first paragraph again after it, in English; `extract` then marked that
    translation fuzzy on the new paragraph. Each translation goes with its words."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate_all(root / PO.format("de"))
    story = root / STORY
    old = "The fog comes in off the marsh like a tide."
    story.write_text(story.read_text(encoding="utf-8").replace(old, "A new first paragraph.\n\n" + old, 1),
                     encoding="utf-8")
    first, second = "story.first-story.scene.road.p1", "story.first-story.scene.road.p2"
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    said = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1106"]
    assert run.code == 0 and len(said) == 1 and f"'{first}' translates the words of '{second}'" in said[0], said
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    rows = {r["id"]: (r["text"], r["fallback"], r["stale"]) for r in table["strings"]}
    assert rows[first] == ("A new first paragraph.", True, False)
    assert rows[second][0].startswith("DE " + old) and rows[second][1:] == (False, True)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    entries = {e.msgctxt: e for e in polib.pofile(str(root / PO.format("de")))}
    assert entries[first].msgstr == "" and entries[second].msgstr.startswith("DE " + old)
    assert "fuzzy" in entries[second].flags


def test_a_csv_row_keeps_its_previous_source_to_be_checked_against(project_factory):
    """CSV had no previous source: after `extract` brought in an edited source (`.` made
    `!`), the fuzzy row's translation was held to no styling at all, so one that lost
    its emphasis was not said until the fuzzy mark was cleared (PO and XLIFF hold it to
    the previous source). `extract` keeps the previous source in the row's developer
    comments, read back as such, the same after a second extract."""
    import csv
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--format", "csv", "--project", str(root)).code == 0
    path = root / "translations/de/content/stories/first-story.md.csv"

    def edit(target):
        rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        for row in rows:
            if row["source"].startswith("Dry ground"):
                row["target"] = target
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(rows)
        return rows

    edit("Endlich trockener Boden. *Das Ende.*")
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last. *The end.*",
                                                               "Dry ground at last! *The end.*"), encoding="utf-8")
    for _ in range(2):
        assert foundry("l10n", "extract", "--project", str(root)).code == 0
        [row] = [r for r in csv.DictReader(path.open(encoding="utf-8", newline=""))
                 if r["source"].startswith("Dry ground")]
        assert row["developer_comments"].count("Dry ground at last. *The end.*") == 1, row
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and [d["code"] for d in run.json()["diagnostics"] if d["code"] in ("HF1106", "HF1107")] \
        == ["HF1106"], run.stdout
    edit("Endlich trockener Boden. Das Ende.")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and [d["message"].split(": ")[-1] for d in run.json()["diagnostics"]
                              if d["code"] == "HF1107"] == ["emphasis lost"], run.stdout


def test_a_language_never_falls_back_into_another_script(project_factory):
    """`zh` is Simplified, `sr` Cyrillic (CLDR's likely scripts): with `languages = ["zh",
    "zh-Hant-HK", "zh-TW", "sr", "sr-Latn"]`, a Hong Kong page showed the `zh` file's
    Simplified title unmarked, as translated, and the Latin Serbian page the Cyrillic one
    (RFC 4647's lookup took the subtags off). They show the base language's title marked
    as a fallback, and a Taiwanese page shows `zh-Hant`'s when that is listed too (its
    likely script first: `zh-TW` → `zh-Hant`)."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["zh", "zh-Hant", "zh-Hant-HK", "zh-TW", "sr", "sr-Latn"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _title_in(root, {"zh": "雾路", "sr": "Пут магле", "zh-Hant": "霧路"})
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    assert _title_shown(root, "zh-Hant-HK")[:2] == ("霧路", False)
    assert _title_shown(root, "zh-TW")[:2] == ("霧路", False)
    assert _title_shown(root, "sr-Latn")[:2] == ("The Fog Road", True)


def _title_in(root, titles: dict[str, str]) -> None:
    """The first story's title translated in each language's PO file as `titles` gives it."""
    for language, title in titles.items():
        po = polib.pofile(str(root / PO.format(language)))
        for entry in po:
            entry.msgstr = title if entry.msgid == "The Fog Road" else entry.msgstr
        po.save()


def _title_shown(root, language: str) -> tuple:
    """(text, fallback, language) of the first story's title in the built strings table."""
    table = json.loads((root / f"build/api/v1/strings/{language}.json").read_text(encoding="utf-8"))
    row = {r["id"]: r for r in table["strings"]}["story.first-story.title"]
    return row["text"], row["fallback"], row["language"]


def test_bokmal_and_nynorsk_fall_back_to_norwegian_as_cldr_has_them(project_factory):
    """`languages = ["no", "nb", "nn", "es-419", "es-MX"]`: a line the `no` files had and
    the Bokmål files lacked showed English on the Bokmål pages (and in `nb.json`),
    though CLDR's data for `nb` and `nn` is `no`'s with their differences (Babel's
    parent locales); a Mexican line showed English though `es-419` had it. They fall
    back as CLDR does, the row naming the language its words are in; `no` itself never
    falls back to `nb`."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["no", "nb", "nn", "es-419", "es-MX"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _title_in(root, {"no": "Tåkeveien", "es-419": "El camino de niebla", "nb": ""})
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    assert _title_shown(root, "nb") == ("Tåkeveien", False, "no")
    assert _title_shown(root, "nn") == ("Tåkeveien", False, "no")
    assert _title_shown(root, "es-MX") == ("El camino de niebla", False, "es-419")
    assert _title_shown(root, "no") == ("Tåkeveien", False, "no")


def test_cldr_parents_are_found_for_a_tag_in_any_letters(project_factory):
    """Tags ignore case, and projects write `es-mx` and `NB` (HF0751 tells `es-MX` beside
    `es-mx` one language): CLDR's parents are named `es_MX`, `nb`, so a Mexican line
    showed English though `es-419` had it, and a Bokmål one English though `no` had it."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["no", "NB", "es-419", "es-mx"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _title_in(root, {"no": "Tåkeveien", "es-419": "El camino de niebla"})
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    assert _title_shown(root, "NB") == ("Tåkeveien", False, "no")
    assert _title_shown(root, "es-mx") == ("El camino de niebla", False, "es-419")


def test_a_deleted_untagged_paragraph_takes_no_translation_from_its_next_one(project_factory):
    """The first of three untagged paragraphs deleted (`….a.p1`, `p2`, `p3`): the German
    page showed the deleted paragraph's translation in place of the second one and the
    second one's in place of the third, each stale: every German line on the page was
    of other words. Each translation goes with its words (a number whose translation's
    words are gone takes the one of its own words left free), and `extract` carries them
    there fuzzy, keeping the deleted words' translation obsolete. The last number, gone,
    was HF1109 "a line that no longer exists" though its translation is shown on the
    paragraph with its words: it is told so, as the numbers still there are."""
    story = "---\ntitle: Three\nstart: a\n---\n\n## A {#a .ending}\n\n{}\n"
    words = ["Alpha goes [first](https://a.example/x).", "Bravo goes second.", "Charlie goes third."]
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n',
                    {"content/stories/three.md": story.replace("{}", "\n\n".join(words))})
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po_path = root / "translations/de/content/stories/three.md.po"
    _translate_all(po_path)
    (root / "content/stories/three.md").write_text(story.replace("{}", "\n\n".join(words[1:])), encoding="utf-8")
    # (the deleted words' link, in a translation shown nowhere, is no HF1107 error)
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    said = [d["message"] for d in run.json()["diagnostics"] if d["code"] in ("HF1106", "HF1107")]
    assert run.code == 0 and any("'story.three.scene.a.p1' translates words no longer in" in m for m in said), said
    assert any("'story.three.scene.a.p3' translates the words of 'story.three.scene.a.p2' now" in m for m in said), said
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF1109"] == []
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r["text"] for r in table["strings"]}
    assert rows["story.three.scene.a.p1"].startswith("DE Bravo"), rows
    assert rows["story.three.scene.a.p2"].startswith("DE Charlie"), rows
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(po_path))
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    assert entries["story.three.scene.a.p1"].msgstr.startswith("DE Bravo")
    assert entries["story.three.scene.a.p2"].msgstr.startswith("DE Charlie")
    assert "fuzzy" in entries["story.three.scene.a.p1"].flags
    assert [e.msgid for e in po.obsolete_entries()] == [words[0]]


def test_translations_whose_line_id_is_gone_are_never_told_an_id_the_file_has(project_factory, tagged_template):
    """HF1109's "Did you mean" named the nearest line id whatever had it: an entry whose
    id was mistyped beside one mistyped alike, or near a line the file translates
    already, were told one id, and correcting each as told was HF1102, the id twice
    (found following every hint literally). An id is told as the one to write only when
    no entry has it and no entry before was told it; else the hint says which entry
    has it, to keep one translation there."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    path = root / PO.format("de")
    entries = polib.pofile(str(path))
    boot = next(e for e in entries if e.msgid.startswith("Boot prints")).msgctxt
    lantern = next(e for e in entries if e.msgid.startswith("The lantern"))
    text = path.read_text(encoding="utf-8").replace(f'msgctxt "{boot}"', f'msgctxt "{boot}0"')
    text += (f'\nmsgctxt "{boot}1"\nmsgid "Boot prints"\nmsgstr "Stiefelspuren"\n'
             f'\nmsgctxt "{lantern.msgctxt}0"\nmsgid "The lantern"\nmsgstr "Die Laterne"\n')
    path.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["message"].split("'")[1]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1109"}
    first = {d["message"].split("'")[1]: d["line"] for d in run.json()["diagnostics"] if d["code"] == "HF1109"}
    assert hints[f"{boot}0"].startswith(f"The line '{boot}' has these words"), hints   # extract moves it there
    assert hints[f"{boot}1"].startswith(f"Did you mean '{boot}'? The entry at line {first[boot + '0']} is told that id too"), hints
    assert hints[f"{lantern.msgctxt}0"].startswith(f"Did you mean '{lantern.msgctxt}'? It has an entry at line "), hints
    # each hint followed: the one told an id corrected, the others' translations kept where told (here: dropped)
    text = path.read_text(encoding="utf-8").replace(f'msgctxt "{boot}0"', f'msgctxt "{boot}"')
    text = text.split(f'\nmsgctxt "{boot}1"')[0] + "\n"
    path.write_text(text, encoding="utf-8")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(again) if d.startswith(("HF1102", "HF1109"))], again.stdout


def test_l10n_settings_that_do_nothing_are_a_warning_naming_the_fix(project_factory):
    """`[l10n] languages = ["en"]` in an English project was silent: no translation, no
    folder, no word, where the writer expected one (and `build_pseudo = true` beside it
    built nothing either). The base language listed is HF1150 at its tag; a setting for
    translations with no language to translate into is HF1150 at its key; the build
    still succeeds (a warning), and the fix taken ("de") makes a translation."""
    root = _project(project_factory, '\n[l10n]\nlanguages = ["en"]\nbuild_pseudo = true\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = [(d["code"], d["severity"], d["line"], d["column"]) for d in run.json()["diagnostics"]]
    config = (root / "foundry.toml").read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(config, 1) if line.startswith("languages"))
    assert found == [("HF1150", "warning", at, config[at - 1].index('"en"') + 1),
                     ("HF1150", "warning", at + 1, 1)], run.stdout
    said = run.json()["diagnostics"]
    assert "project's language" in said[0]["message"] and 'languages = ["de"]' in said[0]["hint"]
    assert "build_pseudo" in said[1]["message"]
    assert foundry("check", "--strict", "--project", str(root)).code == 1
    both = project_factory(name="both")
    with open(both / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["en", "de"]\n')
    run = foundry("check", "--project", str(both), "--format", "json")
    assert [d["code"] for d in run.json()["diagnostics"] if d["code"] == "HF1150"] == ["HF1150"]
    assert foundry("l10n", "extract", "--project", str(both)).code == 0
    assert (both / "translations/de").is_dir() and not (both / "translations/en").exists()


def test_a_link_to_nothing_in_a_translation_files_place_leaves_the_file_beside_it_kept_up_to_date(
        project_factory, tagged_template):
    """first-story.md.po is a link inside the project to nothing (HF0164, skipped) and the
    story's translations are its .xlf: `check` reads the .xlf, but `l10n extract` took the
    dangling link for the file's place, refused there (HF0165, exit 2) and left the .xlf
    without the story's new line, one check went on reading. A link to nothing takes no
    place: extract updates the file check reads."""
    root = _tagged(project_factory, tagged_template)
    xlf = root / (PO.format("de")[:-3] + ".xlf")
    (root / PO.format("de")).unlink()
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de", "--format", "xliff").code == 0
    (root / PO.format("de")).symlink_to("nowhere.po")
    with open(root / STORY, "a", encoding="utf-8") as story:
        story.write("\nA new line the writer added, Qx7-new-line.\n")
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 0, run.stdout + run.stderr
    assert "HF0165" not in run.stdout + run.stderr
    assert b"Qx7-new-line" in xlf.read_bytes()
    check = foundry("check", "--project", str(root), "--format", "json")
    said = check.json()["diagnostics"]
    assert [d["file"] for d in said if d["code"] == "HF0164"] == [PO.format("de")], said
    assert not [d for d in said if d["code"] in ("HF1110", "HF0120", "HF0125")], said


def test_a_marker_typed_otherwise_is_said_at_it_and_tag_writes_it_as_one(project_factory, tagged_template):
    """Line ids written by hand: ` ^L-81C4` (capitals), ` ^l-my-end` (a hyphen), ` ^l-zz`
    (too short), ` ^Rook-Intro` in a background. None is a marker, so each was shown as
    typed in every output, HF1101 said only "run tag" (at the paragraph's first line), and
    `tag` wrote a second marker after it, the typed one left on the page for good. Said at
    the `^` now with the marker it spells; `tag` writes that marker in its place, and a
    marker it cannot spell as the one it would have written, so a translation made
    before the slip (here `^l-zz` over the German paragraph's marker) still matches."""
    root = _tagged(project_factory, tagged_template)
    story, hero = root / STORY, root / "content/heroes/first-hero.yaml"
    tagged = story.read_text(encoding="utf-8")
    markers = [line.rsplit("^", 1)[1] for line in tagged.splitlines() if " ^l-" in line]
    typed = {markers[0]: "L-" + markers[0][2:].upper(), markers[1]: "l-my-end", markers[2]: "l-zz"}
    text = tagged
    for marker, written in typed.items():
        text = text.replace(f"^{marker}", f"^{written}")
    story.write_text(text, encoding="utf-8")
    hero_text = hero.read_text(encoding="utf-8")
    hero.write_text(re.sub(r"\^l-[0-9a-z]+", "^Rook-Intro", hero_text), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {f"{d['file']}:{d['line']}:{d['column']}": d for d in run.json()["diagnostics"] if d["code"] == "HF1101"}
    lines = text.splitlines()
    expected = {}
    for written in typed.values():
        number = next(n for n, line in enumerate(lines, 1) if line.endswith(f" ^{written}"))
        expected[f"{STORY}:{number}:{lines[number - 1].index('^') + 1}"] = written
    hero_line = next(n for n, line in enumerate(hero.read_text().splitlines(), 1) if "^Rook-Intro" in line)
    assert sorted(said) == sorted([*expected, f"content/heroes/first-hero.yaml:{hero_line}:72"]), sorted(said)
    at_capitals = next(at for at, written in expected.items() if written.startswith("L-"))
    assert f"`^{markers[0]}`" in said[at_capitals]["hint"]
    assert run.code == 1
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    retagged = story.read_text(encoding="utf-8")
    assert retagged.count("^") == tagged.count("^") and "^L-" not in retagged and "^l-my-end" not in retagged
    assert f"^{markers[0]}" in retagged and "^l-myend" in retagged and f"^{markers[2]}" in retagged
    assert hero.read_text(encoding="utf-8").rstrip().endswith("arrives. ^l-rookintro")
    # without required ids, the same slip is a warning at its `^`
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text().replace("require_line_ids = true", ""))
    story.write_text(retagged.replace(f"^{markers[0]}", "^intro"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d["code"] for d in run.json()["diagnostics"] if d["code"] in ("HF1101", "HF1154")] == ["HF1154"]


def test_a_marker_left_inside_a_joined_line_is_said_at_it(project_factory, tagged_template):
    """Two tagged paragraphs joined onto one line (an editor's "join lines", a blank line
    deleted and the lines run together): the first one's ` ^l-…` now has words after it.
    Only a line's end holds a marker, so it was shown as typed on every page, in ink and
    the string tables, and `check` said nothing (HF1154 was for the end of the line only).
    Said at its `^` now, in a story and in a hero's background alike."""
    root = _tagged(project_factory, tagged_template)
    story, hero = root / STORY, root / "content/heroes/first-hero.yaml"
    joined = {}
    for path, words in ((story, "The gate creaks."), (hero, "Rook keeps her counsel.")):
        text = path.read_text(encoding="utf-8")
        marker = re.search(r" \^l-[0-9a-z]+(?=\n)", text)
        path.write_text(text[:marker.end()] + f" {words}" + text[marker.end():], encoding="utf-8")
        number = text[:marker.start()].count("\n") + 1
        joined[f"{path.relative_to(root)}:{number}:{marker.start() - text.rfind(chr(10), 0, marker.start()) + 1}"] = \
            marker.group(0).strip()
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {f"{d['file']}:{d['line']}:{d['column']}": d for d in run.json()["diagnostics"] if d["code"] == "HF1154"}
    assert sorted(said) == sorted(joined), (sorted(said), joined)
    assert all(f"`{written}`" in said[at]["message"] for at, written in joined.items())


def test_a_sentence_written_under_a_tagged_paragraph_keeps_its_line_id(project_factory, tagged_template):
    """A sentence added on a new line under a tagged paragraph (no blank line: the same
    paragraph), the marker now on the line above the last: the paragraph lost its id —
    HF1101 "no line id", its German HF1109 "a line that no longer exists" with a hint to
    move it to another paragraph's id, and `tag` wrote it a new marker, the translation
    left behind. The edit changed the paragraph: its translation is stale, its id kept,
    in a story and a hero's background alike."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    _translate_all(root / "translations/de/content/heroes/first-hero.yaml.po")
    ids = []
    for rel, prefix, added in ((STORY, "story.first-story.", "He does not smile."),
                               ("content/heroes/first-hero.yaml", "hero.first-hero.background.", "  She never says why.")):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        marker = re.search(r" \^(l-[0-9a-z]+)\n", text)
        path.write_text(text[:marker.end()] + added + "\n" + text[marker.end():], encoding="utf-8")
        ids.append(prefix + marker.group(1))
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert not [d for d in found if d["code"] in ("HF1101", "HF1109")], found
    stale = sorted(d["message"].split("'")[1] for d in found if d["code"] == "HF1106" and d["message"].startswith("de:"))
    assert stale == sorted(ids), found
    before = (root / STORY).read_bytes()
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert (root / STORY).read_bytes() == before   # no second marker
    # the same marker typed in capitals: said at its `^` (it was HF1101 at the paragraph,
    # `tag` wrote a new marker under it and left it shown as typed), `tag` writes it in place
    (root / STORY).write_bytes(before.replace(f"^{ids[0].rsplit('.', 1)[1]}".encode(),
                                              f"^{ids[0].rsplit('.', 1)[1].upper()}".encode()))
    run = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF1101"]
    assert said["file"] == STORY and ids[0].rsplit(".", 1)[1].upper() in said["message"], said
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert (root / STORY).read_bytes() == before
    # … and a marker typed otherwise ending the sentence added under it: the paragraph
    # keeps its id, so the word was shown as typed on every page, check silent
    (root / STORY).write_bytes(before.replace(b"He does not smile.\n", b"He does not smile. ^L-5B64\n"))
    run = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] in ("HF1101", "HF1154")]
    assert (said["code"], said["file"]) == ("HF1154", STORY) and f"`^{ids[0].rsplit('.', 1)[1]}`" in said["hint"], said


def test_a_tagged_file_with_windows_line_ends_keeps_its_ids_out_of_every_text(project_factory, tagged_template):
    """A tagged story and hero checked out on Windows (git's autocrlf writes CR LF): the
    marker pattern ended at `$`, which is before the "\\n" only, so no marker before a
    "\\r\\n" was removed. Every paragraph showed ` ^l-5b64` in the string tables, Twee and
    every language, every translated paragraph was stale (its source had the marker),
    and `tag` added a second marker to each paragraph every time it ran."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    for rel in (STORY, "content/heroes/first-hero.yaml"):
        path = root / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert not [d for d in diagnostics(run) if d.startswith("HF1106")], diagnostics(run)
    for language in ("en", "de"):
        rows = json.loads((root / f"build/api/v1/strings/{language}.json").read_text(encoding="utf-8"))["strings"]
        paragraphs = [r for r in rows if ".l-" in r["id"]]
        assert len(paragraphs) == 7 and not [r["text"] for r in rows if "^l-" in r["text"]], language
        assert language == "en" or not [r["id"] for r in paragraphs if r["id"].startswith("story.") and (r["stale"] or r["fallback"])]
    # nor did `tag` see them: each run wrote a second marker after every one
    before = (root / STORY).read_bytes()
    assert "Tagged 0" in foundry("l10n", "tag", "--project", str(root)).stdout
    assert (root / STORY).read_bytes() == before


def test_a_source_composed_otherwise_than_its_translation_file_is_not_stale(project_factory, tagged_template):
    """A paragraph saved decomposed (NFD: `e` + U+0301, as some macOS tools write it), its
    translation file saved by a tool that composes (NFC): the msgid is the same text, yet
    the line was stale (HF1106) after every `extract` and every translation of it."""
    import unicodedata
    root = _tagged(project_factory, tagged_template)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace(
        "Boot prints", unicodedata.normalize("NFD", "Boot prints in the café")), encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de").code == 0
    po = root / PO.format("de")
    _translate_all(po)
    po.write_text(unicodedata.normalize("NFC", po.read_text(encoding="utf-8")), encoding="utf-8")
    assert "café" in po.read_text(encoding="utf-8")   # composed: the tool's habit
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if d.startswith("HF1106")], diagnostics(run)


def test_an_entry_in_another_files_catalog_is_told_so_and_extract_takes_it_there(project_factory, tagged_template):
    """A story's scene heading translated in the hero's catalog (an entry pasted into
    the wrong file, catalogs joined by `msgcat`): HF1109 said "a line that no longer
    exists" of a line that exists, and its hint promised that `extract` copies the
    translation to its line, which extract did not do (the id is a line of the project,
    so it was not "gone"): the translation was left obsolete, used nowhere."""
    root = _tagged(project_factory, tagged_template)
    hero = root / "translations/de/content/heroes/first-hero.yaml.po"
    with open(hero, "a", encoding="utf-8") as out:
        out.write('\nmsgctxt "story.first-story.scene.wait"\nmsgid "Waiting"\nmsgstr "Warten"\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1109"]
    assert [d["message"] for d in said] == ["de: translation of 'story.first-story.scene.wait', a line of "
                                            "content/stories/first-story.md, not of content/heroes/first-hero.yaml"]
    assert "copies this translation there" in said[0]["hint"], said
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de").code == 0
    entry = next(e for e in polib.pofile(str(root / PO.format("de"))) if e.msgctxt == "story.first-story.scene.wait")
    assert entry.msgstr == "Warten" and "fuzzy" in entry.flags
    assert [e.msgstr for e in polib.pofile(str(hero)).obsolete_entries()] == ["Warten"]   # kept where it was too


def test_a_paragraph_moved_to_another_story_takes_its_translation_along(project_factory, tagged_template):
    """A tagged paragraph cut from one story and pasted, marker and all, into another:
    its line id changes with the story's id, its words do not. `extract` carried a
    translation over only within one file, so the German was left obsolete in the old
    file and the paragraph untranslated in the new one, and check's hint offered an
    unrelated id of the old file ("Did you mean …l-fcde?")."""
    root = _tagged(project_factory, tagged_template)
    _translate_all(root / PO.format("de"))
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    moved = next(line for line in text.splitlines() if line.startswith("Boot prints"))
    story.write_text(text.replace(moved, "Reeds, and nothing else."), encoding="utf-8")
    (root / "content/stories/second-story.md").write_text(
        "---\ntitle: The Second Road\nstatus: draft\nsummary: Another crossing.\nstart: a\n---\n\n"
        f"## Start {{#a .ending}}\n\n{moved}\n", encoding="utf-8")
    new_id = "story.second-story." + moved.rsplit("^", 1)[1]
    run = foundry("check", "--project", str(root), "--format", "json")
    gone = [d for d in run.json()["diagnostics"] if d["code"] == "HF1109"]
    assert len(gone) == 1 and f"'{new_id}' of content/stories/second-story.md" in gone[0]["hint"], gone
    assert foundry("l10n", "extract", "--project", str(root), "--language", "de").code == 0
    second = polib.pofile(str(root / PO.format("de").replace("first-story", "second-story")))
    entry = next(e for e in second if e.msgctxt == new_id)
    assert entry.msgstr == "DE Boot prints, fresh, leading true across the marsh." and "fuzzy" in entry.flags
    first = polib.pofile(str(root / PO.format("de")))
    assert [e.msgstr for e in first.obsolete_entries()] == [entry.msgstr]   # kept where it was too


def test_diff_says_translations_went_with_their_words_not_changed(project_factory):
    """Three untagged paragraphs (`….a.p1`–`p3`) translated and committed; the writer
    swaps two, then deletes the first. Each translation is shown with its words (state.py
    `_shifted`), but `foundry diff` said of the swap "2 translations changed" — nobody
    translated anything — and of the deletion that p3's translation, shown on p2, was "no
    longer used". Now: "moved with their words" (line and where from), still stale to
    confirm; the deleted words' translation is the one no longer used."""
    story = "---\ntitle: Three\nstart: a\n---\n\n## A {#a .ending}\n\n{}\n"
    words = ["Alpha goes first.", "Bravo goes second.", "Charlie goes third."]
    root = _project(project_factory, '\n[l10n]\nlanguages = ["de"]\n',
                    {"content/stories/three.md": story.replace("{}", "\n\n".join(words))})
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate_all(root / "translations/de/content/stories/three.md.po")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)

    def commit(paragraphs, message):
        (root / "content/stories/three.md").write_text(story.replace("{}", "\n\n".join(paragraphs)), encoding="utf-8")
        subprocess.run([*git, "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-qm", message], cwd=root, check=True)

    commit(words, "base")
    commit([words[1], words[0], words[2]], "swap")
    p = [f"story.three.scene.a.p{n}" for n in (1, 2, 3)]
    report = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json").json()
    assert report["moved_translations"] == [{"language": "de", "lines": [{"line": p[0], "from": p[1]},
                                                                         {"line": p[1], "from": p[0]}]}], report
    assert report["changed_translations"] == [] and report["unused_translations"] == []
    assert report["stale_translations"] == [{"language": "de", "lines": p[:2]}]
    text = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Translations moved with their words (de): 2" in text and f"  {p[0]} (was {p[1]}'s)" in text, text
    assert "Translations changed" not in text
    commit(words[1:], "delete")
    report = foundry("diff", "HEAD~2", "HEAD", "--project", str(root), "--format", "json").json()
    assert report["moved_translations"] == [{"language": "de", "lines": [{"line": p[0], "from": p[1]},
                                                                         {"line": p[1], "from": p[2]}]}], report
    assert report["unused_translations"] == [{"language": "de", "lines": [p[0]]}], report   # Alpha's
    assert report["changed_translations"] == [], report


def test_a_translation_adding_a_wiki_link_or_an_obsidian_comment_is_said(project_factory, tagged_template):
    """A translator's `[[Ufer]]`, `%%Notiz%%` or `^[Fußnote]` is shown as typed as in the
    story (HF0124 there): a translation was looked at only when it held `<`, `](` or `[^`,
    so these were published raw with check clean. A doubled percent sign is none."""
    root = _tagged(project_factory, tagged_template)
    po_path = root / PO.format("de")
    po = polib.pofile(str(po_path))
    wiki = next(e for e in po if e.msgid.startswith("The lantern bobs ahead."))
    wiki.msgstr = "Die Laterne schwankt. Siehe [[Ufer]]."
    note = next(e for e in po if e.msgid.startswith("Boot prints, fresh"))
    note.msgstr = "Stiefelabdrücke %%prüfen%%, frisch."
    percent = next(e for e in po if e.msgid.startswith("The fog never lifts."))
    percent.msgstr = "Der Nebel hebt sich zu 50%%, nie zu 75%%."
    po.save()
    run = foundry("check", "--project", str(root), "--format", "json")
    shown = sorted((d["message"] for d in run.json()["diagnostics"]
                    if d["code"] == "HF0124" and d["file"] == PO.format("de")))
    assert len(shown) == 2 and "wiki link" in shown[0] and "Obsidian comment" in shown[1], shown
