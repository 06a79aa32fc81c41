"""Each page's <meta name="description"> describes that page. A story's and a quest's
page said the world's description (foundry.toml's), as the home page does, while a
hero's said its own summary: a link to a story shared anywhere showed the world's
blurb. Now a story's is its summary, else the prose it opens with; a quest's its
summary, else its first objective: one plain line (the summary's markup as text),
clipped at a word, or where a text has no space, between the characters a reader sees
(graphemes.py), never inside one."""

from __future__ import annotations

from lxml import html as lxml_html

from support import ROOTS, foundry

STORIES = {
    "content/stories/tide.md": """\
---
title: The Tide
summary: "The *tide* turns at `slack water` & the bells ring."
start: shore
---

## The Shore {#shore .ending}

Wet sand.
""",
    "content/stories/quiet.md": """\
---
title: Quiet
start: hall
---

## The Hall {#hall .ending}

A long **hall** where nobody speaks, and the candles burn down one by one while the \
keeper counts the hours that are left before the tide comes in over the sill and the \
floor is sea again, as it was in his grandmother's day.
""",
    "content/quests/bare.yaml": """\
title: Bare
objectives:
  - {id: find, text: "Find the *drowned* bell", done_when: found}
""",    # summaries without a space to clip at, the 160th character one a reader sees as one
    # but written as two code points: a flag (two regional indicators), a Thai syllable
    # (a consonant, its tone mark and vowel)
    "content/stories/far.md": "---\ntitle: Far\nsummary: " + "\u3042" * 159 + "\U0001F1EF\U0001F1F5" + "\u3042" * 5
                              + "\nstart: end\n---\n\n## End {#end .ending}\n\nDone.\n",
    "content/quests/tone.yaml": "title: Tone\nsummary: " + "\u0e01" * 159 + "\u0e19\u0e49\u0e33" + "\u0e01" * 5
                                + "\nobjectives:\n  - {id: find, text: Find it, done_when: found}\n",
}


def _description(page) -> str:
    tree = lxml_html.parse(str(page)).getroot()
    found = tree.xpath('//meta[@name="description"]/@content')
    assert len(found) == 1, (page, found)
    return found[0]


def test_story_and_quest_pages_describe_themselves(project_factory):
    root = project_factory(STORIES)
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stdout + run.stderr
    site = root / "build/site"
    world = "A new Hero Foundry world."
    assert _description(site / "stories/tide.html") == "The tide turns at slack water & the bells ring."
    quiet = _description(site / "stories/quiet.html")
    assert quiet.startswith("A long hall where nobody speaks") and quiet.endswith("…") and len(quiet) <= 160, quiet
    assert _description(site / "quests/bare.html") == "Find the drowned bell"
    assert _description(site / "quests/first-quest.html") == "Cross the marsh before the bell tolls."
    # clipped between the characters a reader sees: half a flag showed as a boxed 'J', and
    # the Thai syllable lost its tone mark and vowel (another word)
    assert _description(site / "stories/far.html") == "\u3042" * 159 + "…"
    assert _description(site / "quests/tone.html") == "\u0e01" * 159 + "…"
    # the site's own pages keep the world's
    for page in ("index.html", "404.html", "search.html", "stories/index.html", "quests/index.html"):
        assert _description(site / page) == world, page


def test_a_heading_is_parted_from_the_sentence_after_it(project_factory):
    """A story with no summary whose first scene opens with a heading, and a background
    that does: each one-line text (the page's description, a card, the JSON's
    `background_text`) ran the heading into the sentence under it, 'The Old Road & co
    The fog comes in…'. A paragraph that ends no sentence is parted by ` · `; a
    sentence's end (even inside its closing quote) and a list item's bullet by a space."""
    import json

    from pipeline.load.markdown import prose_line

    root = project_factory({
        "content/stories/road.md": "---\ntitle: Road\nstart: a\n---\n\n## A {#a .ending}\n\n"
                                   "### The Old *Road* & `co`\n\nThe fog comes in.\n\n“Halt!”\n\n- one\n- two\n\nDone\n",
        "content/heroes/first-hero.yaml": ((ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
            "background: |\n", "background: |\n  ### Early years\n\n")),
    })
    run = foundry("build", "--project", str(root), "--only", "html,json")
    assert run.code == 0, run.stdout + run.stderr
    site = root / "build/site"
    # a story's description leaves its first scene's headings out (stories/scenes.py `lede`)
    assert _description(site / "stories/road.html") == "The fog comes in. “Halt!” • one • two · Done"
    # a hero's too (load/markdown.py `lede_of`); her JSON's text keeps every word
    hero = _description(site / "heroes/first-hero.html")
    assert hero.startswith("Rook grew up"), hero
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))
    assert data["hero"]["background_text"] == "Early years · " + hero
    # the plain-text path that parses nothing parts them alike
    assert prose_line("Early years\n\nRook grew up.\n\nThe end") == "Early years · Rook grew up. The end"
    # a sentence ends in other scripts' marks too: a Tibetan shad, a Khmer khan, a danda, 。
    for end in ("\u0f0d", "\u17d4", "\u0964", "\u3002", "\u061f"):
        space = "" if end == "\u3002" else " "   # none after a full-width end
        assert prose_line(f"\u0f40{end}\n\n\u0f41") == f"\u0f40{end}{space}\u0f41", end


def test_a_dash_an_emoji_or_a_full_width_stop_ends_a_paragraph_as_a_sentence(project_factory):
    """One-line text parted a paragraph from the next by ` · ` whenever it ended no
    sentence by `run_together`'s marks: fiction's interrupted line (`“Wait—”`) and a
    line with an emoji after its `!` were read as headings ('“Wait—” · She turned'), and
    Chinese sentences ending in 。 were set apart by a space no Chinese text has. Now a
    dash ends a clause, an emoji after an end is skipped, and after a full-width end
    nothing is put (the description, the same as the JSON's text)."""
    import json

    root = project_factory({
        "content/stories/road.md": "---\ntitle: Road\nstart: a\n---\n\n## A {#a .ending}\n\n"
                                   "“Wait—”\n\nShe turned. We won! 🎉\n\n第一句。\n\n「第二句！」\n\nDone\n",
        "content/heroes/first-hero.yaml": ((ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
            "background: |\n", "background: |\n  “Wait—”\n\n  第一句。\n\n")),
    })
    run = foundry("build", "--project", str(root), "--only", "html,json")
    assert run.code == 0, run.stdout + run.stderr
    said = _description(root / "build/site/stories/road.html")
    assert said == "“Wait—” She turned. We won! 🎉 第一句。「第二句！」Done", said
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))
    assert data["hero"]["background_text"].startswith("“Wait—” 第一句。Rook"), data["hero"]["background_text"]




def _search_text(site, kind: str, eid: str) -> str:
    import json
    tree = lxml_html.parse(str(site / "search.html")).getroot()
    found = [json.loads(s.text) for s in tree.iter("script") if s.text and '"kind"' in s.text]
    entries = [e for data in found for e in data if e["kind"] == kind and e["id"] == eid]
    assert len(entries) == 1, (kind, eid, entries)
    return entries[0]["text"]


def test_every_line_describing_prose_follows_one_rule(project_factory):
    """Every one-line text made from Markdown prose follows one rule: a line that
    describes it (a page's description, og:description, a card, a search entry) leaves
    its headings out, as a story's opening scene's did; the JSON's `*_text` keeps every
    word. A hero's, a quest's and a story's summary opening with `### …` kept the
    heading ('Early years · Rook grew up…'). And plain paragraphs (no markup at all:
    read without a parse, and kept in the summaries a later build draws cards from)
    ran together with a space where the same text with one `*` had ` · `: 'Early
    years Rook grew up…' on her page and in her JSON."""
    import json

    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    guide = (ROOTS / "minimal/content/characters/old-guide.yaml").read_text(encoding="utf-8")
    quest = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text(encoding="utf-8")
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("background: |\n", "background: |\n  ### Early *years*\n\n"),
        "content/characters/old-guide.yaml": guide.replace("background: |\n", "background: |\n  Early years\n\n"),
        "content/quests/first-quest.yaml": quest.replace(
            "summary: Cross the marsh before the bell tolls.", "summary: |\n  ## Orders\n\n  Cross the *marsh*."),
        "content/stories/road.md": "---\ntitle: Road\nsummary: |\n  Part one\n  =========\n\n  The fog comes in.\n"
                                   "start: a\n---\n\n## A {#a .ending}\n\nDone.\n",
    })
    run = foundry("build", "--project", str(root), "--only", "html,json")
    assert run.code == 0, run.stdout + run.stderr
    site, api = root / "build/site", root / "build/api/v1"
    rook = "Rook grew up on the marsh road, where the fog decides who arrives."
    assert _description(site / "heroes/first-hero.html") == rook
    assert _search_text(site, "hero", "first-hero") == rook
    assert json.loads((api / "heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]["background_text"] == (
        "Early years · " + rook)
    assert _description(site / "quests/first-quest.html") == "Cross the marsh."
    assert _search_text(site, "quest", "first-quest") == "Cross the marsh."
    assert _description(site / "stories/road.html") == "The fog comes in."
    home = lxml_html.parse(str(site / "index.html")).getroot()
    cards = [" ".join(p.text_content().split()) for p in home.xpath('//p[@class="card-summary"]')]
    assert "Cross the marsh." in cards and "The fog comes in." in cards, cards
    # plain paragraphs: a line ending no sentence parted by ` · `, as in any other text
    said = "Early years · Knows every path through the fog, and charges for most of them."
    assert _description(site / "characters/old-guide.html") == said
    assert json.loads((api / "characters/old-guide.json").read_text(encoding="utf-8"))["character"]["background_text"] == said
    # a later build draws the unchanged guide's card from the stored summaries: the same line
    (root / "content/heroes/first-hero.yaml").write_text(hero.replace("xp: 120", "xp: 130"), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stdout + run.stderr
    assert _description(site / "characters/old-guide.html") == said
