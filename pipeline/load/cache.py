"""A cache of parse results (YAML documents, story scenes), keyed by a hash of all
they depend on, so an unchanged file is never parsed twice. SQLite (standard library, crash-safe) holding JSON (data, never code);
a cache that cannot be opened or read is deleted and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any


CACHE_DIR = ".foundry-cache"
FILE = "parsed.sqlite"
FORMAT = "3"


class ParseCache:
    """One table of the cache file: `parsed` (documents, scenes, derived stats) or
    `prose` (rendered Markdown, see load/markdown.py)."""

    def __init__(self, root: Path, table: str = "parsed"):
        assert table in ("parsed", "prose")
        self.table = table
        self.path = root / CACHE_DIR / FILE
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str]] = []
        self.hits = self.misses = 0
        self.preloaded: dict[str, str] = {}
        self.used: set[str] = set()
        try:
            self._open()
        except (sqlite3.Error, OSError):
            self._reset()

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        for table in ("parsed", "prose"):
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, payload TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            self.db.execute("DELETE FROM parsed")
            self.db.execute("DELETE FROM prose")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
            self.db.commit()
        # One query for everything: 10,000 single-row lookups cost more than the parsing.
        self.preloaded = dict(self.db.execute(f"SELECT key, payload FROM {self.table}"))

    def _reset(self) -> None:
        try:
            if self.db is not None:
                self.db.close()
            self.path.unlink(missing_ok=True)
            self._open()
        except (sqlite3.Error, OSError):
            self.db, self.preloaded = None, {}  # no cache at all: slower, still correct

    @staticmethod
    def key_of(*parts: object) -> str:
        """A cache key from everything the cached value depends on."""
        h = hashlib.sha256()
        for part in parts:
            h.update(str(part).encode())
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> Any | None:
        """The JSON value stored under `key`, or None."""
        payload = self.preloaded.get(key)
        self.used.add(key)
        if payload is not None:
            try:
                value = json.loads(payload)
                self.hits += 1
                return value
            except ValueError:
                pass
        self.misses += 1
        return None

    def put(self, key: str, value: Any) -> None:
        self.pending.append((key, json.dumps(value, separators=(",", ":"))))
        self.used.add(key)

    def save(self, prune: bool = True) -> None:
        """Write what this run added. `prune` (when this run looked up everything still
        alive) drops entries it did not use, if they are most of the file."""
        if self.db is None:
            return
        try:
            stale = len(set(self.preloaded) - self.used)
            if prune and stale > len(self.used):  # mostly old versions of files: keep only what this run used
                keep = [(k, v) for k, v in self.preloaded.items() if k in self.used]
                self.db.execute(f"DELETE FROM {self.table}")
                self.db.executemany(f"INSERT INTO {self.table} VALUES (?, ?)", keep)
            if self.pending:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", self.pending)
            self.db.commit()
            self.db.close()
        except sqlite3.Error:
            self._reset()
        self.pending = []
