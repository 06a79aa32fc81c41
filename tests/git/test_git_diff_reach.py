"""`foundry diff` says every change a pull request makes to what is published, also
those that leave the entity's own file as it was: an image replaced under the same
name, a template's skills a hero inherits, a translation, the world's title in foundry.toml,
and the errors a rename causes in files the pull request never touched."""

from __future__ import annotations

import io

import json

from git_support import Repo, new_repo
from PIL import Image

from pipeline.diff import SideSpec, diff_sides, render


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), colour).save(out, format="PNG")
    return out.getvalue()


PO = '''
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "hero.aria.name"
msgid "Aria Vell"
msgstr ""
'''


def test_a_change_outside_the_entitys_file_is_told(tmp_path):
    repo: Repo = new_repo(tmp_path / "world")
    repo.edit("foundry.toml", "[teams]", '[l10n]\nlanguages = ["de"]\n\n[teams]')
    repo.edit("content/heroes/aria.yaml", "xp: 480\n", "xp: 480\nportrait: ../assets/aria.png\n")
    (repo.root / "content/assets").mkdir(parents=True)
    (repo.root / "content/assets/aria.png").write_bytes(_png("red"))
    repo.write("translations/de/content/heroes/aria.yaml.po", PO)
    repo.edit("content/heroes/bram.yaml", "status: draft\n", "status: draft\nportrait: ../assets/bram.png\n")  # missing
    repo.write("translations/de/content/heroes/bram.yaml.po", PO.replace("aria", "bram").replace(
        'msgid "Aria Vell"\nmsgstr ""', 'msgid "Bram Holloway"\nmsgstr "Bram (de)"'))
    with (repo.root / "content/stories/sunken-keep.md").open("a", encoding="utf-8") as story:
        story.write("\n## The Wall Again {#wall}\n\nMore stones.\n")   # HF0501 "(first at line N)"
    repo.commit("Aria's portrait, German to come")

    (repo.root / "content/assets/aria.png").write_bytes(_png("blue"))          # the same name, another image
    (repo.root / "content/assets/bram.png").write_bytes(_png("green"))         # the image the base missed
    repo.edit("content/templates/heroes/ranger.yaml", "skills: [tracking]", "skills: [tracking, ambush]")
    repo.edit("translations/de/content/heroes/aria.yaml.po",                   # translated for the first time
              'msgid "Aria Vell"\nmsgstr ""', 'msgid "Aria Vell"\nmsgstr "Aria Vell (de)"')
    repo.git("mv", "content/characters/tomas.yaml", "content/characters/tomas-reed.yaml")   # aria names 'tomas'
    repo.edit("foundry.toml", 'title = "The Sunken Keep"', 'title = "The Drowned Keep"')    # on every page
    # a translation file that does not parse: its one error, not its lines "changed" (taken away)
    repo.edit("translations/de/content/heroes/bram.yaml.po", 'msgstr "Bram (de)"', 'msgstr "Bram (de)')
    # the old HF0501 moved two lines down: its words say another line, it is no new error
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.", "Rain.\n\nThe portcullis.")
    repo.commit("A pull request that touches no word of Aria's file")

    # in-process: the revisions loaded once, rendered in the three formats
    diff = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    text = render(diff, "text") + "\n"
    aria = text.split("hero aria — changed  content/heroes/aria.yaml\n", 1)[1].split("\n\n", 1)[0]
    assert aria.splitlines() == ["  portrait: image replaced (same file name)",
                                 "  skills (effective value): + ambush"]
    assert ("hero bram — changed  content/heroes/bram.yaml\n"
            "  portrait: image added (none could be shown at the base)\n") in text
    assert "Translations changed (de): 1\n  hero.aria.name\n" in text
    assert ("New errors at the head (4; `foundry check` says where):\n"
            "  HF0302 content/heroes/aria.yaml: relationship with unknown hero or character 'tomas'\n"
            "  HF0302 content/quests/ember-relic.yaml: quest giver 'tomas' is not a hero or character\n"
            "  HF0302 content/stories/sunken-keep.md: unknown character 'tomas'\n"
            "  HF1104 translations/de/content/heroes/bram.yaml.po: ") in text
    assert "HF0501" not in text
    assert ("project foundry.toml — changed  foundry.toml\n"
            '  project.title: "The Sunken Keep" → "The Drowned Keep"\n') in text
    # the picture the base missed is there now: its error fixed, said (a review of a pull
    # request that fixes errors was told only what it broke)
    assert ("Errors fixed at the head (1; the base had them):\n"
            "  HF0306 content/heroes/bram.yaml: '../assets/bram.png' does not exist\n") in text
    assert text.rstrip().endswith("foundry.toml changed, 1 translation changed (de); 4 new errors; 1 error fixed; "
                                        "1 breaking change for the JSON contract.")
    data = json.loads(render(diff, "json"))
    assert data["changed_translations"] == [{"language": "de", "lines": ["hero.aria.name"]}]
    assert data["new_errors"][0] == {"code": "HF0302", "file": "content/heroes/aria.yaml",
                                     "message": "relationship with unknown hero or character 'tomas'"}
    assert data["fixed_errors"] == [{"code": "HF0306", "file": "content/heroes/bram.yaml",
                                     "message": "'../assets/bram.png' does not exist"}] and data["fixed_error_count"] == 1
    md = render(diff, "markdown")
    assert "- `HF0302` `content/heroes/aria.yaml`: `relationship with unknown hero or character 'tomas'`" in md
    assert ("**Errors fixed at the head: 1** (the base had them)\n\n"
            "- `HF0306` `content/heroes/bram.yaml`: `'../assets/bram.png' does not exist`") in md


def test_a_new_error_quoting_a_line_number_in_the_writers_words_is_new():
    """An old error moved (its "(first at line N)" another N) is no new error; but a number
    the writer's quoted words hold is theirs: a second choice 'Read line 5' to a missing
    scene, beside the base's 'Read line 4', was hidden as the old one moved."""
    from pipeline.diff.sides import new_errors
    from pipeline.diff.snapshot import Snapshot

    def side(*problems):
        return Snapshot({}, {}, {}, {}, len(problems), 0, problems=frozenset(problems))

    story = "content/stories/keep.md"
    old = ("HF0304", story, "choice 'Read line 4' leads to unknown scene 'vault'")
    new = ("HF0304", story, "choice 'Read line 5' leads to unknown scene 'vault'")
    moved = ("HF0501", story, "scene id 'wall' is used twice (first at line 12)")
    assert new_errors(side(old, moved), side(old, new, moved[:2] + (moved[2].replace("12", "14"),)), ()) == (new,)


def test_a_pull_request_changing_only_theme_and_asset_files_is_told(tmp_path):
    """A theme template changes every hero page, a picture a story shows changes its page:
    such a pull request was "No changes to the content", exit 0. Each file is told by
    its path (the project's theme folder and content/assets; a theme the project does
    not use, hidden files and portraits, which the hero tells, are not)."""
    from pipeline.exporters.html.theme import default_theme_dir

    repo: Repo = new_repo(tmp_path / "world")
    hero_html = (default_theme_dir() / "templates/hero.html").read_text(encoding="utf-8")
    repo.write("themes/default/templates/hero.html", hero_html)
    (repo.root / "content/assets").mkdir(parents=True)
    (repo.root / "content/assets/map.png").write_bytes(_png("red"))
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis.\n\n![The keep](../assets/map.png)")
    repo.commit("The keep's map, and our own hero page")

    repo.write("themes/default/templates/hero.html", hero_html.replace("</article>", "<p>Fan art</p></article>", 1))
    (repo.root / "content/assets/map.png").write_bytes(_png("blue"))       # the same name, another picture
    repo.write("themes/default/static/extra.css", "body { color: red }\n")
    repo.write("themes/default/.notes", "not published\n")
    repo.write("themes/unused/templates/hero.html", "<p>never drawn</p>\n")
    repo.commit("Only theme files and a picture")

    diff = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert diff.entities == ()
    assert diff.files == (("content/assets/map.png", "changed"), ("themes/default/static/extra.css", "added"),
                          ("themes/default/templates/hero.html", "changed"))
    text = render(diff, "text")
    assert text.endswith("\n1 asset file changed, 1 theme file added, 1 theme file changed.")
    assert "  themes/default/templates/hero.html changed\n" in text
    md = render(diff, "markdown")
    assert "**1 asset file changed, 1 theme file added, 1 theme file changed.**" in md
    assert "- `content/assets/map.png` changed" in md
    assert json.loads(render(diff, "json"))["files"][2] == {"path": "themes/default/templates/hero.html",
                                                            "change": "changed"}
    # a file past what is ever hashed (a revision's 1 GB blob, a sparse file): never read
    # whole, told by its git blob id (test_a_changed_asset_too_large_to_read_is_told)
    from pipeline.diff.sides import Loader
    from pipeline.load.hash_memo import MAX_HASHED
    with (repo.root / "content/assets/huge.bin").open("wb") as huge:
        huge.truncate(MAX_HASHED + 1)
    _, snap, _ = Loader(repo.root).load(SideSpec("working tree", None))
    assert snap.files["content/assets/huge.bin"] == "blob:" + repo.git("hash-object", "content/assets/huge.bin")
    (repo.root / "content/assets/huge.bin").unlink()
    # another theme named: that setting's change says it, not each file of the old one "removed"
    repo.write("themes/unused/static/site.css", "body { color: blue }\n")
    text = (repo.root / "foundry.toml").read_text(encoding="utf-8")
    (repo.root / "foundry.toml").write_text(text.replace("[project]\n", '[project]\ntheme = "unused"\n', 1)
                                            if "theme =" not in text else text.replace('theme = "default"',
                                                                                       'theme = "unused"'),
                                            encoding="utf-8")
    repo.commit("Another theme")
    diff = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert diff.files == () and diff.summary() == "foundry.toml changed.", diff.summary()


def test_a_changed_asset_too_large_to_read_is_told(tmp_path, monkeypatch):
    """A file past what foundry ever reads (64 MiB) was compared by its size alone: a
    70 MB asset changed in place, one byte, was "No changes to the content". It is
    known by its git blob id: a revision's from its tree (never read), the working
    tree's hashed in chunks. (The limit is made small here: the same code paths, without
    committing 64 MiB.)"""
    import importlib

    MAX_HASHED = 4096
    for module in ("pipeline.diff.snapshot", "pipeline.git.versions"):
        monkeypatch.setattr(importlib.import_module(module), "MAX_HASHED", MAX_HASHED)
    repo: Repo = new_repo(tmp_path / "world")
    huge = repo.root / "content/assets/huge.bin"
    huge.parent.mkdir(parents=True)
    with huge.open("wb") as out:
        out.truncate(MAX_HASHED + 1)
    repo.commit("A huge asset")
    with huge.open("r+b") as out:
        out.seek(7)
        out.write(b"x")
    working = diff_sides(repo.root, SideSpec("HEAD", repo.rev("HEAD")), SideSpec("working tree", None))
    assert working.files == (("content/assets/huge.bin", "changed"),)
    repo.commit("One byte of it")
    both = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert both.files == (("content/assets/huge.bin", "changed"),) and both.summary() == "1 asset file changed."
    same = diff_sides(repo.root, SideSpec("HEAD", repo.rev("HEAD")), SideSpec("working tree", None))
    assert same.files == ()


def test_a_file_checked_out_with_crlf_is_unchanged_as_git_says(tmp_path, monkeypatch):
    """core.autocrlf (git for Windows' default) or `eol=crlf` checks a text file out with
    CRLF while git stores it with LF: `git status` says nothing changed, `foundry diff`
    said the file changed (its bytes as they are against the revision's, written out
    with LF), every theme file of a Windows checkout. Small and past MAX_HASHED (known
    by blob id) alike; a real edit is still a change."""
    import importlib

    MAX_HASHED = 4096
    for module in ("pipeline.diff.snapshot", "pipeline.git.versions"):
        monkeypatch.setattr(importlib.import_module(module), "MAX_HASHED", MAX_HASHED)
    repo: Repo = new_repo(tmp_path / "world")
    repo.git("config", "core.autocrlf", "true")
    assets = repo.root / "content/assets"
    assets.mkdir(parents=True)
    (assets / "notes.txt").write_bytes(b"a line\r\n" * 10)
    (assets / "lines.txt").write_bytes(b"a line of text\r\n" * 400)   # past the limit
    (repo.root / ".gitattributes").write_text("*.csv text eol=crlf\n")
    (assets / "table.csv").write_bytes(b"a,b\r\n" * 10)
    repo.commit("Text assets, stored with LF")
    assert repo.git("status", "--porcelain") == ""
    working = SideSpec("working tree", None)
    assert diff_sides(repo.root, SideSpec("HEAD", repo.rev("HEAD")), working).files == ()
    (assets / "notes.txt").write_bytes(b"a line\r\n" * 9 + b"another\r\n")
    (assets / "lines.txt").write_bytes(b"a line of text\r\n" * 399 + b"b line of text\r\n")
    assert diff_sides(repo.root, SideSpec("HEAD", repo.rev("HEAD")), working).files == (
        ("content/assets/lines.txt", "changed"), ("content/assets/notes.txt", "changed"))


def test_a_translation_taken_away_is_said_so_not_only_changed(tmp_path):
    # a translator's pull request emptied Aria's German name and reworded Bram's: both were
    # "Translations changed (de)", read alike, and the German pages showed English for Aria
    repo: Repo = new_repo(tmp_path / "world")
    repo.edit("foundry.toml", "[teams]", '[l10n]\nlanguages = ["de"]\n\n[teams]')
    repo.write("translations/de/content/heroes/aria.yaml.po",
               PO.replace('msgid "Aria Vell"\nmsgstr ""', 'msgid "Aria Vell"\nmsgstr "Aria (de)"'))
    repo.write("translations/de/content/heroes/bram.yaml.po", PO.replace("aria", "bram").replace(
        'msgid "Aria Vell"\nmsgstr ""', 'msgid "Bram Holloway"\nmsgstr "Bram (de)"'))
    repo.commit("German names")
    repo.edit("translations/de/content/heroes/aria.yaml.po", 'msgstr "Aria (de)"', 'msgstr ""')
    repo.edit("translations/de/content/heroes/bram.yaml.po", 'msgstr "Bram (de)"', 'msgstr "Bram H. (de)"')
    repo.commit("German: Aria's name left to translate again")

    diff = diff_sides(repo.root, SideSpec("HEAD~1", repo.rev("HEAD~1")), SideSpec("HEAD", repo.rev("HEAD")))
    assert ("Translations changed (de): 2\n"
            "  hero.aria.name — no longer translated\n"
            "  hero.bram.name\n") in render(diff, "text")
    md = render(diff, "markdown")
    assert "- `hero.aria.name` — no longer translated\n- `hero.bram.name`\n" in md
    assert json.loads(render(diff, "json"))["changed_translations"] == [
        {"language": "de", "lines": ["hero.aria.name", "hero.bram.name"], "untranslated": ["hero.aria.name"]}]
