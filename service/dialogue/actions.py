"""What the policy asks the world to do: say something, book, cancel a booking.

The policy returns these instead of doing them, so it stays pure; the manager carries
them out in the turn's transaction and words the outcome of ``Book`` and
``CancelBooking`` (what a cancellation finds is only known in the database).
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain import Slots

__all__ = ["Action", "Book", "CancelBooking", "Say"]


@dataclass(frozen=True, slots=True)
class Say:
    text: str


@dataclass(frozen=True, slots=True)
class Book:
    """Store a booking of these (complete) slots under ``reference`` (drawn before the turn,
    and already listed in the state's bookings); the reply names it."""

    slots: Slots
    reference: str


@dataclass(frozen=True, slots=True)
class CancelBooking:
    """Cancel one of this conversation's bookings; the reply says what happened."""

    reference: str


Action = Say | Book | CancelBooking
