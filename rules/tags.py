"""The årshjul's tags ("budget", "bolag"): how they are written, which a municipality uses, and which
of its events have no calendar date. Reminders and the calendar feed choose events by them."""

from __future__ import annotations

from collections.abc import Iterable

from rules.calendar import is_dated
from rules.errors import UnknownTag
from rules.models import Event
from rules.profiles import Rulebook


def normal_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored and compared: trimmed, lower case, each once, sorted; empty ones dropped."""
    return tuple(sorted({t.strip().lower() for t in tags if t.strip()}))


def known_tags(rulebook: Rulebook) -> tuple[str, ...]:
    """Every tag of the municipality's events, sorted."""
    return tuple(sorted({t for e in rulebook.events for t in e.tags}))


def checked_tags(rulebook: Rulebook, tags: Iterable[str]) -> tuple[str, ...]:
    """The tags normalised, each one the årshjul uses; UnknownTag otherwise, so a typo is told instead of
    silently matching nothing."""
    chosen, known = normal_tags(tags), known_tags(rulebook)
    for tag in chosen:
        if tag not in known:
            raise UnknownTag(tag, rulebook.name, known)
    return chosen


def undated_events(rulebook: Rulebook) -> list[Event]:
    """The rulebook's events that have no calendar dates."""
    return [e for e in rulebook.events if not is_dated(e, rulebook.anchors)]
