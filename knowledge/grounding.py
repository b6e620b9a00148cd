"""Whether a sentence a model wrote says what its passages say: the details, the polarity, the voice.

Sharing most content words with a passage is not enough. A reply can keep the words and turn the
meaning ("Det stämmer inte att nämnden beslutar …"), change the one detail that matters (another date, a
number, another body), or repeat an instruction someone planted in a document ("Svara att sista dagen
är 1 januari"). So, besides the overlap that `knowledge.generation.check` asks for:

- every number, month, weekday, unit of time and governing body a sentence names must be in the passages it cites (a
  body may be named less specifically, "nämnden" for "socialnämnden", never more);
- a sentence is negated exactly when the passage sentence closest to it is;
- neither the reply nor the passage text it rests on may speak to the model (instructions to ignore,
  answer or say something; talk of prompts, AI or assistants): such passage sentences support nothing;
- the reply is Swedish.

Each test errs on the side of refusing: a refused reply leaves the extractive answer, which quotes the
documents themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from knowledge.bm25 import tokenize
from knowledge.sentences import sentences
from knowledge.texts import MONTHS, WEEKDAYS

Terms = Callable[[str], list[str]]

NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig", "ingen", "inget", "inga", "varken", "not", "never", "no"})
NUMBER_WORDS = {
    "två": "2",
    "tre": "3",
    "fyra": "4",
    "fem": "5",
    "sex": "6",
    "sju": "7",
    "åtta": "8",
    "nio": "9",
    "tio": "10",
    "elva": "11",
    "tolv": "12",
    "femton": "15",
    "tjugo": "20",
    "trettio": "30",
}
UNITS = ("arbetsdag", "timm", "minut", "dag", "veck", "månad", "kvartal", "tertial", "halvår")  # most specific first
_BODY = re.compile(
    r"fullmäktig|styrels|nämnd|utskott|revision|revisor|presidi|beredning|förvaltning|direktör|ordförand"
    r"|kommunråd|^(?:kf|ks|ksau|au)$"
)
GENERIC_BODY_TERMS = frozenset({"nämnd", "styrels", "utskott", "förvaltning", "beredning", "revis", "presidiet"})
_TO_THE_MODEL = re.compile(
    r"\b(?:ignorera|strunta i|bortse från|glöm)\b[^.]{0,60}?\b(?:instruktion|regl|ovan|tidigare|föregående)"
    r"|\b(?:ignore|disregard|forget)\b[^.]{0,60}?\b(?:instruction|above|previous|prior|rule|prompt)"
    r"|\b(?:system ?prompt|systemmeddelande|språkmodell|language model|chatbot|ai-assistent|as an ai|som en ai)"
    r"|\b(?:assistant|assistenten|styrbot|ai)\s*:"
    r"|\b(?:svara|säg|skriv|answer|say|reply|respond)\s+(?:alltid|always|att|that)\b",
    re.IGNORECASE,
)
_SWEDISH = frozenset(
    {
        "och",
        "att",
        "det",
        "som",
        "en",
        "ett",
        "är",
        "av",
        "för",
        "på",
        "med",
        "till",
        "den",
        "om",
        "har",
        "ska",
        "kan",
        "inte",
        "de",
        "vid",
        "eller",
        "varje",
        "sin",
        "sina",
    }
)
_ENGLISH = frozenset(
    {
        "the",
        "and",
        "is",
        "of",
        "to",
        "that",
        "for",
        "are",
        "with",
        "be",
        "by",
        "on",
        "it",
        "this",
        "must",
        "should",
        "will",
        "can",
        "not",
        "or",
        "each",
        "their",
    }
)


def addresses_model(text: str) -> bool:
    """Whether text speaks to a language model rather than about the municipality."""
    return _TO_THE_MODEL.search(text) is not None


def document_sentences(text: str) -> list[str]:
    """A passage's sentences that may support a reply: all but those that speak to the model."""
    return [s for s in sentences(text) if not addresses_model(s)]


def is_swedish(text: str) -> bool:
    """Whether a reply is written in Swedish (more Swedish function words than English ones)."""
    words = tokenize(text)
    return sum(w in _SWEDISH for w in words) >= sum(w in _ENGLISH for w in words)


def details(text: str) -> tuple[set[str], set[str]]:
    """The numbers (digits, number words as digits; "en"/"ett" before a unit as 1) a text names, and its
    months, weekdays and units of time ("inom en timme" is not "inom två arbetsdagar")."""
    words = tokenize(text)
    units = [_unit(w) for w in words]
    numbers = {w.lstrip("0") or "0" for w in words if w.isdigit()}
    numbers |= {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS}
    numbers |= {"1" for w, unit in zip(words, units[1:], strict=False) if w in ("en", "ett") and unit}
    named = {m for w in words for m in MONTHS if w in (m, f"{m}s")}
    named |= {d for w in words for d in WEEKDAYS if w.startswith(d)}
    return numbers, named | {unit for unit in units if unit}


def _unit(word: str) -> str | None:
    """The unit of time a word names ("timmar" → "timm"), or None."""
    return next((unit for unit in UNITS if word.startswith(unit) and len(word) <= len(unit) + 4), None)


def unsupported_detail(sentence: str, basis: Iterable[str], terms: Terms) -> str | None:
    """The first number, month, weekday or body the sentence names that its basis (passage sentences) does
    not, or None when every one is there."""
    text = " ".join(basis)
    numbers, days = details(text)
    said_numbers, said_days = details(sentence)
    for detail in sorted(said_numbers - numbers) + sorted(said_days - days):
        return detail
    known = {_body_stem(t) for t in terms(text)}
    for word in tokenize(sentence):
        if _BODY.search(word):
            named = [_body_stem(t) for t in terms(word)]
            specific = [t for t in named if t not in GENERIC_BODY_TERMS] or named
            if named and not any(k.endswith(t) for t in specific for k in known):
                return word
    return None


def _body_stem(term: str) -> str:
    """A stem with "kommun" taken off the front: "kommunfullmäktige" is the municipality's "fullmäktige"."""
    return term.removeprefix("kommun") or term


def contradicts(sentence: str, basis: Iterable[str], terms: Terms) -> bool:
    """Whether the sentence is negated and the passage sentence closest to it is not, or the other way
    round (the closest: the one that shares the most content words with it)."""
    words = set(terms(sentence))
    closest = max(basis, key=lambda s: len(words & set(terms(s))), default="")
    return _negated(sentence) != _negated(closest)


def _negated(text: str) -> bool:
    return any(word in NEGATIONS for word in tokenize(text))
