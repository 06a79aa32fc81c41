"""A story file renamed gives every line of it a new id (`story.<file name>.…`): its
translation file was left translating no source file (HF1110) while `extract` made a
new one with every line untranslated. `extract` now moves the translations to the new
name — the same words under the new id, marked fuzzy — says what it moved, and
removes the old file, whose every translation is then in the new one."""

from __future__ import annotations

import polib
import pytest

from support import foundry, write_project

L10N = '\n[l10n]\nlanguages = ["de", "fr"]\nrequire_line_ids = true\n'
OLD, NEW = "content/stories/first-story.md", "content/stories/fog-road.md"
PO = "translations/de/{}.po"
FR = "translations/fr/{}.po"   # not translated yet: its file follows the rename too


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """The minimal project with its story tagged, extracted and translated, every line
    ("DE …"), made once for the module (each test ran the same `tag` and `extract`),
    and those translations by line id without the story's part."""
    root = write_project(tmp_path_factory.mktemp("translated") / "proj")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(L10N)
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / PO.format(OLD)))
    for entry in po:
        entry.msgstr = "DE " + entry.msgid
    po.save()
    return root, {e.msgctxt.split(".", 2)[2]: e.msgstr for e in po}


def _translated(project_factory, translated):
    """A test's own copy of `translated` (files and parse cache byte for byte, with
    their times), and its translations."""
    template, before = translated
    return project_factory(base=str(template)), before   # ROOTS / an absolute path is that path


def test_a_renamed_storys_translations_move_to_its_new_name(project_factory, translated):
    root, before = _translated(project_factory, translated)
    (root / OLD).rename(root / NEW)
    check = foundry("check", "--project", str(root), "--format", "json")
    assert sorted(d["file"] for d in check.json()["diagnostics"] if d["code"] == "HF1110") == \
        [PO.format(OLD), FR.format(OLD)]
    # `status` said the story was untranslated, "17 missing", as if its translations were
    # lost: it says where they wait, and what brings them (French has none to wait)
    status = foundry("l10n", "status", "--project", str(root))
    assert (f"  {NEW}: 0/17 translated, 0 stale, 17 missing (17 of them translated under an old line id in "
            f"{PO.format(OLD)}: `foundry l10n extract` moves them here") in status.stdout, status.stdout
    assert status.stdout.count("under an old line id") == 1, status.stdout
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    assert f"{PO.format(NEW)}: 17 translation(s) moved from {PO.format(OLD)}" in run.stdout, run.stdout
    assert f"{PO.format(OLD)} removed" in run.stdout
    assert not (root / PO.format(OLD)).exists() and not (root / FR.format(OLD)).exists()
    assert all(e.msgctxt.startswith("story.fog-road.") and not e.msgstr for e in polib.pofile(str(root / FR.format(NEW))))
    po = polib.pofile(str(root / PO.format(NEW)))
    live = [e for e in po if not e.obsolete]
    # every line under its new id with the translation it had, to be confirmed; the
    # story's title and its first scene's heading have the same words: each keeps its own
    assert {e.msgctxt.split(".", 2)[2]: e.msgstr for e in live} == before
    assert all(e.msgctxt.startswith("story.fog-road.") and "fuzzy" in e.flags for e in live)
    assert not po.obsolete_entries()
    after = foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
    assert not [d for d in after if d["code"] in ("HF1109", "HF1110")], after
    assert len([d for d in after if d["code"] == "HF1106"]) == 17   # fuzzy: the translator confirms
    status = foundry("l10n", "status", "--project", str(root))
    assert f"  {NEW}: 0/17 translated, 17 stale, 0 missing" in status.stdout, status.stdout


def test_a_line_whose_words_changed_with_the_rename_is_kept_obsolete(project_factory, translated):
    """Nothing of the old file is lost: a translation no line of the new file has the
    words of stays in it, obsolete, as it would in the same file."""
    root, _ = _translated(project_factory, translated)
    text = (root / OLD).read_text(encoding="utf-8")
    (root / NEW).write_text(text.replace("Dry ground at last.", "Dry ground, at last."), encoding="utf-8")
    (root / OLD).unlink()
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "16 translation(s) moved" in run.stdout, run.stdout
    po = polib.pofile(str(root / PO.format(NEW)))
    assert [e.msgstr for e in po.obsolete_entries()] == ["DE Dry ground at last. *The end.*"]
    assert po.find("story.fog-road.l-81c4", by="msgctxt").msgstr == ""
    assert not (root / PO.format(OLD)).exists()


def test_a_new_story_with_other_words_takes_nothing(project_factory, translated):
    """A story deleted and another written: no line of the new one is a line of the old
    one, so the old translations stay where they are (HF1110 says so)."""
    root, _ = _translated(project_factory, translated)
    old_po = (root / PO.format(OLD)).read_bytes()
    (root / OLD).unlink()
    (root / NEW).write_text("---\ntitle: Other\nstatus: draft\nsummary: Else.\nstart: a\n---\n\n"
                            "## Somewhere {#a .ending}\n\nElsewhere entirely. ^l-0001\n", encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "moved" not in run.stdout, run.stdout
    assert (root / PO.format(OLD)).read_bytes() == old_po
    assert all(not e.msgstr for e in polib.pofile(str(root / PO.format(NEW))))
    # and check says what the file is for and what to do: "Run `foundry l10n extract`"
    # was its hint, and extract leaves it where it is, as it must
    check = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in check.json()["diagnostics"] if d["code"] == "HF1110" and d["file"] == PO.format(OLD)]
    assert f"translates {OLD}, which is not in the project" in said["message"], said
    assert "deleted for good, delete this file" in said["hint"] and "Run `foundry l10n extract`" not in said["hint"]
