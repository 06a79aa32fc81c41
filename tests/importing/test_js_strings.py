"""pipeline/importers/js_strings.py reads a string literal's escapes as JavaScript does:
checked against JavaScript itself (node evaluating each literal, code that is not
strict, as a browser runs SugarCube's expressions), on every escape of the grammar and
on 400 random runs of them. A literal JavaScript refuses is refused; a lone surrogate,
which JavaScript keeps and no UTF-8 file can hold, is refused too."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

from support import require_tool

from pipeline.importers.js_strings import JsStringError, js_string_value

PIECES = ["\\n", "\\r", "\\t", "\\b", "\\f", "\\v", "\\0", "\\00", "\\08", "\\1", "\\12", "\\123", "\\377", "\\400",
          "\\8", "\\9", "\\x41", "\\x4g", "\\u00e9", "\\u{1F600}", "\\u{0}", "\\u{110000}", "\\ud83d", "\\ude00",
          "\\ud83d\\ude00", "\\'", '\\"', "\\\\", "\\q", "\\\n", "\\\r\n", "\\\u2028", "\\\u2029", "a", "é", "\u2028",
          "\\u", "\\x", "\\u{}", "\\u{12", "\\uD800\\u0041"]
EVALUATE = ("const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
            "console.log(JSON.stringify(cases.map(c => { try { return Array.from(eval('\"' + c + '\"'))"
            ".map(ch => ch.codePointAt(0)) } catch (e) { return e.name } })));")


def _ours(body: str):
    try:
        return [ord(ch) for ch in js_string_value(body)]
    except JsStringError:
        return "refused"


def test_escapes_read_as_javascript_reads_them():
    require_tool(shutil.which("node") is not None, "node")
    rng = random.Random(7)
    cases = PIECES + ["".join(rng.choice(PIECES) for _ in range(4)) for _ in range(400)]
    theirs = json.loads(subprocess.run(["node", "-e", EVALUATE], input=json.dumps(cases), capture_output=True,
                                       text=True, check=True, timeout=60).stdout)
    wrong = []
    for case, value in zip(cases, theirs):
        if value == "SyntaxError" or (isinstance(value, list) and any(0xD800 <= c <= 0xDFFF for c in value)):
            value = "refused"
        if _ours(case) != value:
            wrong.append((case, _ours(case), value))
    assert wrong == [], wrong[:10]
    assert _ours("caf\\u00e9 \\x41\\u{1F600}") == [ord(c) for c in "café A😀"]   # the test read values at all


def test_a_refused_escape_is_placed_at_itself():
    """HF1007 is said at the escape's column (macros.py adds the literal's place): a lone
    surrogate after a whole pair was placed at the pair's first half, the emoji, since
    the first escape spelling any surrogate was taken for the lone one."""
    def at(body: str) -> int:
        try:
            js_string_value(body)
        except JsStringError as err:
            return err.offset
        raise AssertionError(f"{body!r} was read")

    assert at("\\ud83d\\ude00\\ud800") == 12
    assert at("é😀\\u{D83D}\\u{DE00}\\\r\n\\u{DE00}") == 21   # a low half after a pair and a line continuation
    assert at("\\ud83d\\ud83d\\ude00") == 0                     # a high half a high half follows
    assert at("ab\\ude00") == 2 and at("\\ud83d\\ude00 \\x4") == 13
