"""A story document → a checked `Story`: front matter, scenes, and every choice's
condition and effects parsed and type-checked against what is in scope."""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import expr
from ..diagnostics import Diagnostics, Severity, Span, clip, code_span, did_you_mean, suggestion
from ..ids import SLUG_PATTERN, FreeSlugs, is_id, spell_name
from ..validate.entities import Entry
from ..load.documents import Document
from ..load.hygiene import unseen_note
from ..load.markdown import fits_budget, title_html, title_text
from ..load.yaml import YAML11_BOOLS
from ..load.titles import placed, report_prose_fields, report_tags, report_wordless, value_lines
from ..rules import RuleBook, hyphen_hint, hyphenated_name, report_expr_error
from ..validate.documents import display_name_hint, name_beside, salvage_document, told_name, validate_document
from .models import StoryFront
from .guidance import report_guidance
from .near_misses import report_printed_names
from .scenes import Choice, Scene, free_scene_ids, parse_scenes_cached

# Near-misses of a scene heading or a choice (stories/near_misses.py, scenes.py): the
# heading, the choice, or one of its attributes, was not read as written. Errors all:
# the build fails on the slip itself, so nothing it hides is published. (An unclosed
# fence, HF0539, is a warning: the errors about what it swallowed stay.)
SLIPS = frozenset({"HF0502", "HF0503", "HF0520", "HF0522", "HF0523", "HF0524", "HF0525", "HF0526",
                   "HF0527", "HF0528", "HF0529", "HF0530", "HF0531", "HF0533", "HF0534", "HF0535", "HF0538", "HF0540",
                   "HF0542"})

# Where a scene's id is written, for a hint naming it.
SCENE_ID = "the `{#…}` ending its heading"
# `{#bank` as typed in a heading: the id a scene was meant to have.
_SLUG = re.compile(SLUG_PATTERN)
_TYPED_ID = re.compile(r"\{[^{}\n]*?#[ \t]*([A-Za-z0-9_-]+)")

_TYPES = {bool: expr.Type.BOOL, int: expr.Type.NUMBER, str: expr.Type.STRING}


# a link in a scene's rendered prose (the sanitiser writes `<a href="…">`, attributes quoted)
_HREF = re.compile(r'<a\s[^>]*href="([^"]*)"')


@dataclass(frozen=True)
class Outline:
    """What resolving and checking a World read of a story's scenes, apart from what
    rendering reads: a story read back from the parse table keeps it beside its scenes
    (story_codec.KeptScenes), so a build that renders none of its pages does not decode
    its 6,000 scenes at 500 stories (~0.12 CPU-s). Made from the scenes by `outline_of`."""

    broken: bool   # Story.broken_expressions
    # (scene id, choice id, the variables its effects change) of each choice that changes
    # one, in the story's order (stories/quests.py: which variables a story can set)
    written: tuple[tuple[str, str, frozenset[str]], ...]
    # (scene id, each link of its prose but to a place on its own page (`#…`), unescaped,
    # in order) of each scene that has one (engine/outputs.py: HF0721)
    links: tuple[tuple[str, tuple[str, ...]], ...]


def outline_of(scenes: Mapping[str, Scene]) -> Outline:
    """The Outline of these scenes (every one read)."""
    broken, written, links = False, [], []
    for scene in scenes.values():
        for c in scene.choices:
            broken = broken or (c.condition is not None and c.condition_ast is None) or bool(c.effects and not c.effects_ast)
            names = expr.names_written(c.effects_ast)
            if names:
                written.append((scene.id, c.id, frozenset(names)))
        hrefs = tuple(h for h in (html.unescape(h) for h in _HREF.findall(scene.html)) if not h.startswith("#"))
        if hrefs:
            links.append((scene.id, hrefs))
    return Outline(broken, tuple(written), tuple(links))


@dataclass(frozen=True)
class Story:
    id: str
    front: StoryFront
    # in the order written; a story read back from the parse table decodes its scenes on
    # first use (story_codec.KeptScenes): ask `outline` for what resolving reads of them
    scenes: Mapping[str, Scene]
    scope: expr.Scope
    salvaged: bool = False            # the front matter failed validation (reported)
    title_html: str = ""              # `title:` as inline Markdown → HTML; front.title is its plain text
    # A scene heading or a choice was typed but could not be read (a near-miss,
    # reported at its line: SLIPS): the scenes and links as read are not the story the
    # writer wrote, so what follows from them (an ending "no choice leads to", a dead
    # end, a variable "no story can set") is not claimed beside the one real error.
    slipped: bool = False

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.ending]

    def choices(self):
        for scene in self.scenes.values():
            yield from ((scene, c) for c in scene.choices)

    def broken_expressions(self) -> bool:
        """Whether a choice's condition or effect did not parse or check (reported at it):
        what the story can set or reach is then not known."""
        return self.outline.broken

    @functools.cached_property
    def outline(self) -> Outline:
        """What resolving reads of the scenes (Outline): kept with scenes read back from
        the parse table, else made from them once (no dataclass field: not compared,
        not in the repr)."""
        kept = getattr(self.scenes, "outline", None)
        return kept if type(kept) is Outline else outline_of(self.scenes)


def load_story(doc: Document, rules: RuleBook, diags: Diagnostics, cache: Any = None) -> Entry[Story] | None:
    since = len(diags.items)
    # a front matter that could not be read is reported already: its fields are not
    # also "missing", and the scenes are checked with the fields salvaged
    front = validate_document(doc, StoryFront, diags) if doc.front_read else None
    _name_free_variables(doc, rules, diags, since)
    if (front is not None or not doc.front_read) and not fits_budget(doc.body, doc.path, doc.body_line, diags):
        return None   # too large to parse: one error, not a cascade about its scenes
    before = len(diags.items)
    parsed = parse_scenes_cached(doc, diags, cache)
    if any(d.code in ("HF0169", "HF0171") for d in diags.items[before:]):
        return None   # its links (or its text) were not all read: one error, not a cascade about its scenes
    slipped = any(d.code in SLIPS and d.severity is Severity.ERROR for d in diags.items[before:])
    salvaged = front is None
    if front is None:  # still check the scenes: one bad field must not hide the rest
        first = next((s.id for s in parsed if s.id), None)
        # a start the model takes: the first scene's id as meant when it is no slug
        # (`{#Road}`, HF0113 said at it), or the salvage failed and every other problem
        # of the story went unsaid (a choice's condition, two choices with one id)
        filled = first if first is None or is_id(first) else \
            next(free for s, free in zip(parsed, free_scene_ids([(s.id, s.title) for s in parsed])) if s.id)
        front = salvage_document(doc, StoryFront, {"start": filled or "start"})
        if front is None:
            return None
        if first is not None and "start" not in doc.data:
            front = front.model_copy(update={"start": first})
        if first is not None and is_id(first):
            _name_first_scene(doc, parsed, diags, since)
    # A title may carry inline Markdown, like a scene heading: one rendering of it for
    # HTML, and its plain text in `front.title` for everything that needs text.
    if not salvaged:
        # the title's span looked up only when something is said of it: a span decodes
        # the file's positions (500 stories, each clean, at 10,000 heroes)
        title_at = functools.cache(lambda: doc.span("title"))
        report_tags(front.title, title_at, diags, lambda: value_lines(doc, title_at()))
        report_wordless(front.title, title_at, diags, "story's title")
        report_prose_fields(doc, front, diags)   # the summary, as a YAML file's prose
    heading = str(title_html(front.title))
    front = front.model_copy(update={"title": title_text(front.title) or front.title})
    scope = story_scope(doc, front, rules, diags, salvaged)
    report_printed_names(doc.body, doc.body_line, doc.path, scope.names, diags)
    # the guidance a built-in template wrote for the writer to replace (`foundry new story`)
    summary = doc.data.get("summary") if isinstance(doc.data, dict) else None
    # the summary's place is looked up only when it is guidance: a span decodes the file's
    # positions, which a cold check keeps encoded for a clean story (test_cold_parse.py)
    report_guidance(doc, summary, lambda: _summary_span(doc, summary), diags)
    scenes = _index_scenes(doc, parsed, diags)
    # a scene under an id another has (HF0501) is dropped: the story as read is not the
    # one written, and "ending 'far' can never be reached: no choice leads here" was said
    # of the ending only the dropped scene's choice led to
    slipped = slipped or len(scenes) < sum(1 for s in parsed if s.id)
    # a scene id that is no slug (`{#Road}`, HF0113 at it, "Try `{#road}`"): what names
    # it as meant (`start: road`, `(#road)`) is right, not also an unknown scene each
    # A heading without an id told the id its story's choices lead to (HF0502, `## An
    # Ally Joins`: `{#ally}`): a choice to it is that one slip, not an unknown scene too
    wanted = [c.target for s in parsed for c in s.choices] if any(not s.id for s in parsed) else []
    frees = free_scene_ids([(s.id, s.title) for s in parsed], wanted)
    meant = {free: s.id for s, free in zip(parsed, frees) if free and s.id}
    misnamed = frozenset(m for m in meant if m not in scenes) \
        | frozenset(free for s, free in zip(parsed, frees) if free and not s.id and free in wanted)
    if not parsed:
        # at the first line after the front matter, or at its closing `---` if nothing follows
        where = doc.body_line if doc.body_line <= len(doc.source.lines) else max(doc.body_line - 1, 1)
        diags.add("HF0532", "this story has no scenes yet", Span(doc.path, where, 1),
                  hint=f"Write the first scene under the front matter: `## The Beginning {{#{front.start}}}`, "
                       "some prose, and a list of choices (`- [Go on](#next)`).")
    elif front.start not in scenes and front.start not in misnamed and not _is_salvaged_start(doc, front):
        diags.add("HF0304", f"start scene '{clip(front.start, 80)}' does not exist", doc.span("start"),
                  hint=display_name_hint(front.start, scenes, SCENE_ID, "title")
                  or suggestion(front.start, scenes, "Scenes are the `## Heading {#id}` lines."))
    if scenes and not slipped and not any(s.ending for s in scenes.values()):
        diags.add("HF0508", "the story has no ending", Span(doc.path, doc.body_line, 1))
    # ids typed in a heading that was not read as one (a slip, reported at its line):
    # a choice leading there is no second error
    unread = frozenset(_TYPED_ID.findall(doc.body)) - scenes.keys() if slipped else frozenset()
    unread |= misnamed
    since = len(diags.items)
    checked = {sid: _check_scene(scene, scenes, scope, diags, unread) for sid, scene in scenes.items()}
    _hint_quoted_values(doc, front, diags, since)
    return Entry("story", doc.id, Story(doc.id, front, checked, scope, salvaged, heading, slipped), doc)


def _summary_span(doc: Document, summary: object) -> Span | None:
    """Where the text of the story's `summary:` starts (its quote's column on), or None
    when it is no text."""
    if not isinstance(summary, str):
        return None
    span = doc.span("summary")
    return placed(span, value_lines(doc, span, ("summary",)), summary.strip())


def _name_free_variables(doc: Document, rules: RuleBook, diags: Diagnostics, since: int) -> None:
    """The hint of each variable not written as a name (HF0204, from `since` on) names
    one the hero's names leave free: validation sees the file alone, so `Wits:` was
    told 'Write it as `wits`', an attribute's name (HF0512 next)."""
    variables = doc.data.get("variables") if isinstance(doc.data, dict) else None
    if not isinstance(variables, dict) or len(diags.items) == since:
        return
    at = {}
    for key in variables:
        try:
            at[doc.key_span("variables", key)] = key
        except (KeyError, IndexError, TypeError):
            continue
    hero = frozenset(rules.hero_scope().names)
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        key = at.get(diag.span) if diag.code == "HF0204" else None
        if key is not None and diag.hint.startswith("Write it as"):
            diags.items[n] = dataclasses.replace(diag, hint=name_beside(variables, key, hero))


# HF0603's words of a name whose value is text where a number or true/false is needed
# (expr/types.py `want`): "… but 'coins' is text".
TEXT_USED = re.compile(r"but '([^']+)' is text$")
_NUMBER_TEXT = re.compile(r"[+-]?\d+")


def _name_first_scene(doc: Document, parsed: list[Scene], diags: Diagnostics, since: int) -> None:
    """The hint of HF0201 (from `since` on) at an empty `start:` names the story's first
    scene: it said "write text after it on the same line", where the text is a scene's
    id the file already holds."""
    first = next(s for s in parsed if s.id)
    if not isinstance(doc.data, dict) or "start" not in doc.data or doc.data["start"] is not None:
        return
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        if diag.code == "HF0201" and diag.message.startswith("'start' should be"):
            diags.items[n] = dataclasses.replace(diag, hint=(
                f"`start:` is empty: write the id of the scene the story begins with, e.g. `start: {first.id}` "
                f"(its first scene, {code_span(clip(first.title, 40))})."))


def _hint_quoted_values(doc: Document, front: StoryFront, diags: Diagnostics, since: int) -> None:
    """The hint of each HF0603 (from `since` on) at a use of a story variable declared
    as a number or true/false in quotes (`coins: "2"`, `crossed: "false"`: text to YAML)
    is quoted_value_hint's: the use was told "combine numbers with numbers", and the
    fix is at the declaration, which nothing named."""
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        found = TEXT_USED.search(diag.message) if diag.code == "HF0603" else None
        if found and (hint := quoted_value_hint(doc, front, found.group(1))):
            diags.items[n] = dataclasses.replace(diag, hint=hint)


def quoted_value_hint(doc: Document, front: StoryFront, name: str, named: bool = False) -> str | None:
    """The fix for story variable `name` of the story `doc` (front matter `front`)
    whose starting value is a number or true/false in quotes (`coins: "2"`): that line
    (with the file when `named`, for a use in another file), the value without quotes.
    A YAML 1.1 true/false word written plain (`crossed: no`, HF0519) too: each use was
    told "combine … true/false with true/false", the objective reading it "name a
    true/false variable: `crossed`" (the name it named). None when its value is
    anything else."""
    value = front.variables.get(name)
    plain = value.strip() if isinstance(value, str) else ""
    where = doc.span("variables", name)
    at = f"{doc.path}:{where.line}" if named else f"line {where.line}"
    if plain in YAML11_BOOLS and plain == value and _typed_plain(doc, where, value):
        word = "true" if YAML11_BOOLS[plain] else "false"
        return (f"'{name}' starts as the text '{clip(value, 20)}' ({at}: YAML 1.2 reads `{value}` as text): write "
                f"`{name}: {word}` under `variables:` to make it true or false.")
    if not (_NUMBER_TEXT.fullmatch(plain) or plain in ("true", "false")):
        return None
    return (f"'{name}' starts as the text \"{clip(value, 20)}\" (in quotes, {at}): write `{name}: {plain}` under "
            f"`variables:`, without quotes, to make it " + ("true or false." if plain in ("true", "false") else "a number."))


def _is_salvaged_start(doc: Document, front: StoryFront) -> bool:
    """True when `start` was not written validly (its problem is already reported)."""
    return doc.data.get("start") != front.start


def story_scope(doc: Document, front: StoryFront, rules: RuleBook, diags: Diagnostics,
                salvaged: bool = False) -> expr.Scope:
    """Story variables (writable) on top of the protagonist's attributes, derived stats
    and level (read-only). `salvaged`: the front matter failed validation (reported);
    a variable written under `variables:` (or a misspelt `varibles:`) but refused is
    `unsure` in the scope, read without a word (its "unknown name" would send the
    writer to a line that is reported already), while a name written nowhere is still
    an unknown name (a story with `ratio: 0.5` was told nothing of `unset nothing`)."""
    hero = rules.hero_scope()
    names = dict(hero.names)
    written = doc.data.get("variables") if isinstance(doc.data, dict) else None
    for name, value in front.variables.items():
        if name in hero.names:
            # the name the keys beside it leave free, those written wrong told theirs (HF0204)
            free = told_name(written, name, frozenset(hero.names)) if isinstance(written, dict) and name in written \
                else spell_name(name, {*hero.names, *front.variables})
            diags.add("HF0512", f"variable '{name}' has the name of a hero attribute or stat",
                      doc.key_span("variables", name),
                      hint=f"Rename the variable, for example to `{free}`: "
                           "conditions read the hero's value by this name.")
            continue
        if isinstance(value, str) and value in YAML11_BOOLS:
            _report_yaml11_bool(doc, name, value, diags)
        names[name] = _TYPES[type(value)]
    unsure, unsure_rest = _refused_variables(doc, front) if salvaged else (frozenset(), False)
    return expr.Scope(names, frozenset(n for n in front.variables if n not in hero.names),
                      hero.unsure | unsure, hero.unsure_rest or unsure_rest, hero.skills)


def _typed_plain(doc: Document, span: Span, value: str) -> bool:
    """Whether the value at `span` is `value` typed plain (not in quotes, nor a block
    scalar's `|`/`>`): what HF0519 says, and the writer did not ask for the text."""
    lines = doc.source.text.split("\n")
    line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    start = span.column - 1
    return bool(span.line) and start >= 1 and line[start - 1] not in ("'", '"') and line[start:start + len(value)] == value


def _report_yaml11_bool(doc: Document, name: str, value: str, diags: Diagnostics) -> None:
    """HF0519 (a warning) at a story variable's value written plain as one of YAML 1.1's
    true/false words (`crossed: no`): YAML 1.2 makes it a text variable, and the writer
    heard of it only at each `set crossed`, far from the line that caused it. Quoted
    (`answer: "no"`), the text is what the writer wrote and nothing is said."""
    span = doc.span("variables", name)
    # said only where the word itself is typed plain: a quoted value's position is its
    # text, just inside the quote; a block scalar's (`answer: >-` then `no`) is its `>`
    # or `|`, text the writer asked for as surely as quotes (and `&a`/`*a` are refused)
    if not _typed_plain(doc, span, value):
        return
    word = "true" if YAML11_BOOLS[value] else "false"
    diags.add("HF0519", f"variable '{name}' starts as the text '{value}', not {word}", span,
              hint=f"Write `{name}: {word}` if it is true or false (YAML 1.2 reads `{value}` as text), "
                   f"or `{name}: \"{value}\"` to keep the text.")


def _refused_variables(doc: Document, front: StoryFront) -> tuple[frozenset[str], bool]:
    """The names a salvaged front matter's `variables:` (or the key misspelt for it)
    wrote but the model left out, and whether that field was no mapping at all (then
    which names it meant is unknown: every unknown name is unsure)."""
    if not doc.front_read:   # no variable was read: which names it declares is unknown
        return frozenset(), True
    data = doc.data if isinstance(doc.data, dict) else {}
    fields = [k for k in data if k == "variables" or (isinstance(k, str) and k not in StoryFront.model_fields
                                                      and did_you_mean(k, ["variables"]) == "variables")]
    refused: set[str] = set()
    for key in fields:
        value = data[key]
        if not isinstance(value, dict):
            return frozenset(), True
        refused |= {spelt for k in value if k not in front.variables for spelt in _spellings(str(k))}
    return frozenset(refused), False


def _spellings(key: str) -> set[str]:
    """A refused variable's key and the names its uses likely spell it as: without the
    invisible or control marks it was refused for (HF0132: `\u200bcrossed` is used as
    `crossed`), in lowercase, with `_` for `-` (HF0204's `Gold-Coins` → `gold_coins`)."""
    visible = "".join(ch for ch in key if not unicodedata.category(ch).startswith(("C", "Z")))
    # and as HF0204's hint spells it (`– crossed`, an editor's dash for YAML's `-`: `crossed`)
    return {key, visible, visible.lower(), visible.lower().replace("-", "_"), spell_name(key)} - {""}


def _index_scenes(doc: Document, scenes: list[Scene], diags: Diagnostics) -> dict[str, Scene]:
    index: dict[str, Scene] = {}
    taken = FreeSlugs({s.id for s in scenes if s.id})   # and each id a hint named before
    uses: dict[str, int] = {}   # a third copy was "used twice" too
    for scene in scenes:
        if not scene.id:
            continue
        uses[scene.id] = uses.get(scene.id, 0) + 1
        if scene.id in index:
            free = taken.take(scene.id)
            times = "twice" if uses[scene.id] == 2 else f"{uses[scene.id]} times"
            diags.add("HF0501", f"scene id '{scene.id}' is used {times} (first at line {index[scene.id].span.line})",
                      scene.span, hint=f"Give this scene an id of its own, `{{#{free}}}` say, and lead the "
                                       "choices meant for it there: scene ids are unique within a story.")
            continue
        index[scene.id] = scene
    return index


def _check_scene(scene: Scene, scenes: dict[str, Scene], scope: expr.Scope, diags: Diagnostics,
                 unread: frozenset[str] = frozenset()) -> Scene:
    seen: dict[str, Choice] = {}
    checked = []
    # every choice id of the scene and each one a hint named before (three choices to
    # one scene without ids: the second and third were both told `{id="bank-2"}`)
    taken = FreeSlugs({c.id for c in scene.choices})
    for choice in scene.choices:
        if choice.target not in scenes and choice.target not in unread:
            # (`(#wait\u00ad)`, a soft hyphen pasted in: the message names what it shows not)
            diags.add("HF0304", f"choice '{choice.text[:40]}' leads to unknown scene '{clip(choice.target, 80)}'"
                      + unseen_note(choice.target),
                      choice.target_span,   # `(#tracks-in-the-mud)`: the heading's title, not its id
                      hint=display_name_hint(choice.target, scenes, SCENE_ID, "title") or suggestion(choice.target, scenes, listing=True))
        if choice.id in seen:
            # (an id made from the target, `scene--target`, is no slug a writer may type)
            free = taken.take(choice.id if choice.authored_id else choice.target)
            diags.add("HF0511", f"two choices in scene '{scene.id}' have the id '{choice.id}'", choice.span,
                      hint=f"Both lead to '{choice.target}'; give this one `{{id=\"{free}\"}}`." if not choice.authored_id
                      else f"Give this one an id of its own, `{{id=\"{free}\"}}` say: its translation and voice-over "
                           "are keyed by it.")
            # read as its hint names it (as a misspelt `{id=…}` is, scenes.py `_name_free`):
            # the analysis keys choices by id, so the second's findings went to the
            # first's line (or were held back), and showed up only once this was fixed
            choice = dataclasses.replace(choice, id=free)
        seen[choice.id] = choice
        checked.append(_check_choice(choice, scope, diags))
    if all(new is old for new, old in zip(checked, scene.choices)):
        return scene   # nothing to fill in: the same scene (16,000 copies a load at 10,000 heroes)
    return dataclasses.replace(scene, choices=tuple(checked))


def _check_choice(choice: Choice, scope: expr.Scope, diags: Diagnostics) -> Choice:
    if choice.condition is None and choice.effects is None and choice.condition_ast is None \
            and choice.effects_ast == ():
        return choice   # no expression to check: what a replace would make, without the copy
    condition = effects = None
    if choice.condition is not None:
        condition = _parse(choice.condition, choice.condition_span, scope, diags, is_effect=False)
    if choice.effects is not None:
        effects = _parse(choice.effects, choice.effects_span, scope, diags, is_effect=True)
    return dataclasses.replace(choice, condition_ast=condition, effects_ast=tuple(effects or ()))


def _parse(text: str, span: Span, scope: expr.Scope, diags: Diagnostics, is_effect: bool):
    what = "effect" if is_effect else "condition"
    try:
        parsed = expr.parse_effects(text) if is_effect else expr.parse_expression(text)
    except expr.ExprError as err:
        joined = hyphenated_name(text, scope.names)
        if joined is not None:   # `gold-coins -= 2`: "expected '=' after 'gold'" says nothing of why
            err.hint = hyphen_hint(*joined)
        report_expr_error(err, span, diags, what)
        return None
    if is_effect:
        problems = expr.check_effects(parsed, scope)
    else:
        found, problems = expr.check_all(parsed, scope)
        if not problems and found is not expr.Type.BOOL:
            diags.add("HF0603", f"a condition must be true or false, but this gives {found.noun}", span)
            return None
    for err in problems:
        if err.code == "HF0602" and err.message.startswith("unknown name"):
            joined = hyphenated_name(text, scope.names, err.offset)
            if joined is not None and joined[2] < err.offset:
                continue    # `coins` of `gold-coins`: the slip is said once, at `gold`
            err.hint = hyphen_hint(*joined) if joined is not None else _declare_hint(text, err)
        report_expr_error(err, span, diags, what)
    return None if problems else parsed


# Words other tools (YAML 1.1, INI, SQL) read as true or false, where a writer meant one.
_YES_NO = {"yes": "true", "no": "false", "on": "true", "off": "false"}


def _declare_hint(text: str, err: expr.ExprError) -> str:
    """Where an undeclared story variable is declared, with a starting value of the type
    its use implies (`gold += 1` → `gold: 0`, `set met` → `met: false`)."""
    name = text[err.offset: err.offset + err.length]
    if name in _YES_NO:
        # `crossed == yes`: YAML 1.1's and other tools' word for true, not a variable to declare
        return f"`{name}` is no value of the expression language: write `{_YES_NO[name]}`."
    before, after = text[: err.offset].rstrip(), text[err.offset + err.length:].lstrip()
    if before.endswith(("set", "unset")) or after.startswith(("and", "or")) or not after:
        value = "false"
    elif after[:1] in "\"'" or after.startswith(("= \"", "=\"", "== \"", "==\"", "= '", "== '")):
        value = '""'
    else:
        value = "0"
    declare = f"if `{name}` is a new story variable, add `{name}: {value}` under `variables:` in this story's front matter."
    # a near name first ("Did you mean 'gold'? Or, …"); a mere list of names gives way to the fix
    if err.hint and err.hint.startswith("Did you mean"):
        return f"{err.hint.rstrip()} Or, {declare}"
    return declare[0].upper() + declare[1:]
