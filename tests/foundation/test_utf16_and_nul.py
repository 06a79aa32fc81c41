"""Text that is not UTF-8 is named for what it is. A hero, rule file or foundry.toml saved
as UTF-16 (Windows Notepad's "Unicode") was "looks like a binary file" (HF0116, which
sent the writer after an image) or, for foundry.toml, Python's words ("'utf-8' codec
can't decode byte 0xff in position 0"); a stray NUL in text had no line or column."""
from __future__ import annotations

from support import ROOTS, diagnostics, foundry


def _text(rel: str) -> str:
    return (ROOTS / "minimal" / rel).read_text(encoding="utf-8")


def test_utf16_files_and_a_stray_nul_are_named(project_factory):
    hero = _text("content/heroes/first-hero.yaml")
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.encode("utf-16"),                    # with a byte-order mark
        "content/characters/old-guide.yaml": _text("content/characters/old-guide.yaml").encode("utf-16-be"),   # without
        "schemas/skills.yaml": _text("schemas/skills.yaml").encode("utf-16-le"),
        "foundry.toml": _text("foundry.toml").encode("utf-16"),
        "content/quests/first-quest.yaml": _text("content/quests/first-quest.yaml").replace("summary: ", "summary: \x00", 1).encode(),
    })
    run = foundry("check", "--format", "json", cwd=root)
    assert run.code == 1, run.stderr
    found = {(d["code"], d["file"], d["line"], d["column"]): d for d in run.json()["diagnostics"]}
    quest = next(i for i, line in enumerate(_text("content/quests/first-quest.yaml").splitlines(), 1) if line.startswith("summary: "))
    assert ("HF0116", "content/quests/first-quest.yaml", quest, 10) in found
    for path in ("content/heroes/first-hero.yaml", "content/characters/old-guide.yaml", "schemas/skills.yaml",
                 "foundry.toml"):
        d = found.get(("HF0103", path, 1, 1))   # with or without a byte-order mark (load/encoding.py)
        assert d and "UTF-16 text" in d["message"] and "UTF-8" in d["hint"], (path, found)
    assert not [d for d in run.json()["diagnostics"] if "binary" in d["message"] or "codec" in d["message"]]


def test_a_binary_file_is_still_called_binary_and_latin1_toml_is_placed(project_factory):
    root = project_factory({
        "content/heroes/first-hero.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        "foundry.toml": _text("foundry.toml").replace('title = "', 'title = "Caf\u00e9 ', 1).encode("latin-1"),
    })
    run = foundry("check", "--format", "json", cwd=root)
    line = next(i for i, text in enumerate(_text("foundry.toml").splitlines(), 1) if text.startswith("title = "))
    assert "HF0116 content/heroes/first-hero.yaml:0:0" in diagnostics(run)
    assert f"HF0103 foundry.toml:{line}:13" in diagnostics(run), diagnostics(run)
