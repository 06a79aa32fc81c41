"""Story pages: every scene as a linked section (readable with no script at all),
the data the in-page player runs on, and the scene map."""

from __future__ import annotations

from markupsafe import Markup, escape

from .... import expr
from ....diagnostics import code_info
from ....resolve.localized import fallback_marks
from ....resolve.world import World
from .. import svg
from ..player import script_json, story_data
from ....voice.scenes import scene_voice
from .common import described, in_base, lede, person_ref, quest_ref, scrolling_tables, status
from ...books import words
from ...books.words import Vocabulary
from ...gamebook import vocabulary
from ...theme_words import ENGLISH, Words, is_english


def scene_anchor(scene_id: str) -> str:
    """Element id of a scene's section. Prefixed, so a scene called `main` or `search`
    can never collide with an id of the page around it."""
    return f"scene-{scene_id}"


def heading_anchor(scene_id: str) -> str:
    """Element id of a scene's heading: its section's id and `--h`. A slug never holds
    two hyphens in a row, so no scene's section is called this: with `-h`, a scene
    `road-h` had the id of scene `road`'s heading (two elements, one id)."""
    return f"{scene_anchor(scene_id)}--h"


def _opening(world: World, story, summary: str) -> str:
    """A story page's description: its summary, else its first scene's prose as a
    reader meets it (plain already; its headings left out, Scene.lede, and its scene
    breaks by `described`)."""
    start = story.scenes.get(story.front.start)
    return described(world, summary, read=(start.lede(),) if start is not None else ())


def story_view(world: World, sid: str, say: Words = ENGLISH) -> dict:
    """A story page's data; `say`: the theme's words in the page's language."""
    entry, report = world.stories[sid], world.story_reports[sid]
    story, front = entry.model, entry.model.front
    stats = report.stats
    titles = {s.id: s.title for s in story.scenes.values()}
    data = story_data(world, sid, say)
    voice = scene_voice(world, sid, world.project.config.project.language)
    vocab = vocabulary(world, story, say)   # the gamebook's words for conditions and effects
    return {
        "id": sid, "title": front.title, "title_html": Markup(story.title_html or escape(front.title)), "status": status(front.status),
        "summary": in_base(world, f"story.{sid}.summary", lede(world, front.summary), block=True),
        # the page's own <meta name="description">: its summary, or the prose it opens with
        "description": _opening(world, story, front.summary),
        "start": front.start, "start_anchor": scene_anchor(front.start),
        "players": [{"hero": p["hero"], "name": p["name"]} for p in data["players"]],
        "protagonist": person_ref(world, front.protagonist) if front.protagonist in world.heroes else None,
        "heroes": [person_ref(world, h) for h in front.heroes if h in world.heroes],
        "characters": [person_ref(world, c) for c in front.characters if c in world.people()],
        "quests": [quest_ref(world, q) for q in front.quests if q in world.quests],
        # a count past 2^53 is stories.analysis.PATHS_OVER, in the page's language (the German page
        # said "more than 2^53 Wege"); a literal, as Babel's extractor reads it
        "stats": {"scenes": stats.scenes, "choices": stats.choices, "endings": stats.endings, "words": stats.words,
                  "minutes": stats.reading_minutes, "paths": say.gettext("more than 2^53") if stats.paths_over else stats.paths, "shortest": stats.shortest,
                  "longest": stats.longest, "loops": stats.has_loops, "complete": stats.complete},
        # the story check's notes are foundry's English whatever the page's language: said so
        # (`lang`), where a German or Arabic page read them in its own voice
        "findings": [{"code": f.code, "severity": code_info(f.code).severity.value, "message": f.message,
                      "scene": f.scene, "lang": None if is_english(say.language) else "en"} for f in report.findings],
        "title_marks": fallback_marks(world, f"story.{sid}.title"),
        "scenes": [{**_scene(s, titles, lambda line: fallback_marks(world, f"story.{sid}.{line}"), vocab),
                    "voice": voice.get(s.id, [])} for s in story.scenes.values()],
        "voiced": bool(voice),
        "data": script_json(data),
        "map": _map(story, front.title, say, lambda line: fallback_marks(world, f"story.{sid}.{line}")),
        "source": entry.path,
    }


def _scene(scene, titles: dict[str, str], marks, vocab: Vocabulary) -> dict:
    """A scene for the page; `marks(line)` gives the fallback marks of one of the
    story's lines (`scene.<id>`, `choice.<id>`): {} unless it shows in the base language.
    A choice's `condition` and `effects` are the expressions as written (a theme made
    before the words below showed them as code); `condition_words` and `effects_words`
    say them in `vocab`'s words, as the gamebook prints them ("you have at least 2
    Coins", "lose 2 Coins"): the page read without JavaScript printed `coins >= 2` to a
    reader in every language."""
    return {"id": scene.id, "anchor": scene_anchor(scene.id), "heading_anchor": heading_anchor(scene.id),
            "title": scene.title,
            "title_html": Markup(scene.title_html or escape(scene.title)), "ending": scene.ending,
            "title_marks": marks(f"scene.{scene.id}"),
            "html": scrolling_tables(Markup(scene.html)), "words": scene.words,
            "choices": [{"id": c.id, "text": c.text, "html": c.html, "marks": marks(f"choice.{c.id}"),
                         "target": c.target, "target_anchor": scene_anchor(c.target),
                         "target_title": titles.get(c.target, c.target), "condition": c.condition,
                         "effects": [expr.to_source(e) for e in c.effects_ast],
                         "condition_words": words.marked(words.condition(c.condition_ast, vocab), vocab)
                         if c.condition_ast is not None else None,
                         "effects_words": words.marked(words.effects(c.effects_ast, vocab), vocab) if c.effects_ast else None}
                        for c in scene.choices]}


def _map(story, title: str, say: Words, marks) -> Markup:
    """The story map; `marks(line)` as for _scene: a scene title in the base language is marked in it."""
    nodes = [svg.MapNode(s.id, s.title, s.ending, s.id == story.front.start, tuple(marks(f"scene.{s.id}").items()))
             for s in story.scenes.values()]
    edges = [svg.MapEdge(s.id, c.target, c.condition is not None) for s, c in story.choices()]
    return svg.story_map(title, nodes, edges, story.front.start, say)
