"""Translate domain errors into HTTP answers with a reason, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError

from dealscout.accounts.auth import Unauthorized
from dealscout.core.errors import (
    BadInput,
    Conflict,
    DealscoutError,
    Forbidden,
    NotFound,
    Refused,
    Transient,
)

log = logging.getLogger(__name__)


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """Every 4xx/5xx answer: a one-line reason, or the list of invalid fields (422)."""

    detail: str | list[ValidationIssue]


# Documented on every /v1 route (OpenAPI), so clients and the schema fuzzer know them.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem, "description": description}
    for code, description in (
        (400, "Malformed request body (not JSON, not a form)"),
        (401, "Missing, unknown, expired or revoked token"),
        (403, "The caller's role may not do this"),
        (404, "No such object in the caller's workspace"),
        (409, "Conflicts with stored state: a duplicate name, the last admin"),
        (413, "Request body larger than the configured limit"),
        (422, "Invalid input: fields out of range, null, NUL characters, unsafe URLs"),
        (429, "Too many failed authentications or requests; see Retry-After"),
        (503, "A dependency is unavailable for now; retry later"),
    )
}

STATUS = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    BadInput: 422,
    Refused: 422,
    Transient: 503,
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DealscoutError)
    async def _domain_error(_request: Request, exc: DealscoutError) -> JSONResponse:
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422 without the offending input echoed back: it may be huge, hold a
        secret, or be a float JSON cannot carry (``Infinity``)."""
        detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, _exc: IntegrityError) -> JSONResponse:
        """A race past the service's own checks (two creates of one name): no 500."""
        return JSONResponse({"detail": "conflicts with a stored record"}, status_code=409)

    @app.exception_handler(DataError)
    async def _data(_request: Request, _exc: DataError) -> JSONResponse:
        return JSONResponse({"detail": "a value is out of range for storage"}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "internal error"}, status_code=500)
