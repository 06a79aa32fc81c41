"""Chinese, Japanese and Korean print upright where the theme's design is italic.

CJK type has no italics (W3C's JLREQ: Japanese typesetting does not use them), and
the CJK faces a book falls back to have no italic style. For a run the theme sets in
italic (a hero's epithet, a cover's subtitle, a running head) fontconfig's stock rule
(90-synthetic.conf, on Debian and most systems) then slants the roman face by a
matrix: `山田 花子`'s title printed as `Noto-Sans-CJK-JP-Oblique`, a distortion no
Japanese book shows. The rule below, added to each book's font configuration after
the machine's own, takes that slant back off a face that covers Chinese, Japanese or
Korean when the text asked for *italic*, which is what a theme's design writes.

A writer's emphasis (`*強調*`) is the writer's words, not the theme's: upright it
would be silently lost. So the books' own stylesheet (pdf/han_forms.py) asks for
emphasis as *oblique*: a Latin face's italic is still the closest match (the same
face as before), and a CJK run stays slanted, as a browser shows it on the site. A
font that is oblique by design (a real `Oblique` face) has no matrix and is left as
it is; a machine without the stock rule has nothing to undo.
"""

from __future__ import annotations

# The stock rule multiplies the face's matrix by this shear; the rule here multiplies
# it back by the inverse, only when the matrix is exactly the stock rule's (no other
# rule or font set it) and the pattern asked for italic (Pango's CSS `italic`; CSS
# `oblique` is FC_SLANT_OBLIQUE, left alone). One block per language fontconfig knows
# the CJK faces by: once one has applied the matrix is the identity, so no other does.
_SHEAR = "<double>1</double><double>{}</double><double>0</double><double>1</double>"
_BLOCK = f"""<match target="font">
  <test name="lang" compare="contains"><string>{{lang}}</string></test>
  <test target="pattern" name="slant" compare="eq"><const>italic</const></test>
  <test name="matrix" compare="eq"><matrix>{_SHEAR.format("0.2")}</matrix></test>
  <edit name="matrix" mode="assign"><times><name>matrix</name><matrix>{_SHEAR.format("-0.2")}</matrix></times></edit>
  <edit name="slant" mode="assign"><const>roman</const></edit>
</match>
"""
RULES = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
         + "".join(_BLOCK.format(lang=lang) for lang in ("ja", "zh-cn", "zh-tw", "zh-hk", "ko"))
         + "</fontconfig>\n").encode("ascii")


def keep_cjk_upright(fonts) -> None:
    """Add RULES to `fonts` (a WeasyPrint FontConfiguration, before it renders), after
    the machine's rules, and tell its Pango font map the configuration changed."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    if fontconfig.FcConfigParseAndLoadFromMemory(fonts._config, RULES, True):
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", fonts.font_map))
