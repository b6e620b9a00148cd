"""How long understanding a follow-up takes (`bot.conversations.followups.resolve`), against the baseline of
reading the message (`bot.reading.Reader`, which every question goes through) in the same run.

    python benchmarks/conversation_bench.py

Resolving is pure text work on the message and the last turns; the issue asks that it add at most 10 ms at
the 95th percentile. Not a test: it prints figures.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime

from bot.conversations.followups import resolve
from bot.conversations.store import Turn
from bot.reading import Reader
from rules import RulesEngine
from rules.calendar import STOCKHOLM

FOLLOW_UPS = [
    "och i Strängnäs?",
    "och investeringsbudgeten?",
    "vem beslutar om den?",
    "hur utövar den sin uppsikt?",
    "och efter det?",
    "och nästa gång?",
    "var står det?",
    "är det lag eller kommunens egen regel?",
    "nej, jag menade årsredovisningen",
    "En annan sak: hur lång tid har en kommunmedlem på sig att överklaga ett beslut?",
    "får förvaltningschefen i sin tur delegera det vidare?",
    "och under ett valår?",
]
BEFORE = Turn(
    "Vem har uppsiktsplikt över nämnderna och bolagen i exempelkommun?",
    "exempelkommun",
    "who_decides",
    False,
    {"body": "kommunstyrelsen", "who": "kommunstyrelsen"},
    (),
    datetime.now(STOCKHOLM),
)
ROUNDS = 200


def _timed(work: list[str], call: object) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for text in work:
            started = time.perf_counter()
            call(text)  # type: ignore[operator]
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    rules = RulesEngine()
    places = {m: rules.rulebook(m).names for m in rules.known}
    reader = Reader(rules.vocabulary())
    resolving = _timed(FOLLOW_UPS, lambda text: resolve(text, [BEFORE], places))
    reading = _timed(FOLLOW_UPS, lambda text: reader.read(text, None))
    for name, times in (("resolve a follow-up", resolving), ("read a message (baseline)", reading)):
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:28} p50 {statistics.median(times):.3f} ms  p95 {p95:.3f} ms")
    ratio = statistics.median(resolving) / statistics.median(reading)
    print(f"ratio resolve/read (p50): {ratio:.2f}")


if __name__ == "__main__":
    main()
