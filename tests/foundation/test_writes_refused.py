"""Every command that writes into the project follows one rule (commands/project_write.py):
never over or through a symbolic link, never over a FIFO, socket or device, never over a
user's file unasked. A refusal is HF0165 at the path; the other files are still written;
what was there is exactly as it was."""

from __future__ import annotations

import os
import stat

from support import foundry, write_project

PO = "translations/de/content/heroes/first-hero.yaml.po"
PO_FR = "translations/fr/content/heroes/first-hero.yaml.po"


def localized(tmp_path):
    root = write_project(tmp_path / "world")
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de", "fr"]\n')
    return root


def is_fifo(path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


def test_l10n_extract_never_replaces_a_fifo_or_a_link(tmp_path):
    root = localized(tmp_path)
    (root / PO).parent.mkdir(parents=True)
    os.mkfifo(root / PO)
    (root / "notes").mkdir()
    (root / "notes/fr.po").write_text("# my own notes\n")
    (root / PO_FR).parent.mkdir(parents=True)
    os.symlink(os.path.relpath(root / "notes/fr.po", (root / PO_FR).parent), root / PO_FR)
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 2, run.stdout + run.stderr
    assert f"error HF0165 {PO} is a named pipe (FIFO), not a file: foundry does not write over it" in run.stderr
    assert f"error HF0165 {PO_FR} is a symbolic link: foundry writes nothing over one" in run.stderr
    assert is_fifo(root / PO) and os.path.islink(root / PO_FR)
    assert (root / "notes/fr.po").read_text() == "# my own notes\n"
    # the other source files' translations are written
    assert (root / "translations/de/content/stories/first-story.md.po").is_file()
    assert "Traceback" not in run.stderr


def test_l10n_extract_never_writes_through_a_language_folder_link_inside(tmp_path):
    root = localized(tmp_path)
    (root / "translations/fr").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    os.symlink("../elsewhere", root / "translations/de")
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 2 and "HF0165 translations/de is a symbolic link: foundry writes nothing through one" \
        in run.stderr, run.stderr
    assert os.listdir(root / "elsewhere") == []
    # one link, one error: it refused each of the project's translation files (one
    # HF0165 per file, each naming the same link), now said once with how many
    refusals = [line for line in run.stderr.splitlines() if "HF0165" in line]
    assert len(refusals) == 1 and "other files under it)" in refusals[0], run.stderr


def test_l10n_tag_never_replaces_a_linked_content_file(tmp_path):
    root = write_project(tmp_path / "world")
    (root / "drafts").mkdir()
    os.replace(root / "content/stories/first-story.md", root / "drafts/first-story.md")
    os.symlink("../../drafts/first-story.md", root / "content/stories/first-story.md")
    before = (root / "drafts/first-story.md").read_bytes()
    run = foundry("l10n", "tag", "--project", str(root))
    assert run.code == 2 and "HF0165 content/stories/first-story.md is a symbolic link" in run.stderr, run.stderr
    assert os.path.islink(root / "content/stories/first-story.md")
    assert (root / "drafts/first-story.md").read_bytes() == before


def test_new_and_import_never_write_over_a_fifo_or_a_link(tmp_path):
    root = write_project(tmp_path / "world")
    os.mkfifo(root / "content/heroes/zed.yaml")
    run = foundry("new", "hero", "zed", "--project", str(root))
    assert run.code == 2 and "HF0165 content/heroes/zed.yaml is a named pipe (FIFO)" in run.stderr, run.stderr
    assert is_fifo(root / "content/heroes/zed.yaml")
    os.symlink("renamed.md", root / "content/stories/zed.md")   # a link to nothing yet
    run = foundry("new", "story", "zed", "--project", str(root))
    assert run.code == 2 and "HF0165 content/stories/zed.md is a symbolic link" in run.stderr, run.stderr
    assert not os.path.lexists(root / "content/stories/renamed.md")
    source = tmp_path / "zed.twee"
    source.write_text(":: Start\nHello.\n", encoding="utf-8")
    run = foundry("import", "twine", str(source), "--id", "zed", "--project", str(root), "--format", "json")
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0165"], run.stdout
    assert not os.path.lexists(root / "content/stories/renamed.md")
    # a folder link inside the project: nothing written through it either
    (root / "drafts").mkdir()
    os.rename(root / "content/stories", root / "drafts/stories")
    os.symlink("../drafts/stories", root / "content/stories")
    run = foundry("import", "twine", str(source), "--id", "fresh", "--project", str(root), "--format", "json")
    assert run.code == 2 and run.json()["diagnostics"][0]["file"] == "content/stories"
    assert not os.path.lexists(root / "drafts/stories/fresh.md")


def test_codeowners_never_replaces_a_link_even_with_force(tmp_path):
    root = write_project(tmp_path / "world")
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[owners]\n"content/" = ["@writers"]\n')
    (root / ".github").mkdir()
    (root / "OWNERS.txt").write_text("my own rules\n")
    os.symlink("../OWNERS.txt", root / ".github/CODEOWNERS")
    run = foundry("codeowners", "--force", "--project", str(root))
    assert run.code == 2 and "HF0165 .github/CODEOWNERS is a symbolic link" in run.stderr, run.stdout + run.stderr
    assert os.path.islink(root / ".github/CODEOWNERS") and (root / "OWNERS.txt").read_text() == "my own rules\n"
    os.unlink(root / ".github/CODEOWNERS")
    assert foundry("codeowners", "--project", str(root)).code == 0
    assert "@writers" in (root / ".github/CODEOWNERS").read_text()
