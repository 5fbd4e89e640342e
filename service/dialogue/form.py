"""The booking form as data: its slots, which are required, how to ask for each, how each is read and checked.

The policy walks this table; changing a question, an example, the order of questions, a
limit or whether a slot is required is a change here, not in the policy's logic. A place
slot names how its words become a city; a moment slot (a date and a time of day) names the
place whose time zone it is local to, the check it must pass, and where the state keeps the
words it was read from; any other slot names the reader that finds it in a message
(``preferences``, ``names``) and its check. A slot can be required only when others say
so (a return for a round trip), be dropped when they say it no longer applies (the return
of a one-way trip), and imply another (a return date makes a round trip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .domain import MAX_TRAVELLERS, Arrival, Departure, Period, PlaceSlot, Return, SlotName, Slots, Travellers
from .names import read_traveller, valid_name
from .places import Resolution, gazetteer
from .preferences import MoreTravellers, Reader, read_airline, read_cabin, read_nonstop, read_travellers, read_trip

__all__ = [
    "CONFIDENCE_FLOOR",
    "FORM",
    "MAX_DAYS_AHEAD",
    "REASKS_BEFORE_EXAMPLE",
    "MOMENT_SLOTS",
    "READERS",
    "FormSlot",
    "MomentValue",
    "Problem",
    "check_arrival",
    "check_departure",
    "check_return",
    "check_traveller",
    "check_travellers",
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

MomentValue = Arrival | Departure | Return


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a value cannot be taken: a moment has passed, is too far ahead, or contradicts
    another moment of the trip (``other`` is that moment's date); too many travellers, or
    none an adult; a name that is no passport name. The bot's words for it are in ``messages``."""

    kind: Literal[
        "past", "too_far", "before_departure", "after_arrival", "after_return", "before_arrival",
        "too_many_travellers", "no_adult", "bad_name",
    ]  # fmt: skip
    other: dt.date | None = None


Check = Callable[[object, Slots, dt.datetime], Problem | None]
"""A row's check: the value, the form as it stands, and the local time now at its place."""


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


def _later(first: MomentValue, then: MomentValue) -> bool:
    """Whether ``then`` is not before ``first``: a later date, or the same one with no time to tell, or a later time."""
    assert first.date is not None and then.date is not None
    if then.date != first.date:
        return then.date > first.date
    a, b = period_end(first.time, first.period), then.time
    return a is None or b is None or b > a


def check_arrival(arrival: MomentValue, slots: Slots, local_now: dt.datetime) -> Problem | None:
    """Why an arrival cannot be booked (None: it can): ahead, within a year, not before the
    departure, not after the return."""
    problem = _ahead_within_a_year(arrival, local_now)
    departure, back = slots.departure, slots.returning
    assert arrival.date is not None
    if problem is None and departure is not None and departure.date is not None and arrival.date < departure.date:
        problem = Problem("before_departure", departure.date)
    if problem is None and back is not None and not _later(arrival, back):
        problem = Problem("after_return", back.date)
    return problem


def check_return(back: MomentValue, slots: Slots, local_now: dt.datetime) -> Problem | None:
    """A return: ahead, within a year, after the outbound arrival (the same day only at a later
    time), or after the departure when no arrival was said."""
    problem = _ahead_within_a_year(back, local_now)
    outbound = slots.arrival or slots.departure
    if problem is None and outbound is not None and outbound.date is not None and not _later(outbound, back):
        problem = Problem("before_arrival" if slots.arrival else "before_departure", outbound.date)
    return problem


def check_travellers(travellers: object, slots: Slots, local_now: dt.datetime) -> Problem | None:
    """One to ``MAX_TRAVELLERS`` seats, at least one of them an adult's."""
    assert isinstance(travellers, Travellers)
    if travellers.total > MAX_TRAVELLERS:
        return Problem("too_many_travellers")
    if travellers.adults < 1:
        return Problem("no_adult")
    return None


def add_children(held: object, said: object) -> object:
    """Children said alone ("and our two kids") travel with the adults already on the form;
    people added ("add my wife") join those on it (one adult, when nobody was said)."""
    if isinstance(said, MoreTravellers):
        base = held if isinstance(held, Travellers) else Travellers()
        return Travellers(adults=base.adults + said.adults, children=base.children + said.children)
    assert isinstance(said, Travellers)
    if said.adults == 0 and isinstance(held, Travellers):
        return Travellers(adults=held.adults, children=said.children)
    return said


def check_traveller(name: object, slots: Slots, local_now: dt.datetime) -> Problem | None:
    return None if isinstance(name, str) and valid_name(name) else Problem("bad_name")


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
    first waits in the state for its date); other slots set ``read`` and may set ``check``."""

    name: SlotName
    required: bool | Callable[[Slots], bool]
    """Always, never, or when the rest of the form says so."""
    question: str
    """Asked when the slot is missing; ``{destination}`` is the destination's name."""
    explanation: str
    """Said instead, with examples, after ``REASKS_BEFORE_EXAMPLE`` failed answers."""
    resolve: Callable[[str], Resolution] | None = None
    value: type[Arrival] | type[Departure] | type[Return] | None = None
    zone_of: PlaceSlot | None = None
    """The place whose local time the moment is said in: the arrival's is the destination's."""
    check: Check | None = None
    said: Literal["arrival_said", "departure_said", "returning_said"] | None = None
    """The state's field keeping the date phrase, read again when that place's time zone changes."""
    needs_date: bool = False
    counts_from: tuple[SlotName, ...] = ()
    """A moment whose days count from another's, the first of these with a date: "back on
    Sunday" is the Sunday after the arrival (after the departure, when only that was said)."""
    read: Reader | None = None
    """Finds the slot's values in a message (readers run in the form's order, each word used once)."""
    applies: Callable[[Slots], bool] | None = None
    """False: the value no longer applies and is dropped (a return once the trip is one-way)."""
    implies: tuple[tuple[SlotName, object], ...] = ()
    """Values set along with this one (a return makes the trip a round trip)."""
    combine: Callable[[object, object], object] | None = None
    """How a value said joins the one the slot holds ("and our two kids" adds children to the adults)."""

    @property
    def kind(self) -> Literal["place", "moment", "said"]:
        if self.resolve is not None:
            return "place"
        return "moment" if self.value is not None else "said"

    def needed(self, slots: Slots) -> bool:
        return self.required(slots) if callable(self.required) else self.required

    def start(self, slots: Slots) -> dt.date | None:
        """The date this moment's days count from (``counts_from``), if the form holds one."""
        for name in self.counts_from:
            moment = getattr(slots, name)
            if moment is not None and moment.date is not None:
                return moment.date
        return None


def _resolve_place(text: str) -> Resolution:
    return gazetteer().resolve(text)


def _round_trip(slots: Slots) -> bool:
    return slots.trip == "round_trip"


def _undated(slots: Slots) -> bool:
    """No day to book on yet: a customer who says when they leave is not asked when they arrive."""
    return slots.departure is None or slots.departure.date is None


def _not_one_way(slots: Slots) -> bool:
    return slots.trip != "one_way"


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
        required=_undated,
        question="When do you need to arrive in {destination}?",
        explanation='I need the date you want to arrive, and a time if it matters, for example "December 5th", '
        '"next Friday" or "by 5 pm tomorrow".',
        value=Arrival,
        zone_of="destination",
        check=check_arrival,
        said="arrival_said",
        needs_date=True,
        counts_from=("departure",),  # "leaving friday, arriving the next morning"
    ),
    FormSlot(
        "origin",
        required=_round_trip,  # a return needs somewhere to come back to
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
    FormSlot(
        "trip",
        required=False,
        question="Is it one-way or a round trip?",
        explanation='Say "one-way", or "round trip" and when you come back.',
        read=read_trip,
    ),
    FormSlot(
        "returning",
        required=_round_trip,
        question="When do you want to come back?",
        explanation='I need the date you fly back, and a time if it matters, for example "the 20th" or '
        '"back by noon on Sunday". Say "one-way" if you are not coming back.',
        value=Return,
        zone_of="origin",
        check=check_return,
        said="returning_said",
        needs_date=True,
        counts_from=("arrival", "departure"),
        applies=_not_one_way,
        implies=(("trip", "round_trip"),),
    ),
    FormSlot(
        "nonstop",
        required=False,
        question="Do you need a nonstop flight?",
        explanation='Say "nonstop" if you want no stops, or "stops are fine".',
        read=read_nonstop,
    ),
    FormSlot(
        "airline",
        required=False,
        question="Do you prefer an airline?",
        explanation='Name the airline, for example "on United", or say "any airline".',
        read=read_airline,
    ),
    FormSlot(
        "cabin",
        required=False,
        question="Which cabin: economy, premium economy, business or first?",
        explanation='Say "economy", "premium economy", "business" or "first class".',
        read=read_cabin,
    ),
    FormSlot(
        "travellers",
        required=False,
        question="How many people are travelling?",
        explanation=f'Tell me how many travel, up to {MAX_TRAVELLERS}, for example "for two" or '
        '"2 adults and a child".',
        read=read_travellers,
        check=check_travellers,
        combine=add_children,
    ),
    FormSlot(
        "traveller",
        required=True,
        question="Who is travelling? The name as on the passport, please.",
        explanation="I need the traveller's name as on the passport: letters (of any alphabet), spaces, "
        'hyphens and apostrophes, for example "Ana María O\'Neill-Sousa".',
        read=read_traveller,
        check=check_traveller,
    ),
)

MOMENT_SLOTS: tuple[FormSlot, ...] = tuple(slot for slot in FORM if slot.kind == "moment")
READERS: tuple[Reader, ...] = tuple(slot.read for slot in FORM if slot.read is not None)
"""The form's readers in its order: trip words first, so "one way" is no count of travellers."""


def form_slot(name: SlotName) -> FormSlot:
    return next(slot for slot in FORM if slot.name == name)


def missing(slots: Slots) -> list[SlotName]:
    """The slots still empty that the booking needs as it stands, in the order the bot asks for them."""
    return [slot.name for slot in FORM if slot.needed(slots) and getattr(slots, slot.name) is None]
