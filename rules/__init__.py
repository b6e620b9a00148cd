"""Deterministic answers from data: the årshjul, who decides what, and the VAD/NÄR vs HUR/VEM split.

Rules are YAML profiles (`rules/data/`): a national layer from Kommunallagen and LKBR, and one profile
per municipality on top. This package imports nothing else of Styrbot's: only the standard library,
PyYAML, pydantic, snowballstemmer and holidays.
"""

from rules.calendar import (
    STOCKHOLM,
    Occurrence,
    election_day,
    holiday_name,
    is_election_year,
    is_working_day,
    next_occurrence,
    today_in_stockholm,
    working_day_on_or_after,
    working_day_on_or_before,
)
from rules.engine import DeadlineItem, RuleAnswer, RuleCitation, RulesEngine
from rules.errors import ProfileError, RulesError, UnknownMunicipality, UnknownTag
from rules.models import Body, Decision, Event, Profile, RoleSplit, Source
from rules.profiles import ProfileStore, Rulebook, parse_profile

__all__ = [
    "STOCKHOLM",
    "Body",
    "DeadlineItem",
    "Decision",
    "Event",
    "Occurrence",
    "Profile",
    "ProfileError",
    "ProfileStore",
    "RoleSplit",
    "RuleAnswer",
    "RuleCitation",
    "Rulebook",
    "RulesEngine",
    "RulesError",
    "Source",
    "UnknownMunicipality",
    "UnknownTag",
    "election_day",
    "holiday_name",
    "is_election_year",
    "is_working_day",
    "next_occurrence",
    "parse_profile",
    "today_in_stockholm",
    "working_day_on_or_after",
    "working_day_on_or_before",
]
