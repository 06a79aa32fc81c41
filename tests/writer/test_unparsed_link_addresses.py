"""A link in prose with an allowed scheme but an address that does not parse
(`[map](https://[x)`, `<http://exa%mple.org/>`, a port past 65535, a space in the
host; a scheme-relative `//ex.org:99999/`, which a browser reads with the page's scheme): the sanitiser (nh3, which parses addresses as browsers do) removed its href, so
the site and the books showed `<a rel="noopener noreferrer">map</a>`, a link going
nowhere (epubcheck RSC-005: an invalid EPUB), with `foundry check` and `build` silent.
Now it is no link, shown as typed as a refused link is, and check says HF0124 at its
address, naming what is wrong. One project, in a hero's background, a scene's
paragraph and a choice's words; one check, one build (site and EPUB), one epubcheck."""

from __future__ import annotations

import zipfile

import pytest
from lxml import html as lxml_html

from support import epubcheck_many, foundry, write_project

FILES = {
    "content/heroes/first-hero.yaml": """
        name: Rook Amsel
        title: Scout of the Marsh Road
        status: draft
        template: scout
        attributes: {agility: 13, constitution: 10}
        skills: [ambush]
        xp: 120
        relationships:
          - {with: old-guide, kind: mentor}
        background: |
          Rook grew up on the marsh road. Her [map](https://[x) and <http://exa%mple.org/>. [Ford](//ex.org:99999/).
          Her [sketch](the ford.png), not [this](https://ex.org/x "title").

          Not \\[a note](see map), nor `[code](a b)`; her [chart](old
          map.png).
    """,
}

# (file, line, column, words the hint names) of each HF0124 check and build must say
EXPECTED = [
    ("content/heroes/first-hero.yaml", 11, 45, "a `[` or `]` in its host"),
    ("content/heroes/first-hero.yaml", 11, 62, "a `%` in its host name"),
    # scheme-relative: a browser reads it as https://ex.org:99999/
    ("content/heroes/first-hero.yaml", 11, 92, "its port `99999` is not a number from 0 to 65535"),
    # a space outside angle brackets ends the address: no link, shown as typed (a title after
    # it is no slip)
    ("content/heroes/first-hero.yaml", 12, 16, "`the%20ford.png`"),
    # wrapped after its first word (a line break is the space); an escaped `\[` or code
    # before it on its line is no slip
    ("content/heroes/first-hero.yaml", 14, 58, "`old%20map.png`"),
    ("content/stories/first-story.md", 16, 60, "its port `99999` is not a number from 0 to 65535"),
    ("content/stories/first-story.md", 16, 93, "`https://ex.org/a%20b`), or put the address in angle brackets"),
    ("content/stories/first-story.md", 21, 21, "its port `8o` is not a number"),
    ("content/stories/first-story.md", 22, 21, "`(<my mill.png>)`"),
    ("content/stories/first-story.md", 43, 21, "`(<my map.png>)`"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("addresses") / "proj", FILES)
    story = root / "content" / "stories" / "first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("like a tide.", "like a tide. See [the port](https://ex.org:99999/) and [bay](https://ex.org/a b).", 1)
    text = text.replace("- [Wait for the fog to lift](#wait)\n",
                        "- [Wait for the fog to lift](#wait)\n- [Or at [the mill](https://ex.org:8o/)](#bank)\n"
                        "- [Or by [the mill](my mill.png)](#bank){id=\"mill\"}\n", 1)
    # the brackets asked for (escaped, an entity) or in code: no link meant, nothing said;
    # an address wrapped after its first word: said at it
    text = text.replace("Dry ground at last.", "Dry ground at last. Not \\[this](a b) nor [that&#93;(c d) nor `[x](e f)`,\n"
                        "but [the [old] map](my\nmap.png).", 1)
    assert "99999" in text and "the mill" in text
    story.write_text(text, encoding="utf-8")
    return root


def _said(run) -> list[tuple[str, int, int, str]]:
    return [(d["file"], d["line"], d["column"], d["hint"]) for d in run.json()["diagnostics"] if d["code"] == "HF0124"]


def _matches(said, expected) -> bool:
    return len(said) == len(expected) and all(s[:3] == e[:3] and e[3] in s[3] for s, e in zip(said, expected))


@pytest.fixture(scope="module")
def built(project):
    check = foundry("check", "--format", "json", "--project", str(project))
    run = foundry("build", "--only", "html,epub", "--format", "json", "--project", str(project))
    assert run.code == 0, run.stdout + run.stderr
    return check, run, project / "build"


def test_check_and_build_say_each_address_that_does_not_parse(built):
    check, run, _ = built
    assert _matches(_said(check), EXPECTED), [s[:3] for s in _said(check)]
    assert run.json()["diagnostics"] == check.json()["diagnostics"]
    [message] = {d["message"] for d in check.json()["diagnostics"] if (d["line"], d["column"]) == (16, 60) and d["code"] == "HF0124"}
    assert "'https://ex.org:99999/' does not parse as a web address" in message, message
    [message] = {d["message"] for d in check.json()["diagnostics"] if (d["line"], d["column"]) == (16, 93)}
    assert message.startswith("the address 'https://ex.org/a b' holds a space"), message


def test_no_output_has_a_link_without_an_address(built):
    _, _, build = built
    pages = [build / "site" / "heroes" / "first-hero.html", build / "site" / "stories" / "first-story.html"]
    with zipfile.ZipFile(build / "epub" / "stories" / "first-story.epub") as z:
        chapters = [z.read(n) for n in z.namelist() if n.endswith(".xhtml")]
    with zipfile.ZipFile(build / "epub" / "compendium.epub") as z:
        chapters += [z.read(n) for n in z.namelist() if n.endswith(".xhtml")]
    trees = [lxml_html.fromstring(p.read_bytes()) for p in pages] + [lxml_html.fromstring(c) for c in chapters]
    for tree in trees:
        assert not tree.xpath("//a[not(@href) and not(@id) and not(@name)]"), lxml_html.tostring(tree)[:300]
    text = "".join(t.text_content() for t in trees)
    # shown as typed, in every place (the hero's page, her chapter, the scene)
    for typed in ("[map](https://[x)", "[Ford](//ex.org:99999/)", "<http://exa%mple.org/>", "[the port](https://ex.org:99999/)",
                  "Or at [the mill](https://ex.org:8o/)", "[sketch](the ford.png)", "[bay](https://ex.org/a b)",
                  "Or by [the mill](my mill.png)", "Not [a note](see map)", "Not [this](a b) nor [that](c d)"):
        assert typed in text, typed


def test_the_books_pass_epubcheck(built, tmp_path_factory):
    _, _, build = built
    books = [build / "epub" / "compendium.epub", build / "epub" / "stories" / "first-story.epub"]
    for run in epubcheck_many(books, tmp_path_factory.mktemp("epubcheck")):
        assert run.returncode == 0 and "ERROR" not in run.stdout + run.stderr, run.stdout + run.stderr


def test_a_broken_link_is_said_at_itself_not_at_a_look_alike_before_it(project_factory):
    """HF0721 (a link to a page the site does not have) is placed by its target as
    written, `](a`: the `](a` of a code span (`` `[x](a b)` ``) or of an address a space
    ends (`[x](a b)`, no link) before it took its place, and `[x](a\u00a0b)` (one target,
    `a%C2%A0b`) was read as `a`, so it took the next link's place and was itself said at
    the scene's heading. In a story and in a hero's background alike."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\n"
             "Code `[x](a b)`, no link [y](a c), [z](a\u00a0b) and [w](a \"t\").\n\n"
             "Nor [v](q\u00a0r s): a space ends `q\u00a0r` (U+00A0 is no space to Markdown).\n\n- [On](#end)\n\n"
             "## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text[:text.index("background:")] + "background: |\n  Not [y](a c), but [w](a 't').\n",
                    encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted((d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["message"].split("'")[1])
                  for d in run.json()["diagnostics"] if d["code"] == "HF0721")
    assert said == [("first-hero.yaml", 12, 25, "a"),
                    ("tower.md", 8, 40, "a%C2%A0b"), ("tower.md", 8, 53, "a")], said
    spaced = sorted((d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["message"].split("'")[1])
                    for d in run.json()["diagnostics"] if d["code"] == "HF0124")
    assert spaced == [("first-hero.yaml", 12, 11, "a c"), ("tower.md", 8, 30, "a c"),
                      ("tower.md", 10, 9, "q\u00a0r s")], spaced


def test_a_space_in_a_definition_an_autolink_or_after_a_title_is_said(project_factory):
    """A space ends an address in the two other ways prose makes a link, as in
    `[x](a b)`: a definition `[r]: my file.png` (or `[r]: a b "title"`) is no definition
    but a paragraph, and `<https://ex.org/a b>` no autolink, each shown as typed with
    check clean; so was `[x](a (b) c)`, a title that something follows. Each is said at
    its address now, the hint naming the address without its title. A link in an HTML
    comment is the comment's one slip: it was said a second time, and the one said
    after the comment took its place (the next `[n](c d)` was said inside the comment).
    A link to a page the site lacks (HF0721) is said at itself, not at the first word
    of such a definition or of a footnote before it."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\n"
             "See [r], [s] and <https://ex.org/a b>; not \\<https://ex.org/c d> nor <sigh: fine>.\n\n"
             "[r]: my file.png\n\n[s]: a b \"The map\"\n\n[^1]: a note, said as a footnote.\n\n"
             "Nor [x](a (b) c), but [y](a (b)) is a link.\n\n"
             "Mud <!-- see [m](a b) and <b>x</b> --> and [n](c d).\n\n- [On](#end)\n\n"
             "## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text[:text.index("background:")] + "background: |\n  A <!-- [m](a b)\n  --> and [n](c d).\n\n"
                    "  [r]: e f\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["message"].split(" holds")[0][:24], d["hint"].split(")")[0][:40])
            for d in run.json()["diagnostics"] if d["code"] == "HF0124"]
    comment = "Foundry's Markdown has no comments: dele"
    assert said == [
        ("first-hero.yaml", 12, 5, "an HTML comment in prose", comment),
        ("first-hero.yaml", 13, 15, "the address 'c d'", "Write the space as %20 (`c%20d`"),
        ("first-hero.yaml", 15, 8, "the address 'e f'", "Write the space as %20 (`e%20f`"),
        ("tower.md", 8, 19, "the address 'https://ex.", "Write the space as %20 (`https://ex.org/"),
        ("tower.md", 10, 6, "the address 'my file.png", "Write the space as %20 (`my%20file.png`"),
        ("tower.md", 12, 6, "the address 'a b'", "Write the space as %20 (`a%20b`"),
        ("tower.md", 14, 1, "'[^1]' is a footnote, wh", "Put the note in the sentence, in parenth"),
        ("tower.md", 16, 9, "the address 'a (b) c'", "Write the space as %20 (`a%20(b"),
        ("tower.md", 18, 5, "an HTML comment in prose", comment),
        ("tower.md", 18, 48, "the address 'c d'", "Write the space as %20 (`c%20d`"),
    ], said
    hints = {d["line"]: d["hint"] for d in run.json()["diagnostics"] if d["file"].endswith("tower.md")}
    assert hints[8].endswith("an address in angle brackets holds no space."), hints[8]
    assert hints[12].endswith("`[…]: <a b>`."), hints[12]
    # `[y](a (b))` is a link to a page the site lacks: said at it, not at the first word
    # of a definition with a space (`[s]: a b "…"`) or of a footnote (`[^1]: a note`)
    assert [(d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF0721"] == [(16, 27)]


TYPED_LINKS = """---
title: Tower [map](old map.png)
start: gate
---

## Gate [x](a b), <https://ex.org/a b>, `[y](c d)`, \\[z](e f) {#gate}

Go.

- [Try <htps://ex.org/> or <javascript:alert(1)>](#end)
- [Or `<htps://x.org/>` and <https://ex.org/a b>](#end){id="or"}

## End {#end .ending}

The end.
"""


def test_a_link_shown_as_typed_in_a_choice_or_a_title_is_said(project_factory):
    """`<htps://…>`, `<javascript:…>`, `<https://ex.org/a b>` in a choice's words: prose
    makes no link of them, so every output showed the angle brackets as typed, check
    clean, where the same in a paragraph is HF0124 (the choice's check looked for `](`
    alone). Said at the address, as in prose. A title's or heading's link with a space
    in its address (`[x](a b)`, `<https://ex.org/a b>`) is no link either, shown as typed,
    brackets and all, where a link that parses is HF0123: HF0123 too. Code and escaped
    brackets are the characters asked for."""
    run = foundry("check", "--project", str(project_factory({"content/stories/tower.md": TYPED_LINKS})), "--format", "json")
    said = [(d["code"], d["line"], d["column"], d["message"][:30]) for d in run.json()["diagnostics"]
            if d["code"] in ("HF0123", "HF0124")]
    assert said == [("HF0123", 2, 20, "the link to 'old map.png' in a"), ("HF0123", 6, 13, "the link to 'a b' in a name or"),
                    ("HF0123", 6, 20, "the link to 'https://ex.org/a "),
                    ("HF0124", 10, 9, "a link to a `htps:` address is"), ("HF0124", 10, 29, "a link to a `javascript:` addr"),
                    ("HF0124", 11, 30, "the address 'https://ex.org/a ")], run.stdout
    assert run.code == 0, run.stdout
