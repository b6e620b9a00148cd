"""How the drafter reads a parsed document's blocks: what a table's cells are, and who a row names."""

from __future__ import annotations

from bot.profiles.drafting import passages
from ingest.models import Block, Cell, ParsedDocument


def _document(*blocks: Block) -> ParsedDocument:
    return ParsedDocument("styrmodell.docx", "docx", "Styrmodell", blocks)


def _row(*texts: str) -> Block:
    return Block(" | ".join(texts), "table", cells=tuple(Cell(text) for text in texts))


def test_a_cell_of_dashed_items_is_one_passage_per_item() -> None:
    read = passages(
        _document(
            Block("Årshjul", "heading", 1),
            _row("Planering", "Uppföljning", "Budget"),
            _row("Planering – KF beslut om bolagens ägardirektiv – Bolagsstämma antagande av ägardirektiv", "", ""),
        ),
        "styrmodell",
    )
    assert [p.text for p in read][-3:] == [
        "Planering",
        "KF beslut om bolagens ägardirektiv",
        "Bolagsstämma antagande av ägardirektiv",
    ]
    assert all(p.item and p.section == "Årshjul" for p in read[-3:])


def test_a_dash_before_a_small_letter_keeps_the_line_whole() -> None:
    read = passages(_document(_row("x", "y", "z"), _row("31 mars – årsredovisningen lämnas till KF", "", "")), "s")
    assert read[-1].text == "31 mars – årsredovisningen lämnas till KF"


def test_a_row_s_step_belongs_to_who_decides_it_and_a_dash_names_no_one() -> None:
    read = passages(
        _document(
            _row("Vad", "När", "Vem ansvarar", "Vem beslutar"),
            _row("Planeringsdirektiv", "Senast 10 februari", "Ekonomiavdelningen", "Kommunstyrelsen"),
            _row("Delårsbokslut", "Per 31/8", "Förvaltningarna", "–"),
        ),
        "styrmodell",
    )
    assert [(p.text, p.when, p.who) for p in read] == [
        ("Planeringsdirektiv", "Senast 10 februari", "Kommunstyrelsen"),
        ("Delårsbokslut", "Per 31/8", "Förvaltningarna"),
    ]
