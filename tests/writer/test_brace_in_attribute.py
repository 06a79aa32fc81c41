"""A `{` or `}` inside the quotes of a choice's attribute (fuzz29).

`{if="mark == '{x}'"}` and `{do="mark = 'a}b'"}` are what the docs teach (double quotes
around the value, single quotes inside), but Markdown's attributes read no brace in a
value: the block was cut at the `}` and said as "single quotes in a choice's attributes"
(HF0524), whose hint asks for exactly what the writer wrote. It is HF0542 now, at the
brace, and the build still fails on it (a choice whose condition is not read is not
published without it)."""

from __future__ import annotations

import time

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


# (the line as written, the quote HF0524 is said at, the line its hint gives): each given
# line checks clean. What a writer puts in text: an apostrophe they escaped, a quote they
# escaped, a backslash (a Windows path), curly quotes, and double quotes in every value.
MENDS = [
    ("{if=\"mark != \"b\"\" do=\"mark = \"c\"\"}", "\"b", "{if=\"mark != 'b'\" do=\"mark = 'c'\"}"),
    ("{if=\"mark == \"a\" or mark == \"b\"\" do=\"mark = \"c\"; mark = \"d\"\" id=\"w\"}", "\"a",
     "{if=\"mark == 'a' or mark == 'b'\" do=\"mark = 'c'; mark = 'd'\" id=\"w\"}"),
    ("{do=\"mark = \"it\\'s\"\"}", "\"it", "{do=\"mark = 'it\\'s'\"}"),
    ("{do=\"mark = \"say \\\"hi\\\"\"\"}", "\"say", "{do=\"mark = 'say \\\"hi\\\"'\"}"),
    ("{do=\"mark = \"C:\\temp\\\"\"}", "\"C:", "{do=\"mark = 'C:\\\\temp\\\"'\"}"),
    ("{do=\"mark = \"\u201chi\u201d\"\"}", "\"\u201c", "{do=\"mark = '\u201chi\u201d'\"}"),
]


def _story_with(tmp_path, choices: list[str]):
    """The minimal project whose first scene offers each of `choices` (to 'wait'), and
    the line of the first."""
    root, line = _project(tmp_path, "\n".join(f"- [Wait {n}](#wait){attrs}" for n, attrs in enumerate(choices)))
    return root, line


def test_the_line_a_double_quote_in_a_value_is_mended_to_checks_clean(tmp_path):
    """HF0524's hint gives the choice's attributes with its texts in single quotes, to copy.
    With double quotes in two values it mended the first only (the line given was the
    same error again); a writer's `\\'` became `\\\\'`, which ends the text; a backslash
    escaping nothing (`C:\\temp\\`) stayed one, an unknown escape or a text left open; and
    a curly quote in the text sent the line to the typographic-quote hint, which
    straightened it into `\"\"hi\"\"\"`. Every line given now checks clean (one check of them
    all), each said once at its first inner quote."""
    root, line = _story_with(tmp_path / "bad", [written for written, _, _ in MENDS])
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/first-story.md"]
    wanted = [("HF0524", line + n, len(f"- [Wait {n}](#wait)") + written.index(at) + 1)
              for n, (written, at, _) in enumerate(MENDS)]
    assert [(d["code"], d["line"], d["column"]) for d in said] == wanted, said
    for d, (_, _, mended) in zip(said, MENDS):
        assert f"`{mended}`" in d["hint"], (d["hint"], mended)
    # each its own id (six choices to one scene), as a writer's would be
    root, _ = _story_with(tmp_path / "mended", [mended if "id=" in mended else f'{mended[:-1]} id="w{n}"}}'
                                                for n, (_, _, mended) in enumerate(MENDS)])
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout


def test_a_long_choice_line_with_a_quote_in_its_value_is_read_in_linear_time():
    """The look for a value that swallowed the next attribute (`"gold > 1";id="glide"`)
    split a run of spaces after a quote between two `\\s*` every way: a choice line of
    40,000 characters took 25 seconds to check, 100,000 minutes."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.stories.near_misses import _attr_slip

    class Doc:
        path = "content/stories/first-story.md"

    link = "- [Go](#wait)"
    for attrs in ('{do="mark = "b"' + " " * 100_000 + '!"}', '{do="a"' + " " * 100_000 + ';!"}'):
        diags = Diagnostics()
        started = time.perf_counter()
        assert _attr_slip(Doc, 1, link + attrs, len(link), diags)
        assert time.perf_counter() - started < 2, len(attrs)
        assert [d.code for d in diags.errors] == ["HF0524"]


def test_text_in_double_quotes_holding_a_brace_is_said_as_both_slips(tmp_path):
    """`{do="mark = "a}b""}`: text in double quotes inside the value (HF0524) holding a
    brace (HF0542). Read to the first `}`, the value was left open at `"a`, and its
    `mark = ` was said as spaces around an attribute's `=` (HF0525), a slip the writer
    did not make. Now both slips, each at itself, with the value mended in the hint."""
    choices = ["{do=\"mark = \"a}b\"\"}", "{if=\"mark == \"{x}\"\" do=\"mark = \"y\"\"}"]
    root, line = _story_with(tmp_path, choices)
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["line"], d["column"], d["hint"]) for d in run.json()["diagnostics"]
            if d["file"] == "content/stories/first-story.md"]
    at = [len(f"- [Wait {n}](#wait)") for n in range(2)]
    assert [s[:3] for s in said] == [("HF0524", line, at[0] + 13), ("HF0542", line, at[0] + 15),
                                     ("HF0524", line + 1, at[1] + 14), ("HF0542", line + 1, at[1] + 15)], said
    assert "`{do=\"mark = 'a}b'\"}`" in said[0][3], said[0]
