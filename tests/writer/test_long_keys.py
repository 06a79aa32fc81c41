"""A key longer than YAML's 1,024 characters (a long line pasted without its
indentation, whose `: ` comes late) was "line 13 has no `:` after its key" — on a line
that has one. The message says what YAML refused, in the writer's words."""

from __future__ import annotations

from support import foundry


def test_a_key_past_yaml_s_limit_is_named_as_too_long(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    line = len(text.splitlines()) + 1
    hero.write_text(text + "The marsh " * 110 + ": and then some\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    [found] = run.json()["diagnostics"]
    assert (found["code"], found["line"], found["column"]) == ("HF0101", line, 1)
    assert "is 1,100 characters long; YAML reads at most 1,024" in found["message"]
    assert "no `:`" not in found["message"]
