"""Fuzzing the importers (Twine 2 HTML, Twee 3 in SugarCube and Harlowe, ink) and the
writer behind them, as tests/foundation/test_fuzz.py fuzzes the parsers content reaches
first: random text, each grammar's special pieces strung together, and real stories
(tests/importing/stories) with a few random edits. Whatever comes in, the outcome is
an imported story written as text, or NotImported with the error that says why, and
only registered diagnostics with a file — never another exception (the CLI's `guarded`
turns one into "internal error", which content must never cause). And a story the
import wrote without a word (or with notes only) is one `foundry check`'s reader of a
story (load_story, in the minimal project whose hero names the import is given) reads
without an error: a hundred `and`s were imported as clean and refused by check (HF0601).

Example counts are modest so the suite stays fast (about 2 s); to search harder, run it
with FOUNDRY_FUZZ_EXAMPLES=5000 (and another `--hypothesis-seed`)."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics, Severity, all_codes
from pipeline.importers import story_text
from pipeline.importers.ink import import_ink
from pipeline.importers.model import NotImported
from pipeline.importers.twine import import_twine
from pipeline.load.documents import load_document
from pipeline.load.files import FoundFile
from pipeline.rules import load_rule_book
from pipeline.stories.story import load_story
from fuzzing import mutated, pieces_text
from support import ROOTS

EXAMPLES = int(os.environ.get("FOUNDRY_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGISTERED = {info.code for info in all_codes()}
STORIES = Path(__file__).resolve().parent / "stories"
BOOK = load_rule_book(ROOTS / "minimal", Diagnostics())
HERO_NAMES, SKILLS = frozenset(BOOK.hero_scope().names), frozenset(BOOK.skills)

SEEDS_TWEE = sorted(p.read_text(encoding="utf-8") for p in STORIES.glob("*.twee"))


def archive(twee: str) -> str:
    """A Twine 2 archive of a Twee 3 text as Twine writes one (passage text HTML-escaped),
    whatever the text holds (make_archive.py's needs a whole, valid StoryData)."""
    passages, data = [], {}
    for chunk in re.split(r"^:: ?", twee, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n")
        name = head.split(" [")[0].split(" {")[0].strip()
        if name == "StoryData":
            try:
                data = json.loads(body)
            except ValueError:
                data = {}
        elif name != "StoryTitle":
            passages.append((name, body))
    data = data if isinstance(data, dict) else {}
    out = [f'<tw-storydata name="Fuzz" startnode="1" format="{html.escape(str(data.get("format", "SugarCube")))}" '
           f'format-version="{html.escape(str(data.get("format-version", "2.36.1")))}" ifid="A" hidden>']
    out += [f'<tw-passagedata pid="{pid}" name="{html.escape(name)}" tags="" position="{pid}00,100">'
            f'{html.escape(body, quote=False)}</tw-passagedata>' for pid, (name, body) in enumerate(passages, 1)]
    return "\n".join([*out, "</tw-storydata>"])


SEEDS_HTML = sorted([*(p.read_text(encoding="utf-8") for p in STORIES.glob("*.html")), *map(archive, SEEDS_TWEE)])
SEEDS_INK = sorted(p.read_text(encoding="utf-8") for p in STORIES.glob("*.ink"))

# Pieces common to every format: line ends, marks and sizes that break assumptions.
ODD = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x00", "\ufeff", "\u200f", "\u202e", "\u200d", "\t", " ",
       "\\", "9" * 40, "-" * 3, "x" * 300, "(" * 60, "[" * 60, "{" * 60, "<" * 40, "1e999", "&amp;", "&#0;",
       "&#x110000;", "&lt;", "&gt;", "&quot;", "&", ";", "\"", "'"]
TWEE_PIECES = ODD + ["[[", "]]", "->", "<-", "|", "<<", ">>", "<<set ", "$x", "_x", " to ", "<<if ", "<<elseif ",
                     "<<else>>", "<</if>>", "<<link ", "<<goto ", "<<include ", "<html>", "</html>", "<script>",
                     "</script>", "(set:", "(if:)[", "(else:)[", "(link-goto:", "(go-to:", "(print:", " to ", ")[",
                     "]", "[", ")", "(", "{{{", "}}}", "\"\"\"", "/*", "*/", "<!--", "-->", "//", "''", "==",
                     "\n:: ", ":: ", " [tag]", " [", " {\"position\":\"1,1\"}", " {", "}", "\n:: StoryTitle\n",
                     "\n:: StoryData\n", "{\"ifid\":\"A\",\"format\":\"Harlowe\",\"format-version\":\"3.3.8\"}",
                     "{\"ifid\":\"A\",\"format\":\"SugarCube\",\"format-version\":\"2.36.1\",\"start\":\"",
                     "\"start\":", "\"tag-colors\":{", "\n:: StoryInit\n", " [script]", " [stylesheet]",
                     "|lbl>[", "]<lbl|", "?lbl", "(hook:", "$x's ", "it", "@", "#", "%", "+ 1", "gte", "neq"]
HTML_PIECES = TWEE_PIECES + ["<tw-storydata ", "</tw-storydata>", "<tw-passagedata ", "</tw-passagedata>",
                             " name=\"", " pid=\"", " startnode=\"", " format=\"", " format-version=\"",
                             " tags=\"", " position=\"", "\">", ">", "<style>", "</style>", "<![CDATA[", "]]>",
                             "<!DOCTYPE html>", "<meta charset=\"latin-1\">", "<tw-tag ", "&lt;&lt;", "&gt;&gt;"]
INK_PIECES = ODD + ["===", "=== k ===", "\n=== k ===\n", "\n= s\n", "=", "*", "* ", "**", "+", "+ ", "-", "- ",
                    "--", "->", "-> ", "-> END", "-> DONE", "->->", "<-", "<>", "{", "}", "|", ":", "~ ",
                    "~ x = ", "~ x += 1", "VAR ", "VAR x = ", "CONST ", "CONST c = 1", "LIST ", "LIST l = a, (b)",
                    "INCLUDE ", "EXTERNAL ", "#", "# tag", "//", "/*", "*/", "\\", "[", "]", "(", ")", "(lbl)",
                    "{x:", "{x", "{&", "{~", "{!", "{stopping:", "{ - ", "else:", "true", "false", "not ", "&&",
                    "||", "==", "!=", ">=", "TURNS_SINCE(", "RANDOM(", "x", "k", "k.s", "\"", "TODO:"]


TWEE_HEAD = (":: StoryTitle\nFuzz\n\n:: StoryData\n{\"ifid\":\"A\",\"format\":\"%s\",\"format-version\":\"%s\","
             "\"start\":\"Start\"}\n\n:: Start\n")
SUGARCUBE = TWEE_HEAD % ("SugarCube", "2.36.1")
HARLOWE = TWEE_HEAD % ("Harlowe", "3.3.8")


def imports(importer, text: str, path: str) -> None:
    """The import command's in-process path (commands/import_.py): import, then write
    the story file; only NotImported (with an error said) may stop it."""
    diags = Diagnostics()
    try:
        story = importer(text, path, diags, hero_names=HERO_NAMES, skills=SKILLS)
    except NotImported:
        assert diags.errors, "refused without a word"
        story = None
    if story is not None:
        dropped: list[str] = []
        markdown = story_text(story, Path(path).name, dropped)
        assert isinstance(markdown, str) and markdown.startswith("---\n")
        if all(d.severity is Severity.INFO for d in diags.items):
            assert not checked(markdown), (checked(markdown), markdown[:2000])
    assert all(d.code in REGISTERED and d.span.path for d in diags.items), \
        [(d.code, d.span.path) for d in diags.items]


# What check says of the story's shape, which the import carries over as the source has
# it (no ending, a loop with no way out, a scene no choice reaches): not a translation's
# fault, and not said at the import (docs/importing.md)
SHAPE_OF_THE_SOURCE = {"HF0504", "HF0505", "HF0506", "HF0507", "HF0508", "HF0509"}


def checked(markdown: str) -> list[str]:
    """The errors `foundry check`'s reader of a story says of `markdown` (minimal project)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        path.write_text(markdown, encoding="utf-8")
        diags = Diagnostics()
        load_story(load_document(FoundFile("story", "fuzz", path, "content/stories/fuzz.md"), diags), BOOK, diags)
        return [f"{d.code} {d.message}" for d in diags.errors if d.code not in SHAPE_OF_THE_SOURCE]


# --- Twine: Twee 3 (SugarCube and Harlowe) ------------------------------------------------

@FUZZ
@given(st.one_of(st.text(max_size=300), mutated(SEEDS_TWEE, TWEE_PIECES),
                 pieces_text(TWEE_PIECES, 50).map(lambda body: SUGARCUBE + body),
                 pieces_text(TWEE_PIECES, 50).map(lambda body: HARLOWE + body)))
@example(SUGARCUBE + "<html></html>[[Next]]")
@example("::\r\x1f<")   # a control character str.lstrip calls white space, set as lxml text
@example(SUGARCUBE + "<<set $x to 1>><<if " + " and ".join(["$x"] * 101) + ">>[[Go|Start]]<</if>>")  # HF0601 at check
def test_the_twee_importer_never_raises(text):
    imports(import_twine, text, "fuzz.twee")


# --- Twine 2 HTML (archive or published) --------------------------------------------------

@FUZZ
@given(st.one_of(mutated(SEEDS_HTML, HTML_PIECES),
                 pieces_text(HTML_PIECES, 50).map(lambda body: archive(SUGARCUBE + body)),
                 pieces_text(HTML_PIECES, 50).map(lambda body: archive(HARLOWE + body)),
                 pieces_text(HTML_PIECES, 30).map(lambda t: f"<tw-storydata name=\"F\" startnode=\"1\" "
                                                            f"format=\"SugarCube\">{t}</tw-storydata>")))
@example(archive(SUGARCUBE + "\x0c<<<<"))
def test_the_twine_html_importer_never_raises(text):
    imports(import_twine, text, "fuzz.html")


# --- ink -------------------------------------------------------------------------------------

@FUZZ
@given(st.one_of(st.text(max_size=300), mutated(SEEDS_INK, INK_PIECES), pieces_text(INK_PIECES, 60)))
@example("VAR x = 1\nHello.\n+ {" + " and ".join(["x"] * 101) + "} [Go] -> END\n")   # HF0601 at check
def test_the_ink_importer_never_raises(text):
    imports(import_ink, text, "fuzz.ink")
