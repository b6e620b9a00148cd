"""A new municipality on the web, over real HTTP: an administrator uploads its styrmodell, gets a draft with
every entry quoted, accepts entries, and the next answer uses them — no restart; the rules source reads
the drafts folder beside the shipped profiles. Refusals are Swedish and cost nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import texts
from bot.library import DocumentLibrary
from bot.settings import Settings
from bot.web import WebConfig, create_app
from rules.source import RulesSource
from tests.drafts import styrmodell
from tests.services import services
from tests.web import serving

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "nyckel-for-utkast"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
BUDGET = "När beslutar fullmäktige om rambudgeten?"


class Site:
    def __init__(self, url: str, data: Path) -> None:
        self.url, self.data = url, data

    def draft(self, *files: tuple[str, bytes], headers: dict[str, str] | None = None, **form: str) -> httpx.Response:
        parts = [("files", (name, data)) for name, data in files]
        return httpx.post(f"{self.url}/api/v1/profiles", files=parts, data=form,
                          headers=ADMIN if headers is None else headers, timeout=120)  # fmt: skip

    def accept(self, municipality: str, **body: Any) -> httpx.Response:
        return httpx.post(f"{self.url}/api/v1/profiles/{municipality}/accept", json=body, headers=ADMIN, timeout=30)

    def ask(self, question: str, municipality: str) -> httpx.Response:
        return httpx.post(f"{self.url}/api/v1/ask", json={"question": question, "municipality": municipality},
                          timeout=120)  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("drafts")
    settings = Settings(data_dir=data, demo=False)
    rules = RulesSource.watching(None, settings.drafts_dir)
    library = DocumentLibrary(settings, lambda name: rules().store.municipality_of_file(name))
    config = WebConfig(admin_token=TOKEN, ask_per_minute=0)
    app = create_app(services(rules, library=library, settings=settings), config=config)
    with serving(app) as url:
        yield Site(url, data)


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return styrmodell(tmp_path_factory.mktemp("word") / "styrmodell.docx").read_bytes()


def test_a_draft_answers_at_once_and_an_accepted_entry_is_used_by_the_next_answer(site: Site, word: bytes) -> None:
    broken = (ROOT / "corpus" / "bad" / "not_a_zip.docx").read_bytes()
    response = site.draft(("styrmodell.docx", word), ("trasig.docx", broken), municipality="provkommun",
                          name="Provkommun")  # fmt: skip
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["municipality"] == "provkommun" and draft["confirmed"] == 0 and draft["events"] >= 5
    assert [(f["file"], f["error"] is None) for f in draft["files"]] == [
        ("styrmodell.docx", True),
        ("trasig.docx", False),
    ]
    budget = next(
        e for e in draft["entries"] if e["quote"].startswith("Kommunfullmäktige fattar beslut om rambudgeten")
    )
    assert budget["kind"] == "event" and budget["who"] == "kommunfullmäktige" and budget["when"] == "i juni"
    assert budget["document"] and budget["section"] == "1. Budget" and budget["confirmed"] is False

    before = site.ask(BUDGET, "provkommun").json()  # known at once: the rules source read the drafts folder
    assert before["kind"] == "deadline" and before["facts"]["month"] == 6
    assert "ingen har bekräftat ännu" in before["answer"]
    assert before["citations"][0]["text"].startswith("Kommunfullmäktige fattar beslut om rambudgeten")

    accepted = site.accept("provkommun", entries=[budget["id"]])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["confirmed"] == 1
    after = site.ask(BUDGET, "provkommun").json()  # the next answer, with no restart
    assert after["facts"]["month"] == 6 and "ingen har bekräftat ännu" not in after["answer"]

    review = httpx.get(f"{site.url}/api/v1/profiles/provkommun", headers=ADMIN, timeout=30).json()
    assert [e["confirmed"] for e in review["entries"] if e["id"] == budget["id"]] == [True]
    assert site.accept("provkommun", all=True).json()["confirmed"] == len(review["entries"])

    gone = httpx.delete(f"{site.url}/api/v1/profiles/provkommun", headers=ADMIN, timeout=30)
    assert gone.status_code == 204
    assert site.ask(BUDGET, "provkommun").status_code == 404  # the municipality went with its draft


def test_refusals_are_swedish_and_leave_nothing_behind(site: Site, word: bytes) -> None:
    assert site.draft(("s.docx", word), municipality="nykommun", headers={}).status_code == 401
    assert site.draft(("s.docx", word), municipality="Ny Kommun").json()["detail"] == texts.DRAFT_BAD_ID
    taken = site.draft(("s.docx", word), municipality="tranemo")
    assert taken.status_code == 409 and taken.json()["detail"] == texts.PROFILE_EXISTS.format(id="tranemo")
    broken = (ROOT / "corpus" / "bad" / "not_a_zip.docx").read_bytes()
    nothing = site.draft(("trasig.docx", broken), municipality="nykommun")
    assert nothing.status_code == 422 and nothing.json()["detail"] == texts.DRAFT_NOTHING_READ
    assert not (site.data / "profiles" / "municipalities" / "nykommun.yaml").exists()
    missing = httpx.get(f"{site.url}/api/v1/profiles/nykommun", headers=ADMIN, timeout=30)
    assert missing.status_code == 404 and missing.json()["detail"] == texts.DRAFT_NOT_FOUND.format(id="nykommun")
    assert site.draft(("s.docx", word), municipality="nykommun").status_code == 201
    again = site.draft(("s.docx", word), municipality="nykommun")
    assert again.status_code == 409 and again.json()["detail"] == texts.DRAFT_EXISTS.format(id="nykommun")
    unknown = site.accept("nykommun", entries=["finns_inte"])
    assert unknown.status_code == 400 and "finns_inte" in unknown.json()["detail"]
    assert site.accept("nykommun").json()["detail"] == texts.DRAFT_ACCEPT_NOTHING
