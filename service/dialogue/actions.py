"""What the policy asks the world to do: say something, book, cancel a booking.

The policy returns these instead of doing them, so it stays pure; the manager carries
them out in the turn's transaction and words the outcome of ``Book`` and
``CancelBooking`` (the reference only exists once the booking is stored).
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
    """Store a booking of these (complete) slots; the reply names its new reference."""

    slots: Slots


@dataclass(frozen=True, slots=True)
class CancelBooking:
    """Cancel one of this conversation's bookings; the reply says what happened."""

    reference: str


Action = Say | Book | CancelBooking
