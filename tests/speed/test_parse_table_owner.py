"""The parse table is read and MAC-checked whole by every build (load/cache.py
`preloaded`), and every key in it holds the id of the foundry that made the row: a
changed foundry (a new release, changed code) starts it empty instead of reading the
old one's rows, which it can never find, on every build after (docs/performance.md,
edit14)."""

from __future__ import annotations

import sqlite3

from support import foundry, private_foundry


def _rows(world) -> int:
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    try:
        return db.execute("SELECT count(*) FROM parsed").fetchone()[0]
    finally:
        db.close()


def test_a_changed_foundry_does_not_keep_the_old_ones_parse_rows(tmp_path):
    tool, world, env = private_foundry(tmp_path)   # its code can change between two builds

    def build(*args: str) -> dict:
        run = foundry("build", "--project", str(world), "--only", "json", "--format", "json", *args, cwd=tool, env=env)
        assert run.code == 0, run.stderr
        return run.json()["build"]

    build()
    alone = _rows(world)
    assert alone > 0
    assert build()["written"] == [] and _rows(world) == alone   # a no-op keeps them all

    # the same version, different code: none of the old rows can be found again
    module = tool / "pipeline/load/yaml.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a changed line\n", encoding="utf-8")
    changed = build()
    assert "api/v1/manifest.json" in changed["written"]
    assert _rows(world) == alone   # this foundry's rows only, as a first build leaves them

