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
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
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
