"""Chunks follow the document's structure: never across a section, bounded in size, with metadata."""

from ingest.chunking import LIMIT_CHARS, chunk_document, content_hash, split_long
from ingest.models import Block, ParsedDocument


def _document(*blocks: Block) -> ParsedDocument:
    return ParsedDocument("styrmodell.pdf", "pdf", "Styrmodell", tuple(blocks), pages=3)


def test_chunks_never_cross_a_section_and_carry_the_heading_path() -> None:
    document = _document(
        Block("5. Ekonomi", "heading", 1, 1),
        Block("Ekonomi handlar om resurser.", page=1),
        Block("Budgetprocessen", "heading", 2, 2),
        Block("Syftet med budgetprocessen är god hushållning.", page=2),
        Block("Under april genomförs samtal.", page=3),
        Block("6. Systematiskt förbättringsarbete", "heading", 1, 3),
        Block("Uppsiktsplikt gäller.", page=3),
    )
    chunks = chunk_document(document, "doc1", "exempelkommun")
    assert [c.section for c in chunks] == [
        ("5. Ekonomi",),
        ("5. Ekonomi", "Budgetprocessen"),
        ("6. Systematiskt förbättringsarbete",),
    ]
    budget = chunks[1]
    # the first chunk of a section opens with its heading, as the page does
    lines = ["Budgetprocessen", "Syftet med budgetprocessen är god hushållning.", "Under april genomförs samtal."]
    assert budget.text == "\n".join(lines)
    assert (budget.page, budget.page_end) == (2, 3)
    assert budget.id == "doc1:1" and budget.municipality == "exempelkommun"
    assert budget.section_label == "5. Ekonomi › Budgetprocessen"
    # searched with its context: the title and the heading path, each once
    assert budget.search_text == f"Styrmodell\n5. Ekonomi\n{budget.text}"
    assert budget.content_hash == content_hash(budget.search_text)


def test_only_the_first_chunk_of_a_section_repeats_the_heading() -> None:
    sentence = "Nämnden följer upp verksamheten varje månad och rapporterar till fullmäktige. "
    document = _document(Block("Uppföljning", "heading", 1, 1), Block(sentence * 30, page=1))
    chunks = chunk_document(document, "d")
    assert [c.text.startswith("Uppföljning\n") for c in chunks] == [True] + [False] * (len(chunks) - 1)
    assert all(c.search_text.startswith("Styrmodell\nUppföljning\n") for c in chunks)


def test_a_heading_without_text_stays_searchable() -> None:
    chunks = chunk_document(_document(Block("Översikt Året", "heading", 1, 1)), "d")
    assert [c.text for c in chunks] == ["Översikt Året"]


def test_long_sections_are_split_into_bounded_chunks_at_sentences() -> None:
    sentence = "Nämnden följer upp verksamheten varje månad och rapporterar till fullmäktige. "
    document = _document(Block("Uppföljning", "heading", 1, 1), Block(sentence * 80, page=1))
    chunks = chunk_document(document, "d")
    assert len(chunks) > 3
    assert all(len(c.text) <= LIMIT_CHARS for c in chunks)
    assert all(c.text.endswith("fullmäktige.") for c in chunks)


def test_a_giant_word_is_cut_rather_than_kept_whole() -> None:
    pieces = split_long("x" * 5000)
    assert [len(p) for p in pieces] == [LIMIT_CHARS, LIMIT_CHARS, LIMIT_CHARS, 5000 - 3 * LIMIT_CHARS]
