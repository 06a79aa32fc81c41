"""Inputs that used to crash with "internal error" are clean diagnostics or build fine:
deeply nested foundry.toml, an asset name whose derived names pass 255 bytes."""

from __future__ import annotations

import base64
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import urllib.parse
import zipfile

import pytest
from PIL import Image

from support import REPO, check_within, diagnostics, foundry, require_tool, write_project


def _config_with(root, authors: str) -> None:
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace("authors = []", f"authors = {authors}"))


@pytest.mark.parametrize("verb", ["check", "build"])
@pytest.mark.parametrize("authors, column", [
    ("[" * 5000 + "]" * 5000, 43),                # `authors = ` then the 33rd bracket
    ("[" * 5000, 43),                             # never closed
    ("{a = " * 3000 + "1" + "}" * 3000, 11 + 32 * 5),
], ids=["lists", "unclosed", "inline-tables"])
def test_deeply_nested_foundry_toml_is_hf0140(project_factory, verb, authors, column):
    root = project_factory()
    _config_with(root, authors)
    run = foundry(verb, "--project", str(root), "--format", "json")
    assert run.code == 1, run.stderr
    assert "internal error" not in run.stderr
    assert diagnostics(run) == [f"HF0140 foundry.toml:5:{column}"]
    assert not (root / "build").exists()


def test_brackets_in_toml_strings_and_comments_are_not_nesting(project_factory):
    root = project_factory()
    _config_with(root, '["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]  # ' + "[" * 100)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout


def _png(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_a_long_asset_name_gets_derived_names_that_fit(project_factory):
    long_name = "p" * 240 + ".png"                 # 244 bytes: legal; "-<hash>-160w.webp" would not be
    other = "p" * 239 + "q.png"                    # same long prefix, another file
    root = project_factory({
        f"content/assets/{long_name}": _png(),
        f"content/assets/{other}": _png(320, 320),
        "content/characters/wide.yaml": f"name: Wide\nportrait: ../assets/{long_name}\n",
        "content/characters/tall.yaml": f"name: Tall\nportrait: ../assets/{other}\n",
    })
    run = foundry("build", "--project", str(root), "--only", "json,html,epub", "--format", "json",
                  env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    media = sorted(p.name for p in (root / "build/site/media").iterdir())
    assert len(media) == 2 + 2 + 1   # the originals; 160 and 320 px below 400, 160 below 320
    assert all(len(name.encode()) <= 255 for name in media)
    assert len(set(media)) == len(media)
    page = (root / "build/site/characters/wide.html").read_text()
    assert any(name in page for name in media if name.endswith("-160w.webp"))
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        assert all(len(n.rsplit("/", 1)[-1].encode()) <= 255 for n in book.namelist())


def test_an_asset_name_a_url_reads_otherwise_gets_a_derived_name_that_links(project_factory):
    # `q?.png` was published as site/media/q?-<hash>.png and linked as site/media/q (a
    # query): build failed with HF0701 on every page showing it, with check clean
    names = ["q?.png", "100%.png", "a#b.png", "pi|pe.png", "star*.png"]
    files = {f"content/assets/{name}": _png(200 + 40 * i, 200) for i, name in enumerate(names)}
    files |= {f"content/characters/c{i}.yaml": f'name: C{i}\nportrait: "../assets/{name}"\n'
              for i, name in enumerate(names)}
    root = project_factory(files)
    assert foundry("check", "--project", str(root)).code == 0
    run = foundry("build", "--project", str(root), "--only", "json,html,epub", "--format", "json",
                  env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stdout + run.stderr
    media = sorted(p.name for p in (root / "build/site/media").iterdir())
    assert not [m for m in media if set(m) & set('?#%|*')], media
    for i in range(len(names)):
        page = (root / f"build/site/characters/c{i}.html").read_text()
        shown = [m for m in media if f"../media/{m}" in page]
        assert shown, (names[i], media)


def _doubling_story(gates: int) -> str:
    """`gates` scenes, each with two choices to the next: 2^gates paths to the one ending."""
    lines = ["---", "title: Doubling", "status: published", "summary: Two ways at every gate.", "start: g1", "---", ""]
    for i in range(1, gates + 1):
        nxt = f"g{i + 1}" if i < gates else "end"
        lines += [f"## Gate {i} {{#g{i}}}", "", f"Gate {i}.", "",
                  f'- [Left](#{nxt}){{id="left"}}', f'- [Right](#{nxt}){{id="right"}}', ""]
    return "\n".join(lines + ["## The End {#end .ending}", "", "Done.", ""])


def _validate(root, rel: str) -> dict:

    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    api = root / "build/api/v1"
    schemas = [json.loads(p.read_text()) for p in (api / "schema").glob("*.json")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = json.loads((api / "schema/story.schema.json").read_text())
    data = json.loads((api / rel).read_text())
    errors = [e.message for e in Draft202012Validator(schema, registry=registry).iter_errors(data)]
    assert errors == []
    return data["story"]["statistics"]


@pytest.mark.parametrize("gates, paths", [(52, 2 ** 52), (53, 2 ** 53), (54, None), (64, None), (200, None)])
def test_path_counts_past_2_53_are_published_as_more_than(project_factory, gates, paths):
    root = project_factory({"content/stories/doubling.md": _doubling_story(gates)})
    check = foundry("check", "--project", str(root), "--format", "json")
    assert check.code == 0, check.stdout + check.stderr
    notes = [d for d in check.json()["diagnostics"] if d["code"] == "HF0141"]
    assert len(notes) == (paths is None)
    if notes:
        assert notes[0]["file"] == "content/stories/doubling.md" and "more than 2^53" in notes[0]["message"]

    run = foundry("build", "--project", str(root), "--only", "json,html", "-q", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    stats = _validate(root, "stories/doubling.json")
    assert stats["paths"] == paths and type(stats["paths"]) in (int, type(None))
    assert stats["paths_over"] == (None if paths else "2^53")
    assert stats["longest_path"] == gates and stats["has_loops"] is False
    page = (root / "build/site/stories/doubling.html").read_text()
    assert ("more than 2^53</strong> paths" in page) == (paths is None)
    # every other story keeps a plain count and a null marker
    first = _validate(root, "stories/first-story.json")
    assert first["paths"] == 3 and first["paths_over"] is None


def _story_with(body: str) -> str:
    return ("---\ntitle: Big\nstatus: published\nsummary: A big story.\nstart: one\n---\n\n"
            "## One {#one .ending}\n\nThe only scene.\n\n" + body)


def _table(rows: int, columns: int) -> str:
    return "\n".join(["|" + "|".join("c" * columns) + "|", "|" + "|".join("-" * columns) + "|"]
                     + ["|" + "|".join("x" * columns) + "|"] * rows) + "\n"


def _check_in_a_gigabyte(root):
    """`foundry check` with its address space capped at 1 GiB: the 5,000 × 200 table
    used to take 1.9 GiB (and 35 s); within budget it must finish well inside."""
    import subprocess
    import sys

    from support import REPO

    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-m", "pipeline", "check", "--project", str(root), "--format", "json"],
                          cwd=REPO, capture_output=True, text=True, timeout=600, preexec_fn=cap,
                          env={**__import__("os").environ, "NO_COLOR": "1"})
    assert "internal error" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr
    return proc.returncode, [f"{d['code']} {d['file']}:{d['line']}" for d in json.loads(proc.stdout)["diagnostics"]]


def test_a_huge_markdown_table_a_huge_list_and_tables_in_fenced_code_are_cheap_and_said_each_at_its_file(
        project_factory):
    """Three stories checked at once, each said at its own file: a 5,000 × 200 table
    (~2 MB) is HF0142, a list of 500,000 items HF0143, and 5,000 rows of a table inside a
    fenced block are code, not a table (nothing said). Each input alone in the 1 GiB
    the check runs in: the table took 1.9 GiB without its budget."""
    root = project_factory({"content/stories/table.md": _story_with("Before.\n\n" + _table(5000, 200) + "\nAfter.\n"),
                            "content/stories/list.md": _story_with("- a\n" * 500_000),
                            "content/stories/fenced.md": _story_with("```\n" + _table(5000, 10) + "```\n")})
    assert (root / "content/stories/table.md").stat().st_size > 2_000_000 - 20_000
    code, found = _check_in_a_gigabyte(root)
    assert code == 1
    assert sorted(found) == ["HF0142 content/stories/table.md:14", "HF0143 content/stories/list.md:7"], found


def test_a_table_within_the_budget_is_published(project_factory):
    root = project_factory({"content/stories/big.md": _story_with(_table(90, 200))})   # 18,200 cells
    code, found = _check_in_a_gigabyte(root)
    assert code == 0 and found == []
    run = foundry("build", "--project", str(root), "--only", "html", "-q")
    assert run.code == 0, run.stderr
    page = (root / "build/site/stories/big.html").read_text()
    assert page.count("<tr>") == 91


@pytest.mark.parametrize("verb", ["check", "build"])
@pytest.mark.parametrize("rel", ["themes/default/static/big.css", "themes/default/templates/404.html"])
def test_a_theme_file_over_the_limit_is_hf0116_at_the_file(project_factory, verb, rel):
    """A pull request can commit a 17 MiB stylesheet (sparse: it costs no disk): it was
    read only while rendering and ended in "internal error (Refused)"."""
    root = project_factory()
    big = root / rel
    big.parent.mkdir(parents=True, exist_ok=True)
    with open(big, "wb") as out:
        out.truncate(17 * 1024 * 1024)
    run = foundry(verb, "--project", str(root), "--only", "json,html", "--format", "json") if verb == "build" \
        else foundry(verb, "--project", str(root), "--format", "json")
    assert run.code == 1, run.stderr
    assert "internal error" not in run.stderr
    assert [d.split(":")[0] for d in diagnostics(run)] == [f"HF0116 {rel}"], diagnostics(run)
    assert not (root / "build").exists()


def test_a_foundry_toml_over_the_limit_is_told_to_be_shorter(project_factory):
    """A foundry.toml past the 2 MiB a project file is read up to (a pull request's
    10 MB description) is HF0205, whose own hint is about a setting's line ("a misspelt
    key, a value in quotes…"): said of the whole file, it told the writer to fix a line
    there is none of. The hint says what HF0116's says of any other project file."""
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text() + "# " + "x" * (2 * 1024 * 1024) + "\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and "internal error" not in run.stderr, run.stdout + run.stderr
    [said] = [d for d in run.json()["diagnostics"] if d["file"] == "foundry.toml"]
    assert said["code"] == "HF0205" and "over the 2,097,152-byte limit" in said["message"], said
    assert said["hint"] == "It is read as text up to 2 MiB: make it shorter.", said


@pytest.mark.parametrize("rel", ["themes/default/static/huge.bin", "content/assets/huge.png"])
def test_a_huge_file_is_never_read_whole_to_be_fingerprinted(project_factory, rel):
    """A 2 GiB (sparse) file in a theme's static folder or among the assets: the no-op
    fingerprint read it whole into memory to hash it (3 GB resident for a 3 GB file,
    before the theme's 16 MiB limit refused it), so a build under a memory limit ended
    in "internal error (MemoryError)". Files over any reader's limit are fingerprinted
    by their stat, never read."""
    root = project_factory()
    huge = root / rel
    huge.parent.mkdir(parents=True, exist_ok=True)
    with open(huge, "wb") as out:
        out.truncate(2 * 1024 ** 3)

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--only", "html", "--project", str(root)],
                         cwd=REPO, capture_output=True, text=True, preexec_fn=limited, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})
    assert "internal error" not in run.stderr, run.stderr
    if rel.startswith("themes"):
        assert run.returncode == 1 and "HF0116" in run.stderr
    else:   # an unused asset is no input of any page
        assert run.returncode == 0, run.stderr


class _CountingPattern:
    """A compiled pattern that notes how many characters of text each call was asked
    to judge (what it matched, or the whole text for a fullmatch)."""

    def __init__(self, pattern, seen: list[int]):
        self.pattern, self.seen = pattern, seen

    def match(self, text, pos=0, endpos=sys.maxsize):
        found = self.pattern.match(text, pos, endpos)
        self.seen.append(found.end() - pos if found else 0)
        return found

    def fullmatch(self, text, pos=0, endpos=sys.maxsize):
        self.seen.append(min(len(text), endpos) - pos)
        return self.pattern.fullmatch(text, pos, endpos)


@pytest.mark.parametrize("text", [
    "".join(f"[r{i}]: /u{i}\n" for i in range(3000)),      # link definitions, no blank line between
    "```\n" * 3000,                                          # fences opened and closed
    "A plain line.\n```\nx\n```\n" * 1000,                   # plain lines, each ended by a fence
], ids=["definitions", "fences", "plain-then-fence"])
def test_plain_prose_shortcut_reads_each_line_once(monkeypatch, text):
    # The plain-paragraph shortcut (load/markdown.py) runs at every block's first line
    # and judged every line to the next blank one there: a story of 50,000 lines with no
    # blank line (link definitions, fences) was read 50,000 times over, a minute of
    # `check` for 1 MB.
    from pipeline.load import markdown as prose
    seen: list[int] = []
    monkeypatch.setattr(prose, "_PLAIN_LINES", _CountingPattern(prose._PLAIN_LINES, seen))
    prose.markdown().parse(text)
    # each line at most twice: by the block rule, then its paragraph by the inline one
    assert sum(seen) <= 2 * len(text)


_BRACKETS = "![" * 30_000    # 60 KB: each `[` read on to the end, a hundred levels deep: 17 s a parse


def test_brackets_open_one_inside_another_are_hf0169_and_cheap(project_factory):
    # markdown-it reads on from every `[` to its `]`, again for each `[` on the way, up
    # to 100 levels: a 60 KB background of `![` took 17 s of check each time it was
    # parsed, a story minutes, with check clean. One error at the line where the
    # look-ahead budget ran out, in each file; nothing else said of the text (its links
    # unread). A paragraph, list items, a background quoted and as a block, checked at once.
    cases = [
        ("content/stories/paragraph.md", _story_with("Before.\n\n" + _BRACKETS + "\n\nAfter.\n"), 14),
        ("content/stories/list-items.md",
         _story_with("- [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n" * 3000), 126),
        ("content/characters/background.yaml", f'name: Big\nrole: Mentor\nbackground: "{_BRACKETS}"\n', 3),
        ("content/characters/background-block.yaml",
         f"name: Big\nrole: Mentor\nbackground: |\n  Line one.\n\n  {_BRACKETS}\n", 6),
    ]
    root = project_factory({rel: text for rel, text, _ in cases})
    code, found = _check_in_a_gigabyte(root)
    assert code == 1
    assert sorted(found) == sorted(f"HF0169 {rel}:{line}" for rel, _, line in cases), found


def test_brackets_prose_nests_stay_links():
    # the budget is far above what prose spends: links nested to markdown-it's own
    # limit, and a long text of links, read as markdown-it reads them
    from markdown_it import MarkdownIt

    from pipeline.load.markdown import look_ahead_ran_out, markdown
    plain = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    for text in ["[" * 99 + "a" + "]" * 99 + "(#b)", "![a [b [c](#d)](#e)](f.png)",
                 "See [the bank](#bank) and [the *far* road](#road), [x]. " * 5000]:
        env: dict = {}
        tokens = markdown().parse(text, env)
        assert look_ahead_ran_out(env) is None
        assert [t.type for t in tokens[1].children] == [t.type for t in plain.parse(text)[1].children]


def _svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{body}</svg>'


_FAN_OUT = _svg("<defs>" + '<rect id="l0" width="1" height="1"/>' + "".join(
    f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 10)) + '</defs><use href="#l9"/>')


@pytest.mark.parametrize("svgs, costly", [
    ({"fan.svg": _FAN_OUT}, ["fan.svg"]),                                         # 10^9 rectangles in 1 KB
    ({"a.svg": _svg('<image href="b.svg" width="5" height="5"/>'),                 # two that show each other
      "b.svg": _svg('<image href="a.svg" width="5" height="5"/>')}, ["a.svg", "b.svg"]),
    ({"self.svg": _svg('<g id="g"><use href="#g"/></g>')}, ["self.svg"]),         # a <use> of its own group
    ({"ok.svg": _svg('<circle id="c" r="1"/>' + '<use href="#c"/>' * 500 + '<image href="../fonts/LinLibertine_R.otf"/>')}, []),
    # not named .svg: WeasyPrint draws as an SVG any image Pillow cannot read
    ({"fan.xml": _FAN_OUT}, ["fan.xml"]), ({"fan.png": _FAN_OUT}, ["fan.png"]),
    ({"a.svg": _svg('<image href="b.dat" width="5" height="5"/>'),
      "b.dat": _svg('<image href="a.svg" width="5" height="5"/>')}, ["a.svg", "b.dat"]),
], ids=["fan-out", "images-of-each-other", "use-of-itself", "ornament", "fan-out-as-xml", "fan-out-as-png",
        "each-other-one-not-svg"])
def test_a_print_theme_svg_that_draws_without_end_is_hf0116(project_factory, svgs, costly):
    # WeasyPrint draws each image under `except BaseException`: the pair of SVGs that
    # show each other caught its own RecursionError at every level and drew on for ten
    # minutes and 2 GB until the process died (signal 11), with check clean
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    files = {f"themes/default/print/css/{name}": svg for name, svg in svgs.items()}
    root = project_factory({**files, "themes/default/print/css/sheet.css":
                            sheet + f"\nbody {{ background-image: {', '.join(f'url({n})' for n in svgs)}; }}\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == (1 if costly else 0), run.stdout + run.stderr
    assert [d.split(":")[0] for d in diagnostics(run)] == [f"HF0116 themes/default/print/css/{n}" for n in costly]


@pytest.mark.parametrize("sheets, costly", [
    ({"a.css": "@import url(a.css);\n"}, ["a.css", "sheet.css"]),                         # itself
    ({"a.css": '@import "b.css";\n@import url(sheet.css);\n',                              # each imports two
      "b.css": "@import url('a.css');\n@import url(b.css);\nbody { color: red }\n"}, ["a.css", "b.css", "sheet.css"]),
    ({"a.css": "@import url(b.css);\n@import url(b.css);\n/* @import url(a.css); */\n",   # a diamond, once
      "b.css": "p { margin: 0 }\n"}, []),
    # a file an @import names is read as a stylesheet whatever its name
    ({"a.css": "@import url(b.txt);\n", "b.txt": "@import url(a.css);\n"}, ["a.css", "b.txt", "sheet.css"]),
    # a chain, each importing the next: WeasyPrint reads each within the one before and
    # stopped at the 234th of 2,000 ("RecursionError", a warning: the rest dropped), check
    # clean; past 32 deep each stylesheet the chain is too deep from is refused
    ({"a.css": "@import url(c1.css);\n", **{f"c{n}.css": f"@import url(c{n + 1}.css);\n" for n in range(1, 40)},
      "c40.css": "p { margin: 0 }\n"}, ["a.css", *(f"c{n}.css" for n in range(1, 8)), "sheet.css"]),
], ids=["itself", "each-other-twice", "diamond", "through-a-file-not-named-css", "a-chain-past-32"])
def test_print_stylesheets_that_import_without_end_are_hf0116(project_factory, sheets, costly):
    # WeasyPrint reads a stylesheet again at every @import, with no guard but the
    # recursion limit: stylesheets importing each other twice laid a hero sheet out
    # until the render budget ran out (HF0710, naming no file), with check clean
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    files = {f"themes/default/print/css/{name}": text for name, text in sheets.items()}
    root = project_factory({**files, "themes/default/print/css/sheet.css": "@import url(a.css);\n" + sheet})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == (1 if costly else 0), run.stdout + run.stderr
    assert [d.split(":")[0] for d in diagnostics(run)] == [f"HF0116 themes/default/print/css/{n}" for n in costly]


@pytest.mark.parametrize("rule, costly", [
    (".seal { width: " + "calc(" * 400 + "1px" + ")" * 400 + "; }", True),
    (".seal { width: " + "(" * 2000 + "1px" + ")" * 2000 + "; }", True),
    # brackets in a string, a comment or escaped are no nesting: read, never refused
    ('.seal::after { content: "' + "(" * 400 + '"; } /* ' + "[" * 400 + " */ .x\\(" + "\\(" * 400 + " { }", False),
], ids=["calc-in-calc", "parentheses", "in-strings-comments-escapes"])
def test_a_print_stylesheet_nested_too_deeply_is_hf0116_at_its_line(project_factory, rule, costly):
    # WeasyPrint reads a bracket within another by recursing: `calc(` 400 times within
    # itself stopped every PDF with HF0711 "recursed too deeply" naming the book, no
    # stylesheet, while check passed it
    sheet = (REPO / _SHEET_CSS).read_text()
    root = project_factory({"themes/default/print/css/sheet.css": sheet + "\n" + rule + "\n"})
    # at the bracket 101 levels in: the rule's brace and 100 parentheses
    step = 5 if "calc(" in rule else 1
    where = f"themes/default/print/css/sheet.css:{sheet.count(chr(10)) + 2}:{rule.index('(') + 99 * step + 1}"
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")):
        assert run.code == (1 if costly else 0), run.stdout + run.stderr
        assert diagnostics(run) == ([f"HF0116 {where}"] if costly else []), run.stdout


_SHEET_TEMPLATE = "pipeline/exporters/html/default_theme/print/templates/hero-sheet.html.j2"
_SHEET_CSS = "pipeline/exporters/html/default_theme/print/css/sheet.css"


def _with_inline(svg: str) -> str:
    """The shipped hero sheet template with `svg` written at the top of its body (line 6)."""
    template = (REPO / _SHEET_TEMPLATE).read_text()
    assert template.splitlines()[4] == "{% block body %}"
    return template.replace("{% block body %}\n", "{% block body %}\n" + svg + "\n", 1)


def _big_png(width: int = 7000, height: int = 7000) -> bytes:
    """A one-bit PNG: 49 million pixels in a few KB, made in a tenth of the CPU of an RGB
    one (the pixel limit reads only the header, so the pixels' depth is no matter)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def _refused_at(project_factory, files: dict[str, str], where: str) -> None:
    """`foundry check` of a project whose print theme holds `files` (path inside print/ →
    text) fails with one HF0116, at `where` (path inside print/:line:column)."""
    root = project_factory({f"themes/default/print/{name}": text for name, text in files.items()})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    assert diagnostics(run) == [f"HF0116 themes/default/print/{where}"]


@pytest.mark.parametrize("files, where", [
    # an <svg> written straight into a template: WeasyPrint draws it as an SVG file
    ({"templates/hero-sheet.html.j2": _with_inline(_FAN_OUT)}, "templates/hero-sheet.html.j2:6:1"),
    # ... after an HTML entity, which an XML parser would refuse, nested in another <svg>
    ({"templates/hero-sheet.html.j2": _with_inline("<p>&nbsp;</p>  <svg><svg></svg>" + _FAN_OUT + "</svg>")},
     "templates/hero-sheet.html.j2:6:16"),
    # a stylesheet's data: URI, base64 and written out
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + "\nbody { background-image: url('data:image/svg+xml;base64,"
      + base64.b64encode(_FAN_OUT.encode()).decode() + "'); }\n"}, "css/sheet.css:{line}:31"),
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + "\nbody { background-image: url(data:image/svg+xml,"
      + urllib.parse.quote(_FAN_OUT) + "); }\n"}, "css/sheet.css:{line}:30"),
    # a template's <img> of a data: PNG past the pixel limit
    ({"templates/hero-sheet.html.j2": _with_inline('<img alt="" src="data:image/png;base64,'
                                                   + base64.b64encode(_big_png()).decode() + '">')},
     "templates/hero-sheet.html.j2:6:18"),
], ids=["inline-svg", "inline-svg-nested-after-entity", "css-data-base64", "css-data-percent", "template-data-png"])
def test_an_image_written_inside_a_print_theme_file_is_judged_as_a_file_is(project_factory, files, where):
    # 1 KB of nested <use>s pasted into hero-sheet.html.j2 passed check clean, then every
    # book drew for four minutes and stopped (HF0710 at the PDF, not the template)
    _refused_at(project_factory, files, where.format(line=(REPO / _SHEET_CSS).read_text().count("\n") + 2))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """One project whose print theme writes every small image a book may draw (a
    template's inline <svg>, a stylesheet's data: icon and one with escaped quotes, a
    data: image over several lines, one whose scheme a template joins) and asks for its
    fonts as a downloaded kit does, checked and built to PDF once for the tests that
    read it: (the check, the build, the first hero's PDF). Each test names what it
    reads; one image refused anywhere fails them all, as it stopped every book."""
    require_tool(shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None,
                 "pdftotext and pdffonts (Debian poppler-utils)")
    data_icon = ("<svg xmlns='http://www.w3.org/2000/svg' width='300' height='40'><text x='0' y='20'>Data Ornament"
                 "</text></svg>")
    inline = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="0" y="15">Inline Ornament'
              '</text></svg>')
    escaped = ('<svg xmlns=\\"http://www.w3.org/2000/svg\\" width=\\"300\\" height=\\"40\\">'
               '<text x=\\"0\\" y=\\"20\\">Escaped Ornament</text></svg>')
    multi_line = ('<img alt="ornament" src="data:image/svg+xml;utf8,<svg xmlns=\'http://www.w3.org/2000/svg\' '
                  "width='300' height='40'>\n  <text x='0' y='20'>Multi Line Ornament</text>\n</svg>\">")
    assembled = ('{% set scheme = "da" ~ "ta:" %}<img alt="ornament" src="{{ scheme }}image/svg+xml;utf8,'
                 + _ASSEMBLED_ICON + '">')
    css = (REPO / _BASE_CSS).read_text(encoding="utf-8")
    for plain, kit in _FONT_KIT:
        assert f"url(../fonts/{plain})" in css
        css = css.replace(f"url(../fonts/{plain})", f'url("../fonts/{kit}")')
    root = tmp_path_factory.mktemp("drawn") / "proj"
    write_project(root, {
        "themes/default/print/templates/hero-sheet.html.j2": _with_inline("\n".join((inline, multi_line, assembled))),
        "themes/default/print/css/sheet.css": (REPO / _SHEET_CSS).read_text()
        + f'\n.imprint::before {{ content: url("data:image/svg+xml;utf8,{data_icon}"); }}\n'
        + f'.imprint::after {{ content: url("data:image/svg+xml;utf8,{escaped}"); }}\n',
        "themes/default/print/css/base.css": css})
    check = foundry("check", "--project", str(root), "--format", "json")
    run = foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")
    return check, run, root / "build/pdf/heroes/first-hero.pdf"


def _drawn_text(drawn) -> str:
    check, run, pdf = drawn
    assert check.code == 0 and diagnostics(check) == [], check.stdout + check.stderr
    assert run.code == 0 and diagnostics(run) == [], run.stdout + run.stderr
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_a_print_theme_may_draw_small_images_written_inside_its_files(drawn):
    # data: URIs were refused by the books' fetcher (HF0704 "Images in prose are not
    # supported", with check clean): a stylesheet's icon stopped every book
    text = _drawn_text(drawn)
    assert "Inline Ornament" in text and "Data Ornament" in text


def test_a_book_asks_for_one_file_a_bounded_number_of_times():
    from pipeline.exporters.pdf.fetcher import BASE_URL, MAX_FETCHES, ConfinedFetcher
    url = BASE_URL + "theme/css/a.css"
    fetcher = ConfinedFetcher({url: lambda: b"@import url(a.css);"})
    for _ in range(MAX_FETCHES):
        fetcher.fetch(url)
    with pytest.raises(PermissionError):
        fetcher.fetch(url)
    assert fetcher.repeated == [url]


@pytest.mark.parametrize("size, refused", [((7000, 7000), True), ((9500, 9500), True), ((1200, 800), False)],
                         ids=["over-the-limit", "over-pillow-s-own", "ornament"])
def test_a_print_theme_image_over_the_pixel_limit_is_hf0116(project_factory, size, refused):
    # a portrait is held to 40 million pixels; a theme's own 160 KB PNG of 49 million
    # went to WeasyPrint unread: 400 MB and 2.6 s in every book showing it, check clean
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    root = project_factory({"themes/default/print/css/paper.png": _big_png(*size),
                            "themes/default/print/css/sheet.css": sheet + "\nbody { background-image: url(paper.png); }\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == (1 if refused else 0), run.stdout + run.stderr
    assert [d.split(":")[0] for d in diagnostics(run)] == (["HF0116 themes/default/print/css/paper.png"] if refused else [])


@pytest.mark.parametrize("name, form", [("paper.gif", "GIF"), ("paper.bin", "PNG")])
def test_a_print_theme_image_is_judged_by_its_bytes_not_its_name(project_factory, name, form):
    # WeasyPrint gives any image not named .svg to Pillow, every format it reads: a
    # 37 KB GIF of 7,000 x 7,000 (or a PNG named paper.bin) passed check as a file
    # that is not an image, and took a book ~380 MB more to decode
    out = io.BytesIO()
    Image.new("P" if form != "PNG" else "1", (7000, 7000)).save(out, form)
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    root = project_factory({f"themes/default/print/css/{name}": out.getvalue(),
                            "themes/default/print/css/sheet.css": sheet + f"\nbody {{ background-image: url({name}); }}\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    assert [d.split(":")[0] for d in diagnostics(run)] == [f"HF0116 themes/default/print/css/{name}"]
    assert "pixels" in run.json()["diagnostics"][0]["message"]


# ~47,000 shapes: under the limit alone, past it drawn three times
_HALF = _svg("<defs>" + '<rect id="l0" width="1" height="1"/>' + "".join(
    f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 5)) + '</defs><use href="#l4"/>')


@pytest.mark.parametrize("files, where", [
    # a template's <svg> shows theme/img/half.svg as the page resolves it (its folder is not templates/)
    ({"templates/hero-sheet.html.j2": _with_inline(_svg('<image href="theme/img/half.svg"/>' * 3))},
     "templates/hero-sheet.html.j2:6:1"),
    # a theme SVG showing another by the absolute address the book serves it under
    ({"img/three.svg": _svg('<image href="https://foundry-book.invalid/theme/img/half.svg"/>' * 3)},
     "img/three.svg:0:0"),
    # ... or from another folder by its xml:base
    ({"css/three.svg": _svg('<image xml:base="https://foundry-book.invalid/theme/img/" href="half.svg"/>' * 3)},
     "css/three.svg:0:0"),
    # a template's <svg> showing a data: SVG three times (each judged alone was under the limit)
    ({"templates/hero-sheet.html.j2": _with_inline(_svg(
        ('<image href="data:image/svg+xml;base64,' + base64.b64encode(_HALF.encode()).decode() + '"/>') * 3))},
     "templates/hero-sheet.html.j2:6:1"),
], ids=["template-relative", "absolute", "xml-base", "nested-data"])
def test_an_svg_is_counted_with_the_images_it_shows_as_the_book_resolves_them(project_factory, files, where):
    # svg_cost resolved an <image> against the file's folder and skipped absolute and
    # data: addresses: 200 <image href="theme/img/o.svg"> in hero-sheet.html.j2 passed
    # check clean and every book ran 120 CPU seconds into HF0710
    _refused_at(project_factory, {"img/half.svg": _HALF} | files, where)


def _css_with(rule: str) -> dict[str, str]:
    return {"css/sheet.css": (REPO / _SHEET_CSS).read_text() + "\n" + rule + "\n"}


_FAN_B64 = base64.b64encode(_FAN_OUT.encode()).decode()


@pytest.mark.parametrize("files, where", [
    # a CSS escape in the scheme: tinycss2 (WeasyPrint's reader) unescapes it to data:
    (_css_with("body { background-image: url(dat\\61:image/svg+xml;base64," + _FAN_B64 + "); }"),
     "css/sheet.css:{line}:26"),
    # an entity in a template's attribute: the HTML parser decodes it (said where it is
    # written, not with no line or column: no `data:` stands in the file)
    ({"templates/hero-sheet.html.j2": _with_inline(f'<img alt="" src="&#100;ata:image/svg+xml;base64,{_FAN_B64}">')},
     "templates/hero-sheet.html.j2:6:18"),
    # a data: stylesheet @imported, whose own url(data:…) is the bomb
    (_css_with('@import url("data:text/css;base64,' + base64.b64encode(
        f"body {{ background-image: url(data:image/svg+xml;base64,{_FAN_B64}); }}".encode()).decode() + '");'),
     "css/sheet.css:{line}:14"),
], ids=["css-escape", "html-entity", "data-stylesheet"])
def test_an_image_inside_a_theme_file_is_read_as_its_reader_unescapes_it(project_factory, files, where):
    # only the URI as written was judged: an escaped spelling of a 10^9-shape SVG passed
    # check clean (WeasyPrint unescapes it; the fetcher refused it at every book, HF0704)
    _refused_at(project_factory, files, where.format(line=(REPO / _SHEET_CSS).read_text().count("\n") + 2))


def test_a_data_icon_with_escaped_quotes_is_drawn(drawn):
    # a CSS string's \" ended the URI where it was found: the icon's bytes were not the
    # theme's, and every book stopped at HF0704 with check clean
    assert "Escaped Ornament" in _drawn_text(drawn)


def test_a_data_image_written_over_several_lines_in_a_template_is_drawn(drawn):
    # WeasyPrint drops an address's line breaks: the icon was asked for on one line,
    # its bytes were not those held, and every book stopped at HF0704 with check clean
    assert "Multi Line Ornament" in _drawn_text(drawn)


_ASSEMBLED_ICON = ("<svg xmlns='http://www.w3.org/2000/svg' width='300' height='40'>"
                   "<text x='0' y='20'>Assembled Ornament</text></svg>")


# a `data:` image made by a template's expressions was in no file for check to judge:
# every book stopped at HF0704 "Images in prose are not supported in books", placed
# at a hero file, with check clean. Its scheme joined from constant strings is read
# as the template writes it (template_constants.py): judged by the counters every
# theme image meets, and drawn, or refused at the template by check and build alike

def test_a_data_image_a_template_puts_together_is_drawn(drawn):
    # the scheme put together by the template: no file holds these bytes as written
    assert "Assembled Ornament" in _drawn_text(drawn)


def test_a_data_image_a_template_puts_together_is_judged_when_drawn(project_factory):
    img = ('{% set scheme = "da" ~ "ta:" %}<img alt="" src="{{ scheme }}image/svg+xml;base64,'
           + base64.b64encode(_FAN_OUT.encode()).decode() + '">')
    root = project_factory({"themes/default/print/templates/hero-sheet.html.j2": _with_inline(img)})
    column = img.index("{{ scheme }}") + 1    # at the expression that writes the scheme, line 6
    for said in (foundry("check", "--project", str(root), "--format", "json"),
                 foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")):
        assert said.code == 1, said.stdout + said.stderr
        assert sorted(set(diagnostics(said))) == [f"HF0116 themes/default/print/templates/hero-sheet.html.j2:6:{column}"]


def test_a_data_image_an_included_template_writes_from_its_includers_name_is_judged(project_factory):
    # the scheme set by the page and written by the template it includes: each template
    # read alone, check passed and every PDF stopped at HF0116 at the page, no line
    img = ('<img alt="" src="{{ scheme }}image/svg+xml;base64,' + base64.b64encode(_FAN_OUT.encode()).decode()
           + '">')
    root = project_factory({
        "themes/default/print/templates/hero-sheet.html.j2":
            _with_inline('{% set scheme = "da" ~ "ta:" %}{% include "ornament.html.j2" %}'),
        "themes/default/print/templates/ornament.html.j2": "<p>ornament</p>\n" + img + "\n"})
    for said in (foundry("check", "--project", str(root), "--format", "json"),
                 foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")):
        assert said.code == 1, said.stdout + said.stderr
        assert sorted(set(diagnostics(said))) == ["HF0116 themes/default/print/templates/ornament.html.j2:2:18"]  # at the expression writing the scheme


_EPUB_CSS = "pipeline/exporters/html/default_theme/print/css/epub.css"
_EPUB_HERO = "pipeline/exporters/html/default_theme/print/templates/epub/hero.html.j2"
_MACROS = "pipeline/exporters/html/default_theme/print/templates/macros.html.j2"
# what a template may write that a book does not fetch, or fetches from the theme: never said
_HARMLESS = ('{# <img src="file:///etc/commented-out"> #}<a href="https://example.org/">a link</a>'
             '<style>p.x { content: "https://example.org/"; background: url(theme/css/base.css) }</style>'
             '<div data="notes.txt"></div><img alt="" srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x">'
             '{% set home = "https://example.org/" %}<a href="{{ home }}">home</a>')


@pytest.mark.parametrize("files, where", [
    ({"templates/hero-sheet.html.j2": _with_inline(_HARMLESS + '<img alt="" src="file:///etc/passwd">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:{tail}"),
    ({"templates/hero-sheet.html.j2": _with_inline('<img alt="" src="theme/img/leak.svg">'),
      "img/leak.svg": _svg('<image href="file:///etc/passwd" width="5" height="5"/>')},
     "themes/default/print/img/leak.svg:1:{col}"),
    # a stylesheet's remote image; a template's relative image that names no theme file
    # (the theme's files are under theme/): both refused by every PDF; an @namespace's
    # URL names a namespace, fetches nothing (not said)
    ({"css/sheet.css": "@namespace svg url(http://www.w3.org/2000/svg);\n" + (REPO / _SHEET_CSS).read_text()
      + "\n.seal { background: url(https://example.org/s.png) }\n"},
     "themes/default/print/css/sheet.css:{line}:25"),
    ({"templates/hero-sheet.html.j2": _with_inline('<img alt="" src="img/seal.png">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:18"),
    # written with a character reference or a CSS escape: said where it is written, not
    # with no line or column (it does not stand in the file as its reader decodes it)
    ({"templates/hero-sheet.html.j2": _with_inline('<img alt="" src="&#104;ttps://example.org/a.png?x=1&amp;y=2">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:18"),
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + '\n.seal { background: url("\\68 ttps://example.org/s.png") }\n'},
     "themes/default/print/css/sheet.css:{line}:26"),
    # the same address earlier as a link to follow or as printed text: said where it is fetched
    ({"templates/hero-sheet.html.j2": _with_inline('<p>Our <a href="https://example.org/s.png">seal</a></p>'
                                                   '<img alt="" src="https://example.org/s.png">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:73"),
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + '\n.seal::after { content: "https://example.org/s.png"; '
                                                         'background: url(https://example.org/s.png) }\n'},
     "themes/default/print/css/sheet.css:{line}:70"),
    # a stylesheet is not a template: braces in its address are asked for as written
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + '\nbody { background: url("{{ seal }}.png") }\n'},
     "themes/default/print/css/sheet.css:{line}:25"),
    # the EPUB has no fetcher: a remote stylesheet went into the book as written
    # a query does not carry an address out of the theme: the file is the path before it
    ({"css/sheet.css": (REPO / _SHEET_CSS).read_text() + '\n.seal { background: url("../../../etc/passwd?x") }\n'},
     "themes/default/print/css/sheet.css:{line}:26"),
    ({"css/epub.css": (REPO / _EPUB_CSS).read_text() + '\n@import "https://example.org/track.css";\n'},
     "themes/default/print/css/epub.css:{line}:10"),
    # ... and carries no theme file but its stylesheet: a missing resource (epubcheck RSC-007)
    ({"templates/epub/hero.html.j2": (REPO / _EPUB_HERO).read_text() + '<img alt="" src="theme/img/seal.png">\n'},
     "themes/default/print/templates/epub/hero.html.j2:3:18"),
    # ... nor does a template the EPUB's chapters import (macros.html.j2), the PDF's pages too
    ({"templates/macros.html.j2": (REPO / _MACROS).read_text()
      + '{% macro seal() %}<img alt="" src="theme/img/seal.png">{% endmacro %}\n', "img/seal.png": _png(8, 8)},
     "themes/default/print/templates/macros.html.j2:{line}:36"),
    # an address a template keeps in a variable, or joins with `~`, is written into the
    # book as one typed there: check passed it, every PDF stopped at it
    ({"templates/hero-sheet.html.j2": _with_inline('{% set u = "file:///etc/passwd" %}<img alt="" src="{{ u }}">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:13"),
    ({"templates/hero-sheet.html.j2": _with_inline(
        '<link rel="stylesheet" href="{{ "https://example.org/" ~ "track.css" }}">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:30"),
    # ... and a `{% set %}…{% endset %}` block, markup under autoescape, written as it
    # stands: its quote closes the attribute, and the book fetches the address after it
    ({"templates/hero-sheet.html.j2": _with_inline(
        '{% set q %}"{% endset %}<img alt="{{ q }} src="file:///etc/passwd">')},
     "themes/default/print/templates/hero-sheet.html.j2:6:48"),
    # ... also beside a macro (or loop) binding the same name for itself: only inside it is
    # the name something else (it hid the set value from the whole template)
    ({"templates/hero-sheet.html.j2": _with_inline(
        '{% macro seal(u) %}<b>{{ u }}</b>{% endmacro %}\n{% set u = "file:///etc/passwd" %}<img alt="" src="{{ u }}">')},
     "themes/default/print/templates/hero-sheet.html.j2:7:13"),
    # ... also from an EPUB template that speaks the theme's words ({% trans %}): read by a
    # plain Jinja environment it did not parse, and what it imports was judged for PDFs alone
    ({"templates/epub/hero.html.j2": '<p>{% trans %}Hero{% endtrans %}</p>\n{% from "seal.html.j2" import seal %}'
      + "{{ seal() }}\n" + (REPO / _EPUB_HERO).read_text(),
      "templates/seal.html.j2": '{% macro seal() %}<img alt="" src="theme/img/seal.png">{% endmacro %}\n',
      "img/seal.png": _png(8, 8)},
     "themes/default/print/templates/seal.html.j2:1:36"),
], ids=["template-img", "theme-svg-image", "stylesheet-url", "template-relative", "template-entity",
        "stylesheet-escape", "template-link-before", "stylesheet-text-before", "stylesheet-braces",
        "stylesheet-query-out", "epub-css-import",
        "epub-theme-image", "epub-imported-macro", "template-set-string", "template-joined-string",
        "template-set-block-quote", "template-set-beside-macro-argument", "epub-trans-import"])
def test_an_address_a_print_theme_may_not_fetch_is_said_in_the_theme(project_factory, files, where):
    # a theme's <img src="file:///…"> (or an SVG's <image href>) was refused at the only
    # content file of the book, the hero, with the hint "Images in prose are not supported
    # in books": the hero holds no image (check refuses those, HF0128), the theme does.
    # And check passed it clean while every PDF stopped at it (an EPUB wrote it into the
    # book, a remote resource, epubcheck RSC-006): check and build say it at one place.
    root = project_factory({f"themes/default/print/{rel}": text for rel, text in files.items()})
    col = _svg('<image href="file:///etc/passwd"').index("file:") + 1
    line = next(iter(files.values())).count("\n")   # a stylesheet's added line, its last
    where = where.format(col=col, tail=len(_HARMLESS) + 18, line=line)
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--project", str(root), "--only", "pdf,epub", "--format", "json")):
        assert run.code == 1, run.stdout + run.stderr
        found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0704"]
        assert sorted({f"{d['file']}:{d['line']}:{d['column']}" for d in found}) == [where], found
        assert all("prose" not in d["hint"] for d in found)
        # a theme picture in an EPUB's file was refused because "a book may only show the
        # project's own images and its theme's files": it is one of the theme's files
        assert not [d for d in found if "'theme/" in d["message"] and "its theme's files" in d["message"]], found
    assert not (root / "build" / "pdf").exists() and not (root / "build" / "epub").exists()


@pytest.mark.parametrize("files, where", [
    # the shipped base.html.j2 writes href="theme/css/{{ stylesheet }}.css", the name each
    # page it extends sets: a page setting it to an address fetched that address
    ({"templates/hero-sheet.html.j2": (REPO / _SHEET_TEMPLATE).read_text().replace(
        '{% set stylesheet = "sheet" %}', '{% set stylesheet = "https://example.org/track" %}')},
     "<default theme>/print/templates/base.html.j2:21:30"),
    # a name set by the template that includes the one writing it
    ({"templates/hero-sheet.html.j2": _with_inline('{% set u = "file:///etc/passwd" %}{% include "leak.html.j2" %}'),
      "templates/leak.html.j2": '<p>seal</p>\n<img alt="" src="{{ u }}">\n'},
     "themes/default/print/templates/leak.html.j2:2:18"),
], ids=["extended-reads-the-pages-name", "included-reads-the-includers-name"])
def test_an_address_a_template_writes_from_the_name_its_reader_sets_is_said(project_factory, files, where):
    # a name set to a constant in one template and written in the template it extends or
    # includes was not folded (each template was read alone): check passed the theme and
    # every PDF stopped at HF0704 with no line, named at the page (check and build disagreed)
    root = project_factory({f"themes/default/print/{rel}": text for rel, text in files.items()})
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")):
        assert run.code == 1, run.stdout + run.stderr
        assert diagnostics(run) == [f"HF0704 {where}"], run.stdout
    assert not (root / "build" / "pdf").exists()


@pytest.mark.parametrize("link", ["fonts/Outside.otf", "fonts"], ids=["file", "folder"])
def test_a_theme_font_linked_out_of_the_project_is_one_error_at_the_link(project_factory, tmp_path, link):
    # a stylesheet naming a font that is a link out: the link is HF0120 and not read, and
    # the address naming it was HF0704 too, "which no book may fetch": one slip, two errors
    outside = tmp_path / "outside"
    (outside / "fonts").mkdir(parents=True)
    font = (REPO / "pipeline/exporters/html/default_theme/print/fonts/LinLibertine_R.otf").read_bytes()
    (outside / "fonts" / "Outside.otf").write_bytes(font)
    css = (REPO / _BASE_CSS).read_text(encoding="utf-8")
    assert "url(../fonts/LinLibertine_R.otf)" in css
    root = project_factory({"themes/default/print/css/base.css": css.replace("url(../fonts/LinLibertine_R.otf)",
                                                                            "url(../fonts/Outside.otf)")})
    (root / "themes/default/print" / link).parent.mkdir(parents=True, exist_ok=True)
    (root / "themes/default/print" / link).symlink_to(outside / link)
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")):
        assert run.code == 1, run.stdout + run.stderr
        assert diagnostics(run) == [f"HF0120 themes/default/print/{link}:0:0"], run.stdout
    assert not (root / "build" / "pdf").exists()


_BASE_CSS = "pipeline/exporters/html/default_theme/print/css/base.css"


_FONT_KIT = [("LinLibertine_R.otf", "LinLibertine_R.otf?v=3"), ("LinLibertine_DR.otf", "LinLibertine_DR.otf?#iefix"),
             ("LinBiolinum_R.otf", "LinBiolinum_R.otf#Font")]


def test_a_theme_font_asked_for_with_a_query_or_fragment_is_the_themes_file(drawn):
    # a downloaded font kit writes `x.woff2?v=3`, `x.eot?#iefix`, `x.svg#Font`: a browser
    # and WeasyPrint fetch the file before the query or fragment, but check and every PDF
    # refused the theme (HF0704) though the file is in it. The three faces the hero sheet
    # prints in (its text, its title, its labels), each asked for one way (_FONT_KIT), are
    # embedded.
    _drawn_text(drawn)
    fonts = subprocess.run(["pdffonts", str(drawn[2])], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    embedded = {line.split()[0].split("+", 1)[-1] for line in fonts if line.split()[-5] == "yes"}
    assert {"Libertine", "Libertine-Display", "Biolinum"} <= embedded, fonts


@pytest.fixture(scope="module")
def said_at_the_template(tmp_path_factory):
    """`build --only pdf` of one project whose hero sheet template writes, at line 6, an
    image without alt text, at line 7, an image it puts together that is no image, and
    at line 8 a photo pasted in as base64 (drawn without its metadata: re-encoded) without
    alt text: each WeasyPrint warning is told apart by its message, and must be at its own line."""
    icon = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/>"
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Qx7 Owner")
    photo = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(photo, "PNG", pnginfo=info)
    root = tmp_path_factory.mktemp("said") / "proj"
    write_project(root, {"themes/default/print/templates/hero-sheet.html.j2": _with_inline(
        f'<p>Seal</p><img alt="" src="{icon}">\n'
        '{% set scheme = "da" ~ "ta:" %}<img alt="" src="{{ scheme }}image/png;base64,AAAAAAAA">\n'
        f'<p>Photo</p> <img src="data:image/png;base64,{base64.b64encode(photo.getvalue()).decode()}">\n'
        '<img alt="Old seal" src="theme/img/old-seal.png">\n<img alt="Seal" src="theme/img/seal.png">'),
        # two theme files that are no pictures, one's name the end of the other's
        "themes/default/print/img/old-seal.png": b"not a picture", "themes/default/print/img/seal.png": b"nor this"})
    run = foundry("build", "--project", str(root), "--only", "pdf", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    return run


def test_an_image_a_template_writes_that_cannot_be_read_is_said_at_the_template(said_at_the_template):
    # WeasyPrint's "Failed to load image at 'data:…'" (an image the template put together
    # that is no image) was said at '<default theme>/print/css', a folder of the shipped
    # theme this project's template does not come from
    # A theme file named inside another's name (`seal.png`, `old-seal.png`) was said at
    # the line of the first name holding it, the other's: its own line named nowhere.
    # (a theme file that is no picture is said in foundry's words, before any book: pdf/pictures.py)
    found = [d for d in said_at_the_template.json()["diagnostics"]
             if d["code"] == "HF0703" and ("load image" in d["message"] or "cannot be read" in d["message"])]
    line_of = {("old-seal.png" if "old-seal.png" in d["message"] else "seal.png" if "seal.png" in d["message"]
                else "data"): (d["file"], d["line"]) for d in found}
    template = "themes/default/print/templates/hero-sheet.html.j2"
    assert len(found) == 3 and line_of == {"data": (template, 7), "old-seal.png": (template, 9),
                                           "seal.png": (template, 10)}, found


def test_an_image_without_alt_text_in_a_template_is_said_at_the_template(said_at_the_template):
    # a tagged PDF's image needs alt text (WeasyPrint: 'Image "…" has no required alt
    # description'); for an <img alt=""> the project's template writes, the warning was
    # said at '<default theme>/print/css', a folder of the shipped theme
    # A photo pasted in as base64 is drawn re-encoded without its metadata: its address in
    # the book is not the one written, and the warning was said at the template without a
    # line, its 200 characters all base64 (the words 'has no required alt' cut off).
    found = [d for d in said_at_the_template.json()["diagnostics"]
             if d["code"] == "HF0703" and "has no required alt description" in d["message"]]
    assert found and {(d["file"], d["line"], d["column"]) for d in found} == {
        ("themes/default/print/templates/hero-sheet.html.j2", 6, 29),
        ("themes/default/print/templates/hero-sheet.html.j2", 8, 24)}, found
    assert all(len(d["message"]) < 160 and "alt=" in d["hint"] for d in found), found   # a data: address cut short, once a place


def test_each_unread_files_hint_fits_the_file(project_factory):
    """HF0116's hint 'images go in content/assets/' was said of an oversized or binary
    translation file too (and 'for a content file' of a .po), where no image was meant
    and following it fixes nothing. Each file is told what fits it: a .po to split the
    story it translates or to be saved as a text PO file, a hero to be split, a picture
    saved as a hero to go to content/assets/."""
    root = project_factory({"content/heroes/photo.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
                            "translations/de/content/stories/first-story.md.po": b"\xde\x12\x04\x95" + bytes(64)})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    for rel in ("content/heroes/huge.yaml", "translations/de/content/heroes/first-hero.yaml.po"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(root / rel, "wb") as out:
            out.truncate(3 * 1024 * 1024)   # sparse: over the 2 MiB a text file is read up to
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stderr
    said = {d["file"]: d for d in run.json()["diagnostics"] if d["code"] == "HF0116"}
    assert sorted(said) == ["content/heroes/huge.yaml", "content/heroes/photo.yaml",
                            "translations/de/content/heroes/first-hero.yaml.po",
                            "translations/de/content/stories/first-story.md.po"], run.stdout
    for rel in ("translations/de/content/stories/first-story.md.po", "translations/de/content/heroes/first-hero.yaml.po"):
        assert "assets" not in said[rel]["hint"] and "image" not in said[rel]["hint"], said[rel]
        assert "content file" not in said[rel]["message"], said[rel]
    assert "translation file" in said["translations/de/content/heroes/first-hero.yaml.po"]["message"]
    assert "split the story it translates" in said["translations/de/content/heroes/first-hero.yaml.po"]["hint"]
    assert "PO file" in said["translations/de/content/stories/first-story.md.po"]["hint"]
    assert "split it" in said["content/heroes/huge.yaml"]["hint"]
    assert "content/assets/" in said["content/heroes/photo.yaml"]["hint"]


def test_a_themes_pictures_in_all_are_held_to_a_pixel_budget(project_factory):
    """Each theme picture is held to 40 M pixels, but their sum was not: 200 of them
    (~1.3 CPU-s each to decode) made check and every build decode for minutes. The
    pictures of the site theme's static/ and of the print theme, and the `data:`
    pictures written in their stylesheets (each decoded to be published or printed),
    are counted in name order, each by its header (an animation's frames too); one
    that takes the sum past FOUNDRY_PICTURE_PIXELS is HF0715 at its file (not judged,
    the site not built; not part of the print theme), said alike by check and build.
    Here the budget is 25,000 pixels and each picture 10,000 (an animation of 3 frames
    30,000)."""
    def png(frames: int = 1) -> bytes:
        out = io.BytesIO()
        pictures = [Image.new("RGB", (100, 100), (n * 60, 0, 0)) for n in range(frames)]
        pictures[0].save(out, "PNG", save_all=frames > 1, append_images=pictures[1:])
        return out.getvalue()
    written = "url(data:image/png;base64," + base64.b64encode(png()).decode() + ")"
    sheet = f".a {{ background: {written}; }}\n.b {{ background: {written}; }}\n"
    root = project_factory({"themes/default/static/a.png": png(), "themes/default/static/b.css": sheet,
                            "themes/default/static/c.png": png(), "themes/default/static/d.apng": png(3),
                            "themes/default/print/a.png": png(), "themes/default/print/b.png": png(),
                            "themes/default/print/css/x.css": f"h1 {{ background: {written}; }}\n"})
    said = ["HF0715 themes/default/print/css/x.css:1:22", "HF0715 themes/default/static/b.css:0:0",
            "HF0715 themes/default/static/c.png:0:0", "HF0715 themes/default/static/d.apng:0:0"]
    env = {"FOUNDRY_PICTURE_PIXELS": "25000"}
    for verb in (("check",), ("build", "--only", "html,pdf")):
        run = foundry(*verb, "--format", "json", "--project", str(root), env=env)
        assert run.code == 1 and sorted(diagnostics(run)) == said, run.stdout[-3000:] + run.stderr[-2000:]
    assert foundry("check", "--project", str(root)).code == 0   # within the default budget


def test_the_portraits_pixels_in_all_are_held_to_the_picture_budget(project_factory, monkeypatch):
    """Each portrait is held to 40 M pixels, but their sum was not: a pull request adding
    2,000 images just under it (a flat colour is kilobytes) made check and every build
    decode for hours. The images people name are counted as a theme's pictures are
    (HF0715, FOUNDRY_PICTURE_PIXELS), before any is decoded: each file once, in the
    order of its path, by its header; one past the sum is
    HF0715 at each line naming it and never decoded (c.png's pixels are cut off, which
    decoding it says: HF0702 within the default budget). Check, a warm check, a build, a
    warm build (the counts kept with the probes) and the resident engine's loads (foundry
    serve) say the same. Budget 25,000: a and b 10,000 each, c 10,000 (past), d an
    animation of 3 frames of 5,000 (within: the sum is 25,000), e 5,000 (past). An
    animation counts the one picture every output decodes and shows (HF0753): counted
    at every frame, d was refused (35,000) and e took its place. 0.png
    is a GIF of 20,000: no portrait may be one, it is refused (HF0702) unopened and is
    not counted (counted, it took a and b past the budget, though never decoded)."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    from pipeline.queries import Queries

    def png(width: int = 100, frames: int = 1) -> bytes:
        out = io.BytesIO()
        pictures = [Image.new("RGB", (width, 100), (n * 60, 0, 0)) for n in range(frames)]
        pictures[0].save(out, "PNG", save_all=frames > 1, append_images=pictures[1:])
        return out.getvalue()
    cut = png()
    cut = cut[:cut.index(b"IDAT") + 20] + cut[cut.index(b"IEND") - 4:]   # its header whole, its pixels not
    gif = io.BytesIO()
    Image.new("RGB", (200, 100)).save(gif, "GIF")   # a portrait may not be one: refused unopened, never decoded
    files = {f"content/assets/{name}.png": data
             for name, data in (("0", gif.getvalue()), ("a", png()), ("b", png()), ("c", cut), ("d", png(50, frames=3)),
                                ("e", png(50)))}
    files |= {f"content/heroes/h{name}.yaml": f"id: h{name}\nname: H{name}\nportrait: ../assets/{name}.png\n"
              for name in "0abcde"}
    root = project_factory(files)
    for rel, name in (("content/heroes/first-hero.yaml", "c"), ("content/characters/old-guide.yaml", "d")):
        with open(root / rel, "a", encoding="utf-8") as out:
            out.write(f"portrait: ../assets/{name}.png\n")
    said = ["HF0702 content/heroes/h0.yaml:3:11", "HF0715 content/heroes/first-hero.yaml:13:11",
            "HF0715 content/heroes/hc.yaml:3:11", "HF0715 content/heroes/he.yaml:3:11"]
    env = {"FOUNDRY_PICTURE_PIXELS": "25000"}

    def pictures(run) -> list[str]:
        return sorted(d for d in diagnostics(run) if d.split()[0] in ("HF0715", "HF0702"))
    for verb in (("check",), ("check",), ("build", "--only", "json"), ("build", "--only", "json")):
        run = foundry(*verb, "--format", "json", "--project", str(root), env=env)
        assert run.code == 1 and pictures(run) == said, run.stdout[-3000:] + run.stderr[-2000:]
        with open(root / "content/heroes/ha.yaml", "a", encoding="utf-8") as out:
            out.write("# a build after an edit: the probes and counts kept\n")
    # within the default budget the cut image is decoded, and said to be cut off
    assert pictures(foundry("check", "--format", "json", "--project", str(root))) == [
        "HF0702 content/heroes/first-hero.yaml:13:11", "HF0702 content/heroes/h0.yaml:3:11",
        "HF0702 content/heroes/hc.yaml:3:11"]
    monkeypatch.setenv("FOUNDRY_PICTURE_PIXELS", "25000")
    queries = Queries()
    for _ in range(2):   # foundry serve's engine, its tables kept
        found = Diagnostics()
        check(root, found, queries=queries)
        assert sorted(f"{d.code} {d.span.path}:{d.span.line}:{d.span.column}" for d in found.items
                      if d.code in ("HF0715", "HF0702")) == said


def test_an_animated_portrait_counts_the_pictures_its_outputs_decode(tmp_path):
    """An animation counts the one picture every output shows (HF0753); but an APNG
    whose still is apart from its animation (a picture for viewers that play none) is
    shown from its first frame, Pillow's second, and reaching it decodes the still
    before it: two pictures in the probe and every output, counted as one (an attacker's
    portraits took twice the budget's decoding)."""
    from pipeline.resolve.portrait_budget import header_pixels

    pictures = [Image.new("RGB", (100, 50), (n * 60, 0, 0)) for n in range(3)]
    for name, apart, counted in (("plain.png", False, 5_000), ("apart.png", True, 10_000)):
        pictures[0].save(tmp_path / name, "PNG", save_all=True, append_images=pictures[1:], default_image=apart)
        assert header_pixels(tmp_path / name) == counted, name


def test_the_default_picture_budget_takes_an_honest_world_of_phone_photos(monkeypatch):
    """The budget is against a pull request making foundry decode for hours, not against
    a studio's portraits: 500 M pixels refused a world of 42 phone photos (12 M pixels
    each, decoded whole for the site's derivatives). 400 such distinct portraits are
    within the default; 2,000 pictures of 40 M (the attack) are not, and what is past
    it is bounded (~160 CPU-s of decoding at ~31 M pixels a second)."""
    from pathlib import Path
    from pipeline.resolve.portrait_budget import past_budget
    monkeypatch.delenv("FOUNDRY_PICTURE_PIXELS", raising=False)
    photos = {f"content/assets/p{n:04}.jpg": Path(f"/p{n:04}.jpg") for n in range(400)}
    assert past_budget(photos, lambda path, rel: 4000 * 3000) == {}
    attack = {f"content/assets/a{n:04}.png": Path(f"/a{n:04}.png") for n in range(2000)}
    refused = past_budget(attack, lambda path, rel: 40_000_000)
    assert len(refused) == 2000 - 5_000_000_000 // 40_000_000, len(refused)


def _unknown_keys(count: int) -> str:
    return "name: Many\nxp: 0\n" + "".join(f"k{i}: {i}\n" for i in range(count))


def test_a_hero_of_thousands_of_unknown_keys_is_validated_in_linear_time():
    """Each unknown key is one HF0202, and each was weighed against every other key's
    error (validate/documents.py `_one_per_union` asked, for each, whether any error
    lay below it): a 1.4 MB hero of 100,000 `kN: N` lines ran `check` for hours, 20,000
    for ~26 CPU-s. Work measured in lines run, at 500 keys and 1,000: twice the keys,
    about twice the work (it was four times)."""
    from support import lines_run
    from pipeline.diagnostics import Diagnostics
    from pipeline.heroes.models import Hero
    from pipeline.load.yaml import load_yaml
    from pipeline.validate.documents import validate_data

    def validated(count: int) -> list:
        diags = Diagnostics()
        data, positions = load_yaml(_unknown_keys(count), "content/heroes/many.yaml", diags)
        assert validate_data(data, positions, Hero, diags) is None
        return diags.items

    assert [d.code for d in validated(500)] == ["HF0202"] * 500
    small, large = (lines_run(lambda n=n: validated(n), "validate/documents.py") for n in (500, 1000))
    assert large < 2.5 * small, (small, large)


def test_line_ids_and_definition_lists_are_looked_for_in_one_pass(project_factory):
    # A line-id marker (` ^l-3f2a`) is blanks, `^` and an id at a line's end: its search
    # set out from every blank of a run, so a line of 300,000 spaces in a story with a
    # marker anywhere cost ~45 CPU-s of `foundry check` (quadratic), every check. And a
    # prose field's paragraphs were each looked for (a definition list, HF0124) in a new
    # list of the field's lines after the last one's: 20,000 paragraphs in a 64 KB
    # background, one of them `: a definition`, cost 27 CPU-s. One check of both.
    body = "A tagged paragraph. ^l-abcd\n\n" + " " * 300_000 + "x\n"
    background = "  a\n\n" * 20_000 + "  Term\n  : its definition\n"
    root = project_factory({"content/stories/blanks.md": _story_with(body),
                            "content/characters/terms.yaml": f"name: Terms\nrole: Mentor\nbackground: |\n{background}"})
    run = check_within(root, 15)
    assert run.returncode == 0, run.stdout
    assert [(d["code"], d["file"]) for d in json.loads(run.stdout)["diagnostics"]] == [
        ("HF0124", "content/characters/terms.yaml")]


def test_a_portrait_over_the_byte_limit_is_told_its_size_not_its_pixels(project_factory):
    """A 35 MB PNG of 12 megapixels was HF0702 "over the 20,971,520-byte limit" with
    the code's own hint, "Use a PNG, JPEG or WebP image under 40 megapixels", which it
    was: the hint names the limit it is over."""
    root = project_factory({"content/characters/c.yaml": 'name: C\nportrait: "../assets/big.png"\n'})
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    with open(root / "content/assets/big.png", "wb") as big:
        big.truncate(20 * 1024 * 1024 + 1)
    run = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0702"]
    assert said["file"] == "content/characters/c.yaml" and "byte limit" in said["message"], said
    assert "20 MiB" in said["hint"] and "megapixels" not in said["hint"], said


def test_a_jpeg_portrait_of_endless_scans_is_refused_before_it_is_decoded(project_factory):
    """A progressive JPEG's every scan passes over every pixel again: a 147 KB portrait of
    36 megapixels repeating its last scan 100 times took check 26 s and a site and PDF
    build 139 s (2,000 times: hours), under every other limit. Now HF0702 at the
    portrait, with the scans said; the same picture as an editor writes it (six scans)
    is used."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1500, 1500), 128).save(out, "JPEG", progressive=True, quality=90)
    honest = out.getvalue()
    last = honest.rfind(b"\xff\xda")
    bomb = honest[:-2] + honest[last:-2] * 300 + b"\xff\xd9"
    root = project_factory({"content/characters/c.yaml": 'name: C\nportrait: "../assets/c.jpg"\n',
                            "content/characters/d.yaml": 'name: D\nportrait: "../assets/d.jpg"\n'})
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    (root / "content/assets/c.jpg").write_bytes(bomb)
    (root / "content/assets/d.jpg").write_bytes(honest)
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0702"]
    assert [(d["file"], d["line"]) for d in said] == [("content/characters/c.yaml", 2)], said
    assert "306 scans of 2,250,000 pixels" in said[0]["message"] and "save it again" in said[0]["hint"], said
    # the same in a print theme, which WeasyPrint decodes whole in every book: HF0116 at the file
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    (root / "themes/default/print/css").mkdir(parents=True)
    (root / "themes/default/print/css/paper.jpg").write_bytes(bomb)
    (root / "themes/default/print/css/sheet.css").write_text(sheet + "\nbody { background-image: url(paper.jpg); }\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0116"]
    assert [d["file"] for d in said] == ["themes/default/print/css/paper.jpg"], run.stdout
    assert "a JPEG written in more scans than its pixels allow" in said[0]["message"], said


@pytest.mark.parametrize("before", [False, True], ids=["idat", "text"])
def test_a_png_of_countless_chunks_is_refused_before_it_is_opened(project_factory, before):
    """Pillow reads a PNG's every chunk on its own when it opens, verifies and decodes
    it: a 19 MB portrait of 1.6 million empty IDAT chunks took 26 CPU-s of a build (2.5
    a decode, in each output), a million tEXt chunks before the image 1.4 CPU-s only to
    open, with check clean. Now HF0702 at the portrait and HF0116 at a print theme's
    picture, each before Pillow opens it; the same picture in as many chunks as an
    editor writes is used."""
    from support import png_of_chunks

    bomb, honest = png_of_chunks(70_000, before), png_of_chunks(2_000, before)
    root = project_factory({"content/characters/c.yaml": 'name: C\nportrait: "../assets/c.png"\n',
                            "content/characters/d.yaml": 'name: D\nportrait: "../assets/d.png"\n'})
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    (root / "content/assets/c.png").write_bytes(bomb)
    (root / "content/assets/d.png").write_bytes(honest)
    sheet = (REPO / "pipeline/exporters/html/default_theme/print/css/sheet.css").read_text()
    (root / "themes/default/print/css").mkdir(parents=True)
    (root / "themes/default/print/css/paper.png").write_bytes(bomb)
    (root / "themes/default/print/css/hills.png").write_bytes(honest)
    (root / "themes/default/print/css/sheet.css").write_text(
        sheet + "\nbody { background-image: url(paper.png); }\nh1 { background-image: url(hills.png); }\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["file"], d["line"], d["code"]) for d in run.json()["diagnostics"]]
    assert said == [("content/characters/c.yaml", 2, "HF0702"), ("themes/default/print/css/paper.png", 0, "HF0116")], \
        run.stdout
    portrait, paper = run.json()["diagnostics"]
    assert "more than 65,536 chunks" in portrait["message"] and "save it again as a PNG" in portrait["hint"], portrait
    assert "a PNG in more than 65,536 chunks" in paper["message"], paper


def test_an_honest_progressive_jpeg_is_not_counted_scans_it_does_not_have(project_factory):
    """A JPEG's scans were counted as every 0xFFDA in the file: a camera's maker note or
    a print profile holding those two bytes (a 600 KB CMYK profile does, about ten
    times), or an MPO's second picture, added scans libjpeg never decodes, and an
    editor's progressive JPEG (4 MP, its maker note holding them 200 times) was refused HF0702 'more than any camera or
    editor writes'. Scans are counted as libjpeg reads them (image_kind.jpeg_scans)."""
    from PIL import Image

    noted = io.BytesIO()   # six scans (grey), a maker note holding 0xFFDA 200 times
    exif = Image.Exif()
    exif[0x927C] = b"\x00\xff\xda\x01" * 200
    Image.new("L", (2000, 2000), 128).save(noted, "JPEG", progressive=True, exif=exif.tobytes())
    assert noted.getvalue().count(b"\xff\xda") == 206
    root = project_factory({"content/characters/c.yaml": 'name: C\nportrait: "../assets/c.jpg"\n'})
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    (root / "content/assets/c.jpg").write_bytes(noted.getvalue())
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0702"] == [], run.stdout


def test_a_cmyk_print_picture_in_libjpegs_progressive_scans_is_not_a_scan_bomb():
    """libjpeg's progressive script writes a CMYK picture in 18 scans, most of them one
    component's detail: a 37.8-megapixel print picture (under the 40 MP bound) was
    refused as a scan bomb (18 × 37.8 MP over 16 × 40 MP), though its decoding is about
    six passes. Scans are weighed by the share of the components each decodes
    (image_kind.jpeg_scan_passes); a grey picture repeating its last scan is still over."""
    from PIL import Image
    from pipeline.load.image_kind import jpeg_scan_passes, jpeg_scans
    from pipeline.load.media import scans_over

    out = io.BytesIO()
    Image.new("CMYK", (6150, 6150), (10, 20, 30, 40)).save(out, "JPEG", progressive=True)
    cmyk = out.getvalue()
    assert jpeg_scans(cmyk) == 18 and jpeg_scan_passes(cmyk) < 8
    assert not scans_over(cmyk, 6150 * 6150)
    out = io.BytesIO()
    Image.new("L", (6150, 6150), 128).save(out, "JPEG", progressive=True)
    grey = out.getvalue()
    last = grey.rfind(b"\xff\xda")
    assert not scans_over(grey, 6150 * 6150)
    assert scans_over(grey[:-2] + grey[last:-2] * 12 + b"\xff\xd9", 6150 * 6150)   # 18 whole passes
