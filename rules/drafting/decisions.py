"""Who decides what, and the role principle, in a document's own sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from rules import texts
from rules.date_phrases import date_phrases
from rules.drafting.actors import acting_body, acts, bodies_named, role_body
from rules.drafting.entries import Drafted, Passage, source_of, title_of
from rules.drafting.keys import KeyWords
from rules.drafting.text import clause_around, sentences

_DECIDES = re.compile(
    r"\b(?:fastställer|fastställs|fastslår|fastslås|beslutar|beslutas|besluta|fattar\s+beslut|tar\s+beslut|"
    r"beslut\s+(?:om|tas)|antar|antas|godkänner|godkänns|ansvarar|har\s+(?:det\s+)?(?:yttersta\s+|övergripande\s+)?"
    r"ansvar(?:et)?|svarar\s+för|har\s+uppsikt\w*|uppsiktsplikt|leder|leda|utser|utses|prioriterar|fördelar|"
    r"delegera\w*|uppdrar|ger\s+uppdrag|ska\s+pröva|prövar|granskar|bereder|bereds|tar\s+fram|upprättar|"
    r"antogs|fastställdes|beslutade|beslutades|godkändes|behandlar|behandlas|behandlat|antagande|följer\s+upp|"
    r"följs\s+upp|"
    r"(?:kf|ks)\s+beslut|uppgift\s+att)\b",
    re.IGNORECASE,
)
_NOT_DELEGABLE = re.compile(r"\b(?:får|kan|ska)\s+(?:inte|ej|aldrig)\s+delegeras|\bej\s+delegerbar|\binte\s+"
                            r"delegerbar|\bkan\s+inte\s+överlåtas", re.IGNORECASE)  # fmt: skip
_DELEGABLE = re.compile(r"\b(?:får|kan)\s+(?:\w+\s+){0,3}delegeras|\bdelegerat?\s+till\b|\bpå\s+delegation\b",
                        re.IGNORECASE)  # fmt: skip
_MATTER = re.compile(
    r"\b(?:fastställer|fastslår|beslutar\s+om|beslutar|fattar\s+beslut\s+om|tar\s+beslut\s+om|beslut\s+om|antar|"
    r"godkänner|ansvarar\s+för|svarar\s+för|har\s+(?:\w+\s+)?ansvar(?:et)?\s+för|tar\s+fram|upprättar|leder|"
    r"prövar|granskar|bereder|fördelar|utser)\s+(?P<matter>[^.;:,]{3,90})",
    re.IGNORECASE,
)


def draft_decisions(passages: Sequence[Passage], words: KeyWords) -> Iterator[Drafted]:
    """Every sentence in which a named body decides, adopts, answers for something, or that says whether a
    matter may be delegated. A delegation list's "Delegat:" names who decides on delegation, a short sentence
    names who decides the matter before it ("Besluta om upphandling … Nämnden beslutar."), a two-column table
    ("what | who") gives the body from its other cell, and a sentence that only says whether "the decision"
    may be delegated says it of the decision before it."""
    listed: list[Drafted] = []  # the matters of a list whose lead-in names who decides them
    lead: str | None = None  # that body: "Fullmäktige beslutar …, särskilt om:"
    for passage in passages:
        if passage.item and lead is not None:
            listed.append(_listed_matter(passage, lead, words))
            continue
        if listed:  # "Ärenden av detta slag får inte delegeras": said of the whole list
            of_all = _delegable(passage.text) if _OF_THE_LIST.match(passage.text) else None
            yield from (
                Drafted(d.entry | {"delegable": of_all}, d.passage) if of_all is not None else d for d in listed
            )
            listed = []
        found: list[Drafted] = []
        matter_alone: str | None = None  # "Besluta om upphandling över 15 prisbasbelopp."
        for _, sentence in sentences(passage.text):
            decider = _decider(sentence) if matter_alone is not None else None
            before, matter_alone = matter_alone, (sentence if _is_matter_alone(sentence) else None)
            if decider is not None and before is not None:
                sentence = before
            elif len(sentence) < 15 or len(sentence.split()) < 3:
                continue
            delegate = _delegate(sentence)  # "Besluta om … – Delegat: förvaltningschef"
            body = (
                decider or delegate or acting_body(sentence, passage.row if passage.when is None else None, passage.who)
            )
            doubt = None
            role = role_body(passage.under) if passage.under is not None and body is None else None
            if role is not None:  # a line under "Tjänstemän" on a slide: what the officials do
                body, assumed = role
                if assumed:
                    doubt = f"Raden står under ”{passage.under}”; jag har antagit {texts.body_name(body)}."
            if found and body is None and _REFERS_BACK.match(sentence) and _delegable(sentence) is not None:
                found[-1] = Drafted(found[-1].entry | {"delegable": _delegable(sentence)}, passage)
                continue
            duty = passage.under is not None or _duty_of(sentence) == body  # "tjänstemännens funktioner är att …"
            listed_delegate = passage.delegated and body is not None  # a delegation list's row
            if body is None or not (
                delegate
                or decider
                or duty
                or listed_delegate
                or _DECIDES.search(sentence)
                or (acts(sentence) and not date_phrases(sentence))  # a dated step is the årshjul's, not a decision
            ):
                continue
            quote = clause_around(sentence, *_decision_span(sentence))
            matter = _matter(quote)
            gapped = _GAPPED.search(matter) if _VERB_TAKES.search(quote) else None
            second = _gapped_body(gapped.group("who")) if gapped is not None else None
            if gapped is not None and second is not None:  # "Nämnderna ansvarar för X och fullmäktige för Y"
                found.append(_decision(gapped.group("matter"), quote, second, None, passage, words))
                matter = matter[: gapped.start()]
            delegable = True if delegate or listed_delegate else _delegable(sentence)
            found.append(_decision(matter, quote, body, delegable, passage, words, doubt))
        leads = _LEADS_IN.search(passage.text) is not None and found and found[-1].passage is passage
        lead = found[-1].entry["body"] if leads else None
        yield from found
    yield from listed


def _decision(
    matter: str,
    quote: str,
    body: str,
    delegable: bool | None,
    passage: Passage,
    words: KeyWords,
    doubt: str | None = None,
) -> Drafted:
    entry: dict[str, Any] = {
        "matter": matter,
        "text": title_of(quote, ""),
        "body": body,
        "delegable": delegable,
        **words.keys_for(f"{matter} {quote}", first=matter, body=body),
        "source": source_of(passage, quote),
    }
    return Drafted(entry, passage, doubt)


# a body's duty named as its own: "tjänstemännens viktigaste funktioner är att …", "nämndernas arbete består av
# …", "förvaltningens förslag på mål"
_DUTY = re.compile(r"\s+(?:\w+\s+)?(?:uppgift|funktion|ansvar|roll|arbete|förslag)\w*\b", re.IGNORECASE)


def _duty_of(sentence: str) -> str | None:
    return next((m.body for m in bodies_named(sentence) if m.genitive and _DUTY.match(sentence[m.end :])), None)


# the verb left out for a second body: "… ansvarar för sitt grunduppdrag och fullmäktige för helheten", "…
# beslutar om X och KS om Y"; the second body says only its preposition again
_VERB_TAKES = re.compile(
    r"\b(?:ansvarar|svarar|har\s+(?:\w+\s+)?ansvar(?:et)?|beslutar|fattar\s+beslut)\s+(?:för|om)\s", re.IGNORECASE
)
_GAPPED = re.compile(r"\s+(?:och|medan|samt)\s+(?P<who>[\wåäöÅÄÖ]+(?:\s+[\wåäöÅÄÖ]+)?)\s+(?:för|om)\s+"
                     r"(?P<matter>\S.*)$")  # fmt: skip


def _gapped_body(words: str) -> str | None:
    """The body a gapped clause names, and nothing else ("fullmäktige", not "nämndernas ramar")."""
    mentions = bodies_named(words)
    whole = len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(words)
    return mentions[0].body if whole and not mentions[0].genitive else None


_OF_THE_LIST = re.compile(
    r"\s*(?:(?:ärenden|beslut|frågor)\s+av\s+(?:detta|dessa|det\s+här)\s+slag|dessa\s+ärenden|"
    r"(?:ärendena|besluten|frågorna)\s+(?:i\s+listan\s+)?ovan)",
    re.IGNORECASE,
)  # "Ärenden av detta slag får inte delegeras", "Ärendena i listan ovan får inte delegeras"
# a sentence that a list completes: "… särskilt om:", "Till KF:s beslut hör bl.a."
_LEADS_IN = re.compile(r"(?::|\bbl\.\s?a\.?|\bbland\s+annat|\bföljande|\bsärskilt(?:\s+om)?)\s*$", re.IGNORECASE)


def _listed_matter(passage: Passage, body: str, words: KeyWords) -> Drafted:
    """A matter a list gives under a lead-in that names who decides it ("• taxor och avgifter")."""
    matter = " ".join(passage.text.split()).strip(" .;,")
    entry: dict[str, Any] = {
        "matter": matter,
        "text": title_of(matter, ""),
        "body": body,
        "delegable": None,
        **words.keys_for(matter, first=matter, body=body),
        "source": source_of(passage, passage.text.strip()),
    }
    return Drafted(entry, passage)


_REFERS_BACK = re.compile(r"\s*(?:beslutet|besluten|detta|det|ärendet|ärendena|uppgiften|denna\s+\w+)\b", re.IGNORECASE)


_ITEM_NUMBER = re.compile(r"\s*(?:\d+(?:\.\d+)*\.?\s+)?")  # "4.2 Besluta om …"
_SAYS_WHO = re.compile(r"\s*(?P<who>[\wåäöÅÄÖ]+)\s+(?:beslutar|beslutar\s+själv|fattar\s+beslut)\.?\s*", re.IGNORECASE)


def _is_matter_alone(sentence: str) -> bool:
    """A list item that names a matter and no one: "4.2 Besluta om upphandling över 15 prisbasbelopp."."""
    start = _ITEM_NUMBER.match(sentence)
    return bool(_DECIDES.match(sentence, start.end() if start else 0)) and not bodies_named(sentence)


def _decider(sentence: str) -> str | None:
    """The body a sentence of its own names as deciding: "Nämnden beslutar."."""
    named = _SAYS_WHO.fullmatch(sentence)
    mentions = bodies_named(named.group("who")) if named is not None else []
    return mentions[0].body if mentions else None


_DELEGATE = re.compile(r"\bDelegat\s*:\s*(?P<who>[^.;]+)", re.IGNORECASE)


def _delegate(sentence: str) -> str | None:
    """The body a delegation list names as the one who decides: "… – Delegat: förvaltningschef"."""
    named = _DELEGATE.search(sentence)
    mentions = bodies_named(named.group("who")) if named is not None else []
    return mentions[0].body if mentions else None


def _decision_span(sentence: str) -> tuple[int, int]:
    match = _DECIDES.search(sentence)
    return (match.start(), match.end()) if match else (0, len(sentence))


def _matter(quote: str) -> str:
    match = _MATTER.search(quote)
    text = match.group("matter") if match else quote
    text = re.split(r"\s+(?:och\s+ska|samt\s+ska|vilket|som\s+ska|varje\s+år|senast|i\s+samband)\b", text)[0]
    return " ".join(text.split()).strip(" ,.;:") or quote


def _delegable(sentence: str) -> bool | None:
    if _NOT_DELEGABLE.search(sentence):
        return False
    if _DELEGABLE.search(sentence):
        return True
    return None


# "VAD och NÄR" as the documents write it, or "vad kommunen ska åstadkomma och när" said of the politicians
# (and "hur uppdraget genomförs och vem" of the officials)
_WHAT_WHEN = re.compile(r"\bVAD\b.{0,60}\bNÄR\b|(?i:\bvad\b.{0,60}\bnär\b)", re.DOTALL)
_HOW_WHO = re.compile(r"\bHUR\b.{0,60}\bVEM\b|(?i:\bhur\b.{0,60}\bvem\b)", re.DOTALL)
_POLITICIANS = re.compile(r"förtroendevald|politik|fullmäktige|nämnd|VAD", re.IGNORECASE)
_OFFICIALS = re.compile(r"tjänste|förvaltning|medarbetar|HUR", re.IGNORECASE)


def draft_role_principle(passages: Sequence[Passage]) -> dict[str, Any] | None:
    """The document's own sentences on VAD/NÄR (the politicians') and HUR/VEM (the officials'), if it has
    both."""
    politik = forvaltning = None
    for passage in passages:
        for _, sentence in sentences(passage.text):
            if politik is None and _WHAT_WHEN.search(sentence) and _POLITICIANS.search(sentence):
                politik = (passage, sentence)
            if forvaltning is None and _HOW_WHO.search(sentence) and _OFFICIALS.search(sentence):
                forvaltning = (passage, sentence)
    if politik is None or forvaltning is None:
        return None
    sources = [source_of(p, clause_around(s, 0, min(len(s), 40))) for p, s in (politik, forvaltning)]
    if sources[0]["quote"] == sources[1]["quote"]:
        sources = sources[:1]
    return {"politik": politik[1], "forvaltning": forvaltning[1], "sources": sources}
