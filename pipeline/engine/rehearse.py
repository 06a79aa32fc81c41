"""What the project's own templates stop on when they run, found by `check`.

`check` reads a theme's templates without running them (exporters/sandbox.py,
template_names.py): a syntax error, an unknown name or filter, a loop past its budget.
What a template does with the values it is given is only known by drawing the page:
`{{ name.nope }}`, `{{ level + "x" }}`, `{{ tags[5] }}`, `{{ m.portrait() }}` missing an
argument, `{% include name %}`. Each stopped `foundry build` with HF0703 where `check`
had found the project clean. So `check` draws, in this process and within each page's
render budget, every page whose templates include one of the project's own (the
shipped theme's are foundry's, tested: a project that overrides nothing draws nothing
here), and says what those renders said, as the build says it (`one_per_slip`).
The print theme's own templates likewise: each book's HTML (a PDF's document, an EPUB's
chapters) is made from them as its build makes it, neither laid out nor packed, for
the books `[build] outputs` names.
Nothing is written. Only a World without errors is drawn, as only such a World is
built: a page of a World in error may fail for the error's sake.
"""

from __future__ import annotations

import time
from typing import Any

from ..diagnostics import Diagnostics, Span
from ..resolve.world import World

# What a render of a page says about the templates drawing it: their slips, their
# budgets, and a link a template put together that lands on no page (`<a href="{{ name
# }}.html">`; a link written as it stands is judged at the template, theme_links.py, and
# a link in prose at its line, outputs.py, before any page is drawn)
_THEME_CODES = frozenset({"HF0701", "HF0703", "HF0710", "HF0711", "HF0712"})
_OVER = frozenset({"HF0710", "HF0711"})   # a render's time or memory budget spent
# Pages (site pages, books) drawn past which each template's first page alone is: a
# check must stay a check. Drawn here, serially and without the build's warm workers, a
# hero page of a 10,000-hero world that overrides hero.html costs ~5.5 ms (60 pages:
# 0.33 CPU-s of a check after one edit): every page would add ~55 s to each check. A
# count, not a clock, so that what check says does not depend on the machine: a small
# project (the starter, the sample world's site) is drawn whole; in a larger one a slip
# only some page's values reach (`{{ tags[5] }}` on the 100th hero) is the build's to
# say, as before.
MAX_DRAWN = 60


def rehearse_templates(world: World, planned: dict[str, Any], diags: Diagnostics) -> None:
    """Draw each site page (`planned["html"]`, outputs.py PlannedOutput) whose template,
    or one it extends, includes or imports, is the project theme's own, and each book's
    HTML when the print theme has templates of its own; add to `diags` the
    HF0701/HF0703/HF0710/HF0711/HF0712 those renders say that `diags` does not hold yet."""
    from ..exporters.html.theme import one_per_slip
    from .. import budget
    said = {(d.code, d.span, d.message) for d in diags.items}
    found = Diagnostics()
    # within the render's memory budget, as the build draws them (render/pool.py): a
    # page's `{{ "%09999999999d" % 1 }}` took 10 GB of check's memory, unbounded, where
    # the build stops at 2 GiB more than it had (HF0711)
    tally = _Tally()
    with budget.memory_limit():
        _site_templates(world, planned, said, found, tally)
        _print_templates(world, planned, said, found, tally)
    one_per_slip(found)
    diags.extend(found.items)


class _Tally:
    """The CPU seconds of check's drawing added up against the operator's budget for a
    build's renders (FOUNDRY_BUILD_SECONDS, budget.build_seconds): up to MAX_DRAWN pages
    and as many books, each up to its render's 120 seconds, were hours of a check that
    nothing stopped. Past it check draws no more, HF0716 as a build says it."""

    def __init__(self) -> None:
        from .. import budget
        self.allowed, self.spent, self.drawn = budget.build_seconds(), 0.0, 0

    def more(self, found: Diagnostics) -> bool:
        """Whether another page or book may be drawn; once not, HF0716 in `found` (once)."""
        if self.spent <= self.allowed:
            return True
        if not any(d.code == "HF0716" for d in found.items):
            from ..render.pool import over_build_budget
            over_build_budget(found, self.spent, self.allowed,
                              f"check drew {self.drawn:,} of the pages and books made with the project's own "
                              "templates, and no more")
        return False

    def add(self, seconds: float) -> None:
        self.spent += seconds
        self.drawn += 1


def _site_templates(world: World, planned: dict[str, Any], said: set, found: Diagnostics, tally: _Tally) -> None:
    """Each site page drawn with a template of the project's own (not as shipped), rendered
    as the build renders it (render/pool.py `render_one`), its theme problems into `found`."""
    from ..exporters.html.theme import as_shipped, template_closure
    from ..exporters.languages import InLanguage
    from ..render.pool import render_one
    made = planned.get("html")
    if made is None or "html" not in world.project.config.build.outputs:
        return
    setup = made.plan.setup
    theme, env = getattr(setup, "theme", None), getattr(setup, "env", None)
    if theme is None or env is None or len(theme.dirs) < 2:
        return
    folder = theme.dirs[0] / "templates"
    fence = theme.fence(theme.dirs[0])
    # each compared where the Boundary reads it (`files` names it by its path): by its
    # path, `hero.html -> .a\\b` (the rule reads `.a/b`, as Windows does) was stat'ed
    # and read by the system through a name `.a\\b` linked out, and a file outside the
    # project that is the shipped hero.html kept the template the rule reads from its draw
    own = {path.relative_to(folder).as_posix() for path in theme.listed(theme.dirs[0], "templates")[0]
           if path.suffix == ".html" and (real := fence.resolve(path)) is not None
           and not as_shipped(real, "templates/" + path.relative_to(folder).as_posix())}
    if not own:
        return
    drawn_with: dict[str, bool] = {}
    drawn: dict[str, int] = {}   # pages drawn, by template
    analyses = _TemplateAnalyses()
    for item in made.plan.items:
        data = item.data.data if isinstance(item.data, InLanguage) else item.data
        if not (isinstance(data, tuple) and len(data) > 1 and data[0] == "page"):
            continue
        template = data[1].template
        if template not in drawn_with:
            drawn_with[template] = bool(own & template_closure(env, template))
        if not drawn_with[template] or (drawn.get(template) and sum(drawn.values()) >= MAX_DRAWN):
            continue
        if not tally.more(found):
            return
        drawn[template] = drawn.get(template, 0) + 1
        result = render_one(world, made.exporter, setup, item, fragments=analyses)
        tally.add(result.cpu)
        for d in result.diagnostics:
            if d.code in _THEME_CODES and (d.code, d.span, d.message) not in said:
                found.items.append(d)
            if d.code in _OVER:   # a template over its budget once is said: not paid for again page by page
                drawn_with[template] = False


# The fragments (exporters/html/exporter.py) that are analyses of a template, each a
# function of the theme's templates alone (which templates a page draws, whether a
# name prints whole): the same for every page drawn with that template in one check.
_ANALYSES = ("templates:", "prints:")
# Whether and how a list page's cards splice (`runs:`): no page is drawn spliced here.
# Splicing is the build's way to check a long list's cards apart from its skeleton;
# a page drawn whole is the way it falls back to on any doubt, with the same checks.
# The analysis walks the template's whole chain: a 340 KB base.html, which every
# page template extends, cost ~0.5 CPU-s for each of a dozen templates.
_WHOLE = b"null"


class _TemplateAnalyses:
    """RenderContext.fragments for check's drawn pages: a template's analyses made once
    and kept for the check (`_ANALYSES`), list pages drawn whole (`_WHOLE`), any other
    fragment (an entity's row or card) made by its render each time, as without a memo."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def __call__(self, key: str, render, view, reads=None, decode=None):
        if key.startswith("runs:"):
            data = _WHOLE
        elif key.startswith(_ANALYSES):
            if key not in self.kept:
                self.kept[key] = render(view)
            data = self.kept[key]
        else:
            data = render(view)
        return data if decode is None else decode(data)


def _print_templates(world: World, planned: dict[str, Any], said: set, found: Diagnostics, tally: _Tally) -> None:
    """Each PDF's and EPUB's templates run (their exporters' `rehearse`), when the print
    theme holds templates of the project's own and the output is made."""
    from ..exporters.base import RenderContext
    from ..exporters.books.theme import PrintTheme
    from ..exporters.epub.exporter import rehearse as epub_rehearse
    from ..exporters.html.theme import DEFAULT_LABEL, as_shipped
    from ..render.tracking import TrackedWorld
    chosen = world.project.config.build.outputs
    for name in ("pdf", "epub"):
        made = planned.get(name)
        setup = made.plan.setup if made is not None else None
        if name not in chosen or not isinstance(setup, PrintTheme) or not any(
                rel.startswith("templates/") and not setup.origins.get(rel, DEFAULT_LABEL).startswith(DEFAULT_LABEL)
                and not as_shipped(setup.files[rel], "print/" + rel) for rel in setup.files):
            continue
        rehearse = made.exporter.rehearse if name == "pdf" else epub_rehearse
        for count, item in enumerate(made.plan.items):
            if count >= MAX_DRAWN:   # as for site pages: the first books only
                break
            if not tally.more(found):
                return
            here, started = Diagnostics(), time.thread_time()
            _within_budget(made.exporter, setup, item.path, here,
                           lambda: rehearse(RenderContext(TrackedWorld(world), here, setup), item))
            tally.add(time.thread_time() - started)
            found.items.extend(d for d in here.items if d.code in _THEME_CODES and (d.code, d.span, d.message) not in said)
            if any(d.code in _OVER for d in here.items):
                break


def _within_budget(exporter: Any, setup: Any, path: str, diags: Diagnostics, run) -> None:
    """`run()` within a render's budgets of time and memory, over them said as
    render/pool.py says it."""
    from .. import budget
    try:
        with budget.time_limit(), budget.memory_limit():
            run()
    except (budget.OverBudget, MemoryError, RecursionError) as exc:
        over = exc if isinstance(exc, budget.OverBudget) else budget.OutOfMemory(
            "recursed too deeply" if isinstance(exc, RecursionError) else "ran out of its memory budget")
        diags.add(over.code, f"{over} (while making {path})", exporter.locate(setup, exc) or Span(f"build/{path}"))


def foretell_book_sizes(world: World, planned: dict[str, Any], diags: Diagnostics) -> None:
    """HF0712 for each book of `[build] outputs` whose HTML the build would refuse as
    too long to lay out (exporters/books/book_size.py), in the build's words and at its
    place: a book whose bound from what check knows could pass the limit is drawn as
    its build draws it (its exporter's `rehearse`), neither laid out nor packed; any
    other costs a bound. The project's own print templates are bound by nothing: with
    them the compendium, the one book as long as the world, is drawn every check."""
    from ..exporters.base import RenderContext
    from ..exporters.books import theme as print_theme
    from ..exporters.books.book_size import Bounds, own_templates
    from ..exporters.epub.exporter import rehearse as epub_rehearse
    from ..exporters.languages import InLanguage
    from ..render.tracking import TrackedWorld
    from ..resolve.localized import localized
    chosen = world.project.config.build.outputs
    limit = print_theme.MAX_DOCUMENT
    bounds: dict[str, Bounds] = {}   # by language

    def bound_of(language: str, setup) -> Bounds:
        if language not in bounds:
            shown = localized(world, language) if language else world
            bounds[language] = Bounds(shown, setup.words.for_language(shown.project.config.project.language))
        return bounds[language]

    for name in ("pdf", "epub"):
        made = planned.get(name)
        setup = made.plan.setup if made is not None else None
        if name not in chosen or not isinstance(setup, print_theme.PrintTheme):
            continue
        # the shipped templates and their words: what the bounds are made for (a project's
        # own catalog may lengthen each word: its compendium is drawn, its smaller books bound)
        templates = own_templates(setup)
        own = templates or any(path.startswith("themes/") for paths in setup.words.sources.values() for path in paths)
        rehearse = made.exporter.rehearse if name == "pdf" else epub_rehearse
        for item in made.plan.items:
            language, data = (item.data.language, item.data.data) if isinstance(item.data, InLanguage) \
                else ("", item.data)
            if templates and data[0] != "compendium":
                continue   # drawn by `rehearse_templates`, which says HF0712 too (the first books)
            if not (own and data[0] == "compendium"):
                bound = bound_of(language, setup)
                if data[0] == "compendium":
                    at_most = bound.compendium() if name == "pdf" else bound.epub_chapter(limit)
                elif data[0] == "hero":
                    at_most = bound.hero_sheet(data[1], limit)
                else:
                    at_most = bound.story(data[1])
                if at_most <= limit:
                    continue
            here = Diagnostics()
            _within_budget(made.exporter, setup, item.path, here,
                           lambda: rehearse(RenderContext(TrackedWorld(world), here, setup), item))
            said = {(d.code, d.span, d.message) for d in diags.items}
            diags.extend(d for d in here.items if d.code == "HF0712" and (d.code, d.span, d.message) not in said)
