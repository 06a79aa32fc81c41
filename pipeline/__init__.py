"""Hero Foundry: publish game worlds kept in git."""

try:  # written by setuptools-scm from the git tag when the package is built or installed
    from ._version import __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"
