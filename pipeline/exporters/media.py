"""Processed media under build/site/media/: cleaned images and WebP derivatives, and
voice-over clips, shared by every output that shows or plays them."""

from __future__ import annotations

from ..confine import read_confined
from ..load.media import derivative_widths, distinct_images, media_path, render_image
from ..voice.audio import MAX_BYTES as MAX_AUDIO_BYTES
from ..load.untagged import without_tags
from .base import Plan, Planned, PlanParts, RenderContext, Untemplated, Whole


class MediaExporter(Whole, Untemplated):
    name = "media"
    version = "1"

    def plan(self, world, parts: PlanParts | None = None) -> Plan:
        plans = {}
        for asset in distinct_images(world.portraits.values()):
            plans[media_path(asset)] = Planned(media_path(asset), (asset, None))
            for width in derivative_widths(asset):
                plans[media_path(asset, width)] = Planned(media_path(asset, width), (asset, width))
        for clip in (world.voice.clips if world.voice is not None else ()):
            plans[clip.media_path] = Planned(clip.media_path, ("audio", clip))
        return Plan(tuple(plans[p] for p in sorted(plans)))

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        if item.data[0] == "audio":
            # Its sound as checked (audio.py decoded it to the end), without its tags (who
            # recorded it, where: load/untagged.py); the name holds the recording's hash,
            # so a changed recording is a new artifact. Read as every file is: confined.
            return without_tags(read_confined(item.data[1].absolute, MAX_AUDIO_BYTES))
        asset, width = item.data
        # The name holds the image's hash already; recorded anyway, so that every file a
        # render opens is an input the engine knows (tests/speed/test_recorded_reads.py).
        ctx.reads.add(f"asset:{asset.path}")
        return render_image(asset, width)
