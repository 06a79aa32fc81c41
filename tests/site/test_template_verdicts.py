"""Check and build give one verdict on a project theme's template, from the template as
written, not from which pages this content happens to draw: a name read only in a
branch no page renders (`{% if false %}{{ levl }}{% endif %}`, a macro nobody calls)
and a template no page draws that does not compile are HF0703 at `foundry check` and
stop `foundry build` of the site the same way (docs/errors.md HF0703 says why); a build
of outputs drawn with no theme (JSON, ink, Twee) is not stopped by the site's templates.
A template no page draws says so in its hint: the writer learns a leftover is what
stops the build."""

from __future__ import annotations

from support import REPO, foundry

THEME = "themes/mine/templates"
HERO = f"{THEME}/hero.html"
UNUSED_NOTE = "No page draws _old.html"


def _theme(root, files: dict[str, str]) -> None:
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / THEME).mkdir(parents=True)
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")


def _verdicts(root) -> list:
    """(exit status, [(file, line, message, hint) of each HF0703]) of check and of a
    build of the site; neither writes build/. A build of outputs no theme draws (`--only
    json,ink`) is not stopped by the site's theme: it builds, HF0703 unsaid (it was
    stopped by a template the JSON API never reads)."""
    out = []
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        out.append((run.code, [(d["file"], d["line"], d["message"], d["hint"])
                               for d in run.json()["diagnostics"] if d["code"] == "HF0703"]))
    assert not (root / "build").exists()
    other = foundry("build", "--only", "json,ink", "--project", str(root), "--format", "json")
    assert other.code == 0 and not [d for d in other.json()["diagnostics"] if d["code"] == "HF0703"], other.stdout
    assert (root / "build/api/v1/heroes.json").is_file()
    return out


def test_what_no_page_renders_is_judged_as_written_by_check_and_build(project_factory):
    root = project_factory()
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    old = "{{ xp }}"
    line = text[: text.index(old)].count("\n") + 1
    dead = old + "{% if false %}{{ levl }}{% endif %}\n{% macro never() %}{{ lvel }}{% endmacro %}"
    _theme(root, {HERO: text.replace(old, dead, 1), f"{THEME}/_old.html": "{% macro x() %}\n{{ 1 + }}\n{% endmacro %}\n"})
    check, html = _verdicts(root)
    assert check == html
    code, found = check
    assert code == 1
    assert [(f, n, m) for f, n, m, _ in found] == [
        (f"{THEME}/_old.html", 2, "unexpected 'end of print statement'"),
        (HERO, line, "'levl' is not a name hero.html receives"),
        (HERO, line + 1, "'lvel' is not a name hero.html receives")]
    assert UNUSED_NOTE in found[0][3] and "delete it" in found[0][3]


def test_a_drawn_template_that_does_not_compile_is_not_called_unused(project_factory):
    root = project_factory()
    macros = (REPO / "themes/default/templates/_macros.html").read_text(encoding="utf-8")
    _theme(root, {f"{THEME}/_macros.html": '{% import "_old.html" as old %}' + macros,
                  f"{THEME}/_old.html": "{% macro x() %}\n{{ 1 + }}\n{% endmacro %}\n"})
    check, html = _verdicts(root)
    assert check == html
    code, found = check
    assert code == 1 and [(f, n) for f, n, *_ in found] == [(f"{THEME}/_old.html", 2)]
    assert UNUSED_NOTE not in found[0][3]
