"""`foundry new hero|story`: start a new file from a template."""

from __future__ import annotations

import sys

import click

from ..builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics, suggestion
from ..load.hygiene import name_refusal
from ..scaffold import ScaffoldError, check_new_id, hero_text, story_templates, story_text, write_new
from ..terminal import echo, printable
from ..world import World


@cli.group("new")
def new_group() -> None:
    """Create a hero or story file from a template."""


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
    world = _world(root)
    if list_templates:
        for tid, entry in world.templates.items():
            parent = f" (extends {entry.model.extends})" if entry.model.extends else ""
            echo(f"{tid:<16} {entry.model.name}{parent} — {entry.model.description}".rstrip(" —"))
        sys.exit(EXIT_OK)
    if not hero_id:
        raise click.UsageError("give the new hero's id, e.g. `foundry new hero aria --template ranger`")
    if template_id and template_id not in world.templates:
        raise click.BadParameter(f"no hero template '{template_id}'. {suggestion(template_id, world.templates)}",
                                 param_hint="--template")
    if name is not None and (refusal := name_refusal(name)):
        raise click.BadParameter(printable(refusal), param_hint="--name")
    template = world.templates[template_id].model if template_id else None
    path = root / "content" / "heroes" / f"{hero_id}.yaml"
    _write(lambda: (check_new_id("hero", hero_id),
                    write_new(path, hero_text(hero_id, name or hero_id.replace("-", " ").title(), template, template_id))))
    echo(f"Wrote {path.relative_to(root)}", err=True)
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
    templates = story_templates(root)
    if list_templates:
        for tid, t in templates.items():
            echo(f"{tid:<16} {t.description} [{t.origin}]")
        sys.exit(EXIT_OK)
    if not story_id:
        raise click.UsageError("give the new story's id, e.g. `foundry new story sunken-keep --template three-act`")
    if template_id not in templates:
        raise click.BadParameter(f"no story template '{template_id}'. {suggestion(template_id, templates)}",
                                 param_hint="--template")
    if title is not None and (refusal := name_refusal(title)):
        raise click.BadParameter(printable(refusal), param_hint="--title")
    path = root / "content" / "stories" / f"{story_id}.md"
    text = story_text(templates[template_id], title or story_id.replace("-", " ").title())
    _write(lambda: (check_new_id("story", story_id), write_new(path, text)))
    echo(f"Wrote {path.relative_to(root)}", err=True)
    sys.exit(EXIT_OK)


def _world(root) -> World:
    diags = Diagnostics()
    world = check(root, diags)
    if world is None:
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    return world


def _write(action) -> None:
    try:
        action()
    except ScaffoldError as err:
        echo(f"foundry new: {err}", err=True)
        sys.exit(EXIT_TOOL)
