"""CLI verbs beyond check and build, one module each; importing registers them."""

from . import hero, init, new, play, schemas  # noqa: F401
