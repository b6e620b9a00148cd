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

    def municipality_for(channel: str) -> str:
        subscribed = [s.municipality for s in subscriptions(database) if s.channel == channel]
        return subscribed[0] if subscribed else municipality_of_channel(channel)

    def on_command(command: dict[str, Any], respond: Callable[..., None], client: WebClient) -> None:
        words = [w for w in _SPLIT.split(command.get("text", "").strip()) if w]
        verb, args = (words[0].lower(), words[1:]) if words else ("kommande", [])
        channel, user = command.get("channel_id", ""), command.get("user_id", "")
        try:
            if verb in ("kommande", "frister", "nästa"):
                respond(response_type="ephemeral", **upcoming(rules(), municipality_for(channel), now(), args))
            elif verb in ("prenumerera", "bevaka"):
                respond(response_type="in_channel", text=subscribe_channel(channel, user, args))
            elif verb in ("avsluta", "avprenumerera", "stopp"):
                ended = unsubscribe(database, channel)
                message = texts.ARSHJUL_UNSUBSCRIBED.format(user=user) if ended else texts.ARSHJUL_NOTHING_TO_END
                respond(response_type="in_channel" if ended else "ephemeral", text=message)
            elif verb in ("bild", "hjul"):
                post_wheel(client, channel, municipality_for(channel), respond)
            else:
                respond(response_type="ephemeral", text=texts.ARSHJUL_HELP)
        except _Refusal as refusal:
            respond(response_type="ephemeral", text=slack_escape(str(refusal)))  # it may quote what was typed
        except Exception:
            log.exception("/arshjul %s failed", verb)
            respond(response_type="ephemeral", text=texts.FAILED)

    def subscribe_channel(channel: str, user: str, args: list[str]) -> str:
        municipality, leads, tags = municipality_for(channel), [], []
        for word in args:
            found = _municipality_named(rules(), word)
            if found:
                municipality = found
            elif word.isdigit():
                leads.append(int(word))
            elif word.lower() not in ("alla", "allt"):
                tags.append(word.lower())
        rulebook = rules().rulebook(municipality)
        try:
            sub = subscribe(database, channel, municipality, checked_tags(rulebook, tags), leads)
        except (UnknownTag, BadLeadDays) as exc:
            raise _Refusal(swedish(exc)) from None
        what = texts.REMINDERS_TAGS.format(tags=", ".join(sub.tags)) if sub.tags else texts.REMINDERS_ALL_EVENTS
        return texts.ARSHJUL_SUBSCRIBED.format(user=user, name=rulebook.name, what=what, leads=_and(sub.lead_days))

    def post_wheel(client: WebClient, channel: str, municipality: str, respond: Callable[..., None]) -> None:
        from bot.calendar.wheel import render

        today = now().astimezone(STOCKHOLM).date()
        engine = rules()
        rulebook = engine.rulebook(municipality)
        png = render(engine, municipality, today)
        title = texts.ARSHJUL_PICTURE_TITLE.format(name=rulebook.name, year=today.year)
        try:
            client.files_upload_v2(
                channel=channel,
                file=png,
                filename=f"arshjul-{municipality}-{today.year}.png",
                title=title,
                alt_txt=title,
            )
        except Exception:
            log.warning("uploading the wheel to %s failed", channel, exc_info=True)
            respond(response_type="ephemeral", text=texts.ARSHJUL_PICTURE_FAILED)

    def on_reminder_button(body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        key, user = action.get("value", ""), (body.get("user") or {}).get("id", "")
        person = f"slack:{(body.get('team') or {}).get('id', '')}:{user}"
        blocks = (body.get("message") or {}).get("blocks") or []
        fallback = (body.get("message") or {}).get("text") or texts.REMINDER_DONE_BUTTON
        who = user if _USER_ID.match(user) else "?"
        try:
            if action.get("action_id") == ACTION_REMINDER_DONE:
                mark_done(database, key, person, now())
                note, keep = texts.REMINDER_MARKED_DONE.format(user=who), False
            else:
                due = snooze(database, key, person, now())
                if due is None:
                    respond(response_type="ephemeral", replace_original=False, text=texts.REMINDER_TOO_LATE)
                    return
                when = rule_texts.format_date(due.date(), True)
                note, keep = texts.REMINDER_SNOOZED.format(user=who, when=when), True
        except ValueError:
            respond(response_type="ephemeral", replace_original=False, text=texts.SLACK_STALE_BUTTON)
            return
        except SubscriptionEnded as exc:
            respond(response_type="ephemeral", replace_original=False, text=swedish(exc))
            return
        except Exception:
            log.exception("a reminder button failed")
            respond(response_type="ephemeral", replace_original=False, text=texts.REMINDER_NOT_SAVED)
            return
        respond(replace_original=True, text=fallback, blocks=reminder_marked(blocks, note, keep))

    app.command("/arshjul")(ack=lambda ack: ack(), lazy=[on_command])
    app.action(re.compile(f"^({ACTION_REMINDER_DONE}|{ACTION_REMINDER_SNOOZE})$"))(
        ack=lambda ack: ack(), lazy=[on_reminder_button]
    )


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
