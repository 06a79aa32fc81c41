"""`foundry serve` in a real browser: a page reloads by itself when a save changes it,
and only then (the events name the changed pages; serve/live.js compares its own).

A small project (tests/roots/minimal and a second hero), served by the real command on
a free port; Chromium (Debian) driven by Playwright. Nothing is timed: each step waits
on a condition (the page's text, the generation the page says it has seen) with a
generous timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import urllib.request

import pytest

from support import REPO, start_serve

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve") / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    first = (root / "content/heroes/first-hero.yaml").read_text()
    second = first.replace("name: Rook Amsel", "name: Wren Halloway").replace(
        "relationships:\n  - {with: old-guide, kind: mentor}\n", "")
    (root / "content/heroes/second-hero.yaml").write_text(second)
    proc, url = start_serve(root)
    yield root, url
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)


def generation(url: str) -> int:
    with urllib.request.urlopen(url + "__foundry/status", timeout=10) as response:
        return json.loads(response.read())["generation"]


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_save_reloads_the_page_it_changed_and_no_other(served, browser):
    root, url = served
    page = browser.new_page()
    try:
        page.goto(url + "heroes/first-hero.html")
        page.wait_for_selector("html[data-foundry-seen]", timeout=WAIT_MS)   # live.js is connected
        assert "Rook Amsel" in page.locator("h1").inner_text()

        # Another hero's save: a new generation that this page sees and stays on.
        page.evaluate("window.__notReloaded = true")
        before = generation(url)
        edit(root / "content/heroes/second-hero.yaml", "name: Wren Halloway", "name: Wren Halloway-Marsh")
        page.wait_for_function(f"Number(document.documentElement.dataset.foundrySeen) > {before}", timeout=WAIT_MS)
        assert page.evaluate("window.__notReloaded === true"), "another hero's save reloaded this page"
        with urllib.request.urlopen(url + "heroes/second-hero.html", timeout=10) as response:
            assert "Wren Halloway-Marsh" in response.read().decode()   # that save was built

        # This hero's save: the page reloads by itself and shows the new text.
        edit(root / "content/heroes/first-hero.yaml", "name: Rook Amsel", "name: Rook Amsel-Vane")
        page.wait_for_selector("h1:has-text('Rook Amsel-Vane')", timeout=WAIT_MS)   # waits across the reload
        assert page.evaluate("window.__notReloaded === undefined")
    finally:
        page.close()


def test_a_change_the_watcher_never_reported_is_rebuilt_and_reloads_the_page(served, browser, tmp_path):
    """A write through a hard link outside the watched folders changes the hero's file
    without an inotify event for it (the kernel reports it at the path written: as an
    editor's rename on some mounts, or a full event queue, loses one). Before, the
    serve saw it only at the next save; the idle stat sweep (serve/sweep.py) now
    rebuilds it and the open page reloads by itself."""
    root, url = served
    hero = root / "content/heroes/second-hero.yaml"
    elsewhere = tmp_path / "second-hero-elsewhere.yaml"   # outside the project: no watch on it
    os.link(hero, elsewhere)
    page = browser.new_page()
    try:
        page.goto(url + "heroes/second-hero.html")
        page.wait_for_selector("html[data-foundry-seen]", timeout=WAIT_MS)
        text = elsewhere.read_text()
        assert "name: Wren Halloway" in text
        with open(elsewhere, "r+", encoding="utf-8") as out:   # in place: the same inode, one link of it
            out.write(text.replace("name: Wren Halloway", "name: Wren Unwatched", 1))
            out.truncate()
        assert "Wren Unwatched" in hero.read_text()
        page.wait_for_selector("h1:has-text('Wren Unwatched')", timeout=WAIT_MS)   # rebuilt, and reloaded
    finally:
        page.close()
        elsewhere.unlink()


def test_the_overlay_counts_every_error_and_lists_them_as_check_does(served, browser):
    """A hero of countless unknown attributes: the overlay lists the first hundred and
    one "and N more" line (diagnostics.said), its title the count of all; the page had
    every one of them sent to it (150,000 items for a 1.8 MB file)."""
    from pipeline.diagnostics import SAID_PER_FILE
    root, url = served
    hero = root / "content/heroes/first-hero.yaml"
    before = hero.read_text()
    many = SAID_PER_FILE + 50
    page = browser.new_page()
    try:
        page.goto(url + "heroes/second-hero.html")
        page.wait_for_selector("html[data-foundry-seen]", timeout=WAIT_MS)
        edit(hero, "attributes: {agility: 13, constitution: 10}",
             "attributes:\n" + "".join(f"  k{i}: 1\n" for i in range(many)))
        page.wait_for_selector("#foundry-overlay", timeout=WAIT_MS)
        assert page.locator("#foundry-overlay strong").inner_text().startswith(f"{many} problems")
        items = page.locator("#foundry-overlay li").all_inner_texts()
        assert len(items) == SAID_PER_FILE + 1
        assert f"and 50 more like the {SAID_PER_FILE} above in this file, from here on" in items[-1]
    finally:
        hero.write_text(before)
        page.wait_for_selector("#foundry-overlay", state="detached", timeout=WAIT_MS)
        page.close()
