"""CLI verbs beyond check and build, one module each; importing registers them."""

from . import hero, init, play, schemas  # noqa: F401
