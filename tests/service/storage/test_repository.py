"""Repository round trips on SQLite and PostgreSQL: bookings, cancellations, turns, versions, UTC times."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.dialogue import Arrival, City, Departure, DialogueState, Slots
from service.dialogue.domain import MAX_TRAVELLERS, Airline, Booking, Return, Travellers
from service.storage import new_reference, repository
from service.storage.references import ALPHABET, LENGTH
from tests.service.conftest import NOW

TAIPEI = City(city="Taipei", airports=("TPE", "TSA"), timezone="Asia/Taipei")
NEW_YORK = City(city="New York", airports=("JFK", "LGA", "EWR"), timezone="America/New_York")


def _conversation(session: Session) -> str:
    conversation_id = new_reference().lower() + "0" * 24
    repository.add_conversation(
        session, conversation_id=conversation_id, token_hash="0" * 64, state=DialogueState().to_json(),
        status="collecting", now=NOW,
    )
    return conversation_id


@pytest.mark.parametrize("full", [True, False])
def test_booking_and_cancellation_round_trip(sessions: sessionmaker[Session], full: bool) -> None:
    slots = Slots(  # a time said, or only a part of the day
        destination=TAIPEI,
        arrival=Arrival(date=dt.date(2027, 11, 2), time=dt.time(17, 30), qualifier="by")
        if full
        else Arrival(date=dt.date(2027, 11, 2), period="evening"),
        origin=NEW_YORK if full else None,
        departure=Departure(date=dt.date(2027, 11, 1), period="morning") if full else None,
    )
    reference = new_reference()
    with sessions.begin() as session:
        conversation_id = _conversation(session)
        made = repository.add_booking(
            session, conversation_id=conversation_id, reference=reference, slots=slots, now=NOW
        )
    with sessions() as session:
        found = repository.find_booking(session, reference=reference.lower())
        assert found is not None and found.conversation_id == conversation_id
        booking = found.booking
    assert booking == made  # what the API was told is what was stored
    assert booking.reference == reference and booking.status == "confirmed"
    assert (booking.destination, booking.arrival, booking.origin, booking.departure) == (
        slots.destination, slots.arrival, slots.origin, slots.departure
    )
    assert booking.created_at == NOW and booking.created_at.tzinfo is not None
    arrival = {"date": "2027-11-02", "time": "17:30", "qualifier": "by", "period": None}
    if not full:
        arrival = {"date": "2027-11-02", "time": None, "qualifier": None, "period": "evening"}
    assert booking.model_dump(mode="json")["arrival"] == arrival
    if full:
        assert booking.model_dump(mode="json")["departure"]["period"] == "morning"

    later = NOW + dt.timedelta(minutes=5)
    with sessions.begin() as session:
        assert repository.cancel_booking(session, reference=reference.lower(), now=later) is True
    with sessions.begin() as session:
        assert repository.cancel_booking(session, reference=reference, now=later + later.resolution) is False
        found = repository.find_booking(session, reference=reference)  # idempotent: the first cancellation stands
        assert found is not None
        assert (found.booking.status, found.cancelled_at, found.updated_at, found.booking.created_at) == (
            "cancelled", later, later, NOW
        )
        assert repository.cancel_booking(session, reference="NOSUCH23", now=later) is False
        assert [b.reference for b in repository.list_bookings(session, conversation_id=conversation_id)] == [reference]


def test_every_value_of_the_form_is_stored_and_read_back(sessions: sessionmaker[Session]) -> None:
    """A round trip for two in business, nonstop on TAP, with the traveller's name: each value comes back."""
    slots = Slots(
        destination=City(city="Lisbon", airports=("LIS",), timezone="Europe/Lisbon"),
        arrival=Arrival(date=dt.date(2027, 1, 12), time=dt.time(9), qualifier="by"),
        origin=City(city="Chicago", airports=("ORD", "MDW"), timezone="America/Chicago"),
        trip="round_trip", returning=Return(date=dt.date(2027, 1, 20), time=dt.time(12), qualifier="around"),
        travellers=Travellers(adults=1, children=1), cabin="business",
        airline=Airline(code="TP", name="TAP Air Portugal"), nonstop=True, traveller="Zoë O'Brien-Łukasz",
    )  # fmt: skip
    reference = new_reference()
    with sessions.begin() as session:
        made = repository.add_booking(
            session, conversation_id=_conversation(session), reference=reference, slots=slots, now=NOW
        )
    with sessions() as session:
        found = repository.find_booking(session, reference=reference)
        assert found is not None
        [listed] = [b for b in repository.list_bookings(session, limit=1000) if b.reference == reference]
    assert found.booking == made == listed
    booking = found.booking
    assert (booking.trip, booking.returning, booking.travellers, booking.cabin) == (
        "round_trip", slots.returning, Travellers(adults=1, children=1), "business"
    )  # fmt: skip
    assert (booking.airline, booking.nonstop, booking.traveller) == (slots.airline, True, "Zoë O'Brien-Łukasz")
    assert booking.model_dump(mode="json")["returning"] == {
        "date": "2027-01-20", "time": "12:00", "qualifier": "around", "period": None
    }  # fmt: skip
    evening = Slots(**{**slots.model_dump(), "returning": Return(date=dt.date(2027, 1, 20), period="evening")})
    with sessions.begin() as session:
        reference = new_reference()
        repository.add_booking(session, conversation_id=_conversation(session), reference=reference, slots=evening,
                               now=NOW)  # fmt: skip
        again = repository.find_booking(session, reference=reference)
    assert again is not None and again.booking.returning == Return(date=dt.date(2027, 1, 20), period="evening")


def test_what_was_not_said_is_stored_as_the_booking_default(sessions: sessionmaker[Session]) -> None:
    slots = Slots(destination=TAIPEI, arrival=Arrival(date=dt.date(2027, 11, 2)))  # every preference None
    reference = new_reference()
    with sessions.begin() as session:
        made = repository.add_booking(
            session, conversation_id=_conversation(session), reference=reference, slots=slots, now=NOW
        )
    with sessions() as session:
        found = repository.find_booking(session, reference=reference)
    defaults = Booking(reference=reference, status="confirmed", destination=TAIPEI, arrival=slots.arrival,
                       created_at=NOW)  # fmt: skip
    assert found is not None and found.booking == made == defaults
    assert (made.trip, made.travellers.total, made.cabin, made.airline, made.nonstop, made.traveller) == (
        "one_way", 1, "economy", None, False, None
    )  # fmt: skip


@pytest.mark.parametrize(  # built without the domain's own checks, as a buggy caller might
    "travellers",
    [Travellers.model_construct(adults=0, children=1), Travellers.model_construct(adults=MAX_TRAVELLERS, children=1)],
)
def test_a_booking_outside_the_travellers_bounds_is_refused_plainly(
    sessions: sessionmaker[Session], travellers: Travellers
) -> None:
    """Refused before the database's check, which would read as a conflict and be retried."""
    slots = Slots(destination=TAIPEI, arrival=Arrival(date=dt.date(2027, 11, 2)), travellers=travellers)
    with pytest.raises(ValueError, match="1 to 9 travellers"), sessions.begin() as session:
        repository.add_booking(session, conversation_id=_conversation(session), reference=new_reference(),
                               slots=slots, now=NOW)  # fmt: skip


def test_references_are_unique(sessions: sessionmaker[Session]) -> None:
    slots = Slots(destination=TAIPEI, arrival=Arrival(date=dt.date(2027, 1, 5)))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        conversation_id = _conversation(session)
        for _ in range(2):
            repository.add_booking(session, conversation_id=conversation_id, reference="ABCD2345", slots=slots, now=NOW)


def test_references_look_right() -> None:
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    assert all(len(r) == LENGTH and set(r) <= set(ALPHABET) for r in references)
    assert all(any(c.isdigit() for c in r) and any(c.isalpha() for c in r) for r in references)


def test_a_stale_version_is_refused(sessions: sessionmaker[Session]) -> None:
    """Optimistic locking: a state written by someone else since it was read is never overwritten."""
    with sessions.begin() as session:
        conversation_id = _conversation(session)
    with sessions() as session, session.begin():
        row = repository.get_conversation(session, conversation_id=conversation_id)
        assert row is not None and row.version == 1
        # Another writer saves a state behind this session's back.
        repository.save_state(session, conversation_id=conversation_id, version=1, state={"theirs": True},
                              status="confirming", now=NOW)  # fmt: skip
        with pytest.raises(StaleDataError):
            repository.save_state(session, conversation_id=conversation_id, version=row.version, state={"lost": True},
                                  status="collecting", now=NOW)  # fmt: skip
    with sessions() as session:
        row = repository.get_conversation(session, conversation_id=conversation_id)
        assert (row.version, row.state, row.status) == (2, {"theirs": True}, "confirming")


def test_turns_keep_order_and_keys_are_unique_per_conversation(sessions: sessionmaker[Session]) -> None:
    def turn(session: Session, conversation_id: str, seq: int, key: str | None) -> None:
        repository.add_turn(
            session, conversation_id=conversation_id, seq=seq, user_text=f"message {seq}", reply="ok",
            tags=[["message", "O"]], intent="atis_flight", intent_confidence=0.9, status="collecting",
            idempotency_key=key, response={"reply": "ok"}, now=NOW, tagger_ms=1.5, handling_ms=3.0,
        )

    with sessions.begin() as session:
        first, second = _conversation(session), _conversation(session)
        turn(session, first, 2, "key-b")
        turn(session, first, 1, "key-a")
        turn(session, first, 3, None)
        turn(session, first, 4, None)  # many turns without a key
        turn(session, second, 1, "key-a")  # keys are per conversation
    with sessions() as session:
        assert [t.seq for t in repository.list_turns(session, conversation_id=first)] == [1, 2, 3, 4]
        found = repository.turn_by_key(session, conversation_id=first, idempotency_key="key-b")
        assert found is not None and found.seq == 2 and found.created_at == NOW
    with pytest.raises(IntegrityError), sessions.begin() as session:
        turn(session, first, 5, "key-a")
    with pytest.raises(IntegrityError), sessions.begin() as session:
        turn(session, first, 2, None)  # one turn per position: a lost update cannot hide
