"""Loading: bytes on disk → documents with positions. Nothing here knows what a hero is."""
