"""A validated entity together with the document it came from (for spans and hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..diagnostics import Span
from ..load.documents import Document

M = TypeVar("M")


@dataclass(frozen=True)
class Entry(Generic[M]):
    kind: str
    id: str
    model: M
    doc: Document

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def sha256(self) -> str:
        return self.doc.source.sha256

    def span(self, *loc: Any) -> Span:
        return self.doc.span(*loc)

    def key_span(self, *loc: Any) -> Span:
        return self.doc.key_span(*loc)
