"""Where every page lives, and links between them.

Paths are relative to build/. The site, build/site/, is a complete web root: its
pages, assets, images (site/media/) and the JSON API (site/api/v1/) all live inside
it, so uploading that one folder to a static host is the whole deployment.
Every link in a page is written relative to that page, so the site works from any
sub-path of a web server and straight from disk (file://), with no base URL at all;
only the sitemap and the 404 page, which cannot know where they are read from, use
`project.base_url` (the address build/site/ is published at). Pages are `<name>.html` files, never folders, for the same reason:
a folder link opens a directory listing on file://.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from ...ids import LIST_PAGE

SITE = "site"
ASSETS = f"{SITE}/assets"
FOLDERS = {"hero": "heroes", "character": "characters", "story": "stories", "quest": "quests"}
HOME = f"{SITE}/index.html"
SEARCH = f"{SITE}/search.html"
RELATIONSHIPS = f"{SITE}/relationships.html"
CREDITS = f"{SITE}/credits.html"
NOT_FOUND = f"{SITE}/404.html"
SITEMAP = f"{SITE}/sitemap.xml"
# An empty file that tells GitHub Pages not to run Jekyll over a site pushed to a branch
# ("Deploy from a branch", the gh-pages habit): Jekyll leaves out every file and folder
# whose name starts with `_` (a portrait `_map.png` published as media/_map-….png, a
# theme's static/_fonts/), so those pages showed broken pictures and unstyled text.
# The shipped workflow's deploy-pages runs no Jekyll; other hosts ignore the file.
NO_JEKYLL = f"{SITE}/.nojekyll"
# What crawlers read first at a host's root (RFC 9309): it names the sitemap, so a
# search engine finds it without being told (exporter.py `_plan_robots`).
ROBOTS = f"{SITE}/robots.txt"


# The site's folders the build fills whole: a theme's root/ file may not go inside them
# (exporter.py `_root_files`): the theme's static files, the portraits, the JSON API.
BUILD_FOLDERS = frozenset({"assets", "media", "api"})


def at_root(name: str) -> str:
    """Where a theme's root/ file is published: at the same path under build/site/."""
    return f"{SITE}/{name}"


def has_sitemap(base_url: str) -> bool:
    """Whether the site gets a sitemap: only under a full http(s) address. The sitemap
    protocol asks for each <loc> whole, with its scheme and host (search engines drop a
    relative one), and a base_url that is a path ('/', '/coast/') names no host."""
    return base_url.lower().startswith(("https://", "http://"))


def entity_page(kind: str, eid: str) -> str:
    return f"{SITE}/{FOLDERS[kind]}/{eid}.html"


def index_page(kind: str) -> str:
    return f"{SITE}/{FOLDERS[kind]}/{LIST_PAGE}.html"


def asset(name: str) -> str:
    return f"{ASSETS}/{name}"


def asset_link(name: str) -> str:
    """What a template's `asset(name)` hands to url(): the static file's build path with
    its name percent-encoded (`c#d.css` → `site/assets/c%23d.css`). A theme's file may be
    named with `#`, `?`, `%`, spaces or accents; url() reads `#` and `?` as the start of
    a fragment or query, and a browser decodes `%41` as `A`, so the name is encoded once
    here, where it is known to be a name, never a link (the link checker decodes it)."""
    return asset(quote(name, safe="/"))


def relative(from_page: str, target: str) -> str:
    """`target` (a build path, maybe with #fragment or ?query) as seen from `from_page`."""
    path, sep, rest = _split(target)
    if not path:
        return sep + rest
    if path == from_page and sep == "#":
        return sep + rest
    return _relpath(path, posixpath.dirname(from_page)) + sep + rest


_UNCLEAN = ("", ".", "..")


# _relpath's answers for clean paths, by (path, start): a pure function of the two
# strings, and the pages of a folder link the same stylesheets, index pages and people
# (~17 calls a hero page, most asked before). Bounded: cleared when full.
_RELPATHS: dict[tuple[str, str], str] = {}
_RELPATHS_LIMIT = 16384


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for build paths: a page links ~20 others and
    relpath makes both absolute through the working directory (a getcwd call each),
    5 % of an html build. Paths with empty, `.` or `..` parts, or absolute ones, go
    to relpath itself, so every answer is relpath's (tests/site/test_urls.py)."""
    found = _RELPATHS.get((path, start))
    if found is not None:
        return found
    parts = path.split("/")
    base = start.split("/") if start else []
    if any(p in _UNCLEAN for p in parts) or any(p in _UNCLEAN for p in base):
        return posixpath.relpath(path, start)   # may read the working directory: never remembered
    common = 0
    for a, b in zip(parts, base):
        if a != b:
            break
        common += 1
    found = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    if len(_RELPATHS) >= _RELPATHS_LIMIT:
        _RELPATHS.clear()
    _RELPATHS[(path, start)] = found
    return found


def in_site(target: str) -> str:
    """A build path inside the site (`site/heroes/aria.html`) as a path from the web
    root (`heroes/aria.html`)."""
    prefix = SITE + "/"
    return target[len(prefix):] if target.startswith(prefix) else target


def absolute(base_url: str, target: str) -> str:
    """`target` (a build path inside site/) under the URL build/site/ is published at
    (`project.base_url`)."""
    return base_url.rstrip("/") + "/" + in_site(target)


def _split(target: str) -> tuple[str, str, str]:
    for sep in ("?", "#"):
        if sep in target:
            path, rest = target.split(sep, 1)
            return path, sep, rest
    return target, "", ""
