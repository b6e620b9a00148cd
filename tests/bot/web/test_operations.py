"""Running Styrbot: Prometheus metrics, liveness and readiness, JSON logs that keep questions out, the
opt-in question log with its retention, and a graceful shutdown of the real `styrbot serve`."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError
from sqlalchemy import create_engine, text

from bot.answering import Answerer, Question
from bot.db import Database
from bot.library import DocumentLibrary
from bot.questions import QuestionLog
from bot.settings import Settings
from bot.slack import web_client
from bot.web import WebConfig, create_app
from bot.web.ops import DrainingServer
from rules import RulesEngine
from tests.conftest import copy_index
from tests.llm_api import ModelApi
from tests.services import services
from tests.slack_api import SlackApi
from tests.web import clean_environment, serving, start_serve, started, stop_serve

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    response = httpx.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


@pytest.fixture
def rules_only(tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """A server with the rules and an empty document library (no demo), and its SQLite database."""
    settings = Settings(data_dir=tmp_path, demo=False)
    engine = RulesEngine()
    library = DocumentLibrary(settings, engine.store.municipality_of_file)
    database = Database.open(tmp_path)
    app = create_app(services(engine, library=library, database=database), config=WebConfig(ask_per_minute=0))
    with serving(app) as url:
        yield url, database
    database.close()


def test_metrics_count_answers_abstentions_and_requests_by_route(rules_only: tuple[str, Database]) -> None:
    url, _ = rules_only
    before = scrape(url)
    for question in (
        "När ska delårsrapporten vara klar?",
        "När ska delårsrapporten vara klar?",
        "Vem beslutar om skattesatsen?",
        "Hur många parkeringsplatser har simhallen?",
    ):
        assert httpx.post(f"{url}/api/v1/ask", json={"question": question}, timeout=30).status_code == 200
    assert httpx.get(f"{url}/api/v1/documents/0123456789abcdef").status_code == 404
    assert httpx.get(f"{url}/finns/inte").status_code == 404
    after = scrape(url)

    assert delta(before, after, "styrbot_answers_total", kind="deadline", channel="web") == 2
    assert delta(before, after, "styrbot_answers_total", kind="who_decides", channel="web") == 1
    assert delta(before, after, "styrbot_answers_total", kind="none", channel="web") == 1
    assert delta(before, after, "styrbot_abstentions_total", reason="no_documents") == 1
    assert delta(before, after, "styrbot_answer_duration_seconds_count", kind="deadline") == 2
    ask = {"method": "POST", "route": "/api/v1/ask", "status": "200"}
    assert delta(before, after, "styrbot_http_request_duration_seconds_count", **ask) == 4
    assert delta(before, after, "styrbot_http_request_duration_seconds_bucket", **ask, le="+Inf") == 4
    document = {"method": "GET", "route": "/api/v1/documents/{doc_id}", "status": "404"}
    assert delta(before, after, "styrbot_http_request_duration_seconds_count", **document) == 1  # the template
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert delta(before, after, "styrbot_http_request_duration_seconds_count", **unmatched) == 1
    exposed = httpx.get(f"{url}/metrics").text
    assert "delårsrapporten" not in exposed and "0123456789abcdef" not in exposed and "/finns" not in exposed


def test_liveness_and_readiness_are_separate(postgres_url: str, tmp_path: Path) -> None:
    database = Database.open(tmp_path, postgres_url)
    engine = RulesEngine()
    library = DocumentLibrary(Settings(data_dir=tmp_path, demo=False), engine.store.municipality_of_file)
    app = create_app(services(engine, library=library, database=database))
    with serving(app) as url:
        ready = httpx.get(f"{url}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "checks": {"shutdown": "ok", "database": "ok", "documents": "ok"}}

        name = database.engine.url.database
        admin = create_engine(database.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # the database goes away under the running server
            conn.execute(text(f'drop database "{name}" with (force)'))
        admin.dispose()
        gone = httpx.get(f"{url}/readyz", timeout=10)
        assert gone.status_code == 503 and gone.json()["checks"]["database"] == "failing"
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200  # alive: no reason to restart it

        DrainingServer(uvicorn.Config(app)).handle_exit(signal.SIGTERM, None)
        draining = httpx.get(f"{url}/readyz", timeout=10).json()
        assert draining["checks"]["shutdown"] == "draining"
    database.close()


def test_slack_calls_that_fail_are_counted_by_method_and_error(slack_api: SlackApi) -> None:
    from prometheus_client import REGISTRY

    labels = {"method": "chat.postMessage", "error": "ratelimited"}
    before = REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0
    slack_api.fail_next(6, 429, retry_after=0)  # more than the client's five retries
    with pytest.raises(SlackApiError):
        web_client("xoxb-test", slack_api.url).chat_postMessage(channel="C1", text="Hej")
    assert (REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0) - before == 1
    web_client("xoxb-test", slack_api.url).chat_postMessage(channel="C1", text="Hej")  # a success counts nothing
    assert (REGISTRY.get_sample_value("styrbot_slack_errors_total", labels) or 0.0) - before == 1


def test_the_question_log_is_opt_in_and_forgets_after_its_retention(tmp_path: Path) -> None:
    database = Database.open(tmp_path)
    engine = RulesEngine()
    answerer = Answerer(engine, "exempelkommun")
    answerer.answer(Question("Vem beslutar om skattesatsen?", channel="web"))
    assert database.questions() == []  # off unless asked for

    log = QuestionLog(database, days=30)
    answerer.observers.append(log)
    old = Question("När ska budgeten vara klar?", channel="slack")
    database.log_question(
        {
            "asked_at": old.asked_at - timedelta(days=31),
            "channel": "slack",
            "municipality": "x",
            "kind": "deadline",
            "abstained": False,
            "reason": None,
            "question": old.text,
            "sources": [],
        },
        timedelta(days=3650),
    )
    asked = ["Vem beslutar om skattesatsen?", "Hur många parkeringsplatser har simhallen?"]
    answerer.answer(Question(asked[0], channel="web"))
    answerer.answer(Question(asked[1], municipality="tranemo", channel="slack"))
    rows = database.questions()
    assert [r.question for r in rows] == asked  # the 31 days old one is gone
    assert rows[0].kind == "who_decides" and rows[0].channel == "web" and rows[0].sources
    assert rows[1].abstained and rows[1].reason == "no_documents" and rows[1].municipality == "tranemo"
    assert [r.question for r in database.questions(unanswered=True)] == [rows[1].question]
    kept = set(rows[0].to_json())
    assert kept >= {"asked_at", "channel", "municipality", "kind", "question", "sources"}
    assert not {"user", "voter", "client", "ip"} & kept  # nothing about the person
    database.close()


def test_serve_logs_json_without_questions_and_finishes_answers_under_way_on_sigterm(
    corpus_index: Path, tmp_path: Path
) -> None:
    data = copy_index(corpus_index, tmp_path / "data")
    model = ModelApi("slow", delay=3.0)  # a document answer that takes three seconds
    env = clean_environment() | {
        "STYRBOT_DATA_DIR": str(data),
        "STYRBOT_DEMO": "0",
        "PYTHONUNBUFFERED": "1",
        "STYRBOT_LLM_BASE_URL": model.url,
        "STYRBOT_LLM_MODEL": "eu-modell",
        "STYRBOT_LLM_TIMEOUT": "15",
        "STYRBOT_ASK_PER_MINUTE": "0",
    }
    process, lines = start_serve(env, tmp_path)
    seen: list[str] = []
    try:
        url = started(process, lines, seen)
        for _ in range(600):  # until the index is open (the warm-up), so the timing below is the model's
            if httpx.get(f"{url}/readyz", timeout=10).status_code == 200:
                break
            time.sleep(0.2)
        rule = httpx.post(f"{url}/api/v1/ask", json={"question": "Vem beslutar om skattesatsen?"}, timeout=30)
        assert rule.status_code == 200
        question = "Vad menas med tillitsbaserat ledarskap?"
        replies: list[httpx.Response] = []
        asking = threading.Thread(
            target=lambda: replies.append(httpx.post(f"{url}/api/v1/ask", json={"question": question}, timeout=60))
        )
        asking.start()
        for _ in range(100):  # the question has reached the model
            if model.requests:
                break
            time.sleep(0.05)
        assert model.requests
        process.send_signal(signal.SIGTERM)
        asking.join(30)
        assert process.wait(30) == -signal.SIGTERM  # uvicorn re-raises the signal once it has shut down cleanly
    finally:
        if process.poll() is None:
            process.kill()
        model.close()
    while (line := lines.get(timeout=10)) is not None:
        seen.append(line)
    if process.stderr is not None:
        process.stderr.close()

    # the answer under way was finished and delivered: the model's, after the shutdown began
    assert replies and replies[0].status_code == 200 and replies[0].json()["facts"] == {"written_by": "eu-modell"}
    records = [json.loads(line) for line in seen]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert records[0]["time"][-6:] in ("+01:00", "+02:00")  # Stockholm time, with its offset
    events = [r for r in records if "event" in r]
    answers = [r for r in events if r["event"] == "answer"]
    assert [a["kind"] for a in answers] == ["who_decides", "retrieval"]
    assert answers[1]["generation"] == "written" and answers[1]["duration_ms"] >= 2500
    requests = [r for r in events if r["event"] == "request" and r["route"] == "/api/v1/ask"]
    assert [r["status"] for r in requests] == [200, 200]
    shutdown = next(i for i, r in enumerate(records) if r.get("event") == "shutdown")
    finished = next(i for i, r in enumerate(records) if r.get("event") == "answer" and r["kind"] == "retrieval")
    assert shutdown < finished  # the signal came first, the answer was still given
    assert any("Application shutdown complete" in r["message"] for r in records[finished:])
    log = "\n".join(seen)
    assert question not in log and "skattesatsen" not in log  # what people asked is never logged
    assert "127.0.0.1:" not in log.replace(url, "")  # nor where they asked from


@pytest.mark.parametrize("trusted", [False, True], ids=["no proxy configured", "the proxy configured"])
def test_x_forwarded_for_names_the_client_only_when_it_comes_from_a_trusted_proxy(
    tmp_path: Path, trusted: bool
) -> None:
    """One question a minute per client: two questions claiming two addresses are two clients only when
    the connection comes from a configured proxy (here the test itself, on 127.0.0.1)."""
    env = clean_environment() | {
        "STYRBOT_DATA_DIR": str(tmp_path / "data"),
        "STYRBOT_DEMO": "0",
        "STYRBOT_ASK_PER_MINUTE": "1",
        "STYRBOT_LOG_FORMAT": "text",
    }
    if trusted:
        env["STYRBOT_TRUSTED_PROXIES"] = "127.0.0.1"
    process, lines = start_serve(env, tmp_path)
    try:
        url = started(process, lines)
        statuses = [
            httpx.post(
                f"{url}/api/v1/ask",
                json={"question": "Vem beslutar om skattesatsen?"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                timeout=60,
            ).status_code
            for n in (1, 2)
        ]
    finally:
        stop_serve(process, lines)
    assert statuses == ([200, 200] if trusted else [200, 429])
