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
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prometheus_client import REGISTRY

from bot import texts
from bot.answering import MAX_QUESTION_CHARS, Answerer
from bot.db import Database
from bot.library import DocumentLibrary
from bot.services import Services
from bot.settings import Settings
from bot.slack import WORKING_REACTION, build_app, question_text
from rules import RulesEngine
from tests.slack_api import SlackApi
from tests.slack_requests import SECRET, authorize, blocks, buttons, click, command_request, serving, signed

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def slack_api() -> Iterator[SlackApi]:
    api = SlackApi()
    yield api
    api.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database.open(tmp_path_factory.mktemp("slack-db"))
    yield db
    db.close()


def _serving(answerer: Answerer, slack_api: SlackApi, database: Database, **options: Any) -> Any:
    """The web server with the bolt app, around `answerer` and `database`."""
    running = Services(answerer, database=database)
    bolt = build_app(running, signing_secret=SECRET, api_url=slack_api.url, authorize=authorize, **options)
    return serving(running, bolt)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(RulesEngine(), "exempelkommun")


@pytest.fixture(scope="module")
def server(slack_api: SlackApi, answerer: Answerer, database: Database) -> Iterator[str]:
    with _serving(answerer, slack_api, database, channel_municipalities={"CSTRANGNAS": "strangnas"}) as url:
        yield url


@pytest.fixture(scope="module")
def replica(slack_api: SlackApi, answerer: Answerer, database: Database) -> Iterator[str]:
    """A second server on the same database (as a second replica would be), showing ⏳ at once."""
    with _serving(answerer, slack_api, Database(str(database.engine.url)), working_after=0) as url:
        yield url


@pytest.fixture(autouse=True)
def fresh(slack_api: SlackApi) -> None:
    slack_api.clear()


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
    headers = {"Content-Type": "application/json", **signed(raw), **(headers or {})}
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
    # the same rows as the page and the terminal show (bot.facts)
    assert "Nästa datum: " in facts and "Ansvarig: Kommunstyrelsen" in facts and "Kommunallag" in facts


def test_markup_in_a_question_is_never_a_mention_or_link_in_slacks_notification(
    server: str, slack_api: SlackApi
) -> None:
    # each part of a two-part message is quoted back in the answer: what was typed must reach Slack as text
    hostile = (
        "Vem beslutar om skattesatsen <https://evil.example/phish|kommunens intranät>, "
        "och när ska budgeten vara klar <!here>?"
    )
    _post_event(server, _event(_mention(hostile)))
    [posted] = slack_api.wait_for(1)
    text = posted["text"]
    assert "kommunfullmäktige" in text  # answered
    assert "<https://" not in text and "<!here>" not in text and "&lt;!here&gt;" in text
    sections = [b["text"]["text"] for b in blocks(posted) if b["type"] == "section"]
    assert all("<!here>" not in section for section in sections)


def test_a_reply_in_a_thread_stays_in_that_thread(server: str, slack_api: SlackApi) -> None:
    mention = _mention("Vem beslutar om skattesatsen?") | {"thread_ts": "1699999999.000100"}
    _post_event(server, _event(mention))
    [posted] = slack_api.wait_for(1)
    assert posted["thread_ts"] == "1699999999.000100" and "kommunfullmäktige" in posted["text"].lower()


def test_a_direct_message_role_question_explains_what_and_when_against_how_and_who(
    server: str, slack_api: SlackApi
) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "ts": "1700000001.000100",
        "text": "Får jag som ledamot bestämma vem som ska leda projektet?",
    }
    _post_event(server, _event(dm))
    [posted] = slack_api.wait_for(1)
    assert posted["channel"] == "D1" and "thread_ts" not in posted
    assert "HUR/VEM" in posted["text"] and "VAD och NÄR" in posted["text"]


def test_the_bot_ignores_its_own_messages_other_bots_and_channel_chatter(server: str, slack_api: SlackApi) -> None:
    own = {"type": "message", "channel_type": "im", "channel": "D1", "bot_id": "BBOT", "text": "Svar", "ts": "1.1"}
    chatter = {
        "type": "message",
        "channel_type": "channel",
        "channel": "CKS",
        "user": "U2",
        "text": "Lunch?",
        "ts": "1.2",
    }
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


@pytest.mark.parametrize("kind", ["forged", "stale", "missing", "garbled"])
def test_a_forged_or_stale_request_is_refused_and_nothing_is_posted(
    server: str, slack_api: SlackApi, kind: str
) -> None:
    raw = _event(_mention("När ska delårsrapporten vara klar?"))
    headers = {
        "forged": signed(raw, secret="not-the-secret"),
        "stale": signed(raw, timestamp=int(time.time()) - 6 * 60),
        "missing": {},
        "garbled": signed(raw) | {"X-Slack-Request-Timestamp": "abc"},  # was a 500 with a traceback
    }[kind]
    response = httpx.post(
        f"{server}/slack/events", content=raw, headers={"Content-Type": "application/json", **headers}, timeout=10
    )
    assert response.status_code == 401
    time.sleep(0.3)
    assert slack_api.calls == []


def test_a_slash_command_is_acknowledged_at_once_then_answered_privately(server: str, slack_api: SlackApi) -> None:
    raw, headers = command_request(
        "/styrbot", "När ska delårsrapporten vara klar?", slack_api.url.replace("/api/", "/respond/1")
    )
    started = time.monotonic()
    response = httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)
    acked = time.monotonic() - started
    assert response.status_code == 200 and acked < 0.3
    assert response.json()["response_type"] == "ephemeral" and "letar" in response.json()["text"]
    [answered] = slack_api.wait_for(1, path="/respond/1")
    assert answered["response_type"] == "ephemeral" and "31 oktober" in answered["text"]


def test_a_command_during_the_first_reading_in_of_the_documents_says_why_it_waits(
    slack_api: SlackApi, answerer: Answerer, database: Database, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data", demo_corpus=ROOT / "corpus")
    library = DocumentLibrary(settings, RulesEngine().store.municipality_of_file)
    running = Services(answerer, library=library, database=database)
    bolt = build_app(running, signing_secret=SECRET, api_url=slack_api.url, authorize=authorize)
    with serving(running, bolt) as url:
        reading = threading.Thread(target=library.ready)  # as `styrbot serve` warms a fresh install
        reading.start()
        while library.readiness() != "opening":
            time.sleep(0.01)
        respond = slack_api.url.replace("/api/", "/respond/3")
        raw, headers = command_request("/styrbot", "Vem beslutar om skattesatsen?", respond)
        acked = httpx.post(f"{url}/slack/events", content=raw, headers=headers, timeout=10).json()
        reading.join()
        assert acked["text"] == "Jag läser in dokumenten första gången, så svaret kan dröja några sekunder …"
        [answered] = slack_api.wait_for(1, path="/respond/3")
        assert "fullmäktige" in answered["text"]
        raw, headers = command_request("/styrbot", "Vem beslutar om skattesatsen?", respond.replace("/3", "/4"))
        assert "letar" in httpx.post(f"{url}/slack/events", content=raw, headers=headers, timeout=10).json()["text"]


def test_a_signed_command_replayed_within_its_five_minutes_is_answered_once(server: str, slack_api: SlackApi) -> None:
    raw, headers = command_request(
        "/styrbot", "När ska delårsrapporten vara klar?", slack_api.url.replace("/api/", "/respond/7")
    )
    for _ in range(3):  # the captured request, sent again as it was
        assert httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10).status_code == 200
    slack_api.wait_for(1, path="/respond/7")
    time.sleep(0.5)
    assert len(slack_api.posted("/respond/7")) == 1


def test_a_question_longer_than_any_question_is_refused_in_swedish(server: str, slack_api: SlackApi) -> None:
    _post_event(server, _event(_mention("Vad gäller för budgeten? " * 120)))  # 3,000 characters
    [posted] = slack_api.wait_for(1)
    assert posted["text"] == texts.QUESTION_TOO_LONG.format(limit=MAX_QUESTION_CHARS)


def test_a_failed_answer_post_is_counted(server: str, slack_api: SlackApi) -> None:
    labels = {"method": "chat.postMessage", "error": "channel_not_found"}
    before = REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0
    slack_api.refuse("/api/chat.postMessage", "channel_not_found")
    _post_event(server, _event(_mention("När ska delårsrapporten vara klar?")))
    slack_api.wait_for(1)
    for _ in range(50):
        if (REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0) > before:
            break
        time.sleep(0.1)
    assert (REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0) - before == 1


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
    manifest = yaml.safe_load((Path(__file__).parents[3] / "deploy" / "slack-manifest.yaml").read_text("utf-8"))
    settings = manifest["settings"]
    events = {"app_mention", "message.im", "message.channels", "message.groups"}  # the last two: follow-ups
    assert set(settings["event_subscriptions"]["bot_events"]) == events
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/styrbot", "/arshjul"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "im:history",
        "im:read",
        "im:write",
        "reactions:write",
    }
    assert settings["interactivity"]["is_enabled"] is True  # the feedback, share and reminder buttons


def _respond_url(slack_api: SlackApi, name: str) -> str:
    return slack_api.url.replace("/api/", f"/respond/{name}")


def test_feedback_clicks_are_stored_with_one_vote_per_person(
    server: str, slack_api: SlackApi, database: Database
) -> None:
    _post_event(server, _event(_mention("Vem beslutar om skattesatsen?")))
    [posted] = slack_api.wait_for(1)
    shown = buttons(posted)
    assert set(shown) == {"styrbot_feedback_up", "styrbot_feedback_down"}  # nothing to share in a channel
    ts, url = f"1700000500.{next(_counter):06d}", _respond_url(slack_api, "fb")
    clicks = [("U1", "styrbot_feedback_down"), ("U1", "styrbot_feedback_up"), ("U2", "styrbot_feedback_down")]
    for done, (user, action) in enumerate(clicks, 1):  # one at a time: the second click changes U1's mind
        assert click(server, shown[action], url, user=user, message_ts=ts).status_code == 200
        replies = slack_api.wait_for(done, path="/respond/fb")
    assert all("Tack" in r["text"] and r["replace_original"] is False for r in replies)
    assert "kansli" in replies[-1]["text"]  # a 👎 is told where to ask meanwhile
    rows = [r for r in database.feedback() if r.answer_ref == f"slack:CKS:{ts}"]
    assert sorted(r.vote for r in rows) == ["down", "up"]
    assert {r.question for r in rows} == {"Vem beslutar om skattesatsen?"}
    assert {r.kind for r in rows} == {"who_decides"} and all(r.sources for r in rows)
    with database.engine.connect() as conn:
        stored = conn.exec_driver_sql("select voter from feedback").scalars().all()
    assert stored and not any(v in {"U1", "U2"} or "U1" in v for v in stored)  # people only as a hash


def test_a_button_from_elsewhere_gets_a_swedish_reply_not_silence(server: str, slack_api: SlackApi) -> None:
    url = _respond_url(slack_api, "stale")
    click(server, {"action_id": "styrbot_feedback_up", "value": "inte vårt format"}, url)
    [reply] = slack_api.wait_for(1, path="/respond/stale")
    assert "Ställ frågan igen" in reply["text"]


def test_a_private_answer_can_be_shared_in_the_channel(server: str, slack_api: SlackApi) -> None:
    form = {
        "command": "/styrbot",
        "text": "När ska delårsrapporten vara klar?",
        "channel_id": "CKS",
        "user_id": "U1",
        "team_id": "T1",
        "response_url": _respond_url(slack_api, "cmd"),
        "trigger_id": "1",
    }
    raw = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(raw)}
    httpx.post(f"{server}/slack/events", content=raw, headers=headers, timeout=10)
    [private] = slack_api.wait_for(1, path="/respond/cmd")
    share = buttons(private)["styrbot_share"]
    click(server, share, _respond_url(slack_api, "share"), ephemeral=True)
    replies = slack_api.wait_for(2, path="/respond/share")
    [public] = [r for r in replies if r["response_type"] == "in_channel"]
    [replaced] = [r for r in replies if r["response_type"] == "ephemeral"]
    assert "31 oktober" in public["text"] and public["replace_original"] is False
    assert "<@U1> delade svaret" in blocks(public)[0]["elements"][0]["text"]
    assert set(buttons(public)) == {"styrbot_feedback_up", "styrbot_feedback_down"}
    assert replaced["replace_original"] is True and "delat" in replaced["text"]


def test_a_quick_answer_posts_without_a_working_reaction(server: str, slack_api: SlackApi) -> None:
    _post_event(server, _event(_mention("Vem beslutar om skattesatsen?")))
    slack_api.wait_for(1)
    time.sleep(1.3)  # past the wait before ⏳: the timer must have been cancelled
    assert [path for path, _ in slack_api.calls] == ["/api/chat.postMessage"]


def test_a_slow_answer_shows_it_is_working_until_the_answer_is_posted(replica: str, slack_api: SlackApi) -> None:
    mention = _mention("När ska delårsrapporten vara klar?")
    _post_event(replica, _event(mention))
    slack_api.wait_for(1, path="/api/reactions.remove")
    assert [path for path, _ in slack_api.calls] == [
        "/api/reactions.add",
        "/api/chat.postMessage",
        "/api/reactions.remove",
    ]
    added = slack_api.posted("/api/reactions.add")[0]
    assert added["timestamp"] == mention["ts"] and added["name"] == WORKING_REACTION


def test_two_replicas_on_one_database_answer_an_event_once(server: str, replica: str, slack_api: SlackApi) -> None:
    raw = _event(_mention("När ska årsredovisningen vara klar?"), event_id="EvBOTH")
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda url: _post_event(url, raw).status_code, [server, replica]))
    assert statuses == [200, 200]
    slack_api.wait_for(1)
    time.sleep(0.5)
    assert len(slack_api.posted()) == 1


def test_a_retry_whose_first_delivery_never_arrived_is_answered(server: str, slack_api: SlackApi) -> None:
    raw = _event(_mention("När ska delårsrapporten vara klar?"), event_id="EvLOST")
    _post_event(server, raw, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    [posted] = slack_api.wait_for(1)
    assert "31 oktober" in posted["text"]


@pytest.fixture(scope="module")
def documents_server(
    slack_api: SlackApi, database: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server whose answerer has one real document indexed (Trollhättan's PDF), for document answers."""
    from bot.library import DocumentLibrary, ingest_paths, open_indexer
    from bot.settings import Settings

    engine = RulesEngine()
    settings = Settings(data_dir=tmp_path_factory.mktemp("slack-documents"), demo=False)
    pdf = Path(__file__).parents[3] / "corpus" / "pdf" / "000_trollhattan_styrning_och_ledning.pdf"
    summary = ingest_paths(open_indexer(settings), [pdf], engine.store.municipality_of_file)
    assert summary.ingested and not summary.failed
    answerer = Answerer(engine, "trollhattan", DocumentLibrary(settings, engine.store.municipality_of_file))
    with _serving(answerer, slack_api, database) as url:
        yield url


def test_a_document_answer_in_slack_cites_document_and_page(documents_server: str, slack_api: SlackApi) -> None:
    mention = _mention("Vilka ledord har Trollhättan för sitt arbete?")
    _post_event(documents_server, _event(mention))
    [posted] = slack_api.wait_for(1, timeout=60)  # the first document question loads the model
    assert posted["thread_ts"] == mention["ts"]
    assert "handlingskraft, nytänkande, delaktighet och mod" in posted["text"]
    sources = [e["text"] for b in blocks(posted) if b["type"] == "context" for e in b["elements"]][-1]
    assert sources.startswith("Källor:") and "Trollhättan" in sources and "s. " in sources
    ref = json.loads(buttons(posted)["styrbot_feedback_up"]["value"])
    assert ref["k"] == "retrieval" and ref["s"][0].startswith("000_trollhattan_styrning_och_ledning.pdf#")


def test_a_question_the_documents_do_not_answer_says_so_and_where_to_ask(
    documents_server: str, slack_api: SlackApi
) -> None:
    _post_event(documents_server, _event(_mention("Hur många parkeringsplatser finns vid stadshuset?")))
    [posted] = slack_api.wait_for(1, timeout=60)
    assert "inte" in posted["text"] and "kansli" in posted["text"]


# Conversations: a reply in a thread Styrbot answered in is a follow-up ---------------------------------------


def _reply(text: str, thread: str, channel: str = "CKS", channel_type: str = "channel") -> dict[str, Any]:
    ts = f"1700000000.{next(_counter):06d}"
    return {
        "type": "message",
        "channel_type": channel_type,
        "channel": channel,
        "user": "U1",
        "text": text,
        "ts": ts,
        "thread_ts": thread,
    }


def _understood(posted: dict[str, Any]) -> str:
    return " ".join(e["text"] for b in blocks(posted) if b["type"] == "context" for e in b["elements"])


def test_an_unmentioned_reply_in_the_thread_is_answered_there_with_the_subject_inherited(
    server: str, slack_api: SlackApi
) -> None:
    mention = _mention("När fastställer fullmäktige budgeten?")
    _post_event(server, _event(mention))
    [first] = slack_api.wait_for(1)
    assert "november" in first["text"] and "Tolkat som" not in _understood(first)
    _post_event(server, _event(_reply("och skattesatsen?", mention["ts"])))
    [_, second] = slack_api.wait_for(2)
    assert second["channel"] == "CKS" and second["thread_ts"] == mention["ts"]
    assert "skattesats" in second["text"].lower() and "november" in second["text"]
    assert "Tolkat som: ”När fastställer fullmäktige skattesatsen?”" in _understood(second)


def test_a_reply_in_a_thread_the_bot_never_answered_in_is_left_alone(server: str, slack_api: SlackApi) -> None:
    _post_event(server, _event(_reply("och skattesatsen?", "1690000000.000001")))
    mention = _mention("När fastställer fullmäktige budgeten?")
    _post_event(server, _event(mention))
    slack_api.wait_for(1)
    # a reply to someone else in the bot's own thread is theirs to answer
    _post_event(server, _event(_reply("<@U2> vad tycker du om skattesatsen?", mention["ts"])))
    time.sleep(0.5)
    assert len(slack_api.posted()) == 1


def test_a_direct_message_follows_up_the_one_before(server: str, slack_api: SlackApi) -> None:
    first = _reply("När fastställer fullmäktige budgeten?", "", channel="D7", channel_type="im")
    del first["thread_ts"]
    _post_event(server, _event(first))
    slack_api.wait_for(1)
    second = _reply("och skattesatsen?", "", channel="D7", channel_type="im")
    del second["thread_ts"]
    _post_event(server, _event(second))
    [_, posted] = slack_api.wait_for(2)
    assert posted["channel"] == "D7" and "skattesats" in posted["text"].lower()


def test_a_redelivered_follow_up_is_answered_once(server: str, slack_api: SlackApi) -> None:
    mention = _mention("När fastställer fullmäktige budgeten?")
    _post_event(server, _event(mention))
    slack_api.wait_for(1)
    raw = _event(_reply("och skattesatsen?", mention["ts"]), event_id="EvFOLLOW")
    _post_event(server, raw)
    _post_event(server, raw, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    slack_api.wait_for(2)
    time.sleep(0.5)
    assert len(slack_api.posted()) == 2


def test_two_replicas_on_postgresql_answer_alternate_turns_of_one_thread(
    slack_api: SlackApi, answerer: Answerer, postgres_url: str
) -> None:
    one, other = Database(postgres_url), Database(postgres_url)
    try:
        with _serving(answerer, slack_api, one) as first, _serving(answerer, slack_api, other) as second:
            mention = _mention("När fastställer fullmäktige budgeten?")
            _post_event(first, _event(mention))
            slack_api.wait_for(1)
            _post_event(second, _event(_reply("och skattesatsen?", mention["ts"])))
            slack_api.wait_for(2)
            _post_event(first, _event(_reply("vilken paragraf är det?", mention["ts"])))
            [budget, tax, paragraph] = slack_api.wait_for(3)
    finally:
        one.close()
        other.close()
    assert all(p["thread_ts"] == mention["ts"] for p in (budget, tax, paragraph))
    assert "skattesats" in tax["text"].lower()
    assert "Kommunallag (2017:725), 11 kap" in paragraph["text"], paragraph["text"]
