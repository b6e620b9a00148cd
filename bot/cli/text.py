"""Answers, listings and records as terminal text (the JSON forms are the contract's, built elsewhere)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot import texts
from bot.answering import Answer
from bot.facts import excerpt, fact_rows, source_line
from rules import DeadlineItem, Rulebook
from rules import texts as rule_texts
from rules.calendar import STOCKHOLM
from rules.engine import when_text
from rules.tags import undated_events

if TYPE_CHECKING:  # importing the library would load Chroma and the model for every command
    from bot.db import LoggedQuestion, StoredVote
    from bot.library import IngestSummary


def answer_text(answer: Answer) -> str:
    """An answer for a terminal: the Swedish text, its facts, then its numbered sources."""
    lines = [answer.text]
    rows = fact_rows(answer)
    if rows:
        lines += ["", *(texts.FACT_ROW.format(label=label, value=value) for label, value in rows)]
    if answer.citations:
        lines += ["", texts.SOURCES]
        for number, c in enumerate(answer.citations, 1):
            lines.append(f"  [{number}] {source_line(c)}")
            if c.text:
                lines.append(f"      {rule_texts.quote(excerpt(c.text))}")
    return "\n".join(lines)


def deadlines_text(
    items: list[DeadlineItem], rulebook: Rulebook, start: date, end: date, every_undated: bool = False
) -> str:
    """A deadline listing for a terminal, grouped by month, with the municipality's undated rules after it
    (and the law's, counted, or listed too with `every_undated`)."""
    lines = [texts.DEADLINES_HEADER.format(name=rulebook.name, start=start.isoformat(), end=end.isoformat())]
    if not items:
        lines.append(texts.NO_DEADLINES)
    month = None
    for item in items:
        occurrence = item.occurrence
        if (occurrence.date.year, occurrence.date.month) != month:
            month = (occurrence.date.year, occurrence.date.month)
            lines += ["", rule_texts.capitalise(rule_texts.format_month(occurrence.date))]
        when = "hela månaden" if occurrence.precision == "month" else rule_texts.format_date(occurrence.date, True)
        who = occurrence.event.actor or rule_texts.body_name(occurrence.event.body) or ""
        mark = texts.LOCAL_MARK if item.local else texts.LAW_MARK
        lines.append(f"  {when:<28} {occurrence.event.title}" + (f" ({who})" if who else "") + f" [{mark}]")
    undated = undated_events(rulebook)
    shown = undated if every_undated else [e for e in undated if rulebook.is_local(e.id)]
    if undated:
        lines += ["", texts.DEADLINES_UNDATED]
        lines += [f"  {e.title}: {when_text(e, rulebook)}" for e in shown]
    if len(shown) < len(undated):
        lines.append(texts.DEADLINES_UNDATED_LAW.format(count=len(undated) - len(shown)))
    return "\n".join(lines)


def ingest_text(summary: IngestSummary) -> str:
    """An ingest summary for a terminal: the counts, then each failed file with its reason."""
    counts = texts.INGEST_SUMMARY.format(
        ingested=len(summary.ingested),
        skipped=len(summary.skipped),
        failed=len(summary.failed),
        pruned=len(summary.pruned),
    )
    failures = [texts.INGEST_FAILED_LINE.format(path=row["path"], reason=row["error"]) for row in summary.failed]
    return "\n".join([counts, *failures])


def questions_text(rows: list[LoggedQuestion], logging_on: bool, days: int) -> str:
    """The question log for a terminal: one line per question, the abstentions marked."""
    head = texts.QUESTIONS_ON.format(days=days) if logging_on else texts.QUESTIONS_OFF
    lines = [head] if rows or not logging_on else [head, texts.QUESTIONS_NONE]
    for row in rows:
        mark = "✗" if row.abstained else "✓"
        when = _day(row.asked_at)
        lines.append(
            texts.QUESTIONS_LINE.format(mark=mark, when=when, channel=row.channel, kind=row.kind, question=row.question)
        )
    return "\n".join(lines)


def feedback_text(rows: list[StoredVote]) -> str:
    """Stored feedback for a terminal: the counts, then each vote, the 👎 first."""
    if not rows:
        return texts.FEEDBACK_NONE
    up = sum(1 for r in rows if r.vote == "up")
    answers = len({r.answer_ref for r in rows})
    lines = [texts.FEEDBACK_SUMMARY.format(up=up, down=len(rows) - up, answers=answers)]
    for row in sorted(rows, key=lambda r: (r.vote == "up", r.updated_at)):
        vote = "👍" if row.vote == "up" else "👎"
        when = _day(row.updated_at)
        lines.append(texts.FEEDBACK_LINE.format(vote=vote, when=when, kind=row.kind, question=row.question))
    return "\n".join(lines)


def _day(moment: datetime) -> str:
    """The day of a moment in Stockholm, as YYYY-MM-DD."""
    return moment.astimezone(STOCKHOLM).date().isoformat()
