"""`foundry history ENTITY`: the commits that changed a hero, story, quest, character
or template (renames followed), each with what it changed in the entity's own terms."""

from __future__ import annotations

import sys

import click

from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_option, project_root
from ..confine import boundary, refuse
from ..diagnostics import Diagnostics, suggestion
from ..diff.history import Step, steps
from ..diff.render import describe
from ..diff.snapshot import key_of_path
from ..load.files import KIND_DIRS
from ..console.report import render_json
from ..console.terminal import echo
from ..git_process import broken_gitfile, find_repository
from ..git.versions import (GIT_SPAN, EntityHistory, entity_history, report_octopus, repository, submodule_of,
                             why_no_repository)


SHOWN = 100   # commits `history` compares when `-n` does not say how many


@cli.command("history")
@click.argument("entity")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--max-count", "-n", "limit", type=click.IntRange(min=1), default=None,
              help="Show only the N most recent commits.")
@project_option
@guarded
def history_cmd(entity: str, fmt: str, limit: int | None, project: str | None) -> None:
    """List the commits that changed ENTITY (`hero:aria`, or just `aria`), newest first."""
    root = project_root(project)
    if repository(root) is None:
        diags = Diagnostics()
        what, hint = why_no_repository(root)
        diags.add("HF0801", f"{what}: there is no history to show", GIT_SPAN,
                  hint=None if find_repository(root) is None and broken_gitfile(root) is None else hint)
        emit(diags, root, "text")
        sys.exit(EXIT_TOOL)
    lineages = entity_history(root)
    path = _find(entity, root, lineages)
    if path not in lineages and boundary(root).resolve(root / path) is None:
        # an entity never committed, whose file lies under a link out of the project: the
        # link is what to fix, said as check says it (not "not committed yet")
        diags = Diagnostics()
        refuse(root, root / path, diags)
        emit(diags, root, fmt)
        sys.exit(EXIT_CONTENT)
    lineage = lineages.get(path) or EntityHistory(path, ())
    # each commit shown loads the project at it and at its parent (~50 ms of CPU a
    # commit): a hero edited in 10,000 commits ran for ~10 CPU-minutes, unasked. Unless
    # `-n` says how many, the SHOWN newest are compared and the rest said, not dropped.
    capped = limit is None and len(lineage.changes) > SHOWN
    shown = lineage.changes[:SHOWN if capped else limit] if capped or limit else lineage.changes
    omitted = len(lineage.changes) - len(shown)   # in JSON however few `-n` asked for
    found = steps(root, path, shown, cut=lineage.cut and len(shown) == len(lineage.changes))
    # commits the history leaves out (more parents than it reads): said as the build says
    # it (HF0738), which it did and `history` did not — the one place that shows the commits
    diags = Diagnostics()
    report_octopus(root, "HEAD", lineages, diags)
    # a clone whose older files git cannot read (treeless): no commit is known, which is
    # not "not committed yet" (said so beside HF0803 before)
    unread = bool(getattr(lineages, "unread", ""))
    # a file in a submodule: committed, in another repository (HF0804), not "not committed
    # yet"; or moved into one, its history here ending in a deletion of what is still there
    held = submodule_of(lineages, path)
    if fmt == "json":
        echo(render_json(diags.sorted(), {**_json(path, lineage, found, unread or bool(held)), "omitted": omitted}))
    else:
        echo(_text(path, lineage, found, unread, held))
        if capped:   # `-n` asked for no more: said only when the cap, not the user, left them out
            echo(f"\n{omitted} older commit{'s' * (omitted != 1)} not shown (the {SHOWN} newest are): "
                 f"`foundry history {entity} -n {len(lineage.changes)}` shows them all")
        if diags.items:
            emit(diags, root, "text")
    sys.exit(EXIT_OK)


def _find(entity: str, root, lineages: dict[str, EntityHistory]) -> str:
    """`kind:id` or a bare id → the entity's file path (now, or when it last existed)."""
    kind, _, eid = entity.rpartition(":")
    if kind and kind not in KIND_DIRS:
        kinds = "Kinds: " + ", ".join(KIND_DIRS) + "."
        raise click.BadParameter(f"unknown kind '{kind}'. {suggestion(kind, KIND_DIRS, kinds, listed=True)}", param_hint="ENTITY")
    if "/" in eid or "\\" in eid or eid.startswith("."):
        # an id is a file's name, never a path: `hero:../../../etc/passwd` was looked up as
        # content/heroes/../../../etc/passwd.yaml and refused as "../etc/passwd.yaml is a
        # symbolic link that leads outside the project" (HF0120), of a link that is not there
        known = [k.split(":", 1)[1] for k in filter(None, map(key_of_path, lineages))]
        last = eid.replace("\\", "/").rsplit("/", 1)[-1]
        meant = f"Did you mean '{last}'?" if last in known else suggestion(last, known)
        raise click.BadParameter(f"no entity '{entity}': an id names a file of its kind's folder, never a "
                                 f"path. {meant}".strip(), param_hint="ENTITY")
    paths = [f"content/{KIND_DIRS[k][0]}/{eid}{KIND_DIRS[k][1]}" for k in ([kind] if kind else KIND_DIRS)]
    # never stat a link's target; a path under a link out of the project (which lexists
    # counts as there, to be refused) names the entity only when its kind is written:
    # `history aria` is the hero, not 'more than one entity' because content/quests is a link
    fence = boundary(root)
    found = [p for p in paths if p in lineages or (fence.resolve(root / p) is not None and fence.lexists(root / p))]
    if not found and kind:   # `quest:ghost` under content/quests -> /elsewhere: the link is said
        found = [p for p in paths if fence.resolve(root / p) is None]
    if not found:   # an old name of a renamed entity leads to its lineage
        found = sorted({key for p in paths for key, lineage in lineages.items()
                        if any(c.old_path == p for c in lineage.changes)})
    if len(found) == 1:
        return found[0]
    if found:
        kinds = " and ".join(f"{key_of_path(p)}" for p in found)
        raise click.BadParameter(f"'{eid}' names more than one entity ({kinds}); write kind:id", param_hint="ENTITY")
    known = [k.split(":", 1)[1] for k in filter(None, map(key_of_path, lineages))]
    message = f"no entity '{entity}' in the working tree or its history. {suggestion(eid, known)}"
    raise click.BadParameter(message.strip(), param_hint="ENTITY")


def _headline(step: Step) -> str:
    c = step.change
    if c is None:
        return "uncommitted changes in the working tree"
    return f"{_day(c)}  {c.commit[:12]}  {_who(c)}  {c.subject}"


def _named(authors: tuple[str, ...]) -> str:
    """The first SHOWN_AUTHORS of `authors`, then how many more (`--format json` lists
    them all): a commit's 100,000 co-authors made this a line of 1.4 MB."""
    from ..git.versions import SHOWN_AUTHORS
    shown = ", ".join(authors[:SHOWN_AUTHORS]) or "(no name)"
    left = len(authors) - SHOWN_AUTHORS
    return f"{shown} and {left:,} more" if left > 0 else shown


def _who(change) -> str:
    """The commit's author as the text shows it: a commit with no name (git refuses to
    make one, an import from another tool or a crafted object has it) said "last changed
    … by " and an empty column; its address stands for it, or that it has none."""
    return change.author or (f"<{change.email}>" if change.email else "(no name)")


def _day(change) -> str:
    """The commit's day, or what stands for a date git could not give (versions.Change.date)."""
    return change.date[:10] or "date unknown"


def _lines(step: Step) -> list[str]:
    d = step.diff
    if d is None:
        out = [step.note]
    else:
        out = [f"renamed from {d.kind}:{d.old_id} ({d.old_path})"] if d.status == "renamed" else []
        out += [describe(i) for i in d.items]
        out = out or ["no change to its data (layout or comments only)"]
    if step.change is not None and step.change.ignored:   # said whatever could be compared
        out.append("not credited: .git-blame-ignore-revs lists this commit")
    return out


def entity_of(path: str, lineage: EntityHistory) -> tuple[str | None, str]:
    """The entity a lineage is the history of, and how its file is named in the heading:
    the latest path's entity, else (the file moved on to where no entity is read, e.g.
    `content/heroes/coast/bram.yaml`) the last entity it was. The heading said "None
    (content/heroes/coast/bram.yaml)" for `history bram` after such a move."""
    key = key_of_path(path)
    if key is not None:
        return key, path
    for change in lineage.changes:
        for was in (change.path, change.old_path):
            if was and key_of_path(was):
                return key_of_path(was), f"{was}; now {path}, where it is not read"
    return None, path


def _text(path: str, lineage: EntityHistory, found: list[Step], unread: bool = False,
          submodule: str | None = None) -> str:
    key, shown = entity_of(path, lineage)
    if not lineage.changes and submodule:
        head = [f"{key} ({shown}): in the git submodule {submodule}, whose commits are in another repository "
                "(HF0804 below)"]
    elif not lineage.changes and unread:
        head = [f"{key} ({shown}): its commits cannot be read in this clone (HF0803 below)"]
    elif not lineage.changes:
        head = [f"{key} ({shown}): not committed yet"]
    else:
        n = len(lineage.changes)
        head = [f"{key} ({shown}): {n} commit{'s' * (n != 1)} by {_named(lineage.authors)}",
                f"created {_day(lineage.created)} by {_who(lineage.created)}; "
                f"last changed {_day(lineage.changed)} by {_who(lineage.changed)}"]
        if lineage.cut:   # the oldest commit is where a shallow clone stops, not where the file began
            head[1:2] = [f"history before {_day(lineage.created)} ({lineage.created.commit[:12]}) is not in this "
                         "shallow clone: who created it is not known here (`git fetch --unshallow`); "
                         f"last changed {_day(lineage.changed)} by {_who(lineage.changed)}"]
        if submodule:
            head.append(f"now in the git submodule {submodule}: its commits since are in another repository "
                        "(HF0804 below)")
    body = []
    for step in found:
        body += ["", _headline(step)] + [f"    {line}" for line in _lines(step)]
    return "\n".join(head + body)


def _json(path: str, lineage: EntityHistory, found: list[Step], unread: bool = False) -> dict:
    def change(c):
        return None if c is None else {"commit": c.commit, "date": c.date or None, "author": c.author, "email": c.email,
                                       "coauthors": list(c.coauthors), "subject": c.subject, "status": c.status,
                                       "path": c.path, "old_path": c.old_path, "ignored": c.ignored}
    return {
        "entity": entity_of(path, lineage)[0], "path": path, "authors": list(lineage.authors),
        "created": change(lineage.created) if lineage.changes and not lineage.cut else None,
        "complete": not lineage.cut and not unread,
        "changed": change(lineage.changed) if lineage.changes else None,
        "steps": [{"commit": change(s.change), "note": s.note or None,
                   "diff": s.diff.to_json() if s.diff else None} for s in found],
    }
