"""Document answers: quoting the sentences that answer, placing them, and abstaining for the right reasons."""

import pytest

from knowledge.abstention import asks_for_personal_details, judge, other_places, uncovered_words
from knowledge.bm25 import SwedishAnalyzer
from knowledge.compose import compose, place, quote, sentences_around
from knowledge.retrieval import Passage
from knowledge.store import StoredHit


def _passage(text: str, source: str = "styrmodell.pdf", page: int | None = 7, section: str = "5. Ekonomi") -> Passage:
    fmt = source.rsplit(".", 1)[-1]
    hit = StoredHit("d:0", text, "d", 0, source, "Styrmodell", fmt, page, page, section, None, "h")
    return Passage(hit, 0.03, 1, 1)


BUDGET = (
    "5. Ekonomi\nKommunen har ett årligt budgetarbete. Fullmäktige fastställer budgeten i juni. "
    "Nämnderna följer upp sin ekonomi varje månad."
)


def test_the_quote_is_the_sentence_that_answers_and_the_heading_is_left_out() -> None:
    text = quote("När fastställer fullmäktige budgeten?", _passage(BUDGET), SwedishAnalyzer())
    assert text == "Fullmäktige fastställer budgeten i juni."


def test_the_answer_says_where_the_quote_is_and_points_to_a_second_source() -> None:
    other = _passage("Budgeten beslutas av fullmäktige.", "deck.pptx", 4, "Budgetprocessen")
    answer = compose("När fastställer fullmäktige budgeten?", [_passage(BUDGET), other], SwedishAnalyzer())
    first, quoted, also = answer.splitlines()
    assert first == "Enligt Styrmodell, s. 7, avsnitt ”5. Ekonomi”:"
    assert quoted == "”Fullmäktige fastställer budgeten i juni.”"
    assert also == "Se även Styrmodell, bild 4, avsnitt ”Budgetprocessen”."
    assert place(_passage("x", page=None, section="")) == "Styrmodell"


@pytest.mark.parametrize(
    "question",
    ["Vad heter kommunstyrelsens ordförande?", "Vem är ordförande i nämnden?", "Vilken e-postadress har kansliet?"],
)
def test_questions_after_people_are_recognised(question: str) -> None:
    assert asks_for_personal_details(question)


def test_a_question_about_responsibility_is_not_one_about_a_person() -> None:
    assert not asks_for_personal_details("Vem är ansvarig för intern kontroll?")


def test_only_topic_words_the_documents_lack_count_against_answering() -> None:
    known = {"budgeten", "nämnden", "strängnäs"}.__contains__
    assert uncovered_words("Hur många elever tycker att budgeten är klar?", known) == ["elever"]
    assert uncovered_words("Vad tycker nämnden om budgeten?", known) == []
    assert uncovered_words("Hur många elever finns i Strängnäs?", known, ignore=["Strängnäs"]) == ["elever"]


def test_another_municipality_is_one_named_outright_or_never_mentioned() -> None:
    known = {"agenda"}.__contains__
    assert other_places("Hur ser det ut i Uppsala kommun?", ["uppsala"], known) == ["uppsala"]
    assert other_places("Vad gäller i Uppsala?", ["uppsala"], known) == ["uppsala"]
    assert other_places("Vad står i Agenda 2030?", ["agenda"], known) == []
    verdict = judge("Hur ser styrmodellen ut i Uppsala kommun?", known, places=["uppsala"])
    assert verdict is not None and verdict.reason == "other_municipality"


def test_a_short_quote_grows_to_the_whole_sentence_or_lines_that_hold_it() -> None:
    slide = "Vad gör vi just nu\nÖversyn av målvärden\nArbete fram till preliminär budget\nbeslutas i utskottet 23 maj"
    assert sentences_around(slide, "preliminär budget beslutas i utskottet") == (
        "Arbete fram till preliminär budget beslutas i utskottet 23 maj"
    )
    prose = "Styrningen sker genom mål. Målen beslutas av fullmäktige och gäller alla. Bolagen följer ägardirektiv."
    assert sentences_around(prose, "beslutas av FULLMÄKTIGE") == "Målen beslutas av fullmäktige och gäller alla."
    assert sentences_around(prose, "beslutas av kommunstyrelsen") is None
