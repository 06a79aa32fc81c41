"""Documents → typed entities: pydantic errors become diagnostics at the offending key."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..ids import EXPRESSION_WORDS, MAX_ID_LENGTH, NAME_PATTERN, NOT_A_WORD, SLUG_PATTERN, reserved, spell_id, spell_name, spelled_slug
from ..diagnostics import Diagnostic, Diagnostics, clip, did_you_mean, suggestion
from ..load.documents import Document, unmatched_id
from ..load.hygiene import unseen_note, without_refused
from ..load.yaml import ODD_BULLET, TIGHT_COLON, YAML11_BOOLS, in_typographic_quotes, Positions, tight_colon

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    bool: "true or false", int: "a whole number", float: "a decimal number", str: "text",
    list: "a list", dict: "a mapping of `key: value` pairs", type(None): "nothing",
}
_EXPECTED = {
    "int": "a whole number", "bool": "true or false", "string": "text", "str": "text",
    "dict": "a mapping of `key: value` pairs", "list": "a list", "tuple": "a list",
    "float": "a number", "model": "a mapping of `key: value` pairs", "model_attributes": "a mapping",
}


def validate_document(doc: Document, model: type[M], diags: Diagnostics) -> M | None:
    """`doc`'s data as `model`, each problem reported (HF02xx). An `id:` naming another
    id than the file's is read as the file's (the entity is that id anyway): the loader
    said it (HF0106, load/documents.py `unmatched_id`), and its value was said again as
    no id (HF0204, whose hint spelt `id: Index` as `index`, an id no file can have) or no
    text (HF0201, 'put it in quotes' of `id: [a, b]`). So is the file's id with a mark in
    it (`fog\u200b` in fog.yaml: HF0132 at the mark, not also HF0204 'Write it as `fog`')."""
    data = doc.data
    declared = data.get("id")
    if isinstance(declared, str) and declared != doc.id \
            or unmatched_id(data, doc.id, doc.source.text, doc.positions):   # a line id marker stands after the value
        data = {**data, "id": doc.id}
    return validate_data(data, doc.positions, model, diags)


def validate_data(data: Any, positions: Positions, model: type[M], diags: Diagnostics,
                  prefix: tuple = ()) -> M | None:
    if positions.meant:
        # `xp: 12\u200b0`: the mark is the slip, said at it by text hygiene (HF0132); read
        # as the number it was meant as, it is not "not a whole number" too, nor a story
        # variable of text that every condition comparing it finds wrong
        data = _as_meant(data, positions, prefix, model)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_input=False)  # never echo a huge input back
        slips: set[tuple] = set()
        meant = _misspelt_required(errors, model)
        for err in _one_per_union(errors, data):
            if err["type"] == "missing" and tuple(err["loc"]) in meant:
                continue   # written, misspelt: its HF0202 says "did you mean" it
            slip = _tight_colon_key(tuple(err["loc"]), data)
            if slip is None:
                _report(err, data, positions, model, diags, prefix)
            elif slip not in slips:   # the key's pattern and its empty value: one slip
                slips.add(slip)
                shown = f"'{'.'.join(str(p) for p in prefix + slip)}'"
                if (equals := _EQUALS_KEY.fullmatch(slip[-1])) is not None:
                    # `{strength = 14}`: was "not a valid name, write it as `strength_14`"
                    # and "`strength = 14:` is empty", each followed a new error
                    key, rest, number = equals.groups()
                    by = "`=`" if number is None else "a space"
                    message = f"{shown} joins a key and its value with {by}: YAML read one key and no value"
                    hint = f"Write `{clip(key, 30)}: {clip(rest or number, 30)}`: a colon and a space, not {by}{'' if number is None else ' alone'}."
                else:
                    message, hint, _ = tight_colon(shown, slip[-1], ": YAML read one word and no value", (0, 0))
                diags.add("HF0201", message, positions.key(prefix + slip), hint=hint)
        return None


def _as_meant(data: Any, positions: Positions, prefix: tuple, model: type[BaseModel]) -> Any:
    """`data` (the document's part at `prefix`) with each value written with a refused
    mark in it read as what it was meant as (`Positions.meant`: a number, true/false or
    null), where `model` takes that: a field of text (`name: 12\u200b0`) keeps the
    text, or the mark's one slip would be "should be text" there."""
    found = {loc[len(prefix):]: value for loc, value in positions.meant.items()
             if loc[:len(prefix)] == prefix and isinstance(_lookup(data, loc[len(prefix):]), str)}
    if not found:
        return data
    meant = _with(data, found)
    try:
        model.model_validate(meant)
        return meant
    except ValidationError as exc:
        refused = {_data_loc(tuple(err["loc"]), meant, keep_last=False) for err in exc.errors(include_input=False)}
    kept = {loc: value for loc, value in found.items() if loc not in refused}
    return _with(data, kept) if kept else data


def _with(data: Any, values: dict[tuple, Any]) -> Any:
    """A copy of `data` with the value at each path of `values` replaced."""
    data = copy.deepcopy(data)
    for loc, value in values.items():
        if not loc:
            return value
        parent = _lookup(data, loc[:-1])
        if _has(parent, loc[-1]):
            parent[loc[-1]] = value
    return data


# `{agility:13}`: in a flow mapping YAML reads a key `agility:13` with no value; the key
# then breaks its pattern and the missing value its type: two errors for one slip.


def _misspelt_required(errors: list[dict], model: type[BaseModel]) -> set[tuple]:
    """The places of required fields reported missing that a misspelt key beside them
    was meant as (`objectivs:` for `objectives`: "unknown field 'objectivs'", with "did
    you mean 'objectives'?", and "'objectives' is required" were two errors for one slip)."""
    extra: dict[tuple, list[str]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            extra.setdefault(loc[:-1], []).append(loc[-1])
    found: set[tuple] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc and loc[:-1] in extra:
            known = _field_names(model, loc[:-1])
            if any(did_you_mean(key, known) == loc[-1] for key in extra[loc[:-1]]):
                found.add(loc)
    return found


def _tight_colon_key(loc: tuple, data: Any) -> tuple | None:
    """The path to a `key:value` key written without its space (or `key = value`, joined
    by `=`), with no value, that `loc` (an error's place) lies at or under; None when
    there is none."""
    for i, part in enumerate(loc):
        if isinstance(part, str) and (TIGHT_COLON.match(part) or _EQUALS_KEY.fullmatch(part)):
            parent = _lookup(data, loc[:i])
            if isinstance(parent, dict) and part in parent and parent[part] is None:
                return loc[:i + 1]
            return None
    return None


def _one_per_union(errors: list[dict], data: Any) -> list[dict]:
    """pydantic reports a value that fits no member of a union once per member (`1.5` for
    `bool | int | str`: three errors). When every member refused the value's type, they
    become one error naming all accepted types; when a member took the type but not the
    value (a pattern, a range), only that member's errors are kept, as they say what to fix."""
    cleaned = [{**err, "loc": _data_loc(err["loc"], data, keep_last=err["type"] == "missing"),
                "in_union": False, "at_key": err["loc"][-1:] == ("[key]",)} for err in errors]
    for err, raw in zip(cleaned, errors):
        # pydantic's '[key]' (a mapping's key broke the key's own rule) is dropped by
        # _data_loc like a union member's name, but is no union
        err["in_union"] = len(err["loc"]) < len(raw["loc"]) - err["at_key"]
    groups: dict[tuple, list[dict]] = {}
    for err in cleaned:
        # a key's own error (`gold-coins:`) is no member of the value's union: grouped
        # with the value's errors, it hid them (`gold-coins: 1.5` said only the key)
        groups.setdefault((err["loc"], err["at_key"]), []).append(err)
    # every place some error lies strictly below: asked of each group, it was a scan of
    # all groups for each (a hero of 100,000 unknown keys, ten billion comparisons:
    # `check` ran for hours on a 1.4 MB file)
    above = {other[:depth] for other, _ in groups for depth in range(len(other))}
    out: list[dict] = []
    for (loc, _), group in groups.items():
        types = [e for e in group if e["in_union"] and _is_type_error(e)]
        deeper = loc in above
        if not types:
            out += group
        elif deeper or len(types) < len(group):
            # a member took the value's type and said what is wrong inside it: keep that
            out += [e for e in group if e not in types]
        elif len(types) == 1:
            out += types
        else:
            wants = list(dict.fromkeys(_EXPECTED.get(e["type"].removesuffix("_type"), e["msg"].lower())
                                       for e in types))
            out.append({**types[0], "type": "union_type", "wants": wants})
    return out


def _is_type_error(err: dict) -> bool:
    return err["type"].endswith("_type")


def _data_loc(loc: tuple, data: Any, keep_last: bool) -> tuple:
    """pydantic's `loc` without the names it gives union members ('bool', 'DerivedRule',
    'constrained-str', 'list[int]'): a part is kept when it indexes into the data as
    written, since a union member's name never does (the data decides, so a story variable
    named `int` is still found). The last part of a `missing` error names a key that is,
    by definition, not there."""
    kept: list = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif _is_union_tag(part) and not (keep_last and index == len(loc) - 1):
            continue
        else:
            current = None
        kept.append(part)
    return tuple(kept)


def salvage_document(doc: Document, model: type[M], fill: dict[str, Any] | None = None) -> M | None:
    """A best-effort model of a document that failed validation, so that the rest of the
    file and the files that name it are still checked: one misspelt key must not hide
    every other problem ("every problem at once"). The fields in error are left out
    (their defaults apply); a missing required field takes `fill[name]`, or the
    document's id for a text field. Its problems are already reported by
    `validate_document` and stop every build, so a salvaged model never reaches an
    output. None when no valid model can be made."""
    return salvage_data(doc.data, model, fill, doc.id)


def salvage_data(data: Any, model: type[M], fill: dict[str, Any] | None = None, text: str = "",
                 deep: frozenset[str] = frozenset()) -> M | None:
    """salvage_document for data that is not an entity (a rule file): a missing
    required text field takes `text`. The smallest part in error is left out: one
    entry of a mapping or list (one attribute, one relationship), else the field. In
    the top-level fields named in `deep`, whose entries' fields each only add a
    constraint (a skill's `min_level`, `requires`…), an entry's one field in error is
    left out instead of the entry, so the entry's other fields are still checked."""
    data = copy.deepcopy(data) if isinstance(data, dict) else {}
    fill = fill or {}
    for _ in range(6):  # each round removes at least one part or fills one field
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_input=False)
        drops: set[tuple] = set()
        filled = False
        for err in errors:
            # as the report reads it (_data_loc): a key the data holds is kept, whatever its
            # letters; 'Wits:' (a name refused for its capital) was taken for a union
            # member's name, the whole 'attributes' field left out, and every other slip of
            # the rule book, and every hero's value, went unsaid
            loc = _data_loc(tuple(err["loc"]), data, err["type"] == "missing")
            if not loc or not isinstance(loc[0], str):
                return None
            key = loc[0]
            if err["type"] == "missing" and len(loc) == 1:
                field = model.model_fields.get(key)
                if key in fill:
                    data[key] = fill[key]
                elif field is not None and field.annotation is str and text:
                    data[key] = text
                else:
                    return None
                filled = True
            elif err["type"] == "extra_forbidden":
                drops.add(loc)                      # the unknown key itself
            elif (key in deep and len(loc) >= 3 and err["type"] != "missing" and isinstance(data.get(key), dict)
                  and isinstance(data[key].get(loc[1]), dict) and loc[2] in data[key][loc[1]]):
                drops.add(loc[:3])                  # one field of an entry: a skill's `min_level: "2"`
            elif len(loc) >= 2 and isinstance(data.get(key), (dict, list)) and _has(data[key], loc[1]):
                drops.add(loc[:2])                  # one entry: an attribute, a relationship
            else:
                drops.add((key,))
        if not drops and not filled:
            return None
        # deepest first, and list entries from the end, so every path still points right
        for path in sorted(drops, key=lambda p: (-len(p), [-x if isinstance(x, int) else 0 for x in p])):
            _delete(data, path)
    return None


def left_out(data: Any, model: BaseModel) -> frozenset[str]:
    """The top-level fields of `data` (a document's mapping) that `model`, made from it
    by `salvage_data`, left out wholly or in part (a field, one attribute of a mapping,
    one item of a list): what the model says of them is a default, not what was
    written. Empty for a model that validated, which is told by counts alone (the usual
    case: no field is compared)."""
    if not isinstance(data, dict):
        return frozenset()
    written = model.model_fields_set
    parts = [(k, v) for k, v in data.items() if isinstance(v, (dict, list))]
    if len(data) == len(written) and all(len(v) == _size(getattr(model, k, v)) for k, v in parts):
        return frozenset()
    out = {k for k in data if k in type(model).model_fields and k not in written}
    out |= {k for k, v in parts if k in written and len(v) != _size(getattr(model, k, None))}
    # a misspelt field (`skils:`, reported HF0202 with "did you mean 'skills'?") is the
    # field it names, left out: "ambush needs tracking" of a hero whose template wrote
    # `skils: [tracking]` would be false beside the one real error
    fields = type(model).model_fields
    unwritten = [f for f in fields if f not in written]
    for k in data:
        if isinstance(k, str) and k not in fields:
            meant = did_you_mean(k, unwritten)
            if meant is not None:
                out.add(meant)
    return frozenset(out)


def _size(value: Any) -> int:
    """How many entries a field's value holds: a list's or mapping's items, a nested
    model's fields as written."""
    if isinstance(value, BaseModel):
        return len(value.model_fields_set)
    return len(value) if isinstance(value, (dict, list, tuple)) else 0


def _delete(data: Any, path: tuple) -> None:
    for part in path[:-1]:
        if not _has(data, part):
            return
        data = data[part]
    if _has(data, path[-1]):
        del data[path[-1]]


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _report(err: dict, data: Any, positions: Positions, model: type[BaseModel],
            diags: Diagnostics, prefix: tuple) -> None:
    loc = prefix + tuple(err["loc"])
    kind = err["type"]
    name = ".".join(str(p) for p in loc) or "document"
    if err.get("at_key") and loc:
        mapping = _lookup(data, loc[len(prefix):-1])
        pattern = (err.get("ctx") or {}).get("pattern") or NAME_PATTERN
        _report_key(err, loc, positions, diags,
                    _taken_beside(mapping, loc[-1], pattern) if isinstance(mapping, dict) else set())
    elif kind == "missing":
        diags.add("HF0203", f"'{loc[-1]}' is required", positions.value(loc[:-1]),
                  hint=f"Add `{loc[-1]}:` to this mapping.")
    elif kind == "extra_forbidden":
        known = _field_names(model, loc[len(prefix):-1])
        if isinstance(loc[-1], str) and without_refused(loc[-1]) != loc[-1] and without_refused(loc[-1]) in known:
            return   # `\u200fskills:`: the mark is the slip, said at the key (HF0132), not an unknown field too
        listing = "Known fields: " + ", ".join(sorted(known)) + "." if known else ""
        # a field the mapping has already is no fix (`Title:` beside `title:` was told "Did
        # you mean 'title'?": followed, two `title:` keys, HF0102): the fields it lacks are
        # (asked of the mapping per known field, never a set of its keys per unknown key:
        # a hero of thousands of unknown keys was quadratic)
        mapping = _lookup(data, loc[len(prefix):-1])
        present = [k for k in known if k != loc[-1] and isinstance(mapping, dict) and k in mapping]
        meant = did_you_mean(str(loc[-1]), [k for k in known if k != loc[-1]])
        hint = (f"This mapping has a `{meant}:` already: if this line is the same field, keep one of the two; "
                f"else write the field you meant. {listing}").strip() if meant in present else \
            suggestion(str(loc[-1]), [k for k in known if k not in present], listing, listed=True)
        diags.add("HF0202", f"unknown field '{clip(loc[-1], 40)}'{unseen_note(str(loc[-1]))}", positions.key(loc),
                  hint=hint)
    elif kind == "union_type":
        value = _lookup(data, loc[len(prefix):])
        got = _TYPE_WORDS.get(type(value), "something else")
        wants = err["wants"]
        want = wants[0] if len(wants) == 1 else ", ".join(wants[:-1]) + " or " + wants[-1]
        diags.add("HF0201", f"'{name}' should be {want}, not {got}", positions.value(loc),
                  hint=_quote_hint("a whole number" if _whole_decimal(value) and "a whole number" in wants else "text", value)
                  if isinstance(value, (int, float)) and not isinstance(value, bool) else "")
    elif kind.endswith("_type") or kind in ("model_type", "dict_type", "model_attributes_type"):
        value = _lookup(data, loc[len(prefix):])
        got = _TYPE_WORDS.get(type(value), "something else")
        want = _EXPECTED.get(kind.removesuffix("_type"), err["msg"].lower())
        hint = _list_hint(value, _items_are_mappings(model, loc[len(prefix):])) if want == "a list" else None
        if value is None and loc and isinstance(loc[-1], str):
            hint = _empty_hint(want, loc[-1], model, loc[len(prefix):])
        diags.add("HF0201", f"'{name}' should be {want}, not {got}", positions.value(loc),
                  hint=hint or _quote_hint(want, value, loc[-1] if loc and isinstance(loc[-1], str) else None))
    else:
        value = _lookup(data, loc[len(prefix):])
        diags.add("HF0204", f"'{name}': {_message(err, value)}", positions.value(loc), hint=_value_hint(err, value))


def name_beside(mapping: dict, key: Any, also: set[str] | frozenset[str]) -> str:
    """HF0204's hint for the name `key` of `mapping` (name_hint), none of `also` either
    (a story's variables beside the hero's names: `Wits:` is not told `wits`, HF0512)."""
    return name_hint(str(key), taken=_taken_beside(mapping, key, NAME_PATTERN, also))


def told_name(mapping: dict, key: str, also: set[str] | frozenset[str]) -> str:
    """The name HF0512's hint tells the key `key` of `mapping` that is one of `also` (a
    story variable named as a hero's attribute) to take: what `name_beside` would tell
    it, so it and a key written wrong beside it (`wits:` and `Wits:`) are never told
    one name (both were told `wits_2`: following both hints wrote the key twice)."""
    return spell_name(key, _taken_beside(mapping, key, NAME_PATTERN, also))


def _taken_beside(mapping: dict, key: Any, pattern: str, also: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The keys a hint for `key` of `mapping` (whose keys follow `pattern`: names or
    ids) must not name: the mapping's other keys that follow it, and those told
    (ids.spell_name, spell_id) to the keys before it that do not, so two keys
    written wrong (`Set:`, `set:`) are never told one name."""
    names = pattern == NAME_PATTERN
    spell = spell_name if names else spell_id
    taken = {k for k in mapping if isinstance(k, str) and re.fullmatch(pattern, k) and not (names and k in EXPRESSION_WORDS)}
    taken |= also
    for k in mapping:
        if k == key:
            break
        if str(k) not in taken or str(k) in also:   # refused, or one of `also` (HF0512 renames it)
            taken.add(spell(str(k), taken))
    return taken - ({str(key)} - also)


def _report_key(err: dict, loc: tuple, positions: Positions, diags: Diagnostics, beside: set[str]) -> None:
    """A mapping's key that breaks the rule its kind of key follows (a story variable,
    an attribute, a skill id): reported at the key, with that rule and the key written
    to it, not as a value: the value beside it (`gold-coins: 3`) is right. `beside`:
    the mapping's other keys, which the key its hint names is none of."""
    key, kind, ctx = loc[-1], err["type"], err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and isinstance(key, str) and without_refused(key) != key \
            and re.fullmatch(ctx.get("pattern") or "(?!)", without_refused(key)):
        return   # `\u200bagility:`: the mark is the slip, said at the key (HF0132), not a bad name too
    shown = clip(str(key), 60)
    note = unseen_note(str(key))
    where = ".".join(str(p) for p in loc[:-1])
    if kind == "string_pattern_mismatch":
        rule, example, fixed = _KEY_RULES.get(ctx.get("pattern"), (None, None, None))
        if rule is None:
            message, hint = f"the key '{shown}'{note} in '{where}' is not allowed here", ""
        else:
            message = f"the key '{shown}'{note} in '{where}' is not a valid {rule}"
            hint = fixed(str(key), example, beside)
    elif kind == "string_too_long" and "max_length" in ctx:
        message = f"the key '{shown}'{note} in '{where}' is longer than {ctx['max_length']} characters"
        # with a key the rule takes, as every refused id is told one: a name (`_`) or an id
        short = (spell_name(str(key), beside) if "_" in str(key) else
                 spell_id(str(key), beside, limit=min(int(ctx["max_length"]), MAX_ID_LENGTH)))
        hint = f"Shorten it to at most {ctx['max_length']} characters" + (f", for example `{short}`." if short else ".")
    elif kind == "value_error" and NOT_A_WORD in err["msg"]:
        message = f"the key '{shown}'{note} in '{where}' {NOT_A_WORD}, so no expression can name it"
        hint = f"Rename it, for example to `{spell_name(str(key), beside) or shown + '_'}`: `{shown}` in a condition is read as the word."
    elif kind.endswith("_type"):
        # YAML reads `1:` or `true:` as a number or a truth value, not as a name
        message = f"the key '{shown}'{note} in '{where}' should be text, not {_TYPE_WORDS.get(type(key), 'something else')}"
        hint = "Write a name here, starting with a letter."
    else:
        message, hint = f"the key '{shown}'{note} in '{where}': {_message(err)}", ""
    diags.add("HF0204", message, positions.key(loc), hint=hint)


def name_hint(value: str, example: str = "gold_coins", taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The fix for a name the expression language cannot use (a story variable, an
    attribute): the name it was meant to be (`gold-coins` → `gold_coins`, `Wits` →
    `wits`; ids.spell_name), none of `taken` (the other keys beside it)."""
    fixed = spell_name(value, taken)
    why = " (a `-` in an expression is a minus)" if "-" in value else ""
    if not fixed:
        return f"Start it with a lowercase letter, then lowercase letters, digits and underscores (like `{example}`)."
    return f"Write it as `{clip(fixed, 60)}`: a name holds lowercase letters, digits and underscores{why}."


# Each key pattern of fields.py: what it is called, an example, and the fix for a key breaking it.
_KEY_RULES = {
    NAME_PATTERN: ("name (lowercase letters, digits and underscores, starting with a letter)",
                   "gold_coins", name_hint),
    SLUG_PATTERN: ("id (lowercase letters, digits and hyphens)", "sunken-keep",
                   lambda value, _, taken: id_hint(value, taken=taken)),
}


# pydantic's names for union members of built-in types, as they appear in `loc`
_MEMBER_NAMES = frozenset({"bool", "int", "float", "str", "none", "dict", "list", "tuple", "set", "bytes"})


def _is_union_tag(part: Any) -> bool:
    # pydantic names union members in `loc` (e.g. 'DerivedRule', 'constrained-str', 'bool');
    # they are not keys in the file
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part.startswith("constrained")
                                      or part in _MEMBER_NAMES)


# What HF0204 says of a value that is not an id (`malformed_id` reads it back).
_NOT_AN_ID = "must be lowercase letters, digits and hyphens (like `sunken-keep`)"


# What HF0204 says of a value that is not a name the expression language can use.
_NOT_A_NAME = ("must be lowercase letters, digits and underscores, starting with a letter "
               "(like `gold_coins`)")


def _message(err: dict, value: Any = None) -> str:
    msg = err["msg"]
    if err["type"] == "string_pattern_mismatch":
        return _NOT_A_NAME if (err.get("ctx") or {}).get("pattern") == NAME_PATTERN else _NOT_AN_ID
    if err["type"] == "literal_error":
        return msg.replace("Input should be", "must be")
    ctx = err.get("ctx") or {}
    if err["type"] in _BOUNDS and _BOUNDS[err["type"]][0] in ctx:
        # pydantic's "should be greater than or equal to 1": the bound in the hint's words
        key, words = _BOUNDS[err["type"]]
        return f"should be {words} {ctx[key]}"
    if err["type"] == "string_too_short" and value == "":
        # pydantic's "String should have at least 1 character" of `name: ""`
        return "is empty"
    if err["type"] == "too_short" and "min_length" in ctx and "actual_length" in ctx:
        # pydantic's "List should have at least 1 item after validation, not 0"
        bound, held = ctx["min_length"], ctx["actual_length"]
        items = f"{bound} item{'s' if bound != 1 else ''}"
        return f"is empty; it needs at least {items}" if held == 0 else f"holds {held}; it needs at least {items}"
    return clip(msg.replace("Input should", "should").replace("Value error, ", ""), 120)


_BOUNDS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
           "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than")}


def _value_hint(err: dict, value: Any) -> str:
    """The fix for a value of the right type that is not allowed (HF0204): the nearest
    allowed word (`drafft` → 'draft'), the id it was meant to be (`Sunken Keep` →
    `sunken-keep`), the bound; every mistake gets the fix, not just the rule."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return suggestion(str(value), allowed, "Write one of: " + ", ".join(allowed) + "." if allowed else "", listed=True)
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return name_hint(value) if ctx.get("pattern") == NAME_PATTERN else id_hint(value)
    if kind == "value_error" and NOT_A_WORD in err["msg"]:
        return f"Name something else: `{clip(str(value), 20)}` in a condition is read as the word."
    if kind in _BOUNDS and _BOUNDS[kind][0] in ctx:
        key, words = _BOUNDS[kind]
        return f"Write a number {words} {ctx[key]}."
    def units(n: Any) -> str:   # "1 item", not "1 items"
        unit = "character" if kind.startswith("string") else "item"
        return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
    if kind in ("too_long", "string_too_long") and "max_length" in ctx:
        return f"Shorten it to at most {units(ctx['max_length'])}."
    if kind == "string_too_short" and value == "":
        return "Write its text: an empty value shows nothing (leave out a field that is optional)."
    if kind in ("too_short", "string_too_short") and "min_length" in ctx:
        return f"Give it at least {units(ctx['min_length'])}."
    return ""


def id_hint(value: str, ids: Iterable[str] | None = None, where: str = "",
            taken: frozenset[str] | set[str] = frozenset()) -> str:
    """The fix for a value that is not written as an id (HF0204): the id it was meant
    to be. Alone, its spelling as an id (`Sunken Keep` → `sunken-keep`); given the
    `ids` the field may name (and `where` they are defined), the existing id nearest to
    it when that spelling names none (`SCUOT` → `scout`, never `scuot`), by
    diagnostics.did_you_mean as every unknown reference is. `taken`: the ids a new one
    may not be (the quest's other objectives'), numbered past (`cross` → `cross-2`)."""
    # at most 64 characters, whole: a hint clipped with an ellipsis cannot be copied, and a
    # longer one names an id refused too
    slug = spell_id(value)
    if ids is not None:
        names = {str(n) for n in ids}
        best = None if slug in names else did_you_mean(slug, names) or did_you_mean(value, names)
        if best is not None:
            return f"Write it as `{best}`, the nearest id there is." + (f" {where}" if where else "")
    spelt = spelled_slug(value)
    if spelt != slug or slug in taken:   # numbered past a device name (`con-1`) or an id taken
        why = reserved(spelt) or f"`{spelt}` is taken"
        return f"Write it as `{spell_id(value, taken)}`: {why}."
    return f"Write it as `{slug}`." if slug else "Use lowercase letters, digits and hyphens."


def named_by(value: str, table: Mapping[str, Any]) -> str | None:
    """The id in `table` (id → an entry or a rule, or a scene) whose `name` (or `title`),
    spelt as an id, is `value` spelt so (`Rook Amsel` or `rook-amsel` → `first-hero`,
    whose hero is named "Rook Amsel"); None when `value` is an id of `table` itself or
    no other entry has that name."""
    wanted = spell_id(str(value))
    if not wanted or wanted in table:
        return None
    return _names_spelt(table)[0].get(wanted)


def named_in(value: str, table: Mapping[str, Any]) -> str | None:
    """The id in `table` whose `name` (or `title`) holds `value` as one of its words,
    when only one entry's does and no id is near it (`rook` → `first-hero`, named "Rook
    Amsel": writers call people by their names); None otherwise (`named_by` first)."""
    wanted = spell_id(str(value))
    if not wanted or wanted in table or len(wanted) < 3 or "-" in wanted:
        return None
    eid = _names_spelt(table)[1].get(wanted)   # a look-up first: did_you_mean only for a word of a name
    return None if eid is None or did_you_mean(wanted, table) else eid


# The last tables `named_by` spelt the names of (the table itself, its size, name spelt
# as an id → the first id with it): each unknown reference spelt every name of its
# table again — 4,000 heroes each naming a missing character was 16 million spellings
# (minutes) in every check. A table is kept by itself, so its id is never reused.
_SPELT: list[tuple[Mapping[str, Any], int, tuple[dict[str, str], dict[str, str]]]] = []


def _names_spelt(table: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Each `name` (or `title`) of `table`'s entries spelt as an id → the first id with
    it; and each word of those names (spelt so) that one entry alone has → its id."""
    for kept, size, index in _SPELT:
        if kept is table and size == len(table):
            return index
    whole: dict[str, str] = {}
    words: dict[str, str | None] = {}
    for eid, entry in table.items():
        model = getattr(entry, "model", entry)
        name = getattr(model, "name", None) or getattr(model, "title", None)
        if isinstance(name, str):
            spelt = spell_id(name)
            whole.setdefault(spelt, eid)
            for word in set(spelt.split("-")):
                words[word] = eid if words.get(word, eid) == eid else None   # two entries': neither
    index = (whole, {word: eid for word, eid in words.items() if eid is not None})
    _SPELT[:] = [(table, len(table), index), *_SPELT[:3]]
    return index


def display_name_hint(value: str, table: Mapping[str, Any], where: str = "the file's name",
                      noun: str = "name") -> str | None:
    """The hint for a reference written as the display name of what it means
    (`protagonist: Rook Amsel`, or `rook-amsel`, for the hero `first-hero` named "Rook
    Amsel"; `(#tracks-in-the-mud)` for the scene `tracks` titled "Tracks in the Mud"):
    it was told "Write it as `rook-amsel`", an id nothing has. `where`: where the id is
    written; `noun`: what the value is of it ("title" for a scene). None when no other
    entity has that name (`named_by`)."""
    eid = named_by(value, table)
    if eid is None:
        eid = named_in(value, table)
        if eid is None:
            return None
        return (f"'{clip(str(value), 40)}' is a word of the {noun} of '{clip(eid, 64)}': a reference names the id "
                f"({where}), so write `{eid}`.")
    return (f"'{clip(str(value), 40)}' is the {noun} of '{clip(eid, 64)}': a reference names the id ({where}), "
            f"so write `{eid}`.")


def malformed_id(diag: Diagnostic, data: Any) -> tuple[tuple, str] | None:
    """(the value's location in `data`, the value) when `diag` is an HF0204 saying a
    value in that document (its parsed data) is not written as an id, else None: for
    a stage that knows which ids the field may name (resolve/world.py) to name the
    nearest of them in the hint."""
    head = "'"
    tail = "': " + _NOT_AN_ID
    if diag.code != "HF0204" or not diag.message.startswith(head) or not diag.message.endswith(tail):
        return None
    loc = tuple(int(p) if p.isdigit() else p for p in diag.message[len(head):-len(tail)].split("."))
    value = _lookup(data, loc)
    return (loc, value) if isinstance(value, str) else None


# What writers put between the digits of a large number: YAML (1.2) reads `1_000`,
# `1,000` and `1 000` as text, so the number is refused as text with the fix spelt out.
_DIGIT_GROUPS = re.compile(r"[+-]?(?:\d{1,3}(?:([,\u00a0\u202f' ])\d{3})(?:\1\d{3})*|\d+(?:_\d+)+)(?:\.\d+)?")


def _whole_decimal(value: Any) -> bool:
    """Whether `value` is a decimal number holding a whole one JSON carries exactly (`1e3`, `250.0`)."""
    return isinstance(value, float) and value.is_integer() and abs(value) <= 2 ** 53


def _empty_hint(want: str, key: str, model: type[BaseModel], loc: tuple) -> str:
    """HF0201's hint for `key:` with nothing after it (or `null`, `~`) where `want` goes,
    in the field's own terms (`model` at `loc`): a mapping's pairs and a list of
    mappings' items on the lines below (on the same line, `variables: crossed: false`
    is YAML's next error, and `objectives: [a, b]` a list of the wrong things), and for
    a field that may be left out, that removing the line (or `[]`, `{}`) says "none"."""
    field = _field_at(model, loc)
    shown = clip(key, 30)
    optional = field is not None and not field.is_required()
    may_be_empty = optional and not any(getattr(m, "min_length", 0) for m in field.metadata)
    if want.startswith("a mapping"):
        said = f"`{shown}:` is empty: write its `key: value` pairs on the lines below it, each indented by two spaces"
        return said + (f", or remove the line (or write `{shown}: {{}}`) if it has none." if may_be_empty else ".")
    if want == "a list" and _items_are_mappings(model, loc):
        item = _inner_model(field.annotation) if field is not None else None
        keys = [f.alias or n for n, f in getattr(item, "model_fields", {}).items() if f.is_required()]
        said = (f"`{shown}:` is empty: write its items on the lines below it, each starting with `- ` "
                "indented by two spaces" + (f" (`- {{{', '.join(k + ': …' for k in keys)}}}`)" if keys else ""))
        return said + (f", or remove the line (or write `{shown}: []`) if it has none." if may_be_empty else ".")
    example = {"a whole number": " 12", "a number": " 1.5", "true or false": " true", "a list": " [a, b]"}.get(want, "")
    return (f"`{shown}:` is empty: write {want} after it on the same line"
            + (f" (`{shown}:{example}`)" if example else "")
            + (f", or remove the line (or write `{shown}: []`) if it has none" if may_be_empty and want == "a list"
               else ", or remove the line if it has none" if optional else "") + "."
            + (" (`null` and `~` are nothing too; in quotes they are text.)" if want == "text" else ""))


def _field_at(model: type[BaseModel], loc: tuple) -> Any:
    """The pydantic field at `loc` inside `model` (list indexes skipped), or None."""
    current: Any = model
    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None:
            return None
        field = getattr(current, "model_fields", {}).get(part) or _by_alias(current, part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return field


def _without_unseen(want: str, value: str) -> str | None:
    """`value` without the characters `unseen_note` names (no-break and other odd
    spaces, format characters) when it holds some and is then a value `want` takes (a
    number, true or false); else None."""
    if not unseen_note(value):
        return None
    kept = "".join(ch for ch in value if not unseen_note(ch)).strip()
    if want == "a whole number" and re.fullmatch(r"[+-]?\d{1,20}", kept):
        return kept
    if want == "a number" and re.fullmatch(r"[+-]?\d{1,20}(?:\.\d{1,20})?", kept):
        return kept
    if want == "true or false" and kept in ("true", "false"):
        return kept
    return None


def _quote_hint(want: str, value: Any, key: str | None = None) -> str:
    if isinstance(value, str) and (fixed := _without_unseen(want, value)) is not None:
        # `xp: 120` and a no-break space a word processor put after it: text to YAML,
        # and the hint said to take away quotes nobody had typed
        return (f"Delete the character nobody can see{unseen_note(value)}: it makes the value text. "
                f"Write `{fixed}`.")
    if want == "a whole number" and _whole_decimal(value):
        # `xp: 1e3`, `coins: 250.0`: YAML 1.2 reads an exponent or a decimal point as a decimal
        return f"Write `{int(value)}`: a whole number is written without a decimal point or exponent."
    if want == "a whole number" and isinstance(value, str) and value.strip().lstrip("+-").isdigit() \
            and len(value.strip()) <= 20:
        # the writer's own number (`agility: "13"` was told "`12`, not `"12"`")
        return f"Write the number without quotes: `{int(value.strip())}`, not `\"{value.strip()}\"`."
    if want in ("a whole number", "a number") and isinstance(value, str) and _DIGIT_GROUPS.fullmatch(value.strip()):
        digits = re.sub(r"[_,\u00a0\u202f' ]", "", value.strip())
        return (f"Write `{digits}`: a number is written without `_`, `,` or spaces between its digits "
                f"(YAML reads `{clip(value.strip(), 20)}` as text).")
    if want == "text" and isinstance(value, dict) and len(value) == 1:
        # `- Who taught you: to move?` (or in a word processor's quotes, text to YAML):
        # the writer's own line, quoted, is the fix ("Put the value in quotes" was said
        # to a writer who had, in “…”)
        (k, v), = value.items()
        if isinstance(k, str) and isinstance(v, (str, int, float)) and not isinstance(v, bool):
            text = f"{k}: {v}"
            inner = in_typographic_quotes(text)
            curly, text = inner is not None, inner or text
            return (("Write straight quotes (an editor replaced them)" if curly else
                     "Put the value in quotes: YAML read its `: ` as a key's")
                    + f": `{clip(_flow_scalar(text), 80)}`.")
    if want == "text":
        return "Put the value in quotes if it should be text."
    if want == "true or false" and isinstance(value, str) and value.strip() in YAML11_BOOLS:
        # `symmetric: yes`: YAML 1.1's true, text to YAML 1.2 (load/yaml.py)
        word = "true" if YAML11_BOOLS[value.strip()] else "false"
        return f"Write `{word}`: YAML reads `{clip(value.strip(), 10)}` as text."
    if want.startswith("a mapping"):
        if isinstance(value, list) and value and all(isinstance(item, dict) and item for item in value):
            # `variables:` then `- crossed: false`: a list of mappings, each of one key
            key, first = next(iter(value[0].items()))
            return (f"Remove the `- ` before each key: a mapping's keys are written without it "
                    f"(`{clip(str(key), 30)}: {clip(_flow_scalar(first), 30)}`), each indented by two spaces.")
        if isinstance(value, str) and len(value) <= 1000 and _PAIRS_SLIPPED.fullmatch(value):
            # `strength = 14` or `strength:14` under `attributes:`: YAML read the writer's
            # pair as one text; "write key: value pairs below it" was what they had done
            pairs = [f"{k}: {v or n}" for k, v, n in _PAIR_SLIPPED.findall(value)]
            joined = "not `=`" if "=" in value else "not a colon alone" if ":" in value else "not a space alone"
            shown = ", ".join(f"`{clip(p, 40)}`" for p in pairs[:3]) + (", …" if len(pairs) > 3 else "")
            return (f"Write {shown} on {'its own line' if len(pairs) == 1 else 'lines of their own'} below it, "
                    f"indented by two spaces: a key and its value are joined by a colon and a space, {joined}.")
        return "Write its `key: value` pairs on the lines below it, each indented by two spaces."
    example = _EXAMPLES.get(want)
    return f"Write {want} here, for example {example}." if example else f"Write {want} here."


# a `key: value` pair typed as `key = value`, `key=value`, `key:value` or `key 50` (YAML reads it,
# and several on lines of their own, as one text)
_PAIR = (r"([A-Za-z_][\w-]*)(?:[ \t]*(?:=|:(?=[^\s:]))[ \t]*([^\s=:,;]+)"
         r"|[ \t]+([+-]?\d+(?:\.\d+)?)(?=[\s,;]|$))")   # `xp 50`: a space alone, before a number
_PAIR_SLIPPED = re.compile(_PAIR)
_EQUALS_KEY = re.compile(r"[ \t]*([A-Za-z_][\w-]*)(?:[ \t]*=[ \t]*([^\s=].*?)|[ \t]+([+-]?\d+(?:\.\d+)?))[ \t]*")
_PAIRS_SLIPPED = re.compile(rf"\s*{_PAIR}(?:[\s,;]+{_PAIR})*[\s,;]*")


# what a writer types for each kind of value (the hint of HF0201)
_EXAMPLES = {"a whole number": "`12`", "a number": "`1.5`", "true or false": "`true`",
             "a list": "`[ambush, tracking]`"}


def _list_hint(value: Any, of_mappings: bool) -> str | None:
    """HF0201's hint for a value that should be a list, written with the writer's own
    value: `items: lantern` → `[lantern]`, `skills: ambush, tracking` → `[ambush,
    tracking]`, and a mapping where a list of mappings belongs (`relationships:` then
    `with:` and `kind:` below it) → a list of one. None when there is nothing of theirs
    to show (the example then). Every field took `[ambush, tracking]` as its example:
    followed under `relationships:` or `objectives:`, it was the next error."""
    if of_mappings and isinstance(value, dict) and value:
        key, first = next(iter(value.items()))
        flow = "[{" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in value.items()) + "}]"
        shown = f" (or on one line, `{flow}`)" if len(flow) <= 70 and "\n" not in flow else ""
        return (f"Make it a list of one: write `- ` before `{clip(str(key), 30)}:` and indent the keys below it "
                f"two more spaces, to line up with it{shown}.")
    if isinstance(value, str) and (bullet := ODD_BULLET.match(value)) is not None:
        # `skills:` then `  – ambush` on the lines below: autocorrect's dash (or a word
        # processor's bullet) is no list marker to YAML, so the items were one text, and
        # the hint was that text in a list of one: `["– ambush"]`
        mark = bullet.group(1)
        items = [w.strip() for w in value.split(mark) if w.strip()]
        return (f"`{mark}` (U+{ord(mark):04X} {unicodedata.name(mark, 'mark')}) is no list marker in YAML: start each "
                f"item with `-` and a space (`- {clip(items[0] if items else '…', 30)}`)"
                + (f", or write `[{', '.join(_flow_scalar(w) for w in items)}]`." if items and len(value) <= 60 else "."))
    if not of_mappings and isinstance(value, dict) and value and all(isinstance(k, str) and k for k in value) \
            and len(value) <= 20:
        # `characters:` then `  old-guide:` (or `skills:` then `  ambush:`) on the lines
        # below: its items written as keys. The hint was the example `[ambush, tracking]`,
        # which under `characters:` named two characters the project did not have
        first = next(iter(value))
        flow = "[" + ", ".join(_flow_scalar(k) for k in value) + "]"
        shown = f", or the whole list on one line: `{flow}`" if len(flow) <= 70 else ""
        return (f"Its items are written as keys (`{clip(first, 30)}:`): write each as a list item, "
                f"`- {clip(_flow_scalar(first), 30)}`, with no `:` after it{shown}.")
    if of_mappings or isinstance(value, (dict, list)) or value is None:
        return None
    words = [w.strip() for w in str(value).split(",")] if isinstance(value, str) else [_flow_scalar(value)]
    if not all(words) or len(str(value)) > 60:
        return None
    return f"Write a list, in brackets: `[{', '.join(_flow_scalar(w) if isinstance(w, str) else w for w in words)}]`."


def _flow_scalar(value: Any) -> str:
    """A value written as it reads inside `[…]` or `{…}`: plain when it can be, else in
    double quotes; a mapping or list as `…` (shown only, never to be typed as is)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if re.fullmatch(r"[A-Za-z_][\w .'-]*(?<! )", value) and value.lower() not in ("true", "false", "null", "yes", "no"):
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "…"


def _items_are_mappings(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the list field at `loc` inside `model` holds mappings (`relationships`,
    `objectives`) rather than plain values (`skills`, `tags`)."""
    current: Any = model
    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part) or _by_alias(current, part)
        if field is None:
            return False
        current = _inner_model(field.annotation)
    return field is not None and current is not None


def _lookup(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the fields allowed at `loc` inside `model` (by alias, as written)."""
    current: Any = model
    keyed = False   # the last field was a mapping: this part is one of its keys (`attributes.agility`)
    for part in loc:
        if isinstance(part, int) or (keyed and not has_field(current, part)):
            keyed = False
            continue
        field = getattr(current, "model_fields", {}).get(part) or _by_alias(current, part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        keyed = _is_mapping(field.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def has_field(model: Any, name: Any) -> bool:
    return name in getattr(model, "model_fields", {}) or _by_alias(model, name) is not None


def _is_mapping(annotation: Any) -> bool:
    """Whether a field's type is a dict (possibly inside Optional): its keys are ids."""
    if getattr(annotation, "__origin__", None) is dict:
        return True
    return any(_is_mapping(arg) for arg in getattr(annotation, "__args__", ()))


def _by_alias(model: Any, alias: str) -> Any:
    for field in getattr(model, "model_fields", {}).values():
        if field.alias == alias:
            return field
    return None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def other_kind(data: Any, own: type[BaseModel], others: dict[str, type[BaseModel]]) -> tuple[str, list[str]] | None:
    """The one other kind whose model declares every top-level key of `data` that `own`
    does not (a hero's `template:` and `xp:` in a file under characters/), as (kind, those
    keys); None when no key is unknown, or no other kind or more than one declares them
    all equally well, or when it declares no more of the keys than `own` does (a quest's
    `heroes:` is a story's field, but its `giver:` and `objectives:` are no story's: the
    file is a quest with one wrong field, not a story to move). `others` maps a kind's
    name to its model, the file's own left out."""
    if not isinstance(data, dict):
        return None
    unknown = [k for k in data if isinstance(k, str) and not has_field(own, k)]
    if not unknown:
        return None
    own_fit = sum(has_field(own, k) for k in data if isinstance(k, str))
    fits: list[tuple[int, str]] = []
    for kind, model in others.items():
        if all(has_field(model, k) for k in unknown):
            fits.append((sum(has_field(model, k) for k in data if isinstance(k, str)), kind))
    fits.sort(reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]) or fits[0][0] <= own_fit:
        return None
    return fits[0][1], unknown
