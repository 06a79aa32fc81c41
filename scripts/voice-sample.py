#!/usr/bin/env python3
"""Voice the sample world's first scene of The Sunken Keep, in English and German.

The voice-over the sample ships (content/audio/<language>/<line id>.opus) is made
by this script, not recorded: espeak-ng (Debian package `espeak-ng`) speaks each
line to WAV, and opusenc (Debian package `opus-tools`) encodes it as Ogg Opus at
8 kbit/s mono, about 1 KB a second of speech. The output is committed, so neither
tool is needed to build or test the sample; run this again after editing a voiced
line (or its German translation):

    apt-get install espeak-ng opus-tools
    python3 scripts/voice-sample.py            # from the repository root

The text of each line comes from foundry itself (the same lines `foundry l10n
status` counts), in each language, with its Markdown removed. The output is
reproducible: a fixed Ogg serial number, no date, no comments that vary.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.engine.builder import check  # noqa: E402
from pipeline.diagnostics import Diagnostics  # noqa: E402
from pipeline.l10n.lines import story_lines  # noqa: E402
from pipeline.l10n.markup import plain_text  # noqa: E402

STORY, SCENE = "the-sunken-keep", "moorings"
VOICES = {"en": "en-gb", "de": "de"}      # espeak-ng voice per language
KINDS = ("scene-title", "paragraph")       # the heading and the prose; choices are read by the reader


def scene_lines(world) -> list[str]:
    """The line ids of the scene, in reading order."""
    ids, inside = [], False
    for line in story_lines(STORY, world.stories[STORY]):
        if line.kind == "scene-title":
            inside = line.id.endswith(f".scene.{SCENE}")
        if inside and line.kind in KINDS:
            ids.append(line.id)
    return ids


def main() -> int:
    for tool in ("espeak-ng", "opusenc"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install espeak-ng opus-tools)", file=sys.stderr)
            return 2
    world = check(ROOT, Diagnostics())
    if world is None or world.l10n is None:
        print("the sample world does not load; run `foundry check`", file=sys.stderr)
        return 1
    wanted = scene_lines(world)
    for language, voice in VOICES.items():
        texts = {r.line.id: r.text for r in world.l10n.resolve(language) if r.status != "missing"}
        folder = ROOT / "content" / "audio" / language
        folder.mkdir(parents=True, exist_ok=True)
        for line_id in wanted:
            if line_id not in texts:
                print(f"{language}: {line_id} is not translated; not voiced", file=sys.stderr)
                continue
            text = " ".join(plain_text(texts[line_id]).split())
            with tempfile.TemporaryDirectory() as tmp:
                wav = Path(tmp) / "line.wav"
                subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
                target = folder / f"{line_id}.opus"
                subprocess.run(["opusenc", "--quiet", "--speech", "--bitrate", "8", "--downmix-mono", "--serial", "1",
                                "--discard-comments", str(wav), str(target)], check=True)
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
