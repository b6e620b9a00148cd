"""Answer deterministic questions: deadlines, who decides, and the VAD/NÄR versus HUR/VEM split.

`RulesEngine.answer` recognises the kind of question, matches it against the municipality's rulebook
and composes a Swedish answer with facts and citations — or returns None, so that document retrieval
can answer instead. A rules answer is never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from rules import texts
from rules.calendar import Occurrence, is_election_year, next_occurrence, occurrences_between, occurrences_in_year
from rules.date_phrases import years_named
from rules.intents import (
    OWN_NAMES,
    Intent,
    asked_actor,
    asker_side,
    asks_about_the_split,
    asks_for_several_dates,
    mentioned,
    months_named,
    named_places,
    permitted_body,
    recognise,
    strip_filler,
    who_starts,
)
from rules.lookup import HINT_WEIGHT, Match, RulebookIndex, best
from rules.matching import Analyzed
from rules.models import (
    BODY_SIDE,
    Decision,
    Event,
    FixedDate,
    InMonth,
    MonthEnd,
    Monthly,
    Relative,
    RoleSplit,
    Source,
)
from rules.profiles import ProfileStore, Rulebook, load_yaml
from rules.roles import RoleClassifier, RoleVerdict, load_cues

ROLE = "role_principle"  # RuleAnswer.entry of a role answer: the municipality's role principle answered
MAX_LISTED = 8  # events in one answer to "Vilka datum …?"


@dataclass(frozen=True)
class RuleCitation:
    """The source of a rule, in the shape of a document citation."""

    source: str
    title: str
    page: int | None
    section: str | None
    text: str


@dataclass(frozen=True)
class RuleAnswer:
    """A deterministic answer: Swedish text, the contract's facts, citations and the steps taken."""

    kind: str
    text: str
    facts: dict[str, Any]
    citations: tuple[RuleCitation, ...]
    municipality: str | None
    trace: tuple[str, ...] = field(default=())
    entry: str = ""  # the id of the event or decision that answered, or ROLE for the role split


@dataclass(frozen=True)
class DeadlineItem:
    """One upcoming occurrence for a deadline listing."""

    occurrence: Occurrence
    local: bool


def load_synonyms() -> dict[str, tuple[str, ...]]:
    """The shared lexicon: canonical word → forms people write (abbreviations, synonyms)."""
    data = load_yaml((resources.files("rules") / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    return {str(k): tuple(str(f) for f in v) for k, v in data["synonyms"].items()}


class RulesEngine:
    """The rules of every municipality, ready to answer questions."""

    def __init__(
        self,
        store: ProfileStore | None = None,
        data_dir: Path | None = None,
        synonyms: dict[str, tuple[str, ...]] | None = None,
        drafts: Path | None = None,
    ) -> None:
        self.store = store or ProfileStore(data_dir, drafts)
        synonyms = load_synonyms() if synonyms is None else synonyms
        self._indexes = {m: RulebookIndex(self.store.rulebook(m), synonyms) for m in (None, *self.store.known)}
        self._roles = RoleClassifier(load_cues())

    @property
    def known(self) -> tuple[str, ...]:
        """Ids of every municipality with a profile."""
        return self.store.known

    def rulebook(self, municipality: str | None) -> Rulebook:
        """The merged rules for a municipality (None: the national layer)."""
        return self.store.rulebook(municipality)

    def vocabulary(self) -> set[str]:
        """Every word the rules' data uses: titles, texts, notes, keys, quotes and the lexicon's forms."""
        words: set[str] = set()
        for index in self._indexes.values():
            words |= index.vocabulary()
        return words

    def answer(self, question: str, municipality: str | None, today: date, told: str = "") -> RuleAnswer | None:
        """A rules answer to the question, or None when the rules cannot answer it exactly. `told` is what the
        person said before asking ("Vi hinner inte fastställa budgeten i november."): its words count for which
        rule is meant, but a month it names is not the month asked about."""
        asked = strip_filler(question)
        question = f"{told} {asked}".strip() if told else asked
        municipality = self.store.resolve(municipality) if municipality else None
        municipality, trace = self._resolve_municipality(question, municipality)
        index = self._indexes[municipality]
        analyzed = index.analyze(question, own=asked if told else "")
        intents = recognise(question)
        trace.append(f"intents: {', '.join(i.value for i in intents) or 'none'}")
        if asks_about_the_split(question):
            return self._role_explained(question, index.rulebook, trace)
        if who_starts(question) and Intent.DEADLINE in intents:
            intents.remove(Intent.DEADLINE)
            intents.append(Intent.DEADLINE)
        # "Vem fastställer delårsrapport 2 och när?": who decides, and when they do
        and_when = Intent.WHO_DECIDES in intents and Intent.DEADLINE in intents
        for intent in intents:
            result = self._try(intent, index, analyzed, months_named(asked), today, trace, and_when)
            if result is not None:
                return result
        return None

    def _try(
        self,
        intent: Intent,
        index: RulebookIndex,
        question: Analyzed,
        months: frozenset[int],
        today: date,
        trace: list[str],
        and_when: bool = False,
    ) -> RuleAnswer | None:
        if intent is Intent.DEADLINE:
            matches = _as_asked(_prefer_named_months(index.events(question), months, index.rulebook, today),
                                question.text, index.rulebook)  # fmt: skip
            listed = _several(matches, months, index.rulebook, today) if asks_for_several_dates(question.text) else []
            if len(listed) > 1:
                trace.append(f"deadlines: {', '.join(e.id for e in listed)}")
                return self._deadlines(listed, index.rulebook, today, trace)
            match = self._event(index, question, months, today)
            trace.append(f"deadline: {match.id if match else 'no single event'}")
            return self._deadline(match, index.rulebook, today, trace) if match else None
        if intent is Intent.WHO_DECIDES:
            permitted = permitted_body(question.text)  # "… vilka beslut förvaltningschefen får fatta": not them
            decisions = [m for m in index.decisions(question) if m.entry.body != permitted]
            decision = best(decisions, lambda d: d.body)
            trace.append(f"who_decides: {decision.entry.id if decision else 'no single decision'}")
            if decision is None:
                return None
            when = None
            if and_when:  # the event in which the deciding body acts: its name weighs in the choice
                body = texts.body_name(decision.entry.body) or ""
                when = self._event(index, index.analyze(f"{question.text} {body}"), months, today)
                trace.append(f"when: {when.id if when else 'no single event'}")
            return self._who_decides(decision.entry, index.rulebook, today, trace, when)
        verdict = self._roles.classify(question, index.analyzer)
        trace.append(f"role: {verdict.side.value if verdict else 'no clear side'}")
        return self._role(verdict, index.rulebook, trace) if verdict else None

    def others_named(self, question: str, municipality: str | None) -> list[str]:
        """The municipalities with a profile, other than `municipality`, that the question names ("… i Tranemo")."""
        return [m for m in self.known if m != municipality and mentioned(question, (*self.rulebook(m).names, m))]

    def _resolve_municipality(self, question: str, municipality: str | None) -> tuple[str | None, list[str]]:
        trace = [f"municipality asked: {municipality or 'none'}"]
        named = self.others_named(question, municipality)
        if named:
            trace.append(f"question names {named[0]}")
            return named[0], trace
        current = self.store.rulebook(municipality).names if municipality else ()
        others = [p for p in named_places(question) if not _is_one_of(p, current) and not self._is_term(p)]
        if others and municipality is not None:
            trace.append(f"question names {others[0]}, which has no profile: national layer only")
            return None, trace
        return municipality, trace

    def _is_term(self, word: str) -> bool:
        analyzed = self._indexes[None].analyze(word)
        return analyzed.tokens != (word,)

    # deadlines -----------------------------------------------------------------------------------

    def upcoming(self, municipality: str | None, start: date, end: date) -> list[DeadlineItem]:
        """Every dated occurrence of the municipality's events with a deadline in [start, end]."""
        rulebook = self.store.rulebook(municipality)
        found = occurrences_between(rulebook.events, start, end, rulebook.anchors)
        return [DeadlineItem(o, rulebook.is_local(o.event.id)) for o in found]

    def deadline_after(self, municipality: str | None, event_id: str, day: date) -> RuleAnswer | None:
        """The deadline answer for an event with its next occurrence on or after `day` ("och nästa gång?")."""
        rulebook = self.store.rulebook(municipality)
        event = rulebook.event(event_id)
        if event is None:
            return None
        return self._deadline(event, rulebook, day, [f"deadline: {event_id} on or after {day.isoformat()}"])

    def following(self, municipality: str | None, event_id: str, today: date, kind: str = "") -> RuleAnswer | None:
        """The deadline answer for the event that comes next in the annual cycle after the given one ("och
        efter det?"): of the same provenance (the municipality's own order, or the law) and of the same process
        (its first tag: the budget talks are followed by the budget decision, not by the forecast that falls
        between) where there is one, and of the kind asked for when one is ("nästa rapport");
        never the same step again (its other halves on the same day, or another event of the same numbered
        report). Of two on the same day, the one that shares more words with the given one ("budgeten" after
        "förslaget till budget")."""
        rulebook = self.store.rulebook(municipality)
        current = rulebook.event(event_id)
        when = _in_cycle(current, rulebook, today) if current is not None else None
        if current is None or when is None:
            return None
        after = when + timedelta(days=1)
        words = _title_stems(current.title)
        later: list[tuple[date, int, Event]] = []
        for event in rulebook.events:
            if event.id == event_id or _step(event.title) == _step(current.title) or isinstance(event.date, Monthly):
                continue  # the same step again, or what recurs every month (never "the next step")
            if kind and kind.lower()[:5] not in event.title.lower():
                continue
            day = _in_cycle(event, rulebook, after)
            if day is not None and day - after < timedelta(days=366):
                shared = len(words & _title_stems(event.title))
                later.append((day, -shared, event))
        local = rulebook.is_local(event_id)
        same = [found for found in later if rulebook.is_local(found[2].id) == local] or later
        same = [found for found in same if found[2].tags[:1] == current.tags[:1]] or same
        if not same:
            return None
        event = min(same, key=lambda found: (found[0], found[1], found[2].title))[2]
        return self._deadline(event, rulebook, today, [f"following {event_id}: {event.id}"])

    def _deadline(self, event: Event, rulebook: Rulebook, today: date, trace: list[str]) -> RuleAnswer:
        occurrence = next_occurrence(event, today, rulebook.anchors)
        facts = deadline_facts(event, occurrence, rulebook)
        parts = [f"{texts.capitalise(event.title)} – {when_text(event, rulebook)}."]
        if occurrence is not None:
            parts.append(texts.next_time(occurrence.date, occurrence.precision))
        who = event.actor or texts.body_name(event.body)
        if who and not _names_first(event.title, who):
            parts.append(texts.who_acts(who))
        if event.election_year_note and occurrence is not None and is_election_year(occurrence.date.year):
            parts.append(event.election_year_note)
        if event.note:
            parts.append(texts.sentence(event.note))
        parts += self._provenances([event], rulebook)
        citations = [citation(event.source, rulebook, event.title)]
        return _compose("deadline", parts, facts, citations, rulebook, trace, event.id)

    def _deadlines(self, events: list[Event], rulebook: Rulebook, today: date, trace: list[str]) -> RuleAnswer:
        """Several events, soonest first, a line each: what, when, next time, who acts. The facts are the first
        event's, with every event's in `facts.events`."""
        lines = [texts.DEADLINES_LEAD]
        facts = [deadline_facts(e, next_occurrence(e, today, rulebook.anchors), rulebook) for e in events]
        for event, fact in zip(events, facts, strict=True):
            line = f"• {texts.capitalise(event.title)} – {when_text(event, rulebook)}."
            if fact["date"] is not None:
                line += " " + texts.next_time(date.fromisoformat(fact["date"]), fact["precision"])
            who = event.actor or texts.body_name(event.body)
            lines.append(f"{line} {texts.who_acts(who)}" if who and not _names_first(event.title, who) else line)
        lines += self._provenances(events, rulebook)
        citations = [citation(e.source, rulebook, e.title) for e in events]
        answer = _compose("deadline", lines, {**facts[0], "events": facts}, citations, rulebook, trace, events[0].id)
        return replace(answer, text="\n".join(line for line in lines if line))

    def _event(self, index: RulebookIndex, question: Analyzed, months: frozenset[int], today: date) -> Event | None:
        """The one event the question is about, or None when none or several different ones match it."""
        matches = _prefer_named_months(index.events(question), months, index.rulebook, today)
        matches = _as_asked(matches, question.text, index.rulebook)
        match = best(matches, lambda e: _answer_key(e, index.rulebook, today))
        return match.entry if match else None

    # who decides ---------------------------------------------------------------------------------

    def _who_decides(
        self, decision: Decision, rulebook: Rulebook, today: date, trace: list[str], when: Event | None = None
    ) -> RuleAnswer:
        """Who decides the matter, and with `when` the date of the event in which they do."""
        who = texts.body_name(decision.body) or decision.body
        if decision.actor:
            who = f"{decision.actor} ({who})"
        parts = [texts.who_decides_lead(who), texts.sentence(decision.text)]
        if (sentence := texts.delegation(decision.delegable)) is not None:
            parts.append(sentence)
        citations = [citation(decision.source, rulebook, decision.text)]
        occurrence = None
        if when is not None:
            occurrence = next_occurrence(when, today, rulebook.anchors)
            said = when_text(when, rulebook)
            if said.lower() not in decision.text.lower():  # "… som fastställer den senast i april året efter"
                parts.append(f"{texts.capitalise(when.title)} – {said}.")
            if occurrence is not None:
                parts.append(texts.next_time(occurrence.date, occurrence.precision))
            if when.source != decision.source:
                citations.append(citation(when.source, rulebook, when.title))
        parts += self._provenances([decision, *([when] if when else [])], rulebook)
        side = BODY_SIDE[decision.body]
        facts: dict[str, Any] = {
            "body": decision.body,
            "basis": basis(decision.source),
            "matter": decision.matter,
            "actor": decision.actor,
            "delegable": decision.delegable,
            "side": side.value if side else None,
            "axis": side.axis if side else None,
        }
        if when is not None:
            facts["deadline"] = deadline_facts(when, occurrence, rulebook)
        return _compose("who_decides", parts, facts, citations, rulebook, trace, decision.id)

    # roles ---------------------------------------------------------------------------------------

    def _role(self, verdict: RoleVerdict, rulebook: Rulebook, trace: list[str]) -> RuleAnswer:
        """A verdict on a concrete matter: the side, why, the municipality's own words for that side and one
        line of advice; the law is cited, not repeated."""
        side = verdict.side
        parts = [texts.ROLE_LEAD[side.value], texts.role_reasons(verdict.reasons)]
        principle = rulebook.role_principle
        if principle is not None:
            words = principle.politik if side is RoleSplit.WHAT_WHEN else principle.forvaltning
            parts.append(texts.role_side(self._principle_owner(rulebook), words))
            if principle.note:
                parts.append(texts.sentence(principle.note))
        parts.append(texts.ROLE_ADVICE[side.value])
        facts: dict[str, Any] = {"side": side.value, "axis": side.axis, "reasons": list(verdict.reasons)}
        return _compose("role", parts, facts, _role_citations(rulebook), rulebook, trace, ROLE)

    def _role_explained(self, question: str, rulebook: Rulebook, trace: list[str]) -> RuleAnswer | None:
        """The split itself, for "Vad är min roll?": both sides, in the municipality's words, from the side of
        the one who asks when the question says (a member, an official)."""
        principle = rulebook.role_principle
        if principle is None:
            return None
        side = asker_side(question)
        parts = [texts.ROLE_EXPLAINED[side.value if side else None]]
        parts.append(texts.role_principle(self._principle_owner(rulebook), principle.politik, principle.forvaltning))
        if principle.note:
            parts.append(texts.sentence(principle.note))
        trace.append(f"role explained: {side.value if side else 'both sides'}")
        shown = side or RoleSplit.WHAT_WHEN
        facts: dict[str, Any] = {"side": shown.value, "axis": shown.axis, "explained": True}
        return _compose("role", parts, facts, _role_citations(rulebook), rulebook, trace, ROLE)

    @staticmethod
    def _principle_owner(rulebook: Rulebook) -> str:
        return rulebook.name if rulebook.local_role_principle else texts.GUIDANCE

    def _provenances(self, entries: Sequence[Event | Decision], rulebook: Rulebook) -> list[str]:
        """Where rules come from, once: the municipality's own order, and the law's paragraphs in one sentence
        ("Reglerna gäller alla kommuner enligt lag (KL 11 kap 8 §, KL 11 kap 10 § och …)"); and that a rule
        of a drafted profile has not been confirmed yet."""
        said = [self._provenance(e.id, e.source, rulebook) for e in entries]
        laws = sorted({e.source.law for e, p in zip(entries, said, strict=True) if p and e.source.law}, key=_in_order)
        lines = sorted({p for e, p in zip(entries, said, strict=True) if p and not e.source.law})
        unconfirmed = [texts.UNCONFIRMED] if any(not e.confirmed for e in entries) else []
        if len(laws) > 1:
            return [*lines, texts.NATIONAL_RULES.format(laws=texts.listing(laws)), *unconfirmed]
        return [*lines, *(texts.NATIONAL_RULE.format(law=law) for law in laws), *unconfirmed]

    def _provenance(self, entry_id: str, source: Source, rulebook: Rulebook) -> str:
        if rulebook.is_local(entry_id) and source.document is not None:
            return texts.LOCAL_PRACTICE.format(name=rulebook.name)
        return texts.NATIONAL_RULE.format(law=source.law) if source.law else ""


def _role_citations(rulebook: Rulebook) -> list[RuleCitation]:
    """The role principle's own sources, then the law it rests on."""
    principle = rulebook.role_principle
    statement = f"{principle.politik} {principle.forvaltning}" if principle else ""
    citations = [citation(s, rulebook, statement) for s in (principle.sources if principle else ())]
    citations.append(citation(Source(law=texts.ROLE_BASIS), rulebook, texts.ROLE_BASIS_TEXT))
    return citations


def _compose(
    kind: str,
    parts: list[str],
    facts: dict[str, Any],
    citations: list[RuleCitation],
    rulebook: Rulebook,
    trace: list[str],
    entry: str,
) -> RuleAnswer:
    text = " ".join(part for part in parts if part)
    return RuleAnswer(kind, text, facts, tuple(citations), rulebook.municipality, tuple(trace), entry)


def _prefer_named_months(
    matches: list[Match[Event]], months: frozenset[int], rulebook: Rulebook, today: date
) -> list[Match[Event]]:
    """Raise events that fall in the months the question names ("höstens prognos" → the October one)."""
    if not months:
        return matches
    boosted = []
    for match in matches:
        found = _months_of(match.entry, rulebook, today.year) | _months_of(match.entry, rulebook, today.year + 1)
        bonus = HINT_WEIGHT if found & months else 0.0
        boosted.append(replace(match, score=match.score + bonus))
    return sorted(boosted, key=lambda m: m.rank, reverse=True)


def _as_asked(matches: list[Match[Event]], question: str, rulebook: Rulebook) -> list[Match[Event]]:
    """The events matching a question, ranked again by what else it says: which years, and who acts."""
    return _by_actor_asked(_in_years_asked(matches, question), question, rulebook)


def _by_actor_asked(matches: list[Match[Event]], question: str, rulebook: Rulebook) -> list[Match[Event]]:
    """The steps of the body the question says acts first ("När ska bolagen ha lämnat sina årsredovisningar
    till KS?" is the companies' step, not the committees' of the same topic)."""
    actor = asked_actor(question, _own_names(rulebook))
    if actor is None:
        return matches
    raised = [replace(m, score=m.score + 2 * HINT_WEIGHT * (m.entry.body == actor)) for m in matches]
    return sorted(raised, key=lambda m: m.rank, reverse=True)


def _own_names(rulebook: Rulebook) -> dict[str, str]:
    """The one-word names the rulebook's lexicon gives companies and committees, and the body each is."""
    return {
        form: body
        for canonical, body in OWN_NAMES.items()
        for form in rulebook.lexicon.get(canonical, ())
        if " " not in form
    }


def _in_years_asked(matches: list[Match[Event]], question: str) -> list[Match[Event]]:
    """The events of the years a question asks about, when it says which: a step of election years only is no
    answer to "ett år som inte är valår", and the reverse; the asked years' own steps first."""
    asked = years_named(question)  # "ett år som inte är valår", "under valår", "året efter valet"
    if asked == "every":
        return matches
    excluded = {"election", "after_election", "non_election"} - {asked}
    kept = [replace(m, score=m.score + HINT_WEIGHT * (m.entry.years == asked)) for m in matches
            if m.entry.years not in excluded]  # fmt: skip
    return sorted(kept, key=lambda m: m.rank, reverse=True)


def _several(matches: list[Match[Event]], months: frozenset[int], rulebook: Rulebook, today: date) -> list[Event]:
    """The events a question after several dates is about: those matching it about as well as the best (within a
    hint's weight), in the months it names if it names any, soonest first."""
    if not matches:
        return []
    close = [m.entry for m in matches if m.score >= matches[0].score - HINT_WEIGHT][:MAX_LISTED]
    if months:
        close = [e for e in close if _months_of(e, rulebook, today.year) & months]
    dated = [(next_occurrence(e, today, rulebook.anchors), e) for e in close]
    return [event for _, event in sorted(dated, key=lambda pair: pair[0].date if pair[0] else date.max)]


def _months_of(event: Event, rulebook: Rulebook, year: int) -> set[int]:
    if isinstance(event.date, FixedDate) and event.date.yearless:
        return {event.date.month}
    return {o.date.month for o in occurrences_in_year(event, year, rulebook.anchors)}


def _answer_key(event: Event, rulebook: Rulebook, today: date) -> tuple[Any, ...]:
    occurrence = next_occurrence(event, today, rulebook.anchors)
    return (occurrence.date if occurrence else None, event.rule)


def _in_order(reference: str) -> list[int | str]:
    """A law reference as a key that puts 8 § before 10 §."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", reference)]


def _in_cycle(event: Event, rulebook: Rulebook, on_or_after: date) -> date | None:
    """When the event next falls in the annual cycle: its next deadline, or for a date whose source gives no
    year ("den 18 april" on a slide) that day of the month in the cycle's order."""
    found = next_occurrence(event, on_or_after, rulebook.anchors)
    if found is not None:
        return found.end
    rule = event.date
    if isinstance(rule, FixedDate) and rule.yearless and rule.month is not None and rule.day is not None:
        day = date(on_or_after.year, rule.month, rule.day)
        return day if day >= on_or_after else date(on_or_after.year + 1, rule.month, rule.day)
    return None


def _title_stems(title: str) -> set[str]:
    """The words of a title that say what it is about, by their first five letters ("budget", "budgeten")."""
    return {w[:5] for w in re.findall(r"\w{4,}", title.lower()) if w not in ("nästa", "till", "efter", "inför")}


def _step(title: str) -> str:
    """The step an event's title opens with, a numbered report whole ("delårsrapport 2")."""
    match = re.match(r"\w+(?: \d+)?", title.lower())
    return match.group(0) if match else title.lower()


def _is_one_of(place: str, names: Sequence[str]) -> bool:
    """Whether a place the question names is the municipality, also in the genitive ("i Älvstrands kommun",
    "Tranemos årshjul")."""
    forms = {place, place.removesuffix("s")}
    return any(name == form or name.startswith(f"{form} ") for name in names for form in forms)


def _names_first(title: str, who: str) -> bool:
    """Whether the title begins with who acts ("Kommunstyrelsen lämnar …"): then "Ansvarig: …" would repeat it."""
    return title.lower().startswith(who.lower())


def when_text(event: Event, rulebook: Rulebook) -> str:
    """The Swedish wording of when the event falls."""
    rule = event.date
    if event.rule:
        text = event.rule
    elif isinstance(rule, FixedDate):
        text = texts.deadline_when_fixed(rule.month, rule.day)
    elif isinstance(rule, MonthEnd):
        text = texts.deadline_when_month_end(rule.month)
    elif isinstance(rule, InMonth):
        text = texts.deadline_when_month(rule.month)
    elif isinstance(rule, Monthly):
        text = texts.deadline_when_monthly(list(rule.except_months))
    else:
        text = "löpande"
    if isinstance(rule, FixedDate) and rule.yearless:
        text = texts.yearless(text)
    if isinstance(rule, Relative):
        anchor = rulebook.anchors.get(rule.anchor)
        if anchor is not None and anchor.month is not None:
            text += f" ({anchor.title} är {texts.day_month(anchor.month, anchor.day)})"
    return text


def deadline_facts(event: Event, occurrence: Occurrence | None, rulebook: Rulebook) -> dict[str, Any]:
    """The contract's deadline facts, plus precision and window start."""
    rule = event.date
    month: int | None = None
    day: int | None = None
    if isinstance(rule, FixedDate):
        month, day = rule.month, rule.day
    elif isinstance(rule, MonthEnd):
        month = rule.month
        day = occurrence.date.day if occurrence else None
    elif isinstance(rule, InMonth):
        month = rule.month
    elif isinstance(rule, Relative) and occurrence is not None:
        month, day = occurrence.date.month, occurrence.date.day
    return {
        "event": event.title,
        "month": month,
        "day": day,
        "date": occurrence.date.isoformat() if occurrence else None,
        "body": event.body,
        "rule": event.rule or (when_text(event, rulebook) if not isinstance(rule, FixedDate) else None),
        "precision": occurrence.precision if occurrence else None,
        "start": occurrence.start.isoformat() if occurrence else None,
        "actor": event.actor,
        "event_id": event.id,
        "tags": list(event.tags),
        "local": rulebook.is_local(event.id),
    }


def basis(source: Source) -> str:
    """The contract's `basis`: the law reference, or the document quote."""
    if source.law:
        return source.law
    return f"{source.document}: {texts.quote(source.quote or '')}"


def citation(source: Source, rulebook: Rulebook, statement: str) -> RuleCitation:
    """A citation for a rule's source: the law and section, or the document, page and quote."""
    if source.law:
        title, section = texts.law_parts(source.law)
        return RuleCitation(title, title, None, section or source.law, statement)
    document = rulebook.documents.get(source.document or "")
    file = document.file if document else (source.document or "")
    title = document.title if document else file
    # "Styrmodell (Exempelkommun)", never "Dialog om … i Tranemo kommun (Tranemo kommun)"
    if not _names_place(title, rulebook.name):
        title = f"{title} ({rulebook.name})"
    return RuleCitation(file, title, source.page, source.section, source.quote or statement)


def _names_place(title: str, name: str) -> bool:
    """Whether a document's title already names the municipality ("Styrning och ledning i Trollhättans Stad")."""
    place = name.split()[0].lower()
    return place.removesuffix("s") in title.lower()
