"""Everything the bot says, in one place: greetings, summaries, problems and outcomes.

The form's questions and explanations are rows of ``form.FORM`` (a new slot brings its own);
every other sentence is here, so that wording changes, and a translation, touch this file
only. Sentences that name values take them as arguments and never decide anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from .domain import (
    MAX_TRAVELLERS,
    Airline,
    Arrival,
    Booking,
    Cabin,
    City,
    Departure,
    Period,
    Return,
    SlotName,
    Slots,
    Travellers,
)

__all__ = [
    "ANOTHER_FLIGHT",
    "CHANGE_WHAT",
    "CONFIRM_OR_CHANGE",
    "GREETING",
    "HELLO",
    "HELP",
    "NOTHING_TO_CANCEL",
    "NOT_UNDERSTOOD",
    "OK",
    "REQUEST_CANCELLED",
    "SORRY_ABOUT_THAT",
    "START_OVER",
    "WHICH_ONE",
    "YOU_ARE_WELCOME",
    "already_there",
    "PROBLEMS",
    "contradiction",
    "date_question",
    "describe_return",
    "describe_travellers",
    "booked",
    "cancelled",
    "date_unreadable",
    "describe_arrival",
    "describe_date",
    "describe_departure",
    "describe_time",
    "did_you_mean",
    "no_date_in",
    "no_time_to_move",
    "nothing_to_move",
    "not_cancellable",
    "noted",
    "not_understood",
    "passed",
    "pick_one",
    "stays_confirmed",
    "summary",
    "to_cancel",
    "too_far_ahead",
    "unknown_places",
    "which_city_in",
    "which_of",
]

GREETING = "Hi! I can book you a flight. Where do you want to fly to?"
HELP = (
    "I book flights: tell me where you want to go and when you need to arrive, "
    'for example "I need to be in Denver by 5 pm on December 5th". '
    'You can correct anything ("actually the 6th"), say "start over", or "cancel".'
)
NO_PRICES = (
    "I can't see fares or timetables: I take down the trip you want, and the airline prices it when it is ticketed."
)
HELLO = "Hello!"
YOU_ARE_WELCOME = "You're welcome!"
NOT_UNDERSTOOD = "Sorry, I didn't get that."
START_OVER = "Sure, let's start over."
NOTHING_TO_CANCEL = "There is nothing to cancel."
REQUEST_CANCELLED = "OK, I've cancelled this request; nothing was booked."
SORRY_ABOUT_THAT = "Sorry about that."
OK = "OK."
WHICH_ONE = "Sorry, which one?"
ANOTHER_FLIGHT = "If you'd like another flight, tell me where to."
_CHANGE_HINT = 'for example "to Denver", "actually the 5th", "make it 9 am", "for two" or "business class"'
PROBLEMS = {
    "too_many_travellers": f"I can book up to {MAX_TRAVELLERS} travellers at once; for a larger group, "
    "please book in parts.",
    "no_adult": "At least one adult has to travel on the booking.",
    "bad_name": "A name as on the passport has only letters (of any alphabet), spaces, hyphens and apostrophes.",
}
"""What is wrong with a value that is not a moment, keyed by ``form.Problem.kind``."""
CHANGE_WHAT = f"No problem. What would you like to change? Tell me the new value, {_CHANGE_HINT}."
CONFIRM_OR_CHANGE = f'Please say "yes" to book it, or tell me what to change, {_CHANGE_HINT}.'


def _either(labels: Sequence[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


# --- the conversation's own words -------------------------------------------------------


def to_cancel(reference: str) -> str:
    return f'To cancel booking {reference}, say "cancel {reference}".'


def stays_confirmed(reference: str) -> str:
    return f'Your booking {reference} stays confirmed; to cancel it, say "cancel {reference}".'


def pick_one(example: str) -> str:
    return f'Please tell me which one, for example "{example}" or "the first one".'


def not_understood(words: str) -> str:
    return f'Sorry, I didn\'t understand "{words}".'


def noted(slots: Slots, names: Iterable[SlotName]) -> str:
    """What was taken that the next question does not show: "Noted: from Taipei (TPE, TSA)."."""
    wanted, parts = set(names), []
    if "destination" in wanted and slots.destination:
        parts.append(f"to {slots.destination.describe()}")
    if "origin" in wanted and slots.origin:
        parts.append(f"from {slots.origin.describe()}")
    if "departure" in wanted and slots.departure:
        parts.append(describe_departure(slots.departure))
    if "arrival" in wanted and slots.arrival:
        parts.append(describe_arrival(slots.arrival))
    if "trip" in wanted and slots.trip:
        parts.append("a round trip" if slots.trip == "round_trip" else "one-way")
    if "returning" in wanted and slots.returning:
        parts.append(describe_return(slots.returning))
    if "travellers" in wanted and slots.travellers:
        parts.append(describe_travellers(slots.travellers))
    parts += _preferences(slots, wanted)
    if "traveller" in wanted and slots.traveller:
        parts.append(f"traveller {slots.traveller}")
    return f"Noted: {', '.join(parts)}." if parts else "Noted."


def _preferences(slots: Slots, wanted: set[SlotName]) -> list[str]:
    parts = []
    if "cabin" in wanted:
        parts.append(describe_cabin(slots.cabin or "economy"))
    if "nonstop" in wanted and slots.nonstop is not None:
        parts.append("nonstop" if slots.nonstop else "stops are fine")
    if "airline" in wanted:
        parts.append(f"on {slots.airline.name}" if slots.airline else "any airline")
    return parts


def did_you_mean(label: str) -> str:
    return f"Did you mean {label}?"


def which_of(name: str, labels: Sequence[str]) -> str:
    return f"Which {name} do you mean: {_either(labels)}?"


def date_question(slot: SlotName, destination: str | None) -> str:
    """Asked instead of a moment's question when its time came first ("by 5 pm", "back by noon")."""
    if slot == "returning":
        return "On what date do you want to come back?"
    if destination is None:
        return "On what date do you need to arrive?"
    return f"On what date do you need to arrive in {destination}?"


def how_many(asking: str) -> str:
    """For a party named without its number ("me and my friends", "with my kids")."""
    if asking == "children":
        return "How many children are travelling?"
    return "How many people are travelling, you included?"


def which_day(slot: SlotName, week: str, destination: str | None) -> str:
    """Asked for a week or month said without its day ("next week", "in January")."""
    if slot == "returning":
        return f"Which day {week} do you want to come back?"
    if slot == "departure":
        return f"Which day {week} do you want to leave?"
    if destination is None:
        return f"Which day {week} do you need to arrive?"
    return f"Which day {week} do you need to arrive in {destination}?"


# --- places ---------------------------------------------------------------------------------


def unknown_places(names: Sequence[str]) -> str:
    """One apology for every unknown place in a message, not one 'Sorry' each."""
    quoted = " or ".join(f'"{w}"' for w in names)
    if len(names) == 1:
        return f"Sorry, I don't know a place called {quoted}."
    return f"Sorry, I don't know places called {quoted}."


def which_city_in(region: str, *, destination: bool) -> str:
    return f"Which city in {region} do you want to fly {'to' if destination else 'from'}?"


def already_there(city: str, *, slot: str) -> str:
    end = "from" if slot == "destination" else "to"
    return f"You're flying {end} {city} already, so it can't be your {slot} too."


# --- dates and times -------------------------------------------------------------------------


def date_unreadable(text: str) -> str:
    return f'Sorry, I couldn\'t work out the date "{text}".'


def no_date_in(words: str) -> str:
    return f'Sorry, I couldn\'t find a date in "{words}".'


def passed(date: dt.date, time: dt.time | None, period: Period | None, today: dt.date) -> str:
    when = describe_date(date)
    if time is not None and date == today:
        when = f"{describe_time(time)} today"
    elif period is not None and date == today:
        when = "Tonight" if period == "night" else f"This {period}"
    return f"{when} has already passed."


def just_passed(date: dt.date) -> str:
    """A day of the month said without its year that passed days ago: a slip, more likely than next year's."""
    return (f'{describe_date(date)} has already passed. If you mean next year\'s, say "{date:%B} {date.day}, '
            f'{date.year + 1}".')


def too_far_ahead(date: dt.date) -> str:
    return f"{describe_date(date)} is too far ahead: I can book up to a year ahead."


def contradiction(kind: str, other: dt.date) -> str:
    """A moment that does not fit with another of the trip (``other`` is that one's date)."""
    when = describe_date(other)
    return {
        "before_departure": f"That's before you leave, on {when}.",
        "after_arrival": f"You'd leave after you arrive, on {when}.",
        "after_return": f"That's after you come back, on {when}.",
        "before_arrival": f"You'd come back before you arrive, on {when}.",
    }[kind]


_MOMENT_NAMES = {"arrival": "arrival", "departure": "departure", "returning": "return"}


def one_flight_at_a_time(first: str, second: str) -> str:
    """Said when a second destination follows the first ("then on to New York")."""
    return f"I book one flight at a time: {first.title()} first; {second.title()} can be the next booking."


def two_days(slot: str, first: dt.date, second: dt.date, between: bool) -> str:
    """Said when two days were offered for one moment: the bot books one, and does not pick it."""
    offered = f"between {describe_date(first)} and {describe_date(second)}" if between else \
        f"{describe_date(first)} or {describe_date(second)}"  # fmt: skip
    return f"You said {offered}: I need one day for your {_MOMENT_NAMES[slot]}."


def nothing_to_move(slot: str) -> str:
    return f"I don't have a date for your {_MOMENT_NAMES[slot]} yet, so I can't move it. When is it?"


def no_time_to_move(slot: str) -> str:
    return f"Your {_MOMENT_NAMES[slot]} has no time yet, so I can't move it by hours. What time?"


def describe_date(date: dt.date) -> str:
    return f"{date:%A}, {date:%B} {date.day}, {date.year}"


def describe_time(time: dt.time) -> str:
    if time == dt.time(12, 0):
        return "noon"
    if time == dt.time(0, 0):
        return "midnight"
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


PERIOD_PHRASES = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "night": "at night",
}


def _describe_moment(verb: str, moment: Arrival | Return) -> str:
    """ "arriving by 9:00 am on ...", "coming back in the evening on ...": a moment with its date."""
    when = describe_date(moment.date)
    if moment.time is not None:
        return f"{verb} {moment.qualifier or 'at'} {describe_time(moment.time)} on {when}"
    if moment.period is not None:
        return f"{verb} {PERIOD_PHRASES[moment.period]} on {when}"
    if moment.qualifier in {"by", "before", "after", "around"}:
        return f"{verb} {moment.qualifier} {when}"
    return f"{verb} on {when}"


def describe_arrival(arrival: Arrival) -> str:
    return _describe_moment("arriving", arrival)


def describe_departure(departure: Departure) -> str:
    parts = ["leaving"]
    if departure.time is not None:
        parts.append(f"{departure.qualifier or 'at'} {describe_time(departure.time)}")
    elif departure.period is not None:
        parts.append(PERIOD_PHRASES[departure.period])
    if departure.date is not None:
        parts.append(f"on {describe_date(departure.date)}")
    return " ".join(parts)


def describe_return(back: Return) -> str:
    return _describe_moment("coming back", back)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def describe_travellers(travellers: Travellers) -> str:
    adults = _count(travellers.adults, "adult", "adults")
    if not travellers.children:
        return adults
    return f"{adults} and {_count(travellers.children, 'child', 'children')}"


_CABIN_NAMES: dict[Cabin, str] = {"economy": "economy", "premium_economy": "premium economy",
                                  "business": "business class", "first": "first class"}  # fmt: skip


def describe_cabin(cabin: Cabin) -> str:
    return _CABIN_NAMES[cabin]


def _trip(
    destination: City, arrival: Arrival | None, origin: City | None, departure: Departure | None, back: Return | None
) -> str:
    text = f"to {destination.describe()}"
    if origin is not None:
        text += f" from {origin.describe()}"
    said = [describe_departure(departure)] if departure is not None else []
    said += [describe_arrival(arrival)] if arrival is not None else []
    text = f"{text}, {' and '.join(said)}"
    return f"{text}, {describe_return(back)}" if back is not None else text


def _details(
    travellers: Travellers, cabin: Cabin, nonstop: bool, airline: Airline | None, traveller: str | None
) -> str:
    """ "for 2 adults in business class, nonstop, on United Airlines. Traveller: Ana Sousa"."""
    text = f"for {describe_travellers(travellers)} in {describe_cabin(cabin)}"
    if nonstop:
        text += ", nonstop"
    if airline is not None:
        text += f", on {airline.name}"
    return f"{text}. Traveller: {traveller}" if traveller else text


def summary(slots: Slots) -> str:
    """The confirmation question for a complete form: every value, defaults said plainly."""
    assert slots.destination is not None and (slots.arrival is not None or slots.departure is not None)
    kind = "a round trip" if slots.returning is not None else "a one-way flight"
    trip = _trip(slots.destination, slots.arrival, slots.origin, slots.departure, slots.returning)
    details = _details(slots.travellers or Travellers(), slots.cabin or "economy", bool(slots.nonstop), slots.airline,
                       slots.traveller)  # fmt: skip
    return f"So that's {kind} {trip}, {details}. Shall I book it?"


def booked(booking: Booking) -> str:
    kind = "a round trip" if booking.returning is not None else "a one-way flight"
    trip = _trip(booking.destination, booking.arrival, booking.origin, booking.departure, booking.returning)
    details = _details(booking.travellers, booking.cabin, booking.nonstop, booking.airline, booking.traveller)
    return (
        f"Booked! Your reference is {booking.reference}: {kind} {trip}, {details}. "
        f'You can book another flight, or say "cancel {booking.reference}" to cancel this one.'
    )


def cancelled(booking: Booking, *, already: bool) -> str:
    if already:
        return f"Booking {booking.reference} was already cancelled."
    return f"Booking {booking.reference} to {booking.destination.city} is cancelled."


def not_cancellable(reference: str) -> str:
    return f"I can't find a booking {reference} made in this conversation."
