"""The manifest's entries (build/api/v1/manifest.json `entities`, and bundle.json's
manifest): each made from its entity's kind, id, path and file hash alone. A module
with no import of the World or the contract models: engine/shown.py remakes the
entries of files whose bytes changed and whose values did not (a comment) without
loading either (~0.4 CPU-s of imports)."""

from __future__ import annotations

import orjson

# kind → the folder of its files under api/v1/ (files.py `kinds`)
FOLDERS = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories"}
# kind → the World's table of it
TABLES = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories"}


def manifest_row(kind: str, eid: str, path: str, sha256: str) -> dict:
    """`c.ManifestEntity` as a plain dict (rows.py says why) for entity `kind`/`eid`
    whose file is `path` (POSIX, under the root), with `content_hash` `sha256` (hex: the
    file's load/files.py `text_sha256`, its bytes' sha256 when they hold no CR LF)."""
    return {"kind": kind, "id": eid, "content_hash": "sha256:" + sha256,
            "source": path, "output": f"{FOLDERS[kind]}/{eid}.json"}


def manifest_fragment(kind: str, eid: str, path: str, sha256: str) -> bytes:
    """The fragment `manifest:<kind>:<eid>` as compact JSON, sorted keys: what the
    bundle places, and what `indented` makes manifest.json's entry of."""
    return orjson.dumps(manifest_row(kind, eid, path, sha256), option=orjson.OPT_SORT_KEYS)


def indented(data: bytes) -> bytes:
    """A manifest entry's fragment (compact JSON) as `dump` writes it inside the
    manifest's `entities` list: indented by two, two levels deep."""
    return orjson.dumps(orjson.loads(data), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
