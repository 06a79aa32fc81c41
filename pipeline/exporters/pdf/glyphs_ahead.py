"""HF0741 said by `foundry check`, as the PDF build will say it.

The build learns that a character prints as an empty box from WeasyPrint, while the
book is laid out (glyphs.py), so `check --strict` passed a hero named in a script no
font on the machine has and `build --only pdf --strict` stopped on it. Whether a
character prints needs no layout: it is whether some font has it (coverage.py). Where
the build says it needs the books' text, which check does not lay out: the lines a
book prints are the World's lines (l10n/lines.py: names, titles, prose, choices, rule
labels, in each language the PDFs are made in) and foundry.toml's title, description
and authors, so a character no font has is said at a content line holding it only
when a word of that line holding it is one of those — the words the compendium and
the gamebooks print — with glyphs.py's own report, the same words at the same place
(the collector keeps one of identical diagnostics, so a build says each once). A
character only a comment or an unprinted field holds is said by neither. The project's
own print stylesheets print words too, as generated content (`h1::after { content:
"…" }`, a page's margin box): a string of a `content` declaration is taken as printed
when its rule's selector matches an element of a book's document (made without layout,
as for the theme's catalog words), and a margin box's always, so check says what the
build will at the stylesheet's line, and nothing of a rule no book's element meets.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...diagnostics import Diagnostics
from ..books.theme import own_theme_texts
from .coverage import unprintable
from .glyphs import BOX, escaped, report_missing
from .theme_language import theme_language


def unprintable_ahead(world: Any, theme: Any, diags: Diagnostics) -> None:
    """HF0741 at each content line a PDF of `world` would print characters of that no
    font can print, in words and place as the build's render says them. `theme`: the
    print theme (books.theme.PrintTheme), None when there is none (said elsewhere)."""
    if theme is None or _own_book_templates(theme):
        return
    from ..languages import translation_texts
    from ...resolve.localized import localized, output_languages
    languages = output_languages(world, "pdf")
    views = [(localized(world, language), language) for language in languages] or [(world, None)]
    entries = sorted(world.entries(), key=lambda e: e.path)
    paths = {e.path for e in entries}
    texts = [(e.path, e.doc.source.text) for e in entries]
    # each language's translations of the content files and of the rule book
    translated = {language: (translation_texts(view, paths), translation_texts(view, set(world.rules.sources)))
                  for view, language in views if language is not None}
    rules = list(_rule_texts(world))
    # the project theme's own words (its catalogs, its print stylesheets' generated
    # content), looked in after foundry.toml as the render's report looks in them
    sheets = _own_stylesheets(theme)
    config = [*_config_of(world), *own_theme_texts(world.project.root, theme, catalogs_only=True), *sheets]
    # the theme's own words in each language (its catalog's), said at the language's tag
    spoken = {language: theme_language(view, theme) for view, language in views}
    chars: set[str] = {char for found in spoken.values() if found is not None for char in found.characters()}
    for _, text in [*texts, *rules, *config, *(t for pair in translated.values() for found in pair for t in found)]:
        if not text.isascii():
            chars.update(text)
        # a character written as an escape (`&#x…;`, YAML's `\U…`, a stylesheet's `\1F6F6`) prints too
        if "&" in text or "\\" in text:
            chars.update(escaped(text, css=True))
    _apart_ahead(world, views, texts, translated, theme, diags, rules)
    # A theme font prints in the books whose stylesheets declare it: base.css (and what it
    # imports) is every shipped book's, sheet.css the hero sheets', gamebook.css the
    # gamebooks'. Counted for every book, one declared in sheet.css alone left the
    # compendium printing the hero's name as boxes, check clean. A scene's prose and
    # choices print in the gamebook alone: its fonts count for them (`scenes_only`).
    from ..books.css_imports import read_with
    shared = frozenset(read_with(theme.files, "css/base.css"))
    missing = unprintable(chars - _ASCII, theme.files, sheets=shared) if chars else set()
    scenes_only = missing - unprintable(missing, theme.files, sheets=shared | read_with(theme.files, "css/gamebook.css"))
    if not missing:
        return
    found = Diagnostics()
    holds = _holder(missing)
    # the theme's words a book prints are known from its document (no layout): made only
    # when a file of the project's theme holds such a character
    themed = (any(holds(text) for path, text in config if path.startswith("themes/"))
              or any(found is not None and not missing.isdisjoint(found.characters()) for found in spoken.values()))
    generated = [rule for _, text in sheets if holds(text) for rule in _generated(text)]
    for view, language in views:
        own, own_rules = translated.get(language, ([], []))
        for chars_here, scenes in ((missing - scenes_only, True), (scenes_only, False)):
            if not chars_here:
                continue
            printed = BOX.join([*_printed_lines(view, language, holds, scenes), *_world_words(world),
                                *(_books_text(view, theme, generated) if themed else ())])
            report_missing(chars_here, _holding(chars_here, [*own, *texts]), found, printed=printed,
                           more=_holding(chars_here, [*own_rules, *rules]), config=config, language=spoken[language])
    # what no content line holds is the theme's own text (glyphs.py says it at foundry.toml
    # with no line): check reads no theme words, so it foretells only what is at a line
    diags.extend(d for d in found.items if d.span.line)


_ASCII = frozenset(map(chr, range(128)))


def _apart_ahead(world: Any, views: list, texts: list[tuple[str, str]], translated: dict, theme: Any,
                 diags: Diagnostics, rules: list[tuple[str, str]] = ()) -> None:
    """HF0761 at each content line a PDF of `world` prints a letter and a mark of, drawn
    apart (marks_apart.py), as the build's render says it: only files and printed lines
    holding a letter followed by a mark are read; the rule book's `rules` ((path, text))
    after the content's, then foundry.toml (its title, description, authors), as the
    build's report looks in them."""
    from .marks_apart import may_hold_cluster, report_apart, written_clusters
    known: dict[str, bool] = {}

    # asked of every file for every book view: answered once a text (issue 13's cold
    # check: 0.5 CPU-s of splitting 10,000 heroes' lines again for each view)
    def has(text: str) -> bool:
        found = known.get(text)
        if found is None:
            found = known[text] = may_hold_cluster(text) and any(
                True for line in text.splitlines() for _ in written_clusters(line))
        return found
    for view, language in views:
        own, own_rules = translated.get(language, ([], []))
        files = [(path, text) for path, text in [*own, *texts, *own_rules, *rules, *_config_of(world)] if has(text)]
        if files:
            printed = BOX.join([*_printed_lines(view, language, has), *_world_words(world)])
            report_apart(files, printed, theme.files, diags)


def _own_book_templates(theme: Any) -> bool:
    """Whether the project's print theme has a PDF template of its own (the EPUB's, under
    templates/epub/, print no PDF). What the books print is then what that template
    prints, which only its render knows: one printing an attribute's description (which
    the shipped sheets never do) had the build say HF0741 that check did not, and one
    leaving a hero's background out had check warn of a box no book showed. As for a
    portrait's print size (resolution.py), the build alone says it then. A template the
    project holds byte for byte as shipped (`foundry theme eject` copies every one, to
    restyle the CSS) prints what the shipped one prints: check foretold nothing for an
    ejected theme while its build said HF0741 at the hero's line."""
    from ..books.theme import DEFAULT_LABEL
    from ..html.theme import as_shipped
    return any(rel.startswith("templates/") and not rel.startswith("templates/epub/")
               and not theme.origins.get(rel, DEFAULT_LABEL).startswith(DEFAULT_LABEL)
               and not as_shipped(data, "print/" + rel) for rel, data in theme.files.items())


def _holder(missing: set[str]) -> Any:
    """Whether a text holds a character of `missing`, as written or as an escape."""
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(missing)) + "]")
    return lambda text: bool(pattern.search(text)) or (("&" in text or "\\" in text)
                                                       and not missing.isdisjoint(escaped(text, css=True)))


def _holding(missing: set[str], texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The files of `texts` holding a character of `missing`: report_missing reads
    every other file character by character in Python (seconds for 10,000 heroes) to
    find nothing."""
    holds = _holder(missing)
    return [(path, text) for path, text in texts if holds(text)]


def _blocks(text: str) -> str:
    """The words a Markdown line prints, each block's (a paragraph, a heading, a table's
    cell) ended by BOX as the laid-out book ends its boxes: l10n's plain_text runs a
    table's cells together ('abx 𱍒y'), and a word in a cell was not found printed."""
    from ...load.markdown import markdown
    out = []
    for block in markdown().parse(text):
        if block.type == "inline":
            out.append("".join(tok.content if tok.type in ("text", "code_inline") else " "
                               for tok in block.children or [] if tok.type in ("text", "code_inline", "softbreak",
                                                                                 "hardbreak")))
        elif block.type in _CODE:   # a block of code (a paragraph of prose may end in one), as typed
            out.append(block.content)
    # a line of no blocks prints nothing: a link's reference definition (`[r]: https://…
    # "title"`, a paragraph of its own) was taken as printed as typed, and its address's
    # and title's characters were HF0741 where the book prints only the link's text
    return BOX.join(out)


_CODE = ("fence", "code_block")   # markdown-it's blocks of code: ``` fenced, and indented


def _story_words(entry: Any) -> list[str]:
    """What a gamebook prints of a story that is no line of it (l10n/lines.py; none of
    it is translated): the strings its variables start as (the adventure sheet's
    'starts at “Sea”'), the strings its choices test and set ('change your motto to
    “Tide”', exporters/books/words.py), and its blocks of code. The build said a
    character no font has in any of them, check nothing."""
    from ...expr.nodes import String, walk
    from ...load.markdown import markdown
    story = entry.model
    out = [value for value in story.front.variables.values() if isinstance(value, str)]
    for scene in story.scenes.values():
        for choice in scene.choices:
            trees = [*([choice.condition_ast] if choice.condition_ast is not None else []), *choice.effects_ast]
            out += [node.value for node in walk(trees) if isinstance(node, String)]
    out += [block.content for block in markdown().parse(entry.doc.body) if block.type in _CODE]
    return out


def _printed_lines(world: Any, language: str | None, holds: Any = lambda text: True,
                   scenes: bool = True) -> list[str]:
    """The plain text of every line (l10n/lines.py) a PDF of `world` prints, in
    `language` (None: a World without languages): every content line, and of the rule
    book the names the sheets print — the attributes' and derived stats' when there is
    a hero, a skill's when a hero has it, a relationship kind's when a tie is of that
    kind, and the descriptions of those attributes, derived stats and skills (a sheet
    prints each skill's and derived stat's under it, the compendium the attributes'
    on its heroes' opening page: check said nothing of a skill's description the
    build's sheets printed as boxes); the names of the hero templates heroes are made
    from, a hero's notes on her ties; never a relationship kind's description, which
    no book prints. Only the lines `holds` a character of (a printed word is asked about
    only when it holds one: the others are not parsed). `scenes`: False leaves out a
    story's paragraphs and choices (printed in its gamebook alone)."""
    from ...diagnostics import Diagnostics as Quiet
    from ...l10n.lines import collect_lines
    from ...l10n.markup import plain_text
    l10n = world.l10n
    if l10n is not None:
        pairs = [(r.line, r.text) for r in l10n.resolve(language or l10n.base)]
    else:
        pairs = [(line, line.text) for line in collect_lines(world, Quiet())]
    used = {"attribute": set(world.rules.attributes) if world.heroes else set(),
            "derived": set(world.rules.derived) if world.heroes else set(),
            "skill": {skill for sheet in world.sheets.values() for skill in sheet.skills},
            "relationship": {edge.kind for edge in world.relationships}}
    out = []
    for line, text in pairs:
        parts = line.id.split(".")   # rules.<kind>.<id>.<field> (ids are slugs: no dots)
        if parts[0] == "rules" and (len(parts) != 4 or parts[3] not in _PRINTED_FIELDS.get(parts[1], ())
                                    or parts[2] not in used.get(parts[1], ())):
            continue
        if line.kind == "scene-title" or not holds(text):   # a gamebook numbers its sections: a scene's
            continue                                             # title is the site's
        if not scenes and parts[0] == "story" and line.kind in ("paragraph", "choice"):
            continue
        if line.kind == "note" or parts[0] == "template":
            continue   # a template's name and a note print only where said below (a hero's sheet)
        out.append(_blocks(text) if line.markup else plain_text(text))
    # the hero templates' names, on the sheets of the heroes made from them (`world` is
    # the language's view: in its words)
    chains = {template for sheet in world.sheets.values() for template in sheet.template_chain}
    out += [world.templates[t].model.name for t in sorted(chains) if t in world.templates]
    # a hero's notes on her ties, beside them on her sheet (a character's are on no sheet)
    out += [edge.note for edge in world.relationships if edge.note and edge.source in world.heroes]
    # a story's words no line holds, in its gamebook (only a story whose file holds such a
    # character: the others' scenes are not made)
    out += [text for entry in world.stories.values() if holds(entry.doc.source.text) for text in _story_words(entry)]
    return [text for text in out if holds(text)]


# The fields of the rule book the books print, by kind (themes/default/print/templates/
# macros.html.j2: the sheet; compendium.html.j2: the attributes' descriptions)
_PRINTED_FIELDS = {"attribute": ("name", "description"), "derived": ("name", "description"),
                   "skill": ("name", "description"), "relationship": ("name",)}


def _books_text(world: Any, theme: Any, generated: list[tuple[Any, list[str]]] = ()) -> list[str]:
    """The text of every PDF's document made from `world` (one language's view), as the
    render lays it out, without the layout: the theme's own words among them (a heading
    'Attributes' in the theme's catalog's language), which only the templates say when
    they print, and the strings of each `generated` rule ((selectors, strings): _generated)
    whose selectors meet an element of a document (None: a page's margin box, always).
    Only the shipped templates are rendered here (_own_book_templates)."""
    from lxml import html as lxml_html

    from ...budget import OutOfMemory
    from .exporter import _books, book_html, book_of
    quiet, out = Diagnostics(), []
    # One hero sheet: the compendium prints every hero's sheet with the same macro, so the
    # sheets add only their template's own words (the notes' heading), the same in each;
    # rendering every sheet cost ~4 CPU-s a thousand heroes
    books = [item for item in _books(world) if item.data[0] != "hero"]
    books += [item for item in _books(world) if item.data[0] == "hero"][:1]
    for item in books:
        try:
            document = book_html(world, theme, book_of(world, item.data, theme), quiet)
        except OutOfMemory:   # a book too large to make: the build says so, and prints nothing
            continue
        if document:   # the page's text (the <head>'s title is the PDF's metadata, never printed)
            root = lxml_html.fromstring(document)
            out.append(BOX.join((root.find("body") if root.find("body") is not None else root).itertext()))
            out += [BOX.join(strings) for selectors, strings in generated
                    if selectors is None or _meets(selectors, root)]
    return out


def _own_stylesheets(theme: Any) -> list[tuple[str, str]]:
    """(path, text) of the project's own print stylesheets WeasyPrint reads (the
    EPUB's, css/epub.css, it does not)."""
    out = []
    for rel, data in sorted(theme.files.items()):
        origin = theme.origins.get(rel, "")
        if rel.endswith(".css") and rel != "css/epub.css" and origin.startswith("themes/"):
            try:
                out.append((origin, data.decode("utf-8")))
            except UnicodeDecodeError:   # WeasyPrint reads no words from it either
                continue
    return out


def _generated(css: str) -> list[tuple[Any, list[str]]]:
    """(selectors, strings) of each rule of the stylesheet `css` whose `content` holds
    strings: its compiled selectors (cssselect2, as WeasyPrint matches them; a selector
    it cannot read is left out), None for a page's margin box (printed on every page),
    and the strings as printed (escapes decoded). Rules inside @media and @supports count."""
    import cssselect2
    import tinycss2

    def strings(declarations) -> list[str]:
        found = []
        for item in declarations:
            if item.type == "declaration" and item.lower_name == "content":
                found += [token.value for token in item.value if token.type == "string" and token.value]
            elif item.type == "at-rule" and item.content is not None:   # a margin box in @page
                found += strings(tinycss2.parse_blocks_contents(item.content, skip_comments=True,
                                                                skip_whitespace=True))
        return found

    out: list[tuple[Any, list[str]]] = []

    def read(rules, depth: int = 0) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                said = strings(tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True))
                if said:
                    try:
                        out.append((cssselect2.compile_selector_list(rule.prelude), said))
                    except cssselect2.SelectorError:
                        continue
            elif rule.type == "at-rule" and rule.content is not None:
                if rule.lower_at_keyword == "page":
                    said = strings(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                  skip_whitespace=True))
                    if said:
                        out.append((None, said))
                elif rule.lower_at_keyword in ("media", "supports") and depth < 8:
                    read(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), depth + 1)

    read(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return out


def _meets(selectors: list[Any], root: Any) -> bool:
    """Whether a compiled selector of `selectors` matches an element of the document
    `root` (its pseudo-element, ::before or ::after, is drawn on that element)."""
    import cssselect2
    return any(selector.test(element) for element in cssselect2.ElementWrapper.from_html_root(root).iter_subtree()
               for selector in selectors)


def _world_words(world: Any) -> list[str]:
    """foundry.toml's words every book prints: the world's title, description, authors."""
    info = world.project.config.project
    return [info.title, info.description, *info.authors]


def _config_of(world: Any) -> Iterator[tuple[str, str]]:
    from ...load.project import CONFIG_NAME, config_text
    try:
        yield CONFIG_NAME, config_text(world.project.root)
    except (OSError, UnicodeDecodeError, ValueError):
        return


def _rule_texts(world: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of the rule book's files (attribute, skill and relationship names
    print on the sheets), as glyphs.py looks in them after the book's own files."""
    from ...load.files import read_text
    root = world.project.root
    for rel in sorted(world.rules.sources):
        found = read_text(root / rel, rel, Diagnostics())
        if found is not None:
            yield rel, found.text
