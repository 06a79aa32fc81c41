"""What the check of a project's own site templates said (theme.py `check_templates`),
remembered across processes in a sealed one-row memo (load/hash_memo.py `keep`).

Each fresh `foundry build` or `check` parsed, compiled and walked the project's own
templates and the shipped ones they draw on again (~0.035-0.045 CPU-s of the builder's
serial stretch at 10,000 heroes for one overridden hero.html, docs/performance.md
edit40), for a verdict that is a function of foundry's code and of the templates'
folders alone (and of the operator's budgets). The memo's key is exactly that: foundry's
tool id, the budgets the environment sets (budget.limits), the names the
environment knows (filters, tests, globals, extensions), the own templates checked
(name, label, text) and every entry of each theme folder's templates/ (path, kind,
the bytes of each file) — everything the loader can hand the check and everything
`_refused_there` can find. A folder holding a symbolic link anywhere is not
remembered (the check runs as before): a link can lead the loader to a file the
listing does not hash. Like every cache of the checkout's, the memo is sealed with
this user's key, so a committed one is never trusted (pipeline/seal.py)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import jinja2

from ...budget import limits
from ...confine import boundary
from ...diagnostics import Diagnostic, Severity, Span
from ...load.hash_memo import SMALL_MEMO_BYTES, keep, recall
from ...toolid import SHIPPED_THEME, tool_id

MEMO = "site-template-checks.json"
FORMAT = "1"
LARGEST = SMALL_MEMO_BYTES // 2   # characters of the problems' JSON (the sealed file adds its MAC)


def verdict_key(theme, env: jinja2.Environment, found: list[tuple[str, str, str]],
                max_bytes: int) -> str | None:
    """The memo's key for checking `found` ((name, source, label) of the project's own
    templates) in `env`, drawn from `theme`'s folders; None when it cannot be told
    (a link or an unreadable entry in a templates folder: the check is not remembered)."""
    # and the operator's budgets: a loop over constant ranges is HF0710 past the render's
    # seconds (template_loops.py), so the verdict under another FOUNDRY_RENDER_SECONDS differs
    h = hashlib.sha256(f"{FORMAT}\0{tool_id()}\0{limits()}\0"
                       f"{type(env).__module__}.{type(env).__qualname__}\0".encode())
    for names in (env.filters, env.tests, env.globals, env.extensions):
        h.update(("\0".join(sorted(map(str, names))) + "\1").encode("utf-8", "surrogatepass"))
    for name, source, label in found:
        h.update(f"{name}\0{label}\0".encode("utf-8", "surrogatepass"))
        h.update(hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest())
    for folder in theme.dirs:
        listed = _listing(theme, folder / "templates", max_bytes)
        if listed is None:
            return None
        h.update(listed)
    return h.hexdigest()


def _listing(theme, base: Path, max_bytes: int) -> bytes | None:
    """Every entry under `base` by its path under it, each file with its bytes' hash;
    None when one is a link or cannot be read (or `base`, below the project root or
    the shipped theme's folder, is reached through a link)."""
    text = os.fspath(base)
    anchor = os.fspath(theme.root)
    if text.startswith(anchor + os.sep):   # the project's theme: no link below the root
        named = "project:" + text[len(anchor) + 1:]   # by its place in the project: a moved one keeps its memo
        # asked of the Boundary, which looks at nothing outside: os.path.realpath lstat'ed
        # each folder a link out (`templates -> /elsewhere`) led to, and those beyond it
        project = boundary(theme.root)
        real = project.resolve(text)
        if real is None or os.fspath(real) != os.path.join(project.real, text[len(anchor) + 1:]):
            return None
        real = os.fspath(real)
    elif (real := os.path.realpath(text)) != text:
        return None
    else:
        named = "shipped:" + os.path.relpath(text, SHIPPED_THEME) if text.startswith(os.fspath(SHIPPED_THEME)) \
            else text
    fence = theme.fence(base.parent)
    out = [named.encode("utf-8", "surrogateescape")]
    todo = [""]
    while todo:
        rel = todo.pop()
        try:
            with os.scandir(os.path.join(real, rel) if rel else real) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except FileNotFoundError:
            if rel:
                return None   # gone while listed
            out.append(b"\0absent")
            continue
        except OSError:
            return None
        for entry in listed:
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_symlink():
                    return None
                folder, regular = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
                mode = 0 if folder or regular else entry.stat(follow_symlinks=False).st_mode
            except OSError:
                return None
            if folder:
                out.append(f"\0d:{path}".encode("utf-8", "surrogateescape"))
                todo.append(path)
            elif regular:
                try:
                    data = fence.read(base / path, max_bytes)
                except OSError:
                    return None
                out.append(f"\0f:{path}:".encode("utf-8", "surrogateescape") + hashlib.sha256(data).digest())
            else:
                out.append(f"\0s:{path}:{stat.S_IFMT(mode)}".encode("utf-8", "surrogateescape"))
    return b"".join(out)


def recalled(root: Path, key: str) -> list[Diagnostic] | None:
    """The problems kept under `key`, or None (none kept, another key, not sealed by
    this user, or not in the shape `kept` writes)."""
    text = recall(root, MEMO, key)
    if text is None:
        return None
    try:
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(row, list) and len(row) == 8 for row in rows):
            return None
        out = []
        for severity, code, message, path, line, column, end, hint in rows:
            if not (all(type(v) is str for v in (code, message, path, hint))
                    and all(type(n) is int for n in (line, column, end))):
                return None
            out.append(Diagnostic(Severity(severity), code, message, Span(path, line, column, end), hint))
        return out
    except (ValueError, TypeError, RecursionError):
        return None


def kept(root: Path, key: str, problems: list[Diagnostic]) -> None:
    """Remember `problems` (what the check said, in its order) under `key`; a problem
    placed at a command-line argument (none of a template's is) is not remembered."""
    if any(d.span.argument for d in problems):
        return
    rows = [[d.severity.value, d.code, d.message, d.span.path, d.span.line, d.span.column, d.span.end_column, d.hint]
            for d in problems]
    text = json.dumps(rows, separators=(",", ":"))
    if len(text) < LARGEST:   # a larger one would not be read back (recall's limit)
        keep(root, MEMO, key, text)
