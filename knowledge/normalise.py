"""Questions as people type them, made comparable with the documents: å/ä/ö, typos and chat words.

People type "nar ska delarsrapporten vara klar", "vem godkanner …", "hur funkar det", "forvaltn". Every
later step (the rules' key words, BM25, the check that the documents cover the question) compares words,
so a missing ring or dot loses the question. `Normaliser.normalise` rewrites each word to the most likely
word the person meant, judged by two vocabularies:

- how common the word is in Swedish (`wordfreq`'s Swedish frequencies, bundled in its wheel), and
- whether the domain uses it: the rules' data and the indexed documents (`domain`), which also hold the
  compounds no general word list has ("delårsrapporten", "verksamhetsområde").

Candidates for a word are the word itself, its å/ä/ö variants ("nar" → "när", "galler" → "gäller"), and
when it is no known word, one-letter edits of it and of those variants ("delarsraport" → "delårsrapport"),
a compound of two known parts ("namndmoten" → "nämndmöten"), or the beginning of a domain word
("forvaltn" → "förvaltn…"). A variant wins when it is clearly more likely than what was typed: a message
with no å, ä or ö at all was most likely typed without them, so there a variant is cheap; in a message with
them, an unmarked word was probably meant as typed. Chat words ("nån", "funkar") become their written form
first (`data/chat.yaml`). Numbers, codes ("dr2") and words of one or two letters that are not chat words are
left alone, apart from the common two-letter words that lost their marks ("pa" → "på", "ar" → "är" or,
after a number word, "år").
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

import yaml

from knowledge.bm25 import stem, word_set

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+(?:[-:][A-Za-zÅÄÖåäöÉé]+)*|\d+")
_MARKED = re.compile(r"[åäöÅÄÖ]")
_VARIANTS = {"a": ("a", "å", "ä"), "o": ("o", "ö")}
_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
DOMAIN_BONUS = 1.5  # zipf points a word gains by being used in the rules or the documents
# Adding marks to a word costs this much (plus MARK_COST_MORE per further letter) in a message typed
# without any å, ä or ö, so that "nar" becomes "när" but "satt" stays "satt" (not "sätt") …
MARK_COST_UNMARKED = 1.0
MARK_COST_MARKED = 2.0  # … and in a message that has them elsewhere, where an unmarked word was likely meant
MARK_COST_MORE = 0.2
EDIT_COST = 1.5  # cost of a one-letter edit
KNOWN = 2.5  # a zipf frequency at which a word counts as a Swedish word someone would type
MIN_PREFIX = 5  # a truncated word ("forvaltn") must keep at least this many letters
MAX_VARIANTS = 512
# After these words, "ar" means "år" (year), not "är" (is): "tre ar", "hur manga ar", "varje ar".
_YEAR_CONTEXT = word_set(
    """ett två tva tre fyra fem sex sju åtta atta nio tio många manga flera några nagra varje per alla
    första forsta andra tredje fjärde fjarde nästa nasta förra forra samma"""
)


@dataclass(frozen=True)
class Correction:
    """One word as typed and as understood."""

    typed: str
    meant: str


@dataclass(frozen=True)
class Normalised:
    """A question rewritten with the words the person most likely meant, and what was changed."""

    text: str
    corrections: tuple[Correction, ...] = ()


@functools.cache
def swedish_frequencies() -> dict[str, float]:
    """Zipf frequencies (log10 per billion words) of Swedish words, from wordfreq's bundled data."""
    import wordfreq  # about 0.1 s to read the Swedish list, once per process

    return {word: math.log10(freq) + 9.0 for word, freq in wordfreq.get_frequency_dict("sv").items()}


@functools.cache
def _common_stems() -> frozenset[str]:
    """The stems of common Swedish words (about 0.25 s to compute, once, at the first unknown word)."""
    return frozenset(stem(word) for word, zipf in swedish_frequencies().items() if zipf >= 3.0 and len(word) > 3)


@functools.cache
def chat_words() -> dict[str, str]:
    """Chat spellings and their written form ("nån" → "någon"), from `data/chat.yaml`."""
    data = yaml.safe_load((resources.files("knowledge") / "data" / "chat.yaml").read_text(encoding="utf-8"))
    return {str(k).lower(): str(v) for k, v in data["words"].items()}


class Normaliser:
    """Rewrites a question word by word to the words most likely meant (see the module docstring)."""

    def __init__(
        self,
        domain: Iterable[str],
        frequencies: Mapping[str, float] | None = None,
        chat: Mapping[str, str] | None = None,
    ) -> None:
        self._zipf = swedish_frequencies() if frequencies is None else frequencies
        self._chat = chat_words() if chat is None else chat
        words = {w.lower() for w in domain if len(w) > 1 and not w.isdigit()}
        self._domain = frozenset(words)
        self._domain_stems = frozenset(stem(w) for w in words if len(w) > 3)
        self._sorted = sorted(words)
        self._word = functools.lru_cache(maxsize=8192)(self._understood)

    def normalise(self, text: str) -> Normalised:
        """The text with each word replaced by the one most likely meant; other characters are kept."""
        marked = _MARKED.search(text) is not None
        corrections: list[Correction] = []
        previous = ""
        pieces: list[str] = []
        end = 0
        for match in _WORD.finditer(text):
            typed = match.group(0)
            meant = self._word(typed.lower(), marked, previous if previous in _YEAR_CONTEXT else "")
            previous = meant
            pieces.append(text[end : match.start()])
            if meant != typed.lower():
                corrections.append(Correction(typed, meant))
                pieces.append(_same_case(typed, meant))
            else:
                pieces.append(typed)
            end = match.end()
        pieces.append(text[end:])
        return Normalised("".join(pieces), tuple(corrections))

    def _understood(self, word: str, marked: bool, previous: str) -> str:
        if word in self._chat:
            return self._chat[word]
        if "-" in word and not any(c.isdigit() for c in word):  # "brattom-beslut": each part on its own
            return "-".join(self._word(part, marked, "") if len(part) > 2 else part for part in word.split("-"))
        if word.isdigit() or any(c.isdigit() for c in word) or ":" in word:
            return word
        if word == "ar" and not marked:
            return "år" if previous in _YEAR_CONTEXT else "är"
        if len(word) < 2 or (len(word) == 2 and marked):
            return word
        best = self._best_variant(word, marked)  # the word itself competes, at no cost
        if best is not None:
            return best
        if len(word) < 4 or self._inflected(word):
            return word
        compound = self._prefix(word, marked) or self._compound(word, marked)
        if compound is not None and compound != word:
            return compound
        # a compound of words as typed ("beslutsfort": "beslut" + "fort") is no reading when one edit gives a
        # word the documents use ("beslutsföra")
        corrected = self._corrected(word, marked)
        if corrected is not None and (compound is None or corrected in self._domain):
            return corrected
        return word

    # scoring -------------------------------------------------------------------------------------

    def _known(self, word: str) -> bool:
        return word in self._domain or self._zipf.get(word, 0.0) >= KNOWN

    def _score(self, word: str) -> float:
        bonus = DOMAIN_BONUS if word in self._domain or (len(word) > 3 and stem(word) in self._domain_stems) else 0.0
        return self._zipf.get(word, 0.0) + bonus

    def _inflected(self, word: str) -> bool:
        """An inflected form of a known word rather than a typo: its stem is a known word's ("plogat" of
        "ploga"), or it is a known word's genitive ("nämnders")."""
        root = stem(word)
        return root in self._domain_stems or root in _common_stems() or (word.endswith("s") and self._known(word[:-1]))

    def _best_variant(self, word: str, marked: bool) -> str | None:
        """The å/ä/ö variant (or the word itself) that is most likely meant, if it is a known word."""
        best, best_score = None, -math.inf
        for variant in _variants(word):
            if not self._known(variant):
                continue
            changes = sum(1 for a, b in zip(word, variant, strict=True) if a != b)
            score = self._score(variant) - _mark_cost(changes, marked)
            if score > best_score:
                best, best_score = variant, score
        return best

    def _corrected(self, word: str, marked: bool) -> str | None:
        """The best known word one edit away from the word (or from one of its å/ä/ö variants)."""
        best, best_score = None, -math.inf
        for edit in _edits(word):
            for variant in _variants(edit):
                if variant == word or not self._known(variant):
                    continue
                changes = sum(1 for c in variant if c in "åäö") - sum(1 for c in word if c in "åäö")
                score = self._score(variant) - EDIT_COST - _mark_cost(max(changes, 0), marked)
                if score > best_score:
                    best, best_score = variant, score
        return best

    def _compound(self, word: str, marked: bool) -> str | None:
        """Two known parts, optionally joined by a linking "s", each with its most likely marks."""
        if len(word) < 7:
            return None
        best, best_score = None, -math.inf
        for cut in range(3, len(word) - 2):
            head, tail, link = word[:cut], word[cut:], ""
            if head.endswith("s") and len(head) > 4 and self._best_variant(head, marked) is None:
                head, link = head[:-1], "s"
            first = self._best_variant(head, marked)
            second = self._best_variant(tail, marked)
            if first is None or second is None or len(first) < 3 or len(second) < 3:
                continue
            score = min(self._score(first), self._score(second))
            if score > best_score:
                best, best_score = first + link + second, score
        return best

    def _prefix(self, word: str, marked: bool) -> str | None:
        """The most likely domain word that a variant of a cut-off word ("forvaltn") begins, if any:
        "politiken eller forvaltn?" asks about "förvaltningen"."""
        if len(word) < MIN_PREFIX:
            return None
        best, best_score = None, -math.inf
        for variant in _variants(word):
            at = bisect.bisect_left(self._sorted, variant)
            while at < len(self._sorted) and self._sorted[at].startswith(variant):
                completion = self._sorted[at]
                changes = sum(1 for a, b in zip(word, variant, strict=True) if a != b)
                score = self._score(completion) - _mark_cost(changes, marked) - 0.01 * len(completion)
                if score > best_score:
                    best, best_score = completion, score
                at += 1
        return best


def _mark_cost(changes: int, marked: bool) -> float:
    if changes == 0:
        return 0.0
    return (MARK_COST_MARKED if marked else MARK_COST_UNMARKED) + MARK_COST_MORE * (changes - 1)


def _variants(word: str) -> list[str]:
    """The word with every combination of å/ä/ö for its a's and o's (the word itself first)."""
    options = [_VARIANTS.get(c, (c,)) for c in word]
    variants = [""]
    for choices in options:
        variants = [v + c for v in variants for c in choices]
        if len(variants) > MAX_VARIANTS:
            return [word]
    return variants


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | transposes | replaces | inserts


def _same_case(typed: str, meant: str) -> str:
    if "-" in typed and typed.count("-") == meant.count("-"):  # "KS-ordforande" → "KS-ordförande"
        return "-".join(_same_case(t, m) if t else m for t, m in zip(typed.split("-"), meant.split("-"), strict=True))
    if typed.isupper() and len(typed) > 1:
        return meant.upper()
    if typed[:1].isupper():
        return meant[:1].upper() + meant[1:]
    return meant
