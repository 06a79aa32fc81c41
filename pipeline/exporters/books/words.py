"""Conditions and effects in the reader's words, for printed gamebooks.

A printed book cannot evaluate `agility >= 12`; the reader does. So every condition
and effect is read out from its syntax tree (never from its text) as a plain
phrase: "your Agility is at least 12", "lose 3 air", "note that you met Tomas".

Story flags are the reader's notes, as in the gamebook codeword tradition: setting
one asks the reader to note it, testing one asks whether they did. A flag named
like a statement about the hero (`met_tomas`, `has_key`, `knows_way`) reads as that
statement; any other flag (`low_tide`) reads as a quoted note ("Low tide").

The phrases come in the book's language: every one is a gettext message of the
theme's catalogs (exporters/theme_words.py), looked up through the translator the
Vocabulary carries (`say`, handed in by the exporter; English by default, which is
the source itself). A message is a whole phrase with named placeholders
(`%(subject)s is at least %(value)s`), so a translator orders the words as the
language needs; conditions are written to follow "If" (a German translation puts
its verb last). Reading a flag's name as an English sentence is English grammar,
so any other language reads every flag as a quoted note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ...expr import Assign, Binary, Bool, Call, Give, Name, Node, Number, SetFlag, String, Take, Unary
from ...expr.nodes import COMPARISONS, PRECEDENCE
from ...expr.printer import format_number
from ..theme_words import ENGLISH, N_, isolated
from .capitals import upper

# The digits format_number writes (Latin, in every language): a minus before one is a
# number's sign, which `Vocabulary.signed` marks in a right-to-left sentence.
_DIGITS = frozenset("0123456789")

# Comparisons read with the subject first: "at least 12". Negating one flips it.
# Each is a whole phrase (a gettext message): a translator places the verb.
_COMPARED = {">=": N_("%(subject)s is at least %(value)s"), ">": N_("%(subject)s is more than %(value)s"),
             "<=": N_("%(subject)s is at most %(value)s"), "<": N_("%(subject)s is less than %(value)s"),
             "==": N_("%(subject)s is %(value)s"), "!=": N_("%(subject)s is not %(value)s")}
_COMPARED_PLURAL = {">=": N_("%(subject)s are at least %(value)s"), ">": N_("%(subject)s are more than %(value)s"),
                    "<=": N_("%(subject)s are at most %(value)s"), "<": N_("%(subject)s are less than %(value)s"),
                    "==": N_("%(subject)s are %(value)s"), "!=": N_("%(subject)s are not %(value)s")}
_COUNTED = {">=": N_("you have at least %(amount)s %(what)s"), ">": N_("you have more than %(amount)s %(what)s"),
            "<=": N_("you have at most %(amount)s %(what)s"), "<": N_("you have less than %(amount)s %(what)s"),
            "==": N_("you have exactly %(amount)s %(what)s"), "!=": N_("you have other than %(amount)s %(what)s")}
_LEVEL = {">=": N_("you are at least level %(level)s"), ">": N_("you are above level %(level)s"),
          "<=": N_("you are at most level %(level)s"), "<": N_("you are below level %(level)s"),
          "==": N_("you are level %(level)s"), "!=": N_("you are not level %(level)s")}
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}
_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷", "//": "÷", "%": "mod"}

# Flag names that start with a verb read as what the hero did or has.
# present tense: (you …, you do not …); past tense: past → past participle.
_PRESENT = {"has": ("have", "do not have"), "have": ("have", "do not have"), "owns": ("own", "do not own"),
            "knows": ("know", "do not know"), "is": ("are", "are not"), "are": ("are", "are not"),
            "can": ("can", "cannot"), "carries": ("carry", "do not carry"), "holds": ("hold", "do not hold")}
_IRREGULAR = {"met": "met", "took": "taken", "heard": "heard", "found": "found", "saw": "seen", "gave": "given",
              "told": "told", "made": "made", "won": "won", "lost": "lost", "left": "left",
              "kept": "kept", "broke": "broken", "spoke": "spoken", "chose": "chosen", "stole": "stolen",
              "knew": "known", "fought": "fought", "bought": "bought", "brought": "brought", "ate": "eaten",
              "drank": "drunk", "swore": "sworn", "wrote": "written", "rode": "ridden", "read": "read",
              "fell": "fallen", "slew": "slain", "sold": "sold", "paid": "paid", "hid": "hidden",
              "freed": "freed", "woke": "woken", "rang": "rung", "sang": "sung", "swam": "swum"}
_ARTICLES = {"a", "an", "the", "no", "some", "about", "how", "what", "where", "who", "why", "that", "your"}


@dataclass(frozen=True)
class Vocabulary:
    """The names a story's expressions use, as the reader knows them."""

    attributes: dict[str, str] = field(default_factory=dict)   # id → "Agility"
    stats: dict[str, str] = field(default_factory=dict)        # derived stat id → "Hit points"
    skills: dict[str, str] = field(default_factory=dict)       # skill id → "Tracking"
    people: dict[str, str] = field(default_factory=dict)       # person id → "Tomas"
    variables: dict[str, type] = field(default_factory=dict)   # story variable → bool, int or str
    possessive: bool = True       # "your Agility" in a condition; "Agility" in a formula
    # the theme's words in the book's language (theme_words.Words): every phrase is looked up here
    say: Any = field(default=ENGLISH, compare=False)
    # labels above the book shows in the base language (no translation) → their marks
    # ((attribute, value) pairs: lang, dir, class): `marked` wraps them in a sentence
    base: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False)

    def phrase(self, message: str, **values: str) -> str:
        """`message` (a gettext msgid with `%(name)s` placeholders) in the book's
        language, filled with `values`; a value of the other direction than the
        book's language (a story variable's Latin name, "coins", in an Arabic "you have
        at least 2 coins") set apart between FSI and PDI, as the theme's sentences do
        (theme_words.isolated): the 2 was drawn inside the Latin word's run."""
        said = self.say.gettext(message)
        return said % isolated(getattr(self.say, "language", "en"), values, said) if values else said

    @property
    def english(self) -> bool:
        """True when the phrases are the English source (flag names read as English)."""
        return bool(getattr(self.say, "identity", True))

    def number(self, value: int | float) -> str:
        """`value` as a sentence in the phrases' language writes it: the expression's
        digits (`format_number`) with the language's decimal sign (CLDR, by Babel): a
        German sentence said "mindestens 7.5", which a German reader takes for seven
        thousand five hundred. English phrases (the source, or a language the theme has
        no words for) keep the point; no digit grouping, so a whole number is as written."""
        text = format_number(value)
        return self.signed(text if "." not in text or self.english
                           else text.replace(".", _decimal_sign(getattr(self.say, "language", "en"))))

    def signed(self, text: str) -> str:
        """`text` (a number, or a value in words, starting with its minus sign) as a
        sentence in a right-to-left language writes it: a LEFT-TO-RIGHT MARK before the
        sign, as CLDR writes Arabic's, Persian's and Hebrew's minus with Latin digits, so
        that the sign and its digits are one left-to-right run. Without it the sign, a
        neutral character between an Arabic word and a number, took the sentence's
        direction and was drawn right of the digits ("أكثر من −1.5" read 1.5−) on the
        page and in the books. Any other text, or language, as it is: a negated value
        in words (`-coins`, "−رصيدك من coins") is not a number, and the mark, a strong
        left-to-right letter, made the isolate it is set in left to right, drawing its
        minus after the Arabic words and scrambling them; the sign before right-to-left
        words is drawn before them by itself."""
        if text[:1] not in ("-", "\u2212") or text[1:2] not in _DIGITS or self.english:
            return text
        from ...l10n.scripts import text_direction
        return "\u200e" + text if text_direction(getattr(self.say, "language", "en")) == "rtl" else text

    def quoted(self, text: str) -> str:
        """`text` in the language's quotation marks: “Low tide”."""
        return self.say.pgettext("quoted", "“%(text)s”") % {"text": text}


@lru_cache(maxsize=None)
def _decimal_sign(language: str) -> str:
    """The decimal sign of `language` (a BCP 47 tag) in its Latin digits, as CLDR has it
    (`de` ',', `ar` '.'), or '.' for a tag Babel does not know (the pseudo-locale)."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol
    try:
        return get_decimal_symbol(Locale.parse(language, sep="-"))
    except (ValueError, TypeError, UnknownLocaleError):
        return "."


def marked(sentence: str | None, words: Vocabulary) -> Any:
    """A sentence of this module (a condition, effects, a formula in words) as a book
    shows it: each label in it the book shows in the base language (`words.base`: an
    untranslated attribute, stat or skill name in a German sentence) in a span carrying
    its marks, as resolve/localized.py `label` marks one standing alone; the rest
    escaped (a Markup). The sentence itself when it holds none, so a book with nothing
    to mark is as it was."""
    if not sentence or not words.base:
        return sentence
    found = sorted((name for name in words.base if name and name in sentence), key=len, reverse=True)
    if not found:
        return sentence
    import re
    from markupsafe import Markup, escape
    out, at = Markup(""), 0
    for m in re.finditer("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in found), sentence):
        attrs = "".join(f' {k}="{escape(v)}"' for k, v in words.base[m.group()])
        out += escape(sentence[at:m.start()]) + Markup(f"<span{attrs}>") + escape(m.group()) + Markup("</span>")
        at = m.end()
    return out + escape(sentence[at:])


def rule_labels_in_base(world: Any) -> dict[str, tuple[tuple[str, str], ...]]:
    """Vocabulary.base for `world`: each attribute, derived stat and skill name its
    language shows in the base language, with its fallback marks."""
    from ...resolve.localized import fallback_marks
    rules, out = world.rules, {}
    for kind, table in (("attribute", rules.attributes), ("derived", rules.derived)):
        for rid, rule in table.items():
            marks = fallback_marks(world, f"rules.{kind}.{rid}.name")
            if marks and rule.name:
                out[rule.name] = tuple(sorted(marks.items()))
    for sid, skill in rules.skills.items():
        marks = fallback_marks(world, f"rules.skill.{sid}.name")
        if marks and skill.rule.name:
            out[skill.rule.name] = tuple(sorted(marks.items()))
    return out


def humanise(identifier: str) -> str:
    """`ember-relic` → "ember relic"; `met_tomas` → "met tomas"."""
    return identifier.replace("_", " ").replace("-", " ")


def capitalise(text: str) -> str:
    """`text` with its first letter in capitals, as it starts a sentence (a formula's
    reading, a requirement): a Georgian word's Mkhedruli kept (capitals.py), whose
    Mtavruli capital printed as a box where the rule book's name printed well."""
    return upper(text[:1]) + text[1:]


def join(phrases: list[str], last: str = "and", words: Vocabulary | None = None) -> str:
    """"a, b and c"; with `words`, in its language (`last` is "and" or "or")."""
    if len(phrases) <= 1:
        return "".join(phrases)
    if words is None:
        return f"{', '.join(phrases[:-1])} {last} {phrases[-1]}"
    head = words.say.pgettext("list separator", ", ").join(phrases[:-1])
    if last == "or":
        return words.phrase(N_("%(first)s or %(last)s"), first=head, last=phrases[-1])
    return words.phrase(N_("%(first)s and %(last)s"), first=head, last=phrases[-1])


# --- conditions -----------------------------------------------------------------------

def condition(node: Node, words: Vocabulary) -> str:
    """A condition as a phrase to follow "If": "your Agility is at least 12"."""
    return _claim(node, True, words)


def _claim(node: Node, positive: bool, words: Vocabulary) -> str:
    if isinstance(node, Unary) and node.op == "not":
        return _claim(node.operand, not positive, words)
    if isinstance(node, Binary) and node.op in ("and", "or"):
        return _junction(node, positive, words)
    if isinstance(node, Binary) and node.op in COMPARISONS:
        return _comparison(node.left, node.op if positive else _NEGATED[node.op], node.right, words)
    if isinstance(node, Name) and words.variables.get(node.name) is bool:
        return Flag(node.name, words).holds(positive)
    if isinstance(node, Call) and node.func in ("has", "has_skill") and node.args:
        return _possession(node, positive, words)
    if isinstance(node, Bool):
        open_ = node.value == positive
        return words.phrase(N_("this way is open") if open_ else N_("this way is closed"))
    if positive:
        return words.phrase(N_("%(value)s is true"), value=_value(node, words))
    return words.phrase(N_("%(value)s is false"), value=_value(node, words))


def _junction(node: Binary, positive: bool, words: Vocabulary) -> str:
    # De Morgan: "not (a and b)" reads "a is not so, or b is not so".
    op = node.op if positive else ("or" if node.op == "and" else "and")
    parts = []
    for side in _chain(node, node.op):
        text = _claim(side, positive, words)
        inner = _effective_op(side, positive)
        if inner and inner != op:
            text = words.phrase(N_("either %(claim)s"), claim=text) if inner == "or" else \
                words.phrase(N_("both %(claim)s"), claim=text)
        parts.append(text)
    return join(parts, op, words)


def _chain(node: Node, op: str) -> list[Node]:
    """`a and b and c` as [a, b, c] (the parser nests them to the left)."""
    if isinstance(node, Binary) and node.op == op:
        return _chain(node.left, op) + _chain(node.right, op)
    return [node]


def _effective_op(node: Node, positive: bool) -> str | None:
    if isinstance(node, Unary) and node.op == "not":
        return _effective_op(node.operand, not positive)
    if isinstance(node, Binary) and node.op in ("and", "or"):
        return node.op if positive else ("or" if node.op == "and" else "and")
    return None


def _comparison(left: Node, op: str, right: Node, words: Vocabulary) -> str:
    if _is_literal(left) and not _is_literal(right):
        left, right, op = right, left, _FLIPPED[op]
    if isinstance(left, Name) and words.variables.get(left.name) is bool and isinstance(right, Bool):
        return Flag(left.name, words).holds((op == "==") == right.value)
    if isinstance(left, Name) and left.name == "level" and left.name not in words.variables:
        return words.phrase(_LEVEL[op], level=_value(right, words))
    if isinstance(left, Name) and words.variables.get(left.name) is int and isinstance(right, Number):
        return words.phrase(_COUNTED[op], amount=words.number(right.value), what=humanise(left.name))
    subject = _value(left, words)
    # English agreement ("your Hit points are"), read from the English words only
    plural = words.english and _plural(subject)
    return words.phrase((_COMPARED_PLURAL if plural else _COMPARED)[op], subject=subject,
                        value=_value(right, words))


def _possession(node: Call, positive: bool, words: Vocabulary) -> str:
    arg = node.args[0]
    what = arg.value if isinstance(arg, String) else ""
    if node.func == "has_skill":
        skill = words.skills.get(what, capitalise(humanise(what)))
        return words.phrase(N_("you have the skill %(skill)s") if positive
                            else N_("you do not have the skill %(skill)s"), skill=skill)
    item = humanise(what)
    return words.phrase(N_("you have the %(item)s") if positive else N_("you do not have the %(item)s"), item=item)


def _is_literal(node: Node) -> bool:
    return isinstance(node, (Number, String, Bool)) or (isinstance(node, Unary) and node.op == "-"
                                                       and isinstance(node.operand, Number))


def _plural(subject: str) -> bool:
    last = subject.rsplit(" ", 1)[-1]
    return last.endswith("s") and not last.endswith("ss") and subject.startswith("your ")


# --- values -----------------------------------------------------------------------------

def value(node: Node, words: Vocabulary) -> str:
    """A number-valued expression in words: "10 + your Constitution × 2"."""
    return _value(node, words)


def _value(node: Node, words: Vocabulary) -> str:
    if isinstance(node, Number):
        return words.number(node.value)
    if isinstance(node, String):
        return words.quoted(node.value)
    if isinstance(node, Bool):
        return words.phrase(N_("true")) if node.value else words.phrase(N_("false"))
    if isinstance(node, Name):
        return _name(node.name, words)
    if isinstance(node, Unary):
        return words.signed(f"−{_operand(node.operand, 99, words)}") if node.op == "-" else _claim(node, True, words)
    if isinstance(node, Binary) and node.op in _SYMBOL:
        own = PRECEDENCE[node.op]
        left, right = _operand(node.left, own, words), _operand(node.right, own + 1, words)
        if node.op == "%":
            # the remainder in the language's words: "mod" was English in every language
            return words.phrase(N_("%(value)s mod %(divisor)s"), value=left, divisor=right)
        text = f"{left} {_SYMBOL[node.op]} {right}"
        # `//` keeps no fraction: "÷" alone has the reader keep it (3 // 2 is 1, not 1.5)
        return words.phrase(N_("%(value)s rounded down"), value=text) if node.op == "//" else text
    if isinstance(node, Binary):
        return _claim(node, True, words)
    if isinstance(node, Call):
        return _call(node, words)
    return "?"


def _operand(node: Node, needed: int, words: Vocabulary) -> str:
    text = _value(node, words)
    loose = isinstance(node, Binary) and node.op in _SYMBOL and PRECEDENCE[node.op] < needed
    # A value read out in words ("your gold ÷ 2 rounded down", "the lower of your gold
    # and 5") has no precedence a reader knows: inside a sum it is bracketed, else
    # "… rounded down × 2" or "the lower of your gold and 5 + 1" reads two ways.
    # (`min(x)` of one value reads as the value itself.)
    worded = (isinstance(node, Binary) and node.op == "//") or (
        isinstance(node, Call) and not (node.func in ("min", "max") and len(node.args) == 1))
    return f"({text})" if loose or worded else text


def _name(name: str, words: Vocabulary) -> str:
    if name == "level" and name not in words.variables:
        # the hero's level is the theme's word, not the identifier: "level × 4" on a
        # German sheet read as English among translated labels ("Stufe" beside it)
        return words.phrase(N_("your level")) if words.possessive else words.phrase(N_("level"))
    if name in words.variables:
        label = humanise(name)
    else:
        label = words.attributes.get(name) or words.stats.get(name) or capitalise(humanise(name))
    return words.phrase(N_("your %(label)s"), label=label) if words.possessive else label


def _call(node: Call, words: Vocabulary) -> str:
    args = [_value(a, words) for a in node.args]
    if node.func in ("min", "max") and len(args) > 1:
        if len(args) == 2:
            which = N_("the lower of %(values)s") if node.func == "min" else N_("the greater of %(values)s")
        else:
            which = N_("the lowest of %(values)s") if node.func == "min" else N_("the greatest of %(values)s")
        return words.phrase(which, values=join(args, "and", words))
    if node.func in ("min", "max") and args:
        return args[0]
    phrases = {"floor": N_("%(value)s rounded down"), "ceil": N_("%(value)s rounded up"),
               "round": N_("%(value)s rounded"), "abs": N_("%(value)s without its sign"),
               "clamp": N_("%(value)s kept between %(low)s and %(high)s")}
    if node.func in phrases and len(args) == phrases[node.func].count("%("):
        return words.phrase(phrases[node.func], **dict(zip(("value", "low", "high"), args)))
    return _claim(node, True, words)


# --- flags --------------------------------------------------------------------------------

class Flag:
    """A story flag as the reader's note."""

    def __init__(self, name: str, words: Vocabulary):
        self.words = words
        self.tokens = _with_people(name.split("_"), words.people)
        verb, rest = self.tokens[0].lower(), self.tokens[1:]
        if not words.english:
            self.statement = self.denial = None   # the name's English grammar does not translate
        elif verb in _PRESENT and rest:
            yes, no = _PRESENT[verb]
            if verb not in ("is", "are", "can"):
                rest = _with_article(rest, words)
            self.statement, self.denial = f"you {yes} {' '.join(rest)}", f"you {no} {' '.join(rest)}"
        elif rest and (verb in _IRREGULAR or (verb.endswith("ed") and len(verb) > 3)):
            said = " ".join(_with_article(rest, words))
            self.statement = f"you {verb} {said}"
            self.denial = f"you have not {_IRREGULAR.get(verb, verb)} {said}"
        else:
            self.statement = self.denial = None
        self.label = words.quoted(capitalise(' '.join(self.tokens)))

    def holds(self, positive: bool) -> str:
        if self.statement is None:
            return self.words.phrase(N_("you have noted %(note)s") if positive else N_("you have not noted %(note)s"),
                                     note=self.label)
        return self.statement if positive else self.denial

    def note(self) -> str:
        if self.statement:
            return self.words.phrase(N_("note that %(statement)s"), statement=self.statement)
        return self.words.phrase(N_("note %(note)s"), note=self.label)

    def cross_out(self) -> str:
        if self.statement:
            return self.words.phrase(N_("cross out your note that %(statement)s"), statement=self.statement)
        return self.words.phrase(N_("cross out %(note)s"), note=self.label)


def _with_people(tokens: list[str], people: dict[str, str]) -> list[str]:
    """Person ids inside a flag name become names, possessive when something of
    theirs follows: met_tomas → met Tomas; took_dunnet_coin → took Dunnet’s coin."""
    out, i = [], 0
    ids = sorted(people, key=lambda p: -len(p.split("-")))
    while i < len(tokens):
        for pid in ids:
            parts = pid.split("-")
            if tokens[i:i + len(parts)] == parts:
                i += len(parts)
                out.append(people[pid] + ("’s" if i < len(tokens) else ""))
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _with_article(rest: list[str], words: Vocabulary) -> list[str]:
    """has_key → "have the key"; a name, an article or a possessive needs none."""
    first = rest[0]
    if first.lower() in _ARTICLES or first[:1].isupper() or first.isdigit():
        return rest
    return ["the", *rest]


# --- effects ------------------------------------------------------------------------------

def effects(nodes, words: Vocabulary) -> str:
    """Effects as an instruction: "lose 1 air and note that you met Tomas"."""
    return join([effect(n, words) for n in nodes], "and", words)


def effect(node: Node, words: Vocabulary) -> str:
    if isinstance(node, SetFlag):
        flag = Flag(node.name, words)
        return flag.note() if node.value else flag.cross_out()
    if isinstance(node, Give):
        return words.phrase(N_("gain the %(item)s"), item=humanise(node.item))
    if isinstance(node, Take):
        return words.phrase(N_("lose the %(item)s"), item=humanise(node.item))
    if isinstance(node, Assign):
        return _assign(node, words)
    return "?"


def _assign(node: Assign, words: Vocabulary) -> str:
    kind, what = words.variables.get(node.target), humanise(node.target)
    if node.op == "=" and kind is bool:
        flag = Flag(node.target, words)
        if isinstance(node.value, Bool):
            return flag.note() if node.value.value else flag.cross_out()
        return words.phrase(N_("%(note)s if %(condition)s, or else %(cross_out)s"), note=flag.note(),
                            condition=_claim(node.value, True, words), cross_out=flag.cross_out())
    if node.op == "=":
        return words.phrase(N_("change your %(what)s to %(value)s"), what=what, value=_value(node.value, words))
    gain, amount = node.op == "+=", _literal_number(node.value)
    if amount is not None:
        if amount < 0:
            gain, amount = not gain, -amount
        return words.phrase(N_("gain %(amount)s %(what)s") if gain else N_("lose %(amount)s %(what)s"),
                            amount=words.number(amount), what=what)
    value = _value(node.value, words)
    return words.phrase(N_("add %(value)s to your %(what)s") if gain else N_("take %(value)s from your %(what)s"),
                        value=value, what=what)


def _literal_number(node: Node) -> int | float | None:
    """`3` or `-3` (the parser reads the latter as a negation of 3)."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -node.operand.value
    return None
