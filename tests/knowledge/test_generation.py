"""The checks a model's reply must pass before a person sees it (no model needed: the replies are given)."""

from __future__ import annotations

import pytest

from knowledge.bm25 import SwedishAnalyzer
from knowledge.generation import MAX_CHARS, NO_ANSWER, Unusable, Written, check
from knowledge.retrieval import Passage
from knowledge.store import StoredHit

ANALYZER = SwedishAnalyzer()
TEXTS = [
    "Kommunfullmäktige fastställer budgeten och skattesatsen i november varje år.",
    "Nämnderna tar fram en nämndplan med aktiviteter och indikatorer utifrån fullmäktiges mål.",
    "Delårsrapporten per den 31 augusti behandlas av kommunfullmäktige i oktober.",
]


def _passage(number: int, text: str) -> Passage:
    hit = StoredHit(f"d{number}:0", text, f"d{number}", 0, f"dok{number}.pdf", f"Dokument {number}", "pdf", number,
                    number, "Ekonomi", None, "h")  # fmt: skip
    return Passage(hit, 0.03, number, number)


PASSAGES = [_passage(n, text) for n, text in enumerate(TEXTS, 1)]


def _check(reply: str) -> Written:
    return check(reply, PASSAGES, ANALYZER.terms, "modell")


def test_references_are_renumbered_by_first_use_and_the_citations_follow_them() -> None:
    written = _check(
        "Delårsrapporten behandlas av kommunfullmäktige i oktober [3]. "
        "Fullmäktige fastställer budgeten och skattesatsen i november [1, 3]. Nämnderna gör en nämndplan [2][3]."
    )
    assert written.text == (
        "Delårsrapporten behandlas av kommunfullmäktige i oktober [1]. "
        "Fullmäktige fastställer budgeten och skattesatsen i november [2][1]. Nämnderna gör en nämndplan [3][1]."
    )
    assert [p.hit.source for p in written.passages] == ["dok3.pdf", "dok1.pdf", "dok2.pdf"]
    assert written.model == "modell"


def test_a_reference_to_a_passage_that_was_not_given_drops_the_whole_reply() -> None:
    with pytest.raises(Unusable) as caught:
        _check("Kommunfullmäktige fastställer budgeten i november [1]. Revisionen beslutar om skatten [4].")
    assert caught.value.reason == "invented_reference" and "4" in str(caught.value)


@pytest.mark.parametrize(
    "reply",
    [
        "Kommunstyrelsen bestämmer om simhallens öppettider vid sitt fredagsmöte [1].",  # a claim in no passage
        "Kommunfullmäktige fastställer budgeten i november [1]. Ordföranden avgör alla personalfrågor ensam.",
        "Nämnderna tar fram en nämndplan med indikatorer [1].",  # true, but not of the passage it names
    ],
)
def test_a_sentence_the_passages_do_not_support_drops_the_reply(reply: str) -> None:
    with pytest.raises(Unusable) as caught:
        _check(reply)
    assert caught.value.reason == "unsupported"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        (NO_ANSWER, "no_answer"),
        ("Kommunfullmäktige fastställer budgeten i november.", "no_references"),
        ("{{{ ### ]]] [1] ### }}} @@@ %%%", "garbage"),
        ("Kommunfullmäktige fastställer budgeten i november [1]. " * (MAX_CHARS // 50), "too_long"),
    ],
)
def test_empty_refusing_unreferenced_garbled_or_endless_replies_are_not_used(reply: str, reason: str) -> None:
    with pytest.raises(Unusable) as caught:
        _check(reply)
    assert caught.value.reason == reason


def test_a_paraphrase_in_other_forms_of_the_same_words_holds_up() -> None:
    written = _check("Budgeten och skattesatsen fastställs av kommunfullmäktige i november varje år [1].")
    assert written.passages == (PASSAGES[0],)
