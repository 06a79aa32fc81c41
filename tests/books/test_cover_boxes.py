"""An EPUB cover drawn with a character no font has showed an empty box, silently.
Now HF0752 says so, once, at the file the title comes from. U+0378 is an unassigned
code point: no font on any machine draws it, so the test means the same everywhere."""

from __future__ import annotations

import shutil
import zipfile

from support import ROOTS, diagnostics, foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def test_a_cover_no_font_can_draw_is_a_warning_once(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0 and diagnostics(run) == []    # a cover every character of which is drawn: nothing said
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road \u0378", 1),
                     encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:   # two editions, one cover title
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    found = [d for d in run.json()["diagnostics"] if d["code"] != "HF1105"]   # HF1105: German not translated
    assert [(d["code"], d["severity"], d["file"]) for d in found] == \
        [("HF0752", "warning", "content/stories/first-story.md")]
    assert "U+0378" in found[0]["message"]
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:   # the book is still made
        assert any(name.endswith(".png") for name in book.namelist())
