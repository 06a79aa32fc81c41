"""Characters no font can print, reported where a writer can act: at the content file
and line that holds them, once, with the fix — not once per character against the
theme's stylesheet, which is where WeasyPrint's own message points.

WeasyPrint logs `.notdef glyph rendered for Unicode string unsupported by fonts: "山"
(U+5C71)` for each character that neither the theme's fonts nor any font on the
machine (Pango's fallback through fontconfig) can draw; the PDF then shows an empty
box. Those characters are gathered per book and looked up in the text of the content
files the book shows.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ...diagnostics import Diagnostics, Span
from ...load.project import CONFIG_NAME
from .coverage import draws_nothing

if TYPE_CHECKING:
    from .theme_language import ThemeLanguage

NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.+?)" \(U\+[0-9A-Fa-f]+\)')
# Which Debian/Ubuntu package a character's script would have the hint name first:
# the one .ci/fonts.txt installs for it. Named only when its fonts draw the character
# (font_packages.py, read from the packages themselves); otherwise the first package
# that does.
_CJK = ("Han", "Hiragana", "Katakana", "Hangul", "Bopomofo", "Katakana or Hiragana")
# and the blocks of punctuation and signs the CJK fonts draw, of no one script (、。「」)
_CJK_BLOCKS = ("CJK Symbols and Punctuation", "CJK Compatibility", "CJK Compatibility Forms",
               "CJK Strokes", "Enclosed CJK Letters and Months", "Enclosed Ideographic Supplement",
               "Halfwidth and Fullwidth Forms", "Ideographic Description Characters",
               "Ideographic Symbols and Punctuation", "Kanbun", "Vertical Forms")
# (it went on "docs/books.md lists what each script needs": the wheel ships no docs/,
# and the package to install, or the font to ship, is named here already)
_ELSEWHERE = ("themes/<theme>/print/fonts/ with an @font-face rule naming its file in print/css/base.css "
              "(the stylesheet every book reads).")


class MachineFonts:
    """What font hints ask of this machine, asked once for a whole report: whether each
    font package is installed, and fontconfig's list of font files (some 30 ms each
    time). Asked per line, a FONTCONFIG_FILE leaving fonts-noto-cjk out made each of a
    Japanese world's 400 lines list fontconfig's fonts anew: `check` took 8 seconds
    more. A new one per report: a long-lived `foundry serve` sees a font installed
    meanwhile at its next build."""

    def __init__(self) -> None:
        self._state: dict[str, str] = {}
        self._listed: list[frozenset[str] | None] = []

    def state(self, package: str) -> str:
        """"absent", "listed", or the folder of its fonts fontconfig does not list."""
        if package not in self._state:
            from . import font_packages
            if not font_packages.installed(package):
                self._state[package] = "absent"
            else:
                if not self._listed:
                    from ...fontconfig import listed_files
                    self._listed.append(listed_files())
                self._state[package] = font_packages.unseen(package, self._listed[0]) or "listed"
        return self._state[package]


def font_hint(chars: Iterable[str], made: str = "PDFs", machine: MachineFonts | None = None) -> str:
    """HF0741's hint for a line holding `chars` (characters no font printed; HF0752's
    with `made` "EPUBs", for an EPUB cover): the Debian font packages that draw them,
    as font_packages.py knows from the packages' own fonts (fonts-noto-cjk for Chinese,
    Japanese and Korean, fonts-noto-core for the other scripts and most symbols,
    fonts-noto-color-emoji for emoji, fonts-hanazono for the rare Han Noto CJK lacks),
    a package already installed here never (it lacks them, at its version); for a
    character no package draws (newer than them), one for private use, or one only
    packages installed here would draw, a font shipped with the theme (and the
    packages for the line's other characters). `machine`: the report's (one asked
    afresh when not given)."""
    from . import font_packages
    machine = machine or MachineFonts()
    packages: dict[str, None] = {}
    lacking: dict[str, None] = {}   # installed here, and said to draw it: an older version
    hidden: dict[str, str] = {}     # installed here, its fonts not listed by fontconfig: their folder
    state: dict[str, str] = {}      # package → "absent", "listed" or the folder of its unlisted fonts
    private = newer = False
    for char in chars:
        if unicodedata.category(char) == "Co":
            private = True
            continue
        drawing = [p for p in dict.fromkeys((_preferred(char), *font_packages.PACKAGES))
                   if font_packages.draws(p, char)]
        for package in drawing:
            state[package] = machine.state(package)
        # the first package that draws it and is not already drawing for the PDFs: to
        # install, or (installed, unseen by fontconfig) to let fontconfig see
        named = next((p for p in drawing if state[p] != "listed"), None)
        if named is not None and state[named] == "absent":
            packages[named] = None
        elif named is not None:
            hidden[named] = state[named]
        elif drawing:
            lacking.update(dict.fromkeys(drawing))
        else:
            newer = True
    named = " and ".join(packages)
    # A private-use character (U+E000–U+F8FF, planes 15 and 16) means what the font made
    # for it draws there, a game's icon font say: it was told it was "newer than most
    # fonts", as if a package might have it one day. And a line holding one beside a
    # letter a package draws was told of the one alone.
    said = [*(["Private-use characters are drawn only by the font made for them, which no package has"]
              if private else []),
            *(["These characters are newer than Debian and Ubuntu's font packages (no fonts-noto-core, "
               "fonts-noto-cjk, fonts-noto-color-emoji or fonts-hanazono has them)"] if newer else []),
            *([f"The {' and '.join(lacking)} installed here {'is' if len(lacking) == 1 else 'are'} older "
               f"than the versions that have these characters"] if lacking else [])]
    # a package here whose fonts fontconfig does not list: the fix is to let it read them
    # (another package to install would be as unseen), said before the rest of the line's
    unseen = ""
    if hidden:
        folders = list(dict.fromkeys(hidden.values()))
        one = len(hidden) == 1
        unseen = (f"{' and '.join(hidden)} {'is' if one else 'are'} installed here but fontconfig lists none of "
                  f"{'its' if one else 'their'} fonts, so the {made} cannot use them: let fontconfig read "
                  f"{' and '.join(folders)} (a FONTCONFIG_FILE or fonts.conf leaves "
                  f"{'it' if len(folders) == 1 else 'them'} out; `fc-list` shows what it reads)")
        if not said and not packages:
            return unseen + ", or ship a font that has these characters in " + _ELSEWHERE
        unseen += ". "
    if said:
        also = f" For the others, install {named} on the machine that builds the {made}." if packages else ""
        joined = said[0] + "".join(f"; {more[0].lower()}{more[1:]}" for more in said[1:])
        return unseen + joined + ": ship a font that has them in " + _ELSEWHERE + also
    return (unseen + f"Install {named} on the machine that builds the {made} (Debian and Ubuntu), or ship a "
            f"font that has these characters in " + _ELSEWHERE)


def _preferred(char: str) -> str:
    """The package .ci/fonts.txt installs for `char`'s script (its emoji font for an
    emoji): the one named when it draws the character."""
    if _is_emoji(char):
        return "fonts-noto-color-emoji"
    return "fonts-noto-cjk" if script_of(char) in _CJK + _CJK_BLOCKS else "fonts-noto-core"


def missing_characters(messages: Iterable[str]) -> tuple[set[str], list[str]]:
    """(characters WeasyPrint found no glyph for, the other messages). Not a space:
    Pango draws a space beside a character from that character's font, and a font
    without a space of its own (Noto Sans Tamil Supplement, a font made for one
    script's signs) had WeasyPrint say U+0020 — looked up, it was HF0741 "no font can
    print ''" at every line of every file the book shows that holds a space (69 for
    one hero's name), though every font of the theme has one and check (which counts
    spaces as drawing nothing, coverage.py) said nothing."""
    missing: set[str] = set()
    rest: list[str] = []
    for message in messages:
        found = NOTDEF.search(message)
        if found:
            missing.update(char for char in found.group(1) if not draws_nothing(char))
        else:
            rest.append(message)
    return missing, rest


def script_of(char: str) -> str:
    """The name of the script a character is written in, for the message ("Han",
    "Hiragana", "Thai": the Unicode Script property, as fontTools' tables give it —
    the first word of its name said "Cjk"); "Emoji" for an emoji (a family printed as
    boxes was said to be in the scripts "Man, Woman, Girl, Boy"); its block for a
    character shared by every script (a symbol, "Miscellaneous Technical"); its code
    point for one the tables do not know (unassigned, or newer than them)."""
    from fontTools import unicodedata as tables
    if _is_emoji(char):
        return "Emoji"
    script = tables.script(char)
    if script == "Zzzz":   # unassigned (as far as the tables know): its code point
        return f"U+{ord(char):04X}"
    if script in ("Zyyy", "Zinh"):   # Common, Inherited: no one script to name
        return _block(char) or f"U+{ord(char):04X}"
    return tables.script_name(script)


def _block(char: str) -> str:
    """The Unicode block of `char` ("" outside every block)."""
    from fontTools import unicodedata as tables
    block = tables.block(char)
    return "" if block == "No_Block" else block


def _is_emoji(char: str) -> bool:
    """Whether `char` is in the blocks emoji fonts draw (pictographs, symbols and
    dingbats, regional indicators): fonts-noto-color-emoji's."""
    return 0x1F000 <= ord(char) <= 0x1FAFF or 0x2600 <= ord(char) <= 0x27BF


def report_missing(missing: set[str], texts: Iterable[tuple[str, str]], diags: Diagnostics,
                   printed: str | None = None, more: Iterable[tuple[str, str]] = (),
                   config: Iterable[tuple[str, str]] = (),
                   unprintable: Callable[[set[str]], set[str]] | None = None,
                   language: "ThemeLanguage | None" = None) -> None:
    """One HF0741 per content line holding characters in `missing`.

    `texts`: (path relative to the project, file text) of every content file the book
    shows, in a stable order; `more`: files the book may have printed a piece of (the
    other entities its render looked up — a relationship's name on a hero sheet — and
    the rule book), looked in only for characters `texts` does not place. `printed`:
    everything the book printed (its laid-out text boxes, in order); when given, a line
    counts only if a word of it holding such a character was printed, so a story's
    prose that shares letters with a name in the compendium is not reported by the
    compendium, which prints only the story's title. The message names the characters
    and their scripts but not the book, so a line shown in a sheet and in the compendium
    is reported once. `config`: foundry.toml as (path, text) (the world's title and
    description, printed on covers and running heads), looked in last, lazily; what no
    file holds is the theme's own text, reported at foundry.toml without a line.

    A later tier is looked in for the printed words the earlier ones do not hold, not
    only for characters they do not: a sign of a made-up script in a hero's title and
    in an attribute's name (schemas/) printed as boxes in both, and only the hero's line
    was said, the rule book's found only once that one was fixed. A word an earlier
    tier holds too counts at a later tier's line when that line's whole value (its
    text after the key: a skill's name, the world's title) was printed as written:
    the word a hero's background and foundry.toml's title both hold was said at the
    hero's line only, foundry.toml's found one build after that was fixed. Without
    `printed` (nothing to tell words by) a later tier is asked for unplaced characters
    only.

    A line said names every character of it no font has, whichever of them this book
    printed: books printing different parts of one line (a gamebook's adventure sheet a
    skill's name, the hero sheet its description too, both on one line of
    schemas/skills.yaml) said two warnings at that line, in words that differed. So the
    line's message is the same from every book, and from check, and the collector keeps
    one. `unprintable`: which of a set of characters no font has (coverage.unprintable
    with the print theme's files), for the line's characters `missing` (what this book
    printed as boxes) does not hold; None when `missing` holds them all (check's).
    `language`: the theme's own words in the book's language (theme_language.py): a
    word of them printed with a box is said once at the language's tag in foundry.toml,
    not at foundry.toml with no line in each book's words; what is left still is (the
    shipped theme's other text)."""
    wanted = _Printed(printed) if printed is not None else None
    machine = MachineFonts()
    placed: set[str] = set()
    earlier: set[str] = set()   # the words (as _Printed compares them) earlier tiers placed
    by_line: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    lines: dict[tuple[str, int], str] = {}
    for tier in (texts, more, config):
        left = missing - placed if wanted is None else missing
        if not left:
            break
        words: set[str] = set()
        for path, text in tier:
            if any(char in text for char in left):   # (most files hold none: left unscanned)
                text = without_comments(path, text)
            for number, line in enumerate(text.splitlines(), 1):
                here = list(line_characters(line, path.endswith(".css")))
                found = [(column, char, typed) for column, char, typed in here if char in left]
                if found and wanted is not None:
                    found = [f for f in found if wanted.holds_word_at(line, f[0])
                             and (wanted.word_at(line, f[0]) not in earlier or wanted.holds_value_at(line, f[0]))]
                    words.update(wanted.word_at(line, f[0]) for f in found)
                if found:
                    found = _whole_line(found, here, missing, unprintable)
                    by_line[(path, number)].extend((column, typed) for column, _, typed in found)
                    lines[(path, number)] = line
                    placed.update(char for _, char, _ in found)
        earlier |= words
    for (path, number), found in sorted(by_line.items()):
        found.sort()   # escapes are found after the written characters: report by column
        diags.add("HF0741", _message(_runs(lines[(path, number)], found), [c for _, c in found]),
                  Span(path, number, found[0][0]), hint=font_hint((c for _, c in found), machine=machine))
    unplaced_set = missing - placed
    if language is not None:
        from .theme_language import report_theme_words
        unplaced_set -= report_theme_words(language, missing, wanted, diags, machine, unprintable)
    unplaced = sorted(unplaced_set)
    if unplaced:   # from foundry.toml (the world's title) or the theme's own text
        diags.add("HF0741", _message(unplaced, unplaced), Span(CONFIG_NAME),
                  hint=font_hint(unplaced, machine=machine))


def _whole_line(found: list[tuple[int, str, str]], here: list[tuple[int, str, str]], missing: set[str],
                unprintable: Callable[[set[str]], set[str]] | None) -> list[tuple[int, str, str]]:
    """`found` (a line's characters this book printed as boxes) with the line's other
    characters no font has (`here`: the line's, as line_characters gives them): those of
    `missing`, and those `unprintable` says of the characters typed there."""
    typed = {char for _, char, written in here if char == written} - missing
    extra = unprintable(typed) if unprintable is not None and typed else set()
    seen = set(found)
    return sorted([*found, *(f for f in here if f not in seen and (f[1] in missing or f[1] in extra))])


def without_comments(path: str, text: str) -> str:
    """`text` with its YAML comments blanked, every other character where it was (a
    comment is never printed, so a character no font has in one is no book's: it was
    HF0741 at the comment beside the one at the value it repeated). A YAML file's
    whole text, a Markdown file's front matter; what is inside a token (a `#` in quotes
    or a block scalar) is text. A text libyaml cannot scan is left as it is (its file is
    in error and no book is made)."""
    if path.endswith((".yaml", ".yml")):
        start, end = 0, len(text)
    elif path.endswith(".md") and text.startswith("---"):
        close = re.search(r"^---[ \t]*$", text[3:], re.M)
        if close is None:
            return text
        start, end = 0, 3 + close.start()
    else:
        return text
    import yaml
    part = text[start:end]
    if "#" not in part:
        return text
    kept = bytearray(len(part))   # 1 where a token stands
    try:
        for token in yaml.scan(part, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            kept[token.start_mark.index:token.end_mark.index] = b"\x01" * (token.end_mark.index - token.start_mark.index)
    except yaml.YAMLError:
        return text
    blanked = "".join(char if kept[i] or char in "\r\n" else " " for i, char in enumerate(part))
    return text[:start] + blanked + text[end:]


def _runs(line: str, found: list[tuple[int, str]]) -> list[str]:
    """The words of `line` holding unprintable characters, as the writer wrote them, in
    order, once. `found`: (1-based column, character typed there), sorted. A set of
    letters reads as another word (Thai "สวัสดี" deduplicated is "สวัดี"); the word is
    what the writer can find. A word ends where a content line's words do (_EDGE); a
    character written as an escape stands for itself."""
    words: list[str] = []
    shown_to = 0   # the end of the text already quoted: a word's later characters are in it
    for column, typed in found:
        if line[column - 1:column] != typed:   # an escape (`\U…`, `&#x…;`): its character
            words.append(typed)
            continue
        if column - 1 < shown_to:
            continue
        start = end = column - 1
        while start > 0 and not _QUOTED_END.match(line[start - 1]):
            start -= 1
        while end < len(line) and not _QUOTED_END.match(line[end]):
            end += 1
        # a script written without spaces (Thai, Japanese) makes a sentence one "word":
        # keep the characters around the one no font has, so the message shows it
        near_start, near_end = max(start, column - 1 - WORD_REACH), min(end, column + WORD_REACH)
        shown_to = end   # one quote per word: its first unprintable character, in context
        words.append(("…" if near_start > start else "") + line[near_start:near_end] + ("…" if near_end < end else ""))
    return list(dict.fromkeys(words))


# Where a word ends, in a content line and in the printed text: a space, or the ASCII
# punctuation Markdown and YAML put around text (`[`, `*`, `"`, `:`…). In the printed
# text a text box's end (BOX) may end a word (a line broken at a space, whose space
# WeasyPrint drops) or not (a word broken across lines, after a hyphen it added).
# A quotation mark (Unicode's Quotation_Mark property) ends one too: a gamebook quotes
# a story's string in its language's marks (the adventure sheet's “Sea”, „…“ in German,
# «…» in Arabic, 「…」 in Japanese) where the file writes YAML's or an expression's ASCII
# quotes, and the printed word '…”' matched no word of the line: the character was said
# at foundry.toml with no line.
BOX = "\x00"
_QUOTES = "\u00ab\u00bb\u2018-\u201f\u2039\u203a\u2e42\u300c-\u300f\u301d-\u301f\ufe41-\ufe44\uff02\uff07\uff62\uff63"
_PUNCTUATION = r"\s!-/:-@\[-`{-~\x00"
_EDGE = f"[{_PUNCTUATION}{_QUOTES}]"
_WORD_END = re.compile(_EDGE)
# where a word the message quotes ends: its quotation marks are the writer's own, and an
# apostrophe inside it (Rook’s) keeps the word whole
_QUOTED_END = re.compile(f"[{_PUNCTUATION}]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")   # soft hyphen, bidi marks


def printed_text(document) -> str:
    """Every text box of a laid-out WeasyPrint `Document`, page by page, in order,
    each ended by BOX."""
    out: list[str] = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text + BOX)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)   # WeasyPrint keeps the laid-out tree here (overflow.py reads it too)
    return "".join(out)


def _normal(text: str) -> str:
    """Composed (NFC), without invisible marks, case-folded (a label printed in
    capitals is still the writer's word), without a hyphen a line break added (the
    theme's `-`, or WeasyPrint's default U+2010 in a project's own print theme; a
    hyphen the writer typed ends a word here anyway)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).casefold()
    return text.replace("\u2010" + BOX, BOX).replace("-" + BOX, BOX)


class _Printed:
    """A book's printed text, asked whether it holds a word of a content line as a whole
    word. Two sets of its words answer almost every question at once (a book's text can
    be megabytes, and a world in a script no font has asks for every line): the words
    with every text box's end taken as a word's end, and with none (a word broken
    across lines). What neither holds is searched for, once per word, letting any box
    end fall anywhere in it."""

    def __init__(self, printed: str):
        self.text = _normal(printed)
        self.ends = set(_WORD_END.split(self.text))
        self.joined = self.text.replace(BOX, "")
        self.through = set(_WORD_END.split(self.joined))
        self._asked: dict[str, bool] = {}
        self._values: dict[str, bool] = {}
        self._line: _Line | None = None   # the content line last asked about

    def word_at(self, line: str, column: int) -> str:
        """The word of `line` holding 1-based `column`, as the printed text is compared
        (escapes decoded, composed, case-folded)."""
        reading = self._reading(line)
        at = reading.index(column)
        return reading.word(reading.word_start[at], reading.word_end[at])

    def holds_value_at(self, line: str, column: int) -> bool:
        """Whether the value `line` gives at 1-based `column` was printed whole, its
        words in order with a space or a line's end between them: a line that prints as
        it is written, not a word it shares with another file's line. The value is the
        line's text after a YAML or TOML key, a list's dash or a PO keyword, without
        its quotes (escapes decoded); in a flow mapping (`{name: Tracking, attribute:
        wits}`, as the rule book is written) the one entry holding the column."""
        reading = self._reading(line)
        at = reading.index(column)
        value = reading.value(reading.value_start[at], reading.value_end[at])
        if value not in self._values:
            words = value.split()
            pattern = f"(?:^|(?<={_EDGE})){_BETWEEN.join(map(re.escape, words))}(?={_EDGE}|$)"
            self._values[value] = bool(words) and re.search(pattern, self.text) is not None
        return self._values[value]

    def _reading(self, line: str) -> "_Line":
        """`line` read once for every column asked of it: a line of 20,000 characters
        no font has was decoded and scanned to its word's ends for each of them (5 CPU
        minutes of `foundry check` for one hero's background)."""
        if self._line is None or self._line.line != line:
            self._line = _Line(line)
        return self._line

    def holds_word_at(self, line: str, column: int) -> bool:
        """Whether the word of `line` holding 1-based `column` was printed, as a whole
        word (`का` is inside the printed `स्काउट`, and is not it). The line is read with
        its escapes decoded (`&#x31352;` is the character it names)."""
        return self.holds_word(self.word_at(line, column))

    def holds_word(self, word: str) -> bool:
        """Whether `word` (as _normal makes it) was printed as a whole word, wherever
        a box's end falls in it."""
        if not word or word in self.ends or word in self.through:
            return True
        if word not in self._asked:
            pattern = f"(?:^|(?<={_EDGE})){(BOX + '?').join(map(re.escape, word))}(?={_EDGE}|$)"
            self._asked[word] = word in self.joined and re.search(pattern, self.text) is not None
        return self._asked[word]


class _Line:
    """A content line as _Printed compares it, read once: its text with escapes decoded
    (`_decoded`), and for each character of that text where its word and its value
    (`holds_value_at`) start and end, so a question about a column costs a bisection,
    not a scan of the line. Each word and value is normalised once."""

    def __init__(self, line: str):
        self.line = line
        self.text, self.origin = _decoded(line)
        text, n = self.text, len(self.text)
        edge = [bool(_WORD_END.match(char)) for char in text]
        # a word is the run of non-edge characters around an index, or the run ending
        # just before an edge character at it (as a scan back and forth from it finds)
        self.word_start, self.word_end = [0] * (n + 1), [n] * (n + 1)
        for i in range(1, n + 1):
            self.word_start[i] = self.word_start[i - 1] if not edge[i - 1] else i
        for i in range(n - 1, -1, -1):
            self.word_end[i] = i if edge[i] else self.word_end[i + 1]
        # a value runs from after the last `,{[` before an index to the first `,}]` at or after it
        self.value_start, self.value_end = [0] * (n + 1), [n] * (n + 1)
        for i in range(1, n + 1):
            self.value_start[i] = i if text[i - 1] in ",{[" else self.value_start[i - 1]
        for i in range(n - 1, -1, -1):
            self.value_end[i] = i if text[i] in ",}]" else self.value_end[i + 1]
        self._words: dict[tuple[int, int], str] = {}
        self._values: dict[tuple[int, int], str] = {}

    def index(self, column: int) -> int:
        """The index in the decoded text of the first character written at or after
        1-based `column` of the line (its length when none is)."""
        return bisect.bisect_left(self.origin, column - 1)

    def word(self, start: int, end: int) -> str:
        if (start, end) not in self._words:
            self._words[start, end] = _normal(self.text[start:end])
        return self._words[start, end]

    def value(self, start: int, end: int) -> str:
        if (start, end) not in self._values:
            self._values[start, end] = _normal(_VALUE.match(self.text[start:end]).group(1))
        return self._values[start, end]


# The value a line (or a flow mapping's entry) of YAML, TOML or PO gives: after a
# list's dash and a key (`name:`, `title =`, `msgstr`), without its quotes.
_BETWEEN = f"[ {BOX}]+"   # between two printed words: a space, or a line's end
_VALUE = re.compile(r"""\s*(?:-\s+)?(?:[\w.-]+\s*[:=]\s*|msg(?:id|str)(?:\[\d+\])?\s+)?["']?(.*?)["']?\s*$""")


def _decoded(line: str) -> tuple[str, list[int]]:
    """`line` with its escapes decoded, and for each character of that text the index
    in `line` where it was written."""
    text: list[str] = []
    origin: list[int] = []
    at = 0
    for found in _ESCAPE.finditer(line):
        decoded = _decode_escape(found.group())
        if len(decoded) != 1:
            continue
        text.extend(line[at:found.start()])
        origin.extend(range(at, found.start()))
        text.append(decoded)
        origin.append(found.start())
        at = found.end()
    text.extend(line[at:])
    origin.extend(range(at, len(line)))
    return "".join(text), origin


# A character can be written as itself or as an escape: `"\U0001E030"` in a YAML
# double-quoted string, `&#x1E030;` or `&eacute;` in Markdown. The escape's line is the
# writer's line; without this the warning falls back to foundry.toml, a file that
# does not hold the character.
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A stylesheet writes one as `\1F6F6` (one to six hex digits, and a space that ends the
# escape): a print stylesheet's generated `content` prints it. Read so in .css files only:
# in Markdown `\1F` is typed as it is.
_CSS_ESCAPE = re.compile(r"\\[0-9A-Fa-f]{1,6}")


def line_characters(line: str, css: bool = False) -> Iterable[tuple[int, str, str]]:
    """(1-based column, character, what the writer typed there) for every character
    `line` holds, written out or as an escape (the escape's first column); `css`: a
    stylesheet's line, whose escapes are CSS's too. HF0741's and HF0752's (an EPUB
    cover's) way of finding the line that writes a character."""
    for column, char in enumerate(line, 1):
        yield column, char, char
        # Shaping may print a character as the parts it decomposes into: Thai SARA AM
        # (U+0E33) is drawn as NIKHAHIT + SARA AA, and the font lacks NIKHAHIT, a
        # character the writer never typed (the message names SARA AM).
        for part in unicodedata.normalize("NFKD", char):
            if part != char:
                yield column, part, char
    for found in _ESCAPE.finditer(line):
        decoded = _decode_escape(found.group())
        if len(decoded) == 1:
            yield found.start() + 1, decoded, decoded
    for found in _CSS_ESCAPE.finditer(line) if css else ():
        decoded = _decode_escape(found.group())
        if len(decoded) == 1:
            yield found.start() + 1, decoded, decoded


def escaped(text: str, css: bool = False) -> Iterator[str]:
    """The characters `text` writes as escapes (`\\U0001E030` in YAML, `&#x1E030;` in
    Markdown; with `css`, `\\1F6F6` in a stylesheet too): they print as themselves."""
    for found in _ESCAPE.finditer(text):
        yield from _decode_escape(found.group())
    for found in _CSS_ESCAPE.finditer(text) if css else ():
        yield from _decode_escape(found.group())


def _decode_escape(text: str) -> str:
    if text[1:2] not in ("x", "u", "U") and text.startswith("\\"):   # CSS's: hex digits alone
        value = int(text[1:], 16)
        return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else ""
    if text.startswith("\\"):
        value = int(text[2:], 16)
        return chr(value) if value <= 0x10FFFF else ""
    return html.unescape(text)


SHOWN_RUNS = 3
SHOWN_SCRIPTS = 6
WORD_REACH = 10   # characters of a long word shown either side of the one no font has


def _message(runs: list[str], chars: Iterable[str]) -> str:
    """`runs`: the words holding what no font prints, as written, the first SHOWN_RUNS
    quoted; `chars`: the characters no font prints (their scripts are named, the first
    SHOWN_SCRIPTS: a script is a code point where the tables know none, and a line of
    3,000 private-use characters was a message of 20,000 characters naming each)."""
    every = list(dict.fromkeys(script_of(c) for c in chars))
    scripts = ", ".join(every[:SHOWN_SCRIPTS])
    if len(every) > SHOWN_SCRIPTS:
        scripts += f" and {len(every) - SHOWN_SCRIPTS} more"
    shown = ", ".join(f"'{run}'" for run in runs[:SHOWN_RUNS])
    if len(runs) > SHOWN_RUNS:
        shown += f" and {len(runs) - SHOWN_RUNS} more"
    return f"no font on this machine can print {shown} ({scripts}): the PDF would show empty boxes"
