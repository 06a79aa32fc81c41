"""build/twee/<story>.twee: each story as Twee 3 source for the SugarCube 2 story
format (docs/writing-stories.md, "Exports: ink and Twee").

The mapping: StoryTitle and StoryData (an IFID derived from the project and story,
the start scene); StoryInit sets the story variables, the protagonist's values, skills
and items; each scene → a passage named by its id (tagged `ending` on endings): its
prose as verbatim HTML under its heading (the site's HTML of the title), then its
choices as `<<link>>`s (their words' HTML: SugarCube wikifies a link's text, tags
included), each inside `<<if>>` when it has a condition, applying its effects when
clicked.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid

from .. import expr
from ..diagnostics import Diagnostics
from ..load.markdown import without_imported_blocks
from ..expr.emit import item_variable, skill_variable, to_sugarcube, to_sugarcube_effects
from ..stories.scenes import Choice, Scene
from ..resolve.world import World
from .base import Plan, Planned, PlanParts, RenderContext, Untemplated, Whole
from ..exporters.languages import in_language, plan_languages
from .story_text import StoryExport, one_line, prepare

FORMAT = "SugarCube"
FORMAT_VERSION = "2.37.3"


class TweeExporter(Whole, Untemplated):
    name = "twee"
    version = "1"

    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        # One file per story and output language (twee/<lang>/<story>.twee): exporters/languages.py
        return Plan(tuple(plan_languages(lambda w: [Planned(f"twee/{sid}.twee", sid) for sid in sorted(w.stories)], world, self.name)))

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        with in_language(ctx, item) as (ctx, item):
            world: World = ctx.world
            export = prepare(world, item.data)
            return twee_source(export, world.project.config.project.title, ctx.diags, world.locale,
                               world.project.config.project.language).encode("utf-8")


def ifid(project_title: str, story_id: str) -> str:
    """A Treaty of Babel IFID: an uppercase UUID version 4, derived from the project's
    title and the story's id so that every build of the story gets the same one."""
    digest = hashlib.sha256(f"hero-foundry\n{project_title}\n{story_id}".encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def twee_source(export: StoryExport, project_title: str, diags: Diagnostics, locale=None, language: str = "") -> str:
    """The story as Twee 3. With a `locale` (a project with [l10n] languages), line ids
    ride along: each scene passage is tagged `line:<its title's line id>`, its
    paragraphs carry `data-line` (the localized view's marks) and each choice's `<li>`
    a `data-line`; a translation is a story of its own, with its own IFID. A story in a
    right-to-left `language` (the World's) holds each passage's prose and choices in
    elements with its `lang` and `dir="rtl"`: SugarCube's page has neither, so an
    Arabic story was laid out left to right."""
    story = export.story
    own = story.id if locale is None or locale.is_base else f"{story.id}@{locale.language}"
    data = {"ifid": ifid(project_title, own), "format": FORMAT, "format-version": FORMAT_VERSION,
            "start": story.front.start}
    passages = [
        ("StoryTitle", [], story_title(story.front.title) or story.id),
        ("StoryData", [], json.dumps(data, indent=2, ensure_ascii=False)),
        ("StoryInit", [], _story_init(export)),
    ]
    ids = f"story.{story.id}" if locale is not None else None
    marks = locale.fallback_marks if locale is not None else (lambda line_id: {})
    passages += [(scene.id, (["ending"] if scene.ending else []) + ([f"line:{ids}.scene.{scene.id}"] if ids else []),
                  _scene_body(scene, export, diags, ids, marks, _direction(language)))
                 for scene in story.scenes.values()]
    return "\n\n".join(_passage(name, tags, body) for name, tags, body in passages) + "\n"


# U+2060 WORD JOINER: a character no reader sees, which a line can start with.
_UNSEEN = "\u2060"


def story_title(title: str) -> str:
    """The StoryTitle passage's text: the title as written, on one line ("" for a
    title of white space only). Tweego and extwee read it as plain text (trimmed,
    no markup, no character references), so only a title opening with `::` needs
    anything: that line would be read as the next passage's header, and plain text
    has no escape, so an unseen WORD JOINER goes before it. Every colon stays."""
    text = one_line(title)
    return _UNSEEN + text if text.startswith("::") else text


def _passage(name: str, tags: list[str], body: str) -> str:
    header = f":: {name}" + (f" [{' '.join(tags)}]" if tags else "")
    # A content line starting with `::` would read as the next passage's header.
    body = "\n".join("&#58;" + line[1:] if line.startswith("::") else line for line in body.split("\n"))
    return f"{header}\n{body}"


def _story_init(export: StoryExport) -> str:
    lines = []
    if export.variables:
        lines.append("/* Story variables */")
        lines += [_set(name, value) for name, value in export.variables.items()]
    who = export.player.hero or "an average level-1 hero"
    lines.append(f"/* The hero ({_comment(who)}): fixed for this export */")
    lines += [_set(name, value) for name, value in export.hero.items()]
    lines += [_set(skill_variable(s), has) for s, has in export.skills.items()]
    if export.items:
        lines.append("/* Items: the hero's, and those the story tests or moves */")
        lines += [_set(item_variable(i), has) for i, has in export.items.items()]
    return "\n".join(lines)


def _set(name: str, value) -> str:
    if isinstance(value, bool):
        literal = expr.Bool(value)
    elif isinstance(value, str):
        literal = expr.String(value)
    else:
        literal = expr.Number(value)
    return f"<<set ${name} to {to_sugarcube(literal)}>>"


def _comment(text: str) -> str:
    return text.replace("*/", "* /")


def _attributes(marks: dict[str, str]) -> str:
    """ lang="en" dir="ltr" class="l10n-fallback" (Locale.fallback_marks), or "" for a translated line."""
    return "".join(f' {name}="{html.escape(value)}"' for name, value in marks.items())


def _direction(language: str) -> dict[str, str]:
    """lang and dir for a right-to-left language, {} otherwise (left to right is the page's own)."""
    from ..l10n.scripts import text_direction
    return {"lang": language, "dir": "rtl"} if language and text_direction(language) == "rtl" else {}


def _scene_body(scene: Scene, export: StoryExport, diags: Diagnostics, ids: str | None = None,
                marks=lambda line_id: {}, direction: dict[str, str] | None = None) -> str:
    """`marks(line id)`: a line's fallback marks — a heading or a choice shown in the
    base language carries them, as its paragraphs (already in scene.html) do.
    `direction`: the story's lang and dir, on a <div> around the prose and on the list."""
    heading = _attributes(marks(f"{ids}.scene.{scene.id}")) if ids else ""
    # The heading is HTML like the prose under it, so it keeps the writer's emphasis and
    # code as the site shows them (title_html: only <em>, <strong>, <s>, <code>); plain
    # text dropped them here while a `###` heading in the same passage kept them.
    title = one_line(scene.title_html) if scene.title_html else html.escape(one_line(scene.title))
    body = f"<h2{heading}>{_verbatim(title)}</h2>\n{_verbatim(without_imported_blocks(scene.html)).strip()}"
    if direction:
        body = f"<div{_attributes(direction)}>{body}</div>"
    prose = f"<html>{body}\n</html>"
    choices = [line for choice in scene.choices for line in _choice(choice, export, diags, ids, marks)]
    if scene.ending or not choices:
        return prose
    # <<nobr>>: in SugarCube a line break in a passage is shown as one.
    return "\n".join([prose + "<<nobr>>", f'<ul class="choices"{_attributes(direction or {})}>', *choices, "</ul>",
                      "<</nobr>>"])


def _verbatim(prose_html: str) -> str:
    """Sanitised HTML inside SugarCube's `<html>…</html>`, which ends at the first
    `</html`. In sanitised prose that can only be inside an attribute value, where
    `&lt;` means the same.

    No `[[` is left either: SugarCube shows it as text here, but every other reader of
    the file takes it for a link wherever it stands (Twine 2's story map and
    `foundry import` alike): a heading or a paragraph saying `[[the old gate]]` drew a
    broken link to a passage 'the old gate', which Twine's editor then makes, and the
    importer made it a choice and lost the heading. The first of each two brackets is
    a character reference, which reads the same in text and in an attribute."""
    escaped = re.sub(r"<(?=/html)", "&lt;", prose_html, flags=re.IGNORECASE)
    return _LINK_OPEN.sub("&#91;", escaped)


# A bracket another bracket follows: what opens a Twine link in every format's reading.
_LINK_OPEN = re.compile(r"\[(?=\[)")


def _choice(choice: Choice, export: StoryExport, diags: Diagnostics, ids: str | None = None,
            marks=lambda line_id: {}) -> list[str]:
    try:
        condition = export.condition(choice)
        effects = to_sugarcube_effects(export.effects(choice))
    except expr.ExprError as err:  # the story check refuses these; never a traceback
        span = choice.condition_span or choice.span
        diags.add(err.code, f"cannot export to SugarCube: {err.message}", span.shifted(err.offset, err.length))
        return []
    line = f' data-line="{ids}.choice.{choice.id}"{_attributes(marks(f"{ids}.choice.{choice.id}"))}' if ids else ""
    link = (f'<li data-choice="{choice.id}"{line}><<link "{wiki_html(choice.html)}" "{choice.target}">>'
            f"{effects}<</link>></li>")
    return [f"<<if {to_sugarcube(condition)}>>{link}<</if>>" if condition is not None else link]


_ALWAYS = frozenset('"#$%&*/<=>@[\\]^_`{|}~')

# The schemes of SugarCube's `urlLink` parser (a `core` one, so it reads a link's text):
# a scheme, a colon and what follows it up to a space or quote become an external link,
# anywhere in a word. Its text is the source as written, character references
# undecoded, so `https://x.org/map` showed `https:&#47;&#47;x.org&#47;map` in a link to
# nowhere, and `javascript:…` was a link that ran script. The colon after one is written
# as a reference: no scheme is followed by a colon any more, and the words read the same.
_URL_SCHEME = re.compile(r"(?:file|https?|mailto|ftp|javascript|irc|news|data)(?=:)", re.IGNORECASE)

# The tags a choice's HTML holds (load/markdown.py inline_forms: emphasis, strong,
# strike-through, code), without attributes: SugarCube wikifies a link's text with its
# HTML tags (the `htmlTag` parser of the `core` profile) as the site shows them.
_CHOICE_TAG = re.compile(r"</?(?:em|strong|s|code)>")


def wiki_html(fragment: str) -> str:
    """A choice's words as HTML (Choice.html) for a `<<link>>`'s text: its tags kept,
    so *tracks* and `trail` show as the site shows them (the text outputs, ink, show
    the words), and its text written by `wiki_text`, each character that could start
    SugarCube markup a character reference; no `"` nor `\\` (a quoted argument)."""
    out, last = [], 0
    for m in _CHOICE_TAG.finditer(fragment):
        out += [wiki_text(html.unescape(fragment[last:m.start()])), m.group(0)]
        last = m.end()
    out.append(wiki_text(html.unescape(fragment[last:])))
    return "".join(out)


def wiki_text(text: str) -> str:
    """Plain text for a place SugarCube reads as markup (a link's text), shown as
    written: characters that could start markup become HTML character references.
    Some are markup only in company: `''` bold, `--` dash, `?name` a template, `!` a
    heading at the start, the colon of a URL's scheme (`https:`, `javascript:`) a link. The result also holds no `"` or `\\`, so it can sit inside a
    quoted macro argument."""
    out = []
    schemes = {m.end() for m in _URL_SCHEME.finditer(text)}   # the colon after each
    for i, char in enumerate(text):
        following = text[i + 1:i + 2]
        risky = (char in _ALWAYS
                 or i in schemes
                 or (char in "'-" and following == char)
                 or (char == "?" and (following.isalpha() or following in "_$"))
                 or (char == "!" and i == 0))
        out.append(f"&#{ord(char)};" if risky else char)
    return "".join(out)
