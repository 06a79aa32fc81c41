"""CLI verbs beyond check and build, one module each; importing registers them."""

from . import codeowners, diff, hero, history, import_, init, l10n, new, play, schemas, serve  # noqa: F401
