"""Building the site: valid HTML5, the same bytes twice, themes that override single
files, and the two ways a theme can break a build (HF0701, HF0703) — reported at
their place, never as a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from site_support import SOURCE_DATE_EPOCH, by_class, h, parse, text
from pipeline.exporters.html.minify import minify
from support import JAVA, REPO, diagnostics, foundry, require_tool

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def coast(extra: dict[str, str]) -> dict[str, str]:
    """The minimal project with the theme `coast`, which overrides the given files."""
    files = {"foundry.toml": """
        [project]
        title = "Minimal"
        theme = "coast"
        [build]
        outputs = ["html"]
    """}
    files.update({f"themes/coast/{name}": body for name, body in extra.items()})
    return files


def build(root, *args):
    return foundry("build", "--only", "html", "--format", "json", "--project", str(root), *args, env=SOURCE_DATE_EPOCH)


def test_pages_are_valid_html5(site_root):
    """The Nu Html Checker (vnu.jar from npm, run on Java) over every page."""
    require_tool(VNU.is_file() and shutil.which("java") is not None, "Java and vnu-jar (npm ci at the repository root)")
    proc = subprocess.run([*JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           str(site_root / "site")], capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages[:20])


def test_the_same_world_builds_the_same_bytes(site_root, tmp_path):
    """A second, independent copy of the sample world builds to identical files."""
    root = tmp_path / "again"
    shutil.copytree(site_root.parent, root, ignore=shutil.ignore_patterns("build", ".foundry-*"))
    run = foundry("build", "--only", "html,json", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stderr
    first = {p.relative_to(site_root).as_posix(): p.read_bytes() for p in (site_root / "site").rglob("*") if p.is_file()}
    second = {p.relative_to(root / "build").as_posix(): p.read_bytes()
              for p in (root / "build" / "site").rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [p for p in first if first[p] != second[p]] == []


def test_a_theme_overrides_single_templates_and_files(project_factory):
    root = project_factory(coast({
        "templates/404.html": """
            {% extends "base.html" %}
            {% block main %}<p class="coastal">Lost at sea.</p>{% endblock %}
        """,
        "static/site.css": "body { background: navy; }\n",
    }))
    run = build(root)
    assert run.code == 0, run.stdout + run.stderr
    site = root / "build" / "site"
    assert text(by_class(parse(site / "404.html"), "p", "coastal")[0]) == "Lost at sea."
    assert (site / "assets" / "site.css").read_text() == "body{background:navy}\n"   # published minified
    # Everything not overridden comes from the default theme.
    hero = next((site / "heroes").glob("first-hero.html"))
    assert by_class(parse(hero), "article", "hero-page")
    player = REPO / "themes/default/static/story-player.js"
    assert (site / "assets" / "story-player.js").read_bytes() == minify("story-player.js", player.read_bytes())


def test_a_broken_internal_link_is_hf0701_naming_the_page(project_factory):
    root = project_factory(coast({"templates/404.html": """
        {% extends "base.html" %}
        {% block main %}
        {% set gone = 'site/nowhere.html' %}
        <p><a href="{{ url(gone) }}">gone</a> <a href="#no-such-id">here</a></p>
        {% endblock %}
    """}))
    # (url() of a name: judged on the page as drawn; of a constant, `url('site/nowhere.html')`,
    # check says it at the template: tests/site/test_template_check.py)
    run = build(root)
    assert run.code == 1
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0701"]
    assert {d["file"] for d in found} == {"build/site/404.html"}
    assert any("'/nowhere.html'" in d["message"] for d in found)   # rooted at the web root, build/site/
    assert any("#no-such-id" in d["message"] for d in found)
    assert not (root / "build" / "site").exists()


def test_a_broken_link_in_content_is_found_by_check_at_the_content_file(project_factory):
    root = project_factory({"content/characters/old-guide.yaml": """
        name: Old Guide
        background: "See [the map](../maps/coast.html) and [the ferry](https://example.org/ferry)."
    """, "foundry.toml": '[project]\ntitle = "Minimal"\n[build]\noutputs = ["html"]\n'})
    run = build(root)
    check = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == check.code == 1, run.stdout
    for result in (run, check):   # check and build agree, at the line that holds the link
        found = [d for d in result.json()["diagnostics"] if d["code"] in ("HF0701", "HF0721")]
        assert [(d["code"], d["file"], d["line"]) for d in found] == [("HF0721", "content/characters/old-guide.yaml", 2)]
        assert "../maps/coast.html" in found[0]["message"]


@pytest.mark.parametrize("body, line, words", [
    ("{% extends 'base.html' %}\n{% block main %}\n<p>{% if %}</p>\n{% endblock %}\n", 3, "Expected an expression"),
    ("{% extends 'base.html' %}\n{% block main %}\n<h1>{{ name }}</h1>\n<p>{{ no_such_name.anything }}</p>\n"
     "{% endblock %}\n", 4, "no_such_name"),
    ("{% extends 'base.html' %}\n{% block main %}\n{% include 'missing-part.html' %}\n{% endblock %}\n", 3,
     "missing-part.html"),
    ("{% extends 'base.html' %}\n{% block main %}\n{{ ''.__class__.__mro__ }}\n{% endblock %}\n", 3, "__class__"),
])
def test_a_template_error_is_hf0703_at_its_file_and_line(project_factory, body, line, words):
    root = project_factory(coast({"templates/hero.html": body}))
    run = build(root)
    assert run.code == 1
    assert "Traceback" not in run.stdout + run.stderr
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert found, run.stdout
    assert {(d["file"], d["line"]) for d in found} == {("themes/coast/templates/hero.html", line)}
    assert words in found[0]["message"]
    # a template that does not compile, reads a name its page does not give or one the
    # sandbox refuses (`__class__`) or includes a template the theme does not have, is
    # found by check's look at the theme before any page
    # is made (tests/site/test_template_check.py, test_template_names.py); one that fails
    # as it runs, by a page
    before = "{% if %}" in body or "no_such_name" in body or "__class__" in body or "missing-part" in body
    assert ("site/heroes/first-hero.html" in found[0]["message"]) == (not before)
    assert not (root / "build" / "site").exists()


def test_a_missing_theme_is_hf0703(project_factory):
    root = project_factory({"foundry.toml": '[project]\ntitle = "Minimal"\ntheme = "defualt"\n'})
    run = build(root)
    assert run.code == 1
    # at the `theme =` line, with the theme a typo was meant to be (it had no line and no near-miss)
    assert diagnostics(run) == ["HF0703 foundry.toml:3:1"]
    assert run.json()["diagnostics"][0]["hint"].startswith("Did you mean 'default'?")


def test_changing_one_hero_rebuilds_its_pages_not_the_stories(site_root, tmp_path):
    root = tmp_path / "edit"
    shutil.copytree(site_root.parent, root, ignore=shutil.ignore_patterns(".foundry-*"))
    hero = root / "content" / "heroes" / "kit.yaml"
    hero.write_text(hero.read_text().replace("xp:", "tags: [ferry]\nxp:", 1) if "tags:" not in hero.read_text()
                    else hero.read_text().replace("tags: [", "tags: [ferry-hand, ", 1))
    run = foundry("build", "--only", "html,json", "--format", "json", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    written = {p for p in run.json()["build"]["written"] if p.startswith("site/")}
    assert "site/heroes/kit.html" in written and "site/search.html" in written
    assert "site/stories/the-sunken-keep.html" not in written
    assert "site/assets/site.css" not in written



def test_a_themes_static_files_are_listed_once_a_build_not_once_a_file(project_factory, monkeypatch):
    """Each static file's render listed every theme folder's static/ again to find the
    file it publishes: work growing with the square of their count (a folder nested
    1,100 deep under static/ was walked once per static file). The plan lists them
    once: fifty more files are not more folder listings (os.scandir calls counted, not
    timed), and every file is published."""
    import os

    from click.testing import CliRunner

    from pipeline.cli import cli

    listed = [0]
    scandir = os.scandir

    def counted(*args, **kwargs):
        listed[0] += 1
        return scandir(*args, **kwargs)

    def listings(count: int) -> int:
        root = project_factory(coast({f"static/notes-{n}.txt": f"note {n}\n" for n in range(count)}),
                               name=f"static-{count}")
        listed[0] = 0
        with monkeypatch.context() as patch:
            patch.setattr(os, "scandir", counted)
            run = CliRunner().invoke(cli, ["build", "--only", "html", "--project", str(root)],
                                     env={"NO_COLOR": "1", "FOUNDRY_JOBS": "1"}, catch_exceptions=False)
        assert run.exit_code == 0, run.output
        assert [(root / f"build/site/assets/notes-{n}.txt").read_text() for n in range(count)] == \
            [f"note {n}\n" for n in range(count)]
        return listed[0]

    # (a process's first build lists a few folders once more, whichever is first)
    few, more = listings(10), listings(60)
    assert more - few < 30, (few, more)   # ~100 more before: each file's render listed two folders
