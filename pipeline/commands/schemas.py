"""`foundry schemas`: regenerate the editor schemas in schemas/json/ from the rules."""

from __future__ import annotations

import sys

import click

from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_root, project_option
from ..confine import boundary
from ..diagnostics import Diagnostics
from .editor_schemas import schema_files, stale_files
from ..resolve.guesses import settled_rule_book
from ..console.terminal import echo
from .project_write import Refusals, Unwritable, write_file


@cli.command("schemas")
@project_option
@click.option("--check", "check_only", is_flag=True, help="Only report whether schemas/json/ is up to date.")
@guarded
def schemas_cmd(project: str | None, check_only: bool) -> None:
    """Write JSON Schemas for editors (YAML language server) into schemas/json/."""
    root = project_root(project)
    diags = Diagnostics()
    rules = settled_rule_book(root, diags)   # as check says it: a misspelt guess the heroes contradict withdrawn
    if diags.has_errors():   # the rule book in error: the content is wrong, as every verb reading it says (1)
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    stale = stale_files(root, rules)
    if check_only:
        for rel in stale:
            state = "is out of date" if boundary(root).lexists(root / rel) else "is missing"
            echo(f"{rel} {state}; run `foundry schemas`.", err=True)
        sys.exit(EXIT_CONTENT if stale else EXIT_OK)
    # schemas/json must be the project's own folder (no link on the way, in or out):
    # the write rule (project_write.py) refuses each file under a link, said once at
    # the link as a write refused (HF0165), not as a read (HF0120 "it is not read"
    # named what foundry was about to write); each file is replaced by a rename, so a
    # link in a file's place is replaced, never written through
    files = schema_files(rules)
    refused = Refusals()
    for rel, data in files.items():
        if rel in stale:
            try:   # a link, FIFO … in a schema's place is not replaced: HF0165 (project_write.py)
                write_file(root, rel, data, replace=True)
            except Unwritable as err:
                refused.add(err)
                continue
            echo(f"Wrote {rel}", err=True)
    refused.report(diags)
    if diags.has_errors():   # HF0165: nothing of the content is wrong, the place is (as every writing verb)
        emit(diags, root, "text")
        sys.exit(EXIT_TOOL)
    if not stale:  # say so, as `foundry codeowners` does: silence reads as "did nothing?"
        folders = sorted({rel.rsplit("/", 1)[0] for rel in files})
        echo(f"{', '.join(f + '/' for f in folders)} is up to date ({len(files)} schemas).", err=True)
    sys.exit(EXIT_OK)
