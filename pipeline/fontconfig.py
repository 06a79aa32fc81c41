"""fontconfig, asked through its C library: the fonts of this machine a book draws from.

WeasyPrint's Pango falls back through every font fontconfig knows for a character the
print theme's fonts lack, and an EPUB's cover is drawn with fontconfig's pick
(exporters/epub/cover.py). Which characters print (exporters/pdf/coverage.py) and
whether a book made earlier is still the one this machine would make (`machine_fonts`)
are both questions to fontconfig. Light on purpose: a no-op build imports it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import os

from .runs import per_run


# Which face draws a character is the book's language's choice, never the builder's
# locale's. fontconfig adds the languages of FC_LANG (else LC_ALL, LC_CTYPE, LANG) to
# every font it is asked for, and Pango takes PANGO_LANGUAGE (else LANGUAGE) as the
# language of a script the text's own does not write: on a machine whose locale was
# zh_CN, a Japanese world (`language = "ja"`) printed its 直, 骨 and 海 in the
# Simplified Chinese forms, a zh-Hant world too, and an English world's Japanese hero
# in whatever region the shell named; its cover likewise. Both are read once a process,
# on first use (fontconfig's as soon as it is loaded, before any book is planned): the
# command line pins them as it starts (cli.py, pin_language), and the cover's `fc-match`
# is run with them, to what a machine with no locale reads ("C" is English to
# fontconfig, and no language to Pango writes Han).
PINNED_LANGUAGE = {"FC_LANG": "en", "PANGO_LANGUAGE": "en"}


def pin_language() -> None:
    """Set PINNED_LANGUAGE in this process's environment, before Pango or fontconfig
    first pick a font in it (each reads them once; setting them again is harmless)."""
    os.environ.update(PINNED_LANGUAGE)


class FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@functools.lru_cache(maxsize=1)
def library():
    """The fontconfig library with the signatures used here (loaded once a process), or
    None when it cannot be loaded."""
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    except OSError:
        return None
    void = ctypes.c_void_p
    lib.FcInitLoadConfigAndFonts.restype = void
    lib.FcConfigDestroy.argtypes = [void]
    lib.FcPatternCreate.restype = void
    lib.FcObjectSetBuild.restype = void
    lib.FcFontList.restype = ctypes.POINTER(FcFontSet)
    lib.FcFontList.argtypes = [void, void, void]
    lib.FcPatternGetCharSet.argtypes = [void, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(void)]
    lib.FcPatternGetString.argtypes = [void, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    lib.FcPatternGetInteger.argtypes = [void, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.FcCharSetCreate.restype = void
    lib.FcCharSetMerge.argtypes = [void, void, void]
    lib.FcCharSetHasChar.argtypes = [void, ctypes.c_uint32]
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(FcFontSet)]
    lib.FcObjectSetDestroy.argtypes = [void]
    lib.FcPatternDestroy.argtypes = [void]
    return lib


def font_list(lib, config, *objects: bytes):
    """fontconfig's list of every font of `config`, with the `objects` asked for (an
    FcFontSet pointer the caller destroys), or None."""
    pattern = lib.FcPatternCreate()
    wanted = lib.FcObjectSetBuild(*objects, None)
    fonts = lib.FcFontList(config, pattern, wanted)
    lib.FcObjectSetDestroy(wanted)
    lib.FcPatternDestroy(pattern)
    return fonts or None


@contextlib.contextmanager
def _listing(*objects: bytes):
    """(the library, fontconfig's FcFontSet pointer) of every font this machine's
    configuration lists, with the `objects` asked for, for the `with` block, or None when
    fontconfig cannot be loaded or asked; the set and the configuration are freed when
    the block ends. The one way this module lists the machine's fonts."""
    lib = library()
    config = lib.FcInitLoadConfigAndFonts() if lib is not None else None
    if not config:
        yield None
        return
    fonts = font_list(lib, config, *objects)
    try:
        yield (lib, fonts) if fonts is not None else None
    finally:
        if fonts is not None:
            lib.FcFontSetDestroy(fonts)
        lib.FcConfigDestroy(config)


def visit_drawn_charsets(visit) -> bool | None:
    """Call `visit(lib, charset)` with the character set (an FcCharSet pointer, valid
    only during the call) of each font fontconfig lists that Pango draws from (TrueType
    or CFF: a bitmap or Type 1 font draws nothing), until one call returns True.
    Returns whether one did; None when fontconfig cannot be loaded or asked. The one
    walk of the machine's fonts for HF0741 (exporters/pdf/coverage.py) and HF0761
    (exporters/pdf/marks_apart.py)."""
    with _listing(b"charset", b"fontformat") as listing:
        if listing is None:
            return None
        lib, fonts = listing
        for k in range(fonts.contents.nfont):
            font = fonts.contents.fonts[k]
            kind = ctypes.c_char_p()
            if lib.FcPatternGetString(font, b"fontformat", 0, ctypes.byref(kind)) != 0 or \
                    (kind.value or b"").lower() not in (b"truetype", b"cff"):
                continue
            charset = ctypes.c_void_p()
            if lib.FcPatternGetCharSet(font, b"charset", 0, ctypes.byref(charset)) == 0 and visit(lib, charset):
                return True
        return False


@per_run   # once within a run (runs.py): one check asked four times, ~5 ms each
def _listed() -> set[tuple[bytes, int]] | None:
    """(file, face index) of every font fontconfig lists on this machine, or None when
    fontconfig cannot be asked. Asked afresh each time (a few ms: fontconfig keeps its
    caches mapped), so that a long-lived process (`foundry serve`) sees a font
    installed meanwhile; once within a run (`runs.one_run`)."""
    with _listing(b"file", b"index") as listing:
        if listing is None:
            return None
        lib, fonts = listing
        listed = set()
        for k in range(fonts.contents.nfont):
            file, index = ctypes.c_char_p(), ctypes.c_int(0)
            if lib.FcPatternGetString(fonts.contents.fonts[k], b"file", 0, ctypes.byref(file)) == 0 and file.value:
                lib.FcPatternGetInteger(fonts.contents.fonts[k], b"index", 0, ctypes.byref(index))
                listed.add((file.value, index.value))
        return listed


def listed_files() -> frozenset[str] | None:
    """The real paths of the font files fontconfig lists (those a PDF's fallback can
    draw from), or None when fontconfig cannot be asked. A font file on disk is not one
    of them when the configuration (FONTCONFIG_FILE, fonts.conf) leaves its folder out."""
    listed = _listed()
    if listed is None:
        return None
    return frozenset(os.path.realpath(os.fsdecode(file)) for file, _ in listed)


@per_run
def machine_fonts() -> str:
    """A digest of the fonts fontconfig lists on this machine — each file's path, face
    and size —, "" when fontconfig cannot be asked. What a PDF (by
    Pango's fallback) and an EPUB's cover draw from beyond the theme's fonts is a
    function of it: it is part of those books' recipes and of what a no-op build and a
    replayed check are keyed by. Installing the package HF0741's hint names left the
    next build "unchanged", the boxes printed and the warning said again. Once within
    a run (`runs.one_run`)."""
    listed = _listed()
    if listed is None:
        return ""
    digest = hashlib.sha256()
    for file, index in sorted(listed):
        # and its size, as a font replaced in place (a package's upgrade) keeps its path;
        # not its time, which two machines made from one image (the shards of one build,
        # engine/shards.py, whose plans must agree) need not share
        try:
            size = b"%d" % os.stat(file).st_size
        except OSError:
            size = b"-"
        digest.update(file + b"\0%d\0" % index + size + b"\0")
    return digest.hexdigest()[:16]
