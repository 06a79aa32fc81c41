"""The sample world ships a German translation (The Sunken Keep, Bram, Aria), a few
Arabic lines, and a voiced first scene (docs/localization.md, "The sample world"):
all current, all published, read from the session's build of the sample."""

from __future__ import annotations

import json

import mutagen
import numpy
import soundfile

from site_support import by_class, h, parse
from support import foundry

STORY = "content/stories/the-sunken-keep.md"
# The first scene's voiced lines, in reading order: committed ids (` ^l-…` markers).
MOORINGS = ["story.the-sunken-keep.scene.moorings", "story.the-sunken-keep.l-d686",
            "story.the-sunken-keep.l-f0e1", "story.the-sunken-keep.l-e339"]


def test_translations_are_complete_and_current(site_project):
    out = foundry("l10n", "status", "--project", str(site_project)).stdout
    german = out[out.index("de:"):out.index("ar:")]
    for source, lines in ((STORY, 59), ("content/heroes/bram.yaml", 6), ("content/heroes/aria.yaml", 6)):
        assert f"  {source}: {lines}/{lines} translated, 0 stale, 0 missing" in german
    arabic = out[out.index("ar:"):out.index("en-XA")]
    assert f"  {STORY}: 10/59 translated, 0 stale, 49 missing" in arabic
    voice = out[out.index("Voice-over"):]
    assert voice.count(f"  {STORY}: 4/59 lines voiced") == 2 and "en: 4 lines voiced" in voice and "de: 4 lines voiced" in voice


def test_string_tables_carry_german_arabic_and_voice(site_root):
    api = site_root / "api/v1/strings"
    de = {r["id"]: r for r in json.loads((api / "de.json").read_text())["strings"]}
    ar = {r["id"]: r for r in json.loads((api / "ar.json").read_text())["strings"]}
    assert de[MOORINGS[1]]["text"].startswith("Tomas Reedwright hält den Kahn ruhig") and not de[MOORINGS[1]]["fallback"]
    assert de["hero.bram.title"]["text"] == "Wracktaucher von Caer Merrow"
    assert ar["story.the-sunken-keep.title"]["text"] == "القلعة الغارقة" and ar[MOORINGS[1]]["fallback"]
    for line in MOORINGS:
        clip = de[line]["audio"]
        assert clip["source"] == f"content/audio/de/{line}.opus" and clip["format"] == "ogg-opus"
        assert (site_root / "site" / clip["path"]).is_file()
        assert ar[line]["audio"] is None


def test_the_first_scene_plays_its_voice_over(site_root, site_project):
    page = parse(site_root / "site/stories/the-sunken-keep.html")
    scene = next(s for s in page.iter(h("section")) if s.get("data-scene") == "moorings")
    clips = by_class(scene, "audio", "voice-line")
    assert [a.get("data-line") for a in clips] == MOORINGS
    for audio in clips:
        published = (site_root / "site/stories" / audio.get("src")).resolve()
        source = site_project / f"content/audio/en/{audio.get('data-line')}.opus"
        # the same sound, without the recording's comments (load/untagged.py)
        sound, rate = soundfile.read(published)
        recorded, recorded_rate = soundfile.read(source)
        assert rate == recorded_rate and numpy.array_equal(sound, recorded)
        assert mutagen.File(source).tags and not mutagen.File(published).tags
    toggles = [b for b in page.iter(h("button")) if b.get("data-action") == "voice"]
    assert len(toggles) == 1 and toggles[0].get("aria-pressed") == "true"
    other = next(s for s in page.iter(h("section")) if s.get("data-scene") == "tower")
    assert not by_class(other, "audio", "voice-line")


def test_the_german_hero_cards_speak_german_and_mark_what_is_not(site_root):
    """A card is the hero's name, level and portrait as a list shows it: in the German
    index the level and the portrait's alt text are in German, a translated name (Bram)
    is written as it is, and a name nobody translated yet is marked as English."""
    from lxml import html as lxml_html
    page = lxml_html.fromstring((site_root / "site/de/heroes/index.html").read_bytes())
    cards = {a.get("href").rsplit("/", 1)[-1]: a.getparent().getparent().getparent()
             for a in page.xpath("//article[contains(@class, 'person-card')]//h2/a | "
                                 "//article[contains(@class, 'person-card')]//h3/a")}
    bram = cards["bram.html"]
    assert bram.xpath(".//img/@alt")[0].startswith("Porträt von ")
    assert bram.xpath(".//p[@class='card-meta']/span")[0].text_content().startswith("Stufe ")
    assert not bram.xpath(".//*[contains(@class, 'l10n-fallback')]")
    marked = [c for c in cards.values() if c.xpath(".//*[contains(@class, 'l10n-fallback') and @lang='en']")]
    assert marked and len(marked) < len(cards)
    english = lxml_html.fromstring((site_root / "site/heroes/index.html").read_bytes())
    assert not english.xpath("//*[contains(@class, 'l10n-fallback')]")
    assert all(alt.startswith("Portrait of ") for alt in english.xpath("//article//img/@alt"))


def test_the_relationship_graph_is_labelled_in_the_page_language(site_root):
    """The graph is an image with an accessible label; on a German or Arabic page a
    screen reader reads it in that language, counted with the language's plurals."""
    from lxml import html as lxml_html

    def label(path: str) -> tuple[str, str]:
        page = lxml_html.fromstring((site_root / "site" / path / "relationships.html").read_bytes())
        graph = page.xpath("//*[local-name()='svg' and contains(@class, 'relationship-graph')]")[0]
        return graph.get("aria-label"), graph.xpath("./*[local-name()='title']")[0].text_content()

    english, german, arabic = label("."), label("de"), label("ar")
    assert english[0] == english[1] and english[0].startswith("Relationship graph: ") and " people, " in english[0]
    people = english[0].split(": ", 1)[1].split(" ", 1)[0]
    assert german[0] == german[1] == english[0].replace("Relationship graph", "Beziehungsgraph").replace(
        " people, ", " Personen, ").replace(" relationships", " Beziehungen")
    assert arabic[0].startswith("مخطط العلاقات: ") and people in arabic[0]
