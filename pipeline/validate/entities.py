"""A validated entity together with the document it came from (for spans and hashes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from markupsafe import Markup, escape

from ..diagnostics import Span
from ..load.byte_reads import note
from ..load.documents import Document

M = TypeVar("M")


@dataclass(frozen=True)
class Entry(Generic[M]):
    kind: str
    id: str
    model: M
    doc: Document
    # HTML of the model's names and titles by field path (load/titles.py): the model
    # holds their plain text, this their inline Markdown rendered for HTML outputs.
    inline_html: Mapping[tuple, str] = field(default_factory=dict, compare=False)  # derived from doc

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def sha256(self) -> str:
        """The hash of the file's bytes: a render reading it reads the bytes (the
        manifest's `content_hash`), noted as such (load/byte_reads.py)."""
        note(self.doc.source.path)
        return self.doc.source.sha256

    @property
    def content_sha256(self) -> str:
        """The manifest's `content_hash` of the file (load/files.py `text_sha256`), a
        read of the bytes as `sha256` is."""
        return self.doc.source.content_sha256

    @property
    def value(self) -> str:
        """The digest of the entity's value (load/documents.py `Document.value`): the
        key its outputs are fresh by."""
        return self.doc.value

    def memo_key(self) -> str:
        """An entry is made from its document (and the rule book, which every query
        depends on through `Queries.begin`): pipeline/queries.py."""
        return self.doc.memo_key()

    def html(self, *loc: Any) -> Markup:
        """A name or title field (`"name"`, `"objectives", 0, "text"`) as HTML, with
        its inline Markdown; the model's value escaped if it has none recorded."""
        if loc in self.inline_html:
            return Markup(self.inline_html[loc])
        value: Any = self.model
        for part in loc:
            value = value[part] if isinstance(part, int) else getattr(value, part, "")
        return escape(value if isinstance(value, str) else "")

    def span(self, *loc: Any) -> Span:
        return self.doc.span(*loc)

    def key_span(self, *loc: Any) -> Span:
        return self.doc.key_span(*loc)


# What the builder reads of a person without its model: from the summary a fresh build
# loads an unchanged hero or character from (resolve/summaries.py `SummarisedEntry`,
# which holds it as `brief`), else from the model. Here, beside Entry, so that the
# domain (stories/relationships.py) and the later stages ask alike.

def template_of(entry: Entry) -> str | None:
    brief = entry.__dict__.get("brief")
    return brief.template if brief is not None else entry.model.template


def portrait_of(entry: Entry) -> str | None:
    brief = entry.__dict__.get("brief")
    return brief.portrait if brief is not None else entry.model.portrait


def name_of(entry: Entry) -> str:
    brief = entry.__dict__.get("brief")
    return brief.name if brief is not None else entry.model.name


def relationships_of(entry: Entry) -> tuple[tuple[str, str, str, str], ...] | None:
    """(with, kind, note, note's HTML) of a summarised person's relationships; None for
    any other entry (read its model)."""
    brief = entry.__dict__.get("brief")
    return brief.relationships if brief is not None else None


def prose_links(entry: Entry) -> tuple[tuple[str, str], ...] | None:
    """(field, href) of a summarised entity's prose links; None for any other entry."""
    brief = entry.__dict__.get("brief")
    return brief.links if brief is not None else None
