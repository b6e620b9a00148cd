"""What a search finds: a stored chunk with its metadata, apart from the store, so that code that only reads
hits (composing an answer, the in-memory passages of the law) never imports Chroma."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

Vector = Sequence[float]


@dataclass(frozen=True)
class StoredHit:
    """A stored chunk with its metadata, and its cosine similarity to the query when it came from one."""

    id: str
    text: str
    doc_id: str
    index: int
    source: str
    title: str
    format: str
    page: int | None
    page_end: int | None
    section: str  # the section path as one line ("5. Ekonomi › Budgetprocessen")
    municipality: str | None  # None for general documents (stored as "")
    content_hash: str
    similarity: float | None = None  # 1 - cosine distance; None when fetched by id


@dataclass(frozen=True)
class Spot:
    """Where a passage stands: its file (any rendition of it), page and section, as a citation names them."""

    source: str
    page: int | None
    section: str | None

    def holds(self, hit: StoredHit) -> bool:
        """Whether the hit stands there."""
        same_file = PurePath(hit.source).stem == PurePath(self.source).stem
        return same_file and hit.page == self.page and (hit.section or None) == (self.section or None)
