"""A day the source gives without its year ("preliminär budget beslutas i budgetutskottet 23 maj", on a slide
of one year's planning) is told as it stands: never a yearly deadline with a weekday, never in the calendar."""

import re
from datetime import date

from fastapi.testclient import TestClient

from bot.answering import Answerer, AnswerKind, Question
from bot.facts import fact_rows
from bot.web import create_app
from rules import RulesEngine
from tests.services import services

WEEKDAYS = re.compile(r"\b(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)\b", re.IGNORECASE)


def _answer(engine: RulesEngine, question: str, municipality: str):
    return Answerer(engine, "exempelkommun").answer(Question(question, municipality))


def test_a_day_without_its_year_is_told_as_such_without_a_weekday_or_a_next_time(engine: RulesEngine) -> None:
    answer = _answer(engine, "När beslutas den preliminära budgeten?", "tranemo")
    assert answer.kind == AnswerKind.DEADLINE
    assert "23 maj (år anges inte i källan)" in answer.text
    assert "Nästa gång" not in answer.text and not WEEKDAYS.search(answer.text)
    assert (answer.facts["month"], answer.facts["day"], answer.facts["date"]) == (5, 23, None)
    rows = dict(fact_rows(answer))
    assert rows["Datum"] == "23 maj (år anges inte i källan)" and "Nästa datum" not in rows
    assert not any(WEEKDAYS.search(value) for value in rows.values())


def test_a_yearly_date_keeps_its_next_time_and_weekday(engine: RulesEngine) -> None:
    answer = _answer(engine, "När ska delårsrapporten vara klar?", "exempelkommun")
    assert answer.kind == AnswerKind.DEADLINE and "Nästa gång" in answer.text and WEEKDAYS.search(answer.text)
    assert "år anges inte" not in answer.text and WEEKDAYS.search(dict(fact_rows(answer))["Nästa datum"])


def test_a_day_without_its_year_is_in_no_calendar_and_listed_among_the_undated(engine: RulesEngine) -> None:
    assert not [
        i
        for i in engine.upcoming("tranemo", date(2026, 1, 1), date(2030, 12, 31))
        if i.occurrence.event.id == "preliminary_budget"
    ]
    with TestClient(create_app(services(engine))) as client:
        listed = client.get("/api/v1/deadlines", params={"municipality": "tranemo", "from": "2027-01-01"}).json()
        feed = client.get("/api/v1/calendar/tranemo.ics").text
    undated = {item["event_id"]: item for item in listed if item["date"] is None}
    assert undated["preliminary_budget"]["rule"] == "den 23 maj (år anges inte i källan)"
    assert undated["goals_presented_to_budget_committee"]["rule"] == "den 18 april (år anges inte i källan)"
    assert "tranemo-preliminary_budget-" not in feed and "tranemo-goals_presented" not in feed
