"""`foundry serve`: serves the last good build, rebuilds on change, shows problems."""

from __future__ import annotations

import json
import signal
import time
import urllib.request

import pytest

from support import start_serve, stops_tidily


@pytest.fixture
def served(project_factory):
    """`foundry serve` on the minimal project: what a save rebuilds, the problems it
    shows and its recovery are the same on any project (the sample's whole first
    build, in a server of its own, was ~3 CPU-s of it)."""
    root = project_factory()
    proc, url = start_serve(root, patience=180)
    yield root, url, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def status(url: str) -> dict:
    return json.loads(get(url + "__foundry/status"))


def wait_for(url: str, predicate, timeout: float = 90) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        current = status(url)
        if predicate(current):
            return current
        time.sleep(0.2)
    raise AssertionError(f"timed out; last status {current}")


def test_serve_rebuilds_and_reports_problems_then_recovers(served):
    root, url, proc = served
    page = get(url + "heroes/first-hero.html")
    assert '<script src="/__foundry/live.js"></script></body>' in page
    assert not (root / "build/site/heroes/first-hero.html").read_text().count("__foundry")  # never built in
    first = status(url)
    assert first["problems"] == []

    hero = root / "content/heroes/first-hero.yaml"
    original = hero.read_text()
    content_before = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    hero.write_text(original.replace("Rook Amsel", "Rook Amselmo"))
    wait_for(url, lambda s: s["generation"] > first["generation"])
    assert "Rook Amselmo" in get(url + "heroes/first-hero.html")

    hero.write_text(original.replace("Rook Amsel", "Rook Amselmo").replace("xp:", "xp: [oops", 1))
    # write_text truncates before it writes: the watcher may see the empty file first
    # and serve says HF0104 for it, then HF0101 once the whole text has landed
    broken = wait_for(url, lambda s: any(p["file"] == "content/heroes/first-hero.yaml" and p["code"] == "HF0101"
                                         for p in s["problems"]))
    own = [p for p in broken["problems"] if p["file"] == "content/heroes/first-hero.yaml"]
    assert [p["code"] for p in own] == ["HF0101"] and own[0]["line"] > 1
    # the overlay says each place as `check` does: file:line:column, and the file alone
    # for a whole file's problem (it said `content/heroes/blob.yaml:0:0`)
    assert own[0]["place"] == f"content/heroes/first-hero.yaml:{own[0]['line']}:{own[0]['column']}"
    blob = root / "content/heroes/blob.yaml"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    binary = wait_for(url, lambda s: any(p["code"] == "HF0116" for p in s["problems"]))
    assert [p["place"] for p in binary["problems"] if p["code"] == "HF0116"] == ["content/heroes/blob.yaml"]
    assert "p.place" in get(url + "__foundry/live.js")
    blob.unlink()
    assert "Rook Amselmo" in get(url + "heroes/first-hero.html")  # the last good build is still served

    hero.write_text(original)
    fixed = wait_for(url, lambda s: not s["problems"] and s["generation"] > broken["generation"])
    assert fixed["problems"] == []
    assert "Rook Amsel<" in get(url + "heroes/first-hero.html") or "Rook Amsel " in get(url + "heroes/first-hero.html")

    content_before[hero] = original.encode()
    after = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    assert after == content_before  # serve never writes into content/

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0


def test_serve_binds_to_localhost_only(project_factory):
    # the address is the command's, whatever the project: the minimal one, not the
    # sample's whole first build in a server of its own
    proc, url = start_serve(project_factory(), patience=120)
    try:
        assert url.startswith("http://127.0.0.1:")
    finally:
        stops_tidily(proc, signal.SIGINT, patience=20)


def test_a_service_managers_stop_leaves_as_ctrl_c_does(project_factory):
    """SIGTERM (systemd, a container, `kill`) is a tidy stop like Ctrl-C: "Stopping.",
    the deferred build state written, exit status 0 — not death by the signal."""
    root = project_factory()
    proc, url = start_serve(root, patience=120)
    try:
        assert "<html" in get(url)
    finally:
        stops_tidily(proc, signal.SIGTERM, patience=20)
