"""What a print theme's files hold that no book may be served, judged once per set of files.

load_print_theme (books/theme.py) judges the theme's files before any book is made:
the images that cost without end (svg_cost.py, css_imports.py, css_depth.py,
image_size.py, and those inside its files: embedded.py) and the addresses no book may
fetch (theme_addresses.py). That reads every template with Jinja (its constants,
template_constants.py) and tinyhtml5, ~0.3 CPU-s for the shipped theme alone, at every
cold `foundry check` and build, alone on one core after the parse.

The judgement is a function of the files' bytes (and of the links out of the project
whose addresses are not said again), so it is made once per set of files: by their
digest in this process (check plans the PDF and the EPUB from one theme, serve at
every save), and, for the theme foundry ships as it ships it, once for good: the
package holds the judgement of its own theme (SHIPPED, written by `python -m
pipeline.exporters.books.judged`), used when the files are exactly those it was made
from. A project's own print file (added, replaced, or a link out of it) is another
digest: judged here. The package's file is part of foundry's code, not of a checkout
(nothing a pull request writes reaches it); tests/books/test_print_theme.py checks it
is the judgement this code makes of the shipped theme, so one made stale by an edit
of the theme (another digest: judged as a project's would be) or of the judging code
fails the suite.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...load.hash_memo import KEPT
from .theme_addresses import Foreign, Named

SHIPPED = Path(__file__).with_name("shipped_judgement.json")


@dataclass(frozen=True)
class Judgement:
    """`costly`: each file never served, with why (svg_cost.py "svg", css_imports.py
    "css", css_depth.py "css-deep", css_vars.py "css-vars", image_size.py "image",
    font_pictures.py "font-picture", "font-unpacked" and "font-faces") and the line and column of
    the image inside it that costs (0, 0 for the file itself); `embedded`: (the file
    holding it, its bytes) of each `data:` image written in the files, in the order
    found; `foreign`: the addresses they write that no book may fetch; `pictures`: the
    places a PDF's page names a picture of the theme (books/pictures.py judges each)."""
    costly: tuple[tuple[str, tuple[str, int, int]], ...] = ()
    embedded: tuple[tuple[str, bytes], ...] = ()
    foreign: tuple[Foreign, ...] = ()
    pictures: tuple[Named, ...] = ()


# The judgements of the last few sets of files, by their digest.
_MEMO: dict[str, Judgement] = {}


def judged(files: dict[str, bytes], linked_out: frozenset[str] = frozenset()) -> Judgement:
    """The judgement of the print theme's `files` (path inside print/ → bytes, every
    file read), `linked_out` the paths inside print/ of links leading out of the
    project (HF0120 at the link) and of files too large to be part of the theme
    (HF0116 at the file): their addresses are not said again."""
    key = digest(files, linked_out)
    if key not in _MEMO:
        if len(_MEMO) >= 4:
            _MEMO.clear()
        kept = _shipped()
        _MEMO[key] = kept[1] if kept is not None and kept[0] == key else judge(files, linked_out)
    return _MEMO[key]


def digest(files: dict[str, bytes], linked_out: frozenset[str] = frozenset()) -> str:
    """What a judgement is made from: each file's path and bytes, and the links out."""
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(f"{rel}\0{KEPT.sha256(files[rel])}\n".encode())   # made once for a file read before
    for rel in sorted(linked_out):
        h.update(f"{rel}\0linked out\n".encode())
    return h.hexdigest()


def judge(files: dict[str, bytes], linked_out: frozenset[str] = frozenset()) -> Judgement:
    """`judged`, made: every file read by each counter and the address check."""
    from .book_url import BASE_URL
    from .css_depth import deep_stylesheets
    from .css_imports import costly_imports
    from .css_vars import costly_variables
    from .embedded import embedded_images
    from .html_reading import too_slow
    from ...budget import picture_pixels
    from ...load.picture_verdicts import past_total
    from .font_pictures import crowded_collections, oversized_font_pictures, unpacked_past_budget
    from .image_size import oversized_images
    from .svg_cost import costly_svgs
    from .theme_addresses import theme_addresses

    # a template the books' HTML parser reads past its budget (html_reading.py) is not
    # read by the counters below either: each would read it again as long
    slow = {rel: ("html", 0, 0) for rel, data in files.items()
            if rel.startswith("templates/") and too_slow(data.decode("utf-8", "replace"))}
    files = {rel: data for rel, data in files.items() if rel not in slow}
    # judged by what each file is, not by its name: WeasyPrint decodes whatever an
    # image's bytes are (a PNG named `.gif` or `.bin` is read by Pillow all the same)
    # and the images written inside its stylesheets and templates (`data:` URIs, a
    # template's own <svg>) by the same counters, at the file and line holding them
    inside = embedded_images(files)
    costly: dict[str, tuple[str, int, int]] = dict(slow)

    def held(kind: str, name: str) -> tuple[str, tuple[str, int, int]]:
        # the file to refuse for a costly `name`, and why: the file itself, or the file
        # holding it when it is embedded (with the line and column it is at)
        found = inside.get(name)
        return (name, (kind, 0, 0)) if found is None else (found.holder, (kind, found.line, found.column))

    # a template's <svg> resolves its references against the page's URL, a `data:`
    # image against none (a relative one leads nowhere): as WeasyPrint draws them
    for name in costly_svgs({**files, **{n: e.data for n, e in inside.items() if e.data is not None}},
                            {n: e.tree for n, e in inside.items() if e.tree is not None},
                            {n: BASE_URL if e.tree is not None else "" for n, e in inside.items()}):
        costly.setdefault(*held("svg", name))
    for name in costly_imports(files):
        costly.setdefault(name, ("css", 0, 0))
    for name, (line, column) in deep_stylesheets(files).items():
        costly.setdefault(name, ("css-deep", line, column))
    for name, (line, column) in costly_variables(files).items():
        costly.setdefault(name, ("css-vars", line, column))
    for name in oversized_images({**files, **{n: e.data for n, e in inside.items() if e.data is not None}}):
        costly.setdefault(*held("image", name))
    # a compressed font unpacking past any real font's size (a WOFF2 of 1.6 KB holding
    # 1 GB of zeros, whatever its name: coverage.unpacks_within): WeasyPrint, fontTools
    # and the EPUB's cover would each unpack it whole, for every book (a `data:` one too)
    for name in unpacked_past_budget({**files, **{n: e.data for n, e in inside.items() if e.data is not None}}):
        costly.setdefault(*held("font-unpacked", name))
    # a font collection of more faces than any (a TTC header listing 20,000 faces of one
    # font): fontTools would open each for the character maps, fontconfig scan each
    for name in crowded_collections({**files, **{n: e.data for n, e in inside.items() if e.data is not None}}):
        costly.setdefault(*held("font-faces", name))
    # a font drawing its glyphs from pictures past any text's size (a `data:` one too)
    for name in oversized_font_pictures({**files, **{n: e.data for n, e in inside.items() if e.data is not None}}):
        costly.setdefault(*held("font-picture", name))
    # every picture within its own limit is decoded by the books (a `data:` one too): their
    # pixels in all are bounded too, each past the sum refused at its file (and place)
    pictures = [(rel, files[rel]) for rel in sorted(files) if rel not in costly]
    pictures += [(name, e.data) for name, e in inside.items() if e.data is not None and e.holder not in costly]
    for name, _ in past_total(pictures, picture_pixels()):
        costly.setdefault(*held("image-total", name))
    # judged before the costly files go: an address of one is said at that file (HF0116), not again
    foreign, pictures = theme_addresses(files, linked_out)
    return Judgement(tuple(costly.items()), tuple((e.holder, e.data) for e in inside.values() if e.data is not None),
                     tuple(foreign), tuple(named for named in pictures if named.target not in costly))


@lru_cache(maxsize=1)
def _shipped() -> tuple[str, Judgement] | None:
    """The package's judgement of its own theme and the digest it was made from, or
    None when there is none to read (an install without it: the theme is judged)."""
    try:
        kept = json.loads(SHIPPED.read_text(encoding="utf-8"))
        return kept["digest"], Judgement(
            tuple((rel, (kind, line, column)) for rel, kind, line, column in kept["costly"]),
            tuple((holder, base64.b64decode(data)) for holder, data in kept["embedded"]),
            tuple(Foreign(*found) for found in kept["foreign"]),
            tuple(Named(*named) for named in kept["pictures"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def shipped_text() -> str:
    """What SHIPPED holds for this code and the shipped theme: its judgement, made."""
    from .theme import shipped_print_files

    files = shipped_print_files()
    made = judge(files)
    return json.dumps({"digest": digest(files),
                       "costly": [[rel, *why] for rel, why in made.costly],
                       "embedded": [[holder, base64.b64encode(data).decode()] for holder, data in made.embedded],
                       "foreign": [[f.holder, f.line, f.column, f.url, f.epub] for f in made.foreign],
                       "pictures": [[n.holder, n.line, n.column, n.url, n.target] for n in made.pictures]},
                      indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":   # `python -m pipeline.exporters.books.judged`: after an edit of the shipped theme
    SHIPPED.write_text(shipped_text(), encoding="utf-8")
    print(f"wrote {SHIPPED}")
