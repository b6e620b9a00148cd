"""What answering a follow-up costs on top of answering the question it stands for, in process.

    python benchmarks/conversation_bench.py

The baseline, measured in the same run, is the answerer answering the follow-up as it was understood
("och skattesatsen?" → "När fastställer fullmäktige skattesatsen?"). Against it: the whole conversation path
for the follow-up (reading the thread's last turns from SQLite, understanding the message, the same answer,
storing the turn), and `followups.resolve` alone. The rules answer these questions (no documents), so the
answer itself is quick and the added milliseconds show. The issue asks that resolving a follow-up add at most
10 ms at the 95th percentile. Not a test: it prints figures.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.answering import Answerer, Question
from bot.conversations import Conversations
from bot.conversations.followups import resolve
from bot.conversations.store import TurnStore
from bot.db import Database
from rules import RulesEngine

# (first question, follow-up): every follow-up kind the rules answer
CONVERSATIONS = [
    ("När fastställer fullmäktige budgeten?", "och skattesatsen?"),
    ("När ska delårsrapporten vara klar?", "och i Strängnäs?"),
    ("När ska delårsrapporten vara klar?", "vem lämnar den?"),
    ("När fastställer fullmäktige budgeten?", "och efter det?"),
    ("När fastställer fullmäktige budgeten?", "och nästa gång?"),
    ("När ska delårsrapporten vara klar?", "var står det?"),
    ("När ska delårsrapporten vara klar?", "är det lag?"),
    ("När behandlar fullmäktige delårsrapporten?", "nej, jag menade årsredovisningen"),
]
ROUNDS = 30


def percentiles(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def main() -> None:
    rules = RulesEngine()
    answerer = Answerer(rules, "exempelkommun")
    places = {m: rules.rulebook(m).names for m in rules.known}
    with tempfile.TemporaryDirectory() as folder:
        database = Database.open(Path(folder))
        conversations = Conversations(answerer, TurnStore(database, timedelta(days=7)))
        path, alone, resolving = [], [], []
        for round_ in range(ROUNDS):
            for number, (first, follow_up) in enumerate(CONVERSATIONS):
                key = f"bench:{round_}:{number}"
                before = conversations.ask(Question(first), key)
                started = time.perf_counter()
                answer = conversations.ask(Question(follow_up), key)
                path.append(_ms(started))
                understood = answer.followup.question if answer.followup else follow_up
                started = time.perf_counter()
                answerer.answer(Question(understood))
                alone.append(_ms(started))
                turns = conversations.turns.recent(key)[1:]  # as they were before the follow-up
                started = time.perf_counter()
                resolve(follow_up, turns, places)
                resolving.append(_ms(started))
                assert before.text and answer.followup is not None, follow_up
        database.close()
    added = [p - a for p, a in zip(path, alone, strict=True)]
    rows = [
        ("the answer alone (baseline)", alone),
        ("the conversation path", path),
        ("added by the path", added),
        ("followups.resolve alone", resolving),
    ]
    for name, times in rows:
        p50, p95 = percentiles(times)
        print(f"{name:30} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    print(f"ratio path/alone (p50): {statistics.median(path) / statistics.median(alone):.2f}")


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
