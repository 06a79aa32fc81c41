"""A link's reference definition prints nothing, and no font is asked for it.

`[the map][r]` in a hero's background prints "the map"; its definition, a paragraph
of its own (`[r]: https://例え.jp/ "霧"`), prints nothing. `check` (and the build,
which says what check foretells) took a Markdown paragraph of no blocks as printed as
typed, and said HF0741 at the definition's line for the characters of its address and
title, on a machine with no font for them: a warning of boxes no PDF shows. U+3135x:
CJK Extension H, which no Debian font has."""

from __future__ import annotations

from support import diagnostics, foundry, with_background


def test_a_reference_definition_is_not_said_to_print_as_boxes(project_factory):
    root = project_factory({})
    line = with_background(root, "And [the map][r] there \U00031350.\n\n"
                                 "[r]: https://example.org/\U00031351 \"\U00031352 title\"\n")
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0741"]
    # the link's own paragraph is still said (its word prints): the definition is not
    assert [(f, n) for f, n, _ in said] == [("content/heroes/first-hero.yaml", line)], diagnostics(run)
    assert "\U00031350" in said[0][2] and "\U00031352" not in said[0][2], said
