"""The parse table is read and MAC-checked by every build (load/cache.py `preloaded`),
and every key in it starts with the tag of the foundry that made the row (its version
and code): a changed foundry (a new release, changed code) never finds the old one's
rows, and reads none of them. The rows of the last two writers are kept, so a writer
switching between two installs (a release and a dev checkout) parses nothing again on
each switch (edit14 deleted every other writer's rows); a third writer's arrival
deletes the oldest one's (docs/performance.md, edit14 and fix16b)."""

from __future__ import annotations

import sqlite3

from support import foundry, private_foundry


def _rows(world) -> dict[str, int]:
    """Rows of the parse table by the writer tag their key starts with."""
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    try:
        return dict(db.execute("SELECT substr(key, 1, 16), count(*) FROM parsed GROUP BY 1"))
    finally:
        db.close()


def test_two_foundries_switching_keep_their_parse_rows_and_a_third_drops_the_oldest(tmp_path):
    tool, world, env = private_foundry(tmp_path)   # its code can change between two builds
    module = tool / "pipeline/load/yaml.py"
    original = module.read_text(encoding="utf-8")

    def build(code: str) -> dict:
        module.write_text(code, encoding="utf-8")
        run = foundry("build", "--project", str(world), "--only", "json", "--format", "json", cwd=tool, env=env)
        assert run.code == 0, run.stderr
        return run.json()["build"]

    first = build(original)
    alone = _rows(world)
    assert len(alone) == 1 and first["counts"]["parsed_from_cache"] == 0
    (release,) = alone
    assert build(original)["written"] == [] and _rows(world) == alone   # a no-op keeps them all

    # the same version, different code (a dev checkout): none of the release's rows can be
    # found, so it parses everything once, and the release's rows stay
    dev = build(original + "\n# a changed line\n")
    assert "api/v1/manifest.json" in dev["written"] and dev["counts"]["parsed_from_cache"] == 0
    both = _rows(world)
    assert len(both) == 2 and both[release] == alone[release]
    # back to the release: everything is found (before: parsed again, the dev rows deleted)
    back = build(original)
    assert back["counts"]["parsed_from_cache"] >= alone[release] // 2 and _rows(world) == both
    # back to the dev checkout: found too
    assert build(original + "\n# a changed line\n")["counts"]["parsed_from_cache"] > 0 and _rows(world) == both

    # a third foundry: the release (the least recent writer) goes, the dev checkout stays
    build(original + "\n# another change\n")
    third = _rows(world)
    assert len(third) == 2 and release not in third and set(both) - {release} <= set(third)
