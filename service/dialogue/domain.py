"""The booking's vocabulary: plain, immutable values that the policy, the storage and the API share.

They serialise (``model_dump(mode="json")``) to exactly the JSON shapes of the chat API
contract, so the stored dialogue state, the database rows and the API responses all speak
of the same ``City``, ``Arrival`` and ``Booking``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_serializer

__all__ = [
    "SLOT_NAMES",
    "Arrival",
    "Booking",
    "BookingStatus",
    "City",
    "Departure",
    "Period",
    "PlaceSlot",
    "Qualifier",
    "SlotName",
    "Slots",
    "Status",
]

Status = Literal["collecting", "confirming", "booked", "cancelled"]
"""Where a conversation stands: filling the form, awaiting "yes", just booked, or abandoned."""

BookingStatus = Literal["confirmed", "cancelled"]
SlotName = Literal["destination", "arrival", "origin", "departure"]
PlaceSlot = Literal["destination", "origin"]
"""The slots that hold a place."""
Qualifier = Literal["at", "by", "before", "after", "around"]
Period = Literal["morning", "afternoon", "evening", "night"]
"""A part of the day said instead of a time ("tomorrow morning", "in the evening", "tonight")."""

SLOT_NAMES: tuple[SlotName, ...] = ("destination", "arrival", "origin", "departure")


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class City(_Value):
    """A place a flight can go to or leave from: its name, its airports (IATA), its time zone."""

    city: str
    airports: tuple[str, ...]
    timezone: str

    def describe(self) -> str:
        return f"{self.city} ({', '.join(self.airports)})"


class _Moment(_Value):
    time: dt.time | None = None
    qualifier: Qualifier | None = None
    period: Period | None = None  # only without a time: a time says more

    @field_serializer("time")
    def _hours_minutes(self, value: dt.time | None) -> str | None:
        return None if value is None else value.strftime("%H:%M")


class Arrival(_Moment):
    """When the customer must arrive: a local date at the destination, optionally a time of day
    with how it binds ("by 9 am", "around noon") or a part of the day ("in the morning")."""

    date: dt.date


class Departure(_Moment):
    """When the customer leaves, as said: usually a date, possibly only a time ("leave at 7 am")."""

    date: dt.date | None = None


class Slots(_Value):
    """The booking form's values; ``None`` where the customer has not said (or we did not accept) one.
    Which of them a booking needs is the form's to say (``form.REQUIRED_SLOTS``)."""

    destination: City | None = None
    arrival: Arrival | None = None
    origin: City | None = None
    departure: Departure | None = None


class Booking(_Value):
    """A stored booking, as the customer and the API see it."""

    reference: str
    status: BookingStatus
    destination: City
    arrival: Arrival
    origin: City | None = None
    departure: Departure | None = None
    created_at: dt.datetime
