"""The data a story page's player runs on: the story machine's inputs as JSON.

The browser player (themes/default/static/story-player.js) is a second runner of
pipeline/stories/machine.py, so it is given exactly what the machine reads: who
plays (world.players_for, the same `Player` values `foundry play` uses), the story's
starting variables, and every choice's condition and effects as the JSON AST of
pipeline.expr.to_json — the player's own flat form, operators as written (the JSON API
publishes the same trees in the contract's form, json_api/expr_json.py; neither
depends on the other). The browser never parses expression text.

Numbers keep their Python kind in the text: json.dumps writes a float with a point
or an exponent (`2.0`, `1e-05`) and an int without, and expr.js reads that back, so
`7 / 2` and `6 / 3` come out as float and int just as in pipeline/expr/evaluate.py.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ... import expr
from ...stories.machine import Player
from ...resolve.world import World, players_for
from ..theme_words import ENGLISH, Words


def story_data(world: World, sid: str, say: Words = ENGLISH) -> dict[str, Any]:
    """What the story player runs on; the words it writes itself in `say` (the
    theme's words in the page's language)."""
    story = world.stories[sid].model
    return {
        "story": sid,
        "start": story.front.start,
        "variables": dict(sorted(story.front.variables.items())),
        "players": [_player(world, p, say) for p in players_for(story, world)],
        "scenes": {scene.id: {"ending": scene.ending, "choices": [_choice(c) for c in scene.choices]}
                   for scene in story.scenes.values()},
    }


def _player(world: World, player: Player, say: Words) -> dict[str, Any]:
    name = world.heroes[player.hero].model.name if player.hero in world.heroes else say.gettext("An average hero")
    return {"hero": player.hero, "name": name, "values": dict(sorted(player.values.items())),
            "skills": sorted(player.skills), "items": sorted(player.items)}


def _choice(choice) -> dict[str, Any]:
    return {
        "id": choice.id,
        "target": choice.target,
        # A condition that did not parse never holds (machine.holds); such a story
        # never gets this far (the build stops on the error), but say so anyway.
        "never": choice.condition is not None and choice.condition_ast is None,
        "condition": expr.to_json(choice.condition_ast) if choice.condition_ast is not None else None,
        "effects": [expr.to_json(e) for e in choice.effects_ast],
    }


def script_json(data: Any) -> Markup:
    """JSON safe inside <script type="application/json">: every `<` is escaped, so
    neither `</script>` nor `<!--` in a story's text can end or bend the element."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
