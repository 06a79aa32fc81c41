"""A portrait named with a spelling another system forgives is named with the file it
was meant to be. macOS and Windows find '../assets/P.png' for p.png, Windows
'..\\assets\\p.png', macOS 'café.png' whose é is stored decomposed: the writer's check was
clean there, Linux CI said only "does not exist ... Paths are relative to the file"."""
from __future__ import annotations

import io
import os
import pathlib
import unicodedata

from PIL import Image
from support import foundry

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def _hero(name: str, portrait: str) -> str:
    return (f"name: {name}\nstatus: draft\nportrait: '{portrait}'\nattributes: {{agility: 9}}\n")


def test_a_portrait_spelt_as_another_system_forgives_names_the_file(project_factory):
    nfd = unicodedata.normalize("NFD", "café.png")
    root = project_factory({
        "content/assets/p.png": PNG,
        f"content/assets/{nfd}": PNG,
        "content/heroes/case.yaml": _hero("Case", "../assets/P.png"),
        "content/heroes/windows.yaml": _hero("Windows", "..\\assets\\p.png"),
        "content/heroes/spaced.yaml": _hero("Spaced", " ../assets/p.png"),
        "content/heroes/accent.yaml": _hero("Accent", unicodedata.normalize("NFC", "../assets/café.png")),
        "content/heroes/folder.yaml": _hero("Folder", "../assets"),
        "content/heroes/missing.yaml": _hero("Missing", "../assets/q.png"),
        "content/heroes/pipe.yaml": _hero("Pipe", "../../art/p.png"),
        "content/heroes/built.yaml": _hero("Built", "../../build/site/media/p.png"),
        "content/heroes/git.yaml": _hero("Git", "../../.git/p.png"),
    })
    (root / "art").mkdir()
    os.mkfifo(root / "art/p.png")   # outside the inputs: no HF0125 is said at it, only this
    run = foundry("check", "--format", "json", cwd=root)
    found = {d["file"].rsplit("/", 1)[1]: d for d in run.json()["diagnostics"] if d["code"] == "HF0306"}
    assert set(found) == {"case.yaml", "windows.yaml", "spaced.yaml", "accent.yaml", "folder.yaml", "missing.yaml",
                          "pipe.yaml"}, found
    assert found["pipe.yaml"]["message"].startswith("'../../art/p.png' is a named pipe (FIFO), not an image file")
    # in the project the writer sees, so not 'outside the project': where it leads, as HF0120 says of a link
    left = {d["file"].rsplit("/", 1)[1]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0307"}
    assert left == {"built.yaml": "'../../build/site/media/p.png' points into foundry's own folders (build/, "
                                  ".foundry-cache/, …)",
                    "git.yaml": "'../../.git/p.png' points into .git"}, left
    assert all((d["line"], d["column"]) == (3, 12) for d in found.values()), [(d["line"], d["column"]) for d in found.values()]
    assert found["case.yaml"]["hint"].startswith("Did you mean '../assets/p.png'?") and "letter case" in found["case.yaml"]["hint"]
    assert found["windows.yaml"]["hint"].startswith("Did you mean '../assets/p.png'?") and "not '\\'" in found["windows.yaml"]["hint"]
    assert found["spaced.yaml"]["hint"].startswith("Did you mean '../assets/p.png'?") and "spaces" in found["spaced.yaml"]["hint"]
    assert found["accent.yaml"]["hint"].startswith(f"Did you mean '../assets/{nfd}'?") and "Unicode form" in found["accent.yaml"]["hint"]
    assert found["folder.yaml"]["message"] == "'../assets' is a folder, not an image"
    assert found["missing.yaml"]["hint"] == "Paths are relative to the file that names them."


def _forgiving_is_file(real):
    """Path.is_file as a disk that ignores letter case and Unicode form answers it
    (macOS APFS, Windows NTFS): 'P.png' is a file when p.png is."""
    def is_file(self):
        if real(self):
            return True
        loose = unicodedata.normalize("NFC", self.name).casefold()
        try:
            return any(unicodedata.normalize("NFC", n).casefold() == loose and real(self.parent / n)
                       for n in os.listdir(self.parent))
        except OSError:
            return False
    return is_file


def test_a_forgiving_disk_gives_the_same_answer_as_linux(project_factory, monkeypatch):
    """On a disk that finds 'P.png' for p.png, check still says HF0306 naming the real
    file: the name as written is compared with the folder's listing, so the writer's
    macOS check agrees with Linux CI."""
    nfd = unicodedata.normalize("NFD", "café.png")
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(image, "PNG")   # one the image probe reads: exact names pass
    root = project_factory({
        "content/assets/p.png": image.getvalue(),
        f"content/assets/{nfd}": image.getvalue(),
        "content/heroes/case.yaml": _hero("Case", "../assets/P.png"),
        "content/heroes/accent.yaml": _hero("Accent", unicodedata.normalize("NFC", "../assets/café.png")),
        "content/heroes/exact.yaml": _hero("Exact", "../assets/p.png"),
        "content/heroes/dotted.yaml": _hero("Dotted", f"./../assets/{nfd}"),
    })
    monkeypatch.setattr(pathlib.Path, "is_file", _forgiving_is_file(pathlib.Path.is_file))
    assert (root / "content/assets/P.png").is_file()   # the disk forgives, as macOS does
    diags = Diagnostics()
    world = check(root, diags)
    found = {d.span.path.rsplit("/", 1)[1]: d for d in diags.items if d.span.path.startswith("content/heroes/")}
    assert sorted((name, d.code) for name, d in found.items()) == [("accent.yaml", "HF0306"), ("case.yaml", "HF0306")], \
        [(d.code, d.span.path, d.message) for d in diags.items]
    assert found["case.yaml"].hint.startswith("Did you mean '../assets/p.png'?")
    assert found["accent.yaml"].hint.startswith(f"Did you mean '../assets/{nfd}'?")
    assert sorted(world.portraits) == ["dotted", "exact"]


def test_a_portrait_written_from_elsewhere_is_named_from_its_file(project_factory):
    """`assets/portraits/p.png` (the docs' tree names the folder so: `content/assets/`),
    `content/assets/…` (from the project's root) and an absolute path into the project (a
    file manager's "copy path") were each answered "Paths are relative to the file that
    names them" (or "Asset paths are relative and stay inside the project"), leaving the
    `../` to the writer. The hint names the path that works from the file, and writing it
    as the hint says makes the check clean; nothing outside the project is looked at."""
    files = {"content/assets/portraits/p.png": PNG,
             "content/heroes/aria.yaml": _hero("Aria", "assets/portraits/p.png"),
             "content/heroes/bram.yaml": _hero("Bram", "content/assets/portraits/p.png"),
             "content/heroes/wren.yaml": _hero("Wren", "/absolute")}
    root = project_factory(files)
    inside = str(root / "content/assets/portraits/p.png")
    (root / "content/heroes/wren.yaml").write_text(_hero("Wren", inside))
    (root / "content/heroes/outside.yaml").write_text(_hero("Outside", "/etc/hostname"))
    run = foundry("check", "--format", "json", cwd=root)
    said = {d["file"].rsplit("/", 1)[1]: d for d in run.json()["diagnostics"] if d["code"] in ("HF0306", "HF0307")}
    assert set(said) == {"aria.yaml", "bram.yaml", "wren.yaml", "outside.yaml"}, said
    meant = "Paths are relative to the file that names them: did you mean '../assets/portraits/p.png'?"
    assert [said[n]["hint"] for n in ("aria.yaml", "bram.yaml", "wren.yaml")] == [meant] * 3, said
    assert said["outside.yaml"]["hint"] == "Asset paths are relative and stay inside the project."
    # followed literally: the path the hint gives is the portrait
    for name in ("aria", "bram", "wren"):
        (root / f"content/heroes/{name}.yaml").write_text(_hero(name.title(), "../assets/portraits/p.png"))
    (root / "content/heroes/outside.yaml").unlink()
    run = foundry("check", "--format", "json", cwd=root)
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["severity"] == "error"], run.stdout



def test_a_portrait_named_as_in_content_assets_is_named_from_its_file(project_factory):
    """HF0105 tells a writer pictures go in content/assets/, shown as a `portrait:`; moved
    there, `portrait: rook.png` was "does not exist. Paths are relative to the file that
    names them", the `../assets/` left to the writer. The hint names it; followed, the
    hero's page shows the picture."""
    import lxml.html
    root = project_factory({"content/assets/rook.png": PNG, "content/heroes/aria.yaml": _hero("Aria", "rook.png")})
    run = foundry("check", "--format", "json", cwd=root)
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0306"]
    assert said["hint"] == "Paths are relative to the file that names them: did you mean '../assets/rook.png'?", said
    (root / "content/heroes/aria.yaml").write_text(_hero("Aria", "../assets/rook.png"))
    assert foundry("build", "--only", "html", cwd=root).code == 0
    page = root / "build/site/heroes/aria.html"
    shown = [src for src in lxml.html.parse(str(page)).xpath("//img/@src") if (page.parent / src).is_file()]
    assert shown and all(Image.open(page.parent / src).size == (1, 1) for src in shown), shown


def test_a_portrait_copied_with_backslashes_from_the_root_is_named_from_its_file(project_factory):
    """`assets\portraits\p.png`, as Windows' Explorer copies it from the project's
    content/, was answered "Paths are relative to the file that names them" alone: the
    backslashes and the `../` both left to the writer."""
    files = {"content/assets/portraits/p.png": PNG,
             "content/heroes/aria.yaml": _hero("Aria", "assets\\portraits\\p.png")}
    root = project_factory(files)
    run = foundry("check", "--format", "json", cwd=root)
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0306"]
    assert said["hint"] == ("Paths are relative to the file that names them: did you mean "
                            "'../assets/portraits/p.png'? Write '/' between folders, not '\\'."), said


def test_a_portrait_holding_a_nul_is_said_once_not_a_crash(project_factory):
    """A YAML "\0" in the portrait's path: the OS raises ValueError for such a name, and
    `check` stopped with an internal error (confine's lstat). It is HF0131, the control
    character, and nothing else (no "points outside the project")."""
    files = {"content/assets/portraits/p.png": PNG,
             "content/heroes/aria.yaml": 'name: Aria\nstatus: draft\nportrait: "../assets/portraits/p\\0.png"\n'
                                         'attributes: {agility: 9}\n'}
    root = project_factory(files)
    run = foundry("check", "--format", "json", cwd=root)
    assert "internal error" not in run.stderr and run.code == 1, run.stderr
    codes = [d["code"] for d in run.json()["diagnostics"] if d["file"].endswith("aria.yaml")]
    assert codes == ["HF0131"], run.stdout


def test_a_portrait_leaving_the_project_with_backslashes_is_said_so(project_factory):
    """`..\\..\\..\\outside\\p.png` was HF0306 "does not exist" on Linux (one odd file
    name there), where Windows, building the same commit, reads it as leaving the
    project: HF0307 on every system, nothing looked up; inside the project a backslash
    path is still named with the file it means (HF0306, "Did you mean …")."""
    root = project_factory({"content/assets/p.png": PNG,
                            "content/heroes/out.yaml": _hero("Out", "..\\..\\..\\outside\\p.png"),
                            "content/heroes/up.yaml": _hero("Up", "..\\..\\..\\p.png"),
                            "content/heroes/windows.yaml": _hero("Windows", "..\\assets\\p.png")})
    (root.parent / "outside").mkdir(exist_ok=True)
    (root.parent / "outside/p.png").write_bytes(PNG)
    run = foundry("check", "--format", "json", cwd=root)
    found = {d["file"].rsplit("/", 1)[1]: (d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]}
    assert found == {"out.yaml": ("HF0307", 3, 12), "up.yaml": ("HF0307", 3, 12), "windows.yaml": ("HF0306", 3, 12)}, found
