"""What `foundry diff` found: plain frozen data that the text, Markdown and JSON
renderers read. Nothing here knows how it was computed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, Severity, Span, said

MISSING = None  # a field absent on one side reads as null in JSON and "—" in text
PLURAL = {"hero": "heroes", "character": "characters", "quest": "quests", "story": "stories",
          "template": "templates", "rules": "rules", "project": "project"}
STATUSES = ("added", "removed", "renamed", "changed", "unloadable", "fixed")


@dataclass(frozen=True)
class Item:
    """One thing that changed inside an entity."""

    section: str     # field | setting | derived | asset | scene | choice | ending | finding | statistic
    subject: str     # a field path, a stat, a scene id, a finding code …
    change: str      # changed | added | removed | retargeted | reworded | retitled | rewritten | condition
                     # | effects | gained | lost | appeared | disappeared | replaced
    old: Any = None
    new: Any = None
    scene: str = ""  # for choices and findings: the scene they belong to
    note: str = ""   # for derived stats: the levels that moved; for findings: the message

    def to_json(self) -> dict:
        return {"section": self.section, "subject": self.subject, "change": self.change, "old": self.old,
                "new": self.new, "scene": self.scene or None, "note": self.note or None}


@dataclass(frozen=True)
class EntityDiff:
    kind: str
    id: str
    path: str
    status: str                      # one of STATUSES
    items: tuple[Item, ...] = ()
    old_id: str | None = None        # renamed: the id at the base
    old_path: str | None = None
    errors: int = 0                  # unloadable / fixed: errors in the file on the side that failed
    breaking: tuple[str, ...] = ()   # what this change breaks for engines reading the JSON
    why: str = ""                    # unloadable: the first error, its code and words (Snapshot.why)

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "path": self.path, "status": self.status,
                "old_id": self.old_id, "old_path": self.old_path, "errors": self.errors, "why": self.why or None,
                "breaking": list(self.breaking), "changes": [i.to_json() for i in self.items]}


@dataclass(frozen=True)
class Side:
    label: str                 # "working tree", "main", "merge base with origin/main" …
    commit: str | None         # None for the working tree
    loaded: bool
    errors: int = 0
    warnings: int = 0

    @property
    def title(self) -> str:
        if self.commit is None:
            return self.label
        short = self.commit[:12]
        return short if self.label in (self.commit, short) else f"{short} ({self.label})"

    def to_json(self) -> dict:
        return {"label": self.label, "commit": self.commit, "loaded": self.loaded, "errors": self.errors,
                "warnings": self.warnings}


@dataclass(frozen=True)
class WorldDiff:
    base: Side
    head: Side
    entities: tuple[EntityDiff, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[Diagnostic, ...] = ()   # HF0802: a side that does not load
    stale: tuple[tuple[str, tuple[str, ...]], ...] = ()   # language → line ids this change made stale
    unused: tuple[tuple[str, tuple[str, ...]], ...] = ()  # language → translated line ids the head lost
    retranslated: tuple[tuple[str, tuple[str, ...]], ...] = ()  # language → line ids whose translation changed
    new_errors: tuple[tuple[str, str, str], ...] = ()   # (code, file, message): errors the head has, the base not
    files: tuple[tuple[str, str], ...] = ()   # (path, added | removed | changed): theme and asset files (Snapshot.files)
    # language → the head's languages that fall back to it (`pt` → `pt-BR`, l10n/tags.py
    # fallbacks): its translations, changed or made stale, show on their pages too where
    # they have none of their own; a review of `pt` alone did not say so
    shown_in: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # language → (line id, line id whose translation it showed at the base): translations
    # that went with their words to another untagged paragraph's number (l10n/stale.py made_moved)
    moved: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # language → line ids whose voice clip, not recorded anew, says words the line no
    # longer shows in that language (voice/coverage.py made_stale_clips)
    stale_clips: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # language → line ids gone at the head whose clip it still has (made_unused_clips)
    unused_clips: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # language → those of `retranslated`'s lines the head has no translation for (emptied
    # or taken away: the page shows the source words; l10n/stale.py made_untranslated)
    untranslated: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (code, file, message): errors the base has, the head not (sides.new_errors the other
    # way): a pull request fixing one said only "1 hero changed", its review not knowing
    fixed_errors: tuple[tuple[str, str, str], ...] = ()

    def emptied(self, language: str) -> tuple[str, ...]:
        """The changed lines of `language` that the head shows no translation for."""
        return dict(self.untranslated).get(language, ())

    def also_shown(self, language: str) -> tuple[str, ...]:
        """The languages whose pages show `language`'s translations where they have none."""
        return dict(self.shown_in).get(language, ())

    @property
    def breaking(self) -> list[tuple[EntityDiff, str]]:
        return [(e, b) for e in self.entities for b in e.breaking]

    @property
    def failed(self) -> bool:
        """A side did not load, or the head has files that do not load."""
        return not (self.base.loaded and self.head.loaded) or any(e.status == "unloadable" for e in self.entities)

    def counts(self) -> dict[str, dict[str, int]]:
        """kind → status → number of entities."""
        out: dict[str, dict[str, int]] = {}
        for e in self.entities:
            per = out.setdefault(e.kind, {})
            per[e.status] = per.get(e.status, 0) + 1
        return out

    def file_counts(self) -> list[tuple[str, str, int]]:
        """(label, status, number) of the changed files: "theme file", "asset file"."""
        counts: dict[tuple[str, str], int] = {}
        for path, status in self.files:
            label = "theme file" if path.startswith("themes/") else \
                "voice clip" if path.startswith("content/audio/") else "asset file"
            counts[label, status] = counts.get((label, status), 0) + 1
        return [(label, status, n) for (label, status), n in counts.items()]

    def summary(self) -> str:
        """One line: "2 heroes changed, 1 story added; 1 breaking change"."""
        if not (self.base.loaded and self.head.loaded):
            return "Not compared: " + " and ".join(
                f"the {n} side ({s.title}) does not load" for n, s in (("base", self.base), ("head", self.head))
                if not s.loaded) + "."
        parts = []
        for kind, per in self.counts().items():
            for status in STATUSES:
                n = per.get(status, 0)
                if n:
                    noun = kind if n == 1 or kind == "rules" else PLURAL[kind]
                    parts.append(f"{n} {noun} {status}" if kind not in ("rules", "project") else
                                 f"{'rules' if kind == 'rules' else 'foundry.toml'} {status}")
        for language, ids in self.retranslated:
            parts.append(f"{len(ids)} translation{'s' * (len(ids) != 1)} changed ({language})")
        for language, pairs in self.moved:
            parts.append(f"{len(pairs)} translation{'s' * (len(pairs) != 1)} moved with their words ({language})")
        for language, ids in self.stale:
            parts.append(f"{len(ids)} translation{'s' * (len(ids) != 1)} made stale ({language})")
        for language, ids in self.unused:
            parts.append(f"{len(ids)} translation{'s' * (len(ids) != 1)} no longer used ({language})")
        for language, ids in self.stale_clips:
            parts.append(f"{len(ids)} voice clip{'s' * (len(ids) != 1)} made stale ({language})")
        for language, ids in self.unused_clips:
            parts.append(f"{len(ids)} voice clip{'s' * (len(ids) != 1)} no longer used ({language})")
        for label, status, n in self.file_counts():
            parts.append(f"{n} {label}{'s' * (n != 1)} {status}")
        text = ", ".join(parts) if parts else "No changes to the content"
        if self.new_errors:
            n = len(self.new_errors)
            text += f"; {n} new error{'s' * (n != 1)}"
        if self.fixed_errors:
            n = len(self.fixed_errors)
            text += f"; {n} error{'s' * (n != 1)} fixed"
        n = len(self.breaking)
        if n:
            text += f"; {n} breaking change{'s' * (n != 1)} for the JSON contract"
        return text + "."

    def new_errors_said(self) -> list[tuple[str, str, str]]:
        """`new_errors` as every report shows findings (diagnostics.said): of each code in
        each file the first SAID_PER_FILE, then one (code, file, "and N more like …")
        for the rest. A head of one file of 150,000 unknown attributes listed each (50 MB
        of JSON, as many lines of text) where `foundry check` says 101 lines."""
        return _said(self.new_errors)

    def fixed_errors_said(self) -> list[tuple[str, str, str]]:
        """`fixed_errors` as `new_errors_said` shows new ones."""
        return _said(self.fixed_errors)

    def to_json(self) -> dict:
        return {"base": self.base.to_json(), "head": self.head.to_json(), "summary": self.summary(),
                "counts": self.counts(), "breaking": [{"kind": e.kind, "id": e.id, "message": m}
                                                      for e, m in self.breaking],
                "notes": list(self.notes), "problems": [d.to_json() for d in self.problems],
                "entities": [e.to_json() for e in self.entities],
                "stale_translations": [{"language": lang, "lines": list(ids),
                                 **({"shown_in": list(self.also_shown(lang))} if self.also_shown(lang) else {})}
                                for lang, ids in self.stale],
                "unused_translations": [{"language": lang, "lines": list(ids),
                                 **({"shown_in": list(self.also_shown(lang))} if self.also_shown(lang) else {})}
                                for lang, ids in self.unused],
                **({"moved_translations": [{"language": lang, "lines": [{"line": line, "from": source}
                                                                        for line, source in pairs],
                                            **({"shown_in": list(self.also_shown(lang))} if self.also_shown(lang)
                                               else {})}
                                           for lang, pairs in self.moved]} if self.moved else {}),
                **({"stale_voice_clips": [{"language": lang, "lines": list(ids)} for lang, ids in self.stale_clips]}
                   if self.stale_clips else {}),
                **({"unused_voice_clips": [{"language": lang, "lines": list(ids)} for lang, ids in self.unused_clips]}
                   if self.unused_clips else {}),
                "new_errors": [{"code": c, "file": f, "message": m} for c, f, m in self.new_errors_said()],
                "new_error_count": len(self.new_errors),
                **({"fixed_errors": [{"code": c, "file": f, "message": m} for c, f, m in self.fixed_errors_said()],
                    "fixed_error_count": len(self.fixed_errors)} if self.fixed_errors else {}),
                "files": [{"path": p, "change": c} for p, c in self.files],
                "changed_translations": [{"language": lang, "lines": list(ids),
                                 **({"shown_in": list(self.also_shown(lang))} if self.also_shown(lang) else {}),
                                 **({"untranslated": list(self.emptied(lang))} if self.emptied(lang) else {})}
                                for lang, ids in self.retranslated]}


def _said(errors) -> list[tuple[str, str, str]]:
    """(code, file, words) as every report shows findings (diagnostics.said)."""
    return [(d.code, d.span.path, d.message) for d in said([Diagnostic(Severity.ERROR, c, m, Span(f))
                                                            for c, f, m in errors])]
