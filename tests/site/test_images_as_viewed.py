"""Portraits are published as a viewer shows them: the EXIF orientation of a phone
photo applied before its metadata is stripped, and every mode and depth Pillow reads
(palette with transparency, grey with alpha, 16-bit grey, CMYK, 1-bit) turned into
the same picture — in the site's images, its WebP derivatives and the PDF.

Each test draws the picture as a viewer should show it (wide, a dark marker in the
top-left corner), stores it the way a camera or editor would, builds a real project
and reads the published pixels back."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

import pytest
from lxml import html as lxml_html
from PIL import Image, ImageDraw, PngImagePlugin

from support import REPO, ROOTS, diagnostics, foundry, require_tool, write_project

WIDTH, HEIGHT = 400, 200          # as viewed: wide, so a quarter turn shows in the size
RED, WHITE = (255, 0, 0), (255, 255, 255)
JPEG_START = bytes([0xFF, 0xD8])

# How a camera stores the picture a viewer shows, per EXIF Orientation (from the EXIF
# 2.32 specification's table, written out here rather than taken from Pillow, whose
# exif_transpose is what is under test). Pillow's ROTATE_90 turns counter-clockwise.
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,    # mirrored
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,          # mirrored along the main diagonal
    6: Image.Transpose.ROTATE_90,          # viewer turns it clockwise: the phone held upright
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,         # viewer turns it counter-clockwise
}


def viewed(mode: str = "RGB", marker=RED, background=WHITE) -> Image.Image:
    img = Image.new(mode, (WIDTH, HEIGHT), background)
    ImageDraw.Draw(img).rectangle([0, 0, WIDTH // 4, HEIGHT // 4], fill=marker)
    return img


def stored_jpeg(orientation: int, mode: str = "RGB", marker=RED, background=WHITE) -> bytes:
    img = viewed(mode, marker, background)
    if STORED_AS[orientation] is not None:
        img = img.transpose(STORED_AS[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def hero(hid: str, image: str) -> str:
    return f"name: Hero {hid}\nstatus: draft\nportrait: ../assets/portraits/{image}\n"


def project(project_factory, images: dict[str, bytes]):
    files = {}
    for hid, data in images.items():
        name = hid + (".jpg" if data.startswith(JPEG_START) else ".png")
        files[f"content/assets/portraits/{name}"] = data
        files[f"content/heroes/{hid}.yaml"] = hero(hid, name)
    return project_factory(files)


def published(root, hid: str) -> tuple[Image.Image, Image.Image, tuple[int, int]]:
    """The hero page's image (as published), its largest WebP derivative, and the
    width and height the page declares."""
    page = lxml_html.fromstring((root / f"build/site/heroes/{hid}.html").read_bytes())
    img = next(i for i in page.iter("img") if "media/" in i.get("src", ""))
    original = Image.open((root / "build/site/heroes" / img.get("src")).resolve())   # relative to the page
    derivatives = sorted((root / "build/site/media").glob(original.filename.rsplit("/", 1)[1].rsplit(".", 1)[0] + "-*w.webp"))
    assert derivatives, "no WebP derivative"
    return original, Image.open(derivatives[-1]), (int(img.get("width")), int(img.get("height")))


class OneSite:
    """The project `one_site` built: its `root`, the build's `run`, each group's
    portraits as written (`groups`: group -> hero id -> bytes; hero `<group>-<id>`)
    and the theme's static files (`theme`: name -> bytes)."""

    def __init__(self, root, run, groups: dict[str, dict[str, bytes]], theme: dict[str, bytes]):
        self.root, self.run, self.groups, self.theme = root, run, groups, theme

    def shown(self, group: str):
        """`published` for the heroes of `group`, by their id within it."""
        return lambda hid: published(self.root, f"{group}-{hid}")


@pytest.fixture(scope="module")
def one_site(tmp_path_factory) -> OneSite:
    """One project, built once (`--only html`), for the tests that only read the site
    it publishes: each test's portraits as heroes of their own (its group's prefix on
    their ids, so no two tests share a page or a file) and each theme test's static
    files (no two of one name). One `foundry build` instead of eight."""
    from PIL import features
    groups = {"mode": modes_and_depths(), "key": keyed_pngs(), "hdr": unshown_colours(), "icc": colour_profiles(), "named": profiles_judged(),
              "gama": gammas_and_chromaticities(), "chrm": chromaticities_out_of_range(), "strip": {"strip": tall_strip()},
              "exif": exif_blocks(), "crc": wrong_checksums()}
    theme = {**located_theme_files(), **animated_theme_files(), **(avif_and_tiff() if features.check("avif") else {}),
             **misnamed_theme_files(),
             "padded.jpg": exif_blocks()["padded"], "sub-directory.jpg": deeper_orientations()["sub-directory"],
             "crc-exif.png": wrong_checksum_as_written(),
             "hdr.png": png_chunks(Image.new("RGB", (20, 10), (130, 130, 130)), [(b"cICP", bytes([9, 16, 0, 1])),
                                                                                 (b"tEXt", b"GPS\x0052.1,4.3")])}
    files = {f"themes/default/static/{name}": data for name, data in theme.items()}
    for group, images in groups.items():
        for hid, data in images.items():
            name = f"{group}-{hid}" + suffix(data)
            files[f"content/assets/portraits/{name}"] = data
            files[f"content/heroes/{group}-{hid}.yaml"] = hero(f"{group}-{hid}", name)
    root = write_project(tmp_path_factory.mktemp("one-site") / "proj", files)
    run = foundry("build", "--only", "html", "--format", "json", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    return OneSite(root, run, groups, theme)


def near(colour, expected, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def assert_viewed(img: Image.Image, marker=RED, background=WHITE, what: str = "") -> None:
    """Wide, the marker in the top-left corner and nowhere else."""
    rgb = img.convert("RGB")
    w, h = rgb.size
    assert w > h, f"{what}: {w}x{h} is turned"
    corners = {"top-left": (w // 10, h // 10), "top-right": (w - w // 10, h // 10),
               "bottom-left": (w // 10, h - h // 10), "bottom-right": (w - w // 10, h - h // 10)}
    seen = {name: rgb.getpixel(xy) for name, xy in corners.items()}
    assert near(seen["top-left"], marker), f"{what}: {seen}"
    assert all(near(seen[c], background) for c in ("top-right", "bottom-left", "bottom-right")), f"{what}: {seen}"


# An orientation written where no browser reads it: XMP's tiff:Orientation (Lightroom,
# exiftool -XMP:Orientation, a JPEG or PNG whose EXIF block was stripped) and the PNG
# text chunk ImageMagick writes EXIF into ('Raw profile type exif'). Pillow's getexif()
# takes the tag from both; Chromium and Firefox show such a file as stored.
XMP_TURNED = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
              b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
              b' xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>'
              b'<?xpacket end="w"?>')


def suffix(data: bytes) -> str:
    return ".jpg" if data.startswith(JPEG_START) else ".webp" if data[8:12] == b"WEBP" else ".png"


def exif_block(kind: int, values: bytes) -> bytes:
    """An EXIF block whose first directory holds only an Orientation entry of type
    `kind` (3 SHORT, 4 LONG, 8 SSHORT), written out: Pillow writes it as a SHORT."""
    import struct
    return (b"Exif\0\0II*\0" + struct.pack("<IH", 8, 1) + struct.pack("<HHI", 0x0112, kind, len(values) // 2 if kind != 4 else 1)
            + values.ljust(4, b"\0") + struct.pack("<I", 0))


def exif_directories(first: list[tuple], sub: list[tuple] | None = None, sub_first: bool = False,
                     order: str = "<") -> bytes:
    """An EXIF block whose first directory holds `first`'s entries ((tag, TIFF type,
    count, value) each, the value a number packed into the entry's four bytes as its
    type is) and, when `sub` is given, an entry pointing to an Exif sub-directory
    (0x8769, one LONG) holding `sub`'s, after the first directory's own entries or
    before them (`sub_first`), written out byte for byte."""
    import struct
    sizes = {3: "H", 4: "I", 8: "h"}

    def entry(tag, kind, count, value):
        return struct.pack(order + "HHI", tag, kind, count) + struct.pack(order + sizes[kind], value).ljust(4, b"\0")
    entries = [entry(*e) for e in first]
    at = 8 + 2 + 12 * (len(entries) + (sub is not None)) + 4   # the sub-directory, after the first
    if sub is not None:
        pointer = entry(0x8769, 4, 1, at)
        entries = [pointer, *entries] if sub_first else [*entries, pointer]
    tiff = (b"II*\0" if order == "<" else b"MM\0*") + struct.pack(order + "I", 8) + struct.pack(order + "H", len(entries)) \
        + b"".join(entries) + struct.pack(order + "I", 0)
    if sub is not None:
        tiff += struct.pack(order + "H", len(sub)) + b"".join(entry(*e) for e in sub) + struct.pack(order + "I", 0)
    return b"Exif\0\0" + tiff


def turned_by(orientation: int, block: bytes, fmt: str = "JPEG") -> bytes:
    """The viewed picture stored as a camera stores it for `orientation`, its EXIF `block`."""
    img = viewed() if STORED_AS[orientation] is None else viewed().transpose(STORED_AS[orientation])
    out = io.BytesIO()
    img.save(out, fmt, exif=block, **({"quality": 95} if fmt == "JPEG" else {}))
    return out.getvalue()


ORIENTED = 0x0112


def turned_webp() -> bytes:
    """A phone's WebP: the viewed picture stored turned for Orientation 6, its EXIF
    chunk saying 6 (one SHORT in the first directory). Photo apps, Pillow's
    exif_transpose and WebKit show it upright; Chromium as stored (its WebP decoder
    reads no EXIF)."""
    return turned_by(6, exif_directories([(ORIENTED, 3, 1, 6)]), "WEBP")


def deeper_orientations() -> dict[str, bytes]:
    """Phone photos whose Orientation Chromium (Skia's SkExif) finds past the first
    directory's first Orientation entry, each stored so that it shows upright: a JPEG
    whose Orientation (6) is in its Exif sub-directory alone, as an app that wrote it
    among the camera's tags does ('sub-directory'); a big-endian one so, turned and
    mirrored (5, 'sub-directory-mm'); a JPEG whose first Orientation is 0 and a second
    one 8 ('second-tag'); a PNG whose eXIf's first Orientation is a LONG (3) and whose
    sub-directory says 7 ('png-sub-directory'). Pillow read the first directory's first
    tag alone: all were published sideways (or upside down) where Chromium shows them
    upright."""
    return {"sub-directory": turned_by(6, exif_directories([], [(ORIENTED, 3, 1, 6)])),
            "sub-directory-mm": turned_by(5, exif_directories([], [(ORIENTED, 3, 1, 5)], order=">")),
            "second-tag": turned_by(8, exif_directories([(ORIENTED, 3, 1, 0), (ORIENTED, 3, 1, 8)])),
            "png-sub-directory": turned_by(7, exif_directories([(ORIENTED, 4, 1, 3)], [(ORIENTED, 3, 1, 7)]), "PNG")}


def unread_orientations() -> dict[str, bytes]:
    """Files stored as viewed whose only Orientation (6) is one browsers do not read:
    XMP, ImageMagick's PNG text, a PNG's eXIf after its image data, a tag
    of another type than SHORT (Chromium and Firefox read one SHORT only), and a JPEG
    whose EXIF block writes its signature twice ('Exif\\0\\0Exif\\0\\0II*…': Chromium
    finds no TIFF header after the first; Pillow, and foundry, read past both)."""
    from PIL import PngImagePlugin
    xmp_jpeg, xmp_png, raw_png = io.BytesIO(), io.BytesIO(), io.BytesIO()
    viewed().save(xmp_jpeg, "JPEG", quality=95, xmp=XMP_TURNED)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP_TURNED.decode())
    viewed().save(xmp_png, "PNG", pnginfo=info)
    exif = Image.Exif()
    exif[0x0112] = 6
    block = exif.tobytes()
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", f"\nexif\n{len(block):8}\n{block.hex()}\n", zip=True)
    viewed().save(raw_png, "PNG", pnginfo=info)
    # a PNG's eXIf after its image data (PNG wants it before): Pillow reads it into the
    # image's info while loading the pixels, Chromium not at all
    import struct
    import zlib
    body = block[6:] if block.startswith(b"Exif\0\0") else block
    late = png(viewed())
    end = late.rindex(b"IEND") - 4
    late = late[:end] + struct.pack(">I", len(body)) + b"eXIf" + body + \
        struct.pack(">I", zlib.crc32(b"eXIf" + body)) + late[end:]
    long_jpeg, sshort_png, signed = io.BytesIO(), io.BytesIO(), io.BytesIO()
    viewed().save(signed, "JPEG", quality=95, exif=b"Exif\0\0" + block)   # 'Exif\0\0' twice: no TIFF header after the first
    viewed().save(long_jpeg, "JPEG", quality=95, exif=exif_block(4, struct.pack("<I", 6)))
    viewed().save(sshort_png, "PNG", exif=exif_block(8, struct.pack("<h", 6)))
    return {"xmp-jpeg": xmp_jpeg.getvalue(), "xmp-png": xmp_png.getvalue(), "raw-exif-png": raw_png.getvalue(),
            "late-exif-png": late, "long-exif-jpeg": long_jpeg.getvalue(),
            "sshort-exif-png": sshort_png.getvalue(), "signed-twice-jpeg": signed.getvalue()}


@pytest.fixture(scope="module")
def orientations(tmp_path_factory):
    """One project, a hero per EXIF orientation (and per orientation browsers do not
    read, and per one Chromium reads past the first tag: deeper_orientations) and a
    camera's multi-picture JPEG (hero `twin`) and a lossless JPEG (hero `scanned`, and
    `restarted`: one with a restart marker before its frame), built once for the site, the PDFs, the EPUBs and the JSON
    (the PDFs in a second run, without the compendium PDF no test reads)."""
    root = tmp_path_factory.mktemp("exif") / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "content/assets/portraits").mkdir(parents=True)
    for o in STORED_AS:
        (root / f"content/assets/portraits/turned-{o}.jpg").write_bytes(stored_jpeg(o))
        (root / f"content/heroes/turned-{o}.yaml").write_text(hero(f"turned-{o}", f"turned-{o}.jpg"))
    for hid, data in unread_orientations().items():
        name = hid + suffix(data)
        (root / f"content/assets/portraits/{name}").write_bytes(data)
        (root / f"content/heroes/{hid}.yaml").write_text(hero(hid, name))
    for hid, data in deeper_orientations().items():
        name = hid + suffix(data)
        (root / f"content/assets/portraits/{name}").write_bytes(data)
        (root / f"content/heroes/{hid}.yaml").write_text(hero(hid, name))
    (root / "content/assets/portraits/turned-webp.webp").write_bytes(turned_webp())
    (root / "content/heroes/turned-webp.yaml").write_text(hero("turned-webp", "turned-webp.webp"))
    (root / "content/assets/portraits/round.jpg").write_bytes(round_portrait())
    (root / "content/heroes/round.yaml").write_text(hero("round", "round.jpg"))
    (root / "content/assets/portraits/twin.jpg").write_bytes(multi_picture_jpeg())
    (root / "content/heroes/twin.yaml").write_text(hero("twin", "twin.jpg"))
    (root / "content/assets/portraits/scanned.jpg").write_bytes(lossless_jpeg(viewed()))
    (root / "content/heroes/scanned.yaml").write_text(hero("scanned", "scanned.jpg"))
    (root / "content/assets/portraits/restarted.jpg").write_bytes(restarted(lossless_jpeg(viewed())))
    (root / "content/heroes/restarted.yaml").write_text(hero("restarted", "restarted.jpg"))
    run = foundry("build", "--only", "html,epub,json", "--project", str(root), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    # The PDFs read here are the hero sheets: the compendium PDF (every sheet again, ~3
    # CPU-s of layout) is left out; its EPUB, which the tests read, is made above.
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write("\n[print]\ncompendium = false\n")
    run = foundry("build", "--only", "pdf", "--project", str(root), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    return root


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_every_exif_orientation_is_published_upright_in_the_site(orientations, orientation):
    original, derivative, declared = published(orientations, f"turned-{orientation}")
    assert declared == (WIDTH, HEIGHT)                     # the page reserves the viewed shape
    assert original.size == (WIDTH, HEIGHT)
    assert_viewed(original, what=f"orientation {orientation}, original")
    assert_viewed(derivative, what=f"orientation {orientation}, WebP")
    assert 0x0112 not in original.getexif()                # and the tag itself is gone


def test_every_exif_orientation_is_published_upright_in_the_pdf(orientations, tmp_path):
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    for o in STORED_AS:
        pdf = orientations / f"build/pdf/heroes/turned-{o}.pdf"
        out = tmp_path / f"o{o}"
        out.mkdir()
        subprocess.run(["pdfimages", "-png", str(pdf), str(out / "img")], check=True, timeout=120)
        images = [Image.open(p) for p in sorted(out.glob("*.png"))]
        portraits = [i for i in images if i.size[0] >= 100]
        assert portraits, f"orientation {o}: no image in the PDF"
        assert_viewed(portraits[0], what=f"orientation {o}, PDF")


def padded_exif(jpeg: bytes) -> bytes:
    """`jpeg` with its EXIF block's signature 'Exif\\0\\0' written 'Exif\\0\\xff': Chromium
    (Skia's JPEG metadata reader) takes 'Exif\\0' and one pad byte, whatever it is; Pillow
    only 'Exif\\0\\0', and reads no EXIF at all from such a file."""
    at = jpeg.index(b"Exif\0\0")
    return jpeg[:at + 5] + b"\xff" + jpeg[at + 6:]


def second_exif(png_data: bytes, orientation: int) -> bytes:
    """`png_data` with a second eXIf chunk, saying `orientation`, right after its first:
    libpng and Chromium read the first (a second is a duplicate they ignore), Pillow
    the last."""
    import struct
    import zlib
    at = png_data.index(b"eXIf") - 4
    end = at + 12 + struct.unpack(">I", png_data[at:at + 4])[0]
    body = exif_block(3, struct.pack("<H", orientation))[6:]
    chunk = struct.pack(">I", len(body)) + b"eXIf" + body + struct.pack(">I", zlib.crc32(b"eXIf" + body))
    return png_data[:end] + chunk + png_data[end:]


def exif_blocks() -> dict[str, bytes]:
    """Portraits whose EXIF block browsers read otherwise than Pillow: a phone photo
    stored turned with Orientation 6 in a block whose signature is padded with 0xFF
    ('padded', shown upright), one stored as viewed whose block's first directory is
    past its end ('damaged', shown as stored); a plain turned one ('upright'), the same
    after an APP1 segment holding the signature alone ('emptied': Chromium passes over
    it and reads the next, shown upright), and one
    whose Orientation is sound and whose Make is past the block's end ('scrambled',
    shown upright: its other tags change nothing shown); PNGs with two eXIf chunks, whose
    first says 6 and the second 1 ('two-png', stored turned: shown upright) or whose
    first says nothing and the second 6 ('two-png-kept', stored as viewed: shown so),
    as browsers read the first; a WebP stored turned whose EXIF chunk says 6 ('webp':
    turned as photo apps show it, though Chromium shows a WebP as stored, and said
    nothing of); and two that say a turn where browsers do not read it
    (unread_orientations: XMP, a LONG)."""
    import struct
    block = exif_block(3, struct.pack("<H", 6))
    damaged = io.BytesIO()
    viewed().save(damaged, "JPEG", quality=95, exif=block[:10] + struct.pack("<I", 5000) + block[14:])
    # Orientation 6 as browsers read it, then a Make whose text is past the block's end
    scrambled = (b"Exif\0\0II*\0" + struct.pack("<IH", 8, 2) + struct.pack("<HHIHH", 0x0112, 3, 1, 6, 0)
                 + struct.pack("<HHII", 0x010F, 2, 20, 5000) + struct.pack("<I", 0))
    turned = io.BytesIO()
    viewed().transpose(STORED_AS[6]).save(turned, "JPEG", quality=95, exif=scrambled)
    unread = unread_orientations()
    turn = Image.Exif()
    turn[0x0112] = 6
    emptied = stored_jpeg(6)
    emptied = emptied[:2] + b"\xff\xe1\x00\x08Exif\0\0" + emptied[2:]   # an APP1 of the signature alone, first
    return {"padded": padded_exif(stored_jpeg(6)), "damaged": damaged.getvalue(), "upright": stored_jpeg(6),
            "emptied": emptied,
            "scrambled": turned.getvalue(),
            "two-png": second_exif(png(viewed().transpose(STORED_AS[6]), exif=turn.tobytes()), 1),
            "two-png-kept": second_exif(png(viewed(), exif=Image.Exif().tobytes()), 6),
            "xmp": unread["xmp-jpeg"], "webp": turned_webp(), "long": unread["long-exif-jpeg"],
            **beside_the_first_directory()}


def beside_the_first_directory() -> dict[str, bytes]:
    """EXIF blocks whose Orientations Chromium (SkExif) weighs in the order it meets
    them: a photo whose first directory points to its Exif sub-directory (Orientation 6)
    before its own Orientation (3) comes ('sub-first', stored turned by 6: the first
    met wins); one whose first directory's 6 comes before a sub-directory's 3
    ('first-wins', stored turned by 6); and, stored as viewed, one whose Orientation is
    in its thumbnail's directory (IFD1) alone and one whose pointer to its
    sub-directory is a SHORT, not the LONG Chromium follows ('thumbnail-only',
    'short-pointer': Chromium turns neither)."""
    import struct
    sub_first = exif_directories([(ORIENTED, 3, 1, 3)], [(ORIENTED, 3, 1, 6)], sub_first=True)
    first_wins = exif_directories([(ORIENTED, 3, 1, 6)], [(ORIENTED, 3, 1, 3)])
    tiff = exif_directories([(0x0100, 3, 1, WIDTH)])[6:]
    thumbnail = b"Exif\0\0" + tiff[:-4] + struct.pack("<I", len(tiff)) + struct.pack("<H", 1) \
        + struct.pack("<HHIHH", ORIENTED, 3, 1, 6, 0) + struct.pack("<I", 0)
    pointer = exif_directories([(0x8769, 3, 1, 26)])
    pointer += struct.pack("<H", 1) + struct.pack("<HHIHH", ORIENTED, 3, 1, 6, 0) + struct.pack("<I", 0)
    return {"sub-first": turned_by(6, sub_first), "first-wins": turned_by(6, first_wins),
            "thumbnail-only": turned_by(1, thumbnail), "short-pointer": turned_by(1, pointer)}


def assert_chromium_shows_upright(browser, images: dict[str, bytes]) -> None:
    """The premise of a test of what browsers read: Chromium shows each picture (its
    bytes, by id) WIDTH x HEIGHT, as a data: URL in an <img>."""
    page = browser.new_page()
    try:
        for hid, data in images.items():
            mime = "image/" + suffix(data)[1:].replace("jpg", "jpeg")
            page.set_content(f'<img id="i" src="data:{mime};base64,{base64.b64encode(data).decode()}">')
            page.wait_for_function("document.getElementById('i').complete")
            shown = page.evaluate("[document.getElementById('i').naturalWidth, document.getElementById('i').naturalHeight]")
            assert shown == [WIDTH, HEIGHT], f"{hid}: Chromium shows {shown}"
    finally:
        page.close()


def chromium_drawn(browser, images: dict[str, bytes], at=((None, None),)) -> dict[str, list]:
    """What Chromium draws of each picture (`images`: its bytes by name, shown as a
    data: URL in an <img>, drawn on a canvas): [naturalWidth, naturalHeight, then the
    RGBA at each point of `at` (x, y; None for the middle)], in one page."""
    page = browser.new_page()
    drawn = {}
    try:
        for name, data in images.items():
            mime = "image/" + suffix(data)[1:].replace("jpg", "jpeg")
            page.set_content(f'<img id="i" src="data:{mime};base64,{base64.b64encode(data).decode()}">')
            page.wait_for_function("document.getElementById('i').complete")
            drawn[name] = page.evaluate(
                "(at) => { const i = document.getElementById('i'), c = document.createElement('canvas');"
                " c.width = i.naturalWidth || 1; c.height = i.naturalHeight || 1; const x = c.getContext('2d');"
                " if (i.naturalWidth) x.drawImage(i, 0, 0);"
                " return [i.naturalWidth, i.naturalHeight, ...at.map(([px, py]) => Array.from(x.getImageData("
                " px === null ? c.width >> 1 : px, py === null ? c.height >> 1 : py, 1, 1).data))]; }",
                [list(point) for point in at])
    finally:
        page.close()
    return drawn


@pytest.fixture(scope="module")
def premises(request) -> dict[str, list] | None:
    """What Chromium draws of each picture whose test takes Chromium's drawing as its
    premise, drawn once in one page (chromium_drawn): its size, then the RGBA at
    (10, 10), at (300, 150) (zeros past its edge) and in its middle. None on a laptop
    without Chromium: the tests then check the published pictures alone."""
    try:
        browser = request.getfixturevalue("browser")
    except pytest.skip.Exception:
        return None
    return chromium_drawn(browser, {**palettes_misused(), "two-keys": keyed_pngs()["two-keys"], **jpeg_profile_parts(),
                                    **animated_webp_profiles(), "cropped.gif": cropped_gif(),
                                    "deep.jpg": twelve_bit_jpeg(), **printed_otherwise(), "signed.png": signed_twice_apng(),
                                    **{f"crc-{name}": data for name, data in wrong_checksums().items()}},
                          ((10, 10), (300, 150), (None, None)))


def test_an_exif_block_is_read_as_browsers_read_it_and_one_they_do_not_is_said(one_site, browser):
    """A phone photo whose EXIF block's signature was padded with 0xFF ('Exif\\0\\xff',
    which Chromium reads) was published sideways in every output, its page declaring
    the size as stored: Pillow reads no EXIF from it. It is published upright, and so is
    a theme's picture so written, and a photo whose EXIF block follows an APP1 of the
    signature alone (Pillow took that one). So is a PNG whose first eXIf chunk says 6 and a second
    1 (an editor's added): Pillow read the last, browsers the first. A block whose first directory is past its end (an
    editor's cut) made Pillow print 'warning: UserWarning: Corrupt EXIF data…' several
    times a build, naming no file (a tag's data past its end, 'Tag data larger than
    file'); browsers show such a picture as stored, and so is it published, with HF0756
    at the portrait's line. So is each picture that says a turn where browsers do not
    read it: its writer may see it turned in a photo viewer and sideways on the site. A
    turn browsers apply is said nothing of, whatever else in its block is damaged."""
    images = one_site.groups["exif"]
    # the premise: Chromium turns the padded file and shows the damaged one as stored
    assert_chromium_shows_upright(browser, {hid: images[hid] for hid in
                                            ("padded", "damaged", "emptied", "two-png", "two-png-kept",
                                             *beside_the_first_directory())})
    shown = one_site.shown("exif")
    for hid in images:
        original, derivative, declared = shown(hid)
        assert declared == (WIDTH, HEIGHT), hid
        assert_viewed(original, what=f"{hid}, original")
        assert_viewed(derivative, what=f"{hid}, WebP")
    for name in ("padded.jpg", "sub-directory.jpg"):
        with Image.open(one_site.root / "build/site/assets" / name) as theme:
            assert_viewed(theme, what=f"a theme's {name}")
    said = {d for d in diagnostics(one_site.run) if d.startswith("HF0756")}
    assert said == {f"HF0756 content/heroes/exif-{hid}.yaml:3:11" for hid in ("damaged", "xmp", "long")}, said
    assert "UserWarning" not in one_site.run.stderr + one_site.run.stdout


def test_an_orientation_browsers_do_not_read_is_not_applied(orientations, browser, tmp_path):
    """XMP-only and ImageMagick's PNG-text orientation, a PNG's eXIf after its image
    data, an Orientation written as a LONG or an SSHORT: Chromium shows the file as
    stored (checked here, the premise), and so do the site, its WebP and the PDF. The
    late eXIf PNG turned too, in a box of the size as stored (the probe read it
    before the pixels, the render after), and the LONG and SSHORT ones turned (Pillow
    reads the tag whatever its type)."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    assert_chromium_shows_upright(browser, unread_orientations())
    for hid in unread_orientations():
        original, derivative, declared = published(orientations, hid)
        assert declared == (WIDTH, HEIGHT), hid
        assert_viewed(original, what=f"{hid}, original")
        assert_viewed(derivative, what=f"{hid}, WebP")
        assert_viewed(pdf_portrait(orientations, hid, tmp_path), what=f"{hid}, PDF")


def said_elsewhere() -> dict[str, bytes]:
    """Pictures stored as viewed whose only Orientation (6) is where browsers do not read
    it, each in one place: a WebP's XMP alone (no EXIF chunk at all), a PNG's XMP beside
    ImageMagick's EXIF text of no Orientation, a JPEG whose EXIF block browsers read
    ('Exif\\0\\xff': padded_exif) holds none while a second block, the one Pillow reads
    ('Exif\\0\\0'), says 6, and unread_orientations' XMP, text-chunk and late-eXIf
    files."""
    import struct
    webp = io.BytesIO()
    viewed().save(webp, "WEBP", quality=95, xmp=XMP_TURNED)
    camera, turn = Image.Exif(), Image.Exif()
    camera[0x0110] = "Camera"
    turn[0x0112] = 6
    first = io.BytesIO()
    viewed().save(first, "JPEG", quality=95, exif=camera.tobytes())
    padded = padded_exif(first.getvalue())
    body = b"Exif\0\0" + turn.tobytes()
    app1 = padded.index(b"\xff\xe1")
    after = app1 + 2 + struct.unpack(">H", padded[app1 + 2:app1 + 4])[0]   # past the padded block
    info = PngImagePlugin.PngInfo()   # ImageMagick's EXIF text (a camera's make, no Orientation), then XMP's 6
    block = camera.tobytes()
    info.add_text("Raw profile type exif", f"\nexif\n{len(block):8}\n{block.hex()}\n", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP_TURNED.decode())
    unread = unread_orientations()
    return {"webp-xmp": webp.getvalue(), "text-then-xmp-png": png(viewed(), pnginfo=info),
            "second-block": padded[:after] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + padded[after:],
            **{hid: unread[hid] for hid in ("xmp-jpeg", "xmp-png", "raw-exif-png", "late-exif-png")}}


def test_an_orientation_browsers_do_not_read_is_said_where_it_is_written(project_factory, browser):
    """HF0756 tells the writer where the turn their photo app shows is written, so they
    know what to fix: a WebP whose XMP alone says 6 was said to say it 'in its EXIF
    chunk', which it has none of, and a JPEG's XMP, a PNG's text chunk or late eXIf were
    each 'in its XMP, a PNG text chunk, or an eXIf chunk after the image data', a guess
    among three; a JPEG's second EXIF block (the one Pillow reads) was among those guesses
    too, and is none of them. A PNG's XMP beside an EXIF text chunk that says no turn is
    the XMP's. Chromium shows each as stored (the premise)."""
    images = said_elsewhere()
    assert_chromium_shows_upright(browser, images)
    root = project_factory({**{f"content/assets/portraits/{hid}{suffix(data)}": data for hid, data in images.items()},
                            **{f"content/heroes/{hid}.yaml": hero(hid, hid + suffix(data)) for hid, data in images.items()}})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = {d["file"].rsplit("/", 1)[1].removesuffix(".yaml"): d["message"]
            for d in run.json()["diagnostics"] if d["code"] == "HF0756"}
    places = {"webp-xmp": "in its XMP (tiff:Orientation)", "xmp-jpeg": "in its XMP (tiff:Orientation)",
              "text-then-xmp-png": "in its XMP (tiff:Orientation)",
              "xmp-png": "in its XMP (tiff:Orientation)",
              "raw-exif-png": "in a PNG text chunk (ImageMagick's 'Raw profile type exif')",
              "late-exif-png": "in an eXIf chunk after the image data",
              "second-block": "in an EXIF block other than the one browsers read"}
    assert set(said) == set(places), said
    for hid, place in places.items():
        assert f"it says it is turned (Orientation 6) {place}" in said[hid], (hid, said[hid])


def round_portrait() -> bytes:
    """A phone photo (Orientation 6) of a red disc, 140 pixels across, in the middle of
    a WIDTH x HEIGHT picture as viewed: however an output crops or scales it, a viewer
    sees the disc round."""
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    ImageDraw.Draw(img).ellipse([WIDTH // 2 - 70, HEIGHT // 2 - 70, WIDTH // 2 + 70, HEIGHT // 2 + 70], fill=RED)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    img.transpose(STORED_AS[6]).save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def disc_proportions(img: Image.Image) -> tuple[int, int]:
    """The width and height of the box around the red disc's pixels in `img` (a
    screenshot, a page)."""
    r, g, b = img.convert("RGB").split()
    red = Image.merge("RGB", (r.point(lambda v: 255 if v > 160 else 0), g.point(lambda v: 255 if v < 90 else 0),
                              b.point(lambda v: 255 if v < 90 else 0))).convert("L").point(lambda v: 255 if v == 255 else 0)
    box = red.getbbox()
    assert box is not None, "no red disc drawn"
    return box[2] - box[0], box[3] - box[1]


def test_a_portrait_keeps_its_proportions_wherever_a_reader_sees_it(orientations, browser, tmp_path):
    """A portrait is drawn in each output's frame (a card, a circle on a sheet) scaled
    alike across and down, cropped rather than squeezed, as a viewer shows the file:
    the EPUB's sheet set it 7em by 7em with nothing to say how (object-fit: fill), so a
    photo 400 x 200 (or a phone's, stood upright) was squeezed into the square, a round
    face drawn as an egg. Seen in Chromium (the site's hero page and card, the EPUB's
    chapter with its stylesheet, as EPUB reading systems lay it out) and in the PDF
    sheet as poppler draws it."""
    import zipfile
    require_tool(shutil.which("pdftoppm") is not None, "pdftoppm")
    book = tmp_path / "book"
    with zipfile.ZipFile(orientations / "build/epub/compendium.epub") as epub:
        epub.extractall(book)
    places = {"site page": orientations / "build/site/heroes/round.html",
              "site card": orientations / "build/site/heroes/index.html",
              "EPUB": book / "EPUB/hero-round.xhtml"}
    page = browser.new_page()
    shown = {}
    try:
        for where, path in places.items():
            page.goto(path.as_uri())
            img = page.locator("img[src*='round-']").first
            img.scroll_into_view_if_needed()
            page.wait_for_function("Array.from(document.images).every(i => !i.src.includes('round-') || "
                                   "(i.complete && i.naturalWidth > 0))")
            shown[where] = Image.open(io.BytesIO(img.screenshot()))
    finally:
        page.close()
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(orientations / "build/pdf/heroes/round.pdf"),
                    str(tmp_path / "sheet")], check=True, timeout=120)
    shown["PDF"] = Image.open(next(tmp_path.glob("sheet*.png")))
    for where, img in shown.items():
        width, height = disc_proportions(img)
        assert height >= 20 and abs(width - height) <= max(2, height // 20), (where, width, height)


def pdf_portrait(root, hid: str, tmp_path) -> Image.Image:
    """The portrait on hero `hid`'s sheet as the PDF holds it (pdfimages)."""
    out = tmp_path / hid
    out.mkdir()
    subprocess.run(["pdfimages", "-png", str(root / f"build/pdf/heroes/{hid}.pdf"), str(out / "img")],
                   check=True, timeout=120)
    portraits = [i for i in map(Image.open, sorted(out.glob("*.png"))) if i.size[0] >= 100]
    assert portraits, f"{hid}: no image in the PDF"
    return portraits[0]


def test_an_orientation_chromium_finds_past_the_first_tag_is_applied_in_every_output(orientations, browser, tmp_path):
    """A phone photo whose Orientation is in its EXIF's Exif sub-directory alone, or
    whose first Orientation is one Chromium passes over (0, a LONG) for a later one:
    Chromium turns it (checked here, the premise) and every viewer of the published
    copies must see it so, but Pillow read the first directory's first tag alone, so
    each was published as stored (sideways, mirrored) in the site, its WebP, the PDF,
    the EPUB and the picture the JSON names, its page declaring the size as stored. An
    engine (Godot, Unity) decodes the JSON's picture ignoring any EXIF: its pixels must
    be upright, read here without applying any."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    images = deeper_orientations()
    drawn = chromium_drawn(browser, images, ((10, 10), (WIDTH - 10, HEIGHT - 10)))
    for hid, (width, height, corner, far) in drawn.items():   # the premise: shown upright, marker top left
        assert (width, height) == (WIDTH, HEIGHT) and near(corner, RED + (255,)) and near(far, WHITE + (255,)), (hid, drawn[hid])
    assert_upright_in_every_output(orientations, images, tmp_path)


def test_a_webps_exif_orientation_is_applied_in_every_output(orientations, tmp_path):
    """A phone's WebP portrait stored turned, its EXIF chunk saying Orientation 6: photo
    apps, Pillow's exif_transpose and WebKit show it upright, Chromium as stored. It was
    published as stored (sideways) with HF0756; its copies are turned, so that every
    viewer shows them upright, and carry no orientation: the site's picture and its
    sizes, the page's declared size, the EPUB's, the PDF's and the JSON's picture."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    assert_upright_in_every_output(orientations, ["turned-webp"], tmp_path)
    original = published(orientations, "turned-webp")[0]
    assert original.format == "WEBP" and ORIENTED not in original.getexif()


def assert_upright_in_every_output(orientations, hids, tmp_path) -> None:
    """Each hero of `hids` is published as viewed in `orientations`' site (its picture,
    largest size and declared size), the picture the JSON names (read as an engine
    reads it, no EXIF applied), the EPUB and the PDF."""
    import json
    import zipfile
    bundle = json.loads((orientations / "build/site/api/v1/bundle.json").read_bytes())
    named = {h["id"]: h["portrait"]["path"] for h in bundle["heroes"] if h.get("portrait")}
    with zipfile.ZipFile(orientations / "build/epub/compendium.epub") as book:
        packed = {n: book.read(n) for n in book.namelist() if n.startswith("EPUB/images/")}
    for hid in hids:
        original, derivative, declared = published(orientations, hid)
        assert declared == (WIDTH, HEIGHT), hid
        assert_viewed(original, what=f"{hid}, original")
        assert_viewed(derivative, what=f"{hid}, WebP")
        with Image.open(orientations / "build/site" / named[hid]) as engine:   # no exif_transpose: an engine's reading
            assert "exif" not in engine.info, hid
            assert_viewed(engine, what=f"{hid}, the JSON's picture")
        stem = named[hid].rsplit("/", 1)[1].rsplit(".", 1)[0]   # the EPUB's copy bears the site's name
        epub = [data for name, data in packed.items() if name.rsplit("/", 1)[1].rsplit(".", 1)[0] == stem]
        assert len(epub) == 1, (hid, sorted(packed))
        assert_viewed(Image.open(io.BytesIO(epub[0])), what=f"{hid}, EPUB")
        assert_viewed(pdf_portrait(orientations, hid, tmp_path), what=f"{hid}, PDF")


def png(img: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG", **options)
    return out.getvalue()


def palette_with_transparency() -> bytes:
    img = viewed("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    white = img.getpixel((WIDTH - 1, HEIGHT - 1))
    return png(img, transparency=white)      # the background is see-through


def grey_with_alpha() -> bytes:
    img = viewed("LA", marker=(0, 255), background=(255, 0))
    return png(img)


def sixteen_bit_grey() -> bytes:
    # dark grey marker (16384 of 65535: a quarter) on white; clipping to 8 bits would
    # make the marker white and the picture blank
    img = Image.new("I;16", (WIDTH, HEIGHT), 65535)
    ImageDraw.Draw(img).rectangle([0, 0, WIDTH // 4, HEIGHT // 4], fill=16384)
    return png(img)


def one_bit() -> bytes:
    return png(viewed("1", marker=0, background=1))


def cmyk_jpeg() -> bytes:
    return stored_jpeg(6, "CMYK", marker=(0, 255, 255, 0), background=(0, 0, 0, 0))   # turned, too


def modes_and_depths() -> dict[str, bytes]:
    return {"palette": palette_with_transparency(), "grey-alpha": grey_with_alpha(),
            "deep-grey": sixteen_bit_grey(), "one-bit": one_bit(), "cmyk": cmyk_jpeg(), **palettes_misused()}


def palettes_misused() -> dict[str, bytes]:
    """Palette PNGs PNG forbids and Chromium shows all the same: red on white, with a
    tRNS of 300 entries for a palette of 2 (Chromium ignores it: opaque; converting
    it raised 'palette index out of range', an internal error mid-build), and red on
    pixels naming entry 7 of a palette of red and white (Chromium pads the palette with
    its last colour: white; Pillow pads with black)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    indices = viewed().convert("L").point(lambda v: 0 if v < 255 else 7)   # the marker entry 0, the rest entry 7
    past = b"".join(b"\0" + bytes(indices.crop((0, y, WIDTH, y + 1)).tobytes()) for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)
    palette = bytes(RED + WHITE)
    overlong = png(viewed().convert("P", palette=Image.Palette.ADAPTIVE, colors=2))
    at = overlong.index(b"IDAT") - 4
    return {"overlong-key": overlong[:at] + chunk(b"tRNS", bytes(300)) + overlong[at:],
            "past-palette": b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"PLTE", palette)
            + chunk(b"IDAT", zlib.compress(past)) + chunk(b"IEND", b"")}


def test_every_mode_and_depth_is_published_as_viewed(one_site, premises):
    for hid in palettes_misused() if premises else ():   # the premise: Chromium shows each red on white
        _, _, marker, background, _ = premises[hid]
        assert near(marker, RED + (255,), 0) and near(background, WHITE + (255,), 0), hid
    shown = one_site.shown("mode")
    expect = {"palette": (RED, WHITE), "grey-alpha": ((0, 0, 0), WHITE), "deep-grey": ((64, 64, 64), WHITE),
              "one-bit": ((0, 0, 0), WHITE), "cmyk": (RED, WHITE), "overlong-key": (RED, WHITE),
              "past-palette": (RED, WHITE)}
    for hid, (marker, background) in expect.items():
        original, derivative, declared = shown(hid)
        assert declared == (WIDTH, HEIGHT), hid
        for img, what in ((original, "original"), (derivative, "WebP")):
            flat = img
            if img.mode in ("RGBA", "LA", "P"):
                flat = Image.new("RGBA", img.size, WHITE + (255,))
                flat.alpha_composite(img.convert("RGBA"))   # transparency shown on white
            assert_viewed(flat, marker, background, what=f"{hid} {what}")
    # transparency survives where the source had it
    for hid in ("palette", "grey-alpha"):
        original, derivative, _ = shown(hid)
        for img in (original, derivative):
            rgba = img.convert("RGBA")
            w, h = rgba.size
            assert rgba.getpixel((w - w // 10, h - h // 10))[3] == 0, hid
            assert rgba.getpixel((w // 10, h // 10))[3] == 255, hid


def keyed_png(depth: int, colour: bool, marker, key, orientation: int = 1, size=(WIDTH, HEIGHT)) -> bytes:
    """A PNG of grey (or RGB: `colour`) samples of `depth` bits, stored as EXIF
    `orientation` says (in an eXIf chunk), the viewed picture the `marker` sample in
    the top-left corner on the `key` sample, which its tRNS chunk names see-through:
    written out, Pillow writes neither 2-bit grey nor 16-bit RGB."""
    import struct
    import zlib
    width, height = size
    grid = Image.new("L", size, 0)
    ImageDraw.Draw(grid).rectangle([0, 0, width // 4, height // 4], fill=1)
    if STORED_AS[orientation] is not None:
        grid = grid.transpose(STORED_AS[orientation])
    channels = 3 if colour else 1
    samples = {0: key, 1: marker} if colour else {0: (key,), 1: (marker,)}   # by the grid's value
    rows = []
    for y in range(grid.height):
        values = [s for x in range(grid.width) for s in samples[grid.getpixel((x, y))]]
        if depth == 16:
            rows.append(b"\0" + struct.pack(f">{len(values)}H", *values))
        else:
            per = 8 // depth
            values += [0] * (-len(values) % per)
            rows.append(b"\0" + bytes(sum(v << (8 - depth * (i + 1)) for i, v in enumerate(values[at:at + per]))
                                       for at in range(0, len(values), per)))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", grid.width, grid.height, depth, 2 if colour else 0, 0, 0, 0)
    turned = chunk(b"eXIf", exif_block(3, struct.pack("<H", orientation))[6:]) if orientation != 1 else b""
    key_chunk = struct.pack(f">{channels}H", *(key if colour else (key,)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + turned + chunk(b"tRNS", key_chunk)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def keyed_pngs() -> dict[str, bytes]:
    """PNGs whose one see-through grey or colour (tRNS) Pillow misreads: a 2-bit grey
    (as oxipng writes a black icon on nothing), a 16-bit grey turned by its eXIf, and
    a 16-bit RGB; each marker differs from the key in its samples' low bytes only where
    it can (16 bits), so a comparison at 8 bits would make it see-through too. And an
    RGB PNG with two tRNS chunks, white's then the marker's red: Chromium takes the
    first (a duplicate is ignored), Pillow took the last (the marker see-through, the
    white a box)."""
    import struct
    import zlib
    first = png(viewed(), transparency=WHITE)
    at = first.index(b"tRNS") + 4 + 6 + 4   # past the first tRNS chunk's type, body and checksum
    second = struct.pack(">3H", *RED)
    two_keys = first[:at] + struct.pack(">I", 6) + b"tRNS" + second + struct.pack(">I", zlib.crc32(b"tRNS" + second)) \
        + first[at:]
    return {"grey2": keyed_png(2, False, marker=0, key=2),
            "grey16": keyed_png(16, False, marker=0x1200, key=0x1234, orientation=6),
            "rgb16": keyed_png(16, True, marker=(0x1200, 0x5600, 0x9A00), key=(0x1234, 0x5678, 0x9ABC)),
            "two-keys": two_keys}


def test_a_pngs_see_through_colour_is_published_as_a_browser_shows_it(one_site, premises):
    """A PNG of grey or RGB samples names one value see-through in its tRNS chunk;
    browsers compare each pixel with it at the file's depth. Pillow compares a 2- or
    4-bit grey's scaled pixels with the key unscaled and a 16-bit RGB's 8-bit pixels
    with the 16-bit key (nothing matched), and the 16-bit grey's key was dropped with
    its depth: the site (and the PDFs, the EPUBs) showed the background as a grey box.
    A second tRNS is a duplicate Chromium ignores (keyed_pngs)."""
    # the premise: Chromium shows the two-keys PNG's marker opaque, its white see-through
    if premises:
        _, _, marker, white, _ = premises["two-keys"]
        assert (marker[3], white[3]) == (255, 0), (marker, white)
    shown = one_site.shown("key")
    for hid in keyed_pngs():
        original, derivative, declared = shown(hid)
        assert declared == (WIDTH, HEIGHT), hid
        for img, what in ((original, "original"), (derivative, "WebP")):
            rgba = img.convert("RGBA")
            w, h = rgba.size
            assert w > h, f"{hid} {what}: {w}x{h} is turned"
            alphas = [rgba.getpixel(xy)[3] for xy in ((w // 10, h // 10), (w - w // 10, h // 10),
                                                      (w // 10, h - h // 10), (w - w // 10, h - h // 10))]
            assert alphas == [255, 0, 0, 0], f"{hid} {what}: the marker, then the see-through corners: {alphas}"


def swapped_primaries_profile() -> bytes:
    """An RGB colour profile whose red and blue primaries are sRGB's blue and red (the
    sRGB profile Pillow makes, its rXYZ and bXYZ tags exchanged, renamed): a viewer
    shows a stored blue as red, so a profile applied or ignored is plain to see."""
    import struct
    from PIL import ImageCms
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", icc[128:132])[0]
    at = {bytes(icc[132 + 12 * i:136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = at[b"rXYZ"], at[b"bXYZ"]
    icc[red + 4:red + 12], icc[blue + 4:blue + 12] = icc[blue + 4:blue + 12], icc[red + 4:red + 12]
    return bytes(icc).replace("sRGB".encode("utf-16-be"), "Swap".encode("utf-16-be"))


def test_a_colour_profile_is_applied_to_every_mode_as_a_viewer_applies_it(one_site, premises):
    """A PNG carries an ICC profile (iCCP) whatever its mode, and a browser converts a
    palette image's colours through it as it does an RGB image's. Only RGB, RGBA, grey
    and CMYK pixels were converted: a palette portrait (what PNG optimisers write) was
    published with its profile dropped and its colours unconverted, blue where every
    viewer showed red. Stored blue under the swapped profile is red as viewed. A JPEG's
    profile is read from its parts as Chromium reads them (jpeg_profile_parts), and an
    animated WebP's is not applied, as Chromium applies none (animated_webp_profiles)."""
    for hid in [*jpeg_profile_parts(), *animated_webp_profiles()] if premises else ():   # the premise: Chromium shows each marker red
        assert near(premises[hid][2], RED + (255,), 20), hid
    shown = one_site.shown("icc")
    for hid in ("rgb", "palette", "palette-alpha", "large-profile", "large-profile-jpeg", *jpeg_profile_parts(),
                *animated_webp_profiles()):
        original, derivative, _ = shown(hid)
        for img, what in ((original, "original"), (derivative, "WebP")):
            assert "icc_profile" not in img.info, f"{hid} {what}"   # converted, then dropped
            flat = Image.new("RGBA", img.size, WHITE + (255,))
            flat.alpha_composite(img.convert("RGBA"))
            assert_viewed(flat, RED, WHITE, what=f"{hid} {what}")
    original, _, _ = shown("palette-alpha")
    assert original.convert("RGBA").getpixel((WIDTH - 1, HEIGHT - 1))[3] == 0   # still see-through


def colour_profiles() -> dict[str, bytes]:
    profile = swapped_primaries_profile()
    stored = viewed("RGB", marker=(0, 0, 255))
    palette = stored.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    white = palette.getpixel((WIDTH - 1, HEIGHT - 1))
    # A print workflow's profile is a large table (ECI's ISO Coated v2: 1.8 MB): past
    # 1 MB a JPEG's was dropped, and a PNG holding one was refused as unreadable (HF0702,
    # Pillow's limit on a compressed chunk). The same profile padded to 1.5 MB is applied.
    big = bytearray(profile + bytes(1536 * 1024))
    big[0:4] = len(big).to_bytes(4, "big")
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, icc_profile=bytes(big))
    return {"rgb": png(stored, icc_profile=profile), "palette": png(palette, icc_profile=profile),
            "palette-alpha": png(palette, icc_profile=profile, transparency=white),
            "large-profile": png(stored, icc_profile=bytes(big)), "large-profile-jpeg": out.getvalue(),
            **jpeg_profile_parts(), **animated_webp_profiles()}


def animated_webp_profiles() -> dict[str, bytes]:
    """Animated WebPs stored as viewed (red on white, then a blue frame) under the
    swapped-primaries profile, which Chromium does not apply to an animation (it
    colour-manages a still WebP only): shown red, they were published blue, converted
    through it. And the same cut to its first frame, its header still saying it is an
    animation: Pillow reads one frame, a still; Chromium ignores its profile all the same."""
    blue = Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 255))
    out = io.BytesIO()
    viewed().save(out, "WEBP", save_all=True, append_images=[blue], duration=100, lossless=True,
                  icc_profile=swapped_primaries_profile())
    animated, at = out.getvalue(), 12
    while animated[at:at + 4] != b"ANMF":   # the chunks before the frames: VP8X, ICCP, ANIM
        at += 8 + int.from_bytes(animated[at + 4:at + 8], "little")
    first = at + 8 + int.from_bytes(animated[at + 4:at + 8], "little")
    one = animated[8:first]   # every chunk to the first frame's end (Pillow writes even lengths)
    return {"animated-webp": animated, "one-frame-animation-webp": b"RIFF" + len(one).to_bytes(4, "little") + one}


def jpeg_profile_parts() -> dict[str, bytes]:
    """JPEGs whose profile's APP2 parts Pillow and Chromium read otherwise: stored blue
    under the swapped profile whole (part 1 of 1) followed by an sRGB one (an editor's
    added: Chromium applies the first, red; Pillow took neither, blue), and red under the
    swapped profile in parts numbered 0 and 1 of 2 (Chromium takes no profile, red;
    Pillow applied it, blue)."""
    import struct

    from PIL import ImageCms

    def parts(*chunks: tuple[int, int, bytes]) -> bytes:
        return b"".join(b"\xff\xe2" + struct.pack(">H", 16 + len(data)) + b"ICC_PROFILE\0" + bytes([index, count]) + data
                        for index, count, data in chunks)
    profile, srgb = swapped_primaries_profile(), ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    blue, red = jpeg(viewed("RGB", marker=(0, 0, 255))), jpeg(viewed())
    half = len(profile) // 2
    return {"second-profile-jpeg": blue[:2] + parts((1, 1, profile), (1, 1, srgb)) + blue[2:],
            "parts-from-0-jpeg": red[:2] + parts((0, 2, profile[:half]), (1, 2, profile[half:])) + red[2:]}


def linear_srgb_profile() -> bytes:
    """sRGB's primaries with a straight tone curve (gamma 1.0), named "sRGB linear", as
    GIMP ("GIMP built-in Linear sRGB") and darktable write linear-light images: Pillow's
    sRGB profile with its three TRC tags pointing at one identity `curv`."""
    import struct
    from PIL import ImageCms
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", icc[128:132])[0]
    curve = b"curv" + bytes(4) + struct.pack(">I", 0)   # no entries: the identity
    at = len(icc)
    icc += curve
    for i in range(count):
        tag = 132 + 12 * i
        if bytes(icc[tag:tag + 4]) in (b"rTRC", b"gTRC", b"bTRC"):
            icc[tag + 4:tag + 12] = struct.pack(">II", at, len(curve))
    icc[0:4] = struct.pack(">I", len(icc))
    return bytes(icc).replace("sRGB built-in".encode("utf-16-be"), "sRGB linear  ".encode("utf-16-be"))


def linear_grey_profile() -> bytes:
    """A grey (GRAY colour space) profile with a straight tone curve, as a scanner or
    GIMP writes for a grey picture in linear light: a header, a description, the white
    point, one gamma-1.0 kTRC and a copyright, written out (Pillow makes no grey one)."""
    import struct

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))
    name = b"Grey linear\0"
    tags = [(b"desc", b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(8 + 3 + 67)),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"kTRC", b"curv" + bytes(4) + struct.pack(">IH", 1, 256) + bytes(2)),   # gamma 1.0
            (b"cprt", b"text" + bytes(4) + b"none" + bytes(4))]
    start = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for sig, data in tags:
        table += sig + struct.pack(">II", start + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    header = (struct.pack(">I", start + len(body)) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrGRAYXYZ "
              + bytes(12) + b"acspAPPL" + bytes(24) + xyz(0.9642, 1.0, 0.8249)[8:] + b"lcms" + bytes(44))
    return header + table + body


def deep_grey_alpha(profile: bytes, grey: int) -> bytes:
    """A 16-bit grey+alpha PNG (colour type 4) carrying `profile`, written out: Pillow
    writes none. A marker of `grey` (8-bit) in the top-left corner, the rest see-through
    white. Pillow reads it as RGBA, its three channels equal."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    marker, clear = struct.pack(">HH", grey * 257, 65535), struct.pack(">HH", 65535, 0)
    rows = b"".join(b"\0" + b"".join(marker if x < WIDTH // 4 and y < HEIGHT // 4 else clear for x in range(WIDTH))
                    for y in range(HEIGHT))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 16, 4, 0, 0, 0))
            + chunk(b"iCCP", b"grey\0\0" + zlib.compress(profile)) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def profiles_judged() -> dict[str, bytes]:
    stored = viewed("RGB", marker=(64, 64, 64))
    grey = viewed("LA", marker=(64, 255), background=(255, 0))
    return {"linear": png(stored, icc_profile=linear_srgb_profile()),
            "grey-alpha": png(grey, icc_profile=linear_grey_profile()),
            "deep-grey-alpha": deep_grey_alpha(linear_grey_profile(), 64),
            # a grey profile is no colour file's: browsers ignore it, the pixels grey or not
            "rgb-grey-profile": png(stored, icc_profile=linear_grey_profile()),
            "jpeg-grey-profile": jpeg(stored, icc_profile=linear_grey_profile())}


def jpeg(img: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, **options)
    return out.getvalue()


def test_a_profile_is_judged_by_what_it_does_not_by_its_name(one_site):
    """A profile whose name says sRGB was taken for sRGB and not applied: a linear-light
    image (GIMP's "Linear sRGB") was published as stored, its grey of 64 where every
    viewer shows 137, the picture far darker. A profile is skipped only when it shows
    colours as sRGB does; the linear one is applied. A grey+alpha PNG's (grey) profile
    was not applied at all, its mode not among those converted: the same 64 for 137,
    in a picture whose see-through background must stay so; and at 16 bits, which
    Pillow reads as RGBA, the grey profile was refused for its three channels. That
    grey profile is the file's because its samples are grey: an RGB PNG or JPEG of
    greys under a grey profile had it applied (137), where Chromium ignores a profile
    of another colour space than the file's and shows 64."""
    shown = one_site.shown("named")
    for hid in ("linear", "grey-alpha", "deep-grey-alpha"):
        original, derivative, _ = shown(hid)
        for img, what in ((original, "original"), (derivative, "WebP")):
            flat = Image.new("RGBA", img.size, WHITE + (255,))
            flat.alpha_composite(img.convert("RGBA"))
            assert_viewed(flat, (137, 137, 137), WHITE, what=f"{hid} {what}")
            assert not near(flat.convert("RGB").getpixel((WIDTH // 10, HEIGHT // 10)), (64, 64, 64), 30), what
    for hid in ("grey-alpha", "deep-grey-alpha"):
        original, _, _ = shown(hid)
        assert original.convert("RGBA").getpixel((WIDTH - 1, HEIGHT - 1))[3] == 0, hid   # still see-through
    for hid in ("rgb-grey-profile", "jpeg-grey-profile"):
        original, derivative, _ = shown(hid)
        for img, what in ((original, "original"), (derivative, "WebP")):
            assert_viewed(img, (64, 64, 64), WHITE, what=f"{hid} {what}")
            assert near(img.convert("RGB").getpixel((WIDTH // 10, HEIGHT // 10)), (64, 64, 64), 8), f"{hid} {what}"


def broken_streams() -> dict[str, bytes]:
    """Images whose headers and structure are sound but whose pixels cannot be decoded:
    what a half-finished upload or a flipped bit leaves. Pillow's verify() passes each."""
    import struct
    import zlib
    busy = viewed()
    draw = ImageDraw.Draw(busy)
    for x in range(0, WIDTH, 7):       # enough detail that the compressed data is long
        draw.line([x, 0, WIDTH - x, HEIGHT], fill=(x % 256, 0, (3 * x) % 256))
    jpeg, webp, good = io.BytesIO(), io.BytesIO(), io.BytesIO()
    busy.save(jpeg, "JPEG")
    busy.save(webp, "WEBP")
    busy.save(good, "PNG")
    flipped = bytearray(webp.getvalue())
    at = len(flipped) * 3 // 10                # inside the VP8 frame's partition data
    flipped[at:at + 8] = bytes(b ^ 0xFF for b in flipped[at:at + 8])
    data = good.getvalue()
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4:at])[0]
    pixels = bytearray(data[at + 4:at + 4 + length])
    pixels[10:30] = bytes(20)            # corrupt deflate data behind a correct checksum
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + bytes(pixels)))
    return {"cut-jpeg": jpeg.getvalue()[: len(jpeg.getvalue()) // 2], "flipped-webp": bytes(flipped),
            "bad-deflate-png": data[:at + 4] + bytes(pixels) + crc + data[at + 8 + length:]}


def test_an_image_that_cannot_be_decoded_is_refused_by_check_at_its_line(project_factory):
    """check and build agree: an image is usable only if its pixels decode. Before, these
    passed check, and build stopped in the EPUB with HF0704 'could not read … OSError'
    at no line."""
    images = broken_streams()
    files = {"content/assets/portraits/cut.jpg": images["cut-jpeg"],
             "content/assets/portraits/flipped.webp": images["flipped-webp"],
             "content/assets/portraits/deflate.png": images["bad-deflate-png"]}
    for hid, name in (("cut", "cut.jpg"), ("flipped", "flipped.webp"), ("deflate", "deflate.png")):
        files[f"content/heroes/{hid}.yaml"] = hero(hid, name)
    root = project_factory(files)
    expected = {f"HF0702 content/heroes/{hid}.yaml:3:11" for hid in ("cut", "flipped", "deflate")}
    for command in (("check",), ("build", "--only", "html,epub")):
        run = foundry(*command, "--format", "json", "--project", str(root))
        assert run.code == 1, (command, run.stderr)
        found = diagnostics(run)
        assert expected <= set(found), (command, found)
        assert not any(d.startswith("HF0704") for d in found), found


def test_an_image_foundry_does_not_publish_is_named_with_what_it_is_and_how_to_convert_it(project_factory, premises):
    """A phone's HEIC, a GIF, a scanner's TIFF, an SVG and an empty file were each
    refused as 'not a readable PNG, JPEG or WebP image (UnidentifiedImageError)': a
    Python exception's name, and the code's hint for all of them; a cut-off JPEG too.
    Each is named by its bytes (whatever its name: the TIFF is named .png), with a hint
    for that kind, in check and in build, at the portrait's line. A 12-bit JPEG (a
    scanner's, a raw converter's), which Chromium shows nothing of, was 'cut off or
    corrupt' too, which sent its writer to copy it again: it is named for its depth."""
    tiff, gif, cut = io.BytesIO(), io.BytesIO(), io.BytesIO()
    viewed().save(tiff, "TIFF")
    viewed().save(gif, "GIF")
    viewed().save(cut, "JPEG")
    images = {"phone.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
              "scan.png": tiff.getvalue(), "anim.gif": gif.getvalue(), "empty.jpg": b"",
              "logo.svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
              "cut.jpg": cut.getvalue()[:len(cut.getvalue()) // 2], "deep.jpg": twelve_bit_jpeg(),
              "zero.jpg": (lambda d, at: d[:at + 4] + b"\0" + d[at + 5:])(cut.getvalue(), cut.getvalue().index(b"\xff\xc0"))}
    expected = {"phone.heic": ("a HEIC image, not a PNG, JPEG or WebP one", "Export it as JPEG"),
                "scan.png": ("a TIFF image, not a PNG, JPEG or WebP one", "Convert it to PNG, JPEG or WebP."),
                "anim.gif": ("a GIF image, not a PNG, JPEG or WebP one", "Save it as PNG"),
                "empty.jpg": ("the image file is empty", "Copy or save the image again"),
                "logo.svg": ("an SVG image, not a PNG, JPEG or WebP one", "Export it as PNG or WebP"),
                "cut.jpg": ("a JPEG whose pixels cannot be decoded: the file is cut off or corrupt", "Save or export"),
                "deep.jpg": ("a 12-bit JPEG, which browsers do not show (they decode JPEGs of 8 bits a sample)",
                             "Export it as an 8-bit JPEG"),
                # a frame header saying 0 bits a sample is damage, not a depth (it was 'a 0-bit JPEG')
                "zero.jpg": ("a JPEG whose pixels cannot be decoded: the file is cut off or corrupt", "Save or export")}
    assert not premises or premises["deep.jpg"][:2] == [0, 0]   # the premise: Chromium shows nothing of it
    files = {}
    for n, (name, data) in enumerate(images.items()):
        files[f"content/assets/portraits/{name}"] = data
        files[f"content/heroes/h{n}.yaml"] = hero(f"h{n}", name)
    root = project_factory(files)
    for command in (("check",), ("build", "--only", "html")):
        run = foundry(*command, "--format", "json", "--project", str(root))
        assert run.code == 1, (command, run.stderr)
        found = {(d["file"], d["line"], d["column"]): (d["message"], d["hint"]) for d in run.json()["diagnostics"]
                 if d["code"] == "HF0702"}
        for n, name in enumerate(images):
            message, hint = found[(f"content/heroes/h{n}.yaml", 3, 11)]
            assert (message, hint[:len(expected[name][1])]) == expected[name], (command, name, message, hint)
            assert "Error" not in message


def twelve_bit_jpeg() -> bytes:
    """A JPEG whose frame header says 12 bits a sample (SOF1, extended), its scan an
    8-bit one's: Chromium draws nothing of it (no 12-bit JPEG decodes there)."""
    out = io.BytesIO()
    viewed().save(out, "JPEG")
    data = out.getvalue()
    at = data.index(b"\xff\xc0")
    return data[:at] + b"\xff\xc1" + data[at + 2:at + 4] + b"\x0c" + data[at + 5:]


def test_a_cut_off_image_is_refused_even_after_weasyprint_was_imported(tmp_path):
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True when imported:
    a build that had imported the PDF exporter then passed (and published grey-filled)
    the same cut-off portrait that `foundry check` refused."""
    import weasyprint  # noqa: F401  (imported for its side effect on Pillow, as a build does)
    from PIL import ImageFile

    from pipeline.diagnostics import Diagnostics, Span
    from pipeline.load.media import probe_image
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True     # the condition under test holds
    path = tmp_path / "cut.jpg"
    path.write_bytes(broken_streams()["cut-jpeg"])
    diags = Diagnostics()
    assert probe_image(path, Span("content/heroes/cut.yaml", 3, 11), diags) is None
    assert [d.code for d in diags.errors] == ["HF0702"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True     # WeasyPrint's own setting left as it was


def multi_picture_jpeg() -> bytes:
    """A camera's MPO file: the picture every viewer shows (stored turned, EXIF 6), then a
    second picture (a stereo twin or depth map; here all blue) that no viewer shows."""
    first = viewed().transpose(STORED_AS[6])
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", first.size, (0, 0, 255))],
               exif=exif.tobytes(), quality=95)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).format == "MPO"   # Pillow reads it as such, not as JPEG
    return data


def test_a_cameras_multi_picture_jpeg_is_published_as_the_jpeg_it_is(orientations):
    """Pillow names a JPEG with a Multi-Picture index 'MPO'; the site's media names knew
    PNG, JPEG and WebP only, so check and build stopped with 'internal error (KeyError)'
    (the `orientations` build, html, EPUB and PDF, asserts it did not)."""
    root = orientations
    original, derivative, declared = published(root, "twin")
    assert original.format == "JPEG" and original.filename.endswith(".jpg")
    assert declared == (WIDTH, HEIGHT)
    assert_viewed(original, what="MPO original")
    assert_viewed(derivative, what="MPO WebP")
    import zipfile
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        names = [n for n in book.namelist() if n.startswith("EPUB/images/twin-")]
        assert [n.rsplit(".", 1)[1] for n in names] == ["jpg"], names
        assert_viewed(Image.open(io.BytesIO(book.read(names[0]))), what="MPO in the EPUB")


def test_a_lossless_jpeg_is_published_as_a_jpeg_every_browser_shows(orientations, tmp_path):
    """A lossless JPEG (a scanner's, a DNG converter's: lossless_jpeg) decodes whole in
    Pillow, but the probe decoded JPEGs at 1/8 scale, which libjpeg-turbo breaks off for
    a frame with no DCT: the portrait was refused (HF0702) as 'cut off or corrupt', its
    writer sent to copy a sound file again. It is published as the others are: a
    baseline JPEG of its pixels in the site (which Chromium shows; the original it shows
    as nothing) and in the PDF (whose DCTDecode defines no lossless JPEG). So is one
    with a restart marker before its frame (`restarted`), which libjpeg reads past: the
    probe took the marker's next two bytes for a length, found no frame, decoded it at
    1/8 and refused it as corrupt."""
    for hid in ("scanned", "restarted"):
        original, derivative, declared = published(orientations, hid)
        assert declared == (WIDTH, HEIGHT)
        assert original.format == "JPEG" and original.info.get("progressive") is None
        assert_viewed(original, what=f"lossless JPEG {hid}, original")
        assert_viewed(derivative, what=f"lossless JPEG {hid}, WebP")
        assert open(original.filename, "rb").read().find(b"\xff\xc0") > 0   # a baseline frame
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    subprocess.run(["pdfimages", "-png", str(orientations / "build/pdf/heroes/scanned.pdf"), str(tmp_path / "img")],
                   check=True, timeout=120)
    portraits = [i for i in map(Image.open, sorted(tmp_path.glob("img*.png"))) if i.size[0] >= 100]
    assert portraits, "no portrait in the PDF"
    assert_viewed(portraits[0], what="lossless JPEG, PDF")


def animated(fmt: str) -> bytes:
    """Three frames: the first as `viewed()` shows it, then two all-blue ones."""
    blue = Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 255))
    out = io.BytesIO()
    viewed().save(out, fmt, save_all=True, append_images=[blue, blue], duration=100, loop=0)
    return out.getvalue()


def still_apart() -> bytes:
    """An APNG whose image data is no frame of its animation (its default image, a still
    for viewers that play no APNG: all blue), then the frames of `animated`."""
    blue = Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 255))
    out = io.BytesIO()
    blue.save(out, "PNG", save_all=True, append_images=[viewed(), blue], default_image=True, duration=100, loop=0)
    return out.getvalue()


def test_an_animated_portrait_is_a_warning_at_its_line_and_published_as_its_first_frame(project_factory):
    """An APNG or animated WebP was published as its first frame (the site's re-encoded
    image, the sheets, the books) with check clean: a writer whose portrait blinks in the
    browser learned of it from the published site. A camera's MPO is no animation. An
    APNG whose still is apart from its animation is shown by browsers from the
    animation's first frame: Pillow's frame 0, the still no browser shows, was published.
    An APNG whose acTL says 0 frames is a still: Pillow printed 'UserWarning: Invalid
    APNG' at each opening, naming no file."""
    import struct
    files = {"content/assets/portraits/blink.webp": animated("WEBP"),
             "content/assets/portraits/none.png": png_chunks(viewed(), [(b"acTL", struct.pack(">II", 0, 0))]),
             "content/heroes/none.yaml": hero("none", "none.png"),
             "content/assets/portraits/blink.png": animated("PNG"),
             "content/assets/portraits/apart.png": still_apart(),
             "content/heroes/apart.yaml": hero("apart", "apart.png"),
             "content/assets/portraits/twin.jpg": multi_picture_jpeg(),
             "content/heroes/webp.yaml": hero("webp", "blink.webp"),
             "content/heroes/apng.yaml": hero("apng", "blink.png"),
             "content/heroes/twin.yaml": hero("twin", "twin.jpg")}
    root = project_factory(files)
    expected = {"HF0753 content/heroes/webp.yaml:3:11", "HF0753 content/heroes/apng.yaml:3:11",
                "HF0753 content/heroes/apart.yaml:3:11"}
    for command in (("check",), ("build", "--only", "html")):
        run = foundry(*command, "--format", "json", "--project", str(root))
        assert run.code == 0, (command, run.stderr)
        found = {d for d in diagnostics(run) if d.startswith("HF0753")}
        assert found == expected, (command, found)
        assert "Warning" not in run.stderr, (command, run.stderr)
    for hid in ("webp", "apng", "apart", "none"):
        original, derivative, _ = published(root, hid)
        assert getattr(original, "n_frames", 1) == 1, hid
        assert_viewed(original, what=f"{hid} original")
        assert_viewed(derivative, what=f"{hid} WebP")


def png_chunks(img: Image.Image, chunks: list[tuple[bytes, bytes]], late: bool = False) -> bytes:
    """`img` as a PNG with `chunks` (type, data) written right after its header, or
    (`late`) after its image data, where PNG does not allow them."""
    import struct
    import zlib
    data = png(img)
    at = data.rindex(b"IEND") - 4 if late else 8 + 25   # before IEND, or after the signature and IHDR
    extra = b"".join(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
                     for kind, body in chunks)
    return data[:at] + extra + data[at:]


def gammas_and_chromaticities() -> dict[str, bytes]:
    import struct
    import zlib

    from PIL import ImageCms
    gamma = lambda g: (b"gAMA", struct.pack(">I", round(g * 100000)))   # noqa: E731
    swapped = (b"cHRM", struct.pack(">8I", 31270, 32900, 15000, 6000, 30000, 60000, 64000, 33000))
    adobe = (b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 21000, 71000, 15000, 6000))
    size = (200, 100)
    return {
        "linear": png_chunks(Image.new("RGB", size, (64, 96, 32)), [gamma(1.0)]),
        "linear-grey": png_chunks(Image.new("L", size, 64), [gamma(1.0)]),
        "linear-palette": png_chunks(Image.new("RGB", size, (64, 96, 32)).convert("P", palette=Image.Palette.ADAPTIVE),
                                     [gamma(1.0)]),
        "swapped": png_chunks(Image.new("RGB", size, (0, 0, 255)), [gamma(1 / 2.2), swapped]),
        "wide-gamut": png_chunks(Image.new("RGB", size, (40, 200, 90)), [gamma(1 / 2.2), adobe]),
        "gamma-six": png_chunks(Image.new("RGB", size, (128, 60, 200)), [gamma(0.6)]),
        "srgb-gamma": png_chunks(Image.new("RGB", size, (128, 60, 200)), [gamma(1 / 2.2)]),
        # a second gAMA or cHRM is a duplicate Chromium ignores (Pillow kept the last), and
        # Chromium applies a gamma however far-fetched (0.00001: black; 20: nearly white)
        "two-gammas": png_chunks(Image.new("L", size, 64), [gamma(1.0), gamma(1 / 2.2)]),
        "two-chromaticities": png_chunks(Image.new("RGB", size, (0, 0, 255)), [gamma(1 / 2.2), swapped, (
            b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))]),
        # so is a second iCCP, and one compressed otherwise than by zlib is no profile
        # (Pillow refused the file: HF0702), passed over for the gAMA beside it
        "two-profiles": png_chunks(Image.new("RGB", size, (0, 0, 255)), [
            (b"iCCP", b"swap\0\0" + zlib.compress(swapped_primaries_profile())),
            (b"iCCP", b"srgb\0\0" + zlib.compress(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()))]),
        "profile-method-1": png_chunks(Image.new("L", size, 64), [
            (b"iCCP", b"odd\0\1" + zlib.compress(linear_grey_profile())), gamma(1.0)]),
        "gamma-far-low": png_chunks(Image.new("RGB", size, (128, 60, 200)), [gamma(0.00001)]),
        "gamma-far-high": png_chunks(Image.new("RGB", size, (128, 60, 200)), [gamma(20)]),
        # after the image data: Chromium (libpng) ignores them; Pillow read them into
        # the image's info while loading its pixels, and they were applied
        "late-gamma": png_chunks(Image.new("L", size, 64), [gamma(1.0)], late=True),
        "late-profile": png_chunks(Image.new("RGB", size, (0, 0, 255)),
                                   [(b"iCCP", b"swap\0\0" + zlib.compress(swapped_primaries_profile()))], late=True),
        # a profile no reader can read is passed over for the gamma beside it
        "broken-profile": png_chunks(Image.new("L", size, 64), [(b"iCCP", b"cut\0\0" + zlib.compress(b"not a profile" * 9)),
                                                                gamma(1.0)]),
        # cICP (H.273 primaries, transfer, matrix 0, full range), which Pillow does not
        # read: Display P3, BT.2020 shown as BT.709's display (BT.1886) shows it, a
        # linear grey, and sRGB's beside a profile it overrides
        "cicp-p3": png_chunks(Image.new("RGB", size, (200, 100, 50)), [cicp(12, 13)]),
        "cicp-bt2020": png_chunks(Image.new("RGB", size, (120, 200, 30)), [cicp(9, 1)]),
        "cicp-grey": png_chunks(Image.new("L", size, 64), [cicp(1, 8)]),
        "cicp-over-profile": png_chunks(Image.new("RGB", size, (0, 0, 255)),
                                        [cicp(1, 13), (b"iCCP", b"swap\0\0" + zlib.compress(swapped_primaries_profile()))]),
    }


def cicp(primaries: int, transfer: int) -> tuple[bytes, bytes]:
    return b"cICP", bytes([primaries, transfer, 0, 1])


def test_a_pngs_gamma_and_chromaticity_are_applied_as_a_browser_applies_them(one_site, browser):
    """A PNG with no embedded profile may give its gamma (gAMA: 1.0 is linear light, as
    renderers write it) and primaries (cHRM). Chromium converts through them; Pillow
    read them and applied nothing, so such a portrait was published as stored: a linear
    grey 64 that the browser shows as 137, swapped primaries' blue that it shows as
    red. Each published image (and its WebP) shows what Chromium shows of the file;
    a gAMA or iCCP after the image data, which Chromium ignores, is not applied, nor a
    second gAMA, cHRM or iCCP (Chromium takes the first, Pillow took the last), nor
    an iCCP that is no profile, which Chromium passes over for the gAMA beside it. A
    cICP chunk comes before all of them (an iCCP too): Pillow reads none, and a Display
    P3 file's (200, 100, 50), which Chromium shows as (215, 93, 31), was published as stored.
    A gamma outside 0.01-10 was ignored, where Chromium applies any but 0."""
    import base64
    images, ours = one_site.groups["gama"], one_site.shown("gama")
    page = browser.new_page()
    try:
        for hid, data in images.items():
            page.set_content(f'<canvas id="c" width="8" height="8"></canvas>'
                             f'<img id="i" src="data:image/png;base64,{base64.b64encode(data).decode()}">')
            page.wait_for_function("document.getElementById('i').complete")
            shown = page.evaluate("(() => { const c = document.getElementById('c').getContext('2d');"
                                  " c.drawImage(document.getElementById('i'), 0, 0);"
                                  " return Array.from(c.getImageData(4, 4, 1, 1).data).slice(0, 3); })()")
            original, derivative, _ = ours(hid)
            for img, what in ((original, "original"), (derivative, "WebP")):
                got = img.convert("RGB").getpixel((img.width // 2, img.height // 2))
                assert near(got, shown, tolerance=6), f"{hid} {what}: published {got}, Chromium shows {shown}"
    finally:
        page.close()


def unshown_colours() -> dict[str, bytes]:
    """PNGs whose cICP no published copy can show as a browser does: HDR (BT.2020, PQ)
    and YCbCr samples (matrix 1); and an HLG one written narrow-range, which browsers
    ignore (shown as stored: nothing to say)."""
    grey = Image.new("RGB", (200, 100), (130, 130, 130))
    return {"pq": png_chunks(grey, [(b"cICP", bytes([9, 16, 0, 1]))]),
            "ycbcr": png_chunks(grey, [(b"cICP", bytes([1, 13, 1, 1]))]),
            "narrow": png_chunks(grey, [(b"cICP", bytes([9, 18, 0, 0]))])}


def test_a_picture_browsers_show_in_colours_no_copy_can_is_said_at_its_line(one_site):
    """Chromium tone-maps an HDR PNG (a cICP of PQ or HLG: an HDR screenshot's) to the
    screen, a stored 130 shown as 137, and converts samples a cICP calls YCbCr; the
    site, the PDFs and the EPUBs publish the stored values, which no profile describes:
    HF0757 at each portrait's line, once, and nothing of the cICP browsers ignore nor of
    the standard-range ones every copy converts (the gamma group's)."""
    said = sorted(d for d in diagnostics(one_site.run) if d.startswith("HF0757"))
    assert said == [f"HF0757 content/heroes/hdr-{hid}.yaml:3:11" for hid in ("pq", "ycbcr")], said
    # a theme's HDR picture is published with its cICP, which the browser maps it by
    published = (one_site.root / "build/site/assets/hdr.png").read_bytes()
    assert b"cICP" in published and b"tEXt" not in published


def small_turned_images() -> dict[str, bytes]:
    """80x40 pictures (as viewed) for a print theme: a WebP stored turned with EXIF
    Orientation 6 (turned as portraits are, though Chromium's WebP decoder reads no
    EXIF), a JPEG whose EXIF block has no Orientation and whose XMP says 6 (Chromium
    shows it as stored: it reads no XMP), a JPEG stored turned with Orientation 6 (shown upright), and the same with its
    EXIF block's signature padded with 0xFF (shown upright too: padded_exif). And, when
    this Pillow writes AVIF, an AVIF stored turned with its irot and imir, which every
    browser applies: left to WeasyPrint, it printed sideways under `image-orientation: none`.
    And the turned JPEG named `named.svg`, which WeasyPrint draws when it is no SVG: it
    was given to it as written, so it printed sideways too (its metadata in the PDF).
    And a JPEG stored turned whose Orientation is in its Exif sub-directory alone, which
    Chromium applies (deeper_orientations): it printed sideways; and an AVIF stored as
    viewed whose EXIF item says so there, which Chromium does not apply to an AVIF.
    And a TIFF stored turned with its Orientation tag 6 (Preview, Photoshop and Safari
    show it upright; Pillow turns it as it loads it, in WeasyPrint too, under `none`)."""
    small = viewed().resize((80, 40), Image.Resampling.NEAREST)
    turn, camera = Image.Exif(), Image.Exif()
    turn[0x0112] = 6
    camera[0x0110] = "Camera"
    webp, xmp, turned = io.BytesIO(), io.BytesIO(), io.BytesIO()
    small.transpose(STORED_AS[6]).save(webp, "WEBP", lossless=True, exif=turn.tobytes())
    small.save(xmp, "JPEG", quality=95, exif=camera.tobytes(), xmp=XMP_TURNED)
    small.transpose(STORED_AS[6]).save(turned, "JPEG", quality=95, exif=turn.tobytes())
    deeper = io.BytesIO()   # its Orientation in its Exif sub-directory alone, which Chromium reads
    small.transpose(STORED_AS[6]).save(deeper, "JPEG", quality=95, exif=exif_directories([], [(ORIENTED, 3, 1, 6)]))
    from PIL import features
    avif = {}
    if features.check("avif"):   # an AVIF stored turned: Pillow writes Orientation 6 as its irot and imir
        out, item = io.BytesIO(), io.BytesIO()
        small.transpose(STORED_AS[6]).save(out, "AVIF", quality=100, exif=turn.tobytes())
        # stored as viewed, its EXIF item's sub-directory saying 6: Chromium turns an AVIF by irot/imir alone
        small.save(item, "AVIF", quality=100, exif=exif_directories([], [(ORIENTED, 3, 1, 6)]))
        avif = {"turned.avif": out.getvalue(), "sub-directory.avif": item.getvalue()}
    tiff = io.BytesIO()   # a print designer's TIFF stored turned, its own Orientation tag saying 6
    small.transpose(STORED_AS[6]).save(tiff, "TIFF", exif=turn.tobytes())
    return {"turned.webp": webp.getvalue(), "xmp.jpg": xmp.getvalue(), "turned.jpg": turned.getvalue(),
            "padded.jpg": padded_exif(turned.getvalue()), "named.svg": turned.getvalue(),
            "sub-directory.jpg": deeper.getvalue(), "turned.tif": tiff.getvalue(), **avif}


@pytest.fixture(scope="module")
def print_theme(tmp_path_factory):
    """One project whose print theme shows the pictures of the tests below in its
    imprint (each test's own files and sizes: a swatch 60x60, small pictures 80x40, a
    photograph 400x200, a data: URI's 40x20, a see-through grey 64x32, a CMYK JPEG 50x50
    and a 16-bit grey 44x44), under `image-orientation: none` (which
    the site and the portraits' turned pixels never heed), built once (`--only pdf`)."""
    profile = swapped_primaries_profile()
    stored = Image.new("RGB", (60, 60), (0, 0, 255))
    jpeg = io.BytesIO()
    stored.save(jpeg, "JPEG", quality=95, icc_profile=profile)
    turned = small_turned_images()
    photo, uri = located_photographs()
    inline = base64.b64encode(uri).decode()
    sheet = (REPO / "themes/default/print/css/sheet.css").read_text(encoding="utf-8")
    root = write_project(tmp_path_factory.mktemp("print-theme") / "proj", {
        "themes/default/print/img/swatch.png": png(stored, icc_profile=profile),
        "themes/default/print/img/swatch.jpg": jpeg.getvalue(),
        **{f"themes/default/print/img/{name}": data for name, data in turned.items()},
        "themes/default/print/img/photo.jpg": photo,
        "themes/default/print/img/keyed.png": keyed_png(2, False, marker=0, key=2, size=(64, 32)),
        **{f"themes/default/print/img/{name}": data for name, data in printed_otherwise().items()},
        "themes/default/print/img/cropped.gif": cropped_gif(),
        **{f"themes/default/print/img/{name}": data for name, data in printed_tiffs().items()},
        "themes/default/print/img/lossless.jpg": lossless_jpeg(Image.new("RGB", (38, 38), RED)),
        "themes/default/print/img/masked.jpg": masked(lossless_jpeg(Image.new("RGB", (37, 37), RED))),
        "themes/default/print/css/sheet.css": sheet + "\n.imprint::before { content: url(../img/swatch.png)"
                                                      " url(../img/photo.jpg) url(../img/keyed.png) url(../img/cropped.gif)"
                                                      " url(../img/lossless.jpg) url(../img/masked.jpg)"
                                                      + "".join(f" url(../img/{name})"
                                                                for name in [*printed_otherwise(), *printed_tiffs()])
                                                      + "; }"
                                                      "\n.imprint::after { content: url(../img/swatch.jpg)"
                                                      + "".join(f" url(../img/{name})" for name in turned)
                                                      + f' url("data:image/jpeg;base64,{inline}");'
                                                      ' image-orientation: none; }\n'})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:   # the hero sheet is read, not the compendium
        out.write("\n[print]\ncompendium = false\n")
    run = foundry("build", "--only", "pdf", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    return root


def lossless_jpeg(img: Image.Image) -> bytes:
    """The RGB picture `img` as an 8-bit lossless JPEG (SOF3, ITU T.81 annex H,
    predictor 1), as a scanner or a DNG converter writes one: each sample's difference
    from the one before it on its row (a row's first from the one above, the first of
    all from 128) coded by its category (one Huffman table, category k as the 4-bit code
    k) and then its bits. Pillow (libjpeg-turbo 3) decodes it; PDF's DCTDecode defines
    no such JPEG (poppler drew it white), and Chromium shows nothing of it."""
    import struct
    width, height = img.size
    samples = list(img.convert("RGB").tobytes())
    bits: list[int] = []

    def put(value: int, length: int) -> None:
        bits.extend((value >> k) & 1 for k in reversed(range(length)))
    for at, sample in enumerate(samples):
        pixel = at // 3
        before = 128 if pixel == 0 else samples[at - 3 * width] if pixel % width == 0 else samples[at - 3]
        diff = sample - before
        category = abs(diff).bit_length()
        put(category, 4)
        if category:
            put(diff if diff > 0 else diff - 1 + (1 << category), category)
    bits += [1] * (-len(bits) % 8)
    packed = int("".join(map(str, bits)), 2).to_bytes(len(bits) // 8, "big")
    scan = packed.replace(b"\xff", b"\xff\x00")

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    frame = struct.pack(">BHHB", 8, height, width, 3) + b"".join(bytes([c, 0x11, 0]) for c in (1, 2, 3))
    table = bytes([0, 0, 0, 0, 9] + [0] * 12) + bytes(range(9))   # DC table 0: nine codes of 4 bits
    start = bytes([3, 1, 0, 2, 0, 3, 0, 1, 0, 0])   # three components on table 0, predictor 1
    return b"\xff\xd8" + segment(0xC3, frame) + segment(0xC4, table) + segment(0xDA, start) + scan + b"\xff\xd9"


def restarted(data: bytes) -> bytes:
    """The JPEG `data` with a restart marker (RST0, a marker with no length) before its
    first segment, and two stray bytes after it, which libjpeg (and Pillow) read past
    to the next marker as they read past any byte between segments."""
    return data[:2] + b"\xff\xd0\x00\x00" + data[2:]


def masked(data: bytes) -> bytes:
    """The JPEG `data` behind a restart marker whose next two bytes, read as a length,
    lead into an APP1 segment that holds a baseline frame header (SOF0): libjpeg skips
    the stray bytes and the APP1 whole and decodes `data`'s own frame (a stranger's
    file, made to look baseline to a reader of the marker's lengths)."""
    import struct
    fake = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 8, 8, 3) + bytes([1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])
    app = b"\xff\xe1" + struct.pack(">H", 4 + len(fake)) + b"XX" + fake
    # after FFD8 FFD0 (at 2): a reader of lengths takes 00 08 for one, and goes on at 4 + 8, the fake frame
    return data[:2] + b"\xff\xd0\x00\x08" + app + data[2:]


def cropped_gif() -> bytes:
    """A GIF of a 54x54 screen whose one frame fills its left half, red, as an optimiser
    crops a drawing on nothing (gifsicle --crop-transparency): browsers show the right
    half see-through; Pillow fills it with a palette colour, which printed."""
    frame = Image.new("P", (27, 54), 1)
    frame.putpalette([0, 0, 0, *RED])
    out = io.BytesIO()
    frame.save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:8] = (54).to_bytes(2, "little")   # the logical screen's width: the frame fills half of it
    return bytes(data)


def printed_otherwise() -> dict[str, bytes]:
    """A print theme's pictures whose samples WeasyPrint embeds otherwise than browsers
    show them, each one colour: a CMYK JPEG (50x50) without the Adobe marker that says
    its samples are inverted (browsers take them so whatever the marker: Chromium shows
    it red), and a 16-bit grey PNG (44x44) of 64 x 257 (Chromium shows grey 64). And an
    animated WebP (46x46) whose first frame is red under the swapped-primaries profile,
    which Chromium does not apply to an animation: it printed blue, converted. And, when
    this Pillow reads AVIF (WeasyPrint draws it then), an AVIF (48x48) stored blue under
    that profile and one (52x52) whose nclx says Display P3 (Chromium converts both;
    they printed their stored values), and one (56x56) whose nclx says BT.709's primaries
    and curve, which Chromium's AVIF decoder draws as sRGB's: shown as stored, it printed
    darker, read by BT.1886's curve as a PNG's cICP is."""
    import struct
    cmyk = jpeg(Image.new("RGB", (50, 50), RED).convert("CMYK"))
    at = cmyk.index(b"Adobe") - 4   # its APP14 segment (marker, length, 'Adobe'…), cut out
    cmyk = cmyk[:at] + cmyk[at + 2 + struct.unpack(">H", cmyk[at + 2:at + 4])[0]:]
    assert b"Adobe" not in cmyk
    animated = io.BytesIO()
    Image.new("RGB", (46, 46), RED).save(animated, "WEBP", save_all=True, lossless=True, duration=100,
                                         append_images=[Image.new("RGB", (46, 46), (0, 0, 255))],
                                         icc_profile=swapped_primaries_profile())
    return {"cmyk.jpg": cmyk, "deep.png": png(Image.new("I;16", (44, 44), 64 * 257)), "animated.webp": animated.getvalue(),
            **avif_colours()}


def printed_tiffs() -> dict[str, bytes]:
    """A print theme's TIFFs as a print designer exports them (no browser but Safari
    shows a TIFF; Preview and Photoshop do, colour-managed): one (58x58) stored blue
    under the swapped-primaries profile, red as they show it, and a CMYK one (62x62) of
    red. WeasyPrint drew the first's stored blue, its profile dropped, and could not
    load the second at all (a warning, and no picture in the book)."""
    profiled, cmyk = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (58, 58), (0, 0, 255)).save(profiled, "TIFF", icc_profile=swapped_primaries_profile())
    Image.new("RGB", (62, 62), RED).convert("CMYK").save(cmyk, "TIFF")
    return {"profiled.tif": profiled.getvalue(), "cmyk.tif": cmyk.getvalue()}


def avif_colours() -> dict[str, bytes]:
    """printed_otherwise's AVIFs (none when this Pillow writes no AVIF)."""
    from PIL import features
    if not features.check("avif"):
        return {}
    profiled, p3, video = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.new("RGB", (48, 48), (0, 0, 255)).save(profiled, "AVIF", quality=100, icc_profile=swapped_primaries_profile())
    Image.new("RGB", (52, 52), (200, 60, 40)).save(p3, "AVIF", quality=100)
    Image.new("RGB", (56, 56), (200, 60, 40)).save(video, "AVIF", quality=100)
    wide, curve = bytearray(p3.getvalue()), bytearray(video.getvalue())
    at = wide.index(b"colrnclx") + 8   # its primaries (then transfer, matrix, range)
    wide[at:at + 2] = (12).to_bytes(2, "big")   # Display P3's
    at = curve.index(b"colrnclx") + 8
    curve[at:at + 4] = (1).to_bytes(2, "big") + (1).to_bytes(2, "big")   # BT.709's primaries and curve (ffmpeg's)
    return {"profile.avif": profiled.getvalue(), "p3.avif": bytes(wide), "video.avif": bytes(curve)}


def located_photographs() -> tuple[bytes, bytes]:
    """A print theme's photograph (400x200) and a small one for a `data:` URI (40x20),
    each a JPEG without EXIF whose XMP holds a GPS position and whose comment its owner."""
    jpeg, uri = io.BytesIO(), io.BytesIO()
    viewed().save(jpeg, "JPEG", quality=95, xmp=XMP_LOCATED, comment=b"SECRET comment")
    viewed().resize((40, 20)).save(uri, "JPEG", quality=95, xmp=XMP_LOCATED, comment=b"SECRET uri")
    return jpeg.getvalue(), uri.getvalue()


def test_a_print_theme_image_prints_as_a_viewer_shows_it(print_theme, premises, tmp_path):
    """WeasyPrint draws a picture's stored values and drops its colour profile: a
    project print theme's PNG or JPEG exported under another profile than sRGB printed
    in other colours than its designer saw (stored blue under the swapped-primaries
    profile, red in every viewer, blue in the PDF). The books get it converted.
    And WeasyPrint turns a picture by Pillow's reading of its orientation, which takes
    a JPEG's XMP, and not a JPEG's EXIF block padded otherwise than Pillow reads
    (padded_exif): such theme pictures printed a quarter-turn from what a browser
    shows; each prints as viewed (a WebP turned by its EXIF, as portraits are) (80x40, the marker top left). And a turn left
    to WeasyPrint obeyed the theme's `image-orientation: none`: the plain turned JPEG
    printed sideways beside the padded one printed upright, where the site's copy and
    every portrait are turned pixels whatever the stylesheets say.
    And a picture without a colour profile, upright, was given to WeasyPrint as it is
    (its metadata blocks cut): a CMYK JPEG went into the PDF as DeviceCMYK, inverted
    back only if an Adobe marker says so, where browsers take every CMYK JPEG as
    inverted (Chromium shows red what printed cyan-black), and a 16-bit grey PNG's
    samples were declared 8-bit (grey 64 printed as stripes of black and dark red).
    Each prints the colour Chromium shows (printed_otherwise). And a GIF whose first
    frame fills half its screen printed the other half in a palette colour, where
    browsers show it see-through (cropped_gif)."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    shown = {name: tuple(premises[name][4][:3]) for name in printed_otherwise()} if premises else \
        {"cmyk.jpg": RED, "deep.png": (64, 64, 64), "animated.webp": RED, "profile.avif": RED,
         "p3.avif": (217, 43, 23), "video.avif": (200, 60, 40)}   # as this suite's Chromium shows them
    assert near(shown["cmyk.jpg"], RED, 20) and near(shown["deep.png"], (64, 64, 64), 2) \
        and near(shown["animated.webp"], RED, 2), shown   # the premise
    if premises and "p3.avif" in shown:   # Chromium converts an AVIF's profile and its nclx
        assert near(shown["profile.avif"], RED, 6) and not near(shown["p3.avif"], (200, 60, 40), 6) \
            and near(shown["video.avif"], (200, 60, 40), 2), shown
    root = print_theme
    out = tmp_path / "images"
    out.mkdir()
    subprocess.run(["pdfimages", "-png", str(root / "build/pdf/heroes/first-hero.pdf"), str(out / "img")],
                   check=True, timeout=120)
    images = [i.convert("RGB") for i in map(Image.open, sorted(out.glob("*.png")))]
    swatches = [i for i in images if i.size == (60, 60)]
    assert len(swatches) == 2, [p.name for p in out.iterdir()]
    for swatch in swatches:
        assert near(swatch.getpixel((30, 30)), RED), swatch.getpixel((30, 30))
    small = [i for i in images if sorted(i.size) == [40, 80]]
    assert len(small) == len(small_turned_images()), [i.size for i in images]
    for img in small:
        assert_viewed(img, what="a print theme's picture")
    printed = {img.size: img for img in images}
    sizes = {"cmyk.jpg": (50, 50), "deep.png": (44, 44), "animated.webp": (46, 46), "profile.avif": (48, 48),
             "p3.avif": (52, 52), "video.avif": (56, 56)}
    if premises:   # the premise: Chromium shows the GIF's frame red, the rest of its screen see-through
        assert near(premises["cropped.gif"][2], RED + (255,), 0) and premises["cropped.gif"][4][3] == 0, premises["cropped.gif"]
    cropped = [Image.open(p) for p in sorted(out.glob("*.png")) if Image.open(p).size == (54, 54)]
    masks = [i for i in cropped if i.mode in ("1", "L")]
    assert len(masks) == 1, f"the cropped GIF printed without a mask: {[i.mode for i in cropped]}"
    assert (masks[0].convert("L").getpixel((10, 27)), masks[0].convert("L").getpixel((40, 27))) == (255, 0)
    assert near(next(i for i in cropped if i.mode not in ("1", "L")).convert("RGB").getpixel((10, 27)), RED)
    for size in ((58, 58), (62, 62)):   # printed_tiffs: red, as Preview and Photoshop show them
        assert size in printed and near(printed[size].getpixel((size[0] // 2, size[1] // 2)), RED, 6), \
            (size, sorted(printed))
    for name in printed_otherwise():
        size = sizes[name]
        assert size in printed, (name, sorted(printed))
        got = printed[size].getpixel((size[0] // 2, size[1] // 2))
        assert near(got, shown[name], 6), f"{name}: printed {got}, Chromium shows {shown[name]}"


def test_a_print_themes_jpeg_is_printed_coded_as_every_pdf_reader_decodes_it(print_theme, tmp_path):
    """WeasyPrint puts a JPEG's bytes into the PDF as they are (DCTDecode), which PDF
    defines for baseline and progressive Huffman-coded JPEGs only. Pillow decodes a
    lossless JPEG (SOF3) and an arithmetic-coded one (SOF9) too, so a print theme's
    picture so coded passed check and build and printed as nothing: poppler drew the
    lossless one white, pdf.js and Chrome's viewer read neither. It is printed as the
    PNG of what it shows (red), and no JPEG in the book is coded otherwise."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    import pikepdf
    for premise in (lossless_jpeg(Image.new("RGB", (38, 38), RED)), masked(lossless_jpeg(Image.new("RGB", (37, 37), RED)))):
        with Image.open(io.BytesIO(premise)) as img:   # the premise: Pillow decodes each
            assert img.convert("RGB").getpixel((18, 18)) == RED
    pdf = print_theme / "build/pdf/heroes/first-hero.pdf"
    def frame(data: bytes) -> int | None:   # the first start-of-frame marker, segment by segment
        at = 2
        while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] != 0xDA:
            if 0xC0 <= data[at + 1] <= 0xCF and data[at + 1] not in (0xC4, 0xC8, 0xCC):
                return data[at + 1]
            at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        return None
    out = tmp_path / "images"
    out.mkdir()
    subprocess.run(["pdfimages", "-png", str(pdf), str(out / "img")], check=True, timeout=120)
    printed = [i.convert("RGB") for i in map(Image.open, sorted(out.glob("*.png"))) if i.size == (38, 38)]
    assert len(printed) == 1 and near(printed[0].getpixel((19, 19)), RED, 2), [i.getpixel((19, 19)) for i in printed]
    # one whose first frame header, read as libjpeg reads its markers, is lossless too, though
    # one read by the lengths alone finds a baseline one (masked): printed white, it was
    masked_ = [i.convert("RGB") for i in map(Image.open, sorted(out.glob("*.png"))) if i.size == (37, 37)]
    assert len(masked_) == 1 and near(masked_[0].getpixel((18, 18)), RED, 2), [i.getpixel((18, 18)) for i in masked_]
    with pikepdf.open(pdf) as book:
        frames = [frame(bytes(stream.read_raw_bytes())) for stream in book.objects
                  if isinstance(stream, pikepdf.Stream) and stream.get("/Filter") == pikepdf.Name.DCTDecode]
    assert frames and all(frame in (0xC0, 0xC1, 0xC2) for frame in frames), [hex(f or 0) for f in frames]


def test_a_print_themes_see_through_colour_prints_as_a_browser_shows_it(print_theme, tmp_path):
    """WeasyPrint reads a print theme's PNG with Pillow, which misreads a 2-bit grey's
    see-through key (keyed_pngs): the imprint's icon printed on a grey box where the
    browser shows nothing behind it. The book gets it as viewed: its soft mask is the
    marker's corner alone."""
    require_tool(subprocess.run(["which", "pdfimages"], capture_output=True).returncode == 0, "pdfimages")
    pdf = str(print_theme / "build/pdf/heroes/first-hero.pdf")
    listed = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True, check=True, timeout=120).stdout
    rows = [line.split() for line in listed.splitlines()[2:]]
    kinds = [row[2] for row in rows if row[3:5] == ["64", "32"]]
    assert kinds == ["image", "smask"], listed
    out = tmp_path / "images"
    out.mkdir()
    subprocess.run(["pdfimages", "-png", pdf, str(out / "img")], check=True, timeout=120)
    files = sorted(out.glob("*.png"))
    assert len(files) == len(rows), (listed, [f.name for f in files])
    mask = Image.open(files[next(i for i, row in enumerate(rows) if row[3:5] == ["64", "32"] and row[2] == "smask")])
    mask = mask.convert("L")
    assert [mask.getpixel(xy) for xy in ((4, 4), (60, 4), (4, 28), (60, 28))] == [255, 0, 0, 0]


def chromaticities_out_of_range() -> dict[str, bytes]:
    import struct
    size = (200, 100)
    linear = (b"gAMA", struct.pack(">I", 100000))
    bad = (b"cHRM", struct.pack(">8I", 10000, 2, 33000, 4294967295, 2, 33000, 2, 64000))
    near_line = (b"cHRM", struct.pack(">8I", 31270, 32900, 30000, 30000, 30001, 30001, 64000, 33000))
    return {"gamma-only": png_chunks(Image.new("RGB", size, (64, 96, 32)), [linear]),
            "bad-chrm": png_chunks(Image.new("RGB", size, (64, 96, 32)), [linear, bad]),
            "near-line": png_chunks(Image.new("RGB", size, (64, 96, 32)), [linear, near_line])}


GREY = (64, 64, 64)


def wrong_checksums() -> dict[str, bytes]:
    """PNGs with a chunk whose checksum (CRC) is wrong, each of which Chromium shows as
    stored (libpng drops an ancillary chunk so damaged and does not check the image
    data's): a text chunk (a metadata tool that rewrote it and not its checksum), an
    eXIf saying Orientation 6, a gAMA of 1.0 (over a grey of 64, which it would show as
    137), a tRNS making the red marker see-through, a text chunk after the image data,
    and the image data's own. Pillow refused each whole: HF0702 'cut off or corrupt'
    at the portrait's line, the build stopped, for a picture every browser shows."""
    import struct
    import zlib

    def damaged(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) ^ 0xFFFF)
    exif = Image.Exif()
    exif[0x0112] = 6
    block = exif.tobytes()
    ahead = 8 + 25   # after the signature and IHDR

    def with_chunk(img: Image.Image, kind: bytes, body: bytes, at: int | None = None) -> bytes:
        data = png(img)
        at = ahead if at is None else at(data)
        return data[:at] + damaged(kind, body) + data[at:]
    data = png(viewed())
    start = data.index(b"IDAT") - 4
    end = start + 12 + struct.unpack(">I", data[start:start + 4])[0]
    return {"text": with_chunk(viewed(), b"tEXt", b"Software\0a tool"),
            "exif": with_chunk(viewed(), b"eXIf", block[6:] if block.startswith(b"Exif\0\0") else block),
            "gamma": with_chunk(viewed(marker=GREY), b"gAMA", struct.pack(">I", 100000)),
            "key": with_chunk(viewed(), b"tRNS", struct.pack(">HHH", *RED)),
            "late": with_chunk(viewed(), b"tEXt", b"Comment\0late", lambda d: d.rindex(b"IEND") - 4),
            "data": data[:end - 4] + bytes(b ^ 0xFF for b in data[end - 4:end]) + data[end:]}


def wrong_checksum_as_written() -> bytes:
    """An HDR PNG (its cICP: a theme's is published with its pictures as written, its
    metadata chunks dropped) whose eXIf saying Orientation 6 has a wrong checksum, as
    wrong_checksums' "exif", which Chromium shows as stored (the premise)."""
    import struct
    import zlib
    exif = Image.Exif()
    exif[0x0112] = 6
    block = exif.tobytes()
    block = block[6:] if block.startswith(b"Exif\0\0") else block
    data = png_chunks(viewed(), [(b"cICP", bytes([9, 16, 0, 1]))])
    bad = struct.pack(">I", len(block)) + b"eXIf" + block + struct.pack(">I", zlib.crc32(b"eXIf" + block) ^ 0xFFFF)
    return data[:8 + 25] + bad + data[8 + 25:]


def test_a_chunk_with_a_wrong_checksum_is_passed_over_as_a_browser_passes_it_over(one_site, premises):
    """A PNG portrait one of whose ancillary chunks (or whose image data) has a wrong
    checksum is published as Chromium shows it, that chunk dropped (checked here when
    Chromium is at hand, the premise): not refused as cut off. So is a theme's picture
    published with its pictures as written (an HDR PNG): the turn of its damaged eXIf
    was written again with a right checksum (the kept Orientation of an animation or
    an HDR picture), and every browser turned what it had shown upright."""
    marker = {"gamma": GREY}
    for name in wrong_checksums() if premises else ():
        width, height, corner, far, _ = premises[f"crc-{name}"]
        assert [width, height] == [WIDTH, HEIGHT], (name, premises[f"crc-{name}"])
        assert near(corner, marker.get(name, RED) + (255,), 2) and near(far, WHITE + (255,), 2), (name, corner, far)
    refused = [d for d in diagnostics(one_site.run) if "crc-" in d]
    assert not refused, refused
    shown = one_site.shown("crc")
    for name in wrong_checksums():
        original, derivative, declared = shown(name)
        assert declared == (WIDTH, HEIGHT), name
        for img, what in ((original, "original"), (derivative, "WebP")):
            assert img.convert("RGBA").getpixel((10, 10))[3] == 255, (name, what)   # the tRNS dropped: opaque
            assert_viewed(img, marker.get(name, RED), what=f"{name} {what}")
            if name == "gamma":   # the gAMA dropped: the grey as stored, not 137
                assert near(img.convert("RGB").getpixel((10, 10)), GREY, 6), (name, what)
    kept = (one_site.root / "build/site/assets/crc-exif.png").read_bytes()
    assert b"cICP" in kept   # its pictures as written
    with Image.open(io.BytesIO(kept)) as img:
        assert img.getexif().get(0x0112, 1) == 1, "a theme's damaged eXIf turned"


def test_a_pngs_chromaticity_out_of_range_is_ignored_as_a_browser_ignores_it(one_site):
    """cHRM may hold any 32-bit values: a crafted portrait whose red y was 42949.67 (or
    whose primaries were nearly on one line) made the ICC profile's XYZ numbers overflow
    (struct.error), an internal error in check's sibling build. libpng, so Chromium,
    ignores a cHRM whose points are no colours and applies the gamma alone: so do we."""
    assert "internal error" not in one_site.run.stderr, one_site.run.stderr
    shown = one_site.shown("chrm")
    expected = shown("gamma-only")[0].convert("RGB").getpixel((100, 50))
    assert not near(expected, (64, 96, 32), tolerance=20)   # the gamma was applied
    got = shown("bad-chrm")[0].convert("RGB").getpixel((100, 50))
    assert near(got, expected, tolerance=2), (got, expected)
    shown("near-line")   # published, whatever colours its degenerate primaries give


def tall_strip() -> bytes:
    stored = Image.new("RGB", (16_900, 330), WHITE)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def test_a_tall_strip_gets_only_the_derivatives_webp_can_hold(one_site):
    """A phone's vertical panorama (stored 16,900 x 330 with Orientation 6: viewed 330
    wide and 16,900 high, under the pixel limit) scaled to 320 wide is 16,388 high, past
    WebP's 16,383 pixels a side: libwebp refused it and the build stopped with
    'internal error' (so did a 400 x 40,000 scroll). The page offers the derivatives
    WebP holds (160 wide, 8,194 high) and the original, upright."""
    root = one_site.root
    page = lxml_html.fromstring((root / "build/site/heroes/strip-strip.html").read_bytes())
    offered = {c.strip().split()[0]: c.strip().split()[1] for s in page.iter("source")
               for c in (s.get("srcset") or "").split(",") if c.strip()}
    assert list(offered.values()) == ["160w"], offered
    for address in offered:
        with Image.open((root / "build/site/heroes" / address).resolve()) as webp:
            assert webp.size == (160, 8_194), webp.size
    img = next(i for i in page.iter("img") if "media/" in i.get("src", ""))
    assert (img.get("width"), img.get("height")) == ("330", "16900")
    with Image.open((root / "build/site/heroes" / img.get("src")).resolve()) as original:
        assert original.size == (330, 16_900)


def located_exif(orientation: int = 1) -> bytes:
    """An EXIF block as a phone writes one: where it was taken (GPS), the owner's name."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "SECRET owner"                                        # Artist
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 38.0), 3: "W", 4: (0.0, 7.0, 39.0),
                    0x1B: b"ASCII\0\0\0SECRET place"}                    # GPS, its area's name
    return exif.tobytes()


XMP_LOCATED = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,28.6N" '
               b'exif:GPSAreaInformation="SECRET xmp"/></rdf:RDF></x:xmpmeta>')


def test_a_themes_images_are_published_without_where_they_were_taken(one_site):
    """A project theme's static files were copied to site/assets/ byte for byte, so a
    banner photographed on a phone published its GPS position and owner's name (EXIF,
    XMP, a PNG's eXIf and text) on the deployed site, where a portrait's are stripped.
    Each PNG, JPEG or WebP there (known by its bytes: the PNG here is named .jpg) is
    published as a viewer shows it (the JPEG's Orientation 6 applied) and re-encoded
    without metadata; a stylesheet beside them and an animation keep their bytes."""
    files = one_site.theme
    assets = one_site.root / "build/site/assets"
    for name in ("banner.jpg", "wide.webp", "named-wrong.jpg"):
        data = (assets / name).read_bytes()
        assert b"SECRET" not in data and b"GPS" not in data, name
        with Image.open(io.BytesIO(data)) as img:
            assert "exif" not in img.info and "xmp" not in img.info, (name, img.info.keys())
            assert_viewed(img, what=name)
    assert (assets / "spinner.webp").read_bytes() == files["spinner.webp"]   # its frames kept
    assert b"url(banner.jpg)" in (assets / "banner.css").read_bytes()


def located_theme_files() -> dict[str, bytes]:
    turned = stored_jpeg(6)
    jpeg, webp, fake = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.open(io.BytesIO(turned)).save(jpeg, "JPEG", quality=95, exif=located_exif(6), xmp=XMP_LOCATED)
    viewed().save(webp, "WEBP", lossless=True, exif=located_exif(), xmp=XMP_LOCATED)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET png text")
    viewed().save(fake, "PNG", exif=located_exif(), pnginfo=text)
    frames = [viewed(), viewed(marker=(0, 0, 255))]
    animated = io.BytesIO()
    frames[0].save(animated, "WEBP", save_all=True, append_images=frames[1:])
    css = b"/* a banner */\n.banner { background: url(banner.jpg); }\n"
    return {"banner.jpg": jpeg.getvalue(), "wide.webp": webp.getvalue(), "named-wrong.jpg": fake.getvalue(),
            "spinner.webp": animated.getvalue(), "banner.css": css}


def misnamed_theme_files() -> dict[str, bytes]:
    """A theme's pictures named as a kind their bytes are not, which browsers show
    nothing of: a PNG named .svg, and a drawing (SVG) named .png. And pictures no
    browser decodes named as one it does: a phone's HEIC renamed .jpg, a TIFF named .png."""
    drawing = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    tiff = io.BytesIO()
    viewed().save(tiff, "TIFF")
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)   # its brand is all a browser would read
    # and a drawing whose root comes after a DOCTYPE of entities longer than a KiB (an editor's export)
    entities = b'<?xml version="1.0"?>\n<!DOCTYPE svg [' + b'<!ENTITY ns_x "http://ns.example/x/1.0/">\n' * 40 + b"]>\n"
    return {"logo.svg": png(viewed()), "badge.png": drawing, "photo.jpg": heic, "scan.png": tiff.getvalue(),
            "exported.png": entities + drawing}


def served_sizes(browser, files: dict[str, bytes]) -> dict[str, list[int]]:
    """The natural size Chromium gives each file (by name) as an <img>, served over HTTP
    with the type its name says, as any static server (and a page opened from disk) does."""
    import mimetypes
    page = browser.new_page()
    html = "".join(f'<img id="i{n}" src="{name}">' for n, name in enumerate(files)).encode()

    def serve(route):
        name = route.request.url.rsplit("/", 1)[1]
        data, kind = (html, "text/html") if name == "index.html" else (files[name], mimetypes.guess_type(name)[0])
        route.fulfill(status=200, body=data, content_type=kind)
    try:
        page.route("http://theme.test/**", serve)
        page.goto("http://theme.test/index.html", wait_until="load")
        return {name: page.evaluate(f"[document.getElementById('i{n}').naturalWidth, document.getElementById('i{n}').naturalHeight]")
                for n, name in enumerate(files)}
    finally:
        page.close()


def test_a_theme_picture_browsers_show_nothing_of_under_its_name_is_said_at_the_file(one_site, request):
    """A browser reads a drawing by the type its name gives (image/svg+xml), any other
    picture by its bytes: a theme's PNG named logo.svg and SVG named badge.png are
    broken images on the site (the PDFs, which try both, print them), and check and
    build published them saying nothing. Each is HF0758 at its file, from check and
    build alike; a PNG named .jpg, which browsers show, is said nothing of. So is a
    HEIC named .jpg and a TIFF named .png, which no browser decodes (they were said nothing of)."""
    try:
        browser = request.getfixturevalue("browser")
    except pytest.skip.Exception:
        browser = None
    if browser is not None:   # the premise: Chromium shows neither, and the PNG named .jpg
        files = {**misnamed_theme_files(), "named-wrong.jpg": one_site.theme["named-wrong.jpg"]}
        assert served_sizes(browser, files) == {"logo.svg": [0, 0], "badge.png": [0, 0], "photo.jpg": [0, 0],
                                                "scan.png": [0, 0], "exported.png": [0, 0],
                                                "named-wrong.jpg": [WIDTH, HEIGHT]}
    expected = {f"HF0758 themes/default/static/{name}:0:0" for name in misnamed_theme_files()}
    check = foundry("check", "--format", "json", "--project", str(one_site.root))
    for run in (one_site.run, check):
        assert {d for d in diagnostics(run) if d.startswith("HF0758")} == expected, run.stdout[-2000:]
    said = next(d for d in one_site.run.json()["diagnostics"] if d["code"] == "HF0758" and "logo" in d["file"])
    assert "a PNG named .svg" in said["message"] and "logo.png" in said["hint"], said
    said = next(d for d in one_site.run.json()["diagnostics"] if d["code"] == "HF0758" and "photo" in d["file"])
    assert "a HEIC named .jpg" in said["message"] and "Export it as JPEG" in said["hint"], said


def test_a_print_themes_images_are_printed_without_where_they_were_taken(print_theme):
    """WeasyPrint embeds a JPEG that has no EXIF block byte for byte: a print theme's
    photograph (a file, or a `data:` URI in its stylesheet) whose GPS position is in
    its XMP and whose owner is in a comment put both inside every PDF, where the
    site's copy of the same file is stripped. Each is printed without them, as viewed."""
    import pikepdf
    root = print_theme
    assert all(b"SECRET" in data for data in located_photographs())   # what is written holds them
    pictures = []
    with pikepdf.open(root / "build/pdf/heroes/first-hero.pdf") as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                data = obj.read_raw_bytes()
                assert b"SECRET" not in data and b"GPS" not in data, (obj.Width, obj.Height)
                pictures.append((int(obj.Width), int(obj.Height)))
                if obj.get("/Filter") == "/DCTDecode" and (obj.Width, obj.Height) == (WIDTH, HEIGHT):
                    assert_viewed(Image.open(io.BytesIO(data)), what="the print theme's photograph")
    assert (WIDTH, HEIGHT) in pictures and (40, 20) in pictures, pictures


def frames_of(data: bytes) -> list[tuple[bytes, int]]:
    """Each frame's RGBA pixels as a browser composes them, with its duration (ms)."""
    from PIL import ImageSequence
    with Image.open(io.BytesIO(data)) as img:
        return [(frame.convert("RGBA").tobytes(), frame.info.get("duration", 0)) for frame in ImageSequence.Iterator(img)]


def test_a_themes_animations_and_undecodable_images_keep_their_pictures_not_where_they_were_taken(one_site, premises):
    """An animated theme image (APNG, animated WebP, GIF), a camera's MPO, one over the
    40-million-pixel limit and a cut-off one were copied to site/assets/ byte for byte
    (re-encoding would drop frames), GPS position, owner, XMP and comments with them.
    Each keeps every frame and its timing and loses those blocks; an APNG's Orientation
    is kept, as the tag alone (browsers turn a PNG by it: its first eXIf, the second
    saying 1 was taken and the turn lost); an animated WebP's is applied to every frame,
    as a WebP portrait's is (it was published sideways, its EXIF dropped, while the
    books print its first frame upright); an MPO is its first picture. One whose EXIF
    writes 'Exif\\0\\0' before its TIFF header (an APNG's eXIf, a cut-off JPEG's block
    signed twice), where Chromium reads no Orientation, was given one read past it, as
    a block browsers read: published turned where the theme's file shows as stored."""
    assets = one_site.root / "build/site/assets"
    names = ("spin.png", "spin.webp", "spin.gif", "turned.png", "turned.webp", "twin.jpg", "huge.png", "cut.jpg",
             "signed.png", "cut-signed.jpg")
    if premises:   # the premise: Chromium shows the APNG whose eXIf is signed twice as stored
        assert premises["signed.png"][:2] == [WIDTH, HEIGHT] and near(premises["signed.png"][2], RED + (255,)), premises["signed.png"]
    for name, original in ((name, one_site.theme[name]) for name in names):
        data = (assets / name).read_bytes()
        assert b"SECRET" not in data and b"GPS" not in data and b"xmpmeta" not in data, name
        if name.startswith("cut"):
            assert data.startswith(JPEG_START) and data[-100:] == original[-100:], name   # its picture kept
            assert 0x0112 not in Image.open(io.BytesIO(data)).getexif(), name   # no turn a browser would apply
            continue
        with Image.open(io.BytesIO(data)) as img:
            if name == "twin.jpg":
                assert getattr(img, "n_frames", 1) == 1
                assert_viewed(img, what=name)
            elif name == "huge.png":
                assert img.size == (8200, 5000)
            elif name == "turned.webp":   # each frame upright, in its time, and no turn left
                from PIL import ImageSequence
                with Image.open(io.BytesIO(original)) as stored:
                    upright = [(frame.convert("RGBA").transpose(Image.Transpose.ROTATE_270).tobytes(),
                                frame.info.get("duration", 0)) for frame in ImageSequence.Iterator(stored)]
                assert img.size == (WIDTH, HEIGHT) and frames_of(data) == upright, name
                assert 0x0112 not in img.getexif(), name
            else:
                assert frames_of(data) == frames_of(original), name   # every frame, its pixels and timing
                assert img.info.get("loop") == Image.open(io.BytesIO(original)).info.get("loop"), name
                assert dict(img.getexif()) == ({0x0112: 6} if name == "turned.png" else {}), name


def animated_theme_files() -> dict[str, bytes]:
    blue, green = viewed(marker=(0, 0, 255)), viewed(marker=(0, 160, 0))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET png text")
    text.add_itxt("XML:com.adobe.xmp", XMP_LOCATED.decode())
    made = {}
    for name, fmt, options in (("spin.png", "PNG", {"pnginfo": text}), ("spin.webp", "WEBP", {"xmp": XMP_LOCATED}),
                               ("spin.gif", "GIF", {"comment": b"SECRET gif comment"})):
        out = io.BytesIO()
        viewed().save(out, fmt, save_all=True, append_images=[blue, green], duration=[100, 200, 300], loop=0,
                      **({} if fmt == "GIF" else {"exif": located_exif()}), **options)
        made[name] = out.getvalue()
    turned = io.BytesIO()   # stored turned, Orientation 6 in its eXIf: a browser shows it wide
    viewed().transpose(STORED_AS[6]).save(turned, "PNG", save_all=True, append_images=[blue.transpose(STORED_AS[6])],
                                          exif=located_exif(6), duration=100)
    made["turned.png"] = second_exif(turned.getvalue(), 1)
    turned = io.BytesIO()   # a phone's animated WebP, stored turned, Orientation 6 in its EXIF chunk
    viewed().transpose(STORED_AS[6]).save(turned, "WEBP", save_all=True, append_images=[blue.transpose(STORED_AS[6])],
                                          exif=located_exif(6), duration=[100, 200], lossless=True)
    made["turned.webp"] = turned.getvalue()
    mpo = io.BytesIO()
    viewed().save(mpo, "MPO", save_all=True, append_images=[Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 255))],
                  exif=located_exif(), quality=95)
    made["twin.jpg"] = mpo.getvalue()
    huge = io.BytesIO()   # 41 million pixels: over the limit, shown by a browser
    Image.new("L", (8200, 5000), 200).save(huge, "PNG", pnginfo=text, exif=located_exif())
    made["huge.png"] = huge.getvalue()
    cut = io.BytesIO()
    viewed().save(cut, "JPEG", quality=95, exif=located_exif(), xmp=XMP_LOCATED)
    made["cut.jpg"] = cut.getvalue()[:-200]
    made["signed.png"] = signed_twice_apng()
    cut = io.BytesIO()
    viewed().save(cut, "JPEG", quality=95, exif=b"Exif\0\0" + exif_block(3, (6).to_bytes(2, "little")))
    made["cut-signed.jpg"] = cut.getvalue()[:-200]
    return made


def signed_twice_apng() -> bytes:
    """An APNG stored as viewed whose eXIf chunk, before its image data, begins with a
    JPEG's signature ('Exif\\0\\0', as some writers put it there) before a block saying
    Orientation 6: Chromium finds no TIFF header there and shows it as stored."""
    import struct
    import zlib
    out = io.BytesIO()
    viewed().save(out, "PNG", save_all=True, append_images=[viewed(marker=(0, 0, 255))], duration=100)
    data = out.getvalue()
    body = exif_block(3, (6).to_bytes(2, "little"))   # 'Exif\0\0' and the TIFF block
    at = data.index(b"IDAT") - 4
    return data[:at] + struct.pack(">I", len(body)) + b"eXIf" + body + struct.pack(">I", zlib.crc32(b"eXIf" + body)) + data[at:]


def avif_and_tiff() -> dict[str, bytes]:
    """A theme's AVIF and TIFF whose EXIF holds where it was taken, its owner and its camera's."""
    camera = Image.Exif()
    camera.load(located_exif())
    camera[0x8769] = {0xA430: "SECRET camera owner", 0xA431: "SECRET serial"}   # the Exif directory
    made = {}
    for name, fmt, options in (("banner.avif", "AVIF", {"xmp": XMP_LOCATED, "quality": 90}), ("scan.tif", "TIFF", {})):
        out = io.BytesIO()
        viewed().save(out, fmt, exif=camera.tobytes(), **options)
        made[name] = out.getvalue()
    return made


def test_a_themes_avif_and_tiff_are_published_without_where_they_were_taken(one_site):
    """A project theme's AVIF (a format every current browser shows, and what phones
    and editors export to) and TIFF (which Safari shows; a scanner's or an editor's
    export) were copied to site/assets/ byte for byte: Pillow does not re-encode them
    here, and the metadata stripping knew PNG, WebP, GIF and JPEG only, so the GPS
    position, the owner and the camera's serial in their EXIF and the AVIF's XMP item
    were published. Their bytes are overwritten in place; each picture decodes to the
    same pixels."""
    from PIL import features
    require_tool(features.check("avif"), "Pillow with AVIF (libavif)")
    for name, original in ((name, one_site.theme[name]) for name in ("banner.avif", "scan.tif")):
        assert b"SECRET" in original, name
        data = (one_site.root / "build/site/assets" / name).read_bytes()
        assert b"SECRET" not in data and b"xmpmeta" not in data, name
        with Image.open(io.BytesIO(data)) as published, Image.open(io.BytesIO(original)) as written:
            assert published.convert("RGB").tobytes() == written.convert("RGB").tobytes(), name
            tags = published.getexif()
            assert not str(tags.get(0x013B, "")).strip("\x00") and not tags.get_ifd(0x8825), name   # no owner, no place
