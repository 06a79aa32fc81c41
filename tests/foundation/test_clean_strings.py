"""Text hygiene's whole-file look (load/hygiene.py `_clean`): a file whose names and
prose, each class joined, hold nothing worth a closer look is passed without a check
per string; any other is checked string by string. Property: check_data reports
exactly what the per-string check reports (codes, messages, spans, order), for data
mixing every kind of character the rules look at."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics, Span
from pipeline.load import hygiene


class _Places:
    """Positions that name each place by its path (the message and span then say which string)."""

    def value(self, loc):
        return Span("/".join(map(str, loc)) or "-", 1, 1)

    def key(self, loc):
        return Span("key:" + "/".join(map(str, loc)), 1, 1)


_CHARS = st.sampled_from(["a", "Z", "7", " ", "\t", "\n", "\r", "\r\n", "&", "&amp;", "&#x202E;", "&zwnj;", "&#12;",
                          "\u200b", "\u200c", "\u200d", "\u200e", "\u202e", "\u00ad", "\ufeff", "\u3164", "\u0301",
                          "\u0645", "\u0e01", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\U0001f3f4",
                          "\U000e0067", "\U000e007f", "\U0001f600", "é", "\\"])
_TEXT = st.lists(_CHARS, max_size=6).map("".join)
_KEYS = st.sampled_from(["name", "title", "note", "with", "background", "id", "items", ""]) | _TEXT | st.integers(0, 3)
_DATA = st.recursive(_TEXT | st.integers() | st.none() | st.booleans(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
                     max_leaves=12)


def _found(data, names, clean):
    diags = Diagnostics()
    was, hygiene._clean = hygiene._clean, (hygiene._clean if clean else (lambda data, names: False))
    try:
        hygiene.check_data(data, _Places(), diags, names)
    finally:
        hygiene._clean = was
    return [(d.code, d.message, d.span, d.hint) for d in diags.items]


@settings(max_examples=600, deadline=None)
@given(_DATA, st.sampled_from([hygiene.NAME_KEYS, frozenset({"note"}), frozenset({"", "name"})]))
def test_the_whole_file_look_reports_what_each_string_would(data, names):
    assert _found(data, names, clean=True) == _found(data, names, clean=False)


def test_a_clean_hero_is_passed_whole_and_a_blank_name_is_not():
    hero = {"name": "Aria", "tags": ["keep", "dusk"], "relationships": [{"with": "hero-1", "note": "Since the *Wreck*."}],
            "background": "Stone dusk\nsalt gull.\n", "attributes": {"strength": 3}}
    assert hygiene._clean(hero, hygiene.NAME_KEYS)
    assert not hygiene._clean({**hero, "title": " \u0301"}, hygiene.NAME_KEYS)   # shows nothing: HF0132
    assert not hygiene._clean({**hero, "background": "a\u202eb"}, hygiene.NAME_KEYS)
    assert not hygiene._clean({**hero, "name": "A\tB"}, hygiene.NAME_KEYS)       # a tab is prose, not a name
    assert hygiene._clean({**hero, "background": "A\tB"}, hygiene.NAME_KEYS)



_BODY = st.lists(st.sampled_from(["## ", "# ", "  #", "Scene", " {#s1}", "\n", "\n\n", "\t", "\r\n", "\r", "&#x202E;",
                                  "&amp;", "&zwnj;", "\u202e", "\u200b", "\u200c", "\u0e01", "\u0645", "\x1b", "word ",
                                  "é", "\u3164"]), max_size=12).map("".join)


def _body_found(body):
    diags = Diagnostics()
    hygiene.check_body(body, 3, "s.md", diags)
    return [(d.code, d.message, d.span, d.hint) for d in diags.items]


@settings(max_examples=800, deadline=None)
@given(_BODY)
def test_a_story_body_passed_whole_has_nothing_line_by_line(body):
    # a last line holding a lone `&` (no reference, nothing to report) makes check_body
    # look line by line: it must find what it finds for the body alone
    assert _body_found(body + "\n&") == _body_found(body)
