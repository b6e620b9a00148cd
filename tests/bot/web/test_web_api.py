"""The REST API over real HTTP: the document API (upload, list, download, delete) with its administrator
token, size and type limits, the per-client question limit, Swedish errors, feedback, and the OpenAPI schema.

One server (the real app under uvicorn, the real library on the bundled model, Chroma, BM25 and SQLite)
serves the module; each test uses file names of its own.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot import texts
from bot.db import Database, pseudonym, rate_table
from bot.library import DocumentLibrary
from bot.settings import Settings
from bot.web import WebConfig, create_app
from bot.web.limits import RateLimiter
from rules import RulesEngine
from tests.services import services
from tests.web import serving

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "corpus" / "bad"
TOKEN = "hemlig-nyckel-for-test"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 1024 * 1024  # 1 MB uploads in this module

POLICY = (
    "# Riktlinje för sociala medier\n\n## Svarstider\n\n"
    "Kommunen svarar på frågor i sociala medier inom två arbetsdagar. Kommunikationsenheten ansvarar för kontona.\n"
)


class Site:
    def __init__(self, url: str, data: Path, database: Database) -> None:
        self.url, self.data, self.database = url, data, database

    def ask(self, question: str, **extra: Any) -> httpx.Response:
        return httpx.post(f"{self.url}/api/v1/ask", json={"question": question, **extra}, timeout=120)

    def upload(self, *files: tuple[str, bytes], headers: dict[str, str] | None = None, **form: str) -> httpx.Response:
        parts = [("files", (name, data)) for name, data in files]
        return httpx.post(
            f"{self.url}/api/v1/documents",
            files=parts,
            data=form,
            headers=ADMIN if headers is None else headers,
            timeout=120,
        )

    def documents(self) -> dict[str, dict[str, Any]]:
        return {d["source"]: d for d in httpx.get(f"{self.url}/api/v1/documents", timeout=10).json()}

    def stored(self) -> set[str]:
        """The names of the stored originals (each version in a folder of its own)."""
        folder = self.data / "documents"
        return {p.name for p in folder.glob("*/*") if p.is_file() and not p.parent.name.startswith(".")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("web-api")
    settings = Settings(data_dir=data, demo=False)
    engine = RulesEngine()
    library = DocumentLibrary(settings, engine.store.municipality_of_file)
    database = Database.open(data)
    config = WebConfig(admin_token=TOKEN, max_upload_bytes=LIMIT, ask_per_minute=0)
    app = create_app(services(engine, library=library, database=database), config=config)
    with serving(app) as url:
        yield Site(url, data, database)
    database.close()


def test_an_uploaded_document_answers_the_next_question_and_links_to_its_original(site: Site) -> None:
    response = site.upload(("sociala_medier.md", POLICY.encode()), ("budget.txt", "Budget\n\nÅrets budget.".encode()))
    assert response.status_code == 201, response.text
    files = {f["file"]: f for f in response.json()["files"]}
    assert files["sociala_medier.md"]["status"] == files["budget.txt"]["status"] == "ingested"
    document = files["sociala_medier.md"]["document"]
    assert document["title"] == "Riktlinje för sociala medier" and document["municipality"] is None
    assert site.documents()["sociala_medier.md"]["id"] == document["id"]

    answer = site.ask("Hur snabbt svarar kommunen på frågor i sociala medier?").json()
    assert answer["kind"] == "retrieval" and not answer["abstained"], answer
    cited = answer["citations"][0]
    assert cited["source"] == "sociala_medier.md" and "inom två arbetsdagar" in cited["text"]
    assert cited["document"] == document["id"] and cited["url"] == f"/api/v1/documents/{document['id']}"

    original = httpx.get(site.url + cited["url"], timeout=10)
    assert original.status_code == 200 and original.content == POLICY.encode()
    assert original.headers["content-type"] == "text/markdown; charset=utf-8"
    assert original.headers["content-disposition"].startswith("inline")

    again = site.upload(("sociala_medier.md", POLICY.encode()))
    assert again.status_code == 200 and again.json()["files"][0]["status"] == "skipped"
    changed = POLICY.replace("två arbetsdagar", "en arbetsdag")
    replaced = site.upload(("sociala_medier.md", changed.encode()))
    assert replaced.status_code == 201 and replaced.json()["files"][0]["status"] == "replaced"
    answer = site.ask("Hur snabbt svarar kommunen på frågor i sociala medier?").json()
    assert "inom en arbetsdag" in answer["citations"][0]["text"]
    assert not any("två arbetsdagar" in c["text"] for c in answer["citations"])


def test_a_pdf_citation_links_to_its_page_and_belongs_to_its_municipality(site: Site) -> None:
    pdf = (ROOT / "corpus" / "pdf" / "003_strangnas_styrmodell.pdf").read_bytes()
    response = site.upload(("003_strangnas_styrmodell.pdf", pdf))
    assert response.status_code == 201
    assert response.json()["files"][0]["document"]["municipality"] == "strangnas"  # from the profile's documents

    answer = site.ask("Vad är en nämndplan?", municipality="strangnas").json()
    cited = next(c for c in answer["citations"] if c["source"] == "003_strangnas_styrmodell.pdf")
    assert cited["page"] and cited["url"].endswith(f"#page={cited['page']}")
    original = httpx.get(site.url + cited["url"].split("#")[0], timeout=10)
    assert original.headers["content-type"] == "application/pdf" and original.content == pdf
    assert "strangnas_styrmodell" not in json.dumps(site.ask("Vad är en nämndplan?", municipality="tranemo").json())


def test_a_removed_document_is_no_longer_listed_served_stored_or_cited(site: Site) -> None:
    text = "Riktlinje för parkering\n\nPersonalen parkerar på den norra parkeringen vid stadshuset."
    document = site.upload(("parkering.txt", text.encode())).json()["files"][0]["document"]
    question = "Var parkerar personalen vid stadshuset?"
    assert site.ask(question).json()["citations"][0]["source"] == "parkering.txt"

    removed = httpx.delete(f"{site.url}/api/v1/documents/{document['id']}", headers=ADMIN, timeout=30)
    assert removed.status_code == 200 and removed.json()["removed"]["source"] == "parkering.txt"
    assert "parkering.txt" not in site.documents() and "parkering.txt" not in site.stored()
    assert "parkering.txt" not in json.dumps(site.ask(question).json())
    gone = httpx.get(f"{site.url}/api/v1/documents/{document['id']}", timeout=10)
    assert gone.status_code == 404 and gone.json()["detail"] == texts.DOCUMENT_NOT_FOUND.format(id=document["id"])
    again = httpx.delete(f"{site.url}/api/v1/documents/{document['id']}", headers=ADMIN, timeout=10)
    assert again.status_code == 404


def test_a_rule_answer_cites_the_documents_that_quote_its_source_as_they_come_and_go(site: Site) -> None:
    question = "När ska redovisningen av partistöd lämnas in till KS?"
    quote = "Inlämning av redovisning om partistöd till KS senast 30/6"
    text = f"Årshjul för partierna\n\n{quote}. Blanketten finns hos kansliet."

    def cited() -> list[str]:
        answer = site.ask(question).json()
        assert answer["kind"] == "deadline"
        return [citation["source"] for citation in answer["citations"]]

    assert "partistod.txt" not in cited()
    document = site.upload(("partistod.txt", text.encode())).json()["files"][0]["document"]
    assert "partistod.txt" in cited()
    httpx.delete(f"{site.url}/api/v1/documents/{document['id']}", headers=ADMIN, timeout=30).raise_for_status()
    assert "partistod.txt" not in cited()


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, texts.ADMIN_UNAUTHORIZED),
        ({"Authorization": "Bearer fel-nyckel"}, texts.ADMIN_WRONG_TOKEN),
        ({"Authorization": f"Basic {TOKEN}"}, texts.ADMIN_UNAUTHORIZED),
    ],
)
def test_administration_without_the_right_token_is_refused_and_changes_nothing(
    site: Site, headers: dict[str, str], detail: str
) -> None:
    kept = site.upload(("behalls.txt", b"Behalls\n\nDen har filen ska finnas kvar.")).json()["files"][0]["document"]
    before = site.documents()
    response = site.upload(("intrang.txt", b"Intrang\n\nDen har filen ska inte in."), headers=headers)
    assert response.status_code == 401 and response.json() == {"detail": detail}
    assert response.headers["www-authenticate"].startswith("Bearer")
    delete = httpx.delete(f"{site.url}/api/v1/documents/{kept['id']}", headers=headers, timeout=10)
    assert delete.status_code == 401
    assert site.documents() == before and "intrang.txt" not in site.stored()


def test_guessing_the_administrator_token_is_slowed_to_ten_tries_a_minute(tmp_path: Path) -> None:
    engine = RulesEngine()
    library = DocumentLibrary(Settings(data_dir=tmp_path, demo=False), engine.store.municipality_of_file)
    app = create_app(services(engine, library=library), config=WebConfig(admin_token=TOKEN))
    with serving(app) as url:
        guesses = [
            httpx.delete(f"{url}/api/v1/documents/abc", headers={"Authorization": f"Bearer gissning-{n}"})
            for n in range(12)
        ]
        assert [r.status_code for r in guesses] == [401] * 10 + [429] * 2
        assert int(guesses[-1].headers["retry-after"]) >= 1
        assert guesses[-1].json()["detail"].startswith("För många försök med fel administratörsnyckel")
        right = httpx.post(f"{url}/api/v1/documents", files={"files": ("a.txt", b"A\n\nB")}, headers=ADMIN)
        assert right.status_code == 429  # while blocked, not even the right token is checked: no oracle
        assert httpx.get(f"{url}/api/v1/documents").status_code == 200  # reading is never blocked


def test_without_a_configured_token_administration_is_off(tmp_path: Path) -> None:
    engine = RulesEngine()
    library = DocumentLibrary(Settings(data_dir=tmp_path, demo=False), engine.store.municipality_of_file)
    with serving(create_app(services(engine, library=library))) as url:
        for headers in ({}, {"Authorization": "Bearer x"}, ADMIN):
            response = httpx.post(f"{url}/api/v1/documents", files={"files": ("a.txt", b"A\n\nB")}, headers=headers)
            assert response.status_code == 403 and response.json()["detail"] == texts.ADMIN_OFF
        assert httpx.delete(f"{url}/api/v1/documents/abc", headers=ADMIN).status_code == 403
        assert httpx.get(f"{url}/api/v1/documents").json() == []
    assert not (tmp_path / "documents").exists()


def test_an_upload_over_the_size_limit_is_refused_whether_declared_or_streamed(site: Site) -> None:
    before = site.documents()
    big = b"Stor fil\n\n" + b"Kommunfullm\xc3\xa4ktige beslutar. " * (LIMIT // 20)
    declared = site.upload(("stor.txt", big))
    assert declared.status_code == 413
    assert declared.json() == {"detail": texts.UPLOAD_TOO_LARGE.format(limit="1")}

    boundary = "styrbotgrans"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="stor.txt"\r\n\r\n'.encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked, counted as it arrives
        yield head
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]
        yield f"\r\n--{boundary}--\r\n".encode()

    streamed = httpx.post(
        f"{site.url}/api/v1/documents",
        content=chunks(),
        timeout=60,
        headers={**ADMIN, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert streamed.status_code == 413 and streamed.json()["detail"] == texts.UPLOAD_TOO_LARGE.format(limit="1")
    assert site.documents() == before and "stor.txt" not in site.stored()


def test_files_are_judged_by_their_content_and_each_gets_its_own_result(site: Site) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    rejected = site.upload(("rapport.pdf", png), ("program.txt", b"MZ\x90\x00\x03" + bytes(2000)))
    assert rejected.status_code == 415 and rejected.json()["detail"] == texts.UPLOAD_UNSUPPORTED
    assert [f["status"] for f in rejected.json()["files"]] == ["rejected", "rejected"]
    assert all(f["error"].startswith("Filtypen kan inte läsas") for f in rejected.json()["files"])

    broken = site.upload(("trasig.pdf", (BAD / "truncated_40pct.pdf").read_bytes()))
    assert broken.status_code == 422 and broken.json()["files"][0]["error_type"] == "DamagedDocument"
    assert "skadad eller ofullständig" in broken.json()["files"][0]["error"]
    mixed = site.upload(
        ("tom.pdf", b""),
        ("krypterad.pdf", (BAD / "encrypted_password.pdf").read_bytes()),
        ("egentligen_pdf.docx", (BAD / "pdf_with_docx_extension.docx").read_bytes()),
    )
    assert mixed.status_code == 201, mixed.text
    results = {f["file"]: f for f in mixed.json()["files"]}
    assert results["tom.pdf"]["status"] == "rejected" and results["tom.pdf"]["error_type"] == "EmptyDocument"
    assert results["krypterad.pdf"]["status"] == "failed" and "lösenordsskyddad" in results["krypterad.pdf"]["error"]
    assert results["egentligen_pdf.docx"]["status"] == "ingested"
    assert results["egentligen_pdf.docx"]["document"]["format"] == "pdf"  # sniffed, not taken from the name
    assert {"tom.pdf", "krypterad.pdf", "rapport.pdf", "program.txt"}.isdisjoint(site.stored() | set(site.documents()))


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _office_bomb(original: Path, member: str, head: str, repeated: str, tail: str, megabytes: int) -> bytes:
    """A real Office file whose `member` is replaced by XML of `megabytes` MB (written as a stream)."""
    out = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != member:
                bomb.writestr(info, source.read(info))
                continue
            with bomb.open(member, "w") as stream:
                stream.write(head.encode())
                block = (repeated * (1024 * 1024 // len(repeated))).encode()
                for _ in range(megabytes):
                    stream.write(block)
                stream.write(tail.encode())
    return out.getvalue()


def _docx_bomb(megabytes: int) -> bytes:
    return _office_bomb(
        ROOT / "corpus" / "docx" / "001_styrmodell.docx",
        "word/document.xml",
        f'<w:document xmlns:w="{W_NS}"><w:body>',
        "<w:p><w:r><w:t>Budget</w:t></w:r></w:p>",
        "</w:body></w:document>",
        megabytes,
    )


def _pptx_bomb(megabytes: int) -> bytes:
    return _office_bomb(
        ROOT / "corpus" / "pptx" / "002_workshop_samspel_politik_och_verksamhet.pptx",
        "ppt/slides/slide1.xml",
        f'<p:sld xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:cSld><p:spTree>',
        "<p:sp><p:txBody><a:p><a:r><a:t>Mål</a:t></a:r></a:p></p:txBody></p:sp>",
        "</p:spTree></p:cSld></p:sld>",
        megabytes,
    )


def _lying_zip(megabytes: int) -> bytes:
    """A DOCX whose body inflates to `megabytes` MB while its headers (local and central) claim 1 KB."""
    data = bytearray(_docx_bomb(megabytes))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        body = archive.getinfo("word/document.xml")
    struct.pack_into("<I", data, body.header_offset + 22, 1024)  # the local header's uncompressed size
    entry = struct.unpack_from("<I", data, data.rindex(b"PK\x05\x06") + 16)[0]  # the central directory
    while data[entry + 46 : entry + 46 + len(body.filename)] != body.filename.encode():
        name, extra, comment = struct.unpack_from("<HHH", data, entry + 28)
        entry += 46 + name + extra + comment
    struct.pack_into("<I", data, entry + 24, 1024)  # the central directory's
    return bytes(data)


def _memory_kb() -> tuple[int, int]:
    """This process's resident memory now and at its peak, in KB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]), int(re.search(r"VmHWM:\s+(\d+)", status)[1])  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "build", "error_type"),
    [
        ("bomb.docx", lambda: _docx_bomb(50), "TooMuchContent"),  # 50 MB of XML in some 80 KB
        ("stor_bomb.docx", lambda: _docx_bomb(150), "TooMuchContent"),
        ("bomb.pptx", lambda: _pptx_bomb(100), "TooMuchContent"),
        ("ljuger.docx", lambda: _lying_zip(300), "DamagedDocument"),  # 300 MB claimed as 1 KB
    ],
)
def test_an_office_file_that_unpacks_to_far_more_than_its_size_is_refused_without_the_memory(
    site: Site, name: str, build: Any, error_type: str
) -> None:
    """The upload is served in this process: its peak memory, reset before the upload, is what it cost."""
    data = build()
    assert len(data) < LIMIT  # under the upload limit: only what it unpacks to is too much
    before = site.documents()
    rss, _ = _memory_kb()
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    response = site.upload((name, data))
    _, peak = _memory_kb()
    assert response.status_code == 422, response.text
    [result] = response.json()["files"]
    assert result["status"] == "failed" and result["error_type"] == error_type
    assert result["error"] == texts.ingest_reason(error_type)
    assert (peak - rss) / 1024 < 200, f"{name}: +{(peak - rss) / 1024:.0f} MB"
    assert site.documents() == before and name not in site.stored()


def test_a_broken_new_version_leaves_the_old_one_in_place(site: Site) -> None:
    good = site.upload(("riktlinje.pdf", (ROOT / "corpus" / "pdf" / "001_styrmodell.pdf").read_bytes()))
    assert good.status_code == 201
    broken = site.upload(("riktlinje.pdf", (BAD / "encrypted_password.pdf").read_bytes()))
    assert broken.status_code == 422 and broken.json()["detail"] == texts.UPLOAD_NOTHING_READ
    kept = site.documents()["riktlinje.pdf"]
    assert kept["id"] == good.json()["files"][0]["document"]["id"] and kept["chunks"] > 0
    assert httpx.get(site.url + kept["url"], timeout=10).content.startswith(b"%PDF")


def test_an_html_original_is_served_sandboxed_and_office_files_as_downloads(site: Site) -> None:
    html = site.upload(("kallelse.html", (BAD / "malicious_script.html").read_bytes())).json()["files"][0]
    assert html["status"] == "ingested"
    served = httpx.get(site.url + html["document"]["url"], timeout=10)
    policy = served.headers["content-security-policy"]
    assert policy.startswith("sandbox") and "script-src" not in policy and "default-src 'none'" in policy
    assert served.headers["x-content-type-options"] == "nosniff"

    docx = site.upload(("styrmodell.docx", (ROOT / "corpus" / "docx" / "001_styrmodell.docx").read_bytes()))
    served = httpx.get(site.url + docx.json()["files"][0]["document"]["url"], timeout=10)
    assert served.headers["content-disposition"].startswith("attachment")
    assert served.headers["content-type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("name", "data", "charset"),
    [
        ("utf16.txt", "Riktlinje\n\nSträngnäs svarar inom en vecka.".encode("utf-16"), "utf-16"),
        ("ansi.md", "# Riktlinje\n\nÅtgärder i Trollhättan.".encode("windows-1252"), "windows-1252"),
        ("utf8.txt", "Riktlinje\n\nÄrenden i Tranemo.".encode(), "utf-8"),
    ],
)
def test_a_text_original_is_served_in_the_encoding_it_was_written_in(
    site: Site, name: str, data: bytes, charset: str
) -> None:
    document = site.upload((name, data)).json()["files"][0]["document"]
    served = httpx.get(site.url + document["url"], timeout=10)
    assert served.content == data and served.headers["content-type"].endswith(f"; charset={charset}")
    assert "Riktlinje" in served.text  # httpx decodes as a browser would, by the header


def test_a_document_whose_file_has_vanished_says_so(site: Site) -> None:
    document = site.upload(("forsvinner.txt", b"Forsvinner\n\nSnart borta.")).json()["files"][0]["document"]
    [original] = (site.data / "documents").glob("*/forsvinner.txt")
    original.unlink()
    response = httpx.get(site.url + document["url"], timeout=10)
    assert response.status_code == 404
    assert response.json()["detail"] == texts.DOCUMENT_FILE_GONE.format(title="Forsvinner")


def test_replicas_on_postgresql_share_each_clients_question_limit(postgres_url: str) -> None:
    """Two replicas on one PostgreSQL: a client's questions count against one limit wherever they land,
    and the database keeps no address, only its hash."""
    databases = [Database(postgres_url) for _ in range(2)]
    apps = [
        create_app(services(RulesEngine(), database=database), config=WebConfig(ask_per_minute=3))
        for database in databases
    ]
    question = {"question": "Vem beslutar om skattesatsen?"}
    try:
        with serving(apps[0]) as first, serving(apps[1]) as second:
            statuses = [httpx.post(f"{url}/api/v1/ask", json=question).status_code for url in (first, second, first)]
            refused = httpx.post(f"{second}/api/v1/ask", json=question)
            with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
                theirs = other.post(f"{second}/api/v1/ask", json=question)
    finally:
        with databases[0].engine.connect() as conn:
            clients = [row[0] for row in conn.execute(select(rate_table.c.client))]
        for database in databases:
            database.close()
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 20
    assert theirs.status_code == 200
    assert sorted(clients) == sorted(pseudonym(a) for a in ("127.0.0.1", "127.0.0.2"))


def test_questions_are_limited_per_client_with_a_swedish_message(tmp_path: Path) -> None:
    app = create_app(services(RulesEngine()), config=WebConfig(ask_per_minute=3))
    question = {"question": "Vem beslutar om skattesatsen?"}
    with serving(app) as url:
        statuses = [httpx.post(f"{url}/api/v1/ask", json=question).status_code for _ in range(3)]
        refused = httpx.post(f"{url}/api/v1/ask", json=question)
        # another client (another loopback address) is not affected
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
            theirs = other.post(f"{url}/api/v1/ask", json=question)
        deadlines = httpx.get(f"{url}/api/v1/deadlines")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 20
    assert refused.json()["detail"] == texts.RATE_LIMITED.format(seconds=refused.headers["retry-after"])
    assert theirs.status_code == 200 and theirs.json()["facts"]["body"] == "kommunfullmaktige"
    assert deadlines.status_code == 200  # only questions are limited


def test_the_rate_limit_refills_over_the_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(6, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6
    assert limiter.take("a") == pytest.approx(10.0)  # six a minute: one more after ten seconds
    assert limiter.take("b") == 0.0
    now[0] = 10.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0
    now[0] = 1000.0
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6  # never more than a minute's worth at once
    assert limiter.take("a") > 0


BAD_REQUESTS = [
    ("GET", "/finns-inte", None, 404, texts.HTTP_NOT_FOUND),
    ("DELETE", "/api/v1/ask", None, 405, texts.HTTP_METHOD.format(method="DELETE")),
    ("POST", "/api/v1/ask", {}, 422, texts.HTTP_INVALID.format(problems="question saknas")),
    ("POST", "/api/v1/ask", b"{inte json", 422, texts.HTTP_INVALID.format(problems=texts.HTTP_FIELD_JSON)),
    ("POST", "/api/v1/ask", {"question": "   "}, 400, texts.EMPTY_QUESTION),
    ("POST", "/api/v1/ask", {"question": 7}, 422, texts.HTTP_INVALID.format(problems="question ska vara text")),
    ("POST", "/api/v1/ask", {"question": "x", "municipality": "atlantis"}, 404, "Okänd kommun: ”atlantis”"),
    ("GET", "/api/v1/deadlines?days=0", None, 422, "days är utanför det tillåtna intervallet"),
    ("GET", "/api/v1/deadlines?from=igår", None, 422, "from ska vara ett datum (ÅÅÅÅ-MM-DD)"),
    ("GET", "/api/v1/deadlines?municipality=atlantis", None, 404, "Okänd kommun: ”atlantis”"),
    ("GET", "/api/v1/calendar/exempelkommun.ics?tags=ekonomi,fika", None, 400, "Okänd tagg: ”fika”"),
    ("GET", "/api/v1/wheel/atlantis.png", None, 404, "Okänd kommun: ”atlantis”"),
    ("GET", "/api/v1/documents/0000000000000000", None, 404, texts.DOCUMENT_NOT_FOUND.format(id="0000000000000000")),
    ("GET", "/api/v1/documents?municipality=atlantis", None, 404, "Okänd kommun: ”atlantis”"),
    ("POST", "/api/v1/documents", None, 401, texts.ADMIN_UNAUTHORIZED),
    ("DELETE", "/api/v1/documents/0000000000000000", None, 401, texts.ADMIN_UNAUTHORIZED),
    (
        "POST",
        "/api/v1/feedback",
        {"answer": "a", "vote": "kanske", "client": "12345678"},
        422,
        "vote ska vara up eller down",
    ),
    ("POST", "/api/v1/ask", {"question": "x" * 2001}, 422, "question är för lång (högst 2000 tecken)"),
    ("GET", "/api/v1/wheel/exempelkommun.png?year=1999", None, 400, "Årshjulet kan ritas för åren"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "detail"), BAD_REQUESTS)
def test_every_client_error_is_swedish_json(
    site: Site, method: str, path: str, body: Any, status: int, detail: str
) -> None:
    content = body if isinstance(body, bytes) else None
    payload = None if isinstance(body, bytes) or body is None else body
    response = httpx.request(
        method,
        site.url + path,
        json=payload,
        content=content,
        timeout=30,
        headers={"Content-Type": "application/json"} if content else None,
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert detail in response.json()["detail"]


def test_an_upload_without_files_or_for_an_unknown_municipality_is_refused(site: Site) -> None:
    empty = httpx.post(f"{site.url}/api/v1/documents", data={"municipality": "tranemo"}, headers=ADMIN)
    assert empty.status_code == 400 and empty.json()["detail"] == texts.UPLOAD_NO_FILES
    unknown = site.upload(("a.txt", b"A\n\nB"), municipality="atlantis")
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("Okänd kommun: ”atlantis”")
    assert "a.txt" not in site.stored()


def test_a_question_whose_body_cannot_be_read_is_told_to_send_json(site: Site) -> None:
    for kind, body in [
        ("application/json", b'{"question": "Vad \xff?"}'),  # not UTF-8
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nbrutet\r\n--x--\r\n"),
    ]:
        broken = httpx.post(f"{site.url}/api/v1/ask", content=body, headers={"Content-Type": kind}, timeout=10)
        assert broken.status_code in (400, 422), kind
        assert "multipart" not in broken.text and "files" not in broken.text, broken.text


def test_a_broken_form_or_too_many_files_is_refused_in_swedish(site: Site) -> None:
    before = site.documents()
    for kind, body in [
        ("multipart/form-data", b"--x\r\n"),  # no boundary
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nbrutet\r\n--x--\r\n"),
    ]:  # no part header
        broken = httpx.post(f"{site.url}/api/v1/documents", content=body, headers={**ADMIN, "Content-Type": kind})
        assert broken.status_code == 400 and broken.json() == {"detail": texts.HTTP_BAD_UPLOAD}, kind
    many = site.upload(*[(f"fil{n}.txt", b"Fil\n\nText.") for n in range(51)])
    assert many.status_code == 400 and many.json() == {"detail": texts.UPLOAD_TOO_MANY.format(limit=50)}
    assert site.documents() == before


def test_file_names_cannot_escape_the_folder_hide_their_type_or_overflow_it(site: Site) -> None:
    names = ["../../utanfor.txt", "rapport\u202etxt.exe.txt", "ö" * 200 + ".md", "…/.dold.txt"]
    response = site.upload(*[(name, f"Rubrik {n}\n\nInnehåll {n}.".encode()) for n, name in enumerate(names)])
    assert response.status_code == 201, response.text
    stored = [f["file"] for f in response.json()["files"]]
    assert stored[:2] == ["utanfor.txt", "rapporttxt.exe.txt"] and stored[3] == "dold.txt"
    assert stored[2].endswith(".md") and len(stored[2].encode()) <= 200
    assert set(stored) <= site.stored() and not (site.data / "utanfor.txt").exists()
    nothing = site.upload(("../..", b"Tomt namn\n\nText."))
    assert nothing.status_code == 415 and nothing.json()["files"][0]["error"] == texts.UPLOAD_BAD_NAME


def test_a_file_named_like_another_municipalitys_document_is_not_taken_over(site: Site) -> None:
    first = site.upload(("protokoll_delad.txt", b"Protokoll\n\nTranemos text."), municipality="tranemo")
    assert first.status_code == 201
    taken = site.upload(("protokoll_delad.txt", b"Protokoll\n\nStrangnas text."), municipality="strangnas")
    assert taken.status_code == 409 and taken.json()["detail"] == texts.UPLOAD_CONFLICTS
    outcome = taken.json()["files"][0]
    assert outcome["status"] == "conflict" and outcome["error"] == texts.UPLOAD_CONFLICT.format(
        name="protokoll_delad.txt", other="tranemo"
    )
    kept = site.documents()["protokoll_delad.txt"]
    assert kept["municipality"] == "tranemo" and "Tranemos text" in httpx.get(site.url + kept["url"]).text


def test_uploads_at_the_same_time_all_arrive(site: Site) -> None:
    names = [f"samtidig_{n}.txt" for n in range(4)]
    with ThreadPoolExecutor(len(names)) as pool:
        responses = list(pool.map(lambda n: site.upload((n, f"Samtidig\n\nDokument {n}.".encode())), names))
    assert [r.status_code for r in responses] == [201] * len(names)
    listed = site.documents()
    assert all(listed[n]["chunks"] > 0 for n in names) and set(names) <= site.stored()


def test_a_question_body_is_limited_too(site: Site) -> None:
    huge = json.dumps({"question": "x" * (2 * 1024 * 1024)})
    response = httpx.post(f"{site.url}/api/v1/ask", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json() == {"detail": texts.REQUEST_TOO_LARGE}


def test_feedback_from_the_page_is_stored_and_the_person_only_as_a_hash(site: Site) -> None:
    vote = {
        "answer": "svar-1-abc",
        "vote": "down",
        "client": "c0ffee00c0ffee00",
        "question": "Vem beslutar?",
        "kind": "who_decides",
        "municipality": "tranemo",
        "sources": ["Kommunallag (2017:725)"],
    }
    assert httpx.post(f"{site.url}/api/v1/feedback", json=vote).status_code == 204
    assert httpx.post(f"{site.url}/api/v1/feedback", json={**vote, "vote": "up"}).status_code == 204
    rows = [r for r in site.database.feedback() if r.answer_ref == "web:svar-1-abc"]
    assert len(rows) == 1 and rows[0].vote == "up" and rows[0].channel == "web"
    assert rows[0].sources == ("Kommunallag (2017:725)",) and rows[0].municipality == "tranemo"
    with site.database.engine.connect() as conn:
        stored = json.dumps([list(r) for r in conn.exec_driver_sql("SELECT * FROM feedback").all()], default=str)
    assert "c0ffee00c0ffee00" not in stored


def test_the_openapi_schema_validates_and_documents_the_api(site: Site) -> None:
    from openapi_spec_validator import validate

    schema = httpx.get(f"{site.url}/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    documented = [
        "/api/v1/ask",
        "/api/v1/deadlines",
        "/api/v1/documents",
        "/api/v1/documents/{doc_id}",
        "/api/v1/calendar/{municipality}.ics",
        "/api/v1/wheel/{municipality}.png",
        "/api/v1/feedback",
    ]
    assert set(documented) <= set(paths)
    assert set(paths["/api/v1/documents"]) == {"get", "post"}
    assert set(paths["/api/v1/documents/{doc_id}"]) == {"get", "delete"}
    for operation in (paths["/api/v1/documents"]["post"], paths["/api/v1/documents/{doc_id}"]["delete"]):
        assert operation["security"] == [{"HTTPBearer": []}] and {"401", "403"} <= set(operation["responses"])
    upload = paths["/api/v1/documents"]["post"]
    assert "files" in upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert {"413", "415"} <= set(upload["responses"])
    assert "429" in paths["/api/v1/ask"]["post"]["responses"]
    answer = schema["components"]["schemas"]["AnswerBody"]["properties"]
    assert {"question", "municipality", "kind", "answer", "facts", "citations", "abstained"} <= set(answer)


def test_the_page_is_served_with_a_policy_that_forbids_inline_script(site: Site) -> None:
    page = httpx.get(f"{site.url}/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert '<html lang="sv">' in html and 'name="viewport"' in html
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/chat.js" defer>']
    assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handlers"
    script = httpx.get(f"{site.url}/static/chat.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_an_answer_continues_its_conversation_with_the_id_it_returns(site: Site) -> None:
    first = site.ask("När ska delårsrapporten vara klar?").json()
    conversation = first["conversation_id"]
    assert first["kind"] == "deadline" and first.get("followup") is None
    second = site.ask("och i Strängnäs?", conversation_id=conversation).json()
    assert second["conversation_id"] == conversation and second["municipality"] == "strangnas"
    assert second["followup"]["kind"] == "ellipsis" and "delårsrapport" in second["answer"].lower()
    alone = site.ask("och i Strängnäs?").json()  # without the id: a new conversation, nothing to follow up
    assert alone["conversation_id"] != conversation and alone.get("followup") is None
    forged = site.ask("och i Strängnäs?", conversation_id="../../etc")
    assert forged.status_code == 422
