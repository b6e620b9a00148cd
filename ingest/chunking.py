"""Structure-aware chunks: consecutive blocks of one section, never crossing a section boundary.

A section is the path of headings above a block ("5. Ekonomi › Budgetprocessen"). Blocks of the same
section are packed into chunks of about `target` characters; a block longer than `limit` is split at
sentence boundaries (else at words). The first chunk of a section starts with its heading, as the
document does (a slide's title is often its message). Each chunk knows its document, page span, section
path and a content hash, so an unchanged chunk is never embedded twice.

What is searched (`Chunk.search_text`) is the chunk with its context: the document title and the whole
heading path above it. A passage on its own ("Prioriterade mål med konkreta aktiviteter.") often does not
say what it is about; its headings ("Utveckling av verksamheten") do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.models import Block, Format, ParsedDocument

TARGET_CHARS = 900
LIMIT_CHARS = 1400
SECTION_SEPARATOR = " › "
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-ZÅÄÖ0-9•\"”(])")


@dataclass(frozen=True)
class Chunk:
    """A passage of one section of one document, with everything a citation needs."""

    doc_id: str
    index: int
    text: str
    source: str
    title: str
    format: Format
    section: tuple[str, ...]
    page: int | None
    page_end: int | None
    municipality: str | None
    content_hash: str

    @property
    def id(self) -> str:
        """Stable id: the document id and the chunk's position."""
        return f"{self.doc_id}:{self.index}"

    @property
    def section_label(self) -> str:
        """The section path as one line ("5. Ekonomi › Budgetprocessen")."""
        return SECTION_SEPARATOR.join(self.section)

    @property
    def search_text(self) -> str:
        """What is embedded and indexed: the title and heading path (each once), then the text."""
        return search_text(self.title, self.section, self.text)


def search_text(title: str, section: tuple[str, ...], text: str) -> str:
    """The text with its context lines: title and headings, leaving out any the text already starts with."""
    context = [line for line in dict.fromkeys((title, *section)) if line and not text.startswith(line)]
    return "\n".join((*context, text))


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace folded."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def split_long(text: str, limit: int = LIMIT_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut after sentences where possible, else between words."""
    text = text.strip()
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _sentences(text, limit):
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def _sentences(text: str, limit: int) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= limit:
            yield sentence
            continue
        words = sentence.split(" ")
        part = ""
        for word in words:
            while len(word) > limit:  # a "word" longer than a chunk: cut it hard
                if part:
                    yield part
                    part = ""
                yield word[:limit]
                word = word[limit:]
            if part and len(part) + 1 + len(word) > limit:
                yield part
                part = word
            else:
                part = f"{part} {word}" if part else word
        if part:
            yield part


@dataclass
class _Draft:
    section: tuple[str, ...]
    texts: list[str]
    page: int | None
    page_end: int | None

    @property
    def size(self) -> int:
        return sum(len(t) + 1 for t in self.texts)


def _sections(blocks: tuple[Block, ...]) -> Iterator[tuple[tuple[str, ...], Block]]:
    """Each non-heading block with the heading path above it."""
    path: list[tuple[int, str]] = []
    for block in blocks:
        if block.kind == "heading":
            level = block.level or 1
            path = [(lvl, text) for lvl, text in path if lvl < level] + [(level, block.text)]
            continue
        yield tuple(text for _, text in path), block


def chunk_document(
    document: ParsedDocument, doc_id: str, municipality: str | None = None, target: int = TARGET_CHARS
) -> list[Chunk]:
    """The document's chunks, in reading order; a section with only a heading keeps the heading as text."""
    drafts: list[_Draft] = []
    for section, block in _with_bare_headings(document.blocks):
        last = drafts[-1] if drafts else None
        opens = last is None or last.section != section
        heading = section[-1] if opens and section and section[-1] != block.text else None
        # the heading shares the first chunk's size limit
        pieces = split_long(block.text, LIMIT_CHARS - len(heading) - 1 if heading else LIMIT_CHARS)
        for number, piece in enumerate(pieces):
            last = drafts[-1] if drafts else None
            if number == 0 and opens:
                drafts.append(_Draft(section, [heading, piece] if heading else [piece], block.page, block.page))
            elif last is None or last.size + len(piece) > target:
                drafts.append(_Draft(section, [piece], block.page, block.page))
            else:
                last.texts.append(piece)
                last.page_end = block.page if block.page is not None else last.page_end
    return [_finish(d, i, document, doc_id, municipality) for i, d in enumerate(drafts)]


def _with_bare_headings(blocks: tuple[Block, ...]) -> Iterator[tuple[tuple[str, ...], Block]]:
    """Sections, plus headings that have no text under them (so their words stay searchable)."""
    items = list(_sections(blocks))
    covered = {section for section, _ in items}
    path: list[tuple[int, str]] = []
    index = 0
    for block in blocks:
        if block.kind != "heading":
            yield items[index]
            index += 1
            continue
        level = block.level or 1
        path = [(lvl, text) for lvl, text in path if lvl < level] + [(level, block.text)]
        section = tuple(text for _, text in path)
        if not any(c[: len(section)] == section for c in covered):
            yield section, Block(block.text, "paragraph", None, block.page)


def _finish(draft: _Draft, index: int, document: ParsedDocument, doc_id: str, municipality: str | None) -> Chunk:
    text = "\n".join(draft.texts)
    return Chunk(
        doc_id=doc_id,
        index=index,
        text=text,
        source=document.source,
        title=document.title,
        format=document.format,
        section=draft.section,
        page=draft.page,
        page_end=draft.page_end,
        municipality=municipality,
        content_hash=content_hash(search_text(document.title, draft.section, text)),
    )
