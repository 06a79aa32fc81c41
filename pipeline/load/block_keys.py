"""A field typed inside a block's text: `skills: [stealth]` under `background: |` at the
block's own indentation is, to YAML, one more line of the background, so it was published
as the hero's words and the hero had no such skill, with check clean. Said (HF0187, a
warning) when the line reads as a field of the same file: a lowercase key that is one of
the file's fields or a near miss of one, on the block's last lines (only such lines, or
lines indented under them, follow it). Prose's own `Note: the fog` (capitalised) or a
lowercase `note:` that names no field is the writer's text, and is not said."""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..diagnostics import Diagnostics, Span, clip
from .documents import Document

# a line of a block as a key's, at the block's own indentation: `skills: [x]`, `tags:`
KEY_LINE = re.compile(r"([a-z][a-z0-9_]{0,40}):(?:[ \t]|$)")
# the header of a block scalar: `background: |`, `summary: >-`, a comment after it
_BLOCK_HEADER = re.compile(r":[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


# a key's shape anywhere in a block's text as read: a `>` block has joined its lines
_ANY_KEY = re.compile(r"(?:^|[ \t\n])[a-z][a-z0-9_]{0,40}:(?:[ \t\n]|$)")


def may_hold_field(text: str) -> bool:
    """Whether a field's text (as read) may hold a line `report_fields_in_block` says:
    the cheap test before it, which needs the file's positions (a `|` block keeps the
    line at its start; a `>` block has joined it to the line above)."""
    return ":" in text and _ANY_KEY.search(text) is not None


def report_fields_in_block(doc: Document, name: str, model: Any, diags: Diagnostics) -> None:
    """HF0187 at each line of top-level block field `name` of `doc` (`background: |`)
    that is a field of `model` typed at the block's own indentation, as the block's last
    lines: a known field (`skills:`) or a near miss of one (`skils:`). The hint is the
    fix that, followed, makes it the field: start it at `name:`'s column (into the field
    of that name the file has already, when it has one), or the capital letter that
    keeps it the writer's text."""
    key, span = doc.key_span(name), doc.span(name)
    lines = doc.source.lines
    header = _BLOCK_HEADER.search(lines[key.line - 1].rstrip("\r")) if 0 < key.line <= len(lines) else None
    if not span.line or header is None:
        return
    base = _indent(lines[key.line - 1])   # the key's line's (`"background": |`: its column is inside the quotes)
    rows = []   # (0-based number, text) of the block's lines
    number = key.line
    while number < len(lines) and (not lines[number].strip() or _indent(lines[number]) > base):
        rows.append((number, lines[number].rstrip("\r")))
        number += 1
    # the block's indentation: its indicator's (`background: |2`, whose first line may be
    # indented more: that line's indentation put a line at the block's own at a column
    # mid-word, `ills:` said for `skills:`), else its first line's
    given_indent = re.search(r"[1-9]", header.group())
    indent = base + int(given_indent.group()) if given_indent else \
        next((_indent(text) for _, text in rows if text.strip()), None)
    if indent is None:
        return
    fields = _fields(model)
    given = {written for written, field in fields.items() if field in getattr(model, "model_fields_set", ())}
    said, under = [], False   # (line, key, whether lines are indented under it), from the block's end up
    for n, text in reversed(rows):
        if not text.strip():
            continue
        if _indent(text) > indent:   # under a key line (`items:` then `  - rope`)
            under = True
            continue
        if _indent(text) < indent:
            break   # not the block's own (YAML would have said it): no key is read mid-word
        found = KEY_LINE.match(text, indent)
        if found is None:
            break   # the text's own last line: the key lines said are after it
        said.append((n, found.group(1), under))
        under = False
    for n, word, below in reversed(said):
        meant = word if word in fields else next(iter(difflib.get_close_matches(word, sorted(fields), n=1, cutoff=0.75)),
                                                 None)
        if meant is None or meant == name:
            continue
        spaces = f"{indent - base} space{'s' if indent - base != 1 else ''}"
        moved = (f"delete the {spaces} before it" + (f" and {spaces} before each line under it" if below else "")
                 + f", so that it starts where `{name}:` does")
        if meant in given:
            there = doc.key_span(meant)
            fix = (f"If it is meant as a field, this file has `{meant}:` already (line {there.line}): write there what "
                   f"this line gives it, and delete this line")
        elif meant != word:
            fix = f"If it is meant as the field `{meant}:`, write `{meant}:` and {moved}"
        else:
            fix = f"If it is meant as a field, {moved}"
        diags.add("HF0187", f"`{clip(word, 30)}:` at the indentation of `{name}:`'s text is read as a line of that "
                  f"text, not as a field: it is published as the {name}'s words",
                  Span(doc.path, n + 1, indent + 1),
                  hint=fix + f". If it is the {name}'s words, start it with a capital letter "
                             f"(`{clip(word[:1].upper() + word[1:], 30)}:`).")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fields(model: Any) -> dict[str, str]:
    """{a field's name as written in a file: its name in `model`} (`with` for `with_`)."""
    out = {}
    for field, info in (getattr(type(model), "model_fields", None) or {}).items():
        out[info.alias or field] = field
    return out
