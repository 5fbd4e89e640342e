"""The database tables, as SQLAlchemy 2.0 typed mappings (kept apart from the API's pydantic schemas).

Three tables: a conversation holds the dialogue state as JSON with a version for
optimistic locking; its turns are appended as events (what was said, what the bot
answered, what the tagger saw, how long it took, and the full response so a repeated
``Idempotency-Key`` gets the same answer); its bookings are rows of their own, with a
short unguessable reference. Every timestamp is timezone-aware UTC, on SQLite too.

A booking's traveller name is personal data: ``storage.erasure`` removes it (and every other
trace of it in the conversation) on request, and records when in the conversation's
``personal_data_erased_at``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..dialogue.domain import MAX_TRAVELLERS

__all__ = ["Base", "BookingRow", "ConversationRow", "TurnRow", "UTCDateTime"]

# Named constraints, so that migrations can drop and alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite drops the offset on the way)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: ticketbot stores aware UTC times only")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# The checks of 0003, written once for the tables and the migration.
TRIP_CHECK = "trip IN ('one_way', 'round_trip')"
CABIN_CHECK = "cabin IN ('economy', 'premium_economy', 'business', 'first')"
TRAVELLERS_CHECK = f"adults >= 1 AND children >= 0 AND adults + children <= {MAX_TRAVELLERS}"
# ... and of 0004: a booking has a day, its arrival's or else its departure's
DATED_CHECK = "arrival_date IS NOT NULL OR departure_date IS NOT NULL"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ConversationRow(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    personal_data_erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When the conversation's personal data (the traveller's name) was last erased on request."""

    turns: Mapped[list[TurnRow]] = relationship(
        back_populates="conversation", order_by="TurnRow.seq", cascade="all, delete-orphan", passive_deletes=True
    )

    # Every UPDATE checks and bumps the version: a concurrent writer's change is never overwritten.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq"),
        UniqueConstraint("conversation_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    """0 is the greeting; customer messages count from 1."""
    user_text: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[list[str]]] = mapped_column(JSON)
    intent: Mapped[str | None] = mapped_column(String(64))
    intent_confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    tagger_ms: Mapped[float | None] = mapped_column(Float)
    handling_ms: Mapped[float | None] = mapped_column(Float)

    conversation: Mapped[ConversationRow] = relationship(back_populates="turns")


class BookingRow(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="status"),
        CheckConstraint(TRIP_CHECK, name="trip"),
        CheckConstraint(CABIN_CHECK, name="cabin"),
        CheckConstraint(TRAVELLERS_CHECK, name="travellers"),
        CheckConstraint(DATED_CHECK, name="dated"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    destination_city: Mapped[str] = mapped_column(String(128))
    destination_airports: Mapped[list[str]] = mapped_column(JSON)
    destination_timezone: Mapped[str] = mapped_column(String(64))
    arrival_date: Mapped[dt.date | None] = mapped_column(Date)
    """NULL for a booking made by its departure alone ("leaving Friday"; since 0004)."""
    arrival_time: Mapped[dt.time | None] = mapped_column(Time)
    arrival_qualifier: Mapped[str | None] = mapped_column(String(8))
    arrival_period: Mapped[str | None] = mapped_column(String(9))
    origin_city: Mapped[str | None] = mapped_column(String(128))
    origin_airports: Mapped[list[str] | None] = mapped_column(JSON)
    origin_timezone: Mapped[str | None] = mapped_column(String(64))
    departure_date: Mapped[dt.date | None] = mapped_column(Date)
    departure_time: Mapped[dt.time | None] = mapped_column(Time)
    departure_qualifier: Mapped[str | None] = mapped_column(String(8))
    departure_period: Mapped[str | None] = mapped_column(String(9))
    trip: Mapped[str] = mapped_column(String(16), server_default=text("'one_way'"))
    # the return, local to the origin (as the departure is)
    return_date: Mapped[dt.date | None] = mapped_column(Date)
    return_time: Mapped[dt.time | None] = mapped_column(Time)
    return_qualifier: Mapped[str | None] = mapped_column(String(8))
    return_period: Mapped[str | None] = mapped_column(String(9))
    adults: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    children: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    cabin: Mapped[str] = mapped_column(String(16), server_default=text("'economy'"))
    airline_code: Mapped[str | None] = mapped_column(String(8))
    airline_name: Mapped[str | None] = mapped_column(String(128))
    nonstop: Mapped[bool] = mapped_column(Boolean, server_default=false())
    traveller_name: Mapped[str | None] = mapped_column(Text)
    """The lead traveller's name: personal data, NULL once erased (and for bookings made before 0003)."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
