"""What each artifact in build/ was made from: the inputs its render actually read,
with their content hashes. Hashes, never mtimes (a git checkout resets mtimes); JSON,
never pickle (a cache file must not be able to run code). A missing or corrupt state
means "rebuild everything", never a crash and never trusting a half-written file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

STATE_FILE = ".foundry/state.json"
FORMAT = 3


@dataclass(frozen=True)
class Record:
    exporter: str
    recipe: str                    # exporter version and anything else that changes its output
    reads: dict[str, str]          # input key → content hash when rendered

    def fresh(self, exporter: str, recipe: str, hashes: dict[str, str]) -> bool:
        return (self.exporter == exporter and self.recipe == recipe
                and all(hashes.get(key, "-") == old for key, old in self.reads.items()))


@dataclass
class BuildState:
    artifacts: dict[str, Record] = field(default_factory=dict)
    sources: str = ""                                  # sources.source_fingerprint of the build
    diagnostics: list[dict] = field(default_factory=list)  # its warnings, replayed by a no-op build

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "sources": self.sources, "diagnostics": self.diagnostics, "artifacts": {
            p: {"exporter": r.exporter, "recipe": r.recipe, "reads": dict(sorted(r.reads.items()))}
            for p, r in sorted(self.artifacts.items())}}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def read_state(build_dir: Path) -> BuildState:
    try:
        data = json.loads((build_dir / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return BuildState()
        artifacts = {p: Record(str(r["exporter"]), str(r["recipe"]), {str(k): str(v) for k, v in r["reads"].items()})
                     for p, r in data["artifacts"].items() if (build_dir / p).is_file()}
        complete = len(artifacts) == len(data["artifacts"])  # a deleted output means: not a no-op
        return BuildState(artifacts, str(data.get("sources", "")) if complete else "",
                          list(data.get("diagnostics", [])))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildState()
