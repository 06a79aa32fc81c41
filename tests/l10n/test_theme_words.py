"""The theme's own words (docs/localization.md, "The theme's own words"): catalogs
extracted by Babel's own extractor and complete in German and Arabic, the pseudo-locale
made from them, a project theme's catalog over the default's, a broken catalog
reported at its line. Small projects, html only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import html as lxml_html

from pipeline.toolid import SHIPPED_THEME
from support import REPO, diagnostics, foundry

LOCALE = REPO / "themes/default/locale"


def _nav(root, path: str) -> list[str]:
    page = lxml_html.fromstring((root / "build/site" / path).read_bytes())
    return [a.text_content() for a in page.xpath("//nav[@class='site-nav']//a")]


def test_catalogs_hold_every_word_the_theme_uses(tmp_path):
    """Babel's extractor, run as documented, finds no word the shipped catalogs lack."""
    pot = tmp_path / "messages.pot"
    run = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                          "-F", "themes/default/babel.cfg", "-o", str(pot), "themes/default", "pipeline/exporters"],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    used = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert {"Search", "Voice-over", "Start again", "turn to", "Contents", "Page not found", "Language"} <= used
    for language in ("de", "ar"):
        catalog = read_po((LOCALE / language / "LC_MESSAGES/messages.po").open("rb"))
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy
                      and (all(m.string) if isinstance(m.string, tuple) else True)}
        assert used <= translated, (language, sorted(used - translated)[:10])
    shipped = {m.id for m in read_po((LOCALE / "messages.pot").open("rb")) if m.id}
    assert shipped == used   # the template in git is what the extractor makes today


# Translations of words that are text (their messages hold no markup) typed with what
# HTML would read as markup: an entity, a tag, quotes (one is written in an attribute).
FR_CHARACTERS = 'Persos & "gens" <b>x</b> &amp;'
FR_GLANCE = 'D\'un "coup" <i>d\'œil</i>'
FR_ENDING = 'fin <b>·</b> &amp;'
FR_AGAIN = "Rejouer & <b>l'histoire</b>"


def _po(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """The minimal world in French, German and the pseudo-locale, with its own theme
    that ships a French catalog of two words and overrides one German word."""
    import shutil
    from support import ROOTS
    root = tmp_path_factory.mktemp("theme-words") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr", "de", "en-XA"]\nbuild_pseudo = true\n')
    for language, words in (("fr", {"Heroes": "Héros", "Stories": "Histoires", "Characters": FR_CHARACTERS,
                                    "At a glance": FR_GLANCE, "Play again": FR_AGAIN}), ("de", {"Heroes": "Recken"})):
        po = root / f"themes/mine/locale/{language}/LC_MESSAGES/messages.po"
        po.parent.mkdir(parents=True)
        po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                      '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
                      + "".join(f'msgid "{k}"\nmsgstr "{_po(v)}"\n\n' for k, v in words.items())
                      + ('msgid "ending"\nmsgid_plural "endings"\n'
                         f'msgstr[0] "{_po(FR_ENDING)}"\nmsgstr[1] "{_po(FR_ENDING)}"\n' if language == "fr" else ""),
                      encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return root, run


def test_a_project_theme_ships_its_own_words(themed):
    root, run = themed
    # French from the project's catalog, the words it lacks in English
    assert _nav(root, "fr/heroes/index.html") == ["Héros", FR_CHARACTERS, "Histoires", "Quests", "Relationships"]
    # German: the project's word over the default theme's, the rest from the default theme
    assert _nav(root, "de/heroes/index.html") == ["Recken", "Figuren", "Geschichten", "Aufträge", "Beziehungen"]
    assert not [d for d in diagnostics(run) if d.startswith("HF1140")]   # every language has words


def test_a_word_translated_with_markup_reads_as_typed_wherever_it_is_written(themed):
    """A theme word whose message is text is text in its translation too: `&amp;`, `<b>`
    and quotes a translator typed are the characters typed, alike in the navigation
    (written by Python), in a breadcrumb, a heading and an `aria-label` (a template's
    `_()`), and in a plural (`ngettext`). The template's words were the translation as
    HTML: the same page showed `<b>x</b>` as a bold x in its breadcrumb and as typed in
    its navigation, `&amp;` as `&` in one and `&amp;` in the other, and `aria-label="D'un
    "coup" …"` ended at the translator's first quote. The words a page's script shows
    (JSON) stay the translation as typed."""
    root, run = themed
    # each such translation is said (HF1153) at its msgstr, once
    po = (root / "themes/mine/locale/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8").splitlines()
    lines = [n for n, line in enumerate(po, 1) if line.startswith("msgstr") and ("<" in line or "&amp;" in line)
             and not line.startswith("msgstr[1]")]
    assert len(lines) == 4
    assert sorted(d for d in diagnostics(run) if d.startswith("HF1153")) == \
        sorted(f"HF1153 themes/mine/locale/fr/LC_MESSAGES/messages.po:{n}:1" for n in lines)
    page = lxml_html.fromstring((root / "build/site/fr/characters/old-guide.html").read_bytes())
    assert _nav(root, "fr/characters/old-guide.html")[1] == FR_CHARACTERS
    crumb = page.xpath("//nav[@class='breadcrumb']//li[2]/a")[0]
    assert crumb.text_content() == FR_CHARACTERS and not crumb.xpath(".//b")
    assert page.xpath("//ul[@class='facts']/@aria-label") == [FR_GLANCE]
    home = lxml_html.fromstring((root / "build/site/fr/index.html").read_bytes())
    assert [h.text_content() for h in home.xpath("//h2[@id='characters-h']")] == [FR_CHARACTERS]
    story = lxml_html.fromstring((root / "build/site/fr/stories/first-story.html").read_bytes())
    endings = [li.text_content().split(None, 1)[1] for li in story.xpath("//ul[@class='facts']/li")
               if "fin" in li.text_content()]
    assert endings == [FR_ENDING] and not story.xpath("//ul[@class='facts']/li/b")
    # the words the story player shows as text, as JSON: the translation itself
    player = json.loads(story.xpath("//script[@id='theme-words']")[0].text)
    assert player["play_again"] == FR_AGAIN and player["separator"] == ", "


def test_the_pseudo_locale_words_keep_their_placeholders(themed):
    root, _ = themed
    nav = _nav(root, "en-XA/heroes/index.html")
    assert nav[0].startswith("[Ĥéŕöéš") and nav[0].endswith("]") and len(nav) == 5
    page = lxml_html.fromstring((root / "build/site/en-XA/heroes/index.html").read_bytes())
    lede = page.xpath("//p[@class='lede']")[0].text_content()
    assert "Minimal" in lede and "%(" not in lede and lede.startswith("[Ţĥé þļåýåƀļé")


def test_a_broken_catalog_is_reported_at_its_line(project_factory):
    root = project_factory({"themes/mine/locale/de/LC_MESSAGES/messages.po":
                            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                            'msgid "Search"\nmsgstr "Suche"\n\nmsgid "Home"\nmsgstr "Start"\nthis line is no PO\n'})
    # a catalog over the size limit was skipped without a word: the French pages kept English
    huge = root / "themes/mine/locale/fr/LC_MESSAGES/messages.po"
    huge.parent.mkdir(parents=True)
    huge.write_text('msgid "Search"\nmsgstr "Chercher"\n' + "# padding\n" * 500_000)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "fr"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1141"]
    assert [(d["file"], d["line"]) for d in found] == [("themes/mine/locale/de/LC_MESSAGES/messages.po", 10)], found
    assert [d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0116"] == [
        "themes/mine/locale/fr/LC_MESSAGES/messages.po"]
    assert run.code == 1 and "Traceback" not in run.stderr


def test_a_translation_with_a_placeholder_its_message_lacks_is_reported_at_its_line(project_factory):
    # a theme's catalog is a pull request's: `%(level)999999999s` made each page format a
    # gigabyte (the build died of a segmentation fault), `%(evil)s` failed every page at
    # base.html instead of naming the catalog (review attack6)
    catalog = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "Level %(level)s"\nmsgstr "Stufe %(level)999999999s"\n')
    root = project_factory({"themes/mine/locale/de/LC_MESSAGES/messages.po": catalog,
                            "themes/mine/locale/ar/LC_MESSAGES/messages.po":
                                catalog.replace("Stufe %(level)999999999s", "%(evil)s %(level)s")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    found = sorted((d["file"], d["line"], d["message"].split(": '", 1)[1].split("'")[0])
                   for d in run.json()["diagnostics"] if d["code"] == "HF1141")
    assert found == [("themes/mine/locale/ar/LC_MESSAGES/messages.po", 6, "%(evil)s"),
                     ("themes/mine/locale/de/LC_MESSAGES/messages.po", 6, "%(level)999999999s")], run.stdout
    assert run.code == 1 and "Traceback" not in run.stderr


def test_a_plural_message_missing_a_form_of_its_language_is_reported_at_its_line(project_factory):
    # Polish has three plural forms: a catalog giving two (a translator who copied the
    # German's two msgstr lines) showed "5 endings" in English beside "2 zakończenia",
    # without a word; `msgfmt -c` calls it a fatal error. Russian with its three is read.
    def catalog(language: str, forms: str, *strings: str) -> str:
        return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                f'"Plural-Forms: nplurals={forms};\\n"\n\n#, python-format\nmsgid "%(count)s ending"\n'
                'msgid_plural "%(count)s endings"\n' + "".join(f'msgstr[{n}] "{text}"\n' for n, text in enumerate(strings)))
    rule = "3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    root = project_factory({
        "themes/mine/locale/pl/LC_MESSAGES/messages.po": catalog("pl", rule.replace("n%10==1 && n%100!=11", "n==1"),
                                                                 "%(count)s zakończenie", "%(count)s zakończenia"),
        "themes/mine/locale/ru/LC_MESSAGES/messages.po": catalog("ru", rule, "%(count)s концовка",
                                                                 "%(count)s концовки", "%(count)s концовок")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["pl", "ru"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [(d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1141"]
    assert [(f, n) for f, n, _ in found] == [("themes/mine/locale/pl/LC_MESSAGES/messages.po", 8)], run.stdout
    assert "2 of the language's 3 plural forms (msgstr[2]" in found[0][2]


def test_a_catalog_naming_a_codec_no_po_file_may_be_in_is_reported_at_its_line(project_factory):
    # Babel reads a catalog in the charset its header names, any codec Python has:
    # `rot13` (no text encoding) was HF1141 in Python's words with no line, and
    # `unicode_escape` read every message through Python's escapes without a word (a
    # `\\t` in a message became a tab). Only UTF-8 and GNU gettext's portable charsets
    # are read (review33a); ISO-8859-1 still is.
    def catalog(charset: str, search: bytes) -> bytes:
        return (b'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=' + charset.encode()
                + b'\\n"\n\nmsgid "Search"\nmsgstr "' + search + b'"\n')
    root = project_factory()
    for language, charset, search in (("de", "rot13", b"Suche"), ("fr", "unicode_escape", b"Cherc\\there"),
                                      ("es", "ISO-8859-1", "B\u00fasqueda".encode("latin-1"))):
        path = root / f"themes/mine/locale/{language}/LC_MESSAGES/messages.po"
        path.parent.mkdir(parents=True)
        path.write_bytes(catalog(charset, search))
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "fr", "es"]\n')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    found = sorted((d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF1141")
    assert found == [("themes/mine/locale/de/LC_MESSAGES/messages.po", 4),
                     ("themes/mine/locale/fr/LC_MESSAGES/messages.po", 4)], run.stdout
    assert run.code == 1


def test_a_catalog_whose_plural_formula_fails_is_reported_not_an_internal_error(project_factory):
    # a language the default theme has no catalog for takes the project's Plural-Forms:
    # `n/(n-n)` ended every build in "internal error (ZeroDivisionError)" (attack7a)
    catalog = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
               '"Plural-Forms: nplurals=2; plural=n/(n-n);\\n"\n\nmsgid "Search"\nmsgstr "Chercher"\n')
    # and `nplurals=100000000`: Babel pads each plural message to that many forms (ran for ever)
    huge = catalog.replace("nplurals=2; plural=n/(n-n)", "nplurals=100000000; plural=n*9")
    root = project_factory({"themes/mine/locale/fr/LC_MESSAGES/messages.po": catalog,
                            "themes/mine/locale/es/LC_MESSAGES/messages.po": huge})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr", "es"]\n')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 1 and "internal error" not in run.stderr, run.stderr
    found = [(d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF1141"]
    assert sorted(found) == [("themes/mine/locale/es/LC_MESSAGES/messages.po", 4),
                             ("themes/mine/locale/fr/LC_MESSAGES/messages.po", 4)], run.stdout
    # their pages show English (HF1140), whose hint told to "Add …/fr/LC_MESSAGES/messages.po"
    # to a writer who had it: it names the file to correct
    hints = sorted(d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1140")
    assert hints == [f"Correct themes/mine/locale/{language}/LC_MESSAGES/messages.po: it does not parse (HF1141 at "
                     "it), and none of its words is used until it does." for language in ("es", "fr")], hints


def test_a_plural_formula_of_too_few_forms_or_forms_it_lacks_is_said_at_its_header(project_factory):
    """A Russian catalog with `nplurals=1; plural=0;` (one form for every count) showed
    "5 сцена" for five scenes, without a word, and a French one whose formula gives form
    2 of its two ("(n>1 ? 2 : 0)") showed "5 scenes" in English: msgfmt -c refuses the
    second. Now HF1156 (warning) and HF1141 at the Plural-Forms line, each hint giving
    gettext's usual line; followed, the pages say "5 сцен", "5 scènes". Headers of
    either convention are quiet: French in gettext's two forms or CLDR's three (as
    `pybabel init` writes it), Hebrew and Welsh in gettext's two (CLDR has more),
    Latvian as the GNU gettext manual writes it."""
    def catalog(language: str, header: str, *forms: str) -> str:
        return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                f'"Plural-Forms: {header}\\n"\n\nmsgid "scene"\nmsgid_plural "scenes"\n'
                + "".join(f'msgstr[{n}] "{text}"\n' for n, text in enumerate(forms)))
    quiet = {"fr-CA": ("nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
                       "scène", "scènes", "scènes"),
             "he": ("nplurals=2; plural=(n != 1);", "סצנה", "סצנות"),
             "cy": ("nplurals=2; plural=(n==2) ? 1 : 0;", "golygfa", "olygfa"),
             "lv": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);", "aina", "ainas", "ainu")}
    files = {f"themes/mine/locale/{language}/LC_MESSAGES/messages.po": catalog(language, *given)
             for language, given in {**quiet, "ru": ("nplurals=1; plural=0;", "сцена"),
                                     "fr": ("nplurals=2; plural=(n>1 ? 2 : 0);", "scène", "scènes")}.items()}
    root = project_factory(files)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["ru", "fr", "fr-CA", "he", "cy", "lv"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["file"].split("/")[3]: d for d in run.json()["diagnostics"] if d["code"] in ("HF1141", "HF1156")}
    assert sorted((language, d["code"], d["line"]) for language, d in said.items()) == [
        ("fr", "HF1141", 5), ("ru", "HF1156", 5)], run.stdout
    assert "'ru' tells 3 apart: 0 and 1 are said in one form" in said["ru"]["message"]
    assert "gives n = 2 the form 2" in said["fr"]["message"] and run.code == 1
    # the hints followed: their line in the header, and each plural message in that many forms
    for language, forms in (("ru", ("сцена", "сцены", "сцен")), ("fr", ("scène", "scènes"))):
        line = re.search(r'`"Plural-Forms: (.*?)\\n"`', said[language]["hint"]).group(1)
        (root / f"themes/mine/locale/{language}/LC_MESSAGES/messages.po").write_text(
            catalog(language, line, *forms), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1141", "HF1156")]
    for language, words in (("ru", "5 сцен"), ("fr", "5 scènes")):
        page = lxml_html.fromstring((root / f"build/site/{language}/stories/first-story.html").read_bytes())
        assert words in [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='facts']/li")]


def test_a_plural_formula_gettext_cannot_read_is_said_at_its_header(project_factory):
    """A Plural-Forms formula gettext does not compile (an unknown name `plural=x`, a
    stray `: 2`, one of over 1000 characters) was HF1141 without a line, its hint "open
    it in a PO editor", where a formula failing for a count is said at the Plural-Forms
    line with gettext's usual line; a header without `plural=` was quiet, English's
    `(n != 1)` choosing the French forms (msgfmt -c refuses it). Now every one is said
    there, that way; followed, the check is quiet and the pages say "5 scènes"."""
    def catalog(language: str, formula: str) -> str:
        return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                f'"Plural-Forms: nplurals=2;{f" plural={formula};" if formula else ""}\\n"\n\n'
                'msgid "scene"\nmsgid_plural "scenes"\n'
                'msgstr[0] "scène"\nmsgstr[1] "scènes"\n')
    formulas = {"fr": ("x", "invalid token in plural form: x"), "fr-BE": ("n>1 ? 1 : 0 : 2", "unexpected token"),
                "fr-CA": ("(n>1)" + " && n>1" * 200, "too long"), "fr-CH": ("", "names no `plural=` formula")}
    po = "themes/mine/locale/{}/LC_MESSAGES/messages.po"
    root = project_factory({po.format(language): catalog(language, formula)
                            for language, (formula, _) in formulas.items()})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr", "fr-BE", "fr-CA", "fr-CH"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {d["file"]: d for d in run.json()["diagnostics"] if d["code"] == "HF1141"}
    assert sorted((file, d["line"]) for file, d in found.items()) == sorted(
        (po.format(language), 5) for language in formulas) and run.code == 1, run.stdout
    for language, (_, said) in formulas.items():
        d = found[po.format(language)]
        assert said in d["message"] and "gettext's usual line" in d["hint"], d
        line = re.search(r'`"Plural-Forms: nplurals=2; plural=(.*?);\\n"`', d["hint"]).group(1)
        (root / po.format(language)).write_text(catalog(language, line), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] == "HF1141"], run.stdout
    for language in formulas:
        page = lxml_html.fromstring((root / f"build/site/{language}/stories/first-story.html").read_bytes())
        assert "5 scènes" in [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='facts']/li")]


def test_a_translation_leaving_out_a_placeholder_is_said_at_its_line(project_factory):
    """A theme translation without its message's placeholder showed the page without the
    value, without a word: "Mehr" for "More about %(name)s" (the hero page's aside, no
    name), "Treffer für {qurey}" for the search status (no count, no query, `{qurey}` as
    typed); `msgfmt -c` refuses both. Now HF1157 at each msgstr; with the placeholders
    written as the hint says, quiet, and the aside names the hero."""
    def catalog(more: str, found: str) -> str:
        return ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                f'msgid "More about %(name)s"\nmsgstr "{more}"\n\n#, python-brace-format\n'
                f'msgid "{{count}} results for “{{query}}”."\nmsgstr "{found}"\n')
    po = "themes/mine/locale/de/LC_MESSAGES/messages.po"
    root = project_factory({po: catalog("Mehr", "Treffer für {qurey}")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [(d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1157"]
    assert sorted(line for line, _ in found) == [6, 10, 10], run.stdout
    said = " | ".join(message for _, message in sorted(found))
    assert "leaves out %(name)s" in said and "leaves out {count}, {query}" in said and "'{qurey}'" in said
    assert run.code == 0   # warnings: the pages are still made
    (root / po).write_text(catalog("Mehr über %(name)s", "{count} Treffer für „{query}“."), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] == "HF1157"]
    page = lxml_html.fromstring((root / "build/site/de/heroes/first-hero.html").read_bytes())
    assert page.xpath("//aside[@class='entity-side']/@aria-label") == ["Mehr über Rook Amsel"]


def test_a_plural_form_leaving_out_a_placeholder_is_said_at_its_line(project_factory):
    """Plural messages were not held to their placeholders at all: a Russian "сцен"
    for "%(count)s scenes" made the ru story map "The Fog Road: сцен in 3 rows" (no
    number), and a German search status "{count} Treffer." lost the query, without a
    word (`msgfmt -c` refuses both). Now HF1157 at each such msgstr[n]; a form its
    formula gives fewer than five counts ("eine Szene", "une scène": msgfmt's rule)
    stays quiet. With the hint followed, quiet, and the map says "5 сцен"."""
    ru_rule = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"

    def catalog(language: str, rule: str, body: str) -> str:
        return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                f'"Plural-Forms: {rule}\\n"\n\n{body}')
    scenes = '#, python-format\nmsgid "%(count)s scene"\nmsgid_plural "%(count)s scenes"\n'
    status = ('#, python-brace-format\nmsgctxt "search status"\nmsgid "{count} result for “{query}”."\n'
              'msgid_plural "{count} results for “{query}”."\n')
    files = {"ru": catalog("ru", ru_rule, scenes + 'msgstr[0] "%(count)s сцена"\nmsgstr[1] "%(count)s сцены"\n'
                           'msgstr[2] "сцен"\n'),
             "de": catalog("de", "nplurals=2; plural=(n != 1);", scenes + 'msgstr[0] "eine Szene"\n'
                           'msgstr[1] "%(count)s Szenen"\n\n' + status + 'msgstr[0] "Ein Treffer für „{query}“."\n'
                           'msgstr[1] "{count} Treffer."\n'),
             "fr": catalog("fr", "nplurals=2; plural=(n > 1);", scenes + 'msgstr[0] "une scène"\n'
                           'msgstr[1] "%(count)s scènes"\n')}
    po = "themes/mine/locale/{}/LC_MESSAGES/messages.po"
    root = project_factory({po.format(language): text for language, text in files.items()})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["ru", "de", "fr"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted((d["file"].split("/")[3], d["line"], d["message"]) for d in run.json()["diagnostics"]
                   if d["code"] == "HF1157")
    assert [(language, line) for language, line, _ in found] == [("de", 18), ("ru", 12)], run.stdout
    assert "msgstr[1] of '{count} result for" in found[0][2] and "leaves out {query}" in found[0][2]
    assert "msgstr[2] of '%(count)s scene' leaves out %(count)s" in found[1][2]
    (root / po.format("ru")).write_text(files["ru"].replace('"сцен"', '"%(count)s сцен"'), encoding="utf-8")
    (root / po.format("de")).write_text(files["de"].replace('"{count} Treffer."', '"{count} Treffer für „{query}“."'),
                                        encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] == "HF1157"], run.stdout
    page = lxml_html.fromstring((root / "build/site/ru/stories/first-story.html").read_bytes())
    assert [label for label in page.xpath("//@aria-label") if "5 сцен in" in label], "the map says the count"


def test_a_catalog_in_another_language_than_its_folder_is_said_at_its_header(project_factory):
    """A French catalog copied into `locale/de/` (or `pybabel init -l fr` run into the
    German folder) put French words on every German page without a word; a translation
    file in the wrong folder is HF1146, and so is a theme catalog now, at its Language:.
    A region (`de_DE`) is no other language. Moved as the hint says: quiet."""
    french = ('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
              'msgid "Search"\nmsgstr "Chercher"\n')
    root = project_factory({"themes/mine/locale/de/LC_MESSAGES/messages.po": french,
                            "themes/mine/locale/ar/LC_MESSAGES/messages.po": french.replace("Language: fr", "Language: ar_EG")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1146"]
    assert [(d["file"], d["line"], d["column"]) for d in found] == [
        ("themes/mine/locale/de/LC_MESSAGES/messages.po", 3, 12)], run.stdout
    moved = re.search(r"Move it to (\S+)/ ", found[0]["hint"]).group(1)
    assert moved == "themes/mine/locale/fr/LC_MESSAGES"
    (root / moved).mkdir(parents=True)
    (root / "themes/mine/locale/de/LC_MESSAGES/messages.po").rename(root / moved / "messages.po")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF1146"], run.stdout


def test_a_norwegian_catalog_in_the_bokmal_folder_is_no_other_language(project_factory):
    """Weblate and Poedit write Norwegian as `nb_NO`: that catalog in `locale/no/` was
    HF1146 "in the folder of 'no'" with the hint to move it to `locale/nb/`, where the
    `no` pages lost its words (they never fall back to `nb`). Bokmål and Nynorsk are
    Norwegian as CLDR has them (the pages fall back so): either way round is quiet, and
    the `no` page shows the catalog's word; Nynorsk in the Bokmål folder is still said."""
    def catalog(language: str, word: str) -> str:
        return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                f'msgid "Search"\nmsgstr "{word}"\n')
    po = "themes/mine/locale/{}/LC_MESSAGES/messages.po"
    root = project_factory({po.format("no"): catalog("nb_NO", "Søk"), po.format("nb"): catalog("no", "Søk"),
                            po.format("nn"): catalog("nb", "Søk")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["no", "nb", "nn"]\n')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    found = [(d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF1146"]
    assert found == [(po.format("nn"), 3)] and run.code == 0, run.stdout
    page = lxml_html.fromstring((root / "build/site/no/index.html").read_bytes())
    assert page.xpath("//form[@role='search']//button")[0].text_content().strip() == "Søk"


def test_a_catalog_folder_spelling_its_language_in_other_letters_is_read(project_factory):
    """Language tags are case-insensitive and gettext writes `_` for `-`: a theme's
    `locale/pt_br/` for `pt-BR` was never read (only `pt-BR` and `pt_BR` were looked
    for), the pages showed English and HF1140 said the theme had no words for pt-BR.
    It is read now; a second folder spelling the same language beside it (`pt-BR/`) is
    HF1110 at that one, not left out without a word."""
    catalog = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "Search"\nmsgstr "%s"\n')
    root = project_factory({"themes/default/locale/pt_br/LC_MESSAGES/messages.po": catalog % "Buscar"})
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["pt-BR"]\n')
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 0 and not [d for d in diagnostics(said) if d.startswith(("HF1140", "HF1110"))], said.stdout
    built = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert built.code == 0, built.stdout
    search = lxml_html.fromstring((root / "build/site/pt-BR/index.html").read_bytes())
    assert search.xpath("//form[@role='search']//button")[0].text_content().strip() == "Buscar"

    (root / "themes/default/locale/pt-BR/LC_MESSAGES").mkdir(parents=True)
    (root / "themes/default/locale/pt-BR/LC_MESSAGES/messages.po").write_text(catalog % "Procurar")
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        assert [d for d in diagnostics(run) if d.startswith("HF1110")] == [
            "HF1110 themes/default/locale/pt_br/LC_MESSAGES/messages.po:0:0"], run.stdout
    page = lxml_html.fromstring((root / "build/site/pt-BR/index.html").read_bytes())
    assert page.xpath("//form[@role='search']//button")[0].text_content().strip() == "Procurar"


def test_a_language_without_words_is_told_where_the_catalog_goes(tmp_path):
    """The HF1140 hint names this project's theme folder (here `coast`), as a newcomer
    types it, not a `<theme>` placeholder to fill in."""
    import json
    root = tmp_path / "world"
    assert foundry("init", str(root)).code == 0
    toml = (root / "foundry.toml").read_text(encoding="utf-8").replace('theme = "default"', 'theme = "coast"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr"]\n', encoding="utf-8")
    (root / "themes/coast").mkdir(parents=True)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    hints = [d["hint"] for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF1140"]
    assert len(hints) == 1 and "themes/coast/locale/fr/LC_MESSAGES/messages.po" in hints[0], hints
    assert "<theme>" not in hints[0]
    # the template to copy is named where this foundry has it, a file that is there (a
    # wheel's user has no "Hero Foundry repository" to look in); not a path in a checkout
    named = re.search(r"copy (\S+messages\.pot) ", hints[0])
    assert named and Path(named.group(1)).is_absolute(), hints[0]
    pot = Path(named.group(1))
    assert pot.is_file() and 'msgid "' in pot.read_text(encoding="utf-8")
    assert pot == SHIPPED_THEME / "locale" / "messages.pot"

    assert "themes/default/locale/messages.pot" in hints[0] and "<theme>" not in hints[0]


def test_a_catalog_edited_between_two_builds_in_one_process_is_read_again(tmp_path):
    """The words a page asks for are remembered per language (theme_words.Words): a
    second build in the same process (as `foundry serve` makes) after the catalog is
    edited shows the new word, and the site equals a clean build's."""
    import shutil
    from engine_steps import edit, run, same_as_clean
    from support import ROOTS
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr", "en-XA"]\nbuild_pseudo = true\n')
    po = root / "themes/mine/locale/fr/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Heroes"\nmsgstr "Héros"\n\nmsgid "Skills"\nmsgstr "Talents"\n', encoding="utf-8")
    run(root)
    hero = next(p for p in sorted((root / "build/site/fr/heroes").glob("*.html")) if p.name != "index.html")
    assert _nav(root, "fr/heroes/index.html")[0] == "Héros" and "Talents" in hero.read_text()
    edit(root, "themes/mine/locale/fr/LC_MESSAGES/messages.po", 'msgstr "Talents"', 'msgstr "Compétences"')
    edit(root, "themes/mine/locale/fr/LC_MESSAGES/messages.po", 'msgstr "Héros"', 'msgstr "Héroïnes"')
    run(root)
    assert _nav(root, "fr/heroes/index.html")[0] == "Héroïnes"
    assert "Compétences" in hero.read_text() and "Talents" not in hero.read_text()
    same_as_clean(root, tmp_path)


def test_the_shipped_catalogs_compile_without_a_word(monkeypatch):
    """The shipped theme's catalogs are compiled only when a page or book in their
    language asks (theme_words.py _Catalogs), with no diagnostics then to say: none
    may have one to say (HF1141, HF1153)."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters import theme_words
    for memo in ("_COMPILED", "_SLIPS", "_READY"):   # compiled here, not found made
        monkeypatch.setattr(theme_words, memo, {})
    catalogs = sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))
    assert [p.parent.parent.name for p in catalogs] == ["ar", "de"]
    for path in catalogs:
        diags = Diagnostics()
        made = theme_words._translations(path.read_bytes(), path.parent.parent.name, str(path), diags)
        assert made is not None and diags.items == [], (path, diags.items)


def test_a_theme_catalog_of_another_script_words_no_page(project_factory):
    """A theme's `locale/zh/` is Simplified Chinese and `locale/sr/` Cyrillic (CLDR's
    likely scripts): the `zh-TW` pages took `zh`'s words ('搜索' on a Traditional page,
    though `locale/zh_Hant/` had '搜尋'), the `sr-Latn` pages `sr`'s Cyrillic, and HF1140
    never said they had none. `zh-TW` takes `zh_Hant`'s as its lines would; `sr-Latn`
    shows the theme's English, and HF1140 says so."""
    catalog = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "Search"\nmsgstr "%s"\n')
    root = project_factory({"themes/default/locale/zh/LC_MESSAGES/messages.po": catalog % "搜索",
                            "themes/default/locale/zh_Hant/LC_MESSAGES/messages.po": catalog % "搜尋",
                            "themes/default/locale/sr/LC_MESSAGES/messages.po": catalog % "Претрага"})
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["zh-TW", "sr-Latn"]\n')
    built = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert built.code == 0, built.stdout
    assert [d for d in diagnostics(built) if d.startswith("HF1140")], built.stdout

    def button(language):
        page = lxml_html.fromstring((root / f"build/site/{language}/index.html").read_bytes())
        return page.xpath("//form[@role='search']//button")[0].text_content().strip()

    assert (button("zh-TW"), button("sr-Latn")) == ("搜尋", "Search")


def test_no_shipped_template_prints_english_outside_gettext():
    """Every word the shipped templates print goes through gettext: a bare literal is
    found by no extractor (the test above) and prints in English on a German or Arabic
    page or book ("10 of 18 points spent" on the German hero sheet did). Text between
    tags and in alt/title/aria-label/placeholder, outside Jinja, {% trans %} and
    <script>/<style>, holds no word."""
    theme = REPO / "themes/default"
    bare = []
    for path in sorted([*theme.glob("templates/**/*.html"), *theme.glob("print/templates/**/*.j2")]):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}|\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", text, flags=re.S)
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "\x00", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        found = [m.group(1) for m in re.finditer(r">([^<>]*)<", text)]
        found += [m.group(2) for m in re.finditer(r'\b(alt|title|aria-label|placeholder)="([^"]*)"', text)]
        bare += [(path.relative_to(REPO).as_posix(), t.strip()) for t in found if re.search(r"[A-Za-z]{2,}", t)]
    assert bare == []


def test_a_theme_made_before_a_word_left_the_default_theme_still_says_it_in_the_pages_language(tmp_path):
    """A project theme ejected before the quest page showed its requirement in words
    (`requirement`) shows `requires` after the word "Needs" (`{{ _("Needs") }}`): its
    German and Arabic pages said "Benötigt" and "تتطلب" from the default theme's
    catalogs, which fill in the words a project theme does not translate. The word left
    the catalogs with the default template that used it, so those pages said "Needs" in
    English, with nothing said at check or build. The words the default theme no longer
    uses but an older theme's templates still ask for stay in its catalogs."""
    import shutil
    from support import ROOTS
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "old"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "ar"]\n')
    shipped = (SHIPPED_THEME / "templates/quest.html").read_text(encoding="utf-8")
    older = shipped.replace("{% if requirement %}<li>{{ requirement }}</li>{% endif %}",
                            '{% if requires %}<li>{{ _("Needs") }} <code>{{ requires }}</code></li>{% endif %}')
    assert older != shipped
    (root / "themes/old/templates").mkdir(parents=True)
    (root / "themes/old/templates/quest.html").write_text(older, encoding="utf-8")
    # and a story card and the relationships page's lede from before their counts took
    # plural forms (print/templates/macros.html.j2's length line and how-to-read page
    # likewise: older_theme_words.py; test_catalogs_hold_every_word_the_theme_uses
    # checks each is translated)
    for name, now, then in (
            ("_macros.html", '{{ ngettext("scene", "scenes", card.scenes) }}', '{{ _("scenes") }}'),
            ("relationships.html", "{{ _(\"%(people)s, %(bonds)s: who taught whom, who owes whom, and who would not "
             "cross a channel for whom.\", people=ngettext(\"%(count)s person\", \"%(count)s people\", people, "
             "count=people), bonds=ngettext(\"%(count)s bond\", \"%(count)s bonds\", pairs, count=pairs)) }}",
             "{{ _(\"%(people)s people, %(pairs)s bonds: who taught whom, who owes whom, and who would not cross a "
             "channel for whom.\", people=people, pairs=pairs) }}")):
        shipped_page = (SHIPPED_THEME / "templates" / name).read_text(encoding="utf-8")
        assert now in shipped_page, name
        (root / "themes/old/templates" / name).write_text(shipped_page.replace(now, then), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    said = {}
    for language in ("de", "ar"):
        page = lxml_html.fromstring((root / f"build/site/{language}/quests/first-quest.html").read_bytes())
        said[language] = [li.text_content().split()[0] for li in page.xpath("//ul[@class='facts']/li[code]")]
        cards = lxml_html.fromstring((root / f"build/site/{language}/stories/index.html").read_bytes())
        said[language].append(cards.xpath("//span[starts-with(normalize-space(), '5 ')]")[0].text_content().split()[1])
        bonds = lxml_html.fromstring((root / f"build/site/{language}/relationships.html").read_bytes())
        said[language].append(" ".join(bonds.xpath("//p[@class='lede']")[0].text_content().split()[:2]))
    assert said == {"de": ["Benötigt", "Szenen", "2 Personen,"], "ar": ["تتطلب", "مشاهد", "الأشخاص: 2،"]}, said


def test_a_decimal_in_a_sentence_is_written_as_the_sentences_language_writes_it(tmp_path):
    """A requirement said in words ("Nur wenn dein Wert in Agility mindestens 7.5
    beträgt.") kept the expression's decimal point in every language: German writes
    7,5 (and reads 7.5 as seven thousand five hundred, the dot grouping thousands). A
    number takes the decimal sign of the language its sentence is in (CLDR, by Babel):
    German and French a comma; English, and Arabic in its Latin digits, a point; a
    language the theme has no words for is said in English, with English's point."""
    import shutil
    from support import ROOTS
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text()
                                       + '\n[l10n]\nlanguages = ["de", "ar", "fr", "sv"]\n')
    po = root / "themes/default/locale/fr/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "requirement"\nmsgid "%(condition)s."\nmsgstr "Seulement si %(condition)s."\n\n'
                  'msgid "%(subject)s is at least %(value)s"\nmsgstr "%(subject)s vaut au moins %(value)s"\n',
                  encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace('requires: "level >= 1"', 'requires: "agility >= 7.5"'),
                     encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    said = {}
    for language in ("de/", "ar/", "fr/", "sv/", ""):
        page = lxml_html.fromstring((root / f"build/site/{language}quests/first-quest.html").read_bytes())
        said[language] = " ".join(page.xpath("//ul[@class='facts']/li")[-2].text_content().split())
    assert "mindestens 7,5 beträgt" in said["de/"], said
    assert "vaut au moins 7,5" in said["fr/"], said
    assert " 7.5 " in said["ar/"] and said["sv/"] == said[""] == "Your Agility is at least 7.5.", said


def test_a_catalog_a_merge_left_conflicted_is_said_as_a_conflict(project_factory):
    """A theme's catalog two branches translated differently, merged: git wrote both
    msgstrs between its markers. It was HF1141 "Unknown or misformatted keyword" at the
    `<<<<<<<` line, sending the translator to a PO editor; it is the merge conflict every
    other file the build reads says (HF0185), and the catalog is not read."""
    catalog = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               '<<<<<<< HEAD\nmsgid "Search"\nmsgstr "Suche"\n=======\nmsgid "Search"\nmsgstr "Finden"\n'
               '>>>>>>> de-words\n')
    root = project_factory({"themes/mine/locale/de/LC_MESSAGES/messages.po": catalog})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] in ("HF0185", "HF1141")]
    assert said == [("HF0185", "themes/mine/locale/de/LC_MESSAGES/messages.po", 5)], said
    assert run.code == 1


def test_a_project_catalogs_plural_forms_are_read_by_its_own_formula(project_factory):
    """A project's Arabic catalog merged over the shipped one had its forms read by the
    shipped catalog's formula: written one, two, few, many, zero, other (its own
    Plural-Forms says so; zero last, as some tools order Arabic), the story page said
    "5 مشهدًا" (its "many" form) for five scenes. Now each catalog's plural messages are
    read by its own formula: five scenes take its "few" form, while the shipped words it
    does not replace keep the shipped formula (two endings: the dual "نهايتان")."""
    formula = "nplurals=6; plural=(n==1 ? 0 : n==2 ? 1 : n%100>=3 && n%100<=10 ? 2 : n%100>=11 ? 3 : n==0 ? 4 : 5);"
    forms = ("مشهد واحد", "مشهدان", "مشاهد", "مشهدًا", "لا مشاهد", "مشهد")
    root = project_factory({"themes/mine/locale/ar/LC_MESSAGES/messages.po":
                            'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                            f'"Plural-Forms: {formula}\\n"\n\nmsgid "scene"\nmsgid_plural "scenes"\n'
                            + "".join(f'msgstr[{n}] "{text}"\n' for n, text in enumerate(forms))})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["ar"]\n')
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout[-2000:]
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1141", "HF1156")]
    page = lxml_html.fromstring((root / "build/site/ar/stories/first-story.html").read_bytes())
    facts = [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='facts']/li")]
    assert facts[:2] == ["5 مشاهد", "2 نهايتان"], facts


def test_two_plural_forms_lines_that_differ_are_said_at_the_second(project_factory):
    """A French catalog whose header gave Plural-Forms twice (nplurals=2, then 3, as a
    hand merge of two headers leaves it): GNU gettext reads the first, Babel the last,
    and the check said only that "scene" lacked its third form. Now HF1141 at the second
    line, naming both; two alike are quiet; the hint followed, the page says "5 scènes"."""
    po = "themes/mine/locale/fr/LC_MESSAGES/messages.po"

    def catalog(*headers: str) -> str:
        return ('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                + "".join(f'"Plural-Forms: {h}\\n"\n' for h in headers)
                + '\nmsgid "scene"\nmsgid_plural "scenes"\nmsgstr[0] "scène"\nmsgstr[1] "scènes"\n')
    root = project_factory({po: catalog("nplurals=2; plural=(n > 1);", "nplurals=3; plural=(n > 1);")})
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["fr"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1141"]
    assert [(d["file"], d["line"]) for d in said] == [(po, 6)] and run.code == 1, run.stdout
    assert "Plural-Forms twice, differently (lines 5 and 6)" in said[0]["message"]
    usual = re.search(r'`"Plural-Forms: (.*?)\\n"`', said[0]["hint"]).group(1)
    (root / po).write_text(catalog(usual, "nplurals=2;  plural=(n > 1);"), encoding="utf-8")   # one kept, and one alike
    run = foundry("build", "--only", "html", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] == "HF1141"], run.stdout
    page = lxml_html.fromstring((root / "build/site/fr/stories/first-story.html").read_bytes())
    assert "5 scènes" in [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='facts']/li")]
