"""A `foundry serve` save splices a list's changed fragments into its last bytes
(render/spans.py) — and the lists it splices are the bytes a clean build makes.

Each save here goes through a resident engine told the path the watcher saw, as a
server's does; after it, the lists must show the edit (a stale spliced list fails
here by its text) and build/ must equal a clean build of the same files. What moves
a fragment in its list's order, adds one or changes what the list reads itself
renders the list whole: those saves are here too, with what they splice."""

from __future__ import annotations

import re

import jinja2
import orjson
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.engine.resident import Resident
from pipeline.exporters.html.splice import prints_whole
from pipeline.exporters.json_api.files import Items, splice
from pipeline.render.spans import Ask, SpanLog
from engine_steps import HERO, listed_heroes, output_bytes, same_as_clean, save, rename_hero as rename
from support import write_project

OUTPUTS = ["json", "html"]
JSON_LISTS = {"api/v1/bundle.json", "api/v1/heroes.json", "api/v1/manifest.json"}
HTML_LISTS = {"site/index.html", "site/heroes/index.html", "site/search.html", "site/credits.html"}
# the lists that show a hero's name (the manifest shows her file's hash)
NAMED = JSON_LISTS - {"api/v1/manifest.json"} | HTML_LISTS


@pytest.fixture
def world(tmp_path):
    files = listed_heroes()
    return write_project(tmp_path / "world", files)




def started(world) -> Resident:
    """A resident engine that has built the world and rendered its lists once in its
    own process (a save: the first build renders in a pool, which logs no spans)."""
    engine = Resident(world, OUTPUTS)
    save(engine)
    zed = world / "content/heroes/zed.yaml"
    zed.write_text(zed.read_text() + "tags: [warm]\n")
    save(engine, ["content/heroes/zed.yaml"])
    assert JSON_LISTS | HTML_LISTS <= set(engine.spans.logs)
    return engine


def shown(world, name: str) -> set[str]:
    """The lists whose bytes hold `name` (as JSON text, or HTML)."""
    outputs = output_bytes(world)
    return {path for path in JSON_LISTS | HTML_LISTS if name.encode() in outputs[path]}


def test_a_renamed_hero_is_spliced_into_every_list_and_each_equals_a_clean_build(world, tmp_path):
    engine = started(world)
    for step, name in enumerate(["Mara Stonebridge", "Mara Stone-Ash", "Mara St"]):
        save(engine, [rename(world, "mara", name)])
        assert JSON_LISTS | HTML_LISTS <= set(engine.spans.spliced), engine.spans.spliced
        # each list shows the new name: a list spliced from stale bytes fails here
        assert shown(world, name) == NAMED
        same_as_clean(world, tmp_path, f"twin{step}")


def test_two_heroes_edited_in_turn_move_the_spans_after_them(world, tmp_path):
    """Spans after a changed fragment move by its growth; the next save's changed
    fragment is found where it now is (here: before and after the other's)."""
    engine = started(world)
    for step, (hid, name) in enumerate([("aria", "Aria Valerian Long"), ("zed", "Zed Q"), ("aria", "Aria V"),
                                        ("mara", "Mara Stone of the Long Name"), ("zed", "Zed Quillon")]):
        save(engine, [rename(world, hid, name)])
        assert JSON_LISTS | HTML_LISTS <= set(engine.spans.spliced)
        assert shown(world, name) == NAMED
    same_as_clean(world, tmp_path)


def test_a_hero_whose_name_moves_her_in_the_order_renders_the_pages_whole(world, tmp_path):
    engine = started(world)
    save(engine, [rename(world, "aria", "Zara Vale")])   # from first to last on every page
    # the JSON lists are in table order (her place holds); the pages sort by name
    assert JSON_LISTS <= set(engine.spans.spliced)
    assert not HTML_LISTS & set(engine.spans.spliced)
    assert shown(world, "Zara Vale") == NAMED
    same_as_clean(world, tmp_path, "moved")
    # and the pages rendered whole are logged again: the next edit splices
    save(engine, [rename(world, "aria", "Zara Valewright")])
    assert JSON_LISTS | HTML_LISTS <= set(engine.spans.spliced)
    same_as_clean(world, tmp_path, "after")


def test_a_new_hero_renders_every_list_whole(world, tmp_path):
    engine = started(world)
    (world / "content/heroes/bea.yaml").write_text(HERO.format(name="Bea Thorn", title="Gate").lstrip())
    save(engine, ["content/heroes/bea.yaml"])
    assert not (JSON_LISTS | HTML_LISTS) & set(engine.spans.spliced)   # `heroes*` is what the lists read themselves
    assert shown(world, "Bea Thorn") == NAMED
    same_as_clean(world, tmp_path)


def test_a_theme_that_prints_the_search_index_twice_is_never_spliced(world, tmp_path):
    """The search index's entries are placed only where the page prints it once, whole:
    printed twice, the second copy would keep the old entry."""
    from support import REPO
    theme = world / "themes/default/templates"
    theme.mkdir(parents=True)
    page = (REPO / "themes/default/templates/search.html").read_text()
    twice = '<script type="application/json" id="search-index">{{ index }}</script>'
    assert twice in page
    (theme / "search.html").write_text(page.replace(twice, twice + twice.replace("search-index", "again"), 1))
    engine = started(world)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    assert "site/search.html" not in engine.spans.spliced
    assert output_bytes(world)["site/search.html"].count(b"Mara Stonebridge") >= 3   # a card and two indexes
    same_as_clean(world, tmp_path)


@pytest.mark.parametrize("template, whole", [
    ('{{ index }}', True),
    ('{% if x %}{{ index }}{% endif %}', True),
    ('{{ index }}{{ index }}', False),
    ('{% for i in y %}{{ index }}{% endfor %}', False),
    ('{{ index | length }}', False),
    ('{% set copy = index %}{{ copy }}', False),
    ('{% filter upper %}{{ index }}{% endfilter %}', False),
    ('{{ index }}{% include "other.html" %}', False),
    ('nothing', False),
])
def test_script_data_is_placed_only_where_printed_once_as_it_is(template, whole):
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": template, "other.html": "{{ index[0] }}"}))
    assert prints_whole(env, "page.html", ("index",)) is whole


def test_the_json_splice_places_each_row_at_its_bytes():
    log = SpanLog()
    rows = [b'{"id":"a"}', b'{"id":"bb","x":[1,2]}', b'{"id":"c"}']
    asks = [Ask(f"row:{n}", lambda world, fragment: b"") for n in range(3)]
    data = splice({"b": Items(rows, asks), "a": 1, "z": Items([b"1"], [Ask("one", lambda w, f: b"")])}, log)
    assert orjson.loads(data) == {"a": 1, "b": [orjson.loads(r) for r in rows], "z": [1]}
    for placed, row in zip([log.placed[f"row:{n}"] for n in range(3)], rows):
        assert data[placed.start:placed.end] == row
    assert data[log.placed["one"].start:log.placed["one"].end] == b"1"


def test_a_commit_by_someone_new_renders_the_credits_page_whole(world, tmp_path):
    """The credits page reads its authors as one input (`site:authors`, made by the
    site's plan from the history): a save changes no history and the page splices; a
    commit by someone new changes it, and the page is rendered whole, naming them."""
    import subprocess

    def git(*args: str, author: str = "Ana Writer") -> None:
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": author,
               "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_AUTHOR_DATE": "2024-01-01T10:00:00+00:00",
               "GIT_COMMITTER_DATE": "2024-01-01T10:00:00+00:00", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        subprocess.run(["git", "-C", str(world), *args], check=True, capture_output=True, env=env)

    (world / ".gitignore").write_text("build/\n.foundry-cache/\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "start")
    engine = started(world)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    assert "site/credits.html" in engine.spans.spliced
    rename(world, "zed", "Zed Quillon")
    git("commit", "-qam", "Cleo renames Zed", author="Cleo Editor")
    save(engine)   # the watcher saw more than entity files: everything is checked
    assert "site/credits.html" not in engine.spans.spliced
    assert b"Cleo Editor" in output_bytes(world)["site/credits.html"]
    same_as_clean(world, tmp_path)


class _Row:
    """A stored fragment as the log keeps it (render/fragments.py Fragment: its reads)."""

    def __init__(self, reads: tuple[str, ...]):
        self.reads = reads


@settings(max_examples=60, deadline=None)
@given(first=st.lists(st.binary(min_size=1, max_size=6), min_size=1, max_size=12),
       steps=st.lists(st.dictionaries(st.integers(0, 11), st.binary(min_size=1, max_size=9), min_size=1, max_size=4),
                      min_size=1, max_size=8))
def test_spans_moved_by_every_splice_hold_each_fragment_where_it_now_is(first, steps):
    """Any sequence of saves, each changing a few fragments to longer or shorter bytes:
    the spliced bytes are the list made whole, and what it read is exactly its own
    reads and its fragments' (the shifts of every splice are applied in order, and
    settled into the spans every few: MAX_SHIFTS made small here)."""
    import pipeline.render.spans as spans_module
    kept, spans_module.MAX_SHIFTS = spans_module.MAX_SHIFTS, 3
    try:
        _splice_steps(first, steps)
    finally:
        spans_module.MAX_SHIFTS = kept


def _splice_steps(first, steps):
    from pipeline.render.spans import Placed, SpanStore
    rows = list(first)
    log, store, made = SpanLog(), SpanStore(), {}
    at = 1
    for number, row in enumerate(rows):
        ask = Ask(f"k{number}", lambda world, fragment, number=number: rows[number])
        log.place(Placed(ask, at, at + len(row)))
        log.full[ask.key] = f"F|k{number}"
        log.fragments[f"F|k{number}"] = _Row((f"in:{number}", "shared"))
        at += len(row) + 1
    hashes = {"own": "1", "shared": "2"}
    store.keep("list", log, b"[" + b",".join(rows) + b"]", frozenset({"own", "shared"}), hashes)

    def fragment(key, render, reads=None, decode=None):
        data = render(None)
        made[f"F|{key}"] = _Row((f"in:{key[1:]}", f"new:{key[1:]}:{len(data)}"))
        return data

    for step in steps:
        changed = {number: data for number, data in step.items() if number < len(rows)}
        if not changed:
            continue
        for number, data in changed.items():
            rows[number] = data
        before, hashes = hashes, dict(hashes)
        store.begin(before, frozenset(f"in:{n}" for n in changed), [f"F|k{n}" for n in changed])
        spliced = store.splice("list", fragment, made, hashes)
        assert spliced is not None
        data, reads = spliced
        assert data == b"[" + b",".join(rows) + b"]"
        expected = {"own", "shared", *(f"in:{n}" for n in range(len(rows)))}
        expected |= {key for n in range(len(rows)) if f"F|k{n}" in made for key in made[f"F|k{n}"].reads}
        assert reads == expected


def _titled(world, hid: str, title: str | None) -> str:
    """Hero `hid` with `title` (None: no title line); returns the path the watcher names."""
    path = world / f"content/heroes/{hid}.yaml"
    text = re.sub(r"^title: .*\n", "", path.read_text(), flags=re.M)
    if title is not None:
        text = text.replace("status: draft", f"title: {title}\nstatus: draft", 1)
    path.write_text(text)
    return f"content/heroes/{hid}.yaml"


def test_a_card_that_prints_nothing_never_lets_its_neighbour_splice_over_another(world, tmp_path):
    """A project theme's card may print nothing for some heroes (here: those without a
    title). An empty card's span and the next card's start at the same byte, so when
    the empty card was filled in, the next card's span did not move with it, and the
    next save spliced that card over the one before: the page lost Mara's card and
    kept half of Rook's old one. A list holding an empty card is rendered whole."""
    from support import REPO
    macros = (REPO / "themes/default/templates/_macros.html").read_text()
    start = macros.index("{% macro person_card")
    end = macros.index("{%- endmacro %}", start) + len("{%- endmacro %}")
    theme = world / "themes/default/templates"
    theme.mkdir(parents=True)
    (theme / "_macros.html").write_text(
        macros[:start] + '{% macro person_card(card, heading="h3") -%}'
        '{% if card.title %}<p>{{ card.name }}: {{ card.title }}</p>{% endif %}{%- endmacro %}' + macros[end:])
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine, [_titled(world, "zed", "Warden of the High Pass")])   # rendered in this process: logged
    assert "site/heroes/index.html" in engine.spans.logs
    save(engine, [_titled(world, "mara", None)])           # her card prints nothing
    save(engine, [_titled(world, "mara", "Back Again")])   # and something again
    save(engine, [_titled(world, "first-hero", "Scout of the High Road")])   # the card after hers
    page = output_bytes(world)["site/heroes/index.html"].decode()
    assert "<p>Mara Stone: Back Again</p><p>Rook Amsel: Scout of the High Road</p>" in page
    same_as_clean(world, tmp_path)


LOOP = '{% for card in cards(rows, "card") %}{{ card }}{% endfor %}'


@pytest.mark.parametrize("template, safe", [
    # the default theme's head says the page's description again (og:description, JSON-LD)
    ('<meta content="{% block d %}{{ site }}{% endblock %}"><meta content="{{ self.d() }}">' + LOOP, True),
    ('{% block d %}' + LOOP + '{% endblock %}{{ self.d() }}', False),        # its cards twice
    ('{% block d %}x{% endblock %}{% block e %}{{ self.d() }}{% endblock %}{{ self.e() }}' + LOOP, False),
    ('{% block d %}x{% endblock %}{{ self.d(1) }}' + LOOP, False),
    ('{% block d %}x{% endblock %}{{ self }}' + LOOP, False),
])
def test_a_block_rendered_again_keeps_a_page_spliceable_only_without_cards_in_it(template, safe):
    """`self.description()` in the default theme's head (a shared link's preview) made
    every list page of the site unspliceable: each edit rendered them whole. A block
    said again is safe when it draws no card and prints no script data."""
    from pipeline.exporters.html.splice import splices_safely
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": template}))
    assert splices_safely(env, "page.html") is safe
    printed = jinja2.Environment(loader=jinja2.DictLoader({
        "page.html": '{% block d %}{{ index }}{% endblock %}<meta content="{{ self.d() }}">'}))
    assert prints_whole(printed, "page.html", ("index",)) is False


def test_a_block_rendered_again_holding_a_block_the_page_fills_is_never_spliced(world, tmp_path):
    """A theme's base says a block again (`{{ self.extra() }}`) that holds another block,
    and its search page fills that inner block with the search index (printed once in
    the template, twice on the page). The rule for a block said again looked only at
    blocks of its own name: the page was spliced, and `foundry build` after a rename
    left the old name in one copy of the index (differing from a clean build)."""
    from support import REPO, foundry
    theme = world / "themes/default/templates"
    theme.mkdir(parents=True)
    base = (REPO / "themes/default/templates/base.html").read_text()
    main = "{% block main %}{% endblock %}\n</main>"
    assert main in base
    (theme / "base.html").write_text(base.replace(main, main + "\n{% block extra %}<aside>{% block inner %}"
                                                  "{% endblock %}</aside>{% endblock %}<div>{{ self.extra() }}</div>", 1))
    page = (REPO / "themes/default/templates/search.html").read_text()
    once = '<script type="application/json" id="search-index">{{ index }}</script>'
    assert once in page
    (theme / "search.html").write_text(page.replace(once, "", 1) + "{% block inner %}" + once + "{% endblock %}\n")
    for name in (None, "Mara Stoke", "Mara Stomp"):   # as long as 'Mara Stone': spliced in place
        if name:
            rename(world, "mara", name)
        run = foundry("build", "--only", "html,json", "--project", str(world), env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert run.code == 0, run.stdout[-2000:] + run.stderr
    search = output_bytes(world)["site/search.html"]
    assert search.count(b'id="search-index"') == 2
    assert b"Mara Stoke" not in search and search.count(b"Mara Stomp") == 3   # a card, two indexes
    same_as_clean(world, tmp_path)
