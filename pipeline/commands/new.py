"""`foundry new hero|character|quest|story`: start a new content file."""

from __future__ import annotations

import dataclasses
import sys

import click

from ..confine import boundary
from ..engine.builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics, Severity
from ..load.hygiene import name_refusal
from ..load.places import KIND_DIRS
from .line_ids import tag_if_required
from .project_write import Unwritable
from .scaffold import (PROJECT_STORY_TEMPLATES, ScaffoldError, StoryTemplate, another_id, character_text, check_new_id,
                       checked_as_written, hero_text, output_clash, quest_text, story_templates, story_text, write_new)
from ..console.terminal import echo, printable
from ..ids import is_id, spell_name
from ..heroes.models import Character, Hero
from ..heroes.sheet import first_level_for
from ..heroes.templates import template_defaults
from ..resolve.world import World
from ..stories.models import Quest, StoryFront
from ..stories.quests import unlisted_hint
from . import scope


@cli.group("new")
def new_group() -> None:
    """Create a hero, character, quest or story file."""


@new_group.command("hero")
@click.argument("hero_id", required=False)
@click.option("--template", "template_id", default=None, help="A hero template from content/templates/heroes/.")
@click.option("--name", default=None, help="The hero's name (default: from the id).")
@click.option("--list-templates", is_flag=True, help="List the hero templates and exit.")
@project_option
@guarded
def new_hero(hero_id: str | None, template_id: str | None, name: str | None, list_templates: bool,
             project: str | None) -> None:
    """Write content/heroes/HERO_ID.yaml."""
    root = project_root(project)
    world, diags = _world(root)
    if list_templates:
        for tid, entry in world.templates.items():
            parent = f" (extends {entry.model.extends})" if entry.model.extends else ""
            echo(f"{tid:<16} {entry.model.name}{parent} — {entry.model.description}".rstrip(" —"))
        unread = _not_offered(diags, world)
        if unread.items:   # the project's templates that are there but not offered, and why
            emit(unread, root, "text")
        sys.exit(EXIT_OK)
    if not hero_id:
        # the example names a template this project has (a new project's is 'scout':
        # 'ranger', the sample world's, was "no hero template 'ranger'" when typed)
        example = f" --template {next(iter(world.templates))}" if world.templates else ""
        raise click.UsageError(f"give the new hero's id, e.g. `foundry new hero aria{example}`")
    if template_id and template_id not in world.templates:
        scope.explain_unread(root, diags, scope.entity_path("template", template_id), f"hero template '{template_id}'")
        hint = scope.known_hint(template_id, world.templates, "hero templates")
        raise click.BadParameter(f"no hero template '{template_id}'. {hint}",
                                 param_hint="--template")
    if name is not None and (refusal := name_refusal(name) or _too_long(name, Hero, "name")):
        raise click.BadParameter(printable(refusal), param_hint="--name")
    xp = 0
    if template_id:
        _template_is_clean(root, world, diags, template_id)
        xp = _starting_xp(world, template_id)
    _refuse_clash(root, world, hero_id, "hero")
    # the prompts of the whole chain, the farthest template's first, as its skills and
    # items merge (formats.md): `veteran` extending `scout` gave only veteran's own
    prompts = list(dict.fromkeys(p for tid in reversed(_chain(world, template_id))
                                 for p in world.templates[tid].model.background_prompts))
    _write_entity(root, "hero", hero_id,
                  lambda: hero_text(hero_id, name or hero_id.replace("-", " ").title(), prompts, template_id, xp))
    sys.exit(EXIT_OK)


@new_group.command("character")
@click.argument("character_id", required=False)
@click.option("--name", default=None, help="The character's name (default: from the id).")
@project_option
@guarded
def new_character(character_id: str | None, name: str | None, project: str | None) -> None:
    """Write content/characters/CHARACTER_ID.yaml."""
    root = project_root(project)
    world, _ = _world(root)
    if not character_id:
        raise click.UsageError("give the new character's id, e.g. `foundry new character tomas --name \"Tomas Reedwright\"`")
    if name is not None and (refusal := name_refusal(name) or _too_long(name, Character, "name")):
        raise click.BadParameter(printable(refusal), param_hint="--name")
    _refuse_clash(root, world, character_id, "character")
    _write_entity(root, "character", character_id,
                  lambda: character_text(name or character_id.replace("-", " ").title()))
    sys.exit(EXIT_OK)


@new_group.command("quest")
@click.argument("quest_id", required=False)
@click.option("--title", default=None, help="The quest's title (default: from the id).")
@project_option
@guarded
def new_quest(quest_id: str | None, title: str | None, project: str | None) -> None:
    """Write content/quests/QUEST_ID.yaml."""
    root = project_root(project)
    _world(root)
    if not quest_id:
        raise click.UsageError("give the new quest's id, e.g. `foundry new quest drowned-bells --title \"The Drowned Bells\"`")
    if title is not None and (refusal := name_refusal(title) or _too_long(title, Quest, "title")):
        raise click.BadParameter(printable(refusal), param_hint="--title")
    # the story variable its objective waits for, named after the quest (`drowned_bells_done`)
    done = spell_name(f"{quest_id} done" if quest_id[:1].isalpha() else f"quest {quest_id} done") or "quest_done"
    _write_entity(root, "quest", quest_id, lambda: quest_text(title or quest_id.replace("-", " ").title(), done))
    # until a story lists the quest, check warns that nothing can complete it (HF0514)
    echo(unlisted_hint(quest_id, done), err=True)
    sys.exit(EXIT_OK)


@new_group.command("story")
@click.argument("story_id", required=False)
@click.option("--template", "template_id", default="three-act", show_default=True, help="A story template.")
@click.option("--title", default=None, help="The story's title (default: from the id).")
@click.option("--list-templates", is_flag=True, help="List the story templates and exit.")
@project_option
@guarded
def new_story(story_id: str | None, template_id: str, title: str | None, list_templates: bool,
              project: str | None) -> None:
    """Write content/stories/STORY_ID.md."""
    root = project_root(project)
    refused = Diagnostics()
    templates = story_templates(root, refused)
    if list_templates:
        for tid, t in templates.items():
            echo(f"{tid:<16} {t.description} [{t.origin}]")
        if refused.items:   # the project's templates that are there but not offered, and why
            emit(refused, root, "text")
        sys.exit(EXIT_OK)
    if not story_id:
        raise click.UsageError("give the new story's id, e.g. `foundry new story sunken-keep --template three-act`")
    if template_id not in templates:
        # a template that is there but not read says why (the confinement rule's words)
        scope.explain_unread(root, refused, f"{PROJECT_STORY_TEMPLATES}/{template_id}.md", f"story template '{template_id}'")
        hint = scope.known_hint(template_id, templates, "story templates")
        raise click.BadParameter(f"no story template '{template_id}'. {hint}",
                                 param_hint="--template")
    if title is not None and (refusal := name_refusal(title) or _too_long(title, StoryFront, "title")):
        raise click.BadParameter(printable(refusal), param_hint="--title")
    path = root / "content" / "stories" / f"{story_id}.md"
    text = story_text(templates[template_id], title or story_id.replace("-", " ").title(), story_id)
    _write(lambda: (check_new_id("story", story_id, root), write_new(path, text, root, "story")), root)
    _write(lambda: tag_if_required(root, path), root)   # before the check: untagged lines are errors there
    _passes_check(root, path, templates[template_id])
    echo(f"Wrote {path.relative_to(root)}", err=True)
    sys.exit(EXIT_OK)


def _write_entity(root, kind: str, new_id: str, text) -> None:
    """Write the new YAML entity file of `kind` and id `new_id` holding `text()` (after
    the id is judged), take it back if its id names an output foundry writes, give its
    prose line ids when the project requires them, and say so; exits on a refusal."""
    path = root / scope.entity_path(kind, new_id)
    _write(lambda: (check_new_id(kind, new_id, root), write_new(path, text(), root, kind)), root)
    written = _not_an_output_of_ours(root, path, kind)
    _write(lambda: tag_if_required(root, path, (written,)), root)
    echo(f"Wrote {path.relative_to(root)}", err=True)


def _passes_check(root, path, template: StoryTemplate) -> None:
    """Take back the story just written when check would refuse it: its id names an
    output foundry already writes (scaffold.output_clash), or the project's own story
    template it came from has errors. A template in content/templates/stories is not
    content, so check never reads it: its slips (an unknown field, a choice to a scene
    it lacks) reached every story made from it. They are shown at the template's own
    lines (the story is the template with its title filled in, line for line)."""
    found = checked_as_written(root, path)
    clash = next((d for d in found if d.code == "HF0720"), None)
    if clash is not None:
        path.unlink()   # new made it a moment ago; nobody wrote in it
        echo(f"foundry new: {printable(clash.message)}; choose another id, e.g. "
             f"'{another_id(root, 'story', path.stem)}'", err=True)
        sys.exit(EXIT_TOOL)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors and template.origin != "built-in":
        path.unlink()
        shown = Diagnostics()
        shown.items = [dataclasses.replace(d, span=dataclasses.replace(d.span, path=template.origin)) for d in errors]
        emit(shown, root, "text")
        echo(f"foundry new: fix story template '{template.id}' ({template.origin}) first: "
             "a story made from it would not pass check.", err=True)
        sys.exit(EXIT_CONTENT)


def _world(root) -> tuple[World, Diagnostics]:
    diags = Diagnostics()
    world = check(root, diags)
    if world is None:
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    return world, diags


def _not_offered(diags: Diagnostics, world: World) -> Diagnostics:
    """The check's findings that say why a hero template there is not offered: those
    at a file of content/templates/heroes/ whose id is no template of `world` (a link
    out, HF0120; a FIFO, HF0125; one that does not parse), or at a folder on its way (a
    link out: `content/templates -> /elsewhere`). `new hero --list-templates` listed the
    templates read and said nothing of the others, which `new story --list-templates`
    names (scaffold.story_templates)."""
    folder, ending = KIND_DIRS["template"]
    folder = f"content/{folder}"
    shown = Diagnostics()
    for d in diags.sorted():
        path = d.span.path or ""
        name = path[len(folder) + 1:] if path.startswith(folder + "/") else None
        if name is None:
            if path and scope.said_at(d, folder):   # the folder itself, or one above it
                shown.items.append(d)
        elif "/" not in name and name.endswith(ending) and name[:-len(ending)] not in world.templates:
            shown.items.append(d)
    return shown


def _too_long(text: str, model, field: str) -> str | None:
    """Why `text` is too long for `field` of `model` (the limit check would then report
    as HF0204 in the file new had just written), or None."""
    most = next((m.max_length for m in model.model_fields[field].metadata if getattr(m, "max_length", None)), None)
    if most is not None and len(text) > most:
        return f"it has {len(text):,} characters; a {field} has at most {most}"
    return None


def _refuse_clash(root, world: World, new_id: str, kind: str) -> None:
    """Heroes and characters share one namespace (stories and relationships name
    either): a hero named like a character, or a character like a hero, would make the
    next check fail (HF0107). (A file of the same kind and name is refused by
    write_new, which never overwrites.)"""
    if not is_id(new_id):
        return  # check_new_id says what is wrong with the id
    other = "character" if kind == "hero" else "hero"
    rel = scope.entity_path(other, new_id)
    # Asked of the boundary, which never follows a link out: a file linked out of the
    # project (HF0120) still claims its id, whatever is (or is not) at its target
    if new_id in (world.characters if other == "character" else world.heroes) or boundary(root).lexists(root / rel):
        echo(f"foundry new: '{new_id}' is already a {other} ({rel}); heroes and characters share one "
             f"set of ids, so a {kind} of that name would clash with it. Choose another id, e.g. "
             f"'{another_id(root, kind, new_id)}'.", err=True)
        sys.exit(EXIT_TOOL)


def _template_is_clean(root, world: World, diags: Diagnostics, template_id: str) -> None:
    """A hero made from a template with errors would inherit them: show them and stop."""
    chain = _chain(world, template_id)
    blocking, _ = scope.split(diags, {scope.entity_path("template", t) for t in chain})
    if blocking or f"template:{template_id}" in world.salvaged:
        shown = Diagnostics()
        shown.items = blocking
        emit(shown, root, "text")
        # the templates whose files hold the errors: `bruiser` extending an overspent
        # `brawler` was "fix hero template 'bruiser' first", and bruiser.yaml has none
        wrong = [t for t in chain if any(d.span.path == scope.entity_path("template", t) for d in blocking)]
        named = ", ".join(f"'{t}'" for t in wrong) if wrong else f"'{template_id}'"
        extended = f", which '{template_id}' extends," if wrong and wrong != [template_id] else ""
        echo(f"foundry new: fix hero template{'s' if len(wrong) > 1 else ''} {named}{extended} first.", err=True)
        sys.exit(EXIT_CONTENT)


def _starting_xp(world: World, template_id: str) -> int:
    """The XP of the lowest level at which a hero made from `template_id` as it is
    passes check (heroes/sheet.py first_level_for): 0 unless its skills or budget ask
    more. No level fits: say why at max_level and stop, nothing written. 0 while the XP
    table is in error (its error is said at progression.yaml)."""
    rules = world.rules
    if rules.levels_unknown():
        return 0
    template = world.templates[template_id]
    level, why = first_level_for(rules, template_defaults(template_id, world.templates, set()), template)
    if level is not None:
        return rules.xp_for_level[level - 1]
    echo(f"foundry new: a hero made from hero template '{template_id}' would not pass check at any level: "
         + "; ".join(why[:3]) + (f" (and {len(why) - 3} more)" if len(why) > 3 else "") + ". "
         f"Change the template ({template.path}) or the rules in schemas/, then run this again.", err=True)
    sys.exit(EXIT_CONTENT)


def _chain(world: World, template_id: str) -> list[str]:
    chain, tid = [], template_id
    while tid and tid in world.templates and tid not in chain:
        chain.append(tid)
        tid = world.templates[tid].model.extends
    return chain


def _not_an_output_of_ours(root, path, kind: str) -> World | None:
    """Take back the file just written when its id names an output foundry already
    writes (scaffold.output_clash), which check would refuse; say an id that is free.
    Else the world that check made with the file (None when it made none), for the
    line-id tagging, which would otherwise check the same files again."""
    clash, world = output_clash(root, path)
    if clash is not None:
        path.unlink()   # new made it a moment ago; nobody wrote in it
        echo(f"foundry new: {printable(clash.message)}; choose another id, e.g. "
             f"'{another_id(root, kind, path.stem)}'", err=True)
        sys.exit(EXIT_TOOL)
    return world


def _write(action, root) -> None:
    try:
        action()
    except ScaffoldError as err:
        echo(f"foundry new: {err}", err=True)
        sys.exit(EXIT_TOOL)
    except Unwritable as err:   # a link or a special file on the way: HF0165 at it
        diags = Diagnostics()
        err.report(diags)
        emit(diags, root, "text")
        sys.exit(EXIT_TOOL)
