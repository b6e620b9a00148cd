"""Ingest fixtures: the demo corpus and the text-fidelity measure of corpus/README.md."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def normalise(text: str) -> str:
    """Lower case, every non-letter/digit a space, single spaces (å, ä, ö, é are letters)."""
    return " ".join(re.sub(r"[^\w]|_", " ", text.lower()).split())


def window_recall(reference: str, extracted: str, size: int = 8) -> float:
    """Share of the reference text's `size`-word windows found in the extracted text."""
    words = normalise(reference).split()
    windows = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    haystack = f" {normalise(extracted)} "
    return sum(f" {window} " in haystack for window in windows) / len(windows)


@pytest.fixture(scope="session")
def recall() -> Callable[[str, str], float]:
    """The fidelity measure: share of the reference's 8-word windows an extraction keeps."""
    return window_recall
