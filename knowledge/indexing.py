"""Add parsed documents to both indexes (Chroma vectors and Swedish BM25), skipping unchanged files.

Each document version is stored under its own key (`<document id>@<version>`): a changed file's
new chunks are added first and its old version removed only after, so a failure half-way never loses
what was indexed. A manifest (JSON, written atomically) records which version of which file is live.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ingest import Chunk, FileResult, document_id, file_hash
from knowledge.bm25 import BM25Index
from knowledge.store import ChunkStore

Outcome = Literal["ingested", "replaced", "skipped"]
# Part of every document version: raise it when chunking or what is indexed changes, and the next ingest
# re-indexes files whose bytes did not change.
INDEX_FORMAT = 3
MANIFEST_FILE = "documents.json"  # the live documents, in the data directory


@dataclass(frozen=True)
class DocumentRecord:
    """One live document: where it came from, which version, and how many chunks it has."""

    doc_id: str
    key: str  # the versioned key its chunks are stored under
    source: str
    path: str
    file_hash: str
    municipality: str | None
    title: str
    format: str
    chunks: int
    indexed_at: str


class Manifest:
    """The live documents, persisted as JSON beside the indexes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[str, DocumentRecord] = {}
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.records = {doc_id: DocumentRecord(**row) for doc_id, row in data.items()}

    def save(self) -> None:
        """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({k: asdict(v) for k, v in sorted(self.records.items())}, ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(payload)
        os.replace(temporary, self.path)


def _versioned(chunks: tuple[Chunk, ...], key: str, municipality: str | None) -> list[Chunk]:
    return [replace(chunk, doc_id=key, municipality=municipality) for chunk in chunks]


class Indexer:
    """Keeps the vector store, the BM25 index and the manifest in step."""

    def __init__(self, store: ChunkStore, bm25: BM25Index, data_dir: Path) -> None:
        self.store = store
        self.bm25 = bm25
        self.data_dir = data_dir
        self.manifest = Manifest(data_dir / MANIFEST_FILE)

    def index(self, result: FileResult, municipality: str | None) -> Outcome:
        """Index a parsed file; unchanged files (same bytes, municipality and index format) are skipped."""
        assert result.document is not None and result.file_hash is not None, "only parsed files are indexed"
        doc_id = document_id(result.path.name)
        old = self.manifest.records.get(doc_id)
        key = _version_key(doc_id, result.file_hash, municipality)
        if old is not None and old.key == key:
            return "skipped"
        chunks = _versioned(result.chunks, key, municipality)
        self.store.add(chunks)
        for chunk in chunks:
            self.bm25.add(chunk.id, chunk.search_text, _bm25_metadata(chunk))
        if old is not None and old.key != key:
            self._remove_version(old)
        self.manifest.records[doc_id] = _record(result, doc_id, key, municipality, len(chunks))
        self._persist()
        return "replaced" if old is not None else "ingested"

    def is_current(self, path: Path, municipality: str | None) -> bool:
        """Whether this file's bytes are indexed already (same municipality and index format): then it need
        not even be parsed. An unreadable file is not current (parsing it reports why)."""
        record = self.manifest.records.get(document_id(path.name))
        if record is None:
            return False
        try:
            digest = file_hash(path.read_bytes())
        except OSError:
            return False
        return record.key == _version_key(record.doc_id, digest, municipality)

    def remove(self, doc_id: str) -> DocumentRecord | None:
        """Remove a document from both indexes and the manifest; None when it is not indexed."""
        record = self.manifest.records.get(doc_id)
        if record is not None:
            self._remove_version(record)
            del self.manifest.records[doc_id]
            self._persist()
        return record

    def prune_missing(self, roots: list[Path], present: set[str]) -> list[str]:
        """Remove documents from under `roots` whose files are gone; returns the removed paths."""
        folders = [str(root.resolve()) for root in roots]
        removed = [
            r
            for r in self.manifest.records.values()
            if r.path not in present and any(r.path == f or r.path.startswith(f + os.sep) for f in folders)
        ]
        for record in removed:
            self._remove_version(record)
            del self.manifest.records[record.doc_id]
        if removed:
            self._persist()
        return [r.path for r in removed]

    def _remove_version(self, record: DocumentRecord) -> None:
        self.store.delete_document(record.key)
        self.bm25.remove(f"{record.key}:{i}" for i in range(record.chunks))

    def _persist(self) -> None:
        self.bm25.save(self.data_dir / "bm25.json")
        self.manifest.save()


def _version_key(doc_id: str, digest: str, municipality: str | None) -> str:
    """The key a document version's chunks are stored under: it changes with the bytes, the municipality
    and the index format."""
    version = hashlib.sha256(f"{INDEX_FORMAT}|{digest}|{municipality or ''}".encode()).hexdigest()[:12]
    return f"{doc_id}@{version}"


def _bm25_metadata(chunk: Chunk) -> dict[str, str | int | None]:
    return {"doc_id": chunk.doc_id, "municipality": chunk.municipality or "", "source": chunk.source}


def _record(result: FileResult, doc_id: str, key: str, municipality: str | None, count: int) -> DocumentRecord:
    assert result.document is not None and result.file_hash is not None
    return DocumentRecord(
        doc_id=doc_id,
        key=key,
        source=result.path.name,
        path=str(result.path.resolve()),
        file_hash=result.file_hash,
        municipality=municipality,
        title=result.document.title,
        format=result.document.format,
        chunks=count,
        indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
