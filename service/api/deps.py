"""Dependencies routes declare: the services, the caller's token, rate limits."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from .errors import ApiError
from .services import Services

__all__ = ["AdminKey", "BearerToken", "IdempotencyKey", "ServicesDep", "client_limit", "require_admin"]

_BEARER = re.compile(r"^Bearer ([A-Za-z0-9_\-]{16,128})$")
_KEY = re.compile(r"^[!-~]{1,128}$")


async def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


async def bearer_token(
    authorization: Annotated[str | None, Header(description="`Bearer <token>` of the conversation")] = None,
) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", "this needs the conversation's token: Authorization: Bearer <token>",
                       {"WWW-Authenticate": "Bearer"})  # fmt: skip
    match = _BEARER.match(authorization.strip())
    if match is None:
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'",
                       {"WWW-Authenticate": "Bearer"})  # fmt: skip
    return match.group(1)


BearerToken = Annotated[str, Depends(bearer_token)]


async def admin_key(
    key: Annotated[
        str | None, Header(alias="X-Admin-Key", description="The operator's key (`TICKETBOT_ADMIN_KEY`).")
    ] = None,
) -> str | None:
    return key


AdminKey = Annotated[str | None, Depends(admin_key)]


def require_admin(services: Services, given: str | None) -> None:
    """403 unless ``given`` is the configured admin key; always 403 while none is configured."""
    expected = services.settings.admin_key
    if expected is None:
        raise ApiError(403, "forbidden", "the admin API is disabled: TICKETBOT_ADMIN_KEY is not set")
    if not hmac.compare_digest((given or "").encode(), expected.get_secret_value().encode()):
        raise ApiError(403, "forbidden", "a valid X-Admin-Key header is required")


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Repeat a message safely: the same key gets the same answer (1-128 visible ASCII).",
            pattern=_KEY.pattern,
        ),
    ] = None,
) -> str | None:
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


async def _count(services: Services, hit: Callable[[str], int | None], key: str) -> int | None:
    """Counts in this process' memory take microseconds: the event loop does them. A shared
    store is a network round trip: a worker thread waits for it."""
    if services.limits.shared:
        return await run_in_threadpool(hit, key)
    return hit(key)


async def client_limit(request: Request) -> None:
    """Per-client-address limit, on every API call."""
    services: Services = request.app.state.services
    address = request.client.host if request.client else "unknown"
    wait = await _count(services, services.limits.client, address)
    if wait is not None:
        services.metrics.rate_limited.labels("client").inc()
        raise ApiError(429, "rate_limited", f"too many requests from this address; try again in {wait} s",
                       {"Retry-After": str(wait)})  # fmt: skip


async def conversation_limit(request: Request, conversation_id: str) -> None:
    services: Services = request.app.state.services
    wait = await _count(services, services.limits.conversation, conversation_id)
    if wait is not None:
        services.metrics.rate_limited.labels("conversation").inc()
        raise ApiError(429, "rate_limited", f"too many messages in this conversation; try again in {wait} s",
                       {"Retry-After": str(wait)})  # fmt: skip
