"""The parse cache keeps each file's whole load result (document, positions, every
problem found) and each story's analysis: a warm `check` gives exactly the World and
the diagnostics a cold one gives, without parsing, hygiene-checking or exploring
again; and a cache row that this machine did not write, or that is not in the shape
it writes, is ignored (the value is computed afresh). Times live in benchmarks/."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import BuildReport, check
from pipeline.load import documents
from pipeline.load.cache import CACHE_DIR
from pipeline.resolve import analyses
from support import parse_cache_rows, rewrite_parse_cache

# Problems of every kind a cached file must still report: YAML errors, hygiene
# warnings and errors (in names and in prose), validation, a story whose analysis
# finds an unreachable scene and a choice no one can take.
FILES = {
    "content/heroes/zz-unreadable.yaml": "name: [unclosed\n",
    "content/heroes/zz-control.yaml": "name: Zed\nbackground: \"a bell\\e rings\"\n",
    "content/heroes/zz-bidi.yaml": "name: \"Ze\u202ed\"\nbackground: \"A\u200b zero-width space.\"\n",
    "content/heroes/zz-empty.yaml": "# nothing here\n",
    "content/heroes/zz-unknown.yaml": "name: Una\nstrenght: 3\n",
    "content/heroes/zz-range.yaml": "name: Ranger\nattributes: {agility: 99}\n",
    "content/stories/zz-open.md": "---\ntitle: Open\n",
    "content/stories/zz-island.md": (
        "---\ntitle: Island\nstart: a\nprotagonist: first-hero\nvariables: {coins: 1}\n---\n\n"
        "## A {#a}\n\nText with a\u202e flip.\n\n"
        "- [Rich](#b){if=\"coins >= 5\"}\n- [On](#c)\n\n"
        "## B {#b .ending}\n\nRich.\n\n## C {#c .ending}\n\nOn.\n\n## Island {#island .ending}\n\nNobody.\n"),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    from support import ROOTS
    root = tmp_path_factory.mktemp("check-cache") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel, text in FILES.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def checked(root) -> tuple[list, list, int]:
    """(diagnostics, the World as plain data, values taken from the cache) of one
    in-process `check`."""
    diags, report = Diagnostics(), BuildReport()
    world = check(root, diags, report)
    entities = [(e.kind, e.id, e.doc.data, e.doc.positions.values, e.doc.positions.keys, e.doc.body,
                 e.doc.body_line, e.doc.source.sha256, repr(e.model), dict(e.inline_html)) for e in world.entries()]
    derived = [sorted(world.broken), sorted(world.salvaged), repr(sorted(world.sheets.items())),
               repr(sorted(world.story_reports.items())), repr(world.relationships), repr(sorted(world.appearances.items()))]
    # every field of every diagnostic, end column included, in the order reported
    problems = [(d.severity, d.code, d.message, d.span, d.hint) for d in diags.items]
    return problems, entities + derived, report.counts["parsed_from_cache"]


def _forbid(monkeypatch) -> None:
    """A warm run must take documents and analyses from the cache: parsing, the
    hygiene check and the story exploration fail the test if they run."""
    def refuse(*args, **kwargs):
        raise AssertionError("recomputed although it was cached")
    monkeypatch.setattr(documents, "_parse_document", refuse)
    monkeypatch.setattr(analyses, "analyse", refuse)


@pytest.fixture(scope="module")
def cold(root):
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    return checked(root)


def test_cold_run_reports_every_kind_of_problem_it_caches(cold):
    codes = {code for _, code, *_ in cold[0]}
    # YAML, hygiene (control, bidi, zero-width), empty file, unknown field, range,
    # unclosed front matter, unreachable endings, a choice no player can take
    assert codes >= {"HF0101", "HF0131", "HF0132", "HF0104", "HF0202", "HF0404", "HF0114", "HF0509", "HF0505"}, codes
    assert cold[2] == 0


def test_a_warm_check_is_the_cold_one_without_recomputing(root, cold, monkeypatch):
    checked(root)                       # fills the cache (the cold fixture may have run on another copy)
    _forbid(monkeypatch)
    warm = checked(root)
    assert warm[0] == cold[0]           # the same diagnostics, warnings included, in the same order
    assert warm[1] == cold[1]           # the same World
    assert warm[2] >= len(FILES)        # and they came from the cache


_rows, _rewrite = parse_cache_rows, rewrite_parse_cache


def _forged(payload: str) -> str:
    """The same row with every problem dropped and every name replaced: what a pull
    request committing the cache would want a check to believe."""
    value = json.loads(payload)
    if isinstance(value, dict) and "problems" in value:
        value["problems"] = []
        if value.get("document"):
            value["document"]["data"]["name"] = "Forged"
    elif isinstance(value, dict) and "findings" in value:
        value["findings"] = []
    return json.dumps(value)


def test_forged_rows_are_ignored(root, cold):
    checked(root)
    rows = _rows(root)
    assert any(json.loads(p).get("problems") for _, p, _ in rows if p.startswith("{"))
    # the payload changed, the MAC kept: it no longer verifies
    _rewrite(root, [(key, _forged(payload), tag) for key, payload, tag in rows])
    assert checked(root)[:2] == cold[:2]
    # sealed with another key (another machine's, or a guessed one)
    other = b"k" * 32
    _rewrite(root, [(key, payload := _forged(p), seal.mac(other, f"cache:parsed:{key}", payload.encode()))
                    for key, p, _ in rows])
    again = checked(root)
    assert again[:2] == cold[:2]
    assert again[2] == 0


def test_a_sealed_row_in_another_shape_is_a_miss_not_a_crash(root, cold):
    """A row this machine did seal (an older foundry under a key the tool id did not
    tell apart) but in a shape this code does not read: recomputed, same result."""
    checked(root)
    secret = seal.key(root)
    shapes = [{"document": {"data": 3}}, {"problems": [[1, 2]]}, {"findings": "x", "stats": {}}, [], "text", None]
    rows = [(key, payload := json.dumps(shapes[i % len(shapes)]), seal.mac(secret, f"cache:parsed:{key}", payload.encode()))
            for i, (key, _, _) in enumerate(_rows(root))]
    _rewrite(root, rows)
    assert checked(root)[:2] == cold[:2]


def test_an_edited_story_is_analysed_again(root, cold):
    """The analysis key holds the story file: a changed story is never answered with
    the old findings."""
    checked(root)
    story = root / "content/stories/zz-island.md"
    before = story.read_text(encoding="utf-8")
    try:
        story.write_text(before.replace("- [On](#c)", "- [On](#c)\n- [Swim](#island)"), encoding="utf-8")
        problems = checked(root)[0]
        assert not [m for _, code, m, *_ in problems if code == "HF0509" and "island" in m]
        assert [m for _, code, m, *_ in cold[0] if code == "HF0509" and "island" in m]
    finally:
        story.write_text(before, encoding="utf-8")
