"""Every 4xx the API answers is JSON with a Swedish `detail` a person can act on.

FastAPI's own errors (an unknown route, a wrong method, a request that fails validation) arrive here in
English and leave in Swedish; validation errors also list each problem by field. The bot's and the rules'
errors (`bot.errors`) leave as their one Swedish wording: an unknown municipality as 404, the rest 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import texts
from bot.errors import BotError, swedish
from rules import RulesError, UnknownMunicipality


class SwedishError(HTTPException):
    """An HTTP error whose `detail` is ours, in Swedish, for a person. Only these details reach the client
    as they are; any other error (FastAPI's, Starlette's, a library's) gets a Swedish text of its status."""


class Problem(BaseModel):
    """An error: what is wrong, in Swedish."""

    detail: str = Field(description="Vad som är fel och vad du kan göra, på svenska.")


class FieldProblem(BaseModel):
    field: str = Field(description="Fältet eller parametern.")
    message: str = Field(description="Vad som är fel med det, på svenska.")


class Invalid(Problem):
    """A request that failed validation, with each problem."""

    errors: list[FieldProblem]


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses (422 with its per-field list)."""
    return {
        status: {"model": Invalid if status == 422 else Problem, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


_MESSAGES = {
    "missing": texts.HTTP_FIELD_MISSING,
    "string_type": texts.HTTP_FIELD_TEXT,
    "int_parsing": texts.HTTP_FIELD_NUMBER,
    "int_type": texts.HTTP_FIELD_NUMBER,
    "int_from_float": texts.HTTP_FIELD_NUMBER,
    "date_parsing": texts.HTTP_FIELD_DATE,
    "date_from_datetime_parsing": texts.HTTP_FIELD_DATE,
    "date_type": texts.HTTP_FIELD_DATE,
    "greater_than": texts.HTTP_FIELD_RANGE,
    "greater_than_equal": texts.HTTP_FIELD_RANGE,
    "less_than": texts.HTTP_FIELD_RANGE,
    "less_than_equal": texts.HTTP_FIELD_RANGE,
    "json_invalid": texts.HTTP_FIELD_JSON,
    "string_too_long": texts.HTTP_FIELD_TOO_LONG,
    "too_long": texts.HTTP_FIELD_TOO_MANY,
    "string_too_short": texts.HTTP_FIELD_TOO_SHORT,
    "literal_error": texts.HTTP_FIELD_ONE_OF,
}


def field_problem(error: dict[str, Any]) -> FieldProblem:
    """One pydantic error as (field, Swedish message)."""
    location: Sequence[Any] = error.get("loc", ())
    names = [str(part) for part in location[1:] if not isinstance(part, int)] if len(location) > 1 else []
    name = ".".join(names) or texts.HTTP_BODY
    template = _MESSAGES.get(str(error.get("type")), texts.HTTP_FIELD_INVALID)
    context = {k: str(v).replace("'", "").replace(" or ", " eller ") for k, v in (error.get("ctx") or {}).items()}
    try:
        message = template.format(field=name, **context)
    except (KeyError, IndexError):  # a context pydantic did not give this time
        message = texts.HTTP_FIELD_INVALID.format(field=name)
    return FieldProblem(field=name, message=message)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into Swedish JSON."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, SwedishError):
            detail = str(exc.detail)
        elif exc.status_code == 404:
            detail = texts.HTTP_NOT_FOUND
        elif exc.status_code == 405:
            detail = texts.HTTP_METHOD.format(method=request.method)
        elif exc.status_code == 400:  # a body that cannot be parsed: a broken form, multipart or JSON
            detail = texts.HTTP_BAD_BODY  # (an upload's broken form is answered by its route)
        else:
            detail = texts.HTTP_ERROR.format(status=exc.status_code)
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(BotError)
    @app.exception_handler(RulesError)
    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownMunicipality) else 400
        return JSONResponse({"detail": swedish(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        found = [field_problem(error) for error in exc.errors()]
        unique = list(dict.fromkeys(p.message for p in found))
        body = Invalid(detail=texts.HTTP_INVALID.format(problems="; ".join(unique)), errors=found)
        return JSONResponse(body.model_dump(), status_code=422)
