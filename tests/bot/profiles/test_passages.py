"""How the drafter reads a parsed document's blocks: what a table's cells are, and who a row names."""

from __future__ import annotations

from bot.profiles.drafting import passages
from ingest.models import Block, Cell, ParsedDocument
from rules.drafting import Passage, draft
from rules.engine import load_synonyms
from rules.matching import Analyzer


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


def test_a_line_naming_only_a_role_heads_the_lines_below_it_on_its_slide() -> None:
    read = passages(
        ParsedDocument(
            "uppdrag.pptx",
            "pptx",
            "Uppdrag",
            [
                Block("Uppdrag", "heading", 1, page=5),
                Block("Politiker", "paragraph", page=5),
                Block("styra, leda och fatta beslut på övergripande nivå", "paragraph", page=5),
                Block("Tjänstemän", "paragraph", page=5),
                Block("presentera olika alternativ och lösningar på problem", "paragraph", page=5),
                Block("Tips och råd", "paragraph", page=6),  # the next slide, with no title of its own
            ],
        ),
        "arshjul",
    )
    assert [(p.text, p.under) for p in read] == [
        ("styra, leda och fatta beslut på övergripande nivå", "Politiker"),
        ("presentera olika alternativ och lösningar på problem", "Tjänstemän"),
        ("Tips och råd", None),
    ]


def test_the_lines_under_a_role_are_its_duties_and_the_politicians_are_assumed_to_be_fullmaktige() -> None:
    lines = [
        Passage("arshjul", "styra, leda och fatta beslut på övergripande nivå", "Uppdrag", 5, under="Politiker"),
        Passage("arshjul", "presentera olika alternativ och lösningar på problem", "Uppdrag", 5, under="Tjänstemän"),
    ]
    synonyms = load_synonyms()
    result = draft("p", "P", {"arshjul": {"title": "Årshjul", "file": "a.pptx"}}, lines, Analyzer(synonyms))
    decided = [(d.entry["body"], d.doubt) for d in result.decisions]
    assert decided == [
        ("kommunfullmaktige", "Raden står under ”Politiker”; jag har antagit kommunfullmäktige."),
        ("forvaltning", None),
    ]


def test_a_heading_that_names_a_month_dates_the_lines_under_it_but_not_a_paragraph_of_prose() -> None:
    read = passages(
        _document(
            Block("Oktober", "heading", 3),
            Block("Förvaltningarna tar fram förslag till verksamhetsplan", "list_item"),
            Block("Sidan uppdaterades senast 2025-01-20. Frågor besvaras av ekonomiavdelningen.", "paragraph"),
            Block("Om årshjulet", "heading", 2),
            Block("Nämnderna lämnar rapporter", "list_item"),
        ),
        "arshjul",
    )
    assert [(p.text[:20], p.when) for p in read] == [
        ("Förvaltningarna tar ", "Oktober"),
        ("Sidan uppdaterades s", None),
        ("Nämnderna lämnar rap", None),
    ]


def test_a_delegation_list_s_rows_are_decided_by_its_delegate_column() -> None:
    read = passages(
        _document(
            _row("Ärende", "Delegat", "Anmärkning"),
            _row("Attest och utanordning inom nämndens budget", "Förvaltningschef", ""),
            _row("Ansökan om vård enligt LVU", "Socialnämndens individutskott (IU)", "Får inte vidaredelegeras"),
        ),
        "regler",
    )
    assert [(p.text, p.who, p.delegated) for p in read] == [
        ("Attest och utanordning inom nämndens budget", "Förvaltningschef", True),
        ("Ansökan om vård enligt LVU", "Socialnämndens individutskott (IU)", True),
    ]
    synonyms = load_synonyms()
    result = draft("p", "P", {"regler": {"title": "Regler", "file": "r.docx"}}, read, Analyzer(synonyms))
    assert [(d.entry["body"], d.entry["delegable"]) for d in result.decisions] == [
        ("forvaltning", True),
        ("namnd", True),  # a committee's own utskott
    ]


def test_a_cell_across_every_month_of_the_table_says_what_goes_on_not_when_it_is_due() -> None:
    halfyear = Block(
        "JUL | AUG | SEP | OKT | NOV | DEC",
        "table",
        cells=tuple(Cell(m) for m in ("", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC")),
    )
    across = Block(
        "Förvaltningarna arbetar med verksamhetsplaner och detaljbudgetar.",
        "table",
        cells=(Cell(""), Cell("Förvaltningarna arbetar med verksamhetsplaner och detaljbudgetar.", span=6)),
    )
    two = Block(
        "Budgetdialoger med nämnderna",
        "table",
        cells=(Cell(""), Cell(""), Cell(""), Cell(""), Cell("Budgetdialoger med nämnderna", span=2)),
    )
    read = passages(_document(Block("Delår 2", "heading", 1), halfyear, across, two), "arshjul")
    assert [(p.text, p.when) for p in read] == [
        ("Förvaltningarna arbetar med verksamhetsplaner och detaljbudgetar.", None),
        ("Budgetdialoger med nämnderna", "OKT–NOV"),
    ]
    synonyms = load_synonyms()
    documents = {"arshjul": {"title": "Årshjul", "file": "arshjul.docx"}}
    result = draft("provkommun", "Provkommun", documents, read, Analyzer(synonyms), {}, synonyms)
    assert [e.entry["source"]["quote"] for e in result.events] == ["Budgetdialoger med nämnderna"]
