"""The project's own `@font-face` rules WeasyPrint cannot load, found before any book is made.

A print theme of the project's own that ships a face for a script the shipped fonts
lack (`@font-face { font-family: "Mincho"; src: url(../fonts/mincho.otf) }`) but whose
file is no font — a Git LFS pointer checked out without `git lfs pull`, a web page a
download saved under the font's name, an empty file — or that names one with
`local("…")` this machine has not (the font was on the writer's laptop, not on CI; or
WeasyPrint, which matches a local() name by a font's full or PostScript name alone,
does not find it under the name written): WeasyPrint says `Font-face 'Mincho' cannot
be loaded` while it reads the stylesheet, with no line. Each PDF said it at the
stylesheet with no line (four books, four warnings naming the theme's CSS), `foundry
check` said nothing, and the text set in the face printed in other fonts, its Japanese
as empty boxes.

Each such rule of the project's own print stylesheets (not the EPUB's css/epub.css,
which WeasyPrint never reads), and of each `<style>` of its own PDF templates written
with no Jinja inside, is judged here by WeasyPrint itself: its descriptors read as it
reads them and the face added to a font configuration of this machine's fonts, served
the bytes a book is served (fetcher.py). A rule it cannot load is one warning (HF0703)
at the rule, saying why, from check and every PDF build alike (engine/outputs.py, as
the stylesheets' slips are); the book's render leaves WeasyPrint's words of these
families unsaid (exporter.py). A source a book may not fetch (a file the theme does not
have, an address outside it) is HF0704's, said where it is written: not judged again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from ...diagnostics import Diagnostic, Diagnostics, Severity, Span
from ...load.image_kind import image_kind
from ..books.book_url import BASE_URL, THEME
from ..books.css_imports import MAX_FETCHES
from ..books.face_rules import face_rules

if TYPE_CHECKING:
    from ..books.theme import PrintTheme

# WeasyPrint's words when no source of a face loads (text/fonts.py add_font_face).
UNLOADED = re.compile(r"^Font-face '(.*)' cannot be loaded$", re.DOTALL)
_EPUB_CSS = "css/epub.css"
_JINJA = re.compile(r"\{[{%#]")
_SHEETS = (".css", ".j2", ".html")
# The answer for the last few themes, by their sheets', fonts' and the machine's fonts' digest.
_MEMO: dict[str, tuple[str, frozenset[str], tuple[Diagnostic, ...]]] = {}
# Faces of distinct sources judged in one check; a theme's own have some dozens (a
# Japanese kit cut by unicode-range ~100 a weight), each a few ms, and the rest unjudged.
MAX_JUDGED = 512


@contextmanager
def font_files(configuration) -> Iterator:
    """A WeasyPrint font configuration (`FontConfiguration`), its folder of @font-face
    files removed once it has been used."""
    fonts = configuration()
    try:
        yield fonts
    finally:
        folder, fonts._folder = getattr(fonts, "_folder", None), None   # its __del__ removes nothing then
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def unloaded_faces(theme: PrintTheme) -> tuple[Diagnostic, ...]:
    """HF0703 warnings, one at each `@font-face` rule of the project's own print
    stylesheets and PDF templates' `<style>` that WeasyPrint cannot load on this
    machine, saying why (a file that is no font, a local() font this machine has not)."""
    from ...fontconfig import machine_fonts
    from .css_slips import style_blocks
    # the shipped sheets too when the project's print folder puts a file of its own in
    # place of one of the theme's (fonts/LinBiolinum_R.otf): their rules then name it
    replaces = any(not theme.origins.get(rel, "<").startswith("<") and not rel.endswith(_SHEETS) for rel in theme.files)
    sheets = [(theme.origins[rel], rel, data.decode("utf-8", "replace"), 1, 1)
              for rel, data in sorted(theme.files.items())
              if rel.endswith(".css") and rel != _EPUB_CSS and (replaces or not _shipped(theme, rel))
              and b"font-face" in data.lower()]
    sheets += [(block.origin, None, block.text, block.line, block.column) for block in style_blocks(theme)
               if block.element and block.printed and "font-face" in block.text.lower() and not _JINJA.search(block.text)]
    if not sheets:
        return ()
    digest = hashlib.sha256(machine_fonts().encode())
    for origin, rel, text, line, column in sheets:
        digest.update(f"{origin}\0{rel}\0{line}:{column}\0{text}\0".encode("utf-8", "replace"))
    for rel, data in sorted(theme.files.items()):   # the bytes a face's url() is served
        if not rel.endswith((".css", ".j2", ".html")):
            digest.update(f"{rel}\0{hashlib.sha256(data).hexdigest()}\n".encode("utf-8", "replace"))
    key = digest.hexdigest()
    # and the bytes of a stylesheet or template a face names as its font (`url(kit.css)`):
    # left out above, so that editing a template under `foundry serve` judges nothing
    # again, a font named .css replaced there kept the answer of the file it replaced
    memo = _MEMO.get(key)
    if memo is None or memo[0] != _named_digest(theme, memo[1]):
        if len(_MEMO) >= 4:
            _MEMO.clear()
        said, named = _judged(theme, sheets)
        memo = _MEMO[key] = (_named_digest(theme, named), named, said)
    return memo[2]


def _shipped(theme: PrintTheme, rel: str) -> bool:
    """Whether the print theme's file `rel` is the shipped theme's (not the project's)."""
    return theme.origins.get(rel, "<").startswith("<")


def _named_digest(theme: PrintTheme, named: frozenset[str]) -> str:
    """A digest of the bytes of the theme files `named` (paths inside print/; one gone is "-")."""
    digest = hashlib.sha256()
    for rel in sorted(named):
        data = theme.files.get(rel)
        digest.update(f"{rel}\0{hashlib.sha256(data).hexdigest() if data is not None else '-'}\n".encode())
    return digest.hexdigest()


def families(said: tuple[Diagnostic, ...]) -> frozenset[str]:
    """The families `unloaded_faces` said (`said`) cannot be loaded: the render leaves
    WeasyPrint's own words of these unsaid."""
    return frozenset(d.message.split("'", 2)[1] for d in said if d.message.startswith("@font-face '"))


def _judged(theme: PrintTheme, sheets: list) -> tuple[tuple[Diagnostic, ...], frozenset[str]]:
    """HF0703 at each face of `sheets` none of whose sources loads, and the stylesheets
    and templates (paths inside print/) a judged face names as its font."""
    import tinycss2
    from weasyprint.css.validation.descriptors import preprocess_descriptors
    from weasyprint.text.fonts import FontConfiguration

    from .css_slips import said_reading
    from .fetcher import ConfinedFetcher, theme_resources
    found = Diagnostics()
    fetcher = ConfinedFetcher(theme_resources(theme))
    verdicts: dict[str, bool | None] = {}   # a face's sources → whether WeasyPrint loads none (None: not ours to say)
    loaded: set[str] = set()                # the families a rule loads, lower-cased
    unloaded: list[tuple[dict, Span, bool]] = []   # (descriptors, where, shipped rule) of each rule none of whose sources loads
    named: set[str] = set()                  # the stylesheets and templates a face names as its font
    unjudged: list[tuple[str, Span]] = []    # (family, where) of each rule past MAX_JUDGED lists of sources
    with font_files(FontConfiguration) as config:
        for origin, rel, text, line, column in sheets:
            base = BASE_URL + THEME + rel if rel is not None else BASE_URL
            for rule in face_rules(tinycss2.parse_stylesheet(text)):
                descriptors: dict = {}
                said_reading(lambda: descriptors.update(
                    preprocess_descriptors("font-face", base, tinycss2.parse_blocks_contents(rule.content))))
                if "src" not in descriptors or "font_family" not in descriptors:
                    continue   # WeasyPrint's own "Missing src descriptor" at its line (css_slips.py)
                # Whether a face loads is its sources' bytes' answer, whatever its family, weight
                # or range: each list of sources is loaded once. Each face loaded costs more than
                # the last (fontconfig matches every earlier face against it): 2,000 faces, each
                # its own tiny font, took check 33 CPU-s; past MAX_JUDGED the rest are not judged.
                # And 65 faces naming one font asked the fetcher for it past MAX_FETCHES, and the
                # refused ones were said to be "no font WeasyPrint can read".
                sources = repr(descriptors["src"])
                at_line = line + rule.source_line - 1
                at_column = rule.source_column + (column - 1 if rule.source_line == 1 else 0)
                where = Span(origin, at_line, at_column)
                if origin.startswith("<"):
                    # a shipped rule is judged only for the project's file in place of its font,
                    # and said at that file: the shipped stylesheet is not the writer's to correct
                    own = [file for kind, address in descriptors["src"] if kind != "local"
                           and (file := _theme_file(theme, address)) and not _shipped(theme, file)]
                    if not own:
                        continue
                    where = Span(theme.origins[own[0]])
                if sources not in verdicts:
                    if len(verdicts) >= MAX_JUDGED:
                        unjudged.append((descriptors["font_family"], where))
                        continue
                    named.update(file for kind, address in descriptors["src"] if kind != "local"
                                 and (file := _theme_file(theme, address)) and file.endswith((".css", ".j2", ".html")))
                    verdicts[sources] = _unloaded(theme, config, fetcher, descriptors)
                if verdicts[sources] is False:
                    loaded.add(descriptors["font_family"].lower())
                if not verdicts[sources]:
                    continue
                unloaded.append((descriptors, where, origin.startswith("<")))
    for descriptors, span, shipped in unloaded:
        family = descriptors["font_family"]
        why, hint = _why(theme, descriptors["src"])
        if shipped:
            hint = (f"{span.path} takes the place of the shipped theme's font of that name: put the font itself "
                    "there (TrueType, OpenType, WOFF or WOFF2; `git lfs pull` fetches a file Git LFS keeps), or "
                    "delete it to print with the shipped one.")
        # a family another rule loads is set in that rule's font (a rule written as a
        # fallback, or left behind): "its text in other fonts" was not so
        then = ("another @font-face rule of the family loads, and its text is set in that rule's font"
                if family.lower() in loaded else
                "the PDFs set its text in other fonts, and a character only it has prints as an empty box")
        found.add("HF0703", f"@font-face '{family}' cannot be loaded: {why}; {then}", span,
                  severity=Severity.WARNING, hint=hint)
    if unjudged:
        # said, not dropped: a face past them that cannot be loaded is check's to foretell,
        # and only each PDF would say it (WeasyPrint's words, at the stylesheet with no line).
        # Not worded "@font-face 'X' …": `families` would take X for a face said unloaded.
        family, span = unjudged[0]
        more = f" nor the {len(unjudged) - 1} after it" if len(unjudged) > 1 else ""
        found.add("HF0703", f"the print theme's @font-face rules name more than {MAX_JUDGED} different fonts: "
                            f"check judged the first {MAX_JUDGED} (by file, then line), not this one ('{family}'){more}; "
                            "one of those that cannot be loaded is said only by each PDF, at its stylesheet", span,
                  severity=Severity.WARNING,
                  hint="ship fewer faces: a font kit cut into a file for each unicode-range is a face for each "
                       "file; merge the ranges, or keep only the fonts the books print")
    return tuple(found.items), frozenset(named)


def _unloaded(theme: PrintTheme, config, fetcher, descriptors: dict) -> bool | None:
    """Whether WeasyPrint, adding the face of `descriptors` to its font `config` with the
    books' `fetcher`, loads none of its sources; None when that is not ours to say."""
    from .coverage import damaged, unpacks_within
    from .css_slips import said_reading
    if not all(unpacks_within(data) for kind, address in descriptors["src"]
               if kind != "local" and (data := _served(theme, address)) is not None):
        return None   # a WOFF of 1 KB unpacking to 512 MB: WeasyPrint would take it whole (coverage.py)

    def refusals() -> int:   # a source no book may fetch: HF0704 where it is written
        return len(fetcher.refused) + len(fetcher.failed) + sum(max(0, n - MAX_FETCHES) for n in fetcher.asked.values())
    before = refusals()
    messages = said_reading(lambda: config.add_font_face(descriptors, fetcher))
    if refusals() > before:
        return None
    if any(UNLOADED.match(m) for m in messages):
        return True
    # WeasyPrint (FreeType) loads a font cut short by its header alone, and Pango then
    # never draws it: a face whose every source is such a file is not loaded either
    served = [_served(theme, address) if kind != "local" else None for kind, address in descriptors["src"]]
    return bool(served) and all(data is not None and damaged(data) is not None for data in served)


def _why(theme: PrintTheme, sources: list) -> tuple[str, str]:
    """Why none of a face's `sources` ((type, address) as WeasyPrint reads them) loads,
    and the hint: each source's reason, the first three."""
    reasons, local = [], False
    for kind, address in sources:
        if address is None or kind == "internal":
            continue
        if kind == "local":
            local = True
            reasons.append(f"WeasyPrint finds no font on this machine by the name '{address[:80]}' (local() is "
                           "matched against a font's full or PostScript name)")
            continue
        if address[:5].lower() == "data:":
            reasons.append("its data: address holds no font WeasyPrint can read")
            continue
        rel = _theme_file(theme, address)
        if rel is not None:
            reasons.append(f"{theme.origins.get(rel, rel)} {_not_a_font(theme.files[rel])}")
    why = "; ".join(reasons[:3]) or "none of its sources loads"
    hint = ("Put the font file itself in the theme's print/fonts/ (TrueType, OpenType, WOFF or WOFF2) and name it "
            "with url(): `git lfs pull` fetches a file Git LFS keeps; a download that saved a web page must be done "
            "again.")
    if local:
        hint = ("Ship the font in the theme's print/fonts/ and name it with url(../fonts/<file>) in this rule: a "
                "font installed on one machine is missing on another (CI's), and WeasyPrint finds a local() font "
                "only by its exact full or PostScript name (`fc-list : fullname postscriptname` lists them). "
                "For a script the theme's fonts lack, docs/books.md names the package to install.")
    return why, hint


def _theme_file(theme: PrintTheme, address: str | None) -> str | None:
    """The theme file (path inside print/) a face's resolved `address` names, or None."""
    from urllib.parse import unquote

    from ..books.book_url import file_address
    if not address or not address.startswith(BASE_URL + THEME):
        return None
    rel = file_address(address)[len(BASE_URL + THEME):]
    return rel if rel in theme.files else unquote(rel) if unquote(rel) in theme.files else None


def _served(theme: PrintTheme, address: str | None) -> bytes | None:
    """The bytes a face's resolved `address` is served: its theme file's, or a `data:`
    URL's own (decoded as the books' fetcher decodes it), or None."""
    from ..books.embedded import decode_data_uri
    if address and address[:5].lower() == "data:":
        decoded = decode_data_uri(address)
        return decoded[0] if decoded is not None else None
    rel = _theme_file(theme, address)
    return theme.files[rel] if rel is not None else None


def _not_a_font(data: bytes) -> str:
    """What a theme file a face names is, when WeasyPrint cannot load it as a font."""
    head = data[:512].lstrip()
    if not data:
        return "is empty"
    if head.startswith(b"version https://git-lfs.github.com/spec/"):
        return "is a Git LFS pointer, not the font"
    if head[:1] == b"<" and b"html" in head.lower():
        return "is a web page, not a font"
    kind = image_kind(data, head=65536)
    if kind:
        return f"is {kind}, not a font"
    from ..books.font_pictures import FONT_SIGNATURES
    from .coverage import damaged, unpacks_within
    if data[:4] in FONT_SIGNATURES and unpacks_within(data) and (why := damaged(data)) is not None:
        return f"is a font file cut short or damaged ({why}): WeasyPrint opens it, and no book can draw from it"
    return "is no font WeasyPrint can read (TrueType, OpenType, WOFF or WOFF2)"
