"""The REST API of questions and the årshjul: ask, feedback, municipalities, deadlines, calendar, wheel."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from bot import texts
from bot.answering import MAX_QUESTION_CHARS, Answer, AnswerKind, Question
from bot.calendar.deadlines import deadlines_json
from bot.db import Feedback
from bot.facts import fact_rows, where
from bot.web.documents import document_url
from bot.web.errors import SwedishError, problems
from bot.web.limits import Limiter, rate_limited_detail, retry_after
from rules import Rulebook, RulesEngine
from rules.calendar import today_in_stockholm
from rules.tags import checked_tags

if TYPE_CHECKING:  # the library loads Chroma; a server without documents never imports it
    from bot.library import DocumentLibrary
    from bot.services import Services

WHEEL_YEARS = 5  # years before and after this one that a wheel may be drawn for


class AskRequest(BaseModel):
    """A question to `POST /api/v1/ask`."""

    question: str = Field(description="Frågan, på svenska.", max_length=MAX_QUESTION_CHARS)
    municipality: str | None = Field(default=None, description="Kommunens id (standard: serverns kommun).")
    id: str | None = Field(default=None, description="Ett id som skickas tillbaka i svaret.", max_length=200)


class Citation(BaseModel):
    source: str = Field(description="Filnamnet, eller lagen.")
    title: str
    page: int | None = Field(description="Sidan eller bilden; null för format utan sidor.")
    section: str | None
    text: str = Field(description="Det citerade stycket.")
    where: str = Field(default="", description="Var i källan: sidan (eller bilden) och avsnittet.")
    document: str | None = Field(default=None, description="Dokumentets id när originalet finns att hämta.")
    url: str | None = Field(default=None, description="Länk till originalet, på rätt sida (#page=N för PDF).")


class FactRow(BaseModel):
    label: str
    value: str


class AnswerBody(BaseModel):
    """The answer JSON of the contract, with links to the original documents and the facts as labelled rows."""

    id: str | None = None
    question: str
    municipality: str | None
    kind: AnswerKind
    answer: str = Field(description="Svaret, på svenska.")
    facts: dict[str, Any]
    citations: list[Citation] = Field(description="Källorna, bäst först.")
    abstained: bool = Field(description="Sant när dokumenten och reglerna inte ger något svar.")
    fact_rows: list[FactRow] = Field(default_factory=list, description="Fakta att visa, med svenska etiketter.")


class FeedbackRequest(BaseModel):
    """A 👍 or 👎 on an answer shown on the web page."""

    answer: str = Field(description="Svarets id på sidan.", min_length=1, max_length=100)
    vote: Literal["up", "down"]
    client: str = Field(description="Webbläsarens slumpade id (lagras bara som hash).", min_length=8, max_length=100)
    question: str = Field(default="", max_length=MAX_QUESTION_CHARS)
    kind: str = Field(default="", max_length=32)
    municipality: str = Field(default="", max_length=64)
    sources: list[str] = Field(default_factory=list, max_length=20)


class Municipality(BaseModel):
    id: str
    name: str


class Municipalities(BaseModel):
    default: str
    municipalities: list[Municipality]


def router(services: Services, limiter: Limiter) -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    answerer, library, database, rules = services.answerer, services.library, services.database, services.rules

    def rulebook_for(municipality: str | None) -> Rulebook:
        return rules().rulebook(municipality or answerer.default_municipality)  # an unknown one: 404

    @api.get("/municipalities", tags=["svar"])
    def municipalities() -> Municipalities:
        """Kommunerna Styrbot kan svara för, och serverns standardkommun."""
        current = rules()
        known = [Municipality(id=m, name=current.rulebook(m).name) for m in current.known]
        return Municipalities(default=answerer.default_municipality, municipalities=known)

    @api.post("/ask", tags=["svar"], responses=problems(400, 404, 422, 429), response_model_exclude_unset=True)
    async def ask(body: AskRequest, request: Request) -> AnswerBody:
        """Besvara en fråga: reglerna först (datum, vem beslutar, roller), sedan dokumenten, med källor."""
        # off the event loop: a shared limit asks the database
        wait = await run_in_threadpool(limiter.take, request.client.host if request.client else "")
        if wait:
            raise SwedishError(429, rate_limited_detail(wait), headers={"Retry-After": str(retry_after(wait))})
        question = Question(body.question, body.municipality, id=body.id, channel="web")

        def answered() -> AnswerBody:
            return answer_body(answerer.answer(question), library)

        return await run_in_threadpool(answered)  # rules, the model, the index: never on the event loop

    @api.post("/feedback", status_code=204, tags=["svar"], responses=problems(422, 503))
    def feedback(body: FeedbackRequest) -> None:
        """Spara en 👍 eller 👎 på ett svar. Personen lagras inte; webbläsarens id bara som hash."""
        if database is None:
            raise SwedishError(503, texts.FEEDBACK_UNAVAILABLE)
        database.record_feedback(
            Feedback(
                answer_ref=f"web:{body.answer}",
                voter=f"web:{body.client}",
                vote=body.vote,
                channel="web",
                kind=body.kind,
                municipality=body.municipality,
                question=body.question,
                sources=tuple(body.sources),
            )
        )

    @api.get("/deadlines", tags=["årshjul"], responses=problems(404, 422))
    def deadlines(
        municipality: Annotated[str | None, Query(description="Kommunens id (standard: serverns kommun).")] = None,
        start: Annotated[date | None, Query(alias="from", description="Första dagen (standard: i dag).")] = None,
        days: Annotated[int, Query(ge=1, le=3660, description="Antal dagar.")] = 365,
    ) -> list[dict[str, Any]]:
        """Kommande händelser i årshjulet med datum, ansvarig och källa (som `styrbot deadlines --json`)."""
        first = start or today_in_stockholm()
        return deadlines_json(rules(), rulebook_for(municipality), first, first + timedelta(days=days - 1))

    @api.get(
        "/calendar/{municipality}.ics",
        response_class=Response,
        tags=["årshjul"],
        responses={200: {"content": {"text/calendar": {}}}, **problems(400, 404)},
    )
    def calendar(
        municipality: str,
        tags: Annotated[str | None, Query(description="Bara händelser med någon av taggarna: ekonomi,bolag …")] = None,
    ) -> Response:
        """Årshjulet som kalender (RFC 5545) att prenumerera på i Outlook eller Google Kalender."""
        from bot.calendar.ics import calendar_feed, feed_period

        chosen = checked_tags(rulebook_for(municipality), (tags or "").split(","))  # an unknown one: 400
        first, last = feed_period(today_in_stockholm())
        body = calendar_feed(rules(), municipality, first, last, chosen)
        headers = {
            "Content-Disposition": f'inline; filename="arshjul-{municipality}.ics"',
            "Cache-Control": "public, max-age=3600",
        }
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    @api.get(
        "/wheel/{municipality}.png",
        response_class=Response,
        tags=["årshjul"],
        responses={200: {"content": {"image/png": {}}}, **problems(404, 422)},
    )
    async def wheel(
        municipality: str,
        year: Annotated[
            int | None, Query(description="Året, högst fem år bakåt eller framåt (standard: i år).")
        ] = None,
    ) -> Response:
        """Årshjulet ritat som ett hjul: årets månader, händelserna på sina datum och dagens datum markerat."""
        rulebook_for(municipality)
        today = today_in_stockholm()
        if year is not None and abs(year - today.year) > WHEEL_YEARS:  # each drawing costs a second
            raise SwedishError(
                400, texts.WHEEL_YEAR.format(first=today.year - WHEEL_YEARS, last=today.year + WHEEL_YEARS)
            )
        png = await run_in_threadpool(_wheel_png, rules(), municipality, today, year or today.year)
        return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})

    return api


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
