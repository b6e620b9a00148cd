"""The PDF loader on the sample corpus: the text in reading order with its pages, headings found, running
headers and footers gone, and a clear error for every broken file."""

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import DamagedDocument, EmptyDocument, EncryptedDocument, IngestError, NeedsOCR
from ingest.loaders import pdf as pdf_loader
from ingest.loaders.pdf import load_pdf
from ingest.models import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def load(relative: str) -> ParsedDocument:
    path = CORPUS / relative
    return load_pdf(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def styrmodell() -> ParsedDocument:
    return load("pdf/001_styrmodell.pdf")


@pytest.mark.parametrize(
    ("pdf_name", "reference"),
    [
        ("000_trollhattan_styrning_och_ledning.pdf", "000_2df9a3954dd38321.txt"),
        ("001_styrmodell.pdf", "001_a69118cc50371085.txt"),
        ("002_workshop_samspel_politik_och_verksamhet.pdf", "002_49c7f9026c3f00a6.txt"),
        ("003_strangnas_styrmodell.pdf", "003_0e12f5af7a8cad4e.txt"),
        ("004_tranemo_dialog_om_styrmodellen.pdf", "004_4292fed017505b96.txt"),
    ],
)
def test_the_text_of_the_reference_comes_through(
    pdf_name: str, reference: str, recall: Callable[[str, str], float]
) -> None:
    document = load(f"pdf/{pdf_name}")
    extracted = " ".join(block.text for block in document.blocks)
    assert recall((CORPUS / "txt" / reference).read_text(encoding="utf-8"), extracted) >= 0.97


def test_document_has_its_page_count_title_and_format(styrmodell: ParsedDocument) -> None:
    assert styrmodell.pages == 17
    assert styrmodell.title == "Styrmodell"
    assert styrmodell.format == "pdf"
    assert styrmodell.source == "001_styrmodell.pdf"
    assert load("pdf/000_trollhattan_styrning_och_ledning.pdf").pages == 20


def page_of(document: ParsedDocument, words: str) -> int | None:
    return next(block.page for block in document.blocks if words in block.text)


def test_each_block_carries_the_page_its_text_is_on(styrmodell: ParsedDocument) -> None:
    assert page_of(styrmodell, "Investeringsprocessen ska pågå parallellt med budgetprocessen") == 8
    assert page_of(styrmodell, "Revisorerna ska enligt KL 12 kap") == 9
    assert page_of(styrmodell, "Bolagstämma senast sista april") == 15  # a landscape page
    pages = [block.page or 0 for block in styrmodell.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 17


def test_running_headers_footers_and_page_numbers_are_gone(styrmodell: ParsedDocument) -> None:
    for document in (styrmodell, load("pdf/003_strangnas_styrmodell.pdf")):
        assert not any(re.search(r"Sida \d+ av \d+", block.text) for block in document.blocks)
        assert not any(block.text.isdigit() for block in document.blocks)
    # The header "Styrmodell" is dropped from every page, the title on page 1 with the same words stays.
    assert [(block.page, block.kind) for block in styrmodell.blocks if block.text == "Styrmodell"] == [(1, "heading")]


def docx_headings(path: Path) -> list[tuple[int, str]]:
    """The Heading 1-3 paragraphs of the Word document the PDF was exported from."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    headings = []
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml):
        style = re.search(r'<w:pStyle w:val="Heading(\d)"', paragraph)
        if style:
            headings.append((int(style.group(1)), "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))))
    return headings


def test_headings_are_found_with_their_levels(styrmodell: ParsedDocument) -> None:
    found = {block.text: block.level for block in styrmodell.blocks if block.kind == "heading"}
    assert found["1. Inledning"] == 1 and found["5. Ekonomi"] == 1 and found["8. Ordlista"] == 1
    assert found["Budgetprocessen"] == 2 and found["Revisorernas bedömning"] == 2
    assert found["Beskrivning av budgetprocessen"] == 3
    expected = docx_headings(CORPUS / "docx/001_styrmodell.docx")
    assert len(expected) == 41
    assert sum(found.get(text) == level for level, text in expected) >= 38  # 41 measured
    assert len(found) <= len(expected) + 5  # body text is not taken for headings


def test_lines_join_into_paragraphs_and_bullets_into_list_items(styrmodell: ParsedDocument) -> None:
    texts = {block.text: block for block in styrmodell.blocks}
    # three lines of the PDF, one paragraph
    assert (
        "Styrmodellen är skriven på en övergripande nivå och beskriver inte det interna arbetet i nämnder och bolag. "
        "För att få effekt i det dagliga arbetet behöver modellen brytas ner på en mer detaljerad nivå inom de olika "
        "verksamheterna. I ägardirektiven till bolagen framgår mer vad som förväntas."
    ) in texts
    assert texts["Säkerställa att skattepengarna hanteras på bästa tänkbara sätt."].kind == "list_item"
    assert sum(block.kind == "list_item" for block in styrmodell.blocks) >= 50  # 56 bullets in the source
    assert "nämndordföranden" in styrmodell.text  # "nämndord-" at a line end joined to "föranden"
    assert "\uf0b7" not in styrmodell.text
    assert "....." not in styrmodell.text  # table-of-contents leader dots


def test_table_cells_and_glossary_terms_stay_apart(styrmodell: ParsedDocument) -> None:
    texts = [block.text for block in styrmodell.blocks]
    assert "Ekonomistyrningsprinciper" in texts
    assert any(text.startswith("Ett regelverk som beskriver hur ekonomin ska styras") for text in texts)
    assert any(block.cells and block.cells[0].text == "Återapportering" for block in styrmodell.blocks)


def test_a_month_by_month_overview_is_read_as_a_table_row_by_row(styrmodell: ParsedDocument) -> None:
    rows = [block for block in styrmodell.blocks if block.kind == "table" and block.page == 15]
    assert [cell.text for cell in rows[0].cells] == ["", "JAN", "FEB", "MAR", "APR", "MAJ", "JUN"]
    by_label = {row.cells[0].text: [cell.text for cell in row.cells] for row in rows[1:]}
    assert by_label["Återapportering"][3].startswith("Revisorerna lämnar sin skriftliga bedömning")  # under MAR
    assert by_label["Bolagen"][2].startswith("Årsredovisning, förvaltningsberätte")  # under FEB
    assert by_label["Bolagen"][2].endswith("tillhanda senast 1/3")  # a cell's lines are one text
    page = " ".join(block.text for block in styrmodell.blocks if block.page == 15)
    assert "Upptakt förtroendevalda och ekonomi" in page and "Rambudget inklusive drift och investeringar" in page


def test_footnote_at_the_foot_of_the_page_is_a_footnote() -> None:
    document = load("pdf/003_strangnas_styrmodell.pdf")
    footnotes = [block for block in document.blocks if block.kind == "footnote"]
    assert [(block.page, block.text[:29]) for block in footnotes] == [(7, "1 Tillitsbaserad styrning och")]


def test_slide_titles_become_headings() -> None:
    deck = load("pdf/004_tranemo_dialog_om_styrmodellen.pdf")
    titles = {block.page: block.text for block in deck.blocks if block.kind == "heading"}
    assert titles[1] == "Dialog om styrning och ledning i Tranemo kommun"
    assert titles[4] == "Styrmodellens tre delar"
    assert titles[12] == "Vad gör vi just nu"
    assert deck.title == "Dialog om styrning och ledning i Tranemo kommun"
    # the template hint above the title is kept as text, not lost
    assert deck.blocks[0].text == "Det här är en start- eller kapitelsida med bild. Tre rader"


def test_pdf_with_a_docx_extension_loads_like_the_pdf() -> None:
    renamed = load("bad/pdf_with_docx_extension.docx")
    original = load("pdf/004_tranemo_dialog_om_styrmodellen.pdf")
    assert renamed.blocks == original.blocks
    assert renamed.source == "pdf_with_docx_extension.docx"


@pytest.mark.parametrize(
    ("relative", "error", "message"),
    [
        ("bad/empty.pdf", EmptyDocument, "empty file"),
        ("bad/truncated_40pct.pdf", DamagedDocument, "truncated"),
        ("bad/encrypted_password.pdf", EncryptedDocument, "password-protected PDF"),
        ("bad/scanned_image_only.pdf", NeedsOCR, "no extractable text (scanned document, OCR needed)"),
        ("bad/not_a_zip.docx", DamagedDocument, "not a PDF"),
    ],
)
def test_each_broken_file_raises_its_error(relative: str, error: type[IngestError], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        load(relative)


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(CORPUS / "pdf/004_tranemo_dialog_om_styrmodellen.pdf"))
    writer.encrypt(user_password=user_password, owner_password="agare", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_pdf_opens_with_an_empty_password_and_not_without_it() -> None:
    document = load_pdf(encrypted(""), "rc4.pdf")
    assert document.blocks == load("pdf/004_tranemo_dialog_om_styrmodellen.pdf").blocks
    with pytest.raises(EncryptedDocument, match="password-protected PDF"):
        load_pdf(encrypted("hemligt"), "rc4.pdf")


def test_a_pdf_without_any_text_needs_ocr() -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(NeedsOCR):
        load_pdf(buffer.getvalue(), "blank.pdf")


def test_damaged_bytes_give_a_clear_error_or_a_document_never_a_crash() -> None:
    original = (CORPUS / "pdf/004_tranemo_dialog_om_styrmodellen.pdf").read_bytes()
    rng = random.Random(7)
    for _ in range(25):
        data = bytearray(original)
        for _ in range(rng.choice([1, 20, 400])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            document = load_pdf(bytes(data), "damaged.pdf")
        except IngestError as error:
            assert str(error)
        else:
            assert document.blocks


def test_reading_stops_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_loader, "TIME_LIMIT_S", -1.0)
    with pytest.raises(DamagedDocument, match="took over"):
        load("pdf/001_styrmodell.pdf")


def test_text_across_a_month_overview_s_foot_is_a_row_of_its_own_over_every_month(styrmodell: ParsedDocument) -> None:
    # in the Word original these are merged rows; the PDF wraps the first narrower than the table
    feet = [
        [(cell.text[:24], cell.span) for cell in block.cells]
        for block in styrmodell.blocks
        if block.kind == "table" and block.page in (15, 16) and not block.cells[0].text and block.cells[1].span > 1
    ]
    assert feet == [[("", 1), ("Sammanställning bokslut,", 6)], [("", 1), ("Förvaltningarna och styr", 6)]]
    bolagen = [block for block in styrmodell.blocks if block.kind == "table" and block.cells[0].text == "Bolagen"]
    assert all("Förvaltningarna" not in cell.text for block in bolagen for cell in block.cells)
