"""Finding and reading the project's content files.

Discovery is sorted so every later stage (and every output) sees files in the same
order on every machine. Reading decodes strictly: a file that is not UTF-8 text is a
diagnostic, never a crash or a mangled build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..diagnostics import Diagnostics, Span
from .hygiene import file_name_problem

MAX_FILE_BYTES = 2 * 1024 * 1024

# Where each kind of entity lives under content/, and the file ending it uses.
KIND_DIRS: dict[str, tuple[str, str]] = {
    "hero": ("heroes", ".yaml"),
    "character": ("characters", ".yaml"),
    "quest": ("quests", ".yaml"),
    "story": ("stories", ".md"),
    "template": ("templates/heroes", ".yaml"),
}
# Places that hold files but no entities of their own.
PASSIVE_DIRS = ("assets", "templates/stories")


@dataclass(frozen=True)
class SourceFile:
    """One file's text. `path` is relative to the project root, POSIX style."""

    path: str
    text: str
    sha256: str

    @cached_property
    def lines(self) -> list[str]:
        return [line.removesuffix("\r") for line in self.text.split("\n")]   # LF only, like YAML and Markdown

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


@dataclass(frozen=True)
class FoundFile:
    kind: str
    id: str
    path: Path
    rel: str


def discover(root: Path, diags: Diagnostics) -> list[FoundFile]:
    """Every entity file under content/, in a stable order; strays are warned about."""
    content = root / "content"
    found: list[FoundFile] = []
    claimed: set[Path] = set()
    for kind, (folder, suffix) in KIND_DIRS.items():
        base = content / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if file_name_problem(path.name) is not None:
                continue   # reported once, as HF0130, by hygiene.check_file_names
            if path.is_file() and path.suffix == suffix:
                found.append(FoundFile(kind, path.stem, path, path.relative_to(root).as_posix()))
                claimed.add(path)
    _warn_strays(root, content, claimed, diags)
    return found


def _warn_strays(root: Path, content: Path, claimed: set[Path], diags: Diagnostics) -> None:
    if not content.is_dir():
        return
    passive = [content / p for p in PASSIVE_DIRS]
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path in claimed or path.name.startswith("."):
            continue
        if any(file_name_problem(part) is not None for part in path.relative_to(content).parts):
            continue   # reported as HF0130
        if any(path.is_relative_to(p) for p in passive):
            continue
        rel = path.relative_to(root).as_posix()
        diags.add("HF0105", f"{rel} is not read: it is not in a place foundry knows", Span(rel))


def read_text(path: Path, rel: str, diags: Diagnostics) -> SourceFile | None:
    """The file as text, or None (with a diagnostic) when it cannot be content."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.add("HF0116", f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit for a content file", Span(rel))
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.add("HF0116", f"cannot be read: {exc.strerror}", Span(rel))
        return None
    if b"\x00" in data:
        diags.add("HF0116", "looks like a binary file, not text", Span(rel))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.add("HF0103", f"byte 0x{data[exc.start]:02x} is not UTF-8", _byte_span(rel, data, exc.start))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        diags.add("HF0104", "the file is empty", Span(rel, 1, 1))
        return None
    return SourceFile(rel, text, hashlib.sha256(data).hexdigest())


def _byte_span(rel: str, data: bytes, offset: int) -> Span:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return Span(rel, line, column)
