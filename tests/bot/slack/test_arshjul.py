"""The årshjul in Slack: `/arshjul` and the buttons on reminders, through the real app.

Commands and clicks are signed as Slack signs them and sent to the real FastAPI app; reminders are posted
by the real scheduler on a simulated clock; Slack's Web API and response URLs are the recording stand-in
of tests/slack_api.py. The app's clock is set by each test, so "tomorrow" is a known day.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.db import Database
from bot.reminders import Ledger, subscriptions
from bot.reminders.scheduler import SimulatedClock
from bot.settings import Settings
from bot.slack import build_app, reminder_scheduler
from rules import RulesEngine
from rules.calendar import STOCKHOLM
from tests.services import services
from tests.slack_api import SlackApi
from tests.slack_requests import SECRET, authorize, blocks, buttons, click, command, serving


class Clock:
    """The app's idea of now, set by the test."""

    def __init__(self) -> None:
        self.moment = datetime(2027, 11, 15, 10, 0, tzinfo=STOCKHOLM)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(tmp_path)
    yield db
    db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(engine: RulesEngine, slack_api: SlackApi, database: Database, clock: Clock) -> Iterator[str]:
    running = services(engine, database=database)
    bolt = build_app(
        running,
        signing_secret=SECRET,
        api_url=slack_api.url,
        authorize=authorize,
        channel_municipalities={"CSTRANGNAS": "strangnas"},
        clock=clock,
    )
    with serving(running, bolt) as url:
        yield url


def _url(slack_api: SlackApi, name: str) -> str:
    return slack_api.url.replace("/api/", f"/respond/{name}")


def _arshjul(server: str, slack_api: SlackApi, text: str, name: str, channel: str = "CKS") -> dict[str, Any]:
    assert command(server, "/arshjul", text, _url(slack_api, name), channel=channel).status_code == 200
    [reply] = slack_api.wait_for(1, path=f"/respond/{name}")
    return reply


def _simulate(engine: RulesEngine, database: Database, slack_api: SlackApi, first: datetime, last: datetime) -> None:
    settings = Settings(data_dir=Path("unused"), slack_bot_token="xoxb-test", slack_api_url=slack_api.url)
    reminder_scheduler(services(engine, database=database, settings=settings), SimulatedClock(first)).run(until=last)


def _at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in November 2027 in Stockholm (the budget's month: its deadline is Tuesday the 30th)."""
    return datetime(2027, 11, day, hour, minute, tzinfo=STOCKHOLM)


def _budget_reminders(
    engine: RulesEngine, server: str, slack_api: SlackApi, database: Database, last_day: int
) -> list[dict[str, Any]]:
    """Subscribe CKS to the budget events (14 and 2 days ahead) with /arshjul, let the real scheduler run
    from 1 November to `last_day`, and return the budget reminders posted to CKS, oldest first."""
    _arshjul(server, slack_api, "prenumerera budget 14 2", "sub")
    _simulate(engine, database, slack_api, _at(1), _at(last_day, 23))
    return [
        p
        for p in slack_api.posted()
        if p.get("channel") == "CKS" and "budget_adopted:2027-11-30" in str(p.get("metadata"))
    ]


def _key(message: dict[str, Any]) -> str:
    return str(message["metadata"]["event_payload"]["key"])


def test_a_channel_subscribes_with_municipality_tags_and_days_in_any_order(
    server: str, slack_api: SlackApi, database: Database
) -> None:
    reply = _arshjul(server, slack_api, "prenumerera ekonomi Strängnäs 7 1", "sub")
    assert reply["response_type"] == "in_channel"  # everyone in the channel will get the reminders
    assert "<@U1> slog på påminnelser från årshjulet för Strängnäs kommun" in reply["text"]
    assert "taggar: ekonomi" in reply["text"] and "7 och 1 dagar före" in reply["text"]
    [sub] = subscriptions(database)
    assert (sub.channel, sub.municipality, sub.tags, sub.lead_days) == ("CKS", "strangnas", ("ekonomi",), (7, 1))

    refused = _arshjul(server, slack_api, "prenumerera ekonomy", "typo")
    assert refused["response_type"] == "ephemeral"
    assert "Okänd tagg: ”ekonomy”" in refused["text"] and "ekonomi" in refused["text"]
    assert len(subscriptions(database)) == 1  # nothing changed
    hostile = _arshjul(server, slack_api, "prenumerera <!channel>", "markup")  # quoted back as text, not a ping
    assert "”&lt;!channel&gt;”" in hostile["text"] and "<!channel>" not in hostile["text"]

    ended = _arshjul(server, slack_api, "avsluta", "end")
    assert ended["response_type"] == "in_channel" and "stängde av" in ended["text"]
    assert subscriptions(database) == []
    again = _arshjul(server, slack_api, "avsluta", "end2")
    assert again["response_type"] == "ephemeral" and "inga påminnelser" in again["text"]


def test_coming_deadlines_are_listed_privately_for_the_channels_municipality(
    server: str, slack_api: SlackApi, clock: Clock
) -> None:
    reply = _arshjul(server, slack_api, "kommande", "list")
    assert reply["response_type"] == "ephemeral"
    listing = blocks(reply)[1]["text"]["text"]
    assert "Exempelkommun" in reply["text"] and "de närmaste 30 dagarna" in reply["text"]
    assert "*tisdag 30 november 2027* – Fullmäktige fastställer budgeten" in listing
    assert "december" not in listing.split("\n")[0]  # in date order, from the clock's today (15 November)
    strangnas = _arshjul(server, slack_api, "", "default", channel="CSTRANGNAS")  # no word: the coming deadlines
    assert "Strängnäs kommun" in strangnas["text"]
    help_text = _arshjul(server, slack_api, "hjälp", "help")
    assert "/arshjul prenumerera" in help_text["text"] and "/arshjul bild" in help_text["text"]


def test_the_wheel_picture_is_uploaded_to_the_channel(server: str, slack_api: SlackApi) -> None:
    assert command(server, "/arshjul", "bild", _url(slack_api, "pic")).status_code == 200
    [done] = slack_api.wait_for(1, path="/api/files.completeUploadExternal", timeout=30)
    assert done["channel_id"] == "CKS"
    assert [f["title"] for f in json.loads(done["files"])] == ["Årshjulet för Exempelkommun 2027"]
    [png] = slack_api.uploads.values()
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and min(picture.size) >= 1000


def test_klar_stops_that_occurrences_reminders_in_that_channel_only(
    engine: RulesEngine, server: str, slack_api: SlackApi, database: Database, clock: Clock
) -> None:
    _arshjul(server, slack_api, "prenumerera budget 14 2", "sub2", channel="COTHER")
    [posted] = _budget_reminders(engine, server, slack_api, database, 16)  # 14 days before: Tuesday the 16th
    shown = buttons(posted)
    assert set(shown) == {"styrbot_reminder_done", "styrbot_reminder_snooze"}
    clock.moment = _at(16, 9, 5)
    message = {"ts": "1.1", "text": posted["text"], "blocks": blocks(posted)}
    click(server, shown["styrbot_reminder_done"], _url(slack_api, "done"), message=message, user="U7")
    [replaced] = slack_api.wait_for(1, path="/respond/done")
    assert replaced["replace_original"] is True
    assert blocks(replaced)[-1]["elements"][0]["text"].startswith("✅ Klart – markerat av <@U7>")
    assert not buttons(replaced)  # done: the buttons are gone

    slack_api.clear()
    _simulate(engine, database, slack_api, _at(17), _at(30, 23))
    later = [(m["channel"], _key(m)) for m in slack_api.delivered()]
    assert not [k for c, k in later if c == "CKS" and "budget_adopted:2027-11-30" in k]  # Klar held
    assert [k for c, k in later if c == "COTHER" and "budget_adopted:2027-11-30" in k]  # the other channel still
    assert [k for c, k in later if c == "CKS" and "tax_rate_set:2027-11-30" in k]  # other events still
    done_rows = [r for r in Ledger(database).log() if r.channel == "CKS" and r.status == "done"]
    assert {r.event_id for r in done_rows} == {"budget_adopted"}


def test_remind_me_tomorrow_posts_once_more_on_the_next_working_day_at_0830(
    engine: RulesEngine, server: str, slack_api: SlackApi, database: Database, clock: Clock
) -> None:
    [posted] = _budget_reminders(engine, server, slack_api, database, 16)
    assert "budget_adopted:2027-11-30:14" in str(posted["metadata"])
    clock.moment = _at(19, 15)  # a Friday afternoon
    message = {"ts": "1.1", "text": posted["text"], "blocks": blocks(posted)}
    click(server, buttons(posted)["styrbot_reminder_snooze"], _url(slack_api, "snooze"), message=message)
    [replaced] = slack_api.wait_for(1, path="/respond/snooze")
    assert "ny påminnelse måndag 22 november 2027 kl. 08.30" in blocks(replaced)[-1]["elements"][0]["text"]
    assert set(buttons(replaced)) == {"styrbot_reminder_done", "styrbot_reminder_snooze"}  # still there

    slack_api.clear()
    _simulate(engine, database, slack_api, _at(19, 15), _at(24, 23))
    again = [m for m in slack_api.delivered() if "budget_adopted:2027-11-30" in _key(m)]
    assert [_key(m) for m in again] == ["1:budget_adopted:2027-11-30:snooze-2027-11-22"]
    assert "om 8 dagar" in again[0]["text"]
    log = Ledger(database).log()
    [row] = [r for r in log if r.event_id == "budget_adopted" and r.due.date() == date(2027, 11, 22)]
    assert row.status == "sent" and row.sent_at is not None and row.sent_at.time() == time(8, 30)


def test_no_reminder_is_promised_after_the_deadline(
    engine: RulesEngine, server: str, slack_api: SlackApi, database: Database, clock: Clock
) -> None:
    posted = _budget_reminders(engine, server, slack_api, database, 30)
    on_the_day = posted[-1]
    assert set(buttons(on_the_day)) == {"styrbot_reminder_done"}  # "tomorrow" would be after the deadline
    clock.moment = _at(30, 9)
    click(
        server,
        buttons(posted[0])["styrbot_reminder_snooze"],
        _url(slack_api, "late"),
        message={"ts": "1.1", "text": "x", "blocks": blocks(posted[0])},
    )  # an older reminder's button, today
    [reply] = slack_api.wait_for(1, path="/respond/late")
    assert reply["response_type"] == "ephemeral" and "ingen ny påminnelse" in reply["text"]
    click(server, {"action_id": "styrbot_reminder_done", "value": "inte en nyckel"}, _url(slack_api, "bad"))
    [stale] = slack_api.wait_for(1, path="/respond/bad")
    assert "Ställ frågan igen" in stale["text"] or "läsa" in stale["text"]
