"""Answers and deadline listings as terminal text and as JSON-ready dictionaries."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.answering import Answer
from rules import DeadlineItem, Event, Rulebook, RulesEngine
from rules import texts as rule_texts
from rules.calendar import STOCKHOLM
from rules.engine import basis, citation, when_text
from rules.tags import undated_events

if TYPE_CHECKING:  # importing the library would load Chroma and the model for every command
    from bot.library import IngestSummary
    from bot.reminders import Reminder


EXCERPT_CHARS = 240  # of each source's text in the terminal answer


def answer_text(answer: Answer) -> str:
    """An answer for a terminal: the Swedish text, then its numbered sources."""
    lines = [answer.text]
    if answer.kind == "retrieval" and answer.facts.get("written_by"):
        lines.append(texts.FACT_WRITTEN_BY.format(model=answer.facts["written_by"]))
    if answer.citations:
        lines += ["", texts.SOURCES]
        for number, c in enumerate(answer.citations, 1):
            where = ", ".join(x for x in (c.section, f"s. {c.page}" if c.page else None) if x)
            lines.append(f"  [{number}] {c.title}" + (f" – {where}" if where else ""))
            if c.text:
                lines.append(f"      {rule_texts.quote(_excerpt(c.text))}")
    return "\n".join(lines)


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A passage cut to `limit` characters at a word, on one line (the JSON answer keeps it whole)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


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


def deadlines_text(items: list[DeadlineItem], rulebook: Rulebook, start: date, end: date) -> str:
    """A deadline listing for a terminal, grouped by month, with the undated rules after it."""
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
    if undated:
        lines += ["", texts.DEADLINES_UNDATED]
        lines += [f"  {e.title}: {when_text(e, rulebook)}" for e in undated]
    return "\n".join(lines)


def ingest_text(summary: IngestSummary) -> str:
    """An ingest summary for a terminal: the counts, then each failed file with its reason."""
    counts = texts.INGEST_SUMMARY.format(
        ingested=len(summary.ingested), skipped=len(summary.skipped), failed=len(summary.failed),
        pruned=len(summary.pruned),
    )  # fmt: skip
    failures = [texts.INGEST_FAILED_LINE.format(path=row["path"], reason=row["error"]) for row in summary.failed]
    return "\n".join([counts, *failures])


def questions_text(rows: list[dict[str, Any]], logging_on: bool, days: int) -> str:
    """The question log for a terminal: one line per question, the abstentions marked."""
    head = texts.QUESTIONS_ON.format(days=days) if logging_on else texts.QUESTIONS_OFF
    lines = [head] if rows or not logging_on else [head, texts.QUESTIONS_NONE]
    for row in rows:
        mark = "✗" if row["abstained"] else "✓"
        lines.append(texts.QUESTIONS_LINE.format(mark=mark, when=row["asked_at"][:10], channel=row["channel"],
                                                 kind=row["kind"], question=row["question"]))  # fmt: skip
    return "\n".join(lines)


def feedback_text(rows: list[dict[str, Any]]) -> str:
    """Stored feedback for a terminal: the counts, then each vote, the 👎 first."""
    if not rows:
        return texts.FEEDBACK_NONE
    up = sum(1 for r in rows if r["vote"] == "up")
    answers = len({r["answer_ref"] for r in rows})
    lines = [texts.FEEDBACK_SUMMARY.format(up=up, down=len(rows) - up, answers=answers)]
    for row in sorted(rows, key=lambda r: (r["vote"] == "up", r["updated_at"])):
        vote = "👍" if row["vote"] == "up" else "👎"
        when = row["updated_at"][:10]
        lines.append(texts.FEEDBACK_LINE.format(vote=vote, when=when, kind=row["kind"], question=row["question"]))
    return "\n".join(lines)


SLACK_SECTION_CHARS = 2900  # Slack refuses a section text over 3000 characters
SLACK_SOURCES = 5
SIDE_NAMES = {"politik": "politiken", "forvaltning": "förvaltningen"}


def slack_escape(text: str) -> str:
    """Text safe inside Slack mrkdwn: &, < and > escaped, so nothing in a document becomes a link or mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(answer: Answer, *, share: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """An answer as Slack posts it: (the top-level text, escaped like the blocks, for it is what notifications
    and fallbacks show; the Block Kit blocks)."""
    return slack_escape(answer.text), slack_blocks(answer, share=share)


def slack_blocks(answer: Answer, *, actions: bool = True, share: bool = False) -> list[dict[str, Any]]:
    """An answer as Block Kit: the answer, its key facts, its sources (document, page, section), and
    (with `actions`) 👍/👎 feedback buttons and, with `share`, a button that shares it in the channel."""
    body = answer.text if len(answer.text) <= SLACK_SECTION_CHARS else _excerpt(answer.text, SLACK_SECTION_CHARS)
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(body)}}]
    facts = _slack_facts(answer)
    if facts:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(f)} for f in facts]})
    if answer.citations:
        sources = []
        for number, c in enumerate(answer.citations[:SLACK_SOURCES], 1):
            where = ", ".join(x for x in (f"s. {c.page}" if c.page else None, c.section) if x)
            sources.append(f"[{number}] {c.title or c.source}" + (f" – {where}" if where else ""))
        text = texts.SOURCES + "\n" + "\n".join(slack_escape(s) for s in sources)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    if actions:
        blocks.append(_slack_actions(answer, share))
    return blocks


SLACK_VALUE_CHARS = 2000  # Slack's limit on a button's value
ACTION_UP, ACTION_DOWN, ACTION_SHARE = "styrbot_feedback_up", "styrbot_feedback_down", "styrbot_share"
ACTIONS_BLOCK = "styrbot_actions"


def _slack_actions(answer: Answer, share: bool) -> dict[str, Any]:
    """The buttons under an answer. Each carries what its click needs (the question, the municipality, the
    kind and the sources), so a click needs no stored copy of the answer."""
    value = answer_reference(answer)
    buttons = [
        _button(ACTION_UP, texts.SLACK_FEEDBACK_UP, value),
        _button(ACTION_DOWN, texts.SLACK_FEEDBACK_DOWN, value),
    ]
    if share:
        buttons.append(_button(ACTION_SHARE, texts.SLACK_SHARE, value) | {"style": "primary"})
    return {"type": "actions", "block_id": ACTIONS_BLOCK, "elements": buttons}


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label, "emoji": True},
            "value": value}  # fmt: skip


def answer_reference(answer: Answer) -> str:
    """A compact JSON reference to an answer that fits in a button's value: question (cut if need be),
    municipality, kind and sources ("file#page")."""
    sources = [f"{c.source}#{c.page}" if c.page else c.source for c in answer.citations[:SLACK_SOURCES]]
    ref = {"q": answer.question, "m": answer.municipality or "", "k": answer.kind, "s": sources}
    text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    while len(text) > SLACK_VALUE_CHARS and ref["q"]:
        ref["q"] = str(ref["q"])[: max(0, len(str(ref["q"])) - (len(text) - SLACK_VALUE_CHARS) - 1)]
        text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    return text


def read_reference(value: str) -> dict[str, Any]:
    """A button's value back as {"q", "m", "k", "s"}; ValueError when it is not one of ours."""
    ref = json.loads(value)
    if not isinstance(ref, dict) or not isinstance(ref.get("q"), str) or not isinstance(ref.get("s", []), list):
        raise ValueError("not an answer reference")
    return {"q": ref["q"], "m": str(ref.get("m") or ""), "k": str(ref.get("k") or ""),
            "s": [str(s) for s in ref.get("s", [])]}  # fmt: skip


def _slack_facts(answer: Answer) -> list[str]:
    facts = answer.facts
    out = []
    if answer.kind == "deadline":
        if facts.get("date"):
            out.append(texts.FACT_DATE.format(date=facts["date"]))
        if rule_texts.body_name(facts.get("body")):
            out.append(texts.FACT_ACTOR.format(actor=rule_texts.body_name(facts.get("body"))))
    elif answer.kind == "who_decides" and rule_texts.body_name(facts.get("body")):
        out.append(texts.FACT_DECIDES.format(body=rule_texts.body_name(facts.get("body"))))
    elif answer.kind == "role" and facts.get("side") in SIDE_NAMES:
        out.append(texts.FACT_SIDE.format(side=SIDE_NAMES[facts["side"]], axis=facts.get("axis", "")))
    elif answer.kind == "retrieval" and facts.get("written_by"):
        out.append(texts.FACT_WRITTEN_BY.format(model=facts["written_by"]))
    return out


def fact_rows(answer: Answer) -> list[tuple[str, str]]:
    """The answer's facts as (Swedish label, value) rows for a page: the date, who acts or decides, the rule."""
    facts, rows = answer.facts, []
    if answer.kind == "deadline":
        if facts.get("date"):
            day = date.fromisoformat(facts["date"])
            when = rule_texts.format_date(day, weekday=True)
            if facts.get("precision") == "month":
                when = texts.ROW_IN_MONTH.format(month=rule_texts.format_month(day), date=when)
            rows.append((texts.ROW_DATE, when))
        if facts.get("actor") or rule_texts.body_name(facts.get("body")):
            who = str(facts.get("actor") or rule_texts.body_name(facts.get("body")))
            rows.append((texts.ROW_ACTOR, rule_texts.capitalise(who)))
        if facts.get("rule"):
            rows.append((texts.ROW_RULE, rule_texts.capitalise(str(facts["rule"]))))
    elif answer.kind == "who_decides":
        if rule_texts.body_name(facts.get("body")):
            rows.append((texts.ROW_DECIDES, rule_texts.capitalise(str(rule_texts.body_name(facts.get("body"))))))
        if facts.get("basis"):
            rows.append((texts.ROW_BASIS, str(facts["basis"])))
    elif answer.kind == "role" and facts.get("side") in SIDE_NAMES:
        side = texts.ROW_SIDE_VALUE.format(side=SIDE_NAMES[facts["side"]], axis=facts.get("axis", ""))
        rows.append((texts.ROW_SIDE, rule_texts.capitalise(side)))
    elif answer.kind == "retrieval" and facts.get("written_by"):
        rows.append((texts.ROW_WRITTEN_BY, texts.ROW_WRITTEN_BY_VALUE.format(model=facts["written_by"])))
    return rows


def event_actor(event: Event) -> str | None:
    """Who acts on an event: the named actor, or the body's name."""
    return event.actor or rule_texts.body_name(event.body)


def event_source(event: Event, rulebook: Rulebook) -> str:
    """An event's source on one line: the law and paragraph, or the document, page and section."""
    cited = citation(event.source, rulebook, event.title)
    where = ", ".join(x for x in (f"s. {cited.page}" if cited.page else None, cited.section) if x)
    return cited.title + (f" – {where}" if where else "")


def reminder_message(reminder: Reminder, now: datetime, rulebook: Rulebook) -> tuple[str, list[dict[str, Any]]]:
    """A reminder as (fallback text, Block Kit): the event, the date and days left, who acts, the source."""
    occurrence = reminder.occurrence
    event = occurrence.event
    left = reminder.days_left(now.astimezone(STOCKHOLM).date())
    left_text = (
        texts.REMINDER_TODAY if left == 0 else texts.REMINDER_TOMORROW if left == 1
        else texts.REMINDER_DAYS.format(days=left)
    )  # fmt: skip
    deadline = rule_texts.format_date(occurrence.end, True)
    if occurrence.precision == "month":
        when = texts.REMINDER_IN_MONTH.format(month=rule_texts.format_month(occurrence.end), date=deadline,
                                              left=left_text)  # fmt: skip
    else:
        when = texts.REMINDER_BY_DAY.format(date=deadline, left=left_text)
    title = rule_texts.capitalise(event.title)
    facts = []
    who = event_actor(event)
    if who:
        facts.append(texts.REMINDER_WHO.format(who=who))
    facts.append(texts.REMINDER_SOURCE.format(source=event_source(event, rulebook)))
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": slack_escape(f"*{texts.REMINDER_TITLE.format(title=title)}*\n{rule_texts.capitalise(when)}"),
            },
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(f)} for f in facts]},
    ]
    buttons = [_button(ACTION_REMINDER_DONE, texts.REMINDER_DONE_BUTTON, reminder.key) | {"style": "primary"}]
    if left > 0:  # "tomorrow" is after a deadline that is today
        buttons.append(_button(ACTION_REMINDER_SNOOZE, texts.REMINDER_SNOOZE_BUTTON, reminder.key))
    blocks.append({"type": "actions", "block_id": REMINDER_ACTIONS_BLOCK, "elements": buttons})
    fallback = slack_escape(texts.REMINDER_FALLBACK.format(title=title, when=when.rstrip(".")))
    return fallback, blocks


ACTION_REMINDER_DONE, ACTION_REMINDER_SNOOZE = "styrbot_reminder_done", "styrbot_reminder_snooze"
REMINDER_ACTIONS_BLOCK = "styrbot_reminder_actions"
REMINDER_NOTE_BLOCK = "styrbot_reminder_note"


def reminder_marked(blocks: list[dict[str, Any]], note: str, keep_buttons: bool) -> list[dict[str, Any]]:
    """A posted reminder's blocks after someone clicked one of its buttons: the note (who did what) in
    place of an earlier note; the buttons gone once the occurrence is done."""
    kept = [
        b for b in blocks
        if b.get("block_id") != REMINDER_NOTE_BLOCK and (keep_buttons or b.get("block_id") != REMINDER_ACTIONS_BLOCK)
    ]  # fmt: skip
    note_block = {"type": "context", "block_id": REMINDER_NOTE_BLOCK, "elements": [{"type": "mrkdwn", "text": note}]}
    return [*kept, note_block]
