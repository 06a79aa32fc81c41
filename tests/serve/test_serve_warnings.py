"""`foundry serve` prints the warnings `check` prints, not only its errors: README says it
"prints problems as `check` does", and a writer who worked in the preview alone never
learnt that a `<b>` they typed is shown as typed (HF0124), a warning. A warning is said
when it is new (the first build's all of them), not again at every save that keeps it,
and by a build that says something: a save that changed no page says nothing (a file
that came and went meanwhile, `sed -i`'s copy, was never named: test_save_log.py), and
what it found is said by the next build that does."""

from __future__ import annotations

import shutil

from pipeline.serve.server import LiveState, Rebuilder
from support import REPO

STORY = "content/stories/first-story.md"
FIRST = "The fog comes in off the marsh like a tide."


def _served(tmp_path, first: str):
    """The minimal project, its story's first sentence written `first`, built once by a
    Rebuilder: (root, the story's path, the log's lines, the rebuilder)."""
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace(FIRST, first), encoding="utf-8")
    said: list[str] = []
    rebuilder = Rebuilder(root, ["html", "json"], LiveState(), said.append)
    rebuilder.run("first build")
    return root, story, said, rebuilder


def test_serve_says_each_warning_once_when_it_comes(tmp_path):
    root, story, said, rebuilder = _served(tmp_path, "The fog <b>comes</b> in.")
    log = "\n".join(said)
    assert f"{STORY}:16:" in log and "warning HF0124 '<b>' in prose is shown as typed" in log, log
    assert "hint: Use Markdown" in log and "0 errors, 1 warning." in log, log

    # a save that keeps it (its line moved by one above it): not said again
    said.clear()
    story.write_text(story.read_text(encoding="utf-8").replace("## The Fog Road {#road}\n",
                                                               "## The Fog Road {#road}\n\nMist.\n"),
                     encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    assert said and "HF0124" not in "\n".join(said), said

    # a save that adds one: that one is said, with the count of all
    said.clear()
    story.write_text(story.read_text(encoding="utf-8").replace("Mist.", "Mist <i>rises</i>."), encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    log = "\n".join(said)
    assert "'<i>' in prose is shown as typed" in log and "'<b>'" not in log and "0 errors, 2 warnings." in log, log

    # a stray file changes no page: nothing said then; the next save that does says it
    said.clear()
    stray = "content/heroes/notes.txt"
    (root / stray).write_text("remember the bell\n", encoding="utf-8")
    rebuilder.run(stray, [stray])
    assert not said, said
    story.write_text(story.read_text(encoding="utf-8").replace("Mist", "Thick mist"), encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    log = "\n".join(said)
    assert f"{stray}: warning HF0105" in log and "HF0124" not in log and "0 errors, 3 warnings." in log, log


def test_serve_says_a_second_warning_like_the_first_and_not_again_after_a_fixed_error(tmp_path):
    """A warning was known by its code, file and message: a second `<b>` in the same
    story was the one already said, and never said. A save that broke the story (its
    front matter) stopped the build before its warnings; the fix brought the `<b>` back,
    and the next save said it again as new."""
    root, story, said, rebuilder = _served(tmp_path, "The fog <b>comes</b> in.")
    assert "\n".join(said).count("HF0124") == 1, said

    said.clear()
    story.write_text(story.read_text(encoding="utf-8").replace("## The Fog Road {#road}\n",
                                                               "## The Fog Road {#road}\n\nA <b>bold</b> mist.\n"),
                     encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    log = "\n".join(said)
    assert f"{STORY}:16:3: warning HF0124" in log and "0 errors, 2 warnings." in log, log

    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("---", "--- [", 1), encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    said.clear()
    story.write_text(good, encoding="utf-8")
    rebuilder.run(STORY, [STORY])                   # the fix: no warning is new
    story.write_text(good.replace("Mist", "Thick mist").replace("A <b>bold</b> mist", "A <b>bold</b> fog"),
                     encoding="utf-8")
    rebuilder.run(STORY, [STORY])                   # a page changed: still none new
    log = "\n".join(said)
    assert "fixed — no errors now" in log and "HF0124" not in log, log


def test_serve_says_only_the_new_one_of_many_alike(tmp_path):
    """Of 30 `<b>`s in a story, one more added above them is said, alone: not the 31
    (their lines all moved), nor one of the old ones."""
    many = "\n\n".join(f"Line {i} <b>x</b>." for i in range(30))
    root, story, said, rebuilder = _served(tmp_path, f"{FIRST}\n\n{many}")
    assert "\n".join(said).count("warning HF0124") == 30, said
    said.clear()
    story.write_text(story.read_text(encoding="utf-8").replace(FIRST, f"{FIRST}\n\nThe new <b>one</b>."),
                     encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    log = "\n".join(said)
    assert log.count("warning HF0124") == 1 and "The new <b>one</b>." in log and "0 errors, 31 warnings." in log, log


def test_serve_reads_each_warnings_line_once_a_build(tmp_path, monkeypatch):
    """The lines the warnings are on (what tells a new one from one moved by an edit)
    are read once a build: `_fresh` read them all again (with a warning in each of
    10,000 files, 0.18 CPU-s more at every save)."""
    import pipeline.serve.server as server
    looked: list[str] = []
    real = server.source_line
    monkeypatch.setattr(server, "source_line", lambda d, root, cache: looked.append(d.span.path) or real(d, root, cache))
    root, story, said, rebuilder = _served(tmp_path, "The fog <b>comes</b> <i>in</i>.")
    assert "0 errors, 2 warnings." in "\n".join(said), said
    assert looked == [STORY, STORY], looked
    looked.clear()
    story.write_text(story.read_text(encoding="utf-8").replace("<i>in</i>", "<i>in</i> <u>now</u>"), encoding="utf-8")
    rebuilder.run(STORY, [STORY])
    assert "'<u>' in prose is shown as typed" in "\n".join(said) and looked == [STORY] * 3, looked
