"""Slack over HTTP: how fast a request is acknowledged and how fast it is answered.

The real FastAPI app runs under uvicorn on loopback with the rules engine behind it; Slack's Web API is
a local recording server. Signed `app_mention` events are sent one at a time (latency) and then in bursts
of 20 (load); "ack" is the HTTP response to the event, "answer" is the time until `chat.postMessage`
arrives at the fake Web API. Slack's limit for the ack is 3 s.

Two configurations, measured in the same run: event ids claimed in an SQLite database in memory
(/dev/shm, the baseline) and in the SQLite database on disk as shipped; the ratio is the disk's cost.

    python benchmarks/slack_bench.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import uvicorn
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from bot.answering import Answerer
from bot.db import Database
from bot.services import Services
from bot.slack import build_app
from bot.web import create_app
from rules import RulesEngine

SECRET = "bench-secret"
QUESTIONS = ["När ska delårsrapporten vara klar?", "Vem beslutar om skattesatsen?", "När fastställs budgeten?"]


class Recorder(BaseHTTPRequestHandler):
    """The fake Web API: notes when each thread's answer arrived."""

    arrived: ClassVar[dict[str, float]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if "thread_ts" in body:
            Recorder.arrived[body["thread_ts"]] = time.perf_counter()
        reply = b'{"ok": true, "ts": "1.1"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def _serve(api_url: str, database: Database) -> tuple[str, uvicorn.Server]:
    def authorize(enterprise_id: str | None, team_id: str | None, logger: Any) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-b", bot_user_id="UBOT")

    services = Services(Answerer(RulesEngine(), "exempelkommun"), database=database)
    bolt = build_app(services, signing_secret=SECRET, api_url=api_url, authorize=authorize)
    server = uvicorn.Server(uvicorn.Config(create_app(services, bolt), host="127.0.0.1", port=0, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}", server


def _mention(url: str, number: int, client: httpx.Client) -> tuple[float, str, float]:
    ts = f"1700000000.{number:06d}"
    event = {
        "type": "app_mention",
        "user": "U1",
        "channel": "C1",
        "ts": ts,
        "text": f"<@UBOT> {QUESTIONS[number % len(QUESTIONS)]}",
    }
    raw = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": f"Ev{number}", "event": event}).encode()
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=raw)
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
    started = time.perf_counter()
    client.post(f"{url}/slack/events", content=raw, headers=headers).raise_for_status()
    return started, ts, time.perf_counter() - started


def _wait(ts_list: list[str], timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not all(ts in Recorder.arrived for ts in ts_list):
        time.sleep(0.005)


def _report(name: str, started: dict[str, float], acks: list[float]) -> float:
    """Print p50/p99/max of ack and answer; return the ack p50 in ms."""
    answers = [Recorder.arrived[ts] - t for ts, t in started.items() if ts in Recorder.arrived]
    for label, values in (("ack", acks), ("answer", answers)):
        cuts = statistics.quantiles(values, n=100)
        print(
            f"{name:<26} {label:<7} n={len(values):<4} p50 {statistics.median(values) * 1000:7.1f} ms"
            f"   p99 {cuts[98] * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms"
        )
    return statistics.median(acks) * 1000


def _measure(label: str, api_url: str, database: Database, n: int, first: int) -> tuple[float, float]:
    """One configuration: n mentions one at a time, then n in bursts of 20; the two ack p50s."""
    Recorder.arrived.clear()
    url, server = _serve(api_url, database)
    with httpx.Client(timeout=30) as client:
        _mention(url, first, client)  # warm
        _wait([f"1700000000.{first:06d}"])
        started: dict[str, float] = {}
        acks: list[float] = []
        for number in range(first + 1, first + n + 1):
            begun, ts, ack = _mention(url, number, client)
            started[ts], acks = begun, [*acks, ack]
            _wait([ts])
        single = _report(f"{label}, one at a time", started, acks)

    started, acks = {}, []
    with ThreadPoolExecutor(max_workers=20) as pool, httpx.Client(timeout=30) as client:
        for burst in range(n // 20):
            numbers = range(first + 100_000 + burst * 20, first + 100_000 + burst * 20 + 20)
            for begun, ts, ack in pool.map(lambda m: _mention(url, m, client), numbers):
                started[ts] = begun
                acks.append(ack)
            _wait(list(started))
    bursts = _report(f"{label}, bursts of 20", started, acks)
    server.should_exit = True
    return single, bursts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    api = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{api.server_port}/api/"
    in_memory = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="styrbot-slack-bench-", dir=in_memory) as work:
        database = Database.open(Path(work))
        memory = _measure("SQLite in memory (baseline)", api_url, database, args.n, 0)
        database.close()
    with tempfile.TemporaryDirectory(prefix="styrbot-slack-bench-") as work:
        database = Database.open(Path(work))
        shipped = _measure("SQLite on disk", api_url, database, args.n, 300_000)
        database.close()
    print()
    print(
        f"ack p50, disk / memory: one at a time {shipped[0] / memory[0]:.2f}x, "
        f"bursts of 20 {shipped[1] / memory[1]:.2f}x  (Slack's limit: 3000 ms)"
    )
    api.shutdown()


if __name__ == "__main__":
    main()
