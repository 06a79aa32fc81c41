"""The two sides of a comparison: which revisions they are, and each loaded as a
Snapshot. A revision is read into a temporary folder (versions.checkout) and loaded
by the same `check` as `foundry check`; the working tree is the project itself."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
import os
import re
from dataclasses import dataclass, replace
import shlex
from pathlib import Path

from ..engine.builder import check
from ..load.hash_memo import MAX_HASHED
from ..diagnostics import Diagnostic, Diagnostics, Severity, argument_place, clip
from ..load.root import CONFIG_NAME
from ..git.versions import (GIT_SPAN, checkout, default_branch, fetch_hint, git_text, is_shallow, project_tree,
                             merge_base, pull_request_base, resolve, sparse_absent, stored_with_lf, uncommitted,
                             working_blob_id)
from .compare import compare
from ..l10n.stale import made_moved, made_retranslated, made_stale, made_unused, made_untranslated
from ..voice.coverage import made_stale_clips, made_unused_clips
from .model import Side, WorldDiff
from .snapshot import Snapshot, snapshot

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class SideSpec:
    label: str
    commit: str | None     # None: the working tree


def plan(root: Path, base: str | None, head: str | None,
         diags: Diagnostics) -> tuple[SideSpec, SideSpec, list[str]] | None:
    """Resolve the revisions the user named (or the defaults: the merge base with the
    default branch, and the working tree); None with HF0801 when one is unavailable."""
    notes: list[str] = []
    if head is not None and base is not None and _range(root, base, Diagnostics()) is not None:
        # `foundry diff main..feature HEAD`: each side named twice; "not a commit, branch or
        # tag" with a hint to list branches (both there) sent the writer nowhere
        diags.add("HF0801", f"'{clip(base, 60)}' is a range, which names both sides, and '{clip(head, 40)}' "
                  "is a second head", argument_place("BASE"),
                  hint=f"Give the range alone (`foundry diff {clip(base, 60)}`), or two revisions "
                       "(`foundry diff BASE HEAD`).")
        return None
    ranged = _range(root, base, diags) if head is None and base is not None else None
    if ranged is not None:
        return ranged if ranged[0] is not None else None   # (None, diags said) when a side is not there
    if head is None:
        if resolve(root, "HEAD", diags) is None:
            return None
        head_side = SideSpec(WORKING_TREE, None)
        dirty = uncommitted(root)
        if dirty:
            shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
            notes.append(f"the head side is the working tree, including uncommitted changes to {len(dirty)} "
                         f"file{'s' * (len(dirty) != 1)} ({shown}); name HEAD as the second revision to "
                         "compare commits only")
        left_out = sparse_absent(root)
        if left_out:
            shown = ", ".join(left_out[:3]) + (f" and {len(left_out) - 3} more" if len(left_out) > 3 else "")
            many = len(left_out) != 1
            notes.append(f"this is a sparse checkout: {len(left_out)} committed file{'s' * many} of the project "
                         f"{'are' if many else 'is'} not in the working tree ({shown}), so what "
                         f"{'they hold' if many else 'it holds'} shows as removed at the head side; name HEAD as "
                         "the second revision to compare commits (`foundry diff BASE HEAD`), or "
                         "`git sparse-checkout disable`")
    else:
        commit = resolve(root, head, diags, argument_place("HEAD"))   # placed at the argument, as `foundry diff` names it
        if commit is None:
            return None
        head_side = SideSpec(head, commit)
    base_side = _base(root, base, head_side, diags)
    return (base_side, head_side, notes) if base_side else None


def _range(root: Path, written: str, diags: Diagnostics) -> tuple | None:
    """`foundry diff A..B` and `A...B`, as `git diff` reads them (and GitHub's compare
    view writes them): A's tip → B, and the merge base of A and B → B; an empty side is
    HEAD. None when `written` is no range (a revision whose name holds `..` it is not:
    git refuses such names). `main...feature` was "not a commit, branch or tag", with
    a hint to list the branches — both there."""
    if ".." not in written or resolve(root, written, Diagnostics()) is not None:
        return None
    three = "..." in written
    left, _, right = written.partition("..." if three else "..")
    if not (left or right) or ".." in right:
        return None
    left, right = left or "HEAD", right or "HEAD"
    head = resolve(root, right, diags, argument_place("BASE"))
    base = resolve(root, left, diags, argument_place("BASE"))
    if head is None or base is None:
        return (None,)
    if three:
        found = merge_base(root, left, right, diags)
        if found is None:
            return (None,)
        return SideSpec(f"merge base of {left} and {right}", found), SideSpec(right, head), []
    return SideSpec(left, base), SideSpec(right, head), []


def _base(root: Path, base: str | None, head: SideSpec, diags: Diagnostics) -> SideSpec | None:
    if base is not None:
        commit = resolve(root, base, diags, argument_place("BASE"))
        return SideSpec(base, commit) if commit else None
    # in a GitHub Actions pull-request run, the branch it goes into (a pull request into
    # `develop` was compared with main, every commit of develop's shown as its own);
    # when that branch is not fetched, the default branch as anywhere else
    ci = pull_request_base()
    branch = ci if ci is not None and resolve(root, ci, Diagnostics()) is not None else default_branch(root)
    if branch is None and ci is not None:
        name = ci.removeprefix("origin/")
        diags.add("HF0801", f"the pull request's base branch '{clip(name, 40)}' (GITHUB_BASE_REF) is not in this "
                  f"clone as {clip(ci, 48)}", GIT_SPAN,
                  hint=fetch_hint(ci) if is_shallow(root) else
                  f"Run `git fetch origin {shlex.quote(f'{name}:refs/remotes/{ci}')}`; in GitHub Actions use "
                  "actions/checkout with `fetch-depth: 0`.")
        return None
    if branch is None:
        diags.add("HF0801", "no default branch to compare with (neither origin/HEAD, main nor master)", GIT_SPAN,
                  hint=_no_default_hint(root))
        return None
    commit = merge_base(root, branch, head.commit or "HEAD", diags)
    return SideSpec(f"merge base with {branch}", commit) if commit else None


def _no_default_hint(root: Path) -> str:
    """HF0801's hint when no default branch is found: a repository whose default is
    `trunk` or `develop` was told to name "BASE" and to fetch a branch it has. The
    branches there are beside the one checked out are named; a remote whose HEAD was
    never recorded (`git init` + `git remote add` + fetch) is told how to record it."""
    current = git_text(root, "symbolic-ref", "--quiet", "--short", "HEAD") or ""
    names = [name for name in (git_text(root, "for-each-ref", "--format=%(refname:short)", "refs/heads") or
                               "").splitlines() if name and name != current and not name.startswith("-")]
    remote = git_text(root, "for-each-ref", "--count=1", "--format=%(refname)", "refs/remotes/origin")
    hint = ("Record the remote's default branch with `git remote set-head origin --auto`, or name" if remote
            else "Name")
    if names:
        shown = ", ".join(clip(name, 40) for name in names[:5]) + (" …" if len(names) > 5 else "")
        return (f"{hint} the branch this one goes into: `foundry diff {shlex.quote(names[0])}` "
                f"(branches here: {shown}).")
    return f"{hint} the base revision: `foundry diff BASE`, or fetch the branch this one goes into first."


class Loader:
    """Loads sides, each distinct tree once (`foundry history` compares many revisions)."""

    def __init__(self, root: Path):
        self.root = root
        self._cache: dict[str, tuple[Side, Snapshot | None, tuple[Diagnostic, ...]]] = {}

    def load(self, spec: SideSpec) -> tuple[Side, Snapshot | None, tuple[Diagnostic, ...]]:
        if spec.commit is None:
            side, snap, problems = self._load(spec, self.root)
            lf = stored_with_lf(self.root, snap.files) if snap is not None else {}
            snap = _by_blob(snap, lambda rel: lf.get(rel) or working_blob_id(self.root, self.root / rel))
            return side, _as_stored(snap, self.root, lf), problems
        key = project_tree(self.root, spec.commit)
        if key not in self._cache:
            diags = Diagnostics()
            with checkout(self.root, spec.commit, diags, spec.label) as revision:
                if revision is None:
                    self._cache[key] = (Side(spec.label, spec.commit, False, len(diags.errors)), None, tuple(diags.items))
                else:
                    # the checkout's own findings (a submodule, HF0163: its files are not read
                    # at this side) are the comparison's, said beside what the side's check said
                    side, snap, problems = self._load(spec, revision.path)
                    snap = _by_blob(snap, revision.unread.get)
                    self._cache[key] = (side, snap, (*diags.items, *problems))
        side, snap, problems = self._cache[key]
        return Side(spec.label, spec.commit, side.loaded, side.errors, side.warnings), snap, problems

    def _load(self, spec: SideSpec, path: Path) -> tuple[Side, Snapshot | None, tuple[Diagnostic, ...]]:
        diags = Diagnostics()
        world = check(path, diags)
        if any(d.span.path == CONFIG_NAME for d in diags.errors):
            world = None   # checked with defaults for the errors' sake; not this revision's settings to compare
        side = Side(spec.label, spec.commit, world is not None, len(diags.errors), len(diags.warnings))
        if world is not None:
            return side, snapshot(world, diags.items), ()
        return side, None, (_not_loaded(side, diags),)


def _by_blob(snap: Snapshot | None, blob_id) -> Snapshot | None:
    """`snap` with each file too large to read (its sha256 stands in as `size:N`:
    snapshot._shown_files) known by its git blob id, `blob_id(rel)`, where there is one:
    free for a revision (`Revision.unread`), one read in chunks in the working tree.
    By size alone, a 70 MB asset changed in place was "No changes to the content"."""
    if snap is None:
        return None
    sized = {rel: blob_id(rel) for rel, value in snap.files.items() if value.startswith("size:")}
    if not any(sized.values()):
        return snap
    return replace(snap, files={rel: f"blob:{sized[rel]}" if sized.get(rel) else value
                                for rel, value in snap.files.items()})


def _as_stored(snap: Snapshot | None, root: Path, lf: dict[str, str]) -> Snapshot | None:
    """The working tree's `snap` with each file git stores with LF (`stored_with_lf`:
    checked out with CRLF) known by the sha256 of the bytes git stores, as a revision's
    file written out from that blob is: a theme's CSS was "changed" on every Windows
    checkout (core.autocrlf) that nobody had touched."""
    if snap is None or not lf:
        return snap
    files = dict(snap.files)
    for rel in lf:
        if not files.get(rel, "blob:").startswith("blob:"):
            try:
                with open(root / rel, "rb", opener=_no_follow) as stream:
                    files[rel] = hashlib.sha256(stream.read(MAX_HASHED + 1).replace(b"\r\n", b"\n")).hexdigest()
            except OSError:
                continue
    return replace(snap, files=files)


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)


def _not_loaded(side: Side, diags: Diagnostics) -> Diagnostic:
    """HF0802: the side's own diagnostics are not ours to print in full; count them
    and show the first, which is usually the cause (foundry.toml)."""
    # foundry.toml's first error: the cause (a warning there, untranslated lines, is none)
    ordered = sorted((d for d in diags.sorted() if d.severity is Severity.ERROR),
                     key=lambda d: d.span.path != CONFIG_NAME)
    first = ordered[0] if ordered else None
    problems = Diagnostics()
    n = len(diags.errors)
    problems.add("HF0802", f"the content does not load at {side.title}: {n} error{'s' * (n != 1)}", GIT_SPAN,
                 hint=f"{_FIRST}{first.code} {first.span}: {first.message}{_ALL}{_check_command(side)}` lists them "
                      "all." if first else "")
    return problems.items[0]


def _check_command(side: Side) -> str:
    """The command that lists every problem of `side`, to be typed as it is: it said
    "`foundry check --ref` lists them all" (a usage error typed so) of every side, the
    working tree too."""
    return "foundry check" if side.commit is None else f"foundry check --ref {side.commit[:12]}"


_FIRST, _ALL = "first: ", "; `"


def first_error(problems: tuple[Diagnostic, ...]) -> str:
    """The first error (`HF0205 foundry.toml:10:8: …`) of a side that does not load, as
    its HF0802 among `problems` (Loader.load's third value) says it; "" when none does."""
    for d in problems:
        if d.code == "HF0802" and d.hint and d.hint.startswith(_FIRST):
            return d.hint.removeprefix(_FIRST).rpartition(_ALL + "foundry check")[0]
        if d.code == "HF0801":   # its files could not be read out (a partial clone's): why, not "does not load"
            return f"HF0801 {d.message}"
    return ""


def diff_sides(root: Path, base: SideSpec, head: SideSpec, notes: list[str] | None = None,
               loader: Loader | None = None) -> WorldDiff:
    loader = loader or Loader(root)
    base_side, base_snap, base_problems = loader.load(base)
    head_side, head_snap, head_problems = loader.load(head)
    # a finding of both sides (one submodule in each: HF0163) is said once, at the first
    problems = tuple({(d.code, d.span.path): d for d in reversed((*base_problems, *head_problems))}.values())[::-1]
    entities = compare(base_snap, head_snap) if base_snap and head_snap else ()
    stale = made_stale(base_snap.translations, head_snap.translations, head_snap.line_unknown) if base_snap and head_snap else ()
    moved = made_moved(base_snap.translations, head_snap.translations) if base_snap and head_snap else ()
    unused = made_unused(base_snap.translations, head_snap.translations, head_snap.line_unknown, moved) \
        if base_snap and head_snap else ()
    retranslated = made_retranslated(base_snap.translations, head_snap.translations, base_snap.line_unknown, moved) \
        if base_snap and head_snap else ()
    errors = new_errors(base_snap, head_snap, entities) if base_snap and head_snap else ()
    files = changed_files(*_same_theme(base_snap, head_snap)) if base_snap and head_snap else ()
    clips = made_stale_clips(base_snap.voiced, head_snap.voiced) if base_snap and head_snap else ()
    unused_clips = made_unused_clips(base_snap.voiced, head_snap.voiced, head_snap.files, head_snap.line_unknown,
                                     _unread_at(head_snap)) if base_snap and head_snap else ()
    return WorldDiff(base_side, head_side, entities, tuple(notes or ()), problems, stale,
                     unused, retranslated, errors, files, _shown_in(head_snap), moved, clips, unused_clips,
                     made_untranslated(head_snap.translations, retranslated) if head_snap else (),
                     # the other way: the base's errors the head has not
                     new_errors(head_snap, base_snap, entities) if base_snap and head_snap else ())


def _unread_at(snap) -> Callable[[str, str], bool]:
    """(language, line id) → whether `snap` has that language's translation file of
    the line but did not read it (it does not parse: l10n/stale.py States)."""
    unread = {state[0]: state[5] for state in snap.translations}
    return lambda language, line_id: line_id in unread.get(language, frozenset())


def _shown_in(snap) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Language → the languages of `snap` (its translation states) falling back to it
    (`pt` → `pt-BR`): WorldDiff.shown_in."""
    from ..l10n.tags import fallbacks
    languages = [state[0] for state in (snap.translations if snap else ())]
    found: dict[str, list[str]] = {}
    for language in languages:
        for parent in fallbacks(language, languages):
            found.setdefault(parent, []).append(language)
    return tuple((language, tuple(them)) for language, them in found.items())


def _same_theme(base: Snapshot, head: Snapshot) -> tuple[dict[str, str], dict[str, str]]:
    """The two sides' files to compare: the theme's only when both sides use the same
    one. `theme = "default"` → `"coast"` is told as that setting's change; file by file
    it was "57 theme files removed" (themes/default/ is still there, unused)."""
    if base.settings.get("project.theme") == head.settings.get("project.theme"):
        return base.files, head.files
    return ({p: h for p, h in base.files.items() if not p.startswith("themes/")},
            {p: h for p, h in head.files.items() if not p.startswith("themes/")})


def changed_files(base: dict[str, str], head: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(path, added | removed | changed) of each file in either map (path → sha256)
    whose bytes differ, by path."""
    return tuple((path, "added" if path not in base else "removed" if path not in head else "changed")
                 for path in sorted(base.keys() | head.keys()) if base.get(path) != head.get(path))


def new_errors(base: Snapshot, head: Snapshot, entities) -> tuple[tuple[str, str, str], ...]:
    """Errors of the head that the base does not have, (code, file, words) (given the
    other way round, the errors the head fixed), but those
    an entity's change says already (a story's analysis finding that appeared, a file
    that does not load): a character renamed breaks every relationship and story that
    names it by its old id, in files the pull request never touched."""
    shown = {(i.subject, e.path, i.note) for e in entities for i in e.items if i.section == "finding"}
    # counted, not a set's: a second choice 'Continue' to the unknown scene 'nowhere' in
    # a story whose base had one is the same words, and it was no new error (and
    # --fail-on-new-errors passed it)
    before = Counter((code, path, _placeless(message)) for code, path, message in base.problems)
    exact = Counter(base.problems)
    rest = []    # the head's errors the base has not in the same words (each of the base's taken once)
    for p in head.problems:
        if exact[p]:
            exact[p] -= 1
            before[p[0], p[1], _placeless(p[2])] -= 1
        else:
            rest.append(p)
    new = []     # then those the base has but at another line ("first at line 34")
    for p in rest:
        if before[p[0], p[1], _placeless(p[2])] > 0:
            before[p[0], p[1], _placeless(p[2])] -= 1
        elif p not in shown:
            new.append(p)
    return tuple(sorted(new))


def _placeless(message: str) -> str:
    """An error's words without the line numbers they quote ("scene id 'wait' is used
    twice (first at line 34)"): a paragraph added above moves an old error, it is not
    a new one. Only a number the message itself places ("at line 34)", "on line 7:"),
    not one in the writer's words it quotes: a second choice 'Read line 5' to an unknown
    scene, beside the base's 'Read line 4', was taken for the old error moved."""
    return _LINE_NUMBER.sub(r"\1 #", message)


_LINE_NUMBER = re.compile(r"\b((?:at|on) lines?) \d+(?:[–-]\d+)?(?=[):,]|$)")
