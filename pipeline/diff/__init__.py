"""`foundry diff`: what changed in the content between two revisions, in its own words.

    sides.plan        which revisions (defaults: merge base with the default branch, working tree)
    sides.Loader      each side read from git into a temporary folder and loaded by `check`
    snapshot          a World → per-entity fields, derived stats, story graph and findings
    compare           two snapshots → EntityDiff per changed entity, breaking changes flagged
    render            text | markdown | json
"""

from .compare import compare, entity_diff
from .model import EntityDiff, Item, Side, WorldDiff
from .render import FORMATS, render
from .sides import Loader, SideSpec, diff_sides, plan
from .snapshot import Snapshot, key_of_path, snapshot

__all__ = ["compare", "entity_diff", "EntityDiff", "Item", "Side", "WorldDiff", "FORMATS", "render", "Loader",
           "SideSpec", "diff_sides", "plan", "Snapshot", "key_of_path", "snapshot"]
