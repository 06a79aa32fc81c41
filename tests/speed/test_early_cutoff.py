"""Early cutoff: an entity's outputs are keyed by the digest of its value, not its file's
bytes (load/documents.py `Document.value`). An edit that changes no value — a comment —
re-renders only the outputs that read the bytes (the manifest's `content_hash`), and a
render that reads the bytes (a localized page reading the line-id markers a translator's
tool wrote) is stale after any change of them (load/byte_reads.py). Each build is
compared with a clean build of a copy."""

from __future__ import annotations

import sqlite3

from engine_steps import edit, run, same_as_clean
from support import write_project

# what reads a hero's or story's bytes in a JSON + HTML build: the manifest's content_hash
READ_BYTES = {f"{top}api/v1/{name}.json" for top in ("", "site/") for name in ("bundle", "manifest")}
PARAGRAPH = "The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins."


def test_a_comment_in_a_hero_file_re_renders_only_what_reads_its_bytes(tmp_path):
    world = write_project(tmp_path / "world")
    run(world)
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "# checked by the editor\n")
    assert set(run(world).written) == READ_BYTES   # her pages, rows and cards: the same value
    same_as_clean(world, tmp_path)
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 130")   # a value: what shows it
    written = set(run(world).written)
    assert {"site/heroes/first-hero.html", "api/v1/heroes/first-hero.json", "api/v1/heroes.json"} <= written
    same_as_clean(world, tmp_path, "twin-xp")


def test_a_story_edited_in_its_comments_and_its_prose(tmp_path):
    world = write_project(tmp_path / "world")
    run(world)
    edit(world, "content/stories/first-story.md", "status: draft", "status: draft   # until the ending is in")
    assert set(run(world).written) == READ_BYTES
    edit(world, "content/stories/first-story.md", "holds out a hand", "holds out a cold hand")
    assert "site/stories/first-story.html" in run(world).written
    same_as_clean(world, tmp_path)


def test_a_line_id_marker_added_re_renders_the_translated_page_that_reads_it(tmp_path):
    # The marker is stripped before the story is parsed and moves no position: the
    # story's value is the same. The German page finds the paragraph's translation by
    # it, read from the file's lines: a read of the bytes, so that page is stale.
    world = write_project(tmp_path / "world", {
        "translations/de/content/stories/first-story.md.po": f'''
            msgid ""
            msgstr ""
            "Language: de\\n"
            "Content-Type: text/plain; charset=UTF-8\\n"

            msgctxt "story.first-story.l-3f2a"
            msgid "{PARAGRAPH}"
            msgstr "Der Nebel kommt vom Moor herein wie eine Flut."
            '''})
    toml = world / "foundry.toml"
    toml.write_text(toml.read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    run(world, ["html"])
    page = world / "build/site/de/stories/first-story.html"
    assert "Der Nebel" not in page.read_text()   # no marker yet: the paragraph has no such id
    edit(world, "content/stories/first-story.md", PARAGRAPH, PARAGRAPH + " ^l-3f2a")
    written = run(world, ["html"]).written
    assert "site/de/stories/first-story.html" in written and "Der Nebel" in page.read_text()
    same_as_clean(world, tmp_path, outputs=["html"])


def test_a_comment_in_a_rule_file_re_renders_nothing_and_a_rule_changed_everything_it_reaches(tmp_path):
    world = write_project(tmp_path / "world")
    run(world)
    rules = world / "schemas/skills.yaml"
    rules.write_text(rules.read_text() + "# reviewed\n")
    assert run(world).written == []   # the rule book's value is the same: no page, no row
    edit(world, "schemas/skills.yaml", "Read trails", "Read the trails")
    assert "site/heroes/first-hero.html" in run(world).written
    same_as_clean(world, tmp_path)


def test_the_rows_of_a_list_kept_are_not_pruned_as_unused(tmp_path, monkeypatch):
    # A comment renders the manifest and the bundle only: the other lists are kept, and
    # their stored rows and span logs, which no render asked for, are still theirs. Pruned
    # as unused (here the table is made to look crowded), the next edit that changes a
    # value rendered those lists whole instead of splicing them.
    from pipeline.engine import memo as memo_module
    world = write_project(tmp_path / "world")
    run(world)
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 130")   # the lists logged
    run(world)

    def logs():
        db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
        try:
            return {key.rsplit("|spans:", 1)[1] for (key,) in db.execute(
                "SELECT key FROM fragments WHERE key LIKE '%|spans:%'")}
        finally:
            db.close()
    assert "site/heroes/index.html" in logs()
    monkeypatch.setattr(memo_module, "count_rows", lambda cache: 50_000)   # crowded, by far
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "# checked\n")
    assert set(run(world).written) == READ_BYTES
    assert "site/heroes/index.html" in logs()


def test_a_files_bytes_read_in_another_thread_are_not_the_renders():
    """The reads of a file's bytes are recorded into the render running in the thread
    that reads them: the parse cache's saver or `foundry serve`'s watcher reading a
    file while a render runs must neither land in that render's reads nor take its own
    from it (one stack a process did both)."""
    import threading

    from pipeline.load import byte_reads

    mine, theirs = set(), set()
    started, done = threading.Event(), threading.Event()

    def other() -> None:
        with byte_reads.watching(theirs):
            started.set()
            done.wait(5)
            byte_reads.note("content/heroes/b.yaml")

    thread = threading.Thread(target=other)
    with byte_reads.watching(mine):
        thread.start()
        started.wait(5)
        byte_reads.note("content/heroes/a.yaml")   # the other thread's render is the later one pushed
        done.set()
        thread.join(5)
    assert mine == {"file:content/heroes/a.yaml"} and theirs == {"file:content/heroes/b.yaml"}
