"""The web server (FastAPI): the REST API (answers, the årshjul as a list, a calendar feed and a wheel
picture), the Slack HTTP endpoint and a health check.

The answering service is built once, when the app is created, and shared by every request; the
embedding model and the index load on the first question that needs documents, not per request.
`POST /slack/events` exists only when `SLACK_SIGNING_SECRET` and `SLACK_BOT_TOKEN` are set.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from bot import formatting, texts
from bot.answering import Answerer, EmptyQuestion, Question
from rules import Rulebook, RulesEngine, UnknownMunicipality
from rules.calendar import today_in_stockholm


class AskRequest(BaseModel):
    """A question to `POST /api/v1/ask`."""

    question: str = Field(description="Frågan, på svenska.")
    municipality: str | None = Field(default=None, description="Kommunens id (standard: serverns kommun).")
    id: str | None = Field(default=None, description="Ett id som skickas tillbaka i svaret.")


log = logging.getLogger(__name__)


def create_app(answerer: Answerer, slack: Any | None = None, scheduler: Any | None = None) -> FastAPI:
    """The app around one shared `Answerer`; `slack` is a bolt `App` to serve at `/slack/events`;
    `scheduler` (a `bot.scheduler.ReminderScheduler`) runs in a thread for the app's lifetime and is
    stopped cleanly at shutdown."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if scheduler is not None:
            thread = threading.Thread(target=run_scheduler, args=(scheduler, stop), name="styrbot-reminders")
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread is not None:
                thread.join(30)

    app = FastAPI(
        title="Styrbot",
        description="Svar om kommunens styrmodell, årshjul och roller – med källor.",
        lifespan=lifespan,
    )

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "municipality": answerer.default_municipality, "slack": slack is not None,
                "reminders": scheduler is not None}  # fmt: skip

    @app.post("/api/v1/ask")
    async def ask(request: AskRequest) -> dict[str, Any]:
        question = Question(request.question, request.municipality, id=request.id)
        try:
            answer = await run_in_threadpool(answerer.answer, question)  # rules, or the model: not on the loop
        except EmptyQuestion:
            raise HTTPException(status_code=400, detail=texts.EMPTY_QUESTION) from None
        except UnknownMunicipality as exc:
            raise _not_found(exc) from None
        return answer.to_json()

    rules = answerer.rules

    def rulebook_for(municipality: str | None) -> Rulebook:
        try:
            return rules.rulebook(municipality or answerer.default_municipality)
        except UnknownMunicipality as exc:
            raise _not_found(exc) from None

    @app.get("/api/v1/deadlines")
    def deadlines(
        municipality: Annotated[str | None, Query(description="Kommunens id (standard: serverns kommun).")] = None,
        start: Annotated[date | None, Query(alias="from", description="Första dagen (standard: i dag).")] = None,
        days: Annotated[int, Query(ge=1, le=3660, description="Antal dagar.")] = 365,
    ) -> list[dict[str, Any]]:
        """Kommande händelser i årshjulet med datum, ansvarig och källa (som `styrbot deadlines --json`)."""
        first = start or today_in_stockholm()
        return formatting.deadlines_json(rules, rulebook_for(municipality), first, first + timedelta(days=days - 1))

    @app.get("/api/v1/calendar/{municipality}.ics", response_class=Response,
             responses={200: {"content": {"text/calendar": {}}}})  # fmt: skip
    def calendar(
        municipality: str,
        tags: Annotated[str | None, Query(description="Bara händelser med någon av taggarna: ekonomi,bolag …")] = None,
    ) -> Response:
        """Årshjulet som kalender (RFC 5545) att prenumerera på i Outlook eller Google Kalender."""
        from bot.ics import calendar_feed, feed_period

        try:
            chosen = formatting.checked_tags(rulebook_for(municipality), (tags or "").split(","))
        except formatting.UnknownTag as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        first, last = feed_period(today_in_stockholm())
        body = calendar_feed(rules, municipality, first, last, chosen)
        headers = {"Content-Disposition": f'inline; filename="arshjul-{municipality}.ics"',
                   "Cache-Control": "public, max-age=3600"}  # fmt: skip
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    @app.get("/api/v1/wheel/{municipality}.png", response_class=Response,
             responses={200: {"content": {"image/png": {}}}})  # fmt: skip
    async def wheel(
        municipality: str,
        year: Annotated[int | None, Query(ge=2000, le=2100, description="Året (standard: i år).")] = None,
    ) -> Response:
        """Årshjulet ritat som ett hjul: årets månader, händelserna på sina datum och dagens datum markerat."""
        rulebook_for(municipality)
        today = today_in_stockholm()
        png = await run_in_threadpool(_wheel_png, rules, municipality, today, year or today.year)
        return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})

    if slack is not None:
        from slack_bolt.adapter.fastapi import SlackRequestHandler

        handler = SlackRequestHandler(slack)

        @app.post("/slack/events", include_in_schema=False)
        async def slack_events(request: Request) -> Any:
            return await handler.handle(request)

    return app


def _not_found(exc: UnknownMunicipality) -> HTTPException:
    detail = texts.UNKNOWN_MUNICIPALITY.format(municipality=exc.municipality, known=", ".join(exc.known))
    return HTTPException(status_code=404, detail=detail)


@functools.lru_cache(maxsize=32)
def _wheel_png(rules: RulesEngine, municipality: str, today: date, year: int) -> bytes:
    """A drawn wheel, kept for the day: drawing takes about a second."""
    from bot.wheel import render

    return render(rules, municipality, today, year)


def run_scheduler(scheduler: Any, stop: threading.Event) -> None:
    try:
        scheduler.run(stop=stop)
    except Exception:  # the web server stays up; the failure is in the log
        log.exception("the reminder scheduler stopped")
