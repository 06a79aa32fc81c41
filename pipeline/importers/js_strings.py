"""A JavaScript string literal's value, as SugarCube and Harlowe read one.

Both formats evaluate a macro's expression as JavaScript, so `"caf\\u00e9"` is `café`
and `"\\x41"` is `A`. Reading only `\\n` and `\\t` turned every other escape into its
letter: `\\u2028` (which our own Twee export writes, expr/emit.py `_JS_ESCAPES`) became
`u2028`, `\\r` became `r`. This reads ECMAScript's whole EscapeSequence grammar
(ECMA-262 §12.9.4), with Annex B's legacy octal escapes (what a browser reads in code
that is not strict; strict code refuses them):

    \\b \\f \\n \\r \\t \\v        the control characters      \\0 (no digit after)  NUL
    \\xHH  \\uHHHH  \\u{H…}      a code point (a UTF-16 surrogate pair of \\u escapes is one)
    \\ + line terminator     nothing (a line continuation: LF, CR, CR LF, U+2028, U+2029)
    \\1 … \\377              legacy octal              \\8 \\9, \\', \\", \\\\ and any other: itself

What JavaScript refuses — `\\x` or `\\u` without their digits, `\\u{…}` past U+10FFFF —
and a lone surrogate (no character a file can hold) raise JsStringError with the
offset of the escape, so the importer reports and keeps the expression as it does
anything it cannot translate.

Our own code, not a library's: no maintained Python package decodes a JavaScript
string literal alone (esprima and pyjsparser, full JavaScript parsers, last released
in 2018 and 2019); Python's `unicode_escape` codec reads Python's escapes (no `\\u{…}`,
an unknown escape kept with its backslash, text outside Latin-1 garbled).
"""

from __future__ import annotations

import re
from typing import Callable

_SINGLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}

_ESCAPE = re.compile(r"""\\(?:
    (?P<line>\r\n|[\n\r\u2028\u2029])
  | u\{(?P<braced>[0-9A-Fa-f]+)\}
  | u(?P<four>[0-9A-Fa-f]{4})
  | x(?P<two>[0-9A-Fa-f]{2})
  | (?P<octal>[0-3][0-7]{0,2}|[4-7][0-7]?)
  | (?P<broken>[xu])
  | (?P<char>[\s\S])
)""", re.VERBOSE)

_SURROGATE = re.compile("[\ud800-\udfff]")
# a surrogate no other completes: a high one not followed by a low one, a low one not after a high one
_LONE = re.compile("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")


class JsStringError(ValueError):
    """A literal JavaScript refuses (or whose value no file can hold); `offset` is where
    in the literal's body the escape starts."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message, self.offset = message, offset


def js_string_value(body: str) -> str:
    """The value of a JavaScript string literal whose text between the quotes is `body`."""
    if "\\" not in body:
        return body

    def one(m: re.Match) -> str:
        if m["line"] is not None:
            return ""
        if m["broken"] is not None:
            raise JsStringError(f"'\\{m['broken']}' is not followed by hex digits", m.start())
        if m["char"] is not None:
            return _SINGLE.get(m["char"], m["char"])
        if m["octal"] is not None:
            return chr(int(m["octal"], 8))
        code = int(m["braced"] or m["four"] or m["two"], 16)
        if code > 0x10FFFF:
            raise JsStringError(f"'{m.group()[:20]}' is beyond U+10FFFF", m.start())
        return chr(code)

    value = _ESCAPE.sub(one, body)
    if _SURROGATE.search(value):
        # JavaScript's strings are UTF-16: `\ud83d\ude00` is one emoji, written as its
        # two halves; a half alone is no character (UTF-8 cannot hold it)
        try:
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            raise JsStringError("a lone UTF-16 surrogate (half of a character) is no character",
                                _lone_at(body, value, one)) from None
    return value


def _lone_at(body: str, value: str, one: Callable[[re.Match], str]) -> int:
    """Where in `body` the first lone surrogate of `value` (its value, `one` reading each
    escape) is spelled. Not the first escape spelling a surrogate: in
    `\\ud83d\\ude00\\ud800` that is the emoji's first half, and the lone `\\ud800`
    after it was reported at the emoji. One pass, each escape read once more."""
    lone = _LONE.search(value).start()
    at = last = 0            # where the next piece starts: in `value`, in `body`
    for m in _ESCAPE.finditer(body):
        if at + m.start() - last > lone:      # in the text before this escape
            break
        at += m.start() - last
        at += len(one(m))
        if at > lone:
            return m.start()
        last = m.end()
    return last + lone - at
