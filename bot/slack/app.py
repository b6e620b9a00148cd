"""Styrbot in Slack (slack-bolt): mentions, direct messages and `/styrbot`, answered by the shared `Answerer`.

Every request is acknowledged at once and answered after (bolt's lazy listeners), so Slack's three
seconds always hold. An answer that takes longer than a moment gets a ⏳ reaction on the question until
it is posted. Each `event_id` is claimed once in the shared database (so replicas agree), so a
redelivery (`X-Slack-Retry-Num`) never gives a second answer, while a retry of an event
whose first delivery never arrived is still answered. The bot answers only what addresses it: a mention,
a DM, the command, and a reply in a thread it has answered in (a follow-up, answered with what the thread
asked before: `bot.conversations`; a reply that mentions someone is addressed to them); never its own
messages or other bots'. A DM continues its conversation for half an hour. `/styrbot` is one-shot. Any
failure is told to the user in Swedish, never swallowed.

Under each answer: 👍/👎 buttons whose clicks are stored (`bot.db`), and under a private `/styrbot`
answer a button that shares it in the channel.

Each kind of request has one short method of `Listeners`; what none of them handles reaches one error
handler. The same `App` serves HTTP (`POST /slack/events` in `bot.web`) and Socket Mode (`styrbot slack`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot import texts
from bot.answering import Answer, Question
from bot.conversations import DIRECT_CHAT_CONTINUES
from bot.db import Feedback
from bot.errors import BadQuestion, EmptyQuestion, swedish
from bot.facts import read_reference
from bot.slack.arshjul import register_arshjul
from bot.slack.blocks import ACTION_DOWN, ACTION_SHARE, ACTION_UP, slack_escape, slack_message
from bot.slack.client import counting, header_value, web_client
from rules import UnknownMunicipality
from rules.calendar import STOCKHOLM

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
WORKING_AFTER = 1.0  # seconds before a question gets the ⏳ reaction
WORKING_REACTION = "hourglass_flowing_sand"


class Working:
    """The ⏳ reaction on a question while its answer takes longer than `after` seconds; removed when done."""

    def __init__(self, client: WebClient, channel: str, ts: str | None, after: float) -> None:
        self._client, self._channel, self._ts, self._after = client, channel, ts, after
        self._timer = threading.Timer(after, self._show)
        self._timer.daemon = True
        self._lock = threading.Lock()
        self._done = self._shown = False

    def __enter__(self) -> Working:
        if self._ts and self._after <= 0:
            self._show()
        elif self._ts:
            self._timer.start()
        return self

    def _show(self) -> None:
        with self._lock:
            if self._done:
                return
            self._shown = self._react(self._client.reactions_add)

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            if self._shown:
                self._react(self._client.reactions_remove)

    def _react(self, call: Callable[..., Any]) -> bool:
        try:
            call(channel=self._channel, timestamp=self._ts, name=WORKING_REACTION)
        except Exception:  # a missing scope or a hiccup must not cost the answer
            log.warning("the %s reaction failed in %s", WORKING_REACTION, self._channel, exc_info=True)
            return False
        return True


def question_text(text: str) -> str:
    """The question in a message: without mentions ("<@U123> När …?" → "När …?")."""
    return " ".join(_MENTION.sub(" ", text).split())


def build_app(
    services: Services,
    *,
    signing_secret: str | None,
    token: str | None = None,
    api_url: str | None = None,
    channel_municipalities: dict[str, str] | None = None,
    authorize: Callable[..., AuthorizeResult] | None = None,
    working_after: float = WORKING_AFTER,
    clock: Callable[[], datetime] | None = None,
) -> App:
    """The bolt app over the services (which must have a database: it stores feedback and claims event ids
    across replicas). `signing_secret` verifies HTTP requests (None only for Socket Mode, where Slack's
    socket is the proof); `api_url` points the Web API client elsewhere (tests, proxies); `authorize`
    replaces the token (tests: no `auth.test` call); `channel_municipalities` maps a channel id to its
    municipality; `working_after` is the wait before ⏳; `clock` is the time `/arshjul` and the reminder
    buttons go by (tests set their own)."""
    if services.database is None:
        raise ValueError("the Slack app needs the services' database")
    app = App(
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        client=web_client(token, api_url),
        authorize=authorize,
        token_verification_enabled=authorize is None and token is not None,
        process_before_response=False,
    )
    places = dict(channel_municipalities or {})
    listeners = Listeners(services, places, working_after)
    app.middleware(listeners.drop_redeliveries)
    app.error(_log_error)
    app.event("app_mention")(ack=_ack, lazy=[listeners.on_mention])
    app.event("message")(ack=_ack, lazy=[listeners.on_message])
    app.command("/styrbot")(ack=listeners.ack_command, lazy=[listeners.on_command])
    app.action(re.compile(f"^({ACTION_UP}|{ACTION_DOWN})$"))(ack=_ack, lazy=[listeners.on_feedback])
    app.action(ACTION_SHARE)(ack=_ack, lazy=[listeners.on_share])
    register_arshjul(
        app,
        database=services.database,
        rules=services.rules,
        municipality_of_channel=lambda channel: places.get(channel) or services.answerer.default_municipality,
        now=clock or (lambda: datetime.now(STOCKHOLM)),
    )
    return app


class Listeners:
    """What Styrbot does with each thing Slack sends: one short method a kind, all answering through the
    services' answerer and recording in their database."""

    def __init__(self, services: Services, places: dict[str, str], working_after: float) -> None:
        assert services.database is not None
        self.answerer, self.database = services.answerer, services.database
        self.conversations = services.conversations
        self.library = services.library
        self.places = places  # channel id → municipality
        self.working_after = working_after

    def drop_redeliveries(self, req: Any, resp: Any, next: Callable[[], BoltResponse]) -> BoltResponse:
        """Each event once however often it is delivered, and each signed request once: a replay of a
        captured request (a slash command, a click) within Slack's five minutes is not answered again."""
        body = req.body if isinstance(req.body, dict) else {}
        if _chatter(body.get("event")):
            return BoltResponse(status=200, body="")  # read nothing, claim nothing: most channel messages are this
        event_id = body.get("event_id")
        if event_id:
            if not self.database.claim_event(str(event_id)):
                return BoltResponse(status=200, body="")
        elif req.headers.get("x-slack-retry-num"):
            return BoltResponse(status=200, body="")  # a retry that cannot be told apart: never risk a second
        signature = header_value(req.headers.get("x-slack-signature"))
        if signature and not self.database.claim_event("sig:" + hashlib.sha256(signature.encode()).hexdigest()[:40]):
            log.warning("a replayed Slack request was dropped")
            return BoltResponse(status=200, body="")
        req.context["client"] = counting(req.context.client)
        return next()

    def reply(
        self,
        text: str,
        municipality: str | None,
        conversation: str | None = None,
        within: timedelta | None = None,
        share: bool = False,
    ) -> tuple[str, list[dict[str, Any]]]:
        """The answer as (fallback text, blocks), in its conversation when it is part of one; a failure as a
        Swedish message, logged."""
        question = question_text(text)
        if not question:
            return texts.SLACK_EMPTY, []
        asked = Question(question, municipality or None, channel="slack")
        try:
            result: Answer = (
                self.conversations.ask(asked, conversation, within)
                if conversation is not None
                else self.answerer.answer(asked)
            )
        except EmptyQuestion:
            return texts.SLACK_EMPTY, []
        except (BadQuestion, UnknownMunicipality) as exc:
            return slack_escape(swedish(exc)), []
        except Exception:
            log.exception("answering a question failed")
            return texts.FAILED, []
        return slack_message(result, share=share)

    def post(
        self,
        client: WebClient,
        event: dict[str, Any],
        thread_ts: str | None,
        conversation: str,
        within: timedelta | None = None,
    ) -> None:
        """Answer a message where it was written (in its thread, or in the DM), in its conversation."""
        channel = event["channel"]
        with Working(client, channel, event.get("ts"), self.working_after):
            fallback, blocks = self.reply(event.get("text", ""), self.places.get(channel), conversation, within)
            try:
                client.chat_postMessage(channel=channel, text=fallback, blocks=blocks or None, thread_ts=thread_ts)
            except Exception:
                log.exception("posting the answer to %s failed", channel)

    def on_mention(self, event: dict[str, Any], client: WebClient) -> None:
        if not event.get("bot_id"):
            root = event.get("thread_ts") or event.get("ts")
            self.post(client, event, root, _thread(event["channel"], root))

    def on_message(self, event: dict[str, Any], client: WebClient) -> None:
        """A person's direct message; or a reply in a channel thread Styrbot has answered in, unless it mentions
        someone (a mention of Styrbot itself comes as `app_mention`). Other channel messages never get here
        (`_chatter`)."""
        channel, thread = event["channel"], event.get("thread_ts")
        if event.get("channel_type") == "im":
            if not event.get("bot_id") and not event.get("subtype"):
                within = None if thread else DIRECT_CHAT_CONTINUES
                key = _thread(channel, thread) if thread else f"slack:{channel}:dm"
                self.post(client, event, thread, key, within)
            return
        if not _MENTION.search(event.get("text", "")) and self.conversations.joined(_thread(channel, thread)):
            self.post(client, event, thread, _thread(channel, thread))

    def ack_command(self, ack: Callable[..., None]) -> None:
        """A command is acknowledged at once, saying why the answer may take a while on a first reading-in."""
        reading = self.library is not None and self.library.readiness() == "opening"
        ack(response_type="ephemeral", text=texts.SLACK_READING_IN if reading else texts.SLACK_WORKING)

    def on_command(self, command: dict[str, Any], respond: Callable[..., None]) -> None:
        channel = command.get("channel_id")
        fallback, blocks = self.reply(command.get("text", ""), self.places.get(channel or ""), share=True)  # one-shot
        respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks or None)

    def on_feedback(self, body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        ref = _reference(action, respond)
        if ref is None:
            return
        vote = "up" if action.get("action_id") == ACTION_UP else "down"
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        item = Feedback(
            answer_ref=f"slack:{channel}:{container.get('message_ts', '')}",
            voter=_person(body),
            vote=vote,
            kind=ref["k"],
            municipality=ref["m"],
            question=ref["q"],
            sources=tuple(ref["s"]),
        )
        try:
            self.database.record_feedback(item)
        except Exception:
            log.exception("storing feedback failed")
            respond(response_type="ephemeral", replace_original=False, text=texts.FEEDBACK_NOT_SAVED)
            return
        thanks = texts.THANKS_UP if vote == "up" else texts.THANKS_DOWN
        respond(response_type="ephemeral", replace_original=False, text=thanks)

    def on_share(self, body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        ref = _reference(action, respond)
        if ref is None:
            return
        fallback, blocks = self.reply(ref["q"], ref["m"])
        user = (body.get("user") or {}).get("id", "")
        if blocks and _USER_ID.match(user):
            shared_by = texts.SLACK_SHARED_BY.format(user=user, question=slack_escape(ref["q"]))
            blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": shared_by}]}, *blocks]
        respond(response_type="in_channel", replace_original=False, text=fallback, blocks=blocks or None)
        respond(response_type="ephemeral", replace_original=True, text=texts.SLACK_SHARED)


def _chatter(event: Any) -> bool:
    """A channel message that is no reply in a thread (the bot reads every message of its channels, for the
    follow-ups): never addressed to Styrbot, so neither claimed nor looked up."""
    if not isinstance(event, dict) or event.get("type") != "message" or event.get("channel_type") == "im":
        return False
    thread = event.get("thread_ts")
    return bool(event.get("bot_id") or event.get("subtype") or not thread or thread == event.get("ts"))


def _thread(channel: str, root: str | None) -> str:
    """The key of a thread's conversation: its channel and the timestamp of its first message."""
    return f"slack:{channel}:{root}"


def _ack(ack: Callable[..., None]) -> None:
    ack()


def _reference(action: dict[str, Any], respond: Callable[..., None]) -> dict[str, Any] | None:
    """The answer a button was under; None, and the person told, when the button is not one of ours."""
    try:
        return read_reference(action.get("value", ""))
    except ValueError:
        respond(response_type="ephemeral", replace_original=False, text=texts.STALE_BUTTON)
        return None


def _person(body: dict[str, Any]) -> str:
    """Who clicked, as the database keeps a person (hashed there): "slack:<team>:<user>"."""
    return f"slack:{(body.get('team') or {}).get('id', '')}:{(body.get('user') or {}).get('id', '')}"


def _log_error(error: Exception, body: dict[str, Any]) -> None:
    """The one handler of what a listener did not handle itself: logged with what Slack sent, by kind."""
    log.error("a Slack %s failed: %s", body.get("type") or body.get("command") or "request", error, exc_info=error)
