"""Reminders posted to Slack: each message carries its key as metadata, so an earlier attempt can be found
in the channel's history before a reminder is ever posted again (`bot.reminders.scheduler`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.reminders.planning import Reminder
from bot.reminders.scheduler import Clock, ReminderScheduler, TickReport
from bot.slack.blocks import reminder_message
from bot.slack.client import web_client

if TYPE_CHECKING:
    from bot.services import Services


HISTORY_PAGES = 10  # pages of 200 messages searched for an earlier attempt
METADATA_TYPE = "styrbot_reminder"


class SlackPoster:
    """Posts reminders with the Web API client; each message carries its key as metadata."""

    def __init__(self, client: Any, blocks: Callable[[Reminder, datetime], tuple[str, list[dict[str, Any]]]]):
        self.client = client
        self.blocks = blocks

    def post(self, reminder: Reminder, now: datetime) -> str:
        fallback, blocks = self.blocks(reminder, now)
        response = self.client.chat_postMessage(
            channel=reminder.subscription.channel,
            text=fallback,
            blocks=blocks,
            unfurl_links=False,
            metadata={"event_type": METADATA_TYPE, "event_payload": {"key": reminder.key}},
        )
        return str(response.get("ts", ""))

    def find(self, reminder: Reminder, since: datetime) -> str | None:
        cursor = None
        for _ in range(HISTORY_PAGES):
            response = self.client.conversations_history(
                channel=reminder.subscription.channel,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in response.get("messages", []):
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("key") == reminder.key:
                    return str(message.get("ts", ""))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                break
        return None


def reminder_scheduler(
    services: Services, clock: Clock | None = None, on_tick: Callable[[TickReport], None] | None = None
) -> ReminderScheduler:
    """The reminder scheduler posting through the configured Slack Web API, planning from the services'
    rules (an edited profile re-plans) and keeping its ledger in their database."""
    settings, rules, database = services.settings, services.rules, services.database
    if database is None:
        raise ValueError("reminders need the services' database")
    client = web_client(settings.slack_bot_token, settings.slack_api_url, retry_unknown=False)

    def message(reminder: Reminder, now: datetime) -> tuple[str, list[dict[str, Any]]]:
        return reminder_message(reminder, now, rules.current.rulebook(reminder.subscription.municipality))

    keep = timedelta(days=settings.reminder_log_days)
    return ReminderScheduler(database, rules, SlackPoster(client, message), clock, on_tick, keep=keep)
