"""A list page checked as its skeleton and its cards: each card's links are found once,
when it is drawn (cards.py), not by parsing 10,000 cards on every build.

Every page is link-checked as it is written (links.py, HF0701). A list page is mostly
cards that did not change, so its template is drawn with a placeholder where each card
goes: the skeleton is parsed and checked, each card's links (found and resolved when
the card was drawn, kept in its fragment) are checked by lookup, and the cards are
then put in place of their placeholders — the same bytes drawing the cards in place
gives, since a placeholder is only ever printed where the card itself would be.

That last point holds when the template only prints each card as it is: so the
placeholders are used only for a page whose templates call `cards()` in the plain
form `{% for card in cards(…) %}{{ card }}{% endfor %}`, never inside a macro, a call,
a filter or a `{% set %}` block, in the page's own template or one it extends, and
never call `super()` or `self` (whose output a template could take apart). Any other
page draws its cards in place and is checked whole, as every page was.

The split check is taken only when it finds nothing and the pieces parse as they
would together (every card closes what it opens, and each placeholder stands in the
page's text, not in an attribute, a comment or a script); any doubt and the page is
checked whole, so a broken link is reported exactly as before, with its line.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from jinja2 import nodes

from ...render.spans import Placed, SpanLog
from ..sandbox import alike_memo, loaded_digest, parses_alike, text_digest
from .links import LinkChecker, collect, collect_holes

# Nodes whose output a template can take apart before it is written.
CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)
# Tags after which a parser reads text differently (raw text, or a new document part):
# a card holding one is checked with its page, never alone. Table parts (`table`, `tr`,
# `td`, `th`: the credits page's rows) are not among them: where they stand moves
# elements in the tree a browser builds, never what the tags and their attributes are,
# and libxml2's parser, which the link check uses on both sides, collects the same ids
# and URLs from a row alone and in its table (tests/speed/test_list_cards.py).
_RISKY = (r"<\s*/?\s*(html|head|body|title|textarea|plaintext|xmp|noscript|noembed|noframes|iframe|"
          r"template|script|style|svg|math|select|option)\b|<!\[|<\?")
RISKY = re.compile(_RISKY, re.IGNORECASE)
# RISKY for text already in ASCII lower case: the same matches (case-blind matching of
# ASCII text is matching its lower case), a third of the time (a case-blind alternation
# is tried letter by letter at every `<`: ~3.4 µs of each of ~50,000 cards drawn a
# clean build at 10,000 heroes, docs/performance.md clean31)
_RISKY_LOWER = re.compile(_RISKY)


@dataclass(frozen=True)
class CardLinks:
    """What checking one drawn card needs. `contained`: the card closes every tag,
    comment and quote it opens and holds nothing a parser reads differently in
    context; `ids`: its element ids; `links`: each internal URL as (build path it
    resolves to, or None when it leads outside the site; its #fragment)."""

    contained: bool
    ids: tuple[str, ...]
    links: tuple[tuple[str | None, str], ...]

    def to_json(self) -> list:
        """As a drawn card's fragment keeps it (cards.py)."""
        return [self.contained, list(self.ids), [list(link) for link in self.links]]

    @classmethod
    def from_json(cls, value) -> "CardLinks":
        """Back from to_json (the fragment was sealed by this foundry: its shape is ours)."""
        contained, ids, links = value
        # made without the frozen dataclass's __init__ (object.__setattr__ per field) and
        # a generator per card: a fresh process decodes every card of its list pages
        # (49,000 at 10,000 heroes), ~7 µs each that way
        made = object.__new__(cls)
        made.__dict__.update(contained=bool(contained), ids=tuple(ids), links=tuple(map(tuple, links)))
        return made


def card_links(checker: LinkChecker, page: str, html: str) -> CardLinks:
    """A card's links as drawn on `page`, resolved as the checker resolves them. Read
    by the parser's start tags (no tree, no lines: neither is used here), as a page's
    link check reads them: the two differ only after an `</html>`, which a contained
    card never holds (RISKY), and only a contained card's links are ever used."""
    found = collect(html, lines=False)
    links = []
    for url, _line in found.urls:
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            continue   # external: not checked
        links.append((checker.resolve(page, unquote(parts.path)), parts.fragment))
    return CardLinks(_contained(html), tuple(sorted(found.ids)), tuple(links))


# A start or end tag with its attributes, quotes closed (HTML's tag syntax, which both
# html.parser and libxml2 follow for well-formed tags).
TAG = re.compile(r"""</?[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")


def _contained(html: str) -> bool:
    """Whether the card reads the same alone and in its page: every `<` in it opens a
    whole tag (no comment, no tag or quote left open), and no tag after which a parser
    reads text differently."""
    if "<!" in html or (_RISKY_LOWER.search(html.lower()) if html.isascii() else RISKY.search(html)):
        return False
    return "<" not in TAG.sub("", html)


class ScriptData(Markup):
    """Text a page view gives its template to print as a script's data (the search
    index, search.py): Markup in every way, and a mark for `Placeholders.cut`, which
    takes it out of the page's skeleton before the link check parses it (8 MB of the
    search page's 10 at 10,000 heroes, ~0.02 CPU-s a save): a script's text holds no
    element and no link."""


# A script's data is looked for by its first characters, then compared whole.
_PREFIX = 64
# Where its first characters are found this many times and the rest differs, it is left in.
_TRIES = 16


@dataclass
class Placeholders:
    """The cards of one page drawn as placeholders: `cards[i]` is (html, links) of a
    card; placeholder `token(p)` stands for the cards `groups[p]` names (first, count,
    and the text between two of them): one card, or every card of a `cards()` call
    printed by a loop `runs` names (`card_runs`: by the call, what the loop prints
    between two cards), so that a list of 10,000 cards is one placeholder, not 10,000
    turns of the template's loop."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    cards: list[tuple[str, CardLinks]] = field(default_factory=list)
    runs: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[int, int, str]] = field(default_factory=list)
    # the page view's ScriptData (`_html` hands them over), and those `cut` took out of
    # the skeleton, by the index its placeholder names
    data: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)
    where: list[tuple | None] = field(default_factory=list)   # by card (`add_run`)
    names: tuple[str, ...] = ()   # the page view's names of `data` (exporter.py `_prints_whole`)

    def add(self, html: str, links: CardLinks, where: tuple | None = None) -> str:
        """The placeholder printed for a card (letters and digits only: no escaping
        changes it, and no content can guess the nonce)."""
        return self.add_run([(html, links)], "", [where] if where is not None else None)

    def add_run(self, cards: list[tuple[str, CardLinks]], between: str, where: list[tuple] | None = None) -> str:
        """One placeholder for `cards` (at least one), which the page holds one after
        the other with `between` between two of them. `where`: for each card, how its
        fragment was asked for, its call's sort keys and its index there (render/spans.py
        `Ask`, `Order`), for a save that splices it in (`assemble_placed`)."""
        self.groups.append((len(self.cards), len(cards), between))
        self.cards += cards
        self.where += where if where is not None else [None] * len(cards)
        return f"hfcard{self.nonce}n{len(self.groups) - 1}e"

    @property
    def pattern(self) -> re.Pattern:
        """Matches this page's placeholders; group 1 is the placeholder's index."""
        return re.compile(f"hfcard{self.nonce}n(\\d+)e")

    @property
    def data_pattern(self) -> re.Pattern:
        """Matches the placeholders `cut` printed for script data; group 1: `taken`'s index."""
        return re.compile(f"hfcard{self.nonce}d(\\d+)e")

    def cut(self, skeleton: str) -> str:
        """The skeleton with each of `data` that holds no `<` (nor NUL), where it is first
        printed, as a placeholder of its own (`data_pattern`), which `assemble` puts back.
        The link check reads a page's elements and attributes only: `clean` takes it that
        the data changes nothing of them when its placeholder is then the whole text of a
        script or style element (the raw text ends only at a `</`, and the data has no
        `<` to make or move one); anywhere else the page is checked whole."""
        for text in self.data:
            if "<" in text or "\0" in text or not text:
                continue
            start, at = text[:_PREFIX], skeleton.find(text[:_PREFIX])
            for _ in range(_TRIES):
                if at == -1 or skeleton.startswith(text, at):
                    break
                at = skeleton.find(start, at + 1)
            if at == -1 or not skeleton.startswith(text, at):
                continue
            skeleton = f"{skeleton[:at]}hfcard{self.nonce}d{len(self.taken)}e{skeleton[at + len(text):]}"
            self.taken.append(text)
        return skeleton

    def release(self) -> None:
        """Let go of the page's cards, script data and where each card was asked for,
        once the page is assembled (exporter.py `_render`)."""
        self.cards, self.where, self.groups, self.data, self.taken = [], [], [], [], []

    def _text(self, placeholder: int) -> str:
        first, count, between = self.groups[placeholder]
        if count == 1:
            return self.cards[first][0]
        return between.join([html for html, _ in self.cards[first:first + count]])

    def _placed(self, placeholders) -> list[int]:
        """The cards the placeholders stand for."""
        return [card for p in placeholders for card in range(self.groups[p][0], self.groups[p][0] + self.groups[p][1])]

    def assemble(self, skeleton: str) -> str:
        """The page with every card (and script data `cut` took out) in place of its placeholder."""
        if not self.taken:
            return self.pattern.sub(lambda m: self._text(int(m.group(1))), skeleton)
        either = re.compile(f"hfcard{self.nonce}([nd])(\\d+)e")
        return either.sub(lambda m: self._text(int(m.group(2))) if m.group(1) == "n" else self.taken[int(m.group(2))],
                          skeleton)

    def assemble_placed(self, skeleton: str, log: SpanLog) -> bytes:
        """`assemble(skeleton)` as UTF-8, with each card and each entry of script data
        that knows how it was asked for placed in `log` at its byte span (render/spans.py):
        a save whose changed cards keep their place and their links splices them in.
        A card asked for twice on the page cannot be spliced in one place: the log is
        then told the page does not splice."""
        either = re.compile(f"hfcard{self.nonce}([nd])(\\d+)e")
        pieces: list[bytes] = []
        size, at = 0, 0
        seen = log.placed
        for match in either.finditer(skeleton):
            chunk = skeleton[at:match.start()].encode("utf-8")
            pieces.append(chunk)
            size += len(chunk)
            at = match.end()
            if match.group(1) == "d":
                text = self.taken[int(match.group(2))]
                items = getattr(text, "items", None)
                if items is not None:   # the search index: "[" entries joined by "," "]"
                    start = size + 1
                    for index, (ask, raw) in enumerate(items):
                        if ask.key in seen:
                            log.splices = False
                        log.place(Placed(ask, start, start + len(raw), _entry_bytes, text.order, index,
                                         partial(_entry_sort, text.sort)))
                        start += len(raw) + 1
                data = text.encode("utf-8")
                pieces.append(data)
                size += len(data)
                continue
            first, count, between = self.groups[int(match.group(2))]
            joint = between.encode("utf-8")
            for number in range(first, first + count):
                if number > first:
                    pieces.append(joint)
                    size += len(joint)
                html, links = self.cards[number]
                data = html.encode("utf-8")
                where = self.where[number] if number < len(self.where) else None
                if where is not None:
                    ask, order, index = where
                    if ask.key in seen:
                        log.splices = False
                    log.place(Placed(ask, size, size + len(data), CardPlace(links), order, index, _card_sort))
                pieces.append(data)
                size += len(data)
        pieces.append(skeleton[at:].encode("utf-8"))
        return b"".join(pieces)

    def clean(self, checker: LinkChecker, page: str, skeleton: str) -> bool:
        """True when the page certainly has no broken link: the skeleton's links and
        every placed card's links all land. False means "check the page whole"."""
        pattern = self.pattern
        placed = [int(i) for i in pattern.findall(skeleton)]
        data = len(self.data_pattern.findall(skeleton)) if self.taken else 0
        found, holes = collect_holes(skeleton, pattern, self.data_pattern if self.taken else None)
        if holes != len(placed) + data:
            return False   # a placeholder in an attribute, a comment or a script (script data: anywhere else)
        own = set(found.ids)
        for i in self._placed(placed):
            html, links = self.cards[i]
            if not links.contained:
                return False
            own.update(links.ids)
        if not checker.all_land(page, found.urls, own):
            return False
        known = checker.known
        for i in self._placed(set(placed)):
            for target, fragment in self.cards[i][1].links:
                if target is None or target not in known:
                    return False
                if fragment:
                    ids = own if target == page else checker.ids_of(target)
                    if ids is not None and unquote(fragment) not in ids:
                        return False
        return True


class CardPlace:
    """A placed card's `place` (render/spans.py Placed): the card drawn again (cards.py
    `_drawn`: sort key, HTML, links) as the bytes its page places, when its links are
    `links`, those the page was checked with (else None: the page's link check must
    look again). `logged`: those links as a CLI build's span log keeps them
    (render/stored_spans.py), which `place_card` checks the same way."""

    __slots__ = ("links",)

    def __init__(self, links: CardLinks | None):
        self.links = links

    def __call__(self, drawn: tuple) -> bytes | None:
        from ..books.mark_room import wants_rewrite
        # a card showing a tall script's word: its page is drawn whole (place_card)
        return drawn[1].encode("utf-8") if drawn[2] == self.links and not wants_rewrite(drawn[1]) else None

    @property
    def logged(self) -> list | None:
        return self.links.to_json() if self.links is not None else None


def place_card(drawn: tuple, logged: list | None) -> bytes | None:
    """`CardPlace(links)(drawn)` for the links a log kept (`CardPlace.logged`); None
    (the page drawn whole) for a card that now shows a tall script's word: its page is
    given the room (books/mark_room.py) whole, as the exporter's `_page` does, or a
    save's page showed a Myanmar hero's name drawn close that a clean build spaced."""
    from ..books.mark_room import wants_rewrite
    if logged is None or drawn[2] is None or drawn[2].to_json() != logged or wants_rewrite(drawn[1]):
        return None
    return drawn[1].encode("utf-8")


def _card_sort(drawn: tuple):
    return drawn[0]


def _entry_bytes(pair: tuple) -> bytes:
    """A search entry made again (views/site.py `_with_row`: its bytes, its row)."""
    return pair[0]


def _entry_sort(order, pair: tuple):
    return order(pair[1])


def call_name(macro: str, args: tuple, kwargs: dict) -> str:
    """A `cards(rows, macro, *args, **kwargs)` call as it reads, e.g. `person_card["h2"]`
    (the drawn cards' fragment keys name it; `card_runs` too)."""
    return macro + json.dumps([*args, dict(sorted(kwargs.items()))] if kwargs else list(args), ensure_ascii=False,
                              separators=(",", ":"))


# The texts the template check under way read, by name (`_parse`), for `_by_reads`.
_READS: ContextVar[dict | None] = ContextVar("foundry_splice_reads", default=None)


def _by_reads(check):
    """`check(env, name, ...)` (a page template's splice check: a function of the texts of
    the templates it parses and of how the environment parses, nothing else of it)
    remembered with those texts: answered again while every template it read still
    reads the same (`get_source`, as the check reads it) in an environment that parses
    alike (sandbox.py `parses_alike`). Each build's new environment, and a new project
    with the theme's templates, parsed and walked every page template's chain again
    (~0.03 CPU-s of a warm `build --only html` of the minimal project); the project's
    own fragments keep the answers only for that project. Each answer is kept with the
    digests of those texts, not the texts (as sandbox.py `_UNEXPORTED` keeps its reads): a
    template may be 1 MiB, each check reads its own copy, and every page template's
    answer, and every edit's in `foundry serve`, kept its chain's texts (one site build
    of a theme whose base.html includes twelve 1 MiB parts held 160 MB after it)."""
    memo: dict[tuple, list[tuple[dict[str, str | None], object]]] = {}

    @functools.wraps(check)
    def remembered(env, *args):
        key = (parses_alike(env), *args)
        for reads, answer in memo.get(key, ()):
            if all(loaded_digest(env, name) == digest for name, digest in reads.items()):
                return answer
        outer = _READS.get()
        token = _READS.set({})
        try:
            answer = check(env, *args)
            reads = _READS.get()
        finally:
            _READS.reset(token)
        if outer is not None:
            outer.update(reads)   # a check within a check: the outer one read them too
        if sum(map(len, memo.values())) >= 128:   # each holds the digests of the texts it read
            memo.clear()
        memo.setdefault(key, []).append(({name: None if text is None else text_digest(text)
                                          for name, text in reads.items()}, answer))
        return answer
    return remembered


@_by_reads
def card_runs(env, name: str) -> dict[str, str]:
    """For a page template that splices safely: each `cards()` call (by `call_name`)
    whose every plain loop, in the template and those it extends, prints the card once
    and the same text around it, with the text the page then holds between two of its
    cards (what the loop prints after the card, then before it). A loop over n cards
    prints n times `before card after`; printed once around a placeholder for all of
    them, `before (card after before card … card) after` is the same text. Calls not
    named (arguments not constant, loops of other shapes) are printed card by card."""
    runs: dict[str, str | None] = {}
    for tree in _chain_trees(env, name):
        for loop in tree.find_all(nodes.For):
            if not _is_cards(loop.iter) or not _plain_loop(loop):
                continue
            call, between = _call_of(loop.iter), _between(loop)
            if call is not None:
                runs[call] = between if runs.get(call, between) == between else None
    return {call: between for call, between in runs.items() if between is not None}


def _chain_trees(env, name: str) -> list:
    """The syntax trees of `name` and the templates it extends (one level each, as
    `_check_chain` walks them)."""
    trees, seen = [], set()
    while isinstance(name, str) and name not in seen:
        seen.add(name)
        try:
            tree = _parse(env, name)
        except (jinja2.TemplateError, OSError):
            return []
        trees.append(tree)
        parents = [e.template.value for e in tree.find_all(nodes.Extends)
                   if isinstance(e.template, nodes.Const) and isinstance(e.template.value, str)]
        name = parents[0] if len(parents) == 1 else None
    return trees


def _call_of(call: nodes.Call) -> str | None:
    """`call_name` of a `cards(rows, "macro", …)` call whose arguments after the rows
    are constants; None otherwise."""
    if len(call.args) < 2 or call.dyn_args is not None or call.dyn_kwargs is not None:
        return None
    consts = call.args[1:] + [k.value for k in call.kwargs]
    if not all(isinstance(c, nodes.Const) for c in consts) or not isinstance(call.args[1].value, str):
        return None
    return call_name(call.args[1].value, tuple(c.value for c in call.args[2:]),
                     {k.key: k.value.value for k in call.kwargs})


def _between(loop: nodes.For) -> str | None:
    """What a plain loop prints between two cards (after one, then before the next),
    or None when its body does not print the card exactly once."""
    parts: list[str | None] = []
    for output in loop.body:
        for part in output.nodes:
            parts.append(part.data if isinstance(part, nodes.TemplateData) else None)
    if parts.count(None) != 1:
        return None
    at = parts.index(None)
    return "".join(parts[at + 1:]) + "".join(parts[:at])


@_by_reads
def prints_whole(env, template: str, names: tuple[str, ...]) -> bool:
    """Whether page template `template` (with what it extends) prints each of `names`
    (the page's script data, `ScriptData`) exactly once, as a whole `{{ name }}`, outside
    any loop, macro, call, filter or `{% set %}` block, and nothing it includes or
    imports with the page's names can read them: then the page's bytes hold each
    entry of the data where `Placeholders.assemble_placed` places it, and nothing
    else of the page is made from it, so a save may splice a changed entry in."""
    trees = _chain_trees(env, template)
    if not trees:
        return False
    counts = dict.fromkeys(names, 0)
    for tree in trees:
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
            if isinstance(node, nodes.Include) or node.with_context:
                if not isinstance(node.template, nodes.Const) or _names_in(env, node.template.value, names):
                    return False
        if not _count_prints(tree, counts, inside=False):
            return False
    return all(count == 1 for count in counts.values()) and _again_safely(trees, names)


def _count_prints(node, counts: dict[str, int], inside: bool) -> bool:
    """Add to `counts` each whole `{{ name }}` of its names under `node`; False when
    one of them is read any other way, or printed inside a loop or a capturing block."""
    if isinstance(node, nodes.Output):
        for part in node.nodes:
            if isinstance(part, nodes.Name) and part.name in counts:
                if inside:
                    return False
                counts[part.name] += 1
            elif not _count_prints(part, counts, inside):
                return False
        return True
    if isinstance(node, nodes.Name) and node.name in counts:
        return False
    inner = inside or isinstance(node, (*CAPTURING, nodes.For))
    return all(_count_prints(child, counts, inner) for child in node.iter_child_nodes())


def _tree(env, name) -> "nodes.Template | None":
    """Template `name` parsed, or None when it is not a plain name or does not parse
    (the callers then assume the worst: it may read anything, draw anything)."""
    if not isinstance(name, str):
        return None
    try:
        return _parse(env, name)
    except (jinja2.TemplateError, OSError):
        return None


def _names_in(env, name, names: tuple[str, ...]) -> bool:
    """Whether template `name` (or one it includes or imports with context) may read
    one of `names`; True when it cannot be parsed."""
    tree = _tree(env, name)
    if tree is None:
        return True
    if any(node.name in names for node in tree.find_all(nodes.Name)):
        return True
    return any(isinstance(node, nodes.Include) or node.with_context
               for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)))


@_by_reads
def splices_safely(env, name: str) -> bool:
    """Whether page template `name` uses `cards()` only in the plain form (module
    docstring): then a placeholder stands exactly where its card is written. Parsing
    templates is slow: the exporter keeps the answer as a fragment (exporter.py)."""
    return _check_chain(env, name, set()) and _again_safely(_chain_trees(env, name), ())


def _block_again(node) -> str | None:
    """The block `self.<name>()` renders a second time (no arguments), else None."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) \
            and isinstance(node.node.node, nodes.Name) and node.node.node.name == "self" \
            and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs):
        return node.node.attr
    return None


def _again_safely(trees: list, names: tuple[str, ...]) -> bool:
    """Whether every block a template of the chain renders again (`self.description()`,
    the default theme's head: a shared link's og:description and JSON-LD say the meta
    description once more) holds, in every template of the chain, no `cards()` and none
    of `names` (the page's script data): its bytes are then the same text twice, and no
    card's placeholder or script entry stands in them. Any other use of `self` or
    `super` is not plain (`_plain`). A theme's head that said its description twice had
    every list page of the site rendered whole on each edit (no splice)."""
    again = {name for tree in trees for node in tree.find_all(nodes.Call) if (name := _block_again(node))}
    if not again:
        return True
    # a block rendered again renders the blocks it holds again too, as the chain's last
    # template to define each says them (`{% block extra %}<aside>{% block inner %}…`:
    # a page's own `inner` drawing its cards drew them twice, and a save spliced one copy)
    held = again
    while held:
        held = {inner.name for tree in trees for block in tree.find_all(nodes.Block) if block.name in held
                for inner in block.find_all(nodes.Block)} - again
        again |= held
    for tree in trees:
        for block in tree.find_all(nodes.Block):
            if block.name not in again:
                continue
            if any(_is_cards(call) or _block_again(call) for call in block.find_all(nodes.Call)):
                return False
            if any(node.name in names or node.name in ("self", "super") for node in block.find_all(nodes.Name)):
                return False
    return True


def _parse(env, name: str):
    """A template's syntax tree, parsed once per text (a page template and the
    templates it draws on are asked for by every page). Its text (None when it cannot
    be read) is recorded for the check under way (`_by_reads`)."""
    reads = _READS.get()
    try:
        source = env.loader.get_source(env, name)[0]
    except (jinja2.TemplateError, OSError):
        if reads is not None:
            reads[name] = None
        raise
    if reads is not None:
        reads[name] = source
    return _parse_text(env, source)


@alike_memo
def _parse_text(env, source: str):
    return env.parse(source)


def _check_chain(env, name: str, seen: set[str]) -> bool:
    if name in seen:
        return False
    seen.add(name)
    try:
        tree = _parse(env, name)
    except (jinja2.TemplateError, OSError):   # drawn in place, where the problem is reported
        return False
    if not _plain(tree, capturing=False):
        return False
    parents = list(tree.find_all(nodes.Extends))
    for extends in parents:
        if not isinstance(extends.template, nodes.Const) or not isinstance(extends.template.value, str):
            return False
        if not _check_chain(env, extends.template.value, seen):
            return False
    # a template it includes or imports must not draw cards (its output can be kept and taken apart)
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        if not isinstance(node.template, nodes.Const) or _draws_cards(env, node.template.value):
            return False
    return True


def _plain(node, capturing: bool) -> bool:
    if _block_again(node) is not None:
        return True   # `self.description()`: the block's own body is checked where it stands (`_again_safely`)
    if isinstance(node, nodes.Name) and node.name in ("super", "self"):
        return False
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "cards":
        return False   # reached only when not the iterable of a plain loop (below)
    if isinstance(node, nodes.For) and _is_cards(node.iter):
        if capturing or not _plain_loop(node):
            return False
        return all(_plain(child, capturing) for child in node.iter.iter_child_nodes())
    inner = capturing or isinstance(node, CAPTURING)
    return all(_plain(child, inner) for child in node.iter_child_nodes())


def _is_cards(node) -> bool:
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "cards"


def _plain_loop(loop: nodes.For) -> bool:
    """`{% for card in cards(…) %}{{ card }}{% endfor %}`, text around the card allowed."""
    if not isinstance(loop.target, nodes.Name) or loop.else_ or loop.test is not None or loop.recursive:
        return False
    for output in loop.body:
        if not isinstance(output, nodes.Output):
            return False
        for part in output.nodes:
            if isinstance(part, nodes.TemplateData):
                continue
            if not (isinstance(part, nodes.Name) and part.name == loop.target.name):
                return False
    return True


def _draws_cards(env, name) -> bool:
    tree = _tree(env, name)
    return tree is None or any(_is_cards(call) for call in tree.find_all(nodes.Call))
