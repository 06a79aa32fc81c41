"""Tags langcodes calls valid that name no language to translate into, or not as BCP 47
writes it: `und`, `mul`, `zxx` (RFC 5646's codes for metadata), and `deu`, `nob`, `eng`
(ISO 639-2 codes of languages with a two-letter tag, which the IANA registry does not
hold). They were accepted: `extract` made translations/deu/ and every German page said
`lang="deu"`, which no browser, screen reader or e-reader knows for German; the
project's own `language = "eng"` too. Now HF1103 at each, the one finding (not also
HF0751 for `deu` after `de`), and `extract` writes nothing for them.

Real command line on a project folder; `check` and `extract`, no build."""

from __future__ import annotations

import re

from support import foundry


def test_tags_that_name_no_language_are_hf1103(project_factory):
    root = project_factory()
    toml = root / "foundry.toml"
    text = toml.read_text().replace('language = "en"', 'language = "eng"')
    toml.write_text(text + '\n[l10n]\nlanguages = ["de", "deu", "und", "zxx-x-foo", "mul", "nob", "qaa", "en-XA"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["message"]) for d in run.json()["diagnostics"] if d["code"] in ("HF1103", "HF0751")}
    assert {code for code, _ in said} == {"HF1103"}, said
    quoted = sorted(re.search(r"'([^']+)' (?:is|names)", message).group(1) for _, message in said)
    assert quoted == ["deu", "eng", "mul", "nob", "und", "zxx-x-foo"], said
    hints = {re.search(r"'([^']+)' (?:is|names)", d["message"]).group(1): d["hint"]
             for d in run.json()["diagnostics"] if d["code"] == "HF1103"}
    assert hints["deu"].startswith("Write 'de'") and hints["nob"].startswith("Write 'nb'")
    assert hints["eng"].startswith("Write 'en'")
    assert run.code == 1
    # extract stops at them, as at any HF1103, and writes nothing
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 1 and not (root / "translations").exists(), run.stdout + run.stderr


def test_a_translation_folder_for_the_pseudo_locale_is_told_what_it_is(project_factory):
    """translations/en-XA/ with en-XA listed: it was told en-XA is "a language not in
    [l10n] languages" and to add it, which was there. The pseudo-locale is made from the
    source and reads no translation file: said so, and to remove the folder. So is
    translations/en/, the project's own language (adding it is HF1150)."""
    entry = 'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "Ţĥé"\n'
    root = project_factory({"translations/en-XA/content/stories/first-story.md.po": entry,
                            # and one for the project's own language: told to add "en", which is HF1150
                            "translations/en/content/stories/first-story.md.po": entry})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "en-XA"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said, base = sorted((d for d in run.json()["diagnostics"] if d["code"] == "HF1110"), key=lambda d: d["file"],
                        reverse=True)
    assert base["file"] == "translations/en" and "the project's language" in base["message"], base
    assert base["hint"].startswith("Remove translations/en/") and "Add" not in base["hint"], base
    # and `extract --language en-XA` (or en): told what it is, not "not in [l10n] languages"
    for tag, what in (("en-XA", "is the pseudo-locale"), ("en", "is the project's language")):
        run = foundry("l10n", "extract", "--project", str(root), "--language", tag)
        assert run.code == 2 and f"'{tag}' {what}" in run.stderr and "not in [l10n]" not in run.stderr, run.stderr
    assert said["file"] == "translations/en-XA" and "en-XA is the pseudo-locale" in said["message"], said
    assert said["hint"].startswith("Remove translations/en-XA/") and "Add" not in said["hint"], said


def test_a_language_registered_after_langcodes_copy_of_the_registry_is_a_language(project_factory):
    """Toki Pona (`tok`, registered 2022) and Interslavic (`isv`) were HF1103 "not a BCP 47
    language tag", an error: langcodes' copy of the IANA registry is of 2021-08-06. CLDR
    (Babel) names them, so they are languages: `extract` writes their folders and the
    site its pages in them, each with its `lang`, its direction from CLDR's likely script,
    and its name in the switcher; a tag CLDR does not know either stays HF1103."""
    from lxml import html as lxml_html
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["tok", "isv-Cyrl", "zzq"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1103"] == \
        ["'zzq' is not a BCP 47 language tag"], run.stdout
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text().replace(', "zzq"', ""))
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    assert (root / "translations/tok").is_dir() and (root / "translations/isv-Cyrl").is_dir()
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/tok/index.html")).getroot()
    assert (page.get("lang"), page.get("dir")) == ("tok", "ltr")
    names = {a.get("hreflang"): a.text_content() for a in page.xpath('//nav[contains(@class, "language-switcher")]//a')}
    assert names["tok"].lower() == "toki pona" and names["isv-Cyrl"] != "isv-Cyrl", names


def test_a_folder_named_for_no_language_is_not_told_to_add_its_name(project_factory):
    """translations/notes/ (or a folder whose name holds bytes that are not UTF-8, or
    content/audio/notes/): HF1110/HF1133 said to add "notes" to `languages`, which
    is HF1103 once followed. The hint says the name is no language, and to rename the
    folder to its language's tag; followed, nothing is said of the folder."""
    root = project_factory()
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    (root / "translations/notes").mkdir(parents=True)
    (root / "translations/notes/x.po").write_text("")
    (root / "content/audio/notes").mkdir(parents=True)
    (root / "content/audio/notes/line.ogg").write_bytes(b"OggS")
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["file"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF1110", "HF1133")}
    for place in ("translations/notes", "content/audio/notes/line.ogg"):
        assert place in hints, run.stdout
        assert "'notes' names no language" in hints[place] and 'Add "notes"' not in hints[place], hints[place]
    (root / "translations/notes").rename(root / "translations/fr")
    (root / "content/audio/notes").rename(root / "content/audio/fr")
    toml.write_text(toml.read_text().replace('languages = ["de"]', 'languages = ["de", "fr"]'))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1110", "HF1133", "HF1103")
                and ("notes" in d["file"] or "notes" in d["message"] or d["code"] == "HF1103")], run.stdout


def test_an_extended_language_subtag_the_registry_does_not_hold_is_hf1103(project_factory):
    """langcodes checks every subtag but the extlang: `sr-lat` (a script misspelt for
    `sr-Latn`), `de-xyz` and `tok-tok` were valid languages, built as `lang="sr-lat"` on
    every page (no browser or screen reader reads that as Serbian). HF1103 at each now,
    saying which subtag and how a script and a region are written; registered extlangs
    (`zh-yue`, `sgn-ase`) and the registry's whole tags (`zh-min-nan`) stay languages.
    The hint followed (`sr-Latn`) is a language."""
    root = project_factory()
    toml = root / "foundry.toml"
    with open(toml, "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["sr-lat", "de-xyz", "tok-tok", "zh-yue", "sgn-ase", "zh-min-nan"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1103"]
    assert [d["message"].split("'")[1] for d in said] == ["sr-lat", "de-xyz", "tok-tok"], run.stdout
    assert "'lat' after 'sr'" in said[0]["message"] and "\"sr-Latn\"" in said[0]["hint"], said[0]
    assert (said[0]["line"], said[0]["column"]) == (12, 14), said[0]
    assert run.code == 1
    toml.write_text(toml.read_text().replace('"sr-lat", "de-xyz", "tok-tok"', '"sr-Latn"'))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF1103"], run.stdout
    # the project's own language, well-formed (HF0205 let it by) but no language: it was
    # said by nothing, every page `lang="sr-lat"`, and HF1140 asked for locale/sr_lat/
    toml.write_text(toml.read_text().replace('language = "en"', 'language = "sr-lat"'))
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1103"]
    assert [(d["message"], d["line"]) for d in said] == \
        [("the project's language 'sr-lat' is not a BCP 47 language tag", 4)], run.stdout
    assert run.code == 1


def test_deprecated_tags_are_told_as_bcp_47_writes_them_and_root_is_no_language(project_factory):
    """The IANA registry deprecates some tags with a Preferred-Value, and BCP 47 writes
    them so (RFC 5646 4.5): `iw` (Hebrew, as Java wrote it) is `he`, `in-ID` `id-ID`,
    `i-klingon` `tlh`, `zh-yue` `yue`. Each was accepted unsaid and published as typed
    (`lang="iw"`), and the switcher named `iw` "עברית (ישראל)" (Babel reads it as
    Hebrew in Israel). HF1155, a warning at each, names the tag to write; CLDR's aliases
    that the registry keeps (`tl`, `sh`) and `no` beside `nb` are not deprecated. `root`
    (CLDR's locale of no language; langcodes read it as `und`) was a language with its
    own folders: HF1103. Built, the switcher names each language without a country,
    and Klingon (no CLDR data: it showed the bare "tlh") by the registry's name;
    the hint followed (`he`, its folder renamed), nothing more is said."""
    from lxml import html as lxml_html
    root = project_factory({"translations/iw/content/stories/first-story.md.po":
                            'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "דרך הערפל"\n'})
    toml = root / "foundry.toml"
    with open(toml, "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["iw", "in-ID", "i-klingon", "zh-yue", "tl", "sh", "no", "nb", "root"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["message"].split("'")[1]: d for d in run.json()["diagnostics"] if d["code"] == "HF1155"}
    assert sorted(said) == ["i-klingon", "in-ID", "iw", "zh-yue"], run.stdout
    assert said["iw"]["severity"] == "warning" and (said["iw"]["line"], said["iw"]["column"]) == (12, 14)
    assert said["iw"]["message"].endswith("writes it 'he' (Hebrew)"), said["iw"]
    assert said["iw"]["hint"].startswith("Write 'he' (and rename its folders under translations/ and "
                                         "content/audio/ from iw/ to he/)"), said["iw"]
    assert {tag: d["message"].split("'")[3] for tag, d in said.items()} == \
        {"iw": "he", "in-ID": "id-ID", "i-klingon": "tlh", "zh-yue": "yue"}
    refused = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1103"]
    assert len(refused) == 1 and refused[0].startswith("'root' names no language"), refused
    assert run.code == 1
    toml.write_text(toml.read_text().replace(', "in-ID", "i-klingon", "zh-yue", "tl", "sh", "no", "nb", "root"',
                                             ', "tl", "nb", "tlh", "de-x-formal", "de-x-informal"'))
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/iw/index.html")).getroot()
    names = {a.get("hreflang"): a.text_content() for a in page.xpath('//nav[contains(@class, "language-switcher")]//a')}
    assert (names["iw"], names["tl"], names["nb"]) == ("עברית", "Filipino", "Norsk bokmål"), names
    # a language CLDR has no data for: the registry's name, not the bare tag
    assert names["tlh"] == "Klingon", names
    # a private-use part (a formal and an informal German) was both "German", in English
    assert (names["de-x-formal"], names["de-x-informal"]) == ("Deutsch (x-formal)", "Deutsch (x-informal)"), names
    # the hint followed: he listed, its folder renamed; nothing said of it any more
    toml.write_text(toml.read_text().replace('"iw", ', '"he", '))
    (root / "translations/iw").rename(root / "translations/he")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1155", "HF1110", "HF1103")], run.stdout
    assert run.code == 0, run.stdout


def test_a_folder_named_by_the_tag_bcp_47_writes_is_not_told_to_take_the_deprecated_one(project_factory):
    """`languages = ["iw"]` with the translator's folder translations/he/ (and the
    studio's content/audio/he/): HF1110 and HF1133 said "rename the folder to
    translations/iw/", and once followed, HF1155 said "rename iw/ to he/" — each hint
    undoing the other. The folder is right and the tag is not: the hint says to write
    `he`; with iw/ there too, to bring its files into he/. Followed, nothing is said."""
    po = 'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "דרך הערפל"\n'
    root = project_factory({"translations/he/content/stories/first-story.md.po": po,
                            "content/audio/he/story.first-story.title.opus": "not read: its folder is unused"})
    toml = root / "foundry.toml"
    with open(toml, "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["iw"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["code"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF1110", "HF1133")}
    assert hints["HF1110"] == "'iw' is a deprecated tag (HF1155): write 'he' for it in foundry.toml, " \
                              "which names this folder.", hints
    assert hints["HF1133"].startswith("'iw' is a deprecated tag (HF1155): write 'he'"), hints
    (root / "translations/iw/schemas").mkdir(parents=True)
    run = foundry("check", "--project", str(root), "--format", "json")
    hint = next(d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1110")
    assert "move into translations/he/ the translation files translations/iw/ holds" in hint, hint
    (root / "translations/iw/schemas").rmdir()
    (root / "translations/iw").rmdir()
    toml.write_text(toml.read_text().replace('"iw"', '"he"'))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1155", "HF1110")], run.stdout
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF1133" and "spelled" in d["message"]]


def test_a_deprecated_tag_with_a_region_after_it_is_told_too(project_factory):
    """`zh-yue` was HF1155 ("writes it 'yue'"), and `zh-yue-HK` (Cantonese as Hong Kong
    writes it, the tag a studio lists) went unsaid, published as `lang="zh-yue-HK"` with
    its folders so named; `zh-cmn-Hant-TW` the same. The registry's deprecated tag a tag
    begins with is rewritten, what follows kept: `yue-HK`, `cmn-Hant-TW`."""
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["zh-yue-HK", "zh-cmn-Hant-TW", "zh-Hant-TW"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["message"].split("'")[1]: d["message"].split("'")[3]
            for d in run.json()["diagnostics"] if d["code"] == "HF1155"}
    assert said == {"zh-yue-HK": "yue-HK", "zh-cmn-Hant-TW": "cmn-Hant-TW"}, run.stdout


def test_a_language_written_by_its_name_is_told_its_tag(project_factory):
    """`languages = ["German", "Français", "spansh"]` and `language = "english"`, as a
    writer who has not met BCP 47 lists them: the hint said only what a tag looks like
    ("de", "pt-BR", "zh-Hant"). It names the tag of the language meant; followed
    (copied as written), nothing is left to say of them. A tag mistyped keeps its own
    hint (`pt_BR`: hyphens)."""
    root = project_factory()
    toml = root / "foundry.toml"
    text = toml.read_text()
    assert 'language = "en"' in text
    toml.write_text(text.replace('language = "en"', 'language = "english"')
                    + '\n[l10n]\nlanguages = ["German", "Français", "spansh", "pt_BR"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {re.search(r"'([^']+)'(?: is|$)", d["message"]).group(1): d["hint"]
             for d in run.json()["diagnostics"] if d["code"] in ("HF1103", "HF0205")}
    assert hints["english"].startswith('Write "en" for English'), hints
    assert hints["German"].startswith('Write "de" for German'), hints
    assert hints["Français"].startswith('Write "fr" for French'), hints
    assert hints["spansh"].startswith('Write "es" for Spanish'), hints
    assert "hyphens" in hints["pt_BR"], hints
    toml.write_text(text + '\n[l10n]\nlanguages = ["de", "fr", "es"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1103", "HF0205")], run.stdout


def test_the_projects_own_language_by_its_name_is_told_to_go(project_factory):
    # 'Write "en" for English', followed, was HF1150 'remove en': the project's language
    # is translated from, never listed; said once, at the name
    root = project_factory()
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text() + '\n[l10n]\nlanguages = ["de", "English"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    [diag] = [d for d in run.json()["diagnostics"] if d["code"] in ("HF1103", "HF1150")]
    assert diag["code"] == "HF1103" and diag["hint"].startswith("Remove it: English is the project's language"), diag


def test_retired_tags_with_no_one_successor_are_told_and_i_default_is_no_language(project_factory):
    """Tags the IANA registry deprecates without a Preferred-Value were accepted unsaid
    and published as typed: `zh-min` (the registry: "see cdo, cpx, czo, mnp, nan"),
    `ru-SU` (the Soviet Union), `hy-arevmda` (Western Armenian: its comment says
    "Preferred tag is hyw"), `ja-Latn-hepburn-heploc` (a variant langcodes keeps: its
    Preferred-Value `alalc97` was never read); `i-default` (RFC 2277's default
    language of a protocol) had its own folders as if a language. Now HF1155 at each,
    naming the tag to write where the registry has one and its note where it has not;
    `i-default` is HF1103. Followed (`hyw`, `ru`), nothing more is said of them."""
    root = project_factory()
    toml = root / "foundry.toml"
    with open(toml, "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["zh-min", "ru-SU", "hy-arevmda", "ja-Latn-hepburn-heploc", "i-default", '
                  '"de-DE", "pt-BR", "hy"]\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["message"].split("'")[1]: d for d in run.json()["diagnostics"] if d["code"] == "HF1155"}
    assert sorted(said) == ["hy-arevmda", "ja-Latn-hepburn-heploc", "ru-SU", "zh-min"], run.stdout
    assert said["hy-arevmda"]["message"].split("'")[3] == "hyw", said["hy-arevmda"]
    assert said["ja-Latn-hepburn-heploc"]["message"].split("'")[3] == "ja-Latn-hepburn-alalc97"
    assert "retired it (Min, Fuzhou, Hokkien, Amoy, or Taiwanese)" in said["zh-min"]["message"], said["zh-min"]
    assert said["zh-min"]["hint"].startswith("Write the tag of the language the text is written in (the registry "
                                             "says: see cdo, cpx, czo, mnp, nan)"), said["zh-min"]
    assert "'SU'" in said["ru-SU"]["message"] and said["ru-SU"]["hint"].startswith("Write 'ru', or it with the"), \
        said["ru-SU"]
    refused = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1103"]
    assert len(refused) == 1 and refused[0].startswith("'i-default' names no language"), refused
    toml.write_text(toml.read_text().replace('"zh-min", "ru-SU", "hy-arevmda", "ja-Latn-hepburn-heploc", "i-default", ',
                                             '"ru", "hyw", "ja-Latn-hepburn-alalc97", '))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1155", "HF1103")], run.stdout
