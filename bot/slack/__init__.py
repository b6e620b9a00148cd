"""Styrbot in Slack: the bolt app (`app`: mentions, DMs, `/styrbot`, the answer buttons; `arshjul`:
`/arshjul` and the reminder buttons), answers and reminders as Block Kit (`blocks`), the Web API client
(`client`) and reminders posted to channels (`posting`). The same app serves HTTP (`bot.web`) and Socket
Mode (`styrbot slack`)."""

from bot.slack.app import WORKING_REACTION, build_app, question_text
from bot.slack.client import web_client
from bot.slack.posting import reminder_scheduler

__all__ = ["WORKING_REACTION", "build_app", "question_text", "reminder_scheduler", "web_client"]
