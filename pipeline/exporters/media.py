"""Processed images under build/media/: cleaned originals and WebP derivatives,
shared by every output that shows them."""

from __future__ import annotations

from ..load.media import derivative_widths, media_path, render_image
from .base import Plan, Planned, RenderContext, Untemplated


class MediaExporter(Untemplated):
    name = "media"
    version = "1"

    def plan(self, world) -> Plan:
        plans = {}
        for asset in world.portraits.values():
            plans[media_path(asset)] = Planned(media_path(asset), (asset, None))
            for width in derivative_widths(asset):
                plans[media_path(asset, width)] = Planned(media_path(asset, width), (asset, width))
        return Plan(tuple(plans[p] for p in sorted(plans)))

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        asset, width = item.data
        return render_image(asset, width)
