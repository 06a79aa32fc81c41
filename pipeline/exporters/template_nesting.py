"""A theme template's unclosed or stray block tag, said in a writer's words.

Jinja says a missing `{% endif %}` as "Encountered unknown tag 'endblock'. You probably
made a nesting mistake…", at the tag where it gave up (often the template's last line),
and check's hint took `endblock` for a misspelling ("Did you mean 'block'?"): followed,
the template broke worse. Here the block left open is found by lexing the template
(Jinja's own lexer, so `{% raw %}`, comments and whitespace control read as it reads
them), and the diagnostic names it, its line, and the `{% end… %}` that closes it."""

from __future__ import annotations

import re

import jinja2

# Block tags that open a body closed by `{% end<tag> %}` (`set` only without `=`).
_OPENERS = ("if", "for", "block", "macro", "call", "filter", "with", "set", "autoescape", "trans")
_KNOWN = {*_OPENERS, *(f"end{t}" for t in _OPENERS), "elif", "else", "pluralize", "extends", "include",
          "import", "from", "raw", "endraw", "do", "break", "continue"}
# tags that divide a block's body, and the blocks they may divide
_PARTS_OF = {"else": ("if", "for"), "elif": ("if",), "pluralize": ("trans",)}
_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
_STRAY = re.compile(r"^Encountered unknown tag '(end(\w+))'\.$")
_UNKNOWN = re.compile(r"^Encountered unknown tag '(\w+)'")


def _open_blocks(env: jinja2.Environment, source: str, before: int) -> list[tuple[str, int]]:
    """(tag, line) of each block still open at line `before` (exclusive of tags after
    it), outermost first; [] when the template does not lex."""
    stack: list[tuple[str, int]] = []
    statement: list[tuple[int, str, str]] = []
    inside = False
    try:
        for line, kind, value in env.lex(source):
            if line > before:
                break
            if kind == "block_begin":
                inside, statement = True, []
            elif kind == "block_end" and inside:
                inside = False
                if not statement or statement[0][1] != "name":
                    continue
                tag, at = statement[0][2], statement[0][0]
                if tag in _OPENERS and not (tag == "set" and any(v == "=" for _, k, v in statement)):
                    stack.append((tag, at))
                elif tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
                    stack.pop()
            elif inside and kind != "whitespace":
                statement.append((line, kind, value))
    except jinja2.TemplateSyntaxError:
        return []
    return stack


def nesting_problem(env: jinja2.Environment, source: str, message: str, line: int) -> tuple[str, int, str] | None:
    """(message, line, hint) for Jinja's syntax error `message` at `line` when it is a
    block left open or an end tag closing none; None for any other syntax error."""
    innermost = _INNERMOST.search(message)
    if innermost is not None:
        tag = innermost.group(1)
        stack = _open_blocks(env, source, line)
        found = _UNKNOWN.match(message)
        if found and found.group(1) not in _KNOWN:
            return None   # `{% endfi %}`: a misspelling, the syntax hint's to name
        closing = found.group(1)[3:] if found and found.group(1).startswith("end") else None
        if stack and closing in _OPENERS and all(t != closing for t, _ in stack):
            return _stray(f"end{closing}", closing, line)   # (an `{% endif %}` inside a block, no `if` open)
        if found and found.group(1) in _PARTS_OF and tag not in _PARTS_OF[found.group(1)]:
            return _stray_part(found.group(1), line)   # (an `{% else %}` inside a block, no `if` open)
        opened = [at for t, at in stack if t == tag]
        where = f" (line {opened[-1]})" if opened else ""
        ended = message.startswith("Unexpected end of template")
        if ended:
            said = f"the `{{% {tag} %}}`{where} is never closed: the template ends first"
        else:
            said = (f"`{{% {found.group(1) if found else 'end'} %}}` comes while the `{{% {tag} %}}`{where} "
                    "is still open")
        return said, line, (f"Close the `{{% {tag} %}}`{where} with `{{% end{tag} %}}` where its part ends"
                            + ("" if ended else ", before this line") + ", or remove it.")
    stray = _STRAY.match(message)
    if stray is not None and stray.group(2) in _OPENERS:
        return _stray(*stray.groups(), line)
    part = _UNKNOWN.match(message)
    if part is not None and part.group(1) in _PARTS_OF and message.endswith(f"'{part.group(1)}'."):
        return _stray_part(part.group(1), line)
    return None


def _stray_part(tag: str, line: int) -> tuple[str, int, str]:
    """An `{% else %}`, `{% elif %}` or `{% pluralize %}` outside the block it belongs in
    (its hint was a near tag name: "Did you mean 'endset'?")."""
    owners = _PARTS_OF[tag]
    within = " or ".join(f"`{{% {o} %}}`" for o in owners)
    return (f"`{{% {tag} %}}` is inside no {within}", line,
            f"Remove it, or move it between an `{{% {owners[0]} … %}}` and its `{{% end{owners[0]} %}}`.")


def _stray(end: str, tag: str, line: int) -> tuple[str, int, str]:
    """An `{% end<tag> %}` with no `{% <tag> %}` open."""
    return (f"`{{% {end} %}}` closes no `{{% {tag} %}}`", line,
            f"Remove it, or add the `{{% {tag} … %}}` it closes above it.")
