"""A branching story as a printed gamebook: numbered sections, "turn to N".

Shared by the PDF and EPUB books so both number a story the same way. The start
scene is section 1; every other scene gets a number from a shuffle seeded by the
story id (each scene sorted by a hash of story id and scene id), so the numbers are
the same on every build and machine, do not change when scenes are reordered in the
file, and a reader cannot find an ending by reading on. Conditions and effects are
printed in words (books/words.py), read from their syntax trees.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from markupsafe import Markup

from ..ids import id_words
from ..stories.story import Story
from ..resolve.localized import config_marks, fallback_marks
from ..resolve.world import World
from .books import words
from .books.links import book_prose
from .html.urls import entity_page, in_site
from .books.words import Vocabulary, capitalise
from .theme_words import ENGLISH, N_, Words


@dataclass(frozen=True)
class Turn:
    """One choice as printed: "If …: Wade into the hall — lose 1 air, then turn to 27"."""

    text: str
    condition: str | None       # "If your Agility is at least 12" (no colon)
    effects: str | None         # "lose 1 air and note that you met Tomas"
    section: int
    # (attribute, value) pairs marking a choice shown in the base language (no
    # translation): lang, dir, class; () for a translated choice
    marks: tuple[tuple[str, str], ...] = ()
    html: Markup | None = None  # `text` as HTML, its inline Markdown kept (Choice.html)

    @property
    def plain(self) -> str:
        """The whole choice as one line of text (for alt text and tests)."""
        condition, effects = (getattr(part, "striptags", lambda: part)() for part in (self.condition, self.effects))
        lead = f"{condition}: " if condition else ""
        then = f"{effects}, then turn to {self.section}" if effects else f"turn to {self.section}"
        return f"{lead}{self.text} — {then}"


@dataclass(frozen=True)
class Section:
    number: int
    scene: str                  # scene id
    title: str
    html: str                   # sanitised prose
    ending: bool
    turns: tuple[Turn, ...]

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


@dataclass(frozen=True)
class Gamebook:
    story: str
    title: str
    sections: tuple[Section, ...]     # in number order
    numbers: dict[str, int]           # scene id → section number
    counters: tuple[tuple[str, str], ...]   # ("Air", "3"): numbers and words the reader keeps
    notes: tuple[str, ...]            # notes the reader starts with

    @property
    def count_chars(self) -> int:
        """The widest whole number a counter starts at, in characters (`-9007199254740991`
        is 17; 1 when none): a number is never broken, so the print theme sizes it by this.
        A word a counter starts at is quoted (`“Nothing”`), never all digits."""
        return max((len(start) for _, start in self.counters if start.lstrip("-").isdigit()), default=1)


def section_numbers(story: Story) -> dict[str, int]:
    """Scene id → section number: the start is 1, the rest in a seeded shuffle."""
    others = sorted((sid for sid in story.scenes if sid != story.front.start),
                    key=lambda sid: hashlib.sha256(f"{story.id}\0{sid}".encode()).hexdigest())
    order = ([story.front.start] if story.front.start in story.scenes else []) + others
    return {sid: n for n, sid in enumerate(order, 1)}


def vocabulary(world: World, story: Story, say: Words = ENGLISH) -> Vocabulary:
    """The names a story's conditions may use, as the reader knows them, and the
    theme's words (`say`) in the book's language that phrase them."""
    rules = world.rules
    people = {}
    for pid in (story.front.protagonist, *story.front.heroes, *story.front.characters):
        entry = (world.heroes.get(pid) or world.characters.get(pid)) if pid else None
        if entry is not None:
            people[pid] = called(pid, entry.model.name)
    base = words.rule_labels_in_base(world)
    kept = tuple(sorted(config_marks(world).items()))
    if kept:
        # a story variable is said by its id ("mindestens 2 coins"): the writer's word in
        # the base language, never translated, was read aloud as the page's language
        # ("⁨coins⁩" on an Arabic page): marked as foundry.toml's words are
        for name in story.front.variables:
            base.setdefault(words.humanise(name), kept)
    return Vocabulary(
        attributes={a: r.name or id_words(a) for a, r in rules.attributes.items()},
        stats={d: s.name or id_words(d) for d, s in rules.derived.items()},
        skills={s: k.rule.name or id_words(s) for s, k in rules.skills.items()},
        people=people,
        variables={name: type(value) for name, value in story.front.variables.items()},
        say=say,
        base=base,
    )


def called(pid: str, name: str) -> str:
    """How a flag naming person `pid` says them: the first words of `name` its id spells
    (`dunnet` of "Dunnet Gale" → "Dunnet", `met_dunnet` → "you met Dunnet"), else the
    whole name. The first word alone made `met_old_guide` "you met Old" (of "Old Guide",
    `foundry init`'s character) and "The Ferryman" "The", on the page and in the book."""
    words_, parts = name.split(), pid.split("-")
    if [w.casefold() for w in words_[:len(parts)]] == parts:
        return " ".join(words_[:len(parts)])
    return " ".join(words_)


def gamebook(world: World, story_id: str, say: Words = ENGLISH) -> Gamebook:
    """A story as numbered sections; conditions and effects in words of `say`, the
    theme's words in the book's language (English by default)."""
    story = world.stories[story_id].model
    numbers = section_numbers(story)
    vocab = vocabulary(world, story, say)
    sections = []
    for sid, number in sorted(numbers.items(), key=lambda item: item[1]):
        scene = story.scenes[sid]
        turns = tuple(replace(_turn(choice, numbers, vocab), marks=tuple(sorted(
                          fallback_marks(world, f"story.{story_id}.choice.{choice.id}").items())))
                      for choice in scene.choices if choice.target in numbers)
        # a link in the prose to a site page: to the published page, or its words (books/links.py)
        shown = book_prose(scene.html, in_site(entity_page("story", story_id)), world.project.config.project.base_url)
        sections.append(Section(number, sid, scene.title, shown, scene.ending, turns))
    return Gamebook(story_id, story.front.title, tuple(sections), numbers, *_starting_state(story, vocab))


def _turn(choice, numbers: dict[str, int], vocab: Vocabulary) -> Turn:
    condition = effects = None
    if choice.condition_ast is not None:
        condition = words.marked(vocab.phrase(N_("If %(condition)s"),
                                              condition=words.condition(choice.condition_ast, vocab)), vocab)
    if choice.effects_ast:
        effects = words.marked(words.effects(choice.effects_ast, vocab), vocab)
    return Turn(choice.text, condition, effects, numbers[choice.target], html=choice.html)


def _starting_state(story: Story, vocab: Vocabulary) -> tuple[tuple, tuple]:
    """What the reader writes on the adventure sheet before section 1."""
    counters, notes = [], []
    for name, value in story.front.variables.items():
        if isinstance(value, bool):
            if value:
                notes.append(capitalise(words.Flag(name, vocab).note()))
        elif isinstance(value, int):
            counters.append((id_words(name), str(value)))
        else:   # in the book's quotation marks, as its choices quote a string („…“ in German)
            counters.append((id_words(name), vocab.quoted(value)))
    return tuple(counters), tuple(notes)
