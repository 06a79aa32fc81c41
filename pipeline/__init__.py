"""Hero Foundry: publish game worlds kept in git."""

__version__ = "0.1.0"
