"""Answers and reminders as Slack shows them: Block Kit built from the channel-neutral rows of `bot.facts`,
with every text from a document or a profile escaped, and the buttons that carry what their click needs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.answering import Answer
from bot.facts import answer_reference, event_actor, event_source, excerpt, fact_rows, source_line
from rules import Rulebook
from rules import texts as rule_texts
from rules.calendar import STOCKHOLM

if TYPE_CHECKING:
    from bot.reminders.planning import Reminder


SLACK_SECTION_CHARS = 2900  # Slack refuses a section text over 3000 characters


SLACK_SOURCES = 5


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
    body = answer.text if len(answer.text) <= SLACK_SECTION_CHARS else excerpt(answer.text, SLACK_SECTION_CHARS)
    blocks: list[dict[str, Any]] = []
    if answer.followup is not None:  # what a follow-up was taken to ask, so a misreading shows at once
        understood = texts.UNDERSTOOD_AS.format(question=answer.followup.question)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(understood)}]})
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(body)}})
    facts = [texts.FACT_ROW.format(label=label, value=value) for label, value in fact_rows(answer)]
    if facts:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(f)} for f in facts]})
    if answer.citations:
        sources = [f"[{n}] {source_line(c)}" for n, c in enumerate(answer.citations[:SLACK_SOURCES], 1)]
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
    value = answer_reference(answer, SLACK_VALUE_CHARS)
    buttons = [
        _button(ACTION_UP, texts.FEEDBACK_UP, value),
        _button(ACTION_DOWN, texts.FEEDBACK_DOWN, value),
    ]
    if share:
        buttons.append(_button(ACTION_SHARE, texts.SLACK_SHARE, value) | {"style": "primary"})
    return {"type": "actions", "block_id": ACTIONS_BLOCK, "elements": buttons}


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": value,
    }


def reminder_message(reminder: Reminder, now: datetime, rulebook: Rulebook) -> tuple[str, list[dict[str, Any]]]:
    """A reminder as (fallback text, Block Kit): the event, the date and days left, who acts, the source."""
    occurrence = reminder.occurrence
    event = occurrence.event
    left = reminder.days_left(now.astimezone(STOCKHOLM).date())
    left_text = (
        texts.REMINDER_TODAY
        if left == 0
        else texts.REMINDER_TOMORROW
        if left == 1
        else texts.REMINDER_DAYS.format(days=left)
    )
    deadline = rule_texts.format_date(occurrence.end, True)
    if occurrence.precision == "month":
        when = texts.REMINDER_IN_MONTH.format(
            month=rule_texts.format_month(occurrence.end), date=deadline, left=left_text
        )
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
        b
        for b in blocks
        if b.get("block_id") != REMINDER_NOTE_BLOCK and (keep_buttons or b.get("block_id") != REMINDER_ACTIONS_BLOCK)
    ]
    note_block = {"type": "context", "block_id": REMINDER_NOTE_BLOCK, "elements": [{"type": "mrkdwn", "text": note}]}
    return [*kept, note_block]
