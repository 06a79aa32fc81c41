"""Importing stories written in other tools: Twine 2 (HTML or Twee 3, SugarCube 2 or
Harlowe 3) and ink, into our story format (docs/importing.md).

One module per source format reads it into an ImportedStory (model.py); writer.py
writes that as `content/stories/<id>.md`. What cannot be carried over is reported
(HF10xx) and kept in the scene as a visible `imported` block, never dropped silently.
"""

from __future__ import annotations

from .model import ImportedChoice, ImportedScene, ImportedStory, Kept
from .writer import story_text

__all__ = ["ImportedChoice", "ImportedScene", "ImportedStory", "Kept", "story_text"]
