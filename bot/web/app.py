"""The web server (FastAPI): the chat page, the REST API (answers, the årshjul as a list, a calendar feed
and a wheel picture, the documents), the Slack and Teams HTTP endpoints, liveness, readiness and metrics (`ops`).

The answering service is built once, when the app is created, and shared by every request; the
embedding model and the index load on the first question that needs documents, not per request.
`POST /slack/events` exists only when a bolt app is given (`SLACK_SIGNING_SECRET` and `SLACK_BOT_TOKEN`), and
`POST /api/messages` only when a Teams bot is (`TEAMS_APP_ID`, `TEAMS_APP_SECRET` and `TEAMS_TENANT_ID`).
The page is plain HTML, CSS and JavaScript from `static/`, with no build step and no inline script, so
the Content-Security-Policy can forbid inline script everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from bot import texts
from bot.web import api, documents, errors, ops, profiles
from bot.web.dependencies import WRONG_TOKENS_PER_MINUTE
from bot.web.errors import SwedishError
from bot.web.limits import BodyLimit, RateLimiter, SecurityHeaders, SharedRateLimiter

if TYPE_CHECKING:
    from bot.reminders.scheduler import ReminderScheduler
    from bot.services import Services
    from bot.settings import Settings

STATIC = Path(__file__).with_name("static")
GUIDE = "/hjalp"  # the users' guide
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    """What the web server allows: administration (with its token), upload size, questions per minute."""

    admin_token: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    ask_per_minute: int = 30  # per client (shared by replicas on PostgreSQL); 0: no limit

    @classmethod
    def from_settings(cls, settings: Settings) -> WebConfig:
        return cls(settings.admin_token, int(settings.max_upload_mb * 1024 * 1024), settings.ask_per_minute)


def create_app(
    services: Services,
    slack: Any | None = None,
    scheduler: ReminderScheduler | None = None,
    *,
    config: WebConfig | None = None,
    teams: Any | None = None,
) -> FastAPI:
    """The app around one `Services`, shared by every request: its library serves and changes the
    documents, its database (when there is one) keeps feedback. `slack` is a bolt `App` to serve at
    `/slack/events`, `teams` the Teams bot to serve at `/api/messages`; `scheduler` runs for the app's
    lifetime and is stopped cleanly at shutdown."""
    config = config or WebConfig()
    app = FastAPI(
        title="Styrbot",
        version=_version(),
        description="Svar om kommunens styrmodell, årshjul och roller – med källor.",
        lifespan=_running(scheduler),
        docs_url=None,  # Swagger UI needs inline script and a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    errors.install(app)
    uploads = (documents.PATH, profiles.PATH)
    app.add_middleware(BodyLimit, upload_paths=uploads, upload_limit=config.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ops.RequestMetrics)  # outermost: it times and counts everything, refusals too
    _keep(app.state, services, config)
    app.get("/", include_in_schema=False)(_page)
    app.get(GUIDE, include_in_schema=False)(_guide)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(ops.router(services, slack is not None, scheduler is not None))
    app.include_router(api.router)
    app.include_router(documents.router)
    app.include_router(profiles.router)
    app.get(profiles.PAGE, include_in_schema=False)(_profiles_page)
    if slack is not None:
        _serve_slack(app, slack)
    if teams is not None:
        _serve_teams(app, teams)
    return app


def _running(scheduler: ReminderScheduler | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the reminder scheduler runs while the app does."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with scheduler.running() if scheduler is not None else nullcontext():
            yield

    return lifespan


def _keep(state: Any, services: Services, config: WebConfig) -> None:
    """What the routes need, resolved per request (`bot.web.dependencies`)."""
    state.services = services
    state.draining = False  # set when a shutdown begins: /readyz turns away new traffic
    database = services.database
    shared = database is not None and database.shared
    state.question_limit = (
        SharedRateLimiter(database, config.ask_per_minute)
        if shared and database is not None
        else RateLimiter(config.ask_per_minute)
    )
    state.admin_token = config.admin_token
    state.admin_guesses = RateLimiter(WRONG_TOKENS_PER_MINUTE)  # wrong tokens per client, in this process


def _page() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


def _guide() -> FileResponse:
    """The users' guide, in Swedish, linked from the page."""
    return FileResponse(STATIC / "hjalp.html", headers={"Cache-Control": "no-cache"})


def _profiles_page() -> FileResponse:
    """The administrators' page for a new municipality's profile (its API asks for the token)."""
    return FileResponse(STATIC / "profiler.html", headers={"Cache-Control": "no-cache"})


def _serve_teams(app: FastAPI, teams: Any) -> None:
    """`POST /api/messages`: the Teams bot (`bot.teams.Teams`), behind the Agents SDK's own token validation
    (a request whose token is not the Bot Connector's for this bot gets 401, and nothing is answered)."""
    from microsoft_agents.hosting.fastapi import jwt_authorization_decorator

    app.state.agent_configuration = teams.auth  # what the SDK's validation reads

    async def teams_messages(request: Request) -> Any:
        return await teams.process(request)

    # the SDK's decorator carries no annotations; it keeps the handler's signature for FastAPI
    authorized: Callable[[Request], Awaitable[Any]] = jwt_authorization_decorator(teams_messages)  # type: ignore[no-untyped-call]
    app.post("/api/messages", include_in_schema=False)(authorized)


def _serve_slack(app: FastAPI, slack: Any) -> None:
    """`POST /slack/events`: the bolt app, behind a check bolt itself does not make."""
    from slack_bolt.adapter.fastapi import SlackRequestHandler

    handler = SlackRequestHandler(slack)

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Any:
        # bolt's verifier raises on a timestamp that is not a number (a 500 with a traceback): refused here
        if not request.headers.get("x-slack-request-timestamp", "").isdigit():
            raise SwedishError(401, texts.SLACK_UNVERIFIED)
        return await handler.handle(request)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("styrbot")
    except PackageNotFoundError:
        return "0"
