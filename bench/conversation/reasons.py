"""The goals of a request whose reason comes first or runs into the place: "the marathon in Boston".

The *asides* kind says why after the trip ("to Denver for a wedding"); here the reason names
an event before the city ("I'm running the marathon in Boston", "my sister's wedding in
Austin") or follows it without a pause ("to Boston because of a funeral"). The tagger, which
saw no such words in ATIS, takes some of them for places ("marathon" is a town in Florida
and in Greece, "funeral" is nowhere): the booking must hold the city the customer named,
with no apology for a place they never meant and no question.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment

__all__ = ["reasons"]

# {d}: the destination, {o}: the origin, {date}: when
SHAPES = [
    "i'm running the marathon in {d}, i need to fly there on {date}", "for my sister's wedding in {d} on {date}",
    "to {d} because of a funeral on {date}", "to {d} because my mother is sick, on {date}",
    "i have a job interview in {d} on {date}", "there's a conference in {d} on {date}, from {o}",
    "for the big game in {d} on {date}", "a concert in {d} on {date}, flying from {o}",
    "my grandson's graduation in {d} on {date}", "to {d} since my other flight got cancelled, on {date}",
    "from {o} to {d} because of work on {date}", "for a family reunion in {d} on {date}",
    "to {d} because of the storm on {date}", "a business trip from {o} to {d} on {date}",
    "for the music festival in {d} on {date}", "i'm moving to {d}, on {date}",
    "from {o} to {d} for thanksgiving dinner on {date}", "my team plays in {d} on {date}",
    "for a medical appointment in {d} on {date}", "to {d} because my daughter had a baby, on {date}",
    "i am going to the marathon in {d}, from {o}, arriving {date}", "from {o} to {d} because of a funeral on {date}",
]  # fmt: skip


def reasons(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each reason once, with a plain American destination and date (and origin, where said)."""
    for number, shape in enumerate(SHAPES):
        airport, city = rng.choice(US)
        date, said_date = cal.plain()
        origin = None
        if "{o}" in shape:
            origin = _place(*rng.choice([c for c in US if c[0] != airport]))
        opening = [shape.format(d=city, o=origin.said if origin else "", date=said_date)]
        more = {"origin": origin} if origin else {}
        said = {"destination", "arrival"} | ({"origin"} if origin else set())
        yield _goal("reasons", number, _place(airport, city), Moment(date), opening, f"on {said_date}",
                    said, traveller=NAMES[(number + 7) % len(NAMES)], **more)  # fmt: skip
