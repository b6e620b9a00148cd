"""What operators and orchestrators ask the server: liveness (`/healthz`), readiness (`/readyz`), metrics
(`/metrics`, Prometheus), and a structured log line and a latency observation for every request.

Liveness says the process answers at all: restart it if not. Readiness says it should get traffic: the
database answers, the document index is not being opened or filled (the demo ingest takes seconds), a
configured Chroma server answers its heartbeat, and the server is not shutting down. A load balancer
takes a replica out while it is not ready and puts it back by itself.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("styrbot.http")


class DrainingServer(uvicorn.Server):
    """uvicorn's server that marks the app as draining as soon as a shutdown begins (SIGTERM, SIGINT), so
    `/readyz` turns new traffic away while the answers under way finish (uvicorn waits for them, up to its
    `timeout_graceful_shutdown`); then the app's lifespan stops the reminder scheduler."""

    def handle_exit(self, sig: int, frame: Any) -> None:
        app = self.config.app
        if hasattr(app, "state") and not getattr(app.state, "draining", False):
            app.state.draining = True
            log.info("shutting down: finishing the requests under way", extra={"event": "shutdown", "signal": int(sig)})
        super().handle_exit(sig, frame)


class RequestMetrics:
    """ASGI middleware: each HTTP request's duration into `styrbot_http_request_duration_seconds` and one
    log line (method, route template, status, milliseconds): no path, query or client address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope)
            metrics.HTTP_SECONDS.labels(scope["method"], route, str(status)).observe(seconds)
            if route not in QUIET:
                log.info(
                    "request",
                    extra={
                        "event": "request",
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 1),
                    },
                )


QUIET = {"/healthz", "/readyz", "/metrics", "/static"}  # probed every few seconds: counted, not logged


def _route(scope: Scope) -> str:
    """The matched route's template ("/api/v1/documents/{doc_id}"); "unmatched" for a 404 of no route."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path is not None else "unmatched"


def router(services: Services, slack: bool, reminders: bool) -> APIRouter:
    ops = APIRouter(tags=["drift"])
    library, database = services.library, services.database

    @ops.get("/healthz")
    def healthz() -> dict[str, Any]:
        """Lever servern? (Liveness: svarar processen alls.)"""
        municipality = services.answerer.default_municipality
        return {"status": "ok", "municipality": municipality, "slack": slack, "reminders": reminders}

    @ops.get("/readyz", responses={503: {"description": "Inte redo: se checks."}})
    def readyz(request: Request) -> JSONResponse:
        """Ska servern få trafik? Databasen, dokumentindexet och Chroma-servern svarar, och den stängs inte ned."""
        checks = {"shutdown": "draining" if getattr(request.app.state, "draining", False) else "ok"}
        if database is not None:
            checks["database"] = _check(database.ping)
        if library is not None:
            checks["documents"] = library.readiness()
        ready = all(value in ("ok", "off") for value in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
        )

    @ops.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return ops


def _check(probe: Any) -> str:
    try:
        probe()
    except Exception as exc:  # any failure means not ready; the reason goes to the log, not the response
        log.warning("readiness check failed: %s", exc)
        return "failing"
    return "ok"
