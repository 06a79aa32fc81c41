"""`foundry check` compiles the project theme's own templates: a template that does not
compile is HF0703 at its line with the name meant, as check says it, not only when a
build renders a page drawn with it ("No filter named 'uppr'. (while making
site/heroes/first-hero.html)" after check said "No problems found")."""

from __future__ import annotations

import pytest

from support import REPO, foundry

HERO = "themes/mine/templates/hero.html"


@pytest.mark.parametrize("old, new, says, hint", [
    ("{{ xp }}", "{{ xp | uppr }}", "No filter named 'uppr'", "did you mean 'upper'?"),
    ("{% endif %}</li>", "{% endfi %}</li>", "unknown tag 'endfi'", "did you mean 'endif'?"),
    ("{% if tags %}", "{% if tags is iterabel %}", "No test named 'iterabel'", "did you mean 'iterable'?"),
])
def test_a_template_that_does_not_compile_is_found_by_check(project_factory, old, new, says, hint):
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / HERO).parent.mkdir(parents=True)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    assert old in text
    (root / HERO).write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert [(d["file"], d["line"]) for d in found] == [(HERO, line)], found
    assert says in found[0]["message"] and found[0]["hint"] == hint, found
    assert run.code == 1
    # the build says it once, the same way, and writes nothing
    built = foundry("build", "--only", "html", "--project", str(root))
    assert built.code == 1 and built.stderr.count("HF0703") == 1, built.stderr
    assert not (root / "build").exists()


def test_a_print_template_that_does_not_compile_is_found_by_check(project_factory):
    """The print theme's own templates too (themes/<name>/print/templates/): the books'
    render named it only when a PDF or EPUB was built."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    own = root / "themes/mine/print/templates/base.html.j2"
    own.parent.mkdir(parents=True)
    text = (REPO / "themes/default/print/templates/base.html.j2").read_text(encoding="utf-8")
    assert "{% endif %}" in text
    own.write_text(text.replace("{% endif %}", "{% endiff %}", 1), encoding="utf-8")
    line = text[: text.index("{% endif %}")].count("\n") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert [(d["file"], d["line"], d["hint"]) for d in found] == \
        [("themes/mine/print/templates/base.html.j2", line, "did you mean 'endif'?")], found
    assert run.code == 1
