"""`foundry check` finds a name a project theme's page template reads that its page does
not give it (`{{ levl }}` in hero.html): HF0703 at its line with the name meant, where
only a build rendering a hero page failed (StrictUndefined). With no name near it, the
hint lists the names the page receives: it pointed at docs/themes.md, of which a theme
ejected from the wheel (`foundry theme eject`) has no copy."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.pages import page_view, plan_pages
from pipeline.exporters.html.template_names import COMMON_NAMES, PAGE_NAMES
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import REPO, ROOTS, foundry

HERO = "themes/mine/templates/hero.html"


def _own_theme(root):
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / HERO).parent.mkdir(parents=True)


def test_a_name_the_page_does_not_give_is_found_by_check(project_factory):
    root = project_factory()
    _own_theme(root)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    old = "{{ xp }}"
    assert old in text
    (root / HERO).write_text(text.replace(old, "{% if levl is defined %}{{ levl }}{% endif %}{{ levl }}"
                                          "{% if spare is defined %}{{ spare }}{% endif %}"
                                          "{{ maybe | default('') }} <b>{{ heor.name }}</b>", 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    written = (root / HERO).read_text(encoding="utf-8").split("\n")[line - 1]
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    # `spare` and `maybe` are asked about, not assumed: not reported; each name said at
    # its column, the first read no guard covers (it was column 1 of the line)
    assert [(d["file"], d["line"], d["column"], d["message"], d["hint"]) for d in found] == \
        [(HERO, line, written.index("{% endif %}{{ levl }}") + len("{% endif %}{{ ") + 1,
          "'levl' is not a name hero.html receives", "Did you mean 'level'?"),
         (HERO, line, written.index("heor.name") + 1, "'heor' is not a name hero.html receives",
          "Use a name hero.html receives: " + ", ".join(sorted(PAGE_NAMES["hero.html"] | COMMON_NAMES)) + ".")], found
    assert run.code == 1
    built = foundry("build", "--only", "html", "--project", str(root))   # the build says it alike
    assert f"{HERO}:{line}:{written.index('heor.name') + 1}: error HF0703" in built.stderr, built.stderr


def test_every_shipped_page_template_as_a_project_theme_reads_only_names_it_gets(project_factory):
    """The shipped templates copied as the project's own: no name of theirs is reported
    (the table is not short of a name they use)."""
    root = project_factory()
    _own_theme(root)
    shutil.rmtree(root / "themes/mine")
    shutil.copytree(REPO / "themes/default", root / "themes/mine")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"] == []
    # base.html broken: its syntax error is said, once, and not again as each name it
    # gives the pages (`m`, its macros: "'m' is not a name hero.html receives" in each)
    base = root / "themes/mine/templates/base.html"
    lines = base.read_text(encoding="utf-8").split("\n")
    lines.insert(1, "{{ 1 + }}")
    base.write_text("\n".join(lines), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [(d["file"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]
            if d["code"] == "HF0703"] == [("themes/mine/templates/base.html", 2, 8,
                                           "unexpected 'end of print statement'")]


def test_the_table_is_what_the_views_give():
    """PAGE_NAMES against each page kind's view, run on the sample world and the minimal
    root: a view that gains or loses a name changes the table with it."""
    for root in (REPO, ROOTS / "minimal"):
        diags = Diagnostics()
        world = load_world(load_project(root, diags), diags)
        given: dict[str, set] = {}
        for page, _ in plan_pages(world):
            given.setdefault(page.template, set()).update(page_view(world, page))
        assert {t: frozenset(names) for t, names in given.items()} == PAGE_NAMES, root


# Each guard covers only what it guards; a name read bare elsewhere is still reported.
GUARDS = [
    # (template text put in place of `{{ xp }}`, names reported at that line)
    ("{% if levl is defined %}{{ levl }}{% endif %} {{ levl }}", ["levl"]),
    ("{{ levl | default('') }} {{ levl }}", ["levl"]),
    ("{% if levl is defined %}{% else %}{{ levl }}{% endif %}", ["levl"]),
    ("{% if levl is undefined %}{{ levl }}{% endif %}", ["levl"]),
    ("{{ 0 if levl is defined else levl }}", ["levl"]),
    ("{% if levl is defined or levl > 1 %}{% endif %}", ["levl"]),
    # guarded where read: valid Jinja a page without the name renders
    ("{% if levl is defined %}{{ levl }}{% endif %}", []),
    ("{{ levl | default('') }}{{ levl | d(0) }}", []),
    ("{% if levl is not defined %}-{% else %}{{ levl }}{% endif %}", []),
    ("{% if levl is defined and levl > 1 %}{{ levl }}{% endif %}", []),
    ("{{ levl if levl is defined else 0 }}", []),
    ("{% if xp is none %}{% elif levl is defined %}{{ levl }}{% endif %}", []),
    ("{% if levl is undefined or levl < 1 %}{% else %}{{ levl }}{% endif %}", []),
]


def test_a_guard_covers_only_what_it_guards(project_factory):
    """`{% if levl is defined %}{{ levl }}{% endif %} {{ levl }}`: the guard once made
    every `levl` of the template count as guarded, and the bare one failed only when a
    build rendered the page. Every case on its own line of one hero.html; check and build
    report the same lines."""
    root = project_factory()
    _own_theme(root)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    old = "{{ xp }}"
    start = text[: text.index(old)].count("\n") + 1
    # a name is reported at its first bare read: each case reads a name of its own (levl1, levl2…)
    cases = [(case.replace("levl", f"levl{n}"), [f"{name}{n}" for name in names])
             for n, (case, names) in enumerate(GUARDS, 1)]
    (root / HERO).write_text(text.replace(old, old + "".join(f"\n{case}" for case, _ in cases), 1), encoding="utf-8")
    expected = [(HERO, start + n, f"'{name}' is not a name hero.html receives")
                for n, (_, names) in enumerate(cases, 1) for name in names]
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        found = [(d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
        assert found == expected, verb
        assert run.code == 1
