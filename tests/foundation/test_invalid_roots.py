"""Every `tests/roots/invalid-*` project gives exactly the diagnostics in its
expected.txt, exits 1, and `foundry build` writes nothing at all."""

from __future__ import annotations

import json

import pytest

from support import ROOTS, begins_no_sentence

from .helpers import copy_root, invoke, located, snapshot

INVALID = sorted(p.name for p in ROOTS.glob("invalid-*"))


def test_there_is_a_root_for_every_bad_input():
    # The list of bad input, each with a root of its own; a rename must not
    # silently drop one from the parametrised test below.
    assert len(INVALID) >= 31
    for root in INVALID:
        assert (ROOTS / root / "expected.txt").is_file(), root
        assert (ROOTS / root / "foundry.toml").is_file(), root


@pytest.mark.parametrize("name", INVALID)
def test_invalid_root(name, tmp_path):
    root = copy_root(name, tmp_path)
    expected = (root / "expected.txt").read_text(encoding="utf-8").splitlines()
    before = snapshot(root)

    result = invoke("check", "--project", str(root), "--format", "json")
    payload = json.loads(result.stdout)
    assert located(payload) == expected
    # every mistake comes with its fix (the bar: code, file, line, column and a hint)
    assert [d["code"] for d in payload["diagnostics"] if not d.get("hint")] == []
    # …each hint one or more sentences, begun with a capital (tests/writer/test_message_form.py)
    assert [(d["code"], d["hint"]) for d in payload["diagnostics"] if begins_no_sentence(d["hint"])] == []
    assert result.exit_code == 1
    assert payload["errors"] >= 1

    # The error gate: no build/ appears, and nothing else in the project changes.
    result = invoke("build", "--project", str(root), "--only", "json")
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert snapshot(root) == before

    # A previous build stays exactly as it was.
    previous = root / "build" / "api" / "v1"
    previous.mkdir(parents=True)
    (previous / "manifest.json").write_text('{"schema_version": "1.0.0", "previous": true}\n')
    (root / "build" / "index.html").write_bytes(b"<!doctype html><title>last good build</title>\n")
    before = snapshot(root)
    assert invoke("build", "--project", str(root)).exit_code == 1
    assert snapshot(root) == before
