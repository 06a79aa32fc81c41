"""The site theme's pictures a browser cannot show whole, said where the theme names them.

A picture of the project's own site theme (static/) that is broken (a PNG cut off, a
JPEG with garbage after its header, an SVG that does not parse, an empty file) was
copied into build/site/assets/ as it is, and neither `foundry check` nor `foundry
build` said anything: a reader saw a broken image, the writer was never told. Each
place the theme names one is judged here, as the print theme's are
(exporters/pdf/pictures.py): a stylesheet of its own static/ by its `url()`s (read as
the print theme's are, books/theme_addresses.py; not an `@import`'s sheet nor an
`@font-face` rule's font), a template of its own by `asset('…')` or `url('site/assets/…')`
of a constant name as an `src`/`href` (how docs/themes.md says to name a static file;
html/theme_links.py reads them). The picture is judged as a browser shows it
(load/picture_verdicts.py `shown_verdict`: every pixel decoded, an SVG parsed),
once per bytes. One the theme holds and names nowhere, one an expression names, or
one of the shipped theme (foundry's) is not judged. A picture browsers show nothing of
under its name (a PNG named .svg) is HF0758 at its file (theme.py), not said again here.
The warnings are part of what loading the theme finds, so check and every build of the
site say them alike.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from ...diagnostics import Diagnostics, Severity, Span
from ...load.image_kind import image_kind
from ...load.picture_verdicts import UNREAD, past_total, shown_verdict
from . import urls

if TYPE_CHECKING:
    from .theme import Theme

# What a stylesheet's url() is read against: the static/ folder as a browser sees it.
_STATIC = "https://site.invalid/assets/"
_PICTURE_SUFFIXES = ("png", "apng", "jpg", "jpeg", "jfif", "pjpeg", "pjp", "webp", "gif", "avif", "bmp", "ico",
                     "cur", "svg")
# Each own file's names (static name, line, column), by the digest of its text and how it is read.
_NAMES: dict[str, tuple[tuple[str, int, int], ...]] = {}


def broken_site_pictures(theme: Theme, diags: Diagnostics) -> None:
    """HF0703 warnings at each place the project's own site stylesheets and templates
    name a picture of its own static/ that a browser cannot show whole."""
    from ...load.media import misnamed
    if len(theme.dirs) < 2:
        return   # the shipped theme's pictures are foundry's
    own, static = theme.project_static(), theme.static_files()
    folder = theme.dirs[0]
    places = [(folder / "static" / name, _css_names(name, text))
              for name in sorted(own) if name.lower().endswith(".css")
              if (text := _read_text(theme, folder / "static" / name)) is not None]
    for path in theme.listed(folder, "templates")[0]:
        if path.suffix == ".html" and (text := _read_text(theme, path)) is not None:
            places.append((path, _template_names(text)))
    judged: dict[str, tuple[str, str] | None] = {name: None for name in _past_total(theme, own, static, diags)}
    for holder, names in places:
        for target, line, column in names:
            if target not in own or not target.lower().endswith(_PICTURE_SUFFIXES):
                continue
            if target not in judged:
                judged[target] = _judge(theme, target, static[target], misnamed)
            if judged[target] is not None:
                message, hint = judged[target]
                diags.add("HF0703", message, Span(theme.label(str(holder)), line, column), severity=Severity.WARNING,
                          hint=hint)


def _past_total(theme: Theme, own: frozenset[str], static: dict, diags: Diagnostics) -> list[str]:
    """HF0715 at each of the project theme's own static pictures, or own file holding
    pictures (a stylesheet's, an SVG's or a template's `data:` pictures, each decoded to
    be published without its metadata: text_metadata.py), that takes the pixels its
    pictures hold in all past budget.picture_pixels (picture_verdicts.past_total); the
    static pictures' names, which are not judged."""
    from ...budget import picture_pixels
    from ...load.picture_verdicts import decoded_pixels
    from ...load.text_metadata import embedded_pictures
    folder = theme.dirs[0]
    holders = [(name, static[name]) for name in sorted(own)]
    holders += [(None, path) for path in theme.listed(folder, "templates")[0] if path.suffix == ".html"]
    pictures = []
    for name, path in holders:
        try:
            data = theme.read(path)
        except OSError:   # refused or unreadable: said when the theme was loaded
            continue
        if name is not None and decoded_pixels(data):
            pictures.append(((name, path), data))
        else:
            pictures += [((None, path), inside) for inside in embedded_pictures(data)]
    total, found, said = picture_pixels(), [], set()
    for (name, path), spent in past_total(pictures, total):
        label = theme.label(str(path))
        if label not in said:   # a file holding many pictures past it: said once
            said.add(label)
            diags.add("HF0715", f"the site theme's pictures hold {spent:,} pixels up to "
                                f"{label if name else 'the pictures written in ' + label}, more than the {total:,} "
                                "foundry decodes for a theme's pictures in all", Span(label),
                      hint="Scale the pictures down (a page needs a few million pixels of them) or leave some out; "
                           "the limit is FOUNDRY_PICTURE_PIXELS in the environment of whoever builds.")
        if name is not None:
            found.append(name)
    return found


def _judge(theme: Theme, name: str, path, misnamed) -> tuple[str, str] | None:
    """(message, hint) for the own static picture `name` a browser cannot show whole, or None."""
    try:
        data = theme.read(path)
    except OSError:   # refused or unreadable: said when the theme was loaded
        return None
    if misnamed(name, data) is not None:
        return None   # HF0758 at the file
    why = shown_verdict(name, data)
    if why is None:
        return None
    label = theme.label(str(path))
    kind = image_kind(data, head=65536) or "a file of no picture format"
    if why == UNREAD:
        return (f"the site theme's picture {label} ({kind}) cannot be read: browsers show a broken image in its place",
                "Export the picture again (as PNG, JPEG, WebP or SVG) from the original: the file is cut off, "
                "corrupt, or of a kind browsers cannot show.")
    return (f"the site theme's picture {label} ({kind}) is cut off or corrupt: browsers show what of it decodes, "
            "the rest empty", "Export the picture again from the original: an interrupted upload or copy cuts a "
                              "file off.")


def _read_text(theme: Theme, path) -> str | None:
    try:
        return theme.read(path).decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):   # said where the theme is loaded (HF0120, HF0116, HF0103)
        return None


def _css_names(name: str, text: str) -> tuple[tuple[str, int, int], ...]:
    """(static name, line, column) of each picture the stylesheet `name` (inside static/)
    draws by a `url()`, as the print theme's stylesheets are read."""
    key = hashlib.sha256(b"css\0" + name.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()
    if key not in _NAMES:
        from ..books.theme_addresses import css_addresses
        from ..books.written import written_at
        found, cursor = [], 0
        for value, drawn in css_addresses(text, drawn=True):
            at, end = written_at(text, value, cursor, None)
            if end >= 0:
                cursor = end
            target = _static_name(urljoin(_STATIC + name, value.strip()))
            if drawn and target is not None:
                found.append((target, *_line_column(text, at)))
        _remember(key, tuple(found))
    return _NAMES[key]


def _template_names(text: str) -> tuple[tuple[str, int, int], ...]:
    """(static name, line, column) of each `asset('…')` or `url('site/assets/…')` of a
    constant a template writes as an address (theme_links.py reads them)."""
    key = hashlib.sha256(b"html\0" + text.encode("utf-8", "surrogatepass")).hexdigest()
    if key not in _NAMES:
        from .theme_links import url_calls
        found = []
        for path, line, column, _, _ in url_calls(text, []):
            if path.startswith(urls.ASSETS + "/"):
                found.append((unquote(path[len(urls.ASSETS) + 1:]), line, column))
        _remember(key, tuple(found))
    return _NAMES[key]


def _static_name(address: str) -> str | None:
    """The name inside static/ an absolute `address` under _STATIC names, or None."""
    if not address.startswith(_STATIC):
        return None
    path = urlsplit(address).path[len(urlsplit(_STATIC).path):]
    return unquote(path) or None


def _line_column(text: str, at: int) -> tuple[int, int]:
    return (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (0, 0)


def _remember(key: str, names: tuple[tuple[str, int, int], ...]) -> None:
    if len(_NAMES) > 512:   # `foundry serve` over a long session: the oldest go
        del _NAMES[next(iter(_NAMES))]
    _NAMES[key] = names
