"""`foundry serve`: build, serve build/site on localhost, rebuild on change, reload pages.

Zola's model: each change is rebuilt incrementally, the last good build keeps being
served while content is broken, and the problems are shown over the page. The engine
stays in memory between saves (engine/resident.py): a save recomputes what the edit
reached and writes only the files whose bytes changed. The live-reload script is added
to pages as they are served — never written into build/ — and talks to the server over
Server-Sent Events; each event names the site pages that changed, and a page reloads
only when it is one of them (or when the problems shown over it come or go).
A large file a save changed (a list: bundle.json, search.html) is served from the
engine's memory until its idle `flush` writes it (write/in_place.py `Held`).
"""

from __future__ import annotations

import html
import json
import os
import stat
import sys
import urllib.parse
import threading
import time
from collections import Counter
from io import BytesIO
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ..engine.builder import BUILD_DIR, BuildReport
from ..engine.resident import Resident
from ..write.in_place import Held
from ..write.staging import is_our_link
from ..confine import Boundary
from ..load.root import CHECK_INPUTS
from ..load.project import CONFIG_NAME, load_project
from ..diagnostics import Diagnostics, Severity, Span, clip, said
from ..load.editor_files import is_editor_temp
from ..console.report import render_text, source_line, summary_line, use_color
from ..console.terminal import echo
from .revision import Revision
from .sweep import Sweep

LIVE_PREFIX = "/__foundry/"
WATCHED = CHECK_INPUTS   # translations too: a translator's save shows like a writer's; stories/ beside content/ (HF0105)
# the names of the files foundry reads as entities (a saved file named so is a writer's)
_READ_SUFFIXES = (".md", ".yaml", ".yml")
LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
INJECT = f'<script src="{LIVE_PREFIX}live.js"></script>'.encode()
SITE = "site/"
# A generation that changed more site files than this is sent as "everything": a page
# reloads, and a theme edit at 10,000 heroes does not send 10,000 paths to every tab.
MAX_PATHS = 500
RECENT = 32     # generations whose changed paths every event carries (a tab may miss events)
WAITING = (b'<!doctype html><html lang="en"><meta charset="utf-8"><title>Waiting for a good build</title>'
           b'<body><p>No successful build yet. Fix the problems below; this page reloads by itself.</p></body></html>')


def base_path(root: Path) -> str:
    """The path of `project.base_url` (`https://you.github.io/repo/` → `/repo/`, `/` by
    default), percent-decoded, ending in "/": where `foundry serve` serves build/site/.
    Read from foundry.toml as the build read it; a setting the build refused reads as
    its default, as there."""
    url = load_project(root, Diagnostics()).config.project.base_url
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path) or "/"
    return path if path.endswith("/") else path + "/"


@dataclass
class LiveState:
    """What the pages are told: a generation number that bumps after each successful
    rebuild that changed something, the site paths each recent generation wrote or
    removed (`recent`: [generation, paths or None for "too many to list"], newest
    last; paths relative to build/site/, POSIX), and the problems of the latest attempt."""

    generation: int = 0
    builds: int = 0          # every build attempt, a no-op one too (what the status reports)
    problems: list[dict] = field(default_factory=list)
    errors: int = 0          # how many errors the latest attempt had (`problems` shows the first of each kind)
    recent: list[list] = field(default_factory=list)
    last: BuildReport | None = None
    # Whether build/ is foundry's: a build of this session succeeded, or its state is
    # sealed by this user's key (write/state.py `sealed`). Until then no file of it is
    # served: a build/ committed by a pull request (its build refused, HF0126) would be
    # served as the preview, its script running on localhost's origin.
    trusted: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    # the resident engine's files held for its flush, served before build/'s (the Rebuilder sets it)
    held: Callable[[], Held | None] = lambda: None
    # The path build/site/ is published at (project.base_url's, decoded, ending in "/"):
    # the site is served there, as the host will serve it, so the 404 page's links,
    # which start with it, lead somewhere in the preview too (the Rebuilder sets it).
    base: str = "/"

    def publish(self, report: BuildReport, diags: Diagnostics, changed: list[str] | None = None) -> None:
        """`changed`: the build/ paths this build wrote or removed (default: the report's)."""
        if changed is None:
            changed = sorted(set(report.written) | set(report.removed))
        pages = sorted(p[len(SITE):] for p in changed if p.startswith(SITE))
        with self.changed:
            self.builds += 1
            was_broken = bool(self.problems)
            # each with its place as the text report says it (`file:line:column`, the file
            # alone for a whole file's problem): the overlay shows that, not `file:0:0`;
            # as every report shows them (diagnostics.said), with the count of all: a hero
            # of 150,000 unknown attributes was 150,000 items over each open page, a 30 MB
            # event made again at every wake of every page's stream
            errors = [d for d in diags.sorted() if d.severity is Severity.ERROR]
            self.problems = [dict(d.to_json(), place=str(d.span)) for d in said(errors)]
            self.errors = len(errors)
            self.trusted = self.trusted or report.ok
            if report.ok and (pages or was_broken or self.last is None):
                self.generation += 1  # pages reload only when there is something new to see
                self.recent = (self.recent + [[self.generation, pages if len(pages) <= MAX_PATHS else None]])[-RECENT:]
            self.last = report
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"generation": self.generation, "builds": self.builds, "problems": self.problems, "errors": self.errors,
                "recent": self.recent}


def _said(d) -> tuple:
    """What makes a warning the same one again after a save: not its line, which an edit
    above it moves (the log would repeat it at every save)."""
    return d.code, d.span.path, d.message


def _fresh(notes: list, warned: Counter, lines: set, on: list[tuple]) -> list:
    """The warnings of `notes` the log has not shown: of each `_said`, as many as there
    are more of than `warned` counts. A count, not a set: a second `<b>` in a story is
    the same code, file and message as the first, and was never said. Which ones: those
    first on a line whose text none of its kind was on (`lines`: (`_said`, the line's
    text) shown; an edit moves the old ones' lines, not their text); else the last ones.
    `on`: `_on_lines(notes, …)`, made once a build (every warned file is read for it)."""
    more = Counter(_said(d) for d in notes) - warned
    picked: set[int] = set()   # indexes into `notes`
    novel = [i for i, key in enumerate(on) if key not in lines]
    for i in novel + list(range(len(notes)))[::-1]:
        if more[_said(notes[i])] > 0 and i not in picked:
            more[_said(notes[i])] -= 1
            picked.add(i)
    return [notes[i] for i in sorted(picked)]


def _on_lines(notes: list, root: Path) -> list[tuple]:
    """(`_said`, the text of the line it is on) of each of `notes`."""
    cache: dict[str, list[str]] = {}
    return [(_said(d), source_line(d, root, cache)) for d in notes]


class Rebuilder:
    def __init__(self, root: Path, outputs: list[str], state: LiveState, log: Callable[[str], None]):
        self.root, self.outputs, self.state, self.log = root, outputs, state, log
        self.lock = threading.Lock()
        self.broken = False   # the last attempt had errors: say so when they are fixed
        self.warned: Counter = Counter()   # the warnings (and infos) the log has shown: how many of each `_said`
        self.lines: set = set()   # and on which lines: (`_said`, the line's text)
        self.engine = Resident(root, outputs)   # kept between saves: engine/resident.py
        state.held = lambda: self.engine.held   # the engine of the moment (`run` may start another)

    def run(self, reason: str, changed: list[str] | None = None, saved: tuple[str, ...] = ()) -> None:
        """Build now. `changed`: the project-relative paths the watcher saw change (None:
        not known; the engine then checks every input, engine/resident.py). `saved`:
        files the writer saved that no watcher reported (those in a folder just made),
        whose new warnings are said as those of `changed`'s files are."""
        with self.lock:
            start = time.perf_counter()
            diags = Diagnostics()
            try:
                report = self.engine.build(diags, changed)
            except Exception:  # a bug in foundry must not stop the preview: say so, keep serving
                from ..cli import crash_report  # here, not at the top: cli imports the verbs that import us
                self.log(f"{reason}: internal error; details written to {crash_report()}. Please report it.")
                self.engine = Resident(self.root, self.outputs)   # start again from disk, keep nothing half-made
                return
            # (the first build's too when it failed: the last good build is served then)
            if self.state.builds == 0 or report.ok and (changed is None or CONFIG_NAME in changed):
                self.state.base = base_path(self.root)
            first = self.state.builds == 0
            self.state.publish(report, diags, self.engine.changed)
            took = time.perf_counter() - start
            # warnings are problems too, and `check` prints them: a writer working in the
            # preview alone never saw one (a `<b>` shown as typed, a line left untranslated).
            # Said when new, not again at every save that leaves them as they were; and
            # only by a build that says something (the first one, one that changed a page,
            # one that failed): a save that changed nothing says nothing, as below, and a
            # file that came and went meanwhile (`sed -i`'s copy, read as a stray file,
            # HF0105) was named by no line before. What such a build found waits for the next.
            notes = [d for d in diags.sorted() if d.severity is not Severity.ERROR]
            current = Counter(_said(d) for d in notes)
            # read once a build: with a warning in each of 10,000 files, one reading is
            # 0.18 CPU-s a save, and `_fresh` read them all a second time
            on = _on_lines(notes, self.root)
            at = set(on)
            if not report.ok:
                # printed whole below; a build stopped by an error may not have looked
                # where the earlier warnings are (a story that no longer parses): they
                # were said and are not new when the fix brings them back
                self.warned, self.lines = self.warned | current, self.lines | at
            elif self.engine.changed or first or self.broken:
                fresh = _fresh(notes, self.warned, self.lines, on)
                if fresh:
                    self.log(render_text(fresh, self.root, use_color(sys.stderr)) + "\n" + summary_line(notes))
                self.warned, self.lines = current, at
            else:
                # nothing written, but a new warning about a file this save changed, named as
                # the files foundry reads are, is its answer (a story saved in stories/ beside
                # content/ changes no page: HF0105 waited, unsaid, for some other save). Not
                # of a tool's copy (`sed -i`'s sedXXXXXX, which lives for a batch and is
                # renamed over the file) nor of notes.txt: those wait, as before
                saved = {rel for rel in (*(changed or ()), *saved) if rel.endswith(_READ_SUFFIXES)}
                own = [d for d in _fresh(notes, self.warned, self.lines, on) if d.span.path in saved]
                if own:
                    self.log(render_text(own, self.root, use_color(sys.stderr)) + "\n" + summary_line(notes))
                    self.warned = self.warned + Counter(_said(d) for d in own)
                    self.lines = self.lines | {key for d, key in zip(notes, on) if d in own}
                self.warned, self.lines = self.warned & current, self.lines & at   # one gone and back is new again
            if report.ok and self.broken:
                self.broken = False
                self.log(f"{reason}: fixed — no errors now; rebuilt {len(report.written)} file(s) in {took:.2f}s")
            elif report.ok and self.engine.changed:
                self.log(f"{reason}: rebuilt {len(report.written)} file(s), {len(self.engine.changed)} changed, "
                         f"in {took:.2f}s")
            elif report.ok:
                pass  # nothing changed: say nothing
            else:
                self.broken = True
                # the problems as `foundry check` prints them: the writer fixes them from here
                items = diags.sorted()
                self.log(render_text(items, self.root, use_color(sys.stderr)) + "\n" + summary_line(items))
                # a project folder gone (HF0744) took its build/ with it: nothing is left to serve
                gone = any(d.code == "HF0744" for d in diags.errors)
                self.log(f"{reason}: {len(diags.errors)} error(s); " + ("the open pages show this until the folder "
                         "is back" if gone else "still serving the last good build"))

    def covering(self) -> tuple[Resident, int]:
        """What a file watcher that runs from now on covers: the builds of this engine
        after its last one (see `quiet`)."""
        with self.lock:
            return self.engine, self.engine.builds

    def quiet(self, covering: tuple[Resident, int]) -> None:
        """The watcher that ran since `covering` (its word from `covering`) saw no input
        change since the last build began: that build's state may be vouched for when it
        is written (engine/resident.py `quiet`); nothing when the last build began before
        the watcher ran, or the engine was started again since."""
        with self.lock:
            engine, since = covering
            if self.engine is engine and engine.builds > since:
                engine.quiet()

    def flush(self, leaving: bool = False) -> None:
        """Write what the last save left for later (its held files, its build state): the
        watcher calls this when no change came for a moment, and the server when it
        stops (`leaving`). When the held files cannot be written (a full disk), build/
        holds the save's old files, now served: the writer is told (HF0714) and, unless
        leaving, build/ is built again at once, which says what it still cannot write."""
        with self.lock:
            try:
                self.engine.flush()
            except Exception:  # as in `run`: say so, keep serving, start again from disk
                from ..cli import crash_report
                self.log(f"writing the build state: internal error; details written to {crash_report()}. Please report it.")
                self.engine = Resident(self.root, self.outputs)
                return
            failed, self.engine.unflushed = self.engine.unflushed, None
        if failed is None:
            return
        if leaving:
            diags = Diagnostics()
            diags.add("HF0714", f"cannot write {failed.path}: {failed.reason}; build/ holds some of the last "
                                "save's files, each whole, and is not taken for built", Span(BUILD_DIR),
                      hint=failed.hint)
            items = diags.sorted()
            self.log(render_text(items, self.root, use_color(sys.stderr)) + "\n" + summary_line(items))
        else:
            self.run(f"writing {failed.path}: {failed.reason}")


def changed_names(root: Path, changes, arrivals: "Arrivals | None" = None, fence: Boundary | None = None) -> list[str]:
    """The paths under `root` (as the build names them) of a batch of watchfiles
    `changes` ((Change, absolute path) pairs) that a save changed: not an editor's
    temporary file, nor a file that came and went (added, deleted and not there now,
    within the batch or since an earlier one `arrivals` remembers: `sed -i`'s
    sedXXXXXX, any tool that writes a copy and renames it over the file). The log
    named them ("content/heroes/aria.yaml, content/heroes/sedHE7AN2: rebuilt …"), a
    file the writer never made. `fence`: the Boundary asked whether a path is there."""
    passing = _came_and_went(changes, fence or Boundary(root), arrivals)
    return sorted({Path(p).relative_to(root).as_posix() for _, p in changes
                   if not is_editor_temp(p) and p not in passing})


class Arrivals:
    """The files that appeared in the watcher's recent batches, by absolute path.

    A tool's copy can outlive a batch: `sed -i` on a loaded machine writes sedXXXXXX,
    the watcher's batch ends (50 ms of quiet), and the rename over the file comes in
    the next one, whose deletion then looked like a file the writer removed. One that
    appeared less than `WINDOW` seconds before its deletion came and went; an older one
    was a file the writer kept a while, and its deletion is theirs."""

    WINDOW = 10.0

    def __init__(self) -> None:
        self._since: dict[str, float] = {}

    def earlier(self, changes, fence: Boundary) -> set[str]:
        """The paths of `changes` deleted and not there now (as `fence` reads the path)
        that an earlier batch saw appear."""
        from watchfiles import Change
        now = time.monotonic()
        return {p for change, p in changes if change == Change.deleted and now - self._since.get(p, -1e9) < self.WINDOW
                and not _there(fence, p)}

    def note(self, changes, fence: Boundary) -> None:
        """Remember what `changes` added that is there now (as `fence` reads the path);
        forget what it deleted and what appeared longer ago than the window."""
        from watchfiles import Change
        now = time.monotonic()
        for change, p in changes:
            if change == Change.added and _there(fence, p):
                self._since.setdefault(p, now)
            elif change == Change.deleted:
                self._since.pop(p, None)
        self._since = {p: t for p, t in self._since.items() if now - t < self.WINDOW}


def _came_and_went(changes, fence: Boundary, arrivals: Arrivals | None = None) -> set[str]:
    """The absolute paths of a batch that were added (in it, or in an earlier batch
    `arrivals` remembers), deleted and are not there now: asked of `fence`, never of
    the OS, which would follow a folder's link on the way out of the project."""
    from watchfiles import Change
    came = {p for change, p in changes if change == Change.added}
    gone = {p for change, p in changes if change == Change.deleted}
    earlier = arrivals.earlier(changes, fence) if arrivals is not None else set()
    return {p for p in came & gone if not _there(fence, p)} | earlier


def _there(fence: Boundary, path: str) -> bool:
    """Whether an entry is at `path` now, its last name not followed (a link to nothing
    is there: the build warns of it, HF0164), its folders as `fence` reads them; one
    whose folder leads outside counts as there (to be refused). `Boundary.lexists`
    follows the last link: `rm aria.yaml; ln -s gone.yaml aria.yaml` was logged as a
    file that "came and went"."""
    here = fence.entry(path)
    return here is None or os.path.lexists(here)


def passed_during_build(root: Path, changes, arrivals: Arrivals, within: bool, fence: Boundary) -> list[str]:
    """The inputs of a batch that came and went (left out of `changed_names`) that a
    build may have listed and read: one that appeared in an earlier batch (`arrivals`:
    that batch's build read the inputs), and, when a build ran since the last batch
    (`within`: this batch holds the events of its run), one that came and went within
    the batch (a hero saved, then deleted before the build ended). Its pages may show
    what is no longer there. Not an editor's temporary file (never read)."""
    gone = _came_and_went(changes, fence, arrivals) if within else arrivals.earlier(changes, fence)
    return sorted(Path(p).relative_to(root).as_posix() for p in gone if not is_editor_temp(p))


def watch(root: Path, rebuilder: Rebuilder, stop: threading.Event, ready: threading.Event) -> None:
    """Rebuild whenever a watched path changes (watchfiles batches bursts of events),
    handing the engine the paths that changed (it reads only those when it can trust
    them, engine/resident.py). Editors' temporary files are left out: the build never
    reads them. `ready` is set once the watcher runs; a catch-up build then picks up
    any edit made while it was starting, and checks everything. A moment without
    events writes what the last save deferred (`Rebuilder.flush`) and, every few
    seconds, sweeps the inputs' stats for a change the watcher never reported
    (serve/sweep.py): events were lost, so the rebuild checks everything. A watcher
    that fails (watchfiles raises: the kernel's limits, a folder gone) is said,
    everything is checked, and it is started again, the sweep standing in meanwhile:
    before, the thread died and the serve left without a word."""
    # the files read outside the inputs too (a portrait at ../../art/), which no watcher reports
    sweep, revision = Sweep(root, elsewhere=lambda: rebuilder.engine.elsewhere), Revision(root)
    failures = 0
    again = None
    while not stop.is_set():
        began = time.monotonic()
        try:
            again = _watch(root, rebuilder, stop, ready, sweep, revision, again)
            if again is None:
                return
            continue
        except Exception as exc:   # watchfiles' errors are RuntimeError and OSError subclasses
            # a watcher that ran a good while before failing fails anew: said, checked again
            failures = 1 if time.monotonic() - began > 60 else failures + 1
            if failures == 1:
                rebuilder.log(f"the file watcher failed ({_short(exc)}): checking everything, then watching again")
                rebuilder.run("file watcher failed")   # events may be lost: everything may have changed
            ready.set()
            # meanwhile the sweep is the watcher; a watcher failing again waits longer
            until = time.monotonic() + min(2.0 ** failures, 60.0)
            while not stop.is_set() and time.monotonic() < until:
                stop.wait(min(sweep.every, max(until - time.monotonic(), 0.0)))
                _sweep(rebuilder, sweep, force=True)
                if revision.moved():
                    rebuilder.run("git: HEAD, a tag or .mailmap changed")


def _short(exc: BaseException) -> str:
    """An exception's message on one line, at most 200 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return clip(text, 200)


def _sweep(rebuilder: Rebuilder, sweep: Sweep, force: bool = False) -> None:
    missed = sweep.missed(force)
    if missed:
        names = ", ".join(missed[:3]) + (" …" if len(missed) > 3 else "")
        # a file read outside the watched folders is no event lost: logged as a save is
        # (the engine's `elsewhere`: `content/heroes/../../pics/aria.jpg`, through a link
        # at the root, starts with an input folder all the same)
        read = set(rebuilder.engine.elsewhere)
        fence = Boundary(rebuilder.root)   # fresh: a link may have turned since
        watched = any(rel not in read and _leads_into_watched(fence, rel) for rel in missed)
        rebuilder.run("missed by the file watcher: " + names if watched else names)


def _leads_into_watched(fence: Boundary, rel: str) -> bool:
    """Whether the input at `rel` (POSIX, from the root) is a file the watcher watches:
    not one reached through a link out of the watched folders (`content/heroes/rook.png
    -> ../../art/rook.png`), whose target's change no watcher reports, so no event was
    lost. A path that resolves nowhere (gone, refused) is taken as watched."""
    real = fence.resolve(os.path.join(fence.root, rel))
    if real is None:
        return True
    return os.path.relpath(real, fence.real).split(os.sep, 1)[0] in WATCHED


def watched_paths(root: Path) -> dict[str, list[str]]:
    """What the file watcher watches, each path on its own (not recursively): the input
    files at the root (foundry.toml) and every folder of the inputs as the build walks
    them (confine.Boundary.walk: a link followed only while it stays inside the project,
    a folder reached through links once, by the path the build names its files by).
    Each by its real path, as the Boundary resolves it, to the paths the build names it
    by (several when two inputs reach one folder or file): a watch on a name follows
    its links as the OS reads them, and `content/heroes -> h\\x` is `content/h/x` to the
    Boundary but, on Linux, the entry named `h\\x`: a link a pull request points out of
    the project, whose folder the kernel then watched, its changes named as the
    project's (`_named` maps each event back).

    Not a recursive watch of content/, schemas/…: the notify crate under watchfiles
    follows every link to a folder as it walks, out of the project too. A pull
    request's `content/assets/elsewhere -> /home` had `foundry serve` list and watch the
    folders there (`-> /`: the whole machine, every inotify watch the user may have)
    and name the files changed in them in its log, as if they were the project's."""
    fence = Boundary(root)   # a fresh one: folders resolved by an earlier walk may be links now
    paths: list[str] = []
    for name in WATCHED:
        path = root / name
        if not os.path.lexists(path) or fence.resolve(path) is None:
            continue   # not there, or a link out (the build says HF0120 at it)
        if fence.is_dir(path):
            fence.walk(path, hidden=True, folders=paths)
        else:
            paths.append(str(path))
    watching: dict[str, list[str]] = {}
    for path in paths:
        real = fence.resolve(path)
        if real is not None:
            watching.setdefault(str(real), []).append(path)
    return watching


def _named(path: str, watching: dict[str, list[str]], top: tuple[str, str] | None = None) -> list[str]:
    """The paths the build names an event's `path` by (a watched real path, or an
    entry in a watched real folder: `watched_paths`), each once; none for a path
    watched under no name (a watch reports only those, each on its own). `top`: the
    project's root (its real path, the path the build names it by), watched for the
    inputs' names alone (WATCHED): an entry there by another name (build/, .git,
    README.md) is none of the build's."""
    names = list(watching.get(path, ()))
    folder, name = os.path.split(path)
    names += [os.path.join(shown, name) for shown in watching.get(folder, ())]
    if top is not None and folder == top[0] and name in WATCHED:
        names.append(os.path.join(top[1], name))
    return list(dict.fromkeys(names))


def _folders_moved(changes, watching: set[str], fence: Boundary) -> bool:
    """Whether a batch added a folder (or a link to one inside the project: `fence`'s
    rule, so nothing outside is looked at) or took away a watched one: the paths to
    watch are then found again (a watch is on one folder, not below it)."""
    from watchfiles import Change
    return any(p in watching if change == Change.deleted else change == Change.added and fence.is_dir(p)
               for change, p in changes)


def _saved_in_added(root: Path, changes, fence: Boundary) -> tuple[str, ...]:
    """The files (project-relative, POSIX) now in the folders a batch added: saved by
    the writer as much as a file saved in a watched folder is (`stories/` made and a
    story saved in it at once: no watch was on the folder to report the story), so a
    new warning about one is said by the build that watches again (`Rebuilder.run`'s
    `saved`)."""
    from watchfiles import Change
    saved: list[str] = []
    for change, p in changes:
        if change == Change.added and fence.is_dir(p):
            files, _ = fence.walk(p)
            saved += [os.path.relpath(path, root).replace(os.sep, "/") for path, _real in files]
    return tuple(saved)


def _watch(root: Path, rebuilder: Rebuilder, stop: threading.Event, ready: threading.Event, sweep: Sweep,
           revision: Revision, again: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
    """Watch the inputs until `stop` (None) or until a folder is added or removed (the
    files in the folders added, `_saved_in_added`: the caller watches again, `again`,
    which checks everything at once, an event between the two watchers not seen, and
    says a new warning about one of those files as about a file saved)."""
    from watchfiles import DefaultFilter, watch as watch_paths

    # only what the build may read: a folder that is a link out is not watched, nor below it
    watching = watched_paths(root)
    watched = {shown for names in watching.values() for shown in names}
    # the root too, for the inputs' names: `stories/` or `translations/` made while
    # serving was never watched (only the input folders there at the start were), so
    # a story saved in it was said only after a restart; its arrival now moves the
    # folders (`_folders_moved`) and it is watched from then on
    top = (str(Boundary(root).real), str(root))
    extra = [top[0]] if top[0] not in watching else []
    covering = None   # the builds this watcher sees every input change during: those after its first batch
    builds = rebuilder.covering()[1]
    arrivals = Arrivals()
    kept = DefaultFilter()   # judged by the names the build reads, as when those were watched
    for changes in watch_paths(*watching, *extra, stop_event=stop, debounce=50, step=25, rust_timeout=300,
                               yield_on_timeout=True, recursive=False,
                               watch_filter=lambda change, p: any(kept(change, n) for n in _named(p, watching, top))):
        changes = {(change, shown) for change, p in changes for shown in _named(p, watching, top) if kept(change, shown)}
        if again is not None:
            saved, again = again, None
            rebuilder.run("a folder added or removed: watching the inputs again", saved=saved)
            covering = rebuilder.covering()
        fence = Boundary(root)   # fresh for each batch: a link may have turned since
        moved = bool(changes) and _folders_moved(changes, watched, fence)
        covering, builds = _batch(root, rebuilder, ready, sweep, revision, changes, arrivals, covering, builds, fence)
        if moved:
            return _saved_in_added(root, changes, fence)
    return None


def _batch(root: Path, rebuilder: Rebuilder, ready: threading.Event, sweep: Sweep, revision: Revision,
           changes, arrivals: "Arrivals", covering, builds: int, fence: Boundary) -> tuple:
    """One batch of the watcher's events (by the paths the build names them), `fence`
    asked whether each is there: what it builds, logs and notes. Returns the watcher's
    (covering, builds) as they stand after it."""
    names = changed_names(root, changes or (), arrivals, fence)
    # a file that came and went while a build ran may be on its pages (this batch
    # holds the events of the builds run since the last one: the watcher waits for
    # them), so it is a change then: named to the engine, which checks every input
    # (one is gone), and in the log only when no file the writer saved is. One that
    # appeared in an earlier batch was there when that batch's build read the inputs.
    now = rebuilder.covering()[1]
    passed = passed_during_build(root, changes or (), arrivals, within=now != builds, fence=fence)
    arrivals.note(changes or (), fence)
    builds = now
    if passed and not names:
        sweep.noted(passed)
        rebuilder.run(", ".join(passed[:3]) + (" …" if len(passed) > 3 else "")
                      + ": came and went", passed)
        return covering, builds
    # watchfiles keeps the events that come while a build runs for the next batch:
    # a batch without an input in it says nothing changed while the last build ran,
    # so the state it left may be vouched for (engine/resident.py `quiet`)
    if covering is None:
        covering = rebuilder.covering()
    elif not names:
        rebuilder.quiet(covering)
    if not ready.is_set():
        ready.set()
        sweep.start()
        revision.start()
        rebuilder.run("catch-up")
        if not names:
            return covering, builds   # the catch-up's state waits for a batch that says nothing changed while it ran
    if not names:  # nothing, or only an editor's temporary files
        if not changes:
            rebuilder.flush()
            _sweep(rebuilder, sweep)
            # git is no watched input, yet every footer and the credits show it
            if revision.moved():
                rebuilder.run("git: HEAD, a tag or .mailmap changed")
        return covering, builds
    sweep.noted(names + passed)
    rebuilder.run(", ".join(names[:3]) + (" …" if len(names) > 3 else ""), names + passed)
    return covering, builds


def watch_outputs(root: Path, rebuilder: Rebuilder, stop: threading.Event) -> None:
    """Tell the resident engine what changes under build/ (engine/resident.py
    `outputs_touched`), so a save stats only the kept outputs something touched since
    the last build instead of all of them (35,000 at 10,000 heroes): a file a reader or
    another program deleted or changed is still found and made again by the next build.
    The engine trusts this only for the build/ folder watched (its inode): a CLI build
    meanwhile swaps in a new tree, which is watched again here, as it is when a folder
    appears in it (each folder is watched on its own: `_output_folders`)."""
    from watchfiles import Change, watch as watch_paths

    build_dir = root / BUILD_DIR
    while not stop.is_set():
        try:
            inode = os.lstat(build_dir).st_ino if build_dir.is_dir() and not build_dir.is_symlink() else None
        except OSError:
            inode = None
        if inode is None:     # no build yet, or not a folder: every output stat'ed meanwhile
            stop.wait(0.5)
            continue
        started = False
        try:
            for changes in watch_paths(*_output_folders(build_dir), stop_event=stop, watch_filter=None,
                                       debounce=50, step=25, rust_timeout=300, yield_on_timeout=True,
                                       recursive=False):
                if not started:   # the watcher runs now: what happened before is not known
                    rebuilder.engine.outputs_watched(inode)
                    started = True
                if changes:
                    rebuilder.engine.outputs_touched(
                        [os.path.relpath(p, build_dir).replace(os.sep, "/") for _, p in changes])
                    if any(change == Change.added and _real_folder(p) for change, p in changes):
                        break     # a new folder: watched too, from a new start (which trusts nothing before it)
                try:
                    if os.lstat(build_dir).st_ino != inode:
                        break     # a new build/ was swapped in: watch that one
                except OSError:
                    break
        except Exception:   # the folder went away under the watcher: start again
            pass
        rebuilder.engine.outputs_watched(None)
        stop.wait(0.2)


def _output_folders(build_dir: Path) -> list[str]:
    """build/ and every folder below it, no link followed. Foundry writes no link into
    build/; one there was put by someone else (a committed build/ that the build refuses,
    HF0126, and leaves as it is), and a recursive watch (the notify crate's) followed it
    anywhere: `build/site/x -> /` had `foundry serve` list and watch the whole machine."""
    folders, todo = [], [os.fspath(build_dir)]
    while todo:
        folder = todo.pop()
        folders.append(folder)
        try:
            with os.scandir(folder) as entries:
                todo.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:
            continue
    return folders


def _real_folder(path: str) -> bool:
    """Whether `path` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


class Handler(SimpleHTTPRequestHandler):
    state: LiveState

    def log_message(self, format: str, *args) -> None:  # keep the terminal for build messages
        pass

    def do_GET(self) -> None:
        if not self.host_allowed():
            return self.send_error(HTTPStatus.FORBIDDEN, "foundry serve answers only to localhost")
        if self.path.startswith(LIVE_PREFIX):
            return self.live()
        super().do_GET()

    def do_HEAD(self) -> None:
        if not self.host_allowed():
            return self.send_error(HTTPStatus.FORBIDDEN, "foundry serve answers only to localhost")
        super().do_HEAD()

    def host_allowed(self) -> bool:
        """Whether the request names this machine in its Host header. Binding to
        127.0.0.1 keeps other machines out, but not a web page the writer has open:
        with DNS rebinding its own name resolves to 127.0.0.1, and the browser then
        lets it read the preview (unpublished content, the problems with their code
        frames) as same-origin. Such a request carries that name as its Host; a
        page opened from this server carries localhost or the bound address. A
        server bound to every interface (`--host 0.0.0.0`) was asked to answer any
        name."""
        bound = str(self.server.server_address[0])
        if bound in ("0.0.0.0", "::", ""):
            return True
        host = self.headers.get("Host")
        if host is None:   # HTTP/1.0 without a Host header: no name to rebind
            return True
        name = host.strip().lower()
        name = name[1:name.find("]")] if name.startswith("[") else name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        return name in ("localhost", "127.0.0.1", "::1", bound.lower()) or name.endswith(".localhost")

    def live(self) -> None:
        name = self.path[len(LIVE_PREFIX):].split("?")[0]
        if name == "live.js":
            return self.send_bytes(LIVE_JS.encode(), "text/javascript; charset=utf-8")
        if name == "status":
            return self.send_bytes(json.dumps(self.state.snapshot()).encode(), "application/json")
        if name == "events":
            return self.events()
        self.send_error(HTTPStatus.NOT_FOUND)

    def events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            while True:
                with self.state.changed:
                    self.state.changed.wait_for(lambda: self.state.snapshot() != seen, timeout=15)
                    current = self.state.snapshot()
                payload = json.dumps(current) if current != seen else ""
                self.wfile.write(f"data: {payload}\n\n".encode() if payload else b": keep-alive\n\n")
                self.wfile.flush()
                seen = current
        except (BrokenPipeError, ConnectionResetError):
            return

    def send_bytes(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def send_head(self):
        """Serve build/site's files, adding the live-reload script to HTML pages. Only a
        regular file reached through no link inside the site is served (opened with
        O_NOFOLLOW and O_NONBLOCK): our builds write no links, so a link (to a key or
        a password file, which a page's script could then read from this origin and
        send away) or a FIFO (a thread stuck reading it) is no page of the site."""
        if not self.state.trusted or not Path(self.directory).is_dir():
            return self.html_page(WAITING)   # no good build yet: a page to carry the overlay
        inside = self.inside_base()
        if inside is None:   # outside the base path: as the host, the site's 404 page
            return self.not_found()
        if isinstance(inside, HTTPStatus):
            return None
        path = self.translate_path(inside)
        if "\x00" in path:   # `%00` in the address: no file has such a name (open() would raise)
            return self.not_found()
        fence = self.fence()
        real = self.unlinked(fence, path) if fence is not None else None
        if real is None:
            return self.not_found()
        if os.path.isdir(real):
            parts = urllib.parse.urlsplit(self.path)
            if not parts.path.endswith("/"):   # as the standard handler: the folder's address ends with /
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urllib.parse.urlunsplit(parts._replace(path=parts.path + "/")))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            real = self.unlinked(fence, os.path.join(path, "index.html"))
            if real is None or not (os.path.lexists(real) or self.held_bytes(real) is not None):
                return self.list_directory(path) if real is not None else self.not_found()
        elif urllib.parse.urlsplit(self.path).path.endswith("/"):
            # a page's address with a slash after it (`first-hero.html/`) is no page, as a
            # static host and the standard handler answer it: served, its relative links
            # (`../style.css`) resolved one folder too deep and the preview showed it unstyled
            return self.not_found()
        held = self.held_bytes(real)
        if held is not None:   # a save's new bytes, not written yet: what the file holds once flushed
            if real.endswith(".html"):
                return self.html_page(held)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(real))
            self.send_header("Content-Length", str(len(held)))
            self.send_header("Cache-Control", "no-store")   # its file on disk is still the old one
            self.end_headers()
            return BytesIO(held)
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return self.not_found()
        f = os.fdopen(fd, "rb")
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                f.close()
                return self.not_found()
            if real.endswith(".html"):
                with f:
                    return self.html_page(f.read())
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(real))
            self.send_header("Content-Length", str(st.st_size))
            self.send_header("Last-Modified", self.date_time_string(st.st_mtime))
            self.end_headers()
            return f
        except BaseException:
            f.close()
            raise

    def inside_base(self) -> str | HTTPStatus | None:
        """The request's path below the base path (`/repo/heroes/a.html` → `/heroes/a.html`,
        quoted again for translate_path), None outside it; HTTPStatus.FOUND when it
        was answered with a redirect to the base path: `/` (the address the terminal
        once printed, a bookmark) and `/repo`. A 302, not a 301, which a browser would
        keep for this port after the writer serves another project there."""
        base = self.state.base
        parts = urllib.parse.urlsplit(self.path)
        if base == "/":
            return self.path
        path = urllib.parse.unquote(parts.path)
        if path.startswith(base):
            return urllib.parse.quote("/" + path[len(base):]) + ("?" + parts.query if parts.query else "")
        if path in ("/", "", base.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", urllib.parse.quote(base) + ("?" + parts.query if parts.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return HTTPStatus.FOUND
        return None

    def held_bytes(self, real: str) -> bytes | None:
        """The bytes the resident engine holds for the site file at `real` (a real
        path inside the site, `unlinked`) until its flush writes them (write/in_place.py
        `Held`), else None."""
        held = self.state.held()
        if not held:
            return None
        site = Path(self.directory)
        rel = os.path.relpath(real, os.path.realpath(site)).replace(os.sep, "/")
        return held.served(site.parent, f"{SITE}{rel}")

    def fence(self) -> Boundary | None:
        """The site's Boundary, when the site is the folder a build of foundry writes
        (build/site, build/ a folder or foundry's own link to one, `.foundry-builds/<id>`:
        staging.is_our_link; site/ a folder), else None: nothing is served. The site's
        is its own root, so build/ swapped for a link out while the server ran (`build
        -> /home/me`: a checkout of a branch that commits one over the ignored build/)
        had every file of that folder's site/ served as the preview's; and a link that
        stays inside the project is no build either: `build -> .` with `site -> .`, or
        `build/site -> ..`, served the project's every file (its untracked `.env`, the
        sources) to the page a pull request put there, on the preview's origin."""
        site = Path(self.directory)
        build = site.parent
        project = Boundary(build.parent)
        made = os.readlink(build) if is_our_link(build) else build.name
        if str(project.resolve(site)) != os.path.join(project.real, made, site.name):
            return None
        return Boundary(site)

    @staticmethod
    def unlinked(fence: Boundary, path: str) -> str | None:
        """The real path of `path` (under the site) when it is reached through no link
        and stays inside, else None."""
        real = fence.resolve(path)
        expected = os.path.normpath(os.path.join(fence.real, os.path.relpath(path, fence.root)))
        return str(real) if real is not None and str(real) == expected else None

    def not_found(self):
        """A 404 with the site's own not-found page (site/404.html), as GitHub Pages,
        Netlify and the other static hosts show it: the writer previews the page readers
        will see, not the standard library's "Error response". The page is read as any
        other (no link, a regular file); without one, the plain error."""
        fence = self.fence()
        page = self.unlinked(fence, os.path.join(self.directory, "404.html")) if fence is not None else None
        data = self.held_bytes(page) if page is not None else None
        if page is not None and data is None:
            try:
                fd = os.open(page, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                fd = None
            if fd is not None:
                with os.fdopen(fd, "rb") as f:
                    data = f.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None
        if data is None:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return self.html_page(data, HTTPStatus.NOT_FOUND)

    def html_page(self, data: bytes, status: HTTPStatus = HTTPStatus.OK):
        inject = INJECT if self.state.base == "/" else \
            INJECT.replace(b"<script ", f'<script data-base="{html.escape(self.state.base)}" '.encode(), 1)
        data = data.replace(b"</body>", inject + b"</body>", 1) if b"</body>" in data else data + inject
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return BytesIO(data)


class Server(ThreadingHTTPServer):
    """The preview's server: a request that fails is one line in the terminal, not
    socketserver's traceback (its default `handle_error` prints one for anything a
    browser or a stray client can send, and for a reader who closes the tab mid-file)."""

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return   # the reader went away: nothing to say
        echo(f"foundry serve: a request from {client_address[0]} failed "
             f"({type(error).__name__}: {error}); still serving", err=True)


def make_server(root: Path, host: str, port: int, state: LiveState) -> ThreadingHTTPServer:
    site = root / BUILD_DIR / "site"
    handler = type("FoundryHandler", (Handler,), {"state": state})
    # The directory is looked up per request: a rebuild swaps build/ in with a rename.
    server = Server((host, port), partial(handler, directory=str(site)))
    server.daemon_threads = True
    return server
