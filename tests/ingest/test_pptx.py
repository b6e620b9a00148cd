"""The PowerPoint loader on the demo decks: one page per slide, titles as headings, bullets, tables, notes."""

import io
import re
from collections.abc import Callable
from pathlib import Path

import pptx
import pytest
from pptx.util import Inches
from pypdf import PdfReader

from ingest.errors import DamagedDocument, EmptyDocument, UnsupportedFormat
from ingest.loaders.pptx import load_pptx
from ingest.models import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DECKS = sorted((CORPUS / "pptx").glob("*.pptx"))
TRANEMO = CORPUS / "pptx" / "004_tranemo_dialog_om_styrmodellen.pptx"
WORKSHOP = CORPUS / "pptx" / "002_workshop_samspel_politik_och_verksamhet.pptx"
TROLLHATTAN = CORPUS / "pptx" / "000_trollhattan_styrning_och_ledning.pptx"


def _load(path: Path) -> ParsedDocument:
    return load_pptx(path.read_bytes(), path.name)


def _normalise(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_every_slide_title_is_on_the_same_page_of_the_pdf_export(path: Path) -> None:
    document = _load(path)
    pdf = PdfReader(CORPUS / "pdf" / path.with_suffix(".pdf").name)
    assert document.format == "pptx" and document.pages == len(pdf.pages)
    headings = [block for block in document.blocks if block.kind == "heading"]
    assert headings and all(block.level == 1 for block in headings)
    for block in headings:
        assert block.page is not None and 1 <= block.page <= len(pdf.pages)
        assert _normalise(block.text) in _normalise(pdf.pages[block.page - 1].extract_text()), block


def test_the_last_tranemo_slide_holds_the_budget_committee_date() -> None:
    document = _load(TRANEMO)
    block = next(b for b in document.blocks if "preliminär budget beslutas i budgetutskottet 23 maj" in b.text)
    assert block.page == document.pages == 12
    assert block.kind == "list_item"
    assert [b.text for b in document.blocks if b.page == 12 and b.kind == "heading"] == ["Vad gör vi just nu"]


def test_titles_bullets_and_reading_order_of_the_tranemo_deck() -> None:
    document = _load(TRANEMO)
    assert document.title == "Dialog om styrning och ledning i Tranemo kommun"
    first_slide = [(b.text, b.kind) for b in document.blocks if b.page == 1]
    assert first_slide == [  # the template hint sits above the title on the slide
        ("Det här är en start- eller kapitelsida med bild. Tre rader", "paragraph"),
        ("Dialog om styrning och ledning i Tranemo kommun", "heading"),
    ]
    second_slide = [(b.text, b.kind) for b in document.blocks if b.page == 2]
    assert second_slide[:2] == [("Styrmodellen", "heading"), ("Vad är en styrmodell", "paragraph")]  # bullet off
    assert second_slide[2][0].startswith("En styrmodell är ett gemensamt ramverk") and second_slide[2][1] == "list_item"


def test_heading_counts_and_picture_only_slides() -> None:
    trollhattan = _load(TROLLHATTAN)
    assert sum(b.kind == "heading" for b in trollhattan.blocks) == 15  # 12 title+content, 3 title-only
    assert not {3, 4, 6, 10, 11} & {b.page for b in trollhattan.blocks}  # picture-only slides
    workshop = _load(WORKSHOP)
    assert workshop.pages == 47 and sum(b.kind == "heading" for b in workshop.blocks) == 18


def test_table_rows_of_the_survey_slides() -> None:
    rows = [(b.page, b.text) for b in _load(WORKSHOP).blocks if b.kind == "table"]
    assert (31, "FÖRTROENDEVALD | TJÄNSTEPERSON") in rows
    assert (31, "Ja 74% Nej 26% | Ja 61% Nej 39%") in rows
    assert len(rows) == 4


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_text_fidelity_against_the_reference_text(path: Path, recall: Callable[[str, str], float]) -> None:
    reference = next((CORPUS / "txt").glob(f"{path.name[:3]}_*.txt")).read_text(encoding="utf-8")
    assert recall(reference, _load(path).text) >= 0.97


def test_a_package_without_its_presentation_part_is_damaged() -> None:
    with pytest.raises(DamagedDocument, match="invalid PPTX: main part missing"):
        _load(CORPUS / "bad" / "missing_presentation_part.pptx")


def test_random_bytes_and_word_documents_are_not_decks() -> None:
    with pytest.raises((DamagedDocument, UnsupportedFormat), match=re.escape("not a valid PPTX (not a ZIP package)")):
        _load(CORPUS / "bad" / "not_a_zip.docx")
    with pytest.raises(DamagedDocument, match="not a PowerPoint file"):
        _load(CORPUS / "docx" / "001_styrmodell.docx")


def test_a_deck_without_text_is_empty() -> None:
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])
    buffer = io.BytesIO()
    deck.save(buffer)
    with pytest.raises(EmptyDocument, match="no text"):
        load_pptx(buffer.getvalue(), "blank.pptx")


def test_a_generated_deck_with_inherited_bullets_groups_tables_and_notes() -> None:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    assert slide.shapes.title is not None
    slide.shapes.title.text = "Budgetprocessen"
    slide.placeholders[1].text_frame.text = "Ramar beslutas i juni"  # bullet from the master, not the paragraph
    table = slide.shapes.add_table(2, 3, Inches(1), Inches(5), Inches(6), Inches(1)).table
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text, table.cell(0, 2).text = "Sammanslagen", "C"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "a", "b\nc", "d"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(6), Inches(2), Inches(1)).text_frame.text = "I gruppen"
    slide.notes_slide.notes_text_frame.text = "Talarnotering"
    buffer = io.BytesIO()
    deck.save(buffer)
    document = load_pptx(buffer.getvalue(), "budget.pptx")
    assert document.title == "Budgetprocessen" and document.pages == 1
    rows = [b.cells for b in document.blocks if b.kind == "table"]
    assert [[(c.text, c.span) for c in row] for row in rows] == [[("Sammanslagen", 2), ("C", 1)],
                                                                 [("a", 1), ("b c", 1), ("d", 1)]]  # fmt: skip
    assert [(b.text, b.kind) for b in document.blocks] == [
        ("Budgetprocessen", "heading"),
        ("Ramar beslutas i juni", "list_item"),
        ("Sammanslagen | C", "table"),
        ("a | b c | d", "table"),
        ("I gruppen", "paragraph"),
        ("Talarnotering", "paragraph"),
    ]
