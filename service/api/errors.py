"""One error shape for everything: ``{"error": {"code", "message"}}``, never a stack trace.

Domain errors map to HTTP here, in one table, so routes stay thin. Anything unexpected
is logged with its traceback and answered with a bare 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    BookingNotFound,
    CommitOutcomeUnknown,
    ConversationNotFound,
    IdempotencyKeyReused,
    ServiceError,
    StorageUnavailable,
)
from .schemas import ErrorResponse

__all__ = ["ApiError", "error_response", "install_error_handlers", "responses"]

log = logging.getLogger("ticketbot.api")
RETRY_AFTER_S = 2


class ApiError(Exception):
    """An error a route raises on purpose, with its status, code and message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_DOMAIN: dict[type[ServiceError], tuple[int, str, str]] = {
    ConversationNotFound: (404, "not_found", "no conversation with this id opens with this token"),
    BookingNotFound: (404, "not_found", "no booking with this reference for this token"),
    IdempotencyKeyReused: (409, "idempotency_key_reused", "this Idempotency-Key was already used for another message"),
}

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type",
                 429: "rate_limited"}  # fmt: skip


def _describe(errors: list[dict[str, Any]]) -> tuple[int, str, str]:
    """A readable message for pydantic's errors; malformed JSON is a 400, the rest 422."""
    for error in errors:
        if error.get("type") == "json_invalid":
            return 400, "malformed_json", f"the body is not valid JSON ({error.get('ctx', {}).get('error', '')})"
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body",)) or "body"
        message = str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        if error.get("type") == "string_type":
            message = "must be a string"
        elif error.get("type") == "missing":
            message = "is required"
        elif error.get("type") == "extra_forbidden":
            message = "is not a known field"
        elif error.get("type") in ("model_attributes_type", "dict_type"):
            message = "must be a JSON object"
        parts.append(f"{where}: {message}" if not message.startswith(where) else message)
    return 422, "invalid_request", "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        status, code, message = _describe(list(error.errors()))
        return error_response(status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else "request failed"
        if error.status_code == 404 and message == "Not Found":
            message = "no such resource"
        return error_response(error.status_code, code, message, getattr(error, "headers", None))

    @app.exception_handler(StorageUnavailable)
    async def _unavailable(_: Request, error: StorageUnavailable) -> JSONResponse:
        if isinstance(error, CommitOutcomeUnknown):
            message = (
                f"{error}; the outcome is unknown: send the same message again with the same Idempotency-Key"
            )
        else:
            message = f"{error}; nothing was saved, try again shortly"
        return error_response(503, "unavailable", message, {"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, error: DBAPIError) -> JSONResponse:
        log.warning("database error: %s", error.__class__.__name__)
        return error_response(
            503, "unavailable", "the database is unavailable; try again shortly", {"Retry-After": str(RETRY_AFTER_S)}
        )

    @app.exception_handler(ServiceError)
    async def _domain(_: Request, error: ServiceError) -> JSONResponse:
        for kind, (status, code, message) in _DOMAIN.items():
            if isinstance(error, kind):
                return error_response(status, code, message)
        log.error("unmapped service error", exc_info=error)
        return error_response(500, "internal_error", "something went wrong on our side")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=error)
        return error_response(500, "internal_error", "something went wrong on our side")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer."""
    described = {
        400: "Malformed JSON", 401: "Missing or malformed bearer token", 403: "Forbidden",
        404: "Not found (or not yours: the same answer)", 409: "Idempotency-Key reused for another message",
        422: "Invalid request", 429: "Rate limited (see Retry-After)", 503: "Database unavailable (see Retry-After)",
    }  # fmt: skip
    return {s: {"model": ErrorResponse, "description": described[s]} for s in statuses}
