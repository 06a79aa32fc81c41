"""The print theme's folders (the shipped one, then the project's own) and the links
in them that lead outside the project: all that a build making neither PDF nor EPUB
asks of the print theme (exporters/registry.py UNPLANNED). Apart from books/theme.py,
whose stylesheet, picture and template checks (tinycss2, the shipped theme's judged
budgets) such a build never runs, and whose imports cost a fresh `--only json,html`
build ~6 ms (docs/performance.md edit42)."""

from __future__ import annotations

from pathlib import Path

from ...confine import boundary, refuse
from ...diagnostics import Diagnostic, Diagnostics
from ..html.theme import DEFAULT, DEFAULT_LABEL, default_theme_dir


def print_folders(project) -> list[tuple[Path, str]] | None:
    """(folder, how diagnostics name it) of the print theme, the shipped one first so
    that the project's files win; None when the project's theme is not there (the
    html exporter reports it) or leads outside."""
    name = project.config.project.theme
    own = project.root / "themes" / name
    folders = [(default_theme_dir() / "print", f"{DEFAULT_LABEL}/print")]
    fence = boundary(project.root)
    confined = project.confine(own) if fence.lexists(own) else None
    if fence.lexists(own) and confined is None:
        return None   # the html exporter reports the theme folder itself (HF0120)
    if confined is not None and fence.is_dir(confined):
        if confined != default_theme_dir():
            folders.append((own / "print", f"themes/{name}/print"))
    elif name != DEFAULT:
        return None
    return folders


def folder_fence(project, label: str):
    """The one confinement rule (pipeline/confine.py): the project's print folder under
    the project's boundary, the shipped one under the package's."""
    return boundary(project.root) if label.startswith("themes/") else boundary(default_theme_dir())


def outside_links(folder: Path, label: str, outside: list[Path]) -> list[str]:
    """The links of a print folder that lead outside (`Boundary.files`), as named."""
    return [label if p == folder else f"{label}/{p.relative_to(folder).as_posix()}" for p in outside]


def refused_links(project) -> list[Diagnostic]:
    """HF0120 at each link in the print theme that leads outside the project, as
    `refused_files` says them, found by listing the theme's folders alone (no file is
    read): what a build that makes neither PDF nor EPUB still refuses of the print
    theme (exporters/registry.py UNPLANNED), at the cost of a listing."""
    found = Diagnostics()
    for folder, label in print_folders(project) or ():
        for rel in outside_links(folder, label, folder_fence(project, label).files(folder)[1]):
            refuse(project.root, Path(project.root, rel), found)
    return found.items
