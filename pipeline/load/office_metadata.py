"""A ZIP a theme publishes (an Office handout: .docx, .xlsx, .pptx, .odt…; a pack of
photos) without who wrote it and where its photos were taken.

An Office file is a ZIP of XML. Word, Excel, PowerPoint and LibreOffice write into its
document properties the account's name that wrote it and last saved it, its company
and manager, the template's path on the author's disk ('C:\\Users\\anna\\…'), times,
and any custom properties (OOXML's docProps/core.xml, app.xml, custom.xml; ODF's
meta.xml), and keep its photos (and a thumbnail of the first page) with their EXIF. A
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

_MAX_INFLATED = 64 * 1024 * 1024   # bytes, all entries: a theme file is at most 16 MiB
_MAX_ENTRIES = 4096
_TITLE = frozenset({"{http://purl.org/dc/elements/1.1/}title"})
# app.xml's properties that name a person, a company or a path on the author's disk.
_APP_PERSONAL = frozenset({"Company", "Manager", "Template", "HyperlinkBase", "Application", "AppVersion"})
_ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}meta"


def office_without_metadata(data: bytes) -> bytes:
    """`data` (any file) without its document properties but its title and with each
    picture it holds without its metadata blocks, when it is a ZIP (above); else `data`
    itself."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ENTRIES or sum(e.file_size for e in entries) > _MAX_INFLATED:
                return data
            written = [(entry, archive.read(entry)) for entry in entries]
    except Exception:  # zipfile raises many types for a crafted archive (BadZipFile, zlib.error, EOFError…)
        return data
    cleaned = [(entry, _cleaned(entry.filename, body)) for entry, body in written]
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


def _cleaned(name: str, body: bytes) -> bytes:
    """One entry's bytes as published: `body` itself when there is nothing to remove."""
    if name in ("docProps/core.xml", "meta.xml"):
        return _kept(body, lambda element: element.tag in _TITLE or element.tag == _ODF_META, deep=name == "meta.xml")
    if name == "docProps/app.xml":
        return _kept(body, lambda element: etree.QName(element).localname not in _APP_PERSONAL)
    if name == "docProps/custom.xml":
        return _kept(body, lambda element: False)
    return without_metadata_chunks(body)   # `body` itself when it is no picture or holds no metadata


def _kept(body: bytes, keep: Callable, deep: bool = False) -> bytes:
    """The XML `body` with only its root's children `keep` keeps (`deep`: and their
    children too, an ODF's office:meta's); `body` itself when it keeps them all or
    cannot be read (no entity is resolved, no DTD or network read)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return body
    holders = [root] + ([child for child in root if child.tag == _ODF_META] if deep else [])
    dropped = False
    for holder in holders:
        for child in list(holder):
            if isinstance(child.tag, str) and not keep(child):
                holder.remove(child)
                dropped = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if dropped else body
