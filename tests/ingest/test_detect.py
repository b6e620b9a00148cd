"""Type detection by content: every corpus file is read as what it is, whatever its name says."""

import io
import zipfile
from pathlib import Path

import pytest

from ingest.detect import detect
from ingest.errors import EmptyDocument, EncryptedDocument, UnsupportedFormat

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FOLDER_FORMATS = {"txt": "text", "docx": "docx", "pptx": "pptx", "pdf": "pdf", "html": "html"}
GOOD_FILES = sorted(p for folder in FOLDER_FORMATS for p in (CORPUS / folder).iterdir())


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_every_good_file_is_detected_as_its_true_type_without_warnings(path: Path) -> None:
    assert detect(path.read_bytes(), path.name) == (FOLDER_FORMATS[path.parent.name], ())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated_40pct.pdf", "pdf"),
        ("encrypted_password.pdf", "pdf"),
        ("scanned_image_only.pdf", "pdf"),
        ("missing_presentation_part.pptx", "pptx"),  # the loader reports the missing main part
        ("latin1_encoded.txt", "text"),
        ("long_single_line.txt", "text"),
        ("malicious_script.html", "html"),
    ],
)
def test_bad_files_that_are_still_their_type_go_on_to_their_loader(name: str, expected: str) -> None:
    assert detect((CORPUS / "bad" / name).read_bytes(), name) == (expected, ())


def test_a_pdf_named_docx_is_read_as_pdf_with_a_warning() -> None:
    data = (CORPUS / "bad" / "pdf_with_docx_extension.docx").read_bytes()
    assert detect(data, "pdf_with_docx_extension.docx") == ("pdf", ("content is PDF, extension says DOCX",))


def test_random_bytes_named_docx_are_not_a_valid_docx() -> None:
    data = (CORPUS / "bad" / "not_a_zip.docx").read_bytes()
    with pytest.raises(UnsupportedFormat, match=r"not a valid DOCX \(not a ZIP package\)"):
        detect(data, "not_a_zip.docx")


def test_a_zero_byte_file_is_empty() -> None:
    with pytest.raises(EmptyDocument, match="empty file"):
        detect((CORPUS / "bad" / "empty.pdf").read_bytes(), "empty.pdf")


@pytest.mark.parametrize(
    ("name", "message"),
    [("bilder.pptx", "not a valid PPTX"), ("data.bin", "binary file of unknown type"), ("x.pdf", "not a valid PDF")],
)
def test_binary_data_is_unsupported_with_a_message_naming_the_claimed_type(name: str, message: str) -> None:
    with pytest.raises(UnsupportedFormat, match=message):
        detect(bytes(range(256)) * 8, name)


def test_office_packages_are_recognised_by_their_parts_not_their_names() -> None:
    assert detect(_zip("[Content_Types].xml", "word/document.xml"), "rapport.pdf") == (
        "docx",
        ("content is DOCX, extension says PDF",),
    )
    assert detect(_zip("ppt/slides/slide1.xml"), "deck.pptx") == ("pptx", ())
    with pytest.raises(UnsupportedFormat, match="spreadsheet"):
        detect(_zip("xl/workbook.xml"), "budget.xlsx")
    with pytest.raises(UnsupportedFormat, match="ZIP archive"):
        detect(_zip("bild.png"), "bilder.zip")


def test_a_password_protected_office_file_is_reported_as_such() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedDocument, match="password protected"):
        detect(ole, "styrmodell.docx")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"<!DOCTYPE html><html><body><p>Hej</p></body></html>", "sida.html", ("html", ())),
        (b"  <p>Kallelse</p>\n<p>Dagordning</p>", "kallelse.txt", ("html", ("content is HTML, extension says TXT",))),
        (b"# Styrmodell\n\nText.\n", "styrmodell.txt", ("markdown", ())),
        (b"Bara text utan rubriker.\n", "anteckningar.md", ("markdown", ())),
        (b"Text om <p>-taggar i HTML.\n", "anteckningar.txt", ("text", ())),
        ("Strängnäs kommun\n".encode("cp1252"), "notering.txt", ("text", ())),
        ("Strängnäs kommun\n".encode("utf-16"), "notering.txt", ("text", ())),
    ],
)
def test_text_is_told_apart_by_its_markup(data: bytes, name: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert detect(data, name) == expected
