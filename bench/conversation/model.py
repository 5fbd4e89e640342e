"""What a customer wants and how they say it: the vocabulary of goals and outcomes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Goal", "Moment", "Outcome", "Place"]


@dataclass(frozen=True, slots=True)
class Place:
    """A place the customer means: ``airport`` must be among the booked city's airports."""

    airport: str
    said: str
    """How the customer names it, in every message ("Chi-town", "Florence, Italy", "lhr")."""
    answer: str
    """What they answer to "Which ... do you mean?": the region or country ("Oregon", "Italy")."""
    check_expected: bool = False
    """A "Which one?" or "Did you mean ...?" about it is fair (the name alone is ambiguous)."""
    exact: bool = False
    """An airport the customer named: the booking must be that airport alone, not its whole city."""
    known_as: str = ""
    """The English name the customer recognises it by in "Did you mean ...?" (default: ``said``)."""


@dataclass(frozen=True, slots=True)
class Moment:
    """When: a date (an arrival or a return always has one), a time of day with its qualifier, or a part of the day."""

    date: dt.date | None
    time: dt.time | None = None
    qualifier: str | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    kind: str
    destination: Place
    arrival: Moment | None
    """None: the customer gives only when they leave (``departure``), and no arrival may be booked."""
    opening: tuple[str, ...]
    """The customer's first messages, as scripted (a correction kind scripts its own mistake and fix)."""
    arrival_answer: str
    """What the customer says when asked when they need to arrive."""
    said: frozenset[str]
    """The slots the opening messages give; asking for one of them again is a needless question."""
    origin: Place | None = None
    departure: Moment | None = None
    departure_answer: str | None = None
    scripted_corrections: int = 0
    """Corrections the opening itself makes; they do not count against a clean success."""
    cancel_first: bool = False
    """A flows goal: the script abandons a first request ("cancel", "start over")."""
    traveller: str = "Ana Sousa"
    """The name as on the passport: the answer to "Who is travelling?", and what must be booked."""
    returning: Moment | None = None
    """A round trip's return (None: one-way)."""
    returning_answer: str | None = None
    """What the customer says when asked when they come back."""
    travellers: tuple[int, int] = (1, 0)
    """(adults, children)."""
    cabin: str = "economy"
    airline: str | None = None
    """The preferred airline's IATA code."""
    airline_said: str | None = None
    nonstop: bool = False


@dataclass
class Outcome:
    goal: Goal
    booked_right: bool = False
    corrections: int = 0
    needless: list[str] = field(default_factory=list)
    turns: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)
    why: str = ""

    @property
    def clean(self) -> bool:
        return self.booked_right and self.corrections == 0 and not self.needless

    @property
    def eventual(self) -> bool:
        return self.booked_right
