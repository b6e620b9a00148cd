"""The årshjul as an RFC 5545 calendar feed that Outlook and Google Calendar subscribe to.

Each dated occurrence of the municipality's events is one all-day VEVENT: a deadline on its day, an event
that runs through a month (such as "under november") over that month. The UID is made of the
municipality, the event id and the deadline, so a calendar that reloads the feed updates its entries
instead of duplicating them, and an event moved in the profile shows up moved. Events without a calendar
date (those counted from a meeting) cannot be placed in a calendar; they are named in the calendar's
description and listed by `styrbot deadlines` and `/api/v1/deadlines`.

The feed holds the same occurrences as `styrbot deadlines` over the same period (both read
`RulesEngine.upcoming`), with the same title, rule, responsible body and source.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from bot import texts
from bot.facts import event_actor, event_source
from rules import DeadlineItem, Rulebook, RulesEngine
from rules import texts as rule_texts
from rules.engine import basis, citation, when_text
from rules.tags import normal_tags, undated_events

PRODUCT = "-//Styrbot//Årshjul//SV"
UID_DOMAIN = "styrbot"


def feed_period(today: date) -> tuple[date, date]:
    """The period a feed covers: this year and the next, so December's calendar already shows January."""
    return date(today.year, 1, 1), date(today.year + 1, 12, 31)


def calendar_feed(
    engine: RulesEngine,
    municipality: str,
    first: date,
    last: date,
    tags: Iterable[str] = (),
    now: datetime | None = None,
) -> bytes:
    """The feed for [first, last], only events with one of `tags` when given. UnknownMunicipality as the
    engine raises it."""
    rulebook = engine.rulebook(municipality)
    wanted = set(normal_tags(tags))
    items = [i for i in engine.upcoming(municipality, first, last) if _wants(i.occurrence.event.tags, wanted)]
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = texts.CALENDAR_NAME.format(name=rulebook.name)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    undated = [e.title for e in undated_events(rulebook) if _wants(e.tags, wanted)]
    description = texts.CALENDAR_DESCRIPTION.format(name=rulebook.name)
    if undated:
        description += " " + texts.CALENDAR_UNDATED.format(count=len(undated))
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for item in items:
        calendar.add_component(_event(item, municipality, rulebook, stamp))
    return bytes(calendar.to_ical())


def uid(municipality: str, event_id: str, deadline: date) -> str:
    """The stable identity of one occurrence in every feed ever served."""
    return f"{municipality}-{event_id}-{deadline.isoformat()}@{UID_DOMAIN}"


def _wants(tags: Iterable[str], wanted: set[str]) -> bool:
    return not wanted or bool(wanted & set(tags))


def _event(item: DeadlineItem, municipality: str, rulebook: Rulebook, stamp: datetime) -> Event:
    occurrence = item.occurrence
    event = occurrence.event
    component = Event()
    component.add("uid", uid(municipality, event.id, occurrence.end))
    component.add("dtstamp", stamp)
    component.add("summary", rule_texts.capitalise(event.title))
    component.add("dtstart", occurrence.start if occurrence.precision == "month" else occurrence.end)
    component.add("dtend", occurrence.end + timedelta(days=1))  # all-day: DTEND is the day after
    component.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    lines = []
    rule = when_text(event, rulebook)
    if rule:
        lines.append(texts.CALENDAR_RULE.format(rule=rule_texts.capitalise(rule)))
    who = event_actor(event)
    if who:
        lines.append(texts.CALENDAR_WHO.format(who=who))
    lines.append(texts.CALENDAR_SOURCE.format(source=event_source(event, rulebook)))
    quoted = citation(event.source, rulebook, event.title).text
    if quoted and quoted != event.title:
        lines.append(rule_texts.quote(quoted))
    component.add("description", "\n".join(lines))
    if event.tags:
        component.add("categories", list(event.tags))
    component.add("x-styrbot-event", event.id)
    component.add("x-styrbot-source", basis(event.source))
    return component
