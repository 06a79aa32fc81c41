"""Our own exports imported again: what the ink and Twee exports write of the hero
and of the prose reads back as what it was, so export → import → export is stable."""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from support import foundry, write_project

from import_support import exported_then_imported, imported

STORY = """---
title: The Fen Crossing
status: draft
summary: A crossing that asks who you are.
start: road
protagonist: first-hero
variables:
  coins: 2
---

## The Fen Road {#road}

The fog comes in off the marsh like a *tide*, and **nothing** stays *dry* for long.

- [Vault the ditch](#bank){if="agility >= 12 and level >= 1" do="coins += 1" id="vault"}
- [Lie in wait](#bank){if="has_skill('ambush')" do="give 'lantern'" id="wait"}
- [Light the lantern](#bank){if="has('lantern') and coins >= 2" do="take 'lantern'; coins -= 2" id="light"}
- [Follow the tracks](#tracks)

## Tracks in the Mud {#tracks}

Boot prints, fresh.

- [Follow them to the bank](#bank)

## The Far Bank {#bank .ending}

Dry ground at last.
"""


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", {"content/stories/fen.md": STORY}, "minimal")


def _front(root: Path, sid: str) -> str:
    return (root / f"content/stories/{sid}.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]


def _declarations(ink: str) -> list[str]:
    """An ink export's lines before its first divert, but its first (the title and source)."""
    return ink.split("\n-> ", 1)[0].split("\n")[1:]


def test_the_hero_of_an_ink_export_imports_as_the_hero(tmp_path):
    """`CONST agility = 13`, `CONST skill_ambush = true`, `VAR item_lantern = false`
    are the exported hero's: imported, they are read from the playing hero again
    (agility, has_skill, has/give/take), not made story variables (`story_agility`,
    which exported again beside the hero's own `agility`), and the report says so."""
    root = _project(tmp_path)
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    first = (root / "build/ink/fen.ink").read_text(encoding="utf-8")
    assert "CONST agility = " in first and "CONST skill_ambush = " in first and "VAR item_lantern = " in first
    source = tmp_path / "fen.ink"
    source.write_text(first, encoding="utf-8")
    run = imported(root, "ink", source, "again")
    assert run.code == 0, run.stderr
    said = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1010"]
    assert any("'agility'" in m and "playing hero" in m for m in said), said
    assert any('has_skill("ambush")' in m for m in said) and any('has("lantern")' in m for m in said), said

    front = _front(root, "again")
    assert "coins: 2" in front and "agility" not in front and "skill_" not in front and "item_" not in front, front
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    for written in ("agility >= 12 and level >= 1", "has_skill('ambush')", "give 'lantern'",
                    "has('lantern') and coins >= 2", "take 'lantern'; coins -= 2"):
        assert written in body, (written, body)

    # the imported story plays as the hero who plays it, and exports as the first did
    text = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "\nprotagonist: first-hero\n" in text   # the hero the export was made for plays it again
    diags = Diagnostics()
    check(root, diags)
    assert not diags.has_errors(), [d.message for d in diags.errors]
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    second = (root / "build/ink/again.ink").read_text(encoding="utf-8")
    assert _declarations(second) == _declarations(first)
    # the knots in the order the first export wrote them (the order of the story)
    knots = [line for line in first.splitlines() if line.startswith("=== ")]
    assert [line for line in second.splitlines() if line.startswith("=== ")] == knots


def test_inline_markup_survives_a_twee_export_imported_again(tmp_path):
    """`*x*`, `**x**`, code and `~~x~~` export to Twee as <em>, <strong>, <code>, <s> —
    in prose, in a scene's heading and in a choice's text; imported again they are
    that Markdown once more, not plain words (a heading's and a choice's were reduced
    to text), the rest stays escaped, and the import reports no markup reduced (each
    passage's `<p>` and the choice list's `<ul>`/`<li>` were HF1009, "reduced to its
    text", though nothing was). (ink has no emphasis: its export is plain text,
    docs/writing-stories.md "Limits".) What SugarCube would read as its own markup
    (`''`, `//`, `==`, `^^`; the typographer curls `''` in prose) is text in our Markdown,
    and comes back as typed: the
    export's `<html>` and `<<link>>` text are not wikified."""
    story = STORY.replace("## The Fen Road {#road}", "## The *Fen* Road `a*b` and/or //north// ''x'' {#road}").replace(
        "[Follow the tracks](#tracks)", "[Follow **the** ~~tracks~~ `x` *now* //fast// ==y==](#tracks)").replace(
        "Boot prints, fresh.", "Boot prints, `*fresh*`, ``a`b``, //one// ==three== ^^four^^ http://x.org//y.")
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": story}, "minimal")
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    twee = (root / "build/twee/fen.twee").read_text(encoding="utf-8")
    assert "<em>tide</em>" in twee and "<strong>nothing</strong>" in twee and "<em>Fen</em>" in twee
    source = tmp_path / "fen.twee"
    source.write_text(twee, encoding="utf-8")
    run = imported(root, "twine", source, "again")
    assert run.code == 0, run.stderr
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF1009"] == []
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "like a *tide*, and **nothing** stays *dry* for long\\." in body, body
    assert "## The *Fen* Road `a*b` and/or //north// \\'\\'x\\'\\' {#road}" in body, body
    assert "- [Follow **the** ~~tracks~~ `x` *now* //fast// \\=\\=y\\=\\=](#tracks)" in body, body
    assert ("Boot prints, `*fresh*`, ``a`b``, //one// \\=\\=three\\=\\= \\^\\^four\\^\\^ "
            "http://x\\.org//y\\.") in body, body
    assert foundry("check", "--project", str(root)).code == 0


def _story_init(twee: str) -> str:
    return twee.split(":: StoryInit", 1)[1].split("\n::", 1)[0]


def test_the_hero_of_a_twee_export_imports_as_the_hero(tmp_path):
    """The Twee export sets the hero in StoryInit (`<<set $agility to 13>>`, "fixed for
    this export"): imported, those are the playing hero's again, as the ink export's
    CONSTs are, and exporting the imported story sets the same StoryInit."""
    root = _project(tmp_path)
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    first = (root / "build/twee/fen.twee").read_text(encoding="utf-8")
    assert "<<set $agility to " in _story_init(first) and "<<set $item_lantern to " in _story_init(first)
    source = tmp_path / "fen.twee"
    source.write_text(first, encoding="utf-8")
    run = imported(root, "twine", source, "again")
    assert run.code == 0, run.stderr
    front = _front(root, "again")
    assert "coins: 2" in front and "agility" not in front and "skill_" not in front and "item_" not in front, front
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    for written in ("agility >= 12 and level >= 1", "has_skill('ambush')", "give 'lantern'",
                    "has('lantern') and coins >= 2", "take 'lantern'"):
        assert written in body, (written, body)
    text = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "\nprotagonist: first-hero\n" in text   # the hero the export was made for plays it again
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    second = (root / "build/twee/again.twee").read_text(encoding="utf-8")
    assert _story_init(second) == _story_init(first)


def test_an_ink_export_imported_again_keeps_the_story_title(tmp_path):
    """The ink export names its story on its first line (`// <title>: exported by Hero
    Foundry from …`), its only place there; imported again, the story had the file's
    name for a title ('Fen' for fen.ink), and its next export said so. A title holding
    ': ' and Markdown's characters reads back as it was."""
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": STORY.replace(
        "title: The Fen Crossing", 'title: "Act 2: The Fen & the *Fog*"')}, "minimal")
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    first = (root / "build/ink/fen.ink").read_text(encoding="utf-8")
    source = tmp_path / "fen.ink"
    source.write_text(first, encoding="utf-8")
    assert imported(root, "ink", source, "again").code == 0
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    again = (root / "build/ink/again.ink").read_text(encoding="utf-8")
    assert again.split("\n", 1)[0] == first.split("\n", 1)[0].replace("/fen.md", "/again.md"), again[:200]
    assert again.split("\n", 1)[1] == first.split("\n", 1)[1]


def test_a_paragraph_over_several_lines_comes_back_one_paragraph_from_twee(tmp_path):
    """A Markdown paragraph written over several lines is one <p> over those lines in
    the Twee export; imported again, each line was a paragraph of its own (a scene of
    one paragraph came back as eleven), and the next export said so."""
    story = STORY.replace("The fog comes in off the marsh like a *tide*, and **nothing** stays *dry* for long.",
                          "The fog comes in off the marsh\nlike a *tide*, and **nothing**\nstays *dry* for long.")
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": story}, "minimal")
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    first = (root / "build/twee/fen.twee").read_text(encoding="utf-8")
    assert "marsh\nlike" in first
    source = tmp_path / "fen.twee"
    source.write_text(first, encoding="utf-8")
    assert imported(root, "twine", source, "again").code == 0
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    again = (root / "build/twee/again.twee").read_text(encoding="utf-8")
    # the same export, but for where the paragraph's lines break (a soft break is a space)
    body = lambda text: " ".join(line for line in text.splitlines()[1:] if '"ifid"' not in line).split()  # noqa: E731
    assert body(again) == body(first), again
    assert "<p>The fog comes in off the marsh like a <em>tide</em>, and <strong>nothing</strong> stays <em>dry</em> " \
           "for long.</p>" in again


def test_a_line_break_inside_a_paragraph_still_breaks_the_line_from_twee(tmp_path):
    """A hard line break (`\\` at a line's end) is a <br> inside the <p> of the Twee
    export: imported again, it still ends the line (a <p>'s plain line breaks are
    spaces, its <br> is not)."""
    story = STORY.replace("The fog comes in off the marsh like a *tide*, and **nothing** stays *dry* for long.",
                          "The fog comes in off the marsh\\\nlike a tide.")
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": story}, "minimal")
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    first = (root / "build/twee/fen.twee").read_text(encoding="utf-8")
    assert "<br" in first, first
    source = tmp_path / "fen.twee"
    source.write_text(first, encoding="utf-8")
    assert imported(root, "twine", source, "again").code == 0
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "marsh like" not in body and "like a tide" in body, body


def test_an_ink_export_imported_again_keeps_its_arithmetic(tmp_path):
    """The ink export writes `/`, `//`, `%`, round, abs and clamp through functions it
    defines (HF_div, HF_floor_div, HF_round…) or ink's own (MAX, MIN, INT(FLOOR(…)),
    `((a mod b) + b) mod b`), moves an expression's deep parts into HF_part_ functions,
    and ends a scene whose choices all have conditions with `+ -> END`. Imported again,
    each of those was HF1003/HF1007 ("function call 'HF_div(…)' has no counterpart"): the
    effects were lost and the conditions dropped, so the story played otherwise. Now they
    read back as what they compute, unsaid, and the story exports as it did."""
    deep = "coins"
    for n in range(14):         # past the export's INK_NESTING: HF_part_ functions
        deep = f"max({n}, {deep} - 1)" if n % 2 else f"abs({deep} / 2)"
    story = STORY.replace('{if="agility >= 12 and level >= 1" do="coins += 1" id="vault"}',
                          '{if="coins / 2 > 0.5 and floor(coins / 3) < 4" do="coins = coins // 2; coins = coins % 3" '
                          'id="vault"}').replace(
        '- [Follow them to the bank](#bank)',
        '- [Follow them to the bank](#bank){if="round(coins / 3) >= 0 and clamp(coins, 1, 3) > 0" '
        'do="coins = abs(coins - 5) + ceil(coins / 4)"}\n'
        f'- [Count the prints](#bank){{if="{deep} < 100" do="coins = {deep} + 1" id="count"}}')
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": story}, "minimal")
    first, run = exported_then_imported(root, tmp_path, "ink", "fen")
    for written in ("HF_div(", "HF_floor_div(", "HF_round(", "HF_part_", " mod 3) + 3) mod 3", "\n+ -> END\n"):
        assert written in first, written
    assert run.code == 0, run.stderr
    assert [d for d in run.json()["diagnostics"] if d["code"] != "HF1010"] == []
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert 'if="coins / 2 > 0.5 and floor(coins / 3) < 4" do="coins = coins // 2; coins = coins % 3"' in body, body
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    again = (root / "build/ink/again.ink").read_text(encoding="utf-8")
    assert again.split("\n", 1)[1] == first.split("\n", 1)[1]


def test_an_imported_block_is_left_out_of_the_twee_export(tmp_path):
    """The ```imported block (what an import could not carry over) is the writer's note:
    `foundry play` and ink leave it out, the site shows it as code. The Twee export, a
    story a player plays, showed it too, as <pre><code>; imported again it became prose
    the player reads (HF1009 "reduced to its text"). A code block of the writer's own
    stays in every output (imported again, a paragraph: HF1009, as any <pre>)."""
    story = STORY.replace("Boot prints, fresh.", "Boot prints, fresh.\n\n```imported\ncave.ink:3:1: <- chatter\n```\n\n"
                          "```\nKEEP OUT\n```")
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": story}, "minimal")
    twee, run = exported_then_imported(root, tmp_path, "twee", "fen", only="html,twee")
    assert "chatter" not in twee and "KEEP OUT" in twee, twee
    page = (root / "build/site/stories/fen.html").read_text(encoding="utf-8")
    assert "cave.ink:3:1: &lt;- chatter" in page and "KEEP OUT" in page
    assert run.code == 0, run.stderr
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "chatter" not in body and "KEEP OUT" in body, body


def test_a_translated_ink_export_imports_without_its_line_tags_said(tmp_path):
    """A project with `[l10n] languages` writes line ids into its ink (`# line:`, a
    table's row one a cell), and a line shown in the base language says so
    (`# lang: en`, `# title_lang: en`). Imported again, a row of two cells' `# line: a
    # line: b` and each `# lang:` were said as tags that cannot be imported (HF1003, kept
    as comments in the story): they are our own export's, read and left as the line ids
    are (`l10n tag` makes them again); another writer's `# lang:` is still said."""
    table = "\n\n| Road | Toll |\n|---|---|\n| Fen | 2 |\n"
    root = write_project(tmp_path / "proj", {"content/stories/fen.md": STORY.replace("Boot prints, fresh.",
                                                                                    "Boot prints, fresh." + table)},
                         "minimal")
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("build", "--project", str(root), "--only", "ink", "-q").code == 0
    ink = (root / "build/ink/de/fen.ink").read_text(encoding="utf-8")
    assert "# title_lang: en" in ink and "  # lang: en" in ink
    assert any(line.count("# line: ") == 2 and line.count("# lang: en") == 2 for line in ink.split("\n")), ink
    source = tmp_path / "fen.ink"
    source.write_text(ink, encoding="utf-8")
    run = imported(root, "ink", source, "again")
    assert run.code == 0, run.stderr
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF1003"] == []
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "lang:" not in body and "line:" not in body and "Fen" in body, body   # (a row comes back as its text)
    # another writer's `# lang:` is theirs, not our export's: said, as before, never dropped unsaid
    theirs = tmp_path / "theirs.ink"
    theirs.write_text("Bonjour. # lang: fr\n-> END\n", encoding="utf-8")
    run = imported(root, "ink", theirs, "theirs")
    assert [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1003"] == \
        ["a tag cannot be imported: '# lang: fr' is kept as a comment"], run.stdout
    # a file with our export's header whose `# lang:` names no language (a stranger's, or
    # edited): under a choice and at a scene's top it was dropped unsaid as ours (while the
    # same at a line's end was said); each is said now, as every tag our export never wrote
    faked = tmp_path / "faked.ink"
    faked.write_text(ink.replace("  # lang: en", "  # lang: <script>", 1)
                     .replace("# title_lang: en", "# title_lang: " + "x" * 10_000, 1), encoding="utf-8")
    run = imported(root, "ink", faked, "faked")
    said = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1003"]
    assert len(said) == 2 and any("# lang: <script>" in m for m in said) and \
        any("# title_lang: xxx" in m for m in said), run.stdout
