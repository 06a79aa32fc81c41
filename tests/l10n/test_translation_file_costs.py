"""What a translation file costs `check` grows with the file, not with its square:
a 1.9 MB PO of 12,000 translated lines that no longer exist (under the 2 MiB cap for
a translation file, and a pull request may add one per language and source file)
took 39 CPU-s of every check, 8 at 6,000 (extract.displaced made the set of loose
line ids again for each entry). Counted, not timed: how often the previous entries'
ids are asked for while one file is judged."""
from __future__ import annotations

from collections.abc import Mapping

from pipeline.diagnostics import Span
from pipeline.l10n.catalog import Entry
from pipeline.l10n.extract import displaced, moved_translations
from pipeline.l10n.lines import Line


class _Counted(Mapping):
    """The previous entries by line id, counting each time their ids are listed."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries, self.listed = entries, 0

    def __getitem__(self, key):
        return self.entries[key]

    def __iter__(self):
        self.listed += 1
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def keys(self):
        self.listed += 1
        return self.entries.keys()


def _file(gone: int) -> tuple[list[Line], _Counted]:
    """A story's two untagged paragraphs, and a translation file that also holds `gone`
    translated lines whose ids no longer exist."""
    lines = [Line(f"story.s.p{n}", f"Paragraph {n}.", "content/stories/s.md", Span("content/stories/s.md", n, 1),
                  "paragraph", "", tagged=False) for n in (1, 2)]
    entries = {f"story.s.p{n}": Entry(f"story.s.p{n}", f"Paragraph {n}.", f"Absatz {n}.") for n in (1, 2)}
    entries |= {f"story.s.y{n}": Entry(f"story.s.y{n}", f"Line {n}", f"Zeile {n}") for n in range(gone)}
    return lines, _Counted(entries)


def test_the_lines_a_translation_file_no_longer_matches_are_judged_in_one_pass():
    for gone in (100, 2000):
        lines, previous = _file(gone)
        assert displaced(lines, previous) == frozenset()
        assert previous.listed <= 2, (gone, previous.listed)   # was once for each of the entries
        lines, previous = _file(gone)
        assert moved_translations(lines, previous) == {}
        assert previous.listed <= 4, (gone, previous.listed)


def test_many_lines_of_the_same_words_and_their_gone_translations_are_judged_in_one_pass(project_factory, monkeypatch):
    """A story of N paragraphs "Yes." and a translation file of N gone entries of
    "Yes." (6,000 each: 36 KB and 390 KB) took 72 CPU-s of check: for each line the
    entries of its words were judged again (moved_translations: their targets, their
    places), and for each entry every line was looked at for one showing it
    (check._shown_at). Counted on a real project through `check`: the entries' places
    asked, and the lines' translations looked up, grow with N, not N²."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    from pipeline.l10n import check as l10n_check
    from pipeline.l10n import extract

    n = 300
    story = "content/stories/first-story.md"
    root = project_factory()
    text = (root / story).read_text(encoding="utf-8")
    (root / story).write_text(text.replace("The lantern bobs ahead.", "The lantern bobs ahead.\n\n"
                                           + "\n\n".join("Yes." for _ in range(n)), 1), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    po = root / "translations/de" / (story + ".po")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n'
                  + "".join(f'\nmsgctxt "story.first-story.gone{i}"\nmsgid "Yes."\nmsgstr "Ja."\n' for i in range(n)),
                  encoding="utf-8")

    places = []
    real_place_of = extract.place_of
    monkeypatch.setattr(extract, "place_of", lambda line_id: places.append(line_id) or real_place_of(line_id))

    class Counted(dict):
        looked = 0

        def __getitem__(self, key):
            Counted.looked += 1
            return super().__getitem__(key)

    real_check_file = l10n_check._check_file
    monkeypatch.setattr(l10n_check, "_check_file", lambda l10n, language, source, lines, resolved, *rest, **kw:
                        real_check_file(l10n, language, source, lines, Counted(resolved), *rest, **kw))
    diags = Diagnostics()
    check(root, diags)
    gone = [d for d in diags.items if d.code == "HF1109" and d.span.path == f"translations/de/{story}.po"]
    assert len(gone) == n, [d.message for d in diags.items][:5]
    assert len(places) <= 4 * n, len(places)              # was ~n² (each line judged every entry)
    assert Counted.looked <= 10 * n, Counted.looked     # was ~n² (each entry looked at every line)


def test_each_prose_field_of_a_localized_world_finds_its_paragraphs_without_reading_every_line():
    """Each hero's background (its paragraphs' lines `hero.<id>.background.<p>`) was
    looked for among every line of the language: 4,000 heroes in three languages took
    117 CPU-s of check (1.8 without [l10n]). The lines are indexed once per Locale;
    counted: how often all the lines are read while 300 fields find theirs."""
    from pipeline.resolve.localized import Locale, _prose

    class Counted(dict):
        walked = 0

        def __iter__(self):
            Counted.walked += 1
            return super().__iter__()

        def items(self):
            Counted.walked += 1
            return super().items()

    texts = Counted({f"hero.h{i}.background.p{n}": f"T{i}.{n}" for i in range(300) for n in (1, 2)})
    locale = Locale("de", "en", ("en", "de"), texts)
    for i in range(300):
        assert _prose(locale, f"hero.h{i}.background", "x") == f"T{i}.1\n\nT{i}.2"
    assert _prose(locale, "hero.h1", "x") == "T1.1\n\nT1.2"   # any prefix of the ids, as before
    assert _prose(locale, "hero.h1.back", "x") == "x"         # a prefix ends at a dot
    assert Counted.walked <= 2, Counted.walked                 # was once for each field


def test_each_translation_file_is_found_without_walking_every_file():
    """Localization.catalog made a table of every translation file at each call: each
    (language, source) a world asks for (resolve, the PDF's overflows per line, the
    pages' languages) walked all of them, quadratic in the files (4,000 heroes in three
    languages: 12,000 files). Counted: walks of the files while 300 sources resolve."""
    from pipeline.l10n.catalog import Catalog
    from pipeline.l10n.state import Localization

    class Counted(tuple):
        walked = 0

        def __iter__(self):
            Counted.walked += 1
            return super().__iter__()

    sources = [f"content/heroes/h{i}.yaml" for i in range(300)]
    lines = tuple(Line(f"hero.h{i}.name", f"Name {i}", source, Span(source, 2, 7), "name", "")
                  for i, source in enumerate(sources))
    files = Counted((("de", source), Catalog(f"translations/de/{source}.po", "de", "po",
                                             (Entry(f"hero.h{i}.name", f"Name {i}", f"Nom {i}"),)))
                    for i, source in enumerate(sources))
    l10n = Localization("/p", "en", ("en", "de"), lines, files)
    resolved = l10n.resolve("de")
    assert [r.text for r in resolved[:2]] == ["Nom 0", "Nom 1"] and len(resolved) == 300
    assert all(l10n.catalog("de", source) is not None for source in sources)
    assert Counted.walked <= 1, Counted.walked   # was once for each source asked
