"""The annual calendar (årshjul): concrete dates of events, the next occurrence, and working days.

All dates are calendar dates in Europe/Stockholm. Month arithmetic follows Swedish practice for
statutory periods (lag 1930:173): a period of months ends on the same day number, or on the last day
of the month when that month is shorter (31 August + 2 months = 31 October; 31 December + 6 months =
30 June).
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

from rules.models import (
    Anchor,
    Event,
    FixedDate,
    InMonth,
    MonthEnd,
    Monthly,
    Relative,
    YearSelector,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST_ELECTION = 1994  # every fourth year since: 2022, 2026, 2030 …
_LOOKAHEAD_YEARS = 5

Precision = Literal["day", "month"]


def today_in_stockholm(now: datetime | None = None) -> date:
    """Today's date in Europe/Stockholm."""
    return (now or datetime.now(STOCKHOLM)).astimezone(STOCKHOLM).date()


def is_election_year(year: int) -> bool:
    """Whether `year` has an ordinary general election (second Sunday of September)."""
    return year >= FIRST_ELECTION and (year - FIRST_ELECTION) % 4 == 0


def election_day(year: int) -> date:
    """The election day of an election year: the second Sunday of September."""
    first = date(year, 9, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + timedelta(days=7)


def year_applies(selector: YearSelector, year: int) -> bool:
    """Whether an event with this year selector occurs in `year`."""
    if selector == "every":
        return True
    if selector == "election":
        return is_election_year(year)
    if selector == "after_election":
        return is_election_year(year - 1)
    return not is_election_year(year)


def last_day(year: int, month: int) -> int:
    """The last day number of a month."""
    return _cal.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, last_day(year, month + 1)))


@dataclass(frozen=True)
class Occurrence:
    """One concrete occurrence of an event: a day, or a month-long window ending on `end`."""

    event: Event
    start: date
    end: date
    precision: Precision

    @property
    def date(self) -> date:
        """The deadline: the last day the event can fall on."""
        return self.end


def shifted(anchor_day: date, rule: Relative) -> date:
    """The day a relative rule gives from its anchor's day ("tre veckor efter" 31 August: 21 September)."""
    sign = 1 if rule.direction == "after" else -1
    offset = rule.offset
    if offset.months is not None:
        return add_months(anchor_day, sign * offset.months)
    if offset.years is not None:
        return add_months(anchor_day, sign * 12 * offset.years)
    days = offset.days if offset.days is not None else 7 * (offset.weeks or 0)
    return anchor_day + timedelta(days=sign * days)


def _anchor_date(anchor: Anchor, year: int) -> date | None:
    if anchor.month is None or anchor.day is None:
        return None
    return date(year, anchor.month, min(anchor.day, last_day(year, anchor.month)))


def occurrences_in_year(event: Event, year: int, anchors: Mapping[str, Anchor]) -> list[Occurrence]:
    """Every occurrence of the event in a calendar year (empty when it has no concrete date)."""
    if not year_applies(event.years, year):
        return []
    rule = event.date
    if isinstance(rule, FixedDate) and rule.yearless:
        return []  # a day of a year the source does not name: in no year's calendar
    if isinstance(rule, FixedDate):
        day = date(year, rule.month, min(rule.day, last_day(year, rule.month)))
        return [Occurrence(event, day, day, "day")]
    if isinstance(rule, MonthEnd):
        day = date(year, rule.month, last_day(year, rule.month))
        return [Occurrence(event, day, day, "day")]
    if isinstance(rule, InMonth):
        return [_month_window(event, year, rule.month)]
    if isinstance(rule, Monthly):
        return [_month_window(event, year, m) for m in range(1, 13) if m not in rule.except_months]
    if isinstance(rule, Relative):
        anchor = anchors.get(rule.anchor)
        if anchor is None:
            return []
        found = []
        for anchor_year in (year - 1, year, year + 1):
            base = _anchor_date(anchor, anchor_year)
            if base is not None and (day := shifted(base, rule)).year == year:
                found.append(Occurrence(event, day, day, "day"))
        return found
    return []


def _month_window(event: Event, year: int, month: int) -> Occurrence:
    return Occurrence(event, date(year, month, 1), date(year, month, last_day(year, month)), "month")


def next_occurrence(event: Event, today: date, anchors: Mapping[str, Anchor]) -> Occurrence | None:
    """The first occurrence that has not passed: its deadline is on or after `today`."""
    for year in range(today.year, today.year + _LOOKAHEAD_YEARS):
        for occurrence in occurrences_in_year(event, year, anchors):
            if occurrence.end >= today:
                return occurrence
    return None


def occurrences_between(
    events: Iterable[Event], start: date, end: date, anchors: Mapping[str, Anchor]
) -> list[Occurrence]:
    """Occurrences whose deadline falls in [start, end], sorted by deadline."""
    found = [
        occurrence
        for event in events
        for year in range(start.year, end.year + 1)
        for occurrence in occurrences_in_year(event, year, anchors)
        if start <= occurrence.end <= end
    ]
    return sorted(found, key=lambda o: (o.end, o.start, o.event.title))


def is_dated(event: Event, anchors: Mapping[str, Anchor]) -> bool:
    """Whether the event has concrete calendar dates (some relative rules have none)."""
    return any(occurrences_in_year(event, year, anchors) for year in range(2025, 2030))


@lru_cache(maxsize=64)
def _holidays(year: int) -> Mapping[date, str]:
    return dict(holidays.country_holidays("SE", years=year, language="sv", categories=("public", "de_facto")))


def holiday_name(day: date) -> str | None:
    """The Swedish name of a public holiday or a de facto day off (Midsommarafton, Julafton …)."""
    return _holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Swedish public holiday or de facto day off."""
    return day.weekday() < 5 and holiday_name(day) is None


def working_day_on_or_before(day: date) -> date:
    """`day` if it is a working day, else the closest working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the closest working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days(start: date, end: date) -> Iterator[date]:
    """Every working day in [start, end]."""
    day = start
    while day <= end:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)
