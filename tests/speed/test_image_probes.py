"""An image's probe (its size, format and what it reports: load/media.py probe_image,
which decodes every pixel) is kept in the parse cache under the hash the build took
of its bytes (resolve/world.py `_StoredProbes`): a build after an edit elsewhere
neither reads nor decodes an unchanged portrait, and says of it exactly what the
first build said; a changed image, or a kept row this code did not write in its
shape, or one that does not verify, is probed again."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.resolve import world as world_module
from support import parse_cache_rows, rewrite_parse_cache, write_project

HERO = "content/heroes/first-hero.yaml"


def _animated(colour: str) -> bytes:
    """A two-frame WebP: usable, and reported (HF0753: only its first frame is published)."""
    frames = [Image.new("RGB", (8, 8), colour), Image.new("RGB", (8, 8), "white")]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


@pytest.fixture
def root(tmp_path):
    root = write_project(tmp_path / "world", {"content/assets/rook.webp": _animated("red")})
    hero = root / HERO
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: ../assets/rook.webp\n", encoding="utf-8")
    return root


def _built(root, edit: str) -> list:
    """Every diagnostic of a JSON build after a comment is added to the hero (never the
    no-op shortcut), as plain data."""
    hero = root / HERO
    hero.write_text(hero.read_text(encoding="utf-8") + f"# {edit}\n", encoding="utf-8")
    diags = Diagnostics()
    assert build(root, diags, only=["json"]).ok, [d.message for d in diags.items]
    return [(d.severity, d.code, d.message, d.span, d.hint) for d in diags.items]


def _probes(monkeypatch) -> list:
    """The images probe_image is asked to probe from now on."""
    asked = []
    real = world_module.probe_image

    def counted(path, *args, **kwargs):
        asked.append(path.name)
        return real(path, *args, **kwargs)
    monkeypatch.setattr(world_module, "probe_image", counted)
    return asked


def test_an_unchanged_image_is_not_probed_again(root, monkeypatch):
    asked = _probes(monkeypatch)
    first = _built(root, "one")
    assert asked == ["rook.webp"]
    assert [d for d in first if d[1] == "HF0753"] and first[[d[1] for d in first].index("HF0753")][3].path == HERO
    assert _built(root, "two") == first
    assert asked == ["rook.webp"]   # the kept probe, with its warning at the hero's line
    (root / "content/assets/rook.webp").write_bytes(_animated("blue"))
    assert _built(root, "three") == first
    assert asked == ["rook.webp", "rook.webp"]   # other bytes: probed again


def test_a_kept_probe_in_another_shape_or_unsealed_is_probed_again(root, monkeypatch):
    first = _built(root, "one")
    secret = seal.key(root)
    shapes = [{"probe": ["0" * 64, 8, 8, "WEBP"], "problems": []},   # another image's hash
              {"probe": [None, "8", 8, "WEBP"], "problems": []}, {"probe": None}, [], "x"]
    for shape in shapes:
        rows = []
        for key, payload, tag in parse_cache_rows(root):
            if '"probe"' in payload:
                payload = json.dumps(shape)
                tag = seal.mac(secret, f"cache:parsed:{key}", payload.encode())
            rows.append((key, payload, tag))
        rewrite_parse_cache(root, rows)
        asked = _probes(monkeypatch)
        assert _built(root, f"shape {shape}") == first
        assert asked == ["rook.webp"], shape
    forged = [(key, payload.replace("WEBP", "PNG"), tag) for key, payload, tag in parse_cache_rows(root)]
    rewrite_parse_cache(root, forged)   # the payload changed, its MAC kept: it does not verify
    asked = _probes(monkeypatch)
    assert _built(root, "forged") == first
    assert asked == ["rook.webp"]


def test_an_unchanged_images_pixels_are_kept_with_its_probe(root, monkeypatch):
    """The portraits' picture budget (resolve/portrait_budget.py) counts each image by
    its header before any is probed: its count is kept in the probe's row, so a build
    after an edit elsewhere reads no header either (10,000 heroes naming 200 images: no
    image opened), and a changed image is counted again. The budget (200 pixels) is low
    enough that the one image (two frames of 64 pixels) is counted, not refused."""
    monkeypatch.setenv("FOUNDRY_PICTURE_PIXELS", "200")
    asked, counted = _probes(monkeypatch), []
    real = world_module.header_pixels

    def header(path):
        counted.append(path.name)
        return real(path)
    monkeypatch.setattr(world_module, "header_pixels", header)
    first = _built(root, "one")
    assert counted == ["rook.webp"] and asked == ["rook.webp"]
    assert _built(root, "two") == first
    assert counted == ["rook.webp"] and asked == ["rook.webp"]   # neither read nor decoded
    (root / "content/assets/rook.webp").write_bytes(_animated("blue"))
    assert _built(root, "three") == first
    assert counted == ["rook.webp"] * 2 and asked == ["rook.webp"] * 2
