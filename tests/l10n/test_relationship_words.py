"""A relationship kind with no inverse is shown on the writer's page as "Rook is: Owes
a debt to": the words around the content's are the theme's, one catalog message with
named placeholders (views/people.py), so a German or Arabic page says them in its
language instead of an English "is:" no catalog could reach."""

from __future__ import annotations

import shutil

from lxml import html as lxml_html

from support import ROOTS, foundry


def test_a_kind_without_inverse_is_worded_in_the_pages_language(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "schemas/relationships.yaml", "a", encoding="utf-8") as out:
        out.write("  owes:       {name: Owes a debt to}\n")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("kind: mentor}", "kind: owes}"))
    guide = root / "content/characters/old-guide.yaml"   # only Rook's words name the pair
    guide.write_text(guide.read_text().replace("relationships:\n  - {with: first-hero, kind: apprentice}\n", ""))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--project", str(root), "--only", "html", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr[-3000:]

    def kinds(page: str) -> list[str]:
        tree = lxml_html.fromstring((root / "build/site" / page).read_bytes())
        return [" ".join(s.text_content().split()) for s in tree.find_class("relation-kind")]

    assert kinds("heroes/first-hero.html") == ["Rook Amsel is: Owes a debt to"]
    assert kinds("de/heroes/first-hero.html") == ["Rook Amsel ist: Owes a debt to"]
    assert kinds("ar/heroes/first-hero.html") == ["دور Rook Amsel: Owes a debt to"]
    # the name is left in English as its link beside it is, and marked so (lang, and
    # dir in an Arabic page) as the link's is: it went out unmarked, read as German or Arabic
    for page, marks in (("de/heroes/first-hero.html", {"lang": "en"}),
                        ("ar/heroes/first-hero.html", {"lang": "en", "dir": "ltr"})):
        tree = lxml_html.fromstring((root / "build/site" / page).read_bytes())
        named = [(s.text_content(), {k: s.get(k) for k in marks})
                 for s in tree.xpath("//*[@class='relation-kind']/span[contains(@class, 'l10n-fallback')]")]
        assert ("Rook Amsel", marks) in named, named
    # the other side of the pair is the kind as written, in every language
    assert kinds("de/characters/old-guide.html") == ["Owes a debt to"]
