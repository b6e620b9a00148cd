"""The database: event ids claimed once across threads and connections, votes stored one per person, on
SQLite and on a real PostgreSQL (tests/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.db import Database, Feedback, database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = str(request.getfixturevalue("postgres_url")) if request.param == "postgresql" else None
    database = Database.open(tmp_path / "data", url)
    yield database
    database.close()


def test_the_default_database_is_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    assert database_url(tmp_path) == f"sqlite:///{tmp_path.resolve() / 'styrbot.db'}"
    assert database_url(tmp_path, "postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    Database.open(tmp_path / "new" / "dir").close()
    assert (tmp_path / "new" / "dir" / "styrbot.db").is_file()


def test_an_event_id_is_claimed_exactly_once_by_many_threads_and_two_engines(db: Database) -> None:
    other = Database(db.engine.url.render_as_string(hide_password=False))  # a second replica, same database
    claimers = [db, other] * 10
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda d: d.claim_event("Ev42"), claimers))
    assert results.count(True) == 1
    assert db.claim_event("Ev43") and not other.claim_event("Ev43")
    other.close()


def test_a_later_vote_replaces_the_same_persons_earlier_one(db: Database) -> None:
    vote = Feedback(
        "slack:C1:1.1",
        "slack:T1:U1",
        "down",
        kind="retrieval",
        municipality="tranemo",
        question="Vad är en dialog?",
        sources=("004.pdf#3",),
    )
    db.record_feedback(vote)
    db.record_feedback(Feedback("slack:C1:1.1", "slack:T1:U1", "up"))
    db.record_feedback(Feedback("slack:C1:1.1", "slack:T1:U2", "down", question="Vad är en dialog?"))
    rows = db.feedback()
    assert [r.vote for r in rows] == ["up", "down"]
    assert rows[0].question == "Vad är en dialog?" and rows[0].sources == ("004.pdf#3",)
    assert rows[0].updated_at >= rows[0].created_at and rows[0].created_at.utcoffset() is not None
    assert rows[0].to_json()["created_at"].endswith("+00:00") and rows[0].to_json()["sources"] == ["004.pdf#3"]


def test_a_vote_is_up_or_down() -> None:
    with pytest.raises(ValueError, match="vote"):
        Feedback("slack:C1:1.1", "U1", "maybe")


def test_replicas_starting_at_once_on_an_empty_postgresql_all_get_the_tables(postgres_url: str) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        replicas = list(pool.map(lambda _: Database(postgres_url), range(6)))
    assert all(r.claim_event("Ev1") is (i == 0) for i, r in enumerate(replicas))
    for replica in replicas:
        replica.close()
