"""Which characters a font maps, read from its cmap alone.

fontTools names the glyphs of a cmap it reads, and to name them it reads the font's glyph
order first: an OpenType font's whole CFF table (importing fontTools' CFF and OpenType
layout modules, ~30 ms a process, then parsing the charset: ~20 ms for a Libertine face,
more for a CJK font's 65,000 glyphs), a TrueType font's `post` table. Foundry asks only
which code points a font maps, never which glyph draws them: with the glyph order set to
none, every glyph is named by its number (`glyph00042`) and the code points are the same.
`foundry check` reads the print theme's and the cover's faces on every run."""

from __future__ import annotations


def mapped_codes(font) -> set[int]:
    """The code points `font` (a fontTools TTFont, opened lazily) maps in its best
    Unicode cmap (`getBestCmap`); empty when it has none. Raises what fontTools raises
    on a font it cannot read."""
    font.setGlyphOrder([])   # glyph names by number: no CFF or `post` table read (see above)
    return set(font.getBestCmap() or ())
