"""The theme's stylesheets and scripts, minified as they are published.

rcssmin and rjsmin (one author, maintained since 2011, pure Python with a C speed-up)
remove comments and whitespace only: no renaming, no reordering, so what runs is what
the theme wrote. A file either library cannot handle is published as written.
"""

from __future__ import annotations


def minify(name: str, data: bytes) -> bytes:
    """`data` of the static file `name`, minified when it is CSS or JavaScript."""
    # imported here: a build after an edit renders no stylesheet or script (theirs are
    # kept), and the two imports were ~10 ms of every build's start
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if name.endswith(".css"):
        import rcssmin
        return (rcssmin.cssmin(text) + "\n").encode("utf-8")
    if name.endswith(".js"):
        import rjsmin
        return (rjsmin.jsmin(text) + "\n").encode("utf-8")
    return data
