"""A document change survives a crash at any write.

The real `styrbot serve` kills itself (SIGKILL, `knowledge.crashpoints`) right after its N-th durable
write while an administrator replaces a document and while one removes it; N counts up from 1 until the
change completes, so every write there is gets its crash. After each kill the server is started again on
the same data directory and must show the document wholly in one version (the list, the original, the
citations agree), and a later removal must leave no trace in the index, the store or the folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import chromadb
import httpx
from chromadb.config import Settings

from ingest import document_id
from knowledge.crashpoints import ENV as CRASH_ENV
from tests.web import clean_environment, start_serve, started, stop_serve

TOKEN = "krasch-nyckel"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
NAME = "parkering.txt"
QUESTION = "Var parkerar personalen vid stadshuset?"
UNCHANGED = "Besökare parkerar på torget framför stadshuset, högst två timmar."
V1 = f"Riktlinje för parkering\n\nPersonalen parkerar på den norra parkeringen vid stadshuset.\n\n{UNCHANGED}\n"
V2 = V1.replace("norra", "södra")
WORD = {V1: "norra", V2: "södra"}  # what tells the versions apart in a citation


class Server:
    def __init__(self, url: str) -> None:
        self.url = url

    def documents(self) -> list[dict[str, object]]:
        response = httpx.get(f"{self.url}/api/v1/documents", timeout=30)
        response.raise_for_status()
        return [d for d in response.json() if d["source"] == NAME]

    def cited(self) -> list[str]:
        response = httpx.post(f"{self.url}/api/v1/ask", json={"question": QUESTION}, timeout=120)
        response.raise_for_status()
        return [c["text"] for c in response.json()["citations"] if c["source"] == NAME]

    def upload(self, text: str) -> httpx.Response:
        files = {"files": (NAME, text.encode())}
        return httpx.post(f"{self.url}/api/v1/documents", files=files, headers=ADMIN, timeout=120)

    def delete(self, doc_id: object) -> httpx.Response:
        return httpx.delete(f"{self.url}/api/v1/documents/{doc_id}", headers=ADMIN, timeout=60)


@contextmanager
def serve(data: Path, crash_after: int | None = None) -> Iterator[tuple[Server, subprocess.Popen[str], list[str]]]:
    env = clean_environment() | {
        "STYRBOT_DATA_DIR": str(data),
        "STYRBOT_DEMO": "0",
        "STYRBOT_ADMIN_TOKEN": TOKEN,
        "STYRBOT_ASK_PER_MINUTE": "0",
        "STYRBOT_LOG_FORMAT": "text",
    }
    if crash_after is not None:
        env[CRASH_ENV] = str(crash_after)
    process, lines = start_serve(env, data.parent)
    log: list[str] = []
    try:
        yield Server(started(process, lines, log)), process, log
    finally:
        log += stop_serve(process, lines)


def crashed(process: subprocess.Popen[str], answered: bool) -> bool:
    """Whether the server killed itself at its crash point (rather than finishing the change)."""
    try:
        code = process.wait(timeout=1 if answered else 30)
    except subprocess.TimeoutExpired:
        return False
    assert code == -9, f"the server stopped with {code}"
    return True


def check_whole(data: Path, versions: tuple[str, ...]) -> str | None:
    """Start the server again on `data`: the document is wholly one of `versions` (returned) or wholly
    gone (None); then remove it and check that nothing of it is left anywhere."""
    with serve(data) as (server, _, log):
        cited = server.cited()  # the first question opens (and repairs) the indexes
        listed = server.documents()
        assert len(listed) <= 1, listed
        if not listed:
            assert not cited, cited
            assert not originals(data)
            version = None
        else:
            [document] = listed
            original = httpx.get(f"{server.url}{document['url']}", timeout=30)
            assert original.status_code == 200 and original.text in versions, original.text
            version = original.text
            other = {WORD[v] for v in WORD if v != version}
            assert cited and all(WORD[version] in t for t in cited if "Personalen" in t), cited
            assert not any(word in t for t in cited for word in other), cited
            assert [p.read_text() for p in originals(data)] == [version]
            assert server.delete(document["id"]).status_code == 200
            assert not server.documents() and not server.cited()
            assert httpx.get(f"{server.url}{document['url']}", timeout=30).status_code == 404
            assert server.delete(document["id"]).status_code == 404
    assert not [line for line in log if "Traceback" in line], "".join(log)
    assert_no_trace(data)
    return version


def originals(data: Path) -> list[Path]:
    return [p for p in (data / "documents").rglob("*") if p.is_file()] if (data / "documents").exists() else []


def assert_no_trace(data: Path) -> None:
    """Nothing of the document is left: no original, no BM25 text, no row in any Chroma collection."""
    assert not originals(data)
    assert not [p.name for p in (data / "documents").iterdir()] if (data / "documents").exists() else True
    bm25 = json.loads((data / "bm25.json").read_text(encoding="utf-8"))
    assert bm25["documents"] == []
    assert json.loads((data / "documents.json").read_text(encoding="utf-8")) == {}
    client = chromadb.PersistentClient(path=str(data / "chroma"), settings=Settings(anonymized_telemetry=False))
    try:
        for collection in client.list_collections():
            rows = client.get_collection(collection.name).get(include=["metadatas"])
            ours = [
                i
                for i, m in zip(rows["ids"], rows["metadatas"] or [], strict=True)
                if str((m or {}).get("doc_id", "")).startswith(document_id(NAME))
            ]
            assert not ours, (collection.name, ours[:5])
    finally:
        client.close()


def test_a_crash_at_any_write_of_a_replacement_or_removal_leaves_one_whole_version(tmp_path: Path) -> None:
    template = tmp_path / "template"
    with serve(template) as (server, _, _):
        assert server.upload(V1).status_code == 201

    seen: dict[str, list[str | None]] = {"replace": [], "remove": []}
    for change in seen:
        for n in range(1, 40):
            data = tmp_path / f"{change}-{n}"
            shutil.copytree(template, data)
            with serve(data, crash_after=n) as (server, process, log):
                try:
                    response = server.upload(V2) if change == "replace" else server.delete(document_id(NAME))
                except httpx.TransportError:
                    response = None
                died = crashed(process, answered=response is not None)
                assert died or (response is not None and response.status_code in (200, 201)), log
            if died:
                assert any(f"killed after write {n}," in line for line in log), "".join(log)
            versions = (V1, V2) if change == "replace" else (V1,)
            seen[change].append(check_whole(data, versions))
            shutil.rmtree(data)
            if not died:
                break
        else:
            raise AssertionError(f"the {change} never completed")

    # every write was a crash point: first the old version stood, then (once published) the new one, and
    # never the old one again; a removal is published by its first write (the document list)
    replaced, removed = seen["replace"], seen["remove"]
    assert replaced[0] == V1 and replaced[-1] == V2 and len(replaced) >= 8, replaced
    assert replaced == sorted(replaced, key=lambda v: v == V2), replaced
    assert set(removed) == {None} and len(removed) >= 5, removed
