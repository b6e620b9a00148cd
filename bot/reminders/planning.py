"""Which reminders are due when: pure planning over a subscription and a rulebook (no database).

A subscription (a channel, or a person for a DM) follows one municipality's årshjul, all events or those
with given tags, with lead days before each deadline. A reminder is one (subscription, event occurrence,
lead): it is due at 08:30 Europe/Stockholm on the day `lead` days before the deadline, moved to the
working day before when that day is a weekend or a Swedish public holiday, and never after the deadline.
A hard deadline (a day) is also reminded on the day itself; an event that runs through a month is
reminded before the month starts and on its first working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from rules import Rulebook
from rules.calendar import (
    STOCKHOLM,
    Occurrence,
    occurrences_between,
    working_day_on_or_after,
    working_day_on_or_before,
)

POST_AT = time(8, 30)


DEFAULT_LEAD_DAYS = (14, 2)


MAX_LEAD_DAYS = 365
SNOOZE = "snooze"


@dataclass(frozen=True)
class Subscription:
    """A channel's (or a person's) reminders from one municipality's årshjul."""

    id: int
    channel: str
    municipality: str
    tags: tuple[str, ...] = ()  # empty: every event
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    active: bool = True

    def wants(self, tags: Iterable[str]) -> bool:
        return not self.tags or bool(set(self.tags) & set(tags))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "municipality": self.municipality,
            "tags": list(self.tags),
            "lead_days": list(self.lead_days),
            "active": self.active,
        }


@dataclass(frozen=True)
class Reminder:
    """One reminder of one event occurrence to one subscription."""

    subscription: Subscription
    occurrence: Occurrence
    lead: int  # days before the deadline (or, for a month, before the month starts)
    due: datetime  # 08:30 Europe/Stockholm on a working day
    snoozed: bool = False  # asked for again with "Påminn i morgon", not planned from the lead days

    @property
    def key(self) -> str:
        """The ledger's key: the same reminder always has the same key, in every process."""
        base = f"{self.subscription.id}:{self.occurrence.event.id}:{self.occurrence.end.isoformat()}"
        if self.snoozed:
            return f"{base}:{SNOOZE}-{self.due.astimezone(STOCKHOLM).date().isoformat()}"
        return f"{base}:{self.lead}"

    @property
    def occurrence_key(self) -> tuple[int, str, date]:
        return (self.subscription.id, self.occurrence.event.id, self.occurrence.end)

    @property
    def closes(self) -> datetime:
        """The end of the deadline day: nothing is posted from then on."""
        return datetime.combine(self.occurrence.end + timedelta(days=1), time(0), STOCKHOLM)

    def days_left(self, on: date) -> int:
        return (self.occurrence.end - on).days


@dataclass(frozen=True)
class ReminderRef:
    """The occurrence a reminder (its ledger key, as a button carries it) is about, for a subscription."""

    subscription_id: int
    event_id: str
    deadline: date

    @classmethod
    def parse(cls, key: str) -> ReminderRef:
        """Read a reminder key ("3:budget_adopted:2027-11-30:14"); ValueError when it is not one."""
        subscription, _, rest = key.partition(":")
        event_id, deadline, _lead = rest.rsplit(":", 2)
        if not subscription.isdigit() or not event_id:
            raise ValueError(f"not a reminder key: {key!r}")
        return cls(int(subscription), event_id, date.fromisoformat(deadline))

    @property
    def closes(self) -> datetime:
        return datetime.combine(self.deadline + timedelta(days=1), time(0), STOCKHOLM)


def due_at(occurrence: Occurrence, lead: int) -> datetime:
    """When a reminder `lead` days ahead is posted: 08:30 on that day, or the working day before it."""
    if occurrence.precision == "month":
        if lead == 0:  # the month has started
            day = working_day_on_or_after(occurrence.start)
            day = day if day <= occurrence.end else working_day_on_or_before(occurrence.end)
        else:
            day = working_day_on_or_before(occurrence.start - timedelta(days=lead))
    else:
        day = working_day_on_or_before(occurrence.end - timedelta(days=lead))
    return datetime.combine(day, POST_AT, STOCKHOLM)


def leads(subscription: Subscription) -> tuple[int, ...]:
    """The subscription's lead days and the day itself, longest first."""
    return tuple(sorted({*subscription.lead_days, 0}, reverse=True))


def plan(subscription: Subscription, rulebook: Rulebook, after: datetime, until: datetime) -> list[Reminder]:
    """The subscription's reminders due in (after, until], each before its deadline closes, in due order.
    Two leads moved to the same day (a deadline on a Sunday: the day itself and two days before are both
    the Friday) give one reminder, the one closer to the deadline."""
    first = after.astimezone(STOCKHOLM).date()
    last = until.astimezone(STOCKHOLM).date() + timedelta(days=max(leads(subscription)) + 31)
    found: dict[tuple[str, date, datetime], Reminder] = {}
    for occurrence in occurrences_between(rulebook.events, first, last, rulebook.anchors):
        if not subscription.wants(occurrence.event.tags):
            continue
        for lead in leads(subscription):
            due = due_at(occurrence, lead)
            reminder = Reminder(subscription, occurrence, lead, due)
            if after < due <= until and due < reminder.closes:
                slot = (occurrence.event.id, occurrence.end, due)
                if slot not in found or found[slot].lead > lead:
                    found[slot] = reminder
    return sorted(found.values(), key=lambda r: (r.due, r.occurrence.end, r.occurrence.event.title, r.lead))


def next_slot(moment: datetime) -> datetime:
    """The first 08:30 on a working day after `moment`."""
    local = moment.astimezone(STOCKHOLM)
    day = local.date() if local.time() < POST_AT else local.date() + timedelta(days=1)
    return datetime.combine(working_day_on_or_after(day), POST_AT, STOCKHOLM)
