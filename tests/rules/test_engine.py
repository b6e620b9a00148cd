"""The rules engine answers deadline, who-decides and role questions exactly, or not at all."""

import json
from datetime import date
from pathlib import Path

import pytest

from bot.answering import Answerer, Question
from bot.evaluation import evaluate
from rules import RulesEngine

EVAL = Path(__file__).resolve().parents[2] / "eval"
TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("name", ["rules_dev.jsonl", "law_dev.jsonl"])
def test_development_sets_are_answered_at_least_95_percent_right(engine: RulesEngine, name: str) -> None:
    result = evaluate(EVAL / name, Answerer(engine, "exempelkommun").answer)
    assert result.accuracy() is not None
    assert result.accuracy() >= 0.95, json.dumps(result.failures, ensure_ascii=False, indent=1)


# Questions written for these tests, worded unlike the development set, as people type them.
DEADLINES = [
    ("exempelkommun", "när tar KF rambudgeten?", 6, None),
    ("exempelkommun", "deadline för internkontrollplanerna till ks?", 12, 31),
    ("exempelkommun", "Senast när ska bolagsstämman hållas?", 4, 30),
    ("exempelkommun", "När måste KS ha sitt budgetförslag klart enligt lagen?", 10, 31),
    ("exempelkommun", "När ska årsredovisningen senast lämnas till fullmäktige och revisorerna?", 4, 15),
    ("exempelkommun", "när ska bolagens delårsrapport vara hos ekonomiavd?", 8, 31),
    ("tranemo", "när tar budgetutskottet beslut om den preliminära budgeten?", 5, 23),
    ("strangnas", "vilken period täcker DR1, när slutar den?", 4, 30),
    ("trollhattan", "Senast när ska fullmäktige fastställa budgeten?", 11, 30),
    ("strangnas", "Vilket datum senast ska partiernas redovisning av partistödet lämnas?", 6, 30),
]


@pytest.mark.parametrize(("municipality", "question", "month", "day"), DEADLINES)
def test_deadline_questions(engine: RulesEngine, municipality: str, question: str, month: int, day: int) -> None:
    answer = engine.answer(question, municipality, TODAY)
    assert answer is not None and answer.kind == "deadline", answer
    assert (answer.facts["month"], answer.facts["day"]) == (month, day), answer.text
    assert answer.citations and answer.citations[0].text


def test_a_relative_deadline_states_its_rule_and_the_concrete_local_date(engine: RulesEngine) -> None:
    answer = engine.answer("När ska delårsrapporten vara klar?", "exempelkommun", TODAY)
    assert answer is not None and answer.kind == "deadline"
    assert answer.facts["body"] == "kommunstyrelsen"
    assert answer.facts["date"] == "2027-10-31"
    assert "två månader" in answer.facts["rule"] and "31 augusti" in answer.text


def test_a_deadline_relative_to_a_meeting_has_its_rule_but_no_date(engine: RulesEngine) -> None:
    answer = engine.answer("Hur många dagar innan sammanträdet ska kallelsen till KF gå ut?", "exempelkommun", TODAY)
    assert answer is not None and answer.kind == "deadline"
    assert answer.facts["date"] is None and answer.facts["month"] is None
    assert "vecka" in answer.text


WHO = [
    ("exempelkommun", "vem bestämmer skatten?", "kommunfullmaktige"),
    ("exempelkommun", "Vem utser kommundirektören?", "kommunstyrelsen"),
    ("exempelkommun", "vem beslutar om ansvarsfrihet för nämnderna?", "kommunfullmaktige"),
    ("strangnas", "vem beslutar om ägardirektiven till bolagen?", "kommunfullmaktige"),
    ("exempelkommun", "Får nämnden delegera yttranden till fullmäktige till en tjänsteperson?", "namnd"),
    ("tranemo", "Vem väljer revisorerna?", "kommunfullmaktige"),
    ("trollhattan", "vem har uppsikt över de kommunala bolagen?", "kommunstyrelsen"),
]


@pytest.mark.parametrize(("municipality", "question", "body"), WHO)
def test_who_decides_questions(engine: RulesEngine, municipality: str, question: str, body: str) -> None:
    answer = engine.answer(question, municipality, TODAY)
    assert answer is not None and answer.kind == "who_decides", answer
    assert answer.facts["body"] == body, answer.text
    assert answer.facts["basis"]


ROLES = [
    ("exempelkommun", "Får jag som ledamot bestämma vem som ska leda projektet?", "forvaltning"),
    ("strangnas", "kan nämnden bestämma vilket IT-system skolan ska använda?", "forvaltning"),
    ("exempelkommun", "Får KS bestämma vilka medarbetare som ska jobba i projektet?", "forvaltning"),
    ("exempelkommun", "Ska vi politiker bestämma när den nya simhallen ska stå klar?", "politik"),
    ("tranemo", "är det politikens sak att prioritera mellan äldreomsorgen och skolan?", "politik"),
    ("trollhattan", "Är det nämndens beslut vilka mål fritidsgårdarna ska ha?", "politik"),
]


@pytest.mark.parametrize(("municipality", "question", "side"), ROLES)
def test_role_questions(engine: RulesEngine, municipality: str, question: str, side: str) -> None:
    answer = engine.answer(question, municipality, TODAY)
    assert answer is not None and answer.facts["side"] == side, answer
    if answer.kind == "role":
        assert answer.facts["axis"] == ("VAD/NÄR" if side == "politik" else "HUR/VEM")


def test_role_answers_use_the_municipalitys_own_wording(engine: RulesEngine) -> None:
    exempel = engine.answer("Kan nämnden bestämma vilken enhetschef som ska leda projektet?", "exempelkommun", TODAY)
    assert exempel is not None and "HUR och VEM" in exempel.text
    trollhattan = engine.answer("Kan nämnden bestämma vilken enhetschef som ska leda projektet?", "trollhattan", TODAY)
    assert trollhattan is not None and "gyllene zon" in trollhattan.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "Vad menas med tillitsbaserad styrning?",
        "Vad heter kommunstyrelsens ordförande i Tranemo?",
        "Hur ser styrmodellen ut i Uppsala kommun?",
        "Hej!",
        "Vad tyckte tjänstepersonerna i enkäten om politikernas kunskaper?",
        "Hur många elever går i kommunens grundskolor?",
        "När är det lunch?",
    ],
)
def test_questions_the_rules_cannot_answer_exactly_get_no_rules_answer(engine: RulesEngine, question: str) -> None:
    assert engine.answer(question, "exempelkommun", TODAY) is None


def test_the_question_can_name_its_municipality(engine: RulesEngine) -> None:
    answer = engine.answer("När slutar perioden för delårsrapport 1 i Strängnäs?", "exempelkommun", TODAY)
    assert answer is not None and answer.municipality == "strangnas"


def test_a_municipality_without_profile_gets_the_national_rule_only(engine: RulesEngine) -> None:
    answer = engine.answer("När ska budgeten vara fastställd i Uppsala?", "exempelkommun", TODAY)
    assert answer is not None and answer.municipality is None
    assert (answer.facts["month"], answer.facts["day"]) == (11, 30)


def test_local_practice_is_not_presented_as_law(engine: RulesEngine) -> None:
    answer = engine.answer("Senast när ska partistödsredovisningen vara inlämnad till KS?", "exempelkommun", TODAY)
    assert answer is not None and answer.facts["local"] is True
    assert "inte ett krav i lag" in answer.text
    assert answer.citations[0].source.endswith(".pdf")


def test_next_occurrence_is_on_or_after_today(engine: RulesEngine) -> None:
    answer = engine.answer("När beslutar fullmäktige om rambudgeten?", "exempelkommun", date(2027, 7, 1))
    assert answer is not None and answer.facts["date"] == "2028-06-30" and answer.facts["start"] == "2028-06-01"


def test_answer_for_questions_asked_through_the_answerer_echoes_ids(engine: RulesEngine) -> None:
    answer = Answerer(engine, "exempelkommun").answer(Question("Vem beslutar om skattesatsen?", id="q1"))
    payload = answer.to_json()
    assert payload["id"] == "q1" and payload["kind"] == "who_decides" and payload["abstained"] is False
