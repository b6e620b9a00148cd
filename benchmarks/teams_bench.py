"""Teams: time from an activity received to its reply sent, beside the same question over the REST API.

The real FastAPI app runs under uvicorn on loopback with the rules engine behind it and the Teams bot
mounted; the issuer, Entra's token service and the Bot Connector are the loopback stand-ins of the tests
(`tests.teams_service`). Each activity carries a freshly signed token, which the SDK validates; the bot
shows that it is typing, answers with an Adaptive Card, and the reply has reached the Bot Connector when
the HTTP response returns (the SDK answers within the request). The baseline, measured in the same run,
is `POST /api/v1/ask` with the same questions: the ratio is what Teams adds (token validation, the card,
the typing indicator and the two calls to the Bot Connector).

    python benchmarks/teams_bench.py [--n 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' loopback stand-ins

from bot.answering import Answerer
from bot.db import Database
from bot.services import Services
from bot.teams import build_teams
from bot.web import WebConfig, create_app
from rules import RulesEngine
from tests import web
from tests.teams_service import APP_ID, TENANT, BotService, trust_keys

QUESTIONS = ["När ska delårsrapporten vara klar?", "Vem beslutar om skattesatsen?", "När fastställs budgeten?"]


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="questions per channel")
    n = parser.parse_args().n
    service = BotService()
    os.environ["REQUESTS_CA_BUNDLE"] = str(service.certificate)
    trust_keys(service)
    database = Database.open(Path(tempfile.mkdtemp(prefix="teams-bench-")))
    services = Services(Answerer(RulesEngine(), "exempelkommun"), database=database)
    teams = build_teams(services, app_id=APP_ID, secret="bench", tenant=TENANT, authority=service.authority)
    app = create_app(services, teams=teams, config=WebConfig(ask_per_minute=0))
    with web.serving(app) as url, httpx.Client(timeout=60) as client:
        api, bot = [], []
        for i in range(n + 5):  # the first five warm up both paths
            question = QUESTIONS[i % len(QUESTIONS)]
            started = time.perf_counter()
            client.post(f"{url}/api/v1/ask", json={"question": question}).raise_for_status()
            api.append(time.perf_counter() - started)
            activity = service.activity(question, conversation={"id": f"a:bench-{i}", "conversationType": "personal"})
            headers = {"Authorization": f"Bearer {service.token()}"}
            started = time.perf_counter()
            response = client.post(f"{url}/api/messages", json=activity, headers=headers)
            bot.append(time.perf_counter() - started)
            assert response.status_code in (200, 202), response.text
        replies = [sent for _, sent in service.replies() if sent["type"] == "message"]
        assert len(replies) == n + 5, len(replies)
    service.close()
    database.close()
    (api_p50, api_p95), (bot_p50, bot_p95) = _percentiles(api[5:]), _percentiles(bot[5:])
    print(f"{n} questions each, one at a time, on loopback")
    print(f"  POST /api/v1/ask (baseline)                p50 {api_p50:6.1f} ms   p95 {api_p95:6.1f} ms   1.00")
    print(f"  Teams: activity received → reply sent      p50 {bot_p50:6.1f} ms   p95 {bot_p95:6.1f} ms   "
          f"{bot_p50 / api_p50:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
