"""A project that starts or stops being translated between two builds: the base
language's ink carries a `# line:` tag per line exactly when `[l10n] languages` names a
language to translate into (docs/localization.md), so an incremental build after that
edit of foundry.toml must hold a clean build's bytes. The base-language ink script read
nothing of foundry.toml, and was kept as the last build wrote it: without its line ids
after `languages` was added, with them after it was taken away."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine_steps import output_bytes, run, same_as_clean
from support import ROOTS

OUTPUTS = ["ink", "twee"]
LANGUAGES = '\n[l10n]\nlanguages = ["de"]\n'


@pytest.mark.parametrize("direction", ["added", "removed"])
def test_base_language_script_follows_languages(tmp_path: Path, direction: str) -> None:
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    toml = world / "foundry.toml"
    plain = toml.read_text(encoding="utf-8")
    if direction == "removed":
        toml.write_text(plain + LANGUAGES, encoding="utf-8")
    run(world, OUTPUTS)
    before = output_bytes(world)
    toml.write_text(plain + LANGUAGES if direction == "added" else plain, encoding="utf-8")
    run(world, OUTPUTS)
    ink = [rel for rel in before if rel.startswith("ink/") and rel.count("/") == 1]
    assert ink, sorted(before)
    tagged = [b"# line: " in output_bytes(world)[rel] for rel in ink]
    assert tagged == [direction == "added"] * len(ink)
    same_as_clean(world, tmp_path, outputs=OUTPUTS)
