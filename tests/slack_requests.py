"""Requests as Slack sends them to our app, signed with the signing secret, and the app served for real.

Shared by the Slack tests: `serving` runs the real FastAPI app under uvicorn on a free port; `command`
and `click` post a slash command or a button click exactly as Slack does (form-encoded, signed with
`X-Slack-Signature` over `v0:{timestamp}:{body}`).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from bot.services import Services
from bot.web import create_app
from tests import web

SECRET = "test-signing-secret"


def authorize(enterprise_id: str | None, team_id: str | None, logger: Any) -> AuthorizeResult:
    """The installation's token without calling `auth.test`."""
    return AuthorizeResult(
        enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-test", bot_user_id="UBOT", bot_id="BBOT"
    )


@contextmanager
def serving(services: Services, bolt: Any) -> Iterator[str]:
    """The real FastAPI app with this bolt app under uvicorn on a free port, for as long as the block runs."""
    with web.serving(create_app(services, bolt)) as url:
        yield url


def signed(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


def blocks(posted: dict[str, Any]) -> list[dict[str, Any]]:
    found = posted.get("blocks") or []
    return json.loads(found) if isinstance(found, str) else found


def buttons(posted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks(posted) if b["type"] == "actions" for e in b["elements"]}


def command_request(
    name: str, text: str, response_url: str, *, channel: str = "CKS", user: str = "U1"
) -> tuple[bytes, dict[str, str]]:
    """A slash command as Slack sends it: the form's bytes and the signed headers."""
    form = {
        "command": name,
        "text": text,
        "channel_id": channel,
        "user_id": user,
        "team_id": "T1",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }
    raw = urllib.parse.urlencode(form).encode()
    return raw, {"Content-Type": "application/x-www-form-urlencoded", **signed(raw)}


def command(
    server: str, name: str, text: str, response_url: str, *, channel: str = "CKS", user: str = "U1"
) -> httpx.Response:
    """A slash command as Slack sends it, posted."""
    raw, headers = command_request(name, text, response_url, channel=channel, user=user)
    return httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)


def click(
    server: str,
    button: dict[str, Any],
    response_url: str,
    *,
    user: str = "U1",
    channel: str = "CKS",
    message_ts: str = "1700000000.000200",
    ephemeral: bool = False,
    message: dict[str, Any] | None = None,
) -> httpx.Response:
    """A button click as Slack sends it: a signed form with the block_actions payload (and, for a click in
    a channel message, the message itself)."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
        "channel": {"id": channel},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "styrbot_actions",
                "value": button["value"],
                "action_ts": str(time.time()),
            }
        ],
    }
    if message is not None:
        payload["message"] = message
    raw = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(raw)}
    return httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)
