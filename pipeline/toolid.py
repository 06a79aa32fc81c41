"""Which foundry made a cached value or an output: the released version and a digest
of the package's own code.

Outputs and caches are reused only when the same foundry made them. The version
alone does not say that: between releases (an editable install, a checkout under
development, a patched install) the code changes while `__version__` stays, and a
no-op build or a reused artifact would then show what the old code made. The digest
covers every Python module and script of the package (the default theme is an input
of the builds that read it, hashed with them), read once per process (~150 files,
a few milliseconds)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from . import __version__

_PACKAGE = Path(__file__).parent
# The site theme foundry ships (a link to themes/default in a checkout, a folder in the
# wheel). Not part of tool_id: it is an input of the pages drawn with it, hashed with them.
SHIPPED_THEME = (_PACKAGE / "exporters" / "html" / "default_theme").resolve()
_CODE_SUFFIXES = (".py", ".js")


@lru_cache(maxsize=1)
def tool_id() -> str:
    """`"<version>+<12 hex digits>"`: changes with the release and with any change to
    the package's code. Raises nothing: an unreadable module counts by its name only."""
    h = hashlib.sha256()
    for path in code_files():
        h.update(Path(path).relative_to(_PACKAGE).as_posix().encode() + b"\0")
        try:
            h.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            pass
    # and which YAML parser this PyYAML has: without libyaml it reads some files otherwise
    # (load/yaml.py say_parser), so rows, memos and outputs made with one are not the other's
    h.update(f"yaml:{yaml_parser()}".encode())
    return f"{__version__}+{h.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def yaml_parser() -> str:
    """"libyaml" when PyYAML here has its libyaml extension (yaml/_yaml*.so), else "pure",
    looked for without importing yaml (the no-op build imports none of the parsing). A
    setting of every check and build too (engine/checked.py, builder.py): their no-op
    answers remember tool_id by the code's stats, which PyYAML's rebuild leaves alone."""
    import importlib.util
    spec = importlib.util.find_spec("yaml")
    folders = spec.submodule_search_locations if spec is not None else None
    found = any(name.startswith("_yaml.") for folder in folders or () for name in os.listdir(folder))
    return "libyaml" if found else "pure"


@lru_cache(maxsize=1)
def writer_tag() -> str:
    """This foundry's tag: 16 hex digits of its `tool_id`, the start of every key of the
    parse table (load/cache.py `key_of`, queries.py's rows), so that one foundry's rows
    are one range of keys, kept or dropped together."""
    return hashlib.sha256(tool_id().encode()).hexdigest()[:16]


def code_files() -> list[str]:
    """The files `tool_id` hashes, in its order: the package's modules and scripts
    (absolute paths). For a caller that remembers the id by these files' stats
    (engine/sources.py)."""
    found = []
    for parent, dirs, names in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "default_theme"))
        found += [os.path.join(parent, name) for name in sorted(names) if name.endswith(_CODE_SUFFIXES)]
    return found
