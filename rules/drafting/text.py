"""Text work the drafter shares: sentences, a quote cut around what it dates, ids."""

from __future__ import annotations

import re

from rules.profiles import fold


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


QUOTE_CHARS = 220  # a quote is one clause or sentence; longer sentences are cut around what they date
BROKEN = re.compile(r"(?<=[a-zåäö])-\s+(?=[a-zåäö])")  # "Kommun- styrelsen", "förvaltnings- chefer"


_SENTENCE_END = re.compile(r"(?<=[.!?§])\s+(?=[A-ZÅÄÖ0-9•])|\s*;\s+|\s+•\s+|\s+(?=\d+\.\d+\s+[A-ZÅÄÖ])")


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a passage with where each starts; a cell's paragraphs ("; ") are sentences too,
    unless the next goes on with a small letter ("Internkontrollplaner; och rapporter till KS 31/12")."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match is not None else len(text)
        piece = text[start:end]
        if piece.strip():
            begin = start + len(piece) - len(piece.lstrip())
            if spans and text[begin].islower() and text[spans[-1][1] : begin].strip() == ";":
                spans[-1] = (spans[-1][0], begin + len(piece.strip()))
            else:
                spans.append((begin, begin + len(piece.strip())))
        start = match.end() if match is not None else len(text)
    joined: list[tuple[int, int]] = []
    for begin, end in spans:
        if joined and _ABBREVIATION_END.search(text[joined[-1][0] : joined[-1][1]]):
            joined[-1] = (joined[-1][0], end)  # "enligt 6 kap. 9 § kommunallagen" is one sentence
        else:
            joined.append((begin, end))
    return [(begin, text[begin:end]) for begin, end in joined]


_ABBREVIATION_END = re.compile(
    r"\b(?:kap|t\.\s?ex|bl\.\s?a|resp|jfr|ca|s|nr|m\.\s?m|p|st|fr\.\s?o\.\s?m|kl)\.$", re.IGNORECASE
)


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of a long sentence that holds [start, end): cut at commas and conjunctions, never inside
    a word, at most QUOTE_CHARS long; a short sentence whole."""
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    left = max(0, start - QUOTE_CHARS // 2)
    cuts = [m.end() for m in re.finditer(r"[,:]\s+|\s+(?:och|men|samt|där|vilket|som)\s+", sentence[:start])]
    left = max([c for c in cuts if c >= left and start - c >= 20] or [left])
    right = min(len(sentence), max(end, left + QUOTE_CHARS))
    ends = [m.start() for m in re.finditer(r"[,:]\s+|\s+(?:och|men|samt|där|vilket)\s+", sentence[end:])]
    right = min([end + e for e in ends if end + e <= right and end + e - left >= 40] or [right])
    while left > 0 and sentence[left - 1].isalnum():
        left -= 1
    while right < len(sentence) and sentence[right].isalnum() and right > end:
        right -= 1
    return sentence[left:right].strip(" ,;:")


def ascii_id(text: str) -> str:
    """An id in the profile format's style from Swedish words: "Älvstrands årshjul" → "alvstrands_arshjul"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")
