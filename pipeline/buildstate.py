"""What each artifact in build/ was made from: a fingerprint of its inputs' content
hashes. Hashes, never mtimes (a git checkout resets mtimes); JSON, never pickle (a
cache file must not be able to run code). A missing or corrupt state means "rebuild
everything", never a crash and never trusting a half-written file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

STATE_FILE = ".foundry/state.json"
FORMAT = 1


@dataclass(frozen=True)
class Record:
    exporter: str
    fingerprint: str


@dataclass
class BuildState:
    artifacts: dict[str, Record] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "artifacts": {p: {"exporter": r.exporter, "fingerprint": r.fingerprint}
                                                for p, r in sorted(self.artifacts.items())}}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def read_state(build_dir: Path) -> BuildState:
    try:
        data = json.loads((build_dir / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return BuildState()
        return BuildState({p: Record(str(r["exporter"]), str(r["fingerprint"])) for p, r in data["artifacts"].items()
                           if (build_dir / p).is_file()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildState()


def fingerprint(exporter: str, version: str, inputs: frozenset[str], hashes: dict[str, str], extra: str = "") -> str:
    h = hashlib.sha256()
    h.update(f"{exporter}\0{version}\0{extra}\0".encode())
    for key in sorted(inputs):
        h.update(f"{key}={hashes.get(key, '-')}\n".encode())
    return h.hexdigest()
