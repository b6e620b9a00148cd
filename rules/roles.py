"""Classify a concrete question or proposal as VAD/NÄR (politics) or HUR/VEM (administration).

Cue words and patterns from `data/roles.yaml` vote for a side with a weight. The verdict needs a
clear lead; without one the classifier says nothing, and the question goes on to document retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.errors import ProfileError
from rules.matching import Analyzed, Analyzer
from rules.models import RoleSplit
from rules.profiles import load_yaml

MIN_SCORE = 2.0
MIN_LEAD = 1.0


class Cue(BaseModel):
    """One cue: words (matched like profile keys) or regular expressions, a weight and a reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    weight: float = Field(gt=0)
    why: str


class RoleCues(BaseModel):
    """The cue lists of both sides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    politik: tuple[Cue, ...]
    forvaltning: tuple[Cue, ...]


@dataclass(frozen=True)
class RoleVerdict:
    """Which side a question belongs to, with the reasons that decided it."""

    side: RoleSplit
    score: float
    other: float
    reasons: tuple[str, ...]


def load_cues(file: str = "roles.yaml") -> RoleCues:
    """Load and validate the cue data shipped in `rules/data/`."""
    text = (resources.files("rules") / "data" / file).read_text(encoding="utf-8")
    try:
        cues = RoleCues.model_validate(load_yaml(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ProfileError(f"rules/data/{file}", ".".join(map(str, first["loc"])), first["msg"]) from None
    for side in (cues.politik, cues.forvaltning):
        for cue in side:
            for pattern in cue.patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ProfileError(f"rules/data/{file}", cue.why, f"bad pattern {pattern!r}: {exc}") from None
    return cues


class RoleClassifier:
    """Votes the cues of both sides over a question."""

    def __init__(self, cues: RoleCues) -> None:
        self._cues = cues
        self._compiled = {
            id(cue): [re.compile(p) for p in cue.patterns] for side in (cues.politik, cues.forvaltning) for cue in side
        }

    def classify(self, question: Analyzed, analyzer: Analyzer) -> RoleVerdict | None:
        """The side with a clear lead, or None when the cues are absent or balanced."""
        politik, why_p = self._vote(self._cues.politik, question, analyzer)
        forvaltning, why_f = self._vote(self._cues.forvaltning, question, analyzer)
        if max(politik, forvaltning) < MIN_SCORE or abs(politik - forvaltning) < MIN_LEAD:
            return None
        if politik > forvaltning:
            return RoleVerdict(RoleSplit.WHAT_WHEN, politik, forvaltning, why_p)
        return RoleVerdict(RoleSplit.HOW_WHO, forvaltning, politik, why_f)

    def _vote(self, cues: tuple[Cue, ...], question: Analyzed, analyzer: Analyzer) -> tuple[float, tuple[str, ...]]:
        text = question.text.lower()
        score = 0.0
        reasons: list[str] = []
        for cue in cues:
            hit = bool(cue.terms) and analyzer.contains(question, analyzer.term(" ".join(cue.terms)))
            hit = hit or any(p.search(text) for p in self._compiled[id(cue)])
            if hit:
                score += cue.weight
                if cue.why not in reasons:
                    reasons.append(cue.why)
        return score, tuple(reasons)
