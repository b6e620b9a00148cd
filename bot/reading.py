"""Reading a message as the person meant it: the words they most likely typed, and in which language.

The rules and the documents are Swedish and compared word by word, so a message is first rewritten into
their words: å/ä/ö put back, typos and chat words corrected (`knowledge.normalise`), judged against the
rules' own vocabulary and the indexed documents' (so "delarsrapporten" becomes the documents'
"delårsrapporten"); an English message is glossed into Swedish (`knowledge.english`). The answer is
still given to the message as typed, and the trace says what was read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from knowledge.english import gloss, is_english
from knowledge.normalise import Correction, Normaliser


@dataclass(frozen=True)
class Reading:
    """A message as typed and as understood."""

    typed: str
    understood: str
    english: bool = False
    corrections: tuple[Correction, ...] = ()

    def trace(self) -> tuple[str, ...]:
        """What reading changed, for the answer's trace."""
        steps = []
        if self.english:
            steps.append(f"read as English, glossed: {self.understood}")
        if self.corrections:
            steps.append("read: " + ", ".join(f"{c.typed} → {c.meant}" for c in self.corrections))
        return tuple(steps)


class Reader:
    """Reads messages against the rules' vocabulary and, once documents are indexed, theirs too."""

    def __init__(self, rules_vocabulary: set[str]) -> None:
        self._rules = frozenset(rules_vocabulary)
        self._lock = threading.Lock()
        self._documents: frozenset[str] | None = None
        self._normaliser = Normaliser(self._rules)

    def read(self, text: str, documents_vocabulary: frozenset[str] | None = None) -> Reading:
        """The message as understood; `documents_vocabulary` is the indexed documents' words, when any."""
        if is_english(text):
            return Reading(text, gloss(text).swedish, english=True)
        normalised = self._normaliser_for(documents_vocabulary).normalise(text)
        return Reading(text, normalised.text, corrections=normalised.corrections)

    def _normaliser_for(self, documents: frozenset[str] | None) -> Normaliser:
        """The normaliser of the current vocabulary, built again only when the documents changed."""
        with self._lock:
            if documents is not None and documents is not self._documents:
                self._normaliser = Normaliser(self._rules | documents)
                self._documents = documents
            return self._normaliser
