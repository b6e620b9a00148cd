"""`styrbot eval`: run question sets in the shared eval format and compute their metrics.

Rule items (`type`: deadline, who_decides, role) are scored as `shared/eval/README.md` says:
deadline by `facts.month`/`facts.day` (and `answer_contains_any`), who_decides by `facts.body`,
role by `facts.side`. A deadline or who_decides item also needs an answer of that kind, so an
abstention never counts as right. Retrieval items (`gold`, `unanswerable`) are scored by hit@k and
MRR@10 over the citations, and by abstention.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answering import Answer, Question
from knowledge.sentences import normalise

Ask = Callable[[Question], Answer]


class EvalFileError(ValueError):
    """A question set cannot be read or has a bad line."""


@dataclass
class SetResult:
    """The metrics of one question set."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    retrieval: dict[str, float] = field(default_factory=dict)

    def accuracy(self) -> float | None:
        """Share of rule items answered correctly (None when the set has none)."""
        total = sum(self.counts.values())
        return sum(self.correct.values()) / total if total else None

    def to_json(self) -> dict[str, Any]:
        """The result as JSON."""
        per_type = {t: {"n": n, "correct": self.correct.get(t, 0)} for t, n in sorted(self.counts.items())}
        out: dict[str, Any] = {"file": self.path, "n": sum(self.counts.values()), "accuracy": self.accuracy()}
        out |= {"by_type": per_type, "failures": self.failures}
        if self.retrieval:
            out["retrieval"] = self.retrieval
        return out


def load_items(path: Path) -> list[dict[str, Any]]:
    """The JSON lines of a question set."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalFileError(f"{path}: {exc.strerror}") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: {exc.msg}") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise EvalFileError(f"{path}:{number}: needs an object with a 'question'")
        items.append(item)
    return items


def evaluate(path: Path, ask: Ask) -> SetResult:
    """Answer every item of a set and score it."""
    result = SetResult(str(path))
    ranks: list[int | None] = []
    abstained_right = abstained_wrong = unanswerable = 0
    for item in load_items(path):
        answer = ask(Question(item["question"], item.get("municipality"), id=item.get("id")))
        if "type" in item:
            _score_rule(item, answer, result)
        elif item.get("unanswerable"):
            unanswerable += 1
            abstained_right += answer.abstained
        else:
            abstained_wrong += answer.abstained
            ranks.append(_first_hit(item.get("gold", []), answer))
    if ranks or unanswerable:
        result.retrieval = _retrieval_metrics(ranks, unanswerable, abstained_right, abstained_wrong)
    return result


def _score_rule(item: dict[str, Any], answer: Answer, result: SetResult) -> None:
    kind = item["type"]
    expect = item.get("expect", {})
    facts = answer.facts
    if kind == "deadline":
        ok = answer.kind == kind and facts.get("month") == expect.get("month") and facts.get("day") == expect.get("day")
        phrases = expect.get("answer_contains_any")
        if phrases:
            ok = ok and any(p.lower() in answer.text.lower() for p in phrases)
        got: dict[str, Any] = {"month": facts.get("month"), "day": facts.get("day")}
    elif kind == "who_decides":
        ok = answer.kind == kind and facts.get("body") == expect.get("body")
        got = {"body": facts.get("body")}
    else:
        ok = facts.get("side") == expect.get("side")
        got = {"side": facts.get("side")}
    result.counts[kind] = result.counts.get(kind, 0) + 1
    result.correct[kind] = result.correct.get(kind, 0) + ok
    if not ok:
        result.failures.append(
            {"id": item.get("id"), "question": item["question"], "expect": expect, "got": got, "kind": answer.kind}
        )


def _first_hit(gold: Iterable[str], answer: Answer) -> int | None:
    phrases = [normalise(g) for g in gold]
    for rank, citation in enumerate(answer.citations[:10], 1):
        text = normalise(citation.text)
        if any(p and p in text for p in phrases):
            return rank
    return None


def _retrieval_metrics(
    ranks: list[int | None], unanswerable: int, abstained_right: int, abstained_wrong: int
) -> dict[str, float]:
    n = len(ranks) or 1
    hit = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 3, 5)}
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / n
    return {
        "answerable": len(ranks),
        "hit@1": hit[1],
        "hit@3": hit[3],
        "hit@5": hit[5],
        "mrr@10": mrr,
        "unanswerable": unanswerable,
        "abstained_on_unanswerable": abstained_right,
        "wrongly_abstained": abstained_wrong,
    }
