"""What every page shows about the things it links to: names, badges, pictures, cards.

Views turn the World into plain dicts for templates, so templates stay dumb and a
theme author can read in docs/themes.md exactly what each template receives. Paths
in views are build paths (`site/heroes/aria.html`, `media/aria-….png`); templates
turn them into links with `url(...)`, which makes them relative to the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ....ids import id_words
from ....l10n.collation import collated, language_of
from ....load.markdown import ProseMemo, headings_from, prose_lede, render_prose, words_line
from ....load.media import derivative_widths, media_path
from ....resolve.localized import fallback_marks, in_base, label  # noqa: F401  (in_base, label: the views' helpers)
from ....resolve.summaries import CARD_LINE
from ....resolve.world import Appearances, World
from ....validate.entities import name_of
from .. import urls
from ...books.capitals import upper
from ...theme_words import N_

# English, marked for the theme's catalogs: templates show them through `_()` and the
# search index translates them with the page's words (theme_words.py).
STATUS_LABELS = {"draft": N_("Draft"), "review": N_("In review"), "published": ""}
# A person card's summary: the background's line clipped before this many characters
# (a Brief keeps the first CARD_LINE of the line: enough for a clip this long).
CARD_SUMMARY = CARD_LINE - 1
KIND_LABELS = {"hero": N_("Hero"), "character": N_("Character"), "story": N_("Story"), "quest": N_("Quest")}


def prose(world: World, markdown_text: str) -> Markup:
    """Writer's Markdown → HTML that pipeline/load/markdown.py has already sanitised
    (through the World's memo: one background shows on many pages)."""
    return Markup(render_prose(markdown_text, world.prose)) if markdown_text.strip() else Markup("")


def lede(world: World, markdown_text: str) -> Markup:
    """`prose` shown right under the page's <h1> (a story's or quest's summary): its
    headings start at <h2>, where prose elsewhere (under a section's <h2>) starts at <h3>."""
    return scrolling_tables(Markup(headings_from(prose(world, markdown_text), 2)))


# The opening tag of every table a writer types in prose: markdown-it writes it bare
# (alignment goes on the cells), and the sanitiser lets nothing else write one.
_PROSE_TABLE = "<table>"
_SCROLLER = '<div class="table-scroll" tabindex="0">'


def scrolling_tables(html: Markup) -> Markup:
    """Prose HTML (as `prose` gives it: sanitised) with each table a writer typed in a
    box that scrolls sideways, as the sheets' tables are: a table of more columns than a
    phone's width holds, each cell already broken to a letter a line, is wider than the
    page all the same (14 one-word columns: 478 px on a 320 px phone, 40: 1,282 px), and
    the whole page scrolled sideways. Focusable, so a keyboard scrolls it too (axe:
    scrollable-region-focusable). A table that fits shows as before, framed."""
    if _PROSE_TABLE not in html:
        return html
    # str: the HTML is already safe, and Markup's replace would escape the tags put in
    return Markup(str(html).replace(_PROSE_TABLE, _SCROLLER + _PROSE_TABLE).replace("</table>", "</table></div>"))


def plain(markdown_text: str, limit: int = 0, memo: ProseMemo | None = None) -> str:
    """Prose as the one line that describes it (cards, a page's description, the search
    index: its headings left out, load/markdown.py `lede_of`); clipped at a word.
    `memo` (World.prose): parse the text once for its line and its HTML."""
    return clip(memo.lede(markdown_text) if memo is not None else prose_lede(markdown_text), limit)


# A page's own description (<meta name="description">): one plain line, clipped as a
# person card's summary is (a hero's page describes itself by that summary).
PAGE_DESCRIPTION = CARD_SUMMARY


def described(world: World, *texts: str, read: Iterable[str] = ()) -> str:
    """A page's description: the first of `texts` (Markdown: a summary, a scene's
    prose) that shows any words, else the first of `read` that has any (plain text
    already: a scene's `text`, an objective's, read as inline Markdown once, at load),
    as one plain line clipped at a word before PAGE_DESCRIPTION characters; "" when
    none does (the template then says the site's). An objective read again as
    Markdown lost what its writer escaped: `Find the \\*real\\* key` was described
    as 'Find the real key', `&amp;amp;` as '&', its quotes curled."""
    for text in texts:
        line = plain(text, PAGE_DESCRIPTION, world.prose) if text.strip() else ""
        if line:
            return line
    # words_line, not str.split(): a no-break or ideographic space the writer typed is
    # kept, as in a summary's description and every other text output
    return next((line for line in (clip(words_line(text), PAGE_DESCRIPTION) for text in read) if line), "")


def clip(text: str, limit: int = 0) -> str:
    """A line of text clipped at a word before `limit` characters (0: not clipped); one
    with no space there (Japanese, Thai, a long name) between the characters a reader
    sees (graphemes.py, as the cover and the PDF cut them): cut between code
    points, a flag showed half of itself (a boxed letter), a Thai syllable lost its tone
    mark, a family emoji its family."""
    if limit and len(text) > limit:
        head = text[:limit]
        if " " not in head:
            from ....graphemes import clusters   # one character's code points stay together
            # the last is the one holding the code point past `limit`: whole only beyond it
            head = "".join(clusters(text[:limit + 1])[:-1])
        text = head.rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return text


def status(value: str) -> dict:
    return {"value": value, "label": STATUS_LABELS.get(value, value.title())}


def humanise(slug: str) -> str:
    """An item or skill id as a reader sees it: `heron-whistle` → `Heron whistle`
    (ids.id_words, every output's spelling)."""
    return id_words(slug)


def picture(world: World, pid: str, alt: str) -> dict | None:
    """The portrait as <picture> data: WebP derivatives by width, the cleaned original
    as fallback; both written by the media exporter under build/media/."""
    asset = world.portraits.get(pid)
    if asset is None:
        return None
    widths = derivative_widths(asset)
    return {"src": media_path(asset), "width": asset.width, "height": asset.height, "alt": alt,
            "webp": [{"path": media_path(asset, w), "width": w} for w in widths]}


def person_name(world: World, pid: str) -> str:
    people = world.people()
    return name_of(people[pid]) if pid in people else pid


def person_kind(world: World, pid: str) -> str:
    return "hero" if pid in world.heroes else "character"


def person_card(world: World, pid: str) -> dict:
    entry = world.people()[pid]
    kind = person_kind(world, pid)
    # a summarised person's card from their Brief (resolve/summaries.py): a page drawing
    # the cards of the people related to its hero decoded each one's model otherwise
    brief = entry.__dict__.get("brief")
    if brief is not None and brief.line is not None:
        name, title, state, role, summary = brief.name, brief.title, brief.status, brief.role, clip(brief.line, CARD_SUMMARY)
    else:
        model = entry.model
        name, title, state, role = model.name, model.title, model.status, getattr(model, "role", "")
        summary = plain(model.background, CARD_SUMMARY, world.prose)
    card = {"kind": kind, "kind_label": KIND_LABELS[kind], "id": pid, "name": name, "title": title,
            "status": status(state), "page": urls.entity_page(kind, pid),
            "picture": picture(world, pid, f"Portrait of {name}"),
            "initials": initials(name), "summary": summary,
            # a name still in the base language is marked where it is shown (in_base)
            "name_marks": fallback_marks(world, f"{kind}.{pid}.name"),
            "title_marks": fallback_marks(world, f"{kind}.{pid}.title"), "level": None}
    if kind == "hero":
        sheet = world.sheets[pid]
        card["detail"] = f"Level {sheet.level}"   # English, for themes written before `level`
        card["level"] = sheet.level              # the theme says "Level N" in the page's words
    else:
        card["detail"] = role
    return card


def initials(name: str) -> str:
    """The first and last words' first characters (a letter with its marks: Yoruba's
    'Ọ̀ṣun' is 'Ọ̀', not 'Ọ', its tone lost), in capitals; '?' for a name of no word
    starting with a letter."""
    from ....graphemes import clusters
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    # in capitals as the books set them: a Georgian name's Mkhedruli kept (Chromium's
    # `uppercase` keeps it too), whose Mtavruli capitals few fonts have
    return upper("".join(clusters(w)[0] for w in (words[:1] + words[-1:] if len(words) > 1 else words))) or "?"


def story_card(world: World, sid: str) -> dict:
    entry, report = world.stories[sid], world.story_reports[sid]
    front = entry.model.front
    stats = report.stats
    protagonist = front.protagonist if front.protagonist in world.heroes else None
    return {"kind": "story", "kind_label": "Story", "id": sid, "title": front.title, "status": status(front.status),
            "title_marks": fallback_marks(world, f"story.{sid}.title"),
            "page": urls.entity_page("story", sid), "summary": plain(front.summary, 220, world.prose),
            "summary_marks": fallback_marks(world, f"story.{sid}.summary"),
            "protagonist": person_ref(world, protagonist) if protagonist else None,
            "scenes": stats.scenes, "endings": stats.endings, "minutes": stats.reading_minutes}


def quest_card(world: World, qid: str) -> dict:
    quest = world.quests[qid].model
    return {"kind": "quest", "kind_label": "Quest", "id": qid, "title": quest.title, "status": status(quest.status),
            "title_marks": fallback_marks(world, f"quest.{qid}.title"),
            "page": urls.entity_page("quest", qid), "summary": plain(quest.summary, 200, world.prose),
            "summary_marks": fallback_marks(world, f"quest.{qid}.summary"),
            "giver": person_ref(world, quest.giver) if quest.giver in world.people() else None,
            "reward_xp": quest.rewards.xp}


def person_ref(world: World, pid: str) -> dict:
    """A name with a link, for inline mentions; `marks`: the name's fallback marks."""
    kind = person_kind(world, pid)
    return {"id": pid, "name": person_name(world, pid), "page": urls.entity_page(kind, pid),
            "marks": fallback_marks(world, f"{kind}.{pid}.name")}


def story_ref(world: World, sid: str) -> dict:
    front = world.stories[sid].model.front
    return {"id": sid, "title": front.title, "page": urls.entity_page("story", sid), "status": status(front.status),
            "part": "", "marks": fallback_marks(world, f"story.{sid}.title")}


def quest_ref(world: World, qid: str) -> dict:
    quest = world.quests[qid].model
    return {"id": qid, "title": quest.title, "page": urls.entity_page("quest", qid), "status": status(quest.status),
            "part": "", "marks": fallback_marks(world, f"quest.{qid}.title")}


def kind_name(world: World, kind: str) -> str:
    """A relationship kind's name as plain text (the graph's SVG, counting pairs)."""
    rule = world.rules.relationship_kinds.get(kind)
    return (rule.name if rule and rule.name else humanise(kind))


def kind_marks(world: World, kind: str) -> dict[str, str]:
    """The fallback marks of a relationship kind's name ({} when it is translated or
    has no name of its own): for rows stored as data, drawn with the `in_base` macro."""
    rule = world.rules.relationship_kinds.get(kind)
    return fallback_marks(world, f"rules.relationship.{kind}.name") if rule and rule.name else {}


def kind_label(world: World, kind: str):
    """kind_name as a page shows it: marked when it is left in the base language."""
    rule = world.rules.relationship_kinds.get(kind)
    return label(world, f"rules.relationship.{kind}.name", rule.name) if rule and rule.name else humanise(kind)


def _appearances(world: World, pid: str) -> Appearances:
    return world.appearances.get(pid) or Appearances()


PARTS = {"protagonist": N_("Protagonist"), "hero": N_("Can play"), "character": N_("Appears"),
         "giver": N_("Gives it"), "story": N_("In its stories")}   # translated where shown (_macros.html)


def by_title(world: World, refs: list[dict]) -> list[dict]:
    """Story or quest references (story_ref, quest_ref) by title in the alphabet of the
    language `world` is read in (l10n/collation.py), then by id: the lists a page makes
    up itself (not an order the writer chose), as the indexes list them."""
    language = language_of(world)
    return sorted(refs, key=lambda ref: (collated(language, ref["title"]), ref["id"]))


def stories_with(world: World, pid: str) -> list[dict]:
    """Stories a hero or character appears in, with the part they play."""
    return by_title(world, [{**story_ref(world, sid), "part": PARTS[part]}
                            for sid, part in _appearances(world, pid).stories])


def quests_with(world: World, pid: str) -> list[dict]:
    """Quests a person gives, or that a story they appear in advances."""
    return by_title(world, [{**quest_ref(world, qid), "part": PARTS[part]}
                            for qid, part in _appearances(world, pid).quests])
