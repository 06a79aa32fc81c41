"""List rows (render/fragments.py) are kept in the sealed cache as their digest, their
reads and their bytes as they are: what comes back is exactly what was stored, and
anything else is no row (the list renders it again)."""

from __future__ import annotations

from pipeline.render.fragments import Fragment


def test_rows_keep_their_bytes_exactly():
    for data in (b"<li>\"x\" \\ \xc3\xa9</li>\n\nnext", b"", b'{"a":"\\n"}', "nul \0 inside".encode()):
        row = Fragment(("hero:a", "words:fr"), "0" * 64, data)
        assert Fragment.from_row(row.to_row()) == row
    old_form = '[["hero:a"],"' + "1" * 64 + '","<li>a</li>"]'      # rows `foundry serve` writes
    assert Fragment.from_row(old_form) == Fragment(("hero:a",), "1" * 64, b"<li>a</li>")
    for broken in ("F" + "z" * 64 + "[]\nx", "F" + "0" * 64 + "[1]\nx", "F" + "0" * 64 + "[]", "[1,2]", "{"):
        assert Fragment.from_row(broken) is None
