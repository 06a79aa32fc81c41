"""Helpers every test may import (`from support import foundry`): the real CLI in a
process of its own (warm_start.py), sample builds shared by the workers, and system
tools that must exist in CI (a test may skip for a missing tool on a laptop, never
when CI=true)."""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from warm_start import run_foundry

REPO = Path(__file__).resolve().parent.parent


def _roots_copy() -> Path:
    """A copy of tests/roots/ for this process to run foundry on: a check or build on a
    root writes its caches (.foundry-cache/) into the project, and tests that ran on the
    checked-in roots left them in the checkout, there for the next run to read."""
    checked_in = Path(__file__).resolve().parent / "roots"
    dest = Path(tempfile.mkdtemp(prefix="foundry-roots-")) / "roots"
    shutil.copytree(checked_in, dest, symlinks=True, ignore=shutil.ignore_patterns(".foundry-cache", "build"))
    atexit.register(shutil.rmtree, dest.parent, ignore_errors=True)
    return dest


ROOTS = _roots_copy()
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The form of a hint (tests/writer/test_message_form.py): one or more sentences, each
# beginning with a capital. It may begin with a path (`docs/errors.md (HF0515) says …`)
# or code (`` `foundry l10n status` lists …``), which keep their own case; never with a
# lower-case word, nor begin a sentence in lower case after a full stop ('arya'. did you mean).
LOWER_START = re.compile(r"^[a-z]+\b(?![/.])")
LOWER_AFTER_STOP = re.compile(r"['\"?)a-z]\. [a-z]")


def begins_no_sentence(hint: str) -> bool:
    """Whether a hint breaks that form."""
    return bool(LOWER_START.match(hint) or LOWER_AFTER_STOP.search(hint))


def require_tool(available: bool, what: str) -> None:
    """Skip on a laptop without the tool; fail in CI, where .ci/run installs it."""
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is required in CI but missing")
        pytest.skip(f"{what} not installed")


def ci_fonts() -> list[tuple[str, str, str]]:
    """(fontconfig language, Debian package, script) of each line of .ci/fonts.txt: the
    scripts CI installs a font for (.ci/missing-fonts), which tests/books/test_scripts.py prints."""
    rows = []
    for line in (REPO / ".ci/fonts.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            lang, package, script = line.split(maxsplit=2)
            rows.append((lang, package, script))
    return rows


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def foundry(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> Run:
    """Run the real `foundry` command (`python -m pipeline`) in a process of its own, as
    a user would; started warm (forked from a process that already imported the
    pipeline) when that cannot differ from a cold start — see warm_start.py."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    code, out, err = run_foundry(list(args), cwd or REPO, full_env, input, timeout=600)
    return Run(code, out, err)


def private_foundry(tmp_path: Path) -> tuple[Path, Path, dict]:
    """(tool, world, env): a private copy of foundry's code at tmp_path/tool (so a test
    can change it between two builds), the minimal project at tmp_path/world, and the
    environment that runs that copy with a fixed SOURCE_DATE_EPOCH (`foundry(...,
    cwd=tool, env=env)`)."""
    tool = tmp_path / "tool"
    shutil.copytree(REPO / "pipeline", tool / "pipeline", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    return tool, world, {"PYTHONPATH": str(tool), "SOURCE_DATE_EPOCH": "1700000000"}


def write_project(root: Path, files: dict[str, str | bytes] | None = None, base: str | None = "minimal") -> Path:
    """A project at `root`: a copy of tests/roots/<base> (none if `base` is None) with
    `files` (path → text, dedented, or bytes) written over it. What project_factory
    makes per test; module-scoped fixtures call it with a tmp_path_factory folder."""
    if base:
        shutil.copytree(ROOTS / base, root)
    else:
        root.mkdir(parents=True)
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def diagnostics(run: Run) -> list[str]:
    """`code path:line:col` for each diagnostic of a `--format json` run."""
    return [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]]


def with_background(root: Path, lines: str) -> int:
    """Make `lines` (the block's text, each line unindented, ending in a newline) the
    background of the starter's first hero, in place of the one it has (its last key),
    as a literal block; returns the file's line number of the block's first line, from
    which a test places what check says in it."""
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")]
    block = "".join(f"  {line}" if line else "" for line in lines.splitlines(keepends=True))
    hero.write_text(text + "background: |\n" + block, encoding="utf-8")
    return len(text.splitlines()) + 2


def only_fonts(tmp_path: Path, monkeypatch, fonts: dict[str, bytes]) -> dict[str, str]:
    """The environment for a foundry run on a machine whose fontconfig lists `fonts`
    alone (file name → bytes, written into `tmp_path`/fonts): a FONTCONFIG_FILE reading
    that folder only, and a cold start (a warm start's zygote has read fontconfig's own)."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for name, data in fonts.items():
        (folder / name).write_bytes(data)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / "cache"}</cachedir>'
                    '</fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FOUNDRY_TEST_COLD_START", "1")
    return {"FONTCONFIG_FILE": str(conf)}


def german_po(root: Path, source: str) -> Path:
    """Add German to `root`'s `[l10n] languages`, tag the line ids and extract the
    translation files; the PO file of `source` (a content path, `content/stories/x.md`),
    for a test to translate some of its entries."""
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["de"]\n', encoding="utf-8")
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    return root / "translations/de" / f"{source}.po"


# Java checkers (epubcheck, the Nu Html Checker) run once over a few files and exit: the
# JVM's optimising compiler (C2) spends more CPU compiling than the run gains from it.
# The client compiler alone halves epubcheck's CPU time (19 s -> 9 s for one EPUB on
# the CI machine, the Nu checker's 9 s -> 4 s); what a checker reports is the same
# program's answer. Less optimised frames are larger: the Nu checker's schema needs a
# bigger stack than the default then (it says so itself and suggests -Xss).
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m"]

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def epubcheck_many(books: list[Path], scratch: Path) -> list[subprocess.CompletedProcess]:
    """epubcheck's command line run on each of `books`, all in one Java process
    (tests/EpubcheckMany.java): for each, in order, its stdout, stderr and exit status
    as `java -jar epubcheck.jar BOOK` gives them. Starting Java and loading epubcheck's
    schemas is most of a small book's check (~4 CPU-s a run); four books cost ~6.5
    CPU-s together against ~20 one by one. `scratch` is an empty folder for the
    results. Requires java and epubcheck (skips on a laptop without them, fails in CI)."""
    require_tool(bool(shutil.which("java")) and EPUBCHECK.is_file(), "java and epubcheck")
    args = [*JAVA, "-cp", str(EPUBCHECK), str(Path(__file__).with_name("EpubcheckMany.java")), str(scratch),
            *map(str, books)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return [subprocess.CompletedProcess([*JAVA, "-jar", str(EPUBCHECK), str(book)],
                                        int((scratch / f"{n}.code").read_text()),
                                        (scratch / f"{n}.out").read_text(encoding="utf-8"),
                                        (scratch / f"{n}.err").read_text(encoding="utf-8"))
            for n, book in enumerate(books, 1)]


CHROMIUM = "/usr/bin/chromium"
# Headless as root, and no reaching out to the network (docs: tooling notes).
# Sound may start without a click, as in a reader's browser that allows it for a site:
# the player must not rely on the autoplay rules to stay quiet when a page opens.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `make(folder)` fills, made once per test run and shared by every
    pytest-xdist worker (each worker would otherwise build its own copy of the same
    sample: with --dist loadfile the files that use a session fixture land on both).
    The first worker to ask builds it under a lock while the other waits; a failed
    build leaves nothing behind, so the next one to ask tries again (and fails the
    same way). Users of the folder only read it: two workers read it at once."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent                   # pytest-N/, above every worker's popen-gwN/
    folder = base / f"built-once-{name}"
    with open(base / f"built-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".complete").is_file():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            try:
                make(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            (folder / ".complete").touch()
    return folder


def as_a_terminal_starts_it() -> None:
    """Popen's preexec_fn: Ctrl-C as a terminal gives it (SIGINT handled, not blocked).
    A test process may carry another disposition or mask into its children (a pool's
    fork guard, an interrupted command in the same process), and a `foundry serve`
    started with SIGINT ignored would never stop when the test asks it to."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def as_a_script_starts_it_in_the_background() -> None:
    """Popen's preexec_fn: SIGINT ignored and blocked, as `foundry serve &` in a shell
    without job control (a script, a Makefile) starts it, or a parent that blocks it."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def start_serve(root: Path, patience: float = 300,
                preexec: Callable[[], None] = as_a_terminal_starts_it) -> tuple["subprocess.Popen", str]:
    """`foundry serve --port 0` on `root`, started as a user starts it (`preexec`: how
    its signals are set before it runs), and the URL it says it serves at (read from
    its stderr); fails the test, with what it printed, if no URL comes within
    `patience` seconds. The caller stops it (SIGINT)."""
    import re
    import select
    import time
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--port", "0", "--project", str(root)],
                            cwd=REPO, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
                            preexec_fn=preexec)
    # Read the pipe's descriptor a byte at a time, each read only once select says one
    # is there: a readline() blocked on a server that printed nothing (or no URL) until
    # pytest's own timeout, never looking at `patience`; and bytes read past the URL's
    # line would be lost to a caller that reads proc.stderr afterwards.
    fd, lines, line, url = proc.stderr.fileno(), [], b"", None
    deadline = time.monotonic() + patience
    while url is None:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        byte = os.read(fd, 1)
        line += byte
        if byte not in (b"\n", b""):
            continue
        lines.append(line.decode(errors="replace"))
        match = re.search(r"Serving at (http://127\.0\.0\.1:\d+/\S*)", lines[-1])   # at base_url's path
        url, line = (match.group(1) if match else None), b""
        if not byte:   # end of its output: it has left
            break
    if url is None:   # no server left running behind a failed test
        proc.kill()
        proc.wait()
    assert url, "".join(lines) + line.decode(errors="replace")
    return proc, url


def stops_tidily(proc, signum: int, patience: float = 60) -> None:
    """Send `foundry serve` (started by start_serve) the signal `signum` and assert it
    leaves as Ctrl-C does: "Stopping.", exit status 0, within `patience` seconds. The
    process is killed if it is still there, whatever the assertion said."""
    try:
        proc.send_signal(signum)
        assert proc.wait(timeout=patience) == 0
        assert "Stopping." in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def parse_cache_rows(root: Path) -> list[tuple[str, str, str]]:
    """Every (key, payload, mac) row of a project's parse cache, as stored: what a test
    forging or reshaping rows starts from."""
    import sqlite3
    from pipeline.load.cache import CACHE_DIR, FILE
    with sqlite3.connect(root / CACHE_DIR / FILE) as db:
        return list(db.execute("SELECT key, payload, mac FROM parsed"))


def rewrite_parse_cache(root: Path, rows) -> None:
    """Replace the parse cache's rows with `rows` (as a pull request committing the
    cache could)."""
    import sqlite3
    from pipeline.load.cache import CACHE_DIR, FILE
    with sqlite3.connect(root / CACHE_DIR / FILE) as db:
        db.execute("DELETE FROM parsed")
        db.executemany("INSERT INTO parsed VALUES (?, ?, ?)", rows)


def edit_file(path: Path, *pairs: tuple[str, str]) -> None:
    """Replace each `old` of `pairs` with its `new` in the UTF-8 file `path`; each `old`
    must be there (an edit of a fixture that no longer applies fails the test, not
    passes it unedited)."""
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, (str(path), old)
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def png_of_chunks(count: int, before: bool = False) -> bytes:
    """A 16 × 16 PNG as Pillow writes it with `count` empty chunks more: IDATs after its
    image data, or (`before`) tEXt chunks of one letter before it. It decodes to the
    same picture; every reader reads each chunk."""
    import io
    import struct
    import zlib

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 40)).save(out, "PNG")
    data = out.getvalue()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    at = data.index(b"IDAT") - 4 if before else data.index(b"IEND") - 4
    return data[:at] + (chunk(b"tEXt", b"k\0v") if before else chunk(b"IDAT", b"")) * count + data[at:]


def counted_calls(monkeypatch, owner, name: str) -> list:
    """Every call's first argument, from now on, of the function `owner.name` (a module's
    or a class's), which still does its work: for tests that count the work done rather
    than time it (times live in benchmarks/)."""
    calls: list = []
    real = getattr(owner, name)

    def counted(first, *rest, **named):
        calls.append(first)
        return real(first, *rest, **named)

    monkeypatch.setattr(owner, name, counted)
    return calls


def foundry_within(args: list[str], cpu_seconds: int) -> subprocess.CompletedProcess:
    """`foundry ARGS` (this checkout's `python -m pipeline`) in a process of its own, its
    CPU time capped (RLIMIT_CPU: the kernel stops it past the cap however loaded the
    machine is, so a budget fault comes back as a kill, not as a slow pass). Fails the
    test when it was killed; the exit status is the caller's to judge."""
    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=1200, preexec_fn=cap, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode >= 0, f"stopped by signal {-proc.returncode}: over {cpu_seconds} CPU-s"
    return proc


def check_within(root: Path, cpu_seconds: int) -> subprocess.CompletedProcess:
    """`foundry check --format json` on `root` under `foundry_within`'s CPU cap."""
    return foundry_within(["check", "--project", str(root), "--format", "json"], cpu_seconds)


def translate_lines(folder: Path, wanted: dict[str, str]) -> None:
    """Give each line of every PO file under `folder` whose id (msgctxt) is in `wanted`
    that translation, as a translator would after `foundry l10n extract`."""
    import polib
    for path in folder.rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = wanted.get(entry.msgctxt, entry.msgstr)
        po.save(str(path))


def lines_run(fn: Callable[[], object], *modules: str) -> int:
    """How many lines of the named modules (file names, or their ends) `fn()` runs
    (sys.settrace): work measured exactly, the same on a loaded machine, for tests that
    hold a computation to a budget without a clock."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.endswith(modules) else None

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count
