"""Årshjul reminders: when they are due, and that the real scheduler posts each of them once.

The scheduler, the rules, the database (SQLite in a temp dir) and the Web API client are real; Slack's
Web API is the recording stand-in of tests/slack_api.py, which can also refuse posts (429, 500) and
serves `conversations.history` from what was posted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time as clock
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest
from click.testing import CliRunner
from prometheus_client import REGISTRY

import rules
from bot.cli import main
from bot.db import Database
from bot.reminders import Ledger, Reminder, due_at, plan, subscribe, subscriptions
from bot.reminders.scheduler import SimulatedClock, TickReport
from bot.settings import Settings
from bot.slack import reminder_scheduler
from rules import RulesEngine
from rules.calendar import STOCKHOLM
from rules.source import RulesSource
from tests.services import services
from tests.slack_api import SlackApi

YEAR = 2027
DAYS_OFF = holidays.Sweden(years=range(2026, 2029), language="sv", categories=("public", "de_facto"))


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in DAYS_OFF


def _back_to_working(day: date) -> date:
    while not _working(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    db = Database.open(data_dir)
    yield db
    db.close()


def _scheduler(engine: RulesEngine, database: Database, slack_api: SlackApi, start: date) -> Any:
    settings = Settings(data_dir=Path("unused"), slack_bot_token="xoxb-test", slack_api_url=slack_api.url)
    clock = SimulatedClock(datetime.combine(start, time(0), STOCKHOLM))
    return reminder_scheduler(services(engine, database=database, settings=settings), clock)


def _until(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), STOCKHOLM)


def _expected(engine: RulesEngine, municipality: str, first: date, last: date, leads: tuple[int, ...]) -> set[tuple]:
    """What a secretary would expect, worked out here without the planner: for each dated event with a
    deadline day, a reminder `lead` days before and on the day itself, moved back to a working day, within
    the period; two that land on one day are one."""
    found = set()
    for item in engine.upcoming(municipality, first, last + timedelta(days=60)):
        occurrence = item.occurrence
        if occurrence.precision != "day":
            continue
        for lead in (*leads, 0):
            day = _back_to_working(occurrence.end - timedelta(days=lead))
            if first <= day <= last:
                found.add((occurrence.event.id, occurrence.end, day))
    return found


def _event_tags(engine: RulesEngine, municipality: str) -> dict[str, tuple[str, ...]]:
    return {e.id: e.tags for e in engine.rulebook(municipality).events}


def _posted(slack_api: SlackApi) -> list[tuple[str, str]]:
    """(key, channel) of every message Slack accepted."""
    return [(m["metadata"]["event_payload"]["key"], m["channel"]) for m in slack_api.delivered()]


def test_a_reminder_on_a_weekend_or_holiday_moves_to_the_working_day_before(engine: RulesEngine) -> None:
    rulebook = engine.rulebook("exempelkommun")
    [budget] = [
        i.occurrence
        for i in engine.upcoming("exempelkommun", date(YEAR, 10, 1), date(YEAR, 10, 31))
        if i.occurrence.event.id == "budget_proposal"
    ]
    assert budget.end == date(YEAR, 10, 31) and budget.end.weekday() == 6  # a Sunday
    assert due_at(budget, 0) == datetime(YEAR, 10, 29, 8, 30, tzinfo=STOCKHOLM)  # Friday
    assert due_at(budget, 2) == datetime(YEAR, 10, 29, 8, 30, tzinfo=STOCKHOLM)
    assert due_at(budget, 14) == datetime(YEAR, 10, 15, 8, 30, tzinfo=STOCKHOLM)
    [party] = [
        i.occurrence
        for i in engine.upcoming("exempelkommun", date(YEAR, 6, 30), date(YEAR, 6, 30))
        if i.occurrence.event.id == "party_support_report"
    ]
    # 30 June minus 14 days is 16 June, a Wednesday; minus 5 is Friday 25 June, Midsommarafton: Thursday.
    assert due_at(party, 5) == datetime(YEAR, 6, 24, 8, 30, tzinfo=STOCKHOLM)
    sub = subscribe(Database("sqlite://"), "C1", "exempelkommun")
    october = plan(sub, rulebook, datetime(YEAR, 10, 28, tzinfo=STOCKHOLM), datetime(YEAR, 10, 30, tzinfo=STOCKHOLM))
    budget_reminders = [r for r in october if r.occurrence.event.id == "budget_proposal"]
    assert [r.lead for r in budget_reminders] == [0]  # the day itself and two days before are one Friday


def test_every_planned_reminder_of_a_year_is_on_a_working_day_at_0830_before_its_deadline(
    engine: RulesEngine,
) -> None:
    db = Database("sqlite://")
    start, end = datetime(YEAR, 1, 1, tzinfo=STOCKHOLM), datetime(YEAR, 12, 31, 23, 59, tzinfo=STOCKHOLM)
    for municipality in engine.known:
        sub = subscribe(db, f"C-{municipality}", municipality, lead_days=(28, 7, 1))
        reminders: list[Reminder] = plan(sub, engine.rulebook(municipality), start, end)
        assert reminders
        for r in reminders:
            local = r.due.astimezone(STOCKHOLM)
            assert local.time() == time(8, 30) and _working(local.date()), r.key
            assert local.date() <= r.occurrence.end, r.key


def test_a_simulated_year_posts_every_expected_reminder_once(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CEKONOMI", "exempelkommun", tags=["ekonomi"], lead_days=(14, 2))
    subscribe(database, "CTRANEMO", "tranemo")
    _scheduler(engine, database, slack_api, date(YEAR, 1, 1)).run(until=_until(date(YEAR, 12, 31)))

    keys = _posted(slack_api)
    assert len(keys) == len(set(keys))  # nothing twice
    log = Ledger(database).log()
    assert all(row.status == "sent" for row in log if row.status != "superseded")
    for channel, municipality, tags in (("CEKONOMI", "exempelkommun", {"ekonomi"}), ("CTRANEMO", "tranemo", None)):
        got = {(r.event_id, r.deadline, r.sent_at.date()) for r in log if r.channel == channel and r.sent_at}
        want = {
            row
            for row in _expected(engine, municipality, date(YEAR, 1, 1), date(YEAR, 12, 31), (14, 2))
            if tags is None or tags & set(_event_tags(engine, municipality)[row[0]])
        }
        day_events = {(e, d, s) for e, d, s in got if (e, d) in {(w[0], w[1]) for w in want}}
        assert day_events == want
    for row in log:
        sent = row.sent_at
        assert sent is not None and sent.time() == time(8, 30) and _working(sent.date()) and sent.date() <= row.deadline
    [budget] = [
        m for m in slack_api.delivered() if m["metadata"]["event_payload"]["key"] == "1:budget_adopted:2027-11-30:2"
    ]
    # two days before Tuesday 30 November is a Sunday: posted Friday the 26th, four days ahead
    assert budget["text"].startswith("Påminnelse: Fullmäktige fastställer budgeten")
    assert "senast tisdag 30 november 2027 – om 4 dagar" in budget["text"]
    [call] = [
        c
        for c in slack_api.posted()
        if (c.get("metadata") or {}).get("event_payload", {}).get("key") == "1:budget_adopted:2027-11-30:2"
    ]
    facts = " ".join(e["text"] for e in call["blocks"][1]["elements"])
    assert "Ansvarig: kommunfullmäktige" in facts and "Källa: Kommunallag" in facts


def test_two_schedulers_at_once_and_a_third_over_the_second_half_post_each_reminder_once(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CALL", "exempelkommun")
    sent_before = REGISTRY.get_sample_value("styrbot_reminders_total", {"status": "sent"}) or 0.0
    runs = [_scheduler(engine, Database(str(database.engine.url)), slack_api, date(YEAR, 1, 1)) for _ in range(2)]
    threads = [threading.Thread(target=r.run, kwargs={"until": _until(date(YEAR, 12, 31))}) for r in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    first = Counter(_posted(slack_api))
    _scheduler(engine, database, slack_api, date(YEAR, 6, 1)).run(until=_until(date(YEAR, 12, 31)))
    again = Counter(_posted(slack_api))
    assert first and max(first.values()) == 1 and again == first
    sent = (REGISTRY.get_sample_value("styrbot_reminders_total", {"status": "sent"}) or 0.0) - sent_before
    assert sent == len(first)  # the metric counts each reminder once, whichever scheduler sent it


def test_slack_refusing_for_a_while_still_gets_each_reminder_once(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CBUSY", "exempelkommun", tags=["bolag"])
    slack_api.fail_next(2, 429, retry_after=1)
    slack_api.fail_next(2, 500)
    _scheduler(engine, database, slack_api, date(YEAR, 2, 1)).run(until=_until(date(YEAR, 3, 31)))
    keys = _posted(slack_api)
    assert len(slack_api.posted()) == len(keys) + 4  # the four refused attempts were retried
    assert keys and len(keys) == len(set(keys))
    assert all(row.status == "sent" for row in Ledger(database).log())


def test_a_post_cut_off_before_it_was_recorded_is_found_in_slack_not_posted_again(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CCUT", "exempelkommun", tags=["bolag"])
    _scheduler(engine, database, slack_api, date(YEAR, 2, 1)).run(until=_until(date(YEAR, 2, 20)))
    key = next(k for k, _ in _posted(slack_api))
    Ledger(database).update(key, status="posting")  # as if the process died after Slack took the post
    before = len(slack_api.delivered())
    _scheduler(engine, database, slack_api, date(YEAR, 2, 1)).run(until=_until(date(YEAR, 2, 20)))
    assert len(slack_api.delivered()) == before
    assert Ledger(database).row(key)["status"] == "sent"  # type: ignore[index]
    assert [p for p, _ in slack_api.calls].count("/api/conversations.history") == 1

    Ledger(database).update(key, status="posting")  # and when Slack never got it: posted now
    slack_api.messages.clear()
    _scheduler(engine, database, slack_api, date(YEAR, 2, 1)).run(until=_until(date(YEAR, 2, 20)))
    assert [k for k, _ in _posted(slack_api)] == [key]


@pytest.mark.parametrize("late_by", [None, 3.0], ids=["connection dropped", "reply too late"])
def test_a_post_slack_took_but_whose_reply_was_lost_is_found_not_posted_again(
    engine: RulesEngine, database: Database, slack_api: SlackApi, late_by: float | None
) -> None:
    subscribe(database, "CLOST", "exempelkommun", tags=["bolag"])
    slack_api.lose_next_replies(2, late_by=late_by)
    scheduler = _scheduler(engine, database, slack_api, date(YEAR, 2, 1))
    scheduler.poster.client.timeout = 1  # seconds: the late reply comes after the client has given up
    scheduler.run(until=_until(date(YEAR, 3, 31)))
    keys = _posted(slack_api)
    assert len(keys) >= 2 and len(keys) == len(set(keys))  # every reminder in the channel once
    assert len(slack_api.posted()) == len(keys)  # and never posted a second time
    assert all(row.status == "sent" and row.posted_at for row in Ledger(database).log())


def test_a_reminder_is_not_posted_again_while_the_channel_cannot_be_searched(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CBLIND", "exempelkommun", tags=["bolag"])
    slack_api.lose_next_replies(1)
    slack_api.refuse("/api/conversations.history", "missing_scope")
    _scheduler(engine, database, slack_api, date(YEAR, 2, 1)).run(until=_until(date(YEAR, 3, 31)))
    keys = _posted(slack_api)
    assert len(keys) == len(set(keys)) and len(slack_api.posted()) == len(keys)  # nothing posted twice
    unsure = [row for row in Ledger(database).log() if row.status != "sent"]
    assert len(unsure) == 1 and unsure[0].attempts == 1  # tried once, then never blindly again


def test_the_ledger_forgets_reminders_long_past_their_deadline_and_posts_nothing_again(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    subscribe(database, "CYEAR", "exempelkommun")
    settings = Settings(
        data_dir=Path("unused"), slack_bot_token="xoxb-test", slack_api_url=slack_api.url, reminder_log_days=30
    )
    clock = SimulatedClock(datetime(YEAR, 1, 1, tzinfo=STOCKHOLM))
    running = services(engine, database=database, settings=settings)
    reminder_scheduler(running, clock).run(until=_until(date(YEAR, 12, 31)))
    deadlines = [row.deadline for row in Ledger(database).log()]
    last_tick = date(YEAR, 12, 31)  # the last working day's 08:30 is the last tick of the year
    assert deadlines and min(deadlines) >= _back_to_working(last_tick) - timedelta(days=30 + 4)
    keys = _posted(slack_api)
    assert len(keys) > len(deadlines) and len(keys) == len(set(keys))  # forgotten, never posted again


def test_the_cli_manages_subscriptions_and_simulates_a_period(
    data_dir: Path, slack_api: SlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("STYRBOT_DATABASE_URL", "STYRBOT_PROFILES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STYRBOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SLACK_API_URL", slack_api.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    made = run("reminders", "subscribe", "--channel", "C9", "-m", "strangnas", "--lead-days", "7,1", "--json")
    assert json.loads(made.output) == {
        "id": 1,
        "channel": "C9",
        "municipality": "strangnas",
        "tags": [],
        "lead_days": [7, 1],
        "active": True,
    }
    assert "C9" in run("reminders", "list").output
    assert run("reminders", "subscribe", "--channel", "C9", "-m", "uppsala").exit_code == 2
    assert run("reminders", "subscribe", "--channel", "C9", "-m", "tranemo", "--lead-days", "x").exit_code == 2
    typo = run("reminders", "subscribe", "--channel", "C9", "-m", "tranemo", "--tags", "ekonomy")
    assert typo.exit_code == 2 and "Okänd tagg: ”ekonomy”" in typo.output and "ekonomi" in typo.output
    assert run("reminders", "run", "--simulate-from", "2027-10-01").exit_code == 2
    result = run("reminders", "run", "--simulate-from", "2027-10-01", "--simulate-to", "2027-11-30")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in run("reminders", "log", "--json").output.splitlines()]
    assert rows and {"channel", "event", "deadline", "due", "sent_at", "status"} <= set(rows[0])
    assert {r["channel"] for r in rows} == {"C9"} and all(r["status"] == "sent" for r in rows)
    assert "2027-11-30" in {r["deadline"] for r in rows}  # the budget
    assert run("reminders", "unsubscribe", "--channel", "C9").output.strip() == "Avslutade prenumerationer: 1."
    assert run("reminders", "list").output.strip() == "Inga prenumerationer."


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """The database the scheduler processes share: SQLite in the data directory, or a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{data_dir / 'styrbot.db'}"
    return str(request.getfixturevalue("postgres_url"))


def _run_command(first: date, last: date) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "reminders",
        "run",
        "--simulate-from",
        first.isoformat(),
        "--simulate-to",
        last.isoformat(),
    ]


def _process_env(data_dir: Path, slack_api: SlackApi, url: str) -> dict[str, str]:
    env = os.environ | {
        "STYRBOT_DATA_DIR": str(data_dir),
        "SLACK_API_URL": slack_api.url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "STYRBOT_DATABASE_URL": url,
    }
    env.pop("STYRBOT_PROFILES_DIR", None)
    return env


def _assert_each_expected_reminder_once(
    engine: RulesEngine, database: Database, slack_api: SlackApi, municipality: str, leads: tuple[int, ...]
) -> None:
    """Every reminder a secretary expects over 2027 posted exactly once, on a working day at 08:30, never
    after its deadline; the ledger agrees with what Slack received."""
    keys = Counter(k for k, _ in _posted(slack_api))
    assert keys and max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    log = [r for r in Ledger(database).log() if r.status == "sent"]
    assert {r.channel for r in log} <= {m["channel"] for m in slack_api.delivered()}
    assert len(log) == sum(keys.values())
    for row in log:
        sent = row.sent_at
        assert sent is not None and sent.time() == time(8, 30) and _working(sent.date()), row
        assert sent.date() <= row.deadline, row
    want = _expected(engine, municipality, date(YEAR, 1, 1), date(YEAR, 12, 31), leads)
    got = {(r.event_id, r.deadline, r.sent_at.date()) for r in log if r.sent_at}
    assert want <= got, sorted(want - got)[:5]


def test_a_process_killed_mid_run_and_restarted_loses_and_repeats_nothing(
    engine: RulesEngine, data_dir: Path, database_url: str, slack_api: SlackApi
) -> None:
    database = Database(database_url)
    leads = (28, 14, 7, 2, 1)
    subscribe(database, "CKILL", "exempelkommun", lead_days=leads)
    env, command = _process_env(data_dir, slack_api, database_url), _run_command(date(YEAR, 1, 1), date(YEAR, 12, 31))
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    slack_api.wait_for(40, timeout=60)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    cut = len(slack_api.delivered())
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    assert cut < len(slack_api.delivered())
    _assert_each_expected_reminder_once(engine, database, slack_api, "exempelkommun", leads)
    database.close()


def test_two_processes_at_once_on_postgresql_then_a_third_over_june_to_december_post_each_reminder_once(
    engine: RulesEngine, data_dir: Path, postgres_url: str, slack_api: SlackApi
) -> None:
    """The acceptance run of the issue: two `reminders run` replicas over 2027 on one PostgreSQL, one of
    them killed mid-year and restarted, then a third over the second half again."""
    database = Database(postgres_url)
    leads = (28, 14, 7, 2, 1)
    subscribe(database, "CREPLICA", "exempelkommun", lead_days=leads)
    subscribe(database, "CEKONOMI", "tranemo", tags=["ekonomi"])
    env, year = _process_env(data_dir, slack_api, postgres_url), _run_command(date(YEAR, 1, 1), date(YEAR, 12, 31))
    replicas = [subprocess.Popen(year, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    slack_api.wait_for(30, timeout=60)
    os.kill(replicas[0].pid, signal.SIGKILL)
    replicas[0].communicate(timeout=10)
    replicas[0] = subprocess.Popen(year, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for replica in replicas:
        _, errors = replica.communicate(timeout=300)
        assert replica.returncode == 0, errors.decode()
    first = Counter(_posted(slack_api))
    subprocess.run(
        _run_command(date(YEAR, 6, 1), date(YEAR, 12, 31)), env=env, check=True, capture_output=True, timeout=300
    )
    assert Counter(_posted(slack_api)) == first  # the third found everything sent
    _assert_each_expected_reminder_once(engine, database, slack_api, "exempelkommun", leads)
    ekonomi = {e for e, tags in _event_tags(engine, "tranemo").items() if "ekonomi" in tags}
    tranemo = {r.event_id for r in Ledger(database).log() if r.channel == "CEKONOMI" and r.status == "sent"}
    assert tranemo and tranemo <= ekonomi
    database.close()


def test_subscriptions_are_listed_in_order(database: Database) -> None:
    subscribe(database, "C1", "tranemo")
    subscribe(database, "C2", "strangnas", tags=["Ekonomi", " bolag "])
    subscribe(database, "C1", "tranemo", lead_days=[3])  # again: replaces
    assert [(s.channel, s.tags, s.lead_days) for s in subscriptions(database)] == [
        ("C1", (), (3,)),
        ("C2", ("bolag", "ekonomi"), (14, 2)),
    ]


def test_the_web_server_runs_the_scheduler_and_stops_it_cleanly(
    engine: RulesEngine, database: Database, slack_api: SlackApi
) -> None:
    from fastapi.testclient import TestClient

    from bot.web import create_app

    settings = Settings(data_dir=Path("unused"), slack_bot_token="xoxb-test", slack_api_url=slack_api.url)
    running = services(engine, database=database, settings=settings)
    app = create_app(running, None, reminder_scheduler(running))
    with TestClient(app) as client:
        assert client.get("/healthz").json()["reminders"] is True
        assert any(t.name == "styrbot-reminders" and t.is_alive() for t in threading.enumerate())
        started = clock.monotonic()
    assert clock.monotonic() - started < 3  # waiting for 08:30 does not hold up the shutdown
    assert not any(t.name == "styrbot-reminders" for t in threading.enumerate())


def _with_the_slide_dates_every_year(profiles: Path) -> Path:
    """Tranemo's profile with the slide's two dates (given there without their year) made yearly deadlines,
    as a municipality would once it knows them: the events these tests remind of."""
    tranemo = profiles / "municipalities" / "tranemo.yaml"
    text = tranemo.read_text("utf-8")
    assert text.count(", yearless: true}") == 2
    tranemo.write_text(text.replace(", yearless: true}", "}"), "utf-8")
    return tranemo


def test_a_changed_profile_re_plans_removed_events_are_not_reminded_moved_ones_follow(
    tmp_path: Path, database: Database, slack_api: SlackApi
) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(Path(rules.__file__).parent / "data", profiles)
    tranemo = _with_the_slide_dates_every_year(profiles)
    subscribe(database, "CTRANEMO", "tranemo", tags=["budget"], lead_days=(7,))
    settings = Settings(
        data_dir=tmp_path, slack_bot_token="xoxb-test", slack_api_url=slack_api.url, profiles_dir=profiles
    )

    def edit_in_march(report: TickReport) -> None:
        if report.moment.month == 3 and "goals_presented_to_budget_committee" in tranemo.read_text("utf-8"):
            text = tranemo.read_text("utf-8")
            start = text.index("  - id: goals_presented_to_budget_committee")
            text = text[:start] + text[text.index("  - id: preliminary_budget") :]  # removed
            text = text.replace("date: {kind: fixed, month: 5, day: 23}", "date: {kind: fixed, month: 6, day: 10}")
            tranemo.write_text(text, "utf-8")  # moved from 23 May to 10 June

    running = services(RulesSource.watching(profiles), database=database, settings=settings)
    clock = SimulatedClock(datetime(YEAR, 1, 1, tzinfo=STOCKHOLM))
    reminder_scheduler(running, clock, on_tick=edit_in_march).run(until=_until(date(YEAR, 6, 30)))

    log = [r for r in Ledger(database).log() if r.status == "sent"]
    sent = {(r.event_id, r.deadline) for r in log}
    assert ("goals_presented_to_budget_committee", date(YEAR, 4, 18)) not in sent
    assert ("preliminary_budget", date(YEAR, 5, 23)) not in sent
    moved = sorted(r.sent_at for r in log if r.event_id == "preliminary_budget" and r.sent_at)
    assert moved == [
        datetime(YEAR, 6, d, 8, 30, tzinfo=STOCKHOLM) for d in (3, 10)
    ]  # a week before the new date, and on it


def test_markup_in_a_profiles_event_title_reaches_slack_as_text(
    tmp_path: Path, database: Database, slack_api: SlackApi
) -> None:
    """A profile is edited by people: a title that reads as Slack markup is shown, never acted on, in the
    blocks and in the notification text alike."""
    profiles = tmp_path / "profiles"
    shutil.copytree(Path(rules.__file__).parent / "data", profiles)
    tranemo = _with_the_slide_dates_every_year(profiles)
    hostile = "<!channel> Budget <@U0ADMIN> <https://evil.example/phish|kommunens intranät>"
    tranemo.write_text(
        tranemo.read_text("utf-8").replace(
            "title: Budgetutskottet beslutar om den preliminära budgeten, "
            "efter arbete i respektive politisk konstellation",
            f"title: '{hostile}'",
        ),
        "utf-8",
    )
    subscribe(database, "CTRANEMO", "tranemo", tags=["budget"], lead_days=(7,))
    settings = Settings(
        data_dir=tmp_path, slack_bot_token="xoxb-test", slack_api_url=slack_api.url, profiles_dir=profiles
    )
    clock = SimulatedClock(datetime(YEAR, 5, 1, tzinfo=STOCKHOLM))
    running = services(RulesEngine(data_dir=profiles), database=database, settings=settings)
    reminder_scheduler(running, clock).run(until=_until(date(YEAR, 5, 31)))
    posts = [p for p in slack_api.posted() if "Budget" in p["text"]]
    assert posts  # a week before the deadline, and on the day
    for posted in posts:
        everything = posted["text"] + json.dumps(posted.get("blocks"), ensure_ascii=False)
        assert "&lt;!channel&gt;" in posted["text"] and "&lt;https://evil.example" in posted["text"]
        assert not any(raw in everything for raw in ("<!channel>", "<@U0ADMIN>", "<https://evil.example"))


def test_a_broken_profile_edit_keeps_the_last_good_rules(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(Path(rules.__file__).parent / "data", profiles)
    reloading = RulesSource.watching(profiles)
    before = reloading()
    (profiles / "municipalities" / "tranemo.yaml").write_text("events: [", "utf-8")
    assert reloading() is before  # logged, not raised: the scheduler keeps reminding from the last good rules
    assert "tranemo" in reloading().known
