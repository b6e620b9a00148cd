"""The reminders' records: subscriptions, the marks people set with the buttons (Klar, Påminn i morgon),
and the ledger whose primary key is each reminder's key, so several processes agree on what has been
sent (`bot.reminders.scheduler`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from bot.db import Database, aware, metadata, pseudonym, row_json, utc
from bot.errors import BadLeadDays, SubscriptionEnded
from bot.reminders.planning import (
    DEFAULT_LEAD_DAYS,
    MAX_LEAD_DAYS,
    POST_AT,
    SNOOZE,
    Reminder,
    ReminderRef,
    Subscription,
)
from rules import Rulebook
from rules.calendar import (
    STOCKHOLM,
    occurrences_between,
    working_day_on_or_after,
)
from rules.tags import normal_tags

OPEN = ("posting", "retry")  # not finished: may still be sent
FINISHED = ("sent", "failed", "missed", "superseded", "done")


# Subscriptions ----------------------------------------------------------------------------------------


subscriptions_table = Table(
    "reminder_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(64), nullable=False),  # a Slack channel id, or a person's id for a DM
    Column("municipality", String(64), nullable=False),
    Column("tags", Text, nullable=False),  # JSON list; empty: every event
    Column("lead_days", Text, nullable=False),  # JSON list of days before the deadline
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("channel", "municipality", name="one_subscription_per_channel_and_municipality"),
)


# One row per (subscription, event occurrence, lead): the key makes a reminder at most once, whoever sends it.
ledger_table = Table(
    "reminder_ledger",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("subscription_id", Integer, nullable=False, index=True),
    Column("channel", String(64), nullable=False),
    Column("municipality", String(64), nullable=False),
    Column("event_id", String(100), nullable=False),
    Column("event", Text, nullable=False),  # the event's title when it was planned
    Column("deadline", Date, nullable=False),
    Column("lead_days", Integer, nullable=False),
    Column("due", DateTime(timezone=True), nullable=False),  # when it was meant to be posted
    Column("status", String(16), nullable=False),  # posting, sent, retry, failed, missed, superseded, done
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),  # on the scheduler's clock (simulated or real)
    Column("posted_at", DateTime(timezone=True), nullable=True),  # on the wall clock
    Column("message_ts", String(32), nullable=True),
    Column("error", Text, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# What people did with a reminder in Slack: "Klar" (kind done: no more reminders of that occurrence to that
# subscription) or "Påminn i morgon" (kind snooze: one more reminder at `due`).
marks_table = Table(
    "reminder_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, nullable=False),
    Column("event_id", String(100), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("kind", String(16), nullable=False),  # done, snooze
    Column("due", DateTime(timezone=True), nullable=False),  # snooze: when to remind; done: when marked
    Column("person", String(64), nullable=False),  # sha256 of the person's id, like feedback
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("subscription_id", "event_id", "deadline", "kind", "due", name="one_mark_per_moment"),
)


# The scheduler's progress: the last moment it has handled, so a restart catches up from there.
scheduler_table = Table(
    "reminder_scheduler",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("last_tick", DateTime(timezone=True), nullable=False),
)


def subscribe(
    database: Database, channel: str, municipality: str, tags: Iterable[str] = (), lead_days: Iterable[int] = ()
) -> Subscription:
    """Subscribe a channel to a municipality's årshjul; subscribing again replaces tags and lead days."""
    days = tuple(sorted({int(d) for d in lead_days}, reverse=True)) or DEFAULT_LEAD_DAYS
    if any(d < 1 or d > MAX_LEAD_DAYS for d in days):
        raise BadLeadDays(MAX_LEAD_DAYS)
    chosen = normal_tags(tags)
    values = {"tags": json.dumps(chosen), "lead_days": json.dumps(days), "active": True}
    key = {"channel": channel, "municipality": municipality}
    database.insert_or_update(subscriptions_table, key, {**values, "created_at": datetime.now(UTC)}, values)
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
    row = {
        "subscription_id": ref.subscription_id,
        "event_id": ref.event_id,
        "deadline": ref.deadline,
        "kind": kind,
        "due": utc(due),
        "person": pseudonym(person),
        "created_at": datetime.now(UTC),
    }
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
    due = datetime.combine(
        working_day_on_or_after(now.astimezone(STOCKHOLM).date() + timedelta(days=1)), POST_AT, STOCKHOLM
    )
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
        event = rulebook.event(event_id)
        for occurrence in occurrences_between([event] if event else [], deadline, deadline, rulebook.anchors):
            if occurrence.end == deadline:
                local = aware(due).astimezone(STOCKHOLM)
                reminder = Reminder(subscription, occurrence, (deadline - local.date()).days, local, snoozed=True)
                if local < reminder.closes:
                    found.append(reminder)
    return found


# The ledger -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    """A reminder that was attempted or decided; its moments in Europe/Stockholm."""

    channel: str
    municipality: str
    event: str
    event_id: str
    deadline: date
    lead_days: int
    due: datetime
    sent_at: datetime | None
    posted_at: datetime | None
    status: str
    attempts: int
    error: str | None

    def to_json(self) -> dict[str, Any]:
        """The contract's log object (`styrbot reminders log --json`)."""
        return row_json(self)


class Ledger:
    """The reminders' rows in the database: what was sent, when, and what is still open."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def open_row(self, reminder: Reminder, now: datetime) -> None:
        """Make the reminder's row if it has none (status retry, nothing attempted yet)."""
        o = reminder.occurrence
        row = {
            "key": reminder.key,
            "subscription_id": reminder.subscription.id,
            "channel": reminder.subscription.channel,
            "municipality": reminder.subscription.municipality,
            "event_id": o.event.id,
            "event": o.event.title,
            "deadline": o.end,
            "lead_days": reminder.lead,
            "due": utc(reminder.due),
            "status": "retry",
            "attempts": 0,
            "next_attempt": utc(reminder.due),
            "updated_at": utc(now),
        }
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
                query = select(ledger_table.c.key).where(
                    ledger_table.c.key.in_(part), ledger_table.c.status.in_(FINISHED)
                )
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
            query = select(t.c.id).where(
                t.c.subscription_id == subscription_id,
                t.c.event_id == event_id,
                t.c.deadline == deadline,
                t.c.kind == "done",
            )
            return conn.execute(query.limit(1)).first() is not None

    def log(self) -> list[LedgerEntry]:
        """Every row that was attempted or decided, in due order."""
        t = ledger_table
        with self.database.engine.connect() as conn:
            query = select(t).where(or_(t.c.attempts > 0, t.c.status.in_(FINISHED))).order_by(t.c.due, t.c.key)
            rows = conn.execute(query).mappings().all()
        return [_entry(r) for r in rows]

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
    last = {"last_tick": moment}
    database.insert_or_update(table, {"name": name}, last, last, only_if=table.c.last_tick < moment)


def _entry(row: RowMapping) -> LedgerEntry:
    def local(moment: datetime | None) -> datetime | None:
        return aware(moment).astimezone(STOCKHOLM) if moment else None

    due = local(row["due"])
    assert due is not None
    return LedgerEntry(
        channel=row["channel"],
        municipality=row["municipality"],
        event=row["event"],
        event_id=row["event_id"],
        deadline=row["deadline"],
        lead_days=row["lead_days"],
        due=due,
        sent_at=local(row["sent_at"]),
        posted_at=local(row["posted_at"]),
        status=row["status"],
        attempts=row["attempts"],
        error=row["error"],
    )
