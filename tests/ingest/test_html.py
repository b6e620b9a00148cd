"""HTML pages: the article with its headings and words, none of the page chrome, never any code."""

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.errors import EmptyDocument
from ingest.loaders.html import load_html
from ingest.models import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def page() -> ParsedDocument:
    path = CORPUS / "html" / "003_strangnas_styrmodell.html"
    return load_html(path.read_bytes(), path.name)


def test_the_article_keeps_its_heading_levels(page: ParsedDocument) -> None:
    headings = [(b.level, b.text) for b in page.blocks if b.kind == "heading"]
    assert headings[0] == (1, "Styrmodell för Strängnäs kommunkoncern")
    assert [text for level, text in headings if level == 2] == [
        "Bakgrund och syfte",
        "Så styrs Strängnäs kommunkoncern",
        "Årshjul för planering och uppföljning",
        "Ordlista",
    ]
    assert (3, "Vision") in headings and (4, "Delårsrapport 1") in headings
    assert page.title == "Styrmodell för Strängnäs kommunkoncern - Strängnäs kommun"
    assert page.format == "html" and page.pages is None


def test_the_article_keeps_the_words_of_the_reference_text(
    page: ParsedDocument, recall: Callable[[str, str], float]
) -> None:
    reference = (CORPUS / "txt" / "003_0e12f5af7a8cad4e.txt").read_text(encoding="utf-8")
    assert recall(reference, page.text) >= 0.97  # 100 % today


def test_lists_quotes_glossary_and_footnote_are_blocks_of_their_own(page: ParsedDocument) -> None:
    kinds = {b.text: b.kind for b in page.blocks}
    assert kinds["Stärka helhetsperspektivet i hela styrkedjan"] == "list_item"
    assert kinds["Särskilda uppdrag från KF"] == "list_item"  # the <ol> flow inside a <figure>
    assert kinds["Bild. Styrmodell."] == "paragraph"  # a <figcaption>
    assert kinds["Nyckeltal"] == "paragraph"  # a <dt>
    vision = "Tillsammans och med invånarnyttan i fokus, skapar vi framtidens hållbara kommun i hjärtat av Mälardalen."
    assert kinds[vision] == "paragraph"  # the <blockquote>
    assert page.blocks[-1].kind == "footnote" and page.blocks[-1].text.startswith("1 Tillitsbaserad styrning")


@pytest.mark.parametrize(
    "chrome",
    [
        "Till sidans innehåll",  # skip link
        "Vi använder kakor",  # cookie banner
        "Godkänn alla kakor",
        "Sök på webbplatsen",  # header search form
        "Lättläst",  # header tools
        "Barn och utbildning",  # main menu
        "Startsida",  # breadcrumbs
        "Uppföljning och årsredovisning",  # sub-menu
        "Sidan uppdaterades senast",  # aside
        "Dela sidan",
        "Kontakta oss",  # footer
        "0152-290 00",
        "kommun@strangnas.se",
        "Tillgänglighetsredogörelse",
        "cookie",  # inline script
        "skip-link",  # inline style
    ],
)
def test_navigation_header_footer_and_code_are_dropped(page: ParsedDocument, chrome: str) -> None:
    assert chrome.lower() not in page.text.lower()


def test_a_hostile_page_gives_only_its_visible_text() -> None:
    document = load_html((CORPUS / "bad" / "malicious_script.html").read_bytes(), "malicious_script.html")
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("heading", "Kallelse till kommunfullmäktige"),
        (
            "paragraph",
            "Kommunfullmäktige sammanträder i sessionssalen. Handlingarna finns tillgängliga i kommunens diarium.",
        ),
        ("paragraph", "Ärenden: årsredovisning, delårsrapport och revisorernas bedömning."),
        ("paragraph", "Läs mer om ärendena"),
    ]
    assert document.title == "Kallelse till kommunfullmäktige"
    everything = f"{document.title}\n{document.text}".lower()
    for code in ("script", "fetch", "cookie", "alert", "onerror", "onload", "javascript", "srcdoc", "evil", "http"):
        assert code not in everything


def test_comments_hidden_elements_templates_and_forms_never_reach_the_text() -> None:
    markup = """<html><head><title>Protokoll</title><style>p{color:red}</style></head><body>
    <div role="navigation">Meny</div><div role="banner">Logga</div>
    <!-- <script>steal()</script> intern kommentar -->
    <p hidden>Dold text</p><p aria-hidden="true">Ikontext</p>
    <article><header><h1>Protokoll KS</h1></header><p>Beslut <b>fattat</b><br>enhälligt &amp; utan reservation.</p>
    <table><tr><th>Ärende</th><th>Beslut</th></tr><tr><td>Budget</td><td>Bifall</td></tr></table></article>
    <template><p>Mall</p></template><noscript>Aktivera JavaScript</noscript>
    <form><label>Namn</label><input value="x"></form><textarea>Fritext</textarea></body></html>"""
    document = load_html(markup.encode(), "protokoll.html")
    assert [(b.kind, b.level, b.text) for b in document.blocks] == [
        ("heading", 1, "Protokoll KS"),
        ("paragraph", None, "Beslut fattat enhälligt & utan reservation."),
        ("table", None, "Ärende | Beslut"),
        ("table", None, "Budget | Bifall"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        '<meta charset="iso-8859-1"><p>Strängnäs – förtroendevald</p>'.encode("cp1252"),
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><p>Strängnäs – förtroendevald</p>'.encode(),
        b"\xef\xbb\xbf" + "<p>Strängnäs – förtroendevald</p>".encode(),
        "<p>Strängnäs – förtroendevald</p>".encode("cp1252"),  # no charset declared at all
        '<meta charset="utf-8"><p>Strängnäs – förtroendevald</p>'.encode("cp1252"),  # a wrong declaration
    ],
)
def test_the_encoding_follows_bom_and_meta_charset_and_never_makes_mojibake(data: bytes) -> None:
    document = load_html(data, "sida.html")
    assert document.text == "Strängnäs – förtroendevald"
    assert document.title == "sida"  # no <title> and no <h1>: the file name


def test_a_huge_paragraph_is_split_into_bounded_blocks() -> None:
    document = load_html(f"<p>{'Kommunen planerar budgeten. ' * 2000}</p>".encode(), "stor.html")
    assert len(document.blocks) > 20 and all(len(b.text) <= 2000 for b in document.blocks)


def test_deeply_nested_markup_does_not_break_the_loader() -> None:
    markup = "<body>" + "<div>" * 20000 + "<p>Djupt inne</p>" + "</div>" * 20000 + "</body>"
    assert load_html(markup.encode(), "djup.html").text == "Djupt inne"


@pytest.mark.parametrize("markup", ["", "<html><body><script>var x = 1;</script><nav>Meny</nav></body></html>"])
def test_a_page_without_text_is_an_empty_document(markup: str) -> None:
    with pytest.raises(EmptyDocument, match="no text"):
        load_html(markup.encode(), "tom.html")


def test_a_table_row_keeps_its_cells_with_their_spans_even_empty_ones() -> None:
    markup = (
        "<html lang='sv'><body><main><h1>Årshjul</h1><table>"
        "<tr><th>Månad</th><th>Aktivitet</th><th>Ansvarig</th></tr>"
        "<tr><td>Mars</td><td></td><td>Kommunstyrelsen</td></tr>"
        "<tr><td colspan='2'>Hela våren: budgetdialoger</td><td>Nämnderna</td></tr>"
        "</table></main></body></html>"
    )
    rows = [b for b in load_html(markup.encode(), "arshjul.html").blocks if b.kind == "table"]
    assert [[(c.text, c.span) for c in row.cells] for row in rows] == [
        [("Månad", 1), ("Aktivitet", 1), ("Ansvarig", 1)],
        [("Mars", 1), ("", 1), ("Kommunstyrelsen", 1)],
        [("Hela våren: budgetdialoger", 2), ("Nämnderna", 1)],
    ]
    assert rows[1].text == "Mars | Kommunstyrelsen"  # the text as before: empty cells are left out
