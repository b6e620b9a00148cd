"""The årshjul as a list: the dated occurrences of a period in order, then the events without a calendar
date, as JSON (`styrbot deadlines --json`, `GET /api/v1/deadlines`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.facts import event_actor
from rules import DeadlineItem, Event, Rulebook, RulesEngine
from rules.engine import basis, when_text
from rules.tags import undated_events


def deadline_json(item: DeadlineItem, rulebook: Rulebook) -> dict[str, Any]:
    """One dated occurrence as JSON."""
    event = item.occurrence.event
    return _event_json(event, rulebook) | {
        "date": item.occurrence.date.isoformat(),
        "start": item.occurrence.start.isoformat(),
        "precision": item.occurrence.precision,
    }


def undated_json(event: Event, rulebook: Rulebook) -> dict[str, Any]:
    """An event without calendar dates (relative to a meeting and the like) as JSON."""
    return _event_json(event, rulebook) | {"date": None, "start": None, "precision": None}


def _event_json(event: Event, rulebook: Rulebook) -> dict[str, Any]:
    return {
        "event": event.title,
        "event_id": event.id,
        "body": event.body,
        "actor": event.actor,
        "who": event_actor(event),  # the actor, or the body's Swedish name
        "rule": when_text(event, rulebook),
        "tags": list(event.tags),
        "local": rulebook.is_local(event.id),
        "source": basis(event.source),
    }


def deadlines_json(engine: RulesEngine, rulebook: Rulebook, first: date, last: date) -> list[dict[str, Any]]:
    """The årshjul from `first` to `last` as JSON (`styrbot deadlines --json`, `/api/v1/deadlines`): the
    dated occurrences in order, then the events without a calendar date."""
    items = engine.upcoming(rulebook.municipality, first, last)
    return [deadline_json(i, rulebook) for i in items] + [undated_json(e, rulebook) for e in undated_events(rulebook)]
