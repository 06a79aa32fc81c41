"""What `build` would refuse about the outputs, found by `check` at the content file.

Every exporter's plan is cheap (no rendering, no WeasyPrint), so `check` runs all six
plans plus media's and looks for two artifacts with one path: an entity whose id
lands on a fixed page (`content/heroes/index.yaml` → `site/heroes/index.html`, the
heroes index) or on another entity's output. Nothing here lists reserved ids: they
are whatever the plans say, so a page added to an exporter reserves its name at once.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .diagnostics import Diagnostics, Span, clip
from .exporters.registry import EXPORTERS, MEDIA, create
from .load.files import KIND_DIRS
from .world import World

# Outputs drawn with the project's theme: a theme they cannot find stops any build of them.
_THEMED = ("html", "pdf", "epub")


def check_outputs(world: World, diags: Diagnostics) -> None:
    """Plan every output for `world`; report each path two artifacts would write at the
    content file(s) that cause it (HF0720), and a theme no output can find (HF0703)."""
    writers: dict[str, list[str]] = {}
    themes = Diagnostics()
    for name, target in [*EXPORTERS.items(), ("media", MEDIA)]:
        exporter = create(target)
        for item in exporter.plan(world):
            writers.setdefault(item.path, []).append(exporter.name)
        if name in _THEMED and not themes.items:   # one missing theme is one fact, said once
            _theme_problems(exporter, world, themes)
    diags.extend(themes.items)
    for path, names in writers.items():
        if len(names) > 1:
            _report_collision(world, path, names, diags)


def _report_collision(world: World, path: str, names: list[str], diags: Diagnostics) -> None:
    causes = _entities_at(world, path)
    if not causes:   # two fixed outputs collide: our bug, reported as build reports it
        diags.add("HF0704", f"{' and '.join(names)} both write {path}", Span("build"))
        return
    for entry in causes:
        others = [e for e in causes if e is not entry]
        clash = f"also where {others[0].path} is published" if others else "a page foundry makes itself"
        folder, suffix = KIND_DIRS[entry.kind]
        diags.add("HF0720", f"the {entry.kind} id '{clip(entry.id, 40)}' would write {path}, which is {clash}",
                  Span(entry.path, 1, 1),
                  hint=f"Rename the file (for example to content/{folder}/{entry.id}-1{suffix}); "
                       f"'{entry.id}' names an output foundry already writes.")


def _entities_at(world: World, path: str) -> list:
    """The entities whose output `path` is: outputs are filed by id in a folder named
    like the content folder (site/heroes/<id>.html for content/heroes/<id>.yaml)."""
    target = PurePosixPath(path)
    folders = target.parts[:-1]
    found = []
    for entry in world.entries():
        folder = tuple(KIND_DIRS[entry.kind][0].split("/"))
        inside = any(folders[i:i + len(folder)] == folder for i in range(len(folders)))
        if entry.id == target.stem and inside:
            found.append(entry)
    return found


def _theme_problems(exporter, world: World, diags: Diagnostics) -> None:
    """A theme that cannot be found is refused by the render of every page or book;
    say so now, once, at foundry.toml."""
    problems = getattr(exporter, "_theme_problems", None)
    if problems is not None:
        diags.extend(problems.items)
    elif getattr(exporter, "theme", "absent") is None:
        from .exporters.books.theme import missing_theme
        missing_theme(world.project, diags)
