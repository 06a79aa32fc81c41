"""The sandbox's shortcuts (pipeline/exporters/sandbox.py: a dict's keys read as
attributes, a theme's own macros called without Context.call's introspection, `_()`
of a message without placeholders) give what Jinja's own sandbox gives, and keep
refusing what it refuses."""

from __future__ import annotations

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from pipeline.exporters import sandbox
from pipeline.exporters.theme_words import install

TEMPLATES = {
    "_m.html": "{% macro card(x, level=1) %}<b>{{ x.name }}:{{ level }}{{ varargs | length }}"
               "{{ kwargs | length }}{% if caller %}[{{ caller() }}]{% endif %}</b>{% endmacro %}"
               "{% macro loose() %}{{ varargs | join(',') }}|{{ kwargs | dictsort | join(',') }}{% endmacro %}"
               "{% macro pair(a, b='<default>') %}({{ a is defined }}:{{ a if a is defined else '' }}/{{ b }}){% endmacro %}",
    "page.html": "{% import '_m.html' as m %}{% macro own(v) %}({{ v }}){% endmacro %}"
                 "{{ d.name }}|{{ d.items is defined }}|{{ d.get('name') }}|{{ d.missing is defined }}|{{ d.keys is callable }}"
                 "|{{ d['values'] }}|{{ d.values is callable }}|{{ n.name }}|{{ own(d.name) }}"
                 "|{% for i in [1, 2] %}{{ m.card(d, loop.index) }}{{ own(i) }}{% endfor %}"
                 "|{% call m.card(d) %}inner {{ d.name }}{% endcall %}|{{ m.loose(1, 2, a=3) }}"
                 "|{{ _('Plain words') }}|{{ _('100%% sure') }}|{{ _('Hi %(who)s', who='<i>') }}",
    # `_()` and `gettext()` called in a loop, a loop that sets a variable, a block and a
    # macro (Jinja then hands the call the loop's or block's own variables), and after
    # the template rebinds `gettext` (`_()` calls whatever `gettext` is where it is called)
    "words.html": "{% macro w(m) %}{{ _(m) }}{% endmacro %}"
                  "{% for i in [1, 2] %}{{ _('Plain words') }}{{ gettext('Hi %(who)s', who=i) }}{% endfor %}"
                  "|{% for i in ['<b>'] %}{% set who = i %}{{ _('Hi %(who)s', who=who) }}{{ _('Plain words') }}{% endfor %}"
                  "|{% block b %}{% set x = 1 %}{{ _('Plain words') }}{{ x }}{% endblock %}|{{ w('Plain <words>') }}"
                  "|{{ _(d.name) }}|{{ _(['not', 'text']) }}"
                  # `%(name)s` placeholders (theme_words `_named_strings`) and the others
                  "|{{ _('%(a)s and %(b)s, 100%% of %(a)s', a='<x>', b=3, c='unused') }}"
                  "|{{ _('%(n)d items, %(v)r', n=3, v='<v>') }}|{{ _('%(m)s', m=d) }}|{{ _('(%(p)s)', p=d.name) }}"
                  # one message and nothing else (BoundedSandbox.said): a `%` in it, a
                  # Markup message, text that does not autoescape, a missing `_`'s name
                  "|{{ _('100%% sure') }}|{{ _(d.name ~ ' 100%%') }}|{{ _(d.name | safe) }}|{{ _(3) }}"
                  "|{% autoescape false %}{{ _('Plain <words>') }}{{ _(d.name) }}{% endautoescape %}",
    # an imported template's names (BoundedSandbox.getattr on a TemplateModule) and
    # foundry's own plain functions (sandbox.plain_call) in a loop, a block and a macro
    "module.html": "{% import '_m.html' as m %}{% macro g(v) %}{{ f(v) }}{% endmacro %}"
                   "{{ m.card is defined }}|{{ m.missing is defined }}|{{ m._body_stream is defined }}"
                   "|{{ m.__name__ is defined }}|{{ m.card(d) }}|{{ m.loose(f('a')) }}"
                   "|{% for i in [1, '<2>'] %}{{ f(i) }}{% endfor %}|{% block b %}{% set y = 3 %}{{ f(y) }}{% endblock %}"
                   "|{{ g('<4>') }}|{{ stop() is defined }}|{{ f(v=5) if false else f(5) }}"
                   # a macro called with its arguments by position (BoundedSandbox.call's
                   # own path): all of them, fewer (the defaults), in a loop and a block
                   "|{{ m.pair(d.name, '<b>') }}{{ m.pair(d.name) }}{{ m.pair() }}"
                   "|{% for i in [1, 2] %}{{ m.pair(i) }}{% endfor %}|{% block c %}{{ m.pair('<c>') }}{% endblock %}",
    "rebound.html": "{% macro loud(m) %}!{{ m | upper }}!{% endmacro %}{% set gettext = loud %}{{ _('quiet') }}",
}


class _Named:
    name = "object"


def _env(cls):
    env = cls(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    return install(env)


@sandbox.plain_call
def _plain(v):
    return f"<{v}>"


@sandbox.plain_call
def _stop():
    raise StopIteration


@pytest.mark.parametrize("template", ["page.html", "words.html", "rebound.html", "module.html"])
def test_the_shortcuts_render_what_jinja_s_sandbox_renders(template):
    context = {"d": {"name": "Aria <&>", "values": [1, 2], "keys": "shadowed"}, "n": _Named(), "f": _plain,
               "stop": _stop}
    ours = sandbox.render(_env(sandbox.BoundedSandbox).get_template(template), context)
    theirs = _env(ImmutableSandboxedEnvironment).get_template(template).render(**context)
    assert ours == theirs
    if template == "page.html":
        assert "Aria &lt;&amp;&gt;" in ours and "100% sure" in ours and "Hi &lt;i&gt;" in ours
    elif template == "words.html":   # the theme's words are its HTML, a value put into them is escaped
        assert "Plain <words>" in ours and "Hi &lt;b&gt;" in ours and "Aria <&>" in ours
        assert "&lt;x&gt; and 3, 100% of &lt;x&gt;" in ours and "3 items, &#39;&lt;v&gt;&#39;" in ours
    elif template == "module.html":
        assert ours.startswith("True|False|False|False|<b>Aria &lt;&amp;&gt;:1") and "&lt;&lt;2&gt;&gt;" in ours \
            and "|&lt;3&gt;|" in ours and "|False|&lt;5&gt;" in ours
    else:   # the template's own gettext is the one `_()` calls
        assert ours == "!QUIET!"
    assert sandbox.render(_env(sandbox.BoundedSandbox).get_template(template), context) == ours   # asked again


def _outcome(env, expression: str, context: dict) -> str:
    try:
        return "rendered " + env.from_string("{{ " + expression + " }}").render(**context)
    except SecurityError as exc:
        return f"refused {exc}"


@pytest.mark.parametrize("expression", ["d.__class__", "d._private", "d.update", "''.__class__.__mro__", "d.clear()",
                                        "d.pop('k')", "n.__init__", "d.mro"])
def test_what_the_sandbox_refused_it_still_refuses(expression):
    context = {"d": {"_private": "a key", "__class__": "a key too", "k": 1}, "n": _Named()}
    ours = _outcome(sandbox.BoundedSandbox(autoescape=True), expression, context)
    assert ours == _outcome(ImmutableSandboxedEnvironment(autoescape=True), expression, context)
    assert "<class" not in ours


@pytest.mark.parametrize("source", [
    "<ul>\n<li>{{ d.name }}</li>\n<li>{{ d.name }} and {{ d.missing.deeper }}</li>\n</ul>",
    "<p>{{ d.name }}\n{{ d.name ~ '!' }}\n{{ d.missing.deeper }} after</p>",
    "{% for i in [1] %}<b>{{ i }}</b>\n<i>{{ d.missing.deeper }}</i>{% endfor %}",
])
def test_a_run_of_output_fails_at_the_line_jinja_names(source):
    """A run of output pieces is yielded as one string (sandbox._BoundedCodeGenerator):
    a piece that fails is still found at its own line, the one Jinja's sandbox names."""
    lines = []
    for cls in (sandbox.BoundedSandbox, ImmutableSandboxedEnvironment):
        env = cls(loader=jinja2.DictLoader({"t.html": source}), autoescape=True, undefined=jinja2.StrictUndefined)
        with pytest.raises(jinja2.UndefinedError) as failed:
            "".join(env.get_template("t.html").generate(d={"name": "x"}))
        found, tb = None, failed.value.__traceback__
        while tb is not None:   # Jinja rewrites a template's frames to its file and line
            if tb.tb_frame.f_code.co_filename in ("t.html", "<template>"):
                found = tb.tb_lineno
            tb = tb.tb_next
        lines.append(found)
    assert lines[0] == lines[1] == source[:source.index("missing")].count("\n") + 1


class _Html:
    def __repr__(self):
        return "_Html()"

    def __html__(self):
        return "<em>own html</em>"


class _Loud(int):
    def __str__(self):
        return "<loud>"


@pytest.mark.parametrize("autoescape", [True, False])
def test_each_printed_value_is_the_text_jinja_s_sandbox_prints(autoescape):
    """`{{ value }}` of an autoescaped template is one call (BoundedSandbox.escaped), not
    Jinja's escape of finalize: for text, Markup, numbers, None, containers, objects with
    their own HTML and an int whose text needs escaping, the same characters; in an
    `{% autoescape false %}` block and a template that does not autoescape, the raw text."""
    values = ["plain", "a < b & 'c' \"d\"", Markup("<b>safe</b>"), 3, -2.5, float("inf"), True, None,
              ["<x>", 1], {"k": "<v>"}, _Html(), _Loud(7), "", "ünï <cödé>"]
    source = ("{% for v in values %}[{{ v }}|{{ v }}{{ v }}]{% endfor %}{{ values[1] ~ '!' }}"
              "{% macro m(v) %}<{{ v }}>{% endmacro %}{{ m(values[1]) }}{% set x %}{{ values[1] }}{% endset %}{{ x }}"
              "{% autoescape false %}{{ values[1] }}{% endautoescape %}{% filter upper %}{{ values[1] }}{% endfilter %}")
    ours = sandbox.BoundedSandbox(autoescape=autoescape).from_string(source).render(values=values)
    theirs = ImmutableSandboxedEnvironment(autoescape=autoescape, finalize=sandbox.printable).from_string(
        source).render(values=values)
    assert ours == theirs
    assert ("a &lt; b &amp; &#39;c&#39; &#34;d&#34;" in ours and "&lt;loud&gt;" in ours) == autoescape


def test_a_function_printed_is_still_an_error():
    with pytest.raises(TypeError, match="has no text of its own"):
        sandbox.BoundedSandbox(autoescape=True).from_string("{{ f }}").render(f=len)


MODULES = {
    "_m.html": "{% macro show() %}[{{ x }}:{{ page.title }}:{{ _('Plain words') }}]{% endmacro %}\n"
               "{% macro bump(ns) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}{% endmacro %}\n",
    "_ns.html": "{% set ns = namespace(n=0) %}{% macro count() %}{% set ns.n = ns.n + 1 %}{{ ns.n }}{% endmacro %}",
    "_parts.html": "{% import '_m.html' as m with context %}{% macro card() %}<{{ m.show() }}>{% endmacro %}",
    "base.html": "{% import '_m.html' as m with context %}{% import '_ns.html' as c with context %}"
                 "{{ m.show() }}{{ c.count() }}{% block main %}{% endblock %}{{ c.count() }}",
    # extends base, imports like hero.html (a module that imports _m.html itself), and
    # imports _m.html again after a name it reads changed
    "page.html": "{% extends 'base.html' %}{% import '_parts.html' as parts with context %}"
                 "{% import '_ns.html' as c2 with context %}{% block main %}{{ parts.card() }}{{ c2.count() }}"
                 "{% set x = 'changed' %}{% import '_m.html' as again with context %}{{ again.show() }}"
                 "{% set ns = namespace(n=10) %}{{ again.bump(ns) }}{{ m.bump(ns) }}{% endblock %}",
}


def test_a_macros_only_module_imported_twice_with_the_same_values_is_made_once(monkeypatch):
    """A template that only defines macros, imported `with context` twice in one page
    with the same values of the names it reads, is made once (sandbox._UncachedTemplate
    `make_module`); the page is what Jinja's sandbox draws. A name it reads changed
    between imports, a module with its own state (a namespace at its top): made anew."""
    made = _count_modules(monkeypatch)
    context = {"x": "<x>", "page": {"title": "A & B"}}
    pages = []
    for cls in (sandbox.BoundedSandbox, ImmutableSandboxedEnvironment):
        made.clear()
        env = _env(cls)
        env.loader = jinja2.DictLoader(MODULES)
        pages.append((env.get_template("page.html").render(**context), sorted(made)))
        assert env.get_template("page.html").render(**context) == pages[-1][0]   # the next page the same
    (ours, ours_made), (theirs, theirs_made) = pages
    assert ours == theirs
    assert "[&lt;x&gt;:A &amp; B:Plain words]" in ours and "[changed:" in ours and "1112" in ours
    assert theirs_made == ["_m.html", "_m.html", "_m.html", "_ns.html", "_ns.html", "_parts.html"]
    assert ours_made == ["_m.html", "_m.html", "_ns.html", "_ns.html", "_parts.html"]   # one _m.html fewer


# A page that fails inside a macro's `{% autoescape false %}` leaves that module's
# eval context unescaping (Jinja reverts it only when the block ends): a macro's
# result then is no Markup, and a macro that prints it escapes it again.
LOOSE = {**MODULES, "_m.html": MODULES["_m.html"] + "{% macro raw(v) %}{% autoescape false %}{{ v }}"
                                                 "{{ nothing() }}{% endautoescape %}{% endmacro %}\n"
                                                 "{% macro inner() %}<b>{{ x }}</b>{% endmacro %}\n"
                                                 "{% macro outer() %}[{{ inner() }}]{% endmacro %}\n",
         "page.html": MODULES["page.html"].replace("{{ parts.card() }}", "{{ parts.card() }}{{ m.outer() }}"),
         "fails.html": "{% import '_m.html' as m with context %}{{ m.raw(x) }}"}


def test_a_macros_only_module_is_the_next_page_s_with_that_page_s_values(monkeypatch):
    """A macros-only template imported `with context` by a page rendered through
    `sandbox.render` is the next page's module, its context pointed at that page's
    values (sandbox._UncachedTemplate `make_module`): after the first page one
    `_m.html` is made a page (the import after `x` changed, within the page, is still
    fresh), where Jinja makes three; each page is what Jinja's sandbox draws, also
    after a page that failed inside the module's `{% autoescape false %}`."""
    made = _count_modules(monkeypatch)
    contexts = [{"x": f"<x{n}>", "page": {"title": f"A & {n}"}} for n in range(4)]
    drawn = []
    for cls in (sandbox.BoundedSandbox, ImmutableSandboxedEnvironment):
        env = _env(cls)
        env.loader = jinja2.DictLoader(LOOSE)
        pages, counts = [], []
        for n, context in enumerate(contexts):
            made.clear()
            if n == 2:   # a page that fails in the module, between two that do not
                with pytest.raises(jinja2.UndefinedError):
                    _render(cls, env.get_template("fails.html"), context)
            pages.append(_render(cls, env.get_template("page.html"), context))
            counts.append(made.count("_m.html"))
        drawn.append((pages, counts))
    (ours, ours_made), (theirs, theirs_made) = drawn
    assert ours == theirs
    assert all(f"[&lt;x{n}&gt;:A &amp; {n}:Plain words]" in page and f"[<b>&lt;x{n}&gt;</b>]" in page
               for n, page in enumerate(ours))
    assert theirs_made == [3, 3, 4, 3]   # the failed page's own module too
    assert ours_made == [2, 1, 1, 1]


# base.html names `self` (its blocks), so its import of a macros-only module carries
# the importer's `self`; a module imported by the page (as hero.html imports
# _person.html) imports the same one without it
SELFISH = {**MODULES,
           "base.html": "{% import '_m.html' as m with context %}<title>{% block title %}{% endblock %}</title>"
                        "{{ m.show() }}{% block main %}{% endblock %}<h1>{{ self.title() }}</h1>",
           "page.html": "{% extends 'base.html' %}{% import '_parts.html' as parts with context %}"
                        "{% block title %}{{ page.title }}{% endblock %}{% block main %}{{ parts.card() }}"
                        "{{ m.show() }}{% endblock %}"}


def test_an_importer_s_self_does_not_make_a_macros_only_module_anew(monkeypatch):
    """Two imports of a macros-only template in one page whose values differ only in
    the importer's `self` (a template naming `self` gets its own reference: the imported
    one never sees the importer's) make one module (sandbox `_same_values`): after the
    first page none is made, where each hero page made `_macros.html` anew; each page is
    what Jinja's sandbox draws."""
    made = _count_modules(monkeypatch)
    contexts = [{"x": f"<x{n}>", "page": {"title": f"A & {n}"}} for n in range(3)]
    drawn = []
    for cls in (sandbox.BoundedSandbox, ImmutableSandboxedEnvironment):
        env = _env(cls)
        env.loader = jinja2.DictLoader(SELFISH)
        pages, counts = [], []
        for context in contexts:
            made.clear()
            pages.append(_render(cls, env.get_template("page.html"), context))
            counts.append(made.count("_m.html"))
        drawn.append((pages, counts))
    (ours, ours_made), (theirs, theirs_made) = drawn
    assert ours == theirs
    assert all(f"<h1>A &amp; {n}</h1>" in page and page.count(f"[&lt;x{n}&gt;:A &amp; {n}:Plain words]") == 3
               for n, page in enumerate(ours))
    assert theirs_made == [2, 2, 2]
    assert ours_made == [1, 0, 0]


# A macros-only template whose macros hand their context on: `{% include %}` and an
# import `with context` read names of the importer's context that the template's own
# code never looks up (here `h`, a module each importer imported for itself)
HANDING_ON = {
    "_m.html": "{% macro show() %}{% include 'inc.html' %}{% endmacro %}"
               "{% macro tell() %}{% from 'tells.html' import tell with context %}{{ tell() }}{% endmacro %}",
    "inc.html": "[{{ h.x() }}]",
    "tells.html": "{% macro tell() %}<{{ h.x() }}>{% endmacro %}",
    "a.html": "{% macro x() %}A{% endmacro %}",
    "b.html": "{% macro x() %}B{% endmacro %}",
    "part.html": "{% import 'b.html' as h %}{% import '_m.html' as m with context %}{{ m.show() }}{{ m.tell() }}",
    "page.html": "{% import 'a.html' as h %}{% import '_m.html' as m with context %}{{ m.show() }}{{ m.tell() }}"
                 "|{% include 'part.html' %}",
}


def test_a_macros_only_module_that_hands_its_context_on_is_made_for_each_import():
    """Two imports in one page of a macros-only template whose macro includes a template
    (or imports one `with context`), the importers holding different modules under one
    name the template never reads itself: each import draws its importer's (A, then B),
    as Jinja's sandbox does. The second import took the first's module (sandbox
    `_same_values` takes an imported module or `self` for unseen): `[A]<A>|[A]<A>`."""
    pages = []
    for cls in (sandbox.BoundedSandbox, ImmutableSandboxedEnvironment):
        env = _env(cls)
        env.loader = jinja2.DictLoader(HANDING_ON)
        pages.append(_render(cls, env.get_template("page.html"), {}))
    assert pages[0] == pages[1] == "[A]<A>|[B]<B>"


def test_the_default_theme_s_hero_pages_share_one_macros_module(tmp_path, monkeypatch):
    """A build of the default theme makes `_macros.html` a few times, not once per hero
    page: base.html names `self` (its share previews) and imports `_macros.html`, which
    _person.html imports too; each hero page made it anew until the importer's `self`
    counted as unseen (sandbox `_same_values`: ~1 CPU-s of a clean build at 10,000
    heroes, docs/performance.md clean33). Each page still shows its own hero."""
    from lxml import html as lxml_html
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    from support import ROOTS, write_project
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    names = {f"hero-{i}": f"Rook {i:02}" for i in range(24)}
    root = write_project(tmp_path / "p", {f"content/heroes/{hid}.yaml": hero.replace("Rook Amsel", name)
                                          for hid, name in names.items()})
    made = _count_modules(monkeypatch)
    diags = Diagnostics()
    assert build(root, diags, ["html"], workers=1).ok, diags.items
    assert made.count("_person.html") >= len(names)   # a module made per hero page: the count sees them
    assert made.count("_macros.html") < len(names) / 2
    for hid, name in names.items():
        page = lxml_html.parse(str(root / f"build/site/heroes/{hid}.html")).getroot()
        assert name in page.findtext(".//h1") and name in page.findtext(".//title")
        assert [m.get("content") for m in page.iter("meta") if m.get("property") == "og:title"][0].startswith(name)


def _count_modules(monkeypatch) -> list[str]:
    """The names of the templates whose modules are made from now on, in order."""
    from jinja2.environment import TemplateModule
    made = []
    original = TemplateModule.__init__

    def counted(self, template, *args, **kwargs):
        made.append(template.name)
        original(self, template, *args, **kwargs)

    monkeypatch.setattr(TemplateModule, "__init__", counted)
    return made


def _render(cls, template, context: dict) -> str:
    return sandbox.render(template, context) if cls is sandbox.BoundedSandbox else template.render(**context)


MESSAGES = [("%(a)s and %(b)s, 100%% of %(a)s", {"a": "<x>", "b": 3, "c": "unused"}),
            ("%(m)s|%(n)s", {"m": {"k": "<v>"}, "n": Markup("<b>kept</b>")}), ("(%(p)s)", {"p": None}),
            ("%(n)d items, %(v)r", {"n": 3, "v": "<v>"}), ("no placeholder", {"a": "<a>"}), ("%%", {"a": 1}),
            ("%(a)s, %(b)s", {"a": 1}), ("%(a)s %(b)s", {}), ("%(a)s %s", {"a": 1}), ("%(a)", {"a": 1}),
            ("%(a)s %(", {"a": 1}), ("%(a)s", {"a": _Loud(7)})]


@pytest.mark.parametrize("message, variables", MESSAGES)
def test_a_message_s_placeholders_are_filled_as_markup_fills_them(message, variables):
    """`_()` of a message with `%(name)s` placeholders fills them itself
    (theme_words `_named_strings`): the text Markup's `%` makes (what jinja2.ext's
    newstyle gettext does), and where that fails, the same error."""
    def outcome(fill):
        try:
            return str(fill())
        except (KeyError, TypeError, ValueError) as exc:
            return f"{type(exc).__name__}: {exc}"
    template = _env(sandbox.BoundedSandbox).from_string("{{ _(message, **variables) }}")
    ours = outcome(lambda: template.render(message=message, variables=variables))
    assert ours == outcome(lambda: Markup(message) % variables)
    assert not ours.startswith("KeyError") or variables.keys() < {"a", "b"}


def test_a_word_and_a_macro_by_position_skip_jinja_s_call_machinery(monkeypatch):
    """`_(message)` alone is answered from the render's words (BoundedSandbox.said, theme_words
    `_constant_word`), and a macro called with its arguments by position is called as
    Macro.__call__ would call it (BoundedSandbox.call): neither goes through the calls it
    stands for, and the page is what Jinja's sandbox draws (the test above). A `%` to
    format, a template's own `gettext`, keyword arguments or `caller` still take them."""
    from jinja2.runtime import Macro
    from pipeline.exporters import theme_words
    words, macros = [], []
    underscore, call = theme_words._underscore, jinja2.runtime.Macro.__call__

    def counted_word(*args, **kwargs):
        words.append(args[1:])
        return underscore(*args, **kwargs)

    def counted_macro(self, *args, **kwargs):
        macros.append(self.name)
        return call(self, *args, **kwargs)

    monkeypatch.setattr(Macro, "__call__", counted_macro)
    env = _env(sandbox.BoundedSandbox)
    env.globals["_"] = counted_word
    sandbox._CONTEXT_CALLS.add(counted_word)
    monkeypatch.setitem(sandbox._CONSTANT_WORDS, counted_word, sandbox._CONSTANT_WORDS[underscore])
    try:
        page = env.from_string("{% import '_m.html' as m %}{{ _('Plain words') }}|{{ _(d) }}|{{ m.pair(d) }}"
                               "|{{ _('100%% sure') }}|{{ m.pair(d, b='<k>') }}|{% call m.card(n) %}x{% endcall %}"
                               ).render(d="<Aria>", n=_Named())
    finally:
        sandbox._CONTEXT_CALLS.discard(counted_word)
    assert page.startswith("Plain words|<Aria>|(True:&lt;Aria&gt;/&lt;default&gt;)|100% sure|(True:&lt;Aria&gt;/&lt;k&gt;)")
    assert words == [("100%% sure",)]           # only the word with a `%` to format was called
    assert macros == ["pair", "card"]           # the keyword argument, the `caller`: Jinja's way


@pytest.mark.parametrize("source, shown", [
    ("{{ x(1e999) }}", "inf"), ("{% set y = -1e999 %}{{ y }}", "-inf"), ("{{ x(1e999 - 1e999) }}", "nan"),
    ("{{ x([1e308 * 10]) }}", "[inf]"), ("{% set inf = 3 %}{{ inf }}{{ x(1e999) }}", "3inf"),
])
def test_a_number_past_a_float_is_infinity_not_an_internal_error(source, shown):
    """A theme's `{{ ngettext("hour", "hours", 1e999) }}` (or `{% set y = 1e999 %}`):
    Jinja wrote the constant as Python prints it, `inf`, a name the compiled module did
    not have, and the build of every page drawn with it stopped with "internal error
    (NameError)" (check, which compiles but does not run, passed it). It is infinity,
    as `{{ 1e999 }}` (folded to text) always printed; a template's own `inf` is its own."""
    env = sandbox.BoundedSandbox(autoescape=True)
    assert env.from_string(source).render(x=str) == shown
