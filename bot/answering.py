"""The answering core: `Answerer.answer(Question) -> Answer`, shared by the CLI, Slack and the web.

Order: rules first (exact answers from the årshjul, decision rights and the role split); when the
rules cannot answer, an honest "I cannot answer that exactly" with where to ask. Document retrieval
slots in between in a later step. No Slack or FastAPI here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot import texts
from rules import RuleAnswer, RulesEngine, UnknownMunicipality, today_in_stockholm
from rules.calendar import STOCKHOLM


class EmptyQuestion(ValueError):
    """The question has no text."""


@dataclass(frozen=True)
class Question:
    """What a person asked, for which municipality (None: the default), and when."""

    text: str
    municipality: str | None = None
    asked_at: datetime = field(default_factory=lambda: datetime.now(STOCKHOLM))
    channel: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Citation:
    """A source of an answer: document (or law), title, page, section and the cited text."""

    source: str
    title: str
    page: int | None
    section: str | None
    text: str


@dataclass(frozen=True)
class Answer:
    """A Swedish answer with its facts, citations, and the trace of steps that produced it."""

    question: str
    municipality: str | None
    kind: str
    text: str
    facts: dict[str, Any]
    citations: tuple[Citation, ...]
    abstained: bool
    trace: tuple[str, ...] = ()
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The answer JSON of the contract (with `id` only when one was given)."""
        payload: dict[str, Any] = {} if self.id is None else {"id": self.id}
        payload |= {
            "question": self.question,
            "municipality": self.municipality,
            "kind": self.kind,
            "answer": self.text,
            "facts": self.facts,
            "citations": [c.__dict__ for c in self.citations],
            "abstained": self.abstained,
        }
        return payload


class Answerer:
    """Answers questions: rules first, then an honest abstention."""

    def __init__(self, rules: RulesEngine, default_municipality: str) -> None:
        if default_municipality not in rules.known:
            raise UnknownMunicipality(default_municipality, rules.known)
        self.rules = rules
        self.default_municipality = default_municipality

    def answer(self, question: Question) -> Answer:
        """Answer one question; raises EmptyQuestion or UnknownMunicipality on bad input."""
        text = " ".join(question.text.split())
        if not text:
            raise EmptyQuestion(texts.EMPTY_QUESTION)
        municipality = question.municipality or self.default_municipality
        rulebook = self.rules.rulebook(municipality)  # raises UnknownMunicipality
        today = today_in_stockholm(question.asked_at)
        ruled = self.rules.answer(text, municipality, today)
        if ruled is not None:
            return _from_rules(text, ruled, question.id)
        return Answer(
            question=text,
            municipality=municipality,
            kind="none",
            text=texts.NO_RULE_ANSWER.format(name=rulebook.name),
            facts={},
            citations=(),
            abstained=True,
            trace=("rules: no exact answer",),
            id=question.id,
        )


def _from_rules(text: str, ruled: RuleAnswer, question_id: str | None) -> Answer:
    citations = tuple(Citation(c.source, c.title, c.page, c.section, c.text) for c in ruled.citations)
    return Answer(
        question=text,
        municipality=ruled.municipality,
        kind=ruled.kind,
        text=ruled.text,
        facts=ruled.facts,
        citations=citations,
        abstained=False,
        trace=ruled.trace,
        id=question_id,
    )
