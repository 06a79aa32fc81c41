"""One confinement rule for every file a build reads: a symlink that leads outside the
project is refused at the link (HF0120, exit 1), nothing of the target reaches the log
or build/, and nothing outside the project is opened — proven with an audit hook on
`open` in an in-process build and with strace on the real command."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipeline.confine import SOURCES, THEMES
from pipeline.engine.builder import build, check
from pipeline.load.root import PROJECT_INPUTS
from pipeline.diagnostics import Diagnostics
from .helpers import invoke
from support import REPO, diagnostics, foundry, require_tool, write_project

SECRET = "Qx7-outside-secret"
STORY = f"---\ntitle: Outside\nstart: a\n---\n\n## A {{#a .ending}}\n\n{SECRET} from a file outside the project.\n"

# link inside the project → what the file outside holds (each parses as what it pretends to be)
CASES = {
    "character": ("content/characters/leak.yaml", f"name: {SECRET}\nstatus: published\n"),
    "hero (passwd)": ("content/heroes/passwd.yaml", f"root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    "story": ("content/stories/outside.md", STORY),
    "rule file": ("schemas/skills.yaml", f"root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    "foundry.toml": ("foundry.toml", f'[project]\ntitle = "{SECRET}"\n'),
    "theme template": ("themes/default/templates/404.html", f"<p>{SECRET}</p>\n"),
    "theme static file": ("themes/default/static/leak.css", f"/* {SECRET} */\n"),
    "theme catalog": ("themes/default/locale/de/LC_MESSAGES/messages.po",
                      f'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Search"\nmsgstr "{SECRET}"\n'),
    "print theme": ("themes/default/print/templates/hero-sheet.html.j2", f"<p>{SECRET}</p>\n"),
}


def _outside(tmp_path: Path, name: str, text: str | bytes) -> Path:
    target = tmp_path / "outside" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    return target


def _link(root: Path, rel: str, target: Path, relative: bool) -> None:
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.exists() or link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(target, link.parent) if relative else target, link)


def _published(root: Path) -> bytes:
    """Every byte under build/ (and the cache), to search for the secret."""
    out = b""
    for folder in ("build", ".foundry-cache"):
        for path in sorted((root / folder).rglob("*")) if (root / folder).exists() else ():
            if path.is_file() and not path.is_symlink():
                out += path.read_bytes()
    return out


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_link_out_is_refused_at_the_link_and_nothing_of_it_is_shown(project_factory, tmp_path, case, relative):
    rel, text = CASES[case]
    root = project_factory()
    _link(root, rel, _outside(tmp_path, Path(rel).name, text), relative)
    only = "pdf" if "print" in case else "json,html"
    run = foundry("build", "--project", str(root), "--only", only, "--format", "json")
    assert run.code == 1, run.stderr
    found = [(d["code"], d["file"]) for d in run.json()["diagnostics"]]
    assert ("HF0120", rel) in found, found
    text_run = foundry("build", "--project", str(root), "--only", only)   # the code frames of the text report
    assert text_run.code == 1
    for output in (run.stdout, run.stderr, text_run.stdout, text_run.stderr):
        assert SECRET not in output
    assert SECRET.encode() not in _published(root)
    assert not (root / "build").exists()


# links to the checkout's own git config, where actions/checkout keeps the job's token
INTO_GIT = {"theme static file": "themes/default/static/leak.txt", "character": "content/characters/leak.yaml",
            "translation": "translations/de/content/heroes/first-hero.yaml.po",
            "folder link": "content/characters/git"}


@pytest.mark.parametrize("case", list(INTO_GIT))
def test_a_link_into_the_projects_git_folder_is_refused(project_factory, case):
    """`.git/` lies inside the project folder but is git's, not content: a theme's
    static file linked to `.git/config` was published in the site, token and all."""
    rel = INTO_GIT[case]
    root = project_factory()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "http.https://github.com/.extraheader",
                    f"AUTHORIZATION: basic {SECRET}"], check=True)
    if case == "translation":
        with open(root / "foundry.toml", "a", encoding="utf-8") as out:
            out.write('\n[l10n]\nlanguages = ["de"]\n')
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    target = root / ".git" if case == "folder link" else root / ".git/config"
    os.symlink(os.path.relpath(target, link.parent), link)
    run = foundry("build", "--project", str(root), "--only", "json,html", "--format", "json")
    text_run = foundry("build", "--project", str(root), "--only", "json,html")
    for output in (run.stdout, run.stderr, text_run.stdout, text_run.stderr):
        assert SECRET not in output
    assert SECRET.encode() not in _published(root)
    if case != "folder link":   # a folder of git's files is simply not content: nothing in it is read
        assert run.code == 1
        assert ("HF0120", rel) in [(d["code"], d["file"]) for d in run.json()["diagnostics"]]


# Names a disk of macOS or Windows takes for `.git` (git refuses to write them there for
# that reason): on Linux each is a folder of its own, so the link's target is planted
# under that name; on such a disk it is the checkout's `.git`, config and token.
GIT_SPELLINGS = {"upper case": ".GIT", "HFS+ ignorable": ".g\u200cit", "HFS+ BOM": "\ufeff.git",
                 "NTFS trailing dot": ".git.", "NTFS trailing space": ".git ", "NTFS short name": "GIT~1",
                 "NTFS stream": ".git::$INDEX_ALLOCATION", "NTFS short name, trailing dot": "GIT~1.",
                 "NTFS short name, stream": "git~1::$INDEX_ALLOCATION", "NTFS backslash": ".git\\hooks"}


def test_a_link_into_git_spelt_as_another_disk_spells_it_is_refused(project_factory):
    """`content/characters/leak.yaml -> ../../.g\u200cit/config` leads into `.git/config`
    on macOS's HFS+ (which ignores U+200C in names), and `.git./config` on Windows:
    judged by the name `.git` alone, such a link was read as a character, its lines
    (the token actions/checkout keeps there) echoed in the error's code frame."""
    root = project_factory()
    rels = []
    for n, spelt in enumerate(GIT_SPELLINGS.values()):
        (root / spelt).mkdir()
        (root / spelt / "config").write_text(f"name: {SECRET}\nstatus: published\n")
        rel = f"content/characters/leak-{n}.yaml"
        os.symlink(f"../../{spelt}/config", root / rel)
        rels.append(rel)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert SECRET not in run.stdout + run.stderr
    refused = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0120"}
    assert sorted(refused) == sorted(rels), run.stdout
    assert all("into .git" in message for message in refused.values()), refused
    assert run.code == 1 and SECRET.encode() not in _published(root)


def test_a_link_or_path_into_foundrys_own_folders_is_refused(project_factory):
    """build/ and foundry's caches lie inside the project folder but are foundry's: a
    theme's static file linked to an earlier build's page was published by the next
    build (a clean build said the link led nowhere, so clean and incremental builds
    differed), and `build --release` published a draft build's page through it; a story
    linked into .foundry-cache/ was read as content; a portrait written `../../build/…`
    was read from the last build's output. Each is refused as a link out (HF0120) or a
    path out (HF0307), by check and by the build, and nothing is published through it."""
    root = project_factory()
    assert foundry("build", "--project", str(root), "--only", "html").code == 0   # drafts included
    draft_page = root / "build/site/heroes/first-hero.html"
    assert draft_page.is_file()
    (root / "themes/default/static").mkdir(parents=True)
    os.symlink("../../../build/site/heroes/first-hero.html", root / "themes/default/static/echo.html")
    (root / ".foundry-cache").mkdir(exist_ok=True)
    (root / ".foundry-cache/kept.md").write_text(STORY, encoding="utf-8")
    os.symlink("../../.foundry-cache/kept.md", root / "content/stories/kept.md")
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8") + "portrait: ../../build/.foundry/state.json\n",
                     encoding="utf-8")
    line = len(guide.read_text(encoding="utf-8").splitlines())
    expected = ["HF0120 content/stories/kept.md:0:0", f"HF0307 content/characters/old-guide.yaml:{line}:11",
                "HF0120 themes/default/static/echo.html:0:0"]
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 1 and sorted(diagnostics(said)) == sorted(expected)
    built = foundry("build", "--project", str(root), "--release", "--only", "html", "--format", "json")
    assert built.code == 1 and sorted(diagnostics(built)) == sorted(expected)
    assert not (root / "build/site/assets/echo.html").exists() and not (root / "build/site/stories/kept.html").exists()


def test_the_field_case_story_through_a_link_is_refused(project_factory, tmp_path):
    """/work/shared/cases/field/symlink-outside: a story reached through a link."""
    root = project_factory()
    target = _outside(tmp_path, "hf-outside-story.md", STORY)
    os.symlink(target, root / "content/stories/outside.md")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert [d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0120"] == ["content/stories/outside.md"]
    assert SECRET not in run.stdout + run.stderr


# entity files the sample story names, each replaced by a link out: the story's
# reference to it is not a second error ("unknown quest") — the file exists, unread
NAMED = {"quest": ("content/quests/first-quest.yaml", "title: Outside\n"),
         "character": ("content/characters/old-guide.yaml", "name: Outside\n"),
         "hero": ("content/heroes/first-hero.yaml", "name: Outside\n")}


@pytest.mark.parametrize("case", list(NAMED))
def test_an_entity_linked_out_is_one_error_at_the_link_not_unknown_where_named(project_factory, tmp_path, case):
    """A quest file that is a link out was HF0120 at the link and HF0303 "unknown quest"
    at the story naming it: a file that fails to load is never reported again as
    unknown wherever it is named, and a refused link is such a file."""
    rel, text = NAMED[case]
    root = project_factory()
    _link(root, rel, _outside(tmp_path, Path(rel).name, text), relative=False)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == [f"HF0120 {rel}:0:0"]


# kind folders linked out together (each kept elsewhere whole), and the files left
# inside that name what those folders hold
FOLDERS_OUT = {"characters": ("content/characters",),
               "heroes and quests": ("content/heroes", "content/quests"),
               "templates and stories": ("content/templates/heroes", "content/stories")}


@pytest.mark.parametrize("case", list(FOLDERS_OUT))
def test_a_kind_folder_linked_out_is_one_error_at_the_link_not_unknown_where_named(project_factory, tmp_path,
                                                                                     case):
    """`content/characters -> /elsewhere/characters` was HF0120 at the link and then
    HF0302 "unknown character 'old-guide'" at the story, the quest and the hero naming
    it, each hinting "characters live in content/characters/" (where they are); a
    hero's folder out made "unknown hero" at the story, a template's "unknown
    template" at the hero, the stories' "no story can set" at the quest's objective.
    Whatever the folder holds is not read, so any id of its kind may be there: one
    error at the link, as for a file linked out (the test above). A translation of a
    file that may be in it is no stray either (HF1110 "…, which is not in the project")."""
    po = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n'
    root = project_factory({f"translations/de/{rel}.po": po for rel in
                            ("content/heroes/first-hero.yaml", "content/stories/first-story.md")})
    with (root / "foundry.toml").open("a") as config:
        config.write('\n[l10n]\nlanguages = ["de"]\n')
    for rel in FOLDERS_OUT[case]:
        outside = tmp_path / "elsewhere" / rel
        outside.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / rel, outside)
        os.symlink(outside, root / rel)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = [d for d in diagnostics(run) if not d.startswith("HF1105 ")]   # lines not translated: true
    assert said == sorted(f"HF0120 {rel}:0:0" for rel in FOLDERS_OUT[case])


def test_a_portrait_through_a_link_out_is_refused(project_factory, tmp_path):
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(image, "PNG")
    target = _outside(tmp_path, "face.png", image.getvalue())
    root = project_factory()
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / "content/assets/face.png")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "portrait: ../assets/face.png\n")
    run = foundry("build", "--project", str(root), "--only", "json,html", "--format", "json")
    assert run.code == 1
    # the link named at the link (one confinement rule for every link out under
    # content/, assets included), and the portrait that needed it at the hero's line
    assert diagnostics(run) == ["HF0120 content/assets/face.png:0:0", "HF0307 content/heroes/first-hero.yaml:13:11"]
    assert not (root / "build").exists()


def test_a_portrait_path_past_a_missing_folder_never_reaches_a_link_out(project_factory, tmp_path, monkeypatch):
    """`portrait: ../typo/../../notes/out/sub/FACE.png`, `notes/out -> /elsewhere` (a
    folder no loader walks, so no HF0120 is said at it): the name `typo` is not there,
    and the rule took the rest of the path as lexical past the `..`, `out` unlooked-at.
    The portrait's checks then stat'ed the file outside, listed the folder outside, and
    the near-name hint printed a name found there ("Did you mean …/face.png?"). It is
    HF0307 at the hero's line, and nothing outside is stat'ed, listed or opened."""
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(image, "PNG")
    _outside(tmp_path, "sub/qx7-face.png", image.getvalue())
    outside = str(tmp_path / "outside")
    root = project_factory()
    (root / "notes").mkdir()
    os.symlink(outside, root / "notes/out")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "portrait: ../typo/../../notes/out/sub/QX7-FACE.png\n")
    diags, opened, stated = _checked_watching_stats(root, str(root / "notes/out") + os.sep, monkeypatch)
    said = [(d.code, d.span.path, d.span.line) for d in diags.errors]
    assert said == [("HF0307", "content/heroes/first-hero.yaml", 13)], said
    assert "outside the project" in diags.errors[0].message
    assert "qx7-face" not in " ".join(f"{d.message} {d.hint}" for d in diags.items)   # the name outside
    assert stated == []
    assert [p for p in opened if p.startswith(outside) or p.startswith(str(root / "notes/out") + os.sep)] == []


def test_a_folder_linked_out_is_named_as_a_link_out_not_as_a_stray(project_factory, tmp_path):
    """A folder of heroes or pictures linked in from outside: "not in a place foundry
    knows" (HF0105) sent the writer after the wrong mistake; it is HF0120 at the link."""
    outside = tmp_path / "elsewhere"
    (outside / "heroes").mkdir(parents=True)
    (outside / "heroes/stranger.yaml").write_text("name: " + SECRET + "\n")
    root = project_factory()
    os.symlink(outside / "heroes", root / "content/heroes/more")
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    os.symlink(outside, root / "content/assets/pictures")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == ["HF0120 content/assets/pictures:0:0", "HF0120 content/heroes/more:0:0"]
    assert SECRET not in run.stdout + run.stderr


@pytest.mark.parametrize("folder", ["schemas", "themes", "content"])
def test_a_top_folder_linked_out_is_one_error_at_the_link(project_factory, tmp_path, folder):
    """`schemas -> /elsewhere` (a copy of the rule book kept elsewhere) was one HF0120
    per rule file looked for under it, each saying "schemas/skills.yaml is a symbolic
    link", which it is not; a linked themes/ was said at themes/default. The link is
    named, once, by check and build alike."""
    root = project_factory()
    outside = tmp_path / "elsewhere" / folder
    outside.parent.mkdir()
    if (root / folder).exists():
        shutil.move(root / folder, outside)
    else:
        (outside / "default/templates").mkdir(parents=True)   # a theme of one's own, kept elsewhere
    os.symlink(outside, root / folder)
    for verb in (("check",), ("build", "--only", "json")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        assert run.code == 1, run.stderr
        assert diagnostics(run) == [f"HF0120 {folder}:0:0"], diagnostics(run)
    assert not (root / "build").exists()


def test_a_rule_book_linked_out_to_an_empty_folder_is_refused_not_missing(project_factory, tmp_path):
    """`schemas -> /elsewhere` where the folder outside holds no rule file: the rule
    files were looked for through the link (an lstat outside the project, whose answer
    the report then gave away), found missing, and said so (HF0401 twice, then every
    attribute, skill and kind unknown: eleven errors, none at the link). It is the one
    HF0120 at the link, and it still stops `foundry play`, as any rule-book error."""
    root = project_factory()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(root / "schemas")
    os.symlink(outside, root / "schemas")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and diagnostics(run) == ["HF0120 schemas:0:0"], diagnostics(run)
    played = foundry("play", "first-story", "--choose", "1", "--project", str(root))
    assert played.code == 1 and "HF0120" in played.stderr and "do not affect" not in played.stderr, played.stderr


def test_a_command_on_one_entity_shows_the_folder_link_that_hides_it(project_factory, tmp_path):
    """`foundry hero first-hero` with content/heroes linked out of the project printed
    "No problems found." and exited 1: it showed only what was said at the hero's own
    file, and the refusal is said at the folder (HF0120, the link). A story templates
    folder linked out was not refused at all: `foundry new story --template` said the
    template was not read and "run foundry check". Both show the link's HF0120."""
    root = project_factory()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.move(root / "content/heroes", outside / "heroes")
    os.symlink(outside / "heroes", root / "content/heroes")
    (outside / "stories").mkdir()
    (outside / "stories/evil.md").write_text(STORY)
    (root / "content/templates").mkdir(exist_ok=True)
    os.symlink(outside / "stories", root / "content/templates/stories")
    for verb, link in ((("hero", "first-hero"), "content/heroes"),
                       (("new", "story", "fresh", "--template", "evil"), "content/templates/stories")):
        run = foundry(*verb, "--project", str(root))
        assert run.code == 1, run.stderr
        assert f"{link}: error HF0120 {link} is a symbolic link that leads outside the project" in run.stderr, run.stderr
        assert "No problems found" not in run.stderr and SECRET not in run.stdout + run.stderr
    assert not (root / "content/stories/fresh.md").exists()


def test_links_that_stay_inside_the_project_still_work(project_factory):
    root = project_factory()
    os.symlink("old-guide.yaml", root / "content/characters/guide.yaml")
    (root / "shared").mkdir()
    (root / "shared/extra.css").write_text("body { color: #123456; }\n")
    (root / "themes/default/static").mkdir(parents=True)
    os.symlink("../../../shared/extra.css", root / "themes/default/static/extra.css")
    run = foundry("build", "--project", str(root), "--only", "json,html", "--format", "json")
    assert run.code == 0, run.stdout
    guide = json.loads((root / "build/api/v1/characters/guide.json").read_text())
    original = json.loads((root / "build/api/v1/characters/old-guide.json").read_text())
    assert guide["character"]["name"] == original["character"]["name"] == "Old Guide"
    css = root / "build/site/assets/extra.css"
    assert "#123456" in css.read_text() and not css.is_symlink()   # published minified


def _every_kind_of_link_out(project_factory, tmp_path) -> tuple[Path, Path]:
    root = project_factory()
    for case, (rel, text) in CASES.items():
        if case != "foundry.toml":   # that one stops the build before anything else is read
            _link(root, rel, _outside(tmp_path, Path(rel).name, text), relative=case.startswith("t"))
    os.symlink(tmp_path / "outside", root / "content/assets")   # a folder link, too
    return root, tmp_path / "outside"


_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event in ("open", "os.scandir", "os.listdir", "shutil.copyfile", "sqlite3.connect"):
        if args and isinstance(args[0], (str, bytes, os.PathLike)):
            _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


def _checked_watching(root: Path) -> tuple[Diagnostics, list[str]]:
    """`check` of `root` in process, and every path the audit hook saw it open or list."""
    global _opened
    _opened = []
    try:
        diags = Diagnostics()
        check(root, diags)
    finally:
        opened, _opened = _opened, None
    return diags, opened


def _checked_watching_stats(root: Path, prefix: str, monkeypatch) -> tuple[Diagnostics, list[str], list[str]]:
    """`_checked_watching`, and every path starting with `prefix` it stat'ed or lstat'ed
    by name (a stat is no open: the audit hook does not see it)."""
    stated: list[str] = []
    for name in ("stat", "lstat"):
        def call(path, *args, real=getattr(os, name), **named):
            if isinstance(path, (str, os.PathLike)) and named.get("dir_fd") is None \
                    and os.fspath(path).startswith(prefix):
                stated.append(os.fspath(path))
            return real(path, *args, **named)
        monkeypatch.setattr(os, name, call)
    try:
        diags, opened = _checked_watching(root)
    finally:
        monkeypatch.undo()
    return diags, opened, stated


def test_no_file_outside_the_project_is_opened_in_process(project_factory, tmp_path):
    """The audit hook sees every open() and os.open(), the no-op fingerprint's included."""
    global _opened
    root, outside = _every_kind_of_link_out(project_factory, tmp_path)
    # the theme, content and rules refusals surface in different stages: remove what
    # stops the load, so the plan (themes) runs too, in a second build
    _opened = []
    try:
        diags = Diagnostics()
        build(root, diags, ["json", "html", "pdf"], workers=1)
        first = {d.span.path for d in diags.errors if d.code == "HF0120"}
        for rel in ("content/characters/leak.yaml", "content/heroes/passwd.yaml", "content/stories/outside.md",
                    "schemas/skills.yaml"):
            (root / rel).unlink()
        shutil.copy(REPO / "tests/roots/minimal/schemas/skills.yaml", root / "schemas/skills.yaml")
        diags = Diagnostics()
        build(root, diags, ["json", "html", "pdf"], workers=1)
        second = {d.span.path for d in diags.errors if d.code == "HF0120"}
        check(root, Diagnostics())
    finally:
        opened, _opened = _opened, None
    loaded = {"content/characters/leak.yaml", "content/heroes/passwd.yaml", "content/stories/outside.md",
              "schemas/skills.yaml"}
    # check plans every exporter (to find what a build would refuse), so theme links may
    # be reported in the first build already: every problem at once
    assert loaded <= first and first - loaded <= second
    assert second == {"content/assets", "themes/default/templates/404.html", "themes/default/static/leak.css",
                      "themes/default/locale/de/LC_MESSAGES/messages.po",
                      "themes/default/print/templates/hero-sheet.html.j2"}
    assert opened, "the audit hook saw nothing: it is not watching"
    real = os.path.realpath(outside)
    assert [p for p in opened if os.path.realpath(p).startswith(real) or p.startswith(str(outside))] == []


def test_strace_sees_nothing_outside_the_project_touched(project_factory, tmp_path):
    """Every kind of link out, translations/ too, in one build under strace: nothing
    outside is opened, stat'ed or listed; a readlink of a link is all there is.
    translations/ follows the one rule: a translation file or a whole language folder
    linked outside is HF0120 at the link (it was a warning, after the target had been
    stat'ed and the outside folder listed). One strace run holds both (they were two, a
    cold start under strace each): the translations are refused in the same build as
    the content and theme links, and the refused list says they were reached."""
    require_tool(shutil.which("strace") is not None, "strace")
    root, outside = _every_kind_of_link_out(project_factory, tmp_path)
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de", "fr"]\n')
    po = f'msgctxt "hero.first-hero.name"\nmsgid "Rook Amsel"\nmsgstr "{SECRET}"\n'
    _link(root, "translations/de/content/heroes/first-hero.yaml.po", _outside(tmp_path, "first-hero.yaml.po", po), False)
    _outside(tmp_path, "fr/content/heroes/first-hero.yaml.po", po)
    os.symlink(outside / "fr", root / "translations/fr")
    log = tmp_path / "strace.log"
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(["strace", "-f", "-qq", "-e", "trace=%file,%desc", "-o", str(log), sys.executable, "-m",
                           "pipeline", "build", "--project", str(root), "--only", "json,html"],
                          cwd=REPO, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "HF0120" in done.stderr and SECRET not in done.stderr + done.stdout
    refused = sorted(set(re.findall(r"(?m)^(translations/\S*?)(?::\d+:\d+)?: error HF0120 ", done.stderr)))
    assert refused == ["translations/de/content/heroes/first-hero.yaml.po", "translations/fr"], done.stderr
    touched = [line for line in log.read_text(errors="replace").splitlines()
               if str(outside) in line and not line.split(" ", 1)[-1].startswith("readlink")]
    # a readlink of the link (inside the project) shows the target's name, and is all there is
    assert touched == []
    # nor is anything outside reached by the link's own name: a stat or open that follows
    # it (DirEntry.is_dir(), os.path.isdir) named the link, and the kernel went outside
    links = [os.path.join(folder, name) for folder, dirs, files in os.walk(root) for name in dirs + files
             if os.path.islink(os.path.join(folder, name))
             and not os.path.realpath(os.path.join(folder, name)).startswith(str(root) + os.sep)]
    assert links
    followed = [line for line in log.read_text(errors="replace").splitlines()
                if any(f'"{link}"' in line or f'"{link}/' in line for link in links)
                and not re.search(r"\b(readlink|lstat|unlink)\(|AT_SYMLINK_NOFOLLOW|O_NOFOLLOW", line)]
    assert followed == [], "\n".join(followed[:10])


def _through_a_link_out(path: str, follow: bool, links: list[str], lstat) -> bool:
    """Whether the system, asked about `path`, would go through one of `links` (each a
    link out of the project, while it is one: `lstat` says, a command may remove it):
    a link on the way is always followed, the last one only when the call follows it
    (stat, open; not lstat)."""
    for link in links:
        if path.startswith(link + os.sep) or (follow and path == link):
            try:
                return stat.S_ISLNK(lstat(link).st_mode)
            except OSError:
                return False
    return False


def test_no_command_asks_through_a_link_out_what_is_there(project_factory, tmp_path, monkeypatch):
    """A pathlib or os.path question on a project path (is_file(), is_dir(), islink(),
    Path.mkdir(exist_ok=True)) has the system follow a link on the way, or at the end,
    out of the project: what lay outside was stat'ed, and decided what a command did
    (`foundry import` kept `protagonist: ghost` when content/heroes/ghost.yaml led to a
    file outside, dropped it when it led to nothing). Every such question goes to the
    project's Boundary, which stops at the link. Recorded in process, for the commands
    outside the build that the strace test above does not run, the top folders and
    the cache folder linked out, which it does not make, and a build's look for a
    build/ a dead build moved aside (a committed `.foundry-old -> /elsewhere`)."""
    root = project_factory()
    outside = tmp_path / "outside"
    hero = _outside(tmp_path, "zed.yaml", (root / "content/heroes/first-hero.yaml").read_text())
    _link(root, "content/characters/zed.yaml", hero, relative=False)   # `new hero zed` asks whether it is taken
    _link(root, "content/heroes/ghost.yaml", hero, relative=True)      # the imported story's protagonist
    for folder in ("translations", "schemas/json", ".foundry-cache", ".foundry-old"):
        (outside / folder).mkdir(parents=True)
        shutil.rmtree(root / folder, ignore_errors=True)
        os.symlink(outside / folder, root / folder)
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    source = tmp_path / "ghost.ink"
    source.write_text("// Ghost: exported by Hero Foundry from content/stories/ghost.md.\n\n"   # our own export
                      "// The hero (ghost): fixed for this export\nCONST strength = 8\n\n-> a\n\n=== a ===\nHi.\n-> END\n")
    links = [os.path.join(folder, name) for folder, dirs, files in os.walk(root) for name in dirs + files
             if os.path.islink(os.path.join(folder, name))]
    asked: list[tuple[str, str]] = []
    lstat = os.lstat

    def recorded(name: str, follows: bool | None):
        real = getattr(os, name)

        def call(path, *args, **named):
            if isinstance(path, (str, os.PathLike)) and named.get("dir_fd") is None:
                follow = named.get("follow_symlinks", True) if follows is None else follows
                if _through_a_link_out(os.path.abspath(path), follow, links, lstat):
                    asked.append((name, os.path.relpath(path, root)))
            return real(path, *args, **named)
        monkeypatch.setattr(os, name, call)
    recorded("stat", None)      # Path.is_file/is_dir/exists, os.path.isdir, Path.mkdir(exist_ok=True)
    recorded("lstat", False)    # os.path.islink/lexists: a link on the way is still followed
    recorded("listdir", True)
    recorded("scandir", True)
    project = ["--project", str(root)]
    runs = {"check": invoke("check", *project), "schemas": invoke("schemas", "--check", *project),
            "new": invoke("new", "hero", "zed", *project),
            "import": invoke("import", "ink", str(source), "--id", "ghost-road", *project)}
    assert "protagonist" not in (root / "content/stories/ghost-road.md").read_text()   # no hero it has
    # a build (clean, or the gate stops it first) puts back a build/ that a build that
    # died moved aside to .foundry-old (write/staging.py recover)
    for link in ("content/characters/zed.yaml", "content/heroes/ghost.yaml", "content/stories/ghost-road.md",
                 "translations", "schemas/json"):
        os.unlink(root / link)
    runs["build"] = invoke("build", "--only", "ink", *project)
    monkeypatch.undo()
    assert sorted(set(asked)) == [], {name: run.output[-300:] for name, run in runs.items()}
    assert runs["build"].exit_code == 0, runs["build"].output
    assert runs["new"].exit_code == 2 and "'zed' is already a character" in runs["new"].output
    assert runs["import"].exit_code == 0, runs["import"].output
    assert [p for p in outside.rglob("*") if not p.is_dir()] == [hero]   # nothing made there


def test_foundry_schemas_never_writes_over_or_through_a_link(project_factory, tmp_path):
    root = project_factory()
    target = _outside(tmp_path, "hero.schema.json", "keep me\n")
    _link(root, "schemas/json/hero.schema.json", target, relative=False)
    assert foundry("schemas", "--check", "--project", str(root)).code == 1   # a link out is not a schema
    run = foundry("schemas", "--project", str(root))
    # the user's link is theirs: not replaced (HF0165), the other schemas written
    assert run.code == 2 and "HF0165" in run.stderr, run.stderr
    assert target.read_text() == "keep me\n"
    written = root / "schemas/json/hero.schema.json"
    assert written.is_symlink()
    os.unlink(written)
    assert foundry("schemas", "--project", str(root)).code == 0
    assert not written.is_symlink() and json.loads(written.read_text())["title"]
    # the folder itself a link out: refused at the folder, once, as the write it is (it
    # was HF0120 "it is not read"), nothing written anywhere
    shutil.rmtree(root / "schemas/json")
    os.symlink(tmp_path / "outside", root / "schemas/json")
    run = foundry("schemas", "--project", str(root))
    assert run.code == 2 and run.stderr.count("HF0165") == 1 and "HF0120" not in run.stderr, run.stderr
    assert "schemas/json is a symbolic link that leads outside the project: foundry writes nothing through one" \
        in run.stderr and "not read" not in run.stderr
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["hero.schema.json"]


def test_foundry_l10n_extract_makes_nothing_through_a_translations_link(project_factory, tmp_path):
    """A pull request commits `translations -> /elsewhere`: extract must refuse before it
    creates even an empty language folder there."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "translations")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code != 0 and "leads outside the project" in run.stderr
    assert "internal error" not in run.stderr
    assert list(outside.iterdir()) == []
    # a real folder: the catalogs are written inside the project
    os.unlink(root / "translations")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in (root / "translations/de").iterdir())


@pytest.mark.parametrize("kind, folder, name", [("hero", "content/heroes", "zed.yaml"),
                                                ("story", "content/stories", "zed.md")])
def test_foundry_new_never_writes_through_a_folder_link_out(project_factory, tmp_path, kind, folder, name):
    """A checked-out pull request has `content/heroes -> /elsewhere`: `foundry new hero`
    wrote the new file there, outside the project."""
    root = project_factory()
    outside = tmp_path / "outside"
    shutil.move(root / folder, outside)
    os.symlink(outside, root / folder)
    before = sorted(p.name for p in outside.iterdir())
    run = foundry("new", kind, "zed", "--project", str(root))
    assert run.code == 2, run.stdout + run.stderr
    assert "leads outside the project" in run.stderr and "internal error" not in run.stderr
    assert sorted(p.name for p in outside.iterdir()) == before
    # a real folder: written inside the project
    os.unlink(root / folder)
    (root / folder).mkdir()
    run = foundry("new", kind, "zed", "--project", str(root))
    assert run.code == 0, run.stderr
    assert (root / folder / name).is_file()


def test_a_folder_swapped_for_a_link_after_it_was_resolved_is_not_followed(project_factory, tmp_path):
    """Links that change between the check and the read: a build resolves each folder
    once and reads its files after (a portrait when its page renders), and a checkout
    during the build that put a link out at `content/heroes` was followed by every
    later read (lstat and open follow a link on the way): the outside file's bytes
    were read and published. A file is opened in its folder's descriptor, the folder
    opened from the root with no link followed: a folder held stays the one resolved,
    and one resolved but not yet opened is refused at the link, by Boundary.read and
    read_confined (the portraits' and voice clips' reader) alike."""
    from pipeline.confine import Refused, boundary, forget, read_confined
    root = project_factory().resolve()
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("first-hero.yaml", "first-story.md"):
        (outside / name).write_text(STORY, encoding="utf-8")
    forget()
    try:
        fence = boundary(root)
        hero, story = root / "content/heroes/first-hero.yaml", root / "content/stories/first-story.md"
        before = fence.read(hero)
        assert fence.resolve(story) == story      # resolved, not read yet
        for folder in ("heroes", "stories"):
            os.rename(root / "content" / folder, root / "content" / f"{folder}-old")
            os.symlink(outside, root / "content" / folder)
        assert fence.read(hero) == before == read_confined(hero)
        for read in (fence.read, read_confined):
            with pytest.raises(Refused):
                read(story)
    finally:
        forget()


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_NOFILE")
def test_a_project_reading_from_many_folders_builds_under_a_low_open_file_limit(tmp_path):
    """Each Boundary kept up to 256 folder descriptors open, and a build has several
    (the project, the shipped theme): under macOS's default limit of 256 open files, a
    project whose portraits sit in 300 folders stopped with "Too many open files" at
    whatever was opened next (a module of babel). The folders held are now one budget
    for the process, a quarter of its limit when that is low."""
    import resource
    png = io.BytesIO()
    Image.new("RGB", (2, 2), (0, 0, 255)).save(png, "PNG")
    files: dict[str, str | bytes] = {}
    for i in range(300):
        files[f"content/assets/p{i}/face.png"] = png.getvalue()
        files[f"content/heroes/h{i}.yaml"] = f"name: Hero {i}\nstatus: draft\nportrait: ../assets/p{i}/face.png\n"
    root = write_project(tmp_path / "world", files)

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--project", str(root), "--only", "json",
                          "-j", "1"], cwd=REPO, capture_output=True, text=True, preexec_fn=low_limit, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"})
    assert "Too many open files" not in run.stderr + run.stdout
    assert run.returncode == 0, run.stderr
    assert len(json.loads((root / "build/api/v1/heroes.json").read_text())["heroes"]) == 301


def test_foundrys_memos_are_never_written_into_a_cache_folder_swapped_for_a_link(project_factory, tmp_path):
    """foundry's memos (.foundry-cache/*: the files' hashes, the last check, the
    people's summaries) were read and written by path after cache_folder() had looked
    at the folder once: a checkout swapping .foundry-cache for a link out in between
    made the memo's write land wherever the link led. They go through the project's
    Boundary (confine.py Boundary.replace / read): the folder as it was, or nothing."""
    from pipeline.confine import forget
    from pipeline.load.hash_memo import HashMemo
    root = project_factory()
    forget()
    memo = HashMemo(root, "file-hashes.json")       # .foundry-cache looked at (made) here
    assert memo.sha256(root / "foundry.toml", "foundry.toml")   # a row to save
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(root / ".foundry-cache")
    os.symlink(outside, root / ".foundry-cache")   # swapped before the memo is saved
    memo.save()
    assert list(outside.iterdir()) == []
    forget()


def test_a_file_left_at_a_memos_temporary_name_neither_stops_its_write_nor_is_written_into(project_factory,
                                                                                             tmp_path):
    """A memo is written at a temporary name (`.name.<pid>.tmp`, made new: O_EXCL) and
    renamed over its file. A file already at that name (a write cut short: a container's
    process is pid 1 every run; or a pull request's, `git add -f`) made each write of
    that memo fail, so it was never kept again and every build hashed afresh. It is
    removed and the write made anew; a file elsewhere it also named is left as it was."""
    from pipeline.confine import forget
    from pipeline.load.hash_memo import HashMemo
    root = project_factory()
    forget()
    memo = HashMemo(root, "file-hashes.json")
    assert memo.note_stat("foundry.toml", [10**9 + 1, 10**9 + 1, 1, 1], "0" * 64)   # a row to save (settled long ago)
    kept = tmp_path / "kept.txt"
    kept.write_text("precious\n")
    os.link(kept, root / f".foundry-cache/.file-hashes.json.{os.getpid()}.tmp")   # another name of it
    memo.save()
    forget()
    assert "foundry.toml" in HashMemo(root, "file-hashes.json").known
    assert kept.read_text() == "precious\n"
    assert not [name for name in os.listdir(root / ".foundry-cache") if name.endswith(".tmp")]


def test_the_parse_cache_is_never_opened_in_a_cache_folder_swapped_for_a_link(project_factory, tmp_path,
                                                                            monkeypatch):
    """The SQLite parse cache was connected by its path after cache_folder() had looked
    at .foundry-cache once (SQLite takes no descriptor): a checkout swapping the folder
    for a link out in between made SQLite create the cache, and write its rows and
    journal, wherever the link led. It is opened by the name of the folder's held
    descriptor (confine.Boundary.held): the folder as it was, or no cache."""
    from pipeline.confine import forget
    from pipeline.load import cache as parse_cache
    root = project_factory()
    outside = tmp_path / "outside"
    outside.mkdir()
    looked = parse_cache.cache_folder

    def then_swapped(at):
        folder = looked(at)                          # looked at (made) here, then a checkout
        os.rename(root / ".foundry-cache", root / ".foundry-cache-was")
        os.symlink(outside, root / ".foundry-cache")
        return folder
    monkeypatch.setattr(parse_cache, "cache_folder", then_swapped)
    forget()
    cache = parse_cache.ParseCache(root)
    cache.put("a-key", {"row": 1})
    cache.save()
    assert list(outside.iterdir()) == []
    forget()


def test_a_refused_link_says_why_it_is_refused(project_factory):
    """HF0120 said 'leads outside the project' of every refused link: of one leading
    round in a loop (`loop.yaml -> loop.yaml`, `a -> b -> a`), of one into `.git`, and of
    one into `Build/` (foundry's build/ on macOS and Windows, so refused on every system:
    one commit gets one answer everywhere), all inside the project, where the writer then
    looked for a file outside. Each now says what it leads into, at the link, in check
    and build alike; nothing behind them is read."""
    root = project_factory()
    heroes = root / "content/heroes"
    os.symlink("loop.yaml", heroes / "loop.yaml")
    os.symlink("b.yaml", heroes / "a.yaml")
    os.symlink("a.yaml", heroes / "b.yaml")
    os.symlink("../../.git/config", heroes / "git.yaml")
    (root / "Build").mkdir()
    (root / "Build/kept.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    os.symlink("../../Build/kept.yaml", heroes / "kept.yaml")
    why = {"loop": "that leads round in a loop", "a": "that leads round in a loop", "b": "that leads round in a loop",
           "git": "into .git", "kept": "into foundry's own folders"}
    for command in (("check",), ("build", "--only", "json")):
        run = foundry(*command, "--project", str(root), "--format", "json")
        said = {Path(d["file"]).stem: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0120"}
        assert run.code == 1 and sorted(said) == sorted(why), (command, said)
        for name, words in why.items():
            assert f"content/heroes/{name}.yaml is a symbolic link {words}" in said[name], said[name]
            assert "outside the project" not in said[name]
    assert not (root / "build").exists()


# links a pull request adds to the theme, each inside the project → what HF0120 says of it
THEME_LINKS = {
    "themes/default/static/proj": ("../../..", "from the theme into the project's sources"),   # the root
    "themes/default/static/tales": ("../../../content/stories", "from the theme into the project's sources"),
    "themes/default/static/tr": ("../../../translations", "from the theme into the project's sources"),
    "themes/default/static/settings.toml": ("../../../foundry.toml", "from the theme into the project's sources"),
    "themes/default/static/out": ("../../../build", "into foundry's own folders"),   # a loop of its own output
    "themes/default/templates/road.md": ("../../../content/stories/first-story.md",
                                         "from the theme into the project's sources"),
    "themes/default/locale": ("../../translations", "from the theme into the project's sources"),
    "themes/default/print/img/art": ("../../../../content/assets", "from the theme into the project's sources"),
}
DRAFT = "The fog comes in off the marsh"   # tests/roots/minimal's first-story.md, a draft


def test_a_theme_link_into_the_projects_sources_or_outputs_is_refused_and_a_release_publishes_no_draft(
        project_factory):
    """A theme's files are published (static/) or drawn (templates/, print/) as they are,
    so a link from the theme to a folder inside the project published its raw sources:
    `static/proj -> ../../..` put every story's Markdown, drafts included and from
    `build --release` too, under build/site/assets/proj/ (and the walk from there reached
    .git/ and build/ itself). A theme file reached through a link into content/,
    translations/, schemas/, foundry.toml, the root or foundry's own folders is refused
    at the link (HF0120, check and build alike); a link to another theme's file is fine."""
    assert set(SOURCES) | {THEMES} == set(PROJECT_INPUTS)   # every input but the theme is a source
    root = project_factory({"content/assets/notes.txt": f"{SECRET} in an asset\n",
                            "translations/de/content/stories/first-story.md.po": f'msgid "x"\nmsgstr "{SECRET}"\n',
                            "themes/other/static/shared.css": ".shared-between-themes { color: teal }\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    with open(root / ".git/config", "a", encoding="utf-8") as config:
        config.write(f'[http "https://example.org/"]\n\textraheader = AUTHORIZATION: basic {SECRET}\n')
    assert invoke("build", "--project", str(root), "--only", "json").exit_code == 0   # build/ and the caches exist
    for rel, (target, _) in THEME_LINKS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    os.symlink("../../other/static/shared.css", root / "themes/default/static/shared.css")
    for command in (("check",), ("build", "--release", "--only", "json,html")):
        run = invoke(*command, "--project", str(root), "--format", "json")
        said = {d["file"]: d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0120"}
        assert run.exit_code == 1 and sorted(said) == sorted(THEME_LINKS), (command, run.exit_code, sorted(said))
        for rel, (_, words) in THEME_LINKS.items():
            assert said[rel]["line"] == 0 and f"{rel} is a symbolic link {words}" in said[rel]["message"]
            assert said[rel]["hint"]
    for rel in THEME_LINKS:
        (root / rel).unlink()
    run = invoke("build", "--project", str(root), "--release", "--only", "json,html")
    assert run.exit_code == 0, run.output
    assert b".shared-between-themes" in (root / "build/site/assets/shared.css").read_bytes()   # fine
    built = [p for p in (root / "build").rglob("*") if p.is_file()]
    assert built and not [p for p in built if DRAFT.encode() in p.read_bytes() or SECRET.encode() in p.read_bytes()]


def test_a_theme_folder_linked_elsewhere_in_the_project_is_still_judged_as_the_theme(project_factory):
    """`themes/default -> ../shared-theme` is allowed (a theme kept in a folder of the
    project's own), but the site's theme was then read by the folder the link leads to,
    shared-theme/…, a path not starting in themes/: its `static/proj -> ../..` was no
    theme's link to the Boundary, and `build --release` published every story's
    Markdown, drafts included, under build/site/assets/proj/. Its files are read by the
    path that names them (themes/default/…): the link is HF0120, its other files work."""
    root = project_factory({"shared-theme/static/ok.css": ".kept-in-shared { color: teal }\n"})
    (root / "themes").mkdir()
    os.symlink("../shared-theme", root / "themes/default")
    os.symlink("../..", root / "shared-theme/static/proj")
    run = invoke("build", "--project", str(root), "--release", "--only", "html", "--format", "json")
    said = [d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0120"]
    assert run.exit_code == 1 and [d["file"] for d in said] == ["themes/default/static/proj"], run.stdout
    assert not (root / "build").exists() or DRAFT.encode() not in _published(root)
    (root / "shared-theme/static/proj").unlink()
    run = invoke("build", "--project", str(root), "--release", "--only", "html")
    assert run.exit_code == 0, run.output
    assert b".kept-in-shared" in (root / "build/site/assets/ok.css").read_bytes()


PNPM_FILE = "node_modules/htmx.org/dist/htmx.min.js"
# Other package managers' hidden stores below node_modules/, each a theme's static file
# linked through the package's link into it: Yarn's pnpm linker and npm's linked install
# strategy keep `.store/`, vlt `.vlt/` (`../../../node_modules/alpinejs/…` was refused as
# a link to a hidden folder, and the build failed)
STORES = {"themes/default/static/alpine.js": (".store/alpinejs@3.14.1/node_modules/alpinejs", "alpinejs"),
          "themes/default/static/lit.js": (".vlt/~npm~lit@3.2.0/node_modules/lit", "lit")}


def test_an_input_linked_to_a_hidden_file_beside_the_project_is_refused(project_factory):
    """A checkout holds more than the project: a maintainer's `.env`, a CI step's
    `.npmrc` or `.ssh/`, uncommitted, beside content/. A pull request's
    `themes/default/static/env.txt -> ../../../.env` published the file in the site, and
    `content/heroes/env.yaml -> ../../.env` printed its lines in the log (a code frame).
    An input reached at a hidden file or folder outside the inputs is HF0120 at the
    link, its bytes never shown; a hidden folder inside the inputs is the project's.
    So is a link from an input to the project's root."""
    root = project_factory({".env": f"API_TOKEN={SECRET}\n", ".ssh/id_ed25519": f"{SECRET} key\n",
                            "gha-creds-5e3f9a.json": f'{{"token": "{SECRET}"}}\n',
                            "themes/default/static/.kept/kept.css": ".kept-hidden-in-theme { color: teal }\n",
                            # a folder beside the inputs holding a committed README and an uncommitted
                            # secret, the theme's templates linked to it: once README.md was read from
                            # the folder, `read` took `.env` there as a plain name in a folder it held
                            "ops/README.md": "Deploy notes.\n", "ops/.env": f"API_TOKEN={SECRET}\n",
                            "themes/default/templates/404.html":
                                '{% extends "base.html" %}{% block main %}<pre>{% include "ops/README.md" %}'
                                '{% include "ops/.env" ignore missing %}{% include "ops/\u200c.env" ignore missing %}'
                                '{% include "ops/ENV~1" ignore missing %}</pre>{% endblock %}\n',
                            # a package pnpm installed: node_modules/htmx.org is a link into its
                            # hidden store, no secret; a theme's link to its file is fine
                            f"node_modules/.pnpm/htmx.org@1.9.0/{PNPM_FILE}": "window.htmxFromPnpm = 1;\n",
                            **{f"node_modules/{store}/dist/x.js": f"window.from_{name} = 1;\n"
                               for store, name in STORES.values()},
                            # `\u200c.env` is `.env` on a disk of macOS (HFS+ ignores the code point),
                            # `ENV~1` its short name on NTFS: here files of their own, holding what
                            # `.env` would
                            "\u200c.env": f"API_TOKEN={SECRET}\n", "ops/\u200c.env": f"API_TOKEN={SECRET}\n",
                            "ENV~1": f"API_TOKEN={SECRET}\n", "ops/ENV~1": f"API_TOKEN={SECRET}\n"})
    # a picture at the project's top, named through `..` (no link): one file, not the root
    Image.new("RGB", (8, 8), (200, 10, 10)).save(root / "aria.png", "PNG")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("status: draft\n", "status: draft\nportrait: ../../aria.png\n"))
    os.symlink("../../../ops", root / "themes/default/templates/ops")
    os.symlink(".pnpm/htmx.org@1.9.0/node_modules/htmx.org", root / "node_modules/htmx.org")
    os.symlink(f"../../../{PNPM_FILE}", root / "themes/default/static/htmx.js")
    for rel, (store, name) in STORES.items():
        os.symlink(store, root / "node_modules" / name)
        os.symlink(f"../../../node_modules/{name}/dist/x.js", root / rel)
    # and the root itself: through `all` every file of the checkout was listed as a hero's
    # folder's, the names of what lies beside the project (an unguessable key's) in the log
    links = {"themes/default/static/env.txt": "../../../.env", "themes/default/static/ssh": "../../../.ssh",
             "content/heroes/env.yaml": "../../.env", "content/assets/keys": "../../.ssh",
             "schemas/skills.yaml": "../.env", "content/heroes/all": "../..",
             "content/heroes/zw.yaml": "../../\u200c.env", "content/heroes/short.yaml": "../../ENV~1"}
    (root / "schemas/skills.yaml").unlink()
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    os.symlink(".kept/kept.css", root / "themes/default/static/kept.css")
    for command in (("check",), ("build", "--only", "json,html")):
        run = invoke(*command, "--project", str(root), "--format", "json")
        said = {d["file"]: d["message"] for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0120"}
        assert run.exit_code == 1 and sorted(said) == sorted(links), (command, run.output)
        assert all("a symbolic link to a hidden file or folder outside the project's inputs" in m
                   for rel, m in said.items() if rel != "content/heroes/all"), said
        assert "is a symbolic link to the project's root folder" in said["content/heroes/all"]
        assert SECRET not in run.output and "gha-creds" not in run.output
    for rel in links:
        (root / rel).unlink()
    shutil.copy(REPO / "tests/roots/minimal/schemas/skills.yaml", root / "schemas/skills.yaml")
    run = invoke("build", "--project", str(root), "--only", "json,html")
    assert run.exit_code == 0, run.output
    assert b".kept-hidden-in-theme" in (root / "build/site/assets/kept.css").read_bytes()
    assert b"htmxFromPnpm" in (root / "build/site/assets/htmx.js").read_bytes()
    for rel, (_, name) in STORES.items():
        assert f"window.from_{name}".encode() in (root / "build/site/assets" / Path(rel).name).read_bytes()
    assert list((root / "build/site").rglob("aria*.png")), "the portrait at the project's top was not published"
    assert "Deploy notes." in (root / "build/site/404.html").read_text()   # the folder was read from
    assert SECRET.encode() not in _published(root)


def test_a_name_holding_a_nul_is_no_file_to_every_confined_look(tmp_path):
    """No file's name holds a NUL: the confined read, is_file and is_dir say so, as
    os.path.isfile does. read's fast path (by the folder's descriptor) and is_file's and
    is_dir's lstat raised ValueError ("embedded null byte"), which a caller catching
    OSError let through: a theme's `{% include "a\\x00b.html" %}` was an internal error."""
    from pipeline.confine import boundary
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a").write_text("x")
    fence = boundary(tmp_path)
    assert fence.read(tmp_path / "content" / "a") == b"x"   # the folder's descriptor is held: the fast path
    for name in ("content/a\0b", "a\0", "content/a\0/x"):
        with pytest.raises(FileNotFoundError):
            fence.read(tmp_path / name)
        assert not fence.is_file(tmp_path / name) and not fence.is_dir(tmp_path / name)


def test_a_print_template_whose_text_is_a_path_is_read_as_text(project_factory, tmp_path):
    """tinyhtml5.parse takes a str of under 200 characters that names a file for that
    file's name, and reads the file: a print template holding `/proc/self/environ`,
    `../../.env` or any path out of the project had check open and read it, and say the
    addresses in its tags (HF0704 printed the outside file's). The template is read as
    the text it is, as WeasyPrint reads a page."""
    root = project_factory()
    page = _outside(tmp_path, "page.html", f'<img src="https://x.example/{SECRET}.png">\n')
    template = root / "themes/default/print/templates/hero-sheet.html.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(str(page), encoding="utf-8")
    assert len(str(page)) < 200
    diags, opened = _checked_watching(root)
    assert opened, "the audit hook saw nothing: it is not watching"
    assert [p for p in opened if p.startswith(str(page.parent))] == []
    assert SECRET not in "".join(d.message + (d.hint or "") for d in diags.items)


def test_an_entity_folder_linked_through_a_backslash_name_is_listed_where_the_rule_reads_it(project_factory, tmp_path,
                                                                                            monkeypatch):
    """The rule reads a link's `\\` as Windows does (`heroes -> h\\x` is `h/x`), Linux
    follows it as one name `h\\x`, which a pull request links out. The folders standing
    in an entity file's place were listed by the system's reading: check listed a folder
    outside the project and said HF0125 at each `.yaml` folder there; and a link to
    nothing by the rule's reading was stat'ed through the system's, so a device outside
    (`b\\c -> /dev/null`) made `twin` a character that exists. And a theme's
    `templates -> /elsewhere` had os.path.realpath lstat the folders out there (the
    memo of the templates' check asks whether the folder is reached through a link).
    And `schemas -> content\\h\\s` was listed through `content\\h\\s` out, its
    `secret.yaml` said as a rule file not read (HF0122)."""
    from pipeline.load.files import discover

    root = project_factory()
    outside = tmp_path / "outside"
    (outside / "secret.yaml").mkdir(parents=True)
    (root / "content/h").mkdir()
    (root / "content/heroes").rename(root / "content/h/x")   # where the rule reads `heroes`
    os.symlink("h\\x", root / "content/heroes")
    os.symlink(outside, root / "content/h\\x")
    os.symlink("b\\c", root / "content/characters/twin.yaml")
    os.symlink(os.devnull, root / "content/characters/b\\c")
    (outside / "templates").mkdir()
    (root / "themes/default").mkdir(parents=True)
    os.symlink(outside / "templates", root / "themes/default/templates")
    (root / "schemas").rename(root / "content/h/s")   # and the rule book's unknown files, listed there
    os.symlink("content\\h\\s", root / "schemas")
    os.symlink(outside, root / "content\\h\\s")
    diags, opened, stated = _checked_watching_stats(root, str(outside), monkeypatch)
    assert stated == []
    assert opened, "the audit hook saw nothing: it is not watching"
    assert [p for p in opened if os.path.realpath(p).startswith(str(outside))] == []
    assert not [d for d in diags.items if "secret" in d.span.path + d.message]
    ids = {found.id for found in discover(root, Diagnostics())}
    assert "first-hero" in ids and "twin" not in ids, ids   # the heroes read where the rule reads them


def test_a_template_linked_through_a_backslash_name_is_drawn_as_the_rule_reads_it(project_factory, tmp_path):
    """`templates/hero.html -> .a\\b`: the rule reads `.a/b` (as Windows does), Linux
    follows one name `.a\\b`, which a pull request links to a copy of the shipped
    hero.html outside. check compared the template with the shipped one by the system's
    reading (stat and read outside the project), took it for foundry's and never drew it;
    and the failure of the one the rule reads was placed by Path.resolve, outside, as not
    the theme's: check stopped on the render's TypeError."""
    from pipeline.toolid import SHIPPED_THEME

    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(re.sub(r"outputs = \[.*\]", 'outputs = ["html"]', config.read_text()))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hero.html").write_bytes((SHIPPED_THEME / "templates/hero.html").read_bytes())
    templates = root / "themes/default/templates"
    (templates / ".a").mkdir(parents=True)
    (templates / ".a/b").write_text('{{ 1 + "x" }}\n')
    os.symlink(".a\\b", templates / "hero.html")
    os.symlink(outside / "hero.html", templates / ".a\\b")
    diags = Diagnostics()
    check(root, diags)
    # the name `.a\\b` itself, which no Windows checkout can hold, is refused (HF0135), and
    # no template is drawn while it is; without it, the link is drawn as the rule reads it
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0135", "themes/default/templates/.a\\b")], \
        [d.message for d in diags.items]
    (templates / ".a\\b").unlink()
    diags = Diagnostics()
    check(root, diags)
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0703", "themes/default/templates/.a/b")], \
        [d.message for d in diags.items]
