"""The årshjul outside chat: the deadlines API, the calendar feed (RFC 5545) and the wheel picture, served
by the real FastAPI app and read back with the libraries a calendar or an image viewer would use."""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterator
from datetime import date, timedelta

import matplotlib.pyplot as plt
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from icalendar import Calendar
from PIL import Image

from bot.calendar.ics import feed_period
from bot.calendar.wheel import LIMIT, angle_of, draw, render
from bot.cli import main
from bot.web import create_app
from rules import RulesEngine
from rules.calendar import is_dated, today_in_stockholm
from rules.texts import MONTHS
from tests.services import services


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(services(RulesEngine()))) as test_client:
        yield test_client


def _feed(client: TestClient, municipality: str, query: str = "") -> Calendar:
    response = client.get(f"/api/v1/calendar/{municipality}.ics{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _occurrences(calendar: Calendar) -> set[tuple[str, str]]:
    """(event id, deadline) of every VEVENT: the deadline is the all-day event's last day."""
    return {
        (str(e["X-STYRBOT-EVENT"]), (e.decoded("DTEND") - timedelta(days=1)).isoformat())
        for e in calendar.walk("VEVENT")
    }


@pytest.mark.parametrize("municipality", ["exempelkommun", "strangnas", "tranemo", "trollhattan"])
def test_the_feed_holds_every_dated_event_of_the_profile_as_the_cli_lists_them(
    client: TestClient, engine: RulesEngine, municipality: str
) -> None:
    calendar = _feed(client, municipality)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] and calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))  # one identity per occurrence
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"} <= set(event)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date and end > start  # all-day
        assert "Källa:" in str(event["DESCRIPTION"])

    rulebook = engine.rulebook(municipality)
    first, last = feed_period(today_in_stockholm())
    years = range(first.year, last.year + 1)
    dated = {e.id for e in rulebook.events if is_dated(e, rulebook.anchors)}
    in_period = {e for e in dated if any(_occurs(engine, municipality, e, y) for y in years)}
    assert {event_id for event_id, _ in _occurrences(calendar)} == in_period
    assert len(in_period) >= len(dated) - 2  # only election-year events may fall outside two years

    listed = CliRunner().invoke(
        main,
        [
            "deadlines",
            "-m",
            municipality,
            "--from",
            first.isoformat(),
            "--days",
            str((last - first).days + 1),
            "--json",
        ],
    )
    rows = json.loads(listed.output)
    assert {(r["event_id"], r["date"]) for r in rows if r["date"]} == _occurrences(calendar)


def _occurs(engine: RulesEngine, municipality: str, event_id: str, year: int) -> bool:
    return any(
        i.occurrence.event.id == event_id for i in engine.upcoming(municipality, date(year, 1, 1), date(year, 12, 31))
    )


def test_the_feed_keeps_its_uids_and_filters_by_tags(client: TestClient) -> None:
    once, again = _feed(client, "tranemo"), _feed(client, "tranemo")
    assert [str(e["UID"]) for e in once.walk("VEVENT")] == [str(e["UID"]) for e in again.walk("VEVENT")]
    assert "tranemo-budget_adopted-" in " ".join(str(e["UID"]) for e in once.walk("VEVENT"))
    chosen = _feed(client, "tranemo", "?tags=budget,val")
    assert chosen.walk("VEVENT") and all(
        {"budget", "val"} & set(e["CATEGORIES"].to_ical().decode().split(",")) for e in chosen.walk("VEVENT")
    )
    assert len(chosen.walk("VEVENT")) < len(once.walk("VEVENT"))
    typo = client.get("/api/v1/calendar/tranemo.ics?tags=ekonomy")
    assert typo.status_code == 400 and "Okänd tagg: ”ekonomy”" in typo.json()["detail"]
    month = next(e for e in once.walk("VEVENT") if str(e["X-STYRBOT-EVENT"]) == "monthly_reporting_board")
    assert month.decoded("DTSTART").day == 1 and (month.decoded("DTEND") - timedelta(days=1)).month == (
        month.decoded("DTSTART").month
    )  # a month-long event covers its month


def test_the_feed_is_folded_and_ends_lines_as_rfc_5545_requires(client: TestClient) -> None:
    raw = client.get("/api/v1/calendar/strangnas.ics").content
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)  # octets, folded
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_an_unknown_municipality_gets_a_swedish_404(client: TestClient) -> None:
    for path in ("/api/v1/calendar/uppsala.ics", "/api/v1/wheel/uppsala.png", "/api/v1/deadlines?municipality=uppsala"):
        response = client.get(path)
        assert response.status_code == 404 and "Okänd kommun" in response.json()["detail"]


def test_the_deadlines_api_agrees_with_the_cli(client: TestClient) -> None:
    response = client.get("/api/v1/deadlines", params={"municipality": "strangnas", "from": "2027-01-01", "days": 365})
    listed = CliRunner().invoke(
        main, ["deadlines", "-m", "strangnas", "--from", "2027-01-01", "--days", "365", "--json"]
    )
    assert response.status_code == 200 and response.json() == json.loads(listed.output)
    assert client.get("/api/v1/deadlines", params={"days": 0}).status_code == 422


def test_the_wheel_is_a_png_served_with_its_type(client: TestClient) -> None:
    response = client.get("/api/v1/wheel/tranemo.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG" and picture.size[0] == picture.size[1] >= 1000


def test_the_wheel_has_twelve_swedish_months_every_event_and_today_marked(engine: RulesEngine) -> None:
    figure = draw(engine, "exempelkommun", date(2027, 3, 1))
    words = [t.get_text() for t in figure.axes[0].texts]
    assert {w for w in words if w.lower() in MONTHS} == {m.capitalize() for m in MONTHS}  # the ring's, and headers
    for item in engine.upcoming("exempelkommun", date(2027, 1, 1), date(2027, 12, 31)):
        occurrence = item.occurrence
        if occurrence.event.id == "monthly_report_board":  # every month: named once in the middle
            continue
        day, start = occurrence.end, occurrence.event.title.split()[0][:12]
        if occurrence.precision == "month":  # "i oktober": the month, never its last day as a date
            assert any(w.startswith(f"Under månaden: {start}") for w in words), occurrence.event.id
            title = " ".join(occurrence.event.title.split())[:25]
            assert not any(w.startswith(f"{day.day}/{day.month} {title}") for w in words), occurrence.event.id
        else:
            assert any(w.startswith(f"{day.day}/{day.month} {start}") for w in words), occurrence.event.id
    assert "I dag 1/3" in words and "Årshjul 2027" in words

    def red_at(png: bytes, day: date) -> bool:
        """Whether the picture is red halfway out along `day`'s radius (where the hand is drawn)."""
        picture = Image.open(io.BytesIO(png)).convert("RGB")
        at = math.radians(angle_of(day))
        x = (0.45 * math.cos(at) + LIMIT) / (2 * LIMIT) * picture.size[0]
        y = (LIMIT - 0.45 * math.sin(at)) / (2 * LIMIT) * picture.size[1]
        r, g, b = picture.getpixel((round(x), round(y)))  # type: ignore[misc]
        return bool(r > 150 and g < 90 and b < 90)

    march, september = render(engine, "tranemo", date(2027, 3, 1)), render(engine, "tranemo", date(2027, 9, 1))
    assert red_at(march, date(2027, 3, 1)) and not red_at(march, date(2027, 9, 1))
    assert red_at(september, date(2027, 9, 1)) and not red_at(september, date(2027, 3, 1))
    past = render(engine, "tranemo", date(2027, 3, 1), year=2026)
    assert not red_at(past, date(2026, 3, 1))  # today is not in last year's wheel


@pytest.mark.parametrize("municipality", ["exempelkommun", "strangnas", "trollhattan", "tranemo"])
def test_no_label_on_the_wheel_overlaps_another_or_leaves_the_picture(engine: RulesEngine, municipality: str) -> None:
    figure = draw(engine, municipality, date(2027, 3, 1))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = figure.canvas.get_width_height()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in figure.axes[0].texts if t.get_text().strip()]
    for text, box in boxes:
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text
    for (first, a), (second, b) in itertools.combinations(boxes, 2):
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap[0] <= 1 or overlap[1] <= 1, (first, second)
    plt.close(figure)


def test_the_calendar_api_takes_a_municipality_as_people_write_it(client: TestClient) -> None:
    feed = client.get("/api/v1/calendar/Strängnäs.ics")
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-disposition"] == 'inline; filename="arshjul-strangnas.ics"'
    assert _without_stamps(feed.text) == _without_stamps(client.get("/api/v1/calendar/strangnas.ics").text)
    listed = client.get("/api/v1/deadlines", params={"municipality": "Trollhättan", "from": "2027-01-01"})
    assert listed.status_code == 200 and listed.json()
    assert (
        listed.json()
        == client.get("/api/v1/deadlines", params={"municipality": "trollhattan", "from": "2027-01-01"}).json()
    )
    answered = client.post(
        "/api/v1/ask", json={"question": "Vem beslutar om skattesatsen?", "municipality": "STRÄNGNÄS"}
    )
    assert answered.status_code == 200 and answered.json()["municipality"] == "strangnas"
    assert client.get("/api/v1/wheel/Tranemo.png").status_code == 200


def _without_stamps(feed: str) -> str:
    """A feed without its DTSTAMP lines: when it was made, which differs between two requests a second apart."""
    return "\r\n".join(line for line in feed.split("\r\n") if not line.startswith("DTSTAMP:"))
