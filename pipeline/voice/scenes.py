"""Which voice-over a story scene plays, in reading order, for the site's player."""

from __future__ import annotations

from typing import Any

from ..l10n.lines import story_lines


def scene_voice(world: Any, sid: str, language: str) -> dict[str, list[dict[str, str]]]:
    """scene id → the clips of its lines in `language` (heading, paragraphs, choices,
    as read), each `{line, path (build path), mime}`; scenes without voice are absent.
    The voice follows the words shown: a line a `pt-BR` page shows from `pt` (the
    localized World's `locale.via`) plays `pt`'s clip, as it reads `pt`'s text. Reads `world.voice` (a tracked input: a new
    recording re-renders the page)."""
    voice = world.voice
    if voice is None or not voice.clips:
        return {}
    locale = getattr(world, "locale", None)
    via = locale.via if locale is not None and locale.language == language else {}
    out: dict[str, list[dict[str, str]]] = {}
    scene = None
    for line in story_lines(sid, world.stories[sid]):
        if line.kind == "scene-title":
            scene = line.id.rsplit(".scene.", 1)[1]
        clip = voice.get(via.get(line.id, language), line.id) if scene is not None else None
        if clip is not None:
            out.setdefault(scene, []).append({"line": line.id, "path": clip.media_path, "mime": clip.audio.mime})
    return out
