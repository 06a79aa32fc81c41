"""Template texts parsed once per process for every environment that parses alike
(exporters/sandbox.py `parses_alike`), not once per environment: each build makes the
site's environment anew, and a warm run of `build --only html` of the minimal project
parsed and walked its ~16 templates again (~0.05 CPU-s; docs/performance.md warm47).
The memo is keyed by the text and what the parse depends on: an edited text, or an
environment whose syntax differs, is parsed again."""

from __future__ import annotations

import jinja2
import pytest

from support import REPO

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.theme import load_theme, template_closure
from pipeline.exporters.sandbox import BoundedSandbox
from pipeline.exporters.theme_words import install
from pipeline.load.project import load_project


def _env(words: bool = True, **options) -> jinja2.Environment:
    """An environment as the themes make theirs (html/theme.py, books/theme.py)."""
    settings = dict(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True) | options
    env = BoundedSandbox(loader=jinja2.DictLoader({}), **settings)
    return install(env) if words else env


def test_two_environments_alike_share_a_texts_tree_and_others_do_not():
    text = "{% for x in xs %}{{ _('Search') }}{% endfor %}\n"
    first, second = _env(), _env()
    assert second.parse(text) is first.parse(text)   # the second environment parses nothing
    assert _env(trim_blocks=False).parse(text) is not first.parse(text)
    # a tag only the i18n extension parses: not a tree an environment without it shares
    trans = "{% trans %}Search{% endtrans %}"
    assert _env().parse(trans) is not None
    with pytest.raises(jinja2.TemplateSyntaxError):
        _env(words=False).parse(trans)


def test_a_template_edited_between_two_builds_of_one_process_is_followed_again(project_factory):
    """The site's closure of a page template (what it extends and includes), read from
    the memo by text: the edit that includes another template is followed in the next
    build's environment."""
    root = project_factory({"themes/default/templates/part_a.html": "A\n",
                            "themes/default/templates/part_b.html": "B\n",
                            "themes/default/templates/page.html": '{% include "part_a.html" %}\n'})

    def closure() -> set[str]:
        theme = load_theme(load_project(root, Diagnostics()), Diagnostics())
        return template_closure(theme.environment(), "page.html")

    assert closure() == {"page.html", "part_a.html"}
    (root / "themes/default/templates/page.html").write_text('{% include "part_b.html" %}\n', encoding="utf-8")
    assert closure() == {"page.html", "part_b.html"}


def test_a_page_templates_splice_check_is_answered_again_only_while_its_templates_read_the_same(project_factory,
                                                                                                 monkeypatch):
    """splice.py's checks of a page template (`splices_safely`, `card_runs`,
    `prints_whole`) remembered with the texts of the templates they read (`_by_reads`):
    another project with the same templates, or the next build's environment, is
    answered without parsing or walking them; a project whose base.html differs (here
    one that names `self`, so no page of it splices), or the same file edited back, is
    checked again."""
    from pipeline.exporters.html import splice
    shipped = (REPO / "themes/default/templates/base.html").read_text(encoding="utf-8")

    def env(root):
        return load_theme(load_project(root, Diagnostics()), Diagnostics()).environment()

    assert splice.splices_safely(env(project_factory(name="first")), "hero-index.html") is True
    checked = []
    check_chain = splice._check_chain
    monkeypatch.setattr(splice, "_check_chain", lambda *args: checked.append(args[1]) or check_chain(*args))
    assert splice.splices_safely(env(project_factory(name="second")), "hero-index.html") is True
    assert checked == []   # the same texts: answered, nothing parsed or walked
    own = project_factory({"themes/default/templates/base.html": "{% set x = self %}" + shipped}, name="own")
    assert splice.splices_safely(env(own), "hero-index.html") is False and checked
    (own / "themes/default/templates/base.html").write_text(shipped, encoding="utf-8")
    assert splice.splices_safely(env(own), "hero-index.html") is True


def test_the_splice_answers_kept_hold_no_copy_of_the_templates_they_read(project_factory):
    """`_by_reads` keeps each answer with the digests of the texts its check read, not
    the texts: each check reads its own copy of every template of its chain (the
    loader's), and a theme's template may be 1 MiB (MAX_TEMPLATE). Kept as texts, every
    answer held a copy of base.html (a site build of a theme whose base.html included
    twelve 1 MiB parts held 160 MB after it; each edit in `foundry serve` more, up to
    128 answers a check). Twelve answers of a page template extending a 0.2 MB
    base.html (its trees parsed before, so only the answers are new): under one copy."""
    import gc
    import tracemalloc
    from pipeline.exporters.html import splice
    shipped = (REPO / "themes/default/templates/base.html").read_text(encoding="utf-8")
    pad = "<p>" + "filler " * (200_000 // 7) + "</p>\n"
    root = project_factory({"themes/default/templates/base.html": shipped.replace("</body>", pad + "</body>", 1)})
    env = load_theme(load_project(root, Diagnostics()), Diagnostics()).environment()
    splice.prints_whole(env, "hero.html", ("data0",))   # the chain parsed: its trees are the parse memo's
    gc.collect()
    # Only what the checks allocated counts (a frame of splice.py on its stack): tracemalloc
    # sees every thread, and a thread an earlier test of the same worker left running
    # (CI, four workers) once counted 0.5 MB of its own here.
    tracemalloc.start(64)
    try:
        for n in range(1, 13):   # an answer for each set of names (exporter.py: a page's script data)
            splice.prints_whole(env, "hero.html", (f"data{n}",))
        gc.collect()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    mine = snapshot.filter_traces([tracemalloc.Filter(True, splice.__file__, all_frames=True)])
    kept = sum(stat.size for stat in mine.statistics("filename"))
    assert kept < len(pad), f"{kept:,} bytes kept by twelve answers"
