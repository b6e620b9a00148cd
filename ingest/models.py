"""Value types of the ingest layer: a parsed document as blocks in reading order, and its chunks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["pdf", "docx", "pptx", "html", "markdown", "text"]
BlockKind = Literal["heading", "paragraph", "list_item", "table", "footnote"]


@dataclass(frozen=True)
class Cell:
    """One cell of a table row: its text ("" for an empty cell) and how many grid columns it spans."""

    text: str
    span: int = 1


@dataclass(frozen=True)
class Block:
    """A piece of text in reading order: a heading (with its level), a paragraph, a list item, a table."""

    text: str
    kind: BlockKind = "paragraph"
    level: int | None = None  # heading level, 1 = top; None for everything but headings
    page: int | None = None  # page or slide number, 1-based; None for formats without pages
    cells: tuple[Cell, ...] = ()  # a table row's cells in grid order, empty ones kept, so columns line up


@dataclass(frozen=True)
class ParsedDocument:
    """A file's text as blocks, with the format it was read as and any warnings."""

    source: str  # the file name
    format: Format
    title: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """All block texts, one per line."""
        return "\n".join(block.text for block in self.blocks)
