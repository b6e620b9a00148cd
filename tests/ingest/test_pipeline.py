"""A batch over the whole demo corpus: every good file parsed, every bad file a clear result, the rest goes on."""

import json
from pathlib import Path

import pytest

from ingest.pipeline import FileResult, process, process_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FOLDERS = [CORPUS / name for name in ("txt", "docx", "pptx", "pdf", "html", "bad")]


@pytest.fixture(scope="module")
def batch() -> dict[str, FileResult]:
    return {r.path.name: r for r in process(FOLDERS)}


def test_every_good_file_is_parsed_into_chunks(batch: dict[str, FileResult]) -> None:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    good = [Path(f["path"]).name for f in manifest["files"] if f["role"] != "bad"]
    assert len(good) == 16
    for name in good:
        result = batch[name]
        assert result.status == "parsed", (name, result.error)
        assert result.chunks and all(c.text.strip() for c in result.chunks)
        assert all(len(c.text) <= 1400 for c in result.chunks)


@pytest.mark.parametrize(
    ("name", "error_type", "words"),
    [
        ("empty.pdf", "EmptyDocument", "empty"),
        ("truncated_40pct.pdf", "DamagedDocument", ""),
        ("encrypted_password.pdf", "EncryptedDocument", "password"),
        ("scanned_image_only.pdf", "NeedsOCR", "OCR"),
        ("not_a_zip.docx", None, "DOCX"),
        ("missing_presentation_part.pptx", "DamagedDocument", "main part missing"),
    ],
)
def test_each_broken_file_fails_with_its_reason(
    batch: dict[str, FileResult], name: str, error_type: str | None, words: str
) -> None:
    result = batch[name]
    assert result.status == "failed" and not result.chunks
    if error_type:
        assert result.error_type == error_type
    assert words in (result.error or "")


def test_the_recoverable_bad_files_are_ingested_cleanly(batch: dict[str, FileResult]) -> None:
    latin1 = batch["latin1_encoded.txt"]
    text = " ".join(c.text for c in latin1.chunks)
    assert "Strängnäs" in text and "förtroendevald" in text and "Ã" not in text and "\ufffd" not in text
    disguised = batch["pdf_with_docx_extension.docx"]
    assert disguised.status == "parsed" and disguised.document and disguised.document.format == "pdf"
    assert any("extension" in w for w in disguised.warnings)
    long_line = batch["long_single_line.txt"]
    assert long_line.status == "parsed" and len(long_line.chunks) > 1000
    malicious = " ".join(f"{c.section_label} {c.text}" for c in batch["malicious_script.html"].chunks)
    assert "Kallelse till kommunfullmäktige" in malicious
    for bad in ("script", "onerror", "onload", "javascript", "evil.example", "srcdoc", "cookie"):
        assert bad not in malicious.lower()


def test_the_same_batch_gives_the_same_documents_and_chunks(batch: dict[str, FileResult]) -> None:
    again = process_file(CORPUS / "pdf" / "001_styrmodell.pdf")
    first = batch["001_styrmodell.pdf"]
    assert again.file_hash == first.file_hash
    assert [(c.id, c.content_hash) for c in again.chunks] == [(c.id, c.content_hash) for c in first.chunks]


def test_progress_is_reported_per_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Budgetprocessen\n\nFullmäktige beslutar om budgeten i juni.", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"not": "a document"}', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip me", encoding="utf-8")
    seen: list[tuple[int, int, str]] = []
    results = list(process([tmp_path], progress=lambda done, total, path: seen.append((done, total, path.name))))
    assert seen == [(1, 2, "a.txt"), (2, 2, "b.json")]
    assert [r.status for r in results] == ["parsed", "failed"]
    assert "unsupported file type '.json'" in (results[1].error or "")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("ord " * 1000, encoding="utf-8")
    result = process_file(big, max_bytes=100)
    assert result.status == "failed" and result.error_type == "TooLarge"
