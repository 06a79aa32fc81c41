"""Links in prose to the site's own pages, as a book shows them.

A writer may link prose to another page of the site (`[the guide](../characters/
old-guide.html)`): `foundry check` accepts it when the site has that page (HF0721),
read from the entity's own page, `site/<folder>/<id>.html`. A book has no such pages:
the EPUB kept the link as written, which points at no file of the book (epubcheck
RSC-007: an invalid EPUB, refused by the stores), and the PDF resolved it against its
own placeholder address (`https://foundry-book.invalid/characters/old-guide.html`), a
link to nowhere. So a book shows such a link as a link to the published page when the
project says where the site is published (`[project] base_url`, an absolute
`https://` URL), and else as its words alone, without a link. Links to other sites
(`https://`, `mailto:`) are kept as they are.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

# Sanitised prose (load/markdown.sanitize) writes each link as `<a href="…" …>…</a>`,
# never nested: a search over its own canonical form, no parse.
_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def _to_site(href: str) -> bool:
    """A link the site resolves to one of its own pages: no scheme, no host; a path,
    or a query or an id alone (`?q=1`, `#skills-h`, even a bare `?` or `#`: the
    prose's own page)."""
    parts = urlsplit(html.unescape(href))
    return not parts.scheme and not parts.netloc and bool(href)


def book_prose(prose, page: str, base_url: str):
    """`prose` (sanitised HTML shown on the site's `page`, `heroes/<id>.html`) with
    each link to a site page made a link to the published page (`base_url` absolute)
    or its words.
    The same object when it holds none, so a book without such links keeps its bytes;
    Markup stays Markup."""
    if not prose or "<a " not in prose:
        return prose
    published = base_url if urlsplit(base_url).scheme in ("http", "https") else None
    if published is not None and not published.endswith("/"):
        published += "/"   # `https://example.org/coast` is the folder coast/, as the site reads it

    def shown(match: re.Match) -> str:
        href, words = match.group(1), match.group(2)
        if not _to_site(href):
            return match.group(0)
        if published is None:
            return words
        target = urljoin(urljoin(published, page), html.unescape(href))
        return match.group(0).replace(f'href="{href}"', f'href="{html.escape(target)}"', 1)

    changed = _LINK.sub(shown, str(prose))
    if changed == str(prose):
        return prose
    return Markup(changed) if isinstance(prose, Markup) else changed
