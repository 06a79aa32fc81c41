"""`foundry serve` with every rewrite held for its flush (FOUNDRY_HOLD_BYTES=0: at
10,000 heroes only the lists are, write/in_place.py `Held`), in a real browser: a save
reloads the open page with its new text, whether it is served from memory or from the
file the idle flush wrote, and once the serve leaves (Ctrl-C), build/ holds exactly a
clean build's bytes. Nothing is timed."""

from __future__ import annotations

import shutil
import signal

from engine_steps import output_bytes, run
from support import REPO, start_serve

WAIT_MS = 120_000


def test_a_held_save_reloads_the_page_and_leaving_writes_it(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("FOUNDRY_HOLD_BYTES", "0")
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    proc, url = start_serve(root)
    try:
        page = browser.new_page()
        page.goto(url + "heroes/first-hero.html")
        page.wait_for_selector("html[data-foundry-seen]", timeout=WAIT_MS)   # live.js is connected
        hero = root / "content/heroes/first-hero.yaml"
        hero.write_text(hero.read_text().replace("name: Rook Amsel", "name: Rook Amsel-Held", 1))
        page.wait_for_selector("h1:has-text('Rook Amsel-Held')", timeout=WAIT_MS)   # across the reload
        page.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    twin = tmp_path / "twin"
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin)
    assert output_bytes(root) == output_bytes(twin)
