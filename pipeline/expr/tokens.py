"""Turning expression text into tokens, one at a time.

The lexer is lazy (the parser pulls one token at a time) so that the first problem
in reading order is the one reported, whether it is a stray character or bad syntax.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from dataclasses import dataclass

from ..ids import EXPRESSION_WORDS, ODD_SPACES
from ..load.hygiene import describe
from .errors import OVERFLOW, SYNTAX, TYPOGRAPHIC_SIGN, ExprError, quoted

MAX_SOURCE_LENGTH = 2000
NUMBER_LIMIT = 2**53  # the largest integer a JSON/JavaScript engine keeps exact

KEYWORDS = EXPRESSION_WORDS   # fields.py: names (VarName) are checked against the same words

# Longest first, so that "<=" is not read as "<" followed by "=".
OPERATORS = ("//", "==", "!=", "<=", ">=", "+=", "-=",
             "+", "-", "*", "/", "%", "<", ">", "(", ")", ",", ";", "=")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+(?![A-Za-z0-9_])")
_SPACE = re.compile(r"[ \t\r\n]+")
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")

# Signs a word processor, a phone's keyboard or an input method types for an operator
# or a quote (`≥` for `>=`, the minus sign or a dash for `-`, curly quotes); a full-width
# form (U+FF01–U+FF5E, a CJK input method) stands for its ASCII character.
TYPOGRAPHIC = {"≥": ">=", "≤": "<=", "≠": "!=", "−": "-", "–": "-", "—": "-", "×": "*", "÷": "/",
               "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"}


def plain_sign(char: str) -> str | None:
    """What a writer meant by a typographic `char` (`≥` → `>=`), or None."""
    if "\uff01" <= char <= "\uff5e":
        return chr(ord(char) - 0xFEE0)
    return TYPOGRAPHIC.get(char)


def straightened(text: str) -> str:
    """`text` with every typographic sign written as the language's (the fix to show)."""
    return "".join(plain_sign(c) or c for c in text)


# Operators from other languages writers often try, with what to write instead.
_FOREIGN = {"&&": "and", "||": "or", "!": "not"}
# Comparisons written back to front, or as BASIC and SQL write "not equal". Never valid
# here (`=` is only an effect's assignment, and no value starts with `<` or `>`), but
# read as `=` or `<` they were "expected an operator but found '='" with the hint
# "use '==' to compare": wrong for `agility => 12`, which meant `>=`.
_MISORDERED = {"=>": ">=", "=<": "<=", "<>": "!="}


def misordered(tok: "Token") -> ExprError:
    """The error of a comparison written back to front (`=>`, `=<`, `<>`) where an
    operator or a value was expected: the comparison it meant."""
    return ExprError(SYNTAX, f"{quoted(tok.text)} is not an operator", tok.offset, len(tok.text),
                     f"write {quoted(_MISORDERED[tok.text])} instead")


def meant(tok: "Token") -> str:
    """The comparison a misordered token (`=>`) stands for (`>=`)."""
    return _MISORDERED[tok.text]


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "string", "name", "keyword", "op", "misordered" (`=>`: `misordered`) or "eof"
    text: str  # the exact source text
    offset: int
    value: object = None  # the number or the unescaped string

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def describe(self) -> str:
        if self.kind == "eof":
            return "the end of the text"
        return quoted(self.text, 30)


def check_length(text: str) -> None:
    if len(text) > MAX_SOURCE_LENGTH:
        raise ExprError(SYNTAX, f"expression is too long ({len(text)} characters; "
                        f"the limit is {MAX_SOURCE_LENGTH})", MAX_SOURCE_LENGTH,
                        len(text) - MAX_SOURCE_LENGTH, "Split the logic or move it into story variables.")


class Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def next(self) -> Token:
        space = _SPACE.match(self.text, self.pos)
        if space:
            self.pos = space.end()
        if self.pos >= len(self.text):
            return Token("eof", "", len(self.text))
        token = self._read(self.text[self.pos])
        self.pos = token.end
        return token

    def _read(self, char: str) -> Token:
        if char.isdigit() and char.isascii():
            return self._number()
        if char in "\"'":  # single quotes too: a choice's if="…" attribute cannot hold a double quote
            return self._string(char)
        if _WORD.match(self.text, self.pos):
            return self._word()
        two = self.text[self.pos:self.pos + 2]
        if two in _MISORDERED:
            # a token of its own, said by the parser where it stands (`misordered`): in an
            # effect's place of `=` "write '>='" led to another error (a comparison there)
            return Token("misordered", two, self.pos)
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                return Token("op", op, self.pos)
        raise self._stray(char)

    def _number(self) -> Token:
        match = _NUMBER.match(self.text, self.pos)
        text = match.group()
        if text.endswith("."):
            raise ExprError(SYNTAX, "a decimal needs digits after the point", match.end() - 1, 1,
                            "Write decimals like 1.5.")
        if exponent := _EXPONENT.match(self.text, match.end()):   # "1e3", "2.5E-4": scientific notation
            raise ExprError(SYNTAX, f"{quoted(text + exponent.group())} is written with an exponent, which "
                            "expressions do not read", match.end(), 1,
                            "Write the number in full: 1000, not 1e3.")
        if _WORD.match(self.text, match.end()):  # "2x": almost always a missing operator
            raise ExprError(SYNTAX, f"missing an operator after {quoted(text)}", match.end(), 1,
                            "Names start with a letter; write 2 * x to multiply.")
        # Compare the exact decimal: 9007199254740993.0 would round to 2**53 as a float.
        if Decimal(text) > NUMBER_LIMIT:
            raise ExprError(OVERFLOW, f"number {quoted(text)} is too large", self.pos, len(text))
        return Token("number", text, self.pos, float(text) if "." in text else int(text))

    def _string(self, quote: str) -> Token:
        chars: list[str] = []
        i = self.pos + 1
        while i < len(self.text):
            char = self.text[i]
            if char == quote:
                return Token("string", self.text[self.pos:i + 1], self.pos, "".join(chars))
            if char == "\\":
                if i + 1 >= len(self.text) or self.text[i + 1] not in "\"'\\":
                    raise ExprError(SYNTAX, "unknown escape in text", i, 2,
                                    "Only \\\", \\' and \\\\ may follow a backslash.")
                i += 1
                char = self.text[i]
            chars.append(char)
            i += 1
        raise ExprError(SYNTAX, "text has no closing quote", self.pos, 1, f"End the text with {quote}.")

    def _word(self) -> Token:
        text = _WORD.match(self.text, self.pos).group()
        if not _NAME.match(text):
            raise ExprError(SYNTAX, f"names are lowercase: {quoted(text)}", self.pos, len(text),
                            f"Did you mean {quoted(text.lower())}?")
        return Token("keyword" if text in KEYWORDS else "name", text, self.pos)

    def _stray(self, char: str) -> ExprError:
        two = self.text[self.pos:self.pos + 2]
        for foreign, native in _FOREIGN.items():
            if two.startswith(foreign):
                return ExprError(SYNTAX, f"{quoted(foreign)} is not part of the language",
                                 self.pos, len(foreign), f"write {quoted(native)} instead")
        if _ODD_SPACE.match(char):
            # a no-break space typed by an editor: "unexpected character ' '" named
            # what the writer sees as a space, and no fix
            plain = _ODD_SPACE.sub(" ", self.text)
            return ExprError(SYNTAX, f"a U+{ord(char):04X} {unicodedata.name(char, 'space')} is no space the "
                             "language reads", self.pos, 1,
                             f"An editor typed it; write an ordinary space: `{straightened(plain)[:80]}`.")
        native = plain_sign(char)
        if native is not None:
            # one finding for the expression: the hint writes every such sign plainly
            return ExprError(TYPOGRAPHIC_SIGN, f"{quoted(char)} is a typographic sign: the language writes "
                             f"{quoted(native)}", self.pos, 1,
                             f"An editor or keyboard replaced it; write `{straightened(self.text)[:80]}`.")
        if two in ('\\"', "\\'"):
            # `{do="mood = \"bold\""}`: a quote escaped to fit inside a choice's attribute
            mended = self.text.replace('\\"', "'").replace("\\'", "'")
            return ExprError(SYNTAX, f"unexpected character {quoted(char)}", self.pos, 1,
                             f"A backslash escapes a quote only inside text; write the text in single "
                             f"quotes: `{mended[:80]}`.")
        # a character nobody sees (U+2028 kept in a YAML value, a control character) is
        # named, not printed: quoted, it showed as `' '` or broke the message's line
        shown = quoted(char) if char.isprintable() else describe(char)
        return ExprError(SYNTAX, f"unexpected character {shown}", self.pos, 1)
