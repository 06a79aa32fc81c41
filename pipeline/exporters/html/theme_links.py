"""Links a project's own site template writes as they stand, judged by `check`.

The site's link check reads each page as it is written (links.py), so a link the
project's theme types into a template (`<a href="heroes/missing.html">`) that lands
on no page the build writes passed `foundry check` clean and stopped every build with
HF0701 at build/site/credits.html, a file the writer never wrote (check and build
disagreed). Each address one of the project's own templates writes with no Jinja in
it is judged here by the same rule (LinkChecker.problem) from every folder of the
site a page drawn with that template is written in (a relative link from base.html
lands elsewhere from site/ and from site/heroes/), and said at the template's line;
the build judges it the same way before rendering, so it stops there, once. An
address put together by an expression (`{{ url(...) }}`) is judged on the page, as
before; so is the `#fragment` of one (the ids are the page's, known once it is drawn).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from ...diagnostics import Diagnostics, Span
from .links import collect

# A Jinja tag, expression or comment: blanked with a mark no address is judged with
# (ASCII: the page parser reads the bytes as Latin-1 when no charset is declared).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MARK = "`"


def theme_link_problems(setup: Any, diags: Diagnostics) -> None:
    """HF0701 at each link a project site template writes as it stands that would not
    land from a page drawn with it (`setup`: the site's HtmlSetup, its link checker the
    one the pages' renders use)."""
    theme, env = getattr(setup, "theme", None), getattr(setup, "env", None)
    if theme is None or env is None or len(theme.dirs) < 2:
        return   # the shipped theme's templates are foundry's, tested
    written = _own_links(theme, env)
    if not written:
        return
    from .theme import template_closure
    # each own template → a page of each folder of the site a page drawn with it is in
    folders: dict[str, dict[str, str]] = {}
    closures: dict[str, set[str]] = {}
    for path, data in sorted(setup.pages.items()):
        data = getattr(data, "data", data)    # a page of another language (languages.InLanguage)
        page = data[1] if isinstance(data, tuple) and len(data) > 1 and data[0] == "page" else None
        template = getattr(page, "template", None)
        if template is None:
            continue
        if template not in closures:
            closures[template] = template_closure(env, template) & written.keys()
        for name in closures[template]:
            folders.setdefault(name, {}).setdefault(posixpath.dirname(path), path)
    for name, pages in sorted(folders.items()):
        label, links = written[name]
        for url, line, column in links:
            # one link, one error: said from the first page it does not land from
            failing = [(page, problem) for page in pages.values() if (problem := setup.checker.problem(page, url, set()))]
            if not failing:
                continue
            (page, problem), more = failing[0], len(failing) - 1
            also = f" (and from the pages of {more} other folder{'s' if more > 1 else ''})" if more else ""
            diags.add("HF0701", f"link '{url[:120]}' from {page} {problem}{also}", Span(label, line, column),
                      hint="Link to a page the site has, or write the address with url(…) (docs/themes.md), "
                           "which makes it relative to each page.")


def _own_links(theme: Any, env: Any) -> dict[str, tuple[str, list[tuple[str, int, int]]]]:
    """Each of the project's own templates that writes an address as it stands (no
    Jinja in it, no `#fragment`): name → (its label, [(address, line, column)])."""
    import jinja2
    own = theme.dirs[0] / "templates"
    found: dict[str, tuple[str, list[tuple[str, int, int]]]] = {}
    for path in theme.fence(theme.dirs[0]).files(own)[0]:
        if path.suffix != ".html":
            continue
        name = path.relative_to(own).as_posix()
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            continue   # said where the theme is loaded, or by check_templates
        if "href" not in source and "src" not in source and "action" not in source:
            continue
        # each Jinja piece blanked with marks, its line breaks kept: lines stay
        blanked = _JINJA.sub(lambda m: re.sub(r"[^\n]", _MARK, m.group()), source)
        lines = source.split("\n")
        links = [(url.strip(), line, _column(lines, line, url.strip())) for url, line in collect(blanked).urls
                 if url.strip() and _MARK not in url and "#" not in url]
        if links:
            found[name] = (theme.label(filename), links)
    return found


def _column(lines: list[str], line: int, url: str) -> int:
    """The 1-based column of `url` on `line` of a template (0 when it is not found there as typed)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text.find(url) + 1
