"""`styrbot eval`: run question sets in the shared eval format and compute their metrics.

Rule items (`type`: deadline, who_decides, role) are scored as `shared/eval/README.md` says:
deadline by `facts.month`/`facts.day` (and `answer_contains_any`), who_decides by `facts.body`,
role by `facts.side`. A deadline or who_decides item also needs an answer of that kind, so an
abstention never counts as right. Retrieval items (`gold`, `unanswerable`) are scored by hit@k and
MRR@10 over the citations, and by abstention.

Chat items (`expect` with `all_of` or `abstain`, the `chat_dev.jsonl` format) are scored on the answer
text: an answerable item is right when the answer does not abstain and contains, case-insensitively, an
alternative of every group; an unanswerable one when it abstains. They are reported by category and
style, with the wrongful abstentions and the confidently wrong rule answers (a deadline, who-decides or
role answer that misses a group), the worst outcome.

Conversation items (`turns`, the `conversations_dev.jsonl` format) are played turn by turn, in order, and
each turn is scored as a chat item whose category is its kind (first, ellipsis, pronoun, next, why_source,
clarify, topic_switch, unanswerable_followup) and whose style says whether it is the first turn or a
follow-up. The turns are asked through the conversation path Slack and the page use (`converse`,
`bot.conversations`), each conversation under a key of its own in this run; without it each turn is asked on
its own, which is what the figures measured before Styrbot kept conversations.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answering import Answer, Question
from knowledge.sentences import normalise

Ask = Callable[[Question], Answer]
Converse = Callable[[Question, str], Answer]  # a question and the key of its conversation


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
    chat: ChatResult | None = None

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
        if self.chat is not None:
            out["chat"] = self.chat.to_json()
        return out


RULE_KINDS = frozenset({"deadline", "who_decides", "role"})


@dataclass
class ChatResult:
    """The metrics of a set's chat items: accuracy by category and style, and the two bad outcomes."""

    by_category: dict[str, list[int]] = field(default_factory=dict)  # name → [correct, n]
    by_style: dict[str, list[int]] = field(default_factory=dict)
    answerable: list[int] = field(default_factory=lambda: [0, 0])
    unanswerable: list[int] = field(default_factory=lambda: [0, 0])
    wrongly_abstained: int = 0
    wrong_rule_answers: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: dict[str, Any], answer: Answer) -> None:
        """Score one chat item and count it."""
        expect = item.get("expect", {})
        missing: list[list[str]] = []
        if expect.get("abstain"):
            ok = answer.abstained
            tally = self.unanswerable
        else:
            text = answer.text.lower()
            missing = [group for group in expect.get("all_of", []) if not any(alt.lower() in text for alt in group)]
            ok = not answer.abstained and not missing
            tally = self.answerable
            self.wrongly_abstained += answer.abstained
            self.wrong_rule_answers += bool(missing) and not answer.abstained and answer.kind in RULE_KINDS
        tally[0] += ok
        tally[1] += 1
        for table, key in ((self.by_category, item.get("category")), (self.by_style, item.get("style"))):
            row = table.setdefault(str(key or "–"), [0, 0])
            row[0] += ok
            row[1] += 1
        if not ok:
            self.failures.append(
                {
                    "id": item.get("id"),
                    "question": item["question"],
                    "category": item.get("category"),
                    "style": item.get("style"),
                    "expect": expect,
                    "missing": missing,
                    "kind": answer.kind,
                    "abstained": answer.abstained,
                    "answer": answer.text,
                }
            )

    def to_json(self) -> dict[str, Any]:
        """The chat metrics as JSON."""
        answerable, unanswerable = self.answerable, self.unanswerable
        return {
            "answerable": {"n": answerable[1], "correct": answerable[0], "accuracy": _share(answerable)},
            "unanswerable": {"n": unanswerable[1], "abstained": unanswerable[0], "accuracy": _share(unanswerable)},
            "by_category": _table(self.by_category),
            "by_style": _table(self.by_style),
            "wrongly_abstained": self.wrongly_abstained,
            "wrong_rule_answers": self.wrong_rule_answers,
            "failures": self.failures,
        }


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
        if not isinstance(item, dict) or not (isinstance(item.get("question"), str) or _turns(item)):
            raise EvalFileError(f"{path}:{number}: needs an object with a 'question', or 'turns' that have one")
        items.append(item)
    return items


def evaluate(path: Path, ask: Ask, converse: Converse | None = None) -> SetResult:
    """Answer every item of a set and score it; conversations through `converse` when given."""
    result = SetResult(str(path))
    run = secrets.token_hex(6)  # a conversation of this run never continues one of an earlier run
    ranks: list[int | None] = []
    abstained_right = abstained_wrong = unanswerable = 0
    for item in load_items(path):
        if _turns(item):
            result.chat = result.chat or ChatResult()
            _play(item, ask, result.chat, converse, f"eval:{run}:")
            continue
        answer = ask(Question(item["question"], item.get("municipality"), id=item.get("id")))
        if _is_chat(item):
            result.chat = result.chat or ChatResult()
            result.chat.add(item, answer)
        elif "type" in item:
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


FIRST_TURN, FOLLOW_UP = "första frågan", "följdfråga"


def _play(conversation: dict[str, Any], ask: Ask, chat: ChatResult, converse: Converse | None, run: str) -> None:
    """Ask a conversation's turns in order (through `converse`, keyed by `run` and the conversation's id, when
    given) and score each, by its kind and by first turn or follow-up."""
    for number, turn in enumerate(_turns(conversation)):
        ident = f"{conversation.get('id')}.{number + 1}"
        question = Question(turn["question"], conversation.get("municipality"), id=ident)
        answer = converse(question, f"{run}{conversation.get('id')}") if converse else ask(question)
        style = FIRST_TURN if number == 0 else FOLLOW_UP
        chat.add({**turn, "id": ident, "category": turn.get("kind"), "style": style}, answer)


def _turns(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A conversation item's turns ([] when it is not one, or a turn has no question)."""
    turns = item.get("turns")
    if not isinstance(turns, list) or not turns:
        return []
    if not all(isinstance(turn, dict) and isinstance(turn.get("question"), str) for turn in turns):
        return []
    return turns


def _share(row: list[int]) -> float | None:
    return row[0] / row[1] if row[1] else None


def _table(rows: dict[str, list[int]]) -> dict[str, dict[str, Any]]:
    return {name: {"n": row[1], "correct": row[0], "accuracy": _share(row)} for name, row in sorted(rows.items())}


def _is_chat(item: dict[str, Any]) -> bool:
    expect = item.get("expect")
    return isinstance(expect, dict) and ("all_of" in expect or "abstain" in expect)


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
