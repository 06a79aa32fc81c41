"""The rewrites a book's HTML goes through before WeasyPrint lays it out (exporters/pdf:
addresses kept whole, hanja in Korean text marked) leave a template's `<svg>` and
`<math>` as written, and take time in proportion to the text.

An HTML span inside SVG `<text>` ends the `<svg>` for the parser WeasyPrint reads the
book with (tinyhtml5, as browsers parse): a print template's banner holding the hero's
name or an address lost the rest of its text, which spilled into the page below it.
Each span was put in place by its index, a walk of the children before it: a paragraph
of 16,000 addresses (or hanja) took 0.75 s of CPU, growing as its square.
"""

from __future__ import annotations

import time

import lxml.html
import pytest
import tinyhtml5

SVG = "{http://www.w3.org/2000/svg}"
BANNER = "가漢나 write to me@example.com or see https://example.com/a/very/long/path"


def _rewrites():
    from pipeline.exporters.pdf.addresses import keep_addresses_whole
    from pipeline.exporters.pdf.korean_han import mark_korean_han
    return {"addresses": (keep_addresses_whole, "x@y.zz "), "korean_han": (mark_korean_han, "漢한")}


@pytest.mark.parametrize("name", ["addresses", "korean_han"])
def test_a_templates_svg_keeps_its_text_and_the_page_is_still_rewritten(name):
    rewrite, _ = _rewrites()[name]
    html = (f'<html lang="ko"><body><p>漢 a@b.cc</p><svg><text>{BANNER}<tspan>漢</tspan> a@b.cc</text></svg>'
            f' 漢 after@example.com</body></html>')
    out = rewrite(html)
    tree = tinyhtml5.parse(out)
    assert "".join(tree.find(f".//{SVG}text").itertext()) == f"{BANNER}漢 a@b.cc"
    body = tree.find(".//{http://www.w3.org/1999/xhtml}body")
    assert "".join(body.itertext()) == f"漢 a@b.cc{BANNER}漢 a@b.cc 漢 after@example.com"
    assert out.count("<span") == 2   # in the paragraph, and after the <svg>: its tail is the page's


@pytest.mark.parametrize("name", ["addresses", "korean_han"])
def test_a_paragraph_of_thousands_of_pieces_is_rewritten_in_linear_time(name):
    rewrite, piece = _rewrites()[name]
    html = f'<html lang="ko"><body><p>{piece * 16_000}</p></body></html>'
    start = time.process_time()
    out = rewrite(html)
    spent = time.process_time() - start
    assert out.count("<span") == 16_000
    assert lxml.html.document_fromstring(out).find(".//p").text_content() == piece * 16_000
    assert spent < 0.3, f"{spent:.2f} s of CPU for 16,000 pieces"
