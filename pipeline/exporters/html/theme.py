"""Themes: where templates and static files come from, and how a template problem
becomes a diagnostic instead of a traceback.

A theme is a folder with `templates/` (Jinja2) and `static/` (CSS, JS, images). The
project's `themes/<name>/` is searched first, then the default theme shipped inside
the package, so a project overrides one template or one stylesheet by adding that
single file. The default theme's canonical copy is `themes/default/` in the Hero
Foundry repository; `default_theme/` beside this module is a symlink to it, which
makes it package data (a wheel stores the files themselves), so an installed
foundry finds it through `importlib.resources`, with no checkout around.

Templates are theme code; content is only ever passed to them as data. They run in
Jinja's sandbox with autoescape on and StrictUndefined, so a theme arriving in a pull
request cannot reach Python internals, and a misspelt variable fails loudly.
"""

from __future__ import annotations

import dataclasses
import re
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path

from ...confine import Boundary, boundary, refuse
from ...diagnostics import Diagnostic, Diagnostics, Span, clip, suggestion
from ...load.editor_files import is_editor_temp
from ...load.hygiene import well_named
from ...load.encoding import report_not_text
from ...load.conflicts import report_conflicts
from ...load.line_ends import report_lone_cr
from ...load.text_metadata import template_without_metadata
from ...load.project import CONFIG_NAME, Project, _toml_key_span
from ...toolid import SHIPPED_THEME
from ..sandbox import BoundedSandbox, alike_memo, check_compiles, render_hint, render_message, template_frame
from ..template_gaps import extends_gaps, import_gaps, report_gaps
from ..template_places import template_span
from ..template_steps import reached
from ..theme_words import ThemeWords, load_theme_words
from .cards import MACROS
from .template_names import unknown_names
from .template_uses import templates_used
from .template_verdicts import kept, recalled, verdict_key
from .theme_pictures import broken_site_pictures
from ..theme_words import install as install_words

DEFAULT = "default"
MAX_THEME_FILE = 16 * 1024 * 1024   # bytes: a template, stylesheet, font or image of a theme
# bytes of one template: Jinja parses and compiles it in every render worker, ~1 CPU-s
# a MiB each time (a 16 MiB template cost each worker tens of seconds before its first
# page); the largest template foundry ships is ~15 KB
MAX_TEMPLATE = 1024 * 1024


def theme_file_limit(rel: str) -> int:
    """The bytes a theme file may have, by its path inside its theme folder or print/
    (`templates/hero.html`, `static/site.css`; `templates` for the folder itself):
    MAX_TEMPLATE for a template, MAX_THEME_FILE for the rest."""
    return MAX_TEMPLATE if rel.split("/", 1)[0] == "templates" else MAX_THEME_FILE
DEFAULT_LABEL = "<default theme>"
# Errors a template's own code can raise while it runs (a filter given the wrong type,
# a missing key, a division by zero); anything else is foundry's bug, not the theme's.
# RecursionError: a macro that calls itself without end.
TEMPLATE_RUNTIME_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError,
                           AttributeError, RecursionError)


def default_theme_dir() -> Path:
    return SHIPPED_THEME


def as_shipped(own: Path | bytes, rel: str) -> bool:
    """Whether a project's theme file (`own`: its bytes, or its path) is the shipped
    theme's file at `rel` (a path inside the theme: `templates/hero.html`,
    `print/css/base.css`) as it is. `foundry theme eject` copies every file
    unchanged, and such a copy draws and prints what the shipped one does: check treats
    it as foundry's (tested, foretold), not as the project's own. A template or
    stylesheet is the same text with CR LF line ends (a Windows checkout's, git's
    autocrlf: Jinja and CSS read CR LF as LF), a template with a byte-order mark too
    (the loaders drop it); a font or picture only byte for byte. A path is compared by
    its size first and read no further than the longest such copy: a file of gigabytes
    named like a template was read whole to be found different."""
    shipped = SHIPPED_THEME / rel
    try:
        want = shipped.read_bytes() if shipped.is_file() else None
        if want is None:
            return False
        text = rel.endswith(_TEXT_SUFFIXES)
        most = len(want) + (want.count(b"\n") + len(_BOM)) * text
        if isinstance(own, bytes):
            data = own
        else:
            if not len(want) <= own.stat().st_size <= most:
                return False
            with own.open("rb") as handle:
                data = handle.read(most + 1)
    except OSError:
        return False
    if data == want:
        return True
    if not text or len(data) > most:
        return False
    if rel.startswith(("templates/", "print/templates/")):
        data = data.removeprefix(_BOM)
    return data.replace(b"\r\n", b"\n") == want


_TEXT_SUFFIXES = (".html", ".j2", ".css")
_BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path                  # the project root: theme paths in diagnostics are relative to it
    dirs: tuple[Path, ...]      # searched in order: the project's theme, then the default
    # each folder's listing (`listed`), walked once for this Theme (one plan's): the site's
    # plan and check's looks at its files walked its static/ ten times and templates/ eight
    _listings: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def fence(self, folder: Path) -> Boundary:
        """The confinement a theme folder's files are read under: the project's for its
        own theme, the installed package's theme folder for the default one."""
        project = boundary(self.root)
        return project if project.inside(str(folder)) or folder.is_relative_to(self.root) \
            else boundary(default_theme_dir())

    def environment(self) -> jinja2.Environment:
        loader = ConfinedLoader(tuple((d / "templates", self.fence(d)) for d in self.dirs))
        return install_words(BoundedSandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                            bytecode_cache=COMPILED))

    def words(self, diags: Diagnostics) -> ThemeWords:
        """The theme's catalogs (locale/<language>/LC_MESSAGES/messages.po), the
        default theme's first so that the project's messages win (theme_words.py)."""
        folders = [(d, self.fence(d), self.label(str(d)) if d != default_theme_dir() else DEFAULT_LABEL)
                   for d in reversed(self.dirs)]
        return load_theme_words(folders, diags)

    def listed(self, folder: Path, part: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        """(files, links leading outside) under `folder`/`part` (`part`: "templates",
        "static", "locale"), as the folder's fence lists them (Boundary.files: sorted, no
        dot-files), walked the first time this Theme is asked: every look at one plan's
        theme sees the one listing. A later plan makes a new Theme, and walks again."""
        found = self._listings.get((folder, part))
        if found is None:
            # root/'s dot-files too: a host reads `.htaccess` at the site's root
            files, outside = self.fence(folder).files(folder / part, hidden=part == "root")
            files = well_named(files, folder / part)   # a misnamed one is HF0130/HF0135's, read by nothing
            if part == "root":   # its dot-files are listed, so not macOS's .DS_Store nor an editor's swap file
                files = [path for path in files if not is_editor_temp(path.name)]
            found = self._listings[folder, part] = (tuple(files), tuple(outside))
        return found

    def static_files(self) -> dict[str, Path]:
        """Name under static/ → the file that wins (the project's over the default's)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            base = folder / "static"
            for path in self.listed(folder, "static")[0]:
                found[path.relative_to(base).as_posix()] = path
        return dict(sorted(found.items()))

    def root_files(self) -> dict[str, Path]:
        """Name under root/ → the file that wins (the project's over the default's, which
        has none): files published at the site's root as they are (`_headers`,
        `_redirects`, `CNAME`, `robots.txt`, `favicon.ico`, `.htaccess`), for the hosts
        that read them there; dot-files are listed (unlike static/'s)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            base = folder / "root"
            for path in self.listed(folder, "root")[0]:
                found[path.relative_to(base).as_posix()] = path
        return dict(sorted(found.items()))

    def project_static(self) -> frozenset[str]:
        """Names under the project theme's own static/ (none when only the default
        theme is used): which stylesheets a page links depends on them (styles.py)."""
        if len(self.dirs) < 2:
            return frozenset()
        base = self.dirs[0] / "static"
        return frozenset(p.relative_to(base).as_posix() for p in self.listed(self.dirs[0], "static")[0])

    def read(self, path: Path) -> bytes:
        """A theme file's bytes, under the confinement of the folder it is in."""
        return self.fence(path).read(path, MAX_THEME_FILE)

    def file_hashes(self) -> dict[str, str]:
        """`theme:templates/hero.html` → hash of the file that wins (the project's over
        the default's), for every template and static file. Pages record the templates
        they are drawn with, so editing hero.html re-renders hero pages and nothing else."""
        found: dict[str, str] = {}
        for folder in reversed(self.dirs):
            for part in ("templates", "static", "root"):   # not print/: the PDF's stylesheets are the PDF's
                for path in self.listed(folder, part)[0]:
                    try:
                        found[f"theme:{path.relative_to(folder).as_posix()}"] = hashlib.sha256(self.read(path)).hexdigest()
                    except OSError:
                        continue   # reported as HF0120 when the theme was loaded
        return found

    def refused(self) -> list[Path]:
        """Links in the project's theme (templates/, static/, locale/) that lead outside it.
        locale/'s catalogs are read by theme_words.py, which skips a link out without a
        word: it is refused here, with the theme's other files."""
        out: list[Path] = []
        for folder in self.dirs[:-1] if len(self.dirs) > 1 else ():
            for part in ("templates", "static", "root", "locale"):
                out += self.listed(folder, part)[1]
        return out

    def oversized(self) -> list[tuple[Path, int]]:
        """Files of the project's theme (templates/, static/, root/) over their limit
        (`theme_file_limit`), each with it: found when the theme is loaded, so reading
        one later is never a surprise mid-render."""
        out: list[tuple[Path, int]] = []
        for folder in self.dirs[:-1] if len(self.dirs) > 1 else ():
            for part in ("templates", "static", "root"):
                limit = theme_file_limit(part)
                for path in self.listed(folder, part)[0]:
                    try:
                        if os.lstat(path).st_size > limit:
                            out.append((path, limit))
                    except OSError:
                        continue   # gone since it was listed: read() reports nothing of it
        return out

    def owns(self, filename: str) -> bool:
        """Whether a file (a traceback frame's) is one of this theme's templates."""
        if not filename or filename.startswith("<"):
            return False
        for d in self.dirs:
            # where the confinement rule reads its links, never the system (Path.resolve):
            # `hero.html -> .a\\b` (the rule reads `.a/b`, as Windows does) was followed
            # through a name `.a\\b` linked out, the template that failed was not ours,
            # and check stopped on the render's TypeError instead of saying HF0703
            fence = self.fence(d)
            real, templates = fence.resolve(filename), fence.resolve(d / "templates")
            if real is not None and templates is not None and real.is_relative_to(templates):
                return True
        return False

    def label(self, filename: str | None) -> str:
        """A template file as a diagnostic names it: relative to the project when it
        is the project's, `<default theme>/templates/x.html` when it is ours."""
        if not filename:
            return DEFAULT_LABEL
        project = boundary(self.root)   # as `owns`, where the rule reads a link
        path = project.resolve(filename)
        if path is not None:
            return path.relative_to(project.real).as_posix()
        default = default_theme_dir()
        path = boundary(default).resolve(filename)
        if path is not None:
            return f"{DEFAULT_LABEL}/{path.relative_to(default).as_posix()}"
        return Path(filename).name


def template_closure(env: jinja2.Environment, name: str) -> set[str]:
    """A template and every template it extends, includes or imports, by name.
    A name only known at render time (a variable) cannot be followed: every template
    of the theme is taken instead, so nothing is missed."""
    def follow(current: str) -> tuple[str | None, ...] | None:
        try:
            referenced = _referenced(env, env.loader.get_source(env, current)[0])
        except (jinja2.TemplateError, RecursionError):
            return ()   # rendering it reports the problem
        return None if None in referenced else referenced

    # by a stack, not recursion: a project's templates may draw one another thousands
    # deep (check's rehearsal died of RecursionError at ~950)
    found, whole = reached([name], follow)
    return found if whole else found | set(env.loader.list_templates())


@alike_memo
def _referenced(env: jinja2.Environment, source: str) -> tuple[str | None, ...]:
    """The template names a template's text names, parsed once per text (and kind of
    environment, sandbox.py `alike_memo`): every page template's closure holds
    `_macros.html` and `base.html`, which were parsed again for each of them (~60
    parses of ~15 texts per build and process)."""
    return tuple(meta.find_referenced_templates(env.parse(source)))


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by earlier environments of this process, by template file and
    the checksum of its source (Jinja's bytecode cache, kept in memory, never on disk).

    Every build plans the site anew and so makes a new environment, which compiled
    each template it drew again: some 0.4 s per save in `foundry serve`, whatever the
    world's size. Jinja hands a cached template back only when the checksum of the
    source it reads now equals the one it was compiled from, so an edited template is
    compiled again; and every environment sharing this cache is made by
    `Theme.environment` with the same options, extensions and sandbox class, so the
    compiled code is what that environment would compile itself. Pure function of
    the source, like Python's own bytecode cache: it can change no output."""

    LIMIT = 512   # templates: a theme has some thirty; a long `foundry serve` of theme edits, more

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)   # a stale checksum resets the bucket: compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._code) >= self.LIMIT:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


COMPILED = CompiledTemplates()


class TemplateNotText(jinja2.TemplateError):
    """A template whose bytes are not UTF-8 (saved as Latin-1 or UTF-16): `check_templates`
    reports where (HF0103, load/encoding.py); a render that meets it says so at its page
    (HF0703), never a UnicodeDecodeError out of the loader."""

    def __init__(self, name: str, data: bytes):
        super().__init__(f"template '{name}' is not UTF-8 text")
        self.data = data


class ConfinedLoader(jinja2.BaseLoader):
    """Jinja's FileSystemLoader, but every template is read under the confinement
    rule (pipeline/confine.py): a template that is a link leading outside is never
    read (load_theme reports it as HF0120), whatever name asks for it."""

    def __init__(self, folders: tuple[tuple[Path, Boundary], ...]):
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = split_template_path(template)   # refuses `..`, as FileSystemLoader does
        for folder, fence in self.folders:
            path = folder.joinpath(*pieces)
            try:
                data = fence.read(path, MAX_TEMPLATE)
            except OSError:
                continue   # missing here (the next folder may have it), or refused (said: load_theme)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateNotText(template, data) from None
            # a byte-order mark (Notepad saves UTF-8 with one) is not text of the page:
            # kept, every page drawn with it began with an invisible U+FEFF; a picture
            # pasted in as data: goes out without its GPS (load/text_metadata.py)
            return template_without_metadata(text.removeprefix("\ufeff")), str(path), lambda: True
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder, fence in self.folders:
            found.update(p.relative_to(folder).as_posix() for p in well_named(fence.files(folder)[0], folder))
        return sorted(found)


def load_theme(project: Project, diags: Diagnostics) -> Theme | None:
    """The theme named in foundry.toml, or None (with HF0703) when it does not exist.
    A file in it that is a link leading outside the project is HF0120 at the link."""
    name = project.config.project.theme
    default = default_theme_dir()
    dirs: list[Path] = []
    own = project.root / "themes" / name
    fence = boundary(project.root)
    confined = fence.resolve(own) if fence.lexists(own) else None
    if fence.lexists(own) and confined is None:
        refuse(project.root, own, diags)
        return None
    if confined is not None and fence.is_dir(confined):
        # by the path that names it, never the folder a link of themes/ leads to: the
        # Boundary judges a theme's file by its path starting in themes/ (SOURCES),
        # so `themes/t -> ../shared-theme` read as shared-theme/… let its
        # `static/proj -> ../..` publish every story, drafts too
        dirs.append(own)
    elif name != DEFAULT:
        # at foundry.toml's `theme =` line, with the theme it was meant to be: `defualt` is a typo
        # for the shipped theme or one in themes/, not a theme to create
        themes = fence.resolve(project.root / "themes")   # None when a link leads it outside
        there = [DEFAULT] + (sorted(e.name for e in os.scandir(themes) if e.is_dir(follow_symlinks=False))
                             if themes is not None and fence.is_dir(themes) else [])
        near = suggestion(name, there)
        diags.add("HF0703", f"theme '{clip(name, 40)}' not found: there is no themes/{clip(name, 40)}/ folder",
                  _toml_key_span(project.root / CONFIG_NAME, ("project", "theme")),
                  hint=(near + " " if near else "") + "Create themes/<name>/templates/ with the templates you "
                       "override, or set theme = \"default\".")
        return None
    if default not in dirs:
        dirs.append(default)
    theme = Theme(name, project.root, tuple(dirs))
    for path in theme.refused():
        refuse(project.root, path, diags)
    for path, limit in theme.oversized():
        shown = path.relative_to(project.root).as_posix()
        if limit == MAX_TEMPLATE:
            diags.add("HF0116", f"{shown} is over the {limit // 1024:,} KiB a template may have", Span(shown),
                      hint="Split the template into parts it includes, and keep data (long lists, pictures) "
                           "out of templates: in content/, or as files in static/.")
            continue
        diags.add("HF0116", f"{shown} is over the {limit // (1024 * 1024)} MiB a theme file may have",
                  Span(shown), hint="Shrink the file (compress the image or font), or serve it from elsewhere.")
    _misnamed_pictures(theme, diags)
    broken_site_pictures(theme, diags)   # pictures its stylesheets and templates name that browsers cannot show whole
    return theme


def _misnamed_pictures(theme: Theme, diags: Diagnostics) -> None:
    """HF0758 at each picture of the project theme's static/ that browsers show nothing
    of under its name (media.misnamed: a PNG named .svg, an SVG named .png)."""
    from ...load.media import misnamed
    own = theme.project_static()
    for name, path in theme.static_files().items():
        if name not in own:
            continue
        try:
            found = misnamed(name, theme.read(path))
        except OSError:   # unreadable, or over its limit (Refused): said when the theme was loaded
            continue
        if found is not None:
            shown = path.relative_to(theme.root).as_posix() if path.is_relative_to(theme.root) else name
            diags.add("HF0758", found[0].replace(name, shown, 1), Span(shown), hint=found[1])


def report_template_error(theme: Theme, exc: BaseException, page: str, diags: Diagnostics) -> None:
    """HF0703 at the template file and line that failed, naming the page being made."""
    filename, line = _where(exc, theme)
    what = render_message(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        what = f"template '{exc.name}' not found"
    diags.add("HF0703", f"{what} (while making {page})", Span(theme.label(filename), line or 0),
              hint=render_hint(exc))


_MAKING = re.compile(r"^(?P<what>.*) \(while making (?P<page>[^()]*)\)$", re.S)


def one_per_slip(diags: Diagnostics, since: int = 0) -> None:
    """The render's HF0703 (`report_template_error`, from `since` on in `diags`) said
    once per template line and message: a macro that calls itself in hero.html failed
    every hero page in every language, one error each (20,000 at 10,000 heroes in two
    languages) for one slip. The one kept names the first page by path (the pool's
    results come in no fixed order) and how many others failed the same way."""
    groups: dict[tuple, list[tuple[int, str]]] = {}
    for n in range(since, len(diags.items)):
        d = diags.items[n]
        found = _MAKING.match(d.message) if d.code == "HF0703" else None
        if found is not None:
            groups.setdefault((d.span, found["what"]), []).append((n, found["page"]))
    drop = set()
    for (span, what), places in groups.items():
        if len(places) < 2:
            continue
        pages = sorted(page for _, page in places)
        first = places[0][0]
        others = len(pages) - 1
        diags.items[first] = dataclasses.replace(
            diags.items[first], message=f"{what} (while making {pages[0]} and {others} other page{'s' * (others != 1)})")
        drop.update(n for n, _ in places[1:])
    if drop:
        diags.items[:] = [d for n, d in enumerate(diags.items) if n not in drop]


def _refused_there(theme: Theme, name: str) -> bool:
    """Whether something stands at template `name` in one of the theme's folders that its
    loader refused (a link out, HF0120 where the theme is loaded): not 'not found' too."""
    if name.startswith("/") or ".." in name.split("/"):
        return False
    return any(theme.fence(folder).lexists(folder / "templates" / name) for folder in theme.dirs)


def check_templates(theme: Theme, env: jinja2.Environment, diags: Diagnostics) -> None:
    """HF0703 at each of the project theme's own templates that does not compile
    (sandbox.py `check_compiles`), and at each name a page template reads that its page
    does not give it (template_names.py). The shipped theme's templates are not compiled here
    (they are foundry's, tested), nor are templates the project does not override."""
    if len(theme.dirs) < 2:
        return
    _check_static_text(theme, diags)
    from .style_gaps import undefined_tokens   # (tinycss2: only for a project theme of its own)
    undefined_tokens(theme, diags)   # tokens our parts read that its own site.css no longer defines
    own = theme.dirs[0] / "templates"
    found = []
    for path in theme.listed(theme.dirs[0], "templates")[0]:
        # a page template may include any file of the folder by name (`{% include
        # "part.txt" %}`): what is said of it is said by Jinja's lines, so each is looked at
        page = path.suffix == ".html"
        try:
            source, filename, _ = env.loader.get_source(env, path.relative_to(own).as_posix())
        except TemplateNotText as exc:
            if page:
                report_not_text(theme.label(str(path)), exc.data, diags)
            continue
        except (jinja2.TemplateError, OSError):
            continue   # refused: said where the theme is loaded
        if report_lone_cr(theme.label(filename), source, diags, "Jinja") \
                or report_conflicts(theme.label(filename), source, diags) or not page:
            continue   # what its checks said would be said a line off below the CR
        found.append((path.relative_to(own).as_posix(), source, theme.label(filename)))
    # what the rest says is a function of foundry's code and the templates' folders:
    # remembered by them across processes (template_verdicts.py), said again as it was
    key = verdict_key(theme, env, found, MAX_TEMPLATE)
    remembered = recalled(theme.root, key) if key is not None else None
    if remembered is not None:
        diags.extend(remembered)
        return
    compiled, said = Diagnostics(), Diagnostics()
    check_compiles(env, found, compiled, lambda name: _refused_there(theme, name))
    said.extend(_unused_named(env, {label: name for name, _, label in found}, compiled.items))
    for name, source, label in found:   # a name its page does not give it (`{{ levl }}`)
        for message, line, hint in unknown_names(env, name, source):
            said.add("HF0703", message, template_span(label, line), hint=hint)   # at the name
    # what the shipped templates still import from one of its own (template_gaps.py), said
    # at the project's file: a `_macros.html` without `mark` stopped every page at base.html
    replaced = {name: label for name, _, label in found}
    shipped = theme.dirs[-1] / "templates"
    shipped_sources = {path.relative_to(shipped).as_posix(): path.read_text(encoding="utf-8")
                       for path in sorted(shipped.rglob("*.html"))
                       if path.relative_to(shipped).as_posix() not in replaced}
    report_gaps(import_gaps(env, replaced, shipped_sources, cards_from=MACROS)
                + extends_gaps(env, replaced, shipped_sources, lambda name: _shipped_text(shipped / name)), said,
                "templates")
    diags.extend(said.items)
    # kept only when no file changed while it was checked (the folders hashed again)
    if key is not None and verdict_key(theme, env, found, MAX_TEMPLATE) == key:
        kept(theme.root, key, said.items)


def _shipped_text(path: Path) -> str | None:
    """A shipped template's text (foundry's own file), None when it ships none there."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _check_static_text(theme: Theme, diags: Diagnostics) -> None:
    """HF0103 at each of the project theme's own stylesheets and scripts that is not
    UTF-8 and names no other encoding: published byte for byte, a browser reads it as
    the UTF-8 page linking it does and shows replacement marks for its letters (a
    Latin-1 `content: "café"`), with check clean."""
    base = theme.dirs[0] / "static"
    for name in sorted(theme.project_static()):
        if not name.lower().endswith((".css", ".js", ".mjs")):
            continue
        try:
            data = theme.read(base / name)
        except OSError:   # refused (Refused is one) or unreadable: said where the theme's files are published
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if not data.startswith((b'@charset "', b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                report_not_text(theme.label(str(base / name)), data, diags)
            continue
        if name.lower().endswith(".css"):   # its pictures' places are said by tinycss2's lines
            report_lone_cr(theme.label(str(base / name)), text, diags, "CSS")
        report_conflicts(theme.label(str(base / name)), text, diags)   # a merge's markers, published as written


def _unused_named(env: jinja2.Environment, names: dict[str, str], problems: list[Diagnostic]) -> list[Diagnostic]:
    """`problems` (HF0703 of templates that do not compile, at `names`' labels), the hint
    of each in a template no page draws (template_uses.py) saying so: it stops the
    build all the same (docs/errors.md HF0703), and the writer should know it is a
    leftover, not a page."""
    if not problems:
        return problems
    try:
        used = templates_used(env)
    except RecursionError:   # nested too deeply to walk: said by the problems themselves
        used = None
    if used is None:
        return problems
    out = []
    for diag in problems:
        name = names.get(diag.span.path)
        if name is not None and name not in used:
            diag = dataclasses.replace(diag, hint=f"{diag.hint} No page draws {name} (no page template extends, "
                                                  "includes or imports it), yet it stops the build: fix it, or "
                                                  "delete it.".lstrip())
        out.append(diag)
    return out


def _where(exc: BaseException, theme: Theme) -> tuple[str | None, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    # Jinja rewrites tracebacks so that template frames carry the template's own file
    # name and line; the innermost one is where the template failed.
    found: tuple[str | None, int | None] = (None, None)
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if theme.owns(name):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def budget_span(theme: Theme, exc: BaseException) -> Span | None:
    """Where a render that went over its budget was: the template file and line."""
    filename, line = template_frame(exc)
    if filename is None:   # a MemoryError: Jinja rewrote its traceback to the template's lines
        filename, line = _where(exc, theme)
    return Span(theme.label(filename), line or 0, 1 if line else 0) if filename else None


def failed_in_template(exc: BaseException, theme: Theme) -> bool:
    """True when a template frame is on the traceback (the theme's fault, not ours)."""
    return isinstance(exc, jinja2.TemplateError) or _where(exc, theme)[0] is not None
