"""The goals of issue 18's booking parts: return trips; travellers, cabin, airline and nonstop; names.

Each phrasing is one a customer might type ("round trip ... back on the 20th", "me and my
wife", "in business, nonstop if possible", "it's Siobhán O'Brien"); the expected values are
what the words mean (the return is the Sunday after the arrival, "a child" is one child),
never what the bot happens to answer.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place, nth, plainly
from .model import Goal, Moment

__all__ = ["names", "party", "trips"]


def _pair(rng: random.Random) -> tuple[tuple[str, str], tuple[str, str]]:
    origin, destination = rng.sample(US, 2)
    return origin, destination


def _said_day(date: dt.date) -> str:
    return f"{date:%B} {nth(date.day)}"


def trips(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Round trips: the return said with the request, after it, or asked for; one-way said plainly."""
    shapes = [
        # (opening with {o} {d} {date} {back}; says the return; says the origin)
        ("a round trip from {o} to {d}, arriving {date} and back on {back}", True),
        ("fly from {o} to {d} on {date}, returning {back}", True),
        ("i need to be in {d} on {date} and come back on {back}, flying from {o}", True),
        ("from {o} to {d} on {date}, coming back {back}", True),
        ("round-trip {o} to {d}, there on {date}, back {back}", True),
        ("return flight from {o} to {d} on {date}, return on {back}", True),
        ("{o} to {d} on {date}, back on {back}", True),
        ("i'm in {o}, going to {d} on {date} and flying back on {back}", True),
        ("round trip from {o} to {d} on {date}", False),
        ("i need a return ticket from {o} to {d}, arriving {date}", False),
        ("to {d} on {date}, round trip", False),
        ("one way from {o} to {d} on {date}", None),
        ("a one-way ticket to {d} on {date}", None),
    ]  # fmt: skip
    number = 0
    for _round in range(3):
        for shape, says_return in shapes:
            (oc, o), (dc, d) = _pair(rng)
            date, said_date = cal.plain()
            back = date + dt.timedelta(days=rng.randint(2, 14))
            back_said = rng.choice([_said_day(back), f"the {_said_day(back).split()[1]}"])
            if back_said.startswith("the") and back.month != date.month:
                back_said = _said_day(back)
            text = shape.format(o=o, d=d, date=said_date, back=back_said)
            origin = _place(oc, o) if "{o}" in shape else None
            returning = None if says_return is None else Moment(back)
            said = {"destination", "arrival"} | ({"origin"} if origin else set())
            if says_return:
                said.add("returning")
            yield _goal("trips", number, _place(dc, d), Moment(date), [text], f"on {said_date}", said,
                        origin=origin or (_place(oc, o) if returning else None), returning=returning,
                        returning_answer=f"on {_said_day(back)}", traveller=NAMES[number % len(NAMES)])  # fmt: skip
            number += 1
    # how long the trip lasts, or the return a day after: counted from the arrival
    for shape, days in [("from {o} to {d} on {date} for a week", 7), ("{o} to {d} on {date} for 3 nights", 3),
                        ("from {o} to {d} on {date}, staying 5 days", 5),
                        ("a 10 day trip from {o} to {d} on {date}", 10),
                        ("{o} to {d} on {date}, back the next day", 1)]:  # fmt: skip
        (oc, o), (dc, d) = _pair(rng)
        date, said_date = cal.plain()
        yield _goal("trips", number, _place(dc, d), Moment(date), [shape.format(o=o, d=d, date=said_date)],
                    f"on {said_date}", {"destination", "arrival", "origin", "returning"}, origin=_place(oc, o),
                    returning=Moment(date + dt.timedelta(days=days)), traveller=NAMES[number % len(NAMES)])  # fmt: skip
        number += 1


_PARTY = [
    # (words, adults, children, cabin, airline code, airline as said, nonstop)
    ("for two", 2, 0, "economy", None, None, False),
    ("for 2 people", 2, 0, "economy", None, None, False),
    ("me and my wife", 2, 0, "economy", None, None, False),
    ("me and my husband and our two kids", 2, 2, "economy", None, None, False),
    ("3 adults and a child", 3, 1, "economy", None, None, False),
    ("two adults and two children", 2, 2, "economy", None, None, False),
    ("the four of us", 4, 0, "economy", None, None, False),
    ("just me", 1, 0, "economy", None, None, False),
    ("in business class", 1, 0, "business", None, None, False),
    ("first class", 1, 0, "first", None, None, False),
    ("premium economy", 1, 0, "premium_economy", None, None, False),
    ("economy please", 1, 0, "economy", None, None, False),
    ("nonstop", 1, 0, "economy", None, None, True),
    ("a direct flight", 1, 0, "economy", None, None, True),
    ("no layovers", 1, 0, "economy", None, None, True),
    ("on united", 1, 0, "economy", "UA", "united", False),
    ("with delta", 1, 0, "economy", "DL", "delta", False),
    ("american airlines", 1, 0, "economy", "AA", "american airlines", False),
    ("on lufthansa", 1, 0, "economy", "LH", "lufthansa", False),
    ("with jetblue, nonstop", 1, 0, "economy", "B6", "jetblue", True),
    ("for two in business, nonstop if possible", 2, 0, "business", None, None, True),
    ("for three, first class on british airways", 3, 0, "first", "BA", "british airways", False),
    ("me and my son, economy", 1, 1, "economy", None, None, False),
    ("2 adults, business class, direct", 2, 0, "business", None, None, True),
    ("party of five", 5, 0, "economy", None, None, False),
    ("with my wife and 3 kids", 2, 3, "economy", None, None, False),
    ("for 4 passengers on southwest", 4, 0, "economy", "WN", "southwest", False),
    ("business class on air france please", 1, 0, "business", "AF", "air france", False),
    ("me plus 2 kids", 1, 2, "economy", None, None, False),
    ("for myself and my partner", 2, 0, "economy", None, None, False),
    ("me, my wife and the baby", 2, 1, "economy", None, None, False),
    ("me + 1 kid, premium economy", 1, 1, "premium_economy", None, None, False),
    ("with 3 friends", 4, 0, "economy", None, None, False),
    ("family trip, with my grandparents", 3, 0, "economy", None, None, False),
    ("my 2 kids are coming too", 1, 2, "economy", None, None, False),
    ("add my wife", 2, 0, "economy", None, None, False),  # said afterwards (every fourth is)
]  # fmt: skip


def party(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Who travels, in which cabin, on which airline, nonstop or not: said before, within or after the trip."""
    for number, (words, adults, children, cabin, code, airline, nonstop) in enumerate(_PARTY):
        (_, _o), (dc, d) = _pair(rng)
        date, said_date = cal.plain()
        shape = rng.choice(["{w} to {d} on {date}", "a flight to {d} on {date}, {w}", "to {d} on {date} {w}"])
        opening = [shape.format(w=words, d=d, date=said_date)]
        if number % 4 == 3:  # said afterwards, as an extra
            opening = [f"to {d} on {said_date}", words]
        yield _goal("party", number, _place(dc, d), Moment(date), opening, f"on {said_date}",
                    {"destination", "arrival"}, travellers=(adults, children), cabin=cabin, airline=code,
                    airline_said=airline, nonstop=nonstop, traveller=NAMES[(number + 7) % len(NAMES)])  # fmt: skip
    # a party named without its number: how many is asked, and the number answered is the count;
    # a child said by its age
    # (fixed dates, not the shared calendar's draws: the kinds after this one keep their dates)
    uncounted = [
        ("me and my friends want to fly to {d} on {date}", (5, 0)),
        ("a trip with friends to {d}, {date}", (3, 0)),
        ("me, my wife and the kids to {d} on {date}", (2, 3)),
        ("to {d} on {date} with my kids", (1, 2)),
        # a child said by its age
        ("to {d} on {date}, me and my 5 year old", (1, 1)),
        ("to {d} on {date} with a 3-year-old and a baby", (1, 2)),
        ("to {d} on {date}, me and my 12-year-old son", (1, 1)),
    ]  # fmt: skip
    for extra, (shape, (adults, children)) in enumerate(uncounted, start=len(_PARTY)):
        (_, _o), (dc, d) = _pair(rng)
        date = cal.after(20 + extra)
        opening = [shape.format(d=d, date=f"{date:%B} {date.day}".lower())]
        yield _goal("party", extra, _place(dc, d), Moment(date), opening, plainly(Moment(date)),
                    {"destination", "arrival"}, travellers=(adults, children),
                    traveller=NAMES[(extra + 7) % len(NAMES)])  # fmt: skip


_NAME_ANSWERS = [
    "{n}", "my name is {n}", "it's {n}", "{n} please", "the traveller is {n}", "name: {n}", "I'm {n}",
    "this is {n}", "{n}.", "passenger: {n}",
]
# names that are also words or places: the answer to "Who is travelling?" is a name all the same
_HARD_NAMES = ["Paris Jackson", "Florence Welch", "Austin Butler", "Georgia May Jagger", "Jordan Peterson",
               "Sydney Sweeney", "Chelsea Denver", "Victoria Beckham", "Lincoln Washington", "Savannah Phillips"]


def names(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """The name said as an answer in many forms and scripts, said with the request, or corrected."""
    people = NAMES + _HARD_NAMES
    for number, name in enumerate(people):
        (_, _o), (dc, d) = _pair(rng)
        date, said_date = cal.plain()
        opening = [f"to {d} on {said_date}", _NAME_ANSWERS[number % len(_NAME_ANSWERS)].format(n=name)]
        said = {"destination", "arrival", "traveller"}
        corrections = 0
        if number % 5 == 4:  # the name first, then the trip
            opening = [f"my name is {name}", f"to {d} on {said_date}"]
        elif number % 7 == 6:  # a typo, corrected on purpose
            opening = [f"to {d} on {said_date}", name[:-1], f"sorry, the name is {name}"]
            corrections = 1
        yield _goal("names", number, _place(dc, d), Moment(date), opening, plainly(Moment(date)), said,
                    traveller=name, scripted_corrections=corrections)  # fmt: skip
