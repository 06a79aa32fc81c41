"""The print theme: `themes/<theme>/print/` in the project — Jinja2 templates, CSS,
fonts and ornaments for the PDF and EPUB books.

The folder is read once, into memory, and only from inside the project: WeasyPrint
is then served these bytes (and the build's images) and nothing else. A hash of the
files is part of every book's fingerprint, so a theme edit re-renders the books.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ...diagnostics import Diagnostics, Span, clip

MAX_FILE = 8 * 1024 * 1024


@dataclass(frozen=True)
class PrintTheme:
    name: str
    folder: str                          # project-relative, POSIX: themes/default/print
    files: dict[str, bytes]              # path inside the folder → bytes
    env: jinja2.Environment = field(repr=False, compare=False)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for rel in sorted(self.files):
            h.update(f"{rel}\0{hashlib.sha256(self.files[rel]).hexdigest()}\n".encode())
        return h.hexdigest()

    def text(self, rel: str) -> str:
        return self.files[rel].decode("utf-8")

    def span(self, rel: str = "", line: int = 0) -> Span:
        return Span(f"{self.folder}/{rel}" if rel else self.folder, line, 1 if line else 0)


def load_print_theme(project) -> PrintTheme | None:
    """The project's print theme, or None when it has no `print/` folder."""
    name = project.config.project.theme
    root = project.root.resolve()
    folder = project.confine(project.root / "themes" / name / "print")
    if folder is None or not folder.is_dir():
        return None
    files = {}
    for path in sorted(folder.rglob("*")):
        inside = project.confine(path)
        if inside is None or not inside.is_relative_to(folder) or not path.is_file():
            continue  # a symlink out of the theme is not part of it
        if path.stat().st_size <= MAX_FILE and not path.name.startswith("."):
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return PrintTheme(name, folder.relative_to(root).as_posix(), files, _environment(files))


def _environment(files: dict[str, bytes]) -> jinja2.Environment:
    # Content is passed to templates as data and never compiled as a template;
    # autoescape is on for every template whatever its name.
    templates = {rel.removeprefix("templates/"): data.decode("utf-8", "replace")
                 for rel, data in files.items() if rel.startswith("templates/")}
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env


def render(theme: PrintTheme, template: str, diags: Diagnostics, **context) -> str | None:
    """A theme template rendered with `context`; a template problem is HF0703 at its line."""
    try:
        return theme.env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as err:
        diags.add("HF0703", f"{clip(err.message or 'syntax error', 120)}",
                  theme.span(f"templates/{err.name or template}", err.lineno or 0))
    except jinja2.TemplateNotFound as err:
        diags.add("HF0703", f"the print theme has no template '{clip(str(err), 80)}'", theme.span("templates"),
                  hint="Copy the missing template from Hero Foundry's themes/default/print/templates/.")
    except jinja2.TemplateError as err:
        diags.add("HF0703", f"{template}: {clip(str(err), 160)}", theme.span(f"templates/{template}"))
    return None


def missing_theme(project, diags: Diagnostics) -> None:
    name = project.config.project.theme
    diags.add("HF0703", f"theme '{name}' has no print/ folder (themes/{name}/print/) for the PDF and EPUB books",
              Span("foundry.toml"),
              hint="Copy themes/default/print/ from Hero Foundry into the project, or drop pdf and epub from "
                   "[build] outputs.")


def source_date() -> int | None:
    """SOURCE_DATE_EPOCH, the one date reproducible builds may embed (None when unset)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None
