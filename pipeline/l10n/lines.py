"""Every translatable unit of a World, each with its line id.

Ids are derived from authored ids wherever there are some, so they survive edits
elsewhere, reordering and insertion:

    hero.<id>.name | .title | .background.<marker>      character.<id>.name | .title | .role | …
    hero.<id>.relationship.<with>.<kind>.note (a pair listed again: .<kind>.<n>.note, n = 2, 3…)
    template.<id>.name
    story.<id>.title | .summary | .scene.<scene> | .choice.<choice> | .<marker>
    quest.<id>.title | .summary | .objective.<objective>
    rules.attribute.<id>.name | .description, rules.derived.…, rules.skill.…, rules.relationship.<id>.name

Prose paragraphs have no authored id: their id is the marker `foundry l10n tag`
wrote (`story.keep.l-3f2a`). An untagged paragraph gets a positional id
(`story.keep.scene.gate.p2`) that works until a paragraph is inserted before it;
`check` reports those once `[l10n] require_line_ids = true`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, Span, clip
from ..load.markdown import FOLDED_CHARS, choice_words, is_plain_title, markdown, title_text
from ..load.markers import as_marker, inner_marker, near_marker, paragraph_marker

BLANK = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class Line:
    """One translatable unit. `text` is the base-language source (Markdown where
    `markup`); `span` is where it is written; `context` tells a translator where it
    shows; `max_length` is the layout's limit in characters, when it has one."""

    id: str
    text: str
    source: str
    span: Span
    kind: str                  # name | title | role | summary | paragraph | scene-title | choice | objective | label | description | note
    context: str
    max_length: int | None = None
    markup: bool = False
    tagged: bool = True        # False: a paragraph with a positional id only
    near: Span | None = None   # a paragraph's marker typed otherwise (` ^L-81C4`), at its `^`
    near_written: str = ""     # … as typed (`L-81C4`)
    inside: Span | None = None # a marker inside the paragraph with words after it on its
    inside_written: str = ""   # line (two paragraphs joined), at its `^`; … its id
    inline: bool = False       # a name, title or choice written in inline Markdown: `text`
                               # is as written (what a translation is read as), every
                               # plain-text output shows its `title_text`


def collect_lines(world: Any, diags: Diagnostics, require_ids: bool = False) -> tuple[Line, ...]:
    """Every line of the World in a stable order (kind, entity, position). Reports
    duplicate markers (HF1102) and, when `require_ids`, untagged paragraphs (HF1101)."""
    out: list[Line] = []
    for table, kind in ((world.characters, "character"), (world.heroes, "hero")):
        for eid, entry in sorted(table.items()):
            out += _person(kind, eid, entry)
    for tid, entry in sorted(getattr(world, "templates", {}).items()):
        # a template's name shows on the page and sheet of each hero made from it; its
        # description and background prompts are for writers (no output shows them)
        out += _field("template", tid, entry, "name", "Name", 120, "; shows on the pages of heroes made from it")
    for qid, entry in sorted(world.quests.items()):
        out += _quest(qid, entry)
    people = {pid: e.model.name for table in (world.heroes, world.characters) for pid, e in table.items()}
    for sid, entry in sorted(world.stories.items()):
        out += _story(sid, entry, people)
    out += _rules(world.rules)
    _check_ids(out, diags, require_ids)
    return tuple(out)


def _check_ids(lines: list[Line], diags: Diagnostics, require_ids: bool) -> None:
    seen: dict[str, Line] = {}
    scene_of: dict[str, int] = {}   # a choice's line id → the scene it is in (counted)
    scenes = 0
    for line in lines:
        scenes += line.kind == "scene-title"   # a scene's lines follow its heading's
        first = seen.setdefault(line.id, line)
        # an objective's line id is its quest's and its own id: two alike are one quest
        # with an id twice, said once by the quest's check (HF0541); two choices of one
        # scene with one id are said once by the story's check (HF0511)
        in_one_scene = line.kind == "choice" and scene_of.setdefault(line.id, scenes) == scenes
        if first is not line and line.kind != "objective" and not in_one_scene:
            # a choice's line id is its authored `{id="…"}` (unique per scene, not per
            # story): there is no marker to delete, the id itself must change
            hint = ("A choice's id keys its translation, so it must be unique in the story, not only in "
                    "its scene: give this choice another `{id=\"…\"}`." if line.kind == "choice"
                    else "Delete this marker (keep the text) and run `foundry l10n tag` to give it a new one.")
            diags.add("HF1102", f"line id '{clip(line.id, 60)}' is also used at {first.span}", line.span, hint=hint)
        if line.near is not None:
            # a marker typed by hand in other letters: not a line id, shown as typed on
            # every page, and `tag` wrote a second marker after it. One finding: HF1101
            # (an error) where ids are required, else HF1154, each at the `^`
            meant = as_marker(line.near_written)
            what = (f"`^{clip(line.near_written, 40)}` ends a line of the paragraph but is no line id marker (` ^l-` and 4–12 "
                    "lower-case letters or digits), so it is shown as typed in every output")
            hint = (f"Write it `^{meant}`, or run `foundry l10n tag`, which does." if meant is not None else
                    "Run `foundry l10n tag`: it writes a line id marker in its place."
                    if line.near_written.lower().startswith(("l-", "l_")) else
                    f"If it is the text, write the caret as `\\^{clip(line.near_written, 40)}`; if it is a line id, "
                    "write it ` ^l-` and 4–12 letters or digits.")
            if line.tagged:
                # the paragraph has its id on a line above: this word is not it, and
                # writing it as a marker would give the paragraph another id
                diags.add("HF1154", what, line.near, hint=f"Delete it (or write the caret as `\\^`): the paragraph's "
                          f"line id is the marker `^{line.id.rsplit('.', 1)[-1]}` on a line above it.")
            elif require_ids:
                diags.add("HF1101", f"paragraph has no line id: {what}", line.near, hint=hint)
            else:
                diags.add("HF1154", what, line.near, hint=hint)
        elif require_ids and not line.tagged:
            diags.add("HF1101", f"paragraph has no line id ({clip(line.text, 40)})", line.span)
        if line.inside is not None:
            diags.add("HF1154", f"`^{line.inside_written}` has words after it on its line: only the end of a "
                      "paragraph's last line holds a line id marker, so this one is shown as typed in every output",
                      line.inside, hint="Two paragraphs joined? Put a blank line after the marker to keep them apart, "
                      "or delete it: the paragraph keeps the marker at its end (`foundry l10n tag` gives it one).")


def as_written(written: Any, plain: str, choice: bool = False) -> str:
    """A name, title or choice as its writer typed it (inline Markdown), when `written`
    is that text: the model keeps only its plain text (load/titles.py), and a translator
    given the plain text reads it as the Markdown a translation is (resolve/localized.py
    `_title`): `&amp;` or `\\*` copied from it lost a character, `*far*` lost its
    emphasis unseen. Anything else (no such field, another value): `plain`.
    A `choice`'s plain text has the prose's typography (`Rook's` → `Rook’s`), which a
    title's has not: one holding markup is matched with it (`[Take *Rook's* key]`
    was given as `Take Rook’s key`); one without keeps its plain text, as translations
    made before were matched against."""
    if isinstance(written, str) and written != plain and (title_text(written) or written) == plain:
        return written
    if choice and isinstance(written, str) and written != plain and not is_plain_title(written) \
            and choice_words(written).strip() == plain:
        return written
    return plain


def _written(entry: Any, *loc: Any) -> Any:
    """The value at `loc` in the file as parsed (before names became plain text)."""
    value = getattr(getattr(entry, "doc", None), "data", None)
    for key in loc:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _field(kind: str, eid: str, entry: Any, name: str, label: str, max_length: int | None,
           what: str = "") -> list[Line]:
    value = getattr(entry.model, name, "") or ""
    if not isinstance(value, str) or not value.strip():
        return []
    return [Line(f"{kind}.{eid}.{name}", as_written(_written(entry, name), value), entry.path, entry.span(name),
                 name, f"{label} of {kind} '{eid}'{what}", max_length, inline=True)]


def _person(kind: str, eid: str, entry: Any) -> list[Line]:
    out = _field(kind, eid, entry, "name", "Name", 120, "; shows as the page heading and in lists")
    out += _field(kind, eid, entry, "title", "Title (epithet)", 120, "; shows under the name")
    if kind == "character":
        out += _field(kind, eid, entry, "role", "Role", 120, "; shows under the name")
    out += prose_lines(f"{kind}.{eid}.background", entry, "background", f"Background of {kind} '{eid}'")
    relationships = entry.model.relationships
    ids = relationship_note_ids(kind, eid, [(rel.with_, rel.kind) for rel in relationships])
    for i, (rel, lid) in enumerate(zip(relationships, ids)):
        if rel.note.strip():
            out.append(Line(lid, as_written(_written(entry, "relationships", i, "note"), rel.note), entry.path,
                            entry.span("relationships", i, "note"), "note",
                            f"Note on what {kind} '{eid}' is to '{rel.with_}' ({rel.kind}); shows beside the "
                            "relationship on both people's pages and the relationships page"
                            + (", and on the hero's sheet" if kind == "hero" else ""),
                            500, inline=True))
    return out


def relationship_note_ids(kind: str, eid: str, pairs: Any) -> list[str]:
    """The line id of the note of each of a person's relationships (`pairs`: (with,
    kind) of each), in order: `hero.aria.relationship.tomas.apprentice.note`,
    from the ids the writer gave (whom, which kind), so it survives reordering; a pair
    listed again is numbered from 2 (`….apprentice.2.note`), as nothing refuses it.
    The one rule the line list, the localized view and the pages share."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for with_, rel_kind in pairs:
        n = seen[(with_, rel_kind)] = seen.get((with_, rel_kind), 0) + 1
        out.append(f"{kind}.{eid}.relationship.{with_}.{rel_kind}{f'.{n}' if n > 1 else ''}.note")
    return out


def _quest(qid: str, entry: Any) -> list[Line]:
    out = _field("quest", qid, entry, "title", "Title", 200, "; shows as the quest heading")
    if entry.model.summary.strip():
        out.append(Line(f"quest.{qid}.summary", entry.model.summary, entry.path, entry.span("summary"), "summary",
                        f"Summary of quest '{qid}' (Markdown)", 5000, markup=True))
    for i, objective in enumerate(entry.model.objectives):
        out.append(Line(f"quest.{qid}.objective.{objective.id}",
                        as_written(_written(entry, "objectives", i, "text"), objective.text), entry.path,
                        entry.span("objectives", i, "text"), "objective",
                        f"Objective '{objective.id}' of quest '{qid}'; shows in the quest's checklist", 500,
                        inline=True))
    return out


def story_lines(sid: str, entry: Any) -> list[Line]:
    """One story's lines in reading order: title, summary, then per scene its heading,
    paragraphs and choices (each scene starts with its `scene-title` line)."""
    return _story(sid, entry)


def scene_cast(front: Any, scene: Any, people: dict[str, str]) -> str:
    """Who a scene's lines are spoken among, for the translator: the story format has
    no speaker syntax (docs/writing-stories.md), so a line's speaker cannot be known;
    what can be is the hero who plays the story and the story's characters the scene
    names (by name or id, in its heading, prose or choices). "" when nobody is known."""
    text = " ".join([scene.title, scene.text, *(c.text for c in scene.choices)]).casefold()
    present = [people.get(cid, cid) for cid in front.characters
               if people.get(cid, cid).casefold() in text or cid.replace("-", " ") in text]
    hero = people.get(front.protagonist, front.protagonist) if front.protagonist else None
    parts = ([f"characters in this scene: {', '.join(present)}"] if present else []) + \
        ([f"the reader plays {hero}"] if hero else [])
    return f"; {'; '.join(parts)} (no speaker is marked in stories)" if parts else ""


def _story(sid: str, entry: Any, people: dict[str, str] | None = None) -> list[Line]:
    story, doc = entry.model, entry.doc
    front = story.front
    people = people or {}
    out = [Line(f"story.{sid}.title", as_written(_written(entry, "title"), front.title), entry.path,
                entry.span("title"), "title", f"Title of story '{sid}'; shows as the book and page title", 200,
                inline=True)]
    if front.summary.strip():
        out.append(Line(f"story.{sid}.summary", front.summary, entry.path, entry.span("summary"), "summary",
                        f"Summary of story '{sid}' (Markdown)", 5000, markup=True))
    for scene in story.scenes.values():
        where = f"scene '{scene.id}' of story '{sid}'"
        cast = scene_cast(front, scene, people)
        out.append(Line(f"story.{sid}.scene.{scene.id}", as_written(scene.title_source, scene.title), entry.path,
                        scene.span, "scene-title",
                        f"Heading of {where}; shows as the scene's heading and in the story map{cast}", 200,
                        inline=True))
        for n, (para, (lid, tagged)) in enumerate(zip(scene.paragraphs, paragraph_ids(sid, scene, doc)), 1):
            out.append(Line(lid, para.text, entry.path, para.span, "paragraph",
                            f"Paragraph {n} of {where} (Markdown){cast}", markup=True, tagged=tagged,
                            **_near(entry.path, doc, para.span.line, para.last_line, tagged)))
        for choice in scene.choices:
            out.append(Line(f"story.{sid}.choice.{choice.id}", as_written(choice.source, choice.text, choice=True), entry.path,
                            choice.span, "choice",
                            f"Choice in {where}, leads to scene '{choice.target}'; shows as a button{cast}",
                            inline=True))
    return out


def paragraph_ids(sid: str, scene: Any, doc: Any) -> list[tuple[str, bool]]:
    """(line id, whether it comes from a marker) of each of a scene's paragraphs, in
    order: the one rule the line list and the localized view (view.py) share."""
    out, on_line = [], {}
    for n, para in enumerate(scene.paragraphs, 1):
        at, marker = paragraph_marker(doc.source.line, para.span.line, para.last_line) or (para.last_line, None)
        # Table cells of one row end on one line and share its marker: number them.
        k = on_line[at] = on_line.get(at, 0) + 1
        marker = f"{marker}.{k}" if marker and k > 1 else marker
        out.append((f"story.{sid}.{marker}" if marker else f"story.{sid}.scene.{scene.id}.p{n}", bool(marker)))
    return out


def prose_lines(prefix: str, entry: Any, name: str, label: str) -> list[Line]:
    """A YAML prose field's paragraphs (split at blank lines), with their markers."""
    value = getattr(entry.model, name, "") or ""
    if not value.strip():
        return []
    paragraphs = field_paragraphs(value)
    blocks = block_paragraphs(entry.doc, name)
    if blocks is not None and len(blocks) != len(paragraphs):
        blocks = None
    out = []
    for n, text in enumerate(paragraphs, 1):
        first, last = blocks[n - 1] if blocks else (entry.span(name).line, 0)
        marker = (paragraph_marker(entry.doc.source.line, first if blocks else 0, last) or (0, None))[1] if last else None
        out.append(Line(f"{prefix}.{marker}" if marker else f"{prefix}.p{n}", text, entry.path,
                        Span(entry.path, first, 1) if blocks else entry.span(name), "paragraph",
                        f"{label}, paragraph {n} (Markdown)", markup=True, tagged=bool(marker),
                        **_near(entry.path, entry.doc, first if blocks else 0, last, bool(marker))))
    return out


def _near(path: str, doc: Any, first: int, last: int, tagged: bool) -> dict:
    """A paragraph's marker typed in other letters on its last line `last` (0: not known),
    else on a line above it, as Line's `near` and `near_written` (nothing when it is
    tagged or no line ends in such a word), and the first marker inside its lines `first`..`last` with words after it,
    as `inside` and `inside_written`."""
    out = {}
    # below the paragraph's marker when it has one (a sentence added under a tagged
    # paragraph, ending in ` ^L-5B64`: the paragraph kept its id, the word was shown as
    # typed and check was silent), else in all its lines
    marked = paragraph_marker(doc.source.line, first, last) if last and tagged else None
    for number in range(last, marked[0] if marked else (first or last) - 1, -1) if last else ():
        found = near_marker(doc.source.line(number).rstrip("\r"))   # the last line's, else one above it
        if found:
            out.update(near=Span(path, number, found[0]), near_written=found[1])
            break
    for number in range(first, last + 1) if first else ():
        inner = inner_marker(doc.source.line(number))
        if inner is not None:
            out.update(inside=Span(path, number, inner[0]), inside_written=inner[1])
            break
    return out


def field_paragraphs(value: str) -> list[str]:
    """A YAML prose field's paragraphs (split at blank lines), each as Markdown reads
    it: without the whitespace HTML folds at either end, a no-break or ideographic space
    typed there kept (an indent: str.strip() took it off the translators' source line
    and off what a language shows where the paragraph is untranslated)."""
    return [p.strip(FOLDED_CHARS) for p in BLANK.split(value.strip(FOLDED_CHARS)) if p.strip()]


def same_source(written: str, text: str) -> bool:
    """Whether a translation made from the source text `written` (a catalog's msgid)
    translates the line whose text is now `text`: the same text, or the same but for a
    no-break or ideographic space typed at either end, which foundry took off a
    paragraph before it kept them (`field_paragraphs`, load/markdown.py
    `_keep_typed_spaces`): an indented paragraph's translation is not stale for that.
    Nor for the same characters composed otherwise: a source saved decomposed (NFD, as
    some macOS tools write `é`) and a translation tool that saves its file composed
    (NFC) left the line stale for good, however often `extract` ran.
    Nor for whitespace that changes nothing a reader sees: a paragraph wrapped at
    other words (a line break is a space in Markdown), a space doubled or a trailing
    space an editor took off — the same Markdown rendered alike, its whitespace folded
    as HTML folds it. A hard break (two spaces or `\\` before the line break), a list
    made or unmade by a line break, stay changes: they render otherwise."""
    if written == text or written == text.strip():
        return True
    if not (written.isascii() and text.isascii()):
        written, text = unicodedata.normalize("NFC", written), unicodedata.normalize("NFC", text)
        if written in (text, text.strip()):
            return True
    # (only texts whose words are the same are rendered: most changes are words)
    return written.split() == text.split() and _as_read(written) == _as_read(text)


def _as_read(text: str) -> str:
    """`text` as its outputs show it: its Markdown rendered, runs of whitespace as one."""
    return " ".join(markdown().render(text).split())


def block_paragraphs(doc: Any, name: str) -> list[tuple[int, int]] | None:
    """(first line, last line) of each paragraph of a top-level YAML block scalar
    (`key: |` or `key: >`), read from the file as written; None for other styles."""
    key = doc.key_span(name)
    if not key.line:
        return None
    head = doc.source.line(key.line)
    rest = head[head.find(":", key.column - 1) + 1:].split("#", 1)[0].strip()
    if not rest or rest[0] not in "|>":
        return None
    indent = key.column - 1
    # A folded block (`>`) makes one blank line a single line break: the lines around it
    # are one Markdown paragraph, and only two blank lines end one. Split there, as the
    # value's paragraphs are: else `tag` marked each part, the reader matched none, and
    # HF1101 asked for the `tag` that had just run.
    gap = 2 if rest[0] == ">" else 1
    blocks: list[tuple[int, int]] = []
    start = last = blanks = 0
    number = key.line + 1
    while number <= len(doc.source.lines):
        text = doc.source.line(number)
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if text.strip():
            if start and blanks >= gap:
                blocks.append((start, last))
                start = 0
            start = start or number
            last = number
            blanks = 0
        else:
            blanks += 1
        number += 1
    if start:
        blocks.append((start, last))
    return blocks


def _rules(rules: Any) -> list[Line]:
    out: list[Line] = []
    src = next((p for p in sorted(rules.sources) if p.endswith("attributes.yaml")), "schemas/attributes.yaml")
    written = getattr(rules, "written", {})
    for aid, rule in rules.attributes.items():
        span = rules.spans.get(("attribute", aid), Span(src))
        out += _rule(f"rules.attribute.{aid}", rule, src, span, f"attribute '{aid}'", written, ("attributes", aid),
                     "hero and character pages")
    for did, stat in rules.derived.items():
        if stat.name:
            out.append(Line(f"rules.derived.{did}.name", as_written(written.get(("derived", did, "name")), stat.name),
                            src, rules.spans.get(("derived", did), Span(src)),
                            "label", f"Name of derived stat '{did}'; shows on hero sheets", 80, inline=True))
        if stat.description:
            out.append(Line(f"rules.derived.{did}.description",
                            as_written(written.get(("derived", did, "description")), stat.description), src,
                            rules.spans.get(("derived", did), Span(src)), "description",
                            f"Description of derived stat '{did}'; shows under the derived stats on hero pages",
                            1000, inline=True))
    for kid, skill in rules.skills.items():
        spath = skill.span.path or "schemas/skills.yaml"
        out += _rule(f"rules.skill.{kid}", skill.rule, spath, skill.span, f"skill '{kid}'", written, ("skills", kid),
                     "hero pages")
    rpath = next((p for p in sorted(rules.sources) if p.endswith("relationships.yaml")), "schemas/relationships.yaml")
    for rid, kind in rules.relationship_kinds.items():
        if kind.name:
            out.append(Line(f"rules.relationship.{rid}.name", as_written(written.get(("kinds", rid, "name")), kind.name),
                            rpath, rules.spans.get(("relationship", rid), Span(rpath)), "label",
                            f"Name of relationship kind '{rid}'; shows on hero pages", 80, inline=True))
    return out


def _rule(prefix: str, rule: Any, path: str, span: Span, what: str, written: dict, at: tuple,
          pages: str) -> list[Line]:
    """A label's lines: its name and description, each given as written (inline Markdown);
    `pages` says where the description shows (the translator's note: it said 'in the
    rules page', which the site has not)."""
    out = []
    if rule.name:
        out.append(Line(f"{prefix}.name", as_written(written.get((*at, "name")), rule.name), path, span, "label",
                        f"Name of {what}; shows on hero sheets", 80, inline=True))
    if rule.description:
        out.append(Line(f"{prefix}.description", as_written(written.get((*at, "description")), rule.description),
                        path, span, "description", f"Description of {what}; shows under its name on {pages}", 1000,
                        inline=True))
    return out
