"""The booking form as data: its slots, which are required, how to ask for each, how each is read and checked.

The policy walks this table; changing a question, an example, the order of questions, a
limit or whether a slot is required is a change here, not in the policy's logic. A place
slot names how its words become a city; a moment slot (a date and a time of day) names the
place whose time zone it is local to, the check it must pass, and where the state keeps the
words it was read from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .domain import Arrival, Departure, Period, PlaceSlot, SlotName, Slots
from .places import Resolution, gazetteer

__all__ = [
    "CONFIDENCE_FLOOR",
    "FORM",
    "MAX_DAYS_AHEAD",
    "REASKS_BEFORE_EXAMPLE",
    "REQUIRED_SLOTS",
    "FormSlot",
    "MomentValue",
    "Problem",
    "check_arrival",
    "check_departure",
    "form_slot",
    "missing",
    "period_end",
]

CONFIDENCE_FLOOR = 0.5
"""A place the tagger marked with less confidence than this is checked: "Did you mean Austin?"."""
REASKS_BEFORE_EXAMPLE = 2
"""Failed answers to one question before the bot explains what it needs, with an example."""
MAX_DAYS_AHEAD = 365
"""Airlines sell seats about a year ahead; a later arrival is refused."""
PERIOD_ENDS: dict[Period, dt.time] = {
    "morning": dt.time(12, 0),
    "afternoon": dt.time(18, 0),
    "evening": dt.time(23, 59),
    "night": dt.time(23, 59),
}
"""When a part of the day is over, for the checks: "this morning" has passed at noon."""

MomentValue = Arrival | Departure


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a moment cannot be taken: it has passed, it is too far ahead, or it contradicts the
    other end of the trip (``other`` is that end's date). The bot's words for it are in ``messages``."""

    kind: Literal["past", "too_far", "before_departure", "after_arrival"]
    other: dt.date | None = None


MomentCheck = Callable[[MomentValue, Slots, dt.datetime], Problem | None]


def period_end(time: dt.time | None, period: Period | None) -> dt.time | None:
    """The time the checks judge: the time said, else the end of the part of the day said, else none."""
    if time is not None or period is None:
        return time
    return PERIOD_ENDS[period]


def _ahead_within_a_year(value: MomentValue, local_now: dt.datetime) -> Problem | None:
    assert value.date is not None
    today, time = local_now.date(), period_end(value.time, value.period)
    if value.date < today or (value.date == today and time is not None and time <= local_now.time()):
        return Problem("past")
    if value.date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        return Problem("too_far")
    return None


def check_arrival(arrival: MomentValue, slots: Slots, local_now: dt.datetime) -> Problem | None:
    """Why an arrival cannot be booked (None: it can): ahead, within a year, not before the departure."""
    problem = _ahead_within_a_year(arrival, local_now)
    departure = slots.departure
    if problem is None and departure is not None and departure.date is not None:
        assert arrival.date is not None
        if arrival.date < departure.date:
            problem = Problem("before_departure", departure.date)
    return problem


def check_departure(departure: MomentValue, slots: Slots, local_now: dt.datetime) -> Problem | None:
    """A departure with a date: ahead, within a year, not after the arrival (a time alone passes)."""
    if departure.date is None:
        return None
    problem = _ahead_within_a_year(departure, local_now)
    arrival = slots.arrival
    if problem is None and arrival is not None and departure.date > arrival.date:
        problem = Problem("after_arrival", arrival.date)
    return problem


@dataclass(frozen=True, slots=True)
class FormSlot:
    """One row of the form. Place slots set ``resolve``; moment slots set ``zone_of``, ``check``
    and ``said``; ``needs_date`` marks a moment that is no value without a date (a time said
    first waits in the state for its date)."""

    name: SlotName
    required: bool
    question: str
    """Asked when the slot is missing; ``{destination}`` is the destination's name."""
    explanation: str
    """Said instead, with examples, after ``REASKS_BEFORE_EXAMPLE`` failed answers."""
    resolve: Callable[[str], Resolution] | None = None
    value: type[Arrival] | type[Departure] | None = None
    zone_of: PlaceSlot | None = None
    """The place whose local time the moment is said in: the arrival's is the destination's."""
    check: MomentCheck | None = None
    said: Literal["arrival_said", "departure_said"] | None = None
    """The state's field keeping the date phrase, read again when that place's time zone changes."""
    needs_date: bool = False

    @property
    def kind(self) -> Literal["place", "moment"]:
        return "place" if self.resolve is not None else "moment"


def _resolve_place(text: str) -> Resolution:
    return gazetteer().resolve(text)


FORM: tuple[FormSlot, ...] = (
    FormSlot(
        "destination",
        required=True,
        question="Where do you want to fly to?",
        explanation='I need the city you are flying to. You can say just its name, for example "Denver", '
        'or "to New York please".',
        resolve=_resolve_place,
    ),
    FormSlot(
        "arrival",
        required=True,
        question="When do you need to arrive in {destination}?",
        explanation='I need the date you want to arrive, and a time if it matters, for example "December 5th", '
        '"next Friday" or "by 5 pm tomorrow".',
        value=Arrival,
        zone_of="destination",
        check=check_arrival,
        said="arrival_said",
        needs_date=True,
    ),
    FormSlot(
        "origin",
        required=False,
        question="Where are you flying from?",
        explanation='Tell me the city you leave from, for example "from Boston".',
        resolve=_resolve_place,
    ),
    FormSlot(
        "departure",
        required=False,
        question="When do you want to leave?",
        explanation='Tell me when you leave, for example "leaving on the 3rd".',
        value=Departure,
        zone_of="origin",
        check=check_departure,
        said="departure_said",
    ),
)

REQUIRED_SLOTS: tuple[SlotName, ...] = tuple(slot.name for slot in FORM if slot.required)
MOMENT_SLOTS: tuple[FormSlot, ...] = tuple(slot for slot in FORM if slot.kind == "moment")


def form_slot(name: SlotName) -> FormSlot:
    return next(slot for slot in FORM if slot.name == name)


def missing(slots: Slots) -> list[SlotName]:
    """The required slots still empty, in the order the bot asks for them."""
    return [name for name in REQUIRED_SLOTS if getattr(slots, name) is None]
