"""HF0162: a file in the project that a writer's laptop cannot hold. Linux CI built a
project holding `content/assets/q?.png`, `aux.png` or both `Aria.png` and `aria.png`
without a word, and a teammate on Windows could not clone it (git for Windows refuses
those names; macOS and Windows keep one file for two names that differ only in case,
and git then shows the other as changed). An id that is a device name stays HF0161,
said once."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

from PIL import Image

from support import JAVA, REPO, diagnostics, foundry, require_tool


def test_names_windows_or_macos_cannot_hold_are_named(project_factory):
    png = b"\x89PNG\r\n\x1a\n"   # never read: only names are looked at
    hero = "name: Con\nstatus: draft\n"
    root = project_factory({
        "content/assets/q?.png": png,
        "content/assets/aux.png": png,
        "content/assets/Aria.png": png,
        "content/assets/aria.png": png,
        "content/assets/trail.": png,
        "content/heroes/con.yaml": hero,            # an id: HF0161 (an error), not twice
        "themes/default/static/caf\u00e9.css": "",
        "themes/default/static/cafe\u0301.css": "",  # the same name, the accent decomposed
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {f"{d['code']} {d['file']}" for d in run.json()["diagnostics"] if d["code"] in ("HF0161", "HF0162")}
    assert said == {"HF0162 content/assets/q?.png", "HF0162 content/assets/aux.png", "HF0162 content/assets/trail.",
                    "HF0162 content/assets/aria.png", "HF0161 content/heroes/con.yaml",
                    "HF0162 themes/default/static/caf\u00e9.css"}, said
    by_file = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0162"}
    assert "'?' is a character Windows does not allow" in by_file["content/assets/q?.png"]
    assert "'content/assets/aria.png' and 'Aria.png' differ only in letter case" in by_file["content/assets/aria.png"]
    assert [d for d in diagnostics(run) if d.startswith("HF0162")] and run.code == 1   # HF0161 is the error
    # HF0161's hint followed as written clears it: the file renamed, and its `id:` line
    # (renamed alone, `id: con` in con-1.yaml was HF0106 next)
    (root / "content/heroes/con.yaml").write_text("id: con\n" + hero)
    hint = next(d["hint"] for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
                if d["code"] == "HF0161")
    assert "'con-1.yaml' (an `id:` line in it to `id: con-1`)" in hint, hint
    (root / "content/heroes/con.yaml").unlink()
    (root / "content/heroes/con-1.yaml").write_text("id: con-1\n" + hero)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert {d["code"] for d in run.json()["diagnostics"] if d["file"].startswith("content/heroes")} == set()


def test_every_name_windows_reads_as_a_device_is_named(project_factory):
    """A device name is what precedes the first dot with the spaces ending it dropped
    (`con .png`), the console's `conin$` and `conout$` (git for Windows refuses them as
    it refuses `con`), and a port numbered by a superscript digit (`com¹`, `lpt²`), which
    Windows reads as a digit there: each was passed without a word, in a folder of
    lowercase ASCII names too (the quick path). A name that only begins so is no device."""
    png = b"\x89PNG\r\n\x1a\n"
    root = project_factory({
        "content/assets/maps/con .png": png,      # a folder of lowercase ASCII names alone
        "content/assets/maps/conin$.png": png,
        "content/assets/com\u00b9.png": png,
        "content/assets/console.png": png,
        "content/assets/com10.png": png,
        "themes/default/static/conout$.css": "",
        "themes/default/static/lpt\u00b2 .css": "",
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    by_file = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0162"}
    assert set(by_file) == {"content/assets/maps/con .png", "content/assets/maps/conin$.png",
                            "content/assets/com\u00b9.png",
                            "themes/default/static/conout$.css", "themes/default/static/lpt\u00b2 .css"}, by_file
    assert "'con ' is the device name 'con' on Windows" in by_file["content/assets/maps/con .png"]
    assert "'conin$' is a device name on Windows" in by_file["content/assets/maps/conin$.png"]
    assert run.code == 0


def test_a_theme_file_published_beside_a_name_differing_only_in_case_is_named(project_factory):
    """A project theme's `static/Site.css` (meant to replace the theme's `site.css`) was
    published as site/assets/Site.css beside site/assets/site.css, check and build clean:
    on macOS and Windows build/ holds one file for both, so one stylesheet replaced the
    other. The outputs' own collision check now compares paths as those systems do:
    HF0162 at the project's file, from check and build alike; a name of its own is fine,
    and so are two portraits' copies (one image's bytes under two names)."""
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, "PNG")
    # one image under two names in two folders: one copy, named by its hash and its name
    # in one case (test_one_image_under_names_differing_only_in_case_or_accents_is_one_copy)
    root = project_factory({"themes/default/static/Site.css": "body { color: red; }\n",
                            "themes/default/static/extra.css": "p { margin: 0; }\n",
                            "content/assets/a/Aria.png": image.getvalue(), "content/assets/b/aria.png": image.getvalue()})
    for person, picture in (("heroes/first-hero", "a/Aria.png"), ("characters/old-guide", "b/aria.png")):
        with open(root / f"content/{person}.yaml", "a", encoding="utf-8") as out:
            out.write(f"portrait: ../assets/{picture}\n")
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 0 and diagnostics(said) == ["HF0162 themes/default/static/Site.css:0:0"]
    message = said.json()["diagnostics"][0]
    assert "site/assets/site.css" in message["message"] and "Name it site.css" in message["hint"]
    built = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert built.code == 0 and diagnostics(built) == diagnostics(said)


def test_a_theme_folder_named_like_a_file_the_site_publishes_is_named(project_factory):
    """A project theme's `static/site.css/extra.css` is published inside
    site/assets/site.css, the shipped stylesheet: one path a file and a folder. No two
    planned paths were equal, so check was clean and the build stopped writing with
    HF0714 'File exists' at build/ and a hint to free disk space (exit 2). Now check and
    build say HF0704 at the theme's file, naming the file it lands in; the same folder
    in other letters (`Site.css/`) is HF0162, which Linux builds."""
    root = project_factory({"themes/default/static/site.css/extra.css": "p { margin: 0; }\n"})
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 1 and diagnostics(said) == ["HF0704 themes/default/static/site.css/extra.css:0:0"]
    message = said.json()["diagnostics"][0]
    assert "site/assets/site.css" in message["message"] and "Rename the folder site.css/" in message["hint"]
    built = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert built.code == 1 and diagnostics(built) == diagnostics(said) and not (root / "build").exists()
    # the site's theme stops the site, not a build of the JSON API alone
    assert foundry("build", "--project", str(root), "--only", "json").code == 0

    (root / "themes/default/static/site.css").rename(root / "themes/default/static/Site.css")
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 0 and diagnostics(said) == ["HF0162 themes/default/static/Site.css/extra.css:0:0"]
    built = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert built.code == 0 and diagnostics(built) == diagnostics(said)
    assert (root / "build/site/assets/Site.css/extra.css").is_file() and (root / "build/site/assets/site.css").is_file()


def test_a_root_name_macos_takes_for_another_is_named(project_factory):
    """The project's root was never looked at: `Content/` beside `content/` (a clone on
    macOS merges them) and a committed `Build/` (there it is the build/ foundry writes:
    the build is refused, HF0126, and every link into it is refused on Linux too) were
    built on Linux without a word. One HF0162 each, at the name, in check and build;
    foundry's own build/ beside them is not said."""
    root = project_factory({"Build/notes.md": "kept\n", "Content/heroes/x.yaml": "name: X\n"})
    expected = ["HF0162 Build:0:0", "HF0162 content:0:0"]
    said = foundry("check", "--project", str(root), "--format", "json")
    assert said.code == 0 and sorted(diagnostics(said)) == expected, diagnostics(said)
    assert "foundry's own 'build'" in said.json()["diagnostics"][0]["message"]
    built = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert built.code == 0 and sorted(diagnostics(built)) == expected, diagnostics(built)
    again = foundry("check", "--project", str(root), "--format", "json")   # build/ there now
    assert sorted(diagnostics(again)) == expected, diagnostics(again)


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def test_one_image_under_names_differing_only_in_case_or_accents_is_one_copy(project_factory):
    """Two portraits of one image's bytes named `a/Aria.png` and `b/aria.png` (or
    `Café.png` with its accent composed and decomposed) were published as two copies,
    site/media/Aria-….png beside aria-….png: one file on macOS and Windows, and in the
    compendium EPUB two entries OCF reads as one (epubcheck OPF-060, 'Duplicate entry in
    the ZIP file'), with check and build clean. The copy's name is the file's in one case
    and one composition (load/media.py media_path): one copy, a valid EPUB."""
    image = io.BytesIO()
    Image.new("RGB", (200, 300), (120, 30, 40)).save(image, "PNG")
    other = io.BytesIO()
    Image.new("RGB", (200, 300), (20, 90, 40)).save(other, "PNG")
    root = project_factory({"content/assets/a/Aria.png": image.getvalue(), "content/assets/b/aria.png": image.getvalue(),
                            "content/assets/a/Caf\u00e9.png": other.getvalue(),
                            "content/assets/b/Cafe\u0301.png": other.getvalue(),
                            "content/heroes/wren.yaml": "name: Wren\nxp: 0\nportrait: ../assets/a/Caf\u00e9.png\n",
                            "content/characters/kit.yaml": "name: Kit\nportrait: ../assets/b/Cafe\u0301.png\n"})
    for person, picture in (("heroes/first-hero", "a/Aria.png"), ("characters/old-guide", "b/aria.png")):
        with open(root / f"content/{person}.yaml", "a", encoding="utf-8") as out:
            out.write(f"portrait: ../assets/{picture}\n")
    built = foundry("build", "--project", str(root), "--only", "html,epub", "--format", "json")
    assert built.code == 0 and not diagnostics(built), built.stdout + built.stderr
    media = sorted(p.name for p in (root / "build/site/media").iterdir() if p.suffix == ".png")
    assert [name.split("-")[0] for name in media] == ["aria", "caf\u00e9"], media   # one copy of each image
    epub = root / "build/epub/compendium.epub"
    with zipfile.ZipFile(epub) as z:
        names = [unicodedata.normalize("NFC", n.casefold()) for n in z.namelist()]
    assert len(names) == len(set(names)), names
    require_tool(bool(shutil.which("java")) and EPUBCHECK.is_file(), "java and epubcheck")
    run = subprocess.run([*JAVA, "-jar", str(EPUBCHECK), str(epub)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "ERROR" not in run.stdout + run.stderr, run.stdout + run.stderr


def test_a_device_name_in_an_entity_folder_that_is_no_entitys_id_is_named(project_factory):
    """In an entity folder a device name was left to HF0161, which is said only of a
    file whose name is the id (`heroes/con.yaml`): `heroes/con.md`, `stories/nul.yaml`
    (strays, HF0105 a warning), `quests/Aux.yaml` (HF0113, its hint aux-1) and
    `templates/stories/prn.md` (a story template) were said by nothing as a name
    Windows cannot check out, and the check of the first two passed."""
    hero = (REPO / "tests/roots/minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    root = project_factory({"content/heroes/con.md": "notes\n", "content/stories/nul.yaml": "notes: 1\n",
                            "content/quests/Aux.yaml": "name: x\n", "content/templates/stories/prn.md": "x\n",
                            "content/heroes/lpt1.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    by_file = {d["file"]: d["code"] for d in run.json()["diagnostics"] if d["code"] in ("HF0161", "HF0162")}
    assert by_file == {"content/heroes/con.md": "HF0162", "content/stories/nul.yaml": "HF0162",
                       "content/quests/Aux.yaml": "HF0162", "content/templates/stories/prn.md": "HF0162",
                       "content/heroes/lpt1.yaml": "HF0161"}, by_file


def test_a_backslash_in_a_published_name_is_refused_not_published(project_factory):
    """A theme's `static/x\\..\\..\\evil.css` was HF0162 (a warning) and published under
    that literal name: harmless on Linux, but a Windows tool unpacking build/ reads `\\`
    as a folder separator and wrote it above the site. Now HF0135 (an error) at each such
    file, not HF0162 too, nothing published; the hint followed (renamed), the build
    publishes the file inside the site."""
    root = project_factory({
        "themes/default/static/x\\..\\..\\evil.css": "body{color:red}\n",
        "themes/default/root/..\\..\\evil.txt": "hi\n",
        "content/assets/portraits\\rook.png": b"\x89PNG\r\n\x1a\n",
        "translations/de\\x.po": "",   # read, never published by name: HF0162 as before
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["code"] in ("HF0135", "HF0162")}
    assert said == {("HF0135", "themes/default/static/x\\..\\..\\evil.css"),
                    ("HF0135", "themes/default/root/..\\..\\evil.txt"),
                    ("HF0135", "content/assets/portraits\\rook.png"),
                    ("HF0162", "translations/de\\x.po")}, said
    assert run.code == 1
    build = foundry("build", "--project", str(root), "--only", "html")
    assert build.code == 1 and "HF0135" in build.stderr
    assert not (root / "build").exists() or not [p for p in (root / "build").rglob("*") if "\\" in p.name]
    (root / "themes/default/static/x\\..\\..\\evil.css").rename(root / "themes/default/static/evil.css")
    (root / "themes/default/root/..\\..\\evil.txt").rename(root / "themes/default/root/evil.txt")
    (root / "content/assets/portraits\\rook.png").unlink()
    (root / "translations/de\\x.po").unlink()
    build = foundry("build", "--project", str(root), "--only", "html")
    assert build.code == 0, build.stderr
    assert (root / "build/site/assets/evil.css").read_text() == "body{color:red}\n"
    assert (root / "build/site/evil.txt").read_text() == "hi\n"
    assert not [p for p in (root / "build").rglob("*") if "\\" in p.name]
