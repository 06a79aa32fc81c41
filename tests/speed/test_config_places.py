"""foundry.toml's places are read once per version of the file (load/project.py
`config_places`), not once per finding (fuzz29).

Each HF0205 about a setting or an [owners] pattern found its line by reading
foundry.toml again and scanning it from the top: a foundry.toml of 40,000 unknown
keys or patterns, which its 2 MiB budget allows, kept `check` busy for an hour (the
cost grew with the square of the file). Each finding is still said at its own line
and column; the file is read a few times, whatever it holds. Times live in
benchmarks/, never here."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.load import project as project_module
from support import ROOTS, counted_calls, foundry

N = 300


def _config(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8")
    assert "[build]\n" in text and "[owners]" not in text and "[teams]" not in text
    text = text.replace("[build]\n", "[build]\n" + "".join(f"k{i} = 1\n" for i in range(N)), 1)
    text += '\n[teams]\nw = ["@o/w"]\n\n[owners]\n' + "".join(f'"content/x{i} y" = ["w"]\n' for i in range(N))
    config.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    return root, {f"k{i}": lines.index(f"k{i} = 1") + 1 for i in range(N)}, \
        {f"content/x{i} y": lines.index(f'"content/x{i} y" = ["w"]') + 1 for i in range(N)}


def test_every_setting_and_pattern_is_said_at_its_line(tmp_path):
    root, settings, patterns = _config(tmp_path)
    diags = Diagnostics()
    check(root, diags)
    said = [d for d in diags.items if d.code == "HF0205"]
    unknown = {d.message.split("'")[1].removeprefix("build."): (d.span.line, d.span.column)
               for d in said if d.message.startswith("unknown setting")}
    owned = {d.message.split("'")[1]: (d.span.line, d.span.column) for d in said if d.message.startswith("[owners]")}
    assert unknown == {key: (line, 1) for key, line in settings.items()}
    assert owned == {key: (line, 1) for key, line in patterns.items()}
    # the report shows the first 100 of them at their lines, then one line for the rest
    # (diagnostics.said), and counts them all
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout[-800:]
    shown = [d for d in run.json()["diagnostics"] if d["code"] == "HF0205"]
    assert [(d["line"], d["column"]) for d in shown[:100]] == [(settings[f"k{i}"], 1) for i in range(100)]
    assert shown[100]["message"] == f"and {2 * N - 100:,} more like the 100 above in this file, from here on"
    assert shown[100]["line"] == settings["k100"] and len(shown) == 101


def test_foundry_toml_is_read_a_few_times_whatever_it_holds(tmp_path, monkeypatch):
    root, _, _ = _config(tmp_path)
    reads = counted_calls(monkeypatch, project_module, "config_text")
    diags = Diagnostics()
    check(root, diags)
    assert len([d for d in diags.items if d.code == "HF0205"]) >= 2 * N
    assert len(reads) < 10, len(reads)   # was one per finding, 2 × N
