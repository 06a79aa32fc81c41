"""A story's Markdown body → scenes and choices, each pointing back to its line.

Syntax (docs/writing-stories.md): a scene is a level-2 heading ending in
`{#scene-id}` (with ` .ending` for an ending); a choice is a list item holding one
link to `#scene-id`, optionally followed by `{if="…" do="…" id="…"}`. Everything
else is prose. markdown-it gives every block its source lines (`token.map`), which
is what makes every scene and choice reportable at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from ..diagnostics import Diagnostics, Span, clip
from ..fields import SLUG_PATTERN
from ..load.documents import Document
from ..load.markdown import markdown, sanitize, without_large_tables

_HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_SLUG = re.compile(SLUG_PATTERN)
CHOICE_ATTRS = ("if", "do", "id")
WORDS = re.compile(r"\b\w[\w'’-]*\b")


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    target: str
    condition: str | None
    effects: str | None
    span: Span              # the choice's `[`
    target_span: Span
    condition_span: Span | None
    effects_span: Span | None
    authored_id: bool
    condition_ast: Any = None          # filled in by the story check, once names are known
    effects_ast: tuple = ()


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    ending: bool
    span: Span
    html: str               # sanitised prose, choices excluded
    text: str               # the prose as plain text
    words: int
    choices: tuple[Choice, ...]


@dataclass
class _Draft:
    id: str
    title: str
    ending: bool
    span: Span
    prose: list[Token] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


def parse_scenes(doc: Document, diags: Diagnostics) -> list[Scene]:
    tokens = markdown().parse(without_large_tables(doc.body, doc.path, doc.body_line, diags))
    drafts: list[_Draft] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag == "h2":
            drafts.append(_heading(doc, tok, tokens[i + 1], diags))
            i += 3
            continue
        end = _block_end(tokens, i)
        block = tokens[i:end]
        if not drafts:
            if any(t.type == "inline" and t.content.strip() for t in block):
                diags.add("HF0518", "text before the first scene heading belongs to no scene", _line_span(doc, tok))
        elif tok.type == "bullet_list_open" and _is_choice_list(block):
            drafts[-1].choices += _choices(doc, block, drafts[-1].id, diags)
        else:
            drafts[-1].prose += block
        i = end
    return [_finish(d, doc, diags) for d in drafts]


def _block_end(tokens: list[Token], start: int) -> int:
    """Index after the top-level block starting at `start`."""
    depth, i = 0, start
    while i < len(tokens):
        depth += tokens[i].nesting
        i += 1
        if depth == 0:
            return i
    return i


def _line_span(doc: Document, tok: Token, column: int = 1) -> Span:
    line = doc.body_line + (tok.map[0] if tok.map else 0)
    return Span(doc.path, line, column)


def _heading(doc: Document, open_tok: Token, inline: Token, diags: Diagnostics) -> _Draft:
    span = _line_span(doc, open_tok, 1)
    m = _HEADING_ATTRS.search(inline.content)
    title = inline.content[: m.start()].strip() if m else inline.content.strip()
    attrs = m.group(1).split() if m else []
    ids = [a[1:] for a in attrs if a.startswith("#")]
    ending = ".ending" in attrs
    if not ids:
        diags.add("HF0502", f"scene '{clip(title, 40)}' has no id", span,
                  hint=f"End the heading with an id: `## {clip(title, 40)} {{#{_suggest_id(title)}}}`.")
        return _Draft("", title, ending, span)
    sid = ids[0]
    if not _SLUG.match(sid):
        diags.add("HF0113", f"scene id '{clip(sid, 40)}' is not a lowercase slug", span,
                  hint=f"Try `{{#{_suggest_id(sid)}}}`.")
    return _Draft(sid, title, ending, span)


def _suggest_id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "scene"


def _lone_link(item_tokens: list[Token]) -> Token | None:
    """The inline token of a list item that is exactly one link to `#…`, else None."""
    inlines = [t for t in item_tokens if t.type == "inline"]
    if len(inlines) != 1 or len([t for t in item_tokens if t.type == "paragraph_open"]) != 1:
        return None
    kids = [c for c in inlines[0].children or [] if not (c.type == "text" and not c.content.strip())]
    if not kids or kids[0].type != "link_open" or kids[-1].type != "link_close":
        return None
    if sum(1 for c in kids if c.type == "link_open") != 1:
        return None
    return inlines[0] if str(kids[0].attrs.get("href", "")).startswith("#") else None


def _items(block: list[Token]) -> list[list[Token]]:
    items, current, depth = [], [], 0
    for tok in block[1:-1]:
        if tok.type == "list_item_open" and depth == 0:
            current = []
        depth += tok.nesting
        current.append(tok)
        if tok.type == "list_item_close" and depth == 0:
            items.append(current)
    return items


def _is_choice_list(block: list[Token]) -> bool:
    return any(_lone_link(item) for item in _items(block))


def _choices(doc: Document, block: list[Token], scene_id: str, diags: Diagnostics) -> list[Choice]:
    out = []
    for item in _items(block):
        inline = _lone_link(item)
        if inline is None:
            diags.add("HF0503", "a list of choices holds an item that is not a single link to a scene",
                      _line_span(doc, item[0]))
            continue
        out.append(_choice(doc, inline, scene_id, diags))
    return out


def _choice(doc: Document, inline: Token, scene_id: str, diags: Diagnostics) -> Choice:
    link = inline.children[0] if inline.children[0].type == "link_open" else \
        next(c for c in inline.children if c.type == "link_open")
    line_no = doc.body_line + inline.map[0]
    source_line = doc.source.line(line_no)
    col = source_line.find("[") + 1 or 1
    span = Span(doc.path, line_no, col)
    attrs = {k: str(v) for k, v in link.attrs.items()}
    for key in attrs:
        if key not in ("href", *CHOICE_ATTRS) and key != "class":
            diags.add("HF0503", f"unknown choice attribute '{clip(key, 20)}'", _attr_span(span, source_line, key),
                      hint="A choice takes `if=\"…\"`, `do=\"…\"` and `id=\"…\"`.")
    target = attrs["href"][1:]
    text = "".join(c.content for c in inline.children if c.type in ("text", "code_inline", "softbreak"))
    authored = "id" in attrs
    cid = attrs["id"] if authored else f"{scene_id}--{target}"
    if authored and not _SLUG.match(cid):
        diags.add("HF0113", f"choice id '{clip(cid, 40)}' is not a lowercase slug", _attr_span(span, source_line, "id"))
    target_col = source_line.find("(#", col - 1)
    return Choice(
        cid, text.strip(), target, attrs.get("if"), attrs.get("do"), span,
        Span(doc.path, line_no, target_col + 3 if target_col >= 0 else col),
        _attr_span(span, source_line, "if") if "if" in attrs else None,
        _attr_span(span, source_line, "do") if "do" in attrs else None,
        authored,
    )


def _attr_span(span: Span, source_line: str, key: str) -> Span:
    """Where the value of `key="…"` starts on the choice's line (inside the quotes)."""
    m = re.search(rf"(?<![\w-]){re.escape(key)}=(\"|')?", source_line[span.column - 1:])
    if not m:
        return span
    return Span(span.path, span.line, span.column + m.end())


def _finish(draft: _Draft, doc: Document, diags: Diagnostics) -> Scene:
    md = markdown()
    html = sanitize(md.renderer.render(draft.prose, md.options, {})) if draft.prose else ""
    text = "\n\n".join(t.content for t in draft.prose if t.type == "inline").strip()
    plain = _plain(draft.prose)
    return Scene(draft.id, draft.title, draft.ending, draft.span, html, plain or text,
                 len(WORDS.findall(plain or text)), tuple(draft.choices))


def _plain(tokens: list[Token]) -> str:
    """Prose as plain text: paragraphs separated by blank lines, markup removed."""
    paragraphs = []
    for tok in tokens:
        if tok.type != "inline":
            continue
        parts = []
        for child in tok.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" " if child.type == "softbreak" else "\n")
        paragraphs.append("".join(parts).strip())
    return "\n\n".join(p for p in paragraphs if p)


SCENES_FORMAT = 1


def parse_scenes_cached(doc: Document, diags: Diagnostics, cache: Any = None) -> list[Scene]:
    """parse_scenes, reusing the result for an unchanged body: Markdown parsing is the
    largest cost of checking a project with many stories."""
    if cache is None:
        return parse_scenes(doc, diags)
    key = cache.key_of("scenes", SCENES_FORMAT, doc.path, doc.body_line, doc.body)
    hit = cache.get(key)
    if hit is not None:
        return [_scene_from_json(doc.path, s) for s in hit]
    before = len(diags.items)
    scenes = parse_scenes(doc, diags)
    if len(diags.items) == before:  # problems are found afresh every time
        cache.put(key, [_scene_to_json(s) for s in scenes])
    return scenes


def _where(span: Span | None) -> list[int] | None:
    return None if span is None else [span.line, span.column, span.end_column]


def _span(path: str, where: list[int] | None) -> Span | None:
    return None if where is None else Span(path, *where)


def _scene_to_json(scene: Scene) -> dict:
    return {"id": scene.id, "title": scene.title, "ending": scene.ending, "span": _where(scene.span),
            "html": scene.html, "text": scene.text, "words": scene.words,
            "choices": [{"id": c.id, "text": c.text, "target": c.target, "condition": c.condition,
                         "effects": c.effects, "span": _where(c.span), "target_span": _where(c.target_span),
                         "condition_span": _where(c.condition_span), "effects_span": _where(c.effects_span),
                         "authored_id": c.authored_id} for c in scene.choices]}


def _scene_from_json(path: str, data: dict) -> Scene:
    choices = tuple(Choice(c["id"], c["text"], c["target"], c["condition"], c["effects"], _span(path, c["span"]),
                           _span(path, c["target_span"]), _span(path, c["condition_span"]),
                           _span(path, c["effects_span"]), c["authored_id"]) for c in data["choices"])
    return Scene(data["id"], data["title"], data["ending"], _span(path, data["span"]), data["html"], data["text"],
                 data["words"], choices)
