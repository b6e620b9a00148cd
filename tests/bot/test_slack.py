"""Slack over HTTP, tested the way bolt-python tests itself.

Requests are signed exactly as Slack signs them and sent to our real FastAPI app served by uvicorn on a
free port; the Slack Web API is a small recording HTTP server on loopback (the only fake). The answers
come from the real rules engine.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from bot.answering import Answerer
from bot.server import create_app
from bot.slack import build_app, question_text
from rules import RulesEngine

SECRET = "test-signing-secret"


class SlackApi:
    """A stand-in for Slack's Web API (and response URLs) that records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw) if raw else {}
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                with api._lock:
                    api.calls.append((self.path, body))
                reply = json.dumps({"ok": True, "ts": "1700000000.000200", "channel": body.get("channel")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posted(self, path: str = "/api/chat.postMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [body for p, body in self.calls if p == path]

    def wait_for(self, count: int, path: str = "/api/chat.postMessage", timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.posted(path)) < count:
            time.sleep(0.01)
        return self.posted(path)


def _authorize(enterprise_id: str | None, team_id: str | None, logger: Any) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-test", bot_user_id="UBOT", bot_id="BBOT"
    )


@pytest.fixture(scope="module")
def slack_api() -> Iterator[SlackApi]:
    api = SlackApi()
    yield api
    api.server.shutdown()
    api.server.server_close()


@pytest.fixture(scope="module")
def server(slack_api: SlackApi) -> Iterator[str]:
    engine = RulesEngine()
    answerer = Answerer(engine, "exempelkommun")
    bolt = build_app(
        answerer,
        signing_secret=SECRET,
        api_url=slack_api.url,
        authorize=_authorize,
        channel_municipalities={"CSTRANGNAS": "strangnas"},
    )
    config = uvicorn.Config(create_app(answerer, bolt), host="127.0.0.1", port=0, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(5)


@pytest.fixture(autouse=True)
def fresh(slack_api: SlackApi) -> None:
    slack_api.calls.clear()


def _signed(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


_counter = iter(range(1, 1_000_000))


def _event(event: dict[str, Any], event_id: str | None = None) -> bytes:
    payload = {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_counter):06d}",
        "event_time": int(time.time()),
        "event": event,
    }
    return json.dumps(payload).encode()


def _mention(text: str, channel: str = "CKS", ts: str | None = None) -> dict[str, Any]:
    ts = ts or f"1700000000.{next(_counter):06d}"
    return {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "channel": channel, "ts": ts}


def _post_event(server: str, raw: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json", **_signed(raw), **(headers or {})}
    return httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)


def test_a_mention_is_answered_in_its_thread_with_the_date(server: str, slack_api: SlackApi) -> None:
    started = time.monotonic()
    mention = _mention("När ska delårsrapporten vara klar?")
    response = _post_event(server, _event(mention))
    assert response.status_code == 200
    [posted] = slack_api.wait_for(1)
    assert time.monotonic() - started < 2.0
    assert posted["channel"] == "CKS" and posted["thread_ts"] == mention["ts"]
    assert "delårsrapporten" in posted["text"] and "31 oktober" in posted["text"]
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    facts = " ".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])
    assert "Nästa datum: " in facts and "Ansvarig: kommunstyrelsen" in facts and "Kommunallag" in facts


def test_a_reply_in_a_thread_stays_in_that_thread(server: str, slack_api: SlackApi) -> None:
    mention = _mention("Vem beslutar om skattesatsen?") | {"thread_ts": "1699999999.000100"}
    _post_event(server, _event(mention))
    [posted] = slack_api.wait_for(1)
    assert posted["thread_ts"] == "1699999999.000100" and "kommunfullmäktige" in posted["text"].lower()


def test_a_direct_message_role_question_explains_what_and_when_against_how_and_who(
    server: str, slack_api: SlackApi
) -> None:
    dm = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "ts": "1700000001.000100",
          "text": "Får jag som ledamot bestämma vem som ska leda projektet?"}  # fmt: skip
    _post_event(server, _event(dm))
    [posted] = slack_api.wait_for(1)
    assert posted["channel"] == "D1" and "thread_ts" not in posted
    assert "HUR/VEM" in posted["text"] and "VAD och NÄR" in posted["text"]


def test_the_bot_ignores_its_own_messages_other_bots_and_channel_chatter(server: str, slack_api: SlackApi) -> None:
    own = {"type": "message", "channel_type": "im", "channel": "D1", "bot_id": "BBOT", "text": "Svar", "ts": "1.1"}
    chatter = {"type": "message", "channel_type": "channel", "channel": "CKS", "user": "U2", "text": "Lunch?",
               "ts": "1.2"}  # fmt: skip
    edited = {"type": "message", "channel_type": "im", "channel": "D1", "subtype": "message_changed", "ts": "1.3"}
    for event in (own, chatter, edited):
        assert _post_event(server, _event(event)).status_code == 200
    time.sleep(0.5)
    assert slack_api.posted() == []


def test_a_retried_or_repeated_delivery_is_answered_once(server: str, slack_api: SlackApi) -> None:
    raw = _event(_mention("När fastställer fullmäktige budgeten?"), event_id="EvSAME")
    assert _post_event(server, raw).status_code == 200
    assert (
        _post_event(server, raw, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}).status_code == 200
    )
    assert _post_event(server, raw).status_code == 200  # the same event_id without retry headers
    slack_api.wait_for(1)
    time.sleep(0.5)
    assert len(slack_api.posted()) == 1


@pytest.mark.parametrize("kind", ["forged", "stale", "missing"])
def test_a_forged_or_stale_request_is_refused_and_nothing_is_posted(
    server: str, slack_api: SlackApi, kind: str
) -> None:
    raw = _event(_mention("När ska delårsrapporten vara klar?"))
    headers = {
        "forged": _signed(raw, secret="not-the-secret"),
        "stale": _signed(raw, timestamp=int(time.time()) - 6 * 60),
        "missing": {},
    }[kind]
    response = httpx.post(
        f"{server}/slack/events", content=raw, headers={"Content-Type": "application/json", **headers}, timeout=10
    )
    assert response.status_code == 401
    time.sleep(0.3)
    assert slack_api.calls == []


def test_a_slash_command_is_acknowledged_at_once_then_answered_privately(server: str, slack_api: SlackApi) -> None:
    form = {"command": "/styrbot", "text": "När ska delårsrapporten vara klar?", "channel_id": "CKS",
            "user_id": "U1", "team_id": "T1", "response_url": slack_api.url.replace("/api/", "/respond/1"),
            "trigger_id": "1.2.3"}  # fmt: skip
    raw = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **_signed(raw)}
    started = time.monotonic()
    response = httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)
    acked = time.monotonic() - started
    assert response.status_code == 200 and acked < 0.3
    assert response.json()["response_type"] == "ephemeral" and "letar" in response.json()["text"]
    [answered] = slack_api.wait_for(1, path="/respond/1")
    assert answered["response_type"] == "ephemeral" and "31 oktober" in answered["text"]


def test_a_channel_answers_for_its_own_municipality(server: str, slack_api: SlackApi) -> None:
    _post_event(server, _event(_mention("Vem beslutar om kommunkoncernens mål?", channel="CSTRANGNAS")))
    [posted] = slack_api.wait_for(1)
    assert "Strängnäs" in posted["text"]


def test_an_empty_mention_gets_help_instead_of_silence(server: str, slack_api: SlackApi) -> None:
    _post_event(server, _event(_mention("")))
    [posted] = slack_api.wait_for(1)
    assert "Skriv din fråga" in posted["text"]


def test_twenty_simultaneous_mentions_get_twenty_answers_none_twice(server: str, slack_api: SlackApi) -> None:
    mentions = [_mention("När ska årsredovisningen vara klar?") for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda m: _post_event(server, _event(m)).status_code, mentions))
    assert statuses == [200] * 20
    slack_api.wait_for(20, timeout=20)
    time.sleep(0.3)
    assert sorted(p["thread_ts"] for p in slack_api.posted()) == sorted(m["ts"] for m in mentions)


def test_the_question_is_the_message_without_mentions() -> None:
    assert question_text("<@UBOT> När ska  budgeten vara klar?") == "När ska budgeten vara klar?"
    assert question_text("<@UBOT|styrbot>") == ""


def test_the_api_answers_with_the_contract_json(server: str) -> None:
    response = httpx.post(f"{server}/api/v1/ask", json={"question": "Vem beslutar om skattesatsen?", "id": "q1"})
    body = response.json()
    assert response.status_code == 200 and body["id"] == "q1" and body["kind"] == "who_decides"
    assert body["facts"]["body"] == "kommunfullmaktige" and body["citations"][0]["section"]
    empty = httpx.post(f"{server}/api/v1/ask", json={"question": "  "})
    assert empty.status_code == 400 and "tom" in empty.json()["detail"]
    unknown = httpx.post(f"{server}/api/v1/ask", json={"question": "Vem beslutar?", "municipality": "uppsala"})
    assert unknown.status_code == 404 and "uppsala" in unknown.json()["detail"]
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok" and health["slack"] is True


def test_the_app_manifest_asks_for_what_the_bot_handles_and_no_more() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "slack-manifest.yaml").read_text("utf-8"))
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/styrbot"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write"
    }  # fmt: skip
