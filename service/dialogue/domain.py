"""The booking's vocabulary: plain, immutable values that the policy, the storage and the API share.

They serialise (``model_dump(mode="json")``) to exactly the JSON shapes of the chat API
contract, so the stored dialogue state, the database rows and the API responses all speak
of the same ``City``, ``Arrival`` and ``Booking``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, field_serializer, model_validator

__all__ = [
    "SLOT_NAMES",
    "MAX_TRAVELLERS",
    "Airline",
    "Arrival",
    "Booking",
    "BookingStatus",
    "Cabin",
    "City",
    "Departure",
    "Period",
    "PlaceSlot",
    "Qualifier",
    "Return",
    "SlotName",
    "Slots",
    "Status",
    "TripType",
    "Travellers",
]

Status = Literal["collecting", "confirming", "booked", "cancelled"]
"""Where a conversation stands: filling the form, awaiting "yes", just booked, or abandoned."""

BookingStatus = Literal["confirmed", "cancelled"]
SlotName = Literal[
    "destination",
    "arrival",
    "origin",
    "departure",
    "trip",
    "returning",
    "travellers",
    "cabin",
    "airline",
    "nonstop",
    "traveller",
]
PlaceSlot = Literal["destination", "origin"]
"""The slots that hold a place."""
Qualifier = Literal["at", "by", "before", "after", "around"]
Period = Literal["morning", "afternoon", "evening", "night"]
"""A part of the day said instead of a time ("tomorrow morning", "in the evening", "tonight")."""
TripType = Literal["one_way", "round_trip"]
Cabin = Literal["economy", "premium_economy", "business", "first"]
MAX_TRAVELLERS = 9
"""Airlines sell at most nine seats on one booking; larger groups book as a group."""

SLOT_NAMES: tuple[SlotName, ...] = get_args(SlotName)


class _Value(BaseModel):
    # a field's docstring is its description in the API's OpenAPI document
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


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


class Return(_Moment):
    """When the customer comes back, a local date where the trip began (the origin), optionally
    a time with how it binds ("back by noon") or a part of the day."""

    date: dt.date


class Travellers(_Value):
    """Who flies on the booking: adults and children counted apart (at least one adult)."""

    adults: int = 1
    """Adult travellers: at least one."""
    children: int = 0
    """Child travellers; adults and children together are at most nine."""

    @property
    def total(self) -> int:
        return self.adults + self.children


class Airline(_Value):
    """A preferred airline: its IATA code and name."""

    code: str
    """The airline's IATA code ("UA")."""
    name: str
    """Its name as customers know it ("United Airlines")."""


class Slots(_Value):
    """The booking form's values; ``None`` where the customer has not said (or we did not accept) one.
    Which of them a booking needs is the form's to say (``form.missing``); a preference left
    ``None`` books its default (one-way, one adult, economy, any airline, stops allowed)."""

    destination: City | None = None
    arrival: Arrival | None = None
    origin: City | None = None
    departure: Departure | None = None
    trip: TripType | None = None
    """One-way or round trip; null: not said (a booking is then one-way)."""
    returning: Return | None = None
    """The return of a round trip, local to the origin; null for a one-way trip or until said."""
    travellers: Travellers | None = None
    """How many fly, adults and children; null: not said (one adult)."""
    cabin: Cabin | None = None
    """The cabin class; null: not said (economy)."""
    airline: Airline | None = None
    """A preferred airline, if one was said."""
    nonstop: bool | None = None
    """True: the customer asked for a nonstop flight; null: not said (stops are fine)."""
    traveller: str | None = None
    """The lead traveller's name as on the passport: personal data, returned only with the conversation's
    token, never logged, erased on request (``storage.erasure``)."""


class Booking(_Value):
    """A stored booking, as the customer and the API see it."""

    reference: str
    status: BookingStatus
    destination: City
    arrival: Arrival | None = None
    """When the customer arrives; null when they said only when they leave (then ``departure`` has a date)."""
    origin: City | None = None
    departure: Departure | None = None
    trip: TripType = "one_way"
    """One-way, or a round trip with a ``returning``."""
    returning: Return | None = None
    """When the customer comes back, local to the origin; null for a one-way trip."""
    travellers: Travellers = Travellers()
    """Who flies: adults and children (one adult for bookings made before they were asked)."""
    cabin: Cabin = "economy"
    """The cabin class."""
    airline: Airline | None = None
    """The preferred airline; null: any."""
    nonstop: bool = False
    """True: the customer asked for a nonstop flight; False: stops are fine."""
    traveller: str | None = None
    """The lead traveller's name as on the passport: personal data, returned only with the conversation's
    token or the admin key; null for bookings made before names were asked, or once erased."""
    created_at: dt.datetime

    @model_validator(mode="after")
    def _dated(self) -> Booking:
        # a flight is booked on a day: the arrival's, or else the departure's
        if self.arrival is None and (self.departure is None or self.departure.date is None):
            raise ValueError("a booking needs an arrival or a departure with a date")
        return self
