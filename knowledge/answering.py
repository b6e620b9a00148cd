"""Answers from the documents: retrieve, decide whether the documents answer, compose with citations.

`DocumentAnswerer.answer` never guesses: it abstains (with a Swedish sentence that says why and where
to ask) when no documents are indexed, when the question asks for a person's name or contact details,
or when the question's topic words appear in no indexed passage (`knowledge.abstention`). Otherwise it
answers with the documents' own words (`knowledge.compose`), citing every passage it used, best first.
With a `Writer` (a configured language model), the model writes the answer from the same passages, and
its reply is shown only if it passes `knowledge.generation`'s checks; otherwise the extractive one is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge import texts
from knowledge.abstention import Reason, judge
from knowledge.compose import compose
from knowledge.generation import Unusable, Writer
from knowledge.retrieval import Passage, Retriever
from knowledge.sentences import normalise

CITED = 5  # passages cited per answer


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


class DocumentAnswerer:
    """Answers questions from the indexed governance documents."""

    def __init__(self, retriever: Retriever, cited: int = CITED, writer: Writer | None = None) -> None:
        self.retriever = retriever
        self.cited = cited
        self.writer = writer

    def answer(
        self,
        question: str,
        municipality: str | None,
        name: str,
        places: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> DocumentAnswer:
        """Answer from the documents of `municipality` (and general ones). `name` is how to call it in
        Swedish; `places` are places the question names that are none of the profiled municipalities;
        `ignore` are the names of our own (they locate the question, they are not its topic)."""
        bm25 = self.retriever.bm25
        if len(bm25) == 0:
            return DocumentAnswer(texts.NO_DOCUMENTS.format(name=name), (), True, "no_documents", ("documents: none",))
        known = bm25.known_words(question)
        verdict = judge(question, known.__contains__, ignore, places)
        if verdict is not None and verdict.reason == "other_municipality":
            place = verdict.words[0].title()
            text = texts.OTHER_MUNICIPALITY.format(place=place)
            return DocumentAnswer(text, (), True, verdict.reason, (f"documents: abstained, no documents from {place}",))
        if verdict is not None:
            trace: tuple[str, ...] = (f"documents: abstained, {verdict.reason} {' '.join(verdict.words)}".rstrip(),)
            text = texts.PERSONAL_DETAILS if verdict.reason == "personal_details" else texts.NOT_IN_DOCUMENTS
            return DocumentAnswer(text.format(name=name), (), True, verdict.reason, trace)
        passages = self.retriever.search(question, municipality, k=self.cited)
        if not passages:
            return DocumentAnswer(texts.NOT_IN_DOCUMENTS.format(name=name), (), True, "not_in_documents")
        trace = tuple(
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
        text = compose(question, passages, bm25.analyzer)
        return DocumentAnswer(text, tuple(passages), False, None, trace, generation=generation)

    def vocabulary(self) -> frozenset[str]:
        """Every word of the indexed documents (a new object after every change)."""
        return self.retriever.bm25.vocabulary()

    def passages_quoting(self, quotes: Sequence[str], municipality: str | None) -> list[Passage]:
        """Indexed passages that contain one of the quotes word for word (a rule's source in its context)."""
        found: list[Passage] = []
        for text in quotes:
            wanted = normalise(text)
            if len(wanted) < 12:
                continue
            for passage in self.retriever.lexical(text, municipality, k=10):
                if wanted in normalise(passage.hit.text) and all(p.id != passage.id for p in found):
                    found.append(passage)
        return self.retriever.fold(found)
