"""Shared fixtures: the repository's paths, one rules engine for the whole run, the demo corpus indexed
once, Slack's Web API stand-in and a real PostgreSQL.

Tests never reach a model hub or telemetry: the offline switches are set before anything imports
sentence-transformers or Chroma, so `python -m pytest` needs no environment of its own.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rules import RulesEngine
from tests.slack_api import SlackApi

for _name, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
    os.environ.setdefault(_name, _value)

ROOT = Path(__file__).resolve().parents[1]
RENDITIONS = [ROOT / "corpus" / name for name in ("pdf", "docx", "pptx")]


@pytest.fixture(scope="session")
def engine() -> RulesEngine:
    return RulesEngine()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the demo corpus's PDF, DOCX and PPTX renditions ingested once for the whole run
    (the real bundled e5 model, real Chroma, real BM25). Read only: `copy_index` gives a copy to change."""
    from bot.library import ingest_paths, open_indexer
    from bot.settings import Settings

    data = tmp_path_factory.mktemp("corpus-index")
    indexer = open_indexer(Settings(data_dir=data))
    summary = ingest_paths(indexer, RENDITIONS, RulesEngine().store.municipality_of_file)
    assert not summary.failed and len(summary.ingested) == 10
    return data


def copy_index(source: Path, target: Path) -> Path:
    """A copy of an indexed data directory (while no process has it open)."""
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the whole run (see tests/postgres.py)."""
    from tests.postgres import postgres_server as server

    with server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """An empty database of its own for one test."""
    from tests.postgres import fresh_database

    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture
def slack_api() -> Iterator[SlackApi]:
    """Slack's Web API as a recording server on loopback, fresh for each test (tests/slack_api.py)."""
    api = SlackApi()
    yield api
    api.close()
