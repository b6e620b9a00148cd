"""One Styrbot, assembled by `Services.open` as `styrbot serve` assembles it: one rules source for every
reader, so a profile edited while it runs is seen by the next answer, the deadline list, the calendar
feed, the wheel and the reminders alike."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

from fastapi.testclient import TestClient

import rules
from bot.reminders import subscribe
from bot.reminders.scheduler import SimulatedClock
from bot.services import Services
from bot.settings import Settings
from bot.slack import reminder_scheduler
from bot.web import create_app
from rules.calendar import STOCKHOLM
from tests.slack_api import SlackApi

QUESTION = {"question": "När beslutas den preliminära budgeten?", "municipality": "tranemo"}
EVENT = "preliminary_budget"


def _date_the_preliminary_budget_10_june_every_year(profiles: Path) -> None:
    """The slide's 23 May (a day without its year) becomes the municipality's yearly 10 June."""
    tranemo = profiles / "municipalities" / "tranemo.yaml"
    text = tranemo.read_text("utf-8")
    moved = text.replace(
        "date: {kind: fixed, month: 5, day: 23, yearless: true}\n    rule: den 23 maj",
        "date: {kind: fixed, month: 6, day: 10}\n    rule: den 10 juni",
    )
    assert moved != text
    tranemo.write_text(moved, "utf-8")


def _dates(client: TestClient) -> list[str]:
    listed = client.get("/api/v1/deadlines", params={"municipality": "tranemo", "from": "2027-01-01"}).json()
    return [item["date"] for item in listed if item["event_id"] == EVENT]


def test_a_profile_edited_while_styrbot_runs_is_seen_by_every_reader_alike(tmp_path: Path, slack_api: SlackApi) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(Path(rules.__file__).parent / "data", profiles)
    settings = Settings(
        data_dir=tmp_path / "data",
        profiles_dir=profiles,
        demo=False,
        slack_bot_token="xoxb-test",
        slack_api_url=slack_api.url,
    )
    services = Services.open(settings, serving=True)
    assert services.database is not None
    subscribe(services.database, "CTRANEMO", "tranemo", tags=["budget"], lead_days=(7,))
    with TestClient(create_app(services)) as client:
        answered = client.post("/api/v1/ask", json=QUESTION).json()
        assert "23 maj (år anges inte i källan)" in answered["answer"] and answered["kind"] == "deadline"
        assert _dates(client) == [None]  # listed among the undated: the slide does not say which year
        assert f"tranemo-{EVENT}-" not in client.get("/api/v1/calendar/tranemo.ics").text  # no occurrence's UID
        wheel = client.get("/api/v1/wheel/tranemo.png", params={"year": 2027}).content

        _date_the_preliminary_budget_10_june_every_year(profiles)

        answered = client.post("/api/v1/ask", json=QUESTION).json()
        assert "10 juni" in answered["answer"] and "23 maj" not in answered["answer"]
        assert _dates(client) == ["2027-06-10"]
        feed = client.get("/api/v1/calendar/tranemo.ics").text
        assert "20270610" in feed and "20270523" not in feed
        assert client.get("/api/v1/wheel/tranemo.png", params={"year": 2027}).content != wheel

    start = datetime.combine(date(2027, 5, 1), time(0), STOCKHOLM)
    reminder_scheduler(services, SimulatedClock(start)).run(until=datetime(2027, 6, 30, 23, 59, tzinfo=STOCKHOLM))
    posted = [p for p in slack_api.posted() if "preliminära budgeten" in p["text"]]
    assert len(posted) == 2 and all("10 juni" in p["text"] for p in posted)  # a week before, and on the day
    services.close()
