"""Checking a rule answer against what was asked, before it is given.

The rules find their answer by words: "Vem anställer förvaltningschefen?" shares "förvaltning" with the rule
on medelsförvaltningen, and "Kan KF bestämma att en nämnd inte får några pengar alls?" has the words of a
VAD/NÄR question. So every rule answer is weighed against all the rules' statements (the law's and the
municipality's, `bot.law`): it is given only when its own statement is among the best answers to the
question, or when one of the two best says the same (the same body, the same date). A role verdict is about
a concrete matter, which no statement names, so it is checked the other way round: it yields when some rule
of law answers the question clearly better than any role statement could (a named rule on funds, balanced
budgets, delegation or jäv), unless the question itself sets politics against the administration, and so
does the verdict on a question after a situation that is about such a rule ("KS ser att nämnden missar sina
mål. Vad kan KS göra?" is about uppsikt); a deadline outside the months the question names ("i oktober?")
does not answer it; a question whether someone may take part ("Får jag delta?") is about jäv, never the
split. A question who *does* something is answered only by a rule on that kind of act: who prepares a
proposal ("Vem tar fram förslaget till vision?") is not answered by who decides on it, nor who leads or
reviews by who decides; and what to do ("Vad måste vi göra och när?") is not answered by a date alone. A
question that asks for a figure ("Upp till vilket belopp får jag besluta?") is answered only by a rule that
gives one.
A rule answer that does not hold is left to the documents and the law.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.law import RulePassages
from knowledge.questions import act_asked, asked, first_act, months_asked, names_act, wants
from knowledge.questions import holds as holds_fact  # `holds` here is whether a rule answer holds
from knowledge.situations import OWN_RULES
from rules import Decision, Event, RuleAnswer, Rulebook
from rules.engine import ROLE
from rules.intents import contrasted

LEADING = 20  # a rule's own statement must be among this many best statements …
MARGIN = 0.15  # … and within this much of the best one
ROLE_YIELD = 0.985  # a statement weighing this much answers the question itself, better than a role verdict
VERB_WITHIN = 4  # a rule's own act is the verb of its subject, among its first words
_ASKS_WHAT_TO_DO = re.compile(r"^\W*vad (?:måste|ska|skall|bör|behöver|kan) \w+(?: \w+)? göra\b", re.IGNORECASE)
# who answers for what: like "vem gör vad" (a process, `knowledge.questions.asked`), never one body or date
_WHO_ANSWERS_FOR_WHAT = re.compile(r"\bvem (?:ansvarar för|har ansvar för|bestämmer) vad\b", re.IGNORECASE)
_TAKING_PART = re.compile(r"\b(?:delta|närvara|sitta med|vara med|rösta|vara kvar|lämna rummet)\b", re.IGNORECASE)


def holds(
    ruled: RuleAnswer,
    question: str,
    weighed: Sequence[tuple[str, float]],
    passages: RulePassages,
    rulebook: Rulebook,
    about: Sequence[str] = (),
) -> bool:
    """Whether the rule answer answers the question (see the module docstring); `weighed` is the statements
    that answer it best, as (passage id, weight), best first; `about` the concepts of the situation told before
    the question (`knowledge.situations`). Nothing to weigh against: it holds."""
    wanted = wants(question)
    if wanted is not None and not holds_fact(wanted, ruled.text, question):
        return False  # "Upp till vilket belopp …?" is not answered by who may decide
    if not weighed:
        return True
    best_id, best = weighed[0]
    if ruled.facts.get("explained"):
        return True  # "Vad är min roll?" is answered by the split itself
    if ruled.entry == ROLE:
        if _TAKING_PART.search(question):
            return False  # whether someone may take part is jäv, never the split between politics and administration
        # a situation about uppsikt or delegation is answered by their rules
        concrete = bool(OWN_RULES.intersection(about)) or best >= ROLE_YIELD
        return contrasted(question) or not concrete or ROLE in passages.said_by.get(best_id, ())
    if "process" in asked(question) or _WHO_ANSWERS_FOR_WHAT.search(question):
        return False  # "Hur funkar målarbetet, vem gör vad i stegen?" wants the steps, not one body or date
    if not _same_act(question, ruled.entry, rulebook):
        return False  # "Vem tar fram förslaget …?" is not answered by who decides on it
    if ruled.kind == "deadline" and _ASKS_WHAT_TO_DO.match(question):
        return False  # "Vad måste vi göra och när?" wants the actions, which a date alone does not give
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
    entries = _entries(rulebook)
    first, second = entries.get(entry), entries.get(other)
    if first is None or second is None:
        return False
    if isinstance(first, Event) and isinstance(second, Event):
        return first.date == second.date and first.body == second.body
    return first.body is not None and first.body == second.body


def _same_act(question: str, entry: str, rulebook: Rulebook) -> bool:
    """Whether the rule is on the kind of act the question asks who does: it opens with no act ("Tjänstemännen
    fokuserar på HUR och VEM-frågor …"), or it names that kind of act ("… bereds av en arbetsgrupp utsedd av
    kommunstyrelsen" answers who appoints the group). A question that asks no one's act passes."""
    act = act_asked(question)
    if act is None:
        return True
    ruled = _entries(rulebook).get(entry)
    if ruled is None:
        return True
    said = ruled.text if isinstance(ruled, Decision) else ruled.title
    # "Fullmäktige beslutar om …", "Revisorerna ska bedöma …", or in the passive "Vision … fastslås av KF"
    own = first_act(" ".join(said.split()[:VERB_WITHIN])) or first_act(_first_clause(said))
    return own is None or names_act(act, said)


def _first_clause(text: str) -> str:
    """A rule's text up to its first full stop: its own statement, not the notes after it."""
    return text.split(". ", 1)[0]


def _entries(rulebook: Rulebook) -> dict[str, Event | Decision]:
    entries: dict[str, Event | Decision] = {e.id: e for e in rulebook.events}
    return entries | {d.id: d for d in rulebook.decisions}
