"""An EPUB cover drawn with a character no font has showed an empty box, silently.
Now HF0752 says so, once, at the file the title comes from. U+0378 is an unassigned
code point: no font on any machine draws it, so the test means the same everywhere."""

from __future__ import annotations

import shutil
import zipfile

from book_support import ONE_PROCESS
from support import ROOTS, diagnostics, foundry, require_tool

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def covers(run) -> list[tuple]:
    """Each HF0752 of a run, as (file, line, column, message), sorted."""
    return sorted((d["file"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]
                  if d["code"] == "HF0752")


def assert_check_foretells(root, build) -> None:
    """`foundry check` says each HF0752 the EPUB build said, in its words at its place:
    it came from the build alone, so 'check --strict' passed what 'build --strict'
    stopped on."""
    run = foundry("check", "--project", str(root), "--format", "json", env=EPOCH)
    assert covers(run) == covers(build), (covers(run), covers(build))


def test_a_cover_no_font_can_draw_is_a_warning_once(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0 and diagnostics(run) == []    # a cover every character of which is drawn: nothing said
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road \u0378", 1),
                     encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:   # two editions, one cover title
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    found = [d for d in run.json()["diagnostics"] if d["code"] != "HF1105"]   # HF1105: German not translated
    assert [(d["code"], d["severity"], d["file"]) for d in found] == \
        [("HF0752", "warning", "content/stories/first-story.md")]
    assert "U+0378" in found[0]["message"]
    # the hint HF0741 gives for the same characters (a Korean title was told fonts-noto-core)
    from pipeline.exporters.pdf.glyphs import font_hint
    assert found[0]["hint"] == font_hint("\u0378", "EPUBs"), found[0]["hint"]
    assert_check_foretells(root, run)
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:   # the book is still made
        assert any(name.endswith(".png") for name in book.namelist())


def test_characters_from_foundry_toml_are_placed_at_its_lines(tmp_path):
    """The world's title and description (foundry.toml) print on every cover and title
    page. A character no font has there was HF0741 at 'foundry.toml' with no line, once
    per set of books with the characters of both fields run together, and the story
    EPUB's cover (which prints the world's name) put HF0752 at the story's file, which
    does not hold it. Now each is at the line and column that holds it."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    text = text.replace(title, title[:-1] + ' \u0378"', 1)
    text = text.replace('description = "', 'description = "\u0379 ', 1)
    config.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    at = {ch: next((n, line.index(ch) + 1) for n, line in enumerate(lines, 1) if ch in line) for ch in "\u0378\u0379"}
    run = foundry("build", "--project", str(root), "--only", "pdf,epub", "--format", "json", env={**EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    found = run.json()["diagnostics"]
    glyphs = sorted((d["file"], d["line"], d["column"], d["message"].split(" can print ")[1].split(" ")[0].strip("'"))
                    for d in found if d["code"] == "HF0741")
    assert glyphs == sorted([("foundry.toml", *at["\u0378"], "\u0378"), ("foundry.toml", *at["\u0379"], "\u0379")]), found
    drawn = [(d["file"], d["line"]) for d in found if d["code"] == "HF0752"]
    assert drawn and set(drawn) <= {("foundry.toml", at["\u0378"][0]), ("foundry.toml", at["\u0379"][0])}, found
    assert_check_foretells(root, run)
    # No cover prints the description: written above the title and holding the title's
    # character, it took the covers' HF0752 (each character at the first line holding it)
    described = next(line for line in lines if line.startswith("description = "))
    moved = [line for line in lines if line != described]
    moved.insert(moved.index("[project]") + 1, described.replace('= "', '= "\u0378 ', 1))
    config.write_text("\n".join(moved) + "\n", encoding="utf-8")
    title_line = next(n for n, line in enumerate(moved, 1) if line.startswith("title = "))
    checked = foundry("check", "--project", str(root), "--format", "json", env=EPOCH)
    assert checked.code == 0 and [(file, line) for file, line, _, _ in covers(checked)] == [
        ("foundry.toml", title_line)], diagnostics(checked)


def test_a_cover_title_in_two_scripts_no_one_font_has_is_drawn_in_both(tmp_path):
    """A title mixing Japanese and Devanagari ("霧の道 नमस्ते"): the cover drew a whole
    text in one font, the one fontconfig matched best, and Noto CJK has no Devanagari
    (nor Noto Devanagari any kanji), so the Devanagari printed as empty boxes and
    HF0752 said no font on the machine had them, though one does (the PDF prints them).
    Each character is drawn in a font that has it: nothing to warn of. Needs the fonts
    .ci/fonts.txt installs (ja, hi)."""
    import subprocess
    require_tool(shutil.which("fc-list") is not None, "fc-list (fontconfig)")
    for lang in ("ja", "hi"):
        require_tool(subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                                    text=True).stdout.strip() != "", f"a font for '{lang}' (.ci/fonts.txt)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road 霧の道 नमस्ते", 1),
                     encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0752"] == []
    assert_check_foretells(root, run)
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:
        assert any(name.endswith("cover.png") for name in book.namelist())


def test_a_cover_character_from_a_translation_or_the_projects_theme_is_at_its_line(tmp_path):
    """A German EPUB's cover prints the story's translated title and the theme's word
    for "A gamebook": a character no font has in the translation was HF0752 at the
    story's file with no line (which does not hold it), and one in the project's own
    theme catalog at foundry.toml. Each is at the line that holds it. The catalog's
    line names every character of it drawn as a box, one the title also holds too: it
    was said with its other characters only (their column), as if the title's were not
    boxes there as well."""
    import polib
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    assert foundry("theme", "eject", "locale/de/LC_MESSAGES/messages.po", "--project", str(root)).code == 0
    translation = root / "translations/de/content/stories/first-story.md.po"
    po = polib.pofile(str(translation))
    [title] = [e for e in po if e.msgctxt == "story.first-story.title"]
    title.msgstr = "Die Nebelstraße \u0378"
    po.save()
    catalog = root / "themes/default/locale/de/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "A gamebook"\nmsgstr "Ein Spielbuch"\n' in text
    catalog.write_text(text.replace('msgstr "Ein Spielbuch"', 'msgstr "Ein Spielbuch \u0378\u0379"'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    found = sorted((d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF0752")
    [theirs] = [message for file, _, _, message in covers(run) if file.startswith("themes/")]
    assert "U+0378, U+0379" in theirs, theirs

    def line_of(path, char):
        return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if char in line)
    assert found == sorted([("translations/de/content/stories/first-story.md.po", line_of(translation, "\u0378")),
                            ("themes/default/locale/de/LC_MESSAGES/messages.po", line_of(catalog, "\u0379"))]), found
    assert_check_foretells(root, run)


def test_each_line_of_foundry_toml_with_a_character_no_font_has_is_said_at_its_line(tmp_path):
    """Every cover prints the world's name and its authors (foundry.toml): a world
    named with one character no font has and an author with another were one HF0752,
    at the name's line, listing both; the author's line was never named. Now one
    warning a line, each with that line's characters, at the first of them; check
    says the same."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "Minimal \u0378"', 1)
    text = text.replace("authors = []", 'authors = ["Ann \u0379 Reed"]', 1)
    config.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    at = {ch: next((n, line.index(ch) + 1) for n, line in enumerate(lines, 1) if ch in line) for ch in "\u0378\u0379"}
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    said = {(file, line, column, message.split(" draws ")[1].split(" as ")[0]) for file, line, column, message in covers(run)}
    assert said == {("foundry.toml", *at["\u0378"], "U+0378"), ("foundry.toml", *at["\u0379"], "U+0379")}, said
    assert_check_foretells(root, run)


def test_a_cover_character_written_as_an_escape_or_repeated_in_a_comment_is_at_its_line(tmp_path):
    """A story's title written with a YAML escape (`"\\u0378"`) and the world's name
    with a TOML one: HF0741 found each at its line, HF0752 said both at their files
    with no line. And a comment above the title repeating its character (no cover
    prints a comment) drew HF0752 to the comment's line. Each HF0752 is now where HF0741
    is, in check and build alike."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    config.write_text(text.replace(title, title[:-1] + ' \\u0378"', 1), encoding="utf-8")
    at = text.splitlines().index(title) + 1
    story = root / "content/stories/first-story.md"
    source = story.read_text(encoding="utf-8")
    story.write_text(source.replace("title: The Fog Road", '# the \u0379 marks the ferry\ntitle: "The Fog \\u0379 Road"',
                                    1), encoding="utf-8")
    line = source.splitlines().index("title: The Fog Road") + 2
    run = foundry("build", "--project", str(root), "--only", "pdf,epub", "--format", "json", env={**EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    said = sorted((d["code"], d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    assert said == [("HF0741", "content/stories/first-story.md", line, 17),
                    ("HF0741", "foundry.toml", at, len(title) + 1),
                    ("HF0752", "content/stories/first-story.md", line, 17),
                    ("HF0752", "foundry.toml", at, len(title) + 1)], diagnostics(run)
    assert_check_foretells(root, run)


def test_a_character_of_both_the_story_title_and_the_world_name_is_one_warning_at_each_line(tmp_path):
    """A story's cover prints its title and the world's name. A character no font has
    in both (a story 霧の道 in a world 霧の世界, on a machine without CJK fonts) was given
    to the title alone: the story's cover said the world's line with its other
    characters only, at another column, beside the compendium's warning there naming
    them all — two HF0752 at one line of foundry.toml. Each line is said once, with
    every character of it the covers draw as boxes."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "Minimal \u0378\u0379"', 1),
                      encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog Road \u0378", 1),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json", env=EPOCH)
    said = [(file, line, column, message.split(" draws ")[1].split(" as ")[0]) for file, line, column, message in covers(run)]
    assert said == [("content/stories/first-story.md", 2, 21, "U+0378"), ("foundry.toml", 2, 18, "U+0378, U+0379")], said



def test_a_line_drawn_in_pillows_own_face_says_its_boxes(tmp_path):
    """A project theme whose label face cannot be opened (here not a font at all) and an
    author's name no font has: the cover's label line is drawn in Pillow's own face
    (Aileron, Latin alone), which drew it as a box, and neither check nor build said
    HF0752 (only a line whose face opened had its boxes counted). It is said now, at
    the author's line, by both."""
    from pipeline.exporters.epub.cover import FONTS
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8")
    assert 'theme = "default"' in text
    lines = [line if not line.startswith("authors = ") else 'authors = ["\u0378"]'
             for line in text.replace('theme = "default"', 'theme = "mine"').splitlines()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    face = root / "themes/mine/print" / FONTS["label"]
    face.parent.mkdir(parents=True)
    face.write_bytes(b"no font at all" * 100)
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("authors = "))
    assert [(file, at, "U+0378" in message) for file, at, _, message in covers(run)] == [
        ("foundry.toml", line, True)], diagnostics(run)
    assert_check_foretells(root, run)
