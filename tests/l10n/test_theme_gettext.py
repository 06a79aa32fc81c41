"""The theme's `_`, `gettext` and `{% trans %}` answer what Jinja's own i18n
extension answers (theme_words.install calls our gettext directly instead of through
Jinja's two wrappers): same words, same escaping, same placeholders, same errors —
but for one thing: the translation of a message that is text (no tag, no entity) is
text too, escaped where a template autoescapes (theme_words.as_html), where Jinja
takes every translation for HTML."""

from __future__ import annotations

import gettext

import jinja2
import pytest

from pipeline.exporters import sandbox
from pipeline.exporters.theme_words import CONTEXT_KEY, Words, install


class _Upper(gettext.NullTranslations):
    def gettext(self, message):   # a translator who typed markup
        return "<b>&</b> " + message


class _UpperAsText(gettext.NullTranslations):
    def gettext(self, message):   # what Jinja must be given to write what ours writes
        return ("<b>&</b> " if "<" in message else "&lt;b&gt;&amp;&lt;/b&gt; ") + message


TEMPLATES = [
    '{{ _("Heroes") }}',
    '{{ gettext("Heroes") }}',
    '{{ _("Hello %(who)s", who="<i>Aria</i>") }}',
    '{% trans %}Plain words{% endtrans %}',
    '{% trans who="<i>x</i>" %}Hello %(who)s{% endtrans %}',
    '{% trans message="m" %}Note {{ message }}{% endtrans %}',
    '{% trans n=3 %}one hero{% pluralize %}{{ n }} heroes{% endtrans %}',
    '{{ _("Count %(n)s") }}',                          # a placeholder without its value: KeyError
    '{% set gettext = "no" %}{{ _("x") }}',            # `_` calls whatever gettext is there
    '{% autoescape false %}{{ _("Hello %(who)s", who="<i>A</i>") }}{% endautoescape %}',
    '{% trans %}Only <i>if</i> so{% endtrans %}',      # a message written as HTML: its translation is HTML
    '{{ ngettext("one", "%(num)s many", 3) }}',
    '{{ pgettext("ctx", "a %(context)s") }}',
    '{{ npgettext("ctx", "one", "%(num)s in %(context)s", 3) }}',
]


def _env(ours: bool) -> jinja2.Environment:
    env = sandbox.BoundedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    if ours:
        return install(env)
    env.add_extension("jinja2.ext.i18n")   # what install() did before: Jinja's own callables
    from pipeline.exporters import theme_words as tw
    env.install_gettext_callables(gettext=tw._gettext, ngettext=tw._ngettext, newstyle=True,
                                  pgettext=tw._pgettext, npgettext=tw._npgettext)
    return env


def _render(env, source, words):
    try:
        return env.from_string(source).render(**{CONTEXT_KEY: words})
    except Exception as exc:   # the same failure, by type
        return type(exc).__name__


@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("words", [Words("en", gettext.NullTranslations(), True), Words("xx", _Upper(), False)],
                         ids=["english", "translated"])
def test_theme_gettext_matches_jinja(source, words):
    expected = words
    if not words.identity and "autoescape false" not in source:
        expected = Words("xx", _UpperAsText(), False)
    assert _render(_env(True), source, words) == _render(_env(False), source, expected)
