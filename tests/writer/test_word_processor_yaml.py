"""YAML typed in a word processor, or in an editor with autocorrect on: quotes made
curly, a list item's `-` made a dash or a bullet. YAML reads neither as its own syntax,
and the hints said what the writer believed was done.

- `title: “Scout: of the road”` was "has a second `: ` inside its value", hint "Put the
  value in quotes" — it is in quotes, to the writer; the rest of the file was hidden.
- `- ‘Who taught you: to move?’` (a template's prompt) was "should be text, not a
  mapping", hint "Put the value in quotes if it should be text".
- `skills:` then `  – ambush` was "should be a list, not text", hint `["– ambush"]` (a
  skill named "– ambush"); `relationships:` then `  – {with: …}` was "indented 2 spaces,
  more than line 9 …, give the line above no value to nest it under".
- `variables:` then `  – crossed: false`: besides the key's HF0204 (hint: `crossed`),
  every use of `crossed` was "unknown name", hint "add `crossed: false` under
  `variables:`" — which the writer had.
"""

from __future__ import annotations

from support import edit_file, foundry


def test_curly_quotes_and_dashes_in_yaml_are_named_with_the_line_to_write(project_factory):
    root = project_factory({})
    content = root / "content"
    edit_file(content / "heroes/first-hero.yaml",
              ("title: Scout of the Marsh Road", "title: \u201cScout: of the Marsh Road\u201d"),
              ("xp: 120", "xp: lots"))   # still said: the file is read as meant
    edit_file(content / "templates/heroes/scout.yaml",
              ("  - Who taught you to move without a sound?", "  - \u2018Who taught you: to move?\u2019"),
              ("skills: [tracking]", "skills:\n  \u2022 tracking\n  \u2022 ambush"))
    edit_file(content / "characters/old-guide.yaml",
              ("  - {with: first-hero, kind: apprentice}", "  \u2013 {with: first-hero, kind: apprentice}"))
    edit_file(content / "stories/first-story.md", ("  crossed: false", "  \u2013 crossed: false"))
    run = foundry("check", "--format", "json", "--project", str(root))
    diags = run.json()["diagnostics"]
    found = sorted((d["file"], d["code"], d["line"], d["column"]) for d in diags)
    assert found == [
        ("content/characters/old-guide.yaml", "HF0101", 6, 3),
        ("content/heroes/first-hero.yaml", "HF0101", 3, 8),
        ("content/heroes/first-hero.yaml", "HF0201", 8, 5),
        ("content/stories/first-story.md", "HF0204", 10, 3),
        ("content/templates/heroes/scout.yaml", "HF0201", 6, 3),
        ("content/templates/heroes/scout.yaml", "HF0201", 9, 5),
    ], run.stdout
    hint = {(d["file"].rsplit("/", 1)[1], d["line"]): d["hint"] for d in diags}
    assert hint["first-hero.yaml", 3] == \
        'Write straight quotes (an editor replaced them): `title: "Scout: of the Marsh Road"`.'
    assert hint["scout.yaml", 9] == 'Write straight quotes (an editor replaced them): `"Who taught you: to move?"`.'
    assert hint["scout.yaml", 6] == ("`•` (U+2022 BULLET) is no list marker in YAML: start each item with `-` and "
                                     "a space (`- tracking`), or write `[tracking, ambush]`.")
    assert hint["old-guide.yaml", 6] == \
        "Write `- {with: first-hero, kind: apprentice}`: a hyphen and a space (an editor replaced it)."
    assert "U+2013 EN DASH" in next(d["message"] for d in diags if d["file"].endswith("old-guide.yaml"))


def test_quotes_that_enclose_part_of_a_value_are_the_writers_text(project_factory):
    # `“The Fox”: a tale` (a title quoting a name), `‘Tis the hour: …` (an apostrophe):
    # not a value in a word processor's quotes. The hint took off the first and last
    # characters — `title: "The Fox”: a tale"`, `"Tis the hour: to move"` — and,
    # followed, the title lost its opening quote.
    root = project_factory({})
    content = root / "content"
    edit_file(content / "heroes/first-hero.yaml",
              ("title: Scout of the Marsh Road", "title: \u201cThe Fox\u201d: a tale"))
    edit_file(content / "templates/heroes/scout.yaml",
              ("  - Who taught you to move without a sound?", "  - \u2018Tis the hour: to move"))
    # a dialogue dash (French, Spanish prose) in a text holding `: `: the hint was to write
    # `- The bank: …`, a list item, which made the text a list
    edit_file(content / "characters/old-guide.yaml",
              ("background: |\n  Knows every path", "background:\n  \u2013 Where to? she asks.\n"
               "  \u2013 The bank: always the bank.\n  Knows every path"))
    diags = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    hint = {d["file"].rsplit("/", 1)[1]: d["hint"] for d in diags if d["severity"] == "error"}
    assert hint["old-guide.yaml"].startswith("If it is text (a dialogue dash), write `|` after the `:`"), diags
    # the whole value quoted, its opening curly quote kept
    assert hint["first-hero.yaml"] == "Put the value in quotes: `title: \"\u201cThe Fox\u201d: a tale\"`.", diags
    assert hint["scout.yaml"] == \
        'Put the value in quotes: YAML read its `: ` as a key\'s: `"\u2018Tis the hour: to move"`.'
