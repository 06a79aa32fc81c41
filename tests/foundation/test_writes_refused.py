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


def _limited(root, *args: str):
    """`foundry ARGS` in `root` with a file-size limit of one byte: every write fails
    as on a full disk (EFBIG, like ENOSPC, names no file)."""
    import resource
    import subprocess
    import sys

    from support import REPO
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "--project", str(root)], cwd=REPO,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"},
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1)))


def test_a_full_disk_is_said_at_the_file_asked_for(tmp_path):
    """`foundry new hero` on a full disk was 'internal error (OSError)' (a write names no
    file, taken for foundry's bug), and writing the crash report failed too, printing
    Python's traceback; a read-only folder was said at `.k2.yaml.foundry-<pid>.tmp`.
    Now one line at the file the writer asked for, exit 2, nothing left behind; a
    diagnostic with its code and hint (HF0166), where it was a line with neither (fuzz31)."""
    root = write_project(tmp_path / "world")
    before = sorted(p.name for p in (root / "content/heroes").iterdir())
    run = _limited(root, "new", "hero", "kestrel")
    assert run.returncode == 2 and "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert run.stderr == (f"{root}/content/heroes/kestrel.yaml: error HF0166 foundry cannot use this path: "
                          "File too large\n    hint: Free disk space or raise the file-size limit (ulimit -f), then "
                          "run the command again.\n1 error, 0 warnings.\n")
    assert sorted(p.name for p in (root / "content/heroes").iterdir()) == before


def test_a_crash_report_that_cannot_be_written_says_so(tmp_path):
    """The report of a crash never crashes itself: on a full disk it says where it is not."""
    import resource
    import subprocess
    import sys

    from support import REPO
    code = ("from pipeline.cli import crash_report\ntry:\n    raise ValueError('x')\n"
            "except ValueError:\n    print(crash_report())\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)},
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1)))
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert run.stdout.startswith(str(tmp_path)) and run.stdout.rstrip().endswith(", in part (File too large)")


def test_a_read_only_project_is_said_as_such(tmp_path):
    """A project on a read-only mount: `build` said HF0713 'another build is running'
    (the lock file could not be made) with a hint to wait for it, and `new hero` named
    the temporary file it could not make. The build says it cannot write build/ (HF0714,
    exit 2), `new` the file asked for. Needs a mount namespace (root, `unshare -m`)."""
    import shutil
    import subprocess
    import sys

    import pytest
    from support import REPO
    root = write_project(tmp_path / "world")
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespace here (unshare -m): a read-only mount cannot be made")
    foundry_cmd = f"{sys.executable} -m pipeline"
    script = (f'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" || exit 99\n'
              f'{foundry_cmd} build --only json --format json --project "$1"; echo "build=$?" >&2\n'
              f'{foundry_cmd} new hero kestrel --project "$1"; echo "new=$?" >&2\n')
    run = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(root)], cwd=REPO, capture_output=True,
                         text=True, timeout=600,
                         env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"})
    if "build=" not in run.stderr:
        pytest.skip(f"a read-only bind mount could not be made: {run.stderr[-200:]}")
    import json
    found = json.loads(run.stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["HF0714"] and "Read-only file system" in found[0]["message"], found
    assert "build=2" in run.stderr and "new=2" in run.stderr, run.stderr
    assert f"{root}/content/heroes/kestrel.yaml: error HF0166 foundry cannot use this path: Read-only file system" \
        in run.stderr
    assert "internal error" not in run.stderr and ".tmp" not in run.stderr


def test_a_disk_error_is_a_diagnostic_in_json_too(tmp_path):
    """`foundry import … --format json` on a full disk printed its one line on stderr and
    nothing a script could read; the diagnostic is in the JSON now, as every other."""
    import json
    root = write_project(tmp_path / "world")
    source = root / "cave.twee"
    source.write_text(":: Start\nHello. [[End]]\n\n:: End\nThe end.\n", encoding="utf-8")
    run = _limited(root, "import", "twine", str(source), "--format", "json")
    assert run.returncode == 2, run.stderr
    [found] = json.loads(run.stdout)["diagnostics"]
    assert found["code"] == "HF0166" and found["hint"] and "File too large" in found["message"], found
    assert not (root / "content/stories/cave.md").exists()
