"""A broken foundry.toml never hides the content's problems: every setting error is
reported, the content is still loaded and checked (with the defaults of the settings
that were refused), the exit status says failure, and nothing is built
(docs/formats.md, "When foundry.toml has errors")."""

from __future__ import annotations

import json
import os

import pytest

from .helpers import invoke, located, snapshot

BROKEN_HERO = "content/heroes/first-hero.yaml"


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "world"
    assert invoke("init", str(root)).exit_code == 0
    # the hero's YAML is broken too: its error must be reported beside the config's
    (root / BROKEN_HERO).write_text("name: [Unclosed\nstatus: draft\n", encoding="utf-8")
    return root


CONFIGS = {
    "unknown setting": ('[project]\ntitle = "W"\n[build]\ntheme = 3\n', "HF0205 foundry.toml:4:1"),
    "wrong type": ('[project]\ntitle = "W"\nlanguage = 7\n', "HF0205 foundry.toml:3:12"),
    "no title": ('[project]\nlanguage = "en"\n', "HF0205 foundry.toml:1:1"),
    "not TOML": ('[project\ntitle = "W"\n', "HF0205 foundry.toml:1:9"),
    "empty": ("", "HF0205 foundry.toml:1:1"),
    "nested too deeply": ("a = " + "[" * 40 + "]" * 40 + "\n", "HF0140 foundry.toml:1:37"),
    # dotted keys nest tables as brackets do, and tomllib's time grows with the square
    # of their parts: 50,000 on one line kept `check` busy for minutes
    "dotted key nested too deeply": ("a" + ".a" * 40 + " = 1\n", "HF0140 foundry.toml:1:66"),
    "table header nested too deeply": ('[project]\ntitle = "W"\n[' + "a." * 40 + "b]\n", "HF0140 foundry.toml:3:65"),
    # over Python's limit on digits turned into an int: tomllib raised ValueError, an internal error
    "number of 5,000 digits": ('[project]\ntitle = "W"\nseed = ' + "9" * 5000 + "\n", "HF0111 foundry.toml:3:8"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_config_error_and_content_error_are_both_reported(project, case):
    text, expected = CONFIGS[case]
    (project / "foundry.toml").write_text(text, encoding="utf-8")
    result = invoke("check", "--project", str(project), "--format", "json")
    found = located(json.loads(result.stdout))
    assert expected in found
    assert any(f.startswith(f"HF0101 {BROKEN_HERO}:") for f in found), found
    assert result.exit_code == 1

    before = snapshot(project)
    result = invoke("build", "--project", str(project), "--only", "json")
    assert result.exit_code == 1
    assert BROKEN_HERO in result.stderr and "foundry.toml" in result.stderr
    assert snapshot(project) == before
    assert not (project / "build").exists()


def test_unreadable_config_still_checks_the_content(project):
    (project / "foundry.toml").write_bytes(b"\xff\xfe[project]\n")   # a UTF-16 byte-order mark, then bytes
    found = located(json.loads(invoke("check", "--project", str(project), "--format", "json").stdout))
    assert "HF0103 foundry.toml:1:1" in found
    assert any(f.startswith(f"HF0101 {BROKEN_HERO}:") for f in found), found


def test_config_linked_outside_still_checks_the_content(project, tmp_path):
    outside = tmp_path / "outside.toml"
    outside.write_text('[project]\ntitle = "Outside"\n', encoding="utf-8")
    os.unlink(project / "foundry.toml")
    os.symlink(outside, project / "foundry.toml")
    result = invoke("check", "--project", str(project), "--format", "json")
    found = located(json.loads(result.stdout))
    assert "HF0120 foundry.toml:0:0" in found
    assert any(f.startswith(f"HF0101 {BROKEN_HERO}:") for f in found), found
    assert result.exit_code == 1


def test_a_setting_error_still_stops_one_entity_commands(tmp_path):
    # `foundry hero` works per entity, but everything is computed with the settings
    root = tmp_path / "world"
    invoke("init", str(root))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write("\ntheme = 3\n")
    result = invoke("hero", "first-hero", "--project", str(root))
    assert result.exit_code == 1
    assert "HF0205" in result.stderr and "build.theme" in result.stderr


def test_codeowners_writes_nothing_from_a_broken_config(tmp_path):
    root = tmp_path / "world"
    invoke("init", str(root))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\ntheme = 3\n\n[owners]\n"content/" = ["@team"]\n')
    result = invoke("codeowners", "--project", str(root))
    assert result.exit_code == 1
    assert "build.theme" in result.stderr
    assert not (root / ".github").exists()


def test_every_toml_syntax_error_is_reported_in_one_run(project):
    # tomllib stops at the first error: a writer with three typos needed three runs.
    # Each statement holding one is skipped and the rest parsed again
    # (load/toml_errors.py); what is left is checked as settings, at the right lines
    (project / "foundry.toml").write_text(
        '[project]\n'
        'title = "W"\n'
        'descripton = "typo"\n'        # 3: unknown setting (the statement parsed)
        'language = "en\n'             # 4: an unclosed string
        'authors = ["Ana",\n'
        '  "Ben" "Cleo",\n'            # 6: inside an array begun on line 5
        ']\n'
        'theme = "default"\n'
        '\n'
        '[build\n'                     # 10: a broken header: its table is skipped whole
        'outputs = ["json"]\n'
        '\n'
        '[build]\n'
        'outputs = ["json", "htm"]\n'  # 14: checked as a setting, at its own line
        'strict = yes\n',              # 15: not a TOML value
        encoding="utf-8")
    result = invoke("check", "--project", str(project), "--format", "json")
    payload = json.loads(result.stdout)
    config = [(d["line"], d["column"], d["message"]) for d in payload["diagnostics"] if d["file"] == "foundry.toml"]
    assert config == [
        (3, 1, "unknown setting 'project.descripton'"),
        (4, 15, "TOML syntax error: a quoted value is not closed on its line (add the closing quote)"),
        (6, 9, "TOML syntax error: Unclosed array"),
        (10, 7, "TOML syntax error: Expected ']' at the end of a table declaration"),
        (14, 20, "setting 'build.outputs.1' should be 'json', 'html', 'pdf', 'epub', 'ink' or 'twee', not 'htm'"),
        (15, 10, "TOML syntax error: `yes` is not a TOML value: yes and no are written `true` and `false`, "
                 "in lowercase"),
    ], config
    assert any(f.startswith(f"HF0101 {BROKEN_HERO}:") for f in located(payload))
    assert result.exit_code == 1


def test_a_word_processors_quotes_and_spaces_in_foundry_toml_are_named(project):
    # `title = “W”` and `[project]` + a no-break space (an editor's) were tomllib's
    # "Invalid value" / "Expected newline or end of document after a statement", with
    # the hint "a value in quotes" — it was, to the writer
    (project / "foundry.toml").write_text(
        '[project]\n'
        'title = \u201cW\u201d\n'
        'authors = [\u201cAna\u201d, \u201cBen\u201d]\n'
        'language\u202f= "en"\n'
        '[build]\u00a0\n', encoding="utf-8")
    result = invoke("check", "--project", str(project), "--format", "json")
    config = [(d["line"], d["column"], d["message"], d["hint"]) for d in json.loads(result.stdout)["diagnostics"]
              if d["file"] == "foundry.toml" and d["message"].startswith("TOML")]
    quote = "TOML syntax error: `\u201c` is a typographic quote, which TOML does not read as a quote"
    assert config == [
        (2, 9, quote, 'Write `title = "W"` with straight quotes (an editor replaced them).'),
        (3, 12, quote, 'Write `authors = ["Ana", "Ben"]` with straight quotes (an editor replaced them).'),
        (4, 9, "TOML syntax error: a U+202F NARROW NO-BREAK SPACE, which TOML does not read as a space",
         'Write `language = "en"` with ordinary spaces (an editor typed it).'),
        (5, 8, "TOML syntax error: a U+00A0 NO-BREAK SPACE, which TOML does not read as a space",
         "Write `[build]` with ordinary spaces (an editor typed it)."),
    ], config


def test_quotes_around_part_of_a_toml_value_are_kept_in_the_hint(project):
    # `title = “My World” Chronicles`: the hint took the quotes off
    # (`title = "My World" Chronicles`, followed: the next syntax error); a French
    # `« Mon monde »` kept its no-break spaces inside the straight quotes
    (project / "foundry.toml").write_text(
        '[project]\ntitle = \u201cMy World\u201d Chronicles\ndescription = \u00ab\u00a0Mon monde\u00a0\u00bb\n',
        encoding="utf-8")
    result = invoke("check", "--project", str(project), "--format", "json")
    hints = [d["hint"] for d in json.loads(result.stdout)["diagnostics"]
             if d["file"] == "foundry.toml" and d["message"].startswith("TOML")]
    assert hints == ['Put the whole value in straight quotes: `title = "\u201cMy World\u201d Chronicles"`.',
                     'Write `description = "Mon monde"` with straight quotes (an editor replaced them).'], hints


def test_toml_syntax_errors_are_capped(project):
    text = '[project]\ntitle = "W"\n' + "".join(f"k{n} = oops\n" for n in range(30))
    (project / "foundry.toml").write_text(text, encoding="utf-8")
    result = invoke("check", "--project", str(project), "--format", "json")
    config = [(d["line"], d["message"]) for d in json.loads(result.stdout)["diagnostics"] if d["file"] == "foundry.toml"]
    assert config[:20] == [(n + 3, f"TOML syntax error: the value of `k{n}` is not in quotes: text in foundry.toml "
                                   "is always quoted (only numbers, true and false are not)") for n in range(20)]
    assert config[20:] == [(23, "more syntax errors from here on (the first 20 are above)")]
