"""XLIFF files as translation tools save them, read through the real CLI: a file saved
as UTF-16 (its declaration says so, as XML requires) or saying another encoding than
the bytes it holds, a `<cp>` naming a surrogate half, two targets in one segment.
Each was found by a hostile corpus (fuzz32): an "XML syntax error" at line 1, 'é'
read as 'Ã©', an internal error, a translation dropped without a word."""
from __future__ import annotations

import json

from support import foundry

STORY_XLF = "translations/fr/content/stories/first-story.md.xlf"
TITLE = "story.first-story.title"


def _xliff12(project_factory, target: str, encoding: str = "UTF-8", codec: str = "utf-8", extra: str = "",
             name: str = "proj"):
    """A project translated into French by an XLIFF 1.2 file as Trados or memoQ export
    it, the story's title translated as `target`, written in `codec` saying `encoding`."""
    root = project_factory(name=name)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["fr"]\n')
    path = root / STORY_XLF
    path.parent.mkdir(parents=True)
    path.write_bytes((
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file original="first-story.md" source-language="en" target-language="fr" datatype="plaintext">\n'
        f'<body>\n<trans-unit id="{TITLE}">\n<source>The Fog Road</source>\n'
        f'<target>{target}</target>{extra}\n</trans-unit>\n</body>\n</file>\n</xliff>\n').encode(codec))
    return root, path


def _title_in_fr(root) -> str:
    table = json.loads((root / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
    return next(r["text"] for r in table["strings"] if r["id"] == TITLE)


def test_an_xliff_file_saved_as_utf16_or_saying_another_encoding_is_read_as_its_text(project_factory):
    """The file is decoded once (UTF-8, or as its byte order mark says); the declaration
    it carries must not make the XML parser decode it a second time."""
    for encoding, codec in (("UTF-16", "utf-16"), ("ISO-8859-1", "utf-8"), ("windows-1252", "utf-8-sig")):
        root, _ = _xliff12(project_factory, "La Route de brume, épaisse", encoding, codec, name=encoding)
        run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
        said = [(d["code"], d["message"]) for d in run.json()["diagnostics"] if d["code"] not in ("HF1105",)]
        assert run.code == 0 and not said, (encoding, codec, said)
        assert _title_in_fr(root) == "La Route de brume, épaisse", (encoding, codec)


def test_a_cp_naming_a_surrogate_half_is_hf1111_not_an_internal_error(project_factory):
    """XLIFF 2.0's `<cp hex>` stands for a character XML cannot hold; D800–DFFF are
    halves of a UTF-16 pair, no character, and the first output to encode one failed."""
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["fr"]\nformat = "xliff"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / STORY_XLF
    text = path.read_text(encoding="utf-8")
    text = text.replace("<source>The Fog Road</source>",
                        '<source>The Fog Road</source>\n        <target>La Route <cp hex="D800"/> de brume</target>', 1)
    path.write_text(text, encoding="utf-8")
    line = text[:text.index('<cp hex="D800"/>')].count("\n") + 1
    for verb in ("check", "build"):
        run = foundry(verb, "--project", str(root), "--format", "json")
        assert "internal error" not in run.stderr, run.stderr
        found = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
        assert found == [("HF1111", STORY_XLF, line)] and run.code == 1, (verb, found)


def test_a_second_target_in_one_unit_is_named_and_extract_keeps_the_file(project_factory):
    """Two `<target>`s in a segment (2.0) or trans-unit (1.2), which the schemas allow
    once: the second was dropped without a word, and `extract` rewrote the file
    without it."""
    root, path = _xliff12(project_factory, "La Route de brume", extra="\n<target>Le Chemin du brouillard</target>")
    second = path.read_text(encoding="utf-8").splitlines().index("<target>Le Chemin du brouillard</target>") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1104"]
    assert [(d["file"], d["line"]) for d in found] == [(STORY_XLF, second)] and run.code == 1, run.stdout
    assert "second <target>" in found[0]["message"] and "Keep one <target>" in found[0]["hint"]
    assert foundry("l10n", "extract", "--project", str(root)).code == 1
    assert "Le Chemin du brouillard" in path.read_text(encoding="utf-8")
    # the hint followed: one target kept, the file is read and used
    path.write_text(path.read_text(encoding="utf-8").replace("\n<target>Le Chemin du brouillard</target>", ""),
                    encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json", "-q").code == 0
    assert _title_in_fr(root) == "La Route de brume"


def test_an_html_entity_in_xliff_is_named_at_its_ampersand_with_the_character_to_type(project_factory):
    """A translator used to HTML types `&nbsp;`; XML knows five entities, and the hint
    was 'open the file in a translation tool', at a column past the entity."""
    root, path = _xliff12(project_factory, "La&nbsp;Route de brume")
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("&nbsp;")].count("\n") + 1
    column = text.splitlines()[line - 1].index("&nbsp;") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF1104"]
    assert [(d["file"], d["line"], d["column"]) for d in found] == [(STORY_XLF, line, column)], run.stdout
    assert "`&#160;` instead of `&nbsp;`" in found[0]["hint"] and "NO-BREAK SPACE" in found[0]["hint"]
    path.write_text(text.replace("&nbsp;", "&#160;"), encoding="utf-8")   # the hint followed
    assert foundry("build", "--project", str(root), "--only", "json", "-q").code == 0
    assert _title_in_fr(root).split() == ["La", "Route", "de", "brume"]   # (a title's table text has plain spaces)


def test_a_numbered_trans_unit_is_read_by_its_resname(project_factory):
    """Okapi and other CAT tools number `<trans-unit id="1">` and keep the key in
    `resname`: the id won, the translation was unused (HF1109) until `extract` moved it.
    An id that is a line id still wins over any resname."""
    root, path = _xliff12(project_factory, "La Route de brume")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'<trans-unit id="{TITLE}">', f'<trans-unit id="1" resname="{TITLE}">'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    said = [d["code"] for d in run.json()["diagnostics"] if d["code"] != "HF1105"]
    assert run.code == 0 and not said, run.stdout
    assert _title_in_fr(root) == "La Route de brume"
    path.write_text(text.replace(f'<trans-unit id="{TITLE}">', f'<trans-unit id="{TITLE}" resname="title">'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and _title_in_fr(root) == "La Route de brume", run.stdout


def test_a_pretty_printed_source_and_target_are_read_without_the_layout_and_annotation_markers(project_factory):
    """A tool that indents its XLIFF puts `<source>`'s and `<target>`'s text on a line of
    its own; where `xml:space` is not `preserve` (both versions' default) that line break
    and indentation are layout. They were read as the text: the title's source 'changed'
    (HF1106), its translation an indented code block with 'no visible text' (HF1108)."""
    pretty = "\n        La Route de brume\n      "
    root, path = _xliff12(project_factory, pretty)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<source>The Fog Road</source>", "<source>\n        The Fog Road\n      </source>"), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    said = [(d["code"], d["message"]) for d in run.json()["diagnostics"] if d["code"] != "HF1105"]
    assert run.code == 0 and not said, said
    assert _title_in_fr(root) == "La Route de brume"
    # XLIFF 2.0, the unit without foundry's xml:space="preserve"; a reviewer's comment on
    # words of the target as a tool writes one that may overlap a code: `<sm>` … `<em>`
    # (XLIFF 2.0 core's annotation markers, read as "not an inline element", HF1111)
    commented = pretty.replace("de brume", '<sm id="c1" type="comment" value="brume ou brouillard?"/>de brume'
                                           '<em startRef="c1"/>')
    path.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">\n'
        f'<file id="f1"><unit id="{TITLE}"><segment state="translated">\n'
        f'  <source>\n    The Fog Road\n  </source>\n  <target>{commented}</target>\n'
        '</segment></unit></file></xliff>\n', encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    said = [(d["code"], d["message"]) for d in run.json()["diagnostics"] if d["code"] != "HF1105"]
    assert run.code == 0 and not said, said
    assert _title_in_fr(root) == "La Route de brume"


def test_a_unit_marked_not_to_be_translated_is_its_source_not_a_missing_line(project_factory):
    """A CAT tool or a project manager locks a unit as not to be translated (`translate="no"`
    on the 2.0 unit, or on the 1.2 `<group>` holding it): it has no target, and was counted
    missing (HF1105) and shown marked as a fallback. Its text is the source as it stands,
    after the source changes too, and `extract` keeps the mark (groups are not written back)."""
    from lxml import etree
    root = project_factory(name="two")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["fr"]\nformat = "xliff"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / STORY_XLF
    path.write_text(path.read_text(encoding="utf-8").replace(f'<unit id="{TITLE}"', f'<unit id="{TITLE}" translate="no"'),
                    encoding="utf-8")
    one, one_path = _xliff12(project_factory, "", name="one")
    text = one_path.read_text(encoding="utf-8").replace("<target></target>", "")
    one_path.write_text(text.replace("<body>", '<body><group id="g" translate="no">').replace("</body>", "</group></body>"),
                        encoding="utf-8")
    for project in (root, one):
        story = project / "content/stories/first-story.md"
        story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road Again"),
                         encoding="utf-8")
        assert foundry("l10n", "extract", "--project", str(project)).code == 0
        run = foundry("build", "--project", str(project), "--only", "json", "--format", "json")
        assert run.code == 0 and "HF1106" not in run.stdout, run.stdout
        table = json.loads((project / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
        row = next(r for r in table["strings"] if r["id"] == TITLE)
        assert (row["text"], row["fallback"], row["stale"]) == ("The Fog Road Again", False, False), (project.name, row)
        units = [u for u in etree.parse(str(project / STORY_XLF)).iter() if isinstance(u.tag, str)
                 and u.tag.endswith("unit") and (u.get("id") == TITLE or u.get("resname") == TITLE)]
        assert [u.get("translate") for u in units] == ["no"], project.name


SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<file original="first-story.md.xlf" datatype="x-sdlfilterframework2" source-language="en" target-language="fr">
<body><group><sdl:cxts><sdl:cxt id="1"/></sdl:cxts>
<trans-unit id="story.first-story.title"><source>The Fog Road</source>
<seg-source><mrk mtype="seg" mid="1">The Fog Road</mrk></seg-source>
<target><mrk mtype="seg" mid="1">La Route de brume</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff" origin="interactive"/></sdl:seg-defs></trans-unit>
<trans-unit id="story.first-story.summary"><source>A short crossing. Two ways to end.</source>
<seg-source><mrk mtype="seg" mid="2">A short crossing.</mrk> <mrk mtype="seg" mid="3">Two ways to end.</mrk></seg-source>
<target><mrk mtype="seg" mid="2">Une courte traversée.</mrk> <mrk mtype="seg" mid="3"/></target>
<sdl:seg-defs><sdl:seg id="2" conf="Translated"/><sdl:seg id="3"/></sdl:seg-defs></trans-unit>
<trans-unit id="story.first-story.choice.road--lantern"><source>Pay the guide and follow the lantern</source>
<seg-source><mrk mtype="seg" mid="4">Pay the guide and follow the lantern</mrk></seg-source>
<target><mrk mtype="seg" mid="4">Payer le guide</mrk></target>
<sdl:seg-defs><sdl:seg id="4" conf="Draft" origin="interactive"/></sdl:seg-defs></trans-unit>
</group></body></file></xliff>
"""


def test_a_trados_file_split_into_sentences_is_read_and_written_as_its_lines(project_factory):
    """SDLXLIFF (Trados Studio) keeps each sentence in a `<mrk mtype="seg">` and its
    confirmation in `<sdl:seg-defs>`. A sentence not translated yet was dropped without a
    word (the summary "translated" as its first sentence alone), a sentence left in
    `Draft` was read as translated, and `extract`, which writes each line as one text,
    kept the `<sdl:seg-defs>` naming sentences the file no longer had (a reviewer's
    sign-off then said of a target marked for review)."""
    from lxml import etree
    root, path = _xliff12(project_factory, "")
    path.write_text(SDLXLIFF, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("A short crossing with two ways to end.",
                                                               "A short crossing. Two ways to end."), encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    table = json.loads((root / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
    rows = {r["id"]: (r["text"], r["stale"]) for r in table["strings"]}
    assert rows[TITLE] == ("La Route de brume", False)
    assert rows["story.first-story.summary"] == ("Une courte traversée. Two ways to end.", True)
    assert rows["story.first-story.choice.road--lantern"] == ("Payer le guide", True)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    written = etree.parse(str(path))
    assert not written.xpath("//*[local-name()='seg-defs']")
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    states = {u.get("id"): u.find("x:target", ns).get("state") for u in written.iterfind(".//x:trans-unit", ns)
              if u.find("x:target", ns) is not None}
    assert states == {TITLE: "final", "story.first-story.summary": "needs-review-translation",
                      "story.first-story.choice.road--lantern": "needs-review-translation"}


def test_a_sentence_s_translation_memory_match_goes_with_its_sentence(project_factory):
    """A CAT tool's match for one sentence of a segmented unit (`<alt-trans mid="3">`,
    naming the `<mrk mtype="seg" mid="3">`) was written back by `extract` after the
    sentences were written as one text: it named a sentence the file no longer had, and a
    tool offered the one sentence's match for the whole line, as `<sdl:seg-defs>` did.
    It goes with the sentences; a match for the whole unit (no `mid`) is kept."""
    from lxml import etree
    root, path = _xliff12(project_factory, "")
    whole = ('<alt-trans match-quality="100" origin="tm"><source>The Fog Road</source>'
             '<target>La Route du brouillard</target></alt-trans>')
    sentence = ('<alt-trans mid="3" match-quality="85" origin="tm"><source>Two ways to end.</source>'
                '<target>Deux fins.</target></alt-trans>')
    text = SDLXLIFF.replace('<sdl:seg-defs><sdl:seg id="1"', whole + '<sdl:seg-defs><sdl:seg id="1"')
    path.write_text(text.replace('<sdl:seg-defs><sdl:seg id="2"', sentence + '<sdl:seg-defs><sdl:seg id="2"'),
                    encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = {u.get("id"): u for u in etree.parse(str(path)).iterfind(".//x:trans-unit", ns)}
    assert [a.findtext("x:target", namespaces=ns) for a in units[TITLE].iterfind("x:alt-trans", ns)] == \
        ["La Route du brouillard"]
    assert not units["story.first-story.summary"].findall("x:alt-trans", ns)
    assert not units["story.first-story.summary"].xpath(".//*[@mid]")


def test_an_xliff2_target_copied_from_its_source_before_translation_is_not_a_translation(project_factory):
    """memoQ and Phrase fill a target with its source ("copy source to target") in XLIFF
    2.0's `initial` state: it was read as a stale translation, the English shown on the
    French page unmarked (no `lang="en"`) and counted stale, not missing. As XLIFF 1.2's
    `new`, it is no translation yet; a target in `initial` with words of its own is still
    a translation to review."""
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["fr"]\nformat = "xliff"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / STORY_XLF
    text = path.read_text(encoding="utf-8")
    for source, target in (("The Fog Road", "The Fog Road"), ("Wait for the fog to lift", "Attendre")):
        text = text.replace(f"<segment>\n        <source>{source}</source>",
                            f'<segment state="initial">\n        <source>{source}</source>\n'
                            f"        <target>{target}</target>", 1)
    path.write_text(text, encoding="utf-8")
    assert text.count('state="initial"') == 2
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    table = json.loads((root / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
    rows = {r["id"]: (r["text"], r["fallback"], r["stale"]) for r in table["strings"]}
    assert rows[TITLE] == ("The Fog Road", True, False)
    assert rows["story.first-story.choice.road--wait"] == ("Attendre", False, True)


def test_a_trados_unit_with_no_sentence_translated_is_no_translation(project_factory):
    """Trados writes an untranslated unit's target as its sentences' marks, empty
    (`<target><mrk mtype="seg" mid="2"/> <mrk mtype="seg" mid="3"/></target>`): each
    empty sentence read as its source, the whole line was a stale translation that was
    its English, shown on the French page without its `lang="en"` mark and counted stale,
    not missing. No sentence translated is no translation."""
    root, path = _xliff12(project_factory, "")
    path.write_text(SDLXLIFF.replace('<mrk mtype="seg" mid="2">Une courte traversée.</mrk>',
                                     '<mrk mtype="seg" mid="2"/>'), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("A short crossing with two ways to end.",
                                                               "A short crossing. Two ways to end."), encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    table = json.loads((root / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
    rows = {r["id"]: (r["text"], r["fallback"], r["stale"]) for r in table["strings"]}
    assert rows["story.first-story.summary"] == ("A short crossing. Two ways to end.", True, False)
    assert rows[TITLE] == ("La Route de brume", False, False)


def test_a_trados_sentence_missing_from_its_target_stands_in_its_place(project_factory):
    """A segmented unit whose target lacks the first sentence's mark (a tool dropped it)
    read its source at the end: 'Deux fins. A short crossing.', the line's sentences
    backwards on the French page. The missing sentence stands where the source has it."""
    root, path = _xliff12(project_factory, "")
    path.write_text(SDLXLIFF.replace('<mrk mtype="seg" mid="2">Une courte traversée.</mrk> <mrk mtype="seg" mid="3"/>',
                                     '<mrk mtype="seg" mid="3">Deux fins.</mrk>'), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("A short crossing with two ways to end.",
                                                               "A short crossing. Two ways to end."), encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    table = json.loads((root / "build/api/v1/strings/fr.json").read_text(encoding="utf-8"))
    rows = {r["id"]: (r["text"], r["stale"]) for r in table["strings"]}
    assert rows["story.first-story.summary"] == ("A short crossing. Deux fins.", True)
