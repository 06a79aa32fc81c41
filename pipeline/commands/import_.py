"""`foundry import twine|ink FILE`: turn a Twine or ink story into content/stories/<id>.md.

The report lists everything that could not be carried over (HF10xx), each at its
place in the source file. Exit status: 0 imported (warnings allowed unless --strict),
1 imported with warnings under --strict, 2 nothing written (the file is not a story
of that kind, its story format is not supported, or the story file already exists).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
import stat
import sys
from pathlib import Path
from typing import NoReturn

import click

from .. import budget
from ..confine import Refused, boundary, refuse
from ..cli import EXIT_CONTENT, EXIT_OK, EXIT_TOOL, cli, emit, format_option, guarded, project_option, project_root
from ..diagnostics import EACH_SAID, Diagnostics, Span, clip
from ..load.hygiene import describe, every_problem
from ..importers import story_text
from ..importers.writer import TITLE_LIMIT, clean_line, escape_prose, written_title
from ..importers.ink import import_ink
from ..importers.names import scene_slug
from ..importers.model import NotImported
from ..importers.twine import import_twine
from ..importers.twine_source import TWINE1_ARCHIVE_HINT, twine1_archive
from ..load.encoding import bom_encoding, declared_encoding, report_not_text, report_utf16_without_mark, utf16_without_mark
from .line_ids import tag_if_required
from .project_write import Unwritable, writable
from ..ids import LIST_PAGE, spell_id
from ..load.places import taken_ids
from .scaffold import ScaffoldError, id_refusal, output_clash, output_clash_ahead, write_new
from ..console.terminal import echo

MAX_BYTES = 64 * 1024 * 1024
IMPORTERS = {"twine": import_twine, "ink": import_ink}


@cli.group("import")
def import_group() -> None:
    """Import a story from Twine (HTML or Twee 3) or ink."""


def _options(fn):
    fn = click.argument("source", type=click.Path(exists=True, dir_okay=False))(fn)
    fn = click.option("--id", "story_id", default=None,
                      help="The new story's id (default: from the story's title, or the file's name).")(fn)
    fn = click.option("--dry-run", is_flag=True, help="Print the report and what would be written; write nothing.")(fn)
    fn = click.option("--strict", is_flag=True, help="Exit 1 when anything could not be imported.")(fn)
    return guarded(format_option(project_option(fn)))


@import_group.command("twine")
@_options
@click.option("--story", "chosen", default=None, metavar="NAME",
              help="Which story of a Twine 2 archive holding several (its name in Twine's library, or its "
                   "IFID; default: the first).")
def import_twine_cmd(source: str, story_id: str | None, dry_run: bool, strict: bool, project: str | None,
                     fmt: str, chosen: str | None) -> None:
    """Import SOURCE, a Twine 2 HTML file (archive or published) or a Twee 3 file."""
    _import("twine", source, story_id, dry_run, strict, project, fmt, chosen)


@import_group.command("ink")
@_options
def import_ink_cmd(source: str, story_id: str | None, dry_run: bool, strict: bool, project: str | None,
                   fmt: str) -> None:
    """Import SOURCE, an ink story (.ink source, not compiled JSON)."""
    _import("ink", source, story_id, dry_run, strict, project, fmt)


def _import(kind: str, source: str, story_id: str | None, dry_run: bool, strict: bool, project: str | None,
            fmt: str, chosen: str | None = None) -> None:
    root = project_root(project)
    here = Path.cwd()   # code frames quote the source file as the user named it
    diags = Diagnostics()
    text = _read(Path(source), source, diags, root)
    # the frames of the source's lines come from the text read: a file the user named
    # outside the folder frames are read in (`~/Downloads/cave.twee`) had none
    known = {source: text} if text is not None else {}
    story = None
    if text is not None:
        try:
            names, skills = _hero_names(root)
            which = {"story": chosen} if chosen is not None else {}    # (twine only: an archive's story)
            story = _bounded(lambda: IMPORTERS[kind](text, source, diags, hero_names=names, skills=skills, **which),
                             source, diags)
        except NotImported:
            story = None
    if story is None:
        _refuse(diags, here, fmt, known)
    hero_file = root / "content" / "heroes" / f"{story.protagonist}.yaml"
    # asked of the boundary: a hero file linked out of the project is no hero it has
    # (HF0120), and what lies outside never decides what the story says
    if story.protagonist and not boundary(root).is_file(hero_file):
        # exported for a hero this project does not have: its names still read the
        # hero's values, whoever plays (an id is a slug: state.fixed_hero)
        story = dataclasses.replace(story, protagonist=None)
    _report_cut_title(story, source, diags)
    # a title in another script spells no id: the file's name may (`nihon-no-tabi.twee`)
    sid = spelled = story_id or scene_slug(story.title or "", fallback=scene_slug(Path(source).stem, fallback="imported"))
    if not story_id and sid == LIST_PAGE:
        # an id spelled from a title is never the stories' index page (`Index`, HF0720),
        # as it is never a device name (`Con` → `con-1`): numbered as spell_id numbers it
        sid = spell_id(sid, {LIST_PAGE})
    if refusal := id_refusal("story", sid, root):
        raise click.BadParameter(refusal, param_hint="--id")
    target = root / "content" / "stories" / f"{sid}.md"
    shown = target.relative_to(root).as_posix()
    # judged before the story is written out (a --dry-run too): a folder on the way that
    # is a symbolic link, or anything already in its place (project_write.py)
    try:
        writable(root, shown, replace=False)
    except Unwritable as err:
        err.report(diags)
        _refuse(diags, here, fmt, known)
    except FileExistsError:
        # the id the hint names is free, numbered from the one the title spells: `Index`,
        # written once as index-2.md, was told `--id index-2-2` where HF0720 says index-3
        free = spell_id(spelled, taken_ids(root / "content", "story"))
        diags.add("HF1008", f"{shown} already exists; foundry import never overwrites a file", Span(shown),
                  hint=f"Choose another id, e.g. `--id {free}`, or move the existing file away.")
        _refuse(diags, here, fmt, known)
    dropped: list[str] = []
    markdown = _bounded(lambda: story_text(story, Path(source).name, dropped), source, diags)
    if markdown is None:
        _refuse(diags, here, fmt, known)
    if controls := _SOURCE_CONTROLS.findall(text):
        # each left out by writer.clean_line before `visible` sees the text: said as its
        # refusals are (a BEL or an ESC vanished from the story without a word)
        dropped = [ch for ch in dropped if not _SOURCE_CONTROLS.fullmatch(ch)] + controls
    if dropped:
        _report_dropped(text, source, dropped, diags)
    if (too_big := _over_budget(markdown)) is not None:
        # written, it was a file `foundry check` refuses whole (HF0116, HF0143) after
        # "No problems found. Wrote …": a 20 MB passage, 60,000 passages
        diags.add("HF1013", f"the story would be {too_big}: more than a story file may hold", Span(source))
        _refuse(diags, here, fmt, known)
    extra = {"story": sid, "path": shown, "written": None if dry_run else shown,
             "scenes": len(story.scenes), "choices": sum(len(s.choices) for s in story.scenes),
             "endings": sum(1 for s in story.scenes if s.ending)}
    if dry_run:
        clash = output_clash_ahead(root, "story", sid, shown)
        if clash is not None:   # what the real import would refuse after writing (below)
            diags.extend([_with_id_hint(clash, root, sid)])
            _refuse(diags, here, fmt, known)
    else:
        try:
            write_new(target, markdown, root)
        except Unwritable as err:   # it changed since the look above
            err.report(diags)
            _refuse(diags, here, fmt, known)
        except ScaffoldError as err:   # it appeared since the look above
            diags.add("HF1008", str(err), Span(shown))
            _refuse(diags, here, fmt, known)
        # one check of the project with the story written: its HF0720, and the world
        # the tagging reads (two whole checks of the same files were half an import's time)
        clash, world = output_clash(root, target)
        if clash is not None:   # `Index` as a title: content/stories/index.md is the stories' index page
            target.unlink()     # written a moment ago; nobody wrote in it
            diags.extend([_with_id_hint(clash, root, sid)])
            _refuse(diags, here, fmt, known)
        try:
            tag_if_required(root, target, (world,))
        except Unwritable as err:   # a link put in its place since: the story stays, untagged
            err.report(diags)
    emit(diags, here, fmt, extra, known=known)
    if fmt == "text":
        verb = "Would write" if dry_run else "Wrote"
        counts = ", ".join(f"{extra[key]} {word}{'s' * (extra[key] != 1)}"
                           for key, word in (("scenes", "scene"), ("choices", "choice"), ("endings", "ending")))
        echo(f"{verb} {shown}: {counts}.", err=True)
    sys.exit(EXIT_CONTENT if strict and diags.items and any(d.severity.value != "info" for d in diags.items)
             else EXIT_OK)


def _bounded(make, source: str, diags: Diagnostics):
    """make() within the memory budget a render has (budget.memory_limit,
    FOUNDRY_RENDER_MEMORY_MB), or None with an HF1013 at the source when it ran out.
    Reading a story costs ~100 times its bytes: a 28 MB Twee file of a million passages,
    within the 64 MiB a source may have, took 2.9 GB and ended in "internal error
    (MemoryError)" where less memory was to be had, before HF1013 could say the story
    is too large; past the budget it is said so."""
    try:
        with budget.memory_limit():
            return make()
    except (MemoryError, budget.OutOfMemory):
        diags.add("HF1013", f"the story is too large to import: reading it ran out of memory (its budget is "
                  f"{budget.render_memory() // (1024 * 1024):,} MiB, FOUNDRY_RENDER_MEMORY_MB)", Span(source))
        return None


def _over_budget(markdown: str) -> str | None:
    """What makes the story file written from `markdown` larger than `foundry check`
    reads (load/files.py MAX_FILE_BYTES, load/markdown.py MAX_MARKDOWN_LINES), said in
    the writer's words; None when it fits."""
    from ..load.files import MAX_FILE_BYTES
    from ..load.markdown import MAX_MARKDOWN_LINES
    size = len(markdown.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return f"{size:,} bytes (the limit is {MAX_FILE_BYTES:,})"
    lines = sum(1 for line in markdown.split("\n") if line.strip())
    if lines > MAX_MARKDOWN_LINES:
        return f"{lines:,} non-blank lines (the limit is {MAX_MARKDOWN_LINES:,})"
    return None


def _with_id_hint(clash, root: Path, sid: str):
    """HF0720 for the id `--id` gave, its hint naming the option: the story was not
    written (or was taken back), so 'Rename the file' named a file that is not there."""
    free = spell_id(sid, taken_ids(root / "content", "story"))
    return dataclasses.replace(clash, hint=f"Choose another id, e.g. `--id {free}`; '{sid}' names an output "
                                           "foundry already writes.")


def _refuse(diags: Diagnostics, here: Path, fmt: str, known: dict[str, str]) -> NoReturn:
    """Say why nothing was written, and exit 2. A refused input says one thing: the
    errors that refused it (a story format not supported, a file already in its place).
    What the import would have had to change in the story (HF10xx warnings, a StoryData
    field not read) is about a story that was not written, and the next import says it
    again for the story that is."""
    refused = Diagnostics()
    refused.extend(diags.errors or diags.items)
    emit(refused, here, fmt, {"written": None}, known=known)
    sys.exit(EXIT_TOOL)


# C0 control characters and DEL but tab and the line ends: none reaches a story written
_SOURCE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _report_dropped(text: str, source: str, dropped: list[str], diags: Diagnostics) -> None:
    """HF1015 where the source holds each character the story written leaves out
    (writer.visible: one `foundry check` refuses where it stands), at its line and
    column, the first EACH_SAID of them; one HF1015 for the rest, and for any the source
    does not hold where prose would refuse it (a mark in a passage's name, a character
    an HTML character reference spells in Twine, or a string's escape, `"\\0"`)."""
    left = Counter(dropped)
    said = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not any(left[ch] > 0 and ch in line for ch in left):
            continue
        for start, _end, ch, reference in every_problem(line.removesuffix("\r"), False):
            if reference or left[ch] <= 0:
                continue
            left[ch] -= 1
            said += 1
            if said <= EACH_SAID:
                diags.add("HF1015", f"{describe(ch)} is not allowed in a story here (docs/formats.md, "
                          "\"Characters\"): the story written leaves it out", Span(source, number, start + 1))
    rest = sum(left.values()) + max(0, said - EACH_SAID)
    if rest:
        kinds = ", ".join(describe(ch) for ch in sorted(set(dropped) if said > EACH_SAID else +left))
        diags.add("HF1015", f"left out of the story written: {rest:,} more character{'s' * (rest != 1)} not allowed "
                  f"in a story, in a name, or spelled by a character reference or an escape ({clip(kinds, 120)})", Span(source))


def _report_cut_title(story, source: str, diags: Diagnostics) -> None:
    """HF1010 when the story's name is longer than a `title:` may be (writer.written_title
    cuts it): the story file read back as HF0204 at `foundry check`, which the import
    promises it never does, and the cut is said where the source names the story."""
    written = written_title(story.title)
    if written.endswith("…") and written != escape_prose(clean_line(story.title)):
        line, column = story.title_at
        diags.add("HF1010", f"the story's name ({len(story.title):,} characters) is cut to fit a story's title "
                  f"(at most {TITLE_LIMIT} as written): '{clip(written, 60)}'", Span(source, line, column),
                  hint="Shorten the `title:` of the story written, as you want it; the full name stays in the source file.")


def _hero_names(root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The names a story's conditions read from its hero in this project (attributes,
    derived stats, level: HF0512 for a story variable named so) and its skill ids,
    from its rule book as check reads it; the rule book's own problems are check's to report."""
    from ..rules.book import load_rule_book
    book = load_rule_book(root, Diagnostics())
    return frozenset(book.hero_scope().names), frozenset(book.skills)


def _read(path: Path, shown: str, diags: Diagnostics, root: Path) -> str | None:
    """The file the user named as text, or None with an HF1001 (or HF0120) saying why.
    Read only when it is a regular file: opened without blocking, so a FIFO is refused
    instead of waited on. A file named outside the project is the user's own (links
    followed: they chose it); one named in the project (by its path, or through a link of
    the user's that leads into it: Boundary.entered) is one of its files, read by the
    one confinement rule (pipeline/confine.py), as a build reads it: a link there that
    leads outside (`imports/cave.ink -> ~/.aws/credentials`, which a pull request can
    commit) is HF0120 at the link, nothing of its target read, stat'ed or written into
    a story the next build publishes."""
    fence = boundary(root)
    inside = fence.entered(path)
    if inside is not None:
        try:
            data = fence.read(inside, MAX_BYTES)
        except Refused as refused:
            if refused.kind == "outside":
                refuse(root, inside, diags)
            elif refused.kind == "size":
                diags.add("HF1001", f"{shown} is over the limit of {MAX_BYTES // (1024 * 1024)} MiB", Span(shown))
            else:
                diags.add("HF1001", f"{shown} is not a regular file (a pipe, socket or device): foundry import "
                          "reads files only", Span(shown))
            return None
        except OSError as err:
            diags.add("HF1001", f"{shown} cannot be read: {err.strerror}", Span(shown))
            return None
        return _text(data, shown, diags)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as stream:
            st = os.fstat(stream.fileno())
            if not stat.S_ISREG(st.st_mode):
                diags.add("HF1001", f"{shown} is not a regular file (a pipe, socket or device): foundry import "
                          "reads files only", Span(shown))
                return None
            if st.st_size > MAX_BYTES:
                diags.add("HF1001", f"{shown} is {st.st_size // (1024 * 1024)} MiB; the limit is "
                          f"{MAX_BYTES // (1024 * 1024)} MiB", Span(shown))
                return None
            data = stream.read(MAX_BYTES + 1)
    except OSError as err:
        diags.add("HF1001", f"{shown} cannot be read: {err.strerror}", Span(shown))
        return None
    return _text(data, shown, diags)


def _text(data: bytes, shown: str, diags: Diagnostics) -> str | None:
    """The bytes of the story file as text, or None with the HF1001, HF0103 or HF1012
    that says why not."""
    # Twine and Inky on Windows (and Notepad) save UTF-16 with a byte-order mark: the
    # mark says how to read the file, so it is read so; without one, UTF-8
    if twine1_archive(data):
        # a pickle: not text, and what its bytes look like (Windows-1252, binary) says nothing useful
        diags.add("HF1001", f"{shown} is a Twine 1 story file (.tws), which only Twine 1 reads",
                  Span(shown), hint=TWINE1_ARCHIVE_HINT)
        return None
    mark = bom_encoding(data)
    if mark is None and b"\x00" in data:
        if utf16_without_mark(data):
            report_utf16_without_mark(shown, diags)
        else:
            diags.add("HF1001", f"{shown} is a binary file, not a story", Span(shown))
        return None
    try:
        text = data.decode(mark[0] if mark else "utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        # Not UTF-8, and no mark: an HTML file may say what it is (<meta charset>, as
        # Twine 1 and hand-edited stories do). Read so, as a browser would; said (HF1012).
        # A file that is UTF-8 stays UTF-8 whatever it declares (Twine 2 writes UTF-8).
        declared = declared_encoding(data) if mark is None else None
        if declared is not None and declared[0] not in ("utf-8", "utf_8"):
            try:
                text = data.decode(declared[0])
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" not in text:
                diags.add("HF1012", f"the file is not UTF-8: read as {declared[1]}, the encoding it declares",
                          Span(shown), hint="Nothing to do; to keep it simple, save the file as UTF-8 (and its "
                          "<meta charset> as utf-8) before the next import.")
                return text
        if mark is None or mark[1] == "UTF-8":
            report_not_text(shown, data, diags)   # each line holding bad bytes, and what they likely are
        else:
            diags.add("HF1001", f"{shown} begins with a {mark[1]} byte-order mark but is not {mark[1]} text",
                      Span(shown), hint="Save the file as UTF-8 and import it again.")
        return None
    if "\x00" in text:
        diags.add("HF1001", f"{shown} is a binary file, not a story", Span(shown))
        return None
    return text
