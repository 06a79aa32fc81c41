"""Two snapshots → the entities that changed and how, in the words of the content.

Order of the work: pair the entities (same key; else a rename: same bytes, or the
same name under a new id), then compare each pair field by field, then what is
derived from them (hero stats, the story graph and its analysis), then decide what
breaks engines that read the JSON contract.
"""

from __future__ import annotations

import dataclasses

import re
from typing import Any

from ..load.files import KIND_DIRS
from ..load.root import CONFIG_NAME
from .model import EntityDiff, Item
from .snapshot import EntityView, Snapshot, StoryView

CONTRACT_KINDS = ("character", "hero", "quest", "story")   # kinds with files under build/api/v1/
STATS = ("words", "paths", "shortest", "longest", "has_loops", "complete")
RULE_TABLES = {"attributes": "attribute", "derived": "derived stat", "skills": "skill",
               "relationship_kinds": "relationship kind"}


def compare(base: Snapshot, head: Snapshot) -> tuple[EntityDiff, ...]:
    out: list[EntityDiff] = []
    # an entity under a folder the head refuses (linked out of the project) was not removed:
    # it is not read there (_load_changes)
    removed = sorted(k for k in base.entities if k not in head.entities and k not in head.unloadable
                     and head.refused_on_way(base.entities[k].path) is None)
    # nor was one added that the base did not read for a folder on its way (the link
    # replaced by the folder itself, as HF0120's hint asks): it is fixed (_load_changes)
    added = sorted(k for k in head.entities if k not in base.entities and k not in base.unloadable
                   and base.refused_on_way(head.entities[k].path) is None)
    renames = pair_renames(base, head, removed, added)
    for old_key, new_key in renames.items():
        out.append(entity_diff(base.entities[old_key], head.entities[new_key]))
    for key in removed:
        if key not in renames:
            out.append(entity_diff(base.entities[key], None))
    for key in added:
        if key not in renames.values():
            out.append(entity_diff(None, head.entities[key]))
    for key in sorted(set(base.entities) & set(head.entities)):
        diff = entity_diff(base.entities[key], _as_known(base.entities[key], head.entities[key], base, head))
        if diff.items:
            out.append(diff)
    out += _load_changes(base, head)
    out += rules_diff(base, head)
    settings = field_items(base.settings, head.settings, "setting")
    if settings:
        out.append(EntityDiff("project", CONFIG_NAME, CONFIG_NAME, "changed", tuple(settings)))
    return tuple(sorted(out, key=lambda e: (e.kind in ("rules", "project"), e.kind, e.id)))


SIMILAR = 0.6   # the share of an entity's fields (and a story's scenes) a rename keeps
KEPT = 3        # and how many at least: two heroes of one line each are not one renamed


def pair_renames(base: Snapshot, head: Snapshot, removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed → added keys of the same kind that are one entity under a new id: the
    same file bytes, else the same name (when exactly one candidate has it), else, as
    git's rename detection does with bytes, most of the same fields: at least SIMILAR
    of what they hold (by the length of each value), each the other's most alike (a hero renamed and given a new name in one
    pull request, `git mv bram.yaml brann.yaml` and `name: Brann`, was "removed" and
    "added", its every unchanged field hidden and called a breaking removal)."""
    pairs: dict[str, str] = {}
    for same in (lambda a, b: a.sha256 == b.sha256, lambda a, b: bool(a.name) and a.name == b.name):
        for old in removed:
            if old in pairs:
                continue
            a = base.entities[old]
            matches = [new for new in added if new not in pairs.values() and head.entities[new].kind == a.kind
                       and same(a, head.entities[new])]
            if len(matches) == 1:
                pairs[old] = matches[0]
    olds = [k for k in removed if k not in pairs]
    news = [k for k in added if k not in pairs.values()]
    if not olds or not news:
        return pairs
    traits = {("b", k): _traits(base.entities[k]) for k in olds} | {("h", k): _traits(head.entities[k]) for k in news}
    alike: dict[tuple[str, str], float] = {}
    for old in olds:
        for new in news:
            if base.entities[old].kind == head.entities[new].kind:
                a, b = traits["b", old], traits["h", new]
                kept = len(a & b)
                # by the size of what is kept, as git weighs a file by its bytes: two heroes
                # of one template (`template: scout`, `xp: 0`, the same skills) with
                # another name, title and background are not one hero renamed
                share = _size(a & b) / max(_size(a), _size(b), 1)
                if share >= SIMILAR and kept >= KEPT:
                    alike[old, new] = share
    for (old, new), share in alike.items():
        # each the other's one most alike: a tie, or a third entity as alike, pairs nothing
        if sum(1 for (o, n), s in alike.items() if (o == old or n == new) and s >= share) == 1:
            pairs[old] = new
    return pairs


def _size(traits: set[tuple[str, str]]) -> int:
    """How much of an entity `traits` (_traits) hold: the length of each value written."""
    return sum(len(value) for _, value in traits)


def _traits(e: EntityView) -> set[tuple[str, str]]:
    """What a rename keeps of an entity: its fields but its name, each with its value,
    and a story's scenes with their text."""
    named = "name" if "name" in e.fields else "title"
    # not what every entity has alike: a field left out (None, "", []), or the status
    out = {(k, repr(v)) for k, v in e.fields.items() if k not in (named, "status") and v not in (None, "", [], {})}
    if e.story is not None:
        out |= {(f"scene:{sid}", scene.text_hash) for sid, scene in e.story.scenes.items()}
    return out


def _load_changes(base: Snapshot, head: Snapshot) -> list[EntityDiff]:
    """Files that do not load on one side: never reported as removed or added."""
    out = []
    for key, errors in head.unloadable.items():
        kind, eid = key.split(":", 1)
        out.append(EntityDiff(kind, eid, _path(base, head, key), "unloadable", errors=errors,
                              why=head.why.get(key, "")))
    for key in sorted(set(base.entities) - set(head.entities) - set(head.unloadable)):
        refused = head.refused_on_way(base.entities[key].path)
        if refused is not None:
            kind, eid = key.split(":", 1)
            out.append(EntityDiff(kind, eid, base.entities[key].path, "unloadable", errors=refused[0],
                                  why=refused[1]))
    for key, errors in base.unloadable.items():
        if key in head.entities:
            kind, eid = key.split(":", 1)
            out.append(EntityDiff(kind, eid, head.entities[key].path, "fixed", errors=errors))
    for key in sorted(set(head.entities) - set(base.entities) - set(base.unloadable)):
        refused = base.refused_on_way(head.entities[key].path)
        if refused is not None:
            kind, eid = key.split(":", 1)
            out.append(EntityDiff(kind, eid, head.entities[key].path, "fixed", errors=refused[0]))
    return out


# What a view computes from another entity, by kind: the field naming it, and its kind
# (a story's analysis reads its protagonist's attributes; a hero's sheet, its template's values)
_READS = {"story": ("protagonist", "hero"), "hero": ("template", "template")}


def _as_known(old: EntityView, new: EntityView, base: Snapshot, head: Snapshot) -> EntityView:
    """`new`, with what it computes from an entity that does not load on either side
    taken from `old`: that file's error is said once (`_load_changes`); a story whose
    protagonist is in error is not also 'changed: paths to an ending 3 → 2'."""
    reads = _READS.get(new.kind)
    if reads is None:
        return new
    field, kind = reads
    names = {old.fields.get(field), new.fields.get(field)} - {None, ""}
    if not any(side.unread(f"{kind}:{name}") for name in names for side in (base, head)):
        return new
    if new.kind == "story":
        if old.story is None or new.story is None:
            return new
        return dataclasses.replace(new, story=dataclasses.replace(new.story, stats=old.story.stats,
                                                                  findings=old.story.findings))
    return dataclasses.replace(new, level=old.level, attributes=old.attributes, derived=old.derived)


def _path(base: Snapshot, head: Snapshot, key: str) -> str:
    if key in base.entities:
        return base.entities[key].path
    kind, eid = key.split(":", 1)
    folder, suffix = KIND_DIRS[kind]
    return f"content/{folder}/{eid}{suffix}"


def entity_diff(old: EntityView | None, new: EntityView | None) -> EntityDiff:
    """One entity at two revisions (either may be None: added or removed)."""
    if new is None:
        assert old is not None
        breaking = (f"{old.kind} '{old.id}' was removed",) if old.kind in CONTRACT_KINDS else ()
        return EntityDiff(old.kind, old.id, old.path, "removed", breaking=breaking)
    if old is None:
        return EntityDiff(new.kind, new.id, new.path, "added")
    items = field_items(old.fields, new.fields)
    if new.portrait and old.portrait != new.portrait and old.fields.get("portrait") == new.fields.get("portrait"):
        # the same file name, another image; or the image the base missed (its HF0306, now
        # gone, was all it said): every page and book showing the entity changes. One gone
        # at the head is the head's new error (HF0306), said there.
        items.append(Item("asset", "portrait", "replaced" if old.portrait else "added"))
    if new.kind == "hero":
        items += hero_items(old, new)
    if old.story and new.story:
        items += story_items(old.story, new.story)
    breaking = list(_story_breaking(old, new))
    if old.id != new.id:
        if new.kind in CONTRACT_KINDS:
            breaking.insert(0, f"{new.kind} '{old.id}' is now '{new.id}'")
        return EntityDiff(new.kind, new.id, new.path, "renamed", tuple(items), old.id, old.path,
                          breaking=tuple(breaking))
    return EntityDiff(new.kind, new.id, new.path, "changed", tuple(items), breaking=tuple(breaking))


def _differs(a: Any, b: Any) -> bool:
    return a != b or type(a) is not type(b)   # 1 == True in Python; not in the JSON


def field_items(old: dict[str, Any], new: dict[str, Any], section: str = "field") -> list[Item]:
    """Field by field, in the order the new file has them (then the ones it dropped);
    a whole row added or removed (`relationships[tomas]`) is one item, not one per field."""
    items = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key not in old:
            items.append(Item(section, key, "added", None, new[key]))
        elif key not in new:
            items.append(Item(section, key, "removed", old[key], None))
        elif _differs(old[key], new[key]):
            items.append(Item(section, key, "changed", old[key], new[key]))
    return _whole_rows(items, old, new)


def _row(key: str) -> str | None:
    return key[:key.index("]") + 1] if "[" in key and "]" in key else None


def _whole_rows(items: list[Item], old: dict[str, Any], new: dict[str, Any]) -> list[Item]:
    out: list[Item] = []
    done: set[str] = set()
    # each side's fields by row, once: looking a row up in every key of both sides for
    # each item was quadratic (schemas/attributes.yaml of 20,000 attributes: a
    # `foundry diff` of hours, fuzz29)
    rows = {id(old): _by_row(old), id(new): _by_row(new)}
    for item in items:
        row = _row(item.subject)
        if row is None or item.change == "changed":
            out.append(item)
            continue
        side = new if item.change == "added" else old
        other = old if item.change == "added" else new
        if row in rows[id(other)]:   # the row exists on both sides: field by field
            out.append(item)
            continue
        if row not in done:
            done.add(row)
            fields = {k[len(row) + 1:]: v for k, v in rows[id(side)][row].items() if v not in ("", [], None)}
            old_new = (None, fields) if item.change == "added" else (fields, None)
            out.append(Item(item.section, row, item.change, *old_new))
    return out


def _by_row(fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """row (`relationships[tomas]`) → its fields as `fields` has them, in their order."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in fields.items():
        row = _row(key)
        if row is not None:
            out.setdefault(row, {})[key] = value
    return out


def hero_items(old: EntityView, new: EntityView) -> list[Item]:
    """What the sheet computes: the level, attribute values that moved without the
    hero's own value changing (a template did it), and derived stats per level."""
    items = []
    if old.level != new.level:
        items.append(Item("derived", "level", "changed", old.level, new.level))
    for name, value in new.attributes.items():
        own = f"attributes.{name}"
        if name in old.attributes and old.attributes[name] != value and old.fields.get(own) == new.fields.get(own):
            items.append(Item("derived", name, "changed", old.attributes[name], value, note="effective value"))
    for name in ("skills", "items"):
        # a template's list, inherited: said when the hero's own list is as it was
        before, now = getattr(old, name), getattr(new, name)
        if before != now and old.fields.get(name) == new.fields.get(name):
            items.append(Item("derived", name, "changed", list(before), list(now), note="effective value"))
    for stat, values in new.derived.items():
        before = old.derived.get(stat)
        if before is None or before == values:
            continue
        moved = [lvl for lvl, (a, b) in enumerate(zip(before, values), 1) if a != b]
        if not moved:
            continue
        at = new.level if new.level in moved else moved[0]
        note = f"at level {at}" + (f" (moves at levels {_ranges(moved)})" if len(moved) > 1 else "")
        items.append(Item("derived", stat, "changed", before[at - 1], values[at - 1], note=note))
    return items


def _ranges(levels: list[int]) -> str:
    """[1, 2, 3, 5] → "1–3, 5"."""
    groups: list[list[int]] = []
    for level in levels:
        if groups and level == groups[-1][1] + 1:
            groups[-1][1] = level
        else:
            groups.append([level, level])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in groups)


def story_items(old: StoryView, new: StoryView) -> list[Item]:
    items = _scene_items(old, new)
    old_end = {s for s, v in old.scenes.items() if v.ending}
    new_end = {s for s, v in new.scenes.items() if v.ending}
    items += [Item("ending", s, "gained") for s in new.scenes if s in new_end - old_end]
    items += [Item("ending", s, "lost") for s in old.scenes if s in old_end - new_end]
    items += _choice_items(old, new)
    for code, scene, choice, message in sorted(new.findings - old.findings):
        items.append(Item("finding", code, "appeared", scene=scene, note=message))
    for code, scene, choice, message in sorted(old.findings - new.findings):
        items.append(Item("finding", code, "disappeared", scene=scene, note=message))
    for stat in STATS:
        if stat in old.stats and stat in new.stats and _differs(old.stats[stat], new.stats[stat]):
            items.append(Item("statistic", stat, "changed", old.stats[stat], new.stats[stat]))
    return items


def _scene_items(old: StoryView, new: StoryView) -> list[Item]:
    items = [Item("scene", s, "added", new=v.title) for s, v in new.scenes.items() if s not in old.scenes]
    items += [Item("scene", s, "removed", old=v.title) for s, v in old.scenes.items() if s not in new.scenes]
    for sid, now in new.scenes.items():
        was = old.scenes.get(sid)
        if was is None:
            continue
        if was.title != now.title:
            items.append(Item("scene", sid, "retitled", was.title, now.title))
        if was.text_hash != now.text_hash:
            items.append(Item("scene", sid, "rewritten", was.words, now.words))
    return items


def _choice_items(old: StoryView, new: StoryView) -> list[Item]:
    """Choices of scenes on both sides. An unnamed choice's id comes from its target,
    so a re-targeted one is found by its text within the same scene."""
    common = set(old.scenes) & set(new.scenes)
    gone = {k: v for k, v in old.choices.items() if k[0] in common and k not in new.choices}
    came = {k: v for k, v in new.choices.items() if k[0] in common and k not in old.choices}
    pairs = [(k, k) for k in new.choices if k in old.choices]
    for k, v in list(came.items()):
        match = [g for g, w in gone.items() if g[0] == k[0] and w.text == v.text]
        if len(match) == 1:
            pairs.append((match[0], k))
            del gone[match[0]], came[k]
    items = []
    for a, b in pairs:
        was, now = old.choices[a], new.choices[b]
        scene = b[0]
        if was.target != now.target:
            items.append(Item("choice", now.text, "retargeted", was.target, now.target, scene=scene))
        if was.text != now.text:
            items.append(Item("choice", now.text, "reworded", was.text, now.text, scene=scene))
        if was.condition != now.condition:
            items.append(Item("choice", now.text, "condition", was.condition, now.condition, scene=scene))
        if was.effects != now.effects:
            items.append(Item("choice", now.text, "effects", was.effects, now.effects, scene=scene))
    items += [Item("choice", v.text, "added", new=v.target, scene=k[0]) for k, v in came.items()]
    items += [Item("choice", v.text, "removed", old=v.target, scene=k[0]) for k, v in gone.items()]
    return items


def _story_breaking(old: EntityView, new: EntityView):
    """Scene ids and story variables are part of the JSON contract: engines keep
    them in saved games."""
    if not (old.story and new.story):
        return
    for sid in old.story.scenes:
        if sid not in new.story.scenes:
            yield f"story '{new.id}': scene '{sid}' was removed"
    for name, kind in old.story.variables.items():
        now = new.story.variables.get(name)
        if now is None:
            yield f"story '{new.id}': variable '{name}' was removed"
        elif now != kind:
            yield f"story '{new.id}': variable '{name}' changed type from {kind} to {now}"


# The rule book's fields (as the JSON contract's rules row names them) → the rule file
# that defines them (rules/book.py RULE_FILES)
_RULE_FILE_OF = {"attributes": "schemas/attributes.yaml", "point_budget_base": "schemas/attributes.yaml",
                 "point_budget_per_level": "schemas/attributes.yaml", "derived": "schemas/attributes.yaml",
                 "max_level": "schemas/progression.yaml", "xp_for_level": "schemas/progression.yaml",
                 "skills": "schemas/skills.yaml", "relationship_kinds": "schemas/relationships.yaml"}


def _rule_file(key: str) -> str | None:
    """The rule file a flattened rules key (`skills[ambush].requires`) comes from."""
    return _RULE_FILE_OF.get(re.match(r"\w*", key).group())


def rules_diff(base: Snapshot, head: Snapshot) -> list[EntityDiff]:
    """The rule book's changes, and its files that do not load on one side: what such a
    file defines is unknown there, never "removed" (a skills.yaml with a syntax error, or
    reached through a link out of the project, is not every skill deleted and a breaking
    change for each), so it is said as a file that does not load, or loads again."""
    unknown = set(base.rules_unloadable) | set(head.rules_unloadable)
    out = [EntityDiff("rules", rel.rsplit("/", 1)[-1], rel, "unloadable", errors=errors)
           for rel, errors in head.rules_unloadable.items()]
    out += [EntityDiff("rules", rel.rsplit("/", 1)[-1], rel, "fixed", errors=errors)
            for rel, errors in base.rules_unloadable.items() if rel not in head.rules_unloadable]

    def known(rel: str | None) -> bool:   # not a file that did not load, nor under a folder that did not
        return rel is None or not any(rel == u or rel.startswith(u + "/") for u in unknown)

    items = [item for item in field_items(base.rules, head.rules, "rule") if known(_rule_file(item.subject))]
    if items:
        breaking = tuple(f"{label} '{rid}' was removed from the rules"
                         for table, label in RULE_TABLES.items() if known(_RULE_FILE_OF[table])
                         for rid in sorted(base.rule_ids[table] - head.rule_ids[table]))
        out.append(EntityDiff("rules", "rules", "schemas/", "changed", tuple(items), breaking=breaking))
    return out
