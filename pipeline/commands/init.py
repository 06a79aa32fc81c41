"""`foundry init NAME`: a new project that `foundry check` accepts as written."""

from __future__ import annotations

import errno
import json
import os
import shlex
import sys
from importlib import resources
from pathlib import Path

import click

from ..cli import EXIT_OK, EXIT_TOOL, cli, guarded
from ..diagnostics import Diagnostics
from .editor_schemas import schema_files, vscode_settings
from ..load.hygiene import name_refusal
from ..rules import load_rule_book
from ..console.terminal import echo, printable
from .project_write import Unwritable, write_file

STARTER = "scaffold/starter"


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--title", default=None, help="The world's title (default: from the folder name).")
@click.option("--no-git", "no_git", is_flag=True,
              help="Make no git repository (by default one is made, with a first commit, unless FOLDER is "
                   "inside a repository that would track it; one that ignores it, or a dotfiles repository "
                   "at the home folder, does not count).")
@guarded
def init_cmd(folder: str, title: str | None, no_git: bool) -> None:
    """Create a new Foundry project in FOLDER (new, empty, or holding only .git), and its git repository."""
    target = Path(folder)
    if ".." in target.parts:
        # `bad/../name` with no `bad` yet: the system cannot look `name` up, so the
        # emptiness test below passed a `name/` full of files and init wrote into it, and
        # the folders made on the way left an empty `bad/` behind. Resolved first (links
        # that exist are followed, as the system would), the path names one folder.
        target = Path(os.path.relpath(os.path.realpath(folder)))
    # a name already taken by something not a folder: said as what it is, not as the
    # machine's "File exists" or a folder-for-file mix-up (a dangling link, a FIFO)
    if target.is_symlink() and not target.exists():
        raise click.UsageError(f"{printable(folder)} is a symbolic link to {printable(os.readlink(target))}, which "
                               "does not exist; foundry init makes a new folder: name another one, or remove the link.")
    if target.exists() and not target.is_dir():
        what = "a file" if target.is_file() else "a special file (a FIFO, socket or device)"
        raise click.UsageError(f"{printable(folder)} is {what}, not a folder; foundry init makes a new folder: "
                               "name another one.")
    # a folder holding only its repository (`git init` or a clone of a new, empty
    # repository, then `foundry init .`) has nothing init could write over
    if target.exists() and any(entry.name != ".git" for entry in target.iterdir()):
        raise click.UsageError(f"{target} is not empty; foundry init never writes over existing files.")
    title = title or _title_from(target.resolve().name)
    if not 1 <= len(title.strip()) <= 200:
        raise click.BadParameter("a title has 1 to 200 characters", param_hint="--title")
    if refusal := name_refusal(title):   # check would refuse the foundry.toml we wrote
        raise click.BadParameter(printable(refusal), param_hint="--title")
    try:
        written = write_starter(target, title)
    except OSError as exc:   # a file where a folder goes (`init notes.txt/world`), a full or read-only disk
        where = printable(str(exc.filename or target))
        echo(f"foundry: cannot create the project at {where}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_TOOL)
    echo(f"Created {target}/ with {len(written)} files.", err=True)
    if not no_git:   # history, credits and `foundry diff` read git
        from ..git.create import make_repository
        echo(make_repository(target, written).said, err=True)
    # quoted for the shell, so that the line can be pasted as it is ("My World 2")
    # and never read as an option of cd (`cd -x`: "invalid option")
    shown = str(target) if not str(target).startswith("-") else f"./{target}"
    echo(f"Next: cd {shlex.quote(shown)} && foundry check && foundry build", err=True)
    sys.exit(EXIT_OK)


# The title of a world whose folder's name gives none (`---`, a name check refuses).
UNTITLED = "New World"


def _title_from(name: str) -> str:
    """A title made from the folder's name, one that check accepts whatever the name:
    its words ('my-world' → 'My World'), at most 200 characters, else UNTITLED. The
    user gave no --title, so the name can never be refused as one ('---' was "Invalid
    value for --title", '-x' titled ' X')."""
    words = " ".join(name.replace("-", " ").replace("_", " ").split()).title()
    if len(words) > 200:
        words = words[:200].rsplit(" ", 1)[0] if " " in words[:200] else words[:200]
    return words if words and not name_refusal(words) else UNTITLED


def write_starter(target: Path, title: str) -> list[str]:
    files = _starter_files()
    files["foundry.toml"] = files["foundry.toml"].replace(b"{title}", _toml_string(title).encode())
    files[".gitignore"] = files.pop("gitignore")
    for rel, data in sorted(files.items()):
        _write_new(target / rel, data, target)
    rules = load_rule_book(target, Diagnostics())
    extra = schema_files(rules)
    extra[".vscode/settings.json"] = (json.dumps(vscode_settings(), indent=2, sort_keys=True) + "\n").encode()
    for rel, data in extra.items():
        _write_new(target / rel, data, target)
    return sorted([*files, *extra])


def _starter_files() -> dict[str, bytes]:
    base = resources.files("pipeline").joinpath(STARTER)
    out: dict[str, bytes] = {}
    stack = [(base, "")]
    while stack:
        node, prefix = stack.pop()
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                stack.append((child, rel + "/"))
            else:
                out[rel] = child.read_bytes()
    return out


def _toml_string(text: str) -> str:
    """The inside of a TOML basic string: JSON's escapes are TOML's (DEL aside)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\x7f", "\\u007f")


def _write_new(path: Path, data: bytes, target: Path) -> None:
    """Create `path` under the new project `target`: never over a file (or a link, a
    FIFO …) that appeared meanwhile, never through a link (project_write.py)."""
    target.mkdir(parents=True, exist_ok=True)   # the folder the user named (a link to one is theirs)
    try:
        write_file(target, path.relative_to(target).as_posix(), data)
    except Unwritable as err:
        raise FileExistsError(errno.EEXIST, err.message, str(target / err.path)) from None
