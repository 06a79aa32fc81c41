"""`foundry schemas`: regenerate the editor schemas in schemas/json/ from the rules."""

from __future__ import annotations

import sys

import click

from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, format_option, guarded, project_root, project_option
from ..confine import boundary
from ..diagnostics import Diagnostics, Span
from .editor_schemas import schema_files, stale_files
from ..resolve.guesses import settled_rule_book
from ..console.terminal import echo
from .project_write import Refusals, Unwritable, write_file


@cli.command("schemas")
@project_option
@click.option("--check", "check_only", is_flag=True, help="Only report whether schemas/json/ is up to date.")
@format_option
@guarded
def schemas_cmd(project: str | None, check_only: bool, fmt: str) -> None:
    """Write JSON Schemas for editors (YAML language server) into schemas/json/."""
    root = project_root(project)
    diags = Diagnostics()
    rules = settled_rule_book(root, diags)   # as check says it: a misspelt guess the heroes contradict withdrawn
    if diags.has_errors():   # the rule book in error: the content is wrong, as every verb reading it says (1)
        emit(diags, root, fmt)
        sys.exit(EXIT_CONTENT)
    stale = stale_files(root, rules)
    if check_only:
        # each a finding with its code (HF0415), in the format asked: on GitHub an
        # annotation at the file, where a plain line on stderr was one nobody saw
        for rel in stale:
            if boundary(root).lexists(root / rel):
                said = "out of date: the rule book in schemas/ says otherwise, and editors judge the content by this file"
            else:
                said = "missing: the editors find no schema for these files"
            diags.add("HF0415", said, Span(rel))
        emit(diags, root, fmt, quiet=True)
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
        emit(diags, root, fmt)
        sys.exit(EXIT_TOOL)
    if not stale:  # say so, as `foundry codeowners` does: silence reads as "did nothing?"
        folders = sorted({rel.rsplit("/", 1)[0] for rel in files})
        echo(f"{', '.join(f + '/' for f in folders)} is up to date ({len(files)} schemas).", err=True)
    sys.exit(EXIT_OK)
