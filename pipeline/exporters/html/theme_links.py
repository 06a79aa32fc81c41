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
address `url()` makes of a constant build path as an attribute's whole value
(`href="{{ url('site/about.html') }}"`, how docs/themes.md says to link a page) is
judged the same way, as the address each page's url() writes: a nav entry to a page the
site does not have passed check and stopped the build at the page. So is `asset()` of a
constant name, url() of that static file's build path (a stylesheet the theme lacks). Any other address
put together by an expression (`{{ url(row.page) }}`) is judged on the page, as
before; so is the `#fragment` of one (the ids are the page's, known once it is drawn).
So is a link a page may not write: one inside `{% if %}`, `{% for %}`, a macro, a
`{% call %}` or a `{% set %}` block (the page writes it or not by what it is given) or
outside the blocks of a template that extends another (never written), and
one inside a `{% block %}` is judged only from the pages whose template does not
replace that block.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
import hashlib
import itertools
import posixpath
import re
from typing import Any
from urllib.parse import unquote

from ...diagnostics import Diagnostics, Span
from ...load.delimited import blanked as blank_spans, inside, merged, pieces
from . import urls
from .links import collect

# A Jinja tag, expression or comment: blanked with a mark no address is judged with
# (ASCII: the page parser reads the bytes as Latin-1 when no charset is declared).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MARK = "`"
# A Jinja tag's name: what opens or closes a part of a template a page may not write.
_TAG = re.compile(r"\{%[-+]?\s*(\w+)(.*?)[-+]?%\}", re.DOTALL)
_EXTENDS = re.compile(r"\{%[-+]?\s*extends\b")
# `{{ url("site/about.html") }}` as the whole value of an address attribute: a constant
# build path url() makes relative to each page (group 3; no fragment or query, which the
# page's own ids judge). Any other expression is the page's to judge.
# Only a match the page's link collector reads as an address counts (`_own_links`): not
# one in an HTML comment, a script's text or an attribute no page's link is judged in.
_URL_CALL = re.compile(r"""\b(?:href|src|action)\s*=\s*(?P<q>["'])\s*(?P<expr>\{\{[-+]?\s*(?P<call>url|asset)\(\s*(?P<qq>["'])"""
                       r"""(?P<path>[^"'{}#?\s]+)(?P=qq)\s*\)\s*[-+]?\}\})\s*(?P=q)""")
# What stands in a url() call's place in the text handed to the link collector: an
# address no page writes, numbered, as long as the call (lines and offsets hold).
_STAND_IN = re.compile(r"hf-url-(\d+)_*")
_UNWRITTEN = re.compile(r"\{#.*?#\}|\{%[-+]?\s*raw\s*[-+]?%\}.*?\{%[-+]?\s*endraw\s*[-+]?%\}", re.DOTALL)
# What _JINJA, _TAG and _UNWRITTEN find, as pairs of an opening and its closing
# (load/delimited.py): each pattern read from every `{{` (`{%`, `{#`) on to the end of
# the template when nothing closed it, and again from the next: `{{ ` 20,000 times in a
# raw block (60 KB) was 6.6 CPU-s of check, a template of 16 MiB days. The patterns stay
# as their definition (tests/foundation/test_delimited.py compares the two).
_JINJA_PAIRS = [(re.compile(r"\{\{"), re.compile(r"\}\}")), (re.compile(r"\{%"), re.compile(r"%\}")),
                (re.compile(r"\{#"), re.compile(r"#\}"))]
_TAG_PAIR = [(re.compile(r"\{%[-+]?\s*(\w+)"), re.compile(r"[-+]?%\}"))]
_UNWRITTEN_PAIRS = [(re.compile(r"\{#"), re.compile(r"#\}")),
                    (re.compile(r"\{%[-+]?\s*raw\s*[-+]?%\}"), re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}"))]
# The parts a page writes or not by what it is given (a macro only where it is called,
# a set block only where its name is written).
_MAYBE = {"if": "endif", "for": "endfor", "macro": "endmacro", "call": "endcall", "set": "endset"}


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
    # each own template → a page of each folder of the site and template drawn with it
    folders: dict[str, dict[tuple[str, str], str]] = {}
    closures: dict[str, set[str]] = {}
    cut: dict[tuple[str, str], set[str]] = {}   # (page template, includer) → blocks it replaces
    for path, data in sorted(setup.pages.items()):
        data = getattr(data, "data", data)    # a page of another language (languages.InLanguage)
        page = data[1] if isinstance(data, tuple) and len(data) > 1 and data[0] == "page" else None
        template = getattr(page, "template", None)
        if template is None:
            continue
        if template not in closures:
            closures[template] = {name for name, ways in _always_written(env, template).items()
                                  if name in written and any(_open(env, template, way, cut) for way in ways)}
        for name in closures[template]:
            folders.setdefault(name, {}).setdefault((posixpath.dirname(path), template), path)
    for name, drawn in sorted(folders.items()):
        label, links = written[name]
        replaced = {template: _replaced(env, template, name) for _, template in drawn}
        for url, line, column, blocks, made in links:
            # a page of each folder whose template writes the link (a block of `name`
            # a template extending it replaces is not written on its pages)
            pages: dict[str, str] = {}
            for (folder, template), page in drawn.items():
                if not replaced[template] & blocks:
                    pages.setdefault(folder, page)
            # one link, one error: said from the first page it does not land from
            failing = [(page, problem) for page in pages.values()
                       if (problem := setup.checker.problem(page, _url(setup, page, url) if made else url, set()))]
            if not failing:
                continue
            (page, problem), more = failing[0], len(failing) - 1
            also = f" (and from the pages of {more} other folder{'s' if more > 1 else ''})" if more else ""
            static = made and url.startswith(urls.ASSETS + "/")
            shown = f"asset('{unquote(url[len(urls.ASSETS) + 1:])[:120]}')" if static else \
                f"url('{url[:120]}')" if made else f"'{url[:120]}'"
            diags.add("HF0701", f"link {shown} from {page} {problem}{also}", Span(label, line, column),
                      hint="asset() takes the name of a file in the theme's static/ folder (the project's or the "
                           "default theme's, docs/themes.md)." if static else
                      "url() takes the build path of a page the site has, from build/ (`site/credits.html`, "
                           "docs/themes.md)." if made else
                      "Link to a page the site has, or write the address with url(…) (docs/themes.md), "
                      "which makes it relative to each page.")


# Ways a template is reached from a page template, kept per template: a few tell
# whether some page drawn with it writes the template; more add nothing but work.
_WAYS = 8


def _always_written(env: Any, name: str) -> dict[str, list[tuple[tuple[str, frozenset[str]], ...]]]:
    """The templates a page drawn with `name` writes, each with the ways it is reached:
    it, the templates it extends and those it includes outside the parts a page may
    not write. An `{% include %}` inside `{% if %}` (`{% if page.path ==
    "site/index.html" %}{% include "extra.html" %}`) is written by some pages only, so
    its links were judged from every folder (a false HF0701 at check, and the build
    stopped, for a site whose links all land); an imported template writes only the
    macros a page calls; a name known only when the page is drawn is the page's to
    judge. A way is the (includer, the blocks around its include) of each include on
    it: an include in base.html's `{% block sidebar %}` is not written by a page whose
    template replaces that block (`_open`)."""
    drawn: dict[str, list[tuple[tuple[str, frozenset[str]], ...]]] = {}
    todo: list[tuple[str, tuple[tuple[str, frozenset[str]], ...]]] = [(name, ())]
    while todo:
        current, way = todo.pop()
        ways = drawn.setdefault(current, [])
        if way in ways or len(ways) >= _WAYS or any(step[0] == current for step in way):
            continue
        ways.append(way)
        if len(ways) > 1:
            continue   # what it draws was followed the first time (its ways aside)
        facts = _facts(env, current)
        if facts is None:
            continue   # said where the theme is checked
        for step in facts.steps:
            todo.append((step.name, way if step.extends else way + ((current, step.blocks),) if step.blocks else way))
    return drawn


@dataclass(frozen=True)
class _Facts:
    """What the walks above read of one template's parsed tree: its steps
    (template_steps.py), the names of the blocks it defines, and the template it
    extends (None: none, or one named by an expression)."""

    steps: tuple
    blocks: frozenset[str]
    parent: str | None


# Each template's facts by its text's digest and the environment's extensions: a
# function of the parsed tree alone, asked at every check of a project's own site
# theme (`foundry serve`'s saves, every build of a process). Each template a page is
# drawn with was parsed again for it (the steps) and again for each own template it
# extends (the blocks): ~6 % of a save's CPU at 10,000 heroes (benchmarks/serve_samples.py).
_FACTS: dict[tuple[str, tuple[str, ...]], _Facts] = {}


def _facts(env: Any, name: str) -> _Facts | None:
    """`_Facts` of the template `name` as `env` loads it; None when it does not load or
    parse (said where the theme is checked)."""
    import jinja2
    from jinja2 import nodes

    from ..template_steps import steps
    try:
        source = env.loader.get_source(env, name)[0]
        key = (hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), tuple(sorted(env.extensions)))
        found = _FACTS.get(key)
        if found is not None:
            return found
        tree = env.parse(source)
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return None
    parent = next(iter(tree.find_all(nodes.Extends)), None)
    found = _FACTS[key] = _Facts(tuple(steps(tree)), frozenset(block.name for block in tree.find_all(nodes.Block)),
                                 parent.template.value if parent is not None and isinstance(parent.template, nodes.Const)
                                 else None)
    if len(_FACTS) > 512:   # `foundry serve` over a long session: the oldest go
        del _FACTS[next(iter(_FACTS))]
    return found


def _open(env: Any, template: str, way: tuple[tuple[str, frozenset[str]], ...],
          cut: dict[tuple[str, str], set[str]]) -> bool:
    """Whether a page drawn with `template` writes what `way` (`_always_written`) leads
    to: no include on it stands in a block of its includer that `template` replaces."""
    for includer, blocks in way:
        if (template, includer) not in cut:
            cut[template, includer] = _replaced(env, template, includer)
        if cut[template, includer] & blocks:
            return False
    return True


def _url(setup: Any, page: str, target: str) -> str:
    """What `url(target)` writes on `page` (as exporter.page_context's url() makes it):
    the 404 page's from the web root, another's relative to it, in its language."""
    if page == urls.NOT_FOUND:
        return setup.checker.base_path + urls.in_site(target)
    languages = getattr(setup, "languages", None)
    if languages is not None:
        target = languages.target(target, languages.origin.get(page, (languages.base,))[0] or languages.base)
    return urls.relative(page, target)


def _own_links(theme: Any, env: Any) -> dict[str, tuple[str, list[tuple[str, int, int, frozenset[str], bool]]]]:
    """Each of the project's own templates that writes an address as it stands (no
    Jinja in it, no `#fragment`), or url() of a constant build path, where every page
    drawn with it writes it, but for the blocks it stands in: name → (its label,
    [(address or url()'s build path, line, column, its blocks, whether url() makes it)])."""
    import jinja2
    own = theme.dirs[0] / "templates"
    found: dict[str, tuple[str, list[tuple[str, int, int, frozenset[str]]]]] = {}
    for path in theme.listed(theme.dirs[0], "templates")[0]:
        if path.suffix != ".html":
            continue
        name = path.relative_to(own).as_posix()
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            continue   # said where the theme is loaded, or by check_templates
        links = _links_in(source)
        if links:
            found[name] = (theme.label(filename), list(links))
    return found


# `_links_in` of each own template's text, by its digest: a function of the text alone,
# asked at every `foundry serve` save of a project with its own site theme.
_LINKS: dict[str, tuple] = {}


def _links_in(source: str) -> tuple[tuple[str, int, int, frozenset[str], bool], ...]:
    """The addresses a template's text writes as they stand, as `_own_links` gives them."""
    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    found = _LINKS.get(key)
    if found is None:
        found = _LINKS[key] = _links_made(source)
        if len(_LINKS) > 512:   # `foundry serve` over a long session: the oldest go
            del _LINKS[next(iter(_LINKS))]
    return found


def _links_made(source: str) -> tuple[tuple[str, int, int, frozenset[str], bool], ...]:
    """`_links_in`, computed."""
    if "href" not in source and "src" not in source and "action" not in source:
        return ()
    # each Jinja piece blanked with marks, its line breaks kept: lines stay; so is
    # what a page may not write
    maybe, blocks = _parts(source)
    if _EXTENDS.search(source):
        maybe += _outside(blocks, len(source))   # a child template writes only its blocks
    # (one pass: a copy of the text for each part was quadratic in the parts)
    blanked = blank_spans(source, [piece.span() for piece in pieces(source, _JINJA_PAIRS)] + maybe, _blank)
    # each url() of a constant in its place as a stand-in address: judged only if
    # the collector reads it as the page's link (a commented-out nav entry, a url()
    # in a script's string or in data-href is not one; a false HF0701 stopped the build)
    calls = url_calls(source, maybe)
    for n, (_, _, _, start, end) in enumerate(calls):
        stand_in = f"hf-url-{n}"
        if len(stand_in) <= end - start:
            blanked = blanked[:start] + stand_in.ljust(end - start, "_") + blanked[end:]
    lines = source.split("\n")
    starts = list(itertools.accumulate((len(text) + 1 for text in lines[:-1]), initial=0))
    links, called = [], set()
    within = _Blocks(blocks)
    for url, line in collect(blanked).urls:
        url = url.strip()
        if (stand := _STAND_IN.fullmatch(url)) is not None:
            called.add(int(stand.group(1)))
        elif url and _MARK not in url and "#" not in url:
            links.append((url, line, _column(lines, line, url), within.at(_offset(lines, starts, line, url)), False))
    links += [(target, line, column, within.at(_offset(lines, starts, line, target, column)), True)
              for n, (target, line, column, _, _) in enumerate(calls) if n in called]
    return tuple(links)


def url_calls(source: str, maybe: list[tuple[int, int]]) -> list[tuple[str, int, int, int, int]]:
    """(build path, line, column, and the start and end of the `{{ … }}`) of each
    `{{ url("…") }}` of a constant (_URL_CALL) in `source` outside the parts a page may
    not write (`maybe`)."""
    found = []
    # a comment or a raw block writes no url() (`{# href="{{ url('x') }}" #}`)
    maybe = merged(maybe + [piece.span() for piece in pieces(source, _UNWRITTEN_PAIRS)])
    line, counted = 1, 0   # line breaks counted on from the last call, not from the start each time
    for m in _URL_CALL.finditer(source):
        at = m.start("path")
        line, counted = line + source.count("\n", counted, at), at
        if inside(maybe, at):
            continue
        line_start = source.rfind("\n", 0, at) + 1
        # asset("x.css") is url() of the static file's build path (exporter.page_context):
        # judged as that (a name the theme's static/ lacks passed check and stopped the build)
        path = m.group("path") if m.group("call") == "url" else urls.asset_link(m.group("path"))
        found.append((path, line, at - line_start + 1, *m.span("expr")))
    return found


def _blank(piece: str | re.Match) -> str:
    """`piece` (a text or a match's) as marks, its line breaks kept."""
    return re.sub(r"[^\n]", _MARK, piece if isinstance(piece, str) else piece.group())


def _parts(source: str) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """The spans of a template's text a page may not write (inside `_MAYBE`'s tags),
    and each `{% block %}`'s (start, end, name), by the tags as written (a tag left
    open runs to the end; the template's parse says so elsewhere)."""
    maybe: list[tuple[int, int]] = []
    blocks: list[tuple[int, int, str]] = []
    stack: list[tuple[str, int, str]] = []   # (the closing tag, where it opened, the block's name)
    for tag in pieces(source, _TAG_PAIR):   # _TAG.finditer(source)
        word, rest = tag.opening.group(1), tag.inner()
        if word in _MAYBE and not (word == "set" and "=" in rest):
            stack.append((_MAYBE[word], tag.span()[0], ""))
        elif word == "block":
            stack.append(("endblock", tag.span()[0], rest.split()[0] if rest.split() else ""))
        elif stack and word == stack[-1][0]:
            closing, start, name = stack.pop()
            _close(closing, start, tag.span()[1], name, maybe, blocks)
    for closing, start, name in stack:
        _close(closing, start, len(source), name, maybe, blocks)
    return maybe, blocks


def _outside(blocks: list[tuple[int, int, str]], size: int) -> list[tuple[int, int]]:
    """The spans of a template's text outside its outermost blocks: what a template
    that extends another never writes (Jinja renders only its blocks)."""
    spans, at = [], 0
    for start, end, _ in sorted(blocks):
        if start >= at:
            spans.append((at, start))
            at = end
    return spans + [(at, size)]


def _close(closing: str, start: int, end: int, name: str,
           maybe: list[tuple[int, int]], blocks: list[tuple[int, int, str]]) -> None:
    """Records a part `_parts` found closed at `end`: a block's, or one a page may not write."""
    if closing == "endblock":
        blocks.append((start, end, name))
    else:
        maybe.append((start, end))


def _offset(lines: list[str], starts: list[int], line: int, url: str, column: int = 0) -> int:
    """Where in its template the address `url` written on `line` (at `column`, when
    known) stands (`starts`: each line's offset); -1 for a line the template lacks."""
    return starts[line - 1] + (column - 1 if column else max(lines[line - 1].find(url), 0)) \
        if 0 < line <= len(lines) else -1


class _Blocks:
    """The names of the blocks (start, end, name) that hold a place of a template,
    found among the blocks that hold the last one starting before it (every block for
    every link was quadratic: 3,000 blocks each writing a link). Blocks nest or lie
    apart (`_parts` closes them by a stack), so a block holding a place holds that last
    one too: it is one of its enclosing blocks, whose ends grow outwards."""

    def __init__(self, blocks: list[tuple[int, int, str]]):
        self.blocks = sorted(blocks)
        self.starts = [start for start, _, _ in self.blocks]
        self.parent: list[int] = []
        open_: list[int] = []
        for i, (start, _, _) in enumerate(self.blocks):
            while open_ and self.blocks[open_[-1]][1] <= start:
                open_.pop()
            self.parent.append(open_[-1] if open_ else -1)
            open_.append(i)

    def at(self, at: int) -> frozenset[str]:
        i = bisect.bisect_right(self.starts, at) - 1
        while i >= 0 and self.blocks[i][1] <= at:
            i = self.parent[i]
        names = []
        while i >= 0:
            names.append(self.blocks[i][2])
            i = self.parent[i]
        return frozenset(names)


def _replaced(env: Any, template: str, own: str) -> set[str]:
    """The blocks a page drawn with `template` does not take from `own`: those the
    templates from `template` up its `{% extends %}` to `own` (not included) define.
    Empty when `own` is not one it extends (an included or imported template's blocks
    are its own: none then)."""
    names: set[str] = set()
    seen: set[str] = set()
    while template != own:
        if template in seen:
            return set()
        seen.add(template)
        facts = _facts(env, template)
        if facts is None:
            return set()
        names |= facts.blocks
        if facts.parent is None:
            return set()
        template = facts.parent
    return names


def _column(lines: list[str], line: int, url: str) -> int:
    """The 1-based column of `url` on `line` of a template (0 when it is not found there as typed)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text.find(url) + 1
