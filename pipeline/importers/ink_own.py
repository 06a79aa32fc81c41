"""The functions our own ink export defines (expr/emit.py), found in an ink file.

The export writes division, `//`, `%`, `round`, `abs` and `clamp` as calls of functions
it defines at the end of the script (`HF_div`, `HF_floor_div`, … : INK_HELPERS), and
moves the deep parts of an expression into functions of their own (`HF_part_<digest>`,
returning that part). Imported back, those calls are what they stand for (`a / b`, the
part itself): read as calls of functions of the writer's, every division of a story
exported and imported again was lost (HF1003), and its conditions with it.

A helper is recognised only when the file defines it word for word as the export does,
and a part only when its name is the digest of the expression it returns, as the export
names it: a function of the writer's that happens to share a name is read as any other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..expr.emit import INK_HELPERS

_PART = re.compile(r"^=== function (HF_part_([0-9a-f]{16}))\(\) ===\n~ return (.+)$", re.M)


@dataclass(frozen=True)
class OwnFunctions:
    """`helpers`: the INK_HELPERS names the file defines as the export does; `parts`:
    each HF_part_ function's name → the ink expression it returns."""
    helpers: frozenset[str] = frozenset()
    parts: dict[str, str] = field(default_factory=dict)

    def definition(self, lines: list[str]) -> bool:
        """Whether a function read as `lines` (its header, then its body's non-blank
        lines) is one of these, as the export writes it: nothing of the writer's."""
        text = "\n".join(line.rstrip() for line in lines)
        name = re.match(r"=== function (\w+)\(", text)
        if name is None:
            return False
        if name.group(1) in self.helpers:
            return text == INK_HELPERS[name.group(1)]
        body = self.parts.get(name.group(1))
        return body is not None and text == f"=== function {name.group(1)}() ===\n~ return {body}"


def own_functions(text: str) -> OwnFunctions:
    """The export's functions `text` (an ink file, any line endings) defines."""
    text = text.replace("\r\n", "\n")
    helpers = frozenset(name for name, body in INK_HELPERS.items() if f"\n{body}\n" in f"\n{text}\n")
    parts = {m.group(1): m.group(3) for m in _PART.finditer(text)
             if hashlib.sha256(m.group(3).encode("utf-8")).hexdigest()[:16] == m.group(2)}
    return OwnFunctions(helpers, parts)
