"""The answering core: `Answerer.answer(Question) -> Answer`, shared by the CLI, Slack and the web.

Order: rules first (exact answers from the årshjul, decision rights and the role split), with the
indexed passages that state the rule's source as further citations; then the municipality's documents
(`knowledge.answering`); an honest abstention last. A question about a municipality that has neither a
profile nor documents is answered by the rules where national law answers it, and otherwise gets an
abstention that names the municipality. No Slack or FastAPI here.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any, Protocol

from bot import checking, metrics, texts
from bot.errors import EmptyQuestion, QuestionTooLong
from bot.law import rule_passages
from bot.reading import Reader, Reading
from knowledge import texts as knowledge_texts
from knowledge.abstention import NEVER_HELD, asks_for_personal_details
from knowledge.answering import DocumentAnswer, DocumentAnswerer
from knowledge.compose import sentences_around
from knowledge.hits import Spot
from knowledge.questions import Part, parts, pointed, wants
from knowledge.retrieval import Passage
from rules import RuleAnswer, Rulebook, RuleCitation, RulesEngine, today_in_stockholm
from rules import texts as rule_texts
from rules.calendar import STOCKHOLM
from rules.engine import ROLE
from rules.intents import mentioned, named_places, recognise
from rules.source import RulesSource, as_source

SUPPORTING = 3  # indexed passages added to a rule answer's own citations
# A question that asks for something of its own ("Vad heter den planen?"), not a yes or no on the situation
_OPEN_QUESTION = re.compile(r"^\W*(?:och\s+)?(?:vad|hur|varför|vilken|vilket|vilka|var)\b", re.IGNORECASE)
log = logging.getLogger("styrbot.answers")


MAX_QUESTION_CHARS = 2000  # whatever the channel: the web, Slack, the command line
MAX_PARTS = 5  # questions of one message that are answered; the rest are left for the next message


@dataclass(frozen=True)
class Question:
    """What a person asked, for which municipality (None: the default), and when."""

    text: str
    municipality: str | None = None
    asked_at: datetime = field(default_factory=lambda: datetime.now(STOCKHOLM))
    channel: str | None = None
    id: str | None = None
    context: str = ""  # what the conversation asked before, when this is a follow-up (`bot.conversations`)
    # where the conversation's last answer was quoted from, when this follows up its subject ("vilka är med i den?")
    earlier: Spot | None = None
    # the message as written, when `text` is a follow-up made whole by putting what a pronoun stands for in its
    # place: its own words choose the rule ("får förvaltningschefen i sin tur delegera det vidare?" asks about
    # delegating further, whatever "det" is)
    as_written: str = ""


# One citation shape for rule and document answers: the contract's {source, title, page, section, text}.
Citation = RuleCitation


def cites_law(citation: Citation) -> bool:
    """Whether a citation is of the law (a statute and its paragraph), not of a document."""
    return citation.source in rule_texts.LAWS.values()


class Documents(Protocol):
    """The documents and the law as the answerer searches them (`bot.library.DocumentLibrary`)."""

    def at_hand(self) -> DocumentAnswerer | None:
        """What is open now, without waiting: a rule answer never waits for documents being opened."""

    def ready(self) -> DocumentAnswerer | None:
        """All of it, waiting while it opens (and while the demo documents are read in on first use)."""


class AnswerKind(StrEnum):
    """What kind of answer it is (the contract's `kind`): a rule's three, the documents', or none."""

    DEADLINE = "deadline"
    WHO_DECIDES = "who_decides"
    ROLE = "role"
    RETRIEVAL = "retrieval"
    NONE = "none"


@dataclass(frozen=True)
class Answer:
    """A Swedish answer with its facts, citations, and the trace of steps that produced it."""

    question: str
    municipality: str | None
    kind: AnswerKind
    text: str
    facts: dict[str, Any]
    citations: tuple[Citation, ...]
    abstained: bool
    trace: tuple[str, ...] = ()
    id: str | None = None
    part: str | None = None  # the question of a message with several that this answer is to
    conversation_id: str | None = None  # to send with the next question to continue the conversation
    followup: Followup | None = None  # how a follow-up was understood (`bot.conversations`)

    def to_json(self) -> dict[str, Any]:
        """The answer JSON of the contract (with `id` only when one was given, `conversation_id` when the
        answer is part of a conversation, `followup` when it answers a follow-up)."""
        payload: dict[str, Any] = {} if self.id is None else {"id": self.id}
        payload |= {
            "question": self.question,
            "municipality": self.municipality,
            "kind": self.kind.value,
            "answer": self.text,
            "facts": self.facts,
            "citations": [c.__dict__ for c in self.citations],
            "abstained": self.abstained,
        }
        if self.conversation_id is not None:
            payload["conversation_id"] = self.conversation_id
        if self.followup is not None:
            payload["followup"] = {
                "kind": self.followup.kind,
                "understood_as": self.followup.question,
                "how": self.followup.how,
            }
        return payload


@dataclass(frozen=True)
class Followup:
    """How a follow-up was understood: its kind (`bot.conversations.followups.FollowupKind`) and the question as
    answered, made whole ("vem beslutar om den?" → "vem beslutar om flerårsplanen?")."""

    kind: str
    question: str
    how: str = ""  # what was taken from the turn before ("'den' → 'flerårsplanen'"), for the trace


# Told of every answer with its question (the opt-in question log); must not raise.
Observer = Callable[[Question, "Answer", float], None]


class Answerer:
    """Answers questions: rules first, then the documents, then an honest abstention.

    Every answer is counted (`bot.metrics`) and logged as one structured line without the question's
    text; `observers` (such as the opt-in question log) are told of each answer with its question."""

    def __init__(
        self,
        rules: RulesSource | RulesEngine,
        default_municipality: str,
        documents: Documents | None = None,
        observers: Sequence[Observer] = (),
        check_rules: bool = False,
    ) -> None:
        self.rules = as_source(rules)
        self.default_municipality = self.rules().store.resolve(default_municipality)  # "Trollhättan" → its id
        self.documents = documents
        self.check_rules = check_rules  # whether a rule answer is checked against the question (`bot.checking`)
        self.observers = list(observers)

    def answer(self, question: Question) -> Answer:
        """Answer one question; raises BadQuestion or UnknownMunicipality on bad input (`bot.errors`)."""
        started = time.perf_counter()
        answer, generation = self._answer(question)
        self._observed(question, answer, generation, time.perf_counter() - started)
        return answer

    def _observed(self, question: Question, answer: Answer, generation: str | None, seconds: float) -> None:
        _observe(question, answer, generation, seconds)
        for observer in self.observers:
            try:
                observer(question, answer, seconds)
            except Exception:  # the answer is given whatever happens to its record
                log.exception("an answer observer failed")

    def _answer(self, question: Question) -> tuple[Answer, str | None]:
        if len(question.text) > MAX_QUESTION_CHARS:  # before any work on it
            raise QuestionTooLong(MAX_QUESTION_CHARS)
        text = " ".join(question.text.split())
        if not text:
            raise EmptyQuestion()
        rules = self.rules()  # the rules as the profiles read now, for the rule answers of this message
        # the municipality by its id ("Strängnäs", "strangnas" → strangnas); UnknownMunicipality otherwise
        municipality = rules.store.resolve(question.municipality or self.default_municipality)
        # "vad är LEP i Strängnäs?" asked in Tranemo's channel is about Strängnäs, its documents as its rules
        municipality = _named_instead(text, municipality, rules)
        today = today_in_stockholm(question.asked_at)
        indexed = self.documents.at_hand() if self.documents is not None else None
        reading = self.rules.derived(_reader).read(text, indexed.vocabulary() if indexed is not None else None)
        asked = parts(reading.understood)
        if question.context:  # a follow-up: what the conversation asked before goes with each of its questions
            asked = [Part(p.text, f"{question.context} {p.context}".strip(), p.situation) for p in asked]
        replies = [self._answer_part(question, text, part, municipality, rules, today) for part in asked[:MAX_PARTS]]
        answer = _joined(replies) if len(replies) > 1 else replies[0][0]
        if len(asked) > MAX_PARTS:
            answer = dataclasses.replace(answer, text=f"{answer.text}\n\n{texts.MORE_PARTS.format(count=MAX_PARTS)}")
        answer = dataclasses.replace(answer, id=question.id, trace=(*reading.trace(), *answer.trace))
        generation = next((generation for _, generation in replies if generation is not None), None)
        return _in_english(answer, reading), generation

    def from_rule(self, question: Question, ruled: RuleAnswer) -> Answer:
        """A rule answer that the caller found (the next event of the annual cycle, say) as an answer to the
        question, with its supporting passages, counted and observed as any answer."""
        started = time.perf_counter()
        answer = dataclasses.replace(self._from_rules(question.text, ruled), id=question.id)
        self._observed(question, answer, None, time.perf_counter() - started)
        return answer

    def law_on(self, question: Question) -> tuple[Citation, ...]:
        """What the law (not the municipality's own rules or documents) says nearest the question: the national
        rule that answers it, else the law's nearest passages, best first; () without either."""
        text = " ".join(question.text.split())
        ruled = self.rules().answer(text, None, today_in_stockholm(question.asked_at))
        if ruled is not None and any(map(cites_law, ruled.citations)):
            return tuple(filter(cites_law, ruled.citations))
        documents = self.documents.ready() if self.documents is not None else None
        return tuple(_citation(p) for p in documents.law_passages(text)) if documents is not None else ()

    def _answer_part(
        self, question: Question, text: str, part: Part, municipality: str, rules: RulesEngine, today: date
    ) -> tuple[Answer, str | None]:
        """One question of the message: the rules, else the documents and the law, else an honest no."""
        rulebook = rules.rulebook(municipality)
        earlier = question.earlier
        if wants(part.text) in NEVER_HELD or asks_for_personal_details(part.text):
            # "vilken dag och tid är mötet?", "vem är ordförande i KS?": no rule answers that either
            return self._from_sources(text, part, municipality, rulebook, None, earlier)
        if question.as_written:  # what the pronoun stands for counts, the message's own words break a tie
            ruled = rules.answer(question.as_written, municipality, today, told=part.text)
        else:
            ruled = rules.answer(part.text, municipality, today)
        # "… till en handläggare. Vem fattar då besluten?", "Jag är nyvald ledamot. Vad är min roll?" (but the
        # situation alone does not make "Vad heter den planen?" a question for the rules)
        leans = recognise(part.text) or not _OPEN_QUESTION.match(part.text)  # "Är det rätt?" leans on the situation
        if part.situation and leans:  # what was told may name what the question leaves out ("… i november")
            ruled = rules.answer(part.text, municipality, today, told=part.situation) or ruled
        if ruled is not None and self._checked(ruled, part, rulebook):
            return dataclasses.replace(self._from_rules(text, ruled), part=part.text), None
        return self._from_sources(text, part, municipality, rulebook, ruled, earlier)

    def _from_sources(
        self,
        text: str,
        part: Part,
        municipality: str,
        rulebook: Rulebook,
        ruled: RuleAnswer | None,
        earlier: Spot | None = None,
    ) -> tuple[Answer, str | None]:
        """One question answered from the documents and the law, or an honest no; `ruled` is a rule answer
        that did not hold, for the trace; `earlier` where the conversation's last answer was quoted from."""
        documents = self.documents.ready() if self.documents is not None else None
        if documents is None:
            reply = DocumentAnswer(knowledge_texts.NO_DOCUMENTS.format(name=rulebook.name), (), True, "no_documents")
        else:
            own = self.rules.derived(_own_names)
            places = [place for place in named_places(text) if place not in own]  # "i Uppsala", "Uppsala kommun"
            source = pointed(part.full)
            if source is None and mentioned(part.full, (municipality, *rulebook.names)):
                source = "documents"  # "… i Strängnäs": the municipality's own documents
            reply = documents.answer(
                part.text, municipality, rulebook.name, places, own, part.context, source, part.about, earlier
            )
        answer = Answer(
            question=text,
            municipality=municipality,
            kind=AnswerKind.NONE if reply.abstained else AnswerKind.RETRIEVAL,
            text=reply.text,
            facts={"reason": reply.reason} if reply.abstained else _written(reply),
            citations=tuple(_citation(p) for p in reply.passages),
            abstained=reply.abstained,
            trace=(_rules_step(ruled), *reply.trace),
            part=part.text,
        )
        return answer, reply.generation

    def _checked(self, ruled: RuleAnswer, part: Part, rulebook: Rulebook) -> bool:
        """Whether the rule answer answers what was asked (`bot.checking`)."""
        documents = self.documents.at_hand() if self.documents is not None else None
        if documents is None or not self.check_rules:
            return True
        # a verdict on a told situation ("Nämnden vill välja enhetschef. Är det nämndens beslut?") is weighed
        # with it: the question alone names little but "nämnd" and "beslut", which every rule on delegation has
        told = ruled.entry == ROLE and bool(part.situation)
        question, context = (part.full, "") if told else (part.text, part.context)
        weighed = documents.weigh_statements(question, context, rulebook.municipality, part.about)
        passages = self.rules.derived(rule_passages)
        return checking.holds(ruled, part.text, weighed, passages, rulebook, part.about)

    def _from_rules(self, text: str, ruled: RuleAnswer) -> Answer:
        citations = list(ruled.citations)
        trace = ruled.trace
        documents = self.documents.at_hand() if self.documents is not None else None
        if documents is not None:
            supporting = documents.passages_quoting([c.text for c in ruled.citations], ruled.municipality)
            # two rules quoting the same sentence cite it once ("Vem fastställer årsredovisningen och när?")
            citations = list(dict.fromkeys(_whole_sentences(c, supporting) for c in citations))
            citations += [_citation(p) for p in supporting[:SUPPORTING]]
            trace += tuple(f"documents: quoted in {p.hit.source} p{p.hit.page}" for p in supporting[:SUPPORTING])
        return Answer(
            question=text,
            municipality=ruled.municipality,
            kind=AnswerKind(ruled.kind),
            text=ruled.text,
            facts=ruled.facts,
            citations=tuple(citations),
            abstained=False,
            trace=trace,
        )


def _reader(rules: RulesEngine) -> Reader:
    return Reader(rules.vocabulary())


def _named_instead(text: str, municipality: str, rules: RulesEngine) -> str:
    """The one other municipality with a profile that the question names, if it names exactly one."""
    named = rules.others_named(text, municipality)
    return named[0] if len(named) == 1 and not mentioned(text, rules.rulebook(municipality).names) else municipality


def _own_names(rules: RulesEngine) -> frozenset[str]:
    """Every name of every municipality with a profile, lower-cased."""
    return frozenset(n.lower() for m in rules.known for n in (m, *rules.rulebook(m).names))


def _rules_step(ruled: RuleAnswer | None) -> str:
    if ruled is None:
        return "rules: no exact answer"
    return f"rules: {ruled.kind} {ruled.entry} does not answer what was asked; the sources instead"


def _joined(replies: Sequence[tuple[Answer, str | None]]) -> Answer:
    """One answer to a message of several questions: each question quoted, then its answer, in order. The
    answer's kind and facts are its first answered question's; `facts.parts` has every question's."""
    answers = [answer for answer, _ in replies]
    lead = next((a for a in answers if not a.abstained), answers[0])
    blocks: list[str] = []
    for answer in answers:
        block = f"{texts.PART_QUESTION.format(question=rule_texts.capitalise(answer.part or ''))}\n{answer.text}"
        if block not in blocks:
            blocks.append(block)
    citations = tuple(dict.fromkeys(c for a in answers for c in a.citations))
    parts_facts = [{"question": a.part, "kind": a.kind, "abstained": a.abstained, "facts": a.facts} for a in answers]
    trace = tuple(f"part {n}: {step}" for n, a in enumerate(answers, 1) for step in (a.part or "", *a.trace))
    return dataclasses.replace(
        lead,
        text="\n\n".join(blocks),
        facts={**lead.facts, "parts": parts_facts},
        citations=citations,
        abstained=all(a.abstained for a in answers),
        trace=trace,
        part=None,
    )


def _in_english(answer: Answer, reading: Reading) -> Answer:
    """An answer to an English question: the Swedish answer, after one English line that says so."""
    if not reading.english:
        return answer
    line = texts.ENGLISH_ABSTAINED if answer.abstained else texts.ENGLISH_ANSWERED
    return dataclasses.replace(answer, text=f"{line}\n{answer.text}")


def _observe(question: Question, answer: Answer, generation: str | None, seconds: float) -> None:
    """Count the answer and log it as one structured line: what was answered and how, never the text."""
    channel = question.channel or "other"
    metrics.ANSWERS.labels(answer.kind, channel).inc()
    metrics.ANSWER_SECONDS.labels(answer.kind).observe(seconds)
    reason = answer.facts.get("reason") if answer.abstained else None
    if answer.abstained:
        metrics.ABSTENTIONS.labels(str(reason or "unknown")).inc()
    if generation is not None:
        metrics.GENERATIONS.labels(generation).inc()
    log.info(
        "answered",
        extra={
            "event": "answer",
            "kind": answer.kind,
            "channel": channel,
            "municipality": answer.municipality,
            "abstained": answer.abstained,
            "reason": reason,
            "generation": generation,
            "citations": len(answer.citations),
            "sources": sorted({c.source for c in answer.citations})[:5],
            "duration_ms": round(seconds * 1000, 1),
        },
    )


def _written(reply: DocumentAnswer) -> dict[str, Any]:
    """A document answer's facts: which language model wrote it, if one did (its [n] are the citations)."""
    return {"written_by": reply.written_by} if reply.written_by else {}


def _whole_sentences(citation: Citation, passages: list[Passage]) -> Citation:
    """The rule's citation with its quote grown to the whole sentences the indexed document (or one of
    its renditions, same file stem) has it in."""
    for passage in passages:
        if PurePath(passage.hit.source).stem != PurePath(citation.source).stem:
            continue
        around = sentences_around(passage.hit.text, citation.text) if citation.text else None
        if around is not None and len(around) > len(citation.text or ""):
            return dataclasses.replace(citation, text=around)
    return citation


def _citation(passage: Passage) -> Citation:
    hit = passage.hit
    return Citation(hit.source, hit.title, hit.page, hit.section or None, hit.text)
