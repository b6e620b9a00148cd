"""When the documents do not answer: say so instead of guessing.

Similarity scores cannot tell an answerable question from an unanswerable one (multilingual-e5 scores
sit in a narrow band, and BM25 always finds *some* passage), so abstention rests on what the question
asks for and on whether the sources know what it is about:

- **Another municipality**: a place the question names ("i Uppsala", "Uppsala kommun") that is none of
  the profiled municipalities (the caller knows those) and that the documents never mention, or that is
  named as a municipality outright.
- **Personal details**: names and contact details of people ("Vad heter ordföranden?", "telefonnummer
  till …") are never in governance documents, and a guess would be a wrong fact about a person.
- **A kind of fact the sources do not hold** (`knowledge.questions.wants`): a place ("i vilket rum"),
  opening hours; an amount of money or a share only when the evidence has one (checked on the passages).
- **A topic the sources do not know**: the question's own words (not the situation told before it) are
  weighed by how specific they are in Swedish (`wordfreq`: "snöröjningen" weighs more than "gå"), and
  the question is not answered when most of that weight falls on words no source contains, not even as a
  compound part or a synonym ("Vem ansvarar för snöröjningen på gångbanorna?"). A single unknown word
  in an otherwise well-covered question ("… i kedjan från KF ner till enheterna") does not stop it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from knowledge.bm25 import STOP_WORDS, tokenize, word_set
from knowledge.normalise import swedish_frequencies
from knowledge.questions import wants, without_chain

Reason = Literal["no_documents", "personal_details", "not_in_documents", "other_municipality", "not_held"]

_PERSONAL = re.compile(
    r"\bvad heter (?:han|hon|hen|de|dom|den som|(?:\w+ ){0,2}\w*(?:chef|direktör|ordförande|råd|sekreterare|revisor|"
    r"handläggare|ansvarig|kontaktperson|registrator)\w*)\b|\bvem (?:är|var) (?:den |det )?(?:nuvarande |sittande |"
    r"just nu )?(?:ordförande|ordf|kso|kfo|vice ordförande|kommunchef|kommundirektör|stadsdirektör|förvaltningschef|"
    r"ekonomichef|nämndsekreterare|sekreterare|kommunalråd|oppositionsråd|revisor|registrator)\w*\b|"
    r"\b(?:telefon\w*|tel\.?\s*nr|mobilnummer|e-?post\w*|mejl\w*|mail\w*|mailadress\w*|"
    r"kontaktuppgift\w*|hemadress\w*|personnummer)\b|"
    r"\b(?:vem|vart|vilket nummer)\b[^?.!]{0,30}\b(?:ringa|ringer|mejla|maila|kontakta|kontaktar)\b",
    re.IGNORECASE,
)

# Words that carry the question, not its topic: asking, opining, hedging, and the verbs every question uses.
QUESTION_WORDS = word_set(
    """
    tycka tycker tyckte tyckt tro tror trodde anse anser ansåg undra undrar undrade veta vet visste fråga frågar
    alltså egentligen typ liksom ungefär exakt precis helt ganska riktigt verkligen faktiskt själva själv
    klar klart klara färdig färdigt färdiga gäller gälla gällde handlar handla göra gör gjorde görs gjort
    ska skall bör borde kunna kan kunde vilja vill ville hända händer hände betyda betyder menas innebära innebär
    säga säger sa står stå finns fanns ha har hade få får fick ge ger gav ta tar tog nuvarande just nu ens ändå
    många fler flest färre viktig viktiga viktigt bra dålig dåliga snabbt länge lång långt ofta alltid aldrig
    första sista nästa hej tack snälla kort svar okej ok mig min mitt mina oss vår vårt våra dig din ditt
    rent går gå gick gått tas tagit tagits fram utgå utgår utgick utgått hänger hänga hängde ihop
    """
)
# A word's weight is how specific it is: MAX_WEIGHT for a word wordfreq does not know, down to MIN_WEIGHT for
# the commonest words; a question is not answered when UNKNOWN_SHARE of its weight is on unknown words.
SPECIFIC = 6.5
MIN_WEIGHT = 0.5
MAX_WEIGHT = 4.0
UNKNOWN_SHARE = 0.5
NEVER_HELD = ("place", "opening_hours", "schedule", "members")  # facts no governance document gives


@dataclass(frozen=True)
class Verdict:
    """Why the documents cannot answer, and the words that showed it."""

    reason: Reason
    words: tuple[str, ...] = ()


def asks_for_personal_details(question: str) -> bool:
    """A question after a person's name or contact details."""
    return _PERSONAL.search(question) is not None


def topic_words(question: str, ignore: Iterable[str] = ()) -> list[str]:
    """The words of the question that say what it is about (not question words, filler, or our names)."""
    skip = {word for name in ignore for word in tokenize(name)}
    words = [without_chain(w) for w in tokenize(question)]
    words = [w for w in words if len(w) > 2 and not w.isdigit()]
    return [w for w in dict.fromkeys(words) if w not in STOP_WORDS | QUESTION_WORDS and w not in skip]


def weight(word: str) -> float:
    """How much a word says about the topic: the rarer in Swedish, the more."""
    zipf = swedish_frequencies().get(word, 0.0)
    return min(MAX_WEIGHT, max(MIN_WEIGHT, SPECIFIC - zipf))


def uncovered(question: str, known: Callable[[str], bool], ignore: Iterable[str] = ()) -> tuple[list[str], float]:
    """The question's topic words no source contains, and the share of the topic's weight they carry."""
    words = topic_words(question, ignore)
    missing = [w for w in words if not known(w)]
    total = sum(weight(w) for w in words)
    return missing, (sum(weight(w) for w in missing) / total if total else 0.0)


def other_places(question: str, places: Iterable[str], known: Callable[[str], bool]) -> list[str]:
    """Of the places named (none of ours), those the documents cannot be about: named as a municipality
    outright ("Uppsala kommun"), or never mentioned in any passage."""
    found = []
    for place in places:
        outright = re.search(rf"\b{re.escape(place)}s?\s+(?:kommun|stad|kommunkoncern)", question, re.IGNORECASE)
        if outright or not all(known(word) for word in tokenize(place)):
            found.append(place)
    return found


def judge(
    question: str,
    known: Callable[[str], bool],
    ignore: Iterable[str] = (),
    places: Iterable[str] = (),
    context: str = "",
) -> Verdict | None:
    """A reason to abstain before searching, or None when the sources may answer. `question` is the question
    itself, `context` the situation told before it; `places` are the places named that are none of the
    profiled municipalities; `ignore` are words that only name our own."""
    elsewhere = other_places(f"{context} {question}", places, known)
    if elsewhere:
        return Verdict("other_municipality", tuple(elsewhere))
    if asks_for_personal_details(question):
        return Verdict("personal_details")
    wanted = wants(question)
    if wanted in NEVER_HELD:
        return Verdict("not_held", (wanted,))
    missing, share = uncovered(question, known, ignore)
    return Verdict("not_in_documents", tuple(missing)) if share >= UNKNOWN_SHARE else None
