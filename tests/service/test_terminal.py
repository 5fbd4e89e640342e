"""``ticketbot chat``'s booking block: every part on its own line, only the parts there are."""

from __future__ import annotations

import datetime as dt

import pytest

from service.dialogue.domain import Airline, Arrival, Booking, City, Departure, Return, Travellers
from service.terminal import booking_lines, describe_travellers

LISBON = City(city="Lisbon", airports=("LIS",), timezone="Europe/Lisbon")
CHICAGO = City(city="Chicago", airports=("ORD", "MDW"), timezone="America/Chicago")
CREATED = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


def _booking(**parts: object) -> Booking:
    """A booking to Lisbon on December 12th; ``parts`` say the rest."""
    basics = {"reference": "K7QX4MPA", "status": "confirmed", "destination": LISBON, "created_at": CREATED,
              "arrival": Arrival(date=dt.date(2026, 12, 12))}  # fmt: skip
    return Booking.model_validate({**basics, **parts})


def test_a_round_trip_with_every_part() -> None:
    booking = _booking(
        origin=CHICAGO, arrival=Arrival(date=dt.date(2026, 12, 12), time=dt.time(9, 0), qualifier="by"),
        departure=Departure(period="morning"),
        trip="round_trip", returning=Return(date=dt.date(2026, 12, 20), period="evening"),
        travellers=Travellers(adults=2, children=1), cabin="premium_economy",
        airline=Airline(code="TP", name="TAP Air Portugal"), nonstop=True, traveller="Ana Sousa",
    )  # fmt: skip
    assert booking_lines(booking, indent="  ") == [
        "  reference   K7QX4MPA (confirmed)",
        "  passenger   Ana Sousa",
        "  to          Lisbon (LIS)",
        "  arriving    Saturday, December 12, 2026, by 9:00 am",
        "  from        Chicago (ORD, MDW)",
        "  leaving     in the morning",
        "  trip        round trip",
        "  returning   Sunday, December 20, 2026, in the evening",
        "  travellers  2 adults, 1 child",
        "  cabin       premium economy",
        "  airline     TAP Air Portugal (TP)",
        "  stops       nonstop",
    ]


def test_the_defaults_say_one_way_one_adult_economy_and_nothing_else() -> None:
    assert booking_lines(_booking(status="cancelled")) == [
        "reference   K7QX4MPA (cancelled)",
        "to          Lisbon (LIS)",
        "arriving    Saturday, December 12, 2026",
        "trip        one-way",
        "travellers  1 adult",
        "cabin       economy",
    ]


def test_a_booking_by_its_departure_has_no_arriving_line() -> None:
    booking = _booking(arrival=None, origin=CHICAGO, departure=Departure(date=dt.date(2026, 12, 11), period="evening"))
    assert booking_lines(booking)[:4] == [
        "reference   K7QX4MPA (confirmed)",
        "to          Lisbon (LIS)",
        "from        Chicago (ORD, MDW)",
        "leaving     Friday, December 11, 2026, in the evening",
    ]


def test_a_booking_has_a_day() -> None:
    """No arrival and no dated departure is no booking: the value itself refuses it."""
    with pytest.raises(ValueError, match="a departure with a date"):
        _booking(arrival=None, departure=Departure(time=dt.time(8, 0)))


@pytest.mark.parametrize(
    ("adults", "children", "said"),
    [(1, 0, "1 adult"), (3, 0, "3 adults"), (1, 1, "1 adult, 1 child"), (2, 4, "2 adults, 4 children")],
)
def test_travellers_are_counted_in_words(adults: int, children: int, said: str) -> None:
    assert describe_travellers(Travellers(adults=adults, children=children)) == said


def test_a_name_cannot_steer_the_terminal() -> None:
    """The name is the customer's own input: an escape sequence in it is shown, not obeyed."""
    lines = booking_lines(_booking(traveller="Ana\x1b[2J\rSousa"))
    [name] = [line for line in lines if line.startswith("passenger")]
    assert name == "passenger   Ana\N{REPLACEMENT CHARACTER}[2J\N{REPLACEMENT CHARACTER}Sousa"
