"""Repository functions: every query ticketbot runs, with keyword arguments, inside the caller's session.

They never commit: the manager owns the transaction, so a turn, its state and the
booking it makes are written together or not at all.

They are SQLAlchemy Core statements on the mapped tables, run on the session's
connection: a chat turn reads one conversation and writes two rows, and the ORM's unit of
work and identity map cost more than the rest of the turn's storage (measured: ORM entities
took 0.9 ms of a 1.8 ms turn). Reads return typed values (``StoredConversation``,
``StoredTurn``, ``StoredBooking`` around the domain's ``Booking``), converted here and
nowhere else. The mapped classes remain the schema's single description (Alembic's
metadata, the column types that keep times UTC and JSON as JSON).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Result, Row, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..dialogue.domain import MAX_TRAVELLERS, Airline, Arrival, Booking, City, Departure, Return, Slots, Travellers
from .tables import BookingRow, ConversationRow, TurnRow

__all__ = [
    "StoredBooking",
    "StoredConversation",
    "StoredTurn",
    "add_booking",
    "add_conversation",
    "add_turn",
    "cancel_booking",
    "find_booking",
    "get_conversation",
    "list_bookings",
    "list_turns",
    "save_state",
    "to_booking",
    "turn_by_key",
]

CONVERSATIONS = ConversationRow.__table__
TURNS = TurnRow.__table__
BOOKINGS = BookingRow.__table__

# Built once: a statement built per call (``.values(...)``, ``.where(...)``) cost more than running it.
_CONVERSATION = select(CONVERSATIONS).where(CONVERSATIONS.c.id == bindparam("conversation_id"))
_CONVERSATION_LOCKED = _CONVERSATION.with_for_update()
_SAVE_STATE = (
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.id == bindparam("conversation_id"), CONVERSATIONS.c.version == bindparam("read_version"))
    .values(
        state=bindparam("new_state"), status=bindparam("new_status"), updated_at=bindparam("now"),
        version=bindparam("new_version"),
    )
)  # fmt: skip
_TURN_BY_KEY = select(TURNS).where(
    TURNS.c.conversation_id == bindparam("conversation_id"), TURNS.c.idempotency_key == bindparam("key")
)
_BOOKING = select(BOOKINGS).where(BOOKINGS.c.reference == bindparam("reference"))
_BOOKING_LOCKED = _BOOKING.with_for_update()


@dataclass(frozen=True, slots=True)
class StoredConversation:
    id: str
    token_hash: str
    state: dict[str, Any]
    """The dialogue state's JSON (``DialogueState.from_json`` reads it)."""
    status: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    personal_data_erased_at: dt.datetime | None = None
    """When its personal data was last erased on request (``storage.erasure``); None: never."""


@dataclass(frozen=True, slots=True)
class StoredTurn:
    seq: int
    user_text: str | None
    reply: str
    status: str
    response: dict[str, Any]
    """The answer as the API sent it, returned again for a repeated Idempotency-Key."""
    idempotency_key: str | None
    created_at: dt.datetime
    tagger_ms: float | None
    handling_ms: float | None


@dataclass(frozen=True, slots=True)
class StoredBooking:
    """A booking and what only the database knows of it: whose it is, and when it last changed."""

    conversation_id: str
    booking: Booking
    updated_at: dt.datetime
    cancelled_at: dt.datetime | None


def _conversation(row: Row[Any]) -> StoredConversation:
    return StoredConversation(
        id=row.id, token_hash=row.token_hash, state=row.state, status=row.status, version=row.version,
        created_at=row.created_at, updated_at=row.updated_at, personal_data_erased_at=row.personal_data_erased_at,
    )  # fmt: skip


def _turn(row: Row[Any]) -> StoredTurn:
    return StoredTurn(
        seq=row.seq, user_text=row.user_text, reply=row.reply, status=row.status, response=row.response,
        idempotency_key=row.idempotency_key, created_at=row.created_at, tagger_ms=row.tagger_ms,
        handling_ms=row.handling_ms,
    )  # fmt: skip


def _run(session: Session, statement: Executable, parameters: dict[str, Any] | None = None) -> Result[Any]:
    """On the session's own connection (its transaction, its locks), without the ORM's layers."""
    return session.connection().execute(statement, parameters)


def add_conversation(
    session: Session, *, conversation_id: str, token_hash: str, state: dict[str, Any], status: str, now: dt.datetime
) -> None:
    _run(session, insert(CONVERSATIONS), {
        "id": conversation_id, "token_hash": token_hash, "state": state, "status": status, "version": 1,
        "created_at": now, "updated_at": now,
    })  # fmt: skip


def get_conversation(session: Session, *, conversation_id: str, lock: bool = False) -> StoredConversation | None:
    """The conversation; ``lock`` holds its row until the transaction ends (PostgreSQL; SQLite
    already holds the database's write lock)."""
    statement = _CONVERSATION_LOCKED if lock else _CONVERSATION
    row = _run(session, statement, {"conversation_id": conversation_id}).one_or_none()
    return None if row is None else _conversation(row)


def save_state(
    session: Session,
    *,
    conversation_id: str,
    version: int,
    state: dict[str, Any],
    status: str,
    now: dt.datetime,
) -> None:
    """Write the new state over ``version`` and bump it; ``StaleDataError`` if someone else wrote
    since that version was read (the row is then left as they wrote it)."""
    parameters = {
        "conversation_id": conversation_id, "read_version": version, "new_state": state, "new_status": status,
        "now": now, "new_version": version + 1,
    }  # fmt: skip
    if _run(session, _SAVE_STATE, parameters).rowcount != 1:
        raise StaleDataError(f"conversation {conversation_id} is no longer at version {version}")


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
) -> None:
    _run(session, insert(TURNS), {
        "conversation_id": conversation_id, "seq": seq, "user_text": user_text, "reply": reply, "tags": tags,
        "intent": intent, "intent_confidence": intent_confidence, "status": status,
        "idempotency_key": idempotency_key, "response": response, "created_at": now, "tagger_ms": tagger_ms,
        "handling_ms": handling_ms,
    })  # fmt: skip


def turn_by_key(session: Session, *, conversation_id: str, idempotency_key: str) -> StoredTurn | None:
    row = _run(session, _TURN_BY_KEY, {"conversation_id": conversation_id, "key": idempotency_key}).one_or_none()
    return None if row is None else _turn(row)


def list_turns(session: Session, *, conversation_id: str) -> list[StoredTurn]:
    statement = select(TURNS).where(TURNS.c.conversation_id == conversation_id).order_by(TURNS.c.seq)
    return [_turn(row) for row in _run(session, statement)]


def add_booking(session: Session, *, conversation_id: str, reference: str, slots: Slots, now: dt.datetime) -> Booking:
    """Store a confirmed booking of complete slots; returns it as the API shows it.

    A preference the customer did not state (``None`` in the slots) is stored as the
    booking's default: one-way, one adult, economy, any airline, stops allowed."""
    destination, arrival, origin, departure = slots.destination, slots.arrival, slots.origin, slots.departure
    if destination is None or (arrival is None and (departure is None or departure.date is None)):
        raise ValueError("a booking needs a destination and a day: an arrival, or a departure with a date")
    booking = Booking(
        reference=reference, status="confirmed", destination=destination, arrival=arrival, origin=origin,
        departure=departure, trip=slots.trip or "one_way", returning=slots.returning,
        travellers=slots.travellers or Travellers(), cabin=slots.cabin or "economy", airline=slots.airline,
        nonstop=bool(slots.nonstop), traveller=slots.traveller, created_at=now,
    )  # fmt: skip
    returning, travellers, airline = booking.returning, booking.travellers, booking.airline
    if travellers.adults < 1 or travellers.children < 0 or travellers.total > MAX_TRAVELLERS:
        # the database's check would refuse it too, but as a conflict worth retrying: say it plainly
        raise ValueError(f"a booking is for 1 to {MAX_TRAVELLERS} travellers, at least one adult: {travellers}")
    _run(session, insert(BOOKINGS), {
        "reference": reference,
        "conversation_id": conversation_id,
        "status": "confirmed",
        "destination_city": destination.city,
        "destination_airports": list(destination.airports),
        "destination_timezone": destination.timezone,
        "arrival_date": arrival.date if arrival else None,
        "arrival_time": arrival.time if arrival else None,
        "arrival_qualifier": arrival.qualifier if arrival else None,
        "arrival_period": arrival.period if arrival else None,
        "origin_city": origin.city if origin else None,
        "origin_airports": list(origin.airports) if origin else None,
        "origin_timezone": origin.timezone if origin else None,
        "departure_date": departure.date if departure else None,
        "departure_time": departure.time if departure else None,
        "departure_qualifier": departure.qualifier if departure else None,
        "departure_period": departure.period if departure else None,
        "trip": booking.trip,
        "return_date": returning.date if returning else None,
        "return_time": returning.time if returning else None,
        "return_qualifier": returning.qualifier if returning else None,
        "return_period": returning.period if returning else None,
        "adults": travellers.adults,
        "children": travellers.children,
        "cabin": booking.cabin,
        "airline_code": airline.code if airline else None,
        "airline_name": airline.name if airline else None,
        "nonstop": booking.nonstop,
        "traveller_name": booking.traveller,
        "created_at": now,
        "updated_at": now,
    })  # fmt: skip
    return booking


def find_booking(session: Session, *, reference: str, lock: bool = False) -> StoredBooking | None:
    """The booking of this reference (in any case); ``lock`` holds its row until the transaction ends."""
    row = _run(session, _BOOKING_LOCKED if lock else _BOOKING, {"reference": reference.upper()}).one_or_none()
    if row is None:
        return None
    return StoredBooking(
        conversation_id=row.conversation_id, booking=to_booking(row), updated_at=row.updated_at,
        cancelled_at=row.cancelled_at,
    )  # fmt: skip


def cancel_booking(session: Session, *, reference: str, now: dt.datetime) -> bool:
    """Cancel a booking; False if it already was (cancelling is idempotent) or does not exist."""
    statement = (
        update(BOOKINGS)
        .where(BOOKINGS.c.reference == reference.upper(), BOOKINGS.c.status != "cancelled")
        .values(status="cancelled", updated_at=now, cancelled_at=now)
    )
    return _run(session, statement).rowcount == 1


def list_bookings(
    session: Session, *, conversation_id: str | None = None, limit: int = 100, offset: int = 0
) -> list[Booking]:
    """Bookings, oldest first: all of them, or one conversation's."""
    statement = select(BOOKINGS).order_by(BOOKINGS.c.id).limit(limit).offset(offset)
    if conversation_id is not None:
        statement = statement.where(BOOKINGS.c.conversation_id == conversation_id)
    return [to_booking(row) for row in _run(session, statement)]


def to_booking(row: Any) -> Booking:
    """The domain value of a stored booking: a row of ``bookings`` (or a ``BookingRow``)."""
    origin = None
    if row.origin_city is not None:
        origin = City(
            city=row.origin_city, airports=tuple(row.origin_airports or ()), timezone=row.origin_timezone or ""
        )
    departure = None
    if row.departure_date is not None or row.departure_time is not None or row.departure_period is not None:
        departure = Departure(
            date=row.departure_date, time=row.departure_time, qualifier=row.departure_qualifier,
            period=row.departure_period,
        )  # fmt: skip
    returning = None
    if row.return_date is not None:
        returning = Return(
            date=row.return_date, time=row.return_time, qualifier=row.return_qualifier, period=row.return_period
        )
    airline = None if row.airline_code is None else Airline(code=row.airline_code, name=row.airline_name or "")
    return Booking(
        reference=row.reference,
        status=row.status,
        destination=City(
            city=row.destination_city, airports=tuple(row.destination_airports), timezone=row.destination_timezone
        ),
        arrival=None if row.arrival_date is None else Arrival(
            date=row.arrival_date, time=row.arrival_time, qualifier=row.arrival_qualifier, period=row.arrival_period
        ),
        origin=origin,
        departure=departure,
        trip=row.trip,
        returning=returning,
        travellers=Travellers(adults=row.adults, children=row.children),
        cabin=row.cabin,
        airline=airline,
        nonstop=bool(row.nonstop),
        traveller=row.traveller_name,
        created_at=row.created_at,
    )
