"""The site's sitemap (sitemaps.org protocol 0.9): every page's whole address under
`project.base_url`, for search engines.

The protocol takes at most 50,000 addresses in one file; a search engine refuses a
longer one whole ("Sitemap exceeds the maximum URL count"), and a world of 10,000
heroes in five languages has more pages than that. So `sitemap.xml` lists the pages
while they fit, and past that it is a sitemap index naming `sitemap-1.xml`,
`sitemap-2.xml`…, each holding at most 50,000 of them: the address a team submits
stays `sitemap.xml` either way.
"""

from __future__ import annotations

from . import urls

# The protocol's limit of addresses in one sitemap file (sitemaps.org, "Sitemap index files").
PER_FILE = 50_000

_INDEX, _PART = "index", "part"


def plan(pages: int) -> list[tuple[str, tuple]]:
    """The sitemap files for a site of `pages` pages: [(build path, data for `render`)].
    One file while `pages` fits in one, else the index and its parts, in order."""
    if pages <= PER_FILE:
        return [(urls.SITEMAP, ("sitemap",))]
    parts = -(-pages // PER_FILE)
    return [(urls.SITEMAP, ("sitemap", _INDEX, parts)),
            *((part_path(n), ("sitemap", _PART, parts, n)) for n in range(1, parts + 1))]


def part_path(n: int) -> str:
    """The build path of the sitemap index's `n`-th part (from 1)."""
    return f"{urls.SITE}/sitemap-{n}.xml"


def render(base_url: str, pages: list[str], data: tuple) -> bytes:
    """The bytes of the sitemap file `data` (from `plan`) names, for `pages` (build
    paths of every page, sorted): the whole list, the index of the parts, or one part
    (the n-th share of the list, split evenly: no part over PER_FILE while the list is
    the one planned)."""
    # imported here: xml.sax.saxutils imports urllib.request (and http.client, ssl,
    # email): ~50 ms of every process that plans the site, which only the sitemap needs
    from xml.sax.saxutils import escape as xml_escape
    if len(data) == 1:
        return _document("urlset", "url", (urls.absolute(base_url, p) for p in pages), xml_escape)
    if data[1] == _INDEX:
        return _document("sitemapindex", "sitemap",
                         (urls.absolute(base_url, part_path(n)) for n in range(1, data[2] + 1)), xml_escape)
    parts, n = data[2], data[3]
    size = -(-len(pages) // parts)
    return _document("urlset", "url", (urls.absolute(base_url, p) for p in pages[(n - 1) * size:n * size]),
                     xml_escape)


def _document(root: str, entry: str, addresses, escape) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <{entry}><loc>{escape(address)}</loc></{entry}>" for address in addresses]
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")
