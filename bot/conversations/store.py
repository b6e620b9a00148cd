"""The turns of conversations, in the database every replica shares, so that a follow-up in a Slack thread
may land on any replica (`bot.conversations`).

A turn keeps only what the next follow-up needs: the question as it was understood (a follow-up made
whole), the municipality, the answer's kind, the facts that name its subject and source, and its
citations. Conversations are keyed by a pseudonym of where they are held (a Slack thread, a DM, a page's
conversation id), never by a person; turns older than the retention setting
(`STYRBOT_CONVERSATION_DAYS`) are deleted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, Table, Text, delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.answering import Citation
from bot.db import Database, aware, metadata, pseudonym, utc

PURGE_EVERY = 200  # turns stored between two deletions of expired ones
CITATION_CHARS = 600  # of a cited passage: enough to quote it again when asked where it says so
KEPT_FACTS = (
    "event",
    "event_id",
    "body",
    "actor",
    "basis",
    "matter",
    "local",
    "date",
    "rule",
    "reason",
    "who",
    "series",
    "step",
)

turns_table = Table(
    "conversation_turns",
    metadata,
    Column("conversation", String(64), primary_key=True),  # sha256 of where it is held, never a person
    Column("number", Integer, primary_key=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("question", Text, nullable=False),  # as understood: a follow-up made whole
    Column("municipality", String(64), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("abstained", Integer, nullable=False),
    Column("facts", Text, nullable=False),  # JSON: KEPT_FACTS of the answer's facts
    Column("citations", Text, nullable=False),  # JSON: source, title, page, section, text (cut)
)


@dataclass(frozen=True)
class Turn:
    """One answered question of a conversation, as the next follow-up reads it."""

    question: str
    municipality: str | None
    kind: str
    abstained: bool
    facts: dict[str, Any]
    citations: tuple[Citation, ...]
    asked_at: datetime


class TurnStore:
    """Conversation turns in the shared database, deleted after `keep`."""

    def __init__(self, database: Database, keep: timedelta) -> None:
        self.database = database
        self.keep = keep
        self._stored = 0
        self.purge()

    def recent(self, conversation: str, limit: int = 4) -> list[Turn]:
        """The conversation's last turns within the retention, latest first."""
        table = turns_table
        query = (
            select(table)
            .where(table.c.conversation == pseudonym(conversation), table.c.asked_at >= datetime.now(UTC) - self.keep)
            .order_by(table.c.number.desc())
            .limit(limit)
        )
        with self.database.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_turn(row) for row in rows]

    def add(self, conversation: str, turn: Turn) -> None:
        """Store a turn after the conversation's last; a turn another replica stored at the same moment
        keeps its number and this one takes the next."""
        table = turns_table
        key = pseudonym(conversation)
        row = {
            "conversation": key,
            "asked_at": utc(turn.asked_at),
            "question": turn.question,
            "municipality": turn.municipality,
            "kind": turn.kind,
            "abstained": int(turn.abstained),
            "facts": json.dumps({k: v for k, v in turn.facts.items() if k in KEPT_FACTS}, ensure_ascii=False),
            "citations": json.dumps([c.__dict__ for c in turn.citations], ensure_ascii=False),
        }
        for _ in range(5):
            with self.database.engine.connect() as conn:
                last = conn.execute(
                    select(table.c.number).where(table.c.conversation == key).order_by(table.c.number.desc()).limit(1)
                ).scalar()
            try:
                with self.database.engine.begin() as conn:
                    conn.execute(insert(table).values(**row, number=(last or 0) + 1))
                break
            except IntegrityError:
                continue
        self._stored += 1
        if self._stored % PURGE_EVERY == 0:
            self.purge()

    def purge(self) -> int:
        """Delete the turns older than the retention; how many went."""
        table = turns_table
        with self.database.engine.begin() as conn:
            return int(conn.execute(delete(table).where(table.c.asked_at < datetime.now(UTC) - self.keep)).rowcount)


def kept(cited: Citation) -> Citation:
    """A citation as kept: its passage cut to CITATION_CHARS."""
    return dataclasses.replace(cited, text=cited.text[:CITATION_CHARS])


def _turn(row: Any) -> Turn:
    return Turn(
        question=row["question"],
        municipality=row["municipality"],
        kind=row["kind"],
        abstained=bool(row["abstained"]),
        facts=json.loads(row["facts"]),
        citations=tuple(Citation(**c) for c in json.loads(row["citations"])),
        asked_at=aware(row["asked_at"]),
    )
