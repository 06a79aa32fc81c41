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
compared with the one the last build keyed its entity by, and the summary's
fingerprint moved on. It costs about a no-op and one parse: neither the state nor
the World is read.

Nothing in the checkout is trusted: what the last build found (each file's sha256,
its entity's value, whether a record read its bytes) is a sealed file of the cache
bound to that build's state by the state file's sha256 (`keep_inputs`), which the
sealed summary names and build/ must still hold as written (write/state.py
`read_summary`); the summary it rewrites is sealed as the build's own is."""

from __future__ import annotations

import os
import stat as stat_module
from pathlib import Path

from ..diagnostics import Diagnostics
from ..load.places import KIND_DIRS
from ..write.state import BuildState, Summary

INPUTS_FILE = "build-inputs.json"   # in .foundry-cache/: the last build's files by hash, sealed
MAX_INPUTS_BYTES = 64 * 1024 * 1024
# More changed files than this is a checkout or a rename, not an edit: loaded as usual.
MAX_FILES = 32
_KINDS = {f"content/{folder}/": (kind, suffix) for kind, (folder, suffix) in KIND_DIRS.items()}


def keep_inputs(root: Path, state_sha: str, known: dict[str, str], rest: str, state: BuildState) -> None:
    """Remember, sealed in `.foundry-cache/`, for the state file whose sha256 is
    `state_sha` (`state`, just written: its `hashes` and `verified`): each project
    file (`known`, engine/sources.py) as [its sha256, the value the build keyed its
    entity by (None for a file that is no entity's), whether a record that ran read its
    bytes], and the fingerprint of everything else (`rest`): what the next build
    compares. A file apart from the parse cache: writing that one would move the stat
    its parse table is vouched for by (load/cache.py `note_unchanged`)."""
    import orjson
    from .. import seal
    from ..load.cache_folder import cache_folder
    from ..load.hash_memo import write_sealed
    folder = cache_folder(root)
    hashes, verified = state.hashes or {}, state.verified or {}
    if folder is None:
        return
    files = {}
    for rel, sha in known.items():
        entity = entity_of(rel)
        files[rel] = [sha, hashes.get(f"{entity[0]}:{entity[1]}") if entity else None, f"file:{rel}" in verified]
    write_sealed(root, folder / INPUTS_FILE, seal.key(root), INPUTS_FILE,
                 orjson.dumps({"state": state_sha, "rest": rest, "files": files}))


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


def unchanged_values(root: Path, known: dict[str, str], rest: str, summary: Summary) -> dict | None:
    """Whether the last build stands (`summary`: read_summary's, build/ as that build left
    it): every project file that changed since (`known`: each file's sha256 now; `rest`:
    the fingerprint of all else, engine/sources.py) is an entity file reached through no
    link, that parses without a problem to the value that build keyed its entity by,
    and at which that build reported nothing: then the record of its files
    (`keep_inputs`), for `move_inputs` when no record read the bytes of a changed file
    (`shows_bytes`), else for engine/shown.py. None whenever that cannot be said (the
    build then loads as usual)."""
    kept = _kept_inputs(root)
    if not (isinstance(kept, dict) and kept.get("rest") == rest and isinstance(kept.get("files"), dict)):
        return None
    files = kept["files"]
    # bound to the state it was kept with, which build/ holds (the summary's `sources` is
    # "" otherwise); a file added, removed or renamed is loaded
    if not summary.sources or kept.get("state") != summary.state or files.keys() != known.keys():
        return None
    changed = [rel for rel, sha in known.items() if not (isinstance(files[rel], list) and files[rel][:1] == [sha])]
    if not changed or len(changed) > MAX_FILES:
        return None
    said = {found.get("file") for found in summary.diagnostics if isinstance(found, dict)}
    for rel in changed:
        row = files[rel]
        if not (len(row) == 3 and isinstance(row[1], str) and isinstance(row[2], bool) and rel not in said
                and _same_value(root, rel, known[rel], row[1])):
            return None
    return kept


def shows_bytes(kept: dict, known: dict[str, str]) -> bool:
    """Whether a record of the last build read the bytes of a file that changed since
    (`kept`: what `unchanged_values` found standing; `known`: each file's sha256 now)."""
    return any(row[2] for rel, row in kept["files"].items() if row[0] != known[rel])


def move_inputs(root: Path, kept: dict, known: dict[str, str], state: str | None = None) -> None:
    """`kept` (what `unchanged_values` found standing) kept again with each file's
    sha256 now (`known`): the same values and reads, for the same state, or for the
    state file whose sha256 is `state` (engine/shown.py's, which differs from the last
    only in what shows the files' bytes)."""
    import orjson
    from .. import seal
    from ..load.cache_folder import cache_folder
    from ..load.hash_memo import write_sealed
    folder = cache_folder(root)
    if folder is not None:
        for rel, sha in known.items():
            row = kept["files"].get(rel)
            if isinstance(row, list) and row:
                row[0] = sha
        if state is not None:
            kept["state"] = state
        write_sealed(root, folder / INPUTS_FILE, seal.key(root), INPUTS_FILE, orjson.dumps(kept))


def entity_of(rel: str) -> tuple[str, str] | None:
    """(kind, id) of an entity file's path under the root, by where it lies; None for any other file."""
    folder, _, name = rel.rpartition("/")
    kind, suffix = _KINDS.get(folder + "/", (None, ""))
    if kind is None or not name.endswith(suffix) or len(name) <= len(suffix):
        return None
    return kind, name[:-len(suffix)]


def _same_value(root: Path, rel: str, sha256: str, value: str) -> bool:
    """Whether the project file `rel` (its bytes hashing to `sha256`) is an entity file,
    a regular file reached through no link, parsing with no problem to `value`
    (load/documents.py `Document.value`)."""
    from ..confine import boundary
    from ..load.documents import load_document
    from ..load.files import FoundFile
    entity = entity_of(rel)
    if entity is None:
        return False
    kind, eid = entity
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
    diags = Diagnostics()
    doc = load_document(FoundFile(kind, eid, Path(path), rel), diags)
    # a file holding CR LF publishes another hash than its bytes' (load/files.py
    # `text_sha256`), which engine/shown.py, making manifest entries from the bytes'
    # hash alone, cannot: loaded as usual
    return doc is not None and not diags.items and doc.source.sha256 == sha256 and doc.source.lf_sha256 == "" \
        and doc.value == value
