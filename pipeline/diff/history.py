"""An entity's history in the words of the content: each commit that touched its file
(renames followed), with what that commit changed in it — the entity compared between
the commit's parent and the commit, loaded as `foundry diff` loads any revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..git.versions import Change, git_text, uncommitted
from .compare import entity_diff
from .model import EntityDiff
from .sides import WORKING_TREE, Loader, SideSpec, first_error
from .snapshot import key_of_path


@dataclass(frozen=True)
class Step:
    change: Change | None          # None: uncommitted changes in the working tree
    diff: EntityDiff | None        # None when a side did not load
    note: str = ""                 # created | deleted | does not load … when there is no diff to show


def steps(root: Path, path: str, changes: tuple[Change, ...], loader: Loader | None = None,
          cut: bool = False) -> list[Step]:
    """Newest first; uncommitted changes to the file come first when there are any.
    `cut`: the oldest change is where a shallow clone's history stops (EntityHistory.cut),
    so the file is not "created" there: its note says so."""
    loader = loader or Loader(root)
    out = []
    if path in uncommitted(root) and git_text(root, "rev-parse", "--verify", "--quiet", "HEAD"):
        out.append(_step(loader, None, SideSpec("HEAD", git_text(root, "rev-parse", "HEAD")),
                         SideSpec(WORKING_TREE, None), key_of_path(path), key_of_path(path)))
    for change in changes:
        parent = git_text(root, "rev-parse", "--verify", "--quiet", f"{change.commit}^")
        base = SideSpec(f"{change.commit[:12]}^", parent) if parent else None
        out.append(_step(loader, change, base, SideSpec(change.commit[:12], change.commit),
                         key_of_path(change.old_path or change.path), key_of_path(change.path)))
    if cut and changes and out and out[-1].change is changes[-1] and out[-1].note == "created":
        out[-1] = Step(changes[-1], None, "the shallow clone's history starts here: older commits not fetched")
    return out


def _step(loader: Loader, change: Change | None, base: SideSpec | None, head: SideSpec,
          old_key: str | None, new_key: str | None) -> Step:
    if change is not None and change.status == "D":
        # git saw the file go; a folder on its way linked out of the project (HF0120) is
        # what the commit did, and the entity is not read there, not deleted
        _, head_snap, _ = loader.load(head)
        refused = head_snap.refused_on_way(change.path) if head_snap is not None else None
        return Step(change, None, f"not read here: {refused[1]}" if refused else "deleted")
    if change is not None and change.status != "D" and new_key is None:
        # the file is where no entity is read (moved to content/heroes/coast/bram.yaml, or
        # edited there): the entity ends as a deletion ends it; said as what it is, not "deleted"
        what = "moved to" if change.status == "R" else "changed at"
        return Step(change, None, f"{what} {change.path}, where it is not read (`foundry check` says why)")
    _, head_snap, problems = loader.load(head)
    if head_snap is None:
        # why, as for a file that does not load: HF0802's first error (foundry.toml's)
        first = first_error(problems)
        return Step(change, None, "the project does not load at this commit" + (f" ({first})" if first else ""))
    new = head_snap.entities.get(new_key or "")
    if new is None:
        errors = head_snap.unloadable.get(new_key or "", 0)
        if errors:   # what stops it, as check says it (a link out of the project: HF0120)
            why = head_snap.why.get(new_key or "", "")
            return Step(change, None, f"does not load here: {why}" if why else
                        f"does not load here ({errors} error{'s' * (errors != 1)})")
        refused = head_snap.refused_on_way(change.path if change is not None else "")
        return Step(change, None, f"not read here: {refused[1]}" if refused else "deleted")
    old = None
    if base is not None and not (change is not None and change.status == "A"):
        _, base_snap, _ = loader.load(base)
        if base_snap is None:
            # the entity was there (git did not see the file added): "created" would be false
            return Step(change, None, "the project does not load at the commit before: what this commit "
                                      "changed in it is not known")
        old = base_snap.entities.get(old_key or "")
        if old is None and (old_key or "") in base_snap.unloadable:
            return Step(change, None, "loads again (it did not load at the commit before)")
    if old is not None and old.kind != new.kind:
        # moved to another kind's folder (a hero made a character): the two are read by
        # other rules, and compared field by field they said "template: — → —", "xp: 0 → —"
        return Step(change, None, f"moved from {old.kind}:{old.id} ({old.path}): a {new.kind} from this commit on")
    if old is None:
        # brought back as it was before a deletion (versions._restored): the older
        # changes below it are its own, so "created" would be false
        return Step(change, None, "restored as it was before it was deleted" if change is not None
                    and change.restored else "created")
    return Step(change, entity_diff(old, new))
