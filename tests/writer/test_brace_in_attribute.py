"""A `{` or `}` inside the quotes of a choice's attribute (fuzz29).

`{if="mark == '{x}'"}` and `{do="mark = 'a}b'"}` are what the docs teach (double quotes
around the value, single quotes inside), but Markdown's attributes read no brace in a
value: the block was cut at the `}` and said as "single quotes in a choice's attributes"
(HF0524), whose hint asks for exactly what the writer wrote. It is HF0542 now, at the
brace, and the build still fails on it (a choice whose condition is not read is not
published without it)."""

from __future__ import annotations

from support import diagnostics, foundry

from .test_choice_with_parentheses import _project as _with_choice


def _project(tmp_path, choice: str):
    """The minimal project with `choice` in the first scene and a text variable `mark`."""
    root, line = _with_choice(tmp_path, choice)
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert "variables:\n" in text
    story.write_text(text.replace("variables:\n", "variables:\n  mark: \"\"\n", 1), encoding="utf-8")
    return root, line + 1


def test_a_brace_in_a_quoted_attribute_value_is_named_at_the_brace(tmp_path):
    for n, choice in enumerate(("- [Wait](#wait){if=\"mark == '{x}'\"}",
                                "- [Wait](#wait){do=\"mark = 'a}b'\" id=\"w\"}")):
        root, line = _project(tmp_path / str(n), choice)
        brace = next(i for i, c in enumerate(choice) if c in "{}" and choice[:i].count('"') % 2) + 1
        run = foundry("check", "--project", str(root), "--format", "json")
        assert run.code == 1, run.stdout
        found = diagnostics(run)
        assert f"HF0542 content/stories/first-story.md:{line}:{brace}" in found, found
        assert not [d for d in found if d.startswith("HF0524")], found
        assert foundry("build", "--project", str(root), "--only", "json").code == 1


def test_braces_outside_the_quotes_are_read_as_before(tmp_path):
    root, _ = _project(tmp_path, "- [Wait](#wait){do=\"mark = '(x)'\"}")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout


def test_a_double_quote_inside_a_value_is_named_with_the_value_mended(tmp_path):
    """`{do="give "relic""}`: text in double quotes, as docs/expressions.md writes it on
    its own, inside a choice's value, which Markdown ends at the text's first quote. It
    was said as "single quotes" at the `'` the writer rightly used elsewhere in the value
    (a hint asking for what was written), as "spaces around `=`" (`mood = "bold"`) or as
    attributes that "cannot be read". Now HF0524 at the inner quote, with the line to
    copy; and a quote escaped with a backslash is told the same."""
    cases = [
        ("- [Wait](#wait){do=\"mark = 'a'; mark = \"b\"\"}", "\"b",
         "HF0524", "`{do=\"mark = 'a'; mark = 'b'\"}`"),
        ("- [Wait](#wait){do=\"mark = \"it's\"\" id=\"w\"}", "\"it",
         "HF0524", "`{do=\"mark = 'it\\'s'\" id=\"w\"}`"),
        ("- [Wait](#wait){if=\"mark != \"b\"\"}", "\"b", "HF0524", "`{if=\"mark != 'b'\"}`"),
        # a `'` delimiting a value is said at that `'`, not at one inside another value
        ("- [Wait](#wait){if=\"mark != 'b'\" do='set x'}", "'set",
         "HF0524", "`{if=\"mark != 'b'\" do=\"set x\"}`"),
        ("- [Wait](#wait){do=\"mark = \\\"b\\\"\"}", "\\", "HF0601", "`mark = 'b'`"),
    ]
    for n, (choice, at, code, mended) in enumerate(cases):
        root, line = _project(tmp_path / str(n), choice)
        run = foundry("check", "--project", str(root), "--format", "json")
        assert run.code == 1, run.stdout
        said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/first-story.md"]
        assert [(d["code"], d["line"], d["column"]) for d in said] == [(code, line, choice.index(at) + 1)], said
        assert mended in said[0]["hint"], said[0]
        # the mended line checks clean
        fixed = "- [Wait](#wait)" + mended.strip("`") if code == "HF0524" else choice.replace('\\"', "'")
        root, _ = _project(tmp_path / f"{n}-fixed", fixed.replace("set x", "mark = 'x'"))
        assert foundry("check", "--project", str(root)).code == 0, fixed
