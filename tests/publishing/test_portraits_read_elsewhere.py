"""A build after a portrait changed where the inputs' digest does not look (a hidden
file, a link outside content/ turned to another folder) publishes the new picture:
`foundry build` said everything was unchanged and kept the old one."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from support import foundry, write_project


def _png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(out, "PNG")
    return out.getvalue()


def _media(root):
    folder = root / "build/site/media"
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _build(root):
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.err
    return _media(root)


def _site(root):
    site = root / "build/site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _turned(tmp_path, files, link, before, after):
    """The site built from `files` with `link` -> `before`, then again with it turned to
    `after`, beside a clean build made with `after`: (first, then, clean)."""
    root = write_project(tmp_path / "served", files)
    os.symlink(before, root / link)
    _build(root)
    first = _site(root)
    os.remove(root / link)
    os.symlink(after, root / link)
    clean = write_project(tmp_path / "clean", files)
    os.symlink(after, clean / link)
    _build(root)
    _build(clean)
    return first, _site(root), _site(clean)


def test_a_hidden_portrait_replaced_is_published_anew(tmp_path):
    files = {"content/heroes/.rook.png": _png((255, 0, 0)),
             "content/heroes/wen.yaml": "name: Wen\nportrait: .rook.png\n"}
    root = write_project(tmp_path / "served", files)
    first = _build(root)
    (root / "content/heroes/.rook.png").write_bytes(_png((0, 0, 255)))
    clean = write_project(tmp_path / "clean", {**files, "content/heroes/.rook.png": _png((0, 0, 255))})
    assert _build(root) == _build(clean) != first


def test_a_portrait_through_a_linked_folder_turned_elsewhere_is_published_anew(tmp_path):
    files = {"art/wen.png": _png((255, 0, 0)), "art2/wen.png": _png((0, 0, 255)),
             "content/heroes/wen.yaml": "name: Wen\nportrait: ../../pics/wen.png\n"}
    root = write_project(tmp_path / "served", files)
    os.symlink("art", root / "pics")
    first = _build(root)
    os.remove(root / "pics")
    os.symlink("art2", root / "pics")
    clean = write_project(tmp_path / "clean", files)
    os.symlink("art2", clean / "pics")
    assert _build(root) == _build(clean) != first


def test_a_hidden_portrait_is_published_under_a_name_that_is_not_hidden(tmp_path):
    # `media/.rook-….png` is a hidden file: GitHub Pages' Jekyll leaves it out of the
    # site and many servers refuse it, so the hero's page showed a broken picture
    from lxml import html as lxml_html
    root = write_project(tmp_path / "world", {"content/heroes/.rook.png": _png((255, 0, 0)),
                                              "content/heroes/wen.yaml": "name: Wen\nportrait: .rook.png\n"})
    names = list(_build(root))
    assert names and not any(name.startswith(".") for name in names), names
    page = lxml_html.fromstring((root / "build/site/heroes/wen.html").read_bytes())
    shown = [img.get("src") for img in page.iter("img") if "media/" in img.get("src", "")]
    assert shown and all(src.rpartition("/")[2] in names for src in shown), shown


def test_a_portrait_link_turned_to_the_same_bytes_under_another_name_is_published_anew(tmp_path):
    # `content/heroes/rook.png -> ../../art/v1.png` turned to `v2.png`, a copy: the bytes
    # read are the same, but the file's name is published (media/v1-….png); the build
    # said "0 written" and kept v1-….png where a clean build writes v2-….png
    red = _png((255, 0, 0))
    files = {"art/v1.png": red, "art/v2.png": red, "content/heroes/wen.yaml": "name: Wen\nportrait: rook.png\n"}
    first, then, clean = _turned(tmp_path, files, "content/heroes/rook.png", "../../art/v1.png", "../../art/v2.png")
    assert then == clean != first


def test_a_linked_folder_turned_to_a_copy_is_published_with_the_path_it_now_leads_to(tmp_path):
    # `pics -> art` turned to `pics -> art2` holding the same picture: the JSON names
    # the file a portrait was read from, and kept `art/wen.png`
    red = _png((255, 0, 0))
    files = {"art/wen.png": red, "art2/wen.png": red,
             "content/heroes/wen.yaml": "name: Wen\nportrait: ../../pics/wen.png\n"}
    root = write_project(tmp_path / "served", files)
    os.symlink("art", root / "pics")
    run = foundry("build", "--only", "json", "--project", str(root))
    assert run.code == 0, run.err
    os.remove(root / "pics")
    os.symlink("art2", root / "pics")
    clean = write_project(tmp_path / "clean", files)
    os.symlink("art2", clean / "pics")
    for project in (root, clean):
        run = foundry("build", "--only", "json", "--project", str(project))
        assert run.code == 0, run.err
    shown = {p.relative_to(root / "build").as_posix(): p.read_bytes()
             for p in (root / "build").rglob("*") if p.is_file() and ".foundry" not in p.parts}
    wanted = {p.relative_to(clean / "build").as_posix(): p.read_bytes()
              for p in (clean / "build").rglob("*") if p.is_file() and ".foundry" not in p.parts}
    assert shown == wanted
    assert any(b"art2/wen.png" in data for data in shown.values())


def test_a_page_whose_portrait_a_link_turned_to_another_image_shows_the_new_one(tmp_path):
    # Wen's `../../pics/wen.png` (pics -> art) and Di's `../../art/wen.png`: pics turned
    # to art2, Wen's page kept the red picture, since its reads (hero:wen, Wen's file
    # unchanged, and asset:art/wen.png, still Di's, unchanged) said nothing moved
    files = {"art/wen.png": _png((255, 0, 0)), "art2/wen.png": _png((0, 0, 255)),
             "content/heroes/wen.yaml": "name: Wen\nportrait: ../../pics/wen.png\n",
             "content/heroes/di.yaml": "name: Di\nportrait: ../../art/wen.png\n"}
    first, then, clean = _turned(tmp_path, files, "pics", "art", "art2")
    assert then == clean and then["heroes/wen.html"] != first["heroes/wen.html"]


def test_a_portrait_whose_link_a_dotdot_folds_away_is_published_where_it_now_leads(tmp_path):
    # `portrait: l/../wen.png` reads as content/heroes/wen.png while l -> sub (Di's
    # picture); l turned to ../../deep/a leads it to deep/wen.png, and no input changed
    # (both folders empty): the build said "0 written" and kept Di's picture on Wen's page
    files = {"content/heroes/sub/.keep": "", "deep/a/.keep": "",
             "content/heroes/wen.png": _png((255, 0, 0)), "deep/wen.png": _png((0, 0, 255)),
             "content/heroes/wen.yaml": "name: Wen\nportrait: l/../wen.png\n",
             "content/heroes/di.yaml": "name: Di\nportrait: wen.png\n"}
    first, then, clean = _turned(tmp_path, files, "content/heroes/l", "sub", "../../deep/a")
    assert then == clean and then["heroes/wen.html"] != first["heroes/wen.html"]


@pytest.mark.parametrize("note", ["", "# a comment\n"])
def test_a_portrait_file_turned_into_a_link_to_a_copy_is_published_where_it_now_leads(tmp_path, note):
    # content/heroes/rook.png, a file, replaced by a link to ../../art/v1.png holding the
    # same bytes: the fingerprint hashed the path and the bytes, both unchanged, and the
    # last build read nothing elsewhere, so the build said "0 written" and kept
    # media/rook-….png and `source: content/heroes/rook.png` where a clean build
    # publishes v1-….png from art/v1.png. With a comment added to Wen's file in the same
    # build, the early cutoff (engine/cutoff.py) took it for that comment alone.
    red = _png((255, 0, 0))
    files = {"art/v1.png": red, "content/heroes/rook.png": red,
             "content/heroes/wen.yaml": "name: Wen\nportrait: rook.png\n"}
    root = write_project(tmp_path / "served", files)
    run = foundry("build", "--only", "json,html", "--project", str(root))
    assert run.code == 0, run.err
    files["content/heroes/wen.yaml"] += note
    (root / "content/heroes/wen.yaml").write_text(files["content/heroes/wen.yaml"])
    os.remove(root / "content/heroes/rook.png")
    os.symlink("../../art/v1.png", root / "content/heroes/rook.png")
    clean = write_project(tmp_path / "clean", {k: v for k, v in files.items() if k != "content/heroes/rook.png"})
    os.symlink("../../art/v1.png", clean / "content/heroes/rook.png")
    for project in (root, clean):
        run = foundry("build", "--only", "json,html", "--project", str(project))
        assert run.code == 0, run.err
    shown, wanted = (
        {p.relative_to(project / "build").as_posix(): p.read_bytes()
         for p in (project / "build").rglob("*") if p.is_file() and ".foundry" not in p.parts}
        for project in (root, clean))
    assert shown == wanted
    assert b'"source": "art/v1.png"' in shown["api/v1/heroes/wen.json"]
