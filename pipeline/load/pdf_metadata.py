"""A PDF in a theme's static files as the site publishes it: its pages, without who made it.

A handout, a map or a character sheet exported from an office suite or a layout
program carries its author, its creator's software and the times it was made in its
document information dictionary (/Info: Author, Creator, Producer, CreationDate…), in
XMP packets (/Metadata on the catalog, on pages and on images: the same and more, an
editor's history with the owner's paths), in /PieceInfo (an application's private
data), and in each JPEG picture it holds as written, with the photo's EXIF (a GPS
position). Those are removed with pikepdf (qpdf, already what the books are checked
with); every page, font and picture stays as drawn (a JPEG keeps its scan whole:
metadata_chunks drops its APP segments only). Written again with a deterministic /ID,
so a build is reproducible. The document's /Title stays (a reader's tab and window show
it, else the file's name): what the author called the handout, not who made it; a title
that is a file's path (a printer driver's 'C:\\Users\\anna\\…', naming the owner) is
dropped with the rest.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from contextlib import contextmanager

from .metadata_chunks import without_metadata_chunks

_KEYS = ("/Metadata", "/PieceInfo")
# What qpdf may inflate reading and writing a theme's PDF (its object streams, and the
# Flate streams it decodes and compresses again): a 16 MB file of Flate-compressed zeros
# would be some 16 GB. A PDF past it is published as it is.
MAX_INFLATED = 256 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
# A title that is where the file lay: a drive, a home folder, a file: address, an absolute path.
_PATH_TITLE = re.compile(r"^\s*(?:[A-Za-z]:[\\/]|\\\\|/|~|file:)|[\\/](?:Users|home|Documents)[\\/]", re.IGNORECASE)


def pdf_without_metadata(data: bytes) -> bytes:
    """`data` (a PDF: `%PDF-` at its start) without its /Info (but a title, above), XMP, /PieceInfo and its
    JPEG pictures' EXIF, XMP and comments; `data` itself (the same object) when it is no
    PDF, holds none of these, cannot be read (encrypted, broken: as before) or its
    streams inflate past MAX_INFLATED."""
    if not data.startswith(b"%PDF-") or not _inflates_within(data, MAX_INFLATED):
        return data
    import pikepdf
    try:
        with _quiet(), pikepdf.open(io.BytesIO(data)) as pdf:
            changed = _info_titled(pdf)
            for obj in pdf.objects:
                if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                    continue
                for key in _KEYS:
                    if key in obj:
                        del obj[key]
                        changed = True
                if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == pikepdf.Name.DCTDecode:
                    raw = obj.read_raw_bytes()
                    clean = without_metadata_chunks(raw)
                    if clean is not raw:
                        obj.write(clean, filter=pikepdf.Name.DCTDecode, decode_parms=obj.get("/DecodeParms"))
                        changed = True
            if not changed:
                return data
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, fix_metadata_version=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)   # every stream as written
            return out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RuntimeError):
        return data


def _info_titled(pdf) -> bool:
    """Whether the trailer's /Info held more than a title to keep; it then holds that
    title alone, or is gone."""
    import pikepdf
    info = pdf.trailer.get("/Info")
    if info is None:
        return False
    title = info.get("/Title") if isinstance(info, pikepdf.Dictionary) else None
    keep = isinstance(title, pikepdf.String) and not _PATH_TITLE.search(str(title))
    if keep and set(info.keys()) == {"/Title"}:
        return False
    del pdf.trailer["/Info"]
    if keep:
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Title=title))
    return True


@contextmanager
def _quiet():
    """qpdf's complaints about a damaged file (logged by pikepdf at ERROR: 'Pages tree
    includes non-dictionary object') kept from the terminal: the file is published as
    it is or without its metadata, and a browser judges it, as it judges any static file;
    they named no file and no line of the writer's."""
    logger, handler = logging.getLogger("pikepdf"), logging.NullHandler()
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _inflates_within(data: bytes, budget: int) -> bool:
    """Whether the zlib streams that begin after each `stream` keyword of `data` inflate
    to `budget` bytes or fewer in all, counted without keeping them (at most 1 MiB out
    of each call)."""
    total = 0
    for found in _STREAM.finditer(data):
        inflater, at = zlib.decompressobj(), found.end()
        try:
            while not inflater.eof and at < len(data):
                pending, at = data[at:at + 65536], at + 65536
                while pending and not inflater.eof:
                    total += len(inflater.decompress(pending, 1 << 20))
                    pending = inflater.unconsumed_tail
                    if total > budget:
                        return False
        except zlib.error:
            continue   # not Flate (a JPEG, text): nothing qpdf inflates
    return True
