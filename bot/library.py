"""The document library: the knowledge indexes in the data directory, and ingesting files into them.

Composes `ingest` (files → chunks), `knowledge` (vectors and BM25) and `rules` (which municipality a
document belongs to, and the lexicon of abbreviations the Swedish BM25 expands).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Literal

from langchain_core.embeddings import Embeddings

from bot import texts
from bot.known_vectors import demo_corpus, embedder
from bot.law import RulePassages, passage_index
from bot.originals import Originals
from bot.settings import Settings
from ingest import document_id, iter_files, process_file
from knowledge.answering import DocumentAnswerer
from knowledge.bm25 import BM25Index, SwedishAnalyzer, load_thesaurus, merge_synonyms
from knowledge.generation import Writer, openai_compatible
from knowledge.indexing import BM25_FILE, MANIFEST_FILE, DocumentRecord, Indexer
from knowledge.passages import PassageIndex
from knowledge.retrieval import Retriever
from knowledge.store import ChunkStore
from rules.engine import load_synonyms

Progress = Callable[[int, int, Path], None]
log = logging.getLogger(__name__)


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
    embeddings = embedder(settings)
    store = ChunkStore.open(
        embeddings, path=settings.data_dir / "chroma", url=settings.chroma_url, collection_prefix=settings.chroma_prefix
    )
    analyzer = swedish_analyzer()
    if settings.chroma_url:  # replicas share the server's chunks and manifest; BM25 is rebuilt from them
        return Indexer.shared(store, BM25Index(analyzer), settings.data_dir)
    bm25_path = settings.data_dir / BM25_FILE
    bm25 = BM25Index.load(bm25_path, analyzer) if bm25_path.exists() else BM25Index(analyzer)
    indexer = Indexer(store, bm25, settings.data_dir)
    indexer.repair()  # a change a crash interrupted: finished, or undone, as the manifest says
    return indexer


def swedish_analyzer() -> SwedishAnalyzer:
    """The Swedish analysis of every search: the thesaurus and the rules' abbreviations and synonyms."""
    return SwedishAnalyzer(merge_synonyms(load_synonyms(), load_thesaurus()))


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
            kind = result.error_type or ""  # the reason in Swedish; the parser's own words for developers
            summary.failed.append(
                {"path": str(path), "error": texts.ingest_reason(kind), "type": kind, "detail": result.error or ""}
            )
        else:
            outcome = indexer.index(result, municipality)
            (summary.skipped if outcome == "skipped" else summary.ingested).append(str(path))
        if progress is not None:
            progress(done, len(files), path)
    if prune:
        summary.pruned = indexer.prune_missing(roots, {str(p.resolve()) for p in files})
    return summary


class DocumentLibrary:
    """The documents of the data directory, opened on first need and then kept (`bot.answering.Documents`).

    `at_hand()` gives the answerer only of what is open (a rule answer adds the passages that quote its
    source, and must not wait for an ingest). `ready()` waits, and first ingests the bundled demo corpus
    when nothing is indexed yet and `settings.demo` allows it, reporting progress.

    The web's document API adds and removes documents through the same indexes the answerer searches, so
    an uploaded document is found by the next question and a removed one is never cited again. Uploaded
    files are kept under `<data dir>/documents/`, where the download route serves them from.
    """

    def __init__(
        self,
        settings: Settings,
        municipality_of: Callable[[str], str | None],
        announce: Callable[[int], Progress | None] | None = None,
        rules: Callable[[], RulePassages] | None = None,
    ) -> None:
        self.settings = settings
        self.municipality_of = municipality_of
        self.announce = announce
        self.originals = Originals(settings.data_dir / UPLOADS, shared=bool(settings.chroma_url))
        self._rules = rules  # the rules' passages as the profiles read now
        self._indexes: tuple[RulePassages, PassageIndex, PassageIndex] | None = None
        self._law_only: DocumentAnswerer | None = None
        self._indexer: Indexer | None = None
        self._answerer: DocumentAnswerer | None = None
        self._opening = threading.Lock()  # one opening (and demo ingest) at a time, however many threads ask
        self._building_rules = threading.RLock()
        self._writing = threading.Lock()  # one upload or removal at a time

    def at_hand(self) -> DocumentAnswerer | None:
        """The answerer of what is open now: the documents and the law, or the law alone while no documents
        are indexed or while they are being opened (a rule answer never waits); None without either."""
        return self._answerer_of(prepare=False)

    def ready(self) -> DocumentAnswerer | None:
        """The answerer of the documents and the law, waiting while they open; first reads in the demo
        corpus when nothing is indexed and the settings allow it."""
        return self._answerer_of(prepare=True)

    def _answerer_of(self, prepare: bool) -> DocumentAnswerer | None:
        if self._answerer is not None:
            assert self._indexer is not None
            self._indexer.sync()  # other replicas' uploads and removals (at most every few seconds)
            return self._current(self._answerer)
        # a rule answer never waits for an opening under way; a document question waits for it
        if not self._opening.acquire(blocking=prepare):
            return self._law_answerer()
        try:
            return self._open(prepare) or self._law_answerer()
        finally:
            self._opening.release()

    def _open(self, prepare: bool) -> DocumentAnswerer | None:
        if self._answerer is not None:
            return self._answerer
        if self._indexer is None and not prepare and not self._indexed_before():
            return None
        indexer = self._open_indexer()
        if len(indexer.bm25) == 0:
            folders = demo_corpus(self.settings) if self.settings.demo else []
            if not prepare or not folders:
                return None
            files = list(iter_files(folders))
            progress = self.announce(len(files)) if self.announce is not None else None
            ingest_paths(indexer, folders, self.municipality_of, progress=progress)
        law, statements = self._rule_indexes(indexer.store.embeddings) or (None, None)
        retriever = Retriever(indexer.store, indexer.bm25)
        self._answerer = DocumentAnswerer(retriever, law, writer=self._writer(indexer), statements=statements)
        return self._answerer

    def _current(self, answerer: DocumentAnswerer) -> DocumentAnswerer:
        """The answerer, searching the rules' passages as the profiles read now (rebuilt after an edit)."""
        if self._rules is None or self._indexes is None or self._indexes[0] is self._rules():
            return answerer
        with self._building_rules:
            law, statements = self._rule_indexes(answerer.law.embeddings if answerer.law else None) or (None, None)
            if answerer.law is not law:
                answerer = DocumentAnswerer(answerer.retriever, law, writer=answerer.writer, statements=statements)
                self._answerer = answerer
            return answerer

    def _law_answerer(self) -> DocumentAnswerer | None:
        """An answerer of the law alone (no Chroma opened), or None when the library has no rules' passages."""
        if self._rules is None:
            return None
        with self._building_rules:
            law, statements = self._rule_indexes(None) or (None, None)
            if self._law_only is None or self._law_only.law is not law:
                self._law_only = DocumentAnswerer(None, law, statements=statements)
            return self._law_only

    def _rule_indexes(self, embeddings: Embeddings | None) -> tuple[PassageIndex, PassageIndex] | None:
        """The law's passages and all rules' statements, searchable with the documents' model (None: the
        configured one); built again only when the profiles have changed."""
        if self._rules is None:
            return None
        with self._building_rules:
            rules = self._rules()
            if self._indexes is None or self._indexes[0] is not rules:
                embeddings = embeddings or embedder(self.settings)
                analyzer, data_dir = swedish_analyzer(), self.settings.data_dir
                law = passage_index(rules.law, embeddings, analyzer, data_dir)
                self._indexes = (rules, law, passage_index(rules.rules, embeddings, analyzer, data_dir))
            return self._indexes[1], self._indexes[2]

    def _writer(self, indexer: Indexer) -> Writer | None:
        """The language model that writes document answers, when one is configured."""
        settings = self.settings
        if not settings.llm_base_url or not settings.llm_model:  # both, or no model at all
            return None
        model = openai_compatible(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout)
        return Writer(model, indexer.bm25.analyzer, settings.llm_model, deadline=settings.llm_timeout)

    def _open_indexer(self) -> Indexer:
        if self._indexer is None:
            indexer = open_indexer(self.settings)
            self.originals.tidy({indexer.original(record) for record in indexer.manifest.records.values()})
            self._indexer = indexer
        return self._indexer

    def readiness(self) -> str:
        """For `/readyz`: "opening" while the indexes open or the demo corpus is read in, "failing" when a
        configured Chroma server does not answer, "ok" otherwise (also before anything was opened)."""
        if self._opening.locked():
            return "opening"
        indexer = self._indexer
        if indexer is not None and self.settings.chroma_url:
            try:
                indexer.store.heartbeat()
            except Exception as exc:
                log.warning("the Chroma server at %s does not answer: %s", self.settings.chroma_url, exc)
                return "failing"
        return "ok"

    def indexer(self) -> Indexer:
        """The indexes the answerer searches (opened now if need be, without the demo ingest)."""
        with self._opening:
            return self._open_indexer()

    # What the document API reads

    def records(self, municipality: str | None = None) -> list[DocumentRecord]:
        """The indexed documents by title; with `municipality`, its own and the general ones."""
        records = list(self._records().values())  # a copy: an upload may add meanwhile
        chosen = [r for r in records if municipality is None or r.municipality in (municipality, None)]
        return sorted(chosen, key=lambda r: (r.title.lower(), r.source))

    def record(self, doc_id: str) -> DocumentRecord | None:
        return self._records().get(doc_id)

    def _records(self) -> dict[str, DocumentRecord]:
        """The live documents; an empty data directory is not opened (no Chroma for a rules-only server)."""
        if self._indexer is None and not self._indexed_before():
            return {}
        indexer = self.indexer()
        indexer.sync()
        return indexer.manifest.records

    def _indexed_before(self) -> bool:
        """Whether the data directory lists any document (a manifest that is more than "{}"); with a Chroma
        server, the server may list some, so it is asked."""
        if self.settings.chroma_url:
            return True
        manifest = self.settings.data_dir / MANIFEST_FILE
        return manifest.exists() and manifest.stat().st_size > 2

    def _open_records(self) -> dict[str, DocumentRecord]:
        """The live documents if the indexes are open, else none: never waits for an opening under way."""
        indexer = self._indexer
        return indexer.manifest.records if indexer is not None else {}

    def find(self, source: str, municipality: str | None) -> DocumentRecord | None:
        """The indexed document a citation's `source` names: that file, or else a rendition of it (same
        name stem, the municipality's own or a general one; PDF first, as it has pages to link to).
        Answers from what is open, without waiting: a link is a courtesy, never a delay."""
        records = self._open_records()
        exact = records.get(document_id(source))
        if exact is not None:
            return exact
        stem = PurePath(source).stem
        renditions = [
            r
            for r in list(records.values())
            if PurePath(r.source).stem == stem and r.municipality in (municipality, None)
        ]
        return min(renditions, key=lambda r: (RENDITION_ORDER.get(r.format, 9), r.source), default=None)

    # What administrators change

    def add(self, name: str, data: bytes, municipality: str | None = None) -> Added:
        """Store and ingest one uploaded file (ValueError for a name with nothing usable in it).

        The file is parsed and indexed before it replaces the stored original, so a broken new version
        leaves the old one indexed and on disk. A file named like another municipality's document is
        refused (document ids come from file names): remove that one first, or rename the file."""
        safe = safe_file_name(name)
        doc_id = document_id(safe)
        municipality = municipality or self.municipality_of(safe)
        with self._writing:
            indexer = self.indexer()
            existing = indexer.manifest.records.get(doc_id)
            if existing is not None and existing.municipality != municipality:
                return Added(safe, "conflict", existing, error_type="NameConflict")
            with self.originals.incoming() as folder:
                (folder / safe).write_bytes(data)
                result = process_file(folder / safe, max_bytes=max(len(data), 1))
                if result.status == "failed":
                    status: AddStatus = "rejected" if result.error_type in REJECTED else "failed"
                    return Added(safe, status, None, result.error or "", result.error_type or "")
                assert result.file_hash is not None
                final = self.originals.keep(folder / safe, result.file_hash)
            try:
                outcome = indexer.index(dataclasses.replace(result, path=final), municipality)
            finally:  # the original the record names stays: the new one, or the old one if indexing failed
                record = indexer.manifest.records.get(doc_id)
                kept = {indexer.original(record)} if record else set()
                for path in {final, *([indexer.original(existing)] if existing else [])} - kept:
                    self.originals.discard(path)
            assert record is not None
            return Added(safe, outcome, record)

    def remove(self, doc_id: str) -> DocumentRecord | None:
        """Take a document out of the indexes; an uploaded file is deleted too (other files are left where
        they are: they are somebody's originals)."""
        with self._writing:
            indexer = self.indexer()
            record = indexer.remove(doc_id)
            if record is not None:
                self.originals.discard(indexer.original(record))
            return record

    def original(self, record: DocumentRecord) -> Path:
        """Where a document's original file is."""
        return self.indexer().original(record)


UPLOADS = "documents"  # uploaded originals, under the data directory
RENDITION_ORDER = {"pdf": 0, "docx": 1, "html": 2, "pptx": 3, "markdown": 4, "text": 5}
REJECTED = {"UnsupportedFormat", "EmptyDocument"}  # not a document at all, rather than a broken one
AddStatus = Literal["ingested", "replaced", "skipped", "failed", "rejected", "conflict"]
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
NAME_BYTES = 200  # file systems allow 255 bytes of a name; room is left for temporary prefixes


@dataclass(frozen=True)
class Added:
    """What became of one uploaded file."""

    name: str
    status: AddStatus
    record: DocumentRecord | None = None
    error: str = ""
    error_type: str = ""


def safe_file_name(name: str) -> str:
    """An uploaded file's name as it may be stored: its last path part in NFC, without characters that
    are unsafe in a file name or invisible (bidirectional overrides that make "exe.txt" of "txt.exe"),
    no leading dots, at most NAME_BYTES bytes of UTF-8 with the extension kept. ValueError when nothing
    usable is left."""
    last = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    visible = "".join(c for c in last if unicodedata.category(c) != "Cf")
    cleaned = _UNSAFE.sub("_", visible).strip().lstrip(".")
    if not cleaned.strip("_ "):
        raise ValueError("no usable file name")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix.encode()) > 16:
        stem, dot, suffix = cleaned, "", ""
    room = NAME_BYTES - len((dot + suffix).encode())
    return _cut(stem, room) + dot + suffix


def _cut(text: str, size: int) -> str:
    """The longest start of `text` that is at most `size` bytes of UTF-8, never splitting a character."""
    return text.encode()[:size].decode(errors="ignore").rstrip()
