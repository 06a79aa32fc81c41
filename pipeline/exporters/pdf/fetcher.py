"""WeasyPrint's only way to the outside: a fetcher that serves a fixed set of bytes.

WeasyPrint's default fetcher reads any `file://` URL and any `http(s)://` URL a
document names (an `<img>` or attachment link in content could embed /etc/passwd
into the PDF, or call out to the network). This fetcher serves the print theme's
files and the build's images from memory, under a base URL that resolves nowhere
(`.invalid` is reserved), and the `data:` images written inside the theme's files
(matched by their bytes), and the machine's own font files fontconfig lists (where
WeasyPrint finds an @font-face's `local("…")` font), and refuses everything else. A `data:` image a template's
expressions put together (`src="{{ prefix }}…"`) is in no file to judge before the
book: it is judged here, when WeasyPrint asks for it, by the counters every theme
image meets (books/svg_cost.py, books/image_size.py), and drawn when within them.
Content cannot make one: a `data:` address in prose is shown as typed (HF0124).
WeasyPrint only logs fetch failures, so the refusals are remembered and the exporter
reports them.
"""

from __future__ import annotations

import hashlib
import mimetypes
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote, urljoin

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

from ..books.book_url import BASE_URL, THEME, file_address
# Times one book may ask for the same file: WeasyPrint caches images but reads a
# stylesheet again at each @import, without end (books/css_imports.py).
from ..books.css_imports import MAX_FETCHES
from ..books.embedded import decode_data_uri

if TYPE_CHECKING:
    from ..books.theme import PrintTheme

TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2", ".css": "text/css",
         ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".webp": "image/webp"}


class ConfinedFetcher(URLFetcher):
    """Serves `resources` (absolute URL → a function giving its bytes) and nothing
    else; `judge(bytes)` names why a `data:` image no theme file holds may not be
    drawn ("svg", "image"; None: it may). What it refused is kept for the exporter's
    report: `refused` (not the build's), `costly` ((url, why): over a budget), `failed`,
    `repeated`."""

    def __init__(self, resources: dict[str, Callable[[], bytes]],
                 judge: Callable[[bytes], str | None] | None = None):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.resources = resources        # absolute URL → a function giving its bytes
        self.judge = judge
        self.refused: list[str] = []
        self.costly: list[tuple[str, str]] = []
        self.failed: list[tuple[str, str]] = []   # (url, why): ours, but it could not be read
        self.asked: dict[str, int] = {}           # address → times asked for
        self.repeated: list[str] = []             # addresses asked for past MAX_FETCHES (refused from then on)
        self._fonts: frozenset[str] | None = None  # the machine's font files (fontconfig's), once asked

    def fetch(self, url, headers=None):
        # WeasyPrint asks for an IRI as a URI (iri_to_uri): a portrait 'café.png' or a
        # theme font 'Noto Sans.ttf' is asked as 'caf%C3%A9.png', 'Noto%20Sans.ttf'.
        # Only the names of this fixed table are served, decoded or not.
        # A file's address with a `?query` or `#fragment` (a font kit's `x.woff2?v=3`,
        # `x.eot?#iefix`) names the file before them, as check judged it (book_url.py);
        # counted as that file however its queries vary. A `data:` URI is kept whole.
        address = url.split("#", 1)[0] if url[:5].lower() == "data:" else file_address(url)
        asked = self.asked[address] = self.asked.get(address, 0) + 1
        if asked > MAX_FETCHES:
            if address not in self.repeated:
                self.repeated.append(address)
            raise PermissionError(f"asked for more than {MAX_FETCHES} times: {url[:200]}")
        if url[:5].lower() == "data:":
            # served only when the theme holds these very bytes, judged there as its files
            # are (books/embedded.py); decoded as WeasyPrint's own fetcher would decode it
            decoded = decode_data_uri(url)
            load = self.resources.get(data_key(decoded[0])) if decoded is not None else None
            if load is not None:
                return URLFetcherResponse(url, load(), {"Content-Type": decoded[1]})
            why = self.judge(decoded[0]) if decoded is not None and self.judge is not None else "unread"
            if why is None:   # made by a template's expressions, and within the theme's budgets
                from ...load.media import viewed_bytes   # its colours as a viewer shows them, as the theme's
                return URLFetcherResponse(url, viewed_bytes(decoded[0]), {"Content-Type": decoded[1]})
            if why != "unread" and (url, why) not in self.costly:
                self.costly.append((url, why))
            elif why == "unread" and url not in self.refused:
                self.refused.append(url)
            raise PermissionError(f"not part of the build: {url[:200]}")
        load = self.resources.get(address) or self.resources.get(unquote(address)) or self._machine_font(url)
        if load is None:
            if url not in self.refused:
                self.refused.append(url)
            raise PermissionError(f"not part of the build: {url[:200]}")
        mime = served_type(address[len(BASE_URL):])
        try:
            data = load()
        except Exception as exc:  # an image gone or unreadable since the check: any error means "no bytes"
            self.failed.append((url, f"{type(exc).__name__}: {str(exc)[:120]}"))
            raise
        return URLFetcherResponse(url, data, {"Content-Type": mime})


    def _machine_font(self, url: str) -> Callable[[], bytes] | None:
        """The bytes of a font file of this machine's that fontconfig lists, when `url`
        is its `file://` address: where WeasyPrint finds an @font-face's `local("…")`
        font, which it then fetches. Refused, a `local()` naming a font the machine has
        failed every book (HF0704 at each, its text in other fonts) while check, which
        foretold nothing, passed. The machine's fonts are the books' to draw from (Pango
        falls back through them all); no other file of the machine is served."""
        if url[:7].lower() != "file://":
            return None
        import os
        from pathlib import Path
        from urllib.parse import urlsplit

        from ...fontconfig import listed_files
        if self._fonts is None:
            self._fonts = listed_files() or frozenset()
        path = unquote(urlsplit(url).path)
        if "\0" in path:   # `%00`: no file's name (realpath would raise, and the address go unsaid)
            return None
        path = os.path.realpath(path)
        if path not in self._fonts:
            return None
        return lambda: Path(path).read_bytes()


def served_type(path: str) -> str:
    """The Content-Type a file of the book at `path` (below BASE_URL) is served with:
    by its name's suffix, as WeasyPrint then takes it (image/svg+xml: parsed as SVG first)."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def served(rel: str, data: bytes) -> bytes:
    """The bytes a book is given of the theme file `rel` holding `data`: a picture as a
    viewer shows it (media.viewed_bytes), anything else as it is."""
    from ...load.media import printed_picture, viewed_bytes
    return viewed_bytes(data) if _raster(rel) or printed_picture(data) else data


def theme_resources(theme: PrintTheme) -> dict[str, Callable[[], bytes]]:
    """The print theme's files by the URL a book asks them by, and the images written
    inside them (`data:` URIs) by the digest of their bytes (`data_key`)."""
    from ...load.media import viewed_bytes
    resources = {BASE_URL + THEME + rel: (lambda rel=rel, data=data: served(rel, data))
                 for rel, data in theme.files.items()}
    # an embedded image's colours too (viewed_bytes gives anything else back as it is)
    resources.update((data_key(data), lambda data=data: viewed_bytes(data)) for data in theme.embedded)
    return resources


def data_judge(theme: PrintTheme) -> Callable[[bytes], str | None]:
    """Why the bytes of a `data:` image the theme's files do not hold may not be drawn:
    "svg" (it draws more than svg_cost.MAX_SHAPES, its references to the theme's files
    counted as what they draw, or leads back to itself), "image" (more than
    MAX_PIXELS), or None. The counters load_print_theme applies to every image the
    theme holds; the theme's SVGs are parsed once, at the first such image."""
    from ..books.image_size import oversized_images
    from ..books.svg_cost import costly_data_svg, parsed_svgs
    trees: list[dict] = []

    def judge(data: bytes) -> str | None:
        if not trees:
            trees.append(parsed_svgs(theme.files))
        if costly_data_svg(data, trees[0]):
            return "svg"
        return "image" if oversized_images({"data": data}) else None
    return judge


def _raster(rel: str) -> bool:
    """Whether a theme file is drawn as a picture WeasyPrint hands to Pillow: by its
    name's suffix, and any name not a font, a stylesheet or an SVG (WeasyPrint sniffs
    the rest: a PNG named paper.bin is drawn too). A picture named otherwise (a PNG named
    logo.svg, which WeasyPrint draws all the same) is known by its bytes: media.printed_picture."""
    return rel.rsplit(".", 1)[-1].lower() not in ("otf", "ttf", "woff", "woff2", "css", "svg", "html", "j2", "po",
                                                  "mo", "txt")


def data_key(data: bytes) -> str:
    """How the bytes of a `data:` URI the theme holds are found among the resources."""
    return "data:sha256," + hashlib.sha256(data).hexdigest()


def resolve(reference: str) -> str:
    """The absolute URL WeasyPrint asks for when a document names `reference`."""
    return urljoin(BASE_URL, reference)
