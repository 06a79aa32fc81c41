"""The `foundry` command. Verbs are thin: they run stages and print the report.

Exit codes: 0 clean (warnings allowed unless --strict), 1 content errors,
2 usage or tool error.
"""

from __future__ import annotations

import functools
import gc
import os
import shlex
import sys
from collections import Counter
from contextlib import nullcontext
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, seal
from .diagnostics import Diagnostics, clip
from .epoch import source_date_problem
from .entry import interrupted
from .fontconfig import pin_language
from .runs import one_run
from .programs import avoid as avoid_programs_in, confine_search
from .console.report import FORMATS, render_github, render_json, render_step_summary, render_text, summary_line, use_color
from .console.terminal import capture_library_output, printable

# The builder (and through it the load, write and git stages) is imported by the verbs
# that run it, not here: `foundry --version`, `init`, `new` and `play` never build, and
# a run imports only what the asked verb needs (the commands/ modules likewise).
if TYPE_CHECKING:
    from .engine.builder import BuildReport

EXIT_OK, EXIT_CONTENT, EXIT_TOOL = 0, 1, 2
# Diagnostics about the tool's situation, not the content: the revision is unavailable,
# another build holds the lock, build/ could not be written.
# Shards that do not fit together (HF073x) are the CI setup's problem, not the content's.
TOOL_CODES = frozenset({"HF0801", "HF0713", "HF0742", "HF0714", "HF0730", "HF0731", "HF0732", "HF0733", "HF0734", "HF0735",
                        "HF0736"})


def crash_report() -> str:
    """Write the current exception's traceback to a file of its own; return its path,
    or what stopped it being written ("not written: No space left on device"): the
    report of a crash never crashes itself (a full disk or a file-size limit printed
    Python's traceback of the report's own write)."""
    import tempfile    # here, not at the top: every run of foundry would import them for a rare crash
    import traceback
    text = f"hero-foundry {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    try:
        fd, path = tempfile.mkstemp(prefix="foundry-crash-", suffix=".txt")
    except OSError as exc:
        return f"nowhere (a temporary file could not be made: {exc.strerror or exc.__class__.__name__})"
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        return f"{path}, in part ({exc.strerror or exc.__class__.__name__})"
    return path


def guarded(fn):
    """A bug inside foundry prints one short line and where the details went — never
    a traceback (content can never cause one; if it did, that is our bug)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            interrupted()
        except BrokenPipeError:
            quiet_broken_pipe()
        except OSError as exc:
            if exc.filename is None:
                _crashed()
            # the machine's, not ours: a file where a folder goes (a committed `content/heroes`
            # file, `translations/de` as a file), a full or read-only disk. A diagnostic at the
            # path (HF0166, with the fix) and exit 2, as the build's own disk errors are, in
            # every command; it was one line with no code or hint (`foundry: cannot use …`).
            emit(_disk_error(exc), Path.cwd(), kwargs.get("fmt") if kwargs.get("fmt") in FORMATS else "text")
            sys.exit(EXIT_TOOL)
        except Exception:
            _crashed()
    return wrapper


def _disk_error(exc: OSError) -> Diagnostics:
    """HF0166 at the file or folder `exc` names (relative to the current folder when
    inside it), with the fix for what the system said."""
    import errno
    from .diagnostics import Span
    path = Path(os.fsdecode(exc.filename))
    try:
        path = path.relative_to(Path.cwd()) if path.is_absolute() else path
    except ValueError:
        pass
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        why, hint = "a file is where foundry needs a folder", "Move or rename the file, then run the command again."
    else:
        why = exc.strerror or exc.__class__.__name__
        hint = {errno.ENOSPC: "Free disk space, then run the command again.",
                errno.EFBIG: "Free disk space or raise the file-size limit (ulimit -f), then run the command again.",
                errno.EROFS: "The disk is mounted read-only: work in a copy on a writable disk.",
                errno.EACCES: "Make the folder writable for your user, then run the command again.",
                errno.EPERM: "Make the folder writable for your user, then run the command again."}.get(exc.errno)
    diags = Diagnostics()
    diags.add("HF0166", f"foundry cannot use this path: {why}", Span(path.as_posix()), hint=hint)
    return diags


def _crashed() -> None:
    """Our bug: one line, the details in a file of their own, exit 2."""
    path = crash_report()
    click.echo(f"foundry: internal error ({sys.exc_info()[0].__name__}); details written to {path}. "
               "Please report it.", err=True)
    sys.exit(EXIT_TOOL)


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `head` leaves a shell tool that it stopped reading


def quiet_broken_pipe() -> None:
    """The reader of our output went away (`foundry play X | head -1`): stop at once,
    without a word, as a shell tool does. Python would otherwise complain again when
    it flushes stdout at exit, so stdout is pointed at the null device first."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. under a test runner)
        pass
    sys.exit(EXIT_BROKEN_PIPE)


def project_root(path: str | None) -> Path:
    """The project of `--project PATH` (a folder in it: the nearest above holding a
    foundry.toml), or of the current folder. A PATH that is not a folder is a usage
    error: walking up from a mistyped folder or a named pipe found the project around
    it and worked there without a word (`new hero --project ./typo` wrote into it)."""
    from .load.root import find_root, roots_below
    if path is not None and not os.path.isdir(path):
        shown = printable(path)
        raise click.BadParameter(f"'{shown}' does not exist" if not os.path.lexists(path)
                                 else f"'{shown}' is not a folder", param_hint="'--project'")
    start = Path(path) if path else Path.cwd()
    root = find_root(start)
    if root is None:
        # a repository's top with the project in a folder (a pre-commit hook runs there):
        # "run `foundry init`", followed, made a second project beside the real one
        below = roots_below(start.resolve())
        if below:
            import json
            import re
            names = ", ".join(f"{printable(b)}/" for b in below)
            # the path to give, from where the command ran (`--project ../mono` named
            # `mono/world`, not `world`); a hook runs at the repository's top, as here
            there = start.resolve() / below[0]
            first = printable((there if path is not None and os.path.isabs(path)
                               else Path(os.path.relpath(there))).as_posix())
            listed = first if re.fullmatch(r"[\w./-]+", first) else json.dumps(first, ensure_ascii=False)
            hook = f" (in a pre-commit hook, `args: [--project, {listed}]`)" if path is None else ""
            raise click.UsageError(
                f"no foundry.toml in {printable(start.resolve())} or above; below it, {names} "
                f"{'holds one' if len(below) == 1 else 'hold one each'}: name "
                f"{'it' if len(below) == 1 else 'one'} with `--project {shlex.quote(first)}`{hook}, or run the "
                "command in its folder.")
        raise click.UsageError(f"no foundry.toml in {printable(start.resolve())} or above; run `foundry init NAME` to start a project.")
    avoid_programs_in(root)   # a git in the project's own bin/ (on PATH by direnv, a virtualenv) never runs
    return root


def emit(diags: Diagnostics, root: Path, fmt: str, extra: dict | None = None, quiet: bool = False,
         known: dict[str, str] | None = None) -> None:
    """Prints `diags` in `fmt`; text frames quote files under `root` (confined), and
    the files in `known` (path as the diagnostics name it → the text already read,
    render_text)."""
    items = diags.sorted()
    if fmt == "json":
        click.echo(render_json(items, extra))
    elif fmt == "github":
        if items:
            click.echo(render_github(items, _in_repository(root)))
            # the count of all on the log: the annotations are of each code in each file the
            # first hundred (diagnostics.said), and GitHub draws 10 of each level a step
            click.echo(summary_line(items), err=True)
            _step_summary(items, root)
    else:
        if items:
            click.echo(render_text(items, root, use_color(sys.stderr), known), err=True)
        if not quiet or items:
            click.echo(summary_line(items), err=True)


def _step_summary(items: list, root: Path) -> None:
    """On GitHub Actions (`GITHUB_STEP_SUMMARY` names the step's summary file), append
    the job summary of the findings `items` (report.render_step_summary): GitHub draws
    10 annotations of each level a step, and the summary lists every file and code. A
    file that cannot be written is said on stderr; the report stands."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    ctx = click.get_current_context(silent=True)
    command = " ".join(["foundry", *(ctx.command_path.split()[1:] if ctx is not None else [])])
    try:
        with open(target, "a", encoding="utf-8") as out:
            out.write(render_step_summary(items, _in_repository(root), command))
    except OSError as exc:
        click.echo(f"Could not write the job summary ({printable(target)}): {exc.strerror}", err=True)


def _in_repository(root: Path) -> str:
    """The project's folder within its git repository ("world/"; "" at the top or with
    no repository), found without running git (git_process.find_repository)."""
    from .git_process import find_repository
    found = find_repository(root)
    if found is None:
        return ""
    rel = os.path.relpath(os.path.realpath(root), found.work_tree)
    return "" if rel == "." else Path(rel).as_posix() + "/"


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                             help="text for people, github for Actions annotations, json for scripts.")
project_option = click.option("--project", "project", type=click.Path(file_okay=False), default=None,
                              help="The project folder (default: the nearest with a foundry.toml).")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


# The verbs defined in commands/, by name → the module that defines (registers) it.
VERB_MODULES = {"ci": "eject", "codeowners": "codeowners", "diff": "diff", "hero": "hero", "history": "history",
                "import": "import_", "init": "init", "l10n": "l10n", "new": "new", "play": "play",
                "schemas": "schemas", "serve": "serve", "theme": "eject"}


class _Verbs(click.Group):
    """`check` and `build` are defined here; another verb's module (commands/) is
    imported when that verb is asked for, and all of them for the list of all
    (`--help`) or a name that is none of them: a no-op build should not pay for
    importing the web server, git diffs or translate-toolkit, nor `foundry init` for
    the importers and the builder."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            for module in [VERB_MODULES[name]] if name in VERB_MODULES else VERB_MODULES.values():
                import_module(f"{__package__}.commands.{module}")   # registers its verb on `cli`
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in VERB_MODULES.values():
            import_module(f"{__package__}.commands.{module}")
        return super().list_commands(ctx)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`Documentation: <address>` under the list of verbs, from the installed
        distribution's metadata (pyproject's [project.urls], the one place it is
        written): a user who installed the wheel has no docs/ folder, and hints name
        its files (`docs/importing.md`). Nothing where the metadata has none."""
        super().format_epilog(ctx, formatter)
        from importlib import metadata
        try:
            urls = metadata.metadata("hero-foundry").get_all("Project-URL") or []
        except metadata.PackageNotFoundError:
            urls = []
        for label, _, url in (entry.partition(",") for entry in urls):
            if label.strip().lower() == "documentation" and url.strip():
                # written as it is: the formatter's wrapping broke the address at a hyphen
                formatter.write(f"\nDocumentation (the pages hints name):\n  {url.strip()}\n")


@click.group(cls=_Verbs, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="foundry")
def cli() -> None:
    """Hero Foundry: check and publish heroes and branching stories kept in git."""
    if problem := seal.env_key_problem():   # a weak shared key is refused, never used (seal.py)
        raise click.UsageError(problem)
    if problem := source_date_problem():    # malformed: stop, as reproducible builds ask (epoch.py)
        raise click.UsageError(problem)
    if problem := _jobs_problem():
        raise click.UsageError(problem)


MOST_JOBS = 256   # --jobs' range, and FOUNDRY_JOBS'


def _jobs_problem() -> str | None:
    """Why FOUNDRY_JOBS cannot be used, or None (unset or empty counts as unset). Its
    readers (load/workers.py, render/pool.py) took 'abc', '0' or ' 2' as unset without
    a word, and any count at all (a thousand forks) where --jobs takes 1 to 256."""
    value = os.environ.get("FOUNDRY_JOBS", "")
    if value == "":
        return None
    if value.isascii() and value.isdigit() and len(value) <= 3 and 1 <= int(value) <= MOST_JOBS:
        return None
    shown = printable(clip(value, 21))   # cut between whole characters (graphemes.py)
    return f"FOUNDRY_JOBS must be a number of worker processes from 1 to {MOST_JOBS}, as --jobs takes, not '{shown}'; or unset it"


release_option = click.option("--release", is_flag=True,
                              help="Published entities only; a published one that needs a draft is an error.")
ref_option = click.option("--ref", "ref", default=None, metavar="REV",
                          help="A git revision (commit, branch, tag) instead of the working tree.")


class WholeProject(click.Command):
    """A verb over the whole project (`check`, `serve`): a file or folder named after
    it, as a linter or a web server takes one (`foundry check content/heroes/kes.yaml`,
    `foundry serve my-world`), is told what the verb does with the project and how to
    name another one, not click's "Got unexpected extra argument"."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("context_settings", {})["allow_extra_args"] = True
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if ctx.args and not ctx.resilient_parsing:
            raise click.UsageError(whole_project_problem(f"foundry {self.name}", ctx.args[0]), ctx)
        return rest


def whole_project_problem(verb: str, named: str) -> str:
    """What `verb` (`foundry check`), which works on the whole project, says of a path
    `named` after it: a folder is a project to name with `--project`; a file's
    problems are the lines of the whole project's report that start with its path."""
    shown = printable(named)
    if os.path.isdir(named):
        return f"`{verb}` takes no folder: to work on the project in '{shown}', write `{verb} --project {shlex.quote(shown)}`"
    if not os.path.lexists(named):
        return f"`{verb}` works on the whole project and takes no argument ('{shown}'): run `{verb}` alone"
    return (f"`{verb}` works on the whole project and takes no file ('{shown}'): run `{verb}` alone; the lines "
            "it prints for that file start with its path")


@cli.command("check", cls=WholeProject)
@project_option
@format_option
@strict_option
@release_option
@ref_option
@click.option("--base-url", "base_url", default=None, metavar="URL",
              help="The address the site will be published at, over foundry.toml's base_url, as "
                   "`build --base-url` gives it: what the build says of it is said here too.")
@guarded
def check_cmd(project: str | None, fmt: str, strict: bool, release: bool, ref: str | None,
              base_url: str | None) -> None:
    """Report every problem in the project at once."""
    from .engine.builder import BuildReport, check, say_unkept
    from .git.versions import checkout
    root = project_root(project)
    published = _base_url_option(base_url, root)
    diags = Diagnostics()
    report = BuildReport()
    say_unkept(root, diags, "check")
    # The World the check loaded (~300 MiB at 10,000 heroes) stays to the process's end,
    # which follows, as a build's does (build_cmd): freed object by object as the check
    # returned, it was ~0.1 CPU-s of a cold check's last stretch, one core working alone
    left: list = []
    left.append(left)
    with checkout(root, ref, diags) if ref else nullcontext(None) as revision:
        if ref and revision is None:
            emit(diags, root, fmt)
            sys.exit(EXIT_TOOL)
        source = revision.path if revision else root   # code frames quote the revision's files
        if revision is None and published is None:
            _check_working_tree(root, diags, report, release, left)
        else:   # (a check for another address is not remembered: the replay's key is the files')
            left.append(check(source, diags, report, release, revision.version if revision else None,
                              base_url=published))
        _check_output_folder(root, diags)
        emit(diags, source, fmt, {"counts": report.counts, "timings": report.timings,
                                  "findings_by_code": by_code(diags)})
    if any(d.code == "HF0742" for d in diags.items):
        sys.exit(EXIT_TOOL)   # the machine (no Pango), not the content: as build says it
    sys.exit(EXIT_CONTENT if diags.has_errors(strict) else EXIT_OK)


@one_run()   # the machine's fonts looked at once: the replay key's and the check's the same (runs.py)
def _check_working_tree(root: Path, diags: Diagnostics, report: "BuildReport", release: bool,
                        leave: list | None = None) -> None:
    """`check` of the working tree; when nothing it reads changed since the last check,
    that check's findings are reported again without loading anything (engine/checked.py).
    The World loaded is put in `leave` (the caller's: kept to the process's end)."""
    import time
    from .engine import checked
    from .engine.builder import check
    start = time.perf_counter()
    digest: str | None = None
    if checked.remembered(root):
        digest, before = checked.inputs_digest(root, release)
        again = checked.replayed(root, digest)
        if again is not None:
            diags.extend(again[0])
            report.counts |= again[1]
            report.timings["load"] = round(time.perf_counter() - start, 4)
            return
    else:   # nothing to replay: the digest is made after the load, from the hashes it took
        at = time.time()
        before = checked.snapshot(root)
    # made beside the checks that follow the load, in a process forked now (engine/checked.py)
    behind = None
    if digest is None and checked.keepable(before, [], release):
        behind = checked.DigestBehind(root, release, before, at)

    def loaded(world) -> None:   # the digest begun, unless the load found what keeps no memo
        if behind is not None and checked.keepable(before, diags.items, release):
            behind.begin(world)

    try:
        world = check(root, diags, report, release, loaded=loaded)
        if leave is not None:
            leave.append(world)
        if not checked.keepable(before, diags.items, release):
            return
        if digest is None:
            digest = behind.result(world) if behind is not None else \
                checked.digest_after(root, release, before, at, world)
    finally:
        if behind is not None:
            behind.close()
    # nothing moved since the snapshot, the digest made after the check included: the
    # findings and the digest are of the same bytes
    if checked.unchanged_since(root, before):
        checked.remember(root, digest, diags.items, report.counts, checked.read_elsewhere(world))


def _check_output_folder(root: Path, diags: Diagnostics) -> None:
    """HF0126 / HF0127: what at build/ (or in it) a build would refuse to replace, so a
    writer who checks before building learns it then. The working tree's build/ even
    under --ref: that is where `build --ref` writes. Never part of a replayed check
    (engine/checked.py): build/ is not one of its inputs, so it is looked at every time."""
    from .engine.builder import BUILD_DIR
    from .write.ownership import check_output_folder
    check_output_folder(root, root / BUILD_DIR, frozenset(), diags)


def by_code(diags: Diagnostics) -> dict[str, int]:
    """For CI dashboards: how many findings of each code."""
    return dict(sorted(Counter(d.code for d in diags.items).items()))


@cli.command("build")
@project_option
@click.option("--only", default=None, help="Comma-separated outputs: json,html,pdf,epub,ink,twee.")
@format_option
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@release_option
@ref_option
@click.option("--jobs", "-j", type=click.IntRange(1, MOST_JOBS), default=None,
              help="Worker processes for rendering (default: one per CPU; FOUNDRY_JOBS also sets it).")
@click.option("--shard", "shard", default=None, metavar="I/N",
              help="Render part I of N of what is stale into build-shards/I-of-N/ (build/ untouched); "
                   "one machine per part, then --merge on one of them.")
@click.option("--merge", "merge", is_flag=True,
              help="Assemble build/ from the shard folders given as arguments (build-shards/*), "
                   "made from the same commit, options and build cache.")
@click.option("--base-url", "base_url", default=None, metavar="URL",
              help="The address build/site/ is published at, over foundry.toml's base_url "
                   "(e.g. the one GitHub Pages gives a project page: https://you.github.io/repo/).")
@click.argument("shard_dirs", nargs=-1, metavar="[SHARD_DIR]...", type=click.Path(path_type=Path))
@guarded
def build_cmd(project: str | None, only: str | None, fmt: str, strict: bool, quiet: bool, release: bool,
              ref: str | None, jobs: int | None, shard: str | None, merge: bool, base_url: str | None,
              shard_dirs: tuple[Path, ...]) -> None:
    """Check the project and, if it is clean, write the outputs into build/.

    Across machines: `foundry build --shard I/N` on each of N machines, then
    `foundry build --merge build-shards/*` on one of them gives the build/ (and build
    state) one unsharded build would have made."""
    from .console.progress import progress_for
    from .engine.builder import build
    root = project_root(project)
    names = output_names(only, "--only")
    published = _base_url_option(base_url, root)
    diags = Diagnostics()
    # What the build leaves (its World and states, ~300 MiB at 10,000 heroes) stays to the
    # process's end, which follows: a list in a cycle of its own, so that only the
    # collector could free it, and `main` freezes it before the exit's collection
    left: list = []
    left.append(left)
    report = build(root, diags, names, strict, release, ref, workers=jobs,
                   progress=progress_for(quiet or fmt != "text"),
                   sharding=_sharding(shard, merge, shard_dirs, names, release, root, diags, published),
                   leave=left, base_url=published)
    emit(diags, root, fmt, {"build": report.to_json(), "findings_by_code": by_code(diags), "release": release}, quiet)
    if fmt == "text" and not quiet:
        _print_report(report)
    if any(d.code in TOOL_CODES for d in diags.items):
        sys.exit(EXIT_TOOL)   # the revision, the lock or the disk: a tool problem, not the content's
    sys.exit(EXIT_OK if report.ok else EXIT_CONTENT)


def _base_url_option(value: str | None, root: Path) -> str | None:
    """--base-url's value as the site publishes it (load/project.py published_base_url,
    foundry.toml's rule, and its bound with the longest page path of the project's
    languages), None when not given; a usage error with the fix otherwise."""
    if value is None:
        return None
    from .load.project import base_url_hint, load_project, long_address_problem, published_base_url
    try:
        published = published_base_url(value)
    except ValueError as problem:
        hint = base_url_hint(value).replace("Write `base_url = \"", "Give `--base-url \"")
        raise click.BadParameter(f"'{printable(clip(value, 120))}' {problem}. {hint}", param_hint="--base-url") \
            from None
    if published.lower().startswith(("https://", "http://")):   # the sitemap's: foundry.toml read for its languages
        long = long_address_problem(published, load_project(root, Diagnostics()).config)
        if long is not None:
            raise click.BadParameter(f"'{printable(clip(value, 120))}' {long[0]}. {long[1]}", param_hint="--base-url")
    return published


def _sharding(shard: str | None, merge: bool, folders: tuple[Path, ...], only: list[str] | None, release: bool,
              root: Path, diags: Diagnostics, base_url: str | None = None):
    """The builder's sharding hooks for --shard or --merge (engine/shards.py), None for
    an ordinary build; a usage error for a malformed or contradictory request."""
    if shard is None and not merge and not folders:
        return None   # an ordinary build: a no-op must not import the renderer (engine/shards imports it)
    from .engine import shards
    if shard is not None and merge:
        raise click.UsageError("--shard renders one part and --merge assembles the parts: give one of them")
    if folders and not merge:
        # `foundry build content/stories/x.md`, as a converter takes a file: click said
        # "Invalid value for '[SHARD_DIR]...': Directory … is a file"
        raise click.UsageError(whole_project_problem("foundry build", str(folders[0]))
                               + " (shard folders are given with --merge: foundry build --merge build-shards/*)")
    for folder in folders:
        if not folder.is_dir():
            raise click.BadParameter(f"'{printable(str(folder))}' is not a folder" if folder.exists()
                                     else f"'{printable(str(folder))}' does not exist", param_hint="'[SHARD_DIR]...'")
    settings = shards.Settings(release, only, base_url)
    if merge:
        if not folders:
            raise click.UsageError("--merge needs the shard folders (foundry build --merge build-shards/*)")
        return shards.Merge(list(folders), settings, root, diags)
    if shard is None:
        return None
    spec = shards.parse_spec(shard)
    if isinstance(spec, str):
        raise click.BadParameter(printable(spec), param_hint="--shard")
    return shards.ShardRun(spec, settings)


def comma_items(text: str, option: str, example: str) -> list[str]:
    """The items of a comma-separated option's value (`2,1,3`), spaces around each
    dropped; a usage error naming the item when one is empty (`1,,2`, `json,`, `""`):
    an item dropped in silence is a choice, an output or a language the user gave and
    the command did not take. `example` is a value of the option written right."""
    items = [item.strip() for item in text.split(",")]
    empty = next((n for n, item in enumerate(items, 1) if not item), None)
    if empty is not None:
        where = ("is empty" if len(items) == 1 else
                 f"has an empty item {empty} of {len(items)} (between two commas, or a comma at an end)")
        raise click.BadParameter(f"'{printable(clip(text, 60))}' {where}: give the items separated by single commas, "
                                 f"e.g. {example}", param_hint=option)
    return items


def output_names(only: str | None, option: str) -> list[str] | None:
    """The outputs a comma-separated option names (build's --only, serve's --with), or
    None when it was not given; a usage error for an empty list or an unknown name.
    Output names are a closed lowercase set, so `HTML` means `html` (normalised here,
    the one place every option naming outputs passes through)."""
    if only is None:
        return None
    from .exporters.registry import names as available
    if not only.strip():  # `--only ""` (an empty shell variable) must not quietly mean "everything"
        raise click.BadParameter(f"names no output; choose from {', '.join(available())}", param_hint=option)
    names = [n.lower() for n in comma_items(only, option, "html,pdf")]
    unknown = [n for n in names if n not in available()]
    if unknown:
        raise click.BadParameter(f"unknown output {printable(', '.join(unknown))}; choose from {', '.join(available())}",
                                 param_hint=option)
    return names


def _print_report(report: BuildReport) -> None:
    if not report.ok:
        click.echo("Build stopped: build/ may hold some of the new files, each whole; the next build makes the rest."
                   if report.partly_written else "Build stopped: nothing was written; build/ is unchanged.", err=True)
        return
    per = ", ".join(f"{n} {c}" for n, c in sorted(report.outputs.items()))
    if "shards" in report.counts:   # a shard is not a build: say where its part went
        i, n = report.counts["shard"], report.counts["shards"]
        click.echo(f"Shard {i}/{n}: {len(report.written)} of {report.counts['stale']} stale artifacts rendered into "
                   f"build-shards/{i}-of-{n}/; build/ is unchanged.", err=True)
        return
    click.echo(f"Built: {len(report.written)} written, {len(report.reused)} unchanged, "
               f"{len(report.removed)} removed ({per}).", err=True)
    click.echo("Stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()), err=True)


def main() -> None:
    """Run the command line. click's own `main` is not used: it turns Ctrl-C into
    "Aborted!" (two lines, exit 1); here KeyboardInterrupt reaches entry.main, which
    says "Interrupted." once and exits 130, whenever it arrives."""
    try:
        _run()
    finally:
        # The process ends here, however the verb ended (most leave by sys.exit): what
        # it made is frozen, so that the interpreter's last collection on the way out
        # neither walks it nor frees it object by object. A build leaves its World and
        # state (~300 MiB at 10,000 heroes) in reference cycles for that collection:
        # ~0.1 CPU-s after one hero edit, on pages the workers' fork made the builder
        # fault in again (docs/performance.md, edit25). Nothing is left to it to do:
        # the stages write and close their files and caches, atexit removes temporary folders.
        gc.freeze()


def _run() -> None:
    capture_library_output()
    pin_language()   # before anything asks fontconfig or Pango for a font (fontconfig.py)
    confine_search()   # before anything runs a program: none from a project's folder (programs.py)
    try:
        try:
            with cli.make_context("foundry", sys.argv[1:]) as ctx:
                cli.invoke(ctx)
            code = EXIT_OK
        except click.exceptions.Exit as done:   # --help, --version, ctx.exit()
            code = done.exit_code
    except click.ClickException as problem:
        problem.show()
        code = problem.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        code = 1
    except BrokenPipeError:  # raised while click itself writes (help, usage)
        quiet_broken_pipe()
    sys.exit(code)

