"""Chunks and their vectors in Chroma: embedded `PersistentClient` by default, `HttpClient` for a server.

Chroma's own default embedding function downloads a model, so it must never run: we compute every
vector ourselves (`embeddings=`, `query_embeddings=`) and also open every collection with our own
registered embedding function, so that no code path can fall back to the default. Cosine space; one
collection per embedding model. A text already stored (same content hash) is never embedded again.

Beside each chunk's vector (of its title, headings and text), every sentence of a chunk has its own vector
in a second collection: a long passage whose one sentence answers the question is found by that sentence
(`sentence_similarities`) although its whole-passage vector is diluted by the rest, and the answer can quote
the sentence that answers.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy
import numpy.typing
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Space, Where
from chromadb.config import Settings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings

from ingest import Chunk
from knowledge.crashpoints import wrote
from knowledge.embeddings import as_vectors, embedder_name, embedder_spec, embeddings_from_spec
from knowledge.hits import StoredHit, Vector
from knowledge.sentences import sentences

NO_PAGE = -1  # Chroma metadata cannot hold None
HASH_BATCH = 500  # content hashes per `$in` lookup
EXEMPLAR = "exemplar"  # metadata flag: the one row per distinct text whose vector later copies reuse
REMEMBERED_CHUNKS = 4096  # chunks whose sentence vectors are kept in memory (about 8 KB each)


@register_embedding_function
class StyrbotEmbeddingFunction(chromadb.EmbeddingFunction[chromadb.Documents]):
    """Our embedding model as Chroma sees it; rebuilt from its spec when Chroma reads a collection's config."""

    def __init__(self, spec: str | None = "e5", embeddings: Embeddings | None = None, model: str = "") -> None:
        self.spec = spec
        self._embeddings = embeddings
        self._model = model or (embedder_name(embeddings) if embeddings is not None else str(spec))

    @property
    def model(self) -> Embeddings:
        """The langchain Embeddings behind this function (built from the spec on first use)."""
        if self._embeddings is None:
            if self.spec is None:
                raise ValueError(f"Open this collection with ChunkStore.open and the model {self._model!r}.")
            self._embeddings = embeddings_from_spec(self.spec)
        return self._embeddings

    def __call__(self, input: chromadb.Documents) -> chromadb.Embeddings:
        """Passage vectors."""
        return [_array(v) for v in self.model.embed_documents(list(input))]

    def embed_query(self, input: chromadb.Documents) -> chromadb.Embeddings:
        """Query vectors (used only if a caller passes query_texts)."""
        return [_array(self.model.embed_query(text)) for text in input]

    @staticmethod
    def name() -> str:
        """The name Chroma stores in the collection's configuration."""
        return "styrbot"

    def default_space(self) -> Space:
        """Cosine: the models' vectors are normalised."""
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        """What Chroma stores to rebuild this function."""
        return {"spec": self.spec, "model": self._model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> StyrbotEmbeddingFunction:
        """Rebuild from the stored configuration (lazily: nothing is loaded until a vector is needed)."""
        spec = config.get("spec")
        return StyrbotEmbeddingFunction(spec if isinstance(spec, str) else None, model=str(config.get("model", "")))


def _array(vector: Vector) -> numpy.typing.NDArray[numpy.float32]:
    return numpy.asarray(vector, dtype=numpy.float32)


def _arrays(vectors: Iterable[Vector]) -> chromadb.Embeddings:
    return [_array(vector) for vector in vectors]


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "doc_id": chunk.doc_id,
        "source": chunk.source,
        "title": chunk.title,
        "page": chunk.page if chunk.page is not None else NO_PAGE,
        "page_end": chunk.page_end if chunk.page_end is not None else NO_PAGE,
        "section": chunk.section_label,
        "municipality": chunk.municipality or "",
        "content_hash": chunk.content_hash,
        "index": chunk.index,
        "format": chunk.format,
    }


def _page(value: Any) -> int | None:
    page = int(value) if isinstance(value, int | float) else NO_PAGE
    return None if page == NO_PAGE else page


def _hit(item: str, text: str | None, meta: Any, similarity: float | None) -> StoredHit:
    meta = dict(meta or {})
    return StoredHit(
        id=item,
        text=text or "",
        doc_id=str(meta.get("doc_id", "")),
        index=int(meta.get("index", 0)),
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        format=str(meta.get("format", "")),
        page=_page(meta.get("page")),
        page_end=_page(meta.get("page_end")),
        section=str(meta.get("section", "")),
        municipality=str(meta.get("municipality", "")) or None,
        content_hash=str(meta.get("content_hash", "")),
        similarity=similarity,
    )


def _hits(found: Any) -> list[StoredHit]:
    """The chunks of a Chroma `get` result (with documents and metadatas)."""
    docs, metas = found["documents"] or [], found["metadatas"] or []
    return [_hit(i, d, m, None) for i, d, m in zip(found["ids"], docs, metas, strict=True)]


def collection_name(prefix: str, model_name: str) -> str:
    """A valid Chroma collection name (3–512 of [a-zA-Z0-9._-], alphanumeric ends) per embedding model."""
    raw = f"{prefix}-{model_name}"
    name = re.sub(r"\.{2,}", ".", re.sub(r"[^a-zA-Z0-9._-]+", "-", raw))
    name = re.sub(r"^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$", "", name)
    if len(name) > 200 or name != raw:  # a changed or shortened name gets a hash, so two models never collide
        name = f"{name[:180].rstrip('-._')}-{hashlib.sha256(raw.encode()).hexdigest()[:10]}"
    return name if len(name) >= 3 else f"styrbot-{hashlib.sha256(raw.encode()).hexdigest()[:10]}"


def _client(path: Path | None, url: str | None) -> Any:
    settings = Settings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        https = parsed.scheme == "https"
        port = parsed.port or (443 if https else 8000)
        return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=port, ssl=https, settings=settings)
    if path is None:
        raise ValueError("ChunkStore.open needs a path (embedded Chroma) or a url (a Chroma server).")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _batches(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def embedded_texts(chunks: Sequence[Chunk]) -> list[str]:
    """Every text `ChunkStore.add` embeds for these chunks: each chunk's search text and each sentence."""
    return [chunk.search_text for chunk in chunks] + [text for _, text, _ in _sentence_rows(chunks)]


def _sentence_rows(chunks: Sequence[Chunk]) -> list[tuple[str, str, dict[str, str | bool]]]:
    """(id, text, metadata) of every sentence of the chunks."""
    rows = []
    for chunk in chunks:
        for number, text in enumerate(sentences(chunk.text)):
            digest = hashlib.sha256(text.encode()).hexdigest()[:32]
            meta: dict[str, str | bool] = {"chunk_id": chunk.id, "doc_id": chunk.doc_id, "content_hash": digest}
            rows.append((f"{chunk.id}#{number}", text, meta))
    return rows


class ChunkStore:
    """The chunk collection of one embedding model, and the collection of its chunks' sentences."""

    def __init__(
        self,
        collection: Collection,
        sentences: Collection,
        embeddings: Embeddings,
        batch: int,
        client: Any = None,
        manifest_name: str = "",
    ) -> None:
        self.client = client
        self.manifest_name = manifest_name
        self.collection = collection
        self.sentences = sentences
        self.embeddings = embeddings
        self._batch = batch
        # chunk id → its sentences' vectors (none: a chunk without stored sentences); a chunk's id names its
        # document version, so its sentences never change under it: only a change made here clears the memory
        self._sentence_vectors: OrderedDict[str, numpy.typing.NDArray[numpy.float32] | None] = OrderedDict()
        self._remembering = threading.Lock()

    @classmethod
    def open(
        cls,
        embeddings: Embeddings,
        *,
        path: Path | None = None,
        url: str | None = None,
        collection_prefix: str = "styrbot",
    ) -> ChunkStore:
        """Open (or create) the model's collection, embedded in `path` or on the Chroma server at `url`."""
        client = _client(path, url)
        function = StyrbotEmbeddingFunction(embedder_spec(embeddings), embeddings)
        chunks, sentences = (
            client.get_or_create_collection(
                collection_name(prefix, embedder_name(embeddings)),
                embedding_function=function,
                configuration={"hnsw": {"space": "cosine"}},
            )
            for prefix in (collection_prefix, f"{collection_prefix}-sentences")
        )
        manifest = collection_name(f"{collection_prefix}-documents", embedder_name(embeddings))
        return cls(chunks, sentences, embeddings, int(client.get_max_batch_size()), client, manifest)

    def manifest_collection(self) -> Collection:
        """The collection that lists this model's live documents, for replicas sharing a Chroma server
        (`knowledge.manifest.SharedManifest`). Its records are fetched by id, never embedded."""
        function = StyrbotEmbeddingFunction(embedder_spec(self.embeddings), self.embeddings)
        collection: Collection = self.client.get_or_create_collection(self.manifest_name, embedding_function=function)
        return collection

    def close(self) -> None:
        """Let go of the client (its connections to a server, or the embedded database's files)."""
        if self.client is None:
            return
        # chromadb 1.5 stops a client's shared systems (its own and its admin client's) with their last
        # client, but leaves a server client's HTTP sessions open: close those too once nothing shares them
        owners = [self.client, getattr(self.client, "_admin_client", None)]
        sessions = [(o._identifier, getattr(getattr(o, "_server", None), "_session", None)) for o in owners if o]
        self.client.close()
        for identifier, session in sessions:
            if session is not None and identifier not in SharedSystemClient._identifier_to_system:
                session.close()

    def heartbeat(self) -> None:
        """Raise if Chroma does not answer (a server that went away; the embedded one always answers)."""
        if self.client is not None:
            self.client.heartbeat()

    @property
    def name(self) -> str:
        """The collection's name."""
        return str(self.collection.name)

    def add(self, chunks: Sequence[Chunk], vectors: Sequence[Vector] | None = None) -> None:
        """Store chunks (replacing any with the same id); texts already stored are not embedded again.

        The vector is of `search_text` (the chunk with its title and headings); the stored document is the
        chunk's own text, which is what a citation shows."""
        if vectors is not None and len(vectors) != len(chunks):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        chunk_keys = [(c.id, c.content_hash, c.search_text) for c in chunks]
        vectors, chunk_exemplars, chunks_retired = self._vectors(self.collection, chunk_keys, vectors)
        rows = _sentence_rows(chunks)
        sentence_keys = [(item, str(meta["content_hash"]), text) for item, text, meta in rows]
        sentence_vectors, sentence_exemplars, sentences_retired = self._vectors(self.sentences, sentence_keys)
        # chunks before their sentences: a crash part-way leaves stray rows that `document_ids` still finds
        for part in _batches(range(len(chunks)), self._batch):
            self.collection.upsert(
                ids=[chunks[i].id for i in part],
                embeddings=_arrays(vectors[i] for i in part),
                documents=[chunks[i].text for i in part],
                metadatas=[_metadata(chunks[i]) | {EXEMPLAR: chunks[i].id in chunk_exemplars} for i in part],
            )
            wrote("chunks stored")
        for part in _batches(range(len(rows)), self._batch):
            self.sentences.upsert(
                ids=[rows[i][0] for i in part],
                embeddings=_arrays(sentence_vectors[i] for i in part),
                documents=[rows[i][1] for i in part],
                metadatas=[rows[i][2] | {EXEMPLAR: rows[i][0] in sentence_exemplars} for i in part],
            )
            wrote("sentences stored")
        # after the new exemplars are stored: a failure in between leaves two, never none
        for collection, retired in ((self.collection, chunks_retired), (self.sentences, sentences_retired)):
            for part in _batches(retired, self._batch):
                collection.update(ids=list(part), metadatas=[{EXEMPLAR: False}] * len(part))
                wrote("earlier exemplars retired")
        self._forget()

    def _vectors(
        self, collection: Collection, keys: Sequence[tuple[str, str, str]], given: Sequence[Vector] | None = None
    ) -> tuple[Sequence[Vector], set[str], list[str]]:
        """A vector per (id, content hash, text), the ids of the rows to mark as their text's exemplar, and
        the ids of the exemplars they take over from.

        Stored vectors are found by hash among the exemplars (one row per distinct text, however many
        documents repeat it, so a lookup stays small); the rest are embedded once per distinct text, or
        taken from `given`. The newest copy of a text is its exemplar: a new version of a document that
        replaces the old one keeps its texts' vectors findable after the old version is removed."""
        exemplars = _exemplars(collection, {digest for _, digest, _ in keys})
        if given is None:
            todo = list({digest: text for _, digest, text in keys if digest not in exemplars}.items())
            fresh = self.embeddings.embed_documents([text for _, text in todo]) if todo else []
            found = {digest: vector for digest, (_, vector) in exemplars.items()}
            found |= {digest: vector for (digest, _), vector in zip(todo, fresh, strict=True)}
            given = [found[digest] for _, digest, _ in keys]
        marked: dict[str, str] = {}
        for item, digest, _ in keys:
            marked.setdefault(digest, item)
        retired = [item for digest, (item, _) in exemplars.items() if item != marked[digest]]
        return given, set(marked.values()), retired

    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict[str, list[float]]:
        """Stored chunk vectors of texts with these content hashes (unknown hashes are left out)."""
        return {digest: vector for digest, (_, vector) in _exemplars(self.collection, hashes).items()}

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of a document (version), and their sentences (first: a crash in between leaves
        chunks, which `document_ids` finds, rather than sentences nobody would look for)."""
        self.sentences.delete(where={"doc_id": doc_id})
        wrote("sentences deleted")
        self.collection.delete(where={"doc_id": doc_id})
        wrote("chunks deleted")
        self._forget()

    def _forget(self) -> None:
        with self._remembering:
            self._sentence_vectors.clear()

    def document_ids(self) -> set[str]:
        """The document ids that have chunks in the store."""
        ids: set[str] = set()
        for offset in range(0, self.count(), self._batch):
            metas = self.collection.get(include=["metadatas"], limit=self._batch, offset=offset)["metadatas"]
            ids |= {str(m["doc_id"]) for m in metas or []}
        return ids

    def chunks_of(self, doc_id: str) -> list[StoredHit]:
        """Every stored chunk of a document (version), in order."""
        found = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        return sorted(_hits(found), key=lambda hit: hit.index)

    def count(self) -> int:
        """How many chunks are stored."""
        return int(self.collection.count())

    def get(self, ids: Sequence[str]) -> list[StoredHit]:
        """Stored chunks by id (in the order asked, missing ids left out)."""
        if not ids:
            return []
        rows = {hit.id: hit for hit in _hits(self.collection.get(ids=list(ids), include=["documents", "metadatas"]))}
        return [rows[i] for i in ids if i in rows]

    def query_vector(self, text: str) -> Vector:
        """The question's vector (the model's query form)."""
        return self.embeddings.embed_query(text)

    def query(
        self, text: str, k: int, municipalities: Sequence[str | None] | None = None, vector: Vector | None = None
    ) -> list[StoredHit]:
        """The k chunks nearest to the question, best first; optionally only these municipalities ("" = general).
        `vector` is the question's vector when the caller has it already."""
        if k <= 0 or (municipalities is not None and not municipalities):
            return []
        where: Any = None
        if municipalities is not None:
            where = {"municipality": {"$in": sorted({m or "" for m in municipalities})}}
        result = self.collection.query(
            query_embeddings=_arrays([vector if vector is not None else self.query_vector(text)]),
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        ids, docs = result["ids"][0], (result["documents"] or [[]])[0]
        metas, dists = (result["metadatas"] or [[]])[0], (result["distances"] or [[]])[0]
        return [_hit(i, d, m, 1.0 - float(x)) for i, d, m, x in zip(ids, docs, metas, dists, strict=True)]

    def sentence_similarities(self, vector: Vector, chunk_ids: Sequence[str]) -> dict[str, tuple[float, ...]]:
        """For each of the chunks, the cosine similarity of each of its sentences to the question's vector, in
        the order of `knowledge.sentences.sentences` (chunks without stored sentences are left out)."""
        found = self._sentences_of(chunk_ids)
        query = _array(vector)
        return {
            chunk: tuple(float(x) for x in (vectors @ query).tolist())
            for chunk in chunk_ids
            if (vectors := found.get(chunk)) is not None
        }

    def _sentences_of(self, chunk_ids: Sequence[str]) -> dict[str, numpy.typing.NDArray[numpy.float32] | None]:
        """The chunks' sentence vectors in order, from memory or else from the sentence collection."""
        with self._remembering:
            known = {c: self._sentence_vectors[c] for c in chunk_ids if c in self._sentence_vectors}
        missing = [c for c in dict.fromkeys(chunk_ids) if c not in known]
        if not missing:
            return known
        where: Where = {"chunk_id": {"$in": missing}}  # type: ignore[dict-item]  # "$in" not inferred as Literal
        rows = self.sentences.get(where=where, include=["embeddings", "metadatas"])
        vectors, metas = rows.get("embeddings"), rows.get("metadatas") or []
        by_chunk: dict[str, dict[int, Vector]] = {}
        for item, meta, row in zip(rows["ids"], metas, [] if vectors is None else vectors, strict=False):
            by_chunk.setdefault(str(meta["chunk_id"]), {})[int(str(item).rsplit("#", 1)[1])] = row
        fetched = {chunk: _in_order(by_chunk.get(chunk)) for chunk in missing}
        with self._remembering:
            for chunk, value in fetched.items():
                self._sentence_vectors[chunk] = value
                self._sentence_vectors.move_to_end(chunk)
            while len(self._sentence_vectors) > REMEMBERED_CHUNKS:
                self._sentence_vectors.popitem(last=False)
        return known | fetched


def _in_order(sentences: dict[int, Vector] | None) -> numpy.typing.NDArray[numpy.float32] | None:
    """A chunk's sentence vectors by sentence number, as one matrix (None when it has none stored)."""
    if not sentences:
        return None
    return numpy.asarray([sentences[n] for n in sorted(sentences)], dtype=numpy.float32)


def _exemplars(collection: Collection, hashes: Iterable[str]) -> dict[str, tuple[str, list[float]]]:
    """The exemplar row (id and vector) of each of these content hashes that has one."""
    found: dict[str, tuple[str, list[float]]] = {}
    for part in _batches(sorted(set(hashes)), HASH_BATCH):
        where: Where = {"$and": [{"content_hash": {"$in": list(part)}}, {EXEMPLAR: True}]}  # type: ignore[dict-item]
        rows = collection.get(where=where, include=["embeddings", "metadatas"])
        vectors, metas = rows.get("embeddings"), rows.get("metadatas") or []
        if vectors is not None:
            for item, meta, vector in zip(rows["ids"], metas, as_vectors(vectors), strict=True):
                found.setdefault(str(meta["content_hash"]), (item, vector))
    return found
