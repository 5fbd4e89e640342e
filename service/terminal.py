"""How ``ticketbot chat`` shows a booking: one labelled line per part, plain text.

The bot's reply says the booking in a sentence; this block repeats it part by part, the
preferences included (trip, travellers, cabin, airline, stops, the passenger's name), the
way the widget's booking card does, so a wrong guess stands out at a glance. Pure
functions of the domain values: the CLI prints what they return.
"""

from __future__ import annotations

from .dialogue.domain import Arrival, Booking, Cabin, Departure, Return, Travellers
from .dialogue.messages import describe_date, describe_time

__all__ = ["booking_lines", "describe_travellers"]

CABINS: dict[Cabin, str] = {
    "economy": "economy",
    "premium_economy": "premium economy",
    "business": "business",
    "first": "first",
}
PERIODS = {"morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening",
           "night": "at night"}  # fmt: skip


def describe_travellers(travellers: Travellers) -> str:
    """ "2 adults, 1 child": children only when there are some."""
    parts = [f"{travellers.adults} adult{'' if travellers.adults == 1 else 's'}"]
    if travellers.children:
        parts.append(f"{travellers.children} {'child' if travellers.children == 1 else 'children'}")
    return ", ".join(parts)


def _moment(moment: Arrival | Departure | Return) -> str:
    words = []
    if moment.date is not None:
        words.append(describe_date(moment.date))
    if moment.time is not None:
        words.append(f"{moment.qualifier or 'at'} {describe_time(moment.time)}")
    elif moment.period is not None:
        words.append(PERIODS[moment.period])
    return ", ".join(words)


def _plain(text: str) -> str:
    """The customer's own words, without control characters that would steer the terminal."""
    return "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)


def booking_lines(booking: Booking, *, indent: str = "") -> list[str]:
    """The booking as aligned ``label  value`` lines, each part on its own line."""
    rows = [("reference", f"{booking.reference} ({booking.status})")]
    if booking.traveller:
        rows.append(("passenger", _plain(booking.traveller)))
    rows.append(("to", booking.destination.describe()))
    if booking.arrival is not None:  # none when only the departure was said
        rows.append(("arriving", _moment(booking.arrival)))
    if booking.origin is not None:
        rows.append(("from", booking.origin.describe()))
    if booking.departure is not None:
        rows.append(("leaving", _moment(booking.departure)))
    rows.append(("trip", "round trip" if booking.trip == "round_trip" else "one-way"))
    if booking.returning is not None:
        rows.append(("returning", _moment(booking.returning)))
    rows += [("travellers", describe_travellers(booking.travellers)), ("cabin", CABINS[booking.cabin])]
    if booking.airline is not None:
        rows.append(("airline", _plain(f"{booking.airline.name} ({booking.airline.code})")))
    if booking.nonstop:
        rows.append(("stops", "nonstop"))
    width = max(len(label) for label, _ in rows)
    return [f"{indent}{label:<{width}}  {value}" for label, value in rows]
