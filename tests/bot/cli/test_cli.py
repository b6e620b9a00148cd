"""The command line as scripts and people use it: the contract's commands, output and exit codes."""

import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from rules import ProfileStore
from rules.calendar import is_dated

ROOT = Path(__file__).resolve().parents[3]
CONTRACT_KEYS = {"question", "municipality", "kind", "answer", "facts", "citations", "abstained"}
CITATION_KEYS = {"source", "title", "page", "section", "text"}


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in ("STYRBOT_MUNICIPALITY", "STYRBOT_PROFILES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STYRBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STYRBOT_DEMO", "0")  # these tests are about the rules; tests/bot/test_documents.py reads

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_ask_json_has_the_contract_shape_with_facts_and_a_citation(run) -> None:
    result = run("ask", "När ska delårsrapporten vara klar?", "--json", "--today", "2026-11-22")
    assert result.exit_code == 0
    answer = json.loads(result.output)
    assert set(answer) >= CONTRACT_KEYS and "id" not in answer
    assert answer["kind"] == "deadline" and answer["municipality"] == "exempelkommun" and not answer["abstained"]
    assert {"event", "month", "day", "date", "body", "rule"} <= set(answer["facts"])
    assert answer["citations"] and set(answer["citations"][0]) >= CITATION_KEYS


def test_ask_prints_the_answer_and_its_sources_for_people(run) -> None:
    result = run("ask", "Vem beslutar om skattesatsen?", "--municipality", "strangnas")
    assert result.exit_code == 0
    assert "kommunfullmäktige" in result.output and "Källor:" in result.output and "5 kap 1 §" in result.output


def test_batch_answers_every_line_in_order_and_echoes_ids(run, tmp_path: Path) -> None:
    lines = [
        {"id": "a", "question": "Vem beslutar om skattesatsen?"},
        {"id": "b", "question": "När beslutar KF om rambudgeten?", "municipality": "exempelkommun"},
        {
            "id": "c",
            "question": "Kan nämnden välja vilken pedagogisk metod lärarna använder?",
            "municipality": "strangnas",
        },
        {"id": "d", "question": "Vad är klockan?"},
    ]
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    result = run("ask", "--batch", str(batch))
    assert result.exit_code == 0
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["id"] for a in answers] == ["a", "b", "c", "d"]
    assert [a["kind"] for a in answers] == ["who_decides", "deadline", "role", "none"]
    assert answers[3]["abstained"] is True and answers[3]["answer"]


def test_batch_lines_of_one_conversation_are_answered_as_follow_ups(run, tmp_path: Path) -> None:
    lines = [
        {"id": 1, "question": "När fastställer fullmäktige budgeten?", "conversation": "a"},
        {"id": 2, "question": "När fastställer fullmäktige budgeten?", "conversation": "b"},
        {"id": 3, "question": "och skattesatsen?", "conversation": "a"},
        {"id": 4, "question": "vilken paragraf är det?", "conversation": "a"},
        {"id": 5, "question": "och skattesatsen?"},  # no conversation: on its own
    ]
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    answers = [json.loads(line) for line in run("ask", "--batch", str(batch)).output.splitlines()]
    assert [a["id"] for a in answers] == [1, 2, 3, 4, 5]
    assert answers[2]["followup"]["understood_as"] == "När fastställer fullmäktige skattesatsen?"
    assert answers[2]["kind"] == "deadline" and "skattesats" in answers[2]["answer"]
    assert answers[3]["followup"]["kind"] == "why_source" and "11 kap" in answers[3]["answer"]
    assert "followup" not in answers[4] and "followup" not in answers[1]
    # a batch run again starts its conversations afresh
    again = [json.loads(line) for line in run("ask", "--batch", str(batch)).output.splitlines()]
    assert "followup" not in again[0] and again[2]["followup"]["kind"] == "ellipsis"


def test_a_bad_batch_line_gets_an_error_and_the_rest_is_answered(run, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": 1, "question": "Vem beslutar om skattesatsen?"}\n{not json\n'
        '{"id": 3, "question": "   "}\n{"id": 4, "question": "Vem väljer revisorerna?", "municipality": "uppsala"}\n'
        '{"id": 5, "question": "Vem väljer revisorerna?"}\n',
        encoding="utf-8",
    )
    result = run("ask", "--batch", str(batch))
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5
    assert rows[0]["kind"] == "who_decides" and rows[4]["facts"]["body"] == "kommunfullmaktige"
    assert "error" in rows[1] and rows[2] == {"id": 3, "error": rows[2]["error"]} and "tom" in rows[2]["error"]
    assert "uppsala" in rows[3]["error"] and "exempelkommun" in rows[3]["error"]


def test_unknown_municipality_exits_2_and_lists_the_known_ones(run) -> None:
    result = run("ask", "Vem beslutar om skattesatsen?", "--municipality", "uppsala")
    assert result.exit_code == 2
    for known in ("exempelkommun", "strangnas", "tranemo", "trollhattan"):
        assert known in result.output
    result = run("deadlines", "--municipality", "uppsala")
    assert result.exit_code == 2 and "strangnas" in result.output


def test_a_municipality_may_be_named_as_people_write_it(run) -> None:
    answer = json.loads(run("ask", "Vem beslutar om skattesatsen?", "--json", "-m", "Trollhättan").output)
    assert answer["municipality"] == "trollhattan"
    written = run("deadlines", "--municipality", "strängnäs", "--json", "--from", "2027-01-01")
    assert written.exit_code == 0 and json.loads(written.output)
    assert written.output == run("deadlines", "--municipality", "strangnas", "--json", "--from", "2027-01-01").output


def test_an_empty_question_gets_a_clear_error(run) -> None:
    result = run("ask", "  ")
    assert result.exit_code == 2 and "Frågan är tom" in result.output
    result = run("ask")
    assert result.exit_code == 2 and "Ange en fråga" in result.output


def test_deadlines_json_lists_every_event_of_the_profile_with_its_2027_date(run) -> None:
    result = run("deadlines", "--municipality", "exempelkommun", "--from", "2027-01-01", "--days", "365", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    dated = [r for r in rows if r["date"] is not None]
    assert all(r["date"].startswith("2027-") for r in dated)
    assert [r["date"] for r in dated] == sorted(r["date"] for r in dated)
    store = ProfileStore()
    rulebook = store.rulebook("exempelkommun")
    listed = {r["event_id"] for r in dated}
    undated = {r["event_id"] for r in rows if r["date"] is None}
    for event in store.profile("exempelkommun").events:
        if not is_dated(event, rulebook.anchors):
            assert event.id in undated, f"{event.id} is missing from the listing"
        elif event.years in ("every", "non_election"):
            assert event.id in listed, f"{event.id} has no 2027 date"
    assert any(r["event_id"] and not r["local"] for r in dated)  # the national layer is in the wheel too


def test_deadlines_for_people_are_grouped_by_month(run) -> None:
    result = run("deadlines", "--municipality", "exempelkommun", "--from", "2027-05-01", "--days", "31")
    assert result.exit_code == 0
    assert "Maj 2027" in result.output and "31 maj 2027" in result.output


def test_deadlines_list_the_municipalitys_undated_rules_and_count_the_laws_unless_all_are_asked_for(run) -> None:
    short = run("deadlines", "--municipality", "strangnas", "--days", "30").output
    whole = run("deadlines", "--municipality", "strangnas", "--days", "30", "--all").output
    undated = short[short.index("Utan fast datum:") :].splitlines()
    counted = re.search(r"Dessutom finns (\d+) regler i lagen utan fast datum\. Visa dem med --all\.", short)
    assert counted and len(undated) < 20  # Strängnäs's own undated rules, then one line for the law's
    listed = whole[whole.index("Utan fast datum:") :].splitlines()
    assert len(listed) == len(undated) - 1 + int(counted[1]) and "Dessutom" not in whole
    assert "Ett överklagande för laglighetsprövning" in whole and "laglighetsprövning" not in short


ENGLISH = re.compile(r"\b(Usage|Options|Commands|Show this message|default|Error|Try|No such|Missing|Invalid)\b")


@pytest.mark.parametrize("command", [[], ["ask"], ["deadlines"], ["ingest"], ["eval"], ["reminders"], ["serve"]])
def test_the_help_of_every_command_is_in_swedish(run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and result.output.startswith("Användning: ")
    assert "Flaggor:" in result.output and not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["ask", "--nosuch"], "Fel: Flaggan --nosuch finns inte."),
        (["deadlines", "--days", "många"], "Fel: Ogiltigt värde för --days: många är inte ett heltal."),
        (["nosuch"], "Fel: Kommandot nosuch finns inte."),
        (["ingest"], "Fel: Argumentet SÖKVÄG... saknas."),
    ],
)
def test_a_mistyped_command_is_told_in_swedish_with_where_to_find_help(run, args: list[str], said: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert said in result.output and "Prova '" in result.output and " --help' för hjälp." in result.output
    assert not ENGLISH.search(result.output), result.output


def test_eval_reports_the_metrics_of_each_set(run) -> None:
    result = run("eval", str(ROOT / "eval" / "rules_dev.jsonl"), str(ROOT / "eval" / "law_dev.jsonl"), "--json")
    assert result.exit_code == 0
    reports = json.loads(result.output)
    assert [Path(r["file"]).name for r in reports] == ["rules_dev.jsonl", "law_dev.jsonl"]
    assert all(r["accuracy"] >= 0.95 for r in reports)


def test_eval_plays_a_conversation_turn_by_turn_and_scores_each_turn_by_its_kind(run, tmp_path: Path) -> None:
    conversation = {
        "id": "v1",
        "municipality": "exempelkommun",
        "turns": [
            {"question": "När ska delårsrapporten vara klar?", "kind": "first", "expect": {"all_of": [["31 oktober"]]}},
            {"question": "och årsredovisningen?", "kind": "ellipsis", "expect": {"all_of": [["15 april", "april"]]}},
            {
                "question": "Ny fråga: vem beslutar om skattesatsen?",
                "kind": "topic_switch",
                "expect": {"all_of": [["fullmäktige"]]},
            },
        ],
    }
    path = tmp_path / "conversations.jsonl"
    path.write_text(json.dumps(conversation, ensure_ascii=False) + "\n", encoding="utf-8")
    [report] = json.loads(run("eval", str(path), "--json").output)
    chat = report["chat"]
    assert chat["answerable"]["n"] == 3
    assert set(chat["by_category"]) == {"first", "ellipsis", "topic_switch"}
    assert chat["by_style"]["första frågan"]["n"] == 1 and chat["by_style"]["följdfråga"]["n"] == 2
    # through the conversation path: the ellipsis is asked as "När ska årsredovisningen vara klar?"
    assert all(chat["by_category"][kind]["correct"] == 1 for kind in ("first", "ellipsis", "topic_switch"))
    assert chat["failures"] == []
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "v2", "turns": [{"kind": "first"}]}) + "\n", encoding="utf-8")
    refused = run("eval", str(broken))
    assert refused.exit_code == 2 and "'turns' that have one" in refused.output


def test_eval_scores_chat_items_on_the_answer_text_by_category_and_style(run, tmp_path: Path) -> None:
    items = [
        {
            "id": "ok",
            "question": "Vem beslutar om skattesatsen?",
            "category": "who_decides",
            "style": "plain",
            "expect": {"abstain": False, "all_of": [["fullmäktige", "KF"]]},
        },
        {
            "id": "wrong",
            "question": "När ska delårsrapporten vara klar?",
            "category": "deadline",
            "style": "plain",
            "expect": {"abstain": False, "all_of": [["31 oktober"], ["1 januari"]]},
        },
        {
            "id": "abstain",
            "question": "Vad kostar en parkering vid stadshuset?",
            "category": "unanswerable",
            "style": "colloquial",
            "expect": {"abstain": True},
        },
    ]
    path = tmp_path / "chat.jsonl"
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    chat = json.loads(run("eval", str(path), "--json").output)[0]["chat"]
    assert chat["answerable"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    assert chat["unanswerable"]["n"] == 1 and chat["unanswerable"]["abstained"] == 1  # no documents: it abstains
    assert chat["by_category"]["deadline"] == {"n": 1, "correct": 0, "accuracy": 0.0}
    assert chat["by_style"]["plain"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    # the deadline answer is a rule answer that misses a key fact: confidently wrong, and reported as such
    assert chat["wrong_rule_answers"] == 1 and chat["wrongly_abstained"] == 0
    [failure] = [f for f in chat["failures"] if f["id"] == "wrong"]
    assert failure["missing"] == [["1 januari"]] and failure["kind"] == "deadline" and "31 oktober" in failure["answer"]
    people = run("eval", str(path)).output
    assert "frågor med svar: 1/2 rätt (50.0%)" in people and "regelsvar som missar ett faktum: 1" in people


def test_a_broken_profile_folder_gives_a_one_line_error(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = tmp_path / "profiles"
    shutil.copytree(Path(str(resources.files("rules") / "data")), data)
    target = data / "municipalities" / "strangnas.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("kind: municipality", "kind: stad", 1), encoding="utf-8"
    )
    monkeypatch.setenv("STYRBOT_PROFILES_DIR", str(data))
    result = run("ask", "Vem beslutar om skattesatsen?")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "strangnas.yaml" in lines[0] and "kind" in lines[0]


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "styrbot"
    result = subprocess.run(
        [str(script), "ask", "Vem väljer revisorerna?", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["facts"]["body"] == "kommunfullmaktige"


def test_socket_mode_without_its_tokens_says_which_are_missing(run, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = run("slack")
    assert result.exit_code == 2 and "SLACK_APP_TOKEN" in result.output and "SLACK_BOT_TOKEN" in result.output


def test_feedback_lists_the_stored_votes_the_thumbs_down_first(run, tmp_path: Path) -> None:
    from bot.db import Database, Feedback

    assert run("feedback").output.strip() == "Ingen återkoppling ännu."
    db = Database.open(tmp_path / "data")
    db.record_feedback(Feedback("slack:C1:1.1", "slack:T1:U1", "up", kind="deadline", question="När är budgeten?"))
    db.record_feedback(Feedback("slack:C1:2.2", "slack:T1:U1", "down", kind="none", question="Vem är ordförande?"))
    db.close()
    lines = run("feedback").output.splitlines()
    assert lines[0] == "Återkoppling: 1 👍, 1 👎 på 2 svar."
    assert "👎" in lines[1] and "Vem är ordförande?" in lines[1] and "När är budgeten?" in lines[2]
    rows = json.loads(run("feedback", "--json").output)
    assert [(r["vote"], r["kind"]) for r in rows] == [("up", "deadline"), ("down", "none")]


def test_questions_lists_the_question_log_the_unanswered_on_their_own(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.answering import Answerer, Question
    from bot.db import Database
    from bot.questions import QuestionLog
    from rules import RulesEngine

    assert run("questions").output.splitlines()[0].startswith("Frågeloggen är av")
    monkeypatch.setenv("STYRBOT_LOG_QUESTIONS", "1")
    db = Database.open(tmp_path / "data")
    answerer = Answerer(RulesEngine(), "exempelkommun", observers=[QuestionLog(db, 30)])
    answerer.answer(Question("Vem beslutar om skattesatsen?", channel="web"))
    answerer.answer(Question("Hur många parkeringsplatser har simhallen?", channel="slack"))
    db.close()
    lines = run("questions").output.splitlines()
    assert lines[0] == "Frågeloggen är på och sparar frågor i 30 dagar (✗ = dokumenten gav inget svar)."
    assert "✓" in lines[1] and "web [who_decides] Vem beslutar om skattesatsen?" in lines[1]
    assert "✗" in lines[2] and "slack [none] Hur många parkeringsplatser har simhallen?" in lines[2]
    unanswered = [json.loads(line) for line in run("questions", "--unanswered", "--json").output.splitlines()]
    assert [(r["question"], r["reason"]) for r in unanswered] == [
        ("Hur många parkeringsplatser har simhallen?", "no_documents")
    ]


def test_a_database_that_cannot_be_opened_is_a_clear_error(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYRBOT_DATABASE_URL", "nosuchengine://somewhere/db")
    result = run("feedback")
    assert result.exit_code == 2 and "Kan inte öppna databasen (STYRBOT_DATABASE_URL)" in result.output


def test_the_command_line_loads_no_store_parser_or_chat_model_until_a_command_needs_it() -> None:
    """Every `styrbot` process imports the CLI: Chroma, the file parsers and langchain's chat models cost it
    two seconds, which a rule answer or a deadline listing never needs."""
    heavy = ("chromadb", "pypdf", "docx", "pptx", "bs4", "langchain_core.language_models.chat_models", "torch")
    code = f"import sys, bot.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
