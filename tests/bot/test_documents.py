"""Questions answered from the documents, through the same `styrbot` commands people use.

The demo corpus's PDF, DOCX and PPTX renditions are ingested once for the whole run (the real bundled
e5 model, real Chroma, real BM25; `corpus_index` in conftest) and only read here.
"""

import json
import re
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.library import DocumentLibrary
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(corpus_index: Path) -> Path:
    return corpus_index


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, data_dir: Path):
    for name in ("STYRBOT_MUNICIPALITY", "STYRBOT_PROFILES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STYRBOT_DATA_DIR", str(data_dir))

    def invoke(*args: str) -> dict:
        result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


def test_the_dev_set_meets_the_retrieval_bar(run) -> None:
    metrics = run("eval", str(ROOT / "eval" / "retrieval_dev.jsonl"))[0]["retrieval"]
    assert metrics["hit@5"] >= 0.90
    assert metrics["abstained_on_unanswerable"] == metrics["unanswerable"] == 3
    assert metrics["wrongly_abstained"] <= 1
    # The first citation is the passage the answer quotes: the one whose sentence answers best, which may be a
    # statement of law rather than the document passage the set names (0.815 when answers quoted the search's
    # first passage, before the law was searched too).
    assert metrics["mrr@10"] >= 0.75


def test_a_document_question_gets_a_quoted_answer_with_page_and_section(run) -> None:
    answer = run("ask", "Vad menas med tillitsbaserat ledarskap?")
    assert answer["kind"] == "retrieval" and not answer["abstained"]
    assert answer["answer"].startswith("Enligt Styrmodell, s. ") and "tillitsbaserat ledarskap" in answer["answer"]
    first = answer["citations"][0]
    assert first["source"].startswith("001_styrmodell") and first["section"] and "Tillitsbaserat" in first["text"]
    texts = [" ".join(c["text"].split()) for c in answer["citations"]]
    assert len(texts) == len(set(texts)), "the PDF and the DOCX of one document must not both be cited"


def test_a_slide_is_cited_by_its_number(run) -> None:
    answer = run("ask", "Hur definieras välfärd i workshopen?")
    assert not answer["abstained"] and "att få människor att färdas väl genom livet" in answer["citations"][0]["text"]
    first = answer["citations"][0]
    where = f"bild {first['page']}" if first["source"].endswith(".pptx") else f"s. {first['page']}"
    assert isinstance(first["page"], int) and where in answer["answer"].splitlines()[0]


def test_personal_details_are_never_guessed(run) -> None:
    answer = run("ask", "Vad har kommunchefen för telefonnummer?", "--municipality", "tranemo")
    assert answer["abstained"] and answer["kind"] == "none" and not answer["citations"]
    assert "kontaktuppgifter" in answer["answer"] and answer["facts"] == {"reason": "personal_details"}


def test_a_municipality_without_documents_is_named_in_the_abstention(run) -> None:
    answer = run("ask", "Hur ser styrmodellen ut i Uppsala kommun?")
    assert answer["abstained"] and "Uppsala" in answer["answer"] and answer["facts"]["reason"] == "other_municipality"


def test_a_topic_the_documents_never_mention_is_not_answered(run) -> None:
    answer = run("ask", "Hur många elever går i Strängnäs kommunala grundskolor?", "--municipality", "strangnas")
    assert answer["abstained"] and answer["facts"]["reason"] == "not_held"
    assert "anger inte den siffran" in answer["answer"] and "Fråga kommunens kansli" in answer["answer"]


def test_a_rule_answer_also_cites_the_passage_that_states_it(run) -> None:
    answer = run("ask", "När behandlar fullmäktige delårsrapporten?", "--today", "2026-11-22")
    assert answer["kind"] == "deadline"
    indexed = [c for c in answer["citations"][1:] if c["source"].startswith("001_styrmodell")]
    assert indexed and all(c["section"] for c in indexed)


def test_a_rule_quote_is_cited_as_the_whole_sentence_of_its_document(run) -> None:
    answer = run("ask", "Vem beslutar om kommunkoncernens mål?", "--municipality", "strangnas")
    assert answer["kind"] == "who_decides" and answer["facts"]["body"] == "kommunfullmaktige"
    first = answer["citations"][0]  # the profile quotes "… beslutas av kommunfullmäktige"; the document goes on
    assert first["source"] == "003_strangnas_styrmodell.pdf" and first["page"] == 4
    whole = "Strängnäs kommunkoncerns mål beslutas av kommunfullmäktige och gäller för samtliga nämnder och bolag."
    assert first["text"] == whole


def test_the_demo_corpus_is_read_in_on_first_need_only_from_where_the_settings_say(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"  # the image keeps it in /app/corpus, far from the installed packages
    (corpus / "html").mkdir(parents=True)
    (corpus / "html" / "policy.html").write_text(
        "<html><body><h1>Kommunens policy för sociala medier</h1><p>Vi svarar inom två dagar.</p></body></html>"
    )
    settings = Settings.from_env({"STYRBOT_DATA_DIR": str(tmp_path / "data"), "STYRBOT_DEMO_CORPUS": str(corpus)})
    announced: list[int] = []
    library = DocumentLibrary(settings, lambda _name: None, lambda n: announced.append(n))
    assert library.at_hand() is None and not announced  # a rule answer never waits for an ingest
    documents = library.ready()
    assert documents is not None and announced == [1]
    reply = documents.answer("Hur snabbt svarar kommunen i sociala medier?", "exempelkommun", "Exempelkommun")
    assert not reply.abstained and "inom två dagar" in reply.text
    assert DocumentLibrary(Settings(data_dir=tmp_path / "data", demo=False), lambda _n: None).ready() is not None


def test_with_the_demo_switched_off_an_empty_library_says_so(tmp_path: Path) -> None:
    library = DocumentLibrary(Settings(data_dir=tmp_path / "data", demo=False), lambda _name: None)
    assert library.ready() is None


def test_the_image_points_the_demo_corpus_setting_at_the_folder_it_copies_the_corpus_to() -> None:
    """The image installs the packages into site-packages, away from corpus/: the setting must name it."""
    dockerfile = (Path(__file__).parents[2] / "Dockerfile").read_text("utf-8")
    workdir = re.search(r"^WORKDIR (\S+)$", dockerfile, re.MULTILINE)
    copied = re.search(r"^COPY corpus (\S+)$", dockerfile, re.MULTILINE)
    setting = re.search(r"STYRBOT_DEMO_CORPUS=(\S+)", dockerfile)
    assert workdir and copied and setting
    assert PurePosixPath(workdir[1], copied[1]) == PurePosixPath(setting[1])
