"""schemas/ → the rule book: attributes, derived stats, progression, skills, relationship kinds.

The rule files are content too (a designer edits them in a pull request), so they
are checked like content: every problem at its line and column.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import expr
from ..confine import boundary
from ..cycles import leading_to
from ..diagnostics import Diagnostics, Span, clip, code_span, did_you_mean, suggestion
from ..expr.errors import OVERFLOW
from ..ids import id_words
from ..load import rowjson
from ..load.documents import load_yaml_file
from ..load.hygiene import file_name_problem, without_refused
from ..load.titles import plain_rule_labels
from ..load.yaml import Positions
from ..validate.documents import left_out, salvage_data, validate_data
from ..validate.duplicates import report_repeats
from .models import (AttributeRule, AttributesFile, DerivedRule, PointBudget, ProgressionFile,
                     RelationshipKind, RelationshipsFile, SkillRule, SkillsFile)
from .reach import Tries, never_met, out_of_tries, said_out_of_tries, unmet_hint

RULE_FILES = {
    "attributes": ("schemas/attributes.yaml", AttributesFile),
    "progression": ("schemas/progression.yaml", ProgressionFile),
    "skills": ("schemas/skills.yaml", SkillsFile),
    "relationships": ("schemas/relationships.yaml", RelationshipsFile),
}
SCHEMAS_HINT = "Attributes are defined in schemas/attributes.yaml."
# RuleBook.dropped's sections → the RULE_FILES section of the file that defines them
_FILE_OF = {"derived": "attributes", "kinds": "relationships"}


@dataclass(frozen=True)
class Formula:
    """An expression from a rule or content file, parsed once, with where it stands."""

    text: str
    ast: Any
    span: Span


@dataclass(frozen=True)
class DerivedStat:
    id: str
    name: str
    formula: Formula
    description: str = ""   # plain text (load/titles.py RULE_LABELS); as written in RuleBook.written


@dataclass(frozen=True)
class Skill:
    id: str
    rule: SkillRule
    requires: Formula | None
    span: Span


@dataclass
class RuleBook:
    attributes: dict[str, AttributeRule] = field(default_factory=dict)
    budget: PointBudget | None = None
    derived: dict[str, DerivedStat] = field(default_factory=dict)
    max_level: int = 1
    xp_for_level: tuple[int, ...] = (0,)
    skills: dict[str, Skill] = field(default_factory=dict)
    relationship_kinds: dict[str, RelationshipKind] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # rule file path → sha256 of its text
    # rule file path → the digest of its value (its data and positions, `value_digest`):
    # what an output reading the rules is fresh by, so a comment in a rule file
    # re-renders nothing (World.input_hashes `rules`; early cutoff, load/byte_reads.py)
    values: dict[str, str] = field(default_factory=dict)
    spans: dict[tuple[str, str], Span] = field(default_factory=dict)  # (section, id) → where defined
    failing: set[str] = field(default_factory=set)  # derived stats whose formula fails (already reported)
    # derived stats past MAX_DERIVED_STEPS (HF0608, an error): in scope, never computed (0)
    uncomputed: set[str] = field(default_factory=set)
    # skills whose `requires` no hero can meet (HF0413 at it): the rule's fault, not
    # said again at each hero holding the skill (HF0408, whose hint could not be followed)
    unmeetable: set[str] = field(default_factory=set)
    # What a rule file in error held that the book lacks, its error reported there (the
    # file was salvaged: validate/documents.py salvage_data). (section, name): an
    # attribute, skill or relationship kind written but left out, which a check that
    # finds it unknown does not report again (one problem, one diagnostic); and the
    # fields left out in part (`xp_for_level: [0, 1_000]` is one entry short), on which
    # nothing is counted or compared.
    dropped: set[tuple[str, str]] = field(default_factory=set)
    unsure: set[str] = field(default_factory=set)
    # Rule files (RULE_FILES' sections) that exist but did not load (a number past
    # 2^53 or `.inf` in them, a NUL, broken YAML: reported there). Every name of theirs
    # is unknown, so none is reported unknown elsewhere; a progression that did not load
    # leaves max_level unknown (no level is compared with the default of 1), and so does a
    # progression.yaml that is missing (its HF0401 said at it: `load_rule_book`).
    unreadable: set[str] = field(default_factory=set)
    # The XP table loaded but is in error (HF0401/HF0402 at it: not starting at 0, not
    # increasing, not max_level entries long): every level read from it may be wrong.
    table_in_error: bool = False
    # labels written with inline Markdown, as written, by path ("skills", id, "name"):
    # the book holds their plain text; a translator is given them as written (l10n/lines.py)
    written: dict[tuple, str] = field(default_factory=dict)
    # The misspelt guesses made (`_misspelt`): (section, name defined) → the name the
    # rules read instead. The content has the last word (resolve/guesses.py): heroes
    # setting the name defined say it is spelt right, and the book is made again with
    # that guess `withdrawn`, so the rules reading the other name are the slip said.
    guessed: dict[tuple[str, str], str] = field(default_factory=dict)
    withdrawn: frozenset[tuple[str, str]] = frozenset()

    def levels_unknown(self) -> bool:
        """Whether heroes' levels are not known: the XP table did not load, is missing, or
        is in error (each said at progression.yaml), so a level read from it may be wrong."""
        return self.table_in_error or "progression" in self.unreadable

    def dropped_name(self, section: str, name: str) -> bool:
        """Whether `name` was written under `section` ("attributes", "skills", "kinds")
        of a rule file and left out of the book for an error reported there."""
        return (section, name) in self.dropped or _FILE_OF.get(section, section) in self.unreadable

    def memo_key(self) -> str:
        """The rule book is made from its files (pipeline/queries.py)."""
        key = "|".join(f"{p}={h}" for p, h in sorted(self.sources.items()))
        # a rule file there but unreadable is in no source, yet it spares what uses its
        # names (`unreadable`): not the book of a missing file, which does not
        return key + "".join(f"|{section}=unreadable" for section in sorted(self.unreadable)) \
            + "".join(f"|{section}:{name}=spelt right" for section, name in sorted(self.withdrawn))

    def hero_scope(self) -> expr.Scope:
        """Names a hero formula or condition may read: attributes, derived stats, level."""
        names = {a: expr.Type.NUMBER for a in self.attributes}
        names.update({d: expr.Type.NUMBER for d in self.derived})
        names["level"] = expr.Type.NUMBER
        return expr.Scope(names, unsure=self._unsure_names(), unsure_rest="attributes" in self.unreadable,
                          skills=self._skill_ids())

    def _skill_ids(self) -> frozenset[str] | None:
        """The skill ids `has_skill("…")` may name: the book's, those written but left
        out for an error in schemas/skills.yaml, and both spellings of a misspelt guess;
        None when that file could not be read (which ids it holds is unknown)."""
        if "skills" in self.unreadable:
            return None
        guessed = {name for key, meant in self.guessed.items() if key[0] == "skills" for name in (key[1], meant)}
        return frozenset(self.skills) | {n for section, n in self.dropped if section == "skills"} | guessed

    def _unsure_names(self) -> frozenset[str]:
        """Attributes and derived stats written in the rules but left out for an error
        reported there: an expression reading one says nothing more (expr.Scope)."""
        return frozenset(name for section, name in self.dropped if section in ("attributes", "derived"))

    def by_level(self) -> frozenset[str]:
        """The names whose value depends on the hero's level: `level`, and each derived
        stat whose formula reads it (what is unknown while `levels_unknown()`)."""
        return frozenset({"level"} | {d.id for d in self.derived.values()
                                      if d.formula.ast is not None and "level" in expr.names_used(d.formula.ast)})

    def levels_to_try(self) -> range | None:
        """While the XP table is in error (`table_in_error`, max_level known): every level
        a hero may be at, 1 to max_level, so what depends on the level is claimed only
        when it holds at each of them. None when levels are known, or when max_level is
        not known either (progression.yaml did not load): nothing about a level is then
        claimed."""
        if not self.levels_unknown() or "progression" in self.unreadable:
            return None
        return range(1, min(self.max_level, 100) + 1)   # (max_level is 1–100 when valid)

    def level_for_xp(self, xp: int) -> int:
        level = 1
        for number, needed in enumerate(self.xp_for_level[: self.max_level], 1):
            if xp >= needed:
                level = number
        return level


_HYPHENATED = re.compile(r"(?<![\w])[a-z][a-z0-9_]*(?:-[a-z0-9_]+)+")


def hyphenated_name(text: str, names, at: int | None = None) -> tuple[str, str, int] | None:
    """(as written, the name meant, where it starts) for a name of the scope written with
    hyphens (`gold-coins` for `gold_coins`), which the expression reads as a
    subtraction; the one covering offset `at` when given, else the first."""
    for m in _HYPHENATED.finditer(text):
        if at is not None and not m.start() <= at < m.end():
            continue
        meant = m.group(0).replace("-", "_")
        if meant in names:
            return m.group(0), meant, m.start()
    return None


def hyphen_hint(written: str, meant: str, _: int = 0) -> str:
    """The hint for a name written with hyphens: the name meant, and why."""
    return f"Did you mean `{meant}`? In an expression `-` is a minus: `{written}` reads `{written.replace('-', ' - ')}`."


def parse_formula(text: str, span: Span, scope: expr.Scope, diags: Diagnostics,
                  want: expr.Type | None = None, what: str = "formula",
                  unknown_hint: Callable[[str], str | None] | None = None) -> Formula | None:
    """Parse and type-check one expression; problems become diagnostics inside it.
    `unknown_hint(name)`: the hint for an unknown name, when it knows better than the
    names in scope (None: theirs)."""
    try:
        ast = expr.parse_expression(text)
    except expr.ExprError as err:
        joined = hyphenated_name(text, scope.names)
        if joined is not None:
            err.hint = hyphen_hint(*joined)
        report_expr_error(err, span, diags, what)
        return None
    found, problems = expr.check_all(ast, scope)
    for err in problems:
        joined = hyphenated_name(text, scope.names, err.offset) if err.code == "HF0602" else None
        if joined is not None:
            if joined[2] < err.offset:
                continue    # a later word of `sea-legs`: the slip is said once, at its first
            err.hint = hyphen_hint(*joined)
        elif err.code == "HF0602" and unknown_hint is not None \
                and (better := unknown_hint(text[err.offset:err.offset + err.length])):
            err.hint = better
        report_expr_error(err, span, diags, what)
    if problems:
        return None
    if want is not None and found is not want:
        diags.add("HF0603", f"this {what} gives {found.noun}, but {want.noun} is needed", span)
        return None
    return Formula(text, ast, span)


def report_expr_error(err: "expr.ExprError", span: Span, diags: Diagnostics, what: str = "expression") -> None:
    if err.quiet:   # a name the rule book lost to an error reported in its rule file
        return
    diags.add(err.code, f"{what}: {err.message}", span.shifted(err.offset, err.length), hint=err.hint or None)


def _unknown_rule_files(root: Path, diags: Diagnostics) -> None:
    """HF0122 at each YAML file directly in schemas/ that is not one of RULE_FILES: a
    designer's `skill.yaml` or `skills.yml` would otherwise be ignored without a word
    while the rules it holds are not applied. Only names are listed (nothing opened;
    a schemas/ that is a link out is refused where it is read). Listed where the
    Boundary reads it, never by its path: `schemas -> s\\x` (the rule reads `s/x`, as
    Windows does) was followed by the system through a name `s\\x` linked out of the
    project, and check listed that folder and said HF0122 at the files there)."""
    fence = boundary(root)
    folder = fence.resolve(root / "schemas")
    if folder is None or not fence.is_dir(folder):
        return
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    known = sorted(Path(rel).name for rel, _ in RULE_FILES.values())
    for name in names:
        if name in known or name.startswith(".") or not name.lower().endswith((".yaml", ".yml")) \
                or file_name_problem(name) is not None:   # such a name is HF0130 already
            continue
        rel = f"schemas/{name}"
        diags.add("HF0122", f"{rel} is not read: the rule book is {', '.join(known)}", Span(rel),
                  hint=suggestion(name, known, listed=True, where="Rename it to the rule file it holds, or move it out of "
                                               "schemas/ (docs/rules.md)."))


def value_digest(rel: str, data: Any, positions: Positions) -> str | None:
    """The digest of a rule file's value as read (its path, data and every position):
    what the book is made of that a comment leaves as it was. None for data that is
    not JSON: the file's bytes' hash then stands in (only equal bytes are equal)."""
    try:
        text = rowjson.dumps([rel, positions.to_text(), data])
    except (TypeError, ValueError):
        return None
    return "v:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _linked_to_another(fence, root: Path, section: str, rel: str, diags: Diagnostics) -> bool:
    """HF0755 (True) when the rule file `rel`, a symbolic link, leads to another rule
    file (`schemas/relationships.yaml -> skills.yaml`): read as both, the skills were
    'unknown field skills' at the link and every relationship kind unknown at the
    content naming it. Said once at the link, which is not read."""
    real = fence.resolve(root / rel)
    for other, (other_rel, _) in RULE_FILES.items():
        if other != section and real is not None and real == fence.resolve(root / other_rel):
            diags.add("HF0755", f"{rel} is a symbolic link to {other_rel}: foundry does not read the {other} "
                                f"rules as the {section} rules", Span(rel),
                      hint=f"Put a file of its own at {rel}, holding the {section} rules (docs/rules.md).")
            return True
    return False


def load_rule_book(root: Path, diags: Diagnostics,
                   withdrawn: frozenset[tuple[str, str]] = frozenset()) -> RuleBook:
    """The rule book from schemas/, its problems in `diags`. `withdrawn`: (section, name)
    of each defined name the content shows spelt right, not to be guessed misspelt
    (`RuleBook.guessed`, resolve/guesses.py)."""
    book = RuleBook(withdrawn=withdrawn)
    files = {}
    fence = boundary(root)
    folder = fence.resolve(root / "schemas")
    # `schemas` a file or FIFO (or a link inside to one): HF0125 at it (load/hygiene.py)
    # says why no rule is there; each rule file "missing" too sent the writer to restore
    # files whose folder was the slip, and what they define is unknown, not absent
    not_a_folder = folder is not None and os.path.lexists(folder) and not os.path.isdir(folder)
    for section, (rel, model) in RULE_FILES.items():
        path = root / rel
        if not_a_folder:
            book.unreadable.add(section)
            continue
        # looked for without leaving the project: through `schemas -> /elsewhere` a file
        # is there (refused below, HF0120 at the link), never "missing" by what is outside
        if not fence.lexists(path):   # a link is read (and refused if it leads outside) below
            if section in ("attributes", "progression"):
                diags.add("HF0401", f"{rel} is missing", Span(rel), hint="`foundry init` writes a starting rule book.")
            if section == "progression":
                # max_level is unknown, not 1: a skill's `min_level: 2` was also "above
                # max_level 1" at skills.yaml, one slip said twice (no level is compared
                # with the default, as for a progression that did not load)
                book.unreadable.add(section)
            continue
        if os.path.islink(path) and _linked_to_another(fence, root, section, rel, diags):
            book.unreadable.add(section)   # what it defines is unknown, not absent
            continue
        data, positions, source = load_yaml_file(path, rel, diags)
        parsed = validate_data(data, positions, model, diags) if data is not None else None
        if data is not None and parsed is None:  # one bad rule must not hide every problem the others reveal
            # a skill whose one field is in error keeps its others, and their problems are said
            # (`attribute: wit` beside `min_level: "2"`): each only adds a constraint, so one
            # left out makes no hero's error; an attribute's or kind's fields do (a `max:`
            # left out would be 20), so those lose the whole entry
            parsed = salvage_data(data, model, deep=frozenset({"skills"}))
            if parsed is not None:
                book.unsure |= left_out(data, parsed)
                book.dropped |= _dropped_names(data, parsed)
        if parsed is None:   # reported at the file: what it defines is unknown, not absent
            book.unreadable.add(section)
            continue
        if parsed is not None:   # labels may be written in inline Markdown: keep their plain text
            plain, written = plain_rule_labels(section, parsed, positions, diags, source.line if source else None)
            files[section] = (plain, positions)
            book.written.update(written)
            book.sources[rel] = source.sha256 if source else ""
            book.values[rel] = (value_digest(rel, data, positions) or "f:" + source.sha256) if source else ""
    _unknown_rule_files(root, diags)
    if "attributes" in files:
        _attributes(book, *files["attributes"], diags)
        _misspelt_attributes(book, files["attributes"][0], files["attributes"][1],
                             files["skills"][0] if "skills" in files else None, diags)
    if "progression" in files:
        _progression(book, *files["progression"], diags)
    if "attributes" in files:
        _points_bound(book, *files["attributes"], diags)
        _derived(book, *files["attributes"], diags)
    if "skills" in files:
        _skills(book, *files["skills"], diags)
    if "relationships" in files:
        _relationships(book, *files["relationships"], diags)
    return book


def _dropped_names(data: Any, parsed: Any) -> set[tuple[str, str]]:
    """(field, name) of each entry of a mapping field of a rule file's `data` that its
    salvaged model `parsed` left out."""
    dropped = set()
    for key, written in (data.items() if isinstance(data, dict) else ()):
        # a field's name written with an invisible mark in it (HF0132 at it) is that field
        key = without_refused(key) if isinstance(key, str) else key
        kept = getattr(parsed, key, None) if key in type(parsed).model_fields else None
        if isinstance(written, dict) and isinstance(kept, dict):
            # an entry whose name holds an invisible mark (HF0132 at it) is left out under
            # the name meant too, so what names it says nothing more
            dropped |= {(key, form) for name in written if name not in kept
                        for form in {str(name), without_refused(str(name))}}
    return dropped


def _attributes(book: RuleBook, parsed: AttributesFile, pos: Positions, diags: Diagnostics) -> None:
    for name, rule in parsed.attributes.items():
        book.spans[("attribute", name)] = pos.key(("attributes", name))
        if rule.min > rule.max:
            diags.add("HF0401", f"attribute '{name}': min {rule.min} is above max {rule.max}",
                      pos.value(("attributes", name, "min")),
                      hint=f"Swap them, `min: {rule.max}, max: {rule.min}`, or lower `min`.")
        elif not rule.min <= rule.default <= rule.max:
            diags.add("HF0401", f"attribute '{name}': default {rule.default} is outside {rule.min}–{rule.max}",
                      pos.value(("attributes", name, "default")),
                      hint=f"Give a default from {rule.min} to {rule.max}, or widen `min`/`max` to hold it.")
        if name == "level":
            diags.add("HF0401", "'level' is computed from XP and cannot be an attribute", pos.key(("attributes", name)),
                      hint="Give the attribute another id; formulas and conditions read the hero's level as "
                      "`level`, from `xp` and schemas/progression.yaml.")
    book.attributes = dict(parsed.attributes)
    book.budget = parsed.point_budget


def _misspelt_attributes(book: RuleBook, parsed: AttributesFile, pos: Positions, skills: SkillsFile | None,
                         diags: Diagnostics) -> None:
    """HF0401 once, at an attribute's name, when no rule reads it and two or more rules
    read a name no attribute has that is spelt nearly as it is (`agilty:` defined,
    `agility` read by a formula and a skill): the name is misspelt where it is defined
    (`_misspelt`). Every hero, character, template, formula, skill and story reading
    `agility` said it was unknown (19 errors in the sample world, none at the slip)."""
    read: Counter[str] = Counter()   # by the rules reading each name
    texts = [rule.formula if isinstance(rule, DerivedRule) else rule for rule in parsed.derived.values()]
    for rule in (skills.skills.values() if skills is not None else ()):
        texts.append(rule.requires or "")
        if rule.attribute:
            read[rule.attribute] += 1
    for text in texts:
        try:
            read.update(expr.names_used(expr.parse_expression(text)) if isinstance(text, str) and text else ())
        except expr.ExprError:
            continue   # said where the formula is checked
    for name in (*parsed.derived, "level"):
        read.pop(name, None)
    _misspelt(book, "attributes", "attribute", book.attributes, read, pos, diags,
              "heroes, characters and templates set")


def _misspelt(book: RuleBook, section: str, kind: str, defined: Any, read: Counter, pos: Positions,
              diags: Diagnostics, also: str) -> None:
    """HF0401 at each name `defined` under `section` that no rule reads, when two or more
    rules read (`read`, by name) one name nobody defines spelt nearly as it is: misspelt
    where it is defined. The read name is left out as a rule in error's name is
    (`dropped`): what reads it says nothing more. Read by one rule alone, the reader is
    the slip (its own error there, with its "did you mean"); a name far from any
    defined one (a rename) leaves every reader said, each to be changed."""
    unknown = {name for name, count in read.items() if count > 1 and name not in defined
               and not book.dropped_name(section, name)}
    for name in defined:
        if name in read or not unknown or (section, name) in book.withdrawn:
            continue
        meant = did_you_mean(name, unknown)
        # one defined name for one read name: `agilty` for `agility`, not two guesses at it;
        # and none when the read name is as near to another name defined (`wit` read beside
        # `wits` and an unread `wis`: the readers' slip, each said with "did you mean 'wits'")
        # and only a typo's nearness (`wisdom` for `wits`, as near as did_you_mean's cut-off allows,
        # is a rename done half-way: every reader still to change is said, not one guess)
        if meant is None or did_you_mean(meant, [d for d in defined if d not in read]) != name \
                or _nearness(meant, name) < _TYPO \
                or _nearness(meant, did_you_mean(meant, [d for d in defined if d != name])) >= _nearness(meant, name):
            continue
        diags.add("HF0401", f"{kind} '{name}' is read by no rule, and the rules read '{meant}', which no "
                            f"{kind} defines: '{name}' looks misspelt", pos.key((section, name)),
                  hint=f"Rename it `{meant}:` ({also} `{meant}` too, if they do), or change what reads '{meant}'.")
        book.dropped.add((section, meant))
        book.guessed[(section, name)] = meant
        unknown.discard(meant)


_TYPO = 0.8   # how alike a misspelt definition and the name read are: `agilty`/`agility` 0.92, `wit`/`wits` 0.86


def _nearness(word: str, other: str | None) -> float:
    """How alike two names are as `did_you_mean` compares them (0 when there is no other)."""
    return difflib.SequenceMatcher(None, word.casefold(), other.casefold()).ratio() if other is not None else 0.0


def _progression(book: RuleBook, parsed: ProgressionFile, pos: Positions, diags: Diagnostics) -> None:
    table = parsed.xp_for_level
    book.max_level, book.xp_for_level = parsed.max_level, table
    if "xp_for_level" in book.unsure:   # an entry in error was left out: the others' places say nothing
        book.table_in_error = True
        return
    book.table_in_error = table[0] != 0 or len(table) != parsed.max_level or \
        any(table[i] <= table[i - 1] for i in range(1, len(table)))
    if table[0] != 0:
        diags.add("HF0402", f"level 1 must need 0 XP, not {table[0]}", pos.value(("xp_for_level", 0)))
    for i in range(1, len(table)):
        if table[i] <= table[i - 1]:
            diags.add("HF0402", f"level {i + 1} needs {table[i]} XP, no more than level {i} ({table[i - 1]} XP)",
                      pos.value(("xp_for_level", i)))
    if len(table) != parsed.max_level:
        diags.add("HF0401", f"xp_for_level has {len(table)} entries but max_level is {parsed.max_level}",
                  pos.value(("xp_for_level",)), hint="Give one XP total per level, from level 1 to max_level.")


def _points_bound(book: RuleBook, parsed: AttributesFile, pos: Positions, diags: Diagnostics) -> None:
    """HF0401 where the points a hero has or spends could pass ±2^53 (expr.NUMBER_LIMIT):
    each number written is within it (HF0111), but `base + per_level × (max_level − 1)`
    and the points spent above the defaults (the sum over the attributes) are computed,
    and published as `budget.available`/`budget.used` in the JSON, where past 2^53 an
    engine's number is no longer exact. Said at the budget's `per_level` (or `base`) and
    at the attribute whose `max` takes the most a hero can spend past the limit."""
    budget, top = parsed.point_budget, expr.NUMBER_LIMIT
    if budget is not None and book.max_level >= 1:
        most = budget.base + budget.per_level * (book.max_level - 1)
        if most > top:
            where = "per_level" if budget.per_level and budget.base <= top // 2 else "base"
            diags.add("HF0401", f"the point budget reaches {most:,} at level {book.max_level}, beyond ±2^53",
                      pos.value(("point_budget", where)),
                      hint=f"Keep `base + per_level × (max_level − 1)` at most {top:,}.")
    spendable = 0
    for name, rule in parsed.attributes.items():
        spendable += max(0, rule.max - rule.default)
        if spendable > top:
            diags.add("HF0401", f"attribute '{name}': a hero could spend {spendable:,} points above the "
                      f"defaults with it, beyond ±2^53", pos.value(("attributes", name, "max")),
                      hint=f"Keep the sum of every attribute's `max − default` at most {top:,}.")
            return


# What every hero's derived stats may cost: the formulas' nodes × max_level, each node a
# step of evaluation. Every hero computes every formula at every level (and the rule book
# is checked at three settings of every level), so a legal 2 MiB attributes.yaml of 1,000
# formulas of 2,000 characters at 100 levels made check compute for minutes per hero. A
# rule book of 100 formulas of 20 nodes at 100 levels fits; the sample world spends ~300.
MAX_DERIVED_STEPS = 200_000


def _derived_read_hint(stat: str, parsed: AttributesFile, name: str) -> str | None:
    """HF0602's hint when the formula of `stat` reads `name`, a derived stat (itself or
    another): "Known here: 'agility', …" left the designer to guess that a formula reads
    attributes and `level` only, and what to write instead."""
    if name == stat:
        return (f"A formula cannot read its own stat: write '{stat}' from the attributes and `level` "
                "(a value that grows each level reads `level`).")
    if name not in parsed.derived:
        return None
    rule = parsed.derived[name]
    other = rule.formula if isinstance(rule, DerivedRule) else rule
    if stat in _derived_read(other, parsed):
        return (f"'{name}' is a derived stat whose formula reads '{stat}' in turn, and a formula reads the "
                f"attributes and `level` only: write '{stat}' from those.")
    # rounded down as the stat is, where it may give a fraction (`/`, a decimal)
    try:
        fraction = any(isinstance(n, expr.Binary) and n.op == "/" or isinstance(n, expr.Number)
                       and isinstance(n.value, float) for n in expr.walk(expr.parse_expression(other)))
    except expr.ExprError:
        fraction = False
    return (f"'{name}' is a derived stat, and a formula reads the attributes and `level` only: write "
            f"its formula in its place, `{'floor' if fraction else ''}({other.strip()})`" + (
                ", then the same for the derived stats that reads." if _derived_read(other, parsed) else "."))


def _derived_read(text: str, parsed: AttributesFile) -> set[str]:
    """The derived stats of `parsed` the formula `text` names (none if it does not parse)."""
    try:
        return expr.names_used(expr.parse_expression(text)) & parsed.derived.keys()
    except expr.ExprError:
        return set()


def _derived(book: RuleBook, parsed: AttributesFile, pos: Positions, diags: Diagnostics) -> None:
    scope = expr.Scope({**{a: expr.Type.NUMBER for a in book.attributes}, "level": expr.Type.NUMBER},
                       unsure=book._unsure_names(), unsure_rest="attributes" in book.unreadable)
    steps = 0
    for name, rule in parsed.derived.items():
        # where the stat is written: its name's line, as an attribute's (a long name broken
        # on the sheet, HF1139, or a character no font has was said at the file alone)
        book.spans[("derived", name)] = pos.key(("derived", name))
        text = rule.formula if isinstance(rule, DerivedRule) else rule
        loc = ("derived", name, "formula") if isinstance(rule, DerivedRule) else ("derived", name)
        if name in book.attributes or name == "level":
            clash = "`level`, which is computed from XP" if name == "level" else "an attribute"
            diags.add("HF0401", f"derived stat '{name}' has the name of {clash}", pos.key(("derived", name)),
                      hint="Give the derived stat another id: formulas and conditions read each name as one value.")
            continue
        formula = parse_formula(text, pos.value(loc), scope, diags, expr.Type.NUMBER, f"formula for '{name}'",
                                functools.partial(_derived_read_hint, name, parsed))
        if formula is None:   # its error said: a formula reading it is not one more
            book.dropped.add(("derived", name))
            continue
        label = rule.name if isinstance(rule, DerivedRule) and rule.name else id_words(name)
        book.derived[name] = DerivedStat(name, label, formula,
                                         rule.description if isinstance(rule, DerivedRule) else "")
        cost = sum(1 for _ in expr.walk(formula.ast)) * book.max_level
        if book.uncomputed or steps + cost > MAX_DERIVED_STEPS:
            if not book.uncomputed:   # once, at the first formula past the budget
                diags.add("HF0608", f"the derived formulas need {_steps(parsed, book):,} steps of evaluation per hero "
                          f"(each formula's size × {book.max_level} levels), over the budget of {MAX_DERIVED_STEPS:,}; "
                          f"'{name}' and the stats after it are not computed", formula.span)
            book.uncomputed.add(name)
            continue
        steps += cost
        _check_every_level(book, book.derived[name], diags)


def _steps(parsed: AttributesFile, book: RuleBook) -> int:
    """Every derived formula's size × max_level: what HF0608 says the rules ask for.
    Formulas that do not parse count as nothing (they are reported already)."""
    total = 0
    for rule in parsed.derived.values():
        try:
            ast = expr.parse_expression(rule.formula if isinstance(rule, DerivedRule) else rule)
        except expr.ExprError:
            continue
        total += sum(1 for _ in expr.walk(ast)) * book.max_level
    return total


def failing_formula_hint(err: expr.ExprError) -> str | None:
    """HF0411's hint for the way a derived formula failed: None (the registered hint, a
    divisor kept from zero) for a division by zero; for a result past ±2^53, what to
    lower (the registered `x / max(1, y)`, followed, changed nothing there)."""
    if err.code != OVERFLOW:
        return None
    return ("Keep every step of the formula within ±2^53 (9,007,199,254,740,992) for every value the attributes "
            "may have: lower the `max` of the attributes it reads in schemas/attributes.yaml, or multiply by less.")


def _check_every_level(book: RuleBook, stat: DerivedStat, diags: Diagnostics) -> None:
    """Evaluate at the attributes' extremes on every level, so a division by zero
    shows up in the rule file rather than on some unlucky hero."""
    for level in range(1, book.max_level + 1):
        for pick in ("min", "max", "default"):
            env = {a: getattr(r, pick) for a, r in book.attributes.items()}
            env["level"] = level
            try:
                expr.evaluate(stat.formula.ast, env)
            except expr.ExprError as err:
                diags.add("HF0411", f"formula for '{stat.id}' fails at level {level} with every attribute at its {pick}: {err.message}",
                          stat.formula.span.shifted(err.offset, err.length), hint=failing_formula_hint(err))
                book.failing.add(stat.id)
                return


def _skills(book: RuleBook, parsed: SkillsFile, pos: Positions, diags: Diagnostics) -> None:
    # the book's skills are being filled: a requirement may name any skill of the file
    scope = dataclasses.replace(book.hero_scope(), skills=frozenset(parsed.skills))
    # `boatcraf:` defined, `boatcraft` a prerequisite of two skills (and in heroes' lists)
    _misspelt(book, "skills", "skill", parsed.skills, Counter(p for r in parsed.skills.values() for p in r.prerequisites),
              pos, diags, "heroes and templates list")
    tries = Tries()   # what the requirements no hero can meet may cost together (rules/reach.py)
    unjudged: list = []   # the requirements it left unjudged (HF0414)
    for sid, rule in parsed.skills.items():
        span = pos.key(("skills", sid))
        if rule.attribute and rule.attribute not in book.attributes \
                and not book.dropped_name("attributes", rule.attribute):
            diags.add("HF0309", f"skill '{sid}' uses unknown attribute '{rule.attribute}'",
                      pos.value(("skills", sid, "attribute")), hint=suggestion(rule.attribute, book.attributes, SCHEMAS_HINT))
        report_repeats(rule.prerequisites, f"skills.{sid}.prerequisites",
                       lambda i, sid=sid: pos.value(("skills", sid, "prerequisites", i)), diags)
        for i, pre in enumerate(rule.prerequisites):
            if pre not in parsed.skills and not book.dropped_name("skills", pre):
                # never the skill itself nor one needing it: followed, a cycle (HF0403)
                back = leading_to(sid, {s: r.prerequisites for s, r in parsed.skills.items()})
                diags.add("HF0308", f"skill '{sid}' requires unknown skill '{pre}'",
                          pos.value(("skills", sid, "prerequisites", i)),
                          hint=suggestion(pre, [s for s in parsed.skills if s not in back], listing=True))
        if any(pre not in parsed.skills for pre in rule.prerequisites):
            # an unknown prerequisite is the rule's error (above), not every hero's: kept,
            # it made "ambush needs 'traking', which rook does not have; add 'traking'"
            rule = rule.model_copy(update={"prerequisites": [p for p in rule.prerequisites if p in parsed.skills]})
        if rule.min_level > book.max_level and "progression" not in book.unreadable:
            diags.add("HF0412", f"skill '{sid}' needs level {rule.min_level}, above max_level {book.max_level}",
                      pos.value(("skills", sid, "min_level")))
        requires = None
        if rule.requires:
            requires = parse_formula(rule.requires, pos.value(("skills", sid, "requires")), scope, diags,
                                     expr.Type.BOOL, f"requirement of skill '{sid}'")
            # a hero holding it holds it: `not has_skill('hermit')` of hermit is never met
            # (judged with its prerequisites only, it ended in an internal error: none to
            # name); held only when asked, so skills asking the same share one answer
            own = frozenset((sid,))
            why, cut = out_of_tries(tries, lambda: never_met(
                requires.ast, book, rule.min_level, tries, own if _asks_of(requires.ast, own) else frozenset())) \
                if requires is not None and requires.ast is not None else (None, False)
            if cut:
                unjudged.append((sid, pos.value(("skills", sid, "requires"))))
            if why:
                book.unmeetable.add(sid)
                diags.add("HF0413", f"skill '{sid}' requires {code_span(clip(rule.requires, 80))}, which no hero can meet "
                              f"({clip(why, 300)})",
                          pos.value(("skills", sid, "requires")),
                          hint=unmet_hint(requires.ast, "have this skill"))
        book.skills[sid] = Skill(sid, rule, requires, span)
    cycles = find_cycles({s: list(r.prerequisites) for s, r in parsed.skills.items()}, MAX_CYCLES)
    for shown, cycle in enumerate(cycles):
        # at the prerequisite that goes on round the cycle, the one to remove (as HF0513)
        index = parsed.skills[cycle[0]].prerequisites.index(cycle[1 % len(cycle)])
        said = (f"skill '{cycle[0]}' lists itself as a prerequisite" if len(cycle) == 1
                else "skill prerequisites form a cycle: " + cycle_text(cycle))
        diags.add("HF0403", said, pos.value(("skills", cycle[0], "prerequisites", index)),
                  hint=f"Remove '{cycle[0]}' from its own `prerequisites`." if len(cycle) == 1
                  else cycles_hint(cycles, shown))
    _met_with_prerequisites(book, {s for cycle in cycles for s in cycle}, pos, diags, tries, unjudged)
    said_out_of_tries(unjudged, "skill requirements were not judged for whether some hero can meet them", diags)


# Requirements a skill and its prerequisites may join for HF0413: a chain longer than
# this, or longer in all than MAX_JOINED_TEXT characters, is not judged together (each
# is still judged alone): 1,000 skills each needing 32 requirements of 2,000 characters
# would print and walk 64 million characters.
MAX_JOINED = 32
MAX_JOINED_TEXT = 4_000


def _met_with_prerequisites(book: RuleBook, in_cycles: set[str], pos: Positions, diags: Diagnostics,
                            tries: Tries, unjudged: list) -> None:
    """HF0413 at a skill whose `requires`, with those of the skills it needs (its
    prerequisites, theirs, …), no hero can meet together, each being met alone: a hero
    holding `pounce` (`agility >= 15`) holds `stalk` too (`agility <= 10`), and was told
    HF0408 at one and, raising or lowering agility as hinted, at the other."""
    for sid, skill in book.skills.items():
        if sid in book.unmeetable or sid in in_cycles:
            continue
        needed, queue = [], list(skill.rule.prerequisites)
        while queue and len(needed) <= MAX_JOINED:
            pre = queue.pop(0)
            if pre in needed or pre == sid or pre not in book.skills:
                continue
            needed.append(pre)
            queue.extend(book.skills[pre].rule.prerequisites)
        if len(needed) > MAX_JOINED or any(pre in book.unmeetable or pre in in_cycles for pre in needed):
            continue   # a prerequisite no hero can have is said at it
        asking = [s for s in (sid, *needed) if book.skills[s].requires is not None]
        lowest = max(book.skills[s].rule.min_level for s in (sid, *needed))
        # one requirement alone was judged at its own skill's min_level; a skill needing
        # it from a higher level asks it there (`master`, min_level 3, needing `novice`,
        # `level <= 2`: no hero holds both)
        # a hero holding it holds it and what it needs: `has_skill` of those is true (a
        # skill requiring `not has_skill` of its own prerequisite passed check)
        held = frozenset((sid, *needed))
        if not asking or (len(asking) < 2 and lowest <= book.skills[asking[0]].rule.min_level
                          and not _asks_of(book.skills[asking[0]].requires.ast, held)) \
                or sum(len(book.skills[s].requires.text) for s in asking) > MAX_JOINED_TEXT:
            continue
        joined = _all_of([book.skills[s].requires.ast for s in asking])
        why, cut = out_of_tries(tries, lambda: never_met(joined, book, lowest, tries, held))
        if cut and sid not in {n for n, _ in unjudged}:
            unjudged.append((sid, pos.value(("skills", sid, "requires")) if skill.requires is not None
                             else pos.value(("skills", sid, "prerequisites"))))
        if not why:
            continue
        book.unmeetable.add(sid)
        others = [s for s in asking if s != sid]
        # what each other asks, then why (a skill's own requirement ruled out by its
        # prerequisites' min_level names none: "level is 3–5" alone)
        told = "; ".join([*(f"'{s}' requires {code_span(clip(book.skills[s].requires.text, 60))}" for s in others[:3]),
                          clip(why, 300)])
        own = skill.requires is not None
        diags.add("HF0413", (f"skill '{sid}' requires {code_span(clip(skill.requires.text, 80))}, which no hero "
                             f"holding its prerequisites can meet ({told})" if own else
                             f"skill '{sid}' needs prerequisites whose requirements no hero can meet together "
                             f"({told})" if len(asking) > 1 else
                             f"skill '{sid}' needs a prerequisite whose requirement no hero holding '{sid}' can meet "
                             f"({told})"),
                  pos.value(("skills", sid, "requires")) if own else pos.value(("skills", sid, "prerequisites")),
                  hint=f"No hero could ever have this skill: a hero holding it holds {_listed(needed)} too "
                       "and must meet every one's `requires`. Loosen one of them, or drop the prerequisite.")


def _asks_of(ast, skills: frozenset[str]) -> bool:
    """Whether `ast` asks `has_skill` of one of `skills`."""
    return any(isinstance(node, expr.Call) and node.func == "has_skill" and node.args
               and isinstance(node.args[0], expr.String) and node.args[0].value in skills for node in expr.walk(ast))


def _all_of(asts: list) -> "expr.Node":
    """`a and b and …` of `asts`, nested evenly (a chain of 32 is 5 deep, not 32)."""
    if len(asts) == 1:
        return asts[0]
    half = len(asts) // 2
    return expr.Binary(op="and", left=_all_of(asts[:half]), right=_all_of(asts[half:]))


def _listed(ids: list[str]) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c', 'a', 'b', 'c' and 2 more."""
    shown = [f"'{i}'" for i in ids[:3]]
    if len(ids) > 3:
        return ", ".join(shown) + f" and {len(ids) - 3} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _relationships(book: RuleBook, parsed: RelationshipsFile, pos: Positions, diags: Diagnostics) -> None:
    for kid in parsed.kinds:
        book.spans[("relationship", kid)] = pos.key(("kinds", kid))   # as a derived stat's
    for kid, kind in parsed.kinds.items():
        if kind.inverse is None:
            continue
        other = parsed.kinds.get(kind.inverse)
        if other is None and not book.dropped_name("kinds", kind.inverse):
            diags.add("HF0310", f"kind '{kid}' names unknown inverse '{kind.inverse}'",
                      pos.value(("kinds", kid, "inverse")), hint=suggestion(kind.inverse, parsed.kinds))
        elif other is not None and other.inverse != kid and (other.inverse is None or other.inverse in parsed.kinds
                                                             or book.dropped_name("kinds", other.inverse)):
            # (an inverse that names no kind is HF0310 at its own line: not said twice; one
            # naming a kind left out for its own error is no HF0310, and `mentor` →
            # `apprentice` → that kind still does not point back: said here)
            diags.add("HF0401", f"'{kid}' has inverse '{kind.inverse}', but '{kind.inverse}' does not have inverse '{kid}'",
                      pos.value(("kinds", kid, "inverse")),
                      hint=_inverse_hint(kid, kind.inverse, parsed))
    # a kind whose inverse names no kind (HF0310) is read as having none: content is
    # not told "first-hero says 'mentor' (expected 'mentr')" of a kind that does not exist
    book.relationship_kinds = {kid: kind if kind.inverse is None or kind.inverse in parsed.kinds
                               else kind.model_copy(update={"inverse": None}) for kid, kind in parsed.kinds.items()}


def _inverse_hint(kid: str, inverse: str, parsed: RelationshipsFile) -> str:
    """HF0401's hint for kind `kid` naming `inverse`, which does not name it back. To give
    `inverse` an `inverse: kid` was the hint whatever it already was: followed where it is
    symmetric (`rival`), the kind was refused (HF0204, symmetric and an inverse); where it
    pairs with another kind (`mentor` ↔ `apprentice`, then `teacher: {inverse:
    apprentice}`), that pair broke. There the hint names the kind that names `kid` as
    its inverse, if one does, else to remove the line."""
    other = parsed.kinds[inverse]
    paired = other.inverse not in (None, kid) and other.inverse in parsed.kinds \
        and parsed.kinds[other.inverse].inverse == inverse
    if not other.symmetric and not paired:
        return f"Give '{inverse}' `inverse: {kid}`, or remove `inverse: {inverse}` from '{kid}'."
    taken = (f"'{inverse}' is symmetric (its own inverse)" if other.symmetric else
             f"'{inverse}' is the inverse of '{other.inverse}', which names it back")
    backers = [k for k, rule in parsed.kinds.items() if rule.inverse == kid and k != inverse]
    if backers:
        return f"{taken}: write `inverse: {backers[0]}` in '{kid}', as '{backers[0]}' names '{kid}' its inverse."
    return f"{taken}: remove `inverse: {inverse}` from '{kid}' (a kind may have no inverse)."


# Cycles named at most per graph (skills, quests), and ids shown of one: a 591 KB
# schemas/skills.yaml of 8,000 skills each naming the next and the first had 8,000
# cycles of up to 8,000 ids, each said in full: 354 MB printed in 25 s, the memory of
# every cycle's ids kept at once (a 2 MiB file's: gigabytes).
MAX_CYCLES = 50
SHOWN_IN_CYCLE = 12


def find_cycles(edges: dict[str, list[str]], limit: int | None = None) -> list[list[str]]:
    """Each cycle in a directed graph once, starting at its smallest id (stable output),
    the first `limit` of them when given (MAX_CYCLES: the graphs where a node has many
    edges; with one edge each, as templates' `extends`, the cycles are disjoint, their
    ids N at most). Iterative so a long chain cannot exhaust the stack."""
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in sorted(edges):
        if state.get(root):
            continue
        path, stack = [root], [iter(sorted(edges.get(root, ())))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                i = cycle.index(min(cycle))
                key = tuple(cycle[i:] + cycle[:i])
                if key not in seen:
                    seen.add(key)
                    cycles.append(list(key))
                    if limit is not None and len(cycles) >= limit:
                        return cycles
            elif not state.get(nxt) and nxt in edges:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(edges.get(nxt, ()))))
    return cycles


def cycle_text(cycle: list[str]) -> str:
    """`a → b → c → a`: the cycle back to where it starts, its ids up to SHOWN_IN_CYCLE
    (the first ones and the last, "…" and how many between)."""
    ids = cycle + [cycle[0]]
    if len(ids) <= SHOWN_IN_CYCLE:
        return " → ".join(ids)
    head = SHOWN_IN_CYCLE - 2
    return " → ".join([*ids[:head], f"… ({len(ids) - head - 2:,} more)", *ids[-2:]])


def cycles_hint(cycles: list[list[str]], shown: int) -> str | None:
    """For the last cycle named when the limit cut the list: more may follow."""
    if shown == MAX_CYCLES - 1 and len(cycles) >= MAX_CYCLES:
        return (f"Only the first {MAX_CYCLES} cycles are named: break each (remove one id of a `prerequisites` list "
                "in it), then check again for any others.")
    return None
