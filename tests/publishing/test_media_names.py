"""A portrait's file name as people save them (spaces, commas, accents composed or not)
reaches every output that shows it: the site's <img>/<source srcset>, the PDF books and
the EPUB. Names with those characters built with check clean and then failed: a space
split the srcset candidates (HF0701 'media/my' on every page showing the portrait), and
WeasyPrint asked for 'caf%C3%A9.png' where the print fetcher held 'café.png' (HF0704
'refused to fetch' for every book)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pikepdf
from lxml import html as lxml_html
from PIL import Image

from support import foundry

NAMES = ["my portrait.png", "Rook, 2.png", "café&co+1.png", unicodedata.normalize("NFD", "Ménétrier") + ".png",
         "no\u00a0break.png"]


def _png(width: int, shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, width), (shade, 40, 200 - shade)).save(out, "PNG")
    return out.getvalue()


def _images(pdf) -> int:
    with pikepdf.open(pdf) as doc:
        return sum(len(page.get_images()) for page in doc.pages)


def test_portrait_names_with_spaces_commas_and_accents_reach_every_output(project_factory):
    files = {f"content/assets/{name}": _png(400 + 20 * i, 30 * i) for i, name in enumerate(NAMES)}
    files |= {f"content/characters/c{i}.yaml": f'name: C{i}\nportrait: "../assets/{name}"\n'
              for i, name in enumerate(NAMES)}
    root = project_factory(files)
    assert foundry("check", "--project", str(root)).code == 0
    run = foundry("build", "--project", str(root), "--only", "html,pdf,epub", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    media = {p.name for p in (root / "build/site/media").iterdir()}
    for i in range(len(NAMES)):
        page = root / f"build/site/characters/c{i}.html"
        tree = lxml_html.fromstring(page.read_bytes())
        img = tree.xpath('//main//img[starts-with(@alt, "Portrait")]')[0]
        srcset = tree.xpath("//main//picture/source/@srcset")[0]
        # each candidate is 'URL width', separated by ', ', as a browser splits them
        candidates = [c.strip().split() for c in srcset.split(", ")]
        assert all(len(c) == 2 and c[1].endswith("w") for c in candidates), srcset
        for address in [img.get("src")] + [c[0] for c in candidates]:
            assert address.startswith("../media/") and address[len("../media/"):] in media, (NAMES[i], address)
    # every character's portrait printed in the compendium, and packed in the EPUB
    assert _images(root / "build/pdf/compendium.pdf") >= len(NAMES)
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        packed = [n for n in book.namelist() if n.startswith("EPUB/images/") and "cover" not in n]
    assert len(packed) >= len(NAMES), packed
