"""What the drafter reads and writes: passages of a document, proposed entries, the draft."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A piece of a document as the drafter reads it: a paragraph, a list item or one table cell, verbatim,
    with where it stands. A table cell has `when`: the words that date its row or column ("MAR" over a
    month-by-month overview, "senast 15 mars" in a Månad column), `row`: the label of its row ("Bolagen", the
    other cell of a two-column table "Fullmäktige; enligt 5 kap 2 § KL"), and `who`: its row's Ansvarig or
    Beslutas av column. `item`: a list item, which may complete the sentence before the list ("Fullmäktige
    beslutar särskilt om: • taxor och avgifter"). `under`: the role a slide's line stands under, a line of
    its own that names only a role ("Politiker", "Tjänstemän") and heads the lines below it. `delegated`: a
    row of a delegation list, whose `who` decides the matter on the body's behalf."""

    document: str
    text: str
    section: str | None = None
    page: int | None = None
    when: str | None = None
    row: str | None = None
    who: str | None = None
    item: bool = False
    under: str | None = None
    delegated: bool = False


@dataclass(frozen=True)
class Drafted:
    """One proposed entry: the profile entry as data, and the passage it was read from."""

    entry: dict[str, Any]
    passage: Passage
    doubt: str | None = None
    about: str = ""  # the words of its sentence that are about it, when the sentence states several dates


@dataclass
class Draft:
    """A drafted profile: its entries in the profile format, each with its passage, ready to write."""

    id: str
    name: str
    documents: dict[str, dict[str, Any]]
    events: list[Drafted] = field(default_factory=list)
    decisions: list[Drafted] = field(default_factory=list)
    anchors: dict[str, dict[str, Any]] = field(default_factory=dict)
    lexicon: dict[str, list[str]] = field(default_factory=dict)  # the municipality's own names: companies …
    role_principle: dict[str, Any] | None = None

    def profile(self) -> dict[str, Any]:
        """The draft as profile data (`rules.models.Profile`), entries unconfirmed."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": "municipality",
            "names": [self.name.lower(), *_short_names(self.name)],
            "documents": self.documents,
        }
        if self.anchors:
            data["anchors"] = self.anchors
        if self.lexicon:
            data["lexicon"] = self.lexicon
        data["events"] = [_with_doubt(d) for d in self.events]
        data["decisions"] = [_with_doubt(d) for d in self.decisions]
        if self.role_principle is not None:
            data["role_principle"] = self.role_principle
        return data


def _with_doubt(drafted: Drafted) -> dict[str, Any]:
    entry = dict(drafted.entry, confirmed=False)
    if drafted.doubt:
        entry["doubt"] = drafted.doubt
    return entry


def _short_names(name: str) -> list[str]:
    """ "Älvstrands kommun" is also "Älvstrands" and "Älvstrand" in a question."""
    short = re.sub(r"\s+(kommun|stad|region)$", "", name.strip(), flags=re.IGNORECASE)
    if short == name.strip():
        return []
    forms = [short, short[:-1]] if short.endswith("s") else [short]
    return [form.lower() for form in forms]


def title_of(quote: str, date_words: str) -> str:
    """An entry's title: its quote without the words that date it ("Kommunfullmäktige fattar beslut om
    rambudgeten varje år"), with a capital letter."""
    text = quote
    if date_words:  # with the word that led into the date: "upprättas per den 31 augusti och …"
        text = re.sub(rf"(?:\b(?:per|för|senast|före|innan|under|vid|till|i)\s+)?{re.escape(date_words)}", " ", quote)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:–-")
    text = re.sub(r"(?:\s+(?:ska|skall|senast|per|före|innan|till|under|i))+\s*$", "", text)
    return (text[:1].upper() + text[1:]) if text else quote


def source_of(passage: Passage, quote: str) -> dict[str, Any]:
    """An entry's `source`: the document, the quote, and the section and page it stands in."""
    source: dict[str, Any] = {"document": passage.document, "quote": quote}
    if passage.section:
        source["section"] = passage.section
    if passage.page is not None:
        source["page"] = passage.page
    return source
