"""A ZIP a theme publishes (an Office handout: .docx, .xlsx, .pptx, .odt…; a pack of
photos) without who wrote it and where its photos were taken.

An Office file is a ZIP of XML. Word, Excel, PowerPoint and LibreOffice write into its
document properties the account's name that wrote it and last saved it, its company
and manager, the template's path on the author's disk ('C:\\Users\\anna\\…'), times,
and any custom properties (OOXML's docProps/core.xml, app.xml, custom.xml; ODF's
meta.xml), and keep its photos (and a thumbnail of the first page) with their EXIF, its
reviewers' names (office_people.py) and its sounds' tags (untagged.py). A
theme's handout was published byte for byte with all of it. As for a PDF
(pdf_metadata.py), the properties keep the title alone, what the author called the
document; every picture in the ZIP loses its metadata blocks, its pixels, colour
profile and EXIF Orientation kept as written (metadata_chunks.without_metadata_chunks):
an office suite draws a picture's stored pixels into the frame its document gives it
(wp:extent, a:ext, svg:width), whatever its EXIF says, and a photo re-encoded as a
browser shows it (turned, converted to sRGB) showed in the handout turned a second time
and squeezed into its frame. A photo in a pack is turned by a viewer as it was before.
Every other entry keeps its bytes, name,
order, time, attributes (and the system they are of) and compression (an ODF's or
EPUB's stored `mimetype` stays first); entries' extra fields (an archiver's owner ids
and times) and the ZIP's comment go.
A ZIP with nothing to remove, one that cannot be read, or one that would inflate past
_MAX_INFLATED or hold over _MAX_ENTRIES entries is `data` itself (a browser only
downloads it).
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Callable

from lxml import etree

from .metadata_chunks import without_metadata_chunks
from .metafile_pictures import emf_without_picture_metadata
from .office_people import without_people
from .ole_properties import ole_without_properties
from .untagged import without_tags

_MAX_INFLATED = 64 * 1024 * 1024   # bytes, all entries: a theme file is at most 16 MiB
_MAX_ENTRIES = 4096
_MAX_DEPTH = 3       # documents inside documents: a chart's workbook in a handout is one deep
_TITLE = frozenset({"{http://purl.org/dc/elements/1.1/}title"})
# app.xml's properties that name a person, a company or a path on the author's disk.
_APP_PERSONAL = frozenset({"Company", "Manager", "Template", "HyperlinkBase", "Application", "AppVersion"})
_ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}meta"
_ODF_DOCUMENT_META = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}document-meta"


def office_without_metadata(data: bytes, _budget: list[int] | None = None, _depth: int = 0) -> bytes:
    """`data` (any file) without its document properties but its title and with each
    picture it holds without its metadata blocks, when it is a ZIP (above); else `data`
    itself. A document inside it (the workbook behind every chart of a Word or
    PowerPoint handout, word/embeddings/*.xlsx, its own docProps naming its author) is
    cleaned so too, the bytes inflated counted against one budget for them all."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    budget = [_MAX_INFLATED] if _budget is None else _budget
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            inflated = sum(e.file_size for e in entries)
            if len(entries) > _MAX_ENTRIES or inflated > budget[0]:
                return data
            budget[0] -= inflated
            written = [(entry, _inflated(archive, entry)) for entry in entries]
    except Exception:  # zipfile raises many types for a crafted archive (BadZipFile, zlib.error, EOFError…)
        return data
    cleaned = [(entry, _cleaned(entry.filename, body, budget, _depth)) for entry, body in written]
    if all(new is old for (_, new), (_, old) in zip(cleaned, written)):
        return data
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w") as archive:
            for entry, body in cleaned:
                kept = zipfile.ZipInfo(entry.filename, entry.date_time)
                kept.compress_type, kept.external_attr = entry.compress_type, entry.external_attr
                # the system the attributes are of: a ZIP made on Windows holds DOS
                # attributes (0x20, "archive"), which read as a Unix mode are 0o000
                # (unzip then extracts every file unreadable, ----------)
                kept.create_system, kept.internal_attr = entry.create_system, entry.internal_attr
                archive.writestr(kept, body)
    except (ValueError, struct.error, NotImplementedError):   # a crafted time (DOS month 0), an unknown method
        return data
    return out.getvalue()


def _inflated(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, inflating no more than its header says it holds. The sizes
    summed against the budget are the headers' own, and `archive.read` inflates up to
    2 GiB in one step before it cuts the bytes to that size (zipfile's readall): a
    4 MB theme handout whose one entry said 1 byte and held 4 GB of zeros took 2.1 GB
    and 9 s to be found broken. Read so, it is found so at once (its CRC, over 1 byte)."""
    with archive.open(entry) as stream:
        return stream.read(entry.file_size) if entry.file_size else b""


def _cleaned(name: str, body: bytes, budget: list[int], depth: int) -> bytes:
    """One entry's bytes as published: `body` itself when there is nothing to remove."""
    odf_meta = name == "meta.xml" or name.endswith("/meta.xml")   # an ODF's, and its embedded objects' ("Object 1/")
    if name == "docProps/core.xml" or odf_meta:
        return _kept(body, lambda element: element.tag in _TITLE or element.tag == _ODF_META, deep=odf_meta,
                     root_tag=_ODF_DOCUMENT_META if odf_meta else None)
    if body.startswith(b"PK\x03\x04") and depth < _MAX_DEPTH:
        return office_without_metadata(body, budget, depth + 1)
    if name.lower().endswith(".svg"):
        # a drawing pasted into a handout (Word keeps the SVG beside a PNG of it): an
        # Inkscape one names its author and the paths it was saved to on their disk,
        # and its photos hold their EXIF, as a theme's own SVG file did before it was cleaned
        from .text_metadata import text_without_metadata
        return text_without_metadata(body, without_metadata_chunks)
    if name == "docProps/app.xml":
        return _kept(body, lambda element: etree.QName(element).localname not in _APP_PERSONAL)
    if name == "docProps/custom.xml":
        return _kept(body, lambda element: False)
    if name.lower().endswith((".xml", ".rels")):   # .rels: an attached template's path (office_people.py)
        return without_people(body)   # comments' and tracked changes' authors, who commented (office_people.py)
    # a picture's metadata blocks, or a sound's tags (a slide's narration, an MP3 with its ID3: untagged.py)
    # and an embedded object's (word/embeddings/oleObject1.bin) authors (ole_properties.py),
    # a drawing's (word/media/image1.emf) photos' EXIF (metafile_pictures.py)
    stripped = body
    for reader in (without_metadata_chunks, ole_without_properties, emf_without_picture_metadata, without_tags):
        stripped = reader(body) if stripped is body else stripped
    return stripped   # `body` itself when it is no picture or holds no metadata


def _kept(body: bytes, keep: Callable, deep: bool = False, root_tag: str | None = None) -> bytes:
    """The XML `body` with only its root's children `keep` keeps (`deep`: and their
    children too, an ODF's office:meta's); `body` itself when it keeps them all, cannot
    be read (no entity is resolved, no DTD or network read) or its root is not `root_tag`
    (a pack's own `notes/meta.xml` is no ODF's properties)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body
    if root_tag is not None and root.tag != root_tag:
        return body
    holders = [root] + ([child for child in root if child.tag == _ODF_META] if deep else [])
    dropped = False
    for holder in holders:
        for child in list(holder):
            if isinstance(child.tag, str) and not keep(child):
                holder.remove(child)
                dropped = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if dropped else body
