"""Which voice-over a story scene plays, in reading order, for the site's player."""

from __future__ import annotations

from typing import Any

from ..l10n.lines import story_lines


def scene_voice(world: Any, sid: str, language: str) -> dict[str, list[dict[str, str]]]:
    """scene id → the clips of its lines in `language` (heading, paragraphs, choices,
    as read), each `{line, path (build path), mime}`; scenes without voice are absent.
    Reads `world.voice` (a tracked input: a new recording re-renders the page)."""
    voice = world.voice
    if voice is None or not voice.clips:
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    scene = None
    for line in story_lines(sid, world.stories[sid]):
        if line.kind == "scene-title":
            scene = line.id.rsplit(".scene.", 1)[1]
        clip = voice.get(language, line.id) if scene is not None else None
        if clip is not None:
            out.setdefault(scene, []).append({"line": line.id, "path": clip.media_path, "mime": clip.audio.mime})
    return out
