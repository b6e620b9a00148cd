"""Sentences of a passage, and text normalised for comparing: shared by search, answers and citations.

A passage's "sentences" are its sentences and, for slides, lists and tables, its lines: each is a unit that
can answer on its own, is quoted whole, and gets its own vector for sentence-level search.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(])|\n+")


def sentences(text: str) -> list[str]:
    """The sentences (and lines, for slides and lists) of a passage."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def normalise(text: str) -> str:
    """Lower case, every non-alphanumeric character a space, single spaces (the eval README's rule)."""
    return " ".join(re.sub(r"[^\w]|_", " ", text.lower()).split())
