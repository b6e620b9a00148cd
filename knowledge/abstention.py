"""When the documents do not answer: say so instead of guessing.

Similarity scores cannot tell an answerable question from an unanswerable one (multilingual-e5 scores
sit in a narrow band, and BM25 always finds *some* passage), so abstention rests on what the question
asks for:

- **Personal details**: names and contact details of people ("Vad heter ordföranden?", "telefonnummer
  till …") are never in governance documents, and a guess would be a wrong fact about a person.
- **Words the documents never use**: a topic word of the question that no indexed passage contains, not
  even as part of a compound or through a synonym ("Hur många elever …" in a corpus without pupils),
  means the documents do not cover the topic. Question words, filler and common verbs do not count.

- **Another municipality**: a place the question names ("i Uppsala", "Uppsala kommun") that is none of
  the profiled municipalities (the caller knows those) and that the documents never mention, or that is
  named as a municipality outright.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from knowledge.bm25 import STOP_WORDS, tokenize, word_set

Reason = Literal["no_documents", "personal_details", "not_in_documents", "other_municipality"]

_PERSONAL = re.compile(
    r"\bvad heter\b|\bvem är (?:den )?(?:nuvarande |sittande )?"
    r"(?:ordförande|vice ordförande|kommunchef|kommundirektör|stadsdirektör|förvaltningschef|ekonomichef|"
    r"nämndsekreterare|sekreterare|kommunalråd|oppositionsråd|revisor)\b|"
    r"\b(?:telefon\w*|tel\.?\s*nr|mobilnummer|e-?post\w*|mejl\w*|mail\w*|mailadress\w*|"
    r"kontaktuppgift\w*|hemadress\w*|personnummer)\b|"
    r"\b(?:ringa|mejla|maila)\b",
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
    första sista nästa
    """
)


@dataclass(frozen=True)
class Verdict:
    """Why the documents cannot answer, and the words that showed it."""

    reason: Reason
    words: tuple[str, ...] = ()


def asks_for_personal_details(question: str) -> bool:
    """A question after a person's name or contact details."""
    return _PERSONAL.search(question) is not None


def uncovered_words(question: str, known: Callable[[str], bool], ignore: Iterable[str] = ()) -> list[str]:
    """Topic words of the question that no indexed passage contains (`known` answers for one word)."""
    skip = {word for name in ignore for word in tokenize(name)}
    words = [w for w in tokenize(question) if len(w) > 2 and not w.isdigit()]
    return [w for w in dict.fromkeys(words) if w not in STOP_WORDS | QUESTION_WORDS and w not in skip and not known(w)]


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
    question: str, known: Callable[[str], bool], ignore: Iterable[str] = (), places: Iterable[str] = ()
) -> Verdict | None:
    """A reason to abstain, or None when the documents may answer. `places` are the places the question
    names that are none of the profiled municipalities; `ignore` are words that only name our own."""
    elsewhere = other_places(question, places, known)
    if elsewhere:
        return Verdict("other_municipality", tuple(elsewhere))
    if asks_for_personal_details(question):
        return Verdict("personal_details")
    missing = uncovered_words(question, known, ignore)
    return Verdict("not_in_documents", tuple(missing)) if missing else None
