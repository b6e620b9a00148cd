"""The database (SQLAlchemy Core): feedback on answers, the chat events already handled (Slack's events and
Teams' activities, in the table first made for Slack's: `slack_events`), the question log
and the shared question limit here; a feature with tables of its own defines them on `metadata` in its
store (the reminders: `bot.reminders.store`), named in FEATURE_TABLES so every database has them.

SQLite in the data directory by default; any SQLAlchemy URL through `STYRBOT_DATABASE_URL`, such as
PostgreSQL (`postgresql+psycopg://…`) when several replicas share one database. Uniqueness is left to the
database (primary keys and unique constraints), so replicas agree without talking to each other: an event
id is claimed by exactly one of them, and a person has one vote per answer however often they click.

Feedback keeps the question and the answer's sources (what is needed to improve the answer), but the
person only as a one-way hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.elements import ColumnElement

DATABASE_FILE = "styrbot.db"
EVENT_MEMORY = timedelta(days=1)  # Slack retries within minutes; an event id older than this is forgotten
PRUNE_EVERY = 500  # claims between two prunings of old event ids
VOTES = ("up", "down")
SCHEMA_LOCK = 0x5354_5952_424F_54  # "STYRBOT": the advisory lock replicas take while creating tables
FEATURE_TABLES = ("bot.reminders.store", "bot.conversations.store")  # modules defining tables on `metadata`

metadata = MetaData()

feedback_table = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_ref", String(200), nullable=False),  # where the answer was shown: "slack:C123:1700.0001"
    Column("voter", String(64), nullable=False),  # sha256 of the person's id, never the id itself
    Column("vote", String(8), nullable=False),
    Column("channel", String(32), nullable=False),  # "slack", "web"
    Column("kind", String(32), nullable=False),
    Column("municipality", String(64), nullable=False),
    Column("question", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of "source#page"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("answer_ref", "voter", name="one_vote_per_answer"),
)

slack_events_table = Table(
    "slack_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)


# The opt-in question log (STYRBOT_LOG_QUESTIONS): what was asked and how it was answered, no person, kept
# for a limited time (STYRBOT_QUESTION_LOG_DAYS), so officials can see what the documents do not answer.
question_log_table = Table(
    "question_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("municipality", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("abstained", Boolean, nullable=False),
    Column("reason", String(64), nullable=True),
    Column("question", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of "source#page"
)

# The question limit's token buckets when replicas share PostgreSQL: one row per client, counted on the
# database's clock so that replicas' clocks never matter; a row idle for two minutes is deleted.
rate_table = Table(
    "rate_buckets",
    metadata,
    Column("client", String(64), primary_key=True),  # sha256 of the address, never the address itself
    Column("tokens", Float, nullable=False),
    Column("counted_at", Float, nullable=False),  # seconds since the epoch, the database's clock
    Column("allowed", Boolean, nullable=False),  # whether the last request was let through
)
RATE_IDLE_SECONDS = 120.0
_TAKE = text("""
    insert into rate_buckets as b (client, tokens, counted_at, allowed)
    values (:client, :capacity - 1, extract(epoch from clock_timestamp()), true)
    on conflict (client) do update set
        tokens = least(:capacity, b.tokens + (excluded.counted_at - b.counted_at) * :rate)
                 - case when least(:capacity, b.tokens + (excluded.counted_at - b.counted_at) * :rate) >= 1
                        then 1 else 0 end,
        allowed = least(:capacity, b.tokens + (excluded.counted_at - b.counted_at) * :rate) >= 1,
        counted_at = excluded.counted_at
    returning tokens, allowed
""")


@dataclass(frozen=True)
class Feedback:
    """One person's 👍 or 👎 on one shown answer."""

    answer_ref: str
    voter: str  # the person's id as the channel knows it; stored hashed
    vote: str  # "up" or "down"
    channel: str = "slack"
    kind: str = ""
    municipality: str = ""
    question: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}, not {self.vote!r}")


@dataclass(frozen=True)
class StoredVote:
    """A vote as it is kept (the person only as a hash, which is never handed out)."""

    answer_ref: str
    vote: str
    channel: str
    kind: str
    municipality: str
    question: str
    sources: tuple[str, ...]
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """As `styrbot feedback --json` prints it."""
        return row_json(self)


@dataclass(frozen=True)
class LoggedQuestion:
    """A question of the opt-in question log, and how it was answered."""

    id: int
    asked_at: datetime
    channel: str
    municipality: str
    kind: str
    abstained: bool
    reason: str | None
    question: str
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """As `styrbot questions --json` prints it."""
        return row_json(self)


def row_json(row: Any) -> dict[str, Any]:
    """A stored row (a dataclass) as JSON: moments and dates in ISO 8601, tuples as lists."""
    plain = dataclasses.asdict(row)
    return {
        name: value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple) else value
        for name, value in plain.items()
    }


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The configured URL, or SQLite in the data directory."""
    return url or f"sqlite:///{(data_dir / DATABASE_FILE).resolve()}"


class Database:
    """Styrbot's tables on one SQLAlchemy engine; safe to share between threads."""

    def __init__(self, url: str) -> None:
        sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(
            url,
            # PostgreSQL: a server that does not answer is an error in seconds (readiness, the question
            # limit), not a hang; waiting for a pooled connection is bounded the same way
            connect_args={"timeout": 30} if sqlite else {"connect_timeout": 5},
            pool_pre_ping=not sqlite,
            **({} if sqlite else {"pool_timeout": 10}),
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            path = self.engine.url.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._create_tables()
        self._claims = 0
        self._takes = 0

    @classmethod
    def open(cls, data_dir: Path, url: str | None = None) -> Database:
        return cls(database_url(data_dir, url))

    def _create_tables(self) -> None:
        """Create what is missing. Replicas starting at once take turns: on PostgreSQL under a transaction
        advisory lock (two concurrent CREATE TABLEs collide in the catalogue), on SQLite by retrying."""
        for module in FEATURE_TABLES:
            importlib.import_module(module)  # defines its tables on `metadata`
        if self.engine.dialect.name == "postgresql":
            with self.engine.begin() as conn:
                conn.execute(text("select pg_advisory_xact_lock(:n)"), {"n": SCHEMA_LOCK})
                metadata.create_all(conn)
            return
        try:
            metadata.create_all(self.engine)
        except (IntegrityError, OperationalError):  # another process created them at the same moment
            metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def insert_or_update(
        self,
        table: Table,
        key: Mapping[str, Any],
        inserted: Mapping[str, Any],
        updated: Mapping[str, Any],
        only_if: ColumnElement[bool] | None = None,
    ) -> None:
        """Insert the row with `key` and `inserted`; when the key is taken (an earlier row, or another
        replica's at the same moment) set `updated` on that row instead (only where `only_if` holds)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(table).values(**key, **inserted))
        except IntegrityError:
            condition = [table.c[name] == value for name, value in key.items()]
            condition += [] if only_if is None else [only_if]
            with self.engine.begin() as conn:
                conn.execute(update(table).where(*condition).values(**updated))

    # chat events (Slack's, Teams')

    def claim_event(self, event_id: str) -> bool:
        """True for the first claim of an event id, by whichever process or thread; False ever after."""
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(slack_events_table).values(event_id=event_id, seen_at=now))
        except IntegrityError:
            return False
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            with self.engine.begin() as conn:
                conn.execute(delete(slack_events_table).where(slack_events_table.c.seen_at < now - EVENT_MEMORY))
        return True

    # The question limit, shared by replicas

    @property
    def shared(self) -> bool:
        """Whether other processes may use this database at the same time (PostgreSQL)."""
        return self.engine.dialect.name == "postgresql"

    def take_token(self, client: str, capacity: float, rate: float) -> float:
        """Spend one of a client's tokens in the bucket every replica shares (PostgreSQL only): 0.0 when
        allowed, otherwise the seconds until a token is back. One statement, so two replicas never both
        spend the last token."""
        with self.engine.begin() as conn:
            tokens, allowed = conn.execute(
                _TAKE, {"client": pseudonym(client), "capacity": capacity, "rate": rate}
            ).one()
            self._takes += 1
            if self._takes % PRUNE_EVERY == 0:
                idle = text("delete from rate_buckets where counted_at < extract(epoch from clock_timestamp()) - :s")
                conn.execute(idle, {"s": RATE_IDLE_SECONDS})
        return 0.0 if allowed else (1.0 - float(tokens)) / rate

    # Feedback

    def record_feedback(self, item: Feedback) -> None:
        """Store a vote; a person's later click on the same answer replaces their earlier one."""
        now = datetime.now(UTC)
        row = {
            "answer_ref": item.answer_ref,
            "voter": pseudonym(item.voter),
            "vote": item.vote,
            "channel": item.channel,
            "kind": item.kind,
            "municipality": item.municipality,
            "question": item.question,
            "sources": json.dumps(list(item.sources), ensure_ascii=False),
            "updated_at": now,
        }
        table = feedback_table
        key = {"answer_ref": row.pop("answer_ref"), "voter": row.pop("voter")}
        self.insert_or_update(table, key, {**row, "created_at": now}, {"vote": item.vote, "updated_at": now})

    def feedback(self) -> list[StoredVote]:
        """Every stored vote, oldest first."""
        table = feedback_table
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
        return [
            StoredVote(
                answer_ref=r["answer_ref"],
                vote=r["vote"],
                channel=r["channel"],
                kind=r["kind"],
                municipality=r["municipality"],
                question=r["question"],
                sources=tuple(json.loads(r["sources"])),
                created_at=aware(r["created_at"]),
                updated_at=aware(r["updated_at"]),
            )
            for r in rows
        ]

    # The question log

    def log_question(self, row: dict[str, Any], keep: timedelta) -> None:
        """Store one asked question; rows older than `keep` are deleted in the same transaction."""
        table = question_log_table
        with self.engine.begin() as conn:
            values = row | {
                "asked_at": utc(row["asked_at"]),
                "sources": json.dumps(list(row["sources"]), ensure_ascii=False),
            }
            conn.execute(insert(table).values(**values))
            _purge_questions(conn, keep)

    def purge_questions(self, keep: timedelta) -> int:
        """Delete logged questions older than `keep`; how many went."""
        with self.engine.begin() as conn:
            return _purge_questions(conn, keep)

    def questions(self, unanswered: bool = False) -> list[LoggedQuestion]:
        """The logged questions, oldest first (only the abstentions with `unanswered`)."""
        table = question_log_table
        query = select(table).order_by(table.c.asked_at, table.c.id)
        if unanswered:
            query = query.where(table.c.abstained.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            LoggedQuestion(**(dict(r) | {"asked_at": aware(r["asked_at"]), "sources": tuple(json.loads(r["sources"]))}))
            for r in rows
        ]

    def ping(self) -> None:
        """Raise if the database cannot be reached (readiness)."""
        with self.engine.connect() as conn:
            conn.execute(text("select 1"))


def _purge_questions(conn: Any, keep: timedelta) -> int:
    table = question_log_table
    return int(conn.execute(delete(table).where(table.c.asked_at < datetime.now(UTC) - keep)).rowcount)


def pseudonym(person: str) -> str:
    return hashlib.sha256(person.encode()).hexdigest()


def utc(moment: datetime) -> datetime:
    """A moment as UTC for storing: SQLite keeps no offset, so every stored time is UTC."""
    return moment.astimezone(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; NORMAL sync is durable enough with WAL."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
