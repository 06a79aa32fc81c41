"""What keeps a cold `foundry check`'s two cores busy with the work: the parse pool's
own threads do not compete with it, and the parent's cache rows are sealed after the
pool has stopped, never one by one while its result thread waits for the GIL
(docs/performance.md, cold17). Times live in benchmarks/, never here."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.load import workers
from pipeline.load.cache import ParseCache
from pipeline.load.documents import parse_document, read_source
from pipeline.load.files import discover
from pipeline.load.titles import REFUSED_LINK, refused_link
from pipeline.load.yaml import _ODD_BREAK, Positions, _has_odd_break
from pipeline.resolve.world import _prepare_story, validate_entry
from pipeline.rules import load_rule_book
from support import counted_calls

ROOTS = Path(__file__).resolve().parent.parent / "roots"


def _double(n: int) -> int:
    return 2 * n


def test_the_pools_worker_handler_is_not_woken_by_every_result():
    """multiprocessing's Pool wakes its worker-handler thread whenever a result waits in
    the result pipe, and that thread then passes over the pool again and again until
    the result thread has read it (tens of thousands of passes at 10,000 heroes, each
    taking the GIL). The parse pool's handler waits for a worker to end or the pool to
    close only; a worker that dies is still among what wakes it, and the pool still
    answers."""
    pool = workers._Pool(2, context=multiprocessing.get_context("fork"))
    try:
        woken_by = pool._get_sentinels() + pool._get_worker_sentinels(pool._pool)
        assert pool._outqueue._reader not in woken_by
        assert pool._change_notifier._reader in woken_by
        assert all(process.sentinel in woken_by for process in pool._pool)
        assert list(pool.imap(_double, range(50), chunksize=3)) == [2 * n for n in range(50)]
    finally:
        pool.terminate()


def test_rows_are_sealed_when_written_and_verify(tmp_path, monkeypatch):
    """A row put is sealed when it is written (`flush`, `save`) or handed to the parent
    (`take_writes`), not when put; what was written verifies in the next run, and a row
    whose MAC does not verify is still a miss."""
    (tmp_path / "foundry.toml").write_text("")
    sealed = []
    real = seal.mac

    def counting(secret, purpose, data):
        sealed.append(purpose)
        return real(secret, purpose, data)

    keyed = seal.Verifier.mac   # many rows are sealed from one keyed state (seal.Verifier)

    def counting_keyed(self, purpose, data):
        sealed.append(purpose)
        return keyed(self, purpose, data)

    monkeypatch.setattr(seal, "mac", counting)
    monkeypatch.setattr(seal.Verifier, "mac", counting_keyed)
    cache = ParseCache(tmp_path)
    cache.put("k1", {"a": 1})
    cache.put_row("k2", '{"b":2}')
    assert sealed == [], "a row was sealed when put"
    rows, *_ = cache.take_writes()
    assert [(key, mac) for key, _, mac in rows] == [
        ("k1", real(cache.secret, "cache:parsed:k1", b'{"a":1}')),
        ("k2", real(cache.secret, "cache:parsed:k2", b'{"b":2}'))]
    cache.adopt((rows, {"k1", "k2"}, 0, 0))
    cache.put("k3", [3])
    cache.save(prune=False)
    assert sorted(sealed) == ["cache:parsed:k1", "cache:parsed:k2", "cache:parsed:k3"]

    again = ParseCache(tmp_path)
    assert again.get("k1") == {"a": 1} and again.get("k2") == {"b": 2} and again.get("k3") == [3]
    import sqlite3
    db = sqlite3.connect(os.fspath(again.path))
    db.execute("UPDATE parsed SET payload = '[4]' WHERE key = 'k3'")
    db.commit()
    db.close()
    assert ParseCache(tmp_path).get("k3") is None


def test_the_cache_is_saved_behind_and_every_use_waits_for_it(tmp_path, monkeypatch):
    """`save_behind` returns while its thread writes the rows (a cold check's stages
    after the load go on meanwhile: cold21), and any later use of the cache waits
    for it: what is read, vouched for or put after it sees the file saved."""
    (tmp_path / "foundry.toml").write_text("")
    started, go, order = threading.Event(), threading.Event(), []
    real = ParseCache._save

    def held(self, prune):
        started.set()
        go.wait(60)
        order.append("saved")
        real(self, prune)

    monkeypatch.setattr(ParseCache, "_save", held)
    cache = ParseCache(tmp_path)
    assert not cache.has("k0")   # the table read whole (empty): a clean one, vouched for once saved
    cache.put("k1", {"a": 1})
    cache.save_behind(prune=False)
    order.append("returned")
    assert started.wait(60)
    go.set()
    assert cache.vouch() is not None, "the save was not waited for"
    assert order == ["returned", "saved"]
    assert ParseCache(tmp_path).get("k1") == {"a": 1}


def test_a_save_behind_that_fails_raises_where_the_cache_is_next_used(tmp_path, monkeypatch, capfd):
    """What the thread raised is raised by the next use of the cache, as `save` raised
    it, and the thread itself prints nothing (no traceback of a thread on stderr)."""
    (tmp_path / "foundry.toml").write_text("")

    def broken(self, prune):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(ParseCache, "_save", broken)
    cache = ParseCache(tmp_path)
    cache.save_behind(prune=False)
    with pytest.raises(RuntimeError, match="disk gone"):
        cache.vouch()
    assert cache.vouch() is None   # raised once, then the cache is as a failed save left it
    assert "Traceback" not in capfd.readouterr().err


def _writing_held(root: Path, monkeypatch, value) -> tuple[ParseCache, threading.Event]:
    """A cache of `root` whose `write_behind` thread is writing row "k1" (= value) and
    holds there until the event returned is set."""
    writing, go = threading.Event(), threading.Event()
    real = ParseCache._seal

    def held(self, rows):
        if threading.current_thread().name == "parse-cache-write":
            writing.set()
            go.wait(60)
        return real(self, rows)

    monkeypatch.setattr(ParseCache, "_seal", held)
    cache = ParseCache(root)
    assert not cache.has("k0")   # the table read whole (empty): a clean one
    cache.put("k1", value)
    cache.write_behind()
    assert writing.wait(60)
    return cache, go


def test_rows_written_behind_let_puts_and_reads_go_on_and_are_saved(tmp_path, monkeypatch):
    """`write_behind` seals and writes the rows put so far in a thread of its own (a cold
    check calls it at the parse pool's last answer: check30); meanwhile rows are put,
    adopted and read without waiting for it, and `save` commits both: the next run
    reads every row, and the table is one this run may vouch for."""
    (tmp_path / "foundry.toml").write_text("")
    cache, go = _writing_held(tmp_path, monkeypatch, {"a": 1})
    assert cache.pending == []

    def meanwhile():
        cache.put("k2", [2])
        cache.adopt(([("k3", "[3]", seal.mac(cache.secret, "cache:parsed:k3", b"[3]"))], {"k3"}, 0, 0))
        assert cache.get("k3") == [3] and cache.has("k3")

    beside = threading.Thread(target=meanwhile)
    beside.start()
    beside.join(30)
    alive = beside.is_alive()
    go.set()
    assert not alive, "a put, an adopt or a read waited for the rows being written"
    cache.save(prune=False)
    assert cache.vouch() is not None
    again = ParseCache(tmp_path)
    assert (again.get("k1"), again.get("k2"), again.get("k3")) == ({"a": 1}, [2], [3])


def test_a_write_behind_that_fails_resets_the_file_or_raises_where_it_is_next_used(tmp_path, monkeypatch, capfd):
    """SQLite failing in `write_behind`'s thread resets the file, as a failed `flush`
    does (those rows are not cached: slower, still correct); anything else is raised by
    the next use of the connection. The thread prints nothing."""
    import sqlite3
    (tmp_path / "foundry.toml").write_text("")
    cache = ParseCache(tmp_path)
    cache.put("old", [0])
    cache.save(prune=False)

    def refused(self, rows):
        raise sqlite3.OperationalError("disk I/O error")

    cache = ParseCache(tmp_path)
    monkeypatch.setattr(ParseCache, "_seal", refused)
    cache.put("k1", [1])
    cache.write_behind()
    monkeypatch.undo()
    cache.put("k2", [2])
    cache.save(prune=False)
    again = ParseCache(tmp_path)
    assert (again.get("old"), again.get("k1"), again.get("k2")) == (None, None, [2])

    def broken(self, rows):
        raise RuntimeError("bug")

    monkeypatch.setattr(ParseCache, "_seal", broken)
    cache = ParseCache(tmp_path)
    cache.put("k3", [3])
    cache.write_behind()
    with pytest.raises(RuntimeError, match="bug"):
        cache.save(prune=False)
    assert "Traceback" not in capfd.readouterr().err


def test_the_pool_is_not_forked_while_the_cache_writes(tmp_path, monkeypatch):
    """A fork copies the locks a writing thread holds in SQLite, not the thread that
    would release them: the parse pool waits for `write_behind` before it forks."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    cache, go = _writing_held(root, monkeypatch, [1])
    forked_while_writing = []

    class Watched(workers._Pool):
        def __init__(self, *args, **kwargs):
            forked_while_writing.append(cache._writing is not None)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(workers, "_Pool", Watched)
    found = discover(root, Diagnostics())
    release = threading.Timer(0.5, go.set)
    release.start()
    try:
        arrivals = workers._in_pool(found, [None] * len(found), cache, list(range(len(found))), 2,
                                    sizes=[0] * len(found), read=True)
        arrivals.close()
    finally:
        go.set()
        release.cancel()
    assert forked_while_writing == [False]
    cache.save(prune=False)
    assert ParseCache(root).get("k1") == [1]


def test_a_cold_pool_writes_its_rows_before_the_load_ends(tmp_path, monkeypatch):
    """A cold check through the parse pool hands the rows made so far to `write_behind`
    at the pool's last answer: by the time the cache's save begins (after the load),
    the workers' parse and scene rows are in the file's open transaction already, and
    the save adds the rest (a warm check then takes every file from the table)."""
    from pipeline.engine.builder import BuildReport, check
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 2)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    in_file: list[int] = []
    real = ParseCache.save_behind

    def counted(self, prune=True):
        self._written()
        in_file.append(self.db.execute("SELECT count(*) FROM parsed").fetchone()[0])
        real(self, prune)

    monkeypatch.setattr(ParseCache, "save_behind", counted)
    cold, report = Diagnostics(), BuildReport()
    world = check(root, cold, report)
    files = len(world.entries())
    assert files >= 4 and in_file and in_file[0] >= files, \
        f"{in_file} rows were in the file when the save began, for {files} files parsed in the pool"
    warm, again = Diagnostics(), BuildReport()
    check(root, warm, again)
    assert warm.items == cold.items and again.counts["parsed_from_cache"] >= files


def test_a_plain_background_does_not_decode_its_files_positions(tmp_path):
    """A hero from a parse worker comes with its positions as JSON text, decoded when a
    stage first asks for a span: validating one whose prose has nothing to report
    never asks (cold21: 10,000 decodes, ~0.3 CPU-s of the parent's main thread), while
    one whose background holds a tag is still reported at its line."""
    root = tmp_path / "w"
    shutil.copytree(ROOTS / "minimal", root)
    diags = Diagnostics()
    rules = load_rule_book(root, diags)
    hero = next(f for f in discover(root, diags) if f.kind == "hero")
    spans = {}
    for name, background in (("plain", "Rode in at dusk.\n  Left at dawn."), ("tagged", "Rode in at <b>dusk</b>.")):
        hero.path.write_text(f"name: Aria\nstatus: published\ntemplate: scout\nbackground: |\n  {background}\n")
        doc = parse_document(hero, read_source(hero, diags), diags)
        doc = replace(doc, positions=Positions.stored(doc.path, doc.positions.to_text()))   # as the pool sends it
        found = Diagnostics()
        validate_entry(doc, rules, found)
        spans[name] = (doc.positions._text is None, [(d.code, d.span.line) for d in found.items])
    assert spans["plain"] == (False, []), "a background with nothing to report decoded the positions"
    assert spans["tagged"] == (True, [("HF0124", 5)])


def test_a_clean_title_with_markup_does_not_decode_its_files_positions(tmp_path):
    """A relationship's note or a story's title with inline Markdown (`*Wreck*`) has its
    HTML kept and is checked for showing no words (HF0173) and for tags (HF0536): the
    span each would be said at is looked up only when one is said (cold42: ~1,000 notes
    and 500 story titles of the 10,000-hero world decoded their files' positions for
    nothing, ~0.04 CPU-s of the parent's main thread). Said, it is at its place."""
    root = tmp_path / "w"
    shutil.copytree(ROOTS / "minimal", root)
    diags = Diagnostics()
    rules = load_rule_book(root, diags)
    files = discover(root, diags)
    hero = next(f for f in files if f.kind == "hero")
    story = next(f for f in files if f.kind == "story")
    told = story.path.read_text(encoding="utf-8")
    said = {}
    cases = (("hero", hero, "name: Aria\nstatus: published\ntemplate: scout\nrelationships:\n"
              "  - {with: old-guide, kind: ally, note: NOTE}\n"),
             ("story", story, told.replace("title: The Fog Road", "title: NOTE", 1)))
    for kind, found, text in cases:
        for name, note in (("clean", '"Since the *Wreck* of the Gull"'), ("wordless", '"![](gull.png)"'),
                           ("tagged", '"Since the <b>Wreck</b>"')):
            found.path.write_text(text.replace("NOTE", note), encoding="utf-8")
            doc = parse_document(found, read_source(found, diags), diags)
            doc = replace(doc, positions=Positions.stored(doc.path, doc.positions.to_text()))   # as the pool sends it
            got = Diagnostics()
            validate_entry(doc, rules, got)
            said[kind, name] = (doc.positions._text is None,
                                [(d.code, d.span.line, d.span.column) for d in got.items if d.code.startswith("HF05")
                                 or d.code == "HF0173"])
    assert said["hero", "clean"] == (False, []), "a clean note decoded its file's positions"
    assert said["story", "clean"] == (False, []), "a clean story title decoded its file's positions"
    assert said["hero", "wordless"] == (True, [("HF0173", 5, 42)])
    assert said["hero", "tagged"] == (True, [("HF0536", 5, 52)])
    assert said["story", "wordless"] == (True, [("HF0173", 2, 9)])
    assert said["story", "tagged"] == (True, [("HF0536", 2, 19)])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a: \t\r\n\x85\u2028\u2029#-é")) | st.characters(), max_size=40))
def test_odd_line_breaks_are_found_as_the_regex_finds_them(text):
    """load/yaml.py `_has_odd_break` (cold21: the regex alone took ~37 µs of each 1 KB
    hero file) says what `_ODD_BREAK.search` says, for any text: CR before LF or alone,
    NEL, LS, PS, and none of them."""
    assert _has_odd_break(text) == (_ODD_BREAK.search(text) is not None)


_LINKISH = st.lists(st.sampled_from(["](", "<", "[r]:", "]:", "]", "[", "(", ":", " ", "\t", "\n", "  [a b]: ",
                                     "javascript:", "VBScript:", "file:", "data:", "x", "é"]), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LINKISH, st.text(max_size=30)))
def test_a_refused_link_is_found_as_the_regex_finds_it(text):
    """load/titles.py `refused_link` (cold21: the regex alone took ~14 µs of each story
    paragraph) finds what `REFUSED_LINK.search` finds, where it finds it, in any text."""
    found, expected = refused_link(text), REFUSED_LINK.search(text)
    assert (found and (found.span(), found.start("at"))) == (expected and (expected.span(), expected.start("at")))


def test_a_parse_worker_collects_what_it_makes_rarely(tmp_path, monkeypatch):
    """A parse worker's data are trees and what a parse makes is freed by reference
    counting, yet a story's parse holds hundreds of tokens alive at once: at Python's
    default threshold (700) each story set off collections that walked them to free
    nothing (~1,060 a cold check at 10,000 heroes, 0.10 of the workers' CPU-s:
    docs/performance.md check31). The worker's collector stays on (a cycle a file
    makes is still freed), and collects a few times a check at most."""
    import gc
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = (root / "content/stories/first-story.md").read_text()
    front, _, body = story.partition("\n---\n")
    scenes = "".join(f"\n## Scene {n} {{#scene-{n}}}\n\n" + "The fog comes in off the marsh, and *the guide* waits.\n\n" * 6
                     + "".join(f"- [Go on to the next one](#scene-{n + 1}){{if=\"coins >= {k}\"}}\n" for k in range(4))
                     for n in range(30))
    for n in range(40):
        (root / f"content/stories/story-{n}.md").write_text(front + "\n---\n" + body + scenes)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    seen: list[tuple[int, int, bool]] = []

    def probe(doc, cache):   # in the worker: its scenes parsed, and its collections so far, handed back as a row
        _prepare_story(doc, cache)
        cache.put(f"probe:{doc.path}", [os.getpid(), gc.get_stats()[0]["collections"], gc.isenabled()])

    diags = Diagnostics()
    found = [f for f in discover(root, diags) if not f.refused]
    cache = ParseCache(root)
    documents = workers.load_documents(found, diags, cache, workers=2, prepare=probe)
    assert sum(doc is not None and doc.kind == "story" for doc in documents) == 41
    for file in found:
        row = cache.get(f"probe:{file.rel}")
        assert row is not None, f"{file.rel} was not parsed in the pool"
        seen.append(tuple(row))
    assert len({pid for pid, _, _ in seen}) >= 1 and all(on for _, _, on in seen), "the worker's collector was off"
    made = {pid: max(n for p, n, _ in seen if p == pid) - min(n for p, n, _ in seen if p == pid) for pid, _, _ in seen}
    assert sum(made.values()) <= 5, f"the workers' young generation was collected {made} times for 41 stories"


def test_a_cold_check_does_not_look_up_answers_its_store_cannot_hold(tmp_path, monkeypatch):
    """A cold check's parse cache is read whole before the pool starts, and holds
    nothing: each of its ~21,500 validations, sheets and analyses at 10,000 heroes was
    looked up in it first, to miss (~0.1 CPU-s of the main thread the parse pool waits
    for: docs/performance.md check31). They are not; a warm check still takes every
    answer from the store, and reports the same."""
    from pipeline.engine.builder import BuildReport, check
    from pipeline.queries import Queries
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    looked = counted_calls(monkeypatch, Queries, "_load")
    cold, table = Diagnostics(), Queries()
    world = check(root, cold, BuildReport(), queries=table)
    assert table.computed.get("validate", 0) >= len(world.entries()) >= 4
    assert looked == [], f"a cold check looked up {len(looked)} answers in a store that held none"
    warm, again = Diagnostics(), Queries()
    check(root, warm, BuildReport(), queries=again)
    assert warm.items == cold.items
    assert again.stored.get("validate", 0) == table.computed["validate"] and not again.computed.get("validate")
