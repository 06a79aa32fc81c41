"""Quest pages: who gives it, what it needs, the chain of quests before it, what it unlocks."""

from __future__ import annotations

import dataclasses

from ....resolve.localized import fallback_marks
from ....resolve.world import World
from ...books import words
from ...books.views import requirement
from ...books.words import Vocabulary
from ...gamebook import vocabulary
from ...theme_words import ENGLISH, Words
from .common import by_title, described, humanise, in_base, lede, person_ref, quest_ref, status, story_ref


def quest_view(world: World, qid: str, say: Words = ENGLISH) -> dict:
    """A quest page's data; `say`: the theme's words in the page's language.
    `requirement` is the requirement in those words, a sentence as the books print it
    (None when it has none); `requires` the expression as written (a theme made before
    `requirement` existed shows that one)."""
    entry, links = world.quests[qid], world.quest_links[qid]
    quest = entry.model
    vocab = _stories_vocabulary(world, links.stories, say) if quest.objectives else None
    return {
        "id": qid, "title": quest.title, "title_html": entry.html("title"),
        "title_marks": fallback_marks(world, f"quest.{qid}.title"), "status": status(quest.status),
        "summary": in_base(world, f"quest.{qid}.summary", lede(world, quest.summary), block=True),
        # the page's own <meta name="description">: its summary, or its first objective
        # (plain text already, as the JSON's `text`)
        "description": described(world, quest.summary, read=(o.text for o in quest.objectives)),
        "giver": person_ref(world, quest.giver) if quest.giver in world.people() else None,
        "requires": quest.requires, "requirement": requirement(world, qid, say),
        **_chain(world, qid),
        "prerequisites": [quest_ref(world, q) for q in quest.prerequisites if q in world.quests],
        # the quests naming this one and the stories listing it: found, not written in
        # an order, so by title as the indexes list them
        "unlocks": by_title(world, [quest_ref(world, q) for q in links.unlocks if q in world.quests]),
        "objectives": [{"id": o.id, "text": o.text, "done_when": o.done_when,
                        "done_when_words": _done_when_words(links.done_when.get(o.id), vocab),
                        "text_html": in_base(world, f"quest.{qid}.objective.{o.id}", entry.html("objectives", i, "text"), o.text)}
                       for i, o in enumerate(quest.objectives)],
        "reward_xp": quest.rewards.xp, "reward_items": [humanise(i) for i in quest.rewards.items],
        "stories": by_title(world, [story_ref(world, s) for s in links.stories if s in world.stories]),
        "source": entry.path,
    }


CHAIN_SHOWN = 20   # earlier quests a page lists; the rest are a link back along the road


def _chain(world: World, qid: str) -> dict:
    """`chain`: the nearest CHAIN_SHOWN quests before this one, earliest first;
    `earlier`: how many come before those (the page links them through the first
    one shown, whose own page shows the next stretch). Every page listing its whole
    chain made a 1,500-quest chain write 56 MB of quest pages (n² links)."""
    chain = prerequisite_chain(world, qid)
    shown = chain[-CHAIN_SHOWN:]
    return {"chain": [quest_ref(world, q) for q in shown], "earlier": len(chain) - len(shown)}


def prerequisite_chain(world: World, qid: str) -> list[str]:
    """Every quest that must be done before this one, earliest first: a depth-first
    walk of the prerequisites in the order written, each quest after its own
    prerequisites, each once. (The check stage refuses cycles; `seen` guards anyway.)
    Walked with a stack, not recursion: a legal chain of 1,500 quests each requiring
    the one before ended the build in HF0711 'recursed too deeply' with check clean."""
    order: list[str] = []
    seen: set[str] = {qid}
    # Each frame: a quest and the iterator over its prerequisites still to visit.
    stack = [(qid, iter(world.quests[qid].model.prerequisites))]
    while stack:
        q, pending = stack[-1]
        for pre in pending:
            # `seen` first: `world.quests` records what the page read (render/tracking.py),
            # a lookup an edge; asked first, a 2,000-quest world each quest requiring the
            # 20 before it spent 25 of its 31 CPU-s here (every edge of every chain)
            if pre not in seen and pre in world.quests:
                seen.add(pre)
                stack.append((pre, iter(world.quests[pre].model.prerequisites)))
                break
        else:
            stack.pop()
            if stack:
                order.append(q)
    return order


def _stories_vocabulary(world: World, stories, say: Words) -> Vocabulary | None:
    """The words an objective's condition is said in: the gamebook's, with the variables
    and people of every story listing the quest (an objective waits on their flags and
    counters). None when no story lists it (HF0514): its names are nobody's variables,
    and said with the hero's words a flag read "your Crossed is true"; the condition is
    shown as written."""
    found = [vocabulary(world, world.stories[sid].model, say) for sid in stories if sid in world.stories]
    if not found:
        return None
    variables, people = {}, {}
    for vocab in reversed(found):   # the first story listing it names a variable they share
        variables.update(vocab.variables)
        people.update(vocab.people)
    return dataclasses.replace(found[0], variables=variables, people=people)


def _done_when_words(ast, vocab: Vocabulary | None):
    """An objective's parsed condition as a phrase (a Markup when a label in it shows in
    the base language), or None when it has none that checked."""
    if ast is None or vocab is None:
        return None
    return words.marked(words.condition(ast, vocab), vocab)
