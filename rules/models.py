"""Frozen value types of the rules layer: profiles, annual-calendar events, decision rights.

Profiles are YAML data validated into these models; unknown keys are refused so that a typo
in a profile is an error that names the key, never a silently ignored rule.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Body = Literal["kommunfullmaktige", "kommunstyrelsen", "namnd", "forvaltning", "revisorerna", "bolag"]
"""The bodies that decide or act (the contract's `body` values)."""

YearSelector = Literal["every", "election", "after_election", "non_election"]


class RoleSplit(StrEnum):
    """VAD/NÄR (politics) versus HUR/VEM (administration)."""

    WHAT_WHEN = "politik"
    HOW_WHO = "forvaltning"

    @property
    def axis(self) -> str:
        """The contract's `axis` value for this side."""
        return "VAD/NÄR" if self is RoleSplit.WHAT_WHEN else "HUR/VEM"


BODY_SIDE: dict[str, RoleSplit | None] = {
    "kommunfullmaktige": RoleSplit.WHAT_WHEN,
    "kommunstyrelsen": RoleSplit.WHAT_WHEN,
    "namnd": RoleSplit.WHAT_WHEN,
    "forvaltning": RoleSplit.HOW_WHO,
    "revisorerna": None,  # elected, but their task is scrutiny, not steering
    "bolag": None,
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where a rule comes from: a law reference, or a document with a short verbatim quote."""

    law: str | None = None
    document: str | None = None
    quote: str | None = None
    section: str | None = None
    page: int | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _law_or_document(self) -> Source:
        if (self.law is None) == (self.document is None):
            raise ValueError("give exactly one of 'law' or 'document'")
        if self.document is not None and not self.quote:
            raise ValueError("a document source needs a 'quote'")
        return self


class DocumentRef(_Model):
    """A governance document a profile quotes from."""

    title: str
    file: str
    reference: str | None = None  # the plain-text rendition used to verify quotes
    renditions: tuple[str, ...] = ()  # every other file name the same document is published as


class Anchor(_Model):
    """A named reference point for relative deadlines (a period end, a meeting)."""

    title: str
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    source: Source | None = None

    @model_validator(mode="after")
    def _month_and_day(self) -> Anchor:
        if (self.month is None) != (self.day is None):
            raise ValueError("give both 'month' and 'day', or neither")
        if self.month is not None and self.day is not None:
            date(2024, self.month, self.day)  # raises on 31 April and the like
        return self


class FixedDate(_Model):
    """A date in the year: "senast 1/3". `yearless`: the source names the day but not the year (a date on a
    slide of one year's planning), so it is never a yearly deadline, never in the calendar and never given a
    weekday; it is told as "23 maj (år anges inte i källan)"."""

    kind: Literal["fixed"]
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    yearless: bool = False

    @model_validator(mode="after")
    def _real_date(self) -> FixedDate:
        date(2024, self.month, self.day)
        return self


class MonthEnd(_Model):
    """The last day of a month: "senast sista april", "före oktober månads utgång"."""

    kind: Literal["month_end"]
    month: int = Field(ge=1, le=12)


class InMonth(_Model):
    """Some time in a month: "i juni"."""

    kind: Literal["month"]
    month: int = Field(ge=1, le=12)


class Monthly(_Model):
    """Every month, except some: "månadsvis exklusive juni och juli"."""

    kind: Literal["monthly"]
    except_months: tuple[int, ...] = ()


class Offset(_Model):
    """A span of time; exactly one unit is given."""

    days: int | None = Field(default=None, ge=0)
    weeks: int | None = Field(default=None, ge=0)
    months: int | None = Field(default=None, ge=0)
    years: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Offset:
        given = [v for v in (self.days, self.weeks, self.months, self.years) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of days, weeks, months, years")
        return self


class Relative(_Model):
    """Before or after an anchor: "inom två månader efter periodens utgång"."""

    kind: Literal["relative"]
    anchor: str
    offset: Offset
    direction: Literal["before", "after"]


class Undated(_Model):
    """A recurring duty with no calendar date ("minst en gång per år")."""

    kind: Literal["undated"]


DateRule = Annotated[FixedDate | MonthEnd | InMonth | Monthly | Relative | Undated, Field(discriminator="kind")]


class _Entry(_Model):
    """What events and decisions share: an id, who acts, the words that find it (`keys`, `alt_keys`,
    `hints`; scored in rules/lookup.py), the national entry it `overrides`, and its source."""

    id: str
    actor: str | None = None
    keys: tuple[str, ...] = Field(min_length=1)
    alt_keys: tuple[tuple[str, ...], ...] = ()
    hints: tuple[str, ...] = ()
    overrides: str | None = None
    priority: int = 0
    source: Source
    # a drafted entry (`styrbot profile draft`) until a person accepts it, and why the drafter doubted it
    confirmed: bool = True
    doubt: str | None = None


class Event(_Entry):
    """One deadline or recurring event of the annual calendar (årshjul)."""

    title: str
    body: Body | None = None
    date: DateRule
    rule: str | None = None
    tags: tuple[str, ...] = ()
    years: YearSelector = "every"
    election_year_note: str | None = None
    note: str | None = None


class Decision(_Entry):
    """A decision right: which body decides a matter, on what basis, and whether it may be delegated."""

    matter: str
    text: str
    body: Body
    delegable: bool | None = None


class Fact(_Model):
    """A rule that is neither a deadline nor a decision right ("Direktören är inte valbar …"): a statement
    the answer can quote, the words people use when they ask about it, and its source."""

    id: str
    text: str
    words: tuple[str, ...] = ()
    source: Source


class RolePrinciple(_Model):
    """A municipality's own wording of the VAD/NÄR versus HUR/VEM split."""

    politik: str
    forvaltning: str
    note: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)


class Profile(_Model):
    """One layer of rules: the national layer or one municipality's profile."""

    id: str
    name: str
    kind: Literal["national", "municipality"]
    names: tuple[str, ...] = ()
    documents: dict[str, DocumentRef] = {}
    anchors: dict[str, Anchor] = {}
    lexicon: dict[str, tuple[str, ...]] = {}
    events: tuple[Event, ...] = ()
    decisions: tuple[Decision, ...] = ()
    facts: tuple[Fact, ...] = ()
    role_principle: RolePrinciple | None = None
