"""The programs foundry runs, found only where programs are installed, never in a project.

A pull request writes every file of a checkout, an executable `git` at its top
included (git keeps the mode). A PATH with a relative folder in it — an empty entry
(`PATH=:/usr/bin`, what `PATH=$EXTRA:$PATH` leaves when EXTRA is unset), `.`, `bin`,
`./node_modules/.bin` — names a folder of whatever the current one is: `foundry build`
run at the project's top, or git run in it (git_process.py `run_on`), executed the pull
request's `git` with the user's rights and environment (a CI job's tokens), and
`fc-match` (the EPUB cover's font) likewise. The libraries do the same: ctypes'
find_library, which WeasyPrint's cffi calls for Pango, runs `gcc`, `ld` and `objdump`
by name when ldconfig does not know a library. Windows looks in the current folder
before PATH, whatever PATH says.

So a program is found here in PATH's absolute folders only (`find`, which the git
calls and the cover use), and the command line drops the relative folders from the
process's PATH as it starts (`confine_search`), for every program a library runs and
every child's own lookups (git/command.py `environment` drops them too, for a build
run in process). An absolute folder inside the project is the project's all the same:
`source .venv/bin/activate` (a CI job's virtualenv made in the checkout) or direnv's
`PATH_add bin` put `<project>/.venv/bin` or `<project>/bin` first, and a pull request's
committed `bin/git` ran for every `foundry history`. `find` passes over a program
whose real path lies in a project of this run (`avoid`, which the command line calls
with the project it found, and every Boundary's root). Go's os/exec refuses a program found through a relative folder for
the same reason (its ErrDot, since Go 1.19).
"""

from __future__ import annotations

import os
import sys

WINDOWS = sys.platform == "win32"
# The real paths of the projects this process works on (`avoid`): no program in them runs.
_avoided: set[str] = set()


def avoid(folder: str | os.PathLike) -> None:
    """Never run a program whose real path lies in `folder` (a project: its files are a
    pull request's)."""
    _avoided.add(os.path.realpath(folder))


def _in_project(path: str) -> bool:
    """Whether the real path of `path` lies in a project of this run (`avoid`, and the
    root of every Boundary open: a build run in process)."""
    from .confine import open_roots   # the same layer; here, not at import: confine is the larger
    real = os.path.realpath(path)
    roots = _avoided.union(open_roots())
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def search_path(value: str | None = None) -> str:
    """PATH (`value`, else this process's) without its relative folders, in its order."""
    value = os.environ.get("PATH", os.defpath) if value is None else value
    return os.pathsep.join(folder for folder in value.split(os.pathsep) if folder and os.path.isabs(folder))


def find(name: str) -> str | None:
    """The absolute path of the program `name` in PATH's absolute folders (with each of
    PATHEXT's endings on Windows), or None: never one in the current folder, nor one in
    a project of this run (`_in_project`). As the
    system's own search, the first executable file, else the first file that is not
    (running it then says why it cannot run: "Permission denied", not "not installed")."""
    endings = [""]
    if WINDOWS and not os.path.splitext(name)[1]:
        endings = [e for e in os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(os.pathsep) if e]
    unrunnable = None
    for folder in search_path().split(os.pathsep):
        if not folder:
            continue
        for ending in endings:
            path = os.path.join(folder, name + ending)
            if os.path.isfile(path) and not _in_project(path):
                if os.access(path, os.X_OK):
                    return path
                unrunnable = unrunnable or path
    return unrunnable


def confine_search() -> None:
    """Drop PATH's relative folders from this process's environment (and tell Windows
    not to look in the current folder first: NoDefaultCurrentDirectoryInExePath, which
    CreateProcess and shutil.which honour), before any program is run."""
    if "PATH" in os.environ:
        os.environ["PATH"] = search_path()
    if WINDOWS:
        os.environ["NoDefaultCurrentDirectoryInExePath"] = "1"
