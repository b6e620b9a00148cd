"""The document library: the knowledge indexes in the data directory, and ingesting files into them.

Composes `ingest` (files → chunks), `knowledge` (vectors and BM25) and `rules` (which municipality a
document belongs to, and the lexicon of abbreviations the Swedish BM25 expands).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings
from ingest import iter_files, process_file
from knowledge.answering import DocumentAnswerer
from knowledge.bm25 import BM25Index, SwedishAnalyzer, load_thesaurus, merge_synonyms
from knowledge.embeddings import embeddings_from_spec
from knowledge.indexing import Indexer
from knowledge.retrieval import Retriever
from knowledge.store import ChunkStore
from rules.engine import load_synonyms

Progress = Callable[[int, int, Path], None]


@dataclass
class IngestSummary:
    """What an ingest run did, file by file (the contract's `--json` summary)."""

    ingested: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The contract's summary (plus `pruned`)."""
        return {"ingested": self.ingested, "skipped": self.skipped, "failed": self.failed, "pruned": self.pruned}


def open_indexer(settings: Settings) -> Indexer:
    """The indexes of the data directory (or the configured Chroma server), ready to add documents."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embeddings = embeddings_from_spec(settings.embeddings)
    store = ChunkStore.open(embeddings, path=settings.data_dir / "chroma", url=settings.chroma_url)
    analyzer = SwedishAnalyzer(merge_synonyms(load_synonyms(), load_thesaurus()))
    bm25_path = settings.data_dir / "bm25.json"
    bm25 = BM25Index.load(bm25_path, analyzer) if bm25_path.exists() else BM25Index(analyzer)
    return Indexer(store, bm25, settings.data_dir)


def ingest_paths(
    indexer: Indexer,
    paths: Iterable[Path],
    municipality_of: Callable[[str], str | None],
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest every file under `paths`; a failed file is reported and the rest goes on."""
    roots = list(paths)
    files = list(iter_files(roots))
    summary = IngestSummary()
    for done, path in enumerate(files, 1):
        municipality = municipality_of(path.name)
        if indexer.is_current(path, municipality):  # unchanged: not even parsed
            summary.skipped.append(str(path))
        elif (result := process_file(path)).status == "failed":
            summary.failed.append({"path": str(path), "error": result.error or "", "type": result.error_type or ""})
        else:
            outcome = indexer.index(result, municipality)
            (summary.skipped if outcome == "skipped" else summary.ingested).append(str(path))
        if progress is not None:
            progress(done, len(files), path)
    if prune:
        summary.pruned = indexer.prune_missing(roots, {str(p.resolve()) for p in files})
    return summary


DEMO_FOLDERS = ("pdf", "docx", "pptx", "html")  # the renditions; txt/ repeats them without pages, bad/ is broken


def demo_corpus() -> list[Path]:
    """The bundled demo corpus's folders (in a checkout: corpus/ beside the packages), or [] when absent."""
    root = Path(__file__).resolve().parents[1] / "corpus"
    return [root / name for name in DEMO_FOLDERS if (root / name).is_dir()]


class DocumentLibrary:
    """The documents of the data directory, opened on first need and then kept (a `bot.answering.Documents`).

    `library(prepare=False)` gives the answerer only when documents are indexed (a rule answer adds the
    passages that quote its source, and must not wait for an ingest). `library(prepare=True)` first ingests
    the bundled demo corpus when nothing is indexed yet and `settings.demo` allows it, reporting progress.
    """

    def __init__(
        self,
        settings: Settings,
        municipality_of: Callable[[str], str | None],
        announce: Callable[[int], Progress | None] | None = None,
    ) -> None:
        self.settings = settings
        self.municipality_of = municipality_of
        self.announce = announce
        self._answerer: DocumentAnswerer | None = None
        self._opening = threading.Lock()  # one opening (and demo ingest) at a time, however many threads ask

    def __call__(self, prepare: bool) -> DocumentAnswerer | None:
        if self._answerer is not None:
            return self._answerer
        # a rule answer never waits for an opening under way; a document question waits for it
        if not self._opening.acquire(blocking=prepare):
            return None
        try:
            return self._open(prepare)
        finally:
            self._opening.release()

    def _open(self, prepare: bool) -> DocumentAnswerer | None:
        if self._answerer is not None:
            return self._answerer
        manifest = self.settings.data_dir / "documents.json"
        if not prepare and not (manifest.exists() and manifest.stat().st_size > 2):
            return None
        indexer = open_indexer(self.settings)
        if len(indexer.bm25) == 0:
            folders = demo_corpus() if self.settings.demo else []
            if not prepare or not folders:
                return None
            files = list(iter_files(folders))
            progress = self.announce(len(files)) if self.announce is not None else None
            ingest_paths(indexer, folders, self.municipality_of, progress=progress)
        self._answerer = DocumentAnswerer(Retriever(indexer.store, indexer.bm25))
        return self._answerer
