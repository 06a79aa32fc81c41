"""A choice's words as written, read back for its HTML (Choice.html): a choice holding
`(#` (its link ends at `](#`), and one holding quotes, dashes or dots (the prose's
typography) keep the writer's markup (review27)."""

from __future__ import annotations

import shutil

from lxml import html as lxml_html

from support import ROOTS, diagnostics, foundry

CHOICE = "- [Pick (#1 <b>x</b> *best*) way](#nowhere)"


def _project(tmp_path, choice: str):
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("- [Wait for the fog to lift](#wait)", choice), encoding="utf-8")
    line = 1 + text.split("- [Wait for the fog to lift](#wait)")[0].count("\n")
    return root, line


def _built_button(tmp_path, choice: str):
    """(the project, the site's button for `choice`, a choice to scene 'wait') after a
    build of the html and ink outputs."""
    root, _ = _project(tmp_path, choice)
    run = foundry("build", "--project", str(root), "--only", "html,ink")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
    [a] = page.xpath('//li[@data-choice="road--wait"]//a')
    return root, a


def test_a_choice_with_a_parenthesised_hash_is_read_to_its_link_end(tmp_path):
    """`- [Pick (#1 <b>x</b> *best*) way](#nowhere)`: the unknown target was said at
    `1` of `(#1` (HF0304 column 11), the `<b>` after it was not warned about (HF0536),
    and the site's button lost the writer's emphasis, its words as written having been
    cut at `(#`. Now the error is at `nowhere`, the tag is said, and the button keeps
    `<em>best</em>` with the same words every text output shows."""
    root, line = _project(tmp_path, CHOICE)
    said = foundry("check", "--project", str(root), "--format", "json")
    found = diagnostics(said)
    assert f"HF0304 content/stories/first-story.md:{line}:{CHOICE.index('nowhere') + 1}" in found
    assert f"HF0536 content/stories/first-story.md:{line}:{CHOICE.index('<b>') + 1}" in found

    fixed = CHOICE.replace("#nowhere", "#wait").replace(" <b>x</b>", "")
    _, a = _built_button(tmp_path / "again", fixed)
    assert a.text_content() == "Pick (#1 best) way"
    assert [e.text for e in a.xpath("./em")] == ["best"]


def test_a_choice_with_quotes_dashes_or_dots_keeps_its_markup(tmp_path):
    """`- [Say "hi" -- *now*...](#wait)`: a choice's words get the prose's typography
    (“hi” – now…) but its HTML was rendered as a title's (straight quotes), the two
    differed, and the site's button fell back to the plain words: the writer's
    emphasis was lost from every choice holding a quote, a dash or dots."""
    root, a = _built_button(tmp_path, '- [Say "hi" -- *now*...](#wait)')
    assert a.text_content() == "Say \u201chi\u201d \u2013 now\u2026"
    assert [e.text for e in a.xpath("./em")] == ["now"]
    assert "+ [Say \u201chi\u201d \u2013 now\u2026]" in (root / "build/ink/first-story.ink").read_text(encoding="utf-8")
