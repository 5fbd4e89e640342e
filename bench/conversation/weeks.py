"""The goals of a week, weekend or month said for a date: "next week", "this weekend", "in january".

"Next week" names no day: booking a week from today (what the bot did) guesses, and the
customer has to correct it. The bot must ask which day, and read the day answered within
what was said ("wednesday" after "next week" is next week's Wednesday, not the coming one;
"the 15th" after "in january" is January's, not December's); a week said with its day
("thursday next week", "next week on tuesday", "in april, on the 20th") is that day, with no
question.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _goal, _place
from .model import Goal, Moment

__all__ = ["weeks"]

WHOLE_DATE = "a whole date"  # answered to the week's question instead of a day
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weeks(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each phrasing once, with a plain American destination (and origin, where said)."""
    monday = cal.today - dt.timedelta(days=cal.today.weekday())

    def day(week: int, weekday: str) -> dt.date:
        return monday + dt.timedelta(days=7 * week + _DAYS.index(weekday))

    # (opening with {d} and {o}, the day meant, the answer to "Which day ...?" (None: none asked), part of the day)
    cases: list[tuple[str, dt.date, str | None, str | None]] = [
        ("to {d} next week", day(1, "wednesday"), "wednesday", None),
        ("i need to be in {d} sometime next week", day(1, "friday"), "on friday", None),
        ("to {d} early next week", day(1, "monday"), "monday", None),
        ("from {o} to {d} next week", day(1, "tuesday"), "tuesday please", None),
        ("to {d} next week", day(1, "thursday"), WHOLE_DATE, None),
        ("a flight to {d} the week after next", day(2, "tuesday"), "tuesday", None),
        ("to {d} this week", day(0, "saturday"), "saturday", None),
        ("from {o} to {d} next week in the evening", day(1, "thursday"), "thursday", "evening"),
        ("to {d} thursday next week", day(1, "thursday"), None, None),
        ("to {d} next week on tuesday", day(1, "tuesday"), None, None),
        ("fly me to {d} on friday of next week", day(1, "friday"), None, None),
        ("to {d} on saturday this week", day(0, "saturday"), None, None),
        ("to {d} the week after next, on wednesday", day(2, "wednesday"), None, None),
        ("from {o} to {d} on the monday of the week after next", day(2, "monday"), None, None),
        ("to {d} this weekend", day(0, "saturday"), "saturday", None),
        ("i want to fly to {d} over the weekend", day(0, "sunday"), "on sunday", None),
        ("to {d} in january", cal.next_date(1, 15), "the 15th", None),
        ("from {o} to {d} sometime in march", cal.next_date(3, 3), "on the 3rd", None),
        ("to {d} early february", cal.next_date(2, 4), "the 4th", None),
        ("a flight to {d} next month", cal.next_date(12, 10), "the 10th", None),
        ("to {d} in april, on the 20th", cal.next_date(4, 20), None, None),
    ]  # fmt: skip
    for number, (shape, date, answer, period) in enumerate(cases):
        airport, city = rng.choice(US)
        origin = _place(*rng.choice([c for c in US if c[0] != airport])) if "{o}" in shape else None
        opening = [shape.format(d=city, o=origin.said if origin else "")]
        if answer == WHOLE_DATE:
            answer = f"{date:%B} {date.day}".lower()
        said = {"destination"} | ({"arrival"} if answer is None else set()) | ({"origin"} if origin else set())
        more = {"origin": origin} if origin else {}
        yield _goal("weeks", number, _place(airport, city), Moment(date, period=period), opening,
                    answer or f"on {date:%B} {date.day}", said, traveller=NAMES[(number + 9) % len(NAMES)],
                    **more)  # fmt: skip
    # a round trip's return said as a week, its day asked ("Which day next week do you want to come back?")
    (oc, o), (dc, d) = rng.sample(US, 2)
    yield _goal("weeks", len(cases), _place(dc, d), Moment(day(0, "saturday")),
                [f"a round trip from {o} to {d} on saturday, coming back next week"], "on saturday",
                {"destination", "arrival", "origin"}, origin=_place(oc, o), returning=Moment(day(1, "friday")),
                returning_answer="friday", traveller=NAMES[len(cases) % len(NAMES)])  # fmt: skip
    # a weekend later, a week after a weekday as said in Britain, a day counted from a named one,
    # the nth weekday of a month, a day of this month (fixed cities: no draw, the goals above stay as they were)
    friday = cal.weekday(4)
    later: list[tuple[str, dt.date, str | None]] = [
        ("to {d} this coming weekend", day(0, "saturday"), "saturday"),
        ("to {d} the weekend after next", day(1, "sunday"), "sunday"),
        ("to {d} a week on friday", friday + dt.timedelta(days=7), None),
        ("to {d} friday week", friday + dt.timedelta(days=7), None),
        ("to {d} 2 days before christmas", cal.next_date(12, 25) - dt.timedelta(days=2), None),
        ("to {d} the second monday of january", _nth_monday(cal.today, 1, 2), None),
        ("to {d} on the 28th of this month", cal.today.replace(day=28), None),
        ("to {d} on xmas eve", cal.next_date(12, 24), None),
    ]  # fmt: skip
    for extra, (shape, date, answer) in enumerate(later, start=len(cases) + 1):
        airport, city = US[extra % len(US)]
        said = {"destination"} | ({"arrival"} if answer is None else set())
        yield _goal("weeks", extra, _place(airport, city), Moment(date), [shape.format(d=city)],
                    answer or f"on {date:%B} {date.day}", said, traveller=NAMES[(extra + 9) % len(NAMES)])  # fmt: skip


    # a named day's weekend or week, its day asked and read within it (calendar facts worked out here)
    memorial = _last_monday_of_may(cal.today)
    labor = _nth_monday(cal.today, 9, 1)
    christmas = cal.next_date(12, 25)
    named: list[tuple[str, dt.date, str]] = [
        ("to {d} for memorial day weekend", memorial - dt.timedelta(days=2), "saturday"),
        ("a flight to {d} over labor day weekend", labor - dt.timedelta(days=1), "sunday"),
        ("to {d} christmas week", christmas - dt.timedelta(days=christmas.weekday() - 2), "wednesday"),
    ]  # fmt: skip
    for extra, (shape, date, answer) in enumerate(named, start=len(cases) + 1 + len(later)):
        airport, city = US[extra % len(US)]
        yield _goal("weeks", extra, _place(airport, city), Moment(date), [shape.format(d=city)], answer,
                    {"destination"}, traveller=NAMES[(extra + 9) % len(NAMES)])  # fmt: skip


def _last_monday_of_may(today: dt.date) -> dt.date:
    """Memorial Day: the last Monday of May, this year's unless it has passed."""
    for year in (today.year, today.year + 1):
        last = dt.date(year, 5, 31)
        day = last - dt.timedelta(days=last.weekday())
        if day >= today:
            return day
    raise AssertionError("unreachable")


def _nth_monday(today: dt.date, month: int, nth: int) -> dt.date:
    """The nth Monday of the coming such month (a calendar fact, worked out here, not by the bot)."""
    year = today.year + (month < today.month)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (nth - 1))
