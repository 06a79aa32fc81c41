"""The folders of pipeline/ are the stages, and data flows one way through them.

Every import inside the package is read from the source (ast) and must go to a part in
the same layer or a lower one. docs/architecture.md draws the same map; a new package
must be placed in LAYERS before anything imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

PACKAGE = REPO / "pipeline"

# Lowest first. Within a layer, parts may import each other.
LAYERS = [
    {"pipeline", "_version", "__version__", "diagnostics", "graphemes", "confine", "seal", "budget", "toolid", "ids", "fields", "queries", "epoch", "lifeline", "fontconfig", "programs", "runs", "cycles", "git_process"},
    {"load"},                                   # files → documents (YAML, Markdown, foundry.toml)
    {"validate", "expr"},                       # documents → typed entities; the expression language
    {"rules", "l10n", "voice"},                 # the rule book; line ids, translations, voice-over
    {"heroes", "stories", "git"},               # the domain; history read from git
    {"resolve"},                                # entities → one frozen World
    {"render", "exporters"},                    # World → artifacts' bytes, reads recorded
    {"write"},                                  # bytes → build/, atomically, with the build state
    {"engine"},                                 # the stages in order, incremental
    {"diff", "importers", "console"},           # what the verbs are made of
    {"serve", "commands", "cli", "entry", "__main__"},   # the command line
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports() -> list[tuple[str, str, str, int]]:
    """(importing part, imported part, file, line) for every import inside pipeline/."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("pipeline"):
                continue
            targets = [f"{target}.{a.name}" for a in node.names] if target == "pipeline" else [target]
            for t in targets:
                if _part(module) != _part(t):
                    found.append((_part(module), _part(t), path.relative_to(REPO).as_posix(), node.lineno))
    return found


def test_every_part_of_the_package_has_a_layer():
    parts = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    assert parts - {"__init__"} <= set(RANK), sorted(parts - set(RANK) - {"__init__"})


def test_no_stage_imports_a_later_one():
    upward = [f"{file}:{line}: {src} imports {dst}" for src, dst, file, line in imports()
              if RANK.get(dst, 0) > RANK[src]]
    assert upward == []


def test_the_check_sees_the_imports():
    """The test above would pass on an empty list: prove it sees real ones."""
    assert ("engine", "render", "pipeline/engine/builder.py") in {(s, d, f) for s, d, f, _ in imports()}
