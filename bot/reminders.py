"""Årshjul reminders: who subscribes to what, which reminders are due when, and the ledger that sends
each of them once.

A subscription (a channel, or a person for a DM) follows one municipality's årshjul, all events or those
with given tags, with lead days before each deadline. A reminder is one (subscription, event occurrence,
lead): it is due at 08:30 Europe/Stockholm on the day `lead` days before the deadline, moved to the
working day before when that day is a weekend or a Swedish public holiday, and never after the deadline.
A hard deadline (a day) is also reminded on the day itself; an event that runs through a month is
reminded before the month starts and on its first working day.

Planning is pure (`plan`); the ledger (`Ledger`) is the database table whose primary key is the
reminder's key, so several processes agree on what has been sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.db import (
    Database,
    aware,
    ledger_table,
    marks_table,
    pseudonym,
    scheduler_table,
    subscriptions_table,
    utc,
)
from bot.errors import BadLeadDays, SubscriptionEnded
from rules import Rulebook
from rules.calendar import (
    STOCKHOLM,
    Occurrence,
    occurrences_between,
    working_day_on_or_after,
    working_day_on_or_before,
)
from rules.tags import normal_tags

POST_AT = time(8, 30)
DEFAULT_LEAD_DAYS = (14, 2)
MAX_LEAD_DAYS = 365
SNOOZE = "snooze"
OPEN = ("posting", "retry")  # not finished: may still be sent
FINISHED = ("sent", "failed", "missed", "superseded", "done")


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
        return {"id": self.id, "channel": self.channel, "municipality": self.municipality,
                "tags": list(self.tags), "lead_days": list(self.lead_days), "active": self.active}  # fmt: skip


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


# Subscriptions ----------------------------------------------------------------------------------------


def subscribe(
    database: Database, channel: str, municipality: str, tags: Iterable[str] = (), lead_days: Iterable[int] = ()
) -> Subscription:
    """Subscribe a channel to a municipality's årshjul; subscribing again replaces tags and lead days."""
    days = tuple(sorted({int(d) for d in lead_days}, reverse=True)) or DEFAULT_LEAD_DAYS
    if any(d < 1 or d > MAX_LEAD_DAYS for d in days):
        raise BadLeadDays(MAX_LEAD_DAYS)
    chosen = normal_tags(tags)
    values = {"tags": json.dumps(chosen), "lead_days": json.dumps(days), "active": True}
    table = subscriptions_table
    try:
        with database.engine.begin() as conn:
            conn.execute(insert(table).values(channel=channel, municipality=municipality,
                                              created_at=datetime.now(UTC), **values))  # fmt: skip
    except IntegrityError:
        with database.engine.begin() as conn:
            conn.execute(
                update(table).where(table.c.channel == channel, table.c.municipality == municipality).values(**values)
            )
    found = [s for s in subscriptions(database) if s.channel == channel and s.municipality == municipality]
    return found[0]


def unsubscribe(database: Database, channel: str, municipality: str | None = None) -> int:
    """End a channel's subscriptions (to one municipality, or all); the number ended."""
    table = subscriptions_table
    where = [table.c.channel == channel, table.c.active.is_(True)]
    if municipality:
        where.append(table.c.municipality == municipality)
    with database.engine.begin() as conn:
        return conn.execute(update(table).where(*where).values(active=False)).rowcount or 0


def subscriptions(database: Database, active_only: bool = True) -> list[Subscription]:
    table = subscriptions_table
    query = select(table).order_by(table.c.id)
    if active_only:
        query = query.where(table.c.active.is_(True))
    with database.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        Subscription(
            r["id"],
            r["channel"],
            r["municipality"],
            tuple(json.loads(r["tags"])),
            tuple(json.loads(r["lead_days"])),
            bool(r["active"]),
        )
        for r in rows
    ]


# "Klar" and "Påminn i morgon" -------------------------------------------------------------------------


def _active_subscription(database: Database, subscription_id: int) -> Subscription:
    found = [s for s in subscriptions(database) if s.id == subscription_id]
    if not found:
        raise SubscriptionEnded(subscription_id)
    return found[0]


def _mark(database: Database, ref: ReminderRef, kind: str, due: datetime, person: str) -> None:
    row = {"subscription_id": ref.subscription_id, "event_id": ref.event_id, "deadline": ref.deadline,
           "kind": kind, "due": utc(due), "person": pseudonym(person), "created_at": datetime.now(UTC)}  # fmt: skip
    try:
        with database.engine.begin() as conn:
            conn.execute(insert(marks_table).values(**row))
    except IntegrityError:
        pass  # marked the same way already (a double click, or two people at once)


def mark_done(database: Database, key: str, person: str, now: datetime) -> ReminderRef:
    """The "Klar" button: no more reminders of the key's occurrence to its subscription. ValueError for a key that is
    not a reminder's, SubscriptionEnded when the subscription has ended."""
    ref = ReminderRef.parse(key)
    _active_subscription(database, ref.subscription_id)
    _mark(database, ref, "done", now, person)
    return ref


def snooze(database: Database, key: str, person: str, now: datetime) -> datetime | None:
    """The "Påminn i morgon" button: one more reminder of the occurrence at 08:30 on the next working day; when that
    is, or None when the deadline has passed by then (nothing is ever posted after it)."""
    ref = ReminderRef.parse(key)
    _active_subscription(database, ref.subscription_id)
    due = datetime.combine(working_day_on_or_after(now.astimezone(STOCKHOLM).date() + timedelta(days=1)),
                           POST_AT, STOCKHOLM)  # fmt: skip
    if due >= ref.closes:
        return None
    _mark(database, ref, SNOOZE, due, person)
    return due


def snoozed(
    database: Database, subscription: Subscription, rulebook: Rulebook, after: datetime, until: datetime
) -> list[Reminder]:
    """The subscription's asked-for reminders due in (after, until] whose occurrence is still in the
    årshjul as it reads now (an event removed or moved since is not reminded)."""
    t = marks_table
    query = select(t.c.event_id, t.c.deadline, t.c.due).where(
        t.c.subscription_id == subscription.id, t.c.kind == SNOOZE, t.c.due > utc(after), t.c.due <= utc(until)
    )
    with database.engine.connect() as conn:
        rows = conn.execute(query).all()
    found = []
    for event_id, deadline, due in rows:
        events = [e for e in rulebook.events if e.id == event_id]
        for occurrence in occurrences_between(events, deadline, deadline, rulebook.anchors):
            if occurrence.end == deadline:
                local = aware(due).astimezone(STOCKHOLM)
                reminder = Reminder(subscription, occurrence, (deadline - local.date()).days, local, snoozed=True)
                if local < reminder.closes:
                    found.append(reminder)
    return found


# The ledger -------------------------------------------------------------------------------------------


class Ledger:
    """The reminders' rows in the database: what was sent, when, and what is still open."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def open_row(self, reminder: Reminder, now: datetime) -> None:
        """Make the reminder's row if it has none (status retry, nothing attempted yet)."""
        o = reminder.occurrence
        row = {
            "key": reminder.key, "subscription_id": reminder.subscription.id,
            "channel": reminder.subscription.channel, "municipality": reminder.subscription.municipality,
            "event_id": o.event.id, "event": o.event.title, "deadline": o.end, "lead_days": reminder.lead,
            "due": utc(reminder.due), "status": "retry", "attempts": 0, "next_attempt": utc(reminder.due),
            "updated_at": utc(now),
        }  # fmt: skip
        try:
            with self.database.engine.begin() as conn:
                conn.execute(insert(ledger_table).values(**row))
        except IntegrityError:
            pass  # another process (or an earlier tick) made it

    def row(self, key: str) -> dict[str, Any] | None:
        with self.database.engine.connect() as conn:
            found = conn.execute(select(ledger_table).where(ledger_table.c.key == key)).mappings().first()
        return dict(found) if found else None

    def update(self, key: str, **values: Any) -> None:
        values = {k: utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
        with self.database.engine.begin() as conn:
            conn.execute(update(ledger_table).where(ledger_table.c.key == key).values(**values))

    def finished(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` whose reminders are finished (sent, given up, superseded or marked done)."""
        keys = list(keys)
        done: set[str] = set()
        with self.database.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                query = select(ledger_table.c.key).where(ledger_table.c.key.in_(part),
                                                          ledger_table.c.status.in_(FINISHED))  # fmt: skip
                done |= set(conn.execute(query).scalars())
        return done

    def next_retry(self) -> datetime | None:
        """When the soonest failed reminder is to be tried again."""
        t = ledger_table
        with self.database.engine.connect() as conn:
            query = select(func.min(t.c.next_attempt)).where(t.c.status == "retry", t.c.attempts > 0)
            found = conn.execute(query).scalar()
        return aware(found).astimezone(STOCKHOLM) if found else None

    def earliest_open_due(self) -> datetime | None:
        """The due time of the oldest reminder that may still be sent (retrying, or cut off mid-post)."""
        with self.database.engine.connect() as conn:
            query = select(ledger_table.c.due).where(ledger_table.c.status.in_(OPEN), ledger_table.c.attempts > 0)
            found = conn.execute(query.order_by(ledger_table.c.due).limit(1)).scalar()
        return aware(found) if found else None

    def occurrence_done(self, subscription_id: int, event_id: str, deadline: date) -> bool:
        """Whether someone marked this occurrence Klar for this subscription."""
        t = marks_table
        with self.database.engine.connect() as conn:
            query = select(t.c.id).where(t.c.subscription_id == subscription_id, t.c.event_id == event_id,
                                         t.c.deadline == deadline, t.c.kind == "done")  # fmt: skip
            return conn.execute(query.limit(1)).first() is not None

    def log(self) -> list[dict[str, Any]]:
        """Every row that was attempted or decided, in due order, as the contract's log objects."""
        t = ledger_table
        with self.database.engine.connect() as conn:
            query = select(t).where(or_(t.c.attempts > 0, t.c.status.in_(FINISHED))).order_by(t.c.due, t.c.key)
            rows = conn.execute(query).mappings().all()
        return [_log_row(dict(r)) for r in rows]

    def forget_before(self, moment: datetime) -> int:
        """Drop the rows of deadlines before `moment`'s day: no reminder of those is ever posted again (the
        scheduler posts nothing after a deadline), so they are only history. The number dropped."""
        with self.database.engine.begin() as conn:
            result = conn.execute(delete(ledger_table).where(and_(ledger_table.c.deadline < moment.date())))
            return result.rowcount or 0


def last_tick(database: Database, name: str = "reminders") -> datetime | None:
    with database.engine.connect() as conn:
        found = conn.execute(select(scheduler_table.c.last_tick).where(scheduler_table.c.name == name)).scalar()
    return aware(found) if found else None


def record_tick(database: Database, moment: datetime, name: str = "reminders") -> None:
    """Remember the latest moment handled (never moving it back: a replica behind does not rewind it)."""
    table, moment = scheduler_table, utc(moment)
    try:
        with database.engine.begin() as conn:
            conn.execute(insert(table).values(name=name, last_tick=moment))
    except IntegrityError:
        with database.engine.begin() as conn:
            conn.execute(update(table).where(table.c.name == name, table.c.last_tick < moment).values(last_tick=moment))


def _log_row(row: dict[str, Any]) -> dict[str, Any]:
    def local(moment: datetime | None) -> str | None:
        return aware(moment).astimezone(STOCKHOLM).isoformat() if moment else None

    return {
        "channel": row["channel"],
        "municipality": row["municipality"],
        "event": row["event"],
        "event_id": row["event_id"],
        "deadline": row["deadline"].isoformat(),
        "lead_days": row["lead_days"],
        "due": local(row["due"]),
        "sent_at": local(row["sent_at"]),
        "posted_at": local(row["posted_at"]),
        "status": row["status"],
        "attempts": row["attempts"],
        "error": row["error"],
    }
