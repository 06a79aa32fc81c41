"""A verb's module is imported only when that verb is asked for (cli.VERB_MODULES), so
the map must name every verb defined in pipeline/commands/ and the module that
defines it: a wrong entry would break the verb in a fresh process only (the warm start
of the tests imports every module up front, tests/warm_start.py)."""

from __future__ import annotations

import ast

from pipeline.cli import VERB_MODULES
from support import REPO, foundry


def defined_verbs() -> dict[str, str]:
    """verb name → module name, for every `@cli.command("x")` / `@cli.group("x")` in commands/."""
    found = {}
    for path in sorted((REPO / "pipeline" / "commands").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "cli"
                    and node.func.attr in ("command", "group") and node.args):
                found[node.args[0].value] = path.stem
    return found


def test_every_verb_is_mapped_to_the_module_that_defines_it():
    assert defined_verbs() == VERB_MODULES


def test_help_lists_every_verb():
    run = foundry("--help")
    assert run.code == 0
    # the verbs' block ends at its blank line: the documentation's address follows where
    # the installed metadata has one (cli.py format_epilog)
    verbs = run.stdout.split("Commands:")[1].strip("\n").split("\n\n")[0]
    listed = {line.split()[0] for line in verbs.splitlines() if line.strip()}
    assert listed == {"check", "build", *VERB_MODULES}
