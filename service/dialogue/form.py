"""The booking form as data: its slots, which are required, how to ask for each, and its validators.

The policy walks this table; changing a question, an example, the order of questions or
a limit is a change here, not in the policy's logic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .domain import Period, SlotName
from .places import Resolution, gazetteer

__all__ = [
    "CONFIDENCE_FLOOR",
    "FORM",
    "MAX_DAYS_AHEAD",
    "REASKS_BEFORE_EXAMPLE",
    "FormSlot",
    "check_arrival",
    "check_departure",
    "form_slot",
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


def period_end(time: dt.time | None, period: Period | None) -> dt.time | None:
    """The time the checks judge: the time said, else the end of the part of the day said, else none."""
    if time is not None or period is None:
        return time
    return PERIOD_ENDS[period]


def check_arrival(date: dt.date, time: dt.time | None, local_now: dt.datetime) -> str | None:
    """Why an arrival cannot be booked (None: it can): it must be ahead, and within a year."""
    today = local_now.date()
    if date < today or (date == today and time is not None and time <= local_now.time()):
        return "past"
    if date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        return "too_far"
    return None


def check_departure(date: dt.date, time: dt.time | None, local_now: dt.datetime) -> str | None:
    return check_arrival(date, time, local_now)


@dataclass(frozen=True, slots=True)
class FormSlot:
    name: SlotName
    required: bool
    kind: Literal["place", "arrival", "departure"]
    question: str
    """Asked when the slot is missing; ``{destination}`` is the destination's name or "there"."""
    explanation: str
    """Said instead, with examples, after ``REASKS_BEFORE_EXAMPLE`` failed answers."""
    resolve: Callable[[str], Resolution] | None = None
    check: Callable[[dt.date, dt.time | None, dt.datetime], str | None] | None = None


def _resolve_place(text: str) -> Resolution:
    return gazetteer().resolve(text)


FORM: tuple[FormSlot, ...] = (
    FormSlot(
        "destination",
        True,
        "place",
        "Where do you want to fly to?",
        'I need the city you are flying to. You can say just its name, for example "Denver", '
        'or "to New York please".',
        resolve=_resolve_place,
    ),
    FormSlot(
        "arrival",
        True,
        "arrival",
        "When do you need to arrive in {destination}?",
        'I need the date you want to arrive, and a time if it matters, for example "December 5th", '
        '"next Friday" or "by 5 pm tomorrow".',
        check=check_arrival,
    ),
    FormSlot(
        "origin",
        False,
        "place",
        "Where are you flying from?",
        'Tell me the city you leave from, for example "from Boston".',
        resolve=_resolve_place,
    ),
    FormSlot(
        "departure",
        False,
        "departure",
        "When do you want to leave?",
        'Tell me when you leave, for example "leaving on the 3rd".',
        check=check_departure,
    ),
)


def form_slot(name: SlotName) -> FormSlot:
    return next(slot for slot in FORM if slot.name == name)
