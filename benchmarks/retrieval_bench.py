"""Retrieval quality, query latency and ingest time on the demo corpus, against three baselines, in one run.

Methods, all scored on the same index of the PDF, DOCX and PPTX renditions (as `styrbot eval` is):

- styrbot: the hybrid search `ask` uses (vectors + Swedish BM25 + definitions + nearest sentence);
- bm25 only: the same Swedish analyzer and thesaurus, with the same municipality filter and folding;
- e5 only: the chunk vectors in Chroma alone, same filter and folding;
- langchain: a plain pipeline over the same files' text — `RecursiveCharacterTextSplitter` (900 characters,
  100 overlap) and `langchain_chroma.Chroma` similarity search with the same e5 embeddings and the same
  municipality filter, no folding of renditions.

Scored as the eval README says: a hit is a returned passage containing a gold phrase; hit@1, hit@5 and
MRR@10 over the answerable dev questions, passages only (no rules in front). Latency is per warm query
(one query first, untimed). Ingest: the renditions into an empty data directory, then the HTML (the full
demo corpus), then all of it again unchanged.

    pip install -e ".[bench]"
    python benchmarks/retrieval_bench.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.library import ingest_paths, open_indexer
from bot.settings import Settings
from ingest import iter_files, process_file
from knowledge.embeddings import E5Embeddings
from knowledge.retrieval import Passage, Retriever
from knowledge.sentences import normalise
from rules import RulesEngine

ROOT = Path(__file__).resolve().parents[1]
RENDITIONS = [ROOT / "corpus" / name for name in ("pdf", "docx", "pptx")]
HTML = [ROOT / "corpus" / "html"]
Search = Callable[[str, str | None], list[str]]  # question, municipality -> passage texts, best first
T = TypeVar("T")


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def _styrbot_methods(retriever: Retriever) -> dict[str, Search]:
    def texts(passages: list[Passage]) -> list[str]:
        return [p.hit.text for p in passages]

    def bm25(question: str, municipality: str | None) -> list[str]:
        return texts(retriever.fold(retriever.lexical(question, municipality, k=30))[:10])

    def vector(question: str, municipality: str | None) -> list[str]:
        allowed = [municipality, ""] if municipality else None
        hits = retriever.store.query(question, 30, allowed)
        return texts(retriever.fold([Passage(h, 0.0, r, None) for r, h in enumerate(hits, 1)])[:10])

    return {
        "styrbot": lambda q, m: texts(retriever.search(q, m, k=10)),
        "bm25 only": bm25,
        "e5 only": vector,
    }


def _langchain(municipality_of: Callable[[str], str | None], workdir: Path) -> tuple[Search, float]:
    """The plain langchain pipeline, built over the renditions; returns its search and its ingest seconds."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=900, chunk_overlap=100)
    documents = []
    for path in iter_files(RENDITIONS):
        result = process_file(path)
        if result.document is not None:
            meta = {"source": path.name, "municipality": municipality_of(path.name) or ""}
            documents += splitter.create_documents([result.document.text], metadatas=[meta])
    client = chromadb.PersistentClient(path=str(workdir), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        client=client,
        collection_name="langchain-baseline",
        embedding_function=E5Embeddings(),  # never Chroma's own: it would download a model
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents([Document(d.page_content, metadata=d.metadata) for d in documents])
    seconds = time.perf_counter() - started

    def search(question: str, municipality: str | None) -> list[str]:
        where = {"municipality": {"$in": [municipality, ""]}} if municipality else None
        hits = store.similarity_search(question, k=10, filter=where)  # type: ignore[arg-type]  # a Chroma where
        return [d.page_content for d in hits]

    return search, seconds


def _score(search: Search, items: list[dict[str, Any]]) -> tuple[float, float, float, float, float]:
    """hit@1, hit@5, MRR@10, latency p50 and p95 (ms) of a search over the answerable items."""
    search(items[0]["question"], items[0]["municipality"])  # warm
    ranks: list[int | None] = []
    seconds: list[float] = []
    for item in items:
        started = time.perf_counter()
        texts = search(item["question"], item["municipality"])
        seconds.append(time.perf_counter() - started)
        gold = [normalise(g) for g in item["gold"]]
        ranks.append(next((r for r, t in enumerate(texts, 1) if any(g in normalise(t) for g in gold)), None))
    n = len(ranks)
    hit1 = sum(r == 1 for r in ranks) / n
    hit5 = sum(1 for r in ranks if r is not None and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r is not None) / n
    p95 = statistics.quantiles(seconds, n=20)[18]
    return hit1, hit5, mrr, statistics.median(seconds) * 1000, p95 * 1000


def _run(work: Path) -> None:
    municipality_of = RulesEngine().store.municipality_of_file
    indexer = open_indexer(Settings(data_dir=work / "styrbot"))
    _, renditions = _timed(lambda: ingest_paths(indexer, RENDITIONS, municipality_of))
    chunks = indexer.store.count()

    items = [json.loads(line) for line in (ROOT / "eval" / "retrieval_dev.jsonl").read_text().splitlines() if line]
    items = [item for item in items if not item.get("unanswerable")]
    methods = _styrbot_methods(Retriever(indexer.store, indexer.bm25))
    methods["langchain"], langchain_ingest = _langchain(municipality_of, work / "langchain")

    print(f"{'method':<10} {'hit@1':>6} {'hit@5':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for name, search in methods.items():
        hit1, hit5, mrr, p50, p95 = _score(search, items)
        print(f"{name:<10} {hit1:>6.3f} {hit5:>6.3f} {mrr:>7.3f} {p50:>7.1f} {p95:>7.1f}")
    print(f"(n = {len(items)} answerable dev questions; target for styrbot: warm p95 <= 100 ms)")

    _, html = _timed(lambda: ingest_paths(indexer, HTML, municipality_of))
    unchanged, again = _timed(lambda: ingest_paths(indexer, RENDITIONS + HTML, municipality_of))
    command = [sys.executable, "-c", "from bot.cli import main; main()", "ingest", *map(str, RENDITIONS + HTML)]
    env = os.environ | {"STYRBOT_DATA_DIR": str(work / "styrbot")}
    _, cli = _timed(lambda: subprocess.run([*command, "--json"], env=env, check=True, capture_output=True))
    print()
    print(f"ingest, renditions (pdf, docx, pptx): {renditions:6.1f} s  ({chunks} chunks)")
    print(f"ingest, full demo corpus (+ html):    {renditions + html:6.1f} s  (target <= 90 s)")
    skipped = f"{len(unchanged.skipped)} of {len(unchanged.skipped) + len(unchanged.ingested)} files skipped"
    print(f"re-ingest, unchanged full demo:       {again:6.3f} s  in process, {skipped} (target <= 5 s)")
    print(f"  the same as a command, start-up included: {cli:.1f} s")
    print(f"langchain ingest (split, embed, add): {langchain_ingest:6.1f} s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="styrbot-bench-", ignore_cleanup_errors=True) as work:
        _run(Path(work))


if __name__ == "__main__":
    main()
