"""Styrbot in Slack (slack-bolt): mentions, direct messages and `/styrbot`, answered by the shared `Answerer`.

Every request is acknowledged at once and answered after (bolt's lazy listeners), so Slack's three
seconds always hold. An answer that takes longer than a moment gets a ⏳ reaction on the question until
it is posted. Each `event_id` is claimed once (in the shared database when there is one, so replicas
agree), so a redelivery (`X-Slack-Retry-Num`) never gives a second answer, while a retry of an event
whose first delivery never arrived is still answered. The bot answers only what addresses it: a mention,
a DM, the command; never its own messages or other bots'. Any failure is told to the user in Swedish,
never swallowed.

Under each answer: 👍/👎 buttons whose clicks are stored (`bot.db`), and under a private `/styrbot`
answer a button that shares it in the channel.

The same `App` serves HTTP (`POST /slack/events` in `bot.web`) and Socket Mode (`styrbot slack`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot import texts
from bot.answering import Answer, Question
from bot.db import Feedback
from bot.errors import BadQuestion, EmptyQuestion, swedish
from bot.slack.arshjul import register_arshjul
from bot.slack.blocks import ACTION_DOWN, ACTION_SHARE, ACTION_UP, read_reference, slack_escape, slack_message
from bot.slack.client import counting, header_value, web_client
from rules import UnknownMunicipality
from rules.calendar import STOCKHOLM

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
SEEN_EVENTS = 10_000  # event ids remembered for de-duplication without a database
WORKING_AFTER = 1.0  # seconds before a question gets the ⏳ reaction
WORKING_REACTION = "hourglass_flowing_sand"


class SeenEvents:
    """The event ids already handled (the most recent `size`), safe across bolt's listener threads."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen, False ever after (while it is remembered)."""
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


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
    """The bolt app. `signing_secret` verifies HTTP requests (None only for Socket Mode, where Slack's socket
    is the proof); `api_url` points the Web API client elsewhere (tests, proxies); `authorize` replaces the
    token (tests: no `auth.test` call); `channel_municipalities` maps a channel id to its municipality.
    The services' database stores feedback and claims event ids across replicas (without one, feedback
    cannot be saved, event ids are remembered in this process only, and there is no `/arshjul`); `working_after` is the
    wait before ⏳; `clock` is the time `/arshjul` and the reminder buttons go by (tests set their own)."""
    answerer, database = services.answerer, services.database
    client = web_client(token, api_url)
    app = App(
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        client=client,
        authorize=authorize,
        token_verification_enabled=authorize is None and token is not None,
        process_before_response=False,
    )
    first_time = database.claim_event if database is not None else SeenEvents().first_time
    places = dict(channel_municipalities or {})

    @app.middleware
    def drop_redeliveries(req: Any, resp: Any, next: Callable[[], BoltResponse]) -> BoltResponse:
        """Each event once however often it is delivered, and each signed request once: a replay of a
        captured request (a slash command, a click) within Slack's five minutes is not answered again."""
        event_id = (req.body or {}).get("event_id") if isinstance(req.body, dict) else None
        if event_id:
            if not first_time(str(event_id)):
                return BoltResponse(status=200, body="")
        elif req.headers.get("x-slack-retry-num"):
            return BoltResponse(status=200, body="")  # a retry that cannot be told apart: never risk a second
        signature = header_value(req.headers.get("x-slack-signature"))
        if signature and not first_time("sig:" + hashlib.sha256(signature.encode()).hexdigest()[:40]):
            log.warning("a replayed Slack request was dropped")
            return BoltResponse(status=200, body="")
        req.context["client"] = counting(req.context.client)
        return next()

    def reply(text: str, municipality: str | None, share: bool = False) -> tuple[str, list[dict[str, Any]]]:
        """The answer as (fallback text, blocks); a failure as a Swedish message, logged."""
        question = question_text(text)
        if not question:
            return texts.SLACK_EMPTY, []
        try:
            result: Answer = answerer.answer(Question(question, municipality or None, channel="slack"))
        except EmptyQuestion:
            return texts.SLACK_EMPTY, []
        except (BadQuestion, UnknownMunicipality) as exc:
            return slack_escape(swedish(exc)), []
        except Exception:
            log.exception("answering a question failed")
            return texts.FAILED, []
        return slack_message(result, share=share)

    def post(client: WebClient, event: dict[str, Any], thread_ts: str | None) -> None:
        channel = event["channel"]
        with Working(client, channel, event.get("ts"), working_after):
            fallback, blocks = reply(event.get("text", ""), places.get(channel))
            try:
                client.chat_postMessage(channel=channel, text=fallback, blocks=blocks or None, thread_ts=thread_ts)
            except Exception:
                log.exception("posting the answer to %s failed", channel)

    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        if event.get("bot_id"):
            return
        post(client, event, event.get("thread_ts") or event.get("ts"))

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return  # only a person's own direct message; channel chatter is not addressed to the bot
        post(client, event, event.get("thread_ts"))

    def ack_command(ack: Callable[..., None]) -> None:
        ack(response_type="ephemeral", text=texts.SLACK_WORKING)

    def on_command(command: dict[str, Any], respond: Callable[..., None]) -> None:
        channel = command.get("channel_id")
        fallback, blocks = reply(command.get("text", ""), places.get(channel or ""), share=True)
        respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks or None)

    def on_feedback(body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        try:
            ref = read_reference(action.get("value", ""))
        except ValueError:
            respond(response_type="ephemeral", replace_original=False, text=texts.SLACK_STALE_BUTTON)
            return
        vote = "up" if action.get("action_id") == ACTION_UP else "down"
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        person = f"slack:{(body.get('team') or {}).get('id', '')}:{(body.get('user') or {}).get('id', '')}"
        item = Feedback(
            answer_ref=f"slack:{channel}:{container.get('message_ts', '')}",
            voter=person,
            vote=vote,
            kind=ref["k"],
            municipality=ref["m"],
            question=ref["q"],
            sources=tuple(ref["s"]),
        )
        try:
            if database is None:
                raise RuntimeError("no database configured")
            database.record_feedback(item)
        except Exception:
            log.exception("storing feedback failed")
            respond(response_type="ephemeral", replace_original=False, text=texts.SLACK_NOT_SAVED)
            return
        thanks = texts.SLACK_THANKS_UP if vote == "up" else texts.SLACK_THANKS_DOWN
        respond(response_type="ephemeral", replace_original=False, text=thanks)

    def on_share(body: dict[str, Any], action: dict[str, Any], respond: Callable[..., None]) -> None:
        try:
            ref = read_reference(action.get("value", ""))
        except ValueError:
            respond(response_type="ephemeral", replace_original=False, text=texts.SLACK_STALE_BUTTON)
            return
        fallback, blocks = reply(ref["q"], ref["m"])
        user = (body.get("user") or {}).get("id", "")
        if blocks and _USER_ID.match(user):
            shared_by = texts.SLACK_SHARED_BY.format(user=user, question=slack_escape(ref["q"]))
            blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": shared_by}]}, *blocks]
        respond(response_type="in_channel", replace_original=False, text=fallback, blocks=blocks or None)
        respond(response_type="ephemeral", replace_original=True, text=texts.SLACK_SHARED)

    app.event("app_mention")(ack=lambda ack: ack(), lazy=[on_mention])
    app.event("message")(ack=lambda ack: ack(), lazy=[on_message])
    app.command("/styrbot")(ack=ack_command, lazy=[on_command])
    app.action(re.compile(f"^({ACTION_UP}|{ACTION_DOWN})$"))(ack=lambda ack: ack(), lazy=[on_feedback])
    app.action(ACTION_SHARE)(ack=lambda ack: ack(), lazy=[on_share])
    if database is not None:
        register_arshjul(
            app,
            database=database,
            rules=services.rules,
            municipality_of_channel=lambda channel: places.get(channel) or answerer.default_municipality,
            now=clock or (lambda: datetime.now(STOCKHOLM)),
        )
    return app
