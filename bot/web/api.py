"""The REST API of questions and the årshjul: ask, feedback, municipalities, deadlines, calendar, wheel."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from bot import texts
from bot.answering import Answer, Question
from bot.calendar.deadlines import deadlines_json
from bot.conversations import new_id
from bot.db import Feedback
from bot.facts import fact_rows, where
from bot.library import DocumentLibrary
from bot.services import Services
from bot.web.dependencies import LimitNeeded, RulesNeeded, ServicesNeeded, client_of
from bot.web.documents import document_url
from bot.web.errors import SwedishError, problems
from bot.web.limits import rate_limited_detail, retry_after
from bot.web.schemas import AnswerBody, AskRequest, Citation, FactRow, FeedbackRequest, Municipalities, Municipality
from rules import Rulebook, RulesEngine
from rules.calendar import today_in_stockholm
from rules.tags import checked_tags

WHEEL_YEARS = 5  # years before and after this one that a wheel may be drawn for
router = APIRouter(prefix="/api/v1")
MunicipalityQuery = Annotated[
    str | None, Query(description="Kommunens id eller namn, t.ex. ”Strängnäs” (standard: serverns kommun).")
]


def _rulebook(services: Services, rules: RulesEngine, municipality: str | None) -> Rulebook:
    return rules.rulebook(municipality or services.answerer.default_municipality)  # an unknown one: 404


@router.get("/municipalities", tags=["svar"])
def municipalities(services: ServicesNeeded, rules: RulesNeeded) -> Municipalities:
    """Kommunerna Styrbot kan svara för, och serverns standardkommun."""
    known = [Municipality(id=m, name=rules.rulebook(m).name) for m in rules.known]
    return Municipalities(default=services.answerer.default_municipality, municipalities=known)


@router.post("/ask", tags=["svar"], responses=problems(400, 404, 422, 429), response_model_exclude_unset=True)
async def ask(body: AskRequest, request: Request, services: ServicesNeeded, limit: LimitNeeded) -> AnswerBody:
    """Besvara en fråga: reglerna först (datum, vem beslutar, roller), sedan dokumenten, med källor."""
    wait = await run_in_threadpool(limit.take, client_of(request))  # off the event loop: it may ask the database
    if wait:
        raise SwedishError(429, rate_limited_detail(wait), headers={"Retry-After": str(retry_after(wait))})
    question = Question(body.question, body.municipality, id=body.id, channel="web")
    conversation = body.conversation_id or new_id()

    def answered() -> AnswerBody:
        answer = services.conversations.ask(question, f"web:{conversation}")
        return answer_body(dataclasses.replace(answer, conversation_id=conversation), services.library)

    return await run_in_threadpool(answered)  # rules, the model, the index: never on the event loop


@router.post("/feedback", status_code=204, tags=["svar"], responses=problems(422, 503))
def feedback(body: FeedbackRequest, services: ServicesNeeded) -> None:
    """Spara en 👍 eller 👎 på ett svar. Personen lagras inte; webbläsarens id bara som hash."""
    if services.database is None:
        raise SwedishError(503, texts.FEEDBACK_UNAVAILABLE)
    vote = Feedback(
        answer_ref=f"web:{body.answer}",
        voter=f"web:{body.client}",
        vote=body.vote,
        channel="web",
        kind=body.kind,
        municipality=body.municipality,
        question=body.question,
        sources=tuple(body.sources),
    )
    services.database.record_feedback(vote)


@router.get("/deadlines", tags=["årshjul"], responses=problems(404, 422))
def deadlines(
    services: ServicesNeeded,
    rules: RulesNeeded,
    municipality: MunicipalityQuery = None,
    start: Annotated[date | None, Query(alias="from", description="Första dagen (standard: i dag).")] = None,
    days: Annotated[int, Query(ge=1, le=3660, description="Antal dagar.")] = 365,
) -> list[dict[str, Any]]:
    """Kommande händelser i årshjulet med datum, ansvarig och källa (som `styrbot deadlines --json`)."""
    first = start or today_in_stockholm()
    rulebook = _rulebook(services, rules, municipality)
    return deadlines_json(rules, rulebook, first, first + timedelta(days=days - 1))


@router.get(
    "/calendar/{municipality}.ics",
    response_class=Response,
    tags=["årshjul"],
    responses={200: {"content": {"text/calendar": {}}}, **problems(400, 404)},
)
def calendar(
    municipality: str,
    services: ServicesNeeded,
    rules: RulesNeeded,
    tags: Annotated[str | None, Query(description="Bara händelser med någon av taggarna: ekonomi,bolag …")] = None,
) -> Response:
    """Årshjulet som kalender (RFC 5545) att prenumerera på i Outlook eller Google Kalender."""
    from bot.calendar.ics import calendar_feed, feed_period

    rulebook = _rulebook(services, rules, municipality)
    municipality = rulebook.municipality or municipality  # its id, however it was written ("Strängnäs")
    chosen = checked_tags(rulebook, (tags or "").split(","))  # an unknown one: 400
    first, last = feed_period(today_in_stockholm())
    headers = {
        "Content-Disposition": f'inline; filename="arshjul-{municipality}.ics"',
        "Cache-Control": "public, max-age=3600",
    }
    feed = calendar_feed(rules, municipality, first, last, chosen)
    return Response(feed, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get(
    "/wheel/{municipality}.png",
    response_class=Response,
    tags=["årshjul"],
    responses={200: {"content": {"image/png": {}}}, **problems(404, 422)},
)
async def wheel(
    municipality: str,
    services: ServicesNeeded,
    rules: RulesNeeded,
    year: Annotated[int | None, Query(description="Året, högst fem år bakåt eller framåt (standard: i år).")] = None,
) -> Response:
    """Årshjulet ritat som ett hjul: årets månader, händelserna på sina datum och dagens datum markerat."""
    municipality = _rulebook(services, rules, municipality).municipality or municipality  # its id
    today = today_in_stockholm()
    if year is not None and abs(year - today.year) > WHEEL_YEARS:  # each drawing costs a second
        first, last = today.year - WHEEL_YEARS, today.year + WHEEL_YEARS
        raise SwedishError(400, texts.WHEEL_YEAR.format(first=first, last=last))
    png = await run_in_threadpool(_wheel_png, rules, municipality, today, year or today.year)
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


def answer_body(answer: Answer, library: DocumentLibrary | None) -> AnswerBody:
    """The answer JSON, each citation linked to its original when the library has it."""
    payload = answer.to_json()
    citations = []
    for cited, citation in zip(payload.pop("citations"), answer.citations, strict=True):
        cited["where"] = where(citation)
        record = library.find(cited["source"], answer.municipality) if library is not None else None
        if record is not None:
            cited |= {"document": record.doc_id, "url": document_url(record, cited.get("page"))}
        citations.append(Citation(**cited))
    rows = [FactRow(label=label, value=value) for label, value in fact_rows(answer)]
    return AnswerBody(**payload, citations=citations, fact_rows=rows)


@functools.lru_cache(maxsize=64)  # 11 years × the municipalities of a deployment
def _wheel_png(rules: RulesEngine, municipality: str, today: date, year: int) -> bytes:
    """A drawn wheel, kept for the day: drawing takes about a second."""
    from bot.calendar.wheel import render

    return render(rules, municipality, today, year)
