"""The customers' goals: what each wants booked and how they say it, in nineteen kinds.

Written for this benchmark, not drawn from any test set: the places are real places and
the phrasings are the ways people type to a booking assistant (other names, airports,
dates and times as said, sentences ATIS never had, corrections, namesakes, flows, and
mistakes). Every expected value is a fact about the place or the calendar (the airport a
city is served by, the date "christmas eve" is), never what the bot happens to answer.

Dates are relative to the conversation's clock (``now``); ``goals(now)`` is deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import replace

from .model import Goal, Moment, Place

__all__ = ["KINDS", "goals"]

KINDS = {
    "places": "places around the world",
    "airports": "airports by name or code",
    "dates": "dates",
    "times": "times",
    "structure": "sentence structure",
    "corrections": "corrections",
    "ambiguous": "ambiguous names",
    "flows": "flows (cancel, start over, second booking)",
    "mistakes": "unknown places, past dates, gibberish",
    "trips": "return trips",
    "party": "travellers, cabin, airline, nonstop",
    "names": "the traveller's name",
    "regions": "a state or region for a city",
    "asides": "a request with an aside (why, with whom)",
    "getaways": "an island, resort or park for a city",
    "reasons": "a reason before the city or run into it",
    "weeks": "a week or month for a date (\"next week\")",
    "casual": "times, dates and airports typed casually (\"5ish\", \"Chicago Midway\")",
    "leaving": "a departure or a span for the dates (\"leaving friday\", \"dec 5 to 12\")",
}
# the names customers travel under (every goal has one): many scripts, accents, hyphens, apostrophes
NAMES = [
    "Ana Sousa", "Björn Ødegård", "Siobhán O'Brien", "李小龍", "Мария Иванова", "Jean-Luc Moreau", "Nguyễn Thị Lan",
    "José Núñez", "Aoife Ní Bhraonáin", "محمد علي", "Zoë Van der Berg", "Priya Ramanathan", "Kwame Mensah",
    "Ólafur Jónsson", "Łucja Wąsowska", "Şebnem Yıldız",  # noqa: RUF001 (Turkish dotless i)
    "佐藤 花子", "Tomás O'Connor-Reyes", "Ngozi Okafor",
    "Dvořák Antonín",
]  # fmt: skip

# airport, how it is said, what the customer answers to "which one?"
WORLD = [
    ("KHH", "Kaohsiung", "Taiwan"), ("DPS", "Bali", "Indonesia"), ("CVG", "Cincinnati", "Ohio"),
    ("FLR", "Florence", "Italy"), ("OAK", "Oakland", "California"), ("RDU", "Raleigh", "North Carolina"),
    ("LIS", "Lisbon", "Portugal"), ("NBO", "Nairobi", "Kenya"), ("LIM", "Lima", "Peru"), ("UIO", "Quito", "Ecuador"),
    ("BOG", "Bogota", "Colombia"), ("SCL", "Santiago de Chile", "Chile"), ("AKL", "Auckland", "New Zealand"),
    ("KEF", "Reykjavik", "Iceland"), ("RAK", "Marrakesh", "Morocco"), ("CPT", "Cape Town", "South Africa"),
    ("HAN", "Hanoi", "Vietnam"), ("SGN", "Ho Chi Minh City", "Vietnam"), ("MUC", "Munich", "Germany"),
    ("PRG", "Prague", "Czech Republic"), ("VIE", "Vienna", "Austria"), ("CPH", "Copenhagen", "Denmark"),
    ("WAW", "Warsaw", "Poland"), ("ATH", "Athens", "Greece"), ("SVQ", "Seville", "Spain"),
    ("NAP", "Naples", "Italy"), ("GVA", "Geneva", "Switzerland"), ("ZRH", "Zurich", "Switzerland"),
    ("EDI", "Edinburgh", "Scotland"), ("DUB", "Dublin", "Ireland"), ("KRK", "Krakow", "Poland"),
    ("BUD", "Budapest", "Hungary"), ("CAI", "Cairo", "Egypt"), ("CMN", "Casablanca", "Morocco"),
    ("BOM", "Mumbai", "India"), ("BLR", "Bangalore", "India"), ("MAA", "Chennai", "India"),
    ("CCU", "Kolkata", "India"), ("PEK", "Beijing", "China"), ("PVG", "Shanghai", "China"),
    ("HKG", "Hong Kong", "China"), ("SIN", "Singapore", "Singapore"), ("KUL", "Kuala Lumpur", "Malaysia"),
    ("CGK", "Jakarta", "Indonesia"), ("MNL", "Manila", "Philippines"), ("SYD", "Sydney", "Australia"),
    ("MEL", "Melbourne", "Australia"), ("PER", "Perth", "Australia"), ("BNE", "Brisbane", "Australia"),
    ("HNL", "Honolulu", "Hawaii"), ("ANC", "Anchorage", "Alaska"), ("YVR", "Vancouver", "British Columbia"),
    ("YUL", "Montreal", "Quebec"), ("YYZ", "Toronto", "Ontario"), ("YYC", "Calgary", "Alberta"),
    ("CUN", "Cancun", "Mexico"), ("HAV", "Havana", "Cuba"), ("SJU", "San Juan", "Puerto Rico"),
    ("EZE", "Buenos Aires", "Argentina"), ("GIG", "Rio de Janeiro", "Brazil"), ("GRU", "Sao Paulo", "Brazil"),
    ("LED", "Saint Petersburg", "Russia"), ("TLV", "Tel Aviv", "Israel"), ("AMM", "Amman", "Jordan"),
    ("TBS", "Tbilisi", "Georgia"), ("KTM", "Kathmandu", "Nepal"), ("CMB", "Colombo", "Sri Lanka"),
    ("HKT", "Phuket", "Thailand"), ("CNX", "Chiang Mai", "Thailand"), ("OKA", "Okinawa", "Japan"),
    ("FUK", "Fukuoka", "Japan"), ("PUS", "Busan", "South Korea"), ("CEB", "Cebu", "Philippines"),
    ("ADD", "Addis Ababa", "Ethiopia"), ("LOS", "Lagos", "Nigeria"), ("ACC", "Accra", "Ghana"),
    ("DAR", "Dar es Salaam", "Tanzania"), ("MRU", "Mauritius", "Mauritius"), ("PPT", "Tahiti", "French Polynesia"),
    ("BNA", "Nashville", "Tennessee"), ("MSY", "New Orleans", "Louisiana"), ("SAT", "San Antonio", "Texas"),
    ("PIT", "Pittsburgh", "Pennsylvania"), ("CLE", "Cleveland", "Ohio"), ("BUF", "Buffalo", "New York"),
    ("ABQ", "Albuquerque", "New Mexico"), ("BOI", "Boise", "Idaho"), ("SAV", "Savannah", "Georgia"),
]  # fmt: skip
# other names people use: local names, old names, nicknames, abbreviations
OTHER_NAMES = [  # airport, as said, region, the English name
    ("FLR", "Firenze", "Italy", "Florence"), ("MUC", "München", "Germany", "Munich"),
    ("VCE", "Venezia", "Italy", "Venice"), ("CGN", "Köln", "Germany", "Cologne"),
    ("PRG", "Praha", "Czech Republic", "Prague"), ("VIE", "Wien", "Austria", "Vienna"),
    ("LIS", "Lisboa", "Portugal", "Lisbon"), ("WAW", "Warszawa", "Poland", "Warsaw"),
    ("SVQ", "Sevilla", "Spain", "Seville"), ("NAP", "Napoli", "Italy", "Naples"),
    ("BOM", "Bombay", "India", "Mumbai"), ("BLR", "Bengaluru", "India", "Bangalore"),
    ("MAA", "Madras", "India", "Chennai"), ("CCU", "Calcutta", "India", "Kolkata"),
    ("PEK", "Peking", "China", "Beijing"), ("SGN", "Saigon", "Vietnam", "Ho Chi Minh"),
    ("GRU", "São Paulo", "Brazil", "Sao Paulo"), ("ORD", "Chi-town", "Illinois", "Chicago"),
    ("LAS", "Vegas", "Nevada", "Las Vegas"), ("PHL", "Philly", "Pennsylvania", "Philadelphia"),
    ("MEX", "CDMX", "Mexico", "Mexico City"), ("LAX", "LA", "California", "Los Angeles"),
    ("SFO", "SF", "California", "San Francisco"), ("MSY", "NOLA", "Louisiana", "New Orleans"),
    ("JFK", "NYC", "New York", "New York"), ("JFK", "the Big Apple", "New York", "New York"),
    ("IAD", "DC", "District of Columbia", "Washington"), ("KUL", "KL", "Malaysia", "Kuala Lumpur"),
    ("GIG", "Rio", "Brazil", "Rio de Janeiro"), ("MEX", "Mexico City", "Mexico", "Mexico City"),
]  # fmt: skip
# a city with its state or province code, as Americans and Canadians write it
WITH_REGION_CODE = [
    ("SEA", "Seattle, WA", "Washington"), ("ATL", "Atlanta, GA", "Georgia"), ("PHX", "Phoenix, AZ", "Arizona"),
    ("YVR", "Vancouver, BC", "British Columbia"), ("PDX", "Portland, OR", "Oregon"), ("AUS", "Austin TX", "Texas"),
    ("MIA", "Miami, FL", "Florida"), ("CMH", "Columbus, OH", "Ohio"), ("MCI", "Kansas City, MO", "Missouri"),
    ("PWM", "Portland, ME", "Maine"), ("DEN", "Denver CO", "Colorado"), ("BOS", "Boston, MA", "Massachusetts"),
]  # fmt: skip
AIRPORT_NAMES = [
    ("LHR", "Heathrow"), ("LGW", "Gatwick"), ("ORD", "O'Hare"), ("AMS", "Schiphol"), ("SIN", "Changi"),
    ("LGA", "LaGuardia"), ("NRT", "Narita"), ("HND", "Haneda"), ("CDG", "Charles de Gaulle"), ("ORY", "Orly"),
    ("BOS", "Logan"), ("IAD", "Dulles"), ("MDW", "Midway"), ("ICN", "Incheon"), ("FCO", "Fiumicino"),
    ("MXP", "Malpensa"), ("STN", "Stansted"), ("EWR", "Newark airport"),
]  # fmt: skip
AIRPORT_CODES = ["LHR", "NRT", "SFO", "CDG", "DEN", "ORD", "MEX", "YYZ", "JFK", "LAX", "ATL", "SEA", "DXB", "HKG",
                 "FRA", "MAD", "BCN", "IST"]  # fmt: skip
# plain American cities for the origin or the other end of a trip
US = [
    ("BOS", "Boston"), ("DEN", "Denver"), ("ORD", "Chicago"), ("ATL", "Atlanta"), ("MIA", "Miami"),
    ("SEA", "Seattle"), ("DFW", "Dallas"), ("IAH", "Houston"), ("PHX", "Phoenix"), ("AUS", "Austin"),
    ("BNA", "Nashville"), ("MSP", "Minneapolis"), ("DTW", "Detroit"), ("SLC", "Salt Lake City"),
    ("SAN", "San Diego"), ("TPA", "Tampa"), ("CLT", "Charlotte"), ("MCO", "Orlando"), ("STL", "St. Louis"),
    ("TUL", "Tulsa"), ("FAT", "Fresno"), ("OMA", "Omaha"), ("RNO", "Reno"), ("ELP", "El Paso"),
]  # fmt: skip
TO = ["to {}", "fly to {}", "a flight to {}", "i want to fly to {}", "book me a flight to {}", "i need to get to {}",
      "going to {}", "i'd like to go to {}"]  # fmt: skip


def _place(airport: str, said: str, answer: str = "", check: bool = False, known_as: str = "") -> Place:
    return Place(airport=airport, said=said, answer=answer or said, check_expected=check, known_as=known_as)


def nth(day: int) -> str:
    """A day of the month as an ordinal: "1st", "12th", "22nd"."""
    return f"{day}{'th' if 11 <= day % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


class _Calendar:
    """Dates as customers say them, each with its value at the conversation's clock."""

    def __init__(self, now: dt.datetime, rng: random.Random) -> None:
        self.today = now.date()
        self.rng = rng

    def plain(self) -> tuple[dt.date, str]:
        """A date 1 to 150 days ahead, said plainly ("December 5th", "jan 12", "March 3")."""
        date = self.today + dt.timedelta(days=self.rng.randint(2, 150))
        day = date.day
        month, short = f"{date:%B}", f"{date:%b}".lower()
        said = self.rng.choice([f"{month} {nth(day)}", f"{short} {day}", f"{month.lower()} {day}",
                                f"the {nth(day)} of {month}"])  # fmt: skip
        return date, said

    def after(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def next_date(self, month: int, day: int) -> dt.date:
        candidate = dt.date(self.today.year, month, day)
        return candidate if candidate > self.today else dt.date(self.today.year + 1, month, day)

    def weekday(self, weekday: int) -> dt.date:
        """The next such weekday after today ("saturday", "this saturday")."""
        ahead = (weekday - self.today.weekday()) % 7 or 7
        return self.today + dt.timedelta(days=ahead)


def plainly(moment: Moment) -> str:
    """A moment said the plainest way ("on December 5 by 4:00 pm"), for answers a script left open."""
    assert moment.date is not None
    text = f"on {moment.date:%B} {moment.date.day}"
    if moment.time is not None:
        hour, half = moment.time.hour % 12 or 12, "am" if moment.time.hour < 12 else "pm"
        text += f" {moment.qualifier or 'at'} {hour}:{moment.time:%M} {half}"
    elif moment.period is not None:
        text += " at night" if moment.period == "night" else f" in the {moment.period}"
    return text


def _goal(kind: str, number: int, destination: Place, arrival: Moment, opening: list[str], arrival_answer: str,
          said: set[str], **more: object) -> Goal:  # fmt: skip
    arrival_answer = arrival_answer or plainly(arrival)
    return Goal(
        id=f"{kind}-{number:03d}", kind=kind, destination=destination, arrival=arrival, opening=tuple(opening),
        arrival_answer=arrival_answer, said=frozenset(said), **more,  # type: ignore[arg-type]
    )


def _places(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    world = [_place(a, s, r) for a, s, r in WORLD]
    quirks, others = world[:6], world[6:]  # the first six are filed under other names in airportsdata
    rng.shuffle(others)
    pool = quirks + others[:24] + [_place(a, s, r, known_as=k) for a, s, r, k in OTHER_NAMES]
    for number, place in enumerate(pool):
        date, said_date = cal.plain()
        template = rng.choice(TO)
        if number % 3 == 0:  # the place first, the date asked for
            yield _goal("places", number, place, Moment(date), [template.format(place.said)], f"on {said_date}",
                        {"destination"})  # fmt: skip
        else:
            yield _goal("places", number, place, Moment(date), [f"{template.format(place.said)} on {said_date}"],
                        f"on {said_date}", {"destination", "arrival"})  # fmt: skip
    for number, (airport, said, region) in enumerate(WITH_REGION_CODE, start=len(pool)):
        date, said_date = cal.plain()
        place = _place(airport, said, region)
        yield _goal("places", number, place, Moment(date), [f"{rng.choice(TO).format(said)} on {said_date}"],
                    f"on {said_date}", {"destination", "arrival"})  # fmt: skip


def _airports(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    forms = ["fly into {}", "to {}", "i need to land at {}", "arriving at {}", "book me to {}", "a flight into {}"]
    number = 0
    for airport, name in AIRPORT_NAMES:
        date, said_date = cal.plain()
        place = Place(airport=airport, said=name, answer=name, exact=True)
        yield _goal("airports", number, place, Moment(date), [f"{rng.choice(forms).format(name)} on {said_date}"],
                    f"on {said_date}", {"destination", "arrival"})  # fmt: skip
        number += 1
    for code in AIRPORT_CODES:
        said = code.lower() if number % 2 else code
        date, said_date = cal.plain()
        place = Place(airport=code, said=said, answer=said, exact=True)
        yield _goal("airports", number, place, Moment(date), [f"{rng.choice(forms).format(said)} on {said_date}"],
                    f"on {said_date}", {"destination", "arrival"})  # fmt: skip
        number += 1


def _dates(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    y = cal.today.year
    next_month = (cal.today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    said_dates: list[tuple[str, dt.date]] = [
        ("on 7 may", cal.next_date(5, 7)), ("22 april", cal.next_date(4, 22)), ("on 3 january", cal.next_date(1, 3)),
        ("15th jan", cal.next_date(1, 15)), ("on the 1st of next month", next_month),
        ("a week from today", cal.after(7)), ("two weeks from today", cal.after(14)), ("in 10 days", cal.after(10)),
        ("the day after tomorrow", cal.after(2)),
        ("tomorrow", cal.after(1)), ("on christmas eve", cal.next_date(12, 24)),
        ("on christmas day", cal.next_date(12, 25)), ("on new year's eve", cal.next_date(12, 31)),
        ("on new year's day", cal.next_date(1, 1)), ("on valentine's day", cal.next_date(2, 14)),
        ("on the fourth of july", cal.next_date(7, 4)), ("on 12/20", cal.next_date(12, 20)),
        (f"on {y + 1}-01-15", dt.date(y + 1, 1, 15)),
        ("this saturday", cal.weekday(5)), ("on saturday", cal.weekday(5)),
        ("on sunday", cal.weekday(6)), ("next month on the 10th", next_month.replace(day=10)),
        ("on the 5th of february", cal.next_date(2, 5)), ("in three weeks", cal.after(21)),
        ("on march the 3rd", cal.next_date(3, 3)), ("on the 30th", cal.today.replace(day=30)),
        ("a week from tomorrow", cal.after(8)), ("on 9 december", cal.next_date(12, 9)),
        ("june fourteenth", cal.next_date(6, 14)), ("on the twentieth of december", cal.next_date(12, 20)),
        ("on halloween", cal.next_date(10, 31)), ("on 1 february", cal.next_date(2, 1)),
    ]  # fmt: skip
    cities = list(US)
    rng.shuffle(cities)
    for number, (said_date, date) in enumerate(said_dates):
        airport, name = cities[number % len(cities)]
        place = _place(airport, name)
        if number % 4 == 3:  # the date as the answer to "when?"
            yield _goal("dates", number, place, Moment(date), [rng.choice(TO).format(name)], said_date,
                        {"destination"})  # fmt: skip
        else:
            yield _goal("dates", number, place, Moment(date), [f"{rng.choice(TO).format(name)} {said_date}"],
                        said_date, {"destination", "arrival"})  # fmt: skip
    # day first with dots, as written in much of Europe (fixed places and phrasing: no draw, nothing shifts)
    dotted = cal.next_date(12, 12)
    yield _goal("dates", len(said_dates), _place("MAD", "Madrid"), Moment(dotted),
                [f"from berlin to madrid on {dotted.day}.{dotted.month}."], "", {"destination", "arrival", "origin"},
                origin=_place("BER", "Berlin"))  # fmt: skip
    eve = cal.next_date(12, 24)
    yield _goal("dates", len(said_dates) + 1, _place("VIE", "Vienna"), Moment(eve),
                [f"to vienna on {eve.day}.{eve.month}.{eve.year}"], "", {"destination", "arrival"})  # fmt: skip


def _times(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    t = dt.time
    said_times: list[tuple[str, Moment | Callable[[dt.date], Moment]]] = [
        ("early in the morning", lambda d: Moment(d, period="morning")),
        ("in the early morning", lambda d: Moment(d, period="morning")),
        ("late in the afternoon", lambda d: Moment(d, period="afternoon")),
        ("in the late afternoon", lambda d: Moment(d, period="afternoon")),
        ("in the evening", lambda d: Moment(d, period="evening")),
        ("by half past four in the afternoon", lambda d: Moment(d, t(16, 30), "by")),
        ("at half past four pm", lambda d: Moment(d, t(16, 30), "at")),
        ("at quarter to nine in the morning", lambda d: Moment(d, t(8, 45), "at")),
        ("around quarter past six pm", lambda d: Moment(d, t(18, 15), "around")),
        ("by noon", lambda d: Moment(d, t(12, 0), "by")),
        ("before 10 am", lambda d: Moment(d, t(10, 0), "before")),
        ("after 3 pm", lambda d: Moment(d, t(15, 0), "after")),
        ("at 7:30 pm", lambda d: Moment(d, t(19, 30), "at")),
        ("by 17:00", lambda d: Moment(d, t(17, 0), "by")),
        ("at 9 in the morning", lambda d: Moment(d, t(9, 0), "at")),
        ("no later than 6 pm", lambda d: Moment(d, t(18, 0), "by")),
        ("at half past ten in the morning", lambda d: Moment(d, t(10, 30), "at")),
        ("by a quarter to five pm", lambda d: Moment(d, t(16, 45), "by")),
        ("around 2 in the afternoon", lambda d: Moment(d, t(14, 0), "around")),
        ("by 8 pm", lambda d: Moment(d, t(20, 0), "by")),
    ]  # fmt: skip
    cities = list(US)
    rng.shuffle(cities)
    number = 0
    for said_time, make in said_times:
        airport, name = cities[number % len(cities)]
        date, said_date = cal.plain()
        moment = make(date)  # type: ignore[operator]
        text = rng.choice([f"{rng.choice(TO).format(name)} on {said_date} {said_time}",
                           f"{rng.choice(TO).format(name)}, arriving {said_time} on {said_date}"])  # fmt: skip
        yield _goal("times", number, _place(airport, name), moment, [text], f"{said_time} on {said_date}",
                    {"destination", "arrival"})  # fmt: skip
        number += 1
    # a date and a time said apart in one message belong together
    apart = [
        ("flying to {city} on {date}, have to be there by 6", t(18, 0), "by"),
        ("{city} on {date} please. i need to arrive by 10 am", t(10, 0), "by"),
        ("i need to be in {city} on {date}, by 3 pm at the latest", t(15, 0), "by"),
        ("to {city}, on {date}. arriving around 8 pm", t(20, 0), "around"),
        ("get me to {city} on {date}; landing at 11 am would be perfect", t(11, 0), "at"),
        ("trip to {city} for {date}, i have to be there before 5 pm", t(17, 0), "before"),
    ]  # fmt: skip
    for pattern, time, qualifier in apart:
        airport, name = cities[number % len(cities)]
        date, said_date = cal.plain()
        yield _goal("times", number, _place(airport, name), Moment(date, time, qualifier),
                    [pattern.format(city=name, date=said_date)], f"on {said_date}", {"destination", "arrival"})
        number += 1
    # a time said first, the date asked for
    for said_time, time, qualifier in [("by 5 pm", t(17, 0), "by"), ("at noon", t(12, 0), "at")]:
        airport, name = cities[number % len(cities)]
        date, said_date = cal.plain()
        yield _goal("times", number, _place(airport, name), Moment(date, time, qualifier),
                    [f"{rng.choice(TO).format(name)} {said_time}"], f"on {said_date}", {"destination"})
        number += 1


def _structure(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    shapes = [
        "i'm in {o} and need to get to {d} on {date}", "I am in {o} and I want to fly to {d} {on_date}",
        "my destination is {d}, arriving {date}", "departure city is {o}, going to {d} on {date}",
        "i'm planning to visit {d} from {o} on {date}", "{d} is my goal, i need to be there on {date}",
        "depart at {o} and fly to {d} on {date}", "i live in {o}, want to fly to {d} on {date}",
        "flying out of {o} to {d} on {date}", "heading home to {d} on {date}",
        "{o} to {d}, {date}", "{oc}-{dc} {date}", "need a flight from {o} to {d} arriving {date}",
        "can you book me a ticket to {d} for {date}", "going to {d}, want to be there on {date}",
        "{d} please, landing {date}", "I'd like to fly to {d}. I need to arrive on {date}.",
        "what i need is a flight to {d} on {date}", "leaving {o}, destination {d}, {date}",
        "from {o}, to {d}, {date}", "i need to go from {o} to {d} on {date}",
        "{d} from {o} on {date}", "i'm flying from {o}. i want to arrive in {d} on {date}",
        "hi! i need a flight to {d} on {date}, coming from {o}", "we are in {o} and have to reach {d} by {date}",
        "i'm currently in {o}, need to be in {d} on {date}", "starting in {o}, ending in {d}, {date}",
        "ticket {o} {d} {date}", "hello, to {d} on {date} please", "my origin is {o} and my destination is {d}, {date}",
        "take me to {d} on {date}", "i'm based in {o} and need to fly to {d} on {date}",
    ]  # fmt: skip
    pairs = [(a, b) for a in US for b in US if a != b]
    rng.shuffle(pairs)
    for number, shape in enumerate(shapes):
        (oc, o), (dc, d) = pairs[number]
        date, said_date = cal.plain()
        text = shape.format(o=o, d=d, oc=oc, dc=dc, date=said_date, on_date=f"on {said_date}")
        qualifier = "by" if "by {date}" in shape else None
        origin = _place(oc, o) if "{o}" in shape or "{oc}" in shape else None
        said = {"destination", "arrival"} | ({"origin"} if origin else set())
        yield _goal("structure", number, _place(dc, d), Moment(date, qualifier=qualifier), [text], f"on {said_date}",
                    said, origin=origin)  # fmt: skip
    # a second place for the same end, by the words between: taken back ("no wait"), offered ("or": asked
    # which), or a next flight ("then": the first now). Fixed places: no draw from the shared generator
    second = [
        ("to boston on {date}, no wait, to new york", ("JFK", "New York"), False),
        ("a flight to miami, sorry, i mean orlando, on {date}", ("MCO", "Orlando"), False),
        ("to seattle or portland on {date}", ("PDX", "Portland"), True),
        ("to chicago on {date}, then on to detroit", ("ORD", "Chicago"), False),
    ]  # fmt: skip
    for extra, (shape, (airport, name), offered) in enumerate(second, start=len(shapes)):
        date = cal.today + dt.timedelta(days=10 + extra)
        said_date = f"{date:%B} {date.day}".lower()
        yield _goal("structure", extra, _place(airport, name, check=offered), Moment(date),
                    [shape.format(date=said_date)], f"on {said_date}", {"destination", "arrival"})  # fmt: skip
    # shorthand: an arrow between two codes, "tmrw am", "the morning of ...", and a son who is no airport (SON)
    tomorrow = cal.today + dt.timedelta(days=1)
    terse = [
        ("sfo -> jfk on {date}", Place("JFK", "jfk", "jfk", exact=True), Place("SFO", "sfo", "sfo", exact=True), None),
        ("ord-lax tmrw am", Place("LAX", "lax", "lax", exact=True), Place("ORD", "ord", "ord", exact=True), "morning"),
        ("from atlanta to paris, arriving the morning of {date}", _place("CDG", "Paris"), _place("ATL", "Atlanta"),
         "morning"),
        ("my son needs to get back to college in ann arbor on {date}", _place("DTW", "Ann Arbor"), None, None),
    ]  # fmt: skip
    for extra, (shape, destination, origin, period) in enumerate(terse, start=len(shapes) + len(second)):
        date = tomorrow if "tmrw" in shape else cal.today + dt.timedelta(days=10 + extra)
        said_date = f"{date:%B} {date.day}".lower()
        said = {"destination", "arrival"} | ({"origin"} if origin else set())
        yield _goal("structure", extra, destination, Moment(date, period=period), [shape.format(date=said_date)],
                    f"on {said_date}", said, origin=origin)  # fmt: skip


def _corrections(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    t = dt.time
    number = 0

    def goal(destination: Place, arrival: Moment, opening: list[str], origin: Place | None = None) -> Goal:
        nonlocal number
        number += 1
        said = {"destination", "arrival"} | ({"origin"} if origin else set())
        return _goal("corrections", number, destination, arrival, opening, "", said, origin=origin,
                     scripted_corrections=len(opening) - 1)  # fmt: skip

    dec = cal.next_date(12, 5)
    yield goal(_place("UIO", "Quito"), Moment(dec), ["to lima on december 5th", "I meant Quito not Lima"])
    yield goal(_place("FCO", "Rome"), Moment(dec), ["to milan on december 5th", "no wait, i meant rome"])
    yield goal(_place("MXP", "Milan"), Moment(dec), ["to rome on december 5th", "no wait, i meant milan"])
    yield goal(_place("LIS", "Lisbon"), Moment(dec), ["to madrid on december 5th", "sorry, lisbon not madrid"])
    yield goal(_place("PDX", "Portland, Oregon"), Moment(cal.next_date(12, 3)),
               ["to seattle on december 3rd", "no wait, i meant portland, oregon"])
    yield goal(_place("AUS", "Austin"), Moment(cal.next_date(1, 5)),
               ["to denver on jan 5", "change the destination to Austin"])
    yield goal(_place("DEN", "Denver"), Moment(cal.next_date(1, 5)),
               ["from phoenix to denver on jan 5", "change the origin to Tulsa"], origin=_place("TUL", "Tulsa"))
    yield goal(_place("DEN", "Denver"), Moment(cal.next_date(1, 5)),
               ["from phoenix to denver on jan 5", "actually leave from Fresno instead"],
               origin=_place("FAT", "Fresno"))
    yield goal(_place("ORD", "Chicago"), Moment(cal.next_date(1, 8)),
               ["from boston to chicago on january 8th", "sorry, i'm flying from Detroit, not Boston"],
               origin=_place("DTW", "Detroit"))
    yield goal(_place("DEN", "Denver"), Moment(dec, t(16, 0), "at"),
               ["to denver arriving at 4 am on december 5th", "4 pm not 4 am"])
    yield goal(_place("BOS", "Boston"), Moment(cal.next_date(12, 9)),
               ["to boston on the 8th of december", "the 9th, not the 8th"])
    yield goal(_place("MIA", "Miami"), Moment(cal.next_date(12, 9)),
               ["fly to miami on december 10th", "actually a day earlier"])
    yield goal(_place("LIS", "Lisbon"), Moment(cal.next_date(12, 6)), ["to lisbon on dec 5", "actually a day later"])
    yield goal(_place("ORD", "Chicago"), Moment(cal.next_date(12, 12), t(16, 0), "by"),
               ["to chicago by 3 pm on dec 12", "make it an hour later"])
    yield goal(_place("SEA", "Seattle"), Moment(cal.next_date(12, 12), t(14, 0), "by"),
               ["to seattle by 3 pm on dec 12", "an hour earlier please"])
    yield goal(_place("AUS", "Austin"), Moment(cal.next_date(1, 6)),
               ["to austin on the 5th of january", "sorry, the 6th"])
    yield goal(_place("ATL", "Atlanta"), Moment(cal.next_date(12, 15), t(9, 0), "by"),
               ["to atlanta by 8 am on december 15th", "make it 9 am"])
    yield goal(_place("PHX", "Phoenix"), Moment(cal.next_date(12, 20)),
               ["to phoenix on december 19th", "no, december 20th instead"])
    yield goal(_place("SFO", "San Francisco"), Moment(cal.next_date(12, 18), t(18, 0), "at"),
               ["to san francisco on december 18th at 6 am", "i meant 6 pm"])
    yield goal(_place("MSP", "Minneapolis"), Moment(cal.next_date(1, 12)),
               ["to minneapolis on january 11th", "oops, january 12th not the 11th"])
    yield goal(_place("DFW", "Dallas"), Moment(cal.next_date(12, 7), period="evening"),
               ["to dallas on december 7th in the morning", "actually in the evening"])
    yield goal(_place("TPA", "Tampa"), Moment(cal.next_date(12, 2)),
               ["to orlando on december 2nd", "not orlando, tampa"])
    yield goal(_place("BNA", "Nashville"), Moment(cal.next_date(12, 4)),
               ["to memphis on december 4th", "i said nashville, not memphis"])
    yield goal(_place("SLC", "Salt Lake City"), Moment(cal.next_date(12, 11)),
               ["from denver to salt lake city on december 11th", "wait, I'm leaving from Boise"],
               origin=_place("BOI", "Boise"))
    yield goal(_place("CLT", "Charlotte"), Moment(cal.next_date(12, 14), t(12, 0), "by"),
               ["to charlotte by 11 am on december 14th", "make that noon"])
    yield goal(_place("SAN", "San Diego"), Moment(cal.next_date(12, 17)),
               ["to san diego on december 16th", "one day later please"])
    yield goal(_place("MCO", "Orlando"), Moment(cal.next_date(12, 21)),
               ["to orlando on the 22nd of december", "the day before, please"])
    yield goal(_place("STL", "St. Louis"), Moment(cal.next_date(1, 20)),
               ["to kansas city on january 20th", "no, to st. louis"])
    yield goal(_place("DTW", "Detroit"), Moment(cal.next_date(1, 22), t(13, 0), "by"),
               ["to detroit by 1 am on jan 22", "1 pm, not 1 am"])
    yield goal(_place("OMA", "Omaha"), Moment(cal.next_date(1, 25)),
               ["to omaha on january 24th", "sorry i meant the 25th"])
    # a moment moved with a verb, and a slot named in the correction
    for (airport, city), moment, opening in [
        (("BOS", "Boston"), Moment(cal.next_date(1, 15)), ["to boston on january 14th", "push it back a day"]),
        (("SEA", "Seattle"), Moment(cal.next_date(1, 13), t(9, 0), "by"),
         ["to seattle by 9 am on january 14th", "can you move it up a day"]),
        (("ATL", "Atlanta"), Moment(cal.next_date(1, 16), t(11, 0), "by"),
         ["to atlanta by 10 am on january 16th", "delay it by an hour"]),
        (("MIA", "Miami"), Moment(cal.next_date(1, 18)), ["to tampa on january 18th", "change destination to miami"]),
    ]:  # fmt: skip
        yield goal(_place(airport, city), moment, opening)


def _ambiguous(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    cases = [
        ("PDX", "portland", "Oregon", True), ("PWM", "portland", "Maine", True),
        ("PDX", "portland, oregon", "Oregon", False), ("PDX", "Portland OR", "Oregon", False),
        ("PWM", "Portland, Maine", "Maine", False), ("CDG", "paris", "France", False),
        ("LHR", "london", "England", False), ("YXU", "London, Ontario", "Ontario", False),
        ("FLR", "florence", "Italy", False), ("FLO", "Florence, South Carolina", "South Carolina", False),
        ("SGF", "springfield", "Missouri", True), ("SPI", "springfield", "Illinois", True),
        ("CMH", "columbus", "Ohio", False), ("MCI", "kansas city", "Missouri", False),
        ("SJC", "san jose", "California", True), ("SJO", "San Jose, Costa Rica", "Costa Rica", False),
        ("BHX", "birmingham", "England", True), ("BHM", "birmingham", "Alabama", True),
        ("MAN", "manchester", "England", False), ("MHT", "Manchester, New Hampshire", "New Hampshire", False),
        ("ATH", "athens", "Greece", False),
        ("SYD", "sydney", "Australia", False), ("YYJ", "victoria", "British Columbia", True),
        ("SCL", "santiago", "Chile", True), ("AMS", "amsterdam", "", False),
        ("YYZ", "toronto", "", False), ("MAD", "madrid", "Spain", False), ("ORD", "chicago", "", False),
        ("DCA", "washington", "", False), ("ABQ", "albuquerque", "", False), ("NCL", "newcastle", "England", True),
        ("PER", "perth", "Australia", True), ("SAV", "savannah", "", False), ("BER", "berlin", "Germany", False),
    ]  # fmt: skip
    for number, (airport, said, answer, asked) in enumerate(cases):
        date, said_date = cal.plain()
        place = _place(airport, said, answer or said, check=asked)
        yield _goal("ambiguous", number, place, Moment(date), [f"{rng.choice(TO).format(said)} on {said_date}"],
                    f"on {said_date}", {"destination", "arrival"})  # fmt: skip


def _flows(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    number = 0
    cities = list(US)
    rng.shuffle(cities)
    preludes = [
        (["to {x} on {xd}", "cancel"], True), (["to {x} on {xd}", "start over"], True),
        (["to {x}", "start over"], True), (["to {x} on {xd}", "{name}", "yes"], False),
        (["to {x} on {xd}", "cancel this"], True),
        (["to {x} on {xd}", "never mind, start again"], True), (["hello", "what can you do?"], False),
        (["hi there"], False), (["to {x} on {xd}", "{name}", "yes", "thanks!"], False),
        (["to {x} on {xd}", "{name}", "no"], True),
    ]  # fmt: skip
    for round_ in range(3):
        for prelude, abandons in preludes:
            (_, x), (da, d) = cities[(2 * number) % len(cities)], cities[(2 * number + 1) % len(cities)]
            _xd, x_said = cal.plain()
            date, said_date = cal.plain()
            name = NAMES[number % len(NAMES)]  # who travels, on the first request and on this one
            opening = [m.format(x=x, xd=x_said, name=name) for m in prelude]
            opening.append(f"{rng.choice(TO).format(d)} on {said_date}")
            if round_ == 2 and prelude[-1] != "no":  # the date as the answer to "when?" instead
                opening[-1] = rng.choice(TO).format(d)
            said = {"destination", "arrival"} if said_date in opening[-1] else {"destination"}
            yield _goal("flows", number, _place(da, d), Moment(date), opening, f"on {said_date}", said,
                        cancel_first=abandons, traveller=name)  # fmt: skip
            number += 1


def _mistakes(cal: _Calendar, rng: random.Random) -> Iterator[Goal]:
    cities = list(US)
    rng.shuffle(cities)
    first_messages = [
        ("to atlantis on {d}", "ok then, to {c}"), ("to the moon on {d}", "fine, {c}"), ("asdfgh", "to {c} on {d}"),
        ("qwerty uiop", "to {c} on {d}"), ("to {c} yesterday", "sorry, {d}"), ("to {c} on december 45th", "i mean {d}"),
        ("to narnia on {d}", "{c} then"), ("to gotham city on {d}", "to {c}"), ("hmm", "to {c} on {d}"),
        ("to springfeld on {d}", "to {c}"), ("??", "to {c} on {d}"), ("to {c} on the 32nd of january", "i mean {d}"),
        ("to hogwarts on {d}", "to {c} instead"), ("blah blah", "i need to fly to {c} on {d}"),
        ("to {c} last week", "no, {d}"), ("to mordor on {d}", "ok, {c}"), ("...", "to {c} on {d}"),
        ("lorem ipsum dolor", "to {c} on {d}"), ("to el dorado on {d}", "{c} please"), ("to xyzzy on {d}", "to {c}"),
        ("flight", "to {c} on {d}"), ("to {c} in 1999", "sorry, {d}"), ("to wakanda on {d}", "to {c} then"),
        ("to lilliput on {d}", "ok, {c}"), ("😀✈️", "to {c} on {d}"), ("to bostn on {d}", ""),
        ("to chicgo on {d}", ""), ("to seatle on {d}", ""), ("to {c} on the 31st of february", "sorry, {d}"),
        ("tomorrow... no wait", "to {c} on {d}"), ("to shangri-la on {d}", "to {c}"),
    ]  # fmt: skip
    misspelt = {"bostn": ("BOS", "bostn"), "chicgo": ("ORD", "chicgo"), "seatle": ("SEA", "seatle")}
    for number, (first, fix) in enumerate(first_messages):
        airport, name = cities[number % len(cities)]
        date, said_date = cal.plain()
        place = _place(airport, name)
        typo = next((v for k, v in misspelt.items() if k in first), None)
        if typo is not None:  # a near miss: "Did you mean Boston?" is the right question
            place = Place(airport=typo[0], said=typo[1], answer=typo[1], check_expected=True)
        opening = [first.format(c=name, d=said_date)]
        if fix:
            opening.append(fix.format(c=name, d=said_date))
        said = {"destination", "arrival"}
        yield _goal("mistakes", number, place, Moment(date), opening, f"on {said_date}", said)


def goals(now: dt.datetime, seed: int = 7) -> list[Goal]:
    """Every goal, in kind order; the same list for the same clock and seed."""
    rng = random.Random(seed)
    cal = _Calendar(now, rng)
    made: list[Goal] = []
    for family in (_places, _airports, _dates, _times, _structure, _corrections, _ambiguous, _flows, _mistakes):
        made.extend(family(cal, rng))
    made = [goal if goal.kind == "flows" else replace(goal, traveller=NAMES[i % len(NAMES)])
            for i, goal in enumerate(made)]  # fmt: skip
    from .asides import asides  # they build on this module's calendar and places
    from .casual import casual
    from .getaways import getaways
    from .leaving import leaving
    from .reasons import reasons
    from .regions import regions
    from .trips import names, party, trips
    from .weeks import weeks

    for family in (trips, party, names, regions, asides, getaways, reasons, weeks, casual, leaving):
        made.extend(family(cal, random.Random(f"{seed}-{family.__name__}")))
    return made
