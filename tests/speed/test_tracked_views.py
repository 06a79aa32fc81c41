"""A render's tracked view of the World (render/tracking.py) wraps each table when the
render first asks for it: a clean build makes a view for every render, list row and
drawn card (~170,000 at 10,000 heroes), most of which look in one or two of the
World's twelve tables, and wrapping all twelve was most of what making a view cost.
What a view records is the same either way (tests/speed/test_recorded_reads.py)."""

from __future__ import annotations

from pipeline.render.tracking import TABLES, TrackedTable, TrackedWorld


class _World:
    """A World's tables, each handed out on request and counted."""

    def __init__(self):
        self.asked: list[str] = []
        self.data = {name: {} for name in TABLES}
        self.data["heroes"]["aria"] = "Aria"

    def __getattr__(self, name):
        if name in TABLES:
            self.asked.append(name)
            return self.data[name]
        raise AttributeError(name)


def test_a_view_wraps_a_table_when_first_asked_for_and_records_as_before():
    world = _World()
    view = TrackedWorld(world)
    assert world.asked == [] and view.reads == set()   # made: nothing of the World looked at
    heroes = view.heroes
    assert isinstance(heroes, TrackedTable) and view.heroes is heroes and world.asked == ["heroes"]
    assert heroes["aria"] == "Aria" and view.reads == {"hero:aria"}
    assert "bren" not in view.characters and view.reads == {"hero:aria", "character:bren"}
    assert world.asked == ["heroes", "characters"]

