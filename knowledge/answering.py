"""Answers from the documents: retrieve, decide whether the documents answer, compose with citations.

`DocumentAnswerer.answer` never guesses: it abstains (with a Swedish sentence that says why and where
to ask) when no documents are indexed, when the question asks for a person's name or contact details,
or when the question's topic words appear in no indexed passage (`knowledge.abstention`). Otherwise it
answers with the documents' own words (`knowledge.compose`), citing every passage it used, best first.
With a `Writer` (a configured language model), the model writes the answer from the same passages, and
its reply is shown only if it passes `knowledge.generation`'s checks; otherwise the extractive one is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge import texts
from knowledge.abstention import Reason, Verdict, judge
from knowledge.bm25 import SwedishAnalyzer, tokenize
from knowledge.compose import compose, scores
from knowledge.generation import Unusable, Writer
from knowledge.hits import Spot
from knowledge.passages import PassageIndex
from knowledge.questions import (
    Pointed,
    act_asked,
    answers_when,
    asks_when,
    asks_who,
    gives,
    holds,
    names_act,
    wants,
    without_chain,
)
from knowledge.retrieval import Passage, Retriever, merge
from knowledge.sentences import normalise

CITED = 5  # passages cited per answer
LEADING = 4  # passages of which one must hold the amount or count a question asks for
LAW_CANDIDATES = 3  # statements of law weighed beside the documents' passages …
LAW_WEIGHED = 2  # … and the best answers among …
LAW_POOL = 10  # … this many found
CHECKED = 20  # statements a rule answer's own must be among …


@dataclass(frozen=True)
class DocumentAnswer:
    """A Swedish answer from the documents (or an abstention), the passages it cites, and how it came about."""

    text: str
    passages: tuple[Passage, ...]
    abstained: bool
    reason: Reason | None = None
    trace: tuple[str, ...] = ()
    written_by: str | None = None  # the language model that wrote `text`; None for the documents' own words
    generation: str | None = None  # with a model: "written", or why its reply was not used (Unusable.reason)


def as_written(question: str, name: str) -> str:
    """A place as the question writes it, with the word for the municipality that follows it ("Göteborgs stad",
    "Uppsala kommun", "Uppsala"), so that a genitive is never left standing alone ("från Göteborgs")."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?:\s+(?:kommun|stad|kommunkoncern)(?!\w))?", question, re.IGNORECASE)
    return found[0] if found else name.title()


class DocumentAnswerer:
    """Answers questions from the indexed governance documents and the rules' statements of law."""

    def __init__(
        self,
        retriever: Retriever | None,
        law: PassageIndex | None = None,
        cited: int = CITED,
        writer: Writer | None = None,
        statements: PassageIndex | None = None,
    ) -> None:
        self.retriever = retriever if retriever is not None and len(retriever.bm25) else None
        self.law = law
        self.statements = statements
        self.cited = cited
        self.writer = writer
        self._quoting_lock = threading.Lock()
        self._quoting_version: frozenset[str] | None = None
        self._quoting: dict[tuple[tuple[str, ...], str | None], tuple[Passage, ...]] = {}

    def answer(
        self,
        question: str,
        municipality: str | None,
        name: str,
        places: Iterable[str] = (),
        ignore: Iterable[str] = (),
        context: str = "",
        pointed: Pointed | None = None,
        about: Sequence[str] = (),
        earlier: Spot | None = None,
    ) -> DocumentAnswer:
        """Answer from the documents of `municipality` (and general ones) and the law. `name` is how to call
        it in Swedish; `places` are places the question names that are none of the profiled municipalities;
        `ignore` are the names of our own (they locate the question, they are not its topic); `context` is
        what the person said before the question (searched with it, but it does not decide abstention);
        `pointed` the source the question asks about (the municipality's own documents, or the law); `about` the
        concepts the situation told is about (`knowledge.situations`), searched and weighed as part of the
        question; `earlier` where the conversation's last answer was quoted from, when this follows up its subject
        (its passage is preferred a little when it is among those found)."""
        if self.retriever is None and self.law is None:
            return DocumentAnswer(texts.NO_DOCUMENTS.format(name=name), (), True, "no_documents", ("documents: none",))
        full = f"{context} {question}".strip()
        known = self._known_words(full)
        verdict = judge(question, known.__contains__, ignore, places, context)
        if verdict is not None and verdict.reason == "other_municipality":
            place = as_written(question, verdict.words[0])
            text = texts.OTHER_MUNICIPALITY.format(place=place)
            return DocumentAnswer(text, (), True, verdict.reason, (f"documents: abstained, no documents from {place}",))
        if verdict is not None:
            return self._abstain(verdict, name)
        trace: tuple[str, ...] = (f"read as a situation about: {', '.join(about)}",) if about else ()
        passages = self._search(question, context, municipality, about)
        if not passages:
            return DocumentAnswer(self._not_found(name), (), True, "not_in_documents")
        wanted = wants(question)
        if wanted is not None and not any(holds(wanted, p.hit.text, question) for p in passages[:LEADING]):
            return self._abstain(Verdict("not_held", (wanted,)), name)
        trace += tuple(
            f"documents: {p.hit.source} p{p.hit.page} vector {p.vector_rank} lexical {p.lexical_rank}" for p in passages
        )
        generation = None
        if self.writer is not None:
            try:
                written = self.writer.write(question, passages, name)
            except Unusable as exc:
                trace += (f"generation: {exc}; the extractive answer instead",)
                generation = exc.reason
            else:
                trace += (f"generation: written by {written.model} from {len(written.passages)} passages",)
                return DocumentAnswer(written.text, written.passages, False, None, trace, written.model, "written")
        names = frozenset(_stems(ignore, places))
        composed = compose(
            question, passages, self.analyzer, context, self._neighbour, pointed, self._spread, about, names, earlier
        )
        if not composed.answers():
            return self._abstain(Verdict("not_in_documents", tuple(sorted(composed.specific))), name)
        if asks_when(question) and not answers_when(question, composed.text):
            return self._abstain(Verdict("not_held", ("time",)), name)
        if asks_who(question) and not gives("actor", composed.said):
            return self._abstain(Verdict("not_in_documents", ("actor",)), name)
        act = act_asked(question)  # "Vem tog fram den?" is not answered by who decided on it, or by no act at all
        if act is not None and asks_who(question) and not names_act(act, composed.said):
            return self._abstain(Verdict("not_in_documents", (act,)), name)
        if wanted is not None and not holds(wanted, composed.said, question):
            return self._abstain(Verdict("not_held", (wanted,)), name)  # the passage had a figure, not the quote
        return DocumentAnswer(composed.text, composed.cited[: self.cited], False, None, trace, generation=generation)

    @property
    def analyzer(self) -> SwedishAnalyzer:
        """The Swedish analysis the search and the quotes use."""
        return (self.retriever.bm25 if self.retriever is not None else self._law().bm25).analyzer

    def _law(self) -> PassageIndex:
        assert self.law is not None
        return self.law

    def _known_words(self, question: str) -> set[str]:
        """The words of the question some source knows, and of the chains it names those they are chains of
        ("målkedjan" is about "mål", `knowledge.questions.without_chain`)."""
        question = " ".join((question, *(without_chain(word) for word in tokenize(question))))
        known: set[str] = set()
        if self.retriever is not None:
            known |= self.retriever.bm25.known_words(question)
        if self.law is not None:
            known |= self.law.known_words(question)
        return known

    def weigh_statements(
        self, question: str, context: str, municipality: str | None, about: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        """The rules' statements that answer the question best, as (passage id, weight), best first: what a
        rule answer is checked against. Empty when there are no statements."""
        if self.statements is None:
            return []
        full = _searched(question, context, about)
        found = self.statements.search(full, self.statements.query_vector(full), municipality, CHECKED)
        weights = scores(question, found, self.analyzer, context, about)
        return sorted(((p.hit.id, w) for p, w in zip(found, weights, strict=True)), key=lambda pair: -pair[1])

    def _spread(self, terms: frozenset[str]) -> float:
        """The share of the documents' passages that hold any of these terms (0 without documents)."""
        return self.retriever.bm25.spread(terms) if self.retriever is not None else 0.0

    def _neighbour(self, passage: Passage, step: int) -> Passage | None:
        """The passage `step` places after this one in its document (none for the law's)."""
        hit = passage.hit
        if self.retriever is None or not hit.id.startswith(f"{hit.doc_id}:") or hit.index + step < 0:
            return None
        found = self.retriever.store.get([f"{hit.doc_id}:{hit.index + step}"])
        return Passage(found[0], passage.score, None, None) if found else None

    def _abstain(self, verdict: Verdict, name: str) -> DocumentAnswer:
        trace = (f"documents: abstained, {verdict.reason} {' '.join(verdict.words)}".rstrip(),)
        if verdict.reason == "personal_details":
            text = texts.PERSONAL_DETAILS
        elif verdict.reason == "not_held":
            text = texts.NOT_HELD[verdict.words[0]].format(name=name)
        else:
            text = self._not_found(name)
        return DocumentAnswer(text, (), True, verdict.reason, trace)

    def _not_found(self, name: str) -> str:
        template = texts.NOT_IN_DOCUMENTS if self.retriever is not None else texts.NO_DOCUMENTS
        return template.format(name=name)

    def law_passages(self, question: str, k: int = 3) -> list[Passage]:
        """The law's passages nearest the question, best first (what the law says on it, beside a local rule);
        whether one is on the same subject is for the caller to judge."""
        if self.law is None:
            return []
        found = self.law.search(question, self.law.query_vector(question), None, LAW_POOL)
        weights = scores(question, found, self.analyzer)
        return [found[n] for n in sorted(range(len(found)), key=lambda n: -weights[n])[:k]]

    def _search(self, question: str, context: str, municipality: str | None, about: Sequence[str]) -> list[Passage]:
        """The best passages of the documents and the law together, best first. The law's are few and short, so
        a wider set of them is weighed sentence by sentence as answers (`knowledge.compose.scores`) and the
        best join the first found: a statement found only by the words people use for it ("bror", "anbud"
        for jäv) is not lost to one that merely sounds like the question."""
        full = _searched(question, context, about)
        if self.retriever is None:
            law = self._law()
            return law.search(full, law.query_vector(full), municipality, self.cited)
        vector = self.retriever.store.query_vector(full)
        documents = self.retriever.search(full, municipality, k=self.cited, vector=vector)
        if self.law is None:
            return documents
        found = self.law.search(full, vector, municipality, LAW_POOL)
        weights = scores(question, found, self.analyzer, context, about)
        best = sorted(range(len(found)), key=lambda n: -weights[n])[:LAW_WEIGHED]
        named = [n for n, p in enumerate(found) if p.lexical_rank == 1]  # by the words people use for it
        return merge(documents, [found[n] for n in sorted({*range(LAW_CANDIDATES), *best, *named}) if n < len(found)])

    def vocabulary(self) -> frozenset[str] | None:
        """Every word of the indexed documents (a new object after every change); None without documents."""
        return self.retriever.bm25.vocabulary() if self.retriever is not None else None

    def passages_quoting(self, quotes: Sequence[str], municipality: str | None) -> list[Passage]:
        """Indexed passages that contain one of the quotes word for word (a rule's source in its context). The
        quotes are the rules' own, so what they are found in is kept until the documents change."""
        if self.retriever is None:
            return []
        version = self.retriever.bm25.vocabulary()  # a new object whenever the documents changed
        key = (tuple(quotes), municipality)
        with self._quoting_lock:
            if version is not self._quoting_version:
                self._quoting_version, self._quoting = version, {}
            found = self._quoting.get(key)
        if found is None:
            found = tuple(self._find_quoting(quotes, municipality))
            with self._quoting_lock:
                if version is self._quoting_version:
                    self._quoting[key] = found
        return list(found)

    def _find_quoting(self, quotes: Sequence[str], municipality: str | None) -> list[Passage]:
        assert self.retriever is not None
        found: list[Passage] = []
        for text in quotes:
            wanted = normalise(text)
            if len(wanted) < 12:
                continue
            for passage in self.retriever.lexical(text, municipality, k=10):
                if wanted in normalise(passage.hit.text) and all(p.id != passage.id for p in found):
                    found.append(passage)
        return self.retriever.fold(found)


def _searched(question: str, context: str, about: Sequence[str]) -> str:
    """What to search by: the situation, the question, and the concepts the situation is about."""
    return " ".join((context, question, *about)).strip()


def _stems(*names: Iterable[str]) -> set[str]:
    """Names of places, cut to what their inflected forms share ("trollhättan" of "Trollhättans")."""
    return {name.lower()[: max(4, len(name) - 2)] for group in names for name in group}
