"""Where the theme's design is italic, a face with no italic prints upright, not slanted.

A print theme sets some runs in italic (a hero's epithet, a cover's subtitle, a
running head). Latin text has its face's italic. A run in a script the theme's faces
do not cover falls back to a face that usually has no italic at all: CJK (which has
no italics: W3C's JLREQ), Thai, Devanagari, Khmer, Myanmar, Tibetan, Ethiopic… For
those, fontconfig's stock rule (90-synthetic.conf, on Debian and most systems) slants
the roman face by a matrix: `山田 花子`'s title printed as `Noto-Sans-CJK-JP-Oblique`,
a Thai epithet as `Noto-Sans-Thai-Oblique`, a distortion no book in those scripts
shows. The site and the EPUB never do it (`font-synthesis-style: none` on the body,
site.css and epub.css); the rule below, added to each book's font configuration after
the machine's own, takes that slant back off when the text asked for *italic*, which
is what a theme's design writes, so the PDF agrees with them. (It first did so for
CJK faces only, and every other script kept the made-up slant.)

A writer's emphasis (`*強調*`) is the writer's words, not the theme's: upright it
would be silently lost. So the books' own stylesheet (pdf/han_forms.py) asks for
emphasis as *oblique*: a Latin face's italic is still the closest match (the same
face as before), and a run in a face without one stays slanted, as a browser shows it
on the site. A font that is oblique by design (DejaVu's `Oblique`) has no matrix and
is left as it is; a machine without the stock rule has nothing to undo.
"""

from __future__ import annotations

# The stock rule multiplies the face's matrix by this shear; the rule here multiplies
# it back by the inverse, only when the matrix is exactly the stock rule's (no other
# rule or font set it) and the pattern asked for italic (Pango's CSS `italic`; CSS
# `oblique` is FC_SLANT_OBLIQUE, left alone). Once it has applied the matrix is the
# identity and the slant roman, so it cannot apply twice.
_SHEAR = "<double>1</double><double>{}</double><double>0</double><double>1</double>"
RULES = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
<match target="font">
  <test target="pattern" name="slant" compare="eq"><const>italic</const></test>
  <test name="matrix" compare="eq"><matrix>{_SHEAR.format("0.2")}</matrix></test>
  <edit name="matrix" mode="assign"><times><name>matrix</name><matrix>{_SHEAR.format("-0.2")}</matrix></times></edit>
  <edit name="slant" mode="assign"><const>roman</const></edit>
</match>
</fontconfig>
""".encode("ascii")


def no_synthetic_slant(fonts) -> None:
    """Add RULES to `fonts` (a WeasyPrint FontConfiguration, before it renders), after
    the machine's rules, and tell its Pango font map the configuration changed."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    if fontconfig.FcConfigParseAndLoadFromMemory(fonts._config, RULES, True):
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", fonts.font_map))
