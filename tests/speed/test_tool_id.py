"""A changed foundry never reuses what the old one made: its code is part of the no-op
fingerprint, of every artifact's recipe and of every cache key (pipeline/toolid.py)."""

from __future__ import annotations


from support import foundry, private_foundry


def test_a_code_change_rebuilds_what_a_version_alone_would_keep(tmp_path):
    tool, world, env = private_foundry(tmp_path)   # its code can change between two builds

    first = foundry("build", "--project", str(world), "--only", "json", "--format", "json", cwd=tool, env=env)
    assert first.code == 0, first.stderr
    again = foundry("build", "--project", str(world), "--only", "json", "--format", "json", cwd=tool, env=env)
    assert again.code == 0 and again.json()["build"]["written"] == [], again.stdout

    # the same version, different code (a fix in an exporter, say)
    exporter = tool / "pipeline/exporters/json_api/exporter.py"
    exporter.write_text(exporter.read_text(encoding="utf-8") + "\n# a changed line\n", encoding="utf-8")
    changed = foundry("build", "--project", str(world), "--only", "json", "--format", "json", cwd=tool, env=env)
    assert changed.code == 0, changed.stderr
    assert "api/v1/manifest.json" in changed.json()["build"]["written"]
