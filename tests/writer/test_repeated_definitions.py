"""`[map]: a.html` then `[map]: b.html`: CommonMark keeps the first definition of a
label and drops the second without a trace — its address followed by no link, the line
in no output — with check clean. HF0176 (a warning) at the second, in a story and in a
prose field; a label defined once is not said."""

from __future__ import annotations

import json

from support import diagnostics, foundry, with_background

STORY = """\
---
title: Gate
start: gate
---

## The Gate {#gate}

See [the map][map] and [the tide][Tide].

[map]: https://example.com/old-map
[tide]: https://example.com/tide

- [Walk on](#bank)

## The Far Bank {#bank .ending}

The [map] again.

[MAP]: https://example.com/new-map
"""


def test_a_second_definition_of_a_label_is_said_at_its_line(project_factory):
    root = project_factory({"content/stories/gate.md": STORY})
    row = with_background(root, "Rook keeps [the chart][chart].\n\n[chart]: https://example.com/a\n"
                                "[chart]: https://example.com/b\n") + 3
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0176", "HF0174")))
    assert found == [f"HF0176 content/heroes/first-hero.yaml:{row}:3", "HF0176 content/stories/gate.md:19:1"], found
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0176"}
    assert ("'[MAP]: https://example.com/new-map' defines the link label [MAP] again (first on line 10): "
            "Markdown keeps the first, and this line is shown in no output") in said, said

    # what it says is so: the second address is in no output, the first is linked twice
    build = foundry("build", "--project", str(root), "--only", "html,json")
    assert build.code == 0, build.stderr
    scenes = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"]
    assert all("new-map" not in scene["html"] + scene["text"] for scene in scenes)
    assert 'href="https://example.com/old-map"' in scenes[1]["html"]


def test_labels_defined_once_are_not_said(project_factory):
    root = project_factory({"content/stories/gate.md": STORY.replace("[MAP]: https://example.com/new-map",
                                                                     "[map-2]: https://example.com/new-map")
                            .replace("The [map] again.", "The [new map][map-2].")})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith(("HF0176", "HF0174"))], diagnostics(run)


def test_a_speaker_twice_is_said_at_both_lines(project_factory):
    # a script's two lines by one speaker: the first is a definition, the second repeats
    # its label; the second's brackets once counted as a use of the first, and neither
    # line was said while both were in no output
    story = STORY.replace("[MAP]: https://example.com/new-map\n", "[Guard]: Halt!\n[Guard]: Again!\n")
    root = project_factory({"content/stories/gate.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0176", "HF0174")))
    assert found == ["HF0174 content/stories/gate.md:19:1", "HF0176 content/stories/gate.md:20:1"], found

