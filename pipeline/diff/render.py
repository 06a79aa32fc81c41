"""A WorldDiff as text for the terminal, Markdown for a pull-request comment, or JSON.

Content is untrusted (it may come from a stranger's pull request): in Markdown every
value taken from content goes into a code span, so it can neither format the comment
nor @-mention anyone.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any, Callable

from ..console.terminal import printable
from ..diagnostics import clip, code_span
from .model import EntityDiff, Item, WorldDiff

FORMATS = ("text", "markdown", "json")
MARKER = "<!-- foundry-diff -->"      # lets CI find and update its own comment
MAX_MARKDOWN = 60_000                 # GitHub refuses comments over 65,536 characters
MAX_VALUE = 80
LIST_LIMIT = 50                       # rows of one list in the comment (breaking changes, translations)
CUT = "run `foundry diff` for the full report."
STAT_LABELS = {"words": "words", "paths": "paths to an ending", "shortest": "shortest path",
               "longest": "longest path", "has_loops": "has loops", "complete": "analysis complete"}

Code = Callable[[str], str]


def render(diff: WorldDiff, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(diff.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
    return markdown(diff) if fmt == "markdown" else text(diff)


# --- one change in words ------------------------------------------------------------------------

def _plain(s: str) -> str:
    return s


def _is_prose(v: Any) -> bool:
    return isinstance(v, str) and ("\n" in v.strip() or len(v) > MAX_VALUE)


def _words(v: Any) -> int:
    return len(v.split()) if isinstance(v, str) else 0


def value(v: Any, code: Code) -> str:
    if v is None:
        return "—"
    if isinstance(v, list) and all(isinstance(x, (str, int, float, bool)) for x in v):
        shown = "[" + ", ".join(json.dumps(x, ensure_ascii=False) if not isinstance(x, str) else x for x in v) + "]"
    else:
        shown = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return code(clip(shown, MAX_VALUE))   # cut between whole characters (graphemes.py)


def describe(item: Item, code: Code = _plain) -> str:
    s, o, n = code(item.subject), item.old, item.new
    v = lambda x: value(x, code)  # noqa: E731
    section, change = item.section, item.change
    if section in ("field", "rule", "setting"):
        if _is_prose(o) or _is_prose(n):
            return f"{s}: rewritten ({_words(o)} → {_words(n)} words)"
        if isinstance(o, list) and isinstance(n, list) and change == "changed":
            return f"{s}: {_list_change(o, n, code)}"
        return f"{s}: {v(o)} → {v(n)}"
    if section == "derived":
        suffix = f" {item.note}" if item.note and item.subject != "level" else ""
        if item.note == "effective value" and isinstance(o, list) and isinstance(n, list):
            return f"{s} (effective value): {_list_change(o, n, code)}"
        if item.note == "effective value":
            return f"{s} (effective value): {v(o)} → {v(n)}"
        return f"{s}: {v(o)} → {v(n)}{suffix}"
    if section == "scene":
        return {"added": lambda: f"+ scene {s} {v(n)}", "removed": lambda: f"− scene {s} {v(o)}",
                "retitled": lambda: f"scene {s} title: {v(o)} → {v(n)}",
                "rewritten": lambda: f"scene {s}: text rewritten ({o} → {n} words)"}[change]()
    if section == "asset":
        return f"{s}: image replaced (same file name)" if change == "replaced" else \
            f"{s}: image added (none could be shown at the base)"
    if section == "ending":
        return f"{'+' if change == 'gained' else '−'} ending {s}"
    if section == "choice":
        return _choice(item, code)
    if section == "finding":
        sign = "+" if change == "appeared" else "−"
        return f"{sign} {item.subject} in scene {code(item.scene)}: {code(item.note)}"
    return f"{code(STAT_LABELS.get(item.subject, item.subject))}: {v(o)} → {v(n)}"   # statistic


def _choice(item: Item, code: Code) -> str:
    text, scene = value(item.subject, code), code(item.scene)
    o, n = item.old, item.new
    if item.change == "added":
        return f"+ choice {text} in scene {scene} → {code(n)}"
    if item.change == "removed":
        return f"− choice {text} in scene {scene} → {code(o)}"
    if item.change == "retargeted":
        return f"choice {text} in scene {scene} now leads to {code(n)} (was {code(o)})"
    if item.change == "reworded":
        return f"choice in scene {scene} reworded: {value(o, code)} → {value(n, code)}"
    return f"choice {text} in scene {scene}: {item.change} {value(o, code)} → {value(n, code)}"


def _list_change(old: list, new: list, code: Code) -> str:
    plus = [x for x in new if x not in old]
    minus = [x for x in old if x not in new]
    if not plus and not minus:
        return "reordered"
    return ", ".join([*(f"+ {code(str(x))}" for x in plus), *(f"− {code(str(x))}" for x in minus)])


def headline(e: EntityDiff, code: Code = _plain) -> str:
    name = f"{e.kind} {code(e.id)}"
    if e.status == "renamed":
        return f"{name} — renamed from {code(e.old_id or '')}"
    if e.status == "unloadable":
        if e.why:   # what stops it, as check says it (a link out of the project: HF0120); its words
            # quote file names and values: a code span in a pull-request comment, as every value is
            return f"{name} — does not load at the head: {code(e.why)}"
        return f"{name} — does not load at the head ({e.errors} error{'s' * (e.errors != 1)}; run foundry check)"
    if e.status == "fixed":
        return f"{name} — loads again (it did not load at the base)"
    return f"{name} — {e.status}"


# --- text ----------------------------------------------------------------------------------------

FILES_NOTE = "what pages and books show of them changes; a theme file may change every page"
EMPTIED_NOTE = "no longer translated"
UNUSED_HINT = "moves a translation to its line's new id when the words are the same"
STALE_CLIPS_NOTE = ("their lines' words changed and the recordings did not: they still say the old words "
                    "(record them again, content/audio/<language>/<line id>)")
UNUSED_CLIPS_NOTE = ("their lines are gone or have new ids, and the recordings play nowhere, or their language "
                     "shows no words of its own for them any more (a translation emptied: the recording says words "
                     "no page shows) (rename a clip to its line's new id, translate its line again, or remove it)")
MOVED_HINT = ("moves each to its paragraph, marked fuzzy to confirm; `foundry l10n tag` gives paragraphs ids "
              "that stay")


def _shown(diff: WorldDiff, language: str, escape, past: bool = False) -> str:
    """"; shown on pt-BR pages too where pt-BR has none" for a language others fall back to
    (`past`: "; pt-BR pages showed them too…", of translations no longer used)."""
    them = diff.also_shown(language)
    if not them:
        return ""
    names = ", ".join(escape(lang) for lang in them)
    where = f"where {'it has' if len(them) == 1 else 'they have'} none"
    return f"; {names} pages showed them too {where}" if past else f"; shown on {names} pages too {where}"


def text(diff: WorldDiff) -> str:
    lines = [f"Comparing {diff.base.title} → {diff.head.title}"]
    # notes, messages, ids, paths and values quote content (a file name can hold a
    # newline): each is escaped on its own, as one line, so the text's own line breaks
    # are the only ones
    lines += [f"note: {printable(n)}" for n in diff.notes]
    for d in diff.problems:
        lines.append(f"{d.severity.value} {d.code}: {printable(d.message)}"
                     + (f"\n    hint: {printable(d.hint)}" if d.hint else ""))
    for e in diff.entities:
        lines += ["", f"{headline(e, printable)}  {printable(e.path)}"]
        lines += [f"  {describe(i, printable)}" for i in e.items]
    for language, ids in diff.retranslated:
        lines += ["", f"Translations changed ({printable(language)}{_shown(diff, language, printable)}): {len(ids)}"]
        lines += [f"  {printable(i)}{_emptied(diff, language, i)}" for i in ids]
    for language, pairs in diff.moved:
        lines += ["", f"Translations moved with their words ({printable(language)}{_shown(diff, language, printable)}): "
                  f"{len(pairs)} — untagged "
                  f"paragraphs numbered anew (`foundry l10n extract` {MOVED_HINT})"]
        lines += [f"  {printable(line)} (was {printable(source)}'s)" for line, source in pairs]
    for language, ids in diff.stale:
        lines += ["", f"Translations made stale ({printable(language)}{_shown(diff, language, printable)}): {len(ids)}"]
        lines += [f"  {printable(i)}" for i in ids]
    for language, ids in diff.unused:
        lines += ["", f"Translations no longer used ({printable(language)}{_shown(diff, language, printable, True)}): "
                  f"{len(ids)} — their lines are gone "
                  f"or have new ids (`foundry l10n extract` {UNUSED_HINT})"] + [f"  {printable(i)}" for i in ids]
    for language, ids in diff.stale_clips:
        lines += ["", f"Voice clips made stale ({printable(language)}): {len(ids)} — {STALE_CLIPS_NOTE}"]
        lines += [f"  {printable(i)}" for i in ids]
    for language, ids in diff.unused_clips:
        lines += ["", f"Voice clips no longer used ({printable(language)}): {len(ids)} — {UNUSED_CLIPS_NOTE}"]
        lines += [f"  {printable(i)}" for i in ids]
    if diff.files:
        lines += ["", f"Theme and asset files ({len(diff.files)}; {FILES_NOTE}):"]
        lines += [f"  {printable(path)} {change}" for path, change in diff.files]
    if diff.new_errors:
        lines += ["", f"New errors at the head ({len(diff.new_errors)}; `foundry check` says where):"]
        lines += [f"  {printable(c)} {printable(f)}: {printable(m)}" for c, f, m in diff.new_errors_said()]
    if diff.fixed_errors:
        lines += ["", f"Errors fixed at the head ({len(diff.fixed_errors)}; the base had them):"]
        lines += [f"  {printable(c)} {printable(f)}: {printable(m)}" for c, f, m in diff.fixed_errors_said()]
    if diff.breaking:
        lines += ["", "Breaking changes for the JSON contract:"]
        lines += [f"  {message}" for _, message in diff.breaking]
    lines += ["", diff.summary()]
    return "\n".join(lines)


def _emptied(diff: WorldDiff, language: str, line: str) -> str:
    """What follows a changed translation's line id when the head has none for it: its
    page shows the source words (a translation taken away read as one reworded)."""
    return f" — {EMPTIED_NOTE}" if line in diff.emptied(language) else ""


# --- Markdown ------------------------------------------------------------------------------------

def markdown(diff: WorldDiff) -> str:
    head = [MARKER, "### Foundry diff", "", f"**{diff.summary()}**", "",
            f"{code_span(diff.base.title)} → {code_span(diff.head.title)}"]
    head += [f"\n> **Note:** {_escape(n)}" for n in diff.notes]
    for d in diff.problems:
        head.append(f"\n> **{d.code}** {_escape(d.message)}" + (f" — {_escape(d.hint)}" if d.hint else ""))
    for language, ids in diff.retranslated:
        head += ["", f"**Translations changed ({_escape(language)}{_shown(diff, language, _escape)}): {len(ids)}**", ""]
        head += _listed([f"{code_span(i)}{_emptied(diff, language, i)}" for i in ids])
    for language, pairs in diff.moved:
        head += ["", f"**Translations moved with their words ({_escape(language)}{_shown(diff, language, _escape)}): "
                 f"{len(pairs)}** — untagged "
                 f"paragraphs numbered anew ({code_span('foundry l10n extract')} {MOVED_HINT})", ""]
        head += _listed([f"{code_span(line)} (was {code_span(source)}'s)" for line, source in pairs])
    for language, ids in diff.stale:
        head += ["", f"**Translations made stale ({_escape(language)}{_shown(diff, language, _escape)}): {len(ids)}**",
                 ""]
        head += _listed([code_span(i) for i in ids])
    for language, ids in diff.unused:
        head += ["", f"**Translations no longer used ({_escape(language)}{_shown(diff, language, _escape, True)}): "
                 f"{len(ids)}** — their lines are gone "
                 f"or have new ids ({code_span('foundry l10n extract')} {UNUSED_HINT})", ""]
        head += _listed([code_span(i) for i in ids])
    for language, ids in diff.stale_clips:
        head += ["", f"**Voice clips made stale ({_escape(language)}): {len(ids)}** — {_escape(STALE_CLIPS_NOTE)}", ""]
        head += _listed([code_span(i) for i in ids])
    for language, ids in diff.unused_clips:
        head += ["", f"**Voice clips no longer used ({_escape(language)}): {len(ids)}** — {_escape(UNUSED_CLIPS_NOTE)}", ""]
        head += _listed([code_span(i) for i in ids])
    if diff.files:
        head += ["", f"**Theme and asset files: {len(diff.files)}** ({FILES_NOTE})", ""]
        head += _listed([f"{code_span(path)} {change}" for path, change in diff.files])
    if diff.new_errors:
        head += ["", f"**New errors at the head: {len(diff.new_errors)}**", ""]
        head += _listed([f"{code_span(c)} {code_span(f)}: {code_span(m)}" for c, f, m in diff.new_errors])
    if diff.fixed_errors:
        head += ["", f"**Errors fixed at the head: {len(diff.fixed_errors)}** (the base had them)", ""]
        head += _listed([f"{code_span(c)} {code_span(f)}: {code_span(m)}" for c, f, m in diff.fixed_errors])
    if diff.breaking:
        head += ["", "**⚠️ Breaking changes for the JSON contract**", ""]
        head += _listed([_escape(message) for _, message in diff.breaking])
    out = "\n".join(head) + "\n"
    if len(out) > MAX_MARKDOWN:   # many languages' lists, each cut: the comment still fits
        out = out[:out.rfind("\n", 0, MAX_MARKDOWN - 200) + 1] + f"\n{CUT}\n"
        return out
    for i, e in enumerate(diff.entities):
        block = _details(e)
        if len(out) + len(block) > MAX_MARKDOWN:
            rest = len(diff.entities) - i
            out += f"\n… and {rest} more; {CUT}\n"
            break
        out += block
    return out


def _listed(lines: list[str], limit: int = LIST_LIMIT) -> list[str]:
    """A list for the comment: its first `limit` rows, then how many more. A list is
    as long as the pull request makes it (5,000 heroes removed, a story's every line made
    stale): in full, it passed GitHub's limit and the comment was refused."""
    if len(lines) <= limit:
        return [f"- {line}" for line in lines]
    return [f"- {line}" for line in lines[:limit]] + [f"- … and {len(lines) - limit} more"]


def _details(e: EntityDiff) -> str:
    # The headline's values are put in by hand, each escaped once for where it goes: an
    # HTML <code> in the <summary>, a Markdown code span in a list item (whose text is
    # shown as typed, entities included). Escaping the whole line after the values were
    # escaped showed `HF0203 &#x27;name&#x27; is required` in the comment, for every
    # quote, `&` and `<` in a message.
    values: list[str] = []
    slot = f"\x00{secrets.token_hex(8)}:"   # no content can hold it: it changes every call

    def keep(value: str) -> str:
        values.append(value)
        return f"{slot}{len(values) - 1}\x00"

    line = html.escape(headline(e, keep), quote=False)
    put = re.compile(re.escape(slot) + r"(\d+)\x00")
    mark = " ⚠️" if e.breaking else ""
    if not e.items:
        return f"\n- {put.sub(lambda m: code_span(values[int(m.group(1))]), line)}{mark} ({code_span(e.path)})\n"
    summary = put.sub(lambda m: f"<code>{html.escape(values[int(m.group(1))], quote=False)}</code>", line)
    body = "\n".join(f"- {describe(i, code_span)}" for i in e.items)
    return (f"\n<details><summary>{summary}{mark}</summary>\n\n{code_span(e.path)}\n\n{body}\n\n</details>\n")


def _escape(s: str) -> str:
    """Our own sentences quote ids (safe slugs) but may also quote revisions the user
    named: neutralise Markdown, HTML and mentions in them."""
    s = html.escape(s, quote=False)
    return re.sub(r"([\\`*_\[\]#|~@])", r"\\\1", s)
