"""Every word a reader sees in the base language on a translated page or book says
so (`lang`, and `dir` where the direction differs): the rule book's labels —
attribute, skill, derived stat and relationship kind names and descriptions — are
lines like any other, so an Arabic edition with none of them translated shows each
inside an element marked English.

One build of the minimal world in German and Arabic with no translation at all, read
back with lxml: the site's hero and character pages and the EPUB's XHTML."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

from support import ROOTS, foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", "FOUNDRY_JOBS": "2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The minimal world's rule book (tests/roots/minimal/schemas): every label a sheet shows.
LABELS = ("Strength", "Agility", "Constitution", "Wits", "Hit points", "Defense", "Tracking", "Ambush",
          "Read trails in mud and reed.", "Mentor", "Apprentice")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("l10n-labels") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--project", str(root), "--only", "html,epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    return root / "build"


def _lang(element) -> str:
    """The language a text node inside `element` is read in: the nearest lang."""
    for node in (element, *element.iterancestors()):
        found = node.get("lang") or node.get(XML_LANG)
        if found:
            return found
    return ""


def _unmarked(tree) -> list[str]:
    """Each label shown in a text node whose language is not English."""
    wrong = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag.split("}")[-1] in ("script", "style", "title"):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or owner is None or text.lstrip().startswith("="):
                # "= 10 + Constitution × 2": a formula in words is one composed sentence
                # (books/words.py builds plain text); its labels are not marked yet
                continue
            for label in LABELS:
                if label in text and _lang(owner) != "en":
                    wrong.append(f"{label!r} read as {_lang(owner)!r} in <{owner.tag}>{text.strip()[:60]}")
    return wrong


def _shown(tree) -> set[str]:
    text = " ".join(tree.itertext())
    return {label for label in LABELS if label in text}


@pytest.mark.parametrize("language", ["ar", "de"])
def test_rule_labels_left_in_english_are_marked_on_the_sites_sheets(built, language):
    seen = set()
    for page in (f"{language}/heroes/first-hero.html", f"{language}/characters/old-guide.html",
                 f"{language}/relationships.html"):
        tree = lxml_html.fromstring((built / "site" / page).read_bytes())
        assert tree.get("lang") == language
        seen |= _shown(tree)
        assert _unmarked(tree) == [], page
    # the labels were on the pages: the test read what it means to check
    assert {"Agility", "Hit points", "Defense", "Ambush", "Tracking", "Mentor", "Apprentice"} <= seen


def test_rule_labels_left_in_english_are_marked_in_the_arabic_epub(built):
    # The compendium's sheets. A gamebook's conditions in words ("… Agility 12 …") are
    # composed sentences (books/words.py, plain text): their labels are not marked yet.
    books = [built / "epub/ar/compendium.epub"]
    seen = set()
    for book_path in books:
        with zipfile.ZipFile(book_path) as book:
            for name in book.namelist():
                if name.endswith(".xhtml"):
                    tree = etree.fromstring(book.read(name))
                    seen |= _shown(tree)
                    assert _unmarked(tree) == [], f"{book_path.name}:{name}"
    assert {"Agility", "Hit points", "Defense", "Ambush"} <= seen


def test_an_english_sheet_is_not_marked(built):
    tree = lxml_html.fromstring((built / "site/heroes/first-hero.html").read_bytes())
    assert not tree.xpath("//*[@class='l10n-fallback']")


@pytest.mark.parametrize("language", ["ar", "de"])
def test_the_story_map_and_the_relationship_graph_mark_what_is_left_in_english(built, language):
    # Inline SVG: a scene title's lines and tooltip, a person's name and a kind on the
    # graph, in the base language, carry lang (SVG's `direction` for the direction).
    story = lxml_html.fromstring((built / "site" / language / "stories/first-story.html").read_bytes())
    titles = story.xpath("//svg[contains(@class, 'story-map')]//text[contains(@class, 'map-title')]")
    assert titles
    for text in titles:
        assert [_lang(node) for node in text.iter() if (node.text or "").strip()] in (["en"], ["en", "en"]), \
            lxml_html.tostring(text)
    graph = lxml_html.fromstring((built / "site" / language / "relationships.html").read_bytes())
    names = graph.xpath("//svg[contains(@class, 'relationship-graph')]//text[contains(@class, 'graph-name')]")
    assert {n.text for n in names} == {"Rook Amsel", "Old Guide"}
    assert all(_lang(n) == "en" for n in names)
    # and nothing in either picture is English read as the page's language
    for tree in (story, graph):
        for svg in tree.xpath("//svg"):
            for node in svg.iter():
                if isinstance(node.tag, str) and node.tag != "title" and (node.text or "").strip():
                    if any(w in node.text for w in ("Mentor", "Apprentice", "Rook", "Guide", "Fog", "Bank")):
                        assert _lang(node) == "en", lxml_html.tostring(node)


# Words the site's templates wrote in English whatever the page's language (no catalog
# message: gettext never saw them), each as the English page shows it.
THEME_WORDS = ("Now, at level 2", "from level 2", "needs ", "What each person is to", "on a scale of 1 to 20",
               "points spent above the defaults", "for level 3", "Computed from the attributes", "More about",
               "people, 1 bond:")


def test_the_sheets_own_words_are_the_pages_language(built):
    pages = ("heroes/first-hero.html", "characters/old-guide.html", "relationships.html")
    english = " ".join((built / "site" / page).read_text(encoding="utf-8") for page in pages)
    assert [w for w in THEME_WORDS if w not in english] == []    # the English site says each of them
    for language in ("ar", "de"):
        shown = " ".join((built / "site" / language / page).read_text(encoding="utf-8") for page in pages)
        assert [w for w in THEME_WORDS if w in shown] == [], language
    hero = lxml_html.fromstring((built / "site/ar/heroes/first-hero.html").read_bytes())
    assert "الآن، في المستوى 2" in hero.text_content()
    assert hero.xpath("//aside/@aria-label") == ["المزيد عن \u2068Rook Amsel\u2069"]   # the Latin name isolated


# The minimal world's names, titles and summaries (none translated in this build).
CONTENT = ("Rook Amsel", "Old Guide", "The Fog Road", "Through the Fog", "Scout of the Marsh Road",
           "Cross the marsh before the bell tolls.", "A short crossing with two ways to end.")


def test_every_name_title_and_summary_left_in_english_is_marked_wherever_the_site_shows_it(built):
    # on cards, in links (giver, protagonist, the road here, the story's people and
    # quests, a person's stories and quests), in the relationships table and inside the
    # theme's sentences ("What each person is to Rook Amsel.")
    seen, wrong = set(), []
    for page in sorted((built / "site/ar").rglob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("script", "style", "title", "option"):
                continue
            for text, owner in ((element.text, element), (element.tail, element.getparent())):
                if not text or owner is None or owner.tag in ("script", "style", "title", "option"):
                    continue
                if page.name == "search.html" or (owner.tag == "strong" and owner.getparent().get("class") == "playing-as"):
                    continue   # not yet: a result's subtitle (a sentence search.py makes), the player's hero
                for name in CONTENT:
                    if name in text:
                        seen.add(name)
                        if _lang(owner) != "en":
                            wrong.append(f"{page.name}: {name!r} in <{owner.tag}>{' '.join(text.split())[:60]}")
    assert seen == set(CONTENT)
    assert wrong == [], "\n".join(wrong)


def test_names_and_titles_beside_others_in_the_arabic_books_are_marked(built):
    # a tie's person, a quest's giver and the stories telling it, a story's people and
    # quests: printed in the compendium's lists, each marked English where it is
    wrong, seen = [], set()
    for book_path in (built / "epub/ar/compendium.epub", built / "epub/ar/stories/first-story.epub"):
        with zipfile.ZipFile(book_path) as book:
            for name in book.namelist():
                if not name.endswith(".xhtml"):
                    continue
                tree = etree.fromstring(book.read(name))
                for element in tree.iter():
                    if not isinstance(element.tag, str) or element.tag.split("}")[-1] in ("title", "script", "style"):
                        continue
                    for text, owner in ((element.text, element), (element.tail, element.getparent())):
                        if not text or owner is None or owner.tag.split("}")[-1] == "title":
                            continue
                        for found in CONTENT[:4]:
                            if found in text:
                                seen.add(found)
                                if _lang(owner) != "en":
                                    wrong.append(f"{book_path.name}:{name}: {found!r} in {' '.join(text.split())[:50]}")
    assert seen == set(CONTENT[:4])
    assert wrong == [], "\n".join(wrong)
