"""The rules engine answers deadline, who-decides and role questions exactly, or not at all."""

import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from bot.answering import Answerer, Question
from bot.evaluation import evaluate
from bot.facts import fact_rows
from rules import RulesEngine
from rules.engine import load_synonyms
from rules.intents import asked_actor
from rules.matching import Analyzer

EVAL = Path(__file__).resolve().parents[2] / "eval"
TODAY = date(2026, 11, 22)
DATA = Path(str(resources.files("rules") / "data"))


@pytest.mark.parametrize("name", ["rules_dev.jsonl", "law_dev.jsonl", "rules_blind1.jsonl", "rules_blind2.jsonl"])
def test_development_sets_are_answered_at_least_95_percent_right(engine: RulesEngine, name: str) -> None:
    result = evaluate(EVAL / name, Answerer(engine, "exempelkommun").answer)
    assert result.accuracy() is not None
    assert result.accuracy() >= 0.95, json.dumps(result.failures, ensure_ascii=False, indent=1)


def _items(name: str) -> list[dict]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# Questions the team wrote, worded unlike the development set, as people type them. The engine
# was tuned against them too, so they guard against regressions; they are not a blind measure.
TEAM = _items("rules_team.jsonl")


@pytest.mark.parametrize("item", TEAM, ids=[i["id"] for i in TEAM])
def test_team_questions(engine: RulesEngine, item: dict) -> None:
    answer = engine.answer(item["question"], item["municipality"] or "exempelkommun", TODAY)
    assert answer is not None, item["question"]
    expect = item["expect"]
    if item["type"] == "role":
        assert answer.facts.get("side") == expect["side"], answer.text
        return
    assert answer.kind == item["type"], answer.text
    if item["type"] == "deadline":
        assert (answer.facts["month"], answer.facts["day"]) == (expect["month"], expect["day"]), answer.text
    else:
        assert answer.facts["body"] == expect["body"] and answer.facts["basis"], answer.text
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


def test_role_answers_carry_the_axis(engine: RulesEngine) -> None:
    how = engine.answer("Kan nämnden bestämma vilket IT-system skolan ska använda?", "strangnas", TODAY)
    what = engine.answer("Är det politikens sak att prioritera mellan äldreomsorgen och skolan?", "tranemo", TODAY)
    assert how is not None and (how.kind, how.facts["axis"]) == ("role", "HUR/VEM")
    assert what is not None and (what.kind, what.facts["axis"]) == ("role", "VAD/NÄR")


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


def test_a_question_after_several_dates_gets_each_in_the_months_asked_soonest_first(engine: RulesEngine) -> None:
    answer = engine.answer(
        "Vilka datum gäller för bolagens ekonomiska rapporter under första halvåret?", "exempelkommun", TODAY
    )
    assert answer is not None and answer.kind == "deadline"
    lines = answer.text.splitlines()
    assert lines[0] == "Flera datum gäller:" and len(answer.facts["events"]) == len(lines) - 2 >= 2
    dates = [event["date"] for event in answer.facts["events"]]
    assert dates == sorted(dates) and all(int(d[5:7]) <= 6 for d in dates), "the first half of the year only"
    assert "31 mars" in answer.text and "31 maj" in answer.text and "augusti" not in answer.text
    assert answer.facts["month"] == answer.facts["events"][0]["month"]


def test_one_date_asked_is_still_one_answer(engine: RulesEngine) -> None:
    answer = engine.answer("När ska bolagen lämna den ekonomiska rapporten per 31 maj?", "exempelkommun", TODAY)
    assert answer is not None and "events" not in answer.facts
    assert (answer.facts["month"], answer.facts["day"]) == (5, 31)


def test_a_compound_the_rules_name_is_not_read_as_its_last_part(engine: RulesEngine) -> None:
    # "medelsförvaltning" (the management of funds) is a key of its own, not "förvaltning" (the administration)
    answer = engine.answer("Vem ansvarar för vad förvaltningen ska göra?", "exempelkommun", TODAY)
    assert answer is None or answer.entry != "funds_management"
    funds = engine.answer("Vem beslutar om riktlinjer för medelsförvaltningen?", None, TODAY)
    assert funds is not None and funds.entry == "funds_management"


def test_the_municipalitys_own_rule_on_a_matter_outranks_the_national_one(engine: RulesEngine) -> None:
    # Strängnäs: "Kommunens delårsrapport beslutas av kommunstyrelsen och kommunfullmäktige"; the law only says
    # that fullmäktige shall consider one interim report, so that rule must not answer for Strängnäs
    answer = engine.answer("Vem beslutar om delårsrapporten egentligen, nämnderna?", "strangnas", TODAY)
    assert answer is None or answer.entry != "interim_report_considered"
    assert engine.answer("Vem beslutar om delårsrapporten egentligen, nämnderna?", None, TODAY) is not None


def test_chat_words_for_urgent_find_the_rule_on_urgent_decisions(engine: RulesEngine) -> None:
    answer = engine.answer("Ordföranden tog ett bråttom beslut mellan mötena, när ska det anmälas?", None, TODAY)
    assert answer is not None and answer.entry == "urgent_decisions_reported" and "nästa sammanträde" in answer.text


def test_a_compound_the_rules_name_is_not_read_as_its_first_part_either(engine: RulesEngine) -> None:
    # Tranemo's "budgetutskott" is a committee: asked for its dates, the budget's national deadlines do not answer
    answer = engine.answer("vilka datum gäller för budgetutskottet?", "tranemo", TODAY)
    assert answer is not None and answer.kind == "deadline"
    assert [(event["month"], event["day"]) for event in answer.facts["events"]] == [(4, 18), (5, 23)]
    assert "18 april" in answer.text and "23 maj" in answer.text and "november" not in answer.text


def test_one_word_of_a_question_holds_two_keys_only_as_two_parts_of_a_compound() -> None:
    analyzer = Analyzer({}, extra_known=["budgetutskott", "utskott", "partistöd", "redovisning"])
    question = analyzer.analyze("Vad gör budgetutskottet med partistödsredovisningen?")
    term = analyzer.term
    assert analyzer.contains_all(question, [term("budgetutskott")])
    assert not analyzer.contains_all(question, [term("budgetutskott"), term("budget")])
    assert analyzer.contains_all(question, [term("partistöd"), term("redovisning")])


def test_the_plan_for_the_mandate_period_is_the_strategic_plan(engine: RulesEngine) -> None:
    # Exempelkommun's styrmodell calls it "Strategisk och Ekonomisk handlingsplan"; people call it the plan
    answer = engine.answer("När måste KF ha beslutat planen för mandatperioden?", "exempelkommun", TODAY)
    assert answer is not None and answer.kind == "deadline" and answer.facts["month"] == 6
    assert "strategiska och ekonomiska handlingsplanen" in answer.text


def test_the_words_of_the_laws_facts_are_known_to_the_reader(engine: RulesEngine) -> None:
    # "beslutsfort" is read as "beslutsföra" only if the reader knows the word: the quorum fact has it
    assert {"beslutsföra", "återremitteras", "ledamöterna"} <= engine.vocabulary()


@pytest.mark.parametrize(
    ("question", "court"),
    [
        ("Hur lång tid har man på sig att överklaga genom laglighetsprövning?", "förvaltningsrätten"),
        ("Beslutet överklagas genom förvaltningsbesvär. Hur lång tid har jag på mig?", "den myndighet som fattade"),
        ("När måste en laglighetsprövning ha kommit in?", "förvaltningsrätten"),
    ],
)
def test_the_kind_of_appeal_named_decides_the_rule(engine: RulesEngine, question: str, court: str) -> None:
    answer = engine.answer(question, "exempelkommun", TODAY)
    assert answer is not None and court in answer.text


def test_several_dates_name_the_laws_they_rest_on_in_one_sentence(engine: RulesEngine) -> None:
    answer = engine.answer("Vilka datum gäller för budgeten?", "exempelkommun", TODAY)
    assert answer is not None and answer.kind == "deadline" and len(answer.facts["events"]) > 1
    assert answer.text.count("gäller alla kommuner enligt lag") == 1
    assert "Reglerna gäller alla kommuner enligt lag (KL 11 kap 8 §, KL 11 kap 10 § och KL 11 kap 11 §)." in answer.text


def test_a_document_title_that_names_the_municipality_is_not_followed_by_its_name_again(engine: RulesEngine) -> None:
    tranemo = engine.answer("När beslutas den preliminära budgeten?", "tranemo", TODAY)
    assert tranemo is not None and tranemo.citations[0].title == "Dialog om styrning och ledning i Tranemo kommun"
    exempel = engine.answer("När ska bolagens årsredovisning vara klar?", "exempelkommun", TODAY)
    assert exempel is not None and exempel.citations[0].title == "Styrmodell (Exempelkommun)"


def test_the_next_step_of_the_annual_cycle_is_the_next_distinct_event(engine: RulesEngine) -> None:
    today = date(2026, 12, 7)
    # after the board's budget proposal (October): the council's budget, not the tax rate of the same day
    assert engine.following("exempelkommun", "budget_proposal", today).entry == "budget_adopted"
    # Strängnäs's own reports: after the first interim report the second, never the first one's handling
    assert engine.following("strangnas", "interim_report_1_period", today, "rapport").entry == "interim_report_2_period"
    # dates a slide gives without a year still follow each other; the monthly reporting is no next step
    after = engine.following("tranemo", "goals_presented_to_budget_committee", today)
    assert after.entry == "preliminary_budget" and "23 maj" in after.text
    assert engine.deadline_after("exempelkommun", "budget_adopted", date(2027, 12, 1)).facts["date"] == "2028-11-30"
    # the next step of the same process (its first tag): after the budget talks in April the budget decisions in
    # June, not the deficit measures reported in May; after the framework budget the business plans in July
    talks = engine.following("exempelkommun", "budget_talks_april", today)
    assert talks.facts["month"] == 6 and "budget" in talks.facts["tags"], talks.text
    plans = engine.following("exempelkommun", "framework_budget_june", today)
    assert plans.entry == "business_plans_work_starts", plans.text


def test_who_decides_and_when_gets_the_date_of_the_deciding_bodys_event(engine: RulesEngine) -> None:
    # Strängnäs's decision on interim reports names no month; its October event, in which fullmäktige acts, does
    answer = engine.answer("vem fastställer delårsrapport 2 i strängnäs och när?", "strangnas", TODAY)
    assert answer is not None and answer.kind == "who_decides" and answer.facts["body"] == "kommunfullmaktige"
    assert "i oktober" in answer.text and answer.facts["deadline"]["month"] == 10
    alone = engine.answer("vem fastställer delårsrapport 2 i strängnäs?", "strangnas", TODAY)
    assert alone is not None and "oktober" not in alone.text and "deadline" not in alone.facts
    shown = Answerer(engine, "strangnas").answer(Question("vem fastställer delårsrapport 2 och när?", "strangnas"))
    rows = dict(fact_rows(shown))  # every channel shows the date beside who decides
    assert rows["Beslutar"].startswith("Kommunstyrelsen och kommunfullmäktige") and "oktober" in rows["Nästa datum"]


def test_who_decides_and_when_says_a_date_the_decision_already_names_once(engine: RulesEngine) -> None:
    answer = engine.answer("Vem beslutar om budgeten och när?", None, TODAY)
    assert answer is not None and answer.kind == "who_decides"
    assert answer.text.count("före november månads utgång") == 1
    assert "Nästa gång: måndag 30 november 2026" in answer.text
    assert "Reglerna gäller alla kommuner enligt lag (KL 5 kap 1 § p2 och KL 11 kap 10 §)" in answer.text


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("vem utser styrelsen i ett kommunalt bolag?", True),
        ("vem bestämmer ändamålet med bolaget?", True),
        ("vem beslutar om bolagens plan?", False),  # their business plans, which this rule does not settle
        ("vem klubbar bolagen?", False),
    ],
)
def test_the_rule_on_a_companys_purpose_answers_what_it_settles_not_every_question_on_companies(
    engine: RulesEngine, question: str, answered: bool
) -> None:
    answer = engine.answer(question, "strangnas", TODAY)
    assert (answer is not None and answer.entry == "company_purpose") is answered, answer


def test_what_was_told_counts_for_the_rule_and_the_questions_own_words_break_a_tie(engine: RulesEngine) -> None:
    question = "Får förvaltningschefen i sin tur delegera det vidare?"
    # "beslut i enskilda ärenden" names words of the rule on delegating to an employee as much as the question
    # names the rule on delegating further: the question's own words decide
    told = engine.answer(question, "exempelkommun", TODAY, told="Vi har delegerat beslut i enskilda ärenden.")
    assert told is not None and told.entry == "subdelegation", told
    # what was told may still name a rule outright: a citizen's proposal may not be delegated at all
    proposal = engine.answer(
        "Får nämnden delegera det beslutet till en tjänsteman?", None, TODAY, told="Ett medborgarförslag."
    )
    assert proposal is not None and proposal.entry == "not_delegable_citizen_proposals", proposal


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("när ska det upp på anslagstavlan att protokollet är justerat?", "minutes_adjustment_announced"),
        ("när ska protokollet anslås på anslagstavlan?", "minutes_adjustment_announced"),
        ("hur länge ska protokollet sitta kvar på anslagstavlan?", "minutes_notice_kept"),
    ],
)
def test_when_the_minutes_go_up_on_the_notice_board_is_not_how_long_they_stay(
    engine: RulesEngine, question: str, entry: str
) -> None:
    answer = engine.answer(question, None, TODAY)
    assert answer is not None and answer.entry == entry, answer


def test_the_municipality_named_in_the_genitive_is_the_one_asked_about(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    profile = tmp_path / "data" / "municipalities" / "tranemo.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("names: [tranemo, tranemo kommun, tranemo kommuns, tranemos]",
                                    "names: [tranemo, tranemo kommun]"), encoding="utf-8")  # fmt: skip
    engine = RulesEngine(data_dir=tmp_path / "data")
    own = engine.answer("När ska budgeten vara fastställd i Tranemos kommun?", "tranemo", TODAY)
    assert own is not None and own.municipality == "tranemo"  # a drafted profile names no genitive forms
    other = engine.answer("När ska budgeten vara fastställd i Uppsalas kommun?", "tranemo", TODAY)
    assert other is not None and other.municipality is None


_PROVKOMMUN = """
id: provkommun
name: Provkommun
kind: municipality
names: [provkommun]
documents:
  styrmodell: {title: Styrmodell, file: styrmodell.docx}
"""

_ELECTION_YEARS_PROFILE = (
    _PROVKOMMUN
    + """events:
  - id: budget_june
    title: Fullmäktige fastställer budget och skattesats
    body: kommunfullmaktige
    date: {kind: month, month: 6}
    rule: i juni
    keys: [budget]
    hints: [skattesats, fastställa]
    source: {document: styrmodell, quote: "I juni fastställer fullmäktige budget och skattesats"}
  - id: budget_november_election
    title: Det nyvalda fullmäktige fastställer budget och skattesats
    body: kommunfullmaktige
    years: election
    date: {kind: month_end, month: 11}
    rule: före november månads utgång
    keys: [budget]
    hints: [skattesats, fastställa, nyvalda]
    source: {document: styrmodell, quote: "Under valår fastställer det nyvalda fullmäktige budgeten"}
"""
)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("Vilken månad fastställer fullmäktige budget och skattesats ett år som inte är valår?", "budget_june"),
        ("När fastställs budgeten under valår?", "budget_november_election"),
    ],
)
def test_a_question_that_says_which_years_gets_the_step_of_those_years(
    tmp_path: Path, question: str, event: str
) -> None:
    (tmp_path / "municipalities").mkdir()
    (tmp_path / "municipalities" / "provkommun.yaml").write_text(_ELECTION_YEARS_PROFILE, encoding="utf-8")
    answer = RulesEngine(data_dir=tmp_path).answer(question, "provkommun", TODAY)
    assert answer is not None and answer.facts["event_id"] == event


@pytest.mark.parametrize(
    ("question", "month"),
    [
        ("Till när ska partistödsredovisningen vara inlämnad till KS?", 6),
        ("Vid vilket KF-sammanträde beslutar fullmäktige om rambudgeten?", 6),
    ],
)
def test_asking_until_when_or_at_which_meeting_is_asking_for_a_date(
    engine: RulesEngine, question: str, month: int
) -> None:
    answer = engine.answer(question, "exempelkommun", TODAY)
    assert answer is not None and answer.kind == "deadline" and answer.facts["month"] == month


_TWO_ACTORS_PROFILE = (
    _PROVKOMMUN
    + """events:
  - id: committees_accounts
    title: Nämnderna lämnar bokslut och verksamhetsberättelse till KS
    body: namnd
    date: {kind: fixed, month: 2, day: 10}
    rule: senast den 10 februari
    keys: [årsredovisning]
    alt_keys: [[årsredovisning, lämnar], [årsredovisning, verksamhetsberättelse]]
    hints: [nämnd, lämnar, verksamhetsberättelse, kommunstyrelsen]
    overrides: committee_accounts_submitted
    source: {document: styrmodell, quote: "Nämnderna lämnar bokslut och verksamhetsberättelse till KS"}
  - id: companies_annual_reports
    title: Bolagen lämnar sina årsredovisningar till KS
    body: bolag
    date: {kind: month_end, month: 3}
    rule: före mars månads utgång
    keys: [årsredovisning]
    alt_keys: [[årsredovisning, revisionsberättelse]]
    hints: [bolag, revisionsberättelse, lämna, kommunstyrelsen]
    source: {document: styrmodell, quote: "Bolagen ska lämna sina årsredovisningar till KS"}
"""
)


def test_the_body_a_question_says_acts_gets_its_own_step(tmp_path: Path) -> None:
    (tmp_path / "municipalities").mkdir()
    (tmp_path / "municipalities" / "provkommun.yaml").write_text(_TWO_ACTORS_PROFILE, encoding="utf-8")
    engine = RulesEngine(data_dir=tmp_path)
    answer = engine.answer("när ska bolagen ha lämnat sina årsredovisningar till ks", "provkommun", TODAY)
    assert answer is not None and answer.facts["event_id"] == "companies_annual_reports"
    answer = engine.answer("När ska nämnderna lämna sina bokslut till KS?", "provkommun", TODAY)
    assert answer is not None and answer.facts["event_id"] == "committees_accounts"
    # named after any verb ("Vilket datum lämnar bolagen …"), not when two are named together
    answer = engine.answer("Vilket datum lämnar bolagen sina årsredovisningar till KS?", "provkommun", TODAY)
    assert answer is not None and answer.facts["event_id"] == "companies_annual_reports"
    assert asked_actor("Vilken månad tar KS och KF upp delårsrapporten?") is None  # both named: neither first


def test_a_word_that_only_ends_like_a_lexicon_word_is_not_that_word() -> None:
    analyzer = Analyzer(load_synonyms())
    assert analyzer.analyze("den sammanställda delårsrapporten").tokens == ("den", "sammanställda", "delårsrapport")
    assert analyzer.analyze("socialförvaltningen").tokens == ("förvaltning",)  # a compound still is


def test_a_question_naming_a_company_by_its_own_name_gets_the_companies_step(tmp_path: Path) -> None:
    (tmp_path / "municipalities").mkdir()
    profile = _TWO_ACTORS_PROFILE.replace("events:", "lexicon:\n  bolag: [rydbergahem, rydbergahem ab]\nevents:", 1)
    (tmp_path / "municipalities" / "provkommun.yaml").write_text(profile, encoding="utf-8")
    engine = RulesEngine(data_dir=tmp_path)
    answer = engine.answer("Senast när ska Rydbergahem lämna sin årsredovisning till KS?", "provkommun", TODAY)
    assert answer is not None and answer.facts["event_id"] == "companies_annual_reports"
