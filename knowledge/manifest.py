"""Which version of which document is live: a JSON file for one process, a Chroma collection for many.

A replica alone (embedded Chroma) keeps the manifest as `documents.json` in its data directory. Replicas
that share a Chroma server share the manifest too: one record per document in a small collection beside
the chunks, and a generation marker that every write changes. A replica reads the marker (one small
request) to learn whether another replica has added or removed documents since it last looked, and only
then reads the records again.

Write order makes that safe without locks: a record is written before the marker, and a reader reads the
marker before the records, so a reader never keeps an old record set under a new marker.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from knowledge.crashpoints import wrote

MANIFEST_FILE = "documents.json"  # the live documents, in the data directory (a replica alone)
GENERATION = "~generation"  # the shared manifest's marker record; never a document id (those are hex)
PLACEHOLDER = [0.0]  # Chroma wants a vector per record; the manifest's records are looked up by id only


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


class Manifest(ABC):
    """The live documents by document id. `records` is replaced whole on every change, never edited, so a
    reader holding it is never surprised by a concurrent write."""

    shared = False  # whether other processes write it too (then `refresh` may bring their changes)

    def __init__(self) -> None:
        self.records: dict[str, DocumentRecord] = {}

    def put(self, record: DocumentRecord) -> None:
        """Make a document version live (replacing the document's earlier version)."""
        self.records = {**self.records, record.doc_id: record}
        self._write([record], [])

    def drop(self, doc_ids: list[str]) -> None:
        """Take documents out."""
        gone = set(doc_ids)
        self.records = {k: v for k, v in self.records.items() if k not in gone}
        self._write([], doc_ids)

    def refresh(self) -> bool:
        """Read changes made by other processes; True when there were any."""
        return False

    @abstractmethod
    def _write(self, put: list[DocumentRecord], dropped: list[str]) -> None: ...


class FileManifest(Manifest):
    """The manifest as JSON beside the indexes, written whole and atomically."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.records = {doc_id: DocumentRecord(**row) for doc_id, row in data.items()}

    def _write(self, put: list[DocumentRecord], dropped: list[str]) -> None:
        """A crash leaves the old manifest or the new one, never half of one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({k: asdict(v) for k, v in sorted(self.records.items())}, ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(payload)
        os.replace(temporary, self.path)
        wrote("document list written")


class SharedManifest(Manifest):
    """The manifest in a Chroma collection that every replica reads and writes."""

    shared = True

    def __init__(self, collection: Any) -> None:
        super().__init__()
        self.collection = collection
        self.generation: str | None = None  # the marker the records were read under; None: read them again
        self.refresh()

    def _write(self, put: list[DocumentRecord], dropped: list[str]) -> None:
        # Whatever happens here, the next refresh reads the records again: another replica may have written
        # since this one last looked, and its marker is overwritten below, so it cannot tell us.
        self.generation = None
        if put:
            self.collection.upsert(
                ids=[r.doc_id for r in put],
                embeddings=[PLACEHOLDER] * len(put),
                documents=[json.dumps(asdict(r), ensure_ascii=False) for r in put],
            )
        if dropped:
            self.collection.delete(ids=list(dropped))
        wrote("shared document list written")
        marker = uuid.uuid4().hex  # after the records: see the module's docstring
        self.collection.upsert(ids=[GENERATION], embeddings=[PLACEHOLDER], documents=[marker])
        wrote("shared document list marked")

    def refresh(self) -> bool:
        marker = self.collection.get(ids=[GENERATION], include=["documents"])
        generation = (marker["documents"] or [""])[0] or ""
        if generation == self.generation:
            return False
        rows = self.collection.get(include=["documents"])
        records = {}
        for item, text in zip(rows["ids"], rows["documents"] or [], strict=True):
            if item != GENERATION and text:
                records[item] = DocumentRecord(**json.loads(text))
        changed = records != self.records
        self.records, self.generation = records, generation
        return changed
