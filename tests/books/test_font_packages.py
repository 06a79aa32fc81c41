"""HF0741's hint names a font package only for characters that package draws.

A hand-kept table of scripts and blocks said "install fonts-noto-core" for U+20C0 (SOM
SIGN), which Debian's fonts-noto-core lacks, "install fonts-noto-color-emoji" for chess
pieces and alchemical symbols (only fonts-noto-core draws them), fonts-noto-core for
box drawing and fullwidth Latin (only the CJK fonts do), and "in no package" for
hentaigana (Hanazono has them). What each package draws is now read from its fonts
(pipeline/exporters/pdf/debian_fonts.txt); here, under CI (which installs the packages
of .ci/fonts.txt), the installed packages are checked to draw every character that file
gives them, and a package installed here is never named for a box."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from book_support import ONE_PROCESS
from support import ci_fonts, diagnostics, foundry, only_fonts, require_tool, with_background

from pipeline.exporters.pdf import font_packages
from pipeline.exporters.pdf.glyphs import font_hint


def _fontconfig_files() -> dict[bytes, object]:
    """Each font file fontconfig lists → a function telling whether it has a code point
    (its charset, as fontconfig cached it: what Pango falls back through)."""
    from pipeline.fontconfig import font_list, library
    lib = library()
    config = lib.FcInitLoadConfigAndFonts()
    fonts = font_list(lib, config, b"file", b"charset")
    files: dict[bytes, list] = {}
    for k in range(fonts.contents.nfont):
        pattern = fonts.contents.fonts[k]
        file, charset = ctypes.c_char_p(), ctypes.c_void_p()
        if (lib.FcPatternGetString(pattern, b"file", 0, ctypes.byref(file)) == 0
                and lib.FcPatternGetCharSet(pattern, b"charset", 0, ctypes.byref(charset)) == 0):
            files.setdefault(file.value, []).append(charset.value)
    return {file: (lambda code, sets=sets: any(lib.FcCharSetHasChar(s, code) for s in sets))
            for file, sets in files.items()}   # (config kept alive: the charsets are its)


def _samples(package: str) -> list[int]:
    """Each range of `package` in debian_fonts.txt by its first, middle and last code point."""
    _, starts, ends = font_packages._coverage()[package]
    return sorted({code for a, b in zip(starts, ends) for code in (a, (a + b) // 2, b)})


# The packages CI installs (.ci/fonts.txt), and any other installed here. A package
# neither is not a case (a skip under CI=true is a failure): its row in debian_fonts.txt
# is read from its .deb by scripts/debian-font-coverage.py.
_CHECKED = [package for package in font_packages.PACKAGES
            if package in {p for _, p, _ in ci_fonts()} or font_packages.installed(package)]


@pytest.mark.parametrize("package", _CHECKED)
def test_an_installed_package_draws_what_the_hint_names_it_for(package):
    if not font_packages.installed(package):
        require_tool(False, f"Debian package {package}")
    listed = Path(f"/var/lib/dpkg/info/{package}.list").read_text(encoding="utf-8").splitlines()
    files = {name.encode() for name in listed if name.endswith((".ttf", ".otf", ".ttc", ".otc"))}
    has = [draws for file, draws in _fontconfig_files().items() if file in files]
    assert has, f"fontconfig lists none of {package}'s fonts"
    lacking = [code for code in _samples(package) if not any(draws(code) for draws in has)]
    assert not lacking, (f"{package} installed here lacks {len(lacking)} characters debian_fonts.txt gives it "
                         f"(run scripts/debian-font-coverage.py): " + " ".join(f"U+{c:04X}" for c in lacking[:20]))


def test_each_character_is_sent_to_a_package_that_draws_it(monkeypatch):
    monkeypatch.setattr(font_packages, "installed", lambda package: False)
    sent = {"\u20c0": None,   # SOM SIGN (Unicode 14): in no Debian package
            "\u265e": "fonts-noto-core", "\U0001F700": "fonts-noto-core",   # a chess knight, an alchemical sign
            "\u2500": "fonts-noto-cjk", "\uff21": "fonts-noto-cjk",   # box drawing, fullwidth A
            "\uFA70": "fonts-hanazono", "\U0001B001": "fonts-hanazono",   # a compatibility ideograph, hentaigana
            "\U0001F409": "fonts-noto-color-emoji", "\u5c71": "fonts-noto-cjk", "\U00020000": "fonts-hanazono",
            "\U00030000": None}   # Extension G
    for char, package in sent.items():
        hint = font_hint(char)
        named = [p for p in font_packages.PACKAGES if f"nstall {p}" in hint]
        assert named == ([package] if package else []), (f"U+{ord(char):04X}", hint)
        if package is None:
            assert "newer than Debian and Ubuntu's font packages" in hint and "themes/<theme>/print/fonts/" in hint


def test_a_package_installed_here_is_not_named_for_what_it_did_not_print(monkeypatch):
    """A box drawn on a machine that has the package (an older version than the one
    debian_fonts.txt read) is not 'install fonts-noto-cjk': that changes nothing."""
    monkeypatch.setattr(font_packages, "installed", lambda package: package != "fonts-noto-color-emoji")
    hint = font_hint("\u5c71\U0001F409")   # Hanazono draws 山 too: both are installed
    assert "fonts-noto-cjk and fonts-hanazono installed here are older" in hint, hint
    assert "install fonts-noto-color-emoji" in hint and "install fonts-noto-cjk" not in hint.lower(), hint
    monkeypatch.setattr(font_packages, "installed", lambda package: package == "fonts-noto-cjk")
    assert font_hint("\u5c71").startswith("Install fonts-hanazono ")   # the one not installed that draws it


def test_check_sends_a_sign_no_package_has_to_the_theme_not_to_fonts_noto_core(project_factory):
    """A real project: U+20C0 in a hero's background, on this machine (which has
    fonts-noto-core under CI): one HF0741 at that line, whose hint names no package."""
    root = project_factory({})
    line = with_background(root, "Paid in \u20c0 and silver.\n")
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0741"]
    assert [(d["file"], d["line"]) for d in said] == [("content/heroes/first-hero.yaml", line)], diagnostics(run)
    assert "nstall fonts-noto-core" not in said[0]["hint"] and "newer than" in said[0]["hint"], said[0]["hint"]


def test_a_package_fontconfig_does_not_list_is_named_with_its_folder(project_factory, tmp_path, monkeypatch):
    """fonts-noto-cjk installed, and a fontconfig configuration (FONTCONFIG_FILE, here
    one that reads no folder) that leaves its fonts out: Japanese prints as boxes. The
    hint took the package for an older version lacking them and sent the writer to
    install fonts-hanazono (which draws 山 too) for a Japanese name, and said of Hangul
    that the fonts-noto-cjk installed was "older than the versions that have these
    characters". It names the package that is there, and its folder, for fontconfig to
    read: one HF0741 at each line, with that fix."""
    require_tool(font_packages.installed("fonts-noto-cjk"), "Debian package fonts-noto-cjk (.ci/fonts.txt)")
    root = project_factory({})
    line = with_background(root, "山田 花子\n한국\n")
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n',
                      encoding="utf-8")
    monkeypatch.setenv("FOUNDRY_TEST_COLD_START", "1")   # a warm start's zygote has read fontconfig's own
    run = foundry("check", "--format", "json", "--project", str(root), env={"FONTCONFIG_FILE": str(config)})
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0741"]
    assert [(d["file"], d["line"]) for d in said] == [("content/heroes/first-hero.yaml", line),
                                                       ("content/heroes/first-hero.yaml", line + 1)], diagnostics(run)
    folder = str(Path(min(font_packages.installed_fonts("fonts-noto-cjk"))).parent)
    for hint in (d["hint"] for d in said):
        assert hint.startswith("fonts-noto-cjk is installed here but fontconfig lists none of its fonts"), hint
        assert f"let fontconfig read {folder} " in hint and "hanazono" not in hint and "older" not in hint, hint


def test_fontconfig_is_listed_once_for_a_whole_report(monkeypatch):
    """A hint asks fontconfig for its list of font files (some 30 ms) when a package
    drawing the line's characters is installed here. Asked for each line, a
    FONTCONFIG_FILE leaving fonts-noto-cjk out made `check` of a Japanese world of 400
    lines 8 seconds slower: one list serves the whole report, every line still told."""
    from pipeline import fontconfig
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.pdf.glyphs import report_missing
    asked: list[int] = []

    def listed_files():
        asked.append(1)
        return frozenset()   # fontconfig lists none of the package's fonts
    monkeypatch.setattr(fontconfig, "listed_files", listed_files)
    monkeypatch.setattr(font_packages, "installed_fonts",
                        lambda package: ["/fonts/noto/NotoSansCJK.ttc"] if package == "fonts-noto-cjk" else [])
    text = "".join(f"- 山田{i}\n" for i in range(40))
    diags = Diagnostics()
    report_missing({"山", "田"}, [("content/stories/s.md", text)], diags)
    said = [d for d in diags.sorted() if d.code == "HF0741"]
    assert len(said) == 40 and all(d.hint.startswith("fonts-noto-cjk is installed here but fontconfig lists none")
                                   for d in said), [d.hint for d in said[:2]]
    assert len(asked) == 1, len(asked)


def test_the_shipped_themes_words_in_a_language_no_font_has_are_one_warning_at_its_tag(project_factory, tmp_path,
                                                                                          monkeypatch):
    """A machine whose fontconfig lists one Latin font (no DejaVu, no Noto Arabic): an
    Arabic world. Its books print the shipped theme's Arabic words (its catalog:
    'Contents', a sheet's headings) as boxes; each of the three said HF0741 at
    foundry.toml with no line, naming the characters it happened to print (three
    warnings in different words), and check said nothing. One warning now, at the tag
    of `[project] language`, naming the language and the package, said by check in the
    same words; and for an English world translated into Arabic, at the "ar" of
    `[l10n] languages`."""
    root = project_factory({})
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf", "epub"')
    config.write_text(text.replace('language = "en"', 'language = "ar"'), encoding="utf-8")
    at = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("language"))
    latin = (Path(__file__).parents[2] / "themes/default/print/fonts/LinBiolinum_R.otf").read_bytes()
    env = {**only_fonts(tmp_path, monkeypatch, {"latin.otf": latin}), "SOURCE_DATE_EPOCH": "1700000000",
           **ONE_PROCESS}

    def said(*args):
        run = foundry(*args, "--format", "json", "--project", str(root), env=env)
        return run, [d for d in run.json()["diagnostics"] if d["code"] in ("HF0741", "HF0752")]

    built, in_build = said("build", "--only", "pdf,epub")
    assert built.code == 0, built.stderr
    # the EPUB covers' subtitles ('A gamebook', 'Compendium' in Arabic): two HF0752 at
    # foundry.toml with no line, in different characters; one at the tag now
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in in_build] == [
        ("HF0741", "foundry.toml", at, 12), ("HF0752", "foundry.toml", at, 12)], diagnostics(built)
    warning, cover = in_build
    assert "the theme's own words in Arabic ('ar')" in warning["message"] and "(Arabic)" in warning["message"], warning
    assert "the theme's own words in Arabic ('ar')" in cover["message"], cover
    assert "fonts-noto-core" in warning["hint"] and "fonts-noto-core" in cover["hint"], warning["hint"]
    checked, in_check = said("check", "--strict")
    assert checked.code == 1 and in_check == in_build, diagnostics(checked)
    # translated into Arabic: at its item of [l10n] languages, on whichever line, not at
    # a "ar" in a comment beside the array (the caret fell in the comment, HF1105's too)
    config.write_text(text + '\n[l10n]\nlanguages = [ # "ar" is Arabic\n  "de",\n             "ar"]\n',
                      encoding="utf-8")
    tag = ("foundry.toml", len(text.splitlines()) + 5, 14)
    _, in_check = said("check")
    assert [(d["file"], d["line"], d["column"], d["message"]) for d in in_check] == [
        (*tag, d["message"]) for d in in_build], in_check
    # the project's own catalog gives "Contents" and the gamebook's subtitle: each line
    # said once at its line; the compendium's cover's shipped subtitle at the tag, naming
    # none of the own subtitle's letters. Its characters were placed at whichever catalog
    # line held them first: HF0752 at the line of "Contents" (no cover prints it), and
    # at the subtitle's line twice, in each cover's characters; and a translator's
    # comment quoting the word (no book prints it) was HF0741 too.
    po = "themes/default/locale/ar/LC_MESSAGES/messages.po"
    (root / po).parent.mkdir(parents=True)
    (root / po).write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                           'msgid "Contents"\nmsgstr "الفهرس"\n\n# لعبة كتاب: a game in a book\nmsgid "A gamebook"\n'
                           'msgstr "لعبة كتاب"\n', encoding="utf-8")
    _, in_check = said("check")
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in in_check] == [
        ("HF0741", *tag), ("HF0752", *tag), ("HF0741", po, 7, 9), ("HF0741", po, 11, 9),
        ("HF0752", po, 11, 9)], diagnostics(_)
    assert "U+0643" not in in_check[1]["message"] and "U+0643" in in_check[4]["message"], in_check   # ك: كتاب's


def test_a_machine_with_no_fonts_is_one_notice_with_its_code(project_factory, tmp_path, monkeypatch):
    """A bare container (fontconfig lists no font at all, here a FONTCONFIG_FILE reading
    no folder): WeasyPrint printed its own "UserWarning: No fonts configured in
    FontConfig. Expect ugly output." once in every process that made a PDF, without a
    code, and check said nothing. One HF0740 now, at <environment>, said by check and
    build alike; the books are still made with the theme's own fonts."""
    root = project_factory({})
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n',
                      encoding="utf-8")
    monkeypatch.setenv("FOUNDRY_TEST_COLD_START", "1")   # a warm start's zygote imported WeasyPrint with fonts
    env = {"FONTCONFIG_FILE": str(config)}
    for args in (("check",), ("build", "--only", "pdf")):
        run = foundry(*args, "--project", str(root), env=env)
        assert run.code == 0, diagnostics(run)
        assert "UserWarning" not in run.stderr and "No fonts configured" not in run.stderr, run.stderr
        said = [line for line in run.stderr.splitlines() if "HF0740" in line]
        assert said == ["<environment>: info HF0740 fontconfig lists no fonts on this machine: the PDFs print with "
                        "the print theme's own fonts alone, and any character those lack shows as a box (HF0741 "
                        "names each); install fonts (fonts-noto-core, fonts-noto-cjk) or point FONTCONFIG_FILE at "
                        "a configuration that lists them (`fc-list` shows what fontconfig reads)"], run.stderr
    assert sorted(p.name for p in (root / "build/pdf").rglob("*.pdf")), "no PDF made"
