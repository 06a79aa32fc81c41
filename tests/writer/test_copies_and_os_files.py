"""Files a writer's operating system, file manager or sync tool leaves in content/.

macOS writes `._first-hero.yaml` (AppleDouble) beside a file on a USB stick, a share or
in a zip; Windows Explorer writes `Thumbs.db` and `desktop.ini`. The first was HF0113
with the hint to rename it `first-hero-2.yaml` (followed: a second hero), the others
HF0105 "Files pages show go in content/assets/". They are skipped as editors' files are.
A copy named by Dropbox, Syncthing, Explorer, Finder or a download (`first-story
(conflicted copy).md`, `first-hero - Copy.yaml`) was told to be renamed, which published
it beside its original; the hint now offers to fold it into that file first."""

from __future__ import annotations

import pytest

from support import foundry

APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 40


def _said(root):
    run = foundry("check", "--project", str(root), "--format", "json")
    return run, run.json()["diagnostics"]


def test_operating_system_files_in_content_are_skipped(project_factory):
    root = project_factory({
        "content/heroes/._first-hero.yaml": APPLEDOUBLE,
        "content/stories/._first-story.md": APPLEDOUBLE,
        "content/heroes/Thumbs.db": b"\xd0\xcf\x11\xe0" + b"\x00" * 60,
        "content/stories/desktop.ini": "[.ShellClassInfo]\r\nIconResource=C:\\x.ico,0\r\n",
        "content/.directory": "[Desktop Entry]\nIcon=folder-green\n",
    })
    run, said = _said(root)
    assert run.code == 0 and said == [], said


@pytest.mark.parametrize("copy", ["first-story (conflicted copy).md", "first-story (Kes's conflicted copy 2024-05-01).md",
                                  "first-story.sync-conflict-20240501-120000-ABCDEFG.md", "first-story - Copy.md",
                                  "first-story copy 2.md", "first-story (1).md", "first-story (another copy).md"])
def test_a_copy_a_sync_tool_or_file_manager_names_is_told_as_a_copy(project_factory, copy):
    root = project_factory()
    original = root / "content/stories/first-story.md"
    (root / "content/stories" / copy).write_bytes(original.read_bytes())
    run, said = _said(root)
    assert [(d["code"], d["file"]) for d in said] == [("HF0113", f"content/stories/{copy}")], said
    assert said[0]["hint"].startswith("If it is a copy of first-story.md (a sync tool or file manager names copies "
                                      "so), keep what you want of it in that file and delete the copy; if it is a "
                                      "story of its own, rename it to '"), said
    (root / "content/stories" / copy).unlink()   # followed: its words kept in first-story.md
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_name_that_is_no_copy_is_told_to_be_renamed(project_factory):
    root = project_factory()
    (root / "content/stories/Chapter Two.md").write_bytes((root / "content/stories/first-story.md").read_bytes())
    run, said = _said(root)
    assert [(d["code"], d["hint"]) for d in said if d["code"] == "HF0113"] == [
        ("HF0113", "Rename it to 'chapter-two.md'.")], said


def test_a_copy_like_name_with_no_original_beside_it_is_told_to_be_renamed(project_factory):
    """`notes (1).md` and `report - Copy.yaml` named so on purpose, with no notes.md or
    report.yaml beside them, were told 'If it is a copy of notes.md … keep what you want
    of it in that file': a file that is not there. Told to be renamed; followed, clean."""
    root = project_factory()
    story = (root / "content/stories/first-story.md").read_text(encoding="utf-8")
    (root / "content/stories/notes (1).md").write_text(story.replace("title: The Fog Road", "title: Notes"),
                                                       encoding="utf-8")
    run, said = _said(root)
    assert [(d["code"], d["hint"]) for d in said if d["code"] == "HF0113"] == [
        ("HF0113", "Rename it to 'notes-1.md'.")], said
    (root / "content/stories/notes (1).md").rename(root / "content/stories/notes-1.md")
    run, said = _said(root)
    assert run.code == 0 and said == [], said
