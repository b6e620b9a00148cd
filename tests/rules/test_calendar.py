"""The årshjul engine: concrete dates, next occurrences and working days in Europe/Stockholm."""

from datetime import UTC, date, datetime

import pytest

from rules.calendar import (
    add_months,
    election_day,
    holiday_name,
    is_election_year,
    is_working_day,
    next_occurrence,
    occurrences_between,
    occurrences_in_year,
    today_in_stockholm,
    working_day_on_or_after,
    working_day_on_or_before,
    working_days,
)
from rules.models import Anchor, Event


def event(date_rule: dict, **extra: object) -> Event:
    return Event.model_validate(
        {"id": "e", "title": "Händelse", "keys": ["budget"], "source": {"law": "KL 1 kap 1 §"}, "date": date_rule}
        | extra
    )


ANCHORS = {
    "period_end": Anchor(title="periodens utgång", month=8, day=31),
    "year_end": Anchor(title="årets utgång", month=12, day=31),
    "meeting": Anchor(title="sammanträdesdagen"),
}


def test_fixed_date_next_occurrence_rolls_over_the_year_end() -> None:
    e = event({"kind": "fixed", "month": 3, "day": 1})
    assert next_occurrence(e, date(2027, 2, 28), ANCHORS).date == date(2027, 3, 1)
    assert next_occurrence(e, date(2027, 3, 1), ANCHORS).date == date(2027, 3, 1)
    assert next_occurrence(e, date(2027, 3, 2), ANCHORS).date == date(2028, 3, 1)


def test_month_end_follows_leap_years() -> None:
    e = event({"kind": "month_end", "month": 2})
    assert next_occurrence(e, date(2027, 1, 10), ANCHORS).date == date(2027, 2, 28)
    assert next_occurrence(e, date(2027, 3, 1), ANCHORS).date == date(2028, 2, 29)


def test_fixed_29_february_falls_on_the_28th_in_ordinary_years() -> None:
    e = event({"kind": "fixed", "month": 2, "day": 29})
    assert [o.date for o in occurrences_in_year(e, 2027, ANCHORS)] == [date(2027, 2, 28)]
    assert [o.date for o in occurrences_in_year(e, 2028, ANCHORS)] == [date(2028, 2, 29)]


def test_month_is_a_window_that_lasts_until_its_last_day() -> None:
    e = event({"kind": "month", "month": 6})
    occurrence = next_occurrence(e, date(2027, 6, 30), ANCHORS)
    assert (occurrence.start, occurrence.end, occurrence.precision) == (date(2027, 6, 1), date(2027, 6, 30), "month")
    assert next_occurrence(e, date(2027, 7, 1), ANCHORS).start == date(2028, 6, 1)


def test_monthly_skips_the_excluded_months() -> None:
    e = event({"kind": "monthly", "except_months": [6, 7]})
    months = [o.start.month for o in occurrences_between([e], date(2027, 1, 1), date(2027, 12, 31), ANCHORS)]
    assert months == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    assert next_occurrence(e, date(2027, 6, 15), ANCHORS).start == date(2027, 8, 1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 8, 31), 2, date(2027, 10, 31)),
        (date(2026, 12, 31), 6, date(2027, 6, 30)),
        (date(2027, 6, 30), 2, date(2027, 8, 30)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
    ],
)
def test_month_arithmetic_keeps_the_day_number_or_clamps_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_relative_to_a_period_end() -> None:
    e = event({"kind": "relative", "anchor": "period_end", "offset": {"months": 2}, "direction": "after"})
    assert next_occurrence(e, date(2027, 1, 1), ANCHORS).date == date(2027, 10, 31)


def test_relative_deadline_crosses_into_the_next_year() -> None:
    e = event({"kind": "relative", "anchor": "year_end", "offset": {"months": 6}, "direction": "after"})
    assert next_occurrence(e, date(2027, 7, 1), ANCHORS).date == date(2028, 6, 30)
    assert [o.date for o in occurrences_in_year(e, 2027, ANCHORS)] == [date(2027, 6, 30)]


def test_relative_to_a_meeting_has_no_calendar_date() -> None:
    e = event({"kind": "relative", "anchor": "meeting", "offset": {"weeks": 1}, "direction": "before"})
    assert next_occurrence(e, date(2027, 1, 1), ANCHORS) is None


def test_election_years_and_election_day() -> None:
    assert [y for y in range(2020, 2035) if is_election_year(y)] == [2022, 2026, 2030, 2034]
    assert election_day(2026) == date(2026, 9, 13)
    assert election_day(2030) == date(2030, 9, 8)


def test_election_year_events_occur_only_in_election_years() -> None:
    new_council = event({"kind": "fixed", "month": 10, "day": 15}, years="election")
    assert next_occurrence(new_council, date(2026, 11, 22), ANCHORS).date == date(2030, 10, 15)
    after = event({"kind": "month", "month": 6}, years="after_election")
    assert next_occurrence(after, date(2026, 11, 22), ANCHORS).start == date(2027, 6, 1)
    assert next_occurrence(after, date(2027, 7, 1), ANCHORS).start == date(2031, 6, 1)


def test_swedish_holidays_have_swedish_names_and_are_not_working_days() -> None:
    assert holiday_name(date(2027, 6, 25)) == "Midsommarafton"
    assert holiday_name(date(2027, 6, 6)) == "Nationaldagen"
    assert holiday_name(date(2027, 12, 24)) == "Julafton"
    assert not is_working_day(date(2027, 6, 25))
    assert not is_working_day(date(2027, 3, 27))  # a Saturday
    assert is_working_day(date(2027, 6, 24))


def test_working_day_moves_past_weekends_and_holidays() -> None:
    assert working_day_on_or_before(date(2027, 12, 26)) == date(2027, 12, 23)  # Sunday, Juldagen, Julafton
    assert working_day_on_or_after(date(2027, 3, 26)) == date(2027, 3, 30)  # Långfredagen … Annandag påsk
    assert working_day_on_or_before(date(2027, 5, 3)) == date(2027, 5, 3)
    midsummer_week = list(working_days(date(2027, 6, 21), date(2027, 6, 27)))
    assert midsummer_week == [date(2027, 6, d) for d in (21, 22, 23, 24)]  # Midsommarafton 25th, then a weekend


def test_today_is_the_date_in_stockholm() -> None:
    late_utc = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert today_in_stockholm(late_utc) == date(2027, 1, 1)
