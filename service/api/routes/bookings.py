"""``/api/v1/bookings``: a booking for its conversation's token; the list for administrators."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from ...dialogue import Booking
from ...errors import BookingNotFound
from ..deps import AdminKey, BearerToken, ServicesDep, client_limit, require_admin
from ..errors import responses

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
    admin_key: AdminKey,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[Booking]:
    """Needs ``X-Admin-Key`` equal to ``TICKETBOT_ADMIN_KEY``; disabled while that is unset. The
    bookings include their travellers' names: personal data, for operators only."""
    require_admin(services, admin_key)
    return await run_in_threadpool(services.manager.bookings, limit=limit, offset=offset)


@router.get("/{reference}", response_model=Booking, responses=responses(401, 404, 429, 503), summary="Read a booking")
async def read(reference: str, services: ServicesDep, token: BearerToken) -> Booking:
    """With the token of the conversation that made the booking (it holds the traveller's name)."""
    return await run_in_threadpool(services.manager.booking, reference=_known_shape(reference), token=token)


@router.post(
    "/{reference}/cancel", response_model=Booking, responses=responses(401, 404, 429, 503), summary="Cancel a booking"
)
async def cancel(reference: str, services: ServicesDep, token: BearerToken) -> Booking:
    """Idempotent: cancelling a cancelled booking returns it unchanged."""
    return await run_in_threadpool(services.manager.cancel_booking, reference=_known_shape(reference), token=token)
