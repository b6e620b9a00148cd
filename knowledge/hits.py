"""What a search finds: a stored chunk with its metadata, apart from the store, so that code that only reads
hits (composing an answer, the in-memory passages of the law) never imports Chroma."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
