"""The vectors shipped for what a fresh install reads first (the law's passages and the demo corpus).

They are what makes the first document answer take seconds instead of minutes; if a change to the chunking,
the rules' statements or the corpus leaves texts out, a fresh install silently goes back to minutes. These
tests say so, and say how to rebuild the files.
"""

import logging
from pathlib import Path

import numpy
import pytest
from langchain_core.embeddings import Embeddings

from bot.known_vectors import demo_corpus, demo_texts, embedder, law_texts
from bot.settings import Settings
from knowledge.embeddings import MIN_PROBE_COSINE, PROBE_TEXT, E5Embeddings, KnownVectors, write_known_vectors
from rules import RulesEngine

REBUILD = "the shipped vectors do not cover every text: rebuild them with `python -m bot.known_vectors`"


class Counted(Embeddings):
    """The real model, counting the passages it is asked to embed."""

    def __init__(self, model: E5Embeddings) -> None:
        self.model, self.name, self.asked = model, model.name, []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.asked.extend(texts)
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


@pytest.fixture(scope="module")
def model() -> E5Embeddings:
    return E5Embeddings()


def test_a_fresh_install_embeds_none_of_the_law_and_the_demo_corpus_again(model: E5Embeddings) -> None:
    settings = Settings(data_dir=Path("unused"))
    shipped = embedder(settings)
    assert isinstance(shipped, KnownVectors)
    counted = Counted(model)
    known = KnownVectors(counted, shipped.files)
    texts = law_texts(RulesEngine()) + demo_texts(demo_corpus(settings))
    assert len(texts) > 1000  # every passage and sentence of the law and of the eleven demo files
    vectors = known.embed_documents(texts)
    assert counted.asked == [PROBE_TEXT, PROBE_TEXT], REBUILD  # only each file's check of the model's version
    # and they are the model's own vectors for those texts (up to this CPU's rounding), not merely vectors of
    # the right length
    sample = [0, len(texts) // 2, len(texts) - 1]
    computed = numpy.asarray(model.embed_documents([texts[i] for i in sample]))
    shipped_rows = numpy.asarray([vectors[i] for i in sample])
    cosines = numpy.sum(shipped_rows * computed, axis=1) / (
        numpy.linalg.norm(shipped_rows, axis=1) * numpy.linalg.norm(computed, axis=1)
    )
    assert min(cosines) >= MIN_PROBE_COSINE


def test_a_text_the_file_does_not_hold_is_embedded_by_the_model(tmp_path: Path, model: E5Embeddings) -> None:
    path = tmp_path / "known.npz"
    assert write_known_vectors(path, model, ["Nämnden beslutar.", "Nämnden beslutar.", "Styrelsen leder."]) == 2
    counted = Counted(model)
    vectors = KnownVectors(counted, [path, tmp_path / "missing.npz"]).embed_documents(
        ["Styrelsen leder.", "Fullmäktige fastställer budgeten.", "Nämnden beslutar."]
    )
    assert counted.asked == [PROBE_TEXT, "Fullmäktige fastställer budgeten."]
    assert numpy.allclose(
        vectors,
        model.embed_documents(["Styrelsen leder.", "Fullmäktige fastställer budgeten.", "Nämnden beslutar."]),
        atol=1e-5,
    )


def test_a_file_from_another_version_of_the_model_is_not_used(
    tmp_path: Path, model: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "known.npz"
    write_known_vectors(path, model, ["Nämnden beslutar."])
    with numpy.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["probe"] = arrays["probe"][::-1].copy()  # what the model's next version would compute for the probe
    numpy.savez_compressed(path, **arrays)
    counted = Counted(model)
    with caplog.at_level(logging.WARNING):
        KnownVectors(counted, [path]).embed_documents(["Nämnden beslutar."])
    assert counted.asked == [PROBE_TEXT, "Nämnden beslutar."]
    assert "another version" in caplog.text


def test_a_broken_file_is_logged_and_its_texts_embedded(
    tmp_path: Path, model: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "known.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    counted = Counted(model)
    with caplog.at_level(logging.WARNING):
        KnownVectors(counted, [path]).embed_documents(["Nämnden beslutar."])
    assert counted.asked == ["Nämnden beslutar."] and "cannot be read" in caplog.text
