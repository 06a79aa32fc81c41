"""A link as Obsidian or Twine writes it — `[[lantern]]`, `[[Follow the tracks->tracks]]`
— is no CommonMark: it was published as typed, brackets and arrow, in every output,
with check clean (and as a choice, an HF0503 whose hint said nothing of it). In a
scene's prose it is HF0124 at its `[[`, the hint the choice it was meant as; in a choice
list HF0503 names it and gives that choice; in a YAML prose field HF0124 says to write
the words. Each hint followed checks clean."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from support import foundry

STORY_PATH = "content/stories/first-story.md"
HERO_PATH = "content/heroes/first-hero.yaml"


def _said(root):
    run = foundry("check", "--project", str(root), "--format", "json")
    return run, [(d["code"], d["file"], d["line"], d["column"], d["message"], d.get("hint", ""))
                 for d in run.json()["diagnostics"]]


def test_wiki_links_are_said_where_typed_and_the_hints_followed_check_clean(project_factory):
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in off the marsh like a tide. See [[lantern]] or `[[code]]`.").replace(
        "- [Follow the tracks alone](#tracks){if=\"agility >= 12\"}", "- [[Follow the tracks alone->tracks]]")
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    hero = (root / HERO_PATH).read_text(encoding="utf-8")
    assert "decides who arrives." in hero
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides who arrives. See [[Old Guide]]."),
                                  encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "See [[" in text)
    item = next(n for n, text in enumerate(lines, 1) if "- [[" in text)
    hero_line = next(n for n, text in enumerate((root / HERO_PATH).read_text().splitlines(), 1) if "[[" in text)
    assert [(c, p, n, col) for c, p, n, col, _, _ in said] == [
        ("HF0124", HERO_PATH, hero_line, (root / HERO_PATH).read_text().splitlines()[hero_line - 1].index("[[") + 1),
        ("HF0124", STORY_PATH, line, lines[line - 1].index("[[") + 1),     # not the one in code
        ("HF0503", STORY_PATH, item, 1),
    ], said
    by_code = {(c, p): (m, h) for c, p, _, _, m, h in said}
    assert "wiki link" in by_code["HF0124", STORY_PATH][0]
    assert "`- [lantern](#lantern)`" in by_code["HF0124", STORY_PATH][1], said
    assert "wiki link" in by_code["HF0503", STORY_PATH][0]
    assert "`- [Follow the tracks alone](#tracks)`" in by_code["HF0503", STORY_PATH][1], said
    assert "choice" not in by_code["HF0124", HERO_PATH][1], said
    # the words to keep named ('write them alone' left the writer to guess which)
    assert "as words of the scene, write just `lantern`" in by_code["HF0124", STORY_PATH][1], said
    assert by_code["HF0124", HERO_PATH][1].startswith("Write just `Old Guide`, or"), said

    # followed: the choice written as the hint gives it, the words alone elsewhere
    (root / STORY_PATH).write_text(typed.replace(" See [[lantern]] or `[[code]]`.", " See `[[code]]`.").replace(
        "- [[Follow the tracks alone->tracks]]", "- [Follow the tracks alone](#tracks)"), encoding="utf-8")
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides who arrives. See Old Guide."),
                                  encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said
    built = foundry("build", "--project", str(root), "--only", "html")
    assert built.code == 0, built.stderr
    page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
    choices = [a.text_content().strip() for a in page.iter("a") if (a.get("href") or "").endswith("tracks")]
    assert "Follow the tracks alone" in choices, choices


def test_a_title_heading_over_the_first_scene_is_told_to_go(project_factory):
    """`# The Fog Road` over the first scene, as a document in another tool starts, was
    HF0518 "text before the first scene heading" with the hint to start the body with
    a scene heading (it did). It is told as the `#` heading no output shows, to delete;
    deleted, the project is clean and the built site never showed it."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    (root / STORY_PATH).write_text(story.replace("## The Fog Road {#road}", "# The fog road\n\n## The Fog Road {#road}"),
                                   encoding="utf-8")
    run, said = _said(root)
    line = story.splitlines().index("## The Fog Road {#road}") + 1
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [("HF0518", line, 1)], said
    assert "`#` heading" in said[0][4] and said[0][5].startswith("Delete it: a story's title is the `title:`"), said
    built = foundry("build", "--project", str(root), "--only", "html,json")
    assert built.code == 0 and "The fog road" not in "".join(
        p.read_text(encoding="utf-8") for p in (root / "build").rglob("*") if p.suffix in (".html", ".json"))
    (root / STORY_PATH).write_text(story, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_title_heading_unlike_the_title_is_told_to_move(project_factory):
    """A `# heading` over the first scene whose words are not the front matter's
    `title:` (the title the writer meant, `title:` left as the template's) was told to
    delete it: followed, the words were gone. The hint says to write them as `title:`
    (quoted where YAML needs it) in place of the one there, or, with no `title:`, to move
    them there; followed, the project is clean and the site shows the title."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    for front, typed in (("title: The Fog Road\n", "My Draft: the Marsh"), ("", "The Marsh Crossing")):
        written = story.replace("title: The Fog Road\n", front).replace(
            "## The Fog Road {#road}", f"# {typed}\n\n## The Fog Road {{#road}}")
        (root / STORY_PATH).write_text(written, encoding="utf-8")
        run, said = _said(root)
        hint = next(h for c, _, _, _, _, h in said if c == "HF0518")
        asked = re.search(r"`(title: [^`]*)`", hint).group(1)
        assert ("in place of `title: The Fog Road`" in hint) == bool(front), hint
        assert hint.startswith("If it is the story's title, write" if front else "Move it to the front matter"), hint
        # followed: the title line as the hint writes it, the heading deleted
        body = written.replace(f"# {typed}\n\n", "")
        followed = body.replace(front, asked + "\n") if front else body.replace("---\n", f"---\n{asked}\n", 1)
        (root / STORY_PATH).write_text(followed, encoding="utf-8")
        run, said = _said(root)
        assert run.code == 0 and said == [], (followed, said)
        built = foundry("build", "--project", str(root), "--only", "html")
        page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
        assert built.code == 0 and typed in page.findtext(".//title"), built.stderr


def test_other_tools_notes_are_said_where_typed(project_factory):
    """Obsidian's `%%a note for the team%%` (which Obsidian hides: here every reader saw
    it), pandoc's inline footnote `^[…]` and a callout `> [!note]` were published as
    typed with check clean. Each is HF0124 at its place, in a scene and in a YAML prose
    field; deleted as the hints say, the project is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("The fog comes in off the marsh like a tide.",
                          "The fog comes in off the marsh like a tide.^[Old sailors' word.] %%fix this\nlater%% "
                          "It is 100% grey.\n\n> [!note] The bell\n> It rings at slack water.")
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    hero = (root / HERO_PATH).read_text(encoding="utf-8")
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides who arrives. %%check age%%"),
                                  encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    at = next(n for n, text in enumerate(lines, 1) if "^[" in text)
    hero_lines = (root / HERO_PATH).read_text().splitlines()
    hero_at = next(n for n, text in enumerate(hero_lines, 1) if "%%" in text)
    assert [(c, p, n, col) for c, p, n, col, _, _ in said] == [
        ("HF0124", HERO_PATH, hero_at, hero_lines[hero_at - 1].index("%%") + 1),
        ("HF0124", STORY_PATH, at, lines[at - 1].index("^[") + 1),
        ("HF0124", STORY_PATH, at, lines[at - 1].index("%%") + 1),
        ("HF0124", STORY_PATH, at + 3, 3),
    ], said
    assert ["comment" in said[0][4], "inline footnote" in said[1][4], "comment" in said[2][4],
            "callout" in said[3][4]] == [True] * 4, said
    (root / STORY_PATH).write_text(typed.replace("^[Old sailors' word.] %%fix this\nlater%% ", " ")
                                   .replace("> [!note] The bell\n", "> **The bell**\n"), encoding="utf-8")
    (root / HERO_PATH).write_text(hero, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_brackets_escaped_and_doubled_percent_signs_are_text_not_notes(project_factory):
    """What the writer asked for as text is not said as another tool's note: brackets
    escaped (`\\[\\[lantern\\]\\]`, `\\[^1\\]`: the paragraph's text has its escapes
    undone, and said each as a wiki link or footnote at the paragraph's line 1) and a
    percent sign doubled as printf writes it (`a 50%% chance, or 75%%`: an "Obsidian
    comment" the hint said to delete). One typed beside them is still said, at its
    opening, one whose quotes the typographer curled too."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in off the marsh like a tide. Say \\[\\[lantern\\]\\] or \\[^1\\] aloud.\n\n"
        "A 50%% chance, or 75%%. See [[\"Go\" -- now->lantern]] and [^2].")
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "See [[" in text)
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [
        ("HF0124", line, lines[line - 1].index("[[") + 1), ("HF0124", line, lines[line - 1].index("[^2]") + 1)], said
    built = foundry("build", "--project", str(root), "--only", "json")
    assert built.code == 0, built.stderr


def test_an_imported_twine_storys_escaped_brackets_are_no_wiki_link(project_factory, tmp_path):
    """`foundry import twine` writes a passage's `[[…]]` that is no link as text, its
    brackets escaped (`\\[\\[code\\]\\]`): its own story then checked with HF0124 "a
    wiki link" at the line's first column."""
    root = project_factory()
    source = tmp_path / "cave.twee"
    source.write_text(':: StoryTitle\nThe Cave\n\n:: StoryData\n{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", '
                      '"format": "Harlowe", "format-version": "3.3.8", "start": "Entrance"}\n\n'
                      ':: Entrance\nYou may go [[inside->Inside]].\nUse `[[code]]` here.\n\n:: Inside\nDark.\n',
                      encoding="utf-8")
    made = foundry("import", "twine", str(source), "--project", str(root))
    assert made.code == 0, made.stderr
    assert "\\[\\[code\\]\\]" in (root / "content/stories/the-cave.md").read_text(encoding="utf-8")
    run, said = _said(root)
    assert [d for d in said if d[1] == "content/stories/the-cave.md"] == [], said


def test_a_wiki_link_naming_a_scene_by_its_title_is_told_that_scenes_id(project_factory):
    """Obsidian and Twine link a page by its title: `[[The Far Bank]]` (a choice item) and
    `[[Waiting]]`, `[[Go->the far bank]]`, `[[The Far Bank|cross]]` (prose, the scenes
    further down) were told `(#scene-id)`, "with the id of the scene it leads to", which
    the writer had to look up. The hint names the scene the title names (case and spaces
    aside), whichever side of `|` it is on; followed as written, the story checks clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("- [Wait for the fog to lift](#wait)", "- [[The Far Bank]]").replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in off the marsh like a tide. [[Waiting]] [[Go->the far  bank]] [[The Far Bank|cross]]")
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    hints = {(c, line, col): h for c, _, line, col, _, h in said}
    lines = typed.splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "[[Waiting]]" in text)
    item = lines.index("- [[The Far Bank]]") + 1
    asked = {"[[Waiting]]": "`- [Waiting](#wait)`", "[[Go->": "`- [Go](#bank)`", "[[The Far Bank|": "`- [cross](#bank)`"}
    for typed_link, choice in asked.items():
        hint = hints["HF0124", line, lines[line - 1].index(typed_link) + 1]
        assert choice in hint and "scene-id" not in hint, hint
    assert hints["HF0503", item, 1] == "A choice is a list item after the scene's prose: `- [The Far Bank](#bank)`.", said

    # followed: the choices as the hints write them (one to a scene: two choices to
    # `bank` from one scene would need ids of their own)
    followed = typed.replace(" [[Waiting]] [[Go->the far  bank]] [[The Far Bank|cross]]", "").replace(
        "- [[The Far Bank]]", "- [The Far Bank](#bank)\n- [Waiting](#wait)")
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


INK_SCENE = """\
The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.

-> tracks

* [Wade in] -> far_bank
+ Wait for the fog to lift -> wait
* Paris -> London

"""


def test_choices_and_diverts_as_ink_writes_them_are_said_with_the_choice(project_factory):
    """An ink writer's `* [Wade in] -> far_bank`, `+ Wait … -> wait` and `-> tracks` were
    published as prose (`• Wade in → far_bank`), check clean: HF0528 at each, the hint the
    choice it was meant as (a knot's `far_bank` spelt as an id); a list of places (`*
    Paris -> London`) is prose. Followed, the story checks clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace(INK_SCENE.split("\n", 1)[0] + "\n", INK_SCENE, 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    at = {lines.index(text) + 1: col for text, col in (("-> tracks", 1), ("* [Wade in] -> far_bank", 1),
                                                         ("+ Wait for the fog to lift -> wait", 1))}
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [("HF0528", n, col) for n, col in sorted(at.items())], said
    hints = [h for *_, h in said]
    assert "`- [Go on](#tracks)`; foundry has no divert" in hints[0], hints
    assert "`- [Wade in](#far-bank)`" in hints[1] and "`- [Wait for the fog to lift](#wait)`" in hints[2], hints
    # followed (the choices are there already: the ink lines go, the list of places stays)
    followed = typed.replace("-> tracks\n\n* [Wade in] -> far_bank\n+ Wait for the fog to lift -> wait\n", "")
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


ARROW_PROSE = """\
The fog comes in off the marsh like a tide.

The alchemist's notebook lists what the cold does:

* ice -> water
* water -> steam
+ salt -> brine

Flour and water
-> dough

> Writer's note: in the ink draft this was
> * [Wade in] -> far_bank
> ~ coins = coins - 1

"""


def test_arrows_in_lists_and_quotes_that_are_no_ink_choice_stay_prose(project_factory):
    """`* ice -> water` (a chemist's list, no scene 'water') and a recipe's `-> dough`
    line were HF0528, an error that failed the build of ordinary prose; a writer's note
    quoting the ink draft in a `>` quote was HF0528 at its choice (not its `~` line), and
    the hint followed inside the quote was another HF0528. All are prose: check is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("The fog comes in off the marsh like a tide. ", ARROW_PROSE, 1)
    assert "* ice -> water" in typed
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said
    # a plain word that is a scene's id is the choice it was meant as
    (root / STORY_PATH).write_text(typed.replace("+ salt -> brine", "+ Wait for it -> wait"), encoding="utf-8")
    run, said = _said(root)
    assert [(c, h) for c, _, _, _, _, h in said] == [("HF0528", "A choice is a list item holding only a link to the "
                                                                "scene: `- [Wait for it](#wait)`.")], said
    # in a list of choices an ink choice is one whatever its target: said once, as before
    choices = story.replace("- ", "* ").replace("* [Wait for the fog to lift](#wait)\n",
                                                "* [Wait for the fog to lift](#wait)\n* Rest here -> rest\n")
    (root / STORY_PATH).write_text(choices, encoding="utf-8")
    run, said = _said(root)
    assert [(c, h) for c, _, _, _, _, h in said] == [("HF0528", "A choice is a list item holding only a link to the "
                                                                "scene: `- [Rest here](#rest)`.")], said


def test_tracked_changes_in_criticmarkup_are_said_where_typed(project_factory):
    """Ulysses, iA Writer and Scrivener track changes as CriticMarkup: `{>>a comment<<}`,
    `{++added++}`, `{--deleted--}` were published as typed (the team's comment and the
    words meant deleted shown to every reader), check clean. HF0124 at each `{`, in a
    scene and in a YAML prose field; accepted as the hints say, the project is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    marked = "The fog comes in {++fast++} off the marsh {--slowly--} like a tide.{>>too soft?<<}"
    typed = story.replace("The fog comes in off the marsh like a tide.", marked, 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    hero = (root / HERO_PATH).read_text(encoding="utf-8")
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides who arrives. {>>which fog?<<}"),
                                  encoding="utf-8")
    run, said = _said(root)
    line = next(n for n, text in enumerate(typed.splitlines(), 1) if "{++" in text)
    text = typed.splitlines()[line - 1]
    hero_lines = (root / HERO_PATH).read_text(encoding="utf-8").splitlines()
    hero_line = next(n for n, t in enumerate(hero_lines, 1) if "{>>" in t)
    assert [(c, p, n, col) for c, p, n, col, _, _ in said] == [
        ("HF0124", HERO_PATH, hero_line, hero_lines[hero_line - 1].index("{>>") + 1),
        ("HF0124", STORY_PATH, line, text.index("{++") + 1), ("HF0124", STORY_PATH, line, text.index("{--") + 1),
        ("HF0124", STORY_PATH, line, text.index("{>>") + 1)], said
    assert all("CriticMarkup" in m for *_, m, _ in said), said
    assert "'{--slowly--}' is a deletion" in said[2][4] and "write just `fast`" in said[1][5], said
    (root / STORY_PATH).write_text(typed.replace(marked, "The fog comes in fast off the marsh like a tide."),
                                   encoding="utf-8")
    (root / HERO_PATH).write_text(hero, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_criticmarkup_highlight_is_said_with_its_braces(project_factory):
    """`{==slowly==}` (CriticMarkup's highlight) was said as `==slowly==`, Obsidian's, at its
    `==`: the hint's `*slowly*` written in place of the mark quoted left `{*slowly*}`,
    published with its braces and check clean. Said at the `{`, braces quoted; followed
    as the message and hint say, the line holds no brace and the story is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("off the marsh like a tide.", "off the marsh {==slowly==} like a tide.", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    line = next(n for n, text in enumerate(typed.splitlines(), 1) if "{==" in text)
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [
        ("HF0124", line, typed.splitlines()[line - 1].index("{==") + 1)], said
    quoted = re.search(r"`([^`]+)` is a highlight in CriticMarkup", said[0][4]).group(1)
    written = re.search(r"`([^`]+)`", said[0][5]).group(1)
    followed = typed.replace(quoted, written, 1)
    assert "{" not in followed.splitlines()[line - 1], followed.splitlines()[line - 1]
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_an_obsidian_embed_is_not_told_as_a_choice(project_factory):
    """`![[map.png]]` and `![[The Far Bank]]` (Obsidian's embeds: a picture, a note shown
    in place) were told as wiki links, the hint a choice `- [map.png](#scene-id)`. Each is
    said as an embed, a picture told where pictures go; deleted, the story is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("like a tide.", "like a tide. ![[map.png]] ![[The Far Bank]]", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    assert [(c, m.split(" is ")[0]) for c, _, _, _, m, _ in said] == [
        ("HF0124", "'![[map.png]]'"), ("HF0124", "'![[The Far Bank]]'")], said
    assert "embed (Obsidian's)" in said[0][4] and "`portrait:`" in said[0][5] and "choice" not in said[0][5], said
    assert "choice" not in said[1][5] and "#bank" not in said[1][5], said
    (root / STORY_PATH).write_text(story, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_variable_changed_as_ink_or_twine_write_it_is_said_with_the_choices_do(project_factory):
    """`~ coins = coins - 1` (ink), `(set: $crossed to true)` (Harlowe) and `<<set $crossed
    to true>>` (SugarCube) on lines of a scene were shown to readers as typed and changed
    nothing, check clean (SugarCube's told as an HTML tag, "Use Markdown"). HF0124 at each
    line, once, the hint the `do=` that changes it; followed, the story checks clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    lines = "~ coins = coins - 1\n\n(set: $crossed to true)\n\n<<set $crossed to true>>\n\n"
    typed = story.replace("- [Pay the guide", lines + "- [Pay the guide", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    first = typed.splitlines().index("~ coins = coins - 1") + 1
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [
        ("HF0124", first, 1), ("HF0124", first + 2, 1), ("HF0124", first + 4, 1)], said
    hints = [h for *_, h in said]
    assert '`- [Go on](#next){do="coins = coins - 1"}`' in hints[0], hints
    assert all('{do="crossed = true"}' in h for h in hints[1:]), hints
    followed = typed.replace(lines, "").replace("- [Wait for the fog to lift](#wait)",
                                                '- [Wait for the fog to lift](#wait){do="coins = coins - 1"}')
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_variable_changed_as_ink_or_harlowe_write_it_is_hinted_as_foundry_writes_it(project_factory):
    """`~ coins++` was hinted `do="coins++"` (followed: HF0601 "expected '=', '+=' or
    '-='"), Harlowe's `(set: $coins to it + 1)` `do="coins = it + 1"` (followed: HF0602
    "unknown name 'it'"), `~ coins *= 2 + 1` likewise, and `(put: 2 into $coins)` `do="2 =
    coins"` (the value first in Harlowe's put). Each hint's `do=` put on a choice
    as it is written checks clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    lines = "~ coins++\n\n(set: $coins to it + 1)\n\n~ coins *= 2 + 1\n\n(put: 2 into $coins)\n\n"
    typed = story.replace("- [Pay the guide", lines + "- [Pay the guide", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    dos = [re.search(r'\{do="([^"]*)"\}', h).group(1) for *_, h in said]
    assert [c for c, *_ in said] == ["HF0124"] * 4 and dos == ["coins += 1", "coins = coins + 1",
                                                              "coins = coins * (2 + 1)", "coins = 2"], said
    followed = typed.replace(lines, "")
    for choice, do in zip(("- [Wait for the fog to lift](#wait)", "- [Follow the tracks alone](#tracks){",
                           "- [Follow them to the bank](#bank){"), dos):
        assert choice in followed
        followed = followed.replace(choice, choice.rstrip("{") + f'{{do="{do}"}}' + ("{" if choice.endswith("{") else ""), 1)
    followed = followed.replace('"}{if=', '" if=').replace('"}{do="set crossed"}', '; set crossed"}').replace(
        'do="coins -= 2"', f'do="{dos[3]}"')
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], (said, followed)


def test_a_table_of_contents_marker_is_said(project_factory):
    """Typora's `[TOC]` on a line of its own was published as "[TOC]", check clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("## The Fog Road {#road}\n\n", "## The Fog Road {#road}\n\n[TOC]\n\n", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    line = typed.splitlines().index("[TOC]") + 1
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [("HF0124", line, 1)], said
    assert said[0][5] == "Delete the line: foundry's Markdown makes no table of contents in prose.", said


def test_the_marks_of_scrivener_ulysses_and_a_criticmarkup_substitution_are_said_where_typed(project_factory):
    """Scrivener's placeholders (`<$n>` in a chapter's heading, `<$img:map.png>`),
    Ulysses' `::marked::`, `||deleted||` and `++inline comment++`, and CriticMarkup's
    substitution `{~~old~>new~~}` (read as a strikethrough inside braces: the site showed
    `{old~>new}`) were published as typed, check clean. Each is said where typed, in a
    scene, its heading and a YAML prose field; the hints followed, the project is clean.
    C++'s `std::map::at`, `C++/C++` and `a || b` are prose."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    prose = ("The fog comes in <$n> off the marsh ::slowly:: like ||a|| tide.{~~ Old~>The old~~} Guide "
             "++too soft?++ holds out a hand <$img:map.png> for coins.")
    typed = story.replace("## The Fog Road {#road}", "## The Fog Road <$n> {#road}", 1) \
        .replace("The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.",
                 prose + "\n\nIn C++/C++ it is std::map::at, and a || b.", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    hero = (root / HERO_PATH).read_text(encoding="utf-8")
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides {~~who~>what~~} ::arrives::."),
                                  encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    heading = next(n for n, text in enumerate(lines, 1) if text.startswith("## The Fog Road"))
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("The fog comes in <$n>"))
    text = lines[line - 1]
    hero_lines = (root / HERO_PATH).read_text(encoding="utf-8").splitlines()
    hero_line = next(n for n, t in enumerate(hero_lines, 1) if "{~~" in t)
    at = [(c, p, n, col) for c, p, n, col, _, _ in said]
    assert at == [
        ("HF0124", HERO_PATH, hero_line, hero_lines[hero_line - 1].index("{~~") + 1),
        ("HF0124", HERO_PATH, hero_line, hero_lines[hero_line - 1].index("::") + 1),
        ("HF0754", STORY_PATH, heading, lines[heading - 1].index("<$n>") + 1),
        *[("HF0124", STORY_PATH, line, text.index(mark) + 1)
          for mark in ("<$n>", "::", "||", "{~~", "++", "<$img")]], said
    messages = " ".join(m for *_, m, _ in said)
    assert "Scrivener" in messages and "Ulysses" in messages and "a substitution in CriticMarkup" in messages, said
    assert "write just `The old`" in said[6][5] and "write just `what`" in said[0][5], said
    # each hint followed
    (root / STORY_PATH).write_text(story.replace("## The Fog Road {#road}", "## The Fog Road 1 {#road}", 1).replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in off the marsh *slowly* like tide. The old Guide holds out a hand for coins."
        "\n\nIn C++/C++ it is std::map::at, and a || b.", 1), encoding="utf-8")
    (root / HERO_PATH).write_text(hero.replace("decides who arrives.", "decides what *arrives*."), encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_ink_choices_and_diverts_to_a_knot_named_upper_case_are_said_when_it_is_a_scene(project_factory):
    """`* [Wade in] -> Bank`, `+ Wait it out -> Wait`, `-> Tracks` (an ink writer's knots
    named upper-case) were prose (`• Wade in → Bank` published), check clean, while the
    same to `bank` was said. Said when the knot, written as an id (`FarBank`, `Far_Bank`:
    `far-bank`), is a scene of the story, with that choice; `* Paris -> London` and a
    `-> Lantern_Path` naming no scene are prose. Followed, the story checks clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    ink = "* [Wade in] -> Bank\n+ Wait it out -> Wait\n\n-> Tracks\n\n* Paris -> London\n* Rome -> Lantern_Path\n\n"
    typed = story.replace("Boot prints, fresh, leading true across the marsh.\n",
                          "Boot prints, fresh, leading true across the marsh.\n\n" + ink, 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    assert [(c, n, col) for c, _, n, col, _, _ in said] == [
        ("HF0528", lines.index(text) + 1, 1) for text in ("* [Wade in] -> Bank", "+ Wait it out -> Wait", "-> Tracks")], said
    hints = [h for *_, h in said]
    assert "`- [Wade in](#bank)`" in hints[0] and "`- [Wait it out](#wait)`" in hints[1], hints
    assert "`- [Go on](#tracks)`" in hints[2], hints
    followed = typed.replace(ink, "Paris and London, Rome and the lantern path.\n\n"
                                  "- [Wade in](#bank)\n- [Wait it out](#wait)\n", 1) \
        .replace("- [Follow them to the bank](#bank){do=\"set crossed\"}\n", "", 1)
    (root / STORY_PATH).write_text(followed, encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_choice_to_its_own_storys_file_or_by_a_windows_path_is_said_at_its_address(project_factory):
    """`- [Wait](first-story.md#wait)` in first-story.md was "leads to scene 'wait' of
    another story, 'first-story'" (its own); `(..\\stories\\first-story.md#bank)` (a
    Windows path) was "holds an item that is not a single link to a scene" at the
    marker. Each is said at its address: its own file with the `(#wait)` to write,
    another story's by a Windows path as another story's. Followed, the story is clean."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    typed = story.replace("- [Wait for the fog to lift](#wait)",
                          "- [Wait for the fog to lift](first-story.md#wait)\n- [Far](..\\stories\\first-story.md#bank)\n"
                          "- [Ring](..\\stories\\bells.md#tower)", 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    at = [(c, n, col) for c, _, n, col, _, _ in said]
    assert at == [("HF0503", lines.index(line) + 1, line.index("](") + 3) for line in lines
                  if "](first-story.md" in line or "](..\\" in line], said
    assert "names this story's own file" in said[0][4] and said[0][5] == "Write `(#wait)`.", said
    assert "names this story's own file" in said[1][4] and said[1][5] == "Write `(#bank)`.", said
    assert "of another story, 'bells'" in said[2][4], said
    (root / STORY_PATH).write_text(typed.replace("(first-story.md#wait)", "(#wait)")
                                   .replace("(..\\stories\\first-story.md#bank)", "(#bank)")
                                   .replace("- [Ring](..\\stories\\bells.md#tower)\n", ""), encoding="utf-8")
    run, said = _said(root)
    assert run.code == 0 and said == [], said


def test_a_mark_said_in_prose_is_pointed_at_where_typed_not_at_the_same_text_in_a_code_span(project_factory):
    """A line that shows a mark as code (`` `<$n>` ``, `` `<b>` ``) before typing it:
    the mark said is the one outside the code span, but its column was the code's (a
    writer sent to the text they wrote on purpose). Scrivener, CriticMarkup, Obsidian's
    `%%`, an HTML comment and a tag alike."""
    root = project_factory()
    story = (root / STORY_PATH).read_text(encoding="utf-8")
    marks = ["<$n>", "{~~a~>b~~}", "%%m%%", "<!-- y -->", "<b>"]
    typed = story.replace("The fog comes in off the marsh like a tide.",
                          "\n\n".join(f"Shown `{mark}` then typed {mark} here." for mark in marks), 1)
    (root / STORY_PATH).write_text(typed, encoding="utf-8")
    run, said = _said(root)
    lines = typed.splitlines()
    expected = []
    for mark in marks:
        n = next(n for n, text in enumerate(lines, 1) if text.startswith(f"Shown `{mark}`"))
        expected.append(("HF0124", STORY_PATH, n, lines[n - 1].rindex(mark) + 1))
    assert [(c, p, n, col) for c, p, n, col, _, _ in said if c == "HF0124"] == expected, said
