"""What every importer produces: a story in our shape, before it is written as Markdown.

Importers (twine.py, ink.py) read a foreign format into these frozen values and add
what they could not carry over to the diagnostics; writer.py turns them into
`content/stories/<id>.md`. Conditions and effects are trees of the one expression
language (pipeline/expr), never text, so the writer prints them with its printer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, TypeVar

from ..diagnostics import Span
from ..expr import Effect, Expr

Value = bool | int | str
T = TypeVar("T")

# How many conditions one choice may carry, in every importer. In Twine each branch of an
# `<<elseif>>`/`(else-if:)` chain adds the negation of every earlier branch's condition,
# so a chain of n branches holding links wrote n²/2 conditions (1,600 branches, 50 KB:
# over 60 s and a story of tens of MB); past it the branch and the rest of its block are
# kept as written (HF1003), as blocks nested past twine_body.MAX_NESTING are. An ink
# choice (`* {a} {b} … [Go]`) past it is kept as written: 1,000 `{x}`s made a tree of as
# many `and`s, which the import walked recursively (an internal error, RecursionError).
MAX_CONDITIONS = 64

# Inline marks in a line of imported text (Twine's `<em>`, `<i>`: EMPHASIS; `<strong>`,
# `<b>`: STRONG; `<code>`: CODE; `<s>`, `<del>`, `<strike>`: STRIKE), around the marked
# text: the writer writes `*…*`, `**…**`, a code span and `~~…~~` there, and escapes
# every other `*`, `` ` `` and `~` (writer.py). Our own Twee export writes a scene's
# heading, its prose and a choice's text so (exporters/twee.py). Control characters
# that no imported text keeps (writer.clean_line removes them from prose), so none in a
# source can pass for one: `without_marks` takes them out of the source first.
EMPHASIS, STRONG, CODE, STRIKE = "\x11", "\x12", "\x13", "\x14"
MARKS = (EMPHASIS, STRONG, CODE, STRIKE)
_MARK_CHARACTERS = re.compile("[\x11-\x14]")


def without_marks(text: str) -> str:
    """A source's text without the characters that mark inline markup in imported text."""
    return _MARK_CHARACTERS.sub("", text)


def once(memo: dict, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, done once for these very objects (`parts`, told apart by identity):
    a condition stands over every choice of its block, and over every later branch's
    in a Twine chain, so checking it again for each choice (a tree of hundreds of terms,
    64 of them over hundreds of links) was work growing with their product. `memo`
    keeps `parts` alive, so no id in a key is reused while the key is."""
    key = tuple(map(id, parts))
    known = memo.get(key)
    if known is None:
        known = memo[key] = (parts, compute())
    return known[1]


@dataclass(frozen=True)
class Kept:
    """Original source text that could not be imported, shown to the writer in the
    scene as an `imported` block; `where` is its place in the source file."""

    text: str
    where: Span


@dataclass(frozen=True)
class ImportedChoice:
    text: str                      # what the player clicks, plain text (and MARKS)
    target: str                    # a scene id of the same story
    condition: Expr | None = None
    effects: tuple[Effect, ...] = ()
    id: str | None = None          # an id the source gave (our own ink export's `# choice:` tag)


@dataclass(frozen=True)
class ImportedScene:
    id: str                        # a valid, unique scene id
    title: str                     # the passage's or knot's original name, or its heading (and MARKS)
    lines: tuple[str, ...]         # prose, plain text (and MARKS), one paragraph per line
    choices: tuple[ImportedChoice, ...]
    ending: bool
    kept: tuple[Kept, ...] = ()


@dataclass(frozen=True)
class ImportedStory:
    title: str
    start: str                     # the first scene's id
    variables: tuple[tuple[str, Value], ...]   # (name, starting value), in first-use order
    scenes: tuple[ImportedScene, ...]
    origin: str                    # e.g. "Twine 2 (SugarCube 2.36.1)", for the summary
    protagonist: str | None = None # the hero our own export was made for (state.exported_for)
    title_at: tuple[int, int] = (0, 0)   # where the source names the title (line, column); 0: the file's name


class NotImported(Exception):
    """The file cannot be imported at all; the reason is already in the diagnostics."""


UNREACHED_HINT = ("Add a choice that leads to it (in the source or in the scene written), or delete the scene "
                  "if it was a note: `foundry check` refuses a scene no choice reaches.")


def unreached(start: str, scenes: tuple[ImportedScene, ...] | list[ImportedScene],
              said: tuple[str, ...] = ()) -> list[ImportedScene]:
    """The scenes no chain of choices from `start` leads to, in their order: a passage
    or knot nothing links to (a note, or one reached only by what was not imported: a
    `<<goto>>`, a tunnel, a thread). `foundry check` refuses them as never reached, so
    the import says so at their source first (HF1143). Scenes in `said` (already said
    so), and those their choices lead to, are left out."""
    by_id = {scene.id: scene for scene in scenes}
    seen, todo = {start, *said}, [start, *said]
    while todo:
        scene = by_id.get(todo.pop())
        for choice in scene.choices if scene else ():
            if choice.target not in seen:
                seen.add(choice.target)
                todo.append(choice.target)
    return [scene for scene in scenes if scene.id not in seen]
