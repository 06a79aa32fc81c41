"""A broken picture the project's site theme names is said where it is named.

A site theme's picture that is cut off, corrupt or unparsable was copied into
build/site/assets/ as it is, with `foundry check` and `foundry build` silent: a reader
saw a broken image, the writer was never told (exporters/html/theme_pictures.py)."""

from __future__ import annotations

import io

from PIL import Image

from support import REPO, foundry

CSS = "themes/default/static/site.css"
BASE = "themes/default/templates/base.html"


def _saved(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((64, 64), 60).convert("RGB").save(out, fmt)
    return out.getvalue()


def _animation(fmt: str) -> bytes:
    """Four frames of noise (each long to compress) as a GIF or an APNG."""
    frames = [Image.effect_noise((64, 64), 60 + n).convert("RGB") for n in range(4)]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:])
    return out.getvalue()


def test_a_site_themes_broken_pictures_are_said_where_its_stylesheet_and_templates_name_them(project_factory):
    """A PNG cut off after its header and a JPEG with garbage after its header that the
    theme's own site.css draws by `url()`, an empty GIF it draws too, and an SVG that
    does not parse that base.html names as the favicon (`asset('favicon.svg')`): each is
    one HF0703 warning at the `url()` or `asset()` naming it, said alike (code, file,
    line, column, message) by `foundry check` and `foundry build --only html`. A broken
    picture the theme ships and names nowhere, one a `@font-face` rule names (a font,
    not a picture) and the theme's good picture are said nothing of. A GIF and an APNG
    cut off in their last frame are said too (a browser plays every frame; the first
    alone decoded whole), a whole animation not."""
    png, jpeg = _saved("PNG"), _saved("JPEG")
    good = _saved("PNG")
    gif, apng = _animation("GIF"), _animation("PNG")
    sheet = (REPO / CSS).read_text(encoding="utf-8")
    added = ("\n.banner {\n  background: url(img/paper.png) repeat, url('good.png');\n}\n"
             ".mark { list-style-image: url(\"img/mark.jpg\"); }\n"
             "@font-face { font-family: x; src: url(img/paper.png); }\n"
             ".dot { background-image: url(empty.gif); }\n"
             ".spin { background: url(spin.gif), url(spin.png), url(whole.gif); }\n")
    sheet += added
    base = (REPO / BASE).read_text(encoding="utf-8")
    base = base.replace('<meta charset="utf-8">\n', '<meta charset="utf-8">\n'
                        '<link rel="icon" href="{{ asset(\'favicon.svg\') }}">\n', 1)
    root = project_factory({CSS: sheet, BASE: base,
                            "themes/default/static/img/paper.png": png[:len(png) // 2],
                            "themes/default/static/img/mark.jpg": jpeg[:180] + b"garbage" * 40,
                            "themes/default/static/empty.gif": b"",
                            "themes/default/static/good.png": good,
                            # cut off in their last frame: the first decodes whole
                            "themes/default/static/spin.gif": gif[:len(gif) * 9 // 10],
                            "themes/default/static/spin.png": apng[:len(apng) * 9 // 10],
                            "themes/default/static/whole.gif": gif,
                            "themes/default/static/favicon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
                            "themes/default/static/unused.png": png[:len(png) // 2]})

    def at(text: str, written: str, name: str) -> tuple[int, int]:   # the line and column of `name` in `written`
        start = text.index(written) + written.index(name)
        return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    said = sorted([(CSS, *at(sheet, "url(img/paper.png) repeat", "img/"), "img/paper.png", "is cut off"),
                   (CSS, *at(sheet, "url(\"img/mark.jpg", "img/"), "img/mark.jpg", "is cut off"),
                   (CSS, *at(sheet, "url(empty.gif", "empty"), "empty.gif", "cannot be read"),
                   (CSS, *at(sheet, "url(spin.gif", "spin"), "spin.gif", "is cut off"),
                   (CSS, *at(sheet, "url(spin.png", "spin"), "spin.png", "is cut off"),
                   (BASE, *at(base, "asset('favicon.svg')", "favicon"), "favicon.svg", "cannot be read")])

    def places(run):
        found = []
        for d in run.json()["diagnostics"]:
            assert d["severity"] == "warning" and d["code"] == "HF0703", d
            name = next(n for n in ("img/paper.png", "img/mark.jpg", "empty.gif", "favicon.svg", "unused.png",
                                    "spin.gif", "spin.png", "whole.gif")
                        if f"static/{n} (" in d["message"])
            found.append((d["file"], d["line"], d["column"], name,
                          "is cut off" if "is cut off" in d["message"] else "cannot be read"))
        return sorted(found)

    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 0 and places(check) == said, check.stdout[-3000:] + check.stderr[-2000:]
    build = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert build.code == 0 and places(build) == said, build.stdout[-3000:] + build.stderr[-2000:]
    fields = ("code", "file", "line", "column", "message", "hint")
    assert [[d[f] for f in fields] for d in check.json()["diagnostics"]] == \
        [[d[f] for f in fields] for d in build.json()["diagnostics"]]
    assert "browsers show a broken image" in next(d["message"] for d in check.json()["diagnostics"]
                                                  if "favicon" in d["message"])
    assert (root / "build/site/assets/unused.png").is_file()   # published as it is, said nothing of


def _one_pixel_frames(count: int) -> bytes:
    """A GIF of `count` frames of one pixel each (25 bytes a frame): 200,000 in 5 MB."""
    frames = [Image.new("P", (1, 1), n) for n in range(2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=10, disposal=0, optimize=False)
    data = out.getvalue()
    first = data.find(b"!\xf9")
    second = data.find(b"!\xf9", first + 1)
    return data[:-1] + data[second:-1] * (count - 2) + b";"


def test_a_gif_of_countless_tiny_frames_is_judged_within_the_picture_budget(project_factory, monkeypatch):
    """The theme's picture budget counted an animation's frames with Pillow's n_frames,
    which walks a GIF's every frame: a 5 MB GIF of 200,000 one-pixel frames in a theme's
    static/ was 400,000 frame seeks (~9 CPU-s) of every check, 16 MB three times that,
    and the judging of its frames went on past any budget (each frame charged its one
    pixel). Frames are counted by seeking, as far as the budget reaches, each charged at
    least FRAME_COST pixels."""
    from PIL import GifImagePlugin

    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check

    sheet = (REPO / CSS).read_text(encoding="utf-8") + "\n.spin { background: url(spin.gif); }\n"
    root = project_factory({CSS: sheet, "themes/default/static/spin.gif": _one_pixel_frames(200_000)})
    seeks = []
    real = GifImagePlugin.GifImageFile._seek
    monkeypatch.setattr(GifImagePlugin.GifImageFile, "_seek",
                        lambda self, *args, **kwargs: (seeks.append(1), real(self, *args, **kwargs))[1])
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    assert 0 < len(seeks) < 10_000, len(seeks)


def test_a_jpeg_of_endless_scans_in_the_site_theme_is_not_decoded_by_check(project_factory, monkeypatch):
    """A progressive JPEG repeating its last scan hundreds of times (each scan decoded
    over every pixel again: 100 of them at 36 MP were 19 s) that the site theme's
    stylesheet names was decoded whole by check's judging of theme pictures. It is not
    decoded, as a picture over the pixel limit is not (a portrait of it is HF0702)."""
    from PIL import JpegImagePlugin

    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check

    out = io.BytesIO()
    Image.new("L", (1500, 1500), 128).save(out, "JPEG", progressive=True, quality=90)
    honest = out.getvalue()
    last = honest.rfind(b"\xff\xda")
    sheet = (REPO / CSS).read_text(encoding="utf-8") + "\n.paper { background: url(paper.jpg); }\n"
    root = project_factory({CSS: sheet, "themes/default/static/paper.jpg": honest[:-2] + honest[last:-2] * 300 + b"\xff\xd9"})
    loads = []
    real = JpegImagePlugin.JpegImageFile.load_prepare
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load_prepare",
                        lambda self, *args: (loads.append(1), real(self, *args))[1])
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    assert loads == [], len(loads)
    # and the build publishes it as written (its metadata blocks stripped), not decoded and re-encoded
    from pipeline.load.media import without_metadata
    bomb = (root / "themes/default/static/paper.jpg").read_bytes()
    assert without_metadata(bomb) == bomb and loads == []


def test_a_png_of_countless_chunks_in_the_site_theme_is_not_opened(project_factory, monkeypatch):
    """A PNG of 70,000 empty chunks (tEXt before its image: Pillow reads each one only
    to open it, ~2 µs a chunk; 1.6 million IDATs were 2.5 CPU-s a decode) that the site
    theme's stylesheet names was opened and decoded whole by check's judging of theme
    pictures and again by the build's publishing. Neither opens it now, as neither
    decodes a picture over the pixel limit: it is published as written, its metadata
    chunks stripped (its tEXt chunks are those)."""
    from PIL import PngImagePlugin

    from support import counted_calls, png_of_chunks
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    from pipeline.load.media import without_metadata

    sheet = (REPO / CSS).read_text(encoding="utf-8") + "\n.paper { background: url(paper.png); }\n"
    root = project_factory({CSS: sheet, "themes/default/static/paper.png": png_of_chunks(70_000, before=True)})
    opened = counted_calls(monkeypatch, PngImagePlugin.PngImageFile, "_open")
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    assert opened == [], len(opened)
    published = without_metadata((root / "themes/default/static/paper.png").read_bytes())
    assert opened == [] and published.count(b"tEXt") == 0 and published.startswith(b"\x89PNG"), len(opened)
    with Image.open(io.BytesIO(published)) as img:
        assert img.size == (16, 16)


def test_an_icon_holding_a_png_of_countless_chunks_is_not_opened(project_factory, monkeypatch):
    """The same PNG of 70,000 chunks inside an icon (a favicon.ico at the site's root
    and one the stylesheet names): Pillow opens an icon's PNG with its PNG reader, so
    the chunk count passed it by (a 16 MB favicon of 1.3 million empty IDATs: 2.2 CPU-s
    a check, each time). Neither check nor the build opens it now; it is published as
    written, its PNG's metadata chunks stripped."""
    import struct

    from PIL import PngImagePlugin

    from support import counted_calls, png_of_chunks
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    from pipeline.load.media import without_metadata

    png = png_of_chunks(70_000, before=True)
    icon = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHLL", 16, 16, 0, 0, 1, 32, len(png), 22) + png
    sheet = (REPO / CSS).read_text(encoding="utf-8") + "\n.paper { background: url(paper.ico); }\n"
    root = project_factory({CSS: sheet, "themes/default/static/paper.ico": icon, "themes/default/root/favicon.ico": icon})
    opened = counted_calls(monkeypatch, PngImagePlugin.PngImageFile, "_open")
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    assert opened == [], len(opened)
    published = without_metadata(icon)
    assert opened == [] and published.count(b"tEXt") == 0 and published[:4] == b"\x00\x00\x01\x00", len(opened)
    with Image.open(io.BytesIO(published)) as img:
        assert img.size == (16, 16)


def test_a_turned_webp_of_countless_tiny_frames_is_not_turned_frame_by_frame(project_factory, monkeypatch):
    """A theme's animated WebP whose EXIF says it is turned is published with each frame
    decoded, turned and encoded again; its frames were charged their own pixels, so a
    16 MB WebP of 340,000 one-pixel frames was minutes of every build (20,000: 8 s). Each
    frame is charged at least FRAME_COST, as the theme's picture budget charges it: past
    it the animation is published as written (frames as stored, its EXIF chunk dropped)."""
    from PIL import WebPImagePlugin

    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    from pipeline.load.media import without_metadata
    from pipeline.load.picture_verdicts import FRAME_COST

    count = 40_000_000 // FRAME_COST + 90
    frames = [Image.new("RGB", (2, 1), (255 * (n % 2), 0, 0)) for n in range(count)]
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=20, lossless=True,
                   exif=exif.tobytes())
    sheet = (REPO / CSS).read_text(encoding="utf-8") + "\n.spin { background: url(spin.webp); }\n"
    root = project_factory({CSS: sheet, "themes/default/static/spin.webp": out.getvalue()})
    decoded = []
    real = WebPImagePlugin.WebPImageFile._get_next
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "_get_next",
                        lambda self: (decoded.append(1), real(self))[1])
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    judged = len(decoded)
    published = without_metadata((root / "themes/default/static/spin.webp").read_bytes())
    assert len(decoded) - judged < count // 2, len(decoded) - judged
    with Image.open(io.BytesIO(published)) as img:
        assert img.n_frames == count and img.size == (2, 1) and 0x0112 not in img.getexif()
