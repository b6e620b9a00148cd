"""Questions as people really type them are understood: one test per way the answering core used to fail.

The questions here are the team's own, not from any evaluation set."""

from datetime import datetime

import pytest

from bot.answering import Answerer, Question
from rules import STOCKHOLM, RulesEngine

ASKED = datetime(2026, 11, 22, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture(scope="module")
def rules_only(engine: RulesEngine) -> Answerer:
    return Answerer(engine, "exempelkommun")


def _ask(answerer: Answerer, text: str, municipality: str | None = None):
    return answerer.answer(Question(text, municipality, asked_at=ASKED))


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("nar ska arsredovisningen lamnas till kf", "När ska årsredovisningen lämnas till fullmäktige?"),
        ("vem beslutar om skattesatsen i strangnas", "Vem beslutar om skattesatsen i Strängnäs?"),
        ("nar ska delårsraporten vara klar?", "När ska delårsrapporten vara klar?"),
    ],
)
def test_a_question_without_marks_or_with_a_typo_gets_the_clean_questions_answer(
    rules_only: Answerer, typed: str, clean: str
) -> None:
    sloppy, proper = _ask(rules_only, typed), _ask(rules_only, clean)
    assert not proper.abstained
    assert (sloppy.kind, sloppy.facts, sloppy.text) == (proper.kind, proper.facts, proper.text)
    assert sloppy.question == typed  # the answer is to the message as typed
    assert any(step.startswith("read: ") for step in sloppy.trace)


def test_an_english_question_is_answered_in_swedish_with_one_english_line(rules_only: Answerer) -> None:
    answer = _ask(rules_only, "Who decides the municipal tax rate?")
    first, rest = answer.text.split("\n", 1)
    assert first.startswith("(In English:") and "Swedish" in first
    assert answer.kind == "who_decides" and answer.facts["body"] == "kommunfullmaktige"
    assert "kommunfullmäktige" in rest
