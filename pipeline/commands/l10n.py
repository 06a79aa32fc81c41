"""`foundry l10n tag | extract | status`: line ids in the source, translation files
in git, and how far each language has come (docs/localization.md).

Exit codes: 0 done; 1 the content has errors (nothing written); 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import click

from ..engine.builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, comma_items, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics, clip
from ..console.terminal import echo, printable
from ..l10n.extract import carried_over, gone_elsewhere, keep_layout, merge, unchanged
from ..l10n.formats import FORMAT_OF, write_catalog
from ..l10n.pseudo import is_pseudo
from ..l10n.renamed import renamed, stray_catalogs
from ..l10n.state import MISSING, STALE, load_localization
from ..l10n.tag import tag_entry
from ..l10n.translations import find_catalog_file, link_out_on_way, refused_places, translation_path, unread_place
from ..voice.coverage import voice_coverage
from .project_write import Refusals, Unwritable, remove_file, write_file


@cli.group("l10n")
def l10n_group() -> None:
    """Localization: line ids, translation files, coverage."""


# What stops a verb that works language by language (extract, status) though it is a
# translation problem: a language in [l10n] languages that is not one (`klingon`,
# `de_DE`). `extract` wrote a translations/klingon/ folder of files for it and exited 0
# while `check` failed on it, and a translator would have filled them in.
PER_LANGUAGE = frozenset({"HF1103", "HF1152"})   # and one too long to name its folders
# And what stops `extract` alone: one line id at two places of the content (a copied
# marker, one `{id="go"}` in two scenes, HF1102). extract wrote the id twice into the
# file (two entries of one msgctxt) and exited 0; the translator filled in both, and
# one of the two translations could never be used. `tag`, which mends a copied
# marker, still runs.
EXTRACT_STOPS = PER_LANGUAGE | {"HF1102"}


def _world(root: Path, diags: Diagnostics, stopping: frozenset[str] = frozenset()):
    """The checked project, or exit 1 with the diagnostics printed: translation
    problems (HF11xx, translations/ and a `translations` that is no folder: HF0125) are
    what these verbs fix, so only content errors stop them, and the codes in `stopping`."""
    world = check(root, diags)
    if world is None or any((not d.code.startswith("HF11") or d.code in stopping)
                            and not (d.span.path + "/").startswith("translations/") for d in diags.errors):
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    return world


def _write(root: Path, rel: str, data: bytes, refused: Refusals, read: str | None, serialised: bool) -> bool:
    """Replace `rel` (a file this verb read and updates) with `data`, atomically, by
    the rule of every write into the project (project_write.py): never through a
    symbolic link on the way (a committed `translations -> /elsewhere`, judged before
    any folder is made), never over a link, FIFO, socket or device in its place.
    A refusal is noted in `refused` (said by `_refusals`, once per path that refused
    it), and the other files are still written. The file keeps its form (its byte
    order mark; a serialised file its line ends) and is written only while it holds
    the bytes the verb read, whose SHA-256 is `read` (project_write.write_file). False
    when nothing was written (refused, or the file holds `data` already)."""
    try:
        return write_file(root, rel, data, replace=True, read=read, serialised=serialised)
    except Unwritable as err:
        refused.add(err)
        return False


def _bytes_of(root: Path, rel: str) -> bytes:
    """The bytes of translation file `rel` as they are now (b"" when it cannot be read:
    the write that follows refuses it by its own rule)."""
    try:
        return (root / rel).read_bytes()
    except OSError:
        return b""


def _refusals(root: Path, refused: Refusals) -> None:
    """Say what was not written, and exit 2 (as every writing verb's HF0165): the
    writer moves it and runs the verb again."""
    if refused:
        said = Diagnostics()
        refused.report(said)
        emit(said, root, "text")
        sys.exit(EXIT_TOOL)


def _chosen(only: tuple[str, ...], languages: list[str], aside: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The `--language` values as spelled in [l10n] languages. Language tags ignore
    case (BCP 47: `DE` is `de`, `pt-br` is `pt-BR`), so each is matched without case
    and replaced by the configured spelling (the one translation files are named by);
    a usage error names any that is not configured. Each value may list languages
    separated by commas (`--language de,fr`), as build's `--only` lists outputs
    (cli.comma_items): 'de,fr not in [l10n] languages (de, fr)' was the answer.
    `aside`: tags the verb leaves out by design, by what they are (`extract --language
    en-XA` was told en-XA is "not in [l10n] languages", where it was)."""
    by_folded = {lang.casefold(): lang for lang in languages}
    if any(not lang.strip() for lang in only):   # `--language ""`: an unset shell variable, no language
        raise click.BadParameter(f"an empty value names no language; give one of [l10n] languages "
                                 f"({', '.join(languages) or 'none'})", param_hint="--language")
    only = tuple(item for value in only for item in comma_items(value, "--language", "de,fr"))
    unknown = [lang for lang in only if lang.casefold() not in by_folded]
    for lang in unknown:
        why = next((said for tag, said in (aside or {}).items() if tag.casefold() == lang.casefold()), None)
        if why is not None:
            raise click.BadParameter(f"'{printable(clip(lang, 30))}' is {why}; give one of the languages "
                                     f"translated into ({', '.join(languages) or 'none'})", param_hint="--language")
    if unknown:
        named = ", ".join(f"'{printable(clip(lang, 30))}'" for lang in unknown)
        raise click.BadParameter(f"{named} not in [l10n] languages ({', '.join(languages) or 'none'})",
                                 param_hint="--language")
    return tuple(dict.fromkeys(by_folded[lang.casefold()] for lang in only))


@l10n_group.command("tag")
@project_option
@guarded
def tag_cmd(project: str | None) -> None:
    """Write a line id (` ^l-3f2a`) after every prose paragraph that has none."""
    root = project_root(project)
    diags = Diagnostics()
    world = _world(root, diags)
    total = 0
    refused = Refusals()
    for entry in world.entries():
        tagged = tag_entry(entry)
        if tagged is None:
            continue
        if tagged.added and _write(root, tagged.path, tagged.text.encode("utf-8"), refused,
                                  entry.doc.source.sha256, serialised=False):
            echo(f"{tagged.path}: {tagged.added} line id(s) added")
            total += tagged.added
        for field in tagged.skipped:
            echo(f"{field}: not a block scalar (`key: |`); its paragraphs keep positional ids", err=True)
    echo(f"Tagged {total} paragraph(s).")
    _refusals(root, refused)
    sys.exit(EXIT_OK)


@l10n_group.command("extract")
@click.option("--format", "fmt", type=click.Choice(["po", "xliff", "csv"]), default=None,
              help="File format for new files (default: [l10n] format, else po). Existing files keep theirs.")
@click.option("--language", "only", multiple=True, help="Only these languages (`de,fr`, or the option repeated).")
@project_option
@guarded
def extract_cmd(fmt: str | None, only: tuple[str, ...], project: str | None) -> None:
    """Create or update translations/<lang>/<source>.po (.xlf, .csv: --format) for every language: new lines
    added, changed ones marked fuzzy (old source kept), removed ones marked obsolete;
    a renamed source file's translations moved to its new name (marked fuzzy)."""
    root = project_root(project)
    diags = Diagnostics()
    world = _world(root, diags, EXTRACT_STOPS)
    l10n = world.l10n or load_localization(world, diags)
    asked, fmt = fmt, fmt or world.project.config.l10n.format
    languages = [lang for lang in l10n.languages if not is_pseudo(lang) and lang != l10n.base]
    only = _chosen(only, languages, {**{lang: "the pseudo-locale, made from the source: it has no translation files"
                                        for lang in l10n.languages if is_pseudo(lang)},
                                     l10n.base: "the project's language, translated from, never into"})
    if not languages:
        echo("No languages to translate into: add `languages = [\"de\"]` under [l10n] in foundry.toml.", err=True)
        sys.exit(EXIT_TOOL)
    by_source: dict[str, list] = {}
    for line in l10n.lines:
        by_source.setdefault(line.source, []).append(line)
    skipped = []
    kept: list[str] = []   # files already there in another format than --format asked for
    written = 0
    refused = Refusals()
    # a file that says it is in another language (HF1146): rewriting it would write the
    # folder's language into its header, and the question would vanish unanswered
    other = {d.span.path for d in diags.items if d.code == "HF1146"}
    # an entry with plural forms (HF1142): rewritten, it kept msgstr[0] and lost the
    # translator's msgstr[1]… without a word, where check had said they were "ignored"
    other |= {d.span.path for d in diags.items if d.code == "HF1142"}
    # a state or fuzzy cell the format does not know (HF1151): rewritten, the tool's word
    # became `translated` or False, and what the translator's tool meant by it was gone
    other |= {d.span.path for d in diags.items if d.code == "HF1151"}
    # a file that parses but holds a slip only its translator can mend — a backslash PO
    # does not read (`\u00df`, HF1104) or a line translated twice (HF1102): rewritten, it
    # lost the backslash ('u00df', which check then passed) or the second translation
    other |= {d.span.path for d in diags.errors if d.code in ("HF1102", "HF1104")}
    current = {line.id: line.source for line in l10n.lines}
    for language in only or languages:
        moved = _renamed(root, language, by_source, l10n)
        # a paragraph moved from one file to another takes its translation along
        elsewhere = gone_elsewhere([(source, c) for source in by_source
                                    if (c := l10n.catalog(language, source)) is not None], current)
        for source, lines in by_source.items():
            old = l10n.catalog(language, source)
            place = unread_place(root, language, source)
            if place is not None:
                # its place is taken by what is not read (a link out, a FIFO, a folder): the
                # one rule of writes refuses it there (HF0165) whatever --format asked for;
                # `--format xliff` wrote a new .xlf beside a .po linked out of the project
                data = write_catalog(merge(lines, None, language, source, FORMAT_OF[Path(place).suffix],
                                           l10n.base).catalog)
                _write(root, place, data, refused, None, serialised=True)
                continue
            existing = find_catalog_file(root, language, source)
            if (old is None and existing) or existing in other:
                skipped.append(existing)   # it did not parse: rewriting it would lose its translations
                continue
            stray = moved.get(source)
            if stray is not None:   # the file's translations before it was renamed, as its old catalog
                old = replace(stray.catalog, path=translation_path(language, source, stray.catalog.format))
            merged = merge(lines, old, language, source, old.format if old else fmt, l10n.base, elsewhere)
            if asked and old is not None and old.format != asked:
                kept.append(merged.catalog.path)
            data = write_catalog(merged.catalog)
            if old is not None and stray is None and unchanged(old, merged.catalog):
                # the merge changed nothing foundry writes: the file stays as the translator's
                # tool laid it out (Poedit's or Weblate's line wrapping, memoQ's indentation,
                # a namespace prefix), where rewriting it in our layout made every entry a
                # change in git with no line added, changed or removed
                continue
            if old is not None and stray is None:
                data = keep_layout(data, _bytes_of(root, old.path), old, merged.catalog)
            if not _write(root, merged.catalog.path, data, refused, (old.sha256 or None) if old else None,
                          serialised=True):
                continue   # the same bytes already (nothing to write), or refused (said below)
            written += 1
            echo(f"{merged.catalog.path}: {merged.added} new, {merged.changed} marked fuzzy, "
                       f"{merged.obsoleted} marked obsolete")
            if stray is not None:
                _moved(root, stray, source, merged.catalog, refused)
    if kept:
        # `--format xliff` over PO files wrote nothing and said nothing: the writer
        # who asked for XLIFF was left to guess why no .xlf appeared
        echo(f"--format {asked} chooses the format of new files only: {len(kept)} existing file(s) keep "
             f"their own ({kept[0]}{', …' if len(kept) > 1 else ''}) and were updated in it", err=True)
    elif not written and not skipped and not refused:
        echo("Translation files are up to date: no line was added, changed or removed.", err=True)
    if skipped:
        # what is said at a skipped file, or at a folder holding it (a language's folder
        # linked to another's: HF0755)
        emit(Diagnostics([d for d in diags.items if d.span.path in skipped
                          or any(path.startswith(d.span.path + "/") for path in skipped)]), root, "text")
        echo(f"Not updated (fix them first): {', '.join(skipped)}", err=True)
        _refusals(root, refused)
        sys.exit(EXIT_CONTENT)
    _refusals(root, refused)
    sys.exit(EXIT_OK)


def _renamed(root: Path, language: str, by_source: dict[str, list], l10n) -> dict:
    """Source path → the stray translation file (l10n/renamed.py) it takes over in
    `language`: asked only for source files with no translation file yet."""
    new = {source: lines for source, lines in by_source.items()
           if l10n.catalog(language, source) is None and not find_catalog_file(root, language, source)}
    if not new:
        return {}
    return renamed(new, stray_catalogs(root, language, set(by_source), l10n.base))


def _moved(root: Path, stray, source: str, catalog, refused: Refusals) -> None:
    """Say what moved from `stray` into `catalog` (written), and remove the stray file:
    the new one holds each of its translations (carried over, or kept obsolete)."""
    carried = sum(1 for e in catalog.entries if e.target.strip() and not e.obsolete)
    try:
        gone = remove_file(root, stray.catalog.path, stray.data)
    except Unwritable as err:
        refused.add(err)
        gone = False
    except OSError:
        gone = False
    echo(f"{catalog.path}: {carried} translation(s) moved from {stray.catalog.path} ({stray.source} is now "
         f"{source}; the words a line keeps are marked fuzzy under its new id)"
         + (f"; {stray.catalog.path} removed" if gone else f"; {stray.catalog.path} left as it is"))


def _waiting(root: Path, language: str, by_source: dict[str, list], l10n) -> dict[str, tuple[set[str], str]]:
    """Source path → (its line ids `extract` would give a translation written under an
    old id, and where that file is when it is a renamed source file's: ` in <path>`)."""
    out = {}
    strays = _renamed(root, language, by_source, l10n)
    for source, lines in by_source.items():
        own = l10n.catalog(language, source)
        old, whence = (own, "") if own is not None else \
            (strays[source].catalog, f" in {strays[source].catalog.path}") if source in strays else (None, "")
        if old is not None and (ids := set(carried_over(lines, old))):
            out[source] = (ids, whence)
    return out


def _marked_obsolete(l10n, language: str, source: str) -> frozenset[str]:
    """The line ids whose translation `source`'s file into `language` holds marked
    obsolete (HF1147)."""
    catalog = l10n.catalog(language, source)
    return frozenset(e.id for e in catalog.entries if e.obsolete and e.target.strip()) if catalog else frozenset()


@l10n_group.command("status")
@project_option
@click.option("--language", "only", multiple=True, help="Only these languages (`de,fr`, or the option repeated).")
@guarded
def status_cmd(project: str | None, only: tuple[str, ...]) -> None:
    """Coverage per language and source file: translated, stale, missing (the
    per-file detail behind `check`'s one HF1105 per language)."""
    root = project_root(project)
    diags = Diagnostics()
    world = _world(root, diags, PER_LANGUAGE)
    l10n = world.l10n or load_localization(world, diags)
    languages = [lang for lang in l10n.languages if lang != l10n.base]
    voice = voice_coverage(l10n.lines, world.voice, [l10n.base, *(lang for lang in languages if not is_pseudo(lang))],
                           lambda language: {r.line.id: r.via for r in l10n.resolve(language)
                                             if r.via and r.status != MISSING} if l10n.fallbacks(language) else {})
    # before "no languages": `--language xx` in a project with none was that line and exit
    # 0, the value the writer typed not named (extract says it is not configured)
    only = _chosen(only, languages, {l10n.base: "the project's language, translated from, never into"})
    if not languages:
        echo("No languages configured ([l10n] languages in foundry.toml).")
        for row in voice:
            echo(row)
        sys.exit(EXIT_OK)
    unread: list[str] = []
    # translation files (or folders) that are links out of the project, or FIFOs or
    # folders in a file's place: refused there as check refuses them (HF0120, HF0125),
    # never counted as "missing" without a word
    why_not = refused_places(diags)
    links_out = list(why_not)
    by_source: dict[str, list] = {}
    for line in l10n.lines:
        by_source.setdefault(line.source, []).append(line)
    for language in only or languages:
        rows: dict[str, list[int]] = {}
        # missing lines whose words a translation under an old id holds (a scene or story
        # renamed): "17 missing" of a renamed story said its translations were lost
        waiting = {} if is_pseudo(language) else _waiting(root, language, by_source, l10n)
        # missing lines with a translation marked obsolete (HF1147): "missing" alone hid
        # that `extract` would bring them back
        obsolete: dict[str, int] = {}
        marked: dict[str, frozenset[str]] = {}   # source → its file's ids marked obsolete, read once
        # lines shown in a language it falls back to (`pt` for `pt-BR`): language → [translated,
        # stale], and per file. A pt-BR row said "4/17 translated" of a file translating none
        # of them, and a stale line shown from pt was counted as "of the translated".
        via: dict[str, list[int]] = {}
        via_in: dict[str, dict[str, int]] = {}
        missing_ids: set[str] = set()
        for r in l10n.resolve(language):
            if r.status == MISSING:
                missing_ids.add(r.line.id)
            if r.via and r.status != MISSING:
                via.setdefault(r.via, [0, 0])[r.status == STALE] += 1
                of_file = via_in.setdefault(r.line.source, {})
                of_file[r.via] = of_file.get(r.via, 0) + 1
            counts = rows.setdefault(r.line.source, [0, 0, 0])
            counts[0 if r.status not in (STALE, MISSING) else 1 if r.status == STALE else 2] += 1
            if r.status == MISSING:
                if r.line.source not in marked:
                    marked[r.line.source] = _marked_obsolete(l10n, language, r.line.source)
                if r.line.id in marked[r.line.source]:
                    obsolete[r.line.source] = obsolete.get(r.line.source, 0) + 1
        # A translation file that does not parse is not "every line missing" (the
        # translator's work is there): its lines are counted apart and its errors shown,
        # as `check` does (HF1104), so status and check agree.
        # A refused place first: a readable file of another format beside a refused link is
        # not read because of the link (HF1110 at it), and was called one that "does not parse"
        refused = {} if is_pseudo(language) else {
            source: link for source in rows if l10n.catalog(language, source) is None
            and (link := link_out_on_way(links_out, language, source))}
        broken = {} if is_pseudo(language) else {
            source: path for source in rows if source not in refused
            and l10n.catalog(language, source) is None and (path := find_catalog_file(root, language, source))}
        unread += broken.values()
        unread += refused.values()
        # and a file beside a refused one, not read because of it (HF1110 says so at it)
        unread += [path for source in refused if (path := find_catalog_file(root, language, source))]
        broken.update(refused)
        total = [sum(c[i] for source, c in rows.items() if source not in broken) for i in range(3)]
        in_broken = sum(sum(rows[source]) for source in broken)
        all_lines = sum(total) + in_broken or 1
        label = " (pseudo-locale)" if is_pseudo(language) else ""
        apart = f"; {in_broken} in translation files not read" if broken else ""
        apart += "".join("; " + " and ".join(f"{n} of the {kind}" for n, kind in zip(counts, ("translated", "stale")) if n)
                         + f" shown in '{lang}', which {language} falls back to" for lang, counts in via.items())
        echo(f"{language}{label}: {100 * total[0] // all_lines}% translated "
                   f"({total[0]} translated, {total[1]} stale, {total[2]} missing of {sum(total) + in_broken} lines{apart})")
        for source, (done, stale, missing) in sorted(rows.items()):
            if source in refused:
                echo(f"  {source}: not read, {refused[source]} {why_not[refused[source]]}")
                continue
            if source in broken:
                echo(f"  {source}: not read, {broken[source]} does not parse (below)")
                continue
            revivable = (f" ({obsolete[source]} of them translated, marked obsolete: `foundry l10n extract` "
                         "brings them back)") if source in obsolete else ""
            if waiting.get(source):
                ids, whence = waiting[source]
                n = len(ids & missing_ids)
                revivable += (f" ({n} of them translated under an old line id{whence}: `foundry l10n extract` "
                              "moves them here, marked fuzzy to confirm)") if n else ""
            shown_in = "".join(f"; {n} of them shown in '{lang}'" for lang, n in via_in.get(source, {}).items())
            echo(f"  {source}: {done}/{done + stale + missing} translated, {stale} stale, {missing} missing{revivable}"
                 f"{shown_in}")
    for row in voice:
        echo(row)
    if unread:
        emit(Diagnostics([d for d in diags.items if d.span.path in unread]), root, "text")
        sys.exit(EXIT_CONTENT)
    sys.exit(EXIT_OK)
