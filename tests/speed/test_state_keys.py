"""The build state names each key its records read once (`keys`) and each record's reads
by index into that list (write/state.py FORMAT 8): at 10,000 heroes ~357,000 reads of
~46,000 keys were each a string in the file, parsed and interned by every build's
read of it. The same records give the same bytes however they were made (a clean
build's, an edit's), a state read back has every read it was written with, and a
sealed state whose indices are not ones `to_bytes` writes reads as no state at all."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline import seal
from pipeline.write.state import STATE_FILE, read_state
from engine_steps import edit, run, same_as_clean
from support import REPO

ROOTS = REPO / "tests" / "roots"
HERO = "content/heroes/first-hero.yaml"


def _state(world) -> dict:
    blob = (world / "build" / STATE_FILE).read_bytes()
    return json.loads(blob[blob.index(b"\n") + 1:])


@pytest.fixture
def world(tmp_path):
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world)
    return world


def test_each_key_is_written_once_and_each_read_by_its_index(world, tmp_path):
    data = _state(world)
    keys = data["keys"]
    assert len(keys) == len(set(keys)) and all(type(key) is str for key in keys)
    assert "hero:first-hero" in keys and "heroes*" in keys
    assert all(type(at) is int and 0 <= at < len(keys) for record in data["records"] for at in record[3])
    # read back, each record's reads are its keys, sorted as a render records them
    state = read_state(world / "build", listed=False)
    page = state.artifacts["site/heroes/first-hero.html"]
    index = data["artifacts"]["site/heroes/first-hero.html"]
    assert page.reads == tuple(keys[at] for at in data["records"][index][3]) == tuple(sorted(page.reads))
    assert "hero:first-hero" in page.reads
    assert set(keys) == set().union(*(record.reads for record in state.artifacts.values()))
    # each key's hash beside it by position, not its name a second time (FORMAT 9): the
    # state read back verifies every key a record read, with the hash written for it
    assert len(data["hashes"]) == len(keys) and not set(data["verified"]) & set(keys)
    assert state.verified == {**dict(zip(keys, data["hashes"])), **data["verified"]}
    assert state.verified["hero:first-hero"] == data["hashes"][keys.index("hero:first-hero")]
    # a value edit's state is the clean build's of the same content, byte for byte but
    # for the fingerprint (the clean twin's files have other stats, not other bytes)
    edit(world, HERO, "xp: ", "xp: 1")
    run(world)
    same_as_clean(world, tmp_path)
    edited, clean = _state(world), _state(tmp_path / "twin")
    assert edited["keys"] == clean["keys"] and edited["records"] == clean["records"]
    assert edited["artifacts"] == clean["artifacts"] and edited["verified"] == clean["verified"]
    assert edited["hashes"] == clean["hashes"]


@pytest.mark.parametrize("forged", ["short", "number"])
def test_a_sealed_state_whose_hashes_are_not_one_per_key_records_none(world, forged):
    """Sealed yet with `hashes` not a hash (or null) for each of `keys`: its `verified`
    is read as nothing recorded (every record is then judged by its digest), never
    zipped into hashes of the wrong keys."""
    data = _state(world)
    if forged == "short":
        data["hashes"].pop()
    else:
        data["hashes"][0] = 1
    body = json.dumps(data, sort_keys=True).encode() + b"\n"
    (world / "build" / STATE_FILE).write_bytes(seal.seal(seal.key(world), STATE_FILE, body))
    state = read_state(world / "build", listed=False)
    assert state.artifacts and state.verified is None and state.ran == ()


@pytest.mark.parametrize("forged", [-1, 10 ** 6, "hero:first-hero", True])
def test_a_sealed_state_with_a_read_that_is_no_index_is_no_state(world, tmp_path, forged):
    """Sealed by this user's key yet not in the shape `to_bytes` writes (a negative index
    reads from the end of a list, a bool is an int to Python): read as nothing recorded,
    so the next build renders everything again, as a clean build would."""
    data = _state(world)
    data["records"][0][3].append(forged)
    body = json.dumps(data, sort_keys=True).encode() + b"\n"
    (world / "build" / STATE_FILE).write_bytes(seal.seal(seal.key(world), STATE_FILE, body))
    assert read_state(world / "build", listed=False).artifacts == {}
    report = run(world)
    assert report.ok and not report.reused
    same_as_clean(world, tmp_path)
