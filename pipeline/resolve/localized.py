"""The World in one language: a new, frozen view built from the World and the
translations, which every exporter renders exactly as it renders the World.

    localized(world, "de")  →  a World whose names, titles, prose, choices and
                               objectives are German (or the base language's text
                               where a line is not translated), whose configured
                               language is "de", and whose `locale` says so

The World itself is never changed (issue 13 makes it immutable): each table is
rebuilt with copies of the entities (`model_copy`, `dataclasses.replace`), and what
is not text — scene graphs, conditions, sheets, reports — is shared, not copied.
Because the language travels in `project.config.project.language`, every exporter
that already sets `lang`/`dir` from it (site, EPUB, PDF) comes out right without
knowing about translations.

A line shown in the base language because it has no translation is marked where the
output can carry it: a prose paragraph gets `lang` (and `dir`) of the base language
and the class `l10n-fallback`, and `Locale.fallback` lists every such line id for
the build report and for templates.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from markupsafe import escape

from ..diagnostics import Diagnostics
from ..l10n.scripts import text_direction
from ..load.markdown import choice_words, is_plain_title, title_forms, title_html, title_text
from ..l10n.lines import field_paragraphs, paragraph_ids, relationship_note_ids
from ..l10n.pseudo import is_pseudo
from ..l10n.state import MISSING, STALE, Localization


@dataclass(frozen=True)
class Locale:
    """Which language a localized World shows, and how each line was found.

    `texts`: line id → the text shown; `fallback`: line ids shown in the base
    language (no translation); `stale`: translations made from an older source;
    `languages`: every output language, the base first (for hreflang and switchers);
    `via`: line id → the listed language whose translation is shown instead of one of
    this language's own (`pt`'s on a `pt-BR` page: l10n/state.py Resolved.via)."""

    language: str
    base: str
    languages: tuple[str, ...]
    texts: Mapping[str, str]
    fallback: frozenset[str] = frozenset()
    stale: frozenset[str] = frozenset()
    via: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    @property
    def is_base(self) -> bool:
        return self.language == self.base

    @functools.cached_property
    def _under(self) -> dict[str, list[str]]:
        """Every line id under each of its prefixes (`hero.rook.background` for
        `hero.rook.background.p1`), in the order of `texts`: made once per Locale."""
        index: dict[str, list[str]] = {}
        for line_id in self.texts:
            at = line_id.find(".")
            while at > 0:
                index.setdefault(line_id[:at], []).append(line_id)
                at = line_id.find(".", at + 1)
        return index

    def under(self, prefix: str) -> list[str]:
        """The line ids `prefix.…` (a prose field's paragraphs), in the order of `texts`.
        Looked for among all of `texts` for each field, 4,000 heroes in three languages
        took 117 CPU-s of check (1.8 without languages)."""
        return self._under.get(prefix, [])

    def lang_of(self, line_id: str) -> str:
        """The language the line is shown in: the base language's for a fallback, the
        one it falls back to for a line shown from that one (`via`)."""
        return self.base if line_id in self.fallback else self.via.get(line_id, self.language)

    def marks(self, line_id: str) -> dict[str, str]:
        """HTML attributes of the element showing this line: its id, and for a line
        shown in the base language, that language (and direction) and a class; for a
        line shown from the language this one falls back to (`pt`'s words on a `pt-BR`
        page), that language (and direction), and no class: it is translated."""
        out = {"data-line": line_id}
        shown_in = self.lang_of(line_id)
        if line_id in self.fallback:
            out |= {"lang": self.base, "class": "l10n-fallback"}
        elif shown_in != self.language:
            out["lang"] = shown_in
        if shown_in != self.language and text_direction(shown_in) != self.direction:
            out["dir"] = text_direction(shown_in)
        return out

    def fallback_marks(self, line_id: str) -> dict[str, str]:
        """The marks of a single line (a heading, a choice, a name) shown in another
        language than the page's — the base language's (`lang`, `dir` when it differs,
        the class) or the one it falls back to (`lang`, `dir`) — or {} for a line in
        the page's own, so a template adds nothing to a page that needs no mark."""
        if line_id not in self.fallback and line_id not in self.via:
            return {}
        return {k: v for k, v in self.marks(line_id).items() if k != "data-line"}


def fallback_marks(world: Any, line_id: str) -> dict[str, str]:
    """Locale.fallback_marks of the World's language; {} for a World in no language."""
    locale = getattr(world, "locale", None)
    return locale.fallback_marks(line_id) if locale is not None else {}


def config_marks(world: Any) -> dict[str, str]:
    """The marks of what foundry.toml says — the world's name and description, never
    translated — where the World's language is another: the base language's `lang`,
    and its `dir` where that differs. They went out unmarked, so an English world's
    description in its Arabic compendium and on its Arabic home page was laid out right
    to left (its full stop at the start of its last line) and read aloud as Arabic. {}
    in the base language and outside a localized World, so those outputs are unchanged."""
    locale = getattr(world, "locale", None)
    if locale is None or locale.is_base:
        return {}
    marks = {"lang": locale.base}
    if text_direction(locale.base) != locale.direction:
        marks["dir"] = text_direction(locale.base)
    return marks


def in_base(world: Any, line_id: str, shown: Any, text: str = "", block: bool = False) -> Any:
    """`shown` (a line's HTML, a Markup; else its plain `text`, escaped) inside an
    element carrying the line's fallback marks (lang, dir, class l10n-fallback) when the
    World's language shows it in the base language — a span, or a div for `block`
    prose (a summary); `shown` as it is otherwise, so every other output is unchanged.
    For HTML an exporter builds from views (the site, the books)."""
    marks = fallback_marks(world, line_id)
    if not marks or not (shown or text):
        return shown
    from markupsafe import Markup, escape
    tag = "div" if block else "span"
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in marks.items())
    return Markup(f"<{tag}{attrs}>") + escape(Markup(shown) if shown else text) + Markup(f"</{tag}>")


def prose_in_base(world: Any, prefix: str, shown: Any) -> Any:
    """A YAML prose field's HTML (`shown`: a hero's or character's background, whose
    paragraphs are the lines `prefix.<marker>`) as a page or book shows it in the World's
    language: paragraphs shown in the base language carry its marks (lang, dir, class),
    as a story's paragraphs do. They went out unmarked, so an English background in an
    Arabic book was laid out right to left (its full stop at the left, a line past the
    column's edge) and read aloud as Arabic. Every paragraph in the base language: the
    whole field in one marked div (rendered as it is); some: each paragraph rendered on
    its own, the base-language ones marked. `shown` as it is for a translated field and
    outside a localized World, so those outputs are unchanged."""
    locale = getattr(world, "locale", None)
    if locale is None or locale.is_base or not shown:
        return shown
    ids = locale.under(prefix)
    fallen = [lid for lid in ids if lid in locale.fallback or lid in locale.via]
    if not fallen:
        return shown
    if len(fallen) == len(ids) and len({locale.lang_of(lid) for lid in ids}) == 1:
        return in_base(world, ids[0], shown, block=True)
    from markupsafe import Markup
    from ..load.markdown import render_prose
    memo = getattr(world, "prose", None)
    # each paragraph rendered with the field's link definitions, as the whole field is:
    # a `[a map][m]` whose `[m]: …` is a paragraph of its own was shown as typed
    defined = "".join(f"\n\n{locale.texts[lid]}" for lid in ids if _only_definitions(locale.texts[lid]))
    return Markup("").join(in_base(world, lid, Markup(render_prose(locale.texts[lid] + defined, memo)), block=True)
                           for lid in ids)


def _only_definitions(text: str) -> bool:
    """Whether a paragraph of prose is link reference definitions only (nothing shown)."""
    from ..load.markdown import markdown
    if "]:" not in text:
        return False
    env: dict = {}
    return not markdown().parse(text, env) and bool(env.get("references"))


def label(world: Any, line_id: str, text: str) -> Any:
    """A rule-book label (an attribute's, skill's, derived stat's or relationship
    kind's name or description: plain text, load/titles.py RULE_LABELS) as a page or
    book shows it: `text` itself, or, when the World's language shows it in the base
    language, a span carrying the line's marks (in_base) — the one mechanism for every
    line a reader sees. `text` empty (the rule has no such label): itself."""
    return in_base(world, line_id, None, text) if text and fallback_marks(world, line_id) else text


def described(world: Any, line_id: str, loc: tuple, text: str) -> Any:
    """A rule's `description` or `name` (an attribute's, a derived stat's or a skill's:
    `loc` its path in the rule file, ("skills", id, "description")) as the page
    presenting it shows it (a description's line, a skill's heading on a hero's page):
    inline Markdown, as a hero template's description is — its emphasis and code in
    HTML (a Markup, inside the fallback marks as `label` gives them), its plain `text`
    where it has none; a mention of a name (a table's header, a stat line) is `label`'s. `Read *trails* in mud` was shown 'Read trails in mud' on a hero's page
    while docs/formats.md calls a description prose. A translation is read as written
    too (the translated line's own text), so the page shows the translator's markup."""
    locale = getattr(world, "locale", None)
    written = _translated(locale, line_id) if locale is not None else None
    if written is None:
        written = getattr(getattr(world, "rules", None), "written", {}).get(loc)
    if not text or not written or is_plain_title(written):
        return label(world, line_id, text)
    # title_forms: a short description is parsed once per process, not once per hero page
    return in_base(world, line_id, title_forms(written)[1], text)


def output_languages(world: Any, output: str | None = None) -> tuple[str, ...]:
    """Every language the outputs (or the one named `output`: html, pdf…) are made in,
    the base language first; () for a project without [l10n] languages, or an output
    left out of `[l10n] outputs` (its outputs stay exactly as they always were).
    A pseudo-locale is made into outputs only with `[l10n] build_pseudo = true`.
    A language listed again in other letters (`EN` beside the base `en`, `en-US` after
    `en-us`: HF0751, l10n/check.py) is made once, as first spelled: each spelling's
    outputs go to one folder (site/en-us/), and planned twice they were an HF0704 and a
    false HF0720 at every content file for each page. So is one listed under two tags
    (`iw` after `he`, l10n/tags.py `language_key`): it was translated and published twice."""
    l10n: Localization | None = getattr(world, "l10n", None)
    if l10n is None or not l10n.languages:
        return ()
    chosen = world.project.config.l10n.outputs
    if output is not None and chosen is not None and output not in chosen:
        return ()
    from ..l10n.check import translatable_language
    from ..l10n.tags import language_key
    pseudo = world.project.config.l10n.build_pseudo
    base = language_key(l10n.base)
    others: dict[str, str] = {}   # by the language the tag names (HF0751's key): the first spelling
    for lang in l10n.languages:
        key = language_key(lang)
        if key != base and translatable_language(lang) and (pseudo or not is_pseudo(lang)):
            others.setdefault(key, lang)
    return (l10n.base, *others.values()) if others else ()


def localized(world: Any, language: str) -> Any:
    """The World as read in `language`, made once per World (`World.views`): a World
    made later from this one by `dataclasses.replace` (its git history added) has views
    of its own, so what the builder adds after checking is in every view. `world` must
    be a World as loaded, not one already read in a language (`unlocalized`)."""
    view = world.views.get(language)
    if view is None:
        view = world.views[language] = dataclasses.replace(world, **_localize(world, language), origin=world)
    return view


def unlocalized(world: Any) -> Any:
    """The World a localized one was read from (`world` itself when it is not one)."""
    return world.origin if world.origin is not None else world


def _localize(world: Any, language: str) -> dict[str, Any]:
    l10n: Localization = world.l10n
    resolved = l10n.resolve(language)
    texts = {r.line.id: r.text for r in resolved}
    missing = frozenset(r.line.id for r in resolved if r.status == MISSING and not is_pseudo(language))
    locale = Locale(language, l10n.base, output_languages(world) or (l10n.base,), MappingProxyType(texts),
                    missing if language != l10n.base else frozenset(),
                    frozenset(r.line.id for r in resolved if r.status == STALE),
                    MappingProxyType({r.line.id: r.via for r in resolved if r.via and r.status != MISSING}))
    config = world.project.config
    project = dataclasses.replace(world.project, config=config.model_copy(
        update={"project": config.project.model_copy(update={"language": language})}))
    return dict(
        project=project, locale=locale,
        heroes={hid: _person("hero", e, locale) for hid, e in world.heroes.items()},
        characters={cid: _person("character", e, locale) for cid, e in world.characters.items()},
        templates={tid: _template(e, locale) for tid, e in world.templates.items()},
        relationships=_edges(world.relationships, locale),
        quests={qid: _quest(e, locale) for qid, e in world.quests.items()},
        stories={sid: _story(e, locale) for sid, e in world.stories.items()},
        rules=_rules(world.rules, locale))


def _text(locale: Locale, line_id: str, current: str) -> str:
    return locale.texts.get(line_id, current)


def _translated(locale: Locale, line_id: str) -> str | None:
    """The translation `locale` shows for `line_id`, as the translator wrote it (inline
    Markdown for a name, title or choice), or None where the line shows what the base
    language's file wrote (the base language itself, or a line not translated). The one
    test of whether a title is read from its translation: a scene heading and a story's
    title were taken as untranslated when their translation was the base title's plain
    text, so `*Star* Road` (the source `\\*Star\\* Road`) kept the base's escaped stars in
    the German heading, ink and Twee, while the string table read it as Markdown."""
    text = locale.texts.get(line_id)
    return None if text is None or locale.is_base or line_id in locale.fallback else text


def _prose(locale: Locale, prefix: str, current: str) -> str:
    """A YAML prose field from its paragraphs' lines (`prefix.<marker>` or `.pN`)."""
    found = [locale.texts[lid] for lid in locale.under(prefix)]
    written = field_paragraphs(current)
    # The base language keeps the field exactly as written (its spacing, its final newline).
    return "\n\n".join(found) if found and found != written else current


def _title(locale: Locale, line_id: str, current: str, html: dict, loc: tuple) -> str:
    """A name or title field in the locale: its plain text, its HTML put in `html` at
    `loc` (Entry.inline_html). A translation is inline Markdown as its source is
    (load/titles.py): `Rook *Amsel*` was published with its asterisks in the page
    heading, `<title>` and JSON. The base text and a fallback keep what loading made."""
    text = _translated(locale, line_id)
    if text is None:
        return current
    if is_plain_title(text):
        html.pop(loc, None)    # Entry.html escapes the plain text: the same
        return text
    html[loc] = str(title_html(text))
    return title_text(text) or text


def _choice(locale: Locale, line_id: str, choice: Any) -> Any:
    """A scene's choice in the locale: where a translation is shown, its plain words
    and the translation as written (`Choice.source`, which the choice's HTML is rendered
    from), read as the story reads the base language's (load/markdown.py choice_forms:
    typography, an image's alt text; read as a title, `"Geh"` kept straight quotes and
    `...` three dots the base language's button sets as “Go” and …); otherwise the
    choice as loaded."""
    shown = _translated(locale, line_id)
    if shown is None:
        return choice
    return dataclasses.replace(choice, text=choice_words(shown) or shown, source=shown)


def _person(kind: str, entry: Any, locale: Locale) -> Any:
    model, key = entry.model, f"{kind}.{entry.id}"
    html = dict(entry.inline_html)
    update = {name: _title(locale, f"{key}.{name}", getattr(model, name), html, (name,))
              for name in ("name", "title", "role") if isinstance(getattr(model, name, None), str)}
    if model.background.strip():
        update["background"] = _prose(locale, f"{key}.background", model.background)
    ids = relationship_note_ids(kind, entry.id, [(rel.with_, rel.kind) for rel in model.relationships])
    notes = [rel.model_copy(update={"note": _title(locale, lid, rel.note, html, ("relationships", i, "note"))})
             if rel.note else rel for i, (rel, lid) in enumerate(zip(model.relationships, ids))]
    if any(new is not old for new, old in zip(notes, model.relationships)):
        update["relationships"] = notes
    return dataclasses.replace(entry, model=model.model_copy(update=update), inline_html=MappingProxyType(html))


def _template(entry: Any, locale: Locale) -> Any:
    """A hero template with its name in the locale (the hero pages and sheets show it)."""
    html = dict(entry.inline_html)
    name = _title(locale, f"template.{entry.id}.name", entry.model.name, html, ("name",))
    return dataclasses.replace(entry, model=entry.model.model_copy(update={"name": name}),
                               inline_html=MappingProxyType(html))


def _edges(edges: Any, locale: Locale) -> Any:
    """The relationship graph with each note in the locale (its line: Edge.line), in the
    base language's order, so every language draws the graph alike."""
    from ..stories.relationships import Edges

    def shown(edge: Any) -> Any:
        # whether the note is translated is _translated's to say, not its plain text's:
        # a translation spelling the base note's words without its emphasis (`*fog*`
        # translated `fog`) kept the base's <em> on every page and sheet
        if not edge.note or _translated(locale, edge.line) is None:
            return edge
        html: dict = {}
        note = _title(locale, edge.line, edge.note, html, ("note",))
        return dataclasses.replace(edge, note=note, note_html=html.get(("note",)) or str(escape(note)))

    return Edges(shown(edge) for edge in edges)


def _quest(entry: Any, locale: Locale) -> Any:
    model, key = entry.model, f"quest.{entry.id}"
    html = dict(entry.inline_html)
    objectives = [o.model_copy(update={"text": _title(locale, f"{key}.objective.{o.id}", o.text, html,
                                                      ("objectives", i, "text"))})
                  for i, o in enumerate(model.objectives)]
    return dataclasses.replace(entry, inline_html=MappingProxyType(html), model=model.model_copy(update={
        "title": _title(locale, f"{key}.title", model.title, html, ("title",)),
        "summary": _text(locale, f"{key}.summary", model.summary), "objectives": objectives}))


def _story(entry: Any, locale: Locale) -> Any:
    from ..stories.scenes import parse_scenes   # stories import l10n's markers: not at module load
    story, sid, doc = entry.model, entry.id, entry.doc
    key = f"story.{sid}"
    ids = {scene.id: paragraph_ids(sid, scene, doc) for scene in story.scenes.values()}

    def prose(scene_id: str, n: int, markdown: str):
        known = ids.get(scene_id, ())
        if n >= len(known):
            return None
        line_id = known[n][0]
        return locale.texts.get(line_id, markdown), locale.marks(line_id)

    # The body is parsed again with each paragraph swapped (its problems were
    # reported when the World was loaded, so they are not collected twice).
    references: dict = {}   # a heading's `[Waiting][w]` is read with the story's definitions
    parsed = {s.id: s for s in parse_scenes(doc, Diagnostics(), prose, references) if s.id}
    scenes = {}
    for scene_id, scene in story.scenes.items():
        shown = parsed.get(scene_id, scene)
        written = _translated(locale, f"{key}.scene.{scene_id}")
        # a translated choice is inline Markdown as its source is: its words as written
        # (Choice.html) are the translation's
        choices = tuple(_choice(locale, f"{key}.choice.{c.id}", c) for c in scene.choices)
        plain, heading = (scene.title, scene.title_html) if written is None else title_forms(written, references)
        scenes[scene_id] = dataclasses.replace(
            scene, title=scene.title if written is None else (plain or written), title_html=str(heading), html=shown.html,
            text=shown.text, words=shown.words, paragraphs=shown.paragraphs, choices=choices)
    written = _translated(locale, f"{key}.title")
    heading = story.title_html if written is None else str(title_html(written))
    # the front matter's title is plain text wherever it is shown (JSON, <title>, ink)
    plain = story.front.title if written is None else (title_text(written) or written)
    front = story.front.model_copy(update={"title": plain,
                                           "summary": _text(locale, f"{key}.summary", story.front.summary)})
    return dataclasses.replace(entry, model=dataclasses.replace(story, front=front, scenes=scenes, title_html=heading))


def _rules(rules: Any, locale: Locale) -> Any:
    """The rule book with its labels (attribute, skill, derived stat and relationship
    names, descriptions) in the language; formulas and numbers shared."""
    # labels are plain text in every output (load/titles.py RULE_LABELS): so are their translations
    def labelled(model: Any, key: str) -> Any:
        update = {name: _title(locale, f"{key}.{name}", getattr(model, name), {}, ())
                  for name in ("name", "description") if getattr(model, name, "")}
        return model.model_copy(update=update) if update else model

    return dataclasses.replace(
        rules,
        attributes={aid: labelled(rule, f"rules.attribute.{aid}") for aid, rule in rules.attributes.items()},
        derived={did: dataclasses.replace(
                     stat, name=_title(locale, f"rules.derived.{did}.name", stat.name, {}, ()),
                     description=_title(locale, f"rules.derived.{did}.description", stat.description, {}, ())
                     if stat.description else "")
                 for did, stat in rules.derived.items()},
        skills={kid: dataclasses.replace(skill, rule=labelled(skill.rule, f"rules.skill.{kid}"))
                for kid, skill in rules.skills.items()},
        relationship_kinds={rid: labelled(kind, f"rules.relationship.{rid}") for rid, kind in
                            rules.relationship_kinds.items()})
