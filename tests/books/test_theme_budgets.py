"""What a print theme's templates can make `foundry check` compute is bounded, and
past the bound said at the template (HF0116), never a check that runs for minutes.

Most tests run the real `foundry check` on a real project under RLIMIT_CPU: the kernel
stops it past the cap however loaded the machine is, so a fault comes back as a kill,
not as a slow pass. Where the fault is work repeated (a text parsed again by each
reader), the test counts that work in this process instead.
"""

from __future__ import annotations

import json
import os

from support import REPO, check_within

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check

_SHEET = "themes/default/print/templates/hero-sheet.html.j2"


def _check_within(root, cpu_seconds: int) -> list[tuple[str, str, int]]:
    """(code, file, line) of each diagnostic of `foundry check --format json`, its CPU
    time capped (support.check_within)."""
    proc = check_within(root, cpu_seconds)
    assert "Traceback" not in proc.stderr, proc.stderr
    return [(d["code"], d["file"], d["line"]) for d in json.loads(proc.stdout)["diagnostics"]]


def test_a_print_template_the_html_parser_reads_superlinearly_is_refused_at_the_file(project_factory):
    # tinyhtml5 (WeasyPrint's parser, which check reads a print template with for its
    # <svg>s, data: images and addresses) rebuilds the open formatting elements at each
    # paragraph: 8,000 distinct <b> then 8,000 <p> (~180 KB) ran check for minutes (the
    # 100,000-attribute tag of `<style ` x 100,000, past 40 CPU-s, is the same kind).
    # Now the read stops at its budget (~3 CPU-s here) and the template is HF0116 at its
    # file, said once (not "template not found" at the templates that include it).
    sheet = (REPO / _SHEET).read_text(encoding="utf-8")
    slow = "".join(f'<b id="b{i}">' for i in range(8_000)) + "<p>x" * 8_000
    root = project_factory({_SHEET: sheet + "{% raw %}" + slow + "{% endraw %}"})
    found = _check_within(root, 30)
    assert found == [("HF0116", _SHEET, 0)], found


def test_an_honest_print_template_is_still_read(project_factory):
    # the budget is proportional to the text: the shipped sheet repeated to ~300 KB (an
    # honest template far larger than any theme's) is read and judged as before, and its
    # one address no book may fetch is still said at its line
    sheet = (REPO / _SHEET).read_text(encoding="utf-8")
    filler = "<div class=\"row\"><span>{{ hero.name }}</span> <em>x</em></div>\n" * 6_000
    end = sheet.rindex("{% endblock %}")
    root = project_factory({_SHEET: sheet[:end] + filler + '<img src="https://example.com/a.png">\n' + sheet[end:]})
    found = _check_within(root, 60)
    assert [f for f in found if f[0] == "HF0116"] == [], found
    assert [f[0] for f in found if f[1] == _SHEET] == ["HF0704"], found


def test_a_site_template_is_parsed_once_per_check(project_factory, monkeypatch):
    # base.html, which every page template extends: check's readers (names, links, uses,
    # cycles, compiles) each parsed it again, and the link check once per template
    # extending it (34 parses a check; a base.html of 340 KB is ~0.7 CPU-s a parse, past
    # any cap); now once for all readers (BoundedSandbox._parse's memo), and once for
    # each compile, which folds constants into a tree of its own: the compile check's and
    # the 404 page's. Counted where Jinja reads any text into tokens, whoever asks, in
    # this process rather than timed under a CPU cap: a large template only multiplies
    # the cost of each parse the count already shows.
    from jinja2.lexer import Lexer
    base = (REPO / "themes/default/templates/base.html").read_text(encoding="utf-8") + "{# the own base #}\n"
    root = project_factory({"themes/default/templates/base.html": base})
    lexed: list[str] = []
    tokeniter = Lexer.tokeniter
    monkeypatch.setattr(Lexer, "tokeniter", lambda lexer, source, *rest, **named: lexed.append(source)
                        or tokeniter(lexer, source, *rest, **named))
    diags = Diagnostics()
    check(root, diags)
    assert [(d.code, d.span.path, d.message) for d in diags.items] == []
    assert 1 <= lexed.count(base) <= 3, lexed.count(base)   # one shared tree, two compiles' (0: not counted here)


def test_a_print_theme_file_it_cannot_take_is_said_at_the_file(project_factory):
    # a file of the project's print folder over the 8 MiB a print file may have (a
    # font saved uncompressed, a scan) was left out of the theme without a word: now
    # HF0116 at each, and a template that includes the large one is not also "not found".
    # A whole Japanese font (the one HF0741's hint has a writer ship) named by an
    # @font-face rule was also HF0704 at the rule, "which no book may fetch: … copy the
    # file into the theme's print/ folder", where it is: one slip, two errors, the second
    # untrue. The font's one error says how a CJK font is had instead.
    sheet = (REPO / _SHEET).read_text(encoding="utf-8")
    big = "themes/default/print/static/scan.png"
    part = "themes/default/print/templates/huge-part.html.j2"
    font = "themes/default/print/fonts/mincho.otf"
    css = (REPO / "themes/default/print/css/base.css").read_text(encoding="utf-8")
    root = project_factory({_SHEET: sheet.replace("{% endblock %}", '{% include "huge-part.html.j2" %}{% endblock %}', 1),
                            "themes/default/print/css/base.css":
                                css + '@font-face { font-family: "Mincho"; src: url(../fonts/mincho.otf); }\n'})
    (root / big).parent.mkdir(parents=True, exist_ok=True)
    (root / big).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024))
    (root / font).parent.mkdir(parents=True, exist_ok=True)
    (root / font).write_bytes(b"OTTO" + b"\0" * (9 * 1024 * 1024))
    (root / part).write_text("<p>x</p>\n" * (1024 * 1024), encoding="utf-8")
    os.mkfifo(root / "themes/default/print/static/pipe.css")
    proc = check_within(root, 60)
    said = json.loads(proc.stdout)["diagnostics"]
    found = [(d["code"], d["file"], d["line"]) for d in said]
    # the FIFO is the project's special file, said once as such (HF0125), not again here
    assert sorted(found) == sorted([("HF0116", big, 0), ("HF0116", part, 0), ("HF0116", font, 0),
                                    ("HF0125", "themes/default/print/static/pipe.css", 0)]), found
    assert "fonts-noto-cjk" in next(d["hint"] for d in said if d["file"] == font)
    assert "fonts-noto-cjk" not in next(d["hint"] for d in said if d["file"] == big)


def test_a_template_over_a_mebibyte_is_said_at_the_file(project_factory):
    # Jinja parses and compiles a template in every render worker, ~1 CPU-s a MiB each
    # time: a site template could be 16 MiB (the limit of any theme file) and cost each
    # worker tens of seconds before its first page. A template may have 1 MiB now, in
    # the site's theme and in the print folder; a stylesheet or a font keeps its limit.
    site = "themes/default/templates/hero.html"
    part = "themes/default/print/templates/big-part.html.j2"
    style = "themes/default/static/big.css"
    filler = "{# " + "x" * (1024 * 1024) + " #}\n"
    root = project_factory({site: (REPO / site).read_text(
        encoding="utf-8") + filler, part: "<p>x</p>\n" + filler, style: "/* " + "x" * (2 * 1024 * 1024) + " */\n"})
    found = _check_within(root, 60)
    assert sorted(f for f in found if f[0] == "HF0116") == sorted([("HF0116", site, 0), ("HF0116", part, 0)]), found


def test_each_print_template_text_is_read_as_html_once_a_process(monkeypatch):
    # check reads each print template as HTML for its <svg>s, data: images and
    # addresses, and again as each page extending or including it folds its constants:
    # the shipped theme is 23 texts a check. The memo held 16 and then emptied, so a
    # check read 32 and a warm run (one process after another check) read them all
    # again. Forty texts of a theme's size are each parsed once, however often asked.
    import tinyhtml5

    from pipeline.exporters.books import html_reading
    parsed: list[str] = []
    parse = tinyhtml5.parse
    # handed as a stream (a str naming a file is read as that file's name: html_reading.py)
    monkeypatch.setattr(tinyhtml5, "parse",
                        lambda text, *a, **k: parsed.append(text.getvalue()) or parse(text, *a, **k))
    texts = [f'<div class="t{i}"><p>{{{{ hero.name }}}}</p><img alt="" src="theme/img/o{i}.png"></div>\n' * 40
             for i in range(40)]
    trees = [html_reading.read_html(text) for text in texts]
    assert all(tree is not None for tree in trees)
    assert [html_reading.read_html(text) for text in texts] == trees   # the same trees, not read again
    assert sorted(parsed) == sorted(set(parsed)) and set(parsed) <= set(texts), len(parsed)


def _picture_font(side: int) -> bytes:
    """A TrueType font whose 'T' is drawn from one PNG of side × side pixels (one red, so
    the file stays small), in an sbix table, as Apple's colour emoji fonts are made."""
    import io
    import struct
    import zlib

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables import sbixGlyph, sbixStrike

    packer, row = zlib.compressobj(9), b"\0" + b"\xff\0\0\xff" * side
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    builder = FontBuilder(unitsPerEm=2048, isTTF=True)
    builder.setupGlyphOrder([".notdef", "pic", "space"])
    builder.setupCharacterMap({ord("T"): "pic", 0x20: "space"})
    builder.setupGlyf(dict.fromkeys([".notdef", "pic", "space"], TTGlyphPen(None).glyph()))
    builder.setupHorizontalMetrics({".notdef": (0, 0), "pic": (2048, 0), "space": (2048, 0)})
    builder.setupHorizontalHeader(ascent=1900, descent=-500)
    builder.setupNameTable({"familyName": "Picture Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.setupMaxp()
    sbix = newTable("sbix")
    strike = sbix.strikes[20] = sbixStrike.Strike(ppem=20, resolution=72)
    strike.glyphs["pic"] = sbixGlyph.Glyph(glyphName="pic", graphicType="png ", imageData=png)
    builder.font["sbix"] = sbix
    out = io.BytesIO()
    builder.font.save(out)
    return out.getvalue()


def test_a_theme_font_drawing_from_a_huge_picture_is_refused_at_the_file(project_factory):
    # A project's print/fonts/ face (here the title's) whose glyph is a 4,000 × 4,000 PNG in
    # an sbix table, 70 KB of file: FreeType decodes it whole at every letter it draws,
    # for each PDF (which then carries the 16-megapixel image for every letter) and the
    # EPUB's cover (8,000 px: 52 CPU-s and 870 MB for the minimal world, and Pillow's bare
    # DecompressionBombWarning), check silent. HF0116 at the file now, as a theme image
    # past its limit is; a font of emoji-sized pictures is kept.
    face = "themes/default/print/fonts/LinLibertine_DR.otf"
    root = project_factory({face: _picture_font(4_000)})
    assert _check_within(root, 30) == [("HF0116", face, 0)]
    import base64
    sheet = "themes/default/print/css/faces.css"   # written into a stylesheet as a data: URL, at its line
    data = base64.b64encode(_picture_font(4_000)).decode()
    root = project_factory({sheet: f'@font-face {{ font-family: "P"; src: url(data:font/ttf;base64,{data}); }}\n'},
                           name="inside")
    assert _check_within(root, 30) == [("HF0116", sheet, 1)]
    root = project_factory({face: _picture_font(160)}, name="honest")
    assert [f for f in _check_within(root, 30) if f[0] == "HF0116"] == []
