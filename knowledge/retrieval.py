"""Hybrid search: vector and Swedish BM25 results fused by reciprocal rank, limited to a municipality.

The search covers the question's municipality plus general documents (municipality ""). The same text
published in several formats (a PDF and its DOCX) is one passage: near-duplicates are folded into the
best-ranked one, so an answer never cites the same words twice.

A question that asks what a term means ("Vad är nyckeltal?", "Vad menas med tillitsbaserad styrning?")
gets a third ranking: the candidates that define the term ("Nyckeltal är mått …", a glossary row
"Nyckeltal | …"), so the definition outranks passages that merely use the word.

The best candidates are then ranked once more by their single sentence nearest to the question
(sentence-level vectors): a long passage whose one sentence answers ("Nämnderna ansvarar för sitt
grunduppdrag och fullmäktige för helheten") rises above passages that are only about the same topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from knowledge.bm25 import BM25Index
from knowledge.hits import StoredHit, Vector

if TYPE_CHECKING:  # the store (and Chroma) is imported by whoever opens one, not by every reader of hits
    from knowledge.store import ChunkStore

RRF_K = 60  # the usual constant: ranks matter, raw scores do not (e5 and BM25 scores are not comparable)
CANDIDATES = 30
SENTENCE_CANDIDATES = 30  # the fused best, ranked again by their nearest sentence
SENTENCE_WEIGHT = 1.5  # the sentence ranking counts more than one whole-passage ranking
DUPLICATE_OVERLAP = 0.6
# Among renditions of the same words, the one cited: a page-numbered PDF first, then formats a reader opens in
# the browser, the office files (downloaded to be read) last
CITED_FIRST = ("pdf", "html", "markdown", "text", "docx", "pptx")
_CITED_PLACE = {name: place for place, name in enumerate(CITED_FIRST)}


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score, the ranks it had in each search, and its vector similarity."""

    hit: StoredHit
    score: float
    vector_rank: int | None
    lexical_rank: int | None
    similarities: tuple[float, ...] = ()  # each sentence's cosine similarity to the question, when known
    about: str = ""  # words people use when they ask about the passage (a rule's statement has them)

    @property
    def nearest(self) -> float | None:
        """The similarity of the passage's sentence nearest to the question, when known."""
        return max(self.similarities) if self.similarities else None

    @property
    def id(self) -> str:
        """The chunk id."""
        return self.hit.id


def _fingerprint(text: str, size: int = 5) -> tuple[frozenset[str], frozenset[str]]:
    """The text's runs of `size` words, and its words."""
    words = re.sub(r"[^\w]+", " ", text.lower()).split()
    return frozenset(" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))), frozenset(words)


def _repeats(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether one text repeats the other: most of their runs of words are shared, or all their words are (two
    statements of one rule may say the same in another order: "bordläggas eller återremitteras")."""
    (runs_a, words_a), (runs_b, words_b) = a, b
    shared = len(runs_a & runs_b) / min(len(runs_a), len(runs_b)) if runs_a and runs_b else 0.0
    return shared >= DUPLICATE_OVERLAP or words_a == words_b


_DEFINITION_QUESTION = re.compile(
    r"^(?:vad (?:är|betyder|menas med|innebär|avses med|står)|hur definieras|förklara)\s+"
    r"(?:en |ett |begreppet |ordet |termen )?(?P<term>[\w\s\-–:]+?)(?: för)?\s*\??$",
    re.IGNORECASE,
)
_TERM_END = re.compile(
    r"\s(?:i|enligt|inom|hos|för|när|som|på|egentligen|alltså|då|typ|riktigt|konkret|kort)\s", re.IGNORECASE
)


def definition_term(question: str) -> str | None:
    """The term a "what does X mean" question asks about ("Vad betyder önskat läge 2035?" → "önskat läge
    2035"), cut before a trailing qualifier ("… enligt styrmodellen"); None for other questions."""
    match = _DEFINITION_QUESTION.match(" ".join(question.split()))
    if match is None:
        return None
    term = _TERM_END.split(f" {match.group('term')} ")[0].strip()
    return term or None


def defines(text: str, term: str) -> bool:
    """Whether the text defines the term: a line (or table cell) that opens with it (a glossary row may hold two
    terms, their definitions in the next cell: "Kvalitet; Statlig och kommunal styrning | Innebär …"), followed by
    "är", a dash, a colon, "innebär", "betyder", "avser", "handlar om", "står för" or the next cell; "Med X
    avses/menas …"; or "… X, vilket innebär …" in a text that names the term's other words too ("Målen ska vara
    SMARTA vilket innebär att …" defines "SMARTA mål")."""
    first, *rest = term.lower().split()
    explained = rf"\b{re.escape(first)}\w{{0,4}},?\s+(?:vilket|som|det vill säga|dvs\.?)\s+(?:innebär|betyder|står för)"
    if re.search(explained, text.lower()) and all(word[:4] in text.lower() for word in rest):
        return True
    word = re.escape(term.lower())
    pattern = (
        rf"(?:^|\n|\|\s)\s*{word}\w{{0,4}}(?:;[^|\n]{{0,60}})?\s*(?:är|–|-|:|innebär|betyder|avser|handlar om|står för|"
        rf"omfattar|\|)|"
        rf"(?:^|\n|[.!?]\s)\s*med {word}\w{{0,4}} (?:avses|menas)\b"
    )
    return re.search(pattern, text.lower()) is not None


def fuse(*rankings: Sequence[str], k: int = RRF_K, weights: Sequence[float] = ()) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion of ranked id lists, best first; `weights` per list (default 1 each)."""
    scores: dict[str, float] = {}
    for number, ranking in enumerate(rankings):
        weight = weights[number] if number < len(weights) else 1.0
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)


class Retriever:
    """Searches the vector store and the BM25 index together."""

    def __init__(self, store: ChunkStore, bm25: BM25Index) -> None:
        self.store = store
        self.bm25 = bm25

    def search(
        self, question: str, municipality: str | None, k: int = 10, vector: Vector | None = None
    ) -> list[Passage]:
        """The best passages for the question from the municipality's and the general documents (`vector`:
        the question's, when the caller has it)."""
        allowed = [municipality, ""] if municipality else None
        vector = self.store.query_vector(question) if vector is None else vector
        # only live passages: BM25 holds exactly the manifest's versions, while the vector store may still
        # hold a replaced version's chunks for a moment (or for good, after a failure half-way)
        vector_hits = [
            hit for hit in self.store.query(question, CANDIDATES, allowed, vector=vector) if hit.id in self.bm25
        ]
        lexical = self.bm25.search(question, CANDIDATES, partitions=allowed)
        vector_ids = [hit.id for hit in vector_hits]
        lexical_ids = [doc_id for doc_id, _ in lexical]
        hits = {hit.id: hit for hit in vector_hits}
        missing = [i for i in lexical_ids if i not in hits]
        hits |= {hit.id: hit for hit in self.store.get(missing)} if missing else {}
        rankings = [vector_ids, lexical_ids]
        fused = fuse(*rankings)
        term = definition_term(question)
        if term is not None:  # the passages that define the term, found by the term alone too ("styrning" is common)
            found = self.bm25.search(term, CANDIDATES, partitions=allowed)
            named = [doc_id for doc_id, _ in found if doc_id not in hits]
            hits |= {hit.id: hit for hit in self.store.get(named)} if named else {}
            candidates = [item for item, _ in fused] + named
            rankings.append([item for item in candidates if item in hits and defines(hits[item].text, term)])
            fused = fuse(*rankings)
        similar = self.store.sentence_similarities(
            vector, [item for item, _ in fused[:SENTENCE_CANDIDATES] if item in hits]
        )
        by_sentence = sorted(similar, key=lambda item: -max(similar[item]))
        fused = fuse(*rankings, by_sentence, weights=[1.0] * len(rankings) + [SENTENCE_WEIGHT])
        passages = [
            Passage(hits[item], score, _rank(vector_ids, item), _rank(lexical_ids, item), similar.get(item, ()))
            for item, score in fused
            if item in hits
        ]
        return _without_duplicates(passages)[:k]

    def lexical(self, text: str, municipality: str | None, k: int = 10) -> list[Passage]:
        """BM25 alone (no embedding model needed): for finding a known text, such as a rule's quote."""
        allowed = [municipality, ""] if municipality else None
        ranked = [doc_id for doc_id, _ in self.bm25.search(text, k, partitions=allowed)]
        hits = {hit.id: hit for hit in self.store.get(ranked)}
        return [Passage(hits[i], 1.0 / (RRF_K + r), None, r) for r, i in enumerate(ranked, 1) if i in hits]

    @staticmethod
    def fold(passages: list[Passage]) -> list[Passage]:
        """The passages without repeats of a better one's text (renditions of one document)."""
        return _without_duplicates(passages)


def merge(*rankings: Sequence[Passage]) -> list[Passage]:
    """Passages of separate searches (the documents, the law) in one order: by their rank in their own
    search, and between equal ranks by the similarity of their sentence nearest to the question."""
    ranked = [(rank, -(p.nearest or 0.0), p) for ranking in rankings for rank, p in enumerate(ranking)]
    return _without_duplicates([p for _, _, p in sorted(ranked, key=lambda row: row[:2])])


def _rank(ranking: Sequence[str], item: str) -> int | None:
    return ranking.index(item) + 1 if item in ranking else None


def _without_duplicates(passages: list[Passage]) -> list[Passage]:
    """Drop passages that repeat most of a better-ranked passage's words (a rendition of the same text). Where
    two renditions hold exactly the same words, which one ranked first is chance (their vectors and words tie):
    the place goes to the better-ranked, the citation to the rendition first in `CITED_FIRST`."""
    kept: list[tuple[Passage, tuple[frozenset[str], frozenset[str]]]] = []
    for passage in passages:
        fingerprint = _fingerprint(passage.hit.text)
        repeated = next((at for at, (_, other) in enumerate(kept) if _repeats(fingerprint, other)), None)
        if repeated is None:
            kept.append((passage, fingerprint))
        elif _same_words_cited_first(passage, kept[repeated][0]):
            kept[repeated] = (replace(passage, score=kept[repeated][0].score), fingerprint)
    return [passage for passage, _ in kept]


def _same_words_cited_first(rendition: Passage, kept: Passage) -> bool:
    """Whether `rendition` holds the same words as `kept` and is the one to cite."""
    last = len(CITED_FIRST)
    earlier = _CITED_PLACE.get(rendition.hit.format, last) < _CITED_PLACE.get(kept.hit.format, last)
    return rendition.hit.content_hash == kept.hit.content_hash and earlier
