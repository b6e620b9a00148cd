"""How a message is understood against the turn before it (`bot.conversations.followups.resolve`): pure text
work, so each case is one call."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.conversations.followups import FollowupKind, Resolution, resolve, topic, when_asked
from bot.conversations.store import Turn
from rules import RulesEngine
from rules.calendar import STOCKHOLM

RULES = RulesEngine()
PLACES = {m: RULES.rulebook(m).names for m in RULES.known}


def turn(question: str, municipality: str | None = "exempelkommun", **facts: object) -> Turn:
    return Turn(question, municipality, "retrieval", False, dict(facts), (), datetime(2026, 12, 7, tzinfo=STOCKHOLM))


def understood(message: str, *before: Turn) -> Resolution:
    return resolve(message, list(before), PLACES)


def test_a_first_message_is_taken_as_it_is() -> None:
    assert understood("vem beslutar om den?") == Resolution(FollowupKind.FIRST, "vem beslutar om den?")


@pytest.mark.parametrize(
    "message",
    ["En annan sak: vem väljer revisorerna?", "Helt annan fråga – vem väljer revisorerna?", "vem väljer revisorerna?"],
)
def test_a_question_of_its_own_inherits_nothing(message: str) -> None:
    resolved = understood(message, turn("När ska delårsrapporten vara klar i Strängnäs?", "strangnas"))
    assert resolved.kind is FollowupKind.NEW_TOPIC and not resolved.inherits
    assert resolved.question == "vem väljer revisorerna?" and resolved.municipality is None


def test_another_municipality_asks_the_question_before_again_there() -> None:
    resolved = understood("och i Strängnäs?", turn("Vad är visionen i Tranemo?", "tranemo"))
    assert resolved.kind is FollowupKind.ELLIPSIS and resolved.municipality == "strangnas"
    assert resolved.question == "Vad är visionen i Strängnäs?"


@pytest.mark.parametrize(
    ("before", "message", "expected"),
    [
        (
            "När beslutar kommunfullmäktige om rambudgeten i exempelkommun?",
            "och investeringsbudgeten?",
            "När beslutar kommunfullmäktige om investeringsbudgeten i exempelkommun?",
        ),
        ("Vad är Trollhättans vision?", "och ledorden?", "Vad är Trollhättans ledorden?"),
        (
            "inom hur lång tid ska en motion vara färdigberedd?",
            "och ett medborgarförslag?",
            "inom hur lång tid ska ett medborgarförslag vara färdigberedd?",
        ),
        ("När fastställer fullmäktige budgeten?", "och skattesatsen?", "När fastställer fullmäktige skattesatsen?"),
        ("vem väljer revisorerna?", "och under ett valår?", "vem väljer revisorerna under ett valår?"),
    ],
)
def test_an_ellipsis_changes_one_thing_of_the_question_before(before: str, message: str, expected: str) -> None:
    resolved = understood(message, turn(before))
    assert resolved.kind is FollowupKind.ELLIPSIS and resolved.question.lower() == expected.lower()


def test_a_pronoun_stands_for_the_subject_and_after_a_who_question_for_the_body() -> None:
    resolved = understood("vem beslutar om den?", turn("Vad är flerårsplanen i Strängnäs och hur länge gäller den?"))
    assert resolved.kind is FollowupKind.PRONOUN and resolved.question == "vem beslutar om flerårsplanen?"
    supervised = turn("Vem har uppsiktsplikt över nämnderna och bolagen?", who="kommunstyrelsen")
    assert understood("hur utövar den sin uppsikt?", supervised).question == "hur utövar kommunstyrelsen sin uppsikt?"
    assert understood("vad ska de granska?", turn("vem väljer revisorerna?")).question == "vad ska revisorerna granska?"


def test_a_pronoun_with_nothing_to_stand_for_is_not_guessed() -> None:
    assert understood("vem beslutar om den?", turn("Hur gör vi då?")).kind is FollowupKind.UNCLEAR


def test_a_correction_replaces_what_was_meant() -> None:
    before = turn("När behandlar kommunfullmäktige delårsrapporten i exempelkommun?")
    resolved = understood("nej, jag menade årsredovisningen", before)
    assert resolved.kind is FollowupKind.CORRECTION and "årsredovisningen" in resolved.question
    assert "delårsrapporten" not in resolved.question
    elsewhere = understood("sorry, jag menade Trollhättan", turn("Vad är visionen i Strängnäs?", "strangnas"))
    assert elsewhere.municipality == "trollhattan" and elsewhere.question == "Vad är visionen i Trollhättan?"


def test_questions_on_the_source_are_about_the_answer_before_or_the_turn_they_name() -> None:
    first, second = turn("Vilken period omfattar delårsrapport 1 i Strängnäs?"), turn("och efter det?")
    where = understood("var står det?", second, first)
    assert where.kind is FollowupKind.SOURCE and not where.law and where.turn == second
    law = understood("är delårsrapport 1 nåt som lagen kräver?", second, first)
    assert law.kind is FollowupKind.SOURCE and law.law and law.turn == first
    assert understood("är det lag eller kommunens egen regel?", second).law


def test_the_next_occurrence_and_the_next_step_are_told_apart() -> None:
    before = turn("När ska delårsrapporten vara klar?")
    assert understood("och nästa gång?", before).again
    following = understood("när kommer nästa rapport efter den?", before)
    assert following.kind is FollowupKind.NEXT and not following.again and following.noun == "rapport"
    assert understood("och efter det?", before).kind is FollowupKind.NEXT
    # a question about the next meeting names its own subject: a new question, not the cycle's next step
    assert understood("när är nästa sammanträde i Tranemo?", before).kind is FollowupKind.NEW_TOPIC


def test_the_topic_of_a_question_is_its_noun_phrase_not_its_body() -> None:
    assert topic("När beslutar kommunfullmäktige om rambudgeten?", PLACES) == "rambudgeten"
    assert topic("Vilken period omfattar delårsrapport 1 i Strängnäs?", PLACES) == "delårsrapport 1"
    assert topic("hur många riktlinjer har vi?", PLACES) == "riktlinjer"


@pytest.mark.parametrize(
    ("message", "before", "expected"),
    [
        ("nej menade delårsrapport 2 – när tas den?", "vem lämnar över årsredovisningen?", "när tas delårsrapport 2?"),
        ("äh, jag menade årsredovisningen, inte delåret", "När tas delårsrapporten?", "När tas årsredovisningen?"),
        ("nej sorry, visionen menade jag", "vilka ledord har trollhättan?", "vilka visionen har trollhättan?"),
    ],
)
def test_a_correction_may_ask_again_say_what_was_not_meant_or_put_what_was_meant_first(
    message: str, before: str, expected: str
) -> None:
    resolved = understood(message, turn(before))
    assert resolved.kind is FollowupKind.CORRECTION and resolved.question == expected


def test_a_question_on_the_law_names_the_paragraph_it_wants() -> None:
    before = turn("vad innebär KS uppsiktsplikt?")
    assert understood("vilken paragraf i KL?", before).paragraph
    assert understood("lagrum tack", before).kind is FollowupKind.SOURCE
    assert understood("vilken § är det?", before).paragraph
    assert not understood("var står det?", before).paragraph


@pytest.mark.parametrize(
    ("message", "stays"),
    [
        ("vem beslutar om den?", True),  # a pronoun for its subject
        ("och vad ingår?", True),  # more on its subject
        ("och under ett valår?", True),  # a condition added to it
        ("och investeringsbudgeten?", False),  # another subject in its place
        ("och i Strängnäs?", False),  # another municipality's
        ("och vad ingår i Strängnäs?", False),
    ],
)
def test_a_follow_up_says_whether_it_stays_on_the_subject_of_the_answer_before(message: str, stays: bool) -> None:
    resolved = understood(message, turn("Vad är rambudgeten i Tranemo?", "tranemo"))
    assert resolved.inherits and resolved.on_subject is stays, resolved


def test_and_then_before_a_question_of_the_messages_own_is_that_question() -> None:
    before = turn("hur lång tid har man på sig att justera protokollet efter ett nämndmöte?")
    posted = understood("och sen? när ska det upp på anslagstavlan?", before)
    assert posted.kind is not FollowupKind.NEXT and posted.question.startswith("när ska det upp på anslagstavlan")
    appeal = understood("och efter det, hur länge kan folk överklaga?", before)
    assert appeal.kind is FollowupKind.NEW_TOPIC and appeal.question == "hur länge kan folk överklaga?"
    # a clause of the question before is no question of its own: the next step is asked for
    assert understood("och sen, när analysen är klar?", before).kind is FollowupKind.NEXT


def test_an_ordinal_stands_for_one_of_the_things_the_question_before_named_together() -> None:
    before = turn("vad är skillnaden mellan delårsrapport 1 och 2?", "strangnas")
    second = understood("när behandlar KF den andra?", before)
    assert second.kind is FollowupKind.PRONOUN and second.question == "när behandlar KF delårsrapport 2?"
    budgets = turn("vad är skillnaden mellan rambudget och investeringsbudget?")
    assert understood("när beslutas den senare?", budgets).question == "när beslutas investeringsbudget?"


def test_an_abbreviated_body_is_no_genitive() -> None:
    # "KS" for "KF" is a body for a body, not "KFs"
    assert (
        understood("och KF?", turn("när ska KS ha budgetförslaget klart?")).question
        == "när ska KF ha budgetförslaget klart?"
    )
    assert (
        understood("än bolagen?", turn("vem beslutar om nämndernas plan?")).question == "vem beslutar om bolagens plan?"
    )


def test_a_correction_to_another_municipality_puts_it_where_there_stood() -> None:
    resolved = understood("sorry, menade Strängnäs – hur tas målen fram där?", turn("när ska målen vara beslutade?"))
    assert resolved.kind is FollowupKind.CORRECTION and resolved.municipality == "strangnas"
    assert resolved.question == "hur tas målen fram i Strängnäs?"


def test_the_question_an_events_title_answers_is_asked_as_a_person_would() -> None:
    assert when_asked("Fullmäktige godkänner årsredovisningen") == "När godkänner fullmäktige årsredovisningen?"
    assert when_asked("Bolagsstämman hålls") == "När hålls bolagsstämman?"
    assert when_asked("KS lämnar delårsrapporten till fullmäktige") == "När lämnar KS delårsrapporten till fullmäktige?"
    assert when_asked("Upptakt för förtroendevalda och ekonomi") == "När: Upptakt för förtroendevalda och ekonomi?"
    # after the next step, a correction changes the step's own subject
    step = turn(when_asked("Fullmäktige godkänner årsredovisningen"))
    assert (
        understood("nej vänta, jag menade delårsrapporten", step).question
        == "När godkänner fullmäktige delårsrapporten?"
    )


def test_a_correction_puts_a_thing_in_the_place_of_a_thing_and_a_body_in_the_place_of_a_body() -> None:
    before = turn("när fastställer KF årsredovisningen i strängnäs?", "strangnas")
    assert understood("nej förlåt, menade delårsrapport 2", before).question == (
        "när fastställer KF delårsrapport 2 i strängnäs?"
    )
    assert understood("nej, jag menade KS", before).question == "när fastställer KS årsredovisningen i strängnäs?"


def test_a_correction_after_the_next_step_corrects_the_question_asked_not_the_step() -> None:
    asked = turn("när ska årsredovisningen senast lämnas till KF och revisorerna?")
    step = turn("När godkänner fullmäktige årsredovisningen?", step=True)  # the rules' next step after it
    resolved = understood("nej vänta, jag menade delårsrapporten", step, asked)
    assert resolved.question == "när ska delårsrapporten senast lämnas till KF och revisorerna?"


def test_a_correction_that_says_what_was_not_meant_replaces_that() -> None:
    before = turn("när ska KS lämna delårsrapporten till KF?")
    resolved = understood("äh, jag menade årsredovisningen, inte delåret", before)
    assert resolved.kind is FollowupKind.CORRECTION
    assert resolved.question == "när ska KS lämna årsredovisningen till KF?"
