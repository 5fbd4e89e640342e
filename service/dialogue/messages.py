"""Everything the bot says, in one place: questions, summaries, problems and outcomes."""

from __future__ import annotations

import datetime as dt

from .domain import Arrival, Booking, City, Departure, Slots

__all__ = [
    "GREETING",
    "booked",
    "cancelled",
    "describe_arrival",
    "describe_date",
    "describe_departure",
    "describe_time",
    "not_cancellable",
    "summary",
]

GREETING = "Hi! I can book you a flight. Where do you want to fly to?"
HELP = (
    "I book flights: tell me where you want to go and when you need to arrive, "
    'for example "I need to be in Denver by 5 pm on December 5th". '
    'You can correct anything ("actually the 6th"), say "start over", or "cancel".'
)


def describe_date(date: dt.date) -> str:
    return f"{date:%A}, {date:%B} {date.day}, {date.year}"


def describe_time(time: dt.time) -> str:
    if time == dt.time(12, 0):
        return "noon"
    if time == dt.time(0, 0):
        return "midnight"
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


PERIOD_PHRASES = {"morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening",
                  "night": "at night"}


def describe_arrival(arrival: Arrival) -> str:
    when = describe_date(arrival.date)
    if arrival.time is not None:
        return f"arriving {arrival.qualifier or 'at'} {describe_time(arrival.time)} on {when}"
    if arrival.period is not None:
        return f"arriving {PERIOD_PHRASES[arrival.period]} on {when}"
    if arrival.qualifier in {"by", "before", "after", "around"}:
        return f"arriving {arrival.qualifier} {when}"
    return f"arriving on {when}"


def describe_departure(departure: Departure) -> str:
    parts = ["leaving"]
    if departure.time is not None:
        parts.append(f"{departure.qualifier or 'at'} {describe_time(departure.time)}")
    elif departure.period is not None:
        parts.append(PERIOD_PHRASES[departure.period])
    if departure.date is not None:
        parts.append(f"on {describe_date(departure.date)}")
    return " ".join(parts)


def _trip(destination: City, arrival: Arrival, origin: City | None, departure: Departure | None) -> str:
    text = f"to {destination.describe()}"
    if origin is not None:
        text += f" from {origin.describe()}"
    if departure is not None:
        return f"{text}, {describe_departure(departure)} and {describe_arrival(arrival)}"
    return f"{text}, {describe_arrival(arrival)}"


def summary(slots: Slots) -> str:
    """The confirmation question for a complete form."""
    assert slots.destination is not None and slots.arrival is not None
    trip = _trip(slots.destination, slots.arrival, slots.origin, slots.departure)
    return f"So that's a flight {trip}. Shall I book it?"


def booked(booking: Booking) -> str:
    trip = _trip(booking.destination, booking.arrival, booking.origin, booking.departure)
    return (
        f"Booked! Your reference is {booking.reference}: a flight {trip}. "
        f'You can book another flight, or say "cancel {booking.reference}" to cancel this one.'
    )


def cancelled(booking: Booking, *, already: bool) -> str:
    if already:
        return f"Booking {booking.reference} was already cancelled."
    return f"Booking {booking.reference} to {booking.destination.city} is cancelled."


def not_cancellable(reference: str) -> str:
    return f"I can't find a booking {reference} made in this conversation."
