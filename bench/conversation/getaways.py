"""The goals of a trip named by its island, resort or park: "to Maui", "to Jackson Hole", "to Disney World".

Travellers name where they are going, not the town whose airport serves it: Maui (Kahului,
OGG), Martha's Vineyard (filed under Vineyard Haven), Mallorca (Palma), Vail (Eagle County).
Neither GeoNames' cities nor the airport lists carry most of these names, so each must be
booked to its airport without a question; a few places already known by their own names
(Nantucket, Bali, Aspen) stand beside them, so a change that breaks the plain case shows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment

__all__ = ["getaways"]

# (an airport that serves it, the name said)
GETAWAYS = [
    ("OGG", "Maui"), ("LIH", "Kauai"), ("HNL", "Oahu"), ("KOA", "Kona"), ("MVY", "Martha's Vineyard"),
    ("PMI", "Mallorca"), ("PMI", "Majorca"), ("HER", "Crete"), ("JAC", "Jackson Hole"), ("EGE", "Vail"),
    ("HYA", "Cape Cod"), ("PPT", "Tahiti"), ("RNO", "Lake Tahoe"), ("MCO", "Disney World"),
    ("EYW", "the Florida Keys"), ("ANU", "Antigua"), ("SJD", "Cabo"), ("SXM", "St. Maarten"),
    ("PLS", "Turks and Caicos"), ("GCM", "Grand Cayman"), ("FAO", "the Algarve"), ("MAH", "Minorca"),
    ("YVR", "Whistler"), ("HDN", "Steamboat Springs"),
    ("ACK", "Nantucket"), ("DPS", "Bali"), ("ASE", "Aspen"), ("IBZ", "Ibiza"), ("PUJ", "Punta Cana"),
    ("JTR", "Santorini"), ("BZN", "Yellowstone"), ("EYW", "Key West"),
]  # fmt: skip
SHAPES = [
    "to {d} on {date}", "a flight to {d} on {date}", "i want to fly to {d} on {date}", "from {o} to {d} on {date}",
    "we're going to {d}, arriving {date}", "fly me from {o} to {d} on {date}",
]  # fmt: skip


def getaways(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each getaway once, with a plain date, and an American origin in half of them."""
    for number, (airport, name) in enumerate(GETAWAYS):
        date, said_date = cal.plain()
        shape = SHAPES[number % len(SHAPES)]
        origin = None
        if "{o}" in shape:
            oa, oc = rng.choice([c for c in US if c[0] != airport])
            origin = _place(oa, oc)
        opening = [shape.format(d=name, o=origin.said if origin else "", date=said_date)]
        more = {"origin": origin} if origin else {}
        said = {"destination", "arrival"} | ({"origin"} if origin else set())
        yield _goal("getaways", number, _place(airport, name), Moment(date), opening, f"on {said_date}",
                    said, traveller=NAMES[(number + 5) % len(NAMES)], **more)  # fmt: skip
    # added later, on fixed dates (no calendar draw: the kinds after this one keep theirs)
    for extra, (airport, name) in enumerate([("ORF", "the Outer Banks"), ("PDX", "Mt. Hood"), ("OAK", "Napa")],
                                            start=len(GETAWAYS)):  # fmt: skip
        date = cal.after(30 + extra)
        yield _goal("getaways", extra, _place(airport, name), Moment(date), [f"to {name} on {date:%B} {date.day}"],
                    "", {"destination", "arrival"}, traveller=NAMES[(extra + 5) % len(NAMES)])  # fmt: skip
