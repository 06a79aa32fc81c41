"""No exporter reads anything the engine did not record.

An artifact is re-rendered only when one of the inputs its render read changed
(render/tracking.py); a read that is not recorded is an output that goes stale
silently. Two guards watch every render of every exporter on a small world that has
what the sample has (languages, a translation file, a portrait, a project theme
template):

- the World is strict: any attribute outside the tracked API (tracking.TABLES,
  ATTRIBUTES, METHODS, UNTRACKED) raises, so an exporter cannot read `broken`,
  `input_hashes` or anything else past the recorder;
- an audit hook (sys.addaudithook, event `open`) sees every file opened while a
  render runs: a file of the project must be an input the render recorded
  (`asset:<path>`, `theme:<path>`, `l10n:<lang>:<source>`); outside the project only
  the tool's own files (Python, the installed libraries and their data, foundry's
  package and shipped theme, fonts, the temporary files WeasyPrint makes).

The last two tests prove the guards bite: an exporter given one untracked read fails.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters.html import default_theme_dir
from pipeline.render import pool, tracking

import pipeline

WREN_DE = '''msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "hero.wren.name"
msgid "Wren Hale"
msgstr "Wren Hale"

msgctxt "hero.wren.title"
msgid "Reed Cutter"
msgstr "Schilfschneiderin"
'''


class UnrecordedRead(AssertionError):
    """A render read something the engine does not record."""


class Watch:
    """What the renders of one build did outside the recorded inputs."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.rendering: list[tuple[str, set]] = []   # (artifact path, files opened) while its render runs
        self.problems: list[str] = []
        self.project_files: set[str] = set()   # files of the project renders opened (and recorded)

    def opened(self, event: str, args: tuple) -> None:
        if event == "open" and self.rendering and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if os.path.isabs(path):
                self.rendering[-1][1].add(path)

    def check_files(self, artifact: str, files: set[str], reads: frozenset[str]) -> None:
        for name in sorted(files):
            real = Path(os.path.realpath(name))
            if real.is_relative_to(self.root):
                self.project_files.add(real.relative_to(self.root).as_posix())
            if not allowed(real, self.root, reads):
                self.problems.append(f"{artifact} opened {name}, which is no input it recorded")


def tool_folders() -> list[Path]:
    """Where the tool's own files live: Python and its libraries, foundry, its theme,
    fonts and their configuration, the time-zone database."""
    paths = sysconfig.get_paths()
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, paths["stdlib"], paths["purelib"], paths["platlib"],
               str(Path(pipeline.__file__).parent), str(default_theme_dir()),
               "/usr/share", "/usr/lib", "/usr/local/share", "/usr/local/lib", "/etc/fonts", "/var/cache/fontconfig",
               str(Path.home() / ".cache" / "fontconfig"), str(Path.home() / ".fonts"),
               str(Path.home() / ".local" / "share" / "fonts"), "/dev/urandom", "/dev/null", "/etc/mime.types"}
    return [Path(os.path.realpath(f)) for f in folders]


TOOL = tool_folders()
TEMP = Path(os.path.realpath(tempfile.gettempdir()))


def allowed(path: Path, root: Path, reads: frozenset[str]) -> bool:
    if path.is_relative_to(root):
        rel = path.relative_to(root).as_posix()
        if f"asset:{rel}" in reads:
            return True
        parts = rel.split("/")
        if parts[0] == "themes" and len(parts) > 2 and f"theme:{'/'.join(parts[2:])}" in reads:
            return True
        if parts[0] == "translations" and len(parts) > 2 and rel.endswith(".po"):
            return f"l10n:{parts[1]}:{'/'.join(parts[2:]).removesuffix('.po')}" in reads
        return False
    if any(path.is_relative_to(folder) for folder in TOOL):
        return True
    # WeasyPrint's temporary folders, and the files tempfile tries when it first picks a folder
    if path == TEMP or path.parent == TEMP:
        return True
    return path.is_relative_to(TEMP) and path.relative_to(TEMP).parts[0].startswith("weasyprint-")


_WATCH: list[Watch] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCH:
        _WATCH[-1].opened(event, args)


sys.addaudithook(_audit)   # cannot be removed: it does nothing outside `watched`


ALLOWED = set(tracking.TABLES) | set(tracking.ATTRIBUTES) | set(tracking.METHODS) | set(tracking.UNTRACKED)


@pytest.fixture
def watched(monkeypatch):
    """Every render under the two guards; yields a function that builds a project
    (one worker: the hook sees this process) and returns its Watch."""
    original = tracking.TrackedWorld.__getattr__
    watches: list[Watch] = []

    def strict(self, name: str):
        if name not in ALLOWED and not name.startswith("__"):
            problem = f"a render read World.{name}, which is not recorded"
            watches[-1].problems.append(problem)
            raise UnrecordedRead(problem)
        return original(self, name)

    render_one = pool.render_one

    def render_watched(world, exporter, setup, item, memo=None):
        watch = watches[-1]
        watch.rendering.append((item.path, set()))
        try:
            result = render_one(world, exporter, setup, item, memo)
        finally:
            path, files = watch.rendering.pop()
        watch.check_files(path, files, result.reads)
        return result

    monkeypatch.setattr(tracking.TrackedWorld, "__getattr__", strict)
    monkeypatch.setattr(pool, "render_one", render_watched)

    def run(root: Path, outputs=None) -> Watch:
        watches.append(Watch(root))
        _WATCH.append(watches[-1])
        try:
            diags = Diagnostics()
            report = build(root, diags, outputs, workers=1)
            assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
        finally:
            _WATCH.pop()
        return watches[-1]

    yield run


@pytest.fixture
def world(project_factory):
    """The minimal world plus what the sample has: a hero with a portrait, a German
    translation file, the pseudo-locale, and a project copy of one theme template."""
    root = project_factory({
        "content/heroes/wren.yaml": "name: Wren Hale\ntitle: Reed Cutter\nstatus: draft\nxp: 0\n"
                                    "portrait: ../assets/wren.png\nbackground: Cuts reeds for the thatchers.\n",
        "translations/de/content/heroes/wren.yaml.po": WREN_DE,
        "themes/default/templates/hero.html": (default_theme_dir() / "templates/hero.html").read_text(),
    })
    (root / "content/assets").mkdir(exist_ok=True)
    Image.new("RGB", (64, 80), (200, 120, 60)).save(root / "content/assets/wren.png")
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de", "en-XA"]\nbuild_pseudo = true\n'
                      'outputs = ["html", "json", "pdf"]\n')
    return root


def test_every_exporter_reads_only_what_the_engine_records(world, watched):
    watch = watched(world)   # every exporter: json, html, pdf, epub, ink, twee, media
    assert watch.problems == [], "\n".join(watch.problems)
    # the hook saw the renders open the project's files that are inputs: the portrait
    # (media, books) and the project's own template (her page)
    assert {"content/assets/wren.png", "themes/default/templates/hero.html"} <= watch.project_files


def test_a_render_reading_past_the_recorder_fails(world, watched, monkeypatch):
    """Prove the World guard bites: the ink exporter made to read `World.broken`."""
    from pipeline.exporters import ink
    render = ink.InkExporter.render

    def reads_broken(self, ctx, item):
        _ = ctx.world.broken
        return render(self, ctx, item)

    monkeypatch.setattr(ink.InkExporter, "render", reads_broken)
    with pytest.raises(UnrecordedRead, match="World.broken"):
        watched(world, ["ink"])


def test_a_render_opening_an_unrecorded_file_fails(world, watched, monkeypatch):
    """Prove the audit hook bites: the twee exporter made to open a content file
    itself (the World already holds it; reading it again is a read nothing records)."""
    from pipeline.exporters import twee
    render = twee.TweeExporter.render

    def opens_hero(self, ctx, item):
        (world / "content/heroes/first-hero.yaml").read_bytes()
        return render(self, ctx, item)

    monkeypatch.setattr(twee.TweeExporter, "render", opens_hero)
    watch = watched(world, ["twee"])
    assert watch.problems and all("content/heroes/first-hero.yaml, which is no input it recorded" in p
                                  for p in watch.problems)


def test_a_tracked_view_records_at_once_what_its_lookups_record(world):
    """TrackedWorld.entries(), version_of() and a table's values() and items() record
    in one step what the World's methods and the tables' lookups one by one record
    (each table listed, every entity looked up, each file's history) and give the same
    values in the same order: list artifacts are stale exactly as before."""
    from pipeline.engine.builder import check
    loaded = check(world, Diagnostics())
    fast, slow = tracking.TrackedWorld(loaded), tracking.TrackedWorld(loaded)
    via_tables = type(loaded).entries.__get__(slow)()   # the World's method on the view: lookups one by one
    assert [(e.kind, e.id) for e in fast.entries()] == [(e.kind, e.id) for e in via_tables]
    assert fast.entries() == via_tables and fast.reads == slow.reads
    assert {"hero:wren", "hero:first-hero", "heroes*", "templates*"} <= fast.reads
    for view in (fast, slow):
        view.reads.clear()
    assert fast.version_of(*via_tables) == type(loaded).version_of.__get__(slow)(*via_tables)
    assert fast.reads == slow.reads and "history:content/heroes/wren.yaml" in fast.reads
    for name in tracking.ENTITY_TABLES:
        for view in (fast, slow):
            view.reads.clear()
        table, one_by_one = getattr(fast, name), getattr(slow, name)
        assert table.values() == [one_by_one[k] for k in one_by_one] and fast.reads == slow.reads
        assert table.items() == [(k, one_by_one[k]) for k in one_by_one] and fast.reads == slow.reads


def test_list_versions_without_history_are_the_builds_and_ask_no_entity(world, monkeypatch):
    """The site's list pages' versions (html/exporter.py `_list_versions`) of a World
    without history (a check, a build without git) are the build's content version, and
    its credits page names no author (`_site_authors`), made without asking each entity
    for its file (cold42: 34,500 paths at 10,000 heroes); with a history, the newest
    change of what each lists, as World.version_of says, and who made it."""
    from pipeline.engine.builder import check
    from pipeline.exporters.html.exporter import _list_versions, _site_authors
    from pipeline.git.versions import Change, EntityHistory
    from pipeline.validate.entities import Entry
    loaded = check(world, Diagnostics())
    asked = []
    path = Entry.path
    monkeypatch.setattr(Entry, "path", property(lambda entry: asked.append(entry.id) or path.fget(entry)))
    versions = _list_versions(loaded)
    assert versions == dict.fromkeys(("hero", "character", "story", "quest", "*"), loaded.content_version)
    assert _site_authors(loaded) == ("none", ())
    assert asked == []
    monkeypatch.setattr(Entry, "path", path)
    hero = loaded.heroes["wren"]
    change = Change("abc1234", "2026-01-02T03:04:05+00:00", "Ann", "ann@example.com", (), "edit", "M", hero.path)
    dated = dataclasses.replace(loaded, history={hero.path: EntityHistory(hero.path, (change,))})
    versions = _list_versions(dated)
    assert versions["hero"] == versions["*"] == "abc1234 (2026-01-02)" == dated.version_of(hero)
    assert versions["quest"] == loaded.content_version
    assert _site_authors(dated) == ("versioned", ("Ann",))
