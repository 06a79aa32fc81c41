"""Finding and reading the translation files: `translations/<lang>/<source path>.<po|xlf|csv>`.

Files are read with the same reader as content (`load.files.read_text`), so they
follow the same confinement, size and encoding rules.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics, Span
from ..load.files import read_text
from .catalog import Catalog
from .formats import FORMAT_OF, SUFFIXES, read_catalog

FOLDER = "translations"


def translation_path(language: str, source: str, fmt: str) -> str:
    """Where the `fmt` file translating `source` into `language` lives (project-relative)."""
    return f"{FOLDER}/{language}/{source}{SUFFIXES[fmt]}"


def find_catalog_file(root: Path, language: str, source: str) -> str | None:
    """The existing translation file for `source` (any format), or None."""
    for fmt in SUFFIXES:
        rel = translation_path(language, source, fmt)
        if (root / rel).is_file():
            return rel
    return None


def load_catalogs(root: Path, languages: list[str], sources: set[str], base: str,
                  diags: Diagnostics) -> dict[tuple[str, str], Catalog]:
    """(language, source path) → its catalog, for every readable translation file.
    Files for no known source file, and language folders not configured, are HF1110."""
    out: dict[tuple[str, str], Catalog] = {}
    top = root / FOLDER
    if not top.is_dir():
        return out
    for folder in sorted(p for p in top.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in languages:
            diags.add("HF1110", f"translations for '{folder.name}', a language not in [l10n] languages",
                      Span(f"{FOLDER}/{folder.name}", 1, 1), hint=f"Add \"{folder.name}\" to `languages` under [l10n] "
                      "in foundry.toml, or remove the folder.")
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            rel = path.relative_to(root).as_posix()
            if not path.resolve().is_relative_to(root.resolve()):
                diags.add("HF1110", f"{rel} leads outside the project (a symbolic link); it is not read", Span(rel, 1, 1))
                continue
            source = rel[len(folder.name) + len(FOLDER) + 2:]
            stem, dot, suffix = source.rpartition(".")
            if not dot or "." + suffix not in FORMAT_OF or stem not in sources:
                diags.add("HF1110", f"{rel} translates no source file of the project", Span(rel, 1, 1),
                          hint="A translation file is named after its source: translations/<lang>/<source path>"
                               ".po (or .xlf, .csv). Run `foundry l10n extract`.")
                continue
            if (folder.name, stem) in out:
                diags.add("HF1110", f"{rel}: a second translation file for {stem}; "
                          f"{out[folder.name, stem].path} is the one read", Span(rel, 1, 1))
                continue
            text = read_text(path, rel, diags)
            if text is None:
                continue
            catalog = read_catalog(text.text, rel, folder.name, base, diags)
            if catalog is not None:
                out[folder.name, stem] = catalog
    return out
