"""Which problems stop a command that works on one entity (`play`, `hero`, `new`).

A writer testing one story must not be blocked by a colleague's broken hero: only
errors in the entity's own file and in what it is made from (the rule book in
schemas/, foundry.toml, the heroes who play it and their templates) stop the
command. Every other problem is still shown, and said not to matter here.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Diagnostics, suggestion
from ..confine import boundary
from ..console.terminal import echo
from ..load.files import KIND_DIRS
from ..resolve.world import World

ALWAYS = ("schemas/", "foundry.toml")  # everything is computed with the rule book and the config
# the rule book's folder itself: a `schemas` link out is one HF0120 there (confine.refuse)
RULE_FOLDER = "schemas"


def known_hint(word: str, choices, plural: str) -> str:
    """The hint after "no hero 'word'" (`plural`: "heroes"): "did you mean 'x'?" when one is close, else
    the ids this project has (a newcomer who typed an id from the sample world's
    examples into a `foundry init` project learns what is there instead)."""
    named = file_id(word)
    if named != word and named in choices:
        # a file's path or name typed for its id (`foundry hero content/heroes/kes.yaml`, as
        # a shell completes it): told the project's ids, the writer had to find which
        return f"Did you mean '{named}'? An id is its file's name without the folder and the ending."
    close = suggestion(word, choices)
    if close:
        return close
    names = sorted(choices)
    if not names:
        return f"This project has no {plural} yet."
    shown = ", ".join(f"'{n}'" for n in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return f"This project's {plural}: {shown}."


# A report's `:line` or `:line:column` after a path (`kes.yaml:6:14:`)
_PLACE = re.compile(r"(?:(?<=\.yaml)|(?<=\.md))(?::\d+){1,2}:?$")


def file_id(word: str) -> str:
    """The id a file's path or name stands for (`content/heroes/kes.yaml`, `kes.yaml`,
    `content\\stories\\fog.md` → `kes`, `fog`): the last part of the path without an
    entity file's ending; `word` itself when it is no such path. A place as check prints
    it (`content/heroes/kes.yaml:6:14`, copied from a report) is its file's."""
    word = _PLACE.sub("", word.strip())
    last = word.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for _, suffix in KIND_DIRS.values():
        if last.endswith(suffix) and len(last) > len(suffix):
            return last[:-len(suffix)]
    return last if "/" in word.replace("\\", "/") else word


def missing_id(kind: str, verb: str, choices, plural: str) -> str:
    """A usage error's words for `verb` (`foundry hero`) typed without the id of the
    `kind` it works on: the form with this project's first id, and its ids."""
    names = sorted(choices)
    if not names:
        return f"give the id of a {kind}; this project has no {plural} yet: `foundry new {kind} ID` writes one"
    return f"give the id of a {kind}, e.g. `{verb} {names[0]}`. " + known_hint("", choices, plural)


def explain_unread(root, diags: Diagnostics, rel: str, what: str) -> None:
    """When something stands at `rel` (a link out, a FIFO, a file that does not parse)
    but was not read as the entity a command was asked for: show the check's findings
    at that path, which say why, and exit 1. Nothing there: return (the caller says
    there is no such entity, with what there is)."""
    if not is_there(root, rel):
        return
    shown = Diagnostics()
    shown.items = [d for d in diags.sorted() if said_at(d, rel)]
    from ..cli import EXIT_CONTENT, emit
    emit(shown, root, "text")
    echo(f"foundry: {what} ({rel}) is not read; {'see above' if shown.items else 'run `foundry check`'}.", err=True)
    raise SystemExit(EXIT_CONTENT)


def said_at(d: Diagnostic, rel: str) -> bool:
    """Whether `d` is said at `rel` or at a folder on its way: a folder linked out of the
    project (`content/heroes -> /elsewhere`) is one HF0120 at the link, and it is why
    each file under it is not read."""
    return d.span.path == rel or (bool(d.span.path) and rel.startswith(d.span.path.rstrip("/") + "/"))


def is_there(root, rel: str) -> bool:
    """Whether something stands at `rel`, looked at without leaving the project: a link
    out counts (its HF0120 says why it is not read), and nothing outside is stat'ed.
    A path an id made with `..` or `/` at its start (`foundry play ../../../tmp/x`) is
    no file of the project, whatever is there: the boundary counts a walk out as
    something there to refuse, and no check's finding is at such a path, so `play`
    exited 1 without a word and `new --template` said "is not read; run `foundry
    check`", which then found nothing; now the command says there is no such id. So is
    one with a `.` or empty segment (`./first-story`, `/scout`: the path
    content/stories/./first-story.md stands, and the id named nothing the project
    loads, with the same silent exit 1): an id is the one spelling of a file's path."""
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return False
    return boundary(root).lexists(root / rel)


def entity_path(kind: str, eid: str) -> str:
    folder, suffix = KIND_DIRS[kind]
    return f"content/{folder}/{eid}{suffix}"


def hero_paths(world: World, hero_id: str) -> set[str]:
    """A hero's file and its template chain."""
    paths = {entity_path("hero", hero_id)}
    sheet = world.sheets.get(hero_id)
    for tid in getattr(sheet, "template_chain", ()) or ():
        paths.add(entity_path("template", tid))
    entry = world.heroes.get(hero_id)
    if entry is not None and entry.model.template:
        paths.add(entity_path("template", entry.model.template))
    return paths


def split(diags: Diagnostics, paths: set[str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors that block: in `paths` or the rule book; every other diagnostic)."""
    blocking, other = [], []
    for d in diags.sorted():
        mine = d.span.path in paths or d.span.path.startswith(ALWAYS) or d.span.path == RULE_FOLDER
        (blocking if mine and d.severity.value == "error" else other).append(d)
    return blocking, other


def note_elsewhere(other: list[Diagnostic], what: str) -> None:
    """One line after the problems that do not block: say why the command went on."""
    errors = sum(1 for d in other if d.severity.value == "error")
    if errors:
        echo(f"{errors} error(s) elsewhere in the project, shown above; they do not affect {what}.", err=True)
