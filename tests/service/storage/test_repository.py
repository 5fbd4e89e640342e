"""Repository round trips on SQLite and PostgreSQL: bookings, cancellations, turns, versions, UTC times."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.dialogue import Arrival, City, Departure, DialogueState, Slots
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
