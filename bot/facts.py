"""One channel-neutral presentation of an answer and of an event: the rows a page, Slack, Teams and the
terminal render, so that no channel rephrases a fact, a date, a source's "where" or who acts; and the
reference a feedback button carries to the answer it is under.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot import texts
from bot.answering import Answer, AnswerKind, Citation
from knowledge import texts as knowledge_texts
from rules import Event, Rulebook
from rules import texts as rule_texts
from rules.engine import citation

EXCERPT_CHARS = 240  # of each source's text in the terminal answer


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A passage cut to `limit` characters at a word, on one line (the JSON answer keeps it whole)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


SIDE_NAMES = {"politik": "politiken", "forvaltning": "förvaltningen"}


def fact_rows(answer: Answer) -> list[tuple[str, str]]:
    """The answer's facts as (Swedish label, value) rows, as every channel shows them: the date, who acts or
    decides, the rule, its basis, the side of the role split, the model that wrote it."""
    facts, rows = answer.facts, []
    if answer.kind == AnswerKind.DEADLINE:
        rows += _date_rows(facts)
        if facts.get("actor") or rule_texts.body_name(facts.get("body")):
            who = str(facts.get("actor") or rule_texts.body_name(facts.get("body")))
            rows.append((texts.ROW_ACTOR, rule_texts.capitalise(who)))
        if facts.get("rule"):
            rows.append((texts.ROW_RULE, rule_texts.capitalise(str(facts["rule"]))))
    elif answer.kind == AnswerKind.WHO_DECIDES:
        if body := rule_texts.body_name(facts.get("body")):  # who acts, within the body, as the answer says it
            who = f"{facts['actor']} ({body})" if facts.get("actor") else body
            rows.append((texts.ROW_DECIDES, rule_texts.capitalise(who)))
        rows += _date_rows(facts.get("deadline") or {})  # "Vem fastställer … och när?"
        if facts.get("basis"):
            rows.append((texts.ROW_BASIS, str(facts["basis"])))
    elif answer.kind == AnswerKind.ROLE and facts.get("side") in SIDE_NAMES:
        side = texts.ROW_SIDE_VALUE.format(side=SIDE_NAMES[facts["side"]], axis=facts.get("axis", ""))
        rows.append((texts.ROW_SIDE, rule_texts.capitalise(side)))
    elif answer.kind == AnswerKind.RETRIEVAL and facts.get("written_by"):
        rows.append((texts.ROW_WRITTEN_BY, texts.ROW_WRITTEN_BY_VALUE.format(model=facts["written_by"])))
    return rows


def _date_rows(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """The date of a deadline's facts: its next occurrence, or the day the source gives without a year."""
    if facts.get("date"):
        day = date.fromisoformat(facts["date"])
        when = rule_texts.format_date(day, weekday=True)
        if facts.get("precision") == "month":
            when = texts.ROW_IN_MONTH.format(month=rule_texts.format_month(day), date=when)
        return [(texts.ROW_DATE, when)]
    if facts.get("month") and facts.get("day"):  # a day the source gives without its year: no weekday
        return [(texts.ROW_DAY, rule_texts.yearless(rule_texts.day_month(facts["month"], facts["day"])))]
    return []


def event_actor(event: Event) -> str | None:
    """Who acts on an event: the named actor, or the body's name."""
    return event.actor or rule_texts.body_name(event.body)


def event_source(event: Event, rulebook: Rulebook) -> str:
    """An event's source on one line: the law and paragraph, or the document, page and section."""
    return source_line(citation(event.source, rulebook, event.title))


def where(cited: Citation) -> str:
    """Where in its source a citation stands, as every channel says it: "s. 12, Budgetprocessen" ("bild 4"
    on a slide); "" when the source has neither page nor section."""
    page = None
    if cited.page:
        slide = cited.source.lower().endswith(".pptx")
        page = (knowledge_texts.SLIDE if slide else knowledge_texts.PAGE).format(page=cited.page)
    return ", ".join(part for part in (page, cited.section) if part)


def source_line(cited: Citation) -> str:
    """A citation's source on one line: its title (or file), then where in it."""
    place = where(cited)
    return (cited.title or cited.source) + (f" – {place}" if place else "")


REFERENCE_SOURCES = 5  # the sources a reference names: those an answer shows


def answer_reference(answer: Answer, limit: int) -> str:
    """A compact JSON reference to an answer, for a button to carry what its click needs (the question, cut
    if need be to fit `limit` characters; the municipality, the kind and the sources, "file#page"), so a
    click needs no stored copy of the answer."""
    sources = [f"{c.source}#{c.page}" if c.page else c.source for c in answer.citations[:REFERENCE_SOURCES]]
    # a follow-up as it was understood: "och i Strängnäs?" alone would mean nothing when shared
    asked = answer.followup.question if answer.followup is not None else answer.question
    ref = {"q": asked, "m": answer.municipality or "", "k": answer.kind, "s": sources}
    text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    while len(text) > limit and ref["q"]:
        ref["q"] = str(ref["q"])[: max(0, len(str(ref["q"])) - (len(text) - limit) - 1)]
        text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    return text


def read_reference(value: str) -> dict[str, Any]:
    """A button's reference back as {"q", "m", "k", "s"}; ValueError when it is not one of ours."""
    ref = json.loads(value)
    if not isinstance(ref, dict) or not isinstance(ref.get("q"), str) or not isinstance(ref.get("s", []), list):
        raise ValueError("not an answer reference")
    return {
        "q": ref["q"],
        "m": str(ref.get("m") or ""),
        "k": str(ref.get("k") or ""),
        "s": [str(s) for s in ref.get("s", [])],
    }
