"""The address a book's page is laid out under, and its theme files' below it.

One place for both, and for the file an address names (`file_address`): the books' fetcher serves by them (exporters/pdf/fetcher.py) and
svg_cost.py resolves an SVG's references against them, as WeasyPrint does, so that a
reference counted is the file drawn. `.invalid` is reserved: the address resolves
nowhere outside the build.
"""

BASE_URL = "https://foundry-book.invalid/"
THEME = "theme/"


def file_address(url: str) -> str:
    """The file an absolute address names: the address before its `?query` and
    `#fragment`, which a browser and WeasyPrint's own fetcher drop when reading a file
    (a font kit writes `x.woff2?v=3`, `x.eot?#iefix`, `x.svg#Font`). Taken after
    resolving, so a `..` in the query moves nothing and the file stays confined by its
    path alone. Check (theme_addresses.py, svg_cost.py, css_imports.py) and the book's
    fetcher judge the same file."""
    return url.split("#", 1)[0].split("?", 1)[0]
