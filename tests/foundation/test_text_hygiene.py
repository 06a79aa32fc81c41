"""Hostile text: control, bidi and zero-width characters in file names, names and prose
are refused at their file and line (docs/formats.md, "Characters"), and nothing
foundry prints — text, GitHub annotations, JSON, library warnings — carries a raw
control character or a line that GitHub Actions would read as a workflow command."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys

import pytest
from lxml import html as lxml_html

from support import REPO, foundry

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=HF\d{4}[^:]*::[^\r\n]*$")
FORGED = "x\n::error title=Forged::All checks passed.yaml"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2028\u2029]")


def assert_clean_log(*texts: str) -> None:
    """No raw control/bidi character and no line that starts a workflow command."""
    for text in texts:
        assert not RAW.search(text), repr(text)
        for line in text.splitlines():
            assert not line.lstrip().startswith(("::", "##[")), line


def assert_annotations(run_github, run_json) -> None:
    lines = run_github.stdout.splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines), run_github.stdout
    assert len(lines) == len(run_json.json()["diagnostics"])   # exactly one line per diagnostic


def codes(run) -> list[str]:
    return [f"{d['code']} {d['file']}:{d['line']}" for d in run.json()["diagnostics"]]


# --- file names ------------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["content/heroes", "content/assets", "content/stories", "schemas",
                                    "themes/default/static"])
def test_a_file_name_with_a_newline_cannot_forge_a_workflow_command(project_factory, folder):
    root = project_factory({f"{folder}/{FORGED}": "name: Forged\n"})
    text = foundry("check", "--project", str(root))
    github = foundry("check", "--format", "github", "--project", str(root))
    as_json = foundry("check", "--format", "json", "--project", str(root))
    assert text.code == github.code == as_json.code == 1
    assert_clean_log(text.stdout, text.stderr, github.stderr, as_json.stdout)
    assert_annotations(github, as_json)
    found = as_json.json()["diagnostics"]
    assert [(d["code"], d["file"]) for d in found] == [("HF0130", f"{folder}/{FORGED}")]
    assert "content/heroes/x\\u000a::error" in text.stderr or folder != "content/heroes"
    # the build refuses it the same way and writes nothing
    build = foundry("build", "--only", "json", "--format", "github", "--project", str(root))
    assert build.code == 1 and not (root / "build").exists()
    assert_annotations(build, as_json)


def test_undecodable_and_control_character_file_names_are_reported_not_crashed_on(project_factory):
    root = project_factory()
    heroes = os.fsencode(root / "content" / "heroes")
    for name in (b"\xff\xfe.yaml", b"bell\x07.yaml", b"esc\x1b[2J.yaml", b"rlo\xe2\x80\xaegnp.yaml"):
        with open(os.path.join(heroes, name), "wb") as out:
            out.write(b"name: Odd\n")
    run = foundry("check", "--format", "json", "--project", str(root))
    text = foundry("check", "--project", str(root))
    assert run.code == text.code == 1
    assert sorted(d["code"] for d in run.json()["diagnostics"]) == ["HF0130"] * 4
    assert_clean_log(run.stdout, text.stderr)
    assert "\\u001b[2J" in text.stderr and "\\u0007" in text.stderr


def test_an_undecodable_file_name_stops_the_build_cleanly(project_factory):
    """The no-op fingerprint hashes every file name before any check: one that is not
    UTF-8 must be a refusal at the file, not an internal error (UnicodeEncodeError)."""
    root = project_factory()
    with open(os.path.join(os.fsencode(root / "content/heroes"), b"b\xff\xfe.yaml"), "wb") as out:
        out.write(b"name: Odd\n")
    run = foundry("build", "--only", "json", "--format", "json", "--project", str(root))
    assert run.code == 1, run.stderr
    assert "internal error" not in run.stderr
    assert [d["code"] for d in run.json()["diagnostics"]] == ["HF0130"]
    assert not (root / "build").exists()


def test_foundry_diff_prints_a_hostile_file_name_on_one_line(project_factory):
    """`foundry diff` (text) lists entities by id and path, both from the file name: a
    newline in it must not start a line of its own (a forged "All checks passed")."""
    root = project_factory()
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (root / "content/heroes" / "x\nAll checks passed\x1b[2J.yaml").write_text("name: Forged\n")
    run = foundry("diff", "--project", str(root))
    assert run.code in (0, 1), run.stderr
    assert "internal error" not in run.stdout + run.stderr
    assert_clean_log(run.stdout, run.stderr)
    assert [line for line in run.stdout.splitlines() if line.startswith("All checks passed")] == []
    assert "x\\u000aAll checks passed\\u001b[2J" in run.stdout


# --- names and prose -------------------------------------------------------------------

HERO = "content/heroes/first-hero.yaml"

BAD_NAMES = [
    (r'"Rook\e[31m Amsel"', "HF0131"),       # ESC
    (r'"Rook\a Amsel"', "HF0131"),           # BEL
    (r'"Rook\0 Amsel"', "HF0131"),           # NUL
    (r'"Rook\v Amsel"', "HF0131"),           # vertical tab
    (r'"Rook\f Amsel"', "HF0131"),           # form feed
    (r'"Rook\x9b2J"', "HF0131"),             # C1 CSI
    (r'"Rook\nAmsel"', "HF0131"),            # newline inside a name
    (r'"Rook\L Amsel"', "HF0131"),           # LINE SEPARATOR
    (r'"Rook\uffff Amsel"', "HF0131"),       # a noncharacter: an HTML parse error, dropped from the EPUB
    (r'"\u202eleswA kooR"', "HF0132"),       # RIGHT-TO-LEFT OVERRIDE
    (r'"Rook\u2066 Amsel"', "HF0132"),       # LEFT-TO-RIGHT ISOLATE
    (r'"Ro\u200bok"', "HF0132"),             # ZERO WIDTH SPACE
    (r'"Ro\u200dok"', "HF0132"),             # ZWJ between Latin letters: no script needs it
    (r'"Ro\u200cok"', "HF0132"),             # ZWNJ between Latin letters
    (r'"Rook\u200f"', "HF0132"),             # RLM in a name
    (r'"Ro\ufeffok"', "HF0132"),             # BOM inside text
    (r'"Ro\u00adok"', "HF0132"),             # soft hyphen
    (r'"\u3164"', "HF0132"),                 # HANGUL FILLER: a letter that draws nothing
    (r'"   "', "HF0132"),                     # shows nothing: an empty heading, an empty EPUB title
    (r'"\u0301\u0301"', "HF0132"),           # combining marks on nothing
    (r'"\u2800 \u2800"', "HF0132"),          # BRAILLE PATTERN BLANK: cells with no dots, drawn as nothing
    # character references: names are Markdown, which turns each into its character
    ('"Rook &#x202E;Amsel"', "HF0132"),      # RIGHT-TO-LEFT OVERRIDE
    ("Ro&ZeroWidthSpace;ok", "HF0132"),      # ZERO WIDTH SPACE by its HTML name
    ("Rook&#12;Amsel", "HF0131"),            # form feed (markdown-it keeps FF and CR)
]


def test_a_name_with_a_control_or_invisible_character_is_refused_at_its_line(project_factory):
    """One hero per hostile name, all in one project: each is reported at its own line."""
    root = project_factory()
    template = (root / HERO).read_text(encoding="utf-8")
    expected = []
    for number, (value, code) in enumerate(BAD_NAMES):
        rel = f"content/heroes/odd-{number}.yaml"
        (root / rel).write_text(template.replace("name: Rook Amsel", f"name: {value}"), encoding="utf-8")
        expected.append(f"{code} {rel}:2")
    (root / "content/characters/odd-guide.yaml").write_text(
        "name: Guide\ntitle: \"The \\e[5mOld\\u202e Guide\"\n", encoding="utf-8")
    expected += ["HF0131 content/characters/odd-guide.yaml:2", "HF0132 content/characters/odd-guide.yaml:2"]
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1
    assert sorted(codes(run)) == sorted(expected)
    text = foundry("check", "--project", str(root))
    github = foundry("check", "--format", "github", "--project", str(root))
    assert_clean_log(text.stderr, run.stdout)
    assert_annotations(github, run)


BAD_PROSE = [
    ("The fog \x1b]0;owned\x07 rolls in.", "HF0131"),
    ("The fog\x0b rolls in.", "HF0131"),
    ("The fog\x0c rolls in.", "HF0131"),
    ("The fog \u202erolls in.", "HF0132"),
    ("The fog \u2067rolls\u2069 in.", "HF0132"),
    ("The fog roll\u200bs in.", "HF0132"),
    ("The fog \u200frolls in.", "HF0132"),      # RLM in left-to-right prose
    ("## The \u202eFog {#fog}", "HF0132"),      # a scene title is a name
    ("The fog &#x202E;rolls in.", "HF0132"),     # character references are their characters
    ("The fog &#13; rolls in.", "HF0131"),
    ("The fog &lrm;rolls in.", "HF0132"),
    ("## The &#x2066;Fog {#fog2}", "HF0132"),
]


def test_a_field_name_with_an_invisible_mark_is_one_error(project_factory):
    """`\u200fskills:` (a right-to-left mark pasted before the key) in schemas/skills.yaml
    was HF0132 at the key, HF0202 'unknown field' at the same place, and every hero and
    template listing a skill said it was unknown (4 errors); in a hero, HF0132 and HF0202.
    The mark is the slip: HF0132 alone, and the skills the file holds are not unknown."""
    skills = (REPO / "tests/roots/minimal/schemas/skills.yaml").read_text(encoding="utf-8")
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    root = project_factory({"schemas/skills.yaml": skills.replace("skills:", "\u200fskills:", 1),
                            "content/heroes/first-hero.yaml": hero.replace("xp:", "\u200fxp:", 1)})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [f"{d['code']} {d['file']}" for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert sorted(found) == ["HF0132 content/heroes/first-hero.yaml", "HF0132 schemas/skills.yaml"], run.stdout
    assert run.code == 1


def test_an_entry_name_with_an_invisible_mark_is_one_error(project_factory):
    """A mark inside a nested key, an entry's name: '\u200btracking:' in schemas/skills.yaml
    was HF0132, HF0204 'not a valid id' at the same key, and 'unknown skill' at the skill
    and the template naming it (4 errors); '{\u200bagility: 13}' in a hero's attributes and
    a story variable '\u200bcrossed:' were HF0132 and HF0204 each. HF0132 alone at each."""
    skills = (REPO / "tests/roots/minimal/schemas/skills.yaml").read_text(encoding="utf-8")
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    assert "  tracking: {" in skills and "{agility: 13" in hero and "  crossed: false" in story
    root = project_factory({"schemas/skills.yaml": skills.replace("  tracking: {", "  \u200btracking: {", 1),
                            "content/heroes/first-hero.yaml": hero.replace("{agility: 13", "{\u200bagility: 13", 1),
                            "content/stories/first-story.md": story.replace("  crossed: false", "  \u200bcrossed: false", 1)})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(f"{d['code']} {d['file']}:{d['line']}" for d in run.json()["diagnostics"] if d["severity"] == "error")
    assert found == ["HF0132 content/heroes/first-hero.yaml:6", "HF0132 content/stories/first-story.md:10",
                     "HF0132 schemas/skills.yaml:2"], run.stdout
    assert run.code == 1


def test_a_number_with_an_invisible_mark_is_one_error(project_factory):
    """`xp: 12\u200b0` (a zero-width space typed into a number) was HF0132 at the mark and
    HF0201 'should be a whole number, not text' at the same place: the mark is the slip.
    Read as the number it was meant as, in a hero, a story's variables and a rule file;
    a quoted one stays text (two slips: the mark and the quotes)."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    rules = (REPO / "tests/roots/minimal/schemas/attributes.yaml").read_text(encoding="utf-8")
    assert "xp: 120" in hero and "constitution: 10}" in hero and "  coins: 2" in story and "max: 20, default: 8}" in rules
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("xp: 120", "xp: 12\u200b0").replace(
            "constitution: 10}", "constitution: 1\u200f0}"),
        "content/heroes/second.yaml": "name: Wren\ntemplate: scout\nxp: \"1\u200b0\"\n",
        # the common shape of a hero file, read without libyaml's events (load/yaml_plain.py)
        "content/heroes/third.yaml": "name: Kit\ntemplate: scout\nxp: 1\u200b5\n",
        "content/stories/first-story.md": story.replace("  coins: 2", "  coins: \u200b2"),
        "schemas/attributes.yaml": rules.replace("max: 20, default: 8}", "max: 2\u200b0, default: 8}", 1)})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(f"{d['code']} {d['file']}:{d['line']}" for d in run.json()["diagnostics"] if d["severity"] == "error")
    assert found == ["HF0132 content/heroes/first-hero.yaml:6", "HF0132 content/heroes/first-hero.yaml:8",
                     "HF0132 content/heroes/second.yaml:3", "HF0132 content/heroes/third.yaml:3",
                     "HF0132 content/stories/first-story.md:11",
                     "HF0132 schemas/attributes.yaml:3", "HF0201 content/heroes/second.yaml:3"], run.stdout
    assert run.code == 1
    said = {d["message"] for d in run.json()["diagnostics"] if d["file"] == "content/heroes/first-hero.yaml"}
    # a number, not prose (it said "not allowed in prose" of xp), nor "in a prose"
    assert "U+200B ZERO WIDTH SPACE in 'xp' is not allowed in a number" in said, said


def test_a_story_line_with_a_control_or_bidi_character_is_refused_at_its_line(project_factory):
    root = project_factory()
    story = root / "content/stories/first-story.md"
    lines = story.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("The lantern bobs ahead."))
    lines[start:start] = [text for text, _ in BAD_PROSE]
    story.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))   # CR LF endings are fine
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1
    found = [c for c in codes(run) if c.startswith(("HF0131", "HF0132"))]
    twice = {"The fog \x1b]0;owned\x07 rolls in.", "The fog \u2067rolls\u2069 in."}   # each character is said
    assert found == [f"{code} content/stories/first-story.md:{start + 1 + i}" for i, (line, code) in enumerate(BAD_PROSE)
                     for _ in range(2 if line in twice else 1)]
    text = foundry("check", "--project", str(root))
    github = foundry("check", "--format", "github", "--project", str(root))
    assert_clean_log(text.stderr, run.stdout)
    assert_annotations(github, run)


def _titled(project_factory, title: str):
    """`foundry check --format json` of the minimal project with foundry.toml's title
    written `title = "<title>"` (TOML's escapes as typed)."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Minimal"', f'title = "{title}"'),
                      encoding="utf-8")
    return foundry("check", "--format", "json", "--project", str(root))


def test_foundry_toml_title_with_an_escape_is_refused_at_its_line(project_factory):
    run = _titled(project_factory, "Min\\u001b]0;x\\u0007")
    assert run.code == 1 and codes(run) == ["HF0131 foundry.toml:2"] * 2   # ESC and BEL, each said


def test_a_line_break_in_foundry_tomls_title_is_told_of_foundry_toml(project_factory):
    # the hint sent the writer to "the `\n` that writes it in your YAML", a file they have none of
    run = _titled(project_factory, "The Fog\\nRoad")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0131"]
    assert said["file"] == "foundry.toml" and said["hint"].endswith("that writes it in foundry.toml."), said


SCRIPTS = {
    # Persian: ZWNJ inside a word (mi-khaham), RLM after a Latin word in RTL text
    "persian": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 Rook\u200f \u0631\u0627.",
    # Hindi: ZWJ after a virama keeps the half form
    "hindi": "\u0915\u094d\u200d\u0937",
    # Malayalam: a chillu written as <na, virama, ZWJ> ends the word (avan, "he")
    "malayalam": "\u0d05\u0d35\u0d28\u0d4d\u200d \u0d35\u0d28\u0d4d\u200d.",
    # Thai: ZERO WIDTH SPACE marks a word break Thai does not write
    "thai": "\u0e2b\u0e21\u0e2d\u0e01\u200b\u0e04\u0e25\u0e38\u0e21",
    # emoji ZWJ sequence: family
    "emoji": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    # character references that spell a visible character, or a joiner where Persian needs it
    "references": "&amp; &eacute; &#233; \u0645\u06cc&zwnj;\u062e\u0648\u0627\u0647\u0645",
    # a letter carrying what its script puts on it (HF0133 is for towers past 30 marks):
    # Vietnamese decomposed (dot below, circumflex, tilde), Thai vowel and tone mark,
    # Hebrew with vowel points, meteg and cantillation, a Tibetan stack of six
    # subjoined letters, a long vowel and a nasal sign (the Kalachakra monogram)
    "stacks": "Nguye\u0323\u0302\u0303n \u0e17\u0e35\u0e48\u0e19 \u05d1\u05bc\u05b8\u05bd\u05a3\u05e9\u05c1\u05bc\u05b8\u0591 "
              "\u0f67\u0fb9\u0fa8\u0fb3\u0fba\u0fbc\u0fbb\u0f71\u0f7e",
}


def test_prose_and_names_keep_the_invisible_characters_their_script_needs(project_factory):
    persian_name = "\u0639\u0644\u06cc\u200c\u0631\u0636\u0627"   # Ali-Reza, spelled with a ZWNJ
    background = " ".join(SCRIPTS.values())
    root = project_factory({"content/heroes/first-hero.yaml": f"""
        name: "{persian_name}"
        title: "Scout of {SCRIPTS['stacks']}"
        status: draft
        template: scout
        attributes: {{agility: 13, constitution: 10}}
        skills: [ambush]
        xp: 120
        relationships:
          - {{with: old-guide, kind: mentor}}
        background: "{background}"
        """})
    run = foundry("build", "--only", "html,json", "--format", "json", "--project", str(root))
    assert run.code == 0 and not run.json()["diagnostics"], run.stdout
    page = lxml_html.fromstring((root / "build/site/heroes/first-hero.html").read_bytes())
    text = page.text_content()
    assert persian_name in text and all(html.unescape(sample) in text for sample in SCRIPTS.values())
    assert f"Scout of {SCRIPTS['stacks']}" in text
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))
    assert persian_name in json.dumps(data, ensure_ascii=False)


def test_nothing_refused_reaches_any_output(project_factory):
    """The refusal happens before anything is written: no output of any kind has it."""
    root = project_factory()
    hero = root / HERO
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", r'name: "Rook\e]0;x\a"'),
                    encoding="utf-8")
    run = foundry("build", "--only", "json,html,ink,twee", "--project", str(root))
    assert run.code == 1 and not (root / "build").exists()
    assert "HF0131" in run.stderr
    assert_clean_log(run.stdout, run.stderr)


# --- what foundry prints ------------------------------------------------------------------

def test_library_warnings_and_log_records_are_printed_escaped(tmp_path):
    script = (
        "import logging, warnings\n"
        "from pipeline.console.terminal import capture_library_output\n"
        "capture_library_output()\n"
        "warnings.warn('bad \\x1b[2J name\\n::error::forged')\n"
        "logging.getLogger('fontTools').warning('glyph \\x07\\x00 in x\\n::warning::forged')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, proc.stderr
    assert_clean_log(proc.stderr)
    assert "\\u001b[2J" in lines[0] and "\\u0007\\u0000" in lines[1]


def test_printable_defuses_every_workflow_command_shape():
    from pipeline.console.terminal import cells, printable
    for text in ("::error::x", "  ::set-output name=a::b", "##[error]x", "a\n::add-mask::secret", "a\r::stop-commands::t"):
        for lines in (False, True):
            out = printable(text, lines=lines)
            assert not any(line.lstrip().startswith(("::", "##[")) for line in out.splitlines()), out
    assert printable("tab\tand\nline", lines=True) == "tab\tand\nline"
    assert printable("a\nb") == "a\\u000ab"
    assert json.loads(printable(json.dumps({"k": "\x9b\u202e\x1b"}, ensure_ascii=False), lines=True)) == \
        {"k": "\x9b\u202e\x1b"}
    # a joiner a script spells with, or inside an emoji, is printed as typed (`foundry play`
    # showed 'می\u200cخواهم' and '👨\u200d👩\u200d👧'); between Latin letters or at an end it is escaped
    for spelled in (SCRIPTS["persian"].split()[0], SCRIPTS["hindi"], SCRIPTS["emoji"]):
        assert printable(spelled) == spelled
    assert printable("Ro\u200dok \u200c\U0001f468\u200d") == "Ro\\u200dok \\u200c\U0001f468\\u200d"
    # and a code frame's caret counts them as drawn: no cell for a joiner, one emoji's for the family
    assert cells(printable(SCRIPTS["emoji"] + " x")) == 4 and cells(printable(SCRIPTS["persian"].split()[0])) == 7


def test_every_place_after_a_line_break_only_yaml_or_markdown_counts_stays_on_its_line(project_factory):
    # libyaml ends lines at LS/PS/NEL/lone CR, markdown-it at a lone CR; git, editors and
    # the excerpts count "\n": each diagnostic after one was a line too far down
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    lines = text.split("\n")
    fog = next(i for i, line in enumerate(lines, 1) if line.startswith("The fog comes in"))
    tracks = next(i for i, line in enumerate(lines, 1) if "[Follow them to the bank](#bank)" in line)
    story.write_text(text.replace("The fog comes in", "The fog\rcomes in").replace(
        "[Follow them to the bank](#bank)", "[Follow them to the bank](#nowhere)"), encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    xp = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("xp:"))
    hero.write_text(text.replace("name: Rook Amsel", 'name: "Rook\u2028Amsel"').replace("xp: 120", "xp: lots"),
                    encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    found = codes(run)
    assert f"HF0131 content/stories/first-story.md:{fog}" in found
    cr = next(d for d in run.json()["diagnostics"] if d["code"] == "HF0131" and d["file"].endswith(".md"))
    assert "line endings" in cr["hint"] and "YAML" not in cr["hint"]   # a story has no YAML escapes
    assert f"HF0304 content/stories/first-story.md:{tracks}" in found
    assert f"HF0201 content/heroes/first-hero.yaml:{xp}" in found


def test_every_bad_character_of_a_field_or_line_is_said_at_its_own_column(project_factory):
    """A name holding two bad character references, a prose line holding a reference
    and two raw controls, a title whose escapes hide where its characters stand: each
    was said once (the first of the field or line, the rest found one fix at a time).
    Every one now, at its column: a title's escapes where they are written (the loader
    reads the value's layout: load/yaml_layout.py)."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("name: Rook Amsel", 'name: "Rook &#x202E;Am&#12;sel"'),
        "content/stories/first-story.md": story + "\nThe fog &#x202E;rolls &#13; in \x1b x \x07.\n",
        "content/characters/odd-guide.yaml": 'name: Guide\ntitle: "The \\e[5mOld\\e Guide"\n'})
    line = len((story + "\n").split("\n"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1
    found = sorted(f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"])
    assert found == sorted([
        "HF0132 content/heroes/first-hero.yaml:2:13", "HF0131 content/heroes/first-hero.yaml:2:23",
        f"HF0132 content/stories/first-story.md:{line}:9", f"HF0131 content/stories/first-story.md:{line}:23",
        f"HF0131 content/stories/first-story.md:{line}:32", f"HF0131 content/stories/first-story.md:{line}:36",
        "HF0131 content/characters/odd-guide.yaml:2:13", "HF0131 content/characters/odd-guide.yaml:2:21"]), run.stdout
    guide = sorted(d["message"] for d in run.json()["diagnostics"] if d["file"].endswith("odd-guide.yaml"))
    assert guide == ["U+001B ESC in 'title' is a control character"] * 2   # its place says where: no number
    assert_annotations(foundry("check", "--format", "github", "--project", str(root)), run)


def test_a_line_or_field_of_many_bad_characters_says_the_first_twenty_and_one_line_for_the_rest(project_factory):
    """Every bad character of a line or field said at its column had no bound: a prose
    line of 10,000 `&#12;` was 10,000 errors. The first twenty are said, then one
    'and N more' at the twenty-first, at its column. A line of more than one kind says
    one for each kind among the rest, with its own count: the twenty-first's code alone
    put three `&#0;` (HF0134) and two overrides (HF0132) under one HF0134."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("name: Rook Amsel", "name: Rook" + "\u202ex" * 25),
        "content/stories/first-story.md": story + "\nThe fog" + " &#12;" * 25 + ".\n\nMixed"
        + " &#x202E;" * 20 + " &#0;" * 3 + " &#x202E;" * 2 + ".\n"})
    line = len((story + "\n").split("\n"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1
    found = run.json()["diagnostics"]
    for code, file, at, first, step, unit in (("HF0132", "content/heroes/first-hero.yaml", 2, 11, 2, "field"),
                                              ("HF0131", "content/stories/first-story.md", line, 9, 6, "line")):
        here = [d for d in found if d["file"] == file and d["line"] == at and d["code"] == code]
        assert [d["column"] for d in here] == [first + step * n for n in range(21)], run.stdout
        assert [d["message"] for d in here[20:]] == [f"and 5 more like the 20 above in this {unit}, from here on"]
    mixed = [(d["code"], d["column"], d["message"]) for d in found if d["line"] == line + 2]
    assert [code for code, *_ in mixed[:20]] == ["HF0132"] * 20 and mixed[20:] == [
        ("HF0134", 7 + 9 * 20, "and 3 more character references spelling no character in this line past the 20 above, "
                               "from here on"),
        ("HF0132", 7 + 9 * 20 + 5 * 3, "and 2 more invisible characters in this line past the 20 above, from here on")], \
        mixed[20:]


def test_a_line_of_many_character_references_is_judged_in_one_pass(project_factory):
    """Each reference spelling an invisible character was judged by checking the whole
    text again with it spelled: a prose line of 40,000 `&ZeroWidthSpace;a` took minutes
    (`foundry import` of a Twine story holding them did too). Judged in one pass over the
    text as Markdown renders it, within a CPU cap; and every reference is read as what it
    spells there: a `&zwnj;` between two Persian letters spelled by references is the
    joiner Persian needs, one between two Latin letters is refused."""
    from support import check_within

    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    line = len((story + "\n").split("\n"))
    root = project_factory({"content/stories/first-story.md": story
                            + "\nThe fog" + " &ZeroWidthSpace;a" * 40_000 + ".\n"
                            + "\n&#x639;&#x644;&#x6cc;&zwnj;&#x631;&#x636;&#x627; and Ro&zwnj;ok.\n"})
    run = check_within(root, 60)
    found = [d for d in json.loads(run.stdout)["diagnostics"] if d["file"] == "content/stories/first-story.md"]
    first = [d for d in found if d["line"] == line]
    assert [d["column"] for d in first[:3]] == [9, 27, 45] and len(first) == 21, first[:3]
    assert first[20]["message"] == "and 39,980 more like the 20 above in this line, from here on", first[20]
    persian = [(d["line"], d["column"]) for d in found if d["line"] == line + 2]
    assert persian == [(line + 2, 56)], found[-3:]   # Ro&zwnj;ok's, not Ali-Reza's


def test_a_run_of_tag_characters_is_judged_in_linear_time(project_factory):
    """A tag character is allowed in a flag (U+1F3F4, a subdivision's letters, CANCEL
    TAG): each was judged by walking back over every tag before it, so a line of 40,000
    (raw or as `&#xE0020;`) took minutes. A flag's tags are seven at most; a longer run
    is invisible text no flag shows, refused from its eighth tag on. Within a CPU cap."""
    from support import check_within

    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    line = len((story + "\n").split("\n"))
    england = "\U0001F3F4" + "".join(chr(0xE0000 + ord(c)) for c in "gbeng") + "\U000E007F"
    root = project_factory({"content/stories/first-story.md": story
                            + "\nThe fog" + "\U000E0020" * 40_000 + ".\n"
                            + "\nMore fog" + "&#xE0020;" * 40_000 + ".\n"
                            + "\nFor " + england + " and " + england[:-1] + "\U000E0067" * 2 + "\U000E007F.\n"})
    run = check_within(root, 60)
    found = [d for d in json.loads(run.stdout)["diagnostics"] if d["file"] == "content/stories/first-story.md"]
    assert [d["line"] for d in found if d["code"] == "HF0132"] == [line] * 21 + [line + 2] * 21 + [line + 4], found[-3:]
    assert [d["column"] for d in found if d["line"] == line + 4 and d["code"] == "HF0132"] == [25], found[-1]


def test_an_escaped_reference_is_text_not_the_character_it_would_spell(project_factory):
    """`\\&ZeroWidthSpace;` is how a writer shows the reference itself: Markdown renders
    the escaped `&` and the name as text, yet check refused it (HF0132) as if it spelled
    the invisible character. An escaped backslash before it (`\\\\&ZeroWidthSpace;`)
    leaves the `&` a reference, refused as before; the page shows the escaped one as typed."""
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    line = len((story + "\n").split("\n"))
    root = project_factory({"content/stories/first-story.md": story
                            + "\nWrite \\&ZeroWidthSpace; to show it.\n\nBut not\\\\&ZeroWidthSpace;so.\n"})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0132", line + 2, 10)], run.stdout
    root2 = project_factory({"content/stories/first-story.md": story + "\nWrite \\&ZeroWidthSpace; to show it.\n"},
                            name="escaped-only")
    run = foundry("build", "--only", "html", "--format", "json", "--project", str(root2))
    assert run.code == 0, run.stdout
    page = lxml_html.fromstring((root2 / "build/site/stories/first-story.html").read_bytes())
    assert "Write &ZeroWidthSpace; to show it." in page.text_content()


# --- towers of combining marks ("Zalgo") ----------------------------------------------

ACUTE = "\u0301"
MIXED = "".join(chr(0x300 + (n * 7) % 0x70) for n in range(40))   # 40 marks of the Latin block, mixed as generators do


def test_a_letter_carrying_a_tower_of_combining_marks_is_refused_at_its_place(project_factory):
    """A letter carrying 50 combining acutes in a hero's name printed a tower up past the
    A4 sheet's top edge, over its "HERO" label, nothing said; on the site it ran over the
    lines above. More than 30 marks in a row (Unicode's stream-safe limit: UAX #15, 13)
    is HF0133 at the letter, in every text a writer writes, by check and build alike,
    and nothing is written. Every combining mark counts (Tibetan's subjoined letters and
    the enclosing marks are starters, and stack all the same), as does one a character
    reference spells; a soft hyphen or COMBINING GRAPHEME JOINER between marks does not
    end the run. Thirty marks are allowed (the limit itself)."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    skills = (REPO / "tests/roots/minimal/schemas/skills.yaml").read_text(encoding="utf-8")
    config = (REPO / "tests/roots/minimal/foundry.toml").read_text(encoding="utf-8")
    lines = [
        "The fog" + MIXED + " rolls in.",
        "The fog" + "&#x301;" * 35 + " rolls in.",                  # Markdown spells each reference
        "The e" + ACUTE * 20 + "\u00ad" + ACUTE * 20 + " rolls in.",  # a soft hyphen is allowed in prose
        "The e" + ACUTE * 20 + "\u034f" + ACUTE * 20 + " rolls in.",  # what a stream-safe converter inserts
        "The fog" + ACUTE * 30 + " is thirty marks, allowed.",
    ]
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("name: Rook Amsel", "name: Ro" + ACUTE * 50 + "ok Amsel")
                                              .replace("title: Scout of the Marsh Road", "title: Sco" + ACUTE * 30 + "ut"),
        # a scene title is a name; Tibetan's subjoined KA has combining class 0
        "content/stories/first-story.md": story.replace("## Waiting {#wait", "## Wai\u0f40" + "\u0f90" * 31 + " {#wait")
                                          + "\n" + "\n\n".join(lines) + "\n",
        "schemas/skills.yaml": skills.replace("{name: Tracking,", "{name: Track" + "\u0489" * 31 + "ing,"),
        "foundry.toml": config.replace('title = "Minimal"', 'title = "Mini' + ACUTE * 31 + 'mal"')})
    first = len(story.split("\n")) + 1
    heading = story.split("\n").index("## Waiting {#wait .ending}") + 1
    skill_column = skills.split("\n")[1].index("Tracking") + 1
    expected = ["HF0133 content/heroes/first-hero.yaml:2:8", f"HF0133 schemas/skills.yaml:2:{skill_column + 4}",
                "HF0133 foundry.toml:2:1",   # a value in foundry.toml is placed at its line (its character told)
                f"HF0133 content/stories/first-story.md:{heading}:7",
                *(f"HF0133 content/stories/first-story.md:{first + n}:{column}" for n, column in
                  ((0, 7), (2, 7), (4, 5), (6, 5)))]

    def said(run) -> list[str]:
        return sorted(f"{d['code']} {d['file']}:{d['line']}:{d['column']}"
                      for d in run.json()["diagnostics"] if d["severity"] == "error")

    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 1 and said(check) == sorted(expected), check.stdout
    messages = {d["file"]: d["message"] for d in check.json()["diagnostics"]}
    assert messages["content/heroes/first-hero.yaml"].startswith(
        "'o' (U+006F LATIN SMALL LETTER O) carries a run of 50 combining marks in 'name': more than the 30"), messages
    assert "in 'project.title' at character 4:" in messages["foundry.toml"]
    build = foundry("build", "--only", "pdf,html,epub", "--format", "json", "--project", str(root))
    assert build.code == 1 and said(build) == said(check), build.stdout
    assert not (root / "build").exists()
    text = foundry("check", "--project", str(root))
    assert_clean_log(text.stderr)


# --- character references to no character ---------------------------------------------

def test_a_reference_markdown_shows_as_a_replacement_character_is_refused_where_typed(project_factory):
    """`## It&#146;s the Lantern`, `[Follow &#151; alone]`, `&#0;`, `&#xD800;`, a name
    `&#x110000;`: Markdown (CommonMark) shows U+FFFD for a number that is no character,
    so every output — the heading on the site, the JSON title, the ink `# title:`, the
    Twee passage, the choice's button — printed `It�s`, and check said nothing (the
    reference was taken for one Markdown keeps as typed). Now HF0134 at its columns, the
    hint naming what an old Windows-1252 number meant. A reference in code (a span, a
    fenced block) is the characters typed: neither this nor HF0132, as it was."""
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    story = story.replace("## The Lantern Path {#lantern}", "## It&#146;s the Lantern {#lantern}")
    story = story.replace("- [Follow the tracks alone]", "- [Follow &#151; the tracks alone]")
    story += ("\nA &#0; and &#xD800; here, `&#0;` and `&#x202E;` in code, \\&#146; escaped.\n\n"
              "```\n&#0; &#x202E; fenced\n```\n")
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    hero = hero.replace("name: Rook Amsel", 'name: "Rook &#x110000;Amsel"')
    root = project_factory({"content/stories/first-story.md": story, "content/heroes/first-hero.yaml": hero})
    lines = story.split("\n")
    heading = lines.index("## It&#146;s the Lantern {#lantern}") + 1
    choice = next(i for i, line in enumerate(lines, 1) if "&#151;" in line)
    prose = next(i for i, line in enumerate(lines, 1) if line.startswith("A &#0;"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1
    said = [(d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["code"]) for d in run.json()["diagnostics"]
            if d["code"] in ("HF0131", "HF0132", "HF0134")]
    assert sorted(said) == sorted([("first-hero.yaml", 2, 13, "HF0134"),
                                   ("first-story.md", heading, 6, "HF0134"), ("first-story.md", choice, 11, "HF0134"),
                                   ("first-story.md", prose, 3, "HF0134"), ("first-story.md", prose, 12, "HF0134")]), said
    [told] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0134" and d["line"] == heading]
    assert "'&#146;'" in told["message"] and "\ufffd" in told["message"]
    assert "U+2019 RIGHT SINGLE QUOTATION MARK" in told["hint"] and "&#x2019;" in told["hint"], told
    from pipeline.load.hygiene import name_refusal   # `foundry new … --title` refuses it too
    assert "HF0134" in (name_refusal("It&#146;s") or "")


def test_a_reference_in_code_is_judged_where_markdown_pairs_the_code_not_line_by_line(project_factory):
    """A code span may run over a paragraph's lines, and a prose field is Markdown of
    blocks (a background's fenced or indented example). Judged line by line, a span
    opened on one line (`` `&#0; `` … `` ` ``) left its reference refused (a false
    HF0134) and one closed on the next line made the next backtick open a span that
    hid a real `&#0;` (shown as U+FFFD, said of nothing); a YAML field's fence, its
    backticks paired as spans over the whole field, hid nothing indented and paired
    across paragraphs. Now one parse of the blocks finds the code of each."""
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    story += ("\nType `&#0;\nthere` to see it, and `a\nb` &#146; shown `c`.\n\n"
              "> quoted `&#x202E;\n> still code`\n\n    indented &#0;\n")
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    hero += ("  Her notes:\n\n  ```\n  It&#146;s &#x202E; fenced\n  ```\n\n      &#0; indented\n\n"
             "  An open `tick\n\n  then &#151; and a close` later.\n")
    # a relationship's note is one run of inline Markdown (titles.py): no block there,
    # the indented `&#146;` and the `~~~`'s `&#0;` are shown as U+FFFD
    hero = hero.replace("{with: old-guide, kind: mentor}",
                        '{with: old-guide, kind: mentor, note: "Met\\n\\n    &#146; her\\n~~~\\n&#0;\\n~~~"}')
    root = project_factory({"content/stories/first-story.md": story, "content/heroes/first-hero.yaml": hero})
    missed = next(i for i, line in enumerate(story.split("\n"), 1) if line.startswith("b` &#146;"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["code"]) for d in run.json()["diagnostics"]
            if d["code"] in ("HF0131", "HF0132", "HF0134")]
    # a block's text and a quoted note's escapes: each reference said where it is written
    background = next(i for i, line in enumerate(hero.split("\n"), 1) if line.startswith("  then &#151;"))
    note = next(i for i, line in enumerate(hero.split("\n"), 1) if "note:" in line)
    assert sorted(said) == [("first-hero.yaml", note, 55, "HF0134"), ("first-hero.yaml", note, 72, "HF0134"),
                            ("first-hero.yaml", background, 8, "HF0134"), ("first-story.md", missed, 4, "HF0134")], said
    [field] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0134" and d["line"] == background]
    assert "'&#151;'" in field["message"] and "background" in field["message"], field
    assert run.code == 1


def test_a_theme_file_whose_name_is_not_utf8_is_refused_and_read_by_nothing(project_factory):
    """A name git keeps as bytes that are not UTF-8 (`a\\xc0\\xaf.css`, an overlong `/`),
    in a theme's static/, templates/, root/, print/ or locale/: the loaders skip a name
    HF0130 refuses, the theme's listings did not, and check stopped with "internal error
    (UnicodeEncodeError)" at the static file's name. Now HF0130 at each, naming the byte,
    and nothing is read or published."""
    root = project_factory()
    names = [b"themes/default/static/a\xc0\xafb.css", b"themes/default/templates/z\xc0\xaf.html",
             b"themes/default/root/r\xff.txt", b"themes/default/print/css/q\xff.css",
             b"themes/default/locale/d\xffe/LC_MESSAGES/messages.po"]
    for name in names:
        path = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"body{}\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stderr[-2000:]
    said = sorted((d["file"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0130")
    assert [file for file, _ in said] == sorted(["themes/default/locale/d\udcffe", *(os.fsdecode(n) for n in names[:4])]), said
    assert "holds the byte 0xC0 (not UTF-8) at character 2" in dict(said)["themes/default/static/a\udcc0\udcafb.css"]
    build = foundry("build", "--project", str(root), "--only", "html,pdf")
    assert build.code == 1 and "internal error" not in build.stderr and "HF0130" in build.stderr


def test_a_source_line_starting_with_two_colons_is_shown_as_typed_under_its_gutter(project_factory):
    """A Twee passage header (`:: Note`) is a line a diagnostic points at (HF1143 of an
    unreached passage): its frame showed `\\u003a: Note`, a line the writer never typed,
    though the frame's gutter (`   15 | `) already keeps it from starting a workflow
    command. Shown as typed now; no line of the output starts one."""
    root = project_factory()
    source = root.parent / "cave.twee"   # the writer's download, beside the project
    source.write_text(':: StoryTitle\nCave\n\n:: StoryData\n{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", '
                      '"format": "SugarCube", "format-version": "2.36.1", "start": "Start"}\n\n'
                      ':: Start\nHello. [[End]]\n\n:: Note\nA note.\n\n:: End\nThe end.\n')
    run = foundry("import", "twine", "cave.twee", "--project", str(root), "--dry-run", cwd=root.parent)
    assert "HF1143" in run.stdout + run.stderr, run.stdout + run.stderr
    frame = [line for line in (run.stdout + run.stderr).splitlines() if re.match(r"^ +\d+ \| ", line)]
    assert "   10 | :: Note" in frame, frame
    assert_clean_log(run.stdout, run.stderr)
