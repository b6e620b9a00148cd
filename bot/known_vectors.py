"""What a fresh install reads first, with its vectors computed ahead: the law's passages (the file ships in
the package) and the bundled demo corpus (the file ships in the corpus folder, beside the documents).

Embedding those texts is nearly all the cost of the first document answer (about 1,800 texts, a minute and
a half on two cores); looked up, they take a second. The files hold only vectors, keyed by model and text,
so a text that has changed since they were written is embedded as before, and a test says when the files
no longer cover every text. Rebuild them after changing the chunking, the rules' statements or the corpus:

    python -m bot.known_vectors
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.law import passage_texts, rule_passages
from bot.settings import Settings
from ingest import iter_files, process_file
from knowledge.embeddings import KnownVectors, embedder_name, embeddings_from_spec, write_known_vectors
from knowledge.store import embedded_texts
from rules import RulesEngine

DEMO_FOLDERS = ("pdf", "docx", "pptx", "html")  # the renditions; txt/ repeats them without pages, bad/ is broken
LAW_VECTORS = Path(__file__).resolve().parent / "data" / "known-vectors"
CORPUS_VECTORS = "known-vectors"  # the folder in the demo corpus


def demo_root(settings: Settings) -> Path:
    """The demo corpus: STYRBOT_DEMO_CORPUS (the image's /app/corpus), else corpus/ beside the packages."""
    return settings.demo_corpus or Path(__file__).resolve().parents[1] / "corpus"


def demo_corpus(settings: Settings) -> list[Path]:
    """The demo corpus's folders of documents; [] when there is none."""
    root = demo_root(settings)
    return [root / name for name in DEMO_FOLDERS if (root / name).is_dir()]


def embedder(settings: Settings) -> Embeddings:
    """The configured embedding model, looking up the vectors shipped for the law and the demo corpus."""
    model = embeddings_from_spec(settings.embeddings)
    return KnownVectors(model, known_vector_files(settings, embedder_name(model)))


def known_vector_files(settings: Settings, model: str) -> tuple[Path, Path]:
    """The law's file and the demo corpus's file of a model's known vectors (either may be missing)."""
    name = re.sub(r"[^\w.-]+", "_", model) + ".npz"
    return LAW_VECTORS / name, demo_root(settings) / CORPUS_VECTORS / name


def law_texts(rules: RulesEngine) -> list[str]:
    """Every text the law's and the rules' passage indexes embed for these rules."""
    passages = rule_passages(rules)
    return passage_texts(passages.law) + passage_texts(passages.rules)


def demo_texts(folders: Iterable[Path]) -> list[str]:
    """Every text an ingest of these folders embeds (files that fail to read have none)."""
    return [text for path in iter_files(folders) for text in embedded_texts(process_file(path).chunks)]


def rebuild(settings: Settings) -> None:
    """Write both files for the configured model from the rules in the package and the demo corpus."""
    model = embeddings_from_spec(settings.embeddings)
    law_file, corpus_file = known_vector_files(settings, embedder_name(model))
    for path, texts_ in ((law_file, law_texts(RulesEngine())), (corpus_file, demo_texts(demo_corpus(settings)))):
        count = write_known_vectors(path, model, texts_)
        sys.stderr.write(f"{path}: {count} vectors\n")


if __name__ == "__main__":
    rebuild(Settings.from_env())
