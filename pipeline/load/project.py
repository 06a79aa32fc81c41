"""The project: its root, `foundry.toml` as typed settings, and path confinement."""

from __future__ import annotations

import os
import re
import stat
from urllib.parse import quote, urlsplit
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..confine import Refused, boundary, refuse
from ..diagnostics import Diagnostics, Span, clip, did_you_mean, suggestion
from .encoding import report_not_text
from .conflicts import report_conflicts
from .hygiene import check_data
from .language_names import tag_for_name
from .toml_errors import parse_all, quoted as toml_text
from .toml_values import inline_keys, value_extent
from .root import CONFIG_NAME, PROJECT_INPUTS, find_root  # noqa: F401  (defined there, light enough for a no-op build)

MAX_CONFIG_BYTES = 2 * 1024 * 1024
OUTPUTS = ("json", "html", "pdf", "epub", "ink", "twee")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# The longest address the sitemap protocol takes (sitemaps.org: "less than 2,048 characters").
SITEMAP_ADDRESS_MAX = 2047
# base_url's bound, in characters as published (as_uri): each page's address is base_url,
# a slash and its path, the longest `characters/<a 64-character id>.html` (80 characters),
# and must fit the sitemap's bound. (It was 2,000, and a base_url of 2,000 made addresses
# of 2,081.) A translated language's folder makes the path longer: _report_long_addresses.
BASE_URL_MAX = SITEMAP_ADDRESS_MAX - 1 - len("characters/.html") - 64


# The world's description and authors are written into every page (its meta
# description three times; the footer's "by …") and every book: a foundry.toml of
# 50,000 authors (790 KB) made each page 700 KB, and a world of N pages (4,000 copies
# of one hero: one git blob) N times it. Bounded as `title` is; the credits page names
# everyone who committed content, whatever foundry.toml lists. The authors by the
# characters they add to a page, as the description is: a studio's 300 contributors
# (~6,000 characters) publish, where a count of 100 refused them.
DESCRIPTION_MAX = 10_000   # (the compendium cover prints it whole: a blurb of 800 words is ~6,300)
AUTHORS_MAX = 1_000
AUTHOR_MAX = 200
AUTHORS_CHARS_MAX = 10_000


class ProjectSettings(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    authors: list[Annotated[str, Field(max_length=AUTHOR_MAX)]] = Field(default=[], max_length=AUTHORS_MAX)
    theme: str = Field(default="default", pattern=r"^[a-z0-9][a-z0-9-]*$")
    base_url: str = Field(default="/", max_length=BASE_URL_MAX)

    @field_validator("authors")
    @classmethod
    def _authors(cls, value: list[str]) -> list[str]:
        """The names every page's footer and every book's cover print: bounded by their
        characters together (AUTHORS_CHARS_MAX), as the description is by its own."""
        total = sum(len(name) for name in value)
        if total > AUTHORS_CHARS_MAX:
            raise ValueError(f"names {len(value):,} authors in {total:,} characters, more than the "
                             f"{AUTHORS_CHARS_MAX:,} it may hold")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        """Where build/ is published: the sitemap and the 404 page (served at any
        missing URL) link through it, so it must be absolute — a URL or a path."""
        return published_base_url(value)


def published_base_url(value: str) -> str:
    """`value` as `project.base_url` publishes it (as_uri), whether foundry.toml wrote
    it or `foundry build --base-url` gave it: one rule for both. Raises ValueError
    with base_url_problem's words, or the bound's, when it cannot be one."""
    problem = base_url_problem(value)
    if problem:
        raise ValueError(problem)
    published = as_uri(value)
    if len(published) > BASE_URL_MAX:
        # the bound is the address's, not the typed text's: `é` is published as `%C3%A9`,
        # so 1,000 typed characters made sitemap addresses of 6,000
        raise ValueError(f"is {len(published):,} characters long as it is published, more than the "
                         f"{BASE_URL_MAX:,} it may hold"
                         + _WHY_BOUNDED[("project", "base_url")])
    return published


def as_uri(value: str) -> str:
    """`value` (a base_url that base_url_problem accepted) as the ASCII address a
    browser sends and a crawler wants: a host in Unicode as IDNA (`exämple.org` →
    `xn--exmple-cua.org`, UTS #46 as browsers map it), every other character beyond
    ASCII percent-encoded as UTF-8 (`/démo/` → `/d%C3%A9mo/`); escapes already there,
    and an ASCII value, stay as written. The sitemap protocol asks for escaped
    addresses, and every page, the sitemap, the 404 page's links and the books' links
    print this one form. The scheme and the host are lower case, as a browser's URL
    parser writes them (WHATWG URL; `HTTPS://You.GitHub.io/Repo/` was published as
    typed, where an IDNA host came out lower case). Raises ValueError for a host IDNA
    cannot spell."""
    if value.isascii():
        return _lower_scheme_and_host(value)
    import idna   # here: only a project with such an address pays for the import
    parts = urlsplit(value)
    netloc = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        try:
            host = idna.encode(parts.hostname, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise ValueError(f"has a host name that is not a valid international domain name ({exc})") from None
        netloc = host + (f":{parts.port}" if parts.port is not None else "")
    return _lower_scheme_and_host(parts._replace(netloc=netloc, path=quote(parts.path, safe="/%!$&'()*+,;=:@-._~"))
                                  .geturl())


def _lower_scheme_and_host(address: str) -> str:
    """`address` (ASCII) with its scheme and host (a base_url holds no user: refused)
    in lower case; its path as written (a path is case-sensitive, its escapes kept)."""
    scheme, colon, rest = address.partition(":")
    if not colon or not rest.startswith("//"):
        return address   # a path: no scheme or host
    host, slash, path = rest[2:].partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def base_url_problem(value: str) -> str | None:
    """Why `value` cannot be `project.base_url`, or None: an absolute http(s) URL with
    a host (`https://example.org/coast/`) or a path from the server's root (`/coast/`),
    with no query, fragment, whitespace or characters a URL must escape, no credentials
    (`https://u:p@host/`: published in every page), no `.`/`..` segments, no `%`
    that does not start an escape (`%zz`) and no page's name at its end (`index.html`)."""
    shape = "must be an absolute http(s) URL like 'https://example.org/coast/' or a path like '/coast/'"
    if any(c.isspace() or c in '"<>\\^`{|}' or not c.isprintable() for c in value):
        return f"{shape}; it holds a space or a character a URL cannot hold"
    try:
        parts = urlsplit(value)
    except ValueError:   # an IPv6 host's '[' left open
        return shape
    port = _port_text(parts.netloc)
    if port is not None and not _is_port(port):
        # said as the port: 'https://example.org:99999/' is an absolute http(s) URL, and
        # being told to write one left the writer to guess; a port 0 no browser can reach
        return (f"has the port '{clip(port, 12)}': a port is a number from 1 to 65535, "
                "or none for the scheme's own (443 for https, 80 for http)")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return f"{shape}, without '?' or '#'"
    if "@" in parts.netloc:
        # every page (og:url, canonical) and the sitemap print base_url: a password in it is published
        return ("must not hold a user name or password ('user:password@'): every page and the sitemap "
                "publish it")
    bad_escape = re.search(r"%(?![0-9A-Fa-f]{2})", value)
    if bad_escape:
        return (f"holds '{clip(value[bad_escape.start():bad_escape.start() + 3], 3)}', which is not an escape: "
                "'%' must be followed by two hexadecimal digits")
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        # a browser folds '/a/../../b' into '/b': the links would point somewhere the site is not
        return "must not hold '.' or '..' segments: a browser folds them away, so links would point elsewhere"
    if _page_named(parts.path):
        # the address of a page pasted ('https://you.github.io/repo/index.html'): taken as
        # a folder, every link and the 404 page's styles were under '/repo/index.html/'
        return (f"names a page ('{clip(parts.path.rsplit('/', 1)[1], 40)}'), not the folder the site is "
                "published at: every link would start with it")
    if value.startswith("/") and not value.startswith("//"):
        return None
    if parts.scheme in ("http", "https") and parts.hostname and value.lower().startswith(parts.scheme + "://"):
        return None
    return shape


# a host name (`you.github.io`, `example.org:8080`) where a base_url starts, written
# without its scheme
_SCHEMELESS_HOST = re.compile(r"(?i)(?:[a-z0-9-]+\.)+[a-z]{2,63}(?::[0-9]*)?(?:/|$)")


def _page_named(path: str) -> bool:
    """Whether `path`'s last segment is a page's name (`index.html`, `about.htm`): a site
    is published at a folder, and no one names a folder so."""
    return path.rsplit("/", 1)[-1].lower().endswith((".html", ".htm"))


def _port_text(netloc: str) -> str | None:
    """The port as written after the host in `netloc` (`example.org:8080` → '8080',
    `[::1]:80` → '80'), '' for a colon with none after it, None for no colon."""
    host_port = netloc.rpartition("@")[2]
    after_host = host_port.rpartition("]")[2] if host_port.startswith("[") else host_port
    return after_host.partition(":")[2] if ":" in after_host else None


def _is_port(text: str) -> bool:
    """Whether `text` is a port a browser reaches: none (''), or ASCII digits from 1 to
    65535 (Python reads '８０' and '+80' as numbers; browsers do not)."""
    return text == "" or (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535)


def base_url_hint(value: str) -> str:
    """The fix for a `base_url` that base_url_problem refused, as a sentence: the value
    without credentials, with '%' escaped, with dot segments folded as a browser would,
    without a page's name at its end; or the two shapes it may take."""
    shapes = "Write an absolute http(s) URL like \"https://example.org/coast/\" or a path like \"/coast/\"."
    try:
        parts = urlsplit(value)
    except ValueError:
        return shapes
    if base_url_problem(value) is None:   # its shape is right: refused for its length as published
        try:
            if len(as_uri(value)) > BASE_URL_MAX:
                return (f"Shorten it to at most {BASE_URL_MAX:,} characters as published: a character beyond "
                        "ASCII counts as its escape (`é` is `%C3%A9`, six).")
        except ValueError:
            pass
    fixed = value
    if _SCHEMELESS_HOST.match(value):
        # `you.github.io/repo` (an address as a browser's bar shows it): the host was
        # taken for a path, and the hint gave only the two shapes to write
        value_host = "https://" + value
        fixed = value_host if "/" in value else value_host + "/"
        parts = urlsplit(fixed)
    port = _port_text(parts.netloc)
    bad_port = port is not None and not _is_port(port)
    if bad_port:
        fixed = parts._replace(netloc=parts.netloc[:len(parts.netloc) - len(port) - 1]).geturl()
    if "@" in parts.netloc:
        fixed = urlsplit(fixed)._replace(netloc=urlsplit(fixed).netloc.rsplit("@", 1)[1]).geturl()
    fixed = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", fixed)
    fixed_parts = urlsplit(fixed)
    if any(segment in (".", "..") for segment in fixed_parts.path.split("/")):
        kept: list[str] = []
        for segment in fixed_parts.path.split("/")[1:]:
            if segment == "..":
                kept = kept[:-1]
            elif segment != ".":
                kept.append(segment)
        path = "/" + "/".join(kept)
        if fixed_parts.path.endswith(("/.", "/..")) and not path.endswith("/"):
            path += "/"
        fixed = fixed_parts._replace(path=path).geturl()
    if _page_named(urlsplit(fixed).path):   # its folder
        fixed = urlsplit(fixed)._replace(path=urlsplit(fixed).path.rsplit("/", 1)[0] + "/").geturl()
    if fixed != value and base_url_problem(fixed) is None:
        return f"Write `base_url = \"{clip(fixed, 120)}\"`" + (
            " (a password belongs in the host's settings, never in the site)." if "@" in parts.netloc
            else ", without the port, or with one from 1 to 65535." if bad_port else ".")
    return shapes


class BuildSettings(_Strict):
    outputs: list[Literal["json", "html", "pdf", "epub", "ink", "twee"]] = list(OUTPUTS)


class L10nSettings(_Strict):
    """`[l10n]`: the languages translated into (BCP 47 tags, checked by `foundry check`),
    whether every paragraph must carry a line id, and the file format `extract` writes."""

    languages: list[str] = []
    require_line_ids: bool = False
    format: Literal["po", "xliff", "csv"] = "po"
    # `foundry build --release` refuses outputs that would show base-language text (HF1120).
    release_requires_complete: bool = False
    # Make the site, books, ink and Twee in a pseudo-locale (en-XA) too. Off by default:
    # a pseudo-locale is a test for overflow, not an edition; it is always in the string tables.
    build_pseudo: bool = False
    # Which outputs are made in every language (names as in [build] outputs); unset: all
    # of them. A studio may publish the site and the string tables per language and
    # print its books in the base language only.
    outputs: list[Literal["json", "html", "pdf", "epub", "ink", "twee"]] | None = None


class PrintSettings(_Strict):
    """`[print]`: a print-on-demand edition of each gamebook (build/print/stories/<id>.pdf),
    and whether the world's compendium (pdf/compendium.pdf, epub/compendium.epub) is made."""

    editions: bool = False
    # The compendium is every hero, character, quest and story in one book: a world of
    # some 7,000 benchmark heroes is more than one book can hold (HF0712). Off, the
    # other books (sheets, gamebooks) are still made.
    compendium: bool = True
    # The trimmed page, as CSS `size` takes it: a name or a width and a height. Checked
    # (trim_problem) before it reaches the stylesheet.
    trim: str = "A5"

    @field_validator("trim")
    @classmethod
    def _trim(cls, value: str) -> str:
        problem = trim_problem(value)
        if problem:
            raise ValueError(problem)
        return value


TRIM_NAMES = ("A4", "A5", "A6", "B5", "letter")
# Up to four digits: A0's 1189 mm is allowed (TRIM_MM), and three refused '1189mm 841mm'
# as not a size at all. Up to three decimals: print-on-demand services list sizes in
# thousandths of an inch (Lulu's comic book, 6.625 in × 10.25 in), which two refused.
_TRIM_SIZE = re.compile(r"(\d{1,4}(?:\.\d{1,3})?)(mm|cm|in) (\d{1,4}(?:\.\d{1,3})?)(mm|cm|in)")
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4}
# A page a printer can trim and a PDF can hold: a gamebook a little larger than a
# playing card (2 in) up to A0's long side; outside that WeasyPrint still lays out a
# book (a 0.01 mm page: 1,035 pages of one broken word each; 999 in: past the 200 in
# a PDF page may measure), with check clean.
TRIM_MM = (50.0, 1189.0)


def trim_problem(value: str) -> str | None:
    """Why `value` cannot be `print.trim`, in the writer's words, or None: one of
    TRIM_NAMES, or a width and a height with their units, each within TRIM_MM."""
    shape = "should be A4, A5, A6, B5, letter or a width and height like '6in 9in' (mm, cm or in)"
    if value in TRIM_NAMES:
        return None
    # fullmatch: `$` also matches before a last newline, and "6in 9in\n" was taken
    m = _TRIM_SIZE.fullmatch(value)
    if m is None:
        near = next((n for n in TRIM_NAMES if n.lower() == value.strip().lower()), None) or _trim_as_written(value)
        return f"{shape}, not '{clip(value, 30)}'" + (f": did you mean '{near}'?" if near else "")
    low, high = TRIM_MM
    for number, unit in ((m.group(1), m.group(2)), (m.group(3), m.group(4))):
        if not low <= float(number) * _MM[unit] <= high:
            return (f"should be a page from {low:g} mm to {high:g} mm ({low / 25.4:.1f} in to {high / 25.4:.1f} in) "
                    f"on each side, not '{clip(value, 30)}'")
    return None


# A size as writers and printers' sites write one: '6 in 9 in', '6IN 9IN', '148 x 210 mm'
# (one unit after both), '6" x 9"', '6in, 9in'. Read only to suggest the form trim takes.
_TRIM_SPOKEN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|inch|inches|\"|″)?\s*(?:[x×,*]\s*)?"
                          r"(\d+(?:\.\d+)?)\s*(mm|cm|in|inch|inches|\"|″)?\s*", re.IGNORECASE)


def _trim_as_written(value: str) -> str | None:
    """`value`, a trim written as people write sizes, in the form `print.trim` takes
    ('148 x 210 mm' → '148mm 210mm'), or None when it is not two numbers with units or
    the size is outside TRIM_MM (said with the range instead)."""
    m = _TRIM_SPOKEN.fullmatch(value[:60])
    if m is None or not (m.group(2) or m.group(4)):
        return None
    def unit(written: str | None) -> str:
        written = (written or m.group(4) or m.group(2)).lower()
        return "in" if written in ("inch", "inches", '"', "″") else written
    fixed = f"{m.group(1)}{unit(m.group(2))} {m.group(3)}{unit(m.group(4))}"
    return fixed if fixed != value and trim_problem(fixed) is None else None


# The named trims' sides in millimetres, as CSS `size` takes them (portrait).
_TRIM_NAMED_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0), "B5": (176.0, 250.0),
                  "letter": (215.9, 279.4)}


def trim_mm(value: str) -> tuple[float, float]:
    """The width and height in millimetres of `value`, a `print.trim` that
    trim_problem accepts."""
    if value in _TRIM_NAMED_MM:
        return _TRIM_NAMED_MM[value]
    m = _TRIM_SIZE.fullmatch(value)
    return float(m.group(1)) * _MM[m.group(2)], float(m.group(3)) * _MM[m.group(4)]


class Config(_Strict):
    """Everything `foundry.toml` may say. Unknown keys are refused, so a typo never
    silently turns a setting off."""

    project: ProjectSettings
    build: BuildSettings = BuildSettings()
    print: PrintSettings = PrintSettings()
    owners: dict[str, list[str]] = {}
    teams: dict[str, list[str]] = {}
    l10n: L10nSettings = L10nSettings()


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    # foundry.toml's title, description and authors as HTML where the writer's inline
    # Markdown shows any (("title", html), ("authors.0", html)…): `config` holds their
    # plain text, which every mention shows (<title>, metadata, JSON, headers, running
    # heads); `html` is for the places that present them (the home page's <h1>, a
    # book's title page). Pairs, not a dict: a Project stays hashable.
    marked: tuple[tuple[str, str], ...] = ()
    # settings given on the command line over foundry.toml's ((`"base_url"`, value)):
    # part of the config's digest (resolve/world.py), so pages drawn with foundry.toml's
    # address are not kept for a build given another
    given: tuple[tuple[str, str], ...] = ()

    def with_base_url(self, published: str) -> Project:
        """This project published at `published` (published_base_url's value; `foundry
        build --base-url`, e.g. the address GitHub Pages gives a project page) instead
        of foundry.toml's `base_url`."""
        config = self.config.model_copy(
            update={"project": self.config.project.model_copy(update={"base_url": published})})
        others = tuple(pair for pair in self.given if pair[0] != "base_url")
        return Project(self.root, config, self.marked, others + (("base_url", published),))

    def html(self, field: str, index: int | None = None) -> Markup:
        """foundry.toml's `title`, `description` or author number `index` as HTML: the
        writer's emphasis, strong, strike-through and code kept (load/markdown.py
        `title_html`, the one rendering of titles), its plain text escaped where it
        has none — byte for byte what `{{ title }}` prints."""
        key = field if index is None else f"{field}.{index}"
        for name, shown in self.marked:
            if name == key:
                return Markup(shown)
        value = getattr(self.config.project, field, "")
        if index is not None:
            value = value[index] if index < len(value) else ""
        return escape(value)

    @cached_property
    def real_root(self) -> Path:
        return Path(boundary(self.root).real)

    def confine(self, path: Path) -> Path | None:
        """`path` resolved (symlinks followed) if it stays inside the project, else None:
        the one rule of pipeline/confine.py, which never touches anything outside."""
        return boundary(self.root).resolve(path)


def config_text(root: Path) -> str:
    """foundry.toml's text, read under the confinement rule. Raises Refused or
    OSError or UnicodeDecodeError."""
    # a UTF-8 byte-order mark (Notepad writes one) is dropped, as content files' is
    # (load/files.py): tomllib calls it an invalid statement
    return boundary(root).read(root / CONFIG_NAME, MAX_CONFIG_BYTES).decode("utf-8").removeprefix("\ufeff")


def _titled(root: Path, config: "Config") -> Project:
    """The project, its world's title, description and authors read as inline Markdown,
    like every title and name (docs/writing-stories.md): `config` holds their plain
    text, which every mention shows (an author `Ann *B*` was printed with its asterisks
    on every title page, footer and EPUB creator, beside a title whose were read), and
    `Project.marked` the HTML of those with markup, for the places presenting them (the
    home page's heading, a book's title page printed `The *Lantern*` as 'The Lantern')."""
    from .markdown import is_plain_title, title_forms
    info = config.project
    plain: dict = {}
    marked: list[tuple[str, str]] = []
    written = [("title", info.title), ("description", info.description)]
    written += [(f"authors.{k}", name) for k, name in enumerate(info.authors)]
    for key, text in written:
        if not text or is_plain_title(text):
            continue
        words, shown = title_forms(text)
        # a text whose Markdown leaves no words (`![](logo.png)`) keeps what was written (HF0538)
        plain[key] = words or text
        marked.append((key, str(shown) if words else str(escape(text))))
    if not plain:
        return Project(root, config)
    authors = [plain.get(f"authors.{k}", name) for k, name in enumerate(info.authors)]
    update = {k: v for k, v in plain.items() if not k.startswith("authors.")}
    if authors != list(info.authors):
        update["authors"] = type(info.authors)(authors)
    return Project(root, config.model_copy(update={"project": info.model_copy(update=update)}), tuple(marked))


def load_project(root: Path, diags: Diagnostics) -> Project:
    """Read foundry.toml; every problem in it is reported at once, and the project is
    still returned so that its content is checked too (a broken setting never hides a
    broken hero): a setting that is not valid is reported and read as its default, a
    missing title as the folder's name; a syntax error is reported with every other
    one (load/toml_errors.py) and the statements around them are still read; a file
    that cannot be read at all (not UTF-8, a link out, nested too deeply) is read as
    every default. The
    diagnostics carry the errors, so nothing is built (docs/formats.md, "When
    foundry.toml has errors")."""
    path = root / CONFIG_NAME
    # the places of its keys are found anew from here (config_places): `serve` loads the
    # file again after each save, and two saves of one size within the clock's tick
    # leave its stat alike; the places of the first were used for the second
    _PLACES.clear()
    raw: dict | None = None   # None: the file could not be read or parsed (reported below)
    syntax: list = []         # foundry.toml's syntax errors (what parsed around them is in `raw`)
    try:
        text = config_text(root)
        deep = too_deep(text)
        if report_conflicts(CONFIG_NAME, text, diags):
            pass   # a merge left both sides in it: read as every default, as a file that cannot be read
        elif deep is not None:
            diags.add("HF0140", f"{CONFIG_NAME} nests lists or tables more than {MAX_TOML_DEPTH} levels deep",
                      Span(CONFIG_NAME, *deep))
        else:
            raw, syntax = parse_all(text)   # every syntax error, each at its place (load/toml_errors.py)
            for error in syntax:
                said = error.message if error.more or error.code != "HF0205" else \
                    f"TOML syntax error: {clip(error.message, 160)}"
                diags.add(error.code, said,
                          Span(CONFIG_NAME, error.line, error.column), hint=error.hint or None)
    except Refused as exc:
        if exc.kind == "outside":
            # in the rule's words, as every refused link: round in a loop, into .git or
            # foundry's own folders, or out (it said "outside the project" of them all)
            refuse(root, path, diags)
        else:
            # a hint for what is wrong with the file, as HF0116 gives one of each content
            # file: HF0205's own ("a misspelt key, a value in quotes…") fits none of these
            from .files import unread_hint
            hint = unread_hint(CONFIG_NAME, "size")[1] if exc.kind == "size" else \
                "Put foundry.toml itself, a text file, in its place."
            diags.add("HF0205", f"{CONFIG_NAME} cannot be read: {exc.reason}", Span(CONFIG_NAME), hint=hint)
    except RecursionError:   # too_deep's bound is far below the recursion limit; kept as the last guard
        diags.add("HF0140", f"{CONFIG_NAME} nests lists or tables too deeply", Span(CONFIG_NAME))
    except UnicodeDecodeError as exc:   # each line holding bad bytes, and what they likely are
        report_not_text(CONFIG_NAME, exc.object, diags)
    except FileNotFoundError:   # found (find_root) but not there: a link to nothing, or gone since
        if not os.path.lexists(path):
            # deleted (or renamed) while `foundry serve` ran: it was called a link to itself
            diags.add("HF0205", f"{CONFIG_NAME} is gone: it was deleted, or renamed, since foundry started",
                      Span(CONFIG_NAME), hint="Put foundry.toml back (`git checkout -- foundry.toml` brings back the "
                                              "committed one); foundry serve builds again when it is back.")
        else:
            real = boundary(root).resolve(path)
            where = Path(os.path.relpath(real, boundary(root).real)).as_posix() if real is not None else "nothing"
            diags.add("HF0205", f"{CONFIG_NAME} is a symbolic link to {where}, which does not exist",
                      Span(CONFIG_NAME),
                      hint="Point the link at the project's settings file, or put the file itself in its place.")
    except OSError as exc:   # the reason only: the OS's message names the absolute path
        diags.add("HF0205", f"{CONFIG_NAME} cannot be read: {clip(exc.strerror or str(exc), 80)}", Span(CONFIG_NAME))
    if raw is None:
        return _titled(root, _salvaged({}, root))
    check_data(raw, _TomlPositions(path), diags, TOML_NAMES, escapes=CONFIG_NAME)
    try:
        if not syntax:
            config = Config.model_validate(raw)
            _report_titles(config, path, diags)
            _report_unmade_editions(config, path, diags)
            _report_long_addresses(config, path, diags)
            return _titled(root, config)
        Config.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_input=True)
        meant = _misspelt_required(errors)
        for err in errors:
            # after a syntax error, what its statement held is gone from `raw`: a setting
            # "missing" there may be the one the writer mistyped (reported already)
            if not (syntax and err["type"] == "missing") and tuple(err["loc"]) not in meant:
                _report(err, path, diags)
    config = _salvaged(raw, root)
    if isinstance(raw.get("project"), dict) and raw["project"].get("title") == config.project.title:
        _report_titles(config, path, diags)   # not a title made from the folder's name
    _report_unmade_editions(config, path, diags)
    _report_long_addresses(config, path, diags)
    return _titled(root, config)


def longest_page_path(config: "Config") -> str:
    """The longest path after base_url a page of the site may have, as a writer reads it:
    a translated language's folder (the longest tag of `[l10n] languages`; a
    pseudo-locale listed there counts too, its pages have addresses though no sitemap
    lists them), `characters/`, an id of the most characters an id may have, `.html`."""
    from ..ids import MAX_ID_LENGTH
    folders = [lang for lang in config.l10n.languages if lang != config.project.language]
    folder = max(folders, key=len) + "/" if folders else ""
    return f"{folder}characters/{'x' * MAX_ID_LENGTH}.html"


def _report_long_addresses(config: "Config", path: Path, diags: Diagnostics) -> None:
    """HF0205 at base_url when a page's address could be longer than the sitemap
    protocol takes: base_url's own bound (BASE_URL_MAX) left no room for the page's path,
    so a 2,000-character base_url (the hint's own "at most 2,000") made sitemap, canonical
    and og:url addresses of ~2,090 characters, which search engines drop. Said for the
    longest page the site may have, so check and build say it alike before any id
    exists; a base_url that is only a path names no sitemap address and is not judged."""
    base = config.project.base_url
    problem = long_address_problem(base, config)
    if problem is not None:
        diags.add("HF0205", f"setting 'project.base_url' {problem[0]}", _toml_value_span(path, ("project", "base_url"), base),
                  hint=problem[1])


def long_address_problem(base: str, config: "Config") -> tuple[str, str] | None:
    """(what is wrong, the fix) when `base` (a published base_url: foundry.toml's or
    `build --base-url`'s) leaves a page of `config`'s site an address longer than the
    sitemap protocol takes (_report_long_addresses); None when it fits, is only a path
    (no sitemap) or was refused for its own length already."""
    if not base.lower().startswith(("https://", "http://")) or len(base) > BASE_URL_MAX:
        return None
    page = longest_page_path(config)
    longest = len(base.rstrip("/")) + 1 + len(page)
    if longest <= SITEMAP_ADDRESS_MAX:
        return None
    room = SITEMAP_ADDRESS_MAX - 1 - len(page) + (1 if base.endswith("/") else 0)
    shown = page.replace("x" * 64, "<a 64-character id>")
    return (f"is {len(base):,} characters long as it is published: with the longest path a page may have after "
            f"it ({shown}, {len(page)} characters) an address is {longest:,} characters, more than the "
            f"{SITEMAP_ADDRESS_MAX:,} the sitemap protocol takes",
            f"Shorten it to at most {room:,} characters as published: a character beyond ASCII counts as "
            "its escape (`é` is `%C3%A9`, six).")


def _report_unmade_editions(config: "Config", path: Path, diags: Diagnostics) -> None:
    """HF0760 at `[print] editions` when it is true and `[build] outputs` makes no PDF:
    the print editions are made with the PDFs, so none was written and the build said
    nothing (as HF1122 says an `[l10n]` output the build does not make)."""
    if config.print.editions and "pdf" not in config.build.outputs:
        diags.add("HF0760", "[print] editions = true asks for print editions of the gamebooks, but [build] "
                  "outputs makes no PDF, and they are made with the PDFs", _toml_key_span(path, ("print", "editions")))


def _report_titles(config: "Config", path: Path, diags: Diagnostics) -> None:
    """HF0536 (a tag), HF0123 (a link) and HF0537 (attribute braces) in the world's
    title, description and authors, which every output shows as inline Markdown's
    plain text, as a hero's name is said (load/titles.py report_tags): a `<b>` or a
    `{.big}` in the title was on every page's <title>, the books' covers and the feeds
    as typed, with check clean."""
    from .markdown import is_plain_title, title_text
    from .titles import may_slip, report_tags, report_wordless
    info = config.project
    written = [(("project", "title"), info.title), (("project", "description"), info.description)]
    written += [(("project", "authors", k), name) for k, name in enumerate(info.authors)]
    for loc, text in written:
        if text and may_slip(text):
            span = toml_item_span(path, loc, text) if isinstance(loc[-1], int) else _toml_key_span(path, loc)
            # a multi-line string ('"""'): its lines too, so a tag on its second is said there
            lines = "\n".join(_config_lines(path.parent)[span.line - 1:span.line + text.count("\n")]) if span.line else ""
            report_tags(text, span, diags, lines, where=f"the world's {loc[1].rstrip('s')}")
        if text and not is_plain_title(text) and not title_text(text).strip():
            # `title = "![](logo.png)"`: every page's <title>, cover and footer said the
            # characters typed (title_text leaves nothing, _titled keeps the source)
            report_wordless(text, toml_item_span(path, loc, text) if isinstance(loc[-1], int) else _toml_key_span(path, loc),
                            diags, f"world's {loc[1].rstrip('s')}")


def _salvaged(raw: dict, root: Path) -> "Config":
    """The settings of a foundry.toml with errors (already reported), each bad one
    dropped for its default: what the content is checked with. A missing or bad title
    becomes the folder's name; bounded, since each round drops at least one value."""
    raw = _copy_tables(raw)
    for _ in range(8):
        project = raw.get("project")
        if not isinstance(project, dict):
            raw["project"] = project = {}
        title = project.get("title")
        if not isinstance(title, str) or not 1 <= len(title) <= 200:
            project["title"] = root.name[:200] or "Untitled"
        try:
            return Config.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors(include_input=False):
                _drop(raw, tuple(err["loc"])[:2])
    return Config(project=ProjectSettings(title=root.name[:200] or "Untitled"))


def _copy_tables(value: object) -> object:
    """A copy of the parsed TOML whose tables can be edited (lists kept as they are)."""
    return {k: _copy_tables(v) for k, v in value.items()} if isinstance(value, dict) else value


def _drop(raw: dict, loc: tuple) -> None:
    """Remove the setting at `loc` (a table and a key, or a table) so its default is used."""
    if len(loc) == 2 and isinstance(raw.get(loc[0]), dict):
        raw[loc[0]].pop(loc[1], None)
    elif loc:
        raw.pop(loc[0], None)


# Settings that name things (shown as the site's title, the books' authors, owners).
TOML_NAMES = frozenset({"title", "authors", "theme", "owners", "teams", "language"})


class _TomlPositions:
    """Spans for check_data: tomllib keeps no positions, so the key's line is found."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def value(self, loc: tuple) -> Span:
        return _toml_key_span(self.path, loc)

    key = value


MAX_TOML_DEPTH = 32


def too_deep(text: str, limit: int = MAX_TOML_DEPTH) -> tuple[int, int] | None:
    """(line, column) of the first `[` or `{` nested deeper than `limit`, or of the
    first `.` of a dotted key (`a.b.c = 1`, `[a.b.c]`) whose tables lie deeper, or None.

    A lexical scan, before parsing: tomllib and pydantic recurse once per level, so
    5,000 nested lists end in RecursionError (or, with a raised recursion limit, a
    crash), and tomllib copies a dotted key's parts once per part, so one key of 50,000
    parts on one line (100 kB) kept `check` busy for minutes. Brackets and dots inside
    strings and comments are skipped; the four TOML string forms are told apart by
    their quotes ('' literal, "" with backslash escapes, tripled for multi-line). A dot
    counts only in a key: from a statement's start, a header's `[` or an inline table's
    `{` or `,` to its `=` (a value's `1.5` is no table)."""
    line, col, i, n = 1, 1, 0, len(text)
    opened: list[str] = []       # the brackets open here, innermost last
    key, header, dots = True, False, 0   # in a key (or a header's name), and its dots so far
    while i < n:
        c = text[i]
        if c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j, escapes = i + len(quote), c == '"'
            while j < n and not text.startswith(quote, j):
                j += 2 if escapes and text[j] == "\\" else 1
            end = min(n, j + len(quote))
            skipped = text[i:end]
            newlines = skipped.count("\n")
            line, col = (line + newlines, end - (i + skipped.rfind("\n"))) if newlines else (line, col + len(skipped))
            i = end
            continue
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            col += j - i
            i = j
            continue
        if c in "[{":
            # `[` (or `[[`) where a statement starts opens a header, whose name is a key
            header = c == "[" and key and (not opened or (header and text[i - 1] == "["))
            key = header or c == "{"
            dots = 0
            opened.append(c)
            if len(opened) > limit:
                return line, col
        elif c in "]}":
            if opened:
                opened.pop()
            key = header = False
        elif c == "=":
            key = False
        elif c == ",":
            key, dots = bool(opened) and opened[-1] == "{", 0
        elif c == "." and key:
            dots += 1
            if len(opened) + dots > limit:
                return line, col
        if c == "\n":
            line, col = line + 1, 1
            if not opened:
                key, header, dots = True, False, 0
        else:
            col += 1
        i += 1
    return None


def _report(err: dict, path: Path, diags: Diagnostics) -> None:
    """One settings error in the writer's words, at the key (or table) it is about."""
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc)
    if err["type"] == "missing":
        diags.add("HF0205", f"setting '{where}' is required", _toml_key_span(path, loc[:-1]),
                  hint=f"Add `{loc[-1]} = …`" + (f" under [{loc[0]}]." if len(loc) > 1 else "."))
    elif err["type"] == "extra_forbidden":
        known = _known_settings(loc[:-1])
        diags.add("HF0205", f"unknown setting '{clip(where, 60)}'", _toml_key_span(path, loc),
                  hint=_elsewhere(loc) or
                  suggestion(str(loc[-1]), known, "Known settings here: " + ", ".join(known) + ".", listed=True) or None)
    elif err["type"] == "string_pattern_mismatch" and "language" in where:
        value = str(err.get("input", ""))
        fixed = value.replace("_", "-")
        named = tag_for_name(value) if fixed == value else None
        diags.add("HF0205", f"setting '{where}' should be a language tag like 'en' or 'pt-BR' (BCP 47), "
                  f"not '{clip(value, 30)}'", _toml_value_span(path, loc),
                  hint=f"Write \"{named[0]}\" for {named[1]}: a language is named by its tag, not its name." if named else
                  f"Write \"{clip(fixed, 30)}\": a tag joins its parts with hyphens." if fixed != value else
                  "A tag is a two- or three-letter language code, then an optional region or script: "
                  "\"de\", \"pt-BR\", \"zh-Hant\".")
    elif err["type"] == "string_pattern_mismatch" and loc == ("project", "theme"):
        value = str(err.get("input", ""))
        # a path to the folder (`themes\\default`, `./themes/default/`): its last name is
        # the theme; "name the folder themes/themes-default/" was the hint
        last = re.split(r"[\\/]+", value.strip("/\\ "))[-1]
        folder = re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")
        diags.add("HF0205", f"setting '{where}' should name a folder of themes/ in lowercase letters, digits and "
                  f"hyphens (like 'default' or 'drowned-coast'), not '{clip(value, 30)}'", _toml_value_span(path, loc),
                  hint=(f"The setting is the folder's name, not a path: write `theme = \"{folder}\"`."
                        if folder == last != value.strip() else
                        f"Name the folder themes/{folder}/ and write `theme = \"{folder}\"`.") if folder else
                  "Write `theme = \"default\"` for the theme foundry ships.")
    elif err["type"] in ("string_too_short", "string_too_long") and isinstance(err.get("input"), str):
        _report_length(err, loc, path, diags)
    elif loc == ("project", "authors") and err["type"] == "too_long" and isinstance(err.get("input"), list):
        diags.add("HF0205", f"setting '{where}' names {len(err['input']):,} authors, more than the {AUTHORS_MAX:,} it "
                            f"may name{_WHY_BOUNDED[loc]}", _toml_value_span(path, loc),
                  hint=f"Name at most {AUTHORS_MAX:,}: the credits page (credits.html) names everyone who committed "
                       "content, from the repository's history.")
    elif loc == ("project", "authors") and err["type"] == "value_error":
        diags.add("HF0205", f"setting '{where}' {err['msg'].replace('Value error, ', '')}{_WHY_BOUNDED[loc]}",
                  _toml_value_span(path, loc),
                  hint=f"Name the authors in at most {AUTHORS_CHARS_MAX:,} characters: the credits page "
                       "(credits.html) names everyone who committed content, from the repository's history.")
    elif loc == ("project", "base_url") and err["type"] == "value_error":
        msg = err["msg"].replace("Value error, ", "")
        # 300: the longest of base_url_problem's own words (a length's with its reason)
        diags.add("HF0205", f"setting '{where}' {clip(msg, 300)}", _toml_value_span(path, loc),
                  hint=base_url_hint(str(err.get("input", ""))))
    elif err["type"] == "list_type" and isinstance(err.get("input"), (str, int, float, bool)):
        # `authors = "Ann"`: one value where a list goes; the list holding it is the fix
        value = err["input"]
        typed = toml_value(value)
        diags.add("HF0205", f"setting '{where}' is a list, written in brackets, not {clip(typed, 40)} alone",
                  _toml_value_span(path, loc), hint=f"Write `{loc[-1]} = [{clip(typed, 60)}]`.")
    elif err["type"] in _TYPE_WORDS and isinstance(err.get("input"), (str, int, float, bool)):
        _report_type(err, loc, path, diags)
    elif err["type"] == "literal_error":
        # the allowed words are in the message: the nearest one is the fix (`"htm"` → 'html')
        allowed = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        msg = err["msg"].replace("Input should", "should")
        diags.add("HF0205", f"setting '{where}' {clip(msg, 120)}, not '{clip(err.get('input'), 30)}'",
                  _toml_value_span(path, loc, err.get("input")), hint=suggestion(str(err.get("input")), allowed) or None)
    else:
        msg = err["msg"].replace("Input should", "should").replace("Value error, ", "")
        diags.add("HF0205", f"setting '{where}' {clip(msg, 160)}", _toml_value_span(path, loc, err.get("input")))


# Why a setting is bounded, said with the bound: a limit with no reason reads as arbitrary.
_WHY_BOUNDED = {("project", "base_url"): " (each page's address is base_url and the page's path, and the sitemap "
                                         "protocol takes addresses of fewer than 2,048 characters)",
                ("project", "title"): " (it heads every page, the books' covers and their metadata)",
                ("project", "description"): " (every page carries it in its metadata, and the books)",
                ("project", "authors"): " (every page names them in its footer, and the books' covers)"}


def _report_length(err: dict, loc: tuple, path: Path, diags: Diagnostics) -> None:
    """A text setting empty or longer than it may be (`title = ""`, a 2,100-character
    base_url): pydantic's "String should have at most 2000 characters", and the code's
    hint about misspelt keys and quotes, which following fixed nothing."""
    where, value = ".".join(str(p) for p in loc), err["input"]
    bound = (err.get("ctx") or {}).get("max_length" if err["type"] == "string_too_long" else "min_length")
    if err["type"] == "string_too_short" and value == "":
        diags.add("HF0205", f"setting '{where}' is empty", _toml_value_span(path, loc, value),
                  hint=f"Write its text between the quotes: `{loc[-1]} = \"…\"`.")
    elif err["type"] == "string_too_long" and bound is not None:
        diags.add("HF0205", f"setting '{where}' is {len(value):,} characters long, more than the {bound:,} it may "
                            f"hold{_WHY_BOUNDED.get(loc, '')}", _toml_value_span(path, loc, value),
                  hint=f"Shorten it to at most {bound:,} characters.")
    else:
        msg = err["msg"].replace("String should", "should")
        diags.add("HF0205", f"setting '{where}' {clip(msg, 160)}", _toml_value_span(path, loc, value))


# A setting's type as a writer says it, by pydantic's error type for a value not of it.
_TYPE_WORDS = {"string_type": "text in quotes", "bool_type": "true or false", "bool_parsing": "true or false",
               "int_type": "a whole number", "int_parsing": "a whole number", "float_type": "a number",
               "float_parsing": "a number"}


def _what_is(value: str | int | float | bool) -> str:
    """What a TOML value read as `value` is, in a writer's words."""
    return ("true or false" if isinstance(value, bool) else "a whole number" if isinstance(value, int)
            else "a number" if isinstance(value, float) else "text")


def _report_type(err: dict, loc: tuple, path: Path, diags: Diagnostics) -> None:
    """A setting (or an item of a list setting) of another type than it holds
    (`title = 5`, `editions = "yes"`, `authors = [1]`): said in the writer's words with
    the line to write, as HF0201 says it of a YAML value; pydantic's "should be a valid
    string" named no type a writer types, and the hint was the code's generic one."""
    value, want = err["input"], _TYPE_WORDS[err["type"]]
    item = isinstance(loc[-1], int)
    named = ".".join(str(p) for p in (loc[:-1] if item else loc))
    said = f"item {loc[-1] + 1} of setting '{named}'" if item else f"setting '{named}'"
    written = toml_value(value)
    if want == "text in quotes":
        fixed = toml_text(written)
    elif want == "true or false":
        truth = {"true": "true", "yes": "true", "on": "true", "1": "true",
                 "false": "false", "no": "false", "off": "false", "0": "false"}.get(str(value).strip().lower())
        fixed = truth or "true"
    else:
        number = str(value).strip() if isinstance(value, str) else ""
        fixed = number if re.fullmatch(r"[+-]?\d+(\.\d+)?", number) else ("12" if want == "a whole number" else "1.5")
    hint = (f"Write `{fixed}`" if item else f"Write `{loc[-1]} = {fixed}`") + (
        ", in quotes." if want == "text in quotes" else ", without quotes." if isinstance(value, str)
        else " (`true` or `false`)." if want == "true or false" else ".")
    diags.add("HF0205", f"{said} should be {want}, not {_what_is(value)}",
              _toml_value_span(path, loc, value), hint=hint)


def toml_value(value: str | int | float | bool) -> str:
    """A value as it is written in foundry.toml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return toml_text(value) if isinstance(value, str) else str(value)


def toml_item_span(path: Path, loc: tuple, value: object, nth: int = 0) -> Span:
    """The key's span, moved to the list item `value` (its `nth` listing, from 0) where
    the array writes it, on the key's line or the lines the array runs on to
    (`outputs = ["json", "htm"]`: the caret under "htm", not under `outputs`); the key's
    span when the item is not found (a multi-line string). The array's items are read
    as TOML reads them (toml_values.py): a `"ar"` in a comment beside the array is no
    item (the caret of `languages = [ # "ar" is Arabic` fell in the comment), and an
    item written with an escape (`"\\u0061r"`) is the item it reads as."""
    span = _toml_key_span(path, loc)
    if not isinstance(value, str) or not span.line:
        return span
    places = config_places(path.parent)
    start = _value_start(places, span, loc)
    if start < 0:
        return span
    for number, column, end in value_extent(places.lines, span.line, start + 1).items:
        if _string_item(places.lines[number - 1][column - 1:end - 1]) == value:
            if nth == 0:
                return Span(CONFIG_NAME, number, column, end)
            nth -= 1
    return span


def _string_item(written: str) -> str | None:
    """The string an array's item written as `written` reads as; None when it is not one."""
    if not written or written[0] not in "\"'":
        return None
    if "\\" not in written and written[0] == written[-1] and len(written) >= 2 and written[:3] not in ('"""', "'''"):
        return written[1:-1]
    import tomllib
    try:
        read = tomllib.loads(f"k = {written}")["k"]
    except tomllib.TOMLDecodeError:
        return None
    return read if isinstance(read, str) else None


def _misspelt_required(errors: list[dict]) -> set[tuple]:
    """The places of required settings reported missing that a misspelt key beside them
    was meant as (`titel = "…"` under [project], `[projet]`): "unknown setting 'titel'",
    with "did you mean 'title'?", and "setting 'project.title' is required" were two
    errors for one slip (as validate/documents.py keeps content files to one)."""
    extra: dict[tuple, list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            extra.setdefault(loc[:-1], []).append(loc[-1])
    return {loc for err in errors if err["type"] == "missing"
            for loc in [tuple(err["loc"])] if loc and loc[:-1] in extra
            and any(did_you_mean(key, _known_settings(loc[:-1])) == loc[-1] for key in extra[loc[:-1]])}


def _elsewhere(loc: tuple) -> str:
    """The hint for a setting of another table written under this one ("" when it is
    none): `[l10n]` pasted into the middle of [project] puts `authors` and `theme` under
    [l10n], since a header takes every line below it, and "Known settings here:
    languages, …" told the writer nothing of why a setting foundry knows is unknown."""
    key, table = str(loc[-1]), loc[:-1]
    if len(table) > 1:
        return ""
    homes = [t for t in _known_settings(()) if (t,) != table and key in _known_settings((t,))]
    if len(homes) != 1:
        return ""
    home = homes[0]
    move = (f"move `{key} = …` below the `[{home}]` line (or, if the file has none, "
            f"to its end after a new `[{home}]` line).")
    if not table:
        return f"`{key}` is a setting of [{home}]: {move}"
    return (f"`{key}` is a setting of [{home}], and the lines below a `[{table[0]}]` line belong to "
            f"[{table[0]}] up to the next `[…]` line: {move}")


def _known_settings(loc: tuple) -> list[str]:
    model: type[BaseModel] | None = Config
    for part in loc:
        field = model.model_fields.get(str(part)) if model else None
        ann = field.annotation if field else None
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return list(model.model_fields) if model else []


def _config_lines(root: Path) -> tuple[str, ...]:
    """foundry.toml's lines, to place a finding; none when it cannot be read (that was
    reported by load_project, which checked the content with the defaults)."""
    return config_places(root).lines


_HEADER = re.compile(r"^\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class ConfigPlaces:
    """Where foundry.toml writes each table and key, first: `headers` table → line;
    `keys` (table, key with its quotes off) → (line, column of the key as written,
    column of its first character, a quote or not). A table whose header does not
    parse (`[build` unclosed) holds no key: nothing under it was read."""

    lines: tuple[str, ...]
    headers: dict[str, int]
    keys: dict[tuple[str, str], tuple[int, int, int]]


_PLACES: dict[tuple, ConfigPlaces] = {}


def config_places(root: Path) -> ConfigPlaces:
    """foundry.toml's places, read once per version of the file: each diagnostic about a
    setting looked its key up by reading and scanning the whole file again, and a
    foundry.toml of 40,000 unknown keys or [owners] patterns (2 MiB allows it) took an
    hour of `check`. Kept while the file's size, times and inode stay, and forgotten
    by each `load_project` (`serve` edits it); an empty ConfigPlaces when it cannot be read."""
    try:
        st = os.lstat(root / CONFIG_NAME)
        sign = (str(root), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        sign = None
    if sign is not None and sign in _PLACES:
        return _PLACES[sign]
    try:
        lines = tuple(config_text(root).split("\n"))
    except (OSError, UnicodeDecodeError, Refused):
        lines = ()
    headers: dict[str, int] = {}
    keys: dict[tuple[str, str], tuple[int, int, int]] = {}
    current: str | None = ""
    inside = 0   # the last line of a value read: a multi-line string's or array's lines are no keys
    for number, line in enumerate(lines, 1):
        if number <= inside:
            continue
        stripped = line.strip()
        if stripped.startswith("["):
            header = _HEADER.match(stripped)
            current = header.group(1) if header else None
            if current is not None:
                headers.setdefault(current, number)
        elif current is not None and "=" in stripped:
            written, key = _written_key(stripped)
            if key:
                at = line.index(written)
                keys.setdefault((current, key), (number, at + 1 + (written != key), at + 1))
                if written == key and "." in key:
                    # a dotted key, `project.language = "…"` at the top: tomllib's
                    # ("project", "language"), said at line 1 when only the header form was known;
                    # each of its tables too, quoted parts read as TOML reads them (`"hero:x".x = 1`
                    # under [owners] is ("owners", "hero:x"), which was said at 1:1)
                    parts = _dotted_parts(written) or [part.strip() for part in key.split(".")]
                    for depth in range(len(parts) - 1, -1, -1):
                        keys.setdefault((".".join(p for p in (current, *parts[:depth]) if p), parts[depth]),
                                        (number, at + 1, at + 1))
                value = line.find("=", at + len(written)) + 1
                value += len(line[value:]) - len(line[value:].lstrip(" \t"))
                if line.startswith("{", value):
                    # an inline table's keys, `project = { language = "…" }`: each said at
                    # itself and its value, as under a `[project]` header (tomllib's loc
                    # ("project", "language") was found nowhere: said at `project`)
                    outer = [part.strip() for part in key.split(".")] if written == key else [key]
                    for inner, *place in inline_keys(lines, number, value + 1):
                        path = [p for p in (current, *outer, *inner[:-1]) if p]
                        keys.setdefault((".".join(path), inner[-1]), tuple(place))
                if line[value:value + 1] in ("[", "{", '"', "'"):
                    # `description = """` and its lines, `authors = [` and its: a line in
                    # them reading `language = "zz"` or `[project]` is text, not a setting
                    # (the real one below was said at it)
                    inside = value_extent(lines, number, value + 1).end[0]
    places = ConfigPlaces(lines, headers, keys)
    if sign is not None and not stat.S_ISLNK(st.st_mode):
        if len(_PLACES) > 8:
            _PLACES.clear()
        _PLACES[sign] = places
    return places


def _dotted_parts(written: str) -> list[str] | None:
    """The names of a dotted key as TOML reads them (`"hero:x".y` → hero:x, y), or None
    when tomllib reads no such key."""
    import tomllib
    try:
        table = tomllib.loads(f"{written} = 0")
    except tomllib.TOMLDecodeError:
        return None
    parts = []
    while isinstance(table, dict) and len(table) == 1:
        name, table = next(iter(table.items()))
        parts.append(name)
    return parts if table == 0 and parts else None


_QUOTED_KEY = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def _written_key(stripped: str) -> tuple[str, str]:
    """(the key as written, the key as TOML reads it) of a `key = value` line: a quoted
    key may hold `=` and escapes. An [owners] path typed with Windows backslashes,
    `"content\\\\heroes\\\\"`, is the key `content\\heroes\\` to tomllib: looked up
    as written, it was found nowhere, and its error was shown at foundry.toml:1:1."""
    quoted = _QUOTED_KEY.match(stripped)
    if quoted is None or not stripped[quoted.end():].lstrip().startswith("="):
        written = stripped[:stripped.index("=")].rstrip()
        return written, written
    written = quoted.group()
    if written[0] == "'" or "\\" not in written:
        return written, written[1:-1]
    import tomllib
    try:
        return written, tomllib.loads(f"k = {written}")["k"]
    except tomllib.TOMLDecodeError:
        return written, written[1:-1]


def setting_span(root: Path, table: str, key: str) -> Span:
    """Where foundry.toml writes `[table] key` (its line and column), else the table's
    header, else the file's first line: a problem a setting causes, said at it."""
    places = config_places(root)
    if (table, key) in places.keys:
        number, column, _ = places.keys[table, key]
        return Span(CONFIG_NAME, number, column)
    return Span(CONFIG_NAME, places.headers.get(table, 1), 1)


def output_span(root: Path, outputs: list[str], output: str) -> Span:
    """Where `[build] outputs` (read as `outputs`) names `output`, as written, else the
    key, else its table, else foundry.toml's first line."""
    if output in outputs and ("build", "outputs") in config_places(root).keys:
        return toml_item_span(root / CONFIG_NAME, ("build", "outputs", outputs.index(output)), output)
    return setting_span(root, "build", "outputs")


def language_span(root: Path, language: str, base: str, listed: list[str]) -> Span:
    """Where foundry.toml names `language` (as written): a language translated into at
    its first listing in `[l10n] languages` (`listed`, as read), the project's own
    (`base`) at `[project] language`'s value; the key's line when the value is not
    found as written."""
    path = root / CONFIG_NAME
    if language != base and language in listed:
        return toml_item_span(path, ("l10n", "languages"), language, 0)
    return _toml_value_span(path, ("project", "language"), language)


def setting_text(root: Path, table: str, keys: tuple[str, ...]) -> str:
    """foundry.toml's text with only the lines writing the values of `[table]`'s `keys`
    kept (a key's line to its value's last, an array or a multi-line string run on;
    every other line emptied, so lines keep their numbers): where a character printed
    from those settings alone is looked for (an EPUB cover prints the world's name and
    the authors, not its description)."""
    places = config_places(root)
    kept = [""] * len(places.lines)
    for key in keys:
        found = places.keys.get((table, key))
        if found is None or not 0 < found[0] <= len(places.lines):
            continue
        span = Span(CONFIG_NAME, found[0], found[1])
        start = _value_start(places, span, (table, key))
        last = value_extent(places.lines, found[0], start + 1).end[0] if start >= 0 else found[0]
        for number in range(found[0], min(last, len(places.lines)) + 1):
            kept[number - 1] = places.lines[number - 1]
    return "\n".join(kept)


def _toml_value_span(path: Path, loc: tuple, value: object = None) -> Span:
    """Where foundry.toml writes the value of the setting at `loc`, for an error about
    the value (`language = "english!"`, `editions = "yes"`): the caret under the value
    after the `=`, not under the key, which is right. A list's item (`loc` ending in its
    index) is that item as the array writes it, on whichever line (toml_values.py); the
    key's span when the value is not on the key's line (a table's header, a key not found)."""
    span = _toml_key_span(path, loc)
    places = config_places(path.parent)
    start = _value_start(places, span, loc)
    if not 0 <= start < len(places.lines[span.line - 1] if 0 < span.line <= len(places.lines) else ""):
        return toml_item_span(path, loc, value, 0) if loc and isinstance(loc[-1], int) else span
    extent = value_extent(places.lines, span.line, start + 1)
    if loc and isinstance(loc[-1], int):
        if loc[-1] < len(extent.items):
            number, column, end = extent.items[loc[-1]]
            return Span(CONFIG_NAME, number, column, end)
        return toml_item_span(path, loc, value, 0)
    end = extent.end[1] if extent.end[0] == span.line else len(places.lines[span.line - 1].rstrip()) + 1
    return Span(CONFIG_NAME, span.line, start + 1, max(end, start + 2))


def _value_start(places: "ConfigPlaces", span: Span, loc: tuple) -> int:
    """The 0-based index in `span`'s line (the key's, as _toml_key_span finds it) where
    the value of the setting at `loc` begins, after its `=`; -1 when the key is not
    written on that line (a table's header), len(line) when nothing follows the `=`."""
    names = [str(p) for p in loc if isinstance(p, str)]
    found = places.keys.get((names[0], names[-1])) if names else None
    if found is None or found[0] != span.line or not 0 < span.line <= len(places.lines):
        return -1
    line = places.lines[span.line - 1]
    written, _ = _written_key(line[found[2] - 1:].strip())
    equals = line.find("=", found[2] - 1 + len(written))
    start = equals + 1 if equals >= 0 else len(line)
    while start < len(line) and line[start] in " \t":
        start += 1
    return start


def _toml_key_span(path: Path, loc: tuple) -> Span:
    """TOML has no positions in tomllib: the key's line, as foundry.toml writes it."""
    names = [str(p) for p in loc if isinstance(p, str)]
    table, key = (names[0] if names else ""), (names[-1] if names else "")
    places = config_places(path.parent)
    found = []
    if len(names) == 1 and table in places.headers:
        found.append((places.headers[table], 1))
    if (table, key) in places.keys:
        number, column, _ = places.keys[table, key]
        found.append((number, column))
    if not found:
        return Span(CONFIG_NAME, 1, 1)
    number, column = min(found)
    return Span(CONFIG_NAME, number, column)
