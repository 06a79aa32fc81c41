"""The edits and the builds of the incremental property tests (test_incremental_property.py
for the CLI, test_resident_property.py for `foundry serve`'s resident engine): two files so
that the two run on different workers of the suite (`--dist loadfile`)."""

from __future__ import annotations

import io
import re
import shutil

from pipeline.diagnostics import Diagnostics
from engine_steps import clean_hashes, hashed, output_bytes, run, served_bytes, source_digest
from support import REPO

ROOTS = REPO / "tests" / "roots"
POOL = ("bram", "kit", "wen")
OUTPUTS = ["json", "html"]


def _world(root):
    shutil.copytree(ROOTS / "minimal", root)
    shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")   # a theme the edits can touch
    portraits = root / "content" / "assets" / "portraits"
    portraits.mkdir(parents=True)
    shutil.copy(REPO / "content/assets/portraits/aria.png", portraits / "rook.png")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "portrait: ../assets/portraits/rook.png\n")
    # images a portrait can link to, and two of one size and other bytes (swap_portrait)
    pool = root / "content" / "assets" / "pool"
    pool.mkdir()
    for name in POOL:
        shutil.copy(REPO / f"content/assets/portraits/{name}.png", pool / f"{name}.png")
    from PIL import Image
    for name, colour in (("red", (200, 10, 10)), ("blue", (10, 10, 200))):
        data = io.BytesIO()
        Image.new("RGB", (600, 800), colour).save(data, "PNG")
        (pool / f"{name}.png").write_bytes(data.getvalue())
    assert (pool / "red.png").stat().st_size == (pool / "blue.png").stat().st_size


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _extra_heroes(root):
    return sorted((root / "content/heroes").glob("extra-*.yaml"))


def edit_hero(root, n):
    _replace(root / "content/heroes/first-hero.yaml", "xp: ", f"xp: {n}")


def edit_story(root, n):
    _replace(root / "content/stories/first-story.md", "The lantern bobs ahead", f"The lantern bobs ahead ({n})")


def comment_hero(root, n):
    # a comment line at the end: no value changes, only the file's bytes (the manifest's content_hash)
    path = root / "content/heroes/first-hero.yaml"
    path.write_text(path.read_text() + f"# note {n}\n")


def comment_story(root, n):
    # a comment after a front matter value: the story's value and every position as they were
    _replace(root / "content/stories/first-story.md", "status: draft", f"status: draft  # note {n}")


def edit_template(root, n):
    _replace(root / "content/templates/heroes/scout.yaml", "Quick", f"Quick ({n})")


def edit_rules(root, n):
    _replace(root / "schemas/skills.yaml", "Read trails", f"Read trails ({n})")   # repeatable: the anchor stays


def edit_theme(root, n):
    _replace(root / "themes/default/templates/hero.html", "</article>", f"<p class=\"edit\">edit {n}</p></article>")


def edit_card_macro(root, n):
    # every card of every list page is drawn with it and kept (exporters/html/cards.py)
    _replace(root / "themes/default/templates/_macros.html", '<article class="card person-card {{ card.kind }}">',
             f'<article class="card person-card {{{{ card.kind }}}}"><i hidden>{n}</i>')


def _portrait(root):
    """The hero's portrait file, under the name her file gives it now (recase_portrait)."""
    hero = (root / "content/heroes/first-hero.yaml").read_text()
    return root / "content/assets/portraits" / re.search(r"portraits/(\S+)", hero).group(1)


def edit_portrait(root, n):
    path = _portrait(root)
    path.unlink()   # a new file (were it a link: not written through it)
    shutil.copy(REPO / f"content/assets/portraits/{POOL[n % 3]}.png", path)


def swap_portrait(root, n):
    # other bytes of the same size, the mtime put back (`touch -r`): only content and ctime tell
    path = _portrait(root)
    pool = root / "content/assets/pool"
    data = (pool / "blue.png").read_bytes()
    if path.is_file() and path.read_bytes() == data:
        data = (pool / "red.png").read_bytes()
    stat = path.stat()
    path.unlink()
    path.write_bytes(data)
    import os
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def link_portrait(root, n):
    # the portrait becomes a link to another image, and is retargeted by the next one
    path = _portrait(root)
    path.unlink()
    path.symlink_to(f"../pool/{POOL[n % 3]}.png")


def link_portrait_away(root, n):
    # the portrait becomes a link to a copy of the bytes it shows, outside content/
    # (art/copy-n.png): nothing read changes but the path published (its media name, the
    # JSON's `source`); a plain file so turned was taken for a no-op build
    path = _portrait(root)
    data = path.read_bytes()
    (root / "art").mkdir(exist_ok=True)
    (root / f"art/copy-{n}.png").write_bytes(data)
    path.unlink()
    path.symlink_to(f"../../../art/copy-{n}.png")


def recase_portrait(root, n):
    # renamed in case only (Rook.png <-> rook.png), the hero's file following it
    path = _portrait(root)
    new = path.with_name(path.name[0].swapcase() + path.name[1:])
    path.rename(new)
    _replace(root / "content/heroes/first-hero.yaml", f"portraits/{path.name}", f"portraits/{new.name}")


def edit_character(root, n):
    _replace(root / "content/characters/old-guide.yaml", "role: Mentor", f"role: Mentor {n}")


def edit_quest(root, n):
    _replace(root / "content/quests/first-quest.yaml", "summary: Cross the marsh", f"summary: Cross the marsh ({n})")


def rename_scene(root, n):
    # a scene's id, and the choice leading to it: the story's anchors and its JSON change
    story = root / "content/stories/first-story.md"
    old = re.search(r"\{#(wait[-0-9]*) \.ending\}", story.read_text()).group(1)
    _replace(story, f"{{#{old} .ending}}", f"{{#wait-{n} .ending}}")
    _replace(story, f"(#{old})", f"(#wait-{n})")


def add_story(root, n):
    # it links into the first story's page, at a scene no edit renames
    (root / f"content/stories/extra-{n}.md").write_text(
        f"---\ntitle: Extra Story {n}\nstatus: draft\nsummary: Another way across.\nstart: shore\n---\n\n"
        f"## The Shore {{#shore .ending}}\n\nThe [fog road](first-story.html#scene-road) again. *The end.*\n")


def delete_story(root, n):
    extra = sorted((root / "content/stories").glob("extra-*.md"))
    if extra:
        extra[0].unlink()


def edit_config(root, n):
    # a foundry.toml key every page shows
    _replace(root / "foundry.toml", 'description = "', f'description = "({n}) ')


def toggle_language(root, n):
    # German named, then dropped: every page gains a twin in de/, then loses it
    path = root / "foundry.toml"
    text = path.read_text()
    path.write_text(text.split("\n[l10n]")[0] if "[l10n]" in text else text + '\n[l10n]\nlanguages = ["de"]\n')


def edit_translation(root, n):
    # read only while German is named (toggle_language): written anew each time
    path = root / "translations/de/content/heroes/first-hero.yaml.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    f'msgctxt "hero.first-hero.title"\nmsgid "Scout of the Marsh Road"\nmsgstr "Späherin {n}"\n')


def remove_translation(root, n):
    shutil.rmtree(root / "translations", ignore_errors=True)


def edit_stylesheet(root, n):
    path = root / "themes/default/static/site.css"
    path.write_text(path.read_text() + f"\n/* edit {n} */\n")


def edit_theme_words(root, n):
    # the theme's own German words (its gettext catalog), shown while German is named
    _replace(root / "themes/default/locale/de/LC_MESSAGES/messages.po", 'msgstr "Helden', f'msgstr "Helden{n}')


def add_hero(root, n):
    text = (root / "content/heroes/first-hero.yaml").read_text()
    text = text.replace("name: Rook Amsel", f"name: Extra Hero {n}").replace("portrait: ../assets/portraits/rook.png\n", "")
    (root / f"content/heroes/extra-{n}.yaml").write_text(text)


def rename_hero(root, n):
    extra = _extra_heroes(root)
    if extra:
        extra[0].rename(extra[0].with_name(f"extra-renamed-{n}.yaml"))


def delete_hero(root, n):
    extra = _extra_heroes(root)
    if extra:
        extra[-1].unlink()


EDITS = [edit_hero, edit_story, comment_hero, comment_story, edit_template, edit_rules, edit_theme, edit_card_macro, edit_portrait, add_hero,
         rename_hero, delete_hero, swap_portrait, link_portrait, link_portrait_away, recase_portrait, edit_character, edit_quest,
         rename_scene, add_story, delete_story, edit_config, toggle_language, edit_translation, remove_translation,
         edit_stylesheet, edit_theme_words]


def make_base(root):
    """The small world every property test starts from, made at `root`."""
    _world(root)
    return root


# What an edit that changes no value (COMMENTS) re-renders: only the outputs that read the
# file's bytes, not its value (load/byte_reads.py): the manifest's `content_hash`, in
# manifest.json and in the bundle that holds the manifest, and their copies in the site.
COMMENTS = {comment_hero, comment_story}
READ_BYTES = {f"{top}api/v1/{name}.json" for top in ("", "site/") for name in ("bundle", "manifest")}


def cli_builds(work, edits) -> None:
    """Build a copy of the base world, then after each edit incrementally: every changed
    file re-rendered, the bytes a clean build of a copy writes; at the end a no-op. An
    edit that changes no value re-renders only what reads the bytes (early cutoff)."""
    world = work / "world"
    run(world)
    for n, edit in enumerate(edits, 1):
        before = output_bytes(world)
        edit(world, n)
        report = run(world)
        after = output_bytes(world)
        changed = {path for path, data in after.items() if before.get(path) != data}
        assert changed <= set(report.written), f"{edit.__name__}: changed but not re-rendered"
        if edit in COMMENTS:
            assert set(report.written) == READ_BYTES, f"{edit.__name__}: re-rendered what reads no byte of the file"
        assert clean_hashes(world, work / f"fresh-{n}") == hashed(after), f"after {[e.__name__ for e in edits[:n]]}"
    assert run(world).written == []


# Each kind of edit at least once whatever hypothesis draws, in an order where each meets
# the state the ones before left: German named before its words and translation change
# (and a scene renamed while its German page exists), then dropped again, since a second
# language doubles every build that follows; the portrait a link when it is renamed in
# case and swapped.
IN_TURN = [toggle_language, edit_translation, edit_theme_words, rename_scene, remove_translation, toggle_language,
           link_portrait_away, link_portrait, recase_portrait, swap_portrait, swap_portrait, link_portrait, edit_portrait, add_story,
           delete_story, edit_character, edit_quest, comment_hero, comment_story, edit_config, edit_stylesheet]

# What hypothesis draws from: the edits that leave most outputs alone. The ones that remake
# every page (a language, the theme's words and stylesheet, foundry.toml) come in turn,
# above: drawn at random they made each example several clean builds long.
EVERYWHERE = {toggle_language, edit_translation, remove_translation, edit_theme_words, edit_config, edit_stylesheet}
DRAWN = [edit for edit in EDITS if edit not in EVERYWHERE]


# The resident engine (`foundry serve`, engine/resident.py) after the same edits: the
# same bytes as a clean build, the same artifacts re-rendered as a CLI build of a twin
# copy decides from the build state on disk, exactly the changed files written, and only
# the changed content files parsed and validated again.

CONTENT_ONLY = {edit_hero, edit_story, comment_hero, comment_story, edit_template, add_hero, rename_hero, delete_hero, edit_character, edit_quest,
                rename_scene, add_story, delete_story}


def content_files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*.*"))
            if p.is_file() and p.suffix in (".yaml", ".md")}


def input_files(root) -> dict[str, bytes]:
    """Every file under the inputs `foundry serve` watches, by its project path: its
    bytes, and a link's target (a file turned into a link to a copy is a change the
    watcher reports)."""
    from pipeline.load.root import PROJECT_INPUTS
    return {p.relative_to(root).as_posix(): p.read_bytes() + (b"\0" + bytes(p.readlink()) if p.is_symlink() else b"")
            for top in PROJECT_INPUTS
            for p in sorted((root / top).rglob("*") if (root / top).is_dir() else [root / top])
            if p.is_file()}


def watched(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The paths a file watcher reports between two states of the inputs."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def resident_run(engine, changed=None):
    diags = Diagnostics()
    report = engine.build(diags, changed)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return report


# The CLI twin's answers (what its incremental build wrote, sorted; sha256 of its build/
# by path) by the base's source_digest and the names of the edits applied so far: the
# same edits from the same base leave a CLI build in the same state, so it answers the
# same (the project's determinism). test_resident_property.py runs IN_TURN twice, the
# second time with rewrites held (a resident engine's, never a CLI build's): that run
# reads the first's answers, and goes on in the first's very twin folder where its
# edits go on past them.
_TWIN_ANSWERS: dict[tuple, tuple[list[str], dict[str, str]]] = {}
_TWIN_LEFT: dict[tuple, object] = {}   # a twin folder no run uses any more, after those edits


class _Twin:
    """The CLI twin of one `resident_saves`: a copy of the base built, then built again
    after each edit, made only when an answer is not known yet (`_TWIN_ANSWERS`)."""

    def __init__(self, base, folder, edits):
        self.base, self.folder, self.edits = base, folder, edits
        self.digest = source_digest(base)
        self.at: int | None = None   # the edits the folder stands after; None: no folder yet

    def _key(self, n: int) -> tuple:
        return self.digest, tuple(edit.__name__ for edit in self.edits[:n])

    def after(self, n: int) -> tuple[list[str], dict[str, str]]:
        """(sorted written, sha256 of build/ by path) of the twin's build after edit n (from 1)."""
        key = self._key(n)
        if key not in _TWIN_ANSWERS:
            if self.at is None:
                left = _TWIN_LEFT.pop(self._key(n - 1), None)
                if left is not None:
                    self.folder, self.at = left, n - 1
                else:
                    shutil.copytree(self.base, self.folder, symlinks=True)
                    run(self.folder)
                    self.at = 0
            for i in range(self.at + 1, n + 1):
                self.edits[i - 1](self.folder, i)
                written = run(self.folder).written
            self.at = n
            _TWIN_ANSWERS[key] = (sorted(written), hashed(output_bytes(self.folder)))
        return _TWIN_ANSWERS[key]

    def leave(self) -> None:
        """The folder is no longer this run's: another may go on from it."""
        if self.at is not None:
            _TWIN_LEFT[self._key(self.at)] = self.folder


def resident_saves(base, work, edits, held: bool = False):
    """A resident engine on a copy of the base world saving after each edit, told what
    changed as the watcher tells it: each save compared with a CLI build of a twin (the
    same artifacts re-rendered, the same bytes) and with a clean build; at the end a
    no-op. Returns the engine and its world. The bytes compared are those the server
    serves (`served_bytes`: a file's held bytes, write/in_place.py `Held`, before
    build/'s); with `held` (the caller makes rewrites held: FOUNDRY_HOLD_BYTES), the
    engine flushes after every second save, and build/ then holds exactly those."""
    from pipeline.engine.resident import Resident
    world, twin = work / "world", _Twin(base, work / "twin", edits)
    shutil.copytree(base, world, symlinks=True)
    engine = Resident(world, OUTPUTS)
    resident_run(engine)
    for n, edit in enumerate(edits, 1):
        before, sources, inputs = served_bytes(world, engine), content_files(world), input_files(world)
        edit(world, n)
        # told what changed, as the server's watcher tells it: a mere edit of an entity
        # file reads that file only, anything else is checked in full (engine/resident.py)
        report = resident_run(engine, watched(inputs, input_files(world)))
        after = served_bytes(world, engine)
        if held and n % 2 == 0:   # written at last: build/ is what was served (a second save carried the first's)
            engine.flush()
            assert not engine.held and output_bytes(world) == after, f"{edit.__name__}: the flush wrote other bytes"
        changed = {path for path, data in after.items() if before.get(path) != data} | (set(before) - set(after))
        cli_written, cli_output = twin.after(n)
        assert sorted(report.written) == cli_written, f"{edit.__name__}: not what the CLI re-renders"
        if edit in COMMENTS:   # the CLI's too, then: no value changed, only what reads the bytes
            assert set(report.written) == READ_BYTES, f"{edit.__name__}: re-rendered what reads no byte of the file"
        assert cli_output == hashed(after), f"{edit.__name__}: the CLI's incremental build differs"
        assert {p for p in engine.changed if not p.startswith(".foundry/")} == changed, \
            f"{edit.__name__}: wrote files that did not change, or missed one"
        if edit in CONTENT_ONLY:   # the other edits change the rules or a theme: everything may be redone
            now = content_files(world)
            edited = {p for p, data in now.items() if sources.get(p) != data}
            assert engine.queries.computed.get("parse", 0) == len(edited), edit.__name__
            assert engine.queries.computed.get("validate", 0) == len(edited), edit.__name__
        assert clean_hashes(world, work / f"fresh-{n}") == hashed(after), f"after {[e.__name__ for e in edits[:n]]}"
    twin.leave()
    assert resident_run(engine).written == [] and engine.changed == []
    if held:
        last = served_bytes(world, engine)
        engine.flush()
        assert not engine.held and output_bytes(world) == last
    return engine, world


