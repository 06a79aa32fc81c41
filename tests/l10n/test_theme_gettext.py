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


def _catalog(language: str, header: str, forms: list[str]) -> Words:
    """A theme catalog of one plural message, read as the build reads one."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.theme_words import _translations
    body = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Plural-Forms: {header}\\n"\n\nmsgid "%(num)s hour"\nmsgid_plural "%(num)s hours"\n'
            + "".join(f'msgstr[{i}] "{form}"\n' for i, form in enumerate(forms)))
    diags = Diagnostics()
    translations = _translations(body.encode(), language, f"themes/mine/locale/{language}/LC_MESSAGES/messages.po",
                                 diags)
    assert translations is not None and not diags.has_errors(), language
    return Words(language, translations, False)


@pytest.mark.parametrize("language, header, forms, expected", [
    # CLDR: French `one` is i = 0,1, so 1,5 heure; gettext's (n > 1) said heures
    ("fr", "nplurals=2; plural=(n > 1);", ["%(num)s heure", "%(num)s heures"],
     ["1 heure", "1.5 heure", "0.5 heure", "2 heures", "2.5 heures"]),
    ("pt_BR", "nplurals=2; plural=(n > 1);", ["%(num)s hora", "%(num)s horas"],
     ["1 hora", "1.5 hora", "0.5 hora", "2 horas", "2.5 horas"]),
    ("de", "nplurals=2; plural=(n != 1);", ["%(num)s Stunde", "%(num)s Stunden"],
     ["1 Stunde", "1.5 Stunden", "0.5 Stunden", "2 Stunden", "2.5 Stunden"]),
    # Arabic's six forms: a fraction is `other`, the sixth
    ("ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
     [f"%(num)s f{i}" for i in range(6)], ["1 f1", "1.5 f5", "0.5 f5", "2 f2", "2.5 f5"]),
    # Japanese has one form for every count
    ("ja", "nplurals=1; plural=0;", ["%(num)s 時間"], ["1 時間", "1.5 時間", "0.5 時間", "2 時間", "2.5 時間"]),
    # Latvian as GNU gettext writes it: one, other, zero — not CLDR's order (zero, one,
    # other), so 1.5 (`other`) said the zero form
    ("lv", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
     ["%(num)s stunda", "%(num)s stundas", "%(num)s stundu"],
     ["1 stunda", "1.5 stundas", "0.5 stundas", "2 stundas", "2.5 stundas"]),
])
def test_a_count_with_a_fraction_takes_the_form_cldr_gives_it(language, header, forms, expected):
    """A theme's `ngettext` with a count that is no whole number (a reading time of 1.5
    hours): gettext's Plural-Forms formulas are written for whole numbers, so French
    got "1.5 heures" by `plural=(n > 1)` where CLDR's rule (and French) says "heure";
    Python passes a float through them only with a DeprecationWarning, and will refuse
    it. The form is CLDR's (Babel's plural rules) where the catalog's forms stand for
    CLDR's categories; whole numbers go by the catalog's formula as before."""
    env = install(sandbox.BoundedSandbox(autoescape=True))
    words = _catalog(language, header, forms)
    shown = [env.from_string('{{ ngettext("%(num)s hour", "%(num)s hours", n) }}').render(n=n, **{CONTEXT_KEY: words})
             for n in (1, 1.5, 0.5, 2, 2.5)]
    assert shown == expected


@pytest.mark.parametrize("language, header, forms", [
    ("de", "nplurals=2; plural=(n != 1);", ["%(num)s Stunde", "%(num)s Stunden"]),
    ("fr", "nplurals=2; plural=(n > 1);", ["%(num)s heure", "%(num)s heures"]),
])
def test_a_count_cldr_cannot_weigh_is_no_error(language, header, forms):
    """An infinite count (`"inf"|float`, a division by nothing in the data) made the
    English page and stopped the German one: Babel's plural rules raise OverflowError
    for it (HF0703 "cannot convert float infinity to integer"). It takes the form the
    catalog's formula gives, as before fractions went by CLDR; so does NaN."""
    env = install(sandbox.BoundedSandbox(autoescape=True))
    words = _catalog(language, header, forms)
    shown = [env.from_string('{{ ngettext("%(num)s hour", "%(num)s hours", n) }}').render(n=n, **{CONTEXT_KEY: words})
             for n in (float("inf"), float("-inf"), float("nan"))]
    assert shown == [forms[1] % {"num": n} for n in ("inf", "-inf", "nan")]


SLOVENE = ("sl", "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
           ["%(num)s ura", "%(num)s uri", "%(num)s ure", "%(num)s ur"])


@pytest.mark.parametrize("language, header, forms, counts, expected", [
    # Slovene: one, two, few, other; "3" (a count read as text) is few, infinity other
    (*SLOVENE, ("3", float("inf"), float("nan"), 103, "1"), ["3 ure", "inf ur", "nan ur", "103 ure", "1 ura"]),
    # Irish: one, two, few, many, other
    ("ga", "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);",
     ["%(num)s uair", "%(num)s uair2", "%(num)s huaire", "%(num)s n-uaire", "%(num)s uaire"],
     ("3", float("inf"), " 2 "), ["3 huaire", "inf uaire", " 2  uair2"]),
    ("de", "nplurals=2; plural=(n != 1);", ["%(num)s Stunde", "%(num)s Stunden"],
     ("1", "3", float("inf"), "x"), ["1 Stunde", "3 Stunden", "inf Stunden", "x Stunden"]),
])
def test_a_count_the_formula_cannot_take_is_not_given_englishs_second_form(language, header, forms, counts,
                                                                           expected):
    """A count the catalog's formula cannot take — a number written as text ("3", read
    from data), infinity, NaN — took English's rule, form 1 for all but "1": in Slovene,
    Irish or Welsh form 1 is the dual, so a Slovene page said "3 uri" (two hours) and
    "inf uri". A count written as a number in text takes the number's form; any other
    takes the form of the many, the formula's for a large round count (CLDR's other)."""
    env = install(sandbox.BoundedSandbox(autoescape=True))
    words = _catalog(language, header, forms)
    shown = [env.from_string('{{ ngettext("%(num)s hour", "%(num)s hours", n) }}').render(n=n, **{CONTEXT_KEY: words})
             for n in counts]
    assert shown == expected
