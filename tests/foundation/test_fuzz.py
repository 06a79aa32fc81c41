"""Fuzzing the three parsers content reaches first — the YAML loader, the story parser
and the expression parser — with random bytes, random text and mutations of real
files: whatever comes in, the only outcome is data or collected diagnostics (for the
expression parser, its ExprError, which callers turn into one), never an exception.

Example counts are modest so the suite stays fast; a failure prints the input that
caused it (hypothesis shrinks it first)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics, all_codes
from pipeline.expr import ExprError, parse_effects, parse_expression
from pipeline.load.documents import load_document
from pipeline.load.files import FoundFile
from pipeline.load.yaml import load_yaml
from pipeline.rules import load_rule_book
from pipeline.stories.scenes import parse_scenes
from pipeline.stories.story import load_story
from fuzzing import mutated, pieces_text
from support import REPO, ROOTS

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGISTERED = {info.code for info in all_codes()}

# Real files to mutate: every YAML and story of the minimal root and the sample world.
SEEDS_YAML = sorted(p.read_text(encoding="utf-8") for p in
                    [*(ROOTS / "minimal").rglob("*.yaml"), *(REPO / "content").rglob("*.yaml")])[:40]
SEEDS_STORY = sorted(p.read_text(encoding="utf-8") for p in
                     [*(ROOTS / "minimal").rglob("*.md"), *(REPO / "content" / "stories").glob("*.md")])[:12]
# Pieces that matter to each grammar, so mutations reach deep into it.
YAML_PIECES = ["\n", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object ", "!tag ", "? ", "|\n",
               ">-\n", "'", '"', "\\e", "\\u202e", "#", "---\n", "...\n", "  ", "\t", "\x00", "\x1b", "\ufeff",
               "9" * 30, "0x1F", "1e999", ".nan", "<<: ", "%YAML 1.2\n", "\r", "\u2028", "\x85"]
STORY_PIECES = ["\n", "## ", "{#x}", "{#x .ending}", "- [", "](#", ")", "{if=\"", "\" do=\"", "\"}", "`", "*",
                "<script>", "[x]: #y", "\n---\n", "> ", "1. ", "```\n", "|", "\\", "\x1b", "\u202e", "\u200d",
                "\r\n", "#" * 7, "{", "}", "=", "[", "]", "id=\"", "x" * 300]
EXPR_PIECES = ["(", ")", "+", "-", "*", "/", "%", "and ", "or ", "not ", ">=", "==", "!=", "<", "true", "false",
               "\"", "'", "gold", "skill.", "has(", "set ", "+=", "-=", ";", "1", "0.5", "9" * 40, ".", ",",
               " ", "\x00", "\u202e", "min(", "max(", "if ", "else ", "len("]


def only_diagnostics(diags: Diagnostics) -> None:
    assert all(d.code in REGISTERED and d.span.path for d in diags.items)


# --- the YAML loader ---------------------------------------------------------------------

@FUZZ
@given(st.one_of(st.text(max_size=300), pieces_text(YAML_PIECES), mutated(SEEDS_YAML, YAML_PIECES)))
@example("a: [" + "[" * 300)
@example("a: \"\\e[2J\"\nb: \"\\u202e\"\n")
def test_the_yaml_loader_never_raises(text):
    diags = Diagnostics()
    data, positions = load_yaml(text, "content/heroes/fuzz.yaml", diags)
    only_diagnostics(diags)
    if data is not None:
        assert positions.value(()) is not None


def write_file(tmp: Path, rel: str, data: bytes) -> FoundFile:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    kind = "story" if rel.endswith(".md") else "hero"
    return FoundFile(kind, path.stem, path, rel)


@FUZZ
@given(st.one_of(st.binary(max_size=300), mutated(SEEDS_YAML, YAML_PIECES).map(lambda t: t.encode("utf-8")),
                 st.binary(max_size=40).map(lambda b: b"name: " + b)))
def test_a_content_file_of_any_bytes_loads_or_is_diagnosed(tmp_path_factory, data):
    """The whole reading path: bytes → text → YAML → document → text hygiene."""
    tmp = tmp_path_factory.mktemp("bytes")
    diags = Diagnostics()
    load_document(write_file(tmp, "content/heroes/fuzz.yaml", data), diags)
    only_diagnostics(diags)


# --- the story parser ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def rules():
    diags = Diagnostics()
    book = load_rule_book(ROOTS / "minimal", diags)
    assert not diags.errors
    return book


@FUZZ
@given(st.one_of(mutated(SEEDS_STORY, STORY_PIECES),
                 pieces_text(STORY_PIECES, 60).map(lambda body: "---\ntitle: Fuzz\nstart: a\n---\n" + body),
                 st.text(max_size=400).map(lambda body: "---\ntitle: Fuzz\nstart: a\n---\n## A {#a}\n" + body)))
@example("---\ntitle: Fuzz\nstart: a\n---\n## A {#a}\n- [go](#a){if=\"(((((\" do=\"set\"}\n")
def test_the_story_parser_never_raises(tmp_path_factory, rules, text):
    tmp = tmp_path_factory.mktemp("story")
    diags = Diagnostics()
    doc = load_document(write_file(tmp, "content/stories/fuzz.md", text.encode("utf-8", "surrogatepass")), diags)
    if doc is not None:
        parse_scenes(doc, diags)
        load_story(doc, rules, diags)
    only_diagnostics(diags)


# --- the expression parser ------------------------------------------------------------------

@FUZZ
@given(st.one_of(st.text(max_size=120), pieces_text(EXPR_PIECES)))
@example("(" * 5000)
@example("not " * 5000 + "true")
@example("-" * 5000 + "1")
def test_the_expression_parser_raises_nothing_but_its_error(text):
    for parse in (parse_expression, parse_effects):
        try:
            parse(text)
        except ExprError as exc:
            assert exc.code in REGISTERED
