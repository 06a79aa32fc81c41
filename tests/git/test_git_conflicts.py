"""Merge conflicts left in the files: two writers change the same lines on two
branches, the merge stops, and git writes both sides between its markers. foundry
says each conflict at its line, with what to do, and reads nothing of that file —
it never publishes the markers as prose, nor sends the writer after a YAML colon."""

from __future__ import annotations

from git_support import BEN, Repo

STORY = "content/stories/sunken-keep.md"


def _conflicted(repo: Repo) -> None:
    """main and `b1` each change Aria's attributes, a line of the story's prose,
    foundry.toml's title and a line of an ejected theme template; b1 merged into main."""
    assert repo.foundry("theme", "eject", "templates/hero.html").code == 0
    repo.commit("Eject the hero page")
    template = next((repo.root / "themes").glob("*/templates/hero.html")).relative_to(repo.root).as_posix()
    first = (repo.root / template).read_text(encoding="utf-8").split("\n")[0]
    repo.git("checkout", "-q", "-b", "b1")
    for side, agility in (("b1", "13"), ("main", "11")):
        if side == "main":
            repo.git("checkout", "-q", "main")
        repo.edit("content/heroes/aria.yaml", "agility: 12", f"agility: {agility}")
        repo.edit(STORY, "Rain hammers the broken portcullis.", f"Rain hammers the portcullis ({side}).")
        repo.edit("foundry.toml", "\n", f"  # {side}\n")
        repo.edit(template, first, f"{first}{{# {side} #}}")
        repo.commit(f"{side}'s version", BEN)
    merged = repo.git("merge", "-q", "b1", check=False)
    assert "<<<<<<< HEAD" in (repo.root / STORY).read_text(encoding="utf-8"), merged
    return template


def test_conflict_markers_are_said_at_their_line_and_nothing_of_the_file_is_read(repo: Repo):
    template = _conflicted(repo)
    run = repo.foundry("check", "--format", "json")
    said = [(d["code"], d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]]
    marker = {rel: (repo.root / rel).read_text(encoding="utf-8").split("\n").index("<<<<<<< HEAD") + 1
              for rel in ("content/heroes/aria.yaml", STORY, "foundry.toml", template)}
    # one error at each conflict, and nothing else of those files (no "line 4 has no `:`")
    assert sorted(said) == sorted(("HF0185", rel, line, 1) for rel, line in marker.items()), said
    story = next(d for d in run.json()["diagnostics"] if d["file"] == STORY)
    assert "`<<<<<<< HEAD`, `=======` and `>>>>>>> b1`" in story["message"], story
    assert "`git add`" in story["hint"] and run.code == 1
    build = repo.foundry("build", "--only", "json,html")
    assert build.code == 1 and not (repo.root / "build").exists()
    # the hint followed: one side taken whole, added; the project reads again
    for rel in marker:
        repo.git("checkout", "--theirs", "--", rel)
        repo.git("add", "--", rel)
    assert repo.foundry("check").code == 0


def test_a_heading_underlined_with_equals_signs_is_not_a_conflict(repo: Repo):
    """A lone `=======` is a Markdown heading's underline, a lone `<<<<<<<` text:
    git writes the three markers together, and only the three together are a conflict."""
    repo.edit(STORY, "Rain hammers the broken portcullis.", "The Gate\n=======\n\n<<<<<<< not a conflict\n\nRain.")
    run = repo.foundry("check", "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0185"] == [] and run.code == 0


def test_a_file_renamed_by_case_alone_is_said_once(repo: Repo):
    """`git mv bram.yaml Bram.yaml` (a writer "fixing" the capital): HF0113 says to name it
    back, and every `with: bram` naming that file was also "unknown hero or character
    'bram'" — an error at each mention of a file that is there. Said once, at the file;
    the hint followed (the file renamed back), nothing is said."""
    repo.git("mv", "content/heroes/bram.yaml", "content/heroes/Bram.yaml")
    repo.commit("Capitalise Bram")
    run = repo.foundry("check", "--format", "json")
    errors = [(d["code"], d["file"], d["hint"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert errors == [("HF0113", "content/heroes/Bram.yaml", "Rename it to 'bram.yaml'.")], errors
    repo.git("mv", "content/heroes/Bram.yaml", "content/heroes/bram.yaml")
    assert repo.foundry("check").code == 0


def test_a_story_showing_a_conflict_is_told_how_to_keep_it_as_text(repo: Repo):
    """A story may show git's markers on purpose (a hacker's screen, in a code block):
    they are git's, so HF0185 — and the hint said only to delete them, which deleted the
    example. It names the two ways Markdown shows them unchanged; followed, the check is
    clean and the page shows the markers as the writer typed them."""
    import lxml.html
    example = "```\n<<<<<<< HEAD\nopen the door\n=======\nshut the door\n>>>>>>> feature\n```"
    repo.edit(STORY, "Rain hammers the broken portcullis.", f"The screen read:\n\n{example}\n\nRain.")
    said = [d for d in repo.foundry("check", "--format", "json").json()["diagnostics"] if d["code"] == "HF0185"]
    assert len(said) == 1 and "backslash (`\\<<<<<<<`" in said[0]["hint"] and "indent the block" in said[0]["hint"]
    # followed: the code block indented by a space, fences too
    repo.edit(STORY, example, "\n".join(" " + line for line in example.split("\n")))
    assert repo.foundry("check").code == 0
    assert repo.foundry("build", "--only", "html").code == 0
    page = lxml.html.parse(str(repo.root / "build/site/stories/sunken-keep.html"))
    shown = [pre.text_content() for pre in page.iter("pre")]
    assert "<<<<<<< HEAD\nopen the door\n=======\nshut the door\n>>>>>>> feature\n" in shown, shown
    # a hero's YAML cannot hold a marker at a line's start but as git's: no such advice there
    hero_file = repo.root / "content/heroes/aria.yaml"
    line = next(x for x in hero_file.read_text(encoding="utf-8").split("\n") if "agility: 12" in x)
    repo.edit("content/heroes/aria.yaml", line, f"<<<<<<< HEAD\n{line}\n=======\n{line}\n>>>>>>> b")
    hero = [d for d in repo.foundry("check", "--format", "json").json()["diagnostics"] if d["code"] == "HF0185"]
    assert len(hero) == 1 and "backslash" not in hero[0]["hint"]


def test_markers_of_the_length_gitattributes_sets_are_a_conflict(repo: Repo):
    """`conflict-marker-size=10` in .gitattributes (set by projects whose files hold
    `=======` lines of their own) makes git write ten-character markers, and a diff3
    base section: the story published `<<<<<<<<<< HEAD` as prose, check clean. All four
    of one length are a conflict; a heading's `=======` underline among them is not."""
    repo.write(".gitattributes", "*.md conflict-marker-size=10\n")
    repo.commit("Long conflict markers for Markdown")
    repo.git("checkout", "-q", "-b", "b1")
    for side in ("b1", "main"):
        if side == "main":
            repo.git("checkout", "-q", "main")
        repo.edit(STORY, "Rain hammers the broken portcullis.", f"Heading\n=======\n\nRain ({side}).")
        repo.commit(f"{side}'s version", BEN)
    repo.git("-c", "merge.conflictStyle=diff3", "merge", "-q", "b1", check=False)
    lines = (repo.root / STORY).read_text(encoding="utf-8").split("\n")
    assert "<<<<<<<<<< HEAD" in lines and any(x.startswith("|||||||||| ") for x in lines), lines
    run = repo.foundry("check", "--format", "json")
    said = [(d["code"], d["file"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    start, end = lines.index("<<<<<<<<<< HEAD") + 1, lines.index(">>>>>>>>>> b1") + 1
    assert said == [("HF0185", STORY, start, f"unresolved merge conflict (lines {start}–{end}): git left both "
                     "sides here, between `<<<<<<<<<< HEAD`, `==========` and `>>>>>>>>>> b1`")], said
    assert run.code == 1
