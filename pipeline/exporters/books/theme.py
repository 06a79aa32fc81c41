"""The print theme: the `print/` folder of the project's theme — Jinja2 templates,
CSS, fonts and ornaments for the PDF and EPUB books.

Found the way the site finds its theme (exporters/html/theme.py): the project's
`themes/<theme>/print/` first, then the default theme shipped inside the package, file
by file, so a project overrides one stylesheet by adding that one file. The files
are read once, into memory: WeasyPrint is then served these bytes (and the build's
images) and nothing else. A hash of them is part of every book's recipe, so a theme
edit re-renders the books. Templates run in Jinja's sandbox with autoescape on and
StrictUndefined; content reaches them only as data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import jinja2

from ...confine import Refused, boundary, refuse
from ...diagnostics import Diagnostic, Diagnostics, Span, clip
from ...epoch import source_date  # noqa: F401  (the books' one date; pdf and epub import it from here)
from ...load.encoding import report_not_text
from ...load.hash_memo import KEPT
from ...load.hygiene import well_named
from ...load.conflicts import report_conflicts
from ...load.line_ends import report_lone_cr
from ...load.project import CONFIG_NAME, _toml_key_span
from ...load.text_metadata import template_without_metadata
from ...runs import per_run
from .. import sandbox
from ..template_gaps import extends_gaps, import_gaps, report_gaps
from . import html_reading
from ..html.theme import DEFAULT_LABEL, MAX_TEMPLATE, default_theme_dir, theme_file_limit
from ..theme_words import CONTEXT_KEY, ThemeWords, load_theme_words
from ...load.media import MAX_PIXELS, MAX_PNG_CHUNKS
from .css_depth import MAX_DEPTH
from .css_vars import MAX_DEPTH as MAX_VAR_DEPTH, MAX_TOKENS
from .css_imports import MAX_FETCHES, MAX_IMPORT_DEPTH
from .judged import judged
from .svg_cost import MAX_SHAPES
from .theme_addresses import Foreign, Named
from ..theme_words import install as install_words
from .theme_folders import folder_fence, outside_links, print_folders

MAX_FILE = 8 * 1024 * 1024
MAX_DOCUMENT = 32 * 1024 * 1024   # characters of HTML one book (or one EPUB chapter) may have
# What a template may raise while it runs; anything else is foundry's bug.
TEMPLATE_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError,
                   RecursionError)   # a macro that calls itself without end


@dataclass(frozen=True)
class PrintTheme:
    files: dict[str, bytes]              # path inside print/ → bytes
    origins: dict[str, str]              # path inside print/ → where it came from, as a diagnostic names it
    env: jinja2.Environment = field(repr=False, compare=False)
    refused: tuple[str, ...] = ()         # project-relative links that lead outside the project (not read)
    words: ThemeWords = field(default_factory=ThemeWords, compare=False)   # the theme's catalogs (theme_words.py)
    # files whose cost explodes, as labelled, each with why (svg_cost.py "svg",
    # css_imports.py "css", image_size.py "image") and the line of the image inside
    # it that does, and its column (embedded.py; 0, 0 for the file itself): not served
    costly: tuple[tuple[str, str, int, int], ...] = ()
    # the bytes of each `data:` URI written in the files served (embedded.py): the
    # only `data:` images a book's fetcher serves
    embedded: tuple[bytes, ...] = ()
    # addresses its files write that no book may fetch (theme_addresses.py): HF0704 at each
    foreign: tuple[Foreign, ...] = ()
    # the places a PDF's page names a picture of the theme (books/pictures.py judges each)
    pictures: tuple[Named, ...] = ()
    # the project's files the theme could not take (over MAX_FILE, or not a regular
    # file), each as labelled with why: said at the file (HF0116), never dropped unsaid
    unread: tuple[tuple[str, str], ...] = ()

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for rel in sorted(self.files):
            h.update(f"{rel}\0{KEPT.sha256(self.files[rel])}\n".encode())
        for language, digest in sorted(self.words.digests.items()):   # a catalog edit re-renders the books
            h.update(f"locale/{language}\0{digest}\n".encode())
        return h.hexdigest()

    def span(self, rel: str, line: int = 0) -> Span:
        return Span(self.origins.get(rel, f"{DEFAULT_LABEL}/print/{rel}"), line, 1 if line else 0)


@per_run   # the PDF's plan and the EPUB's, one check or build: read and judged once (runs.py)
def load_print_theme(project) -> PrintTheme | None:
    """The project's print theme, or None when its theme does not exist."""
    folders = print_folders(project)
    if folders is None:
        return None
    files, origins, refused, unread = {}, {}, [], []
    for folder, label in folders:   # the default first, so the project's files win
        fence = folder_fence(project, label)
        found, outside, skipped = _read(folder, fence)
        refused += outside_links(folder, label, outside)
        unread += [(f"{label}/{rel}", why) for rel, why in skipped]
        files |= found
        origins |= {rel: f"{label}/{rel}" for rel in found}
    # The theme's words come from its locale/ folder, beside print/ (shared with the site).
    words = load_theme_words([(folder.parent, boundary(project.root) if label.startswith("themes/")
                               else boundary(default_theme_dir()), label.removesuffix("/print"))
                              for folder, label in folders], Diagnostics())   # the site's plan reports them
    # what its files hold that no book may be served (judged.py: the shipped theme's
    # judgement is the package's own, made once); a file the project's print folder
    # links out of the project is said at the link (HF0120), and one it could not take
    # (over MAX_FILE: a whole CJK font) at the file (HF0116), not again at each address
    # naming it, as a file "no book may fetch" (it is there; copying it again mends nothing)
    said = [*refused, *(name for name, _ in unread)]
    judgement = judged(files, frozenset(name.removeprefix(f"{label}/") for name in said
                                        for _, label in folders[1:] if name.startswith(f"{label}/")))
    costly = dict(judgement.costly)
    for rel in costly:   # never served: WeasyPrint would draw or read it for as long as it took
        del files[rel]
    return PrintTheme(files, origins, _environment(files), tuple(refused), words,
                      tuple((origins[rel], *why) for rel, why in sorted(costly.items())),
                      tuple(data for holder, data in judgement.embedded if holder in files), judgement.foreign,
                      judgement.pictures, tuple(unread))


def shipped_print_files() -> dict[str, bytes]:
    """The shipped print theme's files as `load_print_theme` reads them for a project
    without a print folder of its own (path inside print/ → bytes): judged.py's."""
    return _read(default_theme_dir() / "print", boundary(default_theme_dir()))[0]


def _read(folder: Path, fence) -> tuple[dict[str, bytes], list[Path], list[tuple[str, str]]]:
    """The files of a print folder (path inside it → bytes) read under `fence`, its
    links leading outside (`Boundary.files`), and the files it could not read (path
    inside it, why: over MAX_FILE, not a regular file)."""
    files, unread = {}, []
    found, outside = fence.files(folder)
    for path in well_named(found, folder):   # a misnamed one is HF0130/HF0135's, read by nothing
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        try:
            # kept for the process by the file's stat (hash_memo.py KEPT): read again by every plan
            files[rel] = fence.read(path, min(MAX_FILE, theme_file_limit(rel)), kept=KEPT)
        except Refused as refused:   # too large, or not a regular file: not part of the theme
            if refused.kind != "outside":   # a link out is said at the link (`outside`)
                unread.append((rel, refused.reason))
        except OSError:
            continue   # gone since it was listed
    return files, outside, unread


def check_templates(theme: PrintTheme, diags: Diagnostics) -> None:
    """HF0703 at each of the project's own print templates that does not compile
    (sandbox.py `check_compiles`), HF0103 at each of its own templates and stylesheets
    that is not UTF-8; the shipped ones are foundry's."""
    own = []
    for rel, data in sorted(theme.files.items()):
        if theme.origins.get(rel, DEFAULT_LABEL).startswith(DEFAULT_LABEL):
            continue
        if rel.lower().endswith(".css") and not rel.startswith("templates/"):
            # a stylesheet saved as Latin-1: WeasyPrint reads it as UTF-8 and prints
            # replacement marks for its letters (`content: "café"`), with check clean
            if _not_utf8(data):
                report_not_text(theme.origins[rel], data, diags)
            else:   # what is said of its lines is said by tinycss2's, which end at a CR alone
                report_lone_cr(theme.origins[rel], data.decode("utf-8", "replace"), diags, "CSS")
                report_conflicts(theme.origins[rel], data.decode("utf-8", "replace"), diags)
            continue
        if not rel.startswith("templates/"):
            continue
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            # saved as Latin-1 or UTF-16: its letters were printed as replacement marks
            report_not_text(theme.origins[rel], data, diags)
            continue
        if report_lone_cr(theme.origins[rel], text, diags, "Jinja") \
                or report_conflicts(theme.origins[rel], text, diags):
            continue   # what its checks said would be said a line off below the CR
        own.append((rel.removeprefix("templates/"), text, theme.origins[rel]))
    # a template the theme holds but does not serve (past a budget, HF0116; linked out,
    # HF0120, it or a folder above it) is said there, not 'not found' too
    sandbox.check_compiles(theme.env, own, diags, lambda name: f"templates/{name}" in theme.origins or any(
        refused.endswith((f"/templates/{name}", "/templates", "/print")) for refused in theme.refused) or any(
        label.endswith(f"/templates/{name}") for label, _ in theme.unread))
    # what the shipped templates still import from one of its own (template_gaps.py):
    # said at the project's file, not at each shipped template's line
    shipped = {rel.removeprefix("templates/"): data.decode("utf-8", "replace") for rel, data in theme.files.items()
               if rel.startswith("templates/") and theme.origins.get(rel, DEFAULT_LABEL).startswith(DEFAULT_LABEL)}
    replaced = {name: label for name, _, label in own}
    report_gaps(import_gaps(theme.env, replaced, shipped) + extends_gaps(theme.env, replaced, shipped, _shipped_template),
                diags, "print/templates")


def _shipped_template(name: str) -> str | None:
    """The shipped print template `name`'s text, None when foundry ships none of that name."""
    try:
        return (default_theme_dir() / "print" / "templates" / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _not_utf8(data: bytes) -> bool:
    """True when a stylesheet's bytes are not UTF-8 and it names no other encoding
    (`@charset "iso-8859-1";` first, as CSS reads it; or a byte order mark)."""
    if data.startswith((b'@charset "', b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def refused_files(theme: PrintTheme | None, project) -> list[Diagnostic]:
    """HF0120 at each link in the project's print theme that leads outside it (or at
    the theme folder itself, when it is such a link); HF0116 at each SVG it holds that
    draws without end (svg_cost.py), and each stylesheet whose imports read without
    end (css_imports.py); HF0704 at each address its files write that no book may
    fetch (theme_addresses.py), which every book would stop at."""
    found = Diagnostics()
    for rel in theme.refused if theme else ():
        refuse(project.root, Path(project.root, rel), found)
    for label, why in theme.unread if theme else ():
        # a font for Chinese, Japanese or Korean (tens of thousands of glyphs) is the one a
        # writer following HF0741's hint ships, and is over the limit whole
        font = label.lower().endswith((".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2"))
        found.add("HF0116", f"{label} is not part of the theme: {why}", Span(label),
                  hint=f"Keep a print template within {MAX_TEMPLATE // 1024:,} KiB (split it into parts it "
                       f"includes) and every other print file within {MAX_FILE // (1024 * 1024)} MiB (compress the "
                       "image or font, or leave it out)." + (
                           " A whole font for Chinese, Japanese or Korean is larger: install it on the machine "
                           "that builds the PDFs instead (Debian and Ubuntu: fonts-noto-cjk; docs/books.md), or "
                           "ship it as WOFF2, or cut down to the characters the books print (`pyftsubset`)."
                           if font else ""))
    for label, kind, line, column in theme.costly if theme else ():
        where, what = Span(label, line, column), f"the image at line {line} of {label}" if line else label
        if kind == "image":
            found.add("HF0116", f"{what} has more than {MAX_PIXELS:,} pixels, or is a JPEG written in more scans "
                                f"than its pixels allow or a PNG in more than {MAX_PNG_CHUNKS:,} chunks, the limit "
                                "for any image a book shows: it is not part of the theme", where,
                      hint="Scale the image down: a printed page needs a few million pixels at most.")
            continue
        if kind == "font-picture":
            from .font_pictures import MAX_FONT_PICTURE
            what = f"the font at line {line} of {label}" if line else label
            found.add("HF0116", f"{what} is a font that draws a glyph from a picture more than {MAX_FONT_PICTURE:,} "
                                "pixels wide or tall, decoded whole each time the glyph is printed: it is not part "
                                "of the theme", where,
                      hint=f"Keep each of the font's pictures within {MAX_FONT_PICTURE:,} pixels a side (colour emoji "
                           "fonts draw theirs at 160 at most), or ship a font of outlines.")
            continue
        if kind == "font-faces":
            from ..pdf.coverage import MAX_COLLECTION_FACES
            what = f"the font at line {line} of {label}" if line else label
            found.add("HF0116", f"{what} is a font collection saying it holds more than {MAX_COLLECTION_FACES} faces, "
                                "more than any collection holds (the largest hold 70), and each would be opened for "
                                "every book: it is not part of the theme", where,
                      hint="Ship only the faces the books print, each as its own TrueType or OpenType file (or a "
                           "collection of those few: `fonttools ttLib -o out.ttc a.ttf b.ttf`).")
            continue
        if kind == "font-unpacked":
            from ..pdf.coverage import UNPACKED_BUDGET
            what = f"the font at line {line} of {label}" if line else label
            found.add("HF0116", f"{what} is a compressed font (WOFF or WOFF2) whose tables unpack to more than "
                                f"{UNPACKED_BUDGET >> 20} MiB (or read its bytes over and over past that), more than any "
                                "font holds, and every book would unpack it whole: it is not part of the theme", where,
                      hint="Ship the font as the TrueType or OpenType file it was made from, or compress that file "
                           "again (`fonttools ttLib.woff2 compress <font>`).")
            continue
        if kind == "image-total":
            from ...budget import picture_pixels
            found.add("HF0715", f"the print theme's pictures hold more than {picture_pixels():,} pixels up to {what}, "
                                "the most foundry decodes for a theme's pictures in all: it is not part of the theme",
                      where, hint="Scale the pictures down (a printed page needs a few million pixels of them) or "
                                  "leave some out; the limit is FOUNDRY_PICTURE_PIXELS in the environment of whoever "
                                  "builds.")
            continue
        if kind == "html":
            found.add("HF0116", f"{label} is HTML the books' parser reads too slowly (more than "
                                f"{html_reading.SECONDS_PER_CHAR * 1e6:g} CPU-µs a character): it is not part of the "
                                "theme", Span(label),
                      hint="Write each tag with a few attributes, and elements within each other a few levels "
                           "deep: thousands in one tag, or thousands of <b>, <ul> or <div> left open, are read "
                           "in time that grows with their square.")
            continue
        if kind == "css":
            found.add("HF0116", f"{label}'s @imports read a stylesheet more than {MAX_FETCHES} times (stylesheets "
                                "that import each other, or themselves), or more than "
                                f"{MAX_IMPORT_DEPTH} imports deep: it is not part of the theme", Span(label),
                      hint="Import each stylesheet once, from one place, each a few imports deep at most; none "
                           "may import itself or one that imports it.")
            continue
        if kind == "css-deep":
            found.add("HF0116", f"{label} nests brackets more than {MAX_DEPTH} levels deep, more than a book "
                                "can read: it is not part of the theme", where,
                      hint="Write the value with fewer parentheses within each other (a calc() holds "
                           "+ - * / without nesting).")
            continue
        if kind == "css-vars":
            found.add("HF0116", f"{label} has a custom property whose var()s expand to more than "
                                f"{MAX_TOKENS:,} tokens, or nest more than {MAX_VAR_DEPTH} deep, more than a book "
                                "can lay out: it is not part of the theme",
                      where, hint="Write the value out, or have each custom property use the others a few "
                                  "times: each var() is replaced by the whole value it names, so properties "
                                  "that each repeat the one before grow tenfold at every step.")
            continue
        what = f"the SVG at line {line} of {label}" if line else label
        found.add("HF0116", f"{what} draws more than {MAX_SHAPES:,} shapes once its <use> and <image> "
                            "references are followed, or they lead back to it: it is not part of the theme",
                  where, hint="Draw it with fewer copies (or as a PNG); no <use> or <image> may lead back "
                                    "to the element or file that holds it.")
    for address in theme.foreign if theme else ():
        where = Span(theme.origins[address.holder], address.line, address.column)
        if address.epub:
            # a theme's own picture or font is a file the PDFs may show: "a book may only show
            # its theme's files" was said of 'theme/img/seal.png', one of them
            found.add("HF0704", f"the print theme asks for '{clip(address.url, 120)}' in a file the EPUB is made "
                                "from, and an EPUB carries no file but its stylesheet and the portraits, none of "
                                "the theme's pictures or fonts", where,
                      hint="Remove the address from the EPUB's files (templates/epub/, css/epub.css and the "
                           "templates they include or import; a reader's device would load it from elsewhere, "
                           "or find nothing); a theme picture may still be shown in the PDFs, from a PDF "
                           "template or stylesheet that no EPUB template includes.")
            continue
        found.add("HF0704", f"the print theme asks for '{clip(address.url, 120)}', which no book may "
                            "fetch: a book may only show the project's own images and its theme's files",
                  where, hint="A print theme may show only its own files (theme/…) and the project's images "
                              "(portraits): remove the address, or copy the file into the theme's print/ folder.")
    own = project.root / "themes" / project.config.project.theme
    if theme is None and project.confine(own) is None:
        refuse(project.root, own, found)
    return found.items


def _environment(files: dict[str, bytes]) -> jinja2.Environment:
    # a template not UTF-8 is HF0103 at check (`check_templates`), which stops the build;
    # read with replacement marks here only so that the environment can still be made
    # a picture pasted in as data: is drawn without its GPS (an EPUB chapter carries it as
    # written; load/text_metadata.py), every line where it was
    templates = {rel.removeprefix("templates/"): template_without_metadata(data.decode("utf-8", "replace")
                                                                             .removeprefix("\ufeff"))
                 for rel, data in files.items() if rel.startswith("templates/")}

    def load(name: str):
        # The name doubles as the file name Jinja puts in tracebacks: how an error
        # raised while a template runs is traced back to its template and line.
        return (templates[name], name, lambda: True) if name in templates else None

    return install_words(sandbox.BoundedSandbox(loader=jinja2.FunctionLoader(load), autoescape=True,
                                                undefined=jinja2.StrictUndefined, trim_blocks=True,
                                                lstrip_blocks=True, keep_trailing_newline=True))


def render(theme: PrintTheme, template: str, diags: Diagnostics, language: str = "en", home=None, project=None,
           **context) -> str | None:
    """A theme template rendered with `context`, the theme's words in `language`; a
    template problem is HF0703 at its line. `home` (book_size.Home): the book it is
    part of, where a document too long to lay out is said (HF0712) unless the project's
    own templates drew it; `project`: the project (where foundry.toml says what)."""
    try:
        html = sandbox.render(theme.env.get_template(template),
                              {**context, CONTEXT_KEY: theme.words.for_language(language)})
        if len(html) > MAX_DOCUMENT:
            # What WeasyPrint would lay out for hours, or ebooklib hold several times over.
            from .book_size import too_large
            too_large(theme, template, len(html), home, project, diags, MAX_DOCUMENT)
            return None
        return html
    except jinja2.TemplateSyntaxError as err:
        diags.add("HF0703", clip(err.message or "syntax error", 160), theme.span(f"templates/{err.name or template}",
                                                                                  err.lineno or 0),
                  hint=sandbox.chain_hint(err))
    except jinja2.TemplateNotFound as err:
        diags.add("HF0703", f"the print theme has no template '{clip(str(err.name), 80)}'",
                  theme.span(f"templates/{template}"),
                  hint="Copy the missing template from the default theme's print/templates/.")
    except TEMPLATE_ERRORS as err:
        name, line = _where(err, theme, template)
        diags.add("HF0703", f"{clip(sandbox.render_message(err), 160)} (while making a book)",
                  theme.span(f"templates/{name}", line),
                  hint=sandbox.render_hint(err))
    return None


def budget_span(theme: PrintTheme | None, exc: BaseException) -> Span | None:
    """Where a book's render that went over its budget was: the print template and line."""
    if theme is None:
        return None
    name, line = sandbox.template_frame(exc)
    if name is None:   # a MemoryError: Jinja rewrote its traceback to the template's lines
        name, line = _where(exc, theme, "")
    return theme.span(f"templates/{name}", line or 0) if name else None


def _where(err: BaseException, theme: PrintTheme, template: str) -> tuple[str, int]:
    """The innermost template frame of a runtime error: Jinja rewrites tracebacks so
    that a template's frames carry its name and line."""
    found, tb = (template, 0), err.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if f"templates/{name}" in theme.files:
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def missing_theme(project, diags: Diagnostics) -> None:
    """HF0703 at foundry.toml's `theme =` line, as the site says it (one fault, one
    diagnostic when both are made): a `--only pdf` build said it at no line of the file."""
    name = clip(project.config.project.theme, 40)
    diags.add("HF0703", f"theme '{name}' not found: there is no themes/{name}/ folder",
              _toml_key_span(project.root / CONFIG_NAME, ("project", "theme")),
              hint="Create themes/<name>/print/ with the files you override, or set theme = \"default\".")


def own_theme_texts(root: Path, theme: PrintTheme | None, catalogs_only: bool = False) -> Iterator[tuple[str, str]]:
    """(path, text) of the project's own theme files a book prints words from: its
    catalogs (`themes/<theme>/locale/<lang>/LC_MESSAGES/messages.po`, the theme's words
    in a language) and its print templates and stylesheets (words typed there). They
    are the project's files, written by its people: a character no font has in one is
    at its line there, not at foundry.toml (HF0741, HF0752). Read lazily, after
    foundry.toml, only for characters no content file holds; the shipped theme's are not.
    `catalogs_only`: its catalogs alone (check's foretelling reads no print file: a
    project's fonts there are megabytes read for nothing on every check)."""
    if theme is None:
        return
    fence = boundary(root)
    own = [path for paths in theme.words.sources.values() for path in paths if path.startswith("themes/")]
    if not catalogs_only:
        own += sorted(origin for origin in theme.origins.values() if origin.startswith("themes/"))
    for rel in own:
        try:
            text = fence.read(root / rel, MAX_THEME_TEXT).decode("utf-8")
        except (OSError, UnicodeDecodeError):   # an image, a font, or gone: no words typed there
            continue
        yield rel, (catalog_translations(text) if rel.endswith(".po") else text)


def catalog_translations(text: str) -> str:
    """A theme catalog's `text` with only its translations' lines kept (`msgstr` and
    the strings continuing it; every other line emptied, so lines keep their numbers):
    what a book prints of it. A translator's comment quoting the word (`# لعبة كتاب`),
    the header, a fuzzy entry (not compiled: the shipped word prints) are no word a book
    prints, and HF0741 was said at the comment's line as well as at the msgstr's."""
    lines = text.split("\n")
    kept = [""] * len(lines)
    keep = fuzzy = translated = header = False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("#", "msgid", "msgctxt")) and translated:
            fuzzy = translated = header = False   # the next entry begins
        if stripped.startswith("#"):
            keep, fuzzy = False, fuzzy or (stripped.startswith("#,") and "fuzzy" in stripped)
        elif stripped.startswith(("msgid", "msgctxt")):
            keep, header = False, stripped == 'msgid ""' and not stripped.startswith("msgctxt")
        elif stripped.startswith("msgstr"):
            translated, keep = True, not fuzzy and not header
        elif not stripped.startswith('"'):
            keep = False
        elif not translated:
            header = False   # msgid "" continued: a message, not the header
        if keep:
            kept[number] = line
    return "\n".join(kept)


# A theme file larger than this holds no words a writer typed (a font, an image).
MAX_THEME_TEXT = 4 * 1024 * 1024
