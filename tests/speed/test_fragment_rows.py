"""List rows (render/fragments.py) are kept in the sealed cache as their digest, their
reads and their bytes as they are: what comes back is exactly what was stored, and
anything else is no row (the list renders it again)."""

from __future__ import annotations

import json

from pipeline.render.fragments import Fragment


def test_rows_keep_their_bytes_exactly():
    for data in (b"<li>\"x\" \\ \xc3\xa9</li>\n\nnext", b"", b'{"a":"\\n"}', "nul \0 inside".encode()):
        row = Fragment(("hero:a", "words:fr", "hero:h\u00e9ros\ud800"), "0" * 64, data)
        assert Fragment.from_row(row.to_row()) == row
        if b"\0" not in data:   # the reads as json writes them: ASCII, escapes and all (one encoder for every row)
            assert row.to_row() == "F" + "0" * 64 + json.dumps(list(row.reads), separators=(",", ":")) \
                + "\n" + data.decode()
    old_form = '[["hero:a"],"' + "1" * 64 + '","<li>a</li>"]'      # rows `foundry serve` writes
    assert Fragment.from_row(old_form) == Fragment(("hero:a",), "1" * 64, b"<li>a</li>")
    for broken in ("F" + "z" * 64 + "[]\nx", "F" + "0" * 64 + "[1]\nx", "F" + "0" * 64 + "[]", "[1,2]", "{",
                   "F" + "A" * 64 + "[]\nx", "F" + "0" * 63 + " []\nx", "F" + "0" * 63 + "\n[]\nx",
                   "F" + "0" * 64 + '["a",null]\nx', "F" + "0" * 64 + '"ab"\nx', "F" + "0" * 64 + '{"a":"b"}\nx',
                   "F" + "0" * 64 + '["a",["b"]]\nx', "F" + "é" * 64 + "[]\nx"):
        assert Fragment.from_row(broken) is None


def test_stored_rows_read_as_bytes_are_the_rows_written_and_nothing_forged(tmp_path):
    """engine/memo.py reads the fragments table's rows as their UTF-8 bytes (no str made
    of each and encoded back for its MAC): a row comes back exactly as `to_row` wrote
    it, text beyond ASCII and the older JSON form included, and a row whose MAC does not
    verify, a number under a MAC, or a row under another key's MAC is absent (the list
    renders it again), whether looked up alone or with its group."""
    import shutil
    import sqlite3
    from engine_steps import run
    from pipeline.engine.memo import GROUP_READ_AFTER, SealedRows, StoredFragments
    from pipeline.load.cache import ParseCache
    from support import REPO
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests" / "roots" / "minimal", world)
    run(world, ["json"])
    rows = {f"list:row:{n:04}": Fragment(("hero:a", f"hero:é{n}"), f"{n:064x}", f"<li>é \"{n}\"\n</li>".encode())
            for n in range(GROUP_READ_AFTER + 8)}
    rows["list:row:nul"] = Fragment(("hero:a",), "2" * 64, "nul \0 inside".encode())
    cache = ParseCache(world, "fragments")
    for key, fragment in rows.items():
        cache.put_row(key, fragment.to_row())
    cache.save(prune=False)
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    good = dict(db.execute("SELECT key, mac FROM fragments WHERE key LIKE 'list:row:%'"))
    db.executemany("INSERT INTO fragments VALUES (?, ?, ?)", [
        ("list:row:forged", rows["list:row:0000"].to_row(), "0" * 64),                 # not our MAC
        ("list:row:other", rows["list:row:0001"].to_row(), good["list:row:0001"]),     # another key's MAC
        ("list:row:number", 7, good["list:row:0003"]),
    ])
    db.commit()
    db.close()
    for order in (sorted(rows), ["list:row:nul", "list:row:0000"]):   # the group read in one query, or key by key
        stored = StoredFragments(ParseCache(world, "fragments"))
        assert {key: stored.get(key) for key in order} == {key: rows[key] for key in order}
        assert all(isinstance(stored.get(key), type(None)) for key in
                   ("list:row:forged", "list:row:other", "list:row:number"))
    as_bytes = SealedRows(ParseCache(world, "fragments"), blobs=True)
    assert as_bytes.get("list:row:0005") == rows["list:row:0005"].to_row().encode()


def test_a_keyed_verifier_accepts_exactly_the_macs_seal_makes():
    """engine/memo.py checks a list's stored rows with one keyed HMAC state copied per
    row (seal.Verifier): the same answer as seal.verify for every row, a tag of another
    purpose, another key, other bytes or another type refused."""
    import os
    from pipeline import seal
    secret = os.urandom(seal.KEY_BYTES)
    verify = seal.Verifier(secret)
    for purpose, data in (("cache:fragments:html:x|drawn:é", "<li>é</li>".encode()), ("cache:fragments:", b""),
                          ("cache:prose:k", b"\0" * 70), ("state", os.urandom(5000))):
        tag = seal.mac(secret, purpose, data)
        assert verify.mac(purpose, data) == tag   # how the cache seals a build's rows (load/cache.py `_sealed`)
        assert verify(purpose, data, tag) and seal.verify(secret, purpose, data, tag)
        assert verify(purpose, data, tag) and verify(purpose, data, tag)   # the keyed state is not used up
        for wrong in ((purpose + "x", data, tag), (purpose, data + b"x", tag), (purpose, data, tag.upper()),
                      (purpose, data, tag.encode()), (purpose, data, None), (purpose, data, tag[:-1]),
                      (purpose, data, seal.mac(os.urandom(seal.KEY_BYTES), purpose, data))):
            assert not verify(*wrong) and not seal.verify(secret, *wrong)
