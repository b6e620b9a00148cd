"""Årshjul reminders: what exactly-once costs, and how fast the calendar feed and the wheel are made.

A year (2027) is simulated for 4 municipalities × `--channels` channels with the default lead days,
posting through the real Slack Web API client to a recording server on loopback. Measured in the same run:

- baseline: the planner and the posts alone (each slot's due reminders posted straight away, no ledger,
  no locks): what any scheduler has to do;
- the real scheduler on SQLite (ledger rows, a file lock per post, the Klar check);
- the real scheduler on PostgreSQL, and two replicas at once on it (advisory locks), when a PostgreSQL
  is at hand (STYRBOT_TEST_POSTGRES_URL, or a throwaway cluster from the local binaries as the tests do).

Every configuration must post the same reminders, each once; the ratio to the baseline is the ledger's
price. Then the calendar feed against the same rows as JSON (`styrbot deadlines --json`), and the wheel.

    python benchmarks/reminders_bench.py [--channels 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.postgres: the cluster the tests use

from bot.calendar.deadlines import deadline_json
from bot.calendar.ics import calendar_feed
from bot.calendar.wheel import render
from bot.db import Database
from bot.reminders import next_slot, plan, subscribe, subscriptions
from bot.reminders.scheduler import ReminderScheduler, SimulatedClock
from bot.slack import web_client
from bot.slack.blocks import reminder_message
from bot.slack.posting import SlackPoster
from rules import RulesEngine
from rules.calendar import STOCKHOLM

FIRST, LAST = datetime(2027, 1, 1, tzinfo=STOCKHOLM), datetime(2027, 12, 31, 23, 59, tzinfo=STOCKHOLM)


class Recorder(BaseHTTPRequestHandler):
    """Slack's Web API: takes every post and notes its reminder key."""

    keys: ClassVar[list[str]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw or b"{}") if "json" in (self.headers.get("Content-Type") or "") else {}
        key = ((body.get("metadata") or {}).get("event_payload") or {}).get("key")
        if key:
            with Recorder.lock:
                Recorder.keys.append(key)
        reply = json.dumps({"ok": True, "ts": f"{time.time():.6f}", "messages": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def _subscribe_all(database: Database, engine: RulesEngine, channels: int) -> None:
    for municipality in engine.known:
        for n in range(channels):
            subscribe(database, f"C{municipality[:4].upper()}{n}", municipality)


def _poster(engine: RulesEngine, api_url: str) -> SlackPoster:
    def message(reminder: Any, now: datetime) -> tuple[str, list[dict[str, Any]]]:
        return reminder_message(reminder, now, engine.rulebook(reminder.subscription.municipality))

    return SlackPoster(web_client("xoxb-bench", api_url), message)


def baseline(engine: RulesEngine, api_url: str, channels: int) -> float:
    """Plan each slot's reminders and post them: no ledger, no locks."""
    database = Database("sqlite://")  # only to hold the subscriptions the planner reads
    _subscribe_all(database, engine, channels)
    subs, poster = subscriptions(database), _poster(engine, api_url)
    started = time.perf_counter()
    since, slot = FIRST, next_slot(FIRST)
    while slot <= LAST:
        for sub in subs:
            for reminder in plan(sub, engine.rulebook(sub.municipality), since, slot):
                poster.post(reminder, slot)
        since, slot = slot, next_slot(slot)
    return time.perf_counter() - started


def scheduled(engine: RulesEngine, api_url: str, channels: int, url: str, replicas: int = 1) -> float:
    """The real scheduler over the year, `replicas` of it at once on one database."""
    setup = Database(url)
    _subscribe_all(setup, engine, channels)
    runs = [
        ReminderScheduler(Database(url), engine, _poster(engine, api_url), SimulatedClock(FIRST))
        for _ in range(replicas)
    ]
    threads = [threading.Thread(target=r.run, kwargs={"until": LAST}) for r in runs]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for run in runs:
        run.database.close()
    setup.close()
    return elapsed


def measure(label: str, run: Callable[[], float], reference: Counter[str] | None) -> tuple[float, Counter[str]]:
    Recorder.keys.clear()
    elapsed = run()
    posted = Counter(Recorder.keys)
    once = max(posted.values()) == 1
    same = reference is None or set(posted) == set(reference)
    print(
        f"  {label:<34} {sum(posted.values()):>6} posts  {elapsed:7.2f} s  {sum(posted.values()) / elapsed:7.1f}/s"
        f"  each once: {'yes' if once else 'NO'}  same as baseline: {'yes' if same else 'NO'}"
    )
    return elapsed, posted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--channels", type=int, default=5, help="channels per municipality")
    args = parser.parse_args()
    engine = RulesEngine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{server.server_port}/api/"
    print(f"A simulated 2027, {len(engine.known)} municipalities × {args.channels} channels, lead days 14 and 2:")
    base, reference = measure(
        "baseline: plan and post, no ledger", lambda: baseline(engine, api_url, args.channels), None
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'styrbot.db'}"
        results["SQLite, 1 scheduler"] = measure(
            "scheduler on SQLite", lambda: scheduled(engine, api_url, args.channels, url), reference
        )[0]
    try:
        from tests.postgres import fresh_database, postgres_server

        with postgres_server() as pg:
            for replicas in (1, 2):
                with fresh_database(pg) as url:
                    label = f"scheduler on PostgreSQL, {replicas} at once"
                    results[f"PostgreSQL, {replicas} at once"] = measure(
                        label, lambda u=url, n=replicas: scheduled(engine, api_url, args.channels, u, n), reference
                    )[0]
    except BaseException as exc:  # pytest's skip when there is no PostgreSQL
        print(f"  (PostgreSQL not measured: {exc})")
    print("\nTime against the baseline (the ledger's price for exactly-once):")
    for label, elapsed in results.items():
        print(
            f"  {label:<28} {elapsed / base:5.2f}x  ({(elapsed - base) / max(1, sum(reference.values())) * 1000:.2f} "
            "ms more per reminder)"
        )

    print("\nThe årshjul outside Slack (tranemo, 2 years; mean of 20):")
    first, last = date(2027, 1, 1), date(2028, 12, 31)

    def timed(make: Callable[[], object], n: int = 20) -> float:
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            make()
            samples.append(time.perf_counter() - started)
        return statistics.mean(samples)

    rulebook = engine.rulebook("tranemo")
    items = lambda: engine.upcoming("tranemo", first, last)  # noqa: E731
    as_json = timed(lambda: json.dumps([deadline_json(i, rulebook) for i in items()], ensure_ascii=False))
    as_ics = timed(lambda: calendar_feed(engine, "tranemo", first, last))
    wheel = timed(lambda: render(engine, "exempelkommun", date(2027, 5, 12)), n=3)
    print(f"  deadlines as JSON (baseline)  {as_json * 1000:7.2f} ms")
    print(f"  calendar feed (.ics)          {as_ics * 1000:7.2f} ms   {as_ics / as_json:5.1f}x the JSON")
    print(
        f"  wheel PNG, exempelkommun      {wheel * 1000:7.0f} ms   {wheel / as_json:5.0f}x the JSON "
        "(the server keeps each day's picture)"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
