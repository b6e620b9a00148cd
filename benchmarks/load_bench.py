"""The server under load: 8 clients asking for 60 s, against one client asking alone, in the same run.

The real `styrbot serve` runs in a subprocess on a copy of an indexed data directory (the demo corpus),
with no question limit. Each client asks rule and document questions in turn and checks `/healthz`
between them. Figures: errors (anything but a 200), and p50/p95 of rule answers, document answers and
`/healthz`, alone (the baseline) and under load, with the ratio.

    python benchmarks/load_bench.py --data /path/to/indexed/data [--clients 8] [--seconds 60]

Without --data the demo corpus is first indexed into a temporary directory (about a minute).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.web: the server the tests use
from tests.web import clean_environment, start_serve, started, stop_serve

RULE_QUESTIONS = [
    "När ska delårsrapporten vara klar?",
    "Vem beslutar om skattesatsen?",
    "Får jag som ledamot bestämma vem som ska leda projektet?",
    "när ska budgeten va klar",
    "Vem antar nämndplanen?",
    "Who decides the tax rate?",
]
DOCUMENT_QUESTIONS = [
    "Vad menas med tillitsbaserat ledarskap?",
    "Vad är en nämndplan?",
    "Hur följs målen upp under året?",
    "Vad är internkontroll?",
    "Vad är syftet med styrmodellen?",
    "Hur arbetar man med dialog mellan politik och förvaltning?",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    if not ordered:
        return float("nan"), float("nan")
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def run(url: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], int, int]:
    """Latencies by kind ("rule", "document", "healthz"), errors, and requests, from `clients` at once."""
    samples: dict[str, list[float]] = defaultdict(list)
    errors = requests = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        nonlocal errors, requests
        turns = [q for pair in zip(RULE_QUESTIONS, DOCUMENT_QUESTIONS, strict=True) for q in pair]
        questions = itertools.cycle(turns[number:] + turns[:number])  # each client starts elsewhere
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.monotonic() < stop:
                question = next(questions)
                for path, body in (("/api/v1/ask", {"question": question}), ("/healthz", None)):
                    started_at = time.perf_counter()
                    try:
                        response = http.post(path, json=body) if body else http.get(path)
                        ok = response.status_code == 200
                    except httpx.HTTPError:
                        ok, response = False, None
                    took = time.perf_counter() - started_at
                    kind = "healthz"
                    if body and ok and response is not None:
                        kind = "document" if response.json()["kind"] == "retrieval" else "rule"
                    with lock:
                        requests += 1
                        if ok:
                            samples[kind].append(took)
                        else:
                            errors += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="an indexed data directory (copied, never changed)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-seconds", type=float, default=20.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        env = clean_environment() | {
            "STYRBOT_DATA_DIR": str(data),
            "STYRBOT_ASK_PER_MINUTE": "0",
            "STYRBOT_LOG_FORMAT": "text",
            "STYRBOT_DEMO": "1",
        }
        if args.data is not None:
            shutil.copytree(args.data, data)
        else:
            subprocess.run(
                [sys.executable, "-m", "bot", "ask", "--data-dir", str(data), DOCUMENT_QUESTIONS[0]],
                check=True,
                env=env,
                capture_output=True,
            )
        process, lines = start_serve(env, Path(scratch))
        try:
            url = started(process, lines)
            run(url, 1, 5)  # warm: the index open, the model loaded
            alone, alone_errors, _ = run(url, 1, args.baseline_seconds)
            loaded, errors, requests = run(url, args.clients, args.seconds)
        finally:
            stop_serve(process, lines)

    print(
        f"{args.clients} clients for {args.seconds:g} s: {requests} requests, {errors} errors "
        f"(alone: {alone_errors} errors)"
    )
    print(f"{'':10} {'n':>6} {'alone p50':>10} {'alone p95':>10} {'load p50':>9} {'load p95':>9} {'p95 ratio':>9}")
    for kind in ("rule", "document", "healthz"):
        base50, base95 = percentiles(alone[kind])
        load50, load95 = percentiles(loaded[kind])
        print(
            f"{kind:10} {len(loaded[kind]):>6} {base50:>8.1f}ms {base95:>8.1f}ms {load50:>7.1f}ms {load95:>7.1f}ms"
            f" {load95 / base95:>8.1f}x"
        )


if __name__ == "__main__":
    main()
