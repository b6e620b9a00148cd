"""A small set of passages kept in memory and searched like the documents: Swedish BM25 and vectors, fused.

The rules' statements ("Direktören är inte valbar till förtroendeuppdrag i kommunen.", KL 7 kap 3 §) are
a few hundred short passages that every question may need, indexed or not: they live in memory beside
the document index. Each passage is cited like a document passage (its `StoredHit` names the law and
the paragraph) and searched on its text plus the words people use when they ask about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy
from langchain_core.embeddings import Embeddings

from knowledge.bm25 import BM25Index, SwedishAnalyzer
from knowledge.hits import StoredHit, Vector
from knowledge.retrieval import Passage, fuse

CANDIDATES = 20


@dataclass(frozen=True)
class SearchText:
    """A passage to cite, and the text to search it by (its own text and the words people use for it)."""

    hit: StoredHit
    search: str


class PassageIndex:
    """Passages in memory: BM25 over their search texts, cosine over their vectors, fused by rank."""

    def __init__(
        self,
        passages: Sequence[SearchText],
        vectors: Sequence[Vector],
        sentence_vectors: Sequence[Sequence[Vector]],
        analyzer: SwedishAnalyzer,
        embeddings: Embeddings,
    ) -> None:
        """`vectors` has one vector per passage, `sentence_vectors` one per sentence of each passage (in the
        order of `knowledge.sentences.sentences`)."""
        if not len(passages) == len(vectors) == len(sentence_vectors):
            raise ValueError("one vector, and one list of sentence vectors, per passage")
        self.embeddings = embeddings
        self._sentences = [numpy.asarray(v, dtype=numpy.float32).reshape(len(v), -1) for v in sentence_vectors]
        self.hits = {p.hit.id: p.hit for p in passages}
        self._about = {p.hit.id: p.search.removeprefix(p.hit.text).strip() for p in passages}
        self.bm25 = BM25Index(analyzer)
        for passage in passages:
            self.bm25.add(passage.hit.id, passage.search, {"municipality": passage.hit.municipality or ""})
        self._ids = [p.hit.id for p in passages]
        self._vectors = numpy.asarray(vectors, dtype=numpy.float32).reshape(len(passages), -1)

    def __len__(self) -> int:
        return len(self._ids)

    def query_vector(self, question: str) -> Vector:
        """The question's vector, from the model the passages were embedded with."""
        return self.embeddings.embed_query(question)

    def search(self, question: str, vector: Vector, municipality: str | None, k: int = 10) -> list[Passage]:
        """The best passages for the question among the general ones and the municipality's, best first."""
        allowed = {municipality or "", ""}
        query = numpy.asarray(vector, dtype=numpy.float32)
        similarities = self._vectors @ query if self._ids else numpy.zeros(0)
        by_vector = [
            self._ids[i]
            for i in numpy.argsort(-similarities)[:CANDIDATES]
            if (self.hits[self._ids[i]].municipality or "") in allowed
        ]
        lexical = [item for item, _ in self.bm25.search(question, CANDIDATES, partitions=allowed)]
        position = {item: i for i, item in enumerate(self._ids)}
        passages = []
        for item, score in fuse(by_vector, lexical)[:k]:
            at = position[item]
            hit = replace(self.hits[item], similarity=float(similarities[at]))
            vector_rank = by_vector.index(item) + 1 if item in by_vector else None
            lexical_rank = lexical.index(item) + 1 if item in lexical else None
            sentence_similarities = tuple(float(x) for x in (self._sentences[at] @ query).tolist())
            passages.append(Passage(hit, score, vector_rank, lexical_rank, sentence_similarities, self._about[item]))
        return passages

    def known_words(self, text: str) -> set[str]:
        """The words of `text` some passage contains (by stem, compound part or synonym)."""
        return self.bm25.known_words(text)
