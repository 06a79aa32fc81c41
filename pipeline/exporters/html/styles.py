"""Which stylesheets a page links: the theme's common part, then its page type's part.

One stylesheet for every template made each page carry the rules of every other
(a hero page shipped the story player's, ~14 KiB that page never used, all of it
render-blocking). The default theme is split by hand along its templates instead of
being pruned per page at build time: a pruner (parse the CSS, keep the selectors
that match each page) cannot see the classes the scripts add after load
(`.is-playing`, the player's buttons, search results), would make the stylesheet an
artifact of every page of its type (one edited hero re-renders the CSS of all), and
would rewrite a user's own CSS. A split is deterministic, readable, and overridden
the way every theme file is: a project's `static/story.css` replaces ours.

A project theme written before the split supplies one whole `site.css` and none of
the parts; its pages link that file alone, as they always did, so our parts never
land on top of the user's rules (`legacy_whole_site`).
"""

from __future__ import annotations

COMMON = "site.css"
# template → the stylesheet holding the rules only its pages use, linked after COMMON.
# Templates not named here (the indexes, credits, 404) need nothing beyond COMMON.
PARTS = {
    "home.html": "home.css",
    "hero.html": "entity.css",
    "character.html": "entity.css",
    "story.html": "story.css",
    "quest.html": "quest.css",
    "relationships.html": "relationships.css",
    "search.html": "search.css",
}


def legacy_whole_site(project_static: frozenset[str]) -> bool:
    """Whether the project's own theme supplies `site.css` and none of the parts: a
    stylesheet written for the whole site, to be linked alone. `project_static` is
    the names under the project theme's static/ (empty for the default theme)."""
    return COMMON in project_static and not project_static & set(PARTS.values())


def stylesheets(template: str, available: frozenset[str], project_static: frozenset[str]) -> tuple[str, ...]:
    """The static files (names under static/) a page drawn with `template` links, in
    cascade order. `available` is every static name of the theme (project's and
    default's); a part is linked only when some theme supplies it."""
    if legacy_whole_site(project_static):
        return (COMMON,)
    part = PARTS.get(template)
    return (COMMON,) + ((part,) if part is not None and part in available else ())


def plan_key(available: frozenset[str], project_static: frozenset[str]) -> str:
    """What decides every page's links, as one input value: pages record it, so
    adding or removing a part in the project's theme re-renders the pages it changes."""
    ours = sorted(available & {COMMON, *PARTS.values()})   # an added image or script changes no page's links
    return "|".join(ours) + "#" + ("whole" if legacy_whole_site(project_static) else "split")
