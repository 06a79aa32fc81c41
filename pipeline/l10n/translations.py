"""Finding and reading the translation files: `translations/<lang>/<source path>.<po|xlf|csv>`.

Files are read with the same reader as content (`load.files.read_text`), so they
follow the same confinement, size and encoding rules.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from ..confine import boundary, refuse
from ..diagnostics import Diagnostics, Span, clip as clip_text
from ..load.files import read_text
from ..load.hygiene import report_not_a_folder
from .catalog import Catalog
from .pseudo import pseudo_named
from .formats import FORMAT_OF, SUFFIXES, declared_encoding, declared_languages, read_catalog
from .tags import as_tag, language_key, listed_as, other_language, variant_of

FOLDER = "translations"



# the source files a translation file can be named for (lines come from stories,
# heroes, characters, templates, quests and the rule book's YAML)
_SOURCE_SUFFIXES = (".md", ".yaml", ".yml")

def translation_path(language: str, source: str, fmt: str) -> str:
    """Where the `fmt` file translating `source` into `language` lives (project-relative)."""
    return f"{FOLDER}/{language}/{source}{SUFFIXES[fmt]}"


def find_catalog_file(root: Path, language: str, source: str) -> str | None:
    """The existing translation file for `source` (any format), or None."""
    for fmt in SUFFIXES:
        rel = translation_path(language, source, fmt)
        if boundary(root).is_file(root / rel):   # a link out is not a translation file here
            return rel
    return None


def unread_place(root: Path, language: str, source: str) -> str | None:
    """The first of the names `source`'s translation file into `language` may have (one
    per format) where something stands that is not read as one — a link that is
    refused (out of the project, into .git, round in a loop), a FIFO, socket, device or
    folder — else None. That is the file's place, taken: `l10n extract` writes there
    (and is refused, HF0165), in whichever format it was asked for, and a readable file
    of another format beside it is a second file, not read (`load_catalogs`, HF1110).
    Asked with `--format xliff`, extract wrote a new .xlf beside a .po linked out of the
    project (refused with `--format po`), which was then read as if the link were not
    there. A link on the way (`translations/de -> /elsewhere`) is not looked through: it
    is refused at itself, for every format. A link inside the project to nothing takes
    no place: `load_catalogs` skips it (HF0164) and reads the file beside it."""
    fence = boundary(root)
    for fmt in SUFFIXES:
        rel = translation_path(language, source, fmt)
        folder = fence.resolve((root / rel).parent)   # the real folder: the name itself is lstat'ed there
        if folder is None:
            return None
        try:
            mode = os.lstat(folder / Path(rel).name).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and fence.is_file(root / rel)):
            continue
        if stat.S_ISLNK(mode) and not fence.lexists(root / rel):
            # a link inside the project to nothing: skipped with a warning (HF0164), so
            # the file of another format beside it is the one `load_catalogs` reads; taken
            # as a place, extract refused and left that file, which check read, stale
            continue
        return rel
    return None


REFUSED = {"HF0120": "is a symbolic link that leads outside the project",
           "HF0125": "is not a regular file (HF0125)"}


def refused_places(diags: Diagnostics) -> dict[str, str]:
    """Paths under translations/ (and translations/ itself) that are never read, each
    said once where it is — a link out (HF0120), a FIFO, socket, device or folder in a file's place (HF0125) —
    → why, in a few words. Their sources' lines are "not read", never "missing"
    (`check`'s HF1105, `l10n status`): the one slip is the place, said there. A link
    is said in the words its HF0120 has (confine.refuse: out, into .git, round in a
    loop): `status` called a link into .git one that "leads outside the project"."""
    return {d.span.path: _why(d) for d in diags.items
            if d.code in REFUSED and (d.span.path == FOLDER or d.span.path.startswith(FOLDER + "/"))}


def _why(found) -> str:
    said = found.message.removeprefix(found.span.path + " ").removesuffix(": it is not read")
    return said if found.code == "HF0120" and said.startswith("is a symbolic link") else REFUSED[found.code]


def link_out_on_way(links_out: list[str], language: str, source: str) -> str | None:
    """The link out of the project (a path HF0120 was said at: a translation file or a
    folder holding it) on the way to a translation file of `source` in `language`, or None."""
    for fmt in SUFFIXES:
        path = translation_path(language, source, fmt)
        for link in links_out:
            if path == link or path.startswith(link + "/"):
                return link
    return None


def respell_hint(folder: str, written: str, meant: str, there: bool, what: str) -> str:
    """The hint for a language folder `written` (`DE`, `pt_BR`) under `folder` that
    spells the listed language `meant` otherwise (HF1110, HF1133). When `meant`'s own
    folder is `there` too, renaming onto it is no rename (`mv` puts one inside the other)
    and moving the files would write over the ones it holds of the same name: the hint
    says to bring over those it lacks and keep one of each pair. A folder named by the
    tag BCP 47 writes for a deprecated `meant` (`he/` for a listed `iw`, HF1155) is told
    to stay and the tag to be written so: "rename it to iw/" was undone by HF1155's
    "rename iw/ to he/" once followed."""
    better = _preferred_for(meant)
    if better is not None and language_key(as_tag(written)) == language_key(better):
        named = "which names this folder" if written == better else f"and rename this folder to {folder}/{better}/"
        merge = (f"; then move into {folder}/{better}/ the {what} files {folder}/{meant}/ holds that it lacks, keep "
                 f"one of each file both folders hold, and remove {folder}/{meant}/") if there else ""
        return (f"'{meant}' is a deprecated tag (HF1155): write '{better}' for it in foundry.toml, {named}{merge}.")
    if there:
        return (f"{folder}/{meant}/ is there too: move into it the {what} files it lacks, keep one of each file "
                f"both folders hold, then remove {folder}/{written}/.")
    return (f"Rename the folder to {folder}/{meant}/ (or move its files there): a language's folder is named by "
            "its tag as [l10n] languages writes it.")


def _preferred_for(tag: str) -> str | None:
    """The tag BCP 47 writes for `tag` when the registry deprecates it (`iw` → `he`), else None."""
    from .check import deprecated_tag, valid_language
    return deprecated_tag(tag) if valid_language(tag) else None


def unlisted_hint(folder: str, written: str, otherwise: str, languages: Collection[str] = ()) -> str:
    """The hint for a language folder `written` under `folder` whose language the project
    does not list (HF1110, HF1133): add its tag to [l10n] languages. A folder named as
    gettext names locales (`pt_BR`, `sr@latin`) is told the tag to add (`pt-BR`,
    `sr-Latn`) and to rename the folder: adding the name as written is HF1103.
    `otherwise`: what else to do, after "or". A folder named for a region or script of a
    language `languages` lists (`fr-FR/` as Trados names its exports, `fr` listed) is
    that language's work: told to move its files there, not to "remove the folder"."""
    from .check import translatable_language
    tag = as_tag(written)
    if not translatable_language(tag):
        # `notes/`, a name of bytes that are not UTF-8: "add it to languages" was HF1103 once followed
        return (f"'{clip_text(written, 30)}' names no language a text is translated into (a language's folder is "
                "named by its BCP 47 tag, such as de or pt-BR): rename it to the tag of the language its files are "
                f"in and add that to `languages` under [l10n] in foundry.toml, or {otherwise}.")
    covering = variant_of(written, languages)
    if covering is not None:
        return (f"Move its files to {folder}/{clip_text(covering, 30)}/ if they are in '{covering}' as listed "
                f"(a tool named the folder by region or script), or add \"{clip_text(tag, 30)}\" to `languages` "
                "under [l10n] in foundry.toml to publish it as a language of its own.")
    if tag == written:
        return f"Add \"{clip_text(written, 30)}\" to `languages` under [l10n] in foundry.toml, or {otherwise}."
    return (f"Add \"{clip_text(tag, 30)}\" to `languages` under [l10n] in foundry.toml and rename the folder to "
            f"{folder}/{clip_text(tag, 30)}/ (a language's folder is named by its BCP 47 tag), or {otherwise}.")


def load_catalogs(root: Path, languages: list[str], sources: set[str], base: str,
                  diags: Diagnostics, unread: frozenset[str] = frozenset()) -> dict[tuple[str, str], Catalog]:
    """(language, source path) → its catalog, for every readable translation file.
    Files for no known source file, and language folders not configured, are HF1110.
    `unread`: source paths that exist but did not load (their own errors say why),
    and folders (ending in `/`) refused unread, a link out: their translation files
    are left for the next build, not called strays."""
    out: dict[tuple[str, str], Catalog] = {}
    # The one confinement rule (pipeline/confine.py): a link out — a language folder
    # or a file — is HF0120 at the link, and nothing outside is listed or stat'ed.
    fence = boundary(root)
    top = root / FOLDER
    if not fence.lexists(top):
        return out
    top_real = fence.resolve(top)
    if top_real is None:
        refuse(root, top, diags)
        return out
    if not fence.is_dir(top):
        return out
    folders = []
    for entry in sorted(os.scandir(top_real), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        real = fence.resolve(top / entry.name)
        if real is None:
            refuse(root, top / entry.name, diags)
        elif entry.is_symlink() and real.parent == Path(top_real) and real.name != entry.name:
            _another_language(entry.name, real.name, diags)
        elif fence.is_dir(top / entry.name):
            folders.append(top / entry.name)
        elif entry.name in languages and os.path.lexists(real):
            # a listed language's folder that is a file (a FIFO or socket: HF0125 by the
            # walk of translations/): every translation of it was missing without a word
            # at it, the language only "not translated"
            report_not_a_folder(real if fence.is_file(real) else None, f"{FOLDER}/{entry.name}", diags,
                                linked=entry.is_symlink())
    for folder in folders:
        if folder.name not in languages and (pseudo := pseudo_named(folder.name)) is not None:
            # listed or not, it is made from the source: it was told it is "not in [l10n]
            # languages" and to add en-XA, which was there
            diags.add("HF1110", f"translations for '{folder.name}': {pseudo} is the pseudo-locale, made from the "
                      "base language's text, so none of them is used", Span(f"{FOLDER}/{folder.name}", 1, 1),
                      hint=f"Remove {FOLDER}/{clip_text(folder.name, 30)}/: the pseudo-locale needs no translation "
                           "file (docs/localization.md, \"Pseudo-localization\").")
            continue
        if folder.name not in languages and language_key(as_tag(folder.name)) == language_key(base):
            # "add en to languages" was the hint: the base language listed is HF1150
            diags.add("HF1110", f"translations for '{folder.name}', the project's language (translated from, "
                      "never into), so none of them is used", Span(f"{FOLDER}/{folder.name}", 1, 1),
                      hint=f"Remove {FOLDER}/{clip_text(folder.name, 30)}/: the {base} text is the content files "
                           "themselves; edit those.")
            continue
        if folder.name not in languages:
            meant = listed_as(folder.name, languages)
            if meant is not None:
                # `AR`, `pt_BR`: the listed language's translations, in a folder spelled otherwise
                diags.add("HF1110", f"translations for '{folder.name}': the language is listed as '{meant}', so "
                          "none of them is used", Span(f"{FOLDER}/{folder.name}", 1, 1),
                          hint=respell_hint(FOLDER, folder.name, meant, fence.lexists(top / meant), "translation"))
                continue
            diags.add("HF1110", f"translations for '{folder.name}', a language not in [l10n] languages",
                      Span(f"{FOLDER}/{folder.name}", 1, 1),
                      hint=unlisted_hint(FOLDER, folder.name, "remove the folder", languages))
            continue
        special: list[str] = []
        listed, refused = fence.walk(folder, special=special)
        files = sorted(Path(shown) for shown, _ in listed)
        reals = dict(listed)
        linked_away: set[str] = set()   # the links into another language's folder, each said once
        for path in sorted(refused):
            refuse(root, path, diags)
        in_place = _folders_in_place(root, folder, sources | {u for u in unread if not u.endswith("/")}, diags)
        # a source's translation file whose place is taken by what is refused (a link out,
        # into .git or round in a loop, HF0120; a FIFO, device or folder, HF0125), as
        # `unread_place` finds it for `l10n extract`: a readable file of another format
        # beside it is a second file, not the one read. (A link to nothing is skipped
        # with a warning, HF0164: the file beside it is read.)
        taken: dict[str, str] = {}
        refused_here = [*refused, *(p for p in special if fence.lexists(p))]
        for rel in sorted([*(Path(p).relative_to(root).as_posix() for p in refused_here),
                           *(f.rstrip("/") for f in in_place)]):
            stem, dot, suffix = rel[len(folder.name) + len(FOLDER) + 2:].rpartition(".")
            if dot and "." + suffix in FORMAT_OF and stem in sources:
                taken.setdefault(stem, rel)
        folded: set[str] = set()   # the sources' names in lower case, made when first asked
        unread_folders = tuple(u for u in unread if u.endswith("/"))
        for path in files:
            rel = path.relative_to(root).as_posix()
            if any(rel.startswith(taken) for taken in in_place):
                continue   # said once at the folder, not each file in it as a stray
            if _into_another_language(root, top_real, path, reals.get(str(path)), folder.name, linked_away, diags):
                continue
            source = rel[len(folder.name) + len(FOLDER) + 2:]
            stem, dot, suffix = source.rpartition(".")
            if dot and "." + suffix in FORMAT_OF and (stem in unread or stem.startswith(unread_folders)):
                continue
            if dot and "." + suffix in FORMAT_OF and stem not in sources and stem.endswith(_SOURCE_SUFFIXES) \
                    and stem.lower() not in (folded := folded or {s.lower() for s in sources}):
                # named as extract names one, for a source that is not there (a story
                # deleted): "run extract" was the hint, and extract leaves it, as it must
                diags.add("HF1110", f"{rel} translates {stem}, which is not in the project", Span(rel, 1, 1),
                          hint=f"If {stem} was renamed, `foundry l10n extract` moves its translations to the new "
                               "name's file (when the lines match); if it was deleted for good, delete this file "
                               "too (git keeps its history). Foundry never deletes a translator's work itself.")
                continue
            if not dot or "." + suffix not in FORMAT_OF or stem not in sources:
                diags.add("HF1110", f"{rel} translates no source file of the project", Span(rel, 1, 1),
                          hint="A translation file is named after its source: translations/<lang>/<source path>"
                               ".po (or .xlf, .csv). Run `foundry l10n extract`.")
                continue
            if stem in taken:
                diags.add("HF1110", f"{rel}: a second translation file for {stem}; {taken[stem]} stands in its "
                          "place and is not read, so neither is this one", Span(rel, 1, 1),
                          hint=f"A source has one translation file: put the file itself in place of "
                               f"{taken[stem]} (or remove what is there), and keep one of the two.")
                continue
            if (folder.name, stem) in out:
                diags.add("HF1110", f"{rel}: a second translation file for {stem}; "
                          f"{out[folder.name, stem].path} is the one read", Span(rel, 1, 1))
                continue
            # a spreadsheet may save UTF-16; a PO file may be in the charset its header names
            text = read_text(path, rel, diags, by_mark=True, declared=lambda data: declared_encoding(data, rel))
            if text is None:
                continue
            catalog = read_catalog(text.text, rel, folder.name, base, diags)
            if catalog is not None:
                catalog = replace(catalog, sha256=text.sha256, encoding=_po_encoding(text.text, text.sha256, rel))
            _check_declared(text.text, rel, folder.name, base, diags)
            if catalog is not None:
                out[folder.name, stem] = catalog
    return out


def _po_encoding(text: str, sha256: str, rel: str) -> str:
    """The charset a PO file's `text` was read in when it is the one its header names
    (not UTF-8), by the bytes' digest: "" for UTF-8 (a UTF-8 file saying ISO-8859-1 is
    UTF-8, as read_text reads it) and for any other file."""
    if not rel.endswith(".po") or text.isascii():
        return ""
    declared = declared_encoding(text.encode("utf-8"), rel)
    try:
        same = declared is not None and hashlib.sha256(text.encode(declared)).hexdigest() == sha256
    except UnicodeEncodeError:
        same = False
    return declared if same else ""


def _folders_in_place(root: Path, folder: Path, sources: set[str], diags: Diagnostics) -> list[str]:
    """HF0125 at each folder where a translation file of a source would be
    (`translations/de/content/stories/keep.md.po/`): `check` was silent while `l10n
    extract` refused to write there (HF0165), so the two verbs disagreed on what the
    project holds. Answers the folders' project-relative paths, each ending in `/`."""
    fence = boundary(root)
    found = []
    for source in sorted(sources):
        for suffix in FORMAT_OF:
            path = folder / f"{source}{suffix}"
            if fence.is_dir(path):
                rel = path.relative_to(root).as_posix()
                diags.add("HF0125", f"{rel} is a folder, not a file: foundry does not read it", Span(rel),
                          hint=f"The translations of {source} are one file: put a file named {path.name} in "
                               "the folder's place (`foundry l10n extract` writes it), and move what the folder "
                               "holds elsewhere.")
                found.append(rel + "/")
    return found


def _another_language(name: str, other: str, diags: Diagnostics) -> None:
    """HF0755 at translations/<name>, a link to another language's folder (`de -> fr`):
    its files would be read as <name>'s, each said by HF1146 (the file says it is in
    another language), one warning a file for one link, and `l10n extract` refused
    them all. Said once at the link; nothing through it is read (as a link between
    two kinds' folders of content/, load/files.py)."""
    diags.add("HF0755", f"{FOLDER}/{name} is a symbolic link into {FOLDER}/{other}/, where the translations into "
                        f"'{other}' are kept: foundry does not read them as '{name}'", Span(f"{FOLDER}/{name}"),
              hint=f"Make {FOLDER}/{name} a folder of its own (`foundry l10n extract` writes its files), or remove "
                   f"it to show '{name}' in the base language.")


def _into_another_language(root: Path, top_real, path: Path, real: str | None, language: str,
                           said: set[str], diags: Diagnostics) -> bool:
    """Whether the translation file at `path` (in `language`'s folder; `real` its real
    path) is another language's, reached through a symbolic link — the file's own
    (`fr/…/keep.md.po -> ../../../de/…/keep.md.po`) or a folder's on the way (`fr/content
    -> ../de/content`): then HF0755 once at that link, and the file is not read. Its
    German was published as French, said only by HF1146, and not at all when the file
    names no language (a PO without `Language:`, a CSV without a language column)."""
    if real is None:
        return False
    try:
        other = Path(real).relative_to(top_real).parts[0]
    except (ValueError, IndexError):
        return False
    if other == language:
        return False
    link = next((p for p in (path, *path.parents) if p.is_symlink()), path)
    rel = link.relative_to(root).as_posix()
    if rel not in said:
        said.add(rel)
        diags.add("HF0755", f"{rel} is a symbolic link into {FOLDER}/{other}/, where the translations into '{other}' "
                            f"are kept: foundry does not read them as '{language}'", Span(rel),
                  hint="Put a file of its own in the link's place (`foundry l10n extract` writes it after you remove "
                       "the link), or remove the link to show those lines in the base language.")
    return True


def _check_declared(text: str, rel: str, language: str, base: str, diags: Diagnostics) -> None:
    """HF1146 at each language the file names that is not where it is: the language it
    holds against its folder's (a French file in translations/de/, a tool exported the
    wrong language, a file copied to the wrong folder, published as German on pages
    marked `lang="de"`), the language it translates from against the project's. One rule
    for every place a format names one (formats.declared_languages): an XLIFF 1.2 file's
    second `<file target-language="de">` in the French folder was silent, as was every
    source language."""
    for found in declared_languages(text, FORMAT_OF.get("." + rel.rsplit(".", 1)[-1], "")):
        at = Span(rel, found.line, found.column)
        if found.which == "target" and other_language(found.tag, language):
            diags.add("HF1146", f"the file says it is in '{found.tag}' ({found.where}), but it is in the folder of "
                      f"'{language}': its translations are published as '{language}'", at,
                      hint=f"Move the file to translations/{as_tag(found.tag)}/ if it is in that language, "
                           f"or correct its language to '{language}' if only the {found.where} is wrong.")
        elif found.which == "source" and other_language(found.tag, base):
            diags.add("HF1146", f"the file says it translates from '{found.tag}' ({found.where}), but the project is "
                      f"written in '{base}' ([project] language)", at,
                      hint=f"Correct {found.where} to '{base}': every entry's source is the project's text, in "
                           f"'{base}'.")
