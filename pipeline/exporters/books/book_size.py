"""How long a book's HTML is: the limit (HF0712) said where the writer can act on it,
and foretold by `check` so that check and build agree.

A book (a PDF's document, an EPUB's chapter) longer than theme.MAX_DOCUMENT characters
is refused before WeasyPrint lays it out for hours. With the shipped print theme it is
the world that is too large, not the theme: the compendium of some 7,000 benchmark
heroes, or one enormous story. The build said so at the shipped theme's template
(`<default theme>/print/templates/compendium.html.j2`), which no writer can change, and
`check` said nothing. Now the limit is said at foundry.toml for the compendium (with
`[print] compendium = false` as the way out) and at the story's file for a gamebook;
at the template only when the project's own print templates draw the book.

`check` knows a book's length only by drawing it, which costs as much as the build's
HTML (~4.5 CPU-s for the compendium of 10,000 heroes). So it first bounds it from what
it already knows (`compendium_bound`, `story_bound`: each printed text's length, with
room for what Markdown and escaping make of its punctuation, the rules' tables as
each sheet prints them, and the shipped templates' own markup per entry, all generous)
and draws the book only when that bound passes the limit: a world well under it pays
a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostics, Span
from ...load.project import CONFIG_NAME, output_span, setting_span

if TYPE_CHECKING:
    from ...resolve.world import World
    from .theme import PrintTheme


@dataclass(frozen=True)
class Home:
    """The book a document belongs to, for HF0712: `kind` ("compendium", "gamebook",
    "hero sheet"), `source`, the project file that makes it as long as it is, and
    `output` ("pdf", "epub")."""

    kind: str
    source: str
    output: str = ""


def too_large(theme: "PrintTheme", template: str, length: int, home: Home | None, project, diags: Diagnostics,
              limit: int) -> None:
    """HF0712 for a document of `length` characters drawn from `template`: at the
    project's own print template when it has any (a template may repeat content), else
    at the place `home` names: foundry.toml for the compendium, the story for a gamebook."""
    kind = home.kind if home is not None else "book"
    if template.startswith("epub/"):
        what = f"a chapter of the {kind}'s EPUB (drawn with {template})"
    else:
        what = f"the {kind}'s document"
    message = (f"{what} is {length:,} characters of HTML; the limit is {limit:,}: "
               "laying it out would take hours")
    way_out = _way_out(home)
    if home is None or own_templates(theme):
        diags.add("HF0712", message, theme.span(f"templates/{template}"),
                  hint="Check the print templates for repeated content. " + way_out)
        return
    if home.kind != "compendium":
        diags.add("HF0712", message, Span(home.source), hint=way_out)
        return
    if project is None:
        span = Span(CONFIG_NAME)
    elif _written(project.root, "print", "compendium"):
        span = setting_span(project.root, "print", "compendium")
    else:   # at the output's name in `[build] outputs`
        span = output_span(project.root, list(project.config.build.outputs), home.output)
    diags.add("HF0712", message, span, hint=way_out)


def _way_out(home: Home | None) -> str:
    if home is not None and home.kind == "compendium":
        other = f" (or leave \"{home.output}\" out of `[build] outputs`)" if home.output else ""
        return ("The world is too large for one book: set `compendium = false` under `[print]` in foundry.toml "
                f"to make every other book without the compendium{other}.")
    if home is not None and home.kind == "gamebook":
        return "Split the story into several stories: a gamebook is one document."
    return "Make what this book shows shorter."


def _written(root, table: str, key: str) -> bool:
    from ...load.project import config_places
    return (table, key) in config_places(root).keys


def own_templates(theme: "PrintTheme") -> bool:
    """Whether any print template is the project's own and not the shipped one as it is
    (`foundry theme eject` copies them unchanged)."""
    from ..html.theme import as_shipped
    from .theme import DEFAULT_LABEL
    return any(rel.startswith("templates/") and not theme.origins.get(rel, DEFAULT_LABEL).startswith(DEFAULT_LABEL)
               and not as_shipped(data, "print/" + rel) for rel, data in theme.files.items())


# --- the bound ----------------------------------------------------------------------------
# What a character of a printed text can become. A letter, digit, space or non-ASCII
# character is printed as itself, once (escaping leaves it, Markdown puts nothing around
# it; HTML written in prose is escaped, never kept). Any other character may open or close
# Markdown's markup or be escaped; the most each can become, rounded up: `>` opens
# `<blockquote>\n<p>` and closes it, `-` a list with its item, `"` is `&quot;`, a pipe a
# table row padded with empty cells to its header's columns (at most MAX_TABLE_COLUMNS).
# A link (`](`, `<…>`, or any `[` once a reference definition `]:` is written) is
# `rel="noopener noreferrer"`, the site's address in front of it (books/links.py) and its
# address, which may be written twice (`<…>`) or once per use (a definition), each of its
# characters percent-encoded to at most 12: LINK and 12 times the text's longest line.
_COSTS = {b">": 48, b"-": 32, b"+": 32, b"*": 32, b"#": 16, b"`": 16, b"\n": 16, b"{": 16, b"!": 24, b".": 24,
          b")": 24, b'"': 6, b"&": 5, b"\t": 4, b"_": 9, b"~": 8}
OTHER = 8            # any other punctuation: `'` typeset as ’, `=` in `{key=value}`, `\`
LINK = 160           # `<a href="…" rel="noopener noreferrer">…</a>` and the site's folder and `.html`
_PLAIN = bytes(range(ord("a"), ord("z") + 1)) + bytes(range(ord("A"), ord("Z") + 1)) \
    + bytes(range(ord("0"), ord("9") + 1)) + b" " + bytes(range(128, 256))
# The shipped templates' own markup and words around each entry, rounded well up (the
# hero sheet's skeleton is ~2,400 characters; a derived stat's cell ~30 and its number).
HERO = 2560
CHARACTER = 1536
QUEST = 2048
STORY = 2048
ROW = 256           # an attribute's row, a derived stat's row and its formula
ITEM = 128          # a skill, an item, a tie, a template's name, an objective
CELL = 32           # one derived stat at one level; its row's head again in each band of levels
LEVEL = 40          # a level's column head
NUMBER = 24         # the widest number a sheet prints (`-9007199254740991` is 17)
GROUP = 256         # heroes bound together
NAMED = 6           # how often a name or title is printed (contents, heading, alt text, chapter title, navigation)
BOOK = 65536        # the cover, the contents' skeleton, the part openers


# Each mark's cost (OTHER and its own) as one byte, so that a text's marks cost `sum()`
# of one translation.
_COST = bytes(min(255, OTHER + _COSTS.get(bytes([b]), 0)) for b in range(256))


def text_bound(text: str | None, base: int = 0) -> int:
    """The most characters `text` can print as in a book (escaped, or its Markdown made
    HTML with its links to the site made absolute under a base URL of `base` characters)."""
    if not text:
        return 0
    data = text.encode("utf-8", "replace")
    marks = data.translate(None, _PLAIN)
    if not marks:
        return len(text)
    bound = len(text) + sum(marks.translate(_COST))
    if b"|" in marks:
        from ...load.markdown import MAX_TABLE_COLUMNS
        bound += marks.count(b"|") * 40 * MAX_TABLE_COLUMNS
    links = data.count(b"](") + marks.count(b"<") + (marks.count(b"[") if b"]:" in data else 0)
    if links:
        bound += links * (LINK + base + 12 * max(map(len, text.split("\n"))))
    return bound


def _marks(text: str) -> int:
    return len(text.encode("utf-8", "replace").translate(None, _PLAIN))


class Bounds:
    """Upper bounds on the characters of the books' HTML with the shipped print
    templates, for one World (in one language; `say`: the theme's words in it). Made
    of a few passes over texts joined together (a bound of joined texts is at least the
    sum of theirs): ~0.05 CPU-s at 10,000 heroes; a hero's own share only when asked."""

    def __init__(self, world: "World", say=None) -> None:
        from . import views
        self.world, self.say = world, say
        self.base = len(world.project.config.project.base_url or "")
        rules = world.rules
        names = [e.model.name for table in (world.heroes, world.characters) for e in table.values()]
        longest = max(map(len, names), default=0)
        # a name or title printed for an id (marked when shown in the base language):
        # each of its characters at most the costliest punctuation, a link among them
        self.person = 2 * (longest + max(map(_marks, names), default=0) * (56 + LINK + self.base + 12 * longest)) + 96
        self.titles = 2 * max((text_bound(e.model.title) for e in world.quests.values()), default=0) + 96
        self.story_titles = 2 * max((text_bound(e.model.front.title) for e in world.stories.values()), default=0) + 96
        self.kinds = max((len(k.name or k_id) for k_id, k in rules.relationship_kinds.items()), default=0) * 2 + 96
        # the rules as every sheet prints them, from one sheet: the attributes' rows, each
        # derived stat's row, its formula in words and its cells at every level
        self.sheet = HERO
        if world.heroes:
            one = views.hero_view(world, next(iter(world.heroes)), ties=False, **({"say": say} if say else {}))
            # (an EPUB's sheet prints each attribute's description under its name)
            self.sheet += sum(ROW + text_bound(a.name) + text_bound(str(a.description)) for a in one.attributes)
            # the most bands of levels the sheet splits the derived stats into
            # (macros.html.j2 `per_band`), each repeating the rows' heads: as many as
            # for the widest number an expression gives (within ±2^53, or a float)
            number = NUMBER
            levels = len(one.levels)
            bands = -(-levels // max(1, min(10, int(84 / (1.7 * number + 1.2))))) if levels else 0
            self.sheet += (levels + bands) * LEVEL + sum(
                ROW + text_bound(str(r.description)) + text_bound(str(r.note)) + levels * (CELL + number)
                + (bands + 1) * (CELL + text_bound(str(r.name))) for r in one.derived)
        self.skills = {s_id: ITEM + text_bound(s.rule.name or s_id) + text_bound(s.rule.description)
                       + text_bound(rules.attributes[s.rule.attribute].name if s.rule.attribute in rules.attributes
                                    else "") for s_id, s in rules.skills.items()}
        self._templates: dict[str | None, int] = {}
        self._groups: dict[str, int] = {}   # hero id → the bound of her group of heroes
        self._stories: dict[str, int] = {}
        self._rule_label: int | None = None
        self._total: int | None = None
        self._parts: dict[str, int] = {}

    def _hero_lists(self, entry) -> int:
        """What a hero's sheet prints of her lists: templates, skills, items, ties."""
        hero = entry.model
        return (self._template(hero.template) + sum(self.skills.get(s, ITEM) for s in hero.skills)
                + len(hero.items) * ITEM + 2 * sum(map(len, hero.items))
                + len(hero.relationships) * (ITEM + self.kinds + self.person))

    def _template(self, name: str | None) -> int:
        """What a hero template's chain adds to each sheet taking it: its name, skills, items."""
        if name not in self._templates:
            self._templates[name] = sum(
                ITEM + text_bound(t.model.name) + sum(self.skills.get(s, ITEM) for s in t.model.skills)
                + sum(ITEM + 2 * len(i) for i in t.model.items)
                for t in _chain(self.world, name))
        return self._templates[name]

    def hero(self, hid: str) -> int:
        """A hero's share: her sheet in the compendium (printed alone, BOOK more)."""
        hero = self.world.heroes[hid].model
        return (self.sheet + NAMED * (text_bound(hero.name) + text_bound(hero.title))
                + text_bound(hero.background, self.base) + self._hero_lists(self.world.heroes[hid])
                + sum(text_bound(r.note, self.base) for r in hero.relationships))

    def compendium(self) -> int:
        """The compendium: the PDF's one document, and so each of the EPUB's chapters."""
        if self._total is not None:
            return self._total
        from . import views
        world, rules, base = self.world, self.world.rules, self.base
        config = world.project.config.project
        total = BOOK + NAMED * (text_bound(config.title) + text_bound(config.description))
        total += sum(ROW + text_bound(a.name) + text_bound(a.description) for a in rules.attributes.values())
        # the heroes a group at a time (a bound of a group's texts joined is at least the
        # sum of theirs): each group's is the bound of each of its heroes' sheets too
        ids = list(world.heroes)
        heroes_part = 0
        for at in range(0, len(ids), GROUP):
            group = [world.heroes[hid] for hid in ids[at:at + GROUP]]
            models = [e.model for e in group]
            part = (len(group) * self.sheet + sum(map(self._hero_lists, group))
                    + NAMED * text_bound("\n".join(t for h in models for t in (h.name, h.title)))
                    + text_bound("\n".join([h.background for h in models]
                                           + [r.note for h in models for r in h.relationships]), base))
            for hid in ids[at:at + GROUP]:
                self._groups[hid] = part
            heroes_part += part
        total += heroes_part
        self._parts["heroes"] = total
        characters = [e.model for e in world.characters.values()]
        attributes = len(rules.attributes) * (ROW + max((len(a.name or a_id) for a_id, a in rules.attributes.items()),
                                                        default=0) * 2 + 24)   # a value of up to 24 digits
        part = (len(characters) * (CHARACTER + attributes)
                + NAMED * text_bound("\n".join(t for c in characters for t in (c.name, c.title, c.role)))
                + text_bound("\n".join([c.background for c in characters]
                                       + [r.note for c in characters for r in c.relationships]), base)
                + sum(len(c.relationships) for c in characters) * (ITEM + self.kinds + self.person))
        self._parts["characters"] = part
        total += part
        part = 0
        for qid, entry in world.quests.items():
            q, links = entry.model, world.quest_links.get(qid)
            if links is not None and links.requires is not None:   # the requirement in words
                part += 2 * len(views.quest_view(world, qid, **({"say": self.say} if self.say else {})).requires or "")
            part += (QUEST + self.person + len(q.objectives) * ITEM + len(q.rewards.items) * ITEM
                     + sum(2 * len(i) for i in q.rewards.items)
                     + len(q.prerequisites) * (ITEM + self.titles)
                     + (len(links.stories) if links is not None else 0) * (ITEM + self.story_titles))
        quests = [e.model for e in world.quests.values()]
        part += NAMED * text_bound("\n".join(q.title for q in quests))
        part += text_bound("\n".join([q.summary for q in quests] + [o.text for q in quests for o in q.objectives]), base)
        self._parts["quests"] = part
        total += part
        fronts = [e.model.front for e in world.stories.values()]
        part = (sum(STORY + (1 + len(f.heroes) + len(f.characters)) * self.person + len(f.quests) * (ITEM + self.titles)
                    for f in fronts)
                + NAMED * text_bound("\n".join(f.title for f in fronts))
                + text_bound("\n".join(f.summary for f in fronts), base))
        self._parts["stories"] = part
        self._total = total + part
        return self._total

    def hero_sheet(self, hid: str, limit: int) -> int:
        """A hero's sheet printed alone (or her chapter of the EPUB compendium): her
        group's share while that is under `limit`, else her own."""
        self.compendium()
        return BOOK + (self._groups[hid] if self._groups[hid] <= limit else self.hero(hid))

    def epub_chapter(self, limit: int) -> int:
        """The longest chapter of the EPUB compendium: a hero's, or the characters',
        quests' or stories' (each one chapter)."""
        self.compendium()
        heroes = max((self.hero_sheet(h, limit) - BOOK for h in self.world.heroes), default=0)
        return BOOK + max(self._parts["characters"], self._parts["quests"], self._parts["stories"], heroes)

    def story(self, sid: str) -> int:
        """A story's gamebook (the PDF's document; each EPUB chapter is one of its
        sections). Every character of the story's file may become a section's markup
        or, in a condition or effect, a name from the rules or the story (`agility > 1`
        is "your Agility is more than 1"): its longest such word and some markup each.
        The adventure sheet prints less of each hero who may play than her sheet does."""
        if sid not in self._stories:   # asked by the PDF and the EPUB
            self._stories[sid] = self._story(sid)
        return self._stories[sid]

    def _story(self, sid: str) -> int:
        world, rules = self.world, self.world.rules
        entry = world.stories[sid]
        front = entry.model.front
        if self._rule_label is None:   # the longest name a condition or effect may print from the rules
            self._rule_label = max([len(r.name or a) for a, r in rules.attributes.items()]
                                   + [len(d.name or d_id) for d_id, d in rules.derived.items()]
                                   + [len(k.rule.name or k_id) for k_id, k in rules.skills.items()] + [0])
        label = max([self._rule_label] + [len(n) for n in front.variables])
        people = max((len(e.model.name) for pid in (front.protagonist, *front.heroes, *front.characters)
                      for e in [world.heroes.get(pid or "") or world.characters.get(pid or "")] if e is not None),
                     default=0)
        text = entry.doc.source.text
        sheets = sum(self.hero(pid) for pid in dict.fromkeys((front.protagonist, *front.heroes))
                     if pid and pid in world.heroes)
        return BOOK + sheets + 2 * text_bound(text, self.base) + len(text) * (2 * max(label, people) + 160)


def _chain(world: "World", name: str | None) -> list:
    """The hero templates a hero taking template `name` takes skills and items from, each once."""
    chain, seen = [], set()
    while name and name in world.templates and name not in seen:
        seen.add(name)
        chain.append(world.templates[name])
        name = world.templates[name].model.extends
    return chain
