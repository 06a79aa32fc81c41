"""A link written reference-style (`[the map][m]`, `[m]: https://…` on a line of its
own further down) in a story's paragraph or a hero's background, in a project that
lists a language to translate into.

Each story paragraph is rendered on its own there (so that it carries its line id),
with no link definitions: the English page and the German one showed `[the map][m]`
as typed, check clean. A hero background with a paragraph left in English rendered
that paragraph alone, without the field's definitions: the same. And a translation
writing its own definition (`[m]: https://…` after a blank line) was published as
typed, while check, reading the translation as a whole document, found its link and
said nothing. So was a line marker (` ^l-3f2a`) a translator copied in with the words
from the story file they work beside: taken off a source as it is read, never off a
translation.

Real command line, a real PO file edited with polib, the site read back with lxml."""

from __future__ import annotations

import polib
from lxml import html as lxml_html

from support import diagnostics, foundry

STORY = "content/stories/first-story.md"
PARAGRAPH = "The fog comes in off the marsh like a tide."
HERO = "content/heroes/first-hero.yaml"
BACKGROUND = "Rook grew up on the marsh road, where the *fog* decides who arrives."


def _project(project_factory):
    root = project_factory()
    story = root / STORY
    text = story.read_text()
    assert PARAGRAPH in text
    story.write_text(text.replace(PARAGRAPH, f"{PARAGRAPH} See [the map][m] and the [Lantern].", 1)
                     + "\n[m]: https://example.org/map\n[lantern]: https://example.org/lantern\n")
    hero = root / HERO
    hero.write_text(hero.read_text().replace(
        BACKGROUND, f"{BACKGROUND}\n\n  She keeps [a chart][reeds] of the reeds.\n\n  [reeds]: https://example.org/reeds"))
    toml = root / "foundry.toml"   # published somewhere: a sitemap and whole hreflang addresses
    toml.write_text(toml.read_text().replace('theme = "default"', 'theme = "default"\nbase_url = "https://fog.example.org/"', 1))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "en-XA"]\nbuild_pseudo = true\noutputs = ["html"]\n')
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 0, run.stdout + run.stderr
    return root


def _translate(root, path: str, words: dict[str, str]) -> int:
    """Each entry whose msgid starts with a key translated as its value; the PO line of
    the last one's msgstr."""
    po = polib.pofile(str(root / "translations/de" / path))
    done = 0
    for entry in po:
        for start, target in words.items():
            if entry.msgid.startswith(start):
                entry.msgstr, done = target, done + 1
    assert done == len(words)
    po.save()
    return done


def _links(page) -> list[tuple[str, str]]:
    return [(" ".join(a.text_content().split()), a.get("href")) for a in page.xpath("//main//a[starts-with(@href, 'https:')]")]


def test_reference_links_in_translated_projects(project_factory):
    root = _project(project_factory)
    _translate(root, STORY + ".po", {"The fog comes in": "Der Nebel kommt herein. Sieh [die Karte][m], [Lantern]."})
    # the background's first paragraph translated, the one with the link left in English
    _translate(root, HERO + ".po", {"Rook grew up": "Rook wuchs an der Moorstraße auf, wo der *Nebel* entscheidet."})
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stdout + run.stderr
    for lang, words in (("", "the map"), ("de/", "die Karte")):
        story = lxml_html.fromstring((root / f"build/site/{lang}stories/first-story.html").read_bytes())
        assert (words, "https://example.org/map") in _links(story), lang
        assert "[m]" not in story.text_content(), lang
    # the pseudo-locale keeps a reference's label, as it keeps a link's address: accented,
    # `[ţĥé ɱåþ][m]` and `[Ļåñţéŕñ]` were shown as typed
    links = _links(lxml_html.fromstring((root / "build/site/en-XA/stories/first-story.html").read_bytes()))
    assert ("ţĥé ɱåþ", "https://example.org/map") in links and ("Lantern", "https://example.org/lantern") in links
    # the pseudo-locale's pages are the team's: in the switcher, but in no sitemap, no page's
    # hreflang alternates, and marked noindex (search engines indexed accented gibberish as
    # an English alternate of every page)
    sitemap = (root / "build/site/sitemap.xml").read_text()
    assert "/de/heroes/first-hero.html" in sitemap and "en-XA" not in sitemap
    for lang in ("", "de/", "en-XA/"):
        page = lxml_html.fromstring((root / f"build/site/{lang}heroes/first-hero.html").read_bytes())
        assert sorted(page.xpath("//head/link[@rel='alternate']/@hreflang")) == ["de", "en", "x-default"], lang
        assert page.xpath("//nav[contains(@class, 'language-switcher')]//a/@hreflang") == ["en", "de", "en-XA"], lang
        assert page.xpath("//meta[@name='robots']/@content") == (["noindex"] if lang == "en-XA/" else []), lang
    hero = lxml_html.fromstring((root / "build/site/de/heroes/first-hero.html").read_bytes())
    assert ("a chart", "https://example.org/reeds") in _links(hero)
    assert "[reeds]" not in hero.text_content()

    # a translation that drops the story's link, and one that writes its own definition
    po = polib.pofile(str(root / "translations/de" / (STORY + ".po")))
    [entry] = [e for e in po if e.msgid.startswith("The fog comes in")]
    entry.msgstr = "Der Nebel kommt herein. Sieh [die Karte][k], [Lantern].\n\n[k]: https://example.org/map"
    [other] = [e for e in po if e.msgid.startswith("The lantern bobs")]
    other.msgstr = "Die Laterne hüpft voraus."
    po.save()
    story = (root / STORY)
    story.write_text(story.read_text().replace("The lantern bobs ahead.", "The lantern bobs ahead, [the map][m] says.")
                     .replace("You go home.", "You type `home ^l-e0e0 now`."))   # a code span: text as typed
    run = foundry("l10n", "extract", "--project", str(root), "--language", "de")
    assert run.code == 0, run.stdout + run.stderr
    po = polib.pofile(str(root / "translations/de" / (STORY + ".po")))
    [other] = [e for e in po if e.msgid.startswith("The lantern bobs")]
    other.msgstr, other.flags = "Die Laterne hüpft voraus.", []
    [ending] = [e for e in po if e.msgid.startswith("Dry ground at last.")]
    ending.msgstr = "Endlich trockener Boden. *Ende.* ^l-81c4"   # copied from the .md file with the words
    [tracks] = [e for e in po if e.msgid.startswith("Boot prints")]
    tracks.msgstr = "Frische Spuren. ^l-1c1a Sie führen übers Moor."   # inside the line: shown as typed too
    [code] = [e for e in po if e.msgid.startswith("The fog never lifts.")]
    code.msgstr, code.flags = "Der Nebel bleibt. Du tippst `home ^l-e0e0 now`. *Ende.*", []   # as its source: no HF1107
    po.save()
    # the background's paragraph translated without its link (its definition a paragraph of the field's own)
    _translate(root, HERO + ".po", {"She keeps": "Sie führt eine Karte des Schilfs."})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1107"]
    assert any("background" in m and m.endswith("link to 'https://example.org/reeds' lost") for m in found), found
    assert len(found) == 5, "\n".join(found)
    assert any(m.endswith("holds the line marker '^l-81c4', which would be shown as typed") for m in found), found
    assert any(m.endswith("holds the line marker '^l-1c1a', which would be shown as typed") for m in found), found
    assert any(m.endswith("link to 'https://example.org/map' lost") for m in found), found
    assert any("adds a link definition ('[k]: …')" in m for m in found), found
    assert all(d.startswith(("HF1107 translations/de/content/stories/first-story.md.po:",
                             "HF1107 translations/de/content/heroes/first-hero.yaml.po:"))
               for d in diagnostics(run) if d.startswith("HF1107"))
    assert run.code == 1
