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


class _Whole(_World):
    """A World with its other fields and a method, each access counted."""

    rules, project, locale, prose = "the rules", "the config", None, "the memo"

    def __getattribute__(self, name):
        if name in ("rules", "project", "locale", "prose", "people"):
            object.__getattribute__(self, "asked").append(name)
        return object.__getattribute__(self, name)

    def people(self):
        return self.heroes


def test_a_view_keeps_what_it_was_given_and_records_it_once():
    """A render's view asks the World for `rules`, `project`, `locale` and `prose` once
    and keeps them (a hero page asked ~38 times, ~14 now): what each records is in
    `reads` from the first time. A method is bound anew each time (kept, it would make
    the view a reference cycle, freed only by the collector). A plan's view
    (engine/outputs.py PlanView) keeps asking, so a read after its plan closed still fails."""
    import gc
    import weakref
    from pipeline.engine.outputs import PlanView
    world = _Whole()
    view = TrackedWorld(world)
    for _ in range(3):
        assert (view.rules, view.project, view.locale, view.prose) == ("the rules", "the config", None, "the memo")
        assert view.people()["aria"] == "Aria"
    assert world.asked == ["rules", "project", "locale", "prose", "people", "heroes", "people", "people"]
    assert view.reads == {"rules", "config", "hero:aria"}
    gc.disable()
    try:
        gone = weakref.ref(view)
        del view
        assert gone() is None   # freed as the last reference went, no cycle left
    finally:
        gc.enable()
    plan = PlanView(world)
    assert plan.rules == "the rules" and plan.rules == "the rules"
    plan.reads.closed = True
    try:
        plan.rules
    except RuntimeError:
        pass
    else:
        raise AssertionError("a plan's view read after it closed without a word")


class _Prose:
    def take_new(self) -> dict:
        return {}


class _Lister:
    """An exporter whose render leaves its context in a reference cycle, as a page's
    does (its CardDrawer holds `ctx.fragment`; Jinja's macros and contexts hold each
    other)."""

    name = "lister"

    def render(self, ctx, item) -> bytes:
        cycle: dict = {"fragment": ctx.fragment}
        cycle["self"] = cycle
        ctx.world.heroes["aria"]
        return b"made"

    def locate(self, setup, exc):
        return None


def test_a_render_lets_go_of_its_view_of_the_world_though_its_context_is_in_a_cycle(monkeypatch):
    """A clean build's worker renders ~35,000 artifacts, each leaving its context in
    cycles only the collector frees; the view of the World the context held (its reads,
    the tables it wrapped) is freed as the render returns, not kept until then."""
    import gc
    import weakref
    from pipeline.exporters.base import Planned
    from pipeline.render import pool

    views = []

    class Watched(TrackedWorld):
        def __init__(self, world):
            super().__init__(world)
            views.append(weakref.ref(self))

    monkeypatch.setattr(pool, "TrackedWorld", Watched)
    world = _World()
    world.prose = _Prose()
    gc.disable()
    try:
        result = pool.render_one(world, _Lister(), None, Planned("a.html"))
        assert result.data == b"made" and result.reads == {"hero:aria"}
        assert len(views) == 1 and views[0]() is None
    finally:
        gc.enable()
