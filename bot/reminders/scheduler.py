"""The reminder scheduler: wakes at 08:30 on working days (Europe/Stockholm), posts what is due, once.

The same loop runs in real time (inside `styrbot serve`, or alone as `styrbot reminders run`) and on a
simulated clock (`--simulate-from/--simulate-to`), where it walks through the period at once, posting
for real through the configured Slack Web API and recording to the real database.

Exactly once, across threads, processes and crashes:
- every reminder has a ledger row keyed by (subscription, event occurrence, lead);
- a reminder is posted only while holding a lock on its key that dies with its holder (a PostgreSQL
  session advisory lock; on SQLite, an flock on a file beside the database);
- the row says "posting" before the post and "sent" after. A holder killed between the two leaves
  "posting" behind; whoever takes the lock next looks in the channel's history for the message (each
  carries its key as Slack message metadata) before posting again;
- a post whose reply is lost (a dropped connection, a reply slower than the client waits, a 5xx) may
  still have been taken: the channel is searched at once, and again before any later attempt, and a
  reminder is never posted again while the channel cannot be searched. The Web API client retries only
  Slack's 429 (Retry-After), which says the post was not taken; never a post whose outcome is unknown.
A reminder that fails is tried again later while its deadline has not passed.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text

from bot import metrics
from bot.db import Database, aware
from bot.reminders.planning import Reminder, next_slot, plan
from bot.reminders.store import FINISHED, Ledger, last_tick, record_tick, snoozed, subscriptions
from bot.settings import Settings
from rules import RulesEngine, UnknownMunicipality
from rules.calendar import STOCKHOLM, is_working_day
from rules.source import RulesSource, as_source

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=30)  # a post that failed after the client's own retries waits this long
LOOK_BACK = timedelta(minutes=10)  # how long before an attempt was recorded its message may have been posted
IDLE_CHECK = 300.0  # seconds between wake-ups while waiting for the next slot in real time


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep_until(self, moment: datetime, stop: threading.Event) -> bool:
        """Wait until `moment` (or less, see `IDLE_CHECK`); False when asked to stop."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(STOCKHOLM)

    def sleep_until(self, moment: datetime, stop: threading.Event) -> bool:
        wait = (moment - self.now()).total_seconds()
        return not stop.wait(min(max(wait, 0.0), IDLE_CHECK))


class SimulatedClock:
    """A clock that jumps to whatever moment is waited for: a year passes in seconds."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def sleep_until(self, moment: datetime, stop: threading.Event) -> bool:
        self._now = max(self._now, moment)
        return not stop.is_set()


class Poster(Protocol):
    """Where reminders go: `post` returns the message's id; `find` looks for one posted before."""

    def post(self, reminder: Reminder, now: datetime) -> str: ...

    def find(self, reminder: Reminder, since: datetime) -> str | None: ...


class KeyLocks:
    """One lock per reminder key that is released when its holder dies, even by SIGKILL."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._postgres = database.engine.dialect.name == "postgresql"
        path = database.engine.url.database if database.engine.dialect.name == "sqlite" else None
        self._file = Path(path + ".reminders.lock") if path and path != ":memory:" else None
        self._thread_lock = threading.Lock()

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        if self._postgres:
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            with self.database.engine.connect() as conn:
                conn.execute(text("select pg_advisory_lock(:n)"), {"n": number})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("select pg_advisory_unlock(:n)"), {"n": number})
                    conn.commit()
        elif self._file is not None:  # SQLite: one machine, so one file lock for all keys is enough
            with self._file.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            with self._thread_lock:
                yield


@dataclass
class TickReport:
    """What one wake-up did."""

    moment: datetime
    sent: int = 0
    failed: int = 0
    skipped: int = 0


class ReminderScheduler:
    """Plans each subscription's due reminders at each slot and delivers them through the ledger."""

    def __init__(
        self,
        database: Database,
        rules: RulesSource | RulesEngine,
        poster: Poster,
        clock: Clock | None = None,
        on_tick: Callable[[TickReport], None] | None = None,
        keep: timedelta = timedelta(days=Settings.reminder_log_days),  # a row, after its deadline
    ) -> None:
        self.database = database
        self.keep = keep
        self.rules = as_source(rules)
        self.poster = poster
        self.clock = clock or SystemClock()
        self.ledger = Ledger(database)
        self.locks = KeyLocks(database)
        self.on_tick = on_tick
        self._since: datetime | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        """Run in a thread while the block runs (beside the web server, or beside Socket Mode); stopped and
        waited for when it ends. A scheduler that fails stops with its error in the log, never the host."""

        def run() -> None:
            try:
                self.run(stop=stop)
            except Exception:
                log.exception("the reminder scheduler stopped")

        stop = threading.Event()
        thread = threading.Thread(target=run, name="styrbot-reminders", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(30)

    def run(self, until: datetime | None = None, stop: threading.Event | None = None) -> None:
        """Wake at each slot (and for retries) until `until` or until `stop` is set."""
        stop = stop or threading.Event()
        now = self.clock.now()
        stored = last_tick(self.database)
        self._since = stored if stored is not None and stored < now else now  # catch up after downtime
        while not stop.is_set():
            target = self._next_wake()
            if until is not None and target > until:
                return
            if not self.clock.sleep_until(target, stop):
                return
            now = self.clock.now()
            if now < target:
                continue  # woke early to look around (real time): nothing is due yet
            report = self.tick(now)
            if self.on_tick is not None:
                self.on_tick(report)

    def _next_wake(self) -> datetime:
        assert self._since is not None
        now = self.clock.now()
        target = next_slot(self._since)
        if target <= now:  # a slot passed while we were down: catch up now if today is a working day
            target = now if is_working_day(now.date()) else next_slot(now)
        retry = self.ledger.next_retry()
        if retry is not None and self._since < retry < target:
            target = max(retry, now)
        return target

    def tick(self, now: datetime) -> TickReport:
        """Deliver every reminder due in (last tick, now] that is not finished; only the latest reminder of
        an occurrence when several are due at once (after downtime), the earlier ones superseded."""
        report = TickReport(now)
        since = self._since or now
        open_due = self.ledger.earliest_open_due()
        horizon = min(since, open_due - timedelta(seconds=1)) if open_due else since
        rules = self.rules()  # read per tick: a changed profile re-plans
        for subscription in subscriptions(self.database):
            try:
                rulebook = rules.rulebook(subscription.municipality)
            except UnknownMunicipality:
                log.error("subscription %s: unknown municipality %r", subscription.id, subscription.municipality)
                continue
            asked = snoozed(self.database, subscription, rulebook, horizon, now)
            due = sorted([*plan(subscription, rulebook, horizon, now), *asked], key=lambda r: r.due)
            finished = self.ledger.finished(r.key for r in due)
            latest: dict[tuple[int, str, Any], Reminder] = {}
            for reminder in (r for r in due if r.key not in finished):
                earlier = latest.get(reminder.occurrence_key)
                if earlier is not None:
                    self.ledger.open_row(earlier, _wall())
                    self.ledger.update(earlier.key, status="superseded", updated_at=_wall())
                latest[reminder.occurrence_key] = reminder
            for reminder in latest.values():
                outcome = self.deliver(reminder, now)
                report.sent += outcome == "sent"
                report.failed += outcome in ("retry", "failed")
                report.skipped += outcome not in ("sent", "retry", "failed")
        self._since = now
        record_tick(self.database, now)
        self.ledger.forget_before(now - self.keep)  # nothing is posted after its deadline: old rows are history
        return report

    def deliver(self, reminder: Reminder, now: datetime) -> str:
        """Post one reminder unless it is finished; the row's status afterwards."""
        ledger, key = self.ledger, reminder.key
        if ledger.occurrence_done(reminder.subscription.id, reminder.occurrence.event.id, reminder.occurrence.end):
            ledger.open_row(reminder, _wall())
            ledger.update(key, status="done", updated_at=_wall())
            return "done"
        ledger.open_row(reminder, _wall())
        with self.locks.hold(key):
            row = ledger.row(key)
            assert row is not None
            if row["status"] in FINISHED:
                return str(row["status"])
            if row["attempts"] and row["next_attempt"] and aware(row["next_attempt"]) > now:
                return "retry"  # not yet
            if now >= reminder.closes:
                status = "failed" if row["attempts"] else "missed"
                ledger.update(key, status=status, updated_at=_wall())
                metrics.REMINDERS.labels(status).inc()
                return status
            if row["attempts"]:  # an earlier attempt may have reached Slack though its reply never reached us
                looked, found = self._find(reminder, aware(row["updated_at"]) - LOOK_BACK)
                if found is not None:
                    return self._sent(key, now, found)
                if not looked:  # posting without knowing could post it twice: wait, and look again
                    return self._retry(key, now, "could not look in the channel for an earlier attempt")
            started = _wall()
            ledger.update(key, status="posting", attempts=row["attempts"] + 1, updated_at=started)
            try:
                ts = self.poster.post(reminder, now)
            except Exception as exc:
                log.warning("reminder %s to %s failed: %s", key, reminder.subscription.channel, exc)
                # Slack may have taken the post and lost its reply (a dropped connection, a timeout)
                _, found = self._find(reminder, started - LOOK_BACK)
                if found is not None:
                    return self._sent(key, now, found)
                return self._retry(key, now, str(exc))
            return self._sent(key, now, ts)

    def _sent(self, key: str, now: datetime, ts: str) -> str:
        self.ledger.update(
            key, status="sent", sent_at=now, posted_at=_wall(), message_ts=ts, error=None, updated_at=_wall()
        )
        metrics.REMINDERS.labels("sent").inc()
        return "sent"

    def _retry(self, key: str, now: datetime, error: str) -> str:
        self.ledger.update(key, status="retry", next_attempt=now + RETRY_AFTER, error=error[:500], updated_at=_wall())
        metrics.REMINDERS.labels("retry").inc()
        return "retry"

    def _find(self, reminder: Reminder, since: datetime) -> tuple[bool, str | None]:
        """Whether the channel could be searched, and the message of this reminder posted since `since`."""
        try:
            return True, self.poster.find(reminder, since)
        except Exception:
            log.warning("could not look for reminder %s in Slack", reminder.key, exc_info=True)
            return False, None


def _wall() -> datetime:
    return datetime.now(UTC)
