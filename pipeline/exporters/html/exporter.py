"""build/site/: the static site, rendered from the World through the project's theme.

Each page is rendered from its template, then parsed and its links checked before
it is written (HF0701). A template that fails is HF0703 at its file and line; the
page is then left empty and the build stops before anything is swapped in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from types import MappingProxyType
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ...diagnostics import Diagnostics, Span
from ...git.versions import history_state
from ..languages import InLanguage, base_world, in_language, relocate, translation_reads
from ...resolve.localized import config_marks, fallback_marks, localized, output_languages, unlocalized
from ...load.media import derivative_widths, distinct_images, media_path, without_metadata
from ...render.tracking import TrackedWorld
from ...resolve.world import World
from ..base import LIST, ONE, Plan, Planned, PlanParts, RenderContext, parts_of
from ...l10n.pseudo import is_pseudo
from ...l10n.scripts import text_direction
from ..books.direction import mark_directions_in_place, needs_marks
from ..books.cluster_breaks import clusters_breakable_in_place
from ..books.mark_room import room_for_marks_in_place, wants_rewrite
from . import urls
from .languages import SiteLanguages
from .links import LinkChecker, collect
from .minify import minify
from .cards import MACROS, CardDrawer, card_context
from .reask import PageAsker
from .splice import Placeholders, ScriptData, card_links, card_runs, prints_whole, splices_safely
from .pages import (ENTITY_TABLES, ENTITY_VIEWS, Page, entity_page, page_paths, page_view, plan_pages,
                    shown_entries, site_pages)
from .share import share_data
from . import sitemap
from .styles import plan_key, stylesheets
from .views.site import direct
from .. import sandbox
from ..theme_words import CONTEXT_KEY, N_, ThemeWords, report_missing_words, words_key
from ...load.project import CONFIG_NAME, _toml_key_span
from .theme import (TEMPLATE_RUNTIME_ERRORS, Theme, budget_span, failed_in_template, load_theme,
                    report_template_error, template_closure)

# The input key of which stylesheets pages link (styles.py): every page reads it.
STYLESHEETS = "theme:stylesheets"
# The input key of the theme's words in one language (theme_words.py): every page in it reads it.
WORDS = words_key("{}")
# The input key of the content version a list page's footer shows (`_list_versions`),
# by what it lists ("*": everything): its hash is that version itself.
LIST_VERSION = "site:version:{}"
# The input key of the credits page's authors (`_site_authors`): its hash is the list itself.
AUTHORS = "site:authors"
NAV = ((N_("Heroes"), urls.index_page("hero")), (N_("Characters"), urls.index_page("character")),
       (N_("Stories"), urls.index_page("story")), (N_("Quests"), urls.index_page("quest")),
       (N_("Relationships"), urls.RELATIONSHIPS))


@dataclass(frozen=True)
class HtmlSetup:
    """What every page render shares, made once by `plan`: the theme and its Jinja
    environment (None when the theme could not be loaded: every page then reports it),
    what loading it found, the planned pages' data by written path (for links to
    page#fragment; InLanguage in a multilingual site), the link checker, and the
    site's languages (None for a one-language site)."""

    theme: Theme | None
    env: Any
    problems: tuple
    pages: Mapping[str, Any]
    checker: LinkChecker
    languages: SiteLanguages | None
    statics: tuple[frozenset[str], frozenset[str]]   # every static file of the theme, the project's own
    words: ThemeWords = ThemeWords()                  # the theme's catalogs (theme_words.py)
    versions: Mapping[str, str] = field(default_factory=dict)   # the list pages' content versions (`_list_versions`)
    authors: tuple | None = None   # the credits page's (history_state, everyone who wrote an entity): `_site_authors`
    # name under static/ → the file that wins (Theme.static_files), listed once by the
    # plan: each static file's render listed every theme folder's static/ again, work
    # growing with the square of their count (a plan is kept only while the theme is
    # as it was: engine/outputs.py PlanMemo)
    static: Mapping[str, Path] = field(default_factory=dict)
    root: Mapping[str, Path] = field(default_factory=dict)   # name under root/ → its file (Theme.root_files)


class HtmlExporter:
    name = "html"
    version = "2"

    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        # `parts`: each entity's page and each portrait's media paths as earlier plans
        # made them from the same Entry or Asset (base.PlanParts: the engine's memo, so
        # a save does not make 10,650 pages again for one edited hero)
        memo, parts = parts, parts_of(parts)
        found = Diagnostics()
        theme = load_theme(world.project, found)
        env = theme.environment() if theme is not None else None
        plans, languages = _plan_pages(world, parts)
        pages = {p.path: p.data for p in plans}
        static = theme.static_files() if theme is not None else {}
        for name in static:
            plans.append(Planned(urls.asset(name), ("static", name)))
        if urls.has_sitemap(world.project.config.project.base_url):
            plans += [Planned(path, data, LIST) for path, data in sitemap.plan(len(_sitemap_pages(pages, languages)))]
        plans.append(Planned(urls.NO_JEKYLL, ("nojekyll",), ONE))
        media = _media(world, memo)
        # the generated robots.txt is one of the files the site writes, so a theme's
        # root/robots.txt/… folder is HF0723 at its file (it was HF0704, "html and html")
        robots = _robots_wanted(world.project.config.project.base_url,
                                theme.root_files() if theme is not None else {})
        written = {p.path for p in plans} | media | ({urls.ROBOTS} if robots else set())
        root = _root_files(theme, written, found) if theme is not None else {}
        _unread_at_a_sub_path(theme, root, world.project.config.project.base_url, found)
        _host_names_miscased(theme, root, found)
        plans += [Planned(urls.at_root(name), ("root", name), ONE) for name in root]
        if robots:
            plans.append(Planned(urls.ROBOTS, ("robots",), ONE))
        known = {p.path for p in plans} | media
        base_path = urlsplit(world.project.config.project.base_url).path or "/"
        checker = LinkChecker(frozenset(known), base_path if base_path.endswith("/") else base_path + "/",
                              lambda path: None)
        statics = (frozenset(static), theme.project_static()) if theme is not None \
            else (frozenset(), frozenset())
        words = theme.words(found) if theme is not None else ThemeWords()
        # every language any output is made in (the books may be translated when the
        # site is not): one HF1140 for each the theme has no words for
        shown = output_languages(world) or (world.project.config.project.language,)
        toml = world.project.root / CONFIG_NAME
        report_missing_words(words, shown, _toml_key_span(toml, ("l10n", "languages")) if len(shown) > 1
                             else _toml_key_span(toml, ("project", "language")), found,
                             world.project.config.project.theme)
        for language in shown:   # each language's catalog made here, not in each render worker (theme_words._Catalogs)
            words.for_language(language)
        versions = _list_versions(world, memo)
        authors = _site_authors(world, memo)
        setup = HtmlSetup(theme, env, tuple(found.items), pages, checker, languages, statics, words,
                          MappingProxyType(versions), authors, MappingProxyType(static), MappingProxyType(root))
        # the theme's files, which stylesheets pages link, the theme's words in each
        # language and the list pages' content versions, as inputs pages record
        inputs = {**theme.file_hashes(), STYLESHEETS: hashlib.sha256(plan_key(*statics).encode()).hexdigest(),
                  **{WORDS.format(lang): words.digest(lang) for lang in shown},
                  **{LIST_VERSION.format(scope): version for scope, version in versions.items()},
                  AUTHORS: hashlib.sha256(json.dumps(authors).encode()).hexdigest()} \
            if theme is not None else {}
        # what loading the theme found (a missing theme, links that lead outside) is
        # reported before anything renders, so a fresh page cannot hide it
        return Plan(tuple(sorted(plans, key=lambda p: p.path)), setup, tuple(found.items), inputs)

    # --- rendering -----------------------------------------------------------------------

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        with in_language(ctx, item) as (ctx, item):
            return _render(ctx, item)

    def reasker(self, setup: HtmlSetup, world: World, item: Planned, fragment) -> PageAsker | None:
        """How a logged list page asks for its cards and search entries again
        (render/stored_spans.py, reask.py); None for a page it cannot (a theme that did
        not load, a page of a multilingual site, the sitemap): rendered whole and not
        logged. `fragment` asks this build's memo (None: only whether it can is asked)."""
        if setup.theme is None or setup.languages is not None or not isinstance(item.data, tuple) \
                or item.data[0] != "page":
            return None
        return PageAsker(setup, world, item, fragment)

    def locate(self, setup: HtmlSetup, exc: BaseException):
        """The template line a render over its budget was running (render/pool.py asks)."""
        return budget_span(setup.theme, exc) if setup.theme is not None else None


def _robots_wanted(base_url: str, root: Mapping[str, Path]) -> bool:
    """Whether the site gets a robots.txt naming its sitemap: only when it has a sitemap
    and is published at its host's root (a crawler asks for `/robots.txt` alone: under a
    sub-path nothing reads it), and the theme's root/ has no robots.txt of its own, which
    is published instead (the team's rules: Disallow lines, other sitemaps)."""
    return (urls.has_sitemap(base_url) and urlsplit(base_url).path in ("", "/")
            and not any(name.casefold() == "robots.txt" for name in root))


def robots_txt(base_url: str) -> bytes:
    """robots.txt for a site at the root of `base_url`'s host: every crawler may read
    every page, and the sitemap's whole address (Jekyll's, Zola's and Hugo's own say as
    much; Google, Bing and the sitemaps protocol read the `Sitemap:` line)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base_url, urls.SITEMAP)}\n".encode("ascii")


def _root_files(theme: Theme, written: set[str], diags: Diagnostics) -> dict[str, Path]:
    """The theme's root/ files to publish at the site's root (Theme.root_files). One at a
    path the site writes (`index.html`, `404.html`, `sitemap.xml`, a page), whose name
    differs from one only in case (one file on macOS's and Windows' disks), or inside a
    folder the build fills whole (`assets/`, `media/`, `api/`) is HF0723 at the file and
    left out: a theme's file never silently replaces, or is replaced by, what foundry writes."""
    root = theme.root_files()
    if not root:
        return {}
    taken = {path.casefold(): path for path in written}
    folders: dict[str, str] = {}   # every folder the site writes into, folded → one file in it
    for path in written:
        parent = path.rpartition("/")[0]
        while parent and parent.casefold() not in folders:
            folders[parent.casefold()] = path
            parent = parent.rpartition("/")[0]
    kept: dict[str, Path] = {}
    for name, path in root.items():
        target = urls.at_root(name)
        top = name.split("/", 1)[0].casefold() if "/" in name else None
        owned = top if top in urls.BUILD_FOLDERS else None
        # the file itself, or a folder on its way, where the site writes a file
        over = next((taken[part] for part in _and_parents(target.casefold()) if part in taken), None)
        under = folders.get(target.casefold())   # where the site needs a folder
        if owned is None and over is None and under is None:
            kept[name] = path
            continue
        shown = theme.label(str(path))
        if owned is not None:
            why = f"{owned}/ is filled by the build alone"
        elif under is not None:
            why = f"the site needs a folder there (for {under})"
        else:
            why = f"the site writes {over} there" if over.casefold() == target.casefold() \
                else f"the site writes the file {over} where it needs a folder"
            if over != target[:len(over)]:
                why += " (one name on a disk that ignores case)"
        diags.add("HF0723", f"{shown} would be published as {target}, but {why}", Span(shown),
                  hint=f"Rename or move {shown}: root/ is for files the build does not write "
                       "(`_headers`, `_redirects`, `CNAME`, `robots.txt`, `favicon.ico`); "
                       "a page of your own is a template, a stylesheet or picture goes in static/.")
    return kept


# root/ files a host or crawler reads only at the root of its host (RFC 9309 robots.txt,
# RFC 8615 .well-known/, GitHub Pages' CNAME, Netlify's and Cloudflare Pages' _headers
# and _redirects): published under a sub-path, nothing reads them.
HOST_ROOT_FILES = frozenset({"robots.txt", "CNAME", "_headers", "_redirects"})


def _unread_at_a_sub_path(theme: Theme | None, root: Mapping[str, Path], base_url: str, diags: Diagnostics) -> None:
    """HF0724 (a warning) at each root/ file of `HOST_ROOT_FILES` or under `.well-known/`
    when `base_url` publishes the site under a sub-path (`https://you.github.io/repo/`):
    it lands at `/repo/robots.txt`, where no crawler or host looks."""
    path = urlsplit(base_url).path or "/"
    if theme is None or path == "/":
        return
    for name, file in root.items():
        if _host_name(name) is not None:
            shown = theme.label(str(file))
            diags.add("HF0724", f"{shown} is published at {path.rstrip('/')}/{name}, under the site's sub-path "
                      f"(base_url {base_url}): it is read only at the root of its host, /{name}", Span(shown),
                      hint="Publish the site at its host's root (base_url = \"https://example.org/\"), or move the "
                           "file to the site served there (for GitHub Pages, the <owner>.github.io repository).")


def _host_name(name: str) -> str | None:
    """The name a host or crawler reads at its root (HOST_ROOT_FILES, `.well-known/…`)
    that the root/ file `name` spells, in any case (`ROBOTS.TXT` → `robots.txt`), or None."""
    folded = name.casefold()
    for known in HOST_ROOT_FILES:
        if folded == known.casefold():
            return known
    if folded.startswith(".well-known/"):
        return ".well-known/" + name[len(".well-known/"):]
    return None


def _host_names_miscased(theme: Theme | None, root: Mapping[str, Path], diags: Diagnostics) -> None:
    """HF0725 (a warning) at each root/ file that spells a name a host reads only exactly
    (`ROBOTS.TXT`, `cname`, `_Headers`, `.Well-Known/…`): RFC 9309 and RFC 8615 name
    their paths in lowercase, GitHub Pages reads `CNAME`, Netlify `_headers`, and a Linux
    host's names are case-sensitive, so the file is published where nothing reads it (and
    a miscased robots.txt still stands in for the generated one: `_robots_wanted`)."""
    if theme is None:
        return
    for name, file in root.items():
        wanted = _host_name(name)
        if wanted is not None and wanted != name:
            shown = theme.label(str(file))
            renamed = shown[:len(shown) - len(name)] + wanted
            diags.add("HF0725", f"{shown} is published as /{name}, but hosts and crawlers read only /{wanted}, "
                      "spelt so (their names are case-sensitive)", Span(shown), hint=f"Rename it {renamed}.")


def _and_parents(path: str) -> list[str]:
    """`site/a/b/c` → [`site/a/b/c`, `site/a/b`, `site/a`]: a path and the folders on its way."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 1, -1)]


def _plan_pages(world: World, parts: PlanParts) -> tuple[list[Planned], SiteLanguages | None]:
    """Every page; in a multilingual project, every page in every language
    (languages.py), each planned from the World as read in its language. An entity's
    page of a one-language site is the part of `parts` made from its Entry (a page in
    one of several languages is made from that language's World, made anew each build)."""
    languages = output_languages(world, HtmlExporter.name)
    if not languages:
        plans = [Planned(page.path, ("page", page), weight) for page, weight in site_pages(world)]
        for kind, table in ENTITY_TABLES:
            plans += parts.table(f"page:{kind}", getattr(world, table), lambda eid, entry, kind=kind:
                                 Planned(urls.entity_page(kind, eid), ("page", entity_page(kind, eid, entry)), ONE))
        return plans, None
    plans, origin = [], {}
    for language in languages:
        for page, weight in plan_pages(localized(world, language)):
            if language != languages[0] and page.path == urls.NOT_FOUND:
                continue   # hosts serve one 404 page, at the root
            path = relocate(page.path, language, languages[0])
            origin[path] = (language, page.path)
            plans.append(Planned(path, InLanguage(language, ("page", replace(page, path=path))), weight))
    return plans, SiteLanguages(languages, frozenset(p for _, p in origin.values()), origin)


def _render(ctx: RenderContext, item: Planned) -> bytes:
    setup: HtmlSetup = ctx.setup
    ctx.diags.extend(setup.problems)
    if setup.theme is None:
        return b""
    what = item.data[0]
    if what == "nojekyll":
        return b""
    if what == "robots":
        # made because the theme has no root/robots.txt: read as absent, so one added later
        # replaces this file in an incremental build (the path's plan alone changes)
        ctx.reads.add("theme:root/robots.txt")
        return robots_txt(ctx.world.project.config.project.base_url)
    if what == "root":
        # as written, byte for byte: a host reads `_headers` or `CNAME` exactly
        ctx.reads.add(f"theme:root/{item.data[1]}")
        return setup.theme.read(setup.root[item.data[1]])
    if what == "static":
        ctx.reads.add(f"theme:static/{item.data[1]}")
        name = item.data[1]
        return minify(name, without_metadata(setup.theme.read(setup.static[name])))
    if what == "sitemap":
        # every page in every language, but not the 404 page (page_paths leaves it out too).
        # Which pages exist is read from the tracked World in either case: the languages'
        # paths come from the plan, which records nothing, and a hero added was left out
        paths = page_paths(ctx.world)
        if setup.languages is not None:
            paths = _sitemap_pages(setup.pages, setup.languages)
        return sitemap.render(ctx.world.project.config.project.base_url, paths, item.data)
    page: Page = item.data[1]
    ctx.reads.update(templates_of(ctx, page.template))
    ctx.reads.add(STYLESHEETS)
    ctx.reads.add(WORDS.format(ctx.world.project.config.project.language))
    # a list page is drawn with a placeholder for each card and checked as its skeleton
    # and its cards (splice.py), when its templates print the cards as they are
    splices = _splices(ctx, page.template)
    placeholders = Placeholders(runs=splices) if splices is not None else None
    try:
        return _page(ctx, setup, page, placeholders)
    finally:
        if placeholders is not None:
            # The page's CardDrawer holds its placeholders and each card's Ask holds the
            # drawer (a cycle), and Jinja's contexts and macros hold the drawer too (more
            # cycles): let go of the cards now, so that 10,000s of drawn cards, their links
            # and Asks are freed as the page is done, not by the collector's full pass.
            placeholders.release()


def _page(ctx: RenderContext, setup: HtmlSetup, page: Page, placeholders: Placeholders | None) -> bytes:
    """A page's bytes, link-checked (as its skeleton and its cards when `placeholders`)."""
    html = _html(setup, ctx.world, page, ctx.diags, ctx.fragment, lambda name: templates_of(ctx, name),
                 placeholders, lambda card: card_links(setup.checker, page.path, card))
    if html is None:
        return b""
    checker = replace(setup.checker, ids_of=lambda path: _ids_of(ctx, path))
    direction = text_direction(ctx.world.project.config.project.language)
    if placeholders is not None and (placeholders.cards or placeholders.data):
        skeleton = placeholders.cut(html)   # the search index left out of what is parsed
        # the page as drawn, index and all (16 MiB of text for the search page at 10,000
        # heroes), not held while it is assembled from the skeleton: that was its
        # worker's peak (docs/performance.md mem41)
        del html
        if placeholders.clean(checker, page.path, skeleton):
            # the page is marked whole (below), so a save cannot splice a card in: a card
            # is drawn again without the page's marks
            # (tested on the skeleton and cards: the search index's words mark no block)
            marks = needs_marks(direction)
            marked = marks(skeleton) or any(marks(card) for card, _ in placeholders.cards)
            if marked or wants_rewrite(skeleton) or any(wants_rewrite(card) for card, _ in placeholders.cards):
                if ctx.spans is not None:
                    ctx.spans.splices = False
                whole = placeholders.assemble(skeleton)
                if marked:
                    whole = mark_directions_in_place(whole, direction)
                return clusters_breakable_in_place(room_for_marks_in_place(whole)).encode("utf-8")
            if ctx.spans is not None:   # each card's bytes placed where a save can splice it (render/spans.py)
                if placeholders.taken and not _prints_whole(ctx, page.template, placeholders.names):
                    placeholders.taken = [Markup(text) for text in placeholders.taken]   # not placed
                return placeholders.assemble_placed(skeleton, ctx.spans)
            return placeholders.assemble(skeleton).encode("utf-8")
        html = placeholders.assemble(skeleton)
    # any doubt about the cards: the whole page, as before; its bytes made once, for the
    # check's parser and the file (~9 µs of a hero page's ~1 ms, 10,000 of them)
    data = html.encode("utf-8")
    checker.check(page.path, html, ctx.diags, data)
    if ctx.spans is not None:   # checked whole: a changed card could change what the check finds
        ctx.spans.splices = False
    marked = html
    if needs_marks(direction)(marked):
        # a block of the other direction than the page's (a Latin line on an Arabic page,
        # an Arabic paragraph on an English one) is marked so, by the books' rule
        # (books/direction.py block_direction): a name of the other direction first does
        # not turn its sentence. CSS cannot say it (site.css's `unicode-bidi: plaintext`
        # went by the first letter alone, and set a cell of numbers on an Arabic page left
        # to right), so the site's pages agreed with the books only on Arabic pages.
        marked = mark_directions_in_place(marked, direction)
    # a tall script's words (Myanmar, Tibetan...) and a letter's tower of marks get
    # their ink's room, as in the books: a heading's line of 1.15 em drew a wrapped
    # Myanmar name's lines into each other
    marked = room_for_marks_in_place(marked)
    marked = clusters_breakable_in_place(marked)   # an endless cluster (☂‍☂‍☂‍…) may break inside
    return data if marked is html else marked.encode("utf-8")


def _html(setup: HtmlSetup, world: World, page: Page, diags: Diagnostics, fragment=None,
          templates=None, placeholders=None, links=None) -> str | None:
    """The page's HTML, None when its template failed (reported). `fragment`: where a
    list page's rows and drawn cards come from (RenderContext.fragment); without it
    they are made here. `templates(name)`: the input keys of a template and what it
    draws on (templates_of), for what every drawn card reads. `placeholders`: given,
    the page is drawn with a placeholder for each card, and `links(card html)` finds
    a card's links when it is drawn (splice.py)."""
    fragment = fragment or direct(world)
    try:
        template = setup.env.get_template(page.template)
        context = page_context(setup, world, page)
        view = page_view(world, page, fragment, context[CONTEXT_KEY], page_authors(setup, world, page))
        if placeholders is not None:   # a script's data the skeleton's check need not parse (splice.py)
            placeholders.data.extend(value for value in view.values() if isinstance(value, ScriptData))
            placeholders.names = tuple(sorted(name for name, value in view.items() if isinstance(value, ScriptData)))
        language = world.project.config.project.language

        def card_reads() -> tuple[str, ...]:
            # what a card macro sees beyond its row (cards.card_context): the theme's
            # templates it is drawn with, its words, the stylesheets, foundry.toml
            found = templates(MACROS) if templates is not None else \
                [f"theme:templates/{n}" for n in template_closure(setup.env, MACROS)]
            return (*found, STYLESHEETS, WORDS.format(language), "config")

        context["cards"] = CardDrawer(setup.env, card_context(context, view), page.path, fragment, card_reads,
                                      links, placeholders)
        return sandbox.render(template, {**context, **view})
    except TEMPLATE_RUNTIME_ERRORS as exc:
        if not failed_in_template(exc, setup.theme):
            raise
        report_template_error(setup.theme, exc, page.path, diags)
        return None


def _ids_of(ctx: RenderContext, path: str) -> set[str] | None:
    """Element ids of another page (for a link to page#fragment), None when the page is
    not one of ours. The page is drawn as a fragment: what drawing it read becomes part
    of what the linking page read, so an edit that removes the id re-checks the link."""
    setup: HtmlSetup = ctx.setup
    data = setup.pages.get(path)
    language = data.language if isinstance(data, InLanguage) else None
    data = data.data if isinstance(data, InLanguage) else data
    page = data[1] if data is not None and data[0] == "page" else None
    if page is None:
        return None

    def draw(world) -> bytes:
        world.reads.update(templates_of(ctx, page.template))   # the fragment's own reads
        if language is None:
            html = _html(setup, world, page, Diagnostics(), templates=lambda name: templates_of(ctx, name))
        else:   # a page in another language is drawn from that language's World
            base = unlocalized(base_world(world))
            view = TrackedWorld(localized(base, language))
            html = _html(setup, view, page, Diagnostics(), templates=lambda name: templates_of(ctx, name))
            world.reads.update(view.reads | translation_reads(base, language, view.reads))
        return json.dumps(sorted(collect(html, lines=False).ids) if html is not None else None).encode()

    found = json.loads(ctx.fragment(f"ids:{path}", draw))
    return set(found) if found is not None else None


def page_ids(setup: HtmlSetup, world: World, path: str) -> set[str] | None:
    """Element ids of the site's page `path` as `world` draws it, for `foundry check`
    (engine/outputs.py: a link in prose to page#fragment, which the build's link check
    refuses when the page lacks the id). None when the page is not one of ours in the
    base language, or its template fails (the build reports that)."""
    data = setup.pages.get(path) if setup is not None and setup.env is not None else None
    page = data[1] if isinstance(data, tuple) and data and data[0] == "page" else None
    if page is None:
        return None
    from ... import budget
    try:
        # within a render's time budget: a theme's template is a stranger's code, and
        # check has no pool to stop it. What goes wrong is the build's to report, at
        # the page: here the link is just not checked.
        with budget.time_limit():
            html = _html(setup, world, page, Diagnostics())
    except (Exception, budget.OverBudget):
        return None
    return collect(html, lines=False).ids if html is not None else None


def templates_of(ctx: RenderContext, template: str) -> list[str]:
    """Input keys of the theme templates `template` is drawn with (it, and what it
    extends, includes and imports). Parsing templates is slow: kept as a fragment whose
    reads are exactly those files, so it is found again when one of them changes."""
    def closure(world) -> bytes:
        keys = sorted(f"theme:templates/{name}" for name in template_closure(ctx.setup.env, template))
        world.reads.update(keys)
        return json.dumps(keys).encode()

    return json.loads(ctx.fragment(f"templates:{template}", closure))


def _splices(ctx: RenderContext, template: str) -> dict[str, str] | None:
    """splice.splices_safely, and when it does splice.card_runs (the calls whose cards
    are one placeholder, and the text between two of them), else None; kept as a
    fragment whose reads are the templates it parsed (the page's closure: what it
    extends, includes and imports)."""
    def answer(world) -> bytes:
        world.reads.update(templates_of(ctx, template))
        env = ctx.setup.env
        return json.dumps(card_runs(env, template) if splices_safely(env, template) else None,
                          sort_keys=True).encode()

    return json.loads(ctx.fragment(f"runs:{template}", answer))


def _prints_whole(ctx: RenderContext, template: str, names: tuple[str, ...]) -> bool:
    """splice.prints_whole, kept as a fragment whose reads are the templates it parsed."""
    def answer(world) -> bytes:
        world.reads.update(templates_of(ctx, template))
        return json.dumps(prints_whole(ctx.setup.env, template, names)).encode()

    return json.loads(ctx.fragment(f"prints:{template}:{','.join(names)}", answer))


def page_context(setup: HtmlSetup, world: World, page: Page) -> dict:
    """The names every template of `page` is drawn with, before its view's: the theme's
    words (CONTEXT_KEY), `site`, `page`, `nav`, `url`, `asset`, `links`… The render draws
    a page with it, and reask.py makes it again to draw one card without the page."""
    config = world.project.config.project
    if page.path == urls.NOT_FOUND:
        # Served at any URL that does not exist, so its links cannot be relative.
        base = setup.checker.base_path

        @sandbox.plain_call
        def url(target: str) -> str:
            return base + urls.in_site(target)
    elif setup.languages is not None:
        language = world.locale.language if world.locale is not None else setup.languages.base

        @sandbox.plain_call
        def url(target: str) -> str:   # a link to a page leads to that page in this page's language
            return urls.relative(page.path, setup.languages.target(target, language))
    else:
        @sandbox.plain_call
        def url(target: str) -> str:
            return urls.relative(page.path, target)
    here = setup.languages.origin.get(page.path, (None, page.path))[1] if setup.languages else page.path
    # What this page shows was last changed in this commit: a page about one hero is
    # not re-rendered by commits that touch other files.
    version = _version(setup, world, page)
    commit = version.split(" ")[0]
    words = setup.words.for_language(config.language)
    # A page about an entity is titled by its name (content, translated already);
    # the site's own pages ("Heroes", "Search") by the theme's words.
    title = page.title if page.view in ENTITY_VIEWS or page.view == "home" else words.gettext(page.title)
    return {
        CONTEXT_KEY: words,
        "site": {"title": config.title, "description": config.description, "language": config.language,
                 # their HTML twins, the writer's inline Markdown, for where a page presents
                 # them (the home page's heading); `title`, `description` and `authors`
                 # stay plain text for every mention (<title>, header, footer, attributes)
                 "title_html": world.project.html("title"), "description_html": world.project.html("description"),
                 "authors_html": [world.project.html("authors", k) for k in range(len(config.authors))],
                 "direction": text_direction(config.language),
                 # a pseudo-locale's page: kept out of search engines (noindex, no alternate)
                 "pseudo": is_pseudo(config.language),
                 # the marks of the title and description (foundry.toml's, never translated)
                 # on a page in another language: lang, and dir where it differs
                 "marks": config_marks(world),
                 "version": version, "version_short": commit[:12] if len(commit) == 40 else version,
                 "authors": list(config.authors),
                 "alternates": setup.languages.alternates(page.path, config.base_url) if setup.languages else []},
        "page": {"path": page.path, "title": title, "template": page.template,
                 # an entity's name or title left in the base language (the breadcrumb marks it)
                 "title_marks": fallback_marks(world, f"{page.view}.{page.args[0]}."
                                               f"{'name' if page.view in ('hero', 'character') else 'title'}")
                 if page.view in ENTITY_VIEWS and page.args else {},
                 "stylesheets": list(stylesheets(page.template, *setup.statics)),
                 # how a shared link to the page previews (the default theme's head)
                 "share": share_data(world, config.base_url, page,
                                     setup.languages.languages if setup.languages else (), config.language)},
        "nav": [{"label": words.gettext(label), "target": target, "current": here == target
                 or (here.startswith(target.rsplit("/", 1)[0] + "/") and target.endswith("index.html"))}
                for label, target in NAV],
        "url": url,
        "asset": sandbox.plain_call(lambda name: url(urls.asset_link(name))),
        "links": {"home": urls.HOME, "search": urls.SEARCH, "relationships": urls.RELATIONSHIPS,
                  "credits": urls.CREDITS,
                  "heroes": urls.index_page("hero"), "characters": urls.index_page("character"),
                  "stories": urls.index_page("story"), "quests": urls.index_page("quest")},
    }



def _list_versions(world: World, parts: PlanParts | None = None) -> dict[str, str]:
    """The content version the footer of each list page shows, by what it lists: a
    kind's index its entities, every other page of the site's own ("*") all of them
    (pages.shown_entries). Made once per plan, so that a list page reads one input
    (LIST_VERSION, whose hash is the version itself: the page changes exactly when
    it does) instead of the history of 10,000 entities, each recorded and digested
    by every list page of every save in `foundry serve`. A version is a function of the
    history, the build's content version and which file each entity is: the versions
    are `parts`' while those are equal (each entity's file kept by its Entry), since
    asking 21,000 entries for their path was ~0.025 CPU-s of a save at 10,000 heroes
    (without a memo, or planned from a view that records reads, they are made)."""
    tables = {"hero": world.heroes, "character": world.characters, "story": world.stories, "quest": world.quests}

    def made() -> dict[str, str]:
        if isinstance(world, World) and not world.history:
            # no entity has a change of its own (a check, a build without git): each is the
            # build's version, without asking 23,000 entries for their path (~0.02 CPU-s of a
            # cold check at 10,000 heroes, cold42); a view records each entity's history read
            return dict.fromkeys((*tables, "*"), world.content_version)
        versions = {kind: world.version_of(*table.values()) for kind, table in tables.items()}
        versions["*"] = world.version_of(*world.entries())
        return versions

    if parts is None or not isinstance(world, World):   # no memo; or a view that records each entity's history read
        return made()
    paths = tuple(tuple(parts.table(f"path:{kind}", table, _path))
                  for kind, table in (*tables.items(), ("template", world.templates)))
    return parts.value("versions", (world.history, world.content_version, paths), made)


def _site_authors(world: World, parts: PlanParts | None = None) -> tuple[str, tuple[str, ...]]:
    """What the credits page says of the whole world (views/credits.py `site_authors`):
    its history's state (git/versions.py history_state: why there is none, said on the
    page), and everyone who wrote a listed entity. Made once per
    plan, as the list versions are, so that the page reads one input (AUTHORS, whose
    hash is this value) instead of every entity and its history: a save that changes
    no history (every save: a history moves with a commit) leaves it as it was, and
    the page is spliced like the other lists (render/spans.py). Kept in `parts` while
    the history and which file each entity is are the same."""
    from .views.credits import site_authors

    def made() -> tuple[str, tuple[str, ...]]:
        if isinstance(world, World) and not world.history:   # no one wrote anything git knows of
            return history_state(world.history), ()   # (as `_list_versions`: no entity asked for its path)
        return history_state(world.history), tuple(site_authors(world))

    if parts is None or not isinstance(world, World):
        return made()
    tables = (world.heroes, world.characters, world.stories, world.quests)
    paths = tuple(tuple(parts.table(f"path:{kind}", table, _path))
                  for kind, table in zip(("hero", "character", "story", "quest"), tables))
    return parts.value("authors", (world.history, paths), made)


def page_authors(setup: HtmlSetup, world: World, page: Page) -> tuple | None:
    """The credits page's (versioned, authors) from the plan, recorded as its one input
    (AUTHORS); None for any other page, or a view that records nothing (it makes them)."""
    reads = getattr(world, "reads", None)
    if page.view != "credits" or setup.authors is None or reads is None:
        return None
    reads.add(AUTHORS)
    return setup.authors


def _path(eid: str, entry) -> str:
    return entry.path


def _version(setup: HtmlSetup, world: World, page: Page) -> str:
    """The content version `page`'s footer shows (World.version_of what it is about):
    a list page's from the plan (`_list_versions`), recorded as its one input."""
    if page.view not in ENTITY_VIEWS:
        scope = page.args[0] if page.view == "index" else "*"
        version = setup.versions.get(scope)
        reads = getattr(world, "reads", None)   # a render's tracked view (render/tracking.py)
        if version is not None and reads is not None:
            reads.add(LIST_VERSION.format(scope))
            return version
    return world.version_of(*shown_entries(world, page))


def _media(world: World, parts: PlanParts | None) -> set[str]:
    """Images and voice-over the media exporter writes into the site (build/site/media/).
    Each portrait's paths are the part of `parts` made from its Asset (`foundry
    serve`'s memo); without one, each image's once (media.py `distinct_images`)."""
    out = {clip.media_path for clip in (world.voice.clips if world.voice is not None else ())}
    if parts is None:
        out.update(chain.from_iterable(_media_paths("", asset) for asset in distinct_images(world.portraits.values())))
    else:
        out.update(chain.from_iterable(parts.table("media", world.portraits, _media_paths)))
    return out


def _media_paths(pid: str, asset) -> tuple[str, ...]:
    """The files media writes for one portrait: the image and each smaller width."""
    return (media_path(asset), *(media_path(asset, w) for w in derivative_widths(asset)))


def _sitemap_pages(pages: Mapping[str, Any], languages: SiteLanguages | None) -> list[str]:
    """The pages the sitemap lists, sorted: every page in every language but the 404 page
    and the pseudo-locale's (its pages are for the team, not for search engines).
    `pages`: the planned pages by path. (A one-language site's sitemap is drawn from the
    tracked World, `page_paths`, so a hero added is not left out; the plan counts these.)"""
    if languages is None:
        return sorted(p for p in pages if p != urls.NOT_FOUND)
    return sorted(p for p, (lang, _) in languages.origin.items() if p != urls.NOT_FOUND and not is_pseudo(lang))
