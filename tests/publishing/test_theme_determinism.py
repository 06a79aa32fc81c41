"""A theme from a pull request cannot make a build's bytes differ from run to run, nor
an incremental build differ from a clean one (exporters/sandbox.py, html/cards.py):
the `random` filter and printing a function (whose repr holds a memory address) are
HF0703 at the template's line; a card macro that keeps state between cards (a
`namespace()` counter at the top of _macros.html, or in a module it imports) gets a
fresh module per card, and an imported module is never kept from page to page."""

from __future__ import annotations

import shutil

import pytest
from lxml import html as lxml_html

from pipeline.exporters.html import default_theme_dir
from support import foundry

CREDITS = "themes/default/templates/credits.html"
MACROS = "themes/default/templates/_macros.html"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _template(body: str) -> str:
    return '{% extends "base.html" %}\n{% block main %}\n<p>credits</p>\n' + body + "\n{% endblock %}\n"


@pytest.mark.parametrize("body, said", [
    ("{{ ['a', 'b', 'c'] | random }}", "random filter"),
    ("{{ url }}", "'url' is a function"),
    ("{{ 'at ' ~ asset }}", "is a function"),
    ("{{ '%s' % url }}", "'url' is a function"),
    ("{{ [url] | join(', ') }}", "'url' is a function"),
    # a generator printed, not iterated: `<generator object sync_do_map at 0x7f…>`
    ("{{ authors | map('upper') }}", "memory address"),
], ids=["random", "print", "concat", "percent", "join", "generator"])
def test_a_template_cannot_print_what_changes_between_runs(project_factory, body, said):
    root = project_factory({CREDITS: _template(body)})
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json", env=EPOCH)
    assert run.code == 1, run.stdout + run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert found and found[0]["file"] == CREDITS and found[0]["line"] == 4, run.stdout
    assert said in found[0]["message"] and "site/credits.html" in found[0]["message"]
    assert not (root / "build").exists()


def test_a_value_whose_text_holds_a_memory_address_is_not_printed(project_factory):
    """An index page's `items.which` is a tuple of our own dataclasses (views/site.py
    Source), whose text is theirs but holds their functions' default reprs: printed, it
    published `make=<function … at 0x7fca681d0720>`, bytes that change from run to run
    and the process's memory layout. HF0703 at the line, in check as in the build."""
    rel = "themes/default/templates/hero-index.html"
    root = project_factory({rel: '{% extends "base.html" %}\n{% block main %}\n<pre>{{ items.which }}</pre>\n'
                                 '{% endblock %}\n'})
    run = foundry("check", "--project", str(root), "--format", "json", env=EPOCH)
    assert run.code == 1, run.stdout + run.stderr
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert [(d["file"], d["line"]) for d in found] == [(rel, 3)], run.stdout
    assert "memory address" in found[0]["message"] and "site/heroes/index.html" in found[0]["message"]


def test_the_call_a_printed_function_is_shown_builds(project_factory):
    """The message's example call, copied into the template, builds: it was
    `url('heroes/index.html')`, a path url() does not take (HF0701 next) (h8)."""
    import re
    root = project_factory({CREDITS: _template('<a href="{{ url }}">heroes</a>')})
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json", env=EPOCH)
    [said] = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    call = re.search(r"as in (\{\{ .*? \}\})", said).group(1)
    (root / CREDITS).write_text(_template(f'<a href="{call}">heroes</a>'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html", env=EPOCH)
    assert run.code == 0, run.stderr


STATE = '{% set counter = namespace(n=0) %}{% macro bump() %}{% set counter.n = counter.n + 1 %}{{ counter.n }}{% endmacro %}\n'


def _counting_macros(where: str) -> dict[str, str]:
    """The shipped _macros.html with a counter printed by each card: kept at its own top
    ("top"), or in a module it imports by name without context ("import"), which
    Jinja used to keep for the whole process, from page to page."""
    text = (default_theme_dir() / "templates/_macros.html").read_text()
    marker = '<div class="card-body">'
    assert marker in text
    if where == "top":
        return {MACROS: "{% set counter = namespace(n=0) %}\n" + text.replace(
            marker, marker + '{% set counter.n = counter.n + 1 %}<i class="drawn">{{ counter.n }}</i>', 1)}
    return {"themes/default/templates/_state.html": STATE,
            MACROS: '{% from "_state.html" import bump %}\n' + text.replace(
                marker, marker + '<i class="drawn">{{ bump() }}</i>', 1)}


def _site(root) -> dict[str, bytes]:
    base = root / "build/site"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("where", ["top", "import"])
def test_a_card_macro_with_state_draws_the_same_cards_as_a_clean_build(project_factory, tmp_path, where):
    root = project_factory({**_counting_macros(where),
                            "content/heroes/wren.yaml": "name: Wren Hale\ntitle: Reed Cutter\nstatus: draft\n"
                                                        "xp: 0\nbackground: Cuts reeds for the thatchers.\n"})
    assert foundry("build", "--project", str(root), "--only", "html", env=EPOCH).code == 0
    hero = root / "content/heroes/wren.yaml"
    hero.write_text(hero.read_text().replace("Reed Cutter", "Reed Gatherer"))
    again = foundry("build", "--project", str(root), "--only", "html", env=EPOCH)
    assert again.code == 0, again.stderr

    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", ".foundry-*"))
    assert foundry("build", "--project", str(fresh), "--only", "html", env=EPOCH).code == 0
    page = lxml_html.fromstring((root / "build/site/heroes/index.html").read_bytes())
    assert "Reed Gatherer" in page.text_content()
    assert page.xpath("//i[@class='drawn']/text()") == ["1", "1"]   # each card drawn as if alone
    home = lxml_html.fromstring((root / "build/site/index.html").read_bytes())
    assert set(home.xpath("//i[@class='drawn']/text()")) == {"1"}   # and on every page
    assert _site(root) == _site(fresh)
