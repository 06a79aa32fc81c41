"""SOURCE_DATE_EPOCH is read in one place (pipeline/epoch.py). A malformed value was
silently the same as unset in three readers (`abc`, ` 17`, `-5`, `1.5`), and one past
the year 9999 ended in "internal error (OverflowError)". Reproducible builds ask a
malformed value to stop the build: a usage error (exit 2) before anything runs."""

from __future__ import annotations

import pytest

from support import foundry


@pytest.mark.parametrize("value", ["abc", " 17", "-5", "1.5", "99999999999999999999", "9" * 5000])
def test_a_malformed_source_date_epoch_stops_every_command(project_factory, value):
    root = project_factory()
    for verb in (["build", "--only", "json"], ["check"]):
        run = foundry(*verb, "--project", str(root), env={"SOURCE_DATE_EPOCH": value})
        assert run.code == 2, run.stderr
        assert "internal error" not in run.stderr and "SOURCE_DATE_EPOCH" in run.stderr
        assert len(run.stderr) < 400
    assert not (root / "build").exists()


def test_an_empty_source_date_epoch_is_unset(project_factory):
    root = project_factory()
    run = foundry("build", "--only", "json", "--project", str(root), env={"SOURCE_DATE_EPOCH": ""})
    assert run.code == 0, run.stderr


@pytest.mark.parametrize("value", ["0", "4354819199", "253402300799"])
def test_every_date_the_cli_takes_builds_the_books(project_factory, value):
    """0 (before zip's 1980) to 9999-12-31: past 2107 (a zip date's last year) the EPUB's
    zip stamp was 'internal error (struct.error)'; it is held at 2107-12-31."""
    import zipfile
    root = project_factory()
    run = foundry("build", "--only", "epub", "--project", str(root), env={"SOURCE_DATE_EPOCH": value})
    assert run.code == 0, run.stderr
    [book, *_] = sorted((root / "build/epub").rglob("*.epub"))
    years = {info.date_time[0] for info in zipfile.ZipFile(book).infolist()}
    assert years == {1980 if value == "0" else 2107}
    if value == "253402300799":
        assert b"9999-12-31T23:59:59Z" in zipfile.ZipFile(book).read("EPUB/content.opf")
