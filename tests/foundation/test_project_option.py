"""`--project PATH` names a folder. Walking up from a PATH that is not one found the
project around it and worked there without a word: a mistyped folder, a named pipe
or a link to nothing inside a project was that project (`foundry new hero x
--project ./typo` wrote into it)."""

from __future__ import annotations

import os

from support import foundry


def test_a_project_path_that_is_not_a_folder_is_a_usage_error(tmp_path):
    root = tmp_path / "w"
    assert foundry("init", str(root)).code == 0
    os.mkfifo(root / "pipe")
    os.symlink(tmp_path / "nowhere", root / "gone")
    for path, said in ((root / "typo", "does not exist"), (root / "pipe", "is not a folder"),
                       (root / "gone", "is not a folder"), (root / "a\nb", "does not exist")):
        for verb in (["check"], ["build", "--only", "json"], ["new", "hero", "kit"], ["play", "first-story"]):
            run = foundry(*verb, "--project", str(path))
            assert run.code == 2, (verb, path, run.stderr)
            assert "--project" in run.stderr and said in run.stderr, run.stderr
    assert not (root / "content/heroes/kit.yaml").exists() and not (root / "build").exists()
    # a folder inside the project is still the project's
    assert foundry("check", "--project", str(root / "content/heroes")).code == 0
