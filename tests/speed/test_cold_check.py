"""Work a cold `foundry check` no longer does twice, each shown to give exactly what
doing it again gave (docs/performance.md, cold22). Times live in benchmarks/, never here."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load import markdown
from pipeline.load.markdown import TITLE_KEPT_CHARS, _html_of, _text_of, _title_tokens, title_forms
from pipeline.stories.scenes import WORDS, count_words

# the characters inline Markdown and the title parser's escaping care about, and plain ones
_TITLE_CHARS = st.sampled_from(list("ab Z9*_`~[]()!<>&\\\"'#-.:/\n\t") + ["é", "\u00a0", "&amp;", "](#x)", "https:"])


def _parsed(source: str):
    tokens = _title_tokens(source)
    return _text_of(tokens), _html_of(tokens)


def test_a_short_marked_up_title_is_parsed_once_per_process():
    """Four thousand heroes' relationships noting `Since the *Wreck* of the Gull.`
    share one parse: the second file's note gets the very forms the first got."""
    note = "Since the *Wreck* of the `Gull` \\& [her](#crew)."
    first = title_forms(note)
    again = title_forms(str(note[:10]) + note[10:])   # an equal text, another object
    assert again is first
    assert first == _parsed(note) == ("Since the Wreck of the Gull & her.",
                                      "Since the <em>Wreck</em> of the <code>Gull</code> &amp; her.")


def test_a_long_title_is_not_kept():
    """The memo holds short texts only: a 64 KB name is parsed each time, not kept."""
    long = "*x* " * (TITLE_KEPT_CHARS // 4 + 1)
    before = markdown._kept_title_forms.cache_info().currsize
    assert title_forms(long) == _parsed(long)
    assert title_forms(long) is not title_forms(long)
    assert markdown._kept_title_forms.cache_info().currsize == before


@settings(max_examples=150, deadline=None)
@given(st.lists(_TITLE_CHARS, max_size=40).map("".join))
def test_a_kept_title_has_the_forms_a_parse_gives(source):
    assert title_forms(source) == _parsed(source)
    assert title_forms(source) == _parsed(source)   # the kept answer, the second time


# words, apostrophes and hyphens among punctuation, underscores, digits, letters \w
# matches that are not ASCII, marks it does not, and every kind of whitespace
_PROSE_CHARS = st.sampled_from(list("ab Z9_'’-.,;!?\"()\n\t\r\x0b\x0c\x1c\u00a0\u2003\u3000") +
                               ["é", "ß", "ǅ", "٣", "²", "Ⅻ", "\u0301", "\u200b", "\u2028", "don't", "--"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PROSE_CHARS, max_size=60).map("".join))
def test_words_are_counted_as_the_regex_counts_them(text):
    assert count_words(text) == len(WORDS.findall(text))


def _print_theme(root):
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.books.theme import load_print_theme
    from pipeline.load.project import load_project
    return load_print_theme(load_project(root, Diagnostics()))


def _fresh_judgements(monkeypatch, shipped=None):
    """judged.py with nothing judged in this process yet (and, given, another SHIPPED file);
    each judgement made is counted by its files."""
    from pipeline.exporters.books import judged
    made = []
    judge = judged.judge
    monkeypatch.setattr(judged, "_MEMO", {})
    monkeypatch.setattr(judged, "judge", lambda files, linked_out=frozenset(): made.append(sorted(files)) or
                        judge(files, linked_out))
    if shipped is not None:
        monkeypatch.setattr(judged, "SHIPPED", shipped)
    # read again (not the answer this process kept), and never kept past the test
    monkeypatch.setattr(judged, "_shipped", functools.lru_cache(maxsize=1)(judged._shipped.__wrapped__))
    return made


def test_the_shipped_print_theme_is_judged_by_the_package(project_factory, monkeypatch):
    """A project without print files of its own is given the package's judgement of
    the shipped theme (judged.py SHIPPED): none of its templates is read with Jinja or
    tinyhtml5 at a cold check (~0.3 CPU-s). A print folder holding one file more is
    another set of files: judged, its address said."""
    from pipeline.exporters.books.theme import shipped_print_files

    made = _fresh_judgements(monkeypatch)
    theme = _print_theme(project_factory())
    assert made == []
    assert theme.files == shipped_print_files() and (theme.costly, theme.embedded, theme.foreign) == ((), (), ())

    seal = '{% extends "base.html.j2" %}\n{% set u = "file:///etc/passwd" %}\n<img src="{{ u }}">\n'
    theme = _print_theme(project_factory({"themes/default/print/templates/seal.html.j2": seal}, name="own"))
    assert made == [sorted([*shipped_print_files(), "templates/seal.html.j2"])]
    assert [(f.holder, f.line, f.url) for f in theme.foreign] == [("templates/seal.html.j2", 2, "file:///etc/passwd")]


def test_a_missing_or_broken_shipped_judgement_is_made_again(project_factory, monkeypatch, tmp_path):
    """An install without the package's judgement, or with one that is not JSON of its
    shape, judges the shipped theme as it judges a project's: the same theme."""
    root = project_factory()
    want = _print_theme(root)
    for text in (None, "{not json", '{"digest": 1}', "[]"):
        stored = tmp_path / "judgement.json"
        stored.unlink(missing_ok=True)
        if text is not None:
            stored.write_text(text)
        made = _fresh_judgements(monkeypatch, stored)
        assert _print_theme(root) == want and len(made) == 1
