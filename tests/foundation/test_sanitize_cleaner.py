"""The prose sanitiser (load/markdown.py `sanitize`) keeps exactly the markup it allowed when
each call passed its options to `nh3.clean`: it now uses two `nh3.Cleaner`s made once
(docs/performance.md cold41). What each keeps and drops, said in its output."""

from __future__ import annotations

from pipeline.load.markdown import TYPED_INDENT, sanitize

HOSTILE = ('<p class="x" onclick="alert(1)" dir="rtl" lang="de" title="t">a<script>alert(2)</script>'
           '<a href="javascript:alert(3)">b</a><a href="https://ex.org/" target="_blank">c</a>'
           '<img src="data:image/png;base64,AAAA" alt="i"><a href="mailto:a@ex.org">m</a></p>')


def test_prose_keeps_its_typed_indent_direction_and_safe_links_only():
    assert sanitize(HOSTILE) == (
        '<p title="t" dir="rtl" lang="de">a<a rel="noopener noreferrer">b</a>'
        '<a href="https://ex.org/" rel="noopener noreferrer">c</a><img alt="i">'
        '<a href="mailto:a@ex.org" rel="noopener noreferrer">m</a></p>')
    kept = f'<p class="{TYPED_INDENT}">x</p>'
    assert sanitize(kept) == kept
    assert sanitize('<p class="l10n-fallback" data-line="a1" dir="up">x</p>') == '<p class="">x</p>'
    assert sanitize(f'<code class="{TYPED_INDENT}" dir="auto">x</code>') == '<code dir="auto">x</code>'


def test_a_translation_keeps_its_marks_and_no_other_class():
    marked = f'<p class="l10n-fallback {TYPED_INDENT}" data-line="s1.p2" dir="ltr">x</p>'
    assert sanitize(marked, marks=True) == marked
    assert sanitize('<p class="evil" data-line="a b" dir="up" data-x="1">x</p>', marks=True) == "<p>x</p>"
    assert sanitize(HOSTILE, marks=True) == sanitize(HOSTILE)
