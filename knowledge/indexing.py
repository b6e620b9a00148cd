"""Add parsed documents to both indexes (Chroma vectors and Swedish BM25), skipping unchanged files.

Each document version is stored under its own key (`<document id>@<version>`). The manifest
(`knowledge.manifest`) is the one record of which version of which document is published; BM25 and the
vector store follow it. A change is stored first, then published by one write of the manifest, and only
then do the indexes let go of what it replaced, so a crash at any point leaves each document wholly its
old version or wholly its new one: `Indexer.repair`, run when the indexes are opened, deletes what the
manifest does not name and reads back into BM25 what it names.

Replicas that share a Chroma server share the chunks and the manifest, but each keeps its own BM25 index
in memory: `Indexer.sync` brings it in line with the shared manifest, fetching the chunks of versions
another replica added (their search text rebuilt exactly as ingest made it) and dropping removed ones.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ingest import Chunk, FileResult, document_id, file_hash
from ingest.chunking import SECTION_SEPARATOR, search_text
from knowledge.bm25 import BM25Index
from knowledge.hits import StoredHit
from knowledge.manifest import MANIFEST_FILE, DocumentRecord, FileManifest, Manifest, SharedManifest
from knowledge.store import ChunkStore

__all__ = ["BM25_FILE", "MANIFEST_FILE", "DocumentRecord", "Indexer", "Outcome"]
log = logging.getLogger(__name__)

Outcome = Literal["ingested", "replaced", "skipped"]
# Part of every document version: raise it when chunking or what is indexed changes, and the next ingest
# re-indexes files whose bytes did not change.
INDEX_FORMAT = 3
BM25_FILE = "bm25.json"  # a replica alone keeps its BM25 texts here; shared replicas rebuild from Chroma
SYNC_SECONDS = 2.0  # how stale a shared replica's view of other replicas' changes may be


def _versioned(chunks: tuple[Chunk, ...], key: str, municipality: str | None) -> list[Chunk]:
    return [replace(chunk, doc_id=key, municipality=municipality) for chunk in chunks]


class Indexer:
    """Keeps the vector store, the BM25 index and the manifest in step."""

    def __init__(self, store: ChunkStore, bm25: BM25Index, data_dir: Path, manifest: Manifest | None = None) -> None:
        self.store = store
        self.bm25 = bm25
        self.data_dir = data_dir
        self._root = data_dir.resolve()
        self.manifest = manifest if manifest is not None else FileManifest(data_dir / MANIFEST_FILE)
        self._in_bm25: dict[str, int] = {r.key: r.chunks for r in self.manifest.records.values()}
        self._lock = threading.RLock()  # writes and syncs, one at a time
        self._synced_at = 0.0

    @classmethod
    def shared(cls, store: ChunkStore, bm25: BM25Index, data_dir: Path) -> Indexer:
        """An indexer whose manifest lives beside the chunks on a Chroma server, with an empty BM25 index
        brought in line with it at once."""
        indexer = cls(store, bm25, data_dir, SharedManifest(store.manifest_collection()))
        indexer._in_bm25 = {}
        indexer.sync(force=True)
        return indexer

    def sync(self, force: bool = False) -> bool:
        """Bring the BM25 index in line with a shared manifest (another replica's uploads and removals);
        at most every SYNC_SECONDS unless forced, and never twice at once. True when anything changed."""
        if not self.manifest.shared or not (force or time.monotonic() - self._synced_at >= SYNC_SECONDS):
            return False
        if not self._lock.acquire(blocking=force):
            return False  # another thread is syncing or writing right now: the next question syncs
        try:
            self._synced_at = time.monotonic()
            try:
                return self._sync()
            except Exception as exc:  # a server that went away: keep answering from what is known
                if force:
                    raise
                log.warning("could not read the shared document list: %s", exc)
                return False
        finally:
            self._lock.release()

    def _sync(self) -> bool:
        self.manifest.refresh()
        live = {r.key: r for r in self.manifest.records.values()}
        gone = [key for key in self._in_bm25 if key not in live]
        for key in gone:
            self.bm25.remove(f"{key}:{i}" for i in range(self._in_bm25.pop(key)))
        added = 0
        for key, record in live.items():
            if key in self._in_bm25:
                continue
            hits = self.store.chunks_of(key)
            if len(hits) < record.chunks:  # its chunks are still being written, or went: look again next time
                continue
            for hit in hits:
                self.bm25.add(hit.id, _search_text(hit), _bm25_metadata(hit))
            self._in_bm25[key] = len(hits)
            added += 1
        if gone or added:
            log.info("documents synced from the shared index: %d versions added, %d removed", added, len(gone))
        return bool(gone or added)

    def index(self, result: FileResult, municipality: str | None) -> Outcome:
        """Index a parsed file; unchanged files (same bytes, municipality and index format) are skipped."""
        assert result.document is not None and result.file_hash is not None, "only parsed files are indexed"
        with self._lock:
            return self._index(result, municipality)

    def _index(self, result: FileResult, municipality: str | None) -> Outcome:
        """The new version's chunks are stored, then published in the manifest (the moment it becomes the
        document), and only then do BM25 and the store let go of the version it replaces. A crash before
        the manifest is written leaves the old version; after it, the new one (`repair` finishes the rest)."""
        assert result.file_hash is not None
        self.sync(force=True)  # another replica may have changed this very document
        doc_id = document_id(result.path.name)
        old = self.manifest.records.get(doc_id)
        key = _version_key(doc_id, result.file_hash, municipality)
        if old is not None and old.key == key:
            return "skipped"
        chunks = _versioned(result.chunks, key, municipality)
        self.store.add(chunks)  # not yet published: never cited (the retriever searches what BM25 holds)
        self.sync(force=True)  # embedding took a while: the version to replace is the one live now
        latest = self.manifest.records.get(doc_id)
        path = result.path.resolve()
        recorded = path.relative_to(self._root) if path.is_relative_to(self._root) else path
        self.manifest.put(_record(result, recorded, key, municipality, len(chunks)))
        replaced = list({r.key: r for r in (old, latest) if r is not None and r.key != key}.values())
        self.bm25.replace(
            [chunk_id for record in replaced for chunk_id in _chunk_ids(record)],
            [(chunk.id, chunk.search_text, _bm25_metadata(chunk)) for chunk in chunks],
        )
        self._in_bm25[key] = len(chunks)
        self._let_go(replaced)
        self._save_bm25()
        return "replaced" if replaced else "ingested"

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
        """Take a document out of the manifest, then out of BM25 and the store; None when it is not indexed."""
        with self._lock:
            self.sync(force=True)
            record = self.manifest.records.get(doc_id)
            if record is not None:
                self.manifest.drop([doc_id])
                self.bm25.remove(_chunk_ids(record))
                self._let_go([record])
                self._save_bm25()
            return record

    def prune_missing(self, roots: list[Path], present: set[str]) -> list[str]:
        """Remove documents from under `roots` whose files are gone; returns the removed paths."""
        with self._lock:
            return self._prune_missing([str(root.resolve()) for root in roots], present)

    def _prune_missing(self, folders: list[str], present: set[str]) -> list[str]:
        self.sync(force=True)
        paths = {r.doc_id: str(self.original(r)) for r in self.manifest.records.values()}
        removed = [
            r
            for r in self.manifest.records.values()
            if (p := paths[r.doc_id]) not in present and any(p == f or p.startswith(f + os.sep) for f in folders)
        ]
        if removed:
            self.manifest.drop([r.doc_id for r in removed])
            self.bm25.remove(chunk_id for record in removed for chunk_id in _chunk_ids(record))
            self._let_go(removed)
            self._save_bm25()
        return [paths[r.doc_id] for r in removed]

    def original(self, record: DocumentRecord) -> Path:
        """Where a document's original file is. A file inside the data directory is recorded relative to
        it, so that the directory may move, or be mounted elsewhere by each replica sharing it."""
        return self._root / record.path

    def _let_go(self, records: list[DocumentRecord]) -> None:
        """Delete the chunks of versions the manifest no longer names, once BM25 has let go of them."""
        for record in records:
            self._in_bm25.pop(record.key, None)
            self.store.delete_document(record.key)

    def repair(self) -> list[str]:
        """Bring BM25 and the store in line with the manifest, the one record of what is published, after a
        crash part-way through a change: versions it does not name are deleted, versions it names but BM25
        lacks are read back from the store, and temporary files are removed. Returns what was repaired.

        For a replica alone; replicas sharing a server rebuild BM25 from the manifest when they start, and
        never delete unnamed chunks (another replica may be storing them right now)."""
        if self.manifest.shared:
            return []
        with self._lock:
            repaired = self._repair()
        for name in repaired:
            log.warning("repaired after an interrupted change: %s", name)
        return repaired

    def _repair(self) -> list[str]:
        live = {r.key: r for r in self.manifest.records.values()}
        in_bm25: dict[str, list[str]] = {}
        for chunk_id in self.bm25.ids():
            in_bm25.setdefault(chunk_id.rpartition(":")[0], []).append(chunk_id)
        repaired = [f"{key} left BM25" for key in in_bm25 if key not in live]
        self.bm25.remove(chunk_id for key, ids in in_bm25.items() if key not in live for chunk_id in ids)
        for key, record in live.items():
            if len(in_bm25.get(key, ())) != record.chunks:
                hits = self.store.chunks_of(key)
                if len(hits) != record.chunks:
                    log.error("%s is published with %d chunks, but the store has %d", key, record.chunks, len(hits))
                self.bm25.replace(_chunk_ids(record), [(h.id, _search_text(h), _bm25_metadata(h)) for h in hits])
                repaired.append(f"{key} read back into BM25")
        self._in_bm25 = {key: record.chunks for key, record in live.items()}
        for key in sorted(self.store.document_ids() - live.keys()):
            self.store.delete_document(key)
            repaired.append(f"{key} left the store")
        for leftover in self.data_dir.glob(".*-*"):  # the manifest's and BM25's temporary files
            if leftover.name.startswith((".manifest-", f".{BM25_FILE}-")) and leftover.is_file():
                leftover.unlink(missing_ok=True)
                repaired.append(f"{leftover.name} deleted")
        if repaired:
            self._save_bm25()
        return repaired

    def _save_bm25(self) -> None:
        """A replica alone keeps its BM25 texts in a file, derived from the manifest and repaired from it;
        shared replicas rebuild theirs from the chunks on the server instead."""
        if not self.manifest.shared:
            self.bm25.save(self.data_dir / BM25_FILE)


def _chunk_ids(record: DocumentRecord) -> list[str]:
    """The ids of a published version's chunks."""
    return [f"{record.key}:{i}" for i in range(record.chunks)]


def _version_key(doc_id: str, digest: str, municipality: str | None) -> str:
    """The key a document version's chunks are stored under: it changes with the bytes, the municipality
    and the index format."""
    version = hashlib.sha256(f"{INDEX_FORMAT}|{digest}|{municipality or ''}".encode()).hexdigest()[:12]
    return f"{doc_id}@{version}"


def _bm25_metadata(chunk: Chunk | StoredHit) -> dict[str, str | int | None]:
    """What BM25 keeps of a chunk, whether just parsed or read back from the store."""
    return {"doc_id": chunk.doc_id, "municipality": chunk.municipality or "", "source": chunk.source}


def _search_text(hit: StoredHit) -> str:
    """A stored chunk's search text, rebuilt as ingest built it from the title, headings and text."""
    section = tuple(hit.section.split(SECTION_SEPARATOR)) if hit.section else ()
    return search_text(hit.title, section, hit.text)


def _record(result: FileResult, path: Path, key: str, municipality: str | None, count: int) -> DocumentRecord:
    assert result.document is not None and result.file_hash is not None
    return DocumentRecord(
        doc_id=document_id(result.path.name),
        key=key,
        source=result.path.name,
        path=str(path),
        file_hash=result.file_hash,
        municipality=municipality,
        title=result.document.title,
        format=result.document.format,
        chunks=count,
        indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
