"""`foundry ci` and `foundry theme eject`: the files foundry ships, copied into a project
to be made its own. Someone who installed foundry with pipx or from a wheel has no
checkout of Hero Foundry to copy `.github/workflows/foundry.yml` or the default
theme's templates from; these verbs write them from the installed package.

Both create files only (project_write.py): a file already there is the user's and is
kept, said so; nothing is overwritten, whatever it holds.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path

import click

from .. import __version__
from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, guarded, project_option, project_root
from ..console.terminal import echo
from ..diagnostics import Diagnostics, Span, clip, suggestion
from .project_write import Refusals, Unwritable, write_file

WORKFLOW = ".github/workflows/foundry.yml"
# What `theme eject` copies when no file is named: every template and stylesheet a page
# or book is made from (not the fonts, 3 MB, nor the theme's word catalogs: name
# `print/fonts` or `locale` to have them).
EJECTED = ("templates", "static", "print/templates", "print/css")
_PIN = re.compile(r'^(\s*FOUNDRY_PACKAGE:\s*)"hero-foundry==[^"]*"', re.M)


# A version a package index holds (PEP 440's public versions but .devN, which
# setuptools_scm makes between tags): 1.2.0, 1.3.0rc1, 1.2.0.post1.
_RELEASE = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?")


def workflow_text() -> bytes:
    """The shipped workflow (docs/ci.md), pinned to this foundry's version when it is
    a release, a pre-release or post-release among them (one of 1.3.0rc1 was pinned to
    the file's own, older, pin); a development version is on no package index: the
    file's own pin is kept."""
    text = resources.files("pipeline").joinpath("scaffold/ci/foundry.yml").read_text(encoding="utf-8")
    version = __version__
    if _RELEASE.fullmatch(version):
        text = _PIN.sub(lambda m: f'{m.group(1)}"hero-foundry=={version}"', text, count=1)
    return text.encode("utf-8")


def write_new(root: Path, files: dict[str, bytes], diags: Diagnostics) -> tuple[list[str], list[str]]:
    """Each file created under `root` unless one is there: (written, kept), paths
    relative to `root`. A path refused by project_write's rule (a link on the way, a
    FIFO in its place) is HF0165 in `diags`, once for every file it refuses (a linked
    themes/ was 44 errors, one a file of the theme, each saying the same)."""
    written, kept = [], []
    refused = Refusals()
    for rel, data in sorted(files.items()):
        try:
            write_file(root, rel, data)
            written.append(rel)
        except FileExistsError:
            kept.append(rel)
        except Unwritable as err:
            refused.add(err)
    refused.report(diags)
    return written, kept


@cli.command("ci")
@click.option("--print", "to_stdout", is_flag=True, help="Print the workflow instead of writing it.")
@project_option
@guarded
def ci_cmd(to_stdout: bool, project: str | None) -> None:
    """Write .github/workflows/foundry.yml, the GitHub Actions workflow foundry ships
    (problems shown on each pull request, its semantic diff for the reviewer, release
    builds of the default branch and of tags), into the project; never over a file."""
    data = workflow_text()
    if to_stdout:
        sys.stdout.write(data.decode("utf-8"))
        sys.exit(EXIT_OK)
    root = project_root(project)
    diags = Diagnostics()
    inside = _folder_in_repository(root)
    if inside is not None and not _nameable(inside):
        diags.add("HF0743", f"the project's folder '{clip(inside, 80)}' cannot be named in a GitHub workflow",
                  Span(inside), hint="Rename the folder (and those above it, up to the repository's top) with "
                                     "letters, digits, spaces and `. _ -` only (none starting with `-` or a "
                                     "space), then run `foundry ci` again.")
        _say([], [], diags, root, "")
    if inside is not None:
        data = in_folder(data.decode("utf-8"), inside).encode("utf-8")
    written, kept = write_new(root, {WORKFLOW: data}, diags)
    _say(written, kept, diags, root, " ".join(filter(None, (_elsewhere(root), _other_branch(root)))),
         "`foundry ci --print` shows the shipped one, to compare with yours.")


# What in the workflow names a file of the project, other than by a `run:` step's
# commands (which `defaults: run: working-directory` moves): the paths of the actions'
# `with:` (caches, artifacts, the Pages site) and the diff file the comment reads. An
# action ignores `defaults`, and reads from the repository's top.
_ACTION_PATHS = (
    re.compile(r"^(\s+)(build/|\.foundry-cache/|build-report\.json)$", re.M),   # `path: |` lists
    re.compile(r"^(\s+path: )(build-shards/|build/site/)$", re.M),
    re.compile(r"(hashFiles\('|readFileSync\(')(foundry-diff\.md')"),
    re.compile(r"(hashFiles\(')(schemas/json/)"),
)


# The folder names `in_folder` writes: the workflow puts the folder in a YAML value, in
# GitHub expressions ('…' in hashFiles), in a JavaScript string (the comment's script)
# and in the actions' path globs. A quote ended those strings (`it's`: a broken `if:`
# and script), `${{` is an expression GitHub evaluates, `a: b` or `#x` were YAML (an
# invalid workflow; a working-directory of none), `*` `[` `!` globs: none can be
# escaped in all four, so such a folder is refused (HF0743), not written wrong. Each
# name starts and ends with a letter, digit, `.` or `_`: `- x/build-shards/`, a `path:`
# value, was a YAML list. A letter is any script's, with its marks: Hindi's `हिन्दी`
# (a vowel sign, a virama), a macOS folder's `wörld` (an `o` and a combining
# diaeresis) are letters to their writer, special to none of the four, and `\w` had
# refused them.
def _nameable(inside: str) -> bool:
    """Whether the folder path `inside` ('/' between names) may be written into the workflow."""
    return all(_name_ok(name) for name in inside.split("/"))


def _name_ok(name: str) -> bool:
    return (name != "" and name[0] not in "- " and name[-1] not in "- "
            and all(c in "._- " or unicodedata.category(c)[0] in "LMN" for c in name))


def in_folder(text: str, inside: str) -> str:
    """The shipped workflow for a project in the folder `inside` of its repository:
    every `run:` step run there (`defaults`), every path an action reads led there. The
    hint once said only to add the `defaults`, and a workflow so changed cached nothing,
    failed uploading its shards and its build (`if-no-files-found: error`, the paths
    were the repository's top) and never commented. Each pattern must match: the file
    is ours, and a change to it that one misses fails here, not on GitHub."""
    for pattern in _ACTION_PATHS:
        text, count = pattern.subn(lambda m: f"{m.group(1)}{inside}/{m.group(2)}", text)
        assert count, pattern.pattern
    defaults = (f"# The project is the folder {inside}/ of this repository (written so by `foundry ci`):\n"
                f"# every `run:` step runs there, and the paths the actions read start with it.\n"
                f"defaults:\n  run:\n    working-directory: {json.dumps(inside, ensure_ascii=False)}\n\n")
    text, count = re.subn(r"^(permissions:\n  contents: read\n\n)", lambda m: m.group(1) + defaults, text,
                          count=1, flags=re.M)
    assert count == 1
    return text


def _folder_in_repository(root: Path) -> str | None:
    """The project's folder relative to its repository's top (POSIX), or None when the
    project is the repository's top, or in none."""
    from ..git_process import find_repository
    repo = find_repository(root)
    if repo is None or Path(repo.work_tree) == Path(root).resolve():
        return None
    return Path(root).resolve().relative_to(Path(repo.work_tree)).as_posix()


def _other_branch(root: Path) -> str:
    """What to change when the repository's default branch is not `main`, the one the
    workflow releases and deploys from (`branches: [main]`): a repository made by git's
    own default is on `master`, and its pushes then built nothing. The default branch is
    the remote's (origin/HEAD) when git knows it, else the branch checked out."""
    from ..git.versions import git_text
    remote = git_text(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    branch = remote.removeprefix("origin/") if remote else git_text(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if not branch or branch == "main":
        return ""
    whose = "origin's default branch" if remote else "the branch checked out"
    return (f"It releases and deploys on pushes to `main` (`branches: [main]`), but {whose} is '{branch}': "
            f"if that is the default branch, write `branches: [{branch}]` in it.")


def _elsewhere(root: Path) -> str:
    """What to do when the project is a folder inside a larger repository: GitHub reads
    workflows from the repository's top only (the file written is made for the folder:
    `in_folder`)."""
    inside = _folder_in_repository(root)
    if inside is None:
        return ""
    top = Path(root).resolve().parents[len(Path(inside).parts) - 1]
    return (f"This project is the folder {inside}/ of the repository at {top}: GitHub reads workflows "
            f"only from its top, so move the file to {top}/{WORKFLOW}; it is written for the folder "
            f"(`defaults: run: working-directory: {inside}`, and the paths its actions read start with "
            f"{inside}/: docs/ci.md).")


@cli.group("theme")
def theme_group() -> None:
    """The default theme, to be made the project's own."""


@theme_group.command("eject")
@click.argument("paths", nargs=-1)
@click.option("--name", default=None,
              help="The theme folder to write, themes/NAME/ (default: the theme foundry.toml names).")
@project_option
@guarded
def eject_cmd(paths: tuple[str, ...], name: str | None, project: str | None) -> None:
    """Copy the default theme's files into themes/<theme>/ to customise them: PATHS
    (files or folders of the theme, e.g. templates/hero.html, print/css) or, with none,
    every template and stylesheet. A file the project has is kept, never overwritten;
    a template the project has overrides the default's of the same name."""
    root = project_root(project)
    diags = Diagnostics()
    said = Diagnostics()   # foundry.toml's own problems: check's to report, unless they hide the theme
    configured = _configured_theme(root, said)
    if said.has_errors() and name is None:
        # foundry.toml is read with its errors dropped (one a merge left conflicted: every
        # default), so the theme it names is not known: the files went, exit 0, into
        # themes/default/ of a project whose theme is `dark`, which never reads them
        emit(said, root, "text")
        echo("foundry theme eject: the theme foundry.toml names is not known while it has errors: fix them, "
             "or name the theme with `--name`. Nothing written.", err=True)
        sys.exit(EXIT_CONTENT)
    theme = name or configured
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", theme):
        raise click.BadParameter("a theme name is lowercase letters, digits and hyphens", param_hint="--name")
    shipped = resources.files("pipeline").joinpath("exporters/html/default_theme")
    files: dict[str, bytes] = {}
    for wanted in paths or EJECTED:
        part = wanted.strip("/")
        if not part or any(p in ("", ".", "..") for p in part.split("/")):
            raise click.BadParameter(f"'{wanted}' is not a path inside the theme", param_hint="PATHS")
        node = shipped.joinpath(part)
        found = _files(node, part)
        if not found:
            # `templates/hreo.html`: the file meant, by its path in the theme (folders too)
            there = [rel for path in _files(shipped, "") for rel in _with_folders(path.lstrip("/"))]
            near = suggestion(part, there)
            raise click.BadParameter(f"the default theme has no '{wanted}'. " + (near or "It has templates/, static/, "
                                     "print/, locale/."), param_hint="PATHS")
        files.update({f"themes/{theme}/{rel}": data for rel, data in found.items()})
    written, kept = write_new(root, files, diags)
    hint = (f"Set theme = \"{theme}\" in foundry.toml to use them." if theme != configured and not said.has_errors()
            else "")
    _say(written, kept, diags, root, " ".join(filter(None, (_alone(root, theme, written), hint))))


def _alone(root: Path, theme: str, written: list[str]) -> str:
    """What to say when this eject left the theme's static/ with site.css and none of
    the page parts: such a site.css is taken as a whole-site stylesheet of a theme
    written before the split (exporters/html/styles.py), so every page stopped linking
    entity.css, story.css… — a writer ejecting site.css to change one colour lost the
    story player's and the hero pages' styles, with nothing said. "" otherwise."""
    from ..exporters.html.styles import COMMON, PARTS, legacy_whole_site
    if f"themes/{theme}/static/{COMMON}" not in written:
        return ""
    static = root / "themes" / theme / "static"
    try:
        names = frozenset(p.name for p in static.iterdir() if p.is_file())
    except OSError:
        return ""
    if not legacy_whole_site(names):
        return ""
    parts = sorted(set(PARTS.values()))
    return (f"A site.css with none of the page stylesheets ({', '.join(parts)}) beside it is linked alone, as a "
            "whole-site stylesheet: pages stop linking the default theme's. To keep them, eject one of them too "
            f"(`foundry theme eject static/{parts[0]}`).")


def _configured_theme(root: Path, diags: Diagnostics) -> str:
    """The theme foundry.toml names; its problems into `diags` (the caller judges
    whether they leave the theme unknown)."""
    from ..load.project import load_project
    return load_project(root, diags).config.project.theme or "default"


def _with_folders(path: str) -> list[str]:
    """`templates/epub/x.html` → it and the folders it is in (`templates`, `templates/epub`)."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _files(node, rel: str) -> dict[str, bytes]:
    """Every file at or under `node` (an importlib.resources Traversable), by its path in the theme."""
    if node.is_file():
        return {rel: node.read_bytes()}
    if not node.is_dir():
        return {}
    out: dict[str, bytes] = {}
    stack = [(node, rel)]
    while stack:
        folder, prefix = stack.pop()
        for child in folder.iterdir():
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                stack.append((child, f"{prefix}/{child.name}"))
            else:
                out[f"{prefix}/{child.name}"] = child.read_bytes()
    return out


def _say(written: list[str], kept: list[str], diags: Diagnostics, root: Path, hint: str, if_kept: str = "") -> None:
    """What was written and what was kept, then `hint` (when something was written)
    or `if_kept` (when something was kept). Exit 2 when a place refused a write (HF0165:
    a tool error, as in every writing verb, docs/errors.md), 1 for another error (HF0743)."""
    if diags.items:
        emit(diags, root, "text")
    for rel in written:
        echo(f"Wrote {rel}", err=True)
    if kept:
        echo(f"Kept {len(kept)} file{'s' * (len(kept) != 1)} the project has (never overwritten): "
             + ", ".join(kept[:5]) + (" …" if len(kept) > 5 else ""), err=True)
    if hint and written:
        echo(hint, err=True)
    if if_kept and kept:
        echo(if_kept, err=True)
    refused = any(d.code == "HF0165" for d in diags.items)
    sys.exit(EXIT_TOOL if refused else EXIT_CONTENT if diags.has_errors() else EXIT_OK)
