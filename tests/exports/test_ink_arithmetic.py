"""Division and rounding in the ink export give what `foundry play` (and the site's
player) gives, in every ink runtime: inkjs's, with the story compiled by inkjs or by
inklecate, and inkle's C# runtime (the one Unity and Inky play), run by inklecate itself.

Both runtimes used to disagree with the writer's story: inkjs turns a whole-number
decimal back into a whole number, so the export's `(coins * 1.0) / 2` was 1, not 1.5,
for 3 coins; C# ink's decimals are 32-bit, so `big * 1.0` lost the last digits of any
number past 2^24 (`16777219 // 2` was 8388610)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from export_support import INKLECATE
from export_support import FIXTURE, SOURCE_DATE_EPOCH, scripted_paths, transcripts_of
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.resolve.world import players_for
from pipeline.stories.machine import StoryMachine
from support import foundry, require_tool, write_project
from test_ink import check_story

# Every value below is what `evaluate` computes; the choice to `right` holds only when
# the runtime computed each of them so (the other choice is there for the other case).
STORY = """
    ---
    title: Shares
    status: draft
    start: table
    protagonist: aria
    variables:
      coins: 3
      big: 16777219
      debt: -7
      share: 0
      whole: 0
      floored: 0
      big_half: 0
      rounded: 0
      back: 0
      rest: 0
      fraction: 0
    ---

    ## The Table {#table}

    Coins on the table.

    - [Split them](#split){do="share = coins / 2; whole = 6 / 3; floored = debt // 2; big_half = big // 2; rounded = round(big / 2); back = big / 1; rest = debt % 4"}

    ## Split {#split}

    The shares are counted.

    - [Count again](#counted){do="fraction = (coins / 2) * 2; floored = floored + (7.5 // 2) + (-7.5 // 2) + (7 // -2) + round(-2.5) + round(2.5) + floor(big) + ceil(debt / 2)"}

    ## Counted {#counted}

    Every sum is on the slate.

    - [The sums are right](#right){if="share == 1.5 and whole == 2 and big_half == 8388609 and rounded == 8388610 and back == 16777219 and rest == 1 and fraction / 2 == 1.5 and floored == 16777208"}
    - [The sums are wrong](#wrong)

    ## Right {#right .ending}

    The sums were right.

    ## Wrong {#wrong .ending}

    The sums were wrong.
"""


@pytest.fixture(scope="module")
def shares(tmp_path_factory):
    files = {name: text for name, text in FIXTURE.items() if not name.startswith("content/stories/")}
    root = write_project(tmp_path_factory.mktemp("shares") / "proj",
                         {**files, "content/stories/shares.md": STORY}, base=None)
    run = foundry("build", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root


def _story_paths(root):
    world = check(root, Diagnostics())
    story = world.stories["shares"].model
    machine = StoryMachine(story, players_for(story, world)[0])
    paths = scripted_paths(machine)
    return machine, paths


def test_foundry_play_reaches_the_right_sums(shares):
    machine, paths = _story_paths(shares)
    assert transcripts_of(machine, {"first": [1, 1, 1]})["first"]["ending"] == "right"


@pytest.mark.parametrize("compiler", ["inkjs", "inklecate"])
def test_division_and_rounding_play_alike_in_inkjs(node_tools, request, shares, compiler):
    compile_with = request.getfixturevalue("inklecate") if compiler == "inklecate" else None
    transcripts = check_story(shares, "shares", compile_with=compile_with)
    assert transcripts["always-first"]["ending"] == "right"


def test_division_and_rounding_play_alike_in_the_csharp_runtime(shares):
    """inklecate -p plays the export in inkle's own C# runtime (ink 0.9)."""
    mono = shutil.which("mono")
    require_tool(mono is not None and INKLECATE.is_file(),
                 "mono (Debian mono-runtime) and npm inklecate (run `npm ci` at the repository root)")
    machine, paths = _story_paths(shares)
    ours = transcripts_of(machine, paths)
    ink_file = shares / "build" / "ink" / "shares.ink"
    for name, path in paths.items():
        run = subprocess.run([mono, str(INKLECATE), "-p", str(ink_file)], input="".join(f"{n}\n" for n in path),
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        # each scene's first line carries its tags; the last `scene:` tag printed is the ending
        scenes = [tag.split(":", 1)[1].strip() for line in run.stdout.splitlines() if line.startswith("# tags:")
                  for tag in line[len("# tags:"):].split(",") if tag.strip().startswith("scene:")]
        assert scenes[-1] == ours[name]["ending"], (name, run.stdout)
