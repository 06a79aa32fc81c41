"""`foundry schemas`: regenerate the editor schemas in schemas/json/ from the rules."""

from __future__ import annotations

import sys

import click

from ..cli import EXIT_CONTENT, EXIT_OK, cli, emit, guarded, project_root, project_option
from ..diagnostics import Diagnostics
from ..editor_schemas import schema_files, stale_files
from ..rules import load_rule_book


@cli.command("schemas")
@project_option
@click.option("--check", "check_only", is_flag=True, help="Only report whether schemas/json/ is up to date.")
@guarded
def schemas_cmd(project: str | None, check_only: bool) -> None:
    """Write JSON Schemas for editors (YAML language server) into schemas/json/."""
    root = project_root(project)
    diags = Diagnostics()
    rules = load_rule_book(root, diags)
    if diags.has_errors():
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    stale = stale_files(root, rules)
    if check_only:
        for rel in stale:
            state = "is out of date" if (root / rel).is_file() else "is missing"
            click.echo(f"{rel} {state}; run `foundry schemas`.", err=True)
        sys.exit(EXIT_CONTENT if stale else EXIT_OK)
    files = schema_files(rules)
    for rel, data in files.items():
        if rel in stale:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
            click.echo(f"Wrote {rel}", err=True)
    if not stale:  # say so, as `foundry codeowners` does: silence reads as "did nothing?"
        folder = sorted({rel.rsplit("/", 1)[0] for rel in files})
        click.echo(f"{', '.join(f + '/' for f in folder)} is up to date ({len(files)} schemas).", err=True)
    sys.exit(EXIT_OK)
