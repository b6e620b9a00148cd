"""The Word loader on the demo corpus: headings with levels, tables in place, no table of contents, footnotes."""

import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from ingest.errors import DamagedDocument, EmptyDocument, UnsupportedFormat
from ingest.loaders.docx import load_docx
from ingest.models import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
STYRMODELL = CORPUS / "docx" / "001_styrmodell.docx"
STRANGNAS = CORPUS / "docx" / "003_strangnas_styrmodell.docx"


def _load(path: Path) -> ParsedDocument:
    return load_docx(path.read_bytes(), path.name)


def test_the_title_and_every_heading_of_001_keep_their_level() -> None:
    document = _load(STYRMODELL)
    assert document.format == "docx" and document.pages is None and document.title == "Styrmodell"
    first, *rest = document.blocks
    assert (first.text, first.kind, first.level) == ("Styrmodell", "heading", 1)
    levels = [block.level for block in rest if block.kind == "heading"]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (9, 25, 7)
    headings = {(block.text, block.level) for block in rest if block.kind == "heading"}
    expected = {("1. Inledning", 1), ("5. Ekonomi", 1), ("Budgetprocessen", 2), ("8. Ordlista", 1)}
    assert expected | {("Beskrivning av budgetprocessen", 3), ("Översikt Året", 1)} <= headings


def test_paragraphs_lists_and_tables_come_in_document_order() -> None:
    texts = [block.text for block in _load(STYRMODELL).blocks]
    budget = texts.index("Budgetprocessen")
    assert texts[budget + 1].startswith("Syftet med budgetprocessen är att")
    assert budget < texts.index("Beskrivning av budgetprocessen") < texts.index("Uppföljningsprocessen")
    first_half = texts.index("Delår 1 - Januari - Juni")
    assert texts[first_half + 1] == "JAN | FEB | MAR | APR | MAJ | JUN"
    assert first_half < texts.index("Delår 2 - Juli-December") < texts.index("8. Ordlista")


def test_bulleted_paragraphs_are_list_items() -> None:
    blocks = _load(STYRMODELL).blocks
    assert sum(block.kind == "list_item" for block in blocks) == 56
    assert next(block for block in blocks if block.text == "Specifika").kind == "list_item"


def test_table_rows_are_blocks_with_their_cells() -> None:
    blocks = _load(STYRMODELL).blocks
    rows = [block.text for block in blocks if block.kind == "table"]
    bolagen = next(row for row in rows if row.startswith("Bolagen | Årsredovisning"))
    assert "Bolagstämma senast sista april" in bolagen  # the annual overview, April column
    assert any(row.startswith("Vision | Anger ett önskvärt framtida tillstånd för kommunen") for row in rows)
    assert any(row.startswith("Kvalitet; Statlig och Kommunal styrning | Innebär att tillgodose") for row in rows)
    assert "Ekonomistyrningsprinciper | Ett regelverk som beskriver" in "\n".join(rows)
    # A cell merged over six months is read once.
    assert sum(row.count("Sammanställning bokslut, årsredovisning") for row in rows) == 1


def test_a_table_row_keeps_its_cells_in_grid_order_so_columns_line_up() -> None:
    rows = [block for block in _load(STYRMODELL).blocks if block.kind == "table"]
    header = next(row for row in rows if row.text == "JAN | FEB | MAR | APR | MAJ | JUN")
    assert [cell.text for cell in header.cells] == ["", "JAN", "FEB", "MAR", "APR", "MAJ", "JUN"]
    bolagen = next(row for row in rows if row.text.startswith("Bolagen | Årsredovisning"))
    texts = [cell.text for cell in bolagen.cells]
    assert texts[:2] == ["Bolagen", ""]  # nothing in January: February's report stays in February's column
    assert texts[2].startswith("Årsredovisning, förvaltningsberätte") and texts[2].endswith("senast 1/3")
    merged = next(row for row in rows if row.text.startswith("Sammanställning bokslut"))
    assert [(cell.text[:15], cell.span) for cell in merged.cells] == [("", 1), ("Sammanställning", 6)]


def test_the_table_of_contents_is_left_out() -> None:
    blocks = _load(STYRMODELL).blocks
    assert not any(re.search(r"(?:\.{3,}|…|\t)\s*\d+$", block.text) for block in blocks)
    assert not any(block.text in ("Innehåll", "1. Inledning 2", "8. Ordlista 17") for block in blocks)
    assert [block.text for block in blocks].count("5. Ekonomi") == 1


def test_the_footnote_of_003_is_appended_and_marked() -> None:
    document = _load(STRANGNAS)
    last = document.blocks[-1]
    assert last.kind == "footnote"
    assert last.text == "[1] Tillitsbaserad styrning och ledning, Ett ramverk, Tillitsdelegationen 2017-10-30"
    glossary = next(
        block for block in document.blocks if block.text.startswith("Tillitsbaserad styrning och ledning |")
    )
    assert glossary.kind == "table" and glossary.text.endswith("brukarmötande yrkesgrupper.[1]")


def test_003_title_quote_headers_and_footers() -> None:
    document = _load(STRANGNAS)
    assert document.title == "Styrmodell för Strängnäs kommunkoncern"
    levels = [block.level for block in document.blocks[1:] if block.kind == "heading"]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (4, 13, 3)
    vision = next(block for block in document.blocks if block.text.startswith("Tillsammans och med invånarnyttan"))
    assert vision.kind == "paragraph"
    assert not any(re.search(r"\bSida \d+ av \d+", block.text) for block in document.blocks)


@pytest.mark.parametrize("path", [STYRMODELL, STRANGNAS], ids=lambda p: p.name)
def test_text_fidelity_against_the_reference_text(path: Path, recall: Callable[[str, str], float]) -> None:
    reference = next((CORPUS / "txt").glob(f"{path.name[:3]}_*.txt")).read_text(encoding="utf-8")
    assert recall(reference, _load(path).text) >= 0.97


def test_random_bytes_are_not_a_docx() -> None:
    path = CORPUS / "bad" / "not_a_zip.docx"
    with pytest.raises((DamagedDocument, UnsupportedFormat), match=re.escape("not a valid DOCX (not a ZIP package)")):
        _load(path)


def test_other_packages_and_empty_input_fail_clearly() -> None:
    deck = CORPUS / "pptx" / "004_tranemo_dialog_om_styrmodellen.pptx"
    with pytest.raises(DamagedDocument, match="not a Word file"):
        load_docx(deck.read_bytes(), "disguised.docx")
    with pytest.raises(EmptyDocument):
        load_docx(b"", "empty.docx")
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(EmptyDocument, match="no text"):
        load_docx(buffer.getvalue(), "blank.docx")


def test_a_generated_document_with_toc_control_hidden_text_and_merged_cells() -> None:
    document = docx.Document()
    document.core_properties.title = "Dokument1"  # not a meaningful title
    toc = (
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>1. Inledning ..... 2</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(0, parse_xml(toc))
    document.add_heading("Riktlinje för budget", 0)
    paragraph = document.add_paragraph("Synlig ")
    paragraph.add_run("dold ").font.hidden = True
    paragraph.add_run("text.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Vertikal"
    table.cell(0, 1).text, table.cell(1, 1).text = "x", "y"
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = load_docx(buffer.getvalue(), "riktlinje.docx")
    assert parsed.title == "Riktlinje för budget"
    assert [(b.text, b.kind) for b in parsed.blocks] == [
        ("Riktlinje för budget", "heading"),
        ("Synlig text.", "paragraph"),
        ("Vertikal | x", "table"),
        ("y", "table"),
    ]
