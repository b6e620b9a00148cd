"""The årshjul in Slack: the `/arshjul` command and the buttons on reminders.

`/arshjul kommande` lists the coming deadlines of the channel's municipality; `prenumerera` subscribes the
channel (municipality, tags and lead days in any order: `/arshjul prenumerera strangnas ekonomi 14 2`);
`avsluta` ends the channel's reminders; `bild` uploads the wheel picture to the channel. Anything else
gets the help text. Subscribing and ending are told to the whole channel (everyone there gets the
reminders); listings and errors only to the one who asked.

On a reminder, "Klar" stops the reminders of that occurrence for that subscription and "Påminn i morgon"
asks for one more at 08:30 on the next working day; the message then says who did what.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import texts
from bot.db import Database
from bot.errors import BadLeadDays, SubscriptionEnded, swedish
from bot.facts import event_actor
from bot.reminders import mark_done, snooze, subscribe, subscriptions, unsubscribe
from bot.slack.blocks import (
    ACTION_REMINDER_DONE,
    ACTION_REMINDER_SNOOZE,
    reminder_marked,
    slack_escape,
)
from rules import RulesEngine, UnknownMunicipality, UnknownTag
from rules import texts as rule_texts
from rules.calendar import STOCKHOLM
from rules.source import RulesSource
from rules.tags import checked_tags

log = logging.getLogger(__name__)
UPCOMING_DAYS = 30
UPCOMING_MAX = 15  # lines in one listing; the rest is counted
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_SPLIT = re.compile(r"[\s,]+")


def register_arshjul(
    app: App,
    *,
    database: Database,
    rules: RulesSource,
    municipality_of_channel: Callable[[str], str],
    now: Callable[[], datetime],
) -> None:
    """Add `/arshjul` and the reminder buttons to the bolt app. `municipality_of_channel` names a channel's
    municipality when it has no subscription; `now` is the clock (tests pass their own)."""
    arshjul = Arshjul(database, rules, municipality_of_channel, now)
    app.command("/arshjul")(ack=_ack, lazy=[arshjul.on_command])
    reminder_buttons = re.compile(f"^({ACTION_REMINDER_DONE}|{ACTION_REMINDER_SNOOZE})$")
    app.action(reminder_buttons)(ack=_ack, lazy=[arshjul.on_reminder_button])


class Arshjul:
    """`/arshjul` and the reminder buttons: one method a verb, each answering in Swedish."""

    def __init__(
        self,
        database: Database,
        rules: RulesSource,
        municipality_of_channel: Callable[[str], str],
        now: Callable[[], datetime],
    ) -> None:
        self.database, self.rules = database, rules
        self.municipality_of_channel, self.now = municipality_of_channel, now
        # each verb (and its synonyms) → what it does, with (channel, user, words after it, respond, client)
        self.verbs: dict[str, Callable[[str, str, list[str], Callable[..., None], WebClient], None]] = {
            **dict.fromkeys(("kommande", "frister", "nästa"), self.list_upcoming),
            **dict.fromkeys(("prenumerera", "bevaka"), self.subscribe_channel),
            **dict.fromkeys(("avsluta", "avprenumerera", "stopp"), self.end_subscription),
            **dict.fromkeys(("bild", "hjul"), self.post_wheel),
        }

    def municipality_for(self, channel: str) -> str:
        """The municipality the channel subscribes to, else the one configured for it, else the default."""
        subscribed = [s.municipality for s in subscriptions(self.database) if s.channel == channel]
        return subscribed[0] if subscribed else self.municipality_of_channel(channel)

    def on_command(self, command: dict[str, Any], respond: Callable[..., None], client: WebClient) -> None:
        words = [w for w in _SPLIT.split(command.get("text", "").strip()) if w]
        verb, args = (words[0].lower(), words[1:]) if words else ("kommande", [])
        channel, user = command.get("channel_id", ""), command.get("user_id", "")
        action = self.verbs.get(verb)
        try:
            if action is None:
                respond(response_type="ephemeral", text=texts.ARSHJUL_HELP)
            else:
                action(channel, user, args, respond, client)
        except _Refusal as refusal:
            respond(response_type="ephemeral", text=slack_escape(str(refusal)))  # it may quote what was typed
        except Exception:
            log.exception("/arshjul %s failed", verb)
            respond(response_type="ephemeral", text=texts.FAILED)

    def list_upcoming(
        self, channel: str, user: str, args: list[str], respond: Callable[..., None], client: WebClient
    ) -> None:
        respond(response_type="ephemeral", **upcoming(self.rules(), self.municipality_for(channel), self.now(), args))

    def subscribe_channel(
        self, channel: str, user: str, args: list[str], respond: Callable[..., None], client: WebClient
    ) -> None:
        """Municipality, tags and lead days in any order: `/arshjul prenumerera strangnas ekonomi 14 2`."""
        rules = self.rules()
        municipality, leads, tags = self.municipality_for(channel), [], []
        for word in args:
            found = _municipality_named(rules, word)
            if found:
                municipality = found
            elif word.isdigit():
                leads.append(int(word))
            elif word.lower() not in ("alla", "allt"):
                tags.append(word.lower())
        rulebook = rules.rulebook(municipality)
        try:
            chosen = checked_tags(rulebook, tags)
            sub = subscribe(self.database, channel, rulebook.municipality or municipality, chosen, leads)
        except (UnknownTag, BadLeadDays) as exc:
            raise _Refusal(swedish(exc)) from None
        what = texts.REMINDERS_TAGS.format(tags=", ".join(sub.tags)) if sub.tags else texts.REMINDERS_ALL_EVENTS
        said = texts.ARSHJUL_SUBSCRIBED.format(user=user, name=rulebook.name, what=what, leads=_and(sub.lead_days))
        respond(response_type="in_channel", text=said)

    def end_subscription(
        self, channel: str, user: str, args: list[str], respond: Callable[..., None], client: WebClient
    ) -> None:
        ended = unsubscribe(self.database, channel)
        message = texts.ARSHJUL_UNSUBSCRIBED.format(user=user) if ended else texts.ARSHJUL_NOTHING_TO_END
        respond(response_type="in_channel" if ended else "ephemeral", text=message)

    def post_wheel(
        self, channel: str, user: str, args: list[str], respond: Callable[..., None], client: WebClient
    ) -> None:
        from bot.calendar.wheel import render  # matplotlib loads only for a picture

        municipality, today = self.municipality_for(channel), self.now().astimezone(STOCKHOLM).date()
        rules = self.rules()
        png = render(rules, municipality, today)
        title = texts.ARSHJUL_PICTURE_TITLE.format(name=rules.rulebook(municipality).name, year=today.year)
        name = f"arshjul-{municipality}-{today.year}.png"
        try:
            client.files_upload_v2(channel=channel, file=png, filename=name, title=title, alt_txt=title)
        except Exception:
            log.warning("uploading the wheel to %s failed", channel, exc_info=True)
            respond(response_type="ephemeral", text=texts.ARSHJUL_PICTURE_FAILED)

    def on_reminder_button(self, body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        """ "Klar" or "Påminn i morgon" on a reminder: recorded, and the message says who did what."""
        key, user = action.get("value", ""), (body.get("user") or {}).get("id", "")
        person = f"slack:{(body.get('team') or {}).get('id', '')}:{user}"
        who = user if _USER_ID.match(user) else "?"
        try:
            marked = self._mark(action.get("action_id") == ACTION_REMINDER_DONE, key, person, who)
        except ValueError:
            marked = texts.STALE_BUTTON
        except SubscriptionEnded as exc:
            marked = swedish(exc)
        except Exception:
            log.exception("a reminder button failed")
            marked = texts.REMINDER_NOT_SAVED
        if isinstance(marked, str):
            respond(response_type="ephemeral", replace_original=False, text=marked)
            return
        note, keep = marked
        message = body.get("message") or {}
        fallback = message.get("text") or texts.REMINDER_DONE_BUTTON
        respond(replace_original=True, text=fallback, blocks=reminder_marked(message.get("blocks") or [], note, keep))

    def _mark(self, done: bool, key: str, person: str, who: str) -> tuple[str, bool] | str:
        """The note to add to the reminder and whether its buttons stay; or why nothing was marked."""
        if done:
            mark_done(self.database, key, person, self.now())
            return texts.REMINDER_MARKED_DONE.format(user=who), False
        due = snooze(self.database, key, person, self.now())
        if due is None:
            return texts.REMINDER_TOO_LATE
        return texts.REMINDER_SNOOZED.format(user=who, when=rule_texts.format_date(due.date(), True)), True


def _ack(ack: Callable[..., None]) -> None:
    ack()


class _Refusal(Exception):
    """A command that cannot be done as asked; the message says why, in Swedish."""


def upcoming(rules: RulesEngine, municipality: str, now: datetime, args: list[str]) -> dict[str, Any]:
    """The coming deadlines as (text, blocks): the next `UPCOMING_DAYS` days, or as many as asked for."""
    days = int(args[0]) if args and args[0].isdigit() and 1 <= int(args[0]) <= 366 else UPCOMING_DAYS
    today = now.astimezone(STOCKHOLM).date()
    rulebook = rules.rulebook(municipality)
    items = rules.upcoming(municipality, today, today + timedelta(days=days - 1))
    if not items:
        return {"text": texts.ARSHJUL_UPCOMING_NONE.format(name=rulebook.name, days=days)}
    header = texts.ARSHJUL_UPCOMING_HEADER.format(name=rulebook.name, days=days)
    lines = [
        _line(i.occurrence.event.title, i.occurrence.end, i.occurrence.precision, event_actor(i.occurrence.event))
        for i in items[:UPCOMING_MAX]
    ]
    if len(items) > UPCOMING_MAX:
        lines.append(texts.ARSHJUL_UPCOMING_MORE.format(count=len(items) - UPCOMING_MAX))
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(header)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": texts.ARSHJUL_UPCOMING_HINT}]},
    ]
    return {"text": header, "blocks": blocks}


def _line(title: str, end: date, precision: str, who: str | None) -> str:
    when = rule_texts.format_date(end, True)
    if precision == "month":
        when = texts.ARSHJUL_IN_MONTH.format(month=rule_texts.format_month(end), date=when)
    actor = texts.ARSHJUL_WHO.format(who=who) if who else ""
    return slack_escape(f"• *{when}* – {rule_texts.capitalise(title)}{actor}")


def _municipality_named(rules: RulesEngine, word: str) -> str | None:
    wanted = word.lower()
    for municipality in rules.known:
        try:
            names = {municipality, *(n.lower() for n in rules.rulebook(municipality).names)}
        except UnknownMunicipality:
            continue
        if wanted in names:
            return municipality
    return None


def _and(numbers: tuple[int, ...]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]
