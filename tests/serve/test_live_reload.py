"""`foundry serve` in a real browser: a page reloads by itself when a save changes it,
and only then (the events name the changed pages; serve/live.js compares its own).

A small project (tests/roots/minimal and a second hero), served by the real command on
a free port; Chromium (Debian) driven by Playwright. Nothing is timed: each step waits
on a condition (the page's text, the generation the page says it has seen) with a
generous timeout.
"""

from __future__ import annotations

import json
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
