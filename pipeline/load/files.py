"""Finding and reading the project's content files.

Discovery is sorted so every later stage (and every output) sees files in the same
order on every machine. Reading decodes strictly: a file that is not UTF-8 text is a
diagnostic, never a crash or a mangled build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..confine import Boundary, Refused, boundary, refuse
from ..diagnostics import Diagnostics, Span, clip
from .byte_reads import note
from .editor_files import is_editor_temp
from .encoding import bom_encoding, report_not_text, report_utf16_without_mark, utf16_without_mark
from .conflicts import report_conflicts
from .line_ends import HINT as LONE_CR_HINT, as_git_stores
from .hygiene import file_name_problem, report_special
from ..ids import ANY_ID, WINDOWS_DEVICE_NAMES, is_id, spell_id
from .places import (FORMATS, KIND_DIRS, PASSIVE_DIRS, PLACES, Place, folders_named_like_files, id_line_too, ids_listed,
                     told_ids)

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One file's text. `path` is relative to the project root, POSIX style; `sha256`
    is the hash of its bytes, which is all a query's key (pipeline/queries.py), the
    parse cache's key and an output's record ever read of it.

    A file the build hashed already, by its stat (load/hash_memo.py, the no-op
    fingerprint: engine/sources.py) and whose parse is cached under that hash, is
    made with `SourceFile.settled`: its text is read only if a stage asks for it (a
    diagnostic showing a line, a story's title checked again), not 10,000 times per
    build. Equal when path and hash are.

    `lf_sha256`: the file's `content_hash` when its bytes hold a CR LF (`text_sha256`),
    "" when they hold none (it is then `sha256`), None while not known (a settled file
    whose text was not read yet): `content_sha256` answers all three."""

    path: str
    _text: str | None = field(repr=False, compare=False)
    sha256: str
    _where: Path | None = field(default=None, repr=False, compare=False)   # the file, for a text read later
    lf_sha256: str | None = field(default="", repr=False, compare=False)

    @classmethod
    def settled(cls, path: str, sha256: str, where: Path) -> "SourceFile":
        """The file at `where` (the project root joined with `path`), whose bytes hash
        to `sha256`, its text read on first use (see the class docstring)."""
        return cls(path, None, sha256, where, None)

    @property
    def text(self) -> str:
        note(self.path)   # a render reading the bytes, not only the value (load/byte_reads.py)
        if self._text is None:
            # The file as it is now, through the same rule as any read. Changed since it
            # was hashed (an editor saved mid-build), it is still the file's text: this
            # build is then out of date, which the next one sees by the hash (`torn`).
            found = read_text(self._where, self.path, Diagnostics()) if self._where is not None else None
            object.__setattr__(self, "_text", found.text if found is not None else "")
            object.__setattr__(self, "_torn", found is None or found.sha256 != self.sha256)
            if self.lf_sha256 is None:
                object.__setattr__(self, "lf_sha256", found.lf_sha256 if found is not None else "")
        return self._text

    @property
    def content_sha256(self) -> str:
        """The hash the manifest publishes (`content_hash`): `text_sha256` of the file's
        bytes, the same for a checkout with CR LF line ends (core.autocrlf, `eol=crlf`)
        as for the revision git stores with LF. A read of the bytes (load/byte_reads.py)."""
        if self.lf_sha256 is None:
            self.text   # noqa: B018 (reads the file: what its bytes hold)
        else:
            note(self.path)
        return self.lf_sha256 or self.sha256

    @property
    def torn(self) -> bool:
        """Whether the text read later is not the one `sha256` names (the file changed
        since it was hashed): nothing made from it may be kept under that hash."""
        return self._where is not None and self.text is not None and self.__dict__.get("_torn", False)

    def salted(self, why: str) -> "SourceFile":
        """This file under hashes of its own, both derived from its (`why`: what made it
        another thing than the file says: resolve/governance.py's published copy), its
        text and whether it was torn kept."""
        content = self.content_sha256

        def salt(digest: str) -> str:
            return hashlib.sha256(f"{digest}\0{why}".encode()).hexdigest()

        copy = dataclasses.replace(self, sha256=salt(self.sha256), lf_sha256="" if content == self.sha256 else salt(content))
        if "_torn" in self.__dict__:
            object.__setattr__(copy, "_torn", self.__dict__["_torn"])
        return copy

    def memo_key(self) -> str:
        """What a query handed this text depends on (pipeline/queries.py)."""
        return f"{self.path}:{self.sha256}"

    @property
    def lines(self) -> list[str]:
        # LF only, like YAML and Markdown; a final newline ends the last line, it does
        # not start another (as str.splitlines counts them). Made once; a property, not
        # a cached_property, so that each use is noted as a read of the bytes (`text`)
        found = self.__dict__.get("_lines")
        if found is None:
            text = self.text[:-1] if self.text.endswith("\n") else self.text
            found = self.__dict__["_lines"] = [line.removesuffix("\r") for line in text.split("\n")]
        else:
            note(self.path)
        return found

    def line(self, number: int) -> str:
        lines = self.lines   # once: each use notes a read (a story's near-miss check asks every line)
        return lines[number - 1] if 0 < number <= len(lines) else ""


@dataclass(frozen=True)
class FoundFile:
    kind: str
    id: str
    path: Path
    rel: str
    # A link that leads outside the project (HF0120, reported by `discover`): never read,
    # but its id exists, so a reference to it is not reported again as unknown.
    refused: bool = False
    # The id HF0113's or HF0161's hint tells a file whose name is refused
    # (places.told_ids), read from the listing `discover` made: the names of OTHER
    # files decide it, so it is part of what a query handed this file depends on
    # (foundry serve replayed 'rename it to rook.yaml' once rook.yaml was added),
    # and listed once per kind, not once per misnamed file (each listed and sorted
    # its whole folder again: 5,000 misnamed of 10,000 heroes, ~40 s of a check).
    told: str | None = None

    def memo_key(self) -> str:
        """What a query handed this file depends on (pipeline/queries.py): where it is,
        and the id its refused name is told."""
        told = f":told={self.told}" if self.told is not None else ""
        return f"{self.kind}:{self.id}:{self.rel}{':refused' if self.refused else ''}{told}"


def discover(root: Path, diags: Diagnostics) -> list[FoundFile]:
    """Every entity file under content/, in a stable order; strays are warned about.
    A link that leads outside the project is HF0120 at the link and never read: it
    is listed with `refused` set, so that its id is known to exist (like a file that
    failed to parse) and the stories naming it get no follow-on "unknown" errors.

    Paths are handled as the text the confined walk gives (confine.py `walk`), not
    as pathlib objects: 10,000 hero files made ~60,000 Path objects, and comparing
    them (parents, `relative_to`, `is_relative_to`) cost more than listing the
    folders. The walk's paths are lexical joins of the folder asked for and each
    name, so comparing their text is comparing the paths."""
    fence = boundary(root)
    content = root / "content"
    prefix = os.fspath(root).rstrip("/") + "/"
    found: list[FoundFile] = []
    claimed: set[str] = set()
    folders: list[str] = []   # folders said once (HF0125, HF0755): their insides are not strays
    for kind, (folder, suffix) in KIND_DIRS.items():
        base = content / folder
        if not fence.lexists(base):
            continue
        if fence.resolve(base) is None:
            refuse(root, base, diags)
            claimed.add(os.fspath(base))
            # the whole folder unread: any id of this kind may be in it, so what names one
            # is not "unknown" too (ids.unread), as for one file linked out below (and a
            # folder linked to another kind's, next)
            found.append(FoundFile(kind, ANY_ID, base, f"content/{folder}", refused=True))
            continue
        if not fence.is_dir(base):
            continue
        elsewhere = _other_place(fence, fence.resolve(base), kind, folder=True)
        if elsewhere is not None:
            # `content/characters -> heroes`: every hero read as a character too
            _another_kind(root, os.fspath(base), kind, elsewhere, diags, folder=True)
            claimed.add(os.fspath(base))
            # what the writer kept as this kind is not there to read: one error, at the link
            found.append(FoundFile(kind, ANY_ID, base, f"content/{folder}", refused=True))
            # nor is each file it leads to also a stray here (HF0105 per hero): one slip
            folders.append(os.fspath(base) + "/")
            continue
        files, refused, special = _listing(fence, os.fspath(base))
        files, linked = _same_kind(fence, files, kind, os.fspath(fence.resolve(base)))
        for path, elsewhere in linked:
            # a file linked to another kind's (`characters/twin.yaml -> ../heroes/aria.yaml`):
            # one error at the link, not the other kind's every field unknown; its id exists
            _another_kind(root, path, kind, elsewhere, diags)
            claimed.add(path)
            name = os.path.basename(path)
            if _suffix(name) == suffix and file_name_problem(name) is None and not is_editor_temp(name):
                rel = path[len(prefix):] if path.startswith(prefix) else Path(path).relative_to(root).as_posix()
                found.append(FoundFile(kind, name[:-len(suffix)], Path(path), rel, refused=True))
        for path in folders_named_like_files(os.fspath(base), suffix, fence):
            name = os.path.basename(path)
            if file_name_problem(name) is not None:
                continue   # the name's slip, said once as HF0130 (hygiene.check_file_names)
            # `content/heroes/aria.yaml/`: what the writer meant as aria is missing,
            # said once here; its id exists (no "unknown hero" wherever it is named),
            # and what the folder holds is not also a stray
            rel = path[len(prefix):] if path.startswith(prefix) else Path(path).relative_to(root).as_posix()
            # a name no entity file keeps (`Rook.yaml/`, `index.yaml/`: HF0113, HF0720 once
            # followed) is told the id the walk of refused names tells it, as HF0720 is
            told = told_ids(content, kind)[1].get(f"{folder}/{name}")
            diags.add("HF0125", f"{rel} is a folder, not a file: foundry does not read it", Span(rel),
                      hint=f"An entity is one file: put a file named {f'{told}{suffix}' if told else name} here "
                           "in the folder's place, and move what the folder holds elsewhere.")
            claimed.add(path)
            folders.append(path + "/")
            if not is_editor_temp(name):
                found.append(FoundFile(kind, name[:-len(suffix)], Path(path), rel, refused=True))
        # a link out (HF0120, said here) or a FIFO in an entity's place (HF0125, said by
        # hygiene.py) is never read, but its id exists: what names it is not "unknown" too
        for path in (*refused, *special):
            name = os.path.basename(path)
            if _suffix(name) == suffix and not is_editor_temp(name):
                if path not in special:
                    refuse(root, path, diags)
                claimed.add(path)
                if file_name_problem(name) is None:
                    rel = path[len(prefix):] if path.startswith(prefix) else Path(path).relative_to(root).as_posix()
                    found.append(FoundFile(kind, name[:-len(suffix)], Path(path), rel, refused=True))
        for path in files:
            name = os.path.basename(path)
            if file_name_problem(name) is not None or is_editor_temp(name):
                continue   # reported once, as HF0130, by hygiene.check_file_names; or an editor's
            if _suffix(name) == suffix:
                rel = path[len(prefix):] if path.startswith(prefix) else Path(path).relative_to(root).as_posix()
                found.append(FoundFile(kind, name[:-len(suffix)], Path(path), rel))
                claimed.add(path)
    _warn_strays(root, content, claimed, diags, tuple(folders))
    return _told(content, found)


def _told(content: Path, found: list[FoundFile]) -> list[FoundFile]:
    """`found`, each file read whose name is refused (not an id: HF0113; a Windows device
    name: HF0161) with the id its hint tells (FoundFile.told), each kind's folders walked
    once (places.told_ids)."""
    told: dict[str, dict[str, str]] = {}
    out = []
    for file in found:
        if not file.refused and (file.id in WINDOWS_DEVICE_NAMES or not is_id(file.id)):
            if file.kind not in told:
                told[file.kind] = told_ids(content, file.kind)[1]
            named = told[file.kind].get(file.rel.removeprefix("content/"))
            if named is not None:
                file = dataclasses.replace(file, told=named)
        out.append(file)
    return out


def _other_place(fence: Boundary, real: Path | str | None, kind: str, folder: bool = False) -> Place | None:
    """The place of another kind of entity that the real path `real` (a kind's folder
    when `folder`, else a file) is, or is in; None when it is in none, or in `kind`'s."""
    if real is None:
        return None
    rel = os.path.relpath(os.fspath(real), fence.real).replace(os.sep, "/") + ("/" if folder else "")
    if not rel.startswith("content/"):
        # a folder of the project outside content/ (its heroes kept in ./templates/heroes/,
        # content/heroes a link to it) is no kind's place, whatever its name
        return None
    place = stray_place(rel)
    return place if place is not None and place.kind != kind else None


def _same_kind(fence: Boundary, files: list[tuple[str, str | None]], kind: str,
               real_base: str) -> tuple[list[str], list[tuple[str, Place]]]:
    """`files` ((path, real path) directly in `kind`'s folder, whose real path is
    `real_base`) split into the paths read as `kind` and the links among them into
    another kind's place, each with that place. A file is a link when its real path is
    not its name in the real folder: told from the walk's paths, no look at the disk."""
    kept: list[str] = []
    linked: list[tuple[str, Place]] = []
    for path, real in files:
        moved = real is not None and real != os.path.join(real_base, os.path.basename(path))
        elsewhere = _other_place(fence, real, kind) if moved else None
        if elsewhere is None:
            kept.append(path)
        else:
            linked.append((path, elsewhere))
    return kept, linked


def _another_kind(root: Path, path: str, kind: str, elsewhere: Place, diags: Diagnostics,
                  folder: bool = False) -> None:
    """HF0755 at `path`, a link in `kind`'s place (or its `folder`) into `elsewhere`,
    another kind's: each file there would be read as both kinds, each field one kind
    has and the other not an error of its own."""
    rel = Path(os.path.relpath(path, root)).as_posix()
    mine = next(p for p in PLACES if p.kind == kind)
    hint = (f"Make content/{mine.folder} a folder of its own, holding the {mine.holds}' files." if folder else
            f"Put a file of its own in content/{mine.folder}/ in the link's place: a link there may lead "
            f"only into content/{mine.folder}/.")
    diags.add("HF0755", f"{rel} is a symbolic link into content/{elsewhere.folder}/, where {elsewhere.holds} "
                        f"are kept: foundry does not read {elsewhere.holds} as {mine.holds}", Span(rel), hint=hint)


def _suffix(name: str) -> str:
    """PurePath(name).suffix, for a file name (no slash): ".yaml" of "a.yaml", nothing
    for ".yaml" or "a." — so a name ending in the suffix it returns has a stem."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _listing(fence: Boundary, base: str) -> tuple[list[tuple[str, str | None]], list[str], list[str]]:
    """The files (each with its real path), refused links and special files (a FIFO,
    socket or device, or a link to one) directly in `base`, sorted: entity folders are
    flat. (Files of one folder sort as their names do, as pathlib would sort them.)"""
    special: list[str] = []
    files, refused = fence.walk(base, hidden=True, special=special)   # a dotfile is still an (invalid) id: HF0113
    return (sorted((p, real) for p, real in files if os.path.dirname(p) == base),
            sorted(p for p in refused if os.path.dirname(p) == base),
            sorted(p for p in special if os.path.dirname(p) == base and _is_special(fence, p)))


def _is_special(fence: Boundary, path: str) -> bool:
    """Whether `path` is (or links to) something other than a file or folder: a FIFO,
    socket or device, never opened (hygiene.py says HF0125 at it, an error). A link to
    nothing is not: HF0164 is a warning, and a hero it was meant to be is missing.
    Followed as the Boundary follows it (the walk's answer), never by the system: by
    os.stat, `twin.yaml -> b\\c` (the Boundary reads `b/c`, nothing there: HF0164)
    was followed through a name `b\\c` linked out, and a device or FIFO outside the
    project made `twin` a hero that exists."""
    real = fence.resolve(path)
    if real is None:   # led out since the walk: refused where it is read
        return False
    try:
        mode = os.lstat(real).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _warn_strays(root: Path, content: Path, claimed: set[str], diags: Diagnostics,
                 inside_said: tuple[str, ...] = ()) -> None:
    fence = boundary(root)
    if not fence.is_dir(content):
        return
    passive = tuple(os.path.join(content, p) + "/" for p in PASSIVE_DIRS)
    files, refused = fence.walk(content)
    # A link that leads out is HF0120 wherever it is under content/ — a folder link in
    # heroes/ or a picture folder linked into assets/ included: "not in a place foundry
    # knows" would send the writer looking for the wrong mistake, and one confinement
    # rule names every link out the same way.
    for path in refused:
        if path not in claimed:
            refuse(root, path, diags)
    # nearly every file is claimed, or in a passive folder: only the rest become Paths
    strays = [Path(path) for path in [p for p, _ in files]
              if path not in claimed and not (path + "/").startswith(passive)
              and not (inside_said and path.startswith(inside_said))
              and not is_editor_temp(os.path.basename(path))]
    ids_of = ids_listed(root / "content")
    for path in sorted(strays):
        if any(file_name_problem(part) is not None for part in path.relative_to(content).parts):
            continue
        rel = path.relative_to(root).as_posix()
        message, hint = stray_report(rel, ids_of=ids_of)
        diags.add("HF0105", message, Span(rel), hint=hint)


def stray_place(rel: str) -> Place | None:
    """The entity place (PLACES) the project file `rel` (content/…) is in, directly or
    in a folder within it; None when it is in none."""
    inside = rel.removeprefix("content/")
    found = [p for p in PLACES if p.kind is not None and inside.startswith(p.folder + "/")]
    return max(found, key=lambda p: len(p.folder), default=None)


# Endings of text a writer may have meant as content: a stray of these is read for its kind (resolve/strays.py).
TEXT_ENDINGS = frozenset({".yaml", ".yml", ".md", ".markdown", ".txt"})
def stray_report(rel: str, looks_like: tuple[str, list[str]] | None = None,
                 ids_of: Callable[[str], set[str]] | None = None, declared: Any = None) -> tuple[str, str]:
    """(message, hint) of HF0105 for the project file `rel` that foundry does not read:
    what the folder it is in holds, and what the file would need to be. `looks_like`:
    (kind, the top-level fields that say so) when its text reads as an entity of that
    kind (resolve/strays.py tells it by the fields each kind's model declares). With
    `ids_of` (places.ids_listed: a kind → the ids its files have), the name a hint
    tells it to take is an id (ids.spell_id) no file of that kind has: `content/heroes/first-hero.yml` beside first-hero.yaml
    was told 'rename it first-hero.yaml', over the file there. `declared`: the file's
    `id:` (None without one), which a hint naming another id renames too: `index.yml`
    holding `id: index`, renamed index-2.yaml as told, was HF0106."""
    name = rel.rsplit("/", 1)[-1]
    stem = name
    while _suffix(stem).lower() in TEXT_ENDINGS:   # notes.yaml.txt: renamed notes.yaml, not notes.yaml.yaml
        stem = stem[:-len(_suffix(stem))]
    place = stray_place(rel)
    kind = looks_like[0] if looks_like is not None else place.kind if place is not None else None
    if ids_of is not None and kind is not None:
        stem = spell_id(stem, ids_of(kind), fallback="entity")
        ids_of(kind).add(stem)   # told to this stray: never to the next one too
    if place is None:
        message = f"{rel} is not read: it is not in a place foundry knows"
        act = "Move it to the place that reads it, or keep it outside content/."
    else:
        where, ending = f"content/{place.folder}/", place.endings[0]
        nested = "/" in rel[len(where):]
        message = (f"{rel} is not read: {where} holds {place.holds} as {FORMATS[ending]} ({ending}) files"
                   + (", directly in it" if nested else ""))
        if _suffix(name).lower() in TEXT_ENDINGS:
            act = (f"If it is one, move it into {where} itself" if nested else f"If it is one, rename it {stem}{ending}") \
                + "; keep anything else outside content/."
        else:   # an image, a PDF…: not an entity written in the wrong format
            # (it was "Files pages show go in content/assets/": a map moved there as told
            # is still shown by no page, only a `portrait:` is, and `![map](…)` is HF0128)
            act = ("Pictures go in content/assets/, shown as a hero's or character's `portrait:` (no page "
                   "shows one in prose); keep anything else outside content/.") + \
                (" An image here is read once a hero or character names it as its `portrait:`."
                 if place.kind in ("hero", "character") and not nested else "")
    if looks_like is None:
        if place is not None:
            return message, act
        return message, "Foundry reads " + "; ".join(
            f"content/{p.folder}/ ({p.holds}: {_endings_words(p.endings)})" for p in PLACES) + ". " + act
    kind, keys = looks_like
    folder, ending = KIND_DIRS[kind]
    front = ending == ".md" and _suffix(name).lower() not in (".md", ".markdown", ".txt", "")
    as_file = f"{stem}{ending}{id_line_too(declared, stem)}" + (
        ", its fields between two `---` lines at the top (a story is Markdown with YAML front matter)" if front else "")
    if place is not None and place.kind == kind:
        if "/" in rel[len(f"content/{folder}/"):]:
            return message, f"{looks_like_kind('It', kind, keys)}: move it into content/{folder}/ itself as {as_file}."
        return message, f"{looks_like_kind('It', kind, keys)}: rename it {as_file}."
    return message, f"{looks_like_kind('It', kind, keys)}: {kind_home(kind)}. Move it there as {as_file}."


def looks_like_kind(subject: str, kind: str, keys: list[str]) -> str:
    """"It looks like a hero (`template:`, `xp:` are fields of a hero)": what a file's
    top-level `keys` say it is (HF0202's hint of a file in the wrong folder, HF0105's
    of a file in none); the first four keys named, each clipped (they are the file's text)."""
    fields = ", ".join(f"`{clip(k, 40)}:`" for k in keys[:4]) + (", …" if len(keys) > 4 else "")
    return f"{subject} looks like a {kind} ({fields} {'is a field' if len(keys) == 1 else 'are fields'} of a {kind})"


def kind_home(kind: str) -> str:
    """"heroes live in content/heroes/ as .yaml files"."""
    place = next(p for p in PLACES if p.kind == kind)
    return f"{place.holds} live in content/{place.folder}/ as {place.endings[0]} files"


def _endings_words(endings: tuple[str, ...]) -> str:
    """"any file", ".yaml", ".opus, .ogg, .mp3 or .wav"."""
    if not endings:
        return "any file"
    return endings[0] if len(endings) == 1 else ", ".join(endings[:-1]) + " or " + endings[-1]


_TRANSLATION_SUFFIXES = (".po", ".pot", ".xliff", ".xlf")


def unread_hint(rel: str, why: str) -> tuple[str, str]:
    """(what the file is, a hint fitting it) for HF0116 at `rel`, a project file read
    as text that is not read: `why` is "size" (over the limit), "binary" or "os" (the
    system refused the read). A translation file is no place for an image, nor split
    as a story is: 'images go in content/assets/' was said of an oversized .po too."""
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"
    if why == "os":
        return "project", "Make the file readable (its permissions, or a disk that answers), or remove it."
    if rel.startswith("translations/") or rel.endswith(_TRANSLATION_SUFFIXES):
        return "translation", (
            f"A translation file holds one source file's translations, read up to {limit}: split the story it "
            "translates into smaller ones (each gets a translation file of its own)." if why == "size" else
            "Save it as a text PO file (UTF-8, as `foundry l10n extract` writes it): a compiled .mo file or a "
            "word processor's document is not read.")
    if rel.startswith("content/"):
        return "content", (
            f"A content file is read up to {limit}: split it (a long story into stories that lead into each other, "
            "a long text into shorter ones); images and other media go in content/assets/." if why == "size" else
            "Content files are text: put images, audio and other media in content/assets/ and refer to them by "
            "path (`portrait: ../assets/portraits/aria.png`).")
    return "project", (f"It is read as text up to {limit}: make it shorter." if why == "size" else
                       "It is read as text: save it again as UTF-8 text.")


def root_of(path: Path, rel: str) -> str | Path:
    """The project root of a file's `path` (the root joined with `rel`, POSIX): `path`
    less `rel`, by text when it ends so (10,000 files: pathlib's parents cost more than
    reading them), else as pathlib counts the parts."""
    full = os.fspath(path)
    return full[:-len(rel) - 1] if full.endswith("/" + rel) else Path(path).parents[len(PurePosixPath(rel).parts) - 1]


def read_text(path: Path, rel: str, diags: Diagnostics, by_mark: bool = False,
              declared: Callable[[bytes], str | None] | None = None) -> SourceFile | None:
    """The file as text, or None (with a diagnostic) when it cannot be content.
    `path` is the project root joined with `rel`; it is read under the one
    confinement rule (pipeline/confine.py). `by_mark`: a UTF-16 or UTF-32 file with
    its byte-order mark is read as the mark says (translation files: a spreadsheet's
    "Unicode text" and some XLIFF tools save UTF-16); content files are UTF-8 only
    (HF0103 names the encoding: docs/formats.md). `declared`: for a format that names
    its own encoding (a PO header's charset), the encoding the file's bytes say they are
    in, tried when they are not UTF-8."""
    root = root_of(path, rel)
    try:
        data = boundary(root).read(path, MAX_FILE_BYTES)
    except Refused as exc:
        if exc.kind == "outside":
            refuse(root, path, diags)
        elif exc.kind == "size":
            kind, hint = unread_hint(rel, "size")
            diags.add("HF0116", f"{exc.reason} for a {kind} file", Span(rel), hint=hint)
        else:   # a FIFO, socket or device: named as the tree's walk names it (hygiene.py)
            report_special(boundary(root).resolve(path), rel, diags)
        return None
    except OSError as exc:
        diags.add("HF0116", f"cannot be read: {exc.strerror}", Span(rel), hint=unread_hint(rel, "os")[1])
        return None
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff"
    if wide and not by_mark:
        # UTF-16/32 with its byte-order mark: the editor saved it so. Named as such
        # (HF0103), not as a binary file for the NULs its plain letters hold
        report_not_text(rel, data, diags)
        return None
    if b"\x00" in data and not wide:
        if utf16_without_mark(data):
            report_utf16_without_mark(rel, diags)
        else:
            _report_nul(rel, data, diags)
        return None
    try:
        text = data.decode(bom_encoding(data)[0] if wide else "utf-8")   # type: ignore[index]
    except UnicodeDecodeError:
        text = _as_declared(data, declared) if declared is not None and not wide else None
        if text is None:
            if wide:
                diags.add("HF0103", "the file begins with a UTF-16 or UTF-32 byte-order mark but is not that text",
                          Span(rel, 1, 1))
            else:
                report_not_text(rel, data, diags)   # each line holding bad bytes, and what they likely are
            return None
    if wide and "\x00" in text:
        diags.add("HF0116", "looks like a binary file, not text", Span(rel), hint=unread_hint(rel, "binary")[1])
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text and "\n" not in text:
        # Every line ends with a CR alone (old Mac editors): YAML and Markdown see lines
        # that git, editors and our line numbers do not (a story "had no front matter",
        # a hero's errors were all on line 1, column 200). One error, the file unread;
        # a stray CR in a file of LF lines is HF0131 where it is (load/hygiene.py).
        diags.add("HF0131", "every line of this file ends with a carriage return alone (old Mac line endings)",
                  Span(rel, 1, text.index("\r") + 1),
                  hint=LONE_CR_HINT)
        return None
    if not text.strip():
        diags.add("HF0104", "the file is empty", Span(rel, 1, 1))
        return None
    if report_conflicts(rel, text, diags):   # a merge left both sides in it: neither is read (load/conflicts.py)
        return None
    return SourceFile(rel, text, hashlib.sha256(data).hexdigest(), lf_sha256=text_sha256(data) if b"\r\n" in data else "")


def text_sha256(data: bytes) -> str:
    """The sha256 (hex) of a text file's `data` as git stores text (line_ends.py
    `as_git_stores`): YAML, Markdown and every output read a CR LF checkout and the LF
    revision alike, so the manifest's `content_hash` of an entity is the same from
    either, and from `build --ref` (docs/json-api.md). The key of a file's parse and outputs stays the hash of its
    bytes (`SourceFile.sha256`): a cache never takes one file's bytes for another's."""
    return hashlib.sha256(as_git_stores(data)).hexdigest()


def _as_declared(data: bytes, declared: Callable[[bytes], str | None]) -> str | None:
    """The bytes decoded in the encoding they declare, or None (none, or not that)."""
    encoding = declared(data)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _report_nul(rel: str, data: bytes, diags: Diagnostics) -> None:
    """HF0116 for a file holding NUL bytes that is not UTF-16: text with a stray NUL
    (pasted from another program) at its line and column, else a binary file. Both were
    "looks like a binary file", which sent a writer with one invisible character after
    an image (review attack10a)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        diags.add("HF0116", "looks like a binary file, not text", Span(rel), hint=unread_hint(rel, "binary")[1])
        return
    at = data.index(b"\x00")
    line_start = data.rfind(b"\n", 0, at) + 1
    span = Span(rel, data.count(b"\n", 0, at) + 1, len(data[line_start:at].decode("utf-8")) + 1)
    diags.add("HF0116", "holds a NUL character (byte 0x00), which a text file never does", span,
              hint="Delete the invisible character at this place (it often comes with text pasted "
                   "from another program); the file is not read until then.")
