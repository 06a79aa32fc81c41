"""The rule book's misspelt guesses, weighed against the content.

The rule book alone guesses which of two names is the slip (rules/book.py `_misspelt`):
`charisma:` defined and read by no rule, `charism` read by two formulas and defined
nowhere, looks like an attribute misspelt where it is defined. Only the content can tell:
heroes, characters or templates setting `charisma` say the definition is right and the
formulas are the slip (a rename to `charism:`, as the guess hinted, would break each of
them). Such a guess is withdrawn: the World is loaded again under a book made without
it, where each formula reading `charism` says so with its "did you mean 'charisma'?".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..ids import ANY_ID
from ..expr.nodes import names_used
from ..load.files import read_text
from ..load.places import KIND_DIRS
from ..load.yaml import written_data


def spelt_right(guessed: Iterable[tuple[str, str]], people: Iterable[Any],
                stories: Iterable[Any] = ()) -> frozenset[tuple[str, str]]:
    """The (section, name) of each guess in `guessed` whose defined name the content
    sets or reads: an attribute a hero, character or template gives a value, a skill one
    lists, an attribute a story's condition or effect reads (`if="charisma >= 12"`: a
    rename to `charism:` breaks that story as much as a hero). `people` are the entries
    (validate/entities.py Entry) of those three kinds, `stories` the stories' entries.
    Read only when the rule book made a guess: a clean world decodes no summarised hero
    here."""
    pending = set(guessed)
    found: set[tuple[str, str]] = set()
    for entry in people:
        if not pending:
            break
        model = entry.model
        for section, name in list(pending):
            if name in (getattr(model, section, None) or ()) or name in _written(entry, section):
                found.add((section, name))
                pending.discard((section, name))
    for entry in stories:
        if not any(section == "attributes" for section, _ in pending):
            break
        read = _story_reads(entry.model)
        for section, name in list(pending):
            if section == "attributes" and name in read:
                found.add((section, name))
                pending.discard((section, name))
    return frozenset(found)


def spelt_in_refused(guessed: Iterable[tuple[str, str]], root: Path, broken: Iterable[str]) -> frozenset[tuple[str, str]]:
    """spelt_right for the hero, character and template files that did not load
    (`World.broken`: `charisma: 99999999999999999999` refuses the file, HF0111), read
    as far as their YAML's shape is certain (load/yaml.py `written_data`): a file the
    writer is fixing that sets `charisma` still says the definition is spelt right.
    Read only when the rule book made a guess and such a file exists."""
    pending = set(guessed)
    found: set[tuple[str, str]] = set()
    for key in sorted(broken):
        kind, _, eid = key.partition(":")
        if not pending:
            break
        if kind not in _PEOPLE or eid == ANY_ID:   # a folder refused whole: no file of it to read
            continue
        folder, ending = KIND_DIRS[kind]
        rel = f"content/{folder}/{eid}{ending}"
        source = read_text(root / rel, rel, Diagnostics())   # its problems are said by its load
        data = written_data(source.text, rel) if source is not None else None
        for section, name in list(pending):
            if name in _names(data, section):
                found.add((section, name))
                pending.discard((section, name))
    return frozenset(found)


_PEOPLE = ("hero", "character", "template")


def _written(entry: Any, section: str) -> Any:
    """The names `entry`'s file writes under `section` (the keys of `attributes:`, the
    items of `skills:`), as written: a value its model left out for an error said at
    it (`charisma: high`, HF0201) still names the attribute, which is then spelt right."""
    return _names(getattr(entry.doc, "data", None), section)


def _names(data: Any, section: str) -> Any:
    """The names a document's `data` writes under `section` (`_written`)."""
    written = data.get(section) if isinstance(data, dict) else None
    if isinstance(written, dict):
        return written
    return [item for item in written if isinstance(item, str)] if isinstance(written, list) else ()


def _story_reads(story: Any) -> set[str]:
    """The names a story's choices read or change in their conditions and effects."""
    read: set[str] = set()
    for scene in (getattr(story, "scenes", None) or {}).values():
        for choice in scene.choices:
            if choice.condition_ast is not None:
                read |= names_used(choice.condition_ast)
            read |= names_used(choice.effects_ast)
    return read


def settled_rule_book(root: Any, diags: Any) -> Any:
    """The rule book of the project at `root` (a Path) with its problems in `diags`, as
    `load_world` settles it: a misspelt guess the content contradicts withdrawn, so a
    verb reading the rules alone (`foundry schemas`) says the slip where `foundry
    check` does, not 'charisma' looked misspelt with a hint that breaks each hero
    setting it. The content is loaded only when the rule book made a guess."""
    # imported here: world.py imports this module for `spelt_right`
    from ..diagnostics import Diagnostics
    from ..load.project import load_project
    from ..rules import load_rule_book
    from .world import load_world
    first = Diagnostics()
    rules = load_rule_book(root, first)
    if rules.guessed:
        scratch = Diagnostics()
        withdrawn = load_world(load_project(root, scratch), scratch).rules.withdrawn
        if withdrawn:
            first = Diagnostics()
            rules = load_rule_book(root, first, withdrawn)
    diags.extend(first.items)
    return rules
