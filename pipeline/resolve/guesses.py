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
from typing import Any


def spelt_right(guessed: Iterable[tuple[str, str]], people: Iterable[Any]) -> frozenset[tuple[str, str]]:
    """The (section, name) of each guess in `guessed` whose defined name the content
    sets: an attribute a hero, character or template gives a value, a skill one lists.
    `people` are the entries (validate/entities.py Entry) of those three kinds. Read only
    when the rule book made a guess: a clean world decodes no summarised hero here."""
    pending = set(guessed)
    found: set[tuple[str, str]] = set()
    for entry in people:
        if not pending:
            break
        model = entry.model
        for section, name in list(pending):
            if name in (getattr(model, section, None) or ()):
                found.add((section, name))
                pending.discard((section, name))
    return frozenset(found)
