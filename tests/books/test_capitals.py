"""Words the theme sets in capitals print in letters a font has.

The print theme sets labels, a relationship's kind and the authors in capitals
(`text-transform: uppercase`), and the EPUB cover draws the authors so. Python's
case mapping turned Georgian's Mkhedruli into Mtavruli (U+1C90 on), capitals that
DejaVu, the font drawing Georgian on most Linux machines, lacks: on such a machine a
Georgian author, attribute or relationship kind printed as empty boxes wherever it
was capitalised (a formula's reading starting with the attribute too), and the build said three HF0741 and an HF0752 at foundry.toml with
no line, in different letters (no file holds a Mtavruli letter), while `check` said
nothing. Mkhedruli is now left as written, as Chromium leaves it; and so is any
character whose transformed form no font has (a theme's `text-transform: full-width`
on a machine with no CJK font printed a hero's name as boxes, said at foundry.toml)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from book_support import EPOCH, ONE_PROCESS, need_poppler, pdffonts, pdftext
from support import REPO, diagnostics, foundry, only_fonts, require_tool

from pipeline.exporters.books.capitals import capitalized, upper

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AUTHOR, ATTRIBUTE, KIND = "ნინო ბერიძე", "სისწრაფე", "მასწავლებელი"


def test_mkhedruli_is_kept_and_every_other_letter_capitalised():
    assert upper("ნინო and straße · Ꭰꭰ") == "ნინო AND STRASSE · ᎠᎠ"
    assert capitalized("ნინო ana\u00a0ბერიძე bo", lambda word: word[:1].upper() + word[1:]) == "ნინო Ana\u00a0ბერიძე Bo"
    assert upper("añb ñ", kept=frozenset("ñ")) == "AñB ñ"
    assert capitalized("ñu ab", lambda word: word[:1].upper() + word[1:], kept=frozenset("ñ")) == "ñu Ab"


def test_a_georgian_word_in_capitals_prints_as_written_on_a_machine_without_mtavruli(project_factory, tmp_path,
                                                                                        monkeypatch):
    need_poppler()
    require_tool(DEJAVU.is_file(), "DejaVu Sans (Debian package fonts-dejavu-core)")
    from fontTools.ttLib import TTFont
    cmap = TTFont(DEJAVU).getBestCmap()
    assert 0x10D0 in cmap and 0x1C90 not in cmap and 0xFF32 not in cmap   # Mkhedruli, not its capitals nor 'Ｒ'
    root = project_factory({})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("authors = []", f'authors = ["{AUTHOR}"]'),
                      encoding="utf-8")
    # and a derived stat's formula starting with it, read out on the sheet as a sentence
    for rel, old, new in (("schemas/attributes.yaml", "name: Agility", f"name: {ATTRIBUTE}"),
                          ("schemas/attributes.yaml", '"10 + agility // 2"', '"agility + 10"'),
                          ("schemas/relationships.yaml", "{name: Mentor,", f"{{name: {KIND},"),
                          ("schemas/relationships.yaml", "{name: Apprentice,", f"{{name: {KIND}ი,")):
        (root / rel).write_text((root / rel).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    # the project's own sheet stylesheet sets each heading (the hero's name) in full-width
    # forms, which only CJK fonts have
    own = root / "themes/default/print/css/sheet.css"
    own.parent.mkdir(parents=True)
    own.write_text((REPO / "themes/default/print/css/sheet.css").read_text(encoding="utf-8")
                   + "\nh1 { text-transform: full-width; }\n", encoding="utf-8")
    env = {**only_fonts(tmp_path, monkeypatch, {"DejaVuSans.ttf": DEJAVU.read_bytes()}), "SOURCE_DATE_EPOCH": EPOCH}
    boxes = ("HF0741", "HF0752")
    checked = foundry("check", "--strict", "--format", "json", "--project", str(root), env=env)
    assert not [d for d in checked.json()["diagnostics"] if d["code"] in boxes], diagnostics(checked)
    built = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root),
                    env={**env, **ONE_PROCESS})
    assert built.code == 0, built.stderr
    assert not [d for d in built.json()["diagnostics"] if d["code"] in boxes], diagnostics(built)
    compendium = root / "build/pdf/compendium.pdf"
    text = pdftext(compendium)
    for word in (*AUTHOR.split(), ATTRIBUTE, KIND):
        assert word in text, (word, text[:400])
    assert not [c for c in text if "\u1c90" <= c <= "\u1cbf"], text[:400]   # no Mtavruli anywhere
    assert any("DejaVu" in f["name"] for f in pdffonts(compendium)) and all(f["emb"] == "yes"
                                                                            for f in pdffonts(compendium))
    sheet = pdftext(root / "build/pdf/heroes/first-hero.pdf")
    assert re.search(r"Rook\s+Amsel", sheet), sheet[:200]   # as written, not boxes (its space an ideographic one)
    assert f"Defense = {ATTRIBUTE} + 10" in sheet, sheet
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as z:   # its cover drawn, no box on it
        assert any(name.endswith(".png") and "cover" in name for name in z.namelist())


def test_a_georgian_names_initials_on_the_site_are_its_own_letters(project_factory):
    """A person without a portrait shows her initials on her card and in the
    relationship graph: Python's upper() made a Georgian name's 'ნბ' Mtavruli 'ᲜᲑ',
    which Chromium would not (its `uppercase` keeps Mkhedruli) and few fonts draw.
    And an initial is a whole letter: Yoruba's 'Ọ̀ṣun Adé' (an Ọ with a combining
    grave, which has no precomposed form) was 'ỌA', its tone mark cut off."""
    from lxml import html as lxml_html
    root = project_factory({})
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", f"name: {AUTHOR}"), encoding="utf-8")
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("name: Old Guide", "name: Ọ̀ṣun Adé"),
                     encoding="utf-8")
    built = foundry("build", "--only", "html", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert built.code == 0, built.stderr
    page = lxml_html.fromstring((root / "build/site/heroes/index.html").read_bytes())
    shown = [e.text_content() for e in page.find_class("portrait-initials")]
    assert "ნბ" in shown, shown
    cast = lxml_html.fromstring((root / "build/site/characters/index.html").read_bytes())
    assert "\u1ecc\u0300A" in [e.text_content() for e in cast.find_class("portrait-initials")]
    site = "".join(p.read_text(encoding="utf-8") for p in (root / "build/site").rglob("*.html"))
    assert not [c for c in site if "\u1c90" <= c <= "\u1cbf"]   # no Mtavruli on any page (the graph's nodes too)


def test_lowercase_reads_a_greek_sigma_before_a_georgian_word_in_context(tmp_path):
    """Only `uppercase` (and `capitalize`) make Mkhedruli Mtavruli; `lowercase` was cut
    at each Georgian run all the same, so a Greek capital sigma right before one ended
    its piece and was lowered as a word's end: 'ΟΔΟΣნ' printed 'οδοςნ', where
    WeasyPrint alone (and Unicode's rule: a cased letter follows) prints 'οδοσნ'."""
    need_poppler()
    require_tool(DEJAVU.is_file(), "DejaVu Sans (Debian package fonts-dejavu-core)")
    import weasyprint

    from pipeline.exporters.pdf.capital_forms import transforms_printable
    from pipeline.exporters.pdf.coverage import asker
    pdf = tmp_path / "lower.pdf"
    html = ('<html lang="el"><body style="font-family: DejaVu Sans"><p style="text-transform: lowercase">'
            'ΟΔΟΣნინო ΟΔΟΣ</p><p style="text-transform: uppercase">ნინო όσος</p></body></html>')
    with transforms_printable(asker({})):
        weasyprint.HTML(string=html).write_pdf(pdf)
    text = pdftext(pdf)
    assert "οδοσნინო οδος" in text, text
    assert "ნინო ΟΣΟΣ" in text, text   # Mkhedruli still kept by uppercase (Greek's tonos dropped)
