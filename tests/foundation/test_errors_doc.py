"""docs/errors.md and the code registry stay in step: every code has a section with a
bad example and the fix, and every section is a registered code."""

from __future__ import annotations

import re

from pipeline.diagnostics import all_codes
from support import REPO

HEADING = re.compile(r"^## (HF\d{4}) — (.+)$", re.M)


def sections() -> dict[str, tuple[str, str]]:
    text = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    out = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        assert m[1] not in out, f"{m[1]} has two sections"
        out[m[1]] = (m[2], text[m.end():end])
    return out


def test_every_registered_code_has_a_section_and_every_section_a_code():
    documented = sections()
    registered = {info.code: info for info in all_codes()}
    assert sorted(documented) == sorted(registered)
    for code, (title, _) in documented.items():
        assert title == registered[code].title, code


def test_every_section_shows_a_bad_example_and_the_fix():
    for code, (_, body) in sections().items():
        assert body.count("```") >= 2, f"{code}: no example"
        assert re.search(r"^\*\*Fix", body, re.M), f"{code}: no fix"


def test_sections_are_in_code_order():
    codes = list(sections())
    assert codes == sorted(codes)
