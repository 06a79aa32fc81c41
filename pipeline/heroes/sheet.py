"""A hero checked against the rule book, and everything computed from it.

This is the seed's AttributeCalculator and ProgressionTracker: the effective
attributes (defaults ← template chain ← the hero's own), the point budget, the level
from XP, skills and their requirements, and the derived stats at every level.
"""

from __future__ import annotations

import functools
import math
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Mapping

from .. import expr
from ..diagnostics import Diagnostics, Span, clip, code_span, did_you_mean, near_budget, suggestion
from ..validate.documents import left_out
from ..validate.entities import Entry
from ..queries import Codec, DecodedOnRead
from ..rules import RuleBook
from ..rules.book import failing_formula_hint
from ..rules.reach import known_budget
from .models import Character, Hero, HeroTemplate
from ..load.titles import placed, value_lines
from .templates import NEW_CHARACTER_QUESTION, NEW_HERO_QUESTION, NEW_QUEST_OBJECTIVE, TemplateDefaults, template_defaults

SKILLS_HINT = "Skills are defined in schemas/skills.yaml."
ATTRS_HINT = "Attributes are defined in schemas/attributes.yaml."


@dataclass(frozen=True)
class HeroSheet:
    id: str
    template_chain: tuple[str, ...]
    attributes: dict[str, int]           # effective values, in rule-book order
    level: int
    xp: int
    xp_next: int | None                  # total XP for the next level; None at max level
    budget_used: int
    budget_available: int | None         # None when the rules set no budget
    skills: tuple[str, ...]
    items: tuple[str, ...]
    derived_by_level: tuple[dict[str, int], ...]   # index 0 is level 1

    def derived(self, level: int | None = None) -> dict[str, int]:
        return self.derived_by_level[(level or self.level) - 1] if self.derived_by_level else {}

    def env(self, level: int | None = None) -> dict[str, int]:
        """The names a condition about this hero can read."""
        lvl = level or self.level
        return {**self.attributes, **self.derived(lvl), "level": lvl}


_INT = frozenset({int})


def _ints(value: Any) -> dict[str, int]:
    # JSON keys are always text: only the values need a look (their types, by map: 11
    # tables a sheet, 10,000 sheets a build at 10,000 heroes)
    if type(value) is not dict or not _INT.issuperset(map(type, value.values())):
        raise TypeError("not a stored table of whole numbers")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a stored list of names")
    return tuple(value)


def _int(value: Any, optional: bool = False) -> Any:
    if type(value) is int or (optional and value is None):
        return value
    raise TypeError("not a stored whole number")


def _encode_sheet(sheet: HeroSheet) -> list:
    return [sheet.id, list(sheet.template_chain), sheet.attributes, sheet.level, sheet.xp, sheet.xp_next,
            sheet.budget_used, sheet.budget_available, list(sheet.skills), list(sheet.items),
            list(sheet.derived_by_level)]


def _decode_sheet(data: Any, inputs: tuple) -> HeroSheet:
    """The sheet _encode_sheet kept; TypeError or ValueError for any other shape."""
    hid, chain, attributes, level, xp, xp_next, used, available, skills, items, derived = data
    if not isinstance(hid, str) or not isinstance(derived, list):
        raise TypeError("not a stored sheet")
    return HeroSheet(hid, _names(chain), _ints(attributes), _int(level), _int(xp), _int(xp_next, True),
                     _int(used), _int(available, True), _names(skills), _names(items),
                     tuple([_ints(row) for row in derived]))


# compute_hero's answers kept between processes (pipeline/queries.py): a sheet is plain data
SHEET_CODEC = Codec(_encode_sheet, _decode_sheet)


class StoredSheet:
    """A hero's sheet as a summary keeps it (resolve/summaries.py), not decoded yet: its
    row and what decoding it needs (`_decode_sheet`'s inputs: the entry, the rule book,
    the template chain's defaults it was computed with). `sheet()` decodes it once; a
    row in another shape, or of another hero, gives the sheet computed again from the
    same inputs (what computing it reported is the summary's, said already: the same
    function of the same inputs)."""

    __slots__ = ("row", "inputs", "_sheet")

    def __init__(self, row: Any, inputs: tuple) -> None:
        self.row, self.inputs, self._sheet = row, inputs, None

    def sheet(self) -> HeroSheet:
        if self._sheet is None:
            entry, rules, defaults = self.inputs
            try:
                made = _decode_sheet(self.row, self.inputs)
            except (TypeError, ValueError, KeyError):
                made = None
            self._sheet = made if made is not None and made.id == entry.id \
                else compute_hero(entry, rules, defaults, Diagnostics())
            self.row = None
        return self._sheet


class Sheets(DecodedOnRead, MutableMapping):
    """The World's sheets, hero id → HeroSheet, in the order they were put. A
    `StoredSheet` put in (an unchanged hero's, from its summary) is decoded on its first
    read: a build after one edit reads a few hundred of 10,000 before it renders (the
    players of the stories), and decoding every one was ~0.07 CPU-s of its serial path.
    Equal to, and printed, pickled and copied as, the dict of the decoded sheets."""

    def __init__(self, items: Any = ()) -> None:
        self._data: dict[str, HeroSheet | StoredSheet] = dict(items)

    def __getitem__(self, hid: str) -> HeroSheet:
        value = self._data[hid]
        if type(value) is StoredSheet:
            value = self._data[hid] = value.sheet()
        return value

    def __setitem__(self, hid: str, sheet: HeroSheet | StoredSheet) -> None:
        self._data[hid] = sheet

    def __delitem__(self, hid: str) -> None:
        del self._data[hid]

    def keyed(self) -> dict[str, HeroSheet | StoredSheet]:   # noqa: D102 (DecodedOnRead's)
        return self._data

    def decoded(self) -> dict[str, HeroSheet]:
        """Every sheet, decoded, as a dict (a new one)."""
        return {hid: self[hid] for hid in self._data}

    def stored(self) -> set[str]:
        """The ids whose sheets are not decoded yet (a test's question)."""
        return {hid for hid, v in self._data.items() if type(v) is StoredSheet}


def sheet_of(value: HeroSheet | StoredSheet) -> HeroSheet:
    """The sheet itself, decoded if it was stored."""
    return value.sheet() if type(value) is StoredSheet else value


def budget_at(rules: RuleBook, level: int) -> int | None:
    if rules.budget is None:
        return None
    return rules.budget.base + rules.budget.per_level * (level - 1)


def effective_attributes(model: Hero | Character, entry: Entry, rules: RuleBook, defaults: TemplateDefaults,
                         diags: Diagnostics) -> dict[str, int]:
    """Defaults ← template ← own values; each value checked against its range where written."""
    values: dict[str, int] = {}
    for name, rule in rules.attributes.items():
        # the entry that wrote the value; its span is looked up only for a diagnostic
        # (a document's positions are decoded on first use: load/yaml.py Positions)
        if name in model.attributes:
            value, where = model.attributes[name], entry
        elif name in defaults.attributes:
            value, where = defaults.attributes[name], defaults.sources[name]
        else:
            value, where = rule.default, None
        if where is entry:   # a template's own value is said at the template (check_template_rules)
            _check_range(name, value, rule, entry, diags)
        values[name] = value
    for name in model.attributes:
        if name not in rules.attributes and not rules.dropped_name("attributes", name):
            diags.add("HF0309", f"unknown attribute '{name}'", entry.key_span("attributes", name),
                      hint=suggestion(name, rules.attributes, ATTRS_HINT))
    return values


def _check_range(name: str, value: int, rule: Any, entry: Entry, diags: Diagnostics) -> None:
    """HF0404 at `entry`'s `attributes.<name>` when `value` is outside `rule`'s range."""
    if not rule.min <= value <= rule.max:
        diags.add("HF0404", f"{name} {value} is outside its range {rule.min}–{rule.max}",
                  entry.span("attributes", name),
                  hint=f"{ATTRS_HINT[:-1]} ({name}: min {rule.min}, max {rule.max}).")


def check_template_rules(templates: Mapping[str, Entry[HeroTemplate]], rules: RuleBook, diags: Diagnostics,
                         cyclic: frozenset[str] | set[str] = frozenset()) -> None:
    """Each hero template's own attributes and skills against the rule book, at the
    template's line (HF0309, HF0404, HF0308, HF0405), whether or not a hero uses it: an
    attribute typo there (`agilty: 12`) was dropped without a word, a value out of range
    was said only for a hero that took it without writing its own (never for a template
    no hero used yet, or whose heroes all wrote theirs), and a skill typo was reported
    only at the `template:` line of every hero using it, never where it is fixed.
    `cyclic`: the templates in an `extends` cycle (HF0409), whose chain is not judged."""
    for tid, entry in templates.items():
        for name in entry.model.attributes:
            if name in rules.attributes:
                _check_range(name, entry.model.attributes[name], rules.attributes[name], entry, diags)
            elif not rules.dropped_name("attributes", name):
                diags.add("HF0309", f"unknown attribute '{name}'", entry.key_span("attributes", name),
                          hint=suggestion(name, rules.attributes, ATTRS_HINT))
        for index, sid in enumerate(entry.model.skills):
            if sid not in rules.skills and not rules.dropped_name("skills", sid):
                diags.add("HF0308", f"unknown skill '{sid}'", entry.span("skills", index),
                          hint=suggestion(sid, rules.skills, SKILLS_HINT))
        _template_budget(tid, templates, rules, diags, cyclic)


def _template_budget(tid: str, templates: Mapping[str, Entry[HeroTemplate]], rules: RuleBook,
                     diags: Diagnostics, cyclic: frozenset[str] | set[str]) -> None:
    """HF0405 at a template whose attributes (with those of what it extends) spend more
    points above the defaults than a hero has at max_level: no hero can take them as
    they are. It passed check, each hero made from it was told HF0405 with "or raise the
    hero's level" (no level covers it), and only `foundry new hero` refused it. Said at
    each template of the chain that raises an attribute itself; values out of range
    counted at their maximum (HF0404 there), as a hero's are."""
    entry = templates[tid]
    available = known_budget(rules)
    if available is None or tid in cyclic or "attributes" in left_out(entry.doc.data, entry.model) \
            or not any(v > rules.attributes[a].default for a, v in entry.model.attributes.items() if a in rules.attributes):
        return
    defaults = template_defaults(tid, templates, set(cyclic))
    spent = _template_spent(defaults, rules)
    used = sum(spent.values())
    if used <= available:
        return
    chain = defaults.chain
    extends = f" (with {', '.join(repr(t) for t in chain[1:])}, which it extends)" if len(chain) > 1 else ""
    diags.add("HF0405", f"hero template '{tid}'{extends} spends {used} points above the defaults, and a hero has "
              f"at most {available} (at level {rules.max_level}): no hero can take its values as they are",
              entry.span("attributes"),
              hint=f"Spent above defaults: {', '.join(f'{a} +{v}' for a, v in spent.items())}. Lower them by "
                   f"{used - available} in total, or raise `point_budget` in schemas/attributes.yaml.")


def _template_spent(defaults: TemplateDefaults, rules: RuleBook) -> dict[str, int]:
    """The points each attribute of a template chain spends above its default, in the
    rule book's order (a value past its range counted at the maximum)."""
    return {a: min(defaults.attributes[a], rule.max) - rule.default for a, rule in rules.attributes.items()
            if a in defaults.attributes and min(defaults.attributes[a], rule.max) > rule.default}


def compute_hero(entry: Entry[Hero], rules: RuleBook, defaults: TemplateDefaults, diags: Diagnostics,
                 cache: Any = None) -> HeroSheet:
    unsure = _unsure(entry, defaults)
    if not unsure:
        return _compute_hero(entry, rules, defaults, diags, cache)
    found = Diagnostics()
    sheet = _compute_hero(entry, rules, defaults, found, cache)
    diags.extend([d for d in found.items if d.code not in unsure])
    return sheet


# What a rule check reads of the hero's file, by the checks that would be false when that
# field did not validate and was left out (its default used): `xp: "120"` made the hero
# level 1, and check said "skill 'ambush' needs level 2; rook is level 1" beside the one
# real error; `template: Scout` left out the template's skills ("ambush needs tracking").
_READS = {"xp": ("HF0405", "HF0407", "HF0408", "HF0410"), "level": ("HF0405", "HF0407", "HF0408", "HF0410"),
          "attributes": ("HF0405", "HF0408"), "skills": ("HF0406", "HF0408"),
          "template": ("HF0405", "HF0406", "HF0408"), "extends": ("HF0405", "HF0406", "HF0408")}


# What a story's analysis reads of the hero who plays it, by the fields of the hero's file
# or of its template chain that give it: "values" (attributes, the derived stats and level
# made from them and from XP: a condition's names), "skills" (has_skill), "items" (has,
# give, take). A template gives all three.
_PLAYED = {"attributes": {"values"}, "xp": {"values"}, "level": {"values"}, "skills": {"skills"},
           "items": {"items"}, "template": {"values", "skills", "items"}, "extends": {"values", "skills", "items"}}


def played_in_doubt(entry: Entry[Hero], defaults: TemplateDefaults, rules: RuleBook) -> frozenset[str]:
    """What a story reads of this hero that is not what was written, the error being
    the hero's (reported there): of "values", "skills", "items" (`_PLAYED`), those a
    field in its file or template chain gives that did not validate and was left out
    (`agility: "13"`, an empty `attributes:`, `xp: ten`), or whose attribute or skill
    is not the rules' (`agilty: 13`, HF0309: the default played). Her story then said
    "`agility >= 12` is never true" and "scene 'tracks' can never be reached" (an error)
    beside the hero's one slip; a story that reads none of them is played as written
    (resolve/world.py players_unsure). Empty when nothing is in doubt."""
    doubt: set[str] = set()
    for name in left_out(entry.doc.data, entry.model) | defaults.left_out:
        doubt |= _PLAYED.get(name, set())
    hero = entry.model
    if any(a not in rules.attributes for a in (*hero.attributes, *defaults.attributes)):
        doubt.add("values")
    if any(s not in rules.skills for s in (*hero.skills, *defaults.skills)):
        doubt.add("skills")
    if "values" not in doubt and rules.derived \
            and failing_stats(effective_attributes(hero, entry, rules, defaults, Diagnostics()), rules):
        doubt.add("values")   # a derived stat with no number for her (HF0411): 0 is not hers
    return frozenset(doubt)


def _unsure(entry: Entry[Hero], defaults: TemplateDefaults) -> frozenset[str]:
    """The codes of the checks `_READS` names for each field of the hero's file, or of a
    template of its chain, that did not validate and was left out, wholly or in part
    (validate/documents.py: its error is reported there); empty for a hero whose file
    and templates validated."""
    fields = left_out(entry.doc.data, entry.model) | defaults.left_out
    return frozenset(code for k in fields if k in _READS for code in _READS[k])


def _compute_hero(entry: Entry[Hero], rules: RuleBook, defaults: TemplateDefaults, diags: Diagnostics,
                  cache: Any = None) -> HeroSheet:
    hero = entry.model
    # the near names of the hero's unknown attributes, then of its unknown skills, each
    # within a budget (diagnostics.near_budget): one hero of 600 skill slips among 600
    # skills was 600 x 600 comparisons, twice. Not the derived stats between them: rows
    # shared by heroes alike (derived_cached) must not hang on one hero's slips.
    with near_budget():
        attributes = effective_attributes(hero, entry, rules, defaults, diags)
    level = _level(entry, rules, diags)
    used, available = _budget(entry, attributes, rules, level, diags)
    skills = tuple(dict.fromkeys((*defaults.skills, *hero.skills)))
    items = tuple(dict.fromkeys((*defaults.items, *hero.items)))
    derived = derived_cached(entry, attributes, rules, diags, cache)
    sheet = HeroSheet(entry.id, defaults.chain, attributes, level, hero.xp, _xp_next(rules, level),
                      used, available, skills, items, derived)
    with near_budget():
        _check_skills(entry, sheet, rules, defaults, diags)
    if hero.background:
        report_unanswered(entry, defaults.prompts, diags)
    return sheet


def report_unanswered(entry: Entry[Hero] | Entry[Character], prompts: tuple[str, ...], diags: Diagnostics) -> None:
    """HF0186 at the first line of the hero's (or character's) background that is
    still a question `foundry new` wrote there for the writer to answer (one of its
    template chain's `prompts`, or NEW_HERO_QUESTION / NEW_CHARACTER_QUESTION with its
    name): left unanswered, the page published the question as its story, and check
    said nothing."""
    name = entry.doc.data.get("name")
    question = NEW_HERO_QUESTION if entry.kind == "hero" else NEW_CHARACTER_QUESTION
    named = question.format(name=name) if isinstance(name, str) else None
    background = entry.model.background
    # a line that is a question, spaces aside, holds the question's first word: a
    # background holding none of them (nearly every one) is not looked at line by
    # line (~10 µs a hero, ~0.1 CPU-s of a cold check at 10,000 heroes: cold55)
    if not any(word in background for word in _prompt_words(prompts)) and (
            named is None or not any(word in background for word in _first_words((named,)))):
        return
    typed = _typed_question(background, (*prompts, *([named] if named is not None else [])))
    if typed is None:
        return
    left = " ".join(typed.split())
    span = entry.span("background")
    diags.add("HF0186", f"the background still holds the question `foundry new {entry.kind}` wrote there: "
              f"{code_span(clip(left, 60))}", placed(span, value_lines(entry.doc, span, ("background",)), typed),
              hint=f"Answer it in the {entry.kind}'s own words and delete the question: the background is published "
                   f"as written, on the {entry.kind}'s page and in every output.")


def _typed_question(background: str, asked: tuple[str, ...]) -> str | None:
    """The first line of `background` that is a line of one of `asked`, spaces aside
    (stripped, as typed), or None."""
    questions = {" ".join(line.split()) for prompt in asked for line in prompt.splitlines() if line.strip()}
    # the line as typed is looked for in the file (a question with spaces doubled inside
    # was said at `background:` itself), the spaces-aside one compared and quoted
    return next((line.strip() for line in background.splitlines() if " ".join(line.split()) in questions), None)


def _first_words(asked: tuple[str, ...]) -> frozenset[str]:
    """The first word of each line of `asked`."""
    return frozenset(line.split()[0] for prompt in asked for line in prompt.splitlines() if line.strip())


# a template chain's prompts, shared by its heroes: their first words found once
_prompt_words = functools.lru_cache(maxsize=64)(_first_words)


def report_unanswered_objectives(entry: Entry[Any], diags: Diagnostics) -> None:
    """HF0186 at each objective of a quest whose text is still the one `foundry new
    quest` wrote (NEW_QUEST_OBJECTIVE, spaces aside), at that text: left so, the quest
    was published with the question as the thing to do, and check said nothing. An
    objective of the writer's own, a question or not, is not said."""
    asked = " ".join(NEW_QUEST_OBJECTIVE.split())
    for i, objective in enumerate(entry.model.objectives):
        text = getattr(objective, "text", None)   # (a salvaged quest's objective may lack it)
        if not isinstance(text, str) or " ".join(text.split()) != asked:
            continue
        diags.add("HF0186", f"objective '{objective.id}' still holds the question `foundry new quest` wrote there: "
                  f"{code_span(asked)}", entry.span("objectives", i, "text"),
                  hint="Write in its place what the hero must do, in your own words (e.g. `text: \"Find the "
                       "bell-ringer\"`): the objective is published as written, in the quest log and in every output.")


def _level(entry: Entry[Hero], rules: RuleBook, diags: Diagnostics) -> int:
    hero = entry.model
    from_xp = rules.level_for_xp(hero.xp)
    if hero.level is None or "progression" in rules.unreadable:
        return from_xp   # (max_level unknown: its file's error is said there, not here)
    # A table in error (HF0402 at it) still has its max_level: `level: 9` of five is this
    # hero's own slip, and was hidden with the levels read from the table. Past both
    # max_level and the table's length (either may be the one in error) it is one.
    if hero.level > rules.max_level and (not rules.levels_unknown() or hero.level > len(rules.xp_for_level)):
        # "use a level from 1 to max_level" followed (`level: 5` of 0 XP) was HF0410: the
        # level to write is the one the hero's XP gives
        diags.add("HF0412", f"level {hero.level} is above max_level {rules.max_level}", entry.span("level"),
                  hint=None if rules.levels_unknown() else
                  f"Write the level {hero.xp} XP gives, `level: {from_xp}`, or remove `level:` to compute it from "
                  f"XP (`xp: {rules.xp_for_level[-1]}` is level {len(rules.xp_for_level)}, the highest).")
        return from_xp
    if rules.levels_unknown():
        # the table in error (its file's error is said there, not here): a `level: 2`
        # right for 150 XP by the table meant was "disagrees, level 3" beside it
        return from_xp
    if hero.level != from_xp:
        diags.add("HF0410", f"level {hero.level} disagrees with {hero.xp} XP, which is level {from_xp}",
                  entry.span("level"), hint=_level_hint(rules, hero.level))
    return hero.level


def _level_hint(rules: RuleBook, level: int) -> str:
    low = rules.xp_for_level[level - 1] if level <= len(rules.xp_for_level) else None
    high = rules.xp_for_level[level] - 1 if level < len(rules.xp_for_level) else None
    if low is None:
        return ""
    span = f"{low}–{high}" if high is not None else f"{low} or more"
    return f"Level {level} needs {span} XP; remove `level:` to compute it from XP."


def _xp_next(rules: RuleBook, level: int) -> int | None:
    return rules.xp_for_level[level] if level < min(rules.max_level, len(rules.xp_for_level)) else None


def _budget(entry: Entry[Hero], attributes: dict[str, int], rules: RuleBook, level: int,
            diags: Diagnostics) -> tuple[int, int | None]:
    used = sum(max(0, v - rules.attributes[a].default) for a, v in attributes.items())
    available = budget_at(rules, level)
    # A value above its range is HF0404 at the value, and the writer changes it anyway:
    # counted at its maximum here, so `agility: 99` (meant 9) is one error, not also
    # "78 over budget"; a hero over budget even so is told that, with those counts.
    counted = {a: min(v, rules.attributes[a].max) for a, v in attributes.items()}
    spent_in_range = sum(max(0, v - rules.attributes[a].default) for a, v in counted.items())
    if available is not None and spent_in_range > available:
        # the level whose budget covers them, if any: past max_level's, "raise the
        # hero's level" led nowhere; a hero taking them all from her template is told
        # at the template, where they are lowered (check_template_rules)
        covers = next((k for k in range(level + 1, rules.max_level + 1)
                       if spent_in_range <= (budget_at(rules, k) or 0)), None)
        if covers is None and "attributes" not in entry.doc.data and entry.model.template \
                and known_budget(rules) is not None:
            return used, available
        over = spent_in_range - available
        spent = ", ".join(f"{a} +{v - rules.attributes[a].default}" for a, v in counted.items()
                          if v > rules.attributes[a].default)
        capped = [a for a, v in attributes.items() if v != counted[a]]
        note = f" (counting {', '.join(capped)} at {'its' if len(capped) == 1 else 'their'} maximum)" if capped else ""
        diags.add("HF0405", f"{spent_in_range} points spent, {available} available at level {level}: "
                  f"{over} over budget{note}", _budget_span(entry),
                  hint=f"Spent above defaults: {spent}. Lower some attribute by {over} in total"
                       + (f", or give the hero the XP for level {covers}"
                          # her `level:` with it: the XP alone made it disagree (HF0410)
                          + (f" (xp: {rules.xp_for_level[covers - 1]}"
                             + (f", level: {covers})." if entry.model.level is not None else ").")
                             if not rules.levels_unknown() else ".")
                          if covers is not None else
                          f" (no level covers them: a hero has at most {budget_at(rules, rules.max_level)} at level "
                          f"{rules.max_level})."))
    return used, available


def _budget_span(entry: Entry[Hero]) -> Span:
    """The hero's own attributes; with none written, the template they all come from."""
    if "attributes" not in entry.doc.data and entry.model.template:
        return entry.span("template")
    return entry.span("attributes")


def derived_cached(entry: Entry, attributes: dict[str, int], rules: RuleBook, diags: Diagnostics,
                   cache: Any = None) -> tuple[dict[str, int], ...]:
    """Derived stats depend only on the rules and the attribute values: heroes with the
    same values, and every unchanged hero on the next check, reuse the result."""
    if cache is None:
        return _derived_shared(entry, attributes, rules, diags)
    key = cache.key_of("derived", sorted(rules.sources.items()), sorted(attributes.items()))
    hit = cache.get(key)
    if _rows_shape(hit, rules):   # a sealed row in another shape is a miss
        return tuple(hit)
    before = len(diags.items)
    rows = derived_by_level(entry, attributes, rules, diags)
    if len(diags.items) == before:  # a failing formula names the hero: never reuse that
        cache.put(key, list(rows))
    return rows


# The rows each set of attribute values gave under the last rule book this process used
# (held, so its id names no other object): a cold check at 10,000 heroes computes every
# sheet in the parse pool's parent, whose work the workers wait for, and its heroes hold
# ~5,000 distinct value sets; derived_by_level was a quarter of a sheet's cost (building
# 30 cells per hero after each formula's memo, expr.evaluate_each, found its column).
# Only plain ints are keys (True == 1 as a key, not to the evaluator: evaluate_each's
# rule), and only rows that reported nothing are kept (a failing formula names the hero).
# The rows are shared between sheets: nothing writes to a sheet's rows once made.
_SHARED: list[Any] = [None, {}]   # [the rule book, {values: rows}]
SHARED_KEPT = 1 << 16


def _derived_shared(entry: Entry, attributes: dict[str, int], rules: RuleBook,
                    diags: Diagnostics) -> tuple[dict[str, int], ...]:
    """derived_by_level's rows for these values under `rules`, made once per process for
    each distinct set of values (see _SHARED); what it reports is reported as made."""
    book, kept = _SHARED
    if book is not rules or len(kept) >= SHARED_KEPT:
        kept = {}
        _SHARED[:] = [rules, kept]
    if not all(type(v) is int for v in attributes.values()):
        return derived_by_level(entry, attributes, rules, diags)
    key = tuple(attributes.items())
    rows = kept.get(key)
    if rows is not None:
        return rows
    before = len(diags.items)
    rows = derived_by_level(entry, attributes, rules, diags)
    if len(diags.items) == before:
        kept[key] = rows
    return rows


def _rows_shape(hit: Any, rules: RuleBook) -> bool:
    """Whether a cached value is derived_by_level's: a row per level, a whole number per stat."""
    return (isinstance(hit, list) and len(hit) == rules.max_level
            and all(isinstance(row, dict) and list(row) == list(rules.derived)
                    and all(type(v) is int for v in row.values()) for row in hit))


def failing_stats(attributes: dict[str, int], rules: RuleBook) -> frozenset[str]:
    """The derived stats these attribute values have no number for at some level: a
    formula failing for them (HF0411, said once at the formula) or past the rule book's
    budget (HF0608). Their rows hold 0, which is not the hero's: a check reading one
    judged the 0 ("'w' has ratio 0", "`ratio > 3` is never true") beside the one slip."""
    levels = range(1, rules.max_level + 1)
    return frozenset(stat.id for stat in rules.derived.values() if stat.id in rules.uncomputed or any(
        type(answer) is expr.ExprError for answer in expr.evaluate_each(stat.formula.ast, attributes, "level", levels)))


def derived_by_level(entry: Entry, attributes: dict[str, int], rules: RuleBook,
                     diags: Diagnostics) -> tuple[dict[str, int], ...]:
    """Each derived stat at levels 1..max_level from the effective attributes: a row per
    level, a whole number per stat (0 where its formula fails). A failing formula is
    reported once, at its first failing level (none for one the rule book reported
    already: rules.failing), in the order the rows are read: by level, then stat."""
    levels = range(1, rules.max_level + 1)
    # each formula over every level at once, kept by the values it reads (expr.evaluate_each):
    # 10,000 heroes share a few hundred attribute values per formula
    # a stat past the rule book's budget (HF0608) is 0 everywhere: never evaluated
    columns = [(stat, expr.evaluate_each(stat.formula.ast, attributes, "level", levels)
                if stat.id not in rules.uncomputed else [0] * len(levels))
               for stat in rules.derived.values()]
    rows: list[dict[str, int]] = [{} for _ in levels]
    failures: list[tuple[int, int, Any, expr.ExprError]] = []   # (level, stat's place, stat, error)
    for order, (stat, answers) in enumerate(columns):
        first = None
        for level, row, answer in zip(levels, rows, answers):
            if type(answer) is expr.ExprError:
                row[stat.id] = 0
                first = first or (level, order, stat, answer)
            else:
                # Derived stats are whole numbers: fractions round down, as in most tabletop rules.
                row[stat.id] = math.floor(answer) if isinstance(answer, float) else int(answer)
        if first is not None and stat.id not in rules.failing:
            failures.append(first)
    for level, _, stat, err in sorted(failures, key=lambda f: f[:2]):
        diags.add("HF0411", f"formula for '{stat.id}' fails for {entry.id} at level {level}: {err.message}",
                  stat.formula.span.shifted(err.offset, err.length), hint=failing_formula_hint(err))
    return tuple(rows)


def _check_skills(entry: Entry[Hero], sheet: HeroSheet, rules: RuleBook, defaults: TemplateDefaults,
                  diags: Diagnostics) -> None:
    # the skills an unknown one was likely meant as (`trackng`: 'tracking'): its HF0308
    # says "did you mean"; "ambush needs 'tracking'" beside it would be one slip said twice
    # (each looked up once: the hint says the same name, and a second lookup drew again
    # on the sheet's budget, so past half of it no hint had its near name)
    meant = {sid: did_you_mean(sid, rules.skills) for sid in sheet.skills if sid not in rules.skills}
    likely = set(meant.values())
    # a requirement reading a derived stat the hero has no number for is not judged: its
    # HF0411 is the one slip (computed once, when a requirement asks)
    failed = functools.cache(lambda: failing_stats(sheet.attributes, rules))
    for sid in sheet.skills:
        # found only for a diagnostic: the hero's positions are decoded on first use (load/yaml.py)
        span = functools.partial(_skill_span, entry, sid, defaults)
        skill = rules.skills.get(sid)
        if skill is None and rules.dropped_name("skills", sid):
            continue   # skills.yaml's error about it is the problem, reported there
        if skill is None:
            # a template's unknown skill is HF0308 at the template (check_template_rules),
            # where it is fixed: said again at every hero using it, one slip was N+1 errors
            if sid in entry.model.skills:
                diags.add("HF0308", f"unknown skill '{sid}'", span(),
                          hint=(f"Did you mean '{meant[sid]}'? " + SKILLS_HINT) if meant[sid] else
                          suggestion(sid, rules.skills, SKILLS_HINT))
            continue
        for pre in skill.rule.prerequisites:
            if pre not in sheet.skills and pre not in likely:
                diags.add("HF0406", f"skill '{sid}' needs '{pre}', which {entry.id} does not have", span(),
                          hint=_missing_hint(pre, sid, entry, sheet, rules))
        # a min_level past the XP table is the rule's fault (HF0412 at schemas/skills.yaml, or a
        # progression.yaml that did not load); and a table in error gives no level to compare
        if sheet.level < skill.rule.min_level <= min(rules.max_level, len(rules.xp_for_level)) \
                and not rules.levels_unknown():
            needed = rules.xp_for_level[skill.rule.min_level - 1]
            # a hero writing `level:` too: the XP alone raised was HF0410 (level 2 disagrees with 250 XP)
            diags.add("HF0407", f"skill '{sid}' needs level {skill.rule.min_level}; {entry.id} is level {sheet.level}",
                      span(), hint=f"Level {skill.rule.min_level} needs {needed} XP" + (
                          f": write `xp: {needed}` and `level: {skill.rule.min_level}`, or remove `level:`."
                          if entry.model.level is not None else "."))
        if skill.requires is not None and sid not in rules.unmeetable \
                and not (rules.derived.keys() & expr.names_used(skill.requires.ast)
                         and failed() & expr.names_used(skill.requires.ast)) \
                and not _holds_somewhere(skill.requires.ast, sheet, rules):
            env = sheet.env()
            # a level read from an XP table in error is no fact about the hero to show
            unknown = rules.by_level() if rules.levels_unknown() else frozenset()
            values = ", ".join(f"{n} {env[n]}" for n in sorted(expr.names_used(skill.requires.ast))
                               if n in env and n not in unknown)
            diags.add("HF0408", f"skill '{sid}' requires {code_span(clip(skill.requires.text, 80))}, which {entry.id} does not meet",
                      span(), hint=_unmet_hint(skill.requires.ast, entry.id, values, sheet))


def _missing_hint(pre: str, sid: str, entry: Entry[Hero], sheet: HeroSheet, rules: RuleBook) -> str:
    """HF0406's hint: add the prerequisite `pre` or remove `sid`, with what `pre` asks
    that the hero does not have yet (its level and XP, its `requires` with her values,
    its own prerequisites): "add 'tracking'" followed was HF0407 and HF0408 at once when
    tracking needs level 3 and `wits >= 14`. The level as HF0405 gives it: with the
    `level:` to write beside the XP when the hero writes hers (else HF0410)."""
    hid, skill = entry.id, rules.skills.get(pre)
    needs = []
    if skill is not None:
        level = skill.rule.min_level
        if sheet.level < level <= min(rules.max_level, len(rules.xp_for_level)) and not rules.levels_unknown():
            needs.append(f"level {level} (xp: {rules.xp_for_level[level - 1]}"
                         + (f", level: {level})" if entry.model.level is not None else ")"))
        if skill.requires is not None and pre not in rules.unmeetable \
                and not _holds_somewhere(skill.requires.ast, sheet, rules):
            env = sheet.env()
            unknown = rules.by_level() if rules.levels_unknown() else frozenset()
            values = ", ".join(f"{n} {env[n]}" for n in sorted(expr.names_used(skill.requires.ast))
                               if n in env and n not in unknown)
            needs.append(f"{code_span(clip(skill.requires.text, 80))}" + (f" ('{hid}' has {values})" if values else ""))
        missing = [p for p in skill.rule.prerequisites if p not in sheet.skills]
        if missing:
            needs.append("the skill" + ("s " if len(missing) > 1 else " ") + ", ".join(f"'{p}'" for p in missing))
    if not needs:
        return f"Add '{pre}' to skills, or remove '{sid}'."
    return f"Add '{pre}' to skills, which needs {'; and '.join(needs)}; or remove '{sid}'."


def _unmet_hint(ast, hid: str, values: str, sheet: HeroSheet) -> str:
    """HF0408's hint: the hero's values the requirement reads, and the skills and items it
    asks about (`has_skill('rogue')`, `has('rope')`) with whether she holds them. Of a
    requirement reading skills alone (`not has_skill('rogue')`, two skills excluding each
    other) the code's hint, "raise the attribute the skill requires", was given: there
    is none to raise. "" (the code's hint) when it reads attributes alone."""
    asked = dict.fromkeys((node.func, node.args[0].value) for node in expr.walk(ast)
                          if isinstance(node, expr.Call) and node.func in ("has", "has_skill")
                          and len(node.args) == 1 and isinstance(node.args[0], expr.String))
    if not asked:
        return f"'{hid}' has {values}." if values else ""
    held = [f"{'holds' if name in sheet.skills else 'does not hold'} skill '{name}'" if func == "has_skill"
            else f"{'carries' if name in sheet.items else 'does not carry'} '{name}'" for func, name in asked]
    facts = ([f"has {values}"] if values else []) + held
    listed = facts[0] if len(facts) == 1 else ", ".join(facts[:-1]) + " and " + facts[-1]
    reads = "skills" + (" or items" if any(func == "has" for func, _ in asked) else "") + (" or values" if values else "")
    return f"'{hid}' {listed}. Change the hero's {reads} to meet it, or remove the skill."


def _holds_somewhere(ast, sheet: HeroSheet, rules: RuleBook) -> bool:
    """Whether a skill's `requires` holds for the hero at the level the XP table gives;
    while the table is in error (RuleBook.levels_to_try) and the condition reads the
    level, at some level a hero may be at: `level >= 3` was "not met" by a level read
    from a table whose one error is said at progression.yaml (as `min_level` is not
    compared then), while `agility >= 12 and level >= 1` failing at every level still is.
    Past max_level no level is tried (progression.yaml did not load): not claimed."""
    if not rules.levels_unknown() or not rules.by_level() & expr.names_used(ast):
        return _holds(ast, sheet)
    levels = rules.levels_to_try()   # None: max_level unknown too, nothing to claim
    return levels is None or any(_holds(ast, sheet, level) for level in levels)


def _holds(ast, sheet: HeroSheet, level: int | None = None) -> bool:
    try:
        return expr.evaluate(ast, sheet.env(level), skills=frozenset(sheet.skills),
                             items=frozenset(sheet.items)) is True
    except expr.ExprError:
        return False


def _skill_span(entry: Entry[Hero], sid: str, defaults: TemplateDefaults) -> Span:
    if sid in entry.model.skills:
        return entry.span("skills", entry.model.skills.index(sid))
    return entry.span("template") if entry.model.template else entry.span("skills")


def first_level_for(rules: RuleBook, defaults: TemplateDefaults, owner: Entry) -> tuple[int | None, list[str]]:
    """The lowest level at which a new hero made from a template chain (`defaults`),
    with no values, skills or items of her own, passes check: the points spent within
    the budget, each skill's min_level reached, its prerequisites given by the chain and
    its `requires` met. (None, why not at max_level) when there is none. `owner`: the
    template, named in a formula's failure (discarded). `foundry new hero --template`
    wrote `xp: 0` whatever the template needed: a `brawler` giving a level-2 skill made
    a hero that failed check as written."""
    attributes = {a: defaults.attributes.get(a, r.default) for a, r in rules.attributes.items()}
    spent = sum(max(0, min(v, rules.attributes[a].max) - rules.attributes[a].default) for a, v in attributes.items())
    rows = derived_by_level(owner, attributes, rules, Diagnostics())
    skills, items = frozenset(defaults.skills), frozenset(defaults.items)
    why: list[str] = []
    for level in range(1, min(rules.max_level, len(rules.xp_for_level)) + 1):
        why = []
        available = budget_at(rules, level)
        if available is not None and spent > available:
            why.append(f"it spends {spent} points above the defaults, and a hero has {available} at level {level}")
        env = {**attributes, **rows[level - 1], "level": level}
        for sid in defaults.skills:
            skill = rules.skills.get(sid)
            if skill is None:
                continue   # HF0308 at the template
            if skill.rule.min_level > level:
                why.append(f"skill '{sid}' needs level {skill.rule.min_level}")
            missing = [p for p in skill.rule.prerequisites if p not in skills]
            if missing:
                why.append(f"skill '{sid}' needs '{missing[0]}', which the template does not give")
            if skill.requires is not None and skill.requires.ast is not None:
                try:
                    held = expr.evaluate(skill.requires.ast, env, skills=skills, items=items) is True
                except expr.ExprError:
                    held = False
                if not held:
                    why.append(f"skill '{sid}' requires {code_span(clip(skill.requires.text, 60))}")
        if not why:
            return level, []
    return None, why
