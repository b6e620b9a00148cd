"""Reading questions as people type them: marks put back, typos and chat words corrected, meaning kept."""

import pytest

from knowledge.english import gloss, is_english
from knowledge.normalise import Normaliser
from knowledge.questions import parts

DOMAIN = {
    "delårsrapporten",
    "delårsrapport",
    "verksamhetsområde",
    "strängnäs",
    "förvaltningen",
    "förvaltning",
    "nämnd",
    "nämnder",
    "ärende",
    "godkänner",
    "ansvarsprövningen",
    "flerårsplanen",
    "årsredovisningen",
    "kallelse",
    "val",
}


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser(DOMAIN)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("nar ska delarsrapporten vara klar", "när ska delårsrapporten vara klar"),
        ("flerarsplanen - hur manga ar galler den?", "flerårsplanen - hur många år gäller den?"),
        ("vem godkanner per verksamhetsomrade", "vem godkänner per verksamhetsområde"),
        ("ar namndmoten oppna for allmanheten", "är nämndmöten öppna för allmänheten"),
        ("När ska delårsraporten vara klar?", "När ska delårsrapporten vara klar?"),
        ("politiken eller forvaltn?", "politiken eller förvaltning?"),
        ("hur funkar det med nån motion", "hur fungerar det med någon motion"),
    ],
)
def test_marks_typos_and_chat_words_are_read_as_meant(normaliser: Normaliser, typed: str, meant: str) -> None:
    assert normaliser.normalise(typed).text == meant


@pytest.mark.parametrize(
    "text",
    [
        "Jag satt i socialnämnden förra året",  # "satt", not "sätt": the message has its marks
        "Vem beslutar om skattesatsen i Strängnäs?",
        "minska antalet ledamöter till nästa val",  # "val" is the election, not "väl"
        "Hur går DR2 till?",
        "Jag satt i nämnden och vi tar beslut",  # unmarked words that are common Swedish stay as typed
    ],
)
def test_what_was_typed_right_is_left_alone(normaliser: Normaliser, text: str) -> None:
    assert normaliser.normalise(text).text == text


def test_a_correction_is_reported_with_what_was_typed(normaliser: Normaliser) -> None:
    result = normaliser.normalise("Nar kommer DELARSRAPPORTEN?")
    assert result.text == "När kommer DELÅRSRAPPORTEN?"
    assert [(c.typed, c.meant) for c in result.corrections] == [("Nar", "när"), ("DELARSRAPPORTEN", "delårsrapporten")]


def test_a_word_the_documents_use_wins_over_a_compound_of_the_words_as_typed() -> None:
    normaliser = Normaliser({"beslutsföra", "fullmäktige"})  # "beslutsfort" is also "beslut" + "fort" (fast)
    assert normaliser.normalise("ar kf beslutsfort nu").text == "är kf beslutsföra nu"


def test_after_a_number_word_ar_is_a_year() -> None:
    normaliser = Normaliser(set())
    assert normaliser.normalise("galler den i tre ar och ar den klar").text == "gäller den i tre år och är den klar"


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("Who decides the tax rate in Tranemo?", True),
        ("What does 'kvalitet' (quality) mean in our governance model?", True),
        ("Which document describes Trollhättan's governance model in detail?", True),
        ("Vem beslutar om skattesatsen?", False),
        ("vem gor ansvarsprovningen for ett kommunalt aktiebolag, ar det kf?", False),
        ("Får jag som ledamot bestämma vem som ska leda projektet?", False),
    ],
)
def test_english_questions_are_recognised(question: str, english: bool) -> None:
    assert is_english(question) is english


def test_an_english_question_is_glossed_into_the_documents_words() -> None:
    swedish = gloss("When must the municipal council decide on discharge from liability?").swedish
    assert swedish == "när måste kommunfullmäktige besluta om ansvarsfrihet?"
    assert "tranemo" in gloss("Who decides the tax rate in Tranemo?").swedish
    # "what does X mean" asks for a definition, whatever the word order of the gloss
    assert gloss("What does 'kvalitet' (quality) mean in our governance model?").swedish == (
        "vad betyder kvalitet i styrmodell?"
    )
    assert gloss("What is an indicator in our governance model?").swedish == "vad betyder indikator i styrmodell?"
    # a date is kept: "30 April" is what the question is about
    assert gloss("Can a report as of 30 April count as the mandatory interim report?").swedish == (
        "kan rapport per 30 april räknas som lagstadgad delårsrapport?"
    )
    assert gloss("May the board decide on the budget?").swedish.startswith("får")  # "may" the verb, not the month
    assert gloss("What do the municipal auditors actually do?").swedish == "vad gör revisorerna?"
    assert gloss("What does KS do after DR1?").swedish == "vad gör ks efter dr1?"  # abbreviations are kept
    assert gloss("In which forums is there dialogue?").swedish.startswith("vilka forum")  # a list is asked for
    assert gloss("What is the role of the municipal council?").swedish.startswith("vad roll")  # no term: as it is


def test_an_english_message_of_two_questions_is_glossed_as_two() -> None:
    swedish = gloss("Who approves the annual report, and does that have to happen before discharge from liability?")
    assert [part.text for part in parts(swedish.swedish)] == [
        "vem godkänner årsredovisning?",
        "måste det ske före ansvarsfrihet?",
    ]
    assert len(parts(gloss("When is the budget adopted? And who proposes it?").swedish)) == 2
    # a comma after an opening phrase, or "and" inside one question, is no second question
    assert len(parts(gloss("In Tranemo, who decides on the budget and when?").swedish)) == 1


def test_each_part_of_a_hyphenated_word_is_read_on_its_own() -> None:
    normaliser = Normaliser({"bråttom", "ordförande"})
    assert normaliser.normalise("ett brattom-beslut").text == "ett bråttom-beslut"
    assert normaliser.normalise("KS-ordforande").text == "KS-ordförande"
    assert normaliser.normalise("e-post").text == "e-post"
