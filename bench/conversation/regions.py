"""The goals of a region said in place of a city: "fly out of Ohio to Texas", then the cities asked for.

The customer names a state, province or region for one end of the trip or both, and answers
"Which city in Texas ...?" with the city alone ("Austin"), as people do. Some of those
cities are ambiguous alone ("Springfield", "Victoria") and plain within the region said, so
"Which Springfield do you mean?" after "Missouri" is a needless question; some regions share
their name with a small town elsewhere ("Florida", a town in Colombia; "Tuscany", a part of
Calgary) and must still be read as the region.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment

__all__ = ["regions"]

# (airport, the city as answered, the region as said)
DESTINATIONS = [
    ("AUS", "Austin", "Texas"), ("MCO", "Orlando", "Florida"), ("PDX", "Portland", "Oregon"),
    ("SPI", "Springfield", "Illinois"), ("SGF", "Springfield", "Missouri"), ("CTA", "Catania", "Sicily"),
    ("EDI", "Edinburgh", "Scotland"), ("FLR", "Florence", "Tuscany"), ("CNS", "Cairns", "Queensland"),
    ("YYJ", "Victoria", "British Columbia"), ("HNL", "Honolulu", "Hawaii"), ("SAV", "Savannah", "Georgia"),
    ("SJU", "San Juan", "Puerto Rico"), ("LIR", "Liberia", "Costa Rica"), ("FAI", "Fairbanks", "Alaska"),
    ("PWM", "Portland", "Maine"),  # Maine's one large airport: booked without a question
]  # fmt: skip
ORIGINS = [
    ("CMH", "Columbus", "Ohio"), ("SGF", "Springfield", "Missouri"), ("EUG", "Eugene", "Oregon"),
    ("YYC", "Calgary", "Alberta"), ("GRR", "Grand Rapids", "Michigan"), ("MEM", "Memphis", "Tennessee"),
    ("TUS", "Tucson", "Arizona"), ("RNO", "Reno", "Nevada"), ("GLA", "Glasgow", "Scotland"),
    ("RDU", "Raleigh", "North Carolina"), ("SPI", "Springfield", "Illinois"), ("YEG", "Edmonton", "Alberta"),
]  # fmt: skip
TO_REGION = ["fly to {}", "i need to get to {}", "a flight to {}", "going to {}", "i want to go to {}"]
FROM_REGION = ["from {o} to {d} {date}", "flying out of {o} to {d} {date}", "i'm leaving from {o}, to {d} {date}",
               "a flight to {d} {date}, from {o}"]  # fmt: skip


def regions(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """A region for the destination, for the origin, or for both; the date said with it or asked."""
    number = 0
    for airport, city, region in DESTINATIONS:
        date, said_date = cal.plain()
        with_date = number % 2 == 0
        opening = rng.choice(TO_REGION).format(region) + (f" on {said_date}" if with_date else "")
        said = {"destination", "arrival"} if with_date else {"destination"}
        yield _goal("regions", number, _place(airport, city, region), Moment(date), [opening],
                    f"on {said_date}", said, traveller=NAMES[number % len(NAMES)])  # fmt: skip
        number += 1
    for airport, city, region in ORIGINS:
        date, said_date = cal.plain()
        dc, d = rng.choice(US)
        opening = rng.choice(FROM_REGION).format(o=region, d=d, date=f"on {said_date}")
        yield _goal("regions", number, _place(dc, d), Moment(date), [opening], f"on {said_date}",
                    {"destination", "arrival"}, origin=_place(airport, city, region),
                    traveller=NAMES[number % len(NAMES)])  # fmt: skip
        number += 1
    pairs = list(zip(ORIGINS, rng.sample(DESTINATIONS, len(ORIGINS)), strict=True))
    for (oa, oc, oregion), (da, dcity, dregion) in pairs:
        if oregion == dregion or (oa, oc) == (da, dcity):
            continue
        date, said_date = cal.plain()
        opening = rng.choice(FROM_REGION).format(o=oregion, d=dregion, date=f"on {said_date}")
        yield _goal("regions", number, _place(da, dcity, dregion), Moment(date), [opening], f"on {said_date}",
                    {"destination", "arrival"}, origin=_place(oa, oc, oregion),
                    traveller=NAMES[number % len(NAMES)])  # fmt: skip
        number += 1
    # a state said as one ("washington state", "the state of new york"): the state, not the city of its name
    for airport, city, region, said in [("SEA", "Seattle", "Washington", "Washington state"),
                                        ("ALB", "Albany", "New York", "the state of New York"),
                                        ("GEG", "Spokane", "Washington", "the state of Washington")]:  # fmt: skip
        date, said_date = cal.plain()
        yield _goal("regions", number, _place(airport, city, region), Moment(date), [f"fly to {said} on {said_date}"],
                    f"on {said_date}", {"destination", "arrival"}, traveller=NAMES[number % len(NAMES)])  # fmt: skip
        number += 1
