"""Scale-out, end to end: two `styrbot serve` replicas on one Chroma server and one PostgreSQL database.

Everything is real and runs as it would in the compose deployment: a `chroma run` server, a PostgreSQL
cluster, `styrbot ingest` pointed at the server, and two server processes sharing the data volume (for
uploaded originals). Only the time a replica may take to notice another's change (a few seconds) is
waited for, by asking again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chroma import chroma_server
from tests.conftest import ROOT
from tests.web import ask, clean_environment, start_serve, started, stop_serve

TOKEN = "skalning-test-nyckel"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
STYRMODELL = ROOT / "corpus" / "docx" / "001_styrmodell.docx"
QUESTIONS = (
    "Vad är syftet med styrmodellen?",  # documents
    "När ska delårsrapporten vara klar?",  # a rule, with the passages that state it
    "Hur många parkeringsplatser har simhallen?",  # nothing answers it
)
PLAN = """Vinterväghållning i Exempelkommun

## Prioritering
Vinterväghållningsplanen säger att gång- och cykelvägar till skolor plogas först, före klockan sju på vardagar.
"""
PLAN_QUESTION = "Vilka vägar plogas först enligt vinterväghållningsplanen?"


@pytest.fixture
def replicas(tmp_path: Path, postgres_url: str) -> Iterator[list[str]]:
    """The URLs of two replicas sharing a Chroma server (with one document ingested), a PostgreSQL
    database and a data volume."""
    with chroma_server(tmp_path / "chroma") as chroma:
        env = clean_environment() | {
            "STYRBOT_CHROMA_URL": chroma.url,
            "STYRBOT_CHROMA_PREFIX": chroma.prefix,
            "STYRBOT_DATABASE_URL": postgres_url,
            "STYRBOT_DATA_DIR": str(tmp_path / "shared"),
            "STYRBOT_DEMO": "0",
            "STYRBOT_ADMIN_TOKEN": TOKEN,
            "STYRBOT_ASK_PER_MINUTE": "0",
        }
        ingest = [sys.executable, "-m", "bot", "ingest", str(STYRMODELL), "--json"]
        done = subprocess.run(ingest, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert not (tmp_path / "shared" / "documents.json").exists()  # the manifest lives on the server
        processes = [start_serve(env, tmp_path) for _ in range(2)]
        try:
            yield [started(process, lines) for process, lines in processes]
        finally:
            for process, lines in processes:
                stop_serve(process, lines)


def eventually(check: Callable[[], Any], seconds: float = 20) -> Any:
    """`check()` once it is truthy (replicas notice each other's changes within a few seconds)."""
    deadline = time.monotonic() + seconds
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert result, "the other replica never saw the change"
    return result


def answered(url: str, question: str) -> dict[str, Any]:
    """The answer JSON without its conversation id, which is each answer's own."""
    answer = ask(url, question)
    assert answer.pop("conversation_id")
    return answer


def cites(url: str, source: str) -> bool:
    answer = ask(url, PLAN_QUESTION)
    return any(citation["source"] == source for citation in answer["citations"])


def test_two_replicas_answer_alike_and_see_each_others_uploads(replicas: list[str]) -> None:
    first, second = replicas
    for question in QUESTIONS:
        answers = [answered(url, question) for url in replicas]
        assert answers[0] == answers[1]
    assert ask(first, QUESTIONS[0])["citations"][0]["source"] == STYRMODELL.name

    # a conversation begun on one replica goes on on the other (its turns are in the shared PostgreSQL)
    begun = ask(first, "När ska delårsrapporten vara klar?")
    followed = ask(second, "och i Strängnäs?", conversation_id=begun["conversation_id"])
    assert followed["followup"]["kind"] == "ellipsis" and followed["municipality"] == "strangnas"

    # an upload to one replica is found, listed and served by the other
    assert not cites(second, "vinterplan.txt")
    body = PLAN.encode()
    response = httpx.post(
        f"{first}/api/v1/documents",
        files={"files": ("vinterplan.txt", body)},
        data={"municipality": "exempelkommun"},
        headers=ADMIN,
        timeout=120,
    )
    assert response.status_code == 201, response.text
    doc_id = response.json()["files"][0]["document"]["id"]
    eventually(lambda: cites(second, "vinterplan.txt"))
    assert answered(first, PLAN_QUESTION) == answered(second, PLAN_QUESTION)
    listed = httpx.get(f"{second}/api/v1/documents", timeout=10).json()
    assert {d["source"] for d in listed} == {STYRMODELL.name, "vinterplan.txt"}
    assert httpx.get(f"{second}/api/v1/documents/{doc_id}", timeout=10).content == body

    # a removal through the other replica reaches the first
    assert httpx.delete(f"{second}/api/v1/documents/{doc_id}", headers=ADMIN, timeout=60).status_code == 200
    eventually(lambda: not cites(first, "vinterplan.txt"))
    assert httpx.get(f"{first}/api/v1/documents/{doc_id}", timeout=10).status_code == 404
    for url in replicas:
        assert httpx.get(f"{url}/readyz", timeout=10).json()["status"] == "ready"
