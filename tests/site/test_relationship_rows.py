"""A person's relationships panel shows every statement written about the pair: two
kinds between the same two people are two rows. It kept one row per other person (the
last statement), so the guide's first kind toward Rook was shown nowhere; and the guide's
own rivalry with Rook was left off his page because Rook had written another kind."""

from __future__ import annotations

import shutil

from lxml import html as lxml_html

from engine_steps import run, same_as_clean
from support import ROOTS, foundry


def rows(root, page: str) -> list[tuple[str, str, str]]:
    """(name, kind, note) of each row of a person's relationships panel on `page`."""
    tree = lxml_html.fromstring((root / "build/site" / page).read_bytes())
    return [(" ".join(li.xpath("string(.//a)").split()),
             " ".join(li.xpath("string(.//*[@class='relation-kind'])").split()),
             " ".join(li.xpath("string(.//*[@class='relation-note'])").split()))
            for li in tree.xpath("//ul[@class='relations']/li")]


def test_every_statement_about_a_pair_is_a_row_and_a_mirrored_one_is_shown_once(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text().replace(
        "  - {with: first-hero, kind: apprentice}\n",
        "  - {with: first-hero, kind: apprentice}\n"
        "  - {with: first-hero, kind: rival, note: Over the last lantern.}\n"))
    built = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert built.code == 0, built.stdout[-3000:] + built.stderr[-3000:]

    # what the guide wrote, both kinds, in his order, each with its note
    assert rows(root, "heroes/first-hero.html") == [("Old Guide", "Apprentice", ""),
                                                     ("Old Guide", "Rival", "Over the last lantern.")]
    # Rook's mentor is the guide's apprentice from the other side (shown once, in Rook's
    # words); the guide's rivalry, which Rook did not write, is a row of its own
    assert rows(root, "characters/old-guide.html") == [("Rook Amsel", "Mentor", ""),
                                                        ("Rook Amsel", "Rival", "Over the last lantern.")]


def test_a_writers_statements_about_one_person_are_rows_in_the_order_written(tmp_path):
    # The World's graph is sorted by kind: the panel showed the guide's apprenticeship
    # above the rivalry he wrote first, while his sheet and the JSON API list them as
    # written. A reordering is a change of Rook's page, drawn as a clean build draws it.
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    guide = root / "content/characters/old-guide.yaml"
    rival = "  - {with: first-hero, kind: rival, note: Over the last lantern.}\n"
    apprentice = "  - {with: first-hero, kind: apprentice}\n"
    guide.write_text(guide.read_text().replace(apprentice, rival + apprentice))
    run(root, ["html"])
    assert rows(root, "heroes/first-hero.html") == [("Old Guide", "Rival", "Over the last lantern."),
                                                     ("Old Guide", "Apprentice", "")]

    guide.write_text(guide.read_text().replace(rival + apprentice, apprentice + rival))
    run(root, ["html"])
    assert rows(root, "heroes/first-hero.html") == [("Old Guide", "Apprentice", ""),
                                                     ("Old Guide", "Rival", "Over the last lantern.")]
    same_as_clean(root, tmp_path, outputs=["html"])
