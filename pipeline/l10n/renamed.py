"""A source file renamed: its translation files follow it (`foundry l10n extract`).

A story's id is its file name, and every line id of the story starts with it
(`story.first-story.scene.road`): renaming `first-story.md` to `fog-road.md` gives
every line a new id and leaves `translations/de/content/stories/first-story.md.po`
translating no source file (HF1110), every translation in it unused. `extract` finds
the file such a stray translation file was made for — the one new source file (no
translation file of its own yet) whose lines have the most of the stray's lines (its
translations yet to be made too), the same place in the entity (`scene.road`, `l-3f2a`) with the same words — and
merges the stray into that file's new translation file as if it were the old one
(extract.py `merge`): the same words under a new id are carried over, marked fuzzy;
the rest is kept obsolete. The stray file then holds nothing the new one does not,
and is removed (only while it is as read). A stray two new files match alike, or
that matches none, is left where it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..confine import boundary
from ..diagnostics import Diagnostics
from ..load.files import MAX_FILE_BYTES, read_text
from .catalog import Catalog
from .extract import place_of
from .formats import FORMAT_OF, declared_encoding, read_catalog
from .lines import Line
from .translations import FOLDER


@dataclass(frozen=True)
class Stray:
    """A readable translation file for no source file of the project: `source` is the
    path it was made for (gone), `data` its bytes as read (removed only while unchanged)."""

    source: str
    catalog: Catalog
    data: bytes


def stray_catalogs(root: Path, language: str, sources: set[str], base: str) -> list[Stray]:
    """Every translation file in translations/<language>/ that translates no source
    file in `sources` and parses (one that does not is left alone: `check` says why)."""
    fence = boundary(root)
    folder = root / FOLDER / language
    if fence.resolve(folder) is None or not fence.is_dir(folder):
        return []
    files, _ = fence.files(folder)   # a link out is `check`'s to report (HF0120)
    out = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        source, dot, suffix = rel[len(FOLDER) + len(language) + 2:].rpartition(".")
        if not dot or "." + suffix not in FORMAT_OF or source in sources:
            continue
        quiet = Diagnostics()
        try:
            data = fence.read(path, MAX_FILE_BYTES)
        except OSError:
            continue
        text = read_text(path, rel, quiet, by_mark=True, declared=lambda data: declared_encoding(data, rel))
        catalog = read_catalog(text.text, rel, language, base, quiet) if text is not None else None
        if catalog is not None and not quiet.errors:
            out.append(Stray(source, catalog, data))
    return out


def renamed(new: dict[str, list[Line]], strays: list[Stray]) -> dict[str, Stray]:
    """New source path → the stray whose translations it takes over: each is the
    other's one best match (module docstring); a tie on either side pairs nothing."""
    shared: dict[tuple[str, int], int] = {}
    for n, stray in enumerate(strays):
        # translated or not: a file renamed before its translator started is moved too
        # (nothing of it is lost, and it is not left a stray in that language)
        written = {(place_of(e.id), e.source) for e in stray.catalog.entries if e.id}
        for source, lines in new.items():
            count = sum((place_of(line.id), line.text) in written for line in lines)
            if count:
                shared[source, n] = count
    out = {}
    for (source, n), count in shared.items():
        for_source = Counter(c for (s, _), c in shared.items() if s == source)
        for_stray = Counter(c for (_, m), c in shared.items() if m == n)
        if count == max(for_source) == max(for_stray) and for_source[count] == 1 and for_stray[count] == 1:
            out[source] = strays[n]
    return out
