"""The web server (FastAPI): the REST API, the Slack HTTP endpoint and a health check.

The answering service is built once, when the app is created, and shared by every request; the
embedding model and the index load on the first question that needs documents, not per request.
`POST /slack/events` exists only when `SLACK_SIGNING_SECRET` and `SLACK_BOT_TOKEN` are set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from bot import texts
from bot.answering import Answerer, EmptyQuestion, Question
from rules import UnknownMunicipality


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
            thread = threading.Thread(target=_run_scheduler, args=(scheduler, stop), name="styrbot-reminders")
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
            detail = texts.UNKNOWN_MUNICIPALITY.format(municipality=exc.municipality, known=", ".join(exc.known))
            raise HTTPException(status_code=404, detail=detail) from None
        return answer.to_json()

    if slack is not None:
        from slack_bolt.adapter.fastapi import SlackRequestHandler

        handler = SlackRequestHandler(slack)

        @app.post("/slack/events", include_in_schema=False)
        async def slack_events(request: Request) -> Any:
            return await handler.handle(request)

    return app


def _run_scheduler(scheduler: Any, stop: threading.Event) -> None:
    try:
        scheduler.run(stop=stop)
    except Exception:  # the web server stays up; the failure is in the log
        log.exception("the reminder scheduler stopped")
