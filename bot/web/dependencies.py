"""What a route needs, resolved per request from the app's state (`create_app` puts it there): the
services, the rules as the profiles read now, the document library, the question limit, the
administrator's check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot import texts
from bot.library import DocumentLibrary
from bot.services import Services
from bot.web.errors import SwedishError
from bot.web.limits import Limiter, RateLimiter, retry_after
from rules import RulesEngine

WRONG_TOKENS_PER_MINUTE = 10  # per client: guessing the administrator's token takes forever
BEARER = HTTPBearer(auto_error=False, description="Administratörsnyckeln (STYRBOT_ADMIN_TOKEN).")


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def rules(request: Request) -> RulesEngine:
    """The rules as the profiles read now (one look per request)."""
    return services(request).rules()


def library(request: Request) -> DocumentLibrary:
    """The document library; 404 on a server without one."""
    found = services(request).library
    if found is None:
        raise SwedishError(404, texts.DOCUMENTS_UNAVAILABLE)
    return found


def question_limit(request: Request) -> Limiter:
    found: Limiter = request.app.state.question_limit
    return found


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def administrator(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
) -> None:
    """Let an administrator through (STYRBOT_ADMIN_TOKEN as a bearer token): 403 when administration is
    off, 401 without the token or with a wrong one, 429 after too many wrong ones from one client."""
    token: str | None = request.app.state.admin_token
    guesses: RateLimiter = request.app.state.admin_guesses
    if token is None:
        raise SwedishError(403, texts.ADMIN_OFF)
    client = client_of(request)
    wait = guesses.waiting(client)
    if wait:  # too many wrong tokens: not even a right one is checked until the wait is over
        seconds = retry_after(wait)
        raise SwedishError(
            429, texts.ADMIN_TOO_MANY_GUESSES.format(seconds=seconds), headers={"Retry-After": str(seconds)}
        )
    if credentials is None:
        raise SwedishError(401, texts.ADMIN_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        guesses.take(client)
        raise SwedishError(401, texts.ADMIN_WRONG_TOKEN, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


ServicesNeeded = Annotated[Services, Depends(services)]
RulesNeeded = Annotated[RulesEngine, Depends(rules)]
LibraryNeeded = Annotated[DocumentLibrary, Depends(library)]
LimitNeeded = Annotated[Limiter, Depends(question_limit)]
AdministratorNeeded = Depends(administrator)
