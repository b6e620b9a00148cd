"""Retrieval quality and latency on the dev set: hybrid search against its two halves, in one run.

Baselines: BM25 alone (the same Swedish analyzer and thesaurus) and the vector search alone (e5 in
Chroma), both with the same municipality filter and the same folding of renditions. Scored as the eval
README says (a hit is a passage containing a gold phrase; hit@1/hit@5/MRR@10 over the answerable
questions), on the passages only, without the rules in front. Prints latency p50/p95 per method.

    python benchmarks/retrieval_bench.py [--data-dir DIR]

Without --data-dir the demo corpus's PDF, DOCX and PPTX renditions are ingested into a temporary
directory first (about a minute).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.evaluation import normalise
from bot.library import ingest_paths, open_indexer
from bot.settings import Settings
from knowledge.retrieval import Passage, Retriever
from rules import RulesEngine

ROOT = Path(__file__).resolve().parents[1]
Search = Callable[[str, str | None], list[Passage]]


def _methods(retriever: Retriever) -> dict[str, Search]:
    def bm25(question: str, municipality: str | None) -> list[Passage]:
        return retriever.fold(retriever.lexical(question, municipality, k=30))[:10]

    def vector(question: str, municipality: str | None) -> list[Passage]:
        allowed = [municipality, ""] if municipality else None
        hits = retriever.store.query(question, 30, allowed)
        return retriever.fold([Passage(h, 0.0, r, None) for r, h in enumerate(hits, 1)])[:10]

    return {"hybrid": lambda q, m: retriever.search(q, m, k=10), "bm25 only": bm25, "vector only": vector}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="styrbot-bench-"))
    indexer = open_indexer(Settings(data_dir=data))
    if len(indexer.bm25) == 0:
        started = time.perf_counter()
        folders = [ROOT / "corpus" / name for name in ("pdf", "docx", "pptx")]
        ingest_paths(indexer, folders, RulesEngine().store.municipality_of_file)
        print(f"ingested the renditions in {time.perf_counter() - started:.1f} s ({indexer.store.count()} chunks)")
    retriever = Retriever(indexer.store, indexer.bm25)
    items = [json.loads(line) for line in (ROOT / "eval" / "retrieval_dev.jsonl").read_text().splitlines() if line]
    items = [item for item in items if not item.get("unanswerable")]
    retriever.search("uppvärmning", None)  # first search builds the BM25 postings; not part of the timings
    print(f"{'method':<12} {'hit@1':>6} {'hit@5':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for name, search in _methods(retriever).items():
        ranks: list[int | None] = []
        seconds: list[float] = []
        for item in items:
            started = time.perf_counter()
            passages = search(item["question"], item["municipality"])
            seconds.append(time.perf_counter() - started)
            gold = [normalise(g) for g in item["gold"]]
            texts = [normalise(p.hit.text) for p in passages]
            ranks.append(next((r for r, t in enumerate(texts, 1) if any(g in t for g in gold)), None))
        n = len(ranks)
        hit1 = sum(r == 1 for r in ranks) / n
        hit5 = sum(1 for r in ranks if r is not None and r <= 5) / n
        mrr = sum(1 / r for r in ranks if r is not None) / n
        cuts = statistics.quantiles(seconds, n=20)
        print(f"{name:<12} {hit1:>6.3f} {hit5:>6.3f} {mrr:>7.3f} {statistics.median(seconds) * 1000:>7.1f} "
              f"{cuts[18] * 1000:>7.1f}")  # fmt: skip
    print(f"(n = {len(items)} answerable dev questions; hybrid is the first row, the others its halves)")


if __name__ == "__main__":
    main()
