"""Conversations: a question asked after others in a Slack thread, a DM or the chat page is answered with what
came before it. The one path every channel (and `styrbot eval`) asks through.

`Conversations.ask` reads the conversation's last turns from the shared database, understands the message
against them (`followups.resolve`: a new question, or a follow-up made whole), answers it (`bot.answering`,
or from the last turn itself for "var står det?" and "är det lag?", or the rules' next event for "och efter
det?"), and stores the turn. The answer carries the conversation id and, for a follow-up, the question as
it was understood; its trace says how.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot import texts
from bot.answering import MAX_QUESTION_CHARS, Answer, Answerer, AnswerKind, Citation, Followup, Question, cites_law
from bot.conversations.followups import (
    FollowupKind,
    Places,
    Resolution,
    covers,
    place_named,
    resolve,
    topic,
    when_asked,
)
from bot.conversations.store import Turn, TurnStore, kept
from bot.errors import QuestionTooLong
from bot.facts import excerpt, where
from knowledge.hits import Spot
from knowledge.sentences import normalise
from rules import RuleAnswer, Rulebook, RulesEngine, today_in_stockholm
from rules import texts as rule_texts
from rules.calendar import is_dated

# A conversation id the page or an API client sends back: what `new_id` makes, or any such token
ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"
log = logging.getLogger(__name__)
QUOTED = 300  # characters of the earlier answer's passage shown when asked where it stands
LAW_SAID = 400  # … of the law's statement shown beside a local rule
DIRECT_CHAT_CONTINUES = timedelta(minutes=30)  # a Slack DM's or Teams personal chat's message this soon follows up
TURNS_READ = 4  # earlier turns a message is understood against (a question on sources may reach back)
_WHO_ASKED = re.compile(r"^\W*(?:och\s+)?(?:vem|vilken nämnd|vilket organ|vilka)\b", re.IGNORECASE)
_BODY_NAMED = re.compile(
    r"\b(kommunfullmäktige|fullmäktige|kommunstyrelsen|nämnden|nämnderna|revisorerna|förvaltningen|"
    r"bolagsstämman|presidiet|kommundirektören|förvaltningschefen|ordföranden)\b",
    re.IGNORECASE,
)


def new_id() -> str:
    """A new conversation id: random, so that nobody can guess another's."""
    return secrets.token_urlsafe(16)


class Conversations:
    """Answers messages in their conversations, keeping the turns in `turns` (shared by replicas)."""

    def __init__(self, answerer: Answerer, turns: TurnStore) -> None:
        self.answerer = answerer
        self.turns = turns

    def ask(self, question: Question, conversation: str, within: timedelta | None = None) -> Answer:
        """Answer a message of the conversation keyed `conversation` ("slack:C1:1700.1", "web:…"); a
        conversation whose last turn is older than `within` starts afresh (a DM after half an hour). Raises
        BadQuestion or UnknownMunicipality on bad input, as `Answerer.answer` does."""
        if len(question.text) > MAX_QUESTION_CHARS:  # before any work on it
            raise QuestionTooLong(MAX_QUESTION_CHARS)
        turns = self._recent(conversation)
        if turns and within is not None and question.asked_at - turns[0].asked_at > within:
            turns = []
        started = time.perf_counter()
        resolution = resolve(question.text, turns, self._places())
        resolving_ms = (time.perf_counter() - started) * 1000
        answer, kept = self._answer(question, resolution)
        trace = (f"{resolution.trace()} ({resolving_ms:.1f} ms)", *answer.trace)
        understood = _understood(resolution)
        followup = Followup(resolution.kind.value, understood, resolution.note) if resolution.inherits else None
        answer = dataclasses.replace(answer, question=question.text, trace=trace, followup=followup)
        if kept is not None:
            try:
                self.turns.add(conversation, kept)
            except SQLAlchemyError:  # the answer is given; only the next follow-up will lack this turn
                log.warning("a conversation turn could not be stored", exc_info=True)
        return answer

    def _recent(self, conversation: str) -> list[Turn]:
        """The conversation's last turns; none when the database cannot be read (the message is then answered
        as a question of its own, never not at all)."""
        try:
            return self.turns.recent(conversation, TURNS_READ)
        except SQLAlchemyError:
            log.warning("a conversation's turns could not be read", exc_info=True)
            return []

    def joined(self, conversation: str) -> bool:
        """Whether Styrbot has answered in the conversation (within the retention): a Slack thread it may
        follow up in."""
        return bool(self.turns.recent(conversation, 1))

    def _places(self) -> Places:
        """Each profiled municipality's names, as the profiles read now (worked out once per version of them)."""
        return self.answerer.rules.derived(_places_of)

    def _answer(self, question: Question, resolution: Resolution) -> tuple[Answer, Turn | None]:
        """The answer and the turn to keep for the next message (None: keep none, as for an ask-back)."""
        last = resolution.turn
        if resolution.kind is FollowupKind.UNCLEAR or (resolution.inherits and last is None):
            return self._ask_back(question, resolution.municipality, texts.ASK_BACK), None
        municipality = resolution.municipality or question.municipality
        if resolution.kind is FollowupKind.SOURCE and last is not None:
            answer = self._source(question, last, resolution.law, resolution.paragraph)
            return answer, last if not answer.abstained else None
        if resolution.kind is FollowupKind.NEXT and last is not None:
            ruled = self._next(last, resolution, today_in_stockholm(question.asked_at))
            if ruled is not None:
                asked = dataclasses.replace(question, text=resolution.question, municipality=municipality)
                answer = self.answerer.from_rule(asked, ruled)
                turn = self._turn(when_asked(ruled.facts["event"]), asked, answer)  # for what follows it
                series = resolution.noun or last.facts.get("series")
                # a step the rules chose, not a subject the person named: a correction goes to the question before
                facts = {**turn.facts, "step": True} | ({"series": series} if series else {})
                return answer, dataclasses.replace(turn, facts=facts)
            # no later step in the rules: say so rather than answer the question before again
            return self._ask_back(question, municipality, texts.NO_NEXT_STEP), None
        asked = dataclasses.replace(
            question,
            text=resolution.question,
            municipality=municipality,
            context=resolution.context,
            earlier=_quoted_from(last) if resolution.on_subject else None,  # likely answered where it was
            as_written=question.text if resolution.kind is FollowupKind.PRONOUN else "",
        )
        answer = self.answerer.answer(asked)
        return answer, self._turn(resolution.question, asked, answer)

    def _turn(self, understood: str, question: Question, answer: Answer) -> Turn:
        facts = dict(answer.facts)
        if isinstance(facts.get("deadline"), dict):  # who decides and when: the event, for "och sen?"
            facts.update((k, v) for k, v in facts["deadline"].items() if k in ("event_id", "date"))
        who = _answering_body(understood, answer)
        if who:
            facts["who"] = who
        # the municipality the question names ("… i Strängnäs"), which a document answer does not say
        named = place_named(understood, self._places())
        return Turn(
            question=understood,
            municipality=named or answer.municipality or question.municipality,
            kind=answer.kind.value,
            abstained=answer.abstained,
            facts=facts,
            citations=tuple(kept(c) for c in answer.citations[:5]),
            asked_at=question.asked_at,
        )

    def _ask_back(self, question: Question, municipality: str | None, text: str) -> Answer:
        """A short question back (in Swedish) instead of a guess: nothing is answered, nothing kept."""
        return Answer(
            question=question.text,
            municipality=municipality or question.municipality,
            kind=AnswerKind.NONE,
            text=text,
            facts={"reason": "unclear_followup"},
            citations=(),
            abstained=True,
            id=question.id,
        )

    def _next(self, last: Turn, resolution: Resolution, today: date) -> RuleAnswer | None:
        """The rules' answer for "och nästa gång?" (the same event again) or "och efter det?" (the next event
        of the annual cycle, of the kind asked for: "nästa rapport")."""
        engine = self.answerer.rules()
        rulebook = engine.rulebook(last.municipality)
        event = last.facts.get("event_id")
        if not isinstance(event, str):  # a document answer: the event its passage states, or its subject names
            event = _event_quoted(rulebook, last.citations[:1])
            event = event or _event_named(rulebook, topic(last.question, self._places()))
        if event is None:
            return None
        after = date.fromisoformat(last.facts["date"]) if isinstance(last.facts.get("date"), str) else today
        if resolution.again:
            return engine.deadline_after(last.municipality, event, after + timedelta(days=1))
        series = resolution.noun or last.facts.get("series") or ""
        return engine.following(last.municipality, event, today, str(series))

    def _source(self, question: Question, turn: Turn, law: bool, paragraph: bool) -> Answer:
        """Where the last answer's rule or passage stands ("var står det?"; the law's paragraph when one is asked
        for), or whether it is law ("är det lag?"): from that answer's own facts and citations, and what the law
        says beside a local rule or a document."""
        if turn.abstained or not turn.citations:
            return self._ask_back(question, turn.municipality, texts.NO_SOURCE_BEFORE)
        cited = _Cited.of(turn, self.answerer.rules().rulebook(turn.municipality).name)
        if law and not cited.rests_on_law:
            lines, beside = self._law_beside(question, turn, cited, asked_if_law=True)
        elif paragraph and not cited.laws:  # "vilken paragraf?" after a document answer: the law on it
            lines, beside = self._law_beside(question, turn, cited, asked_if_law=False)
        elif law:
            where = rule_texts.listing(list(dict.fromkeys(_where(c) for c in cited.laws[:2])))
            lines, beside = [texts.IS_LAW.format(where=where), *_in_short(cited.laws[0])], []
        else:
            lines, beside = _stands_in(cited, cited.laws[0] if paragraph else cited.citations[0]), []
        return Answer(
            question=question.text,
            municipality=turn.municipality,
            kind=AnswerKind.RETRIEVAL,
            text="\n".join(lines),
            facts={"about": turn.question},
            citations=tuple(dict.fromkeys([*cited.citations, *beside])),
            abstained=False,
            id=question.id,
        )

    def _law_beside(
        self, question: Question, turn: Turn, cited: _Cited, asked_if_law: bool
    ) -> tuple[list[str], list[Citation]]:
        """What the law says on the subject of an answer that rests on the municipality's own rule or document:
        the law's own statement, or that none is to be found (then, asked whether it is law, that it is not)."""
        # the law's nearest rule counts only when it is on the same subject: KL 5 kap 4 § on "uppdrag" from
        # fullmäktige to a nämnd says nothing of "uppdrag från nämnden till förvaltningen"
        about = topic(turn.question, self._places())
        nearest = self.answerer.law_on(dataclasses.replace(question, text=turn.question, context=""))
        law = next((c for c in nearest if c.text and covers(c.text, about)), None)
        beside = [law] if law is not None else []
        found = [texts.LAW_SAYS.format(where=_where(law), said=excerpt(law.text, LAW_SAID))] if law is not None else []
        # "Revisorerna ska enligt KL 12 kap 12 § …": the document names the law it rests on
        referred = _laws_referred(cited.citations[:1])
        if referred:
            found.insert(0, texts.REFERS_TO_LAW.format(documents=cited.documents, law=rule_texts.listing(referred)))
        if cited.local_rule:  # a date of the municipality's own annual cycle: its timing is never the law's
            return [texts.LOCAL_RULE.format(name=cited.name, documents=cited.documents), *found], beside
        if found:
            return [*found, texts.OWN_WORDS.format(documents=cited.documents, name=cited.name)], beside
        template = texts.NOT_IN_LAW if asked_if_law else texts.NO_PARAGRAPH
        return [template.format(documents=cited.documents, name=cited.name)], []


@dataclass(frozen=True)
class _Cited:
    """What an earlier answer rests on: the law's paragraphs, the municipality's own documents, its own rule."""

    name: str  # the municipality's
    citations: tuple[Citation, ...]
    laws: tuple[Citation, ...]
    documents: str  # the municipality's documents it cites, named for a sentence
    local_rule: bool  # a date of the municipality's own annual cycle

    @classmethod
    def of(cls, turn: Turn, name: str) -> _Cited:
        laws = tuple(filter(cites_law, turn.citations))
        titles = list(dict.fromkeys(_title(c, name) for c in turn.citations if c not in laws))
        documents = rule_texts.listing(titles[:2]) if titles else name
        return cls(name, turn.citations, laws, documents, turn.facts.get("local") is True)

    @property
    def rests_on_law(self) -> bool:
        """The answer's first source is the law, and it is no date of the municipality's own."""
        return bool(self.laws) and self.citations[0] == self.laws[0] and not self.local_rule


# a paragraph of a law a document names: "enligt KL 12 kap 12 §", "kommunallagen 11 kap. 16 §", "(12 kap 1 § KL)"
_LAW_NAMED = re.compile(
    r"\b(?P<law>KL|kommunallagen|LKBR)\s*,?\s*(?P<chapter>\d+)\s*kap\.?\s*(?P<paragraph>\d+(?:\s*[–-]\s*\d+)?)\s*§|"
    r"\b(?P<chapter2>\d+)\s*kap\.?\s*(?P<paragraph2>\d+(?:\s*[–-]\s*\d+)?)\s*§§?\s*"
    r"(?P<law2>KL|kommunallagen|LKBR)\b",
    re.IGNORECASE,
)
_LAW_NAMES = {
    "kl": "kommunallagen",
    "kommunallagen": "kommunallagen",
    "lkbr": "lagen om kommunal bokföring och redovisning",
}


def _laws_referred(citations: Sequence[Citation]) -> list[str]:
    """The paragraphs of law the cited documents name themselves ("KL 12 kap 12 §"), each once, in order."""
    found: list[str] = []
    for citation in citations:
        if cites_law(citation) or not citation.text:
            continue
        for match in _LAW_NAMED.finditer(citation.text):
            law = _LAW_NAMES[(match.group("law") or match.group("law2")).lower()]
            chapter = match.group("chapter") or match.group("chapter2")
            paragraph = match.group("paragraph") or match.group("paragraph2")
            found.append(f"{law} {chapter} kap {paragraph} §")
    return list(dict.fromkeys(found))


def _stands_in(cited: _Cited, first: Citation) -> list[str]:
    """ "Det står i …", the passage, and the other documents that say it (a rendition of the same document is
    no other source)."""
    lines = [texts.STANDS_IN.format(where=_where(first)), *_in_short(first)]
    others = {
        _title(c, cited.name): _where(c)
        for c in cited.citations[:3]
        if _title(c, cited.name) != _title(first, cited.name)
    }
    if others:
        lines.append(texts.ALSO_IN.format(where=rule_texts.listing(list(others.values()))))
    return lines


def _in_short(citation: Citation) -> list[str]:
    """The cited passage: a document's words in quotation marks, the law in our words (never quoted)."""
    if not citation.text:
        return []
    if cites_law(citation):
        return [texts.IN_SHORT.format(said=excerpt(citation.text, QUOTED))]
    return [f"”{excerpt(citation.text, QUOTED)}”"]


def _places_of(rules: RulesEngine) -> Places:
    return {m: rules.rulebook(m).names for m in rules.known}


def _event_quoted(rulebook: Rulebook, citations: Sequence[Citation]) -> str | None:
    """The event whose source a cited passage quotes ("Bolagen | Årsredovisning … ska vara kommunens
    ekonomiavdelning tillhanda senast 1/3" holds the quote of the companies' deadline): the municipality's own
    before the law's, a dated one before an undated."""
    passages = [normalise(c.text) for c in citations if c.text]
    quoted = [e for e in rulebook.events if e.source.quote and any(normalise(e.source.quote) in t for t in passages)]
    if not quoted:
        return None
    return min(quoted, key=lambda e: (not rulebook.is_local(e.id), not is_dated(e, rulebook.anchors))).id


def _event_named(rulebook: Rulebook, about: str) -> str | None:
    """The event whose title names the subject word for word ("Delårsrapport 1 omfattar …" for "delårsrapport
    1"): the municipality's own before the law's, a dated one before an undated."""
    words = [w for w in about.lower().split() if w not in ("en", "ett")]
    if not words:
        return None
    named = [e for e in rulebook.events if " ".join(words) in e.title.lower()]
    if not named:
        return None
    best = min(named, key=lambda e: (not rulebook.is_local(e.id), not is_dated(e, rulebook.anchors)))
    return best.id


def _quoted_from(turn: Turn | None) -> Spot | None:
    """Where the turn's answer was quoted from (its first citation), if it was quoted from anywhere."""
    if turn is None or not turn.citations:
        return None
    first = turn.citations[0]
    return Spot(first.source, first.page, first.section)


def _understood(resolution: Resolution) -> str:
    """The question a follow-up was taken to ask, as the person is shown it."""
    if resolution.kind is FollowupKind.SOURCE:
        template = texts.ASKED_IF_LAW if resolution.law else texts.ASKED_WHERE
        return template.format(question=resolution.question)
    if resolution.kind is FollowupKind.NEXT:  # "och efter det?" asks about the answer, not the question again
        if resolution.again:
            return texts.ASKED_AGAIN.format(question=resolution.question)
        if resolution.noun:
            return texts.ASKED_NEXT_KIND.format(noun=resolution.noun, question=resolution.question)
        return texts.ASKED_NEXT.format(question=resolution.question)
    return resolution.question


def _title(citation: Citation, name: str) -> str:
    """A document's title without the municipality's name that a rule's citation adds ("Styrmodell (X)")."""
    return citation.title.removesuffix(f" ({name})")


def _answering_body(understood: str, answer: Answer) -> str | None:
    """The body that answered a who-question ("Vem har uppsiktsplikt?" → "kommunstyrelsen"), for a "den" in
    the next question."""
    if answer.abstained or not _WHO_ASKED.match(understood):
        return None
    body = answer.facts.get("body")
    if isinstance(body, str) and body:
        return rule_texts.body_name(body) or body
    named = _BODY_NAMED.search(answer.text)
    return named.group(1).lower() if named else None


def _where(citation: Citation) -> str:
    """A source for a sentence: its title and where in it, as every channel says it (`bot.facts.where`):
    "Kommunallag (2017:725), 11 kap 16 §", "Styrmodell, s. 7, 5. Ekonomi", "… bild 4, …" on a slide."""
    place = where(citation)
    return f"{citation.title or citation.source}, {place}" if place else citation.title or citation.source
