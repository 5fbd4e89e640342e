"""The goals of a trip dated by its departure, or by its span: "leaving friday", "dec 5 to 12".

A customer who says when they leave has given the day to book on; asking "When do you need
to arrive?" then is a needless question, and answering it books an arrival they never gave
(the booking must have no arrival). Two dates joined as a span ("dec 5 to dec 12", "friday
to sunday", "the 5th through the 12th") are the way out and the way back: a round trip,
not an arrival on the last day (what the bot booked before).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from .goals import NAMES, US, _Calendar, _place, nth
from .model import Goal, Moment

__all__ = ["leaving"]

SAME_DAY = ""  # asked when they arrive, a customer who gave only the departure says that day
ANSWERED = ("to {d} from {o}", "fly {o} to {d}")  # the day said only in answer to the question


def _next_day_of_month(day: int, after: dt.date) -> dt.date:
    """The first date with this day of the month on or after ``after`` (a calendar fact)."""
    date = after
    while date.day != day:
        date += dt.timedelta(days=1)
    return date


def leaving(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    """Each phrasing once, between two plain American cities."""
    today = cal.today
    tomorrow, friday = today + dt.timedelta(days=1), cal.weekday(4)
    out = today + dt.timedelta(days=12)  # a day said by its month and number
    back = out + dt.timedelta(days=7)
    mon, month = f"{out:%b}".lower(), f"{out:%B}".lower()
    ord_out = _next_day_of_month(5, today + dt.timedelta(days=1))  # "the 5th": the next 5th
    ord_back = _next_day_of_month(12, ord_out)
    sunday = friday + dt.timedelta(days=2)

    # (opening with {o} and {d}; departure; arrival; return; what the customer answers to the arrival question)
    cases: list[tuple[str, Moment | None, Moment | None, Moment | None, str]] = [
        # the departure alone: no arrival asked, none booked
        ("flying out of {o} tomorrow morning headed to {d}", Moment(tomorrow, period="morning"), None, None,
         SAME_DAY),
        (f"leave from {{o}} on {month} {out.day} to {{d}}", Moment(out), None, None, SAME_DAY),
        (f"from {{o}} to {{d}}, leaving {mon} {out.day}", Moment(out), None, None, SAME_DAY),
        ("i want to go from {o} to {d}. leaving friday", Moment(friday), None, None, SAME_DAY),
        (f"one way to {{d}} from {{o}}, departing {month} {nth(out.day)} at 8am",
         Moment(out, dt.time(8, 0), "at"), None, None, SAME_DAY),
        (f"departing {{o}} {mon} {out.day} for {{d}}", Moment(out), None, None, SAME_DAY),
        ("i leave {o} on friday evening, going to {d}", Moment(friday, period="evening"), None, None,
         SAME_DAY),
        (f"a flight from {{o}} to {{d}} that leaves after 6pm on {month} {out.day}",
         Moment(out, dt.time(18, 0), "after"), None, None, SAME_DAY),
        ("to {d} from {o}", Moment(friday), None, None, "i'm leaving on friday"),
        ("fly {o} to {d}", Moment(out), None, None, f"leaving on {month} {nth(out.day)}"),
        # a departure and a return
        (f"{{o}} to {{d}}, depart the {nth(ord_out.day)}, return the {nth(ord_back.day)}", Moment(ord_out), None,
         Moment(ord_back), SAME_DAY),
        (f"leaving {{o}} {mon} {out.day} for {{d}}, back {mon} {back.day}" if back.month == out.month else
         f"leaving {{o}} {mon} {out.day} for {{d}}, back {back:%b} {back.day}".lower(), Moment(out), None,
         Moment(back), SAME_DAY),
        ("from {o} to {d} leaving friday, coming back a week later", Moment(friday), None,
         Moment(friday + dt.timedelta(days=7)), SAME_DAY),
        ("leaving {o} friday to sunday for {d}", Moment(friday), None, Moment(sunday), SAME_DAY),
        # two dates as a span: the way out (the arrival) and the return
        (f"i'm going to {{d}} {mon} {out.day} to {back:%b} {back.day} from {{o}}".lower(), None, Moment(out),
         Moment(back), ""),
        (f"{{d}} from {{o}} {mon} {out.day} - {back:%b} {back.day}".lower(), None, Moment(out), Moment(back), ""),
        (f"to {{d}} from {{o}} {month} {out.day} through {back:%B} {back.day}".lower(), None, Moment(out),
         Moment(back), ""),
        (f"to {{d}} from {{o}} from the {nth(ord_out.day)} to the {nth(ord_back.day)}", None, Moment(ord_out),
         Moment(ord_back), ""),
        (f"{{o}} to {{d}}, {month} {out.day} until {back:%B} {back.day}".lower(), None, Moment(out), Moment(back),
         ""),
        ("{o} to {d} friday to sunday", None, Moment(friday), Moment(sunday), ""),
        (f"a trip to {{d}} from {{o}}, {mon} {out.day} thru {back:%b} {back.day}".lower(), None, Moment(out),
         Moment(back), ""),
    ]  # fmt: skip
    if back.month == out.month:  # a month said once for both days: "dec 5-12", "dec 5 to 12"
        cases += [
            (f"to {{d}} from {{o}} {mon} {out.day}-{back.day}", None, Moment(out), Moment(back), ""),
            (f"to {{d}} from {{o}} {mon} {out.day} to {back.day}", None, Moment(out), Moment(back), ""),
            (f"to {{d}} from {{o}} {mon} {nth(out.day)}-{nth(back.day)}", None, Moment(out), Moment(back), ""),
        ]
    cases += [  # the soonest flight: leaving today
        ("get me from {o} to {d} asap", Moment(today), None, None, SAME_DAY),
        ("to {d} from {o}", Moment(today), None, None, "as soon as possible"),
        # an arrival beside the departure, counted from its day; a return on the day out
        (f"from {{o}} to {{d}} leaving {month} {out.day} in the evening, arriving the next morning",
         Moment(out, period="evening"), Moment(out + dt.timedelta(days=1), period="morning"), None, ""),
        ("from {o} to {d}, leaving friday at 6 pm and arriving by 10 pm", Moment(friday, dt.time(18, 0), "at"),
         Moment(friday, dt.time(22, 0), "by"), None, ""),
        (f"to {{d}} from {{o}} on {month} {out.day}, back the same day", None, Moment(out), Moment(out), ""),
    ]
    for number, (shape, departure, arrival, returning, arrival_answer) in enumerate(cases):
        (oc, o), (dc, d) = rng.sample(US, 2)
        opening = shape.format(o=o, d=d)
        said = {"destination", "origin"} | ({"departure"} if departure and shape not in ANSWERED else set())
        said |= ({"arrival"} if arrival else set()) | ({"returning", "trip"} if returning else set())
        first = (arrival or departure).date  # type: ignore[union-attr]
        said_back = f"{returning.date:%B} {returning.date.day}".lower() if returning else None
        yield Goal(
            id=f"leaving-{number:03d}",
            kind="leaving",
            destination=_place(dc, d),
            arrival=arrival,
            opening=(opening,),
            arrival_answer=arrival_answer or f"on {first:%B} {first.day}".lower(),
            said=frozenset(said),
            origin=_place(oc, o),
            departure=departure,
            departure_answer=f"on {departure.date:%B} {departure.date.day}".lower() if departure else None,
            returning=returning,
            returning_answer=f"on {said_back}" if said_back else None,
            traveller=NAMES[(number + 5) % len(NAMES)],
        )
