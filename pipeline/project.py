"""The project: its root, `foundry.toml` as typed settings, and path confinement."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .diagnostics import Diagnostics, Span, clip, suggestion

CONFIG_NAME = "foundry.toml"
OUTPUTS = ("json", "html", "pdf", "epub", "ink", "twee")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProjectSettings(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    authors: list[str] = []
    theme: str = Field(default="default", pattern=r"^[a-z0-9][a-z0-9-]*$")
    base_url: str = "/"


class BuildSettings(_Strict):
    outputs: list[Literal["json", "html", "pdf", "epub", "ink", "twee"]] = list(OUTPUTS)


class PrintSettings(_Strict):
    """`[print]`: a print-on-demand edition of each gamebook (build/print/stories/<id>.pdf)."""

    editions: bool = False
    # The trimmed page, as CSS `size` takes it: a name or a width and a height. Checked
    # by this pattern before it reaches the stylesheet.
    trim: str = Field(default="A5", pattern=r"^(A4|A5|A6|B5|letter|(\d{1,3}(\.\d{1,2})?(mm|cm|in) \d{1,3}(\.\d{1,2})?(mm|cm|in)))$")


class Config(_Strict):
    """Everything `foundry.toml` may say. Unknown keys are refused, so a typo never
    silently turns a setting off."""

    project: ProjectSettings
    build: BuildSettings = BuildSettings()
    print: PrintSettings = PrintSettings()
    owners: dict[str, list[str]] = {}
    teams: dict[str, list[str]] = {}


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @cached_property
    def real_root(self) -> Path:
        return self.root.resolve()

    def confine(self, path: Path) -> Path | None:
        """`path` resolved (symlinks followed) if it stays inside the project, else None."""
        try:
            resolved = path.resolve(strict=False)
        except (OSError, RuntimeError):
            return None
        return resolved if resolved.is_relative_to(self.real_root) else None


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a foundry.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_project(root: Path, diags: Diagnostics) -> Project | None:
    """Read foundry.toml; every problem in it is reported at once."""
    path = root / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        diags.add("HF0205", f"{CONFIG_NAME} cannot be read: {clip(str(exc), 80)}", Span(CONFIG_NAME))
        return None
    except tomllib.TOMLDecodeError as exc:
        diags.add("HF0205", f"TOML syntax error: {clip(str(exc), 100)}", _toml_span(str(exc)))
        return None
    try:
        return Project(root, Config.model_validate(raw))
    except ValidationError as exc:
        for err in exc.errors(include_input=False):
            _report(err, path, diags)
        return None


def _report(err: dict, path: Path, diags: Diagnostics) -> None:
    """One settings error in the writer's words, at the key (or table) it is about."""
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc)
    if err["type"] == "missing":
        diags.add("HF0205", f"setting '{where}' is required", _toml_key_span(path, loc[:-1]),
                  hint=f"Add `{loc[-1]} = …`" + (f" under [{loc[0]}]." if len(loc) > 1 else "."))
    elif err["type"] == "extra_forbidden":
        known = _known_settings(loc[:-1])
        diags.add("HF0205", f"unknown setting '{clip(where, 60)}'", _toml_key_span(path, loc),
                  hint=suggestion(str(loc[-1]), known, "Known settings here: " + ", ".join(known) + ".") or None)
    else:
        msg = err["msg"].replace("Input should", "should")
        diags.add("HF0205", f"setting '{where}' {clip(msg, 120)}", _toml_key_span(path, loc))


def _known_settings(loc: tuple) -> list[str]:
    model: type[BaseModel] | None = Config
    for part in loc:
        field = model.model_fields.get(str(part)) if model else None
        ann = field.annotation if field else None
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return list(model.model_fields) if model else []


def _toml_span(message: str) -> Span:
    m = re.search(r"line (\d+), column (\d+)", message)
    return Span(CONFIG_NAME, int(m.group(1)), int(m.group(2))) if m else Span(CONFIG_NAME, 1, 1)


def _toml_key_span(path: Path, loc: tuple) -> Span:
    """TOML has no positions in tomllib: find the key's line by reading the file."""
    names = [str(p) for p in loc if isinstance(p, str)]
    table, key = (names[0] if names else ""), (names[-1] if names else "")
    current = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
            if current == table and len(names) == 1:
                return Span(CONFIG_NAME, number, 1)
        elif current == table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return Span(CONFIG_NAME, number, line.index(key) + 1)
    return Span(CONFIG_NAME, 1, 1)
