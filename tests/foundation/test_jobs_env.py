"""FOUNDRY_JOBS is checked as --jobs is: its readers (load/workers.py, render/pool.py)
took 'abc', '0' or ' 2' as unset without a word, and any count at all where --jobs
takes 1 to 256."""

from __future__ import annotations

import pytest

from support import foundry


@pytest.mark.parametrize("value", ["abc", "0", " 2", "-1", "257", "9" * 30])
def test_a_malformed_foundry_jobs_stops_every_command(project_factory, value):
    root = project_factory()
    for verb in (["build", "--only", "json"], ["check"]):
        run = foundry(*verb, "--project", str(root), env={"FOUNDRY_JOBS": value})
        assert run.code == 2, run.stderr
        assert "FOUNDRY_JOBS must be a number of worker processes from 1 to 256" in run.stderr
        assert len(run.stderr) < 400
    assert not (root / "build").exists()


@pytest.mark.parametrize("value", ["", "1", "256"])
def test_foundry_jobs_in_range_or_empty_builds(project_factory, value):
    root = project_factory()
    assert foundry("build", "--only", "json", "--project", str(root), env={"FOUNDRY_JOBS": value}).code == 0


def test_a_long_foundry_jobs_is_quoted_cut_between_whole_characters(project_factory):
    """The value was echoed cut at 20 code points: `क्षत्रिय` three times ended
    `…क्षत…`, the conjunct `त्रि` cut to a bare `त` (another word). Cut between whole
    characters, as every message's clip is."""
    root = project_factory()
    value = "क्षत्रिय" * 3
    run = foundry("check", "--project", str(root), env={"FOUNDRY_JOBS": value})
    assert run.code == 2, run.stderr
    shown = run.stderr.split("not '", 1)[1].split("'", 1)[0]
    assert shown == "क्षत्रिय" * 2 + "क्ष…", shown


def test_a_foundry_jobs_of_lines_is_quoted_without_an_escape_cut_in_two(project_factory):
    """A value of several lines is quoted with each line end as `\\n`; clip cut after
    escaping, so `8\\n` twelve times ended `8\\…`: half an escape, a backslash the reader
    takes for typed. Now the cut is between what was typed (a line end whole, CRLF one)."""
    root = project_factory()
    for value, expected in (("8\n" * 12, "8\\n" * 6 + "8…"), ("8\r\n" * 12, "8\\u000d\\n" * 5 + "…")):
        run = foundry("check", "--project", str(root), env={"FOUNDRY_JOBS": value})
        assert run.code == 2, run.stderr
        shown = run.stderr.split("not '", 1)[1].split("'; ", 1)[0]
        assert shown == expected, shown
