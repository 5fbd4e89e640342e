"""Small synthetic corpora in the ATIS layout, generated from templates with a fixed seed.

They stand in for ATIS in tests, which must run without ../shared: the sentences use ATIS
slot names, so a tagger trained on them behaves like a small ATIS tagger.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

CITIES = [
    "boston",
    "denver",
    "dallas",
    "atlanta",
    "pittsburgh",
    "baltimore",
    "seattle",
    "chicago",
    "miami",
    "phoenix",
    "oakland",
    "detroit",
    "new york",
    "san francisco",
    "salt lake city",
    "las vegas",
    "los angeles",
    "st. louis",
    "kansas city",
    "washington",
]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DAYS = ["first", "2nd", "third", "4th", "fifth", "twelfth", "20th", "twenty first", "30th"]
TIMES = ["5 pm", "9 am", "noon", "10 am", "6 pm", "7:30 am"]

Tagged = list[tuple[str, str]]


def _span(words: str, slot: str) -> Tagged:
    tokens = words.split()
    return [(t, ("B-" if i == 0 else "I-") + slot) for i, t in enumerate(tokens)]


def _plain(words: str) -> Tagged:
    return [(t, "O") for t in words.split()]


def _date(role: str, rng: random.Random) -> Tagged:
    return _span(rng.choice(MONTHS), f"{role}_date.month_name") + _span(rng.choice(DAYS), f"{role}_date.day_number")


def arrive_leave_sentence(verb: str, city: str, rng: random.Random) -> tuple[Tagged, str]:
    """The lecture's example: "arrive X on D" (X is the destination) or "leave X on D" (origin)."""
    role = "toloc" if verb == "arrive" else "fromloc"
    date_role = "arrive" if verb == "arrive" else "depart"
    prefix = rng.choice(["", "i want to ", "i need to ", "i would like to ", "please ", "i will "])
    place = rng.choice(["", "in ", "at "]) if verb == "arrive" else rng.choice(["", "from "])
    tagged = _plain(f"{prefix}{verb} {place}".strip()) + _span(city, f"{role}.city_name")
    tagged += _plain("on") + _date(date_role, rng)
    return tagged, "atis_flight"


def flight_sentence(rng: random.Random) -> tuple[Tagged, str]:
    """A mix of ATIS-like requests: flights between cities, fares, times."""
    origin, destination = rng.sample(CITIES, 2)
    kind = rng.randrange(5)
    if kind == 0:
        tagged = _plain("show me flights from") + _span(origin, "fromloc.city_name") + _plain("to")
        tagged += _span(destination, "toloc.city_name")
        return tagged, "atis_flight"
    if kind == 1:
        tagged = _plain("what is the cheapest fare from") + _span(origin, "fromloc.city_name") + _plain("to")
        tagged += _span(destination, "toloc.city_name")
        return tagged, "atis_airfare"
    if kind == 2:
        tagged = _plain("i want to fly to") + _span(destination, "toloc.city_name") + _plain("arriving before")
        tagged += _span(rng.choice(TIMES), "arrive_time.time")
        return tagged, "atis_flight"
    if kind == 3:
        tagged = _plain("what ground transportation is there in") + _span(destination, "city_name")
        return tagged, "atis_ground_service"
    tagged = _plain("flights leaving") + _span(origin, "fromloc.city_name") + _plain("at")
    tagged += _span(rng.choice(TIMES), "depart_time.time") + _plain("going to") + _span(destination, "toloc.city_name")
    return tagged, "atis_flight"


def write_split(folder: Path, sentences: Sequence[tuple[Tagged, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seq.in").write_text("".join(" ".join(t for t, _ in s) + "\n" for s, _ in sentences))
    (folder / "seq.out").write_text("".join(" ".join(g for _, g in s) + "\n" for s, _ in sentences))
    (folder / "label").write_text("".join(f"{intent}\n" for _, intent in sentences))
    return folder


def flights_corpus(folder: Path, train: int = 300, dev: int = 60, seed: int = 7) -> Path:
    """An ATIS-like corpus folder with ``train/`` and ``dev/``."""
    rng = random.Random(seed)

    def sample() -> tuple[Tagged, str]:
        if rng.random() < 0.3:
            return arrive_leave_sentence(rng.choice(["arrive", "leave"]), rng.choice(CITIES), rng)
        return flight_sentence(rng)

    write_split(folder / "train", [sample() for _ in range(train)])
    write_split(folder / "dev", [sample() for _ in range(dev)])
    return folder
