"""A slip at the top of a story hides none of the story's problems, and is named at its
line with the fix (issue 12: every problem at once).

A YAML error in a story's front matter (`variables: [coins: 1` never closed), or fences
a writer almost wrote (a blank line or an HTML comment above `---`, `----`, `...` to
close it, a `---` that never closes it, even with a `---` thematic break in a scene, Hugo's `+++`, `key: value` lines without
fences), was one error, HF0101 or HF0114 "a story must start with a `---` line" at 1:1,
and every problem of the story's scenes went unsaid until it was fixed: here a choice
to a scene that does not exist and a scene heading written `###`. Each story below
has those two below its slip; one check must name all of them, and the slip by what
it is. While the front matter is unread its variables are unknown: `coins` in a
condition is not also "undeclared"."""

from __future__ import annotations

from support import foundry

_FRONT = "title: Slips\nstart: a\nprotagonist: first-hero\nvariables: {coins: 1}\n"
# the body's own two problems, at its lines 7 (HF0304, column 11) and 9 (HF0520)
_BODY = ("\n## Start {#a}\n\nText.\n\n- [Go](#b){if=\"coins >= 1\"}\n- [Lost](#nowhere)\n\n"
         "### Bad {#c}\n\n## End {#b .ending}\n\nDone.\n")

STORIES = {
    # name: (text, the slip's (code, line), the body's first line in the file)
    "blank-above": ("\n---\n" + _FRONT + "---\n" + _BODY, ("HF0114", 1), 8),
    "comment-above": ("<!-- draft -->\n---\n" + _FRONT + "---\n" + _BODY, ("HF0114", 1), 8),
    "four-dashes": ("----\n" + _FRONT + "----\n" + _BODY, ("HF0114", 1), 7),
    "dots-close": ("---\n" + _FRONT + "...\n" + _BODY, ("HF0114", 6), 7),
    "never-closed": ("---\n" + _FRONT + _BODY, ("HF0114", 1), 6),
    # ... with a thematic break in a scene, which is no closing line
    "never-closed-rule": ("---\n" + _FRONT + _BODY + "\n---\n\nAfter.\n", ("HF0114", 1), 6),
    "no-fences": (_FRONT + _BODY, ("HF0114", 1), 5),
    # a paragraph of prose that reads as `key: value` is no front matter without fences
    "note-prose": ("Note: this one has no front matter.\n" + _BODY, ("HF0114", 1), 2),
    "toml": ('+++\ntitle = "Slips"\nstart = "a"\n+++\n' + _BODY, ("HF0114", 1), 5),
    # a slip under a `## comment` in a closed front matter: said at the slip, not as a
    # front matter never closed whose comment is a scene
    "comment-then-slip": ("---\n" + _FRONT.replace("start: a", "## the first scene\nstart a") + "---\n" + _BODY,
                          ("HF0101", 4), 8),
    "yaml-error": ("---\n" + _FRONT.replace("{coins: 1}", "[coins: 1") + "---\n" + _BODY, ("HF0101", 6), 7),
}


def test_a_slip_at_a_storys_top_hides_none_of_its_scenes_problems(project_factory):
    root = project_factory({f"content/stories/{name}.md": text.encode() for name, (text, _, _) in STORIES.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"], d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    expected = []
    for name, (_, (code, line), body) in STORIES.items():
        path = f"content/stories/{name}.md"
        expected += [(path, code, line, 1), (path, "HF0304", body + 6, 11), (path, "HF0520", body + 8, 1)]
    expected.append(("content/stories/note-prose.md", "HF0518", 1, 1))   # its prose is in no scene
    assert found == sorted(expected)
    said = {d["file"].rsplit("/", 1)[1]: (d["message"], d["hint"]) for d in run.json()["diagnostics"]
            if d["code"] == "HF0114"}
    assert "is on line 2" in said["blank-above.md"][0] and "Remove the blank line" in said["blank-above.md"][1]
    assert "`----`" in said["four-dashes.md"][0]
    assert "`...`" in said["dots-close.md"][0]
    assert "never closed" in said["never-closed.md"][0] and "below line 5" in said["never-closed.md"][1]
    assert "never closed" in said["never-closed-rule.md"][0] and "below line 5" in said["never-closed-rule.md"][1]
    assert "no `---` lines around it" in said["no-fences.md"][0]
    assert "TOML" in said["toml.md"][0]
    assert "must start with a `---` line" in said["note-prose.md"][0]
    assert run.code == 1


def test_front_matter_pasted_below_a_scene_is_named_as_such(project_factory):
    """`---`, `quests: [first-quest]`, `---` under a scene's prose made a thematic break
    and a heading: "`---` right under a line of text makes that line a heading", with a
    hint about scene breaks, and the quest was silently not the story's."""
    story = ("---\n" + _FRONT + "---\n\n## Start {#a}\n\nText.\n\n---\nquests: [first-quest]\n---\n\n"
             "- [Go](#b){if=\"coins >= 1\"}\n\n## End {#b .ending}\n\nDone.\n")
    # prose shaped like `key: value` right above a scene break typed with no blank line
    # is a line made a heading, not front matter (no `---` above it)
    prose = story.replace("Text.\n\n---\nquests: [first-quest]\n---\n", "Warning: the fog is thick.\n---\n")
    root = project_factory({"content/stories/pasted.md": story.encode(), "content/stories/prose.md": prose.encode()})
    run = foundry("check", "--format", "json", "--project", str(root))
    [diag] = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/pasted.md"]
    assert (diag["code"], diag["line"], diag["column"]) == ("HF0521", 13, 1)
    assert "read only at the top" in diag["message"] and "Move these lines" in diag["hint"]
    [diag] = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/prose.md"]
    assert (diag["code"], diag["line"]) == ("HF0521", 11)   # at the `---`
    assert "makes that line a heading" in diag["message"] and "blank line above `---`" in diag["hint"]
