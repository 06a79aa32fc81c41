"""Sharded builds: N machines each render a deterministic part of what is stale, and
one merge assembles the parts into the build/ one machine would have made.

    foundry build --shard 2/3        plan as usual, render part 2 of the stale artifacts,
                                     write it to build-shards/2-of-3/ (build/ untouched)
    foundry build --merge DIR…       plan as usual, take every stale artifact from the
                                     shard that rendered it, write build/ and its state

Every machine loads the same commit and plans the same artifacts; what is stale
depends on the build/ it starts from, so every shard and the merge must start from
the same one (CI restores one cache for all of them: docs/ci.md). The split is
decided by the stale artifacts alone — their paths and `Planned.weight` — never by
the machine, its core count or the order files were listed in: heaviest first, each
to the least loaded shard (ties: the lower index), so one book per shard before any
shard gets a second.

A shard folder:

    build-shards/2-of-3/
      shard.json     sealed manifest (pipeline/seal.py): which shard, the plan it was
                     cut from, and per artifact the sha256 of its bytes, the inputs
                     its render read and the problems it found
      files/<path>   the bytes of each artifact this shard rendered

The merge reads shard folders as untrusted input (a pull request can commit one; an
artifact store can hand back anything): a manifest is used only when its seal
verifies with this machine's key (FOUNDRY_SEAL_KEY in CI), every file is read under
the confinement rule and must hash to what the manifest says, and the merge checks
that the shards were cut from exactly the plan it made itself. From there on the
merge is an ordinary build whose renders come from the shards, so its build/ and its
build state are byte for byte those of one unsharded build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import seal
from ..confine import Refused, boundary, link_out, make_folders, refuse, remove_tree
from ..diagnostics import Diagnostic, Diagnostics, Severity, Span, all_codes
from ..epoch import source_date
from ..render.pool import Job, Result, render_all
from ..write.state import STATE_FILE, SUMMARY_FILE
from ..toolid import tool_id

SHARDS_DIR = "build-shards"        # beside build/, in the project root
MANIFEST = "shard.json"
FILES = "files"
FORMAT = 1
MAX_SHARDS = 256
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
MAX_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024
_SPEC = re.compile(r"([0-9]{1,4})/([0-9]{1,4})")
_KNOWN = frozenset(info.code for info in all_codes())


@dataclass(frozen=True)
class ShardSpec:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @property
    def name(self) -> str:
        """The shard's folder name: `2-of-3`."""
        return f"{self.index}-of-{self.count}"


def parse_spec(text: str) -> ShardSpec | str:
    """`I/N` → ShardSpec, or why it is not one (a sentence for a usage error)."""
    match = _SPEC.fullmatch(text.strip())
    if match is None:
        return f"{text!r} is not I/N (shard I of N, e.g. 2/3)"
    index, count = int(match[1]), int(match[2])
    if count < 1 or count > MAX_SHARDS:
        return f"N must be 1 to {MAX_SHARDS}, not {count}"
    if not 1 <= index <= count:
        return f"I must be 1 to {count} (shards are counted from 1), not {index}"
    return ShardSpec(index, count)


def split(jobs: list[Job], count: int) -> list[list[Job]]:
    """The stale jobs cut into `count` parts of nearly equal weight (longest job first,
    each to the least loaded part). Depends on the jobs' paths and weights only."""
    parts: list[list[Job]] = [[] for _ in range(count)]
    loads = [0] * count
    for job in sorted(jobs, key=lambda j: (-j.item.weight, j.item.path)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        parts[lightest].append(job)
        loads[lightest] += max(1, job.item.weight)
    return parts


def plan_id(plans: list, hashes: dict[str, str], recipes: dict[str, str]) -> str:
    """One hash of what a build would make: every planned artifact (exporter, path,
    weight), the content hash of every input (so the commit, foundry.toml, the rules
    and the theme) and every exporter's recipe (foundry's code included)."""
    data = {"plan": [[e.name, item.path, item.weight] for e, item in plans],
            "inputs": sorted(hashes.items()), "recipes": sorted(recipes.items())}
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def stale_id(jobs: list[Job]) -> str:
    """One hash of which artifacts were stale: what the build/ a shard started from decided."""
    return hashlib.sha256("\n".join(sorted(j.item.path for j in jobs)).encode()).hexdigest()


def _diag_to_json(d: Diagnostic) -> list:
    s = d.span
    return [d.severity.value, d.code, d.message, s.path, s.line, s.column, s.end_column, d.hint]


def _diag_from_json(row: list) -> Diagnostic:
    severity, code, message, path, line, column, end, hint = row
    if not all(isinstance(v, str) for v in (code, message, path, hint)) or \
            not all(isinstance(v, int) for v in (line, column, end)) or code not in _KNOWN:
        raise ValueError("its record is malformed")
    return Diagnostic(Severity(severity), code, message, Span(path, line, column, end), hint)


@dataclass
class Settings:
    """What changes which artifacts a build plans, besides the content."""

    release: bool
    only: list[str] | None
    base_url: str | None = None   # --base-url, over foundry.toml's

    def to_json(self) -> dict:
        return {"release": self.release, "only": sorted(self.only) if self.only is not None else None} | (
            {} if self.base_url is None else {"base_url": self.base_url})

    def describe(self, data: dict) -> str:
        only, base = data.get("only"), data.get("base_url")
        return ("--release" if data.get("release") else "no --release") + \
            (f", --only {','.join(only)}" if only else ", all outputs") + \
            (f", --base-url {base}" if base else "")


class ShardRun:
    """`foundry build --shard I/N`: the builder's hooks for rendering one part."""

    writes_build = False   # its renders go to build-shards/I-of-N/, never build/ (builder.py)

    def __init__(self, spec: ShardSpec, settings: Settings):
        self.spec, self.settings = spec, settings
        self.plan = self.stale = ""
        self.stale_count = 0
        # what the manifest says of each artifact rendered here, by path: not the Result,
        # whose bytes (and list rows) a 10,000-hero shard would hold to the end
        self.rendered: dict[str, dict] = {}
        self.jobs: list[Job] = []

    def select(self, jobs: list[Job], plans: list, hashes: dict[str, str], recipes: dict[str, str]) -> list[Job]:
        """This shard's part of the stale `jobs` (in their order)."""
        self.plan, self.stale, self.stale_count = plan_id(plans, hashes, recipes), stale_id(jobs), len(jobs)
        mine = {j.item.path for j in split(jobs, self.spec.count)[self.spec.index - 1]}
        self.jobs = [j for j in jobs if j.item.path in mine]
        return self.jobs

    def render(self, *args, **kwargs) -> Iterator[Result]:
        """render_all's results (called exactly as render_all, with the jobs `select`
        returned), remembered for the manifest."""
        with closing(render_all(*args, **kwargs)) as results:   # closing stops the pool
            for result in results:
                self.rendered[result.path] = {
                    "output": hashlib.sha256(result.data).hexdigest(), "reads": sorted(result.reads),
                    "diagnostics": [_diag_to_json(d) for d in result.diagnostics]}
                yield result
                del result   # not held while the next is rendered (render_all lets go of it too)

    def staging(self, root: Path, build_dir: Path) -> "ShardWriter":
        return ShardWriter(root, build_dir, self)

    def counts(self) -> dict[str, int]:
        return {"shard": self.spec.index, "shards": self.spec.count, "stale": self.stale_count}


class ShardWriter:
    """Stands where the builder's Staging stands: artifacts go to the shard folder,
    build/ is neither read for writing nor changed, and the build state is not written
    (a shard is not a build; its manifest says what it made). `commit` seals the
    manifest and puts the folder in place in one rename."""

    def __init__(self, root: Path, build_dir: Path, run: ShardRun):
        self.root, self.build_dir, self.run = root, build_dir, run
        self.parent = root / SHARDS_DIR
        try:
            # A committed build-shards that is a link or a file would take our writes
            # elsewhere: it is removed, never written through.
            if os.path.islink(self.parent) or (os.path.lexists(self.parent) and not self.parent.is_dir()):
                remove_tree(self.parent)
            self.parent.mkdir(exist_ok=True)
            self.dir = self.parent / f".{run.spec.name}-{os.getpid()}-{secrets.token_hex(4)}"
            self.dir.mkdir()
        except OSError as exc:
            from ..write.staging import OutputError
            raise OutputError(SHARDS_DIR, exc) from None

    def write(self, rel: str, data: bytes) -> None:
        if rel in (STATE_FILE, SUMMARY_FILE):
            return
        from ..write.staging import OutputError
        target = self.dir / FILES / _clean(rel)
        try:
            make_folders(target.parent)
            target.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"{SHARDS_DIR}/{self.run.spec.name}/{FILES}/{rel}", exc) from None

    def duplicate(self, rel: str, original: str, data: bytes) -> None:
        self.write(rel, data)

    def keep(self, rel: str) -> None:
        """A fresh artifact: the merge keeps its own copy, the shard carries nothing."""

    def commit(self) -> None:
        from ..write.staging import OutputError
        run = self.run
        manifest = {"format": FORMAT, "shard": [run.spec.index, run.spec.count], "plan": run.plan,
                    "stale": run.stale, "settings": run.settings.to_json(), "tool": tool_id(),
                    "epoch": source_date(),
                    "artifacts": dict(sorted(run.rendered.items()))}
        data = (json.dumps(manifest, sort_keys=True, separators=(",", ":")) + "\n").encode()
        final = self.parent / run.spec.name
        try:
            (self.dir / MANIFEST).write_bytes(seal.seal(seal.key(self.root), MANIFEST, data))
            remove_tree(final)
            os.rename(self.dir, final)
        except OSError as exc:
            raise OutputError(f"{SHARDS_DIR}/{run.spec.name}", exc) from None

    def abort(self) -> None:
        remove_tree(self.dir)


@dataclass
class _Shard:
    folder: Path
    label: str                     # the folder as given, for messages
    index: int
    count: int
    plan: str
    stale: str
    settings: dict
    tool: str
    artifacts: dict[str, dict] = field(default_factory=dict)
    epoch: int | None | str = "unknown"   # SOURCE_DATE_EPOCH as the shard read it (None: unset)


class Merge:
    """`foundry build --merge DIR…`: the builder's hooks for taking every render from
    the shards. Problems are HF073x diagnostics; the build then stops at its gate
    with build/ unchanged."""

    def __init__(self, folders: list[Path], settings: Settings, root: Path, diags: Diagnostics):
        self.settings, self.root, self.diags = settings, root, diags
        self.shards: list[_Shard] = []
        self.owner: dict[str, _Shard] = {}
        self.jobs: list[Job] = []
        self.links_out: set[tuple[str, str]] = set()   # (shard, link) said once (`_take`)
        for folder in folders:
            shard = self._read(folder)
            if shard is not None:
                self.shards.append(shard)

    def _span(self, label: str) -> Span:
        return Span(f"{label}/{MANIFEST}")

    def _read(self, folder: Path) -> _Shard | None:
        label = folder.as_posix().rstrip("/") or "."
        # A shard folder named in the project (`--merge build-shards/*`, as CI downloads
        # them there) is the project's, read by the one rule: a link there that leads out
        # (a pull request's `build-shards/2-of-3 -> /elsewhere`) is refused at the link, as
        # `foundry import` refuses a source file so reached (Boundary.entered). It was
        # taken as the folder the user named, and the files outside it opened and merged.
        project = boundary(self.root)
        inside = project.entered(folder)
        if inside is not None and project.resolve(inside) is None:
            refuse(self.root, inside, self.diags)
            return None
        try:
            blob = boundary(folder).read(folder / MANIFEST, MAX_MANIFEST_BYTES)
        except OSError as exc:
            self.diags.add("HF0730", f"{label} is not a shard: {getattr(exc, 'reason', None) or exc.strerror or exc}",
                           self._span(label),
                           hint="Give the folders `foundry build --shard I/N` wrote (build-shards/I-of-N/).")
            return None
        data = seal.unseal(seal.key(self.root), MANIFEST, blob)
        if data is None:
            self.diags.add("HF0731", f"{label}/{MANIFEST} does not carry this machine's seal: it was changed, or "
                           "made with another key", self._span(label))
            return None
        try:
            raw = json.loads(data)
            if raw["format"] != FORMAT:
                raise ValueError("format")
            index, count = raw["shard"]
            artifacts = raw["artifacts"]
            if not (isinstance(index, int) and isinstance(count, int) and isinstance(artifacts, dict)):
                raise ValueError("shape")
            epoch = raw.get("epoch", "unknown")
            if not (epoch is None or type(epoch) is int):
                epoch = "unknown"
            return _Shard(folder, label, index, count, str(raw["plan"]), str(raw["stale"]), dict(raw["settings"]),
                          str(raw["tool"]), artifacts, epoch)
        except (ValueError, KeyError, TypeError, AttributeError):
            self.diags.add("HF0730", f"{label}/{MANIFEST} is not a shard manifest this foundry reads",
                           self._span(label), hint="Make the shards again with this version of foundry.")
            return None

    def counts(self) -> dict[str, int]:
        return {"merged_shards": len(self.shards)}

    def staging(self, root: Path, build_dir: Path):
        return None   # the builder's own: the merge writes build/

    def select(self, jobs: list[Job], plans: list, hashes: dict[str, str], recipes: dict[str, str]) -> list[Job]:
        """Check the shards against the plan this machine made; remember which shard
        holds each stale artifact. Returns `jobs` unchanged (their results come from
        `render`)."""
        self.jobs = jobs
        if not self.shards:
            return jobs   # every folder was refused: its problems are already reported
        ours, stale = plan_id(plans, hashes, recipes), stale_id(jobs)
        settings = self.settings.to_json()
        count = self.shards[0].count
        consistent = True
        for shard in self.shards:
            span = self._span(shard.label)
            if shard.settings != settings:
                self.diags.add("HF0733", f"shard {shard.index}/{shard.count} was made with "
                               f"{self.settings.describe(shard.settings)}; this merge with "
                               f"{self.settings.describe(settings)}", span,
                               hint="Merge with the options the shards were built with.")
                consistent = False
            elif shard.tool != tool_id():
                self.diags.add("HF0732", f"shard {shard.index}/{shard.count} was made by foundry {shard.tool}, "
                               f"this merge runs {tool_id()}", span,
                               hint="Build every shard and the merge with the same foundry.")
                consistent = False
            elif shard.plan != ours and shard.epoch != "unknown" and shard.epoch != source_date():
                # the same commit built at two times: the hint below ("the same commit")
                # was what the user had done; say the setting that differs, and its fix
                self.diags.add("HF0732", f"shard {shard.index}/{shard.count} was built with "
                               f"{_epoch_said(shard.epoch)}, this merge with {_epoch_said(source_date())}", span,
                               hint="Set the same SOURCE_DATE_EPOCH in every shard job and in the merge job, from "
                               "the commit: export SOURCE_DATE_EPOCH=\"$(git log -1 --format=%ct)\".")
                consistent = False
            elif shard.plan != ours:
                self.diags.add("HF0732", f"shard {shard.index}/{shard.count} was made from other content "
                               "(another commit, foundry.toml, theme or SOURCE_DATE_EPOCH)", span,
                               hint="Build every shard and the merge from the same commit.")
                consistent = False
            elif shard.stale != stale:
                self.diags.add("HF0735", f"shard {shard.index}/{shard.count} started from another build/ than "
                               "this merge (they disagree on what is stale)", span,
                               hint="Restore the same build cache in every shard job and in the merge job, or none.")
                consistent = False
            if shard.count != count:
                self.diags.add("HF0734", f"{shard.label} is shard {shard.index} of {shard.count}, the first "
                               f"folder one of {count}", span, hint="Merge the shards of one split only.")
                consistent = False
        seen: dict[int, _Shard] = {}
        for shard in self.shards:
            if shard.index in seen:
                self.diags.add("HF0734", f"shard {shard.index}/{shard.count} is given twice "
                               f"({seen[shard.index].label} and {shard.label})", self._span(shard.label),
                               hint="Give each shard folder once.")
                consistent = False
            seen.setdefault(shard.index, shard)
        missing = [i for i in range(1, count + 1) if i not in seen]
        if missing:
            names = ", ".join(f"{i}/{count}" for i in missing)
            self.diags.add("HF0734", f"shard{'s' if len(missing) > 1 else ''} {names} missing: the merge was given "
                           f"{len(seen)} of {count}", Span(SHARDS_DIR),
                           hint="Give every shard's folder (each `foundry build --shard I/N` job must have finished).")
            consistent = False
        if consistent:
            for index, part in enumerate(split(jobs, count), 1):
                for job in part:
                    self.owner[job.item.path] = seen[index]
        return jobs

    def render(self, *args, **kwargs) -> Iterator[Result]:
        """Called where render_all would be (its arguments are not needed): each stale
        artifact's result, in the order of the jobs `select` saw, read from the shard
        that rendered it; nothing when the shards did not check out (the errors stop
        the build)."""
        if len(self.owner) != len(self.jobs):
            return
        for job in self.jobs:
            yield self._take(self.owner[job.item.path], job.item.path)

    def _take(self, shard: _Shard, path: str) -> Result:
        span = Span(f"{shard.label}/{FILES}/{path}")
        entry = shard.artifacts.get(path)
        problem = None
        try:
            if not isinstance(entry, dict):
                raise ValueError("it is not in its manifest")
            reads = frozenset(str(k) for k in entry["reads"])
            diagnostics = tuple(_diag_from_json(row) for row in entry["diagnostics"])
            data = boundary(shard.folder).read(shard.folder / FILES / _clean(path), MAX_ARTIFACT_BYTES)
            if hashlib.sha256(data).hexdigest() != entry["output"]:
                raise ValueError("its bytes are not those the shard recorded")
            return Result(path, data, reads, diagnostics)
        except Refused as exc:
            problem = exc.reason
            # the folder as named, as the read named it: abspath folds `link/..` by text
            link = link_out(os.fspath(shard.folder), f"{FILES}/{_clean(path)}") if exc.kind == "outside" else ""
            if link and link != f"{FILES}/{_clean(path)}":
                # a folder of the shard linked out refuses every file under it: one
                # error at the link (it was one per file, 24 for a small site's pages);
                # the first stops the merge, the rest are left unsaid
                if (shard.label, link) in self.links_out:
                    return Result(path, b"", frozenset(), ())
                self.links_out.add((shard.label, link))
                span, problem = Span(f"{shard.label}/{link}"), f"{link} is a symbolic link that leads outside the " \
                    "shard: nothing under it is read"
        except OSError as exc:
            problem = getattr(exc, "reason", None) or exc.strerror or str(exc)
        except (ValueError, KeyError, TypeError) as exc:
            problem = str(exc) if isinstance(exc, ValueError) and str(exc).startswith(("it", "artifact")) \
                else "its record is malformed"
        diags = Diagnostics()
        diags.add("HF0736", f"shard {shard.index}/{shard.count} should hold {path}, but {problem}", span,
                  hint="Make that shard again; do not edit a shard's files.")
        return Result(path, b"", frozenset(), tuple(diags.items))


def _epoch_said(epoch: int | None) -> str:
    return "SOURCE_DATE_EPOCH unset" if epoch is None else f"SOURCE_DATE_EPOCH={epoch}"


def _clean(rel: str) -> str:
    clean = os.path.normpath(rel)
    if os.path.isabs(clean) or clean in (".", "..") or clean.startswith(".." + os.sep):
        raise ValueError(f"artifact path leaves the shard: {rel!r}")
    return clean
