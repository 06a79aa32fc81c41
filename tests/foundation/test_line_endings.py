"""Files saved with a carriage return alone at each line end (old Mac editors). YAML
and Markdown read it as a line break, git, editors and foundry's line numbers do not:
a story was refused as "must start with a `---` line", and a hero's errors were all
said on line 1 at column 200 with the whole file in the code frame, nothing naming the
line endings. Now the file is one HF0131 with the fix (a stray CR in a file of LF lines
stays HF0131 where it is: tests/foundation/test_text_hygiene.py), and a file that
fails to load is not reported again where it is named."""

from __future__ import annotations

import pytest

from support import foundry


@pytest.mark.parametrize("rel", ["content/stories/first-story.md", "content/heroes/first-hero.yaml"])
def test_a_file_whose_lines_end_with_cr_alone_is_one_error_naming_the_line_endings(project_factory, rel):
    root = project_factory()
    path = root / rel
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    first = text.index("\n") + 1
    path.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    errors = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in errors] == [f"HF0131 {rel}:1:{first}"]
    [found] = errors
    assert "line endings" in found["message"] and "LF" in found["hint"]
