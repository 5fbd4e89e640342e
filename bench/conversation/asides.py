"""The goals of a request said with an aside: why, with whom, what for ("to Denver for a wedding").

ATIS's sentences carry nothing but the trip, so ordinary words beside it are unknown to the
tagger, and some are place names somewhere ("Wedding" is part of Berlin, "Cat Island" in the
Bahamas, "Marathon" in Greece and Florida). The booking must hold only the trip: no origin
read from the aside, no question about it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment

__all__ = ["asides"]

# {d}: the destination, {date}: when; the aside before, within or after the request
SHAPES = [
    "to {d} for a wedding on {date}", "to {d} with my cat on {date}", "to {d} on {date}, it's for a funeral",
    "i'm going to {d} on {date} for the marathon", "to {d} on {date} for business meetings",
    "my daughter graduates, so to {d} on {date}", "to {d} on {date} to see my grandmother",
    "she has to fly to {d} on {date}", "he needs to be in {d} on {date}", "to {d} on {date} for a job interview",
    "going to {d} on {date} for the conference", "to {d} on {date} for my brother's birthday",
    "to {d} on {date}, a surprise for my wife", "a flight to {d} on {date} for a concert",
    "to {d} on {date}, visiting friends", "to {d} on {date} with my dog", "to {d} on {date} for spring break",
    "to {d} on {date} for the game", "to {d} on {date}, my first time flying", "to {d} on {date} for a hackathon",
]  # fmt: skip


def asides(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each aside once, with a plain American destination and a plain date."""
    for number, shape in enumerate(SHAPES):
        airport, city = rng.choice(US)
        date, said_date = cal.plain()
        opening = [shape.format(d=city, date=said_date)]
        yield _goal("asides", number, _place(airport, city), Moment(date), opening, f"on {said_date}",
                    {"destination", "arrival"}, traveller=NAMES[(number + 3) % len(NAMES)])  # fmt: skip
    # whom the trip is to see, said around the place: no traveller, and "surprise" no town
    # (fixed cities and dates: no draw, so the kinds after this one keep theirs)
    later = [
        ("my daughter lives in {d} and i want to visit her on {date}", "AUS", "Austin"),
        ("i want to surprise my mom in {d} on {date}", "TPA", "Tampa"),
        ("going to {d} to see my parents on {date}", "BOS", "Boston"),
    ]
    for extra, (shape, airport, city) in enumerate(later, start=len(SHAPES)):
        date = cal.after(40 + extra)
        said_date = f"{date:%B} {date.day}".lower()
        opening = [shape.format(d=city, date=said_date)]
        yield _goal("asides", extra, _place(airport, city), Moment(date), opening, f"on {said_date}",
                    {"destination", "arrival"}, traveller=NAMES[(extra + 3) % len(NAMES)])  # fmt: skip
