"""Early cutoff before the load: a build whose changed files all parse to the values the
last build recorded, and whose bytes no output shows, is that build again.

An entity's outputs are keyed by its value (load/documents.py `Document.value`: kind,
id, path, data, body, every position), not its file's bytes (docs/performance.md
cutoff26); what shows the bytes themselves (the JSON API's manifest: each file's
`content_hash`) reads its `file:<path>` key (load/byte_reads.py). So an edit that
changes no value (a comment at the end of a hero, a trailing space, a quoting that
parses alike) makes no output stale when no output read that file's key, and the
World the build would load, validate, resolve and plan for it would render nothing
and write a state equal to the last one but for its fingerprint. This module finds
that case from the changed files alone: each one parsed (no cache), its value
compared with the one the last state recorded, and the summary's fingerprint moved
on. It costs about a no-op and one parse.

Nothing in the checkout is trusted: the values compared with are the sealed state's
(`BuildState.verified`), the last build's files by hash are a sealed cache row bound to
that very state (`keep_inputs`, beside `keep_rows`), and the summary it rewrites is
sealed as the build's own is (write/state.py)."""

from __future__ import annotations

import os
import stat as stat_module
from pathlib import Path
from typing import NamedTuple

from ..diagnostics import Diagnostics
from ..load.places import KIND_DIRS
from ..write.state import BuildState, read_state

INPUTS_FILE = "build-inputs.json"   # in .foundry-cache/: the last build's files by hash, sealed
MAX_INPUTS_BYTES = 64 * 1024 * 1024
# More changed files than this is a checkout or a rename, not an edit: loaded as usual.
MAX_FILES = 32
_KINDS = {f"content/{folder}/": (kind, suffix) for kind, (folder, suffix) in KIND_DIRS.items()}


def keep_inputs(root: Path, tag: str, known: dict[str, str], rest: str) -> None:
    """Remember, sealed in `.foundry-cache/`, the project's files by their sha256
    (`known`, engine/sources.py) and the fingerprint of everything else (`rest`) for
    the state whose seal line is `tag` (write/state.py): what the next build compares.
    A file apart from the parse cache: writing that one would move the stat its parse
    table is vouched for by (load/cache.py `note_unchanged`)."""
    import orjson
    from .. import seal
    from ..load.cache_folder import cache_folder
    from ..load.hash_memo import write_sealed
    folder = cache_folder(root)
    if folder is not None:
        write_sealed(root, folder / INPUTS_FILE, seal.key(root), INPUTS_FILE,
                     orjson.dumps({"state": tag, "rest": rest, "files": known}))


def _kept_inputs(root: Path) -> dict | None:
    """What `keep_inputs` kept, when its seal verifies; None otherwise."""
    import orjson
    from .. import seal
    from ..confine import boundary
    from ..load.cache_folder import cache_folder
    folder = cache_folder(root)
    try:
        blob = boundary(root).read(folder / INPUTS_FILE, MAX_INPUTS_BYTES) if folder is not None else b""
        data = seal.unseal(seal.key(root), INPUTS_FILE, blob)
        kept = orjson.loads(data) if data is not None else None
    except (OSError, ValueError):
        return None
    return kept if isinstance(kept, dict) else None


class Cutoff(NamedTuple):
    """`unchanged_values`' answer: the last build's state when it had to be read (for
    the build to go on with, not read twice), and whether that build stands as it is."""

    previous: BuildState | None
    same: bool


def unchanged_values(root: Path, build_dir: Path, known: dict[str, str], rest: str) -> Cutoff:
    """Whether every project file that changed since the last build (`known`: each
    file's sha256 now; `rest`: the fingerprint of all else, engine/sources.py) is an
    entity file reached through no link, that parses without a problem to the value
    the last state recorded for its entity, whose bytes no output read (its `file:`
    key is not among the state's reads), and at which the last build reported
    nothing: then that build stands. Not `same` whenever that cannot be said (the
    build loads as usual, with `previous` when it was read here)."""
    kept = _kept_inputs(root)
    if not (isinstance(kept, dict) and kept.get("rest") == rest and isinstance(kept.get("files"), dict)):
        return Cutoff(None, False)
    files = kept["files"]
    if files.keys() != known.keys():   # a file added, removed or renamed
        return Cutoff(None, False)
    changed = [rel for rel, sha in known.items() if files[rel] != sha]
    if not changed or len(changed) > MAX_FILES or not all(_entity(rel) for rel in changed):
        return Cutoff(None, False)
    previous = read_state(build_dir, listed=False)
    verified = previous.verified
    # the record is bound to the state it was kept with. Each record of an exporter that
    # ran holds under `verified`; one carried over from a build with other outputs
    # (`--only`) would be carried again as it is (builder.py `_carry_over`)
    if kept.get("state") != previous.tag or not previous.tag or verified is None:
        return Cutoff(previous, False)
    said = {found.get("file") for found in previous.diagnostics if isinstance(found, dict)}
    same = all(f"file:{rel}" not in verified and rel not in said and _same_value(root, rel, known[rel], verified)
               for rel in changed)
    return Cutoff(previous, same)


def _entity(rel: str) -> tuple[str, str] | None:
    """(kind, id) of an entity file's path under the root, by where it lies; None for any other file."""
    folder, _, name = rel.rpartition("/")
    kind, suffix = _KINDS.get(folder + "/", (None, ""))
    if kind is None or not name.endswith(suffix) or len(name) <= len(suffix):
        return None
    return kind, name[:-len(suffix)]


def _same_value(root: Path, rel: str, sha256: str, verified: dict[str, str]) -> bool:
    """Whether the project file `rel` (its bytes hashing to `sha256`) is an entity file,
    a regular file reached through no link, parsing with no problem to the value
    `verified` holds for its entity."""
    from ..confine import boundary
    from ..load.documents import load_document
    from ..load.files import FoundFile
    kind, eid = _entity(rel)
    fence = boundary(root)
    path = os.path.join(fence.root, rel)
    real = fence.resolve(path)
    try:
        regular = stat_module.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
    # the file itself, at its own path: no folder on the way is a link (nor the file)
    if not regular or real is None or os.fspath(real) != os.path.join(fence.real, rel):
        return False
    want = verified.get(f"{kind}:{eid}")
    if want is None:
        return False
    diags = Diagnostics()
    doc = load_document(FoundFile(kind, eid, Path(path), rel), diags)
    return doc is not None and not diags.items and doc.source.sha256 == sha256 and doc.value == want
