"""Repository functions: every query ticketbot runs, with keyword arguments, inside the caller's session.

They never commit: the manager owns the transaction, so a turn, its state and the
booking it makes are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..dialogue.domain import Arrival, Booking, City, Departure, Slots
from .tables import BookingRow, ConversationRow, TurnRow

__all__ = [
    "add_booking",
    "add_conversation",
    "add_turn",
    "booking_row",
    "cancel_booking",
    "get_conversation",
    "list_bookings",
    "list_turns",
    "save_state",
    "to_booking",
    "turn_by_key",
]


def add_conversation(
    session: Session, *, conversation_id: str, token_hash: str, state: dict[str, Any], status: str, now: dt.datetime
) -> ConversationRow:
    row = ConversationRow(
        id=conversation_id, token_hash=token_hash, state=state, status=status, created_at=now, updated_at=now
    )
    session.add(row)
    session.flush()
    return row


def get_conversation(session: Session, *, conversation_id: str, lock: bool = False) -> ConversationRow | None:
    """The conversation; ``lock`` holds its row until the transaction ends (PostgreSQL; SQLite
    already holds the database's write lock)."""
    statement = select(ConversationRow).where(ConversationRow.id == conversation_id)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def save_state(
    session: Session, *, conversation: ConversationRow, state: dict[str, Any], status: str, now: dt.datetime
) -> None:
    """Write the new state; raises ``StaleDataError`` if someone else wrote since it was read."""
    conversation.state = state
    conversation.status = status
    conversation.updated_at = now
    session.flush()


def add_turn(
    session: Session,
    *,
    conversation_id: str,
    seq: int,
    user_text: str | None,
    reply: str,
    tags: list[list[str]],
    intent: str | None,
    intent_confidence: float | None,
    status: str,
    idempotency_key: str | None,
    response: dict[str, Any],
    now: dt.datetime,
    tagger_ms: float | None = None,
    handling_ms: float | None = None,
) -> TurnRow:
    row = TurnRow(
        conversation_id=conversation_id,
        seq=seq,
        user_text=user_text,
        reply=reply,
        tags=tags,
        intent=intent,
        intent_confidence=intent_confidence,
        status=status,
        idempotency_key=idempotency_key,
        response=response,
        created_at=now,
        tagger_ms=tagger_ms,
        handling_ms=handling_ms,
    )
    session.add(row)
    session.flush()
    return row


def turn_by_key(session: Session, *, conversation_id: str, idempotency_key: str) -> TurnRow | None:
    statement = select(TurnRow).where(
        TurnRow.conversation_id == conversation_id, TurnRow.idempotency_key == idempotency_key
    )
    return session.scalars(statement).one_or_none()


def list_turns(session: Session, *, conversation_id: str) -> list[TurnRow]:
    statement = select(TurnRow).where(TurnRow.conversation_id == conversation_id).order_by(TurnRow.seq)
    return list(session.scalars(statement))


def add_booking(
    session: Session, *, conversation_id: str, reference: str, slots: Slots, now: dt.datetime
) -> BookingRow:
    """Store a confirmed booking of complete slots."""
    destination, arrival, origin, departure = slots.destination, slots.arrival, slots.origin, slots.departure
    if destination is None or arrival is None:
        raise ValueError("a booking needs a destination and an arrival")
    row = BookingRow(
        reference=reference,
        conversation_id=conversation_id,
        status="confirmed",
        destination_city=destination.city,
        destination_airports=list(destination.airports),
        destination_timezone=destination.timezone,
        arrival_date=arrival.date,
        arrival_time=arrival.time,
        arrival_qualifier=arrival.qualifier,
        origin_city=origin.city if origin else None,
        origin_airports=list(origin.airports) if origin else None,
        origin_timezone=origin.timezone if origin else None,
        departure_date=departure.date if departure else None,
        departure_time=departure.time if departure else None,
        departure_qualifier=departure.qualifier if departure else None,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def booking_row(session: Session, *, reference: str, lock: bool = False) -> BookingRow | None:
    statement = select(BookingRow).where(BookingRow.reference == reference.upper())
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def cancel_booking(session: Session, *, row: BookingRow, now: dt.datetime) -> bool:
    """Cancel a booking; False if it already was (cancelling is idempotent)."""
    if row.status == "cancelled":
        return False
    row.status = "cancelled"
    row.updated_at = now
    row.cancelled_at = now
    session.flush()
    return True


def list_bookings(
    session: Session, *, conversation_id: str | None = None, limit: int = 100, offset: int = 0
) -> list[BookingRow]:
    statement = select(BookingRow).order_by(BookingRow.id).limit(limit).offset(offset)
    if conversation_id is not None:
        statement = statement.where(BookingRow.conversation_id == conversation_id)
    return list(session.scalars(statement))


def to_booking(row: BookingRow) -> Booking:
    """The domain value of a stored booking."""
    origin = None
    if row.origin_city is not None:
        origin = City(
            city=row.origin_city, airports=tuple(row.origin_airports or ()), timezone=row.origin_timezone or ""
        )
    departure = None
    if row.departure_date is not None or row.departure_time is not None:
        qualifier = row.departure_qualifier
        departure = Departure(date=row.departure_date, time=row.departure_time, qualifier=qualifier)  # type: ignore[arg-type]
    return Booking(
        reference=row.reference,
        status=row.status,  # type: ignore[arg-type]
        destination=City(
            city=row.destination_city, airports=tuple(row.destination_airports), timezone=row.destination_timezone
        ),
        arrival=Arrival(
            date=row.arrival_date, time=row.arrival_time, qualifier=row.arrival_qualifier  # type: ignore[arg-type]
        ),
        origin=origin,
        departure=departure,
        created_at=row.created_at,
    )
