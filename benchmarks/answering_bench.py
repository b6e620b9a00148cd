"""The answering core on realistic questions: accuracy on the chat sets and latency, against baselines run alike.

Accuracy: every chat set of `eval/` (and any given on the command line), scored as `styrbot eval` scores it.

Latency, in process, warm (every question answered once untimed first), on the demo corpus's renditions:

- rule answers: the questions of the rule sets that the rules answer, through the whole answerer (reading,
  parts, the rules, the check against the statements, the supporting passages), against the baseline of the
  rules engine alone on the same questions (the path before this work);
- document answers: the chat sets' questions answered from the documents and the law, through the whole
  answerer, against the baseline of the hybrid document search alone (`Retriever.search`) on the same text.

Targets (issue 17): rule answers p95 ≤ 50 ms, document answers p95 ≤ 150 ms.

    python benchmarks/answering_bench.py [more_chat_sets.jsonl ...]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.answering import Answerer, Question
from bot.evaluation import evaluate
from bot.law import rule_passages
from bot.library import DocumentLibrary, ingest_paths, open_indexer
from bot.settings import Settings
from rules import RulesEngine

ROOT = Path(__file__).resolve().parents[1]
RENDITIONS = [ROOT / "corpus" / name for name in ("pdf", "docx", "pptx")]
CHAT_SETS = tuple(f"chat_{name}.jsonl" for name in ("dev", "blind_a", "blind_b", "blind_d", "blind_e", "blind_f"))
RULE_SETS = ("rules_dev.jsonl", "law_dev.jsonl", "rules_team.jsonl", "rules_blind1.jsonl", "rules_blind2.jsonl")
TODAY = date(2026, 11, 22)


def _items(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000


def _timed(work: Callable[[], object], repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - started) / repeat


def _report(name: str, ours: list[float], baseline: list[float]) -> None:
    p50, p95 = _percentiles(ours)
    b50, b95 = _percentiles(baseline)
    print(
        f"  {name:<18} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms   baseline p50 {b50:6.1f} ms  p95 {b95:6.1f} ms"
        f"   ratio {p50 / b50:4.1f}× / {p95 / b95:4.1f}×  (n={len(ours)})"
    )


def main(extra: list[Path]) -> None:
    engine = RulesEngine()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), demo=False)
        print("indexing the demo corpus's renditions …", file=sys.stderr)
        ingest_paths(open_indexer(settings), RENDITIONS, engine.store.municipality_of_file)
        passages = rule_passages(engine)
        library = DocumentLibrary(settings, engine.store.municipality_of_file, rules=lambda: passages)
        answerer = Answerer(engine, "exempelkommun", library, check_rules=True)
        documents = library.ready()
        assert documents is not None and documents.retriever is not None

        print("\naccuracy on the chat sets (answerable right; unanswerable abstained; confidently wrong rule answers)")
        for path in [ROOT / "eval" / name for name in CHAT_SETS] + extra:
            chat = evaluate(path, answerer.answer).chat
            assert chat is not None, f"{path} has no chat items"
            (right, n), (abstained, m) = chat.answerable, chat.unanswerable
            print(
                f"  {path.name:<22} {right}/{n} = {right / n:.1%}   unanswerable {abstained}/{m}"
                f"   wrong rule answers {chat.wrong_rule_answers}   wrongly abstained {chat.wrongly_abstained}"
            )

        rule_questions, document_questions = [], []
        for name in RULE_SETS:
            for item in _items(ROOT / "eval" / name):
                question = Question(str(item["question"]), item.get("municipality"))  # type: ignore[arg-type]
                if answerer.answer(question).kind in ("deadline", "who_decides", "role"):
                    rule_questions.append(question)
        for name in CHAT_SETS:
            for item in _items(ROOT / "eval" / name):
                question = Question(str(item["question"]), item.get("municipality"))  # type: ignore[arg-type]
                if answerer.answer(question).kind == "retrieval":
                    document_questions.append(question)

        print("\nlatency, warm, in process")
        ours = [_timed(lambda q=q: answerer.answer(q)) for q in rule_questions]
        base = [
            _timed(lambda q=q: engine.answer(q.text, q.municipality or "exempelkommun", TODAY)) for q in rule_questions
        ]
        _report("rule answers", ours, base)
        ours = [_timed(lambda q=q: answerer.answer(q)) for q in document_questions]
        retriever = documents.retriever
        base = [
            _timed(lambda q=q: retriever.search(q.text, q.municipality or "exempelkommun", k=5))
            for q in document_questions
        ]
        _report("document answers", ours, base)


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
