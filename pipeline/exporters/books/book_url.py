"""The address a book's page is laid out under, and its theme files' below it.

One place for both: the books' fetcher serves by them (exporters/pdf/fetcher.py) and
svg_cost.py resolves an SVG's references against them, as WeasyPrint does, so that a
reference counted is the file drawn. `.invalid` is reserved: the address resolves
nowhere outside the build.
"""

BASE_URL = "https://foundry-book.invalid/"
THEME = "theme/"
