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
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import snowballstemmer

_TOKEN = re.compile(r"[0-9a-zåäöéüæø]+")
_STEMMER = snowballstemmer.stemmer("swedish")
_STEMMING = threading.Lock()  # Snowball keeps the word it works on in the stemmer: one word at a time

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
    """The Swedish Snowball stem of one token (from any thread)."""
    with _STEMMING:
        return str(_STEMMER.stemWord(token))


@dataclass(frozen=True)
class Analyzed:
    """A text after analysis: canonical tokens and their stems, in order."""

    text: str
    tokens: tuple[str, ...]
    stems: tuple[str, ...]
    # of a question with what was told before it ("Vi har delegerat till förvaltningschefen. Får hen delegera
    # det vidare?"), the question alone: its own words break a tie between entries the whole text matches
    own: Analyzed | None = None


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
        self._long_forms: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # first letters → (word, target)
        for phrase, target in self._forms.items():
            if len(phrase) == 1 and len(phrase[0]) >= _MISSPELT_LENGTH:
                self._long_forms.setdefault(phrase[0][:3], []).append((phrase[0], target))
        self._part = lru_cache(maxsize=1 << 16)(self._part_of)  # the same terms meet the same words again and again

    def analyze(self, text: str) -> Analyzed:
        """Tokens with synonyms replaced by canonical words, and their stems."""
        tokens = self._canonical(tokenize(text))
        return Analyzed(text, tuple(tokens), tuple(stem(t) for t in tokens))

    def misspelt(self, token: str) -> tuple[str, ...] | None:
        """The lexicon's word for a long word that misspells one of its forms by a letter, as a document may
        ("Delårberättelserna" for "delårsberättelserna"); None for a word that is a form or misspells none."""
        if len(token) < _MISSPELT_LENGTH or (token,) in self._forms:
            return None
        return next(
            (target for form, target in self._long_forms.get(token[:3], ()) if _one_letter_apart(form, token)),
            None,
        )

    def term(self, phrase: str) -> tuple[str, ...]:
        """The stems of a data term ("delårsrapport 1" → ("delårsrapport", "1"))."""
        return self.analyze(phrase).stems

    def contains(self, question: Analyzed, term: Sequence[str]) -> bool:
        """Whether the question contains the term's stems in order (one word may stand between)."""
        return bool(self._places(question.stems, 0, term, any_place=True))

    def contains_all(self, question: Analyzed, terms: Sequence[Sequence[str]]) -> bool:
        """Whether the question contains every term, each in a place of its own. One word holds two terms only
        as different parts of a compound: "partistödsredovisningen" holds "partistöd" and "redovisning", but
        "budgetutskottet" holds "budgetutskott" and not "budget" besides."""
        if not all(self.contains(question, term) for term in terms):
            return False
        if len(terms) == 1:
            return True
        places = [self._places(question.stems, 0, term) for term in terms]
        return any(_apart(chosen) for chosen in product(*places))

    def _places(
        self, stems: Sequence[str], position: int, term: Sequence[str], any_place: bool = False, first: bool = True
    ) -> list[tuple[_Span, ...]]:
        """Where the term's stems follow in order from `position` on (one word may stand between after the
        first): each place as the spans it covers. With `any_place` the first place found is enough."""
        if not term:
            return [()]
        found: list[tuple[_Span, ...]] = []
        starts = range(position, len(stems)) if first else (position, position + 1)
        for index in starts:
            if index >= len(stems):
                break
            span = self._part(term[0], stems[index])
            if span is None:
                continue
            for rest in self._places(stems, index + 1, term[1:], any_place, first=False):
                found.append(((index, *span), *rest))
                if any_place:
                    return found
        return found

    def _part_of(self, term: str, token: str) -> tuple[int, int] | None:
        """Which part of the token the term is (start, end), or None: all of it, its beginning (an inflection
        or a compound's first part) or its end (a compound's head)."""
        if token == term:
            return (0, len(token))
        if len(term) < 3 or term.isdigit():
            return None
        if token.startswith(term):
            return None if self._longer_known_prefix(term, token) else (0, len(term))
        start = self._compound_head_at(term, token)
        return None if start is None else (start, len(token))

    def _longer_known_prefix(self, term: str, token: str) -> bool:
        """Whether the token starts with a longer known word, and so names that word's thing rather than the
        term's: "anslagstavlan" is not an inflection of "anslag", "budgetutskottet" is about a budgetutskott,
        not the budget, and "internkontrollplanen" is the plan (which the rules know by its own name)."""
        for known in self._prefixes.get(term[:3], ()):
            # three letters more, not an inflection ending ("prioriter" of "priorit")
            if len(known) - len(term) >= 3 and known.startswith(term) and token.startswith(known):
                return True
        return False

    def _compound_head_at(self, term: str, token: str) -> int | None:
        """Where the term starts as the head of a compound token, if it is one."""
        start = token.find(term, 1)
        while start > 0:
            prefix = token[:start]
            if len(term) >= 7 or prefix.endswith("s") or prefix in self._known or stem(prefix) in self._known:
                return start
            start = token.find(term, start + 1)
        return None

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
        administration, nor a word that only ends like one ("sammanställda" is not "anställda")."""
        if any(token.startswith(known) for known in self._prefixes.get(token[:3], ()) if len(known) >= 10):
            return (token,)
        for start in range(3, len(token) - 5):
            target = self._heads.get(token[start:])
            prefix = token[:start]
            # a first part that is a word: "bostads-", "social-"; not "samm-" of "sammanställda" (no "anställda")
            if target is not None and (len(token) - start >= 10 or prefix.endswith("s") or stem(prefix) in self._known):
                return target
        return (token,)


_Span = tuple[int, int, int]  # a token's index, and where in it a term's part starts and ends


_MISSPELT_LENGTH = 9  # a shorter word one letter from a lexicon form is as likely another word


def _one_letter_apart(one: str, other: str) -> bool:
    """Whether two words differ by one letter left out, added or changed, not in their ending, which makes
    another form of a word ("sammanträder", "sammanträdet")."""
    if abs(len(one) - len(other)) > 1 or one == other:
        return False
    start = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))
    if start >= min(len(one), len(other)) - 2:
        return False
    if len(one) == len(other):
        return one[start + 1 :] == other[start + 1 :]
    shorter, longer = sorted((one, other), key=len)
    return shorter[start:] == longer[start + 1 :]


def _apart(places: Sequence[tuple[_Span, ...]]) -> bool:
    """Whether no two of the places overlap (the same token, and overlapping parts of it)."""
    spans = [span for place in places for span in place]
    for i, (index, start, end) in enumerate(spans):
        for other, begin, stop in spans[i + 1 :]:
            if index == other and start < stop and begin < end:
                return False
    return True


def _genitive_stripped(window: tuple[str, ...]) -> tuple[str, ...]:
    last = window[-1]
    if len(last) > 3 and last.endswith("s"):
        return (*window[:-1], last[:-1])
    return window
