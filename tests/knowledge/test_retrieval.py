"""Hybrid search: vectors and Swedish BM25 fused, one municipality plus general documents, no repeated text."""

import pytest

from ingest.chunking import Chunk, content_hash
from knowledge.bm25 import BM25Index, SwedishAnalyzer
from knowledge.embeddings import E5Embeddings
from knowledge.retrieval import Retriever, defines, definition_term, fuse
from knowledge.store import ChunkStore

TEXTS = {
    ("pdf", 0, "exempelkommun"): "Kommunfullmäktige fastställer rambudgeten varje år i juni.",
    ("docx", 0, "exempelkommun"): "Kommunfullmäktige fastställer rambudgeten varje år i juni.",
    ("pdf", 1, "exempelkommun"): "Revisorerna granskar nämndernas verksamhet och lämnar en revisionsberättelse.",
    ("strangnas", 0, "strangnas"): "Kommunfullmäktige fastställer flerårsplanen och budgeten i november.",
    ("general", 0, None): "Styrning handlar om att prioritera, fatta beslut och följa upp att besluten genomförs.",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    store = ChunkStore.open(E5Embeddings(), path=tmp_path_factory.mktemp("chroma"))
    bm25 = BM25Index(SwedishAnalyzer({"fullmäktige": ["kf"]}))
    chunks = [
        Chunk(doc, i, text, f"{doc}.{doc}", "Styrmodell", "pdf", ("Ekonomi",), 1, 1, m, content_hash(text))
        for (doc, i, m), text in TEXTS.items()
    ]
    store.add(chunks)
    for chunk in chunks:
        bm25.add(chunk.id, chunk.text, {"municipality": chunk.municipality or ""})
    return Retriever(store, bm25)


def test_the_answer_ranks_first_and_a_rendition_is_not_repeated(retriever: Retriever, no_network: None) -> None:
    passages = retriever.search("När beslutar KF om rambudgeten?", "exempelkommun", k=5)
    assert passages[0].hit.text.startswith("Kommunfullmäktige fastställer rambudgeten")
    texts = [p.hit.text for p in passages]
    assert len(texts) == len(set(texts)), "the PDF and DOCX renditions must not both be cited"
    assert passages[0].vector_rank is not None and passages[0].lexical_rank is not None


@pytest.mark.parametrize("formats", [("pptx", "docx", "pdf"), ("pdf", "pptx", "docx"), ("docx", "pdf", "pptx")])
def test_of_renditions_with_the_same_words_the_pdf_is_cited(
    formats: tuple[str, ...], tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = ChunkStore.open(E5Embeddings(), path=tmp_path_factory.mktemp("chroma"))
    bm25 = BM25Index(SwedishAnalyzer({}))
    text = TEXTS[("pdf", 0, "exempelkommun")]
    chunks = [
        Chunk(
            f"styrmodell-{f}",
            0,
            text,
            f"styrmodell.{f}",
            "Styrmodell",
            f,
            ("Ekonomi",),
            1,
            1,
            "exempelkommun",
            content_hash(text),
        )  # type: ignore[arg-type]
        for f in formats
    ]
    store.add(chunks)
    for chunk in chunks:
        bm25.add(chunk.id, chunk.text, {"municipality": "exempelkommun"})
    passages = Retriever(store, bm25).search("När fastställs rambudgeten?", "exempelkommun", k=5)
    assert [p.hit.format for p in passages] == ["pdf"]  # one passage, cited where a reader sees its page


def test_search_covers_the_municipality_and_general_documents_only(retriever: Retriever) -> None:
    municipalities = {p.hit.municipality for p in retriever.search("budget och beslut", "exempelkommun", k=10)}
    assert municipalities <= {"exempelkommun", None} and None in municipalities
    assert {p.hit.municipality for p in retriever.search("budget", "strangnas", k=10)} <= {"strangnas", None}


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = fuse(["x", "y", "z"], ["y", "w"])
    assert [item for item, _ in fused][:2] == ["y", "x"]


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Vad är nyckeltal?", "nyckeltal"),
        ("Vad menas med tillitsbaserad styrning?", "tillitsbaserad styrning"),
        ("Vad innebär tillitsbaserat ledarskap enligt styrmodellen?", "tillitsbaserat ledarskap"),
        ("Hur definieras välfärd i workshopen?", "välfärd"),
        ("Vad står KSAU för?", "KSAU"),
        ("När ska budgeten vara klar?", None),
        ("Vem beslutar om skattesatsen?", None),
    ],
)
def test_a_question_about_a_terms_meaning_is_recognised(question: str, term: str | None) -> None:
    assert definition_term(question) == term


def test_a_definition_is_a_line_or_cell_that_opens_with_the_term() -> None:
    assert defines("Ordlista\nNyckeltal | Nyckeltal är mått som hjälper oss att analysera", "nyckeltal")
    assert defines("VÄLFÄRD – att få människor att färdas väl genom livet", "välfärd")
    assert defines("Styrning handlar om att prioritera och fatta beslut.", "styrning")
    assert defines("Målen ska vara SMARTA vilket innebär att de ska vara: Specifika, Mätbara", "SMARTA mål")
    assert not defines("Nämnderna beslutar om SMARTA mål och uppdrag till förvaltningarna.", "SMARTA mål")
    assert defines("Det är viktigt. Med internkontroll avses riskbedömning och analys.", "internkontroll")
    assert not defines("All styrning handlar om att påverka agerandet.", "styrning")
    assert definition_term("Vad betyder styrning egentligen?") == "styrning"
    assert defines("Tillitsbaserad styrning innebär att …", "tillitsbaserad styrning")
    assert not defines("Vi följer nyckeltal varje månad.", "nyckeltal")
    # a glossary row holding two terms, their definitions in the next cell
    assert defines("Kvalitet; Statlig och kommunal styrning | Innebär att tillgodose behov", "kvalitet")
    assert not defines("Kvalitetsarbete; Uppföljning | Innebär att följa upp", "kvalitet")


def test_the_definition_outranks_passages_that_only_use_the_term(tmp_path_factory: pytest.TempPathFactory) -> None:
    texts = [
        "Nämnderna följer nyckeltal för ekonomi och kvalitet varje månad och jämför nyckeltal med andra kommuner.",
        "Nyckeltal\nNyckeltal är mått som hjälper oss att analysera och jämföra verksamheten över tid.",
        "Nyckeltal redovisas i årsredovisningen och i delårsrapporten, med nyckeltal per nämnd.",
    ]
    store = ChunkStore.open(E5Embeddings(), path=tmp_path_factory.mktemp("definitions"))
    bm25 = BM25Index(SwedishAnalyzer())
    chunks = [
        Chunk("d", i, t, "d.pdf", "Styrmodell", "pdf", ("Ordlista",), 1, 1, None, content_hash(t))
        for i, t in enumerate(texts)
    ]
    store.add(chunks)
    for chunk in chunks:
        bm25.add(chunk.id, chunk.text, {"municipality": ""})
    assert Retriever(store, bm25).search("Vad är nyckeltal?", None, k=3)[0].id == "d:1"
