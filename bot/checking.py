"""Checking a rule answer against what was asked, before it is given.

The rules find their answer by words: "Vem anställer förvaltningschefen?" shares "förvaltning" with the
rule on medelsförvaltningen, and "Kan KF bestämma att en nämnd inte får några pengar alls?" has the words
of a VAD/NÄR question. So every rule answer is weighed against all the rules' statements (the law's and
the municipality's, `bot.law`): it is given only when its own statement is among the best answers to
the question, or when one of the two best says the same (the same body, the same date). A role verdict
is about a concrete matter, which no statement names, so it is checked the other way round: it yields
when some rule of law answers the question clearly better than any role statement could (a named rule
on funds, balanced budgets, delegation or jäv), unless the question itself sets politics against the
administration; a deadline outside the months the question names ("i oktober?") does not answer it; a
question whether someone may take part ("Får jag delta?") is about jäv, never the split.
A rule answer that does not hold is left to the documents and the law.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.law import RulePassages
from knowledge.questions import months_asked
from rules import Decision, Event, RuleAnswer, Rulebook
from rules.engine import ROLE
from rules.intents import contrasted

LEADING = 20  # a rule's own statement must be among this many best statements …
MARGIN = 0.15  # … and within this much of the best one
ROLE_YIELD = 0.985  # a statement weighing this much answers the question itself, better than a role verdict
_TAKING_PART = re.compile(r"\b(?:delta|närvara|sitta med|vara med|rösta|vara kvar|lämna rummet)\b", re.IGNORECASE)


def holds(ruled: RuleAnswer, question: str, weighed: Sequence[tuple[str, float]], passages: RulePassages,
          rulebook: Rulebook) -> bool:  # fmt: skip
    """Whether the rule answer answers the question (see the module docstring); `weighed` is the statements
    that answer it best, as (passage id, weight), best first. Nothing to weigh against: it holds."""
    if not weighed:
        return True
    best_id, best = weighed[0]
    if ruled.facts.get("explained"):
        return True  # "Vad är min roll?" is answered by the split itself
    if ruled.entry == ROLE:
        if _TAKING_PART.search(question):
            return False  # whether someone may take part is jäv, never the split between politics and administration
        return contrasted(question) or best < ROLE_YIELD or ROLE in passages.said_by.get(best_id, ())
    asked_months = months_asked(question)
    if ruled.kind == "deadline" and asked_months and ruled.facts.get("month") not in asked_months:
        return False  # "… i oktober?" is not answered by the event in May
    own = passages.passage_of(rulebook, ruled.entry)
    leading = weighed[:LEADING]
    if any(item == own and weight >= best - MARGIN for item, weight in leading):
        return True
    agreeing = [other for item, _ in leading[:2] for other in passages.said_by.get(item, ())]
    return any(_same_answer(ruled.entry, other, rulebook) for other in agreeing)


def _same_answer(entry: str, other: str, rulebook: Rulebook) -> bool:
    """Whether two entries give the same answer: the same date by the same body for two events, else the same
    body (a decision right and the deadline of that decision name one body)."""
    entries: dict[str, Event | Decision] = {e.id: e for e in rulebook.events}
    entries |= {d.id: d for d in rulebook.decisions}
    first, second = entries.get(entry), entries.get(other)
    if first is None or second is None:
        return False
    if isinstance(first, Event) and isinstance(second, Event):
        return first.date == second.date and first.body == second.body
    return first.body is not None and first.body == second.body
