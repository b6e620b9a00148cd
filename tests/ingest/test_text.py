"""Plain text and Markdown: the right characters, paragraphs out of broken lines, headings, bounded blocks."""

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.errors import EmptyDocument
from ingest.loaders.text import decode, load_markdown, load_text
from ingest.models import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TXT = CORPUS / "txt"


def normalise(text: str) -> list[str]:
    """Lower case, every non-letter/digit a space, whitespace collapsed: the corpus fidelity measure."""
    return re.sub(r"[^\w]|_", " ", text.lower()).split()


def load(name: str) -> ParsedDocument:
    path = TXT / name
    return load_text(path.read_bytes(), path.name)


def headings(document: ParsedDocument) -> list[tuple[int | None, str]]:
    return [(b.level, b.text) for b in document.blocks if b.kind == "heading"]


# --- Encodings ---


def test_latin1_text_comes_out_with_its_swedish_letters_and_no_mojibake() -> None:
    data = (CORPUS / "bad" / "latin1_encoded.txt").read_bytes()
    text, encoding = decode(data)
    document = load_text(data, "latin1_encoded.txt")
    assert encoding in ("windows-1252", "iso-8859-1")
    for word in ("Strängnäs", "förtroendevald", "återkopplingen"):
        assert word in text and word in document.text
    assert "Ã" not in document.text and "\ufffd" not in document.text
    assert document.title == "Bakgrund och syfte"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Strängnäs".encode(), "Strängnäs", "utf-8"),
        (b"\xef\xbb\xbf" + "Strängnäs".encode(), "Strängnäs", "utf-8-sig"),
        ("Mål – så styrs vi".encode("cp1252"), "Mål – så styrs vi", "windows-1252"),
        (b"\x81 \xe5r", "\x81 år", "iso-8859-1"),  # 0x81 is undefined in Windows-1252
        ("Strängnäs".encode("utf-16"), "Strängnäs", "utf-16"),
        ("StrÃ¤ngnÃ¤s kommun".encode(), "Strängnäs kommun", "utf-8"),  # UTF-8 encoded twice, repaired
    ],
)
def test_decode_never_guesses_wrong_for_swedish(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


# --- Plain text from PDF and slide exports ---


def test_reference_text_001_keeps_its_words_and_chapter_headings(recall: Callable[[str, str], float]) -> None:
    reference = (TXT / "001_a69118cc50371085.txt").read_text(encoding="utf-8")
    document = load("001_a69118cc50371085.txt")
    chapters = [text for level, text in headings(document) if level == 1]
    assert chapters == [
        "1. Inledning",
        "2. Verksamhetens grunduppdrag",
        "3. Styrmodellsdokument",
        "4. Mål och plan",
        "5. Ekonomi",
        "6. Systematiskt förbättringsarbete med kvalitetsfokus",
        "7. Förhållningssätt, Ansvar och Roller",
        "8. Ordlista",
    ]
    assert {(2, "Ekonomistyrning"), (2, "Budgetprocessen"), (2, "Avgränsningar")} <= set(headings(document))
    assert document.title == "1. Inledning" and document.format == "text" and document.pages is None
    # Misses are words hyphenated at a line end ("mandat-/period"), joined on purpose, and the page number "4".
    assert recall(reference, document.text) >= 0.985
    dehyphenated = re.sub(r"(\w)-[ \t]*\n\s*([a-zåäöé])", r"\1\2", reference)
    assert recall(dehyphenated, document.text) >= 0.99


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("000_2df9a3954dd38321.txt", 0.99),
        ("002_49c7f9026c3f00a6.txt", 0.975),
        ("003_0e12f5af7a8cad4e.txt", 0.99),
        ("004_4292fed017505b96.txt", 0.975),
    ],
)
def test_every_reference_text_keeps_its_words(name: str, minimum: float, recall: Callable[[str, str], float]) -> None:
    assert recall((TXT / name).read_text(encoding="utf-8"), load(name).text) >= minimum


def test_broken_lines_become_whole_paragraphs_and_bullets_list_items() -> None:
    kinds = {b.text: b.kind for b in load("001_a69118cc50371085.txt").blocks}
    goal = (
        "Tydliggöra uppdraget och säkerställa att den politiska viljeriktningen och mål får genomslag i verksamheterna"
    )
    assert kinds["Slogan"] == kinds[goal] == "list_item"  # "•" bullets; the second spans two lines
    assert "4" not in kinds  # a page number on a line of its own
    # A sentence broken by blank lines ("... ska vara", "", "grundläggande mål ...") stays one paragraph.
    slide = next(b.text for b in load("002_49c7f9026c3f00a6.txt").blocks if b.text.startswith("Den enskildes"))
    assert slide.startswith("Den enskildes personliga, ekonomiska och kulturella välfärd ska vara grundläggande mål")
    assert slide.endswith("verka för social omsorg och trygghet och för goda förutsättningar för hälsa.")


def test_lost_bullets_and_headings_directly_above_text_are_found() -> None:
    document = load("003_0e12f5af7a8cad4e.txt")
    kinds = {b.text: b.kind for b in document.blocks}
    assert kinds["Stärka helhetsperspektivet i hela styrkedjan"] == "list_item"
    assert kinds["Bygga relationer som ökar benägenheten att lita på andra aktörer"] == "list_item"
    assert headings(document)[:2] == [(2, "Bakgrund och syfte"), (2, "Så styrs Strängnäs kommunkoncern")]
    assert (2, "Vision") in headings(document)  # "Vision" sits on the line right above its text
    first = document.blocks[1].text
    assert first.startswith("Strängnäs kommun utvecklar") and first.endswith("annan form av administration.")


def test_a_5_mb_line_loads_fast_in_sentence_sized_blocks_without_losing_words() -> None:
    data = (CORPUS / "bad" / "long_single_line.txt").read_bytes()
    start = time.perf_counter()
    document = load_text(data, "long_single_line.txt")
    elapsed = time.perf_counter() - start
    assert elapsed < 20  # about a second on a laptop
    assert len(document.blocks) > 2000
    assert max(len(b.text) for b in document.blocks) <= 2000
    assert sum(b.text.endswith((".", "!", "?")) for b in document.blocks) / len(document.blocks) > 0.9
    assert normalise(document.text) == normalise(data.decode("utf-8"))
    assert document.title == "long_single_line"  # the first line is far too long for a title


def test_a_long_run_without_sentences_is_cut_between_words() -> None:
    document = load_text(("ord " * 3000).encode(), "ord.txt")
    assert all(len(b.text) <= 2000 and b.text.endswith("ord") for b in document.blocks)


@pytest.mark.parametrize("data", [b"", b"\n \n\t\n", b"\xef\xbb\xbf  \r\n"])
def test_text_without_any_words_is_an_empty_document(data: bytes) -> None:
    with pytest.raises(EmptyDocument, match="no text"):
        load_text(data, "tom.txt")


# --- Markdown ---


def test_markdown_headings_lists_and_links_become_plain_blocks() -> None:
    source = "\n".join(
        [
            "# Styrmodell för **Exempel** kommun",
            "",
            "Läs [kommunallagen](https://www.riksdagen.se/kl) och *reglementet* för `nämnder`.",
            "",
            "## 5. Ekonomi ##",
            "",
            "- Budget beslutas i **juni**",
            "- Uppföljning per",
            "  31 augusti",
            "1. Första steget",
            "",
            "Årshjul",
            "-------",
            "",
            "### Ordlista",
            "",
            "| Begrepp | Betydelse |",
            "|---|---|",
            "| KF | Kommunfullmäktige |",
        ]
    )
    document = load_markdown(source.encode(), "styrmodell.md")
    assert document.format == "markdown" and document.title == "Styrmodell för Exempel kommun"
    assert [(b.kind, b.level, b.text) for b in document.blocks] == [
        ("heading", 1, "Styrmodell för Exempel kommun"),
        ("paragraph", None, "Läs kommunallagen och reglementet för nämnder."),
        ("heading", 2, "5. Ekonomi"),
        ("list_item", None, "Budget beslutas i juni"),
        ("list_item", None, "Uppföljning per 31 augusti"),
        ("list_item", None, "Första steget"),
        ("heading", 2, "Årshjul"),
        ("heading", 3, "Ordlista"),
        ("table", None, "Begrepp | Betydelse"),
        ("table", None, "KF | Kommunfullmäktige"),
    ]
    assert "riksdagen" not in document.text and "*" not in document.text
