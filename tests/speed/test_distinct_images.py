"""Most heroes share a portrait image (10,000 heroes show ~50 images at the benchmark's
scale): the media plan and the site's list of media files make each image's paths once
(load/media.py `distinct_images`), and plan exactly what one pass per portrait planned:
the same paths, each Planned with the last portrait's Asset, whatever the order."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pipeline.exporters.media as media_module
from pipeline.exporters.base import Planned
from pipeline.exporters.html.exporter import _media
from pipeline.exporters.media import MediaExporter
from pipeline.load.media import derivative_widths, media_path
from pipeline.resolve.world import Asset


def _asset(path: str, sha: str, width: int, at: int) -> Asset:
    return Asset(path, Path("/p") / path, at=lambda at=at: at, sha256=sha, width=width, height=width, format="PNG")


def _portraits() -> dict[str, Asset]:
    # two images shown by many people, one of them under a second name that folds alike
    # (one copy, load/media.py `media_path`), and an image shown by one person
    out = {}
    for i in range(40):
        out[f"hero-{i}"] = _asset("content/assets/a.png", "a" * 64, 2000, i) if i % 3 else \
            _asset("content/assets/b.png", "b" * 64, 700, i)
    out["hero-40"] = _asset("content/other/A.png", "a" * 64, 2000, 40)
    out["hero-41"] = _asset("content/assets/a.png", "a" * 64, 2000, 41)
    out["hero-42"] = _asset("content/assets/c.png", "c" * 64, 100, 42)
    return out


def _one_pass_per_portrait(world) -> dict[str, Planned]:
    """The plan as it was made before: every portrait's paths, in order, the last one winning."""
    plans = {}
    for asset in world.portraits.values():
        plans[media_path(asset)] = Planned(media_path(asset), (asset, None))
        for width in derivative_widths(asset):
            plans[media_path(asset, width)] = Planned(media_path(asset, width), (asset, width))
    return plans


def test_each_image_planned_once_as_one_pass_per_portrait_planned_it(monkeypatch):
    world = SimpleNamespace(portraits=_portraits(), voice=None)
    expected = _one_pass_per_portrait(world)
    calls = []
    monkeypatch.setattr(media_module, "media_path", lambda asset, width=None: calls.append(asset) or
                        media_path(asset, width))
    plan = MediaExporter().plan(world)
    assert [item.path for item in plan.items] == sorted(expected)
    for item in plan.items:   # the same Asset object as before: the last portrait's
        assert item.data[0] is expected[item.path].data[0] and item.data == expected[item.path].data
    # each of the four images' paths made once (two calls per path), not once per portrait
    images = {id(asset): asset for asset in calls}
    assert len(images) == 4
    assert len(calls) == sum(2 * (1 + len(derivative_widths(asset))) for asset in images.values())
    # the site's link check knows the same media files
    assert _media(world, None) == set(expected)
