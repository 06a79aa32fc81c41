"""The World as the pages of a book: plain values a print template can lay out.

Pure functions of the World. Names are resolved (a relationship shows "Tomas
Reedwright", not `tomas`), prose is the sanitised HTML the loader made, numbers
are already computed by the hero sheet. Each view names the content file it shows
(`source`), so a problem found while printing can point at it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup, escape

from ...ids import id_words
from ...load.markdown import headings_from, render_prose
from ..html.urls import entity_page, in_site
from .links import book_prose
from ...load.media import media_path
from ...l10n.collation import collated, language_of
from ...l10n.scripts import text_direction
from ...l10n.lines import relationship_note_ids
from ...resolve.localized import config_marks, described, fallback_marks, in_base, label, prose_in_base
from ...resolve.world import Asset, World
from ...rules.models import filled_percent
from . import words
from ..theme_words import ENGLISH, Words
from .words import Vocabulary, capitalise, humanise


@dataclass(frozen=True)
class Stat:
    name: str
    value: int
    low: int = 0
    high: int = 0
    default: int = 0
    description: str = ""         # the writer's, inline Markdown as HTML (Markup) where it has any
    # the name as the sheet presents it (its row, above its description): the writer's
    # inline Markdown as HTML; `name` is its plain text, for a label beside a number
    name_html: str = ""

    @property
    def percent(self) -> float:
        """The fill of the attribute's bar (rules/models.py `filled_percent`), to a tenth."""
        return round(filled_percent(self.value, self.low, self.high), 1)


@dataclass(frozen=True)
class StatRow:
    name: str
    values: tuple[int, ...]       # one per level, level 1 first
    description: str              # the formula in words
    note: str = ""                # the writer's description (schemas/attributes.yaml), as a skill's
    name_html: str = ""           # the name where the stat is presented (its formula's line), as Stat's


@dataclass(frozen=True)
class SkillView:
    name: str
    attribute: str
    description: str              # the writer's, inline Markdown as HTML (Markup) where it has any
    name_html: str = ""           # the skill's name where the sheet presents it, as Stat's


@dataclass(frozen=True)
class Tie:
    kind: str                     # "Apprentice"
    who: str                      # "Tomas Reedwright"
    anchor: str                   # the other's id
    note: str
    note_html: Markup | None = None   # the note's inline Markdown as HTML (`note` is plain text)


@dataclass(frozen=True)
class HeroView:
    id: str
    name: str
    title: str
    source: str
    portrait: str | None          # build-relative media path
    portrait_alt: str
    portrait_asset: Asset | None  # the image itself, for the exporter to embed
    templates: tuple[str, ...]
    level: int
    xp: int
    xp_next: int | None
    budget_used: int
    budget_available: int | None
    attributes: tuple[Stat, ...]
    levels: tuple[int, ...]
    derived: tuple[StatRow, ...]
    skills: tuple[SkillView, ...]
    items: tuple[str, ...]
    ties: tuple[Tie, ...]
    background_html: str
    tags: tuple[str, ...]
    # The name's and epithet's inline Markdown as HTML (`name` and `title` are plain
    # text, for alt text, navigation and metadata): shown where the sheet presents them.
    name_html: Markup | None = None
    title_html: Markup | None = None
    marks: tuple[tuple[str, str], ...] = ()   # the name's fallback marks (shown in the base language)

    # How many characters the widest number of a table prints as (`-9007199254740991`
    # is 17): a number is never broken, so the print theme sizes its columns by it.
    @property
    def score_chars(self) -> int:
        """The widest attribute score, in characters (1 when there is none)."""
        return printed_chars(a.value for a in self.attributes)

    @property
    def derived_chars(self) -> int:
        """The widest derived stat at any level, in characters (1 when there is none)."""
        return printed_chars(v for row in self.derived for v in row.values)

    @property
    def stat_chars(self) -> int:
        """The widest number of the adventure sheet: the attributes and the derived
        stats at the hero's level, in characters."""
        return printed_chars([a.value for a in self.attributes]
                             + [row.values[self.level - 1] for row in self.derived if len(row.values) >= self.level])


def printed_chars(values) -> int:
    """How many characters the longest of `values` (numbers) prints as: `str(v)`, as the
    templates print them; 1 for no values."""
    return max((len(str(v)) for v in values), default=1)


@dataclass(frozen=True)
class CharacterView:
    id: str
    name: str
    title: str
    role: str
    source: str
    portrait: str | None
    portrait_alt: str
    portrait_asset: Asset | None
    attributes: tuple[Stat, ...]
    ties: tuple[Tie, ...]
    background_html: str
    name_html: Markup | None = None   # inline Markdown as HTML; `name`, `title`, `role` are plain text
    title_html: Markup | None = None
    role_html: Markup | None = None
    marks: tuple[tuple[str, str], ...] = ()   # the name's fallback marks


@dataclass(frozen=True)
class QuestView:
    id: str
    title: str
    source: str
    summary_html: str
    giver: str | None
    requires: str | None          # "You are at least level 2."
    prerequisites: tuple[tuple[str, str], ...]   # (id, title)
    objectives: tuple[str, ...]
    reward_xp: int
    reward_items: tuple[str, ...]
    stories: tuple[tuple[str, str], ...]
    title_html: Markup | None = None              # inline Markdown as HTML; `title` is plain text
    objectives_html: tuple[Markup, ...] = ()      # the objectives' inline Markdown as HTML
    marks: tuple[tuple[str, str], ...] = ()       # the title's fallback marks


@dataclass(frozen=True)
class StoryView:
    id: str
    title: str
    source: str
    summary_html: str
    protagonist: str | None
    heroes: tuple[str, ...]
    characters: tuple[str, ...]
    quests: tuple[str, ...]
    scenes: int
    endings: int
    words: int
    reading_minutes: int
    title_html: Markup | None = None  # the title's inline Markdown as HTML (`title` is plain text)
    marks: tuple[tuple[str, str], ...] = ()   # the title's fallback marks

    @property
    def lede_html(self) -> Markup:
        """The summary as the gamebook's first page shows it, right under its <h1>:
        headings from <h2> (elsewhere, under an entry's <h2>, from <h3>)."""
        return Markup(headings_from(str(self.summary_html), 2))


@dataclass(frozen=True)
class BookInfo:
    """What the title page and the file's metadata say."""

    title: str
    subtitle: str
    world: str
    description: str
    authors: tuple[str, ...]
    language: str
    version: str          # the content version of what the book shows (see World.version_of)
    title_html: Markup | None = None  # the title's inline Markdown as HTML, where it has any
    # the title's fallback marks ((attribute, value) pairs: lang, dir, class) when the
    # book shows it in the base language: the title page and the navigation carry them
    marks: tuple[tuple[str, str], ...] = ()
    # the marks (lang, and dir where it differs) of what foundry.toml says — the world's
    # name and description, never translated — in a book in another language
    world_marks: tuple[tuple[str, str], ...] = ()
    # foundry.toml's title, description and authors as HTML (the writer's inline
    # Markdown; load/project.py Project.html), for the title page presenting them;
    # `world`, `description` and `authors` are their plain text, for metadata and mentions
    world_html: Markup | None = None
    description_html: Markup | None = None
    authors_html: tuple[Markup, ...] = ()

    @property
    def direction(self) -> str:
        """"rtl" or "ltr", from the language: the book's `dir`."""
        return text_direction(self.language)


def book_info(world: World, title: str, subtitle: str = "", entries=(), title_html: Markup | None = None,
              marks: tuple[tuple[str, str], ...] = ()) -> BookInfo:
    """What a book's title page and metadata say; `title_html`: its title's HTML (a
    gamebook's story title, the compendium's world title), None where it has none."""
    config, project = world.project.config.project, world.project
    return BookInfo(title, subtitle, config.title, config.description, tuple(config.authors), config.language,
                    world.version_of(*entries), title_html, marks, world_marks(world), project.html("title"),
                    project.html("description"), tuple(project.html("authors", k) for k in range(len(config.authors))))


def world_marks(world: World) -> tuple[tuple[str, str], ...]:
    """resolve/localized.py config_marks as (attribute, value) pairs: the marks of the
    world's name and description in a book in another language."""
    return tuple(config_marks(world).items())


def person(world: World, pid: str | None):
    """A hero or character by id, looked up alone (an artifact that shows one person
    must not depend on every person: the builder records what a render reads)."""
    if not pid:
        return None
    return world.heroes.get(pid) or world.characters.get(pid)


def _name(world: World, pid: str | None) -> str | None:
    entry = person(world, pid)
    return entry.model.name if entry else pid


def _shown_name(world: World, pid: str | None) -> str | None:
    """_name as a book prints it: marked (resolve/localized.py label) when the name is
    left in the base language; the id itself for a person that does not exist."""
    entry = person(world, pid)
    return label(world, f"{entry.kind}.{pid}.name", entry.model.name) if entry else pid


def _shown_title(world: World, kind: str, eid: str, title: str) -> str:
    """A quest's or story's title as a book prints it beside others: marked when left
    in the base language."""
    return label(world, f"{kind}.{eid}.title", title)


def _ties(world: World, entry) -> tuple[Tie, ...]:
    kinds = world.rules.relationship_kinds
    rels = entry.model.relationships
    lines = relationship_note_ids(entry.kind, entry.id, [(r.with_, r.kind) for r in rels])
    return tuple(Tie(label(world, f"rules.relationship.{r.kind}.name", kinds[r.kind].name) or id_words(r.kind)
                     if r.kind in kinds else humanise(r.kind),
                     _shown_name(world, r.with_) or r.with_, r.with_, r.note,
                     in_base(world, lines[i], entry.html("relationships", i, "note")))
                 for i, r in enumerate(rels))


def _portrait(world: World, pid: str) -> tuple[str | None, Asset | None]:
    asset = world.portraits.get(pid)
    return (media_path(asset) if asset else None), asset


def hero_view(world: World, hid: str, ties: bool = True, say: Words = ENGLISH) -> HeroView:
    """A hero's sheet; without `ties` (a gamebook's adventure sheet shows none) the
    view names no other person, so other people's edits do not make it stale.
    `say`: the theme's words in the book's language (formulas in words)."""
    entry, sheet, rules = world.heroes[hid], world.sheets[hid], world.rules
    hero = entry.model
    attributes = tuple(Stat(_attribute_name(world, a), v, rules.attributes[a].min, rules.attributes[a].max,
                            rules.attributes[a].default,
                            # as the site shows it (resolve/localized.described): the book carried
                            # the plain label and printed nothing
                            described(world, f"rules.attribute.{a}.description", ("attributes", a, "description"),
                                      rules.attributes[a].description),
                            _presented(world, "attribute", "attributes", a, rules.attributes[a].name))
                       for a, v in sheet.attributes.items())
    formula_words = dataclasses.replace(hero_vocabulary(world, say), possessive=False)
    derived = tuple(StatRow(label(world, f"rules.derived.{d}.name", stat.name) or id_words(d), tuple(row[d] for row in sheet.derived_by_level),
                            words.marked(capitalise(words.value(stat.formula.ast, formula_words)), formula_words),
                            described(world, f"rules.derived.{d}.description", ("derived", d, "description"),
                                      stat.description),
                            _presented(world, "derived", "derived", d, stat.name))
                    for d, stat in rules.derived.items())
    skills = tuple(_skill(world, s) for s in sheet.skills if s in rules.skills)
    media, asset = _portrait(world, hid)
    return HeroView(
        hid, hero.name, hero.title, entry.path, media, say.gettext("Portrait of %(name)s") % {"name": hero.name}, asset,
        tuple(label(world, f"template.{t}.name", world.templates[t].model.name)
              for t in sheet.template_chain if t in world.templates),
        sheet.level, sheet.xp, sheet.xp_next, sheet.budget_used, sheet.budget_available, attributes,
        tuple(range(1, len(sheet.derived_by_level) + 1)), derived, skills,
        tuple(id_words(i) for i in sheet.items), _ties(world, entry) if ties else (),
        _book_prose(world, "hero", hid, prose_in_base(world, f"hero.{hid}.background", render_prose(hero.background, world.prose))),
        tuple(hero.tags), entry.html("name"),
        in_base(world, f"hero.{hid}.title", entry.html("title"), hero.title), _marks(world, f"hero.{hid}.name"))


def _skill(world: World, sid: str) -> SkillView:
    rule = world.rules.skills[sid].rule
    attribute = world.rules.attributes.get(rule.attribute) if rule.attribute else None
    return SkillView(label(world, f"rules.skill.{sid}.name", rule.name) or id_words(sid),
                     _attribute_name(world, rule.attribute) if attribute else "",
                     described(world, f"rules.skill.{sid}.description", ("skills", sid, "description"),
                               rule.description),
                     _presented(world, "skill", "skills", sid, rule.name))


def _presented(world: World, kind: str, section: str, rid: str, name: str) -> str:
    """A rule's name where a sheet presents the rule (an attribute's row, a derived
    stat's formula, a skill's line): the writer's inline Markdown as HTML
    (resolve/localized.described), marked when in the base language; its id's words
    when it has no name, as `label`'s callers show it."""
    return described(world, f"rules.{kind}.{rid}.name", (section, rid, "name"), name) or id_words(rid)


def _attribute_name(world: World, aid: str) -> str:
    """An attribute's name on a sheet: its label (marked when in the base language),
    else its id's words (ids.id_words)."""
    return label(world, f"rules.attribute.{aid}.name", world.rules.attributes[aid].name) or id_words(aid)


def character_view(world: World, cid: str, say: Words = ENGLISH) -> CharacterView:
    """A character as a book shows it; the portrait's text alternative in `say`."""
    entry = world.characters[cid]
    ch = entry.model
    attributes = tuple(Stat(_attribute_name(world, a), v)
                       for a, v in world.character_attributes[cid].items() if a in ch.attributes)
    media, asset = _portrait(world, cid)
    alt = say.gettext("Portrait of %(name)s") % {"name": ch.name}
    return CharacterView(cid, ch.name, ch.title, ch.role, entry.path, media, alt, asset,
                         attributes, _ties(world, entry),
                         _book_prose(world, "character", cid, prose_in_base(world, f"character.{cid}.background",
                                                                        render_prose(ch.background, world.prose))),
                         entry.html("name"), in_base(world, f"character.{cid}.title", entry.html("title"), ch.title),
                         in_base(world, f"character.{cid}.role", entry.html("role"), ch.role),
                         _marks(world, f"character.{cid}.name"))


def quest_view(world: World, qid: str, say: Words = ENGLISH) -> QuestView:
    """A quest as a book shows it; its requirement in words of `say` (the theme's
    words in the book's language), as a sentence of its own."""
    entry, links = world.quests[qid], world.quest_links[qid]
    quest = entry.model
    return QuestView(
        qid, quest.title, entry.path,
        _book_prose(world, "quest", qid, in_base(world, f"quest.{qid}.summary", render_prose(quest.summary, world.prose), block=True)),
        _shown_name(world, quest.giver), requirement(world, qid, say),
        tuple((p, _shown_title(world, "quest", p, world.quests[p].model.title)) for p in quest.prerequisites
              if p in world.quests),
        tuple(o.text for o in quest.objectives), quest.rewards.xp,
        tuple(id_words(i) for i in quest.rewards.items),
        tuple((s, _shown_title(world, "story", s, world.stories[s].model.front.title)) for s in links.stories
              if s in world.stories),
        entry.html("title"), tuple(in_base(world, f"quest.{qid}.objective.{o.id}", entry.html("objectives", i, "text"), o.text)
                                   for i, o in enumerate(quest.objectives)),
        _marks(world, f"quest.{qid}.title"))


def requirement(world: World, qid: str, say: Words = ENGLISH):
    """Quest `qid`'s requirement as a reader is told it, a sentence of its own in words
    of `say` ("You are at least level 3."; labels shown in the base language marked: a
    Markup), or None when the quest has none. The books and the site's quest page both
    show this: the site showed `level >= 3` as code in every language."""
    links = world.quest_links[qid]
    if links.requires is None:
        return None
    vocab = hero_vocabulary(world, say)
    return words.marked(capitalise(vocab.say.pgettext("requirement", "%(condition)s.")
                                   % {"condition": words.condition(links.requires.ast, vocab)}), vocab)


def hero_vocabulary(world: World, say: Words = ENGLISH) -> Vocabulary:
    """Names a condition about the hero reads (a quest requirement): no story variables."""
    rules = world.rules
    return Vocabulary(
        say=say,
        attributes={a: r.name or id_words(a) for a, r in rules.attributes.items()},
        stats={d: s.name or id_words(d) for d, s in rules.derived.items()},
        skills={s: k.rule.name or id_words(s) for s, k in rules.skills.items()},
        base=words.rule_labels_in_base(world))


def story_view(world: World, sid: str) -> StoryView:
    entry, stats = world.stories[sid], world.story_reports[sid].stats
    front = entry.model.front
    return StoryView(
        sid, front.title, entry.path,
        _book_prose(world, "story", sid, in_base(world, f"story.{sid}.summary", render_prose(front.summary, world.prose), block=True)),
        _shown_name(world, front.protagonist),
        tuple(_shown_name(world, h) or h for h in front.heroes), tuple(_shown_name(world, c) or c for c in front.characters),
        tuple(_shown_title(world, "quest", q, world.quests[q].model.title) for q in front.quests if q in world.quests),
        stats.scenes, stats.endings, stats.words, stats.reading_minutes, Markup(entry.model.title_html or escape(front.title)),
        _marks(world, f"story.{sid}.title"))


def compendium_views(world: World, say: Words = ENGLISH) -> tuple[list, list, list, list]:
    """The compendium's heroes, characters, quests and stories (the views above), each
    by name or title in the alphabet of the language the book is in (l10n/collation.py),
    then by id: the order of the site's indexes, where id order put a translated world's
    contents in no order its reader knows."""
    language = language_of(world)

    def ordered(made: list, shown: str) -> list:
        return sorted(made, key=lambda view: (collated(language, getattr(view, shown)), view.id))

    return (ordered([hero_view(world, h, say=say) for h in world.heroes], "name"),
            ordered([character_view(world, c, say) for c in world.characters], "name"),
            ordered([quest_view(world, q, say) for q in world.quests], "title"),
            ordered([story_view(world, s) for s in world.stories], "title"))


def _marks(world: World, line_id: str) -> tuple[tuple[str, str], ...]:
    """A name's or title's fallback marks as (attribute, value) pairs, A to Z: `lang`,
    `dir` and the class when the book shows it in the base language, () when it is
    translated (resolve/localized.py; the same marks the site and the choices carry)."""
    return tuple(sorted(fallback_marks(world, line_id).items()))


__all__ = ["BookInfo", "CharacterView", "HeroView", "QuestView", "StoryView", "book_info", "character_view",
           "compendium_views",
           "hero_view", "person", "quest_view", "story_view"]


def _book_prose(world: World, kind: str, eid: str, prose):
    """Prose as a book shows it: links to the site's pages made links to the published
    site, or their words (books/links.py); read from the entity's own page, as check
    reads them (HF0721)."""
    return book_prose(prose, in_site(entity_page(kind, eid)), world.project.config.project.base_url)
