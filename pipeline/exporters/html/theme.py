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

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType

import jinja2
from jinja2 import meta

from ...diagnostics import Diagnostics, Span
from ...project import CONFIG_NAME, Project
from ..sandbox import BoundedSandbox, template_frame

DEFAULT = "default"
DEFAULT_LABEL = "<default theme>"
# Errors a template's own code can raise while it runs (a filter given the wrong type,
# a missing key, a division by zero); anything else is foundry's bug, not the theme's.
# RecursionError: a macro that calls itself without end.
TEMPLATE_RUNTIME_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError,
                           AttributeError, RecursionError)


def default_theme_dir() -> Path:
    return Path(str(resources.files(__package__) / "default_theme")).resolve()


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path                  # the project root: theme paths in diagnostics are relative to it
    dirs: tuple[Path, ...]      # searched in order: the project's theme, then the default

    def environment(self) -> jinja2.Environment:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d / "templates")) for d in self.dirs])
        return BoundedSandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

    def static_files(self) -> dict[str, Path]:
        """Name under static/ → the file that wins (the project's over the default's)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            base = folder / "static"
            for path in _files(base):
                found[path.relative_to(base).as_posix()] = path
        return dict(sorted(found.items()))

    def file_hashes(self) -> dict[str, str]:
        """`theme:templates/hero.html` → hash of the file that wins (the project's over
        the default's), for every template and static file. Pages record the templates
        they are drawn with, so editing hero.html re-renders hero pages and nothing else."""
        found: dict[str, str] = {}
        for folder in reversed(self.dirs):
            for part in ("templates", "static"):   # not print/: the PDF's stylesheets are the PDF's
                for path in _files(folder / part):
                    found[f"theme:{path.relative_to(folder).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found

    def owns(self, filename: str) -> bool:
        """Whether a file (a traceback frame's) is one of this theme's templates."""
        if not filename or filename.startswith("<"):
            return False
        path = Path(filename).resolve()
        return any(path.is_relative_to((d / "templates").resolve()) for d in self.dirs)

    def label(self, filename: str | None) -> str:
        """A template file as a diagnostic names it: relative to the project when it
        is the project's, `<default theme>/templates/x.html` when it is ours."""
        if not filename:
            return DEFAULT_LABEL
        path = Path(filename).resolve()
        if path.is_relative_to(self.root.resolve()):
            return path.relative_to(self.root.resolve()).as_posix()
        default = default_theme_dir()
        if path.is_relative_to(default):
            return f"{DEFAULT_LABEL}/{path.relative_to(default).as_posix()}"
        return path.name


def template_closure(env: jinja2.Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """A template and every template it extends, includes or imports, by name.
    A name only known at render time (a variable) cannot be followed: every template
    of the theme is taken instead, so nothing is missed."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    try:
        source = env.loader.get_source(env, name)[0]
        referenced = list(meta.find_referenced_templates(env.parse(source)))
    except jinja2.TemplateError:
        return seen   # rendering it reports the problem
    if None in referenced:
        return seen | set(env.loader.list_templates())
    for child in referenced:
        template_closure(env, child, seen)
    return seen


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def load_theme(project: Project, diags: Diagnostics) -> Theme | None:
    """The theme named in foundry.toml, or None (with HF0703) when it does not exist."""
    name = project.config.project.theme
    default = default_theme_dir()
    dirs: list[Path] = []
    own = project.root / "themes" / name
    if own.is_dir():
        confined = project.confine(own)
        if confined is None:
            diags.add("HF0703", f"themes/{name} points outside the project", Span(CONFIG_NAME),
                      hint="A theme folder must be inside the project (no symlinks out of it).")
            return None
        dirs.append(confined)
    elif name != DEFAULT:
        diags.add("HF0703", f"theme '{name}' not found: there is no themes/{name}/ folder", Span(CONFIG_NAME),
                  hint="Create themes/<name>/templates/ with the templates you override, or set theme = \"default\".")
        return None
    if default not in dirs:
        dirs.append(default)
    return Theme(name, project.root, tuple(dirs))


def report_template_error(theme: Theme, exc: BaseException, page: str, diags: Diagnostics) -> None:
    """HF0703 at the template file and line that failed, naming the page being made."""
    filename, line = _where(exc, theme)
    what = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.TemplateNotFound):
        what = f"template '{exc.name}' not found"
    diags.add("HF0703", f"{what} (while making {page})", Span(theme.label(filename), line or 0),
              hint="Fix the template; see docs/themes.md for the names each template receives.")


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
