"""A PNG's gAMA and cHRM chunks, and its cICP, as the colour profile a browser reads them as.

A PNG without an embedded profile (iCCP) or an sRGB chunk may say how its values are
encoded with gAMA (the file's gamma: 1.0 for linear light, as Blender and other
renderers write) and cHRM (its primaries and white). Chromium and Firefox convert
through them: a linear PNG's stored grey 64 shows as 137, and primaries other than
sRGB's show other colours. Pillow reads the chunks but applies nothing, so such a
portrait was published as stored, far darker than every browser showed the file.
This module writes the ICC profile those chunks describe (v2, a matrix and curves,
the primaries adapted to the profile connection space's D50 white by Bradford), so
the one colour-management path (load/media.py _to_srgb, LittleCMS) applies it as any
embedded profile. A gamma of 1/2.2 with no cHRM is what browsers take for sRGB: no
profile then, and such files keep their bytes.

A cICP chunk (PNG's third edition; libpng, libavif's avifdec and HDR screenshot tools
write one) names the primaries and transfer of H.273's tables, and comes before every
other colour chunk, an embedded profile too: Chromium shows a cICP Display P3 file's
stored (200, 100, 50) as (215, 93, 31). Pillow reads no cICP (media.py reads it, before
the image data, as browsers do), so such a portrait was published as stored. The SDR
ones are written as a profile here (cicp_profile); a PQ or HLG file (HDR, which a
browser tone-maps to the screen) and narrow-range or non-RGB ones are left as before.
"""

from __future__ import annotations

import struct
from typing import Any, Mapping

# What browsers take for sRGB: Chromium shows a gAMA of 1/2.2 (0.45455) exactly as an
# untagged file (the sRGB curve, not a pure 2.2 power).
SRGB_GAMMA = 1 / 2.2
_CLOSE = 0.01
# sRGB's white (D65) and primaries, as cHRM writes them: white x, y, red x, y, green, blue.
SRGB_CHROMATICITY = (0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06)
D50 = (0.9642, 1.0, 0.8249)
_BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))


def profile_of(info: Mapping[str, Any], mode: str) -> bytes | None:
    """The ICC profile a browser reads a PNG's gAMA (and cHRM) as, for pixels of
    `mode` (a grey one for L and LA, else RGB); None when the PNG carries a profile or
    an sRGB chunk (those come first, as in a browser), no usable gAMA, or one browsers
    show as sRGB."""
    if info.get("icc_profile") or "srgb" in info:
        return None
    gamma = info.get("gamma")
    if not isinstance(gamma, (int, float)) or not 0 < gamma < float("inf"):
        return None   # a gAMA of 0 is none (Chromium ignores it); any other it applies, however far-fetched
    chromaticity = info.get("chromaticity")
    if not (isinstance(chromaticity, tuple) and len(chromaticity) == 8 and _valid_xy(chromaticity)):
        chromaticity = None   # libpng (Chromium's) ignores such a cHRM: the gamma alone is applied
    if abs(gamma - SRGB_GAMMA) < _CLOSE and (chromaticity is None or _near(chromaticity, SRGB_CHROMATICITY)):
        return None
    curve = _curve(1 / gamma)
    if mode in ("L", "LA", "I", "I;16", "I;16B", "I;16L"):
        return _profile(b"GRAY", [(b"kTRC", curve)])
    try:
        columns = _to_d50(chromaticity or SRGB_CHROMATICITY)
        return _profile(b"RGB ", [(b"rXYZ", _xyz(columns[0])), (b"gXYZ", _xyz(columns[1])),
                                  (b"bXYZ", _xyz(columns[2])), (b"rTRC", curve), (b"gTRC", curve),
                                  (b"bTRC", curve)])
    except (ZeroDivisionError, struct.error):
        # primaries on one line, or nearly (a primary's XYZ past what a profile can
        # hold, s15Fixed16): no colours to convert
        return None


# H.273's colour primaries (cICP's first byte) as cHRM writes them: white x, y, red x, y, green, blue.
_D65 = (0.3127, 0.3290)
_CICP_PRIMARIES = {
    1: (*_D65, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06),                      # BT.709, sRGB
    4: (0.310, 0.316, 0.67, 0.33, 0.21, 0.71, 0.14, 0.08),               # BT.470 M
    5: (*_D65, 0.64, 0.33, 0.29, 0.60, 0.15, 0.06),                      # BT.470 BG, BT.601 625
    6: (*_D65, 0.630, 0.340, 0.310, 0.595, 0.155, 0.070),                # BT.601 525, SMPTE 170M
    7: (*_D65, 0.630, 0.340, 0.310, 0.595, 0.155, 0.070),                # SMPTE 240M
    8: (0.310, 0.316, 0.681, 0.319, 0.243, 0.692, 0.145, 0.049),         # generic film
    9: (*_D65, 0.708, 0.292, 0.170, 0.797, 0.131, 0.046),                # BT.2020, BT.2100
    11: (0.314, 0.351, 0.680, 0.320, 0.265, 0.690, 0.150, 0.060),        # DCI-P3 (its own white)
    12: (*_D65, 0.680, 0.320, 0.265, 0.690, 0.150, 0.060),               # Display P3
    22: (*_D65, 0.630, 0.340, 0.295, 0.605, 0.155, 0.077),               # EBU Tech 3213
}


def _srgb_decode(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _bt1886(v: float) -> float:
    return v ** 2.4


def _smpte240_decode(v: float) -> float:
    return v / 4.0 if v < 0.0913 else ((v + 0.1115) / 1.1115) ** (1 / 0.45)


# H.273's transfer characteristics (cICP's second byte) browsers draw SDR: each a stored
# value (0-1) to linear light. BT.709's (1, and BT.601's 6, BT.2020's 14 and 15) is
# shown as BT.1886 says a display shows it, a 2.4 power, as Chromium shows it (not the
# camera curve's inverse: 200 shown as 197, not 206). PQ (16) and HLG (18) are HDR: not here.
_CICP_TRANSFERS = {1: _bt1886, 6: _bt1886, 14: _bt1886, 15: _bt1886,
                   4: lambda v: v ** 2.2, 5: lambda v: v ** 2.8, 7: _smpte240_decode, 8: lambda v: v,
                   13: _srgb_decode}


def cicp_profile(info: Mapping[str, Any], mode: str) -> bytes | None:
    """The ICC profile a browser reads a PNG's cICP chunk (`info["cicp"]`: primaries,
    transfer, matrix, full range) as, for pixels of `mode`; b"" when it is sRGB's (the
    stored values shown, whatever other colour chunks say); None when there is none,
    or it is HDR, narrow-range, for other than RGB samples (matrix 0), or names a table
    entry this module does not know: those are shown as before."""
    cicp = info.get("cicp")
    if not (isinstance(cicp, tuple) and len(cicp) == 4) or cicp[2] != 0 or cicp[3] != 1:
        return None
    primaries, transfer = cicp[0], cicp[1]
    decode = _CICP_TRANSFERS.get(transfer)
    grey = mode in ("L", "LA", "I", "I;16", "I;16B", "I;16L")
    if decode is None or (primaries not in _CICP_PRIMARIES and not grey):
        return None
    if transfer == 13 and (grey or primaries == 1):
        return b""   # sRGB itself
    curve = _table(decode)
    if grey:
        return _profile(b"GRAY", [(b"kTRC", curve)], "PNG cICP")
    columns = _to_d50(_CICP_PRIMARIES[primaries])
    return _profile(b"RGB ", [(b"rXYZ", _xyz(columns[0])), (b"gXYZ", _xyz(columns[1])), (b"bXYZ", _xyz(columns[2])),
                              (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)], "PNG cICP")


def cicp_unshown(info: Mapping[str, Any]) -> str | None:
    """Why a PNG's cICP (`info["cicp"]`) makes browsers show other colours than any
    output can, in words for HF0757, or None: an HDR transfer (PQ, HLG), which Chromium
    tone-maps to the screen (stored 130 shown as 137, 100 as 76: no profile says it),
    or samples of a matrix other than RGB's, which PNG does not allow and Chromium
    converts anyway. A cICP browsers ignore (narrow range, a code H.273 reserves) is
    ignored here too: no word of it."""
    cicp = info.get("cicp")
    if not (isinstance(cicp, tuple) and len(cicp) == 4) or cicp[3] != 1:
        return None
    if cicp[2] != 0:
        return f"its cICP chunk says its samples are YCbCr (matrix {cicp[2]}), which browsers convert"
    hdr = {16: "PQ", 18: "HLG"}.get(cicp[1])
    return f"its cICP chunk says it is HDR ({hdr}), whose light browsers map to the screen" if hdr else None


def _table(decode) -> bytes:
    """A 'curv' of 1,024 samples of `decode` (0-1 to 0-1)."""
    points = 1024
    values = [min(0xFFFF, max(0, round(decode(i / (points - 1)) * 0xFFFF))) for i in range(points)]
    return b"curv\0\0\0\0" + struct.pack(f">I{points}H", points, *values)


def _valid_xy(chromaticity: tuple[float, ...]) -> bool:
    """Whether each of cHRM's white and primaries is a colour at all, as libpng
    (png_colorspace_check_xy) asks: x and y in 0–1, x + y at most 1, y above 0. A file
    may hold any 32-bit values (a crafted 42949.67 made an internal error)."""
    pairs = zip(chromaticity[0::2], chromaticity[1::2])
    return all(isinstance(x, (int, float)) and isinstance(y, (int, float)) and 0 <= x <= 1 and 0 < y <= 1
               and x + y <= 1 for x, y in pairs)


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) < 0.001 for x, y in zip(a, b))


def _to_d50(chromaticity: tuple[float, ...]) -> list[tuple[float, float, float]]:
    """The XYZ (D50) of the red, green and blue primaries at full strength."""
    wx, wy, rx, ry, gx, gy, bx, by = chromaticity
    primaries = [_xyz_of(rx, ry), _xyz_of(gx, gy), _xyz_of(bx, by)]
    white = _xyz_of(wx, wy)
    matrix = [[primaries[c][r] for c in range(3)] for r in range(3)]   # columns: the primaries
    scale = _apply(_inverse(matrix), white)                            # each primary's share of white
    rgb_to_xyz = [[matrix[r][c] * scale[c] for c in range(3)] for r in range(3)]
    source, target = _apply(_BRADFORD, white), _apply(_BRADFORD, D50)
    adapt = _multiply(_inverse(_BRADFORD), _multiply([[target[i] / source[i] if i == j else 0.0 for j in range(3)]
                                                       for i in range(3)], _BRADFORD))
    d50 = _multiply(adapt, rgb_to_xyz)
    return [(d50[0][c], d50[1][c], d50[2][c]) for c in range(3)]


def _xyz_of(x: float, y: float) -> tuple[float, float, float]:
    return (x / y, 1.0, (1 - x - y) / y)


def _apply(m, v) -> list[float]:
    return [sum(m[r][c] * v[c] for c in range(3)) for r in range(3)]


def _multiply(a, b) -> list[list[float]]:
    return [[sum(a[r][k] * b[k][c] for k in range(3)) for c in range(3)] for r in range(3)]


def _inverse(m) -> list[list[float]]:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    if abs(det) < 1e-12:
        raise ZeroDivisionError("singular")
    return [[(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
            [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
            [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det]]


def _fixed(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(value: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(map(_fixed, value))


def _curve(exponent: float) -> bytes:
    """A 'curv' of one power (u8Fixed8); none for a linear one (the identity); a table
    (_table) for a power one cannot hold (under 1/256 or from 256 up): a gAMA of
    0.00001 or 40,000, which Chromium applies (nearly all black, nearly all white), was
    left unapplied (gammas outside 0.01-10 were ignored) and the picture published as stored."""
    if abs(exponent - 1.0) < 1 / 512:
        return b"curv\0\0\0\0" + struct.pack(">I", 0)
    if not 1 <= round(exponent * 256) <= 0xFFFF:
        return _table(lambda v: v ** exponent)
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(exponent * 256)) + b"\0\0"


def _text(words: str) -> bytes:
    ascii_ = words.encode("ascii") + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(ascii_)) + ascii_ + struct.pack(">IIHB", 0, 0, 0, 0) + bytes(67)


def _profile(space: bytes, tags: list[tuple[bytes, bytes]], description: str = "PNG gAMA/cHRM") -> bytes:
    """An ICC v2 display profile of `space` holding `tags`, with a description and
    the D50 white point."""
    tags = [(b"desc", _text(description)), (b"wtpt", _xyz(D50)), *tags]
    offset = 128 + 4 + 12 * len(tags)
    table, data = [], b""
    for signature, body in tags:
        table.append(struct.pack(">4sII", signature, offset + len(data), len(body)))
        data += body + bytes(-len(body) % 4)
    size = offset + len(data)
    header = (struct.pack(">I", size) + bytes(4) + struct.pack(">I", 0x02100000) + b"mntr" + space + b"XYZ "
              + bytes(12) + b"acsp" + bytes(4 + 4 + 4 + 4 + 8 + 4) + b"".join(map(_fixed, D50)) + bytes(4 + 16 + 28))
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data
