"""English questions: recognise them, and gloss them into the Swedish words the documents use.

Styrbot answers in Swedish from Swedish documents. An English question is recognised by its words being
more common in English than in Swedish (`wordfreq`'s bundled frequencies); its gloss keeps, phrase by
phrase (longest first), the Swedish words of `data/english.yaml`, any word that is Swedish already (a name
such as "Trollhättan", a term such as "kvalitet") and numbers ("30 April": "30 april"), so the rules and the
lexical search can match it. The answer says in one English line that it is in Swedish.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from knowledge.normalise import swedish_frequencies

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+\d*(?:['’-][A-Za-z]+)*|\d+")  # "DR1" is one word
MARGIN = 0.5  # zipf points by which a word must be more common in one language to count for it
MIN_ENGLISH = 3  # words that are clearly English, at the least


@dataclass(frozen=True)
class Gloss:
    """An English question and its Swedish gloss."""

    english: str
    swedish: str


@functools.cache
def english_frequencies() -> dict[str, float]:
    """Zipf frequencies of English words, from wordfreq's bundled data."""
    import wordfreq

    return {word: math.log10(freq) + 9.0 for word, freq in wordfreq.get_frequency_dict("en").items()}


@functools.cache
def glossary() -> dict[tuple[str, ...], str]:
    """English phrase (as words) → Swedish, from `data/english.yaml`."""
    text = (resources.files("knowledge") / "data" / "english.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {tuple(_words(str(k))): str(v) for k, v in data["phrases"].items()}


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def is_english(text: str) -> bool:
    """Whether the question is written in English: clearly more English words than Swedish ones."""
    english, swedish = english_frequencies(), swedish_frequencies()
    en = sv = 0
    for word in _words(text):
        if len(word) < 2:
            continue
        difference = english.get(word, 0.0) - swedish.get(word, 0.0)
        en += difference > MARGIN
        sv += difference < -MARGIN
    return en >= MIN_ENGLISH and en >= 2 * sv


def gloss(text: str) -> Gloss:
    """The Swedish gloss of an English question: glossary phrases, and the words that are Swedish already;
    clause by clause, so that "…, and does that have to …?" is still a second question."""
    pieces = _CLAUSE.split(text.strip())  # clause, a comma or None, None or a question mark, clause, …
    clauses, marks = pieces[::3], [a or b or "" for a, b in zip(pieces[1::3], pieces[2::3], strict=True)]
    swedish = ""
    for clause, mark in zip(clauses, [*marks, ""], strict=True):
        first, _, rest = clause.partition(" ")
        joined = _JOINING.get(first.lower())  # "…, and does that have to …": a second question
        glossed = f"{joined} {_gloss_clause(rest)}" if joined else _gloss_clause(clause)
        if glossed:
            swedish += f"{glossed}{mark} " if mark else glossed
    swedish = swedish.strip().rstrip(",;")
    return Gloss(text, swedish + ("?" if text.rstrip().endswith("?") and not swedish.endswith("?") else ""))


_JOINING = {"and": "och", "or": "eller", "but": "men"}
_CLAUSE = re.compile(r"([,;])\s+(?=(?:and|or|but)\b)|(\?)\s+", re.IGNORECASE)


# "What does X mean in …?" puts the verb after the term: glossed word by word it would not ask for a definition
_WHAT_MEANS = re.compile(r"^\s*what (?:does|do) (?P<term>.+?) (?:mean|stand for)\b(?P<rest>.*)$", re.IGNORECASE)
# "What does the executive board (actually) do?": what a body does, "vad gör X"
_WHAT_DOES = re.compile(
    r"^(?P<before>.*?)\bwhat (?:does|do) (?P<who>.+?) (?:actually |really )?do\b(?P<rest>.*)$", re.IGNORECASE
)
# "What is an indicator (in our governance model)?": a short term asked about, glossed word by word it loses "is"
_WHAT_IS = re.compile(
    r"^\s*what(?:'s| is)\s+(?:an?\s+|the\s+)?(?P<term>(?:[\w-]+\s+){0,2}[\w-]+?)"
    r"(?P<rest>\s+(?:in|within|according to)\b.*)?\W*$",
    re.IGNORECASE,
)


def _gloss_clause(text: str) -> str:
    does = _WHAT_DOES.match(text)
    if does is not None:
        before, who, rest = (_gloss_words(does.group(name)) for name in ("before", "who", "rest"))
        return " ".join(filter(None, ("vad gör", who, rest, before)))
    definition = _WHAT_MEANS.match(text) or _WHAT_IS.match(text)
    if definition is not None:  # the term once ("'kvalitet' (quality)"), and where it is meant ("i …")
        term = " ".join(dict.fromkeys(_gloss_words(definition.group("term")).split()))
        rest = definition.group("rest") or ""
        where = "i" if re.match(r"\s*(?:in|within)\b", rest, re.IGNORECASE) else ""
        return " ".join(filter(None, ("vad betyder", term, where, _gloss_clause(rest))))
    return _gloss_words(text)


def _gloss_words(text: str) -> str:
    words = _words(text)
    abbreviations = {w.lower() for w in _WORD.findall(text) if len(w) > 1 and w.isupper()}  # "KS", "DR1", "LKBR"
    phrases = glossary()
    longest = max(len(key) for key in phrases)
    english, swedish = english_frequencies(), swedish_frequencies()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            window = tuple(words[i : i + size])
            found = phrases.get(window) or phrases.get(tuple(_singular(w) for w in window))
            if found is not None:
                plural = found == "vilken" and i + 1 < len(words) and _singular(words[i + 1]) != words[i + 1]
                out.append("vilka" if plural else found)  # "which forums": "vilka", a list is asked for
                i += size
                break
        else:
            word = words[i].strip("'")
            if word.isdigit() or word in abbreviations or swedish.get(word, 0.0) - english.get(word, 0.0) > MARGIN:
                out.append(word)  # a Swedish word, name or abbreviation in the English question
            i += 1
    return " ".join(out)


def _singular(word: str) -> str:
    if word.endswith("'s"):
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
