"""Årshjul reminders: who subscribes to what (`store`), which reminders are due when (`planning`, pure),
and the scheduler that posts each of them once through a channel's poster (`scheduler`; Slack's is
`bot.slack.posting`)."""

from bot.reminders.planning import Reminder, Subscription, due_at, next_slot, plan
from bot.reminders.store import (
    Ledger,
    mark_done,
    snooze,
    snoozed,
    subscribe,
    subscriptions,
    unsubscribe,
)

__all__ = [
    "Ledger",
    "Reminder",
    "Subscription",
    "due_at",
    "mark_done",
    "next_slot",
    "plan",
    "snooze",
    "snoozed",
    "subscribe",
    "subscriptions",
    "unsubscribe",
]
