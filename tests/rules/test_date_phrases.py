"""The date rules a document states, read from its wording: each kind of the profile format, and what is no
rule of the annual cycle at all (a year, one year's date)."""

from __future__ import annotations

import pytest

from rules.date_phrases import date_phrases, years_named
from rules.intents import months_named


def rules_in(text: str) -> list[dict[str, object]]:
    return [phrase.rule.model_dump(exclude_defaults=True) for phrase in date_phrases(text)]


@pytest.mark.parametrize(
    ("text", "day_month", "words"),
    [
        ("Årsredovisningen ska vara ekonomiavdelningen tillhanda senast 1/3.", (1, 3), "senast 1/3"),
        ("Delårsbokslut görs per 31 augusti.", (31, 8), "per 31 augusti"),
        ("Rapporten lämnas per\n31/5 till ekonomiavdelningen.", (31, 5), "per\n31/5"),
    ],
)
def test_a_day_of_the_year(text: str, day_month: tuple[int, int], words: str) -> None:
    (phrase,) = date_phrases(text)
    assert (phrase.rule.kind, phrase.rule.day, phrase.rule.month) == ("fixed", *day_month)  # type: ignore[union-attr]
    assert phrase.text == words and text[phrase.start : phrase.end] == words  # verbatim, to be quoted


@pytest.mark.parametrize(
    "text",
    [
        "Fullmäktige fastställer budgeten före november månads utgång.",
        "Budgeten ska vara fastställd senast sista november.",
        "Verksamhetsplanen redovisas i slutet av november.",
        "Kommunstyrelsen ska ha lämnat sitt förslag före utgången av november.",
        "Bolagsstämma senast vid utgången av november",
    ],
)
def test_a_months_end(text: str) -> None:
    assert rules_in(text) == [{"kind": "month_end", "month": 11}]


@pytest.mark.parametrize(
    ("text", "month"),
    [("Rambudgeten tas i KF i juni.", 6), ("Under april genomförs budgetsamtal.", 4), ("i maj månad", 5)],
)
def test_a_month(text: str, month: int) -> None:
    assert rules_in(text) == [{"kind": "month", "month": month}]


def test_every_month_with_the_months_left_out() -> None:
    assert rules_in("Månadsrapporter lämnas till KS månadsvis exklusive juni och juli.") == [
        {"kind": "monthly", "except_months": (6, 7)}
    ]
    assert rules_in("Uppföljning sker varje månad.") == [{"kind": "monthly"}]
    assert rules_in("Månadsuppföljning lämnas till KS varje månad utom jan och juli.") == [
        {"kind": "monthly", "except_months": (1, 7)}
    ]  # the short forms a web page writes
    assert rules_in("Månadsuppföljning – alla mån. utom jan o juli") == [{"kind": "monthly", "except_months": (1, 7)}]


@pytest.mark.parametrize(
    ("text", "offset", "direction", "relative_to"),
    [
        ("Delårsrapporten lämnas inom två månader efter periodens utgång.", {"months": 2}, "after", "periodens utgång"),
        ("Kallelsen skickas minst en vecka före sammanträdesdagen.", {"weeks": 1}, "before", "sammanträdesdagen"),
        (
            "Överklagandet ska ha kommit in inom tre veckor från den dag då justeringen tillkännagavs.",
            {"weeks": 3},
            "after",
            "den dag då justeringen tillkännagavs",
        ),
    ],
)
def test_a_span_before_or_after_something(text: str, offset: dict[str, int], direction: str, relative_to: str) -> None:
    (phrase,) = date_phrases(text)
    assert phrase.rule.kind == "relative" and phrase.relative_to == relative_to
    assert phrase.rule.offset.model_dump(exclude_none=True) == offset  # type: ignore[union-attr]
    assert phrase.rule.direction == direction  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen bildades 1971.",
        "Beslutet togs den 15 mars 2016 av fullmäktige.",
        "Planen gäller 2024–2027 och revideras årligen.",
        "Protokollet från 31/12/2016 justerades.",
        "Detta gjordes i juni 2019.",
    ],
)
def test_a_year_or_one_years_date_is_no_rule_of_the_cycle(text: str) -> None:
    assert date_phrases(text) == []


def test_the_more_precise_rule_wins_where_two_overlap_and_all_are_found_in_order() -> None:
    text = "Under april hålls budgetsamtal. Budgeten antas senast sista juni och rapporten lämnas per 31/8."
    assert rules_in(text) == [
        {"kind": "month", "month": 4},
        {"kind": "month_end", "month": 6},  # not also "juni" as a month
        {"kind": "fixed", "month": 8, "day": 31},
    ]


def test_a_number_that_counts_a_period_is_no_day() -> None:
    assert rules_in("Tertial 1 omfattar januari–april och tertial 2 maj–augusti.") == [
        {"kind": "month_end", "month": 4},
        {"kind": "month_end", "month": 8},
    ]


def test_a_span_of_months_is_done_by_the_end_of_the_last() -> None:
    assert rules_in("Under januari–mars pågår en sammanställning av bokslutet.") == [{"kind": "month_end", "month": 3}]


def test_a_monthly_report_named_is_every_month_unless_the_text_says_there_is_none() -> None:
    assert rules_in("Månadsrapportering på KS.") == [{"kind": "monthly"}]
    assert rules_in("Sommaruppehåll, ingen månadsuppföljning.") == []


def test_a_span_before_the_clause_s_verb_ends_at_the_verb() -> None:
    (phrase,) = date_phrases("Senast fyra veckor efter delårsperiodens utgång överlämnar kommunstyrelsen rapporten.")
    assert phrase.relative_to == "delårsperiodens utgång"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Valår: budgetanvisningarna beslutas av kommunstyrelsen redan i februari.", "election"),
        ("Valår beslutar KS om budgetanvisningar redan i februari", "election"),
        ("det är valår i år, senast vilket datum ska nya kf ha fastställt budgeten?", "election"),
        ("vi har valår i år, när ska BUN anta verksamhetsplanen?", "election"),
        ("ett vanligt år, alltså inte valår – när beslutar KS om budgetanvisningarna?", "non_election"),
        ("KS beslutar om budgetanvisningar i mars (valår: se bild 9)", "every"),  # the bracket is another year's
    ],
)
def test_which_years_a_line_or_a_question_speaks_of(text: str, years: str) -> None:
    assert years_named(text) == years


def test_the_end_of_the_period_a_report_covers_is_no_month_a_question_asks_about() -> None:
    assert months_named("tertialuppföljningen per sista april (T1), när ska den in till ks?") == frozenset()
    assert months_named("delårsrapporten per 31 augusti, ska den till KF i oktober?") == {10}
    assert months_named("vad händer i april?") == {4}
