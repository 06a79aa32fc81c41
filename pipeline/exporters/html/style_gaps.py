"""Custom properties the shipped page stylesheets still read that a project's own
`site.css` no longer defines.

The default site.css holds the design's tokens (`--ink-2`, `--space-3`, `--sea`…) and
each page type's part (entity.css, story.css…; styles.py) reads them with `var()`. A
project theme that replaces site.css and one part keeps our other parts linked after
its site.css (only a site.css with no part at all is linked alone), and a token its
site.css does not define makes the browser drop every declaration reading it: hero
pages lost their spacing and colours, with nothing said (a browser reports no CSS).
That is said once, at the project's site.css, naming each token and who reads it.
"""

from __future__ import annotations

import tinycss2

from ...diagnostics import Diagnostics, Severity, Span
from ..books.css_vars import declarations
from .styles import COMMON, PARTS, legacy_whole_site


def undefined_tokens(theme, diags: Diagnostics) -> None:
    """HF0703 (a warning) at line 1 of the project's own site.css when the shipped parts
    its pages still link read custom properties (without a fallback) that the shipped
    site.css defines and no stylesheet those pages link defines now."""
    own = frozenset(theme.project_static())
    if COMMON not in own or legacy_whole_site(own):
        return
    project, shipped = theme.dirs[0] / "static", theme.dirs[-1] / "static"
    try:
        ours = _sheet((shipped / COMMON).read_bytes())
        theirs = _sheet(theme.read(project / COMMON))
    except OSError:   # refused or unreadable: said where the theme's files are published
        return
    parts = {}
    for part in sorted(set(PARTS.values())):
        try:
            parts[part] = _sheet(theme.read(project / part) if part in own else (shipped / part).read_bytes())
        except OSError:
            continue
    defined = (_defined(theirs) | set().union(*(_defined(rules) for rules in parts.values()))
               | _imported(theme, own, project, shipped, theirs))
    readers: dict[str, set[str]] = {}
    for part, rules in parts.items():
        if part not in own:
            for name in _read(rules):
                readers.setdefault(name, set()).add(part)
    missing = sorted((set(readers) & _defined(ours)) - defined)
    if not missing:
        return
    shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
    by = ", ".join(sorted(set().union(*(readers[name] for name in missing))))
    diags.add("HF0703", f"site.css replaces the default theme's but defines no {shown}, which the default theme's "
                        f"{by} still read: a browser drops each declaration reading one (its colour, spacing or "
                        "size), with nothing said",
              Span(theme.label(str(project / COMMON)), 1, 1), severity=Severity.WARNING,
              hint="Define them in site.css (copy the :root rules of the default theme's: `foundry theme eject "
                   "--name scratch static/site.css` writes it to themes/scratch/), or override those stylesheets "
                   "too.")


# how many stylesheets site.css's @imports are followed through (an import of an import…)
_MOST_IMPORTS = 32


def _imported(theme, own: frozenset[str], project, shipped, rules) -> set[str]:
    """The custom properties defined by the stylesheets `rules` (site.css's) @import from
    the published assets, and those they import: a site.css of `@import "tokens.css"`
    defines its tokens as surely as one holding them (it was warned of every token).
    An import of another site or folder than the assets' own is not followed (its
    tokens are not known: taken as not defined)."""
    import posixpath

    found: set[str] = set()
    seen = {COMMON}
    queue = [("", rules)]
    while queue and len(seen) <= _MOST_IMPORTS:
        at, sheet = queue.pop()
        for rule in sheet:
            if rule.type != "at-rule" or rule.lower_at_keyword != "import":
                continue
            target = next((t for t in rule.prelude if t.type not in ("whitespace", "comment")), None)
            if target is None:
                continue
            if target.type == "function" and target.lower_name == "url":
                target = next((t for t in target.arguments if t.type == "string"), None)
            url = getattr(target, "value", None) if target is not None and target.type in ("string", "url") else None
            if not url or any(mark in url for mark in (":", "?", "#", "\\")) or url.startswith("/"):
                continue
            name = posixpath.normpath(posixpath.join(at, url))
            if name.startswith("..") or name in seen:
                continue
            seen.add(name)
            try:
                data = theme.read(project / name) if name in own else (shipped / name).read_bytes()
            except OSError:
                continue
            imported = _sheet(data)
            found |= _defined(imported)
            queue.append((posixpath.dirname(name), imported))
    return found


def _sheet(data: bytes) -> list:
    return tinycss2.parse_stylesheet(data.decode("utf-8", "replace"), skip_comments=True, skip_whitespace=True)


def _defined(rules) -> set[str]:
    return {d.name for d in declarations(rules) if d.name.startswith("--")}


def _read(rules) -> set[str]:
    """The custom properties `rules` read with `var()` and no fallback."""
    found: set[str] = set()

    def walk(tokens):
        for token in tokens:
            if token.type == "function":
                if token.lower_name == "var":
                    args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                    if args and args[0].type == "ident" and args[0].value.startswith("--") and not any(
                            t.type == "literal" and t.value == "," for t in args[1:]):
                        found.add(args[0].value)
                walk(token.arguments)
            elif token.type in ("() block", "[] block", "{} block"):
                walk(token.content)

    for declaration in declarations(rules):
        walk(declaration.value)
    return found
