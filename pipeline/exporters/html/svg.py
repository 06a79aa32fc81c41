"""Pictures drawn at build time as inline SVG: a story's scene map and the
relationship graph. Layouts are deterministic (same World, same bytes) and the
pictures are accessible images: role="img", an aria-label and a <title>, text labels
on every node; the page beside each picture holds the same facts as linked text.

Colours are CSS classes, so the theme's light and dark palettes apply to them.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import deque
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from ...l10n.scripts import text_direction
from ..theme_words import ENGLISH, Words

# Story map geometry (user units).
NODE_W, NODE_H = 184, 62
GAP_X, GAP_Y = 28, 70
MARGIN = 24
# A scene's title inside its box (.map-title: 13px), 8 units clear of each side.
LABEL_EMS = (NODE_W - 16) / 13


def _num(x: float) -> str:
    """Coordinates with one decimal and no trailing zeros: stable text, small files."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


# How wide a label is, in ems. SVG text neither wraps nor clips itself, and the site's
# UI face is whichever of the theme's list the reader's machine has (Seravek, Ubuntu,
# Noto Sans, DejaVu Sans…), so a label is measured at most as wide as it may be drawn:
# each printable ASCII character as wide as the wider of Noto Sans Bold and DejaVu Sans
# Bold draws it (labels are semibold), rounded up to 0.05 em. Counting characters
# instead (21 to a scene's box) let a Japanese title, 'WWW…' or 'Mmm…' run 40-80 units
# past its box, over the next scene's and off the map's left edge.
_ASCII_EMS = {ch: ems for ems, chars in (
    (0.35, " 'ijl"), (0.4, ",.:;IJ"), (0.45, "-/\\f"), (0.5, "!()[]_`rt"), (0.55, '"*'), (0.6, "?csz|"),
    (0.65, "Lx"), (0.7, "$0123456789EFTaekovy"), (0.75, "CPSYZbdghnpqu{}"), (0.8, "ABKRVX"),
    (0.85, "#+<=>DGHNU^~"), (0.9, "&OQ"), (0.95, "w"), (1.0, "@M"), (1.05, "%m"), (1.15, "W")) for ch in chars}
_WIDE_EMS = 1.0        # a Han, kana or Hangul character, or a fullwidth form: one em in every face
_EMOJI_EMS = 1.3       # a colour emoji is wider than an em in Noto Color Emoji
# a letter of another script: above the average of Greek, Cyrillic, Devanagari and Thai
# letters in those faces' Noto Bold (0.65-0.8), though a run of their widest (Ш, Щ,
# 1.33) may still pass it; Arabic letters, joined, take less (0.46 em a character in
# Chromium for a line of Arabic names), Hebrew's are at most 0.79
_OTHER_EMS = 0.9
_ARABIC_EMS, _HEBREW_EMS = 0.6, 0.8
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@functools.lru_cache(maxsize=4096)
def _char_ems(ch: str) -> float:
    if ch in _ASCII_EMS:
        return _ASCII_EMS[ch]
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):         # a mark drawn on its letter, a joiner: no advance
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _EMOJI_EMS if category == "So" else _WIDE_EMS
    if category == "Zs":
        return _ASCII_EMS[" "]
    code = ord(ch)
    if any(low <= code <= high for low, high in _ARABIC):
        return _ARABIC_EMS
    if 0x0590 <= code <= 0x05FF or 0xFB1D <= code <= 0xFB4F:
        return _HEBREW_EMS
    return _ASCII_EMS.get(unicodedata.normalize("NFD", ch)[0], _OTHER_EMS)   # é as e


def _ems(text: str) -> float:
    """How many ems `text` may take in the site's UI face, at most (see _ASCII_EMS)."""
    return sum(_char_ems(ch) for ch in text)


# A run of characters joined by zero-width joiners is one emoji a font draws as one
# glyph, kept on one line; measured here as the sum of its parts, the widest Unicode
# recommends (a kiss with two skin tones) is 7.4 ems. A run wider than this is no emoji:
# letters a stranger joined ('W\u200dW\u200d…', 60 of them) would be a line 40 ems wide.
_JOINED_EMS = 8.0
_FLAG = (0x1F1E6, 0x1F1FF)   # regional indicators: two of them are one flag


def _fit(text: str, width: float) -> int:
    """How many characters of `text` fit in `width` ems: at least one character with its
    marks, and never a cut before a mark, beside a zero-width joiner (a letter and its
    accent, an emoji sequence, stay together) or between a flag's two letters. A run
    joined by zero-width joiners wider than a line and than _JOINED_EMS is cut beside a
    joiner, where it reaches `width`: kept whole, the line ran past its place."""
    used, cut, loose, flags = 0.0, 0, 0, 0
    for i, ch in enumerate(text):
        flag = _FLAG[0] <= ord(ch) <= _FLAG[1]
        if i and not unicodedata.category(ch).startswith("M") and not (flag and flags % 2):
            if used > width and (cut or (loose and used > _JOINED_EMS)):
                break
            if ch != "\u200d" and text[i - 1] != "\u200d":
                cut = i
            elif used <= width or not loose:
                loose = i
        flags = flags + 1 if flag else 0
        used += _char_ems(ch)
    else:
        if used <= width or not (cut or (loose and used > _JOINED_EMS)):
            return len(text)
    return cut or loose


def _clip(text: str, width: float) -> str:
    """`text` if it fits in `width` ems, else as much of it as fits with an ellipsis."""
    if _ems(text) <= width:
        return text
    return text[:_fit(text, width - _ems("…"))].rstrip() + "…"


@dataclass(frozen=True)
class MapNode:
    id: str
    title: str
    ending: bool
    start: bool
    marks: tuple[tuple[str, str], ...] = ()   # a title in the base language: its fallback marks (svg_marks)


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    conditional: bool


def layers(nodes: list[MapNode], edges: list[MapEdge], start: str) -> list[list[str]]:
    """Scenes in rows by their distance from the start (breadth-first, choices in the
    order written); scenes the start never reaches go in a last row. Within a row,
    scenes sit under the average place of the scenes that lead to them, which keeps
    most arrows short and uncrossed."""
    out: dict[str, list[str]] = {n.id: [] for n in nodes}
    linked: set[tuple[str, str]] = set()   # a scene's targets once each, without a scan of its list per choice
    for e in edges:
        if e.source in out and e.target in out and (e.source, e.target) not in linked:
            linked.add((e.source, e.target))
            out[e.source].append(e.target)
    depth: dict[str, int] = {}
    if start in out:
        depth[start] = 0
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for there in out[here]:
                if there not in depth:
                    depth[there] = depth[here] + 1
                    queue.append(there)
    written = {n.id: i for i, n in enumerate(nodes)}
    discovered = list(depth)   # BFS order
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for sid in discovered:
        rows[depth[sid]].append(sid)
    lost = [n.id for n in nodes if n.id not in depth]
    if lost:
        rows.append(lost)
    return _order(rows, out, written)


def _order(rows: list[list[str]], out: dict[str, list[str]], written: dict[str, int]) -> list[list[str]]:
    # Who leads to each scene, in the order of `out` (the order the averages are summed
    # in, so the places come out to the same bits): found once. Scanning every scene's
    # targets for each scene made a 12,000-scene story's map take 12 s and a 4 MB one minutes.
    parents_of: dict[str, list[str]] = {sid: [] for sid in out}
    for p, targets in out.items():
        for t in targets:
            parents_of[t].append(p)
    place: dict[str, float] = {}
    ordered = []
    for row in rows:
        def key(sid: str) -> tuple[float, int]:
            parents = [place[p] for p in parents_of[sid] if p in place]
            return (sum(parents) / len(parents) if parents else math.inf, written[sid])
        row = sorted(row, key=key) if ordered else row
        for i, sid in enumerate(row):
            place[sid] = i - (len(row) - 1) / 2
        ordered.append(row)
    return ordered


def story_map(title: str, nodes: list[MapNode], edges: list[MapEdge], start: str, say: Words = ENGLISH) -> Markup:
    """The scene map as inline SVG; its accessible label in the words of `say` (the
    theme's words in the page's language)."""
    rows = layers(nodes, edges, start)
    row_of = {sid: r for r, row in enumerate(rows) for sid in row}
    by_id = {n.id: n for n in nodes}
    pairs = _pairs(edges, row_of)
    backs = [p for p in pairs if row_of[p[1]] < row_of[p[0]]]
    widest = max((len(r) for r in rows), default=1)
    body_w = widest * NODE_W + (widest - 1) * GAP_X
    width = 2 * MARGIN + body_w + (LANE + LANE_STEP * len(backs) if backs else 0)
    height = 2 * MARGIN + len(rows) * NODE_H + (len(rows) - 1) * GAP_Y + 16
    pos: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        row_w = len(row) * NODE_W + (len(row) - 1) * GAP_X
        x0 = MARGIN + (body_w - row_w) / 2
        for i, sid in enumerate(row):
            pos[sid] = (x0 + i * (NODE_W + GAP_X), MARGIN + 16 + r * (NODE_H + GAP_Y))
    endings = sum(1 for n in nodes if n.ending)
    # three counts, three plurals (a one-scene story was "1 scenes in 1 rows"): each
    # counted phrase its own message, put together by one the translator can reorder
    label = say.gettext("Story map of %(title)s: %(scenes)s in %(rows)s, %(endings)s, starting at %(start)s") % {
        "title": title, "scenes": say.ngettext("%(count)s scene", "%(count)s scenes", len(nodes)) % {"count": len(nodes)},
        "rows": say.ngettext("%(count)s row", "%(count)s rows", len(rows)) % {"count": len(rows)},
        "endings": say.ngettext("%(count)s ending", "%(count)s endings", endings) % {"count": endings},
        "start": by_id[start].title if start in by_id else start}
    parts = [f'<svg class="story-map" role="img" aria-label="{escape(label)}" viewBox="0 0 {_num(width)} {_num(height)}" '
             f'width="{_num(width)}" height="{_num(height)}" style="--w: {_num(width)}px" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(label)}</title>", _arrow_marker("map-arrow")]
    lane = MARGIN + body_w + LANE
    sideways: dict[int, int] = {}
    last = {row[-1] for row in rows}
    for source, target, conditional in pairs:
        a, b = pos[source], pos[target]
        if row_of[target] > row_of[source]:
            d = _forward(a, b)
        elif row_of[target] == row_of[source]:
            k = sideways.get(row_of[source], 0)
            sideways[row_of[source]] = k + 1
            d = _sideways(a, b, k)
        else:
            d = _backward(a, b, lane, source in last, target in last)
            lane += LANE_STEP
        cls = "map-edge conditional" if conditional else "map-edge"
        parts.append(f'<path class="{cls}" d="{d}" marker-end="url(#map-arrow)"/>')
    for row in rows:
        for sid in row:
            parts.append(_map_node(by_id[sid], pos[sid], say))
    parts.append("</svg>")
    return Markup("".join(parts))


LANE, LANE_STEP = 22, 12     # the corridor right of the map where arrows back up the story run


def _pairs(edges: list[MapEdge], row_of: dict[str, int]) -> list[tuple[str, str, bool]]:
    """One arrow per (scene, next scene); dashed when every choice along it has a condition."""
    found: dict[tuple[str, str], bool] = {}
    for e in edges:
        if e.source in row_of and e.target in row_of:
            found[(e.source, e.target)] = found.get((e.source, e.target), True) and e.conditional
    return [(s, t, c) for (s, t), c in found.items()]


def _forward(a: tuple[float, float], b: tuple[float, float]) -> str:
    """Down the story: bottom of one scene to the top of the next, a gentle S."""
    x1, y1, x2, y2 = a[0] + NODE_W / 2, a[1] + NODE_H, b[0] + NODE_W / 2, b[1] - 2
    bend = (y2 - y1) / 2
    return f"M{_num(x1)} {_num(y1)}C{_num(x1)} {_num(y1 + bend)} {_num(x2)} {_num(y2 - bend)} {_num(x2)} {_num(y2)}"


def _sideways(a: tuple[float, float], b: tuple[float, float], k: int) -> str:
    """Within one row: down into the gap under the row, across, and up into the scene
    (each such arrow of a row on its own level, so they do not run on top of each other)."""
    x1, x2 = a[0] + NODE_W / 2 - 28 - 6 * k, b[0] + NODE_W / 2 - 28 + 6 * k
    y1, gap = a[1] + NODE_H, a[1] + NODE_H + GAP_Y * (0.2 + 0.12 * (k % 5))
    return f"M{_num(x1)} {_num(y1)}V{_num(gap)}H{_num(x2)}V{_num(b[1] + NODE_H + 2)}"


def _backward(a: tuple[float, float], b: tuple[float, float], lane: float, a_last: bool, b_last: bool) -> str:
    """Back up the story (a loop), through a corridor right of the map. A scene at the
    right end of its row is left or entered at its side; any other over its top,
    through the gap above its row, so the arrow never crosses a scene."""
    if a_last:
        start = f"M{_num(a[0] + NODE_W)} {_num(a[1] + NODE_H / 2 - 6)}H{_num(lane)}"
    else:
        x1, up1 = a[0] + NODE_W / 2 + 28, a[1] - GAP_Y * 0.5
        start = f"M{_num(x1)} {_num(a[1])}V{_num(up1)}H{_num(lane)}"
    if b_last:
        y2 = b[1] + NODE_H / 2 + 6
        return f"{start}V{_num(y2)}H{_num(b[0] + NODE_W + 2)}"
    x2, up2 = b[0] + NODE_W / 2 + 28, b[1] - GAP_Y * 0.5
    return f"{start}V{_num(up2)}H{_num(x2)}V{_num(b[1] - 2)}"


def _arrow_marker(mid: str) -> str:
    return (f'<defs><marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrow-head"/></marker></defs>')


def svg_marks(marks: tuple[tuple[str, str], ...] | dict, classes: str = "", direction: bool = True) -> str:
    """Fallback marks (resolve/localized.py Locale.fallback_marks: lang, class, dir) as
    SVG attributes: `dir` is HTML's; SVG's own is `direction`, which a <title> may not
    carry (`direction=False`: the HTML checker refuses it). `classes`: the element's own
    classes, joined with the mark's into one `class` (two were invalid). '' for none."""
    items = dict(marks.items() if isinstance(marks, dict) else marks)
    if classes:
        items["class"] = f"{classes} {items['class']}" if items.get("class") else classes
    if not direction:
        items.pop("dir", None)
    return "".join(f' {"direction" if name == "dir" else name}="{escape(value)}"' for name, value in sorted(items.items()))


def _map_node(node: MapNode, at: tuple[float, float], say: Words = ENGLISH) -> str:
    x, y = at
    cls = "map-node" + (" ending" if node.ending else "") + (" start" if node.start else "")
    # in the page's words: an Arabic map read "START" and "ENDING"
    kind = say.gettext("Ending") if node.ending else (say.gettext("Start") if node.start else "")
    lines = _wrap(node.title, LABEL_EMS, 2)
    step, kind_at, baseline = 16, 15, None
    up, down = _ink_room(lines)
    if up or down:
        # a tall script's lines (Myanmar, Tibetan: books/mark_room.py) as far apart as
        # their ink reaches, 16 units apart drew into each other; two lines that would
        # not fit the box so are one, clipped (the whole title is the node's <title>)
        step = max(16, 13 * (1 + up + down))
        if len(lines) > 1 and 2 * step + (13 if kind else 0) > NODE_H - 6:
            lines = _wrap(node.title, LABEL_EMS, 1)
        kind_at = 15 + 13 * down
        block = step * (len(lines) - 1) + 13 * (1 + up + down) + (13 + 13 * down if kind else 0)
        baseline = y + (NODE_H - block) / 2 + 13 * (0.8 + up)
    if baseline is None:
        block = 16 * len(lines) + (13 if kind else 0)
        baseline = y + (NODE_H - block) / 2 + 12
    cx = _num(x + NODE_W / 2)
    # a title in the base language: its <title> and lines say so (the kind word is the page's)
    marked = svg_marks(node.marks)
    out = [f'<g class="{cls}"><title{svg_marks(node.marks, direction=False)}>{escape(node.title)}</title>',
           f'<rect x="{_num(x)}" y="{_num(y)}" width="{NODE_W}" height="{NODE_H}" rx="10"/>']
    for i, line in enumerate(lines):
        out.append(f'<text x="{cx}" y="{_num(baseline + step * i)}" text-anchor="middle" class="map-title">'
                   + (f"<tspan{marked}>{escape(line)}</tspan>" if marked else escape(line)) + "</text>")
    if kind:
        out.append(f'<text x="{cx}" y="{_num(baseline + step * (len(lines) - 1) + kind_at)}" text-anchor="middle" '
                   f'class="map-kind">{kind}</text>')
    out.append("</g>")
    return "".join(out)


def _ink_room(lines: list[str]) -> tuple[float, float]:
    """(em above, em below) a line of `lines` needs past a line of 1 em for its tall
    script's ink or its tower of marks (books/mark_room.py, as the pages' words get)."""
    from ..books.mark_room import room, wants_room
    rooms = [room(line) for line in lines if wants_room(line)]
    return max((r[0] for r in rooms), default=0.0), max((r[1] for r in rooms), default=0.0)


def _wrap(text: str, width: float, most: int) -> list[str]:
    """Greedy word wrap into lines of at most `width` ems (_ems), at most `most` of them,
    the last one clipped with an ellipsis. A word wider than a line is broken between
    characters, as the site's pages break one (overflow-wrap: anywhere): a title in a
    script written without spaces is one such word."""
    lines: list[str] = []
    for word in text.split():
        if lines and _ems(lines[-1]) + _ems(" ") + _ems(word) <= width:
            lines[-1] += " " + word
            continue
        while len(lines) < most and _ems(word) > width:
            cut = _fit(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    if len(lines) > most:
        lines = lines[:most - 1] + [_clip(" ".join(lines[most - 1:]), width)]
    return [_clip(line, width) for line in lines] or [""]


# --- the relationship graph ---------------------------------------------------------------

R_NODE = 30
# A person's name beside the graph (.graph-name: 14px, semibold), measured by _ems;
# wider names wrap and the last line is clipped (the <title> and the table beside the
# graph give them whole).
NAME_PX = 14
NAME_LINES = 2
NAME_LINE_H = 16
# An edge's label (.graph-edge text: 12px, semibold), the same way; its lines this far apart.
EDGE_PX = 12
EDGE_LINES = 2
EDGE_LINE_H = 14


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    kind: str                 # "hero" or "character"
    initials: str
    image: str | None         # URL of a small portrait, relative to the page
    marks: tuple[tuple[str, str], ...] = ()   # a name in the base language: its fallback marks


@dataclass(frozen=True)
class GraphEdge:
    a: str
    b: str
    label: str
    # the label's kinds (joined by " · " in `label`), each with its fallback marks: a
    # kind left in the base language is a <tspan> carrying them; () when none is
    parts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


def relationship_graph(nodes: list[GraphNode], edges: list[GraphEdge], say: Words = ENGLISH) -> Markup:
    """People on a circle in a fixed order (heroes, then characters, each by id);
    each related pair joined by one slightly bent line carrying its kinds. Its
    accessible label in the words of `say` (the theme's words in the page's language)."""
    n = max(len(nodes), 1)
    radius = max(150.0, n * 150 / math.pi / 1.6)
    width = 2 * (radius + 150)                                 # names sit beside the circle, or above and below
    cx = width / 2
    angles = {node.id: -math.pi / 2 + 2 * math.pi * i / n for i, node in enumerate(nodes)}
    lines = {node.id: _name_lines(node.name, cx + radius * math.cos(angles[node.id]), angles[node.id], width)
             for node in nodes}
    # A name above the circle grows upward by its lines, one below it downward: the
    # graph's top and bottom make room for as many as they hold (the first line of a
    # wrapped name above the top person was drawn above the graph's edge, cut off).
    grows = {True: 1, False: 1}                 # above the circle, below it: the most lines of a name
    for node in nodes:
        if _middle(angles[node.id]):
            up = math.sin(angles[node.id]) < 0
            grows[up] = max(grows[up], len(lines[node.id]))
    top, bottom = 64 + NAME_LINE_H * (grows[True] - 1), 64 + NAME_LINE_H * (grows[False] - 1)
    height, cy = top + 2 * radius + bottom, top + radius
    pos = {}
    for node in nodes:
        angle = angles[node.id]
        pos[node.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    # two counts, two plurals: each counted phrase is its own message (gettext chooses a
    # plural form by one number), put together by a third the translator can reorder
    people = say.ngettext("%(count)s person", "%(count)s people", len(nodes)) % {"count": len(nodes)}
    ties = say.ngettext("%(count)s relationship", "%(count)s relationships", len(edges)) % {"count": len(edges)}
    label = say.gettext("Relationship graph: %(people)s, %(relationships)s") % {"people": people, "relationships": ties}
    parts = [f'<svg class="relationship-graph" role="img" aria-label="{escape(label)}" '
             f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" style="--w: {_num(width)}px" '
             'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(label)}</title>", "<defs>"]
    for node in nodes:
        if node.image:
            parts.append(f'<clipPath id="clip-{escape(node.id)}"><circle cx="{_num(pos[node.id][0])}" '
                         f'cy="{_num(pos[node.id][1])}" r="{R_NODE}"/></clipPath>')
    parts.append("</defs>")
    taken = [(x - R_NODE, y - R_NODE, x + R_NODE, y + R_NODE) for x, y, _ in pos.values()]
    for edge in edges:
        if edge.a in pos and edge.b in pos:
            parts.append(_graph_edge(pos[edge.a][:2], pos[edge.b][:2], edge.label, cx, cy, taken, edge.parts, width))
    for node in nodes:
        parts.append(_graph_node(node, *pos[node.id], lines[node.id], text_direction(say.language)))
    parts.append("</svg>")
    return Markup("".join(parts))


def _graph_edge(a: tuple[float, float], b: tuple[float, float], label: str, cx: float, cy: float,
                taken: list[tuple[float, float, float, float]], parts: tuple = (), width: float = math.inf) -> str:
    (ax, ay), (bx, by) = a, b
    mx, my = (ax + bx) / 2, (ay + by) / 2
    length = math.hypot(bx - ax, by - ay) or 1
    # Bend toward the centre, at least a little, so a label between two neighbours on
    # the circle sits inside it, clear of their portraits and names; chords through the
    # middle bend one way or the other and so do not share a label spot.
    nx, ny = -(by - ay) / length, (bx - ax) / length
    if (mx - cx) * nx + (my - cy) * ny > 0:
        nx, ny = -nx, -ny
    bend = max(0.12 * length, 70.0)
    qx, qy = mx + nx * bend, my + ny * bend
    lx, ly = _free_spot((ax, ay), (qx, qy), (bx, by), label, taken)
    path = f'<g class="graph-edge"><path d="M{_num(ax)} {_num(ay)}Q{_num(qx)} {_num(qy)} {_num(bx)} {_num(by)}"/>'
    # The room the label has, centred at lx inside the graph: drawn on one line, a long
    # kind ran past the SVG's edge and was cut, as a long name beside it was.
    room = 2 * min(lx, width - lx) - 8
    if _ems(label) * EDGE_PX <= room:
        return (path + f'<text x="{_num(lx)}" y="{_num(ly)}" text-anchor="middle" dominant-baseline="middle">'
                f"{_edge_text(label, parts)}</text></g>")
    lines = _wrap_parts(parts or ((label, ()),), max(room / EDGE_PX, 3.0), EDGE_LINES)
    top = ly - EDGE_LINE_H * (len(lines) - 1) / 2
    return (path + f'<text x="{_num(lx)}" y="{_num(top)}" text-anchor="middle" dominant-baseline="middle">'
            + "".join(f'<tspan x="{_num(lx)}" dy="{0 if i == 0 else EDGE_LINE_H}">{_edge_text(_joined(line), line)}</tspan>'
                      for i, line in enumerate(lines)) + "</text></g>")


def _edge_text(label: str, parts: tuple) -> str:
    """The edge's label, each kind left in the base language in a <tspan> with its marks."""
    if not any(marks for _, marks in parts):
        return str(escape(label))
    return " · ".join(f"<tspan{svg_marks(marks)}>{escape(text)}</tspan>" if marks else str(escape(text))
                      for text, marks in parts)


def _joined(parts: tuple) -> str:
    return " · ".join(text for text, _ in parts)


def _wrap_parts(parts: tuple, width: float, most: int) -> list[tuple]:
    """An edge label's kinds, each (text, marks), wrapped into at most `most` lines of
    at most `width` ems: kinds share a line while they fit, a long one wraps by words
    (each piece keeps its kind's marks), and the last line is clipped with an ellipsis."""
    pieces = [(line, marks) for text, marks in parts for line in _wrap(text, width, most)]
    lines: list[list] = []
    for text, marks in pieces:
        if lines and _ems(_joined(tuple(lines[-1]))) + _ems(" · ") + _ems(text) <= width:
            lines[-1].append((text, marks))
        else:
            lines.append([(text, marks)])
    if len(lines) > most:
        last = lines[most - 1]
        end = last[-1][0].rstrip("…").rstrip()
        lines = lines[:most - 1] + [last[:-1] + [(_clip(end + "…", width), last[-1][1])]]
    return [tuple(line) for line in lines]


def _free_spot(a, q, b, label: str, taken: list) -> tuple[float, float]:
    """A place on the curve for its label that overlaps no portrait and no label placed
    before it (the middle if free, else a little to either side); marks it taken."""
    half_w, half_h = _ems(label) * EDGE_PX / 2 + 4, 9
    spot = None
    for t in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
        x = (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * q[0] + t * t * b[0]
        y = (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * q[1] + t * t * b[1]
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if spot is None:
            spot = (x, y, box)
        if not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in taken):
            spot = (x, y, box)
            break
    taken.append(spot[2])
    return spot[0], spot[1]


def _middle(angle: float) -> bool:
    """Whether a person at `angle` on the circle has the name centred above or below it
    (else beside it, on the left or the right)."""
    return abs(math.cos(angle)) < 0.3


def _name_lines(name: str, x: float, angle: float, width: float) -> list[str]:
    """The lines of `name` beside a person at `x` and `angle` on a graph `width` wide:
    one, or as many as NAME_LINES wrapped from it, the last clipped with an ellipsis."""
    cos = math.cos(angle)
    lx = x + (R_NODE + 8) * cos
    # The room the name has inside the graph: it was drawn whole, and the SVG clips what
    # runs past its edge ('Hesper Vane, Keeper of the Drowned Bells' beside the circle
    # read 'Hesper Vane, K').
    room = (2 * min(lx, width - lx) if _middle(angle) else width - lx if cos > 0 else lx) - 4
    if _ems(name) * NAME_PX <= room:
        return [name]
    return _wrap(name, max(room / NAME_PX, 3.0), NAME_LINES)


def _graph_node(node: GraphNode, x: float, y: float, angle: float, lines: list[str], page: str = "ltr") -> str:
    """A person on the graph: the circle, and the name's `lines` beside it, in a page
    written in direction `page` ("ltr" or "rtl")."""
    cos = math.cos(angle)
    anchor = "middle" if _middle(angle) else ("start" if cos > 0 else "end")
    # text-anchor is logical: a name's start is its right end when it is read right to
    # left (its own direction, else the page's), and a name to the right of the circle
    # anchored at its start was drawn leftward, over the portrait (every name beside the
    # circle, in an Arabic world)
    if anchor != "middle" and dict(node.marks).get("dir", page) == "rtl":
        anchor = {"start": "end", "end": "start"}[anchor]
    lx = x + (R_NODE + 8) * cos
    ly = y + (R_NODE + 16) * math.sin(angle) + (4 if anchor != "middle" else (0 if math.sin(angle) > 0 else -2))
    if anchor == "middle" and math.sin(angle) < 0:    # above the circle: the lines grow upward
        ly -= NAME_LINE_H * (len(lines) - 1)
    out = [f'<g class="graph-node {node.kind}"><title{svg_marks(node.marks, direction=False)}>{escape(node.name)}</title>',
           f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{R_NODE}"/>']
    if node.image:
        out.append(f'<image href="{escape(node.image)}" x="{_num(x - R_NODE)}" y="{_num(y - R_NODE)}" '
                   f'width="{2 * R_NODE}" height="{2 * R_NODE}" clip-path="url(#clip-{escape(node.id)})" '
                   'preserveAspectRatio="xMidYMid slice"/>')
    else:
        out.append(f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="middle" dominant-baseline="central" '
                   f'class="graph-initials">{escape(node.initials)}</text>')
    out.append(f'<circle class="ring" cx="{_num(x)}" cy="{_num(y)}" r="{R_NODE}"/>')
    out += [f'<text x="{_num(lx)}" y="{_num(ly + NAME_LINE_H * i)}" text-anchor="{anchor}"{svg_marks(node.marks, "graph-name")}>'
            f"{escape(line)}</text>" for i, line in enumerate(lines)]
    out.append("</g>")
    return "".join(out)
