"""`foundry check` compiles the project theme's own templates: a template that does not
compile is HF0703 at its line with the name meant, as check says it, not only when a
build renders a page drawn with it ("No filter named 'uppr'. (while making
site/heroes/first-hero.html)" after check said "No problems found")."""

from __future__ import annotations

import json
import os
import re

import lxml.html
import pytest

from support import REPO, foundry

HERO = "themes/mine/templates/hero.html"


def _credits_with(root, inserted: str):
    """The project's own credits.html: the default one with `inserted` at the start of its
    main block; (the project's templates folder, the 1-based line `inserted` starts on)."""
    own = root / "themes/default/templates"
    own.mkdir(parents=True, exist_ok=True)
    credits = (REPO / "themes/default/templates/credits.html").read_text(encoding="utf-8")
    assert "{% block main %}\n" in credits
    (own / "credits.html").write_text(credits.replace("{% block main %}\n", "{% block main %}\n" + inserted, 1),
                                      encoding="utf-8")
    return own, credits[: credits.index("{% block main %}")].count("\n") + 2


def _base_lines(root):
    """The project's templates folder, the default base.html's lines, and the index of
    the line holding `<body` (what a test inserts goes after it)."""
    own = root / "themes/default/templates"
    own.mkdir(parents=True, exist_ok=True)
    lines = (REPO / "themes/default/templates/base.html").read_text(encoding="utf-8").split("\n")
    return own, lines, next(n for n, text in enumerate(lines) if "<body" in text)


@pytest.mark.parametrize("old, new, says, hint", [
    ("{{ xp }}", "{{ xp | uppr }}", "No filter named 'uppr'", "Did you mean 'upper'?"),
    ("{% endif %}</li>", "{% endfi %}</li>", "unknown tag 'endfi'", "Did you mean 'endif'?"),
    ("{% if tags %}", "{% if tags is iterabel %}", "No test named 'iterabel'", "Did you mean 'iterable'?"),
    # a character Jinja's lexer stops at: said at it, not at the token before (`xp`),
    # and without the lexer's offset in the whole file ("at 1234"), which is no column
    # ...with a hint that says how a template is written (it sent a wheel user, who has
    # no docs/, to docs/themes.md "for the names each template receives")
    ("{{ xp }}", "{{ xp $ 1 }}", "unexpected char '$'", "Fix the template at this line: a value is written "
                                                        "`{{ … }}`, a statement `{% … %}` closed by its `{% end… %}`, "
                                                        "a comment `{# … #}`."),
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
    # at the misspelt name: Jinja's nodes give the line alone, and every template check
    # said column 1 (template_places.py places each node at its token)
    written = text.replace(old, new, 1).split("\n")[line - 1]
    column = written.index(says.split("'")[1]) + 1
    assert [(d["file"], d["line"], d["column"]) for d in found] == [(HERO, line, column)], found
    assert says in found[0]["message"] and found[0]["hint"] == hint, found
    assert not re.search(r" at \d+$", found[0]["message"]), found
    assert run.code == 1
    # the build says it once, the same way, and writes nothing
    built = foundry("build", "--only", "html", "--project", str(root))
    assert built.code == 1 and built.stderr.count("HF0703") == 1, built.stderr
    assert f"{HERO}:{line}:{column}: error HF0703" in built.stderr, built.stderr
    assert not (root / "build").exists()


def test_a_block_left_open_names_the_block_not_a_misspelling(project_factory):
    """A writer deleting the `{% endif %}` of a hero page's `{% if title %}` was told
    Jinja's "Encountered unknown tag 'endblock'. You probably made a nesting mistake…",
    cut before the block it meant, at the template's last line, with the hint "Did you
    mean 'block'?": followed, the template broke worse. Now the `{% if %}` left open is
    named with its line and the tag that closes it; an `{% endif %}` closing nothing says so."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / HERO).parent.mkdir(parents=True)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    old = '{% if title %}<p class="entity-title">{{ title_html or title }}</p>{% endif %}'
    assert old in text
    (root / HERO).write_text(text.replace(old, old[: -len("{% endif %}")], 1), encoding="utf-8")
    opened = text[: text.index(old)].count("\n") + 1
    credits = (REPO / "themes/default/templates/credits.html").read_text(encoding="utf-8")
    (root / HERO).with_name("credits.html").write_text(
        credits.replace("{% block main %}\n", "{% block main %}\n{% endif %}\n", 1), encoding="utf-8")
    found = {d["file"]: d for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
             if d["code"] == "HF0703"}
    hero = found[HERO]
    assert hero["message"] == f"`{{% endblock %}}` comes while the `{{% if %}}` (line {opened}) is still open", hero
    assert hero["hint"] == (f"Close the `{{% if %}}` (line {opened}) with `{{% endif %}}` where its part ends, "
                            "before this line, or remove it."), hero
    stray = found[HERO.replace("hero.html", "credits.html")]
    assert stray["message"] == "`{% endif %}` closes no `{% if %}`", stray
    assert stray["hint"] == "Remove it, or add the `{% if … %}` it closes above it.", stray
    # an `{% else %}` outside any `if` was hinted "Did you mean 'endset'?"
    quest = (REPO / "themes/default/templates/quest.html").read_text(encoding="utf-8")
    (root / HERO).with_name("quest.html").write_text(
        quest.replace("{% block main %}\n", "{% block main %}\n{% else %}\n", 1), encoding="utf-8")
    found = {d["file"]: d for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
             if d["code"] == "HF0703"}
    part = found[HERO.replace("hero.html", "quest.html")]
    assert part["message"] == "`{% else %}` is inside no `{% if %}` or `{% for %}`", part
    assert part["hint"] == "Remove it, or move it between an `{% if … %}` and its `{% endif %}`.", part


def test_a_read_the_sandbox_refuses_is_found_by_check(project_factory):
    """`{{ name.__class__.__mro__ }}` in a theme's hero.html: check said nothing, and the
    build stopped at the render of each hero page, once per language. A name beginning
    with `_` is refused by the sandbox wherever it is read: check says it once, at its
    line, and the build stops before it renders."""
    root = project_factory()
    _mine(root)
    (root / HERO).parent.mkdir(parents=True)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    (root / HERO).write_text(text.replace("{{ xp }}", "{{ xp.__class__.__mro__ }}", 1), encoding="utf-8")
    line = text[: text.index("{{ xp }}")].count("\n") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert [(d["file"], d["line"]) for d in found] == [(HERO, line)], found
    assert "'__class__' is unsafe" in found[0]["message"] and run.code == 1
    built = foundry("build", "--only", "html", "--project", str(root))
    assert built.code == 1 and built.stderr.count("HF0703") == 1, built.stderr


def test_a_template_that_fails_every_page_is_one_error(project_factory):
    """A macro in hero.html that calls itself under a condition that never ends compiles
    (check cannot know: one that calls itself on every call is said by check) and fails
    the render of every hero page: HF0703 once per page (20,000 at 10,000 heroes in two
    languages) for one slip. Said once, at the template's line, naming the first page
    and how many others failed."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    root = project_factory({"content/heroes/second-hero.yaml": hero.replace("Rook Amsel", "Wren Amsel"),
                            "content/heroes/third-hero.yaml": hero.replace("Rook Amsel", "Tam Amsel")})
    _mine(root)
    (root / HERO).parent.mkdir(parents=True)
    (root / HERO).write_text("{% macro m(n) %}{% if n >= 0 %}{{ m(n + 1) }}{% endif %}{% endmacro %}{{ m(0) }}\n",
                             encoding="utf-8")
    built = foundry("build", "--only", "html", "--project", str(root))
    said = [line for line in built.stderr.splitlines() if "HF0703" in line]
    assert built.code == 1 and len(said) == 1, built.stderr
    assert said[0].startswith(f"{HERO}:1:1: error HF0703 ") and \
        said[0].endswith("(while making site/heroes/first-hero.html and 2 other pages)"), said


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
    # a comment never closed, at the end of a file: said at its `{#` (it was said after
    # it, where the lexer stopped; at column 0 before columns were placed)
    macros = (REPO / "themes/default/print/templates/macros.html.j2").read_text(encoding="utf-8")
    (own.parent / "macros.html.j2").write_text(macros + "<p>  {# never closed\n</p>", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    column = text.split("\n")[line - 1].index("{% endif %}") + len("{% ") + 1
    assert [(d["file"], d["line"], d["column"], d["message"].split(".")[0]) for d in found] == \
        [("themes/mine/print/templates/base.html.j2", line, column, "Encountered unknown tag 'endiff'"),
         ("themes/mine/print/templates/macros.html.j2", macros.count("\n") + 1, 6, "Missing end of comment tag")], found
    assert found[0]["hint"] == "Did you mean 'endif'?", found
    assert run.code == 1


def _mine(root) -> None:
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))


def test_a_template_not_in_utf8_is_found_by_check(project_factory):
    """A site template saved as UTF-16 and a print template saved as Latin-1: check said
    "No problems found", the site's build ended in "internal error (UnicodeDecodeError)",
    and the print template was read with replacement marks into every book. Each is now
    HF0103 where its bytes are, and the build stops at it."""
    root = project_factory()
    _mine(root)
    quest = root / "themes/mine/templates/quest.html"
    quest.parent.mkdir(parents=True)
    quest.write_bytes((REPO / "themes/default/templates/quest.html").read_text(encoding="utf-8").encode("utf-16"))
    book = root / "themes/mine/print/templates/base.html.j2"
    book.parent.mkdir(parents=True)
    text = (REPO / "themes/default/print/templates/base.html.j2").read_text(encoding="utf-8")
    book.write_bytes(b"{# caf\xe9 #}\n" + text.encode("utf-8"))
    # a print stylesheet saved as Latin-1 was read as UTF-8, its "café" printed "caf\ufffd"
    # with check clean; one that says its encoding with @charset is read as it says
    (root / "themes/mine/print/css").mkdir(parents=True)
    (root / "themes/mine/print/css/sheet.css").write_bytes(
        (REPO / "themes/default/print/css/sheet.css").read_bytes() + b'\nh1::after { content: "caf\xe9"; }\n')
    (root / "themes/mine/print/css/latin.css").write_bytes(b'@charset "iso-8859-1";\np::after { content: "\xe9"; }\n')
    # so was the site's, published byte for byte and read by browsers as UTF-8
    (root / "themes/mine/static").mkdir(parents=True)
    (root / "themes/mine/static/site.css").write_bytes(b"/* caf\xe9 */\nbody { margin: 0 }\n")
    sheet_line = (REPO / "themes/default/print/css/sheet.css").read_bytes().count(b"\n") + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted((d["code"], d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                   if d["severity"] == "error")
    assert found == [("HF0103", "themes/mine/print/css/sheet.css", sheet_line, 26),
                     ("HF0103", "themes/mine/print/templates/base.html.j2", 1, 7),
                     ("HF0103", "themes/mine/static/site.css", 1, 7),
                     ("HF0103", "themes/mine/templates/quest.html", 1, 1)], found
    built = foundry("build", "--only", "html,pdf", "--project", str(root))
    assert built.code == 1 and "internal error" not in built.stderr and built.stderr.count("HF0103") == 4
    assert not (root / "build").exists()


def test_a_byte_order_mark_in_a_template_is_not_published(project_factory):
    """Notepad saves UTF-8 with a byte-order mark: hero.html with one made every hero
    page begin with an invisible U+FEFF before its doctype."""
    root = project_factory()
    _mine(root)
    hero = root / HERO
    hero.parent.mkdir(parents=True)
    hero.write_bytes(b"\xef\xbb\xbf" + (REPO / "themes/default/templates/hero.html").read_bytes())
    assert foundry("build", "--only", "html", "--project", str(root)).code == 0
    page = (root / "build/site/heroes/first-hero.html").read_bytes()
    assert page.startswith(b"<!doctype html>") and "\ufeff".encode() not in page


def test_a_link_a_template_writes_as_it_stands_that_lands_nowhere_is_found_by_check(project_factory):
    """The site's link check read each page as written, so `<a href="heroes/missing.html">`
    typed into the project's own template passed check clean and stopped every build
    with HF0701 at build/site/credits.html (a file the writer never wrote). Check judges
    each address a project template writes as it stands from every folder a page drawn
    with it is in (base.html's from site/ and from site/heroes/), at the template's line
    and column; the build stops there, once. Links that land, are made by url(), or are
    external are not said."""
    root = project_factory()
    credits = (REPO / "themes/default/templates/credits.html").read_text(encoding="utf-8")
    base = (REPO / "themes/default/templates/base.html").read_text(encoding="utf-8")
    assert "<h1>{{ page.title }}</h1>" in credits and "<body" in base
    own = root / "themes/default/templates"
    own.mkdir(parents=True)
    (own / "credits.html").write_text(credits.replace(
        "<h1>{{ page.title }}</h1>",
        '<h1>{{ page.title }} <a href="heroes/missing.html">lost</a> <a href="heroes/index.html">all</a>'
        ' <a href="https://example.org/x.html">out</a></h1>', 1), encoding="utf-8")
    lines = base.split("\n")
    at = next(n for n, text in enumerate(lines) if "<body" in text)
    lines.insert(at + 1, '<a href="rules.html">rules</a>')
    (own / "base.html").write_text("\n".join(lines), encoding="utf-8")
    line = credits[: credits.index("<h1>{{ page.title }}</h1>")].count("\n") + 1
    expected = sorted([("themes/default/templates/credits.html", line, (own / "credits.html").read_text().split("\n")[line - 1].index("heroes/missing") + 1),
                       ("themes/default/templates/base.html", at + 2, 10)])
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0701"]
        assert sorted((d["file"], d["line"], d["column"]) for d in found) == expected, found
        # base.html's link is one error, though it lands nowhere from site/ nor from site/heroes/ …
        said = {d["file"]: d["message"] for d in found}
        assert said["themes/default/templates/base.html"] == (
            "link 'rules.html' from site/404.html points to site/rules.html, which the build does not write "
            "(and from the pages of 4 other folders)")
    assert not (root / "build").exists()


def test_a_link_a_page_may_not_write_is_judged_only_where_it_is_written(project_factory):
    """A template's link inside `{% if %}`, a macro or a `{% set %}` block, in a partial
    included under `{% if %}`, inside a
    `{% block %}` the pages' own templates replace (or in a partial included there), or outside the blocks of a template
    extending another, was judged from every folder as if
    each page wrote it: HF0701 at check, and the build stopped, for a site whose every
    written link lands. Such a link is judged only where a page writes it (an unguarded
    broken one is still said)."""
    from lxml import html as lxml_html
    root = project_factory()
    own, lines, at = _base_lines(root)
    lines[at + 1:at + 1] = ['{% if false %}<a href="nowhere-if.html">x</a>{% endif %}',
                            '{% macro unused() %}<a href="nowhere-macro.html">x</a>{% endmacro %}',
                            '{% set kept %}<a href="nowhere-set.html">x</a>{% endset %}',
                            '{% block up %}<a class="up" href="../index.html">Up</a>{% include "up-extra.html" %}'
                            '{% endblock %}',
                            # a partial included under {% if %}: written on the home page only
                            '{% if page.path == "site/index.html" %}{% include "home-extra.html" %}{% endif %}']
    (own / "base.html").write_text("\n".join(lines), encoding="utf-8")
    (own / "home-extra.html").write_text('<a class="extra" href="heroes/index.html">All heroes</a>\n', encoding="utf-8")
    # a partial included inside that block: written where the block is, no more
    (own / "up-extra.html").write_text('<a class="upx" href="../credits.html">Credits</a>\n', encoding="utf-8")
    # the site's own folder's pages replace the block: '../index.html' is written only
    # from the folders below it, where it lands
    for name in ("404.html", "home.html", "credits.html", "search.html", "relationships.html"):
        text = (REPO / "themes/default/templates" / name).read_text(encoding="utf-8")
        # (and a link outside its blocks, which a template extending another never writes)
        (own / name).write_text(text + '\n{% block up %}{% endblock %}\n<a href="nowhere-outside.html">x</a>\n',
                                encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0701"] == [], run.stdout[-2000:]
    built = foundry("build", "--only", "html", "--project", str(root))
    assert built.code == 0, built.stdout[-2000:] + built.stderr[-2000:]
    site = root / "build/site"
    page = lxml_html.parse(str(next((site / "heroes").glob("*.html")))).getroot()
    assert [a.get("href") for a in page.find_class("up")] == ["../index.html"] and (site / "index.html").exists()
    assert [a.get("href") for a in page.find_class("upx")] == ["../credits.html"]
    assert not lxml_html.parse(str(site / "index.html")).getroot().find_class("up")
    assert [a.get("href") for a in lxml_html.parse(str(site / "index.html")).getroot().find_class("extra")] == \
        ["heroes/index.html"] and not page.find_class("extra")


def test_a_url_of_a_page_the_site_does_not_have_is_found_by_check(project_factory):
    """`<a href="{{ url('site/about.html') }}">` added to the project's base.html (a nav
    entry written as docs/themes.md says to link a page) for a page the site does not
    have passed check clean and stopped the build with HF0701 at build/site/404.html, a
    file the writer never wrote. url() of a constant build path is judged as a link as
    it stands is: at the template's line and column, by check and build alike; one that
    lands, one in a comment and one a page may not write are not said, nor one the
    page's link check does not read (an HTML comment, a script's string, data-href)."""
    root = project_factory()
    own, lines, at = _base_lines(root)
    lines[at + 1:at + 1] = ['<nav><a href="{{ url("site/search.html") }}">Search</a>'
                            "{# <a href=\"{{ url('site/old.html') }}\"> #}",
                            "{% if false %}<a href=\"{{ url('site/never.html') }}\">x</a>{% endif %}",
                            "<a href=\"{{- url('site/about.html') -}}\">About</a></nav>",
                            # none of these is a link of the page (its link check reads none)
                            "<!-- not yet: <a href=\"{{ url('site/blog.html') }}\">Blog</a> -->",
                            "<script>const old = '<a href=\"{{ url('site/old-about.html') }}\">';</script>",
                            "<div data-href=\"{{ url('site/map.html') }}\"></div>",
                            # asset() is url() of a static file: one the theme lacks likewise
                            "<link rel=\"stylesheet\" href=\"{{ asset('site.css') }}\">"
                            "<link rel=\"stylesheet\" href=\"{{ asset('print-extra.css') }}\">"]
    (own / "base.html").write_text("\n".join(lines), encoding="utf-8")
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = [(d["file"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]
                 if d["severity"] == "error"]
        assert found == [("themes/default/templates/base.html", at + 4, lines[at + 3].index("site/about") + 1,
                          "link url('site/about.html') from site/404.html points to site/about.html, which the "
                          "build does not write (and from the pages of 4 other folders)"),
                         ("themes/default/templates/base.html", at + 8, lines[at + 7].index("print-extra") + 1,
                          "link asset('print-extra.css') from site/404.html points to site/assets/print-extra.css, "
                          "which the build does not write (and from the pages of 4 other folders)")], found
    assert not (root / "build").exists()


def test_loops_over_constant_ranges_past_the_budget_are_found_by_check(project_factory):
    """`{% for i in range(999999999) %}` in the project's credits.html passed check clean
    and stopped the build at the render ("Range too big", HF0703 at build/…); two
    `range(100000)` within each other passed check and held the build for the render's
    whole time budget before HF0710. Both are said by check at their lines, and the
    build stops there before any page is drawn; small constant loops are not said."""
    root = project_factory()
    own, line = _credits_with(root, (
        "{% for i in range(999999999) %}{% endfor %}\n"
        "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}\n"
        "{% for i in range(10) %}{% for j in range(10) %}.{% endfor %}{% endfor %}\n"))
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
        assert found == [("HF0703", "themes/default/templates/credits.html", line),
                         ("HF0710", "themes/default/templates/credits.html", line + 1)], found
    assert not (root / "build").exists()


def test_a_loop_under_a_guard_is_not_multiplied_by_the_loops_around_it(project_factory):
    """A constant loop that runs only when its guard lets it (`{% if loop.first %}`, a
    loop's filter `if i == 7`) runs once, not at each turn of the loop around it: check
    took range(100000) within such a guard inside range(100000) for ten billion turns
    (HF0710) and the build stopped before drawing a page it draws in a second."""
    root = project_factory()
    _credits_with(root, (
        "{% for i in range(100000) %}{% if loop.first %}{% for j in range(100000) %}"
        "{% if j == 0 %}<p id=first>{% endif %}{% endfor %}{% endif %}{% endfor %}\n"
        "{% for i in range(100000) if i == 7 %}{% for j in range(100000) %}"
        "{% if j == 0 %}<p id=seventh>{% endif %}{% endfor %}{% endfor %}\n"))
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 0, [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    page = lxml.html.parse(str(root / "build/site/credits.html")).getroot()
    assert [p.get("id") for p in page.iter("p") if p.get("id")] == ["first", "seventh"]


def test_a_template_that_draws_itself_without_end_is_found_by_check(project_factory):
    """`{% include "credits.html" %}` in the project's credits.html, and a base.html that
    `{% extends "base.html" %}` (meaning the default theme's: it is itself), passed check
    clean and stopped the build at the render ("maximum recursion depth exceeded (while
    making site/credits.html)"). Check says each once at its line; a partial that
    includes itself for each child of a tree (under `{% for %}`, it ends) is not said."""
    root = project_factory()
    own, line = _credits_with(root, (
        '{% include "credits.html" %}\n'
        '{% with node = {"children": [{"children": []}]} %}{% include "_tree.html" %}{% endwith %}\n'))
    (own / "_tree.html").write_text('<ul>{% for c in node.children %}<li>{% with node = c %}'
                                    '{% include "_tree.html" %}{% endwith %}</li>{% endfor %}</ul>\n', encoding="utf-8")
    (own / "base.html").write_text('{# the default one, with a banner #}\n{% extends "base.html" %}\n', encoding="utf-8")
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = sorted((d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"] if d["severity"] == "error")
        assert found == [("HF0703", "themes/default/templates/base.html", 2),
                         ("HF0703", "themes/default/templates/credits.html", line)], found
    assert not (root / "build").exists()


def test_a_template_drawing_itself_by_another_spelling_of_its_name_is_found_by_check(project_factory):
    """`{% include "./credits.html" %}` in credits.html (or `.//credits.html`; and a
    base.html extending `./base.html`) is credits.html itself to the theme's loader, which
    reads a name as Jinja's split_template_path does; the round was followed by the name
    as written, so check was clean and every build stopped at the render ("maximum
    recursion depth exceeded"). A step's name is now the name the loader looks up."""
    root = project_factory()
    own, line = _credits_with(root, '{% include "./credits.html" %}{% include ".//_macros.html" %}\n')
    # and a name put together of strings, joined as the render joins it (check was clean)
    (own / "base.html").write_text('{# a banner #}\n{% extends "./" ~ "base.html" %}\n', encoding="utf-8")
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "html", "--project", str(root), "--format", "json")):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = sorted((d["code"], d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"]
                       if d["severity"] == "error")
        assert [f[:3] for f in found] == [("HF0703", "themes/default/templates/base.html", 2),
                                          ("HF0703", "themes/default/templates/credits.html", line)], found
        assert "recursion" not in json.dumps(found), found   # said by check's look, not the render's
    assert not (root / "build").exists()


def _chain(folder, name, body, length=1000):
    """`length` templates in `folder` named `name` numbered from 0, each drawing the next
    by `body` (a format of the next one's name), the last only "end"."""
    for n in range(length):
        text = body.format(name.format(n + 1)) if n < length - 1 else "end"
        (folder / name.format(n)).write_text(text, encoding="utf-8")


def test_templates_drawn_each_within_the_one_before_past_the_stack_are_found_by_check(project_factory):
    """A chain of 1,000 templates, each including the next, killed check's walk of the
    theme ("internal error (RecursionError)") and stopped the build at some template
    half-way down ("nested too deeply to be read"); a round of imports (m0 imports m1,
    m1 imports m0) passed check and stopped the build with "maximum recursion depth
    exceeded". Each is said once by check, at the project's template it starts from,
    before anything is drawn (a build stops on it as on check's other HF0703)."""
    root = project_factory()
    own, line = _credits_with(root, '{% include "c0.html" %}\n')
    for n in range(1000):
        (own / f"c{n}.html").write_text(f'{{% include "c{n + 1}.html" %}}' if n < 999 else "end", encoding="utf-8")
    (own / "m0.html").write_text('{% import "m1.html" as m %}{% macro f() %}a{% endmacro %}\n', encoding="utf-8")
    (own / "m1.html").write_text('{% import "m0.html" as m %}{% macro g() %}b{% endmacro %}\n', encoding="utf-8")
    # the same chain, each include under `{% if %}` (not a step taken at every drawing, so
    # not counted): the page's drawing runs out of stack, said at a template of the chain
    # as the chain's fault, not as "nested too deeply to be read" (a one-line template)
    (own / "404.html").write_text('{% extends "base.html" %}{% block main %}{% include "d0.html" %}{% endblock %}\n',
                                  encoding="utf-8")
    _chain(own, "d{}.html", '{{% if true %}}{{% include "{}" %}}{{% endif %}}')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
    found = sorted((d["file"], d["line"], d["code"], d["message"]) for d in run.json()["diagnostics"]
                   if d["severity"] == "error")
    assert [f[:3] for f in found] == [("themes/default/templates/credits.html", line, "HF0703"),
                                      ("themes/default/templates/m0.html", 1, "HF0703")], found
    assert found[0][3].startswith("template 'credits.html' draws 1001 templates, each within the one before "
                                  "(credits.html → c0.html → c1.html → "), found
    assert "… (990 more) → c999.html): more than 50" in found[0][3], found
    assert "(m0.html → m1.html → m0.html)" in found[1][3], found
    # with those gone, check draws the pages (it draws none while a template does not compile)
    for gone in ["credits.html", "m0.html", "m1.html", *(f"c{n}.html" for n in range(1000))]:
        (own / gone).unlink()
    # and a print template's chain, through a list of names (not counted either)
    prints = root / "themes/default/print/templates"
    prints.mkdir(parents=True, exist_ok=True)
    sheet = (REPO / "themes/default/print/templates/hero-sheet.html.j2").read_text(encoding="utf-8")
    assert "{% block body %}\n" in sheet
    (prints / "hero-sheet.html.j2").write_text(
        sheet.replace("{% block body %}\n", '{% block body %}\n{% include ["none.html.j2", "k0.html.j2"] %}\n', 1),
        encoding="utf-8")
    _chain(prints, "k{}.html.j2", '{{% include ["none.html.j2", "{}"] %}}')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
    errors = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert {re.sub(r"(?<=/[dk])\d+", "N", d["file"]) for d in errors} == {"themes/default/templates/dN.html",
                                                                 "themes/default/print/templates/kN.html.j2"}, errors
    assert all(d["message"].startswith("the template is drawn here within too many others") for d in errors), errors
    # said whole ("for…" was cut at 160 characters by the print theme's reporter), and its
    # hint says what to do with the chain: "Fix the template at this line as the message
    # says" (the site's) or HF0703's generic one (the print theme's) sent the writer to a
    # one-line template of it
    assert all("for a page to hold" in d["message"] for d in errors), errors
    assert all(d["hint"].startswith("Draw at most 50 templates each within the one before") for d in errors), errors


def test_a_template_that_names_a_template_the_theme_does_not_have_is_found_by_check(project_factory):
    """`{% include "credits-extra.html" %}` (a partial not made yet, or misspelt) in the
    project's credits.html, or `{% from "_macroz.html" import … %}`, passed check clean
    and stopped the build at the render ("template 'credits-extra.html' not found (while
    making site/credits.html)"); a print template's include likewise stopped every book.
    Check says each at its line, with the name meant; an include marked `ignore missing`
    and a list with one template the theme has are not said."""
    root = project_factory()
    inserted = (
        '{% include "credits-extra.html" %}{% include "gone.html" ignore missing %}\n'
        '{% from "_macroz.html" import credit_row %}{% include ["nope.html", "_macros.html"] %}\n'
        '{% include "linked.html" %}\n'
        # a name put together of strings: the render joins them as check must (it was clean)
        '{% include "../../../outs" ~ "ide.html" %}{% include "_mac" + "ros.html" %}\n'
        # and a name the template sets to one (a loop's own `part` is another: not said)
        '{% set part = "gone-" ~ "too.html" %}{% include part %}\n'
        '{% for part in ["_macros.html"] %}{% include part %}{% endfor %}\n'
        # a macro the imported template does not define (the theme's undefined is strict:
        # every page stopped); one it defines, and one never used, are not said
        '{% import "_macros.html" as mm %}{{ mm.mark() }}{{ mm.markk() }}\n'
        '{% from "_macros.html" import mark as mk, unused_one, nope_macro %}{{ mk() }}{{ nope_macro() }}\n'
        # and a macro called with more arguments than it takes, or a keyword it has not
        '{{ mm.mark(1) }}{{ mk(sizee=2) }}\n')
    own, line = _credits_with(root, inserted)
    written = inserted.split("\n")

    def at(row: int, needle: str, skip: int = 0) -> int:
        """The column of what a finding names: each was said at column 1 of its line."""
        return written[row].index(needle) + 1 + skip
    # a partial linked out of the project is refused there (HF0120), not 'not found' too
    outside = root.parent / "outside.html"
    outside.write_text("<p>x</p>\n", encoding="utf-8")
    os.symlink(outside, own / "linked.html")
    sheet = root / "themes/default/print/templates/hero-sheet.html.j2"
    sheet.parent.mkdir(parents=True)
    text = (REPO / "themes/default/print/templates/hero-sheet.html.j2").read_text(encoding="utf-8")
    sheet.write_text(text.replace("{% block body %}", '{% block body %}{% include "ornament.html.j2" %}', 1),
                     encoding="utf-8")
    credits = "themes/default/templates/credits.html"
    site = [(credits, line, at(0, '"credits-extra'), "template 'credits-extra.html' not found"),
            (credits, line + 1, at(1, '"_macroz'), "template '_macroz.html' not found"),
            (credits, line + 3, at(3, '"../'), "template '../../../outside.html' not found"),
            (credits, line + 4, at(4, "include part", len("include ")), "template 'gone-too.html' not found"),
            (credits, line + 6, at(6, ".markk"), "'_macros.html' (imported as mm) has no macro or name 'markk'"),
            (credits, line + 7, at(7, "{{ nope_macro", 3), "'_macros.html' has no macro or name 'nope_macro' to import"),
            (credits, line + 8, at(8, "mk(sizee"), "macro 'mark' takes no keyword argument 'sizee'"),
            (credits, line + 8, at(8, "mm.mark(1)"), "macro 'mark' takes not more than 0 argument(s), given 1"),
            ("themes/default/templates/linked.html", 0, 0, "themes/default/templates/linked.html is a symbolic link "
                                                          "that leads outside the project: it is not read")]
    book_line = text[: text.index("{% block body %}")].count("\n") + 1
    book = ("themes/default/print/templates/hero-sheet.html.j2", book_line,
            sheet.read_text(encoding="utf-8").split("\n")[book_line - 1].index('"ornament') + 1,
            "template 'ornament.html.j2' not found")
    for run, expected in ((foundry("check", "--project", str(root), "--format", "json"), sorted([*site, book])),
                          (foundry("build", "--only", "html", "--project", str(root), "--format", "json"), sorted(site))):
        assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
        found = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
        assert sorted((d["file"], d["line"], d["column"], d["message"]) for d in found) == expected, found
        assert {d["hint"] for d in found if "_macroz" in d["message"]} == {"Did you mean '_macros.html'?"}
    assert not (root / "build").exists()


@pytest.mark.parametrize("inserted", ['{% include "a\\x00b.html" %}\n', '{% include "a\0b.html" %}\n'])
def test_a_template_named_with_a_nul_is_not_found_not_an_internal_error(project_factory, inserted):
    """`{% include "a\\x00b.html" %}` (Jinja's escape) or a NUL typed in the name: the
    confined read gave os.open the name, whose ValueError ("embedded null byte") stopped
    check and build as an internal error. No file is so named: HF0703 at its line."""
    root = project_factory()
    _, line = _credits_with(root, inserted)
    for verb in ("check", "build"):
        run = foundry(verb, "--project", str(root))
        assert run.code == 1 and "internal error" not in run.stderr, run.stderr
        assert f"themes/default/templates/credits.html:{line}:12: error HF0703 template 'a\\u0000b.html' not found" \
            in run.stderr, run.stderr


def test_what_never_renders_is_found_by_check(project_factory):
    """A macro calling itself on every call, a `range()` past the sandbox's bound, an
    `include` of a template the theme does not have and a division by a written 0 passed
    check, and every page drawn with them stopped the build ('maximum recursion depth
    exceeded', 'Range too big', "template 'nope.html' not found", 'division by zero').
    Check says each at its line; a macro recursing under a condition, a small range, an
    `include … ignore missing` and a template the theme has are not said."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / HERO).parent.mkdir(parents=True)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    anchor = '<article class="entity hero-page">'
    assert anchor in text
    line = text[: text.index(anchor)].count("\n") + 1
    (root / HERO).write_text(text.replace(anchor, anchor + (
        "\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"
        "\n{% macro t(n) %}{% if n < 3 %}{{ t(n + 1) }}{% endif %}{% endmacro %}{{ t(0) }}"
        "\n{{ range(10**9) | list | length }} {{ range(5) | list }}"
        "\n{% include 'nope.html' %}{% include 'gone.html' ignore missing %}{% import '_macros.html' as fine %}"
        "\n{{ level / 0 }} {{ level // 2 }}"), 1), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted((d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0703")
    # each at what it names: the call, the range, the template's name, the division
    assert found == [(line + 1, len("{% macro m(n) %}{{ ") + 1, "macro 'm' calls itself on every call, so it never ends"),
                     (line + 3, len("{{ ") + 1, "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
                     (line + 4, len("{% include ") + 1, "template 'nope.html' not found"),
                     (line + 5, len("{{ ") + 1, "division by zero")], found
    assert run.code == 1


def test_a_template_changed_under_an_unchanged_one_is_judged_again_by_the_next_check_of_the_process(project_factory):
    """What check says of a template's imports and of the templates it draws is kept in
    the process (sandbox.py `_UNEXPORTED`, template_cycles.py `_DRAWN`: `foundry serve`
    checks the theme on every save), by the texts it read: a macro removed from the
    imported template, or a partial made to draw its includer, the importing template
    unchanged, is said at the next check, and no more once it is put back."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    root = project_factory()
    own, line = _credits_with(root, '{% import "_marks.html" as mm %}{{ mm.mark() }}{% include "_part.html" %}\n')
    marks, part = own / "_marks.html", own / "_part.html"

    def said() -> list[tuple[str, str, int, str]]:
        diags = Diagnostics()
        check(root, diags)
        return [(d.code, d.span.path, d.span.line, d.message) for d in diags.errors]

    marks.write_text("{% macro mark() %}*{% endmacro %}\n", encoding="utf-8")
    part.write_text("<p>part</p>\n", encoding="utf-8")
    assert said() == []
    marks.write_text("{% macro other() %}*{% endmacro %}\n", encoding="utf-8")
    assert said() == [("HF0703", "themes/default/templates/credits.html", line,
                       "'_marks.html' (imported as mm) has no macro or name 'mark'")]
    marks.write_text("{% macro mark() %}*{% endmacro %}\n", encoding="utf-8")
    part.write_text('<p>part</p>{% include "credits.html" %}\n', encoding="utf-8")
    assert said() == [("HF0703", "themes/default/templates/_part.html", 1,
                       "template '_part.html' draws itself (_part.html → credits.html → _part.html): "
                       "every page drawn with it recurses without end")]
    part.write_text("<p>part</p>\n", encoding="utf-8")
    assert said() == []


def test_a_carriage_return_alone_in_a_theme_file_is_said_where_it_is(project_factory):
    """Jinja and CSS end a line at a CR alone, git and foundry's code frames do not: a
    hero.html whose line ending after `<article …>` was a CR alone said `{{ tags[5] }}`
    one line below it, under a frame showing another line's text. Each theme text file
    (site and print templates, their stylesheets) holding one is HF0131 at the CR, by
    its line as git counts it; a template holding one is not checked further (what
    would be said of it would be said a line off), and the build stops at it."""
    root = project_factory()
    _mine(root)
    hero = root / HERO
    hero.parent.mkdir(parents=True)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    opened, title = '<article class="entity hero-page">\n', "{{ title_html or title }}"
    assert opened in text and title in text
    cr_line = text[: text.index(opened)].count("\n") + 1
    hero.write_bytes(text.replace(opened, opened[:-1] + "\r", 1)
                     .replace(title, title + "{{ tags[5] }}", 1).encode("utf-8"))
    book = root / "themes/mine/print/templates/story.html.j2"
    book.parent.mkdir(parents=True)
    book.write_bytes(b"{# a note #}\r" + (REPO / "themes/default/print/templates/story.html.j2").read_bytes())
    (root / "themes/mine/print/css").mkdir(parents=True)
    (root / "themes/mine/print/css/sheet.css").write_bytes(
        (REPO / "themes/default/print/css/sheet.css").read_bytes() + b"/* x */\rh1 { color: red }\r\n")
    sheet_line = (REPO / "themes/default/print/css/sheet.css").read_bytes().count(b"\n") + 1
    (root / "themes/mine/static").mkdir(parents=True)
    (root / "themes/mine/static/site.css").write_bytes(b"body { margin: 0 }\r\rp { margin: 0 }\n")
    # a page template may include any file of the folder (`{% include "parts/note.txt" %}`):
    # Jinja reads it by its lines too
    (root / "themes/mine/templates/parts").mkdir()
    (root / "themes/mine/templates/parts/note.txt").write_bytes(b"<p>a</p>\r\n<p>b</p>\r{{ tags[5] }}\n")
    (root / "themes/mine/templates/parts/mark.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\r\x00")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted((d["code"], d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                   if d["severity"] == "error")
    assert found == [("HF0131", "themes/mine/print/css/sheet.css", sheet_line, 8),
                     ("HF0131", "themes/mine/print/templates/story.html.j2", 1, 13),
                     ("HF0131", "themes/mine/static/site.css", 1, 19),
                     ("HF0131", HERO, cr_line, len(opened)),
                     ("HF0131", "themes/mine/templates/parts/note.txt", 2, 9)], found
    said = {d["file"]: d["message"] for d in run.json()["diagnostics"]}
    assert "(and 1 more in the file)" in said["themes/mine/static/site.css"], said
    built = foundry("build", "--only", "html,pdf", "--project", str(root))
    assert built.code == 1 and built.stderr.count("HF0131") == 5 and "HF0703" not in built.stderr, built.stderr
    assert not (root / "build").exists()


def test_what_shipped_templates_need_of_a_replaced_one_is_said_once_at_the_projects_file(project_factory):
    """A project theme replaces single files; the shipped templates it did not copy still
    import macros from its replacement, fill its blocks and read what it sets. A
    `_macros.html` (or the books' `macros.html.j2`) without those macros stopped the
    build at each shipped template's line (8 errors at print templates the writer never
    wrote; the site one at a time, base.html's `m.mark` first); a `base.html` importing
    no `m` stopped hero.html, quest.html… at theirs; one without `{% block main %}`
    (or the books' `base.html.j2` without `body`) published empty pages and books with
    nothing said; a site.css of its own beside a story.css of its own left our entity.css,
    home.css… reading tokens it no longer defines (dropped by the browser, unsaid). Each
    is one diagnostic at line 1 of the project's file, naming every name it lacks, and
    nothing at the shipped files."""
    own = "themes/default/templates/"
    books = "themes/default/print/templates/"
    macros = project_factory({own + "_macros.html": "{% macro badge(status) %}{% endmacro %}\n",
                              books + "macros.html.j2": "{% macro hero_sheet(hero, level=2) %}{% endmacro %}\n",
                              # its own site.css and story.css: our entity.css… still linked, reading our tokens
                              "themes/default/static/site.css": ":root { --ink: #000; }\nbody { color: var(--ink); }\n",
                              "themes/default/static/story.css": ".scene { margin: 0; }\n"},
                             name="macros")
    bases = project_factory({own + "base.html": "<!DOCTYPE html>\n<html lang=\"en\"><body>{% block main %}"
                                                "{% endblock %}</body></html>\n",
                             books + "base.html.j2": "<!DOCTYPE html>\n<html lang=\"en\"><body></body></html>\n"},
                            name="bases")
    said = {}
    for root in (macros, bases):
        run = foundry("check", "--project", str(root), "--format", "json")
        found = run.json()["diagnostics"]
        assert not [d for d in found if d["file"].startswith("<")], found
        said |= {(d["file"], d["severity"]): d for d in found}
        assert run.code == (1 if root == macros or any(d["severity"] == "error" for d in found) else 0)
    assert sorted(said) == [(books + "base.html.j2", "warning"), (books + "macros.html.j2", "error"),
                            ("themes/default/static/site.css", "warning"),
                            (own + "_macros.html", "error"), (own + "base.html", "error"),
                            (own + "base.html", "warning")], sorted(said)
    tokens = said[("themes/default/static/site.css", "warning")]["message"]
    assert "--ink-2" in tokens and "--ink," not in tokens and "entity.css" in tokens, tokens
    assert all((d["code"], d["line"], d["column"]) == ("HF0703", 1, 1) for d in said.values())
    site_macros = said[(own + "_macros.html", "error")]["message"]
    assert all(f"'{name}'" in site_macros for name in ("mark", "person_card", "portrait", "in_base")), site_macros
    assert "credit_row" not in site_macros   # asked about first (`is defined`): optional
    assert "'in_base'" in said[(books + "macros.html.j2", "error")]["message"]
    assert "'m'" in said[(own + "base.html", "error")]["message"]
    assert "no block 'body_class', 'description', 'scripts'" in said[(own + "base.html", "warning")]["message"]
    assert "block 'body'" in said[(books + "base.html.j2", "warning")]["message"]
    assert "foundry theme eject --name scratch" in said[(own + "_macros.html", "error")]["hint"]


def test_a_site_css_importing_the_tokens_from_a_stylesheet_of_its_own_is_not_warned(project_factory):
    """A site.css of `@import url("tokens/all.css")` (whose rules import the rest, one
    importing site.css back) defines the tokens those files define, as a browser reads
    them: it was warned of every token the shipped parts read. One it imports from
    nowhere it has is still said."""
    from pipeline.exporters.html.theme import default_theme_dir

    shipped = (default_theme_dir() / "static" / "site.css").read_text(encoding="utf-8")
    static = "themes/default/static/"
    root = project_factory({static + "site.css": '@import url("tokens/all.css");\n@import "gone.css";\n'
                                                 "body { color: var(--ink); }\n",
                            static + "tokens/all.css": '@import "./more.css" screen;\n@import "../site.css";\n'
                                                       ":root { --ink: #000; }\n",
                            static + "tokens/more.css": shipped,
                            static + "story.css": ".scene { margin: 0; }\n"}, name="imports")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"] == [], run.stdout
    (root / static / "tokens" / "more.css").write_text(":root { --ink-2: #111; }\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert len(said) == 1 and said[0]["file"] == static + "site.css", said
    assert "--brass" in said[0]["message"] and "--ink-2" not in said[0]["message"], said


def test_a_books_root_is_said_without_lang_only_when_it_has_none(project_factory):
    """A project's print template whose root names its language behind a Jinja comment
    mentioning `<html>`, or through a block (`<html {% block root %}lang=…`), was warned
    that it names none (HF0703, at the comment or the tag); a root of `{{ attrs }}` may
    write it (WeasyPrint says so at the build if not). One with none is still said."""
    books = "themes/default/print/templates/"
    body = "<body>{{ info.title }}</body></html>\n"
    root = project_factory({
        books + "compendium.html.j2": '{# written as <html> is #}\n{% extends "base.html.j2" %}\n',
        books + "hero-sheet.html.j2": '<html {% block root %}lang="{{ info.language }}"{% endblock %}>' + body,
        books + "story.html.j2": "<!-- not <html lang=en> -->\n<html\n  data-x=\"{{ info.title }}\">" + body,
        books + "base.html.j2": "<html {{ info.attributes }}>" + body}, name="roots")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"] if 'Missing required "lang"' in d["message"]]
    assert said == [(books + "story.html.j2", 2, 1)], run.stdout
