"""A theme's movies, JPEG XL pictures and drawings are published without where, when and
by whom they were made, as its PNG, JPEG and WebP files are (test_images_as_viewed.py).

No tool on the machine writes these files, so each is built here as bytes, the way a
phone, an editor or an encoder writes it: ISO base media boxes for an MP4 and a
QuickTime MOV (mutagen, which players' taggers use, reads them back), a JPEG XL
container's boxes, an Inkscape SVG embedding a photo."""

from __future__ import annotations

import base64
import gzip
import html
import io
import re
import struct
import zipfile

import pytest
from lxml import etree
from PIL import Image, TiffImagePlugin

from support import REPO, ROOTS, foundry, write_project

XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
SAMPLES = b"\x00\x00\x00\x10SAMPLE-BYTES-01!"
SECRET_TIME = 3_000_000_000   # seconds since 1904: 1999-01-24, when it was recorded


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def full(kind: bytes, body: bytes) -> bytes:
    return box(kind, bytes(4) + body)


def movie(quicktime: bool) -> bytes:
    """A phone's movie: an MP4 as Android writes its tags (udta: ©xyz location, make,
    an iTunes-style title), or a MOV without ftyp as an iPhone keeps its location
    (moov/meta: QuickTime's keys), an XMP uuid box, recording times in the headers,
    and its one sample in mdat after moov, where the sample table (stco) points."""
    times = struct.pack(">II", SECRET_TIME, SECRET_TIME + 1)
    mvhd = full(b"mvhd", times + struct.pack(">II", 1000, 2000) + bytes(80))
    tkhd = full(b"tkhd", times + bytes(72))
    mdhd = full(b"mdhd", times + struct.pack(">II", 1000, 2000) + bytes(4))
    hdlr = full(b"hdlr", bytes(4) + b"vide" + bytes(12) + b"video\0")
    make = box(b"\xa9mak", struct.pack(">HH", 13, 0) + b"SECRET phone")
    ilst = box(b"ilst", box(b"\xa9nam", box(b"data", struct.pack(">II", 1, 0) + b"SECRET title")))
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", 18, 0x15C7) + b"+51.4772-000.0011/") + make
               + full(b"meta", full(b"hdlr", bytes(4) + b"mdir" + bytes(13)) + ilst))
    keys = full(b"keys", struct.pack(">I", 1) + box(b"mdta", b"com.apple.quicktime.location.ISO6709"))
    located = box(struct.pack(">I", 1), box(b"data", struct.pack(">II", 1, 0) + b"+51.4772-000.0011+SECRET/"))
    apple = box(b"meta", full(b"hdlr", bytes(4) + b"mdta" + bytes(13)) + keys + box(b"ilst", located))
    head = b"" if quicktime else box(b"ftyp", b"isom" + bytes(4) + b"isommp41")
    xmp = b"" if quicktime else box(b"uuid", XMP_UUID + b"<x:xmpmeta>SECRET xmp</x:xmpmeta>")

    def moov(offset: int) -> bytes:
        stbl = box(b"stbl", full(b"stco", struct.pack(">II", 1, offset)))
        trak = box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + box(b"minf", stbl)) + box(b"udta", make))
        return box(b"moov", mvhd + trak + (apple if quicktime else b"") + udta)

    offset = len(head) + len(moov(0)) + len(xmp) + 8
    return head + moov(offset) + xmp + box(b"mdat", SAMPLES)


def located_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "SECRET owner"
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 38.0), 0x1B: b"ASCII\0\0\0SECRET place"}
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 0, 0)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


JXL_SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
CODESTREAM = b"\xff\x0a" + bytes(range(64))


def jpeg_xl() -> bytes:
    """A JPEG XL container as libjxl writes one from a camera's JPEG: its EXIF, XMP, a
    Brotli-compressed box and the JPEG reconstruction data beside the codestream."""
    return (JXL_SIGNATURE + box(b"ftyp", b"jxl " + bytes(4) + b"jxl ") + box(b"Exif", bytes(4) + b"II*\0SECRET exif")
            + box(b"xml ", b"<x:xmpmeta>SECRET xmp</x:xmpmeta>") + box(b"brob", b"Exif" + b"SECRET compressed")
            + box(b"jbrd", b"SECRET app segments") + box(b"jxlc", CODESTREAM))


def inkscape_svg(payload: bytes) -> bytes:
    """An SVG as Inkscape saves one with an embedded photo: its RDF metadata, the paths
    it was saved and exported to, the photo's base64 wrapped at 76 letters."""
    wrapped = base64.encodebytes(payload).decode()
    return (f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
            ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="40" height="20"'
            ' sodipodi:docname="SECRET-drawing.svg" inkscape:export-filename="/home/SECRET/drawing.png">\n'
            '<metadata id="metadata1"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">SECRET author</dc:creator></rdf:RDF></metadata>\n'
            f'<image width="40" height="20" xlink:href="data:image/jpeg;base64,{wrapped}"/>\n</svg>\n').encode()


def embedded_pictures(data: bytes) -> list[bytes]:
    """The pictures of the base64 data: URIs in `data` (an attribute's `&#10;` read as
    the line break it is)."""
    text = html.unescape(data.decode("utf-8")).encode("utf-8")
    return [base64.b64decode(re.sub(rb"\s", b"", found)) for found in re.findall(rb"base64,([A-Za-z0-9+/=\s]+)", text)]


def assert_clean_picture(data: bytes, what: str) -> None:
    assert b"SECRET" not in data, what
    with Image.open(io.BytesIO(data)) as img:
        assert "exif" not in img.info and img.size == (40, 20), what
        assert img.convert("RGB").getpixel((20, 10))[0] > 200, what   # still the red picture


def test_a_themes_movies_jpeg_xl_and_drawings_are_published_without_where_they_were_taken(project_factory):
    """A project theme's static files were copied byte for byte unless Pillow read them
    as pictures: a phone's MP4 or MOV published its location (Android's ©xyz, the
    iPhone's QuickTime key), the phone's make, its title and when it was recorded; a
    JPEG XL its EXIF and XMP; an Inkscape SVG its author, the owner's home folder and
    the GPS position of the photo it embeds, as did a stylesheet's data: picture, in the
    site and in the EPUB (its stylesheet, css/epub.css). Each is published without them,
    the movies' boxes freed in place (their sample offsets still true), the codestream,
    the drawing and the pictures as they were."""
    from mutagen.mp4 import MP4
    photo = base64.b64encode(located_jpeg()).decode()
    css = f".banner {{ background: url(data:image/jpeg;base64,{photo}) }}\n"
    made = {"clip.mp4": movie(quicktime=False), "clip.mov": movie(quicktime=True), "photo.jxl": jpeg_xl(),
            "drawing.svg": inkscape_svg(located_jpeg()), "banner.css": css.encode()}
    for name in ("clip.mp4", "clip.mov"):
        written = MP4(io.BytesIO(made[name]))
        assert name == "clip.mov" or written.tags, name   # the premise: mutagen reads the title
    root = project_factory({**{f"themes/default/static/{name}": data for name, data in made.items()},
                            "themes/default/print/css/epub.css": css})
    run = foundry("build", "--only", "html,epub", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    assets = root / "build/site/assets"
    for name in ("clip.mp4", "clip.mov"):
        data = (assets / name).read_bytes()
        assert b"SECRET" not in data and b"+51.4772" not in data and b"quicktime.location" not in data, name
        assert struct.pack(">I", SECRET_TIME) not in data, name
        assert len(data) == len(made[name]) and data.endswith(box(b"mdat", SAMPLES)), name
        (offset,) = struct.unpack_from(">I", data, data.index(b"stco") + 12)
        assert data[offset:offset + len(SAMPLES)] == SAMPLES, name   # the sample table still points at it
        published = MP4(io.BytesIO(data))
        assert not published.tags and published.info.length == 2.0, name
    jxl = (assets / "photo.jxl").read_bytes()
    assert b"SECRET" not in jxl and jxl.startswith(JXL_SIGNATURE) and jxl.endswith(box(b"jxlc", CODESTREAM))
    svg = (assets / "drawing.svg").read_bytes()
    assert b"SECRET" not in svg and b"metadata" not in svg, svg[:400]
    drawing = etree.fromstring(svg)
    assert drawing.tag == "{http://www.w3.org/2000/svg}svg" and drawing.get("width") == "40"
    for what, holder in (("the SVG's photo", svg), ("the site stylesheet's photo", (assets / "banner.css").read_bytes()),
                         ("the EPUB stylesheet's photo",
                          zipfile.ZipFile(root / "build/epub/compendium.epub").read("EPUB/style/book.css"))):
        (picture,) = embedded_pictures(holder)
        assert_clean_picture(picture, what)


def test_a_movie_cut_off_at_its_end_is_published_without_where_it_was_taken(project_factory):
    """An MP4 whose last box (its samples, mdat) is cut off — a recording stopped by a full
    card, a copy interrupted — was copied byte for byte with its location, make, title
    and recording times: the HEIF pass before the movie's gave up at the cut and the
    whole file was kept, though its moov (before the cut) was read whole. Its tags are
    freed as far as the file is read, the bytes otherwise as they were."""
    whole = movie(quicktime=False)
    cut = whole[:-len(SAMPLES) // 2]
    root = project_factory({"themes/default/static/clip.mp4": cut})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    data = (root / "build/site/assets/clip.mp4").read_bytes()
    assert b"SECRET" not in data and b"+51.4772" not in data and struct.pack(">I", SECRET_TIME) not in data
    assert len(data) == len(cut) and data.endswith(cut[-len(SAMPLES) // 2:])


def test_a_photo_pasted_into_a_template_is_published_without_where_it_was_taken(project_factory):
    """A project's site template and EPUB template may write a photo as a data: URI
    (pasted from an editor, its base64 wrapped over lines): every hero page and every
    EPUB chapter drawn with it carried its EXIF GPS position and owner as written. The
    picture is given as a theme's picture file is (over as many lines)."""
    photo = base64.encodebytes(located_jpeg()).decode()
    seal = f'<img class="seal" alt="" src="data:image/jpeg;base64,{photo}">\n'
    site = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    epub = (REPO / "themes/default/print/templates/epub/hero.html.j2").read_text(encoding="utf-8")
    site = site.replace("{% block main %}\n", "{% block main %}\n" + seal, 1)
    root = project_factory({"themes/default/templates/hero.html": site,
                            "themes/default/print/templates/epub/hero.html.j2": seal + epub})
    run = foundry("build", "--only", "html,epub", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    page = (root / "build/site/heroes/first-hero.html").read_bytes()
    chapter = zipfile.ZipFile(root / "build/epub/compendium.epub").read("EPUB/hero-first-hero.xhtml")
    for what, holder in (("the hero page's photo", page), ("the EPUB chapter's photo", chapter)):
        (picture,) = embedded_pictures(holder)
        assert_clean_picture(picture, what)


def test_a_photo_in_an_unquoted_attribute_is_published_without_where_it_was_taken(project_factory):
    """`<img src=data:image/jpeg;base64,… width=40>` (an unquoted attribute, as HTML
    minifiers write it): the payload was read on through the space to `width=40`, which
    is no base64, so the photo went out as written, its GPS position on every hero page.
    A payload runs on over line breaks only (an editor's wrapping); the attribute after
    it, on its line or the next, stays as written."""
    photo = base64.b64encode(located_jpeg()).decode()
    seal = (f'<img class=seal alt="" src=data:image/jpeg;base64,{photo} width=40>\n'
            f'<img class=seal alt="" src=data:image/jpeg;base64,{photo}\n     height=20>\n')
    site = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    site = site.replace("{% block main %}\n", "{% block main %}\n" + seal, 1)
    root = project_factory({"themes/default/templates/hero.html": site})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    page = etree.HTML((root / "build/site/heroes/first-hero.html").read_bytes())
    first, second = page.xpath("//img[@class='seal']")
    assert first.get("width") == "40" and second.get("height") == "20"
    for img in (first, second):
        source = img.get("src")
        assert source.startswith("data:image/jpeg;base64,")
        assert_clean_picture(base64.b64decode(re.sub(r"\s", "", source.split(",", 1)[1])), "the unquoted photo")


def tagged_sounds() -> dict[str, bytes]:
    """A quiet tone as a recording app or an editor saves it: an Ogg Vorbis file with
    comments, an MP3 with an ID3 tag, a FLAC with comments and a cover picture (a photo
    with its own EXIF GPS position), an AIFF with an ID3 chunk and its own text chunks
    (NAME, AUTH, ANNO, as a DAW or Apple's recorders write them) around its samples."""
    import mutagen
    import numpy as np
    import soundfile
    from mutagen.flac import Picture
    from mutagen.id3 import TPE1
    tone = (0.2 * np.sin(2 * np.pi * 330 * np.linspace(0, 0.3, 4800, endpoint=False))).astype("float32")
    made = {}
    for name, fmt, subtype in (("chime.ogg", "OGG", "VORBIS"), ("chime.mp3", "MP3", "MPEG_LAYER_III"),
                               ("chime.flac", "FLAC", "PCM_16")):
        buffer = io.BytesIO()
        soundfile.write(buffer, tone, 16_000, format=fmt, subtype=subtype)
        buffer.seek(0)
        found = mutagen.File(buffer)
        if found.tags is None:
            found.add_tags()
        if name.endswith(".mp3"):
            found.tags.add(TPE1(encoding=3, text="SECRET actor"))
        else:
            found.tags["ARTIST"], found.tags["LOCATION"] = "SECRET actor", "SECRET 51.4772 N"
        if name.endswith(".flac"):
            cover = Picture()
            cover.type, cover.mime, cover.data = 3, "image/jpeg", located_jpeg()
            found.add_picture(cover)
        buffer.seek(0)
        found.save(buffer)
        made[name] = buffer.getvalue()
        assert b"SECRET" in made[name], name   # the premise
    buffer = io.BytesIO()
    soundfile.write(buffer, tone, 16_000, format="AIFF", subtype="PCM_16")
    aiff = buffer.getvalue()
    text = b"".join(kind + struct.pack(">I", len(body)) + body + b"\0" * (len(body) & 1)
                    for kind, body in ((b"NAME", b"SECRET take"), (b"AUTH", b"SECRET actor"),
                                       (b"ANNO", b"recorded at SECRET 51.4772 N"),
                                       (b"ID3 ", b"ID3\x03\x00\x00\x00\x00\x00\x0cTPE1\x00\x00\x00\x02\x00\x00\x00S")))
    at = aiff.index(b"SSND")   # before the samples, as editors put them
    body = aiff[8:at] + text + aiff[at:]
    made["chime.aiff"] = b"FORM" + struct.pack(">I", len(body)) + body
    assert made["chime.aiff"].count(b"SECRET") == 3   # the premise
    return made


def comment_cut_short(ogg: bytes) -> bytes:
    """`ogg` (an Ogg Vorbis file) with its comment header ending after its one comment,
    without the framing bit a Vorbis comment header ends with (a crafted or damaged file:
    mutagen raises IndexError reading it)."""
    from mutagen.ogg import OggPage
    source, pages = io.BytesIO(ogg), []
    while True:
        try:
            pages.append(OggPage(source))
        except EOFError:
            break
    comment = b"ARTIST=SECRET actor"
    for page in pages:
        page.packets = [b"\x03vorbis" + struct.pack("<I", 4) + b"Xiph" + struct.pack("<II", 1, len(comment)) + comment
                        if packet.startswith(b"\x03vorbis") else packet for packet in page.packets]
    return b"".join(page.write() for page in pages)


def test_a_themes_sounds_and_a_stylesheet_beginning_like_a_movie_are_published_without_their_metadata(project_factory):
    """A project theme's static sound files (a page's chime, an ambience) were copied
    byte for byte, with who recorded them and where: an Ogg's comments, an MP3's ID3
    tag, a FLAC's comments and its cover photo's GPS position (voice-over clips lost
    theirs; a theme's did not go through the same stripper). And a stylesheet whose
    bytes 4-8 read 'skip' ('/*! skip-link */') was taken for a QuickTime movie without
    ftyp: nothing to free in it, it was given back as a movie and never read as text, so
    the photo it embeds as a data: URI went out with its GPS position. Each sound is
    published with the same samples and no tags; the stylesheet's photo without EXIF.
    A sound file mutagen cannot read (a comment header cut short: IndexError) does not
    stop the build; it is published as written, a browser judging it."""
    import soundfile
    photo = base64.b64encode(located_jpeg()).decode()
    sheets = {f"{word}.css": f"{head}\n.banner {{ background: url(data:image/jpeg;base64,{photo}) }}\n".encode()
              for word, head in (("skip", "/*! skip-link */"), ("wide", "/** wide screens */"),
                                 ("ftyp", "/*  ftyp */"))}
    sounds = tagged_sounds()
    broken = comment_cut_short(sounds["chime.ogg"])
    root = project_factory({f"themes/default/static/{name}": data
                            for name, data in {**sounds, **sheets, "broken.ogg": broken}.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "Traceback" not in run.stderr, run.stdout[-3000:] + run.stderr
    assert (root / "build/site/assets/broken.ogg").read_bytes() == broken
    assets = root / "build/site/assets"
    for name, data in sounds.items():
        out = (assets / name).read_bytes()
        assert b"SECRET" not in out and b"+51.4772" not in out, name
        sound, rate = soundfile.read(io.BytesIO(out))
        written, written_rate = soundfile.read(io.BytesIO(data))
        assert rate == written_rate and (sound == written).all(), name
    for name in sheets:
        (picture,) = embedded_pictures((assets / name).read_bytes())
        assert_clean_picture(picture, name)


CAPTION = b"\x00\x0bHello there"


def telemetry_movie() -> bytes:
    """An action camera's or a drone's MP4: a video track, a GoPro-style GPS track
    (handler meta, sample entry gpmd: two samples in one chunk), a drone's subtitle
    track writing its position as text (DJI's form, tx3g), and a film's own captions
    (a text track naming no position), each track's samples in mdat where its sample
    table (stsz, stsc, stco) points."""
    gps = [b"GPS5SECRET-51.4772", b"GPSUSECRET-261203"]
    dji = [b"\x00\x2cF/2.8, ISO 100, GPS (8.6418, 49.8032, 20) SECRET"]
    video = [b"VIDEO-FRAME-0001"]
    tracks = [(b"vide", b"avc1", video), (b"meta", b"gpmd", gps), (b"sbtl", b"tx3g", dji), (b"sbtl", b"tx3g", [CAPTION])]
    head = box(b"ftyp", b"isom" + bytes(4) + b"isommp41")

    def moov(offsets: list[int]) -> bytes:
        traks = b""
        for (handler, entry, samples), offset in zip(tracks, offsets):
            stsd = full(b"stsd", struct.pack(">I", 1) + box(entry, bytes(8)))
            stsz = full(b"stsz", struct.pack(">II", 0, len(samples)) + b"".join(struct.pack(">I", len(s)) for s in samples))
            stsc = full(b"stsc", struct.pack(">IIII", 1, 1, len(samples), 1))
            stco = full(b"stco", struct.pack(">II", 1, offset))
            hdlr = full(b"hdlr", bytes(4) + handler + bytes(12) + b"\0")
            mdhd = full(b"mdhd", bytes(8) + struct.pack(">II", 1000, 2000) + bytes(4))
            traks += box(b"trak", full(b"tkhd", bytes(80)) + box(b"mdia", mdhd + hdlr + box(b"minf", box(
                b"stbl", stsd + stsz + stsc + stco))))
        return box(b"moov", full(b"mvhd", bytes(8) + struct.pack(">II", 1000, 2000) + bytes(80)) + traks)

    offsets, at = [], len(head) + len(moov([0] * len(tracks))) + 8
    for _, _, samples in tracks:
        offsets.append(at)
        at += sum(map(len, samples))
    return head + moov(offsets) + box(b"mdat", b"".join(b"".join(samples) for _, _, samples in tracks))


def test_a_cameras_gps_track_and_a_drones_gps_subtitles_are_published_without_the_positions(project_factory):
    """A GoPro writes its GPS fixes as a track of their own (gpmd), a drone as subtitles
    ('GPS (8.6418, 49.8032, 20)' a frame): samples in mdat, beside the video's, which
    the tag boxes' freeing never touched, so a theme's action-camera clip published
    where it was filmed, second by second (the last session left it). Those samples are
    zeroed in place (the file's length and every offset as they were), the video's
    frame and a film's own captions kept."""
    from mutagen.mp4 import MP4
    made = telemetry_movie()
    assert MP4(io.BytesIO(made)).info.length == 2.0   # the premise: a movie a player reads
    root = project_factory({"themes/default/static/flight.mp4": made})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    data = (root / "build/site/assets/flight.mp4").read_bytes()
    assert b"SECRET" not in data and b"49.8032" not in data and len(data) == len(made)
    assert b"VIDEO-FRAME-0001" in data and CAPTION in data
    assert MP4(io.BytesIO(data)).info.length == 2.0
    assert data[:data.index(b"mdat")] == made[:made.index(b"mdat")]   # the sample tables as written


def located_pdf(title: str | None = None) -> bytes:
    """A handout as an office suite exports one: its author and software in /Info, an
    XMP packet on the catalog, an application's /PieceInfo on the page, and the page's
    photo a JPEG with its EXIF GPS position, drawn full-page."""
    import pikepdf
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(40, 20))
    page = pdf.pages[0]
    photo = pikepdf.Stream(pdf, located_jpeg(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=40,
                           Height=20, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8,
                           Filter=pikepdf.Name.DCTDecode)
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=photo))
    page.Contents = pikepdf.Stream(pdf, b"q 40 0 0 20 0 0 cm /Im0 Do Q")
    page.PieceInfo = pikepdf.Dictionary(Editor=pikepdf.Dictionary(Private=pikepdf.String("SECRET session")))
    pdf.docinfo["/Author"] = "SECRET author"
    if title is not None:
        pdf.docinfo["/Title"] = title
    pdf.Root.Metadata = pikepdf.Stream(pdf, b"<x:xmpmeta><dc:creator>SECRET xmp</dc:creator></x:xmpmeta>")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, fix_metadata_version=False)
    return out.getvalue()


def test_a_themes_pdf_is_published_without_who_made_it_or_where_its_photo_was_taken(project_factory):
    """A PDF in a theme's static files (a handout, a map to print) was copied byte for
    byte: its author in /Info, its XMP, an editor's /PieceInfo, and its photo's EXIF
    with the GPS position (a PDF holds a JPEG as written). It is published without
    them, its page and its picture as drawn."""
    import pikepdf
    made = located_pdf()
    for secret in (b"SECRET author", b"SECRET xmp", b"SECRET session", b"SECRET owner"):   # the premise
        assert secret in made, secret
    # a title is kept (a reader's tab shows it, else the file's name: the last session
    # dropped it with the author); a title that is the owner's path is not
    titled = {"handout.pdf": (None, None), "mill.pdf": ("The old mill \u2014 a handout", "The old mill \u2014 a handout"),
              "printed.pdf": ("C:\\Users\\SECRET\\Documents\\mill.docx", None)}
    root = project_factory({f"themes/default/static/{name}": located_pdf(title) for name, (title, _) in titled.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    for name, (_, kept) in titled.items():
        data = (root / "build/site/assets" / name).read_bytes()
        assert b"SECRET" not in data and b"xmpmeta" not in data, name
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1 and "/Metadata" not in pdf.Root, name
            assert dict(pdf.docinfo.items()) == ({"/Title": kept} if kept else {}), name
            image = pdf.pages[0].Resources.XObject.Im0
            picture = image.read_raw_bytes()
        assert_clean_picture(picture, f"{name}'s photo")


def ebml(ident: int, body: bytes, unknown: bool = False) -> bytes:
    """An EBML element: its ID (marker kept), an 8-byte size (all ones: unknown), its body."""
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown else b"\x01" + len(body).to_bytes(7, "big")
    return ident.to_bytes((ident.bit_length() + 7) // 8, "big") + size + body


def located_webm() -> tuple[bytes, list[tuple[int, int]]]:
    """A WebM as a browser's MediaRecorder writes one (a segment and a first cluster of
    unknown size), converted by ffmpeg from a phone's clip: its location and the phone in
    Tags, a cover picture (a photo with EXIF GPS) in Attachments, a Title and the
    recording's DateUTC in Info. And the (start, end) of each of those elements."""
    header = ebml(0x1A45DFA3, ebml(0x4282, b"webm"))
    title, date = ebml(0x7BA9, b"SECRET title"), ebml(0x4461, (123456789).to_bytes(8, "big"))
    info_head = ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) + ebml(0x4D80, b"Lavf") + ebml(0x5741, b"Lavf")
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, b"\x01") + ebml(0x83, b"\x01") + ebml(0x86, b"V_VP8")))
    tags = ebml(0x1254C367, ebml(0x7373, ebml(0x67C8, ebml(0x45A3, b"LOCATION") + ebml(0x4487, b"+51.4772-000.0011/ SECRET"))))
    cover = ebml(0x1941A469, ebml(0x61A7, ebml(0x466E, b"cover.jpg") + ebml(0x4660, b"image/jpeg")
                                    + ebml(0x465C, located_jpeg())))
    first = ebml(0x1F43B675, ebml(0xE7, b"\x00") + ebml(0xA3, b"\x81\x00\x00\x80FRAME-ONE"), unknown=True)
    second = ebml(0x1F43B675, ebml(0xE7, b"\x10") + ebml(0xA3, b"\x81\x00\x00\x80FRAME-TWO"))
    cues = ebml(0x1C53BB6B, ebml(0xBB, ebml(0xB3, b"\x00")))
    info = ebml(0x1549A966, info_head + title + date)
    body = info + tracks + tags + cover + first + second + cues
    segment = ebml(0x18538067, body, unknown=True)
    data = header + segment
    at = len(header) + len(segment) - len(body)
    info_at = at + len(info) - len(title + date)
    spans = [(info_at, info_at + len(title)), (info_at + len(title), info_at + len(title + date))]
    tags_at = at + len(info + tracks)
    spans += [(tags_at, tags_at + len(tags)), (tags_at + len(tags), tags_at + len(tags + cover))]
    return data, spans


def published_as(project_factory, made: bytes, *names: str) -> dict[str, bytes]:
    """`made` put in a theme's static files under each of `names`, and what build --only
    html publishes of each."""
    root = project_factory({f"themes/default/static/{name}": made for name in names})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    return {name: (root / "build/site/assets" / name).read_bytes() for name in names}


def test_a_themes_webm_is_published_without_where_it_was_taken(project_factory):
    """A WebM or MKV in a theme's static files (a background video) was copied byte for
    byte: its Tags (ffmpeg copies a phone clip's location there), an attached cover
    photo with its EXIF GPS position, its Title and when it was recorded (the last
    session left 'Matroska/WebM tags not stripped'). Each becomes a Void element of the
    same length, zeroed, so the frames and every position in the file are as they were;
    a live recording's cluster of unknown size is read through too."""
    made, spans = located_webm()
    assert made.count(b"SECRET") == 4   # title, location, the cover's EXIF (owner, place)
    for name, data in published_as(project_factory, made, "loop.webm", "loop.mkv").items():
        assert b"SECRET" not in data and b"+51.4772" not in data and len(data) == len(made), name
        kept = 0
        for start, end in spans:
            assert data[start] == 0xEC and data[start + 1:end] != made[start + 1:end], (name, start)
            size = int.from_bytes(data[start + 2:start + 9], "big") if data[start + 1] == 1 else data[start + 1] & 0x7F
            assert end - start == size + (9 if data[start + 1] == 1 else 2), (name, start)   # a Void of the same length
            assert data[kept:start] == made[kept:start], (name, kept)   # everything else as written
            kept = end
        assert data[kept:] == made[kept:] and b"FRAME-ONE" in data and b"FRAME-TWO" in data, name


def commented_icon() -> bytes:
    """A favicon as an editor or ImageMagick writes one from a photo: an ICO of two PNG
    pictures (16 and 32 px), each with text chunks (a comment naming its owner, the
    photo's EXIF kept as ImageMagick's raw profile)."""
    from PIL import PngImagePlugin
    pictures = []
    for size, colour in ((16, (255, 0, 0, 255)), (32, (0, 0, 255, 255))):
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "SECRET owner")
        info.add_text("Raw profile type exif", "SECRET gps")
        out = io.BytesIO()
        Image.new("RGBA", (size, size), colour).save(out, "PNG", pnginfo=info)
        pictures.append((size, out.getvalue()))
    at, entries = 6 + 16 * len(pictures), b""
    for size, picture in pictures:
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(picture), at)
        at += len(picture)
    return struct.pack("<HHH", 0, 1, len(pictures)) + entries + b"".join(picture for _, picture in pictures)


def test_a_themes_favicon_is_published_without_its_pictures_metadata(project_factory):
    """A theme's favicon.ico was copied byte for byte: an ICO is no picture Pillow is
    asked to read (PNG, JPEG, WebP) nor one metadata_chunks knew, so the PNG pictures
    inside it kept their text chunks (an owner's name, a photo's EXIF as a raw
    profile). Each is stripped as a PNG is, the icon's directory written again: the
    same sizes and colours."""
    made = commented_icon()
    root = project_factory({"themes/default/static/favicon.ico": made})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    data = (root / "build/site/assets/favicon.ico").read_bytes()
    assert b"SECRET" not in data
    with Image.open(io.BytesIO(data)) as icon:
        assert icon.format == "ICO" and icon.info["sizes"] == {(16, 16), (32, 32)}
        for size, colour in (((16, 16), (255, 0, 0, 255)), ((32, 32), (0, 0, 255, 255))):
            icon.size = size
            icon.load()
            assert icon.convert("RGBA").getpixel((5, 5)) == colour, size


def located_png(size: int = 64) -> bytes:
    """A PNG of noise (so its image data is long) with an eXIf chunk before it holding
    Orientation 6 beside a GPS position, as a phone's PNG export writes it."""
    import random
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 38.0), 0x1B: b"ASCII\0\0\0SECRET place"}
    noise = random.Random(size).randbytes(size * size * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), noise).save(out, "PNG", exif=exif.tobytes())
    data = out.getvalue()
    assert data.index(b"eXIf") < data.index(b"IDAT") and b"SECRET" in data   # the premise
    return data


def icon_of(*pictures: tuple[int, bytes, int]) -> bytes:
    """An ICO whose entries name (size, picture bytes, which of the pictures' bytes)."""
    kept = []
    for _, picture, _ in pictures:
        if picture not in kept:
            kept.append(picture)
    start = 6 + 16 * len(pictures)
    offsets = [start + sum(len(p) for p in kept[:n]) for n in range(len(kept))]
    entries = b"".join(struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(picture), offsets[kept.index(picture)])
                       for size, picture, _ in pictures)
    return struct.pack("<HHH", 0, 1, len(pictures)) + entries + b"".join(kept)


def cut_off_pictures() -> dict[str, bytes]:
    png, small = located_png(), located_png(16)
    gif = io.BytesIO()
    Image.frombytes("L", (64, 64), png[-4096:]).save(gif, "GIF", comment=b"SECRET owner")
    two = icon_of((16, small, 0), (64, png, 1))
    return {"cut.png": png[:len(png) * 2 // 3], "cut.gif": gif.getvalue()[:-200],
            "cut.ico": two[:-500], "shared.ico": icon_of((16, small, 0), (32, small, 0)),
            # cut where its last picture begins; a writer's zeros after the last image
            "cut-between.ico": two[:6 + 32 + len(small)], "padded.gif": gif.getvalue()[:-1] + bytes(8) + b";"}


def metafile_of(photo: bytes, piece: int = 1000) -> bytes:
    """An EMF as GDI+ writes a drawing holding `photo`: its header record, an EMF+
    comment record with the EMF+ header, then the photo as an EmfPlusObject Image
    (bitmap, compressed: the file's bytes) split in continued records of `piece`
    bytes, each in a comment record of its own, then EOF."""
    def record(kind: int, body: bytes) -> bytes:
        body += bytes(-len(body) % 4)
        return struct.pack("<II", kind, 8 + len(body)) + body

    def plus(kind: int, flags: int, body: bytes) -> bytes:
        return record(70, struct.pack("<I", 4 + 12 + len(body)) + b"EMF+"
                      + struct.pack("<HHII", kind, flags, 12 + len(body), len(body)) + body)
    head = record(1, bytes(32) + b" EMF" + struct.pack("<I", 0x10000) + bytes(60))   # its signature at byte 40
    assert head[40:44] == b" EMF"
    image = struct.pack("<IIiiiII", 0xDBC01002, 1, 40, 20, 0, 0x26200A, 1) + photo
    parts = [image[n:n + piece] for n in range(0, len(image), piece)]
    objects = b"".join(plus(0x4008, 0x8000 | (5 << 8), struct.pack("<I", len(image)) + part) for part in parts)
    return head + plus(0x4001, 0, struct.pack("<IIII", 0xDBC01002, 0, 96, 96)) + objects + record(14, bytes(12))


@pytest.fixture(scope="module")
def published_files(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(made, published): the cut-off pictures, the Word 97 handouts and the drawing
    of the tests below, published by one build (each test reads its own)."""
    made = {**cut_off_pictures(), "mill.doc": authored_doc(), "mill.ppt": saved_deck(), "mill.xls": saved_workbook(),
            # 60 UTF-16 letters: the record's 109 bytes end in half of the 55th
            "mill-wide.xls": saved_workbook("SECRET Bob " * 6, wide=True),
            "mill-unpadded.xls": saved_workbook("Bob SECRET", padded=False),
            "mill.emz": gzipped(metafile_of(located_jpeg(), piece=100), "SECRET-mill.emf"),
            "mill.svgz": gzipped(SAVED_SVG, "SECRET-mill.svg"),
            "mill.docx": zipped([("[Content_Types].xml", b"<Types/>"),
                                 ("word/embeddings/oleObject1.bin", authored_doc()),
                                 ("word/media/image1.emf", metafile_of(located_jpeg(), piece=100))])}
    root = write_project(tmp_path_factory.mktemp("published") / "proj",
                         {f"themes/default/static/{name}": data for name, data in made.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "Traceback" not in run.stderr, run.stdout[-3000:] + run.stderr
    return made, {name: (root / "build/site/assets" / name).read_bytes() for name in made}


def test_a_cut_off_picture_or_icon_is_published_without_where_it_was_taken(published_files):
    """A theme's picture cut off by an interrupted upload (a browser shows what arrived;
    HF0703 tells the writer) was published as written, its metadata and all: a PNG's
    eXIf with its GPS position before the image data, a GIF's comment, and a favicon
    whose last PNG is cut off. So was an icon whose two entries name one PNG (its
    pictures' bytes read twice looked like a crafted file), an icon cut off where its
    last picture begins and a GIF with bytes of no block after its image (a writer's
    padding: browsers end the GIF there). Each loses its metadata as a whole one does;
    the image data is kept as far as it goes (the file ends as it did) and the
    Orientation a browser turns a PNG by is kept."""
    made, published = published_files
    made = {name: made[name] for name in cut_off_pictures()}
    small = located_png(16)
    assert all(b"SECRET" in data for data in made.values())   # the premise
    for name in made:
        data = published[name]
        assert b"SECRET" not in data, name
        if name not in ("shared.ico", "cut-between.ico", "padded.gif"):
            assert data[-150:] == made[name][-150:], name   # the picture as far as it went
    with Image.open(io.BytesIO(published["padded.gif"])) as shown, Image.open(io.BytesIO(made["padded.gif"])) as gif:
        assert shown.tobytes() == gif.tobytes() and published["padded.gif"].endswith(b"\0;")
    assert published["cut.png"].count(b"eXIf") == 1   # its Orientation, alone
    icon = published["shared.ico"]
    entries = [struct.unpack_from("<II", icon, 6 + 16 * n + 8) for n in range(2)]
    assert entries[0] == entries[1] and sum(entries[0]) == len(icon)   # both name its one picture
    with Image.open(io.BytesIO(icon[entries[0][1]:])) as picture:
        assert picture.size == (16, 16) and picture.getexif().get(0x0112) == 6
        assert picture.tobytes() == Image.open(io.BytesIO(small)).tobytes()


def test_a_photo_joined_to_its_data_address_by_an_expression_is_published_without_where_it_was_taken(project_factory):
    """A template keeping a photo's base64 in a variable and writing it after its
    `data:image/jpeg;base64,` ('{% set seal = "…" %}…src="data:image/jpeg;base64,{{ seal }}"'),
    and a theme script joining the two ('img.src = "data:image/jpeg;base64," + seal'): the
    payload follows no data: address in the file, so it was published as written, the
    photo's GPS position on every hero page and in the script (the last session left
    'data: pictures a template builds from expressions'). A picture's base64 in a string
    literal is given as a data: picture is; another quoted run (a hash) stays as written."""
    photo = base64.b64encode(located_jpeg()).decode()
    digest = "A" * 63 + "B"   # 64 base64 letters that are no picture
    seal = (f'{{% set seal = "{photo}" %}}{{% set digest = "{digest}" %}}'
            '<img class="seal" alt="" data-digest="{{ digest }}" src="data:image/jpeg;base64,{{ seal }}">\n')
    script = f'const seal = "{photo}";\nconst digest = \'{digest}\';\nimg.src = "data:image/jpeg;base64," + seal;\n'
    site = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    site = site.replace("{% block main %}\n", "{% block main %}\n" + seal, 1)
    root = project_factory({"themes/default/templates/hero.html": site, "themes/default/static/seal.js": script})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    page = etree.HTML((root / "build/site/heroes/first-hero.html").read_bytes())
    (img,) = page.xpath("//img[@class='seal']")
    assert img.get("data-digest") == digest
    assert_clean_picture(base64.b64decode(img.get("src").split(",", 1)[1]), "the page's photo")
    published = (root / "build/site/assets/seal.js").read_text()
    assert digest in published
    (literal,) = [run for run in re.findall(r"[A-Za-z0-9+/=]{200,}", published)]
    assert_clean_picture(base64.b64decode(literal), "the script's photo")


def test_a_pdf_whose_streams_inflate_past_the_budget_is_not_opened(monkeypatch):
    """qpdf inflates a PDF's object streams (and any Flate stream it rewrites) whole: a
    theme's 16 MB PDF of deflated zeros would have been some 16 GB in memory. Streams
    that inflate past MAX_INFLATED in all (counted a piece at a time, nothing kept)
    leave the file as it is; one within it is stripped (the budget made small here)."""
    import zlib

    import pikepdf

    from pipeline.load import pdf_metadata
    monkeypatch.setattr(pdf_metadata, "MAX_INFLATED", 4 << 20)
    within = located_pdf()
    assert b"SECRET" not in pdf_metadata.pdf_without_metadata(within)
    with pikepdf.open(io.BytesIO(within)) as pdf:
        pdf.pages[0].Contents = pikepdf.Stream(pdf, zlib.compress(bytes(5 << 20), 9), Filter=pikepdf.Name.FlateDecode)
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    bomb = out.getvalue()
    assert len(bomb) < len(within) + 64 * 1024 and pdf_metadata.pdf_without_metadata(bomb) is bomb


def fragmented_movie() -> tuple[bytes, list[bytes]]:
    """A fragmented MP4 as a streaming camera or an encoder for the web writes one: moov
    holds each track's description and empty sample tables (and mvex/trex, the default
    sample size), and each moof lists its fragments' samples (traf: tfhd, trun) in the
    mdat after it. Track 1 is the video, 2 a GoPro-style GPS track (gpmd), 3 a drone's
    GPS subtitles, 4 a film's own captions. Each fragment says where its data lies in
    another of the ways the standard allows: the first by a trun data offset from the
    moof, the second by tfhd's explicit base offset, the third running on from the
    previous traf's data with trex's default size. A producer time (prft: the wall
    clock), a timed ID3 event (emsg) and a udta in the moof say when and who. Gives the
    file and the bytes that must not survive."""
    gps = [b"GPS5SECRET-51.4772", b"GPSUSECRET-261203"]
    dji = b"GPS (8.6418, 49.8032, 20) SECRET"
    video = [b"VIDEO-FRAME-0001"]
    tracks = [(1, b"vide", b"avc1"), (2, b"meta", b"gpmd"), (3, b"sbtl", b"tx3g"), (4, b"sbtl", b"tx3g")]
    traks = b""
    for track, handler, entry in tracks:
        stbl = box(b"stbl", full(b"stsd", struct.pack(">I", 1) + box(entry, bytes(8))) + full(b"stsz", bytes(8))
                   + full(b"stsc", bytes(4)) + full(b"stco", bytes(4)))
        tkhd = full(b"tkhd", bytes(8) + struct.pack(">I", track) + bytes(68))
        hdlr = full(b"hdlr", bytes(4) + handler + bytes(12) + b"\0")
        mdhd = full(b"mdhd", bytes(8) + struct.pack(">II", 1000, 0) + bytes(4))
        traks += box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + box(b"minf", stbl)))
    mvex = box(b"mvex", b"".join(full(b"trex", struct.pack(">IIIII", t, 1, 1000, len(dji) if t == 3 else 0, 0))
                                 for t, _, _ in tracks))
    head = box(b"ftyp", b"iso6" + bytes(4) + b"iso6dash") + box(
        b"moov", full(b"mvhd", bytes(8) + struct.pack(">II", 1000, 0) + bytes(80)) + traks + mvex)
    head += full(b"prft", struct.pack(">IQQ", 1, 0xE7A1B2C3D4E5F607, 0))
    head += full(b"emsg", b"https://aomedia.org/emsg/ID3\0\0" + struct.pack(">IIII", 1000, 0, 0, 1) + b"ID3 SECRET owner")

    def trun(sizes: list[int], offset: int) -> bytes:
        """Sizes given per sample (0x200) and a data offset (0x1)."""
        return box(b"trun", b"\x00\x00\x02\x01" + struct.pack(">Ii", len(sizes), offset)
                   + b"".join(struct.pack(">I", n) for n in sizes))

    def tfhd(track: int, flags: int, extra: bytes = b"") -> bytes:
        return box(b"tfhd", bytes([0]) + flags.to_bytes(3, "big") + struct.pack(">I", track) + extra)

    def fragment(at: int, base_explicit: bool) -> bytes:
        """One moof and its mdat, the moof beginning at file offset `at`."""
        def moof(data_at: int) -> bytes:
            if base_explicit:   # tfhd's base data offset: the mdat's body, each trun from there
                video_traf = box(b"traf", tfhd(1, 0x1, struct.pack(">Q", data_at)) + trun([16], 0))
                gps_traf = box(b"traf", tfhd(2, 0x1, struct.pack(">Q", data_at)) + trun([18, 17], 16))
            else:               # default-base-is-moof: each trun's offset from the moof's start
                video_traf = box(b"traf", tfhd(1, 0x20000) + trun([16], data_at - at))
                gps_traf = box(b"traf", tfhd(2, 0x20000) + trun([18, 17], data_at - at + 16))
            # no base, no data offset: the subtitle runs on after the previous traf's data, trex's size
            dji_traf = box(b"traf", tfhd(3, 0) + full(b"trun", struct.pack(">I", 1)))
            caption_traf = box(b"traf", tfhd(4, 0x10, struct.pack(">I", len(CAPTION))) + full(b"trun", struct.pack(">I", 1)))
            udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", 18, 0x15C7) + b"+51.4772-000.0011/"))
            return box(b"moof", full(b"mfhd", struct.pack(">I", 1)) + video_traf + gps_traf + dji_traf + caption_traf + udta)
        size = len(moof(0))
        return moof(at + size + 8) + box(b"mdat", b"".join(video + gps) + dji + CAPTION)
    first = fragment(len(head), base_explicit=False)
    second = fragment(len(head) + len(first), base_explicit=True)
    return head + first + second, [b"SECRET", b"49.8032", b"+51.4772", bytes.fromhex("E7A1B2C3D4E5F607")]


def test_a_fragmented_movies_gps_samples_and_tags_are_published_without_the_positions(project_factory):
    """A fragmented MP4 (what a streaming camera, OBS or an encoder for the web writes)
    lists its samples in each fragment (moof/traf/trun), not in moov's sample tables:
    the telemetry tracks' zeroing followed the tables only, so a theme's fragmented
    action-camera clip published its GPS track and a drone's GPS subtitles, as did a
    fragment's udta, its timed ID3 event (emsg) and the producer's wall clock (prft)
    (the last session left 'fragmented MP4'). Those are zeroed in place: the video's
    frames and a film's own captions kept, every box where it was."""
    made, secrets = fragmented_movie()
    for secret in secrets:   # the premise
        assert secret in made, secret
    root = project_factory({"themes/default/static/stream.mp4": made})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    data = (root / "build/site/assets/stream.mp4").read_bytes()
    for secret in secrets:
        assert secret not in data, secret
    assert len(data) == len(made) and data.count(b"VIDEO-FRAME-0001") == 2 and data.count(CAPTION) == 2
    assert [m.start() for m in re.finditer(rb"moof|mdat|trun", data)] == [
        m.start() for m in re.finditer(rb"moof|mdat|trun", made)]   # every box where it was


def named_mkv() -> bytes:
    """An MKV as ffmpeg makes one from a drone's or a phone's clip: a video track named by
    its owner (ffmpeg copies an MP4 track's handler name to Name), a subtitle track of the
    drone's GPS text (one frame a SimpleBlock, one in a BlockGroup's Block), a film's own
    captions (a subtitle track naming no position), a metadata track, Chapters titled
    where it was filmed, and the segment's and the previous segment's file names."""
    header = ebml(0x1A45DFA3, ebml(0x4282, b"matroska"))
    info = ebml(0x1549A966, ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) + ebml(0x4D80, b"Lavf")
                + ebml(0x7384, b"VID_SECRET_anna.mkv") + ebml(0x3C83AB, b"VID_SECRET_0001.mkv"))

    def track(number: int, kind: int, codec: bytes, name: bytes = b"") -> bytes:
        return ebml(0xAE, ebml(0xD7, bytes([number])) + ebml(0x83, bytes([kind])) + ebml(0x86, codec)
                    + (ebml(0x536E, name) if name else b""))
    tracks = ebml(0x1654AE6B, track(1, 1, b"V_VP9", b"SECRET owner's camera") + track(2, 17, b"S_TEXT/UTF8")
                  + track(3, 17, b"S_TEXT/UTF8", b"English") + track(4, 33, b"D_GPMF"))
    chapters = ebml(0x1043A770, ebml(0x45B9, ebml(0xB6, ebml(0x73C4, b"\x01") + ebml(0x91, b"\x00")
                                                + ebml(0x80, ebml(0x85, b"SECRET home") + ebml(0x437C, b"eng")))))
    cluster = ebml(0x1F43B675, ebml(0xE7, b"\x00") + ebml(0xA3, b"\x81\x00\x00\x80FRAME-ONE")
                   + ebml(0xA3, b"\x82\x00\x00\x80GPS (8.6418, 49.8032, 20)")
                   + ebml(0xA0, ebml(0xA1, b"\x82\x00\x10\x00GPS (8.6419, 49.8033, 21)") + ebml(0x9B, b"\x10"))
                   + ebml(0xA3, b"\x83\x00\x00\x80Hello there") + ebml(0xA3, b"\x84\x00\x00\x80SECRET-TELEMETRY"))
    return header + ebml(0x18538067, info + tracks + chapters + cluster)


def test_a_matroska_movies_track_names_chapters_and_gps_subtitles_are_published_without_them(project_factory):
    """A theme's MKV or WebM kept its tracks' names (ffmpeg copies a phone clip's handler
    name there, an owner's 'Anna's iPhone'), its Chapters (titled where it was filmed),
    a drone's GPS subtitles and a metadata track's frames: only its Tags, Attachments,
    Title and date were made void (the last session left 'Matroska track names and
    chapters'). Those are Void elements of the same length now, and the telemetry
    frames zeroed in place: the video's frame and a film's own captions as written."""
    made = named_mkv()
    for secret in (b"SECRET owner", b"SECRET home", b"49.8032", b"49.8033", b"SECRET-TELEMETRY", b"VID_SECRET"):   # the premise
        assert secret in made, secret
    for name, data in published_as(project_factory, made, "flight.mkv", "flight.webm").items():
        assert b"SECRET" not in data and b"49.803" not in data and len(data) == len(made), name
        assert b"FRAME-ONE" in data and b"Hello there" in data and b"English" not in data, name   # every name: none is known to be safe
        assert [m.start() for m in re.finditer(rb"\x1f\x43\xb6\x75|\xa3\x81|\xa3\x82|\xa0\x01", data)] == [
            m.start() for m in re.finditer(rb"\x1f\x43\xb6\x75|\xa3\x81|\xa3\x82|\xa0\x01", made)], name


def test_a_photo_a_writer_pasted_into_a_field_is_published_without_where_it_was_taken(project_factory):
    """A theme joining a writer's field to a data: address
    ('<img src="data:image/jpeg;base64,{{ background|striptags|trim }}">', a hero's seal
    kept in a field) published the photo the writer pasted there with its EXIF GPS
    position and owner: the template's text holds no picture, the value comes from the
    content (the last session left '`data:` + a writer's field'). Every value a template
    prints has its pictures, bare base64 or data: addresses, given as a theme's picture
    files are; a value that is no picture is printed as it was."""
    photo = base64.b64encode(located_jpeg()).decode()
    site = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    site = site.replace("{% block main %}\n", "{% block main %}\n"
                        '<img class="seal" alt="" src="data:image/jpeg;base64,{{ background|striptags|trim }}">'
                        '<p class="mark">{{ title }}</p>\n', 1)
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    hero = hero.replace("  Rook grew up on the marsh road, where the *fog* decides who arrives.", f"  {photo}")
    root = project_factory({"themes/default/templates/hero.html": site, "content/heroes/first-hero.yaml": hero})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    page = etree.HTML((root / "build/site/heroes/first-hero.html").read_bytes())
    (img,) = page.xpath("//img[@class='seal']")
    assert_clean_picture(base64.b64decode(img.get("src").split(",", 1)[1]), "the field's photo")
    assert page.xpath("//p[@class='mark']/text()") == ["Scout of the Marsh Road"]


CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
PIFF_TRACK_ENCRYPTION = bytes.fromhex("8974dbce7be74c5184f97148f9882554")


def test_a_cameras_own_uuid_box_is_published_without_its_exif(project_factory):
    """A Canon camera's MP4 keeps its EXIF in a uuid box of its own in moov (CMT1: the
    camera's make and serial number and owner, CMT4: the GPS directory; CNTH: a thumbnail
    with EXIF): only XMP's uuid box was freed, so a theme's clip from a camera went out
    with them. Every maker's uuid box is a free box of the same size now, but for those a
    player reads (PIFF's encryption, kept byte for byte); the movie plays as it did."""
    from mutagen.mp4 import MP4
    made = movie(quicktime=False)
    cmt = box(b"CMT1", b"II*\x00" + b"SECRET serial 0123") + box(b"CMT4", b"II*\x00" + b"SECRET gps 51.4772")
    canon = box(b"uuid", CANON_UUID + box(b"CNCV", b"CanonCR3_001/00.09.00/00.00.00") + cmt + box(b"CNTH", located_jpeg()))
    piff = box(b"uuid", PIFF_TRACK_ENCRYPTION + bytes(4) + b"KEPT-KEY-ID-0001")
    at = made.index(b"moov") - 4
    (size,) = struct.unpack_from(">I", made, at)
    moov = struct.pack(">I", size + len(canon + piff)) + made[at + 4:at + size] + canon + piff
    head, tail = made[:at], made[at + size:]
    # the sample's offset (stco) moves with the larger moov: mdat follows it
    stco = moov.index(b"stco") + 8
    (offset,) = struct.unpack_from(">I", moov, stco + 4)
    moov = moov[:stco + 4] + struct.pack(">I", offset + len(canon + piff)) + moov[stco + 8:]
    made = head + moov + tail
    assert MP4(io.BytesIO(made)).info.length == 2.0 and made.count(b"SECRET") > 4   # the premise
    root = project_factory({"themes/default/static/camera.mp4": made})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    data = (root / "build/site/assets/camera.mp4").read_bytes()
    assert b"SECRET" not in data and b"Canon" not in data and len(data) == len(made)
    assert piff in data and SAMPLES in data and MP4(io.BytesIO(data)).info.length == 2.0


ADM = b"<ebuCoreMain><audioProgramme audioProgrammeName='wind'/></ebuCoreMain>"


def field_recording(kind: bytes) -> bytes:
    """A field recorder's WAV over 4 GiB as it is written (RF64, or BW64 with its ADM
    channel chunk), small: the data chunk's size as ds64's, and before the samples the
    recorder's bext (the recordist, the time), iXML (the project, the location),
    LIST/INFO and XMP (_PMX)."""
    import numpy as np
    import soundfile
    tone = (0.2 * np.sin(np.linspace(0, 90, 4800))).astype("float32")
    buffer = io.BytesIO()
    soundfile.write(buffer, tone, 16_000, format="RF64", subtype="PCM_16")
    made = buffer.getvalue()
    at = made.index(b"data")
    assert made[:4] == b"RF64" and made[at + 4:at + 8] == b"\xff" * 4   # the premise: ds64 gives its size

    def chunk(name: bytes, body: bytes) -> bytes:
        return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) & 1)

    told = (chunk(b"bext", b"SECRET recordist".ljust(256, b"\0") + b"2026-12-03")
            + chunk(b"iXML", b"<BWFXML><PROJECT>SECRET film</PROJECT><LOCATION>SECRET 51.4772 N</LOCATION></BWFXML>")
            + chunk(b"LIST", b"INFOIART" + struct.pack("<I", 14) + b"SECRET artist\0")
            + chunk(b"_PMX", b"<x:xmpmeta>SECRET xmp </x:xmpmeta>")
            + chunk(b"axml", ADM))
    body = made[8:at] + told + made[at:]
    out = kind + b"\xff" * 4 + body
    return out[:20] + struct.pack("<Q", len(out) - 8) + out[28:]


def test_a_field_recorders_rf64_and_bw64_are_published_without_who_recorded_them_and_where(project_factory):
    """A theme's ambience recorded on a field recorder is an RF64 or BW64 (a WAV whose
    sizes may pass 4 GiB: RIFF's header reads 'RF64'); untagged.py knew 'RIFF' alone and
    mutagen refuses the rest, so the file went out as written: the recordist's name and
    the time (bext), the project and the location (iXML), LIST/INFO's artist, XMP. Each
    now keeps ds64, fmt, data (and a BW64's channel chunks) and loses the others, its
    ds64 sizes written again: soundfile reads the same samples."""
    import soundfile
    made = {"wind.rf64.wav": field_recording(b"RF64"), "wind.bw64.wav": field_recording(b"BW64")}
    assert soundfile.read(io.BytesIO(made["wind.rf64.wav"]))[0].size == 4800   # the premise: it plays
    root = project_factory({f"themes/default/static/{name}": data for name, data in made.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "Traceback" not in run.stderr, run.stdout[-3000:] + run.stderr
    for name, data in made.items():
        out = (root / "build/site/assets" / name).read_bytes()
        assert b"SECRET" not in out and ADM in out, name   # axml: the channels' meaning, a renderer's
        assert struct.unpack_from("<Q", out, 20)[0] == len(out) - 8, name
    written, rate = soundfile.read(io.BytesIO(made["wind.rf64.wav"]))
    sound, out_rate = soundfile.read(io.BytesIO((root / "build/site/assets/wind.rf64.wav").read_bytes()))
    assert rate == out_rate and (sound == written).all()


INSTA360_MAGIC = b"8db42d694ccc418790edff439fe026bf"


def test_a_cameras_trailer_after_its_last_box_is_not_published(project_factory):
    """An Insta360 (and other cameras) writes after the movie's last box a trailer no
    player reads: its serial number, its GPS track and gyro records, then a length and
    its magic. The box walk stopped there (no box's type) and the bytes went out as
    written; so did a udta cut off at a file's end (its tags could not be freed). Both
    are cut off what is published; a cut-off mdat is still kept as far as it goes
    (test_a_movie_cut_off_at_its_end_is_published_without_where_it_was_taken)."""
    import mutagen
    whole = movie(quicktime=False)
    gps = b"\x0a\x12SECRET serial IXE\x07" + struct.pack("<dd", 51.4772, -0.0011) + b"\x00\x07" + struct.pack("<I", 40)
    trailer = whole + gps + struct.pack("<I", len(gps) + 78) + bytes(42) + INSTA360_MAGIC
    cut_udta = whole + box(b"udta", box(b"\xa9xyz", b"SECRET +51.4772-000.0011/"))[:-4]
    for made in (trailer, cut_udta):
        assert b"SECRET" in made[len(whole):]   # the premise
    for out in published_as_each(project_factory, {"insta.mp4": trailer, "cut.mp4": cut_udta}).values():
        assert b"SECRET" not in out and INSTA360_MAGIC not in out and struct.pack("<d", 51.4772) not in out
        assert len(out) == len(whole) and out.endswith(SAMPLES)
        assert mutagen.File(io.BytesIO(out)).info.length >= 0   # still a movie mutagen reads


DOCUMENT = b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'/>"


def thumbnailed_jpeg() -> bytes:
    """located_jpeg with the thumbnails JFIF keeps of the picture before it was cropped:
    one of RGB pixels in its APP0 header, and a JFXX extension holding a JPEG."""
    photo = located_jpeg()
    assert photo[2:4] == b"\xff\xe0" and photo[6:11] == b"JFIF\x00"
    end = 4 + struct.unpack(">H", photo[4:6])[0]
    pixels = b"SECRET before".ljust(3 * 2 * 2, b"\x00")[:12]   # 2 x 2 RGB
    jfif = photo[6:18] + b"\x02\x02" + pixels
    thumb = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(thumb, "JPEG", comment=b"SECRET uncropped")
    jfxx = b"JFXX\x00\x10" + thumb.getvalue()
    return (photo[:2] + b"\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif
            + b"\xff\xe0" + struct.pack(">H", len(jfxx) + 2) + jfxx + photo[end:])


def authored_tiff(big: bool = False) -> bytes:
    """A TIFF whose first directory says who made it as Windows Explorer writes it
    (XPAuthor, UCS-2), with its document name and the camera's serial number (`big`:
    a BigTIFF, 64-bit offsets, as a scanner writes one past 4 GiB)."""
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[269] = "SECRET document"
    tags.tagtype[40093] = 1
    tags[40093] = "SECRET author".encode("utf-16-le") + b"\x00\x00"
    tags[50735] = "SECRET serial"
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 0, 0)).save(out, "TIFF", tiffinfo=tags, big_tiff=big)
    assert out.getvalue()[2:4] in ((b"+\0", b"\0+") if big else (b"*\0", b"\0*"))   # the premise
    return out.getvalue()


def zipped(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry, body in entries:
            archive.writestr(entry, body, zipfile.ZIP_STORED if entry == "mimetype" else method)
    return out.getvalue()


def office_handouts() -> dict[str, bytes]:
    """A Word handout as Word saves it (docProps: its author and last editor, the
    company, the template's path on the author's disk, a custom property; a photo with
    its EXIF in word/media/) and an ODF text as LibreOffice does (mimetype stored first,
    meta.xml: its first and last author, a user-defined property), both titled."""
    dc = "http://purl.org/dc/elements/1.1/"
    core = (f"<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'"
            f" xmlns:dc='{dc}' xmlns:dcterms='http://purl.org/dc/terms/'><dc:title>The old mill</dc:title>"
            "<dc:creator>SECRET author</dc:creator><cp:lastModifiedBy>SECRET editor</cp:lastModifiedBy>"
            "<dcterms:created>2026-12-03T10:00:00Z</dcterms:created></cp:coreProperties>").encode()
    app = (b"<Properties xmlns='http://schemas.openxmlformats.org/officeDocument/2006/extended-properties'>"
           b"<Template>C:\\Users\\SECRET\\Templates\\Normal.dotm</Template><Pages>1</Pages>"
           b"<Company>SECRET studio</Company><Manager>SECRET boss</Manager></Properties>")
    custom = (b"<Properties xmlns='http://schemas.openxmlformats.org/officeDocument/2006/custom-properties'>"
              b"<property name='Client'>SECRET client</property></Properties>")
    meta = (f"<office:document-meta xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
            f" xmlns:meta='urn:oasis:names:tc:opendocument:xmlns:meta:1.0' xmlns:dc='{dc}'><office:meta>"
            "<dc:title>The old mill</dc:title><meta:initial-creator>SECRET author</meta:initial-creator>"
            "<dc:creator>SECRET editor</dc:creator><meta:user-defined meta:name='Where'>SECRET 51.4772 N"
            "</meta:user-defined></office:meta></office:document-meta>").encode()
    # the workbook behind a chart (stored: its bytes plain to look for), with its own author
    workbook = zipped([("[Content_Types].xml", b"<Types/>"), ("docProps/core.xml", core)], zipfile.ZIP_STORED)
    made = {}
    for name, entries in (("mill.docx", [("[Content_Types].xml", b"<Types/>"), ("docProps/core.xml", core),
                                          ("docProps/app.xml", app), ("docProps/custom.xml", custom),
                                          *REVIEWED["docx"], *SAVED["docx"],
                                          ("word/media/image1.jpeg", located_jpeg()),
                                          ("word/media/image2.jpeg", thumbnailed_jpeg()),
                                          ("word/media/image3.tiff", authored_tiff()),
                                          ("word/media/image5.tiff", authored_tiff(big=True)),
                                          ("word/media/image4.svg", inkscape_svg(located_jpeg())),
                                          ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook)]),
                          ("mill.odt", [("mimetype", b"application/vnd.oasis.opendocument.text"), ("meta.xml", meta),
                                        *REVIEWED["odt"], ("Pictures/photo.jpg", located_jpeg()),
                                        ("Object 1/meta.xml", meta), ("Object 1/content.xml", DOCUMENT),
                                        ("notes/meta.xml", b"<notes><note>The mill</note></notes>")]),
                          ("mill.pptx", [("[Content_Types].xml", b"<Types/>"), *REVIEWED["pptx"],
                                         ("ppt/media/media1.mp3", tagged_sounds()["chime.mp3"])]),
                          ("mill.xlsx", [("[Content_Types].xml", b"<Types/>"), *REVIEWED["xlsx"], *SAVED["xlsx"]])):
        made[name] = zipped(entries)
    return made


_W = "xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'"
# The parts of a handout a colleague reviewed, each naming them (SECRET) as Word,
# PowerPoint, Excel and LibreOffice write them: comments' and tracked changes' authors
# and initials, and the list of who commented with the account they signed in with.
REVIEWED = {
    "docx": [("word/document.xml", f"<w:document {_W}><w:body><w:p><w:ins w:id='1' w:author='SECRET Anna'"
                                   " w:date='2026-12-01T10:00:00Z'><w:r><w:t>The mill</w:t></w:r></w:ins>"
                                   "</w:p></w:body></w:document>".encode()),
             ("customXml/item1.xml", b"<p:properties xmlns:p='http://schemas.microsoft.com/office/2006/metadata/"
                                     b"properties'><documentManagement><Owner xmlns='http://example.com/list'>"
                                     b"<UserInfo><DisplayName>SECRET Anna</DisplayName><AccountId>12</AccountId>"
                                     b"</UserInfo></Owner></documentManagement></p:properties>"),
             ("word/comments.xml", f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:comments {_W}>"
                                   "<w:comment w:id='0' w:author='SECRET Anna' w:initials='SECRET'><w:p><w:r>"
                                   "<w:t>Turn left here</w:t></w:r></w:p></w:comment></w:comments>".encode()),
             ("word/people.xml", b"<w15:people xmlns:w15='http://schemas.microsoft.com/office/word/2012/wordml'>"
                                 b"<w15:person w15:author='SECRET Anna'><w15:presenceInfo w15:providerId='AD'"
                                 b" w15:userId='S::SECRET@example.com::1'/></w15:person></w15:people>")],
    "odt": [("content.xml", b"<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
                            b" xmlns:dc='http://purl.org/dc/elements/1.1/'><office:body><office:annotation>"
                            b"<dc:creator>SECRET Anna</dc:creator><dc:date>2026-12-01T10:00:00</dc:date>"
                            b"<meta:creator-initials xmlns:meta='urn:oasis:names:tc:opendocument:xmlns:meta:1.0'>"
                            b"SECRET</meta:creator-initials>"
                            b"</office:annotation></office:body></office:document-content>")],
    "pptx": [("ppt/commentAuthors.xml", b"<p:cmAuthorLst xmlns:p='http://schemas.openxmlformats.org/presentationml/"
                                        b"2006/main'><p:cmAuthor id='1' name='SECRET Anna' initials='SECRET'"
                                        b" lastIdx='1' clrIdx='0'/></p:cmAuthorLst>"),
             ("ppt/authors.xml", b"<p188:authorLst xmlns:p188='http://schemas.microsoft.com/office/powerpoint/2018/8/"
                                 b"main'><p188:author id='{1}' name='SECRET Anna' initials='SECRET'"
                                 b" userId='SECRET@example.com' providerId='AD'/></p188:authorLst>")],
    "xlsx": [("xl/comments1.xml", b"<comments xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
                                  b"<authors><author>SECRET Anna</author></authors><commentList><comment ref='A1'"
                                  b" authorId='0'><text><r><rPr><b/></rPr><t>SECRET Anna:</t></r><r><t>Check</t></r>"
                                  b"</text></comment></commentList></comments>"),   # Excel's own name first
             ("xl/persons/person.xml", b"<personList xmlns='http://schemas.microsoft.com/office/spreadsheetml/2018/"
                                       b"threadedcomments'><person displayName='SECRET Anna' id='{1}'"
                                       b" userId='SECRET@example.com' providerId='AD'/></personList>"),
             ("xl/revisions/userNames.xml", b"<users xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/"
                                            b"main' count='1'><userInfo guid='{1}' name='SECRET Anna'"
                                            b" id='1' dateTime='2026-12-01T10:00:00'/></users>")],
}


_X = "xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'"
# Where a handout names its author outside its properties and review: the path of the
# template a Word document was made from, who reserved a workbook, where it was saved,
# who refreshed its pivot table.
SAVED = {
    "docx": [("word/_rels/settings.xml.rels", b"<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
              b"relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/"
              b"relationships/attachedTemplate' Target='file:///C:\\Users\\SECRET\\AppData\\Roaming\\Microsoft\\"
              b"Templates\\Normal.dotm' TargetMode='External'/></Relationships>")],
    "xlsx": [("xl/workbook.xml", f"<workbook {_X} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'>"
              "<fileSharing readOnlyRecommended='1' userName='SECRET Anna'/><mc:AlternateContent><mc:Choice"
              " Requires='x15'><x15ac:absPath xmlns:x15ac='http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac'"
              " url='C:\\Users\\SECRET\\Documents\\'/></mc:Choice></mc:AlternateContent><sheets/></workbook>".encode()),
             ("xl/pivotCache/pivotCacheDefinition1.xml", f"<pivotCacheDefinition {_X} refreshedBy='SECRET Anna'"
              " refreshedDate='45000.5'/>".encode())],
}


def test_an_office_handout_is_published_without_who_wrote_it_or_where_its_photo_was_taken(project_factory):
    """A theme's Word or LibreOffice handout (a ZIP of XML) went out byte for byte: its
    author, last editor, company, manager, custom properties, the template's path in the
    author's home folder, and its photo's EXIF GPS position and owner. Its properties
    now keep the title alone, as a PDF's do; its photo is re-encoded as a theme's
    picture is; every other entry keeps its bytes, and an ODF's mimetype stays first,
    stored, as ODF readers require. Also gone: the author of the workbook a chart
    embeds (word/embeddings/*.xlsx) and of an ODF's embedded object (Object 1/meta.xml),
    a JPEG's JFIF and JFXX thumbnails (the photo before it was cropped), a TIFF's
    Windows author, document name and camera serial, and an Inkscape drawing's author,
    paths and photo's EXIF; a pack's own notes/meta.xml keeps its bytes. And (this
    session) a colleague's review: the names and sign-in addresses of who commented
    and made tracked changes, in Word, PowerPoint, Excel and LibreOffice's parts, are
    "Author" (the comments and changes kept), a slide's narration (MP3) its ID3, and a
    BigTIFF's authors as a TIFF's."""
    made = office_handouts()
    published = published_as_each(project_factory, made)
    for name, data in published.items():
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None, name
        written = zipfile.ZipFile(io.BytesIO(made[name]))
        assert archive.namelist() == written.namelist(), name
        for entry in archive.namelist():
            body = archive.read(entry)
            assert b"SECRET" not in body and "SECRET".encode("utf-16-le") not in body, (name, entry)
            if entry.endswith((".jpeg", ".jpg", ".tiff")):
                assert_clean_picture(body, f"{name}:{entry}")
                assert body.count(b"\xff\xd8") <= 1, f"{name}:{entry}: a thumbnail kept"
            elif entry in ("docProps/core.xml", "meta.xml", "Object 1/meta.xml"):
                assert etree.fromstring(body).xpath("string(//*[local-name()='title'])") == "The old mill"
            elif entry.endswith(".svg"):
                assert b"<image" in body and all(assert_clean_picture(p, entry) is None for p in embedded_pictures(body))
            elif entry.endswith(".xlsx"):
                inner = zipfile.ZipFile(io.BytesIO(body))
                assert inner.testzip() is None and inner.namelist() == ["[Content_Types].xml", "docProps/core.xml"]
            elif any(entry == part for parts in REVIEWED.values() for part, _ in parts):
                # the review kept, who made it "Author" as Office's own "Remove personal information" does
                review = etree.fromstring(body)
                before = etree.fromstring(written.read(entry))
                assert [e.tag for e in review.iter()] == [e.tag for e in before.iter()], (name, entry)
                names = review.xpath("//@*[local-name()='author' or local-name()='name' or local-name()='userId'"
                                     " or local-name()='displayName'] | //*[local-name()='author'"
                                     " or local-name()='creator' or local-name()='DisplayName']/text()")
                assert names and set(names) == {"Author"}, (name, entry, names)
                assert "".join(review.itertext()) == \
                    "".join(before.itertext()).replace("SECRET Anna", "Author").replace("SECRET", "A")
            elif any(entry == part for parts in SAVED.values() for part, _ in parts):
                saved = etree.fromstring(body)   # each still well-formed, its structure kept
                assert saved.xpath("string(//@Target)") in ("", "Normal.dotm"), entry
                assert set(saved.xpath("//@userName | //@refreshedBy")) <= {"Author"}, entry
                assert not saved.xpath("//*[local-name()='absPath']") and saved.xpath("count(//*)") >= 1, entry
            elif entry.endswith(".mp3"):
                assert body.startswith(b"\xff") and len(body) < len(written.read(entry)), (name, entry)   # no ID3
            elif entry not in ("docProps/app.xml", "docProps/custom.xml"):
                assert body == written.read(entry), (name, entry)   # a pack's own notes/meta.xml too
    assert b"<Pages>1</Pages>" in zipfile.ZipFile(io.BytesIO(published["mill.docx"])).read("docProps/app.xml")
    odt = zipfile.ZipFile(io.BytesIO(published["mill.odt"]))
    assert odt.infolist()[0].filename == "mimetype" and odt.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert published["mill.odt"][30:38] == b"mimetype"   # where an ODF reader looks for it


def emf_photo(emf: bytes) -> bytes:
    """The photo of a metafile_of drawing: its image object's pieces joined, after its
    28-byte bitmap header."""
    pieces, at = [], 0
    while at < len(emf):
        kind, size = struct.unpack_from("<II", emf, at)
        if kind == 70 and emf[at + 12:at + 16] == b"EMF+" and struct.unpack_from("<H", emf, at + 16)[0] == 0x4008:
            length = struct.unpack_from("<I", emf, at + 24)[0]
            pieces.append(emf[at + 32:at + 28 + length])
        at += size
    return b"".join(pieces)[28:]


def test_a_handouts_drawing_is_published_without_where_its_photo_was_taken(published_files):
    """A drawing pasted into a Word handout is kept as an EMF (word/media/image1.emf)
    whose EMF+ records hold each photo in it as the JPEG it was, EXIF and GPS position
    inside, split over records: it went out as written. The photo's metadata segments
    are zeroed where they lie: the same size, every record as it was, the same picture."""
    made, published = published_files
    written = zipfile.ZipFile(io.BytesIO(made["mill.docx"])).read("word/media/image1.emf")
    kept = zipfile.ZipFile(io.BytesIO(published["mill.docx"])).read("word/media/image1.emf")
    assert b"SECRET" in written and b"SECRET" not in kept and len(kept) == len(written)
    with Image.open(io.BytesIO(emf_photo(kept))) as shown, Image.open(io.BytesIO(emf_photo(written))) as original:
        assert not shown.getexif() and shown.tobytes() == original.tobytes()
    changed = [n for n in range(len(written)) if kept[n] != written[n]]
    assert changed and all(written[n] for n in changed)   # only the metadata's bytes zeroed


EMU = 9525   # English metric units a pixel at 96 dpi: how OOXML gives a picture's frame


def phone_photo() -> bytes:
    """A phone photo as a handout's author pasted it: stored 40 x 20 (red left half),
    EXIF Orientation 6 beside its GPS position, under a colour profile other than sRGB
    (one whose red and blue primaries are swapped: a profile dropped shows plainly)."""
    from test_images_as_viewed import swapped_primaries_profile
    stored = Image.new("RGB", (40, 20), (255, 255, 255))
    stored.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 38.0), 0x1B: b"ASCII\0\0\0SECRET place"}
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, exif=exif.tobytes(), icc_profile=swapped_primaries_profile())
    return out.getvalue()


def property_set(sections: list[tuple[bytes, dict[int, tuple[int, bytes]]]]) -> bytes:
    """An OLE property set (MS-OLEPS) of `sections`: (FMTID, {id: (type, value bytes)})."""
    head = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), len(sections))
    at, bodies = len(head) + 20 * len(sections), []
    for fmtid, props in sections:
        values, offsets = b"", []
        for prop, (kind, value) in props.items():
            offsets.append((prop, 8 + 8 * len(props) + len(values)))
            value += bytes(-len(value) % 4)
            values += struct.pack("<I", kind) + value
        body = b"".join(struct.pack("<II", prop, offset) for prop, offset in offsets) + values
        bodies.append(struct.pack("<II", 8 + len(body), len(props)) + body)
        head += fmtid + struct.pack("<I", at)
        at += len(bodies[-1])
    return head + b"".join(bodies)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (MS-CFB version 3, 512-byte sectors) as Word 97 writes a .doc:
    its streams under 4,096 bytes in the mini stream (64-byte sectors), the rest in
    sectors of their own, one FAT and one MiniFAT sector."""
    names = list(streams)
    minis = {n: d for n, d in streams.items() if len(d) < 4096}
    mini_data, mini_start, minifat = b"", {}, []
    for name, data in minis.items():
        count = -(-len(data) // 64)
        mini_start[name] = len(minifat)
        minifat += [len(minifat) + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
        mini_data += data + bytes(count * 64 - len(data))
    mini_sectors = -(-len(mini_data) // 512)
    fat = [0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE]   # the FAT, the directory, the MiniFAT
    root_start = len(fat)
    fat += [len(fat) + k + 1 for k in range(mini_sectors - 1)] + [0xFFFFFFFE]
    big_start, big_data = {}, b""
    for name, data in streams.items():
        if name in minis:
            continue
        count = -(-len(data) // 512)
        big_start[name] = len(fat)
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
        big_data += data + bytes(count * 512 - len(data))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))
    directory = entry("Root Entry", 5, root_start, len(mini_data), child=1)
    for n, name in enumerate(names):
        start = mini_start[name] if name in minis else big_start[name]
        directory += entry(name, 2, start, len(streams[name]), right=n + 2 if n + 1 < len(names) else 0xFFFFFFFF)
    assert len(directory) <= 512 and len(fat) <= 128 and len(minifat) <= 128
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108)))
    def sector(data: bytes, fill: int = 0) -> bytes:
        return data + bytes([fill]) * (-len(data) % 512)
    table = lambda values: sector(struct.pack(f"<{len(values)}I", *values) + b"\xff" * 4 * (128 - len(values)))
    return (header + table(fat) + sector(directory) + table(minifat) + sector(mini_data) + big_data)


SUMMARY = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
DOCUMENT_SUMMARY = bytes.fromhex("02d5cdd59c2e1b10939708002b2cf9ae")


def authored_doc() -> bytes:
    """A Word 97 document as Word writes one: its text in WordDocument (sectors of its
    own), its title, author, last editor, template path and times in SummaryInformation
    and its company in DocumentSummaryInformation (both in the mini stream)."""
    def text(value: str) -> tuple[int, bytes]:
        raw = value.encode("cp1252") + b"\0"
        return 0x1E, struct.pack("<I", len(raw)) + raw
    summary = property_set([(SUMMARY, {1: (2, struct.pack("<H", 1252)), 2: text("The old mill"),
                                        4: text("SECRET Anna"), 8: text("SECRET Bob"),
                                        7: text("C:\\Users\\SECRET\\Normal.dot"),
                                        12: (0x40, struct.pack("<Q", 133_000_000_000_000_000))})])
    company = property_set([(DOCUMENT_SUMMARY, {1: (2, struct.pack("<H", 1252)), 15: text("SECRET studio")})])
    return compound_file({"WordDocument": b"The mill by the river. " * 250, "\x05SummaryInformation": summary,
                          "\x05DocumentSummaryInformation": company})


def gzipped(data: bytes, name: str) -> bytes:
    """`data` as a gzip file whose header names the file it was made from and when."""
    out = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=out, mtime=1_700_000_000) as stream:
        stream.write(data)
    return out.getvalue()


SAVED_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
             b'sodipodi-0.dtd" sodipodi:docname="SECRET-mill.svg"><metadata>SECRET owner</metadata>'
             b'<rect width="4" height="2" fill="#a00"/></svg>')


def test_a_gzipped_drawing_is_published_as_what_it_holds_would_be(published_files):
    """Office saves a drawing compressed (`.emz`), Inkscape an SVG (`.svgz`): the EMF's
    photo kept its owner and GPS position and the SVG its editor's metadata, unseen
    inside the gzip stream, and the gzip header named the file it was made from and
    when. Each is published as the file it holds is (the photo's metadata overwritten,
    the SVG's dropped), compressed again with no name and no time."""
    from pipeline.load.media import without_metadata
    made, published = published_files
    for name in ("mill.emz", "mill.svgz"):
        assert b"SECRET" in made[name] and b"SECRET" in gzip.decompress(made[name])   # the premise
        data = published[name]
        assert data[:3] == b"\x1f\x8b\x08" and not data[3] & 0x1C and data[4:8] == bytes(4), name
        assert b"SECRET" not in data and b"SECRET" not in gzip.decompress(data), name
        assert gzip.decompress(data) == without_metadata(gzip.decompress(made[name])), name
    assert emf_photo(gzip.decompress(published["mill.emz"])) != b""
    assert b'<rect width="4" height="2" fill="#a00"/>' in gzip.decompress(published["mill.svgz"])


def saved_deck() -> bytes:
    """A PowerPoint 97 deck's compound file as PowerPoint saves one: its slides, and
    the Current User stream naming who saved it last (a CurrentUserAtom: the name in
    ANSI, then in UTF-16)."""
    name = "SECRET Anna"
    atom = (struct.pack("<IIIHHBBH", 0x14, 0xE391C05F, 0, len(name), 0x03F4, 3, 0, 0) + name.encode("cp1252")
            + struct.pack("<I", 8) + name.encode("utf-16-le"))
    current = struct.pack("<HHI", 0, 0x0FF6, len(atom)) + atom
    return compound_file({"PowerPoint Document": b"The mill deck. " * 300, "Current User": current})


def saved_workbook(name: str = "SECRET Bob", wide: bool = False, padded: bool = True) -> bytes:
    """An Excel 97 workbook's compound file as Excel saves one: its Workbook stream's
    globals start with BOF, INTERFACEHDR, then WRITEACCESS (the user name Excel writes
    in every file it saves, padded with spaces to 112 bytes), and end at EOF; a sheet's
    text after them. `wide`: the name in UTF-16, cut at the record's end when longer;
    not `padded`: the record as long as its name, as some other programs write it."""
    def record(kind: int, data: bytes) -> bytes:
        return struct.pack("<HH", kind, len(data)) + data
    access = (struct.pack("<HB", len(name), int(wide)) + name.encode("utf-16-le" if wide else "latin-1"))[:112]
    access = access.ljust(112 if padded else 0, b" ")
    globals_ = (record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
                + record(0x00E1, struct.pack("<H", 1200)) + record(0x005C, access) + record(0x000A, b""))
    return compound_file({"Workbook": globals_ + b"The mill's ledger. " * 300, "\x01CompObj": bytes(100)})


def test_a_powerpoint_or_excel_97_handout_is_published_without_who_saved_it(published_files):
    """Outside its property sets, a .ppt names whoever saved it last in its Current User
    stream, and an .xls in its WRITEACCESS record (Excel writes the user's name into
    every workbook it saves): both went out as written. Each name is spaces where it
    lies, every length, record and offset kept."""
    made, published = published_files
    for name in ("mill.ppt", "mill.xls", "mill-wide.xls", "mill-unpadded.xls"):
        assert b"SECRET" in made[name] or "SECRET".encode("utf-16-le") in made[name]   # the premise
        data = published[name]
        assert b"SECRET" not in data and "SECRET".encode("utf-16-le") not in data, name
        assert len(data) == len(made[name]), name
        changed = [n for n in range(len(data)) if data[n] != made[name][n]]
        assert changed and all(data[n] in b" " for n in changed), name   # only the names' characters, as spaces
    assert (b"The mill deck. " * 300) in published["mill.ppt"]
    assert (b"The mill's ledger. " * 300) in published["mill.xls"]
    assert (b"The mill's ledger. " * 300) in published["mill-wide.xls"]
    # a BIFF8 record as long as its name (not padded to 112): its count and flags kept, every letter a space
    assert struct.pack("<HHHB", 0x5C, 13, 10, 0) + b" " * 10 in published["mill-unpadded.xls"]


def test_a_word_97_handout_and_an_embedded_object_are_published_without_who_wrote_them(published_files):
    """A theme's .doc (a compound file) and the object a .docx embeds
    (word/embeddings/oleObject1.bin) went out with their SummaryInformation: the
    author's and last editor's names, the template's path in the author's home
    folder, the company, when it was saved. Each value is zeroed where it lies, the
    title and the document's text kept, every offset as it was."""
    made, published = published_files
    made = made["mill.doc"]
    assert made.count(b"SECRET") == 4   # the premise
    embedded = zipfile.ZipFile(io.BytesIO(published["mill.docx"])).read("word/embeddings/oleObject1.bin")
    for data in (published["mill.doc"], embedded):
        assert b"SECRET" not in data and len(data) == len(made)
        assert b"The old mill\0" in data and (b"The mill by the river. " * 250) in data
        assert struct.pack("<Q", 133_000_000_000_000_000) not in data   # when it was saved
        changed = [n for n in range(len(made)) if data[n] != made[n]]
        assert all(made[n] for n in changed)   # only values zeroed; every structure's byte as written


def test_a_drawings_photo_in_many_pieces_costs_no_more_than_its_size():
    """An EMF whose photo is split over 40,000 EMF+ records of one byte each (a crafted
    drawing: 1.4 MB) took 12 CPU-s, the pieces gathered so far summed again at each (a
    16 MiB one hours); its photo loses its EXIF as a whole one's does."""
    import time
    from pipeline.load.metafile_pictures import emf_without_picture_metadata
    photo = located_jpeg()
    drawing = metafile_of(photo + bytes(40_000 - len(photo)), piece=1)
    began = time.process_time()
    published = emf_without_picture_metadata(drawing)
    assert time.process_time() - began < 1.5
    assert emf_photo(drawing).startswith(photo) and len(published) == len(drawing)
    assert b"SECRET" in photo and b"SECRET" not in emf_photo(published)


def directory_naming(stream: bytes, copies: int) -> bytes:
    """A crafted compound file (512-byte sectors, no mini stream) whose directory names
    `stream`, as \\x05SummaryInformation, `copies` times: the stream's sectors, the
    directory's, then the FAT's (all listed in the header)."""
    def sectors(data: bytes) -> int:
        return -(-len(data) // 512)

    def chained(first: int, count: int) -> list[int]:
        return [first + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]

    def entry(name: str, kind: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, *[0xFFFFFFFF] * 3)
                + bytes(36) + struct.pack("<IQ", 0 if kind == 2 else 0xFFFFFFFE, len(stream) if kind == 2 else 0))
    directory = entry("Root Entry", 5) + entry("\x05SummaryInformation", 2) * copies
    used = sectors(stream) + sectors(directory)
    fats = -(-used // 127)
    fat = chained(0, sectors(stream)) + chained(sectors(stream), sectors(directory)) + [0xFFFFFFFD] * fats
    fat += [0xFFFFFFFF] * (128 * fats - len(fat))
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, fats, sectors(stream), 0, 0, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", *range(used, used + fats), *[0xFFFFFFFF] * (109 - fats)))
    pad = lambda data: data + bytes(-len(data) % 512)
    return header + pad(stream) + pad(directory) + struct.pack(f"<{len(fat)}I", *fat)


def test_a_compound_files_crafted_directory_costs_no_more_than_its_size_and_an_empty_set_stops_no_other():
    """A compound file whose directory names one long property stream thousands of
    times (a crafted .doc) read it as many times: 1 MB named 4,000 times took seconds
    of CPU, a 16 MiB file hours. The property streams are read to the file's length in
    all (that file, which could only be crafted, is left as it is). And a file with an
    empty DocumentSummaryInformation (no property set to follow) kept its author in
    SummaryInformation: a stream that cannot be followed stops no other."""
    import time
    from pipeline.load.ole_properties import ole_without_properties
    summary = property_set([(SUMMARY, {4: (0x1E, struct.pack("<I", 7) + b"SECRET\0")})])
    once = directory_naming(summary.ljust(1 << 20, b"\0"), 1)
    assert b"SECRET" not in ole_without_properties(once)   # the premise: the builder's file is read
    crafted = directory_naming(summary.ljust(1 << 20, b"\0"), 4000)
    began = time.process_time()
    published = ole_without_properties(crafted)
    assert time.process_time() - began < 1.5 and published is crafted
    empty = compound_file({"WordDocument": bytes(600), "\x05SummaryInformation": summary,
                           "\x05DocumentSummaryInformation": b""})   # last: compound_file gives it no mini sector
    assert b"SECRET" not in ole_without_properties(empty)


def test_an_office_handouts_photo_keeps_the_pixels_its_document_frames(project_factory):
    """A Word handout's photo (and one in a LibreOffice text or a pack of photos) was
    re-encoded as a browser shows the file: turned by its EXIF Orientation, converted to
    sRGB. An office suite draws a picture's stored pixels into the frame its document
    gives it (Word's wp:extent, the stored 40 x 20 here) and reads no EXIF orientation
    on opening a document, so the published handout showed the photo turned a second
    time, squeezed into a frame of the other shape, in other colours. Each picture in
    a ZIP now loses its metadata blocks only: the same pixels, Orientation and profile,
    so every reader (an office suite, a photo viewer) shows it as the original."""
    photo = phone_photo()
    body = (f"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'"
            f" xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'><w:body><w:p><w:r>"
            f"<w:drawing><wp:inline><wp:extent cx='{40 * EMU}' cy='{20 * EMU}'/></wp:inline></w:drawing>"
            f"</w:r></w:p></w:body></w:document>").encode()
    made = {}
    for name, entries in (("photo.docx", {"word/document.xml": body, "word/media/image1.jpeg": photo}),
                          ("photo.odt", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                         "Pictures/photo.jpg": photo}),
                          ("photos.zip", {"mill.jpg": photo})):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for entry, data in entries.items():
                archive.writestr(entry, data)
        made[name] = out.getvalue()
    published = published_as_each(project_factory, made)
    with Image.open(io.BytesIO(photo)) as original:
        profile, pixels = original.info["icc_profile"], original.tobytes()
    for name, data in published.items():
        archive = zipfile.ZipFile(io.BytesIO(data))
        entry = next(entry for entry in archive.namelist() if entry.endswith((".jpeg", ".jpg")))
        kept = archive.read(entry)
        assert b"SECRET" not in kept, name
        with Image.open(io.BytesIO(kept)) as img:
            assert img.size == (40, 20), f"{name}: {img.size}, not the 40 x 20 its frame was made for"
            assert img.getexif().get(0x0112) == 6, name   # turned by a viewer that reads it, as before
            assert img.info.get("icc_profile") == profile, name
            assert img.tobytes() == pixels, name   # the same scan, not a copy re-encoded
    extent = etree.fromstring(zipfile.ZipFile(io.BytesIO(published["photo.docx"])).read("word/document.xml"))
    cx, cy = (int(extent.xpath("string(//*[local-name()='extent']/@%s)" % axis)) for axis in ("cx", "cy"))
    assert (cx / EMU, cy / EMU) == (40, 20)   # the frame as written, the picture's stored shape


def published_as_each(project_factory, made: dict[str, bytes]) -> dict[str, bytes]:
    """Each of `made` (name → bytes) put in a theme's static files, and what build --only
    html publishes of it."""
    root = project_factory({f"themes/default/static/{name}": data for name, data in made.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "Traceback" not in run.stderr, run.stdout[-3000:] + run.stderr
    return {name: (root / "build/site/assets" / name).read_bytes() for name in made}


def test_an_svgs_linked_photos_paths_and_rdf_outside_metadata_are_not_published(project_factory):
    """An SVG whose photo is linked, not embedded, keeps the photo's path on the author's
    disk (Inkscape writes 'file:///home/<owner>/…'; from Windows 'C:\\Users\\<owner>\\…';
    a Mac's '/Users/<owner>/…'), and some editors write their RDF (dc:creator) outside
    a metadata element: both went out as written (only <metadata>, XMP and Inkscape's
    own attributes were cut). The paths are emptied (no browser loads them from a site),
    the RDF cut; a link into the site stays."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'"
           " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
           "<image xlink:href=\"file:///home/SECRET/SECRET's photos/IMG_0001.jpg\" width='10' height='10'/>"
           "<image href='C:\\Users\\SECRET\\ref.png'/><image href='/Users/SECRET/Desktop/ref.png'/>"
           "<a href='/heroes/aria.html'><image href='images/map.png'/></a>"
           "<rdf:RDF><rdf:Description><dc:creator>SECRET author</dc:creator></rdf:Description></rdf:RDF>"
           "</svg>").encode()
    out = published_as_each(project_factory, {"map.svg": svg})["map.svg"]
    assert b"SECRET" not in out
    drawing = etree.fromstring(out)
    links = [element.get("href", element.get("{http://www.w3.org/1999/xlink}href")) for element in drawing.iter()
             if element.tag in ("{http://www.w3.org/2000/svg}image", "{http://www.w3.org/2000/svg}a")]
    assert links == ["", "", "", "/heroes/aria.html", "images/map.png"]


def test_a_zip_made_on_windows_keeps_its_files_readable_once_unzipped(project_factory):
    """A theme's pack of pictures zipped on Windows (Explorer, 7-Zip): each entry's
    attributes are DOS ones (0x20, "archive"), said to be by its 'made by' system. The
    rewritten ZIP said every entry was made on Unix with those same attributes, which
    read as a Unix mode are 0o000: `unzip` extracted every file as ---------- (no one
    could read it). Each entry keeps the system its attributes are of."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body, attributes in (("readme.txt", b"Art for the mill.", 0x20), ("maps/", b"", 0x10),
                                       ("maps/mill.jpg", located_jpeg(), 0x21)):
            entry = zipfile.ZipInfo(name, (2026, 12, 3, 10, 0, 0))
            entry.create_system, entry.external_attr = 0, attributes
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, body)
    published = published_as(project_factory, out.getvalue(), "art.zip")["art.zip"]
    archive = zipfile.ZipFile(io.BytesIO(published))
    assert archive.testzip() is None
    assert_clean_picture(archive.read("maps/mill.jpg"), "art.zip:maps/mill.jpg")   # it was rewritten
    assert [(e.filename, e.create_system, e.external_attr) for e in archive.infolist()] == \
        [("readme.txt", 0, 0x20), ("maps/", 0, 0x10), ("maps/mill.jpg", 0, 0x21)]


def test_an_svgs_links_into_the_site_under_home_or_users_are_kept(project_factory):
    """A theme's SVG linking to the site's own pages at '/home/…' or '/users/…' (a
    clickable map, an icon sprite: `<a href="/home/news/">`) had each link emptied, as
    if it were a photo's path on the author's disk: the reader's click went nowhere,
    without a word. Only a drawn picture's path there (an <image>'s, as Inkscape links a
    photo) is a home folder's; `file:` and a drive letter are emptied wherever they are."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
           "<a href='/home/news/latest.html'><text>News</text></a>"
           "<a xlink:href=\"/users/aria/\"><text>Aria</text></a>"
           "<a href='/Users/guide.html'><text>Guide</text></a>"
           "<a href='file:///home/SECRET/notes.txt'><text>Notes</text></a>"
           "<image width='1' height='1' xlink:href='/home/SECRET/Pictures/ref.jpg'/>"
           "<image href=\"/Users/SECRET/Desktop/ref.png\"/></svg>").encode()
    drawing = etree.fromstring(published_as_each(project_factory, {"map.svg": svg})["map.svg"])
    links = [element.get("href", element.get("{http://www.w3.org/1999/xlink}href")) for element in drawing.iter()
             if element.tag in ("{http://www.w3.org/2000/svg}image", "{http://www.w3.org/2000/svg}a")]
    assert links == ["/home/news/latest.html", "/users/aria/", "/Users/guide.html", "", "", ""]


def test_a_gzip_stream_of_many_members_is_cleaned_in_time_linear_in_its_bytes():
    """gzip allows any number of members one after another, each of 20 bytes when
    empty: a theme's 8 MiB `.svgz` of ~420,000 of them, then the saved SVG, had the rest
    of the file copied once for each member it decompressed (~30 CPU-s, ~2 minutes at a
    theme file's 16 MiB). Each member is read once; the SVG is cleaned as before. And
    each member's header is looked at: a drawing with nothing to clean, whose second
    member (`cat a.gz b.gz`) named the file it was made from and when, was published as
    it was, only the first header having been read."""
    import time

    from pipeline.load.media import without_metadata
    empty = gzip.compress(b"", mtime=0)
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="2" fill="#a00"/></svg>'
    assert without_metadata(plain) is plain   # the premise: nothing in the drawing to clean
    appended = gzip.compress(plain[:20], mtime=0) + gzipped(plain[20:], "SECRET-mill.svg")
    cleaned = without_metadata(appended)
    assert b"SECRET" not in cleaned and cleaned[4:8] == bytes(4) and gzip.decompress(cleaned) == plain
    data = empty * ((8 << 20) // len(empty)) + gzipped(SAVED_SVG, "SECRET-mill.svg")
    started = time.process_time()
    cleaned = without_metadata(data)
    assert time.process_time() - started < 5
    assert b"SECRET" not in gzip.decompress(cleaned)
    assert b'<rect width="4" height="2" fill="#a00"/>' in gzip.decompress(cleaned)


def zip_declaring(name: str, body: bytes, declared: int) -> bytes:
    """A ZIP (as a crafted .docx) whose one entry `name` is the raw deflate stream
    `body` while its headers say it holds `declared` bytes (CRC 0)."""
    raw = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0, len(body), declared, len(raw), 0) + raw
    listed = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, 0, len(body), declared, len(raw),
                         0, 0, 0, 0, 0, 0) + raw
    return (local + body + listed
            + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(listed), len(local) + len(body), 0))


def test_a_handout_whose_headers_understate_what_it_inflates_to_costs_no_more_than_they_say():
    """The inflation budget sums the sizes an archive's headers declare, and zipfile's
    `read` inflated up to 2 GiB in one step before cutting to that size: a theme's
    4 MB handout whose one entry said 1 byte and held 4 GB of zeros took 2.1 GB and 9 s.
    Now no more is inflated than declared (its CRC then shows it broken: published
    as it is, as any archive that cannot be read)."""
    import tracemalloc
    import zlib
    from pipeline.load.office_metadata import office_without_metadata
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    zeros = b"".join(packer.compress(bytes(1 << 24)) for _ in range(4)) + packer.flush()   # 64 MiB
    for declared in (1, 0):
        bomb = zip_declaring("word/media/image1.png", zeros, declared)
        tracemalloc.start()
        try:
            published = office_without_metadata(bomb)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert published is bomb and peak < 8 << 20, (declared, peak)
