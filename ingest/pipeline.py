"""Walk files and folders, read each file by its content, chunk it, and report a result per file.

A broken file becomes a failed result with its reason; the batch goes on. Long work reports progress
through a callback, so this package knows nothing of terminals, Slack or web pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingest.chunking import Chunk, chunk_document
from ingest.detect import detect
from ingest.errors import IngestError, TooLarge, TooMuchContent, UnsupportedFormat
from ingest.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS
from ingest.loaders import loader
from ingest.models import ParsedDocument

TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md", ".markdown", ".htm", ".html", ".xhtml"})

Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class FileResult:
    """What became of one file: its document and chunks, or why it failed."""

    path: Path
    status: Literal["parsed", "failed"]
    document: ParsedDocument | None = None
    chunks: tuple[Chunk, ...] = ()
    file_hash: str | None = None
    error: str | None = None
    error_type: str | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings the loader raised (content and extension disagree, and the like)."""
        return self.document.warnings if self.document else ()


def file_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes: the same bytes are the same document version."""
    return hashlib.sha256(data).hexdigest()


def document_id(name: str) -> str:
    """A stable id for a document, from its file name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def load_bytes(data: bytes, name: str) -> ParsedDocument:
    """Parse a file's bytes by their content; raises an IngestError subclass when it cannot."""
    fmt, warnings = detect(data, name)
    if fmt in ("text", "markdown", "html") and Path(name).suffix.lower() not in TEXT_SUFFIXES:
        raise UnsupportedFormat(f"unsupported file type {Path(name).suffix.lower()!r}")
    document = loader(fmt)(data, name)
    chars = sum(len(block.text) for block in document.blocks)
    if chars > MAX_TEXT_CHARS:
        raise TooMuchContent(f"the text is {chars:,} characters; the limit is {MAX_TEXT_CHARS:,}")
    if warnings:
        document = ParsedDocument(
            document.source,
            document.format,
            document.title,
            document.blocks,
            document.pages,
            (*warnings, *document.warnings),
        )
    return document


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given paths, in a stable order; hidden files and folders are skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


def process_file(path: Path, municipality: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> FileResult:
    """Read, parse and chunk one file; any failure is a result, never an exception."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"file is {size} bytes; the limit is {max_bytes}")
        data = path.read_bytes()
        document = load_bytes(data, path.name)
        chunks = chunk_document(document, document_id(path.name), municipality)
    except IngestError as exc:
        return FileResult(path, "failed", error=str(exc), error_type=type(exc).__name__)
    except OSError as exc:
        return FileResult(path, "failed", error=f"cannot read file: {exc.strerror}", error_type="OSError")
    return FileResult(path, "parsed", document, tuple(chunks), file_hash(data))


def process(
    paths: Iterable[Path], municipality: str | None = None, progress: Progress | None = None
) -> Iterator[FileResult]:
    """Process every file under `paths`, reporting (done, total, path) after each one."""
    files = list(iter_files(paths))
    for done, path in enumerate(files, 1):
        result = process_file(path, municipality)
        if progress is not None:
            progress(done, len(files), path)
        yield result
