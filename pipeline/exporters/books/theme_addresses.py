"""Addresses a print theme writes that no book may fetch, found before any book is made.

A book fetches only its theme's own files and the build's images (the PDF's fetcher,
exporters/pdf/fetcher.py, refuses the rest). A template's `<img src="file:///…">`, a
stylesheet's `url(https://…)` or a relative `img/seal.png` that names no theme file
(the theme's files are under `theme/`), or one a template keeps in a variable
(`{% set u = "file:///…" %}…src="{{ u }}"`, books/template_constants.py) passed
`foundry check` clean, and every PDF then stopped with HF0704 at the same line:
check and build disagreed. The EPUB has no
fetcher: the address went into the book as written, a remote resource a reader's
device loads when the page opens (epubcheck RSC-006). Each address written as it
stands (no Jinja expression in it) is judged here as the PDF's fetcher would judge
it, at the file, line and column holding it; one a template's expressions put
together is judged when the book is made. The EPUB's own files (`templates/epub/`,
`css/epub.css`) are judged against the EPUB's package, which carries the stylesheet
and the portraits and no other theme file: a theme image or font they name was a
missing resource in every EPUB (epubcheck RSC-007). So is a template an EPUB template
imports (macros.html.j2), which a PDF's page takes too: it is judged for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin
from xml.etree import ElementTree

from ...load.delimited import blanked, pieces
from .book_url import BASE_URL, THEME, file_address
from .html_reading import read_html
from .svg_cost import parsed_svgs
from .template_constants import folded, inherited_constants, reading_environment
from .written import written_at

_THEME_URL = BASE_URL + THEME
# Where an EPUB's chapter and stylesheet are in its package (epub/package.py): the only
# file a chapter or the stylesheet may fetch by a name written in the theme is the
# stylesheet itself (a portrait's name is put together by `src()`, judged as it is made).
_EPUB_PAGE = "https://epub.invalid/EPUB/chapter.xhtml"
_EPUB_CSS = "https://epub.invalid/EPUB/style/book.css"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_JINJA = re.compile(r"\{[{%#]")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
# _JINJA_COMMENT as a pair (load/delimited.py): the pattern read from each unclosed `{#` on
# to the end of the template, again from the next (quadratic in a theme file of 8 MiB)
_JINJA_COMMENT_PAIR = [(re.compile(r"\{#"), re.compile(r"#\}"))]
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SVG = "{http://www.w3.org/2000/svg}svg"
# The attributes a book's reader fetches (WeasyPrint: img/embed src, object data, a
# stylesheet's or attachment's link, an SVG's image and use; an EPUB reading system
# also audio, video, source, iframe and script src, a poster, srcset's candidates).
_FETCHED = {"src": None, "data": "object", "poster": "video"}   # attribute → its element (None: any)
_LINKED = ("image", "use", "feimage")
_LINK_TYPES = ("stylesheet", "attachment")
# The elements WeasyPrint draws a fetched picture for (html.py's replaced boxes, an
# inline SVG's <image>), by their element and attribute.
_DRAWN = frozenset({("img", "src"), ("embed", "src"), ("object", "data"), ("image", "href"), ("feimage", "href")})


@dataclass(frozen=True)
class Foreign:
    """An address `url` written in the theme file `holder` (path inside print/) at
    `line`, `column` (1-based; 0, 0 when its place could not be found) that a book may
    not fetch; `epub`: written in one of the EPUB's own files."""
    holder: str
    line: int
    column: int
    url: str
    epub: bool = False


@dataclass(frozen=True)
class Named:
    """A picture of the theme (`target`, its path inside print/) that a PDF draws, named
    by the address `url` written in the theme file `holder` at `line`, `column` (0, 0
    when its place could not be found): a template's `<img src>`, `<object data>`,
    `<embed src>`, an SVG's `<image href>`, a stylesheet's `url()` outside `@import`
    and `@font-face`. Judged by books/pictures.py as WeasyPrint would load it."""
    holder: str
    line: int
    column: int
    url: str
    target: str


def foreign_addresses(files: dict[str, bytes], linked_out: frozenset[str] = frozenset()) -> list[Foreign]:
    """`theme_addresses`' addresses no book may fetch."""
    return theme_addresses(files, linked_out)[0]


def theme_addresses(files: dict[str, bytes],
                    linked_out: frozenset[str] = frozenset()) -> tuple[list[Foreign], list[Named]]:
    """Every address the text files of `files` (path inside print/ → bytes) write
    that a book would be refused: templates (their attributes, `<style>` and `style=`),
    stylesheets (`url()`, `@import`) and SVGs (`<image>`, `<use>`). An address of a
    file or folder in `linked_out` (paths inside print/ of links leading out of the
    project, HF0120 at the link; of files over the theme's size limit, HF0116 at the
    file) is not said again: the link, or the file, is the one slip. Made
    once per set of files by judged.py (check plans the PDF and the EPUB from the same
    theme, serve plans again at every save). And each place a PDF's page names one of
    the theme's pictures by an address written as it stands (`Named`): one reading of
    the files for both, so the places a picture is said at are those an address is."""
    found: list[Foreign] = []
    pictures: list[Named] = []
    svgs = {rel: tree for rel, tree in parsed_svgs({r: d for r, d in files.items() if r.endswith(".svg")}).items()
            if tree.tag == _SVG}
    shared = _reached_from_epub(files)
    templates = {rel: text for rel in files if rel.startswith("templates/") and (text := _text(files[rel])) is not None}
    # a name a page sets (`{% set stylesheet = "sheet" %}`) read by the template it extends,
    # includes or imports with context: that template is read once with each page's names too
    inherited = inherited_constants(templates)
    readings = [(rel, context) for rel in sorted(files) for context in ((), *inherited.get(rel, ()))]
    for rel, context in readings:
        constant = None
        if rel.startswith("templates/"):
            text = _text(files[rel])
            # a Jinja comment writes nothing (blanked, its line breaks kept: places stay)
            text = blanked(text, [piece.span() for piece in pieces(text, _JINJA_COMMENT_PAIR)],
                           lambda part: re.sub(r"[^\n]", " ", part)) if text else text
            # `{% set u = "file:///…" %}…src="{{ u }}"` writes what src="file:///…" does: the
            # page is read with each constant expression replaced by what it writes
            constant = folded(text, context) if text is not None else None
            written = _template_addresses(constant.text) if constant is not None else []
        elif rel.endswith(".css"):
            text = _text(files[rel])
            written = [(value, _THEME_URL + rel, None, drawn) for value, drawn in css_addresses(text, drawn=True)] \
                if text is not None else []
        elif rel in svgs:
            text = files[rel].decode("utf-8", "replace")
            written = [(value, urljoin(_THEME_URL + rel, base or ""), (tag, "href"), tag == "image")
                       for value, base, tag in _svg_addresses(svgs[rel])]
        else:
            continue
        epub = rel.startswith("templates/epub/") or rel == "css/epub.css"
        # a template an EPUB template imports or includes (macros.html.j2: the hero sheet,
        # the quest card) writes into the EPUB's chapters as into a PDF's page: judged for both
        modes = (True,) if epub else (False, True) if rel in shared else (False,)
        # only a template is run through Jinja: `{{` in a stylesheet or an SVG is asked for as written
        templated = rel.startswith("templates/")
        cursor = 0
        read = constant.text if constant is not None else text
        for value, base, holder, kind in written:
            refused = next((mode for mode in modes if _refused(value, base, files, mode, templated, linked_out)),
                           None)
            # a picture a PDF's page draws: in a file a PDF reads, by an element or
            # property that draws one, of a file the theme holds, written as it stands
            picture = _picture(value, base, files, templated) if False in modes and kind else None
            if refused is not None or picture is not None:
                at, end = written_at(read, value, cursor, holder)
                if end >= 0:
                    cursor = end
                if constant is not None and at >= 0:
                    at = _typed_at(value, constant.written_at(at), text)
                line, column = (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (0, 0)
                if refused is not None and (said := Foreign(rel, line, column, value.strip(), refused)) not in found:
                    found.append(said)   # once, whichever page's names
                if picture is not None and (named := Named(rel, line, column, value.strip(), picture)) not in pictures:
                    pictures.append(named)
    return found, pictures


def _picture(value: str, base: str, files: dict[str, bytes], templated: bool) -> str | None:
    """The theme file (path inside print/) a PDF's page draws as a picture when it asks
    for `value` (written in a file whose references resolve against `base`), or None:
    an address with a Jinja expression in it (judged as it is drawn), a `data:` image
    (embedded.py), one leading elsewhere (`_refused`), a file the theme lacks."""
    address = value.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if (templated and _JINJA.search(address)) or not address or address.startswith("#") \
            or address[:5].lower() == "data:":
        return None
    target = file_address(urljoin(base, address))
    if not target.startswith(_THEME_URL):
        return None
    rel = target[len(_THEME_URL):]
    return rel if rel in files else unquote(rel) if unquote(rel) in files else None


def _typed_at(value: str, at: int, text: str) -> int:
    """Where the address `value`, read at offset `at` of the template `text`, is typed:
    there, or, when a `{% set %}` gave it to the expression there, at that string."""
    if not text.startswith("{{", at):
        return at
    typed = text.find(value.strip())
    return typed if typed >= 0 else at


def _reached_from_epub(files: dict[str, bytes]) -> set[str]:
    """The templates outside templates/epub/ that an EPUB template imports, includes or
    extends, by a name written as it stands, and those that they do in turn (paths
    inside print/)."""
    import jinja2
    from jinja2 import meta

    # parsed as the theme's environment parses them: a template using `{% trans %}` read by
    # a plain one was a syntax error here, and what it imports was judged for PDFs alone
    env = reading_environment()
    reached: set[str] = set()
    todo = [rel for rel in files if rel.startswith("templates/epub/")]
    while todo:
        text = _text(files[todo.pop()])
        try:
            names = meta.find_referenced_templates(env.parse(text)) if text is not None else ()
        except jinja2.TemplateSyntaxError:   # HF0703 at check (books/theme.py): nothing reached
            continue
        for name in names:
            rel = f"templates/{name}" if isinstance(name, str) else None
            if rel in files and rel not in reached and not rel.startswith("templates/epub/"):
                reached.add(rel)
                todo.append(rel)
    return reached


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:   # a template not UTF-8 is HF0103 (books/theme.py check_templates)
        return None


def _refused(value: str, base: str, files: dict[str, bytes], epub: bool, templated: bool = True,
             linked_out: frozenset[str] = frozenset()) -> bool:
    """Whether a book asking for `value`, written in a file whose references resolve
    against `base`, is refused. Written with a Jinja expression in it in a template
    (`templated`): only when what stands before the expression already leads away
    (`file:///{{ x }}`). A theme file under a link in `linked_out` is not refused here:
    the link is said (HF0120), and fixing it is what makes the address good."""
    # WeasyPrint drops an address's surrounding spaces, tabs and line breaks (html.parse_url)
    address = value.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    dynamic = _JINJA.search(address) if templated else None
    if dynamic:
        address = address[:dynamic.start()]
        if not _SCHEME.match(address) and not address.startswith("//"):
            return False   # a relative start: where it leads depends on the expression
    if not address or address.startswith("#") or address[:5].lower() == "data:":
        return False   # the page itself; a `data:` image is judged by embedded.py
    if epub:   # the EPUB has no fetcher: what the file names must be in its package
        return urljoin(_EPUB_CSS if base.endswith(".css") else _EPUB_PAGE, address).split("#", 1)[0] != _EPUB_CSS
    target = file_address(urljoin(base, address))   # `x.woff2?v=3`, `x.svg#Font`: the file x.woff2, x.svg
    if not target.startswith(_THEME_URL):
        return True
    if dynamic:
        return False
    rel = target[len(_THEME_URL):]
    if any(name == gone or name.startswith(gone + "/") for name in (rel, unquote(rel)) for gone in linked_out):
        return False
    return rel not in files and unquote(rel) not in files


def _template_addresses(text: str) -> list[tuple[str, str, tuple[str, str] | None, bool]]:
    """(address, base URL, its element and attribute or None in CSS, whether WeasyPrint
    draws it as a picture) of each fetched address a template writes, read as
    WeasyPrint reads the page (tinyhtml5; a `<base href>` moves the base, as
    WeasyPrint's _find_base_url does)."""
    root = read_html(text)
    if root is None:   # unreadable, or past its budget (judged.py says so)
        return []
    base = BASE_URL
    for el in root.iter():
        if _tag(el) == "base" and (el.get("href") or "").strip() and not _JINJA.search(el.get("href")):
            base = urljoin(BASE_URL, el.get("href").strip())
            break
    found: list[tuple[str, str, tuple[str, str] | None, bool]] = []
    for el in root.iter():
        tag = _tag(el)
        for name, value in el.attrib.items():
            name = name.rsplit("}", 1)[-1].lower() if isinstance(name, str) else ""
            if name == "style":
                found += [(v, base, None, drawn) for v, drawn in css_addresses(value, declarations=True, drawn=True)]
            elif name == "srcset":
                found += [(candidate, base, (tag, name), False) for candidate in _srcset(value)]
            elif (name in _FETCHED and _FETCHED[name] in (None, tag)) or (name == "href" and _fetches_href(el, tag)):
                found.append((value, base, (tag, name), (tag, name) in _DRAWN))
        if tag == "style" and el.text:
            found += [(v, base, None, drawn) for v, drawn in css_addresses(el.text, drawn=True)]
    return found


def _srcset(value: str) -> list[str]:
    """The addresses of a `srcset`, split as HTML splits it: an address runs to the
    next space (a `data:` URI's comma is part of it), then its descriptors to a comma."""
    found, at = [], 0
    while at < len(value):
        while at < len(value) and (value[at].isspace() or value[at] == ","):
            at += 1
        end = at
        while end < len(value) and not value[end].isspace():
            end += 1
        address = value[at:end]
        if address.endswith(","):   # no descriptors: the comma ends the candidate
            address = address.rstrip(",")
        elif end < len(value):
            comma = value.find(",", end)
            end = comma if comma >= 0 else len(value)
        if address:
            found.append(address)
        at = end
    return found


def _fetches_href(el, tag: str) -> bool:
    """Whether an element's `href` is fetched (an SVG's image or use, a stylesheet
    or attachment link) rather than followed (a link to go to)."""
    if tag in _LINKED:
        return True
    return tag in ("link", "a") and any(kind in (el.get("rel") or "").lower().split() for kind in
                                        (_LINK_TYPES if tag == "link" else ("attachment",)))


def _tag(el) -> str:
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def css_addresses(text: str, declarations: bool = False, drawn: bool = False) -> list:
    """The addresses a stylesheet's text (or a `style=` attribute's `declarations`)
    fetches, read as WeasyPrint reads it (tinycss2): each `url(…)` and `@import`'s
    string. Other strings are text (`content: "https://…"` prints the address,
    fetches nothing), and so is an `@namespace` rule's URL. With `drawn`, each as
    (address, whether it is drawn as a picture: not an `@import`'s sheet, nor a
    `@font-face` rule's font)."""
    import tinycss2

    found: list[tuple[int, int, str, bool]] = []
    try:
        rules = tinycss2.parse_blocks_contents(text) if declarations else tinycss2.parse_stylesheet(text)
    except Exception:  # tinycss2 reads any text
        return []
    stack: list = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "namespace":
            continue   # `@namespace svg url(http://www.w3.org/2000/svg)` names a namespace, fetches nothing
        picture = not (rule.type == "at-rule" and rule.lower_at_keyword in ("import", "font-face"))
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            first = next((t for t in rule.prelude if t.type not in ("whitespace", "comment")), None)
            if first is not None and first.type == "string":
                found.append((first.source_line, first.source_column, first.value, False))
        stack += _marked([*(getattr(rule, "prelude", None) or ()), *(getattr(rule, "content", None) or ()),
                          *(rule.value if rule.type == "declaration" else ())], picture)
    while stack:
        token, picture = stack.pop()
        if token.type == "url":
            found.append((token.source_line, token.source_column, token.value, picture))
        elif token.type == "function" and token.lower_name == "url":
            first = next((t for t in token.arguments if t.type not in ("whitespace", "comment")), None)
            if first is not None and first.type == "string":
                found.append((first.source_line, first.source_column, first.value, picture))
            continue
        stack.extend(_marked(getattr(token, "content", None) or (), picture))
        stack.extend((inner, picture) for inner in getattr(token, "arguments", None) or ())
    ordered = sorted(found)   # in the order written
    return [(value, picture) for *_, value, picture in ordered] if drawn else [value for *_, value, _ in ordered]


def _marked(tokens, picture: bool) -> list:
    """(token, whether a `url()` in it is drawn as a picture) for each of `tokens`, the
    contents of a rule or block: the `{}` block after an `@font-face` keyword (a face
    nested in `@media print` or `@layer`, which WeasyPrint loads as a font) holds
    fonts. Read as pictures, a project's own font named there was said to be "a
    picture … that cannot be read"."""
    out, face = [], False
    for token in tokens:
        if token.type == "at-keyword":
            face = token.lower_value == "font-face"
        elif token.type == "{} block":
            out.append((token, picture and not face))
            face = False
            continue
        elif token.type == "literal" and token.value == ";":
            face = False
        out.append((token, picture))
    return out


def _svg_addresses(root: ElementTree.Element) -> list[tuple[str, str | None, str]]:
    """(address, its xml:base or None, its element) of each `<image>` and external `<use>` of an SVG."""
    found = []
    for el in root.iter():
        if _tag(el) in _LINKED:
            href = el.get("href") or el.get(_XLINK_HREF)
            if href:
                base = el.get("{http://www.w3.org/XML/1998/namespace}base")
                found.append((href, base, _tag(el)))
    return found
