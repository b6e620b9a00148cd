"""Rules accuracy and latency on the development sets, against baselines measured in the same run.

Baseline: the same engine without the lexicon of abbreviations and synonyms (plain Swedish stems
and compounds only), which shows what the lexicon buys. Prints accuracy per set, per-question
latency (p50/p95) and the engine's start-up time.

    python benchmarks/rules_bench.py [eval/rules_dev.jsonl eval/law_dev.jsonl]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bot.answering import Answer, Answerer, Question
from bot.evaluation import evaluate
from rules import RulesEngine

ROOT = Path(__file__).resolve().parents[1]


class TimedAnswerer:
    """Wraps an answerer and records how long each answer took."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer
        self.seconds: list[float] = []

    def __call__(self, question: Question) -> Answer:
        start = time.perf_counter()
        answer = self.answerer.answer(question)
        self.seconds.append(time.perf_counter() - start)
        return answer


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(files: list[Path]) -> None:
    start = time.perf_counter()
    engine = RulesEngine()
    startup = time.perf_counter() - start
    variants = {"engine": engine, "no lexicon (baseline)": RulesEngine(engine.store, synonyms={})}
    print(f"start-up: {startup * 1000:.0f} ms (profiles loaded, rulebooks indexed)")
    for path in files:
        print(f"\n{path.name}")
        reference = None
        for name, variant in variants.items():
            timed = TimedAnswerer(Answerer(variant, "exempelkommun"))
            # Twice: the first pass warms caches, the second is measured.
            evaluate(path, timed)
            timed.seconds.clear()
            result = evaluate(path, timed)
            accuracy = result.accuracy() or 0.0
            reference = accuracy if reference is None else reference
            p50 = _percentile(timed.seconds, 0.5) * 1000
            p95 = _percentile(timed.seconds, 0.95) * 1000
            ratio = f"{accuracy / reference:.2f}× engine" if name != "engine" and reference else ""
            print(f"  {name:<24} accuracy {accuracy:6.1%}  p50 {p50:5.2f} ms  p95 {p95:5.2f} ms  {ratio}")
    print(f"\nmean over all questions: {statistics.mean(timed.seconds) * 1000:.2f} ms")


if __name__ == "__main__":
    names = ("rules_dev.jsonl", "law_dev.jsonl", "rules_team.jsonl", "rules_blind1.jsonl", "rules_blind2.jsonl")
    args = [Path(a) for a in sys.argv[1:]] or [ROOT / "eval" / name for name in names]
    main(args)
