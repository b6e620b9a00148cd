"""Swedish text analysis for matching questions to rules: tokens, synonyms, stems and compounds.

A question is lower-cased and tokenised; abbreviations and synonyms from the lexicon are replaced by
their canonical word ("KF" → "fullmäktige"); every token is stemmed with the Swedish Snowball
stemmer. A term from the data matches a question token when the stems are equal, when the token
starts with the term (inflection, or the term as the first part of a compound), or when the term is
the head of a compound whose first part is a known word or ends in a linking "s"
("partistödsredovisningen" contains "redovisning"; "ändamålet" does not contain "mål").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[0-9a-zåäöéüæø]+")
_STEMMER = snowballstemmer.stemmer("swedish")

STOPWORDS = frozenset(
    [
        "och",
        "i",
        "på",
        "till",
        "av",
        "för",
        "att",
        "som",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "om",
        "med",
        "ska",
        "är",
        "har",
        "vara",
        "var",
        "vad",
        "när",
        "vem",
        "vilka",
        "vilken",
        "vilket",
        "hur",
        "får",
        "kan",
        "måste",
        "bör",
        "senast",
        "inte",
        "eller",
        "så",
        "sin",
        "sina",
        "sitt",
        "man",
        "vi",
        "jag",
        "du",
        "ni",
        "dem",
        "deras",
        "dess",
        "han",
        "hon",
        "hen",
        "efter",
        "före",
        "under",
        "över",
        "inom",
        "från",
        "ut",
        "upp",
        "in",
        "här",
        "där",
        "då",
        "nu",
        "också",
        "även",
        "samt",
        "mot",
        "vid",
        "alla",
        "varje",
        "varje",
        "ha",
        "hade",
        "blir",
        "bli",
        "skall",
        "skulle",
        "kommer",
        "enligt",
        "ju",
        "nog",
        "just",
        "än",
        "andra",
        "annan",
    ]
)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; digits are kept as their own tokens."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """The Swedish Snowball stem of one token."""
    return str(_STEMMER.stemWord(token))


@dataclass(frozen=True)
class Analyzed:
    """A text after analysis: canonical tokens and their stems, in order."""

    text: str
    tokens: tuple[str, ...]
    stems: tuple[str, ...]


class Analyzer:
    """Analyses questions and data terms with one lexicon of synonyms."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]], extra_known: Iterable[str] = ()) -> None:
        self._forms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, forms in synonyms.items():
            target = tuple(tokenize(canonical))
            for form in (canonical, *forms):
                self._forms.setdefault(tuple(tokenize(form)), target)
        self._longest = max((len(f) for f in self._forms), default=1)
        # Single words long enough to stand as the last part of a compound ("bostadsaktiebolag").
        self._heads = {f[0]: t for f, t in self._forms.items() if len(f) == 1 and len(f[0]) >= 6}
        known = {stem(t) for target in self._forms.values() for t in target}
        known |= {stem(t) for term in extra_known for t in tokenize(term)}
        self._known = frozenset(k for k in known if len(k) >= 3)
        prefixes: dict[str, list[str]] = {}
        for word in self._known:
            prefixes.setdefault(word[:3], []).append(word)
        self._prefixes = {head: tuple(words) for head, words in prefixes.items()}

    def analyze(self, text: str) -> Analyzed:
        """Tokens with synonyms replaced by canonical words, and their stems."""
        tokens = self._canonical(tokenize(text))
        return Analyzed(text, tuple(tokens), tuple(stem(t) for t in tokens))

    def term(self, phrase: str) -> tuple[str, ...]:
        """The stems of a data term ("delårsrapport 1" → ("delårsrapport", "1"))."""
        return self.analyze(phrase).stems

    def contains(self, question: Analyzed, term: Sequence[str]) -> bool:
        """Whether the question contains the term's stems in order (one word may stand between)."""
        if not term:
            return False
        stems = question.stems
        for start, token in enumerate(stems):
            if self._token_matches(term[0], token) and self._rest_follows(stems, start + 1, term[1:]):
                return True
        return False

    def _rest_follows(self, stems: Sequence[str], position: int, rest: Sequence[str]) -> bool:
        if not rest:
            return True
        for offset in (0, 1):
            index = position + offset
            matches = index < len(stems) and self._token_matches(rest[0], stems[index])
            if matches and self._rest_follows(stems, index + 1, rest[1:]):
                return True
        return False

    def _token_matches(self, term: str, token: str) -> bool:
        if token == term:
            return True
        if len(term) < 3 or term.isdigit():
            return False
        if token.startswith(term):
            return not self._longer_known_prefix(term, token)
        return self._is_compound_head(term, token)

    def _longer_known_prefix(self, term: str, token: str) -> bool:
        """Whether the token starts with a longer known word that is not a compound of the term.

        "anslagstavlan" starts with the known word "anslagstavl", so it is not an inflection of "anslag";
        "budgetutskottet" is about a "budgetutskott". But "internkontrollplan" is a compound of
        "internkontroll" and the known word "plan", so it still contains "internkontroll".
        """
        for known in self._prefixes.get(term[:3], ()):
            if len(known) > len(term) and known.startswith(term) and token.startswith(known):
                rest = known[len(term) :]
                if len(rest) < 3:
                    continue  # an inflection ending ("prioriter" of "priorit"), not another word
                if not (rest in self._known or (rest.startswith("s") and rest[1:] in self._known)):
                    return True
        return False

    def _is_compound_head(self, term: str, token: str) -> bool:
        start = token.find(term, 1)
        while start > 0:
            prefix = token[:start]
            if len(term) >= 7 or prefix.endswith("s") or prefix in self._known or stem(prefix) in self._known:
                return True
            start = token.find(term, start + 1)
        return False

    def _canonical(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                window = tuple(tokens[i : i + size])
                target = self._forms.get(window) or self._forms.get(_genitive_stripped(window))
                if target is not None:
                    out.extend(target)
                    i += size
                    break
            else:
                out.extend(self._compound_head(tokens[i]))
                i += 1
        return out

    def _compound_head(self, token: str) -> tuple[str, ...]:
        """A compound ending in a lexicon form becomes that form's word: "socialförvaltningen" → "förvaltning";
        but not a compound the rules' data names itself: "medelsförvaltningen" is about funds, not the
        administration."""
        if any(token.startswith(known) for known in self._prefixes.get(token[:3], ()) if len(known) >= 10):
            return (token,)
        for start in range(3, len(token) - 5):
            target = self._heads.get(token[start:])
            if target is not None:
                return target
        return (token,)


def _genitive_stripped(window: tuple[str, ...]) -> tuple[str, ...]:
    last = window[-1]
    if len(last) > 3 and last.endswith("s"):
        return (*window[:-1], last[:-1])
    return window
