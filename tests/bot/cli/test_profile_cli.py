"""`styrbot profile draft` and `styrbot profile check` on real files: a Word document with a month-by-month
overview and a Månad/Aktivitet/Ansvarig table, the shipped corpus, a broken file, a forged quote; and a
drafted profile answering deadline questions as the hand-written one does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import main
from rules.engine import RulesEngine
from tests.drafts import styrmodell

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
TODAY = date(2026, 12, 7)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in ("STYRBOT_MUNICIPALITY", "STYRBOT_PROFILES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STYRBOT_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def _events(folder: Path, municipality: str) -> list[dict]:
    profile = yaml.safe_load((folder / "municipalities" / f"{municipality}.yaml").read_text(encoding="utf-8"))
    return profile["events"]


def test_a_word_styrmodell_is_drafted_with_its_tables_read_row_by_row(run, tmp_path: Path) -> None:
    out = tmp_path / "utkast"
    result = run("profile", "draft", str(styrmodell(tmp_path / "styrmodell.docx")), "-m", "provkommun",
                 "--name", "Provkommun", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Utkast för Provkommun" in result.output
    events = {e["source"]["quote"]: e for e in _events(out, "provkommun")}
    budget = events["Kommunfullmäktige fattar beslut om rambudgeten varje år i juni."]
    assert budget["date"] == {"kind": "month", "month": 6} and budget["body"] == "kommunfullmaktige"
    assert not any("2021" in quote or "antogs" in quote for quote in events)  # a date of one year is no step
    board = events["Årsredovisningen ska vara ekonomiavdelningen tillhanda senast 1/3"]
    assert board["date"] == {"kind": "fixed", "month": 3, "day": 1} and board["body"] == "bolag"  # its row
    assert events["Ekonomisk rapport om bolagens resultat"]["date"] == {"kind": "month", "month": 3}  # its column
    assert events["Budgetdialoger med nämnderna"]["date"] == {"kind": "month", "month": 3}  # after a merged cell
    spanning = events["Upptakt för förtroendevalda"]  # a cell over January and February: done by February's end
    assert spanning["date"] == {"kind": "month_end", "month": 2} and spanning["rule"] == "JAN–FEB"
    control = events["Uppföljning av internkontrollplanen senast 15 februari"]
    assert control["date"] == {"kind": "fixed", "month": 2, "day": 15} and control["body"] == "namnd"
    interim = events["Delårsrapport 2 lämnas till revisorerna"]
    assert interim["date"] == {"kind": "month", "month": 9} and interim["body"] == "kommunstyrelsen"
    directive = events["Planeringsdirektiv med preliminära ramar"]  # the body that decides it, not the office
    assert directive["date"] == {"kind": "fixed", "month": 2, "day": 10} and directive["body"] == "kommunstyrelsen"
    assert events["Delårsbokslut upprättas"]["body"] == "forvaltning"  # nobody decides it ("–"): who is responsible
    assert all(e["confirmed"] is False for e in events.values())
    review = (out / "granskning-provkommun.md").read_text(encoding="utf-8")
    assert "Utkast till profil för Provkommun" in review
    assert "> Kommunfullmäktige fattar beslut om rambudgeten" in review

    checked = run("profile", "check", str(out))
    assert checked.exit_code == 0, checked.output
    assert "Godkänd: provkommun" in checked.output and "inte bekräftade" in checked.output


def test_a_pdf_s_month_overview_is_read_by_its_columns_as_the_word_document_s_is(run, tmp_path: Path) -> None:
    out = tmp_path / "utkast"
    result = run("profile", "draft", str(CORPUS / "pdf" / "001_styrmodell.pdf"), "-m", "exempel", "--out", str(out))
    assert result.exit_code == 0, result.output
    events = {e["source"]["quote"]: e for e in _events(out, "exempel")}
    assert events["Upptakt förtroendevalda och ekonomi"]["date"] == {"kind": "month", "month": 2}  # its column
    report = next(e for q, e in events.items() if q.startswith("Ekonomisk rapport om bolagens ställning"))
    assert report["body"] == "bolag"  # its row's label, "Bolagen"


def test_check_fails_on_a_quote_that_is_not_in_the_document(run, tmp_path: Path) -> None:
    out = tmp_path / "utkast"
    run("profile", "draft", str(styrmodell(tmp_path / "styrmodell.docx")), "-m", "provkommun", "--out", str(out))
    path = out / "municipalities" / "provkommun.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("varje år i juni", "varje år i maj"), encoding="utf-8")
    result = run("profile", "check", str(out))
    assert result.exit_code == 1
    assert "citatet står inte i dokumentet: ”Kommunfullmäktige fattar beslut om rambudgeten varje år i maj.”" in (
        result.output
    )


def test_a_broken_file_is_reported_and_the_others_are_still_drafted(run, tmp_path: Path) -> None:
    out = tmp_path / "utkast"
    result = run("profile", "draft", str(styrmodell(tmp_path / "styrmodell.docx")),
                 str(CORPUS / "bad" / "not_a_zip.docx"), "-m", "provkommun", "--out", str(out))  # fmt: skip
    assert result.exit_code == 1
    assert "not_a_zip.docx: kunde inte läsas" in result.output
    assert _events(out, "provkommun")


def test_an_invalid_id_is_refused_in_swedish(run, tmp_path: Path) -> None:
    result = run("profile", "draft", str(styrmodell(tmp_path / "s.docx")), "-m", "Prov Kommun", "--out", str(tmp_path))
    assert result.exit_code == 2 and "Ogiltigt id" in result.output


def _accept_all(folder: Path, municipality: str, names: list[str]) -> None:
    path = folder / "municipalities" / f"{municipality}.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile["names"] = names
    for entry in (*profile["events"], *profile["decisions"]):
        entry["confirmed"] = True
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_drafted_profile_accepted_whole_answers_the_deadline_questions_as_the_hand_written_one(
    run, tmp_path: Path
) -> None:
    drafts = {"exempelkommun": "docx/001_styrmodell.docx", "strangnas": "docx/003_strangnas_styrmodell.docx",
              "tranemo": "pptx/004_tranemo_dialog_om_styrmodellen.pptx"}  # fmt: skip
    out = tmp_path / "utkast"
    hand = RulesEngine()
    for municipality, file in drafts.items():
        assert run("profile", "draft", str(CORPUS / file), "-m", municipality, "--out", str(out)).exit_code == 0
        _accept_all(out, municipality, list(hand.store.profile(municipality).names))
    drafted = RulesEngine(data_dir=out)
    questions = [
        json.loads(line)
        for line in (Path(__file__).resolve().parents[3] / "eval" / "rules_dev.jsonl").read_text().splitlines()
        if line.strip()
    ]
    deadlines = [q for q in questions if q["type"] == "deadline"]
    right = {"hand": 0, "drafted": 0}
    for question in deadlines:
        for name, engine in (("hand", hand), ("drafted", drafted)):
            answer = engine.answer(question["question"], question["municipality"], TODAY)
            facts = answer.facts if answer is not None else {}
            right[name] += facts.get("month") == question["expect"]["month"] and (
                question["expect"]["day"] is None or facts.get("day") == question["expect"]["day"]
            )
    assert right["hand"] == len(deadlines)
    assert right["drafted"] >= 0.9 * len(deadlines), right  # the issue asks as well as the hand-written: ≥ 0.90


def test_an_unconfirmed_entry_is_said_to_be_unconfirmed(run, tmp_path: Path) -> None:
    out = tmp_path / "utkast"
    run("profile", "draft", str(styrmodell(tmp_path / "styrmodell.docx")), "-m", "provkommun", "--out", str(out))
    answer = RulesEngine(data_dir=out).answer("När beslutar fullmäktige om rambudgeten?", "provkommun", TODAY)
    assert answer is not None and answer.facts["month"] == 6
    assert "utkast till kommunens profil som ingen har bekräftat ännu" in answer.text
