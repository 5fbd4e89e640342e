"""The goals of times, dates and airports typed casually: "at 5ish", "1700", "by lunchtime",
"a fortnight from today", "the end of the month", "Chicago Midway".

People type a time as they would write it in a text ("8.30am", "1700", "5ish"), name it by
a meal or their day ("by lunchtime", "after work", "first thing"), count in fortnights, and
name an airport after its city ("London Heathrow", "New York JFK"); a return may be
counted from the arrival ("back two weeks later"), and a date word is misspelt as often
as not ("tommorow", "febuary"); two days offered ("the 10th or 11th") are the customer's to
choose, so the bot must ask which, not pick one. Dropping such a time
books a day without it (a correction); reading "Chicago Midway" as Chicago books the wrong
airport; "the end of the month" names no day, so the day must be asked, not guessed.
Each reading is the ordinary one: a meal is around its hour (lunch at noon, dinner at six),
"after work" after five in the afternoon, "first thing" the morning.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment, Place

__all__ = ["casual"]


def casual(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each phrasing once, with a plain American destination (or the airport named)."""
    t = dt.time
    number = 0

    def goal(destination: Place, arrival: Moment, opening: str, answer: str | None, **more: object) -> Goal:
        nonlocal number
        said = {"destination"} | ({"arrival"} if answer is None else set())
        said |= {"origin"} if "origin" in more else set()
        made = _goal("casual", number, destination, arrival, [opening], answer or "", said,
                     traveller=NAMES[(number + 3) % len(NAMES)], **more)  # fmt: skip
        number += 1
        return made

    # a time typed or named casually, on a date said plainly
    times = [
        ("to {d} on {date} by lunchtime", t(12, 0), "by", None),
        ("to {d} on {date}, arriving at 5ish", t(17, 0), "around", None),
        ("to {d} on {date} at 1700", t(17, 0), "at", None),
        ("a flight to {d} on {date}, landing at 0830 hours", t(8, 30), "at", None),
        ("to {d} on {date} at 8.30am", t(8, 30), "at", None),
        ("i need to be in {d} by 6.45pm on {date}", t(18, 45), "by", None),
        ("to {d} first thing on {date}", None, None, "morning"),
        ("to {d} on {date} after work", t(17, 0), "after", None),
        ("to {d} on {date} in time for dinner", t(18, 0), "by", None),
        ("to {d} on {date} around dinner time", t(18, 0), "around", None),
        ("fly me to {d} on {date} at noonish", t(12, 0), "around", None),
        ("to {d} mid-morning on {date}", None, None, "morning"),
        ("to {d} on {date}, mid afternoon", None, None, "afternoon"),
        ("to {d} on {date} at 14.30", t(14, 30), "at", None),
        ("to {d} on {date} at 3ish", t(15, 0), "around", None),
        ("to {d} on {date}, no earlier than 9am", t(9, 0), "after", None),
        ("to {d} on {date}, not before 10am", t(10, 0), "after", None),
        ("to {d} on {date} between 3 and 5 pm", t(17, 0), "by", None),
        ("to {d} on {date} at 19h", t(19, 0), "at", None),
        ("to {d} on {date}, 7pm-ish", t(19, 0), "around", None),
        ("to {d} on {date} at half 4", t(16, 30), "at", None),
    ]  # fmt: skip
    for shape, time, qualifier, period in times:
        airport, city = rng.choice(US)
        date, said_date = cal.plain()
        yield goal(_place(airport, city), Moment(date, time, qualifier, period),
                   shape.format(d=city, date=said_date), None)  # fmt: skip

    # a date counted in fortnights or weeks from a weekday, or a part of a month (its day asked)
    friday, sunday = cal.weekday(4), cal.weekday(6)
    last = calendar.monthrange(cal.today.year, cal.today.month)[1]
    month_end = cal.today.replace(day=last)
    next_first = month_end + dt.timedelta(days=1)
    dates: list[tuple[str, dt.date, str | None]] = [
        ("to {d} two weeks from friday", friday + dt.timedelta(days=14), None),
        ("to {d} a fortnight from today", cal.after(14), None),
        ("a flight to {d} in a fortnight", cal.after(14), None),
        ("to {d} a week from sunday", sunday + dt.timedelta(days=7), None),
        ("to {d} the first week of january", cal.next_date(1, 5), "the 5th"),
        ("i need to get to {d} at the end of the month", month_end, f"the {last}{'st' if last == 31 else 'th'}"),
        ("to {d} at the beginning of next month", next_first.replace(day=2), "on the 2nd"),
        ("to {d} mid-february", cal.next_date(2, 15), "the 15th"),
        ("to {d} the last week of march", cal.next_date(3, 28), "march 28"),
    ]  # fmt: skip
    for shape, date, answer in dates:
        airport, city = rng.choice(US)
        yield goal(_place(airport, city), Moment(date), shape.format(d=city), answer)

    # an airport named after its city ("London Heathrow"): that airport, not the city's others
    airports = [
        ("LHR", "London Heathrow"), ("MDW", "Chicago Midway"), ("JFK", "New York JFK"), ("ORY", "Paris Orly"),
        ("NRT", "Tokyo Narita"), ("IAD", "Washington Dulles"), ("MXP", "Milan Malpensa"),
        ("LGW", "London Gatwick"), ("LGA", "New York LaGuardia"),
    ]  # fmt: skip
    for code, said in airports:
        date, said_date = cal.plain()
        place = Place(airport=code, said=said, answer=said, exact=True)
        yield goal(place, Moment(date), f"{rng.choice(['to', 'a flight to', 'fly me to'])} {said} on {said_date}", None)
    date, said_date = cal.plain()
    airport, city = rng.choice([c for c in US if c[0] not in ("IAH", "HOU")])
    yield goal(_place(airport, city), Moment(date), f"from Houston Hobby to {city} on {said_date}", None,
               origin=Place(airport="HOU", said="Houston Hobby", answer="Houston Hobby", exact=True))  # fmt: skip

    # everyday names of an area or a city that no list carries
    for code, said in [("SFO", "the Bay Area"), ("MSP", "the Twin Cities"), ("MCI", "KC")]:
        date, said_date = cal.plain()
        yield goal(_place(code, said), Moment(date), f"to {said} on {said_date}", None)

    # date words misspelt or texted: "febuary 3rd" must not be the next 3rd of any month
    tuesday, thursday, saturday = cal.weekday(1), cal.weekday(3), cal.weekday(5)
    typos: list[tuple[str, Moment]] = [
        ("to {d} tommorow", Moment(cal.after(1))), ("fly me to {d} on wendesday", Moment(cal.weekday(2))),
        ("to {d} on febuary 3rd", Moment(cal.next_date(2, 3))),
        ("a flight to {d} on decmber 20", Moment(cal.next_date(12, 20))),
        ("to {d} thrusday evening", Moment(thursday, period="evening")), ("to {d} on saturdy", Moment(saturday)),
        ("to {d} 2morrow", Moment(cal.after(1))), ("i need to get to {d} on januray 9", Moment(cal.next_date(1, 9))),
        ("to {d} on tuesdy at 5ish", Moment(tuesday, t(17, 0), "around")),
    ]  # fmt: skip
    for shape, moment in typos:
        airport, city = rng.choice(US)
        yield goal(_place(airport, city), moment, shape.format(d=city), None)

    # two days offered for one arrival: asked which, not picked; the first flight is the morning
    def coming(day: int) -> dt.date:
        month = cal.today.replace(day=1) if cal.today.day < day else (month_end + dt.timedelta(days=1))
        return month.replace(day=day)

    for shape, moment, answer in [
        ("to {d} on the 10th or 11th", Moment(coming(10)), "the 10th"),
        ("i want to fly to {d} between the 14th and the 16th", Moment(coming(15)), "the 15th"),
        ("to {d} on the 20th or maybe the 21st", Moment(coming(21)), "on the 21st"),
    ]:
        airport, city = rng.choice(US)
        yield goal(_place(airport, city), moment, shape.format(d=city), answer)
    for shape, period in [("to {d} on the first flight on {date}", "morning"),
                          ("my first flight ever! to {d} on {date}", None)]:  # fmt: skip
        airport, city = rng.choice(US)
        date, said_date = cal.plain()
        yield goal(_place(airport, city), Moment(date, period=period), shape.format(d=city, date=said_date), None)

    # a return counted from the arrival ("back two weeks later"): nothing to move yet, so the days count from it
    for shape, days in [("from {o} to {d} on {date}, back two weeks later", 14),
                        ("a round trip from {o} to {d} on {date}, returning a fortnight later", 14),
                        ("from {o} to {d} on {date} and back 3 days later", 3)]:  # fmt: skip
        (oa, oc), (da, dc) = rng.sample(US, 2)
        date, said_date = cal.plain()
        made = goal(_place(da, dc), Moment(date), shape.format(o=oc, d=dc, date=said_date), None,
                    origin=_place(oa, oc), returning=Moment(date + dt.timedelta(days=days)))  # fmt: skip
        yield replace(made, said=made.said | {"returning"})

    # "in the am", a part of the day after a bare hour, a bound said before the date (fixed
    # cities and dates: no draw, so nothing above shifts)
    day = cal.after(9)
    said_day = f"{day:%B} {day.day}".lower()
    for extra, (shape, moment) in enumerate([
        ("to {d} on {date} in the am", Moment(day, period="morning")),
        ("to {d} on {date} at 7 in the pm", Moment(day, t(19, 0), "at")),
        ("to {d}, i need to arrive by saturday noon", Moment(saturday, t(12, 0), "by")),
        ("to {d} before friday at 5 pm", Moment(cal.weekday(4), t(17, 0), "before")),
    ]):  # fmt: skip
        airport, city = US[(extra * 5 + 2) % len(US)]
        yield goal(_place(airport, city), moment, shape.format(d=city, date=said_day), None)

    # an airport named by a name with "field" or "national" in it
    day = cal.after(11)
    said_day = f"{day:%B} {day.day}".lower()
    love = Place(airport="DAL", said="Dallas Love Field", answer="Dallas Love Field", exact=True)
    yield goal(love, Moment(day), f"fly to dallas love field from houston on {said_day}", None,
               origin=_place("IAH", "Houston"))  # fmt: skip
    reagan = Place(airport="DCA", said="Reagan National", answer="Reagan National", exact=True)
    yield goal(reagan, Moment(day), f"to reagan national on {said_day}", None)
