"""Each link in a paragraph is judged at its own place. The search for a link's `](`
started at the paragraph's first line for every link: two slips with one address
(`[there](bank)` twice) were one diagnostic at the first, the second never named —
and a paragraph of 50,000 autolinks, which have no `](`, was searched whole for each
(21 s for `foundry check`; docs/performance.md)."""

from __future__ import annotations

from support import diagnostics, foundry

STORY = """\
---
title: Two slips
start: road
---

## The Road {#road}

Go [there](bank) or [there](bank), see <https://example.org/a> and
[there](bank) again.

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_every_scene_link_without_hash_is_named_where_it_is(project_factory):
    root = project_factory({"content/stories/slips.md": STORY})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert [d for d in diagnostics(run) if d.startswith("HF0527")] == [
        "HF0527 content/stories/slips.md:8:12", "HF0527 content/stories/slips.md:8:29",
        "HF0527 content/stories/slips.md:9:9"]
