"""The sample world's books, built once per session — and half of them again, in a
second copy at the same time (`--shard 1/2`), so the determinism test compares two
real builds — and the EPUB checker's verdict on each EPUB, every EPUB checked in one
Java process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from book_support import ACE_BOOKS, EPOCH, copy_sample
from support import built_once, epubcheck_many, foundry, require_tool



@dataclass(frozen=True)
class Books:
    root: Path                 # the project the books were built from
    build: Path                # its build/
    twin: Path                 # a second, independent build of half the books (a shard) in a copy
    report: dict               # `foundry build --format json` of the first build


TWIN_SHARD = "1/2"


def build_books(root: Path, *extra: str):
    return foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root), *extra,
                   env={"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"})


def _make_books(base: Path) -> None:
    # The twin renders one shard of two (a deterministic half of the books, EPUBs and
    # PDFs both): the same comparison of two processes at half the CPU of a second
    # whole build, and a shard's files must be the unsharded build's bytes anyway.
    roots = [copy_sample(base / "first"), copy_sample(base / "second")]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda root, extra: build_books(root, *extra), roots, [(), ("--shard", TWIN_SHARD)]))
    for run in runs:
        assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert "Traceback" not in run.stderr
    (base / "report.json").write_text(runs[0].stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def books(tmp_path_factory) -> Books:
    """Built once per test run, shared by the workers: tests only read it (a test that
    edits copies it first)."""
    base = built_once(tmp_path_factory, "books", _make_books)
    report = json.loads((base / "report.json").read_text(encoding="utf-8"))
    shard = TWIN_SHARD.replace("/", "-of-")
    return Books(base / "first", base / "first" / "build", base / "second" / "build-shards" / shard / "files", report)


@pytest.fixture(scope="session")
def epubcheck_results(books, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """epubcheck's output for every EPUB of the build, by path under build/: its
    command line's stdout, stderr and exit status for each, all checked in one Java
    process (support.epubcheck_many: the JVM's start and epubcheck's schemas once, not
    once per EPUB)."""
    files = sorted(books.build.glob("epub/**/*.epub"))
    runs = epubcheck_many(files, tmp_path_factory.mktemp("epubcheck"))
    return {path.relative_to(books.build).as_posix(): run for path, run in zip(files, runs)}


ACE = Path(__file__).resolve().parents[2] / "node_modules/@daisy/ace/bin/ace-puppeteer.js"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def ace_results(books, tmp_path_factory) -> dict[str, dict]:
    """DAISY Ace's report (report.json, EARL) for each EPUB of `ACE_BOOKS`, by path under
    build/. Ace is slow (a headless Chromium per book, ~25 s): run once per session, one book
    at a time. It drives Debian's chromium through puppeteer (its own Electron runner
    needs a download that `npm install --ignore-scripts` skips)."""
    require_tool(ACE.is_file() and CHROMIUM.is_file() and bool(shutil.which("node")),
                 "DAISY Ace (npm @daisy/ace), node and chromium")
    out = tmp_path_factory.mktemp("ace")
    results = {}
    for path in (books.build / book for book in ACE_BOOKS):
        report = out / path.stem
        done = _ace(path, report, "--silent")
        if not (report / "report.json").is_file():
            # Under load Ace once wrote no report and said only "Re-run Ace using the
            # --verbose option": run it once more, verbose, so a second failure (a real
            # one) shows Ace's whole log instead of that line.
            done = _ace(path, report, "--verbose")
        assert (report / "report.json").is_file(), done.stdout[-20000:] + done.stderr[-20000:]
        results[path.relative_to(books.build).as_posix()] = json.loads((report / "report.json").read_text())
    return results


def _ace(epub: Path, report: Path, *options: str) -> subprocess.CompletedProcess:
    """DAISY Ace on one EPUB, its report.json (and HTML report) written to `report`."""
    return subprocess.run(["node", str(ACE), *options, "--force", "--outdir", str(report), str(epub)],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)})
