"""A portrait's file name as people save them (spaces, commas, accents composed or not)
reaches every output that shows it: the site's <img>/<source srcset>, the PDF books and
the EPUB. Names with those characters built with check clean and then failed: a space
split the srcset candidates (HF0701 'media/my' on every page showing the portrait), and
WeasyPrint asked for 'caf%C3%A9.png' where the print fetcher held 'café.png' (HF0704
'refused to fetch' for every book). A `+` is published as `-`: S3 reads it as a space."""

from __future__ import annotations

import io
import re
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
    # Amazon S3 reads `+` in a path as a space: 'café&co+1.png' published as
    # media/café&co+1-….png was not found in a bucket
    assert not [name for name in media if "+" in name], sorted(media)
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


def test_one_picture_under_two_names_alike_but_for_a_dot_is_one_item_of_the_epub(project_factory):
    # one placeholder saved twice (`rook.one.png`, `rook-one.png`): two media copies whose
    # EPUB item ids were both `img-rook-one-<hash>-png`, an OPF epubcheck refuses (RSC-005),
    # with one of the two images left out of the manifest its page shows it from
    picture = _png(64, 90)
    root = project_factory({"content/assets/rook.one.png": picture, "content/assets/rook-one.png": picture,
                            "content/characters/c1.yaml": 'name: C1\nportrait: "../assets/rook.one.png"\n',
                            "content/characters/c2.yaml": 'name: C2\nportrait: "../assets/rook-one.png"\n'})
    assert foundry("check", "--project", str(root)).code == 0
    run = foundry("build", "--project", str(root), "--only", "epub")
    assert run.code == 0, run.stdout + run.stderr
    from lxml import etree
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        pages = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    items = opf.findall(".//{http://www.idpf.org/2007/opf}item")
    ids = [item.get("id") for item in items]
    assert len(ids) == len(set(ids)), ids
    declared = {item.get("href") for item in items}
    shown = set(re.findall(r'src="(images/[^"]+)"', pages))
    assert shown and shown <= declared, (shown, declared)
