"""`foundry serve` through its live watcher: the files an editor writes while a writer
works (vim's swap file, backup and `4913` probe, Emacs' lock link and autosave, other
editors' temporary files) trigger no rebuild, appear nowhere in its log and never
break a build; saving the real file rebuilds once.

The real `foundry serve` runs on a small project; its status endpoint reports how many
builds it has attempted (`builds`) and each rebuild's log line names the files that
caused it. Nothing is timed: the test waits for the save's rebuild and then compares
counts, so a rebuild caused by the temporary files shows either as one build too many
or as their names in the rebuild's reason."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from support import REPO, ROOTS, as_a_terminal_starts_it, foundry

HEROES = "content/heroes"


@pytest.fixture
def served(tmp_path):
    yield from _serve(tmp_path)


@pytest.fixture
def served_beside(tmp_path):
    """Served with a `stories/` folder beside content/ (a note in it, no story yet)."""
    yield from _serve(tmp_path, {"stories/notes.md": "Ideas for the next story.\n"})


def _serve(tmp_path, files: dict[str, str] | None = None):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--port", "0", "--project", str(root)],
                            cwd=REPO, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"}, preexec_fn=as_a_terminal_starts_it)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    url = None
    seen = []
    while url is None:
        line = lines.get(timeout=180)
        seen.append(line)
        match = re.search(r"Serving at (http://127\.0\.0\.1:\d+/)", line)
        url = match.group(1) if match else None
        assert proc.poll() is None, "".join(seen)
    yield root, url, lines, seen
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def status(url: str) -> dict:
    with urllib.request.urlopen(url + "__foundry/status", timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_for(url: str, predicate, patience: float = 120) -> dict:
    """Poll the status until `predicate` holds (`patience` is how long to wait for it,
    never something asserted about)."""
    deadline = time.monotonic() + patience
    current = status(url)
    while not predicate(current):
        assert time.monotonic() < deadline, f"never happened; last status {current}"
        time.sleep(0.1)
        current = status(url)
    return current


def test_editor_files_trigger_no_rebuild_and_a_save_triggers_one(served):
    root, url, lines, seen = served
    # the first build and the watcher's catch-up build, always both
    start = wait_for(url, lambda s: s["builds"] >= 2)
    assert start["builds"] == 2 and start["problems"] == [], start

    heroes = root / HEROES
    hero = heroes / "first-hero.yaml"
    original = hero.read_text(encoding="utf-8")
    # What editors leave beside the file while it is being edited and saved.
    (heroes / ".first-hero.yaml.swp").write_bytes(b"b0VIM 9.0\x00" + b"\x00" * 64)   # vim swap
    (heroes / "4913").write_text("")                                                   # vim's probe
    (heroes / "4913").unlink()
    (heroes / "first-hero.yaml~").write_text(original, encoding="utf-8")               # vim/emacs backup
    os.symlink("writer@host.4242:1700000000", heroes / ".#first-hero.yaml")           # Emacs lock: a link to nowhere
    (heroes / "#first-hero.yaml#").write_text(original + "xp: 1\n", encoding="utf-8")  # Emacs autosave
    (heroes / "first-hero.yaml.tmp").write_text(original, encoding="utf-8")            # atomic-save temp
    (heroes / "first-hero.yaml___jb_tmp___").write_text(original, encoding="utf-8")    # JetBrains
    (root / "content/.DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")

    # The writer saves the real file (the editor files stay, as they do while editing).
    hero.write_text(original.replace("Rook Amsel", "Rook Amsel-Vey"), encoding="utf-8")
    after = wait_for(url, lambda s: s["generation"] > start["generation"] or s["problems"])
    assert after["problems"] == [], after["problems"]       # the editor files break nothing
    assert after["builds"] == start["builds"] + 1, after     # one rebuild, for the save alone
    page = (root / "build/site/heroes/first-hero.html").read_text(encoding="utf-8")
    assert "Rook Amsel-Vey" in page

    # The log names the saved file and nothing an editor wrote.
    def rebuilt():   # rebuilds caused by a change (not the first build nor the catch-up)
        return [line for line in seen if ": rebuilt " in line and not line.startswith(("first build", "catch-up"))]

    while not rebuilt():
        seen.append(lines.get(timeout=60))
    rebuilt = rebuilt()
    assert len(rebuilt) == 1 and rebuilt[0].startswith(f"{HEROES}/first-hero.yaml: rebuilt "), rebuilt
    log = "".join(seen)
    for name in (".swp", "4913", "~", ".#", "#first", ".tmp", "___jb_tmp___", ".DS_Store"):
        assert name not in log.replace(str(root), ""), (name, log)

    # `check` agrees: the editor files are neither entities nor strays.
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout


def test_a_story_saved_beside_content_is_said_while_serving(served_beside):
    """A story saved in `stories/` at the project's root (not content/stories/) is
    HF0105 in `check` (s51), but `foundry serve` did not watch that folder: the save
    rebuilt nothing and the writer, watching the preview, was told nothing until some
    other file changed. The folders beside content/ that check reads are watched, and a
    new warning about the file saved is said though the save changed no page."""
    root, url, lines, seen = served_beside
    start = wait_for(url, lambda s: s["builds"] >= 2)
    story = (root / "content/stories/first-story.md").read_text(encoding="utf-8")
    (root / "stories/second.md").write_text(story.replace("The Fog Road", "The Second Road"), encoding="utf-8")
    wait_for(url, lambda s: s["builds"] > start["builds"])
    while not any("HF0105" in line for line in seen):
        seen.append(lines.get(timeout=120))
    log = "".join(seen)
    assert re.search(r"stories/second\.md(:\d+:\d+)?: warning HF0105", log), log


def test_a_folder_beside_content_made_while_serving_is_watched(served):
    """`stories/` made at the project's root after `foundry serve` started was never
    watched (only the input folders there at the start were; the root itself was not):
    a story saved in it was said (HF0105) only after a restart. The root is watched for
    the inputs' names, so a folder of them made later is watched from then on, and a
    file saved in it afterwards is said at the save."""
    root, url, lines, seen = served
    wait_for(url, lambda s: s["builds"] >= 2)
    (root / "stories").mkdir()
    story = (root / "content/stories/first-story.md").read_text(encoding="utf-8")
    (root / "stories/second.md").write_text(story.replace("The Fog Road", "The Second Road"), encoding="utf-8")
    while not any("HF0105" in line for line in seen):
        seen.append(lines.get(timeout=120))
    log = "".join(seen)
    assert re.search(r"stories/second\.md(:\d+:\d+)?: warning HF0105", log), log
