"""Limits that keep one client from hurting the others: questions per minute, and the size of an upload.

The question limit is a token bucket per client. On one process it lives in memory (`RateLimiter`);
replicas sharing PostgreSQL share the buckets in it (`SharedRateLimiter`), so a client gets `per_minute`
however the load balancer spreads its questions. Clients are told apart by their address
(`request.client.host`); behind a proxy, `STYRBOT_TRUSTED_PROXIES` makes this the person's address (from
the proxy's X-Forwarded-For) and not the proxy's.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from bot import texts

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]
log = logging.getLogger(__name__)
MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries, headers and small fields, on top of the files


class Limiter(Protocol):
    """Spends one request of a client: 0.0 when allowed, otherwise the seconds until it may ask again."""

    def take(self, client: str) -> float: ...


class RateLimiter:
    """A token bucket per client: `per_minute` requests a minute, at most `per_minute` at once."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one request: 0.0 when allowed, otherwise the seconds until the client may ask again."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens = self._tokens(client, now)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._forget_idle(now)
            return 0.0

    def waiting(self, client: str) -> float:
        """The seconds until the client may try again (0.0 when it may now), without spending anything."""
        if self.capacity <= 0:
            return 0.0
        with self._lock:
            tokens = self._tokens(client, self.clock())
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def _tokens(self, client: str, now: float) -> float:
        """The client's tokens at `now`: what was left, refilled since (a new client's bucket is full)."""
        tokens, then = self._buckets.get(client, (self.capacity, now))
        return min(self.capacity, tokens + (now - then) * self.rate)

    def _forget_idle(self, now: float) -> None:
        """Drop the buckets that have filled up again: those clients are as if never seen."""
        full = 60.0  # a bucket is full again at most a minute after its last request
        self._buckets = {c: (t, w) for c, (t, w) in self._buckets.items() if now - w < full}


class SharedRateLimiter:
    """The same token bucket kept in the shared database, for replicas: `take` as `RateLimiter.take`.
    A database that does not answer lets the question through (the limit protects the service, it
    must not take it down); readiness reports the database."""

    def __init__(self, database: Any, per_minute: int) -> None:
        self.database = database
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0

    def take(self, client: str) -> float:
        if self.capacity <= 0:
            return 0.0
        try:
            return float(self.database.take_token(client, self.capacity, self.rate))
        except Exception as exc:
            log.warning("the shared question limit could not be read: %s", exc)
            return 0.0


def retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds))


def rate_limited_detail(seconds: float) -> str:
    return texts.RATE_LIMITED.format(seconds=retry_after(seconds))


class BodyLimit:
    """ASGI middleware: a POST to one of the `upload_paths` may carry at most `upload_limit` bytes of files,
    any other request at most `limit` bytes (questions, feedback, Slack's events are small).

    A declared Content-Length over the limit is refused before a byte is read; a body that grows past it
    while streaming (chunked, or a lying header) is cut off and the response replaced by the same 413.
    """

    def __init__(self, app: Any, upload_paths: tuple[str, ...], upload_limit: int, limit: int = 1024 * 1024) -> None:
        self.app, self.upload_paths, self.upload_limit, self.other_limit = app, upload_paths, upload_limit, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"] in self.upload_paths
        limit = self.upload_limit + MULTIPART_OVERHEAD if upload else self.other_limit
        if upload:
            megabytes = f"{self.upload_limit / 1024 / 1024:g}".replace(".", ",")
            refusal = texts.UPLOAD_TOO_LARGE.format(limit=megabytes)
        else:
            refusal = texts.REQUEST_TOO_LARGE
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, refusal)
            return
        seen = 0
        over = False

        async def counting() -> Any:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    return {"type": "http.disconnect"}  # the form parser stops reading here
            return message

        replaced = False

        async def replacing(message: dict[str, Any]) -> None:
            nonlocal replaced
            if not over:
                await send(message)
            elif not replaced:
                replaced = True
                await _refuse(send, refusal)

        try:
            await self.app(scope, counting, replacing)
        except Exception:
            if not over:  # a real failure; a body cut off by us is answered below
                raise
        if over and not replaced:
            await _refuse(send, refusal)


async def _refuse(send: Send, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware: every response gets a Content-Security-Policy without inline script (unless the
    route set a stricter one of its own) and the usual hardening headers."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    )

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.POLICY.encode()))
                headers += [(n, v) for n, v in self.HEADERS if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
