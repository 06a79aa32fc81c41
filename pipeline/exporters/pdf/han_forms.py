"""Han characters print in the forms of the text's language, whatever the print theme.

Chinese, Japanese and Korean share most Han characters but draw many differently (骨,
直, 角), and which face Pango falls back to is fontconfig's pick for the run's
language. fontconfig knows "zh-cn", "zh-tw" and "zh-hk", not BCP 47's script subtags,
so a zh-Hans or zh-Hant book printed its Chinese in the Japanese forms; and Korean's
hanja need the Korean face named (pdf/korean_han.py marks them). These rules lived in
the shipped theme's base.css, so a project theme with a print stylesheet of its own
(themes/<theme>/print/css/base.css, written anew or ejected before them) printed a
zh-Hant world in Japanese forms, silently. Which forms a language is written in is
the product's knowledge, not a design choice: the rules are given to every book as a
user stylesheet (below every rule the theme writes; a theme that sets
`font-language-override` or names a CJK family itself has its way).
"""

from __future__ import annotations

# The override is only the name WeasyPrint hands the font lookup; `lang` stays as
# written (the PDF's language, hyphenation). An element with a `lang` of its own (an
# English line left untranslated) starts again from none. Set only on an element that
# writes `lang` (`[lang]`), inherited below it: `:lang()` alone matches every element
# inside one too, and a rule that matches an element beats what it inherits, whatever
# the origin, so a theme's `html { font-language-override: "ja" }` was lost on each
# paragraph of a zh-Hant book. `.ko-han` is the one family
# named that the theme does not ship: on a machine without it, fontconfig falls back
# as before. A running head copies its text only (string()), not the spans: the margin
# boxes of the shipped theme name `var(--ko-han)` after their own face, set for a
# Korean book here. A writer's emphasis is asked as `oblique`, not the theme's
# `italic`: a face with no italic prints upright in the theme's italic (pdf/synthetic_slant.py), emphasis
# stays slanted (a Latin face's italic is the closest match either way).
LANGUAGE_FACES = """
[lang] { font-language-override: normal; }
[lang]:lang(zh), [lang]:lang(zh-Hans) { font-language-override: "zh-cn"; }
[lang]:lang(zh-Hant), [lang]:lang(zh-TW) { font-language-override: "zh-tw"; }
[lang]:lang(zh-HK), [lang]:lang(zh-MO), [lang]:lang(zh-Hant-HK), [lang]:lang(zh-Hant-MO),
[lang]:lang(yue) { font-language-override: "zh-hk"; }
.ko-han { font-family: "Noto Sans CJK KR"; }
:root:lang(ko) { --ko-han: "Noto Sans CJK KR"; }
em, i { font-style: oblique; }
"""


def language_faces(fonts, fetcher):
    """The rules above as a WeasyPrint stylesheet (user origin, passed to render)."""
    import weasyprint
    return weasyprint.CSS(string=LANGUAGE_FACES, font_config=fonts, url_fetcher=fetcher)
