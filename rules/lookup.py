"""Find the events and decision rights a question is about.

Every entry names `keys` (all required), optionally `alt_keys` (other sets of words that identify it
just as well) and `hints` (optional). An entry matches a question when all words of one key set
occur in it; its score counts the keys, the hints and, with a small weight, the other content
words of its title or statement. The best-scoring entry wins; a tie between entries that would give
different answers is no answer, because a rules answer is never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from rules.matching import STOPWORDS, Analyzed, Analyzer, tokenize
from rules.models import Decision, Event
from rules.profiles import Rulebook

KEY_WEIGHT = 3.0
HINT_WEIGHT = 1.0
WORD_WEIGHT = 0.5
LOCAL_WEIGHT = 0.75  # the municipality's own rule on a matter outweighs the national one by more than a word

Entry = TypeVar("Entry", Event, Decision)


@dataclass(frozen=True)
class Match(Generic[Entry]):
    """An entry that matches a question, with its score and the terms that matched."""

    entry: Entry
    score: float
    matched: tuple[str, ...]
    local: bool
    own: float = 0.0  # the score by the question's own words, when something was told before it

    @property
    def rank(self) -> tuple[float, float, int, bool]:
        """Sort key: score, then the score by the question's own words, the entry's priority, local over
        national."""
        return (self.score, self.own, self.entry.priority, self.local)


@dataclass(frozen=True)
class _Prepared(Generic[Entry]):
    entry: Entry
    key_sets: tuple[tuple[tuple[str, ...], ...], ...]
    hints: tuple[tuple[str, ...], ...]
    words: tuple[tuple[str, ...], ...]


class RulebookIndex:
    """A rulebook prepared for matching questions against its events and decisions."""

    def __init__(self, rulebook: Rulebook, synonyms: Mapping[str, Sequence[str]]) -> None:
        self.rulebook = rulebook
        merged: dict[str, list[str]] = {k: list(v) for k, v in synonyms.items()}
        for canonical, forms in rulebook.lexicon.items():
            merged.setdefault(canonical, []).extend(forms)
        entries: list[Event | Decision] = [*rulebook.events, *rulebook.decisions]
        terms = [t for e in entries for keys in (e.keys, *e.alt_keys) for t in (*keys, *e.hints)]
        self._synonyms = merged
        self.analyzer = Analyzer(merged, extra_known=terms)
        self._events = [self._prepare(e, f"{e.title} {e.rule or ''}") for e in rulebook.events]
        self._decisions = [self._prepare(d, f"{d.matter} {d.text}") for d in rulebook.decisions]

    def _prepare(self, entry: Entry, text: str) -> _Prepared[Entry]:
        key_sets = tuple(tuple(self.analyzer.term(k) for k in keys) for keys in (entry.keys, *entry.alt_keys))
        hints: tuple[tuple[str, ...], ...] = tuple(self.analyzer.term(h) for h in entry.hints)
        taken = {t for keys in key_sets for term in keys for t in term} | {t for term in hints for t in term}
        analyzed = self.analyzer.analyze(text)
        words = tuple(
            (s,)
            for s, token in dict(zip(analyzed.stems, analyzed.tokens, strict=True)).items()
            if token not in STOPWORDS and len(s) > 2 and s not in taken
        )
        return _Prepared(entry, key_sets, hints, words)

    def vocabulary(self) -> set[str]:
        """The words of this rulebook's entries, facts, lexicon and role principle, as tokens."""
        rulebook = self.rulebook
        texts: list[str] = [rulebook.name, *rulebook.names]
        texts += [form for canonical, forms in self._synonyms.items() for form in (canonical, *forms)]
        for entry in (*rulebook.events, *rulebook.decisions, *rulebook.facts):
            texts += [*_strings(entry.model_dump())]
        if rulebook.role_principle is not None:
            texts += [*_strings(rulebook.role_principle.model_dump())]
        return {token for text in texts for token in tokenize(text)}

    def analyze(self, question: str, own: str = "") -> Analyzed:
        """The question analysed with this rulebook's lexicon; `own` the question alone, when `question` has
        what was told before it."""
        analyzed = self.analyzer.analyze(question)
        return replace(analyzed, own=self.analyzer.analyze(own)) if own else analyzed

    def events(self, question: Analyzed) -> list[Match[Event]]:
        """Events matching the question, best first."""
        return self._rank(self._events, question)

    def decisions(self, question: Analyzed) -> list[Match[Decision]]:
        """Decision rights matching the question, best first."""
        return self._rank(self._decisions, question)

    def _rank(self, prepared: Sequence[_Prepared[Entry]], question: Analyzed) -> list[Match[Entry]]:
        found = [(p, m) for p in prepared if (m := self._score(p, question)) is not None]
        if question.own is not None:
            own = question.own
            found = [(p, replace(m, own=o.score if (o := self._score(p, own)) else 0.0)) for p, m in found]
        return sorted((m for _, m in found), key=lambda m: m.rank, reverse=True)

    def _score(self, prepared: _Prepared[Entry], question: Analyzed) -> Match[Entry] | None:
        contains = self.analyzer.contains
        found = [ks for ks in prepared.key_sets if self.analyzer.contains_all(question, ks)]
        if not found:
            return None
        keys: tuple[tuple[str, ...], ...] = max(found, key=len)
        hints: list[tuple[str, ...]] = [h for h in prepared.hints if h not in keys and contains(question, h)]
        words: list[tuple[str, ...]] = [w for w in prepared.words if contains(question, w)]
        local = self.rulebook.is_local(prepared.entry.id)
        score = KEY_WEIGHT * len(keys) + HINT_WEIGHT * len(hints) + WORD_WEIGHT * len(words) + LOCAL_WEIGHT * local
        matched = tuple(" ".join(t) for t in (*keys, *hints, *words))
        return Match(prepared.entry, score, matched, local)


def _strings(value: object) -> Iterator[str]:
    """Every string inside a dumped model (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def best(matches: Sequence[Match[Entry]], answer_of: Callable[[Entry], Hashable]) -> Match[Entry] | None:
    """The winning match, or None when the top ranks tie between different answers."""
    if not matches:
        return None
    top = matches[0]
    for other in matches[1:]:
        if other.rank != top.rank:
            break
        if answer_of(other.entry) != answer_of(top.entry):
            return None
    return top
