"""`foundry l10n extract` keeps what a translator's tool wrote in a translation file
besides its entries' text: a PO header's credits and fields (Poedit, Weblate, Crowdin),
a PO entry's flags, the columns a translator added to a CSV file, an XLIFF reviewer's
states and the notes of a whole XLIFF file. Each was dropped by the next `extract`
without a word (l10n33; issue 16: nothing a translator wrote is lost). And a PO file in
the charset its header names is read in it, as GNU gettext reads it."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support import foundry, require_tool, write_project

STORY_PO = "translations/de/content/stories/first-story.md.po"

# The head of a PO file as Poedit saves it: the credits in the header's comments, the
# translator, the team, the revision date and the plural rule in its fields.
POEDIT_HEAD = '''# German translation of The Fog Road.
# Anna Schmidt <anna@example.org>, 2026.
msgid ""
msgstr ""
"Project-Id-Version: Fog Road 1.0\\n"
"PO-Revision-Date: 2026-12-01 10:00+0100\\n"
"Last-Translator: Anna Schmidt <anna@example.org>\\n"
"Language-Team: German <de@example.org>\\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4\\n"
'''


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """`extracted(fmt)`: the minimal project in German (`format = fmt`) as a first
    `l10n extract` wrote it, made once per module for each format: every test starts
    from it, and each ran that same first extract itself."""
    made: dict[str, Path] = {}

    def template(fmt: str) -> Path:
        if fmt not in made:
            root = write_project(tmp_path_factory.mktemp(f"extracted-{fmt}") / "proj")
            with open(root / "foundry.toml", "a", encoding="utf-8") as out:
                out.write(f'\n[l10n]\nlanguages = ["de"]\nformat = "{fmt}"\n')
            assert foundry("l10n", "extract", "--project", str(root)).code == 0
            made[fmt] = root
        return made[fmt]
    return template


def _project(project_factory, extracted, name: str, fmt: str = "po"):
    """A test's own copy of `extracted(fmt)`: its files, translation files and parse
    cache byte for byte and with their times (copy2), as the first `extract` left them."""
    return project_factory(base=str(extracted(fmt)), name=name)   # ROOTS / an absolute path is that path


def test_extract_keeps_a_po_headers_credits_and_fields(project_factory, extracted):
    """A PO file Poedit saved, its story edited and `extract` run: the translator's
    credits, name, team, revision date and plural rule were gone from the file (the header
    was written anew); now they are kept in their order, and GNU msgfmt still checks the
    file clean."""
    root = _project(project_factory, extracted, "po-head")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    body = text[text.index("\n\n"):]
    body = body.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das ferne Ufer"')
    path.write_text(POEDIT_HEAD + body, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry ground, at last."),
                     encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    head = after[:after.index("\n\n")]
    assert head.startswith("# German translation of The Fog Road.\n# Anna Schmidt <anna@example.org>, 2026.\n")
    fields = [line for line in head.splitlines() if line.startswith('"')]
    assert fields == [
        '"Project-Id-Version: Fog Road 1.0\\n"', '"PO-Revision-Date: 2026-12-01 10:00+0100\\n"',
        '"Last-Translator: Anna Schmidt <anna@example.org>\\n"', '"Language-Team: German <de@example.org>\\n"',
        '"Language: de\\n"', '"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        # foundry wrote the file this time: its own name, in the field's place
        '"X-Generator: Hero Foundry\\n"']
    assert 'msgstr "Das ferne Ufer"' in after   # and the entries as before
    # a second extract changes nothing: the header is stable (no date of ours)
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after

    require_tool(shutil.which("msgfmt") is not None, "GNU gettext's msgfmt")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr


def test_extract_keeps_a_po_headers_flags_and_bare_comment_lines(project_factory, extracted):
    """The header as xgettext and msginit write it: the credits, a bare `#` under them,
    and `#, fuzzy` (nobody has filled the header in yet), a `no-wrap` beside it. Each
    `extract` took the fuzzy mark and the bare `#` off, a change in git nobody made to
    a file no line of which changed; now the header comes back as it was."""
    root = _project(project_factory, extracted, "po-head-flags")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    head = "# German translation of The Fog Road.\n# Anna Schmidt <anna@example.org>, 2026.\n#\n#, fuzzy, no-wrap\n"
    path.write_text(head + text, encoding="utf-8")
    story = root / "content/stories/first-story.md"   # a line changed: the file is written
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry ground, at last."),
                     encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    assert after != head + text and after.startswith(head + 'msgid ""\n'), after[:300]


def test_extract_keeps_header_lines_with_no_name_and_a_second_line_of_one_name(project_factory, extracted):
    """translate-toolkit's header parse (a dict) kept one line of each name and skipped a
    line with no `Name:`: a translator's `Note to reviewers, see below` and the second of
    two `X-Reviewer:` lines were gone after `extract`. Each is written back where it was;
    a second `Language:` (foundry's own field, set anew) is written once."""
    root = _project(project_factory, extracted, "po-odd-head")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    body = text[text.index("\n\n"):]
    head = ('msgid ""\nmsgstr ""\n"Project-Id-Version: Fog Road 1.0\\n"\n'
            '"Note to reviewers, see below\\n"\n"X-Reviewer: Jo\\n"\n"X-Reviewer: Sam\\n"\n'
            '"Language: de\\n"\n"Language: de-AT\\n"\n": no name\\n"\n')
    path.write_text(head + body, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry ground, at last."),
                     encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    fields = [line for line in after[:after.index("\n\n")].splitlines() if line.startswith('"')]
    assert fields == [
        '"Project-Id-Version: Fog Road 1.0\\n"', '"Note to reviewers, see below\\n"', '"X-Reviewer: Jo\\n"',
        '"X-Reviewer: Sam\\n"', '"Language: de\\n"', '": no name\\n"', '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
        '"X-Generator: Hero Foundry\\n"'], fields
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_extract_keeps_a_po_entrys_previous_line_id(project_factory, extracted):
    """msgmerge writes the line id a fuzzy match came from as `#| msgctxt` above the
    `#| msgid` (and `#~| msgctxt` on an obsolete entry); `extract` dropped both, and the
    `#| msgid` too when it was the entry's own source (only the id had changed): the
    translator lost what the fuzzy translation had been made for. Each is written back."""
    root = _project(project_factory, extracted, "po-prev-ctxt")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr ""',
                        '#, fuzzy\n#| msgctxt "story.first-story.scene.road"\n#| msgid "The Fog Road"\n'
                        'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "Die Nebelstraße"')
    text += ('\n#~| msgctxt "story.first-story.old"\n#~| msgid "The Older Road"\n'
             '#~ msgctxt "story.first-story.gone"\n#~ msgid "The Old Road"\n#~ msgstr "Die alte Straße"\n')
    after = _extracted_after(root, path, text, "Dry ground at last.", "Dry ground, at last.")
    assert ('#, fuzzy\n#| msgctxt "story.first-story.scene.road"\n#| msgid "The Fog Road"\n'
            'msgctxt "story.first-story.title"\n') in after, after
    assert ('#~| msgctxt "story.first-story.old"\n#~| msgid "The Older Road"\n'
            '#~ msgctxt "story.first-story.gone"\n') in after, after
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_a_new_po_file_has_foundrys_header_only(project_factory, extracted):
    """A file `extract` makes has foundry's five fields and no comment, as before."""
    root = _project(project_factory, extracted, "po-new")
    text = (root / STORY_PO).read_text(encoding="utf-8")
    assert text.startswith('msgid ""\nmsgstr ""\n"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
                           '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
                           '"X-Generator: Hero Foundry\\n"\n\n')


def test_extract_keeps_the_columns_a_translator_added_to_a_csv_file(project_factory, extracted):
    """A CSV file a German Excel saved with two columns of the translator's own (a
    reviewer's note before the target, a status at the end), its hero renamed and
    `extract` run: both columns were gone from every row (the file was written in
    foundry's eight columns). Now they follow foundry's, each cell with its row — the
    renamed line's too, and a gone line's row kept obsolete with its cells."""
    root = _project(project_factory, extracted, "csv-own", fmt="csv")
    path = root / "translations/de/content/heroes/first-hero.yaml.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0].insert(2, "Reviewer")
    rows[0].append("Status")
    for number, row in enumerate(rows[1:], 1):
        row[2] = "DE " + row[1]
        row.insert(2, f"=Jo {number}")    # a cell of the translator's, as typed
        row.append("done" if number < 3 else "")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("Scout of the Marsh Road", "Scout of the Fen"),
                    encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(after), delimiter=";"))   # written back as the sheet was laid out
    assert list(table[0])[-2:] == ["Reviewer", "Status"]
    cells = {row["id"]: (row["target"], row["fuzzy"], row["Reviewer"], row["Status"]) for row in table}
    assert cells == {
        "hero.first-hero.name": ("DE Rook Amsel", "False", "=Jo 1", "done"),
        "hero.first-hero.title": ("DE Scout of the Marsh Road", "True", "=Jo 2", "done"),
        "hero.first-hero.background.p1": (
            "DE Rook grew up on the marsh road, where the *fog* decides who arrives.", "False", "=Jo 3", "")}
    # read back as before: check finds the stale line only, and a second extract is stable
    checked = foundry("check", "--project", str(root), "--format", "json")
    assert [d["code"] for d in checked.json()["diagnostics"] if d["code"].startswith("HF11") and d["code"] != "HF1105"] == ["HF1106"]
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_extract_keeps_each_of_two_csv_columns_of_the_same_name(project_factory, extracted):
    """Two reviewers each added a column and both named it `Reviewer`, with a nameless
    column between them where one wrote a remark: `extract` gave both `Reviewer` columns
    the second's cells (the cells were kept by name), so the first reviewer's initials
    were gone from every row. Now each column keeps its own cells, in its place."""
    root = _project(project_factory, extracted, "csv-twice", fmt="csv")
    path = root / "translations/de/content/heroes/first-hero.yaml.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0] += ["Reviewer", "", "Reviewer"]
    for number, row in enumerate(rows[1:], 1):
        row += [f"Ann {number}", "see glossary" if number == 1 else "", f"Bob {number}"]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(after)))
    assert table[0][8:] == ["Reviewer", "", "Reviewer"]
    assert [row[8:] for row in table[1:]] == [["Ann 1", "see glossary", "Bob 1"], ["Ann 2", "", "Bob 2"],
                                              ["Ann 3", "", "Bob 3"]]
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_a_csv_column_a_tool_would_take_for_foundrys_is_the_translators_own(project_factory, extracted):
    """A translator added `Notes` and `State` columns (a reviewer's remark, a sign-off)
    and a second `target` beside foundry's eight. translate-toolkit takes `Notes` for
    translator_comments and `State` for fuzzy, so each row's reviewer remark was read as
    the translator's comment (theirs, `my note 1`, gone) and `extract` wrote the three
    columns nowhere: the remarks landed in translator_comments, the sign-offs and the
    second target were lost, without a word. Now foundry's columns are the ones typed
    with their names, and the others are the translator's, kept in their place."""
    root = _project(project_factory, extracted, "csv-aliases", fmt="csv")
    path = root / "translations/de/content/heroes/first-hero.yaml.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0] += ["Notes", "State", "target"]
    for number, row in enumerate(rows[1:], 1):
        row[2], row[6] = "DE " + row[1], f"my note {number}"
        row += [f"remark {number}", "approved" if number == 1 else "", f"alt {number}"]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0, run.stdout
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    texts = {row["id"]: row["text"] for row in table["strings"]}
    assert texts["hero.first-hero.name"] == "DE Rook Amsel" and texts["hero.first-hero.title"].startswith("DE ")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    after = path.read_text(encoding="utf-8")
    written = list(csv.reader(io.StringIO(after)))
    assert written[0][6] == "translator_comments" and written[0][8:] == ["Notes", "State", "target"]
    assert [(row[2][:3], row[6], *row[8:]) for row in written[1:]] == [
        ("DE ", "my note 1", "remark 1", "approved", "alt 1"), ("DE ", "my note 2", "remark 2", "", "alt 2"),
        ("DE ", "my note 3", "remark 3", "", "alt 3")]
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_extract_keeps_what_a_translator_typed_in_a_csv_files_context_column(project_factory, extracted):
    """foundry leaves each row's `context` cell empty; words a translator typed there
    (a formula-like `=A1` among them) were gone after `extract`. Now each cell is written
    back as typed, with its row (one whose source changed too), and a second `extract`
    changes nothing."""
    root = _project(project_factory, extracted, "csv-context", fmt="csv")
    path = root / "translations/de/content/heroes/first-hero.yaml.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    at = rows[0].index("context")
    rows[1][at] = "the hero's call name"
    rows[2][at] = "=A1"
    path.write_text("".join(",".join(f'"{cell}"' for cell in row) + "\n" for row in rows), encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("Scout of the Marsh Road", "Scout of the Marsh"),
                    encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    cells = {row[3]: row[at] for row in list(csv.reader(io.StringIO(after)))[1:]}
    assert cells["hero.first-hero.name"] == "the hero's call name"
    assert cells["hero.first-hero.title"] in ("=A1", "'=A1")   # (escaped from spreadsheets' formulas)
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after


def test_a_new_csv_file_has_foundrys_eight_columns(project_factory, extracted):
    root = _project(project_factory, extracted, "csv-new", fmt="csv")
    first = (root / "translations/de/content/heroes/first-hero.yaml.csv").read_text(encoding="utf-8").split("\n")[0]
    assert first == ('"location","source","target","id","fuzzy","context","translator_comments",'
                     '"developer_comments"')


XLIFF2_REVIEWED = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
  <file id="f1">
    <unit id="quest.first-quest.title">
      <segment state="final"><source>Through the Fog</source><target>Durch den Nebel</target></segment>
    </unit>
    <unit id="quest.first-quest.summary">
      <segment state="reviewed" subState="memoq:approved"><source>Cross the marsh before the bell tolls.</source><target>Überquere das Moor.</target></segment>
    </unit>
    <unit id="quest.first-quest.objective.cross">
      <segment state="final"><source>Reach the far bank</source><target>Erreiche das Ufer</target></segment>
    </unit>
  </file>
</xliff>
"""

XLIFF12_SIGNED = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="first-hero.yaml" source-language="en" target-language="de" datatype="plaintext">
    <body>
      <trans-unit id="hero.first-hero.name">
        <source>Rook Amsel</source>
        <target state="signed-off" state-qualifier="exact-match">Rook Amsel</target>
      </trans-unit>
      <trans-unit id="hero.first-hero.title">
        <source>Scout of the Marsh Road</source>
        <target state="final">Späherin der Moorstraße</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def _as_xliff(root, two: str, one: str):
    """(quest, hero): the quest's translation file made XLIFF 2.0 `two` and the hero's
    XLIFF 1.2 `one`, in place of the PO files `extract` wrote."""
    quest = root / "translations/de/content/quests/first-quest.yaml.xlf"
    hero = root / "translations/de/content/heroes/first-hero.yaml.xlf"
    for path, text in ((quest, two), (hero, one)):
        path.with_suffix(".po").unlink()
        path.write_text(text, encoding="utf-8")
    return quest, hero


def test_extract_keeps_a_reviewers_state_on_a_translation_whose_source_did_not_change(project_factory, extracted):
    """XLIFF files a reviewer signed off in memoQ or Trados (2.0 `final`, `reviewed` with
    the tool's subState; 1.2 `signed-off` with a qualifier, `final`), one source line then
    edited and `extract` run: every state became `translated`, the reviewer's sign-off
    gone. Now an unchanged line keeps the state as written; the edited one is to be
    reviewed again (2.0 `initial`, 1.2 `needs-review-translation`), as before."""
    from lxml import etree

    root = _project(project_factory, extracted, "xliff-state")
    quest, hero = _as_xliff(root, XLIFF2_REVIEWED, XLIFF12_SIGNED)
    source = root / "content/quests/first-quest.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Reach the far bank", "Reach the bank"),
                      encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    ns2 = "{urn:oasis:names:tc:xliff:document:2.0}"
    states = {unit.get("id"): dict(unit.find(f"{ns2}segment").attrib)
              for unit in etree.parse(str(quest)).iter(f"{ns2}unit")}
    assert states == {"quest.first-quest.title": {"state": "final"},
                      "quest.first-quest.summary": {"state": "reviewed", "subState": "memoq:approved"},
                      "quest.first-quest.objective.cross": {"state": "initial"}}
    ns1 = "{urn:oasis:names:tc:xliff:document:1.2}"
    targets = {unit.get("id"): {k: v for k, v in unit.find(f"{ns1}target").attrib.items() if k.startswith("state")}
               for unit in etree.parse(str(hero)).iter(f"{ns1}trans-unit") if unit.find(f"{ns1}target") is not None}
    assert targets == {"hero.first-hero.name": {"state": "signed-off", "state-qualifier": "exact-match"},
                       "hero.first-hero.title": {"state": "final"}}
    # the files read back as the tools wrote them: only the edited line is stale
    checked = foundry("check", "--project", str(root), "--format", "json")
    stale = [d for d in checked.json()["diagnostics"] if d["code"] == "HF1106"]
    assert [d["file"] for d in stale] == ["translations/de/content/quests/first-quest.yaml.xlf"]


def test_extract_keeps_a_reviewers_approved_no_on_an_xliff_1_2_unit(project_factory, extracted):
    """A reviewer's `approved="no"` on an XLIFF 1.2 unit (the translation has not passed
    review) became `approved="yes"` after `extract` (translate-toolkit marks every
    translation it writes not fuzzy as approved): a sign-off nobody gave. Now a unit's
    `approved` is written back as the tool left it while its source is unchanged; one
    whose source changed is no longer approved."""
    from lxml import etree

    root = _project(project_factory, extracted, "xliff-approved")
    hero = root / "translations/de/content/heroes/first-hero.yaml.xlf"
    hero.with_suffix(".po").unlink()
    hero.write_text(XLIFF12_SIGNED.replace('<trans-unit id="hero.first-hero.name">',
                                           '<trans-unit id="hero.first-hero.name" approved="no">')
                    .replace('<trans-unit id="hero.first-hero.title">',
                             '<trans-unit id="hero.first-hero.title" approved="yes">'), encoding="utf-8")
    source = root / "content/heroes/first-hero.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Scout of the Marsh Road", "Scout of the Marsh"),
                      encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    ns1 = "{urn:oasis:names:tc:xliff:document:1.2}"
    approved = {unit.get("id"): unit.get("approved") for unit in etree.parse(str(hero)).iter(f"{ns1}trans-unit")}
    assert approved == {"hero.first-hero.name": "no", "hero.first-hero.title": "no",
                        "hero.first-hero.background.p1": None}, approved


def test_extract_keeps_what_a_tool_wrote_on_an_xliff_unit(project_factory, extracted):
    """What a CAT tool writes on a unit besides its text and notes — 1.2 a TM match
    (`<alt-trans>`, its note its own), a `<prop-group>`, `resname`, `maxwidth`, an XML comment; 2.0 a
    module (`<mda:metadata>`), an extension attribute — was gone after `extract`, which
    writes each unit anew. Now each is written back with its unit, in the place its
    schema has it (2.0: before the notes; 1.2: after them), a unit whose source changed
    included."""
    from lxml import etree

    root = _project(project_factory, extracted, "xliff-unit-extras")
    two = XLIFF2_REVIEWED.replace(
        'trgLang="de">', 'trgLang="de" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" xmlns:my="urn:x-my">').replace(
        '<unit id="quest.first-quest.objective.cross">',
        '<unit id="quest.first-quest.objective.cross" my:ticket="T-7" name="cross"><mda:metadata><mda:metaGroup '
        'category="tm"><mda:meta type="origin">memoQ</mda:meta></mda:metaGroup></mda:metadata>')
    one = XLIFF12_SIGNED.replace(
        '<trans-unit id="hero.first-hero.title">',
        '<trans-unit id="hero.first-hero.title" resname="title" maxwidth="40" size-unit="char">').replace(
        '<target state="final">Späherin der Moorstraße</target>',
        '<target state="final">Späherin der Moorstraße</target><!-- checked with the client -->'
        '<alt-trans match-quality="87" origin="TM"><source>Scout of the Road</source>'
        '<target>Späherin der Straße</target><note>TM: the 2025 edition</note></alt-trans><prop-group><prop prop-type="x-ref">42</prop></prop-group>')
    quest, hero = _as_xliff(root, two, one)
    source = root / "content/quests/first-quest.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Reach the far bank", "Reach the bank"),
                      encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    ns2 = "{urn:oasis:names:tc:xliff:document:2.0}"
    unit = next(u for u in etree.parse(str(quest)).iter(f"{ns2}unit") if u.get("id").endswith("objective.cross"))
    assert unit.get("{urn:x-my}ticket") == "T-7" and unit.get("name") == "cross"
    assert [etree.QName(child).localname for child in unit] == ["metadata", "notes", "segment"]
    assert unit.findtext(".//{urn:oasis:names:tc:xliff:metadata:2.0}meta") == "memoQ"
    ns1 = "{urn:oasis:names:tc:xliff:document:1.2}"
    unit = next(u for u in etree.parse(str(hero)).iter(f"{ns1}trans-unit") if u.get("id") == "hero.first-hero.title")
    assert (unit.get("resname"), unit.get("maxwidth"), unit.get("size-unit")) == ("title", "40", "char")
    assert unit.find(f"{ns1}alt-trans").get("match-quality") == "87"
    assert unit.findtext(f"{ns1}alt-trans/{ns1}target") == "Späherin der Straße"
    # the match's own note stays in the match: it was read as the translator's, written
    # on the unit too, one line more at every write
    assert unit.findtext(f"{ns1}alt-trans/{ns1}note") == "TM: the 2025 edition"
    assert not [n.text for n in unit.findall(f"{ns1}note") if "TM:" in (n.text or "")]
    assert unit.findtext(f"{ns1}prop-group/{ns1}prop") == "42"
    assert [c.text for c in unit if isinstance(c, etree._Comment)] == [" checked with the client "]
    after = (quest.read_bytes(), hero.read_bytes())
    foundry("l10n", "extract", "--project", str(root))
    assert (quest.read_bytes(), hero.read_bytes()) == after


def test_extract_keeps_the_notes_an_xliff_file_holds_for_the_whole_file(project_factory, extracted):
    """A glossary and a project manager's instructions, written for the whole file (2.0
    `<file><notes>`, 1.2 `<header><note>`), were gone after the next `extract`; now they
    are written back, where each version's schema has them (before the units). So are the
    `<file>`'s own attributes."""
    from lxml import etree

    root = _project(project_factory, extracted, "xliff-notes")
    two = XLIFF2_REVIEWED.replace('<file id="f1">', '<file id="quest-3" original="first-quest.yaml">\n    <notes>'
                                  '<note category="glossary">Quest = Auftrag</note><note>Use du, not Sie.</note></notes>')
    one = XLIFF12_SIGNED.replace('datatype="plaintext">', 'datatype="plaintext">\n    <header><tool tool-id="mq" '
                                 'tool-name="memoQ"/><note from="PM">Rook is never translated.</note></header>')
    quest, hero = _as_xliff(root, two, one)

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    ns2 = "{urn:oasis:names:tc:xliff:document:2.0}"
    file = etree.parse(str(quest)).find(f"{ns2}file")
    assert file[0].tag == f"{ns2}notes"
    assert [(n.get("category"), n.text) for n in file[0]] == [("glossary", "Quest = Auftrag"), (None, "Use du, not Sie.")]
    # and the file's own attributes, by which a CAT tool takes a returned file back into
    # its project (1.2 `original` was written "NoName", 2.0 `id` "f1")
    assert (file.get("id"), file.get("original")) == ("quest-3", "first-quest.yaml")
    ns1 = "{urn:oasis:names:tc:xliff:document:1.2}"
    file = etree.parse(str(hero)).find(f"{ns1}file")
    assert (file.get("original"), file.get("target-language")) == ("first-hero.yaml", "de")
    assert [etree.QName(c).localname for c in file] == ["header", "body"]
    assert [(n.get("from"), n.text) for n in file[0]] == [("PM", "Rook is never translated.")]
    # and they stay put: a second extract changes nothing
    before = quest.read_bytes(), hero.read_bytes()
    foundry("l10n", "extract", "--project", str(root))
    assert (quest.read_bytes(), hero.read_bytes()) == before


def test_extract_keeps_the_words_of_an_xliff_note_holding_markup(project_factory, extracted):
    """A note is text in both XLIFF schemas, but a tool or a hand may put an element in
    it: a file's glossary note `Quest = <b>Auftrag</b>, never Mission` and a translator's
    note on a unit came back from `extract` cut at the first element ("Quest = "), the
    rest gone without a word. Now a note is its words, the markup's text included.
    And a reviewer's comment on words of a target, as annotation markers hold it (2.0
    `<sm type="comment" value=…/>` … `<em/>` or `<mrk>`; 1.2 `<mrk comment=…>`): foundry
    writes plain text, and every comment of the file was gone at its next write; each is
    kept as its unit's translator's note, the translation as it was."""
    from lxml import etree

    root = _project(project_factory, extracted, "xliff-note-markup")
    two = XLIFF2_REVIEWED.replace('<file id="f1">', '<file id="f1">\n    <notes><note category="glossary">'
                                  'Quest = <b>Auftrag</b>, never Mission</note></notes>')
    two = two.replace('<unit id="quest.first-quest.title">', '<unit id="quest.first-quest.title"><notes>'
                      '<note category="translator">Keep the <em>fog</em> pun<!-- mine --></note></notes>')
    two = two.replace("<target>Überquere das Moor.</target>", '<target>Überquere das <sm id="c1" type="comment" '
                      'value="Moor oder Sumpf?"/>Moor<em startRef="c1"/>.</target>')
    two = two.replace("<target>Erreiche das Ufer</target>", '<target>Erreiche <mrk id="m1" type="comment" '
                      'value="Ufer: see glossary">das Ufer</mrk></target>')
    # a W3C ITS quality issue's comment an XLIFF 2.1 review tool (Okapi, Ocelot) writes on
    # a marker, and an ITS localization note in 1.2: dropped with the marker, unsaid
    two = two.replace('<xliff xmlns=', '<xliff xmlns:its="http://www.w3.org/2005/11/its" xmlns=')
    two = two.replace('<mrk id="m1" type="comment"', '<mrk id="m1" its:locQualityIssueComment="Ufer or Küste?" type="comment"')
    one = XLIFF12_SIGNED.replace('datatype="plaintext">', 'datatype="plaintext">\n    <header><note from="PM">'
                                 'Rook is <g id="1">never</g> translated.</note></header>')
    one = one.replace("Späherin der Moorstraße</target>", '<mrk mtype="x-note" comment="Moor, not Sumpf">'
                      'Späherin der Moorstraße</mrk></target>')
    one = one.replace('<xliff version="1.2"', '<xliff xmlns:its="http://www.w3.org/2005/11/its" version="1.2"')
    one = one.replace(">Rook Amsel</target>", '><mrk mtype="x-its" its:locNote="A name: keep it">Rook Amsel</mrk></target>')
    quest, hero = _as_xliff(root, two, one)

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    ns2 = "{urn:oasis:names:tc:xliff:document:2.0}"
    tree = etree.parse(str(quest))
    assert [n.text for n in tree.find(f"{ns2}file/{ns2}notes")] == ["Quest = Auftrag, never Mission"]
    notes = {n.get("category"): n.text for n in tree.iterfind(f".//{ns2}unit[@id='quest.first-quest.title']//{ns2}note")}
    assert notes["translator"] == "Keep the fog pun", notes
    units = {u.get("id"): u for u in tree.iter(f"{ns2}unit")}
    said = {i: [n.text for n in u.iter(f"{ns2}note") if n.get("category") == "translator"] for i, u in units.items()}
    assert said["quest.first-quest.summary"] == ["Moor oder Sumpf?"], said
    assert said["quest.first-quest.objective.cross"] == ["Ufer: see glossary\nUfer or Küste?"], said
    assert units["quest.first-quest.summary"].find(f".//{ns2}target").text == "Überquere das Moor."
    ns1 = "{urn:oasis:names:tc:xliff:document:1.2}"
    header = etree.parse(str(hero)).find(f"{ns1}file/{ns1}header")
    assert [n.text for n in header] == ["Rook is never translated."]
    title = etree.parse(str(hero)).find(f".//{ns1}trans-unit[@id='hero.first-hero.title']")
    assert [n.text for n in title.iter(f"{ns1}note") if n.get("from") == "translator"] == ["Moor, not Sumpf"]
    name = etree.parse(str(hero)).find(f".//{ns1}trans-unit[@id='hero.first-hero.name']")
    assert [n.text for n in name.iter(f"{ns1}note") if n.get("from") == "translator"] == ["A name: keep it"]
    before = quest.read_bytes(), hero.read_bytes()   # no second copy of a comment at the next extract
    foundry("l10n", "extract", "--project", str(root))
    assert (quest.read_bytes(), hero.read_bytes()) == before


def test_a_po_file_whose_tool_sorted_its_entries_is_left_as_it_is(project_factory, extracted):
    """Lokalise and Crowdin export entries sorted by key, `msgcat --sort-output` by
    msgid: with no line of the source changed, `extract` wrote every entry back in
    foundry's order (the whole file a change in git; the next export sorted it again)."""
    root = _project(project_factory, extracted, "po-sorted")
    path = root / STORY_PO
    head, *entries = path.read_text(encoding="utf-8").strip("\n").split("\n\n")
    sorted_text = "\n\n".join([head, *entries[::-1]]) + "\n"
    path.write_text(sorted_text, encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "up to date" in run.stdout + run.stderr, run.stdout + run.stderr
    assert path.read_text(encoding="utf-8") == sorted_text


def test_extract_keeps_a_po_entrys_flags_besides_fuzzy(project_factory, extracted):
    """Weblate's `max-length:40` and `read-only`, gettext's `no-wrap`, on entries of a
    PO file: the next `extract` wrote each entry's flags anew (`fuzzy` or none), the
    rest gone. Now every flag stays with its entry, beside a `fuzzy` extract adds, and
    GNU msgfmt reads the flags as before."""
    root = _project(project_factory, extracted, "po-flags")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgctxt "story.first-story.scene.wait"\n',
                        '#, no-wrap, max-length:40\nmsgctxt "story.first-story.scene.wait"\n')
    text = text.replace('msgctxt "story.first-story.scene.bank.p1"\nmsgid "Dry ground at last. *The end.*"\nmsgstr ""',
                        '#, read-only\nmsgctxt "story.first-story.scene.bank.p1"\n'
                        'msgid "Dry ground at last. *The end.*"\nmsgstr "Endlich trockener Boden. *Ende.*"')
    path.write_text(text, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry ground, at last."),
                     encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    # (an entry the merge left as it was is written as the tool wrote it: its flags in their order)
    assert '#, no-wrap, max-length:40\nmsgctxt "story.first-story.scene.wait"\n' in after
    assert '#, fuzzy, read-only\n#| msgid "Dry ground at last. *The end.*"\nmsgctxt "story.first-story.scene.bank.p1"' in after
    require_tool(shutil.which("msgfmt") is not None, "GNU gettext's msgfmt")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_a_po_file_in_the_charset_its_header_names_is_read_in_it(project_factory, extracted):
    """A PO file kept in ISO-8859-1, as its header says (Lokalize, msgmerge and older
    Poedit keep a file's charset; GNU msgfmt reads it so): every line holding an umlaut
    was HF0103 "not UTF-8" and the whole file unread. Now it is read in its charset,
    `extract` writes it back in it, and a file whose header
    says UTF-8 but whose bytes are not is still HF0103."""
    root = _project(project_factory, extracted, "po-latin1")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    text = text.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das ferne Ufer, endlich gefäßt"')
    path.write_bytes(text.encode("latin-1"))
    require_tool(shutil.which("msgfmt") is not None, "GNU gettext's msgfmt")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr    # a valid PO file, as gettext reads it

    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["code"] == "HF0103"], run.stdout
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    texts = {row["id"]: row["text"] for row in table["strings"]}
    assert texts["story.first-story.scene.bank"] == "Das ferne Ufer, endlich gefäßt"

    # extract keeps it in its charset (test_rewrites_keep_the_file.py)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    after = path.read_bytes().decode("latin-1")
    assert '"Content-Type: text/plain; charset=ISO-8859-1\\n"' in after and 'msgstr "Das ferne Ufer, endlich gefäßt"' in after
    after = after.replace("charset=ISO-8859-1", "charset=UTF-8")

    # the header's word is taken only for bytes that are not UTF-8 in a file saying another charset
    path.write_bytes(after.replace("gefäßt", "gefäßt").encode("utf-8").replace("gefäßt".encode(), "gefäßt".encode("latin-1")))
    said = foundry("check", "--project", str(root), "--format", "json")
    assert [d["code"] for d in said.json()["diagnostics"] if d["code"] == "HF0103"] == ["HF0103"]


def test_a_po_header_naming_a_codec_that_is_no_portable_charset_leaves_the_file_not_utf8(project_factory, extracted):
    """A PO file whose bytes are not UTF-8 and whose header names one of Python's codecs
    that is no charset gettext knows: `charset=rot13` (not a text encoding) and
    `charset=punycode` (fails on any text) stopped check with an internal error
    (LookupError, UnicodeError); `charset=unicode_escape` read every `\\n` of the file
    as a line break, so its header line was HF1104 'no closing double quote', a fault the
    translator never wrote; UTF-7 and cp037 spell ASCII otherwise. Each is now the file
    not being UTF-8 (HF0103 at the line holding the bytes), as with no charset at all;
    `latin1`, another name of ISO-8859-1, is still read in it."""
    root = _project(project_factory, extracted, "po-codecs")
    path = root / STORY_PO
    original = path.read_text(encoding="utf-8")
    for charset in ("rot13", "punycode", "unicode_escape", "UTF-7", "cp037", "latin1"):
        text = original.replace("charset=UTF-8", f"charset={charset}")
        text = text.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das ferne Ufer, gefäßt"')
        path.write_bytes(text.encode("latin-1"))
        run = foundry("check", "--project", str(root), "--format", "json")
        assert "internal error" not in run.stderr, (charset, run.stderr)
        codes = [d["code"] for d in run.json()["diagnostics"] if d["file"] == STORY_PO]
        if charset == "latin1":
            assert codes == [] and run.code == 0, (charset, codes)
        else:
            assert codes == ["HF0103"] and run.code == 1, (charset, codes)


def test_a_po_header_whose_charset_names_nothing_is_read_as_utf8(project_factory, extracted):
    """`Content-Type: text/plain; charset=` with no name (a header typed by hand): GNU
    msgfmt, polib and Babel read the file as UTF-8, but foundry refused it, HF1104 "PO
    syntax error: Unsupported charset: Content-Transfer-Encoding:" (translate-toolkit took
    the next header line for the name), every translation of the file unused."""
    root = _project(project_factory, extracted, "po-no-charset")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=")
    path.write_text(text.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das ferne Ufer"'),
                    encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["file"] == STORY_PO], run.stdout
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))
    assert {row["id"]: row["text"] for row in table["strings"]}["story.first-story.scene.bank"] == "Das ferne Ufer"


def test_a_po_file_with_blank_lines_elsewhere_than_between_entries_loses_no_entry(project_factory, extracted):
    """Gettext reads a blank line inside an entry (after its `#:` line) and none between
    two entries. With one of each, the file had as many blank-line blocks as foundry's own
    writing, matched place by place one entry off: a changed heading then dropped the
    story summary's translation from the file, without a word."""
    root = _project(project_factory, extracted, "po-blocks")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgid "The Fog Road"\nmsgstr ""', 'msgid "The Fog Road"\nmsgstr "Die Nebelstraße"')
    text = text.replace('msgid "A short crossing with two ways to end."\nmsgstr ""',
                        'msgid "A short crossing with two ways to end."\nmsgstr "Eine kurze Überfahrt."')
    text = text.replace("#: content/stories/first-story.md:2\nmsgctxt", "#: content/stories/first-story.md:2\n\nmsgctxt")
    text = text.replace('msgstr "Eine kurze Überfahrt."\n\n#.', 'msgstr "Eine kurze Überfahrt."\n#.')
    after = _extracted_after(root, path, text, "## The Fog Road {#road}", "## The Foggy Road {#road}")
    assert 'msgctxt "story.first-story.summary"\nmsgid "A short crossing with two ways to end."\n' \
           'msgstr "Eine kurze Überfahrt."' in after
    assert after.count('msgstr "Die Nebelstraße"') == 2   # the title's, and the changed heading's (fuzzy)


def _extracted_after(root: Path, po: Path, text: str, old: str, new: str) -> str:
    """The translation file `po` after it is saved as `text`, the first story's `old`
    edited to `new`, and `l10n extract` run (which must succeed)."""
    po.write_text(text, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    return po.read_text(encoding="utf-8")
