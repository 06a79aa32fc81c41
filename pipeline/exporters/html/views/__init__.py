"""World → the plain data each template receives (documented in docs/themes.md)."""
