"""Replicas sharing one Chroma server: what one indexes, replaces or removes, the others search the same way.

Each indexer here stands for a replica: its own connection to a real `chroma run` server, its own BM25
index in memory, and the manifest shared through the server.
"""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ingest import FileResult, process_file
from knowledge import indexing
from knowledge.bm25 import BM25Index, SwedishAnalyzer
from knowledge.indexing import Indexer
from knowledge.manifest import DocumentRecord, SharedManifest
from knowledge.retrieval import Retriever
from knowledge.store import ChunkStore
from tests.chroma import ChromaServer, chroma_server
from tests.knowledge.test_store import CountingEmbeddings

BUDGET = """Budgetprocessen

## Budget
Kommunfullmäktige fastställer budgeten och skattesatsen i november.

## Uppföljning
Nämnderna följer upp sin verksamhet i delårsrapporten per den 31 augusti.
"""
SNOW = """Snöröjning

## Gång- och cykelvägar
Snöröjningen av cykelvägar ska vara klar före klockan sju på vardagar.
"""
QUESTIONS = ("Vem fastställer budgeten?", "När kommer delårsrapporten?", "Snöröjning av cykelvägar")


OPENED: list[ChunkStore] = []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    with chroma_server(tmp_path / "chroma") as running:
        yield running
        while OPENED:
            OPENED.pop().close()


def replica(server: ChromaServer, tmp_path: Path, name: str) -> Indexer:
    store = ChunkStore.open(CountingEmbeddings(), url=server.url, collection_prefix=server.prefix)
    OPENED.append(store)
    return Indexer.shared(store, BM25Index(SwedishAnalyzer()), tmp_path / name)


def parsed(tmp_path: Path, name: str, text: str) -> FileResult:
    path = tmp_path / "files" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = process_file(path)
    assert result.status != "failed", result.error
    return result


def searches(indexer: Indexer) -> list[list[tuple[str, float]]]:
    return [indexer.bm25.search(question, 10) for question in QUESTIONS]


def test_a_document_indexed_by_one_replica_is_searched_alike_by_another(server: ChromaServer, tmp_path: Path) -> None:
    a, b = replica(server, tmp_path, "a"), replica(server, tmp_path, "b")
    assert len(b.bm25) == 0 and b.manifest.records == {}

    assert a.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun") == "ingested"
    assert a.index(parsed(tmp_path, "snow.md", SNOW), None) == "ingested"
    assert b.sync(force=True)
    assert b.manifest.records == a.manifest.records
    # the same passages with the same search text: the same BM25 scores, down to the last digit
    assert searches(b) == searches(a) and searches(a)[0]
    assert not (tmp_path / "a" / indexing.BM25_FILE).exists()  # shared replicas rebuild BM25 from the server

    # a replica started later reads everything in at once
    c = replica(server, tmp_path, "c")
    assert searches(c) == searches(a) and len(c.bm25) == len(a.bm25)


def test_a_replacement_and_a_removal_reach_the_other_replica(
    server: ChromaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = replica(server, tmp_path, "a"), replica(server, tmp_path, "b")
    a.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun")
    b.sync(force=True)
    old = b.manifest.records[next(iter(b.manifest.records))].key

    a.index(parsed(tmp_path, "budget.md", BUDGET.replace("november", "oktober")), "exempelkommun")
    monkeypatch.setattr(indexing, "SYNC_SECONDS", 0.0)  # no waiting for the next look at the marker
    assert b.sync()
    hits = b.bm25.search("budgeten skattesatsen oktober", 10)
    assert hits and all(not hit.startswith(old) for hit, _ in hits)
    assert searches(b) == searches(a)

    doc_id = next(iter(a.manifest.records))
    assert a.remove(doc_id) is not None
    assert b.sync() and len(b.bm25) == 0 and b.manifest.records == {}
    assert not b.sync()  # nothing new: the marker alone was read


def test_a_replica_that_has_not_looked_yet_still_replaces_the_current_version(
    server: ChromaServer, tmp_path: Path
) -> None:
    a, b = replica(server, tmp_path, "a"), replica(server, tmp_path, "b")
    a.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun")
    # b has not synced since a's upload; its own upload of the same file must still replace a's version
    assert b.index(parsed(tmp_path, "budget.md", BUDGET.replace("november", "oktober")), "exempelkommun") == "replaced"
    assert b.store.document_ids() == {record.key for record in b.manifest.records.values()}
    assert a.sync(force=True) and searches(a) == searches(b)


def test_a_throttled_sync_does_not_ask_the_server(server: ChromaServer, tmp_path: Path) -> None:
    a, b = replica(server, tmp_path, "a"), replica(server, tmp_path, "b")
    b.sync(force=True)
    a.index(parsed(tmp_path, "snow.md", SNOW), None)
    assert not b.sync()  # just synced: the next look is at most SYNC_SECONDS away
    assert len(b.bm25) == 0


def test_a_server_that_stops_answering_leaves_questions_with_what_is_known(
    server: ChromaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = replica(server, tmp_path, "a")
    a.index(parsed(tmp_path, "snow.md", SNOW), None)
    known = searches(a)

    def gone() -> bool:
        raise ConnectionError("the Chroma server does not answer")

    monkeypatch.setattr(a.manifest, "refresh", gone)
    monkeypatch.setattr(indexing, "SYNC_SECONDS", 0.0)
    assert not a.sync() and searches(a) == known  # a question goes on with the last known documents
    with pytest.raises(ConnectionError):  # a write must not go ahead on a stale view
        a.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun")


def test_installations_with_their_own_prefix_share_a_server_but_not_documents(
    server: ChromaServer, tmp_path: Path
) -> None:
    ours = replica(server, tmp_path, "ours")
    theirs = replica(ChromaServer(server.url, f"{server.prefix}-other"), tmp_path, "theirs")
    ours.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun")
    assert not theirs.sync(force=True) and theirs.manifest.records == {} and theirs.store.count() == 0
    assert ours.store.name != theirs.store.name and len(ours.bm25) > 0


def test_a_replica_that_writes_still_learns_what_another_wrote_just_before(
    server: ChromaServer, tmp_path: Path
) -> None:
    a, b = replica(server, tmp_path, "a"), replica(server, tmp_path, "b")
    mine, theirs = SharedManifest(a.store.manifest_collection()), SharedManifest(b.store.manifest_collection())
    record = next(iter(parsed_records(a, tmp_path).values()))
    theirs.put(replace(record, doc_id="theirs", key="theirs@1"))
    mine.put(replace(record, doc_id="mine", key="mine@1"))  # its own marker overwrites theirs
    assert mine.refresh() and set(mine.records) == {record.doc_id, "theirs", "mine"}


def test_chunks_no_manifest_names_are_never_found(server: ChromaServer, tmp_path: Path) -> None:
    a = replica(server, tmp_path, "a")
    a.index(parsed(tmp_path, "snow.md", SNOW), None)
    # a version stored but never published (a replica that failed half-way, or one still writing)
    orphan = [replace(chunk, doc_id="orphan@1") for chunk in parsed(tmp_path, "budget.md", BUDGET).chunks]
    a.store.add(orphan)
    found = Retriever(a.store, a.bm25).search("Vem fastställer budgeten och skattesatsen?", None)
    assert found and all(not p.hit.doc_id.startswith("orphan") for p in found)


def parsed_records(indexer: Indexer, tmp_path: Path) -> dict[str, DocumentRecord]:
    indexer.index(parsed(tmp_path, "budget.md", BUDGET), "exempelkommun")
    return indexer.manifest.records
