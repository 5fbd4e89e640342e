"""The dialogue: a pure policy over a stored state, and the domain values it fills.

``next_turn(state, parse, now)`` reads one tagged message and returns the next state and
the actions to carry out; ``opening()`` starts a conversation. Nothing here does I/O.
"""

from __future__ import annotations

from .actions import Action, Book, CancelBooking, Say
from .domain import (
    SLOT_NAMES,
    Airline,
    Arrival,
    Booking,
    BookingStatus,
    City,
    Departure,
    Qualifier,
    Return,
    SlotName,
    Slots,
    Status,
    Travellers,
)
from .form import FORM, FormSlot, missing
from .places import Gazetteer, gazetteer
from .policy import next_turn, opening
from .state import DialogueState

__all__ = [
    "FORM",
    "SLOT_NAMES",
    "Action",
    "Airline",
    "Arrival",
    "Book",
    "Booking",
    "BookingStatus",
    "CancelBooking",
    "City",
    "Departure",
    "DialogueState",
    "FormSlot",
    "Gazetteer",
    "Qualifier",
    "Return",
    "Say",
    "SlotName",
    "Slots",
    "Travellers",
    "missing",
    "Status",
    "gazetteer",
    "next_turn",
    "opening",
]
