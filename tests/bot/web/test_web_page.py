"""The chat page in a real browser: Debian's chromium, driven by Playwright, against `styrbot serve`.

The server is the real command in a subprocess on a free port, over a copy of the indexed demo corpus.
Every page records what would betray markup run as code: dialogs, and requests that leave the server
(routed and refused). chromium comes from apt (`.ci/run` installs it); Playwright never downloads one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.db import Database
from rules.texts import MONTHS, WEEKDAYS
from tests.conftest import copy_index
from tests.web import ask, clean_environment, start_serve, started

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "nyckel-for-webbsidan"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
]
WAIT = 90_000  # ms: the first document question loads the model


@dataclass
class Server:
    url: str
    data: Path

    def ask(self, question: str, **extra: Any) -> dict[str, Any]:
        return ask(self.url, question, **extra)


@dataclass
class Watched:
    """A browser page and what it gave away."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # requests to anywhere but our server
    errors: list[str] = field(default_factory=list)  # console errors
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # originals served: url, type, policy


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("STYRBOT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def server(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = copy_index(corpus_index, tmp_path_factory.mktemp("web-page") / "data")
    env = clean_environment() | {
        "STYRBOT_DATA_DIR": str(data),
        "STYRBOT_ADMIN_TOKEN": TOKEN,
        "STYRBOT_DEMO": "0",
        "STYRBOT_ASK_PER_MINUTE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    process, lines = start_serve(env, data.parent)
    try:
        url = started(process, lines)
        site = Server(url, data)
        site.ask("Vad menas med tillitsbaserat ledarskap?")  # the documents are open before the first test
        yield site
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        yield launched
        launched.close()


def _open(browser: Any, server: Server, **context: Any) -> Watched:
    ctx = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", **context)
    ctx.set_default_timeout(WAIT)
    page = ctx.new_page()
    watched = Watched(page)

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(server.url) or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            watched.outside.append(request_route.request.url)
            request_route.abort()

    ctx.route("**/*", route)
    ctx.on("page", lambda p: p.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss())))
    page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)

    def served(response: Any) -> None:
        if "/api/v1/documents/" in response.url:
            headers = response.headers
            watched.documents.append(
                (response.url, headers.get("content-type", ""), headers.get("content-security-policy", ""))
            )

    ctx.on("response", served)
    page.goto(server.url + "/")
    page.wait_for_selector("#municipality:enabled")
    return watched


def _open_at(browser: Any, server: Server, width: str) -> Watched:
    """The page at a desktop's or a phone's width, with axe-core allowed in (`bypass_csp`)."""
    phone = width == "phone"
    return _open(browser, server, viewport=WIDTHS[width], is_mobile=phone, has_touch=phone, bypass_csp=True)


@pytest.fixture
def watched(browser: Any, server: Server) -> Iterator[Watched]:
    opened = _open(browser, server)
    yield opened
    opened.page.context.close()


def _ask(page: Any, question: str) -> Any:
    """Type and send a question; the newest answer once it is there."""
    before = page.locator(".exchange").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    answer = page.locator(".exchange").nth(before).locator(".answer, .error")
    answer.wait_for()
    return answer


def _swedish(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def test_a_deadline_question_shows_the_date_who_acts_and_the_source(watched: Watched, server: Server) -> None:
    page = watched.page
    question = "När behandlar fullmäktige delårsrapporten?"
    expected = server.ask(question)
    answer = _ask(page, question)

    facts = dict(
        zip(answer.locator(".facts dt").all_inner_texts(), answer.locator(".facts dd").all_inner_texts(), strict=True)
    )
    day = date.fromisoformat(expected["facts"]["date"])
    if expected["facts"]["precision"] == "month":  # "i oktober": the last day is the deadline
        assert facts["Nästa datum"] == f"under {MONTHS[day.month - 1]} {day.year}, senast {_swedish(day)}"
    else:
        assert facts["Nästa datum"] == _swedish(day)
    assert facts["Ansvarig"] == "Kommunfullmäktige"
    assert answer.locator(".answer-text").inner_text() == expected["answer"]
    sources = answer.locator(".sources > li")
    assert sources.count() == len(expected["citations"]) >= 2
    first = sources.first.inner_text()
    assert expected["citations"][0]["title"] in first and expected["citations"][0]["text"] in first
    linked = answer.locator(".sources a")
    assert linked.count() >= 1 and "001_styrmodell" not in linked.first.inner_text()  # the title, not the file name
    assert re.fullmatch(r"/api/v1/documents/[0-9a-f]{16}#page=\d+", linked.first.get_attribute("href"))

    # the årshjul panel: the wheel drawn, the coming deadlines listed, the calendar linked
    page.wait_for_function("() => document.getElementById('wheel').naturalWidth > 0")
    assert page.locator("#upcoming li time").count() >= 1
    assert page.get_attribute("#calendar", "href") == "/api/v1/calendar/exempelkommun.ics"
    assert not watched.errors and not watched.dialogs and not watched.outside


def test_following_a_source_opens_the_original_at_its_page(watched: Watched, server: Server) -> None:
    page = watched.page
    question = "Vad menas med tillitsbaserat ledarskap?"
    expected = server.ask(question)["citations"][0]
    answer = _ask(page, question)
    link = answer.locator(".sources a").first
    assert expected["title"] in link.inner_text() and expected["url"] == link.get_attribute("href")
    with page.expect_popup() as popup:
        link.click()
    original = popup.value
    original.wait_for_load_state()
    assert original.url == f"{server.url}{expected['url']}" and original.url.endswith(f"#page={expected['page']}")
    assert (original.url.split("#")[0], "application/pdf") in [(u, t) for u, t, _ in watched.documents]


def test_the_page_works_with_the_keyboard_alone(watched: Watched, server: Server) -> None:
    page = watched.page

    def focus() -> dict[str, Any]:
        return page.evaluate("""() => { const e = document.activeElement; return {tag: e.tagName, id: e.id,
            text: e.textContent.trim(), href: e.getAttribute('href'), outline: getComputedStyle(e).outlineStyle}; }""")

    page.keyboard.press("Tab")
    assert focus()["text"] == "Hoppa till frågan" and focus()["outline"] != "none"
    page.keyboard.press("Tab")
    assert focus()["text"] == "Så använder du Styrbot" and focus()["href"] == "/hjalp"
    page.keyboard.press("Tab")
    assert focus()["id"] == "municipality"
    page.keyboard.press("ArrowDown")  # the next municipality, as a keyboard user changes a select
    chosen = page.eval_on_selector("#municipality", "s => s.value")
    assert chosen != "exempelkommun"
    page.wait_for_function(f"() => document.getElementById('calendar').getAttribute('href').includes('{chosen}')")

    page.keyboard.press("Tab")  # the first example question
    assert focus()["tag"] == "BUTTON" and focus()["text"] == "När ska delårsrapporten vara klar?"
    page.keyboard.press("Enter")
    page.locator(".answer").first.wait_for()
    assert focus()["id"] == "question"  # the next question can be typed at once
    page.keyboard.type("Vad menas med tillitsbaserat ledarskap?")
    page.keyboard.press("Enter")
    page.locator(".exchange").nth(1).locator(".answer").wait_for()
    assert page.eval_on_selector("#municipality", "s => s.value") == chosen

    page.keyboard.press("Shift+Tab")  # back from the question box: "Ny fråga", then the newest answer's feedback
    assert focus()["id"] == "new-question" and focus()["text"] == "Ny fråga"
    page.keyboard.press("Shift+Tab")
    assert focus()["text"].endswith("Nej")
    page.keyboard.press("Shift+Tab")
    assert focus()["text"].endswith("Ja") and focus()["outline"] != "none"
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'")
    assert "Tack" in page.locator(".exchange").nth(1).locator(".feedback-status").inner_text()
    database = Database.open(server.data)
    try:
        votes = [r for r in database.feedback() if r.channel == "web"]
    finally:
        database.close()
    assert any(v.vote == "up" and v.question == "Vad menas med tillitsbaserat ledarskap?" for v in votes)

    for _ in range(12):  # on back to the last source link, and open it with Enter
        page.keyboard.press("Shift+Tab")
        if focus()["tag"] == "A":
            break
    assert focus()["href"].startswith("/api/v1/documents/")
    with page.expect_popup() as popup:
        page.keyboard.press("Enter")
    popup.value.wait_for_load_state()
    assert popup.value.url == server.url + focus()["href"]
    assert not watched.errors and not watched.dialogs


def test_markup_in_a_question_is_shown_as_text_and_never_runs(watched: Watched) -> None:
    page = watched.page
    title = page.title()
    question = (
        '<img src=x onerror="alert(1)"><script>alert(2)</script><b>fet</b>'
        '<a href="javascript:alert(3)">länk</a> När ska delårsrapporten vara klar?'
    )
    answer = _ask(page, question)
    shown = page.locator(".exchange .question").first.text_content()
    assert shown is not None and shown.endswith(question)
    assert page.locator("#log img, #log script, #log b, #log a[href^='javascript']").count() == 0
    assert answer.get_attribute("class").startswith("answer")  # answered (here: honestly, with no answer)
    assert page.title() == title and not watched.dialogs and not watched.outside
    assert not watched.errors


def test_a_malicious_html_document_is_cited_as_text_and_its_script_never_runs(watched: Watched, server: Server) -> None:
    upload = httpx.post(
        f"{server.url}/api/v1/documents",
        headers={"Authorization": f"Bearer {TOKEN}"},
        files={"files": ("kallelse_kf.html", (ROOT / "corpus" / "bad" / "malicious_script.html").read_bytes())},
        timeout=120,
    )
    assert upload.status_code == 201, upload.text
    page = watched.page
    answer = _ask(page, "Var sammanträder kommunfullmäktige enligt kallelsen?")
    source = answer.locator(".sources > li", has_text="Kallelse till kommunfullmäktige").first
    assert "sessionssalen" in source.inner_text()
    text = page.locator("#log").inner_text()
    assert "evil.example" not in text and "document.cookie" not in text  # the script was never indexed
    assert page.locator("#log img, #log iframe, #log svg, #log script").count() == 0

    with page.expect_popup() as popup:
        source.locator("a").click()
    original = popup.value
    original.wait_for_load_state()
    assert "Kallelse till kommunfullmäktige" in original.content()
    # sandboxed without scripts: an origin of its own, so nothing in it could reach the page or its API
    assert original.evaluate("self.origin") == "null"
    policy = next(p for u, _, p in watched.documents if u == original.url)
    assert policy.startswith("sandbox") and "allow-scripts" not in policy
    assert not watched.dialogs and not watched.outside


def test_the_page_is_readable_on_a_phone(browser: Any, server: Server) -> None:
    phone = _open(
        browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = phone.page
    try:
        _ask(page, "Får jag som ledamot bestämma vem som ska leda projektet?")
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing scrolls sideways"
        for selector in ("#question", "#send", "#municipality", ".answer-text"):
            box = page.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
        size = page.eval_on_selector(".answer-text", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16
        assert page.locator("#send").bounding_box()["height"] >= 44  # a finger-sized target
        assert page.locator(".facts dt", has_text="Vems fråga").count() == 1
    finally:
        page.context.close()


def test_a_refused_question_gets_its_swedish_reason_and_is_kept_to_send_again(watched: Watched) -> None:
    page = watched.page
    page.evaluate("document.getElementById('municipality').append(new Option('Atlantis', 'atlantis'))")
    page.select_option("#municipality", "atlantis")
    error = _ask(page, "Vem beslutar om skattesatsen?")
    assert error.inner_text().startswith("Okänd kommun: ”atlantis”")  # read out once, from the log
    assert page.locator("#status").inner_text() == "Frågan kunde inte besvaras. Frågan finns kvar i rutan."
    assert page.input_value("#question") == "Vem beslutar om skattesatsen?"
    assert all("status of 404" in e for e in watched.errors), watched.errors  # the 404s themselves; no script error


def test_a_question_typed_while_waiting_is_not_overwritten(watched: Watched, server: Server) -> None:
    page = watched.page
    held: list[Any] = []
    page.route("**/api/v1/ask", lambda route: held.append(route))  # the question waits until the test lets it go
    page.evaluate("document.getElementById('municipality').append(new Option('Atlantis', 'atlantis'))")
    page.select_option("#municipality", "atlantis")
    page.fill("#question", "Vem beslutar om skattesatsen?")
    page.press("#question", "Enter")
    page.locator(".exchange .waiting").wait_for()
    assert page.get_attribute("#send", "aria-disabled") == "true"
    assert not page.eval_on_selector("#send", "b => b.disabled")  # still focusable
    page.keyboard.type("Nästa fråga")
    page.press("#question", "Enter")  # sent while busy: refused, kept
    assert page.locator("#status").inner_text() == "Vänta på svaret innan du frågar igen."
    assert len(held) == 1
    held[0].continue_()
    page.locator(".exchange .error").wait_for()
    assert page.input_value("#question") == "Nästa fråga" and page.locator(".exchange").count() == 1
    assert page.get_attribute("#send", "aria-disabled") is None


# Page layout at a desktop's and a phone's width, with WCAG 2.1 AA checked by axe-core (shipped in the
# axe-playwright-python wheel; injected here, so the context bypasses the page's CSP for it alone).
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LONG_SOURCES = "Vad menas med tillitsbaserat ledarskap?"  # cited from pages and slides with long passages


def _axe_violations(page: Any) -> list[str]:
    from importlib import resources

    script = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=script)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def _screenshot(page: Any, name: str, tmp_path: Path) -> None:
    """A full-page screenshot, into $STYRBOT_SCREENSHOTS when set (to look at), else the test's folder."""
    folder = Path(os.environ.get("STYRBOT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_an_answer_fits_its_sources_open_on_request_and_the_page_meets_wcag(
    browser: Any, server: Server, width: str, tmp_path: Path
) -> None:
    opened = _open_at(browser, server, width)
    page = opened.page
    try:
        answer = _ask(page, LONG_SOURCES)
        expected = server.ask(LONG_SOURCES)["citations"]
        assert len(expected) > 3
        sources = answer.locator(".source")
        assert sources.count() == len(expected) and answer.locator(".source:visible").count() == 3
        first = sources.first.locator("blockquote")
        short = first.inner_text()
        assert len(short) <= 185 and short.endswith("…") and short != expected[0]["text"]
        toggle = sources.first.locator("button.whole")
        assert toggle.get_attribute("aria-expanded") == "false" and toggle.inner_text() == "Visa hela stycket"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "Visa mindre"
        assert " ".join(first.inner_text().split()) == " ".join(expected[0]["text"].split())
        toggle.click()
        assert first.inner_text() == short
        more = answer.locator("button.more-sources")
        hidden = len(expected) - 3
        assert more.inner_text() == ("Visa en källa till" if hidden == 1 else f"Visa {hidden} källor till")
        more.click()
        assert answer.locator(".source:visible").count() == len(expected) and more.count() == 0

        width_now = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width_now, "nothing scrolls sideways"
        send = page.locator("#send")
        assert page.eval_on_selector("#send", "e => e.scrollWidth <= e.clientWidth")
        assert send.bounding_box()["height"] < 60, "the button's word stays on one line"
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"page-{width}", tmp_path)

        small = page.locator("#wheel").bounding_box()
        page.locator("#wheel-open").click()
        dialog = page.locator("#wheel-dialog")
        dialog.wait_for(state="visible")
        large = page.locator("#wheel-large")
        page.wait_for_function("() => document.getElementById('wheel-large').naturalWidth > 0")
        box = large.bounding_box()
        assert box["width"] >= 2 * small["width"]  # on a phone, wider than the screen: moved around with a finger
        assert large.get_attribute("alt") == page.locator("#wheel").get_attribute("alt") != ""
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"wheel-{width}", tmp_path)
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.id") == "wheel-open"
        assert not opened.errors and not opened.outside
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_users_guide_is_linked_from_the_page_and_meets_wcag(
    browser: Any, server: Server, width: str, tmp_path: Path
) -> None:
    opened = _open(browser, server, viewport=WIDTHS[width], bypass_csp=True)
    page = opened.page
    try:
        page.get_by_role("link", name="Så använder du Styrbot").click()
        page.wait_for_url(f"{server.url}/hjalp")
        assert page.locator("h1").inner_text() == "Så använder du Styrbot"
        headings = page.locator("h2").all_inner_texts()
        assert headings == [
            "Vad kan jag fråga?",
            "Följdfrågor",
            "Så läser du ett svar",
            "Årshjulet, kalendern och påminnelser",
            "Det här gör Styrbot inte",
        ]
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"guide-{width}", tmp_path)
        page.get_by_role("link", name="Tillbaka till Styrbot").click()
        page.wait_for_selector("#municipality:enabled")
        assert not opened.errors and not opened.outside
    finally:
        page.context.close()


def test_a_fresh_install_answers_rules_at_once_and_documents_as_soon_as_they_are_read_in(
    browser: Any, tmp_path: Path
) -> None:
    """`styrbot serve` on an empty data directory reads in the demo corpus in the background (its vectors
    ship computed ahead): a rule question is answered meanwhile, and the first document question is
    answered from the documents once they are in."""
    env = clean_environment() | {
        "STYRBOT_DATA_DIR": str(tmp_path / "data"),
        "STYRBOT_DEMO": "1",
        "STYRBOT_DEMO_CORPUS": str(ROOT / "corpus"),
        "STYRBOT_ASK_PER_MINUTE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    process, lines = start_serve(env, tmp_path)
    try:
        url = started(process, lines)
        watched = _open(browser, Server(url, tmp_path / "data"))
        page = watched.page
        assert "fullmäktige" in _ask(page, "Vem beslutar om skattesatsen?").inner_text().lower()
        answer = _ask(page, "Vad menas med tillitsbaserat ledarskap?")
        assert "tillitsbaserat ledarskap" in answer.inner_text().lower() and answer.locator(".source").count() > 0
        assert not watched.errors and not watched.outside
        page.context.close()
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


def test_a_long_wait_for_an_answer_is_explained_while_it_lasts(watched: Watched) -> None:
    page = watched.page
    held: list[Any] = []  # the question's request, held back as a slow first reading-in would hold it
    page.route("**/api/v1/ask", lambda route: held.append(route))
    page.fill("#question", "Vad menas med tillitsbaserat ledarskap?")
    page.press("#question", "Enter")
    waiting = page.locator(".exchange").first.locator(".waiting")
    assert waiting.inner_text() == "Styrbot letar i årshjulet, reglerna och dokumenten …"
    page.wait_for_function("() => document.querySelector('.waiting').textContent.includes('medan dokumenten läses in')")
    assert held and "Första frågan efter en omstart kan ta upp till en halv minut" in waiting.inner_text()
    held[0].continue_()
    answer = page.locator(".exchange").first.locator(".answer")
    answer.wait_for()
    assert "tillitsbaserat ledarskap" in answer.inner_text().lower() and page.locator(".waiting").count() == 0


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_conversation_of_three_turns_then_a_new_question(
    browser: Any, server: Server, width: str, tmp_path: Path
) -> None:
    opened = _open_at(browser, server, width)
    page = opened.page
    try:
        new_question = page.locator("#new-question")
        assert not new_question.is_visible()  # nothing to start afresh from yet
        first = _ask(page, "När behandlar fullmäktige delårsrapporten?")
        assert "oktober" in first.locator(".answer-text").inner_text() and first.locator(".understood").count() == 0
        assert new_question.is_visible() and page.locator("#follow-hint").is_visible()

        second = _ask(page, "nej, jag menade årsredovisningen")
        understood = second.locator(".understood").inner_text()
        assert understood.startswith("Tolkat som: ”") and "årsredovisningen" in understood
        assert "april" in second.locator(".answer-text").inner_text()

        third = _ask(page, "var står det?")
        assert third.locator(".answer-text").inner_text().startswith("Det står i")
        assert third.locator(".sources > li").count() >= 1
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"conversation-{width}", tmp_path)

        new_question.click()
        assert page.locator(".exchange").count() == 0 and page.locator("#intro").is_visible()
        assert not new_question.is_visible() and page.evaluate("document.activeElement.id") == "question"
        assert "Ny fråga" in page.locator("#status").inner_text()
        alone = _ask(page, "och i Strängnäs?")  # nothing before it any more: not read as a follow-up
        assert alone.locator(".understood").count() == 0
        assert not opened.errors and not opened.outside
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_an_administrator_drafts_a_new_municipality_reviews_it_and_accepts_an_entry(
    browser: Any, server: Server, width: str, tmp_path: Path
) -> None:
    from tests.drafts import styrmodell

    municipality = f"prov_{width}"
    document = styrmodell(tmp_path / "styrmodell.docx")
    opened = _open(browser, server, viewport=WIDTHS[width], is_mobile=width == "phone", bypass_csp=True)
    page = opened.page
    try:
        page.goto(f"{server.url}/admin/profiler")
        assert page.locator("h1").inner_text() == "Ny kommun"
        assert not _axe_violations(page), _axe_violations(page)
        page.get_by_role("button", name="Gör utkast").click()  # nothing filled in: told what is missing
        assert page.locator("#draft-status").inner_text() == "Fyll i administratörsnyckeln."
        page.get_by_label("Administratörsnyckel").fill(TOKEN)
        page.get_by_label("Kommunens id").fill(municipality)
        page.get_by_label("Kommunens namn").fill("Provkommun")
        page.get_by_label("Dokument").set_input_files(str(document))
        page.get_by_role("button", name="Gör utkast").click()
        page.locator("#review").wait_for(state="visible")
        assert page.locator("#draft-status").inner_text() == "Utkastet är klart. Granska det nedan."
        summary = page.locator("#summary").inner_text()
        assert summary.startswith("Provkommun: ") and "0 godkända" in summary
        entries = page.locator(".entry")
        assert entries.count() >= 8
        budget = entries.filter(has_text="Händelse: Kommunfullmäktige fattar beslut om rambudgeten")
        assert (
            budget.locator("blockquote").inner_text()
            == "Kommunfullmäktige fattar beslut om rambudgeten varje år i juni."
        )
        assert "1. Budget" in budget.locator("dl").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"drafts-{width}", tmp_path)

        question = "När beslutar fullmäktige om rambudgeten?"
        assert "ingen har bekräftat ännu" in server.ask(question, municipality=municipality)["answer"]
        budget.get_by_role("checkbox").check()
        page.get_by_role("button", name="Godkänn markerade").click()
        page.wait_for_function("() => document.getElementById('accept-status').textContent.startsWith('Godkänt.')")
        assert "1 godkända" in page.locator("#summary").inner_text()
        assert (
            page.locator(".entry", has_text="fattar beslut om rambudgeten").locator(".done").inner_text() == "Godkänd"
        )
        answer = server.ask(question, municipality=municipality)  # the running server, no restart
        assert answer["facts"]["month"] == 6 and "ingen har bekräftat ännu" not in answer["answer"]
        assert not _axe_violations(page), _axe_violations(page)
        _screenshot(page, f"drafts-accepted-{width}", tmp_path)
        assert not opened.errors and not opened.outside
    finally:
        page.context.close()
