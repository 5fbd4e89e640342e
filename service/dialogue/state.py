"""The dialogue's state: everything the policy needs from earlier turns, stored as JSON with the conversation.

It is a pydantic model so the database holds a validated, versioned document
(``schema``); a state the code cannot read raises ``StateError`` instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer

from ..errors import StateError
from .domain import City, Period, PlaceSlot, Qualifier, SlotName, Slots, Status
from .form import missing

__all__ = ["Choice", "Counting", "DialogueState", "DidYouMean", "Option", "PartialDate", "PartialTime", "Pending"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Part):
    """One city offered in a "which one?" question, with what tells it apart."""

    city: City
    label: str
    region: str
    country: str

    @property
    def airports(self) -> tuple[str, ...]:
        return self.city.airports


class DidYouMean(_Part):
    """The tagger was unsure of a place: asked "Did you mean ...?", awaiting yes or no."""

    kind: Literal["did_you_mean"] = "did_you_mean"
    slot: PlaceSlot
    option: Option


class Choice(_Part):
    """Several cities share the name said: asked which one."""

    kind: Literal["choice"] = "choice"
    slot: PlaceSlot
    name: str
    options: tuple[Option, ...]


Pending = Annotated[DidYouMean | Choice, Field(discriminator="kind")]


class PartialTime(_Part):
    """A time or part of the day said before its date ("by 5 pm", "in the morning") for a
    moment that needs one (the arrival, the return), kept until the date comes."""

    slot: Literal["arrival", "returning"] = "arrival"
    time: dt.time | None = None
    qualifier: Qualifier | None = None
    period: Period | None = None

    @field_serializer("time")
    def _hours_minutes(self, value: dt.time | None) -> str | None:
        return None if value is None else value.strftime("%H:%M")


class Counting(_Part):
    """A party named without its number ("me and my friends", "with my kids"): how many is
    asked ("How many people are travelling, you included?"), and a number alone answers it."""

    adults: int
    """The adults counted so far: the speaker and each one named."""
    children: int = 0
    asking: Literal["people", "children"] = "people"
    """What the number answered counts: everyone, or the children."""


# fields added to the state after conversations were stored without them, at their defaults
_ADDED_LATER: dict[str, Any] = {"regions": {}, "partial_date": None, "counting": None}


class PartialDate(_Part):
    """A week, weekend or month said without its day ("next week", "in january") for a moment:
    its day is asked ("Which day next week ...?"), and the day answered is read within it (a
    weekday in that week, "the 15th" in that month), not as the coming one."""

    slot: Literal["arrival", "departure", "returning"] = "arrival"
    unit: Literal["week", "month"]
    start: dt.date
    """The week's Monday, a holiday weekend's first day, or the month's first day."""
    said: str
    """How it was said ("next week", "in January"), for the question."""


class DialogueState(BaseModel):
    """One conversation's dialogue state; the policy returns a new one each turn."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Annotated[Literal[1], Field(alias="schema")] = 1
    status: Status = "collecting"
    slots: Slots = Slots()
    requested: SlotName | None = "destination"
    """The slot the bot's last question asked for: a bare answer fills it."""
    pending: Pending | None = None
    partial_time: PartialTime | None = None
    partial_date: PartialDate | None = None
    counting: Counting | None = None
    regions: dict[PlaceSlot, str] = {}
    """A region said for an end of the trip ("out of Ohio", "to Texas"), whose city is still to
    be asked ("Which city in Ohio ...?"), by slot: both ends can be one, and the city answered
    is read within its region ("Portland" in Maine)."""
    arrival_said: str | None = None
    """The date phrase the arrival came from, read again if the destination's time zone changes."""
    departure_said: str | None = None
    returning_said: str | None = None
    failures: dict[str, int] = {}
    """Answers in a row that did not fill the slot asked for (keyed by slot, or "confirm")."""
    turns: int = 0
    bookings: tuple[str, ...] = ()
    """References of the bookings made in this conversation, oldest first."""

    def to_json(self) -> dict[str, Any]:
        """The stored document. Fields added after the first release are left out while unused, so
        a replica of the release before them (which refuses fields it does not know) still reads
        every conversation that does not use them, as during a rolling deploy."""
        stored = self.model_dump(mode="json", by_alias=True)
        return {k: v for k, v in stored.items() if not (k in _ADDED_LATER and v == _ADDED_LATER[k])}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DialogueState:
        try:
            return cls.model_validate(data, by_alias=True)
        except ValidationError as error:
            raise StateError(f"unreadable dialogue state: {error.error_count()} problems") from error

    def missing(self) -> list[SlotName]:
        return missing(self.slots)
