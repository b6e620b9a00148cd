"""Every rule of a rulebook as a plain statement with its source: what an answer can quote.

A question the rules cannot answer exactly ("Är kommundirektören valbar?", "Vad gäller om min bror har
lagt ett anbud?") may still be answered by what a rule says. `statements` turns each event, decision right
and fact into one Swedish statement ("Fullmäktige fastställer budgeten för nästa år – före november
månads utgång."), with the words people use when they ask about it (its keys, hints and `words`), so a
search can find it and an answer can quote it with its law reference. Entries that share one statement
(several decision entries quote the same paragraph for different phrasings) give it once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from rules import texts
from rules.engine import ROLE, when_text
from rules.models import Decision, Event, Fact, Source
from rules.profiles import Rulebook


@dataclass(frozen=True)
class Statement:
    """One rule, said in a sentence or two, with its search words and its source."""

    id: str
    kind: Literal["event", "decision", "fact", "role"]
    text: str
    words: tuple[str, ...]
    source: Source
    local: bool
    ids: tuple[str, ...] = ()  # every entry that says this (several decisions may quote one paragraph)


def statements(rulebook: Rulebook, local: bool = True) -> list[Statement]:
    """The rulebook's rules as statements, each text once; `local=False` leaves out the municipality's own."""
    found: dict[str, Statement] = {}
    entries: list[Event | Decision | Fact] = [*rulebook.events, *rulebook.decisions, *rulebook.facts]
    said = [_statement(e, rulebook, rulebook.is_local(e.id)) for e in entries]
    principle = _principle(rulebook)
    for statement in [*said, *([principle] if principle is not None else [])]:
        if statement.local and not local:
            continue
        earlier = found.get(statement.text)
        if earlier is None:
            found[statement.text] = statement
        else:  # the same rule asked in other words: one statement, every entry's words and ids
            words = tuple(dict.fromkeys((*earlier.words, *statement.words)))
            ids = (*earlier.ids, *statement.ids)
            found[statement.text] = replace(earlier, words=words, ids=ids, local=earlier.local or statement.local)
    return list(found.values())


def _principle(rulebook: Rulebook) -> Statement | None:
    """The role split in the municipality's words (or the national guidance's), as one statement."""
    principle = rulebook.role_principle
    if principle is None:
        return None
    text = " ".join(f"{principle.politik} {principle.forvaltning}".split())
    words = ("roll", "politiken", "förvaltningen", "VAD", "NÄR", "HUR", "VEM", "rollfördelning")
    local = rulebook.local_role_principle
    return Statement(ROLE, "role", text, words, principle.sources[0], local, (ROLE,))


def _statement(entry: Event | Decision | Fact, rulebook: Rulebook, local: bool) -> Statement:
    if isinstance(entry, Fact):
        return Statement(entry.id, "fact", " ".join(entry.text.split()), entry.words, entry.source, local, (entry.id,))
    words = tuple(dict.fromkeys((*entry.keys, *(k for keys in entry.alt_keys for k in keys), *entry.hints)))
    if isinstance(entry, Decision):
        return Statement(entry.id, "decision", " ".join(entry.text.split()), words, entry.source, local, (entry.id,))
    parts = [f"{texts.capitalise(entry.title)} – {when_text(entry, rulebook)}."]
    if entry.note:
        parts.append(texts.sentence(entry.note))
    return Statement(entry.id, "event", " ".join(" ".join(parts).split()), words, entry.source, local, (entry.id,))
