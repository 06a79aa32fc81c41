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
