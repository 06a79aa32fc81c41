"""`foundry diff [BASE] [HEAD]`: what changed in heroes, stories, quests and rules
between two revisions, for a reviewer (text), a pull-request comment (markdown) or a
script (json).

Exit codes: 0 compared; 1 a side does not load (or, with --fail-on-breaking, the JSON
contract breaks; with --fail-on-new-errors, the head has errors the base has not); 2 a
revision is not available.
"""

from __future__ import annotations

import sys

import click

from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics
from ..diff import FORMATS, diff_sides, plan, render
from ..console.terminal import echo


@cli.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for the terminal, markdown for a pull-request comment, json for scripts.")
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when the JSON contract breaks.")
@click.option("--fail-on-new-errors", is_flag=True,
              help="Exit 1 when the head has errors the base has not (a project with old errors can still "
                   "refuse new ones).")
@project_option
@guarded
def diff_cmd(base: str | None, head: str | None, fmt: str, fail_on_breaking: bool, fail_on_new_errors: bool,
             project: str | None) -> None:
    """Compare the content at BASE (default: the merge base with the default branch;
    in a GitHub Actions pull-request run, with the branch it goes into) with HEAD
    (default: the working tree, uncommitted changes included). A...B and A..B are read
    as git diff reads them (the merge base of A and B, or A's tip, against B)."""
    root = project_root(project)
    diags = Diagnostics()
    sides = plan(root, base, head, diags)
    if sides is None:
        emit(diags, root, "json" if fmt == "json" else "text")
        sys.exit(EXIT_TOOL)
    result = diff_sides(root, *sides)
    echo(render(result, fmt))
    if any(d.code == "HF0801" for d in result.problems):
        # a side's files could not be read out of the repository (a partial clone's):
        # the revision is not available, as when it names nothing (2, not "does not load")
        sys.exit(EXIT_TOOL)
    # new errors alone leave 0 by default (the diff describes; `foundry check` judges):
    # a character renamed breaks four files the pull request never touched, and a project
    # whose base already has errors cannot gate on check, so it may gate on these
    if result.failed or (fail_on_breaking and result.breaking) or (fail_on_new_errors and result.new_errors):
        sys.exit(EXIT_CONTENT)
    sys.exit(EXIT_OK)
