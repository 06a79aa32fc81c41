"""A link written `[a site](//example.org/x)` means the web address on the page's own
scheme; inside an EPUB (or a site opened from disk) that is a file path, and epubcheck
failed the book (RSC-007 "could not be found in the EPUB"). Every output writes the
https address it means."""

from __future__ import annotations

import zipfile

from support import foundry

HERO_TAIL = """\
background: |
  Rook keeps a [chart](//example.org/chart) and a [log](https://example.org/log).
"""


def test_a_scheme_relative_link_is_published_as_https_everywhere(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text[:text.index("background:")] + HERO_TAIL, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,epub,json")
    assert run.code == 0, run.stderr
    page = (root / "build/site/heroes/first-hero.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/chart"' in page and 'href="//' not in page
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        xhtml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert 'href="https://example.org/chart"' in xhtml and 'href="//' not in xhtml
    assert "https://example.org/chart" in (root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8")
