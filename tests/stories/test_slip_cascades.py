"""A writer's slip in a story is one error at its line, not a cascade of claims about a
story the writer did not write.

A choice whose attributes are not closed (`{do="set crossed"`), or that do not touch
the link, or a scene heading typed `##The Far Bank {#bank}`, is not read (the
near-miss is reported where it is). The story as read then lacked that choice or that
scene, and check went on to say so as if it were true: "ending 'bank' can never be
reached: no choice leads here" (with the hint to add the very choice on the line
above), "dead end" in the scene holding it, "leads to unknown scene 'bank'", and for
the quest "waits for 'crossed', which no story can set" — whose hint read "did you
mean 'crossed'?"."""

from __future__ import annotations

import pytest

from support import foundry

STORY = "content/stories/first-story.md"


def codes(root) -> list[tuple[str, str, int]]:
    run = foundry("check", "--format", "json", "--project", str(root))
    found = run.json()
    items = found["diagnostics"] if isinstance(found, dict) else found
    return sorted((d["code"], d["file"], d["line"]) for d in items)


def edited(project_factory, old: str, new: str):
    root = project_factory()
    path = root / STORY
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


@pytest.mark.parametrize("old, new, code", [
    # the only choice of 'lantern', its `{` never closed
    ('- [Step onto the bank](#bank){do="set crossed"}', '- [Step onto the bank](#bank){do="set crossed"', "HF0525"),
    # its closing quote missing
    ('- [Wait for the fog to lift](#wait)', '- [Wait for the fog to lift](#wait){if="coins > 0}', "HF0525"),
    # a space before the attributes
    ('- [Follow them to the bank](#bank){do="set crossed"}', '- [Follow them to the bank](#bank) {do="set crossed"}',
     "HF0523"),
    # a scene heading with no space after `##`, and one at level 3
    ("## The Far Bank {#bank .ending}", "##The Far Bank {#bank .ending}", "HF0535"),
    ("## Waiting {#wait .ending}", "### Waiting {#wait .ending}", "HF0520"),
])
def test_a_slip_is_one_error_at_its_line(project_factory, old, new, code):
    root = edited(project_factory, old, new)
    line = root.joinpath(STORY).read_text().splitlines().index(new) + 1
    assert codes(root) == [(code, STORY, line)]


def test_both_choices_setting_a_variable_slipped(project_factory):
    """Both choices that set `crossed` unread: neither the dead ends, the ending no
    link reaches, nor the quest's objective is claimed."""
    root = edited(project_factory, '- [Step onto the bank](#bank){do="set crossed"}',
                  '- [Step onto the bank](#bank){do="set crossed"')
    path = root / STORY
    path.write_text(path.read_text().replace('- [Follow them to the bank](#bank){do="set crossed"}',
                                             '- [Follow them to the bank](#bank) {do="set crossed"}'))
    assert [c for c, _, _ in codes(root)] == ["HF0523", "HF0525"]


def test_a_variable_declared_and_never_set_gets_the_effect_to_write(project_factory):
    root = edited(project_factory, '- [Step onto the bank](#bank){do="set crossed"}', "- [Step onto the bank](#bank)")
    path = root / STORY
    path.write_text(path.read_text().replace('(#bank){do="set crossed"}', "(#bank)"))
    run = foundry("check", "--project", str(root))
    assert "HF0514" in run.stderr + run.stdout
    out = run.stderr + run.stdout
    assert "Did you mean 'crossed'" not in out
    assert 'add `do="set crossed"` to the choice' in out


def test_a_reference_defined_in_a_list_of_choices_is_one_error(project_factory):
    """`- [wait]: #wait` in a list of choices defines the label (markdown-it reads it
    so, leaving the item empty): the choice `[…][wait]` above it is a link to 'wait',
    and the definition's item alone is not a choice. The list shortcut of
    load/markdown.py made the definition a paragraph, so the choice using it was a
    second HF0503."""
    old = "- [Wait for the fog to lift](#wait)"
    root = edited(project_factory, old, "- [Wait for the fog to lift][wait]\n- [wait]: #wait")
    line = root.joinpath(STORY).read_text().splitlines().index("- [wait]: #wait") + 1
    assert codes(root) == [("HF0503", STORY, line)]


def test_a_scene_id_not_a_slug_is_one_error_and_hides_nothing(project_factory):
    """`{#Road}` for the start scene: HF0113 at it, and `start: road` and each choice
    linking `(#road)` said 'unknown scene' too (three errors for one slip). With
    `start: Road` as well, the story's front matter could not be salvaged (its start
    filled with 'Road', no slug either) and every other problem of the story was hidden:
    here a condition that does not parse."""
    root = edited(project_factory, "## The Fog Road {#road}", "## The Fog Road {#Road}")
    path = root / STORY
    path.write_text(path.read_text().replace('{if="agility >= 12"}', '{if="agility => 12"}'))
    assert codes(root) == [("HF0113", STORY, 14), ("HF0601", STORY, 19)]
    path.write_text(path.read_text().replace("start: road", "start: Road"))
    assert codes(root) == [("HF0113", STORY, 14), ("HF0204", STORY, 5), ("HF0601", STORY, 19)]


def test_a_choice_id_not_a_slug_is_one_error_at_it(project_factory):
    """`{id="road--tracks"}` (a made-up id written as foundry names a choice without
    one) is HF0113 at it; the refused id was still the choice's, so the choice to
    'tracks' that has no id was HF0511 'two choices have the id', told to take another,
    and with a language another choice HF1102: three errors for one slip, two of them
    at choices written right. The refused id reads as the one its hint names."""
    root = edited(project_factory, '{if="coins >= 2" do="coins -= 2"}',
                  '{if="coins >= 2" do="coins -= 2" id="road--tracks"}')
    path = root / STORY
    path.write_text(path.read_text().replace('(#bank){do="set crossed"}',
                                             '(#bank){do="set crossed" id="tracks--bank"}', 1))
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de"]\n')
    lines = path.read_text().splitlines()
    at = [n for n, line in enumerate(lines, 1) if '--' in line and "id=" in line]
    assert [c for c in codes(root) if c[0] != "HF1105"] == [("HF0113", STORY, n) for n in at]
    run = foundry("check", "--format", "json", "--project", str(root))
    assert "two hyphens in a row" in next(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0113")


def test_a_scene_title_linked_for_its_id_is_said_so(project_factory):
    """`[Follow the tracks alone](#Tracks in the Mud)` was HF0525 'the link's `(` is
    never closed', of a `(` that is closed: the spaces are the slip (HF0540)."""
    root = edited(project_factory, "(#tracks){if=", "(#Tracks in the Mud){if=")
    run = foundry("check", "--format", "json", "--project", str(root))
    found = [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0540", 19, 29)], run.stdout
    assert "'#Tracks in the Mud' holds spaces" in run.json()["diagnostics"][0]["message"]


def test_a_scene_id_used_twice_is_one_error_at_the_copy(project_factory):
    """A scene pasted under the id of another (`{#lantern}` twice) is dropped, HF0501
    at its heading. The story as read lacked it, and check said of what only it led
    to "ending 'far' can never be reached: no choice leads here" while the choice to
    'far' stood four lines above — two errors for one slip, the second untrue. The
    hint names an id the copy can take."""
    root = project_factory()
    path = root / STORY
    path.write_text(path.read_text() + "\n## The Lantern Path, Later {#lantern}\n\nThe lantern gutters.\n\n"
                    "- [Walk on into the dark](#far)\n\n## Far Away {#far .ending}\n\nGone. *The end.*\n")
    line = path.read_text().splitlines().index("## The Lantern Path, Later {#lantern}") + 1
    found = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert [(d["code"], d["file"], d["line"]) for d in found] == [("HF0501", STORY, line)]
    assert "`{#lantern-2}`" in found[0]["hint"]
    # a third copy: its own id (not the second's hint again), and the count as it stands
    path.write_text(path.read_text() + "\n## Yet Again {#lantern}\n\nStill.\n")
    found = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert [(d["message"].split(" (")[0], d["hint"].split("`")[1]) for d in found] == [
        ("scene id 'lantern' is used twice", "{#lantern-2}"), ("scene id 'lantern' is used 3 times", "{#lantern-3}")]
