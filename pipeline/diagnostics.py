"""The one diagnostics type, its collector, and the registry of every code.

Every stage receives a `Diagnostics` collector and adds to it; no stage raises to
the user. Codes are stable: once published, a code keeps its meaning forever
(CI dashboards and editor integrations key on them). `docs/errors.md` documents
each code, and a test keeps that page and this registry in step.
"""

from __future__ import annotations

import difflib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Iterator

from .graphemes import clusters


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# The file named by a finding about the machine, not the project (a library, a font, a key).
ENVIRONMENT = "<environment>"


@dataclass(frozen=True, order=True)
class Span:
    """A place in a project file. `path` is relative to the project root, POSIX style;
    `line` and `column` are 1-based, the column counted in characters. A problem with
    a command-line argument is placed at the argument instead (`argument_place`):
    `argument` its name, no path."""

    path: str
    line: int = 0
    column: int = 0
    # where the text said ends (the report's caret width): not part of the place, so a
    # finding kept in a build state written before it kept the end (`to_state`) is the
    # same finding made again, said once (a kept print edition's HF0750 was said twice
    # once a value's end was recorded)
    end_column: int = field(default=0, compare=False)
    argument: str = ""
    # A YAML value not laid out as it reads (wrapped over lines, a block, escapes): where
    # each run of its characters stands (load/yaml_layout.py), for `shifted`; given by
    # `laid_out`. Not part of the place either (the value's span is the same place with
    # or without it), and not carried by `dataclasses.replace`: a span moved by hand
    # (`replace(span, column=…)`) is a place on its line, its characters counted there.
    layout: tuple = field(default=(), init=False, compare=False, repr=False)

    def shifted(self, offset: int, length: int = 1) -> "Span":
        """The span of the `length` characters `offset` characters into the text that
        starts at this span (an expression's slip, a character in a value): further
        along the same line, or where the value's layout puts them (a value wrapped
        over lines, a `|` block, an escape)."""
        if self.layout:
            line, col, end = _placed(self.layout, offset, length)
            return Span(self.path, line, col, end)
        col = self.column + offset
        return Span(self.path, self.line, col, col + max(length, 1))

    def __str__(self) -> str:
        if self.argument:
            return self.argument
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


def laid_out(span: Span, layout: tuple) -> Span:
    """`span` (a YAML value's) carrying `layout` (`Span.layout`), which places the
    characters of the value wherever they are written (`Span.shifted`)."""
    object.__setattr__(span, "layout", layout)
    return span


def _placed(layout: tuple, offset: int, length: int) -> tuple[int, int, int]:
    """(line, column, end column) of the `length` characters from `offset` of a value
    with this layout (`Span.layout`: (value offset, line, column) triples, each the
    start of a run of characters written one after another on one line; an escape a
    run of one character as wide as its spelling). The end is on the start's line: the
    end of its run when the characters run onto the next line."""
    count = len(layout) // 3
    k = 0
    while k + 1 < count and layout[3 * (k + 1)] <= offset:
        k += 1
    start, line, column = layout[3 * k:3 * k + 3]
    at = column + offset - start
    last = offset + max(length, 1) - 1
    j = k
    while j + 1 < count and layout[3 * (j + 1)] <= last and layout[3 * (j + 1) + 1] == line:
        j += 1
    after = layout[3 * (j + 1)] if j + 1 < count else None
    if after is not None and after <= last:   # the characters run onto another line: to this run's end
        return line, at, layout[3 * j + 2] + after - layout[3 * j]
    if after == last + 1 and layout[3 * (j + 1) + 1] == line:   # the last is a spelled character: its width
        return line, at, layout[3 * (j + 1) + 2]
    return line, at, layout[3 * j + 2] + last - layout[3 * j] + 1


def argument_place(name: str) -> Span:
    """Where a problem with the command-line argument `name` (`--ref`, diff's `BASE`)
    is said: at the argument, as a usage error names its option, never at a file (the
    text report says `--ref: error …`; JSON `"file": null, "argument": "--ref"`; a GitHub
    annotation names no file, so it is no annotation on a file of that name)."""
    return Span("", argument=name)


@dataclass(frozen=True)
class CodeInfo:
    code: str
    title: str
    severity: Severity
    hint: str = ""


_CODES: dict[str, CodeInfo] = {}


def _register(code: str, title: str, severity: Severity, hint: str) -> None:
    """One code, with the hint a diagnostic of it carries when its caller has none more
    particular: every problem says what to do (a pointer to docs/errors.md is no hint for
    a user who installed the wheel, which ships no docs)."""
    assert code not in _CODES and hint.strip(), code
    _CODES[code] = CodeInfo(code, title, severity, hint)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# --- HF01xx: reading files ---------------------------------------------------------
_register("HF0101", "YAML syntax error", E, "Check indentation and that every `key: value` pair is on its own line.")
_register("HF0102", "duplicate key", E, "Remove one of the two keys; YAML would silently keep only the last.")
_register("HF0103", "file is not UTF-8 text", E, "Save the file as UTF-8 in your editor.")
_register("HF0104", "empty file", E, "Add content, or delete the file.")
_register("HF0105", "file in an unknown place", W, "Move the file to the folder under content/ that reads its kind, or keep it outside content/.")
_register("HF0106", "id does not match the file name", E, "The id is the file name; remove the `id:` line or rename the file.")
_register("HF0107", "two entities share one id", E, "Ids are unique per kind; rename one of the files.")
_register("HF0108", "YAML tag not allowed", E, "Content is plain data: remove the `!tag`.")
_register("HF0109", "YAML anchors and aliases are not allowed", E, "Write the value out in full instead of `&anchor` / `*alias`.")
_register("HF0110", "nesting too deep", E, "Content never needs more than a few levels of nesting.")
_register("HF0111", "number too large", E, "Numbers in content stay within ±2^53; digits that are text (an id) go in quotes.")
_register("HF0112", "value too long", E, "Split long prose into a Markdown file or shorten it.")
_register("HF0113", "id is not a lowercase slug", E, "Use lowercase ASCII letters, digits and single hyphens, e.g. `sunken-keep`.")
_register("HF0162", "file name a writer's laptop cannot hold", W,
          "Rename it with letters, digits, hyphens and dots (not at the end).")
_register("HF0163", "git submodule a revision's build does not read", W,
          "Commit the files themselves, or build the working tree with the submodule checked out.")
_register("HF0161", "id is a device name on Windows", E, "Rename the file: con, prn, aux, nul, com0-9 and lpt0-9 cannot be file names on Windows.")
_register("HF0114", "story front matter missing or malformed", E, "A story starts with `---`, YAML front matter, and `---` on its own line.")
_register("HF0115", "document is not a mapping", E, "A content file holds `key: value` pairs at its top level.")
_register("HF0116", "file too large or binary", E, "Content files are text under 2 MiB; images go in content/assets/.")
# (HF012x: confinement and untrusted caches)
_register("HF0120", "file leads outside the project", E, "Replace the symbolic link with the file itself, or point it at a file inside the project.")
_register("HF0121", "earlier output changed since foundry wrote it", W, "Nothing to do: the output is made again or left out; do not edit or commit build/.")
_register("HF0122", "YAML file in schemas/ that is not a rule file", W,
          "Rename it to the rule file it holds (attributes, progression, skills, relationships .yaml), or move it out of schemas/.")
_register("HF0123", "link or image in a name or title", W,
          "Keep the words only; put the link in the prose below (a title is never a link).")
_register("HF0124", "HTML or a refused link in prose", W,
          "Use Markdown instead of HTML; link to https:// pages or to scenes (`#scene`).")
_register("HF0125", "not a regular file", E, "Remove it, or put a regular file in its place.")
_register("HF0126", "build/ is not foundry's output folder", E, "Move it out of the way: foundry writes its outputs into a build/ folder it makes and replaces whole.")
_register("HF0127", "file in build/ that foundry did not write", E, "Move it out of build/ (to publish a file with the site, put it in the theme's static/ folder), or delete it.")
_register("HF0128", "image in prose", E,
          "Show a person's picture with `portrait:`; in prose, describe it in words or link to it: `[the map](https://…)`.")
_register("HF0129", "name listed twice", W, "Remove the second one; each is listed once.")
# (HF013x: text hygiene)
_register("HF0130", "file name holds an invisible character", E, "Rename the file using visible characters only.")
_register("HF0131", "control character in text", E, "Delete the character; your YAML may spell it as an escape like `\\e`.")
_register("HF0132", "invisible or direction-changing character", E, "Delete it, or type the visible character meant: a name holds none of these, and prose only those its script spells with.")
_register("HF0133", "a letter carries more combining marks than any script stacks", E, "Delete the extra marks: no language puts more than a handful on one letter.")
_register("HF0134", "a character reference spells no character", E, "Type the character meant, or delete the reference: Markdown shows U+FFFD in its place.")
_register("HF0135", "file name holds a backslash", E, "Rename the file with letters, digits, hyphens and dots; a folder separator is `/`.")
# (HF014x: size budgets)
_register("HF0140", "foundry.toml nested too deeply", E, "Settings need a few levels of tables and lists, never dozens.")
_register("HF0141", "more than 2^53 paths", I, "Nothing to fix: engines cannot hold the exact count, so it is published as \"more than 2^53\".")
_register("HF0142", "Markdown table too large", E, "Split the table, or publish the data as a file of its own (content/assets/).")
_register("HF0143", "Markdown document too large", E, "Split the story into several stories, or join short lines into paragraphs.")
# (HF015x: writer-facing YAML and CLI)
# (HF016x: YAML tags and numbers)
_register("HF0160", "number JSON cannot carry", E, "Write a finite number within range, or quote the value if it is text: `\".inf\"`.")
_register("HF0165", "foundry will not write there", E,
          "Put a real folder or a regular file there (or move the link or special file away), then run the command again.")
_register("HF0166", "a file or folder foundry cannot use", E,
          "Check the file and the folders above it (space left, permissions, a file where a folder goes), "
          "then run the command again.")
_register("HF0167", "file changed while foundry ran", E,
          "Run the command again: the file is left as it was saved, and the command works from that.")
_register("HF0168", "Twine story data not read as written", W,
          "Correct it in the source and import again; until then the import uses what the message says.")
_register("HF0169", "Markdown too costly to read", E,
          "Close the brackets you opened, or escape the ones meant as text (`\\[`); no prose nests brackets so deep.")
_register("HF0171", "Markdown nested too deep to read", E,
          "Nest quotes and lists a few levels deep, as prose does; write `>` or a list marker once for each level you mean.")
_register("HF0170", "one blank line in a folded block joins paragraphs", W,
          "Write `|` instead of `>` (each blank line then starts a paragraph), or leave two blank lines.")
_register("HF0184", "symbolic link checked out as a plain file", E,
          "Let git make links (Windows: turn on Developer Mode, then `git config core.symlinks true` and "
          "`git checkout -- <path>`), or commit the file itself in the link's place.")
_register("HF0185", "unresolved merge conflict", E,
          "Keep the lines you want from either side, delete the marker lines (`<<<<<<<`, `=======`, `>>>>>>>`), "
          "then `git add` the file.")
_register("HF0186", "what `foundry new` wrote for the writer to replace is still there", W,
          "Answer the question in your own words and delete it (a quest's objective: write what the hero must do in "
          "its place): it is published as written.")
_register("HF0187", "a field typed inside a block's text", W,
          "To make it a field, start it at the column of the field whose block it is in (`background:`); to keep it "
          "as words, start it with a capital letter.")
_register("HF0183", "a folded block joins a Markdown line to the one above", W,
          "Write `|` instead of `>`: each line then stays a line, and Markdown still joins a paragraph's lines into one.")
_register("HF0175", "link with no words", W,
          "Write the words readers click between the brackets: `[the harbour map](https://…)`.")
_register("HF0174", "link definition no link uses", W,
          "To show the line as written, start it with a backslash: `\\[Guard]: Halt!`. A definition is for a link "
          "that names it: `[the map][map]`.")
_register("HF0176", "link label defined twice", W,
          "Give the second definition a label of its own and link to it by that label (`[the old map][map-2]`), "
          "or delete the definition you do not mean; to show the line as written, start it with `\\[`.")
_register("HF0177", "words after ` #` in YAML are a comment", W,
          "To keep them, quote the whole value: `title: \"Chapter #1\"`. A note meant for the team is written "
          "with a space after the `#`: `# a note`.")
_register("HF0178", "words after a code fence are shown nowhere", W,
          "Put the words on a line of their own, above the block or inside it; if they name a language, delete "
          "them (no output highlights code).")
_register("HF0179", "a heading's closing `#` is shown nowhere", W,
          "To show the `#`, escape it: `### Press \\#`; to close the heading on purpose, write as many `#`s as "
          "open it: `### Title ###`.")
_register("HF0180", "link definition inside a paragraph", W,
          "Put a blank line before it: a link definition starts a paragraph of its own.")
_register("HF0181", "link label no definition gives", W,
          "Define the label on a line of its own (`[label]: https://…`), or write `\\[` to show the brackets.")
_register("HF0182", "earlier outputs not carried over", I,
          "Build without --only (or with those outputs) to make them again. build/ is kept between builds only "
          "under the seal of the user who built it (~/.cache/hero-foundry/key, or FOUNDRY_SEAL_KEY): another "
          "user's, or one built before that key changed, is made anew.")
_register("HF0173", "name or title that shows no words", E,
          "Write the words readers see: an image in a name or title is dropped (only a portrait is published), "
          "and a link keeps only its words.")
_register("HF0172", "table row with more cells than its header", W,
          "Add the column to the header row and its `---` row, or join the cells; a `|` inside a cell, in "
          "backticks too, is written `\\|`.")
_register("HF0164", "symbolic link to nothing", W,
          "Point the link at a file that exists (or remove it): foundry skips it, so what it was meant to hold is missing.")
# --- HF02xx: shape of a document ---------------------------------------------------
_register("HF0201", "wrong type", E,
          "Write the type the field expects: a number without quotes (`xp: 480`), a list in brackets (`skills: [tracking]`), true or false for a flag.")
_register("HF0202", "unknown field", E,
          "Correct the spelling to a field this kind has, or remove the field; a file of another kind belongs in that kind's folder.")
_register("HF0203", "missing required field", E, "Add the field; every entity of this kind needs it.")
_register("HF0204", "invalid value", E,
          "Write a value the field allows: the message gives the rule (a status of draft, review or published; a lowercase id; a number in range).")
_register("HF0205", "invalid project configuration", E, "Correct the setting at this line of foundry.toml as the message says: a misspelt key, a value in quotes, `=` between key and value.")
# --- HF03xx: references --------------------------------------------------------------
_register("HF0301", "unknown hero", E, "Use the id of a file in content/heroes/ (`protagonist: bram`).")
_register("HF0302", "unknown character", E, "Heroes live in content/heroes/, characters in content/characters/; the id is the file's name.")
_register("HF0303", "unknown quest", E, "Use the id of a file in content/quests/ (`lost-lantern`).")
_register("HF0304", "unknown scene", E,
          "Point the choice (or `start:`) at a scene id the story has: `{#id}` after a scene's heading.")
_register("HF0305", "unknown template", E,
          "Use the id of a file in content/templates/heroes/; `foundry new hero --list-templates` lists them.")
_register("HF0306", "asset not found", E,
          "Write the path from the file's own folder, with the file name exactly as it is on disk (`../assets/portraits/aria.png`).")
_register("HF0307", "path leaves the project", E, "Asset paths are relative and stay inside the project.")
_register("HF0308", "unknown skill", E, "Use a skill id from schemas/skills.yaml, or add the skill there.")
_register("HF0309", "unknown attribute", E, "Use an attribute from schemas/attributes.yaml, or add it there.")
_register("HF0310", "unknown relationship kind", E,
          "Use a kind from schemas/relationships.yaml, or add the kind there.")
_register("HF0311", "unknown story", E, "Use the id of a file in content/stories/.")
# --- HF04xx: the rule book and heroes ----------------------------------------------------
_register("HF0401", "invalid rule", E, "Correct the rule at this line of its file in schemas/ as the message says: a rule needs its id, its kind's keys, and values of their type.")
_register("HF0402", "XP table must increase", E, "Each level needs more total XP than the one before, starting at 0.")
_register("HF0403", "skill prerequisites form a cycle", E, "Break the cycle by removing one skill from a `prerequisites` list.")
_register("HF0404", "attribute out of range", E,
          "Keep the value between the attribute's min and max in schemas/attributes.yaml.")
_register("HF0405", "point budget overspent", E,
          "Lower attributes by the amount over budget, or give the hero the XP for a level whose budget covers them.")
_register("HF0406", "skill prerequisite missing", E,
          "Add the skill it requires to the hero's skills, or remove the skill.")
_register("HF0407", "skill needs a higher level", E,
          "Remove the skill, or give the hero the XP for the level it needs.")
_register("HF0408", "skill requirement not met", E,
          "Raise the attribute the skill requires (within the budget), or remove the skill.")
_register("HF0409", "template chain forms a cycle", E, "Remove one `extends` so the chain ends.")
_register("HF0410", "level disagrees with XP", E, "Remove `level:` (it is computed from XP) or fix the XP.")
_register("HF0411", "formula fails at some level", E,
          "Make the formula work for every level and attribute value: for a division, `x / max(1, y)`.")
_register("HF0412", "level out of range", E,
          "Use a level from 1 to max_level, or raise `max_level` in schemas/progression.yaml.")
_register("HF0413", "requirement no hero can meet", E,
          "Ask for values within the rule book's ranges and levels, or widen the range in schemas/.")
_register("HF0414", "requirement checks stopped at their bound", I,
          "Nothing is wrong for this: the requirements named were not judged, so one no hero can meet among them would not be said.")
_register("HF0415", "editor schema out of date", E,
          "Run `foundry schemas` and commit schemas/json/ with the rule book.")
# --- HF05xx: stories, quests, relationships ------------------------------------------------
_register("HF0501", "two scenes share one id", E, "Scene ids are unique within a story.")
_register("HF0502", "scene heading without an id", E, "End the heading with an id: `## The Gate {#gate}`.")
_register("HF0503", "malformed choice", E, "A choice is a list item holding one link to a scene: `- [Open the door](#hall)`.")
_register("HF0504", "scene can never be reached", E,
          "Add a choice that leads to the scene, or loosen the conditions on the way; remove the scene if it is no longer needed.")
_register("HF0505", "choice can never be taken", W,
          "Change the choice's `if` so some hero who plays the story can meet it, or remove the choice.")
_register("HF0506", "dead end", E, "Add a choice that can always be taken, or mark the scene `.ending`.")
_register("HF0507", "loop with no way to an ending", E, "Give the loop a way out whose condition can become true.")
_register("HF0508", "story has no ending", E, "Mark at least one scene as an ending: `## Home {#home .ending}`.")
_register("HF0509", "ending can never be reached", E,
          "Add a path that leads to the ending, or loosen the conditions on the way to it.")
_register("HF0510", "analysis stopped at its bound", I, "Findings are complete only for the states explored.")
_register("HF0511", "two choices share one id", E, "Give one of them its own id: `{id=\"...\"}`.")
_register("HF0512", "invalid story variable", E,
          "Rename the variable to a name no attribute, derived stat or other variable of the story uses.")
_register("HF0513", "quest prerequisites form a cycle", E, "Remove one prerequisite so the chain ends.")
_register("HF0514", "objective can never be completed", W,
          "Use a variable a story listing the quest sets, list the quest in that story's `quests:`, or add the effect to a choice (`{do=\"set found_bells\"}`).")
_register("HF0515", "relationship with oneself", E,
          "Remove this relationship, or name the other person under `with:`.")
_register("HF0516", "the two sides of a relationship disagree", W,
          "Give the other side the inverse kind (or the same kind, for a symmetric one), as schemas/relationships.yaml defines.")
_register("HF0517", "invalid scripted path", E,
          "Pick from the numbered choices shown at each step; run `foundry play` without --choose to see them.")
_register("HF0518", "text outside any scene", W, "Start the story body with a scene heading: `## The Gate {#gate}`.")
# (HF052x: near-misses of story syntax)
_register("HF0519", "story variable written as a YAML 1.1 true/false word", W,
          "Write `true` or `false`, or put the word in quotes to keep it as text.")
_register("HF0520", "scene heading at the wrong level", E, "Scene headings are level 2: `## The Gate {#gate}`.")
_register("HF0521", "`---` under a line makes a heading", E, "Leave a blank line above `---` for a break, or write `## Title {#id}` for a scene.")
_register("HF0522", "malformed scene heading attributes", E, "A scene heading ends with `{#id}` or `{#id .ending}`.")
_register("HF0523", "choice attributes do not touch the link", E, "Remove the space: `[Text](#scene){do=\"…\"}`.")
_register("HF0524", "wrong quotes in choice attributes", E, "Attribute values take straight double quotes: `do=\"…\"`.")
_register("HF0525", "unclosed choice syntax", E, "Close every `(`, `{` and `\"` of a choice on its line.")
_register("HF0526", "space between `]` and `(`", E, "Write `[Text](#scene)` with nothing between `]` and `(`.")
_register("HF0527", "link to a scene without `#`", E, "A choice links to a scene with `#`: `(#hall)`.")
_register("HF0528", "choice syntax outside a choice", E, "A choice is a list item holding only a link: `- [Text](#scene)`.")
_register("HF0529", "something nested under a choice", E, "A choice holds only its link.")
# (HF053x: more story checks)
_register("HF0530", "list marker without a space", E, "Write `- [Text](#scene)`, with a space after `-`.")
_register("HF0531", "choice indented into a code block", E, "Start choices at the beginning of the line.")
_register("HF0532", "story has no scenes yet", E, "Write the first scene: `## The Beginning {#start}`.")
_register("HF0533", "space after `#` in a link", E, "Write the scene id right after `#`: `(#hall)`.")
_register("HF0534", "choice attribute given twice", E, "Give each of `if`, `do` and `id` once.")
_register("HF0535", "scene heading not read as a heading", E, "A scene heading is a line of its own: `## Title {#id}`.")
_register("HF0536", "HTML tag in a name or title", W, "Use Markdown (`*emphasis*`, `**strong**`, `` `code` ``): HTML in a title shows as typed.")
_register("HF0537", "attributes in prose are not published", W,
          "Only choices take `{…}` (`{if=\"…\" do=\"…\" id=\"…\"}`); remove the braces from prose.")
_register("HF0538", "scene heading with no title", E, "Write the title before the braces: `## The Gate {#gate}`.")
_register("HF0539", "code block never closed", W,
          "Close it with a line of the same fence (``` or ~~~) where the code ends, or remove the opening line.")
_register("HF0540", "spaces in a link's scene id", E,
          "Link to the id in the braces of that scene's heading: `## The Far Bank {#far-bank}` is `(#far-bank)`.")
_register("HF0541", "two objectives of a quest share one id", E,
          "Give each objective of the quest its own `id:`.")
_register("HF0542", "brace inside a choice's attribute value", E,
          "An attribute's value holds no `{` or `}`, even inside quotes: write the text in the "
          "condition or effect without them (`'(x)'`, or words).")
_register("HF0544", "text after a scene's choices", W,
          "Move the text above the choices, or into the scene a choice leads to.")
_register("HF0545", "quest chains too long to publish", E,
          "Split the line of quests into arcs that do not require each other (each arc's first quest "
          "naming no quest of the arc before), or list fewer quests: a quest page shows every quest "
          "before it, so a line of n quests makes pages that walk n²/2 quests.")
_register("HF0546", "no hero playing a quest's stories meets its requirement", W,
          "Loosen the quest's `requires`, or name a hero who meets it (`protagonist:` or `heroes:`) in a story "
          "listing the quest.")
# --- HF06xx: the expression language ---------------------------------------------------------
_register("HF0601", "expression syntax error", E, "Correct the expression at the column shown: numbers, names, `+ - * /`, comparisons, `and`/`or`/`not`, brackets in pairs (`10 + constitution * 2`).")
_register("HF0602", "unknown name in expression", E,
          "Use a name in scope: an attribute, derived stat or `level` in a formula; a declared variable or a hero's value in a story.")
_register("HF0603", "type mismatch in expression", E,
          "Combine numbers with numbers and true/false with true/false: `gold += 10`, `if=\"agility >= 12\"`.")
_register("HF0604", "invalid function call", E,
          "Use a function the expression language has, with the arguments it takes (docs: expressions): `has(\"rusted-key\")`.")
_register("HF0605", "division by zero", E,
          "Divide by something that cannot be zero, or guard it: `x != 0 and y / x > 1`.")
_register("HF0606", "number overflow", E, "Values stay within ±2^53.")
_register("HF0607", "name cannot be changed", E, "Effects may change story variables only.")
_register("HF0608", "derived formulas over the rule book's budget", E,
          "Fewer or shorter derived formulas, or a lower max_level: every hero computes each one at every level.")
_register("HF0609", "typographic sign in an expression", E,
          "Type the ASCII sign the expression language uses: `>=` `<=` `!=` `-` `*` `/` and straight quotes.")
_register("HF0610", "whole number ink cannot hold", E,
          "ink's whole numbers are 32-bit: keep numbers within ±2,147,483,647, or leave ink out of [build] outputs.")
_register("HF0611", "story reaches a whole number ink cannot hold", E,
          "ink's whole numbers are 32-bit: cap the variable before it grows (`gold = min(gold, 2147483147) + 500`), "
          "or leave ink out of [build] outputs.")
_register("HF0612", "text ink cannot hold", E,
          "ink's strings are one line: write the value on one line, or leave ink out of [build] outputs.")
_register("HF0613", "condition the C# ink runtime decides otherwise", W,
          "Compare the variable itself with a whole number where a choice depends on it (`gold >= 3`, not `gold > 2.5`), or leave ink out.")
_register("HF0614", "item not named by an id", E,
          "Name items by id, lowercase letters, digits and hyphens: `give 'ember-relic'`, `has('ember-relic')`.")
_register("HF0615", "ink number checks stopped at their bound", I,
          "Nothing is wrong for this: past the bound a difference between `foundry play` and the C# ink runtime is not said.")
_register("HF0616", "effect the C# ink runtime computes otherwise", W,
          "Compute with whole numbers where the result matters (`gold + gold // 2`, not `gold * 1.5`), or leave ink out.")
# --- HF07xx: outputs, themes and media ------------------------------------------------------------
_register("HF0701", "broken internal link", E,
          "Link to a page, file or id the build writes; a link a template writes is fixed in the template, one in prose at its line.")
_register("HF0702", "image cannot be used", E, "Use a PNG, JPEG or WebP image under 40 megapixels.")
_register("HF0703", "theme template error", E,
          "Fix the template at the line given (or name a theme that exists in foundry.toml); `foundry theme eject` copies the default theme to start from.")
_register("HF0704", "output could not be written", E,
          "Give each output a path of its own: rename the file or folder the message names so no two outputs, and no file and folder, share one.")
_register("HF0705", "unsafe link or markup removed", W, "Links may use http, https or mailto, or point inside the project.")
# (HF071x: render budgets and publishing)
_register("HF0710", "render took too long", E, "A template loops too much: bound its loops by the data it shows.")
_register("HF0711", "render used too much memory", E, "A template builds a huge value: do not multiply or repeat strings and lists by large numbers.")
_register("HF0712", "book too large to print", E,
          "Split the story into several stories; for the compendium set `compendium = false` under `[print]`.")
_register("HF0713", "another build is running", E,
          "Wait for the other build or `foundry serve` to finish, then build again.")
_register("HF0714", "build output could not be written", E,
          "Free disk space (or raise the file-size limit, or make the folder writable), then build again.")
_register("HF0715", "a theme's pictures, or the portraits, hold too many pixels in all", E,
          "Scale the theme's pictures down or leave some out: a page needs a few million pixels of pictures.")
_register("HF0716", "the build's renders took more time in all than the operator allows", E,
          "The content asks for more renders than FOUNDRY_BUILD_SECONDS allows: a pull request that adds many "
          "heroes, stories or languages (even copies of one file) costs a render each. If the world is honestly "
          "this large, raise FOUNDRY_BUILD_SECONDS where the build runs.")
# (HF072x: what build would reject, found by check)
_register("HF0720", "id names an output foundry already writes", E, "Rename the file.")
_register("HF0721", "link in prose to a page the site does not have", E,
          "Link to a page the site writes, read from the page the prose is shown on (`../heroes/aria.html`), or to an https:// address.")
_register("HF0722", "output path too long for the file system", E,
          "Shorten the path of the file named: fewer folders, or shorter names.")
_register("HF0723", "a theme's root/ file would replace a file the site writes", E,
          "Rename or move the file: root/ holds files the build does not write (`_headers`, `_redirects`, `CNAME`, `robots.txt`).")
_register("HF0724", "a theme's root/ file is published under a sub-path, where nothing reads it", W,
          "Publish the site at its host's root (base_url = \"https://example.org/\"), or serve the file from the site at the host's root.")
_register("HF0725", "a theme's root/ file spells a name hosts read only exactly in another case", W,
          "Rename the file as the host reads it: `robots.txt`, `CNAME`, `_headers`, `_redirects`, `.well-known/`.")
# (HF073x: build engine, shards and the build cache)
_register("HF0730", "not a shard folder", E, "Give the folders `foundry build --shard I/N` wrote (build-shards/I-of-N/).")
_register("HF0731", "shard not sealed with this key", E,
          "Give every shard job and the merge job the same FOUNDRY_SEAL_KEY (docs/ci.md), then make the shards again.")
_register("HF0732", "shard made from other content", E, "Build every shard and the merge from the same commit with the same foundry.")
_register("HF0733", "shard made with other options", E, "Merge with the options (--release, --only) the shards were built with.")
_register("HF0734", "shard missing or given twice", E, "Give each shard folder of one split exactly once.")
_register("HF0735", "shard started from another build cache", E,
          "Restore the same build cache in every shard job and in the merge job, or none.")
_register("HF0736", "shard file is not what the shard recorded", E, "Make that shard again; never edit a shard's files.")
_register("HF0737", "history cut short by a shallow clone", W,
          "Build from a clone with the whole history: `git fetch --unshallow`; in GitHub Actions, actions/checkout "
          "with `fetch-depth: 0`.")
_register("HF0738", "a merge with too many parents left out of the history", W,
          "Such a commit is made by hand (`git commit-tree` or `hash-object`), never by `git merge`: "
          "drop it from the branch (rebase) before merging.")
_register("HF0739", "renames not followed in the history", W,
          "Fetch what the repository lacks (the hint names the command for a partial clone), then build again.")
# (HF074x: print, fonts and scripts)
_register("HF0740", "a library on this machine took a fallback", I,
          "Nothing in the project to fix: install the library named, or ignore this on a machine that only previews.")
_register("HF0741", "no font can print these characters", W,
          "Install a font covering the script (e.g. fonts-noto-cjk) or ship one in the print theme's fonts/.")
_register("HF0742", "PDFs cannot be made on this machine", E,
          "Install Pango, or build without PDF (`--only`).")
_register("HF0743", "the project's folder cannot be named in a GitHub workflow", E,
          "Rename the folder with letters, digits, spaces and `. _ -` only, then run `foundry ci` again.")
_register("HF0745", "nothing of this run is kept for the next one", I,
          "Give foundry a key that lasts: set XDG_CACHE_HOME to a folder of yours outside the project, an absolute path (in a "
          "container with no home folder, e.g. /tmp/foundry-cache), or give every run the same FOUNDRY_SEAL_KEY "
          "(64 hex digits). The next build then renders only what changed.")
_register("HF0747", "a budget in the environment is not a number", W,
          "Set it to a number above 0, without a unit (`FOUNDRY_BUILD_SECONDS=3600`), or unset it for its default.")
_register("HF0746", "YAML read without libyaml", W,
          "Install PyYAML with libyaml: a wheel from PyPI has it where one exists for this platform "
          "(`pip install --force-reinstall --only-binary pyyaml pyyaml`); elsewhere install libyaml's headers "
          "(`apt-get install libyaml-dev`, `apk add yaml-dev`, `brew install libyaml`) and rebuild it "
          "(`pip install --force-reinstall --no-binary pyyaml pyyaml`).")
# (HF075x: site and books publishing)
_register("HF0744", "the project's folder cannot be read", E,
          "Put the project's folder back where it was, readable; foundry serve builds it again when it is back.")
_register("HF0750", "portrait prints below 300 dpi", W,
          "Use a larger image of the portrait, or print it smaller in the print theme.")
_register("HF0751", "a language listed twice", E, "Language tags ignore case, and some languages have two (iw, he): list each language once, in one spelling.")
_register("HF0752", "no font can draw these characters on the EPUB cover", W,
          "Install a font covering the script (e.g. fonts-noto-core) on the machine that builds the EPUBs.")
_register("HF0753", "animated portrait: only its first frame is published", W,
          "Use a still image of the frame to show (export one frame as PNG, JPEG or WebP), or leave it "
          "if the first frame is the one to show.")
_register("HF0754", "a comment, footnote or another tool's mark in a name or title", W,
          "Titles are inline Markdown, which has no comments and no footnotes: delete the note, or put it in "
          "the prose.")
_register("HF0755", "a link into another kind's folder", E,
          "Put a file of its own in the link's place: a link in an entity folder may lead only into that folder.")
_register("HF0756", "a portrait's orientation browsers do not apply", W,
          "If the picture looks turned on the site, open it in an image editor, turn it upright and export it "
          "again: an editor writes the orientation where browsers read it, or turns the pixels themselves.")
_register("HF0757", "a portrait's colours browsers show otherwise than published", W,
          "Export it again as a standard-range picture (sRGB or Display P3: an editor's 'Export for web', a "
          "phone's 'Most Compatible'), whose colours every output shows as a browser does.")
_register("HF0758", "a theme picture browsers show nothing of under its name", W,
          "Rename the file to the kind it is (a PNG .png, a drawing .svg), or export it as the kind its name says.")
_register("HF0759", "a heading's or quote's marker starting a name or title", W,
          "A name or title is one line of inline Markdown: delete the marker; to show the character, escape "
          "it (`\\#`, `\\>`).")
_register("HF0760", "print editions asked for, but no PDF is built", W,
          "Add \"pdf\" to [build] outputs, or remove `editions = true` from [print].")
_register("HF0761", "a combining mark printed apart from its letter", W,
          "Write the letter without the mark: a keycap as the digit and a stop or brackets ('1.' or '(1)'), "
          "a circled letter as the letter ('A' or '(A)').")
# --- HF08xx: git ------------------------------------------------------------------------------------
_register("HF0801", "git revision not available", E,
          "Run it in a git repository (`git init`, then commit the project) and name a commit, branch or tag it has.")
_register("HF0802", "content does not load at a revision", E,
          "Compare with a revision whose content checks cleanly, or check out that revision and run `foundry check` to see its errors.")
_register("HF0803", "the history cannot be read", W,
          "Fetch what the repository lacks (the hint names the command for a partial clone), then build again.")
# (HF081x: hardened git)
# --- HF09xx: ownership and release ---------------------------------------------------------------
_register("HF0901", "content has no owner", W, "Add an owner for this path under [owners] in foundry.toml.")
_register("HF0902", "published content needs unpublished content", E, "Publish the dependency too, or set this entity back to review.")
_register("HF0903", "CODEOWNERS is out of date", E, "Run `foundry codeowners` and commit the result.")
_register("HF0904", "owner rule names nothing the project has", W,
          "Correct the pattern under [owners] in foundry.toml, or remove the rule.")
_register("HF0905", "owner rule overridden by the rules below it", W,
          "Move the rule below the broader one under [owners] in foundry.toml: the last matching rule wins.")
# (HF10xx: importing Twine and ink)
_register("HF1001", "not a Twine, Twee or ink story", E, "`foundry import twine` reads Twine 2 HTML (.html) or Twee 3 (.twee); `foundry import ink` reads ink source (.ink).")
_register("HF1002", "story format not supported", E, "Supported: SugarCube 2 and Harlowe 3 (Twine), and ink. Rewrite the story's code as SugarCube or Harlowe macros, then change the story format in Twine and import again.")
_register("HF1003", "construct not imported, kept as a comment", W, "Rewrite it with scenes, choices, conditions and effects (docs/importing.md), then delete the `imported` block.")
_register("HF1004", "link to a passage that does not exist", W, "Fix the link's target in the source, or add the scene and a choice by hand.")
_register("HF1005", "two names give the same id", W, "The later one got a numbered id; rename the passage or knot if you want a clearer one.")
_register("HF1006", "variable used with two types", W, "Keep each variable to one kind of value (number, true/false or text).")
_register("HF1007", "expression could not be translated", W, "Only comparisons, and/or/not, arithmetic and variables translate: rewrite the condition with story variables (`has_key`), or add it by hand.")
_register("HF1008", "the imported story would overwrite a file", E, "Choose another id with --id, or move the existing file away.")
_register("HF1009", "markup reduced to its text", I, "Our prose is Markdown: add emphasis or headings back in Markdown where you need them.")
_register("HF1010", "name changed to fit our format", I, "Variables are lowercase words joined by _; the original name is in the message.")
_register("HF1011", "variable has no value when the story starts", I, "Give it a value in StoryInit; the import starts it at 0, false or \"\".")
_register("HF1012", "story file read in the encoding it declares", I,
          "Nothing to do; save the file as UTF-8 to keep it simple.")
_register("HF1013", "the imported story would be too large for a story file", E,
          "Import it in parts: split the story in Twine (or each INCLUDEd ink file) into stories of at most "
          "2 MiB and 50,000 lines, or shorten its longest passages.")
_register("HF1014", "text that looks like an HTML tag kept as text", W,
          "Twine showed nothing for the tag itself (the format read it as an element HTML does not "
          "have): delete it, or keep it if the reader should see it.")
_register("HF1015", "a character a story may not hold left out of the import", W,
          "Nothing is lost a reader saw (it is invisible, or a control character); delete it in the source too, "
          "or put it back where a script spells with it: a ZWNJ or ZWJ between two letters of Arabic, Persian "
          "or an Indic script, a direction mark in right-to-left text.")
_register("HF1016", "story format version older than the one the import reads", W,
          "Change the story format to SugarCube 2 or Harlowe 3 in Twine (Story → Details), check that it plays "
          "as before, and import again; or play the imported story to check it.")
# (HF11xx: localization)
_register("HF1101", "paragraph has no line id", E, "Run `foundry l10n tag` to give every paragraph a line id.")
_register("HF1102", "two line ids alike", E,
          "Delete the copied marker (keep the text) and run `foundry l10n tag` again, or give one of the two choices another id.")
_register("HF1103", "language code is not BCP 47", E,
          "Use a BCP 47 tag such as \"de\", \"de-AT\", \"pt-BR\" or \"zh-Hant\" (hyphens, not underscores).")
_register("HF1104", "translation file does not parse", E, "Open the file in a translation tool or fix the syntax at this line.")
_register("HF1105", "lines not translated", W,
          "Translate the missing lines; `foundry l10n status --language <tag>` lists them.")
_register("HF1106", "translation is stale", W,
          "Update the translation to the current source text, then remove its fuzzy mark.")
_register("HF1107", "translation breaks markup", E, "Keep every link target, emphasis, code span and `{…}` of the source.")
_register("HF1108", "choice or title translated to nothing", E,
          "A choice, name, title or note needs visible text in every language: translate it, or empty the entry so the "
          "base language shows.")
_register("HF1109", "translation of a line that no longer exists", W,
          "Run `foundry l10n extract`: it moves a translation whose line was moved, and marks the rest obsolete.")
_register("HF1110", "translation file in an unknown place", W,
          "Keep one file per source file and language, named translations/<lang>/<source path>.po (or .xlf, .csv): "
          "merge the other into it and delete it.")
_register("HF1111", "an inline code in a translation has no text", E,
          "Export the translation with placeholders as text (the `equiv` attribute), or type the source's `{…}`, link or emphasis in its place.")
# (HF112x: localized outputs)
_register("HF1120", "release needs every line translated", E,
          "Translate the lines `foundry l10n status` lists as missing, or set release_requires_complete = false under [l10n].")
_register("HF1121", "language folder or tag already used by the outputs", E,
          "Write the tag with a region or script subtag (`api-BR`): the same language, a folder of its own; "
          "for `x-default`, the language the translation is in.")
_register("HF1122", "a localized output the build does not make", W,
          "Add the output to [build] outputs, or remove it from [l10n] outputs.")
# (HF113x: voice-over and audio)
_register("HF1130", "audio file is not readable audio", E, "Export the clip again as Ogg Opus, Ogg Vorbis, MP3 or WAV (`opusenc line.wav line.opus`, or your audio editor's export).")
_register("HF1131", "audio file too large", E, "Voice-over is one line per file: encode it as Ogg Opus or MP3 (a few KB a second).")
_register("HF1132", "audio file named for no line id", W, "Name the file after a line id (`foundry l10n extract` lists them), or remove it.")
_register("HF1133", "audio file in an unknown place", W, "Voice-over lives in content/audio/<language>/<line id>.<ogg|opus|mp3|wav>.")
_register("HF1134", "audio format not supported", E, "Use Ogg Opus (.opus or .ogg), Ogg Vorbis (.ogg), MP3 (.mp3) or WAV (.wav), named for what it holds.")
_register("HF1135", "audio outside the voice-over limits", W,
          "Export the line again as a mono or stereo clip of the line alone, under 5 minutes, at 8–192 kHz.")
_register("HF1136", "two audio files for one line", W, "Keep one file per line id and language.")
_register("HF1139", "text overflows its box in the PDF", W, "Shorten the text (or its translation), or let the layout wrap it.")
# (HF114x: localization, third round)
_register("HF1140", "the theme has no words for a language", I,
          "Add themes/<theme>/locale/<language>/LC_MESSAGES/messages.po with the theme's words in that language.")
_register("HF1141", "the theme's catalog does not parse", E,
          "Fix the catalog at the line given; `msgfmt -c` checks a PO file strictly.")
_register("HF1156", "a theme catalog with fewer plural forms than its language", W,
          "Write the Plural-Forms line of the catalog's language (the one msginit writes) and each plural "
          "message in that many forms.")
_register("HF1157", "a theme word's translation without its placeholder", W,
          "Write each placeholder of the message in its translation as the message writes it (`%(name)s`, "
          "`{query}`), where its value goes; `msgfmt -c` checks them too.")
_register("HF1158", "a language tag's -u- keywords ICU does not sort by", W,
          "Delete the `-u-…` keywords from the tag (and rename its folders), or write ones ICU reads (`-u-co-phonebk`).")
_register("HF1155", "a deprecated language tag", W,
          "Write the tag the IANA registry gives as its preferred value (`he` for `iw`), and rename its folders.")
_register("HF1154", "a line id marker written otherwise", W,
          "Write the marker ` ^l-` and 4–12 lower-case letters or digits, or run `foundry l10n tag`.")
_register("HF1153", "markup in the translation of a theme word", W,
          "Write the word as readers should see it: `&` for `&amp;`, no tags (a word is text, not HTML).")
_register("HF1142", "plural forms in a content translation", W,
          "Remove msgid_plural and the msgstr[1]… lines: write the one translation as `msgstr`.")
_register("HF1145", "a translation longer than its line allows", E,
          "Shorten the translation to the limit its translator's comment gives.")
_register("HF1146", "a translation file in another language than its folder", W,
          "Move the file to the folder of the language it holds, or correct its header's language.")
_register("HF1147", "a translation marked obsolete, of a line that exists", W,
          "Run `foundry l10n extract`: it brings the translation back into use (marked fuzzy if the source "
          "changed), or delete the entry. The mark is PO `#~`, XLIFF subState=\"foundry:obsolete\", or a CSV "
          "translator_comments cell whose first word is `obsolete`.")
_register("HF1149", "more languages than foundry builds", E, "List at most 100 languages: those you ship now.")
_register("HF1152", "a language tag too long to name its folders", E,
          "Write the language with a shorter tag: its folders and files are named by the whole tag.")
_register("HF1150", "an [l10n] setting that does nothing", W,
          "List the languages to translate into in [l10n] languages (`languages = [\"de\"]`); the project's own "
          "language is what they are translated from.")
_register("HF1151", "a translation file value its format does not know", W,
          "Write one of the values the hint lists (a tool's own XLIFF 1.2 state starts with `x-`).")
# (foundry import, from the fourth review round: the HF10xx series is full of its neighbours' meanings)
_register("HF1143", "an imported passage or knot no choice reaches", W,
          "Add a choice that leads to it, or delete the scene if it was a note.")


def code_info(code: str) -> CodeInfo:
    return _CODES[code]


def all_codes() -> list[CodeInfo]:
    return [_CODES[c] for c in sorted(_CODES)]


# The most characters of a message or a hint a finding says: each place that echoes
# a value clips it (`clip`), and this bounds the ones that did not. A choice to a scene
# id of 1 MB printed that megabyte in the message (HF0304), a link's target likewise in
# HF0721's: one finding of a pull request's filled a CI log. Far above what any finding
# says of an honest project.
MAX_SAID = 4000


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    span: Span
    hint: str = ""

    def __post_init__(self) -> None:
        # here, not in Diagnostics.add: findings are made from kept ones too (the check
        # memo, a shard's list, `dataclasses.replace` of a hint) and every report format
        # prints this object's words
        for name in ("message", "hint"):
            text = getattr(self, name)
            if len(text) > MAX_SAID:
                object.__setattr__(self, name, clip(text, MAX_SAID))

    @property
    def title(self) -> str:
        return _CODES[self.code].title

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)

    @classmethod
    def from_json(cls, data: dict) -> "Diagnostic":
        return cls(Severity(data["severity"]), data["code"], data["message"],
                   Span(data["file"] or "", data["line"], data["column"], _end(data.get("end_column")),
                        argument=data.get("argument") or ""),
                   data.get("hint", ""))

    def to_state(self) -> dict:
        """`to_json` and the span's end: what the build state keeps of a finding, so a
        no-op build (or a kept output's render findings) says it with the caret width a
        build that found it says (the JSON report shows no end)."""
        return {**self.to_json(), "end_column": self.span.end_column}

    def to_json(self) -> dict:
        data = {
            "severity": self.severity.value,
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "file": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "hint": self.hint,
        }
        if self.span.argument:   # a command-line argument's problem claims no file
            data.update(file=None, argument=self.span.argument)
        return data


def _end(value: object) -> int:
    """A kept end column (`Diagnostic.to_state`); 0 (the caret's one character) when a
    state written before kept none."""
    return value if type(value) is int and value >= 0 else 0


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage. Stages add; nobody raises."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)

    def add(self, code: str, message: str, span: Span, hint: str | None = None,
            severity: Severity | None = None) -> None:
        info = _CODES[code]
        # never a problem without a hint: a caller's empty one (`suggestion` finding no
        # near name and given no place to point at) falls back to the code's own
        diag = Diagnostic(severity or info.severity, code, message, span, hint or info.hint)
        key = (diag.code, diag.message, diag.span)
        if key not in self._seen:  # the same fact found twice (e.g. per hero) is reported once
            self._seen.add(key)
            self.items.append(diag)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for d in other:
            self.add(d.code, d.message, d.span, d.hint, d.severity)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)


# Names compared in all by `did_you_mean` within one `near_budget` block (one document's
# validation, one translation file, the relationships of all the people), a full comparison (SequenceMatcher.ratio)
# counted as 10, as resolve/owner_slips.py counts them. Each unknown name was compared
# with every known one: a 100 KB story of 2,000 choices each leading to a slip of one
# of its 2,000 scene ids was 2,000 × 2,000 ratios, ~35 CPU-s of `foundry check` (4
# times as long at twice the size); 2,000 conditions naming slips of 2,000 variables,
# or a hero's 2,000 relationships with slips of 2,000 characters' ids, the same. Past
# the budget a name gets no "did you mean" (the error is said all the same).
NEAR_COMPARISONS = 300_000
_NEAR_LEFT: ContextVar[list[int] | None] = ContextVar("near_left", default=None)


@contextmanager
def near_budget(comparisons: int | None = None) -> Iterator[list[int]]:
    """Every `did_you_mean` inside the block shares `comparisons` (NEAR_COMPARISONS
    unless given, read when the block opens: a test lowers it to show a unit's bound on
    an input a tenth the size).
    Opened around a unit whose findings are kept as one (a document, a translation
    file, the relationships' pass), so what each says depends on that unit alone, never
    on what was checked before it. Yields the comparisons left (a one-item list, which
    the block's lookups lower, a lookup refused too): a unit kept in parts tells from it
    which drew on it or was refused a near name."""
    left = [NEAR_COMPARISONS if comparisons is None else comparisons]
    token = _NEAR_LEFT.set(left)
    try:
        yield left
    finally:
        _NEAR_LEFT.reset(token)


def _spent() -> bool:
    """Whether the open `near_budget` block's comparisons are spent. A lookup refused
    lowers what is left all the same: a unit kept in parts (the relationships' memo)
    tells by a change of it that a hint lacks the near name it has once the budget is
    free again, and checks that part again rather than replay the poorer hint."""
    left = _NEAR_LEFT.get()
    if left is None or left[0] > 0:
        return False
    left[0] -= 1
    return True


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, or None. Case is not a spelling: a
    name that differs only in case wins outright (`Scout` → 'scout', even beside a
    nearer-looking 'Scot'), and near misses are compared case-folded (`SCUOT` → 'scout').
    Inside a `near_budget` block, None once its comparisons are spent (the nearest one
    found before then when they run out in this call)."""
    if _spent():
        return None   # not even the names sorted, for each of thousands of slips
    names = sorted({str(c) for c in choices})
    folded = str(word).casefold()
    same = [n for n in names if n.casefold() == folded and n != word]
    if same:
        return same[0]
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), name)
    match = nearest(folded, sorted(by_folded))
    return by_folded[match] if match is not None else None


def nearest(word: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """difflib.get_close_matches(word, names, n=1, cutoff)[0] (the highest ratio, the
    greatest name among equals), or None; inside a `near_budget` block each comparison
    counted, and None once its comparisons are spent (the nearest found before then
    when they run out in this call). `names` in an order of their own (sorted): which
    are compared before the budget runs out must not hang on a set's hash order."""
    if _spent():
        return None
    left = _NEAR_LEFT.get()
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for other in names:
        if left is not None:
            left[0] -= 1
            if left[0] < 0:
                break
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        if left is not None:
            left[0] -= 10
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, other) > best):
            best = (score, other)
    return best[1] if best else None


# With no name close to the one written, a hint lists the names there are when they
# are this few (a project's two templates, its five relationship kinds): `template:
# ranger` copied from docs/formats.md into a project whose one template is `scout` was
# told only where templates live.
FEW_NAMES = 8


def suggestion(word: str, choices: Iterable[str], where: str = "", listing: bool = False,
               listed: bool = False) -> str:
    """A hint sentence: "Did you mean 'x'?" plus `where` names of this kind are defined;
    when no name is close, after `where` the names there are if they are FEW_NAMES or
    fewer (`listed`: `where` lists them already). With `listing` and no `where`, the
    first FEW_NAMES of any number, so a caller with no fallback of its own never gives
    an empty hint (without either, "" when no name is close: the caller's own)."""
    choices = [c for c in choices if c != word]   # "did you mean 'x'?" of 'x' itself helps no one
    best = did_you_mean(word, choices)
    parts = []
    if best:
        parts.append(f"Did you mean '{best}'?")
    if where:
        parts.append(where)
    names = sorted({str(c) for c in choices}) if not best else []
    if names and ((where and not listed and len(names) <= FEW_NAMES) or (listing and not where)):
        # no close name: the names there are
        parts.append("Known here: " + ", ".join(f"'{clip(n, 40)}'" for n in names[:FEW_NAMES])
                     + (" …" if len(names) > FEW_NAMES else "") + ".")
    return " ".join(parts)


# Findings of one kind said each at its own place within one paragraph, line or field
# (HF0124's tags and links, HF0536's tags, HF0131/HF0132's characters): the first
# EACH_SAID of them, then one line for the rest. Said each without a bound, a paragraph
# of 10,000 `<kbd>` was 10,000 warnings (4 MB of JSON, 40,000 lines of text) where one
# per paragraph was said before; as a YAML file's syntax slips are (load/yaml.py).
EACH_SAID = 20


def the_rest(total: int, unit: str) -> str:
    """The message said in place of the findings past the first EACH_SAID of `total`
    in one `unit` ("paragraph", "line", "field"), at the first of them."""
    return f"and {total - EACH_SAID:,} more like the {EACH_SAID} above in this {unit}, from here on"


# A report says at most this many findings of one code in one file, then one line for
# the rest (`said`). The findings are all made and counted (the summary and the JSON's
# totals, the exit status), but a 1.8 MB hero of 150,000 unknown attributes printed
# 150,000 framed errors: 36 MB of CI log (54 MB of JSON) from one file, as many again
# for each copy a pull request adds (git stores a file's copies as one blob).
SAID_PER_FILE = 100
# And at most this many lines of one code in all (those "and N more" lines included),
# then one line for the rest of it in every file: the cap per file bounded one file's
# report, not N copies of it (N x 101 lines of a code, one blob in git for any N).
SAID_PER_CODE = 1000


def _hint_of_rest(code: str, hints: set[str]) -> str:
    """The hint of a line standing for several findings: theirs when they all share one,
    else the code's registered hint ("" for an unregistered code)."""
    if len(hints) == 1:
        return next(iter(hints))
    return _CODES[code].hint if code in _CODES else ""


def said(items: list[Diagnostic]) -> list[Diagnostic]:
    """`items` (in report order) as a report shows them: of each code in each file the
    first SAID_PER_FILE, and in place of the rest one finding of that code at the first
    of them, "and N more like the SAID_PER_FILE above in this file, from here on"
    (with their hint when they share one, else the code's own); of each code in all, the
    first SAID_PER_CODE lines so made, then one finding at the first left, "and N more of
    HFxxxx in M files, from here on" (the same rule for its hint). Everything else in its
    order."""
    counts: dict[tuple[str, str], int] = {}
    codes: dict[str, int] = {}
    for d in items:
        key = (d.span.path, d.code)
        counts[key] = counts.get(key, 0) + 1
        codes[d.code] = codes.get(d.code, 0) + 1
    if all(n <= SAID_PER_FILE for n in counts.values()) and all(n <= SAID_PER_CODE for n in codes.values()):
        return items
    # the hint of the rest: theirs when they all have one (`Known here: …`), else the
    # code's own: the first one's ("Did you mean 'strength'?" for `strenght`) was told
    # of the 49 `k100`… after it
    hints: dict[tuple[str, str], set[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    lines: dict[str, int] = {}        # lines shown of each code
    folded: dict[str, list] = {}      # code → [its line's index in `out`, findings left, their files, their hints]
    for d in items:
        key = (d.span.path, d.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > SAID_PER_FILE:
            hints.setdefault(key, set()).add(d.hint)
    out: list[Diagnostic] = []
    seen.clear()
    for d in items:
        key = (d.span.path, d.code)
        n = seen[key] = seen.get(key, 0) + 1
        rest = folded.get(d.code)
        if rest is None and lines.get(d.code, 0) >= SAID_PER_CODE:
            rest = folded[d.code] = [len(out), 0, set(), set()]
            out.append(d)   # its place, replaced below once the rest is counted
        if rest is not None:
            rest[1] += 1
            rest[2].add(d.span.path)
            rest[3].add(d.hint)
        elif n <= SAID_PER_FILE:
            lines[d.code] = lines.get(d.code, 0) + 1
            out.append(d)
        elif n == SAID_PER_FILE + 1:
            lines[d.code] = lines.get(d.code, 0) + 1
            out.append(Diagnostic(d.severity, d.code, f"and {counts[key] - SAID_PER_FILE:,} more like the "
                                  f"{SAID_PER_FILE} above in this file, from here on", d.span,
                                  _hint_of_rest(d.code, hints[key])))
    for code, (at, left, files, their_hints) in folded.items():
        first = out[at]
        out[at] = Diagnostic(first.severity, code, f"and {left:,} more of {code} in {len(files):,} "
                             f"file{'s' if len(files) != 1 else ''}, from here on (a report shows the first "
                             f"{SAID_PER_CODE:,} lines of a code)", first.span, _hint_of_rest(code, their_hints))
    return out


def code_span(text: str) -> str:
    """`text` as one Markdown code span that shows it whole: fenced by one backtick more
    than its longest run of them, padded with a space when it starts or ends with one
    (`## Tracks `in` the Mud` in a hint ended the span at its first backtick). Line
    breaks become spaces, as a span shows them."""
    text = text.replace("\n", " ")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def clip(text: object, limit: int = 60) -> str:
    """A value as it may appear in a message: never echo a huge input back. Cut between
    the characters a reader sees (graphemes.py): cut between code points, `क्षत्रिय`
    ended `क्षत्…` (a dangling virama), `छँटता` lost its vowel sign and read as another
    word, and a family emoji showed one parent and a joiner."""
    s = text if isinstance(text, str) else repr(text)
    shown = s.replace("\n", "\\n")
    if len(shown) <= limit:
        return shown
    # Whole clusters of the text as typed, each counted as shown, up to limit - 1: cut
    # after escaping, a CRLF's `\r\n` ended `\r\` (the escape cut in two: a backslash
    # a reader takes for typed). Each code point shows as one or more: `s[:limit]` holds
    # every cluster that can fit, and its last, cut or not, never fits.
    kept, used = [], 0
    for cluster in clusters(s[:limit]):
        used += len(cluster) + cluster.count("\n")
        if used > limit - 1:
            break
        kept.append(cluster)
    if not kept:
        # one cluster longer than the limit (a letter under a stack of forty marks, or
        # marks alone): its first code points, not an ellipsis alone that quoted nothing
        return shown[:limit - 1] + "…"
    return "".join(kept).replace("\n", "\\n") + "…"
