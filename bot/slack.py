"""Styrbot in Slack (slack-bolt): mentions, direct messages and `/styrbot`, answered by the shared `Answerer`.

Every request is acknowledged at once and answered after (bolt's lazy listeners), so Slack's three
seconds always hold. A redelivery (`X-Slack-Retry-Num`) and an `event_id` seen before are dropped, so a
question is never answered twice. The bot answers only what addresses it: a mention, a DM, the command;
never its own messages or other bots'. Any failure is told to the user in Swedish, never swallowed.

The same `App` serves HTTP (`POST /slack/events` in `bot.server`) and Socket Mode (`styrbot slack`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot import texts
from bot.answering import Answer, Answerer, EmptyQuestion, Question
from bot.formatting import slack_blocks
from rules import UnknownMunicipality

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
SEEN_EVENTS = 10_000  # event ids remembered for de-duplication


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


def question_text(text: str) -> str:
    """The question in a message: without mentions ("<@U123> När …?" → "När …?")."""
    return " ".join(_MENTION.sub(" ", text).split())


def build_app(
    answerer: Answerer,
    *,
    signing_secret: str | None,
    token: str | None = None,
    api_url: str | None = None,
    channel_municipalities: dict[str, str] | None = None,
    authorize: Callable[..., AuthorizeResult] | None = None,
) -> App:
    """The bolt app. `signing_secret` verifies HTTP requests (None only for Socket Mode, where Slack's socket
    is the proof); `api_url` points the Web API client elsewhere (tests, proxies); `authorize` replaces the
    token (tests: no `auth.test` call); `channel_municipalities` maps a channel id to its municipality."""
    client = WebClient(token=token, base_url=_base_url(api_url)) if api_url else WebClient(token=token)
    app = App(
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        client=client,
        authorize=authorize,
        token_verification_enabled=authorize is None and token is not None,
        process_before_response=False,
    )
    seen = SeenEvents()
    places = dict(channel_municipalities or {})

    @app.middleware
    def drop_redeliveries(req: Any, resp: Any, next: Callable[[], BoltResponse]) -> BoltResponse:
        if req.headers.get("x-slack-retry-num"):
            return BoltResponse(status=200, body="")
        event_id = (req.body or {}).get("event_id") if isinstance(req.body, dict) else None
        if event_id and not seen.first_time(str(event_id)):
            return BoltResponse(status=200, body="")
        return next()

    def answer(text: str, channel: str | None) -> Answer:
        municipality = places.get(channel or "")
        return answerer.answer(Question(text, municipality, channel=channel))

    def reply(text: str, channel: str | None) -> tuple[str, list[dict[str, Any]]]:
        """The answer as (fallback text, blocks); a failure as a Swedish message, logged."""
        question = question_text(text)
        if not question:
            return texts.SLACK_EMPTY, []
        try:
            result = answer(question, channel)
        except EmptyQuestion:
            return texts.SLACK_EMPTY, []
        except UnknownMunicipality as exc:
            return texts.UNKNOWN_MUNICIPALITY.format(municipality=exc.municipality, known=", ".join(exc.known)), []
        except Exception:
            log.exception("answering %r failed", question)
            return texts.SLACK_FAILED, []
        return result.text, slack_blocks(result)

    def post(client: WebClient, channel: str, text: str, thread_ts: str | None) -> None:
        fallback, blocks = reply(text, channel)
        try:
            client.chat_postMessage(channel=channel, text=fallback, blocks=blocks or None, thread_ts=thread_ts)
        except Exception:
            log.exception("posting the answer to %s failed", channel)

    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        if event.get("bot_id"):
            return
        post(client, event["channel"], event.get("text", ""), event.get("thread_ts") or event.get("ts"))

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return  # only a person's own direct message; channel chatter is not addressed to the bot
        post(client, event["channel"], event.get("text", ""), event.get("thread_ts"))

    def ack_command(ack: Callable[..., None]) -> None:
        ack(response_type="ephemeral", text=texts.SLACK_WORKING)

    def on_command(command: dict[str, Any], respond: Callable[..., None]) -> None:
        fallback, blocks = reply(command.get("text", ""), command.get("channel_id"))
        respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks or None)

    app.event("app_mention")(ack=lambda ack: ack(), lazy=[on_mention])
    app.event("message")(ack=lambda ack: ack(), lazy=[on_message])
    app.command("/styrbot")(ack=ack_command, lazy=[on_command])
    return app


def _base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"
