"""`styrbot ingest` as the contract describes it: per-file results, skip unchanged, replace changed, prune."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bot.library
from bot import texts
from bot.cli import main
from ingest import process_file

BUDGET = "Budgetprocessen\n\nKommunfullmäktige fastställer budgeten i november. Nämnderna lämnar underlag i april.\n"
REVISION = (
    "Revisorernas roll\n\nRevisorerna granskar nämndernas verksamhet varje år och lämnar en revisionsberättelse.\n"
)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in ("STYRBOT_MUNICIPALITY", "STYRBOT_PROFILES_DIR", "STYRBOT_CHROMA_URL", "STYRBOT_EMBEDDINGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STYRBOT_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str):
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        return result, (json.loads(result.output) if "--json" in args and result.output.strip() else None)

    return invoke


def test_ingest_reports_each_file_and_goes_on_past_a_broken_one(run, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "budget.txt").write_text(BUDGET, encoding="utf-8")
    (docs / "revision.md").write_text("# " + REVISION, encoding="utf-8")
    (docs / "trasig.pdf").write_bytes(b"")
    result, summary = run("ingest", str(docs), "--municipality", "exempelkommun", "--json")
    assert result.exit_code == 1
    assert sorted(Path(p).name for p in summary["ingested"]) == ["budget.txt", "revision.md"]
    assert summary["skipped"] == [] and [Path(f["path"]).name for f in summary["failed"]] == ["trasig.pdf"]
    [failed] = summary["failed"]
    assert failed["error"] == "Filen är tom eller innehåller ingen text." and failed["type"] == "EmptyDocument"
    assert failed["detail"] == "empty file"  # the parser's own words, for developers
    data = tmp_path / "data"
    assert (data / "documents.json").exists() and (data / "bm25.json").exists() and (data / "chroma").is_dir()


def test_unchanged_files_are_skipped_changed_replaced_and_removed_pruned(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "budget.txt").write_text(BUDGET, encoding="utf-8")
    (docs / "revision.txt").write_text(REVISION, encoding="utf-8")
    result, first = run("ingest", str(docs), "--json")
    assert result.exit_code == 0 and len(first["ingested"]) == 2
    parsed: list[str] = []
    monkeypatch.setattr(bot.library, "process_file", lambda path: parsed.append(path.name) or process_file(path))
    result, again = run("ingest", str(docs), "--json")
    assert again["ingested"] == [] and len(again["skipped"]) == 2
    assert parsed == [], "an unchanged file is recognised by its bytes, without parsing it again"
    (docs / "budget.txt").write_text(BUDGET + "\nBudgeten kan omprövas i slutet av november.\n", encoding="utf-8")
    (docs / "revision.txt").unlink()
    result, third = run("ingest", str(docs), "--prune", "--json")
    assert [Path(p).name for p in third["ingested"]] == ["budget.txt"]
    assert [Path(p).name for p in third["pruned"]] == ["revision.txt"]
    assert parsed == ["budget.txt"]  # the changed file only
    manifest = json.loads((tmp_path / "data" / "documents.json").read_text(encoding="utf-8"))
    assert [r["source"] for r in manifest.values()] == ["budget.txt"]


def test_an_unknown_municipality_is_refused_before_anything_is_read(run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BUDGET, encoding="utf-8")
    result, _ = run("ingest", str(tmp_path / "a.txt"), "--municipality", "uppsala")
    assert result.exit_code == 2 and "exempelkommun" in result.output
    assert not (tmp_path / "data" / "documents.json").exists()


def test_the_summary_for_people_counts_and_names_failures(run, tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"\x00\x01 not a zip" * 50)
    result, _ = run("ingest", str(tmp_path / "x.docx"))
    assert result.exit_code == 1
    assert "misslyckade: 1" in result.output and "x.docx" in result.output
    assert texts.ingest_reason("UnsupportedFormat") in result.output and "not a" not in result.output  # Swedish
