"""`foundry serve` writes into build/ in place only the files whose bytes changed
(write/in_place.py): a file re-rendered to its same bytes stays as it is (no write, no
reload), and one of the same size that differs anywhere, even in its last byte past
the first megabyte read, is written."""

from __future__ import annotations

import os
import stat

import pytest

from pipeline.write.in_place import InPlace

SIZE = 3 * (1 << 20) + 17   # a few of the parts the comparison reads at a time, and a piece


@pytest.mark.parametrize("where", [None, 0, 1 << 20, SIZE - 1])
def test_a_file_is_written_exactly_when_its_bytes_differ(tmp_path, where):
    build = tmp_path / "build"
    build.mkdir()
    old = bytes(range(256)) * (SIZE // 256) + b"x" * (SIZE % 256)
    (build / "bundle.json").write_bytes(old)
    new = bytearray(old)
    if where is not None:
        new[where] ^= 1
    writer = InPlace(tmp_path, build, {"bundle.json"})
    writer.write("bundle.json", bytes(new))
    before = os.stat(build / "bundle.json").st_ino
    writer.commit()
    assert (build / "bundle.json").read_bytes() == bytes(new)
    if where is None:
        assert writer.written == [] and os.stat(build / "bundle.json").st_ino == before
    else:
        assert writer.written == ["bundle.json"]


def test_a_longer_or_shorter_file_is_written(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    (build / "a.json").write_bytes(b"[1]")
    writer = InPlace(tmp_path, build, {"a.json"})
    writer.write("a.json", b"[1]\n")
    writer.commit()
    assert writer.written == ["a.json"] and (build / "a.json").read_bytes() == b"[1]\n"


def test_a_fifo_at_an_outputs_path_is_replaced_never_opened(tmp_path):
    """Whether a file already holds the new bytes is asked of whatever is at its path
    in build/: a FIFO there was opened to be read, and the open waited for a writer
    that never came (`foundry serve` stopped answering). It is not a file holding
    anything: it is replaced, never opened. (A helper opens the FIFO's other end only
    if someone is waiting on it, and says so.)"""
    import threading
    build = tmp_path / "build"
    build.mkdir()
    os.mkfifo(build / "bundle.json")
    done, waited = threading.Event(), []

    def unblock():
        while not done.is_set():
            try:
                fd = os.open(build / "bundle.json", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:   # ENXIO: nobody has it open to read; or it is a FIFO no more
                done.wait(0.01)
                continue
            if stat.S_ISFIFO(os.fstat(fd).st_mode):   # a reader was waiting on it
                waited.append(True)
            os.close(fd)
    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    try:
        writer = InPlace(tmp_path, build, {"bundle.json"})
        writer.write("bundle.json", b"[1]")
        writer.commit()
    finally:
        done.set()
        helper.join()
    assert waited == []
    assert (build / "bundle.json").read_bytes() == b"[1]" and writer.written == ["bundle.json"]
