"""The one template sandbox for theme templates (the site's and the print theme's):
Jinja's immutable sandbox, with bounds on what a template can make us compute.

Jinja's sandbox already keeps templates away from Python internals and caps `range()`
at 100,000 items. It does not bound sizes: `('x' * 100000) * 30000` asks for 3 GB.
Here every `*`, `+` and `**` a template evaluates is checked before it runs, and the
results of `%`, `~`, of calls (macros included) and of filters are checked after, so no
value a template builds passes budget.MAX_ITEMS, and one render's output stays under
budget.MAX_OUTPUT. Loops that compute nothing large are stopped by the render's time
limit (budget.time_limit).

And it keeps a build's bytes the same from one run to the next: the `random` filter is
refused, and a value whose only text is Python's default repr (a function such as
`url`, a helper object: `<function url at 0x7f…>`, an address that differs every run)
is never printed, joined or formatted into a page: that is an error at the template's
line naming what to call instead.
"""

from __future__ import annotations

import functools
import sys
import hashlib
import re
import threading
import types
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Callable, Iterator

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.environment import TemplateModule
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro, TemplateReference, Undefined, missing
from jinja2.utils import _PassArg
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter

from .. import budget
from .template_nesting import nesting_problem
from ..diagnostics import Diagnostics, clip, suggestion
from ..load.text_metadata import printed_without_pictures
from .template_cycles import MAX_CHAIN, chain_problems, cycle_problems
from .books.template_constants import constants_at
from .template_steps import constant_text
from .template_loops import loop_problems
from .template_places import Placed, placed_parse, template_span


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` so that its result is checked against the size budget."""

    def visit_Template(self, node, frame=None) -> None:  # noqa: N802  (Jinja's visitor naming)
        super().visit_Template(node, frame)
        # A template whose top level only defines macros (whitespace between them
        # aside) makes the same module from the same values (_UncachedTemplate
        # `make_module`): the names its code looks up are compiled in with it.
        names = _module_names(node)
        self.writeline(f"{MODULE_NAMES} = {None if names is None else 'frozenset(' + repr(sorted(names)) + ')'}")
        # Jinja writes a float constant as Python prints it: `1e999` (or `1e308 * 10`,
        # folded) became `inf`, a name the module did not have, and every page drawn
        # with the template was "internal error (NameError)"; `1e999 - 1e999` `nan`
        self.writeline("inf, nan = float('inf'), float('nan')")

    def visit_Concat(self, node, frame) -> None:  # noqa: N802  (Jinja's visitor naming)
        # Jinja's own visit_Concat, with each operand passed through `printable` first
        # (`"" ~ url` would print an address that differs from run to run)
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.bounded({join}((")
        for item in node.nodes:
            self.write("environment.printable(")
            self.visit(item, frame)
            self.write("), ")
        self.write(")))")

    # Each `{{ value }}` of an autoescaped template: Jinja writes
    # `escape(environment.finalize(value))` (~220 a hero page: two calls, a Markup made
    # for every piece); here one call, `BoundedSandbox.escaped`, with the same text.
    def _fast_output(self, frame, finalize) -> bool:
        return (not frame.eval_ctx.volatile and bool(frame.eval_ctx.autoescape)
                and finalize.src == "environment.finalize(")

    def _output_child_to_const(self, node, frame, finalize) -> str:
        # A `{{ … }}` of constants is folded while compiling, escaped before it is
        # finalized: a method's text (`{{ "x".ljust }}`, with its memory address) passed
        # `printable` as Markup and was published. Judged first; refused (an exception
        # here makes Jinja draw it with the page), printable says so at its line.
        if not isinstance(node, nodes.TemplateData):
            printable(node.as_const(frame.eval_ctx))
        return super()._output_child_to_const(node, frame, finalize)

    def _output_child_pre(self, node, frame, finalize) -> None:
        if self._fast_output(frame, finalize):
            self.write("environment.escaped(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if self._fast_output(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Call(self, node, frame, **kwargs: Any) -> None:  # noqa: N802  (Jinja's visitor naming)
        # `_("Skills")`, `_(status.label)`: a theme's word, one message and nothing else
        # (~35 calls a hero page). Jinja writes `environment.call(context, _, "Skills", …)`;
        # here `environment.said(…)` with the same arguments, which answers from the words
        # when `_` is foundry's own (`constant_word`) and calls as Jinja would otherwise.
        if not kwargs.get("forward_caller") and not self.environment.is_async and isinstance(node.node, nodes.Name) \
                and node.node.name == "_" and len(node.args) == 1 and not node.kwargs and node.dyn_args is None \
                and node.dyn_kwargs is None:
            self.write("environment.said(context, ")
            self.visit(node.node, frame)
            self.write(", ")
            self.visit(node.args[0], frame)
            if frame.loop_frame:
                self.write(", _loop_vars=_loop_vars")
            if frame.block_frame:
                self.write(", _block_vars=_block_vars")
            self.write(")")
            return
        super().visit_Call(node, frame, **kwargs)

    def visit_Output(self, node, frame) -> None:  # noqa: N802  (Jinja's visitor naming)
        # Jinja yields each piece of an output run on its own (`<li>`, a value, `</li>`):
        # ~360 yields a hero page, each resuming every template generator up the chain
        # (block, base template, render). A run of several pieces is collected in a list
        # as Jinja does inside macros, and yielded as one string: the same characters.
        if frame.buffer is not None or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        run = self.temporary_identifier()
        self.writeline(f"{run} = []")
        frame.buffer = run
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None
        self.writeline(f"if {run}:")
        self.indent()
        self.writeline(f"yield ''.join({run})")
        self.outdent()


# Filters that make text of what they are given: each argument passes `printable`.
_TEXT_FILTERS = frozenset({"capitalize", "center", "e", "escape", "forceescape", "format", "indent", "join",
                           "lower", "pprint", "replace", "safe", "string", "striptags", "title", "trim",
                           "truncate", "upper", "urlize", "wordwrap", "xmlattr"})
# Of those, the filters that iterate what they are given rather than print it: a
# generator given to them (`map(…) | join`) is read, its text never made.
_ITERATING = frozenset({"join"})


def _indent_pad(text: Any, width: Any = 4, first: Any = False) -> int:
    """The characters `indent` pads `text` with: its width (a number or a string) once a
    line, the first line too when `first` (an upper bound: blank lines are padded only
    when asked)."""
    per = width if type(width) is int else len(width) if isinstance(width, str) else 0
    return per * (1 + text.count("\n") + bool(first)) if isinstance(text, str) else per


# Filters whose result's size follows from their arguments, each measured before it
# runs (value first, then the filter's own arguments): `"x"|indent(1500000000)` made
# 1.5 GB of spaces for an output of one letter (indent pads from the second line on),
# `"%1500000000d"|format(1)` as much, `[1]|batch(10**9, 0)` a list of 8 GB, which no
# bound on what a filter gives back sees until it has been made.
_SIZED_FILTERS: dict[str, Callable[..., None]] = {
    "center": lambda value, width=80, *rest: budget.check_width(width),
    # indent pads every line, with its width or its string: 150 lines by indent(9999999)
    # made 1.5 GB before a size was read
    "indent": lambda value, width=4, first=False, blank=False: budget.check_width(_indent_pad(value, width, first)),
    "format": lambda value, *args, **kwargs: budget.check_printf(str(value), kwargs or args),
    "batch": lambda value, linecount, fill_with=None: None if fill_with is None
    else budget.check_width(linecount, "fills a batch to {} items"),
    "slice": lambda value, slices, fill_with=None: budget.check_width(slices, "cuts into {} slices"),
    # `(["y" * 9000000] * 200)|join` is 1.8 GB, made before its length could be read
    "join": lambda value, d="", attribute=None: None if attribute is not None
    else budget.check_width(budget.joined_size(value, d), "joins {} characters"),
    # `|sum(start=[])` of lists copies its growing total once an item: quadratic time too
    "sum": lambda value, attribute=None, start=0: None if attribute is not None or type(start) not in (list, tuple)
    else budget.check_width(len(start) + sum(len(item) for item in value if type(item) in (list, tuple))
                            if type(value) in (list, tuple) else 0, "sums to {} items"),
}
_PLAIN = (str, int, float, bool, type(None))
_CODE = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.BuiltinMethodType,
         functools.partial, type)


def printable(value: Any, depth: int = 0, iterated: bool = False) -> Any:
    """`value` unchanged when its text is the same in every run; TypeError (an error at
    the template's line) for a function, a class or an object that has only Python's
    default repr (which holds its memory address), also inside lists and dicts. A plain
    text's pictures are given without their metadata (printed_without_pictures: a photo
    a writer pasted into a field, which a template joins to `data:image/jpeg;base64,`).
    Markup is left alone: it is HTML foundry made from the writer's Markdown (which
    prints a `data:` address as text, HF0124) or a theme's own text, stripped as the
    template is read (template_without_metadata); scanning it (~30 ns a character, every
    page) would cost a long page's render again."""
    if type(value) is str:
        return value if len(value) < 64 else printed_without_pictures(value)
    if isinstance(value, _PLAIN) or isinstance(value, Undefined):
        return value
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        if depth < 20:
            for item in (value.items() if isinstance(value, dict) else value):
                printable(item, depth + 1)
        return value
    kind = type(value)
    if isinstance(value, _CODE) or (kind.__repr__ is object.__repr__ and kind.__str__ is object.__str__):
        name = getattr(value, "__name__", "")
        what = f"'{name}'" if isinstance(name, str) and name.isidentifier() else "this value"
        raise TypeError(f"{what} is a {'function' if callable(value) else 'helper object'} and has no text of its "
                        f"own (what Python prints for it changes from build to build); call it, as in "
                        f"{{{{ url('site/heroes/index.html') }}}}, or print one of its fields")
    if not (iterated and isinstance(value, Iterator)) and _ADDRESS.search(str(value)):
        # an object with a text of its own that holds another's default repr: a
        # dataclass of ours whose field is a function (`{{ items.which }}` on an index
        # page printed `Source(…, make=<function … at 0x7fca681d0720>, …)`): a build's
        # bytes that change from run to run, and the process's memory layout published;
        # a generator printed (`{{ xs | map('upper') }}`) alike, but not one a filter
        # iterates (`iterated`: `xs | map(attribute='name') | join(', ')`), never made text
        raise TypeError("this value's text holds a memory address (a function or helper object inside it, "
                        "which Python prints differently from build to build); print one of its fields")
    return value


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _random(*args: Any, **kwargs: Any) -> Any:
    raise TypeError("the random filter is not available: a build writes the same bytes every time; "
                    "pick by position instead, e.g. items[loop.index0 % items|length]")


MODULE_NAMES = "foundry_module_names"
# Names foundry's own context functions read from the context they are called with
# (theme_words.py: `_()` resolves `gettext`, the words are the render's `theme_words`).
CONTEXT_READS = frozenset({"gettext", "theme_words"})


def _module_names(node: Any) -> frozenset[str] | None:
    """The names a macros-only template looks up from its context at run time
    (jinja2.meta's), or None when its top level does anything but define macros and
    write constant text (a `{% set %}`, an expression, an import), or when a macro
    hands its context on (`{% include %}`, an import `with context`): the template it
    names then reads names of that context that this one's code never looks up (an
    importer's imported module, say), which the two imports may hold differently."""
    from jinja2 import meta, nodes
    for child in node.body:
        if isinstance(child, nodes.Macro):
            continue
        if isinstance(child, nodes.Output) and all(isinstance(n, nodes.TemplateData) for n in child.nodes):
            continue
        return None
    for passing in node.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        if passing.with_context:
            return None
    return frozenset(meta.find_undeclared_variables(node))


class _UncachedTemplate(jinja2.Template):
    """A template whose module is made afresh for each `{% import %}` / `{% from %}`.
    Jinja keeps the module of a template imported without context for the whole
    process: a `namespace()` set at its top and changed by one of its macros would then
    carry from page to page, so a page would depend on which pages this process (one
    of several workers) drew before it. Imports `with context` (the default theme's)
    were fresh already; this costs a theme nothing else. One exception (`make_module`):
    a template that only defines macros, imported with context again with the very
    values it reads, is its last module — its macros print what fresh ones would; only
    `a is sameas b` of the two imports' names tells them apart. And such a module made
    by a page whose render has ended is the next page's, its context pointed at that
    page's values (`make_module`)."""

    def _get_default_module(self, ctx=None):
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
        return self.make_module()

    # the last import with context: its values, its module, the module's context and
    # the render it was made or pointed for (`_render_now`)
    _last: tuple[dict, Any, Context, Any] | None = None

    def make_module(self, vars=None, shared=False, locals=None):
        """Jinja's module of this template, imported `with context` (`vars`: the
        importer's context, `locals`: its local names); the last one made again when
        this template only defines macros and every name it looks up (and the names
        foundry's context functions read) has the very same value. A hero page
        imports the default theme's `_macros.html` twice with one page's values: its
        fourteen macros were made twice. Otherwise, and when imported without context,
        a fresh module, as Jinja makes it. Names the two imports may differ in are those
        the template never reads holding what it cannot see (`_UNSEEN`): modules the
        importing templates imported, an importer's `self`.

        A macros-only module made during a page's render (`render`) that has ended is
        taken again with other values: its context's values are the new import's
        (the parent Jinja's `new_context` makes of them) and its eval context a fresh
        one. Its root made nothing but the macros, which look every name up in that
        context when called, so they print what a fresh module's would; nobody holds
        the old page's module any more (its render is over, and renders in one thread
        do not overlap). Making it was ~5 % of a hero page's CPU: ~11,500 modules
        (their macros, closures, context) in a clean build at 10,000 heroes. Within one
        render, in another thread, or made outside `render`: fresh, as before."""
        names = self.root_render_func.__globals__.get(MODULE_NAMES)
        if not shared or vars is None or names is None:
            return super().make_module(vars, shared, locals)
        seen = dict(vars)
        if locals:
            seen.update((k, v) for k, v in locals.items() if v is not missing)
        last, now = self._last, _render_now()
        if last is not None and _render_over(last[3]):   # this render's now, even with the same values
            _, module, context, _ = last
            parent = vars   # as jinja2.runtime.new_context makes a shared context's parent
            if locals:
                parent = dict(parent)
                parent.update((k, v) for k, v in locals.items() if v is not missing)
            context.parent = parent
            context.eval_ctx = EvalContext(self.environment, self.name)
        elif last is not None and _same_values(last[0], seen, names):
            return last[1]
        else:
            context = self.new_context(vars, shared, locals)
            module = TemplateModule(self, context)
        self._last = (seen, module, context, now)
        return module


# What an importing template's names may hold that a macros-only template it imports
# never sees unless it names them: modules the importer imported, and its `self` (a
# template naming `self` gets its own reference, made in its root: Jinja's compiler).
# base.html says `self.…`, so its import of `_macros.html` carries its `self` where
# _person.html's does not: each hero page made `_macros.html` anew (~10,000 modules of
# fourteen macros each in a clean build at 10,000 heroes, docs/performance.md clean33).
_UNSEEN = (TemplateModule, TemplateReference)


def _same_values(before: dict, now: dict, names: frozenset[str]) -> bool:
    """Whether a macros-only template reading `names` makes the same module from the
    values `now` as it made from `before`: every name has the very same value, but for
    names it does not read whose values are imported modules or an importer's `self`
    on either side (or absent): `_UNSEEN`."""
    for name in before.keys() | now.keys():
        old, new = before.get(name, missing), now.get(name, missing)
        if old is new:
            continue
        if name in names or name in CONTEXT_READS or not (old is missing or type(old) in _UNSEEN) \
                or not (new is missing or type(new) in _UNSEEN):
            return False
    return True


_DEEP_MESSAGE = "the template is nested too deeply to be read (blocks, parentheses or expressions within each other)"


# within 160 characters: the print theme's reporter clips a syntax error's message there
# (it lost "for a page to hold")
_DRAWN_DEEP_MESSAGE = ("the template is drawn here within too many others, each within the one before "
                       "(includes, extends, imports or macro calls), for a page to hold")


def _too_deep(name: str | None, filename: str | None) -> jinja2.TemplateSyntaxError:
    # Parsed or compiled when a page first draws it, a template may be read with most of
    # Python's stack already taken by the templates drawing it (a chain under `{% if %}`,
    # which check's chain count does not follow): the fault is the chain's, not this
    # template's nesting ("nested too deeply to be read" was said of a one-line template)
    deep = _stack_depth() > sys.getrecursionlimit() // 2
    return jinja2.TemplateSyntaxError(_DRAWN_DEEP_MESSAGE if deep else _DEEP_MESSAGE, 1, name, filename)


def _stack_depth() -> int:
    """How many frames the stack holds here (asked only when a read ran out of it)."""
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


# The parsed templates by their text (BoundedSandbox._parse), for each kind of
# environment that parses alike (`parses_alike`), up to _PARSED_CHARS of text a kind.
_PARSED: dict[tuple, dict[str, Any]] = {}
_PARSED_HELD: dict[tuple, int] = {}   # the characters of the texts in each kind's memo (summed as they come:
                                      # summing the memo at each parse was quadratic in a theme's templates)
_PARSED_CHARS = 64 * 1024 * 1024
_PARSED_KINDS = 8   # the themes' environments (the site's, the books') are one kind


def parses_alike(env: jinja2.Environment) -> tuple:
    """What `env`'s parse of a text depends on besides the text: its class, its lexer
    (Jinja hands environments of the same syntax options one lexer: lexer.get_lexer),
    its extensions (the tags they parse) and what their parsers read of it (i18n's
    `newstyle_gettext` and `ext.i18n.trimmed` policy). Environments alike parse a text
    to the same tree: the memos of parsed texts are kept by this, not by the
    environment, so each build's new environments (the site's, the books') find the
    trees this process parsed before: `foundry serve`'s saves, a run forked from a
    warm process (~0.05 CPU-s of a site build of the minimal project, its templates'
    parses and walks)."""
    return (type(env), env.lexer, tuple(type(e) for e in env.iter_extensions()),
            getattr(env, "newstyle_gettext", None), env.policies.get("ext.i18n.trimmed"))


def alike_memo(read: Callable[[jinja2.Environment, str], Any]) -> Callable[[jinja2.Environment, str], Any]:
    """`read(env, source)` (what a template's text parses to, read from its tree)
    remembered by `parses_alike(env)` and the text, the last 64; what raises is not."""
    memo: dict[tuple, Any] = {}

    @functools.wraps(read)
    def remembered(env: jinja2.Environment, source: str) -> Any:
        key = (parses_alike(env), source)
        if key not in memo:
            found = read(env, source)
            if len(memo) >= 64:
                memo.clear()
            memo[key] = found
        return memo[key]
    return remembered
_FRESH: ContextVar[bool] = ContextVar("foundry_fresh_parse", default=False)   # inside a compile: parse afresh
# Inside BoundedSandbox.compile: no filter runs (`_bounded_filter`). Jinja folds a
# filter of constants (`{{ 'x' | center(900000000) }}`, `"%.9e8f" | format(1.5)`) while
# compiling, where no template frame is on the stack: over its budget (HF0711) or its
# time (HF0710) it was said at `build/site/<page>` with a hint blaming the content, not
# at the template's line, in check and build alike. Run when the page is drawn, it is
# said where it is written, as the same filter of a name is.
_COMPILING: ContextVar[bool] = ContextVar("foundry_compiling", default=False)


def fresh_parse(env: jinja2.Environment, source: str, name: str | None) -> Any:
    """`source` parsed anew by `env` (a tree of its own, for a compile to fold into)."""
    fresh = _FRESH.set(True)
    try:
        return env.parse(source, name, name)
    finally:
        _FRESH.reset(fresh)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment whose templates cannot build huge values."""

    code_generator_class = _BoundedCodeGenerator
    template_class = _UncachedTemplate
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _bounded_filter(f, name in _TEXT_FILTERS, name in _ITERATING, _SIZED_FILTERS.get(name))
                        for name, f in self.filters.items()}
        self.filters["random"] = _random
        self.finalize = printable   # every {{ … }}
        # lipsum(n=10**6) writes paragraphs for minutes; no theme needs placeholder text.
        self.globals.pop("lipsum", None)

    # A template nested too deeply to be read (thousands of `{% if %}` or parentheses
    # within each other: Jinja's parser and code generator recurse once per level, and
    # Python's compiler refuses more than 20 nested loops) is a syntax error of that
    # template — HF0703 at its file — not a render "out of memory" at some page.
    # `_parse` is also what `parse` (the theme's template closure) runs.
    #
    # Each text is parsed once per kind of environment (`_PARSED`): check's readers of a theme
    # (names, links, uses, cycles, compiles) each parsed every template again, and
    # theme_links.py a parent once per template extending it (~32 parses a check; a
    # 270 KB base.html was 0.5 CPU-s each, 13 times). The trees handed out are read,
    # never changed: compiling folds constants into the tree it is given, so a compile
    # parses afresh (`compile`, `fresh_parse`). A syntax error is kept as its message
    # and line, raised again naming the template asking.
    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        if _FRESH.get():
            return self._parse_now(source, name, filename)
        kind = parses_alike(self)
        if kind not in _PARSED and len(_PARSED) >= _PARSED_KINDS:   # environments of many syntaxes: start again
            _PARSED.clear()
            _PARSED_HELD.clear()
        memo = _PARSED.setdefault(kind, {})
        found = memo.get(source)
        if found is None:
            if _PARSED_HELD.get(kind, 0) > _PARSED_CHARS:   # serve's edits: the oldest go
                memo.clear()
                _PARSED_HELD[kind] = 0
            _PARSED_HELD[kind] = _PARSED_HELD.get(kind, 0) + len(source)
            try:
                found = memo[source] = self._parse_now(source, name, filename, placed=True)
            except jinja2.TemplateSyntaxError as exc:
                found = memo[source] = (type(exc), exc.message, exc.lineno)
        if isinstance(found, tuple):
            kind, message, lineno = found
            raise kind(message, lineno, name, filename)
        return found

    def _parse_now(self, source: str, name: str | None, filename: str | None, placed: bool = False) -> Any:
        # the shared trees template checks read are placed (template_places.py: each
        # node's line knows its column, where its finding is said); a compile's are Jinja's own
        try:
            return placed_parse(self, source, name, filename) if placed else super()._parse(source, name, filename)
        except RecursionError:
            raise _too_deep(name, filename) from None

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer: bool = False) -> Any:
        fresh, compiling = _FRESH.set(True), _COMPILING.set(True)
        try:
            return super().compile(source, name, filename, raw, defer)
        except jinja2.TemplateSyntaxError:
            raise
        except (RecursionError, SyntaxError):
            raise _too_deep(name, filename) from None
        finally:
            _COMPILING.reset(compiling)
            _FRESH.reset(fresh)

    def call_binop(self, context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            budget.check_repeat(left, right)
        elif op == "**":
            budget.check_power(left, right)
        elif op == "%":
            printable(right)
            budget.check_printf(left, right)
        elif op == "+" and hasattr(left, "__len__") and hasattr(right, "__len__") \
                and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > budget.MAX_ITEMS:
                raise budget.OutOfMemory(f"joins {len(left) + len(right):,} items; the limit is {budget.MAX_ITEMS:,}")
        return budget.check_size(self.binop_table[op](left, right))

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805  (Jinja's signature)
        if type(__obj) is Macro:
            # A theme's own macro (~25 calls a page), called as Jinja's sandboxed call
            # would: a Macro is safely callable (no `unsafe_callable`, no `alters_data`),
            # and Context.call hands its `__call__` (pass_eval_context) the eval context,
            # drops the loop and block variables and turns a StopIteration into an
            # undefined value. Three lookups and two introspections less per call.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            # Jinja 3.1's own fields of a Macro; a release without them: its __call__
            count, func = getattr(__obj, "_argument_count", None), getattr(__obj, "_func", None)
            try:
                if kwargs or count is None or func is None or len(args) > count or __obj.caller \
                        or __obj.catch_kwargs or __obj.catch_varargs or __context.environment.is_async:
                    value = __obj(__context.eval_ctx, *args, **kwargs)
                else:
                    # what Macro.__call__ does with positional arguments only (a macro
                    # that takes no `caller`, `varargs` or `kwargs`): each missing one
                    # is `missing` (its default, set in the macro's code), the result
                    # Markup when the calling context autoescapes
                    value = func(*args, *(missing,) * (count - len(args)))
                    if __context.eval_ctx.autoescape:
                        value = markupsafe.Markup(value)
            except StopIteration:
                return __context.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
            return budget.check_size(value)
        if type(__obj) is types.FunctionType and __obj in _CONTEXT_CALLS \
                and not kwargs.get("_loop_vars") and not kwargs.get("_block_vars"):
            # One of our own context functions (`_()`: ~40 calls a page), called as
            # Context.call would call it: safely callable (ours), handed this context
            # (a loop's or block's own variables make a derived one: Jinja's way then).
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                value = __obj(__context, *args, **kwargs)
            except StopIteration:
                return __context.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
            return budget.check_size(value)
        if type(__obj) is types.FunctionType and _PLAIN_CALLS.get(id(__obj.__code__)) is __obj.__code__:
            # One of our own plain functions (`url()`: ~18 calls a page), called as
            # Context.call calls a function that takes no context: the loop's and
            # block's variables dropped, a StopIteration made an undefined value.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                value = __obj(*args, **kwargs)
            except StopIteration:
                return __context.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
            return budget.check_size(value)
        return budget.check_size(super().call(__context, __obj, *args, **kwargs))

    def said(__self, __context, __obj, message: str, **kwargs: Any) -> Any:  # noqa: N805  (as `call`)
        """`__obj(message)` as the template calls it (`call`, with the loop's and
        block's variables in `kwargs`), `_(message)` and no other argument: answered by
        the function registered for `__obj` (`constant_word`) when the call hands no
        variables of its own, else `call`'s way."""
        if type(__obj) is types.FunctionType and type(message) is str and not kwargs.get("_loop_vars") \
                and not kwargs.get("_block_vars"):
            word = _CONSTANT_WORDS.get(__obj)
            if word is not None:
                value = word(__context, message)
                if value is not missing:
                    return budget.check_size(value)
        return __self.call(__context, __obj, message, **kwargs)

    @staticmethod
    def bounded(value: Any) -> Any:
        return budget.check_size(value)

    @staticmethod
    def printable(value: Any) -> Any:
        return printable(value)

    @staticmethod
    def escaped(value: Any) -> str:
        """`escape(printable(value))` of one `{{ value }}` in an autoescaped template, as
        text: the output run it joins is text, and the characters are those of the Markup
        escape would make. Plain text, Markup and numbers (whose text has nothing to escape) are
        handled here without the Markup escape makes for each; anything else goes through
        `printable` and markupsafe's `escape`, as Jinja would call them."""
        kind = type(value)
        if kind is str:
            return _escape_text(value if len(value) < 64 else printed_without_pictures(value))   # printable
        if kind is markupsafe.Markup:
            return value
        if kind is int or kind is float:
            return str(value)
        return markupsafe.escape(printable(value))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's hook for a method of a text taken from a template (`getattr` and
        `getitem` both ask it): `format` and `format_map` sandboxed as Jinja does, each
        field's width measured before it is made (`"{:>1500000000}".format(1)`), and
        the methods whose result's length follows from their arguments (`.ljust(n)`,
        `.expandtabs(n)`, `.replace(a, b)`, budget.check_str_method) measured before
        they run; None for any other value."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) \
                or not isinstance(getattr(value, "__self__", None), str):
            return None
        text, name = value.__self__, value.__name__
        if name in ("format", "format_map"):
            formatter = _SizedEscapeFormatter(self, escape=text.escape) if isinstance(text, markupsafe.Markup) \
                else _SizedFormatter(self)

            def formatted(*args: Any, **kwargs: Any) -> str:
                if name == "format_map":
                    if kwargs:
                        raise TypeError("format_map() takes no keyword arguments")
                    if len(args) != 1:
                        raise TypeError(f"format_map() takes exactly one argument ({len(args)} given)")
                    args, kwargs = (), args[0]
                return type(text)(formatter.vformat(text, args, kwargs))
            return functools.update_wrapper(formatted, value)
        if name not in budget.SIZED_METHODS:
            return None

        def sized(*args: Any, **kwargs: Any) -> Any:
            budget.check_str_method(text, name, args, kwargs)
            return value(*args, **kwargs)
        return functools.update_wrapper(sized, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's sandboxed `obj.attribute`, with a shortcut for the plain dicts our
        views hand templates (`site.title`, `hero.name`: ~200 a page): for a dict and a
        name that is no attribute of dict, Jinja's getattr fails on the attribute (an
        exception raised and caught) and then looks the key up; this looks it up at
        once, with the same result. Anything else goes Jinja's way, checks included."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if type(obj) is TemplateModule and attribute[:1] != "_":
            # `m.portrait`: an imported template's macro or variable (~16 a page), an
            # entry of the module's own dict. Jinja's checks pass every name without a
            # leading underscore on a TemplateModule (not a function, type, frame or
            # known mutable; its class has only dunder attributes), so the value is the
            # one Jinja returns; a name the module lacks goes Jinja's way.
            found = obj.__dict__.get(attribute, _MISSING)
            if found is not _MISSING:
                return found
        return super().getattr(obj, attribute)


class _SizedFormatter(SandboxedFormatter):
    """Jinja's sandboxed `str.format`, each field's width measured before it is made,
    and the fields made so far in one call added up before the next (the text is their
    join: `("{:>9000000}" * 200).format(*range(200))`, each field under the budget,
    took the render's 2 GB before HF0711)."""

    made = 0   # characters of the fields made by this call so far

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.made = len(format_string) if isinstance(format_string, str) else 0
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        budget.check_format_spec(value, format_spec)
        budget.check_width(self.made + budget.format_spec_width(value, format_spec), "formats to {} characters")
        field = super().format_field(value, format_spec)
        self.made += len(field) if isinstance(field, str) else 0
        budget.check_width(self.made, "formats to {} characters")
        return field


class _SizedEscapeFormatter(_SizedFormatter, SandboxedEscapeFormatter):
    """The same for `Markup.format` (each field escaped, as Jinja's)."""


_DICT_ATTRIBUTES = frozenset(dir(dict))
# markupsafe's escape of a plain str, without the Markup it wraps the result in (its
# C speedup where installed); the public escape where a release no longer has it.
_escape_text = getattr(markupsafe, "_escape_inner", None) or (lambda text: str.__str__(markupsafe.escape(text)))
# Functions of ours, each `pass_context`, that BoundedSandbox.call calls without
# Jinja's introspection of the callable (`context_call`).
_CONTEXT_CALLS: set[types.FunctionType] = set()


_MISSING = object()
# Code objects of foundry's own plain functions given to templates (`url`, `asset`),
# by id: BoundedSandbox.call calls them without Jinja's introspection (`plain_call`).
_PLAIN_CALLS: dict[int, types.CodeType] = {}


def plain_call(function: types.FunctionType) -> types.FunctionType:
    """Registers one of foundry's own functions that takes no context (`url()`, made
    anew for each page: its code is what is registered), given to templates, as safe to
    call directly. Only foundry's code makes functions of that code: a template cannot."""
    assert _PassArg.from_obj(function) is None, "a pass_context function: register it with context_call"
    assert not hasattr(function, "unsafe_callable") and not hasattr(function, "alters_data")
    _PLAIN_CALLS.setdefault(id(function.__code__), function.__code__)
    return function


# `_()`'s answer to one message, by the function a template calls
# (`constant_word`): BoundedSandbox.said asks it first.
_CONSTANT_WORDS: dict[types.FunctionType, Any] = {}


def constant_word(function: types.FunctionType):
    """Registers `answer(context, message)` as what one of foundry's own context
    functions (`function`, registered with context_call) returns for one message (a
    str) and no other argument, or `missing` when it cannot tell without the call
    (BoundedSandbox.said then makes it). It must return exactly what the call would."""
    assert function in _CONTEXT_CALLS

    def register(answer):
        _CONSTANT_WORDS[function] = answer
        return answer
    return register


def context_call(function: types.FunctionType) -> types.FunctionType:
    """Registers one of foundry's own `pass_context` functions, given to templates
    as a global, as safe to call directly with the calling template's context."""
    assert _PassArg.from_obj(function) is _PassArg.context, "only pass_context functions take the context first"
    _CONTEXT_CALLS.add(function)
    return function


def _bounded_filter(f, makes_text: bool = False, iterates: bool = False, sized: Callable[..., None] | None = None):
    @functools.wraps(f)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if _COMPILING.get():
            raise nodes.Impossible()   # not folded: run when drawn, within the render's budgets (_COMPILING)
        if sized is not None:   # its result's size, before it is made (_SIZED_FILTERS)
            own = [arg for arg in args if not isinstance(arg, (Context, EvalContext, jinja2.Environment))]
            try:
                sized(*own, **kwargs)
            except TypeError:
                pass   # arguments the filter itself refuses, as it would
        if makes_text:
            # a text filtered is given as printed (`{{ field|e }}`, `{{ field|trim }}`: printable)
            args = tuple(printed_without_pictures(arg) if type(arg) is str else arg for arg in args)
            for arg in (*args, *kwargs.values()):
                if not isinstance(arg, (Context, EvalContext, jinja2.Environment)):   # what pass_context & co. add
                    printable(arg, iterated=iterates)
        try:
            made = f(*args, **kwargs)
        except AssertionError as exc:
            if not jinja_own:
                raise
            # Jinja checks some arguments with `assert` (`truncate(-5)`, `leeway=-1`):
            # the template's mistake, said as HF0703 at its line like any bad argument,
            # not an AssertionError out of the build ('internal error').
            raise ValueError(str(exc) or f"bad arguments to the filter '{f.__name__}'") from None
        return budget.check_size(made)
    jinja_own = (getattr(f, "__module__", "") or "").startswith("jinja2.")
    return bounded


def render(template: jinja2.Template, context: dict) -> str:
    """`template.render(**context)`, stopped with OutOfMemory once the output passes
    budget.MAX_OUTPUT characters (a loop printing forever)."""
    depth = getattr(_RENDERS, "depth", 0)
    if depth == 0:   # a page's render begins (one inside it, a page drawn for its ids, is part of it)
        _RENDERS.serial = getattr(_RENDERS, "serial", 0) + 1
    _RENDERS.depth = depth + 1
    try:
        parts, size = [], 0
        chunks = template.generate(**context)
        for chunk in chunks:
            size += len(chunk)
            if size > budget.MAX_OUTPUT:
                too_much = budget.OutOfMemory(f"writes more than {budget.MAX_OUTPUT:,} characters")
                too_much.where = _suspended_at(chunks)
                raise too_much
            parts.append(chunk)
        return "".join(parts)
    finally:
        _RENDERS.depth = depth


# This thread's `render`s: how deep in them it is (`depth`), and the number of the
# outermost one, counted from the first (`serial`).
_RENDERS = threading.local()


def _render_now() -> tuple[int, int] | None:
    """The render this thread is in (its thread, its number), None outside any."""
    return (threading.get_ident(), _RENDERS.serial) if getattr(_RENDERS, "depth", 0) else None


def _render_over(render: tuple[int, int] | None) -> bool:
    """Whether `render` (`_render_now`'s) has ended: it was in this thread, which is in
    no render now or in a later one. None (outside any render) never ends: what was
    made there may still be in use."""
    if render is None or render[0] != threading.get_ident():
        return False
    return getattr(_RENDERS, "depth", 0) == 0 or render[1] != _RENDERS.serial


def _suspended_at(generator) -> tuple[str | None, int | None]:
    """The template line a paused render is at: the innermost template generator in
    the chain of `yield from` (blocks, includes) below `generator`."""
    found: tuple[str | None, int | None] = (None, None)
    while generator is not None and getattr(generator, "gi_frame", None) is not None:
        frame = generator.gi_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = (template.filename or template.name, template.get_corresponding_lineno(frame.f_lineno))
        generator = generator.gi_yieldfrom
    return found


def template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line that was running when `exc` was raised (the
    innermost template frame on its traceback); (None, None) when none was.

    Budget errors are BaseException, so Jinja does not rewrite their tracebacks; the
    compiled template's globals carry the template, which maps a line of its code
    back to a line of the template (what Jinja's own rewriting does)."""
    found: tuple[str | None, int | None] = getattr(exc, "where", (None, None))
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = (template.filename or template.name, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return found




# Jinja's statements, for "did you mean" at an unknown tag (`{% endfi %}`).
_TAGS = ("if", "elif", "else", "endif", "for", "endfor", "block", "endblock", "extends", "include", "import",
         "from", "macro", "endmacro", "call", "endcall", "set", "endset", "filter", "endfilter", "with",
         "endwith", "autoescape", "endautoescape", "raw", "endraw", "trans", "endtrans", "pluralize")
# Hints that say what to do at the line, not where to read about it: the wheel ships no
# docs/, and a theme made with `foundry theme eject` is a wheel user's (the pointer to
# docs/themes.md these replaced named a file such a user does not have).
_SYNTAX = ("Fix the template at this line: a value is written `{{ … }}`, a statement `{% … %}` "
           "closed by its `{% end… %}`, a comment `{# … #}`.")
_TOO_DEEP = "Split the expression or the nesting into steps (`{% set part = … %}`), each a few levels deep."
_PRIVATE = "Read the value by its name in the page's data; a template has no use for a name that begins with '_'."


def render_message(exc: BaseException) -> str:
    """What a template's failure `exc` (raised while its output was made) says, as a
    theme's author can act on it: Python's own words, but for a number too long to write
    as text, whose words ("use sys.set_int_max_str_digits() to increase the limit") asked
    for a setting no template can make (`{{ "{:,}".format(10 ** 5000) }}`)."""
    if _number_too_long(exc):
        return (f"a number of more than {sys.get_int_max_str_digits():,} digits cannot be written as text "
                "(Python's limit)")
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


def _number_too_long(exc: BaseException) -> bool:
    """Whether `exc` is Python's refusal to write an int of too many digits as text."""
    return isinstance(exc, ValueError) and "integer string conversion" in str(exc)


def render_hint(exc: BaseException) -> str:
    """What to do about a template (a site's or a book's) that failed while its output
    was made, said in the hint itself: a pointer to docs/themes.md or docs/books.md was
    no hint for a theme ejected from the wheel, which ships no docs/."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return "Add the template to the theme's templates/ folder, or name one the theme has."
    if isinstance(exc, jinja2.UndefinedError):
        return ("Fix the template at this line: it reads something this page does not have; "
                "ask first where it may be absent (`{% if x is defined %}`, `x | default('')`).")
    if _number_too_long(exc):
        return "Write a number of fewer digits at this line (round it, or show its size in words)."
    return chain_hint(exc) or "Fix the template at this line as the message says."


def chain_hint(exc: BaseException) -> str | None:
    """The hint for a drawing that ran out of room in a chain of templates (`_too_deep`),
    else None: the fault is the chain's, which check could not follow to say at its
    start, and "fix the template at this line" sent the writer to a one-line template."""
    if getattr(exc, "message", None) != _DRAWN_DEEP_MESSAGE:
        return None
    return (f"Draw at most {MAX_CHAIN} templates each within the one before: the chain reaching this one "
            "goes through steps check cannot follow to its start (a name given by a value or a list, an "
            "include under `{% if %}`, an import inside a macro); put its parts into fewer templates, or "
            "draw them one after another from one template.")


def _none_named(what: str, known) -> str:
    """The hint for an unknown filter or test with no near name: the ones there are."""
    return f"Use a {what} templates have: {', '.join(sorted(known))}."


def check_compiles(env: jinja2.Environment, templates, diags: Diagnostics,
                   present: Callable[[str], bool] = lambda name: False) -> None:
    """HF0703 at each template of `templates` ((name, source, file as a diagnostic
    names it), a project theme's own: site or print) that does not compile — a tag
    misspelt or left open, an unknown filter or test — at its line, with the name
    meant: `foundry check` finds it, where only the render of a page drawn with it did
    ("No filter named 'uppr'. (while making site/heroes/aria.html)") after check said
    "No problems found". Filters and tests are looked for in the parsed template
    (Jinja looks one inside an `{% if %}` up only when it runs). A template named that
    the theme does not have is HF0703 too, unless `present(name)`: something is there
    that the theme refused where it is (a link out, HF0120; an image or SVG past its
    budget, HF0116), one slip said once."""
    for name, source, label in templates:
        digest = text_digest(source)
        # the render's seconds too: a loop past them is HF0710 (template_loops.py)
        key = (name, label, digest, frozenset(env.filters), frozenset(env.tests), budget.render_seconds())
        found = _COMPILED.get(key)
        if found is None:
            found = _COMPILED[key] = tuple(_compile_problems(env, name, source))
            if len(_COMPILED) > 512:   # `foundry serve` over a long session: the oldest go
                del _COMPILED[next(iter(_COMPILED))]
        for message, line, hint, *code in found:
            diags.add(code[0] if code else "HF0703", message, template_span(label, line), hint=hint)
        # (a template that does not parse names none: its syntax error is the one said)
        _report_missing(env, _named_templates(env, name, source, digest), label, diags, present)
        if "import" in source:
            for message, line, hint in _unexported_problems(env, name, source, digest):
                diags.add("HF0703", message, template_span(label, line), hint=hint)
    # a template that draws itself without end (`{% include "credits.html" %}` in
    # credits.html): the render's "maximum recursion depth exceeded" at every page
    labels = {name: label for name, _, label in templates}
    for name, line, message in cycle_problems(env, list(labels)):
        diags.add("HF0703", message, template_span(labels[name], line),
                  hint="Draw the template from another one, or put the include under a condition that ends "
                       "(`{% if … %}`, `{% for … %}`); to build on the default theme's template of the same name, "
                       "copy it: a template named so is the project's own.")
    for name, line, message in chain_problems(env, list(labels)):
        diags.add("HF0703", message, template_span(labels[name], line),
                  hint=f"Draw at most {MAX_CHAIN} templates each within the one before: put the parts of the "
                       "chain into fewer templates, or draw them one after another from one template.")


# A template's problems by its name, label, source and the environment's filters and
# tests: `foundry serve` checks on every save, and parsing costs ~4 ms a template.
_COMPILED: dict[tuple, tuple[tuple[str, ...], ...]] = {}
# What `_report_unexported` says of a template (message, line, hint), by its name, its
# source's digest and the environment's extensions, with the digest of the text of each
# template it read through the loader (by name; digests, not texts: a theme's template
# may be 1 MiB, and 512 of them are kept): asked again at every check of a
# project's own theme (`foundry serve`'s saves, every build of a process), a walk of
# each importing template's tree and of what it imports (~20 ms a template), made again
# only when one of those texts differs.
_UNEXPORTED: dict[tuple, tuple[tuple[tuple[str, int, str], ...], tuple[tuple[str, str | None], ...]]] = {}


def _unexported_problems(env: jinja2.Environment, name: str, source: str,
                         digest: str) -> tuple[tuple[str, int, str], ...]:
    """(message, line, hint) of each HF0703 `_report_unexported` says of one template,
    in its order: remembered (`_UNEXPORTED`) while every template it read through the
    loader still reads the same (by its digest)."""
    key = (name, digest, tuple(sorted(env.extensions)))
    kept = _UNEXPORTED.get(key)
    if kept is not None and all(loaded_digest(env, target) == read for target, read in kept[1]):
        return kept[0]
    reads: dict[str, str | None] = {}

    def source_of(target: str) -> str:
        reads[target] = None
        text = env.loader.get_source(env, target)[0]
        reads[target] = text_digest(text) if isinstance(text, str) else None
        return text

    found = Diagnostics()
    try:
        _report_unexported(env, name, source, "", found, source_of)
    except RecursionError:
        # a tree too deep to walk (3,000 `+`s in a `{% set %}`) is the compile's
        # HF0703, said above: nothing more to say of its names
        pass
    problems = tuple((d.message, Placed(d.span.line, d.span.column), d.hint) for d in found.items)
    if all(text is not None for text in reads.values()):   # a read that failed is asked again next time
        _UNEXPORTED[key] = (problems, tuple(reads.items()))
        if len(_UNEXPORTED) > 512:
            del _UNEXPORTED[next(iter(_UNEXPORTED))]
    return problems


def loaded_digest(env: jinja2.Environment, name: str) -> str | None:
    """sha256 of the text the environment's loader gives for template `name`, None if it
    gives none."""
    try:
        text = env.loader.get_source(env, name)[0]
    except (jinja2.TemplateError, OSError, UnicodeDecodeError, ValueError):
        return None
    return text_digest(text) if isinstance(text, str) else None


def text_digest(text: str) -> str:
    """sha256 (hex) of a template's text as the memos here key it (UTF-8, lone surrogates
    kept as written)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# The templates each template names (by its name and source's digest): whether they
# exist is asked at every check, as a template added or removed changes the answer.
_NAMED: dict[tuple[str, str], tuple[tuple[tuple[str, ...], int], ...]] = {}


def _named_templates(env: jinja2.Environment, name: str, source: str,
                     digest: str) -> tuple[tuple[tuple[str, ...], int], ...]:
    """(the names, line) of each `{% extends %}`, `{% include %}`, `{% import %}` and
    `{% from … import %}` of a constant name (or list of names) in a template; an
    include marked `ignore missing` and a name known only when it runs are left out."""
    key = (name, digest)
    if key not in _NAMED:
        found = []
        try:
            # the names it sets to constant strings too (`{% set part = "nav.html" %}{% include part %}`)
            known = constants_at(source)
            for node in env.parse(source, name, name).find_all((nodes.Extends, nodes.Include, nodes.Import,
                                                                nodes.FromImport)):
                if getattr(node, "ignore_missing", False):
                    continue
                if isinstance(node.template, (nodes.List, nodes.Tuple)):
                    names = tuple(constant_text(item, known(node.lineno)) for item in node.template.items)
                else:
                    names = (constant_text(node.template, known(node.lineno)),)
                if names and all(isinstance(n, str) for n in names):
                    found.append((names, node.template.lineno))   # at the name written
        except (jinja2.TemplateSyntaxError, RecursionError):
            pass   # said by _compile_problems
        _NAMED[key] = tuple(found)
        if len(_NAMED) > 512:
            del _NAMED[next(iter(_NAMED))]
    return _NAMED[key]


def _report_missing(env: jinja2.Environment, named, label: str, diags: Diagnostics,
                    present: Callable[[str], bool]) -> None:
    """HF0703 at each template named that the theme (the project's own or the shipped
    one under it) does not have, in the render's words: `{% include "credits-extra.html"
    %}` passed check and stopped every page drawn with it ("template 'credits-extra.html'
    not found (while making site/credits.html)")."""
    for names, line in named:
        if any(_exists(env, n) or present(n) for n in names):
            continue
        try:
            known = [t for t in env.loader.list_templates() if not t.startswith(".")]
        except (TypeError, OSError, jinja2.TemplateError):
            known = []
        shown = clip(names[0], 60) if len(names) == 1 else ", ".join(clip(n, 40) for n in names[:3])
        message = f"template '{shown}' not found" if len(names) == 1 else f"none of the templates {shown} found"
        diags.add("HF0703", message, template_span(label, line),
                  hint=suggestion(names[0], known) or "Name a template the theme has: one in its own templates "
                                                      "folder, or one the default theme ships (docs/themes.md).")


def _report_unexported(env: jinja2.Environment, name: str, source: str, label: str, diags: Diagnostics,
                       source_of: Callable[[str], str]) -> None:
    """HF0703 at each use of a name a template imports that the imported template does
    not define: `{% import "_macros.html" as m %}{{ m.card() }}` with no macro `card`
    there, or `{% from "_macros.html" import card %}{{ card() }}`. Check was clean and
    every page drawn with it stopped the build ("'TemplateModule object' has no
    attribute 'card'"; the theme's undefined is strict). An imported template that
    extends another, a name put together at run time, and an alias the template binds
    another way too (a loop variable, a macro's argument) are left to the render.
    `source_of(name)` is an imported template's text as the environment's loader gives it."""
    try:
        tree = env.parse(source, name, name)
    except (jinja2.TemplateSyntaxError, RecursionError):
        return   # said by _compile_problems
    known = constants_at(source)
    stored: set[str] = set()
    for node in tree.find_all(nodes.Name):
        if node.ctx in ("store", "param"):
            stored.add(node.name)
    for macro in tree.find_all((nodes.Macro, nodes.CallBlock)):
        stored.update(arg.name for arg in macro.args)
    exports: dict[str, frozenset[str] | None] = {}
    # each imported template's macros: name → (its arguments, whether it takes more
    # positional ones, whether it takes other keywords: its body reads varargs, kwargs)
    signatures: dict[str, dict[str, tuple[list[str], bool, bool]]] = {}

    def exported(target: str) -> frozenset[str] | None:
        if target not in exports:
            try:
                text = source_of(target)
                module = env.parse(text, target, target)
            except (jinja2.TemplateError, OSError, UnicodeDecodeError, ValueError, RecursionError):
                exports[target] = None   # missing (said by _report_missing) or unreadable
            else:
                exports[target] = None if any(True for _ in module.find_all(nodes.Extends)) else frozenset(
                    [m.name for m in module.find_all(nodes.Macro)]
                    + [n.name for a in module.find_all((nodes.Assign, nodes.AssignBlock))
                       for n in ([a.target] if isinstance(a.target, nodes.Name) else a.target.find_all(nodes.Name))])
                defined = list(module.find_all(nodes.Macro))
                set_names = set((exports[target] or frozenset()) - {m.name for m in defined})
                for a in module.find_all((nodes.Assign, nodes.AssignBlock)):
                    set_names |= {a.target.name} if isinstance(a.target, nodes.Name) else \
                        {n.name for n in a.target.find_all(nodes.Name)}
                macros: dict[str, tuple[list[str], bool, bool]] = {}
                for m in defined:
                    read = {n.name for n in m.find_all(nodes.Name) if n.ctx == "load"}
                    macros[m.name] = ([a.name for a in m.args], "varargs" in read, "kwargs" in read)
                # a name defined twice, or set as well, is not surely that macro: left to the render
                signatures[target] = {k: v for k, v in macros.items()
                                      if sum(1 for m in defined if m.name == k) == 1 and k not in set_names}
        return exports[target]

    aliases: dict[str, tuple[str, frozenset[str]]] = {}   # a module's alias → (its template, what it exports)
    singles: dict[str, tuple[str, str]] = {}             # a name imported alone → (its template, the name)
    taken: dict[str, tuple[str, str]] = {}               # a macro imported alone → (its template, its name)
    for node in tree.find_all((nodes.Import, nodes.FromImport)):
        target = constant_text(node.template, known(node.lineno))
        found = exported(target) if target is not None else None
        if found is None:
            continue
        if isinstance(node, nodes.Import):
            aliases[node.target] = (target, found)
        else:
            for entry in node.names:
                real, alias = entry if isinstance(entry, tuple) else (entry, entry)
                if real not in found:
                    singles[alias] = (target, real)
                else:
                    taken[alias] = (target, real)
    # an alias stored once by its import is that; stored another way too, it may be something else
    counts: dict[str, int] = {}
    for node in tree.find_all((nodes.Import, nodes.FromImport)):
        for alias in ([node.target] if isinstance(node, nodes.Import) else
                      [e[1] if isinstance(e, tuple) else e for e in node.names]):
            counts[alias] = counts.get(alias, 0) + 1
    plain = {alias for alias, n in counts.items() if n == 1 and alias not in stored}
    said: set[tuple[str, int]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.ctx == "load" \
                and node.node.name in aliases and node.node.name in plain:
            target, found = aliases[node.node.name]
            if node.attr in found or (node.attr, node.lineno) in said:
                continue
            said.add((node.attr, node.lineno))
            diags.add("HF0703", f"'{clip(target, 60)}' (imported as {node.node.name}) has no macro or name "
                      f"'{clip(node.attr, 60)}'", template_span(label, node.lineno),
                      hint=suggestion(node.attr, sorted(found)) or f"Name a macro {clip(target, 60)} defines.")
        elif isinstance(node, nodes.Name) and node.ctx == "load" and node.name in singles and node.name in plain:
            target, real = singles[node.name]
            if (real, node.lineno) in said:
                continue
            said.add((real, node.lineno))
            diags.add("HF0703", f"'{clip(target, 60)}' has no macro or name '{clip(real, 60)}' to import",
                      template_span(label, node.lineno),
                      hint=suggestion(real, sorted(exported(target) or ())) or
                      f"Name a macro {clip(target, 60)} defines.")
    # a call of an imported macro with more arguments than it takes, or a keyword it has
    # not: the render's "macro 'card' takes not more than 1 argument(s)" at every page
    for call in tree.find_all(nodes.Call):
        if call.dyn_args is not None or call.dyn_kwargs is not None:
            continue
        callee = call.node
        if isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name) \
                and callee.node.name in aliases and callee.node.name in plain:
            target, macro = aliases[callee.node.name][0], callee.attr
        elif isinstance(callee, nodes.Name) and callee.name in taken and callee.name in plain:
            target, macro = taken[callee.name]
        else:
            continue
        signature = signatures.get(target, {}).get(macro)
        if signature is None:
            continue
        at = callee.node.lineno if isinstance(callee, nodes.Getattr) else callee.lineno   # where the call is written
        params, more, keywords = signature
        if len(call.args) > len(params) and not more:
            diags.add("HF0703", f"macro '{clip(macro, 60)}' takes not more than {len(params)} argument(s), "
                      f"given {len(call.args)}", template_span(label, at),
                      hint=f"{clip(target, 60)} defines it as {clip(macro, 60)}({', '.join(params)}).")
        for keyword in call.kwargs:
            if keyword.key not in params and keyword.key != "caller" and not keywords:
                diags.add("HF0703", f"macro '{clip(macro, 60)}' takes no keyword argument '{clip(keyword.key, 60)}'",
                          template_span(label, at),
                          hint=suggestion(keyword.key, params) or
                          f"{clip(target, 60)} defines it as {clip(macro, 60)}({', '.join(params)}).")


def _exists(env: jinja2.Environment, name: str) -> bool:
    """Whether the environment's loader finds the template `name` (one it cannot read is
    said where the theme is loaded: it is there)."""
    try:
        env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    except (jinja2.TemplateError, OSError, UnicodeDecodeError, ValueError):
        return True
    return True


def _compile_problems(env: jinja2.Environment, name: str, source: str):
    """(message, line, hint) of each problem `check_compiles` reports for one template."""
    # parsed, not compiled: the render compiles it once per process (the bytecode cache),
    # and compiling folds constant expressions (`'x' | center(2000000000)`), which is
    # the render's to do under its budgets (HF0711). What compiling adds to parsing
    # (an unknown filter or test) is looked for in the parsed tree below.
    try:
        tree = env.parse(source, name, name)
    except jinja2.TemplateSyntaxError as exc:
        nesting = nesting_problem(env, source, exc.message or "", exc.lineno or 0)
        yield nesting or (clip(exc.message or "syntax error", 200), exc.lineno or 0, _syntax_hint(exc.message or "", env))
        return
    try:
        unknown = [(what, node, known)
                   for kind, known, what in ((jinja2.nodes.Filter, env.filters, "filter"), (jinja2.nodes.Test, env.tests, "test"))
                   for node in tree.find_all(kind) if node.name not in known]
    except RecursionError:
        # `{{ "a" + "a" + … }}` thousands deep: Jinja's parser loops, but walking the tree
        # recurses a level at a time ('internal error' at check); the render's compile
        # fails the same way (BoundedSandbox.compile): the same HF0703
        exc = _too_deep(name, name)
        yield exc.message, exc.lineno, _TOO_DEEP
        return
    for what, node, known in unknown:
        yield (f"No {what} named '{clip(node.name, 40)}'.", node.lineno,
               suggestion(node.name, known) or _none_named(what, known))
    yield from _private_reads(tree)
    yield from loop_problems(tree)
    yield from _endless_macros(tree)
    yield from _divisions_by_zero(tree)
    if unknown:
        return   # compiling would stop at the first of them, said above
    try:
        # a tree of its own: compiling folds constants into it, and `tree` is the one
        # every reader of the template shares (BoundedSandbox._parse)
        _compiled_unfolded(env, fresh_parse(env, source, name), name)
    except jinja2.TemplateSyntaxError as exc:
        yield clip(exc.message or "syntax error", 200), exc.lineno or 0, _SYNTAX
    except (RecursionError, SyntaxError, MemoryError):
        # an expression nested past what Python compiles (`1 + 1 + …` 200 times: each
        # `+` a call within the last, past the 200 parentheses Python's parser nests),
        # or past the code generator's recursion: the render's compile fails the same
        # way (BoundedSandbox.compile), at every page drawn with the template
        exc = _too_deep(name, name)
        yield exc.message, exc.lineno, _TOO_DEEP


def _compiled_unfolded(env: jinja2.Environment, tree: nodes.Template, name: str) -> None:
    """Compile `tree` (a parsed template of `env`) as the render does, but with no
    filter or test run on constants: Jinja folds `{{ 'x' | center(2000000000) }}`
    while compiling, which is the render's to do under its budgets (HF0711), never
    check's. Folding only makes a template shallower, so what compiles here compiles
    for the render too; raises what that compile would (too deep, TemplateSyntaxError)."""
    from jinja2.compiler import generate
    unfolded = env.overlay()
    unfolded.filters = {n: _never_folded(f) for n, f in env.filters.items()}
    unfolded.tests = {n: _never_folded(f) for n, f in env.tests.items()}
    compile(generate(tree, unfolded, name, name), name or "<template>", "exec")


def _never_folded(f):
    """`f` as a filter (or test) Jinja may not run while compiling: one that asks for
    the render's context is never folded into a constant."""
    @jinja2.pass_context
    def unfolded(context, *args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)
    return unfolded


def _private_reads(tree: Any):
    """(message, line, hint) of each attribute or key beginning with `_` the template
    reads (`"".__class__`, `x['__dict__']`): the sandbox refuses every such read when it
    runs (`is_safe_attribute`), so the build stopped at each page drawn with it, once per
    language, after check had passed it. Said here, once, at its line."""
    private = {}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else \
            node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None
        if name is not None and name.startswith("_"):
            private[id(node)] = (node, name)
    for node, name in private.values():
        if id(node.node) not in private:   # `"".__class__.__mro__` is one slip: the first read is refused
            yield (f"access to attribute '{clip(name, 40)}' is unsafe: theme templates read no name that begins "
                   f"with '_'", node.lineno, _PRIVATE)


# What may not run each time its place in a template does: a branch, a loop's body, the
# other side of `and`/`or`/`… if … else …`, another macro's or a call block's body.
_CONDITIONAL = (nodes.If, nodes.For, nodes.CondExpr, nodes.And, nodes.Or, nodes.Macro, nodes.CallBlock)


def _endless_macros(tree: Any):
    """(message, line, hint) of each macro that calls itself on every call, outside
    any `if`, loop or condition (`{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}`): it
    never ends. Only a page's render found it ("maximum recursion depth exceeded",
    HF0703 at build) after check had passed the template; a macro recursing on a
    condition (a tree of its data) is the render's to judge."""
    for macro in tree.find_all(nodes.Macro):
        todo = list(macro.iter_child_nodes())
        while todo:
            node = todo.pop()
            if isinstance(node, _CONDITIONAL):
                continue
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == macro.name:
                yield (f"macro '{clip(macro.name, 40)}' calls itself on every call, so it never ends",
                       node.node.lineno, "Call it again only under a condition that ends (`{% if n < 3 %}…{% endif %}`), "
                       "or not at all.")
                break
            todo.extend(node.iter_child_nodes())


def _divisions_by_zero(tree: Any):
    """(message, line, hint) of each `/`, `//` or `%` by a zero written as it is
    (`{{ xp / 0 }}`): every page drawn with it stopped the build, after check."""
    for node in tree.find_all((nodes.Div, nodes.FloorDiv, nodes.Mod)):
        if isinstance(node.right, nodes.Const) and type(node.right.value) in (int, float) and node.right.value == 0:
            yield "division by zero", node.lineno, "Divide by a number other than 0."


def _syntax_hint(message: str, env: jinja2.Environment) -> str:
    """The name meant, for an unknown filter, test or tag; else how a template is written."""
    for pattern, names in ((r"No filter named '([^']+)'", env.filters), (r"No test named '([^']+)'", env.tests),
                           (r"unknown tag '([^']+)'", _TAGS)):
        m = re.search(pattern, message)
        if m:
            near = suggestion(m.group(1), names)
            if near:
                return near
    return _TOO_DEEP if message == _DEEP_MESSAGE else _SYNTAX
