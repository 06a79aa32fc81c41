"""`foundry check` as CI and people see it: GitHub annotations, JSON, text with a code
frame, colour only on a terminal, and exit codes that mean something."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from support import REPO, foundry

from .helpers import copy_root, invoke, line_of

ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(HF\d{4})([^:]*)::(.+)$")


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    return copy_root("invalid-unknown-references", tmp_path_factory.mktemp("formats"))


def test_json_lists_every_diagnostic_with_its_place(references):
    run = invoke("check", "--format", "json", "--project", str(references))
    assert run.exit_code == 1
    payload = json.loads(run.stdout)
    diags = payload["diagnostics"]
    assert payload["errors"] == sum(d["severity"] == "error" for d in diags) == 9
    assert payload["warnings"] == sum(d["severity"] == "warning" for d in diags) == 0
    counts = {kind: payload["counts"][kind] for kind in ("heroes", "characters", "quests", "stories", "templates")}
    assert counts == {"heroes": 1, "characters": 1, "quests": 2, "stories": 1, "templates": 1}
    for d in diags:
        assert set(d) == {"severity", "code", "title", "message", "file", "line", "column", "hint"}
        assert re.fullmatch(r"HF\d{4}", d["code"]) and d["line"] >= 1 and d["column"] >= 1
        assert (references / d["file"]).is_file()
    keys = [(d["file"], d["line"], d["column"], d["code"]) for d in diags]
    assert keys == sorted(keys)


def test_github_annotations_match_the_json(references):
    run = invoke("check", "--format", "github", "--project", str(references))
    assert run.exit_code == 1
    parsed = [ANNOTATION.match(line) for line in run.stdout.splitlines()]
    assert all(parsed), run.stdout
    annotations = {(m[2], int(m[3]), int(m[4]), m[5], m[1]) for m in parsed}
    payload = json.loads(invoke("check", "--format", "json", "--project", str(references)).stdout)
    level = {"error": "error", "warning": "warning", "info": "notice"}
    assert annotations == {(d["file"], d["line"], d["column"], d["code"], level[d["severity"]])
                           for d in payload["diagnostics"]}
    scene = next(m for m in parsed if m[5] == "HF0304")
    assert scene[6] == " unknown scene"  # the code's title follows the code
    assert scene[7] == "choice 'Follow the lantern' leads to unknown scene 'lanturn' — Did you mean 'lantern'?"


def test_text_shows_the_line_with_a_caret_under_the_column(tmp_path):
    root = copy_root("invalid-formula-syntax", tmp_path)
    run = foundry("check", "--project", str(root))  # a real process: stdout and stderr apart
    assert run.code == 1 and run.stdout == ""
    lines = run.stderr.splitlines()
    headers = [i for i, line in enumerate(lines) if re.match(r"^\S+:\d+:\d+: (error|warning)", line)]
    assert len(headers) == 3
    for i in headers:
        path, line, col = re.match(r"^(\S+):(\d+):(\d+):", lines[i]).groups()
        frame, caret = lines[i + 1], lines[i + 2]
        gutter = f"{int(line):>5} | "
        assert frame == gutter + line_of(root, path, int(line))
        assert caret.index("^") == len(gutter) + int(col) - 1
    assert "schemas/attributes.yaml:8:61: error HF0601 formula for 'max_hp': expected a value but found '*'" in lines
    assert lines[-1] == "3 errors, 0 warnings."
    assert "\x1b[" not in run.stderr


def test_the_caret_stands_under_the_column_in_a_line_of_wide_characters(project_factory):
    """A Japanese choice's unknown target: the caret was placed by counting characters,
    so it stood under the middle of the Japanese words, nine cells left of the target
    named; a decomposed accent (e + U+0301, as macOS saves names) put it one cell right.
    A terminal gives a CJK character two cells and a combining mark none, and a symbol
    in its emoji form (followed by VS16, '⚔️') two."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert "- [Wait for the fog to lift](#wait)" in text
    story.write_text(text.replace("- [Wait for the fog to lift](#wait)",
                                  "- [霧が晴れるのを待つ](#wiat)\n- [Cafe\u0301 now](#waitt)\n"
                                  "- [\u2694\ufe0f Fight](#wiatt)"), encoding="utf-8")
    run = foundry("check", "--project", str(root))
    lines = run.stderr.splitlines()
    carets = {}
    for i, line in enumerate(lines):
        found = re.match(r"^content/stories/first-story\.md:(\d+):(\d+): error HF0304", line)
        if found:
            gutter = f"{int(found.group(1)):>5} | "
            assert lines[i + 1].startswith(gutter)
            carets[lines[i + 1][len(gutter):]] = (int(found.group(2)), lines[i + 2].index("^") - len(gutter))
    # (column as characters, caret as terminal cells before it)
    # (crossed swords with VS16, its emoji form: two cells, as a terminal draws it)
    assert carets == {"- [霧が晴れるのを待つ](#wiat)": (16, 3 + 9 * 2 + 3), "- [Cafe\u0301 now](#waitt)": (16, 3 + 8 + 3),
                      "- [\u2694\ufe0f Fight](#wiatt)": (15, 3 + 2 + 6 + 3)}, lines


def test_the_hero_sheets_columns_line_up_with_wide_labels(project_factory):
    """`foundry hero`'s derived stats are a column of the rule book's names padded to 14
    characters: a Japanese name ('体力', four cells) pushed its value two cells right of
    the column for each character."""
    root = project_factory()
    rules = root / "schemas/attributes.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "{name: Hit points," in text
    rules.write_text(text.replace("{name: Hit points,", "{name: 体力,"), encoding="utf-8")
    run = foundry("hero", "first-hero", "--project", str(root))
    assert run.code == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith(("  体力", "  Defense"))]
    assert rows == ["  体力" + " " * 10 + f"{int(rows[0].split()[-1]):>4}", "  Defense" + " " * 7 +
                    f"{int(rows[1].split()[-1]):>4}"], rows


def _on_a_terminal(args: list[str], env: dict) -> str:
    """Run foundry with stderr on a pseudo-terminal; return what it wrote there."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], stdout=subprocess.DEVNULL, stderr=child,
                            env=env, cwd=REPO)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_no_color(references):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["check", "--project", str(references)]
    assert "\x1b[31merror\x1b[0m" in _on_a_terminal(args, env)
    assert "\x1b[" not in _on_a_terminal(args, {**env, "NO_COLOR": "1"})
    piped = invoke(*args, env={"NO_COLOR": None})  # not a terminal
    assert "HF0304" in piped.stderr and "\x1b[" not in piped.stderr


def test_exit_codes(tmp_path, monkeypatch):
    clean = copy_root("minimal", tmp_path)
    assert invoke("check", "--project", str(clean)).exit_code == 0
    nowhere = tmp_path / "not-a-project"
    nowhere.mkdir()
    run = foundry("check", cwd=nowhere)
    assert run.code == 2
    assert "no foundry.toml" in run.stderr and "foundry init" in run.stderr
    run = invoke("build", "--only", "json,mobi", "--project", str(clean))
    assert run.exit_code == 2 and "unknown output mobi" in run.stderr
    assert not (clean / "build").exists()
    # output names are a closed lowercase set: `JSON` is `json`, not a refusal
    run = invoke("build", "--only", "JSON", "--project", str(clean))
    assert run.exit_code == 0, run.stderr
    assert (clean / "build" / "api" / "v1" / "manifest.json").is_file()


def test_strict_turns_a_warning_into_an_error(tmp_path):
    root = copy_root("minimal", tmp_path)
    (root / "content" / "notes.txt").write_text("Ideas for the next story.\n")
    result = invoke("check", "--project", str(root), "--format", "json")
    assert result.exit_code == 0
    assert [(d["code"], d["severity"], d["file"]) for d in json.loads(result.stdout)["diagnostics"]] == \
        [("HF0105", "warning", "content/notes.txt")]
    assert invoke("check", "--project", str(root), "--strict").exit_code == 1
    assert invoke("build", "--project", str(root), "--only", "json", "--strict").exit_code == 1
    assert not (root / "build").exists()
    assert invoke("build", "--project", str(root), "--only", "json").exit_code == 0
    assert (root / "build" / "api" / "v1" / "manifest.json").is_file()


def test_a_file_of_countless_findings_of_one_kind_is_reported_in_bounded_lines(tmp_path):
    # A hero of 150,000 unknown attributes (1.8 MB, kilobytes in a pull request: git
    # stores every copy of it as one blob) printed 150,000 framed errors: 36 MB of CI
    # log, 54 MB of JSON, from one file. Every format shows the first SAID_PER_FILE of a
    # code in a file, then one finding for the rest; the counts and the exit status are
    # of every finding.
    from pipeline.diagnostics import SAID_PER_FILE
    root = copy_root("minimal", tmp_path)
    hero = root / "content" / "heroes" / "first-hero.yaml"
    many = SAID_PER_FILE + 50
    keys = "".join(f"  k{i}: 1\n" for i in range(many))
    hero.write_text(hero.read_text().replace("attributes: {agility: 13, constitution: 10}", "attributes:\n" + keys))
    rest = f"and 50 more like the {SAID_PER_FILE} above in this file, from here on"

    payload = json.loads(invoke("check", "--format", "json", "--project", str(root)).stdout)
    assert payload["errors"] == many
    unknown = [d for d in payload["diagnostics"] if d["code"] == "HF0309"]
    assert len(unknown) == SAID_PER_FILE + 1
    assert [d["message"] for d in unknown[:2]] == ["unknown attribute 'k0'", "unknown attribute 'k1'"]
    # the rest said at the first of them, with its hint
    assert unknown[-1]["message"] == rest
    assert unknown[-1]["line"] == hero.read_text().splitlines().index(f"  k{SAID_PER_FILE}: 1") + 1 and "schemas/attributes.yaml" in unknown[-1]["hint"]

    run = invoke("check", "--format", "github", "--project", str(root))
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert len(lines) == SAID_PER_FILE + 1 and all(ANNOTATION.match(line) for line in lines)
    assert lines[-1].split("::")[-1].startswith(rest)
    # the count of all beside them on the log (GitHub draws 10 annotations of a level a step)
    assert run.stderr.strip() == f"{many} errors, 0 warnings."

    run = invoke("check", "--project", str(root))
    assert run.exit_code == 1
    said = [line for line in run.stderr.splitlines() if " error HF0309 " in line]
    assert len(said) == SAID_PER_FILE + 1 and said[-1].endswith(rest)
    assert run.stderr.rstrip().endswith(f"{many} errors, 0 warnings.")


def test_githubs_ten_annotations_a_level_show_every_file_and_a_job_summary_lists_all(tmp_path):
    # GitHub draws the first 10 annotations of each level a step on the diff. A hero of
    # 150 unknown attributes printed first took all ten: the character's unknown field
    # and the other hero's unknown skill (whose file name holds a `|` and backticks)
    # were on no diff, and nothing on the run's page listed them. The annotations now
    # come each file's first first (each code's first before any second), and on
    # Actions (GITHUB_STEP_SUMMARY) the job summary has a row per code in each file.
    from markdown_it import MarkdownIt
    root = copy_root("minimal", tmp_path)
    hero = root / "content" / "heroes" / "first-hero.yaml"
    text = hero.read_text()
    hero.write_text(text.replace("attributes: {agility: 13, constitution: 10}",
                                 "attributes:\n" + "".join(f"  k{i}: 1\n" for i in range(150))))
    (root / "content/heroes/rook-2.yaml").write_text(text.replace("skills: [", "skills: [nosuchskill, "))
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text() + "bogus_field: 1\n")
    odd = "content/heroes/we|ird `x`.yaml"
    (root / odd).write_text(text)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    run = invoke("check", "--format", "github", "--project", str(root), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.exit_code == 1
    errors = [m for m in map(ANNOTATION.match, run.stdout.splitlines()) if m and m[1] == "error"]
    drawn = {(m[2], m[5]) for m in errors[:10]}
    assert {("content/characters/old-guide.yaml", "HF0202"), ("content/heroes/rook-2.yaml", "HF0308"),
            ("content/heroes/first-hero.yaml", "HF0309")} <= drawn, drawn
    assert sum(m[5] == "HF0309" for m in errors) == 101   # the log still has them all (100 and the rest)

    written = summary.read_text()
    assert written.startswith("earlier step\n")          # appended to, as each step's is
    tokens = MarkdownIt("commonmark").enable("table").parse(written)
    cells, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children))
        elif token.type == "tr_close":
            cells.append(row)
            row = None
    assert cells[0] == ["file", "code", "level", "findings", "first at"]
    rows = {(r[0], r[1].split()[0]): r for r in cells[1:]}
    assert rows[("content/heroes/first-hero.yaml", "HF0309")][2:] == ["error", "150", "7:3"]
    assert rows[("content/heroes/rook-2.yaml", "HF0308")][3] == "1"
    assert rows[("content/characters/old-guide.yaml", "HF0202")][3] == "1"
    assert {r[0] for r in cells[1:]} == {"content/heroes/first-hero.yaml", "content/heroes/rook-2.yaml",
                                         "content/characters/old-guide.yaml", odd}
    payload = json.loads(invoke("check", "--format", "json", "--project", str(root)).stdout)
    heading = next(t for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open")
    assert heading.content == f"`foundry check`: {payload['errors']} errors, {payload['warnings']} warning" \
        f"{'s' * (payload['warnings'] != 1)}."


def test_the_and_n_more_line_gives_a_hint_true_of_all_it_stands_for(tmp_path):
    # The line standing for findings 101… of a code in a file carried the 101st's hint:
    # a hero whose 101st unknown attribute was `strenght` told all 50 left ("k100"…)
    # "Did you mean 'strength'?". It is their hint when they share one, else the code's.
    from pipeline.diagnostics import SAID_PER_FILE, code_info
    root = copy_root("minimal", tmp_path)
    hero = root / "content" / "heroes" / "first-hero.yaml"
    keys = [f"k{i}" for i in range(SAID_PER_FILE)] + ["strenght"] + [f"k{i}" for i in range(SAID_PER_FILE, 150)]
    hero.write_text(hero.read_text().replace("attributes: {agility: 13, constitution: 10}",
                                             "attributes:\n" + "".join(f"  {k}: 1\n" for k in keys)))
    payload = json.loads(invoke("check", "--format", "json", "--project", str(root)).stdout)
    unknown = [d for d in payload["diagnostics"] if d["code"] == "HF0309"]
    assert unknown[-1]["message"].startswith("and 51 more like")
    assert unknown[-1]["line"] == hero.read_text().splitlines().index("  strenght: 1") + 1
    assert "strength" not in unknown[-1]["hint"].split("Known here")[0], unknown[-1]["hint"]
    assert unknown[-1]["hint"] == code_info("HF0309").hint
    # the rest of one hint keep it (the test above: `Known here: …`)
    keys.remove("strenght")
    hero.write_text(hero.read_text().replace("  strenght: 1\n", "  k150: 1\n"))
    again = json.loads(invoke("check", "--format", "json", "--project", str(root)).stdout)
    last = [d for d in again["diagnostics"] if d["code"] == "HF0309"][-1]
    assert last["hint"] == unknown[0]["hint"] and "Known here" in last["hint"]


def test_countless_copies_of_a_file_of_findings_are_reported_in_bounded_lines(tmp_path):
    # The cap per file bounded one file's report, not a pull request's: N copies of the
    # hero above (one blob in git, whatever N) printed N x 101 framed HF0309s. A code
    # shows SAID_PER_CODE lines in all, then one for the rest in every file; the counts
    # and the exit status are of every finding.
    from pipeline.diagnostics import SAID_PER_CODE, SAID_PER_FILE
    root = copy_root("minimal", tmp_path)
    hero = root / "content" / "heroes" / "first-hero.yaml"
    keys = "".join(f"  k{i}: 1\n" for i in range(SAID_PER_FILE + 50))
    text = hero.read_text().replace("attributes: {agility: 13, constitution: 10}", "attributes:\n" + keys)
    copies = SAID_PER_CODE // (SAID_PER_FILE + 1) + 2   # 11 files' lines past the cap
    for n in range(copies):
        (hero.parent / f"copy-{n:02}.yaml").write_text(text)
    every = copies * (SAID_PER_FILE + 50)

    payload = json.loads(invoke("check", "--format", "json", "--project", str(root)).stdout)
    assert payload["errors"] == every
    unknown = [d for d in payload["diagnostics"] if d["code"] == "HF0309"]
    assert len(unknown) == SAID_PER_CODE + 1
    shown_files = SAID_PER_CODE // (SAID_PER_FILE + 1)   # whole files shown, then part of the next
    left = every - shown_files * (SAID_PER_FILE + 50) - (SAID_PER_CODE - shown_files * (SAID_PER_FILE + 1))
    assert unknown[-1]["message"].startswith(f"and {left:,} more of HF0309 in {copies - shown_files} files, from here on")
    assert unknown[-1]["file"] == f"content/heroes/copy-{shown_files:02}.yaml"

    run = invoke("check", "--project", str(root))
    assert run.exit_code == 1
    said = [line for line in run.stderr.splitlines() if " error HF0309 " in line]
    assert len(said) == SAID_PER_CODE + 1 and f"and {left:,} more of HF0309" in said[-1]
    assert run.stderr.rstrip().endswith(f"{every} errors, 0 warnings.")


def test_serves_overlay_shows_countless_findings_as_the_reports_do(tmp_path):
    # `foundry serve` told each open page every error of the build (its overlay's list):
    # the hero above was 150,000 items made into one event again at every wake of every
    # page's stream. The pages get what the reports show and the count of all.
    from pipeline.diagnostics import SAID_PER_FILE
    from pipeline.serve.server import LiveState, Rebuilder
    root = copy_root("minimal", tmp_path)
    hero = root / "content" / "heroes" / "first-hero.yaml"
    many = SAID_PER_FILE + 50
    keys = "".join(f"  k{i}: 1\n" for i in range(many))
    hero.write_text(hero.read_text().replace("attributes: {agility: 13, constitution: 10}", "attributes:\n" + keys))
    state, log = LiveState(), []
    Rebuilder(root, ["json"], state, log.append).run("first build")
    shown = state.snapshot()
    assert shown["errors"] == many
    assert len(shown["problems"]) == SAID_PER_FILE + 1 and {p["code"] for p in shown["problems"]} == {"HF0309"}
    assert shown["problems"][-1]["message"] == f"and 50 more like the {SAID_PER_FILE} above in this file, from here on"
    assert shown["problems"][-1]["place"].startswith("content/heroes/first-hero.yaml:")
    # (the page's title says the count: tests/serve/test_live_reload.py)


def test_a_finding_about_the_machine_is_an_annotation_on_no_file(tmp_path):
    # HF0745 (a build that keeps nothing: no home folder, as CI containers' users have),
    # like no libyaml or no Pango, is about the machine: its GitHub annotation named a file
    # `<environment>` (`world/<environment>` for a project in a subfolder), none there.
    root = copy_root("minimal", tmp_path)
    run = invoke("build", "--project", str(root), "--only", "json", "--format", "github",
                 env={"HOME": str(tmp_path / "nonexistent"), "XDG_CACHE_HOME": ""})
    assert run.exit_code == 0, run.output
    [said] = [line for line in run.stdout.splitlines() if "HF0745" in line]
    assert said.startswith("::notice title=HF0745 ") and "file=" not in said.split("::")[1], said


def test_a_value_of_a_megabyte_a_finding_names_is_said_in_bounded_words(tmp_path):
    # A choice to a scene id of 1 MB and a prose link to a page of that name each printed
    # the megabyte in their message (HF0304, HF0721): one line of a pull request's filled
    # the CI log. The places that echo them clip them, and no finding's message or hint
    # says more than MAX_SAID characters, whatever place forgot to.
    huge = "q" * 300_000
    root = copy_root("minimal", tmp_path)
    story = root / "content" / "stories" / "first-story.md"
    story.write_text(story.read_text().replace("(#wait)", f"(#{huge})")
                     .replace("The lantern bobs ahead.", f"The lantern [x]({huge}.html) bobs [y](#{huge}) ahead."))
    run = invoke("check", "--format", "json", "--project", str(root))
    said = json.loads(run.stdout)["diagnostics"]
    assert {"HF0304", "HF0721"} <= {d["code"] for d in said}, said
    for d in said:
        assert len(d["message"]) < 400 and len(d["hint"]) < 400, (d["code"], d["message"][:200])
    assert len(invoke("check", "--project", str(root)).stderr) < 5000
    from pipeline.diagnostics import MAX_SAID, Diagnostic, Severity, Span
    backstop = Diagnostic(Severity.ERROR, "HF0304", "m" * 10 ** 6, Span("a.md"), "h" * 10 ** 6)
    assert len(backstop.message) == len(backstop.hint) == MAX_SAID and backstop.message.endswith("…")
