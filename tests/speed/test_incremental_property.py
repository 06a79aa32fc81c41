"""Property: after any sequence of edits, an incremental build equals a clean build.

Random sequences of the edits writers make — a hero, a story, a character, a quest, a
hero template, a rule file, foundry.toml (a key every page shows; a second language
named and dropped), a translation file written and removed, a theme template, a theme
stylesheet, the theme's words, a portrait (other bytes; other bytes of the same size
under the same mtime; a link to another image; a link to a copy of its bytes outside
content/; renamed in case only), a hero or a story
added, renamed or deleted, a scene renamed — are applied to a small world with its own
theme and portraits. After each edit the incremental build
(same folder, build state, caches and fragment memo kept) must write exactly the bytes
a clean build of a copy writes (no build/, no .foundry-cache), must have re-rendered
every artifact whose bytes changed, and a second build must render nothing.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incremental_edits import DRAWN, cli_builds, make_base


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_base(tmp_path_factory.mktemp("property") / "base")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(DRAWN), min_size=1, max_size=3))
def test_incremental_build_equals_a_clean_one_after_any_edits(base, tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("run")
    shutil.copytree(base, work / "world", symlinks=True)
    cli_builds(work, edits)


# Each kind of edit in turn (incremental_edits.IN_TURN) also goes through the CLI, as the
# twin the resident engine is compared with after each save (test_resident_property.py).
