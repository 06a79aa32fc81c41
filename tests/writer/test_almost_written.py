"""A scene heading almost written is one error at its line, and the scene is read as
meant (issue 12: near-misses of a scene heading).

`##Mid {#mid}` (no space), `##` then a no-break space (a word processor, a Mac's
Option-Space), an ideographic or an em space, or full-width `＃＃` (a Chinese or
Japanese input method) is a paragraph to Markdown: the scene was lost, its choices
joined the scene above ("two choices in scene 'a' have the id 'a--b'", "text after the
choices"), and the spaces nobody can see were never named (only `##Mid` was, and with
those follow-on errors). Each is HF0535 alone, naming the character. A tab between
`##` and the title is Markdown's own separator, as a space is: it was "U+0009 TAB is a
control character… Delete it", which made `##Start`, no heading at all. A tab inside a
title is still refused, with "write a space in its place"."""

from __future__ import annotations

from support import foundry

GAPS = {"tight": "##", "nbsp": "##\u00a0", "ideographic": "##\u3000", "em": "##\u2003", "fullwidth": "\uff03\uff03 "}


def story(gap: str) -> bytes:
    return ("---\ntitle: Almost\nstart: a\nprotagonist: first-hero\n---\n\n##\tStart {#a}\n\nText.\n\n"
            "- [Go](#b)\n- [Other](#mid)\n\n" + gap + "Mid {#mid}\n\nMid.\n\n- [On](#b)\n\n"
            "## The\tEnd {#b .ending}\n\nDone.\n").encode()


def test_a_scene_heading_almost_written_is_one_error_and_the_scene_is_read(project_factory):
    root = project_factory({f"content/stories/{name}.md": story(gap) for name, gap in GAPS.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    column = {"fullwidth": 1}
    assert found == sorted([(f"{name}.md", "HF0535", 14, column.get(name, 3)) for name in GAPS]
                           + [(f"{name}.md", "HF0131", 20, 7) for name in GAPS]), run.stdout
    said = {d["file"].rsplit("/", 1)[1]: d for d in run.json()["diagnostics"] if d["code"] == "HF0535"}
    assert "U+00A0 NO-BREAK SPACE" in said["nbsp.md"]["message"]
    assert "U+3000 IDEOGRAPHIC SPACE" in said["ideographic.md"]["message"]
    assert "full-width" in said["fullwidth.md"]["message"]
    assert all(d["hint"].startswith("Write `## Mid {#mid}`") for d in said.values())
    tabs = [d for d in run.json()["diagnostics"] if d["code"] == "HF0131"]
    assert all(d["hint"] == "Write a space in its place." for d in tabs), tabs


CHOICES = {
    "nbsp-after-dash": ("-\u00a0[Go](#b)", "HF0530", 2, "U+00A0 NO-BREAK SPACE"),
    "bullet": ("\u2022 [Go](#b)", "HF0530", 1, "U+2022 BULLET"),
    "en-dash": ("\u2013 [Go](#b)", "HF0530", 1, "U+2013 EN DASH"),
    "wide-dash": ("\uff0d [Go](#b)", "HF0530", 1, "FULLWIDTH HYPHEN-MINUS"),
    "wide-brackets": ("- \uff3bGo\uff3d\uff08#b\uff09", "HF0528", 3, "full-width `\uff3b`"),
    "wide-parens": ("- [Go]\uff08#b\uff09", "HF0528", 7, "full-width `\uff08`"),
}


def test_a_scene_heading_in_a_quote_is_one_error_and_the_scene_is_read(project_factory):
    """`> ##Mid {#mid}` was no slip named at all: the quote's paragraph showed the braces
    (HF0537) and the scene's choices joined the scene above. In a quote a heading is no
    scene (HF0535) however it is written; this one is said at the hashes, as `##Mid` is.
    `> ## Mid {#mid}` was HF0535 and then follow-ons against the scene above ("text
    after the choices of scene 'a'", its choices joined to 'a'); each is now one error,
    and the scene is read as meant, as `##Mid` is."""
    root = project_factory({"content/stories/tight.md": story("> ##"), "content/stories/spaced.md": story("> ## ")})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                  if d["file"].startswith("content/stories/"))
    assert said == [("spaced.md", "HF0131", 20, 7), ("spaced.md", "HF0535", 14, 1),
                    ("tight.md", "HF0131", 20, 7), ("tight.md", "HF0535", 14, 5)], run.stdout


_DIALOGUE = ("---\ntitle: Talk\nstart: a\nprotagonist: first-hero\n---\n\n## Start {#a}\n\n"
             "\u2014 [The map](https://example.org/map) shows the way, she says.\n\n- [Go](#b)\n\n"
             "## End {#b .ending}\n\nDone.\n")


def test_a_choice_almost_written_is_named_by_its_slip(project_factory):
    """A choice typed with a word processor's bullet (`•`, autocorrect's `–`), a space
    Markdown does not read after `-`, or an input method's full-width brackets and
    parentheses: the first were "a link to scene 'b' inside a paragraph is not a
    choice" (the slip unnamed), the full-width ones nothing at all but a dead end at
    the scene's heading — the choice was silently prose."""
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Almost\nstart: a\nprotagonist: first-hero\n---\n\n"
                                                            "## Start {#a}\n\nText.\n\n" + line + "\n\n"
                                                            "## End {#b .ending}\n\nDone.\n").encode()
                            for name, (line, *_) in CHOICES.items()}
                           | {"content/stories/dialogue.md": _DIALOGUE.encode()})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    # a line of dialogue opened by a dash, with a link to a web page in it, is prose
    assert found == sorted((f"{name}.md", code, 11, column) for name, (_, code, column, _) in CHOICES.items()), run.stdout
    for d in run.json()["diagnostics"]:
        line, _, _, named = CHOICES[d["file"].rsplit("/", 1)[1][:-3]]
        assert named in d["message"] and (d["hint"].endswith("`- [Go](#b)`.") or d["hint"].endswith("`[Go](#b)`.")), d


WIDE_BRACES = {
    # name: (the choice line, the ending's heading, [(code, line, column)])
    "heading-braces": ("- [Go](#b)", "## End \uff5b#b .ending\uff5d", [("HF0522", 12, 8)]),
    "heading-hash": ("- [Go](#b)", "## End {\uff03b \uff0eending}", [("HF0522", 12, 9)]),
    "choice-braces": ('- [Go](#b)\uff5bdo="set x"\uff5d', "## End {#b .ending}", [("HF0525", 10, 11)]),
    "choice-equals": ('- [Go](#b){do\uff1d"set x"}', "## End {#b .ending}", [("HF0525", 10, 14)]),
    "choice-quotes": ("- [Go](#b){do=\uff02set x\uff02}", "## End {#b .ending}", [("HF0525", 10, 15)]),
    # a full-width quote inside a value is text: no slip
    "value-holds-one": ("- [Go](#b){if=\"x == false or '\uff02' == '\uff02'\"}", "## End {#b .ending}", []),
}


def test_braces_typed_full_width_are_one_error_and_read_as_meant(project_factory):
    """`## End ｛#b .ending｝` (an input method's braces) was "scene has no id" with the
    hint `## End ｛#b .ending｝ {#end-b-ending}`, and the choice leading to it "leads to
    unknown scene 'b'"; `{＃b}` was that and HF0522 too; a choice's `｛do="…"｝`, `do＝`
    or `＂…＂` was "attributes cannot be read" with a hint about other slips. Each is one
    error naming the full-width mark, with the braces in ASCII, read as meant."""
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Wide\nstart: a\nprotagonist: first-hero\n"
                                                            "variables: {x: false}\n---\n\n## Start {#a}\n\n"
                                                            + choice + "\n\n" + heading + "\n\nDone.\n").encode()
                            for name, (choice, heading, _) in WIDE_BRACES.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    assert found == sorted((f"{name}.md", *at) for name, (_, _, said) in WIDE_BRACES.items() for at in said), run.stdout
    hints = {d["file"].rsplit("/", 1)[1]: d["hint"] for d in run.json()["diagnostics"]}
    assert hints["heading-braces.md"].endswith("`{#b .ending}`.") and hints["choice-quotes.md"].endswith('`{do="set x"}`.')


UNSEEN_SPACES = {
    # name: (the choice line, [(code, column)], the words the first one's message names)
    "nbsp-before-braces": ('- [Go](#b)\u00a0{do="set x"}', [("HF0523", 11)], "U+00A0 NO-BREAK SPACE"),
    "zero-width-before-braces": ('- [Go](#b)\u200b{do="set x"}', [("HF0132", 11), ("HF0523", 11)],
                                 "U+200B ZERO WIDTH SPACE"),
    "narrow-before-parens": ("- [Go]\u202f(#b)", [("HF0526", 7)], "U+202F NARROW NO-BREAK SPACE"),
    "ideographic-between-attrs": ('- [Go](#b){if="not x"\u3000do="set x"}', [("HF0525", 22)], "U+3000 IDEOGRAPHIC SPACE"),
    "nbsp-in-condition": ('- [Go](#b){if="not\u00a0x"}', [("HF0601", 19)], "U+00A0 NO-BREAK SPACE"),
}


def test_a_space_markdown_does_not_read_in_a_choice_is_named(project_factory):
    """A no-break space (a word processor's, a Mac's Option-Space), a narrow or an
    ideographic one, or a zero-width space pasted from the web where a choice's syntax
    has or needs a space: before `{` it was HF0528 "put it on its own line as
    `- [Text](#b)`" (which drops the attributes), between `]` and `(` "this looks like a
    choice" with no fix, between two attributes "these choice attributes cannot be
    read", inside a condition "unexpected character ' '" — a space, as far as the writer
    can see. Each is now the slip an ordinary space makes, naming the character, with
    the line written with ordinary spaces where one is wanted."""
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Unseen\nstart: a\nprotagonist: first-hero\n"
                                                            "variables: {x: false}\n---\n\n## Start {#a}\n\n"
                                                            + line + "\n\n## End {#b .ending}\n\nDone.\n").encode()
                            for name, (line, _, _) in UNSEEN_SPACES.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    diags = run.json()["diagnostics"]
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in diags)
    assert found == sorted((f"{name}.md", code, 10, column) for name, (_, said, _) in UNSEEN_SPACES.items()
                           for code, column in said), run.stdout
    said = {(d["file"].rsplit("/", 1)[1][:-3], d["code"]): d for d in diags}
    for name, (_, codes, named) in UNSEEN_SPACES.items():
        assert named in said[name, codes[-1][0]]["message"], said[name, codes[-1][0]]
    assert said["nbsp-before-braces", "HF0523"]["hint"].startswith("Remove the U+00A0 NO-BREAK SPACE between `)` and `{`")
    assert said["ideographic-between-attrs", "HF0525"]["hint"].endswith('`{if="not x" do="set x"}`.')
    assert said["nbsp-in-condition", "HF0601"]["hint"].endswith("`not x`.")


JOINED = {
    # name: (the choices as typed, (code, line, column), the start of the hint)
    "line-below": ("- [Go](#b)\nor so it seems.", ("HF0528", 10, 3), "Markdown joins a line to the list item above"),
    "backslash": ("- [Go](#b)\\", ("HF0528", 10, 3), "Remove the `\\` after the link: `- [Go](#b)`."),
    "backslash-after-attributes": ('- [Go](#b){do="set x"}\\', ("HF0528", 10, 23),
                                   'Remove the `\\`: `- [Go](#b){do="set x"}`.'),
    # a tab before the last choice nests it under the one above: the slip alone, not
    # also "ending 'c' can never be reached: no choice leads here"
    "tab-nested": ("- [Go](#b)\n\t- [Stay](#c)", ("HF0529", 11, 2), "Delete the tab before `-`, so that the line "
                   "starts with it as the other choices do"),
}


def test_a_choice_on_its_own_line_joined_to_more_is_told_what_joined_it(project_factory):
    """A choice alone on its line, made no choice by what Markdown joined to it: the
    line below it (no blank line between: a list item continues), or a `\\` typed at its
    end. The hint was "put it on its own line as `- [Text](#b)`" — it was."""
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Joined\nstart: a\nprotagonist: first-hero\n"
                                                            "variables: {x: false}\n---\n\n## Start {#a}\n\n"
                                                            + lines + "\n\n## End {#b .ending}\n\nDone.\n\n"
                                                            "## Other {#c .ending}\n\nDone too.\n").encode()
                            for name, (lines, _, _) in JOINED.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    diags = run.json()["diagnostics"]
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in diags)
    assert found == sorted((f"{name}.md", *at) for name, (_, at, _) in JOINED.items()), run.stdout
    for d in diags:
        assert d["hint"].startswith(JOINED[d["file"].rsplit("/", 1)[1][:-3]][2]), d


def test_a_choice_nested_by_a_tab_is_told_the_tab(project_factory):
    """A tab before a choice (an editor's indent key, invisible or shown as the
    choices' own indentation) nests it under the choice above: HF0529 said "move them
    out to the same level as the choice (no indentation)", and the writer saw none to
    remove. The message and hint name the tab; deleting it, as told, is clean."""
    story = ("---\ntitle: Tabbed\nstart: a\nprotagonist: first-hero\n---\n\n## Start {#a}\n\n"
             "- [Go](#b)\n{indent}- [Stay](#c)\n\n## End {#b .ending}\n\nDone.\n\n## Other {#c .ending}\n\nDone too.\n")
    for indent in ("\t", "  \t"):
        root = project_factory({"content/stories/tabbed.md": story.replace("{indent}", indent)}, name=repr(indent)[1:-1])
        said, = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
        assert said["code"] == "HF0529" and "tab" in said["message"] and said["hint"].startswith(
            "Delete the tab before" if indent == "\t" else "Delete the indentation (with its tab) before"), said
        root = project_factory({"content/stories/tabbed.md": story.replace("{indent}", "")},   # deleted, as told
                               name=repr(indent)[1:-1] + "-fixed")
        assert foundry("check", "--project", str(root)).code == 0


def test_a_line_quoted_clipped_in_a_message_is_cut_between_the_characters_a_reader_sees(project_factory):
    """diagnostics.clip cut a quoted value between code points: HF0528's "the line below
    it (`…`)" showed `क्षत…` (a consonant and a dangling virama's conjunct cut open; the
    word read as another) and a family emoji as one parent and a joiner. Cut between
    whole characters (graphemes.py, as the cover and the site's descriptions cut)."""
    lines = {"devanagari": "कोहरा धीरे धीरे छँटता है क्षत्रिय योद्धा", "family": "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466" * 10,
             # Thai SARA AM is a vowel sign Unicode files as a letter (Lo): `ทำ` was cut to `ท`
             "thai": "เขาเดินข้ามสะพานไปตลาดเพื่อนทำงานทุกวัน"}
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Joined\nstart: a\nprotagonist: first-hero\n---\n\n"
                                                          "## Start {#a}\n\n- [Go](#b)\n" + line + "\n- [On](#b)\n\n"
                                                          "## End {#b .ending}\n\nDone.\n").encode()
                            for name, line in lines.items()})
    said = {d["file"].rsplit("/", 1)[1]: d["message"] for d in
            foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"] if d["code"] == "HF0528"}
    quoted = {name[:-3]: message.split("(`", 1)[1].split("`)", 1)[0] for name, message in said.items()}
    assert quoted == {"devanagari": "कोहरा धीरे धीरे छँटता है क्ष…",
                      "family": "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466" * 4 + "…",
                      "thai": "เขาเดินข้ามสะพานไปตลาดเพื่อน…"}, quoted


def test_a_line_of_one_character_longer_than_the_quote_is_quoted_not_left_out(project_factory):
    """A line that is one character a reader sees, longer than a message quotes (a letter
    under forty strike-through marks, or the marks alone): clip kept whole clusters
    only, so HF0528 quoted `…`, nothing of what was typed. Its first code points now."""
    lines = {"struck": "e" + "\u0336" * 40, "marks": "\u0301" * 40}
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Joined\nstart: a\nprotagonist: first-hero\n---\n\n"
                                                          "## Start {#a}\n\n- [Go](#b)\n" + line + "\n- [On](#b)\n\n"
                                                          "## End {#b .ending}\n\nDone.\n").encode()
                            for name, line in lines.items()})
    said = {d["file"].rsplit("/", 1)[1]: d["message"] for d in
            foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"] if d["code"] == "HF0528"}
    quoted = {name[:-3]: message.split("(`", 1)[1].split("`)", 1)[0] for name, message in said.items()}
    assert set(quoted) == {"struck", "marks"}, said
    assert quoted["struck"].startswith("e\u0336\u0336") and quoted["struck"].endswith("…"), quoted
    assert quoted["marks"].startswith("\u0301\u0301") and quoted["marks"].endswith("…"), quoted
