"""``/api/v1/bookings``: a booking for its conversation's token; the list for administrators."""

from __future__ import annotations

import hmac
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from starlette.concurrency import run_in_threadpool

from ...dialogue import Booking
from ...errors import BookingNotFound
from ..deps import BearerToken, ServicesDep, client_limit
from ..errors import ApiError, responses

router = APIRouter(prefix="/api/v1/bookings", tags=["bookings"], dependencies=[Depends(client_limit)])

_REFERENCE = re.compile(r"^[2-9A-HJ-NP-Z]{8}$")


def _known_shape(reference: str) -> str:
    reference = reference.upper()
    if not _REFERENCE.match(reference):
        raise BookingNotFound("no such booking")
    return reference


@router.get("", response_model=list[Booking], responses=responses(403, 422, 429, 503), summary="All bookings (admin)")
async def list_bookings(
    services: ServicesDep,
    admin_key: Annotated[str | None, Header(alias="X-Admin-Key")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[Booking]:
    """Needs ``X-Admin-Key`` equal to ``TICKETBOT_ADMIN_KEY``; disabled while that is unset."""
    expected = services.settings.admin_key
    if expected is None:
        raise ApiError(403, "forbidden", "the admin API is disabled: TICKETBOT_ADMIN_KEY is not set")
    given = (admin_key or "").encode()
    if not hmac.compare_digest(given, expected.get_secret_value().encode()):
        raise ApiError(403, "forbidden", "a valid X-Admin-Key header is required")
    return await run_in_threadpool(services.manager.bookings, limit=limit, offset=offset)


@router.get("/{reference}", response_model=Booking, responses=responses(401, 404, 429, 503), summary="Read a booking")
async def read(reference: str, services: ServicesDep, token: BearerToken) -> Booking:
    """With the token of the conversation that made the booking."""
    return await run_in_threadpool(services.manager.booking, reference=_known_shape(reference), token=token)


@router.post(
    "/{reference}/cancel", response_model=Booking, responses=responses(401, 404, 429, 503), summary="Cancel a booking"
)
async def cancel(reference: str, services: ServicesDep, token: BearerToken) -> Booking:
    """Idempotent: cancelling a cancelled booking returns it unchanged."""
    return await run_in_threadpool(services.manager.cancel_booking, reference=_known_shape(reference), token=token)
