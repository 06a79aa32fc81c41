"""Parsing on every core (load/workers.py) and the text-hygiene fast path: the same
World and the same diagnostics whatever the number of workers, and the pool really
forks. Times live in benchmarks/, never here."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import BuildReport, check
from pipeline.load import hygiene, workers
from pipeline.stories import scenes
from pipeline.load.cache import CACHE_DIR
from support import REPO, write_project

# Problems of every loading stage, so the merge of worker diagnostics is exercised.
BROKEN = {
    "content/heroes/zz-unreadable.yaml": "id: zz-unreadable\nname: [unclosed\n",
    "content/heroes/zz-control.yaml": "id: zz-control\nname: Zed\nbackground: \"a bell\\e rings\"\n",
    "content/heroes/zz-bidi.yaml": "id: zz-bidi\nname: \"Ze\u202ed\"\n",
    "content/heroes/zz-empty.yaml": "# nothing here\n",
    "content/heroes/Not_A_Slug.yaml": "id: x\nname: X\n",
    "content/stories/zz-open.md": "---\ntitle: Open\n",
    "content/stories/zz-marks.md": "---\ntitle: Marks\nstart: a\n---\n\n## A\u200b title\n\nText with a\u202e flip.\n",
    # portraits located beside the pool (resolve/world.py `_Ahead._portrait`): missing, twice, and outside
    "content/heroes/zz-no-portrait.yaml": "id: zz-no-portrait\nname: Zed\nportrait: ../assets/nowhere.png\n",
    "content/characters/zz-no-portrait-too.yaml": "id: zz-no-portrait-too\nname: Zoe\nportrait: ../assets/nowhere.png\n",
    "content/heroes/zz-far-portrait.yaml": "id: zz-far-portrait\nname: Far\nportrait: /etc/passwd\n",
}
# Files that fail while being read (before any parse): a cold check's workers read
# them (load/workers.py `_load_in_pool`), and must say what the parent would.
UNREADABLE = {
    "content/heroes/zz-latin1.yaml": "id: zz-latin1\nname: Ren\xe9e\n".encode("latin-1"),   # HF0103
    "content/heroes/zz-nul.yaml": b"id: zz-nul\nname: N\x00ul\n",                          # HF0116
    "content/heroes/zz-blank.yaml": b"  \n",                                                # HF0104
    "content/heroes/zz-old-mac.yaml": b"id: zz-old-mac\rname: Mac\r",                       # HF0131
    "content/heroes/nul.yaml": b"name: Device\n",                                            # HF0161, still loaded
}


@pytest.fixture(scope="module")
def world_root(tmp_path_factory):
    """The sample world plus files that fail in each loading stage."""
    root = tmp_path_factory.mktemp("workers") / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    for rel, text in BROKEN.items():
        (root / rel).write_text(text, encoding="utf-8")
    for rel, data in UNREADABLE.items():
        (root / rel).write_bytes(data)
    return root


_PARSE_CHUNK = workers._parse_chunk


def _marked(indexes):
    """The workers' function, leaving the pid of the process that ran it (a module-level
    function: the pool sends it to workers by name)."""
    (Path(os.environ["TEST_PARSED_IN"]) / f"{os.getpid()}-{indexes[0]}").write_text("")
    return _PARSE_CHUNK(indexes)


def checked(root, monkeypatch, jobs: int) -> tuple[list, list, int]:
    """(diagnostics, every entity as plain data, files parsed from the cache) of a
    `check` run in this process with FOUNDRY_JOBS=jobs."""
    monkeypatch.setenv("FOUNDRY_JOBS", str(jobs))
    diags, report = Diagnostics(), BuildReport()
    world = check(root, diags, report)
    entities = [(e.kind, e.id, e.doc.data, e.doc.positions.values, e.doc.positions.keys, e.doc.body,
                 e.doc.body_line, repr(e.model)) for e in world.entries()]
    sheets = {hid: repr(sheet) for hid, sheet in sorted(world.sheets.items())}
    portraits = {pid: (asset, asset.span) for pid, asset in sorted(world.portraits.items())}
    return list(diags.items), entities + [(sheets, portraits), sorted(world.broken)], report.counts["parsed_from_cache"]


def test_two_workers_give_what_one_gives_and_really_fork(world_root, monkeypatch, tmp_path):
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    assert {d.code for d in alone[0]} >= {"HF0101", "HF0131", "HF0132", "HF0104", "HF0113", "HF0114",
                                          "HF0103", "HF0116", "HF0161"}

    # A pool even for this small world, in chunks small enough for both workers; each
    # chunk leaves the pid of the process that parsed it.
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("TEST_PARSED_IN", str(pids))
    monkeypatch.setattr(workers, "_parse_chunk", _marked)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    pooled = checked(world_root, monkeypatch, 2)

    parsed_in = {int(p.name.split("-")[0]) for p in pids.iterdir()}
    assert parsed_in and os.getpid() not in parsed_in, "the files were not parsed in forked workers"
    assert pooled[0] == alone[0]          # the same diagnostics, in the same order
    assert pooled[1] == alone[1]          # the same World
    assert alone[2] == pooled[2] == 0     # both were cold

    # The parent wrote the workers' cache rows: a warm run finds every entity's YAML
    # there (broken files are never cached) and agrees.
    warm = checked(world_root, monkeypatch, 2)
    assert warm[2] >= len(alone[1]) - 2
    assert warm[0] == alone[0] and warm[1] == alone[1]


_READ_SOURCE = workers.read_source


def _read_marked(found, diags, *args):
    """documents.read_source as load/workers.py calls it, leaving the pid of the process that read."""
    (Path(os.environ["TEST_READ_IN"]) / f"{os.getpid()}-{found.rel.replace('/', '_')}").write_text("")
    return _READ_SOURCE(found, diags, *args)


def test_a_cold_pool_reads_the_files_itself(world_root, monkeypatch, tmp_path):
    """With nothing in the parse cache, every file is read (not only parsed) in the
    workers, not in the parent first; the diagnostics of reading (not UTF-8, a NUL,
    blank, old Mac line ends, a device name) and of parsing keep their order, and the
    World is the one-process one. A warm check, whose cache holds rows, reads in the
    parent (the keys need the bytes' hash) and agrees."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    where = tmp_path / "read"
    where.mkdir()
    monkeypatch.setenv("TEST_READ_IN", str(where))
    monkeypatch.setattr(workers, "read_source", _read_marked)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    pooled = checked(world_root, monkeypatch, 2)
    assert pooled[0] == alone[0] and pooled[1] == alone[1] and pooled[2] == 0
    readers = {int(mark.name.split("-", 1)[0]) for mark in where.iterdir()}
    assert readers and os.getpid() not in readers, "a cold check read files in the parent"
    read = [mark.name.split("-", 1)[1] for mark in where.iterdir()]
    assert len(read) == len(set(read)), "a file was read twice"
    assert {rel.replace("/", "_") for rel in {*BROKEN, *UNREADABLE}} <= set(read)

    for mark in where.iterdir():
        mark.unlink()
    warm = checked(world_root, monkeypatch, 2)
    assert warm[0] == alone[0] and warm[1] == alone[1]
    assert {int(mark.name.split("-", 1)[0]) for mark in where.iterdir()} == {os.getpid()}


def test_what_a_pool_that_never_answers_leaves_is_read_and_parsed_here(world_root, monkeypatch):
    """A pool that cannot start (or stops answering) on a cold check: every file is
    then read and parsed in this process, with the same World and messages."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "_in_pool", lambda *args, **kwargs: workers._Arrivals(None, []))
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    failed = checked(world_root, monkeypatch, 2)
    assert failed[0] == alone[0] and failed[1] == alone[1]


def _dies_on_a_file(indexes):
    """The workers' function, killing its worker (as the out-of-memory killer or a
    crash would: no exception, no answer) on a chunk holding a file that does not
    load (never cached: a warm check's pool parses it again)."""
    if any(workers._WORK["found"][i].rel == "content/heroes/zz-unreadable.yaml" for i in indexes):
        os._exit(9)
    return _PARSE_CHUNK(indexes)


@pytest.mark.timeout(120)
def test_a_worker_that_dies_is_noticed_at_once_and_the_rest_parsed_here(world_root, monkeypatch):
    """A worker killed in the middle of a chunk: the pool would wait for that chunk
    forever; the parent notices the death (not the patience, set here beyond the
    test's timeout) and parses what is left, cold (the workers read) and warm (the
    parent read, the pool parses what the cache lacks), with the one-process World
    and messages."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    monkeypatch.setattr(workers, "PATIENCE_SECONDS", 10 ** 6)
    monkeypatch.setattr(workers, "_parse_chunk", _dies_on_a_file)
    pools: list = []

    class Watched(workers._Arrivals):
        def __init__(self, *args):
            super().__init__(*args)
            pools.append(self)

    monkeypatch.setattr(workers, "_Arrivals", Watched)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    survived = checked(world_root, monkeypatch, 2)
    assert survived[0] == alone[0] and survived[1] == alone[1]
    assert [pool.stopped for pool in pools] == ["died"]
    # the other worker may have been stopped while writing the parse table (ParseCache.write_own):
    # this run vouches for nothing there, so the next checks every row's MAC
    assert pools[0].cache is not None and not pools[0].cache.clean

    # warm: the cache holds rows, but not of the files that do not load as they are now
    # (it was filled while they read otherwise), which the pool parses
    try:
        for rel, text in BROKEN.items():
            (world_root / rel).write_text(text + "\n# edited\n", encoding="utf-8")
        shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
        checked(world_root, monkeypatch, 1)
    finally:
        for rel, text in BROKEN.items():
            (world_root / rel).write_text(text, encoding="utf-8")
    pools.clear()
    survived = checked(world_root, monkeypatch, 2)
    assert survived[0] == alone[0] and survived[1] == alone[1] and survived[2] > 0
    assert [pool.stopped for pool in pools] == ["died"]


def _after_the_parent_validated(indexes):
    """The workers' function; a chunk without templates (they go to the pool first) is
    parsed only once the parent has validated a document, or, if it never does while
    the pool runs, after a wait that marks the run as serial."""
    flags = Path(os.environ["TEST_OVERLAP"])
    if not any(workers._WORK["found"][i].kind == "template" for i in indexes):
        for _ in range(300):
            if (flags / "validated").exists() or (flags / "serial").exists():
                break
            time.sleep(0.1)
        else:
            (flags / "serial").write_text("")
    return _PARSE_CHUNK(indexes)


def test_the_parent_validates_while_the_workers_still_parse(world_root, monkeypatch, tmp_path):
    """Validation and sheets run beside the pool (load_documents' `then`), not after
    it: the workers hold every chunk but the templates' until the parent has validated
    one, and the World and messages are still the one-process ones."""
    from pipeline.resolve import world as world_module
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    monkeypatch.setenv("TEST_OVERLAP", str(tmp_path))
    monkeypatch.setattr(workers, "_parse_chunk", _after_the_parent_validated)
    validate, parent = world_module.validate_entry, os.getpid()

    def validated(*args, **kwargs):
        if os.getpid() == parent:
            (tmp_path / "validated").touch()
        return validate(*args, **kwargs)

    monkeypatch.setattr(world_module, "validate_entry", validated)
    used: dict[str, int] = {}   # answers made ahead and taken by _resolve, by kind

    def counted(name):
        method = getattr(world_module._Ahead, name)

        def taken(self, *args):
            made = method(self, *args)
            used[name] = used.get(name, 0) + (made is not None)
            return made
        monkeypatch.setattr(world_module._Ahead, name, taken)

    for name in ("entry", "sheet", "analysis"):
        counted(name)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    pooled = checked(world_root, monkeypatch, 2)
    assert (tmp_path / "validated").exists() and not (tmp_path / "serial").exists()
    assert pooled[:2] == alone[:2] and pooled[2] == 0
    # every stage took answers made ahead (a hero file that does not load holds nothing up)
    assert all(used.get(name) for name in ("entry", "sheet", "analysis")), used
    assert {"HF0306", "HF0307"} <= {d.code for d in pooled[0]}


def test_the_suspect_class_holds_every_character_the_rules_may_refuse():
    """The regex that picks characters for a closer look must miss none the exact rules
    refuse, for the Unicode version this Python has."""
    for ascii, last in ((False, 0x10FFFF), (True, 0x7F)):   # the ASCII pair is used on ASCII text alone
        names, prose = hygiene._suspect(False, ascii), hygiene._suspect(True, ascii)
        missed = [hex(cp) for cp in range(last + 1)
                  if (hygiene.is_control(chr(cp)) or cp in hygiene._FILLERS or unicodedata.category(chr(cp)) == "Cf")
                  and (not names.match(chr(cp)) or (cp not in (0x09, 0x0A) and not prose.match(chr(cp))))]
        assert not missed, (ascii, missed[:10])


def _name_problem_by_hand(text: str) -> int | None:
    """The rule for names, one character at a time (the definition the fast path keeps)."""
    for i, ch in enumerate(text):
        if hygiene.is_control(ch) or ord(ch) in hygiene._FILLERS:
            return i
        if unicodedata.category(ch) == "Cf" and not hygiene._allowed_format(text, i, prose=False):
            return i
    return None


def _prose_problem_by_hand(text: str) -> int | None:
    rtl = None
    for i, ch in enumerate(text):
        if ch in "\t\n" or (ch == "\r" and text[i + 1:i + 2] == "\n"):
            continue
        if hygiene.is_control(ch):
            return i
        if unicodedata.category(ch) != "Cf" or hygiene._allowed_format(text, i, prose=True):
            continue
        if ord(ch) in hygiene._BIDI_MARKS:
            if rtl is None:
                rtl = any(unicodedata.bidirectional(c) in ("R", "AL") and c.isalpha() for c in text)
            if rtl:
                continue
        return i
    return None


# Characters near every rule: controls, CR/LF/tab, marks and joiners, tags, fillers,
# noncharacters, surrogates, and letters of scripts that need some of them.
_CHARS = st.one_of(
    st.sampled_from("ab \t\n\r\x00\x1b\x7f\x85\x9b\xad\u061c\u0600\u180e\u200b\u200c\u200d\u200e\u200f"
                    "\u2028\u202a\u202e\u2060\u2066\u3164\ufeff\ufff9\ufdd0\ufffe\U0001fffe\U0010ffff"
                    "\U000e0020\U000e007f\U0001f3f4\U0001f600\ufe0f\u0627\u0644\u0e01\u1820\u0915\U00013430"),
    st.characters(max_codepoint=0x10FFFF))


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=12))
def test_the_fast_path_finds_what_a_character_by_character_scan_finds(text):
    assert hygiene.name_problem(text) == _name_problem_by_hand(text)
    assert hygiene.prose_problem(text) == _prose_problem_by_hand(text)


def test_the_json_plan_names_the_schemas_it_would_write():
    """Planning lists the schema files without generating them (check plans every
    output); the names must be those the render writes."""
    from pipeline.exporters.json_api.schemas import all_schemas
    from pipeline.exporters.json_api.shapes import schema_names
    assert schema_names() == list(all_schemas())


_PARSE_SCENES = scenes.parse_scenes


def _scenes_marked(doc, diags, *args, **kwargs):
    """stories/scenes.py's parse in the base language (a translation's, made for the
    localization check, is another parse), leaving the pid of the process that ran it."""
    if not args and not kwargs:
        (Path(os.environ["TEST_SCENES_IN"]) / f"{os.getpid()}-{doc.id}").write_text("")
    return _PARSE_SCENES(doc, diags, *args, **kwargs)


def test_a_cold_check_parses_the_stories_scenes_in_the_workers(world_root, monkeypatch, tmp_path):
    """The pool that parses the files also parses each story's Markdown into the cache
    (load_documents' `prepare`): the parent only parses again the stories whose scenes
    have problems (those are never cached), and the World is the one-process one."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    where = tmp_path / "scenes"
    where.mkdir()
    monkeypatch.setenv("TEST_SCENES_IN", str(where))
    monkeypatch.setattr(scenes, "parse_scenes", _scenes_marked)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    pooled = checked(world_root, monkeypatch, 2)
    assert pooled[:2] == alone[:2] and pooled[2] == 0
    by = {}
    for mark in where.iterdir():
        pid, story = mark.name.split("-", 1)
        by.setdefault(story, set()).add(int(pid))
    stories = {e[1] for e in alone[1][:-2] if e[0] == "story"}
    in_parent = {story for story, pids in by.items() if os.getpid() in pids}
    assert stories and set(by) == stories
    assert by and all(pids - {os.getpid()} for pids in by.values())   # every story was parsed in a worker
    # the parent parsed again only the stories whose scenes have problems, or none to
    # keep (zz-open's front matter is never closed: its body, empty, is still checked)
    assert in_parent == {"zz-marks", "zz-open"}


def test_the_exporters_are_imported_while_the_workers_parse(world_root, monkeypatch):
    """A check plans every output after the load (engine/outputs.py check_outputs);
    their modules are imported while the pool parses (load_documents' `meanwhile`), on
    this process's main thread (never another: importlib's deadlock detection), not
    alone after the pool, and the World and messages are the one-process ones."""
    from pipeline.exporters import registry
    import_exporters = registry.import_exporters
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    seen = []

    def importing(only=None):
        seen.append((threading.current_thread() is threading.main_thread(), bool(multiprocessing.active_children())))
        import_exporters(only)

    monkeypatch.setattr(registry, "import_exporters", importing)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    pooled = checked(world_root, monkeypatch, 2)
    assert seen == [(True, True)], "the exporters were not imported once, on this thread, while the pool ran"
    assert pooled[:2] == alone[:2]


@pytest.mark.timeout(120)
def test_a_pool_whose_stop_is_stuck_on_a_lock_does_not_hang_the_check(world_root, monkeypatch):
    """multiprocessing's terminate waits for ever when a worker it stopped held the
    answers' queue lock (Ctrl-C at the end of a cold load hung `foundry check`, review29).
    The same lock held here, as that worker left it: the check ends all the same, with
    the one-process World and messages, and no worker is left running."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CLOSE_SECONDS", 0.5)
    pools: list = []

    class Stuck(workers._Arrivals):
        def close(self):
            if self.pool is not None:
                lock = self.pool._outqueue._wlock
                lock.acquire()   # as a worker stopped while sending an answer leaves it
                pools.append((self, lock))
            super().close()

    monkeypatch.setattr(workers, "_Arrivals", Stuck)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    try:
        stuck = checked(world_root, monkeypatch, 2)
        assert stuck[0] == alone[0] and stuck[1] == alone[1]
        assert pools, "the check used the pool"
        for arrivals, _ in pools:
            for worker in arrivals.workers:
                worker.join(30)
                assert worker.exitcode is not None, "no parse worker is left running"
    finally:
        for _, lock in pools:
            lock.release()   # the pool's stopping thread, blocked on it, ends


def _adopted(monkeypatch) -> list:
    """What the parent's parse cache takes over from the workers (ParseCache.adopt), each call."""
    from pipeline.load.cache import ParseCache
    seen: list = []
    real = ParseCache.adopt
    monkeypatch.setattr(ParseCache, "adopt", lambda self, writes: seen.append(writes) or real(self, writes))
    return seen


def test_the_workers_write_the_documents_rows_and_send_only_the_scenes(world_root, monkeypatch):
    """A cold check's workers write each chunk's parse rows into the parse table
    themselves (ParseCache.write_own): what crosses the pipe is only what the parent
    reads at once, each story's scenes row, not every document's row too (~30 of ~48
    MB at 10,000 heroes: docs/performance.md cold56). The rows are there, sealed: a
    warm check takes every document from the table, and says what the cold one said.
    The table is vouched for as before (the workers' rows are this foundry's own)."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    adopted = _adopted(monkeypatch)
    diags, report = Diagnostics(), BuildReport()
    world = check(world_root, diags, report)
    cold = list(diags.items)
    assert adopted and all(len(writes) == 5 and writes[4] for writes in adopted), "a worker did not write its rows"
    sent = [payload for writes in adopted for _, payload, _ in writes[0]]
    # a story's `prepare` rows (its scenes) crossed; no document's row (load/documents.py `_to_cache`) did
    assert any(payload.startswith('[{"id":') for payload in sent)
    assert not [payload for payload in sent if payload.startswith('{"document":')], "a document's row crossed the pipe"
    assert len(sent) < len(list(world.entries()))
    assert report.parse_table is not None   # vouched for: every row this foundry's

    diags, report = Diagnostics(), BuildReport()
    warm = check(world_root, diags, report)
    assert list(diags.items) == cold
    assert report.counts["parsed_from_cache"] >= len(list(warm.entries())) - 2


def test_a_worker_that_cannot_take_the_tables_lock_sends_its_rows(world_root, monkeypatch):
    """While another connection holds the parse table's write lock through the pool,
    each worker gives up on it (after WORKER_LOCK_SECONDS) and sends its rows to the
    parent, which writes them as before: the warm check still finds every document."""
    import sqlite3
    from pipeline.load import cache as cache_module
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 3)
    monkeypatch.setattr(cache_module, "WORKER_LOCK_SECONDS", 0.01)
    adopted = _adopted(monkeypatch)
    holder: list = []
    real_in_pool, real_close = workers._in_pool, workers._Arrivals.close

    def in_pool(*args, **kwargs):   # the lock taken just before the workers fork
        db = sqlite3.connect(world_root / CACHE_DIR / "parsed.sqlite", isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        holder.append(db)
        return real_in_pool(*args, **kwargs)

    def close(self):   # and let go once the pool has answered, before the parent writes
        real_close(self)
        for db in holder:
            db.execute("ROLLBACK")
            db.close()
        holder.clear()

    monkeypatch.setattr(workers, "_in_pool", in_pool)
    monkeypatch.setattr(workers._Arrivals, "close", close)
    diags, report = Diagnostics(), BuildReport()
    world = check(world_root, diags, report)
    cold = list(diags.items)
    assert adopted and not any(writes[4] for writes in adopted)
    assert len([row for writes in adopted for row in writes[0]]) > len(list(world.entries()))   # documents' rows too
    monkeypatch.setattr(workers, "_in_pool", real_in_pool)
    diags, report = Diagnostics(), BuildReport()
    warm = check(world_root, diags, report)
    assert list(diags.items) == cold
    assert report.counts["parsed_from_cache"] >= len(list(warm.entries())) - 2


def _forked_uses(monkeypatch, record: Path) -> None:
    """Every SQLite connection the parse cache opens notes, in `record`, each use of it
    by a process other than the one that opened it (a forked child)."""
    import sqlite3
    from pipeline.load import cache as cache_module

    class Watched(sqlite3.Connection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.opener = os.getpid()

        def _use(self, what: str) -> None:
            if os.getpid() != self.opener:
                with open(record, "a", encoding="utf-8") as out:
                    out.write(f"{os.getpid()} {what}\n")

        def execute(self, *args):
            self._use(f"execute {str(args[0])[:60]}")
            return super().execute(*args)

        def executemany(self, *args):
            self._use("executemany")
            return super().executemany(*args)

        def commit(self):
            self._use("commit")
            return super().commit()

        def close(self):
            self._use("close")
            return super().close()

    connect = sqlite3.connect
    monkeypatch.setattr(cache_module.sqlite3, "connect", lambda *a, **k: connect(*a, factory=Watched, **k))


def test_a_parse_worker_never_uses_the_connection_it_inherited(tmp_path, monkeypatch):
    """SQLite's rule for a fork: a connection opened before it is never used in the
    child (its locks and cached pages are the parent's). A build whose heroes come
    from their summaries looks the parse table up row by row (resolve/world.py
    `partial`), so it is not read whole when the parse pool forks: a worker's story
    scenes were looked up through the parent's connection, beside the parent's own
    use of it (and a read error there reset the file under the parent). Here every
    story, quest and character changed (a pull of many files): the workers parse them,
    touch no inherited connection, and the build's JSON is byte for byte a one-process
    cold build's."""
    from pipeline.engine.builder import build
    root = write_project(tmp_path / "world")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(root, Diagnostics(), ["json"], workers=1).ok
    for kind in ("stories", "quests", "characters"):
        for path in sorted((root / "content" / kind).iterdir()):
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 1)
    record = tmp_path / "forked-uses"
    _forked_uses(monkeypatch, record)
    where = tmp_path / "parsed-in"
    where.mkdir()
    monkeypatch.setenv("TEST_PARSED_IN", str(where))
    monkeypatch.setattr(workers, "_parse_chunk", _marked)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    assert build(root, Diagnostics(), ["json"]).ok
    assert {mark.name.split("-")[0] for mark in where.iterdir()} - {str(os.getpid())}, "the pool parsed the changed files"
    assert not record.exists(), record.read_text()
    json = {p.relative_to(root): p.read_bytes() for p in sorted((root / "build").rglob("*")) if p.is_file()}
    shutil.rmtree(root / CACHE_DIR)
    shutil.rmtree(root / "build")
    monkeypatch.setenv("FOUNDRY_JOBS", "1")
    assert build(root, Diagnostics(), ["json"]).ok
    assert json == {p.relative_to(root): p.read_bytes() for p in sorted((root / "build").rglob("*")) if p.is_file()}



def test_a_parse_worker_writes_into_no_file_whose_schema_is_not_ours(tmp_path, monkeypatch):
    """A parse worker opens the parse table by its path (ParseCache.write_own), and the
    file there is not always the one its parent opened and checked: a checkout during
    the build puts a pull request's there. Its SQL never runs in the worker: a trigger
    that recursed for ever held the pool for PATIENCE_SECONDS (a check of two minutes);
    here one that leaves a mark. The worker sends its rows instead, and the check says
    what a check without the swap says."""
    import sqlite3
    from pipeline.load import cache as cache_module
    root = write_project(tmp_path / "world")
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    alone = Diagnostics()
    check(root, alone, BuildReport())
    shutil.rmtree(root / CACHE_DIR)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 1)
    settle, swapped = cache_module.ParseCache.settle, []

    def swapping(self):   # right before the pool forks: a checkout's file at the table's path
        settle(self)
        if self.table != "parsed" or swapped:
            return
        theirs = self.path.parent / "theirs.sqlite"
        db = sqlite3.connect(theirs)
        db.execute(f"CREATE TABLE meta {cache_module._COLUMNS['meta']}")
        for table in cache_module.TABLES:
            db.execute(f"CREATE TABLE {table} {cache_module._COLUMNS['rows']}")
        db.execute("CREATE TRIGGER ran AFTER INSERT ON parsed BEGIN INSERT OR REPLACE INTO meta VALUES ('ran', NEW.key); END")
        db.commit()
        db.close()
        os.link(theirs, tmp_path / "theirs.sqlite")   # the file as the workers found it, whatever is at the path later
        os.replace(theirs, self.path)
        swapped.append(self.path)

    monkeypatch.setattr(cache_module.ParseCache, "settle", swapping)
    adopted = _adopted(monkeypatch)
    diags = Diagnostics()
    check(root, diags, BuildReport())
    assert swapped and adopted, "the pool ran, on the swapped file"
    db = sqlite3.connect(tmp_path / "theirs.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM meta WHERE key = 'ran'").fetchone() == (0,), "the file's trigger ran"
    finally:
        db.close()
    assert not [writes for writes in adopted if writes[4]], "a worker wrote into the swapped file"
    assert diags.items == alone.items


def _failing(indexes):
    """The workers' function, raising in its worker (as a MemoryError under an
    operator's `ulimit -v` does) once it has parsed the second chunk and written its rows."""
    answer = _PARSE_CHUNK(indexes)
    if os.getpid() != int(os.environ["TEST_PARENT"]) and 1 in indexes:
        raise MemoryError
    return answer


def test_a_chunk_that_raises_in_its_worker_is_parsed_here(world_root, monkeypatch):
    """A worker whose chunk raised sent the exception as its answer, and the check
    ended in "internal error (MemoryError)". A worker that fails is one that crashed
    (load/workers.py): what is left is parsed here, with the one-process World and
    messages, and the file is not vouched for (the worker may have stopped mid-write)."""
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    alone = checked(world_root, monkeypatch, 1)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 1)
    monkeypatch.setenv("TEST_PARENT", str(os.getpid()))
    monkeypatch.setattr(workers, "_parse_chunk", _failing)
    shutil.rmtree(world_root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    diags, report = Diagnostics(), BuildReport()
    world = check(world_root, diags, report)
    assert list(diags.items) == alone[0]
    assert [(e.kind, e.id, e.doc.data, e.doc.body) for e in world.entries()] == [e[:3] + e[5:6] for e in alone[1][:-2]]
    assert report.parse_table is None   # not vouched for
