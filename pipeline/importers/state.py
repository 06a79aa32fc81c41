"""Story variables of an imported story: names, types inferred from the first
assignment, starting values, and the checks every translated condition and effect
passes (the expression language's own type checker) before it is written.

Importers work in two passes because a condition may come before the assignment
that gives its variable a type: first they parse everything (recording each
assignment in reading order with `assigned`), then they call `settle`, and only then
`condition`/`effects`, which type-check against the settled variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .. import expr
from ..diagnostics import Diagnostics, Span
from ..expr import Assign, Bool, Effect, Expr, Number, SetFlag, String, Type, Unary
from ..ids import SLUG_PATTERN
from .model import Kept, Value, once
from .names import variable_name, within_limit
from .writer import writable

_SLUG = re.compile(SLUG_PATTERN)
# HF1007's registered hint is a condition's ("rewrite the condition with story
# variables"): an assignment not translated has no condition to rewrite.
EFFECT_HINT = ("Only numbers, text, true/false and arithmetic on story variables translate: write the effect "
               "with story variables (a flag for each thing held, `do=\"set has_rope\"`; a count, `do=\"rope += 1\"`) "
               "on the choice that does it, or add it by hand.")
# Our own ink and Twee exports name the hero who plays before its fixed values
# (exporters/ink.py `// The hero (<id>): fixed for this export`, exporters/twee.py the
# same in a `/* … */`); "an average level-1 hero" is no id, so no match.
_EXPORTED_FOR = re.compile(r"(?://|/\*)[ \t]*The hero \(([a-z0-9]+(?:-[a-z0-9]+)*)\): fixed for this export")


def exported_for(text: str) -> str | None:
    """The id of the hero our own export in `text` was made for, or None (another
    tool's story, or an export for an average hero): the import gives the story back
    its `protagonist:` when the project has that hero (commands/import_.py)."""
    found = _EXPORTED_FOR.search(text)
    return found.group(1) if found else None


DEFAULTS = {Type.NUMBER: 0, Type.BOOL: False, Type.STRING: ""}
_PYTHON = {bool: Type.BOOL, int: Type.NUMBER, float: Type.NUMBER, str: Type.STRING}


@dataclass
class Variables:
    """Original name → our name, and our name → type and starting value."""

    diags: Diagnostics
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, Type] = field(default_factory=dict)
    declared: dict[str, Value] = field(default_factory=dict)    # starting values given in the source
    _pending: list[tuple[Effect, Span]] = field(default_factory=list)
    _conditions: dict = field(default_factory=dict)   # conditions checked (after `settle`): model.once
    _taken: set[str] = field(default_factory=set)
    _renamed_said: dict = field(default_factory=dict)     # original name → its HF1010 (`no_variable`)
    # JavaScript (SugarCube) and ink test a number or text under not/and/or for being
    # non-zero or non-empty; Harlowe refuses anything but true/false there, and reads
    # `$hp is 1 or 2` as `$hp is 1 or $hp is 2` (the parser's elided comparisons).
    truthy_operands: bool = True
    # The project's hero attributes, derived stats and `level`: a story variable may not
    # be named so (HF0512, conditions read the hero's value by that name), so an original
    # variable named so is given another name, and its meaning is kept.
    hero_names: frozenset[str] = frozenset()
    # The project's skill ids: our own export writes the hero's as `CONST skill_<id>`.
    skills: frozenset[str] = frozenset()
    # Constants of the source that are the hero's own values (`hero_constant`): the
    # original name → what a condition reads instead (the name itself, or has_skill).
    hero_reads: dict[str, Expr] = field(default_factory=dict)
    # ink's knots, stitches and labels (our name → what it is: "knot 'cave'"): a condition
    # naming one reads how often it was seen, which no variable of ours holds
    counted: dict[str, str] = field(default_factory=dict)
    # our names of every variable the source may name (a Twine story's `$name`s, found
    # before its passages are read): a variable the importer makes (`fresh`) is never
    # given one, so it never becomes, or later turns into, the source's own variable
    spelt: set[str] = field(default_factory=set)
    # the true/false variables standing for read counts (ink.py `_seen_flags`), which
    # conditions read where they test one: variable → what it counts ("label 'tea'")
    seen_flags: dict[str, str] = field(default_factory=dict)
    # `scope()`, made once until a type or a hero's value is added (_changed): made anew
    # for each condition checked, it copied every variable's type each time (3,000
    # variables tested by 3,000 choices: 9 million copies, half the import's time)
    _scoped: expr.Scope | None = field(default=None, repr=False, compare=False)

    def hero_constant(self, original: str, value: Value, span: Span) -> bool:
        """Whether a constant of the source (ink's `CONST`) is one of the hero's values
        in this project, as our own ink export writes them (`CONST strength = 17`,
        `CONST skill_diving = true`: "the hero, fixed for this export"). Such a
        constant is then no story variable (it would come back as `story_strength`, and
        export as a second `strength`): the imported story reads the playing hero's
        value, and the report says so."""
        sid = original[len("skill_"):].replace("_", "-") if original.startswith("skill_") else ""
        if original in self.hero_names and isinstance(value, (int, float)) and not isinstance(value, bool):
            self.hero_reads[original] = expr.Name(original)
            self._scoped = None
            what = f"the hero's '{original}'"
        elif sid in self.skills and isinstance(value, bool):
            self.hero_reads[original] = expr.Call("has_skill", (expr.String(sid),))
            self._scoped = None
            what = f"whether the hero has the skill '{sid}' (has_skill(\"{sid}\"))"
        else:
            return False
        self.names[original] = original
        self.diags.add("HF1010", f"constant '{original}' is read as {what} in this project: the imported story "
                       f"uses the playing hero's value, not the {_shown(value)} exported", span)
        return True

    def hero_item(self, original: str, value: Value, span: Span) -> bool:
        """Whether a variable of our own export (`VAR item_<id> = true`: "the hero's
        items, and those the story tests or moves") is the hero's item `<id>`: reads
        become has("<id>"), `= true`/`= false` give and take (`hero_effects`), and it is
        no story variable (it would export again beside the hero's own `item_<id>`)."""
        iid = original[len("item_"):].replace("_", "-")
        if not original.startswith("item_") or not isinstance(value, bool) or not _SLUG.fullmatch(iid):
            return False
        self.hero_reads[original] = expr.Call("has", (expr.String(iid),))
        self._scoped = None
        self.names[original] = original
        self.diags.add("HF1010", f"variable '{original}' is read as whether the hero has the item '{iid}' "
                       f"(has(\"{iid}\"); setting it gives or takes the item): the imported story uses the "
                       f"playing hero's items, not the {_shown(value)} exported", span)
        return True

    def hero_effects(self, effects: list[Effect]) -> list[Effect]:
        """Effects as read, with the hero's items given and taken (`item_x = true` →
        `give x`) and the hero's values read as the hero's (`_as_hero`)."""
        out: list[Effect] = []
        for effect in effects:
            name = effect.target if isinstance(effect, Assign) else getattr(effect, "name", None)
            read = self.hero_reads.get(name) if isinstance(name, str) else None
            given = effect.value if isinstance(effect, SetFlag) else \
                effect.value.value if isinstance(effect, Assign) and effect.op == "=" \
                and isinstance(effect.value, expr.Bool) else None
            if isinstance(read, expr.Call) and read.func == "has" and given is not None:
                item = read.args[0].value
                out.append(expr.Give(item) if given else expr.Take(item))
            elif isinstance(effect, Assign):
                out.append(Assign(effect.target, effect.op, self._as_hero(effect.value)))
            else:
                out.append(effect)
        return out

    def renamer(self, span_of: Callable[[int], Span]) -> Callable[[str, int], str]:
        """For the macro parser: original name and its offset → our name."""
        return lambda name, offset: self.rename(name, span_of(offset))

    def rename(self, original: str, span: Span) -> str:
        if original in self.names:
            return self.names[original]
        ours = variable_name(original)
        hero = ours if ours in self.hero_names else None
        if hero is not None:
            ours = within_limit(f"story_{ours}")
        base, n = ours, 2
        while ours in self._taken or ours in self.hero_names:
            ours, n = within_limit(base, f"_{n}"), n + 1
        self._taken.add(ours)
        self.names[original] = ours
        if hero is not None:
            self.diags.add("HF1010", f"variable '{original}' is called '{ours}' in the imported story: '{hero}' "
                           "is the hero's own attribute, stat or level in this project, which a story "
                           "variable cannot be named", span)
        elif ours != original:
            self.diags.add("HF1010", f"variable '{original}' is called '{ours}' in the imported story", span)
            if self.diags.items and self.diags.items[-1].code == "HF1010":
                self._renamed_said[original] = self.diags.items[-1]
        return ours

    def fresh(self, wanted: str) -> str:
        """A variable of the importer's own (a seen-flag `seen_start_tea`, a visited flag,
        a once-only flag): `wanted` made a name, numbered past every name the source's
        variables have or may have (`spelt`) and every hero value, and taken. `rename`
        would give back the source's own variable of that name (`VAR seen_start_tea = 5`
        became the flag, and check refused the story)."""
        base = ours = variable_name(wanted)
        n = 2
        while ours in self._taken or ours in self.hero_names or ours in self.spelt:
            ours, n = within_limit(base, f"_{n}"), n + 1
        self._taken.add(ours)
        return ours

    def no_variable(self, original: str) -> None:
        """`original`, read in a condition and renamed as a variable's name would be, is
        no variable (ink's read count of a label `askedTea`, read as its seen-flag): the
        HF1010 that said "variable 'askedTea' is called 'asked_tea'" is taken back."""
        said = self._renamed_said.pop(original, None)
        if said is not None and said in self.diags.items:
            self.diags.items.remove(said)

    def declare(self, name: str, value: Value) -> None:
        """A starting value written in the source (ink's `VAR x = 3`)."""
        self.declared[name] = value
        self.types.setdefault(name, _PYTHON[type(value)])
        self._scoped = None

    def assigned(self, effects: list[Effect], span: Span) -> None:
        self._pending += [(e, span) for e in self.hero_effects(effects)]

    def settle(self) -> None:
        """Give each variable the type of its first assignment whose type can be known
        (two rounds, so `$b to $a` after `$a to 1` works in any order of passages)."""
        for _ in range(2):
            for effect, _span in self._pending:
                name, found = _assigned_type(effect, self.scope())
                if found is not None:
                    self.types.setdefault(name, found)
                    self._scoped = None

    def first_assignment(self, name: str) -> Span | None:
        return next((span for effect, span in self._pending if name in expr.names_written([effect])), None)

    def scope(self) -> expr.Scope:
        """The names conditions and effects may read: the story's variables, the hero's
        values read by name. Made once until either changes."""
        if self._scoped is None:
            hero = {name: Type.NUMBER for name, node in self.hero_reads.items() if isinstance(node, expr.Name)}
            self._scoped = expr.Scope({**hero, **self.types}, frozenset(self.types))
        return self._scoped

    def _as_hero(self, node: Expr) -> Expr:
        """`node` with each hero constant read as the hero's value (has_skill for a skill)."""
        return read_as(node, self.hero_reads)

    def starting_values(self) -> dict[str, Value]:
        return {name: self.declared.get(name, DEFAULTS[kind]) for name, kind in self.types.items()}

    # -- checks, after settle ----------------------------------------------------------
    def condition(self, node: Expr, source: str, span: Span, kept: list[Kept]) -> Expr | None:
        """A condition that type-checks as true/false (a number or text tested on its own
        means "not 0"/"not empty", as in JavaScript); None, reported and kept, if not.
        Checked once a tree (model.once)."""
        result, why = once(self._conditions, (node,), lambda: self._checked(node))
        if result is None:
            names = sorted(expr.names_used(node))
            # a read count given a seen-flag (`seen_flags`) is imported where it is
            # tested as true/false only: here it is a number (`{tea > 1}`)
            flagged = next((self.seen_flags[n] for n in names if n in self.seen_flags), None)
            seen = flagged or next((self.counted[n] for n in names if n in self.counted), None)
            self.diags.add("HF1007", f"condition '{source}' was not translated ("
                           + (f"{seen} is no variable: ink counts how often it has been seen, which no "
                              "variable of ours holds" + (" (whether it was seen, `{name}` or `{not name}`, is "
                                                          "imported; a count is not)" if flagged else "")
                              if seen else why)
                           + "); the choice is offered without it", span,
                           ("Test whether it was seen instead (`{tea}`, `{not tea}`), or declare" if flagged else
                            "Declare")
                           + " a true/false VAR, set it where the knot is seen (`~ seen_cave = true`), and "
                           "test it instead." if seen else None)
            kept.append(Kept(source, span))
        return result

    def _checked(self, node: Expr) -> tuple[Expr | None, str]:
        """(`node` as a true/false condition, "") or (None, why not)."""
        node = self._truthy(self._as_hero(node))
        found, problems = expr.check_all(node, self.scope())
        if problems or found is not Type.BOOL or not writable(node):
            return None, problems[0].message if problems else "it cannot be written in a choice attribute"
        return node, ""

    def _truthy(self, node: Expr) -> Expr:
        """`node` as true/false the way JavaScript and ink test a value: a number means
        "not 0", text "not empty" — on its own and under `not`, `and`, `or` (`not $gold`,
        `$hp and $key`), whose operands both languages test the same way. A part that
        does not type-check is left as it is, for `condition` to report."""
        if not self.truthy_operands:
            return self._truthy_value(node)
        if isinstance(node, expr.Unary) and node.op == "not":
            inner = self._truthy(node.operand)
            if isinstance(inner, expr.Binary) and inner.op == "!=" and inner is not node.operand:
                return expr.Binary("==", inner.left, inner.right)     # `not $gold` → `gold == 0`
            return expr.Unary("not", inner)
        if isinstance(node, expr.Binary) and node.op in ("and", "or"):
            return expr.Binary(node.op, self._truthy(node.left), self._truthy(node.right))
        return self._truthy_value(node)

    def _truthy_value(self, node: Expr) -> Expr:
        """A number or text tested on its own, as `!= 0` / `!= ""`; anything else as it is."""
        found, problems = expr.check_all(node, self.scope())
        if not problems and found is Type.NUMBER:
            return expr.Binary("!=", node, expr.Number(0))
        if not problems and found is Type.STRING:
            return expr.Binary("!=", node, expr.String(""))
        return node

    def effects(self, effects: list[Effect], source: str, span: Span, kept: list[Kept],
                attribute: bool = True) -> list[Effect]:
        """The effects that type-check; each one that does not is reported and kept.
        `attribute` False: effects run before the story starts (StoryInit, `startup`),
        whose values become the front matter's starting values and are never written in
        a choice's `do="…"` — a text holding `"`, `{` or `}` is fine there (our own
        Twee export's `<<set $motto to "Say \"hi\"">>` was refused, the value lost)."""
        good: list[Effect] = []
        for effect in self.hero_effects(effects):
            name, found = _assigned_type(effect, self.scope())
            if found is not None and name in self.types and found is not self.types[name]:
                self.diags.add("HF1006", f"'{name}' holds {_kind(self.types[name])} but '{source}' gives it "
                               f"{_kind(found)}; this assignment is left out", span)
                kept.append(Kept(source, span))
                continue
            problems = expr.check_effects([effect], self.scope())
            if problems or (attribute and not writable((effect,))):
                why = problems[0].message if problems else "it cannot be written in a choice attribute"
                self.diags.add("HF1007", f"'{source}' was not translated ({why}); it is left out", span,
                               EFFECT_HINT)
                kept.append(Kept(source, span))
                continue
            good.append(effect)
        return good


def read_as(node: Expr, reads: dict[str, Expr]) -> Expr:
    """`node` with each name in `reads` replaced by what it reads as (a hero constant by
    the hero's value, an ink read count by its seen-flag)."""
    if not reads:
        return node
    if isinstance(node, expr.Name):
        return reads.get(node.name, node)
    if isinstance(node, expr.Unary):
        return expr.Unary(node.op, read_as(node.operand, reads))
    if isinstance(node, expr.Binary):
        return expr.Binary(node.op, read_as(node.left, reads), read_as(node.right, reads))
    if isinstance(node, expr.Call):
        return expr.Call(node.func, tuple(read_as(a, reads) for a in node.args))
    return node


def _assigned_type(effect: Effect, scope: expr.Scope) -> tuple[str, Type | None]:
    if isinstance(effect, SetFlag):
        return effect.name, Type.BOOL
    if isinstance(effect, Assign):
        if effect.op != "=":    # `+=`/`-=` of a number; of text (`$name to $name + " Lee"`) it is
            value, problems = expr.check_all(effect.value, expr.Scope(scope.names))   # joining, not a type
            return effect.target, Type.NUMBER if problems or value is Type.NUMBER else None
        found, problems = expr.check_all(effect.value, expr.Scope(scope.names))
        return effect.target, None if problems else found
    return "", None


def literal(node: Expr) -> Value | None:
    """The value an expression writes as such: a number (`3`, `-2.5`), a text (`"a"`)
    or true/false, else None (known only as the story plays). A minus goes before a
    number only: `-"x"` and `-true` are no value either format gives a variable.
    Shared by the Harlowe datatypes (macros.py) and ink's `VAR` (ink.py)."""
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -node.operand.value
    return node.value if isinstance(node, (Number, String, Bool)) else None


def whole(value: Value) -> Value:
    """A starting value as the front matter can hold it: a decimal rounded (it holds whole numbers)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value)
    return value


def decimal_starts(values: dict[str, Value], sets: list[tuple], diags: Diagnostics) -> list[Kept]:
    """A variable whose starting value is a decimal (`<<set $f to 1.5>>` in StoryInit,
    ink's `~ x = 3 / 2.0` before the first choice): the front matter holds whole numbers
    only, so it starts rounded. Said (HF1007) at the last of `sets` ((effects, source,
    span), in the order they ran) giving it a value; those sets are returned, to keep."""
    kept: list[Kept] = []
    for name, value in values.items():
        if not isinstance(value, float) or value.is_integer():
            continue
        found = next((hit for hit in reversed(sets)
                      if any(isinstance(e, Assign) and e.target == name for e in hit[0])), None)
        if found is None:
            continue
        _, source, span = found
        kept.append(decimal_start(name, value, source, span, diags))
    return kept


def decimal_start(name: str, value: float, source: str, span: Span, diags: Diagnostics) -> Kept:
    """Say that `name` starts at whole(value), not the decimal `value` that `source` (at
    `span`) gives it (HF1007); the source, to keep. (ink's `VAR f = 1.5` too.)"""
    diags.add("HF1007", f"'{name[:40]}' starts at the decimal {value!r} ('{source[:60]}'): a story variable "
              f"starts at a whole number, so it starts at {whole(value)}", span,
              "Start it at a whole number (scale it: tenths as 15 for 1.5), then delete the `imported` block.")
    return Kept(source, span)


def _kind(kind: Type) -> str:
    return {Type.NUMBER: "a number", Type.BOOL: "true/false", Type.STRING: "text"}[kind]


def run_effects(effects: list[Effect], values: dict[str, Value]) -> dict[str, Value]:
    """Starting values after effects that run before the first choice (StoryInit,
    the start passage, ink's opening lines); effects that fail leave values as they were."""
    env = dict(values)
    try:
        expr.apply_effects(effects, env, set())
    except expr.ExprError:
        return values
    return env


def _shown(value: Value) -> str:
    """A value as the source wrote it (ink's and JavaScript's true/false)."""
    return ("true" if value else "false") if isinstance(value, bool) else repr(value)
