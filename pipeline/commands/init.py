"""`foundry init NAME`: a new project that `foundry check` accepts as written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shlex
import sys
from importlib import resources
from pathlib import Path

import click

from ..cli import EXIT_OK, EXIT_TOOL, cli, guarded
from ..diagnostics import Diagnostics
from .editor_schemas import EDITOR_SCHEMAS, SCHEMA_DIR, schema_files, vscode_settings
from ..load.hygiene import name_refusal
from ..rules import load_rule_book
from ..console.terminal import echo, printable
from .project_write import Unwritable, writable, write_file

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
    """Create a new Foundry project in FOLDER (new, or one already holding files it writes around, never over: a repository made on GitHub), and its git repository."""
    target = Path(folder)
    if ".." in target.parts:
        # `bad/../name` with no `bad` yet: the system cannot look `name` up, so the
        # test below of what is in the way passed a `name/` full of files, and the folders
        # made on the way left an empty `bad/` behind. Resolved first (links
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
    # A folder that already holds files (a repository made on GitHub, with its README.md,
    # LICENSE, .gitignore and .github/, cloned; a downloaded copy of one) gets the project
    # written around them, as `cargo init` and `uv init` do: nothing there is written
    # over, and when any file of the new project is already there nothing is written.
    kept = _entries(target)
    if refusal := _in_the_way(target) or _inside_a_project(target):
        raise click.UsageError(refusal)
    title = title or _title_from(target.resolve().name)
    if not 1 <= len(title.strip()) <= 200:
        raise click.BadParameter("a title has 1 to 200 characters", param_hint="--title")
    if refusal := name_refusal(title):   # check would refuse the foundry.toml we wrote
        raise click.BadParameter(printable(refusal), param_hint="--title")
    try:
        written, notes = write_starter(target, title)
    except OSError as exc:   # a file where a folder goes (`init notes.txt/world`), a full or read-only disk
        where = printable(str(exc.filename or target))
        echo(f"foundry: cannot create the project at {where}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_TOOL)
    made = sum(rel not in notes for rel in written)
    kept = [name for name in kept if name not in written]   # a .gitignore added to is said below
    echo(f"Created {target}/ with {made} files" + (f", around what was there (kept as it was: {_named(kept)})"
                                                   if kept else "") + ".", err=True)
    for note in notes.values():
        echo(note, err=True)
    if not no_git:   # history, credits and `foundry diff` read git
        from ..git.create import make_repository
        made_git = make_repository(target, written)
        echo(made_git.said, err=True)
        if made_git.committed and kept:   # only what init wrote is committed: the rest may be secrets
            echo(f"What was there before ({_named(kept)}) is not in that commit: `git add` what belongs.", err=True)
    # quoted for the shell, so that the line can be pasted as it is ("My World 2")
    # and never read as an option of cd (`cd -x`: "invalid option")
    shown = str(target) if not str(target).startswith("-") else f"./{target}"
    here = os.path.realpath(target) == os.path.realpath(os.curdir)   # `foundry init .`: no cd
    echo(f"Next: {'' if here else f'cd {shlex.quote(shown)} && '}foundry check && foundry build", err=True)
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


# Files of the new project a folder may already hold as the user's own (a repository
# made on GitHub has its .gitignore; an editor's settings are the user's): kept, never
# written over; .gitignore gains the lines the project needs that it lacks.
IGNORES = ".gitignore"
SETTINGS = ".vscode/settings.json"


def planned_paths() -> list[str]:
    """Every file `write_starter` writes (POSIX, relative to the project), sorted."""
    files = _starter_files()
    files[IGNORES] = files.pop("gitignore")
    return sorted([*files, *(f"{SCHEMA_DIR}/{name}.schema.json" for name in EDITOR_SCHEMAS), SETTINGS])


def write_starter(target: Path, title: str) -> tuple[list[str], dict[str, str]]:
    """Write the starter project into `target` around whatever it holds. Returns the
    files written or changed (POSIX, sorted) and, for each of IGNORES and SETTINGS the
    folder already held, one sentence for the user saying what became of it. Raises
    OSError (FileExistsError when a file of the project appeared meanwhile)."""
    files = _starter_files()
    files["foundry.toml"] = files["foundry.toml"].replace(b"{title}", _toml_string(title).encode())
    files[IGNORES] = files.pop("gitignore")
    notes: dict[str, str] = {}
    if os.path.lexists(target / IGNORES):
        notes[IGNORES] = _merge_ignores(target, files.pop(IGNORES).decode())
        if notes[IGNORES].startswith("Added"):
            files[IGNORES] = b""   # changed: in the first commit, not counted as made
    for rel, data in sorted(files.items()):
        if rel not in notes:
            _write_new(target / rel, data, target)
    rules = load_rule_book(target, Diagnostics())
    extra = schema_files(rules)
    if os.path.lexists(target / SETTINGS):
        notes[SETTINGS] = (f"Kept your {SETTINGS} as it was: for VS Code to check new YAML files against the "
                           "project's schemas too, add the \"yaml.schemas\" of docs/formats.md (Editor schemas) to it.")
    else:
        extra[SETTINGS] = (json.dumps(vscode_settings(), indent=2, sort_keys=True) + "\n").encode()
    for rel, data in extra.items():
        _write_new(target / rel, data, target)
    return sorted([*files, *extra]), notes


def _merge_ignores(target: Path, ours: str) -> str:
    """Add to the folder's own .gitignore the lines of `ours` it lacks (a build's
    outputs and caches: without them `git add -A` commits build/), at its end under a
    comment, in its own line ends; its lines are never changed. Returns what was done,
    in one sentence. Raises OSError."""
    try:
        current = writable(target, IGNORES, replace=True) or b""
    except Unwritable as err:   # a link, a folder: not written through or over
        return f"Kept your {IGNORES} as it was ({err.message}); add these lines to it: " + ", ".join(ours.split())
    try:
        text = current.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"Kept your {IGNORES} as it was (it is not UTF-8); add these lines to it: " + ", ".join(ours.split())
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in ours.splitlines() if line.strip() and line.strip() not in present]
    if not missing:
        return f"Kept your {IGNORES} as it was: it ignores everything a build makes."
    end = "\r\n" if "\r\n" in text else "\n"
    block = end.join(["# Hero Foundry: what a build makes (foundry init)", *missing]) + end
    if text and not text.endswith(("\n", "\r")):
        block = end + block
    if text.strip():
        block = end + block
    write_file(target, IGNORES, current + block.encode(), replace=True,
               read=hashlib.sha256(current).hexdigest())
    return f"Added to your {IGNORES} the {len(missing)} line{'s' * (len(missing) != 1)} a project needs: " \
        + ", ".join(missing) + "."


def _entries(target: Path) -> list[str]:
    """What `target` already holds besides its `.git` (names, sorted; a folder's with `/`)."""
    try:
        return sorted(entry.name + "/" * entry.is_dir(follow_symlinks=False)
                      for entry in os.scandir(target) if entry.name != ".git")
    except (FileNotFoundError, NotADirectoryError):
        return []


def _named(names: list[str], most: int = 6) -> str:
    """`names` for a sentence, the first `most` and how many more."""
    shown = ", ".join(printable(name) for name in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _in_the_way(target: Path) -> str | None:
    """Why the project cannot be written into `target`, or None: a file of the project
    (other than IGNORES and SETTINGS, which are the user's when there, a file or a
    link) already there, or a link, a file or a FIFO where one of its
    folders or files goes. Every one is named,
    so that one look says everything to move."""
    if not target.is_dir():
        return None
    if os.path.lexists(target / "foundry.toml"):
        return (f"{target} already holds a project (foundry.toml): `foundry check` and `foundry build` work "
                "there; foundry init never writes over existing files (nothing written).")
    blocked: dict[str, str] = {}
    for rel in planned_paths():
        try:
            writable(target, rel, replace=False)
        except FileExistsError:
            if rel not in (IGNORES, SETTINGS):
                blocked.setdefault(rel, rel)
        except Unwritable as err:   # a link or a file on the way: said in the rule's words
            if err.path in (IGNORES, SETTINGS) and os.path.islink(target / err.path):
                # the user's own, kept as it is (a dotfiles user's settings.json linked in):
                # never written through, and `write_starter` says what to add to it (git
                # reads no .gitignore through a link; a FIFO there it waits on: refused)
                continue
            blocked.setdefault(err.path, f"{err.path} ({err.message})")
    if not blocked:
        return None
    said = list(blocked.values())
    return (f"{target} already holds {_named(said, 10)}, where the new project's files go; foundry init never "
            "writes over existing files (nothing written): move them away, or make the project in a new folder "
            "(foundry init NAME).")


# the folders of a project its build reads every file of (a project made in one is
# read as that project's files: its heroes each "not read, move it to content/heroes/")
_READ_WHOLE = ("content", "schemas", "translations")


def _inside_a_project(target: Path) -> str | None:
    """Why `target` cannot hold a new project, or None: it lies inside one of the
    _READ_WHOLE folders of another project (a foundry.toml in a folder above)."""
    where = target.absolute()
    for above in where.parents:
        if os.path.lexists(above / "foundry.toml"):
            inside = where.relative_to(above).parts[0]
            if inside not in _READ_WHOLE:
                return None
            beside = Path(os.path.relpath(above.parent / where.name))
            return (f"{printable(str(target))} is inside {inside}/ of the project at {printable(str(above))} (its "
                    f"foundry.toml), whose build would read the new project's files as its own (nothing written): "
                    f"make it outside that project, e.g. `foundry init {printable(str(beside))}`.")
    return None


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
