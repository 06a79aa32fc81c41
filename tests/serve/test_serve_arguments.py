"""`foundry serve`'s options are refused as build's are, before anything is built or
bound: an unknown --with output was never rebuilt, without a word, and an empty --host
(an unset shell variable) listened on every address instead of localhost only."""

from __future__ import annotations

from support import foundry


def test_unknown_with_and_empty_host_are_usage_errors(project_factory):
    root = project_factory()
    run = foundry("serve", "--port", "0", "--with", "pdf,xyz", "--project", str(root))
    assert run.code == 2 and "unknown output xyz" in run.stderr and "--with" in run.stderr, run.stderr
    for host in ("", "  "):
        run = foundry("serve", "--port", "0", "--host", host, "--project", str(root))
        assert run.code == 2 and "--host" in run.stderr and "every" in run.stderr, run.stderr
    assert not (root / "build").exists()


def test_a_port_in_use_is_said_before_building_with_what_to_do(project_factory):
    """A second `foundry serve` (one left running in another terminal) built the whole
    project, then said only "cannot listen on 127.0.0.1:8000: Address already in use".
    It is said before anything is built, with the port to use instead."""
    import socket
    root = project_factory()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = foundry("serve", "--port", str(port), "--project", str(root))
    assert run.code == 2, run.stderr
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use." in run.stderr, run.stderr
    assert "a `foundry serve` still running in another terminal?" in run.stderr, run.stderr
    assert "`foundry serve --port 8000` (`--port 0` picks a free one)" in run.stderr, run.stderr
    assert "first build" not in run.stderr and not (root / "build").exists(), run.stderr
