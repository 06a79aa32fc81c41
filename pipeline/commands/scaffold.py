"""`foundry new`: new hero, character, quest and story files, never over an existing file.

Templates are filled by replacing fixed markers with YAML-quoted values — they are
never run through a template engine, so a project's own story templates (content,
hence untrusted) cannot execute anything.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..confine import Refused, boundary, refuse
from ..diagnostics import Diagnostic, Diagnostics, Span, clip
from ..load.places import id_line, taken_ids
from ..load.files import unread_hint
from ..load.hygiene import report_dangling, report_special
from ..heroes.templates import NEW_CHARACTER_QUESTION, NEW_HERO_QUESTION, NEW_QUEST_OBJECTIVE
from ..stories.guidance import BUILTIN_STORY_TEMPLATES
from ..validate.documents import id_hint
from .project_write import write_file
from ..ids import SLUG_PATTERN, WINDOWS_DEVICE_NAMES, spell_id

if TYPE_CHECKING:
    from ..resolve.world import World

PROJECT_STORY_TEMPLATES = "content/templates/stories"


class ScaffoldError(Exception):
    """A request `foundry new` cannot carry out; the message says what to do."""


@dataclass(frozen=True)
class StoryTemplate:
    id: str
    description: str
    text: str
    origin: str   # "built-in" or the project path


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def id_refusal(kind: str, new_id: str, root: Path | None = None) -> str | None:
    """Why `new_id` cannot name a new `kind` file (new, import), or None. With the
    project's `root`, the id its hint names is none its files of that kind (and of
    the kinds sharing its ids) have: `foundry new hero "First Hero"` beside
    first-hero.yaml was told 'Write it as `first-hero`', refused next as existing."""
    if not re.match(SLUG_PATTERN, new_id) or len(new_id) > 64:
        # the id meant, as a field's value not written as an id is told (`Kestrel` → `kestrel`)
        meant = id_hint(new_id[:64], taken=taken_ids(root / "content", kind) if root is not None else frozenset())
        rule = "use at most 64 letters, digits and hyphens" if re.match(SLUG_PATTERN, new_id) \
            else "use lowercase letters, digits and hyphens"
        return f"'{clip(new_id, 40)}' is not a valid {kind} id: {rule}" \
            + (f". {meant}" if meant.startswith("Write it as") else "")
    if new_id in WINDOWS_DEVICE_NAMES:
        other = spell_id(new_id, taken_ids(root / "content", kind) if root is not None else frozenset())
        return (f"'{new_id}' is a device name on Windows (HF0161): a teammate there could not check the {kind}'s "
                f"file out; choose another id, e.g. '{other}'")
    return None


def another_id(root: Path, kind: str, new_id: str) -> str:
    """An id to suggest in `new_id`'s place when it is refused as taken (a file there, a
    character of that id, a page foundry makes): `new_id` numbered past every id of its
    kind and the kinds sharing its ids (`index` → `index-2`), spelled by ids.spell_id,
    so the suggestion is never refused in turn."""
    return spell_id(new_id, {*taken_ids(root / "content", kind), new_id})


def check_new_id(kind: str, new_id: str, root: Path | None = None) -> None:
    refusal = id_refusal(kind, new_id, root)
    if refusal:
        raise ScaffoldError(refusal)


def output_clash(root: Path, path: Path) -> tuple[Diagnostic | None, World | None]:
    """(HF0720 at the content file `path` just written if its id names an output
    foundry already writes (`index`: the heroes' or stories' index page), else None;
    the world that check made, None when it made none). The plans say which names are
    taken (engine/outputs.py), so the file is checked with the project: one whole
    check, whose world `new` and `import` hand on to line_ids.tag_if_required rather
    than checking the unchanged project again. `new` and `import` write files that
    pass check as written."""
    world, found = world_as_written(root, path)
    return next((d for d in found if d.code == "HF0720"), None), world


def checked_as_written(root: Path, path: Path) -> list[Diagnostic]:
    """Every diagnostic the project's check gives at the content file `path` just
    written (one whole check: only when a file was written)."""
    return world_as_written(root, path)[1]


def world_as_written(root: Path, path: Path) -> tuple[World | None, list[Diagnostic]]:
    """(the world `check` made, None when it made none; every diagnostic at the
    content file `path` just written). One whole check: a verb that goes on to tag the
    file (line_ids.tag_if_required) passes it the world, not checking the unchanged
    project a second time."""
    from ..engine.builder import check
    rel = path.relative_to(root).as_posix()
    after = Diagnostics()
    world = check(root, after)
    return world, [d for d in after.items if d.span.path == rel]


def output_clash_ahead(root: Path, kind: str, eid: str, rel: str) -> Diagnostic | None:
    """HF0720 at `rel`, the content file a dry run would write, if the id `eid` names
    an output foundry already writes: what `output_clash` says after the write, said
    from the plans of the project as it is (engine/outputs.py clash_ahead), so nothing
    is written to find out."""
    from ..engine.builder import check   # the whole pipeline, as output_clash
    from ..engine.outputs import check_outputs, clash_ahead
    world = check(root, Diagnostics())
    if world is None:
        return None
    found = Diagnostics()
    clash_ahead(check_outputs(world, Diagnostics()), kind, eid, rel, found)
    return found.items[0] if found.items else None


def write_new(path: Path, text: str, root: Path, kind: str | None = None) -> None:
    """Create `path` (inside the project `root`) holding `text`; never overwrites.
    Raises ScaffoldError when the file exists, Unwritable when a folder on the way
    is a symbolic link (a committed `content/heroes -> /elsewhere`, or one inside the
    project) or not a folder, or something not a file is in its place: the one rule
    of every write into the project (project_write.py), judged before any folder is
    made. With the file's `kind`, the refusal of an existing file names a free id."""
    rel = Path(os.path.relpath(path, root)).as_posix()
    try:
        write_file(root, rel, text.encode("utf-8"))
    except FileExistsError:
        other = f"; choose another id, e.g. '{another_id(root, kind, path.stem)}'" if kind else ""
        raise ScaffoldError(f"{rel} already exists; foundry never overwrites a file{other}") from None


def hero_text(hero_id: str, name: str, prompts: list[str], template_id: str | None, xp: int = 0) -> str:
    """A new hero file that passes check as written: `template_id` named, the background
    prompts of its template chain (`prompts`, in order) as the background, and `xp` (the
    template's skills or points may need a level above 1: commands/new.py _starting_xp)."""
    lines = ["# yaml-language-server: $schema=../../schemas/json/hero.schema.json",
             f"name: {yaml_string(name)}", "title: \"\"", "status: draft"]
    if template_id:
        lines.append(f"template: {template_id}")
    lines += ["attributes: {}     # values above the template's or the defaults; see `foundry hero " + hero_id + "`",
              "skills: []", f"xp: {xp}" + ("" if not xp else "     # the least the template's skills and points need"),
              "relationships: []"]
    # each line of each prompt indented into the block (a prompt may hold line breaks:
    # its second line landed in the file's top level, as a key of its own or a broken
    # line, so the new hero did not load or came out `status: published`); an explicit
    # indentation when the first line starts with a space, which YAML would otherwise
    # take for the block's indentation
    body = [line for p in prompts for line in p.splitlines() or [""]] or \
        [NEW_HERO_QUESTION.format(name=name)]
    first = next((line for line in body if line.strip()), "")
    lines.append("background: |2" if first[:1].isspace() else "background: |")
    lines += [f"  {line}" if line.strip() else "" for line in body]
    return "\n".join(lines) + "\n"


def character_text(name: str) -> str:
    """A new character file (content/characters/<id>.yaml) that passes check as written:
    the fields a writer fills in, empty, and a prompt for the background."""
    return "\n".join([
        "# yaml-language-server: $schema=../../schemas/json/character.schema.json",
        f"name: {yaml_string(name)}", "title: \"\"", "status: draft",
        "role: \"\"            # what they are in the world: ferryman, rival, keeper of the light",
        "attributes: {}     # each within the rule book's range; missing ones take its default",
        "relationships: []  # {with: a hero or character, kind: a kind from schemas/relationships.yaml}",
        "background: |", "  " + NEW_CHARACTER_QUESTION.format(name=name)]) + "\n"


def quest_text(title: str, done_when: str) -> str:
    """A new quest file (content/quests/<id>.yaml): one objective, done when the story
    variable `done_when` is true (a story that lists the quest sets it)."""
    return "\n".join([
        "# yaml-language-server: $schema=../../schemas/json/quest.schema.json",
        f"title: {yaml_string(title)}", "status: draft", "summary: \"\"",
        "objectives:         # each done when its condition over the story variables is true",
        f"  - {{id: first-step, text: {yaml_string(NEW_QUEST_OBJECTIVE)}, done_when: {done_when}}}",
        "rewards: {xp: 0}"]) + "\n"


def story_templates(root: Path, refused: Diagnostics | None = None) -> dict[str, StoryTemplate]:
    """The story templates `foundry new story` offers: the built-in ones, then the
    project's own (content/templates/stories/*.md) under the build's confinement rule.
    `refused`, when given, receives why each of the project's is not offered (a link
    out: HF0120; a FIFO, socket or device: HF0125; unreadable: HF0116), at its path
    and in the words `foundry check` uses."""
    found: dict[str, StoryTemplate] = {}
    refused = Diagnostics() if refused is None else refused
    base = resources.files("pipeline").joinpath(BUILTIN_STORY_TEMPLATES)
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".md"):
            text = item.read_text(encoding="utf-8")
            found[item.name[:-3]] = StoryTemplate(item.name[:-3], _description(text), text, "built-in")
    own = root / PROJECT_STORY_TEMPLATES
    fence = boundary(root)
    if fence.lexists(own) and fence.resolve(own) is None:   # the folder (or one above) links out
        refuse(root, own, refused)
    if fence.is_dir(own):
        # the build's confinement rule: a template that links outside is not offered
        special: list[str] = []
        files, outside = fence.walk(own, special=special)
        for shown in outside:
            if Path(shown).parent == own and shown.endswith(".md"):
                refuse(root, shown, refused)
        for shown in special:
            if Path(shown).parent == own and shown.endswith(".md"):
                real = fence.resolve(shown)
                if not report_dangling(fence, real, _rel(root, shown), refused):
                    report_special(real, _rel(root, shown), refused)
        for shown, _ in sorted(files):
            path = Path(shown)
            if path.parent != own or path.suffix != ".md":
                continue
            try:
                text = fence.read(path, MAX_TEMPLATE_BYTES).decode("utf-8", errors="replace")
            except OSError as exc:
                reason = exc.reason if isinstance(exc, Refused) else exc.strerror or str(exc)
                refused.add("HF0116", f"cannot be read: {reason}", Span(_rel(root, shown)),
                            hint=f"A story template is a Markdown file under {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB: make "
                                 "it shorter." if isinstance(exc, Refused) and exc.kind == "size"
                            else unread_hint(_rel(root, shown), "os")[1])
                continue
            found[path.stem] = StoryTemplate(path.stem, _description(text), text, path.relative_to(root).as_posix())
    return found


MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


def _rel(root: Path, shown: str) -> str:
    return Path(os.path.relpath(shown, root)).as_posix()


def _description(text: str) -> str:
    """The first sentence of the comment that opens a template's front matter, however
    many lines it is wrapped over (a description cut at the end of a line reads as a
    bug)."""
    words: list[str] = []
    for line in text.splitlines()[1:12]:
        if not line.startswith("#"):
            if words:
                break
            continue
        words += line.lstrip("#").split()
    sentence = " ".join(words)
    end = re.search(r"[.!?](?=\s|$)", sentence)
    return sentence[: end.end()] if end else sentence


# A top-level `id:` line of a story template's front matter (the first `---` block),
# after a byte-order mark, its key written as YAML reads the key `id` (`id :`, `"id":`,
# `'id':`): a template holding one of these kept `id: tale` and no story was made from it.
# Its value's indented lines after it (`id:` then `  tale` below, `id: >-`) are part
# of it: kept, `id: fable` read on as 'fable tale'. They are emptied, not removed, so the
# story stays the template line for line. So are the lines of a quoted value, which
# YAML reads on at any indent up to the front matter's end (`id: "du` then `el"` below:
# `el"` was left, a YAML error, and the story was refused as the template's fault).
_FRONT_ID = re.compile(r"\A(\ufeff?---[ \t]*\r?\n(?:(?!---[ \t]*\r?$)[^\n]*\n)*?)(?:id|\"id\"|'id')[ \t]*:(?=[ \t\r\n]|$)"
                       r"((?:[ \t]+(?:\"(?:[^\"\\\n]|\\[\s\S]|\n(?!---|\.\.\.))*\"|'(?:[^'\n]|''|\n(?!---|\.\.\.))*'))?[^\n\r]*(?:\r?\n(?:[ \t]*\r?\n)*[ \t]+[^\n\r]*)*)",
                       re.MULTILINE)
_LINE_TEXT = re.compile(r"[^\r\n]+")
_FIRST_LINE = re.compile(r"[^\r\n]*")


def story_text(template: StoryTemplate, title: str, story_id: str = "") -> str:
    """The new story `story_id`: the template with its title filled in, line for line
    (what check says of it is said at the template's lines). An `id:` line the template
    holds (a story copied to be one keeps it: `id: tale` in tale.md) is the new story's
    id: copied as it was, every story made from the template was HF0106 ('id tale does
    not match the file name fable') and `new story` was refused."""
    text = template.text.replace("title: __TITLE__", f"title: {yaml_string(title)}", 1)
    return _FRONT_ID.sub(lambda m: m.group(1) + id_line(story_id)
                         + _LINE_TEXT.sub("", _FIRST_LINE.sub("", m.group(2), count=1)),
                         text, count=1) if story_id else text
