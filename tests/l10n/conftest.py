"""A build the l10n test files share: made once per test run (every pytest-xdist worker
reads the same folder) and only read by the tests that use it."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from support import ROOTS, built_once, foundry, write_project

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", "FOUNDRY_JOBS": "2"}
# The hero's background: its first paragraph, and a second one added here, which only
# German translates (test_background_fallback.py reads the marks of both).
BACKGROUND_FIRST = "Rook grew up on the marsh road, where the *fog* decides who arrives."
BACKGROUND_SECOND = "She still counts the coins twice."
BACKGROUND_SECOND_DE = "Sie zählt die Münzen immer zweimal."
# Relationship notes and the hero's template's name (test_relationship_notes.py, which repeats them): German
# translates the hero's note and the template's name, not the character's note; Arabic nothing.
HERO_NOTE = "Taught her the *fog* paths."
HERO_NOTE_DE = "Zeigte ihr die *Nebel*pfade."
GUIDE_NOTE = "Owes him a lantern."
TEMPLATE_DE = "Späherin"


def _make_de_ar(folder: Path) -> None:
    root = folder / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert BACKGROUND_FIRST in text
    text = text.replace(BACKGROUND_FIRST, f"{BACKGROUND_FIRST}\n\n  {BACKGROUND_SECOND}")
    hero.write_text(text.replace("{with: old-guide, kind: mentor}", f'{{with: old-guide, kind: mentor, note: "{HERO_NOTE}"}}'),
                    encoding="utf-8")
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "{with: first-hero, kind: apprentice}", f'{{with: first-hero, kind: apprentice, note: "{GUIDE_NOTE}"}}'),
        encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / "translations/de/content/heroes/first-hero.yaml.po"
    po = polib.pofile(str(path))
    entries = [entry for entry in po if entry.msgid == BACKGROUND_SECOND]
    assert len(entries) == 1
    entries[0].msgstr = BACKGROUND_SECOND_DE
    notes = [entry for entry in po if entry.msgctxt == "hero.first-hero.relationship.old-guide.mentor.note"]
    assert [entry.msgid for entry in notes] == [HERO_NOTE]
    notes[0].msgstr = HERO_NOTE_DE
    po.save()
    template = polib.pofile(str(root / "translations/de/content/templates/heroes/scout.yaml.po"))
    [name] = [entry for entry in template if entry.msgctxt == "template.scout.name"]
    name.msgstr = TEMPLATE_DE
    template.save()
    run = foundry("build", "--project", str(root), "--only", "html,pdf,epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    (folder / "build-report.json").write_text(run.stdout, encoding="utf-8")   # what the build said


@pytest.fixture(scope="session")
def de_ar_world(tmp_path_factory) -> Path:
    """The minimal world in German and Arabic, built (html, pdf, epub), almost nothing
    translated: German translates one paragraph of the hero's background (which has a
    second one added), the hero's relationship note and her template's name, Arabic nothing. test_localized_words.py reads the words our code
    writes in each language; test_background_fallback.py the marks on the background
    left in English. One build (~10 CPU-s: nine PDFs) instead of one per file."""
    return built_once(tmp_path_factory, "l10n-de-ar", _make_de_ar) / "world"


@pytest.fixture(scope="session")
def extracted_in(tmp_path_factory):
    """`extracted_in(fmt)`: the minimal project in German, tagged and extracted with
    `--format fmt`, made once per test run for each format and shared by the workers
    (test_translator_notes.py `_extracted` copies it for a test; seven tests in two files
    ran the same `tag` and `extract` each)."""
    def template(fmt: str) -> Path:
        def make(folder: Path) -> None:
            root = write_project(folder / "world")
            with open(root / "foundry.toml", "a", encoding="utf-8") as out:
                out.write('\n[l10n]\nlanguages = ["de"]\n')
            assert foundry("l10n", "tag", "--project", str(root)).code == 0
            run = foundry("l10n", "extract", "--format", fmt, "--project", str(root))
            assert run.code == 0, run.stderr
        return built_once(tmp_path_factory, f"l10n-extracted-{fmt}", make) / "world"
    return template
